/* TCP connections opening (RFC 9293 §3.5): the three-way handshake from
 * either side, the options each side offers and what is agreed, the SYN
 * retransmitted with backoff and the connect timeout, simultaneous open,
 * RST in every opening state, listeners and their backlog, segments for
 * no connection (shown, answered only with tcp.rst on), bad checksums,
 * and RFC 5961's challenge ACKs on an established connection. The clock
 * is moved by the test; nothing sleeps, nothing touches a socket. */
#include "tcp_harness.h"

static struct ww_tcp syn_from(uint16_t sport, uint16_t dport, uint32_t seq)
{
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = sport;
	t.dport = dport;
	t.seq = seq;
	t.flags = WW_TCP_SYN;
	t.window = 64240;
	t.has_mss = true;
	t.mss = 1460;
	return t;
}

/* ---- active open ---------------------------------------------------------- */

static void test_handshake_default_mss_only(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	assert_non_null(c);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	assert_true(c->lport >= 49152);
	const struct th_seg *syn = th_last(h);
	assert_int_equal(syn->dst, WEB_IP);
	assert_int_equal(syn->h.flags, WW_TCP_SYN);
	assert_int_equal(syn->h.seq, c->iss);
	assert_int_equal(syn->h.ack, 0);
	assert_int_equal(syn->h.window, 65535);
	/* MSS only, the textbook SYN: 24 bytes of header. */
	assert_true(syn->h.has_mss);
	assert_int_equal(syn->h.mss, 1460);
	assert_false(syn->h.has_wscale);
	assert_false(syn->h.sack_perm);
	assert_false(syn->h.has_ts);
	assert_int_equal(syn->h.doff, 6);
	assert_non_null(th_event(h, WW_EV_STATE, "CLOSED → SYN-SENT"));

	struct ww_tcp t = syn_from(80, c->lport, PEER_ISS);
	t.flags |= WW_TCP_ACK;
	t.ack = c->iss + 1;
	h->now += 10 * MS;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	assert_non_null(th_event(h, WW_EV_STATE, "SYN-SENT → ESTABLISHED"));
	const struct th_seg *ack = th_last(h);
	assert_int_equal(ack->h.flags, WW_TCP_ACK);
	assert_int_equal(ack->h.seq, c->iss + 1);
	assert_int_equal(ack->h.ack, PEER_ISS + 1);
	assert_int_equal(ack->h.window, 65535);
	assert_int_equal(ack->h.doff, 5);
	assert_int_equal(c->snd_una, c->iss + 1);
	assert_int_equal(c->rcv_nxt, PEER_ISS + 1);
	assert_int_equal(c->snd_wnd, 64240);
	assert_int_equal(c->smss, 1460);
	/* RFC 5681 §3.1: 3 segments for an SMSS of 1460. */
	assert_int_equal(c->cwnd, 3 * 1460);
	/* RFC 6298 (2.2): SRTT = R, RTTVAR = R/2; RTO floored by rto_min. */
	assert_int_equal(c->srtt, 10 * MS);
	assert_int_equal(c->rttvar, 5 * MS);
	assert_int_equal(c->rto, 200 * MS);
	assert_int_equal(c->rto_at, 0);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.connects"), 1);
	th_free(h);
}

