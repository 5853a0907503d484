/* UDP sockets over the stack (RFC 768, RFC 1122 §4.1): ephemeral ports
 * drawn at random, demultiplexing by the 4-tuple, checksums checked on
 * the way in and filled on the way out, ICMP errors surfaced on the
 * socket that sent the datagram they quote. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/icmp.h"
#include "ww/ipv4.h"
#include "ww/rng.h"
#include "ww/stack.h"
#include "ww/udp.h"
#include "ww/udpsock.h"

/* Counter indexes: the order of the table below. */
enum udp_ctr {
	U_TRUNCATED, U_BAD_LENGTH, U_BAD_CHECKSUM, U_NO_SOCKET, U_WRONG_PEER, U_QUEUE_FULL,
	U_ICMP_UNMATCHED,
	U_SENT, U_RECEIVED, U_NO_CHECKSUM, U_ICMP_ERRORS, U_COUNT
};

static const struct ww_counter_info counters[U_COUNT] = {
	{ "udp.truncated", "UDP datagram shorter than its header or its length field", true },
	{ "udp.bad_length", "UDP length field below 8", true },
	{ "udp.bad_checksum", "UDP checksum wrong", true },
	{ "udp.no_socket", "datagram to a port no socket holds: shown, not answered", true },
	{ "udp.wrong_peer", "datagram from another address or port than the connected socket's",
	  true },
	{ "udp.queue_full", "datagram for a socket whose queue was full", true },
	{ "udp.icmp_unmatched", "ICMP error about a UDP datagram no socket sent", true },
	{ "udp.datagrams_sent", "UDP datagrams sent", false },
	{ "udp.datagrams_received", "UDP datagrams delivered to a socket", false },
	{ "udp.no_checksum", "datagrams received without a checksum (0: allowed over IPv4)",
	  false },
	{ "udp.icmp_errors", "ICMP errors surfaced on a socket (port unreachable, ...)", false },
};

struct queued {
	uint8_t *data;
	size_t len;
	uint32_t src, dst;
	uint16_t sport, dport;
	uint8_t ttl;
	uint64_t at;
};

struct sock {
	bool used, connected;
	uint16_t lport, rport;
	uint32_t rip;
	struct ww_udp_ops ops;
	void *arg;
	struct queued q[WW_UDP_QUEUE_MAX];
	unsigned qhead, qn;
	bool has_err;
	struct ww_udp_sock_error err;
	uint64_t rx, tx;
};

struct ww_udp_layer {
	struct ww_stack *st;
	struct ww_rng rng;
	ww_event_fn ev;
	void *ev_arg;
	uint64_t ctr[U_COUNT];
	struct sock s[WW_UDP_SOCK_MAX];
	uint8_t *txbuf; /* header + the largest payload */
};

/* ---- counters and events ------------------------------------------------ */

const struct ww_counter_info *ww_udp_counter_info(size_t i)
{
	return i < U_COUNT ? &counters[i] : NULL;
}

uint64_t ww_udp_counter_value(const struct ww_udp_layer *u, size_t i)
{
	return i < U_COUNT ? u->ctr[i] : 0;
}

uint64_t ww_udp_counter(const struct ww_udp_layer *u, const char *name)
{
	for (size_t i = 0; i < U_COUNT; i++)
		if (strcmp(counters[i].name, name) == 0)
			return u->ctr[i];
	return UINT64_MAX;
}

/* Count a drop of the datagram being taken in and report it with its
 * frame, so the session names the packet. */
