/* Crafting expressions: every form builds the exact bytes expected, set
 * fields are kept even when wrong, unset ones are filled as a stack
 * would, and every mistake is named with its token.
 *
 * The expected frames were built with Scapy 2.5 (Ether/IP/ICMP/TCP/UDP/ARP/
 * Dot1Q with the same field values and our defaults written out: src
 * 192.168.1.5, 02:00:00:00:00:05, id 1, sport 40000, window 64240) and
 * padded with zeros to 60 bytes; wirewalk and Scapy agree byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "view_frames.h"
#include "ww/checksum.h"
#include "ww/craft.h"
#include "ww/dissect.h"

#define OUR_IP 0xc0a80105u   /* 192.168.1.5 */
#define FAR_IP 0xcb007163u   /* 203.0.113.99: no route */

static const uint8_t GW_MAC[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };

struct hop_calls {
	unsigned n;
	uint32_t last_dst;
};

static int next_hop(void *arg, uint32_t dst, uint8_t mac[6], char *err, size_t errlen)
{
	struct hop_calls *calls = arg;
	calls->n++;
	calls->last_dst = dst;
	if (dst == FAR_IP) {
		snprintf(err, errlen, "no route to 203.0.113.99 (see 'route')");
		return -1;
	}
	memcpy(mac, GW_MAC, 6);
	return 0;
}

static struct hop_calls calls;
static const struct ww_craft_env env = {
	.mac = { 0x02, 0, 0, 0, 0, 0x05 }, .ip = OUR_IP, .ip_id = 1, .sport = 40000,
	.next_hop_mac = next_hop, .arg = &calls,
};

static struct ww_craft craft;
static uint8_t frame[2048];
static struct ww_dissection dis;