static void test_handshake_all_options(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.opt_wscale = s.opt_sack = s.opt_ts = true;
	s.rcvbuf = 262144;
	struct th *h = th_new(&s);
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	const struct th_seg *syn = th_last(h);
	assert_true(syn->h.has_mss && syn->h.has_wscale && syn->h.sack_perm && syn->h.has_ts);
	/* 262144 >> 3 fits 16 bits; >> 2 does not. */
	assert_int_equal(syn->h.wscale, 3);
	assert_int_equal(syn->h.tsecr, 0);
	assert_int_equal(syn->h.window, 65535);
	/* Laid out as Linux does: MSS, SACK-permitted + TS, NOP + WS. */
	static const uint8_t want[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10 };
	assert_memory_equal(syn->h.options, want, sizeof want);
	assert_int_equal(syn->h.doff, 10);

	struct ww_tcp t = syn_from(80, c->lport, PEER_ISS);
	t.flags |= WW_TCP_ACK;
	t.ack = c->iss + 1;
	t.has_wscale = true;
	t.wscale = 7;
	t.sack_perm = true;
	t.has_ts = true;
	t.tsval = 5555;
	t.tsecr = syn->h.tsval;
	t.window = 502;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	assert_true(c->ws_ok && c->sack_ok && c->ts_ok);
	assert_int_equal(c->snd_wscale, 7);
	assert_int_equal(c->rcv_wscale, 3);
	/* The SYN-ACK's window is not scaled. */
	assert_int_equal(c->snd_wnd, 502);
	/* 12 bytes of timestamps come out of every segment. */
	assert_int_equal(c->smss, 1448);
	assert_int_equal(c->ts_recent, 5555);
	const struct th_seg *ack = th_last(h);
	assert_true(ack->h.has_ts);
	assert_int_equal(ack->h.tsecr, 5555);
	/* Our window, scaled by 3: 262144 bytes offered. */
	assert_int_equal(ack->h.window, 262144 >> 3);
	/* A window update from the peer is scaled by its 7. */
	t = th_hdr(h, c, WW_TCP_ACK, 0, 0);
	t.window = 1000;
	t.has_ts = true;
	t.tsval = 5556;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->snd_wnd, 1000 << 7);
	th_free(h);
}

static void test_options_need_both_sides(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.opt_wscale = s.opt_sack = s.opt_ts = true;
	struct th *h = th_new(&s);
	/* The peer answers with MSS only: nothing else is used. */
	struct ww_tcb *c = th_connect(h);
	assert_false(c->ws_ok);
	assert_false(c->sack_ok);
	assert_false(c->ts_ok);
	assert_int_equal(c->rcv_wscale, 0);
	assert_int_equal(c->smss, 1460);
	assert_false(th_last(h)->h.has_ts);
	th_free(h);
}

static void test_no_mss_option(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.opt_mss = false;
	struct th *h = th_new(&s);
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	assert_false(th_last(h)->h.has_mss);
	assert_int_equal(th_last(h)->h.doff, 5);
	/* The peer sends no MSS either: RFC 9293 §3.7.1 says 536. */
	struct ww_tcp t = syn_from(80, c->lport, PEER_ISS);
	t.has_mss = false;
	t.flags |= WW_TCP_ACK;
	t.ack = c->iss + 1;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->smss, 536);
	assert_int_equal(c->cwnd, 4 * 536);
	th_free(h);
}

static void test_syn_backoff_and_connect_timeout(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	uint64_t t0 = h->now;
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	assert_int_equal(h->nout, 1);
	/* RFC 6298 (2.1): the first RTO is 1 s; then 2 s, 4 s, ... */
	th_advance(h, 999 * MS);
	assert_int_equal(h->nout, 1);
	th_advance(h, 1 * MS);
	assert_int_equal(h->nout, 2);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_SYN);
	assert_int_equal(th_last(h)->h.seq, c->iss);
	assert_int_equal(c->rto, 2 * SEC);
	assert_non_null(th_event(h, WW_EV_INFO,
				 "no answer to our SYN: sent again; next timeout in 2000 ms"));
	th_advance(h, 2 * SEC);
	assert_int_equal(h->nout, 3);
	th_advance(h, 4 * SEC);
	assert_int_equal(h->nout, 4);
	assert_int_equal(h->now - t0, 7 * SEC);
	/* The connect timeout (10 s) comes before the next SYN (15 s). */
	th_advance(h, 3 * SEC - 1);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	th_advance(h, 1);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_TIMEOUT);
	assert_non_null(th_event(h, WW_EV_STATE, "SYN-SENT → CLOSED (connection timed out)"));
	assert_int_equal(h->nout, 4);
	assert_int_equal(ww_tcp_next_deadline(h->host), UINT64_MAX);
	/* A SYN retransmitted is never timed (Karn): the SYN-ACK to a late
	 * connection would say nothing true of the round trip. */
	th_free(h);
}

