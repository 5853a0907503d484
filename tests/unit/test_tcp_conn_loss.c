/* Loss and recovery: RTT estimation and the RTO (RFC 6298) with its
 * lower bound and backoff, Karn's rule, the timeout's go-back (ssthresh
 * halved, cwnd one segment), what counts as a duplicate ACK (RFC 5681
 * §2), fast retransmit and NewReno's partial ACKs (RFC 6582), the holes
 * a SACK-capable peer shows resent one per ACK, and the scoreboard
 * forgotten after a timeout (RFC 2018 §8). */
#include "tcp_harness.h"
#include "ww/bytes.h"

static uint8_t data[100000];

/* Connected, cwnd opened wide, N bytes sent in full segments. */
static struct ww_tcb *sending(struct th *h, const struct ww_tcp *opts, size_t n)
{
	struct ww_tcb *c = th_connect_opts(h, opts);
	c->cwnd = 64 * 1460;
	th_pattern(data, 0, sizeof data);
	assert_int_equal(ww_tcp_send(c, data, n, h->now), (long)n);
	return c;
}

static void test_rto_estimator(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.rto_min_ms = 1;
	struct th *h = th_new(&s);
	/* The SYN-ACK after 100 ms: SRTT 100, RTTVAR 50, RTO 100 + 4 * 50. */
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = 80;
	t.dport = c->lport;
	t.seq = PEER_ISS;
	t.ack = c->iss + 1;
	t.flags = WW_TCP_SYN | WW_TCP_ACK;
	t.window = 64240;
	h->now += 100 * MS;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->srtt, 100 * MS);
	assert_int_equal(c->rttvar, 50 * MS);
	assert_int_equal(c->rto, 300 * MS);
	/* A second sample of 50 ms: RTTVAR = 3/4 * 50 + 1/4 * |100 - 50|,
	 * SRTT = 7/8 * 100 + 1/8 * 50. */
	ww_tcp_send(c, data, 100, h->now);
	h->now += 50 * MS;
	th_ack_all(h, c);
	assert_int_equal(c->rttvar, 50 * MS);
	assert_int_equal(c->srtt, 93750000);
	assert_int_equal(c->rto, 93750000 + 200 * MS);
	th_free(h);
}

static void test_rto_lower_bound(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h); /* 10 ms: 10 + 4 * 5 = 30 ms */
	assert_int_equal(c->rto, 200 * MS);
	ww_tcp_host_settings(h->host)->rto_min_ms = 20;
	ww_tcp_send(c, data, 10, h->now);
	h->now += 10 * MS;
	th_ack_all(h, c);
	assert_true(c->rto >= 20 * MS && c->rto < 40 * MS);
	th_free(h);
}

static void test_timeout_goes_back(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = sending(h, NULL, 5 * 1460);
	size_t n = h->nout;
	assert_int_equal(c->snd_max - c->snd_una, 5 * 1460);
	th_advance(h, 200 * MS);
	/* RFC 5681 (4): ssthresh = flight / 2, cwnd = 1 segment; the first
	 * segment again; RTO doubled. */
	assert_int_equal(h->nout, n + 1);
	const struct th_seg *r = th_last(h);
	assert_int_equal(r->h.seq, c->iss + 1);
	assert_int_equal(r->len, 1460);
	assert_int_equal(c->ssthresh, 5 * 1460 / 2);
	assert_int_equal(c->cwnd, 1460);
	assert_int_equal(c->rto, 400 * MS);
	assert_int_equal(c->st.timeouts, 1);
	assert_non_null(th_event(h, WW_EV_INFO, "retransmission timeout: nothing acknowledged for "
						"200 ms; resending from seq 1"));
	/* Its ACK: slow start again, the next two go back out. */
	th_rx(h, c, WW_TCP_ACK, 0, 1460, NULL, 0);
	assert_int_equal(c->cwnd, 2 * 1460);
	assert_int_equal(h->nout, n + 3);
	assert_int_equal(h->out[n + 1].h.seq, c->iss + 1 + 1460);
	assert_int_equal(c->snd_nxt, c->iss + 1 + 3 * 1460);
	assert_int_equal(c->snd_max, c->iss + 1 + 5 * 1460);
	/* The trace marks them as retransmissions. */
	uint64_t skipped;
	const struct ww_tcp_trace *t;
	unsigned rexmit = 0;
	for (size_t i = 0; (t = ww_tcp_trace_at(c, i, &skipped)) != NULL; i++)
		if (t->sent && (t->notes & WW_TCPN_RETRANSMIT))
			rexmit++;
	assert_int_equal(rexmit, 3);
	/* An ACK beyond SND.NXT but within SND.MAX (the originals arrived). */
	th_rx(h, c, WW_TCP_ACK, 0, 4 * 1460, NULL, 0);
	assert_int_equal(c->snd_una, c->iss + 1 + 5 * 1460);
	assert_int_equal(c->snd_una, c->snd_max);
	assert_int_equal(c->rto_at, 0);
	th_free(h);
}

