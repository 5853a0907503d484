/* The iterative walk (RFC 1034 §5.3.3): from the root hints, ask with
 * RD=0; a referral names the servers of a zone closer to the name (the
 * NS records, and their addresses as glue in the additional section);
 * ask one of them, and so on down to a server that answers. An answer
 * that is an alias (CNAME) to a name the server does not answer for
 * starts the walk over for that name; a name server that came without
 * glue is looked up first, by a walk of its own one level deeper.
 *
 * Only records inside the zone of the server asked are believed (its
 * "bailiwick"): a server for com. says nothing trustworthy about
 * example.net, which is how a cache could be poisoned through it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolver_int.h"
#include "ww/ipv4.h"

static void iter_next(struct ww_lookup *l, uint64_t now);

static struct task *top(struct ww_lookup *l)
{
	return &l->task[l->ntask - 1];
}

static void task_from_roots(struct ww_lookup *l, struct task *t, const struct ww_dns_name *qname,
			    uint16_t qtype)
{
	const struct ww_resolver_config *cfg = &l->r->cfg;
	memset(t, 0, sizeof *t);
	t->qname = *qname;
	t->qtype = qtype;
	ww_dns_name_root(&t->zone);
	t->cur = -1;
	t->child_for = -1;
	for (unsigned i = 0; i < cfg->nroots && i < WW_RES_SERVERS_MAX; i++) {
		struct nsrv *s = &t->srv[t->nsrv++];
		if (ww_dns_name_from_text(&s->name, cfg->roots[i].name, NULL) < 0)
			ww_dns_name_root(&s->name);
		s->ip = cfg->roots[i].ip;
		s->has_ip = true;
	}
}

void iter_start(struct ww_lookup *l, uint64_t now)
{
	l->ntask = 1;
	task_from_roots(l, &l->task[0], &l->req.qname, l->req.qtype);
	iter_next(l, now);
}

/* ---- failures ------------------------------------------------------------------ */

/* What the lookup ends with if no server is left: the last failure. */
static void record_fail(struct ww_lookup *l, enum ww_resolve_status st, const uint8_t *raw,
			size_t len, const char *text)
{
	l->fail_status = st;
	snprintf(l->fail_text, sizeof l->fail_text, "%s", text);
	l->fail_server = l->q.server;
	free(l->fail_msg);
	l->fail_msg = NULL;
	l->fail_len = 0;
	if (raw && len && (l->fail_msg = malloc(len)) != NULL) {
		memcpy(l->fail_msg, raw, len);
		l->fail_len = len;
	}
}

void iter_failed(struct ww_lookup *l, enum ww_resolve_status st, const uint8_t *raw,
		 size_t len, const char *text, uint64_t now)
{
	record_fail(l, st, raw, len, text);
	struct task *t = top(l);
	if (t->cur >= 0)
		t->srv[t->cur].bad = true;
	t->cur = -1;
	iter_next(l, now);
}

/* The walk of task 0 has no server left to ask. */
static void give_up(struct ww_lookup *l, uint64_t now)
{
	char zone[WW_DNS_TEXT_MAX];
	switch (l->fail_status) {
	case WW_RESOLVE_PENDING:
		res_finish(l, WW_RESOLVE_FAILED, now, "no name server of %s could be asked",
			   res_name_text(&l->task[0].zone, zone));
		return;
	case WW_RESOLVE_ANSWERED: /* a server said SERVFAIL, REFUSED...: show its answer */
		res_set_answer(l, l->fail_msg, l->fail_len);
		l->res.server = l->fail_server;
		res_finish(l, WW_RESOLVE_ANSWERED, now, "%s", l->fail_text);
		return;
	default:
		if (l->fail_msg)
			res_set_answer(l, l->fail_msg, l->fail_len);
		res_finish(l, l->fail_status, now, "%s", l->fail_text);
	}
}

/* ---- choosing the next server ------------------------------------------------------ */

