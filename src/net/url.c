/* URL parsing, omnibox classification, reference resolution (RFC 3986) and
 * HSTS (RFC 6797). See include/ww/url.h. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ww/url.h"

__attribute__((format(printf, 4, 5)))
static int url_error(struct ww_error *err, const char *field, size_t off, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	*err = (struct ww_error){ .status = WW_INVALID, .field = field, .offset = (uint32_t)off };
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_alpha(int c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static const char hex[] = "0123456789ABCDEF";
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Length of an RFC 3986 §3.1 scheme at S followed by ':', or 0. */
static size_t scheme_len(const char *s)
{
	size_t i = 0;
	if (!is_alpha((unsigned char)s[0]))
		return 0;
	while (is_alpha((unsigned char)s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return s[i] == ':' ? i : 0;
}

/* Dotted quad, four decimal parts 0-255 without leading zeros (a leading
 * zero means octal to some parsers: refused rather than guessed). */
static bool parse_ipv4(const char *s, size_t n, uint32_t *addr)
{
	uint32_t a = 0;
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		if (part && (i >= n || s[i++] != '.'))
			return false;
		while (i < n && is_digit(s[i]) && digits < 4) {
			v = v * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (!digits || v > 255 || (digits > 1 && s[i - digits] == '0'))
			return false;
		a = a << 8 | v;
	}
	*addr = a;
	return i == n;
}

/* A registered name: letters, digits, '-' and '_', labels of 1-63 between
 * dots. Returns the offset of the first bad byte, or N if all are good. */
static size_t check_name(const char *s, size_t n)
{
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (!label)
				return i;
			label = 0;
		} else if (is_alpha(c) || is_digit(c) || c == '-' || c == '_') {
			if (++label > 63)
				return i;
		} else {
			return i;
		}
	}
	return label ? n : (n ? n - 1 : 0);
}

static int parse_host(const char *s, size_t n, size_t off, struct ww_url *u, struct ww_error *err)
{
	if (!n)
		return url_error(err, "url.host", off, "empty host");
	if (n >= WW_URL_HOST_MAX || (s[0] != '[' && n > 253))
		return url_error(err, "url.host", off, "host of %zu characters is too long", n);
	for (size_t i = 0; i < n; i++)
		u->host[i] = (char)lower((unsigned char)s[i]);
	u->host[n] = 0;
	if (s[0] == '[') {
		char lit[WW_URL_HOST_MAX];
		struct in6_addr a6;
		if (n < 3 || s[n - 1] != ']')
			return url_error(err, "url.host", off, "IPv6 literal without closing ']'");
		memcpy(lit, s + 1, n - 2);
		lit[n - 2] = 0;
		if (inet_pton(AF_INET6, lit, &a6) != 1)
			return url_error(err, "url.host", off, "bad IPv6 address \"%s\"", lit);
		u->host_kind = WW_URL_HOST_IPV6;
		return 0;
	}
	size_t digits_dots = strspn(u->host, "0123456789.");
	if (digits_dots == n) {
		if (!parse_ipv4(s, n, &u->ipv4))
			return url_error(err, "url.host", off, "bad IPv4 address \"%s\"", u->host);
		u->host_kind = WW_URL_HOST_IPV4;
		return 0;
	}
	size_t bad = check_name(s, n);
	if (bad < n) {
		unsigned char c = (unsigned char)s[bad];
		if (c > 0x20 && c < 0x7f && c != '.' && !is_alpha(c) && !is_digit(c))
			return url_error(err, "url.host", off + bad, "bad character '%c' in host", c);
		if (c == '.' || bad == n - 1)
			return url_error(err, "url.host", off + bad, "empty label in host");
		if (c > 0x7f || c <= 0x20 || c == 0x7f)
			return url_error(err, "url.host", off + bad, "bad byte 0x%02x in host", c);
		return url_error(err, "url.host", off + bad, "host label longer than 63 characters");
	}
	u->host_kind = WW_URL_HOST_NAME;
	return 0;
}

static int parse_port(const char *s, size_t n, size_t off, struct ww_url *u, struct ww_error *err)
{
	unsigned long v = 0;
	if (!n)
		return 0; /* "host:" is allowed: the default port (RFC 3986 §3.2.3) */
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return url_error(err, "url.port", off + i, "port must be digits, not '%c'", s[i]);
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > 65535)
			return url_error(err, "url.port", off, "port %.*s out of range 1-65535", (int)(n > 12 ? 12 : n), s);
	}
	if (!v)
		return url_error(err, "url.port", off, "port 0 is not a port one can connect to");
	u->port = (uint16_t)v;
	u->port_given = true;
	return 0;
}

