/* TCP header and options (RFC 9293; options from RFC 7323, RFC 2018). */
#ifndef WW_TCP_H
#define WW_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_TCP_HLEN 20
#define WW_TCP_MAX_HLEN 60
#define WW_TCP_MAX_OPTS 40

#define WW_TCP_FIN 0x001
#define WW_TCP_SYN 0x002
#define WW_TCP_RST 0x004
#define WW_TCP_PSH 0x008
#define WW_TCP_ACK 0x010
#define WW_TCP_URG 0x020
#define WW_TCP_ECE 0x040
#define WW_TCP_CWR 0x080
#define WW_TCP_AE 0x100 /* formerly NS (RFC 3540, historic) */
#define WW_TCP_RES 0xe00 /* reserved: sent as zero */

#define WW_TCPOPT_EOL 0
#define WW_TCPOPT_NOP 1
#define WW_TCPOPT_MSS 2
#define WW_TCPOPT_WSCALE 3
#define WW_TCPOPT_SACK_PERM 4
#define WW_TCPOPT_SACK 5
#define WW_TCPOPT_TS 8

#define WW_TCP_MAX_SACK 4 /* 2 + 4 * 8 = 34 bytes: no more fit in 40 */

#define WW_TCP_MANUAL_DOFF 0x01
#define WW_TCP_MANUAL_CSUM 0x02
#define WW_TCP_MANUAL_OPTS 0x04 /* emit options[] as given instead of from the parsed fields */

struct ww_tcp_sack {
	uint32_t left, right;
};

struct ww_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t doff;     /* header length in 32-bit words */
	uint16_t flags;   /* 12 bits: 3 reserved, AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN */
	uint16_t window;  /* as on the wire, before any window scaling */
	uint16_t checksum;
	uint16_t urgent;
	/* Options, as understood. */
	bool has_mss, has_wscale, sack_perm, has_ts;
	uint16_t mss;
	uint8_t wscale;
	uint32_t tsval, tsecr;
	uint8_t nsack;
	struct ww_tcp_sack sack[4];
	/* Options as bytes: what parse saw (unknown options kept), or what to
	 * send with WW_TCP_MANUAL_OPTS. */
	uint8_t opt_len;
	uint8_t options[WW_TCP_MAX_OPTS];
	uint8_t manual;
};

/* Rows of ww_tcp_fields, so code names a row without looking it up:
 * &ww_tcp_fields[WW_TCP_F_CHECKSUM]. The fixed header first, in wire order. */
enum ww_tcp_field_row {
	WW_TCP_F_SRCPORT, WW_TCP_F_DSTPORT, WW_TCP_F_SEQ, WW_TCP_F_ACK, WW_TCP_F_HDR_LEN,
	WW_TCP_F_FLAGS, WW_TCP_F_FLAG_RES, WW_TCP_F_FLAG_AE, WW_TCP_F_FLAG_CWR, WW_TCP_F_FLAG_ECE,
	WW_TCP_F_FLAG_URG, WW_TCP_F_FLAG_ACK, WW_TCP_F_FLAG_PUSH, WW_TCP_F_FLAG_RESET,
	WW_TCP_F_FLAG_SYN, WW_TCP_F_FLAG_FIN, WW_TCP_F_WINDOW, WW_TCP_F_CHECKSUM, WW_TCP_F_URGENT,
	/* Placed by the option walk. */
	WW_TCP_F_OPTIONS,
	WW_TCP_F_OPT_EOL, WW_TCP_F_OPT_NOP, WW_TCP_F_OPT_MSS, WW_TCP_F_OPT_WSCALE,
	WW_TCP_F_OPT_SACK_PERM, WW_TCP_F_OPT_SACK, WW_TCP_F_OPT_TS, WW_TCP_F_OPT_UNKNOWN,
	WW_TCP_F_OPT_KIND, WW_TCP_F_OPT_LEN, WW_TCP_F_MSS_VAL, WW_TCP_F_WSCALE_SHIFT,
	WW_TCP_F_WSCALE_MULT, WW_TCP_F_SACK_LE, WW_TCP_F_SACK_RE, WW_TCP_F_TSVAL, WW_TCP_F_TSECR,
	WW_TCP_F_UNKNOWN_PAYLOAD,
	WW_TCP_F_LEN, /* computed: the payload length */
	WW_TCP_F_PAYLOAD, /* the payload's bytes (an item covering none) */
	WW_TCP_F_END, /* the row whose name is NULL */
};

extern const struct ww_field ww_tcp_fields[WW_TCP_F_END + 1];
/* Flag bits low to high, as Wireshark lists them ("SYN, ACK"); the last
 * entry is a mask of the three reserved bits, named once if any is set. */
extern const struct ww_tok ww_tcp_flag_names[];
extern const struct ww_tok ww_tcp_option_names[];

/* The cursor is left on the payload. Malformed options (a length running
 * past the header, an MSS option of length 3) are invalid and name the
 * option (tcp.options.mss) or tcp.option_len; a data offset below 5 is
 * invalid (tcp.hdr_len); a header longer than the bytes there is
 * truncated (tcp.hdr_len). Parse sets every manual bit and keeps the
 * option bytes, so parse then emit gives back the same bytes. */
int ww_tcp_parse(struct ww_cursor *c, struct ww_tcp *tcp);
/* Header length the emitter will write: 20 + options padded to 4 (may
 * exceed 60 if too many options are asked for: emit then fails). */
size_t ww_tcp_header_len(const struct ww_tcp *tcp);
/* SEG holds header space (ww_tcp_header_len) followed by the payload,
 * SEG_LEN in all. Options are laid out as Linux does (MSS, SACK-permitted,
 * timestamps, NOP, window scale) unless manual; data offset and checksum
 * filled unless manual. Returns the header length, or 0 if it does not fit. */
size_t ww_tcp_emit(const struct ww_tcp *tcp, uint32_t src, uint32_t dst, uint8_t *seg,
		   size_t seg_len);
/* "SYN, ACK" for 0x012; "<none>" for 0. Returns BUF. */
char *ww_tcp_flags_str(uint16_t flags, char *buf, size_t n);

/* The option walk and layout behind parse, dissect and emit
 * (src/wire/tcp_options.c). The cursor covers exactly the option bytes;
 * with D non-NULL an item is added for each option (depth 1) and its
 * parts (depth 2). Fills TCP's understood options; 0 or -1. */
struct ww_dissection;
int ww_tcp_options_walk(struct ww_cursor *c, struct ww_tcp *tcp, struct ww_dissection *d);
/* Lay out TCP's understood options as Linux does into OUT (room for 40);
 * every option starts on a 32-bit word, NOPs filling the gaps, so the
 * length is a multiple of 4. Returns the length, or a length above 40
 * (nothing written) if they do not fit. */
size_t ww_tcp_options_layout(const struct ww_tcp *tcp, uint8_t out[WW_TCP_MAX_OPTS]);

struct ww_layer;
struct ww_ipv4;
/* IP is the enclosing header for the pseudo-header checksum; NULL, or a
 * fragment, leaves the checksum unjudged. Adds tcp.len, the payload length,
 * as an item covering no bytes. */
struct ww_layer *ww_tcp_dissect(struct ww_dissection *d, struct ww_cursor *c,
				const struct ww_ipv4 *ip);

#endif