static size_t hex_bytes(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned b;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

/* Build TEXT into a buffer of 0xa5: its length, and nothing past it touched. */
static size_t build(const char *text)
{
	struct ww_expr_error err;
	if (ww_craft_parse(&craft, text, NULL, NULL, &err) < 0)
		fail_msg("parse %s: %s", text, err.msg);
	memset(frame, 0xa5, sizeof frame);
	size_t len = 0;
	if (ww_craft_build(&craft, &env, frame, sizeof frame, &len, &err) < 0)
		fail_msg("build %s: %s", text, err.msg);
	for (size_t i = len; i < sizeof frame; i++)
		assert_int_equal(frame[i], 0xa5);
	return len;
}

static void expect_frame(const char *text, const char *hex)
{
	static uint8_t want[2048];
	size_t n = hex_bytes(hex, want, sizeof want);
	size_t len = build(text);
	assert_int_equal(len, n);
	assert_memory_equal(frame, want, n);
}

/* The checksum verdict of the first item of FIELD in the built frame. */
static const struct ww_item *item(const char *name)
{
	for (unsigned i = 0; i < dis.nitems; i++)
		if (strcmp(dis.items[i].f->name, name) == 0)
			return &dis.items[i];
	fail_msg("no %s in the frame", name);
	return NULL;
}

/* ---- the issue's forms -------------------------------------------------- */

static void test_issue_forms(void **state)
{
	(void)state;
	calls.n = 0;
	expect_frame("ip(dst=192.0.2.10, ttl=1)/icmp(type=echo-request)",
		     "02000000010102000000000508004500001c0001000001013629c0a80105c000020a"
		     "0800f7ff00000000000000000000000000000000000000000000");
	/* The next hop was asked for the IP destination; routing picks the gateway. */
	assert_int_equal(calls.n, 1);
	assert_int_equal(calls.last_dst, 0xc000020au);

	calls.n = 0;
	expect_frame("eth(dst=ff:ff:ff:ff:ff:ff)/arp(op=request, tpa=192.168.1.1)",
		     "ffffffffffff02000000000508060001080006040001020000000005c0a80105"
		     "000000000000c0a80101000000000000000000000000000000000000");
	assert_int_equal(calls.n, 0); /* eth.dst set by hand: nothing resolved */

	expect_frame("ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000)",
		     "020000000101020000000005080045000028000100004006f717c0a80105c000020a"
		     "9c400050000003e8000000005002faf090c10000000000000000");
}

/* ---- more forms, against Scapy ---------------------------------------- */

static void test_more_forms(void **state)
{
	(void)state;
	/* 802.1Q tag, ICMP identifier and sequence, a text payload. */
	expect_frame("vlan(vlan=10, prio=5)/ip(dst=192.0.2.10)/icmp(id=0x1234, seq=7)/\"ping\"",
		     "0200000001010200000000058100a00a080045000020000100004001f724c0a80105"
		     "c000020a080006f41234000770696e6700000000000000000000");
	/* A SYN as Linux sends it: options laid out MSS, SACK-permitted,
	 * timestamps, NOP, window scale; DF and a DS field. */
	expect_frame("ip(dst=192.0.2.10, flags=DF, tos=0xb8, id=0x4242)/tcp(sport=51418, dport=443, "
		     "flags=S, seq=0x01020304, mss=1460, sackok=1, tsval=1, tsecr=0, wscale=7)",
		     "020000000101020000000005080045b8003c424240004006740ac0a80105c000020a"
		     "c8da01bb0102030400000000a002faf0faba0000020405b40402080a00000001"
		     "0000000001030307");
	/* An ICMP error quoting a datagram: the quoted header's addresses
	 * default to the error's, reversed; its UDP checksum is computed. */
	expect_frame("ip(dst=192.168.1.7)/icmp(type=dest-unreach, code=port-unreachable)/"
		     "ip(proto=17, len=30)/udp(sport=9, dport=40000, len=10)",
		     "020000000101020000000005080045000038000100004001f767c0a80105c0a80107"
		     "03038075000000004500001e000100004011f771c0a80107c0a8010500099c40"
		     "000ae033");
	/* An ARP reply goes to the MAC it answers. */
	expect_frame("arp(op=is-at, pdst=192.168.1.1, hwdst=02:00:00:00:01:01)",
		     "02000000010102000000000508060001080006040002020000000005c0a80105"
		     "020000000101c0a80101000000000000000000000000000000000000");
	/* TCP with a payload. */
	expect_frame("ip(dst=192.0.2.10)/tcp(flags=PA, seq=1001, ack=2002)/\"GET / HTTP/1.0\\r\\n\\r\\n\"",
		     "02000000010102000000000508004500003a000100004006f705c0a80105c000020a"
		     "9c400050000003e9000007d25018faf0aa260000474554202f20485454502f31"
		     "2e300d0a0d0a");
}

static void test_broadcast_multicast(void **state)
{
	(void)state;
	calls.n = 0;
	expect_frame("ip(dst=224.0.0.251, ttl=1)/udp(sport=5353, dport=5353)",
		     "01005e0000fb02000000000508004500001c0001000001111728c0a80105e00000fb"
		     "14e914e900083363000000000000000000000000000000000000");
	expect_frame("ip(dst=255.255.255.255)/udp(sport=68, dport=67)",
		     "ffffffffffff02000000000508004500001c000100004011b923c0a80105ffffffff"
		     "0044004300083daa000000000000000000000000000000000000");
	assert_int_equal(calls.n, 0); /* mapped, not asked for */
}

/* ---- checksums: computed right, or kept as set ---------------------------- */

static void test_auto_checksums_good(void **state)
{
	(void)state;
	static const char *const exprs[] = {
		"ip(dst=192.0.2.10)/icmp()/\"0123456789abcdef0123456789abcdef\"",
		"ip(dst=192.0.2.10, options=0x01010101)/tcp(flags=SA, ack=5, mss=1400)/\"x\"",
		"ip(dst=192.0.2.10)/udp(dport=9)/\"odd\"",
	};
	static const char *const sums[][2] = {
		{ "ip.checksum", "icmp.checksum" },
		{ "ip.checksum", "tcp.checksum" },
		{ "ip.checksum", "udp.checksum" },
	};
	for (size_t i = 0; i < 3; i++) {
		size_t len = build(exprs[i]);
		ww_dissect(&dis, frame, len);
		assert_int_equal(dis.nerrors, 0);
		assert_int_equal(item(sums[i][0])->check, WW_CHECK_GOOD);
		assert_int_equal(item(sums[i][1])->check, WW_CHECK_GOOD);
	}
}

static void test_hand_checksums_kept(void **state)
{
	(void)state;
	size_t len = build("ip(dst=192.0.2.10, chksum=0x1234)/icmp(type=echo-request)");
	assert_int_equal(frame[24], 0x12);
	assert_int_equal(frame[25], 0x34);
	ww_dissect(&dis, frame, len);
	const struct ww_item *ip = item("ip.checksum");
	assert_int_equal(ip->check, WW_CHECK_BAD);
	assert_int_equal(ip->expect, 0xf728); /* what it should have been, ttl 64 */
	assert_int_equal(item("icmp.checksum")->check, WW_CHECK_GOOD);

	len = build("ip(dst=192.0.2.10)/tcp(chksum=0xbeef)");
	ww_dissect(&dis, frame, len);
	assert_int_equal(item("tcp.checksum")->u, 0xbeef);
	assert_int_equal(item("tcp.checksum")->check, WW_CHECK_BAD);
	assert_int_equal(item("ip.checksum")->check, WW_CHECK_GOOD);

	len = build("ip(dst=192.0.2.10)/icmp(chksum=0)");
	ww_dissect(&dis, frame, len);
	assert_int_equal(item("icmp.checksum")->u, 0);
	assert_int_equal(item("icmp.checksum")->check, WW_CHECK_BAD);

	/* UDP checksum 0: "none" (RFC 768), left unjudged. */
	len = build("ip(dst=192.0.2.10)/udp(chksum=0)");
	ww_dissect(&dis, frame, len);
	assert_int_equal(item("udp.checksum")->u, 0);
	assert_int_equal(item("udp.checksum")->check, WW_CHECK_NONE);
}

/* ---- lengths, versions and bits kept as set --------------------------------- */

static void test_wrong_fields_kept(void **state)
{
	(void)state;
	size_t len = build("ip(dst=192.0.2.10, len=100, version=6, ihl=7)/icmp()");
	assert_int_equal(len, 60);
	assert_int_equal(frame[14], 0x67);
	assert_int_equal(frame[16], 0);
	assert_int_equal(frame[17], 100);
	/* The header checksum is computed over the header as sent. */
	assert_int_equal(ww_inet_csum(frame + 14, 20), 0);

	len = build("ip(dst=192.0.2.10)/udp(len=3)/\"abcdef\"");
	assert_int_equal(frame[38], 0);
	assert_int_equal(frame[39], 3);
	len = build("ip(dst=192.0.2.10)/tcp(dataofs=15)");
	assert_int_equal(frame[46] >> 4, 15);
	len = build("arp(tpa=192.168.1.1, hwlen=8)");
	assert_int_equal(frame[18], 8);
	assert_int_equal(frame[19], 4);
	(void)len;
}

static void test_units_alias_and_name(void **state)
{
	(void)state;
	/* ihl counts 32-bit words (as Scapy and RFC 791), ip.hdr_len bytes
	 * (as Wireshark shows it): the same header either way. */
	build("ip(dst=192.0.2.10, ihl=6)/icmp()");
	uint8_t a[60];
	memcpy(a, frame, 60);
	build("ip(dst=192.0.2.10, ip.hdr_len=24)/icmp()");
	assert_memory_equal(a, frame, 60);
	build("ip(dst=192.0.2.10, hdr_len=24)/icmp()");
	assert_memory_equal(a, frame, 60);
	assert_int_equal(frame[14], 0x46);
}

static void test_bits_and_names(void **state)
{
	(void)state;
	build("ip(dst=192.0.2.10, flags=DF+MF)/icmp()");
	assert_int_equal(frame[20] >> 5, 3);
	build("ip(dst=192.0.2.10, flags.df=1, frag=5)/icmp()");
	assert_int_equal(frame[20], 0x40);
	assert_int_equal(frame[21], 5);
	build("ip(dst=192.0.2.10, dsfield.dscp=46, dsfield.ecn=1)/icmp()");
	assert_int_equal(frame[15], 0xb9);
	/* Later assignments win, bit by bit. */
	build("ip(dst=192.0.2.10)/tcp(flags=0, flags.syn=1, flags.ack=1)");
	assert_int_equal(frame[47], 0x12);
	build("ip(dst=192.0.2.10)/tcp(flags=SYN+ACK)");
	assert_int_equal(frame[47], 0x12);
	build("ip(dst=192.0.2.10)/tcp(flags=FPU)");
	assert_int_equal(frame[47], 0x29);
	build("ip(dst=192.0.2.10)/tcp(flags=N)"); /* the AE bit, Scapy's old NS */
	assert_int_equal(frame[46] & 0x0f, 0x01);
	assert_int_equal(frame[47], 0);
	build("ip(dst=192.0.2.10, proto=udp)");
	assert_int_equal(frame[23], 17);
	build("eth(type=0x88cc)");
	assert_int_equal(frame[12], 0x88);
	assert_int_equal(frame[13], 0xcc);
	build("eth(dst=ff:ff:ff:ff:ff:ff, dst.ig=0)");
	assert_int_equal(frame[0], 0xfe);
	build("ip(dst=192.0.2.10)/icmp(type=time-exceeded, code=ttl-zero-during-transit)");
	assert_int_equal(frame[34], 11);
	assert_int_equal(frame[35], 0);
	build("ip(dst=192.0.2.10)/icmp(type=dest-unreach, code=4, nexthopmtu=1400)");
	assert_int_equal(frame[40], 0x05);
	assert_int_equal(frame[41], 0x78);
}

/* ---- defaults -------------------------------------------------------------- */

static void test_defaults(void **state)
{
	(void)state;
	size_t len = build("ip(dst=192.0.2.10)/tcp()");
	ww_dissect(&dis, frame, len);
	assert_int_equal(item("ip.ttl")->u, 64);
	assert_int_equal(item("ip.id")->u, 1);
	assert_int_equal(item("ip.proto")->u, 6);
	assert_int_equal(item("ip.src")->u, OUR_IP);
	assert_int_equal(item("tcp.srcport")->u, 40000);
	assert_int_equal(item("tcp.dstport")->u, 80);
	assert_int_equal(item("tcp.flags")->u, 0x002);
	assert_int_equal(item("tcp.window_size_value")->u, 64240);
	assert_memory_equal(item("eth.src")->p, env.mac, 6);
	assert_memory_equal(item("eth.dst")->p, GW_MAC, 6);
	/* Short frames are padded with zeros, as a NIC pads them. */
	assert_int_equal(len, 60);
	for (size_t i = 54; i < 60; i++)
		assert_int_equal(frame[i], 0);

	len = build("ip(dst=192.0.2.10)/udp()");
	ww_dissect(&dis, frame, len);
	assert_int_equal(item("udp.dstport")->u, 53);
	assert_int_equal(item("udp.length")->u, 8);

	/* An IP header with nothing above is experimental protocol 253 (RFC
	 * 3692); an Ethernet header with nothing above, EtherType 0x88b5. */
	build("ip(dst=192.0.2.10)");
	assert_int_equal(frame[23], 253);
	build("eth()/\"hello\"");
	assert_int_equal(frame[12], 0x88);
	assert_int_equal(frame[13], 0xb5);
	assert_memory_equal(frame, "\xff\xff\xff\xff\xff\xff", 6);
	assert_memory_equal(frame + 14, "hello", 5);
}

static void test_payloads(void **state)
{
	(void)state;
	size_t len = build("ip(dst=192.0.2.10)/udp(dport=9)/raw(load=\"a\\tb\\x00\\\\\")");
	assert_int_equal(len, 60);
	assert_memory_equal(frame + 42, "a\tb\0\\", 5);
	len = build("ip(dst=192.0.2.10)/udp(dport=9)/raw(0xdeadbeef)");
	assert_memory_equal(frame + 42, "\xde\xad\xbe\xef", 4);
	len = build("ip(dst=192.0.2.10)/udp(dport=9)/raw(de:ad:be:ef:00)");
	assert_memory_equal(frame + 42, "\xde\xad\xbe\xef\x00", 5);
	len = build("ip(dst=192.0.2.10)/udp(dport=9)/payload('single \"quoted\"')");
	assert_memory_equal(frame + 42, "single \"quoted\"", 15);
	/* A payload that fills a frame of 1514 bytes. */
	char text[1600];
	int n = snprintf(text, sizeof text, "ip(dst=192.0.2.10)/udp(dport=9)/\"");
	memset(text + n, 'x', 1472);
	snprintf(text + n + 1472, sizeof text - (size_t)n - 1472, "\"");
	len = build(text);
	assert_int_equal(len, 1514);
	ww_dissect(&dis, frame, len);
	assert_int_equal(item("ip.len")->u, 1500);
	assert_int_equal(item("udp.checksum")->check, WW_CHECK_GOOD);
}

static void test_scapy_names_and_blanks(void **state)
{
	(void)state;
	build("ip(dst=192.0.2.10, ttl=1)/icmp(type=echo-request)");
	uint8_t a[60];
	memcpy(a, frame, 60);
	build("  Ether() / IP ( dst = 192.0.2.10 , ttl = 1 ) / ICMP ( type = 8 )  # a comment");
	assert_memory_equal(a, frame, 60);
	build("ip(ip.dst=192.0.2.10, ip.ttl=1)/icmp(icmp.type=8)");
	assert_memory_equal(a, frame, 60);
	build("ip(dst=192.0.2.10, ttl=2*3-5)/icmp(type=4+4)");
	assert_memory_equal(a, frame, 60);
	build("eth()/ip(dst=192.0.2.10, ttl=(0x1))/icmp");
	assert_memory_equal(a, frame, 60);
}

/* ---- errors, each with its token ------------------------------------------- */

static void expect_error(const char *text, const char *msg, size_t pos, size_t len)
{
	struct ww_expr_error err;
	int rc = ww_craft_parse(&craft, text, NULL, NULL, &err);
	if (rc == 0) {
		size_t flen;
		rc = ww_craft_build(&craft, &env, frame, sizeof frame, &flen, &err);
	}
	if (rc == 0)
		fail_msg("no error for %s", text);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("%s:\n got  %s\n want %s", text, err.msg, msg);
	if (err.pos != pos || err.len != len)
		fail_msg("%s: at %zu+%zu, want %zu+%zu", text, err.pos, err.len, pos, len);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("ip(dst=192.0.2.10, tll=1)/icmp()",
		     "unknown field 'tll' in ip(...); did you mean 'ttl'?", 19, 3);
	expect_error("ip(dst=192.0.2.10, ttl=300)", "ttl=300: out of range 0..255", 23, 3);
	expect_error("ip(dst=192.0.2.300)", "dst=192.0.2.300: not an IPv4 address", 7, 11);
	expect_error("ip(dst=02:00:00:00:00:05)", "dst=02:00:00:00:00:05: not an IPv4 address", 7, 17);
	expect_error("eth(dst=ff:ff:ff:ff:ff:zz)", "dst=ff:ff:ff:ff:ff:zz: not a MAC address", 8, 17);
	expect_error("tpc(dport=80)", "unknown layer 'tpc'; did you mean 'tcp'?", 0, 3);
	expect_error("ip(dst=192.0.2.10)/frobnicate()",
		     "unknown layer 'frobnicate' (eth, vlan, arp, ip, icmp, udp, tcp, raw)", 19, 10);
	expect_error("ip(dst=192.0.2.10)/icmp(type=echo-requets)",
		     "type=echo-requets: unknown value for icmp.type; did you mean 'echo-request'?",
		     29, 12);
	expect_error("ip(dst=192.0.2.10)/tcp(flags=SX)",
		     "flags=SX: not TCP flags: letters F S R P A U E C N (AE), e.g. SA", 29, 2);
	expect_error("ip(dst=192.0.2.10)/tcp(flags=SS)",
		     "flags=SS: not TCP flags: letters F S R P A U E C N (AE), e.g. SA", 29, 2);
	expect_error("ip(dst=192.0.2.10, hdr_len=22)", "hdr_len=22: not a multiple of 4", 27, 2);
	expect_error("ip(dst=192.0.2.10, ip.hdr_len=64)",
		     "ip.hdr_len=64: out of range 0..60 in steps of 4", 30, 2);
	expect_error("ip(dst=192.0.2.10, ttl=-1)", "ttl=-1: out of range 0..255", 23, 2);
	expect_error("ip(dst=192.0.2.10, ttl=255 + 1)", "ttl=255 + 1: out of range 0..255", 23, 7);
	expect_error("ip(dst=192.0.2.10, ttl=\"x\")", "ttl=\"x\": not a number", 23, 3);
	expect_error("ip(dst=192.0.2.10, ttl=12ab)", "ttl=12ab: not a number", 23, 4);
	expect_error("ip(dst=192.0.2.10, ttl=1 + 0xZZ)", "ttl=1 + 0xZZ: 0xZZ: not a number", 27, 4);
	expect_error("ip(dst=192.0.2.10, ttl=)", "ttl=: expected a value, found ')'", 23, 1);
	expect_error("ip(dst=192.0.2.10, ttl=1", "'(' without its ')'", 2, 1);
	expect_error("ip(dst=192.0.2.10 ttl=1)", "expected ',' or ')' here", 18, 3);
	expect_error("ip(dst=192.0.2.10, tcp.dstport=80)",
		     "'tcp.dstport' is a tcp field, not one of ip(...)", 19, 11);
	expect_error("ip(dst=192.0.2.10)/tcp(len=3)",
		     "'len' cannot be set: it is the payload's length", 23, 3);
	expect_error("ip(dst=192.0.2.10)/tcp(sprot=3)",
		     "unknown field 'sprot' in tcp(...); did you mean 'sport'?", 23, 5);
	expect_error("eth(padding=0x00)", "'padding' cannot be set in a crafting expression", 4, 7);
	expect_error("ip(dst=192.0.2.10)/tcp(tcp.len=3)",
		     "'tcp.len' cannot be set: it is the payload's length", 23, 7);
	expect_error("ip(dst=192.0.2.10)/\"abc", "unterminated string", 19, 4);
	expect_error("ip(dst=192.0.2.10)/\"a\\qb\"",
		     "\"a\\qb\": unknown escape '\\q' (\\n \\r \\t \\0 \\\\ \\\" \\' \\xNN)", 21, 2);
	expect_error("tcp(dport=80)", "tcp travels in IP: write ip(dst=...)/tcp(...)", 0, 13);
	expect_error("arp(tpa=192.168.1.1)/tcp()",
		     "tcp travels in IP, not on arp: write ip(dst=...)/tcp(...)", 21, 5);
	expect_error("ip(dst=192.0.2.10)/eth()", "eth can only be the first layer", 19, 5);
	expect_error("ip(dst=192.0.2.10)/udp()/tcp()",
		     "tcp travels in IP, not on udp: write ip(dst=...)/tcp(...)", 25, 5);
	expect_error("ip(dst=192.0.2.10) tcp()",
		     "unexpected 'tcp' after the expression: layers are joined by '/'", 19, 3);
	expect_error("", "a layer is missing: eth, arp, ip, icmp, udp, tcp, raw", 0, 0);
	expect_error("ip(dst=192.0.2.10, $x=1)", "expected a field name, as in ttl=64", 19, 2);
	expect_error("ip(dst=192.0.2.10, ttl=$last.ip.ttl)", "ttl=$last.ip.ttl: no variables here",
		     23, 12);
	/* Building: no destination, no next hop, options too long. */
	expect_error("ip(ttl=1)/icmp()", "ip(...) needs a destination: ip(dst=192.0.2.10)", 0, 9);
	expect_error("arp(op=request)", "arp(...) needs the address asked about: arp(pdst=192.168.1.1)",
		     0, 15);
	expect_error("ip(dst=203.0.113.99)/icmp()", "no route to 203.0.113.99 (see 'route')", 0, 20);
	expect_error("ip(dst=192.0.2.10)/tcp(options=0x" "0101010101010101010101010101010101010101"
		     "010101010101010101010101010101010101010101)",
		     "the TCP options take 41 bytes: at most 40 fit", 19, 97);
	expect_error("ip(dst=192.0.2.10, options=0x" "0101010101010101010101010101010101010101"
		     "010101010101010101010101010101010101010101)",
		     "41 bytes of options: at most 40 fit", 19, 92);
}

/* A destination unknown to routing is no problem when eth.dst is set. */
static void test_eth_dst_set_not_resolved(void **state)
{
	(void)state;
	calls.n = 0;
	size_t len = build("eth(dst=02:00:00:00:00:07)/ip(dst=203.0.113.99)/icmp()");
	assert_int_equal(calls.n, 0);
	assert_int_equal(len, 60);
	assert_memory_equal(frame, "\x02\x00\x00\x00\x00\x07", 6);
}

/* ---- variables ---------------------------------------------------------------- */

/* $1 is the SYN of view_frames.h, $2 and $reply the SYN-ACK answering it. */
static int frames_var(void *arg, const char *name, size_t len, const uint8_t **f, size_t *flen,
		      char *err, size_t errlen)
{
	(void)arg;
	if (len == 1 && name[0] == '1') {
		*f = vf_tcp_syn, *flen = sizeof vf_tcp_syn;
		return 0;
	}
	if ((len == 1 && name[0] == '2') || (len == 5 && memcmp(name, "reply", 5) == 0)) {
		*f = vf_tcp_syn_ack, *flen = sizeof vf_tcp_syn_ack;
		return 0;
	}
	snprintf(err, errlen, "no frame $%.*s", (int)len, name);
	return -1;
}

static void test_handshake_from_reply(void **state)
{
	(void)state;
	struct ww_vars vars = { frames_var, NULL };
	struct ww_expr_error err;
	const char *text = "ip(dst=$reply.ip.src)/tcp(sport=$reply.tcp.dstport, dport=$reply.tcp.srcport, "
			   "flags=A, seq=$reply.tcp.ack, ack=$reply.tcp.seq + 1)";
	assert_int_equal(ww_craft_parse(&craft, text, NULL, &vars, &err), 0);
	size_t len;
	memset(frame, 0xa5, sizeof frame);
	assert_int_equal(ww_craft_build(&craft, &env, frame, sizeof frame, &len, &err), 0);
	ww_dissect(&dis, frame, len);
	/* SYN-ACK: 192.168.1.1:80 -> 192.168.1.5:51418, seq 3802630267, ack 2476809885. */
	assert_int_equal(item("ip.dst")->u, 0xc0a80101u);
	assert_int_equal(item("tcp.srcport")->u, 51418);
	assert_int_equal(item("tcp.dstport")->u, 80);
	assert_int_equal(item("tcp.seq_raw")->u, 2476809885u);
	assert_int_equal(item("tcp.ack_raw")->u, 3802630268u);
	assert_int_equal(item("tcp.flags")->u, 0x010);
	assert_int_equal(item("tcp.checksum")->check, WW_CHECK_GOOD);

	/* Sequence numbers wrap: 2^32 - 1 + 1 is 0, and so on. */
	assert_int_equal(ww_craft_parse(&craft, "ip(dst=192.0.2.10)/tcp(seq=4294967295 + 1, "
						"ack=$1.tcp.seq - 2476809885)", NULL, &vars, &err), 0);
	assert_int_equal(ww_craft_build(&craft, &env, frame, sizeof frame, &len, &err), 0);
	ww_dissect(&dis, frame, len);
	assert_int_equal(item("tcp.seq_raw")->u, 0);
	assert_int_equal(item("tcp.ack_raw")->u, 0xffffffffu);

	/* MACs and addresses from a frame. */
	assert_int_equal(ww_craft_parse(&craft, "eth(dst=$2.eth.src)/ip(dst=$2.ip.src, ttl=$2.ip.ttl - 1)",
					NULL, &vars, &err), 0);
	assert_int_equal(ww_craft_build(&craft, &env, frame, sizeof frame, &len, &err), 0);
	assert_memory_equal(frame, vf_tcp_syn_ack + 6, 6);
	assert_int_equal(frame[22], 63);

	/* Errors name the variable. */
	assert_int_equal(ww_craft_parse(&craft, "ip(dst=$9.ip.src)", NULL, &vars, &err), -1);
	assert_string_equal(err.msg, "dst=$9.ip.src: no frame $9");
	assert_int_equal(ww_craft_parse(&craft, "ip(dst=192.0.2.10)/icmp(seq=$1.icmp.seq)", NULL,
					&vars, &err), -1);
	assert_string_equal(err.msg, "seq=$1.icmp.seq: $1 has no icmp.seq (its layers: eth ip tcp)");
	assert_int_equal(ww_craft_parse(&craft, "ip(dst=192.0.2.10)/tcp(seq=$1.tcp.sq + 1)", NULL,
					&vars, &err), -1);
	assert_string_equal(err.msg,
			    "seq=$1.tcp.sq + 1: unknown field 'tcp.sq'; did you mean 'tcp.seq'?");
	assert_int_equal(ww_craft_parse(&craft, "ip(dst=192.0.2.10)/tcp(seq=$1.eth.src)", NULL,
					&vars, &err), -1);
	assert_string_equal(err.msg, "seq=$1.eth.src: not a number");
}

/* ---- which frames answer which ---------------------------------------------- */

static struct ww_dissection sent_d;

static bool answers(const uint8_t *s, size_t slen, const uint8_t *g, size_t glen)
{
	ww_dissect(&sent_d, s, slen);
	ww_dissect(&dis, g, glen);
	return ww_craft_answers(&sent_d, &dis);
}

static void test_answers(void **state)
{
	(void)state;
	assert_true(answers(ww_frame_arp_request, sizeof ww_frame_arp_request, ww_frame_arp_reply, sizeof ww_frame_arp_reply));
	assert_false(answers(ww_frame_arp_reply, sizeof ww_frame_arp_reply, ww_frame_arp_request, sizeof ww_frame_arp_request));
	assert_true(answers(vf_tcp_syn, sizeof vf_tcp_syn, vf_tcp_syn_ack, sizeof vf_tcp_syn_ack));
	assert_false(answers(vf_tcp_syn, sizeof vf_tcp_syn, vf_tcp_get, sizeof vf_tcp_get));
	assert_true(answers(vf_dns_query, sizeof vf_dns_query, vf_dns_cname, sizeof vf_dns_cname));
	assert_false(answers(vf_dns_query, sizeof vf_dns_query, vf_tcp_syn_ack, sizeof vf_tcp_syn_ack));
	/* The kernel's port unreachable quotes the datagram. */
	assert_true(answers(vf_udp_short, sizeof vf_udp_short, vf_port_unreach, sizeof vf_port_unreach));
	assert_false(answers(vf_dns_query, sizeof vf_dns_query, vf_port_unreach, sizeof vf_port_unreach));
	assert_false(answers(vf_echo_request, sizeof vf_echo_request, ww_frame_arp_reply, sizeof ww_frame_arp_reply));

	/* An echo reply answers the request with its identifier and sequence. */
	size_t len = build("ip(dst=192.168.1.5)/icmp(type=echo-reply, id=0x3432, seq=1)");
	uint8_t reply[60];
	memcpy(reply, frame, len);
	memcpy(reply + 26, vf_echo_request + 30, 4); /* from 192.168.1.1 */
	memcpy(reply + 30, vf_echo_request + 26, 4); /* to 192.168.1.5 */
	assert_true(answers(vf_echo_request, sizeof vf_echo_request, reply, len));
	reply[41] = 2; /* another sequence number */
	assert_false(answers(vf_echo_request, sizeof vf_echo_request, reply, len));
}

static void test_opens_connection(void **state)
{
	(void)state;
	static const struct { const char *text; bool opens; } cases[] = {
		{ "ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000)", true },
		{ "ip(dst=192.0.2.10)/tcp()", true },
		{ "ip(dst=192.0.2.10)/tcp(flags=SA)", false },
		{ "ip(dst=192.0.2.10)/tcp(flags=A)", false },
		{ "ip(dst=192.0.2.10)/tcp(flags.ack=1)", false },
		{ "ip(dst=192.0.2.10)/tcp(sport=1234, flags=S)", false },
		{ "ip(dst=192.0.2.10)/udp()", false },
		{ "ip(dst=192.0.2.10)/icmp()/ip()/tcp(flags=S)", true },
	};
	struct ww_expr_error err;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(ww_craft_parse(&craft, cases[i].text, NULL, NULL, &err), 0);
		assert_int_equal(ww_craft_opens_connection(&craft), cases[i].opens);
	}
}

