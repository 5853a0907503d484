/* ARP (RFC 826): requests and replies, the cache's timers, answering for
 * our address, gratuitous announcements (RFC 5227 §3), and the datagrams
 * that wait for a resolution.
 *
 * Receiving follows RFC 826's "packet reception" algorithm: if the sender
 * is in the cache, its entry is refreshed (merge); only then is the target
 * checked, and if it is us the sender is added and a request answered. So
 * a broadcast request from a host we know keeps its entry fresh, and a
 * host that asks for us is known before we need it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack_int.h"
#include "ww/arp.h"
#include "ww/eth.h"

static const uint8_t zero_mac[6];

static int arp_send(struct ww_stack *st, uint16_t op, const uint8_t dst_mac[6],
		    const uint8_t tha[6], uint32_t tpa)
{
	struct ww_arp a;
	ww_arp_init(&a);
	a.op = op;
	memcpy(a.sha, st->cfg.mac, 6);
	a.spa = st->cfg.ip;
	memcpy(a.tha, tha, 6);
	a.tpa = tpa;
	uint8_t pkt[WW_ARP_LEN];
	ww_arp_emit(&a, pkt, sizeof pkt);
	return st_frame_out(st, dst_mac, WW_ETHERTYPE_ARP, pkt, sizeof pkt);
}

/* A broadcast request for E's address, as part of resolving it. */
static int send_request(struct ww_stack *st, struct ww_arp_entry *e, uint64_t now)
{
	int rc = arp_send(st, WW_ARP_REQUEST, st_bcast_mac, zero_mac, e->ip);
	st->ctr[C_ARP_REQUESTS_SENT]++;
	e->requested_ns = now;
	if (e->state == WW_ARP_INCOMPLETE) {
		e->tries++;
		e->deadline_ns = now + WW_ARP_RETRY_NS;
	}
	return rc;
}

/* A drop of a datagram waiting for ARP: it is not a received frame. */
static void drop_dgrams(struct ww_stack *st, enum ww_ctr c, size_t n, uint64_t now,
			const char *text)
{
	if (n == 0)
		return;
	st->ctr[c] += n;
	st_event(st, WW_EV_FRAME_DROPPED, now, st_counter_name(c), "%zu datagram%s dropped: %s", n,
		 n == 1 ? "" : "s", text);
}

/* E has just become reachable: send what waited for it. The queue is
 * taken off the entry first, so nothing sent can find it half-emptied. */
static void flush_queue(struct ww_stack *st, struct ww_arp_entry *e)
{
	struct ww_arp_queued q[WW_ARP_QUEUE_MAX];
	size_t n = e->nqueued;
	uint8_t mac[6];
	memcpy(q, e->q, n * sizeof q[0]);
	memcpy(mac, e->mac, 6);
	e->nqueued = 0;
	e->queued_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		st_ip_transmit(st, mac, q[i].data, q[i].len, q[i].raw);
		free(q[i].data);
	}
}

static void learn(struct ww_stack *st, struct ww_arp_entry *e, const uint8_t mac[6],
		  uint64_t now)
{
	enum ww_arp_state before = e->state;
	uint8_t old[6];
	memcpy(old, e->mac, 6);
	uint64_t asked = e->requested_ns;
	bool changed = ww_arp_cache_confirm(e, mac, now);
	char ip[16], m[18], o[18];
	ww_ipv4_str(e->ip, ip);
	ww_mac_str(mac, m);
	if (before == WW_ARP_INCOMPLETE) {
		if (asked && now >= asked)
			st_event(st, WW_EV_STATE, now, NULL, "%s is-at %s (%.3f ms after the request)",
				 ip, m, (double)(now - asked) / 1e6);
		else
			st_event(st, WW_EV_STATE, now, NULL, "%s is-at %s", ip, m);
		flush_queue(st, e);
	} else if (changed) {
		st_event(st, WW_EV_STATE, now, NULL, "%s is-at %s now (was %s)", ip, m,
			 ww_mac_str(old, o));
	}
}

