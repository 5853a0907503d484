/* HTTP/1.1 messages (RFC 9110 semantics, RFC 9112 syntax): a request
 * builder and an incremental response parser. Nothing here does I/O: the
 * caller hands in the bytes as TCP or TLS delivers them, in pieces of any
 * size, and the parser reports what it has understood so far.
 *
 * The response parser keeps the status line and headers in fixed storage
 * inside struct ww_http_resp (about 70 KB: keep it in static storage or in a
 * longer-lived object, not in a small stack frame). The body is framed by
 * Content-Length, the chunked transfer coding or the closing of the
 * connection; a HEAD response, 1xx, 204 and 304 have none. Content-Encoding
 * gzip and deflate are decoded with zlib as the bytes arrive; the decoded
 * body goes to a callback or into a caller's buffer up to its size.
 *
 * Every limit is a named constant, and a response beyond one is refused with
 * an error naming the limit and the stream offset where it was crossed. */
#ifndef WW_HTTP_H
#define WW_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#define WW_HTTP_USER_AGENT "wirewalk/0.1"

/* Limits (RFC 9112 §2.3 leaves them to the recipient). */
#define WW_HTTP_LINE_MAX 8192          /* one line without its CRLF */
#define WW_HTTP_HEADERS_MAX 100        /* header fields (trailers included) */
#define WW_HTTP_HEADER_BYTES_MAX 65536 /* status line + fields + CRLFs, on the wire */
#define WW_HTTP_CHUNK_MAX (16u << 20)  /* default largest chunk (ww_http_resp.chunk_max) */
#define WW_HTTP_CHARSET_MAX 40

/* A header field given to the request builder. */
struct ww_http_field {
	const char *name, *value;
};

/* A request (RFC 9112 §3). NULL fields take the defaults noted. Header
 * names and values must not contain CR or LF: the builder refuses them
 * rather than let a value start a header of its own. */
struct ww_http_req {
	const char *method;       /* NULL: "GET" */
	const char *path;         /* NULL: "/" */
	const char *host;         /* required (RFC 9112 §3.2) */
	const char *accept;       /* NULL: any media type */
	const char *accept_encoding; /* NULL: "gzip, deflate"; "" leaves it out */
	const char *connection;   /* NULL: "keep-alive" */
	const char *content_type; /* sent with a body; NULL: none */
	const uint8_t *body;      /* sent with Content-Length when body_len > 0 or
	                           * the method is POST or PUT */
	size_t body_len;
	const struct ww_http_field *extra; /* further fields, n_extra of them */
	size_t n_extra;
};

/* Writes the request into BUF and returns its length (a NUL follows it when
 * there is room, not counted). Returns 0 if it does not fit in CAP bytes or
 * a field is missing or holds CR/LF. */
size_t ww_http_request(const struct ww_http_req *r, char *buf, size_t cap);

/* What went wrong. Each names one problem; msg says it for a person with
 * the values involved. */
enum ww_http_err {
	WW_HTTP_E_NONE = 0,
	WW_HTTP_E_STATUS_LINE,      /* not "HTTP/1.x NNN reason" */
	WW_HTTP_E_LINE_TOO_LONG,    /* over WW_HTTP_LINE_MAX */
	WW_HTTP_E_TOO_MANY_HEADERS, /* over WW_HTTP_HEADERS_MAX */
	WW_HTTP_E_HEADERS_TOO_LARGE,/* over WW_HTTP_HEADER_BYTES_MAX */
	WW_HTTP_E_HEADER,           /* a malformed header field line */
	WW_HTTP_E_CONTENT_LENGTH,   /* not digits, or conflicting values */
	WW_HTTP_E_TRANSFER_CODING,  /* a transfer coding other than chunked */
	WW_HTTP_E_CHUNK_SIZE,       /* chunk-size line malformed */
	WW_HTTP_E_CHUNK_TOO_LARGE,  /* over ww_http_resp.chunk_max */
	WW_HTTP_E_CHUNK_END,        /* chunk data not followed by CRLF */
	WW_HTTP_E_CONTENT_CODING,   /* a content coding other than gzip/deflate */
	WW_HTTP_E_DECODE,           /* zlib refused the compressed body */
	WW_HTTP_E_BODY_TOO_LARGE,   /* decoded body over the caller's buffer */
	WW_HTTP_E_BODY_STOPPED,     /* the body callback returned nonzero */
	WW_HTTP_E_TRUNCATED,        /* the connection closed mid-message */
};

struct ww_http_error {
	enum ww_http_err code;
	const char *what;  /* the part at fault: "status-line", "chunk-size", ... */
	uint64_t offset;   /* stream offset of the offending byte */
	char msg[160];     /* "chunk-size: 'g' is not a hex digit at byte 212" */
};

/* Receives decoded body bytes; nonzero stops the parse. */
typedef int (*ww_http_body_fn)(void *ctx, const uint8_t *data, size_t len);

enum ww_http_state {
	WW_HTTP_STATUS_LINE, WW_HTTP_HEADERS, WW_HTTP_BODY_LENGTH, WW_HTTP_BODY_CLOSE,
	WW_HTTP_CHUNK_SIZE, WW_HTTP_CHUNK_EXT, WW_HTTP_CHUNK_DATA, WW_HTTP_CHUNK_CRLF,
	WW_HTTP_TRAILERS, WW_HTTP_DONE, WW_HTTP_ERROR,
};