static void why_text(const struct task *t, int pick, char *buf, size_t cap)
{
	const struct nsrv *s = &t->srv[pick];
	bool after = false;
	for (int i = 0; i < pick; i++)
		after |= t->srv[i].bad;
	const char *why = t->zone.len == 1 ? "a root server, from the root hints"
		: s->glue ? "its address came with the referral (glue)"
			  : "its address was looked up: the referral had no glue for it";
	snprintf(buf, cap, "%s%s", after ? "the servers before it failed; " : "", why);
}

/* A child walk found no address: its parent's server is unusable. */
static void child_failed(struct ww_lookup *l, uint64_t now)
{
	char ns[WW_DNS_TEXT_MAX], text[sizeof l->fail_text];
	struct task *child = top(l);
	res_name_text(&child->qname, ns);
	l->ntask--;
	struct task *t = top(l);
	if (t->child_for >= 0)
		t->srv[t->child_for].bad = true;
	t->child_for = -1;
	res_textf(text, sizeof text, "no address found for the name server %s (%s)", ns,
		 l->fail_status != WW_RESOLVE_PENDING ? l->fail_text : "no server to ask");
	struct ww_resolve_step s = { .kind = WW_STEP_FAILED, .now_ns = now, .qname = &child->qname,
				     .qtype = WW_DNS_A };
	res_step(l, &s, "%s", text);
	/* A limit hit on the way stays the reason the lookup gives. */
	if (l->fail_status != WW_RESOLVE_LIMIT)
		l->fail_status = WW_RESOLVE_FAILED;
	snprintf(l->fail_text, sizeof l->fail_text, "%s", text);
}

static int first_server(const struct task *t, bool with_ip)
{
	for (unsigned i = 0; i < t->nsrv; i++)
		if (!t->srv[i].bad && t->srv[i].has_ip == with_ip)
			return (int)i;
	return -1;
}

static void look_up_server(struct ww_lookup *l, int pick, uint64_t now)
{
	struct task *t = top(l);
	char ns[WW_DNS_TEXT_MAX], zone[WW_DNS_TEXT_MAX];
	res_name_text(&t->srv[pick].name, ns);
	if (l->ntask > l->r->cfg.max_depth) {
		t->srv[pick].bad = true;
		l->fail_status = WW_RESOLVE_LIMIT;
		res_textf(l->fail_text, sizeof l->fail_text, "looking up %s would nest "
			  "name-server lookups %u deep: over the limit of %u", ns, l->ntask,
			  l->r->cfg.max_depth);
		return;
	}
	l->r->ctr[R_NS_LOOKUPS]++;
	struct ww_resolve_step s = { .kind = WW_STEP_NS_LOOKUP, .now_ns = now,
				     .qname = &t->srv[pick].name, .qtype = WW_DNS_A };
	res_step(l, &s, "no server of %s left with an address: looking up %s first",
		 res_name_text(&t->zone, zone), ns);
	t->child_for = pick;
	struct task *c = &l->task[l->ntask++];
	task_from_roots(l, c, &t->srv[pick].name, WW_DNS_A);
}

static void iter_next(struct ww_lookup *l, uint64_t now)
{
	while (!ww_lookup_done(l)) {
		struct task *t = top(l);
		int pick = first_server(t, true);
		if (pick >= 0) {
			char why[160], ns[WW_DNS_TEXT_MAX];
			why_text(t, pick, why, sizeof why);
			t->cur = pick;
			res_name_text(&t->srv[pick].name, ns);
			int rc = res_query(l, t->srv[pick].ip, l->r->cfg.port, ns, &t->qname,
					   t->qtype, false, why, now);
			if (rc != -1)
				return; /* sent, or the query limit ended the lookup */
			t->srv[pick].bad = true;
			l->fail_status = WW_RESOLVE_FAILED;
			continue;
		}
		pick = first_server(t, false);
		if (pick >= 0) {
			look_up_server(l, pick, now);
			continue;
		}
		if (l->ntask == 1) {
			give_up(l, now);
			return;
		}
		child_failed(l, now);
	}
}

/* ---- answers ------------------------------------------------------------------------ */

/* Task 0 is done: the answer is the question, the CNAMEs met on the way
 * and the records at the end (or, negative, the SOA). */
