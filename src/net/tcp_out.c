/* The send side: what may go now and how it is cut. A segment carries
 * at most SMSS bytes (the peer's MSS and our MTU, less the options every
 * segment carries); the usable window is min(the peer's window, cwnd)
 * less what is in flight (RFC 5681 §3.1). A short segment waits while
 * data is unacknowledged (Nagle, RFC 896), and a short window is not
 * filled in crumbs (RFC 9293 §3.8.6.2.1). Nagle's rule is Minshall's
 * variant, as Linux has it: a short segment waits only while another
 * short one is unacknowledged, so a reply of 4000 bytes leaves as 1460,
 * 1460 and 1080 at once. PSH marks the segment that empties the send
 * buffer. */
#include <string.h>

#include "tcp_int.h"

uint16_t tcp_smss(const struct ww_tcb *c)
{
	unsigned mtu_mss = c->host->env.mtu - WW_IPV4_HLEN - WW_TCP_HLEN;
	unsigned mss = c->peer_mss < mtu_mss ? c->peer_mss : mtu_mss;
	/* RFC 6691: the MSS counts no options; the timestamps on every
	 * segment come out of it. */
	if (c->ts_ok)
		mss -= 12;
	return (uint16_t)(mss < 16 ? 16 : mss);
}

uint32_t tcp_snd_data_end(const struct ww_tcb *c)
{
	return c->snd_buf_seq + (uint32_t)c->snd.len;
}

uint32_t tcp_flight(const struct ww_tcb *c)
{
	return c->snd_max - c->snd_una;
}

static void out(struct ww_tcp_host *h, uint32_t dst, size_t len, uint64_t now)
{
	h->ctr[T_SEGS_OUT]++;
	/* A segment the stack could not send is a lost segment: the
	 * retransmission timer finds it. */
	h->env.output(h->env.output_arg, dst, h->seg, len, now);
}

static void header(const struct ww_tcb *c, struct ww_tcp *t, uint16_t flags, uint32_t seq)
{
	memset(t, 0, sizeof *t);
	t->sport = c->lport;
	t->dport = c->rport;
	t->seq = seq;
	t->flags = flags;
	if (flags & WW_TCP_ACK)
		t->ack = c->rcv_nxt;
}

/* Our side of the window, and an event when it closes. */
static void set_window(struct ww_tcb *c, struct ww_tcp *t, uint64_t now)
{
	if (t->flags & WW_TCP_SYN) {
		/* RFC 7323 §2.2: a SYN's window is never scaled. */
		uint32_t w = c->rcvbuf < 65535 ? c->rcvbuf : 65535;
		t->window = (uint16_t)w;
		if (t->flags & WW_TCP_ACK)
			c->rcv_adv = c->rcv_nxt + w;
		return;
	}
	if (t->flags & WW_TCP_RST)
		return;
	t->window = tcp_rcv_window_field(c);
	if (t->window == 0 && !c->rcv_zero) {
		c->rcv_zero = true;
		c->st.zero_windows++;
		tcp_conn_event(c, WW_EV_INFO, now, NULL,
			       "our receive buffer is full (%zu bytes unread): window 0", c->rcv.len);
	} else if (t->window) {
		c->rcv_zero = false;
	}
}

static void set_options(struct ww_tcb *c, struct ww_tcp *t, uint64_t now)
{
	if (t->flags & WW_TCP_SYN) {
		t->has_mss = c->offer_mss;
		t->mss = c->rmss;
		t->has_wscale = c->ws_ok;
		t->wscale = c->rcv_wscale;
		t->sack_perm = c->sack_ok;
	}
	if (c->ts_ok && !(t->flags & WW_TCP_RST)) {
		t->has_ts = true;
		t->tsval = tcp_ts_now(c, now);
		t->tsecr = (t->flags & WW_TCP_ACK) ? c->ts_recent : 0;
	}
	if (c->sack_ok && c->nrsack && (t->flags & WW_TCP_ACK) && !(t->flags & WW_TCP_SYN)) {
		t->nsack = (uint8_t)c->nrsack;
		memcpy(t->sack, c->rsack, c->nrsack * sizeof t->sack[0]);
	}
}

/* Build and send one segment of C: FLAGS at SEQ, with LEN bytes of the
 * send buffer from SEQ on. */
