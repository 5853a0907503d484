/* Filters over real frames. Every expected set below is what tshark 4.0
 * picks with the same display filter (written with numbers where ours
 * takes names: tcp.flags == 0x012 for SA) on the same frames, written to
 * a capture and read with `tshark -o ip.defragment:FALSE -Y FILTER`: the
 * semantics are Wireshark's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "view_frames.h"
#include "wire_frames.h"
#include "ww/dissect.h"
#include "ww/filter.h"

#define F(x) { x, sizeof x }
static const struct { const uint8_t *p; size_t len; } frames[] = {
	F(ww_frame_arp_request),     /* 1 */
	F(ww_frame_arp_reply),       /* 2 */
	F(vf_echo_request),    /* 3 */
	F(vf_dns_query),       /* 4 */
	F(vf_dns_cname),       /* 5 */
	F(vf_dns_aaaa),        /* 6 */
	F(vf_dns_txt),         /* 7 */
	F(vf_tcp_syn),         /* 8 */
	F(vf_tcp_syn_ack),     /* 9 */
	F(vf_tcp_get),         /* 10 */
	F(vf_udp_short),       /* 11 */
	F(vf_port_unreach),    /* 12: quotes 11 */
	F(vf_frag_first),      /* 13 */
	F(vf_frag_last),       /* 14 */
	F(ww_frame_rr_request), /* 15: record route option */
	F(ww_frame_tos),       /* 16: DSCP 46, TTL 17 */
	F(ww_frame_port_unreach), /* 17 */
	F(ww_frame_vlan_arp),  /* 18 */
};
#define NFRAMES (sizeof frames / sizeof frames[0])

static struct ww_dissection dis;
static struct ww_filter flt;