static void drop(struct ww_udp_layer *u, enum udp_ctr c, uint64_t now, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void drop(struct ww_udp_layer *u, enum udp_ctr c, uint64_t now, const char *fmt, ...)
{
	u->ctr[c]++;
	if (!u->ev)
		return;
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct ww_event e = { .type = WW_EV_FRAME_DROPPED, .now_ns = now,
			      .reason = counters[c].name, .text = text };
	e.frame = ww_stack_input_frame(u->st, &e.len);
	u->ev(u->ev_arg, &e);
}

/* ---- sockets ------------------------------------------------------------------ */

static struct sock *sock_get(struct ww_udp_layer *u, int sock)
{
	if (sock < 0 || sock >= WW_UDP_SOCK_MAX || !u->s[sock].used)
		return NULL;
	return &u->s[sock];
}

static bool port_used(const struct ww_udp_layer *u, uint16_t port)
{
	for (size_t i = 0; i < WW_UDP_SOCK_MAX; i++)
		if (u->s[i].used && u->s[i].lport == port)
			return true;
	return false;
}

/* May a socket on PORT connected to RIP:RPORT (RIP 0: unconnected) join
 * those already there? */
static bool binding_free(const struct ww_udp_layer *u, uint16_t port, uint32_t rip, uint16_t rport)
{
	for (size_t i = 0; i < WW_UDP_SOCK_MAX; i++) {
		const struct sock *s = &u->s[i];
		if (!s->used || s->lport != port)
			continue;
		if (!rip && !s->connected)
			return false;
		if (rip && s->connected && s->rip == rip && s->rport == rport)
			return false;
	}
	return true;
}

/* RFC 6056 §3.3.1: a random port, then the ports after it in turn. */
static uint16_t ephemeral_port(struct ww_udp_layer *u)
{
	const uint32_t span = WW_UDP_EPHEMERAL_HI - WW_UDP_EPHEMERAL_LO + 1;
	uint32_t start = ww_rng_range(&u->rng, 0, span - 1);
	for (uint32_t k = 0; k < span; k++) {
		uint16_t p = (uint16_t)(WW_UDP_EPHEMERAL_LO + (start + k) % span);
		if (!port_used(u, p))
			return p;
	}
	return 0;
}

int ww_udp_open(struct ww_udp_layer *u, uint16_t lport, uint32_t rip, uint16_t rport,
		const struct ww_udp_ops *ops, void *arg)
{
	if (rip && !rport)
		return -EINVAL;
	int slot = -1;
	for (int i = 0; i < WW_UDP_SOCK_MAX && slot < 0; i++)
		if (!u->s[i].used)
			slot = i;
	if (slot < 0)
		return -EMFILE;
	if (!lport)
		lport = ephemeral_port(u);
	if (!lport || !binding_free(u, lport, rip, rport))
		return -EADDRINUSE;
	struct sock *s = &u->s[slot];
	memset(s, 0, sizeof *s);
	s->used = true;
	s->lport = lport;
	s->connected = rip != 0;
	s->rip = rip;
	s->rport = rport;
	if (ops)
		s->ops = *ops;
	s->arg = arg;
	return slot;
}

static void queue_clear(struct sock *s)
{
	for (unsigned k = 0; k < s->qn; k++)
		free(s->q[(s->qhead + k) % WW_UDP_QUEUE_MAX].data);
	s->qn = 0;
	s->qhead = 0;
}

void ww_udp_close(struct ww_udp_layer *u, int sock)
{
	struct sock *s = sock_get(u, sock);
	if (!s)
		return;
	queue_clear(s);
	memset(s, 0, sizeof *s);
}

int ww_udp_sock_info(const struct ww_udp_layer *u, int sock, struct ww_udp_sock_info *info)
{
	if (sock < 0 || sock >= WW_UDP_SOCK_MAX)
		return -1;
	const struct sock *s = &u->s[sock];
	*info = (struct ww_udp_sock_info){
		.used = s->used, .connected = s->connected, .lport = s->lport, .rport = s->rport,
		.rip = s->rip, .queued = s->qn, .rx = s->rx, .tx = s->tx,
	};
	return 0;
}

/* ---- out ------------------------------------------------------------------------ */

int ww_udp_send(struct ww_udp_layer *u, int sock, uint32_t dst, uint16_t dport, const void *data,
		size_t len, uint64_t now_ns)
{
	struct sock *s = sock_get(u, sock);
	if (!s)
		return -EBADF;
	if (!dst) {
		dst = s->rip;
		dport = s->rport;
	}
	if (!dst || !dport)
		return -EDESTADDRREQ;
	if (len > WW_UDP_PAYLOAD_MAX)
		return -EMSGSIZE;
	uint32_t src = ww_stack_config(u->st)->ip;
	struct ww_udp h = { .sport = s->lport, .dport = dport };
	memcpy(u->txbuf + WW_UDP_HLEN, data, len);
	ww_udp_emit(&h, src, dst, u->txbuf, WW_UDP_HLEN + len);
	struct ww_ip_send ip = { .dst = dst, .proto = WW_IPPROTO_UDP };
	if (ww_stack_ip_send(u->st, &ip, u->txbuf, WW_UDP_HLEN + len, now_ns) < 0)
		return -EHOSTUNREACH;
	s->tx++;
	u->ctr[U_SENT]++;
	return 0;
}

/* ---- in ------------------------------------------------------------------------- */

/* The socket for a datagram from SRC:SPORT to port DPORT: the exact
 * 4-tuple first, then the unconnected socket on the port. *WRONG_PEER
 * tells that the port is held, by connected sockets only, none of them
 * talking to SRC:SPORT. */
static struct sock *demux(struct ww_udp_layer *u, uint32_t src, uint16_t sport, uint16_t dport,
			  bool *wrong_peer)
{
	struct sock *any = NULL;
	*wrong_peer = false;
	for (size_t i = 0; i < WW_UDP_SOCK_MAX; i++) {
		struct sock *s = &u->s[i];
		if (!s->used || s->lport != dport)
			continue;
		if (!s->connected)
			any = s;
		else if (s->rip == src && s->rport == sport)
			return s;
		else
			*wrong_peer = true;
	}
	if (any)
		*wrong_peer = false;
	return any;
}

static void enqueue(struct ww_udp_layer *u, struct sock *s, const struct ww_udp_datagram *d)
{
	if (s->qn == WW_UDP_QUEUE_MAX) {
		char a[16];
		drop(u, U_QUEUE_FULL, d->at_ns, "UDP datagram from %s:%u to port %u: the socket's "
		     "queue already holds %d", ww_ipv4_str(d->src, a), d->sport, d->dport,
		     WW_UDP_QUEUE_MAX);
		return;
	}
	struct queued *q = &s->q[(s->qhead + s->qn) % WW_UDP_QUEUE_MAX];
	q->data = malloc(d->len ? d->len : 1);
	if (!q->data)
		return;
	memcpy(q->data, d->data, d->len);
	q->len = d->len;
	q->src = d->src;
	q->dst = d->dst;
	q->sport = d->sport;
	q->dport = d->dport;
	q->ttl = d->ttl;
	q->at = d->at_ns;
	s->qn++;
}

int ww_udp_recv(struct ww_udp_layer *u, int sock, struct ww_udp_datagram *d, uint8_t *buf,
		size_t cap)
{
	struct sock *s = sock_get(u, sock);
	if (!s || s->qn == 0)
		return 0;
	struct queued *q = &s->q[s->qhead];
	size_t n = q->len < cap ? q->len : cap;
	memcpy(buf, q->data, n);
	*d = (struct ww_udp_datagram){ .src = q->src, .dst = q->dst, .sport = q->sport,
				       .dport = q->dport, .ttl = q->ttl, .data = buf, .len = q->len,
				       .at_ns = q->at };
	free(q->data);
	s->qhead = (s->qhead + 1) % WW_UDP_QUEUE_MAX;
	s->qn--;
	return 1;
}

static bool checksum_ok(struct ww_udp_layer *u, const struct ww_ipv4 *ip,
			const struct ww_udp *h, const uint8_t *seg, uint64_t now)
{
	if (h->checksum == 0) {
		u->ctr[U_NO_CHECKSUM]++;
		return true;
	}
	if (ww_l4_csum(ip->src, ip->dst, WW_IPPROTO_UDP, seg, h->len) == 0)
		return true;
	uint8_t hdr[WW_UDP_HLEN];
	memcpy(hdr, seg, WW_UDP_HLEN);
	ww_put16(hdr + 6, 0);
	uint32_t sum = ww_pseudo_sum(ip->src, ip->dst, WW_IPPROTO_UDP, h->len);
	sum = ww_sum16(hdr, WW_UDP_HLEN, sum);
	sum = ww_sum16(seg + WW_UDP_HLEN, h->len - WW_UDP_HLEN, sum);
	uint16_t want = ww_csum_finish(sum);
	drop(u, U_BAD_CHECKSUM, now, "UDP checksum 0x%04x, should be 0x%04x", h->checksum,
	     want ? want : 0xffff);
	return false;
}

static void udp_input(void *arg, const struct ww_ipv4 *ip, const uint8_t *seg, size_t len,
		      uint64_t now)
{
	struct ww_udp_layer *u = arg;
	struct ww_cursor c;
	ww_cur_init(&c, seg, len, 0);
	struct ww_udp h;
	if (ww_udp_parse(&c, &h) < 0) {
		drop(u, c.err.status == WW_TRUNCATED ? U_TRUNCATED : U_BAD_LENGTH, now, "%s",
		     c.err.msg);
		return;
	}
	if (!checksum_ok(u, ip, &h, seg, now))
		return;
	char a[16];
	bool wrong_peer;
	struct sock *s = demux(u, ip->src, h.sport, h.dport, &wrong_peer);
	if (!s) {
		if (wrong_peer)
			drop(u, U_WRONG_PEER, now, "UDP datagram from %s:%u to port %u: that port "
			     "talks only to its connected peer", ww_ipv4_str(ip->src, a), h.sport,
			     h.dport);
		else
			drop(u, U_NO_SOCKET, now, "UDP datagram from %s:%u to port %u: no socket "
			     "there (not answered: no ICMP port unreachable)",
			     ww_ipv4_str(ip->src, a), h.sport, h.dport);
		return;
	}
	struct ww_udp_datagram d = {
		.src = ip->src, .dst = ip->dst, .sport = h.sport, .dport = h.dport, .ttl = ip->ttl,
		.data = ww_cur_here(&c), .len = ww_cur_left(&c), .at_ns = now,
	};
	u->ctr[U_RECEIVED]++;
	s->rx++;
	int sock = (int)(s - u->s);
	if (s->ops.recv)
		s->ops.recv(s->arg, sock, &d);
	else
		enqueue(u, s, &d);
}

/* ---- ICMP errors ------------------------------------------------------------ */

static int icmp_errno(uint8_t type, uint8_t code)
{
	if (type == WW_ICMP_DEST_UNREACH) {
		switch (code) {
		case WW_ICMP_NET_UNREACH: return ENETUNREACH;
		case WW_ICMP_HOST_UNREACH: return EHOSTUNREACH;
		case WW_ICMP_PROTO_UNREACH: return ENOPROTOOPT;
		case WW_ICMP_PORT_UNREACH: return ECONNREFUSED;
		case WW_ICMP_FRAG_NEEDED: return EMSGSIZE;
		default: return EHOSTUNREACH;
		}
	}
	if (type == WW_ICMP_TIME_EXCEEDED)
		return EHOSTUNREACH;
	if (type == WW_ICMP_PARAM_PROBLEM)
		return EPROTO;
	return EHOSTUNREACH;
}

const char *ww_udp_error_text(const struct ww_udp_sock_error *e, char *buf, size_t cap)
{
	const char *what = ww_icmp_code_str(e->type, e->code);
	if (!what)
		what = ww_tok_str(ww_icmp_type_names, e->type);
	char from[16];
	snprintf(buf, cap, "%s (ICMP %s from %s)", strerror(e->err), what ? what : "error",
		 ww_ipv4_str(e->from, from));
	/* strerror's capital first letter reads oddly mid-sentence. */
	if (cap && buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

/* RFC 1122 §4.1.3.3: UDP passes ICMP errors up. Only the quoted source
 * port and destination say which socket sent the datagram; a connected
 * socket takes it only about its own peer (anything else would let a
 * forged error close someone else's exchange). */
static void udp_icmp_error(void *arg, const struct ww_icmp_error *e, uint64_t now)
{
	struct ww_udp_layer *u = arg;
	char to[16], from[16];
	ww_ipv4_str(e->quoted->dst, to);
	ww_ipv4_str(e->from, from);
	if (e->len < WW_UDP_HLEN) {
		drop(u, U_ICMP_UNMATCHED, now, "ICMP error from %s quotes %zu bytes of a UDP "
		     "header: too few to tell the socket", from, e->len);
		return;
	}
	uint16_t sport = ww_get16(e->data), dport = ww_get16(e->data + 2);
	struct ww_udp_sock_error se = {
		.err = icmp_errno(e->type, e->code), .type = e->type, .code = e->code,
		.from = e->from, .dst = e->quoted->dst, .dport = dport, .at_ns = now,
	};
	bool told = false;
	for (int i = 0; i < WW_UDP_SOCK_MAX; i++) {
		struct sock *s = &u->s[i];
		if (!s->used || s->lport != sport)
			continue;
		if (s->connected && (s->rip != e->quoted->dst || s->rport != dport))
			continue;
		told = true;
		u->ctr[U_ICMP_ERRORS]++;
		if (s->ops.error) {
			s->ops.error(s->arg, i, &se);
		} else {
			s->has_err = true;
			s->err = se;
		}
	}
	if (!told)
		drop(u, U_ICMP_UNMATCHED, now, "ICMP error from %s about UDP %u -> %s:%u: no "
		     "socket of ours sent that", from, sport, to, dport);
}

bool ww_udp_take_error(struct ww_udp_layer *u, int sock, struct ww_udp_sock_error *e)
{
	struct sock *s = sock_get(u, sock);
	if (!s || !s->has_err)
		return false;
	*e = s->err;
	s->has_err = false;
	return true;
}

/* ---- making one ------------------------------------------------------------- */

struct ww_udp_layer *ww_udp_new(struct ww_stack *st, uint64_t seed, ww_event_fn ev, void *ev_arg)
{
	struct ww_udp_layer *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->txbuf = malloc(WW_UDP_HLEN + WW_UDP_PAYLOAD_MAX);
	if (!u->txbuf) {
		free(u);
		return NULL;
	}
	u->st = st;
	u->ev = ev;
	u->ev_arg = ev_arg;
	ww_rng_init(&u->rng, seed);
	ww_stack_set_handler(st, WW_IPPROTO_UDP, udp_input, u);
	ww_stack_set_icmp_error_handler(st, WW_IPPROTO_UDP, udp_icmp_error, u);
	return u;
}

struct ww_stack *ww_udp_stack(const struct ww_udp_layer *u)
{
	return u->st;
}

void ww_udp_free(struct ww_udp_layer *u)
{
	if (!u)
		return;
	ww_stack_set_handler(u->st, WW_IPPROTO_UDP, NULL, NULL);
	ww_stack_set_icmp_error_handler(u->st, WW_IPPROTO_UDP, NULL, NULL);
	for (int i = 0; i < WW_UDP_SOCK_MAX; i++)
		ww_udp_close(u, i);
	free(u->txbuf);
	free(u);
}
