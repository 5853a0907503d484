/* ARP (RFC 826): the kernel's own request and reply (wire_frames.h)
 * parsed, dissected and emitted byte for byte; truncation at every length;
 * address sizes other than Ethernet/IPv4 refused by name. */
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
#include "ww/arp.h"
#include "ww/dissect.h"
#include "ww/eth.h"

#define ETH 14

static struct ww_dissection D;

static const uint8_t MAC_05[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x05 };
static const uint8_t MAC_0101[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
static const uint8_t ZERO[6] = { 0 };

static int parse_at(const uint8_t *frame, size_t len, size_t off, struct ww_cursor *c,
		    struct ww_arp *arp)
{
	ww_cur_init(c, frame, len, 0);
	assert_true(ww_cur_skip(c, off, "test"));
	return ww_arp_parse(c, arp);
}

/* Dissect as the frame dissector does: Ethernet first, ARP on the same
 * cursor. */
static struct ww_layer *dissect(const uint8_t *frame, size_t len, struct ww_cursor *c)
{
	ww_dissect_reset(&D, frame, len);
	ww_cur_init(c, frame, len, 0);
	struct ww_layer *l = ww_eth_dissect(&D, c);
	assert_non_null(l);
	assert_int_equal(l->h.eth.type, WW_ETHERTYPE_ARP);
	return ww_arp_dissect(&D, c);
}

static const struct ww_item *item(const char *name)
{
	for (unsigned i = 0; i < D.nitems; i++)
		if (strcmp(D.layers[D.items[i].layer].name, "arp") == 0 &&
		    strcmp(D.items[i].f->name, name) == 0)
			return &D.items[i];
	return NULL;
}

static void test_parse_request(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_arp arp;
	const uint8_t *f = ww_frame_arp_request;
	assert_int_equal(parse_at(f, sizeof ww_frame_arp_request, ETH, &c, &arp), 0);
	/* tshark: Who has 192.168.1.1? Tell 192.168.1.5 */
	assert_int_equal(arp.htype, WW_ARP_HTYPE_ETHER);
	assert_int_equal(arp.ptype, WW_ETHERTYPE_IPV4);
	assert_int_equal(arp.hlen, 6);
	assert_int_equal(arp.plen, 4);
	assert_int_equal(arp.op, WW_ARP_REQUEST);
	assert_memory_equal(arp.sha, MAC_05, 6);
	assert_int_equal(arp.spa, 0xc0a80105);
	assert_memory_equal(arp.tha, ZERO, 6);
	assert_int_equal(arp.tpa, 0xc0a80101);
	assert_int_equal(arp.manual, WW_ARP_MANUAL_SIZES);
	assert_int_equal(ww_cur_offset(&c), ETH + WW_ARP_LEN);
	assert_int_equal(ww_cur_left(&c), 0);
}

static void test_parse_reply(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_arp arp;
	assert_int_equal(parse_at(ww_frame_arp_reply, sizeof ww_frame_arp_reply, ETH, &c, &arp), 0);
	/* tshark: 192.168.1.1 is at 02:00:00:00:01:01 */
	assert_int_equal(arp.op, WW_ARP_REPLY);
	assert_memory_equal(arp.sha, MAC_0101, 6);
	assert_int_equal(arp.spa, 0xc0a80101);
	assert_memory_equal(arp.tha, MAC_05, 6);
	assert_int_equal(arp.tpa, 0xc0a80105);

	/* After an 802.1Q tag: tshark 198.51.100.5 asks for 198.51.100.1. */
	assert_int_equal(parse_at(ww_frame_vlan_arp, sizeof ww_frame_vlan_arp, 18, &c, &arp), 0);
	assert_int_equal(arp.spa, 0xc6336405);
	assert_int_equal(arp.tpa, 0xc6336401);
}

/* Every fixed item equals the parsed packet and covers the right bytes. */
static void check_items(const uint8_t *frame, size_t len, size_t off)
{
	struct ww_cursor c;
	struct ww_arp arp;
	assert_int_equal(parse_at(frame, len, off, &c, &arp), 0);
	struct ww_layer *l = dissect(frame, len, &c);
	assert_non_null(l);
	assert_int_equal(l->proto, WW_P_ARP);
	assert_string_equal(l->name, "arp");
	assert_int_equal(l->off, off);
	assert_int_equal(l->len, WW_ARP_LEN);
	assert_int_equal(l->h.arp.op, arp.op);
	assert_int_equal(l->h.arp.tpa, arp.tpa);
	assert_int_equal(ww_cur_offset(&c), off + WW_ARP_LEN);
	assert_int_equal(D.nerrors, 0);

	static const struct { const char *name; unsigned off, len; } place[] = {
		{ "arp.hw.type", 0, 2 }, { "arp.proto.type", 2, 2 }, { "arp.hw.size", 4, 1 },
		{ "arp.proto.size", 5, 1 }, { "arp.opcode", 6, 2 }, { "arp.src.hw_mac", 8, 6 },
		{ "arp.src.proto_ipv4", 14, 4 }, { "arp.dst.hw_mac", 18, 6 },
		{ "arp.dst.proto_ipv4", 24, 4 },
	};
	for (size_t i = 0; i < sizeof place / sizeof place[0]; i++) {
		const struct ww_item *it = item(place[i].name);
		assert_non_null(it);
		assert_int_equal(it->off, off + place[i].off);
		assert_int_equal(it->len, place[i].len);
	}
	assert_int_equal(item("arp.hw.type")->u, arp.htype);
	assert_int_equal(item("arp.proto.type")->u, arp.ptype);
	assert_int_equal(item("arp.hw.size")->u, arp.hlen);
	assert_int_equal(item("arp.proto.size")->u, arp.plen);
	assert_int_equal(item("arp.opcode")->u, arp.op);
	assert_memory_equal(item("arp.src.hw_mac")->p, arp.sha, 6);
	assert_int_equal(item("arp.src.proto_ipv4")->u, arp.spa);
	assert_memory_equal(item("arp.dst.hw_mac")->p, arp.tha, 6);
	assert_int_equal(item("arp.dst.proto_ipv4")->u, arp.tpa);
}

static void test_dissect(void **state)
{
	(void)state;
	check_items(ww_frame_arp_request, sizeof ww_frame_arp_request, ETH);
	assert_string_equal(ww_tok_str(item("arp.opcode")->f->vals, item("arp.opcode")->u),
			    "request");
	check_items(ww_frame_arp_reply, sizeof ww_frame_arp_reply, ETH);
	assert_string_equal(ww_tok_str(item("arp.opcode")->f->vals, item("arp.opcode")->u), "reply");
	check_items(ww_frame_vlan_arp, sizeof ww_frame_vlan_arp, 18);
	assert_int_equal(D.nlayers, 3); /* eth, vlan, arp */
}

static void test_emit(void **state)
{
	(void)state;
	struct ww_arp arp;
	ww_arp_init(&arp);
	memcpy(arp.sha, MAC_05, 6);
	arp.spa = 0xc0a80105;
	arp.tpa = 0xc0a80101;
	uint8_t buf[40];
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_arp_emit(&arp, buf, sizeof buf), WW_ARP_LEN);
	assert_memory_equal(buf, ww_frame_arp_request + ETH, WW_ARP_LEN);
	for (size_t i = WW_ARP_LEN; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xa5);

	ww_arp_init(&arp);
	arp.op = WW_ARP_REPLY;
	memcpy(arp.sha, MAC_0101, 6);
	arp.spa = 0xc0a80101;
	memcpy(arp.tha, MAC_05, 6);
	arp.tpa = 0xc0a80105;
	arp.hlen = 99; /* auto: ignored */
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_arp_emit(&arp, buf, sizeof buf), WW_ARP_LEN);
	assert_memory_equal(buf, ww_frame_arp_reply + ETH, WW_ARP_LEN);
	assert_int_equal(buf[WW_ARP_LEN], 0xa5);

	/* Manual sizes are kept, even when they lie. */
	arp.manual = WW_ARP_MANUAL_SIZES;
	arp.hlen = 8;
	arp.plen = 16;
	assert_int_equal(ww_arp_emit(&arp, buf, sizeof buf), WW_ARP_LEN);
	assert_int_equal(buf[4], 8);
	assert_int_equal(buf[5], 16);
	assert_memory_equal(buf + 8, MAC_0101, 6);

	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_arp_emit(&arp, buf, WW_ARP_LEN - 1), 0);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xa5);
}

