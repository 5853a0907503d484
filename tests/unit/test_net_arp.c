/* ARP in the stack (RFC 826) on a fake link with a clock the test moves:
 * requests like the kernel's, replies resolving and releasing the
 * datagrams that waited, retries and failure, reachable → stale →
 * forgotten, answering for our address, gratuitous ARP both ways,
 * conflicts, flush, the queue's bound. */
#include "net_harness.h"
#include "net_frames.h"
#include "wire_frames.h"
#include "ww/arpcache.h"

static const uint8_t ZERO_MAC[6];

/* Datagrams in these tests carry protocol 253 (RFC 3692, for
 * experiments): the dissector shows it as data and nothing else. */
#define EXP_PROTO 253

/* Our request for the gateway: the kernel's request byte for byte (its
 * first 42 bytes), then the padding to 60 every sender adds. */
static void test_request_like_the_kernel(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	assert_int_equal(ww_stack_arp_resolve(h->st, GW_IP, 5 * SEC), 0);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(h->sent[0].len, 60);
	assert_memory_equal(h->sent[0].data, ww_frame_arp_request, sizeof ww_frame_arp_request);
	for (size_t i = 42; i < 60; i++)
		assert_int_equal(h->sent[0].data[i], 0);
	const struct ww_arp_entry *e = ww_stack_arp_entry(h->st, GW_IP);
	assert_non_null(e);
	assert_int_equal(e->state, WW_ARP_INCOMPLETE);
	assert_int_equal(e->tries, 1);
	assert_int_equal(e->requested_ns, 5 * SEC);
	assert_int_equal(ww_stack_next_deadline(h->st), 6 * SEC);
	assert_int_equal(h_ctr(h, "arp.requests_sent"), 1);
	/* Asking again while the request is out sends nothing more. */
	assert_int_equal(ww_stack_arp_resolve(h->st, GW_IP, 5 * SEC + 100 * MS), 0);
	assert_int_equal(h->nsent, 1);
	h_free(h);
}

/* A datagram for the internet waits for the gateway's MAC; the kernel's
 * reply releases it. */
static void test_reply_resolves_and_releases(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	uint8_t data[100] = { 1, 2, 3 };
	struct ww_ip_send p = { .dst = WEB_IP, .proto = EXP_PROTO };
	assert_int_equal(ww_stack_ip_send(h->st, &p, data, sizeof data, 1 * SEC), 0x1000);
	assert_int_equal(h->nsent, 1); /* the ARP request only */
	const struct ww_dissection *d = h_dissect_sent(h, 0);
	assert_int_equal(h_item(d, "arp.dst.proto_ipv4")->u, GW_IP);
	assert_int_equal(ww_stack_arp_entry(h->st, GW_IP)->nqueued, 1);

	ww_stack_input(h->st, ww_frame_arp_reply, sizeof ww_frame_arp_reply, 1 * SEC + 210000);
	const struct seen_event *ev = h_event(h, WW_EV_STATE, NULL);
	assert_non_null(ev);
	assert_string_equal(ev->text,
			    "192.168.1.1 is-at 02:00:00:00:01:01 (0.210 ms after the request)");
	assert_int_equal(h->nsent, 2);
	d = h_dissect_sent(h, 1);
	assert_memory_equal(h_item(d, "eth.dst")->p, GW_MAC, 6);
	assert_memory_equal(h_item(d, "eth.src")->p, OUR_MAC, 6);
	assert_int_equal(h_item(d, "ip.dst")->u, WEB_IP);
	assert_int_equal(h_item(d, "ip.src")->u, OUR_IP);
	assert_int_equal(h_item(d, "ip.id")->u, 0x1000);
	assert_int_equal(h_item(d, "ip.len")->u, 120);
	assert_int_equal(h_item(d, "ip.checksum")->check, WW_CHECK_GOOD);
	const struct ww_arp_entry *e = ww_stack_arp_entry(h->st, GW_IP);
	assert_int_equal(e->state, WW_ARP_REACHABLE);
	assert_int_equal(e->nqueued, 0);
	assert_int_equal(e->confirmed_ns, 1 * SEC + 210000);
	assert_int_equal(ww_stack_next_deadline(h->st), 1 * SEC + 210000 + WW_ARP_REACHABLE_NS);
	assert_int_equal(h_ctr(h, "arp.replies_received"), 1);
	/* Now known: the next datagram goes out at once. */
	assert_true(ww_stack_ip_send(h->st, &p, data, 10, 2 * SEC) >= 0);
	assert_int_equal(h->nsent, 3);
	h_free(h);
}

