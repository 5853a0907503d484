/* ARP (RFC 826) for IPv4 over Ethernet: "who has 192.168.1.1? tell
 * 192.168.1.5" and its answer. The packet names its own address sizes
 * (hlen, plen); only Ethernet-sized hardware addresses (6) and IPv4-sized
 * protocol addresses (4) are parsed, which puts every field at a fixed
 * place:
 *
 *   0      hardware type   2 protocol type   4 hlen  5 plen  6 opcode
 *   8      sender MAC (6)        14 sender IPv4 (4)
 *   18     target MAC (6)        24 target IPv4 (4)          28 end
 */
#include "ww/arp.h"

#include <string.h>

#include "ww/bytes.h"
#include "ww/dissect.h"
#include "ww/eth.h"

enum {
	ARP_HTYPE = 0, ARP_PTYPE = 2, ARP_HLEN = 4, ARP_PLEN = 5, ARP_OP = 6,
	ARP_SHA = 8, ARP_SPA = 14, ARP_THA = 18, ARP_TPA = 24,
	ARP_FIXED = 8, /* the part whose layout does not depend on hlen/plen */
};

const struct ww_tok ww_arp_opcode_names[] = {
	{ WW_ARP_REQUEST, "request" },
	{ WW_ARP_REPLY, "reply" },
	{ 3, "reverse request" },
	{ 4, "reverse reply" },
	{ 8, "inverse request" },
	{ 9, "inverse reply" },
	{ 0, NULL },
};

static const struct ww_tok htype_names[] = {
	{ WW_ARP_HTYPE_ETHER, "Ethernet" },
	{ 6, "IEEE 802 Networks" },
	{ 0, NULL },
};

/* Crafting aliases are Scapy's ARP field names (op, hwsrc, psrc, hwdst,
 * pdst); RFC 826's sha/spa/tha/tpa name the struct members. */
const struct ww_field ww_arp_fields[WW_ARP_F_END + 1] = {
	[WW_ARP_F_HW_TYPE] = {
		.name = "arp.hw.type", .label = "Hardware type", .alias = "hwtype", .type = WW_FT_UINT,
		.bit_off = ARP_HTYPE * 8, .bit_width = 16, .vals = htype_names,
		.help = "kind of link the hardware addresses belong to (1 = Ethernet)" },
	[WW_ARP_F_PROTO_TYPE] = {
		.name = "arp.proto.type", .label = "Protocol type", .alias = "ptype", .type = WW_FT_UINT,
		.base = WW_BASE_HEX, .bit_off = ARP_PTYPE * 8, .bit_width = 16,
		.vals = ww_ethertype_names,
		.help = "protocol whose addresses are resolved, as an EtherType (0x0800 = IPv4)" },
	[WW_ARP_F_HW_SIZE] = {
		.name = "arp.hw.size", .label = "Hardware size", .alias = "hwlen", .type = WW_FT_UINT,
		.bit_off = ARP_HLEN * 8, .bit_width = 8,
		.help = "bytes in each hardware address (6 for a MAC)" },
	[WW_ARP_F_PROTO_SIZE] = {
		.name = "arp.proto.size", .label = "Protocol size", .alias = "plen", .type = WW_FT_UINT,
		.bit_off = ARP_PLEN * 8, .bit_width = 8,
		.help = "bytes in each protocol address (4 for IPv4)" },
	[WW_ARP_F_OPCODE] = {
		.name = "arp.opcode", .label = "Opcode", .alias = "op", .type = WW_FT_UINT,
		.bit_off = ARP_OP * 8, .bit_width = 16, .vals = ww_arp_opcode_names,
		.help = "1 = request (who has?), 2 = reply (is at)" },
	[WW_ARP_F_SRC_HW_MAC] = {
		.name = "arp.src.hw_mac", .label = "Sender MAC address", .alias = "hwsrc",
		.type = WW_FT_MAC, .base = WW_BASE_HEX, .bit_off = ARP_SHA * 8, .bit_width = 48,
		.help = "MAC address of the sender; every host that hears it may cache it" },
	[WW_ARP_F_SRC_PROTO_IPV4] = {
		.name = "arp.src.proto_ipv4", .label = "Sender IP address", .alias = "psrc",
		.type = WW_FT_IPV4, .bit_off = ARP_SPA * 8, .bit_width = 32,
		.help = "IPv4 address of the sender" },
	[WW_ARP_F_DST_HW_MAC] = {
		.name = "arp.dst.hw_mac", .label = "Target MAC address", .alias = "hwdst",
		.type = WW_FT_MAC, .base = WW_BASE_HEX, .bit_off = ARP_THA * 8, .bit_width = 48,
		.help = "MAC address of the target: zeros in a request, the asker's in a reply" },
	[WW_ARP_F_DST_PROTO_IPV4] = {
		.name = "arp.dst.proto_ipv4", .label = "Target IP address", .alias = "pdst",
		.type = WW_FT_IPV4, .bit_off = ARP_TPA * 8, .bit_width = 32,
		.help = "IPv4 address being asked about (request) or answered to (reply)" },
	[WW_ARP_F_END] = { 0 },
};