static void test_round_trip(void **state)
{
	(void)state;
	static const struct { const uint8_t *f; size_t len, off; } frames[] = {
		{ ww_frame_arp_request, sizeof ww_frame_arp_request, ETH },
		{ ww_frame_arp_reply, sizeof ww_frame_arp_reply, ETH },
		{ ww_frame_vlan_arp, sizeof ww_frame_vlan_arp, 18 },
	};
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		struct ww_cursor c;
		struct ww_arp arp;
		assert_int_equal(parse_at(frames[i].f, frames[i].len, frames[i].off, &c, &arp), 0);
		uint8_t buf[WW_ARP_LEN];
		assert_int_equal(ww_arp_emit(&arp, buf, sizeof buf), WW_ARP_LEN);
		assert_memory_equal(buf, frames[i].f + frames[i].off, WW_ARP_LEN);
	}
}

static const char *cut_field(size_t n)
{
	static const char *names[WW_ARP_LEN] = {
		"arp.hw.type", "arp.hw.type", "arp.proto.type", "arp.proto.type", "arp.hw.size",
		"arp.proto.size", "arp.opcode", "arp.opcode",
		"arp.src.hw_mac", "arp.src.hw_mac", "arp.src.hw_mac", "arp.src.hw_mac",
		"arp.src.hw_mac", "arp.src.hw_mac",
		"arp.src.proto_ipv4", "arp.src.proto_ipv4", "arp.src.proto_ipv4", "arp.src.proto_ipv4",
		"arp.dst.hw_mac", "arp.dst.hw_mac", "arp.dst.hw_mac", "arp.dst.hw_mac",
		"arp.dst.hw_mac", "arp.dst.hw_mac",
		"arp.dst.proto_ipv4", "arp.dst.proto_ipv4", "arp.dst.proto_ipv4", "arp.dst.proto_ipv4",
	};
	return names[n];
}

