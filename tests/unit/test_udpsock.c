/* UDP sockets over the stack on a fake link: random ephemeral ports,
 * datagrams out with the checksum right, demultiplexing by the 4-tuple
 * (a connected socket takes only its peer's datagrams), every drop by its
 * reason and never answered, and a real ICMP port unreachable from the
 * lab (icmp-ttl.pcap) surfaced on the socket that sent the datagram. */
#include "resolver_harness.h"
#include "resolver_vectors.h"

#include <errno.h>

static struct ww_udp_layer *udp_new(struct net_h *h, uint64_t seed)
{
	struct ww_udp_layer *u = ww_udp_new(h->st, seed, h_ev, h);
	assert_non_null(u);
	return u;
}

static uint64_t uctr(const struct ww_udp_layer *u, const char *name)
{
	uint64_t v = ww_udp_counter(u, name);
	assert_true(v != UINT64_MAX);
	return v;
}

static uint16_t port_of(struct ww_udp_layer *u, int sock)
{
	struct ww_udp_sock_info si;
	assert_int_equal(ww_udp_sock_info(u, sock, &si), 0);
	assert_true(si.used);
	return si.lport;
}

/* ---- ports ------------------------------------------------------------------ */

static void test_ephemeral_ports(void **state)
{
	(void)state;
	struct net_h *h = h_new(), *h2 = h_new(), *h3 = h_new();
	struct ww_udp_layer *u = udp_new(h, 1), *same = udp_new(h2, 1), *other = udp_new(h3, 2);
	uint16_t ports[WW_UDP_SOCK_MAX];
	unsigned runs = 0, differ = 0;
	for (int i = 0; i < WW_UDP_SOCK_MAX; i++) {
		int s = ww_udp_open(u, 0, 0, 0, NULL, NULL);
		assert_true(s >= 0);
		ports[i] = port_of(u, s);
		assert_true(ports[i] >= WW_UDP_EPHEMERAL_LO);
		for (int k = 0; k < i; k++)
			assert_int_not_equal(ports[k], ports[i]);
		if (i && ports[i] == ports[i - 1] + 1)
			runs++;
		/* The same seed repeats the sequence; another seed does not. */
		int s2 = ww_udp_open(same, 0, 0, 0, NULL, NULL);
		assert_int_equal(port_of(same, s2), ports[i]);
		int s3 = ww_udp_open(other, 0, 0, 0, NULL, NULL);
		differ += port_of(other, s3) != ports[i];
	}
	/* Drawn at random, not counted up from a start. */
	assert_true(runs < 4);
	assert_true(differ > WW_UDP_SOCK_MAX - 4);
	assert_int_equal(ww_udp_open(u, 0, 0, 0, NULL, NULL), -EMFILE);
	assert_ptr_equal(ww_udp_stack(same), h2->st);
	ww_udp_free(same);
	h_free(h2);
	ww_udp_free(other);
	h_free(h3);
	ww_udp_free(u);
	h_free(h);
}

/* Seeded with 0, ports come from the kernel: two layers do not agree. */
static void test_unseeded_ports_differ(void **state)
{
	(void)state;
	struct net_h *a = h_new(), *b = h_new();
	struct ww_udp_layer *ua = udp_new(a, 0), *ub = udp_new(b, 0);
	unsigned same = 0;
	for (int i = 0; i < 16; i++)
		same += port_of(ua, ww_udp_open(ua, 0, 0, 0, NULL, NULL)) ==
			port_of(ub, ww_udp_open(ub, 0, 0, 0, NULL, NULL));
	assert_true(same < 3);
	ww_udp_free(ua);
	ww_udp_free(ub);
	h_free(a);
	h_free(b);
}

static void test_binding_rules(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	struct ww_udp_layer *u = udp_new(h, 3);
	assert_true(ww_udp_open(u, 5000, 0, 0, NULL, NULL) >= 0);
	assert_int_equal(ww_udp_open(u, 5000, 0, 0, NULL, NULL), -EADDRINUSE);
	/* Connected sockets may share the port with it, each to its own peer. */
	assert_true(ww_udp_open(u, 5000, RESOLVER_IP, 53, NULL, NULL) >= 0);
	assert_true(ww_udp_open(u, 5000, ROOT_IP, 53, NULL, NULL) >= 0);
	assert_int_equal(ww_udp_open(u, 5000, ROOT_IP, 53, NULL, NULL), -EADDRINUSE);
	assert_int_equal(ww_udp_open(u, 5001, ROOT_IP, 0, NULL, NULL), -EINVAL);
	ww_udp_free(u);
	h_free(h);
}

