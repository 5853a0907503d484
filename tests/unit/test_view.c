/* The views, as golden text (tcpdump's way of testing its printers): real
 * frames (view_frames.h) dissected and shown, each view's output compared
 * with the exact text a person is meant to see. The summaries were checked
 * line by line against `tcpdump -nn -S` on the same capture, the JSON
 * values against `tshark -T fields`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "view_frames.h"
#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/view.h"

static struct ww_dissection D;
static char *OUT;
static size_t OUT_LEN;

typedef void (*view_fn)(FILE *, const struct ww_dissection *, const struct ww_view_opts *);

static const struct ww_view_opts PLAIN = { .frame_no = 1 };
static const struct ww_view_opts COLOR = { .frame_no = 1, .color = true };

/* Run one view over the dissection in D; the text stays in OUT. */
static const char *show_dissected(view_fn fn, const struct ww_view_opts *o)
{
	free(OUT);
	OUT = NULL;
	FILE *m = open_memstream(&OUT, &OUT_LEN);
	assert_non_null(m);
	fn(m, &D, o);
	fclose(m);
	return OUT;
}

static const char *show(view_fn fn, const uint8_t *frame, size_t len, const struct ww_view_opts *o)
{
	ww_dissect(&D, frame, len);
	return show_dissected(fn, o);
}

static const char *json_dissected(void)
{
	free(OUT);
	OUT = NULL;
	FILE *m = open_memstream(&OUT, &OUT_LEN);
	assert_non_null(m);
	ww_view_json(m, &D, 1);
	fclose(m);
	return OUT;
}

static const char *json(const uint8_t *frame, size_t len)
{
	ww_dissect(&D, frame, len);
	return json_dissected();
}

#define SHOW(fn, frame, o) show(fn, frame, sizeof frame, o)
#define SUMMARY(frame) show(ww_view_summary, frame, sizeof frame, &PLAIN)

/* TEXT holds LINE as one whole line. */
static void assert_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = strstr(text, line); p; p = strstr(p + 1, line))
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return;
	fail_msg("line not found: \"%s\" in:\n%s", line, text);
}

/* Frames made from the captured ones by changing bytes, as a person does
 * with `set` before sending: each comment says what and why. */
static uint8_t scratch[1600];

static const uint8_t *patched(const uint8_t *frame, size_t len)
{
	assert_true(len <= sizeof scratch);
	memcpy(scratch, frame, len);
	return scratch;
}

/* IPv4 header checksum recomputed after an edit, so only the edit is wrong. */
static void fix_ip_checksum(uint8_t *frame)
{
	frame[24] = frame[25] = 0;
	uint16_t c = ww_inet_csum(frame + 14, 20);
	frame[24] = (uint8_t)(c >> 8);
	frame[25] = (uint8_t)c;
}

/* ---- summary ---- */

static void test_summary_arp(void **state)
{
	(void)state;
	assert_string_equal(SUMMARY(ww_frame_arp_request),
			    "1 0.000000 ARP, Request who-has 192.168.1.1 tell 192.168.1.5, length 28\n");
	assert_string_equal(SUMMARY(ww_frame_arp_reply),
			    "1 0.000000 ARP, Reply 192.168.1.1 is-at 02:00:00:00:01:01, length 28\n");
}

static void test_summary_time_and_direction(void **state)
{
	(void)state;
	struct ww_view_opts o = { .frame_no = 7, .ts = 1.25, .has_dir = true, .outgoing = true };
	assert_string_equal(SHOW(ww_view_summary, ww_frame_arp_request, &o),
			    "7 1.250000 → ARP, Request who-has 192.168.1.1 tell 192.168.1.5, length 28\n");
	o.outgoing = false;
	assert_string_equal(SHOW(ww_view_summary, ww_frame_arp_reply, &o),
			    "7 1.250000 ← ARP, Reply 192.168.1.1 is-at 02:00:00:00:01:01, length 28\n");
}

static void test_summary_icmp(void **state)
{
	(void)state;
	assert_string_equal(SUMMARY(vf_echo_request),
			    "1 0.000000 192.168.1.5 > 192.168.1.1: ICMP echo request, id 13362, seq 1, "
			    "length 64\n");
	/* The port comes from the UDP header quoted inside the error. */
	assert_string_equal(SUMMARY(vf_port_unreach),
			    "1 0.000000 192.168.1.1 > 192.168.1.5: ICMP 192.168.1.1 udp port 9 "
			    "unreachable, length 38\n");
}