static void test_truncated_at_every_length(void **state)
{
	(void)state;
	for (size_t n = 0; n < WW_ARP_LEN; n++) {
		/* Exactly ETH + N bytes, so a read past them is caught. */
		uint8_t *f = malloc(ETH + n);
		assert_non_null(f);
		memcpy(f, ww_frame_arp_reply, ETH + n);
		struct ww_cursor c;
		struct ww_arp arp;
		assert_int_equal(parse_at(f, ETH + n, ETH, &c, &arp), -1);
		assert_int_equal(c.err.status, WW_TRUNCATED);
		assert_string_equal(c.err.field, cut_field(n));

		assert_null(dissect(f, ETH + n, &c));
		assert_int_equal(D.nerrors, 1);
		assert_int_equal(D.errors[0].status, WW_TRUNCATED);
		assert_string_equal(D.errors[0].field, cut_field(n));
		assert_int_equal(D.nlayers, 2);
		assert_int_equal(D.layers[1].len, n);
		for (unsigned i = 0; i < D.nitems; i++)
			assert_true(D.items[i].off + D.items[i].len <= ETH + n);
		assert_int_equal(item("arp.opcode") != NULL, n >= 8);
		assert_int_equal(item("arp.dst.hw_mac") != NULL, n >= 24);
		free(f);
	}
}

static void expect_invalid(uint8_t hlen, uint8_t plen, const char *field, const char *msg,
			   uint32_t offset)
{
	uint8_t f[sizeof ww_frame_arp_request];
	memcpy(f, ww_frame_arp_request, sizeof f);
	f[ETH + 4] = hlen;
	f[ETH + 5] = plen;
	struct ww_cursor c;
	struct ww_arp arp;
	assert_int_equal(parse_at(f, sizeof f, ETH, &c, &arp), -1);
	assert_int_equal(c.err.status, WW_INVALID);
	assert_string_equal(c.err.field, field);
	assert_string_equal(c.err.msg, msg);
	assert_int_equal(c.err.offset, offset);

	/* Only the part whose place does not depend on the sizes is shown. */
	assert_null(dissect(f, sizeof f, &c));
	assert_int_equal(D.nerrors, 1);
	assert_int_equal(D.errors[0].status, WW_INVALID);
	assert_string_equal(D.errors[0].field, field);
	assert_int_equal(D.layers[1].len, 8);
	assert_int_equal(item("arp.hw.size")->u, hlen);
	assert_int_equal(item("arp.proto.size")->u, plen);
	assert_non_null(item("arp.opcode"));
	assert_null(item("arp.src.hw_mac"));
	assert_null(item("arp.dst.proto_ipv4"));
}

