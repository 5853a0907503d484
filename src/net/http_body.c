/* The HTTP/1.1 response body: Content-Length, the chunked transfer coding
 * (RFC 9112 §7.1) and read-until-close framing, then Content-Encoding gzip
 * or deflate (RFC 9110 §8.4.1) undone with zlib as the bytes arrive, then
 * the decoded bytes handed to the caller's callback or buffer. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "ww/http.h"

/* ---- the sink ---- */

static int sink(struct ww_http_resp *p, const uint8_t *d, size_t n, struct ww_http_error *err)
{
	if (!n)
		return 0;
	if (p->body_fn) {
		if (p->body_fn(p->body_ctx, d, n))
			return ww_http_fail(p, err, WW_HTTP_E_BODY_STOPPED, "body", p->off,
					    "the body receiver stopped after %llu bytes",
					    (unsigned long long)p->body_len);
	} else if (p->body_buf) {
		if (n > p->body_cap - p->body_len)
			return ww_http_fail(p, err, WW_HTTP_E_BODY_TOO_LARGE, "body", p->off,
					    "decoded body over the buffer of %zu bytes", p->body_cap);
		memcpy(p->body_buf + p->body_len, d, n);
	}
	p->body_len += n;
	return 0;
}

/* ---- content decoding ---- */

/* A zlib stream starts with CMF FLG: method 8 and a multiple of 31
 * (RFC 1950 §2.2). Servers that say "deflate" send either that or raw
 * deflate (RFC 1951); browsers tell them apart by these two bytes. */
static bool zlib_header(const uint8_t *h) { return (h[0] & 0x0f) == 8 && ((h[0] << 8) | h[1]) % 31 == 0; }

static int z_start(struct ww_http_resp *p, struct ww_http_error *err)
{
	bool gz = p->z_nhead == 2 && p->z_head[0] == 0x1f && p->z_head[1] == 0x8b;
	bool zl = p->z_nhead == 2 && zlib_header(p->z_head);
	memset(&p->z, 0, sizeof p->z);
	/* 15 + 32: zlib or gzip, detected from the header; -15: raw deflate. */
	if (inflateInit2(&p->z, gz || zl ? 15 + 32 : -15) != Z_OK)
		return ww_http_fail(p, err, WW_HTTP_E_DECODE, "content-coding", p->off,
				    "zlib could not start");
	p->z_on = true;
	return 0;
}

static int z_feed(struct ww_http_resp *p, const uint8_t *d, size_t n, struct ww_http_error *err)
{
	uint8_t out[4096];
	p->z.next_in = (Bytef *)(uintptr_t)d;
	p->z.avail_in = (uInt)n;
	while (!p->z_done) {
		p->z.next_out = out;
		p->z.avail_out = sizeof out;
		int r = inflate(&p->z, Z_NO_FLUSH);
		if (r == Z_STREAM_END)
			p->z_done = true;
		else if (r != Z_OK && r != Z_BUF_ERROR)
			return ww_http_fail(p, err, WW_HTTP_E_DECODE, "content-coding", p->off,
					    "%s body does not decode: %s",
					    p->coding == WW_HTTP_GZIP ? "gzip" : "deflate",
					    p->z.msg ? p->z.msg : "zlib error");
		if (sink(p, out, sizeof out - p->z.avail_out, err))
			return -1;
		if (p->z.avail_in == 0 && p->z.avail_out != 0)
			break;
		if (r == Z_BUF_ERROR && p->z.avail_out != 0)
			break;
	}
	/* Bytes after the end of the stream are ignored, as browsers do. */
	return 0;
}

static int decode(struct ww_http_resp *p, const uint8_t *d, size_t n, struct ww_http_error *err)
{
	if (p->coding == WW_HTTP_IDENTITY)
		return sink(p, d, n, err);
	if (p->z_done)
		return 0;
	if (!p->z_on) {
		while (n && p->z_nhead < 2) {
			p->z_head[p->z_nhead++] = *d++;
			n--;
		}
		if (p->z_nhead < 2)
			return 0;
		if (z_start(p, err) || z_feed(p, p->z_head, 2, err))
			return -1;
	}
	return n ? z_feed(p, d, n, err) : 0;
}

