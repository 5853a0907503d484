/* The stub resolver on a fake link with a clock the test moves: the query
 * it builds, unbound's real answers (dns.pcap) taken and cached, TTLs
 * counting down, every response that does not match dropped and counted,
 * retries with backoff, ICMP errors, TC=1 and the TCP hook, SERVFAIL,
 * REFUSED, NXDOMAIN and NODATA with their SOA. */
#include "resolver_harness.h"
#include "resolver_vectors.h"

#include <errno.h>

static struct ww_lookup *ask(struct res_h *h, const char *name, uint16_t type, bool cache)
{
	struct ww_resolve_req q = rh_req(h, name, type, WW_RESOLVE_STUB);
	q.use_cache = cache;
	return rh_start(h, &q);
}

/* ---- the query --------------------------------------------------------------- */

static void test_query_bytes(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = ask(h, "www.example.com", WW_DNS_A, true);
	assert_false(ww_lookup_done(l));
	assert_int_equal(h->n->nsent, 1);
	struct sent_q q = rh_last(h);
	assert_int_equal(q.dst, RESOLVER_IP);
	assert_int_equal(q.dport, 53);
	assert_true(q.sport >= WW_UDP_EPHEMERAL_LO);
	/* What `dig +noedns +noad` sends: RD, one question, nothing else. */
	assert_int_equal(q.flags, WW_DNS_RD);
	assert_int_equal(q.ancount + q.nscount + q.arcount, 0);
	assert_int_equal(q.q.qtype, WW_DNS_A);
	assert_int_equal(q.q.qclass, WW_DNS_CLASS_IN);
	assert_int_equal(q.len, 33);
	const struct seen_step *s = rh_find_step(h, WW_STEP_QUERY, 0);
	assert_non_null(s);
	assert_int_equal(s->id, q.id);
	assert_int_equal(s->sport, q.sport);
	assert_string_equal(s->qname, "www.example.com.");
	assert_int_equal(rh_open_sockets(h), 1);
	ww_lookup_free(l);
	assert_int_equal(rh_open_sockets(h), 0);
	rh_free(h);
}

/* Each query a new ID and a new port, unpredictable from the last. */
static void test_ids_and_ports_random(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	uint16_t ids[16], ports[16];
	unsigned same_id = 0, same_port = 0, steps = 0;
	for (int i = 0; i < 16; i++) {
		struct ww_lookup *l = ask(h, "example.com", WW_DNS_A, false);
		struct sent_q q = rh_last(h);
		ids[i] = q.id;
		ports[i] = q.sport;
		for (int k = 0; k < i; k++) {
			same_id += ids[k] == ids[i];
			same_port += ports[k] == ports[i];
		}
		if (i && (uint16_t)(ids[i] - ids[i - 1]) == 1)
			steps++;
		ww_lookup_free(l);
	}
	assert_true(same_id <= 1);
	assert_true(same_port <= 1);
	assert_int_equal(steps, 0);
	rh_free(h);
}

/* ---- an answer, and the cache ------------------------------------------------------ */