static void test_summary_tcp(void **state)
{
	(void)state;
	assert_string_equal(SUMMARY(vf_tcp_syn),
			    "1 0.000000 192.168.1.5.51418 > 192.168.1.1.80: Flags [S], seq 2476809884, "
			    "win 64240, options [mss 1460,sackOK,TS val 3034060567 ecr 0,nop,wscale 10], "
			    "length 0\n");
	assert_string_equal(SUMMARY(vf_tcp_syn_ack),
			    "1 0.000000 192.168.1.1.80 > 192.168.1.5.51418: Flags [S.], seq 3802630267, "
			    "ack 2476809885, win 65160, options [mss 1460,sackOK,TS val 304911161 "
			    "ecr 3034060567,nop,wscale 10], length 0\n");
	assert_string_equal(SUMMARY(vf_tcp_get),
			    "1 0.000000 192.168.1.5.51418 > 192.168.1.1.80: Flags [P.], "
			    "seq 2476809885:2476809960, ack 3802630268, win 63, options [nop,nop,"
			    "TS val 3034060568 ecr 304911161], length 75: HTTP: GET / HTTP/1.1\n");
}

static void test_summary_udp_and_fragments(void **state)
{
	(void)state;
	assert_string_equal(SUMMARY(vf_udp_short),
			    "1 0.000000 192.168.1.5.54460 > 192.168.1.1.9: UDP, length 2\n");
	assert_string_equal(SUMMARY(vf_frag_first),
			    "1 0.000000 192.168.1.5 > 192.168.1.1: ICMP echo request, id 13375, seq 1, "
			    "length 1480 (frag 18550:1480@0+)\n");
	assert_string_equal(SUMMARY(vf_frag_last),
			    "1 0.000000 192.168.1.5 > 192.168.1.1: ICMP (frag 18550:48@2960)\n");
}

static void test_summary_dns(void **state)
{
	(void)state;
	assert_string_equal(SUMMARY(vf_dns_query),
			    "1 0.000000 192.168.1.5.60687 > 192.168.1.1.53: DNS 62579+ A? "
			    "www.example.com. (33)\n");
	assert_string_equal(SUMMARY(vf_dns_cname),
			    "1 0.000000 192.168.1.1.53 > 192.168.1.5.60687: DNS 62579*- 2/1/1 "
			    "CNAME example.com., A 192.0.2.10 (97)\n");
	assert_string_equal(SUMMARY(vf_dns_aaaa),
			    "1 0.000000 192.168.1.1.53 > 192.168.1.5.56852: DNS 62527*- 1/1/2 "
			    "AAAA 2001:db8::10 (102)\n");
	assert_string_equal(SUMMARY(vf_dns_txt),
			    "1 0.000000 192.168.1.1.53 > 192.168.1.5.41098: DNS 55419*- 1/1/1 "
			    "TXT \"hello world\" \"a\"b\" (95)\n");
}

static void test_summary_other_ethertype(void **state)
{
	(void)state;
	/* The ARP request relabelled as EtherType 0x88b5 (IEEE 802 local
	 * experimental): nothing here dissects it. */
	uint8_t *f = (uint8_t *)patched(ww_frame_arp_request, sizeof ww_frame_arp_request);
	f[12] = 0x88, f[13] = 0xb5;
	assert_string_equal(show(ww_view_summary, f, sizeof ww_frame_arp_request, &PLAIN),
			    "1 0.000000 02:00:00:00:00:05 > ff:ff:ff:ff:ff:ff, ethertype 0x88b5, "
			    "length 42\n");
}

static void test_summary_truncated(void **state)
{
	(void)state;
	/* The SYN as `tcpdump -s 54` would keep it: the IP header says 60. */
	assert_string_equal(show(ww_view_summary, vf_tcp_syn, 54, &PLAIN),
			    "1 0.000000 192.168.1.5 > 192.168.1.1: IPv4 [|ip]\n");
	assert_string_equal(show(ww_view_summary, vf_tcp_syn, 10, &PLAIN),
			    "1 0.000000 Ethernet, length 10 [|eth]\n");
	/* IP total length 40 (checksum fixed): the TCP header says 40 bytes,
	 * the datagram has 20 for it. Ports still come from the TCP items. */
	uint8_t *f = (uint8_t *)patched(vf_tcp_syn, sizeof vf_tcp_syn);
	f[17] = 40;
	fix_ip_checksum(f);
	assert_string_equal(show(ww_view_summary, f, sizeof vf_tcp_syn, &PLAIN),
			    "1 0.000000 192.168.1.5.51418 > 192.168.1.1.80: TCP [|tcp]\n");
}

static void test_summary_invalid(void **state)
{
	(void)state;
	/* IHL 4: a header of 16 bytes, below the minimum of 20. */
	uint8_t *f = (uint8_t *)patched(vf_tcp_syn, sizeof vf_tcp_syn);
	f[14] = 0x44;
	assert_string_equal(show(ww_view_summary, f, sizeof vf_tcp_syn, &PLAIN),
			    "1 0.000000 192.168.1.5 > 192.168.1.1: IPv4 (invalid: IPv4 header length "
			    "16 < 20)\n");
	assert_string_equal(show(ww_view_summary, f, sizeof vf_tcp_syn, &COLOR),
			    "1 0.000000 192.168.1.5 > 192.168.1.1: IPv4\033[31m (invalid: IPv4 header "
			    "length 16 < 20)\033[0m\n");
}

