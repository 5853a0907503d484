/* IPv4 (RFC 791): real datagrams from a kernel (wire_frames.h) parsed,
 * dissected, emitted and re-emitted; every truncation length; every
 * invalid value naming its field; options, fragments, quoted headers in
 * ICMP errors, checksums right and wrong; dotted-quad text. */
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
#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipv4.h"

#define ETH 14 /* the IPv4 header starts after the Ethernet header */

static struct ww_dissection D;

static int parse_at(const uint8_t *frame, size_t len, struct ww_cursor *c, struct ww_ipv4 *ip)
{
	ww_cur_init(c, frame, len, 0);
	assert_true(ww_cur_skip(c, ETH, "test"));
	return ww_ipv4_parse(c, ip);
}

static struct ww_layer *dissect_at(const uint8_t *frame, size_t len, uint8_t depth,
				   size_t off, struct ww_cursor *c)
{
	ww_dissect_reset(&D, frame, len);
	D.depth = depth;
	ww_cur_init(c, frame, len, 0);
	assert_true(ww_cur_skip(c, off, "test"));
	return ww_ipv4_dissect(&D, c);
}

/* The Nth item (0 = first) with this name, or NULL. */
static const struct ww_item *item_n(const char *name, unsigned n)
{
	for (unsigned i = 0; i < D.nitems; i++)
		if (strcmp(D.items[i].f->name, name) == 0 && n-- == 0)
			return &D.items[i];
	return NULL;
}

static const struct ww_item *item(const char *name)
{
	return item_n(name, 0);
}

static uint64_t item_u(const char *name)
{
	const struct ww_item *it = item(name);
	assert_non_null(it);
	return it->u;
}

static void assert_ip_equal(const struct ww_ipv4 *a, const struct ww_ipv4 *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->ihl, b->ihl);
	assert_int_equal(a->tos, b->tos);
	assert_int_equal(a->total_len, b->total_len);
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->frag_off, b->frag_off);
	assert_int_equal(a->ttl, b->ttl);
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->checksum, b->checksum);
	assert_int_equal(a->src, b->src);
	assert_int_equal(a->dst, b->dst);
	assert_int_equal(a->opt_len, b->opt_len);
	assert_memory_equal(a->options, b->options, a->opt_len);
	assert_int_equal(a->manual, b->manual);
}

/* ---- parse ------------------------------------------------------------ */

static void test_parse_echo_request(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_ipv4 ip;
	assert_int_equal(parse_at(ww_frame_echo_request, sizeof ww_frame_echo_request, &c, &ip), 0);
	/* tshark: 4 20 0x00 84 0x82bc 0x02 0 64 1 0x3496 192.168.1.5 192.168.1.1 */
	assert_int_equal(ip.version, 4);
	assert_int_equal(ip.ihl, 5);
	assert_int_equal(ip.tos, 0);
	assert_int_equal(ip.total_len, 84);
	assert_int_equal(ip.id, 0x82bc);
	assert_int_equal(ip.flags, WW_IP_FLAG_DF);
	assert_int_equal(ip.frag_off, 0);
	assert_int_equal(ip.ttl, 64);
	assert_int_equal(ip.proto, WW_IPPROTO_ICMP);
	assert_int_equal(ip.checksum, 0x3496);
	assert_int_equal(ip.src, 0xc0a80105);
	assert_int_equal(ip.dst, 0xc0a80101);
	assert_int_equal(ip.opt_len, 0);
	assert_int_equal(ip.manual, WW_IPV4_MANUAL_IHL | WW_IPV4_MANUAL_LEN | WW_IPV4_MANUAL_CSUM);
	assert_int_equal(ww_cur_offset(&c), ETH + 20);
	assert_int_equal(ww_cur_left(&c), 64);
	assert_false(ww_ipv4_is_fragment(&ip));
}

static void test_parse_tos_and_ttl(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_ipv4 ip;
	assert_int_equal(parse_at(ww_frame_tos, sizeof ww_frame_tos, &c, &ip), 0);
	/* tshark: dsfield 0xb9, dscp 46, ecn 1, ttl 17 */
	assert_int_equal(ip.tos, 0xb9);
	assert_int_equal(ip.ttl, 17);
	struct ww_layer *l = dissect_at(ww_frame_tos, sizeof ww_frame_tos, 0, ETH, &c);
	assert_non_null(l);
	assert_int_equal(item_u("ip.dsfield"), 0xb9);
	assert_int_equal(item_u("ip.dsfield.dscp"), 46);
	assert_int_equal(item_u("ip.dsfield.ecn"), 1);
	assert_string_equal(ww_tok_str(item("ip.dsfield.dscp")->f->vals, 46), "Expedited Forwarding");
}