static void test_retries_then_failure(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	uint8_t data[8] = { 0 };
	struct ww_ip_send p = { .dst = PEER_IP, .proto = EXP_PROTO };
	assert_true(ww_stack_ip_send(h->st, &p, data, sizeof data, 0) >= 0);
	assert_true(ww_stack_ip_send(h->st, &p, data, sizeof data, 10 * MS) >= 0);
	assert_int_equal(h->nsent, 1);
	ww_stack_poll(h->st, 999 * MS);
	assert_int_equal(h->nsent, 1);
	ww_stack_poll(h->st, 1 * SEC);
	assert_int_equal(h->nsent, 2);
	assert_int_equal(h_ctr(h, "arp.retries"), 1);
	assert_int_equal(ww_stack_next_deadline(h->st), 2 * SEC);
	ww_stack_poll(h->st, 2 * SEC + 5 * MS);
	assert_int_equal(h->nsent, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct ww_dissection *d = h_dissect_sent(h, i);
		assert_int_equal(h_item(d, "arp.opcode")->u, WW_ARP_REQUEST);
		assert_int_equal(h_item(d, "arp.dst.proto_ipv4")->u, PEER_IP);
	}
	ww_stack_poll(h->st, 3 * SEC);
	ww_stack_poll(h->st, 3 * SEC + 5 * MS);
	assert_int_equal(h->nsent, 3); /* three requests, then it gives up */
	const struct seen_event *ev = h_event(h, WW_EV_ERROR, "arp.unresolved");
	assert_non_null(ev);
	assert_string_equal(ev->text, "no ARP reply from 192.168.1.7 after 3 requests");
	ev = h_event(h, WW_EV_FRAME_DROPPED, "arp.unresolved");
	assert_non_null(ev);
	assert_false(ev->had_frame);
	assert_non_null(strstr(ev->text, "2 datagrams dropped"));
	assert_int_equal(h_ctr(h, "arp.unresolved"), 2);
	assert_null(ww_stack_arp_entry(h->st, PEER_IP));
	assert_int_equal(ww_stack_next_deadline(h->st), UINT64_MAX);
	h_free(h);
}

static void test_reachable_stale_forgotten(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, GW_IP, GW_MAC, 0);
	h_clear_sent(h); /* our reply to its request */
	ww_stack_poll(h->st, WW_ARP_REACHABLE_NS - 1);
	assert_int_equal(ww_stack_arp_entry(h->st, GW_IP)->state, WW_ARP_REACHABLE);
	ww_stack_poll(h->st, WW_ARP_REACHABLE_NS);
	assert_int_equal(ww_stack_arp_entry(h->st, GW_IP)->state, WW_ARP_STALE);
	uint8_t m[6];
	assert_int_equal(ww_stack_arp_lookup(h->st, GW_IP, m), 0);

	/* Used while stale: the datagram goes at once, and a unicast request
	 * checks the gateway is still there — once per second at most. */
	uint8_t data[8] = { 0 };
	struct ww_ip_send p = { .dst = WEB_IP, .proto = EXP_PROTO };
	uint64_t t = WW_ARP_REACHABLE_NS + 1 * SEC;
	assert_true(ww_stack_ip_send(h->st, &p, data, sizeof data, t) >= 0);
	assert_true(ww_stack_ip_send(h->st, &p, data, sizeof data, t + 10 * MS) >= 0);
	assert_int_equal(h->nsent, 3);
	const struct ww_dissection *d = h_dissect_sent(h, 0);
	assert_int_equal(h_item(d, "arp.opcode")->u, WW_ARP_REQUEST);
	assert_memory_equal(h_item(d, "eth.dst")->p, GW_MAC, 6);
	d = h_dissect_sent(h, 1);
	assert_true(h_has_layer(d, "ip"));
	assert_memory_equal(h_item(d, "eth.dst")->p, GW_MAC, 6);
	assert_true(h_has_layer(h_dissect_sent(h, 2), "ip"));

	/* No answer: forgotten REACHABLE + STALE after the last confirmation. */
	ww_stack_poll(h->st, WW_ARP_REACHABLE_NS + WW_ARP_STALE_NS - 1);
	assert_non_null(ww_stack_arp_entry(h->st, GW_IP));
	ww_stack_poll(h->st, WW_ARP_REACHABLE_NS + WW_ARP_STALE_NS);
	assert_null(ww_stack_arp_entry(h->st, GW_IP));
	/* Polled only long after both deadlines: gone in one poll, and no
	 * deadline is left in the past. */
	h_learn(h, GW_IP, GW_MAC, 1000 * SEC);
	ww_stack_poll(h->st, 2000 * SEC);
	assert_null(ww_stack_arp_entry(h->st, GW_IP));
	assert_true(ww_stack_next_deadline(h->st) > 2000 * SEC);
	h_free(h);
}

