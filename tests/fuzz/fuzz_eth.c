/* Ethernet II and 802.1Q: parse any bytes; a header that parses must emit
 * back to the same bytes, and the dissector must agree with the parser
 * and keep every item inside the frame. MAC address text: whatever
 * ww_mac_parse accepts must print and parse back to the same address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/eth.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static struct ww_dissection d;

static void check_items(const uint8_t *data, size_t size)
{
	for (unsigned i = 0; i < d.nitems; i++) {
		const struct ww_item *it = &d.items[i];
		CHECK(it->off + it->len <= size);
		CHECK(!it->p || (it->p >= data && it->p + it->plen <= data + size));
	}
}

static void check_mac_text(const uint8_t *data, size_t size)
{
	char s[32];
	size_t n = size < sizeof s - 1 ? size : sizeof s - 1;
	memcpy(s, data, n);
	s[n] = '\0';
	uint8_t mac[6], again[6];
	char text[18];
	if (ww_mac_parse(s, mac) != 0)
		return;
	CHECK(strlen(s) == 17);
	CHECK(ww_mac_parse(ww_mac_str(mac, text), again) == 0);
	CHECK(memcmp(mac, again, 6) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ww_cursor c;
	struct ww_eth eth;
	ww_cur_init(&c, data, size, 0);
	int rc = ww_eth_parse(&c, &eth);
	if (rc == 0) {
		size_t n = ww_eth_header_len(&eth);
		uint8_t buf[WW_ETH_HLEN + WW_VLAN_HLEN];
		CHECK(ww_cur_offset(&c) == n);
		CHECK(ww_eth_emit(&eth, buf, sizeof buf) == n);
		CHECK(memcmp(buf, data, n) == 0);
		CHECK(ww_eth_emit(&eth, buf, n - 1) == 0);
	} else {
		/* Every value of every field is acceptable: only length fails. */
		CHECK(c.err.status == WW_TRUNCATED && c.err.field);
		CHECK(size < WW_ETH_HLEN + WW_VLAN_HLEN);
	}

	ww_dissect_reset(&d, data, size);
	ww_cur_init(&c, data, size, 0);
	struct ww_layer *l = ww_eth_dissect(&d, &c);
	CHECK((l != NULL) == (rc == 0));
	CHECK(d.nerrors == (rc == 0 ? 0u : 1u));
	CHECK(d.nlayers == 1u + eth.has_vlan);
	if (l)
		CHECK(l->h.eth.type == eth.type);
	check_items(data, size);

	check_mac_text(data, size);
	return 0;
}
