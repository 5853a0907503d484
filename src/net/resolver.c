/* The resolver's core: lookups, the one query each has in flight (random
 * ID, random port, a socket connected to the server), matching what comes
 * back, retries with backoff, timeouts, ICMP errors, truncation, and the
 * stub mode (ask the recursive resolver). The iterative walk is in
 * resolver_iter.c, the cache in resolver_cache.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolver_int.h"
#include "ww/bytes.h"
#include "ww/ipv4.h"

/* Same order as enum res_ctr. */
static const struct ww_counter_info counters[R_COUNT] = {
	{ "dns.short", "DNS response shorter than its 12-byte header", true },
	{ "dns.not_response", "DNS message to a query's port that is not a response (QR=0)", true },
	{ "dns.bad_id", "DNS response whose ID is not the query's: dropped, never used", true },
	{ "dns.bad_question", "DNS response whose question is not the one asked", true },
	{ "dns.malformed", "DNS response that could not be parsed (the lookup says where)", true },
	{ "dns.queries_sent", "DNS queries sent (retries included)", false },
	{ "dns.retries", "queries sent again after no answer in time", false },
	{ "dns.responses", "responses accepted: ID, port, address and question matched", false },
	{ "dns.timeouts", "servers that gave no answer after every try", false },
	{ "dns.icmp_errors", "queries answered by an ICMP error (port unreachable...)", false },
	{ "dns.truncated", "responses with TC=1: the answer did not fit in UDP", false },
	{ "dns.rcode_errors", "responses saying SERVFAIL, REFUSED, FORMERR or NOTIMP", false },
	{ "dns.referrals", "referrals followed in iterative lookups", false },
	{ "dns.cnames", "CNAMEs followed to a name another server answers for", false },
	{ "dns.ns_lookups", "name servers looked up because they came without glue", false },
	{ "dns.cache_hits", "lookups answered from the cache", false },
	{ "dns.cache_negative_hits", "... of them NXDOMAIN or NODATA", false },
	{ "dns.cache_misses", "lookups the cache could not answer", false },
	{ "dns.cache_stored", "RRsets and negative answers stored in the cache", false },
};

const struct ww_counter_info *ww_resolver_counter_info(size_t i)
{
	return i < R_COUNT ? &counters[i] : NULL;
}

uint64_t ww_resolver_counter_value(const struct ww_resolver *r, size_t i)
{
	return i < R_COUNT ? r->ctr[i] : 0;
}

uint64_t ww_resolver_counter(const struct ww_resolver *r, const char *name)
{
	for (size_t i = 0; i < R_COUNT; i++)
		if (strcmp(counters[i].name, name) == 0)
			return r->ctr[i];
	return UINT64_MAX;
}

const char *ww_resolve_status_name(enum ww_resolve_status s)
{
	switch (s) {
	case WW_RESOLVE_PENDING: return "pending";
	case WW_RESOLVE_ANSWERED: return "answered";
	case WW_RESOLVE_TIMEOUT: return "timeout";
	case WW_RESOLVE_UNREACHABLE: return "unreachable";
	case WW_RESOLVE_MALFORMED: return "malformed";
	case WW_RESOLVE_TRUNCATED: return "truncated";
	case WW_RESOLVE_LIMIT: return "limit";
	case WW_RESOLVE_FAILED: return "failed";
	}
	return "?";
}

void ww_dns_reverse_name(uint32_t ip, struct ww_dns_name *n)
{
	char text[32];
	snprintf(text, sizeof text, "%u.%u.%u.%u.in-addr.arpa.", ip & 0xff, (ip >> 8) & 0xff,
		 (ip >> 16) & 0xff, ip >> 24);
	ww_dns_name_from_text(n, text, NULL);
}

/* ---- events and steps ------------------------------------------------------ */

void res_textf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

/* Drops carry the frame being taken in, so the session names the packet. */
void res_event(struct ww_resolver *r, enum ww_event_type type, enum res_ctr c, uint64_t now,
	       const char *fmt, ...)
{
	r->ctr[c]++;
	if (!r->ev)
		return;
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct ww_event e = { .type = type, .now_ns = now, .text = text };
	if (type == WW_EV_FRAME_DROPPED) {
		e.reason = counters[c].name;
		e.frame = ww_stack_input_frame(ww_udp_stack(r->udp), &e.len);
	}
	r->ev(r->ev_arg, &e);
}