static void test_backoff_doubles_and_karn(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = sending(h, NULL, 100);
	uint64_t srtt = c->srtt;
	th_advance(h, 200 * MS);
	th_advance(h, 400 * MS);
	assert_int_equal(c->rto, 800 * MS);
	assert_int_equal(c->backoff, 2);
	/* The ACK of a retransmitted segment gives no RTT sample, and the
	 * backed-off RTO stays (Karn). */
	h->now += 5 * MS;
	th_ack_all(h, c);
	assert_int_equal(c->srtt, srtt);
	assert_int_equal(c->rto, 800 * MS);
	assert_int_equal(c->backoff, 0);
	/* A fresh segment's ACK is a sample again. */
	ww_tcp_send(c, data, 100, h->now);
	h->now += 10 * MS;
	th_ack_all(h, c);
	assert_int_equal(c->rto, 200 * MS);
	th_free(h);
}

static void test_what_is_a_dupack(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = sending(h, NULL, 3 * 1460);
	/* With data in it, or a different window: not duplicates. */
	th_rx(h, c, WW_TCP_ACK, 0, 0, "x", 1);
	h->peer_win = 30000;
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->dupacks, 0);
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->dupacks, 2);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.dup_acks"), 2);
	/* Nothing outstanding: not duplicates either. */
	th_ack_all(h, c);
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->dupacks, 0);
	th_free(h);
}

static void test_fast_retransmit_newreno(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = sending(h, NULL, 10 * 1460);
	uint32_t una = c->snd_una;
	/* Segments 1 and 4 lost: duplicate ACKs for segment 1. */
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	size_t n = h->nout;
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	/* The third: segment 1 at once, ssthresh = flight / 2, cwnd
	 * inflated by the three segments that left. */
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.seq, una);
	assert_int_equal(th_last(h)->len, 1460);
	assert_true(c->in_recovery);
	assert_int_equal(c->recover, c->snd_max);
	assert_int_equal(c->ssthresh, 5 * 1460);
	assert_int_equal(c->cwnd, 8 * 1460);
	assert_non_null(th_event(h, WW_EV_INFO,
				 "3 duplicate ACKs for seq 1: fast retransmit of 1460 bytes"));
	/* Each further duplicate inflates cwnd by one segment. */
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->cwnd, 9 * 1460);
	/* A partial ACK (up to the second loss): segment 4 at once. */
	n = h->nout;
	th_rx(h, c, WW_TCP_ACK, 0, 3 * 1460, NULL, 0);
	assert_true(c->in_recovery);
	assert_int_equal(h->out[n].h.seq, una + 3 * 1460);
	assert_true(h->out[n].h.flags & WW_TCP_ACK);
	/* The full ACK ends recovery: cwnd deflates to ssthresh. */
	th_rx(h, c, WW_TCP_ACK, 0, (int32_t)(c->recover - c->snd_una), NULL, 0);
	assert_false(c->in_recovery);
	assert_true(c->cwnd <= c->ssthresh);
	assert_int_equal(c->st.fast_retransmits, 1);
	th_free(h);
}

static void test_limited_transmit(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	th_pattern(data, 0, sizeof data);
	ww_tcp_send(c, data, 10 * 1460, h->now);
	/* The initial window: 3 segments out, 7 wait. */
	assert_int_equal(c->snd_max - c->snd_una, 3 * 1460);
	size_t n = h->nout;
	/* The first is lost: each of the first two duplicate ACKs lets one
	 * new segment go (RFC 3042), beyond cwnd. */
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.seq, c->iss + 1 + 3 * 1460);
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(h->nout, n + 2);
	assert_int_equal(th_last(h)->h.seq, c->iss + 1 + 4 * 1460);
	assert_int_equal(c->cwnd, 3 * 1460);
	/* The third: fast retransmit of the first. */
	th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(h->out[n + 2].h.seq, c->iss + 1);
	assert_true(c->in_recovery);
	th_free(h);
}

