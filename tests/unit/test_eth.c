/* Ethernet II and 802.1Q: real frames (wire_frames.h) parsed, dissected
 * and emitted byte for byte; a tagged frame as two layers; truncation at
 * every length; MAC address text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "field_rows.h"
#include "wire_frames.h"
#include "ww/bytes.h"
#include "ww/dissect.h"
#include "ww/eth.h"

static struct ww_dissection D;

static const uint8_t MAC_05[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x05 };
static const uint8_t MAC_0101[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
static const uint8_t BROADCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct ww_layer *dissect(const uint8_t *frame, size_t len, struct ww_cursor *c)
{
	ww_dissect_reset(&D, frame, len);
	ww_cur_init(c, frame, len, 0);
	return ww_eth_dissect(&D, c);
}

/* The item named NAME in layer LAYER, or NULL. */
static const struct ww_item *item(unsigned layer, const char *name)
{
	for (unsigned i = 0; i < D.nitems; i++)
		if (D.items[i].layer == layer && strcmp(D.items[i].f->name, name) == 0)
			return &D.items[i];
	return NULL;
}

static uint64_t item_u(unsigned layer, const char *name)
{
	const struct ww_item *it = item(layer, name);
	assert_non_null(it);
	return it->u;
}

static void test_parse_untagged(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_eth eth;
	ww_cur_init(&c, ww_frame_arp_request, sizeof ww_frame_arp_request, 0);
	assert_int_equal(ww_eth_parse(&c, &eth), 0);
	assert_memory_equal(eth.dst, BROADCAST, 6);
	assert_memory_equal(eth.src, MAC_05, 6);
	assert_int_equal(eth.type, WW_ETHERTYPE_ARP);
	assert_false(eth.has_vlan);
	assert_int_equal(ww_eth_header_len(&eth), 14);
	assert_int_equal(ww_cur_offset(&c), 14);
	assert_int_equal(ww_cur_left(&c), 28);

	ww_cur_init(&c, ww_frame_echo_request, sizeof ww_frame_echo_request, 0);
	assert_int_equal(ww_eth_parse(&c, &eth), 0);
	assert_memory_equal(eth.dst, MAC_0101, 6);
	assert_int_equal(eth.type, WW_ETHERTYPE_IPV4);
}

static void test_parse_tagged(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_eth eth;
	ww_cur_init(&c, ww_frame_vlan_arp, sizeof ww_frame_vlan_arp, 0);
	assert_int_equal(ww_eth_parse(&c, &eth), 0);
	/* tshark: vlan.priority 5, vlan.dei 1, vlan.id 100, vlan.etype 0x0806 */
	assert_true(eth.has_vlan);
	assert_int_equal(eth.vlan_pcp, 5);
	assert_int_equal(eth.vlan_dei, 1);
	assert_int_equal(eth.vlan_id, 100);
	assert_int_equal(eth.type, WW_ETHERTYPE_ARP);
	assert_int_equal(ww_eth_header_len(&eth), 18);
	assert_int_equal(ww_cur_offset(&c), 18);
}

