/* UDP and the resolver on the fake link of net_harness.h: the stack's
 * frames are kept, the clock is a number the test moves, and answers are
 * fed back as whole frames from the gateway's MAC — real ones from the
 * lab's captures (resolver_vectors.h) with the query's ID put in, or
 * messages built with the DNS emitter. No socket, no sleeping. */
#ifndef WW_TEST_RESOLVER_HARNESS_H
#define WW_TEST_RESOLVER_HARNESS_H

#include "net_harness.h"
#include "ww/dns.h"
#include "ww/resolver.h"
#include "ww/udp.h"
#include "ww/udpsock.h"

#define RESOLVER_IP IP4(203, 0, 113, 53)
#define ROOT_IP IP4(198, 51, 100, 1)
#define TLD_IP IP4(198, 51, 100, 2)
#define AUTH_IP IP4(198, 51, 100, 3)

#define MAX_STEPS 128

/* A step as the lookup reported it, its texts copied. */
struct seen_step {
	enum ww_resolve_step_kind kind;
	unsigned depth, attempt;
	uint32_t server;
	uint16_t id, sport;
	bool rd;
	char qname[WW_DNS_TEXT_MAX];
	char zone[WW_DNS_TEXT_MAX];
	char text[512];
	char why[160];
};

struct res_h {
	struct net_h *n;
	struct ww_udp_layer *udp;
	struct ww_resolver *r;
	uint64_t now;
	struct seen_step steps[MAX_STEPS];
	size_t nsteps;
};

/* A query the stack sent, read back from its frame. */
struct sent_q {
	uint32_t dst;
	uint16_t sport, dport;
	uint16_t id, flags;
	struct ww_dns_question q;
	uint16_t qdcount, ancount, nscount, arcount;
	size_t len; /* of the DNS message */
};

static inline void rh_step(void *arg, const struct ww_resolve_step *s)
{
	struct res_h *h = arg;
	assert_true(h->nsteps < MAX_STEPS);
	struct seen_step *d = &h->steps[h->nsteps++];
	memset(d, 0, sizeof *d);
	d->kind = s->kind;
	d->depth = s->depth;
	d->attempt = s->attempt;
	d->server = s->server;
	d->id = s->id;
	d->sport = s->sport;
	d->rd = s->rd;
	assert_non_null(s->server_name);
	if (s->qname)
		ww_dns_name_text(s->qname, WW_DNS_NAME_FQDN, d->qname, sizeof d->qname);
	if (s->zone)
		ww_dns_name_text(s->zone, WW_DNS_NAME_FQDN, d->zone, sizeof d->zone);
	if (s->text)
		snprintf(d->text, sizeof d->text, "%s", s->text);
	if (s->why)
		snprintf(d->why, sizeof d->why, "%s", s->why);
	if (s->kind == WW_STEP_RESPONSE || s->kind == WW_STEP_REFERRAL)
		assert_non_null(s->msg);
}

static inline struct res_h *rh_new_cfg(struct ww_resolver_config *cfg)
{
	struct res_h *h = calloc(1, sizeof *h);
	assert_non_null(h);
	h->n = h_new();
	h->now = 5 * SEC;
	h_learn(h->n, GW_IP, GW_MAC, h->now);
	h_clear_sent(h->n);
	h->udp = ww_udp_new(h->n->st, 42, h_ev, h->n);
	assert_non_null(h->udp);
	h->r = ww_resolver_new(h->udp, cfg, h_ev, h->n);
	assert_non_null(h->r);
	return h;
}

/* The lab's resolver and root; IDs and ports from SEED. */
static inline void rh_config(struct ww_resolver_config *cfg, uint64_t seed)
{
	ww_resolver_config_init(cfg);
	cfg->server = RESOLVER_IP;
	cfg->nroots = 1;
	cfg->roots[0].ip = ROOT_IP;
	snprintf(cfg->roots[0].name, sizeof cfg->roots[0].name, "a.root-servers.net.");
	cfg->seed = seed;
}

static inline struct res_h *rh_new(void)
{
	struct ww_resolver_config cfg;
	rh_config(&cfg, 7);
	return rh_new_cfg(&cfg);
}

static inline void rh_free(struct res_h *h)
{
	ww_resolver_free(h->r);
	ww_udp_free(h->udp);
	h_free(h->n);
	free(h);
}

