/* Data on a TCP connection. Receiving: in order, the ACK for every second
 * full-sized segment and the delayed ACK, the out-of-order queue and its
 * SACK blocks, duplicates and overlaps trimmed, the receive window from
 * the buffer (zero window, the peer's probes, the window update, silly
 * window avoidance), a sink that streams. Sending: segmentation to the
 * MSS, PSH, Nagle (Minshall's variant) on and off, slow start and
 * congestion avoidance, the peer's window, window scaling, timestamps
 * and PAWS. And the sequence numbers wrapping past 2^32 both ways. */
#include "tcp_harness.h"

static uint8_t big[70000];

static void rx_data(struct th *h, struct ww_tcb *c, int32_t seq_off, size_t off, size_t len)
{
	uint8_t buf[TH_MAX_DATA];
	th_pattern(buf, off, len);
	th_rx(h, c, WW_TCP_ACK, seq_off, 0, buf, len);
}

static void check_read(struct th *h, struct ww_tcb *c, size_t off, size_t len)
{
	static uint8_t got[70000], want[70000];
	assert_int_equal(ww_tcp_recv(c, got, sizeof got, h->now), len);
	th_pattern(want, off, len);
	assert_memory_equal(got, want, len);
}

/* ---- receiving ------------------------------------------------------------ */

static void test_receive_in_order_ack_every_second(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	size_t n = h->nout;
	/* A 4000-byte reply: 1460 + 1460 + 1080. */
	rx_data(h, c, 0, 0, 1460);
	assert_int_equal(h->nout, n); /* the first waits */
	assert_int_not_equal(c->delack_at, 0);
	rx_data(h, c, 0, 1460, 1460);
	assert_int_equal(h->nout, n + 1); /* the second full one is acknowledged at once */
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1 + 2920);
	assert_int_equal(th_last(h)->h.window, 65535 - 2920);
	rx_data(h, c, 0, 2920, 1080);
	assert_int_equal(h->nout, n + 1);
	/* The delayed ACK: 40 ms later. */
	th_advance(h, 39 * MS);
	assert_int_equal(h->nout, n + 1);
	th_advance(h, 1 * MS);
	assert_int_equal(h->nout, n + 2);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1 + 4000);
	assert_int_equal(c->st.bytes_in, 4000);
	check_read(h, c, 0, 4000);
	/* 4000 read of 65535: the window grows but does not double, so no
	 * update of its own goes out (a reader that keeps up sends none). */
	assert_int_equal(h->nout, n + 2);
	th_free(h);
}

static void test_out_of_order_and_gap_filled(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	size_t n = h->nout;
	rx_data(h, c, 1460, 1460, 1460);
	/* Beyond a gap: held, and a duplicate ACK at once. */
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1);
	assert_int_equal(c->ooo_bytes, 1460);
	assert_int_equal(c->st.out_of_order, 1);
	assert_int_equal(ww_tcp_readable(c), 0);
	rx_data(h, c, 2920 - 1460 + 1460, 2920, 500); /* seq off is from RCV.NXT, unchanged */
	assert_int_equal(h->nout, n + 2);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1);
	/* The gap filled: everything acknowledged at once. */
	rx_data(h, c, 0, 0, 1460);
	assert_int_equal(h->nout, n + 3);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1 + 3420);
	assert_int_equal(c->ooo_bytes, 0);
	assert_null(c->ooo);
	check_read(h, c, 0, 3420);
	th_free(h);
}

static void test_overlaps_and_duplicates_trimmed(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	rx_data(h, c, 0, 0, 1000);
	/* 500 old bytes and 500 new: only the new ones are taken. */
	rx_data(h, c, -500, 500, 1000);
	assert_int_equal(c->rcv_nxt, PEER_ISS + 1 + 1500);
	assert_int_equal(c->st.duplicates, 1);
	/* Wholly old: dropped, acknowledged at once (the sender learns). */
	size_t n = h->nout;
	rx_data(h, c, -1500, 0, 1000);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1 + 1500);
	/* Out-of-order pieces overlapping each other and the gap. */
	rx_data(h, c, 1000, 2500, 1000);   /* 2500..3500 */
	rx_data(h, c, 1500, 3000, 1000);   /* 3000..4000: 500 new */
	assert_int_equal(c->ooo_bytes, 1500);
	rx_data(h, c, 200, 1700, 1500);    /* 1700..3200: 800 new */
	assert_int_equal(c->ooo_bytes, 2300);
	rx_data(h, c, 0, 1500, 300);       /* 1500..1800: fills the gap */
	assert_int_equal(c->rcv_nxt, PEER_ISS + 1 + 4000);
	assert_int_equal(c->ooo_bytes, 0);
	check_read(h, c, 0, 4000);
	th_free(h);
}