static void test_real_answer_and_cache(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = ask(h, "www.example.com", WW_DNS_A, true);
	struct sent_q q = rh_last(h);
	h->now += 2 * MS;
	rh_reply(h, &q, rv_recursive_www, sizeof rv_recursive_www);
	assert_true(ww_lookup_done(l));
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(r->rcode, WW_DNS_NOERROR);
	assert_false(r->from_cache);
	assert_int_equal(r->naddrs, 1);
	assert_int_equal(r->addrs[0], WEB_IP);
	assert_int_equal(r->ttl, 3600);
	assert_int_equal(r->rtt_ns, 2 * MS);
	assert_int_equal(r->server, RESOLVER_IP);
	assert_int_equal(r->queries, 1);
	struct ww_dns_name want;
	ww_dns_name_from_text(&want, "example.com", NULL);
	assert_true(ww_dns_name_eq(&r->canonical, &want));
	/* The message kept is the one that came. */
	assert_int_equal(r->msg_len, sizeof rv_recursive_www);
	assert_int_equal(rh_ctr(h, "dns.responses"), 1);
	assert_int_equal(rh_ctr(h, "dns.cache_stored"), 2); /* the CNAME, the A RRset */
	assert_int_equal(rh_open_sockets(h), 0);
	ww_lookup_free(l);

	/* 100 s later: from the cache, nothing sent, 100 s less TTL. */
	size_t sent = h->n->nsent;
	rh_advance(h, h->now + 100 * SEC);
	l = ask(h, "www.example.com", WW_DNS_A, true);
	assert_true(ww_lookup_done(l));
	r = ww_lookup_result(l);
	assert_true(r->from_cache);
	assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(r->addrs[0], WEB_IP);
	assert_int_equal(h->n->nsent, sent);
	const struct ww_dns_msg *m = rh_result_msg(l);
	assert_int_equal(m->nsec[WW_DNS_ANSWER], 2);
	assert_int_equal(m->rr[0].type, WW_DNS_CNAME);
	assert_int_equal(m->rr[0].ttl, 3500);
	assert_int_equal(m->rr[1].type, WW_DNS_A);
	assert_int_equal(m->rr[1].ttl, 3500);
	assert_non_null(rh_find_step(h, WW_STEP_CACHE, 0));
	assert_int_equal(rh_ctr(h, "dns.cache_hits"), 1);
	ww_lookup_free(l);

	/* The A RRset alone answers example.com too; CNAME asked for itself. */
	l = ask(h, "example.com", WW_DNS_A, true);
	assert_true(ww_lookup_result(l)->from_cache);
	ww_lookup_free(l);
	l = ask(h, "www.example.com", WW_DNS_CNAME, true);
	assert_true(ww_lookup_result(l)->from_cache);
	ww_lookup_free(l);
	/* Another type is not cached; nor is anything without use_cache. */
	l = ask(h, "www.example.com", WW_DNS_AAAA, true);
	assert_false(ww_lookup_done(l));
	ww_lookup_free(l);
	l = ask(h, "www.example.com", WW_DNS_A, false);
	assert_false(ww_lookup_done(l));
	ww_lookup_free(l);

	/* The cache as `dns cache` lists it: oldest first, seconds left. */
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 2);
	struct ww_cache_entry_view v;
	assert_int_equal(ww_resolver_cache_at(h->r, 0, h->now, &v), 0);
	assert_int_equal(v.type, WW_DNS_CNAME);
	assert_int_equal(v.ttl, 3600);
	assert_int_equal(v.ttl_left, 3500);
	assert_int_equal(v.server, RESOLVER_IP);
	assert_int_equal(ww_resolver_cache_at(h->r, 2, h->now, &v), -1);

	/* Once the TTL has run out the entries are gone: a query again. */
	rh_advance(h, h->now + 3500 * SEC);
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0);
	sent = h->n->nsent;
	l = ask(h, "www.example.com", WW_DNS_A, true);
	assert_false(ww_lookup_done(l));
	assert_int_equal(h->n->nsent, sent + 1);
	ww_lookup_free(l);
	rh_free(h);
}

static void test_flush(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = ask(h, "www.example.com", WW_DNS_A, true);
	struct sent_q q = rh_last(h);
	rh_reply(h, &q, rv_recursive_www, sizeof rv_recursive_www);
	ww_lookup_free(l);
	assert_int_equal(ww_resolver_cache_flush(h->r), 2);
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0);
	l = ask(h, "www.example.com", WW_DNS_A, true);
	assert_false(ww_lookup_done(l));
	ww_lookup_free(l);
	rh_free(h);
}

/* ---- what does not match is dropped, counted, never used ----------------------------- */

