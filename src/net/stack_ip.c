/* IPv4 in the stack (RFC 791, RFC 1122 §3.2.1): checks on the way in,
 * reassembly, delivery to ICMP or a registered handler; on the way out,
 * routing, ARP, fragmentation to the MTU, framing. This host does not
 * forward: a datagram not addressed to it is dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack_int.h"
#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/eth.h"
#include "ww/icmp.h"

static const char *proto_name(uint8_t proto, char *buf, size_t len)
{
	const char *n = ww_tok_str(ww_ipproto_names, proto);
	if (n)
		return n;
	snprintf(buf, len, "protocol %u", proto);
	return buf;
}

/* The counter a reassembly verdict names. */
static enum ww_ctr frag_counter(const char *reason)
{
	static const enum ww_ctr cs[] = {
		C_IP_FRAG_OVERLAP, C_IP_FRAG_DUPLICATE, C_IP_FRAG_TOO_BIG, C_IP_FRAG_BAD_LEN,
		C_IP_FRAG_LIMIT,
	};
	for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
		if (strcmp(st_counter_name(cs[i]), reason) == 0)
			return cs[i];
	return C_IP_FRAG_LIMIT;
}

/* A whole datagram for us: to ICMP, to a handler, or reported. */
static void deliver(struct ww_stack *st, const uint8_t *dgram, size_t len, unsigned nfrags,
		    bool to_broadcast, uint64_t now)
{
	struct ww_cursor c;
	ww_cur_init(&c, dgram, len, 0);
	struct ww_ipv4 ip;
	if (ww_ipv4_parse(&c, &ip) < 0)
		return; /* checked before: cannot happen */
	st->ctr[C_IP_DATAGRAMS_RECEIVED]++;
	const uint8_t *payload = ww_cur_here(&c);
	size_t plen = ww_cur_left(&c);
	struct st_rx rx = {
		.ip = &ip, .hdr = dgram, .hlen = (size_t)ip.ihl * 4, .nfrags = nfrags,
		.to_broadcast = to_broadcast,
	};
	if (ip.proto == WW_IPPROTO_ICMP) {
		st_icmp_input(st, &rx, payload, plen, now);
		return;
	}
	if (st->handlers[ip.proto].fn) {
		st->handlers[ip.proto].fn(st->handlers[ip.proto].arg, &ip, payload, plen, now);
		return;
	}
	/* No RST, no port unreachable: the person at the shell may be the
	 * one to answer it, by hand (DESIGN.md §2). */
	char src[16], pn[16];
	const char *name = proto_name(ip.proto, pn, sizeof pn);
	st->ctr[C_IP_UNHANDLED]++;
	st_event(st, WW_EV_INFO, now, st_counter_name(C_IP_UNHANDLED),
		 "%s datagram from %s: nothing in this stack handles %s, so it is not answered "
		 "(no RST, no ICMP); it stays in the packet list",
		 name, ww_ipv4_str(ip.src, src), name);
}

static bool bad_source(const struct ww_stack *st, uint32_t src)
{
	return src == 0xffffffffu || (src >> 28) == 0xe || st_is_broadcast(st, src);
}

