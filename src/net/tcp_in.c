/* A segment arrives (RFC 9293 §3.10.7), in the RFC's order: LISTEN,
 * SYN-SENT, then for every other state the sequence check, RST, SYN,
 * ACK, and the segment's text and FIN (tcp_rcv.c). RST and SYN on a
 * synchronized connection are checked as RFC 5961 asks: only a RST at
 * exactly RCV.NXT resets, anything else doubtful draws a challenge ACK.
 * ICMP errors about our segments come in here too. */
#include <stdio.h>

#include "tcp_int.h"
#include "ww/bytes.h"
#include "ww/icmp.h"

void tcp_take_syn_options(struct ww_tcb *c, const struct ww_tcp *h)
{
	c->peer_mss = h->has_mss && h->mss ? h->mss : TCP_DEFAULT_MSS;
	/* RFC 7323 §2.2: scaling only if both sides sent the option. */
	if (c->ws_ok && h->has_wscale) {
		c->snd_wscale = h->wscale > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : h->wscale;
	} else {
		c->ws_ok = false;
		c->snd_wscale = 0;
		c->rcv_wscale = 0;
	}
	c->sack_ok = c->sack_ok && h->sack_perm;
	c->ts_ok = c->ts_ok && h->has_ts;
	if (c->ts_ok)
		c->ts_recent = h->tsval;
	c->smss = tcp_smss(c);
	/* RFC 5681 §3.1: the initial window, by segment size; the threshold
	 * starts arbitrarily high. */
	c->cwnd = c->smss > 2190 ? 2u * c->smss : c->smss > 1095 ? 3u * c->smss : 4u * c->smss;
	c->ssthresh = 0x7fffffff;
}

static uint32_t seg_len(const struct tcp_seg *s)
{
	return s->len + !!(s->flags & WW_TCP_SYN) + !!(s->flags & WW_TCP_FIN);
}

/* RFC 9293 §3.10.7.4, the four cases of the acceptability test, against
 * the window we advertised. */
static bool acceptable(const struct ww_tcb *c, const struct tcp_seg *s)
{
	uint32_t wnd = tcp_rcv_wnd(c), n = seg_len(s);
	uint32_t lo = c->rcv_nxt, hi = c->rcv_nxt + wnd;
	if (n == 0)
		return wnd == 0 ? s->seq == lo : ww_seq_leq(lo, s->seq) && ww_seq_lt(s->seq, hi);
	if (wnd == 0)
		return false;
	uint32_t last = s->seq + n - 1;
	return (ww_seq_leq(lo, s->seq) && ww_seq_lt(s->seq, hi)) ||
	       (ww_seq_leq(lo, last) && ww_seq_lt(last, hi));
}

/* Cut what was received already off the front and what lies beyond the
 * window off the end (a FIN beyond it goes too). */
static void trim(struct ww_tcb *c, struct tcp_seg *s)
{
	if (ww_seq_lt(s->seq, c->rcv_nxt)) {
		uint32_t d = c->rcv_nxt - s->seq;
		if (s->flags & WW_TCP_SYN) {
			s->flags &= (uint16_t)~WW_TCP_SYN;
			d--;
		}
		if (d > s->len)
			s->flags &= (uint16_t)~WW_TCP_FIN;
		uint32_t cut = d < s->len ? d : s->len;
		if (cut) {
			s->notes |= WW_TCPN_DUPLICATE;
			c->st.duplicates++;
			c->host->ctr[T_DUPLICATES]++;
		}
		s->data += cut;
		s->len -= cut;
		s->seq = c->rcv_nxt;
	}
	uint32_t right = c->rcv_nxt + tcp_rcv_wnd(c);
	if (ww_seq_gt(s->seq + s->len, right)) {
		s->len = ww_seq_gt(right, s->seq) ? right - s->seq : 0;
		s->flags &= (uint16_t)~WW_TCP_FIN;
	}
}

static void challenge_ack(struct ww_tcb *c, struct tcp_seg *s, const char *what)
{
	c->host->ctr[T_CHALLENGE_ACKS]++;
	s->notes |= WW_TCPN_DROPPED;
	tcp_conn_event(c, WW_EV_INFO, s->now, tcp_ctr_name(T_CHALLENGE_ACKS),
		       "%s with seq %u, not RCV.NXT %u: a challenge ACK instead (RFC 5961)", what,
		       s->h.seq - c->irs, c->rcv_nxt - c->irs);
	tcp_send_ack(c, WW_TCPN_CHALLENGE, s->now);
}