static void test_fragments(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_ipv4 ip;
	/* tshark: 1500 0x82bd 0x01 mf=1 offset 0 / 68 0x82bd 0x00 offset 370 */
	assert_int_equal(parse_at(ww_frame_frag_first, sizeof ww_frame_frag_first, &c, &ip), 0);
	assert_int_equal(ip.total_len, 1500);
	assert_int_equal(ip.id, 0x82bd);
	assert_int_equal(ip.flags, WW_IP_FLAG_MF);
	assert_int_equal(ip.frag_off, 0);
	assert_true(ww_ipv4_is_fragment(&ip));
	assert_true(ww_ipv4_is_first_fragment(&ip));
	assert_int_equal(ww_cur_left(&c), 1480);

	assert_int_equal(parse_at(ww_frame_frag_last, sizeof ww_frame_frag_last, &c, &ip), 0);
	assert_int_equal(ip.total_len, 68);
	assert_int_equal(ip.id, 0x82bd);
	assert_int_equal(ip.flags, 0);
	assert_int_equal(ip.frag_off, 370); /* 2960 bytes: two fragments of 1480 before it */
	assert_true(ww_ipv4_is_fragment(&ip));
	assert_false(ww_ipv4_is_first_fragment(&ip));
	assert_int_equal(ww_cur_left(&c), 48);

	assert_non_null(dissect_at(ww_frame_frag_last, sizeof ww_frame_frag_last, 0, ETH, &c));
	assert_int_equal(item_u("ip.frag_offset"), 370);
	assert_int_equal(item_u("ip.flags"), 0);
	assert_int_equal(item_u("ip.flags.mf"), 0);
	assert_non_null(dissect_at(ww_frame_frag_first, sizeof ww_frame_frag_first, 0, ETH, &c));
	assert_int_equal(item_u("ip.flags"), 1);
	assert_int_equal(item_u("ip.flags.mf"), 1);
	assert_int_equal(item_u("ip.flags.df"), 0);
	assert_int_equal(item_u("ip.frag_offset"), 0);
}

/* Ethernet pads short frames; the padding is not IP payload. */
static void test_payload_limited_to_total_length(void **state)
{
	(void)state;
	uint8_t f[sizeof ww_frame_echo_request + 10];
	memcpy(f, ww_frame_echo_request, sizeof ww_frame_echo_request);
	memset(f + sizeof ww_frame_echo_request, 0, 10);
	struct ww_cursor c;
	struct ww_ipv4 ip;
	assert_int_equal(parse_at(f, sizeof f, &c, &ip), 0);
	assert_int_equal(ww_cur_left(&c), 64);
	assert_int_equal(c.end, sizeof ww_frame_echo_request);
}

/* ---- dissect ---------------------------------------------------------- */

/* Every fixed-position item equals the parsed struct and sits where the
 * RFC puts it. */
static void check_fixed_items(const uint8_t *frame, size_t len)
{
	struct ww_cursor c;
	struct ww_ipv4 ip;
	assert_int_equal(parse_at(frame, len, &c, &ip), 0);
	struct ww_layer *l = dissect_at(frame, len, 0, ETH, &c);
	assert_non_null(l);
	assert_int_equal(l->proto, WW_P_IPV4);
	assert_string_equal(l->name, "ip");
	assert_int_equal(l->off, ETH);
	assert_int_equal(l->len, ip.ihl * 4u);
	assert_ip_equal(&l->h.ip, &ip);
	assert_int_equal(ww_cur_offset(&c), ETH + ip.ihl * 4u);

	assert_int_equal(item_u("ip.version"), ip.version);
	assert_int_equal(item_u("ip.hdr_len"), ip.ihl * 4u);
	assert_int_equal(item_u("ip.dsfield"), ip.tos);
	assert_int_equal(item_u("ip.dsfield.dscp"), ip.tos >> 2);
	assert_int_equal(item_u("ip.dsfield.ecn"), ip.tos & 3);
	assert_int_equal(item_u("ip.len"), ip.total_len);
	assert_int_equal(item_u("ip.id"), ip.id);
	assert_int_equal(item_u("ip.flags"), ip.flags);
	assert_int_equal(item_u("ip.flags.rb"), !!(ip.flags & WW_IP_FLAG_RB));
	assert_int_equal(item_u("ip.flags.df"), !!(ip.flags & WW_IP_FLAG_DF));
	assert_int_equal(item_u("ip.flags.mf"), !!(ip.flags & WW_IP_FLAG_MF));
	assert_int_equal(item_u("ip.frag_offset"), ip.frag_off);
	assert_int_equal(item_u("ip.ttl"), ip.ttl);
	assert_int_equal(item_u("ip.proto"), ip.proto);
	assert_int_equal(item_u("ip.checksum"), ip.checksum);
	assert_int_equal(item_u("ip.src"), ip.src);
	assert_int_equal(item_u("ip.dst"), ip.dst);
	assert_int_equal(item("ip.checksum")->check, WW_CHECK_GOOD);

	/* Places in the frame, for the hexdump. */
	assert_int_equal(item("ip.len")->off, ETH + 2);
	assert_int_equal(item("ip.len")->len, 2);
	assert_int_equal(item("ip.frag_offset")->off, ETH + 6);
	assert_int_equal(item("ip.frag_offset")->len, 2);
	assert_int_equal(item("ip.flags")->len, 1);
	assert_int_equal(item("ip.src")->off, ETH + 12);
	assert_int_equal(item("ip.dst")->off, ETH + 16);
	assert_int_equal(item("ip.dst")->len, 4);

	/* Each fixed row of the table gave exactly one item, in table order. */
	unsigned n = 0;
	for (const struct ww_field *f = ww_ipv4_fields; f->name; f++) {
		if (f->bit_off < 0)
			continue;
		assert_ptr_equal(D.items[n].f, f);
		assert_null(item_n(f->name, 1));
		n++;
	}
	assert_int_equal(n, 17);
	assert_int_equal(D.nerrors, 0);
}

