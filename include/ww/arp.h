/* ARP for IPv4 over Ethernet (RFC 826). */
#ifndef WW_ARP_H
#define WW_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_ARP_LEN 28 /* Ethernet/IPv4 */
#define WW_ARP_REQUEST 1
#define WW_ARP_REPLY 2
#define WW_ARP_HTYPE_ETHER 1

/* Which fields the emitter must keep as given rather than fill in. */
#define WW_ARP_MANUAL_SIZES 0x01 /* hw.size and proto.size */

struct ww_arp {
	uint16_t htype;  /* 1 = Ethernet */
	uint16_t ptype;  /* 0x0800 = IPv4 */
	uint8_t hlen, plen; /* 6 and 4, filled by emit unless manual */
	uint16_t op;
	uint8_t sha[6];  /* sender hardware address */
	uint32_t spa;    /* sender protocol address, host order */
	uint8_t tha[6];
	uint32_t tpa;
	uint8_t manual;
};

/* Rows of ww_arp_fields, so code names a row without looking it up. */
enum ww_arp_field_row {
	WW_ARP_F_HW_TYPE, WW_ARP_F_PROTO_TYPE, WW_ARP_F_HW_SIZE, WW_ARP_F_PROTO_SIZE,
	WW_ARP_F_OPCODE, WW_ARP_F_SRC_HW_MAC, WW_ARP_F_SRC_PROTO_IPV4, WW_ARP_F_DST_HW_MAC,
	WW_ARP_F_DST_PROTO_IPV4,
	WW_ARP_F_END, /* the row whose name is NULL */
};

extern const struct ww_field ww_arp_fields[WW_ARP_F_END + 1];
extern const struct ww_tok ww_arp_opcode_names[];

/* ARP packets other than Ethernet/IPv4 (hlen 6, plen 4) are invalid here. */
int ww_arp_parse(struct ww_cursor *c, struct ww_arp *arp);
/* Defaults: Ethernet, IPv4, sizes auto, op = request. */
void ww_arp_init(struct ww_arp *arp);
size_t ww_arp_emit(const struct ww_arp *arp, uint8_t *buf, size_t cap);

struct ww_dissection;
struct ww_layer;
struct ww_layer *ww_arp_dissect(struct ww_dissection *d, struct ww_cursor *c);

#endif