static void test_data_beyond_window_trimmed(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.rcvbuf = 1000;
	struct th *h = th_new(&s);
	struct ww_tcb *c = th_connect(h);
	assert_int_equal(h->out[0].h.window, 1000);
	rx_data(h, c, 0, 0, 1400);
	/* Only what the window offered is taken. */
	assert_int_equal(c->rcv_nxt, PEER_ISS + 1 + 1000);
	assert_int_equal(ww_tcp_readable(c), 1000);
	th_free(h);
}

static void test_zero_window_probe_and_update(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.rcvbuf = 1000;
	struct th *h = th_new(&s);
	struct ww_tcb *c = th_connect(h);
	assert_int_equal(th_last(h)->h.window, 1000);
	/* 600 of 1000: less than min(MSS, half the buffer) is left, the
	 * sender cannot go on: the ACK goes at once, not 40 ms later. */
	size_t n0 = h->nout;
	rx_data(h, c, 0, 0, 600);
	assert_int_equal(h->nout, n0 + 1);
	assert_int_equal(th_last(h)->h.window, 400);
	rx_data(h, c, 0, 600, 400);
	assert_int_equal(h->nout, n0 + 2);
	/* The buffer is full: window 0, said once as an event. */
	const struct th_seg *z = th_last(h);
	assert_int_equal(z->h.window, 0);
	assert_int_equal(z->h.ack, PEER_ISS + 1 + 1000);
	assert_non_null(th_event(h, WW_EV_INFO,
				 "our receive buffer is full (1000 bytes unread): window 0"));
	/* Linux's probe: an old sequence number, no data. Answered. */
	size_t n = h->nout;
	th_rx(h, c, WW_TCP_ACK, -1, 0, NULL, 0);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.window, 0);
	const struct ww_tcp_trace *lp = ww_tcp_trace_at(c, (size_t)c->ntrace - 2, NULL);
	assert_false(lp->sent);
	assert_true(lp->notes & WW_TCPN_PROBE);
	/* A probe with a byte: not taken, answered. */
	rx_data(h, c, 0, 1000, 1);
	assert_int_equal(h->nout, n + 2);
	assert_int_equal(c->rcv_nxt, PEER_ISS + 1 + 1000);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1 + 1000);
	/* Reading 100 opens less than min(MSS, half the buffer): silent. */
	uint8_t buf[1000];
	assert_int_equal(ww_tcp_recv(c, buf, 100, h->now), 100);
	assert_int_equal(h->nout, n + 2);
	/* Reading the rest: a window update. */
	assert_int_equal(ww_tcp_recv(c, buf, sizeof buf, h->now), 900);
	assert_int_equal(h->nout, n + 3);
	assert_int_equal(th_last(h)->h.window, 1000);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_ACK);
	/* The trace marks them: zero window, probe, window update. */
	bool zero = false, probe = false, update = false;
	const struct ww_tcp_trace *t;
	for (size_t i = 0; (t = ww_tcp_trace_at(c, i, NULL)) != NULL; i++) {
		zero |= t->sent && (t->notes & WW_TCPN_ZERO_WINDOW);
		probe |= !t->sent && (t->notes & WW_TCPN_PROBE);
		update |= t->sent && (t->notes & WW_TCPN_WIN_UPDATE);
	}
	assert_true(zero && probe && update);
	th_free(h);
}

static void test_window_never_retracts(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.rcvbuf = 10000;
	struct th *h = th_new(&s);
	struct ww_tcb *c = th_connect(h);
	rx_data(h, c, 0, 0, 1460);
	rx_data(h, c, 0, 1460, 1460);
	/* Each window offered ends no earlier than the one before. */
	uint32_t edge = 0;
	for (size_t i = 1; i < h->nout; i++) {
		uint32_t e = h->out[i].h.ack + h->out[i].h.window;
		assert_true(ww_seq_geq(e, edge));
		edge = e;
	}
	assert_int_equal(edge, PEER_ISS + 1 + 10000);
	th_free(h);
}

struct sink_buf {
	uint8_t b[20000];
	size_t n, limit;
};

static size_t sink_fn(void *arg, const uint8_t *p, size_t n)
{
	struct sink_buf *sb = arg;
	if (n > sb->limit - sb->n)
		n = sb->limit - sb->n;
	memcpy(sb->b + sb->n, p, n);
	sb->n += n;
	return n;
}