static void input_rst(struct ww_tcb *c, struct tcp_seg *s)
{
	if (s->h.seq != c->rcv_nxt) {
		challenge_ack(c, s, "RST");
		return;
	}
	c->host->ctr[T_RST_RECEIVED]++;
	switch (c->state) {
	case WW_TCPS_SYN_RECEIVED:
		/* Passive: the listener stays; active (simultaneous open): refused. */
		tcp_set_closed(c, c->passive ? WW_TCPE_RESET : WW_TCPE_REFUSED, s->now);
		break;
	case WW_TCPS_TIME_WAIT:
		tcp_set_closed(c, WW_TCPE_NONE, s->now);
		break;
	default:
		tcp_set_closed(c, WW_TCPE_RESET, s->now);
		break;
	}
}

/* RFC 5681 §2: a duplicate ACK acknowledges nothing new while data is
 * outstanding, carries no data, no SYN or FIN, and leaves the window as
 * it was. While the window is zero, the ACKs of our probes are not. */
static void maybe_dupack(struct ww_tcb *c, struct tcp_seg *s, uint32_t wnd)
{
	if (c->snd_max == c->snd_una || s->len || (s->h.flags & (WW_TCP_SYN | WW_TCP_FIN)) ||
	    wnd != c->snd_wnd || c->snd_wnd == 0)
		return;
	c->dupacks++;
	c->st.dupacks_in++;
	c->host->ctr[T_DUPACKS]++;
	s->notes |= WW_TCPN_DUP_ACK;
	if (c->dupacks >= 3 || c->in_recovery)
		tcp_cc_dupack(c, s->now);
	else
		tcp_limited_transmit(c, s->now);
}

static void new_ack(struct ww_tcb *c, struct tcp_seg *s, uint32_t ack)
{
	uint64_t now = s->now;
	uint32_t acked = ack - c->snd_una;
	uint32_t end = tcp_snd_data_end(c);
	uint32_t upto = ww_seq_lt(ack, end) ? ack : end;
	if (ww_seq_gt(upto, c->snd_buf_seq)) {
		tcp_ring_drop(&c->snd, upto - c->snd_buf_seq);
		c->snd_buf_seq = upto;
	}
	/* RTT (RFC 6298 §3): from the timestamp echoed (RFC 7323 §4.1,
	 * retransmissions included), or the one segment timed (Karn). */
	if (c->ts_ok && s->h.has_ts && s->h.tsecr) {
		uint32_t ms = tcp_ts_now(c, now) - s->h.tsecr;
		if (ms < 60000)
			tcp_rtt_sample(c, (uint64_t)ms * MS_NS, now);
	} else if (c->rtt_timing && ww_seq_gt(ack, c->rtt_seq)) {
		tcp_rtt_sample(c, now - c->rtt_start, now);
	}
	if (c->rtt_timing && ww_seq_gt(ack, c->rtt_seq))
		c->rtt_timing = false;
	c->snd_una = ack;
	if (ww_seq_lt(c->snd_nxt, ack))
		c->snd_nxt = ack;
	c->backoff = 0;
	tcp_sack_prune(c);
	if (c->in_recovery) {
		tcp_cc_recovery_ack(c, acked, now);
	} else {
		c->dupacks = 0;
		tcp_cc_ack(c, acked);
	}
	/* RFC 6298 (5.2), (5.3) */
	if (c->snd_una == c->snd_max)
		tcp_rto_stop(c);
	else
		tcp_rto_arm(c, now);
	tcp_notify(c, now);
}

static void window_update(struct ww_tcb *c, struct tcp_seg *s, uint32_t wnd)
{
	if (!(ww_seq_lt(c->snd_wl1, s->h.seq) ||
	      (c->snd_wl1 == s->h.seq && ww_seq_leq(c->snd_wl2, s->h.ack))))
		return;
	uint32_t old = c->snd_wnd;
	c->snd_wnd = wnd;
	c->snd_wl1 = s->h.seq;
	c->snd_wl2 = s->h.ack;
	if (wnd > c->max_snd_wnd)
		c->max_snd_wnd = wnd;
	if (wnd == 0 && old != 0) {
		s->notes |= WW_TCPN_ZERO_WINDOW;
		tcp_conn_event(c, WW_EV_INFO, s->now, NULL,
			       "the peer's window is zero: sending stops, the persist timer probes it");
	} else if (wnd != 0 && old == 0 && c->persist_at) {
		c->persist_at = 0;
		c->persist_backoff = 0;
		tcp_conn_event(c, WW_EV_INFO, s->now, NULL, "the peer's window opened: %u bytes", wnd);
	}
}