enum ww_http_framing { WW_HTTP_NO_BODY, WW_HTTP_LENGTH, WW_HTTP_CHUNKED, WW_HTTP_UNTIL_CLOSE };
enum ww_http_coding { WW_HTTP_IDENTITY, WW_HTTP_GZIP, WW_HTTP_DEFLATE };

/* Offsets into ww_http_resp.store of a NUL-terminated name and value. */
struct ww_http_hdr {
	uint32_t name, value;
	bool trailer; /* came after a chunked body (RFC 9112 §7.1.2) */
};

struct ww_http_resp {
	/* Parse results. */
	enum ww_http_state state;
	int version_minor;      /* 1 for HTTP/1.1, 0 for HTTP/1.0 */
	int status;             /* 200 */
	const char *reason;     /* "OK", into store */
	enum ww_http_framing framing;
	enum ww_http_coding coding;
	uint64_t content_length; /* when framing is WW_HTTP_LENGTH */
	bool keep_alive;        /* the connection may carry the next request */
	char charset[WW_HTTP_CHARSET_MAX]; /* from Content-Type, lower case; "" if none */
	uint64_t body_wire;     /* body bytes on the wire, chunk framing excluded */
	uint64_t body_len;      /* decoded body bytes delivered */
	size_t nhdr;
	struct ww_http_hdr hdr[WW_HTTP_HEADERS_MAX];

	/* Settings (set after init, before the first feed). */
	bool head;              /* the request was HEAD: no body whatever the headers say */
	uint64_t chunk_max;     /* WW_HTTP_CHUNK_MAX unless changed */
	ww_http_body_fn body_fn;
	void *body_ctx;
	uint8_t *body_buf;      /* when body_fn is NULL: decoded body kept here */
	size_t body_cap;

	struct ww_http_error error; /* the first error, repeated by later calls */

	/* Private. */
	uint64_t off;           /* stream offset of the next byte */
	uint64_t left;          /* bytes left in the body or chunk */
	size_t line_start;      /* start of the line being gathered in store */
	size_t line_len;
	size_t header_bytes;    /* wire bytes of the header section so far */
	size_t used;            /* bytes of store in use */
	bool chunk_digits;      /* a hex digit was seen on this chunk-size line */
	bool chunk_cr;          /* the CR of a CRLF was seen */
	bool z_on, z_done;
	uint8_t z_head[2];      /* the first two body bytes, to tell zlib from raw deflate */
	uint8_t z_nhead;
	z_stream z;
	char store[WW_HTTP_HEADER_BYTES_MAX + 2 * WW_HTTP_HEADERS_MAX + 64];
};

/* Prepares P for one response. Call ww_http_resp_free when done with it
 * (zlib may hold memory while a compressed body is decoded). */
void ww_http_resp_init(struct ww_http_resp *p);
/* Ready for the next response on a kept-alive connection; keeps the
 * settings (head is cleared). */
void ww_http_resp_reset(struct ww_http_resp *p);
void ww_http_resp_free(struct ww_http_resp *p);

/* Feeds LEN bytes. Returns how many were consumed, or -1 with ERR filled
 * (and every later call returns -1). Fewer than LEN are consumed only when
 * the response is complete: the rest belongs to the next response. */
long ww_http_resp_feed(struct ww_http_resp *p, const uint8_t *data, size_t len,
		       struct ww_http_error *err);
/* The connection closed. Completes a read-until-close body; anywhere else
 * before the end of the message it is WW_HTTP_E_TRUNCATED. 0 or -1. */
int ww_http_resp_eof(struct ww_http_resp *p, struct ww_http_error *err);

static inline bool ww_http_resp_done(const struct ww_http_resp *p) { return p->state == WW_HTTP_DONE; }
/* The headers are all in: status and fields may be read. */
static inline bool ww_http_resp_have_headers(const struct ww_http_resp *p)
{
	return p->state != WW_HTTP_STATUS_LINE && p->state != WW_HTTP_HEADERS && p->state != WW_HTTP_ERROR;
}

/* The first field named NAME (case-insensitive), or NULL. */
const char *ww_http_header(const struct ww_http_resp *p, const char *name);
const char *ww_http_hdr_name(const struct ww_http_resp *p, size_t i);
const char *ww_http_hdr_value(const struct ww_http_resp *p, size_t i);

/* The charset parameter of a Content-Type value (RFC 9110 §8.3.1), lower
 * case and unquoted, into OUT; "" if there is none. Returns OUT. */
char *ww_http_charset(const char *content_type, char *out, size_t cap);

/* Internal to the module (src/net/http*.c). */
long ww_http_body_feed(struct ww_http_resp *p, const uint8_t *data, size_t len,
		       struct ww_http_error *err);
int ww_http_body_begin(struct ww_http_resp *p, struct ww_http_error *err);
int ww_http_body_finish(struct ww_http_resp *p, struct ww_http_error *err);
int ww_http_fail(struct ww_http_resp *p, struct ww_http_error *err, enum ww_http_err code,
		 const char *what, uint64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#endif