static void finish_answer(struct ww_lookup *l, const struct chain *c, uint64_t now)
{
	const struct ww_dns_msg *m = l->m;
	struct ww_dns_msg *out = res_out_msg(l);
	unsigned rcode = ww_dns_rcode(m);
	ww_dns_msg_init(out, l->q.id, (uint16_t)(WW_DNS_QR | (m->h.flags & WW_DNS_AA) | rcode));
	ww_dns_question_add(out, &l->req.qname, l->req.qtype, WW_DNS_CLASS_IN);
	for (unsigned i = 0; i < l->nchain; i++)
		msg_add_rr(out, WW_DNS_ANSWER, &l->chain[i], l->chain[i].ttl);
	for (unsigned i = 0; i < c->ncname; i++)
		msg_add_rr(out, WW_DNS_ANSWER, c->cname[i], c->cname[i]->ttl);
	for (unsigned i = 0; i < c->nrrset; i++)
		msg_add_rr(out, WW_DNS_ANSWER, c->rrset[i], c->rrset[i]->ttl);
	const struct ww_dns_rr *soa = c->nrrset ? NULL : find_soa(m, &c->final);
	if (soa)
		msg_add_rr(out, WW_DNS_AUTHORITY, soa, soa->ttl);
	size_t n = ww_dns_emit(out, l->msgbuf, RES_MSGBUF_SIZE);
	res_set_answer(l, l->msgbuf, n);
	res_finish(l, WW_RESOLVE_ANSWERED, now, NULL);
}

/* A child walk found its name server's address. */
static void child_found(struct ww_lookup *l, const struct chain *c, uint64_t now)
{
	uint32_t ip = 0;
	for (unsigned i = 0; i < c->nrrset && !ip; i++)
		if (c->rrset[i]->type == WW_DNS_A)
			ip = c->rrset[i]->rd.a;
	if (!ip) {
		l->fail_status = WW_RESOLVE_FAILED;
		snprintf(l->fail_text, sizeof l->fail_text, "the answer held no IPv4 address");
		child_failed(l, now);
		iter_next(l, now);
		return;
	}
	struct task *child = top(l);
	struct ww_dns_name ns = child->qname;
	l->ntask--;
	struct task *t = top(l);
	for (unsigned i = 0; i < t->nsrv; i++) {
		if (!t->srv[i].has_ip && ww_dns_name_eq(&t->srv[i].name, &ns)) {
			t->srv[i].ip = ip;
			t->srv[i].has_ip = true;
		}
	}
	t->child_for = -1;
	char a[16], n[WW_DNS_TEXT_MAX];
	struct ww_resolve_step s = { .kind = WW_STEP_NS_FOUND, .now_ns = now, .server = ip,
				     .qname = &ns, .qtype = WW_DNS_A };
	res_step(l, &s, "the name server %s is at %s", res_name_text(&ns, n), ww_ipv4_str(ip, a));
	iter_next(l, now);
}

static void done_positive(struct ww_lookup *l, const struct chain *c, uint64_t now)
{
	if (l->ntask > 1)
		child_found(l, c, now);
	else
		finish_answer(l, c, now);
}

static void done_negative(struct ww_lookup *l, const struct chain *c, uint64_t now)
{
	if (l->ntask == 1) {
		finish_answer(l, c, now);
		return;
	}
	l->fail_status = WW_RESOLVE_FAILED;
	snprintf(l->fail_text, sizeof l->fail_text, "%s",
		 ww_dns_rcode(l->m) == WW_DNS_NXDOMAIN ? "it does not exist (NXDOMAIN)"
						       : "it has no A record");
	child_failed(l, now);
	iter_next(l, now);
}

