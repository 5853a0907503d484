/* Crafting expressions, the builder: each layer's header starts as a stack
 * would fill it, the fields a person set are laid over its bits, and the
 * wire emitters write the frame, computing every length and checksum that
 * was not set. Also: which received frame answers a crafted one (sr1). */
#include <stdio.h>
#include <string.h>

#include "craft_int.h"
#include "ww/arp.h"
#include "ww/bytes.h"
#include "ww/dissect.h"
#include "ww/eth.h"
#include "ww/icmp.h"
#include "ww/ipv4.h"
#include "ww/tcp.h"
#include "ww/udp.h"

#define DEFAULT_TCP_WINDOW 64240 /* Linux's first window: 44 segments of 1460 */
#define DEFAULT_TCP_DPORT 80     /* Scapy's defaults for a port left unset */
#define DEFAULT_UDP_DPORT 53
#define ETHERTYPE_EXPERIMENTAL 0x88b5 /* IEEE 802 local experimental: no payload protocol */
#define IPPROTO_EXPERIMENTAL 253      /* RFC 3692: for experiments */

/* One layer as the builder sees it. */
struct part {
	enum ww_craft_kind kind;
	const struct ww_craft_layer *l;
	union {
		struct ww_eth eth;
		struct ww_arp arp;
		struct ww_ipv4 ip;
		struct ww_icmp icmp;
		struct ww_udp udp;
		struct ww_tcp tcp;
	} h;
	uint8_t vlan[WW_VLAN_HLEN];
	const uint8_t *raw;
	size_t rawlen;
	size_t off, hlen;
};

static bool sets(const struct ww_craft_layer *l, const struct ww_field *f)
{
	return craft_find_set(l, f) != NULL;
}

/* Lay the fields set in L over the header image IMG (N bytes), in the
 * order written: a later assignment of the same bits wins. */
static void overlay(const struct ww_craft_layer *l, uint8_t *img, size_t n)
{
	for (unsigned i = 0; i < l->nsets; i++) {
		const struct ww_craft_set *s = &l->sets[i];
		struct craft_slot slot;
		if (craft_slot(l->kind, s->f, &slot) < 0 || slot.bit_off < 0 || slot.kind == SLOT_BYTES)
			continue;
		if (((unsigned)slot.bit_off + slot.width + 7) / 8 > n)
			continue;
		if (slot.kind == SLOT_MAC)
			memcpy(img + slot.bit_off / 8, s->mac, 6);
		else
			ww_put_bits(img, (unsigned)slot.bit_off, slot.width, s->v);
	}
}

static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---- each kind: defaults, then the image read back ----------------------- */

static uint16_t ethertype_for(const struct part *above)
{
	if (!above)
		return ETHERTYPE_EXPERIMENTAL;
	switch (above->kind) {
	case WW_CRAFT_VLAN: return WW_ETHERTYPE_VLAN;
	case WW_CRAFT_ARP: return WW_ETHERTYPE_ARP;
	case WW_CRAFT_IP: return WW_ETHERTYPE_IPV4;
	default: return ETHERTYPE_EXPERIMENTAL;
	}
}

static void make_vlan(struct part *p, const struct part *above)
{
	memset(p->vlan, 0, sizeof p->vlan);
	ww_put16(p->vlan + 2, ethertype_for(above));
	overlay(p->l, p->vlan, sizeof p->vlan);
	p->hlen = WW_VLAN_HLEN;
}

static int make_arp(struct part *p, const struct ww_craft_env *env, struct ww_expr_error *err)
{
	struct ww_arp *a = &p->h.arp;
	if (!sets(p->l, &ww_arp_fields[WW_ARP_F_DST_PROTO_IPV4]))
		return ww_expr_fail(err, p->l->pos, p->l->tlen,
				    "arp(...) needs the address asked about: arp(pdst=192.168.1.1)");
	ww_arp_init(a);
	memcpy(a->sha, env->mac, 6);
	a->spa = env->ip;
	uint8_t img[WW_ARP_LEN];
	ww_arp_emit(a, img, sizeof img);
	overlay(p->l, img, sizeof img);
	a->htype = ww_get16(img);
	a->ptype = ww_get16(img + 2);
	a->hlen = img[4];
	a->plen = img[5];
	a->op = ww_get16(img + 6);
	memcpy(a->sha, img + 8, 6);
	a->spa = ww_get32(img + 14);
	memcpy(a->tha, img + 18, 6);
	a->tpa = ww_get32(img + 24);
	if (sets(p->l, &ww_arp_fields[WW_ARP_F_HW_SIZE]) || sets(p->l, &ww_arp_fields[WW_ARP_F_PROTO_SIZE]))
		a->manual |= WW_ARP_MANUAL_SIZES;
	p->hlen = WW_ARP_LEN;
	return 0;
}

