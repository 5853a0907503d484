/* The bytes themselves, 16 to a line, each coloured by the layer that owns
 * it (the innermost one, as Wireshark's hex pane highlights a field). In
 * plain text a line of letters under each hex line says the same, so a
 * capture pasted into a bug report or a lesson still shows the layers. */
#include <string.h>

#include "view_int.h"

#define PER_LINE 16

struct spans {
	unsigned n;
	uint32_t off[WW_MAX_LAYERS], len[WW_MAX_LAYERS];
};

/* Index of the layer that owns byte I: the last (innermost) one covering
 * it, or -1 for bytes no layer reached. */
static int owner(const struct spans *s, uint32_t i)
{
	for (unsigned li = s->n; li-- > 0;)
		if (i >= s->off[li] && i - s->off[li] < s->len[li])
			return (int)li;
	return -1;
}

static enum vw_kind owner_kind(const struct ww_dissection *d, int li)
{
	return li < 0 ? VW_K_NONE : vw_layer_kind(d, (unsigned)li);
}

static char owner_letter(const struct ww_dissection *d, int li)
{
	return li < 0 ? '?' : vw_layer_letter(d, (unsigned)li);
}

static void put_hex_line(FILE *out, const struct ww_dissection *d, const struct spans *s,
			 uint32_t start, bool color)
{
	uint32_t end = d->len - start < PER_LINE ? d->len : start + PER_LINE;
	fprintf(out, "%04x  ", start);
	int cur = -2;
	for (uint32_t i = start; i < end; i++) {
		int o = owner(s, i);
		if (color && o != cur) {
			fputs(vw_kind_color(owner_kind(d, o)), out);
			cur = o;
		}
		fprintf(out, "%02x ", d->frame[i]);
	}
	vw_color_off(out, color);
	fprintf(out, "%*s ", (int)(3 * (PER_LINE - (end - start))), "");
	cur = -2;
	for (uint32_t i = start; i < end; i++) {
		int o = owner(s, i);
		if (color && o != cur) {
			fputs(vw_kind_color(owner_kind(d, o)), out);
			cur = o;
		}
		uint8_t c = d->frame[i];
		fputc(c >= 0x20 && c < 0x7f ? c : '.', out);
	}
	vw_color_off(out, color);
	fputc('\n', out);
}

static void put_letter_line(FILE *out, const struct ww_dissection *d, const struct spans *s,
			    uint32_t start)
{
	uint32_t end = d->len - start < PER_LINE ? d->len : start + PER_LINE;
	fputs("      ", out);
	for (uint32_t i = start; i < end; i++) {
		char c = owner_letter(d, owner(s, i));
		fprintf(out, "%s%c%c", i > start ? " " : "", c, c);
	}
	fputc('\n', out);
}

static void legend_name(const struct ww_dissection *d, int li, char *buf, size_t n)
{
	if (li < 0)
		snprintf(buf, n, "not dissected");
	else
		snprintf(buf, n, "%s%s", vw_layer_short(d, (unsigned)li),
			 d->layers[li].depth ? " (quoted)" : "");
}

/* One entry per letter and name, in the order the bytes show them. */
static void put_legend(FILE *out, const struct ww_dissection *d, const struct spans *s, bool color)
{
	char seen_letter[WW_MAX_LAYERS + 1];
	char seen_name[WW_MAX_LAYERS + 1][32];
	unsigned nseen = 0;
	fputs("legend:", out);
	int prev = -2;
	for (uint32_t i = 0; i < d->len; i++) {
		int o = owner(s, i);
		if (o == prev)
			continue;
		prev = o;
		char name[32];
		char letter = owner_letter(d, o);
		legend_name(d, o, name, sizeof name);
		bool dup = false;
		for (unsigned k = 0; k < nseen && !dup; k++)
			dup = seen_letter[k] == letter && strcmp(seen_name[k], name) == 0;
		if (dup || nseen == WW_MAX_LAYERS + 1)
			continue;
		seen_letter[nseen] = letter;
		memcpy(seen_name[nseen++], name, sizeof name);
		if (color) {
			fprintf(out, " %s%s" VW_RESET, vw_kind_color(owner_kind(d, o)), name);
		} else {
			fprintf(out, "%s %c %s", nseen > 1 ? "," : "", letter, name);
		}
	}
	fputc('\n', out);
}

void ww_view_hex(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o)
{
	bool color = o && o->color;
	if (d->len == 0)
		return;
	struct spans s = { .n = d->nlayers };
	for (unsigned li = 0; li < d->nlayers; li++)
		vw_layer_span(d, li, &s.off[li], &s.len[li]);
	for (uint32_t start = 0; start < d->len; start += PER_LINE) {
		put_hex_line(out, d, &s, start, color);
		if (!color)
			put_letter_line(out, d, &s, start);
		if (d->len - start <= PER_LINE)
			break;
	}
	put_legend(out, d, &s, color);
}
