/* IPv4 (RFC 791), options kept as bytes. */
#ifndef WW_IPV4_H
#define WW_IPV4_H

#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_IPV4_HLEN 20
#define WW_IPV4_MAX_OPTS 40
#define WW_IP_FLAG_RB 0x4 /* reserved ("evil") bit */
#define WW_IP_FLAG_DF 0x2
#define WW_IP_FLAG_MF 0x1

#define WW_IPPROTO_ICMP 1
#define WW_IPPROTO_TCP 6
#define WW_IPPROTO_UDP 17

/* Option types (RFC 791 §3.1; router alert RFC 2113): the whole type
 * byte, copy flag and class included. */
#define WW_IPOPT_EOL 0
#define WW_IPOPT_NOP 1
#define WW_IPOPT_RR 7      /* record route */
#define WW_IPOPT_TS 68     /* timestamp */
#define WW_IPOPT_LSRR 131  /* loose source and record route */
#define WW_IPOPT_SSRR 137  /* strict source and record route */
#define WW_IPOPT_RA 148    /* router alert */

/* Fields the emitter keeps as given instead of computing. */
#define WW_IPV4_MANUAL_IHL 0x01
#define WW_IPV4_MANUAL_LEN 0x02
#define WW_IPV4_MANUAL_CSUM 0x04

struct ww_ipv4 {
	uint8_t version;   /* 4 */
	uint8_t ihl;       /* header length in 32-bit words */
	uint8_t tos;       /* DS field: DSCP (6 bits) and ECN (2 bits) */
	uint16_t total_len;
	uint16_t id;
	uint8_t flags;     /* WW_IP_FLAG_* */
	uint16_t frag_off; /* in 8-byte units, as on the wire */
	uint8_t ttl;
	uint8_t proto;
	uint16_t checksum;
	uint32_t src, dst; /* host order */
	uint8_t opt_len;   /* option bytes, a multiple of 4 when emitted */
	uint8_t options[WW_IPV4_MAX_OPTS];
	uint8_t manual;    /* WW_IPV4_MANUAL_*: set by parse, so a re-emit is byte-exact */
};

/* Rows of ww_ipv4_fields, so code names a row without looking it up:
 * &ww_ipv4_fields[WW_IP_F_CHECKSUM]. The fixed header first, in wire order. */
enum ww_ipv4_field_row {
	WW_IP_F_VERSION, WW_IP_F_HDR_LEN, WW_IP_F_DSFIELD, WW_IP_F_DSCP, WW_IP_F_ECN, WW_IP_F_LEN,
	WW_IP_F_ID, WW_IP_F_FLAGS, WW_IP_F_FLAG_RB, WW_IP_F_FLAG_DF, WW_IP_F_FLAG_MF,
	WW_IP_F_FRAG_OFFSET, WW_IP_F_TTL, WW_IP_F_PROTO, WW_IP_F_CHECKSUM, WW_IP_F_SRC, WW_IP_F_DST,
	/* Placed by the option walk. */
	WW_IP_F_OPT_TYPE, WW_IP_F_OPT_LEN, WW_IP_F_OPT_PADDING,
	/* One row per option kind, for the option's bytes. */
	WW_IP_F_O_EOL, WW_IP_F_O_NOP, WW_IP_F_O_SEC, WW_IP_F_O_LSRR, WW_IP_F_O_TS, WW_IP_F_O_EXTSEC,
	WW_IP_F_O_CIPSO, WW_IP_F_O_RR, WW_IP_F_O_SID, WW_IP_F_O_SSRR, WW_IP_F_O_MTUP, WW_IP_F_O_MTUR,
	WW_IP_F_O_TR, WW_IP_F_O_RA, WW_IP_F_O_SDB, WW_IP_F_O_QS, WW_IP_F_O_UNKNOWN,
	WW_IP_F_END, /* the row whose name is NULL */
};

extern const struct ww_field ww_ipv4_fields[WW_IP_F_END + 1];
extern const struct ww_tok ww_ipproto_names[];

/* Parse the header; check version, header length, the options' lengths
 * (each inside the header) and total length against the bytes there. The cursor is left on the payload and limited to
 * total_len - header length (Ethernet padding is not payload). The checksum
 * is not judged here: ww_ipv4_dissect shows it, the stack drops on it. */
int ww_ipv4_parse(struct ww_cursor *c, struct ww_ipv4 *ip);
/* The same for a header quoted inside an ICMP error (RFC 792), which
 * carries only the start of its datagram: a total length beyond the bytes
 * there is expected, and the payload is limited to what is there. */
int ww_ipv4_parse_quoted(struct ww_cursor *c, struct ww_ipv4 *ip);
/* Defaults: version 4, TTL 64, lengths and checksum auto. */
void ww_ipv4_init(struct ww_ipv4 *ip);
/* Header length the emitter writes: 20 + options padded to 4. */
size_t ww_ipv4_header_len(const struct ww_ipv4 *ip);
/* Write the header for PAYLOAD_LEN bytes of payload: header length (from
 * opt_len, options padded with EOL), total length and checksum filled
 * unless manual. Returns the header length, 0 if CAP is too small or a
 * computed total length would pass 65535. */
size_t ww_ipv4_emit(const struct ww_ipv4 *ip, size_t payload_len, uint8_t *buf, size_t cap);
/* Does the datagram hold the start of its payload? (fragment offset 0) */
static inline int ww_ipv4_is_first_fragment(const struct ww_ipv4 *ip) { return ip->frag_off == 0; }
static inline int ww_ipv4_is_fragment(const struct ww_ipv4 *ip)
{
	return ip->frag_off != 0 || (ip->flags & WW_IP_FLAG_MF);
}

struct ww_dissection;
struct ww_layer;
/* The returned layer's h.ip tells the payload's protocol; the cursor is
 * left on the payload, limited as by ww_ipv4_parse. */
struct ww_layer *ww_ipv4_dissect(struct ww_dissection *d, struct ww_cursor *c);

/* Dotted quad; BUF needs 16 bytes. Returns BUF. */
char *ww_ipv4_str(uint32_t addr, char *buf);
/* Parse a dotted quad strictly (four decimal parts 0..255). 0 on success. */
int ww_ipv4_parse_addr(const char *s, uint32_t *addr);

#endif