static void test_refused(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 81, 0, h->now);
	/* A RST that does not acknowledge our SYN is no answer to it. */
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = 81;
	t.dport = c->lport;
	t.flags = WW_TCP_RST | WW_TCP_ACK;
	t.ack = c->iss + 7;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	t.flags = WW_TCP_RST;
	t.ack = 0;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	assert_int_equal(h->nout, 1); /* never a RST for a RST */
	/* What a closed port answers: RST, ACK = ISS + 1. */
	t.flags = WW_TCP_RST | WW_TCP_ACK;
	t.ack = c->iss + 1;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_REFUSED);
	assert_non_null(th_event(h, WW_EV_STATE, "SYN-SENT → CLOSED (connection refused)"));
	assert_int_equal(ww_tcp_next_deadline(h->host), UINT64_MAX);
	th_free(h);
}

static void test_syn_sent_bad_ack_draws_rst(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	/* An ACK of something we never sent (an old connection's segment):
	 * RFC 9293 §3.10.7.3, <SEQ=SEG.ACK><CTL=RST>, and wait on. */
	struct ww_tcp t = syn_from(80, c->lport, PEER_ISS);
	t.flags = WW_TCP_SYN | WW_TCP_ACK;
	t.ack = c->iss + 5000;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	const struct th_seg *r = th_last(h);
	assert_int_equal(r->h.flags, WW_TCP_RST);
	assert_int_equal(r->h.seq, c->iss + 5000);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.rst_sent"), 1);
	/* A segment with neither SYN nor RST is dropped in SYN-SENT. */
	size_t n = h->nout;
	t.flags = WW_TCP_ACK;
	t.ack = c->iss + 1;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	assert_int_equal(h->nout, n);
	th_free(h);
}

