/* The first floor of wirewalk's own network stack: one Ethernet interface
 * (MAC, IPv4 address/prefix, gateway, MTU), the routing table, ARP, IPv4
 * with fragmentation and reassembly, and ICMP (answering echo requests;
 * ping and traceroute probes).
 *
 * The stack is pure: it owns no socket, never reads a clock and never
 * prints. Frames go out through the TX callback; frames come in through
 * ww_stack_input; time is the NOW passed to every call (nanoseconds on any
 * monotonic clock — the session's, or a test's); due timers run in
 * ww_stack_poll. What happens is reported to the event listener:
 *
 *   WW_EV_FRAME_DROPPED  a frame thrown away; reason = the counter's name
 *                        ("ip.bad_checksum"), text = why, for a person
 *   WW_EV_STATE          "192.168.1.1 is-at 02:00:00:00:01:01", ...
 *   WW_EV_INFO           something a person should know (a TCP segment
 *                        that nobody here handles: shown, never answered)
 *   WW_EV_ERROR          a send or a resolution failed
 *
 * The stack does not report WW_EV_FRAME_SENT or WW_EV_FRAME_RECEIVED: the
 * owner of the link (the session) numbers, logs and reports every frame
 * it passes in and every frame TX hands it. The owner feeds a received
 * frame to ww_stack_input before anything that looks at the stack's state
 * for it (a command waiting for a ping reply asks the stack, not the
 * frame: a fragmented reply is only a reply once reassembled). */
#ifndef WW_STACK_H
#define WW_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/arpcache.h"
#include "ww/event.h"
#include "ww/ipv4.h"
#include "ww/route.h"

#define WW_STACK_DEFAULT_MTU 1500
#define WW_STACK_DEFAULT_TTL 64

struct ww_stack_config {
	char ifname[16];  /* shown by ifconfig ("eth0"); "" → "eth0" */
	uint8_t mac[6];
	uint32_t ip;      /* host order */
	uint8_t prefix;   /* 0..32 */
	uint32_t gw;      /* default gateway, host order; 0: no default route */
	uint16_t mtu;     /* IP bytes per frame; 0 → 1500 */
	uint16_t ip_id;   /* first IPv4 identification to use (tests fix it; 0 → 1) */
};

typedef int (*ww_tx_fn)(void *arg, const uint8_t *frame, size_t len);

struct ww_stack;

/* A stack for CFG (copied); the connected route and, with a gateway, the
 * default route are made. TX sends a whole Ethernet frame (no FCS) and
 * returns 0, or -1 if the link refused it. NULL if CFG is unusable or
 * memory ran out. */
struct ww_stack *ww_stack_new(const struct ww_stack_config *cfg, ww_tx_fn tx, void *tx_arg,
			      ww_event_fn ev, void *ev_arg);
void ww_stack_free(struct ww_stack *st);

/* One received Ethernet frame (no FCS). */
void ww_stack_input(struct ww_stack *st, const uint8_t *frame, size_t len, uint64_t now_ns);
/* Run every timer due at NOW: ARP retries and expiry, reassembly
 * timeouts, probe timeouts. */
void ww_stack_poll(struct ww_stack *st, uint64_t now_ns);
/* When ww_stack_poll next has work; UINT64_MAX when nothing is pending. */
uint64_t ww_stack_next_deadline(const struct ww_stack *st);

/* ---- the interface ---------------------------------------------------- */

const struct ww_stack_config *ww_stack_config(const struct ww_stack *st);
/* The subnet's broadcast address (255.255.255.255 for a /32). */
uint32_t ww_stack_broadcast(const struct ww_stack *st);
/* Frames and bytes through the interface. */
struct ww_if_stats {
	uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes, tx_errors;
};
const struct ww_if_stats *ww_stack_if_stats(const struct ww_stack *st);

/* ---- routing ---------------------------------------------------------- */

/* The table itself, for `route` and `route add|del` (the connected and
 * default routes are entries like any other). */
struct ww_route_table *ww_stack_routes(struct ww_stack *st);
/* Where a datagram to DST goes: the matching entry and the next hop
 * (the gateway, or DST itself when on-link). */
struct ww_route_result ww_stack_route(const struct ww_stack *st, uint32_t dst);

/* ---- ARP -------------------------------------------------------------- */

