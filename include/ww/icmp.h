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
#define WW_ICMP_TIME_EXCEEDED 11
#define WW_ICMP_PARAM_PROBLEM 12

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

extern const struct ww_field ww_icmp_fields[];
extern const struct ww_tok ww_icmp_type_names[];

int ww_icmp_parse(struct ww_cursor *c, struct ww_icmp *icmp);
/* Does this type carry a quoted IP header after the first 8 bytes? */
bool ww_icmp_is_error(uint8_t type);
/* MSG holds the 8-byte header space followed by the payload (MSG_LEN in
 * all); the header is written and the checksum over the whole message
 * filled unless manual. Returns 8, or 0 if MSG_LEN < 8. */
size_t ww_icmp_emit(const struct ww_icmp *icmp, uint8_t *msg, size_t msg_len);

struct ww_dissection;
struct ww_layer;
/* COMPLETE: the whole message is here (not a fragment), so the checksum
 * can be judged. The cursor is left on what follows the 8-byte header. */
struct ww_layer *ww_icmp_dissect(struct ww_dissection *d, struct ww_cursor *c, bool complete);

#endif