static void test_simultaneous_open(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = ww_tcp_connect(h->host, PEER_IP, 5000, 5001, h->now);
	/* The peer's SYN crosses ours (RFC 9293 figure 7). */
	struct ww_tcp t = syn_from(5000, 5001, PEER_ISS);
	th_input(h, PEER_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_SYN_RECEIVED);
	assert_non_null(th_event(h, WW_EV_STATE, "SYN-SENT → SYN-RECEIVED"));
	const struct th_seg *sa = th_last(h);
	assert_int_equal(sa->h.flags, WW_TCP_SYN | WW_TCP_ACK);
	assert_int_equal(sa->h.seq, c->iss);
	assert_int_equal(sa->h.ack, PEER_ISS + 1);
	assert_true(sa->h.has_mss);
	/* Its SYN-ACK, acknowledging our SYN, completes it. */
	t.flags = WW_TCP_SYN | WW_TCP_ACK;
	t.ack = c->iss + 1;
	size_t n = h->nout;
	th_input(h, PEER_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	assert_int_equal(c->snd_una, c->iss + 1);
	assert_int_equal(h->nout, n); /* no challenge ACK, no RST */
	th_free(h);
}

static void test_simultaneous_open_plain_ack(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = ww_tcp_connect(h->host, PEER_IP, 5000, 5001, h->now);
	struct ww_tcp t = syn_from(5000, 5001, PEER_ISS);
	th_input(h, PEER_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_SYN_RECEIVED);
	/* The SYN-ACK is retransmitted by the timer while nothing comes. */
	th_advance(h, 1 * SEC);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_SYN | WW_TCP_ACK);
	th_rx(h, c, WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	th_free(h);
}

/* ---- passive open ---------------------------------------------------------- */

static void test_listen_accept(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	assert_int_equal(ww_tcp_listen(h->host, 8080), 0);
	assert_int_equal(ww_tcp_listen(h->host, 8080), -1);
	assert_true(ww_tcp_listening(h->host, 8080));
	/* curl's SYN offers everything; we answer with MSS only. */
	struct ww_tcp t = syn_from(51000, 8080, PEER_ISS);
	t.has_wscale = true;
	t.wscale = 7;
	t.sack_perm = true;
	t.has_ts = true;
	t.tsval = 77;
	th_input(h, PEER_IP, &t, NULL, 0);
	struct ww_tcb *c = ww_tcp_at(h->host, 0);
	assert_non_null(c);
	assert_true(c->passive);
	assert_int_equal(c->state, WW_TCPS_SYN_RECEIVED);
	assert_int_equal(c->lport, 8080);
	assert_int_equal(c->rport, 51000);
	assert_int_equal(c->rip, PEER_IP);
	assert_non_null(th_event(h, WW_EV_STATE, "LISTEN → SYN-RECEIVED"));
	const struct th_seg *sa = th_last(h);
	assert_int_equal(sa->dst, PEER_IP);
	assert_int_equal(sa->h.flags, WW_TCP_SYN | WW_TCP_ACK);
	assert_int_equal(sa->h.seq, c->iss);
	assert_int_equal(sa->h.ack, PEER_ISS + 1);
	assert_true(sa->h.has_mss);
	assert_false(sa->h.has_wscale || sa->h.sack_perm || sa->h.has_ts);
	assert_null(ww_tcp_accept(h->host, 8080)); /* not established yet */
	/* The peer's SYN again (our SYN-ACK lost): the SYN-ACK again. */
	th_input(h, PEER_IP, &t, NULL, 0);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_SYN | WW_TCP_ACK);
	assert_int_equal(th_last(h)->h.seq, c->iss);
	th_rx(h, c, WW_TCP_ACK, 0, 1, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	assert_false(c->ws_ok || c->sack_ok || c->ts_ok);
	assert_ptr_equal(ww_tcp_accept(h->host, 8080), c);
	assert_null(ww_tcp_accept(h->host, 8080));
	assert_int_equal(ww_tcp_counter(h->host, "tcp.accepts"), 1);
	/* The listener stays for the next. */
	t.sport = 51001;
	th_input(h, PEER_IP, &t, NULL, 0);
	struct ww_tcb *c2 = ww_tcp_at(h->host, 1);
	assert_non_null(c2);
	assert_int_equal(c2->state, WW_TCPS_SYN_RECEIVED);
	assert_int_equal(ww_tcp_unlisten(h->host, 8080), 0);
	assert_false(ww_tcp_listening(h->host, 8080));
	th_free(h);
}

static void test_listen_options_when_enabled(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.opt_wscale = s.opt_sack = s.opt_ts = true;
	struct th *h = th_new(&s);
	ww_tcp_listen(h->host, 8080);
	struct ww_tcp t = syn_from(51000, 8080, PEER_ISS);
	t.sack_perm = true; /* only SACK: only SACK comes back */
	th_input(h, PEER_IP, &t, NULL, 0);
	const struct th_seg *sa = th_last(h);
	assert_true(sa->h.sack_perm);
	assert_false(sa->h.has_wscale);
	assert_false(sa->h.has_ts);
	th_free(h);
}

static void test_syn_received_rst_and_bad_ack(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_listen(h->host, 8080);
	struct ww_tcp t = syn_from(51000, 8080, PEER_ISS);
	th_input(h, PEER_IP, &t, NULL, 0);
	struct ww_tcb *c = ww_tcp_at(h->host, 0);
	/* An ACK that acknowledges nothing of ours: RST <SEQ=SEG.ACK>. */
	th_rx(h, c, WW_TCP_ACK, 0, 100, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_SYN_RECEIVED);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_RST);
	assert_int_equal(th_last(h)->h.seq, c->iss + 100);
	/* RST at RCV.NXT: back to listening (this connection goes). */
	th_rx(h, c, WW_TCP_RST, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_true(ww_tcp_listening(h->host, 8080));
	th_free(h);
}

static void test_syn_received_timeout(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_listen(h->host, 8080);
	struct ww_tcp t = syn_from(51000, 8080, PEER_ISS);
	th_input(h, PEER_IP, &t, NULL, 0);
	struct ww_tcb *c = ww_tcp_at(h->host, 0);
	th_advance(h, 1 * SEC);
	assert_int_equal(h->nout, 2);
	assert_non_null(th_event(h, WW_EV_INFO, "no answer to our SYN-ACK"));
	th_advance(h, 9 * SEC);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_TIMEOUT);
	th_free(h);
}