static void test_mismatches_dropped(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = ask(h, "www.example.com", WW_DNS_A, true);
	struct sent_q q = rh_last(h);
	uint8_t m[sizeof rv_recursive_www];

	/* Another ID. */
	memcpy(m, rv_recursive_www, sizeof m);
	ww_put16(m, (uint16_t)(q.id ^ 0x0101));
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, sizeof m);
	assert_int_equal(rh_ctr(h, "dns.bad_id"), 1);
	const struct seen_event *ev = h_event(h->n, WW_EV_FRAME_DROPPED, "dns.bad_id");
	assert_non_null(ev);
	assert_true(ev->had_frame);
	assert_non_null(strstr(ev->text, "never used"));

	/* The right ID from another address, or to another port. */
	ww_put16(m, q.id);
	rh_inject(h, ROOT_IP, 53, q.sport, m, sizeof m);
	assert_int_equal(rh_ctr(h, "udp.wrong_peer"), 1);
	rh_inject(h, RESOLVER_IP, 5353, q.sport, m, sizeof m);
	assert_int_equal(rh_ctr(h, "udp.wrong_peer"), 2);
	rh_inject(h, RESOLVER_IP, 53, (uint16_t)(q.sport ^ 1), m, sizeof m);
	assert_int_equal(rh_ctr(h, "udp.no_socket"), 1);

	/* Another question: www.example.con, AAAA, class CH. */
	m[12 + 1 + 3 + 1 + 7 + 1 + 2] = 'n';
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, sizeof m);
	m[12 + 1 + 3 + 1 + 7 + 1 + 2] = 'm';
	ww_put16(m + 29, WW_DNS_AAAA);
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, sizeof m);
	ww_put16(m + 29, WW_DNS_A);
	ww_put16(m + 31, WW_DNS_CLASS_CH);
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, sizeof m);
	ww_put16(m + 31, WW_DNS_CLASS_IN);
	assert_int_equal(rh_ctr(h, "dns.bad_question"), 3);
	assert_non_null(strstr(h_event(h->n, WW_EV_FRAME_DROPPED, "dns.bad_question")->text,
			       "www.example.com. A"));

	/* A query (QR=0) to our port; a message shorter than a header. */
	ww_put16(m + 2, 0x0100);
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, sizeof m);
	assert_int_equal(rh_ctr(h, "dns.not_response"), 1);
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, 11);
	assert_int_equal(rh_ctr(h, "dns.short"), 1);

	/* Nothing of it was used: still waiting, and the real one is taken. */
	assert_false(ww_lookup_done(l));
	assert_int_equal(rh_ctr(h, "dns.responses"), 0);
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0);
	rh_reply(h, &q, rv_recursive_www, sizeof rv_recursive_www);
	assert_true(ww_lookup_done(l));
	assert_int_equal(ww_lookup_result(l)->status, WW_RESOLVE_ANSWERED);
	/* A second copy afterwards finds the socket closed. */
	rh_reply(h, &q, rv_recursive_www, sizeof rv_recursive_www);
	assert_int_equal(rh_ctr(h, "udp.no_socket"), 2);
	ww_lookup_free(l);
	rh_free(h);
}

/* ---- no answer: retries with backoff, then a timeout ----------------------------------- */

static void test_retries_backoff(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	uint64_t t0 = h->now;
	struct ww_lookup *l = ask(h, "www.example.com", WW_DNS_A, true);
	struct sent_q first = rh_last(h);
	assert_int_equal(ww_resolver_next_deadline(h->r), t0 + SEC);
	rh_advance(h, t0 + SEC - 1);
	assert_int_equal(h->n->nsent, 1);
	rh_advance(h, t0 + SEC);
	assert_int_equal(h->n->nsent, 2);
	/* The same query again: same ID, same port. */
	struct sent_q again = rh_last(h);
	assert_int_equal(again.id, first.id);
	assert_int_equal(again.sport, first.sport);
	assert_int_equal(ww_resolver_next_deadline(h->r), t0 + 3 * SEC);
	const struct seen_step *s = rh_find_step(h, WW_STEP_RETRY, 0);
	assert_int_equal(s->attempt, 2);
	assert_non_null(strstr(s->text, "in 1.0 s"));
	assert_non_null(strstr(s->text, "waiting 2.0 s"));
	rh_advance(h, t0 + 3 * SEC - 1);
	assert_int_equal(h->n->nsent, 2);
	rh_advance(h, t0 + 3 * SEC);
	assert_int_equal(h->n->nsent, 3);
	assert_int_equal(ww_resolver_next_deadline(h->r), t0 + 7 * SEC);
	rh_advance(h, t0 + 7 * SEC);
	assert_true(ww_lookup_done(l));
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_TIMEOUT);
	assert_string_equal(r->error, "no answer from 203.0.113.53#53 after 3 tries");
	assert_int_equal(r->queries, 3);
	assert_int_equal(h->n->nsent, 3);
	assert_int_equal(rh_ctr(h, "dns.retries"), 2);
	assert_int_equal(rh_ctr(h, "dns.timeouts"), 1);
	assert_int_equal(ww_resolver_next_deadline(h->r), UINT64_MAX);
	assert_int_equal(rh_open_sockets(h), 0);
	ww_lookup_free(l);
	rh_free(h);
}

