/* The stack's core: making one, frames in (Ethernet demultiplexing) and
 * out (framing, padding), the counters, events and timers. ARP, IPv4 and
 * ICMP live in stack_arp.c, stack_ip.c and stack_icmp.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack_int.h"
#include "ww/bytes.h"
#include "ww/eth.h"

const uint8_t st_bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Same order as enum ww_ctr. After lwIP's stats: every drop has a name of
 * its own, so `stats` tells why a frame vanished. */
static const struct ww_counter_info counters[C_COUNT] = {
	{ "eth.truncated", "frame shorter than an Ethernet header", true },
	{ "eth.not_for_us", "destination MAC neither ours nor broadcast", true },
	{ "eth.unknown_type", "EtherType with no handler here (IPv6, LLDP, ...)", true },
	{ "eth.vlan", "802.1Q-tagged frame: this interface has no VLANs", true },
	{ "eth.own_source", "frame from our own MAC: a loop, or someone using our address", true },
	{ "arp.malformed", "ARP packet truncated, or not Ethernet/IPv4", true },
	{ "arp.bad_op", "ARP opcode neither request nor reply", true },
	{ "arp.not_for_us", "ARP request or reply about another host's address", true },
	{ "arp.unresolved", "datagram dropped: its next hop never answered ARP", true },
	{ "arp.queue_full", "datagram dropped: too many waiting for one ARP reply", true },
	{ "arp.flushed", "datagram waiting for ARP dropped by `arp flush`", true },
	{ "ip.truncated", "IPv4 datagram shorter than its header or total length", true },
	{ "ip.malformed", "IPv4 header invalid: version, header length, options", true },
	{ "ip.bad_checksum", "IPv4 header checksum wrong", true },
	{ "ip.bad_source", "source address broadcast or multicast (RFC 1122 3.2.1.3)", true },
	{ "ip.not_for_us", "destination neither our address nor a broadcast", true },
	{ "ip.frag_timeout", "datagram not complete within the reassembly timeout", true },
	{ "ip.frag_overlap", "fragment overlapping held data with other bytes: datagram dropped", true },
	{ "ip.frag_duplicate", "fragment repeating bytes already held", true },
	{ "ip.frag_too_big", "fragments adding up past 65535 bytes", true },
	{ "ip.frag_bad_len", "fragment with MF set whose length is not a multiple of 8", true },
	{ "ip.frag_limit", "reassembly limits reached (datagrams, pieces, memory)", true },
	{ "ip.no_route", "datagram to send with no matching route", true },
	{ "ip.too_big_df", "datagram to send over the MTU with DF set", true },
	{ "icmp.truncated", "ICMP message shorter than its 8-byte header", true },
	{ "icmp.bad_checksum", "ICMP checksum wrong", true },
	{ "icmp.echo_broadcast", "echo request to a broadcast address, not answered", true },
	{ "icmp.unmatched", "echo reply or error about nothing we sent", true },
	{ "icmp.unhandled_type", "ICMP type this stack does not act on", true },
	{ "link.tx_error", "frame the link refused to send", true },
	{ "arp.requests_sent", "ARP requests sent", false },
	{ "arp.replies_sent", "ARP replies sent (someone asked for our address)", false },
	{ "arp.gratuitous_sent", "gratuitous ARP announcements sent", false },
	{ "arp.requests_received", "ARP requests for our address", false },
	{ "arp.replies_received", "ARP replies to us", false },
	{ "arp.gratuitous_received", "gratuitous ARP announcements seen", false },
	{ "arp.conflict", "another MAC claimed our IPv4 address", false },
	{ "arp.retries", "ARP requests sent again after no reply", false },
	{ "ip.datagrams_sent", "IPv4 datagrams sent", false },
	{ "ip.fragments_sent", "fragments those were cut into (when over the MTU)", false },
	{ "ip.datagrams_received", "IPv4 datagrams delivered to us", false },
	{ "ip.fragments_received", "fragments received", false },
	{ "ip.reassembled", "datagrams put together from fragments", false },
	{ "ip.loopback", "datagrams to our own address, delivered without the wire", false },
	{ "ip.unhandled", "datagrams for a protocol nobody handles here: shown, not answered", false },
	{ "icmp.echo_requests_sent", "echo requests sent (ping, traceroute)", false },
	{ "icmp.echo_replies_received", "echo replies matching a request we sent", false },
	{ "icmp.echo_requests_received", "echo requests to us", false },
	{ "icmp.echo_replies_sent", "echo replies we sent", false },
	{ "icmp.errors_received", "ICMP errors received (unreachable, time exceeded, ...)", false },
	{ "icmp.errors_sent", "ICMP errors sent (reassembly time exceeded)", false },
};

