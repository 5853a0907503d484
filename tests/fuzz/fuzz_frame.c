/* Any bytes as an Ethernet frame: dissect, then run every view. Beyond
 * "no crash", what each view writes must hold for every input:
 *  - without colour no view writes an escape or another control byte (a
 *    DNS name holding ESC [ 2 J must not clear a person's terminal);
 *  - the summary is exactly one line;
 *  - the JSON is one valid JSON value (RFC 8259), valid UTF-8, no newline. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/view.h"

struct json {
	const unsigned char *p, *end;
	int depth;
};

static int json_value(struct json *j);

static void ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int lit(struct json *j, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

/* One UTF-8 sequence (RFC 3629): returns bytes taken, 0 if malformed.
 * With NO_C1, C1 controls (U+0080..U+009F, obeyed by some terminals) count
 * as malformed too. */
static size_t utf8_seq(const unsigned char *p, size_t n, int no_c1)
{
	if (p[0] < 0x80)
		return 1;
	size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc0 ? 2 : 0;
	if (len == 0 || len > n || p[0] > 0xf4)
		return 0;
	uint32_t cp = p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (no_c1 && cp >= 0x80 && cp <= 0x9f)
		return 0;
	return len;
}

static size_t utf8(const unsigned char *p, size_t n)
{
	return utf8_seq(p, n, 0);
}

static int json_string(struct json *j)
{
	if (lit(j, "\"") < 0)
		return -1;
	while (j->p < j->end) {
		unsigned char c = *j->p;
		if (c == '"') {
			j->p++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (j->end - j->p < 2)
				return -1;
			unsigned char e = j->p[1];
			if (e == 'u') {
				if (j->end - j->p < 6)
					return -1;
				for (int i = 2; i < 6; i++)
					if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
						return -1;
				j->p += 6;
			} else if (strchr("\"\\/bfnrt", e) && e) {
				j->p += 2;
			} else {
				return -1;
			}
			continue;
		}
		size_t n = utf8(j->p, (size_t)(j->end - j->p));
		if (n == 0)
			return -1;
		j->p += n;
	}
	return -1;
}

static int digits(struct json *j)
{
	const unsigned char *s = j->p;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s ? 0 : -1;
}

static int json_number(struct json *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (digits(j) < 0)
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (digits(j) < 0)
			return -1;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (digits(j) < 0)
			return -1;
	}
	return 0;
}

static int json_members(struct json *j, char close, int object)
{
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		if (object) {
			if (json_string(j) < 0)
				return -1;
			ws(j);
			if (lit(j, ":") < 0)
				return -1;
		}
		if (json_value(j) < 0)
			return -1;
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			ws(j);
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		return -1;
	}
}

static int json_value(struct json *j)
{
	ws(j);
	if (j->p >= j->end || ++j->depth > 64)
		return -1;
	int rc;
	switch (*j->p) {
	case '{':
		rc = json_members(j, '}', 1);
		break;
	case '[':
		rc = json_members(j, ']', 0);
		break;
	case '"':
		rc = json_string(j);
		break;
	case 't':
		rc = lit(j, "true");
		break;
	case 'f':
		rc = lit(j, "false");
		break;
	case 'n':
		rc = lit(j, "null");
		break;
	default:
		rc = json_number(j);
	}
	j->depth--;
	return rc;
}

static void check_json(const char *s, size_t n)
{
	struct json j = { (const unsigned char *)s, (const unsigned char *)s + n, 0 };
	if (memchr(s, '\n', n) || json_value(&j) < 0 || (ws(&j), j.p != j.end)) {
		fprintf(stderr, "invalid JSON: %.*s\n", (int)n, s);
		abort();
	}
}

/* Plain text: printable bytes, newlines, and UTF-8 (box drawing, "…"). */
static void check_plain(const char *view, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t u = utf8_seq((const unsigned char *)s + i, n - i, 1);
		if ((c < 0x20 && c != '\n') || c == 0x7f || u == 0) {
			fprintf(stderr, "%s view wrote byte 0x%02x at %zu:\n%.*s\n", view, c, i,
				(int)n, s);
			abort();
		}
		i += u;
	}
}

typedef void (*view_fn)(FILE *, const struct ww_dissection *, const struct ww_view_opts *);

static void run_view(const char *name, view_fn fn, const struct ww_dissection *d,
		     const struct ww_view_opts *o, int one_line)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	if (!m)
		abort();
	fn(m, d, o);
	fclose(m);
	check_plain(name, buf, n);
	if (one_line && (n == 0 || buf[n - 1] != '\n' || memchr(buf, '\n', n - 1))) {
		fprintf(stderr, "summary is not one line: %.*s\n", (int)n, buf);
		abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ww_dissection d;
	static FILE *null;
	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	ww_dissect(&d, data, size);

	struct ww_view_opts plain = { .frame_no = 1, .ts = 0.5, .has_dir = true };
	run_view("summary", ww_view_summary, &d, &plain, 1);
	run_view("tree", ww_view_tree, &d, &plain, 0);
	run_view("hex", ww_view_hex, &d, &plain, 0);
	run_view("bar", ww_view_bar, &d, &plain, 0);
	run_view("bits", ww_view_bits, &d, &plain, 0);

	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	if (!m)
		abort();
	ww_view_json(m, &d, 1);
	fclose(m);
	check_json(buf, n);
	free(buf);

	/* The colour paths run too; their output is not checked here. */
	struct ww_view_opts color = plain;
	color.color = true;
	ww_view_summary(null, &d, &color);
	ww_view_tree(null, &d, &color);
	ww_view_hex(null, &d, &color);
	ww_view_bar(null, &d, &color);
	ww_view_bits(null, &d, &color);
	return 0;
}
