/* The resolver's cache (RFC 1034 §5.3.3, RFC 2181 §5 and §8, RFC 2308):
 * RRsets by name and type, NXDOMAIN by name, NODATA by name and type,
 * each until its TTL has run out on the clock passed in; and the CNAME
 * chains answers are read along, in responses and in the cache. */
#include <stdlib.h>
#include <string.h>

#include "resolver_int.h"

#define WEEK_S 604800u
#define NS_PER_S 1000000000ull

uint32_t ttl_clamp(uint32_t ttl)
{
	if (ttl > 0x7fffffffu) /* RFC 2181 §8: such a TTL means 0 */
		return 0;
	return ttl > WEEK_S ? WEEK_S : ttl;
}

/* ---- chains in a message ------------------------------------------------------ */

static bool usable(const struct ww_dns_rr *rr, const struct ww_dns_name *zone)
{
	return rr->rclass == WW_DNS_CLASS_IN && rr->type != WW_DNS_OPT &&
	       (!zone || ww_dns_name_in_zone(&rr->rrname, zone));
}

static void take_ttl(struct chain *c, uint32_t ttl)
{
	ttl = ttl_clamp(ttl);
	if (ttl < c->min_ttl)
		c->min_ttl = ttl;
}

void chain_follow(const struct ww_dns_msg *m, const struct ww_dns_name *qname, uint16_t qtype,
		  const struct ww_dns_name *zone, unsigned max, struct chain *c)
{
	c->ncname = 0;
	c->nrrset = 0;
	c->too_long = false;
	c->final = *qname;
	c->min_ttl = UINT32_MAX;
	unsigned n;
	const struct ww_dns_rr *ans = ww_dns_section_rrs(m, WW_DNS_ANSWER, &n);
	if (max > sizeof c->cname / sizeof c->cname[0])
		max = sizeof c->cname / sizeof c->cname[0];
	for (;;) {
		const struct ww_dns_rr *cname = NULL;
		for (unsigned i = 0; i < n; i++) {
			const struct ww_dns_rr *rr = &ans[i];
			if (!usable(rr, zone) || !ww_dns_name_eq(&rr->rrname, &c->final))
				continue;
			if (rr->type == qtype || qtype == WW_DNS_ANY) {
				c->rrset[c->nrrset++] = rr;
				take_ttl(c, rr->ttl);
			} else if (rr->type == WW_DNS_CNAME && !cname) {
				cname = rr;
			}
		}
		if (c->nrrset || !cname)
			break;
		if (c->ncname >= max) {
			c->too_long = true;
			break;
		}
		c->cname[c->ncname++] = cname;
		take_ttl(c, cname->ttl);
		c->final = cname->rd.name;
	}
	if (c->min_ttl == UINT32_MAX)
		c->min_ttl = 0;
}

const struct ww_dns_rr *find_soa(const struct ww_dns_msg *m, const struct ww_dns_name *name)
{
	unsigned n;
	const struct ww_dns_rr *auth = ww_dns_section_rrs(m, WW_DNS_AUTHORITY, &n);
	for (unsigned i = 0; i < n; i++)
		if (auth[i].type == WW_DNS_SOA && auth[i].rclass == WW_DNS_CLASS_IN &&
		    ww_dns_name_in_zone(name, &auth[i].rrname))
			return &auth[i];
	return NULL;
}

struct ww_dns_rr *msg_add_rr(struct ww_dns_msg *out, enum ww_dns_section sec,
			     const struct ww_dns_rr *rr, uint32_t ttl)
{
	struct ww_dns_rr *d = ww_dns_rr_add(out, sec, &rr->rrname, rr->type, ttl);
	if (!d)
		return NULL;
	uint8_t s = d->section;
	*d = *rr;
	d->section = s;
	d->ttl = ttl;
	d->manual = 0;
	return d;
}

/* ---- entries ------------------------------------------------------------------ */

int cache_init(struct ww_resolver *r)
{
	r->cache = calloc(r->cfg.cache_max, sizeof *r->cache);
	return r->cache ? 0 : -1;
}

static void entry_clear(struct centry *e)
{
	free(e->rrs);
	free(e->soa);
	memset(e, 0, sizeof *e);
}

size_t ww_resolver_cache_flush(struct ww_resolver *r)
{
	size_t n = 0;
	for (unsigned i = 0; i < r->cfg.cache_max; i++) {
		if (r->cache[i].used)
			n++;
		entry_clear(&r->cache[i]);
	}
	return n;
}

void cache_free(struct ww_resolver *r)
{
	if (!r->cache)
		return;
	ww_resolver_cache_flush(r);
	free(r->cache);
	r->cache = NULL;
}

