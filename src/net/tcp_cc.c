/* Congestion control (RFC 5681): slow start and congestion avoidance,
 * fast retransmit and fast recovery with NewReno's partial ACKs
 * (RFC 6582); with SACK (RFC 2018) the holes the peer's blocks show are
 * resent, one per ACK, instead of waiting for each partial ACK. The
 * sender's scoreboard of SACKed ranges lives here too. */
#include "tcp_int.h"

#define CWND_MAX (64u << 20)

void tcp_cc_ack(struct ww_tcb *c, uint32_t acked)
{
	uint32_t smss = c->smss;
	if (c->cwnd < c->ssthresh) {
		/* RFC 5681 (2), with RFC 3465's limit L = 1 SMSS */
		c->cwnd += acked < smss ? acked : smss;
	} else {
		/* RFC 5681 (3), counted in bytes acknowledged: one SMSS per
		 * window's worth. */
		c->ca_acked += acked;
		if (c->ca_acked >= c->cwnd) {
			c->ca_acked -= c->cwnd;
			c->cwnd += smss;
		}
	}
	if (c->cwnd > CWND_MAX)
		c->cwnd = CWND_MAX;
}

/* With SACK: the next hole at or after what was resent last. */
static bool resend_hole(struct ww_tcb *c, uint64_t now)
{
	uint32_t from = ww_seq_gt(c->rexmit_next, c->snd_una) ? c->rexmit_next : c->snd_una;
	uint32_t seq, len;
	if (!c->sack_ok || !tcp_sack_hole(c, from, &seq, &len))
		return false;
	uint32_t n = tcp_retransmit(c, seq, len, 0, now);
	c->rexmit_next = seq + n;
	return n > 0;
}

/* RFC 3042, Limited Transmit: on the first two duplicate ACKs a new
 * segment may go (cwnd + 2 SMSS at most), so a window too small to draw
 * three duplicates still gets its loss repaired without a timeout. */
void tcp_limited_transmit(struct ww_tcb *c, uint64_t now)
{
	if (c->in_recovery || c->dupacks > 2 || c->snd_nxt != c->snd_max)
		return;
	uint32_t cwnd = c->cwnd;
	c->cwnd += c->dupacks * c->smss;
	tcp_output(c, now);
	c->cwnd = cwnd;
}

void tcp_cc_dupack(struct ww_tcb *c, uint64_t now)
{
	if (c->in_recovery) {
		/* RFC 5681 (4): each duplicate ACK means a segment left the
		 * network: the window inflates by one. */
		c->cwnd += c->smss;
		resend_hole(c, now);
		return;
	}
	/* RFC 6582 §3.2 (1): not for losses of a window recovered already. */
	if (c->dupacks != 3 || ww_seq_lt(c->snd_una, c->recover))
		return;
	uint32_t flight = tcp_flight(c), half = flight / 2, two = 2u * c->smss;
	c->ssthresh = half > two ? half : two;
	c->recover = c->snd_max;
	c->in_recovery = true;
	c->st.fast_retransmits++;
	c->host->ctr[T_FAST_RETRANSMITS]++;
	uint32_t n = tcp_retransmit(c, c->snd_una, c->smss, WW_TCPN_FAST_RETRANSMIT, now);
	c->rexmit_next = c->snd_una + n;
	c->cwnd = c->ssthresh + 3u * c->smss;
	tcp_conn_event(c, WW_EV_INFO, now, tcp_ctr_name(T_FAST_RETRANSMITS),
		       "3 duplicate ACKs for seq %u: fast retransmit of %u bytes; ssthresh %u, cwnd %u",
		       c->snd_una - c->iss, n, c->ssthresh, c->cwnd);
}