static uint8_t ipproto_for(const struct part *above)
{
	if (!above)
		return IPPROTO_EXPERIMENTAL;
	switch (above->kind) {
	case WW_CRAFT_ICMP: return WW_IPPROTO_ICMP;
	case WW_CRAFT_UDP: return WW_IPPROTO_UDP;
	case WW_CRAFT_TCP: return WW_IPPROTO_TCP;
	case WW_CRAFT_IP: return 4; /* IP in IP (RFC 2003) */
	default: return IPPROTO_EXPERIMENTAL;
	}
}

/* OUTER is the IPv4 header below this one, if any (then this one is
 * quoted in an ICMP error or tunnelled). */
static int make_ip(struct part *p, const struct part *outer, const struct part *above,
		   const struct ww_craft *c, const struct ww_craft_env *env,
		   struct ww_expr_error *err)
{
	struct ww_ipv4 *ip = &p->h.ip;
	ww_ipv4_init(ip);
	ip->id = env->ip_id;
	ip->proto = ipproto_for(above);
	if (outer) {
		/* A quoted datagram is one the error's receiver sent. */
		ip->src = outer->h.ip.dst;
		ip->dst = outer->h.ip.src;
	} else {
		ip->src = env->ip;
		if (!sets(p->l, &ww_ipv4_fields[WW_IP_F_DST]))
			return ww_expr_fail(err, p->l->pos, p->l->tlen,
					    "ip(...) needs a destination: ip(dst=192.0.2.10)");
	}
	const struct ww_craft_set *o = craft_find_set(p->l, &ww_craft_ip_options);
	if (o) {
		if (o->len > WW_IPV4_MAX_OPTS)
			return ww_expr_fail(err, o->pos, o->tlen, "%u bytes of options: at most %d fit",
					    o->len, WW_IPV4_MAX_OPTS);
		memcpy(ip->options, c->data + o->off, o->len);
		ip->opt_len = (uint8_t)o->len;
	}
	uint8_t img[60];
	ww_ipv4_emit(ip, 0, img, sizeof img);
	overlay(p->l, img, WW_IPV4_HLEN);
	ip->version = img[0] >> 4;
	ip->ihl = img[0] & 15;
	ip->tos = img[1];
	ip->total_len = ww_get16(img + 2);
	ip->id = ww_get16(img + 4);
	ip->flags = (uint8_t)(img[6] >> 5);
	ip->frag_off = ww_get16(img + 6) & 0x1fff;
	ip->ttl = img[8];
	ip->proto = img[9];
	ip->checksum = ww_get16(img + 10);
	ip->src = ww_get32(img + 12);
	ip->dst = ww_get32(img + 16);
	ip->manual = 0;
	if (sets(p->l, &ww_ipv4_fields[WW_IP_F_HDR_LEN]))
		ip->manual |= WW_IPV4_MANUAL_IHL;
	if (sets(p->l, &ww_ipv4_fields[WW_IP_F_LEN]))
		ip->manual |= WW_IPV4_MANUAL_LEN;
	if (sets(p->l, &ww_ipv4_fields[WW_IP_F_CHECKSUM]))
		ip->manual |= WW_IPV4_MANUAL_CSUM;
	p->hlen = ww_ipv4_header_len(ip);
	return 0;
}

static void make_icmp(struct part *p)
{
	struct ww_icmp *m = &p->h.icmp;
	*m = (struct ww_icmp){ .type = WW_ICMP_ECHO_REQUEST };
	uint8_t img[WW_ICMP_HLEN];
	ww_icmp_emit(m, img, sizeof img);
	overlay(p->l, img, sizeof img);
	m->type = img[0];
	m->code = img[1];
	m->checksum = ww_get16(img + 2);
	m->ident = ww_get16(img + 4);
	m->seq = ww_get16(img + 6);
	m->rest = ww_get32(img + 4);
	if (sets(p->l, &ww_icmp_fields[WW_ICMP_F_CHECKSUM]))
		m->manual = WW_ICMP_MANUAL_CSUM;
	p->hlen = WW_ICMP_HLEN;
}