/* MAC of IP if the cache knows it (reachable or stale): 0, else -1. */
int ww_stack_arp_lookup(const struct ww_stack *st, uint32_t ip, uint8_t mac[6]);
/* Start resolving IP unless it is known: 1 known now (ww_stack_arp_lookup
 * gives the MAC), 0 a request is out (a WW_EV_STATE "IP is-at MAC" comes
 * with the reply; the entry turns REACHABLE), -1 IP is not on-link (only
 * on-link hosts are resolved: ask for the route's next hop). */
int ww_stack_arp_resolve(struct ww_stack *st, uint32_t ip, uint64_t now_ns);
/* Send a request for IP now, even if the cache knows it (`arp who-has`):
 * the entry's requested_ns is NOW; its confirmed_ns passes NOW when the
 * reply comes. 0, or -1 if the link refused the frame. */
int ww_stack_arp_request(struct ww_stack *st, uint32_t ip, uint64_t now_ns);
/* Announce our address (gratuitous ARP, RFC 5227 §3: a broadcast request
 * with sender and target both our address), so neighbours update their
 * caches. 0, or -1 if the link refused the frame. */
int ww_stack_arp_announce(struct ww_stack *st, uint64_t now_ns);
/* The cache entry for IP, or NULL. */
const struct ww_arp_entry *ww_stack_arp_entry(const struct ww_stack *st, uint32_t ip);
/* The I-th slot of the cache (0 ≤ I < WW_ARP_CACHE_MAX); its state may be
 * WW_ARP_FREE. */
const struct ww_arp_entry *ww_stack_arp_at(const struct ww_stack *st, size_t i);
/* Forget every entry; datagrams waiting are dropped (counted as
 * arp.flushed). Returns the number of entries forgotten. */
size_t ww_stack_arp_flush(struct ww_stack *st, uint64_t now_ns);

/* ---- IPv4 ------------------------------------------------------------- */

struct ww_ip_send {
	uint32_t dst;     /* host order */
	uint32_t src;     /* 0: our address */
	uint8_t proto;
	uint8_t ttl;      /* 0: 64 */
	uint8_t tos;
	bool df;          /* don't fragment: a datagram over the MTU is refused */
	bool id_set;      /* use ID instead of the next identification */
	uint16_t id;
};

/* Send PAYLOAD in an IPv4 datagram: route, resolve the next hop (the
 * datagram waits in the ARP queue meanwhile), fragment to the MTU, frame,
 * transmit. Returns the identification used (0..65535), or -1 (no route,
 * DF and too big, queue full, link refused): an WW_EV_ERROR or a drop
 * event says why. */
int ww_stack_ip_send(struct ww_stack *st, const struct ww_ip_send *p, const uint8_t *payload,
		     size_t len, uint64_t now_ns);
/* Send a datagram built by hand, as it is: nothing in it is changed, it is
 * not fragmented. It is routed by its destination address, framed for the
 * next hop's MAC (broadcast for a broadcast address) and waits in the ARP
 * queue if that MAC is not known yet. 0 sent or queued, -1 as above. */
int ww_stack_send_datagram(struct ww_stack *st, const uint8_t *dgram, size_t len,
			   uint64_t now_ns);

/* A handler for datagrams of protocol PROTO addressed to us (UDP and TCP
 * come later): HDR is the parsed header, PAYLOAD the whole reassembled
 * payload. Without one, such a datagram is reported as WW_EV_INFO and
 * counted as ip.unhandled — never answered (no RST, no port unreachable:
 * a person may be answering it by hand). ICMP is the stack's own. */
typedef void (*ww_ip_handler)(void *arg, const struct ww_ipv4 *hdr, const uint8_t *payload,
			      size_t len, uint64_t now_ns);
void ww_stack_set_handler(struct ww_stack *st, uint8_t proto, ww_ip_handler fn, void *arg);

/* An ICMP error (RFC 792) quoting a datagram we sent, as the stack hands
 * it to the protocol that sent it: UDP surfaces port unreachable on the
 * socket as "connection refused" (RFC 1122 §4.1.3.3). */