void tcp_cc_recovery_ack(struct ww_tcb *c, uint32_t acked, uint64_t now)
{
	if (ww_seq_geq(c->snd_una, c->recover)) {
		/* RFC 6582 §3.2 (3), full acknowledgment: deflate. */
		uint32_t flight = tcp_flight(c);
		uint32_t w = (flight > c->smss ? flight : c->smss) + c->smss;
		c->cwnd = w < c->ssthresh ? w : c->ssthresh;
		c->in_recovery = false;
		c->dupacks = 0;
		c->ca_acked = 0;
		return;
	}
	/* Partial acknowledgment: the first unacknowledged segment was
	 * lost too. Resend it (or the next hole), deflate by what was
	 * acknowledged, add back one segment. */
	if (!resend_hole(c, now) && !ww_seq_gt(c->rexmit_next, c->snd_una)) {
		uint32_t n = tcp_retransmit(c, c->snd_una, c->smss, 0, now);
		c->rexmit_next = c->snd_una + n;
	}
	c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
	if (acked >= c->smss)
		c->cwnd += c->smss;
	if (c->cwnd < c->smss)
		c->cwnd = c->smss;
}

/* ---- the scoreboard: what the peer SACKed above SND.UNA --------------------- */

/* Sorted by left edge, merged where they touch; eight kept at most (the
 * highest go first when there are more). */
static void sack_insert(struct ww_tcb *c, uint32_t l, uint32_t r)
{
	struct ww_tcp_sack out[9];
	unsigned n = 0;
	bool placed = false;
	for (unsigned i = 0; i < c->nsacked; i++) {
		struct ww_tcp_sack b = c->sacked[i];
		if (ww_seq_lt(b.right, l)) {
			out[n++] = b;
		} else if (ww_seq_gt(b.left, r)) {
			if (!placed) {
				out[n++] = (struct ww_tcp_sack){ l, r };
				placed = true;
			}
			out[n++] = b;
		} else {
			if (ww_seq_lt(b.left, l))
				l = b.left;
			if (ww_seq_gt(b.right, r))
				r = b.right;
		}
	}
	if (!placed)
		out[n++] = (struct ww_tcp_sack){ l, r };
	if (n > 8)
		n = 8;
	for (unsigned i = 0; i < n; i++)
		c->sacked[i] = out[i];
	c->nsacked = n;
}

void tcp_sack_take(struct ww_tcb *c, const struct ww_tcp *h)
{
	for (unsigned i = 0; i < h->nsack && i < WW_TCP_MAX_SACK; i++) {
		uint32_t l = h->sack[i].left, r = h->sack[i].right;
		/* A block at or below SND.UNA reports a duplicate (RFC 2883);
		 * one beyond what was sent is nonsense. */
		if (!ww_seq_lt(l, r) || ww_seq_leq(r, c->snd_una) || ww_seq_gt(r, c->snd_max))
			continue;
		if (ww_seq_lt(l, c->snd_una))
			l = c->snd_una;
		sack_insert(c, l, r);
	}
}

void tcp_sack_prune(struct ww_tcb *c)
{
	unsigned n = 0;
	for (unsigned i = 0; i < c->nsacked; i++) {
		struct ww_tcp_sack b = c->sacked[i];
		if (ww_seq_leq(b.right, c->snd_una))
			continue;
		if (ww_seq_lt(b.left, c->snd_una))
			b.left = c->snd_una;
		c->sacked[n++] = b;
	}
	c->nsacked = n;
}

uint32_t tcp_sack_skip(const struct ww_tcb *c, uint32_t seq)
{
	for (unsigned i = 0; i < c->nsacked; i++)
		if (ww_seq_leq(c->sacked[i].left, seq) && ww_seq_lt(seq, c->sacked[i].right))
			seq = c->sacked[i].right;
	return seq;
}

bool tcp_sack_hole(const struct ww_tcb *c, uint32_t from, uint32_t *seq, uint32_t *len)
{
	if (!c->nsacked)
		return false;
	uint32_t s = tcp_sack_skip(c, from);
	uint32_t high = c->sacked[c->nsacked - 1].right;
	if (!ww_seq_lt(s, high))
		return false;
	for (unsigned i = 0; i < c->nsacked; i++)
		if (ww_seq_gt(c->sacked[i].left, s)) {
			*seq = s;
			*len = c->sacked[i].left - s;
			return true;
		}
	return false;
}
