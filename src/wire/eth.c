/* Ethernet II with one optional 802.1Q tag (IEEE 802.3 §3.1.1, IEEE 802.1Q
 * §9.6). The header is 14 bytes: destination, source, EtherType. A tag
 * inserts 4 bytes before the EtherType: the TPID 0x8100 (where the
 * EtherType would be) and the tag control information (priority, DEI,
 * VLAN ID), followed by the payload's real EtherType. */
#include "ww/eth.h"

#include <string.h>

#include "ww/bytes.h"
#include "ww/dissect.h"

/* Byte offsets in the header. */
enum { ETH_DST = 0, ETH_SRC = 6, ETH_TYPE = 12 };
/* Byte offsets in the 4 bytes after the TPID, as Wireshark's "vlan" layer
 * counts them: TCI, then the inner EtherType. */
enum { VLAN_TCI = 0, VLAN_ETYPE = 2 };

const struct ww_tok ww_ethertype_names[] = {
	{ WW_ETHERTYPE_IPV4, "IPv4" },
	{ WW_ETHERTYPE_ARP, "ARP" },
	{ 0x8035, "RARP" },
	{ WW_ETHERTYPE_VLAN, "802.1Q Virtual LAN" },
	{ WW_ETHERTYPE_IPV6, "IPv6" },
	{ 0x8847, "MPLS label switched packet" },
	{ 0x8863, "PPPoE Discovery" },
	{ 0x8864, "PPPoE Session" },
	{ 0x888e, "802.1X Authentication" },
	{ 0x88a8, "802.1ad Provider Bridge (Q-in-Q)" },
	{ 0x88cc, "802.1 Link Layer Discovery Protocol (LLDP)" },
	{ 0, NULL },
};

/* The two low bits of an address's first byte (IEEE 802 §8.2). */
static const struct ww_tok lg_names[] = {
	{ 0, "globally unique address (factory default)" },
	{ 1, "locally administered address (this is NOT the factory default)" },
	{ 0, NULL },
};
static const struct ww_tok ig_names[] = {
	{ 0, "individual address (unicast)" },
	{ 1, "group address (multicast/broadcast)" },
	{ 0, NULL },
};

const struct ww_field ww_eth_fields[WW_ETH_F_END + 1] = {
	[WW_ETH_F_DST] = {
		.name = "eth.dst", .label = "Destination", .alias = "dst", .type = WW_FT_MAC,
		.base = WW_BASE_HEX, .bit_off = ETH_DST * 8, .bit_width = 48,
		.help = "MAC address of the next hop on this link; ff:ff:ff:ff:ff:ff reaches every host" },
	[WW_ETH_F_DST_LG] = {
		.name = "eth.dst.lg", .label = "LG bit", .type = WW_FT_BOOL, .bit_off = ETH_DST * 8 + 6,
		.bit_width = 1, .vals = lg_names,
		.help = "1: the address was set locally, not burnt in by the maker" },
	[WW_ETH_F_DST_IG] = {
		.name = "eth.dst.ig", .label = "IG bit", .type = WW_FT_BOOL, .bit_off = ETH_DST * 8 + 7,
		.bit_width = 1, .vals = ig_names,
		.help = "1: a group address: every host that listens to it (broadcast, multicast) "
			"takes the frame" },
	[WW_ETH_F_SRC] = {
		.name = "eth.src", .label = "Source", .alias = "src", .type = WW_FT_MAC,
		.base = WW_BASE_HEX, .bit_off = ETH_SRC * 8, .bit_width = 48,
		.help = "MAC address of the interface that sent the frame" },
	[WW_ETH_F_SRC_LG] = {
		.name = "eth.src.lg", .label = "LG bit", .type = WW_FT_BOOL, .bit_off = ETH_SRC * 8 + 6,
		.bit_width = 1, .vals = lg_names,
		.help = "1: the address was set locally, not burnt in by the maker" },
	[WW_ETH_F_SRC_IG] = {
		.name = "eth.src.ig", .label = "IG bit", .type = WW_FT_BOOL, .bit_off = ETH_SRC * 8 + 7,
		.bit_width = 1, .vals = ig_names,
		.help = "a source address must be individual: 1 here is a malformed frame" },
	[WW_ETH_F_TYPE] = {
		.name = "eth.type", .label = "Type", .alias = "type", .type = WW_FT_UINT,
		.base = WW_BASE_HEX, .bit_off = ETH_TYPE * 8, .bit_width = 16, .vals = ww_ethertype_names,
		.help = "EtherType: which protocol the payload is (0x0800 IPv4, 0x0806 ARP)" },
	[WW_ETH_F_PADDING] = {
		.name = "eth.padding", .label = "Padding", .type = WW_FT_BYTES, .bit_off = -1,
		.help = "zeros the sender added to reach the 60-byte minimum frame" },
	[WW_ETH_F_END] = { 0 },
};

/* IEEE 802.1D-2004 Annex G names for the priority code points. */
static const struct ww_tok pcp_names[] = {
	{ 0, "Best Effort (default)" },
	{ 1, "Background" },
	{ 2, "Excellent Effort" },
	{ 3, "Critical Applications" },
	{ 4, "Video, < 100ms latency and jitter" },
	{ 5, "Voice, < 10ms latency and jitter" },
	{ 6, "Internetwork Control" },
	{ 7, "Network Control" },
	{ 0, NULL },
};

/* Crafting aliases follow Scapy's Dot1Q, except "dei" for the bit Scapy
 * still calls "id". */
