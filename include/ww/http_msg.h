/* HTTP/1.x message heads as bytes on the wire (RFC 9112 §2-5): the start
 * line and the header lines, as the wire pattern has them (DESIGN.md §2):
 * a plain struct, a bounds-checked parser that names the bad field, one
 * field table in Wireshark's names (http.request.method, http.host...)
 * and a dissector for one TCP segment.
 *
 * One segment is read alone, nothing reassembled: a head the segment's end
 * cuts shows its whole lines and is marked partial; the body after the
 * blank line, and a segment that begins inside a body, are data, as they
 * were. The HTTP client that builds our requests and reads the answers is
 * net/http.c (ww/http.h); this is what a frame shows. */
#ifndef WW_HTTP_MSG_H
#define WW_HTTP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_HTTP_PORT 80

/* A piece of the message: OFF bytes from its first byte, LEN long. */
struct ww_http_span {
	uint32_t off, len;
};

struct ww_http_msg {
	bool response;
	struct ww_http_span method, uri, version; /* request line */
	uint16_t code;                            /* status line (version above) */
	struct ww_http_span phrase;
	unsigned nlines;    /* header lines, the last one perhaps cut */
	uint32_t head_len;  /* bytes of the head here: start line, header lines, blank line */
	bool complete;      /* the blank line that ends the head is here */
};

/* Could the N bytes at P begin an HTTP/1.x message? "HTTP/1." (a status
 * line), or a method in capitals followed by " /"; on the HTTP port also
 * followed by " *" (OPTIONS *) or " http://" (a request to a proxy). */
bool ww_http_msg_plausible(const uint8_t *p, size_t n, bool http_port);

/* The head from the cursor on; the cursor is left after it (on the body,
 * or at the end when the segment ends inside the head). 0, or -1 with the
 * cursor's error naming the field: a request line without an HTTP version
 * (http.request.version), a status code that is not three digits
 * (http.response.code), no method before the first space
 * (http.request.method), an empty target (http.request.uri). */
int ww_http_msg_parse(struct ww_cursor *c, struct ww_http_msg *m);

/* Rows of ww_http_fields; all placed by the dissector. */
enum ww_http_field_row {
	WW_HTTP_F_REQUEST, WW_HTTP_F_RESPONSE,
	WW_HTTP_F_METHOD, WW_HTTP_F_URI, WW_HTTP_F_REQ_VERSION,
	WW_HTTP_F_RESP_VERSION, WW_HTTP_F_CODE, WW_HTTP_F_PHRASE,
	WW_HTTP_F_REQ_LINE, WW_HTTP_F_RESP_LINE,
	/* headers with a field of their own, in the order of the table */
	WW_HTTP_F_HOST, WW_HTTP_F_USER_AGENT, WW_HTTP_F_ACCEPT, WW_HTTP_F_ACCEPT_ENCODING,
	WW_HTTP_F_ACCEPT_LANGUAGE, WW_HTTP_F_REFERER, WW_HTTP_F_COOKIE, WW_HTTP_F_CONTENT_TYPE,
	WW_HTTP_F_CONTENT_LENGTH_HEADER, WW_HTTP_F_CONTENT_LENGTH, WW_HTTP_F_CONTENT_ENCODING,
	WW_HTTP_F_TRANSFER_ENCODING, WW_HTTP_F_CONNECTION, WW_HTTP_F_SERVER, WW_HTTP_F_DATE,
	WW_HTTP_F_LAST_MODIFIED, WW_HTTP_F_LOCATION, WW_HTTP_F_SET_COOKIE, WW_HTTP_F_CACHE_CONTROL,
	WW_HTTP_F_UPGRADE,
	WW_HTTP_F_PARTIAL, /* note: the segment ends inside the head */
	WW_HTTP_F_END,     /* the row whose name is NULL */
};

extern const struct ww_field ww_http_fields[WW_HTTP_F_END + 1];
/* Status codes and their reason phrases (RFC 9110 §15), { 0, NULL } last. */
extern const struct ww_tok ww_http_status_names[];

struct ww_dissection;
struct ww_layer;
/* The head from the cursor on as a layer "http"; the cursor is left on
 * the body (for the caller to show as data). The caller has checked
 * ww_http_msg_plausible. NULL when the start line is malformed (the error
 * names the field) or there is no room for the layer. */
struct ww_layer *ww_http_msg_dissect(struct ww_dissection *d, struct ww_cursor *c);

#endif