/* ---- tree ---- */

static void test_tree_arp(void **state)
{
	(void)state;
	assert_string_equal(
		SHOW(ww_view_tree, ww_frame_arp_request, &PLAIN),
		"Ethernet II, 14 bytes at 0\n"
		"  eth.dst    ff:ff:ff:ff:ff:ff\n"
		"  eth.dst.lg 1 (locally administered address (this is NOT the factory default))\n"
		"  eth.dst.ig 1 (group address (multicast/broadcast))\n"
		"  eth.src    02:00:00:00:00:05\n"
		"  eth.src.lg 1 (locally administered address (this is NOT the factory default))\n"
		"  eth.src.ig 0 (individual address (unicast))\n"
		"  eth.type   0x0806 (ARP)\n"
		"Address Resolution Protocol, 28 bytes at 14\n"
		"  arp.hw.type        1 (Ethernet)\n"
		"  arp.proto.type     0x0800 (IPv4)\n"
		"  arp.hw.size        6\n"
		"  arp.proto.size     4\n"
		"  arp.opcode         1 (request)\n"
		"  arp.src.hw_mac     02:00:00:00:00:05\n"
		"  arp.src.proto_ipv4 192.168.1.5\n"
		"  arp.dst.hw_mac     00:00:00:00:00:00\n"
		"  arp.dst.proto_ipv4 192.168.1.1\n");
}

static void test_tree_values(void **state)
{
	(void)state;
	const char *t = SHOW(ww_view_tree, vf_tcp_syn_ack, &PLAIN);
	assert_line(t, "  tcp.flags                    0x012 (SYN, ACK)");
	assert_line(t, "    tcp.flags.syn              1 (set)");
	assert_line(t, "  ip.checksum     0xb765 [correct]");
	assert_line(t, "  tcp.checksum                 0x6e2b [correct]");
	t = SHOW(ww_view_tree, vf_dns_aaaa, &PLAIN);
	assert_line(t, "    dns.aaaa                2001:db8::10");
	t = SHOW(ww_view_tree, vf_dns_txt, &PLAIN);
	assert_line(t, "    dns.txt                 \"hello world\"");
	assert_line(t, "    dns.txt                 \"a\\\"b\"");
	assert_line(t, "    dns.qry.name            txt.example.com");
	/* 1472 bytes of payload: the first 32 as hex, then "…". */
	t = SHOW(ww_view_tree, vf_frag_first, &PLAIN);
	assert_line(t, "  data.data a854026b000000007c31040000000000101112131415161718191a1b1c1d1e1f…");
}

static void test_tree_bad_checksums(void **state)
{
	(void)state;
	/* The SYN with its TCP checksum one off, then its IP checksum. */
	uint8_t *f = (uint8_t *)patched(vf_tcp_syn, sizeof vf_tcp_syn);
	f[51] = 0x5e;
	const char *t = show(ww_view_tree, f, sizeof vf_tcp_syn, &PLAIN);
	assert_line(t, "  tcp.checksum                 0x825e [wrong, should be 0x825d]");
	assert_line(t, "  ip.checksum     0xeb3c [correct]");
	f = (uint8_t *)patched(vf_tcp_syn, sizeof vf_tcp_syn);
	f[25] = 0x3d;
	t = show(ww_view_tree, f, sizeof vf_tcp_syn, &PLAIN);
	assert_line(t, "  ip.checksum     0xeb3d [wrong, should be 0xeb3c]");
	assert_line(t, "  tcp.checksum                 0x825d [correct]");
	t = show(ww_view_tree, f, sizeof vf_tcp_syn, &COLOR);
	assert_line(t, "  ip.checksum     0xeb3d\033[31m [wrong, should be 0xeb3c]\033[0m");
	/* A UDP header quoted in an ICMP error is cut short: no verdict. */
	t = SHOW(ww_view_tree, vf_port_unreach, &PLAIN);
	assert_line(t, "    udp.checksum 0x3f54 [unverified]");
}

static void test_tree_quoted_indent(void **state)
{
	(void)state;
	const char *t = SHOW(ww_view_tree, vf_port_unreach, &PLAIN);
	assert_non_null(strstr(t, "  icmp.unused   00000000\n"
				  "  Internet Protocol Version 4, 20 bytes at 42\n"
				  "    ip.version      4\n"));
}

