/* What the crafting parser (craft.c) and builder (craft_build.c) share:
 * where each settable field lives in its header. */
#ifndef WW_CRAFT_INT_H
#define WW_CRAFT_INT_H

#include "ww/craft.h"

enum craft_slot_kind { SLOT_NUM, SLOT_IPV4, SLOT_MAC, SLOT_BYTES };

/* Where a field is written: its bits in the header (BIT_OFF -1 for the
 * fields kept in the header's struct instead: TCP options, IP options,
 * payload), and what kind of value it takes. */
struct craft_slot {
	enum craft_slot_kind kind;
	int bit_off;
	unsigned width;
};

/* IP options as bytes (the tables have rows only for single options). */
extern const struct ww_field ww_craft_ip_options;

/* The slot of F in a layer of kind K: 0, or -1 if F cannot be set. */
int craft_slot(enum ww_craft_kind k, const struct ww_field *f, struct craft_slot *s);
/* The field table a layer of kind K takes its names from. */
const struct ww_field *craft_table(enum ww_craft_kind k);

/* The last assignment of F in L, or NULL. */
const struct ww_craft_set *craft_find_set(const struct ww_craft_layer *l, const struct ww_field *f);

#endif
