/* Encapsulation at a glance: each header and its size, in the order they
 * sit in the frame, ending with what the NIC adds that a capture never
 * shows: the padding up to 60 bytes and the 4-byte FCS. */
#include "view_int.h"

/* The status of the error that stopped layer LI, or WW_OK. */
static enum ww_status layer_status(const struct ww_dissection *d, unsigned li)
{
	for (unsigned i = 0; i < d->nerrors; i++)
		if (vw_error_layer(d, &d->errors[i]) == (int)li)
			return d->errors[i].status;
	return WW_OK;
}

static void put_layer(FILE *out, const struct ww_dissection *d, unsigned li)
{
	uint32_t off, len;
	vw_layer_span(d, li, &off, &len);
	if (vw_is_padding(d, li)) {
		fprintf(out, "(padding %u B)", len);
		return;
	}
	fprintf(out, "%s %u B", vw_layer_short(d, li), len);
	enum ww_status st = layer_status(d, li);
	if (st != WW_OK)
		fputs(st == WW_TRUNCATED ? " (truncated)" : " (invalid)", out);
	else if (vw_layer_partial(d, li))
		fputs(" (partial)", out);
}

static void seg_start(FILE *out, bool color, enum vw_kind kind)
{
	fputc(' ', out);
	vw_color_on(out, color, vw_kind_color(kind));
}

static void seg_end(FILE *out, bool color)
{
	vw_color_off(out, color);
	fputs(" │", out);
}

/* The headers an ICMP error quotes (depth 1) follow its layer: show them
 * inside the ICMP part, as they are inside the ICMP message. Returns the
 * index of the last one. */
static unsigned put_quoted(FILE *out, const struct ww_dissection *d, unsigned li)
{
	unsigned last = li;
	for (unsigned q = li + 1; q < d->nlayers && d->layers[q].depth > 0; q++) {
		fputs(q == li + 1 ? " (quoted: " : ", ", out);
		put_layer(out, d, q);
		last = q;
	}
	if (last != li)
		fputc(')', out);
	return last;
}

/* Where the dissection stopped: the end of the last byte any layer covers. */
static uint32_t covered_end(const struct ww_dissection *d)
{
	uint32_t end = 0;
	for (unsigned li = 0; li < d->nlayers; li++) {
		uint32_t off, len;
		vw_layer_span(d, li, &off, &len);
		if (off + len > end)
			end = off + len;
	}
	return end;
}

void ww_view_bar(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o)
{
	bool color = o && o->color;
	fputs("│", out);
	for (unsigned li = 0; li < d->nlayers; li++) {
		uint32_t off, len;
		vw_layer_span(d, li, &off, &len);
		if (d->layers[li].depth > 0 || (len == 0 && layer_status(d, li) == WW_OK))
			continue;
		seg_start(out, color, vw_layer_kind(d, li));
		put_layer(out, d, li);
		if (d->layers[li].proto == WW_P_ICMP)
			li = put_quoted(out, d, li);
		seg_end(out, color);
	}
	uint32_t end = covered_end(d);
	if (end < d->len) {
		seg_start(out, color, VW_K_NONE);
		fprintf(out, "not dissected %u B", d->len - end);
		seg_end(out, color);
	}
	/* veth and a sender's own capture see the frame before the NIC pads it. */
	if (d->len < WW_ETH_MIN_FRAME) {
		seg_start(out, color, VW_K_PAD);
		fprintf(out, "(padding %u B, added by the NIC)", WW_ETH_MIN_FRAME - d->len);
		seg_end(out, color);
	}
	seg_start(out, color, VW_K_LINK);
	fprintf(out, "FCS %u B", WW_ETH_FCS_LEN);
	seg_end(out, color);
	fputc('\n', out);
}