static void make_udp(struct part *p, const struct ww_craft_env *env)
{
	struct ww_udp *u = &p->h.udp;
	*u = (struct ww_udp){ .sport = env->sport, .dport = DEFAULT_UDP_DPORT };
	uint8_t img[WW_UDP_HLEN];
	ww_udp_emit(u, 0, 0, img, sizeof img);
	overlay(p->l, img, sizeof img);
	u->sport = ww_get16(img);
	u->dport = ww_get16(img + 2);
	u->len = ww_get16(img + 4);
	u->checksum = ww_get16(img + 6);
	if (sets(p->l, &ww_udp_fields[WW_UDP_F_LENGTH]))
		u->manual |= WW_UDP_MANUAL_LEN;
	if (sets(p->l, &ww_udp_fields[WW_UDP_F_CHECKSUM]))
		u->manual |= WW_UDP_MANUAL_CSUM;
	p->hlen = WW_UDP_HLEN;
}

/* The options understood, as set; or the option bytes as given. */
static void tcp_options(struct ww_tcp *t, const struct ww_craft_layer *l, const struct ww_craft *c)
{
	for (unsigned i = 0; i < l->nsets; i++) {
		const struct ww_craft_set *s = &l->sets[i];
		if (s->f == &ww_tcp_fields[WW_TCP_F_MSS_VAL]) {
			t->has_mss = true;
			t->mss = (uint16_t)s->v;
		} else if (s->f == &ww_tcp_fields[WW_TCP_F_WSCALE_SHIFT]) {
			t->has_wscale = true;
			t->wscale = (uint8_t)s->v;
		} else if (s->f == &ww_tcp_fields[WW_TCP_F_OPT_SACK_PERM]) {
			t->sack_perm = s->v != 0;
		} else if (s->f == &ww_tcp_fields[WW_TCP_F_TSVAL]) {
			t->has_ts = true;
			t->tsval = (uint32_t)s->v;
		} else if (s->f == &ww_tcp_fields[WW_TCP_F_TSECR]) {
			t->has_ts = true;
			t->tsecr = (uint32_t)s->v;
		} else if (s->f == &ww_tcp_fields[WW_TCP_F_OPTIONS]) {
			t->manual |= WW_TCP_MANUAL_OPTS;
			t->opt_len = (uint8_t)(s->len > WW_TCP_MAX_OPTS ? WW_TCP_MAX_OPTS + 1 : s->len);
			memcpy(t->options, c->data + s->off,
			       s->len > WW_TCP_MAX_OPTS ? WW_TCP_MAX_OPTS : s->len);
		}
	}
}

static int make_tcp(struct part *p, const struct ww_craft *c, const struct ww_craft_env *env,
		    struct ww_expr_error *err)
{
	struct ww_tcp *t = &p->h.tcp;
	*t = (struct ww_tcp){ .sport = env->sport, .dport = DEFAULT_TCP_DPORT, .flags = WW_TCP_SYN,
			      .window = DEFAULT_TCP_WINDOW };
	tcp_options(t, p->l, c);
	size_t hlen = ww_tcp_header_len(t);
	if (t->opt_len > WW_TCP_MAX_OPTS || hlen > WW_TCP_MAX_HLEN)
		return ww_expr_fail(err, p->l->pos, p->l->tlen,
				    "the TCP options take %zu bytes: at most %d fit",
				    t->opt_len > WW_TCP_MAX_OPTS ? (size_t)t->opt_len : hlen - WW_TCP_HLEN,
				    WW_TCP_MAX_OPTS);
	uint8_t img[WW_TCP_MAX_HLEN];
	ww_tcp_emit(t, 0, 0, img, hlen);
	overlay(p->l, img, WW_TCP_HLEN);
	t->sport = ww_get16(img);
	t->dport = ww_get16(img + 2);
	t->seq = ww_get32(img + 4);
	t->ack = ww_get32(img + 8);
	t->doff = img[12] >> 4;
	t->flags = (uint16_t)((img[12] & 0x0f) << 8 | img[13]);
	t->window = ww_get16(img + 14);
	t->checksum = ww_get16(img + 16);
	t->urgent = ww_get16(img + 18);
	if (sets(p->l, &ww_tcp_fields[WW_TCP_F_HDR_LEN]))
		t->manual |= WW_TCP_MANUAL_DOFF;
	if (sets(p->l, &ww_tcp_fields[WW_TCP_F_CHECKSUM]))
		t->manual |= WW_TCP_MANUAL_CSUM;
	p->hlen = hlen;
	return 0;
}