static void emit(struct ww_tcb *c, uint16_t flags, uint32_t seq, uint32_t len, uint16_t notes,
		 uint64_t now)
{
	struct ww_tcp_host *h = c->host;
	struct ww_tcp t;
	header(c, &t, flags, seq);
	set_window(c, &t, now);
	set_options(c, &t, now);
	size_t hlen = ww_tcp_header_len(&t);
	while (hlen > WW_TCP_MAX_HLEN && t.nsack) { /* fewer SACK blocks fit */
		t.nsack--;
		hlen = ww_tcp_header_len(&t);
	}
	if (len)
		tcp_ring_peek(&c->snd, seq - c->snd_buf_seq, h->seg + hlen, len);
	if (!ww_tcp_emit(&t, c->lip, c->rip, h->seg, hlen + len))
		return;
	if (flags & WW_TCP_ACK) {
		c->last_ack_sent = c->rcv_nxt;
		c->ack_now = false;
		c->unacked_bytes = 0;
		c->delack_at = 0;
	}
	if (flags & WW_TCP_RST)
		h->ctr[T_RST_SENT]++;
	c->st.segs_out++;
	c->st.bytes_out += len;
	if (len)
		c->st.data_segs_out++;
	tcp_trace_seg(c, true, &t, len, notes, now);
	out(h, c->rip, hlen + len, now);
}

void tcp_send_ctl(struct ww_tcb *c, uint16_t flags, uint32_t seq, uint16_t notes, uint64_t now)
{
	emit(c, flags, seq, 0, notes, now);
}

void tcp_send_ack(struct ww_tcb *c, uint16_t notes, uint64_t now)
{
	if (c->state == WW_TCPS_CLOSED || c->state == WW_TCPS_LISTEN ||
	    c->state == WW_TCPS_SYN_SENT)
		return;
	emit(c, WW_TCP_ACK, c->snd_nxt, 0, notes, now);
}

void tcp_send_rst(struct ww_tcb *c, uint32_t seq, bool with_ack, uint64_t now)
{
	emit(c, (uint16_t)(WW_TCP_RST | (with_ack ? WW_TCP_ACK : 0)), seq, 0, 0, now);
}

/* RFC 9293 §3.10.7.1: to a segment with an ACK, <SEQ=SEG.ACK><CTL=RST>;
 * to one without, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
void tcp_send_rst_for(struct ww_tcp_host *h, const struct tcp_seg *s)
{
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = s->h.dport;
	t.dport = s->h.sport;
	if (s->h.flags & WW_TCP_ACK) {
		t.seq = s->h.ack;
		t.flags = WW_TCP_RST;
	} else {
		t.ack = s->h.seq + s->len + !!(s->h.flags & WW_TCP_SYN) + !!(s->h.flags & WW_TCP_FIN);
		t.flags = WW_TCP_RST | WW_TCP_ACK;
	}
	if (!ww_tcp_emit(&t, s->dst, s->src, h->seg, WW_TCP_HLEN))
		return;
	h->ctr[T_RST_SENT]++;
	out(h, s->src, WW_TCP_HLEN, s->now);
}

uint32_t tcp_retransmit(struct ww_tcb *c, uint32_t seq, uint32_t len, uint16_t notes,
			uint64_t now)
{
	uint32_t end = tcp_snd_data_end(c);
	if (!ww_seq_lt(seq, end) && !(c->fin_sent && seq == end))
		return 0;
	uint32_t n = ww_seq_lt(seq, end) ? end - seq : 0;
	if (n > len)
		n = len;
	if (n > c->smss)
		n = c->smss;
	bool fin = c->fin_sent && seq + n == end;
	uint16_t flags = WW_TCP_ACK;
	if (fin)
		flags |= WW_TCP_FIN;
	if (n && seq + n == end)
		flags |= WW_TCP_PSH;
	emit(c, flags, seq, n, (uint16_t)(notes | WW_TCPN_RETRANSMIT), now);
	c->st.retransmits++;
	c->host->ctr[T_RETRANSMITS]++;
	/* Karn: a retransmitted segment's ACK says nothing of the RTT. */
	if (c->rtt_timing && ww_seq_geq(c->rtt_seq, seq) && ww_seq_lt(c->rtt_seq, seq + n + fin))
		c->rtt_timing = false;
	if (!c->rto_at)
		tcp_rto_arm(c, now);
	return n + fin;
}