/* Copy path, query or fragment text, percent-encoding bytes above 0x7f
 * and refusing spaces and control bytes, which no request line may carry. */
static int copy_part(const char *s, size_t n, size_t off, char *out, size_t cap, const char *field,
		     struct ww_error *err)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f)
			return url_error(err, field, off + i, "%s byte 0x%02x in %s", c == ' ' ? "space" : "control", c, field + 4);
		if (o + 4 > cap)
			return url_error(err, field, off, "%s longer than %zu bytes", field + 4, cap - 1);
		if (c > 0x7f) {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = 0;
	return 0;
}

static int parse_authority(const char *s, size_t n, size_t off, struct ww_url *u, struct ww_error *err)
{
	const char *at = memrchr(s, '@', n);
	if (at) {
		size_t ul = (size_t)(at - s);
		if (ul >= WW_URL_USERINFO_MAX)
			return url_error(err, "url.userinfo", off, "userinfo longer than %d bytes", WW_URL_USERINFO_MAX - 1);
		memcpy(u->userinfo, s, ul);
		u->userinfo[ul] = 0;
		u->has_userinfo = true;
		off += ul + 1;
		n -= ul + 1;
		s = at + 1;
	}
	size_t hl = n;
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		hl = close ? (size_t)(close - s) + 1 : n;
		if (hl < n && s[hl] != ':')
			return url_error(err, "url.port", off + hl, "expected ':' after IPv6 literal");
	} else {
		const char *colon = memchr(s, ':', n);
		if (colon)
			hl = (size_t)(colon - s);
	}
	if (parse_host(s, hl, off, u, err))
		return -1;
	return hl < n ? parse_port(s + hl + 1, n - hl - 1, off + hl + 1, u, err) : 0;
}

int ww_url_parse(const char *text, struct ww_url *u, struct ww_error *err)
{
	memset(u, 0, sizeof *u);
	size_t sl = scheme_len(text), len = strlen(text);
	if (len >= WW_URL_MAX)
		return url_error(err, "url", 0, "URL of %zu bytes is too long", len);
	if (!sl || strncmp(text + sl, "://", 3))
		return url_error(err, "url.scheme", 0, "no scheme: a URL starts with http:// or https://");
	for (size_t i = 0; i < sl && i < WW_URL_SCHEME_MAX - 1; i++)
		u->scheme[i] = (char)lower((unsigned char)text[i]);
	if (sl >= WW_URL_SCHEME_MAX || (strcmp(u->scheme, "http") && strcmp(u->scheme, "https")))
		return url_error(err, "url.scheme", 0, "unsupported scheme \"%.*s\" (only http and https)", (int)(sl > 16 ? 16 : sl), text);
	u->is_https = u->scheme[4] == 's';
	u->port = u->is_https ? WW_URL_HTTPS_PORT : WW_URL_HTTP_PORT;

	size_t a = sl + 3, p = a + strcspn(text + a, "/?#");
	if (parse_authority(text + a, p - a, a, u, err))
		return -1;
	size_t q = p + strcspn(text + p, "?#");
	if (q == p)
		strcpy(u->path, "/");
	else if (copy_part(text + p, q - p, p, u->path, sizeof u->path, "url.path", err))
		return -1;
	size_t f = q + strcspn(text + q, "#");
	if (text[q] == '?') {
		u->has_query = true;
		if (copy_part(text + q + 1, f - q - 1, q + 1, u->query, sizeof u->query, "url.query", err))
			return -1;
	}
	if (text[f] == '#') {
		u->has_fragment = true;
		if (copy_part(text + f + 1, len - f - 1, f + 1, u->fragment, sizeof u->fragment, "url.fragment", err))
			return -1;
	}
	return 0;
}

/* snprintf into OUT, -1 (and "") on overflow. */
__attribute__((format(printf, 3, 4)))
static int put(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= n) {
		if (n)
			out[0] = 0;
		return -1;
	}
	return r;
}

static bool default_port(const struct ww_url *u)
{
	return u->port == (u->is_https ? WW_URL_HTTPS_PORT : WW_URL_HTTP_PORT);
}

int ww_url_authority(const struct ww_url *u, char *out, size_t n)
{
	if (default_port(u))
		return put(out, n, "%s", u->host);
	return put(out, n, "%s:%u", u->host, u->port);
}

int ww_url_target(const struct ww_url *u, char *out, size_t n)
{
	return put(out, n, "%s%s%s", u->path, u->has_query ? "?" : "", u->query);
}