/* Record an invalid value at the frame offset of its own field rather
 * than where the cursor stands. */
static int invalid_size(struct ww_cursor *c, uint32_t at, const char *field, const char *what,
			unsigned got, unsigned want)
{
	ww_cur_invalid(c, field, "ARP %s size %u, not %u: only Ethernet/IPv4 ARP is understood",
		       what, got, want);
	c->err.offset = at;
	return -1;
}

int ww_arp_parse(struct ww_cursor *c, struct ww_arp *arp)
{
	memset(arp, 0, sizeof *arp);
	uint32_t start = ww_cur_offset(c);
	arp->htype = ww_cur_u16(c, "arp.hw.type");
	arp->ptype = ww_cur_u16(c, "arp.proto.type");
	arp->hlen = ww_cur_u8(c, "arp.hw.size");
	arp->plen = ww_cur_u8(c, "arp.proto.size");
	arp->op = ww_cur_u16(c, "arp.opcode");
	if (!ww_cur_ok(c))
		return -1;
	/* The sizes decide where every later field sits: with other sizes the
	 * addresses cannot be read as a MAC and an IPv4 address. */
	if (arp->hlen != 6)
		return invalid_size(c, start + ARP_HLEN, "arp.hw.size", "hardware", arp->hlen, 6);
	if (arp->plen != 4)
		return invalid_size(c, start + ARP_PLEN, "arp.proto.size", "protocol", arp->plen, 4);
	ww_cur_copy(c, arp->sha, 6, "arp.src.hw_mac");
	arp->spa = ww_cur_u32(c, "arp.src.proto_ipv4");
	ww_cur_copy(c, arp->tha, 6, "arp.dst.hw_mac");
	arp->tpa = ww_cur_u32(c, "arp.dst.proto_ipv4");
	if (!ww_cur_ok(c))
		return -1;
	/* Keep the sizes as read, so parse -> emit gives the same bytes. */
	arp->manual = WW_ARP_MANUAL_SIZES;
	return 0;
}

void ww_arp_init(struct ww_arp *arp)
{
	memset(arp, 0, sizeof *arp);
	arp->htype = WW_ARP_HTYPE_ETHER;
	arp->ptype = WW_ETHERTYPE_IPV4;
	arp->hlen = 6;
	arp->plen = 4;
	arp->op = WW_ARP_REQUEST;
}

size_t ww_arp_emit(const struct ww_arp *arp, uint8_t *buf, size_t cap)
{
	if (cap < WW_ARP_LEN)
		return 0;
	bool manual = arp->manual & WW_ARP_MANUAL_SIZES;
	ww_put16(buf + ARP_HTYPE, arp->htype);
	ww_put16(buf + ARP_PTYPE, arp->ptype);
	/* Manual sizes are written as given, but the addresses stay 6 and 4
	 * bytes: a lesson can show what a receiver does with a lying size. */
	buf[ARP_HLEN] = manual ? arp->hlen : 6;
	buf[ARP_PLEN] = manual ? arp->plen : 4;
	ww_put16(buf + ARP_OP, arp->op);
	memcpy(buf + ARP_SHA, arp->sha, 6);
	ww_put32(buf + ARP_SPA, arp->spa);
	memcpy(buf + ARP_THA, arp->tha, 6);
	ww_put32(buf + ARP_TPA, arp->tpa);
	return WW_ARP_LEN;
}

struct ww_layer *ww_arp_dissect(struct ww_dissection *d, struct ww_cursor *c)
{
	uint32_t off = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	const uint8_t *p = ww_cur_here(c);
	struct ww_arp arp;
	int rc = ww_arp_parse(c, &arp);

	struct ww_layer *l = ww_layer_add(d, WW_P_ARP, "arp", "Address Resolution Protocol",
					  ww_arp_fields, off);
	if (l) {
		l->h.arp = arp;
		size_t shown = avail < WW_ARP_LEN ? avail : WW_ARP_LEN;
		/* With other sizes the addresses are elsewhere: show only the
		 * part whose place is known. */
		if (avail >= ARP_FIXED && (p[ARP_HLEN] != 6 || p[ARP_PLEN] != 4))
			shown = ARP_FIXED;
		l->len = (uint32_t)shown;
		ww_dissect_fixed_rows(d, ww_arp_fields, WW_ARP_F_DST_PROTO_IPV4 + 1, off,
				      (uint32_t)shown);
	}
	if (rc < 0 || !l) {
		ww_dissect_error(d, c);
		return NULL;
	}
	return l;
}
