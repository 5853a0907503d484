#include "ww/view.h"

void ww_view_show(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o,
		  unsigned views)
{
	if (views & WW_VIEW_SUMMARY)
		ww_view_summary(out, d, o);
	if (views & WW_VIEW_TREE)
		ww_view_tree(out, d, o);
	if (views & WW_VIEW_BAR)
		ww_view_bar(out, d, o);
	if (views & WW_VIEW_HEX)
		ww_view_hex(out, d, o);
	if (views & WW_VIEW_BITS)
		ww_view_bits(out, d, o);
}
