/* The stack's IPv4 and ICMP on a fake link with a clock the test moves:
 * every drop by its reason, echo requests answered (also fragmented ones,
 * whose answer is fragmented in turn), ping and traceroute probes matched
 * against real replies from the kernel and the router (net_frames.h),
 * timeouts, the reassembly timeout's ICMP error, datagrams nobody here
 * handles (shown, never answered), loopback, routing refusals. */
#include "net_harness.h"
#include "net_frames.h"
#include "wire_frames.h"
#include "ww/ipfrag.h"

static uint8_t F[70000];

/* An echo request from the peer to DST (our address unless told),
 * SIZE bytes of data i % 256. Returns the frame length. */
static size_t echo_from_peer(uint32_t dst, uint16_t ident, uint16_t seq, size_t size)
{
	static uint8_t msg[70000];
	uint8_t data[4000];
	for (size_t i = 0; i < size; i++)
		data[i] = (uint8_t)(i * 3);
	struct ww_icmp ih = { .type = WW_ICMP_ECHO_REQUEST, .ident = ident, .seq = seq };
	size_t mlen = build_icmp(msg, &ih, data, size);
	struct ww_ipv4 ip = ip_hdr(PEER_IP, dst, WW_IPPROTO_ICMP, 0x2222);
	return build_ip(F, sizeof F, PEER_MAC, &ip, msg, mlen);
}

/* ---- Ethernet ------------------------------------------------------------ */

static void test_eth_drops(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	size_t n = echo_from_peer(OUR_IP, 1, 1, 8);

	ww_stack_input(h->st, F, 10, 0);
	assert_non_null(h_event(h, WW_EV_FRAME_DROPPED, "eth.truncated"));

	memcpy(F, PEER_MAC, 6); /* not our MAC */
	ww_stack_input(h->st, F, n, 0);
	const struct seen_event *ev = h_event(h, WW_EV_FRAME_DROPPED, "eth.not_for_us");
	assert_string_equal(ev->text, "frame for 02:00:00:00:00:07, not for us");
	assert_true(ev->had_frame);
	memcpy(F, OUR_MAC, 6);

	ww_put16(F + 12, WW_ETHERTYPE_IPV6);
	ww_stack_input(h->st, F, n, 0);
	ev = h_event(h, WW_EV_FRAME_DROPPED, "eth.unknown_type");
	assert_string_equal(ev->text, "EtherType 0x86dd (IPv6): no handler here");
	ww_put16(F + 12, WW_ETHERTYPE_IPV4);

	/* Scapy's tagged request, from the peer's MAC instead of ours. */
	uint8_t vlan[sizeof ww_frame_vlan_arp];
	memcpy(vlan, ww_frame_vlan_arp, sizeof vlan);
	memcpy(vlan + 6, PEER_MAC, 6);
	ww_stack_input(h->st, vlan, sizeof vlan, 0);
	ev = h_event(h, WW_EV_FRAME_DROPPED, "eth.vlan");
	assert_string_equal(ev->text, "802.1Q tag, VLAN 100");

	memcpy(F + 6, OUR_MAC, 6);
	ww_stack_input(h->st, F, n, 0);
	assert_non_null(h_event(h, WW_EV_FRAME_DROPPED, "eth.own_source"));

	assert_int_equal(h->nsent, 0);
	const struct ww_if_stats *s = ww_stack_if_stats(h->st);
	assert_int_equal(s->rx_frames, 5);
	assert_int_equal(s->rx_bytes, 10 + 3 * n + sizeof ww_frame_vlan_arp);
	h_free(h);
}

/* ---- IPv4 checks ---------------------------------------------------------- */