static void expire(struct ww_resolver *r, uint64_t now)
{
	for (unsigned i = 0; i < r->cfg.cache_max; i++)
		if (r->cache[i].used && r->cache[i].expires_ns <= now)
			entry_clear(&r->cache[i]);
}

static struct centry *find(struct ww_resolver *r, const struct ww_dns_name *name, uint16_t type,
			   enum ww_cache_kind kind)
{
	for (unsigned i = 0; i < r->cfg.cache_max; i++) {
		struct centry *e = &r->cache[i];
		if (e->used && e->kind == kind && e->type == type && ww_dns_name_eq(&e->name, name))
			return e;
	}
	return NULL;
}

/* A slot for NAME/TYPE: its old entry (replaced: RFC 2181 §5.4.1 lets the
 * newer answer win), a free one, or the one that would expire first. */
static struct centry *slot_for(struct ww_resolver *r, const struct ww_dns_name *name,
			       uint16_t type, uint64_t now)
{
	expire(r, now);
	struct centry *victim = NULL;
	for (unsigned i = 0; i < r->cfg.cache_max; i++) {
		struct centry *e = &r->cache[i];
		if (e->used && e->type == type && ww_dns_name_eq(&e->name, name)) {
			victim = e;
			break;
		}
		if (!victim || (victim->used && (!e->used || e->expires_ns < victim->expires_ns)))
			victim = e;
	}
	entry_clear(victim);
	return victim;
}

static void put(struct ww_resolver *r, const struct ww_dns_name *name, uint16_t type,
		enum ww_cache_kind kind, uint32_t ttl, const struct ww_dns_rr *const *rrs,
		unsigned nrr, const struct ww_dns_rr *soa, uint32_t server, uint64_t now)
{
	if (ttl == 0) /* RFC 1035 §3.2.1: use it for this answer only */
		return;
	/* A name that exists now is no longer NXDOMAIN; one that does not
	 * exist has no RRsets. */
	for (unsigned i = 0; i < r->cfg.cache_max; i++) {
		struct centry *o = &r->cache[i];
		if (o->used && ww_dns_name_eq(&o->name, name) &&
		    (kind == WW_CACHE_NXDOMAIN || o->kind == WW_CACHE_NXDOMAIN))
			entry_clear(o);
	}
	struct centry *e = slot_for(r, name, type, now);
	if (nrr && !(e->rrs = malloc(nrr * sizeof *e->rrs)))
		return;
	if (soa && !(e->soa = malloc(sizeof *e->soa))) {
		entry_clear(e);
		return;
	}
	for (unsigned i = 0; i < nrr; i++)
		e->rrs[i] = *rrs[i];
	if (soa)
		*e->soa = *soa;
	e->used = true;
	e->kind = (uint8_t)kind;
	e->name = *name;
	e->type = type;
	e->ttl = ttl;
	e->nrr = nrr;
	e->stored_ns = now;
	e->expires_ns = now + (uint64_t)ttl * NS_PER_S;
	e->seq = ++r->cache_seq;
	e->server = server;
	r->ctr[R_CACHE_STORED]++;
}

void cache_store(struct ww_resolver *r, const struct ww_dns_msg *m,
		 const struct ww_dns_name *qname, uint16_t qtype, uint32_t server, uint64_t now)
{
	struct chain c;
	chain_follow(m, qname, qtype, NULL, r->cfg.max_cname, &c);
	for (unsigned i = 0; i < c.ncname; i++)
		put(r, &c.cname[i]->rrname, WW_DNS_CNAME, WW_CACHE_POSITIVE,
		    ttl_clamp(c.cname[i]->ttl), &c.cname[i], 1, NULL, server, now);
	if (c.too_long)
		return;
	if (c.nrrset) {
		/* One RRset per type (ANY brings several); its TTL is the
		 * smallest of its records' (RFC 2181 §5.2). */
		bool done[WW_DNS_MAX_RRS] = { false };
		for (unsigned i = 0; i < c.nrrset; i++) {
			if (done[i])
				continue;
			const struct ww_dns_rr *set[WW_DNS_MAX_RRS];
			unsigned n = 0;
			uint32_t ttl = UINT32_MAX;
			for (unsigned k = i; k < c.nrrset; k++) {
				if (c.rrset[k]->type != c.rrset[i]->type)
					continue;
				done[k] = true;
				set[n++] = c.rrset[k];
				if (ttl_clamp(c.rrset[k]->ttl) < ttl)
					ttl = ttl_clamp(c.rrset[k]->ttl);
			}
			put(r, &c.final, c.rrset[i]->type, WW_CACHE_POSITIVE, ttl, set, n, NULL,
			    server, now);
		}
		return;
	}
	/* RFC 2308 §5: a negative answer is cached for the smaller of the
	 * SOA's TTL and its MINIMUM, and not at all without an SOA. */
	const struct ww_dns_rr *soa = find_soa(m, &c.final);
	if (!soa)
		return;
	uint32_t ttl = ttl_clamp(soa->ttl < soa->rd.soa.minimum ? soa->ttl : soa->rd.soa.minimum);
	unsigned rcode = ww_dns_rcode(m);
	if (rcode == WW_DNS_NXDOMAIN)
		put(r, &c.final, 0, WW_CACHE_NXDOMAIN, ttl, NULL, 0, soa, server, now);
	else if (rcode == WW_DNS_NOERROR && qtype != WW_DNS_ANY)
		put(r, &c.final, qtype, WW_CACHE_NODATA, ttl, NULL, 0, soa, server, now);
}

