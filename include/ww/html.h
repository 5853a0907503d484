/* What a browser fetches after the page: the subresources an HTML
 * document names. Not an HTML parser: a scanner over the tags that load
 * something by themselves when the page is shown (WHATWG HTML: a
 * stylesheet link, a script with src, an image), enough to show that one
 * page is many requests.
 *
 * Pure and bounded: it reads only the LEN bytes given, skips comments,
 * and keeps at most WW_HTML_MAX_REFS references of at most
 * WW_HTML_REF_MAX - 1 bytes each (longer ones are counted, not kept). */
#ifndef WW_HTML_H
#define WW_HTML_H

#include <stddef.h>
#include <stdint.h>

#define WW_HTML_MAX_REFS 32
#define WW_HTML_REF_MAX 512

enum ww_html_ref_kind { WW_HTML_STYLESHEET, WW_HTML_SCRIPT, WW_HTML_IMAGE, WW_HTML_ICON };

struct ww_html_ref {
	enum ww_html_ref_kind kind;
	char url[WW_HTML_REF_MAX]; /* as written, character references &amp; decoded */
	size_t offset;             /* where its tag starts in the document */
};

struct ww_html_refs {
	size_t n;
	size_t dropped;            /* references beyond the limits, not kept */
	struct ww_html_ref ref[WW_HTML_MAX_REFS];
};

/* Scan DOC for subresources, in document order. Duplicates are kept once. */
void ww_html_refs(const uint8_t *doc, size_t len, struct ww_html_refs *out);
/* "stylesheet", "script", "image", "icon". */
const char *ww_html_ref_kind_name(enum ww_html_ref_kind k);

#endif
