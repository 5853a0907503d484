/* Inside the stack: shared by stack.c (frames in and out, counters,
 * timers), stack_arp.c, stack_ip.c and stack_icmp.c. */
#ifndef WW_STACK_INT_H
#define WW_STACK_INT_H

#include "ww/ipfrag.h"
#include "ww/stack.h"

/* Counter indexes: the same order as the table in stack.c. */
enum ww_ctr {
	/* drops */
	C_ETH_TRUNCATED, C_ETH_NOT_FOR_US, C_ETH_UNKNOWN_TYPE, C_ETH_VLAN, C_ETH_OWN_SOURCE,
	C_ARP_MALFORMED, C_ARP_BAD_OP, C_ARP_NOT_FOR_US, C_ARP_UNRESOLVED, C_ARP_QUEUE_FULL,
	C_ARP_FLUSHED,
	C_IP_TRUNCATED, C_IP_MALFORMED, C_IP_BAD_CHECKSUM, C_IP_BAD_SOURCE, C_IP_NOT_FOR_US,
	C_IP_FRAG_TIMEOUT, C_IP_FRAG_OVERLAP, C_IP_FRAG_DUPLICATE, C_IP_FRAG_TOO_BIG,
	C_IP_FRAG_BAD_LEN, C_IP_FRAG_LIMIT, C_IP_NO_ROUTE, C_IP_TOO_BIG_DF,
	C_ICMP_TRUNCATED, C_ICMP_BAD_CHECKSUM, C_ICMP_ECHO_BROADCAST, C_ICMP_UNMATCHED,
	C_ICMP_UNHANDLED_TYPE,
	C_LINK_TX_ERROR,
	/* events */
	C_ARP_REQUESTS_SENT, C_ARP_REPLIES_SENT, C_ARP_GRATUITOUS_SENT, C_ARP_REQUESTS_RECEIVED,
	C_ARP_REPLIES_RECEIVED, C_ARP_GRATUITOUS_RECEIVED, C_ARP_CONFLICT, C_ARP_RETRIES,
	C_IP_DATAGRAMS_SENT, C_IP_FRAGMENTS_SENT, C_IP_DATAGRAMS_RECEIVED, C_IP_FRAGMENTS_RECEIVED,
	C_IP_REASSEMBLED, C_IP_LOOPBACK, C_IP_UNHANDLED,
	C_ICMP_ECHO_REQUESTS_SENT, C_ICMP_ECHO_REPLIES_RECEIVED, C_ICMP_ECHO_REQUESTS_RECEIVED,
	C_ICMP_ECHO_REPLIES_SENT, C_ICMP_ERRORS_RECEIVED, C_ICMP_ERRORS_SENT,
	C_COUNT
};

struct ww_stack {
	struct ww_stack_config cfg;
	ww_tx_fn tx;
	void *tx_arg;
	ww_event_fn ev;
	void *ev_arg;

	struct ww_route_table routes;
	struct ww_arp_cache arp;
	struct ww_reasm_table reasm;
	struct ww_if_stats ifs;
	uint64_t ctr[C_COUNT];

	uint16_t next_id;    /* IPv4 identification of the next datagram */
	uint16_t next_ident; /* ICMP echo identifier of the next ping */
	struct ww_probe probes[WW_PROBE_MAX];
	size_t probe_next;   /* ring: the slot the next probe takes */

	struct {
		ww_ip_handler fn;
		void *arg;
	} handlers[256];
	struct {
		ww_icmp_error_handler fn;
		void *arg;
	} icmp_err_handlers[256];

	uint64_t now;        /* the NOW of the call in progress */
	/* The frame being taken in, for drop events (NULL outside input). */
	const uint8_t *in_frame;
	size_t in_len;
	uint8_t *txbuf;      /* one frame being built: header + up to 65535 + padding */
};

#define TXBUF_SIZE (14 + 65535 + 64)

/* stack.c */
void st_event(struct ww_stack *st, enum ww_event_type type, uint64_t now, const char *reason,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Count a drop and report it with the frame being taken in (if any). */
void st_drop(struct ww_stack *st, enum ww_ctr c, uint64_t now, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
const char *st_counter_name(enum ww_ctr c);
/* Frame PAYLOAD for DST_MAC with EtherType TYPE, pad it to 60 bytes and
 * send it. 0, or -1 if the link refused it (counted). */
int st_frame_out(struct ww_stack *st, const uint8_t dst_mac[6], uint16_t type,
		 const uint8_t *payload, size_t len);
bool st_is_broadcast(const struct ww_stack *st, uint32_t ip);
extern const uint8_t st_bcast_mac[6];

/* stack_arp.c */
void st_arp_input(struct ww_stack *st, const uint8_t *pkt, size_t len, uint32_t base,
		  uint64_t now);
void st_arp_poll(struct ww_stack *st, uint64_t now);
/* Send DGRAM to the on-link NEXT_HOP: now if its MAC is known, else once
 * ARP resolves it (the datagram waits in the entry's queue). */
int st_arp_output(struct ww_stack *st, uint32_t next_hop, const uint8_t *dgram, size_t len,
		  bool raw, uint64_t now);

/* stack_ip.c */
void st_ip_input(struct ww_stack *st, const uint8_t *pkt, size_t len, uint32_t base,
		 uint64_t now);
/* Put a whole datagram on the wire (route, ARP, fragment unless RAW) or
 * deliver it to ourselves when it is addressed to us. */
int st_ip_output(struct ww_stack *st, const uint8_t *dgram, size_t len, bool raw, uint64_t now);
/* Frame a datagram for MAC: fragmented to the MTU unless RAW. */
int st_ip_transmit(struct ww_stack *st, const uint8_t mac[6], const uint8_t *dgram, size_t len,
		   bool raw);
void st_ip_poll(struct ww_stack *st, uint64_t now);

/* stack_icmp.c: a datagram for us carrying ICMP. */
struct st_rx {
	const struct ww_ipv4 *ip;
	const uint8_t *hdr;   /* the IP header's bytes */
	size_t hlen;
	unsigned nfrags;      /* 1, or how many fragments it came in */
	bool to_broadcast;
};
void st_icmp_input(struct ww_stack *st, const struct st_rx *rx, const uint8_t *msg, size_t len,
		   uint64_t now);
/* ICMP error TYPE/CODE about the datagram whose header is HDR/HLEN and
 * whose payload starts with QUOTE (RFC 792: the first 8 bytes). */
void st_icmp_send_error(struct ww_stack *st, uint8_t type, uint8_t code, const uint8_t *hdr,
			size_t hlen, const uint8_t *quote, size_t quote_len, uint64_t now);
void st_icmp_poll(struct ww_stack *st, uint64_t now);
uint64_t st_icmp_next_deadline(const struct ww_stack *st);

#endif