static void test_sink_streams(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	rx_data(h, c, 0, 0, 1000);
	static struct sink_buf sb = { .limit = sizeof sb.b };
	/* What was buffered goes first, then everything as it comes. */
	ww_tcp_set_sink(c, sink_fn, &sb, h->now);
	assert_int_equal(sb.n, 1000);
	assert_int_equal(ww_tcp_readable(c), 0);
	rx_data(h, c, 2000, 3000, 1000);  /* out of order: held, not given */
	assert_int_equal(sb.n, 1000);
	rx_data(h, c, 0, 1000, 1460);
	rx_data(h, c, 0, 2460, 540);
	assert_int_equal(sb.n, 4000);
	uint8_t want[4000];
	th_pattern(want, 0, 4000);
	assert_memory_equal(sb.b, want, 4000);
	/* Nothing is held, so the window stays wide open. */
	th_advance(h, 40 * MS);
	assert_int_equal(th_last(h)->h.window, 65535);
	/* A sink that stops taking: the rest is buffered, and it is off. */
	sb.limit = 4100;
	rx_data(h, c, 0, 4000, 500);
	assert_int_equal(sb.n, 4100);
	assert_int_equal(ww_tcp_readable(c), 400);
	assert_null(c->sink);
	th_free(h);
}

/* ---- sending --------------------------------------------------------------- */

static void test_send_segments_to_mss(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	size_t n = h->nout;
	th_pattern(big, 0, 4000);
	assert_int_equal(ww_tcp_send(c, big, 4000, h->now), 4000);
	/* 1460, 1460, 1080: the initial window (3 segments) holds them all,
	 * and the short tail goes at once (no short segment is in flight). */
	assert_int_equal(h->nout, n + 3);
	assert_int_equal(h->out[n].len, 1460);
	assert_int_equal(h->out[n + 1].len, 1460);
	assert_int_equal(h->out[n + 2].len, 1080);
	assert_int_equal(h->out[n].h.flags, WW_TCP_ACK);
	assert_int_equal(h->out[n + 2].h.flags, WW_TCP_ACK | WW_TCP_PSH);
	assert_int_equal(h->out[n + 1].h.seq, c->iss + 1 + 1460);
	assert_memory_equal(h->out[n + 2].data, big + 2920, 1080);
	assert_int_equal(ww_tcp_unacked(c), 4000);
	assert_int_not_equal(c->rto_at, 0);
	th_ack_all(h, c);
	assert_int_equal(ww_tcp_unacked(c), 0);
	assert_int_equal(c->rto_at, 0);
	th_free(h);
}

static void test_nagle(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	size_t n = h->nout;
	ww_tcp_send(c, (const uint8_t *)"a", 1, h->now);
	assert_int_equal(h->nout, n + 1);
	/* A short segment is unacknowledged: the next short one waits... */
	ww_tcp_send(c, (const uint8_t *)"bc", 2, h->now);
	ww_tcp_send(c, (const uint8_t *)"d", 1, h->now);
	assert_int_equal(h->nout, n + 1);
	/* ...and goes, gathered, with the ACK. */
	th_ack_all(h, c);
	assert_int_equal(h->nout, n + 2);
	assert_int_equal(th_last(h)->len, 3);
	assert_memory_equal(th_last(h)->data, "bcd", 3);
	/* Nagle off: each goes at once. */
	ww_tcp_host_settings(h->host)->nagle = false;
	ww_tcp_send(c, (const uint8_t *)"e", 1, h->now);
	ww_tcp_send(c, (const uint8_t *)"f", 1, h->now);
	assert_int_equal(h->nout, n + 4);
	th_free(h);
}

static void test_slow_start_and_avoidance(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	th_pattern(big, 0, sizeof big);
	ww_tcp_send(c, big, 60000, h->now);
	assert_int_equal(c->snd_max - c->snd_una, 3 * 1460);
	/* Slow start: each ACK of a full segment adds one SMSS. */
	th_rx(h, c, WW_TCP_ACK, 0, 1460, NULL, 0);
	assert_int_equal(c->cwnd, 4 * 1460);
	th_rx(h, c, WW_TCP_ACK, 0, 2920, NULL, 0);
	assert_int_equal(c->cwnd, 5 * 1460);
	/* An ACK of 2 segments at once still adds one (RFC 3465, L = 1). */
	assert_int_equal(c->snd_max - c->snd_una, 5 * 1460);
	th_rx(h, c, WW_TCP_ACK, 0, 2 * 1460, NULL, 0);
	assert_int_equal(c->cwnd, 6 * 1460);
	/* Congestion avoidance: one SMSS per window acknowledged. */
	c->ssthresh = c->cwnd;
	uint32_t w = c->cwnd;
	th_rx(h, c, WW_TCP_ACK, 0, 1460, NULL, 0);
	assert_int_equal(c->cwnd, w);
	for (int i = 0; i < 5; i++)
		th_rx(h, c, WW_TCP_ACK, 0, 1460, NULL, 0);
	assert_int_equal(c->cwnd, w + 1460);
	th_free(h);
}

