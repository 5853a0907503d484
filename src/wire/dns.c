/* DNS messages: parse into struct ww_dns_msg, emit with compression, and
 * build queries (RFC 1035 §4; AAAA RFC 3596; OPT RFC 6891). Nothing here
 * allocates: a message lives in its fixed arrays. */
#include <stdio.h>
#include <string.h>

#include "ww/bytes.h"
#include "dns_priv.h"

static const char *const count_fields[4] = {
	"dns.count.queries", "dns.count.answers", "dns.count.auth_rr", "dns.count.add_rr",
};

int ww_dns_header_parse(struct ww_cursor *c, struct ww_dns_header *h)
{
	h->id = ww_cur_u16(c, "dns.id");
	h->flags = ww_cur_u16(c, "dns.flags");
	h->qdcount = ww_cur_u16(c, "dns.count.queries");
	h->ancount = ww_cur_u16(c, "dns.count.answers");
	h->nscount = ww_cur_u16(c, "dns.count.auth_rr");
	h->arcount = ww_cur_u16(c, "dns.count.add_rr");
	return ww_cur_ok(c) ? 0 : -1;
}

int ww_dns_question_parse(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
			  struct ww_dns_question *q)
{
	if (ww_dns_name_parse(c, msg, msg_len, &q->qname, "dns.qry.name") < 0)
		return -1;
	q->qtype = ww_cur_u16(c, "dns.qry.type");
	q->qclass = ww_cur_u16(c, "dns.qry.class");
	return ww_cur_ok(c) ? 0 : -1;
}

/* ---- rdata ---- */

static int rdlen_must_be(struct ww_cursor *c, const uint8_t *msg, const struct ww_dns_rr *rr,
			 const char *what, unsigned want)
{
	if (rr->rdlen == want)
		return 0;
	return ww_dns_fail(c, WW_INVALID, "dns.resp.len", ww_dns_frame_off(c, msg, rr->off),
			   "DNS %s record RDLENGTH %u, must be %u", what, rr->rdlen, want);
}

/* KEEP false: check, but leave the bytes in the message (the dissector
 * reads them there, and has no storage limit to meet). */
static int copy_bytes(struct ww_cursor *c, const uint8_t *msg, struct ww_dns_rr *rr, bool keep)
{
	if (!keep) {
		rr->rd.bytes.len = 0;
		return ww_cur_skip(c, rr->rdlen, "dns.resp.len") ? 0 : -1;
	}
	if (rr->rdlen > WW_DNS_RDATA_MAX)
		return ww_dns_fail(c, WW_INVALID, "dns.resp.len", ww_dns_frame_off(c, msg, rr->off),
				   "DNS RDLENGTH %u over this parser's limit of %d bytes", rr->rdlen,
				   WW_DNS_RDATA_MAX);
	rr->rd.bytes.len = rr->rdlen;
	return ww_cur_copy(c, rr->rd.bytes.b, rr->rdlen, "dns.resp.len") ? 0 : -1;
}

/* TXT: one or more <character-string>s filling the rdata exactly. */
static int parse_txt(struct ww_cursor *c, const uint8_t *msg, struct ww_dns_rr *rr, bool keep)
{
	const uint8_t *p = ww_cur_here(c);
	for (unsigned at = 0; at < rr->rdlen;) {
		if (p[at] + 1u > rr->rdlen - at)
			return ww_dns_fail(c, WW_INVALID, "dns.txt.length",
					   ww_dns_frame_off(c, msg, rr->rdata_off + at),
					   "TXT string of %u bytes runs past RDLENGTH (%u left)",
					   p[at], rr->rdlen - at - 1);
		at += 1u + p[at];
	}
	return copy_bytes(c, msg, rr, keep);
}