static bool our_fin_acked(const struct ww_tcb *c)
{
	return c->fin_sent && c->snd_una == tcp_snd_data_end(c) + 1;
}

/* The handshake's last step (SYN-RECEIVED), then RFC 9293's ACK
 * processing. False when the segment goes no further. */
static bool input_ack(struct ww_tcb *c, struct tcp_seg *s)
{
	uint32_t ack = s->h.ack;
	uint64_t now = s->now;
	uint32_t wnd = (uint32_t)s->h.window << c->snd_wscale;
	if (c->state == WW_TCPS_SYN_RECEIVED) {
		if (!(ww_seq_gt(ack, c->snd_una) && ww_seq_leq(ack, c->snd_max))) {
			tcp_send_rst(c, ack, false, now);
			s->notes |= WW_TCPN_DROPPED;
			return false;
		}
		c->snd_wnd = wnd;
		c->max_snd_wnd = wnd;
		c->snd_wl1 = s->h.seq;
		c->snd_wl2 = ack;
		c->conn_deadline = 0;
		if (c->passive)
			c->host->ctr[T_ACCEPTS]++;
		tcp_set_state(c, WW_TCPS_ESTABLISHED, now);
		if (c->state == WW_TCPS_CLOSED) /* the user aborted, told of it */
			return false;
		if (c->fin_queued && c->state == WW_TCPS_ESTABLISHED)
			tcp_set_state(c, WW_TCPS_FIN_WAIT_1, now);
	}
	/* RFC 5961 §5.2: an ACK of what was never sent, or older than a
	 * window's worth, is answered and dropped. */
	uint32_t oldest = c->snd_una - (c->max_snd_wnd > 65535 ? c->max_snd_wnd : 65535);
	if (ww_seq_gt(ack, c->snd_max) || ww_seq_lt(ack, oldest)) {
		s->notes |= WW_TCPN_DROPPED;
		tcp_send_ack(c, 0, now);
		return false;
	}
	if (c->sack_ok && s->h.nsack)
		tcp_sack_take(c, &s->h);
	if (ww_seq_gt(ack, c->snd_una))
		new_ack(c, s, ack);
	else if (ack == c->snd_una)
		maybe_dupack(c, s, wnd);
	if (c->state == WW_TCPS_CLOSED)
		return false;
	window_update(c, s, wnd);
	if (c->snd_una != c->snd_max && !c->rto_at && !c->persist_at)
		tcp_rto_arm(c, now);
	bool fin_acked = our_fin_acked(c);
	switch (c->state) {
	case WW_TCPS_FIN_WAIT_1:
		if (fin_acked)
			tcp_set_state(c, WW_TCPS_FIN_WAIT_2, now);
		break;
	case WW_TCPS_CLOSING:
		if (fin_acked)
			tcp_time_wait_start(c, now);
		break;
	case WW_TCPS_LAST_ACK:
		if (fin_acked) {
			tcp_set_closed(c, WW_TCPE_NONE, now);
			return false;
		}
		break;
	default:
		break;
	}
	return true;
}

/* Nothing acceptable in it: an ACK says where we are (unless it was a
 * RST), and a zero window's probe still has its ACK looked at. */
static void unacceptable(struct ww_tcb *c, struct tcp_seg *s)
{
	uint64_t now = s->now;
	bool zero = tcp_rcv_wnd(c) == 0;
	if (s->flags & WW_TCP_RST)
		return;
	/* A probe: a byte at RCV.NXT (RFC 9293 §3.8.6.1), or, as Linux
	 * sends it, nothing at RCV.NXT - 1. */
	bool probe = (s->seq == c->rcv_nxt && s->len > 0) ||
		     (s->seq + 1 == c->rcv_nxt && seg_len(s) == 0);
	if (zero && (s->flags & WW_TCP_ACK) && probe) {
		s->notes |= WW_TCPN_PROBE;
		c->st.probes++;
		s->len = 0;
		s->flags &= (uint16_t)~(WW_TCP_FIN | WW_TCP_SYN);
		if (!input_ack(c, s))
			return;
	} else if (ww_seq_leq(s->seq + seg_len(s), c->rcv_nxt)) {
		s->notes |= WW_TCPN_DUPLICATE;
		c->st.duplicates++;
		c->host->ctr[T_DUPLICATES]++;
		if (c->state == WW_TCPS_TIME_WAIT && (s->flags & WW_TCP_FIN))
			tcp_time_wait_start(c, now); /* our last ACK was lost */
	} else {
		s->notes |= WW_TCPN_DROPPED;
		c->host->ctr[T_OUT_OF_WINDOW]++;
	}
	tcp_send_ack(c, 0, now);
	tcp_output(c, now);
}

