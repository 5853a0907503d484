/* HTTP/1.1 exchanges over our own TCP, or TLS over it: what `http get`
 * and `fetch` share. The messages themselves (ww/http.h) are pure; this
 * is where they meet a live connection: the request goes out through
 * ww_tcp_send or ww_tls_write, the loop is pumped until the response is
 * whole, and what went over is printed for a person. */
#ifndef WW_SHELL_HTTP_CLIENT_H
#define WW_SHELL_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ww/http.h"

struct ww_shell;
struct ww_session;
struct ww_tcb;
struct ww_tls;

/* A byte stream to a web server: our TCP, or TLS over it. */
struct http_stream {
	struct ww_session *s;
	struct ww_tcb *c;
	struct ww_tls *tls; /* NULL: plain TCP */
};

/* The decoded body, gathered in memory up to LIMIT bytes, or written to
 * a file (FILE set). */
struct http_body {
	uint8_t *p;
	size_t len, cap, limit;
	FILE *file;
	uint64_t total;     /* decoded bytes, kept or not */
	bool file_error;
};

/* When each part of one exchange happened (session clock, ns). */
struct http_times {
	uint64_t start;       /* the request began to go out */
	uint64_t sent;        /* the whole request was taken by TCP/TLS */
	uint64_t first_byte;  /* the first response byte came */
	uint64_t done;        /* the response was whole */
};

/* How much is printed of an exchange. */
enum http_show {
	HTTP_SHOW_NONE,
	HTTP_SHOW_LINES,     /* the request line and the status line */
	HTTP_SHOW_HEADERS,   /* every header of both */
};

/* The response parser `http` and `fetch` share: it is large (about 70 KB,
 * ww/http.h), and one command runs at a time. */
struct ww_http_resp *http_shared_resp(void);

int http_body_fn(void *ctx, const uint8_t *data, size_t len);
void http_body_free(struct http_body *b);

/* Send the request REQ (LEN bytes, as ww_http_request built it) on ST and
 * read the response into RESP (initialised by the caller, head set for
 * HEAD; its body goes where RESP's body settings say). IDLE_MS: give up
 * after this long without a byte. 0, or -1 with ERR for a person (the
 * parser's error, the connection's, a timeout, Ctrl-C). */
int http_exchange(struct ww_shell *sh, struct http_stream *st, const char *req, size_t len,
		  struct ww_http_resp *resp, unsigned idle_ms, enum http_show show,
		  struct http_times *t, char *err, size_t errlen);

/* The stream can carry another request: open, not reset, no FIN yet. */
bool http_stream_usable(const struct http_stream *st);
/* An orderly end: close_notify (TLS), then the TCP FIN; waits briefly
 * for the peer's FIN so the close is seen on the wire. */
void http_stream_close(struct ww_shell *sh, struct http_stream *st);

/* The decoded body for a person: text as it is (its charset named when
 * not UTF-8 or ASCII), up to MAX_LINES lines; binary is summarised. */
void http_print_body(FILE *out, const struct ww_http_resp *resp, const struct http_body *b,
		     unsigned max_lines);

#endif