/* OPT: {code, length, data} options filling the rdata exactly. */
static int parse_opt(struct ww_cursor *c, const uint8_t *msg, struct ww_dns_rr *rr, bool keep)
{
	const uint8_t *p = ww_cur_here(c);
	for (unsigned at = 0; at < rr->rdlen;) {
		uint32_t off = ww_dns_frame_off(c, msg, rr->rdata_off + at);
		if (rr->rdlen - at < 4)
			return ww_dns_fail(c, WW_INVALID, "dns.opt.code", off,
					   "EDNS option header needs 4 bytes, %u left in RDLENGTH",
					   rr->rdlen - at);
		unsigned olen = ww_get16(p + at + 2);
		if (olen > rr->rdlen - at - 4u)
			return ww_dns_fail(c, WW_INVALID, "dns.opt.len", off,
					   "EDNS option length %u runs past RDLENGTH (%u left)", olen,
					   rr->rdlen - at - 4);
		at += 4u + olen;
	}
	return copy_bytes(c, msg, rr, keep);
}

static const char *name_field(uint16_t type)
{
	switch (type) {
	case WW_DNS_NS: return "dns.ns";
	case WW_DNS_PTR: return "dns.ptr.domain_name";
	default: return "dns.cname";
	}
}

/* The cursor is limited to the rdata, which is all in the message. */
static int parse_rdata(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
		       struct ww_dns_rr *rr, bool keep)
{
	switch (rr->type) {
	case WW_DNS_A:
		if (rdlen_must_be(c, msg, rr, "A", 4) < 0)
			return -1;
		rr->rd.a = ww_cur_u32(c, "dns.a");
		break;
	case WW_DNS_AAAA:
		if (rdlen_must_be(c, msg, rr, "AAAA", 16) < 0)
			return -1;
		ww_cur_copy(c, rr->rd.aaaa, 16, "dns.aaaa");
		break;
	case WW_DNS_CNAME: case WW_DNS_NS: case WW_DNS_PTR:
		ww_dns_name_parse(c, msg, msg_len, &rr->rd.name, name_field(rr->type));
		break;
	case WW_DNS_MX:
		rr->rd.mx.preference = ww_cur_u16(c, "dns.mx.preference");
		ww_dns_name_parse(c, msg, msg_len, &rr->rd.mx.exchange, "dns.mx.mail_exchange");
		break;
	case WW_DNS_SOA: {
		struct ww_dns_soa *soa = &rr->rd.soa;
		size_t before = c->pos;
		ww_dns_name_parse(c, msg, msg_len, &soa->mname, "dns.soa.mname");
		rr->rd_name_len = (uint16_t)(c->pos - before);
		ww_dns_name_parse(c, msg, msg_len, &soa->rname, "dns.soa.rname");
		soa->serial = ww_cur_u32(c, "dns.soa.serial_number");
		soa->refresh = ww_cur_u32(c, "dns.soa.refresh_interval");
		soa->retry = ww_cur_u32(c, "dns.soa.retry_interval");
		soa->expire = ww_cur_u32(c, "dns.soa.expire_limit");
		soa->minimum = ww_cur_u32(c, "dns.soa.minimum_ttl");
		break;
	}
	case WW_DNS_TXT:
		return parse_txt(c, msg, rr, keep);
	case WW_DNS_OPT:
		return parse_opt(c, msg, rr, keep);
	default:
		return copy_bytes(c, msg, rr, keep);
	}
	return ww_cur_ok(c) ? 0 : -1;
}

int ww_dns_rr_parse(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
		    struct ww_dns_rr *rr)
{
	return ww_dns_rr_parse_keep(c, msg, msg_len, rr, true);
}

