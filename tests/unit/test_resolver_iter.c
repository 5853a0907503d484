/* The iterative walk on a fake link: the lab's real referrals and answer
 * (dns.pcap: root, com., ns1.example.com) give exactly three queries with
 * RD=0 and the CNAME + A answer; then, built with the DNS emitter, what
 * the lab does not show: a name server without glue looked up first, glue
 * from outside the referring server's zone ignored, a CNAME into another
 * zone followed from the root, lame servers and timeouts passed over, and
 * every limit (CNAMEs, referrals, depth, queries) ending the lookup with
 * an error that names it. */
#include "resolver_harness.h"
#include "resolver_vectors.h"

#define ORG_IP IP4(198, 51, 100, 4)
#define OTHER_NS_IP IP4(198, 51, 100, 5)
#define NET_AUTH_IP IP4(198, 51, 100, 6)
#define ROOT2_IP IP4(198, 51, 100, 11)

static struct ww_dns_msg M;

static struct ww_lookup *walk(struct res_h *h, const char *name, uint16_t type)
{
	struct ww_resolve_req q = rh_req(h, name, type, WW_RESOLVE_ITERATIVE);
	return rh_start(h, &q);
}

/* The last query: to DST, about NAME, RD clear. */
static struct sent_q expect_query(struct res_h *h, uint32_t dst, const char *name)
{
	struct sent_q q = rh_last(h);
	char text[WW_DNS_TEXT_MAX];
	ww_dns_name_text(&q.q.qname, WW_DNS_NAME_FQDN, text, sizeof text);
	assert_string_equal(text, name);
	assert_int_equal(q.dst, dst);
	assert_int_equal(q.flags & WW_DNS_RD, 0);
	return q;
}

/* A referral for Q: ZONE NS NS, with glue GLUE_IP for GLUE_NAME (none
 * when GLUE_NAME is NULL). */
static void referral(struct res_h *h, const struct sent_q *q, const char *zone, const char *ns,
		     const char *glue_name, uint32_t glue_ip)
{
	rh_msg_for(&M, q, 0);
	rh_add_name(&M, WW_DNS_AUTHORITY, zone, WW_DNS_NS, 172800, ns);
	if (glue_name)
		rh_add_a(&M, WW_DNS_ADDITIONAL, glue_name, 172800, glue_ip);
	rh_send_msg(h, q, &M);
}

static void answer_a(struct res_h *h, const struct sent_q *q, const char *name, uint32_t ip)
{
	rh_msg_for(&M, q, WW_DNS_AA);
	rh_add_a(&M, WW_DNS_ANSWER, name, 300, ip);
	rh_send_msg(h, q, &M);
}

/* ---- the lab's walk, from real messages ---------------------------------------- */

static void test_real_walk(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = walk(h, "www.example.com", WW_DNS_A);
	struct sent_q q = expect_query(h, ROOT_IP, "www.example.com.");
	rh_reply(h, &q, rv_root_referral, sizeof rv_root_referral);
	q = expect_query(h, TLD_IP, "www.example.com.");
	rh_reply(h, &q, rv_com_referral, sizeof rv_com_referral);
	q = expect_query(h, AUTH_IP, "www.example.com.");
	rh_reply(h, &q, rv_auth_answer, sizeof rv_auth_answer);
	assert_true(ww_lookup_done(l));
	assert_int_equal(h->n->nsent, 3);

	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(r->queries, 3);
	assert_true(r->authoritative);
	assert_int_equal(r->server, AUTH_IP);
	assert_int_equal(r->naddrs, 1);
	assert_int_equal(r->addrs[0], WEB_IP);
	/* The answer: the question, the CNAME and the A it names. */
	const struct ww_dns_msg *m = rh_result_msg(l);
	assert_int_equal(m->nq, 1);
	assert_int_equal(m->nsec[WW_DNS_ANSWER], 2);
	assert_int_equal(m->nsec[WW_DNS_AUTHORITY], 0);
	assert_int_equal(m->rr[0].type, WW_DNS_CNAME);
	assert_int_equal(m->rr[1].type, WW_DNS_A);
	assert_int_equal(m->rr[1].rd.a, WEB_IP);

	/* Steps: three queries, each RD=0, and two referrals. */
	assert_int_equal(rh_count_steps(h, WW_STEP_QUERY), 3);
	assert_int_equal(rh_count_steps(h, WW_STEP_REFERRAL), 2);
	assert_string_equal(rh_find_step(h, WW_STEP_REFERRAL, 0)->zone, "com.");
	assert_string_equal(rh_find_step(h, WW_STEP_REFERRAL, 0)->text,
			    "referral: com. is served by 1 name server: a.gtld-servers.net. "
			    "(198.51.100.2)");
	assert_string_equal(rh_find_step(h, WW_STEP_REFERRAL, 1)->zone, "example.com.");
	for (unsigned i = 0; i < 3; i++)
		assert_false(rh_find_step(h, WW_STEP_QUERY, i)->rd);
	assert_string_equal(rh_find_step(h, WW_STEP_QUERY, 0)->why,
			    "a root server, from the root hints");
	assert_string_equal(rh_find_step(h, WW_STEP_QUERY, 1)->why,
			    "its address came with the referral (glue)");
	/* A walk never touches the cache. */
	assert_int_equal(ww_resolver_cache_count(h->r, h->now), 0);
	assert_int_equal(rh_ctr(h, "dns.referrals"), 2);
	ww_lookup_free(l);
	rh_free(h);
}

