/* A dissection: what one frame was found to contain, layer by layer and
 * field by field, each field with its place in the frame (so the hexdump can
 * colour the right bytes) and its value (so JSON, filters and the grader can
 * read it). Fixed-size storage: dissecting a frame allocates nothing. */
#ifndef WW_DISSECT_H
#define WW_DISSECT_H

#include <stdbool.h>
#include <stdint.h>

#include "ww/arp.h"
#include "ww/bytes.h"
#include "ww/cursor.h"
#include "ww/dns.h"
#include "ww/eth.h"
#include "ww/field.h"
#include "ww/icmp.h"
#include "ww/ipv4.h"
#include "ww/tcp.h"
#include "ww/udp.h"

#define WW_MAX_LAYERS 12
#define WW_MAX_ITEMS 1024
#define WW_MAX_ERRORS 4
#define WW_STRS_SIZE 8192

enum ww_check { WW_CHECK_NONE, WW_CHECK_GOOD, WW_CHECK_BAD };

enum ww_proto {
	WW_P_ETH, WW_P_VLAN, WW_P_ARP, WW_P_IPV4, WW_P_ICMP, WW_P_UDP, WW_P_TCP,
	WW_P_DNS, WW_P_DATA, WW_P_TLS, WW_P_HTTP,
};

/* One field found in the frame. The small members share the last word:
 * 48 bytes, and every item of every frame is written. */
struct ww_item {
	const struct ww_field *f;
	uint32_t off, len;   /* the bytes of the frame this field covers */
	uint64_t u;          /* UINT, BOOL, IPV4: the shown value (raw * mult) */
	uint64_t expect;     /* with check == WW_CHECK_BAD: the right checksum */
	const uint8_t *p;    /* MAC, IPV6, BYTES, STRING: the value's bytes */
	uint32_t plen;
	uint8_t layer;       /* index into ww_dissection.layers */
	uint8_t depth;       /* nesting under the layer: 0 top, 1 inside a record... */
	uint8_t check;       /* enum ww_check, for checksum fields */
};

/* One protocol header found in the frame. */
struct ww_layer {
	enum ww_proto proto;
	const char *name;            /* field-name prefix: "ip" */
	const char *title;           /* "Internet Protocol Version 4" */
	const struct ww_field *fields; /* this protocol's field table */
	uint32_t off, len;           /* header bytes in the frame */
	uint8_t depth;               /* 1 for a header quoted inside an ICMP error */
	union {                      /* the parsed header, for summaries */
		struct ww_eth eth;
		struct ww_arp arp;
		struct ww_ipv4 ip;
		struct ww_icmp icmp;
		struct ww_udp udp;
		struct ww_tcp tcp;
		struct ww_dns_header dns;
	} h;
};

struct ww_dissection {
	const uint8_t *frame;
	uint32_t len;
	uint8_t depth; /* current nesting: layers added now get this depth */
	unsigned nlayers, nitems, nerrors, strs_used;
	bool items_full; /* some items were not recorded: WW_MAX_ITEMS reached */
	struct ww_layer layers[WW_MAX_LAYERS];
	/* An item is three 16-byte words, written with wide stores: on a
	 * 16-byte boundary no word straddles two cache lines, which is slow.
	 * (16, not more: malloc aligns to 16.) */
	_Alignas(16) struct ww_item items[WW_MAX_ITEMS];
	struct ww_error errors[WW_MAX_ERRORS];
	char strs[WW_STRS_SIZE]; /* text values (DNS names) live here */
};

/* Bytes no protocol claimed: data.data, data.len (Wireshark's "data"). */
extern const struct ww_field ww_data_fields[];

/* Dissect one Ethernet frame. D must outlive nothing but FRAME. */
void ww_dissect(struct ww_dissection *d, const uint8_t *frame, size_t len);

/* Building blocks for protocol dissectors. */
void ww_dissect_reset(struct ww_dissection *d, const uint8_t *frame, size_t len);
/* A new layer starting at frame offset OFF; NULL if there is no room. */
static inline struct ww_layer *ww_layer_add(struct ww_dissection *d, enum ww_proto proto,
					    const char *name, const char *title,
					    const struct ww_field *fields, uint32_t off)
{
	if (d->nlayers == WW_MAX_LAYERS)
		return NULL;
	struct ww_layer *l = &d->layers[d->nlayers++];
	l->proto = proto;
	l->name = name;
	l->title = title;
	l->fields = fields;
	l->off = off;
	l->len = 0;
	l->depth = d->depth;
	return l;
}
/* Add an item to the last layer; NULL if full (the dissection is marked).
 * Inline: a TCP SYN alone adds some fifty. */
static inline struct ww_item *ww_item_add(struct ww_dissection *d, const struct ww_field *f,
					  uint32_t off, uint32_t len, uint8_t depth)
{
	if (d->nitems == WW_MAX_ITEMS || d->nlayers == 0) {
		d->items_full = true;
		return NULL;
	}
	struct ww_item *it = &d->items[d->nitems++];
	*it = (struct ww_item){ .f = f, .off = off, .len = len,
				.layer = (uint8_t)(d->nlayers - 1), .depth = depth };
	return it;
}
static inline struct ww_item *ww_item_uint(struct ww_dissection *d, const struct ww_field *f,
					   uint32_t off, uint32_t len, uint8_t depth, uint64_t v)
{
	struct ww_item *it = ww_item_add(d, f, off, len, depth);
	if (it)
		it->u = v;
	return it;
}
static inline struct ww_item *ww_item_bytes(struct ww_dissection *d, const struct ww_field *f,
					    uint32_t off, uint32_t len, uint8_t depth,
					    const uint8_t *p, uint32_t plen)
{
	struct ww_item *it = ww_item_add(d, f, off, len, depth);
	if (it) {
		it->p = p;
		it->plen = plen;
	}
	return it;
}
/* Copy S (N bytes) into the dissection's string store and add it as a
 * STRING item. */