/* Body bytes as framed on the wire, chunk framing removed. */
static int deliver(struct ww_http_resp *p, const uint8_t *d, size_t n, struct ww_http_error *err)
{
	p->body_wire += n;
	return decode(p, d, n, err);
}

int ww_http_body_begin(struct ww_http_resp *p, struct ww_http_error *err)
{
	p->left = 0;
	p->line_len = 0;
	p->chunk_digits = p->chunk_cr = false;
	switch (p->framing) {
	case WW_HTTP_NO_BODY:
		p->state = WW_HTTP_DONE;
		return 0;
	case WW_HTTP_LENGTH:
		p->left = p->content_length;
		p->state = WW_HTTP_BODY_LENGTH;
		if (p->left == 0) {
			if (ww_http_body_finish(p, err))
				return -1;
			p->state = WW_HTTP_DONE;
		}
		return 0;
	case WW_HTTP_CHUNKED:
		p->state = WW_HTTP_CHUNK_SIZE;
		return 0;
	case WW_HTTP_UNTIL_CLOSE:
		p->state = WW_HTTP_BODY_CLOSE;
		return 0;
	}
	return 0;
}

/* The body ended: a compressed one must have ended its stream too. */
int ww_http_body_finish(struct ww_http_resp *p, struct ww_http_error *err)
{
	if (p->coding == WW_HTTP_IDENTITY || p->body_wire == 0 || p->z_done)
		return 0;
	if (!p->z_on && (z_start(p, err) || z_feed(p, p->z_head, p->z_nhead, err)))
		return -1;
	if (!p->z_done)
		return ww_http_fail(p, err, WW_HTTP_E_DECODE, "content-coding", p->off,
				    "%s body ends before its compressed stream does",
				    p->coding == WW_HTTP_GZIP ? "gzip" : "deflate");
	return 0;
}

/* ---- chunked framing ---- */

static int hexval(uint8_t b)
{
	if (b >= '0' && b <= '9')
		return b - '0';
	b |= 0x20;
	return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
}

static int chunk_size_end(struct ww_http_resp *p, struct ww_http_error *err)
{
	if (!p->chunk_digits)
		return ww_http_fail(p, err, WW_HTTP_E_CHUNK_SIZE, "chunk-size", p->off,
				    "chunk-size line without a hex digit");
	p->chunk_cr = false;
	p->line_len = 0;
	if (p->left == 0) {
		/* The last chunk: trailer fields follow, then an empty line. */
		p->state = WW_HTTP_TRAILERS;
		p->line_start = p->used;
	} else {
		p->state = WW_HTTP_CHUNK_DATA;
	}
	return 0;
}

/* One byte of a chunk-size line (RFC 9112 §7.1): 1*HEXDIG [ chunk-ext ] CRLF. */
static int chunk_line_byte(struct ww_http_resp *p, uint8_t b, struct ww_http_error *err)
{
	if (++p->line_len > WW_HTTP_LINE_MAX + 2)
		return ww_http_fail(p, err, WW_HTTP_E_LINE_TOO_LONG, "chunk-size", p->off,
				    "chunk-size line longer than the limit of %d bytes", WW_HTTP_LINE_MAX);
	if (b == '\n')
		return chunk_size_end(p, err);
	if (p->chunk_cr)
		return ww_http_fail(p, err, WW_HTTP_E_CHUNK_SIZE, "chunk-size", p->off,
				    "byte 0x%02x after CR in a chunk-size line", b);
	if (b == '\r') {
		p->chunk_cr = true;
		return 0;
	}
	if (p->state == WW_HTTP_CHUNK_EXT) /* extensions are ignored */
		return 0;
	int h = hexval(b);
	if (h >= 0) {
		if (p->left > (p->chunk_max - (uint64_t)h) / 16)
			return ww_http_fail(p, err, WW_HTTP_E_CHUNK_TOO_LARGE, "chunk-size", p->off,
					    "chunk larger than the limit of %llu bytes",
					    (unsigned long long)p->chunk_max);
		p->left = p->left * 16 + (uint64_t)h;
		p->chunk_digits = true;
		return 0;
	}
	if ((b == ';' || b == ' ' || b == '\t') && p->chunk_digits) {
		p->state = WW_HTTP_CHUNK_EXT;
		return 0;
	}
	if (b >= 0x21 && b < 0x7f)
		return ww_http_fail(p, err, WW_HTTP_E_CHUNK_SIZE, "chunk-size", p->off,
				    "'%c' is not a hex digit in a chunk size", b);
	return ww_http_fail(p, err, WW_HTTP_E_CHUNK_SIZE, "chunk-size", p->off,
			    "byte 0x%02x is not a hex digit in a chunk size", b);
}

