/* ARP: parse any bytes; a packet that parses must emit back to the same
 * 28 bytes; failures must be truncation or a wrong address size, named;
 * the dissector must agree with the parser and stay inside the bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/arp.h"
#include "ww/dissect.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static struct ww_dissection d;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ww_cursor c;
	struct ww_arp arp;
	ww_cur_init(&c, data, size, 0);
	int rc = ww_arp_parse(&c, &arp);
	bool sizes_wrong = size >= 8 && (data[4] != 6 || data[5] != 4);
	if (rc == 0) {
		uint8_t buf[WW_ARP_LEN];
		CHECK(ww_cur_offset(&c) == WW_ARP_LEN);
		CHECK(ww_arp_emit(&arp, buf, sizeof buf) == WW_ARP_LEN);
		CHECK(memcmp(buf, data, WW_ARP_LEN) == 0);
		/* With the sizes left to emit, the bytes are the same too. */
		arp.manual = 0;
		CHECK(ww_arp_emit(&arp, buf, sizeof buf) == WW_ARP_LEN);
		CHECK(memcmp(buf, data, WW_ARP_LEN) == 0);
	} else if (sizes_wrong) {
		CHECK(c.err.status == WW_INVALID);
		CHECK(strcmp(c.err.field, data[4] != 6 ? "arp.hw.size" : "arp.proto.size") == 0);
	} else {
		CHECK(c.err.status == WW_TRUNCATED && c.err.field);
		CHECK(size < WW_ARP_LEN);
	}

	ww_dissect_reset(&d, data, size);
	ww_cur_init(&c, data, size, 0);
	struct ww_layer *l = ww_arp_dissect(&d, &c);
	CHECK((l != NULL) == (rc == 0));
	CHECK(d.nerrors == (rc == 0 ? 0u : 1u));
	for (unsigned i = 0; i < d.nitems; i++) {
		const struct ww_item *it = &d.items[i];
		CHECK(it->off + it->len <= size);
		CHECK(it->off + it->len <= (sizes_wrong ? 8u : (unsigned)WW_ARP_LEN));
		CHECK(!it->p || (it->p >= data && it->p + it->plen <= data + size));
	}
	return 0;
}
