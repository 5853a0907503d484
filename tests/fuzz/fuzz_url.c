/* URL text: parse, classify, turn into a URL, resolve against a fixed base
 * and format back. Whatever parses must format to text that parses to the
 * same URL text; nothing may crash or overrun. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/url.h"

static struct ww_url u, again, res, up;
static char text[WW_URL_MAX + 1], out[WW_URL_MAX * 4], out2[WW_URL_MAX * 4];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ww_error err;
	if (size > WW_URL_MAX)
		size = WW_URL_MAX;
	memcpy(text, data, size);
	text[size] = 0;
	if (ww_url_parse(text, &u, &err) == 0) {
		if (ww_url_format(&u, out, sizeof out) >= 0 && strlen(out) < WW_URL_MAX) {
			/* a default port given explicitly is not written back */
			if (ww_url_parse(out, &again, &err) != 0 || ww_url_format(&again, out2, sizeof out2) < 0 ||
			    strcmp(out, out2) || u.port != again.port || strcmp(u.path, again.path))
				abort();
		}
		ww_url_target(&u, out, sizeof out);
		ww_url_authority(&u, out, sizeof out);
		ww_hsts_upgrade(&u, NULL, 0, &up);
		ww_url_resolve(&u, "../x?y#z", &res, &err);
	}
	ww_url_classify(text);
	ww_url_from_input(text, &u, &err);
	ww_url_resolve_text("http://a/b/c/d;p?q", text, out, sizeof out, &err);
	ww_url_parse("http://example.com/dir/page", &u, &err);
	ww_url_resolve(&u, text, &res, &err);
	return 0;
}