static void test_ip_drops(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, PEER_IP, PEER_MAC, 0);
	h_clear_sent(h);
	uint8_t msg[16] = { 8, 0 };

	/* A header checksum set by hand, wrong. */
	struct ww_ipv4 ip = ip_hdr(PEER_IP, OUR_IP, WW_IPPROTO_ICMP, 7);
	ip.manual = WW_IPV4_MANUAL_CSUM;
	ip.checksum = 0x1234;
	size_t n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, sizeof msg);
	ww_stack_input(h->st, F, n, 0);
	ip.manual = 0;
	build_ip(F, sizeof F, PEER_MAC, &ip, msg, sizeof msg);
	char want[64];
	snprintf(want, sizeof want, "header checksum 0x1234, should be 0x%04x", ww_get16(F + 24));
	const struct seen_event *ev = h_event(h, WW_EV_FRAME_DROPPED, "ip.bad_checksum");
	assert_non_null(ev);
	assert_string_equal(ev->text, want);

	/* Total length 200, 46 bytes there. */
	ip.manual = WW_IPV4_MANUAL_LEN;
	ip.total_len = 200;
	n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, sizeof msg);
	ww_stack_input(h->st, F, n, 0);
	ev = h_event(h, WW_EV_FRAME_DROPPED, "ip.truncated");
	assert_non_null(ev);
	assert_non_null(strstr(ev->text, "200"));
	ip.manual = 0;

	/* Version 6 in an IPv4 frame. */
	build_ip(F, sizeof F, PEER_MAC, &ip, msg, sizeof msg);
	F[14] = 0x65;
	ww_stack_input(h->st, F, n, 0);
	assert_non_null(h_event(h, WW_EV_FRAME_DROPPED, "ip.malformed"));

	/* For a neighbour: this host does not forward. */
	ip.dst = IP4(192, 168, 1, 9);
	n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, sizeof msg);
	ww_stack_input(h->st, F, n, 0);
	ev = h_event(h, WW_EV_FRAME_DROPPED, "ip.not_for_us");
	assert_string_equal(ev->text,
			    "datagram for 192.168.1.9, not for us (192.168.1.5); this host does not forward");

	/* From a multicast source. */
	ip.dst = OUR_IP;
	ip.src = IP4(224, 0, 0, 1);
	n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, sizeof msg);
	ww_stack_input(h->st, F, n, 0);
	assert_non_null(h_event(h, WW_EV_FRAME_DROPPED, "ip.bad_source"));

	assert_int_equal(h->nsent, 0);
	assert_int_equal(h_ctr(h, "ip.bad_checksum"), 1);
	assert_int_equal(h_ctr(h, "ip.truncated"), 1);
	assert_int_equal(h_ctr(h, "ip.malformed"), 1);
	assert_int_equal(h_ctr(h, "ip.not_for_us"), 1);
	assert_int_equal(h_ctr(h, "ip.bad_source"), 1);
	assert_int_equal(h_ctr(h, "ip.datagrams_received"), 0);
	h_free(h);
}

/* ---- ICMP echo answered ---------------------------------------------------- */

static void test_echo_answered(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	size_t n = echo_from_peer(OUR_IP, 0x1234, 7, 56);
	/* The peer is not known yet: the answer waits for ARP. */
	ww_stack_input(h->st, F, n, 1 * SEC);
	assert_int_equal(h->nsent, 1);
	const struct ww_dissection *d = h_dissect_sent(h, 0);
	assert_int_equal(h_item(d, "arp.dst.proto_ipv4")->u, PEER_IP);
	uint8_t f[60];
	build_arp(f, WW_ARP_REPLY, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP);
	ww_stack_input(h->st, f, sizeof f, 1 * SEC + 100000);
	assert_int_equal(h->nsent, 2);

	d = h_dissect_sent(h, 1);
	assert_memory_equal(h_item(d, "eth.dst")->p, PEER_MAC, 6);
	assert_int_equal(h_item(d, "ip.src")->u, OUR_IP);
	assert_int_equal(h_item(d, "ip.dst")->u, PEER_IP);
	assert_int_equal(h_item(d, "ip.ttl")->u, 64);
	assert_int_equal(h_item(d, "ip.len")->u, 84);
	assert_int_equal(h_item(d, "ip.checksum")->check, WW_CHECK_GOOD);
	assert_int_equal(h_item(d, "icmp.type")->u, WW_ICMP_ECHO_REPLY);
	assert_int_equal(h_item(d, "icmp.code")->u, 0);
	assert_int_equal(h_item(d, "icmp.ident")->u, 0x1234);
	assert_int_equal(h_item(d, "icmp.seq")->u, 7);
	assert_int_equal(h_item(d, "icmp.checksum")->check, WW_CHECK_GOOD);
	/* The data comes back as it was. */
	assert_memory_equal(h->sent[1].data + 42, F + 42, 56);
	assert_int_equal(h_ctr(h, "icmp.echo_requests_received"), 1);
	assert_int_equal(h_ctr(h, "icmp.echo_replies_sent"), 1);

	/* To the broadcast address: not answered. */
	n = echo_from_peer(IP4(192, 168, 1, 255), 0x1234, 8, 56);
	memcpy(F, BCAST_MAC, 6);
	ww_stack_input(h->st, F, n, 2 * SEC);
	assert_int_equal(h->nsent, 2);
	assert_non_null(h_event(h, WW_EV_FRAME_DROPPED, "icmp.echo_broadcast"));
	h_free(h);
}