static void test_dissect_fixed_fields(void **state)
{
	(void)state;
	check_fixed_items(ww_frame_echo_request, sizeof ww_frame_echo_request);
	check_fixed_items(ww_frame_tos, sizeof ww_frame_tos);
	check_fixed_items(ww_frame_frag_first, sizeof ww_frame_frag_first);
	check_fixed_items(ww_frame_frag_last, sizeof ww_frame_frag_last);
	check_fixed_items(ww_frame_rr_request, sizeof ww_frame_rr_request);
	check_fixed_items(ww_frame_rr_reply, sizeof ww_frame_rr_reply);
	check_fixed_items(ww_frame_port_unreach, sizeof ww_frame_port_unreach);
}

/* Every bit of every fixed field goes out and comes back where it
 * belongs: patterns that catch a shift or a mask one bit off. */
static void test_every_bit_round_trips(void **state)
{
	(void)state;
	static const struct { uint8_t tos, flags, ttl, proto; uint16_t id, frag; } pat[] = {
		{ 0xff, 7, 255, 255, 0xffff, 0x1fff },
		{ 0xa5, 5, 0x5a, 0xa5, 0xa55a, 0x1555 },
		{ 0x5a, 2, 0xa5, 0x5a, 0x5aa5, 0x0aaa },
		{ 0x01, 4, 1, 0x80, 0x8001, 0x1000 },
	};
	for (size_t i = 0; i < sizeof pat / sizeof pat[0]; i++) {
		struct ww_ipv4 ip;
		ww_ipv4_init(&ip);
		ip.tos = pat[i].tos;
		ip.flags = pat[i].flags;
		ip.ttl = pat[i].ttl;
		ip.proto = pat[i].proto;
		ip.id = pat[i].id;
		ip.frag_off = pat[i].frag;
		ip.src = 0x80000001u ^ (uint32_t)i;
		ip.dst = 0xfffffffeu ^ (uint32_t)i;
		uint8_t f[ETH + 20 + 4];
		memset(f, 0, sizeof f);
		assert_int_equal(ww_ipv4_emit(&ip, 4, f + ETH, 20), 20);
		assert_int_equal(ww_get16(f + ETH + 6), (unsigned)pat[i].flags << 13 | pat[i].frag);

		struct ww_cursor c;
		struct ww_ipv4 back;
		assert_int_equal(parse_at(f, sizeof f, &c, &back), 0);
		ip.ihl = 5;
		ip.total_len = 24;
		ip.checksum = back.checksum;
		ip.manual = back.manual;
		assert_ip_equal(&back, &ip);
		check_fixed_items(f, sizeof f);
	}
}

static void test_options_record_route(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_ipv4 ip;
	/* tshark: hdr_len 60, opt.type 1,7, opt.len 39 */
	assert_int_equal(parse_at(ww_frame_rr_request, sizeof ww_frame_rr_request, &c, &ip), 0);
	assert_int_equal(ip.ihl * 4, 60);
	assert_int_equal(ip.opt_len, 40);
	assert_memory_equal(ip.options, ww_frame_rr_request + ETH + 20, 40);
	assert_int_equal(ww_cur_left(&c), 124 - 60);

	assert_non_null(dissect_at(ww_frame_rr_request, sizeof ww_frame_rr_request, 0, ETH, &c));
	const struct ww_item *nop = item("ip.options.nop");
	const struct ww_item *rr = item("ip.options.record_route");
	assert_non_null(nop);
	assert_non_null(rr);
	assert_int_equal(nop->off, 34);
	assert_int_equal(nop->len, 1);
	assert_int_equal(rr->off, 35);
	assert_int_equal(rr->len, 39);
	assert_int_equal(rr->plen, 39);
	assert_memory_equal(rr->p, ww_frame_rr_request + 35, 39);
	assert_int_equal(item_n("ip.opt.type", 0)->u, 1);
	assert_int_equal(item_n("ip.opt.type", 0)->depth, 1);
	assert_int_equal(item_n("ip.opt.type", 1)->u, 7);
	assert_int_equal(item_n("ip.opt.type", 1)->off, 35);
	assert_int_equal(item_n("ip.opt.len", 0)->u, 39);
	assert_int_equal(item_n("ip.opt.len", 0)->off, 36);
	assert_null(item_n("ip.opt.len", 1)); /* NOP has no length byte */
	assert_null(item("ip.opt.padding"));

	/* The reply: Record Route then EOL, which ends the header exactly. */
	assert_non_null(dissect_at(ww_frame_rr_reply, sizeof ww_frame_rr_reply, 0, ETH, &c));
	assert_int_equal(item_n("ip.opt.type", 0)->u, 7);
	assert_int_equal(item_n("ip.opt.type", 1)->u, 0);
	assert_int_equal(item("ip.options.eol")->off, 73);
	assert_null(item("ip.opt.padding"));
	assert_int_equal(item("ip.checksum")->check, WW_CHECK_GOOD);
}