/* Every fixed item equals the parsed header and covers the right bytes. */
static void test_dissect_untagged(void **state)
{
	(void)state;
	/* tshark: eth.dst.lg, eth.dst.ig = 1 1 for broadcast, 1 0 for 02:00:00:... */
	static const struct {
		const uint8_t *f;
		size_t len;
		unsigned dst_lg, dst_ig;
	} cases[] = {
		{ ww_frame_arp_request, sizeof ww_frame_arp_request, 1, 1 },
		{ ww_frame_arp_reply, sizeof ww_frame_arp_reply, 1, 0 },
		{ ww_frame_echo_request, sizeof ww_frame_echo_request, 1, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ww_cursor c;
		struct ww_layer *l = dissect(cases[i].f, cases[i].len, &c);
		assert_non_null(l);
		assert_int_equal(D.nlayers, 1);
		assert_int_equal(l->proto, WW_P_ETH);
		assert_string_equal(l->name, "eth");
		assert_int_equal(l->off, 0);
		assert_int_equal(l->len, 14);
		assert_int_equal(ww_cur_offset(&c), 14);
		const struct ww_eth *eth = &l->h.eth;

		const struct ww_item *dst = item(0, "eth.dst"), *src = item(0, "eth.src");
		assert_int_equal(dst->off, 0);
		assert_int_equal(dst->len, 6);
		assert_int_equal(dst->plen, 6);
		assert_memory_equal(dst->p, eth->dst, 6);
		assert_int_equal(src->off, 6);
		assert_memory_equal(src->p, eth->src, 6);
		assert_int_equal(item_u(0, "eth.dst.lg"), cases[i].dst_lg);
		assert_int_equal(item_u(0, "eth.dst.ig"), cases[i].dst_ig);
		assert_int_equal(item_u(0, "eth.dst.ig"), eth->dst[0] & 1);
		assert_int_equal(item_u(0, "eth.dst.lg"), eth->dst[0] >> 1 & 1);
		assert_int_equal(item(0, "eth.dst.ig")->off, 0);
		assert_int_equal(item(0, "eth.dst.ig")->len, 1);
		assert_int_equal(item_u(0, "eth.src.lg"), 1); /* 02:... is locally administered */
		assert_int_equal(item_u(0, "eth.src.ig"), 0);
		assert_int_equal(item(0, "eth.src.ig")->off, 6);
		assert_int_equal(item_u(0, "eth.type"), eth->type);
		assert_int_equal(item(0, "eth.type")->off, 12);
		assert_int_equal(item(0, "eth.type")->len, 2);
		assert_null(item(0, "eth.padding")); /* added by the frame dissector */
		assert_int_equal(D.nitems, 7);
	}
}

static void test_dissect_tagged(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_layer *l = dissect(ww_frame_vlan_arp, sizeof ww_frame_vlan_arp, &c);
	assert_non_null(l);
	assert_int_equal(D.nlayers, 2);
	assert_ptr_equal(l, &D.layers[1]);
	assert_int_equal(l->proto, WW_P_VLAN);
	assert_string_equal(l->name, "vlan");
	assert_int_equal(l->off, 14);
	assert_int_equal(l->len, 4);
	assert_int_equal(D.layers[0].len, 14);
	/* Both layers hold the header; its type is the inner EtherType. */
	assert_int_equal(D.layers[0].h.eth.type, WW_ETHERTYPE_ARP);
	assert_int_equal(l->h.eth.type, WW_ETHERTYPE_ARP);
	assert_int_equal(l->h.eth.vlan_id, 100);
	/* On the wire the outer type is the TPID. */
	assert_int_equal(item_u(0, "eth.type"), WW_ETHERTYPE_VLAN);
	assert_int_equal(item_u(1, "vlan.priority"), l->h.eth.vlan_pcp);
	assert_int_equal(item_u(1, "vlan.priority"), 5);
	assert_int_equal(item_u(1, "vlan.dei"), 1);
	assert_int_equal(item_u(1, "vlan.id"), 100);
	assert_int_equal(item(1, "vlan.id")->off, 14);
	assert_int_equal(item(1, "vlan.id")->len, 2);
	assert_int_equal(item_u(1, "vlan.etype"), WW_ETHERTYPE_ARP);
	assert_int_equal(item(1, "vlan.etype")->off, 16);
	assert_int_equal(ww_cur_offset(&c), 18);
	assert_string_equal(ww_tok_str(item(1, "vlan.priority")->f->vals, 5),
			    "Voice, < 10ms latency and jitter");
}

static void test_emit(void **state)
{
	(void)state;
	struct ww_eth eth = { .type = WW_ETHERTYPE_IPV4 };
	memcpy(eth.dst, MAC_0101, 6);
	memcpy(eth.src, MAC_05, 6);
	uint8_t buf[32];
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_eth_emit(&eth, buf, sizeof buf), 14);
	assert_memory_equal(buf, ww_frame_echo_request, 14);
	for (size_t i = 14; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xa5);

	struct ww_eth tagged = { .has_vlan = true, .vlan_pcp = 5, .vlan_dei = 1, .vlan_id = 100,
				 .type = WW_ETHERTYPE_ARP };
	memcpy(tagged.dst, BROADCAST, 6);
	memcpy(tagged.src, MAC_05, 6);
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_eth_emit(&tagged, buf, sizeof buf), 18);
	assert_memory_equal(buf, ww_frame_vlan_arp, 18);
	for (size_t i = 18; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xa5);

	/* Too small: nothing written. */
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_eth_emit(&tagged, buf, 17), 0);
	assert_int_equal(ww_eth_emit(&eth, buf, 13), 0);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xa5);

	/* Values wider than their fields are cut to the field. */
	tagged.vlan_id = 0x1064;
	tagged.vlan_pcp = 13;
	assert_int_equal(ww_eth_emit(&tagged, buf, sizeof buf), 18);
	assert_int_equal(ww_get16(buf + 14), 0xb064);
}

static void round_trip(const uint8_t *frame, size_t len)
{
	struct ww_cursor c;
	struct ww_eth eth;
	ww_cur_init(&c, frame, len, 0);
	assert_int_equal(ww_eth_parse(&c, &eth), 0);
	uint8_t buf[18];
	assert_int_equal(ww_eth_emit(&eth, buf, sizeof buf), ww_eth_header_len(&eth));
	assert_memory_equal(buf, frame, ww_eth_header_len(&eth));
}