/* Fragments as the peer's kernel sends them, each in its frame. */
struct frames {
	int n;
	uint8_t f[3][1514];
	size_t len[3];
};

static int cut(void *arg, const uint8_t *frag, size_t len)
{
	struct frames *fr = arg;
	assert_true(fr->n < 3);
	size_t n = build_eth(fr->f[fr->n], OUR_MAC, PEER_MAC, WW_ETHERTYPE_IPV4);
	memcpy(fr->f[fr->n] + n, frag, len);
	fr->len[fr->n] = n + len < 60 ? 60 : n + len;
	fr->n++;
	return 0;
}

/* A 3000-byte echo request in three fragments, out of order: put
 * together, answered, and the answer cut into three again. */
static void test_fragmented_echo_answered(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, PEER_IP, PEER_MAC, 0);
	h_clear_sent(h);
	uint8_t data[3000], msg[3008];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 5 + 1);
	struct ww_icmp ih = { .type = WW_ICMP_ECHO_REQUEST, .ident = 0x77, .seq = 1 };
	build_icmp(msg, &ih, data, sizeof data);
	struct ww_ipv4 ip = ip_hdr(PEER_IP, OUR_IP, WW_IPPROTO_ICMP, 0x3333);
	/* The peer's kernel would cut it like this: */
	static struct frames fr;
	fr.n = 0;
	assert_int_equal(ww_ip_fragment(&ip, msg, sizeof msg, 1500, cut, &fr), 3);
	ww_stack_input(h->st, fr.f[2], fr.len[2], 1 * SEC);
	ww_stack_input(h->st, fr.f[0], fr.len[0], 1 * SEC);
	assert_int_equal(h->nsent, 0);
	assert_int_equal(ww_stack_next_deadline(h->st), 1 * SEC + WW_REASM_TIMEOUT_NS);
	ww_stack_input(h->st, fr.f[1], fr.len[1], 1 * SEC);
	assert_int_equal(h_ctr(h, "ip.fragments_received"), 3);
	assert_int_equal(h_ctr(h, "ip.reassembled"), 1);
	assert_int_equal(h->nsent, 3);

	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	static const unsigned offs[3] = { 0, 185, 370 };
	static const size_t lens[3] = { 1514, 1514, 82 };
	for (int i = 0; i < 3; i++) {
		const struct ww_dissection *d = h_dissect_sent(h, (size_t)i);
		assert_int_equal(h->sent[i].len, lens[i]);
		assert_int_equal(h_item(d, "ip.frag_offset")->u, offs[i]);
		assert_int_equal(h_item(d, "ip.flags.mf")->u, i < 2);
		assert_int_equal(h_item(d, "ip.id")->u, 0x1000);
		assert_int_equal(h_item(d, "ip.checksum")->check, WW_CHECK_GOOD);
		assert_memory_equal(h_item(d, "eth.dst")->p, PEER_MAC, 6);
		struct ww_cursor c;
		ww_cur_init(&c, h->sent[i].data + 14, h->sent[i].len - 14, 14);
		struct ww_ipv4 fh;
		assert_int_equal(ww_ipv4_parse(&c, &fh), 0);
		ww_reasm_input(&t, &fh, h->sent[i].data + 14, 20, ww_cur_here(&c), ww_cur_left(&c), 0,
			       &out);
	}
	assert_int_equal(out.len, 3028);
	assert_int_equal(out.dgram[20], WW_ICMP_ECHO_REPLY);
	assert_int_equal(ww_get16(out.dgram + 24), 0x77);
	assert_int_equal(ww_inet_csum(out.dgram + 20, 3008), 0);
	assert_memory_equal(out.dgram + 28, data, sizeof data);
	assert_int_equal(h_ctr(h, "ip.fragments_sent"), 3);
	ww_reasm_free(&t);
	h_free(h);
}

/* ---- probes: ping and traceroute ------------------------------------------ */

/* Our 3000-byte ping goes out in the kernel's three pieces; the real
 * reply, three fragments through the router, answers it. */