static uint32_t ttl_left(const struct centry *e, uint64_t now)
{
	return e->expires_ns > now ? (uint32_t)((e->expires_ns - now) / NS_PER_S) : 0;
}

bool cache_answer(struct ww_resolver *r, const struct ww_dns_name *qname, uint16_t qtype,
		  uint64_t now, struct ww_dns_msg *out, uint32_t *server, bool *negative)
{
	expire(r, now);
	const struct centry *chain[16];
	unsigned n = 0, max = r->cfg.max_cname < 16 ? r->cfg.max_cname : 16;
	const struct centry *hit = NULL, *neg = NULL;
	struct ww_dns_name name = *qname;
	for (;;) {
		if ((hit = find(r, &name, qtype, WW_CACHE_POSITIVE)) != NULL)
			break;
		if ((neg = find(r, &name, 0, WW_CACHE_NXDOMAIN)) != NULL ||
		    (neg = find(r, &name, qtype, WW_CACHE_NODATA)) != NULL)
			break;
		const struct centry *cn = find(r, &name, WW_DNS_CNAME, WW_CACHE_POSITIVE);
		if (qtype == WW_DNS_CNAME || !cn || n == max)
			return false;
		chain[n++] = cn;
		name = cn->rrs[0].rd.name;
	}
	uint16_t flags = WW_DNS_QR | WW_DNS_RD | WW_DNS_RA;
	if (neg && neg->kind == WW_CACHE_NXDOMAIN)
		flags |= WW_DNS_NXDOMAIN;
	ww_dns_msg_init(out, 0, flags);
	ww_dns_question_add(out, qname, qtype, WW_DNS_CLASS_IN);
	for (unsigned i = 0; i < n; i++)
		msg_add_rr(out, WW_DNS_ANSWER, &chain[i]->rrs[0], ttl_left(chain[i], now));
	if (hit)
		for (unsigned i = 0; i < hit->nrr; i++)
			msg_add_rr(out, WW_DNS_ANSWER, &hit->rrs[i], ttl_left(hit, now));
	if (neg && neg->soa)
		msg_add_rr(out, WW_DNS_AUTHORITY, neg->soa, ttl_left(neg, now));
	*server = hit ? hit->server : neg->server;
	*negative = neg != NULL;
	return true;
}

/* ---- as `dns cache` shows it --------------------------------------------------------- */

size_t ww_resolver_cache_count(struct ww_resolver *r, uint64_t now_ns)
{
	expire(r, now_ns);
	size_t n = 0;
	for (unsigned i = 0; i < r->cfg.cache_max; i++)
		n += r->cache[i].used;
	return n;
}

int ww_resolver_cache_at(struct ww_resolver *r, size_t i, uint64_t now_ns,
			 struct ww_cache_entry_view *v)
{
	expire(r, now_ns);
	/* The I-th by age: the entry with exactly I older ones. */
	for (unsigned k = 0; k < r->cfg.cache_max; k++) {
		const struct centry *e = &r->cache[k];
		if (!e->used)
			continue;
		size_t older = 0;
		for (unsigned j = 0; j < r->cfg.cache_max; j++)
			older += r->cache[j].used && r->cache[j].seq < e->seq;
		if (older != i)
			continue;
		*v = (struct ww_cache_entry_view){
			.name = &e->name, .type = e->type, .kind = (enum ww_cache_kind)e->kind,
			.ttl = e->ttl, .ttl_left = ttl_left(e, now_ns), .rrs = e->rrs,
			.nrr = e->nrr, .soa = e->soa, .server = e->server,
		};
		return 0;
	}
	return -1;
}