int ww_dns_rr_parse_keep(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
			 struct ww_dns_rr *rr, bool keep)
{
	memset(rr, 0, offsetof(struct ww_dns_rr, rd));
	memset(&rr->rd, 0, sizeof rr->rd.soa); /* the union's largest typed member */
	rr->rd_name_len = 0;
	rr->off = (uint16_t)(ww_cur_here(c) - msg);
	if (ww_dns_name_parse(c, msg, msg_len, &rr->rrname, "dns.resp.name") < 0)
		return -1;
	rr->type = ww_cur_u16(c, "dns.resp.type");
	bool opt = rr->type == WW_DNS_OPT;
	rr->rclass = ww_cur_u16(c, opt ? "dns.rr.udp_payload_size" : "dns.resp.class");
	rr->ttl = ww_cur_u32(c, opt ? "dns.resp.ext_rcode" : "dns.resp.ttl");
	rr->rdlen = ww_cur_u16(c, "dns.resp.len");
	if (!ww_cur_ok(c))
		return -1;
	rr->rdata_off = (uint16_t)(ww_cur_here(c) - msg);
	if (rr->rdlen > ww_cur_left(c))
		return ww_dns_fail(c, WW_TRUNCATED, "dns.resp.len",
				   ww_dns_frame_off(c, msg, rr->rdata_off - 2u),
				   "DNS RDLENGTH %u > %zu bytes left in the message", rr->rdlen,
				   ww_cur_left(c));

	size_t old_end = ww_cur_limit(c, rr->rdlen);
	parse_rdata(c, msg, msg_len, rr, keep);
	/* The rdata is all there (checked above), so running out inside it
	 * means the rdata is shorter than its type requires. */
	if (c->err.status == WW_TRUNCATED) {
		c->err.status = WW_INVALID;
		snprintf(c->err.msg, sizeof c->err.msg,
			 "DNS rdata ends inside %s (RDLENGTH %u too short for the type)",
			 c->err.field, rr->rdlen);
	}
	size_t extra = ww_cur_left(c);
	ww_cur_unlimit(c, old_end);
	if (!ww_cur_ok(c))
		return -1;
	if (extra)
		return ww_dns_fail(c, WW_INVALID, "dns.resp.len", ww_cur_offset(c),
				   "DNS rdata has %zu byte%s after its data (RDLENGTH %u too long "
				   "for the type)", extra, extra == 1 ? "" : "s", rr->rdlen);
	return 0;
}

/* ---- whole messages ---- */

/* Before reading item I of a section that should hold COUNT: a message
 * that ends exactly here was cut (or lied about its counts) — say so by the
 * count; and refuse what the fixed storage cannot hold. */
static int before_item(struct ww_cursor *c, int sec, unsigned i, unsigned count, unsigned limit)
{
	if (ww_cur_left(c) == 0)
		return ww_dns_fail(c, WW_TRUNCATED, count_fields[sec], ww_cur_offset(c),
				   "%s is %u but the message ends after %u of them",
				   count_fields[sec], count, i);
	if (i >= limit)
		return ww_dns_fail(c, WW_INVALID, count_fields[sec], ww_cur_offset(c),
				   "DNS message has more than %u %s%s: over this parser's limit",
				   limit, sec ? "records" : "questions",
				   sec ? " in all sections" : "");
	return 0;
}

int ww_dns_parse_cur(struct ww_cursor *c, struct ww_dns_msg *m)
{
	const uint8_t *msg = ww_cur_here(c);
	size_t msg_len = ww_cur_left(c);
	ww_dns_msg_init(m, 0, 0);
	if (msg_len > 0xffff) /* both transports carry at most 65535 bytes */
		return ww_dns_fail(c, WW_INVALID, "dns", ww_cur_offset(c),
				   "DNS message of %zu bytes: more than 65535", msg_len);
	if (ww_dns_header_parse(c, &m->h) < 0)
		return -1;
	for (unsigned i = 0; i < m->h.qdcount; i++) {
		if (before_item(c, 0, i, m->h.qdcount, WW_DNS_MAX_QUESTIONS) < 0 ||
		    ww_dns_question_parse(c, msg, msg_len, &m->q[i]) < 0)
			return -1;
		m->nq++;
	}
	const uint16_t counts[3] = { m->h.ancount, m->h.nscount, m->h.arcount };
	for (int sec = 0; sec < 3; sec++) {
		for (unsigned i = 0; i < counts[sec]; i++) {
			if (before_item(c, sec + 1, i, counts[sec], WW_DNS_MAX_RRS - m->nrr + i) < 0)
				return -1;
			struct ww_dns_rr *rr = &m->rr[m->nrr];
			if (ww_dns_rr_parse(c, msg, msg_len, rr) < 0)
				return -1;
			rr->section = (uint8_t)sec;
			m->nrr++;
			m->nsec[sec]++;
		}
	}
	m->trailing = (uint16_t)ww_cur_left(c);
	return 0;
}