/* ---- name servers without glue ---------------------------------------------------- */

static void test_ns_without_glue(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = walk(h, "www.example.net", WW_DNS_A);
	struct sent_q q = expect_query(h, ROOT_IP, "www.example.net.");
	referral(h, &q, "net", "a.gtld-servers.net", "a.gtld-servers.net", TLD_IP);
	q = expect_query(h, TLD_IP, "www.example.net.");
	/* Its only server lives under org.: no glue can come for it. */
	referral(h, &q, "example.net", "ns.example.org", NULL, 0);
	const struct seen_step *s = rh_find_step(h, WW_STEP_NS_LOOKUP, 0);
	assert_non_null(s);
	assert_string_equal(s->qname, "ns.example.org.");
	/* A walk of its own, one level deeper, from the root. */
	q = expect_query(h, ROOT_IP, "ns.example.org.");
	assert_int_equal(rh_find_step(h, WW_STEP_QUERY, 2)->depth, 1);
	referral(h, &q, "org", "a0.org-servers.org", "a0.org-servers.org", ORG_IP);
	q = expect_query(h, ORG_IP, "ns.example.org.");
	answer_a(h, &q, "ns.example.org", OTHER_NS_IP);
	s = rh_find_step(h, WW_STEP_NS_FOUND, 0);
	assert_int_equal(s->server, OTHER_NS_IP);
	assert_string_equal(s->text, "the name server ns.example.org. is at 198.51.100.5");
	/* Back to the first name, at the address found. */
	q = expect_query(h, OTHER_NS_IP, "www.example.net.");
	assert_int_equal(rh_find_step(h, WW_STEP_QUERY, 4)->depth, 0);
	answer_a(h, &q, "www.example.net", IP4(192, 0, 2, 20));
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(r->addrs[0], IP4(192, 0, 2, 20));
	assert_int_equal(r->queries, 5);
	assert_int_equal(rh_ctr(h, "dns.ns_lookups"), 1);
	ww_lookup_free(l);
	rh_free(h);
}

/* The com. server may not vouch for an address under net.: that glue is
 * ignored and the name looked up, from the root. */
static void test_out_of_bailiwick_glue(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = walk(h, "www.example.com", WW_DNS_A);
	struct sent_q q = expect_query(h, ROOT_IP, "www.example.com.");
	referral(h, &q, "com", "a.gtld-servers.net", "a.gtld-servers.net", TLD_IP);
	q = expect_query(h, TLD_IP, "www.example.com.");
	referral(h, &q, "example.com", "ns.evil.net", "ns.evil.net", IP4(203, 0, 113, 66));
	assert_non_null(strstr(rh_find_step(h, WW_STEP_REFERRAL, 1)->text,
			       "ns.evil.net. (no glue)"));
	q = expect_query(h, ROOT_IP, "ns.evil.net.");
	assert_non_null(rh_find_step(h, WW_STEP_NS_LOOKUP, 0));
	ww_lookup_free(l);
	rh_free(h);
}