static int format_url(const struct ww_url *u, bool fragment, char *out, size_t n)
{
	char auth[WW_URL_HOST_MAX + 8];
	ww_url_authority(u, auth, sizeof auth);
	return put(out, n, "%s://%s%s%s%s%s%s%s%s", u->scheme, u->has_userinfo ? u->userinfo : "",
		   u->has_userinfo ? "@" : "", auth, u->path, u->has_query ? "?" : "", u->query,
		   fragment && u->has_fragment ? "#" : "", fragment ? u->fragment : "");
}

int ww_url_format(const struct ww_url *u, char *out, size_t n) { return format_url(u, true, out, n); }

int ww_url_form_encode(const char *s, char *out, size_t n)
{
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool keep = is_alpha(c) || is_digit(c) || strchr("*-._ ", c);
		if (o + (keep ? 1 : 3) >= n) {
			if (n)
				out[0] = 0;
			return -1;
		}
		if (c != ' ' && keep) {
			out[o++] = (char)c;
		} else if (c == ' ') {
			out[o++] = '+';
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (o >= n)
		return -1;
	out[o] = 0;
	return (int)o;
}

/* The host part of schemeless text: up to '/', '?' or '#', without a
 * trailing ":digits". */
static bool looks_like_host(const char *s)
{
	const char *end = s + strcspn(s, "/?#");
	size_t hl = (size_t)(end - s);
	const char *colon = memchr(s, ':', hl);
	if (colon) {
		size_t pl = hl - (size_t)(colon - s) - 1;
		if (!pl || strspn(colon + 1, "0123456789") < pl)
			return false;
		hl = (size_t)(colon - s);
	}
	uint32_t a;
	if (hl == 9 && !strncmp(s, "localhost", 9))
		return true;
	if (parse_ipv4(s, hl, &a))
		return true;
	const char *dot = NULL;
	for (size_t i = 0; i < hl; i++)
		if (s[i] == '.')
			dot = s + i;
	if (!dot || check_name(s, hl) < hl)
		return false;
	size_t tl = hl - (size_t)(dot - s) - 1;
	for (size_t i = 1; i <= tl; i++)
		if (!is_alpha((unsigned char)dot[i]))
			return false;
	return tl >= 2;
}

enum ww_url_input ww_url_classify(const char *input)
{
	while (is_space((unsigned char)*input))
		input++;
	size_t n = strlen(input);
	while (n && is_space((unsigned char)input[n - 1]))
		n--;
	size_t sl = scheme_len(input);
	if (sl && sl + 3 <= n && !strncmp(input + sl, "://", 3))
		return WW_INPUT_URL;
	for (size_t i = 0; i < n; i++)
		if (is_space((unsigned char)input[i]))
			return WW_INPUT_SEARCH;
	char word[WW_URL_MAX];
	if (!n || n >= sizeof word)
		return WW_INPUT_SEARCH;
	for (size_t i = 0; i < n; i++)
		word[i] = (char)lower((unsigned char)input[i]);
	word[n] = 0;
	return looks_like_host(word) ? WW_INPUT_URL : WW_INPUT_SEARCH;
}

int ww_url_from_input(const char *input, struct ww_url *u, struct ww_error *err)
{
	char text[WW_URL_MAX], term[WW_URL_MAX];
	while (is_space((unsigned char)*input))
		input++;
	size_t n = strlen(input);
	while (n && is_space((unsigned char)input[n - 1]))
		n--;
	if (n >= sizeof term)
		return url_error(err, "url", 0, "input of %zu bytes is too long", n);
	memcpy(term, input, n);
	term[n] = 0;
	enum ww_url_input kind = ww_url_classify(term);
	int r;
	if (kind == WW_INPUT_SEARCH) {
		char enc[WW_URL_MAX];
		r = ww_url_form_encode(term, enc, sizeof enc) < 0 ? -1
			: put(text, sizeof text, "%s%s", WW_URL_SEARCH_PREFIX, enc);
	} else {
		size_t sl = scheme_len(term);
		bool has_scheme = sl && !strncmp(term + sl, "://", 3);
		r = put(text, sizeof text, "%s%s", has_scheme ? "" : "http://", term);
	}
	if (r < 0)
		return url_error(err, "url", 0, "input too long for a URL");
	return ww_url_parse(text, u, err) ? -1 : (int)kind;
}

/* RFC 3986 §5.2: a reference split into its five parts (Appendix B). */
struct span { const char *p; size_t n; bool has; };
struct uri_parts { struct span scheme, authority, path, query, fragment; };

static void split_uri(const char *s, struct uri_parts *r)
{
	memset(r, 0, sizeof *r);
	size_t sl = scheme_len(s);
	if (sl) {
		r->scheme = (struct span){ s, sl, true };
		s += sl + 1;
	}
	if (s[0] == '/' && s[1] == '/') {
		s += 2;
		size_t n = strcspn(s, "/?#");
		r->authority = (struct span){ s, n, true };
		s += n;
	}
	size_t n = strcspn(s, "?#");
	r->path = (struct span){ s, n, true };
	s += n;
	if (*s == '?') {
		n = strcspn(++s, "#");
		r->query = (struct span){ s, n, true };
		s += n;
	}
	if (*s == '#')
		r->fragment = (struct span){ s + 1, strlen(s + 1), true };
}

/* RFC 3986 §5.2.4, in place: IN is consumed, OUT (at least as large) is
 * the result. */
static void remove_dot_segments(char *in, char *out)
{
	size_t o = 0;
	while (*in) {
		if (!strncmp(in, "../", 3)) {
			in += 3;
		} else if (!strncmp(in, "./", 2)) {
			in += 2;
		} else if (!strncmp(in, "/./", 3)) {
			in += 2;
		} else if (!strcmp(in, "/.")) {
			in[1] = 0; /* becomes "/" */
		} else if (!strncmp(in, "/../", 4) || !strcmp(in, "/..")) {
			in += in[3] ? 3 : 2;
			in[0] = '/';
			while (o && out[o - 1] != '/')
				o--;
			if (o)
				o--;
		} else if (!strcmp(in, ".") || !strcmp(in, "..")) {
			break;
		} else {
			do
				out[o++] = *in++;
			while (*in && *in != '/');
		}
	}
	out[o] = 0;
}

/* Dot segments removed from A followed by B. */
static int clean_path(struct span a, struct span b, char *out, size_t cap)
{
	char tmp[WW_URL_MAX];
	if (a.n + b.n >= sizeof tmp || a.n + b.n >= cap)
		return -1;
	memcpy(tmp, a.p, a.n);
	memcpy(tmp + a.n, b.p, b.n);
	tmp[a.n + b.n] = 0;
	remove_dot_segments(tmp, out);
	return 0;
}

int ww_url_resolve_text(const char *base, const char *ref, char *out, size_t n, struct ww_error *err)
{
	struct uri_parts b, r, t;
	char path[WW_URL_MAX];
	split_uri(base, &b);
	split_uri(ref, &r);
	if (!b.scheme.has)
		return url_error(err, "url.reference", 0, "base \"%.40s\" is not absolute", base);
	struct span none = { "", 0, false }, slash = { "/", 1, true };
	int bad = 0;
	t = r;
	if (r.scheme.has) {
		bad = clean_path(none, r.path, path, sizeof path);
	} else {
		t.scheme = b.scheme;
		if (r.authority.has) {
			bad = clean_path(none, r.path, path, sizeof path);
		} else {
			t.authority = b.authority;
			if (!r.path.n) {
				bad = clean_path(none, b.path, path, sizeof path);
				if (!r.query.has)
					t.query = b.query;
			} else if (r.path.p[0] == '/') {
				bad = clean_path(none, r.path, path, sizeof path);
			} else if (b.authority.has && !b.path.n) { /* §5.2.3 merge */
				bad = clean_path(slash, r.path, path, sizeof path);
			} else {
				const char *last = memrchr(b.path.p, '/', b.path.n);
				struct span dir = { b.path.p, last ? (size_t)(last - b.path.p) + 1 : 0, true };
				bad = clean_path(dir, r.path, path, sizeof path);
			}
		}
	}
	if (bad || put(out, n, "%.*s:%s%.*s%s%s%.*s%s%.*s", (int)t.scheme.n, t.scheme.p,
		       t.authority.has ? "//" : "", (int)t.authority.n, t.authority.p, path,
		       t.query.has ? "?" : "", (int)t.query.n, t.query.p,
		       t.fragment.has ? "#" : "", (int)t.fragment.n, t.fragment.p) < 0)
		return url_error(err, "url.reference", 0, "resolved URL longer than %zu bytes", n ? n - 1 : 0);
	return (int)strlen(out);
}

int ww_url_resolve(const struct ww_url *base, const char *location, struct ww_url *out,
		   struct ww_error *err)
{
	char b[WW_URL_MAX * 3], res[WW_URL_MAX];
	if (format_url(base, false, b, sizeof b) < 0)
		return url_error(err, "url", 0, "base URL too long");
	while (is_space((unsigned char)*location))
		location++;
	if (ww_url_resolve_text(b, location, res, sizeof res, err) < 0)
		return -1;
	return ww_url_parse(res, out, err);
}