static void test_ping_fragmented_real_reply(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, GW_IP, GW_MAC, 0);
	h_clear_sent(h);
	const struct ww_probe *p =
		ww_stack_probe_send(h->st, WEB_IP, 0x65de, 1, 0, 3000, 1 * SEC, 10 * SEC);
	assert_non_null(p);
	assert_int_equal(p->state, WW_PROBE_PENDING);
	assert_int_equal(h->nsent, 3);
	for (int i = 0; i < 3; i++) {
		/* Same sizes and offsets as the kernel's own fragments. */
		const uint8_t *k[3] = { net_req_frag1, net_req_frag2, net_req_frag3 };
		const size_t kl[3] = { sizeof net_req_frag1, sizeof net_req_frag2, sizeof net_req_frag3 };
		assert_int_equal(h->sent[i].len, kl[i]);
		assert_memory_equal(h->sent[i].data, k[i], 14); /* MACs and type */
		assert_int_equal(ww_get16(h->sent[i].data + 20), ww_get16(k[i] + 20)); /* flags, offset */
		assert_int_equal(ww_get16(h->sent[i].data + 16), ww_get16(k[i] + 16)); /* length */
		const struct ww_dissection *d = h_dissect_sent(h, (size_t)i);
		assert_int_equal(h_item(d, "ip.dst")->u, WEB_IP);
		assert_int_equal(h_item(d, "ip.ttl")->u, 64);
	}
	assert_int_equal(ww_stack_next_deadline(h->st), 11 * SEC);

	ww_stack_input(h->st, net_rep_frag1, sizeof net_rep_frag1, 10 * SEC + 137000);
	ww_stack_input(h->st, net_rep_frag2, sizeof net_rep_frag2, 10 * SEC + 138000);
	assert_int_equal(p->state, WW_PROBE_PENDING);
	ww_stack_input(h->st, net_rep_frag3, sizeof net_rep_frag3, 10 * SEC + 139000);
	assert_int_equal(p->state, WW_PROBE_REPLY);
	assert_int_equal(p->from, WEB_IP);
	assert_int_equal(p->rtt_ns, 139000);
	assert_int_equal(p->reply_len, 3008);
	assert_int_equal(p->reply_frags, 3);
	assert_int_equal(p->reply_ttl, 63);
	/* The kernel's ping put a timestamp in its data, not our pattern. */
	assert_false(p->data_ok);
	assert_int_equal(ww_stack_next_deadline(h->st), WW_ARP_REACHABLE_NS);
	assert_ptr_equal(ww_stack_probe_find(h->st, 0x65de, 1), p);
	assert_null(ww_stack_probe_find(h->st, 0x65de, 2));
	/* The same reply again: a duplicate. */
	ww_stack_input(h->st, net_rep_frag1, sizeof net_rep_frag1, 10 * SEC + 200000);
	ww_stack_input(h->st, net_rep_frag2, sizeof net_rep_frag2, 10 * SEC + 200000);
	ww_stack_input(h->st, net_rep_frag3, sizeof net_rep_frag3, 10 * SEC + 200000);
	assert_int_equal(p->dups, 1);
	assert_int_equal(p->rtt_ns, 139000);
	h_free(h);
}

/* Our own data comes back: data_ok. */
static void test_ping_reply_data_checked(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, PEER_IP, PEER_MAC, 0);
	h_clear_sent(h);
	uint16_t ident = ww_stack_probe_ident(h->st);
	assert_int_not_equal(ww_stack_probe_ident(h->st), ident);
	const struct ww_probe *p = ww_stack_probe_send(h->st, PEER_IP, ident, 9, 0, 56, SEC, 0);
	assert_non_null(p);
	/* Turn our request into the peer's reply, as its kernel would. */
	assert_int_equal(h->nsent, 1);
	uint8_t *r = h->sent[0].data;
	size_t n = h->sent[0].len;
	memcpy(r, OUR_MAC, 6);
	memcpy(r + 6, PEER_MAC, 6);
	ww_put32(r + 26, PEER_IP);
	ww_put32(r + 30, OUR_IP);
	r[22] = 63;
	ww_put16(r + 24, 0);
	ww_put16(r + 24, ww_inet_csum(r + 14, 20));
	r[34] = WW_ICMP_ECHO_REPLY;
	ww_put16(r + 36, 0);
	ww_put16(r + 36, ww_inet_csum(r + 34, n - 34));
	ww_stack_input(h->st, r, n, 250000);
	assert_int_equal(p->state, WW_PROBE_REPLY);
	assert_true(p->data_ok);
	assert_int_equal(p->reply_ttl, 63);
	assert_int_equal(p->reply_frags, 1);
	assert_int_equal(p->rtt_ns, 250000);
	h_free(h);
}