/* ---- CNAMEs ------------------------------------------------------------------------- */

static void test_cname_into_another_zone(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = walk(h, "www.example.com", WW_DNS_A);
	struct sent_q q = expect_query(h, ROOT_IP, "www.example.com.");
	rh_reply(h, &q, rv_root_referral, sizeof rv_root_referral);
	q = expect_query(h, TLD_IP, "www.example.com.");
	rh_reply(h, &q, rv_com_referral, sizeof rv_com_referral);
	q = expect_query(h, AUTH_IP, "www.example.com.");
	rh_msg_for(&M, &q, WW_DNS_AA);
	rh_add_name(&M, WW_DNS_ANSWER, "www.example.com", WW_DNS_CNAME, 300, "web.example.net");
	rh_send_msg(h, &q, &M);
	const struct seen_step *s = rh_find_step(h, WW_STEP_CNAME, 0);
	assert_non_null(s);
	assert_string_equal(s->zone, "web.example.net.");
	q = expect_query(h, ROOT_IP, "web.example.net.");
	referral(h, &q, "net", "a.gtld-servers.net", "a.gtld-servers.net", TLD_IP);
	q = expect_query(h, TLD_IP, "web.example.net.");
	referral(h, &q, "example.net", "ns1.example.net", "ns1.example.net", NET_AUTH_IP);
	q = expect_query(h, NET_AUTH_IP, "web.example.net.");
	answer_a(h, &q, "web.example.net", IP4(192, 0, 2, 30));
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(r->addrs[0], IP4(192, 0, 2, 30));
	/* The answer holds the whole chain. */
	const struct ww_dns_msg *m = rh_result_msg(l);
	assert_int_equal(m->nsec[WW_DNS_ANSWER], 2);
	assert_int_equal(m->rr[0].type, WW_DNS_CNAME);
	assert_int_equal(m->rr[1].rd.a, IP4(192, 0, 2, 30));
	char text[WW_DNS_TEXT_MAX];
	ww_dns_name_text(&r->canonical, WW_DNS_NAME_FQDN, text, sizeof text);
	assert_string_equal(text, "web.example.net.");
	ww_lookup_free(l);
	rh_free(h);
}

/* The root answering for everything: an alias loop in one answer, and
 * one across answers, each stopped by the CNAME limit. */
static void test_cname_loops(void **state)
{
	(void)state;
	struct ww_resolver_config cfg;
	rh_config(&cfg, 11);
	cfg.max_cname = 3;
	struct res_h *h = rh_new_cfg(&cfg);
	struct ww_lookup *l = walk(h, "a.example", WW_DNS_A);
	struct sent_q q = expect_query(h, ROOT_IP, "a.example.");
	rh_msg_for(&M, &q, WW_DNS_AA);
	rh_add_name(&M, WW_DNS_ANSWER, "a.example", WW_DNS_CNAME, 60, "b.example");
	rh_add_name(&M, WW_DNS_ANSWER, "b.example", WW_DNS_CNAME, 60, "a.example");
	rh_send_msg(h, &q, &M);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_LIMIT);
	assert_string_equal(r->error, "more than 3 CNAMEs in the chain from a.example. (a loop?): "
				      "over the limit");
	ww_lookup_free(l);

	l = walk(h, "a.example", WW_DNS_A);
	for (int i = 0; i < 8 && !ww_lookup_done(l); i++) {
		q = rh_last(h);
		char from[WW_DNS_TEXT_MAX];
		ww_dns_name_text(&q.q.qname, WW_DNS_NAME_FQDN, from, sizeof from);
		rh_msg_for(&M, &q, 0); /* not AA: the alias must be followed */
		rh_add_name(&M, WW_DNS_ANSWER, from, WW_DNS_CNAME, 60,
			    strcmp(from, "a.example.") == 0 ? "b.example" : "a.example");
		rh_send_msg(h, &q, &M);
	}
	r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_LIMIT);
	assert_non_null(strstr(r->error, "CNAMEs"));
	assert_int_equal(r->queries, 4);
	ww_lookup_free(l);
	rh_free(h);
}

/* ---- limits ------------------------------------------------------------------------ */

