/* TCP connections closing (RFC 9293 §3.6): our FIN first (FIN-WAIT-1,
 * FIN-WAIT-2, TIME-WAIT), the peer's first (CLOSE-WAIT, LAST-ACK), both
 * at once (CLOSING), the FIN and the ACK of ours in one segment, the FIN
 * after queued data, a FIN beyond a gap, TIME-WAIT's length and its
 * restart on a retransmitted FIN, RST in the closing states, abort, and
 * giving up after too many retransmissions. */
#include "tcp_harness.h"

static void send_text(struct th *h, struct ww_tcb *c, const char *s)
{
	assert_int_equal(ww_tcp_send(c, (const uint8_t *)s, strlen(s), h->now), (long)strlen(s));
}

static void test_active_close(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	assert_int_equal(ww_tcp_close(c, h->now), 0);
	assert_int_equal(c->state, WW_TCPS_FIN_WAIT_1);
	const struct th_seg *fin = th_last(h);
	assert_int_equal(fin->h.flags, WW_TCP_FIN | WW_TCP_ACK);
	assert_int_equal(fin->h.seq, c->iss + 1);
	assert_int_equal(c->snd_max, c->iss + 2);
	assert_int_equal(ww_tcp_close(c, h->now), -1);
	assert_int_equal(ww_tcp_send(c, (const uint8_t *)"x", 1, h->now), -1);
	th_ack_all(h, c);
	assert_int_equal(c->state, WW_TCPS_FIN_WAIT_2);
	assert_int_equal(c->rto_at, 0);
	/* Data may still come in FIN-WAIT-2; then the peer's FIN. */
	th_rx(h, c, WW_TCP_ACK | WW_TCP_PSH, 0, 0, "bye", 3);
	assert_int_equal(ww_tcp_readable(c), 3);
	size_t n = h->nout;
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	assert_true(ww_tcp_fin_received(c));
	/* The FIN is acknowledged at once, data and all. */
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_ACK);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1 + 3 + 1);
	assert_int_equal(th_last(h)->h.seq, c->iss + 2);
	/* TIME-WAIT lasts tcp.time_wait (1 s), then CLOSED. */
	th_advance(h, 999 * MS);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	th_advance(h, 2 * MS);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_NONE);
	assert_non_null(th_event(h, WW_EV_STATE, "TIME-WAIT → CLOSED"));
	/* The unread data is still there to read. */
	uint8_t buf[8];
	assert_int_equal(ww_tcp_recv(c, buf, sizeof buf, h->now), 3);
	assert_memory_equal(buf, "bye", 3);
	th_free(h);
}

static void test_fin_and_ack_together(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	ww_tcp_close(c, h->now);
	/* One segment acknowledges our FIN and carries the peer's. */
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	assert_non_null(th_event(h, WW_EV_STATE, "FIN-WAIT-1 → FIN-WAIT-2"));
	assert_non_null(th_event(h, WW_EV_STATE, "FIN-WAIT-2 → TIME-WAIT"));
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 2);
	th_free(h);
}

static void test_time_wait_restarts_on_fin(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	ww_tcp_close(c, h->now);
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	th_advance(h, 800 * MS);
	/* Our last ACK was lost: the FIN comes again. It is acknowledged
	 * again and TIME-WAIT starts over (RFC 9293 §3.10.7.4). */
	size_t n = h->nout;
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, -1, 0, NULL, 0);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_ACK);
	assert_int_equal(th_last(h)->h.ack, c->rcv_nxt);
	th_advance(h, 800 * MS);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	th_advance(h, 300 * MS);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	th_free(h);
}

static void test_time_wait_setting(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_host_settings(h->host)->time_wait_ms = 5000;
	struct ww_tcb *c = th_connect(h);
	ww_tcp_close(c, h->now);
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 1, NULL, 0);
	th_advance(h, 4900 * MS);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	th_advance(h, 200 * MS);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	th_free(h);
}