void st_ip_input(struct ww_stack *st, const uint8_t *pkt, size_t len, uint32_t base,
		 uint64_t now)
{
	struct ww_cursor c;
	ww_cur_init(&c, pkt, len, base);
	struct ww_ipv4 ip;
	if (ww_ipv4_parse(&c, &ip) < 0) {
		st_drop(st, c.err.status == WW_TRUNCATED ? C_IP_TRUNCATED : C_IP_MALFORMED, now, "%s",
			c.err.msg);
		return;
	}
	size_t hlen = (size_t)ip.ihl * 4;
	if (ww_inet_csum(pkt, hlen) != 0) {
		uint8_t h[60];
		memcpy(h, pkt, hlen);
		ww_put16(h + 10, 0);
		st_drop(st, C_IP_BAD_CHECKSUM, now, "header checksum 0x%04x, should be 0x%04x",
			ip.checksum, ww_inet_csum(h, hlen));
		return;
	}
	char a[16], b[16];
	if (bad_source(st, ip.src)) {
		st_drop(st, C_IP_BAD_SOURCE, now, "source %s is a broadcast or multicast address",
			ww_ipv4_str(ip.src, a));
		return;
	}
	bool bcast = st_is_broadcast(st, ip.dst);
	if (ip.dst != st->cfg.ip && !bcast) {
		st_drop(st, C_IP_NOT_FOR_US, now, "datagram for %s, not for us (%s); this host "
			"does not forward", ww_ipv4_str(ip.dst, a), ww_ipv4_str(st->cfg.ip, b));
		return;
	}
	const uint8_t *payload = ww_cur_here(&c);
	size_t plen = ww_cur_left(&c);
	if (!ww_ipv4_is_fragment(&ip)) {
		deliver(st, pkt, hlen + plen, 1, bcast, now);
		return;
	}
	st->ctr[C_IP_FRAGMENTS_RECEIVED]++;
	struct ww_reasm_out out;
	switch (ww_reasm_input(&st->reasm, &ip, pkt, hlen, payload, plen, now, &out)) {
	case WW_REASM_HELD:
		break;
	case WW_REASM_DUP:
	case WW_REASM_DROPPED:
		st_drop(st, frag_counter(out.reason), now, "%s", out.text);
		break;
	case WW_REASM_DONE:
		st->ctr[C_IP_REASSEMBLED]++;
		deliver(st, out.dgram, out.len, out.nfrags, bcast, now);
		break;
	}
}

/* ---- out ----------------------------------------------------------------- */

struct frag_ctx {
	struct ww_stack *st;
	const uint8_t *mac;
};

static int frame_fragment(void *arg, const uint8_t *frag, size_t len)
{
	struct frag_ctx *fc = arg;
	return st_frame_out(fc->st, fc->mac, WW_ETHERTYPE_IPV4, frag, len);
}

int st_ip_transmit(struct ww_stack *st, const uint8_t mac[6], const uint8_t *dgram, size_t len,
		   bool raw)
{
	if (raw || len <= st->cfg.mtu) {
		int rc = st_frame_out(st, mac, WW_ETHERTYPE_IPV4, dgram, len);
		if (rc == 0)
			st->ctr[C_IP_DATAGRAMS_SENT]++;
		return rc;
	}
	struct ww_cursor c;
	ww_cur_init(&c, dgram, len, 0);
	struct ww_ipv4 ip;
	if (ww_ipv4_parse(&c, &ip) < 0)
		return -1;
	char d[16];
	if (ip.flags & WW_IP_FLAG_DF) {
		st->ctr[C_IP_TOO_BIG_DF]++;
		st_event(st, WW_EV_ERROR, st->now, st_counter_name(C_IP_TOO_BIG_DF),
			 "datagram to %s is %zu bytes, over the MTU of %u, and DF forbids cutting it",
			 ww_ipv4_str(ip.dst, d), len, st->cfg.mtu);
		return -1;
	}
	struct frag_ctx fc = { st, mac };
	int n = ww_ip_fragment(&ip, ww_cur_here(&c), ww_cur_left(&c), st->cfg.mtu, frame_fragment,
			       &fc);
	if (n < 0)
		return -1;
	st->ctr[C_IP_DATAGRAMS_SENT]++;
	st->ctr[C_IP_FRAGMENTS_SENT] += (uint64_t)n;
	return 0;
}

/* RFC 1112 §6.4: the low 23 bits of a group address under 01:00:5e. */
static void multicast_mac(uint32_t ip, uint8_t mac[6])
{
	mac[0] = 0x01;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = (uint8_t)((ip >> 16) & 0x7f);
	mac[4] = (uint8_t)(ip >> 8);
	mac[5] = (uint8_t)ip;
}

