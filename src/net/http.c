/* HTTP/1.1 requests and the response head: status line, header fields and
 * the framing they decide (RFC 9112 §4, §5, §6.3). The body, chunked
 * framing and content decoding are in http_body.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ww/http.h"

/* ---- request ---- */

static bool has_crlf(const char *s) { return s && strpbrk(s, "\r\n") != NULL; }

struct out {
	char *buf;
	size_t cap, len;
	bool full;
};

static void put(struct out *o, const void *s, size_t n)
{
	if (o->full || o->cap - o->len < n) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

static void field(struct out *o, const char *name, const char *value)
{
	puts_(o, name);
	puts_(o, ": ");
	puts_(o, value);
	puts_(o, "\r\n");
}

static bool req_valid(const struct ww_http_req *r)
{
	if (!r->host || !r->host[0] || has_crlf(r->host) || has_crlf(r->method) ||
	    has_crlf(r->path) || has_crlf(r->accept) || has_crlf(r->accept_encoding) ||
	    has_crlf(r->connection) || has_crlf(r->content_type))
		return false;
	if ((r->method && strpbrk(r->method, " \t")) || (r->path && strpbrk(r->path, " \t")))
		return false;
	for (size_t i = 0; i < r->n_extra; i++)
		if (!r->extra[i].name || !r->extra[i].value || has_crlf(r->extra[i].name) ||
		    has_crlf(r->extra[i].value) || strpbrk(r->extra[i].name, " \t:"))
			return false;
	return true;
}

size_t ww_http_request(const struct ww_http_req *r, char *buf, size_t cap)
{
	if (!req_valid(r))
		return 0;
	const char *method = r->method ? r->method : "GET";
	struct out o = { .buf = buf, .cap = cap };
	puts_(&o, method);
	puts_(&o, " ");
	puts_(&o, r->path ? r->path : "/");
	puts_(&o, " HTTP/1.1\r\n");
	field(&o, "Host", r->host);
	field(&o, "User-Agent", WW_HTTP_USER_AGENT);
	field(&o, "Accept", r->accept ? r->accept : "*/*");
	if (!r->accept_encoding || r->accept_encoding[0])
		field(&o, "Accept-Encoding", r->accept_encoding ? r->accept_encoding : "gzip, deflate");
	field(&o, "Connection", r->connection ? r->connection : "keep-alive");
	for (size_t i = 0; i < r->n_extra; i++)
		field(&o, r->extra[i].name, r->extra[i].value);
	/* RFC 9110 §8.6: a POST or PUT without a body still says Content-Length: 0. */
	bool body = r->body_len > 0 || !strcmp(method, "POST") || !strcmp(method, "PUT");
	if (body) {
		char n[24];
		snprintf(n, sizeof n, "%zu", r->body_len);
		if (r->content_type)
			field(&o, "Content-Type", r->content_type);
		field(&o, "Content-Length", n);
	}
	puts_(&o, "\r\n");
	if (r->body_len)
		put(&o, r->body, r->body_len);
	if (o.full)
		return 0;
	if (o.len < cap)
		buf[o.len] = '\0';
	return o.len;
}

/* ---- parser state ---- */

int ww_http_fail(struct ww_http_resp *p, struct ww_http_error *err, enum ww_http_err code,
		 const char *what, uint64_t offset, const char *fmt, ...)
{
	if (p->state != WW_HTTP_ERROR) {
		struct ww_http_error *e = &p->error;
		e->code = code;
		e->what = what;
		e->offset = offset;
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < sizeof e->msg)
			snprintf(e->msg + n, sizeof e->msg - (size_t)n, " at byte %llu",
				 (unsigned long long)offset);
		p->state = WW_HTTP_ERROR;
	}
	if (err)
		*err = p->error;
	return -1;
}

