/* Hostile answers to a resolver awaiting a query, each with the right ID,
 * port, address and question, so that only the message itself is wrong:
 * compression pointer loops, pointers forward and past the end, a label
 * over 63 bytes, a name over 255 bytes, RDLENGTH past the end, counts
 * larger than the message. Each ends the lookup with an error that names
 * the problem and where it is; nothing of it is cached or used. In a walk,
 * the next server is asked instead. */
#include "resolver_harness.h"
#include "resolver_vectors.h"

/* The answer to Q: header (ID, QR RD RA, 1 question, ANCOUNT), the
 * question as asked, then BODY. Returns the length. */
static size_t hostile(uint8_t *m, const struct sent_q *q, uint16_t ancount, const uint8_t *body,
		      size_t n)
{
	ww_put16(m, q->id);
	ww_put16(m + 2, 0x8180);
	ww_put16(m + 4, 1);
	ww_put16(m + 6, ancount);
	ww_put16(m + 8, 0);
	ww_put16(m + 10, 0);
	memcpy(m + 12, q->q.qname.wire, q->q.qname.len);
	size_t at = 12 + q->q.qname.len;
	ww_put16(m + at, q->q.qtype);
	ww_put16(m + at + 2, q->q.qclass);
	memcpy(m + at + 4, body, n);
	return at + 4 + n;
}

/* A record's fixed part after its name: type A, class IN, TTL 300,
 * RDLENGTH, then 192.0.2.10. */
static size_t a_tail(uint8_t *p, uint16_t rdlen)
{
	static const uint8_t t[] = { 0, 1, 0, 1, 0, 0, 1, 0x2c };
	memcpy(p, t, sizeof t);
	ww_put16(p + 8, rdlen);
	const uint8_t a[4] = { 192, 0, 2, 10 };
	memcpy(p + 10, a, 4);
	return 14;
}

struct hostile_case {
	const char *what;
	const char *field;
	const char *text;
};

/* Ask www.example.com A, answer with BODY, expect MALFORMED naming FIELD
 * with TEXT in the error. */
static void expect_malformed(const uint8_t *body, size_t n, uint16_t ancount,
			     const struct hostile_case *c)
{
	struct res_h *h = rh_new();
	struct ww_resolve_req req = rh_req(h, "www.example.com", WW_DNS_A, WW_RESOLVE_STUB);
	req.use_cache = true;
	struct ww_lookup *l = rh_start(h, &req);
	struct sent_q q = rh_last(h);
	static uint8_t m[1024];
	size_t len = hostile(m, &q, ancount, body, n);
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, len);
	assert_true(ww_lookup_done(l));
	const struct ww_resolve_result *r = ww_lookup_result(l);
	if (r->status != WW_RESOLVE_MALFORMED || !strstr(r->error, c->text) ||
	    !strstr(r->error, c->field))
		fail_msg("%s: status %s, error \"%s\"; wanted \"%s\" and %s", c->what,
			 ww_resolve_status_name(r->status), r->error, c->text, c->field);
	assert_non_null(strstr(r->error, "malformed response from 203.0.113.53#53"));
	assert_int_equal(rh_ctr(h, "dns.malformed"), 1);
	const struct seen_event *ev = h_event(h->n, WW_EV_FRAME_DROPPED, "dns.malformed");
	assert_non_null(ev);
	assert_true(ev->had_frame);
	assert_int_equal(rh_ctr(h, "dns.responses"), 0);
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0);
	assert_int_equal(rh_open_sockets(h), 0);
	assert_int_equal(r->naddrs, 0);
	ww_lookup_free(l);
	rh_free(h);
}

static void test_pointer_loop(void **state)
{
	(void)state;
	/* The answer's name at offset 33: label "a", then a pointer back to
	 * its own start — followed, it would never end. */
	uint8_t b[32] = { 1, 'a', 0xc0, 33 };
	size_t n = 4 + a_tail(b + 4, 4);
	const struct hostile_case c = { "loop", "dns.resp.name",
					"DNS compression pointer to offset 33 does not point before "
					"offset 33 (forward pointer or loop)" };
	expect_malformed(b, n, 1, &c);
}

static void test_forward_pointer(void **state)
{
	(void)state;
	/* A pointer to offset 40, after itself (inside the record's own rdata). */
	uint8_t b[32] = { 0xc0, 40 };
	size_t n = 2 + a_tail(b + 2, 4);
	const struct hostile_case c = { "forward", "dns.resp.name",
					"DNS compression pointer to offset 40 does not point before "
					"offset 33" };
	expect_malformed(b, n, 1, &c);
}

static void test_pointer_past_end(void **state)
{
	(void)state;
	uint8_t b[32] = { 0xc0, 0xff };
	size_t n = 2 + a_tail(b + 2, 4);
	const struct hostile_case c = { "past the end", "dns.resp.name",
					"DNS compression pointer to offset 255 is past the end of the "
					"49-byte message" };
	expect_malformed(b, n, 1, &c);
}

static void test_label_over_63(void **state)
{
	(void)state;
	uint8_t b[128];
	b[0] = 64;
	memset(b + 1, 'x', 64);
	b[65] = 0;
	size_t n = 66 + a_tail(b + 66, 4);
	const struct hostile_case c = { "label > 63", "dns.resp.name",
					"DNS label length 64 > 63" };
	expect_malformed(b, n, 1, &c);
}