/* The peer asks for us: the answer goes straight back, and the peer is
 * known from then on (RFC 826). */
static void test_answer_request_for_us(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	uint8_t f[60];
	build_arp(f, WW_ARP_REQUEST, BCAST_MAC, PEER_MAC, PEER_IP, ZERO_MAC, OUR_IP);
	ww_stack_input(h->st, f, sizeof f, 7 * SEC);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(h->sent[0].len, 60);
	const struct ww_dissection *d = h_dissect_sent(h, 0);
	assert_memory_equal(h_item(d, "eth.dst")->p, PEER_MAC, 6);
	assert_memory_equal(h_item(d, "eth.src")->p, OUR_MAC, 6);
	assert_int_equal(h_item(d, "eth.type")->u, WW_ETHERTYPE_ARP);
	assert_int_equal(h_item(d, "arp.opcode")->u, WW_ARP_REPLY);
	assert_memory_equal(h_item(d, "arp.src.hw_mac")->p, OUR_MAC, 6);
	assert_int_equal(h_item(d, "arp.src.proto_ipv4")->u, OUR_IP);
	assert_memory_equal(h_item(d, "arp.dst.hw_mac")->p, PEER_MAC, 6);
	assert_int_equal(h_item(d, "arp.dst.proto_ipv4")->u, PEER_IP);
	assert_true(h_has_layer(d, "eth") && !h_has_layer(d, "ip"));
	uint8_t m[6];
	assert_int_equal(ww_stack_arp_lookup(h->st, PEER_IP, m), 0);
	assert_memory_equal(m, PEER_MAC, 6);
	assert_int_equal(h_ctr(h, "arp.requests_received"), 1);
	assert_int_equal(h_ctr(h, "arp.replies_sent"), 1);
	/* A probe (RFC 5227: sender address 0) for our address is answered
	 * too, and teaches nothing. */
	build_arp(f, WW_ARP_REQUEST, BCAST_MAC, GW_MAC, 0, ZERO_MAC, OUR_IP);
	ww_stack_input(h->st, f, sizeof f, 8 * SEC);
	assert_int_equal(h->nsent, 2);
	d = h_dissect_sent(h, 1);
	assert_memory_equal(h_item(d, "eth.dst")->p, GW_MAC, 6);
	assert_int_equal(h_item(d, "arp.dst.proto_ipv4")->u, 0);
	assert_null(ww_stack_arp_entry(h->st, 0));
	h_free(h);
}

static void test_not_for_us(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	uint8_t f[60];
	/* The peer asks for the gateway: not ours to answer, and the peer is
	 * not added (RFC 826 adds only when the target is us)... */
	build_arp(f, WW_ARP_REQUEST, BCAST_MAC, PEER_MAC, PEER_IP, ZERO_MAC, GW_IP);
	ww_stack_input(h->st, f, sizeof f, 1 * SEC);
	assert_int_equal(h->nsent, 0);
	assert_null(ww_stack_arp_entry(h->st, PEER_IP));
	const struct seen_event *ev = h_event(h, WW_EV_FRAME_DROPPED, "arp.not_for_us");
	assert_non_null(ev);
	assert_true(ev->had_frame);
	assert_string_equal(ev->text, "request for 192.168.1.1, not our address 192.168.1.5");
	assert_int_equal(h_ctr(h, "arp.not_for_us"), 1);
	/* ...but a known sender is refreshed (RFC 826's merge). */
	h_learn(h, PEER_IP, PEER_MAC, 2 * SEC);
	ww_stack_input(h->st, f, sizeof f, 30 * SEC);
	assert_int_equal(ww_stack_arp_entry(h->st, PEER_IP)->confirmed_ns, 30 * SEC);
	assert_int_equal(h_ctr(h, "arp.not_for_us"), 2);
	h_free(h);
}

static void test_gratuitous_like_the_kernel(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	assert_int_equal(ww_stack_arp_announce(h->st, 0), 0);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(h->sent[0].len, 60);
	assert_memory_equal(h->sent[0].data, net_arp_announce, sizeof net_arp_announce);
	assert_int_equal(h_ctr(h, "arp.gratuitous_sent"), 1);
	h_free(h);
}