static void test_round_trip(void **state)
{
	(void)state;
	round_trip(ww_frame_arp_request, sizeof ww_frame_arp_request);
	round_trip(ww_frame_arp_reply, sizeof ww_frame_arp_reply);
	round_trip(ww_frame_echo_request, sizeof ww_frame_echo_request);
	round_trip(ww_frame_port_unreach, sizeof ww_frame_port_unreach);
	round_trip(ww_frame_vlan_arp, sizeof ww_frame_vlan_arp);
}

static const char *cut_field(size_t n)
{
	if (n < 6)
		return "eth.dst";
	if (n < 12)
		return "eth.src";
	if (n < 14)
		return "eth.type";
	if (n == 14)
		return "vlan.priority";
	if (n == 15)
		return "vlan.id"; /* the priority and DEI are there, the ID is cut */
	return "vlan.etype";
}

static void test_truncated_at_every_length(void **state)
{
	(void)state;
	for (size_t n = 0; n < 18; n++) {
		/* Exactly N bytes: a read past them is caught by the sanitizers. */
		uint8_t *f = malloc(n ? n : 1);
		assert_non_null(f);
		memcpy(f, ww_frame_vlan_arp, n);
		struct ww_cursor c;
		struct ww_eth eth;
		ww_cur_init(&c, f, n, 0);
		assert_int_equal(ww_eth_parse(&c, &eth), -1);
		assert_int_equal(c.err.status, WW_TRUNCATED);
		assert_string_equal(c.err.field, cut_field(n));

		assert_null(dissect(f, n, &c));
		assert_int_equal(D.nerrors, 1);
		assert_int_equal(D.errors[0].status, WW_TRUNCATED);
		assert_string_equal(D.errors[0].field, cut_field(n));
		assert_int_equal(D.nlayers, n >= 14 ? 2 : 1);
		for (unsigned i = 0; i < D.nitems; i++)
			assert_true(D.items[i].off + D.items[i].len <= n);
		assert_int_equal(item(0, "eth.src") != NULL, n >= 12);
		assert_int_equal(item(0, "eth.dst.ig") != NULL, n >= 1);
		if (n >= 14)
			assert_int_equal(item(1, "vlan.dei") != NULL, n >= 15);
		free(f);
	}
	/* Untagged frames are whole at 14 bytes, with no payload. */
	struct ww_cursor c;
	struct ww_eth eth;
	ww_cur_init(&c, ww_frame_arp_request, 14, 0);
	assert_int_equal(ww_eth_parse(&c, &eth), 0);
	assert_int_equal(ww_cur_left(&c), 0);
}

static void test_mac_text(void **state)
{
	(void)state;
	char buf[18];
	uint8_t mac[6];
	assert_string_equal(ww_mac_str(MAC_05, buf), "02:00:00:00:00:05");
	assert_string_equal(ww_mac_str(BROADCAST, buf), "ff:ff:ff:ff:ff:ff");
	static const uint8_t mixed[6] = { 0x0a, 0xbc, 0xde, 0xf0, 0x12, 0x9f };
	assert_string_equal(ww_mac_str(mixed, buf), "0a:bc:de:f0:12:9f");

	assert_int_equal(ww_mac_parse("02:00:00:00:01:01", mac), 0);
	assert_memory_equal(mac, MAC_0101, 6);
	assert_int_equal(ww_mac_parse("0A-BC-de-F0-12-9f", mac), 0);
	assert_memory_equal(mac, mixed, 6);
	assert_int_equal(ww_mac_parse("ff:ff:ff:ff:ff:ff", mac), 0);
	assert_memory_equal(mac, BROADCAST, 6);

	static const char *bad[] = {
		"", "0", "02", "02:", "2:00:00:00:00:05", "02:00:00:00:00:5", "02:00:00:00:00",
		"02:00:00:00:00:05:", "02:00:00:00:00:05:06", "02:00-00:00:00:05", "02.00.00.00.00.05",
		"020000000005", " 02:00:00:00:00:05", "02:00:00:00:00:05 ", "0g:00:00:00:00:05",
		"02:00:00:00:00:0x", "02::00:00:00:00:05", "002:00:00:00:00:05",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(mac, MAC_05, 6);
		assert_int_equal(ww_mac_parse(bad[i], mac), -1);
		assert_memory_equal(mac, MAC_05, 6); /* untouched on failure */
	}
	/* Every byte value prints and parses back. */
	for (unsigned v = 0; v < 256; v++) {
		uint8_t m[6] = { (uint8_t)v, (uint8_t)~v, (uint8_t)(v * 7), 0, 0xff, (uint8_t)v };
		assert_int_equal(ww_mac_parse(ww_mac_str(m, buf), mac), 0);
		assert_memory_equal(mac, m, 6);
	}
}

