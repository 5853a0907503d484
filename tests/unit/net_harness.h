/* A stack on a fake link, for the stack's tests: every frame the stack
 * sends is kept, every event it reports is kept, and the clock is a
 * number the test moves. Frames to feed it are built with the wire
 * emitters; frames it sends are read back with ww_dissect. */
#ifndef WW_TEST_NET_HARNESS_H
#define WW_TEST_NET_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ww/arp.h"
#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/eth.h"
#include "ww/icmp.h"
#include "ww/ipv4.h"
#include "ww/stack.h"

#define MS 1000000ull
#define SEC 1000000000ull

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define OUR_IP IP4(192, 168, 1, 5)
#define GW_IP IP4(192, 168, 1, 1)
#define PEER_IP IP4(192, 168, 1, 7)
#define WEB_IP IP4(192, 0, 2, 10)

static const uint8_t OUR_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x05 };
static const uint8_t GW_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
static const uint8_t PEER_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x07 };
static const uint8_t BCAST_MAC[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

#define MAX_SENT 128
#define MAX_EVENTS 128

struct sent_frame {
	uint8_t *data;
	size_t len;
};

struct seen_event {
	enum ww_event_type type;
	uint64_t now;
	char reason[40];
	char text[256];
	bool had_frame;
};

struct net_h {
	struct ww_stack *st;
	struct sent_frame sent[MAX_SENT];
	size_t nsent;
	struct seen_event ev[MAX_EVENTS];
	size_t nev;
	bool refuse; /* the link refuses to send */
	struct ww_dissection d;
};

static inline int h_tx(void *arg, const uint8_t *frame, size_t len)
{
	struct net_h *h = arg;
	if (h->refuse)
		return -1;
	assert_true(h->nsent < MAX_SENT);
	h->sent[h->nsent].data = malloc(len);
	memcpy(h->sent[h->nsent].data, frame, len);
	h->sent[h->nsent].len = len;
	h->nsent++;
	return 0;
}

static inline void h_ev(void *arg, const struct ww_event *e)
{
	struct net_h *h = arg;
	/* The stack reports what it decided, never frames in or out. */
	assert_true(e->type != WW_EV_FRAME_SENT && e->type != WW_EV_FRAME_RECEIVED);
	assert_non_null(e->text);
	if (h->nev == MAX_EVENTS)
		return;
	struct seen_event *s = &h->ev[h->nev++];
	s->type = e->type;
	s->now = e->now_ns;
	snprintf(s->reason, sizeof s->reason, "%s", e->reason ? e->reason : "");
	snprintf(s->text, sizeof s->text, "%s", e->text);
	s->had_frame = e->frame != NULL;
}

static inline struct net_h *h_new_cfg(const struct ww_stack_config *cfg)
{
	struct net_h *h = calloc(1, sizeof *h);
	assert_non_null(h);
	h->st = ww_stack_new(cfg, h_tx, h, h_ev, h);
	assert_non_null(h->st);
	return h;
}

/* The lab's client: 192.168.1.5/24 via 192.168.1.1, MTU 1500. */
static inline struct net_h *h_new(void)
{
	struct ww_stack_config cfg = { .ip = OUR_IP, .prefix = 24, .gw = GW_IP, .ip_id = 0x1000 };
	memcpy(cfg.mac, OUR_MAC, 6);
	return h_new_cfg(&cfg);
}

static inline void h_clear_sent(struct net_h *h)
{
	for (size_t i = 0; i < h->nsent; i++)
		free(h->sent[i].data);
	h->nsent = 0;
}

static inline void h_free(struct net_h *h)
{
	h_clear_sent(h);
	ww_stack_free(h->st);
	free(h);
}

/* The last event of TYPE (with REASON, if not NULL), or NULL. */
static inline const struct seen_event *h_event(const struct net_h *h, enum ww_event_type type,
					const char *reason)
{
	for (size_t i = h->nev; i-- > 0;)
		if (h->ev[i].type == type && (!reason || strcmp(h->ev[i].reason, reason) == 0))
			return &h->ev[i];
	return NULL;
}

static inline uint64_t h_ctr(const struct net_h *h, const char *name)
{
	uint64_t v = ww_stack_counter(h->st, name);
	assert_true(v != UINT64_MAX); /* the counter exists */
	return v;
}

/* Dissect sent frame I into h->d; no dissection errors allowed. */
static inline const struct ww_dissection *h_dissect_sent(struct net_h *h, size_t i)
{
	assert_true(i < h->nsent);
	ww_dissect(&h->d, h->sent[i].data, h->sent[i].len);
	assert_int_equal(h->d.nerrors, 0);
	return &h->d;
}

/* The item NAME in the dissection (the first, at depth 0 of the layer
 * nesting); fails the test if there is none. */
static inline const struct ww_item *h_item(const struct ww_dissection *d, const char *name)
{
	for (unsigned i = 0; i < d->nitems; i++)
		if (d->layers[d->items[i].layer].depth == 0 && strcmp(d->items[i].f->name, name) == 0)
			return &d->items[i];
	fail_msg("no item %s", name);
	return NULL;
}

static inline bool h_has_layer(const struct ww_dissection *d, const char *name)
{
	for (unsigned i = 0; i < d->nlayers; i++)
		if (strcmp(d->layers[i].name, name) == 0)
			return true;
	return false;
}

/* ---- building frames with the wire emitters ------------------------------ */

static inline size_t build_eth(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	struct ww_eth e = { .type = type };
	memcpy(e.dst, dst, 6);
	memcpy(e.src, src, 6);
	return ww_eth_emit(&e, buf, WW_ETH_HLEN);
}

static inline size_t build_arp(uint8_t *buf, uint16_t op, const uint8_t eth_dst[6],
			const uint8_t sha[6], uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
	size_t n = build_eth(buf, eth_dst, sha, WW_ETHERTYPE_ARP);
	struct ww_arp a;
	ww_arp_init(&a);
	a.op = op;
	memcpy(a.sha, sha, 6);
	a.spa = spa;
	memcpy(a.tha, tha, 6);
	a.tpa = tpa;
	n += ww_arp_emit(&a, buf + n, WW_ARP_LEN);
	memset(buf + n, 0, 60 - n);
	return 60;
}

/* Ethernet + IPv4 header IP (lengths and checksum filled) + PAYLOAD. */
static inline size_t build_ip(uint8_t *buf, size_t cap, const uint8_t src_mac[6],
		       const struct ww_ipv4 *ip, const uint8_t *payload, size_t len)
{
	size_t n = build_eth(buf, OUR_MAC, src_mac, WW_ETHERTYPE_IPV4);
	size_t hl = ww_ipv4_emit(ip, len, buf + n, cap - n);
	assert_true(hl >= WW_IPV4_HLEN);
	memcpy(buf + n + hl, payload, len);
	n += hl + len;
	if (n < 60) {
		memset(buf + n, 0, 60 - n);
		n = 60;
	}
	return n;
}

/* An ICMP message: header H and DATA, checksum filled. Returns its length. */
static inline size_t build_icmp(uint8_t *msg, const struct ww_icmp *h, const uint8_t *data, size_t len)
{
	memcpy(msg + WW_ICMP_HLEN, data, len);
	ww_icmp_emit(h, msg, WW_ICMP_HLEN + len);
	return WW_ICMP_HLEN + len;
}

static inline struct ww_ipv4 ip_hdr(uint32_t src, uint32_t dst, uint8_t proto, uint16_t id)
{
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = src;
	ip.dst = dst;
	ip.proto = proto;
	ip.id = id;
	return ip;
}

/* Tell the stack GW_IP is at GW_MAC (and PEER_IP at PEER_MAC), as their
 * requests for us would. */
static inline void h_learn(struct net_h *h, uint32_t ip, const uint8_t mac[6], uint64_t now)
{
	uint8_t f[60];
	build_arp(f, WW_ARP_REQUEST, BCAST_MAC, mac, ip, (const uint8_t[6]){ 0 }, OUR_IP);
	ww_stack_input(h->st, f, sizeof f, now);
	uint8_t m[6];
	assert_int_equal(ww_stack_arp_lookup(h->st, ip, m), 0);
	assert_memory_equal(m, mac, 6);
}

#endif