/* A quoted header in an ICMP error keeps its datagram's total length,
 * though only part of the datagram follows. */
static void test_quoted_header(void **state)
{
	(void)state;
	const uint8_t *f = ww_frame_port_unreach;
	size_t len = sizeof ww_frame_port_unreach;
	struct ww_cursor c;
	const size_t quoted = ETH + 20 + 8;

	/* The outer header: tshark 576, dsfield 0xc0, checksum good. */
	struct ww_layer *l = dissect_at(f, len, 0, ETH, &c);
	assert_non_null(l);
	assert_int_equal(l->h.ip.total_len, 576);
	assert_int_equal(l->h.ip.tos, 0xc0);

	l = dissect_at(f, len, 1, quoted, &c);
	assert_non_null(l);
	assert_int_equal(D.nerrors, 0);
	assert_int_equal(l->depth, 1);
	assert_int_equal(l->h.ip.total_len, 1028);
	assert_int_equal(l->h.ip.proto, WW_IPPROTO_UDP);
	assert_int_equal(l->h.ip.flags, WW_IP_FLAG_DF);
	assert_int_equal(item("ip.checksum")->check, WW_CHECK_GOOD);
	assert_int_equal(ww_cur_offset(&c), quoted + 20);
	assert_int_equal(ww_cur_left(&c), len - quoted - 20);

	struct ww_ipv4 ip;
	ww_cur_init(&c, f, len, 0);
	ww_cur_skip(&c, quoted, "test");
	assert_int_equal(ww_ipv4_parse_quoted(&c, &ip), 0);
	assert_int_equal(ww_cur_left(&c), 528);

	/* The same bytes as a datagram of their own are truncated. */
	assert_null(dissect_at(f, len, 0, quoted, &c));
	assert_int_equal(D.nerrors, 1);
	assert_int_equal(D.errors[0].status, WW_TRUNCATED);
	assert_string_equal(D.errors[0].field, "ip.len");
	assert_string_equal(D.errors[0].msg, "IPv4 total length 1028 > 548 bytes left");
	assert_int_equal(D.errors[0].offset, quoted + 2);
	assert_non_null(item("ip.dst")); /* the fixed fields are still shown */
}

/* ---- checksums ------------------------------------------------------- */

static void test_wrong_checksum_kept_and_shown(void **state)
{
	(void)state;
	struct ww_cursor c;
	struct ww_ipv4 ip;
	assert_int_equal(parse_at(ww_frame_echo_request, sizeof ww_frame_echo_request, &c, &ip), 0);
	uint8_t f[sizeof ww_frame_echo_request];
	memcpy(f, ww_frame_echo_request, sizeof f);
	ip.checksum = 0x1234; /* manual: parse set WW_IPV4_MANUAL_CSUM */
	assert_int_equal(ww_ipv4_emit(&ip, 64, f + ETH, sizeof f - ETH), 20);
	assert_int_equal(ww_get16(f + ETH + 10), 0x1234);
	assert_memory_equal(f + ETH + 12, ww_frame_echo_request + ETH + 12, 8);

	assert_non_null(dissect_at(f, sizeof f, 0, ETH, &c));
	const struct ww_item *it = item("ip.checksum");
	assert_int_equal(it->u, 0x1234);
	assert_int_equal(it->check, WW_CHECK_BAD);
	assert_int_equal(it->expect, 0x3496);

	/* Auto again: the right value comes back. */
	ip.manual &= (uint8_t)~WW_IPV4_MANUAL_CSUM;
	assert_int_equal(ww_ipv4_emit(&ip, 64, f + ETH, sizeof f - ETH), 20);
	assert_memory_equal(f, ww_frame_echo_request, sizeof f);
}

/* ---- emit ------------------------------------------------------------- */

static void test_emit_echo_request_exact(void **state)
{
	(void)state;
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.id = 0x82bc;
	ip.flags = WW_IP_FLAG_DF;
	ip.proto = WW_IPPROTO_ICMP;
	ip.src = 0xc0a80105;
	ip.dst = 0xc0a80101;
	assert_int_equal(ww_ipv4_header_len(&ip), 20);
	uint8_t buf[64];
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_ipv4_emit(&ip, 64, buf, sizeof buf), 20);
	assert_memory_equal(buf, ww_frame_echo_request + ETH, 20);
	for (size_t i = 20; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xa5);
}