void res_step(struct ww_lookup *l, struct ww_resolve_step *s, const char *fmt, ...)
{
	if (!l->req.step)
		return;
	char text[512];
	s->text = NULL;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(text, sizeof text, fmt, ap);
		va_end(ap);
		s->text = text;
	}
	s->depth = l->ntask ? l->ntask - 1 : 0;
	if (!s->server_name)
		s->server_name = "";
	l->req.step(l->req.step_arg, s);
}

const char *res_name_text(const struct ww_dns_name *n, char *buf)
{
	ww_dns_name_text(n, WW_DNS_NAME_FQDN, buf, WW_DNS_TEXT_MAX);
	return buf;
}

struct ww_dns_msg *res_out_msg(struct ww_lookup *l)
{
	if (!l->out)
		l->out = malloc(sizeof *l->out);
	return l->out;
}

/* ---- configuration, making one -------------------------------------------- */

void ww_resolver_config_init(struct ww_resolver_config *c)
{
	memset(c, 0, sizeof *c);
	c->port = WW_DNS_PORT;
	c->timeout_ns = 1000000000ull;
	c->tries = 3;
	c->max_depth = 4;
	c->max_referrals = 16;
	c->max_cname = 8;
	c->max_queries = 64;
	c->cache_max = 256;
}

struct ww_resolver *ww_resolver_new(struct ww_udp_layer *u, const struct ww_resolver_config *c,
				    ww_event_fn ev, void *ev_arg)
{
	if (!u || !c || c->tries == 0 || c->timeout_ns == 0 ||
	    c->max_depth > WW_RES_MAX_DEPTH_LIMIT || c->nroots > WW_RES_ROOTS_MAX ||
	    c->cache_max == 0 || c->max_cname > 16)
		return NULL;
	struct ww_resolver *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cfg = *c;
	if (!r->cfg.port)
		r->cfg.port = WW_DNS_PORT;
	r->udp = u;
	r->ev = ev;
	r->ev_arg = ev_arg;
	ww_rng_init(&r->rng, c->seed);
	if (cache_init(r) < 0) {
		free(r);
		return NULL;
	}
	return r;
}

void ww_resolver_free(struct ww_resolver *r)
{
	if (!r)
		return;
	while (r->lookups)
		ww_lookup_free(r->lookups);
	cache_free(r);
	free(r);
}

const struct ww_resolver_config *ww_resolver_get_config(const struct ww_resolver *r)
{
	return &r->cfg;
}

void ww_resolver_set_tcp(struct ww_resolver *r, const struct ww_resolver_tcp_hook *h)
{
	r->has_tcp = h && h->query;
	if (r->has_tcp)
		r->tcp = *h;
	else
		memset(&r->tcp, 0, sizeof r->tcp);
}

/* ---- ending a lookup ---------------------------------------------------------- */

void res_query_end(struct ww_lookup *l)
{
	struct query *q = &l->q;
	if (q->active)
		ww_udp_close(l->r->udp, q->sock);
	if (q->via_tcp && l->r->has_tcp && l->r->tcp.cancel)
		l->r->tcp.cancel(l->r->tcp.arg, l);
	q->active = false;
	q->via_tcp = false;
}

void res_finish(struct ww_lookup *l, enum ww_resolve_status status, uint64_t now,
		const char *error_fmt, ...)
{
	res_query_end(l);
	l->res.status = status;
	l->res.finished_ns = now;
	if (error_fmt) {
		va_list ap;
		va_start(ap, error_fmt);
		vsnprintf(l->res.error, sizeof l->res.error, error_fmt, ap);
		va_end(ap);
	}
}

