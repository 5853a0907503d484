/* UDP in the stack (RFC 768, RFC 1122 §4.1): sockets over the stack's
 * IPv4. A socket has a local port — given, or an ephemeral one drawn at
 * random from 49152-65535 (RFC 6335 §6, RFC 6056: a port that cannot be
 * guessed is half of what protects a DNS query) — and may be connected to
 * one remote address and port. A datagram in goes to the socket whose
 * 4-tuple matches exactly, else to the unconnected socket on its port;
 * one from another address or port than a connected socket's is dropped
 * and counted, never delivered. Nothing here answers a datagram for a
 * port nobody holds (no ICMP port unreachable: a person may be answering
 * it by hand); it is shown and counted.
 *
 * An ICMP error quoting one of our datagrams (the stack hands it over) is
 * surfaced on the socket that sent it, as the kernel's SO_ERROR does:
 * port unreachable is ECONNREFUSED. The layer is pure like the stack:
 * time comes in as NOW, nothing is printed, drops are events. */
#ifndef WW_UDPSOCK_H
#define WW_UDPSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/event.h"

#define WW_UDP_SOCK_MAX 64
#define WW_UDP_EPHEMERAL_LO 49152
#define WW_UDP_EPHEMERAL_HI 65535
#define WW_UDP_QUEUE_MAX 16       /* datagrams a socket without a receive callback holds */
#define WW_UDP_PAYLOAD_MAX 65507  /* 65535 - 20 (IPv4) - 8 (UDP) */

struct ww_stack;
struct ww_udp_layer;

/* A datagram that arrived. DATA is valid during the callback (or, from
 * ww_udp_recv, is the caller's buffer). */
struct ww_udp_datagram {
	uint32_t src, dst;     /* host order */
	uint16_t sport, dport;
	uint8_t ttl;
	const uint8_t *data;
	size_t len;            /* the payload's whole length */
	uint64_t at_ns;        /* when it came in (the stack's NOW) */
};

/* An ICMP error about a datagram the socket sent. */
struct ww_udp_sock_error {
	int err;               /* errno: ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EMSGSIZE, ... */
	uint8_t type, code;    /* the ICMP message */
	uint32_t from;         /* who sent it */
	uint32_t dst;          /* the datagram it is about: its destination */
	uint16_t dport;
	uint64_t at_ns;
};

/* What a socket's owner is told. Without RECV, datagrams wait in the
 * socket's queue for ww_udp_recv; without ERROR, the last error waits for
 * ww_udp_take_error. */
struct ww_udp_ops {
	void (*recv)(void *arg, int sock, const struct ww_udp_datagram *d);
	void (*error)(void *arg, int sock, const struct ww_udp_sock_error *e);
};

/* UDP on ST: takes over the stack's handler for protocol 17 and for ICMP
 * errors about UDP. SEED 0 draws ports from the kernel's randomness; any
 * other makes them repeat (tests). EV gets drops (reason: the counter's
 * name) and errors. NULL when out of memory. */
struct ww_udp_layer *ww_udp_new(struct ww_stack *st, uint64_t seed, ww_event_fn ev, void *ev_arg);
/* Close every socket and give the stack's handlers back. */
void ww_udp_free(struct ww_udp_layer *u);
/* The stack underneath. */
struct ww_stack *ww_udp_stack(const struct ww_udp_layer *u);

/* A socket on local port LPORT (0: a random ephemeral port no socket
 * uses), connected to RIP:RPORT unless RIP is 0. Two sockets share a port
 * only when at most one is unconnected and the connected ones' remotes
 * differ. OPS is copied (NULL: queue everything). Returns the socket (≥ 0)
 * or -EADDRINUSE, -EMFILE (no free slot), -EINVAL (a remote without a
 * port). */
int ww_udp_open(struct ww_udp_layer *u, uint16_t lport, uint32_t rip, uint16_t rport,
		const struct ww_udp_ops *ops, void *arg);
void ww_udp_close(struct ww_udp_layer *u, int sock);
/* Send LEN bytes to DST:DPORT (DST 0: the connected remote) from our
 * address and the socket's port; the checksum is filled (RFC 768). 0, or
 * -EDESTADDRREQ (no destination), -EMSGSIZE, -EBADF, -EHOSTUNREACH (the
 * stack refused it: its event says why). */
int ww_udp_send(struct ww_udp_layer *u, int sock, uint32_t dst, uint16_t dport, const void *data,
		size_t len, uint64_t now_ns);
/* The oldest queued datagram, its payload copied to BUF (cut at CAP; D->len
 * is the whole length): 1, or 0 when the queue is empty. */
int ww_udp_recv(struct ww_udp_layer *u, int sock, struct ww_udp_datagram *d, uint8_t *buf,
		size_t cap);
/* The error waiting on the socket, cleared as it is read: true if there
 * was one. */
bool ww_udp_take_error(struct ww_udp_layer *u, int sock, struct ww_udp_sock_error *e);

struct ww_udp_sock_info {
	bool used, connected;
	uint16_t lport, rport;
	uint32_t rip;
	unsigned queued;
	uint64_t rx, tx;       /* datagrams delivered to it, sent from it */
};
/* Socket I's state (0 ≤ I < WW_UDP_SOCK_MAX); -1 past the end. */
int ww_udp_sock_info(const struct ww_udp_layer *u, int sock, struct ww_udp_sock_info *info);

/* The counters (`udp stats`), as the stack's: drops by reason and events. */
struct ww_counter_info;
const struct ww_counter_info *ww_udp_counter_info(size_t i);
uint64_t ww_udp_counter_value(const struct ww_udp_layer *u, size_t i);
/* By name ("udp.wrong_peer"); UINT64_MAX if there is none. */
uint64_t ww_udp_counter(const struct ww_udp_layer *u, const char *name);

/* "connection refused (ICMP port unreachable)": the ICMP message a socket
 * error came from, for a person. */
const char *ww_udp_error_text(const struct ww_udp_sock_error *e, char *buf, size_t cap);

#endif
