/* The TCP's timers, as deadlines in each connection (the loop asks for
 * the next one): retransmission after RFC 6298, the persist timer that
 * probes a zero window (RFC 9293 §3.8.6.1), the delayed ACK, TIME-WAIT,
 * and the connect timeout. */
#include "tcp_int.h"

/* RFC 6298 §2: the clock granularity G. */
#define RTT_G_NS MS_NS

uint32_t tcp_ts_now(const struct ww_tcb *c, uint64_t now)
{
	return (uint32_t)(now / MS_NS) + c->ts_offset;
}

static uint64_t clamp_rto(const struct ww_tcb *c, uint64_t rto)
{
	uint64_t lo = (uint64_t)c->host->set.rto_min_ms * MS_NS;
	uint64_t hi = (uint64_t)c->host->set.rto_max_ms * MS_NS;
	if (rto < lo)
		rto = lo;
	if (hi && rto > hi)
		rto = hi;
	return rto;
}

/* RFC 6298 §2 (2.2), (2.3): alpha 1/8, beta 1/4, K 4. */
void tcp_rtt_sample(struct ww_tcb *c, uint64_t r, uint64_t now)
{
	(void)now;
	if (!c->rtt_measured) {
		c->srtt = r;
		c->rttvar = r / 2;
		c->rtt_measured = true;
	} else {
		uint64_t d = c->srtt > r ? c->srtt - r : r - c->srtt;
		c->rttvar = (3 * c->rttvar + d) / 4;
		c->srtt = (7 * c->srtt + r) / 8;
	}
	uint64_t k = 4 * c->rttvar;
	c->rto = clamp_rto(c, c->srtt + (k > RTT_G_NS ? k : RTT_G_NS));
}

void tcp_rto_arm(struct ww_tcb *c, uint64_t now)
{
	c->rto_at = now + c->rto;
}

void tcp_rto_stop(struct ww_tcb *c)
{
	c->rto_at = 0;
}

void tcp_time_wait_start(struct ww_tcb *c, uint64_t now)
{
	tcp_set_state(c, WW_TCPS_TIME_WAIT, now);
	c->rto_at = c->persist_at = c->conn_deadline = 0;
	c->tw_at = now + (uint64_t)c->host->set.time_wait_ms * MS_NS + 1;
}

void tcp_persist_arm(struct ww_tcb *c, uint64_t now)
{
	uint64_t t = c->rto;
	for (unsigned i = 0; i < c->persist_backoff && i < 16; i++)
		t *= 2;
	c->persist_at = now + clamp_rto(c, t);
}

static unsigned ms_of(uint64_t ns)
{
	return (unsigned)(ns / MS_NS);
}

/* The SYN (or SYN-ACK) had no answer. */
static void syn_timeout(struct ww_tcb *c, uint64_t now)
{
	const struct ww_tcp_settings *s = &c->host->set;
	if (++c->backoff > s->max_retries) {
		tcp_set_closed(c, WW_TCPE_TIMEOUT, now);
		return;
	}
	uint64_t rto = c->rto * 2;
	c->rto = s->rto_max_ms && rto > (uint64_t)s->rto_max_ms * MS_NS
			 ? (uint64_t)s->rto_max_ms * MS_NS
			 : rto;
	c->rtt_timing = false;
	c->st.timeouts++;
	c->st.retransmits++;
	c->host->ctr[T_TIMEOUTS]++;
	c->host->ctr[T_RETRANSMITS]++;
	bool syn_sent = c->state == WW_TCPS_SYN_SENT;
	tcp_conn_event(c, WW_EV_INFO, now, tcp_ctr_name(T_TIMEOUTS),
		       "no answer to our %s: sent again; next timeout in %u ms",
		       syn_sent ? "SYN" : "SYN-ACK", ms_of(c->rto));
	tcp_send_ctl(c, syn_sent ? WW_TCP_SYN : WW_TCP_SYN | WW_TCP_ACK, c->iss,
		     WW_TCPN_RETRANSMIT, now);
	tcp_rto_arm(c, now);
}

/* RFC 6298 §5 and RFC 5681 §3.1 (4): nothing acknowledged within the
 * RTO. The threshold halves (once per loss), the window drops to one
 * segment, the timer backs off, and sending starts again at SND.UNA. */