static void test_invalid_sizes(void **state)
{
	(void)state;
	expect_invalid(8, 4, "arp.hw.size",
		       "ARP hardware size 8, not 6: only Ethernet/IPv4 ARP is understood", ETH + 4);
	expect_invalid(0, 4, "arp.hw.size",
		       "ARP hardware size 0, not 6: only Ethernet/IPv4 ARP is understood", ETH + 4);
	expect_invalid(6, 16, "arp.proto.size",
		       "ARP protocol size 16, not 4: only Ethernet/IPv4 ARP is understood", ETH + 5);
	expect_invalid(20, 16, "arp.hw.size",
		       "ARP hardware size 20, not 6: only Ethernet/IPv4 ARP is understood", ETH + 4);

	/* Other hardware or protocol types with the right sizes are kept. */
	uint8_t f[sizeof ww_frame_arp_request];
	memcpy(f, ww_frame_arp_request, sizeof f);
	f[ETH + 1] = 6;    /* IEEE 802 */
	f[ETH + 7] = 0x63; /* opcode 99, unknown */
	struct ww_cursor c;
	struct ww_arp arp;
	assert_int_equal(parse_at(f, sizeof f, ETH, &c, &arp), 0);
	assert_int_equal(arp.htype, 6);
	assert_int_equal(arp.op, 99);
	assert_non_null(dissect(f, sizeof f, &c));
	assert_int_equal(item("arp.opcode")->u, 99);
	assert_null(ww_tok_str(item("arp.opcode")->f->vals, 99));
}

static void test_field_table(void **state)
{
	(void)state;
	/* One alias a field: Scapy's names. */
	static const struct { const char *name, *alias; } scapy[] = {
		{ "arp.hw.type", "hwtype" }, { "arp.proto.type", "ptype" },
		{ "arp.hw.size", "hwlen" }, { "arp.proto.size", "plen" }, { "arp.opcode", "op" },
		{ "arp.src.hw_mac", "hwsrc" }, { "arp.src.proto_ipv4", "psrc" },
		{ "arp.dst.hw_mac", "hwdst" }, { "arp.dst.proto_ipv4", "pdst" },
	};
	size_t n = 0;
	for (const struct ww_field *f = ww_arp_fields; f->name; f++, n++) {
		assert_string_equal(f->name, scapy[n].name);
		assert_string_equal(f->alias, scapy[n].alias);
		assert_non_null(f->label);
		assert_non_null(f->help);
		assert_true(f->bit_off >= 0);
		assert_true(f->bit_off + f->bit_width <= WW_ARP_LEN * 8);
	}
	assert_int_equal(n, sizeof scapy / sizeof scapy[0]);
	assert_int_equal(ww_field_find(ww_arp_fields, "arp.src.proto_ipv4")->type, WW_FT_IPV4);
	assert_int_equal(ww_field_find(ww_arp_fields, "arp.dst.hw_mac")->type, WW_FT_MAC);
}

/* The rows are where the enum says, the table ends with its NULL row,
 * every field is fixed, and the fast path gives what the general walk
 * gives, whole and cut at every length. */
static void test_field_rows(void **state)
{
	(void)state;
	static const struct row_name names[] = {
		{ WW_ARP_F_HW_TYPE, "arp.hw.type" }, { WW_ARP_F_PROTO_TYPE, "arp.proto.type" },
		{ WW_ARP_F_HW_SIZE, "arp.hw.size" }, { WW_ARP_F_PROTO_SIZE, "arp.proto.size" },
		{ WW_ARP_F_OPCODE, "arp.opcode" }, { WW_ARP_F_SRC_HW_MAC, "arp.src.hw_mac" },
		{ WW_ARP_F_SRC_PROTO_IPV4, "arp.src.proto_ipv4" },
		{ WW_ARP_F_DST_HW_MAC, "arp.dst.hw_mac" },
		{ WW_ARP_F_DST_PROTO_IPV4, "arp.dst.proto_ipv4" },
	};
	check_rows(ww_arp_fields, names, sizeof names / sizeof names[0], WW_ARP_F_END,
		   WW_ARP_F_DST_PROTO_IPV4 + 1);
	check_fixed_paths(ww_arp_fields, WW_ARP_F_DST_PROTO_IPV4 + 1, ww_frame_arp_request,
			  sizeof ww_frame_arp_request, WW_ETH_HLEN);
	check_fixed_paths(ww_arp_fields, WW_ARP_F_DST_PROTO_IPV4 + 1, ww_frame_arp_reply,
			  sizeof ww_frame_arp_reply, WW_ETH_HLEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_request),
		cmocka_unit_test(test_parse_reply),
		cmocka_unit_test(test_dissect),
		cmocka_unit_test(test_emit),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_invalid_sizes),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_field_rows),
	};
	return cmocka_run_group_tests_name("arp", tests, NULL, NULL);
}