int ww_dns_parse(const uint8_t *msg, size_t len, struct ww_dns_msg *m, struct ww_error *err)
{
	struct ww_cursor c;
	ww_cur_init(&c, msg, len, 0);
	int r = ww_dns_parse_cur(&c, m);
	if (err)
		*err = c.err;
	return r;
}

/* ---- emit ---- */

static void put16(struct ww_dns_out *out, uint16_t v)
{
	if (out->bad || out->cap - out->pos < 2) {
		out->bad = true;
		return;
	}
	ww_put16(out->buf + out->pos, v);
	out->pos += 2;
}

static void put32(struct ww_dns_out *out, uint32_t v)
{
	put16(out, (uint16_t)(v >> 16));
	put16(out, (uint16_t)v);
}

static void put_bytes(struct ww_dns_out *out, const uint8_t *p, size_t n)
{
	if (out->bad || out->cap - out->pos < n) {
		out->bad = true;
		return;
	}
	memcpy(out->buf + out->pos, p, n);
	out->pos += n;
}

static void put_rdata(struct ww_dns_out *out, const struct ww_dns_rr *rr)
{
	switch (rr->type) {
	case WW_DNS_A:
		put32(out, rr->rd.a);
		break;
	case WW_DNS_AAAA:
		put_bytes(out, rr->rd.aaaa, 16);
		break;
	case WW_DNS_CNAME: case WW_DNS_NS: case WW_DNS_PTR:
		ww_dns_name_put(out, &rr->rd.name, true);
		break;
	case WW_DNS_MX:
		put16(out, rr->rd.mx.preference);
		ww_dns_name_put(out, &rr->rd.mx.exchange, true);
		break;
	case WW_DNS_SOA:
		ww_dns_name_put(out, &rr->rd.soa.mname, true);
		ww_dns_name_put(out, &rr->rd.soa.rname, true);
		put32(out, rr->rd.soa.serial);
		put32(out, rr->rd.soa.refresh);
		put32(out, rr->rd.soa.retry);
		put32(out, rr->rd.soa.expire);
		put32(out, rr->rd.soa.minimum);
		break;
	default: /* TXT, OPT and unknown types: the bytes as kept */
		if (rr->rd.bytes.len > WW_DNS_RDATA_MAX)
			out->bad = true;
		else
			put_bytes(out, rr->rd.bytes.b, rr->rd.bytes.len);
	}
}

static void put_rr(struct ww_dns_out *out, const struct ww_dns_rr *rr)
{
	ww_dns_name_put(out, &rr->rrname, true);
	put16(out, rr->type);
	put16(out, rr->rclass);
	put32(out, rr->ttl);
	size_t len_at = out->pos;
	put16(out, rr->rdlen);
	size_t start = out->pos;
	put_rdata(out, rr);
	if (out->bad)
		return;
	size_t n = out->pos - start;
	if (n > 0xffff) {
		out->bad = true;
		return;
	}
	if (!(rr->manual & WW_DNS_RR_MANUAL_RDLEN))
		ww_put16(out->buf + len_at, (uint16_t)n);
}

