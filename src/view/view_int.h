/* Shared by the views, private to src/view/: what kind of layer a layer is
 * (for colours and letters), which bytes it covers, which errors belong to
 * it, and small lookups over a dissection's items. */
#ifndef WW_VIEW_INT_H
#define WW_VIEW_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ww/view.h"

/* What a layer does in the stack; the hexdump and the bar colour by it. */
enum vw_kind {
	VW_K_LINK,      /* Ethernet, 802.1Q */
	VW_K_NET,       /* IPv4, ARP */
	VW_K_TRANSPORT, /* TCP, UDP, ICMP (carried by IP as a transport is) */
	VW_K_APP,       /* DNS */
	VW_K_DATA,      /* payload no protocol claims */
	VW_K_PAD,       /* Ethernet padding */
	VW_K_NONE,      /* bytes no layer covers (after an error) */
	VW_K_COUNT,
};

#define VW_RESET "\033[0m"
#define VW_BOLD "\033[1m"
#define VW_RED "\033[31m"
#define VW_GREEN "\033[32m"
#define VW_DIM "\033[2m"

/* SGR sequence that starts the colour of KIND. */
const char *vw_kind_color(enum vw_kind kind);
/* Start/stop colour on OUT only when ON. */
void vw_color_on(FILE *out, bool on, const char *sgr);
void vw_color_off(FILE *out, bool on);

/* The Ethernet padding layer (frame.c adds it as a second "eth" layer). */
bool vw_is_padding(const struct ww_dissection *d, unsigned li);
enum vw_kind vw_layer_kind(const struct ww_dissection *d, unsigned li);
/* "Ethernet", "IPv4", "TCP", "payload", "padding"... */
const char *vw_layer_short(const struct ww_dissection *d, unsigned li);
/* One letter for the plain-text hexdump: upper case at depth 0, lower
 * case for headers quoted inside an ICMP error. */
char vw_layer_letter(const struct ww_dissection *d, unsigned li);

/* The bytes layer LI covers: its header length, stretched to cover its
 * items when the header was cut short; clamped to the frame. */
void vw_layer_span(const struct ww_dissection *d, unsigned li, uint32_t *off, uint32_t *len);
/* Index of the layer error E belongs to (the last layer, when the field
 * it names is that layer's), or -1 when no layer of it was added. */
int vw_error_layer(const struct ww_dissection *d, const struct ww_error *e);
/* Did dissecting layer LI stop on an error? Its parsed header `h` is then
 * not to be trusted; its items (read from the bytes) are. */
bool vw_layer_failed(const struct ww_dissection *d, unsigned li);

/* The first item named NAME in layer LI, or NULL. */
const struct ww_item *vw_item_find(const struct ww_dissection *d, unsigned li, const char *name);
/* The value of that item (UINT, BOOL, IPV4), if there is one. */
bool vw_item_u(const struct ww_dissection *d, unsigned li, const char *name, uint64_t *v);

/* Length of the protocol prefix of a field name: "ip" of "ip.src". */
size_t vw_prefix_len(const char *name);
/* Is this field a checksum (judged or not)? */
bool vw_is_checksum(const struct ww_field *f);

/* Length of the UTF-8 sequence at P (N bytes available) if it is well
 * formed and printable (not a C1 control, which some terminals obey), or
 * 0. ASCII is not handled here. */
size_t vw_utf8_len(const uint8_t *p, size_t n);
/* Length of the well-formed UTF-8 sequence at P (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0; its code point in
 * *CODE_POINT if not NULL. */
size_t vw_utf8_seq(const uint8_t *p, size_t n, uint32_t *code_point);

/* Bytes from the frame for the terminal: printable UTF-8 kept, every
 * other byte outside printable ASCII as \xNN (summary.c). */
void vw_put_text(FILE *out, const uint8_t *p, uint32_t n);
/* ": TLS: ClientHello SNI example.com" or ": HTTP: GET / HTTP/1.1" for the
 * TLS or HTTP layer LI, after a TCP summary (summary_app.c). */
void vw_summary_app(FILE *out, const struct ww_dissection *d, unsigned li);
/* Does layer LI end inside a record or a head the segment cut (a TLS
 * record, an HTTP head), which goes on in the next segment? */
bool vw_layer_partial(const struct ww_dissection *d, unsigned li);

/* Lower-case hex of N bytes, no separators, into BUF (2N+1 bytes). */
void vw_hex(const uint8_t *p, size_t n, char *buf);

#endif