struct ww_item *ww_item_string(struct ww_dissection *d, const struct ww_field *f, uint32_t off,
			       uint32_t len, uint8_t depth, const char *s, size_t n);
/* Add every fixed-position field of TABLE (its leading run of fixed rows)
 * whose bits lie within the AVAIL bytes at frame offset HDR_OFF, in table
 * order, at depth 0 (1 for a WW_F_NESTED row). A BOOL row wider than one
 * bit is 1 if any of its bits is set. */
void ww_dissect_fixed(struct ww_dissection *d, const struct ww_field *table, uint32_t hdr_off,
		      uint32_t avail);
/* The value of a fixed field is in the item's bytes (p) for these types,
 * a number (u) for the others. */
static inline bool ww_ftype_holds_bytes(enum ww_ftype t)
{
	return t == WW_FT_MAC || t == WW_FT_IPV6 || t == WW_FT_BYTES;
}

/* ITEM becomes the item of fixed row F of the header HDR at frame offset
 * HDR_OFF, whose bytes the caller has checked are there. */
static inline void ww_item_fixed(struct ww_item *it, const struct ww_field *f, const uint8_t *hdr,
				 uint32_t hdr_off, uint8_t layer)
{
	unsigned bit = (unsigned)f->bit_off;
	unsigned first = bit / 8, end = (bit + f->bit_width + 7) / 8;
	*it = (struct ww_item){ .f = f, .off = hdr_off + first, .len = end - first, .layer = layer,
				.depth = (f->flags & WW_F_NESTED) ? 1 : 0 };
	if (ww_ftype_holds_bytes(f->type)) {
		it->p = hdr + first;
		it->plen = end - first;
		return;
	}
	uint64_t v = ww_get_bits(hdr, bit, f->bit_width);
	if (f->type == WW_FT_BOOL)
		v = v != 0;
	else if (f->mult)
		v *= f->mult;
	it->u = v;
}

/* Unroll the loop that follows completely. GCC does it only when asked;
 * clang unrolls such short loops of its own accord, and warns when asked
 * for what it cannot do (under sanitizers). */
#if defined(__GNUC__) && !defined(__clang__)
#define WW_UNROLL _Pragma("GCC unroll 64")
#else
#define WW_UNROLL
#endif

/* ww_dissect_fixed for a table whose fixed run is its first N rows (each
 * a field with a value, not WW_FT_NONE), fast when all N lie within AVAIL
 * (the header's fixed part is whole, as in nearly every frame). Returns
 * the N items in row order (the item of row r is [r]) when all were
 * added; NULL when the general walk was taken. Inline on purpose: called
 * with a protocol's own table and N, the compiler unrolls the loops and
 * reads the rows while compiling, so each field costs a few instructions.
 * Every frame has a fixed header or three. */
static inline struct ww_item *ww_dissect_fixed_rows(struct ww_dissection *d,
						    const struct ww_field *table, unsigned n,
						    uint32_t hdr_off, uint32_t avail)
{
	unsigned need = 0; /* bytes the N rows span */
	WW_UNROLL
	for (unsigned i = 0; i < n; i++) {
		unsigned end = ((unsigned)table[i].bit_off + table[i].bit_width + 7) / 8;
		need = end > need ? end : need;
	}
	if (avail < need || d->nlayers == 0 || WW_MAX_ITEMS - d->nitems < n) {
		ww_dissect_fixed(d, table, hdr_off, avail);
		return NULL;
	}
	const uint8_t *hdr = d->frame + hdr_off;
	uint8_t layer = (uint8_t)(d->nlayers - 1);
	struct ww_item *items = &d->items[d->nitems];
	WW_UNROLL
	for (unsigned i = 0; i < n; i++)
		ww_item_fixed(&items[i], &table[i], hdr, hdr_off, layer);
	d->nitems += n;
	return items;
}

/* The last item of row F in the last layer, or NULL (for setting a
 * checksum verdict after ww_dissect_fixed). Rows are compared by address:
 * pass &ww_ipv4_fields[WW_IP_F_CHECKSUM], not a copy. */
struct ww_item *ww_item_last(struct ww_dissection *d, const struct ww_field *f);
/* The item of row ROW of TABLE just added by ww_dissect_fixed_rows, which
 * returned FIXED: no search in the usual case. */
static inline struct ww_item *ww_fixed_item(struct ww_dissection *d, struct ww_item *fixed,
					    const struct ww_field *table, unsigned row)
{
	return fixed ? &fixed[row] : ww_item_last(d, &table[row]);
}
/* Record a cursor's error in the dissection (no-op if the cursor is fine). */
void ww_dissect_error(struct ww_dissection *d, const struct ww_cursor *c);

#endif