size_t ww_dns_emit(const struct ww_dns_msg *m, uint8_t *buf, size_t cap)
{
	static const struct ww_dns_out zero;
	struct ww_dns_out out = zero;
	out.buf = buf;
	out.cap = cap;
	out.no_compress = m->no_compress;
	if (m->nq > WW_DNS_MAX_QUESTIONS || m->nrr > WW_DNS_MAX_RRS)
		return 0;
	bool manual = m->manual & WW_DNS_MANUAL_COUNTS;
	put16(&out, m->h.id);
	put16(&out, m->h.flags);
	put16(&out, manual ? m->h.qdcount : m->nq);
	put16(&out, manual ? m->h.ancount : m->nsec[0]);
	put16(&out, manual ? m->h.nscount : m->nsec[1]);
	put16(&out, manual ? m->h.arcount : m->nsec[2]);
	for (unsigned i = 0; i < m->nq; i++) {
		ww_dns_name_put(&out, &m->q[i].qname, true);
		put16(&out, m->q[i].qtype);
		put16(&out, m->q[i].qclass);
	}
	for (unsigned i = 0; i < m->nrr; i++)
		put_rr(&out, &m->rr[i]);
	return out.bad ? 0 : out.pos;
}

/* ---- comparing ---- */

static bool name_same(const struct ww_dns_name *a, const struct ww_dns_name *b)
{
	return a->len == b->len && memcmp(a->wire, b->wire, a->len) == 0;
}

bool ww_dns_rr_equal(const struct ww_dns_rr *a, const struct ww_dns_rr *b)
{
	if (!name_same(&a->rrname, &b->rrname) || a->type != b->type || a->rclass != b->rclass ||
	    a->ttl != b->ttl)
		return false;
	switch (a->type) {
	case WW_DNS_A:
		return a->rd.a == b->rd.a;
	case WW_DNS_AAAA:
		return memcmp(a->rd.aaaa, b->rd.aaaa, 16) == 0;
	case WW_DNS_CNAME: case WW_DNS_NS: case WW_DNS_PTR:
		return name_same(&a->rd.name, &b->rd.name);
	case WW_DNS_MX:
		return a->rd.mx.preference == b->rd.mx.preference &&
		       name_same(&a->rd.mx.exchange, &b->rd.mx.exchange);
	case WW_DNS_SOA: {
		const struct ww_dns_soa *x = &a->rd.soa, *y = &b->rd.soa;
		return name_same(&x->mname, &y->mname) && name_same(&x->rname, &y->rname) &&
		       x->serial == y->serial && x->refresh == y->refresh && x->retry == y->retry &&
		       x->expire == y->expire && x->minimum == y->minimum;
	}
	default:
		return a->rd.bytes.len == b->rd.bytes.len && a->rd.bytes.len <= WW_DNS_RDATA_MAX &&
		       memcmp(a->rd.bytes.b, b->rd.bytes.b, a->rd.bytes.len) == 0;
	}
}

/* ---- building ---- */

void ww_dns_msg_init(struct ww_dns_msg *m, uint16_t id, uint16_t flags)
{
	/* Only the header and counts: the arrays are written before read. */
	memset(&m->h, 0, sizeof m->h);
	m->h.id = id;
	m->h.flags = flags;
	m->manual = 0;
	m->no_compress = false;
	m->nq = m->nrr = 0;
	m->nsec[0] = m->nsec[1] = m->nsec[2] = 0;
	m->trailing = 0;
}

struct ww_dns_question *ww_dns_question_add(struct ww_dns_msg *m, const struct ww_dns_name *name,
					    uint16_t qtype, uint16_t qclass)
{
	if (m->nq >= WW_DNS_MAX_QUESTIONS)
		return NULL;
	struct ww_dns_question *q = &m->q[m->nq++];
	q->qname = *name;
	q->qtype = qtype;
	q->qclass = qclass;
	return q;
}