/* An alias to a name this server does not answer for: start over. */
static void restart(struct ww_lookup *l, const struct chain *c, uint64_t now)
{
	l->cnames += c->ncname;
	l->r->ctr[R_CNAMES]++;
	if (l->ntask == 1 && c->ncname) {
		size_t want = (l->nchain + c->ncname) * sizeof *l->chain;
		struct ww_dns_rr *grown = realloc(l->chain, want);
		if (grown) {
			l->chain = grown;
			for (unsigned i = 0; i < c->ncname; i++)
				l->chain[l->nchain++] = *c->cname[i];
		}
	}
	struct task *t = top(l);
	char from[WW_DNS_TEXT_MAX], to[WW_DNS_TEXT_MAX], zone[WW_DNS_TEXT_MAX];
	struct ww_resolve_step s = { .kind = WW_STEP_CNAME, .now_ns = now, .qname = &t->qname,
				     .qtype = t->qtype, .zone = &c->final };
	res_step(l, &s, "%s is an alias for %s, which the server of %s did not answer for: "
		 "starting over from the root for it", res_name_text(&t->qname, from),
		 res_name_text(&c->final, to), res_name_text(&t->zone, zone));
	task_from_roots(l, t, &c->final, t->qtype);
	iter_next(l, now);
}

/* Glue: an address in the additional section for name server NS, believed
 * only if NS lies in the zone of the server that sent it. */
static bool glue_for(const struct ww_dns_msg *m, const struct ww_dns_name *ns,
		     const struct ww_dns_name *bailiwick, uint32_t *ip)
{
	if (!ww_dns_name_in_zone(ns, bailiwick))
		return false;
	unsigned n;
	const struct ww_dns_rr *add = ww_dns_section_rrs(m, WW_DNS_ADDITIONAL, &n);
	for (unsigned i = 0; i < n; i++) {
		if (add[i].type == WW_DNS_A && add[i].rclass == WW_DNS_CLASS_IN &&
		    ww_dns_name_eq(&add[i].rrname, ns)) {
			*ip = add[i].rd.a;
			return true;
		}
	}
	return false;
}

/* The zone a referral delegates: NS records in the authority section for
 * a zone below the one asked that holds the name. NULL if none. */
static const struct ww_dns_name *referral_zone(const struct ww_dns_msg *m, const struct task *t)
{
	unsigned n;
	const struct ww_dns_rr *auth = ww_dns_section_rrs(m, WW_DNS_AUTHORITY, &n);
	for (unsigned i = 0; i < n; i++) {
		const struct ww_dns_name *z = &auth[i].rrname;
		if (auth[i].type == WW_DNS_NS && auth[i].rclass == WW_DNS_CLASS_IN &&
		    ww_dns_name_in_zone(&t->qname, z) && ww_dns_name_in_zone(z, &t->zone) &&
		    !ww_dns_name_eq(z, &t->zone))
			return z;
	}
	return NULL;
}

static void follow_referral(struct ww_lookup *l, const struct ww_dns_name *zone,
			    const uint8_t *raw, size_t len, uint64_t now)
{
	struct ww_resolver *r = l->r;
	struct task *t = top(l);
	const struct ww_dns_msg *m = l->m;
	char zt[WW_DNS_TEXT_MAX], qt[WW_DNS_TEXT_MAX], list[768] = "";
	res_name_text(zone, zt);
	if (t->referrals >= r->cfg.max_referrals) {
		res_finish(l, WW_RESOLVE_LIMIT, now, "followed %u referrals for %s: over the limit "
			   "(the referral to %s is not taken)", t->referrals,
			   res_name_text(&t->qname, qt), zt);
		return;
	}
	t->referrals++;
	r->ctr[R_REFERRALS]++;
	struct ww_dns_name asked = t->zone; /* the bailiwick of the server that referred */
	struct ww_dns_name z = *zone;
	t->nsrv = 0;
	t->cur = -1;
	unsigned n;
	size_t at = 0;
	const struct ww_dns_rr *auth = ww_dns_section_rrs(m, WW_DNS_AUTHORITY, &n);
	for (unsigned i = 0; i < n && t->nsrv < WW_RES_SERVERS_MAX; i++) {
		if (auth[i].type != WW_DNS_NS || !ww_dns_name_eq(&auth[i].rrname, &z))
			continue;
		struct nsrv *s = &t->srv[t->nsrv++];
		memset(s, 0, sizeof *s);
		s->name = auth[i].rd.name;
		s->glue = s->has_ip = glue_for(m, &s->name, &asked, &s->ip);
		char ns[WW_DNS_TEXT_MAX], a[16] = "";
		if (s->has_ip)
			ww_ipv4_str(s->ip, a);
		at += (size_t)snprintf(list + at, at < sizeof list ? sizeof list - at : 0,
				       "%s%s (%s)", at ? ", " : "", res_name_text(&s->name, ns),
				       s->has_ip ? a : "no glue");
		if (at >= sizeof list)
			at = sizeof list - 1;
	}
	t->zone = z;
	struct ww_resolve_step s = {
		.kind = WW_STEP_REFERRAL, .now_ns = now, .server = l->q.server, .port = l->q.port,
		.server_name = l->q.server_name, .qname = &t->qname, .qtype = t->qtype, .msg = m,
		.raw = raw, .raw_len = len, .zone = &t->zone,
	};
	res_step(l, &s, "referral: %s is served by %u name server%s: %s", zt, t->nsrv,
		 t->nsrv == 1 ? "" : "s", list);
	iter_next(l, now);
}