/* ---- out -------------------------------------------------------------------- */

static void test_send(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	struct ww_udp_layer *u = udp_new(h, 4);
	/* Port 7 (echo): to 53 the dissector would read "hello" as DNS. */
	int s = ww_udp_open(u, 0, RESOLVER_IP, 7, NULL, NULL);
	uint16_t port = port_of(u, s);
	/* The gateway's MAC is not known: the datagram waits for ARP. */
	assert_int_equal(ww_udp_send(u, s, 0, 0, "hello", 5, 0), 0);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(ww_get16(h->sent[0].data + 12), WW_ETHERTYPE_ARP);
	uint8_t f[60];
	build_arp(f, WW_ARP_REPLY, OUR_MAC, GW_MAC, GW_IP, OUR_MAC, OUR_IP);
	ww_stack_input(h->st, f, sizeof f, MS);
	assert_int_equal(h->nsent, 2);
	const struct ww_dissection *d = h_dissect_sent(h, 1);
	assert_int_equal(h_item(d, "udp.srcport")->u, port);
	assert_int_equal(h_item(d, "udp.dstport")->u, 7);
	assert_int_equal(h_item(d, "udp.length")->u, 13);
	assert_int_equal(h_item(d, "udp.checksum")->check, WW_CHECK_GOOD);
	assert_int_equal(h_item(d, "ip.dst")->u, RESOLVER_IP);
	assert_memory_equal(h->sent[1].data + 14 + 20 + 8, "hello", 5);
	/* An unconnected socket needs a destination; too big is refused. */
	int any = ww_udp_open(u, 6000, 0, 0, NULL, NULL);
	assert_int_equal(ww_udp_send(u, any, 0, 0, "x", 1, MS), -EDESTADDRREQ);
	static uint8_t big[WW_UDP_PAYLOAD_MAX + 1];
	assert_int_equal(ww_udp_send(u, any, PEER_IP, 7, big, sizeof big, MS), -EMSGSIZE);
	assert_int_equal(ww_udp_send(u, 63, PEER_IP, 7, "x", 1, MS), -EBADF);
	assert_int_equal(uctr(u, "udp.datagrams_sent"), 1);
	ww_udp_free(u);
	h_free(h);
}

/* ---- in: the 4-tuple -------------------------------------------------------- */

static uint8_t F[2000];

/* A datagram SRC:SPORT -> us:DPORT with PAYLOAD, from the gateway. */
static size_t udp_frame(uint32_t src, uint16_t sport, uint16_t dport, const char *payload)
{
	uint8_t seg[600];
	size_t n = strlen(payload);
	memcpy(seg + 8, payload, n);
	struct ww_udp uh = { .sport = sport, .dport = dport };
	ww_udp_emit(&uh, src, OUR_IP, seg, 8 + n);
	struct ww_ipv4 ip = ip_hdr(src, OUR_IP, WW_IPPROTO_UDP, 0x3333);
	return build_ip(F, sizeof F, GW_MAC, &ip, seg, 8 + n);
}

static void expect_queued(struct ww_udp_layer *u, int s, uint32_t src, uint16_t sport,
			  const char *text)
{
	struct ww_udp_datagram d;
	uint8_t buf[64];
	assert_int_equal(ww_udp_recv(u, s, &d, buf, sizeof buf), 1);
	assert_int_equal(d.src, src);
	assert_int_equal(d.sport, sport);
	assert_int_equal(d.len, strlen(text));
	assert_memory_equal(buf, text, d.len);
	assert_int_equal(ww_udp_recv(u, s, &d, buf, sizeof buf), 0);
}

static void expect_queued_none(struct ww_udp_layer *u, int s)
{
	struct ww_udp_datagram d;
	uint8_t buf[8];
	assert_int_equal(ww_udp_recv(u, s, &d, buf, sizeof buf), 0);
}