static void test_name_over_255(void **state)
{
	(void)state;
	uint8_t b[400];
	size_t n = 0;
	for (int i = 0; i < 5; i++) {
		b[n++] = 63;
		memset(b + n, 'a' + i, 63);
		n += 63;
	}
	b[n++] = 0;
	n += a_tail(b + n, 4);
	const struct hostile_case c = { "name > 255", "dns.resp.name",
					"DNS name longer than 255 bytes" };
	expect_malformed(b, n, 1, &c);
}

static void test_rdlength_past_end(void **state)
{
	(void)state;
	uint8_t b[32] = { 0xc0, 12 };
	size_t n = 2 + a_tail(b + 2, 100);
	const struct hostile_case c = { "rdlength", "dns.resp.len",
					"DNS RDLENGTH 100 > 4 bytes left in the message" };
	expect_malformed(b, n, 1, &c);
}

static void test_counts_past_end(void **state)
{
	(void)state;
	uint8_t b[32] = { 0xc0, 12 };
	size_t n = 2 + a_tail(b + 2, 4);
	const struct hostile_case c = { "counts", "dns.count.answers",
					"dns.count.answers is 5 but the message ends after 1 of them" };
	expect_malformed(b, n, 5, &c);
}

/* The question itself may be the hostile part: a pointer as its name. */
static void test_hostile_question(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_resolve_req req = rh_req(h, "www.example.com", WW_DNS_A, WW_RESOLVE_STUB);
	struct ww_lookup *l = rh_start(h, &req);
	struct sent_q q = rh_last(h);
	uint8_t m[64];
	ww_put16(m, q.id);
	ww_put16(m + 2, 0x8180);
	ww_put16(m + 4, 1);
	memset(m + 6, 0, 6);
	m[12] = 0xc0;
	m[13] = 12; /* the question's name points at itself */
	memset(m + 14, 0, 4);
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, 18);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_MALFORMED);
	assert_non_null(strstr(r->error, "dns.qry.name"));
	assert_non_null(strstr(r->error, "forward pointer or loop"));
	ww_lookup_free(l);
	rh_free(h);
}

/* With a wrong ID, hostile bytes are not even parsed: dropped as bad_id. */
static void test_hostile_wrong_id_dropped(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_resolve_req req = rh_req(h, "www.example.com", WW_DNS_A, WW_RESOLVE_STUB);
	struct ww_lookup *l = rh_start(h, &req);
	struct sent_q q = rh_last(h);
	uint8_t b[32] = { 0xc0, 0xff }, m[128];
	size_t n = hostile(m, &q, 1, b, 2 + a_tail(b + 2, 4));
	ww_put16(m, (uint16_t)(q.id + 1));
	rh_inject(h, RESOLVER_IP, 53, q.sport, m, n);
	assert_false(ww_lookup_done(l));
	assert_int_equal(rh_ctr(h, "dns.bad_id"), 1);
	assert_int_equal(rh_ctr(h, "dns.malformed"), 0);
	ww_lookup_free(l);
	rh_free(h);
}

/* In a walk, a server that answers garbage is passed over. */
static void test_hostile_server_in_walk(void **state)
{
	(void)state;
	struct ww_resolver_config cfg;
	rh_config(&cfg, 21);
	cfg.nroots = 2;
	cfg.roots[1].ip = IP4(198, 51, 100, 11);
	snprintf(cfg.roots[1].name, sizeof cfg.roots[1].name, "b.root-servers.net.");
	struct res_h *h = rh_new_cfg(&cfg);
	struct ww_resolve_req req = rh_req(h, "www.example.com", WW_DNS_A, WW_RESOLVE_ITERATIVE);
	struct ww_lookup *l = rh_start(h, &req);
	struct sent_q q = rh_last(h);
	uint8_t b[32] = { 0xc0, 0xff }, m[128];
	size_t n = hostile(m, &q, 1, b, 2 + a_tail(b + 2, 4));
	rh_inject(h, ROOT_IP, 53, q.sport, m, n);
	assert_false(ww_lookup_done(l));
	const struct seen_step *s = rh_find_step(h, WW_STEP_FAILED, 0);
	assert_non_null(s);
	assert_non_null(strstr(s->text, "past the end"));
	q = rh_last(h);
	assert_int_equal(q.dst, IP4(198, 51, 100, 11));
	/* That one is hostile too, another way (its counts lie): no server
	 * is left, and the lookup ends with the last error. */
	b[1] = 12;
	n = hostile(m, &q, 3, b, 2 + a_tail(b + 2, 4));
	rh_inject(h, IP4(198, 51, 100, 11), 53, q.sport, m, n);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_MALFORMED);
	assert_non_null(strstr(r->error, "dns.count.answers is 3"));
	ww_lookup_free(l);
	rh_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pointer_loop),
		cmocka_unit_test(test_forward_pointer),
		cmocka_unit_test(test_pointer_past_end),
		cmocka_unit_test(test_label_over_63),
		cmocka_unit_test(test_name_over_255),
		cmocka_unit_test(test_rdlength_past_end),
		cmocka_unit_test(test_counts_past_end),
		cmocka_unit_test(test_hostile_question),
		cmocka_unit_test(test_hostile_wrong_id_dropped),
		cmocka_unit_test(test_hostile_server_in_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