void st_arp_input(struct ww_stack *st, const uint8_t *pkt, size_t len, uint32_t base,
		  uint64_t now)
{
	struct ww_cursor c;
	ww_cur_init(&c, pkt, len, base);
	struct ww_arp a;
	if (ww_arp_parse(&c, &a) < 0) {
		st_drop(st, C_ARP_MALFORMED, now, "%s", c.err.msg);
		return;
	}
	if (a.op != WW_ARP_REQUEST && a.op != WW_ARP_REPLY) {
		st_drop(st, C_ARP_BAD_OP, now, "ARP opcode %u", a.op);
		return;
	}
	char spa[16], tpa[16], m[18];
	ww_ipv4_str(a.spa, spa);
	ww_ipv4_str(a.tpa, tpa);
	if (a.spa == st->cfg.ip) {
		/* Our own address as sender from another MAC: a duplicate
		 * address (RFC 5227 §2.4), or someone spoofing us. */
		st->ctr[C_ARP_CONFLICT]++;
		st_event(st, WW_EV_ERROR, now, st_counter_name(C_ARP_CONFLICT),
			 "address conflict: %s says it has our address %s", ww_mac_str(a.sha, m),
			 spa);
		return;
	}
	bool for_us = a.tpa == st->cfg.ip;
	bool gratuitous = a.spa == a.tpa && a.spa != 0;
	struct ww_arp_entry *e = a.spa ? ww_arp_cache_find(&st->arp, a.spa) : NULL;
	if (!e && for_us && a.spa)
		e = ww_arp_cache_get(&st->arp, a.spa, now);
	if (e)
		learn(st, e, a.sha, now);
	if (gratuitous) {
		st->ctr[C_ARP_GRATUITOUS_RECEIVED]++;
		return;
	}
	if (!for_us) {
		st_drop(st, C_ARP_NOT_FOR_US, now, "%s for %s, not our address %s",
			a.op == WW_ARP_REQUEST ? "request" : "reply", tpa,
			ww_ipv4_str(st->cfg.ip, spa));
		return;
	}
	if (a.op == WW_ARP_REPLY) {
		st->ctr[C_ARP_REPLIES_RECEIVED]++;
		return;
	}
	st->ctr[C_ARP_REQUESTS_RECEIVED]++;
	/* The reply goes straight back to the asker (RFC 826: swap the
	 * sender and target fields, put in our own, op = reply). */
	if (arp_send(st, WW_ARP_REPLY, a.sha, a.sha, a.spa) == 0)
		st->ctr[C_ARP_REPLIES_SENT]++;
}

int st_arp_output(struct ww_stack *st, uint32_t next_hop, const uint8_t *dgram, size_t len,
		  bool raw, uint64_t now)
{
	char ip[16];
	struct ww_arp_entry *e = ww_arp_cache_find(&st->arp, next_hop);
	if (e && (e->state == WW_ARP_REACHABLE || e->state == WW_ARP_STALE)) {
		/* A stale entry is used as it is, and checked with a unicast
		 * request (RFC 1122 §2.3.2.1), at most once per retry time. */
		if (e->state == WW_ARP_STALE && now >= e->requested_ns + WW_ARP_RETRY_NS) {
			arp_send(st, WW_ARP_REQUEST, e->mac, zero_mac, e->ip);
			st->ctr[C_ARP_REQUESTS_SENT]++;
			e->requested_ns = now;
		}
		return st_ip_transmit(st, e->mac, dgram, len, raw);
	}
	if (!e)
		e = ww_arp_cache_get(&st->arp, next_hop, now);
	if (!e || ww_arp_cache_enqueue(e, dgram, len, raw) < 0) {
		drop_dgrams(st, C_ARP_QUEUE_FULL, 1, now,
			    e ? "too many waiting for the ARP reply"
			      : "the ARP cache is full of unanswered requests");
		return -1;
	}
	if (e->tries == 0 && send_request(st, e, now) < 0) {
		st_event(st, WW_EV_ERROR, now, NULL, "ARP request for %s could not be sent",
			 ww_ipv4_str(next_hop, ip));
		return -1;
	}
	return 0;
}