/* Where the frame goes on the link: an ARP request to everyone, an IPv4
 * datagram to the next hop that routing and ARP name. */
static int eth_destination(const struct part *parts, unsigned n, const struct ww_craft_env *env,
			   uint8_t dst[6], struct ww_expr_error *err)
{
	const struct part *up = NULL;
	for (unsigned i = 1; i < n && !up; i++)
		if (parts[i].kind != WW_CRAFT_VLAN)
			up = &parts[i];
	memcpy(dst, broadcast, 6);
	if (up && up->kind == WW_CRAFT_ARP) {
		static const uint8_t zero[6];
		if (up->h.arp.op != WW_ARP_REQUEST && memcmp(up->h.arp.tha, zero, 6) != 0)
			memcpy(dst, up->h.arp.tha, 6);
		return 0;
	}
	if (!up || up->kind != WW_CRAFT_IP)
		return 0;
	uint32_t ip = up->h.ip.dst;
	if (ip == 0xffffffffu)
		return 0;
	if ((ip >> 28) == 0xe) { /* multicast: 01:00:5e and the low 23 bits (RFC 1112 §6.4) */
		uint8_t m[6] = { 0x01, 0x00, 0x5e, (uint8_t)(ip >> 16 & 0x7f), (uint8_t)(ip >> 8),
				 (uint8_t)ip };
		memcpy(dst, m, 6);
		return 0;
	}
	char why[160] = "";
	char addr[16];
	if (!env->next_hop_mac)
		return ww_expr_fail(err, up->l->pos, up->l->tlen,
				    "no way to find the MAC for %s here: set eth(dst=...)",
				    ww_ipv4_str(ip, addr));
	if (env->next_hop_mac(env->arg, ip, dst, why, sizeof why) < 0)
		return ww_expr_fail(err, up->l->pos, up->l->tlen, "%s",
				    why[0] ? why : "no next hop for the destination");
	return 0;
}

static int make_eth(struct part *parts, unsigned n, const struct ww_craft_env *env,
		    struct ww_expr_error *err)
{
	struct part *p = &parts[0];
	struct ww_eth *e = &p->h.eth;
	memset(e, 0, sizeof *e);
	memcpy(e->src, env->mac, 6);
	e->type = ethertype_for(n > 1 ? &parts[1] : NULL);
	/* A destination set by hand is not resolved: the frame can go to a
	 * host no route or ARP knows. */
	if (!sets(p->l, &ww_eth_fields[WW_ETH_F_DST]) && eth_destination(parts, n, env, e->dst, err) < 0)
		return -1;
	uint8_t img[WW_ETH_HLEN];
	ww_eth_emit(e, img, sizeof img);
	overlay(p->l, img, sizeof img);
	memcpy(e->dst, img, 6);
	memcpy(e->src, img + 6, 6);
	e->type = ww_get16(img + 12);
	p->hlen = WW_ETH_HLEN;
	return 0;
}

/* ---- the frame ---------------------------------------------------------- */

static const struct part *ip_below(const struct part *parts, unsigned i)
{
	while (i-- > 0)
		if (parts[i].kind == WW_CRAFT_IP)
			return &parts[i];
	return NULL;
}