/* RFC 7323 §5.3: PAWS. A timestamp older than the last one in order is
 * a segment from long ago: dropped, answered with an ACK. */
static bool paws_reject(struct ww_tcb *c, struct tcp_seg *s)
{
	if (!c->ts_ok || !s->h.has_ts || (s->flags & WW_TCP_RST) ||
	    !ww_seq_lt(s->h.tsval, c->ts_recent))
		return false;
	c->host->ctr[T_PAWS]++;
	s->notes |= WW_TCPN_DROPPED;
	tcp_conn_event(c, WW_EV_FRAME_DROPPED, s->now, tcp_ctr_name(T_PAWS),
		       "timestamp %u is older than %u (PAWS): dropped", s->h.tsval, c->ts_recent);
	tcp_send_ack(c, 0, s->now);
	return true;
}

static void input_synchronized(struct ww_tcb *c, struct tcp_seg *s)
{
	uint64_t now = s->now;
	if (paws_reject(c, s))
		return;
	/* Simultaneous open (RFC 9293 figure 7): the peer's SYN-ACK repeats
	 * the SYN we have, and acknowledges ours. Its ACK is what counts. */
	if (c->state == WW_TCPS_SYN_RECEIVED && !c->passive &&
	    (s->flags & (WW_TCP_SYN | WW_TCP_ACK | WW_TCP_RST)) == (WW_TCP_SYN | WW_TCP_ACK) &&
	    s->seq + 1 == c->rcv_nxt && s->h.ack == c->snd_max) {
		s->flags &= (uint16_t)~WW_TCP_SYN;
		s->seq = c->rcv_nxt;
	}
	if (!acceptable(c, s)) {
		/* Our SYN-ACK was lost: the peer's SYN comes again. */
		if (c->state == WW_TCPS_SYN_RECEIVED && (s->flags & WW_TCP_SYN) &&
		    !(s->flags & WW_TCP_ACK) && s->seq == c->irs) {
			tcp_send_ctl(c, WW_TCP_SYN | WW_TCP_ACK, c->iss, WW_TCPN_RETRANSMIT, now);
			return;
		}
		unacceptable(c, s);
		return;
	}
	/* RFC 7323 §4.3: the timestamp to echo. */
	if (c->ts_ok && s->h.has_ts && ww_seq_geq(s->h.tsval, c->ts_recent) &&
	    ww_seq_leq(s->seq, c->last_ack_sent))
		c->ts_recent = s->h.tsval;
	if (s->flags & WW_TCP_RST) {
		input_rst(c, s);
		return;
	}
	trim(c, s);
	if (s->flags & WW_TCP_SYN) {
		challenge_ack(c, s, "SYN");
		return;
	}
	if (!(s->flags & WW_TCP_ACK) || !input_ack(c, s))
		return;
	switch (c->state) {
	case WW_TCPS_ESTABLISHED:
	case WW_TCPS_FIN_WAIT_1:
	case WW_TCPS_FIN_WAIT_2:
		tcp_rcv_data(c, s);
		break;
	default:
		/* CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: the peer's FIN
		 * came before; nothing more of its data counts. */
		if (s->flags & WW_TCP_FIN) {
			c->ack_now = true;
			if (c->state == WW_TCPS_TIME_WAIT)
				tcp_time_wait_start(c, now);
		}
		break;
	}
	if (c->state != WW_TCPS_CLOSED)
		tcp_output(c, now);
}