const struct ww_counter_info *ww_stack_counter_info(size_t i)
{
	return i < C_COUNT ? &counters[i] : NULL;
}

uint64_t ww_stack_counter_value(const struct ww_stack *st, size_t i)
{
	return i < C_COUNT ? st->ctr[i] : 0;
}

uint64_t ww_stack_counter(const struct ww_stack *st, const char *name)
{
	for (size_t i = 0; i < C_COUNT; i++)
		if (strcmp(counters[i].name, name) == 0)
			return st->ctr[i];
	return UINT64_MAX;
}

const char *st_counter_name(enum ww_ctr c)
{
	return counters[c].name;
}

static void st_vevent(struct ww_stack *st, enum ww_event_type type, uint64_t now,
		      const uint8_t *frame, size_t len, const char *reason, const char *fmt,
		      va_list ap)
{
	if (!st->ev)
		return;
	char text[256];
	vsnprintf(text, sizeof text, fmt, ap);
	struct ww_event e = {
		.type = type, .now_ns = now, .frame = frame, .len = len, .reason = reason,
		.text = text,
	};
	st->ev(st->ev_arg, &e);
}

void st_event(struct ww_stack *st, enum ww_event_type type, uint64_t now, const char *reason,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	st_vevent(st, type, now, NULL, 0, reason, fmt, ap);
	va_end(ap);
}

void st_drop(struct ww_stack *st, enum ww_ctr c, uint64_t now, const char *fmt, ...)
{
	st->ctr[c]++;
	va_list ap;
	va_start(ap, fmt);
	st_vevent(st, WW_EV_FRAME_DROPPED, now, st->in_frame, st->in_len, counters[c].name, fmt,
		  ap);
	va_end(ap);
}

bool st_is_broadcast(const struct ww_stack *st, uint32_t ip)
{
	return ip == 0xffffffffu || (st->cfg.prefix < 31 && ip == ww_stack_broadcast(st));
}

/* ---- making one ---------------------------------------------------------- */

struct ww_stack *ww_stack_new(const struct ww_stack_config *cfg, ww_tx_fn tx, void *tx_arg,
			      ww_event_fn ev, void *ev_arg)
{
	if (!cfg || !tx || cfg->prefix > 32 || cfg->ip == 0)
		return NULL;
	unsigned mtu = cfg->mtu ? cfg->mtu : WW_STACK_DEFAULT_MTU;
	if (mtu < 68) /* RFC 791: every host must take 68-byte datagrams */
		return NULL;
	struct ww_stack *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->txbuf = malloc(TXBUF_SIZE);
	if (!st->txbuf) {
		free(st);
		return NULL;
	}
	st->cfg = *cfg;
	st->cfg.mtu = (uint16_t)mtu;
	st->cfg.ifname[sizeof st->cfg.ifname - 1] = '\0';
	if (!st->cfg.ifname[0])
		strcpy(st->cfg.ifname, "eth0");
	st->tx = tx;
	st->tx_arg = tx_arg;
	st->ev = ev;
	st->ev_arg = ev_arg;
	st->next_id = cfg->ip_id ? cfg->ip_id : 1;
	st->next_ident = 0x5757; /* "WW": any value does; tests see it */
	ww_route_init(&st->routes);
	ww_arp_cache_init(&st->arp);
	ww_reasm_init(&st->reasm);

	char why[96];
	uint32_t mask = ww_prefix_mask(cfg->prefix);
	ww_route_add(&st->routes, cfg->ip & mask, cfg->prefix, 0, WW_ROUTE_CONNECTED, why,
		     sizeof why);
	if (cfg->gw && cfg->prefix > 0)
		ww_route_add(&st->routes, 0, 0, cfg->gw, WW_ROUTE_DEFAULT, why, sizeof why);
	return st;
}

void ww_stack_free(struct ww_stack *st)
{
	if (!st)
		return;
	ww_arp_cache_clear(&st->arp);
	ww_reasm_free(&st->reasm);
	free(st->txbuf);
	free(st);
}

const struct ww_stack_config *ww_stack_config(const struct ww_stack *st)
{
	return &st->cfg;
}

uint32_t ww_stack_broadcast(const struct ww_stack *st)
{
	return st->cfg.ip | ~ww_prefix_mask(st->cfg.prefix);
}

const struct ww_if_stats *ww_stack_if_stats(const struct ww_stack *st)
{
	return &st->ifs;
}

struct ww_route_table *ww_stack_routes(struct ww_stack *st)
{
	return &st->routes;
}

struct ww_route_result ww_stack_route(const struct ww_stack *st, uint32_t dst)
{
	return ww_route_lookup(&st->routes, dst);
}

void ww_stack_set_handler(struct ww_stack *st, uint8_t proto, ww_ip_handler fn, void *arg)
{
	st->handlers[proto].fn = fn;
	st->handlers[proto].arg = arg;
}