/* sr1 reads a timeout after the expression. */
static void test_parse_end(void **state)
{
	(void)state;
	struct ww_expr_error err;
	size_t end = 0;
	const char *text = "ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000) 2.5";
	assert_int_equal(ww_craft_parse(&craft, text, &end, NULL, &err), 0);
	assert_string_equal(text + end, " 2.5");
	text = "ip(dst=192.0.2.10) / icmp";
	assert_int_equal(ww_craft_parse(&craft, text, &end, NULL, &err), 0);
	assert_int_equal(end, strlen(text));
	assert_int_equal(craft.nlayers, 3);
	assert_true(craft.layers[0].implied);
}

static void test_complete(void **state)
{
	(void)state;
	const char *out[256];
	size_t n = ww_craft_complete("", out, 256);
	assert_true(n >= 8);
	assert_string_equal(out[0], "eth");
	n = ww_craft_complete("ip(dst=192.0.2.10)/", out, 256);
	assert_string_equal(out[6], "tcp");
	n = ww_craft_complete("ip(dst=192.0.2.10, ", out, 256);
	bool ttl = false, hdr_len = false;
	for (size_t i = 0; i < n; i++) {
		ttl |= strcmp(out[i], "ttl") == 0;
		hdr_len |= strcmp(out[i], "hdr_len") == 0;
	}
	assert_true(ttl && hdr_len);
	n = ww_craft_complete("ip(dst=192.0.2.10)/icmp(type=", out, 256);
	bool echo = false;
	for (size_t i = 0; i < n; i++)
		echo |= strcmp(out[i], "echo-request") == 0;
	assert_true(echo);
	n = ww_craft_complete("ip(dst=192.0.2.10)/tcp(flags=", out, 256);
	assert_string_equal(out[0], "S");
	n = ww_craft_complete("ip(dst=192.0.2.10)/tcp(flags=S, seq=", out, 256);
	assert_string_equal(out[n - 2], "$reply.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_forms),
		cmocka_unit_test(test_more_forms),
		cmocka_unit_test(test_broadcast_multicast),
		cmocka_unit_test(test_auto_checksums_good),
		cmocka_unit_test(test_hand_checksums_kept),
		cmocka_unit_test(test_wrong_fields_kept),
		cmocka_unit_test(test_units_alias_and_name),
		cmocka_unit_test(test_bits_and_names),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_payloads),
		cmocka_unit_test(test_scapy_names_and_blanks),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_eth_dst_set_not_resolved),
		cmocka_unit_test(test_handshake_from_reply),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_opens_connection),
		cmocka_unit_test(test_parse_end),
		cmocka_unit_test(test_complete),
	};
	return cmocka_run_group_tests_name("craft", tests, NULL, NULL);
}