static void test_passive_close(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK | WW_TCP_PSH, 0, 0, "last words", 10);
	assert_int_equal(c->state, WW_TCPS_CLOSE_WAIT);
	assert_true(ww_tcp_fin_received(c));
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1 + 10 + 1);
	/* We may still send in CLOSE-WAIT. */
	send_text(h, c, "ok");
	assert_int_equal(th_last(h)->h.flags, WW_TCP_ACK | WW_TCP_PSH);
	assert_int_equal(th_last(h)->len, 2);
	assert_int_equal(ww_tcp_close(c, h->now), 0);
	assert_int_equal(c->state, WW_TCPS_LAST_ACK);
	const struct th_seg *fin = th_last(h);
	assert_int_equal(fin->h.flags, WW_TCP_FIN | WW_TCP_ACK);
	assert_int_equal(fin->h.seq, c->iss + 1 + 2);
	/* The ACK of the data only: still LAST-ACK. */
	th_rx(h, c, WW_TCP_ACK, 0, 2, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_LAST_ACK);
	th_rx(h, c, WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_non_null(th_event(h, WW_EV_STATE, "LAST-ACK → CLOSED"));
	assert_int_equal(ww_tcp_next_deadline(h->host), UINT64_MAX);
	th_free(h);
}

static void test_last_ack_fin_retransmitted(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 0, NULL, 0);
	ww_tcp_close(c, h->now);
	size_t n = h->nout;
	/* No ACK of our FIN: it goes again after the RTO. */
	th_advance(h, c->rto);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_FIN | WW_TCP_ACK);
	assert_int_equal(th_last(h)->h.seq, c->iss + 1);
	th_rx(h, c, WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	th_free(h);
}

static void test_simultaneous_close(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	ww_tcp_close(c, h->now);
	/* The peer's FIN crosses ours: it does not acknowledge our FIN. */
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSING);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_ACK);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 2);
	/* Then the ACK of our FIN. */
	th_rx(h, c, WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	assert_non_null(th_event(h, WW_EV_STATE, "CLOSING → TIME-WAIT"));
	th_advance(h, 2 * SEC);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	th_free(h);
}

static void test_fin_follows_queued_data(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	h->peer_win = 1000; /* the data cannot all go at once */
	struct ww_tcb *c = th_connect(h);
	uint8_t data[3000];
	th_pattern(data, 0, sizeof data);
	assert_int_equal(ww_tcp_send(c, data, sizeof data, h->now), 3000);
	ww_tcp_close(c, h->now);
	assert_int_equal(c->state, WW_TCPS_FIN_WAIT_1);
	assert_false(c->fin_sent);
	assert_int_equal(th_last(h)->len, 1000);
	th_ack_all(h, c);
	th_ack_all(h, c);
	/* The last 1000 bytes carry the FIN. */
	const struct th_seg *last = th_last(h);
	assert_int_equal(last->len, 1000);
	assert_int_equal(last->h.flags, WW_TCP_FIN | WW_TCP_ACK | WW_TCP_PSH);
	assert_int_equal(last->h.seq, c->iss + 1 + 2000);
	assert_true(c->fin_sent);
	th_ack_all(h, c);
	assert_int_equal(c->state, WW_TCPS_FIN_WAIT_2);
	th_free(h);
}

static void test_fin_beyond_a_gap(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	/* The last segment and the FIN come first; the FIN counts only once
	 * the gap before it is filled. */
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 5, 0, "world", 5);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	assert_false(ww_tcp_fin_received(c));
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1);
	th_rx(h, c, WW_TCP_ACK, 0, 0, "hello", 5);
	assert_int_equal(c->state, WW_TCPS_CLOSE_WAIT);
	assert_int_equal(th_last(h)->h.ack, PEER_ISS + 1 + 10 + 1);
	uint8_t buf[16];
	assert_int_equal(ww_tcp_recv(c, buf, sizeof buf, h->now), 10);
	assert_memory_equal(buf, "helloworld", 10);
	th_free(h);
}

static void test_rst_in_closing_states(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	ww_tcp_close(c, h->now);
	th_ack_all(h, c);
	assert_int_equal(c->state, WW_TCPS_FIN_WAIT_2);
	th_rx(h, c, WW_TCP_RST, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_RESET);

	struct ww_tcb *d = th_connect(h);
	ww_tcp_close(d, h->now);
	th_rx(h, d, WW_TCP_FIN | WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(d->state, WW_TCPS_TIME_WAIT);
	th_rx(h, d, WW_TCP_RST, 0, 0, NULL, 0);
	assert_int_equal(d->state, WW_TCPS_CLOSED);
	assert_int_equal(d->error, WW_TCPE_NONE);
	th_free(h);
}

static void test_abort(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	send_text(h, c, "unfinished");
	ww_tcp_abort(c, h->now);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_ABORTED);
	const struct th_seg *r = th_last(h);
	assert_int_equal(r->h.flags, WW_TCP_RST | WW_TCP_ACK);
	assert_int_equal(r->h.seq, c->iss + 1 + 10);
	assert_int_equal(r->h.ack, PEER_ISS + 1);
	assert_non_null(th_event(h, WW_EV_STATE, "ESTABLISHED → CLOSED (connection aborted)"));
	assert_int_equal(ww_tcp_next_deadline(h->host), UINT64_MAX);
	/* Aborting in SYN-SENT sends nothing: nothing is synchronized. */
	struct ww_tcb *d = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	size_t n = h->nout;
	ww_tcp_abort(d, h->now);
	assert_int_equal(h->nout, n);
	assert_int_equal(d->state, WW_TCPS_CLOSED);
	th_free(h);
}