void res_set_answer(struct ww_lookup *l, const uint8_t *msg, size_t len)
{
	if (!msg || !len)
		return;
	if (len > RES_MSGBUF_SIZE)
		len = RES_MSGBUF_SIZE;
	if (msg != l->msgbuf)
		memmove(l->msgbuf, msg, len);
	l->res.msg = l->msgbuf;
	l->res.msg_len = len;
	struct ww_dns_msg *m = res_out_msg(l);
	if (!m || ww_dns_parse(l->msgbuf, len, m, NULL) < 0)
		return;
	l->res.rcode = ww_dns_rcode(m);
	l->res.authoritative = (m->h.flags & WW_DNS_AA) != 0;
	struct chain c;
	chain_follow(m, &l->req.qname, l->req.qtype, NULL, l->r->cfg.max_cname, &c);
	l->res.canonical = c.final;
	l->res.ttl = c.min_ttl;
	l->res.naddrs = 0;
	for (unsigned i = 0; i < c.nrrset && l->res.naddrs < WW_RES_ADDRS_MAX; i++)
		if (c.rrset[i]->type == WW_DNS_A)
			l->res.addrs[l->res.naddrs++] = c.rrset[i]->rd.a;
	if (c.nrrset == 0) {
		const struct ww_dns_rr *soa = find_soa(m, &c.final);
		l->res.ttl = soa ? ttl_clamp(soa->ttl < soa->rd.soa.minimum ? soa->ttl
									  : soa->rd.soa.minimum)
				 : 0;
	}
}

/* ---- queries -------------------------------------------------------------------- */

static void on_recv(void *arg, int sock, const struct ww_udp_datagram *d);
static void on_icmp(void *arg, int sock, const struct ww_udp_sock_error *e);
static const struct ww_udp_ops query_ops = { on_recv, on_icmp };

static void query_failed_text(struct ww_lookup *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void query_failed_text(struct ww_lookup *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->fail_text, sizeof l->fail_text, fmt, ap);
	va_end(ap);
}

static int build_query(struct ww_lookup *l, struct query *q)
{
	struct ww_dns_msg *m = res_out_msg(l);
	if (!m)
		return -1;
	ww_dns_msg_init(m, q->id, q->rd ? WW_DNS_RD : 0);
	ww_dns_question_add(m, &q->qname, q->qtype, WW_DNS_CLASS_IN);
	q->pkt_len = ww_dns_emit(m, q->pkt, sizeof q->pkt);
	return q->pkt_len ? 0 : -1;
}

int res_query(struct ww_lookup *l, uint32_t server, uint16_t port, const char *server_name,
	      const struct ww_dns_name *qname, uint16_t qtype, bool rd, const char *why,
	      uint64_t now)
{
	struct ww_resolver *r = l->r;
	struct query *q = &l->q;
	res_query_end(l);
	char a[16];
	ww_ipv4_str(server, a);
	if (l->res.queries >= r->cfg.max_queries) {
		res_finish(l, WW_RESOLVE_LIMIT, now, "gave up after %u queries (the limit for one "
			   "lookup)", r->cfg.max_queries);
		return -2;
	}
	int sock = ww_udp_open(r->udp, 0, server, port, &query_ops, l);
	if (sock < 0) {
		query_failed_text(l, "no UDP socket for a query to %s: %s", a, strerror(-sock));
		return -1;
	}
	struct ww_udp_sock_info si;
	ww_udp_sock_info(r->udp, sock, &si);
	*q = (struct query){
		.active = true, .sock = sock, .id = (uint16_t)ww_rng_u32(&r->rng),
		.sport = si.lport, .port = port, .server = server, .qname = *qname, .qtype = qtype, .rd = rd,
		.attempt = 1, .sent_ns = now, .wait_ns = r->cfg.timeout_ns,
		.deadline_ns = now + r->cfg.timeout_ns,
	};
	snprintf(q->server_name, sizeof q->server_name, "%s", server_name ? server_name : "");
	if (build_query(l, q) < 0) {
		res_query_end(l);
		query_failed_text(l, "the query for this name could not be built");
		return -1;
	}
	struct ww_resolve_step s = {
		.kind = WW_STEP_QUERY, .now_ns = now, .server = server, .port = port,
		.server_name = q->server_name, .why = why, .qname = qname, .qtype = qtype,
		.id = q->id, .sport = q->sport, .attempt = 1, .rd = rd,
	};
	res_step(l, &s, NULL);
	int rc = ww_udp_send(r->udp, sock, 0, 0, q->pkt, q->pkt_len, now);
	if (rc < 0) {
		res_query_end(l);
		query_failed_text(l, "the query to %s could not be sent (%s)", a, strerror(-rc));
		return -1;
	}
	r->ctr[R_QUERIES]++;
	l->res.queries++;
	return 0;
}