static void test_gratuitous_received(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	uint8_t f[60];
	const uint8_t NEW_MAC[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	/* Unknown sender: nothing learned (it was not talking to us). */
	build_arp(f, WW_ARP_REQUEST, BCAST_MAC, PEER_MAC, PEER_IP, ZERO_MAC, PEER_IP);
	ww_stack_input(h->st, f, sizeof f, 1 * SEC);
	assert_null(ww_stack_arp_entry(h->st, PEER_IP));
	assert_int_equal(h->nsent, 0);
	assert_int_equal(h_ctr(h, "arp.gratuitous_received"), 1);
	assert_int_equal(h_ctr(h, "arp.not_for_us"), 0);
	/* Known sender, new MAC: the cache follows, and says so. */
	h_learn(h, PEER_IP, PEER_MAC, 2 * SEC);
	build_arp(f, WW_ARP_REQUEST, BCAST_MAC, NEW_MAC, PEER_IP, ZERO_MAC, PEER_IP);
	ww_stack_input(h->st, f, sizeof f, 3 * SEC);
	uint8_t m[6];
	assert_int_equal(ww_stack_arp_lookup(h->st, PEER_IP, m), 0);
	assert_memory_equal(m, NEW_MAC, 6);
	const struct seen_event *ev = h_event(h, WW_EV_STATE, NULL);
	assert_string_equal(ev->text, "192.168.1.7 is-at 02:00:00:00:00:77 now (was 02:00:00:00:00:07)");
	h_free(h);
}

static void test_conflict(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	uint8_t f[60];
	build_arp(f, WW_ARP_REPLY, OUR_MAC, PEER_MAC, OUR_IP, OUR_MAC, OUR_IP);
	ww_stack_input(h->st, f, sizeof f, 1 * SEC);
	const struct seen_event *ev = h_event(h, WW_EV_ERROR, "arp.conflict");
	assert_non_null(ev);
	assert_string_equal(ev->text,
			    "address conflict: 02:00:00:00:00:07 says it has our address 192.168.1.5");
	assert_null(ww_stack_arp_entry(h->st, OUR_IP));
	assert_int_equal(h->nsent, 0);
	h_free(h);
}

static void test_flush_and_queue_bound(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	uint8_t data[64] = { 0 };
	struct ww_ip_send p = { .dst = PEER_IP, .proto = EXP_PROTO };
	for (int i = 0; i < WW_ARP_QUEUE_MAX; i++)
		assert_true(ww_stack_ip_send(h->st, &p, data, sizeof data, 0) >= 0);
	assert_int_equal(ww_stack_ip_send(h->st, &p, data, sizeof data, 0), -1);
	assert_int_equal(h_ctr(h, "arp.queue_full"), 1);
	const struct seen_event *ev = h_event(h, WW_EV_FRAME_DROPPED, "arp.queue_full");
	assert_non_null(ev);
	assert_false(ev->had_frame);
	h_learn(h, GW_IP, GW_MAC, 0);
	assert_int_equal(ww_stack_arp_flush(h->st, 1 * SEC), 2);
	assert_int_equal(h_ctr(h, "arp.flushed"), WW_ARP_QUEUE_MAX);
	assert_null(ww_stack_arp_entry(h->st, PEER_IP));
	assert_null(ww_stack_arp_entry(h->st, GW_IP));
	assert_int_equal(ww_stack_next_deadline(h->st), UINT64_MAX);
	h_free(h);
}

/* `arp who-has` on a known address: a broadcast request all the same,
 * and the reply's time is the round trip. */
static void test_request_known(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	h_learn(h, GW_IP, GW_MAC, 0);
	h_clear_sent(h);
	assert_int_equal(ww_stack_arp_request(h->st, GW_IP, 10 * SEC), 0);
	assert_int_equal(h->nsent, 1);
	assert_memory_equal(h->sent[0].data, ww_frame_arp_request, sizeof ww_frame_arp_request);
	const struct ww_arp_entry *e = ww_stack_arp_entry(h->st, GW_IP);
	assert_int_equal(e->state, WW_ARP_REACHABLE);
	assert_int_equal(e->requested_ns, 10 * SEC);
	ww_stack_input(h->st, ww_frame_arp_reply, sizeof ww_frame_arp_reply, 10 * SEC + 150000);
	assert_int_equal(e->confirmed_ns - e->requested_ns, 150000);
	h_free(h);
}

static void test_resolve_refusals(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	assert_int_equal(ww_stack_arp_resolve(h->st, WEB_IP, 0), -1);      /* off-link */
	assert_int_equal(ww_stack_arp_resolve(h->st, OUR_IP, 0), -1);      /* ourselves */
	assert_int_equal(ww_stack_arp_resolve(h->st, IP4(192, 168, 1, 255), 0), -1);
	assert_int_equal(h->nsent, 0);
	h_learn(h, GW_IP, GW_MAC, 0);
	assert_int_equal(ww_stack_arp_resolve(h->st, GW_IP, 0), 1);
	/* The link refuses: counted and reported. */
	h->refuse = true;
	assert_int_equal(ww_stack_arp_request(h->st, PEER_IP, 0), -1);
	assert_int_equal(h_ctr(h, "link.tx_error"), 1);
	assert_non_null(h_event(h, WW_EV_ERROR, "link.tx_error"));
	assert_int_equal(ww_stack_if_stats(h->st)->tx_errors, 1);
	h_free(h);
}

static void test_malformed(void **state)
{
	(void)state;
	struct net_h *h = h_new();
	/* The kernel's reply cut to 34 bytes: 20 of ARP's 28. */
	ww_stack_input(h->st, ww_frame_arp_reply, 34, 0);
	const struct seen_event *ev = h_event(h, WW_EV_FRAME_DROPPED, "arp.malformed");
	assert_non_null(ev);
	assert_true(ev->had_frame);
	uint8_t f[60];
	build_arp(f, 3, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP);
	ww_stack_input(h->st, f, sizeof f, 0);
	ev = h_event(h, WW_EV_FRAME_DROPPED, "arp.bad_op");
	assert_non_null(ev);
	assert_string_equal(ev->text, "ARP opcode 3");
	assert_int_equal(h->nsent, 0);
	assert_null(ww_stack_arp_entry(h->st, PEER_IP));
	h_free(h);
}

/* The cache alone: when full, the stale entry confirmed longest ago makes
 * room, then the oldest reachable; one resolving is never evicted. */
static void test_cache_eviction(void **state)
{
	(void)state;
	static struct ww_arp_cache c;
	ww_arp_cache_init(&c);
	for (uint32_t i = 0; i < WW_ARP_CACHE_MAX; i++) {
		struct ww_arp_entry *e = ww_arp_cache_get(&c, 100 + i, i);
		assert_non_null(e);
		ww_arp_cache_confirm(e, PEER_MAC, 1000 - i); /* the last confirmed longest ago */
	}
	ww_arp_cache_find(&c, 110)->state = WW_ARP_STALE;
	ww_arp_cache_find(&c, 120)->state = WW_ARP_STALE;
	assert_non_null(ww_arp_cache_get(&c, 1, 0));
	assert_null(ww_arp_cache_find(&c, 120)); /* the older stale one */
	assert_non_null(ww_arp_cache_find(&c, 110));
	assert_non_null(ww_arp_cache_get(&c, 2, 0));
	assert_null(ww_arp_cache_find(&c, 110));
	assert_non_null(ww_arp_cache_get(&c, 3, 0));
	assert_null(ww_arp_cache_find(&c, 100 + WW_ARP_CACHE_MAX - 1)); /* oldest reachable */
	/* Every slot resolving: no room. */
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++)
		c.e[i].state = WW_ARP_INCOMPLETE;
	assert_null(ww_arp_cache_get(&c, 4, 0));
	/* Queue bound in bytes as well as count. */
	struct ww_arp_entry *e = &c.e[0];
	static uint8_t big[WW_ARP_QUEUE_BYTES];
	assert_int_equal(ww_arp_cache_enqueue(e, big, sizeof big - 10, false), 0);
	assert_int_equal(ww_arp_cache_enqueue(e, big, 11, false), -1);
	assert_int_equal(ww_arp_cache_enqueue(e, big, 10, true), 0);
	assert_int_equal(ww_arp_cache_clear(&c), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_like_the_kernel),
		cmocka_unit_test(test_reply_resolves_and_releases),
		cmocka_unit_test(test_retries_then_failure),
		cmocka_unit_test(test_reachable_stale_forgotten),
		cmocka_unit_test(test_answer_request_for_us),
		cmocka_unit_test(test_not_for_us),
		cmocka_unit_test(test_gratuitous_like_the_kernel),
		cmocka_unit_test(test_gratuitous_received),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_flush_and_queue_bound),
		cmocka_unit_test(test_request_known),
		cmocka_unit_test(test_resolve_refusals),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_cache_eviction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