/* The router's real time exceeded answers a TTL-1 probe: traceroute's
 * first hop. */
static void test_traceroute_hop(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, GW_IP, GW_MAC, 0);
	h_clear_sent(h);
	const struct ww_probe *p = ww_stack_probe_send(h->st, WEB_IP, 0x664b, 1, 1, 56, SEC, 0);
	assert_non_null(p);
	const struct ww_dissection *d = h_dissect_sent(h, 0);
	assert_int_equal(h_item(d, "ip.ttl")->u, 1);
	ww_stack_input(h->st, net_time_exceeded, sizeof net_time_exceeded, 31000);
	assert_int_equal(p->state, WW_PROBE_TTL_EXCEEDED);
	assert_int_equal(p->from, GW_IP);
	assert_int_equal(p->icmp_type, WW_ICMP_TIME_EXCEEDED);
	assert_int_equal(p->icmp_code, 0);
	assert_int_equal(p->rtt_ns, 31000);
	assert_int_equal(h_ctr(h, "icmp.errors_received"), 1);
	assert_int_equal(h->nsent, 1);
	h_free(h);
}

/* An error about something we did not probe is reported, not dropped. */
static void test_error_about_other(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	ww_stack_input(h->st, net_port_unreach, sizeof net_port_unreach, 0);
	const struct seen_event *ev = h_event(h, WW_EV_INFO, NULL);
	assert_non_null(ev);
	assert_string_equal(ev->text, "ICMP Destination unreachable (Port unreachable) from "
				      "192.0.2.10 about a datagram to 192.0.2.10");
	/* The time exceeded with no probe waiting: reported the same way. */
	ww_stack_input(h->st, net_time_exceeded, sizeof net_time_exceeded, 0);
	ev = h_event(h, WW_EV_INFO, NULL);
	assert_non_null(strstr(ev->text, "Time-to-live exceeded"));
	assert_int_equal(h_ctr(h, "icmp.errors_received"), 2);
	assert_int_equal(h->nsent, 0);
	h_free(h);
}

static void test_probe_timeout_and_late_reply(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, PEER_IP, PEER_MAC, 0);
	h_clear_sent(h);
	const struct ww_probe *p = ww_stack_probe_send(h->st, PEER_IP, 5, 1, 0, 8, 1 * SEC, 0);
	const struct ww_probe *q = ww_stack_probe_send(h->st, PEER_IP, 5, 2, 0, 8, 3 * SEC, 0);
	assert_int_equal(ww_stack_next_deadline(h->st), 1 * SEC);
	ww_stack_poll(h->st, 1 * SEC - 1);
	assert_int_equal(p->state, WW_PROBE_PENDING);
	ww_stack_poll(h->st, 1 * SEC);
	assert_int_equal(p->state, WW_PROBE_TIMEOUT);
	assert_int_equal(q->state, WW_PROBE_PENDING);
	assert_int_equal(ww_stack_next_deadline(h->st), 3 * SEC);
	/* A late reply still counts. */
	uint8_t msg[16];
	struct ww_icmp ih = { .type = WW_ICMP_ECHO_REPLY, .ident = 5, .seq = 1 };
	uint8_t data[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	size_t ml = build_icmp(msg, &ih, data, 8);
	struct ww_ipv4 ip = ip_hdr(PEER_IP, OUR_IP, WW_IPPROTO_ICMP, 1);
	size_t n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, ml);
	ww_stack_input(h->st, F, n, 1500 * MS);
	assert_int_equal(p->state, WW_PROBE_REPLY);
	assert_true(p->data_ok);
	assert_int_equal(p->rtt_ns, 1500 * MS);
	/* A reply nobody asked for. */
	ih.seq = 99;
	ml = build_icmp(msg, &ih, data, 8);
	n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, ml);
	ww_stack_input(h->st, F, n, 1600 * MS);
	assert_non_null(h_event(h, WW_EV_FRAME_DROPPED, "icmp.unmatched"));
	h_free(h);
}

