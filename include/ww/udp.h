/* UDP (RFC 768). */
#ifndef WW_UDP_H
#define WW_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_UDP_HLEN 8
#define WW_UDP_MANUAL_LEN 0x01
#define WW_UDP_MANUAL_CSUM 0x02

struct ww_udp {
	uint16_t sport, dport;
	uint16_t len;      /* header + payload */
	uint16_t checksum; /* 0 on the wire means "none" (IPv4 only) */
	uint8_t manual;
};

/* Rows of ww_udp_fields, so code names a row without looking it up. */
enum ww_udp_field_row {
	WW_UDP_F_SRCPORT, WW_UDP_F_DSTPORT, WW_UDP_F_LENGTH, WW_UDP_F_CHECKSUM,
	WW_UDP_F_END, /* the row whose name is NULL */
};

extern const struct ww_field ww_udp_fields[WW_UDP_F_END + 1];

/* The cursor is left on the payload, limited to len - 8. A length below 8
 * is invalid; one beyond the bytes there is truncated (both name
 * udp.length). */
int ww_udp_parse(struct ww_cursor *c, struct ww_udp *udp);
/* SEG holds the 8 header bytes followed by the payload, SEG_LEN in all.
 * SRC and DST (host order) feed the pseudo-header. Returns 8, or 0 if
 * SEG_LEN < 8 or > 65535. A computed checksum of 0 is sent as 0xffff
 * (RFC 768). With a length set by hand, the checksum covers what a
 * receiver will sum: that many bytes (if SEG holds them), and that length
 * in the pseudo-header. */
size_t ww_udp_emit(const struct ww_udp *udp, uint32_t src, uint32_t dst, uint8_t *seg,
		   size_t seg_len);

struct ww_dissection;
struct ww_layer;
struct ww_ipv4;
/* IP is the enclosing header for the pseudo-header checksum; NULL, or a
 * fragment, leaves the checksum unjudged. In the first fragment of a
 * datagram the length may reach beyond the bytes here: that is not
 * truncation, the rest is in later fragments. */
struct ww_layer *ww_udp_dissect(struct ww_dissection *d, struct ww_cursor *c,
				const struct ww_ipv4 *ip);

#endif