/* The frames TEXT picks, as "3 8 9". */
static void picks(const char *text, const struct ww_vars *vars, char *out, size_t n)
{
	struct ww_expr_error err;
	if (ww_filter_parse(&flt, text, NULL, vars, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	size_t used = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < NFRAMES; i++) {
		ww_dissect(&dis, frames[i].p, frames[i].len);
		if (ww_filter_match(&flt, &dis))
			used += (size_t)snprintf(out + used, n - used, "%s%u", used ? " " : "", i + 1);
	}
}

static const struct { const char *filter, *want; } like_tshark[] = {
	{ "tcp.flags == S", "8" },
	{ "tcp.flags == SA", "9" },
	{ "ip.src == 192.168.1.1 and tcp.flags.syn == 1", "9" },
	{ "tcp.flags & R", "" },
	{ "tcp.flags & PA", "9 10" },
	{ "icmp.type == echo-request", "3 13 15 16" },
	{ "icmp", "3 12 13 15 16 17" },
	{ "arp.opcode == request", "1 18" },
	{ "arp and not arp.opcode == reply", "1 18" },
	{ "not ip", "1 2 18" },
	{ "ip.addr == 192.0.2.0/24", "" },
	{ "ip.addr == 192.168.1.5", "3 4 5 6 7 8 9 10 11 12 13 14 15 16 17" },
	{ "ip.src != 192.168.1.5", "5 6 7 9" },
	{ "tcp.port == 80", "8 9 10" },
	{ "tcp.srcport != 80", "8 10" },
	{ "udp.port == 53 || udp.dstport == 9", "4 5 6 7 11 12 17" },
	{ "udp.dstport == 9", "11 12 17" },
	{ "dns.qry.name == www.example.com", "4 5" },
	{ "dns.a == 192.0.2.10", "5" },
	{ "dns.flags.response == 1 and dns.count.answers >= 2", "5" },
	/* The GET is HTTP: no bytes are left to data. */
	{ "data.data contains \"GET\"", "" },
	{ "tcp.payload contains \"GET\"", "10" },
	{ "http", "10" },
	{ "http.request.method == GET and http.host == 192.168.1.1", "10" },
	{ "tls", "" },
	{ "ip.hdr_len > 20", "15" },
	{ "ip.ttl < 64", "16" },
	{ "ip.flags.mf == 1 or ip.frag_offset > 0", "13 14" },
	{ "ip.dsfield.dscp == 46", "16" },
	{ "eth.dst == ff:ff:ff:ff:ff:ff", "1 18" },
	{ "eth.addr == 02:00:00:00:01:01 and !arp", "3 4 5 6 7 8 9 10 11 12 13 14 15 16 17" },
	{ "vlan", "18" },
	{ "tcp.options.mss_val == 1460", "8 9" },
	{ "tcp.len > 0", "10" },
	{ "icmp.seq == 1 && ip.ttl == 17", "16" },
	{ "(tcp or udp) and ip.dst == 192.168.1.1", "4 8 10 11 12 17" },
	{ "tcp.seq_raw == 2476809884", "8" },
	{ "tcp.ack_raw == 2476809885", "9" },
	{ "ip.id == 0x4876", "13 14" },
	{ "ip.opt.type == 7", "15" },
	{ "arp.src.proto_ipv4 == 198.51.100.5", "18" },
	{ "eth.type == ARP", "1 2" },
	{ "ip.proto == UDP", "4 5 6 7 11 12 17" },
	{ "arp.opcode == is-at", "2" },
	{ "tcp.hdr_len >= 40", "8 9" },
	{ "ip.ttl > 10 and ip.ttl <= 64 and not udp", "3 8 9 10 13 14 15 16" },
	{ "dns.qry.type == AAAA", "6" },
	{ "dns.resp.name contains \"example\"", "5 6 7" },
	{ "icmp.code == port-unreachable", "12 17" },
	{ "eth.src == 02:00:00:00:00:05 and eth.dst != ff:ff:ff:ff:ff:ff",
	  "3 4 8 10 11 13 14 15 16" },
	{ "ip.flags == DF", "3 8 9 10 11 12 15 16 17" },
	{ "ip.flags.df == 0 and ip", "4 5 6 7 12 13 14 17" },
	{ "udp.length == 10", "11 12" },
	{ "icmp.checksum == 0x04b0", "3" },
};

static void test_like_tshark(void **state)
{
	(void)state;
	char got[128];
	for (size_t i = 0; i < sizeof like_tshark / sizeof like_tshark[0]; i++) {
		picks(like_tshark[i].filter, NULL, got, sizeof got);
		if (strcmp(got, like_tshark[i].want) != 0)
			fail_msg("%s: picks [%s], tshark [%s]", like_tshark[i].filter, got,
				 like_tshark[i].want);
	}
}

/* The same, spelled otherwise. */
static void test_spellings(void **state)
{
	(void)state;
	static const struct { const char *a, *b; } same[] = {
		{ "tcp.flags == SA", "tcp.flags == 0x012" },
		{ "tcp.flags == SA", "tcp.flags == SYN+ACK" },
		{ "tcp.flags == SA", "tcp.flags eq 18" },
		{ "tcp.seq == 2476809884", "tcp.seq_raw == 2476809884" },
		{ "ip.ihl == 5", "ip.hdr_len == 20" },
		{ "ip.ihl > 5", "ip.hdr_len > 20" },
		{ "arp AND NOT arp.op == 2", "arp && !(arp.opcode == reply)" },
		{ "icmp.type == 8", "icmp.type == echo-request" },
		{ "ip.src == 192.168.1.1", "ip.src == 192.168.1.1/32" },
		{ "ip.src == 192.168.1.1 or ip.src == 192.168.1.5", "ip.src == 192.168.1.0/24" },
		{ "", "eth" },
		{ "icmp.type == 8 # a comment", "icmp.type == 8" },
		{ "not not tcp", "tcp" },
		{ "tcp or udp and ip.ttl < 64", "tcp or (udp and ip.ttl < 64)" },
		{ "ip.dst == 192.168.1.0/24", "ip.dst == 192.168.1.0/24 and ip" },
		{ "ip.addr == 0.0.0.0/0", "ip" },
		{ "tcp.flags.res", "tcp" },
		{ "dns.qry.name == \"www.example.com\"", "dns.qry.name == www.example.com" },
		{ "data.data contains 47:45:54", "data.data contains \"GET\"" },
		{ "ip.ttl == 2 * 32", "ip.ttl == 64" },
	};
	char a[128], b[128];
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		picks(same[i].a, NULL, a, sizeof a);
		picks(same[i].b, NULL, b, sizeof b);
		if (strcmp(a, b) != 0)
			fail_msg("%s [%s] but %s [%s]", same[i].a, a, same[i].b, b);
	}
	/* The empty filter picks every frame. */
	picks("   ", NULL, a, sizeof a);
	assert_string_equal(a, "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18");
	assert_true(ww_filter_empty(&flt));
}

/* Frames named by variables: $1 the SYN, $reply the SYN-ACK. */
static int frames_var(void *arg, const char *name, size_t len, const uint8_t **f, size_t *flen,
		      char *err, size_t errlen)
{
	(void)arg;
	if (len == 1 && name[0] == '1') {
		*f = vf_tcp_syn, *flen = sizeof vf_tcp_syn;
		return 0;
	}
	if (len == 5 && memcmp(name, "reply", 5) == 0) {
		*f = vf_tcp_syn_ack, *flen = sizeof vf_tcp_syn_ack;
		return 0;
	}
	snprintf(err, errlen, "no frame $%.*s", (int)len, name);
	return -1;
}

static void test_variables(void **state)
{
	(void)state;
	struct ww_vars vars = { frames_var, NULL };
	char got[128];
	picks("tcp.ack == $1.tcp.seq + 1", &vars, got, sizeof got);
	assert_string_equal(got, "9");
	picks("tcp.seq == $reply.tcp.ack and tcp.ack == $reply.tcp.seq + 1", &vars, got, sizeof got);
	assert_string_equal(got, "10"); /* the request that follows the handshake */
	picks("ip.src == $reply.ip.dst and tcp", &vars, got, sizeof got);
	assert_string_equal(got, "8 10");
	picks("eth.src == $reply.eth.src", &vars, got, sizeof got);
	assert_string_equal(got, "2 5 6 7 9 12 17");
	struct ww_expr_error err;
	assert_int_equal(ww_filter_parse(&flt, "tcp.ack == $7.tcp.seq", NULL, &vars, &err), -1);
	assert_string_equal(err.msg, "no frame $7");
	assert_int_equal(err.pos, 11);
	assert_int_equal(err.len, 2);
	assert_int_equal(ww_filter_parse(&flt, "tcp.ack == $reply.tcp.seq", NULL, NULL, &err), -1);
	assert_string_equal(err.msg, "no variables here");
}