static void test_no_second_fast_retransmit_below_recover(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = sending(h, NULL, 10 * 1460);
	for (int i = 0; i < 3; i++)
		th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_true(c->in_recovery);
	/* A timeout ends it; duplicate ACKs of data sent before the timeout
	 * do not start another (RFC 6582 §3.2). */
	th_advance(h, c->rto);
	assert_false(c->in_recovery);
	size_t n = h->nout;
	for (int i = 0; i < 3; i++)
		th_rx(h, c, WW_TCP_ACK, 0, 0, NULL, 0);
	assert_false(c->in_recovery);
	assert_int_equal(h->nout, n);
	assert_int_equal(c->st.fast_retransmits, 1);
	th_free(h);
}

static struct ww_tcp sack_syn_ack(void)
{
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.has_mss = true;
	t.mss = 1460;
	t.sack_perm = true;
	return t;
}

/* A duplicate ACK from a SACK-capable peer, with blocks relative to SND.UNA. */
static void sack_dupack(struct th *h, struct ww_tcb *c, unsigned nb, const uint32_t (*b)[2])
{
	struct ww_tcp t = th_hdr(h, c, WW_TCP_ACK, 0, 0);
	t.nsack = (uint8_t)nb;
	for (unsigned i = 0; i < nb; i++) {
		t.sack[i].left = c->snd_una + b[i][0];
		t.sack[i].right = c->snd_una + b[i][1];
	}
	th_input(h, c->rip, &t, NULL, 0);
}

static void test_sack_recovery_resends_holes(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.opt_sack = true;
	struct th *h = th_new(&s);
	struct ww_tcp o = sack_syn_ack();
	struct ww_tcb *c = sending(h, &o, 10 * 1460);
	assert_true(c->sack_ok);
	const uint32_t M = 1460;
	uint32_t una = c->snd_una;
	/* Segments 0 and 3 lost; 1, 2, 4, 5... arrive and are SACKed. */
	sack_dupack(h, c, 1, (const uint32_t[][2]){ { M, 3 * M } });
	sack_dupack(h, c, 2, (const uint32_t[][2]){ { 4 * M, 5 * M }, { M, 3 * M } });
	assert_int_equal(c->nsacked, 2);
	size_t n = h->nout;
	sack_dupack(h, c, 2, (const uint32_t[][2]){ { 4 * M, 6 * M }, { M, 3 * M } });
	/* Fast retransmit of segment 0. */
	assert_int_equal(h->out[n].h.seq, una);
	/* The next duplicate ACK: the next hole, segment 3, not 1 or 2. */
	n = h->nout;
	sack_dupack(h, c, 2, (const uint32_t[][2]){ { 4 * M, 7 * M }, { M, 3 * M } });
	assert_true(h->nout > n);
	assert_int_equal(h->out[n].h.seq, una + 3 * M);
	assert_int_equal(h->out[n].len, M);
	/* The ACKs we send carry no SACK blocks: nothing of the peer's is
	 * out of order here. */
	assert_int_equal(th_last(h)->h.nsack, 0);
	/* A timeout forgets the scoreboard (RFC 2018 §8). */
	th_advance(h, c->rto);
	assert_int_equal(c->nsacked, 0);
	th_free(h);
}

static void test_receiver_sack_blocks(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.opt_sack = true;
	struct th *h = th_new(&s);
	struct ww_tcp o = sack_syn_ack();
	struct ww_tcb *c = th_connect_opts(h, &o);
	uint8_t buf[1000];
	th_pattern(buf, 0, sizeof buf);
	th_rx(h, c, WW_TCP_ACK, 1000, 0, buf, 500);
	const struct th_seg *a = th_last(h);
	assert_int_equal(a->h.nsack, 1);
	assert_int_equal(a->h.sack[0].left, c->rcv_nxt + 1000);
	assert_int_equal(a->h.sack[0].right, c->rcv_nxt + 1500);
	th_rx(h, c, WW_TCP_ACK, 3000, 0, buf, 500);
	a = th_last(h);
	/* The block of the segment just received comes first (RFC 2018 §4). */
	assert_int_equal(a->h.nsack, 2);
	assert_int_equal(a->h.sack[0].left, c->rcv_nxt + 3000);
	assert_int_equal(a->h.sack[1].left, c->rcv_nxt + 1000);
	/* Adjacent pieces are one block. */
	th_rx(h, c, WW_TCP_ACK, 1500, 0, buf, 500);
	a = th_last(h);
	assert_int_equal(a->h.nsack, 2);
	assert_int_equal(a->h.sack[0].left, c->rcv_nxt + 1000);
	assert_int_equal(a->h.sack[0].right, c->rcv_nxt + 2000);
	/* Everything in order: no blocks. */
	th_rx(h, c, WW_TCP_ACK, 0, 0, buf, 1000);
	th_rx(h, c, WW_TCP_ACK, 0, 0, buf, 1000);
	a = th_last(h);
	assert_int_equal(c->rcv_nxt, PEER_ISS + 1 + 3500);
	assert_int_equal(a->h.nsack, 0);
	th_free(h);
}