static void test_icmp_drops(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, PEER_IP, PEER_MAC, 0);
	h_clear_sent(h);
	/* A checksum set by hand, wrong. */
	uint8_t msg[16];
	struct ww_icmp ih = { .type = WW_ICMP_ECHO_REQUEST, .ident = 1, .seq = 1,
			      .manual = WW_ICMP_MANUAL_CSUM, .checksum = 0xbeef };
	uint8_t data[8] = { 0 };
	size_t ml = build_icmp(msg, &ih, data, 8);
	struct ww_ipv4 ip = ip_hdr(PEER_IP, OUR_IP, WW_IPPROTO_ICMP, 1);
	size_t n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, ml);
	ww_stack_input(h->st, F, n, 0);
	ih.manual = 0;
	build_icmp(msg, &ih, data, 8);
	char want[64];
	snprintf(want, sizeof want, "ICMP checksum 0xbeef, should be 0x%04x", ww_get16(msg + 2));
	const struct seen_event *ev = h_event(h, WW_EV_FRAME_DROPPED, "icmp.bad_checksum");
	assert_non_null(ev);
	assert_string_equal(ev->text, want);
	/* Four bytes of ICMP. */
	n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, 4);
	ww_stack_input(h->st, F, n, 0);
	assert_non_null(h_event(h, WW_EV_FRAME_DROPPED, "icmp.truncated"));
	/* A timestamp request: not acted on here. */
	ih.type = WW_ICMP_TIMESTAMP;
	ml = build_icmp(msg, &ih, data, 8);
	n = build_ip(F, sizeof F, PEER_MAC, &ip, msg, ml);
	ww_stack_input(h->st, F, n, 0);
	ev = h_event(h, WW_EV_FRAME_DROPPED, "icmp.unhandled_type");
	assert_non_null(ev);
	assert_non_null(strstr(ev->text, "ICMP type 13"));
	assert_int_equal(h->nsent, 0);
	h_free(h);
}

/* ---- what nobody here handles ----------------------------------------------- */

struct udp_seen {
	int n;
	size_t len;
	uint32_t src;
};

static void on_udp(void *arg, const struct ww_ipv4 *hdr, const uint8_t *payload, size_t len,
		   uint64_t now)
{
	(void)payload, (void)now;
	struct udp_seen *u = arg;
	u->n++;
	u->len = len;
	u->src = hdr->src;
}

static void test_unhandled_and_handlers(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, GW_IP, GW_MAC, 0);
	h_clear_sent(h);
	/* nginx's SYN-ACK for a SYN sent by hand: no TCP here, so no RST. */
	uint8_t seg[20] = { 0, 80, 0x9c, 0x40, 0, 0, 0, 1, 0, 0, 0x03, 0xe9, 0x50, 0x12, 0xff, 0xff };
	struct ww_ipv4 ip = ip_hdr(WEB_IP, OUR_IP, WW_IPPROTO_TCP, 9);
	ww_put16(seg + 16, ww_l4_csum(WEB_IP, OUR_IP, WW_IPPROTO_TCP, seg, sizeof seg));
	size_t n = build_ip(F, sizeof F, GW_MAC, &ip, seg, sizeof seg);
	ww_stack_input(h->st, F, n, 0);
	assert_int_equal(h->nsent, 0);
	const struct seen_event *ev = h_event(h, WW_EV_INFO, "ip.unhandled");
	assert_non_null(ev);
	assert_non_null(strstr(ev->text, "TCP datagram from 192.0.2.10"));
	assert_non_null(strstr(ev->text, "no RST"));
	assert_int_equal(h_ctr(h, "ip.unhandled"), 1);
	assert_int_equal(h_ctr(h, "ip.datagrams_received"), 1);

	/* With a handler, the payload goes there. */
	struct udp_seen u = { 0 };
	ww_stack_set_handler(h->st, WW_IPPROTO_UDP, on_udp, &u);
	ip.proto = WW_IPPROTO_UDP;
	n = build_ip(F, sizeof F, GW_MAC, &ip, seg, 12);
	ww_stack_input(h->st, F, n, 0);
	assert_int_equal(u.n, 1);
	assert_int_equal(u.len, 12); /* padding is not payload */
	assert_int_equal(u.src, WEB_IP);
	assert_int_equal(h_ctr(h, "ip.unhandled"), 1);
	h_free(h);
}

/* ---- the reassembly timeout ------------------------------------------------- */