static void test_tree_truncated(void **state)
{
	(void)state;
	/* Everything that could be read is shown, then why it stopped, at
	 * the end of its layer (here the last one). */
	const char *t = show(ww_view_tree, vf_tcp_syn, 54, &PLAIN);
	assert_line(t, "  ip.dst          192.168.1.1");
	size_t n = strlen(t);
	const char *last = "  ! truncated at ip.len: IPv4 total length 60 > 40 bytes left\n";
	assert_true(n > strlen(last));
	assert_string_equal(t + n - strlen(last), last);

	uint8_t *f = (uint8_t *)patched(vf_tcp_syn, sizeof vf_tcp_syn);
	f[17] = 40;
	fix_ip_checksum(f);
	t = show(ww_view_tree, f, sizeof vf_tcp_syn, &PLAIN);
	assert_line(t, "  tcp.srcport           51418");
	assert_line(t, "  ! truncated at tcp.hdr_len: TCP header length 40 > 20 bytes left");
}

static void test_tree_invalid(void **state)
{
	(void)state;
	uint8_t *f = (uint8_t *)patched(vf_tcp_syn, sizeof vf_tcp_syn);
	f[14] = 0x44;
	const char *t = show(ww_view_tree, f, sizeof vf_tcp_syn, &PLAIN);
	assert_line(t, "  ip.hdr_len      16");
	assert_line(t, "  ! invalid ip.hdr_len: IPv4 header length 16 < 20");
}

/* ---- hexdump ---- */

static void test_hex_plain(void **state)
{
	(void)state;
	assert_string_equal(SHOW(ww_view_hex, ww_frame_arp_request, &PLAIN),
			    "0000  ff ff ff ff ff ff 02 00 00 00 00 05 08 06 00 01  ................\n"
			    "      EE EE EE EE EE EE EE EE EE EE EE EE EE EE AA AA\n"
			    "0010  08 00 06 04 00 01 02 00 00 00 00 05 c0 a8 01 05  ................\n"
			    "      AA AA AA AA AA AA AA AA AA AA AA AA AA AA AA AA\n"
			    "0020  00 00 00 00 00 00 c0 a8 01 01                    ..........\n"
			    "      AA AA AA AA AA AA AA AA AA AA\n"
			    "legend: E Ethernet, A ARP\n");
	assert_null(strchr(OUT, '\033'));
}

static void test_hex_color(void **state)
{
	(void)state;
	/* Ethernet cyan, ARP green; no letter lines. */
	assert_string_equal(SHOW(ww_view_hex, ww_frame_arp_request, &COLOR),
			    "0000  \033[36mff ff ff ff ff ff 02 00 00 00 00 05 08 06 \033[32m00 01 "
			    "\033[0m \033[36m..............\033[32m..\033[0m\n"
			    "0010  \033[32m08 00 06 04 00 01 02 00 00 00 00 05 c0 a8 01 05 \033[0m "
			    "\033[32m................\033[0m\n"
			    "0020  \033[32m00 00 00 00 00 00 c0 a8 01 01 \033[0m                   "
			    "\033[32m..........\033[0m\n"
			    "legend: \033[36mEthernet\033[0m \033[32mARP\033[0m\n");
}

static void test_hex_layers(void **state)
{
	(void)state;
	/* Headers quoted in an ICMP error get lower-case letters. */
	const char *t = SHOW(ww_view_hex, vf_port_unreach, &PLAIN);
	assert_line(t, "      II II CC CC CC CC CC CC CC CC ii ii ii ii ii ii");
	assert_line(t, "legend: E Ethernet, I IPv4, C ICMP, i IPv4 (quoted), u UDP (quoted), p payload (quoted)");
	assert_line(t, "      uu uu uu uu uu uu pp pp");
	/* Payload and padding: the ARP reply as a host behind a real NIC
	 * receives it, padded with 18 zero bytes to 60. */
	uint8_t *f = (uint8_t *)patched(ww_frame_arp_reply, sizeof ww_frame_arp_reply);
	memset(f + sizeof ww_frame_arp_reply, 0, 18);
	t = show(ww_view_hex, f, 60, &PLAIN);
	assert_line(t, "      AA AA AA AA AA AA AA AA AA AA -- -- -- -- -- --");
	assert_line(t, "legend: E Ethernet, A ARP, - padding");
	t = SHOW(ww_view_hex, vf_udp_short, &PLAIN);
	assert_line(t, "0020  01 01 d4 bc 00 09 00 0a 3f 54 68 69              ........?Thi");
	assert_line(t, "      II II UU UU UU UU UU UU UU UU PP PP");
	/* Bytes after an error belong to no layer. */
	t = show(ww_view_hex, vf_tcp_syn, 54, &PLAIN);
	assert_line(t, "      II II ?? ?? ?? ?? ?? ?? ?? ?? ?? ?? ?? ?? ?? ??");
	assert_line(t, "legend: E Ethernet, I IPv4, ? not dissected");
}

/* ---- bar ---- */