static void test_demux(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	struct ww_udp_layer *u = udp_new(h, 5);
	int any = ww_udp_open(u, 5000, 0, 0, NULL, NULL);
	int to_res = ww_udp_open(u, 40000, RESOLVER_IP, 53, NULL, NULL);
	int to_root = ww_udp_open(u, 40000, ROOT_IP, 53, NULL, NULL);

	ww_stack_input(h->st, F, udp_frame(RESOLVER_IP, 53, 40000, "resolver"), 0);
	ww_stack_input(h->st, F, udp_frame(ROOT_IP, 53, 40000, "root"), 0);
	ww_stack_input(h->st, F, udp_frame(PEER_IP, 1234, 5000, "anyone"), 0);
	expect_queued(u, to_res, RESOLVER_IP, 53, "resolver");
	expect_queued(u, to_root, ROOT_IP, 53, "root");
	expect_queued(u, any, PEER_IP, 1234, "anyone");

	/* The right address from another port, another address: not theirs. */
	ww_stack_input(h->st, F, udp_frame(RESOLVER_IP, 5353, 40000, "forged"), 0);
	ww_stack_input(h->st, F, udp_frame(TLD_IP, 53, 40000, "forged"), 0);
	assert_int_equal(uctr(u, "udp.wrong_peer"), 2);
	const struct seen_event *ev = h_event(h, WW_EV_FRAME_DROPPED, "udp.wrong_peer");
	assert_string_equal(ev->text, "UDP datagram from 198.51.100.2:53 to port 40000: that port "
			    "talks only to its connected peer");
	assert_true(ev->had_frame);
	/* A port nobody holds: shown, counted, never answered. */
	ww_stack_input(h->st, F, udp_frame(PEER_IP, 1234, 6000, "nobody"), 0);
	assert_int_equal(uctr(u, "udp.no_socket"), 1);
	assert_int_equal(h->nsent, 0);
	assert_int_equal(uctr(u, "udp.datagrams_received"), 3);

	/* Once closed, the unconnected socket's port is free again. */
	ww_udp_close(u, any);
	ww_stack_input(h->st, F, udp_frame(PEER_IP, 1234, 5000, "late"), 0);
	assert_int_equal(uctr(u, "udp.no_socket"), 2);
	ww_udp_free(u);
	h_free(h);
}

static void test_checks(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	struct ww_udp_layer *u = udp_new(h, 6);
	int s = ww_udp_open(u, 7000, 0, 0, NULL, NULL);
	size_t n = udp_frame(PEER_IP, 9, 7000, "payload");
	uint16_t good = ww_get16(F + 14 + 20 + 6);
	ww_put16(F + 14 + 20 + 6, 0x1234);
	ww_stack_input(h->st, F, n, 0);
	char want[64];
	snprintf(want, sizeof want, "UDP checksum 0x1234, should be 0x%04x", good);
	assert_string_equal(h_event(h, WW_EV_FRAME_DROPPED, "udp.bad_checksum")->text, want);
	/* 0: the sender computed none, which IPv4 allows. */
	ww_put16(F + 14 + 20 + 6, 0);
	ww_stack_input(h->st, F, n, 0);
	assert_int_equal(uctr(u, "udp.no_checksum"), 1);
	expect_queued(u, s, PEER_IP, 9, "payload");
	/* A length past the datagram, a length below the header. */
	ww_put16(F + 14 + 20 + 4, 200);
	ww_stack_input(h->st, F, n, 0);
	assert_int_equal(uctr(u, "udp.truncated"), 1);
	ww_put16(F + 14 + 20 + 4, 7);
	ww_stack_input(h->st, F, n, 0);
	assert_int_equal(uctr(u, "udp.bad_length"), 1);
	assert_non_null(strstr(h_event(h, WW_EV_FRAME_DROPPED, "udp.bad_length")->text, "7"));
	ww_udp_free(u);
	h_free(h);
}

static void test_queue_limit(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	struct ww_udp_layer *u = udp_new(h, 7);
	int s = ww_udp_open(u, 7000, 0, 0, NULL, NULL);
	for (int i = 0; i < WW_UDP_QUEUE_MAX + 2; i++) {
		char text[16];
		snprintf(text, sizeof text, "d%d", i);
		ww_stack_input(h->st, F, udp_frame(PEER_IP, 9, 7000, text), 0);
	}
	assert_int_equal(uctr(u, "udp.queue_full"), 2);
	/* Oldest first; the last two never got in. */
	for (int i = 0; i < WW_UDP_QUEUE_MAX; i++) {
		struct ww_udp_datagram d;
		uint8_t buf[8];
		char want[16];
		snprintf(want, sizeof want, "d%d", i);
		assert_int_equal(ww_udp_recv(u, s, &d, buf, sizeof buf), 1);
		assert_int_equal(d.len, strlen(want));
		assert_memory_equal(buf, want, d.len);
	}
	expect_queued_none(u, s);
	ww_udp_free(u);
	h_free(h);
}