const struct ww_field ww_vlan_fields[WW_VLAN_F_END + 1] = {
	[WW_VLAN_F_PRIORITY] = {
		.name = "vlan.priority", .label = "Priority", .alias = "prio", .type = WW_FT_UINT,
		.bit_off = VLAN_TCI * 8, .bit_width = 3, .vals = pcp_names,
		.help = "priority code point: which queue a switch puts the frame in" },
	[WW_VLAN_F_DEI] = {
		.name = "vlan.dei", .label = "DEI", .alias = "dei", .type = WW_FT_BOOL,
		.bit_off = VLAN_TCI * 8 + 3, .bit_width = 1,
		.help = "drop eligible: under congestion, drop this frame first" },
	[WW_VLAN_F_ID] = {
		.name = "vlan.id", .label = "ID", .alias = "vlan", .type = WW_FT_UINT,
		.bit_off = VLAN_TCI * 8 + 4, .bit_width = 12,
		.help = "VLAN identifier: which virtual LAN the frame belongs to (1..4094)" },
	[WW_VLAN_F_ETYPE] = {
		.name = "vlan.etype", .label = "Type", .alias = "type", .type = WW_FT_UINT,
		.base = WW_BASE_HEX, .bit_off = VLAN_ETYPE * 8, .bit_width = 16,
		.vals = ww_ethertype_names,
		.help = "EtherType of the payload inside the tag" },
	[WW_VLAN_F_END] = { 0 },
};

/* The first field of a multi-field word that is not all there: with no
 * byte left, the word's first field; with some, the one running on. */
static const char *cut_field(const struct ww_cursor *c, const char *first, const char *rest)
{
	return ww_cur_left(c) == 0 ? first : rest;
}

int ww_eth_parse(struct ww_cursor *c, struct ww_eth *eth)
{
	memset(eth, 0, sizeof *eth);
	const uint8_t *p = ww_cur_here(c);
	if (ww_cur_left(c) >= WW_ETH_HLEN) {
		/* Nearly always: one bounds check for the 14 bytes. */
		ww_cur_bytes(c, WW_ETH_HLEN, "eth.dst");
		memcpy(eth->dst, p + ETH_DST, 6);
		memcpy(eth->src, p + ETH_SRC, 6);
		eth->type = ww_get16(p + ETH_TYPE);
	} else {
		/* Field by field: the error names the field the bytes ran out in. */
		ww_cur_copy(c, eth->dst, 6, "eth.dst");
		ww_cur_copy(c, eth->src, 6, "eth.src");
		eth->type = ww_cur_u16(c, "eth.type");
	}
	if (ww_cur_ok(c) && eth->type == WW_ETHERTYPE_VLAN) {
		eth->has_vlan = true;
		uint16_t tci = ww_cur_u16(c, cut_field(c, "vlan.priority", "vlan.id"));
		eth->vlan_pcp = (uint8_t)(tci >> 13);
		eth->vlan_dei = (uint8_t)(tci >> 12 & 1);
		eth->vlan_id = tci & 0x0fff;
		eth->type = ww_cur_u16(c, "vlan.etype");
	}
	return ww_cur_ok(c) ? 0 : -1;
}

size_t ww_eth_header_len(const struct ww_eth *eth)
{
	return WW_ETH_HLEN + (eth->has_vlan ? WW_VLAN_HLEN : 0);
}

size_t ww_eth_emit(const struct ww_eth *eth, uint8_t *buf, size_t cap)
{
	size_t n = ww_eth_header_len(eth);
	if (cap < n)
		return 0;
	memcpy(buf + ETH_DST, eth->dst, 6);
	memcpy(buf + ETH_SRC, eth->src, 6);
	if (eth->has_vlan) {
		/* Out-of-range values are cut to their field's width. */
		uint16_t tci = (uint16_t)((eth->vlan_pcp & 7u) << 13 | (eth->vlan_dei & 1u) << 12 |
					  (eth->vlan_id & 0x0fffu));
		ww_put16(buf + ETH_TYPE, WW_ETHERTYPE_VLAN);
		ww_put16(buf + WW_ETH_HLEN + VLAN_TCI, tci);
		ww_put16(buf + WW_ETH_HLEN + VLAN_ETYPE, eth->type);
	} else {
		ww_put16(buf + ETH_TYPE, eth->type);
	}
	return n;
}

static uint32_t min_u32(size_t a, size_t b)
{
	return (uint32_t)(a < b ? a : b);
}

struct ww_layer *ww_eth_dissect(struct ww_dissection *d, struct ww_cursor *c)
{
	uint32_t off = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	struct ww_eth eth;
	int rc = ww_eth_parse(c, &eth);

	struct ww_layer *l = ww_layer_add(d, WW_P_ETH, "eth", "Ethernet II", ww_eth_fields, off);
	if (l) {
		l->h.eth = eth;
		l->len = min_u32(avail, WW_ETH_HLEN);
		ww_dissect_fixed_rows(d, ww_eth_fields, WW_ETH_F_TYPE + 1, off, l->len);
	}
	/* Wireshark shows the tag as a layer of its own after eth.type 0x8100;
	 * both layers carry the same parsed header. */
	if (l && eth.has_vlan) {
		uint32_t voff = off + WW_ETH_HLEN;
		l = ww_layer_add(d, WW_P_VLAN, "vlan", "802.1Q Virtual LAN", ww_vlan_fields, voff);
		if (l) {
			l->h.eth = eth;
			l->len = min_u32(avail - WW_ETH_HLEN, WW_VLAN_HLEN);
			ww_dissect_fixed_rows(d, ww_vlan_fields, WW_VLAN_F_ETYPE + 1, voff, l->len);
		}
	}
	if (rc < 0 || !l) {
		ww_dissect_error(d, c);
		return NULL;
	}
	return l;
}