static void test_referral_limit(void **state)
{
	(void)state;
	struct ww_resolver_config cfg;
	rh_config(&cfg, 12);
	cfg.max_referrals = 1;
	struct res_h *h = rh_new_cfg(&cfg);
	struct ww_lookup *l = walk(h, "www.example.com", WW_DNS_A);
	struct sent_q q = rh_last(h);
	rh_reply(h, &q, rv_root_referral, sizeof rv_root_referral);
	q = rh_last(h);
	rh_reply(h, &q, rv_com_referral, sizeof rv_com_referral);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_LIMIT);
	assert_string_equal(r->error, "followed 1 referrals for www.example.com.: over the limit "
				      "(the referral to example.com. is not taken)");
	assert_int_equal(h->n->nsent, 2);
	ww_lookup_free(l);
	rh_free(h);
}

/* No glue anywhere: the lookup of the server's name needs a lookup of
 * another server's name, one level more than allowed. */
static void test_depth_limit(void **state)
{
	(void)state;
	struct ww_resolver_config cfg;
	rh_config(&cfg, 13);
	cfg.max_depth = 1;
	struct res_h *h = rh_new_cfg(&cfg);
	struct ww_lookup *l = walk(h, "www.example.net", WW_DNS_A);
	struct sent_q q = expect_query(h, ROOT_IP, "www.example.net.");
	referral(h, &q, "example.net", "ns.example.org", NULL, 0);
	q = expect_query(h, ROOT_IP, "ns.example.org.");
	referral(h, &q, "example.org", "ns.example.com", NULL, 0);
	assert_true(ww_lookup_done(l));
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_LIMIT);
	assert_non_null(strstr(r->error, "no address found for the name server ns.example.org."));
	assert_non_null(strstr(r->error, "looking up ns.example.com. would nest name-server "
					 "lookups 2 deep: over the limit of 1"));
	assert_int_equal(h->n->nsent, 2);
	ww_lookup_free(l);
	rh_free(h);
}

static void test_query_limit(void **state)
{
	(void)state;
	struct ww_resolver_config cfg;
	rh_config(&cfg, 14);
	cfg.max_queries = 2;
	struct res_h *h = rh_new_cfg(&cfg);
	struct ww_lookup *l = walk(h, "www.example.com", WW_DNS_A);
	struct sent_q q = rh_last(h);
	rh_reply(h, &q, rv_root_referral, sizeof rv_root_referral);
	q = rh_last(h);
	rh_reply(h, &q, rv_com_referral, sizeof rv_com_referral);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_LIMIT);
	assert_string_equal(r->error, "gave up after 2 queries (the limit for one lookup)");
	ww_lookup_free(l);
	rh_free(h);
}

/* ---- servers that fail -------------------------------------------------------------- */

static void two_roots(struct ww_resolver_config *cfg, uint64_t seed)
{
	rh_config(cfg, seed);
	cfg->nroots = 2;
	cfg->roots[1].ip = ROOT2_IP;
	snprintf(cfg->roots[1].name, sizeof cfg->roots[1].name, "b.root-servers.net.");
}

/* A referral that does not lead down (the root again) is lame: the next
 * root is asked; with none left the lookup says why. */
static void test_lame_server(void **state)
{
	(void)state;
	struct ww_resolver_config cfg;
	two_roots(&cfg, 15);
	struct res_h *h = rh_new_cfg(&cfg);
	struct ww_lookup *l = walk(h, "www.example.com", WW_DNS_A);
	struct sent_q q = expect_query(h, ROOT_IP, "www.example.com.");
	referral(h, &q, ".", "a.root-servers.net", NULL, 0);
	const struct seen_step *s = rh_find_step(h, WW_STEP_FAILED, 0);
	assert_non_null(s);
	assert_non_null(strstr(s->text, "lame"));
	q = expect_query(h, ROOT2_IP, "www.example.com.");
	assert_string_equal(rh_find_step(h, WW_STEP_QUERY, 1)->why,
			    "the servers before it failed; a root server, from the root hints");
	referral(h, &q, ".", "a.root-servers.net", NULL, 0);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_FAILED);
	assert_string_equal(r->error, "198.51.100.11 gave no answer for www.example.com., no "
				      "referral below . and no SOA (a lame server)");
	ww_lookup_free(l);
	rh_free(h);
}

