/* What every fuzz target that dissects asks of the result: any input may
 * be refused, but nothing may point outside it, every error must say what
 * is wrong, and every view must take the dissection as it is. abort()
 * is how a finding is reported to libFuzzer. */
#ifndef WW_FUZZ_CHECK_H
#define WW_FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/view.h"

static inline void check(int ok)
{
	if (!ok)
		abort();
}

/* Every item covers bytes of DATA (SIZE bytes) only, and its value points
 * inside them; every error names its field and says why. */
static inline void items_within(const struct ww_dissection *d, const uint8_t *data, size_t size)
{
	for (unsigned i = 0; i < d->nitems; i++) {
		const struct ww_item *it = &d->items[i];
		check(it->off + (uint64_t)it->len <= size);
		if (it->p)
			check(it->p >= data && it->p + it->plen <= data + size);
	}
	for (unsigned i = 0; i < d->nerrors; i++)
		check(d->errors[i].status != WW_OK && d->errors[i].field != NULL &&
		      d->errors[i].msg[0] != '\0');
}

/* The summary is one line of printable text; the other views run. */
static inline void views_take(const struct ww_dissection *d)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	check(m != NULL);
	ww_view_summary(m, d, NULL);
	fclose(m);
	check(n > 0 && buf[n - 1] == '\n' && memchr(buf, '\n', n - 1) == NULL);
	for (size_t i = 0; i + 1 < n; i++)
		check((unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f);
	free(buf);
	static FILE *null;
	if (!null)
		check((null = fopen("/dev/null", "w")) != NULL);
	ww_view_tree(null, d, NULL);
	ww_view_bar(null, d, NULL);
	ww_view_hex(null, d, NULL);
	ww_view_json(null, d, 1);
}

#endif