static void test_lost_output_is_retransmitted(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	/* The stack refuses the segment (no ARP reply, link down): it is
	 * lost like any other, and the timer sends it again. */
	h->refuse = true;
	ww_tcp_send(c, data, 100, h->now);
	size_t n = h->nout;
	h->refuse = false;
	th_advance(h, 200 * MS);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->len, 100);
	th_free(h);
}

/* An ICMP error about the segment C sent last, from the router. */
static void icmp_about(struct th *h, struct ww_tcb *c, uint8_t type, uint8_t code, uint32_t rest,
		       uint32_t seq)
{
	struct ww_ipv4 q;
	ww_ipv4_init(&q);
	q.src = OUR_IP;
	q.dst = c->rip;
	q.proto = WW_IPPROTO_TCP;
	uint8_t quoted[8];
	ww_put16(quoted, c->lport);
	ww_put16(quoted + 2, c->rport);
	ww_put32(quoted + 4, seq);
	struct ww_icmp_error e = {
		.type = type, .code = code, .rest = rest, .from = IP4(192, 168, 1, 1),
		.quoted = &q, .data = quoted, .len = sizeof quoted,
	};
	ww_tcp_icmp_error(h->host, &e, h->now);
}

static void test_icmp_errors(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	/* Host unreachable in SYN-SENT: soft, the SYNs go on. */
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	icmp_about(h, c, 3, 1, 0, c->iss);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	assert_non_null(th_event(h, WW_EV_INFO, "ICMP Host unreachable from 192.168.1.1: a soft error"));
	/* An error quoting a number never sent is not believed. */
	icmp_about(h, c, 3, 3, 0, c->iss + 77777);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	assert_non_null(th_event(h, WW_EV_INFO, "not in flight: ignored (RFC 5927)"));
	/* Port unreachable: a hard error while opening. */
	icmp_about(h, c, 3, 3, 0, c->iss);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_UNREACHABLE);
	assert_non_null(th_event(h, WW_EV_STATE, "SYN-SENT → CLOSED (destination unreachable)"));
	/* Fragmentation needed (RFC 1191): smaller segments, the big one
	 * sent again cut to the next hop's MTU. */
	struct ww_tcb *d = th_connect(h);
	th_pattern(data, 0, 3000);
	ww_tcp_send(d, data, 3000, h->now);
	size_t n = h->nout;
	icmp_about(h, d, 3, 4, 1000, d->snd_una);
	assert_int_equal(d->smss, 960);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->len, 960);
	assert_int_equal(th_last(h)->h.seq, d->snd_una);
	/* No such connection: told, nothing else. */
	struct ww_tcb gone = *d;
	gone.lport = 1;
	icmp_about(h, &gone, 3, 3, 0, d->snd_una);
	assert_non_null(th_event(h, WW_EV_INFO, "no such connection here"));
	assert_int_equal(d->state, WW_TCPS_ESTABLISHED);
	th_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rto_estimator),
		cmocka_unit_test(test_rto_lower_bound),
		cmocka_unit_test(test_timeout_goes_back),
		cmocka_unit_test(test_backoff_doubles_and_karn),
		cmocka_unit_test(test_what_is_a_dupack),
		cmocka_unit_test(test_fast_retransmit_newreno),
		cmocka_unit_test(test_limited_transmit),
		cmocka_unit_test(test_no_second_fast_retransmit_below_recover),
		cmocka_unit_test(test_sack_recovery_resends_holes),
		cmocka_unit_test(test_receiver_sack_blocks),
		cmocka_unit_test(test_lost_output_is_retransmitted),
		cmocka_unit_test(test_icmp_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