static int make_headers(struct part *parts, unsigned n, const struct ww_craft *c,
			const struct ww_craft_env *env, struct ww_expr_error *err)
{
	/* Bottom up, so a header can use the one below (the pseudo-header's
	 * addresses, a quoted datagram's); Ethernet last, as its destination
	 * depends on the network layer above it. */
	for (unsigned i = 1; i < n; i++) {
		struct part *p = &parts[i];
		const struct part *above = i + 1 < n ? &parts[i + 1] : NULL;
		int rc = 0;
		switch (p->kind) {
		case WW_CRAFT_VLAN: make_vlan(p, above); break;
		case WW_CRAFT_ARP: rc = make_arp(p, env, err); break;
		case WW_CRAFT_IP: rc = make_ip(p, ip_below(parts, i), above, c, env, err); break;
		case WW_CRAFT_ICMP: make_icmp(p); break;
		case WW_CRAFT_UDP: make_udp(p, env); break;
		case WW_CRAFT_TCP: rc = make_tcp(p, c, env, err); break;
		case WW_CRAFT_RAW: {
			const struct ww_craft_set *s = p->l->nsets ? &p->l->sets[p->l->nsets - 1] : NULL;
			p->raw = s ? c->data + s->off : NULL;
			p->rawlen = s ? s->len : 0;
			p->hlen = p->rawlen;
			break;
		}
		default: break;
		}
		if (rc < 0)
			return -1;
	}
	return make_eth(parts, n, env, err);
}

static int emit_part(const struct part *parts, unsigned i, uint8_t *buf, size_t total,
		     struct ww_expr_error *err)
{
	const struct part *p = &parts[i];
	uint8_t *at = buf + p->off;
	size_t rest = total - p->off; /* this header and everything after it */
	const struct part *ip = ip_below(parts, i);
	size_t ok = 1;
	switch (p->kind) {
	case WW_CRAFT_ETH: ok = ww_eth_emit(&p->h.eth, at, rest); break;
	case WW_CRAFT_VLAN: memcpy(at, p->vlan, WW_VLAN_HLEN); break;
	case WW_CRAFT_ARP: ok = ww_arp_emit(&p->h.arp, at, rest); break;
	case WW_CRAFT_IP: ok = ww_ipv4_emit(&p->h.ip, rest - p->hlen, at, p->hlen); break;
	case WW_CRAFT_ICMP: ok = ww_icmp_emit(&p->h.icmp, at, rest); break;
	case WW_CRAFT_UDP:
		ok = ww_udp_emit(&p->h.udp, ip->h.ip.src, ip->h.ip.dst, at, rest);
		break;
	case WW_CRAFT_TCP:
		ok = ww_tcp_emit(&p->h.tcp, ip->h.ip.src, ip->h.ip.dst, at, rest);
		break;
	case WW_CRAFT_RAW:
		if (p->rawlen)
			memcpy(at, p->raw, p->rawlen);
		break;
	default: break;
	}
	if (ok == 0)
		return ww_expr_fail(err, p->l->pos, p->l->tlen,
				    "%s: %zu bytes are more than its length field can hold",
				    ww_craft_kind_name(p->kind), rest);
	return 0;
}

int ww_craft_build(const struct ww_craft *c, const struct ww_craft_env *env, uint8_t *buf,
		   size_t cap, size_t *len, struct ww_expr_error *err)
{
	memset(err, 0, sizeof *err);
	struct part parts[WW_CRAFT_MAX_LAYERS];
	unsigned n = c->nlayers;
	if (n == 0 || c->layers[0].kind != WW_CRAFT_ETH)
		return ww_expr_fail(err, 0, 0, "nothing to build");
	memset(parts, 0, sizeof parts);
	for (unsigned i = 0; i < n; i++) {
		parts[i].kind = c->layers[i].kind;
		parts[i].l = &c->layers[i];
	}
	if (make_headers(parts, n, c, env, err) < 0)
		return -1;
	size_t total = 0;
	for (unsigned i = 0; i < n; i++) {
		parts[i].off = total;
		total += parts[i].hlen;
	}
	size_t framed = total < WW_ETH_MIN_FRAME ? WW_ETH_MIN_FRAME : total;
	if (framed > cap || framed > WW_CRAFT_MAX_FRAME)
		return ww_expr_fail(err, 0, 0, "the frame would be %zu bytes: at most %zu", total,
				    cap < WW_CRAFT_MAX_FRAME ? cap : (size_t)WW_CRAFT_MAX_FRAME);
	for (unsigned i = n; i-- > 0;)
		if (emit_part(parts, i, buf, total, err) < 0)
			return -1;
	/* The NIC pads a short frame to the 60-byte minimum with zeros. */
	memset(buf + total, 0, framed - total);
	*len = framed;
	return 0;
}