static void test_reassembly_timeout_icmp(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, GW_IP, GW_MAC, 0);
	h_clear_sent(h);
	/* The reply's first and last fragments, never the middle one. */
	ww_stack_input(h->st, net_rep_frag1, sizeof net_rep_frag1, 2 * SEC);
	ww_stack_input(h->st, net_rep_frag3, sizeof net_rep_frag3, 2 * SEC);
	ww_stack_poll(h->st, 2 * SEC + WW_REASM_TIMEOUT_NS - 1);
	assert_int_equal(h->nsent, 0);
	ww_stack_poll(h->st, 2 * SEC + WW_REASM_TIMEOUT_NS);
	const struct seen_event *ev = h_event(h, WW_EV_FRAME_DROPPED, "ip.frag_timeout");
	assert_non_null(ev);
	assert_string_equal(ev->text,
			    "datagram id 0x0a0d from 192.0.2.10: 2 fragments came, not all, within 30 s");
	assert_false(ev->had_frame);
	/* RFC 792: time exceeded, code 1, quoting the first fragment's
	 * header and 8 bytes. */
	assert_int_equal(h->nsent, 1);
	const struct ww_dissection *d = h_dissect_sent(h, 0);
	assert_int_equal(h_item(d, "ip.dst")->u, WEB_IP);
	assert_int_equal(h_item(d, "icmp.type")->u, WW_ICMP_TIME_EXCEEDED);
	assert_int_equal(h_item(d, "icmp.code")->u, WW_ICMP_REASSEMBLY_EXCEEDED);
	assert_int_equal(h_item(d, "icmp.checksum")->check, WW_CHECK_GOOD);
	assert_int_equal(h->sent[0].len, 14 + 20 + 8 + 28);
	assert_memory_equal(h->sent[0].data + 42, net_rep_frag1 + 14, 28);
	assert_int_equal(h_ctr(h, "icmp.errors_sent"), 1);

	/* Without the first fragment, nothing to quote: no ICMP. */
	ww_stack_input(h->st, net_rep_frag2, sizeof net_rep_frag2, 100 * SEC);
	ww_stack_poll(h->st, 200 * SEC);
	assert_int_equal(h_ctr(h, "ip.frag_timeout"), 2);
	assert_int_equal(h->nsent, 1);
	h_free(h);
}

/* ---- sending: loopback, routing, DF ------------------------------------------ */

static void test_ping_ourselves(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	const struct ww_probe *p = ww_stack_probe_send(h->st, OUR_IP, 1, 1, 0, 2000, SEC, 5 * SEC);
	assert_non_null(p);
	assert_int_equal(p->state, WW_PROBE_REPLY);
	assert_true(p->data_ok);
	assert_int_equal(p->rtt_ns, 0);
	assert_int_equal(p->from, OUR_IP);
	assert_int_equal(h->nsent, 0); /* never on the wire */
	assert_int_equal(h_ctr(h, "ip.loopback"), 2);
	h_free(h);
}

static void test_send_refusals(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	uint8_t data[2000] = { 0 };
	/* DF and over the MTU. */
	struct ww_ip_send p = { .dst = PEER_IP, .proto = 253, .df = true };
	assert_int_equal(ww_stack_ip_send(h->st, &p, data, 1481, 0), -1);
	const struct seen_event *ev = h_event(h, WW_EV_ERROR, "ip.too_big_df");
	assert_string_equal(ev->text, "datagram to 192.168.1.7 is 1501 bytes, over the MTU of 1500, "
				      "and DF forbids cutting it");
	assert_true(ww_stack_ip_send(h->st, &p, data, 1480, 0) >= 0); /* exactly fits */
	/* Over 65535. */
	static uint8_t big[65516];
	p.df = false;
	assert_int_equal(ww_stack_ip_send(h->st, &p, big, sizeof big, 0), -1);
	/* No default route: the internet is out of reach. */
	assert_int_equal(ww_route_del(ww_stack_routes(h->st), 0, 0), 0);
	assert_null(ww_stack_probe_send(h->st, WEB_IP, 1, 1, 0, 8, SEC, 0));
	ev = h_event(h, WW_EV_ERROR, "ip.no_route");
	assert_string_equal(ev->text, "no route to 192.0.2.10 (`route` shows the table)");
	const struct ww_probe *q = ww_stack_probe_find(h->st, 1, 1);
	assert_non_null(q);
	assert_int_equal(q->state, WW_PROBE_FAILED);
	assert_int_equal(ww_stack_next_deadline(h->st), 1 * SEC); /* only the ARP retry */
	h_free(h);
}