/* "203.0.113.53#53" or "198.51.100.1#53(a.root-servers.net.)", as dig names servers. */
static const char *server_text(const struct query *q, char *buf, size_t cap)
{
	char a[16];
	ww_ipv4_str(q->server, a);
	if (q->server_name[0])
		snprintf(buf, cap, "%s#%u(%s)", a, q->port, q->server_name);
	else
		snprintf(buf, cap, "%s#%u", a, q->port);
	return buf;
}

/* A server failed: the stub lookup ends; the walk tries another. */
static void query_failed(struct ww_lookup *l, enum ww_resolve_status st, const uint8_t *raw,
			 size_t len, uint64_t now, const char *text)
{
	struct ww_resolve_step s = {
		.kind = WW_STEP_FAILED, .now_ns = now, .server = l->q.server, .port = l->q.port,
		.server_name = l->q.server_name, .qname = &l->q.qname, .qtype = l->q.qtype,
	};
	res_step(l, &s, "%s", text);
	res_query_end(l);
	if (l->req.mode == WW_RESOLVE_ITERATIVE) {
		iter_failed(l, st, raw, len, text, now);
		return;
	}
	if (raw)
		res_set_answer(l, raw, len);
	res_finish(l, st, now, "%s", text);
}

/* ---- what comes back --------------------------------------------------------------- */

static bool question_matches(const struct query *q, const struct ww_dns_header *h,
			     const struct ww_dns_question *qq)
{
	/* FORMERR, NOTIMP and the like may come without the question. */
	if (h->qdcount == 0)
		return WW_DNS_RCODE(h->flags) != WW_DNS_NOERROR;
	return h->qdcount == 1 && qq->qtype == q->qtype && qq->qclass == WW_DNS_CLASS_IN &&
	       ww_dns_name_eq(&qq->qname, &q->qname);
}

static void malformed(struct ww_lookup *l, const struct ww_error *err, uint64_t now)
{
	char srv[WW_DNS_TEXT_MAX + 32], text[512];
	server_text(&l->q, srv, sizeof srv);
	res_textf(text, sizeof text, "malformed response from %s: %s [%s at byte %u]", srv,
		  err->msg, err->field ? err->field : "dns", err->offset);
	res_event(l->r, WW_EV_FRAME_DROPPED, R_MALFORMED, now, "%s", text);
	query_failed(l, WW_RESOLVE_MALFORMED, NULL, 0, now, text);
}

static void truncated(struct ww_lookup *l, const uint8_t *raw, size_t len, uint64_t now)
{
	struct ww_resolver *r = l->r;
	struct query *q = &l->q;
	r->ctr[R_TRUNCATED]++;
	char srv[WW_DNS_TEXT_MAX + 32], text[WW_DNS_TEXT_MAX + 256];
	server_text(q, srv, sizeof srv);
	struct ww_resolve_step s = {
		.kind = WW_STEP_TRUNCATED, .now_ns = now, .server = q->server, .port = q->port,
		.server_name = q->server_name, .qname = &q->qname, .qtype = q->qtype, .msg = l->m,
		.raw = raw, .raw_len = len,
	};
	/* What came over UDP stays the answer to show if TCP fails too. */
	res_set_answer(l, raw, len);
	if (r->has_tcp &&
	    r->tcp.query(r->tcp.arg, l, q->server, q->port, q->pkt, q->pkt_len, now) == 0) {
		ww_udp_close(r->udp, q->sock);
		q->active = false;
		q->via_tcp = true;
		res_step(l, &s, "TC=1: the answer did not fit in UDP; asking again over TCP");
		return;
	}
	res_step(l, &s, "TC=1: the answer did not fit in UDP");
	snprintf(text, sizeof text, "the answer from %s was truncated (TC=1): it does not fit in "
		 "a %u-byte UDP message; the whole answer needs DNS over TCP (RFC 7766), which "
		 "could not be tried here", srv, WW_DNS_UDP_MAX);
	res_query_end(l);
	if (l->req.mode == WW_RESOLVE_ITERATIVE) {
		iter_failed(l, WW_RESOLVE_TRUNCATED, raw, len, text, now);
		return;
	}
	res_set_answer(l, raw, len);
	res_finish(l, WW_RESOLVE_TRUNCATED, now, "%s", text);
}

