/* The field tree: every layer a heading, every field on its own line with
 * its value and what the value means, as Wireshark's packet-details pane.
 * Computed verdicts are in brackets ("[correct]"); a problem is marked with
 * "!" at the end of the layer it stopped. A bad packet shows everything
 * that could be read. */
#include <inttypes.h>
#include <string.h>

#include "view_int.h"

#define NAME_WIDTH_MAX 28

static unsigned item_indent(const struct ww_dissection *d, const struct ww_item *it)
{
	return 2u + 2u * d->layers[it->layer].depth + 2u * it->depth;
}

/* Names line up in a column within a layer, unless one is very long. */
static unsigned name_width(const struct ww_dissection *d, unsigned li)
{
	unsigned w = 0;
	for (unsigned i = 0; i < d->nitems; i++) {
		const struct ww_item *it = &d->items[i];
		if (it->layer != li)
			continue;
		unsigned n = 2u * it->depth + (unsigned)strlen(it->f->name);
		if (n > w && n <= NAME_WIDTH_MAX)
			w = n;
	}
	return w;
}

static void put_heading(FILE *out, const struct ww_dissection *d, unsigned li, bool color)
{
	const struct ww_layer *l = &d->layers[li];
	uint32_t off, len;
	vw_layer_span(d, li, &off, &len);
	fprintf(out, "%*s", 2 * l->depth, "");
	vw_color_on(out, color, VW_BOLD);
	vw_color_on(out, color, vw_kind_color(vw_layer_kind(d, li)));
	fputs(l->title ? l->title : l->name, out);
	vw_color_off(out, color);
	fprintf(out, ", %u byte%s at %u\n", len, len == 1 ? "" : "s", off);
}

static void put_checksum_verdict(FILE *out, const struct ww_item *it, bool color)
{
	switch (it->check) {
	case WW_CHECK_GOOD:
		vw_color_on(out, color, VW_GREEN);
		fputs(" [correct]", out);
		break;
	case WW_CHECK_BAD: {
		int w = it->f->bit_width ? (it->f->bit_width + 3) / 4 : 4;
		vw_color_on(out, color, VW_RED);
		fprintf(out, " [wrong, should be 0x%0*" PRIx64 "]", w, it->expect);
		break;
	}
	default:
		vw_color_on(out, color, VW_DIM);
		/* RFC 768: an all-zero UDP checksum means the sender computed none. */
		if (strcmp(it->f->name, "udp.checksum") == 0 && it->u == 0)
			fputs(" [none]", out);
		else
			fputs(" [unverified]", out);
	}
	vw_color_off(out, color);
}

/* Every named bit that is set: "(SYN, ACK)". */
static void put_bit_names(FILE *out, const struct ww_tok *vals, uint64_t v)
{
	bool any = false;
	fputs(" (", out);
	for (const struct ww_tok *t = vals; t->s; t++) {
		if (t->v == 0 || (v & t->v) != t->v)
			continue;
		fprintf(out, "%s%s", any ? ", " : "", t->s);
		any = true;
	}
	fputs(any ? ")" : "<none>)", out);
}

static void put_meaning(FILE *out, const struct ww_dissection *d, const struct ww_item *it,
			bool color)
{
	const struct ww_field *f = it->f;
	if (vw_is_checksum(f) && f->type == WW_FT_UINT) {
		put_checksum_verdict(out, it, color);
		return;
	}
	/* An ICMP code means something only together with its type. */
	const struct ww_layer *l = &d->layers[it->layer];
	if (l->proto == WW_P_ICMP && strcmp(f->name, "icmp.code") == 0) {
		const char *s = ww_icmp_code_str(l->h.icmp.type, (uint8_t)it->u);
		if (s)
			fprintf(out, " (%s)", s);
		return;
	}
	if (f->type != WW_FT_UINT && f->type != WW_FT_BOOL)
		return;
	if (f->vals && (f->flags & WW_F_BITS)) {
		put_bit_names(out, f->vals, it->u);
	} else if (f->vals) {
		const char *s = it->u <= UINT32_MAX ? ww_tok_str(f->vals, (uint32_t)it->u) : NULL;
		fprintf(out, " (%s)", s ? s : "unknown");
	} else if (f->type == WW_FT_BOOL) {
		fputs(it->u ? " (set)" : " (not set)", out);
	}
}

static void put_item(FILE *out, const struct ww_dissection *d, const struct ww_item *it,
		     unsigned width, bool color)
{
	unsigned indent = item_indent(d, it);
	unsigned name = 2u * it->depth + (unsigned)strlen(it->f->name);
	unsigned pad = name < width ? width - name : 0;
	fprintf(out, "%*s%s%*s ", indent, "", it->f->name, pad, "");
	if (it->f->type == WW_FT_NONE) {
		fprintf(out, "%s\n", it->f->label ? it->f->label : "");
		return;
	}
	char buf[2048];
	fputs(ww_fmt_value(it, buf, sizeof buf), out);
	put_meaning(out, d, it, color);
	fputc('\n', out);
}

static void put_error(FILE *out, const struct ww_error *e, unsigned indent, bool color)
{
	fprintf(out, "%*s", indent, "");
	vw_color_on(out, color, VW_RED);
	if (e->status == WW_TRUNCATED && strncmp(e->msg, "truncated", 9) == 0)
		fprintf(out, "! %s", e->msg);
	else if (e->status == WW_TRUNCATED)
		fprintf(out, "! truncated at %s: %s", e->field ? e->field : "frame", e->msg);
	else
		fprintf(out, "! invalid %s: %s", e->field ? e->field : "frame", e->msg);
	vw_color_off(out, color);
	fputc('\n', out);
}

void ww_view_tree(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o)
{
	bool color = o && o->color;
	for (unsigned li = 0; li < d->nlayers; li++) {
		put_heading(out, d, li, color);
		unsigned width = name_width(d, li);
		for (unsigned i = 0; i < d->nitems; i++)
			if (d->items[i].layer == li)
				put_item(out, d, &d->items[i], width, color);
		for (unsigned i = 0; i < d->nerrors; i++)
			if (vw_error_layer(d, &d->errors[i]) == (int)li)
				put_error(out, &d->errors[i], 2u + 2u * d->layers[li].depth, color);
	}
	for (unsigned i = 0; i < d->nerrors; i++)
		if (vw_error_layer(d, &d->errors[i]) < 0)
			put_error(out, &d->errors[i], 0, color);
	if (d->items_full)
		put_error(out, &(struct ww_error){ .status = WW_TRUNCATED,
						   .msg = "truncated display: more fields than the "
							  "dissection holds" },
			  0, color);
}
