/* Ethernet II (IEEE 802.3 framing as Ethernet II / DIX) with one optional
 * 802.1Q tag. The preamble, SFD and FCS are not in a captured frame: the
 * NIC adds them on send and strips them on receive. */
#ifndef WW_ETH_H
#define WW_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_ETH_HLEN 14
#define WW_VLAN_HLEN 4
#define WW_ETH_MIN_FRAME 60 /* without FCS: shorter frames are padded by the sender */
#define WW_ETH_FCS_LEN 4

#define WW_ETHERTYPE_IPV4 0x0800
#define WW_ETHERTYPE_ARP 0x0806
#define WW_ETHERTYPE_VLAN 0x8100
#define WW_ETHERTYPE_IPV6 0x86dd

struct ww_eth {
	uint8_t dst[6], src[6];
	bool has_vlan;
	uint8_t vlan_pcp;  /* priority code point, 3 bits */
	uint8_t vlan_dei;  /* drop eligible, 1 bit */
	uint16_t vlan_id;  /* 12 bits */
	uint16_t type;     /* the EtherType of the payload (after the tag, if any) */
};

/* Rows of the field tables, so code names a row without looking it up:
 * &ww_eth_fields[WW_ETH_F_PADDING]. Fixed fields first, in wire order. */
enum ww_eth_field_row {
	WW_ETH_F_DST, WW_ETH_F_DST_LG, WW_ETH_F_DST_IG, WW_ETH_F_SRC, WW_ETH_F_SRC_LG,
	WW_ETH_F_SRC_IG, WW_ETH_F_TYPE,
	WW_ETH_F_PADDING, /* placed by the frame dissector */
	WW_ETH_F_END,     /* the row whose name is NULL */
};
enum ww_vlan_field_row {
	WW_VLAN_F_PRIORITY, WW_VLAN_F_DEI, WW_VLAN_F_ID, WW_VLAN_F_ETYPE,
	WW_VLAN_F_END,
};

extern const struct ww_field ww_eth_fields[WW_ETH_F_END + 1];
extern const struct ww_field ww_vlan_fields[WW_VLAN_F_END + 1];
extern const struct ww_tok ww_ethertype_names[];

/* Parse the header (and the tag, if the first EtherType is 0x8100). The
 * cursor is left on the payload. 0, or -1 with the cursor's error set. */
int ww_eth_parse(struct ww_cursor *c, struct ww_eth *eth);
size_t ww_eth_header_len(const struct ww_eth *eth);
/* Write the header; returns its length, or 0 if CAP is too small. */
size_t ww_eth_emit(const struct ww_eth *eth, uint8_t *buf, size_t cap);

struct ww_dissection;
struct ww_layer;
/* Parse at the cursor, add an "eth" layer (and a "vlan" layer if tagged)
 * with their items. Returns the last layer added (whose h.eth.type names
 * the payload), or NULL on error (recorded in D). */
struct ww_layer *ww_eth_dissect(struct ww_dissection *d, struct ww_cursor *c);

/* "02:00:00:00:00:05"; BUF needs 18 bytes. Returns BUF. */
char *ww_mac_str(const uint8_t mac[6], char *buf);
/* Parse "aa:bb:cc:dd:ee:ff" (also '-' separated). 0 on success. */
int ww_mac_parse(const char *s, uint8_t mac[6]);

#endif
