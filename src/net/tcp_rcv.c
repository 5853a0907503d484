/* The receive side: data in order goes to the reader (or straight to a
 * sink: a file being downloaded), data beyond a gap waits in the
 * out-of-order queue, the FIN counts once everything before it came.
 * The window offered is the free room of the receive buffer, moved only
 * by a worthwhile amount (RFC 9293 §3.8.6.2.2) and never retracted
 * (§3.8.6.2.1). ACKs: at once for every second full-sized segment, for
 * a segment out of order or one that fills a gap (RFC 5681 §4.2), for a
 * FIN; else after the delayed-ACK time (RFC 9293 §3.8.6.3). */
#include <stdlib.h>

#include "tcp_int.h"

uint32_t tcp_rcv_space(const struct ww_tcb *c)
{
	return c->rcvbuf > c->rcv.len ? c->rcvbuf - (uint32_t)c->rcv.len : 0;
}

uint32_t tcp_rcv_wnd(const struct ww_tcb *c)
{
	return ww_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
}

/* min(half the buffer, one MSS): a smaller opening is not offered. */
static uint32_t sws_threshold(const struct ww_tcb *c)
{
	uint32_t half = c->rcvbuf / 2;
	return half < c->rmss ? half : c->rmss;
}

uint16_t tcp_rcv_window_field(struct ww_tcb *c)
{
	uint32_t cur = tcp_rcv_wnd(c), space = tcp_rcv_space(c);
	uint32_t wnd = cur;
	if (space > cur && space - cur >= sws_threshold(c))
		wnd = space;
	uint32_t max = 65535u << c->rcv_wscale;
	if (wnd > max)
		wnd = max;
	uint32_t field = wnd >> c->rcv_wscale;
	/* Scaling rounds down; the right edge must not move left for it. */
	if ((field << c->rcv_wscale) < cur && field < 65535)
		field++;
	uint32_t edge = c->rcv_nxt + (field << c->rcv_wscale);
	if (ww_seq_gt(edge, c->rcv_adv))
		c->rcv_adv = edge;
	return (uint16_t)field;
}

/* To the sink if there is one (what it refuses stays buffered), else to
 * the buffer. Returns the bytes taken. */
static size_t deliver(struct ww_tcb *c, const uint8_t *p, size_t n)
{
	size_t took = 0;
	if (c->sink) {
		took = c->sink(c->sink_arg, p, n);
		if (took >= n)
			return n;
		c->sink = NULL;
	}
	return took + tcp_ring_write(&c->rcv, p + took, n - took);
}

void tcp_rcv_deliver(struct ww_tcb *c, const uint8_t *p, size_t n)
{
	deliver(c, p, n);
}

/* Bytes at RCV.NXT: as many as there is room for. */
static uint32_t take_in_order(struct ww_tcb *c, const uint8_t *p, uint32_t n)
{
	size_t room = c->sink ? n : tcp_ring_room(&c->rcv);
	if (n > room)
		n = (uint32_t)room;
	uint32_t took = (uint32_t)deliver(c, p, n);
	c->rcv_nxt += took;
	c->unacked_bytes += took;
	c->st.bytes_in += took;
	return took;
}

/* What the queue holds from RCV.NXT on follows now. */
static void pull_queue(struct ww_tcb *c)
{
	struct ww_tcp_ooo *n;
	while ((n = c->ooo) && ww_seq_leq(n->seq, c->rcv_nxt)) {
		uint32_t end = n->seq + n->len;
		if (ww_seq_gt(end, c->rcv_nxt)) {
			uint32_t off = c->rcv_nxt - n->seq;
			/* No room (cannot happen inside the window offered):
			 * the rest is dropped unacknowledged, and comes again. */
			take_in_order(c, n->data + off, n->len - off);
		}
		c->ooo = n->next;
		c->ooo_bytes -= n->len;
		c->ooo_segs--;
		free(n);
	}
	if (!c->ooo)
		c->nrsack = 0;
}

/* RFC 9293 §3.10.7.4, eighth step. */
static void take_fin(struct ww_tcb *c, uint64_t now)
{
	c->rcv_nxt++;
	c->fin_received = true;
	c->fin_pending = false;
	c->ack_now = true;
	switch (c->state) {
	case WW_TCPS_ESTABLISHED:
		tcp_set_state(c, WW_TCPS_CLOSE_WAIT, now);
		break;
	case WW_TCPS_FIN_WAIT_1:
		/* Our FIN is not acknowledged yet (the ACK was looked at
		 * first): both sides close at once. */
		tcp_set_state(c, WW_TCPS_CLOSING, now);
		break;
	case WW_TCPS_FIN_WAIT_2:
		tcp_time_wait_start(c, now);
		break;
	default:
		break;
	}
	tcp_notify(c, now);
}

void tcp_rcv_data(struct ww_tcb *c, struct tcp_seg *s)
{
	uint64_t now = s->now;
	bool fin = (s->flags & WW_TCP_FIN) != 0;
	if (s->len == 0 && !fin)
		return;
	if (s->seq != c->rcv_nxt) {
		/* Beyond a gap: held, and an ACK at once tells the sender
		 * what is missing (three of them start a fast retransmit). */
		tcp_ooo_add(c, s->seq, s->data, s->len);
		if (fin) {
			c->fin_pending = true;
			c->fin_pending_seq = s->seq + s->len;
		}
		s->notes |= WW_TCPN_OUT_OF_ORDER;
		c->st.out_of_order++;
		c->host->ctr[T_OUT_OF_ORDER]++;
		if (c->sack_ok)
			tcp_sack_update(c, s->seq);
		c->ack_now = true;
		return;
	}
	bool gap_filled = c->ooo != NULL;
	uint32_t took = take_in_order(c, s->data, s->len);
	if (took < s->len)
		fin = false; /* the FIN comes again with the rest */
	if (s->len > c->rcv_mss_seen)
		c->rcv_mss_seen = s->len;
	if (gap_filled) {
		pull_queue(c);
		c->ack_now = true;
		s->notes |= WW_TCPN_KEEP;
		if (c->sack_ok && c->ooo)
			tcp_sack_update(c, s->seq);
	}
	if (c->fin_pending && c->rcv_nxt == c->fin_pending_seq)
		fin = true;
	if (took) {
		tcp_notify(c, now);
		if (c->state == WW_TCPS_CLOSED) /* the user aborted */
			return;
	}
	if (fin) {
		take_fin(c, now);
		return;
	}
	/* Every second full-sized segment; and at once when what is left
	 * of the window offered is too small for the sender to go on. */
	if (c->unacked_bytes >= 2u * c->rcv_mss_seen || tcp_rcv_wnd(c) < sws_threshold(c))
		c->ack_now = true;
	else if (!c->delack_at && c->unacked_bytes)
		c->delack_at = now + (uint64_t)c->host->set.delack_ms * MS_NS;
}

/* The reader took data. Besides the silly-window rule, the update goes
 * out only when the window at least doubles (as Linux does it): a reader
 * that keeps up sends no ACKs of its own. */
void tcp_rcv_window_opened(struct ww_tcb *c, uint64_t now)
{
	switch (c->state) {
	case WW_TCPS_ESTABLISHED:
	case WW_TCPS_FIN_WAIT_1:
	case WW_TCPS_FIN_WAIT_2:
		break;
	default:
		return; /* no more data will come */
	}
	uint32_t cur = tcp_rcv_wnd(c), space = tcp_rcv_space(c);
	if (space > cur && space - cur >= sws_threshold(c) && space >= 2u * cur)
		tcp_send_ack(c, WW_TCPN_WIN_UPDATE, now);
}