static int chunk_crlf_byte(struct ww_http_resp *p, uint8_t b, struct ww_http_error *err)
{
	if (b == '\r' && !p->chunk_cr) {
		p->chunk_cr = true;
		return 0;
	}
	if (b != '\n')
		return ww_http_fail(p, err, WW_HTTP_E_CHUNK_END, "chunk-data", p->off,
				    "byte 0x%02x where CRLF should end the chunk data", b);
	p->state = WW_HTTP_CHUNK_SIZE;
	p->chunk_cr = p->chunk_digits = false;
	p->line_len = 0;
	p->left = 0;
	return 0;
}

/* Consumes body bytes in the body states; the trailer section is lines,
 * handled with the header fields. */
long ww_http_body_feed(struct ww_http_resp *p, const uint8_t *d, size_t len,
		       struct ww_http_error *err)
{
	size_t i = 0;
	while (i < len) {
		enum ww_http_state s = p->state;
		if (s == WW_HTTP_BODY_LENGTH || s == WW_HTTP_CHUNK_DATA || s == WW_HTTP_BODY_CLOSE) {
			size_t n = len - i;
			if (s != WW_HTTP_BODY_CLOSE && p->left < n)
				n = (size_t)p->left;
			if (deliver(p, d + i, n, err))
				return -1;
			i += n;
			p->off += n;
			if (s == WW_HTTP_BODY_CLOSE)
				continue;
			p->left -= n;
			if (p->left)
				continue;
			if (s == WW_HTTP_CHUNK_DATA) {
				p->state = WW_HTTP_CHUNK_CRLF;
				p->chunk_cr = false;
				continue;
			}
			if (ww_http_body_finish(p, err))
				return -1;
			p->state = WW_HTTP_DONE;
			return (long)i;
		}
		int r;
		if (s == WW_HTTP_CHUNK_SIZE || s == WW_HTTP_CHUNK_EXT)
			r = chunk_line_byte(p, d[i], err);
		else if (s == WW_HTTP_CHUNK_CRLF)
			r = chunk_crlf_byte(p, d[i], err);
		else
			return (long)i; /* trailers, done: not ours */
		if (r)
			return -1;
		i++;
		p->off++;
		if (p->state == WW_HTTP_TRAILERS)
			return (long)i;
	}
	return (long)i;
}

/* ---- charset ---- */

char *ww_http_charset(const char *ct, char *out, size_t cap)
{
	out[0] = '\0';
	const char *s = strchr(ct, ';');
	while (s) {
		s++;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncasecmp(s, "charset", 7)) {
			const char *v = s + 7;
			while (*v == ' ' || *v == '\t')
				v++;
			if (*v == '=') {
				v++;
				while (*v == ' ' || *v == '\t')
					v++;
				bool quoted = *v == '"';
				v += quoted;
				size_t n = 0;
				while (v[n] && n + 1 < cap &&
				       (quoted ? v[n] != '"' : !strchr(" \t;,", v[n]))) {
					out[n] = (char)tolower((unsigned char)v[n]);
					n++;
				}
				out[n] = '\0';
				return out;
			}
		}
		/* Skip this parameter, minding a quoted value with a ';' in it. */
		bool q = false;
		while (*s && (q || *s != ';')) {
			if (*s == '"')
				q = !q;
			else if (*s == '\\' && q && s[1])
				s++;
			s++;
		}
		s = *s ? s : NULL;
	}
	return out;
}