static void test_bar(void **state)
{
	(void)state;
	assert_string_equal(SHOW(ww_view_bar, vf_tcp_syn, &PLAIN),
			    "│ Ethernet 14 B │ IPv4 20 B │ TCP 40 B │ FCS 4 B │\n");
	assert_string_equal(SHOW(ww_view_bar, vf_tcp_get, &PLAIN),
			    "│ Ethernet 14 B │ IPv4 20 B │ TCP 32 B │ HTTP 75 B │ FCS 4 B │\n");
	/* Captured on the sending side: the NIC pads it to 60 later. */
	assert_string_equal(SHOW(ww_view_bar, ww_frame_arp_request, &PLAIN),
			    "│ Ethernet 14 B │ ARP 28 B │ (padding 18 B, added by the NIC) │ FCS 4 B │\n");
	uint8_t *f = (uint8_t *)patched(ww_frame_arp_reply, sizeof ww_frame_arp_reply);
	memset(f + sizeof ww_frame_arp_reply, 0, 18);
	assert_string_equal(show(ww_view_bar, f, 60, &PLAIN),
			    "│ Ethernet 14 B │ ARP 28 B │ (padding 18 B) │ FCS 4 B │\n");
	assert_string_equal(SHOW(ww_view_bar, vf_port_unreach, &PLAIN),
			    "│ Ethernet 14 B │ IPv4 20 B │ ICMP 8 B (quoted: IPv4 20 B, UDP 8 B, payload 2 B) │ "
			    "FCS 4 B │\n");
	assert_string_equal(show(ww_view_bar, vf_tcp_syn, 54, &PLAIN),
			    "│ Ethernet 14 B │ IPv4 20 B (truncated) │ not dissected 20 B │ "
			    "(padding 6 B, added by the NIC) │ FCS 4 B │\n");
	assert_string_equal(SHOW(ww_view_bar, vf_udp_short, &COLOR),
			    "│ \033[36mEthernet 14 B\033[0m │ \033[32mIPv4 20 B\033[0m │ "
			    "\033[33mUDP 8 B\033[0m │ \033[94mpayload 2 B\033[0m │ "
			    "\033[90m(padding 16 B, added by the NIC)\033[0m │ \033[36mFCS 4 B\033[0m │\n");
}

/* ---- bits ---- */

static void test_bits(void **state)
{
	(void)state;
	assert_string_equal(
		SHOW(ww_view_bits, ww_frame_arp_request, &PLAIN),
		"Before the frame the NIC sends a preamble and the start frame delimiter (SFD):\n"
		"  preamble  55 55 55 55 55 55 55  sent as 10101010 each (clock sync)\n"
		"  SFD       d5                    sent as 10101011: the frame starts next\n"
		"First 14 bytes, each sent least significant bit first (IEEE 802.3 §3.3):\n"
		"  offset  byte  bits      on the wire  field\n"
		"  0       ff    11111111  11111111     eth.dst\n"
		"  1       ff    11111111  11111111\n"
		"  2       ff    11111111  11111111\n"
		"  3       ff    11111111  11111111\n"
		"  4       ff    11111111  11111111\n"
		"  5       ff    11111111  11111111\n"
		"  6       02    00000010  01000000     eth.src\n"
		"  7       00    00000000  00000000\n"
		"  8       00    00000000  00000000\n"
		"  9       00    00000000  00000000\n"
		"  10      00    00000000  00000000\n"
		"  11      05    00000101  10100000\n"
		"  12      08    00001000  00010000     eth.type\n"
		"  13      06    00000110  01100000\n"
		"  First bit sent = eth.dst's I/G bit: 1, group (multicast or broadcast)\n"
		"The SFD and the frame's first byte on the line, bits in the order sent:\n"
		"              SFD d5                          eth.dst ff\n"
		"  bit           1   0   1   0   1   0   1   1   1   1   1   1   1   1   1   1\n"
		"  NRZ         ‾‾‾‾|___|‾‾‾|___|‾‾‾|___|‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾\n"
		"  Manchester  __|‾‾‾|___|‾‾‾|___|‾‾‾|___|‾|_|‾|_|‾|_|‾|_|‾|_|‾|_|‾|_|‾|_|‾|_|‾\n"
		"  NRZ: 1 is high, 0 is low, for the whole bit time.\n"
		"  Manchester (IEEE 802.3): 0 = high-to-low transition mid-bit, 1 = low-to-high;\n"
		"  G. E. Thomas's convention, used in some textbooks, is the opposite.\n"
		"  Only 10 Mb/s Ethernet uses Manchester: 100BASE-TX sends 4B5B over MLT-3,\n"
		"  1000BASE-T PAM-5 on four pairs.\n"
		"FCS: CRC-32 over the 60 bytes from eth.dst to the end of the padding,\n"
		"  computed and appended by the NIC (a capture never shows it): 0x668e44d8\n"
		"  on the wire as d8 44 8e 66: least significant byte first, each byte's\n"
		"  bits least significant first, so the CRC's x^31 term goes first (§3.2.9)\n"
		"Time on the wire: 84 bytes = 672 bits\n"
		"  8 preamble+SFD + 60 frame (42 + 18 padding) + 4 FCS + 12 interframe gap\n"
		"  10 Mb/s   67.2 µs\n"
		"  100 Mb/s  6.72 µs\n"
		"  1 Gb/s    0.672 µs\n");
}