/* A response that matched: shown, then acted on. */
static void accept_response(struct ww_lookup *l, const uint8_t *raw, size_t len, bool tcp,
			    uint64_t now)
{
	struct ww_resolver *r = l->r;
	struct query *q = &l->q;
	r->ctr[R_RESPONSES]++;
	l->res.rtt_ns = now > q->sent_ns ? now - q->sent_ns : 0;
	l->res.server = q->server;
	l->res.port = q->port;
	l->res.over_tcp = tcp;
	struct ww_resolve_step s = {
		.kind = WW_STEP_RESPONSE, .now_ns = now, .server = q->server, .port = q->port,
		.server_name = q->server_name, .qname = &q->qname, .qtype = q->qtype, .msg = l->m,
		.raw = raw, .raw_len = len, .rtt_ns = l->res.rtt_ns,
	};
	res_step(l, &s, NULL);
	if (!tcp && (l->m->h.flags & WW_DNS_TC)) {
		truncated(l, raw, len, now);
		return;
	}
	unsigned rcode = ww_dns_rcode(l->m);
	if (rcode != WW_DNS_NOERROR && rcode != WW_DNS_NXDOMAIN)
		r->ctr[R_RCODE_ERRORS]++;
	if (l->req.mode == WW_RESOLVE_ITERATIVE) {
		res_query_end(l);
		iter_response(l, raw, len, now);
		return;
	}
	if (l->req.use_cache && (rcode == WW_DNS_NOERROR || rcode == WW_DNS_NXDOMAIN))
		cache_store(r, l->m, &l->req.qname, l->req.qtype, q->server, now);
	res_set_answer(l, raw, len);
	res_finish(l, WW_RESOLVE_ANSWERED, now, NULL);
}

/* Is this the answer to the query in flight? Everything that is not is
 * dropped and counted, and the query waits on. */
static void take_message(struct ww_lookup *l, const uint8_t *raw, size_t len, bool tcp,
			 uint64_t now)
{
	struct ww_resolver *r = l->r;
	struct query *q = &l->q;
	char srv[WW_DNS_TEXT_MAX + 32];
	server_text(q, srv, sizeof srv);
	if (len < WW_DNS_HLEN) {
		res_event(r, WW_EV_FRAME_DROPPED, R_SHORT, now, "%zu bytes from %s: too short for "
			  "a DNS header (12 bytes)", len, srv);
		return;
	}
	uint16_t id = ww_get16(raw), flags = ww_get16(raw + 2);
	if (!(flags & WW_DNS_QR)) {
		res_event(r, WW_EV_FRAME_DROPPED, R_NOT_RESPONSE, now, "DNS message from %s has "
			  "QR=0: a query, not a response", srv);
		return;
	}
	if (id != q->id) {
		res_event(r, WW_EV_FRAME_DROPPED, R_BAD_ID, now, "DNS response id 0x%04x from %s: "
			  "the query's id is 0x%04x, so it answers something else (or it is a "
			  "guess at a poisoning) — never used", id, srv, q->id);
		return;
	}
	struct ww_cursor c;
	ww_cur_init(&c, raw, len, 0);
	struct ww_dns_header h;
	struct ww_dns_question qq;
	memset(&qq, 0, sizeof qq);
	ww_dns_header_parse(&c, &h);
	if (ww_cur_ok(&c) && h.qdcount >= 1)
		ww_dns_question_parse(&c, raw, len, &qq);
	if (!ww_cur_ok(&c)) {
		malformed(l, &c.err, now);
		return;
	}
	if (!question_matches(q, &h, &qq)) {
		char want[WW_DNS_TEXT_MAX], got[WW_DNS_TEXT_MAX], t1[16], t2[16];
		ww_dns_name_text(&q->qname, WW_DNS_NAME_FQDN, want, sizeof want);
		if (h.qdcount >= 1)
			ww_dns_name_text(&qq.qname, WW_DNS_NAME_FQDN, got, sizeof got);
		else
			snprintf(got, sizeof got, "(no question)");
		res_event(r, WW_EV_FRAME_DROPPED, R_BAD_QUESTION, now, "DNS response from %s is "
			  "about %s %s (%u question%s), not %s %s: never used", srv, got,
			  ww_dns_type_str(qq.qtype, t1), h.qdcount, h.qdcount == 1 ? "" : "s", want,
			  ww_dns_type_str(q->qtype, t2));
		return;
	}
	struct ww_error err;
	if (ww_dns_parse(raw, len, l->m, &err) < 0) {
		malformed(l, &err, now);
		return;
	}
	accept_response(l, raw, len, tcp, now);
}