static void clear_message(struct ww_http_resp *p)
{
	p->state = WW_HTTP_STATUS_LINE;
	p->version_minor = 0;
	p->status = 0;
	p->reason = "";
	p->framing = WW_HTTP_NO_BODY;
	p->coding = WW_HTTP_IDENTITY;
	p->content_length = 0;
	p->keep_alive = false;
	p->charset[0] = '\0';
	p->body_wire = p->body_len = 0;
	p->nhdr = 0;
	p->left = 0;
	p->line_start = p->line_len = p->header_bytes = p->used = 0;
	p->chunk_digits = p->chunk_cr = false;
	p->z_done = false;
	p->z_nhead = 0;
	memset(&p->error, 0, sizeof p->error);
}

void ww_http_resp_init(struct ww_http_resp *p)
{
	memset(p, 0, offsetof(struct ww_http_resp, store));
	p->chunk_max = WW_HTTP_CHUNK_MAX;
	clear_message(p);
}

void ww_http_resp_free(struct ww_http_resp *p)
{
	if (p->z_on)
		inflateEnd(&p->z);
	p->z_on = false;
}

void ww_http_resp_reset(struct ww_http_resp *p)
{
	ww_http_resp_free(p);
	clear_message(p);
	p->head = false;
	p->off = 0;
}

/* ---- lines ---- */

/* Gathers one line into store. 1: a line is at store[line_start],
 * NUL-terminated, CR stripped, line_len long; 0: the bytes ran out; -1. */
static int gather_line(struct ww_http_resp *p, const uint8_t *d, size_t len, size_t *i,
		       struct ww_http_error *err)
{
	while (*i < len) {
		uint8_t b = d[*i];
		if (++p->header_bytes > WW_HTTP_HEADER_BYTES_MAX)
			return ww_http_fail(p, err, WW_HTTP_E_HEADERS_TOO_LARGE, "header-section", p->off,
					    "header section over the limit of %d bytes",
					    WW_HTTP_HEADER_BYTES_MAX);
		char *line = p->store + p->line_start;
		if (b == '\n') {
			(*i)++;
			p->off++;
			if (p->line_len && line[p->line_len - 1] == '\r')
				p->line_len--;
			line[p->line_len] = '\0';
			return 1;
		}
		bool room = p->line_len < WW_HTTP_LINE_MAX || (p->line_len == WW_HTTP_LINE_MAX && b == '\r');
		if (!room)
			return ww_http_fail(p, err, WW_HTTP_E_LINE_TOO_LONG, "line", p->off,
					    "line longer than the limit of %d bytes", WW_HTTP_LINE_MAX);
		if (p->line_start + p->line_len + 2 >= sizeof p->store)
			return ww_http_fail(p, err, WW_HTTP_E_HEADERS_TOO_LARGE, "header-section", p->off,
					    "header section over the limit of %d bytes",
					    WW_HTTP_HEADER_BYTES_MAX);
		line[p->line_len++] = (char)b;
		(*i)++;
		p->off++;
	}
	return 0;
}

