/* The ARP cache: a small fixed table, searched in full (64 entries), with
 * the datagrams waiting for each resolution. */
#include "ww/arpcache.h"

#include <stdlib.h>
#include <string.h>

const char *ww_arp_state_name(enum ww_arp_state s)
{
	switch (s) {
	case WW_ARP_FREE: return "free";
	case WW_ARP_INCOMPLETE: return "incomplete";
	case WW_ARP_REACHABLE: return "reachable";
	case WW_ARP_STALE: return "stale";
	}
	return "?";
}

void ww_arp_cache_init(struct ww_arp_cache *c)
{
	memset(c, 0, sizeof *c);
}

size_t ww_arp_cache_remove(struct ww_arp_entry *e)
{
	size_t n = e->nqueued;
	for (size_t i = 0; i < e->nqueued; i++)
		free(e->q[i].data);
	memset(e, 0, sizeof *e);
	return n;
}

size_t ww_arp_cache_clear(struct ww_arp_cache *c)
{
	size_t n = 0;
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++)
		n += ww_arp_cache_remove(&c->e[i]);
	return n;
}

struct ww_arp_entry *ww_arp_cache_find(struct ww_arp_cache *c, uint32_t ip)
{
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++)
		if (c->e[i].state != WW_ARP_FREE && c->e[i].ip == ip)
			return &c->e[i];
	return NULL;
}

/* The slot to reuse when the cache is full: the least recently confirmed
 * stale entry, else the least recently confirmed reachable one. An entry
 * still resolving is never evicted: datagrams wait on it. */
static struct ww_arp_entry *victim(struct ww_arp_cache *c)
{
	struct ww_arp_entry *best = NULL;
	for (int pass = 0; pass < 2 && !best; pass++) {
		enum ww_arp_state want = pass == 0 ? WW_ARP_STALE : WW_ARP_REACHABLE;
		for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++) {
			struct ww_arp_entry *e = &c->e[i];
			if (e->state == want && (!best || e->confirmed_ns < best->confirmed_ns))
				best = e;
		}
	}
	return best;
}

struct ww_arp_entry *ww_arp_cache_get(struct ww_arp_cache *c, uint32_t ip, uint64_t now)
{
	struct ww_arp_entry *e = ww_arp_cache_find(c, ip);
	if (e)
		return e;
	for (size_t i = 0; i < WW_ARP_CACHE_MAX && !e; i++)
		if (c->e[i].state == WW_ARP_FREE)
			e = &c->e[i];
	if (!e) {
		e = victim(c);
		if (!e)
			return NULL;
		ww_arp_cache_remove(e);
	}
	e->state = WW_ARP_INCOMPLETE;
	e->ip = ip;
	e->created_ns = now;
	e->deadline_ns = UINT64_MAX; /* set when the first request goes out */
	return e;
}

bool ww_arp_cache_confirm(struct ww_arp_entry *e, const uint8_t mac[6], uint64_t now)
{
	bool known = e->state == WW_ARP_REACHABLE || e->state == WW_ARP_STALE;
	bool changed = known && memcmp(e->mac, mac, 6) != 0;
	memcpy(e->mac, mac, 6);
	e->state = WW_ARP_REACHABLE;
	e->confirmed_ns = now;
	e->deadline_ns = now + WW_ARP_REACHABLE_NS;
	e->tries = 0;
	return changed;
}

int ww_arp_cache_enqueue(struct ww_arp_entry *e, const uint8_t *dgram, size_t len, bool raw)
{
	if (e->nqueued == WW_ARP_QUEUE_MAX || e->queued_bytes + len > WW_ARP_QUEUE_BYTES)
		return -1;
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, dgram, len);
	e->q[e->nqueued++] = (struct ww_arp_queued){ .data = copy, .len = len, .raw = raw };
	e->queued_bytes += len;
	return 0;
}

uint64_t ww_arp_cache_next_deadline(const struct ww_arp_cache *c)
{
	uint64_t t = UINT64_MAX;
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++)
		if (c->e[i].state != WW_ARP_FREE && c->e[i].deadline_ns < t)
			t = c->e[i].deadline_ns;
	return t;
}