void st_arp_poll(struct ww_stack *st, uint64_t now)
{
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++) {
		struct ww_arp_entry *e = &st->arp.e[i];
		if (e->state == WW_ARP_FREE || e->deadline_ns > now)
			continue;
		switch (e->state) {
		case WW_ARP_INCOMPLETE:
			if (e->tries < WW_ARP_MAX_TRIES) {
				st->ctr[C_ARP_RETRIES]++;
				send_request(st, e, now);
			} else {
				char ip[16], why[96];
				ww_ipv4_str(e->ip, ip);
				snprintf(why, sizeof why, "no ARP reply from %s after %u requests", ip,
					 e->tries);
				drop_dgrams(st, C_ARP_UNRESOLVED, e->nqueued, now, why);
				st_event(st, WW_EV_ERROR, now, st_counter_name(C_ARP_UNRESOLVED), "%s",
					 why);
				ww_arp_cache_remove(e);
			}
			break;
		case WW_ARP_REACHABLE:
			e->state = WW_ARP_STALE;
			e->deadline_ns = e->confirmed_ns + WW_ARP_REACHABLE_NS + WW_ARP_STALE_NS;
			/* Polled late (a clock that jumped): stale and gone at once. */
			if (e->deadline_ns <= now)
				ww_arp_cache_remove(e);
			break;
		default:
			ww_arp_cache_remove(e);
			break;
		}
	}
}

/* ---- the API ------------------------------------------------------------ */

int ww_stack_arp_lookup(const struct ww_stack *st, uint32_t ip, uint8_t mac[6])
{
	const struct ww_arp_entry *e = ww_stack_arp_entry(st, ip);
	if (!e || (e->state != WW_ARP_REACHABLE && e->state != WW_ARP_STALE))
		return -1;
	memcpy(mac, e->mac, 6);
	return 0;
}

int ww_stack_arp_resolve(struct ww_stack *st, uint32_t ip, uint64_t now_ns)
{
	st->now = now_ns;
	struct ww_route_result r = ww_route_lookup(&st->routes, ip);
	if (!r.found || r.route.gw || ip == st->cfg.ip || st_is_broadcast(st, ip))
		return -1;
	uint8_t mac[6];
	if (ww_stack_arp_lookup(st, ip, mac) == 0)
		return 1;
	struct ww_arp_entry *e = ww_arp_cache_get(&st->arp, ip, now_ns);
	if (!e)
		return -1;
	if (e->tries == 0 && send_request(st, e, now_ns) < 0)
		return -1;
	return 0;
}

int ww_stack_arp_request(struct ww_stack *st, uint32_t ip, uint64_t now_ns)
{
	st->now = now_ns;
	struct ww_arp_entry *e = ww_arp_cache_get(&st->arp, ip, now_ns);
	if (!e)
		return -1;
	return send_request(st, e, now_ns);
}

int ww_stack_arp_announce(struct ww_stack *st, uint64_t now_ns)
{
	st->now = now_ns;
	int rc = arp_send(st, WW_ARP_REQUEST, st_bcast_mac, zero_mac, st->cfg.ip);
	if (rc == 0)
		st->ctr[C_ARP_GRATUITOUS_SENT]++;
	return rc;
}

const struct ww_arp_entry *ww_stack_arp_entry(const struct ww_stack *st, uint32_t ip)
{
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++)
		if (st->arp.e[i].state != WW_ARP_FREE && st->arp.e[i].ip == ip)
			return &st->arp.e[i];
	return NULL;
}

const struct ww_arp_entry *ww_stack_arp_at(const struct ww_stack *st, size_t i)
{
	return i < WW_ARP_CACHE_MAX ? &st->arp.e[i] : NULL;
}

size_t ww_stack_arp_flush(struct ww_stack *st, uint64_t now_ns)
{
	st->now = now_ns;
	size_t entries = 0;
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++)
		entries += st->arp.e[i].state != WW_ARP_FREE;
	size_t dropped = ww_arp_cache_clear(&st->arp);
	drop_dgrams(st, C_ARP_FLUSHED, dropped, now_ns, "the ARP cache was flushed");
	return entries;
}