struct ww_icmp_error {
	uint8_t type, code;
	uint32_t rest;                /* the ICMP header's second word (next-hop MTU...) */
	uint32_t from;                /* who sent the error: its IP source, host order */
	const struct ww_ipv4 *quoted; /* the header of our datagram, as quoted */
	const uint8_t *data;          /* the quoted bytes after that header (8 at least */
	size_t len;                   /* from a conforming sender) */
};
typedef void (*ww_icmp_error_handler)(void *arg, const struct ww_icmp_error *e, uint64_t now_ns);
/* ICMP errors quoting a datagram of protocol PROTO from our address go to
 * FN instead of being reported as WW_EV_INFO (NULL: reported again). */
void ww_stack_set_icmp_error_handler(struct ww_stack *st, uint8_t proto, ww_icmp_error_handler fn,
				     void *arg);
/* The frame being taken in, while ww_stack_input runs (a handler's drop
 * event carries it, so the session names its packet); NULL otherwise. */
const uint8_t *ww_stack_input_frame(const struct ww_stack *st, size_t *len);

/* ---- ICMP probes: ping and traceroute ----------------------------------- */

enum ww_probe_state {
	WW_PROBE_FREE,
	WW_PROBE_PENDING,      /* sent (or waiting for ARP), nothing back yet */
	WW_PROBE_REPLY,        /* an echo reply came */
	WW_PROBE_TTL_EXCEEDED, /* a router on the way sent time exceeded */
	WW_PROBE_UNREACHABLE,  /* destination unreachable (icmp_code says which) */
	WW_PROBE_ERROR,        /* another ICMP error quoting it */
	WW_PROBE_TIMEOUT,      /* nothing came before its deadline */
	WW_PROBE_FAILED,       /* never went out (no route, no ARP reply, ...) */
};

/* One echo request we sent and what came of it. */
struct ww_probe {
	enum ww_probe_state state;
	uint32_t dst;
	uint16_t ident, seq;
	uint8_t ttl;          /* TTL it was sent with */
	size_t size;          /* bytes of echo data */
	uint64_t sent_ns, deadline_ns;
	/* Once answered: */
	uint32_t from;        /* who answered (the IP source) */
	uint64_t rtt_ns;      /* answer's arrival - sent_ns */
	uint8_t icmp_type, icmp_code;
	uint8_t reply_ttl;    /* TTL of the answer's IP header */
	size_t reply_len;     /* ICMP bytes of the answer (header + data) */
	unsigned reply_frags; /* the answer came in this many fragments (1: none) */
	bool data_ok;         /* an echo reply's data equals what was sent */
	unsigned dups;        /* further replies with the same ident and seq */
};

#define WW_PROBE_MAX 256

/* A fresh identifier for a run of probes (a ping, a traceroute). */
uint16_t ww_stack_probe_ident(struct ww_stack *st);
/* Send an echo request to DST with IDENT/SEQ, TTL (0: 64) and SIZE bytes
 * of data (byte i is i % 256), fragmented if it does not fit the MTU; it
 * times out TIMEOUT_NS after NOW. Returns the probe (valid until
 * WW_PROBE_MAX later probes), or NULL if it could not be sent (the probe
 * then exists as WW_PROBE_FAILED: ww_stack_probe_find tells). */
const struct ww_probe *ww_stack_probe_send(struct ww_stack *st, uint32_t dst, uint16_t ident,
					   uint16_t seq, uint8_t ttl, size_t size,
					   uint64_t timeout_ns, uint64_t now_ns);
const struct ww_probe *ww_stack_probe_find(const struct ww_stack *st, uint16_t ident,
					   uint16_t seq);
const char *ww_probe_state_name(enum ww_probe_state s);

/* ---- counters (`stats`) ----------------------------------------------- */

/* One named counter: drops by reason ("ip.bad_checksum") and events worth
 * counting ("arp.requests_sent"). Names are stable: tests and `stats` use
 * them. */
struct ww_counter_info {
	const char *name;
	const char *help; /* one line: when it counts */
	bool drop;        /* a reason a frame was thrown away */
};
/* The I-th counter, or NULL past the last. */
const struct ww_counter_info *ww_stack_counter_info(size_t i);
uint64_t ww_stack_counter_value(const struct ww_stack *st, size_t i);
/* The value of the counter called NAME; UINT64_MAX if there is none. */
uint64_t ww_stack_counter(const struct ww_stack *st, const char *name);

#endif