static void test_close_in_syn_sent(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	assert_int_equal(ww_tcp_close(c, h->now), 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(h->nout, 1);
	th_free(h);
}

static void test_close_in_syn_received_waits(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_listen(h->host, 8080);
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = 51000;
	t.dport = 8080;
	t.seq = PEER_ISS;
	t.flags = WW_TCP_SYN;
	t.window = 64240;
	th_input(h, PEER_IP, &t, NULL, 0);
	struct ww_tcb *c = ww_tcp_at(h->host, 0);
	assert_int_equal(ww_tcp_close(c, h->now), 0);
	assert_int_equal(c->state, WW_TCPS_SYN_RECEIVED);
	/* RFC 9293 §3.10.4: the FIN goes once the handshake is done. */
	th_rx(h, c, WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_FIN_WAIT_1);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_FIN | WW_TCP_ACK);
	th_free(h);
}

static void test_give_up_after_retries(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_host_settings(h->host)->max_retries = 3;
	struct ww_tcb *c = th_connect(h);
	send_text(h, c, "anyone?");
	size_t n = h->nout;
	/* 200, 400, 800 ms: three retransmissions, then the end. */
	th_advance(h, 200 * MS);
	th_advance(h, 400 * MS);
	th_advance(h, 800 * MS);
	assert_int_equal(h->nout, n + 3);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	th_advance(h, 1600 * MS);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_TIMEOUT);
	assert_non_null(th_event(h, WW_EV_ERROR, "3 retransmissions of seq 1 had no answer"));
	assert_int_equal(h->nout, n + 3);
	th_free(h);
}

static void test_rst_in_close_wait_and_last_ack(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSE_WAIT);
	th_rx(h, c, WW_TCP_RST, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_RESET);

	struct ww_tcb *d = th_connect(h);
	th_rx(h, d, WW_TCP_FIN | WW_TCP_ACK, 0, 0, NULL, 0);
	ww_tcp_close(d, h->now);
	assert_int_equal(d->state, WW_TCPS_LAST_ACK);
	th_rx(h, d, WW_TCP_RST, 0, 0, NULL, 0);
	assert_int_equal(d->state, WW_TCPS_CLOSED);

	/* Abort in CLOSE-WAIT: a RST, as in ESTABLISHED. */
	struct ww_tcb *e = th_connect(h);
	th_rx(h, e, WW_TCP_FIN | WW_TCP_ACK, 0, 0, NULL, 0);
	ww_tcp_abort(e, h->now);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_RST | WW_TCP_ACK);
	assert_int_equal(e->error, WW_TCPE_ABORTED);
	th_free(h);
}

static void test_rst_in_closing(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	ww_tcp_close(c, h->now);
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSING);
	/* Still retransmitting our FIN in CLOSING. */
	size_t n = h->nout;
	th_advance(h, c->rto);
	assert_int_equal(h->nout, n + 1);
	assert_true(th_last(h)->h.flags & WW_TCP_FIN);
	th_rx(h, c, WW_TCP_RST, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	th_free(h);
}

/* RFC 6191: a new SYN for a four-tuple resting in TIME-WAIT, starting
 * above its old numbers, opens a new connection at once. */
