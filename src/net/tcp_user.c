/* The calls a user of the TCP makes (RFC 9293 §3.10.1-3.10.5): OPEN
 * active and passive, SEND, RECEIVE (into a buffer, or streamed to a
 * sink), CLOSE and ABORT; and the connection table as `tcp list` walks
 * it. */
#include "tcp_int.h"

static bool port_in_use(const struct ww_tcp_host *h, uint16_t port)
{
	if (ww_tcp_listening(h, port))
		return true;
	for (size_t i = 0; i < TCP_MAX_CONNS; i++)
		if (h->conns[i] && h->conns[i]->state != WW_TCPS_CLOSED && h->conns[i]->lport == port)
			return true;
	return false;
}

static uint16_t ephemeral_port(struct ww_tcp_host *h)
{
	unsigned span = TCP_EPHEMERAL_HI - TCP_EPHEMERAL_LO + 1;
	unsigned start = (unsigned)(tcp_random(h) % span);
	for (unsigned i = 0; i < span; i++) {
		uint16_t p = (uint16_t)(TCP_EPHEMERAL_LO + (start + i) % span);
		if (!port_in_use(h, p))
			return p;
	}
	return 0;
}

/* ---- the user's calls ----------------------------------------------------------- */

struct ww_tcb *ww_tcp_connect(struct ww_tcp_host *h, uint32_t dst, uint16_t dport,
			      uint16_t sport, uint64_t now)
{
	char d[16];
	if (!sport && !(sport = ephemeral_port(h))) {
		tcp_event(h, WW_EV_ERROR, now, NULL, "TCP: no ephemeral port is free");
		return NULL;
	}
	if (tcp_lookup(h, h->env.ip, sport, dst, dport)) {
		tcp_event(h, WW_EV_ERROR, now, NULL, "TCP: a connection %u > %s:%u exists already",
			  sport, ww_ipv4_str(dst, d), dport);
		return NULL;
	}
	struct ww_tcb *c = tcp_tcb_new(h, dst, sport, dport, now);
	if (!c) {
		tcp_event(h, WW_EV_ERROR, now, NULL,
			  "TCP: no room for another connection (%d open or closing)", TCP_MAX_CONNS);
		return NULL;
	}
	h->ctr[T_CONNECTS]++;
	c->conn_deadline = now + (uint64_t)h->set.connect_timeout_ms * MS_NS;
	tcp_set_state(c, WW_TCPS_SYN_SENT, now);
	tcp_send_ctl(c, WW_TCP_SYN, c->iss, 0, now);
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->rtt_timing = true;
	c->rtt_seq = c->iss;
	c->rtt_start = now;
	tcp_rto_arm(c, now);
	return c;
}

int ww_tcp_listen(struct ww_tcp_host *h, uint16_t port)
{
	if (port == 0 || ww_tcp_listening(h, port))
		return -1;
	for (size_t i = 0; i < TCP_MAX_LISTENERS; i++)
		if (!h->listeners[i].port) {
			h->listeners[i].port = port;
			return 0;
		}
	return -1;
}

int ww_tcp_unlisten(struct ww_tcp_host *h, uint16_t port)
{
	for (size_t i = 0; i < TCP_MAX_LISTENERS; i++)
		if (h->listeners[i].port == port) {
			h->listeners[i].port = 0;
			return 0;
		}
	return -1;
}

bool ww_tcp_listening(const struct ww_tcp_host *h, uint16_t port)
{
	for (size_t i = 0; i < TCP_MAX_LISTENERS; i++)
		if (port && h->listeners[i].port == port)
			return true;
	return false;
}

struct ww_tcb *ww_tcp_accept(struct ww_tcp_host *h, uint16_t port)
{
	struct ww_tcb *best = NULL;
	for (size_t i = 0; i < TCP_MAX_CONNS; i++) {
		struct ww_tcb *c = h->conns[i];
		if (c && c->passive && !c->taken && c->lport == port && c->established_ns &&
		    (!best || c->id < best->id))
			best = c;
	}
	if (best)
		best->taken = true;
	return best;
}

bool ww_tcp_synchronized(const struct ww_tcb *c)
{
	return c->established_ns != 0 && c->state != WW_TCPS_LISTEN;
}

bool ww_tcp_fin_received(const struct ww_tcb *c)
{
	return c->fin_received;
}