void ww_stack_set_icmp_error_handler(struct ww_stack *st, uint8_t proto, ww_icmp_error_handler fn,
				     void *arg)
{
	st->icmp_err_handlers[proto].fn = fn;
	st->icmp_err_handlers[proto].arg = arg;
}

const uint8_t *ww_stack_input_frame(const struct ww_stack *st, size_t *len)
{
	if (len)
		*len = st->in_frame ? st->in_len : 0;
	return st->in_frame;
}

/* ---- frames -------------------------------------------------------------- */

int st_frame_out(struct ww_stack *st, const uint8_t dst_mac[6], uint16_t type,
		 const uint8_t *payload, size_t len)
{
	if (len > TXBUF_SIZE - WW_ETH_HLEN - WW_ETH_MIN_FRAME)
		return -1;
	struct ww_eth eth = { .type = type };
	memcpy(eth.dst, dst_mac, 6);
	memcpy(eth.src, st->cfg.mac, 6);
	size_t n = ww_eth_emit(&eth, st->txbuf, TXBUF_SIZE);
	memcpy(st->txbuf + n, payload, len);
	n += len;
	/* The sender pads a short frame to the 60-byte minimum (64 with the
	 * FCS the NIC adds); the receiver tells padding from payload by the
	 * IP or ARP lengths. */
	if (n < WW_ETH_MIN_FRAME) {
		memset(st->txbuf + n, 0, WW_ETH_MIN_FRAME - n);
		n = WW_ETH_MIN_FRAME;
	}
	if (st->tx(st->tx_arg, st->txbuf, n) < 0) {
		st->ifs.tx_errors++;
		st->ctr[C_LINK_TX_ERROR]++;
		st_event(st, WW_EV_ERROR, st->now, counters[C_LINK_TX_ERROR].name,
			 "the link refused a %zu-byte frame", n);
		return -1;
	}
	st->ifs.tx_frames++;
	st->ifs.tx_bytes += n;
	return 0;
}

void ww_stack_input(struct ww_stack *st, const uint8_t *frame, size_t len, uint64_t now_ns)
{
	st->now = now_ns;
	st->ifs.rx_frames++;
	st->ifs.rx_bytes += len;
	st->in_frame = frame;
	st->in_len = len;
	struct ww_cursor c;
	ww_cur_init(&c, frame, len, 0);
	struct ww_eth eth;
	if (ww_eth_parse(&c, &eth) < 0) {
		st_drop(st, C_ETH_TRUNCATED, now_ns, "%s", c.err.msg);
		goto out;
	}
	bool to_us = memcmp(eth.dst, st->cfg.mac, 6) == 0;
	if (!to_us && memcmp(eth.dst, st_bcast_mac, 6) != 0) {
		char m[18];
		st_drop(st, C_ETH_NOT_FOR_US, now_ns, "frame for %s, not for us",
			ww_mac_str(eth.dst, m));
		goto out;
	}
	if (memcmp(eth.src, st->cfg.mac, 6) == 0) {
		st_drop(st, C_ETH_OWN_SOURCE, now_ns, "frame from our own MAC address");
		goto out;
	}
	if (eth.has_vlan) {
		st_drop(st, C_ETH_VLAN, now_ns, "802.1Q tag, VLAN %u", eth.vlan_id);
		goto out;
	}
	size_t off = ww_eth_header_len(&eth);
	if (eth.type == WW_ETHERTYPE_ARP) {
		st_arp_input(st, frame + off, len - off, (uint32_t)off, now_ns);
	} else if (eth.type == WW_ETHERTYPE_IPV4) {
		st_ip_input(st, frame + off, len - off, (uint32_t)off, now_ns);
	} else {
		const char *name = ww_tok_str(ww_ethertype_names, eth.type);
		st_drop(st, C_ETH_UNKNOWN_TYPE, now_ns, "EtherType 0x%04x%s%s%s: no handler here",
			eth.type, name ? " (" : "", name ? name : "", name ? ")" : "");
	}
out:
	st->in_frame = NULL;
	st->in_len = 0;
}

/* ---- timers -------------------------------------------------------------- */

void ww_stack_poll(struct ww_stack *st, uint64_t now_ns)
{
	st->now = now_ns;
	st_arp_poll(st, now_ns);
	st_ip_poll(st, now_ns);
	st_icmp_poll(st, now_ns);
}

uint64_t ww_stack_next_deadline(const struct ww_stack *st)
{
	uint64_t t = ww_arp_cache_next_deadline(&st->arp);
	uint64_t r = ww_reasm_next_deadline(&st->reasm);
	uint64_t p = st_icmp_next_deadline(st);
	if (r < t)
		t = r;
	if (p < t)
		t = p;
	return t;
}
