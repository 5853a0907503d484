/* The subresource scanner: any bytes, no read past them, every reference
 * kept NUL-terminated, within the limits. */
#include <stdlib.h>
#include <string.h>

#include "ww/html.h"

static struct ww_html_refs r;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ww_html_refs(data, size, &r);
	if (r.n > WW_HTML_MAX_REFS)
		abort();
	for (size_t i = 0; i < r.n; i++)
		if (strnlen(r.ref[i].url, WW_HTML_REF_MAX) >= WW_HTML_REF_MAX || !r.ref[i].url[0] ||
		    r.ref[i].offset >= size)
			abort();
	return 0;
}
