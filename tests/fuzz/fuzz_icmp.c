/* ICMP header parser: anything parsed must emit back to the same bytes and
 * parse again to the same header; a checksum computed on emit verifies;
 * dissection stays within the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/icmp.h"

#include "fuzz_check.h"

static struct ww_dissection dis;
static uint8_t msg[65536];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > sizeof msg)
		return 0;
	struct ww_cursor c;
	struct ww_icmp h;
	ww_cur_init(&c, data, size, 0);
	if (ww_icmp_parse(&c, &h) != 0) {
		check(c.err.status == WW_TRUNCATED && c.err.field != NULL && size < 8);
	} else {
		check(ww_cur_left(&c) == size - 8);
		memcpy(msg, data, size);
		memset(msg, 0xa5, 8);
		check(ww_icmp_emit(&h, msg, size) == 8);
		check(memcmp(msg, data, size) == 0);
		struct ww_icmp again;
		ww_cur_init(&c, msg, size, 0);
		check(ww_icmp_parse(&c, &again) == 0);
		/* Field by field: a struct's padding need not match. */
		check(again.type == h.type && again.code == h.code && again.checksum == h.checksum &&
		      again.ident == h.ident && again.seq == h.seq && again.rest == h.rest &&
		      again.manual == h.manual);
		h.manual = 0;
		check(ww_icmp_emit(&h, msg, size) == 8);
		check(ww_inet_csum(msg, size) == 0);
	}
	for (int complete = 0; complete < 2; complete++) {
		ww_dissect_reset(&dis, data, size);
		ww_cur_init(&c, data, size, 0);
		struct ww_layer *l = ww_icmp_dissect(&dis, &c, complete);
		check((l == NULL) == (dis.nerrors == 1));
		items_within(&dis, data, size);
	}
	return 0;
}