static void test_emit_options_padded(void **state)
{
	(void)state;
	/* The Record Route request's options, from the struct alone. */
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.id = 0x82be;
	ip.flags = WW_IP_FLAG_DF;
	ip.proto = WW_IPPROTO_ICMP;
	ip.src = 0xc0a80105;
	ip.dst = 0xc0a80101;
	ip.opt_len = 40;
	memcpy(ip.options, ww_frame_rr_request + ETH + 20, 40);
	uint8_t buf[80];
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_ipv4_emit(&ip, 64, buf, sizeof buf), 60);
	assert_memory_equal(buf, ww_frame_rr_request + ETH, 60);
	assert_int_equal(buf[60], 0xa5);

	/* Router alert and NOP (5 bytes) are padded with EOL to 8. */
	static const uint8_t opts[] = { 0x94, 0x04, 0x00, 0x00, 0x01 };
	ww_ipv4_init(&ip);
	ip.opt_len = sizeof opts;
	memcpy(ip.options, opts, sizeof opts);
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_ipv4_header_len(&ip), 28);
	assert_int_equal(ww_ipv4_emit(&ip, 0, buf, sizeof buf), 28);
	assert_int_equal(buf[0], 0x47);
	assert_int_equal(ww_get16(buf + 2), 28);
	assert_memory_equal(buf + 20, opts, sizeof opts);
	assert_int_equal(buf[25], 0);
	assert_int_equal(buf[26], 0);
	assert_int_equal(buf[27], 0);
	assert_int_equal(buf[28], 0xa5);
	assert_int_equal(ww_inet_csum(buf, 28), 0);

	/* Dissected: RA, NOP, EOL, then two bytes of padding. */
	uint8_t frame[ETH + 28];
	memset(frame, 0, ETH);
	memcpy(frame + ETH, buf, 28);
	struct ww_cursor c;
	assert_non_null(dissect_at(frame, sizeof frame, 0, ETH, &c));
	assert_int_equal(item("ip.options.routeralert")->len, 4);
	assert_int_equal(item_n("ip.opt.type", 0)->u, WW_IPOPT_RA);
	assert_int_equal(item_n("ip.opt.len", 0)->u, 4);
	assert_int_equal(item_n("ip.opt.type", 1)->u, WW_IPOPT_NOP);
	assert_int_equal(item_n("ip.opt.type", 2)->u, WW_IPOPT_EOL);
	assert_int_equal(item("ip.opt.padding")->off, ETH + 26);
	assert_int_equal(item("ip.opt.padding")->len, 2);
	assert_int_equal(ww_cur_offset(&c), ETH + 28);

	/* Cut before EOL, then inside the padding after it. */
	struct ww_ipv4 cut;
	assert_int_equal(parse_at(frame, ETH + 25, &c, &cut), -1);
	assert_string_equal(c.err.field, "ip.opt.type");
	assert_int_equal(c.err.offset, ETH + 25);
	for (size_t n = 26; n < 28; n++) {
		assert_int_equal(parse_at(frame, ETH + n, &c, &cut), -1);
		assert_int_equal(c.err.status, WW_TRUNCATED);
		assert_string_equal(c.err.field, "ip.opt.padding");
		assert_int_equal(c.err.offset, ETH + 26);
	}
}

static void test_emit_manual_fields_kept(void **state)
{
	(void)state;
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.ihl = 15;
	ip.total_len = 9999;
	ip.manual = WW_IPV4_MANUAL_IHL | WW_IPV4_MANUAL_LEN;
	uint8_t buf[20];
	assert_int_equal(ww_ipv4_emit(&ip, 8, buf, sizeof buf), 20);
	assert_int_equal(buf[0], 0x4f);
	assert_int_equal(ww_get16(buf + 2), 9999);
	assert_int_equal(ww_inet_csum(buf, 20), 0); /* checksum still computed */

	/* Auto: total length from the payload, IHL from the options. */
	ip.manual = 0;
	assert_int_equal(ww_ipv4_emit(&ip, 8, buf, sizeof buf), 20);
	assert_int_equal(buf[0], 0x45);
	assert_int_equal(ww_get16(buf + 2), 28);
	assert_int_equal(buf[8], 64);
}

static void test_emit_limits(void **state)
{
	(void)state;
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	uint8_t buf[24];
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_ipv4_emit(&ip, 0, buf, 19), 0);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xa5);
	assert_int_equal(ww_ipv4_emit(&ip, 65515, buf, sizeof buf), 20);
	assert_int_equal(ww_get16(buf + 2), 65535);
	assert_int_equal(ww_ipv4_emit(&ip, 65516, buf, sizeof buf), 0);
	ip.opt_len = 1;
	assert_int_equal(ww_ipv4_emit(&ip, 0, buf, 23), 0);
	assert_int_equal(ww_ipv4_emit(&ip, 0, buf, 24), 24);
}

static void round_trip(const uint8_t *frame, size_t len)
{
	struct ww_cursor c;
	struct ww_ipv4 ip;
	assert_int_equal(parse_at(frame, len, &c, &ip), 0);
	size_t hlen = ip.ihl * 4u;
	uint8_t buf[60];
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_ipv4_header_len(&ip), hlen);
	assert_int_equal(ww_ipv4_emit(&ip, ip.total_len - hlen, buf, sizeof buf), hlen);
	assert_memory_equal(buf, frame + ETH, hlen);
}