/* A hand-made datagram goes out as it is, wrong checksum and all. */
static void test_send_datagram_as_is(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, GW_IP, GW_MAC, 0);
	h_clear_sent(h);
	uint8_t dg[28];
	struct ww_ipv4 ip = ip_hdr(OUR_IP, WEB_IP, WW_IPPROTO_ICMP, 5);
	ip.manual = WW_IPV4_MANUAL_CSUM;
	ip.checksum = 0x1234;
	ww_ipv4_emit(&ip, 8, dg, sizeof dg);
	struct ww_icmp ih = { .type = WW_ICMP_ECHO_REQUEST };
	ww_icmp_emit(&ih, dg + 20, 8);
	assert_int_equal(ww_stack_send_datagram(h->st, dg, sizeof dg, 0), 0);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(h->sent[0].len, 60);
	assert_memory_equal(h->sent[0].data, GW_MAC, 6);
	assert_memory_equal(h->sent[0].data + 14, dg, sizeof dg);
	ww_dissect(&h->d, h->sent[0].data, h->sent[0].len);
	assert_int_equal(h_item(&h->d, "ip.checksum")->check, WW_CHECK_BAD);
	/* A broadcast goes to ff:ff:ff:ff:ff:ff without ARP. */
	ip.dst = IP4(192, 168, 1, 255);
	ww_ipv4_emit(&ip, 8, dg, sizeof dg);
	assert_int_equal(ww_stack_send_datagram(h->st, dg, sizeof dg, 0), 0);
	assert_memory_equal(h->sent[1].data, BCAST_MAC, 6);
	h_free(h);
}

static void test_counters_table(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	size_t n = 0, drops = 0;
	const struct ww_counter_info *ci;
	for (; (ci = ww_stack_counter_info(n)) != NULL; n++) {
		assert_non_null(strchr(ci->name, '.'));
		assert_true(strlen(ci->help) > 10);
		assert_int_equal(ww_stack_counter_value(h->st, n), 0);
		drops += ci->drop;
		for (size_t j = 0; j < n; j++)
			assert_string_not_equal(ww_stack_counter_info(j)->name, ci->name);
	}
	assert_true(n > 40);
	assert_true(drops >= 25);
	assert_int_equal(ww_stack_counter(h->st, "no.such"), UINT64_MAX);
	/* The config as given, and the routes it made. */
	const struct ww_stack_config *cfg = ww_stack_config(h->st);
	assert_string_equal(cfg->ifname, "eth0");
	assert_int_equal(cfg->mtu, 1500);
	assert_int_equal(ww_stack_broadcast(h->st), IP4(192, 168, 1, 255));
	assert_int_equal(ww_stack_routes(h->st)->n, 2);
	assert_int_equal(ww_stack_route(h->st, WEB_IP).next_hop, GW_IP);
	assert_int_equal(ww_stack_next_deadline(h->st), UINT64_MAX);
	h_free(h);
	/* Unusable configs. */
	struct ww_stack_config bad = { .ip = OUR_IP, .prefix = 33 };
	assert_null(ww_stack_new(&bad, h_tx, NULL, NULL, NULL));
	bad.prefix = 24;
	bad.mtu = 67;
	assert_null(ww_stack_new(&bad, h_tx, NULL, NULL, NULL));
	bad.ip = 0;
	bad.mtu = 0;
	assert_null(ww_stack_new(&bad, h_tx, NULL, NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_drops),
		cmocka_unit_test(test_ip_drops),
		cmocka_unit_test(test_echo_answered),
		cmocka_unit_test(test_fragmented_echo_answered),
		cmocka_unit_test(test_ping_fragmented_real_reply),
		cmocka_unit_test(test_ping_reply_data_checked),
		cmocka_unit_test(test_traceroute_hop),
		cmocka_unit_test(test_error_about_other),
		cmocka_unit_test(test_probe_timeout_and_late_reply),
		cmocka_unit_test(test_icmp_drops),
		cmocka_unit_test(test_unhandled_and_handlers),
		cmocka_unit_test(test_reassembly_timeout_icmp),
		cmocka_unit_test(test_ping_ourselves),
		cmocka_unit_test(test_send_refusals),
		cmocka_unit_test(test_send_datagram_as_is),
		cmocka_unit_test(test_counters_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