void iter_response(struct ww_lookup *l, const uint8_t *raw, size_t len, uint64_t now)
{
	struct ww_resolver *r = l->r;
	struct task *t = top(l);
	const struct ww_dns_msg *m = l->m;
	unsigned rcode = ww_dns_rcode(m);
	unsigned left = l->cnames < r->cfg.max_cname ? r->cfg.max_cname - l->cnames : 0;
	struct chain c;
	chain_follow(m, &t->qname, t->qtype, &t->zone, left, &c);
	char a[WW_DNS_TEXT_MAX], b[WW_DNS_TEXT_MAX], text[512];
	char srv[16];
	ww_ipv4_str(l->q.server, srv);
	if (c.too_long) {
		res_finish(l, WW_RESOLVE_LIMIT, now, "more than %u CNAMEs in the chain from %s "
			   "(a loop?): over the limit", r->cfg.max_cname,
			   res_name_text(&l->req.qname, a));
		return;
	}
	if (c.nrrset) {
		done_positive(l, &c, now);
		return;
	}
	if (rcode == WW_DNS_NXDOMAIN) {
		done_negative(l, &c, now);
		return;
	}
	if (rcode != WW_DNS_NOERROR) {
		char rc[16];
		snprintf(text, sizeof text, "%s answered %s for %s", srv,
			 ww_dns_rcode_str(rcode, rc), res_name_text(&t->qname, a));
		struct ww_resolve_step s = { .kind = WW_STEP_FAILED, .now_ns = now,
					     .server = l->q.server, .qname = &t->qname,
					     .qtype = t->qtype };
		res_step(l, &s, "%s", text);
		iter_failed(l, WW_RESOLVE_ANSWERED, raw, len, text, now);
		return;
	}
	if (c.ncname) {
		/* An authoritative server that holds the target and gave no
		 * records for it says it has none (NODATA). */
		if ((m->h.flags & WW_DNS_AA) && ww_dns_name_in_zone(&c.final, &t->zone) &&
		    find_soa(m, &c.final))
			done_negative(l, &c, now);
		else
			restart(l, &c, now);
		return;
	}
	const struct ww_dns_name *zone = referral_zone(m, t);
	if (zone) {
		follow_referral(l, zone, raw, len, now);
		return;
	}
	if ((m->h.flags & WW_DNS_AA) || find_soa(m, &t->qname)) {
		done_negative(l, &c, now);
		return;
	}
	snprintf(text, sizeof text, "%s gave no answer for %s, no referral below %s and no SOA "
		 "(a lame server)", srv, res_name_text(&t->qname, a), res_name_text(&t->zone, b));
	struct ww_resolve_step s = { .kind = WW_STEP_FAILED, .now_ns = now, .server = l->q.server,
				     .qname = &t->qname, .qtype = t->qtype };
	res_step(l, &s, "%s", text);
	iter_failed(l, WW_RESOLVE_FAILED, NULL, 0, text, now);
}
