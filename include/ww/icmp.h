/* ICMP for IPv4 (RFC 792): echo, destination unreachable, time exceeded.
 * An error message quotes the IP header and the first 8 bytes of the
 * datagram that caused it; the frame dissector shows those as a quoted
 * IPv4 layer and a partial transport layer. */
#ifndef WW_ICMP_H
#define WW_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_ICMP_HLEN 8
#define WW_ICMP_ECHO_REPLY 0
#define WW_ICMP_DEST_UNREACH 3
#define WW_ICMP_SOURCE_QUENCH 4
#define WW_ICMP_REDIRECT 5
#define WW_ICMP_ECHO_REQUEST 8
#define WW_ICMP_ROUTER_ADVERT 9   /* RFC 1256 */
#define WW_ICMP_ROUTER_SOLICIT 10 /* RFC 1256 */
#define WW_ICMP_TIME_EXCEEDED 11
#define WW_ICMP_PARAM_PROBLEM 12
#define WW_ICMP_TIMESTAMP 13
#define WW_ICMP_TIMESTAMP_REPLY 14
#define WW_ICMP_INFO_REQUEST 15
#define WW_ICMP_INFO_REPLY 16
#define WW_ICMP_MASK_REQUEST 17   /* RFC 950 */
#define WW_ICMP_MASK_REPLY 18
#define WW_ICMP_EXT_ECHO_REQUEST 42 /* RFC 8335 (PROBE) */
#define WW_ICMP_EXT_ECHO_REPLY 43

/* Destination unreachable codes (RFC 792, RFC 1812 §5.2.7.1). */
#define WW_ICMP_NET_UNREACH 0
#define WW_ICMP_HOST_UNREACH 1
#define WW_ICMP_PROTO_UNREACH 2
#define WW_ICMP_PORT_UNREACH 3
#define WW_ICMP_FRAG_NEEDED 4     /* the low 16 bits of `rest` are the next-hop MTU (RFC 1191) */
/* Time exceeded codes. */
#define WW_ICMP_TTL_EXCEEDED 0
#define WW_ICMP_REASSEMBLY_EXCEEDED 1

#define WW_ICMP_MANUAL_CSUM 0x01

struct ww_icmp {
	uint8_t type, code;
	uint16_t checksum;
	/* The second 32-bit word: identifier and sequence number for echo;
	 * unused, next-hop MTU (RFC 1191) or gateway for errors. */
	uint16_t ident, seq;
	uint32_t rest;
	uint8_t manual;
};

/* Rows of ww_icmp_fields, so code names a row without looking it up. The
 * first three are fixed; the second word's fields depend on the type. */
enum ww_icmp_field_row {
	WW_ICMP_F_TYPE, WW_ICMP_F_CODE, WW_ICMP_F_CHECKSUM,
	WW_ICMP_F_IDENT, WW_ICMP_F_SEQ, WW_ICMP_F_UNUSED, WW_ICMP_F_MTU, WW_ICMP_F_POINTER,
	WW_ICMP_F_REDIR_GW, WW_ICMP_F_NUM_ADDRS, WW_ICMP_F_ADDR_ENTRY_SIZE, WW_ICMP_F_LIFETIME,
	WW_ICMP_F_END, /* the row whose name is NULL */
};

extern const struct ww_field ww_icmp_fields[WW_ICMP_F_END + 1];
extern const struct ww_tok ww_icmp_type_names[];

/* The second word is read as a whole into `rest` and as two halves into
 * ident and seq, whatever the type. 0, or -1 with the cursor's error. */
int ww_icmp_parse(struct ww_cursor *c, struct ww_icmp *icmp);
/* Does this type carry a quoted IP header after the first 8 bytes? */
bool ww_icmp_is_error(uint8_t type);
/* Does this type carry an identifier and sequence number (echo,
 * timestamp, information and address-mask requests and replies)? */
bool ww_icmp_has_ident(uint8_t type);
/* The meaning of CODE for TYPE ("Port unreachable", "Time to live exceeded
 * in transit"), as Wireshark names it; NULL if the type has no code names
 * or the code is unknown. */
const char *ww_icmp_code_str(uint8_t type, uint8_t code);
/* MSG holds the 8-byte header space followed by the payload (MSG_LEN in
 * all); the header is written and the checksum over the whole message
 * filled unless manual. The second word is ident and seq for a type with
 * an identifier, else `rest`. Returns 8, or 0 if MSG_LEN < 8. */
size_t ww_icmp_emit(const struct ww_icmp *icmp, uint8_t *msg, size_t msg_len);

struct ww_dissection;
struct ww_layer;
/* COMPLETE: the whole message is here (not a fragment), so the checksum
 * can be judged. The cursor is left on what follows the 8-byte header. */
struct ww_layer *ww_icmp_dissect(struct ww_dissection *d, struct ww_cursor *c, bool complete);

#endif