static void test_loopback(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	struct ww_udp_layer *u = udp_new(h, 8);
	int rx = ww_udp_open(u, 7777, 0, 0, NULL, NULL);
	int tx = ww_udp_open(u, 0, OUR_IP, 7777, NULL, NULL);
	assert_int_equal(ww_udp_send(u, tx, 0, 0, "to self", 7, 0), 0);
	assert_int_equal(h->nsent, 0);
	expect_queued(u, rx, OUR_IP, port_of(u, tx), "to self");
	ww_udp_free(u);
	h_free(h);
}

/* ---- ICMP errors --------------------------------------------------------------- */

struct got_error {
	int n;
	struct ww_udp_sock_error e;
};

static void on_err(void *arg, int sock, const struct ww_udp_sock_error *e)
{
	(void)sock;
	struct got_error *g = arg;
	g->n++;
	g->e = *e;
}

/* The kernel's datagram 192.168.1.5:46035 -> 192.0.2.10:33434 and the
 * real port unreachable it drew (icmp-ttl.pcap). */
static void test_port_unreachable_real(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	struct ww_udp_layer *u = udp_new(h, 9);
	/* What the quoted header says is the datagram the frame before sent. */
	assert_int_equal(ww_get16(rv_frame_udp_closed + 34), 46035);
	assert_int_equal(ww_get16(rv_frame_udp_closed + 36), 33434);
	struct got_error mine = { 0 }, other = { 0 };
	const struct ww_udp_ops ops = { NULL, on_err };
	int s = ww_udp_open(u, 46035, WEB_IP, 33434, &ops, &mine);
	int elsewhere = ww_udp_open(u, 46035, RESOLVER_IP, 53, &ops, &other);
	ww_stack_input(h->st, rv_frame_port_unreach, sizeof rv_frame_port_unreach, 0);
	assert_int_equal(mine.n, 1);
	assert_int_equal(other.n, 0); /* connected elsewhere: not about it */
	assert_int_equal(mine.e.err, ECONNREFUSED);
	assert_int_equal(mine.e.type, WW_ICMP_DEST_UNREACH);
	assert_int_equal(mine.e.code, WW_ICMP_PORT_UNREACH);
	assert_int_equal(mine.e.from, WEB_IP);
	assert_int_equal(mine.e.dst, WEB_IP);
	assert_int_equal(mine.e.dport, 33434);
	char buf[160];
	assert_string_equal(ww_udp_error_text(&mine.e, buf, sizeof buf),
			    "connection refused (ICMP Port unreachable from 192.0.2.10)");
	assert_int_equal(uctr(u, "udp.icmp_errors"), 1);
	/* Not reported as the stack's own info line any more. */
	assert_null(h_event(h, WW_EV_INFO, NULL));
	(void)s;
	(void)elsewhere;

	/* Without an error callback the error waits on the socket, once. */
	ww_udp_close(u, s);
	int plain = ww_udp_open(u, 46035, 0, 0, NULL, NULL);
	ww_stack_input(h->st, rv_frame_port_unreach, sizeof rv_frame_port_unreach, 0);
	struct ww_udp_sock_error e;
	assert_true(ww_udp_take_error(u, plain, &e));
	assert_int_equal(e.err, ECONNREFUSED);
	assert_false(ww_udp_take_error(u, plain, &e));

	/* About a port none of ours sent from: counted as unmatched. */
	ww_udp_free(u);
	u = udp_new(h, 10);
	ww_stack_input(h->st, rv_frame_port_unreach, sizeof rv_frame_port_unreach, 0);
	assert_int_equal(uctr(u, "udp.icmp_unmatched"), 1);
	ww_udp_free(u);
	/* With no UDP at all, the stack reports it itself, as before. */
	ww_stack_input(h->st, rv_frame_port_unreach, sizeof rv_frame_port_unreach, 0);
	assert_non_null(strstr(h_event(h, WW_EV_INFO, NULL)->text, "Port unreachable"));
	h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ephemeral_ports),
		cmocka_unit_test(test_unseeded_ports_differ),
		cmocka_unit_test(test_binding_rules),
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_demux),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_queue_limit),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_port_unreachable_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