static void test_time_on_wire(void **state)
{
	(void)state;
	/* (8 + max(len, 60) + 4 + 12) * 8 */
	assert_int_equal(ww_wire_bits(0), 672);
	assert_int_equal(ww_wire_bits(42), 672);
	assert_int_equal(ww_wire_bits(60), 672);
	assert_int_equal(ww_wire_bits(61), 680);
	assert_int_equal(ww_wire_bits(1514), 12304);
	const char *t = SHOW(ww_view_bits, vf_frag_first, &PLAIN);
	assert_line(t, "Time on the wire: 1538 bytes = 12304 bits");
	assert_line(t, "  8 preamble+SFD + 1514 frame + 4 FCS + 12 interframe gap");
	assert_line(t, "  10 Mb/s   1230.4 µs");
	assert_line(t, "  100 Mb/s  123.04 µs");
	assert_line(t, "  1 Gb/s    12.304 µs");
	/* A unicast destination's first bit, and a first byte with 0s. */
	t = SHOW(ww_view_bits, vf_tcp_syn, &PLAIN);
	assert_line(t, "  First bit sent = eth.dst's I/G bit: 0, individual (unicast)");
	assert_line(t, "  Manchester  __|‾‾‾|___|‾‾‾|___|‾‾‾|___|‾|_|‾‾‾|___|‾‾‾|_|‾|_|‾|_|‾|_|‾|_|‾|_");
	/* The FCS over the whole frame, no padding: zlib's CRC-32 agrees. */
	assert_line(t, "  computed and appended by the NIC (a capture never shows it): 0xb4090824");
}

/* ---- JSON ---- */

static void test_json_arp(void **state)
{
	(void)state;
	assert_string_equal(
		json(ww_frame_arp_request, sizeof ww_frame_arp_request),
		"{\"frame\":1,\"len\":42,\"layers\":[{\"name\":\"eth\",\"fields\":{"
		"\"eth.dst\":\"ff:ff:ff:ff:ff:ff\",\"eth.dst.lg\":1,\"eth.dst.ig\":1,"
		"\"eth.src\":\"02:00:00:00:00:05\",\"eth.src.lg\":1,\"eth.src.ig\":0,"
		"\"eth.type\":2054}},{\"name\":\"arp\",\"fields\":{\"arp.hw.type\":1,"
		"\"arp.proto.type\":2048,\"arp.hw.size\":6,\"arp.proto.size\":4,\"arp.opcode\":1,"
		"\"arp.src.hw_mac\":\"02:00:00:00:00:05\",\"arp.src.proto_ipv4\":\"192.168.1.5\","
		"\"arp.dst.hw_mac\":\"00:00:00:00:00:00\",\"arp.dst.proto_ipv4\":\"192.168.1.1\"}}],"
		"\"errors\":[]}");
}

static void test_json_arrays(void **state)
{
	(void)state;
	/* The quoted header's fields join the "ip" group as second values. */
	const char *j = json(vf_port_unreach, sizeof vf_port_unreach);
	assert_non_null(strstr(j, "{\"name\":\"ip\",\"fields\":{\"ip.version\":[4,4],"));
	assert_non_null(strstr(j, "\"ip.src\":[\"192.168.1.1\",\"192.168.1.5\"],"
				  "\"ip.dst\":[\"192.168.1.5\",\"192.168.1.1\"]}}"));
	assert_non_null(strstr(j, "},{\"name\":\"icmp\",\"fields\":{\"icmp.type\":3,"));
	assert_non_null(strstr(j, "{\"name\":\"udp\",\"fields\":{\"udp.srcport\":54460,"
				  "\"udp.dstport\":9,\"udp.length\":10,\"udp.checksum\":16212}},"
				  "{\"name\":\"data\",\"fields\":{\"data.data\":\"6869\",\"data.len\":2}}],"
				  "\"errors\":[]}"));
	j = json(vf_dns_cname, sizeof vf_dns_cname);
	assert_non_null(strstr(j, "\"dns.resp.name\":[\"www.example.com\",\"example.com\","
				  "\"example.com\",\"ns1.example.com\"],\"dns.resp.type\":[5,1,2,1],"));
	assert_non_null(strstr(j, "\"dns.cname\":\"example.com\",\"dns.a\":[\"192.0.2.10\","
				  "\"198.51.100.3\"],\"dns.ns\":\"ns1.example.com\""));
	j = json(vf_dns_aaaa, sizeof vf_dns_aaaa);
	assert_non_null(strstr(j, "\"dns.aaaa\":\"2001:db8::10\""));
	assert_non_null(strstr(j, "\"dns.resp.name\":[\"example.com\",\"example.com\","
				  "\"ns1.example.com\",\"<Root>\"]"));
	j = json(vf_udp_short, sizeof vf_udp_short);
	assert_non_null(strstr(j, "{\"name\":\"data\",\"fields\":{\"data.data\":\"6869\","
				  "\"data.len\":2}}"));
}