static void test_round_trip(void **state)
{
	(void)state;
	round_trip(ww_frame_echo_request, sizeof ww_frame_echo_request);
	round_trip(ww_frame_tos, sizeof ww_frame_tos);
	round_trip(ww_frame_frag_first, sizeof ww_frame_frag_first);
	round_trip(ww_frame_frag_last, sizeof ww_frame_frag_last);
	round_trip(ww_frame_rr_request, sizeof ww_frame_rr_request);
	round_trip(ww_frame_rr_reply, sizeof ww_frame_rr_reply);
	round_trip(ww_frame_port_unreach, sizeof ww_frame_port_unreach);
}

/* ---- truncated and invalid ------------------------------------------- */

/* The field the parser must name when the datagram is cut after N bytes. */
static const char *rr_cut_field(size_t n)
{
	static const char *fixed[20] = {
		"ip.version", "ip.dsfield", "ip.len", "ip.len", "ip.id", "ip.id", "ip.flags",
		"ip.frag_offset", "ip.ttl", "ip.proto", "ip.checksum", "ip.checksum", "ip.src",
		"ip.src", "ip.src", "ip.src", "ip.dst", "ip.dst", "ip.dst", "ip.dst",
	};
	if (n < 20)
		return fixed[n];
	if (n == 20 || n == 21) /* NOP's type byte, then Record Route's */
		return "ip.opt.type";
	if (n == 22)
		return "ip.opt.len";
	if (n < 60)
		return "ip.options.record_route";
	return "ip.len";
}

static void test_truncated_at_every_length(void **state)
{
	(void)state;
	const uint8_t *f = ww_frame_rr_request;
	const size_t total = sizeof ww_frame_rr_request - ETH; /* 124 */
	uint8_t *buf = malloc(ETH + total);
	assert_non_null(buf);
	for (size_t n = 0; n < total; n++) {
		/* A buffer of exactly the cut length, so a read past it is
		 * caught by the sanitizers. */
		memcpy(buf, f, ETH + n);
		struct ww_cursor c;
		struct ww_ipv4 ip;
		assert_int_equal(parse_at(buf, ETH + n, &c, &ip), -1);
		assert_int_equal(c.err.status, WW_TRUNCATED);
		assert_string_equal(c.err.field, rr_cut_field(n));
		if (n >= 60) {
			char want[64];
			snprintf(want, sizeof want, "IPv4 total length 124 > %zu bytes left", n);
			assert_string_equal(c.err.msg, want);
			assert_int_equal(c.err.offset, ETH + 2);
		}

		assert_null(dissect_at(buf, ETH + n, 0, ETH, &c));
		assert_int_equal(D.nerrors, 1);
		assert_int_equal(D.errors[0].status, WW_TRUNCATED);
		assert_string_equal(D.errors[0].field, rr_cut_field(n));
		assert_int_equal(D.nlayers, 1);
		for (unsigned i = 0; i < D.nitems; i++)
			assert_true(D.items[i].off + D.items[i].len <= ETH + n);
		assert_int_equal(item("ip.src") != NULL, n >= 16);
		assert_int_equal(item("ip.options.record_route") != NULL, n >= 60);
	}
	free(buf);
}

static void expect_invalid(const uint8_t *hdr, size_t len, const char *field, const char *msg,
			   uint32_t offset)
{
	uint8_t f[ETH + 64];
	memset(f, 0, ETH);
	memcpy(f + ETH, hdr, len);
	struct ww_cursor c;
	struct ww_ipv4 ip;
	assert_int_equal(parse_at(f, ETH + len, &c, &ip), -1);
	assert_int_equal(c.err.status, WW_INVALID);
	assert_string_equal(c.err.field, field);
	assert_string_equal(c.err.msg, msg);
	assert_int_equal(c.err.offset, ETH + offset);
	assert_null(dissect_at(f, ETH + len, 0, ETH, &c));
	assert_int_equal(D.errors[0].status, WW_INVALID);
	assert_string_equal(D.errors[0].field, field);
	assert_non_null(item("ip.version"));
}