static void test_time_wait_reused_by_new_syn(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_listen(h->host, 8080);
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = 51000;
	t.dport = 8080;
	t.seq = PEER_ISS;
	t.flags = WW_TCP_SYN;
	t.window = 64240;
	th_input(h, PEER_IP, &t, NULL, 0);
	struct ww_tcb *c = ww_tcp_at(h->host, 0);
	th_rx(h, c, WW_TCP_ACK, 0, 1, NULL, 0);
	ww_tcp_close(c, h->now);
	th_rx(h, c, WW_TCP_FIN | WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	/* An old SYN (below RCV.NXT) is not a new connection. */
	t.seq = PEER_ISS;
	size_t n = h->nout;
	th_input(h, PEER_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	assert_int_equal(h->nout, n + 1); /* answered with an ACK */
	t.seq = PEER_ISS + 100000;
	th_input(h, PEER_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	struct ww_tcb *d = ww_tcp_at(h->host, 1);
	assert_non_null(d);
	assert_int_equal(d->state, WW_TCPS_SYN_RECEIVED);
	assert_int_equal(d->irs, PEER_ISS + 100000);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_SYN | WW_TCP_ACK);
	th_free(h);
}

/* What a DNS-over-TCP client does from its callback (RFC 7766): read the
 * 2-byte length and the message as they come, close when it is whole. */
struct msg_reader {
	uint8_t buf[64];
	size_t have;
	unsigned calls, done;
	bool abort_on_data;
};

static void read_and_close(void *arg, struct ww_tcb *c, uint64_t now)
{
	struct msg_reader *m = arg;
	m->calls++;
	if (m->abort_on_data && ww_tcp_readable(c)) {
		ww_tcp_abort(c, now);
		return;
	}
	m->have += ww_tcp_recv(c, m->buf + m->have, sizeof m->buf - m->have, now);
	if (!m->done && m->have >= 2 && m->have >= 2u + (m->buf[0] << 8 | m->buf[1])) {
		m->done++;
		assert_int_equal(ww_tcp_close(c, now), 0);
	}
}

static void test_notify_reads_and_closes(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct msg_reader m = { .have = 0 };
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 53, 0, h->now);
	ww_tcp_set_notify(c, read_and_close, &m);
	/* Queued in SYN-SENT: it goes with the handshake's end. */
	assert_int_equal(ww_tcp_send(c, (const uint8_t *)"\0\3abc", 5, h->now), 5);
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = 53;
	t.dport = c->lport;
	t.seq = PEER_ISS;
	t.ack = c->iss + 1;
	t.flags = WW_TCP_SYN | WW_TCP_ACK;
	t.window = 64240;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	assert_int_equal(th_last(h)->len, 5);
	/* The answer in two pieces, the second with the FIN. */
	th_rx(h, c, WW_TCP_ACK, 0, 5, "\0\4wx", 4);
	assert_int_equal(m.done, 0);
	th_rx(h, c, WW_TCP_ACK | WW_TCP_FIN, 0, 0, "yz", 2);
	assert_int_equal(m.done, 1);
	assert_memory_equal(m.buf, "\0\4wxyz", 6);
	/* Closed from inside: our FIN crossed theirs. */
	assert_int_equal(c->state, WW_TCPS_CLOSING);
	assert_true(m.calls >= 3);
	th_ack_all(h, c);
	assert_int_equal(c->state, WW_TCPS_TIME_WAIT);
	th_free(h);
}

static void test_notify_aborts_mid_segment(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct msg_reader m = { .abort_on_data = true };
	struct ww_tcb *c = th_connect(h);
	ww_tcp_set_notify(c, read_and_close, &m);
	/* Data and FIN: aborted on the data; the FIN is not taken. */
	th_rx(h, c, WW_TCP_ACK | WW_TCP_FIN, 0, 0, "boom", 4);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_ABORTED);
	assert_false(ww_tcp_fin_received(c));
	assert_int_equal(th_last(h)->h.flags, WW_TCP_RST | WW_TCP_ACK);
	assert_int_equal(ww_tcp_next_deadline(h->host), UINT64_MAX);
	th_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_active_close),
		cmocka_unit_test(test_fin_and_ack_together),
		cmocka_unit_test(test_time_wait_restarts_on_fin),
		cmocka_unit_test(test_time_wait_setting),
		cmocka_unit_test(test_passive_close),
		cmocka_unit_test(test_last_ack_fin_retransmitted),
		cmocka_unit_test(test_simultaneous_close),
		cmocka_unit_test(test_fin_follows_queued_data),
		cmocka_unit_test(test_fin_beyond_a_gap),
		cmocka_unit_test(test_rst_in_closing_states),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_close_in_syn_sent),
		cmocka_unit_test(test_close_in_syn_received_waits),
		cmocka_unit_test(test_give_up_after_retries),
		cmocka_unit_test(test_rst_in_close_wait_and_last_ack),
		cmocka_unit_test(test_rst_in_closing),
		cmocka_unit_test(test_time_wait_reused_by_new_syn),
		cmocka_unit_test(test_notify_reads_and_closes),
		cmocka_unit_test(test_notify_aborts_mid_segment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