/* A request for NAME/TYPE whose steps are recorded in H. */
static inline struct ww_resolve_req rh_req(struct res_h *h, const char *name, uint16_t type,
					   enum ww_resolve_mode mode)
{
	struct ww_resolve_req q = { .qtype = type, .mode = mode, .step = rh_step, .step_arg = h };
	assert_int_equal(ww_dns_name_from_text(&q.qname, name, NULL), 0);
	return q;
}

static inline struct ww_lookup *rh_start(struct res_h *h, const struct ww_resolve_req *q)
{
	char err[128];
	struct ww_lookup *l = ww_resolver_start(h->r, q, h->now, err, sizeof err);
	assert_non_null(l);
	return l;
}

/* Sent frame I as a DNS query over UDP over IPv4: every checksum right. */
static inline struct sent_q rh_sent(struct res_h *h, size_t i)
{
	assert_true(i < h->n->nsent);
	const uint8_t *f = h->n->sent[i].data;
	size_t len = h->n->sent[i].len;
	struct ww_cursor c;
	ww_cur_init(&c, f, len, 0);
	struct ww_eth eth;
	struct ww_ipv4 ip;
	struct ww_udp udp;
	assert_int_equal(ww_eth_parse(&c, &eth), 0);
	assert_int_equal(eth.type, WW_ETHERTYPE_IPV4);
	assert_memory_equal(eth.dst, GW_MAC, 6);
	const uint8_t *iph = ww_cur_here(&c);
	assert_int_equal(ww_ipv4_parse(&c, &ip), 0);
	assert_int_equal(ww_inet_csum(iph, (size_t)ip.ihl * 4), 0);
	assert_int_equal(ip.proto, WW_IPPROTO_UDP);
	assert_int_equal(ip.src, OUR_IP);
	const uint8_t *seg = ww_cur_here(&c);
	assert_int_equal(ww_udp_parse(&c, &udp), 0);
	assert_int_not_equal(udp.checksum, 0);
	assert_int_equal(ww_l4_csum(ip.src, ip.dst, WW_IPPROTO_UDP, seg, udp.len), 0);
	struct sent_q s = { .dst = ip.dst, .sport = udp.sport, .dport = udp.dport,
			    .len = ww_cur_left(&c) };
	const uint8_t *msg = ww_cur_here(&c);
	struct ww_cursor mc;
	ww_cur_init(&mc, msg, s.len, 0);
	struct ww_dns_header dh;
	assert_int_equal(ww_dns_header_parse(&mc, &dh), 0);
	s.id = dh.id;
	s.flags = dh.flags;
	s.qdcount = dh.qdcount;
	s.ancount = dh.ancount;
	s.nscount = dh.nscount;
	s.arcount = dh.arcount;
	assert_int_equal(dh.qdcount, 1);
	assert_int_equal(ww_dns_question_parse(&mc, msg, s.len, &s.q), 0);
	assert_int_equal(ww_cur_left(&mc), 0); /* nothing after the question: no EDNS */
	return s;
}

static inline struct sent_q rh_last(struct res_h *h)
{
	assert_true(h->n->nsent > 0);
	return rh_sent(h, h->n->nsent - 1);
}

/* A UDP datagram SRC:SPORT -> our DPORT carrying MSG, taken in at h->now. */
static inline void rh_inject(struct res_h *h, uint32_t src, uint16_t sport, uint16_t dport,
			     const uint8_t *msg, size_t len)
{
	static uint8_t seg[70000], frame[70100];
	memcpy(seg + WW_UDP_HLEN, msg, len);
	struct ww_udp u = { .sport = sport, .dport = dport };
	assert_int_equal(ww_udp_emit(&u, src, OUR_IP, seg, WW_UDP_HLEN + len), WW_UDP_HLEN);
	struct ww_ipv4 ip = ip_hdr(src, OUR_IP, WW_IPPROTO_UDP, 0x4242);
	ip.ttl = 63;
	size_t n = build_ip(frame, sizeof frame, GW_MAC, &ip, seg, WW_UDP_HLEN + len);
	ww_stack_input(h->n->st, frame, n, h->now);
}

/* MSG with the ID of Q put in, from Q's server to Q's port. */
static inline void rh_reply(struct res_h *h, const struct sent_q *q, const uint8_t *msg, size_t len)
{
	static uint8_t m[65536];
	memcpy(m, msg, len);
	ww_put16(m, q->id);
	rh_inject(h, q->dst, 53, q->sport, m, len);
}

/* The emitter's answer to Q: its ID and question, FLAGS (QR added). The
 * test adds records to *M before rh_send_msg. */