/* A late answer to the first send still counts after a retry. */
static void test_answer_after_retry(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = ask(h, "www.example.com", WW_DNS_A, true);
	struct sent_q q = rh_last(h);
	rh_advance(h, h->now + SEC);
	h->now += 100 * MS;
	rh_reply(h, &q, rv_recursive_www, sizeof rv_recursive_www);
	assert_int_equal(ww_lookup_result(l)->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(ww_lookup_result(l)->rtt_ns, 100 * MS); /* since the last send */
	ww_lookup_free(l);
	rh_free(h);
}

/* ---- ICMP: nothing listens on the server's port -------------------------------------------- */

static void test_port_unreachable(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = ask(h, "www.example.com", WW_DNS_A, true);
	/* The server's kernel quotes our datagram's IPv4 header and the
	 * first 8 bytes after it, as RFC 792 asks. */
	const uint8_t *dgram = h->n->sent[0].data + WW_ETH_HLEN;
	uint8_t icmp[8 + 28];
	struct ww_icmp ih = { .type = WW_ICMP_DEST_UNREACH, .code = WW_ICMP_PORT_UNREACH };
	build_icmp(icmp, &ih, dgram, 28);
	static uint8_t f[200];
	struct ww_ipv4 ip = ip_hdr(RESOLVER_IP, OUR_IP, WW_IPPROTO_ICMP, 9);
	size_t n = build_ip(f, sizeof f, GW_MAC, &ip, icmp, sizeof icmp);
	ww_stack_input(h->n->st, f, n, h->now);
	assert_true(ww_lookup_done(l));
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_UNREACHABLE);
	assert_string_equal(r->error, "no DNS from 203.0.113.53#53: connection refused (ICMP Port "
				      "unreachable from 203.0.113.53)");
	assert_int_equal(rh_ctr(h, "dns.icmp_errors"), 1);
	assert_int_equal(ww_resolver_next_deadline(h->r), UINT64_MAX);
	ww_lookup_free(l);
	rh_free(h);
}

/* ---- TC=1 ------------------------------------------------------------------------------- */

struct tcp_seen {
	int calls, cancels;
	struct ww_lookup *l, *cancelled;
	uint32_t server;
	uint8_t query[512];
	size_t len;
};

static int fake_tcp(void *arg, struct ww_lookup *l, uint32_t server, uint16_t port,
		    const uint8_t *msg, size_t len, uint64_t now)
{
	(void)now;
	struct tcp_seen *t = arg;
	assert_int_equal(port, 53);
	t->calls++;
	t->l = l;
	t->server = server;
	memcpy(t->query, msg, len);
	t->len = len;
	return 0;
}

static void fake_tcp_cancel(void *arg, struct ww_lookup *l)
{
	struct tcp_seen *t = arg;
	t->cancels++;
	t->cancelled = l;
}

