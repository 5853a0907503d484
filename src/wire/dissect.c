#include "ww/dissect.h"

#include <string.h>

#include "ww/bytes.h"

const char *ww_tok_str(const struct ww_tok *toks, uint32_t v)
{
	for (; toks && toks->s; toks++)
		if (toks->v == v)
			return toks->s;
	return NULL;
}

const struct ww_field *ww_field_find(const struct ww_field *table, const char *name)
{
	for (; table && table->name; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

void ww_dissect_reset(struct ww_dissection *d, const uint8_t *frame, size_t len)
{
	/* Only the counters: the arrays are written before they are read. */
	d->frame = frame;
	d->len = (uint32_t)len;
	d->depth = 0;
	d->nlayers = d->nitems = d->nerrors = d->strs_used = 0;
	d->items_full = false;
}

struct ww_item *ww_item_string(struct ww_dissection *d, const struct ww_field *f, uint32_t off,
			       uint32_t len, uint8_t depth, const char *s, size_t n)
{
	if (n > WW_STRS_SIZE - d->strs_used) {
		d->items_full = true;
		return NULL;
	}
	char *dst = d->strs + d->strs_used;
	memcpy(dst, s, n);
	d->strs_used += (unsigned)n;
	return ww_item_bytes(d, f, off, len, depth, (const uint8_t *)dst, (uint32_t)n);
}

void ww_dissect_fixed(struct ww_dissection *d, const struct ww_field *table, uint32_t hdr_off,
		      uint32_t avail)
{
	if (d->nlayers == 0) {
		d->items_full = true;
		return;
	}
	const uint8_t *hdr = d->frame + hdr_off;
	uint8_t layer = (uint8_t)(d->nlayers - 1);
	for (const struct ww_field *f = table; f->name && f->bit_off >= 0; f++) {
		unsigned end = ((unsigned)f->bit_off + f->bit_width + 7) / 8;
		if (end > avail || f->type == WW_FT_NONE)
			continue;
		if (d->nitems == WW_MAX_ITEMS) {
			d->items_full = true;
			return;
		}
		ww_item_fixed(&d->items[d->nitems++], f, hdr, hdr_off, layer);
	}
}

struct ww_item *ww_item_last(struct ww_dissection *d, const struct ww_field *f)
{
	if (d->nlayers == 0)
		return NULL;
	uint8_t layer = (uint8_t)(d->nlayers - 1);
	for (unsigned i = d->nitems; i-- > 0;) {
		if (d->items[i].layer != layer)
			break;
		if (d->items[i].f == f)
			return &d->items[i];
	}
	return NULL;
}

void ww_dissect_error(struct ww_dissection *d, const struct ww_cursor *c)
{
	if (c->err.status == WW_OK || d->nerrors == WW_MAX_ERRORS)
		return;
	d->errors[d->nerrors++] = c->err;
}