static void test_invalid_values(void **state)
{
	(void)state;
	uint8_t h[64];
	const uint8_t *echo = ww_frame_echo_request + ETH;

	memcpy(h, echo, 20);
	h[0] = 0x65;
	expect_invalid(h, 20, "ip.version", "IP version 6, not 4", 0);
	h[0] = 0x44;
	expect_invalid(h, 20, "ip.hdr_len", "IPv4 header length 16 < 20", 0);
	h[0] = 0x40;
	expect_invalid(h, 20, "ip.hdr_len", "IPv4 header length 0 < 20", 0);
	h[0] = 0x45;
	ww_put16(h + 2, 19);
	expect_invalid(h, 20, "ip.len", "IPv4 total length 19 < header length 20", 2);

	/* Options: 24-byte header, total length 24. */
	memcpy(h, echo, 20);
	h[0] = 0x46;
	ww_put16(h + 2, 24);
	static const struct {
		uint8_t o[4];
		const char *field, *msg;
		uint32_t off;
	} bad[] = {
		{ { 0x94, 0x01, 0, 0 }, "ip.opt.len", "IPv4 option 148 length 1 < 2", 21 },
		{ { 0x94, 0x00, 0, 0 }, "ip.opt.len", "IPv4 option 148 length 0 < 2", 21 },
		{ { 0x94, 0x05, 0, 0 }, "ip.opt.len",
		  "IPv4 option 148 length 5 > 4 option bytes left in the header", 21 },
		{ { 0x01, 0x01, 0x07, 0x03 }, "ip.opt.len",
		  "IPv4 option 7 length 3 > 2 option bytes left in the header", 23 },
		{ { 0x01, 0x01, 0x01, 0x07 }, "ip.opt.len",
		  "IPv4 option 7 has no room for its length in the header", 24 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(h + 20, bad[i].o, 4);
		expect_invalid(h, 24, bad[i].field, bad[i].msg, bad[i].off);
	}
	/* An unknown option that is well formed is kept, not refused. */
	static const uint8_t unknown[4] = { 0x99, 0x03, 0x01, 0x00 };
	memcpy(h + 20, unknown, 4);
	uint8_t f[ETH + 24];
	memset(f, 0, ETH);
	memcpy(f + ETH, h, 24);
	struct ww_cursor c;
	assert_non_null(dissect_at(f, sizeof f, 0, ETH, &c));
	/* tshark shows it as bytes only: ip.opt.type lists just the EOL. */
	assert_int_equal(item("ip.options.unknown")->len, 3);
	assert_memory_equal(item("ip.options.unknown")->p, unknown, 3);
	assert_int_equal(item_n("ip.opt.type", 0)->u, 0);
	assert_null(item_n("ip.opt.type", 1));
	assert_null(item("ip.opt.len"));
	assert_int_equal(item("ip.checksum")->check, WW_CHECK_BAD);
}

/* ---- field table and addresses ------------------------------------- */

static void test_field_table(void **state)
{
	(void)state;
	static const struct { const char *alias, *name; } scapy[] = {
		{ "version", "ip.version" }, { "ihl", "ip.hdr_len" }, { "tos", "ip.dsfield" },
		{ "len", "ip.len" }, { "id", "ip.id" }, { "flags", "ip.flags" },
		{ "frag", "ip.frag_offset" }, { "ttl", "ip.ttl" }, { "proto", "ip.proto" },
		{ "chksum", "ip.checksum" }, { "src", "ip.src" }, { "dst", "ip.dst" },
	};
	for (size_t i = 0; i < sizeof scapy / sizeof scapy[0]; i++) {
		const struct ww_field *f = ww_field_find(ww_ipv4_fields, scapy[i].name);
		assert_non_null(f);
		assert_non_null(f->alias);
		assert_string_equal(f->alias, scapy[i].alias);
	}
	int last = -1;
	for (const struct ww_field *f = ww_ipv4_fields; f->name; f++) {
		assert_memory_equal(f->name, "ip.", 3);
		assert_non_null(f->label);
		assert_non_null(f->help);
		if (f->bit_off >= 0) {
			assert_true(f->bit_off >= last); /* frame order */
			assert_true(f->bit_off + f->bit_width <= 160);
			last = f->bit_off;
		}
	}
	assert_int_equal(ww_field_find(ww_ipv4_fields, "ip.hdr_len")->mult, 4);
	assert_string_equal(ww_tok_str(ww_ipproto_names, 17), "UDP");
	assert_string_equal(ww_tok_str(ww_ipproto_names, 6), "TCP");
	assert_string_equal(ww_tok_str(ww_ipproto_names, 1), "ICMP");
}

static void test_address_text(void **state)
{
	(void)state;
	char buf[16];
	uint32_t a = 0;
	assert_string_equal(ww_ipv4_str(0xc0a80105, buf), "192.168.1.5");
	assert_string_equal(ww_ipv4_str(0, buf), "0.0.0.0");
	assert_string_equal(ww_ipv4_str(0xffffffff, buf), "255.255.255.255");
	assert_string_equal(ww_ipv4_str(0xcb00710a, buf), "203.0.113.10");
	assert_int_equal(ww_ipv4_parse_addr("192.168.1.5", &a), 0);
	assert_int_equal(a, 0xc0a80105);
	assert_int_equal(ww_ipv4_parse_addr("0.0.0.0", &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(ww_ipv4_parse_addr("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffff);
	assert_int_equal(ww_ipv4_parse_addr("198.51.100.200", &a), 0);
	assert_int_equal(a, 0xc63364c8);

	static const char *bad[] = {
		"", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1.2.3.1000", " 1.2.3.4",
		"1.2.3.4 ", "1..2.3", ".1.2.3", "1.2.3.", "01.2.3.4", "1.2.3.04", "a.b.c.d",
		"1.2.3.4x", "-1.2.3.4", "+1.2.3.4", "1.2.3.99999999999", "0x1.2.3.4", "1,2,3,4",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		a = 0x01020304;
		assert_int_equal(ww_ipv4_parse_addr(bad[i], &a), -1);
		assert_int_equal(a, 0x01020304); /* left alone on failure */
	}
	/* Every address prints and parses back to itself. */
	for (uint64_t v = 0; v <= 0xffffffffu; v += 0x01010101u * 7 + 12345) {
		assert_int_equal(ww_ipv4_parse_addr(ww_ipv4_str((uint32_t)v, buf), &a), 0);
		assert_int_equal(a, (uint32_t)v);
	}
}

/* The rows are where the enum says, the table ends with its NULL row, the
 * fixed header is one run, and its fast path gives what the general walk
 * gives, whole and cut at every length. */
static void test_field_rows(void **state)
{
	(void)state;
	static const struct row_name names[] = {
		{ WW_IP_F_VERSION, "ip.version" }, { WW_IP_F_HDR_LEN, "ip.hdr_len" },
		{ WW_IP_F_DSFIELD, "ip.dsfield" }, { WW_IP_F_DSCP, "ip.dsfield.dscp" },
		{ WW_IP_F_ECN, "ip.dsfield.ecn" }, { WW_IP_F_LEN, "ip.len" },
		{ WW_IP_F_ID, "ip.id" }, { WW_IP_F_FLAGS, "ip.flags" },
		{ WW_IP_F_FLAG_RB, "ip.flags.rb" }, { WW_IP_F_FLAG_DF, "ip.flags.df" },
		{ WW_IP_F_FLAG_MF, "ip.flags.mf" }, { WW_IP_F_FRAG_OFFSET, "ip.frag_offset" },
		{ WW_IP_F_TTL, "ip.ttl" }, { WW_IP_F_PROTO, "ip.proto" },
		{ WW_IP_F_CHECKSUM, "ip.checksum" }, { WW_IP_F_SRC, "ip.src" },
		{ WW_IP_F_DST, "ip.dst" }, { WW_IP_F_OPT_TYPE, "ip.opt.type" },
		{ WW_IP_F_OPT_LEN, "ip.opt.len" }, { WW_IP_F_OPT_PADDING, "ip.opt.padding" },
		{ WW_IP_F_O_EOL, "ip.options.eol" }, { WW_IP_F_O_NOP, "ip.options.nop" },
		{ WW_IP_F_O_SEC, "ip.options.security" },
		{ WW_IP_F_O_LSRR, "ip.options.route" },
		{ WW_IP_F_O_TS, "ip.options.timestamp" },
		{ WW_IP_F_O_EXTSEC, "ip.options.ext_security" },
		{ WW_IP_F_O_CIPSO, "ip.options.cipso" },
		{ WW_IP_F_O_RR, "ip.options.record_route" },
		{ WW_IP_F_O_SID, "ip.options.sid" },
		{ WW_IP_F_O_SSRR, "ip.options.source_route" },
		{ WW_IP_F_O_MTUP, "ip.options.mtu_probe" },
		{ WW_IP_F_O_MTUR, "ip.options.mtu_reply" },
		{ WW_IP_F_O_TR, "ip.options.traceroute" },
		{ WW_IP_F_O_RA, "ip.options.routeralert" }, { WW_IP_F_O_SDB, "ip.options.sdb" },
		{ WW_IP_F_O_QS, "ip.options.qs" }, { WW_IP_F_O_UNKNOWN, "ip.options.unknown" },
	};
	check_rows(ww_ipv4_fields, names, sizeof names / sizeof names[0], WW_IP_F_END,
		   WW_IP_F_DST + 1);
	const uint8_t *frames[] = { ww_frame_echo_request, ww_frame_tos, ww_frame_frag_last,
				    ww_frame_rr_request };
	const size_t lens[] = { sizeof ww_frame_echo_request, sizeof ww_frame_tos,
				sizeof ww_frame_frag_last, sizeof ww_frame_rr_request };
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
		check_fixed_paths(ww_ipv4_fields, WW_IP_F_DST + 1, frames[i], lens[i], WW_ETH_HLEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_echo_request),
		cmocka_unit_test(test_parse_tos_and_ttl),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_payload_limited_to_total_length),
		cmocka_unit_test(test_dissect_fixed_fields),
		cmocka_unit_test(test_every_bit_round_trips),
		cmocka_unit_test(test_options_record_route),
		cmocka_unit_test(test_quoted_header),
		cmocka_unit_test(test_wrong_checksum_kept_and_shown),
		cmocka_unit_test(test_emit_echo_request_exact),
		cmocka_unit_test(test_emit_options_padded),
		cmocka_unit_test(test_emit_manual_fields_kept),
		cmocka_unit_test(test_emit_limits),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_invalid_values),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_address_text),
		cmocka_unit_test(test_field_rows),
	};
	return cmocka_run_group_tests_name("ipv4", tests, NULL, NULL);
}