long ww_tcp_send(struct ww_tcb *c, const uint8_t *data, size_t len, uint64_t now)
{
	switch (c->state) {
	case WW_TCPS_SYN_SENT:
	case WW_TCPS_SYN_RECEIVED:
	case WW_TCPS_ESTABLISHED:
	case WW_TCPS_CLOSE_WAIT:
		break;
	default:
		return -1;
	}
	if (c->fin_queued)
		return -1;
	size_t n = tcp_ring_write(&c->snd, data, len);
	if (c->state == WW_TCPS_ESTABLISHED || c->state == WW_TCPS_CLOSE_WAIT)
		tcp_output(c, now);
	return (long)n;
}

size_t ww_tcp_recv(struct ww_tcb *c, uint8_t *buf, size_t cap, uint64_t now)
{
	size_t n = tcp_ring_read(&c->rcv, buf, cap);
	if (n)
		tcp_rcv_window_opened(c, now);
	return n;
}

size_t ww_tcp_readable(const struct ww_tcb *c)
{
	return c->rcv.len;
}

size_t ww_tcp_send_space(const struct ww_tcb *c)
{
	return tcp_ring_room(&c->snd);
}

size_t ww_tcp_unacked(const struct ww_tcb *c)
{
	return c->snd.len;
}

void ww_tcp_set_sink(struct ww_tcb *c, ww_tcp_sink sink, void *arg, uint64_t now)
{
	c->sink = sink;
	c->sink_arg = arg;
	if (!sink)
		return;
	/* What waits in the buffer goes first, in place. */
	uint8_t chunk[4096];
	while (c->rcv.len && c->sink) {
		size_t n = c->rcv.len < sizeof chunk ? c->rcv.len : sizeof chunk;
		tcp_ring_peek(&c->rcv, 0, chunk, n);
		size_t took = sink(arg, chunk, n);
		tcp_ring_drop(&c->rcv, took);
		if (took < n)
			c->sink = NULL;
	}
	tcp_rcv_window_opened(c, now);
}

void ww_tcp_set_notify(struct ww_tcb *c, ww_tcp_notify fn, void *arg)
{
	c->notify = fn;
	c->notify_arg = arg;
}

int ww_tcp_close(struct ww_tcb *c, uint64_t now)
{
	switch (c->state) {
	case WW_TCPS_SYN_SENT:
		tcp_set_closed(c, WW_TCPE_NONE, now);
		return 0;
	case WW_TCPS_SYN_RECEIVED:
		/* RFC 9293 §3.10.4: the FIN waits for the handshake to end. */
		if (c->fin_queued)
			return -1;
		c->fin_queued = true;
		return 0;
	case WW_TCPS_ESTABLISHED:
		c->fin_queued = true;
		tcp_set_state(c, WW_TCPS_FIN_WAIT_1, now);
		break;
	case WW_TCPS_CLOSE_WAIT:
		c->fin_queued = true;
		tcp_set_state(c, WW_TCPS_LAST_ACK, now);
		break;
	default:
		return -1;
	}
	tcp_output(c, now);
	return 0;
}

void ww_tcp_abort(struct ww_tcb *c, uint64_t now)
{
	switch (c->state) {
	case WW_TCPS_SYN_RECEIVED:
	case WW_TCPS_ESTABLISHED:
	case WW_TCPS_FIN_WAIT_1:
	case WW_TCPS_FIN_WAIT_2:
	case WW_TCPS_CLOSE_WAIT:
		tcp_send_rst(c, c->snd_max, true, now);
		tcp_set_closed(c, WW_TCPE_ABORTED, now);
		break;
	case WW_TCPS_CLOSED:
		break;
	default:
		/* Nothing synchronized to reset, or the peer is gone already. */
		tcp_set_closed(c, WW_TCPE_ABORTED, now);
		break;
	}
}

struct ww_tcb *ww_tcp_at(const struct ww_tcp_host *h, size_t i)
{
	/* Oldest first: by number. */
	struct ww_tcb *sorted[TCP_MAX_CONNS];
	size_t n = 0;
	for (size_t k = 0; k < TCP_MAX_CONNS; k++) {
		struct ww_tcb *c = h->conns[k];
		if (!c)
			continue;
		size_t j = n++;
		while (j > 0 && sorted[j - 1]->id > c->id) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = c;
	}
	return i < n ? sorted[i] : NULL;
}

struct ww_tcb *ww_tcp_find(const struct ww_tcp_host *h, unsigned id)
{
	for (size_t k = 0; k < TCP_MAX_CONNS; k++)
		if (h->conns[k] && h->conns[k]->id == id)
			return h->conns[k];
	return NULL;
}