static void test_json_errors(void **state)
{
	(void)state;
	const char *j = json(vf_tcp_syn, 54);
	const char *tail = "\"errors\":[{\"status\":\"truncated\",\"field\":\"ip.len\",\"offset\":16,"
			   "\"message\":\"IPv4 total length 60 > 40 bytes left\"}]}";
	assert_true(strlen(j) > strlen(tail));
	assert_string_equal(j + strlen(j) - strlen(tail), tail);
	uint8_t *f = (uint8_t *)patched(vf_tcp_syn, sizeof vf_tcp_syn);
	f[14] = 0x44;
	j = json(f, sizeof vf_tcp_syn);
	assert_non_null(strstr(j, "\"errors\":[{\"status\":\"invalid\",\"field\":\"ip.hdr_len\","
				  "\"offset\":14,\"message\":\"IPv4 header length 16 < 20\"}]}"));
	assert_null(strchr(j, '\n'));
	assert_null(strchr(j, '\033'));
}

/* A field table for text no DNS server would send, to test escaping. */
static const struct ww_field test_fields[] = {
	{ .name = "test.text", .label = "Text", .type = WW_FT_STRING, .bit_off = -1 },
	{ .name = "test.none", .label = "A heading", .type = WW_FT_NONE, .bit_off = -1 },
	{ .name = "test.addr", .label = "Address", .type = WW_FT_IPV6, .bit_off = -1 },
	{ 0 },
};

static void test_json_and_tree_escaping(void **state)
{
	(void)state;
	static const char text[] = "a\"b\\c\x01\x1f\x7f\xff\xc3\xa9\xc2\x9b";
	static const uint8_t frame[16] = { 0xfe, 0x80, [15] = 1 };
	ww_dissect_reset(&D, frame, sizeof frame);
	assert_non_null(ww_layer_add(&D, WW_P_DATA, "test", "Test", test_fields, 0));
	assert_non_null(ww_item_string(&D, &test_fields[0], 0, 0, 0, text, sizeof text - 1));
	assert_non_null(ww_item_add(&D, &test_fields[1], 0, 0, 0));
	assert_non_null(ww_item_bytes(&D, &test_fields[2], 0, 16, 0, frame, 16));
	/* Quote and backslash escaped, control characters and bytes that are
	 * not UTF-8 as \u00XX, é kept; the heading has no value, so no field. */
	assert_string_equal(json_dissected(),
			    "{\"frame\":1,\"len\":16,\"layers\":[{\"name\":\"test\",\"fields\":{"
			    "\"test.text\":\"a\\\"b\\\\c\\u0001\\u001f\\u007f\\u00ffé\xc2\x9b\","
			    "\"test.addr\":\"fe80::1\"}}],\"errors\":[]}");
	/* The tree never passes a control character to the terminal, C1
	 * (U+009B, CSI to some terminals) included. */
	assert_string_equal(show_dissected(ww_view_tree, &PLAIN),
			    "Test, 16 bytes at 0\n"
			    "  test.text \"a\\\"b\\\\c\\x01\\x1f\\x7f\\xffé\\xc2\\x9b\"\n"
			    "  test.none A heading\n"
			    "  test.addr fe80::1\n");
}

/* ---- formatting and colour ---- */

static void test_ipv6_text(void **state)
{
	(void)state;
	/* Each expected string is what tshark 4.0 printed for the address. */
	static const struct {
		uint16_t w[8];
		const char *s;
	} cases[] = {
		{ { 0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10 }, "2001:db8::10" },
		{ { 0x2001, 0xdb8, 0, 1, 1, 1, 1, 1 }, "2001:db8:0:1:1:1:1:1" },
		{ { 0x2001, 0, 0, 1, 0, 0, 0, 1 }, "2001:0:0:1::1" },
		{ { 0x2001, 0xdb8, 0, 0, 1, 0, 0, 1 }, "2001:db8::1:0:0:1" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0 }, "::" },
		{ { 0, 0, 0, 0, 0, 0, 0, 1 }, "::1" },
		{ { 0, 0, 0, 0, 0, 0, 0, 2 }, "::2" },
		{ { 0xfe80, 0, 0, 0, 1, 0, 0, 0 }, "fe80::1:0:0:0" },
		{ { 1, 0, 0, 0, 0, 0, 0, 0 }, "1::" },
		{ { 0, 1, 0, 0, 0, 0, 0, 0 }, "0:1::" },
		{ { 1, 2, 3, 4, 5, 6, 7, 8 }, "1:2:3:4:5:6:7:8" },
		{ { 0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201 }, "::ffff:192.0.2.1" },
		{ { 0, 0, 0, 0, 0, 0xffff, 0, 1 }, "::ffff:0.0.0.1" },
		{ { 0, 0, 0, 0, 0, 0, 0xc000, 0x201 }, "::192.0.2.1" },
		{ { 0, 0, 0, 0, 0, 0, 2, 3 }, "::0.2.0.3" },
		{ { 0, 0, 0, 0, 0, 0, 0, 0xffff }, "::ffff" },
		{ { 0, 0, 0, 0, 0, 0xfffe, 1, 2 }, "::fffe:1:2" },
		{ { 0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x201 }, "64:ff9b::c000:201" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint8_t a[16];
		char buf[46];
		for (int k = 0; k < 8; k++) {
			a[2 * k] = (uint8_t)(cases[i].w[k] >> 8);
			a[2 * k + 1] = (uint8_t)cases[i].w[k];
		}
		assert_string_equal(ww_fmt_ipv6(a, buf), cases[i].s);
	}
}