static void on_recv(void *arg, int sock, const struct ww_udp_datagram *d)
{
	struct ww_lookup *l = arg;
	if (!l->q.active || sock != l->q.sock)
		return;
	take_message(l, d->data, d->len, false, d->at_ns);
}

static void on_icmp(void *arg, int sock, const struct ww_udp_sock_error *e)
{
	struct ww_lookup *l = arg;
	if (!l->q.active || sock != l->q.sock)
		return;
	l->r->ctr[R_ICMP]++;
	char srv[WW_DNS_TEXT_MAX + 32], why[160], text[512];
	server_text(&l->q, srv, sizeof srv);
	res_textf(text, sizeof text, "no DNS from %s: %s", srv,
		 ww_udp_error_text(e, why, sizeof why));
	query_failed(l, WW_RESOLVE_UNREACHABLE, NULL, 0, e->at_ns, text);
}

void ww_resolver_tcp_answer(struct ww_lookup *l, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	if (!l->q.via_tcp)
		return;
	if (!msg) {
		char srv[WW_DNS_TEXT_MAX + 32], text[WW_DNS_TEXT_MAX + 128];
		snprintf(text, sizeof text, "the answer from %s was truncated (TC=1), and asking "
			 "again with DNS over TCP (RFC 7766) failed", server_text(&l->q, srv, sizeof srv));
		query_failed(l, WW_RESOLVE_TRUNCATED, l->res.msg, l->res.msg_len, now_ns, text);
		return;
	}
	take_message(l, msg, len, true, now_ns);
}

/* ---- timers ------------------------------------------------------------------------- */

static void query_timer(struct ww_lookup *l, uint64_t now)
{
	struct ww_resolver *r = l->r;
	struct query *q = &l->q;
	char srv[WW_DNS_TEXT_MAX + 32];
	server_text(q, srv, sizeof srv);
	if (q->attempt >= r->cfg.tries) {
		r->ctr[R_TIMEOUTS]++;
		char text[WW_DNS_TEXT_MAX + 96];
		snprintf(text, sizeof text, "no answer from %s after %u tr%s", srv, q->attempt,
			 q->attempt == 1 ? "y" : "ies");
		query_failed(l, WW_RESOLVE_TIMEOUT, NULL, 0, now, text);
		return;
	}
	if (l->res.queries >= r->cfg.max_queries) {
		res_finish(l, WW_RESOLVE_LIMIT, now, "gave up after %u queries (the limit for one "
			   "lookup)", r->cfg.max_queries);
		return;
	}
	double waited = (double)q->wait_ns / 1e9;
	q->attempt++;
	q->wait_ns *= 2;
	q->sent_ns = now;
	q->deadline_ns = now + q->wait_ns;
	struct ww_resolve_step s = {
		.kind = WW_STEP_RETRY, .now_ns = now, .server = q->server, .port = q->port,
		.server_name = q->server_name, .qname = &q->qname, .qtype = q->qtype, .id = q->id,
		.sport = q->sport, .attempt = q->attempt, .rd = q->rd,
	};
	res_step(l, &s, "no answer from %s in %.1f s: the same query again (try %u of %u, "
		 "waiting %.1f s)", srv, waited, q->attempt, r->cfg.tries,
		 (double)q->wait_ns / 1e9);
	if (ww_udp_send(r->udp, q->sock, 0, 0, q->pkt, q->pkt_len, now) == 0) {
		r->ctr[R_QUERIES]++;
		l->res.queries++;
	}
	r->ctr[R_RETRIES]++;
}

void ww_resolver_poll(struct ww_resolver *r, uint64_t now_ns)
{
	struct ww_lookup *next;
	for (struct ww_lookup *l = r->lookups; l; l = next) {
		next = l->next;
		if (l->q.active && !l->q.via_tcp && now_ns >= l->q.deadline_ns)
			query_timer(l, now_ns);
	}
}