static void test_truncated(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	uint8_t m[sizeof rv_recursive_www];
	memcpy(m, rv_recursive_www, sizeof m);
	m[2] |= WW_DNS_TC >> 8;

	struct ww_lookup *l = ask(h, "www.example.com", WW_DNS_A, true);
	struct sent_q q = rh_last(h);
	rh_reply(h, &q, m, sizeof m);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_TRUNCATED);
	assert_non_null(strstr(r->error, "TC=1"));
	assert_non_null(strstr(r->error, "TCP"));
	assert_non_null(r->msg); /* what came is kept, to be shown */
	assert_int_equal(rh_ctr(h, "dns.truncated"), 1);
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0); /* a cut answer is not kept */
	ww_lookup_free(l);

	/* With the hook, the query goes to TCP and the answer comes back. */
	struct tcp_seen t = { 0 };
	struct ww_resolver_tcp_hook hook = { .query = fake_tcp, .cancel = fake_tcp_cancel, .arg = &t };
	ww_resolver_set_tcp(h->r, &hook);
	l = ask(h, "www.example.com", WW_DNS_A, true);
	q = rh_last(h);
	rh_reply(h, &q, m, sizeof m);
	assert_int_equal(t.calls, 1);
	assert_ptr_equal(t.l, l);
	assert_int_equal(t.server, RESOLVER_IP);
	assert_int_equal(t.len, q.len);
	assert_int_equal(ww_get16(t.query), q.id);
	assert_false(ww_lookup_done(l));
	assert_int_equal(rh_open_sockets(h), 0);
	uint8_t full[sizeof rv_recursive_www];
	memcpy(full, rv_recursive_www, sizeof full);
	ww_put16(full, q.id);
	ww_resolver_tcp_answer(l, full, sizeof full, h->now);
	assert_int_equal(ww_lookup_result(l)->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(ww_lookup_result(l)->addrs[0], WEB_IP);
	ww_lookup_free(l);

	/* The TCP exchange failing ends the lookup as truncated, with what
	 * came over UDP as its answer and the reason. */
	l = ask(h, "www.example.com", WW_DNS_AAAA, true);
	q = rh_last(h);
	ww_put16(m + 29, WW_DNS_AAAA);
	rh_reply(h, &q, m, sizeof m);
	ww_resolver_tcp_answer(l, NULL, 0, h->now);
	assert_int_equal(ww_lookup_result(l)->status, WW_RESOLVE_TRUNCATED);
	assert_int_equal(ww_lookup_result(l)->msg_len, sizeof m);
	assert_non_null(strstr(ww_lookup_result(l)->error, "asking again with DNS over TCP (RFC 7766) failed"));
	ww_lookup_free(l);

	/* A lookup freed while it waits for TCP tells the hook to forget it,
	 * once. (Taking an answer ends the wait the same way: a hook lets go
	 * of its exchange before it hands the answer over.) */
	int cancels = t.cancels;
	l = ask(h, "www.example.com", WW_DNS_A, false);
	q = rh_last(h);
	ww_put16(m + 29, WW_DNS_A);
	rh_reply(h, &q, m, sizeof m);
	assert_ptr_equal(t.l, l);
	ww_lookup_free(l);
	assert_int_equal(t.cancels, cancels + 1);
	assert_ptr_equal(t.cancelled, l);
	rh_free(h);
}

/* ---- error codes and negative answers ---------------------------------------------------- */

static void test_servfail_refused(void **state)
{
	(void)state;
	static struct ww_dns_msg m;
	struct res_h *h = rh_new();
	const unsigned codes[] = { WW_DNS_SERVFAIL, WW_DNS_REFUSED };
	for (int i = 0; i < 2; i++) {
		struct ww_lookup *l = ask(h, "example.com", WW_DNS_A, true);
		struct sent_q q = rh_last(h);
		rh_msg_for(&m, &q, (uint16_t)(WW_DNS_RD | WW_DNS_RA | codes[i]));
		rh_send_msg(h, &q, &m);
		const struct ww_resolve_result *r = ww_lookup_result(l);
		assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
		assert_int_equal(r->rcode, codes[i]);
		assert_int_equal(r->naddrs, 0);
		ww_lookup_free(l);
	}
	assert_int_equal(rh_ctr(h, "dns.rcode_errors"), 2);
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0);
	/* FORMERR may come without the question. */
	struct ww_lookup *l = ask(h, "example.com", WW_DNS_A, true);
	struct sent_q q = rh_last(h);
	ww_dns_msg_init(&m, q.id, WW_DNS_QR | WW_DNS_FORMERR);
	rh_send_msg(h, &q, &m);
	assert_int_equal(ww_lookup_result(l)->rcode, WW_DNS_FORMERR);
	ww_lookup_free(l);
	rh_free(h);
}

