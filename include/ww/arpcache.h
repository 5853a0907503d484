/* The ARP cache (RFC 826; timers after RFC 1122 §2.3.2.1 and Linux's
 * neighbour table): IPv4 address → MAC, each entry in one state, with the
 * datagrams waiting for its resolution. The data structure only: the
 * stack decides when to send requests and what to do with the queue. */
#ifndef WW_ARPCACHE_H
#define WW_ARPCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WW_ARP_CACHE_MAX 64
#define WW_ARP_QUEUE_MAX 16               /* datagrams waiting per entry */
#define WW_ARP_QUEUE_BYTES (256u * 1024u) /* and their bytes */

/* Timers, in nanoseconds. */
#define WW_ARP_RETRY_NS 1000000000ull      /* a request unanswered for 1 s is sent again */
#define WW_ARP_MAX_TRIES 3                 /* then the resolution failed */
#define WW_ARP_REACHABLE_NS 60000000000ull /* a reply is trusted for 60 s, then stale */
#define WW_ARP_STALE_NS 240000000000ull    /* a stale entry is forgotten 4 min later */

enum ww_arp_state {
	WW_ARP_FREE,       /* slot unused */
	WW_ARP_INCOMPLETE, /* a request is out, no reply yet: datagrams wait */
	WW_ARP_REACHABLE,  /* confirmed recently */
	WW_ARP_STALE,      /* still used, but refreshed with a new request when used */
};

struct ww_arp_queued {
	uint8_t *data; /* an IPv4 datagram, malloc'd */
	size_t len;
	bool raw;      /* built by hand: sent as it is, never fragmented */
};

struct ww_arp_entry {
	enum ww_arp_state state;
	uint32_t ip;            /* host order */
	uint8_t mac[6];         /* valid when REACHABLE or STALE */
	uint64_t created_ns;
	uint64_t confirmed_ns;  /* last time a frame from IP told us MAC */
	uint64_t requested_ns;  /* last request sent for IP (0: never) */
	uint64_t deadline_ns;   /* next timer: a retry, reachable→stale, or forgetting */
	unsigned tries;         /* requests sent in the current resolution */
	size_t nqueued;
	size_t queued_bytes;
	struct ww_arp_queued q[WW_ARP_QUEUE_MAX];
};

struct ww_arp_cache {
	struct ww_arp_entry e[WW_ARP_CACHE_MAX];
};

const char *ww_arp_state_name(enum ww_arp_state s); /* "incomplete", "reachable", "stale" */

void ww_arp_cache_init(struct ww_arp_cache *c);
/* Free every queued datagram and empty the cache. Returns the number of
 * datagrams thrown away. */
size_t ww_arp_cache_clear(struct ww_arp_cache *c);
struct ww_arp_entry *ww_arp_cache_find(struct ww_arp_cache *c, uint32_t ip);
/* The entry for IP, made INCOMPLETE if there was none. When the cache is
 * full the stale entry confirmed longest ago makes room (then the oldest
 * reachable one); NULL only if every slot is incomplete. */
struct ww_arp_entry *ww_arp_cache_get(struct ww_arp_cache *c, uint32_t ip, uint64_t now);
/* IP is at MAC (a reply, or a request that names its sender): the entry
 * becomes REACHABLE until now + WW_ARP_REACHABLE_NS. Returns whether the
 * MAC changed from a known one (another host took the address, or a
 * spoofer). */
bool ww_arp_cache_confirm(struct ww_arp_entry *e, const uint8_t mac[6], uint64_t now);
/* Queue a copy of DGRAM on E. 0, or -1 when the queue is full (count or
 * bytes) or memory ran out: the caller counts the drop. */
int ww_arp_cache_enqueue(struct ww_arp_entry *e, const uint8_t *dgram, size_t len, bool raw);
/* Forget E: free its queue (returns how many datagrams were thrown away). */
size_t ww_arp_cache_remove(struct ww_arp_entry *e);
/* The earliest deadline of any entry, UINT64_MAX if none. */
uint64_t ww_arp_cache_next_deadline(const struct ww_arp_cache *c);

#endif