static void rto_expired(struct ww_tcb *c, uint64_t now)
{
	const struct ww_tcp_settings *s = &c->host->set;
	if (c->state == WW_TCPS_SYN_SENT || c->state == WW_TCPS_SYN_RECEIVED) {
		syn_timeout(c, now);
		return;
	}
	if (c->snd_una == c->snd_max)
		return;
	if (++c->backoff > s->max_retries) {
		tcp_conn_event(c, WW_EV_ERROR, now, tcp_ctr_name(T_TIMEOUTS),
			       "%u retransmissions of seq %u had no answer: giving up",
			       s->max_retries, c->snd_una - c->iss);
		tcp_set_closed(c, WW_TCPE_TIMEOUT, now);
		return;
	}
	uint32_t flight = tcp_flight(c);
	if (c->backoff == 1) {
		uint32_t half = flight / 2, two = 2u * c->smss;
		c->ssthresh = half > two ? half : two;
	}
	c->cwnd = c->smss;
	c->ca_acked = 0;
	c->in_recovery = false;
	c->dupacks = 0;
	c->recover = c->snd_max;
	/* RFC 2018 §8: after a timeout the receiver may have dropped what it
	 * SACKed; everything is sent again. */
	c->nsacked = 0;
	c->rtt_timing = false;
	uint64_t waited = c->rto;
	uint64_t rto = c->rto * 2;
	c->rto = s->rto_max_ms && rto > (uint64_t)s->rto_max_ms * MS_NS
			 ? (uint64_t)s->rto_max_ms * MS_NS
			 : rto;
	c->snd_nxt = c->snd_una;
	c->st.timeouts++;
	c->host->ctr[T_TIMEOUTS]++;
	tcp_conn_event(c, WW_EV_INFO, now, tcp_ctr_name(T_TIMEOUTS),
		       "retransmission timeout: nothing acknowledged for %u ms; resending from "
		       "seq %u, cwnd %u, ssthresh %u; next timeout in %u ms",
		       ms_of(waited), c->snd_una - c->iss, c->cwnd, c->ssthresh, ms_of(c->rto));
	tcp_output(c, now);
	if (!c->rto_at && !c->persist_at && c->snd_una != c->snd_max)
		tcp_rto_arm(c, now);
}

/* A zero window: one byte beyond it, again and again, until an ACK
 * opens it. A window open but too small to fill: send what fits. */
static void persist_expired(struct ww_tcb *c, uint64_t now)
{
	c->persist_at = 0;
	if (c->snd_wnd != 0) {
		uint32_t inflight = c->snd_nxt - c->snd_una;
		if (c->snd_wnd > inflight)
			tcp_send_forced(c, c->snd_wnd - inflight, 0, now);
		if (!c->rto_at && c->snd_una != c->snd_max)
			tcp_rto_arm(c, now);
		return;
	}
	uint32_t sent;
	if (c->snd_max == c->snd_una)
		sent = tcp_send_forced(c, 1, WW_TCPN_PROBE, now);
	else
		sent = tcp_retransmit(c, c->snd_una, 1, WW_TCPN_PROBE, now);
	tcp_rto_stop(c); /* the probes keep coming while the peer answers */
	if (!sent)
		return;
	c->st.probes++;
	c->host->ctr[T_PROBES]++;
	c->persist_backoff++;
	tcp_persist_arm(c, now);
}

void tcp_timers_poll(struct ww_tcb *c, uint64_t now)
{
	if (c->conn_deadline && now >= c->conn_deadline &&
	    (c->state == WW_TCPS_SYN_SENT || c->state == WW_TCPS_SYN_RECEIVED)) {
		tcp_set_closed(c, WW_TCPE_TIMEOUT, now);
		return;
	}
	if (c->tw_at && now >= c->tw_at) {
		c->tw_at = 0;
		tcp_set_closed(c, WW_TCPE_NONE, now);
		return;
	}
	if (c->rto_at && now >= c->rto_at) {
		c->rto_at = 0;
		rto_expired(c, now);
	}
	if (c->state == WW_TCPS_CLOSED)
		return;
	if (c->persist_at && now >= c->persist_at)
		persist_expired(c, now);
	if (c->delack_at && now >= c->delack_at) {
		c->delack_at = 0;
		c->ack_now = true;
		tcp_output(c, now);
	}
}

static uint64_t earlier(uint64_t t, uint64_t d)
{
	return d && d < t ? d : t;
}

uint64_t tcp_timers_next(const struct ww_tcb *c)
{
	uint64_t t = UINT64_MAX;
	t = earlier(t, c->conn_deadline);
	t = earlier(t, c->tw_at);
	t = earlier(t, c->rto_at);
	t = earlier(t, c->persist_at);
	t = earlier(t, c->delack_at);
	return t;
}