static void test_nxdomain_cached_by_soa(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = ask(h, "nosuchname.example.com", WW_DNS_A, true);
	struct sent_q q = rh_last(h);
	rh_reply(h, &q, rv_recursive_nx, sizeof rv_recursive_nx);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(r->rcode, WW_DNS_NXDOMAIN);
	assert_int_equal(r->ttl, 3600);
	ww_lookup_free(l);
	struct ww_cache_entry_view v;
	assert_int_equal(ww_resolver_cache_at(h->r, 0, h->now, &v), 0);
	assert_int_equal(v.kind, WW_CACHE_NXDOMAIN);
	assert_non_null(v.soa);

	/* Every type of the name: NXDOMAIN from the cache, with the SOA. */
	size_t sent = h->n->nsent;
	rh_advance(h, h->now + 60 * SEC);
	l = ask(h, "nosuchname.example.com", WW_DNS_MX, true);
	assert_true(ww_lookup_done(l));
	r = ww_lookup_result(l);
	assert_true(r->from_cache);
	assert_int_equal(r->rcode, WW_DNS_NXDOMAIN);
	const struct ww_dns_msg *m = rh_result_msg(l);
	assert_int_equal(m->nsec[WW_DNS_ANSWER], 0);
	assert_int_equal(m->nsec[WW_DNS_AUTHORITY], 1);
	assert_int_equal(m->rr[0].type, WW_DNS_SOA);
	assert_int_equal(m->rr[0].ttl, 3540);
	assert_int_equal(rh_ctr(h, "dns.cache_negative_hits"), 1);
	assert_int_equal(h->n->nsent, sent);
	ww_lookup_free(l);
	rh_free(h);
}

/* RFC 2308 §5: the smaller of the SOA's TTL and its MINIMUM. */
static void test_negative_ttl_rules(void **state)
{
	(void)state;
	static struct ww_dns_msg m;
	struct res_h *h = rh_new();
	/* NODATA: example.com has no TXT here; SOA TTL 900, MINIMUM 60. */
	struct ww_lookup *l = ask(h, "example.com", WW_DNS_TXT, true);
	struct sent_q q = rh_last(h);
	rh_msg_for(&m, &q, WW_DNS_RD | WW_DNS_RA);
	rh_add_soa(&m, "example.com", 900, 60);
	rh_send_msg(h, &q, &m);
	assert_int_equal(ww_lookup_result(l)->ttl, 60);
	ww_lookup_free(l);
	struct ww_cache_entry_view v;
	assert_int_equal(ww_resolver_cache_at(h->r, 0, h->now, &v), 0);
	assert_int_equal(v.kind, WW_CACHE_NODATA);
	assert_int_equal(v.type, WW_DNS_TXT);
	assert_int_equal(v.ttl, 60);
	/* NODATA is for that type only. */
	l = ask(h, "example.com", WW_DNS_A, true);
	assert_false(ww_lookup_done(l));
	ww_lookup_free(l);
	l = ask(h, "example.com", WW_DNS_TXT, true);
	assert_true(ww_lookup_result(l)->from_cache);
	ww_lookup_free(l);
	rh_advance(h, h->now + 61 * SEC);
	l = ask(h, "example.com", WW_DNS_TXT, true);
	assert_false(ww_lookup_done(l));
	ww_lookup_free(l);

	/* Without an SOA a negative answer is not cached at all. */
	l = ask(h, "gone.example.com", WW_DNS_A, true);
	q = rh_last(h);
	rh_msg_for(&m, &q, WW_DNS_RD | WW_DNS_RA | WW_DNS_NXDOMAIN);
	rh_send_msg(h, &q, &m);
	assert_int_equal(ww_lookup_result(l)->rcode, WW_DNS_NXDOMAIN);
	ww_lookup_free(l);
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0);

	/* TTL 0: this answer only; TTL >= 2^31: 0 too (RFC 2181 §8). */
	const uint32_t ttls[] = { 0, 0x80000000u };
	for (int i = 0; i < 2; i++) {
		l = ask(h, "zero.example.com", WW_DNS_A, true);
		q = rh_last(h);
		rh_msg_for(&m, &q, WW_DNS_RD | WW_DNS_RA);
		rh_add_a(&m, WW_DNS_ANSWER, "zero.example.com", ttls[i], WEB_IP);
		rh_send_msg(h, &q, &m);
		assert_int_equal(ww_lookup_result(l)->addrs[0], WEB_IP);
		assert_int_equal(ww_lookup_result(l)->ttl, 0);
		ww_lookup_free(l);
		assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0);
	}
	rh_free(h);
}