int ww_dns_query_init(struct ww_dns_msg *m, uint16_t id, const char *name, uint16_t type,
		      bool rd)
{
	struct ww_dns_name n;
	ww_dns_msg_init(m, id, rd ? WW_DNS_RD : 0);
	if (ww_dns_name_from_text(&n, name, NULL) < 0)
		return -1;
	ww_dns_question_add(m, &n, type, WW_DNS_CLASS_IN);
	return 0;
}

struct ww_dns_rr *ww_dns_rr_add(struct ww_dns_msg *m, enum ww_dns_section section,
				const struct ww_dns_name *name, uint16_t type, uint32_t ttl)
{
	if (m->nrr >= WW_DNS_MAX_RRS || (unsigned)section > WW_DNS_ADDITIONAL)
		return NULL;
	unsigned at = 0;
	for (unsigned s = 0; s <= (unsigned)section; s++)
		at += m->nsec[s];
	memmove(&m->rr[at + 1], &m->rr[at], (m->nrr - at) * sizeof m->rr[0]);
	m->nrr++;
	m->nsec[section]++;
	struct ww_dns_rr *rr = &m->rr[at];
	memset(rr, 0, sizeof *rr);
	rr->rrname = *name;
	rr->type = type;
	rr->rclass = WW_DNS_CLASS_IN;
	rr->ttl = ttl;
	rr->section = (uint8_t)section;
	return rr;
}

struct ww_dns_rr *ww_dns_opt_add(struct ww_dns_msg *m, uint16_t udp_size, bool do_bit)
{
	struct ww_dns_name root;
	ww_dns_name_root(&root);
	struct ww_dns_rr *rr = ww_dns_rr_add(m, WW_DNS_ADDITIONAL, &root, WW_DNS_OPT,
					     do_bit ? 0x8000u : 0);
	if (rr)
		rr->rclass = udp_size;
	return rr;
}

int ww_dns_txt_add(struct ww_dns_rr *rr, const void *s, size_t n)
{
	struct ww_dns_bytes *b = &rr->rd.bytes;
	if (n > 255 || b->len > WW_DNS_RDATA_MAX || (size_t)(WW_DNS_RDATA_MAX - b->len) < n + 1)
		return -1;
	b->b[b->len] = (uint8_t)n;
	memcpy(b->b + b->len + 1, s, n);
	b->len = (uint16_t)(b->len + 1 + n);
	return 0;
}

bool ww_dns_txt_next(const struct ww_dns_rr *rr, size_t *pos, const uint8_t **s, size_t *n)
{
	const struct ww_dns_bytes *b = &rr->rd.bytes;
	size_t len = b->len < WW_DNS_RDATA_MAX ? b->len : WW_DNS_RDATA_MAX;
	if (*pos >= len || b->b[*pos] + 1u > len - *pos)
		return false;
	*n = b->b[*pos];
	*s = b->b + *pos + 1;
	*pos += 1 + *n;
	return true;
}

const struct ww_dns_rr *ww_dns_section_rrs(const struct ww_dns_msg *m, enum ww_dns_section section,
					   unsigned *n)
{
	unsigned at = 0;
	for (unsigned s = 0; s < (unsigned)section && s < 3; s++)
		at += m->nsec[s];
	*n = (unsigned)section <= WW_DNS_ADDITIONAL ? m->nsec[section] : 0;
	return &m->rr[at];
}

const struct ww_dns_rr *ww_dns_opt_find(const struct ww_dns_msg *m)
{
	unsigned n;
	const struct ww_dns_rr *rr = ww_dns_section_rrs(m, WW_DNS_ADDITIONAL, &n);
	for (unsigned i = 0; i < n; i++)
		if (rr[i].type == WW_DNS_OPT)
			return &rr[i];
	return NULL;
}

unsigned ww_dns_rcode(const struct ww_dns_msg *m)
{
	const struct ww_dns_rr *opt = ww_dns_opt_find(m);
	unsigned ext = opt ? ww_dns_opt_ext_rcode(opt) : 0;
	return ext << 4 | WW_DNS_RCODE(m->h.flags);
}