static void test_field_tables(void **state)
{
	(void)state;
	static const struct { const struct ww_field *t; const char *name, *alias; } aliases[] = {
		{ ww_eth_fields, "eth.dst", "dst" }, { ww_eth_fields, "eth.src", "src" },
		{ ww_eth_fields, "eth.type", "type" }, { ww_vlan_fields, "vlan.priority", "prio" },
		{ ww_vlan_fields, "vlan.dei", "dei" }, { ww_vlan_fields, "vlan.id", "vlan" },
		{ ww_vlan_fields, "vlan.etype", "type" },
	};
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
		const struct ww_field *f = ww_field_find(aliases[i].t, aliases[i].name);
		assert_non_null(f);
		assert_string_equal(f->alias, aliases[i].alias);
	}
	const struct ww_field *pad = ww_field_find(ww_eth_fields, "eth.padding");
	assert_non_null(pad);
	assert_int_equal(pad->bit_off, -1);
	assert_int_equal(pad->type, WW_FT_BYTES);
	const struct ww_field *tables[] = { ww_eth_fields, ww_vlan_fields };
	for (size_t t = 0; t < 2; t++) {
		int last = -1;
		for (const struct ww_field *f = tables[t]; f->name; f++) {
			assert_non_null(f->label);
			assert_non_null(f->help);
			if (f->bit_off >= 0) {
				assert_true(f->bit_off >= last);
				assert_true(f->bit_off + f->bit_width <= (t ? 32 : 112));
				last = f->bit_off;
			}
		}
	}
	assert_string_equal(ww_tok_str(ww_ethertype_names, 0x0800), "IPv4");
	assert_string_equal(ww_tok_str(ww_ethertype_names, 0x0806), "ARP");
	assert_string_equal(ww_tok_str(ww_ethertype_names, 0x86dd), "IPv6");
	assert_string_equal(ww_tok_str(ww_ethertype_names, 0x8100), "802.1Q Virtual LAN");
	assert_null(ww_tok_str(ww_ethertype_names, 0x1234));
}

/* The rows are where the enums say, each table ends with its NULL row,
 * the fixed fields are one run, and their fast path gives what the
 * general walk gives, whole and cut at every length. */
static void test_field_rows(void **state)
{
	(void)state;
	static const struct row_name eth[] = {
		{ WW_ETH_F_DST, "eth.dst" }, { WW_ETH_F_DST_LG, "eth.dst.lg" },
		{ WW_ETH_F_DST_IG, "eth.dst.ig" }, { WW_ETH_F_SRC, "eth.src" },
		{ WW_ETH_F_SRC_LG, "eth.src.lg" }, { WW_ETH_F_SRC_IG, "eth.src.ig" },
		{ WW_ETH_F_TYPE, "eth.type" }, { WW_ETH_F_PADDING, "eth.padding" },
	};
	check_rows(ww_eth_fields, eth, sizeof eth / sizeof eth[0], WW_ETH_F_END, WW_ETH_F_TYPE + 1);
	static const struct row_name vlan[] = {
		{ WW_VLAN_F_PRIORITY, "vlan.priority" }, { WW_VLAN_F_DEI, "vlan.dei" },
		{ WW_VLAN_F_ID, "vlan.id" }, { WW_VLAN_F_ETYPE, "vlan.etype" },
	};
	check_rows(ww_vlan_fields, vlan, sizeof vlan / sizeof vlan[0], WW_VLAN_F_END,
		   WW_VLAN_F_ETYPE + 1);
	check_fixed_paths(ww_eth_fields, WW_ETH_F_TYPE + 1, ww_frame_echo_request,
			  sizeof ww_frame_echo_request, 0);
	check_fixed_paths(ww_eth_fields, WW_ETH_F_TYPE + 1, ww_frame_arp_request,
			  sizeof ww_frame_arp_request, 0);
	check_fixed_paths(ww_vlan_fields, WW_VLAN_F_ETYPE + 1, ww_frame_vlan_arp,
			  sizeof ww_frame_vlan_arp, WW_ETH_HLEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_untagged),
		cmocka_unit_test(test_parse_tagged),
		cmocka_unit_test(test_dissect_untagged),
		cmocka_unit_test(test_dissect_tagged),
		cmocka_unit_test(test_emit),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_mac_text),
		cmocka_unit_test(test_field_tables),
		cmocka_unit_test(test_field_rows),
	};
	return cmocka_run_group_tests_name("eth", tests, NULL, NULL);
}