static void expect_error(const char *text, const char *msg, size_t pos, size_t len)
{
	struct ww_expr_error err;
	if (ww_filter_parse(&flt, text, NULL, NULL, &err) == 0)
		fail_msg("no error for %s", text);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("%s:\n got  %s\n want %s", text, err.msg, msg);
	if (err.pos != pos || err.len != len)
		fail_msg("%s: at %zu+%zu, want %zu+%zu", text, err.pos, err.len, pos, len);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("tcp.flgs == SA", "unknown field 'tcp.flgs'; did you mean 'tcp.flags'?", 0, 8);
	expect_error("ip.scr == 192.0.2.10", "unknown field 'ip.scr'; did you mean 'ip.src'?", 0, 6);
	expect_error("tpc", "unknown field 'tpc'; did you mean 'tcp'?", 0, 3);
	expect_error("TCP", "unknown field 'TCP'", 0, 3); /* names are Wireshark's, case and all */
	expect_error("frobnicate.x == 1", "unknown field 'frobnicate.x'", 0, 12);
	expect_error("ip.ttl = 64", "'=' sets a field; '==' compares", 7, 1);
	expect_error("eth.src < 02:00:00:00:00:05", "'<' does not apply to eth.src", 8, 1);
	expect_error("ip.ttl contains 4", "'contains' does not apply to ip.ttl", 7, 8);
	expect_error("ip.src & 1", "'&' does not apply to ip.src", 7, 1);
	expect_error("ip.src == 192.0.2.300", "not an IPv4 address", 10, 11);
	expect_error("ip.src == 192.0.2.0/33", "a prefix length is 0..32", 20, 2);
	expect_error("eth.dst == 1.2.3.4", "not a MAC address", 11, 7);
	expect_error("ip.ttl == 1.2.3.4", "not a number", 10, 7);
	expect_error("ip.ttl == 02:00:00:00:00:05", "ip.ttl is a number", 10, 17);
	expect_error("ip.ttl == -1", "out of range for ip.ttl", 10, 2);
	expect_error("tcp.flags == SX", "not TCP flags: letters F S R P A U E C N (AE), e.g. SA", 13, 2);
	expect_error("icmp.type == echo-requets",
		     "unknown value for icmp.type; did you mean 'echo-request'?", 13, 12);
	expect_error("(tcp or udp", "'(' without its ')'", 0, 1);
	expect_error("tcp udp", "unexpected 'udp': join tests with and, or", 4, 3);
	expect_error("tcp and", "a field or protocol is missing", 7, 0);
	expect_error("tcp == 5", "'tcp' is a protocol: compare one of its fields (tcp.…)", 0, 3);
	expect_error("ip.ttl ==", "a value is missing", 9, 0);
	expect_error("== 5", "expected a field or protocol name, as in ip.src or tcp", 0, 2);
	expect_error("data.data contains \"abc", "unterminated string", 19, 4);
	expect_error("data.data == 5", "data.data holds bytes: write \"text\" or de:ad:be:ef", 13, 1);
}

/* Where a filter stops when it may end early (sniff's timeout). */
static void test_parse_end(void **state)
{
	(void)state;
	struct ww_expr_error err;
	size_t end;
	const char *text = "tcp.dstport == 80 and tcp.flags == S 3";
	assert_int_equal(ww_filter_parse(&flt, text, &end, NULL, &err), 0);
	assert_string_equal(text + end, " 3");
	assert_int_equal(ww_filter_parse(&flt, text, NULL, NULL, &err), -1);
}

static void test_complete(void **state)
{
	(void)state;
	const char *out[1024];
	size_t n = ww_filter_complete("", out, 1024);
	bool flags = false, tcp = false, addr = false;
	for (size_t i = 0; i < n; i++) {
		flags |= strcmp(out[i], "tcp.flags.syn") == 0;
		tcp |= strcmp(out[i], "tcp") == 0;
		addr |= strcmp(out[i], "ip.addr") == 0;
	}
	assert_true(flags && tcp && addr);
	n = ww_filter_complete("ip.src == 192.0.2.10 and tcp.flags == ", out, 1024);
	assert_true(n > 0);
	assert_string_equal(out[0], "S");
	n = ww_filter_complete("icmp.type != ", out, 1024);
	assert_string_equal(out[0], "echo-reply");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_like_tshark),
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_parse_end),
		cmocka_unit_test(test_complete),
	};
	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