static void test_peer_window_limits(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	h->peer_win = 2000;
	struct ww_tcb *c = th_connect(h);
	c->cwnd = 100000;
	size_t n = h->nout;
	th_pattern(big, 0, 10000);
	ww_tcp_send(c, big, 10000, h->now);
	/* 1460; 540 more would fit, but that is less than half the largest
	 * window the peer offered (RFC 9293 §3.8.6.2.1): it waits. */
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(h->out[n].len, 1460);
	/* Never more in flight than the window. */
	for (int i = 0; i < 12 && c->snd_una != c->snd_max; i++) {
		th_ack_all(h, c);
		assert_true(c->snd_max - c->snd_una <= 2000);
	}
	assert_int_equal(c->snd_max - c->iss - 1, 10000);
	th_free(h);
}

static void test_peer_zero_window_persist(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	h->peer_win = 0;
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->snd_wnd, 0);
	size_t n = h->nout;
	ww_tcp_send(c, (const uint8_t *)"hello", 5, h->now);
	assert_int_equal(h->nout, n);
	assert_int_not_equal(c->persist_at, 0);
	/* The persist timer: one byte beyond the window. */
	th_advance(h, c->rto);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->len, 1);
	assert_memory_equal(th_last(h)->data, "h", 1);
	/* Refused (window still 0): the same byte again, later. */
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	uint64_t gap = c->persist_at - h->now;
	assert_int_equal(gap, 2 * c->rto);
	th_advance(h, gap);
	assert_int_equal(h->nout, n + 2);
	assert_int_equal(th_last(h)->h.seq, c->iss + 1);
	assert_int_equal(c->st.probes, 2);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	/* The window opens (and the probe byte was taken). */
	h->peer_win = 1000;
	th_rx(h, c, WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->persist_at, 0);
	assert_int_equal(th_last(h)->len, 4);
	assert_memory_equal(th_last(h)->data, "ello", 4);
	th_free(h);
}

static void test_timestamps_and_paws(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.opt_ts = true;
	s.rto_min_ms = 1;
	struct th *h = th_new(&s);
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = 80;
	t.dport = c->lport;
	t.seq = PEER_ISS;
	t.ack = c->iss + 1;
	t.flags = WW_TCP_SYN | WW_TCP_ACK;
	t.window = 64240;
	t.has_ts = true;
	t.tsval = 1000;
	t.tsecr = th_last(h)->h.tsval;
	h->now += 30 * MS;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_true(c->ts_ok);
	/* RTT from the echoed timestamp: 30 ms. */
	assert_int_equal(c->srtt, 30 * MS);
	ww_tcp_send(c, (const uint8_t *)"x", 1, h->now);
	assert_int_equal(th_last(h)->h.tsecr, 1000);
	/* A newer timestamp in order is the one echoed next. */
	struct ww_tcp d = th_hdr(h, c, WW_TCP_ACK, 0, 1);
	d.has_ts = true;
	d.tsval = 1010;
	d.tsecr = th_last(h)->h.tsval;
	th_input(h, WEB_IP, &d, "y", 1);
	assert_int_equal(c->ts_recent, 1010);
	/* PAWS: an older timestamp is a segment from long ago. */
	size_t n = h->nout;
	d = th_hdr(h, c, WW_TCP_ACK, 0, 0);
	d.has_ts = true;
	d.tsval = 900;
	th_input(h, WEB_IP, &d, "z", 1);
	assert_int_equal(c->rcv_nxt, PEER_ISS + 2);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.paws"), 1);
	th_free(h);
}

/* ---- sequence numbers wrapping past 2^32 ------------------------------------------- */