uint64_t ww_resolver_next_deadline(const struct ww_resolver *r)
{
	uint64_t t = UINT64_MAX;
	for (const struct ww_lookup *l = r->lookups; l; l = l->next)
		if (l->q.active && !l->q.via_tcp && l->q.deadline_ns < t)
			t = l->q.deadline_ns;
	return t;
}

/* ---- lookups --------------------------------------------------------------------------- */

static void stub_start(struct ww_lookup *l, uint64_t now)
{
	struct ww_resolver *r = l->r;
	uint32_t server = l->req.server ? l->req.server : r->cfg.server;
	uint16_t port = l->req.port ? l->req.port : r->cfg.port;
	if (l->req.use_cache) {
		uint32_t from = 0;
		bool negative = false;
		struct ww_dns_msg *out = res_out_msg(l);
		if (out &&
		    cache_answer(r, &l->req.qname, l->req.qtype, now, out, &from, &negative)) {
			size_t n = ww_dns_emit(out, l->msgbuf, RES_MSGBUF_SIZE);
			r->ctr[R_CACHE_HITS]++;
			if (negative)
				r->ctr[R_CACHE_NEG_HITS]++;
			res_set_answer(l, l->msgbuf, n);
			l->res.from_cache = true;
			l->res.server = from;
			l->res.port = port;
			struct ww_resolve_step s = { .kind = WW_STEP_CACHE, .now_ns = now,
						     .server = from, .qname = &l->req.qname,
						     .qtype = l->req.qtype };
			res_step(l, &s, "answered from the cache: nothing sent");
			res_finish(l, WW_RESOLVE_ANSWERED, now, NULL);
			return;
		}
		r->ctr[R_CACHE_MISSES]++;
	}
	int rc = res_query(l, server, port, NULL, &l->req.qname, l->req.qtype, !l->req.no_rd,
			   l->req.server ? "the server named" : "the resolver", now);
	if (rc == -1)
		res_finish(l, WW_RESOLVE_FAILED, now, "%s", l->fail_text);
}

static void set_err(char *err, size_t errlen, const char *text)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", text);
}

struct ww_lookup *ww_resolver_start(struct ww_resolver *r, const struct ww_resolve_req *req,
				    uint64_t now_ns, char *err, size_t errlen)
{
	if (req->qname.len < 1 || req->qname.wire[req->qname.len - 1] != 0) {
		set_err(err, errlen, "no name to look up");
		return NULL;
	}
	if (req->mode == WW_RESOLVE_STUB && !req->server && !r->cfg.server) {
		set_err(err, errlen, "no resolver is configured: name one with @SERVER");
		return NULL;
	}
	if (req->mode == WW_RESOLVE_ITERATIVE && r->cfg.nroots == 0) {
		set_err(err, errlen, "no root hints: an iterative lookup has nowhere to start");
		return NULL;
	}
	struct ww_lookup *l = calloc(1, sizeof *l);
	if (!l || !(l->m = malloc(sizeof *l->m)) || !(l->msgbuf = malloc(RES_MSGBUF_SIZE)) ||
	    !res_out_msg(l)) {
		if (l) {
			free(l->m);
			free(l->msgbuf);
			free(l);
		}
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	l->r = r;
	l->req = *req;
	l->res.status = WW_RESOLVE_PENDING;
	l->res.started_ns = now_ns;
	l->q.sock = -1;
	l->next = r->lookups;
	r->lookups = l;
	if (req->mode == WW_RESOLVE_ITERATIVE)
		iter_start(l, now_ns);
	else
		stub_start(l, now_ns);
	return l;
}

bool ww_lookup_done(const struct ww_lookup *l)
{
	return l->res.status != WW_RESOLVE_PENDING;
}

const struct ww_resolve_result *ww_lookup_result(const struct ww_lookup *l)
{
	return &l->res;
}

void ww_lookup_free(struct ww_lookup *l)
{
	if (!l)
		return;
	res_query_end(l);
	for (struct ww_lookup **p = &l->r->lookups; *p; p = &(*p)->next) {
		if (*p == l) {
			*p = l->next;
			break;
		}
	}
	free(l->chain);
	free(l->fail_msg);
	free(l->m);
	free(l->out);
	free(l->msgbuf);
	free(l);
}