int st_ip_output(struct ww_stack *st, const uint8_t *dgram, size_t len, bool raw, uint64_t now)
{
	if (len < WW_IPV4_HLEN)
		return -1;
	uint32_t dst = ww_get32(dgram + 16);
	if (dst == st->cfg.ip) {
		/* To ourselves: taken in at once, never on the wire. */
		const uint8_t *saved = st->in_frame;
		size_t saved_len = st->in_len;
		st->in_frame = NULL;
		st->in_len = 0;
		st->ctr[C_IP_LOOPBACK]++;
		st_ip_input(st, dgram, len, 0, now);
		st->in_frame = saved;
		st->in_len = saved_len;
		return 0;
	}
	if (st_is_broadcast(st, dst))
		return st_ip_transmit(st, st_bcast_mac, dgram, len, raw);
	if ((dst >> 28) == 0xe) {
		uint8_t mac[6];
		multicast_mac(dst, mac);
		return st_ip_transmit(st, mac, dgram, len, raw);
	}
	struct ww_route_result r = ww_route_lookup(&st->routes, dst);
	if (!r.found) {
		char d[16];
		st->ctr[C_IP_NO_ROUTE]++;
		st_event(st, WW_EV_ERROR, now, st_counter_name(C_IP_NO_ROUTE),
			 "no route to %s (`route` shows the table)", ww_ipv4_str(dst, d));
		return -1;
	}
	return st_arp_output(st, r.next_hop, dgram, len, raw, now);
}

int ww_stack_ip_send(struct ww_stack *st, const struct ww_ip_send *p, const uint8_t *payload,
		     size_t len, uint64_t now_ns)
{
	st->now = now_ns;
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = p->src ? p->src : st->cfg.ip;
	ip.dst = p->dst;
	ip.proto = p->proto;
	ip.ttl = p->ttl ? p->ttl : WW_STACK_DEFAULT_TTL;
	ip.tos = p->tos;
	ip.flags = p->df ? WW_IP_FLAG_DF : 0;
	ip.id = p->id_set ? p->id : st->next_id++;
	size_t total = WW_IPV4_HLEN + len;
	char d[16];
	ww_ipv4_str(p->dst, d);
	if (total > 65535) {
		st_event(st, WW_EV_ERROR, now_ns, NULL,
			 "a datagram of %zu bytes cannot be sent: IPv4 stops at 65535", total);
		return -1;
	}
	if (p->df && total > st->cfg.mtu && p->dst != st->cfg.ip) {
		st->ctr[C_IP_TOO_BIG_DF]++;
		st_event(st, WW_EV_ERROR, now_ns, st_counter_name(C_IP_TOO_BIG_DF),
			 "datagram to %s is %zu bytes, over the MTU of %u, and DF forbids cutting it",
			 d, total, st->cfg.mtu);
		return -1;
	}
	uint8_t *buf = malloc(total);
	if (!buf)
		return -1;
	ww_ipv4_emit(&ip, len, buf, total);
	memcpy(buf + WW_IPV4_HLEN, payload, len);
	int rc = st_ip_output(st, buf, total, false, now_ns);
	free(buf);
	return rc < 0 ? -1 : ip.id;
}

int ww_stack_send_datagram(struct ww_stack *st, const uint8_t *dgram, size_t len,
			   uint64_t now_ns)
{
	st->now = now_ns;
	return st_ip_output(st, dgram, len, true, now_ns) < 0 ? -1 : 0;
}

/* ---- timers -------------------------------------------------------------- */

static void on_reasm_expired(void *arg, const struct ww_reasm_expired *x)
{
	struct ww_stack *st = arg;
	char src[16];
	st->ctr[C_IP_FRAG_TIMEOUT]++;
	st_event(st, WW_EV_FRAME_DROPPED, st->now, st_counter_name(C_IP_FRAG_TIMEOUT),
		 "datagram id 0x%04x from %s: %u fragment%s came, not all, within %llu s",
		 x->id, ww_ipv4_str(x->src, src), x->nfrags, x->nfrags == 1 ? "" : "s",
		 (unsigned long long)(WW_REASM_TIMEOUT_NS / 1000000000ull));
	/* RFC 792: time exceeded, code 1, but only if the first fragment came
	 * (its header is what the error quotes), and never to a broadcast. */
	if (x->hdr && !st_is_broadcast(st, x->dst))
		st_icmp_send_error(st, WW_ICMP_TIME_EXCEEDED, WW_ICMP_REASSEMBLY_EXCEEDED, x->hdr,
				   x->hlen, x->quote, x->quote_len, st->now);
}

void st_ip_poll(struct ww_stack *st, uint64_t now)
{
	ww_reasm_expire(&st->reasm, now, on_reasm_expired, st);
}