static void test_send_across_wrap(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_host_next_iss(h->host, 0xfffff000u);
	struct ww_tcb *c = th_connect(h);
	c->cwnd = 100000;
	th_pattern(big, 0, 10000);
	ww_tcp_send(c, big, 10000, h->now);
	assert_int_equal(c->snd_max, (uint32_t)(0xfffff001u + 10000));
	assert_true(ww_seq_gt(c->snd_max, c->snd_una));
	/* Acknowledge in pieces across the wrap. */
	th_rx(h, c, WW_TCP_ACK, 0, 4000, NULL, 0);
	assert_int_equal(c->snd_una, (uint32_t)(0xfffff001u + 4000));
	assert_int_equal(ww_tcp_unacked(c), 6000);
	th_ack_all(h, c);
	assert_int_equal(ww_tcp_unacked(c), 0);
	assert_int_equal(c->rto_at, 0);
	/* The bytes sent are the bytes given, in order. */
	size_t off = 0;
	for (size_t i = 0; i < h->nout; i++)
		if (h->out[i].len) {
			assert_int_equal(h->out[i].h.seq, (uint32_t)(0xfffff001u + off));
			assert_memory_equal(h->out[i].data, big + off, h->out[i].len);
			off += h->out[i].len;
		}
	assert_int_equal(off, 10000);
	th_free(h);
}

static void test_receive_across_wrap(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = 80;
	t.dport = c->lport;
	t.seq = 0xfffffa00u;
	t.ack = c->iss + 1;
	t.flags = WW_TCP_SYN | WW_TCP_ACK;
	t.window = 64240;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	/* Out of order across the wrap, then the gap. */
	rx_data(h, c, 1460, 1460, 1460);
	rx_data(h, c, 2920, 2920, 1460);
	assert_int_equal(c->ooo_bytes, 2920);
	rx_data(h, c, 0, 0, 1460);
	assert_int_equal(c->rcv_nxt, 0xfffffa01u + 4380);
	assert_true(c->rcv_nxt < 0x1000);
	check_read(h, c, 0, 4380);
	/* Old data from before the wrap is still recognised as old. */
	size_t n = h->nout;
	rx_data(h, c, -4380, 0, 100);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(c->rcv_nxt, 0xfffffa01u + 4380);
	th_free(h);
}

static void test_seq_compare(void **state)
{
	(void)state;
	assert_true(ww_seq_lt(0xfffffff0u, 0x10));
	assert_true(ww_seq_gt(0x10, 0xfffffff0u));
	assert_true(ww_seq_leq(5, 5));
	assert_true(ww_seq_geq(0, 0xffffffffu));
	/* Up to 2^31 - 1 apart the order is clear (RFC 1982). */
	assert_true(ww_seq_lt(1, 0x80000000u));
	assert_false(ww_seq_lt(0x80000000u, 1));
}

static void test_trace_keeps_head_and_tail(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	for (int i = 0; i < 1500; i++)
		th_rx(h, c, WW_TCP_ACK, 0, 0, "x", 1);
	assert_true(c->ntrace > WW_TCP_TRACE_HEAD + WW_TCP_TRACE_TAIL);
	uint64_t skipped = 0, total_skipped = 0;
	size_t kept = 0;
	const struct ww_tcp_trace *t, *last = NULL;
	for (size_t i = 0; (t = ww_tcp_trace_at(c, i, &skipped)) != NULL; i++) {
		total_skipped += skipped;
		if (i == WW_TCP_TRACE_HEAD)
			assert_true(skipped > 0);
		else
			assert_int_equal(skipped, 0);
		kept++;
		last = t;
	}
	assert_int_equal(kept, WW_TCP_TRACE_HEAD + WW_TCP_TRACE_TAIL);
	assert_int_equal(kept + total_skipped, c->ntrace);
	/* The head still starts with the handshake; the tail ends now. */
	assert_true(ww_tcp_trace_at(c, 0, NULL)->is_state);
	assert_int_equal(ww_tcp_trace_at(c, 1, NULL)->flags, WW_TCP_SYN);
	assert_int_equal(last->t_ns, h->now);
	th_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_receive_in_order_ack_every_second),
		cmocka_unit_test(test_out_of_order_and_gap_filled),
		cmocka_unit_test(test_overlaps_and_duplicates_trimmed),
		cmocka_unit_test(test_data_beyond_window_trimmed),
		cmocka_unit_test(test_zero_window_probe_and_update),
		cmocka_unit_test(test_window_never_retracts),
		cmocka_unit_test(test_sink_streams),
		cmocka_unit_test(test_send_segments_to_mss),
		cmocka_unit_test(test_nagle),
		cmocka_unit_test(test_slow_start_and_avoidance),
		cmocka_unit_test(test_peer_window_limits),
		cmocka_unit_test(test_peer_zero_window_persist),
		cmocka_unit_test(test_timestamps_and_paws),
		cmocka_unit_test(test_send_across_wrap),
		cmocka_unit_test(test_receive_across_wrap),
		cmocka_unit_test(test_seq_compare),
		cmocka_unit_test(test_trace_keeps_head_and_tail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