static inline void rh_msg_for(struct ww_dns_msg *m, const struct sent_q *q, uint16_t flags)
{
	ww_dns_msg_init(m, q->id, (uint16_t)(WW_DNS_QR | flags));
	assert_non_null(ww_dns_question_add(m, &q->q.qname, q->q.qtype, q->q.qclass));
}

static inline void rh_send_msg(struct res_h *h, const struct sent_q *q, const struct ww_dns_msg *m)
{
	static uint8_t buf[65536];
	size_t n = ww_dns_emit(m, buf, sizeof buf);
	assert_true(n >= WW_DNS_HLEN);
	rh_inject(h, q->dst, 53, q->sport, buf, n);
}

static inline struct ww_dns_rr *rh_add(struct ww_dns_msg *m, enum ww_dns_section sec,
				       const char *name, uint16_t type, uint32_t ttl)
{
	struct ww_dns_name n;
	assert_int_equal(ww_dns_name_from_text(&n, name, NULL), 0);
	struct ww_dns_rr *rr = ww_dns_rr_add(m, sec, &n, type, ttl);
	assert_non_null(rr);
	return rr;
}

static inline void rh_add_name(struct ww_dns_msg *m, enum ww_dns_section sec, const char *name,
			       uint16_t type, uint32_t ttl, const char *target)
{
	struct ww_dns_rr *rr = rh_add(m, sec, name, type, ttl);
	assert_int_equal(ww_dns_name_from_text(&rr->rd.name, target, NULL), 0);
}

static inline void rh_add_a(struct ww_dns_msg *m, enum ww_dns_section sec, const char *name,
			    uint32_t ttl, uint32_t ip)
{
	rh_add(m, sec, name, WW_DNS_A, ttl)->rd.a = ip;
}

static inline void rh_add_soa(struct ww_dns_msg *m, const char *zone, uint32_t ttl,
			      uint32_t minimum)
{
	char mname[300];
	snprintf(mname, sizeof mname, "ns1.%s", zone);
	struct ww_dns_rr *rr = rh_add(m, WW_DNS_AUTHORITY, zone, WW_DNS_SOA, ttl);
	assert_int_equal(ww_dns_name_from_text(&rr->rd.soa.mname, mname, NULL), 0);
	assert_int_equal(ww_dns_name_from_text(&rr->rd.soa.rname, "hostmaster.example.", NULL), 0);
	rr->rd.soa.serial = 1;
	rr->rd.soa.refresh = 3600;
	rr->rd.soa.retry = 900;
	rr->rd.soa.expire = 604800;
	rr->rd.soa.minimum = minimum;
}

/* Let time pass to AT, running the stack's and the resolver's timers. */
static inline void rh_advance(struct res_h *h, uint64_t at)
{
	h->now = at;
	ww_stack_poll(h->n->st, at);
	ww_resolver_poll(h->r, at);
}

static inline const struct seen_step *rh_find_step(const struct res_h *h,
						   enum ww_resolve_step_kind kind, unsigned nth)
{
	for (size_t i = 0; i < h->nsteps; i++)
		if (h->steps[i].kind == kind && nth-- == 0)
			return &h->steps[i];
	return NULL;
}

static inline unsigned rh_count_steps(const struct res_h *h, enum ww_resolve_step_kind kind)
{
	unsigned n = 0;
	for (size_t i = 0; i < h->nsteps; i++)
		n += h->steps[i].kind == kind;
	return n;
}

static inline uint64_t rh_ctr(const struct res_h *h, const char *name)
{
	uint64_t v = ww_resolver_counter(h->r, name);
	if (v == UINT64_MAX)
		v = ww_udp_counter(h->udp, name);
	assert_true(v != UINT64_MAX);
	return v;
}

/* The result's message, parsed (static storage: one at a time). */
static inline const struct ww_dns_msg *rh_result_msg(const struct ww_lookup *l)
{
	static struct ww_dns_msg m;
	const struct ww_resolve_result *r = ww_lookup_result(l);
	assert_non_null(r->msg);
	assert_int_equal(ww_dns_parse(r->msg, r->msg_len, &m, NULL), 0);
	return &m;
}

/* Open UDP sockets: the resolver closes each query's when it is done. */
static inline unsigned rh_open_sockets(const struct res_h *h)
{
	unsigned n = 0;
	for (int i = 0; i < WW_UDP_SOCK_MAX; i++) {
		struct ww_udp_sock_info si;
		ww_udp_sock_info(h->udp, i, &si);
		n += si.used;
	}
	return n;
}

#endif