static void test_timeout_then_next_root(void **state)
{
	(void)state;
	struct ww_resolver_config cfg;
	two_roots(&cfg, 16);
	struct res_h *h = rh_new_cfg(&cfg);
	uint64_t t0 = h->now;
	struct ww_lookup *l = walk(h, "www.example.com", WW_DNS_A);
	expect_query(h, ROOT_IP, "www.example.com.");
	rh_advance(h, t0 + SEC);
	rh_advance(h, t0 + 3 * SEC);
	assert_int_equal(h->n->nsent, 3);
	rh_advance(h, t0 + 7 * SEC);
	struct sent_q q = expect_query(h, ROOT2_IP, "www.example.com.");
	rh_reply(h, &q, rv_root_referral, sizeof rv_root_referral);
	q = expect_query(h, TLD_IP, "www.example.com.");
	rh_reply(h, &q, rv_com_referral, sizeof rv_com_referral);
	q = expect_query(h, AUTH_IP, "www.example.com.");
	rh_reply(h, &q, rv_auth_answer, sizeof rv_auth_answer);
	assert_int_equal(ww_lookup_result(l)->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(ww_lookup_result(l)->queries, 6);
	ww_lookup_free(l);

	/* Every root silent: the lookup ends with the last timeout. */
	t0 = h->now;
	l = walk(h, "www.example.com", WW_DNS_A);
	rh_advance(h, t0 + SEC);
	rh_advance(h, t0 + 3 * SEC);
	rh_advance(h, t0 + 7 * SEC);
	rh_advance(h, t0 + 8 * SEC);
	rh_advance(h, t0 + 10 * SEC);
	assert_false(ww_lookup_done(l));
	rh_advance(h, t0 + 14 * SEC);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_TIMEOUT);
	assert_string_equal(r->error, "no answer from 198.51.100.11#53(b.root-servers.net.) after "
				      "3 tries");
	ww_lookup_free(l);
	rh_free(h);
}

static void test_servfail_and_nxdomain(void **state)
{
	(void)state;
	struct res_h *h = rh_new();
	struct ww_lookup *l = walk(h, "www.example.com", WW_DNS_A);
	struct sent_q q = rh_last(h);
	rh_msg_for(&M, &q, WW_DNS_SERVFAIL);
	rh_send_msg(h, &q, &M);
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(r->rcode, WW_DNS_SERVFAIL);
	assert_int_equal(r->server, ROOT_IP);
	assert_string_equal(r->error, "198.51.100.1 answered SERVFAIL for www.example.com.");
	ww_lookup_free(l);

	/* NXDOMAIN from the authoritative server, its SOA kept. */
	l = walk(h, "nope.example.com", WW_DNS_A);
	q = rh_last(h);
	referral(h, &q, "com", "a.gtld-servers.net", "a.gtld-servers.net", TLD_IP);
	q = rh_last(h);
	referral(h, &q, "example.com", "ns1.example.com", "ns1.example.com", AUTH_IP);
	q = expect_query(h, AUTH_IP, "nope.example.com.");
	rh_msg_for(&M, &q, WW_DNS_AA | WW_DNS_NXDOMAIN);
	rh_add_soa(&M, "example.com", 300, 300);
	rh_send_msg(h, &q, &M);
	r = ww_lookup_result(l);
	assert_int_equal(r->status, WW_RESOLVE_ANSWERED);
	assert_int_equal(r->rcode, WW_DNS_NXDOMAIN);
	assert_int_equal(r->ttl, 300);
	const struct ww_dns_msg *m = rh_result_msg(l);
	assert_int_equal(m->nsec[WW_DNS_AUTHORITY], 1);
	assert_int_equal(m->rr[0].type, WW_DNS_SOA);
	ww_lookup_free(l);
	rh_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_walk),
		cmocka_unit_test(test_ns_without_glue),
		cmocka_unit_test(test_out_of_bailiwick_glue),
		cmocka_unit_test(test_cname_into_another_zone),
		cmocka_unit_test(test_cname_loops),
		cmocka_unit_test(test_referral_limit),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_query_limit),
		cmocka_unit_test(test_lame_server),
		cmocka_unit_test(test_timeout_then_next_root),
		cmocka_unit_test(test_servfail_and_nxdomain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