/* A name that turns up in a later answer (at the end of a CNAME chain)
 * is no longer NXDOMAIN in the cache. */
static void test_positive_replaces_negative(void **state)
{
	(void)state;
	static struct ww_dns_msg m;
	struct res_h *h = rh_new();
	struct ww_lookup *l = ask(h, "new.example.com", WW_DNS_A, true);
	struct sent_q q = rh_last(h);
	rh_msg_for(&m, &q, WW_DNS_RD | WW_DNS_RA | WW_DNS_NXDOMAIN);
	rh_add_soa(&m, "example.com", 300, 300);
	rh_send_msg(h, &q, &m);
	ww_lookup_free(l);
	l = ask(h, "alias.example.com", WW_DNS_A, true);
	q = rh_last(h);
	rh_msg_for(&m, &q, WW_DNS_RD | WW_DNS_RA);
	rh_add_name(&m, WW_DNS_ANSWER, "alias.example.com", WW_DNS_CNAME, 300, "new.example.com");
	rh_add_a(&m, WW_DNS_ANSWER, "new.example.com", 300, WEB_IP);
	rh_send_msg(h, &q, &m);
	ww_lookup_free(l);
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 2);
	l = ask(h, "new.example.com", WW_DNS_A, true);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_true(r->from_cache);
	assert_int_equal(r->rcode, WW_DNS_NOERROR);
	assert_int_equal(r->addrs[0], WEB_IP);
	ww_lookup_free(l);
	rh_free(h);
}

static void test_requests_refused(void **state)
{
	(void)state;
	struct ww_resolver_config cfg;
	rh_config(&cfg, 1);
	cfg.server = 0;
	cfg.nroots = 0;
	struct res_h *h = rh_new_cfg(&cfg);
	char err[128];
	struct ww_resolve_req q = rh_req(h, "example.com", WW_DNS_A, WW_RESOLVE_STUB);
	assert_null(ww_resolver_start(h->r, &q, h->now, err, sizeof err));
	assert_string_equal(err, "no resolver is configured: name one with @SERVER");
	q.mode = WW_RESOLVE_ITERATIVE;
	assert_null(ww_resolver_start(h->r, &q, h->now, err, sizeof err));
	assert_non_null(strstr(err, "root hints"));
	/* @SERVER with no configured resolver works. */
	q.mode = WW_RESOLVE_STUB;
	q.server = AUTH_IP;
	q.no_rd = true;
	struct ww_lookup *l = rh_start(h, &q);
	struct sent_q s = rh_last(h);
	assert_int_equal(s.dst, AUTH_IP);
	assert_int_equal(s.flags & WW_DNS_RD, 0);
	ww_lookup_free(l);
	/* Limits beyond the storage are refused. */
	rh_config(&cfg, 1);
	cfg.max_depth = WW_RES_MAX_DEPTH_LIMIT + 1;
	assert_null(ww_resolver_new(h->udp, &cfg, NULL, NULL));
	rh_free(h);
}

static void test_reverse_name(void **state)
{
	(void)state;
	struct ww_dns_name n;
	char text[WW_DNS_TEXT_MAX];
	ww_dns_reverse_name(WEB_IP, &n);
	ww_dns_name_text(&n, WW_DNS_NAME_FQDN, text, sizeof text);
	assert_string_equal(text, "10.2.0.192.in-addr.arpa.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_bytes),
		cmocka_unit_test(test_ids_and_ports_random),
		cmocka_unit_test(test_real_answer_and_cache),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_mismatches_dropped),
		cmocka_unit_test(test_retries_backoff),
		cmocka_unit_test(test_answer_after_retry),
		cmocka_unit_test(test_port_unreachable),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_servfail_refused),
		cmocka_unit_test(test_nxdomain_cached_by_soa),
		cmocka_unit_test(test_negative_ttl_rules),
		cmocka_unit_test(test_positive_replaces_negative),
		cmocka_unit_test(test_requests_refused),
		cmocka_unit_test(test_reverse_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