/* RFC 9293 §3.10.7.3 */
static void input_syn_sent(struct ww_tcb *c, struct tcp_seg *s)
{
	uint16_t f = s->flags;
	uint64_t now = s->now;
	bool acked = false;
	if (f & WW_TCP_ACK) {
		if (ww_seq_leq(s->h.ack, c->iss) || ww_seq_gt(s->h.ack, c->snd_max)) {
			s->notes |= WW_TCPN_DROPPED;
			if (!(f & WW_TCP_RST))
				tcp_send_rst(c, s->h.ack, false, now);
			return;
		}
		acked = true;
	}
	if (f & WW_TCP_RST) {
		if (acked) {
			c->host->ctr[T_RST_RECEIVED]++;
			tcp_set_closed(c, WW_TCPE_REFUSED, now);
		} else {
			s->notes |= WW_TCPN_DROPPED;
		}
		return;
	}
	if (!(f & WW_TCP_SYN)) {
		s->notes |= WW_TCPN_DROPPED;
		return;
	}
	c->irs = s->h.seq;
	c->rcv_nxt = c->irs + 1;
	c->rcv_adv = c->rcv_nxt + (c->rcvbuf < 65535 ? c->rcvbuf : 65535);
	tcp_take_syn_options(c, &s->h);
	c->snd_wnd = c->max_snd_wnd = s->h.window; /* never scaled in a SYN */
	c->snd_wl1 = s->h.seq;
	c->snd_wl2 = s->h.ack;
	if (!acked) {
		/* Simultaneous open (RFC 9293 §3.5, figure 7). */
		tcp_set_state(c, WW_TCPS_SYN_RECEIVED, now);
		tcp_send_ctl(c, WW_TCP_SYN | WW_TCP_ACK, c->iss, 0, now);
		return;
	}
	if (c->ts_ok && s->h.tsecr) {
		uint32_t ms = tcp_ts_now(c, now) - s->h.tsecr;
		if (ms < 60000)
			tcp_rtt_sample(c, (uint64_t)ms * MS_NS, now);
	} else if (c->rtt_timing) {
		tcp_rtt_sample(c, now - c->rtt_start, now);
	}
	c->rtt_timing = false;
	c->snd_una = s->h.ack;
	if (ww_seq_lt(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	c->backoff = 0;
	c->conn_deadline = 0;
	tcp_rto_stop(c);
	tcp_set_state(c, WW_TCPS_ESTABLISHED, now);
	if (c->state == WW_TCPS_CLOSED)
		return;
	/* Data or a FIN riding on the SYN-ACK (rare, but allowed). */
	s->seq = c->rcv_nxt;
	s->flags &= (uint16_t)~WW_TCP_SYN;
	if (s->len || (s->flags & WW_TCP_FIN)) {
		trim(c, s);
		tcp_rcv_data(c, s);
	}
	c->ack_now = true;
	tcp_output(c, now);
}

void tcp_input_conn(struct ww_tcb *c, struct tcp_seg *s)
{
	struct ww_tcp_trace *tr = tcp_trace_seg(c, false, &s->h, s->len, 0, s->now);
	c->st.segs_in++;
	if (c->state == WW_TCPS_SYN_SENT)
		input_syn_sent(c, s);
	else
		input_synchronized(c, s);
	if (tr)
		tr->notes |= s->notes;
}

/* RFC 9293 §3.10.7.2: a SYN to a listening port opens a connection in
 * SYN-RECEIVED; the listener stays for the next. */
void tcp_input_listen(struct ww_tcp_host *h, uint16_t port, struct tcp_seg *s)
{
	char a[16];
	if (tcp_backlog(h, port) >= TCP_BACKLOG) {
		h->ctr[T_BACKLOG_FULL]++;
		tcp_event(h, WW_EV_FRAME_DROPPED, s->now, tcp_ctr_name(T_BACKLOG_FULL),
			  "SYN from %s:%u to port %u: %u connections wait already", ww_ipv4_str(s->src, a),
			  s->h.sport, port, TCP_BACKLOG);
		return;
	}
	struct ww_tcb *c = tcp_tcb_new(h, s->src, port, s->h.sport, s->now);
	if (!c) {
		tcp_event(h, WW_EV_ERROR, s->now, NULL,
			  "SYN from %s:%u to port %u: no room for another connection",
			  ww_ipv4_str(s->src, a), s->h.sport, port);
		return;
	}
	c->passive = true;
	c->lip = s->dst;
	c->state = WW_TCPS_LISTEN;
	tcp_trace_seg(c, false, &s->h, s->len, 0, s->now);
	c->st.segs_in++;
	c->irs = s->h.seq;
	c->rcv_nxt = c->irs + 1;
	c->rcv_adv = c->rcv_nxt + (c->rcvbuf < 65535 ? c->rcvbuf : 65535);
	tcp_take_syn_options(c, &s->h);
	c->snd_wnd = c->max_snd_wnd = s->h.window;
	c->snd_wl1 = s->h.seq;
	c->conn_deadline = s->now + (uint64_t)h->set.connect_timeout_ms * MS_NS;
	tcp_set_state(c, WW_TCPS_SYN_RECEIVED, s->now);
	tcp_send_ctl(c, WW_TCP_SYN | WW_TCP_ACK, c->iss, 0, s->now);
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->rtt_timing = true;
	c->rtt_seq = c->iss;
	c->rtt_start = s->now;
	tcp_rto_arm(c, s->now);
}

/* ---- ICMP errors about our segments --------------------------------------- */

static const char *icmp_what(const struct ww_icmp_error *e, char *buf, size_t len)
{
	const char *s = ww_icmp_code_str(e->type, e->code);
	if (!s)
		s = ww_tok_str(ww_icmp_type_names, e->type);
	if (!s) {
		snprintf(buf, len, "type %u code %u", e->type, e->code);
		s = buf;
	}
	return s;
}

/* RFC 1191: a router could not forward a segment this big with DF set.
 * The segments shrink to what the next hop takes, and the one that was
 * too big goes again. */
static void frag_needed(struct ww_tcb *c, const struct ww_icmp_error *e, const char *from,
			uint64_t now)
{
	unsigned mtu = e->rest & 0xffff;
	unsigned opts = c->ts_ok ? 12 : 0;
	if (mtu < 68 || mtu - WW_IPV4_HLEN - WW_TCP_HLEN - opts >= c->smss) {
		tcp_conn_event(c, WW_EV_INFO, now, NULL,
			       "ICMP fragmentation needed from %s (next-hop MTU %u): nothing to change",
			       from, mtu);
		return;
	}
	c->smss = (uint16_t)(mtu - WW_IPV4_HLEN - WW_TCP_HLEN - opts);
	tcp_conn_event(c, WW_EV_INFO, now, NULL,
		       "ICMP fragmentation needed from %s: next-hop MTU %u, segments of %u bytes "
		       "from now on", from, mtu, c->smss);
	if (c->snd_una != c->snd_max)
		tcp_retransmit(c, c->snd_una, c->smss, 0, now);
}

void ww_tcp_icmp_error(void *host, const struct ww_icmp_error *e, uint64_t now)
{
	struct ww_tcp_host *h = host;
	if (!e->quoted || e->len < 8)
		return;
	char from[16], buf[32];
	ww_ipv4_str(e->from, from);
	const char *what = icmp_what(e, buf, sizeof buf);
	uint16_t sport = ww_get16(e->data), dport = ww_get16(e->data + 2);
	uint32_t seq = ww_get32(e->data + 4);
	struct ww_tcb *c = tcp_lookup(h, e->quoted->src, sport, e->quoted->dst, dport);
	if (!c) {
		char d[16];
		tcp_event(h, WW_EV_INFO, now, NULL,
			  "ICMP %s from %s about TCP %u > %s:%u: no such connection here", what, from,
			  sport, ww_ipv4_str(e->quoted->dst, d), dport);
		return;
	}
	/* RFC 5927 §4.1: only an error about a segment in flight is believed. */
	if (!(ww_seq_leq(c->snd_una, seq) && ww_seq_lt(seq, c->snd_max))) {
		tcp_conn_event(c, WW_EV_INFO, now, NULL,
			       "ICMP %s from %s quotes seq %u, which is not in flight: ignored (RFC 5927)",
			       what, from, seq - c->iss);
		return;
	}
	if (e->type == WW_ICMP_DEST_UNREACH && e->code == WW_ICMP_FRAG_NEEDED) {
		frag_needed(c, e, from, now);
		return;
	}
	bool hard = e->type == WW_ICMP_DEST_UNREACH &&
		    (e->code == WW_ICMP_PROTO_UNREACH || e->code == WW_ICMP_PORT_UNREACH);
	if (hard && (c->state == WW_TCPS_SYN_SENT || c->state == WW_TCPS_SYN_RECEIVED)) {
		tcp_conn_event(c, WW_EV_ERROR, now, NULL, "ICMP %s from %s: no connection can be made",
			       what, from);
		tcp_set_closed(c, WW_TCPE_UNREACHABLE, now);
		return;
	}
	tcp_conn_event(c, WW_EV_INFO, now, NULL,
		       "ICMP %s from %s: a soft error, the retransmissions go on", what, from);
}