bool ww_craft_opens_connection(const struct ww_craft *c)
{
	for (unsigned i = c->nlayers; i-- > 0;) {
		const struct ww_craft_layer *l = &c->layers[i];
		if (l->kind != WW_CRAFT_TCP)
			continue;
		if (sets(l, &ww_tcp_fields[WW_TCP_F_SRCPORT]))
			return false;
		uint8_t img[WW_TCP_HLEN] = { [13] = WW_TCP_SYN };
		overlay(l, img, sizeof img);
		uint16_t flags = (uint16_t)((img[12] & 0x0f) << 8 | img[13]);
		return (flags & (WW_TCP_SYN | WW_TCP_ACK)) == WW_TCP_SYN;
	}
	return false;
}

/* ---- answers ------------------------------------------------------------ */

static const struct ww_layer *top_layer(const struct ww_dissection *d, enum ww_proto proto,
					uint8_t depth)
{
	for (unsigned i = 0; i < d->nlayers; i++)
		if (d->layers[i].proto == proto && d->layers[i].depth == depth)
			return &d->layers[i];
	return NULL;
}

/* The reply type for a request with an identifier (RFC 792, RFC 950). */
static int reply_type(uint8_t type)
{
	switch (type) {
	case WW_ICMP_ECHO_REQUEST: return WW_ICMP_ECHO_REPLY;
	case WW_ICMP_TIMESTAMP: return WW_ICMP_TIMESTAMP_REPLY;
	case WW_ICMP_INFO_REQUEST: return WW_ICMP_INFO_REPLY;
	case WW_ICMP_MASK_REQUEST: return WW_ICMP_MASK_REPLY;
	default: return -1;
	}
}

static bool quotes(const struct ww_dissection *got, const struct ww_ipv4 *sent)
{
	const struct ww_layer *q = top_layer(got, WW_P_IPV4, 1);
	return q && q->h.ip.src == sent->src && q->h.ip.dst == sent->dst &&
	       q->h.ip.proto == sent->proto && q->h.ip.id == sent->id;
}

bool ww_craft_answers(const struct ww_dissection *sent, const struct ww_dissection *got)
{
	const struct ww_layer *sa = top_layer(sent, WW_P_ARP, 0);
	if (sa) {
		const struct ww_layer *ga = top_layer(got, WW_P_ARP, 0);
		return sa->h.arp.op == WW_ARP_REQUEST && ga && ga->h.arp.op == WW_ARP_REPLY &&
		       ga->h.arp.spa == sa->h.arp.tpa;
	}
	const struct ww_layer *si = top_layer(sent, WW_P_IPV4, 0);
	const struct ww_layer *gi = top_layer(got, WW_P_IPV4, 0);
	if (!si || !gi)
		return false;
	const struct ww_layer *gm = top_layer(got, WW_P_ICMP, 0);
	if (gm && ww_icmp_is_error(gm->h.icmp.type) && quotes(got, &si->h.ip))
		return true;
	if (gi->h.ip.src != si->h.ip.dst || gi->h.ip.dst != si->h.ip.src ||
	    gi->h.ip.proto != si->h.ip.proto)
		return false;
	const struct ww_layer *sm = top_layer(sent, WW_P_ICMP, 0);
	if (sm) {
		int want = reply_type(sm->h.icmp.type);
		return gm && want >= 0 && gm->h.icmp.type == want &&
		       gm->h.icmp.ident == sm->h.icmp.ident && gm->h.icmp.seq == sm->h.icmp.seq;
	}
	const struct ww_layer *st = top_layer(sent, WW_P_TCP, 0);
	if (st) {
		const struct ww_layer *gt = top_layer(got, WW_P_TCP, 0);
		return gt && gt->h.tcp.sport == st->h.tcp.dport && gt->h.tcp.dport == st->h.tcp.sport;
	}
	const struct ww_layer *su = top_layer(sent, WW_P_UDP, 0);
	if (su) {
		const struct ww_layer *gu = top_layer(got, WW_P_UDP, 0);
		return gu && gu->h.udp.sport == su->h.udp.dport && gu->h.udp.dport == su->h.udp.sport;
	}
	return true;
}