static void test_color_wanted(void **state)
{
	(void)state;
	int pipefd[2];
	assert_int_equal(pipe(pipefd), 0);
	int tty = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(tty >= 0);
	assert_int_equal(grantpt(tty), 0);
	assert_int_equal(unlockpt(tty), 0);
	int pts = open(ptsname(tty), O_RDWR | O_NOCTTY);
	assert_true(pts >= 0);

	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	assert_true(ww_color_wanted(WW_COLOR_ON, pipefd[1]));
	assert_false(ww_color_wanted(WW_COLOR_OFF, pts));
	assert_true(ww_color_wanted(WW_COLOR_AUTO, pts));
	assert_false(ww_color_wanted(WW_COLOR_AUTO, pipefd[1]));
	setenv("NO_COLOR", "", 1); /* empty: as if unset */
	assert_true(ww_color_wanted(WW_COLOR_AUTO, pts));
	setenv("NO_COLOR", "1", 1);
	assert_false(ww_color_wanted(WW_COLOR_AUTO, pts));
	assert_true(ww_color_wanted(WW_COLOR_ON, pts));
	unsetenv("NO_COLOR");
	setenv("TERM", "dumb", 1);
	assert_false(ww_color_wanted(WW_COLOR_AUTO, pts));

	close(pts);
	close(tty);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void test_no_color_anywhere_when_off(void **state)
{
	(void)state;
	const struct {
		const uint8_t *f;
		size_t n;
	} frames[] = {
		{ ww_frame_arp_request, sizeof ww_frame_arp_request }, { vf_dns_txt, sizeof vf_dns_txt },
		{ vf_port_unreach, sizeof vf_port_unreach }, { vf_tcp_syn, 54 },
	};
	view_fn views[] = { ww_view_summary, ww_view_tree, ww_view_hex, ww_view_bar, ww_view_bits };
	for (size_t i = 0; i < sizeof frames / sizeof *frames; i++) {
		for (size_t v = 0; v < sizeof views / sizeof *views; v++) {
			assert_null(strchr(show(views[v], frames[i].f, frames[i].n, &PLAIN), '\033'));
			/* The bits view has nothing to colour; the summary only errors. */
			bool colors = views[v] != ww_view_bits &&
				      (views[v] != ww_view_summary || D.nerrors > 0);
			if (colors)
				assert_non_null(strchr(show(views[v], frames[i].f, frames[i].n, &COLOR),
						       '\033'));
		}
	}
}

static int teardown(void **state)
{
	(void)state;
	free(OUT);
	OUT = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_arp),
		cmocka_unit_test(test_summary_time_and_direction),
		cmocka_unit_test(test_summary_icmp),
		cmocka_unit_test(test_summary_tcp),
		cmocka_unit_test(test_summary_udp_and_fragments),
		cmocka_unit_test(test_summary_dns),
		cmocka_unit_test(test_summary_other_ethertype),
		cmocka_unit_test(test_summary_truncated),
		cmocka_unit_test(test_summary_invalid),
		cmocka_unit_test(test_tree_arp),
		cmocka_unit_test(test_tree_values),
		cmocka_unit_test(test_tree_bad_checksums),
		cmocka_unit_test(test_tree_quoted_indent),
		cmocka_unit_test(test_tree_truncated),
		cmocka_unit_test(test_tree_invalid),
		cmocka_unit_test(test_hex_plain),
		cmocka_unit_test(test_hex_color),
		cmocka_unit_test(test_hex_layers),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_time_on_wire),
		cmocka_unit_test(test_json_arp),
		cmocka_unit_test(test_json_arrays),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_json_and_tree_escaping),
		cmocka_unit_test(test_ipv6_text),
		cmocka_unit_test(test_color_wanted),
		cmocka_unit_test(test_no_color_anywhere_when_off),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