static void test_backlog_full(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_listen(h->host, 8080);
	for (uint16_t i = 0; i < 17; i++) {
		struct ww_tcp t = syn_from((uint16_t)(40000 + i), 8080, PEER_ISS + i);
		th_input(h, PEER_IP, &t, NULL, 0);
	}
	assert_int_equal(h->nout, 16);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.backlog_full"), 1);
	th_free(h);
}

/* ---- segments for nobody, broken segments ------------------------------------- */

static void test_no_connection_not_answered(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcp t = syn_from(40000, 9999, 1234);
	th_input(h, WEB_IP, &t, NULL, 0);
	t.flags = WW_TCP_SYN | WW_TCP_ACK;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(h->nout, 0);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.no_connection"), 2);
	const char *e = th_event(h, WW_EV_INFO, "no connection here");
	assert_non_null(e);
	assert_non_null(strstr(e, "TCP [SYN, ACK] 192.0.2.10:40000 > 192.168.1.5:9999"));
	assert_non_null(strstr(e, "not answered (set tcp.rst on"));
	/* An ACK to a listening port with no connection: the same. */
	ww_tcp_listen(h->host, 8080);
	t.dport = 8080;
	t.flags = WW_TCP_ACK;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(h->nout, 0);
	th_free(h);
}

static void test_no_connection_rst_on(void **state)
{
	(void)state;
	struct ww_tcp_settings s;
	ww_tcp_settings_default(&s);
	s.rst = true;
	struct th *h = th_new(&s);
	/* RFC 9293 §3.10.7.1: no ACK in it → <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
	struct ww_tcp t = syn_from(40000, 9999, 1234);
	th_input(h, WEB_IP, &t, "abc", 3);
	const struct th_seg *r = th_last(h);
	assert_int_equal(r->dst, WEB_IP);
	assert_int_equal(r->h.sport, 9999);
	assert_int_equal(r->h.dport, 40000);
	assert_int_equal(r->h.flags, WW_TCP_RST | WW_TCP_ACK);
	assert_int_equal(r->h.seq, 0);
	assert_int_equal(r->h.ack, 1234 + 3 + 1);
	/* With an ACK → <SEQ=SEG.ACK><CTL=RST> */
	t.flags = WW_TCP_ACK;
	t.ack = 0xdeadbeef;
	th_input(h, WEB_IP, &t, NULL, 0);
	r = th_last(h);
	assert_int_equal(r->h.flags, WW_TCP_RST);
	assert_int_equal(r->h.seq, 0xdeadbeef);
	/* Never a RST for a RST. */
	t.flags = WW_TCP_RST;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(h->nout, 2);
	assert_non_null(th_event(h, WW_EV_INFO, "answered with RST"));
	th_free(h);
}

static void test_bad_checksum_and_malformed(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	uint8_t seg[40];
	struct ww_tcp t = th_hdr(h, c, WW_TCP_ACK, 0, 0);
	ww_tcp_emit(&t, WEB_IP, OUR_IP, seg, 24);
	memcpy(seg + 20, "data", 4);
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = WEB_IP;
	ip.dst = OUR_IP;
	size_t n = h->nout;
	ww_tcp_input(h->host, &ip, seg, 24, h->now);
	assert_int_equal(h->nout, n);
	assert_int_equal(c->rcv_nxt, PEER_ISS + 1);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.bad_checksum"), 1);
	assert_non_null(th_event(h, WW_EV_FRAME_DROPPED, ", should be 0x"));
	seg[12] = 0x40; /* data offset 4 */
	ww_tcp_input(h->host, &ip, seg, 24, h->now);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.malformed"), 1);
	ww_tcp_input(h->host, &ip, seg, 10, h->now);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.malformed"), 2);
	th_free(h);
}

/* ---- RST and SYN on an established connection (RFC 5961) ------------------------ */