static void next_line(struct ww_http_resp *p)
{
	p->line_start = p->used;
	p->line_len = 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* RFC 9112 §4: HTTP-version SP 3DIGIT SP [reason-phrase]. The SP before an
 * empty reason is often left out; that is accepted. */
static int status_line(struct ww_http_resp *p, struct ww_http_error *err)
{
	char *s = p->store + p->line_start;
	size_t n = p->line_len;
	uint64_t at = p->off - n - 1;
	if (n < 5 || memcmp(s, "HTTP/", 5))
		return ww_http_fail(p, err, WW_HTTP_E_STATUS_LINE, "status-line", at,
				    "status line does not start with \"HTTP/\"");
	if (n < 8 || s[5] != '1' || s[6] != '.' || !is_digit(s[7]))
		return ww_http_fail(p, err, WW_HTTP_E_STATUS_LINE, "status-line.version", at + 5,
				    "status line version is not HTTP/1.x");
	if (n < 12 || s[8] != ' ' || !is_digit(s[9]) || !is_digit(s[10]) || !is_digit(s[11]) ||
	    (n > 12 && s[12] != ' '))
		return ww_http_fail(p, err, WW_HTTP_E_STATUS_LINE, "status-line.code", at + 9,
				    "status code is not three digits after one space");
	if (s[9] == '0')
		return ww_http_fail(p, err, WW_HTTP_E_STATUS_LINE, "status-line.code", at + 9,
				    "status code %.3s is below 100", s + 9);
	for (size_t k = 13; k < n; k++)
		if (((unsigned char)s[k] < 0x20 && s[k] != '\t') || s[k] == 0x7f)
			return ww_http_fail(p, err, WW_HTTP_E_STATUS_LINE, "status-line.reason", at + k,
					    "control byte 0x%02x in the reason phrase", (unsigned char)s[k]);
	p->version_minor = s[7] - '0';
	p->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	p->reason = n > 12 ? s + 13 : s + n;
	p->used = p->line_start + n + 1;
	return 0;
}

static bool tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* RFC 9112 §5: field-name ":" OWS field-value OWS. */
static int header_line(struct ww_http_resp *p, bool trailer, struct ww_http_error *err)
{
	char *s = p->store + p->line_start;
	size_t n = p->line_len;
	uint64_t at = p->off - n - 1;
	if (s[0] == ' ' || s[0] == '\t')
		return ww_http_fail(p, err, WW_HTTP_E_HEADER, "field-line", at,
				    "obsolete line folding (a line starting with whitespace)");
	char *colon = memchr(s, ':', n);
	if (!colon)
		return ww_http_fail(p, err, WW_HTTP_E_HEADER, "field-line", at,
				    "header line without a colon");
	if (colon == s)
		return ww_http_fail(p, err, WW_HTTP_E_HEADER, "field-name", at, "empty header name");
	for (char *c = s; c < colon; c++)
		if (!tchar((unsigned char)*c))
			return ww_http_fail(p, err, WW_HTTP_E_HEADER, "field-name", at + (uint64_t)(c - s),
					    "byte 0x%02x in a header name", (unsigned char)*c);
	char *v = colon + 1, *end = s + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (char *c = v; c < end; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
			return ww_http_fail(p, err, WW_HTTP_E_HEADER, "field-value", at + (uint64_t)(c - s),
					    "control byte 0x%02x in the value of %.*s",
					    (unsigned char)*c, (int)(colon - s), s);
	if (p->nhdr == WW_HTTP_HEADERS_MAX)
		return ww_http_fail(p, err, WW_HTTP_E_TOO_MANY_HEADERS, "header-count", at,
				    "more than the limit of %d header fields", WW_HTTP_HEADERS_MAX);
	*colon = '\0';
	*end = '\0';
	struct ww_http_hdr *h = &p->hdr[p->nhdr++];
	h->name = (uint32_t)p->line_start;
	h->value = (uint32_t)(v - p->store);
	h->trailer = trailer;
	p->used = p->line_start + n + 1;
	return 0;
}

/* ---- framing (RFC 9112 §6.3) ---- */

/* The next comma-separated element of *S, trimmed, into OUT. */
static bool next_elem(const char **s, char *out, size_t cap)
{
	const char *c = *s;
	while (*c == ' ' || *c == '\t' || *c == ',')
		c++;
	if (!*c)
		return false;
	const char *e = c;
	while (*e && *e != ',')
		e++;
	const char *t = e;
	while (t > c && (t[-1] == ' ' || t[-1] == '\t'))
		t--;
	size_t n = (size_t)(t - c) < cap - 1 ? (size_t)(t - c) : cap - 1;
	memcpy(out, c, n);
	out[n] = '\0';
	*s = e;
	return true;
}

static bool has_elem(const struct ww_http_resp *p, const char *name, const char *elem)
{
	char e[64];
	for (size_t i = 0; i < p->nhdr; i++) {
		if (strcasecmp(ww_http_hdr_name(p, i), name))
			continue;
		for (const char *s = ww_http_hdr_value(p, i); next_elem(&s, e, sizeof e);)
			if (!strcasecmp(e, elem))
				return true;
	}
	return false;
}

static int transfer_coding(struct ww_http_resp *p, struct ww_http_error *err)
{
	char e[64];
	for (size_t i = 0; i < p->nhdr; i++) {
		if (strcasecmp(ww_http_hdr_name(p, i), "Transfer-Encoding"))
			continue;
		for (const char *s = ww_http_hdr_value(p, i); next_elem(&s, e, sizeof e);) {
			if (strcasecmp(e, "chunked"))
				return ww_http_fail(p, err, WW_HTTP_E_TRANSFER_CODING, "transfer-coding", p->off,
						    "transfer coding \"%.40s\" is not supported", e);
			p->framing = WW_HTTP_CHUNKED;
		}
	}
	return 0;
}

static int content_length(struct ww_http_resp *p, struct ww_http_error *err)
{
	char e[64];
	bool seen = false;
	for (size_t i = 0; i < p->nhdr; i++) {
		if (strcasecmp(ww_http_hdr_name(p, i), "Content-Length"))
			continue;
		const char *s = ww_http_hdr_value(p, i);
		if (!*s)
			return ww_http_fail(p, err, WW_HTTP_E_CONTENT_LENGTH, "content-length", p->off,
					    "empty Content-Length");
		while (next_elem(&s, e, sizeof e)) {
			uint64_t v = 0;
			size_t k = 0;
			for (; is_digit(e[k]); k++) {
				if (v > (UINT64_MAX - 9) / 10)
					return ww_http_fail(p, err, WW_HTTP_E_CONTENT_LENGTH, "content-length",
							    p->off, "Content-Length %.40s is too large", e);
				v = v * 10 + (uint64_t)(e[k] - '0');
			}
			if (k == 0 || e[k])
				return ww_http_fail(p, err, WW_HTTP_E_CONTENT_LENGTH, "content-length", p->off,
						    "Content-Length \"%.40s\" is not a number", e);
			if (seen && v != p->content_length)
				return ww_http_fail(p, err, WW_HTTP_E_CONTENT_LENGTH, "content-length", p->off,
						    "conflicting Content-Length values %llu and %llu",
						    (unsigned long long)p->content_length,
						    (unsigned long long)v);
			seen = true;
			p->content_length = v;
		}
	}
	if (seen)
		p->framing = WW_HTTP_LENGTH;
	return 0;
}

static int content_coding(struct ww_http_resp *p, struct ww_http_error *err)
{
	char e[64];
	for (size_t i = 0; i < p->nhdr; i++) {
		if (strcasecmp(ww_http_hdr_name(p, i), "Content-Encoding"))
			continue;
		for (const char *s = ww_http_hdr_value(p, i); next_elem(&s, e, sizeof e);) {
			enum ww_http_coding c;
			if (!strcasecmp(e, "identity"))
				continue;
			if (!strcasecmp(e, "gzip") || !strcasecmp(e, "x-gzip"))
				c = WW_HTTP_GZIP;
			else if (!strcasecmp(e, "deflate"))
				c = WW_HTTP_DEFLATE;
			else
				return ww_http_fail(p, err, WW_HTTP_E_CONTENT_CODING, "content-coding", p->off,
						    "content coding \"%.40s\" is not supported", e);
			if (p->coding != WW_HTTP_IDENTITY)
				return ww_http_fail(p, err, WW_HTTP_E_CONTENT_CODING, "content-coding", p->off,
						    "more than one content coding");
			p->coding = c;
		}
	}
	return 0;
}

/* The empty line after the fields: decide how the body is framed. */
static int end_of_head(struct ww_http_resp *p, struct ww_http_error *err)
{
	/* 1xx other than 101: an interim response, the real one follows. */
	if (p->status / 100 == 1 && p->status != 101) {
		bool head = p->head;
		uint64_t off = p->off;
		clear_message(p);
		p->head = head;
		p->off = off;
		return 0;
	}
	if (p->version_minor >= 1)
		p->keep_alive = !has_elem(p, "Connection", "close");
	else
		p->keep_alive = has_elem(p, "Connection", "keep-alive");
	const char *ct = ww_http_header(p, "Content-Type");
	ww_http_charset(ct ? ct : "", p->charset, sizeof p->charset);
	p->framing = WW_HTTP_UNTIL_CLOSE;
	if (p->head || p->status / 100 == 1 || p->status == 204 || p->status == 304) {
		p->framing = WW_HTTP_NO_BODY;
	} else if (ww_http_header(p, "Transfer-Encoding")) {
		/* Transfer-Encoding overrides Content-Length (RFC 9112 §6.3 item 3). */
		if (transfer_coding(p, err))
			return -1;
		if (p->framing != WW_HTTP_CHUNKED)
			p->framing = WW_HTTP_UNTIL_CLOSE;
		p->keep_alive = p->keep_alive && p->framing == WW_HTTP_CHUNKED;
	} else if (content_length(p, err)) {
		return -1;
	}
	if (p->framing == WW_HTTP_UNTIL_CLOSE)
		p->keep_alive = false;
	if (p->framing != WW_HTTP_NO_BODY && content_coding(p, err))
		return -1;
	return ww_http_body_begin(p, err);
}

/* ---- feeding ---- */

static int line_done(struct ww_http_resp *p, struct ww_http_error *err)
{
	if (p->state == WW_HTTP_STATUS_LINE) {
		if (p->line_len == 0) /* RFC 9112 §2.2: empty lines before the start line */
			return 0;
		if (status_line(p, err))
			return -1;
		p->state = WW_HTTP_HEADERS;
	} else if (p->line_len == 0) {
		if (p->state == WW_HTTP_TRAILERS) {
			if (ww_http_body_finish(p, err))
				return -1;
			p->state = WW_HTTP_DONE;
			return 0;
		}
		return end_of_head(p, err);
	} else if (header_line(p, p->state == WW_HTTP_TRAILERS, err)) {
		return -1;
	}
	next_line(p);
	return 0;
}

long ww_http_resp_feed(struct ww_http_resp *p, const uint8_t *data, size_t len,
		       struct ww_http_error *err)
{
	if (p->state == WW_HTTP_ERROR) {
		if (err)
			*err = p->error;
		return -1;
	}
	size_t i = 0;
	while (i < len && p->state != WW_HTTP_DONE) {
		if (p->state == WW_HTTP_STATUS_LINE || p->state == WW_HTTP_HEADERS ||
		    p->state == WW_HTTP_TRAILERS) {
			int r = gather_line(p, data, len, &i, err);
			if (r < 0 || (r == 1 && line_done(p, err)))
				return -1;
			if (r == 1 && p->state == WW_HTTP_STATUS_LINE)
				next_line(p);
		} else {
			long n = ww_http_body_feed(p, data + i, len - i, err);
			if (n < 0)
				return -1;
			i += (size_t)n;
		}
	}
	if (err)
		memset(err, 0, sizeof *err);
	return (long)i;
}

int ww_http_resp_eof(struct ww_http_resp *p, struct ww_http_error *err)
{
	switch (p->state) {
	case WW_HTTP_DONE:
		return 0;
	case WW_HTTP_ERROR:
		if (err)
			*err = p->error;
		return -1;
	case WW_HTTP_BODY_CLOSE:
		if (ww_http_body_finish(p, err))
			return -1;
		p->state = WW_HTTP_DONE;
		return 0;
	case WW_HTTP_STATUS_LINE:
		return ww_http_fail(p, err, WW_HTTP_E_TRUNCATED, "status-line", p->off,
				    "connection closed before the status line ended");
	case WW_HTTP_HEADERS:
		return ww_http_fail(p, err, WW_HTTP_E_TRUNCATED, "header-section", p->off,
				    "connection closed inside the header section");
	default:
		return ww_http_fail(p, err, WW_HTTP_E_TRUNCATED, "body", p->off,
				    "connection closed after %llu body bytes, before the body ended",
				    (unsigned long long)p->body_wire);
	}
}

/* ---- fields ---- */

const char *ww_http_hdr_name(const struct ww_http_resp *p, size_t i)
{
	return i < p->nhdr ? p->store + p->hdr[i].name : NULL;
}

const char *ww_http_hdr_value(const struct ww_http_resp *p, size_t i)
{
	return i < p->nhdr ? p->store + p->hdr[i].value : NULL;
}

const char *ww_http_header(const struct ww_http_resp *p, const char *name)
{
	for (size_t i = 0; i < p->nhdr; i++)
		if (!strcasecmp(ww_http_hdr_name(p, i), name))
			return ww_http_hdr_value(p, i);
	return NULL;
}