/* One segment from SND.NXT: N data bytes and perhaps the FIN. */
static void send_new(struct ww_tcb *c, uint32_t n, bool fin, uint16_t notes, uint64_t now)
{
	uint32_t end = tcp_snd_data_end(c);
	uint16_t flags = WW_TCP_ACK;
	if (fin)
		flags |= WW_TCP_FIN;
	if (n && c->snd_nxt + n == end)
		flags |= WW_TCP_PSH;
	if (ww_seq_lt(c->snd_nxt, c->snd_max)) {
		notes |= WW_TCPN_RETRANSMIT;
		c->st.retransmits++;
		c->host->ctr[T_RETRANSMITS]++;
	} else if (n && !c->rtt_timing && !c->ts_ok) {
		c->rtt_timing = true;
		c->rtt_seq = c->snd_nxt;
		c->rtt_start = now;
	}
	emit(c, flags, c->snd_nxt, n, notes, now);
	if (n < c->smss)
		c->snd_sml = c->snd_nxt + n;
	c->snd_nxt += n + (fin ? 1 : 0);
	if (fin)
		c->fin_sent = true;
	if (ww_seq_gt(c->snd_nxt, c->snd_max))
		c->snd_max = c->snd_nxt;
}

static bool can_send_data(const struct ww_tcb *c)
{
	switch (c->state) {
	case WW_TCPS_ESTABLISHED:
	case WW_TCPS_CLOSE_WAIT:
	case WW_TCPS_FIN_WAIT_1:
	case WW_TCPS_CLOSING:
	case WW_TCPS_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/* A segment shorter than SMSS goes only if it takes all that is queued
 * and no short segment is in flight (or Nagle is off), or if it fills
 * at least half the largest window the peer ever offered. */
static bool short_segment_ok(const struct ww_tcb *c, uint32_t n, uint32_t avail)
{
	if (n == avail)
		return !c->host->set.nagle || !ww_seq_gt(c->snd_sml, c->snd_una);
	return n >= c->max_snd_wnd / 2;
}

uint32_t tcp_send_forced(struct ww_tcb *c, uint32_t max, uint16_t notes, uint64_t now)
{
	uint32_t end = tcp_snd_data_end(c);
	uint32_t avail = ww_seq_lt(c->snd_nxt, end) ? end - c->snd_nxt : 0;
	uint32_t n = avail < max ? avail : max;
	if (n > c->smss)
		n = c->smss;
	if (n == 0)
		return 0;
	send_new(c, n, false, notes, now);
	return n;
}

static bool send_data(struct ww_tcb *c, uint64_t now)
{
	bool sent = false;
	for (;;) {
		uint32_t end = tcp_snd_data_end(c);
		if (c->nsacked)
			c->snd_nxt = tcp_sack_skip(c, c->snd_nxt);
		uint32_t avail = ww_seq_lt(c->snd_nxt, end) ? end - c->snd_nxt : 0;
		bool fin_due = c->fin_queued && ww_seq_leq(c->snd_nxt, end);
		uint32_t inflight = c->snd_nxt - c->snd_una;
		uint32_t wnd = c->snd_wnd < c->cwnd ? c->snd_wnd : c->cwnd;
		uint32_t usable = wnd > inflight ? wnd - inflight : 0;
		uint32_t n = avail < c->smss ? avail : c->smss;
		if (n > usable)
			n = usable;
		/* The FIN needs no window: it goes with the last byte. */
		bool fin = fin_due && c->snd_nxt + n == end;
		if (n == 0 && !fin) {
			if (c->snd_wnd == 0 && (avail || fin_due) && c->snd_nxt == c->snd_una &&
			    !c->persist_at) {
				/* RFC 9293 §3.8.6.1: a zero window is probed. */
				tcp_rto_stop(c);
				c->backoff = 0;
				tcp_persist_arm(c, now);
			}
			break;
		}
		/* Data sent before goes again whatever its size: Nagle and
		 * the silly-window rule are for new data. */
		bool resend = ww_seq_lt(c->snd_nxt, c->snd_max);
		if (n < c->smss && !fin && !resend && !short_segment_ok(c, n, avail)) {
			/* Window-limited crumbs with nothing in flight: the
			 * persist timer sends them if no ACK comes. */
			if (inflight == 0 && n < avail && !c->persist_at)
				tcp_persist_arm(c, now);
			break;
		}
		send_new(c, n, fin, 0, now);
		if (!c->rto_at)
			tcp_rto_arm(c, now);
		sent = true;
		if (fin)
			break;
	}
	return sent;
}

void tcp_output(struct ww_tcb *c, uint64_t now)
{
	bool sent = can_send_data(c) && send_data(c, now);
	bool hold = c->host->set.stretch_ack && c->host->in_burst;
	if (!sent && c->ack_now && !hold)
		tcp_send_ack(c, 0, now);
}

void ww_tcp_burst(struct ww_tcp_host *h, bool on, uint64_t now)
{
	h->in_burst = on;
	if (on || !h->set.stretch_ack)
		return;
	for (unsigned i = 0; i < TCP_MAX_CONNS; i++)
		if (h->conns[i] && h->conns[i]->ack_now)
			tcp_output(h->conns[i], now);
}