static void test_rst_exact_resets(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	th_rx(h, c, WW_TCP_RST, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_CLOSED);
	assert_int_equal(c->error, WW_TCPE_RESET);
	assert_non_null(th_event(h, WW_EV_STATE, "ESTABLISHED → CLOSED (connection reset by peer)"));
	assert_int_equal(ww_tcp_send(c, (const uint8_t *)"x", 1, h->now), -1);
	th_free(h);
}

static void test_rst_in_window_challenge(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	size_t n = h->nout;
	th_rx(h, c, WW_TCP_RST, 100, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_ACK);
	assert_int_equal(th_last(h)->h.ack, c->rcv_nxt);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.challenge_acks"), 1);
	assert_non_null(th_event(h, WW_EV_INFO, "RST with seq 101, not RCV.NXT 1"));
	/* Outside the window: not even an answer. */
	th_rx(h, c, WW_TCP_RST, 100000, 0, NULL, 0);
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	th_free(h);
}

static void test_syn_on_established_challenge(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	th_rx(h, c, WW_TCP_SYN, 0, 0, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	assert_int_equal(th_last(h)->h.flags, WW_TCP_ACK);
	assert_int_equal(ww_tcp_counter(h->host, "tcp.challenge_acks"), 1);
	th_free(h);
}

static void test_ack_of_unsent_data(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *c = th_connect(h);
	size_t n = h->nout;
	th_rx(h, c, WW_TCP_ACK, 0, 500, "hi", 2);
	/* Dropped with an ACK: the data is not taken. */
	assert_int_equal(h->nout, n + 1);
	assert_int_equal(c->rcv_nxt, PEER_ISS + 1);
	assert_int_equal(c->snd_una, c->iss + 1);
	th_free(h);
}

static void test_connections_numbered_and_ports(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	struct ww_tcb *a = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	struct ww_tcb *b = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	assert_int_equal(a->id, 1);
	assert_int_equal(b->id, 2);
	assert_int_not_equal(a->lport, b->lport);
	assert_ptr_equal(ww_tcp_find(h->host, 2), b);
	assert_ptr_equal(ww_tcp_at(h->host, 0), a);
	assert_null(ww_tcp_at(h->host, 2));
	/* The same four-tuple twice is refused. */
	assert_null(ww_tcp_connect(h->host, WEB_IP, 80, a->lport, h->now));
	assert_non_null(th_event(h, WW_EV_ERROR, "exists already"));
	/* The ISNs differ (RFC 6528): a clock plus a keyed hash. */
	assert_int_not_equal(a->iss, b->iss);
	ww_tcp_host_next_iss(h->host, 1000);
	struct ww_tcb *d = ww_tcp_connect(h->host, WEB_IP, 443, 0, h->now);
	assert_int_equal(d->iss, 1000);
	assert_int_equal(th_last(h)->h.seq, 1000);
	th_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_default_mss_only),
		cmocka_unit_test(test_handshake_all_options),
		cmocka_unit_test(test_options_need_both_sides),
		cmocka_unit_test(test_no_mss_option),
		cmocka_unit_test(test_syn_backoff_and_connect_timeout),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_syn_sent_bad_ack_draws_rst),
		cmocka_unit_test(test_simultaneous_open),
		cmocka_unit_test(test_simultaneous_open_plain_ack),
		cmocka_unit_test(test_listen_accept),
		cmocka_unit_test(test_listen_options_when_enabled),
		cmocka_unit_test(test_syn_received_rst_and_bad_ack),
		cmocka_unit_test(test_syn_received_timeout),
		cmocka_unit_test(test_backlog_full),
		cmocka_unit_test(test_no_connection_not_answered),
		cmocka_unit_test(test_no_connection_rst_on),
		cmocka_unit_test(test_bad_checksum_and_malformed),
		cmocka_unit_test(test_rst_exact_resets),
		cmocka_unit_test(test_rst_in_window_challenge),
		cmocka_unit_test(test_syn_on_established_challenge),
		cmocka_unit_test(test_ack_of_unsent_data),
		cmocka_unit_test(test_connections_numbered_and_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
