/* DNS messages (RFC 1035; AAAA RFC 3596; OPT RFC 6891). Names are followed
 * through compression pointers on parse, with protection against loops,
 * forward pointers, depth and bounds; emit compresses. */
#ifndef WW_DNS_H
#define WW_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_DNS_HLEN 12
#define WW_DNS_PORT 53
#define WW_DNS_NAME_MAX 255  /* wire form, RFC 1035 §2.3.4 */
#define WW_DNS_LABEL_MAX 63
#define WW_DNS_TEXT_MAX 256  /* presentation form with NUL; fits any legal name */

/* Header flag bits (the 16-bit flags word). */
#define WW_DNS_QR 0x8000
#define WW_DNS_AA 0x0400
#define WW_DNS_TC 0x0200
#define WW_DNS_RD 0x0100
#define WW_DNS_RA 0x0080
#define WW_DNS_AD 0x0020
#define WW_DNS_CD 0x0010
#define WW_DNS_OPCODE(f) (((f) >> 11) & 0xf)
#define WW_DNS_RCODE(f) ((f) & 0xf)

enum ww_dns_type {
	WW_DNS_A = 1, WW_DNS_NS = 2, WW_DNS_CNAME = 5, WW_DNS_SOA = 6, WW_DNS_PTR = 12,
	WW_DNS_MX = 15, WW_DNS_TXT = 16, WW_DNS_AAAA = 28, WW_DNS_OPT = 41, WW_DNS_ANY = 255,
};
enum ww_dns_rcode {
	WW_DNS_NOERROR = 0, WW_DNS_FORMERR = 1, WW_DNS_SERVFAIL = 2, WW_DNS_NXDOMAIN = 3,
	WW_DNS_NOTIMP = 4, WW_DNS_REFUSED = 5,
};

struct ww_dns_header {
	uint16_t id, flags;
	uint16_t qdcount, ancount, nscount, arcount;
};

extern const struct ww_field ww_dns_fields[];
extern const struct ww_tok ww_dns_type_names[];
extern const struct ww_tok ww_dns_rcode_names[];

int ww_dns_header_parse(struct ww_cursor *c, struct ww_dns_header *h);

struct ww_dissection;
struct ww_layer;
/* The cursor covers exactly the DNS message (the UDP payload). */
struct ww_layer *ww_dns_dissect(struct ww_dissection *d, struct ww_cursor *c);

#endif
