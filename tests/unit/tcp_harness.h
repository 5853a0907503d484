/* The TCP on its own, for the connection tests: every segment it sends is
 * kept (parsed back, its checksum checked), every event kept, the clock
 * a number the test moves. Segments to feed it are built relative to a
 * connection, after lwIP's tcp_create_rx_segment: the sequence number is
 * RCV.NXT plus an offset, the acknowledgment SND.UNA plus an offset. */
#ifndef WW_TEST_TCP_HARNESS_H
#define WW_TEST_TCP_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ww/checksum.h"
#include "ww/cursor.h"
#include "ww/ipv4.h"
#include "ww/stack.h"
#include "ww/tcp.h"
#include "ww/tcpconn.h"

#define MS 1000000ull
#define SEC 1000000000ull

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define OUR_IP IP4(192, 168, 1, 5)
#define WEB_IP IP4(192, 0, 2, 10)
#define PEER_IP IP4(192, 168, 1, 7)
#define PEER_ISS 1000000u

#define TH_MAX_OUT 512
#define TH_MAX_EV 256
#define TH_MAX_DATA 1600

struct th_seg {
	struct ww_tcp h;
	uint32_t dst;
	uint32_t len;             /* data bytes */
	uint8_t data[TH_MAX_DATA];
};

struct th_event {
	enum ww_event_type type;
	char reason[40];
	char text[320];
};

struct th {
	struct ww_tcp_host *host;
	uint64_t now;
	struct th_seg out[TH_MAX_OUT];
	size_t nout;
	struct th_event ev[TH_MAX_EV];
	size_t nev;
	uint16_t peer_win;        /* the window the built segments offer */
	bool refuse;              /* the output refuses (the link is down) */
};

static inline int th_output(void *arg, uint32_t dst, const uint8_t *seg, size_t len, uint64_t now)
{
	(void)now;
	struct th *h = arg;
	/* Every segment leaves with a right checksum. */
	assert_int_equal(ww_l4_csum(OUR_IP, dst, WW_IPPROTO_TCP, seg, len), 0);
	if (h->refuse)
		return -1;
	assert_true(h->nout < TH_MAX_OUT);
	struct th_seg *s = &h->out[h->nout++];
	struct ww_cursor c;
	ww_cur_init(&c, seg, len, 0);
	assert_int_equal(ww_tcp_parse(&c, &s->h), 0);
	s->dst = dst;
	s->len = (uint32_t)ww_cur_left(&c);
	assert_true(s->len <= TH_MAX_DATA);
	memcpy(s->data, ww_cur_here(&c), s->len);
	return 0;
}

static inline void th_event_fn(void *arg, const struct ww_event *e)
{
	struct th *h = arg;
	assert_non_null(e->text);
	if (h->nev == TH_MAX_EV)
		return;
	struct th_event *t = &h->ev[h->nev++];
	t->type = e->type;
	snprintf(t->reason, sizeof t->reason, "%s", e->reason ? e->reason : "");
	snprintf(t->text, sizeof t->text, "%s", e->text);
}

/* A TCP with settings S (NULL: the defaults), the clock at 1 s. */
static inline struct th *th_new(const struct ww_tcp_settings *s)
{
	struct th *h = calloc(1, sizeof *h);
	assert_non_null(h);
	struct ww_tcp_env env = {
		.ip = OUR_IP, .mtu = 1500, .output = th_output, .output_arg = h,
		.ev = th_event_fn, .ev_arg = h, .seed = 42,
	};
	h->host = ww_tcp_host_new(&env, s);
	assert_non_null(h->host);
	h->now = SEC;
	h->peer_win = 64240;
	return h;
}

static inline void th_free(struct th *h)
{
	ww_tcp_host_free(h->host);
	free(h);
}

static inline void th_clear(struct th *h)
{
	h->nout = 0;
	h->nev = 0;
}

static inline const struct th_seg *th_last(const struct th *h)
{
	assert_true(h->nout > 0);
	return &h->out[h->nout - 1];
}

/* The text of the last event of TYPE containing NEEDLE, or NULL. */
static inline const char *th_event(const struct th *h, enum ww_event_type type, const char *needle)
{
	for (size_t i = h->nev; i-- > 0;)
		if (h->ev[i].type == type && strstr(h->ev[i].text, needle))
			return h->ev[i].text;
	return NULL;
}

/* Move the clock by NS, running every timer that falls due on the way,
 * in order. */
static inline void th_advance(struct th *h, uint64_t ns)
{
	uint64_t until = h->now + ns;
	for (;;) {
		uint64_t d = ww_tcp_next_deadline(h->host);
		if (d > until)
			break;
		if (d > h->now)
			h->now = d;
		ww_tcp_poll(h->host, h->now);
	}
	h->now = until;
}

/* Feed a segment with header T (ports, flags, numbers, options as set)
 * and DATA from SRC. */
static inline void th_input(struct th *h, uint32_t src, struct ww_tcp *t, const void *data,
			    size_t len)
{
	static uint8_t seg[WW_TCP_MAX_HLEN + 70000];
	size_t hlen = ww_tcp_header_len(t);
	if (len)
		memcpy(seg + hlen, data, len);
	assert_true(ww_tcp_emit(t, src, OUR_IP, seg, hlen + len) > 0);
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = src;
	ip.dst = OUR_IP;
	ip.proto = WW_IPPROTO_TCP;
	ww_tcp_input(h->host, &ip, seg, hlen + len, h->now);
}

/* A header from C's peer: sequence RCV.NXT + SEQ_OFF, ACK SND.UNA +
 * ACK_OFF (when FLAGS has ACK), the harness's window. */
static inline struct ww_tcp th_hdr(const struct th *h, const struct ww_tcb *c, uint16_t flags,
				   int32_t seq_off, int32_t ack_off)
{
	struct ww_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = c->rport;
	t.dport = c->lport;
	t.seq = c->rcv_nxt + (uint32_t)seq_off;
	t.ack = (flags & WW_TCP_ACK) ? c->snd_una + (uint32_t)ack_off : 0;
	t.flags = flags;
	t.window = h->peer_win;
	return t;
}

/* lwIP's tcp_create_rx_segment: DATA from C's peer at RCV.NXT + SEQ_OFF,
 * acknowledging SND.UNA + ACK_OFF. */
static inline void th_rx(struct th *h, struct ww_tcb *c, uint16_t flags, int32_t seq_off,
			 int32_t ack_off, const void *data, size_t len)
{
	struct ww_tcp t = th_hdr(h, c, flags, seq_off, ack_off);
	th_input(h, c->rip, &t, data, len);
}

/* An ACK of everything sent so far, from C's peer. */
static inline void th_ack_all(struct th *h, struct ww_tcb *c)
{
	th_rx(h, c, WW_TCP_ACK, 0, (int32_t)(c->snd_max - c->snd_una), NULL, 0);
}

/* Bytes 0..LEN-1 of a known pattern, starting at OFF. */
static inline void th_pattern(uint8_t *p, size_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)((off + i) % 251);
}

/* Active open to WEB_IP:80, answered with a SYN-ACK carrying PEER_OPTS'
 * options (NULL: MSS 1460 only): the connection, ESTABLISHED. */
static inline struct ww_tcb *th_connect_opts(struct th *h, const struct ww_tcp *peer_opts)
{
	struct ww_tcb *c = ww_tcp_connect(h->host, WEB_IP, 80, 0, h->now);
	assert_non_null(c);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	const struct th_seg *syn = th_last(h);
	assert_int_equal(syn->h.flags, WW_TCP_SYN);
	assert_int_equal(syn->h.seq, c->iss);
	struct ww_tcp t;
	if (peer_opts) {
		t = *peer_opts;
	} else {
		memset(&t, 0, sizeof t);
		t.has_mss = true;
		t.mss = 1460;
	}
	t.sport = 80;
	t.dport = c->lport;
	t.seq = PEER_ISS;
	t.ack = c->iss + 1;
	t.flags = WW_TCP_SYN | WW_TCP_ACK;
	t.window = h->peer_win;
	h->now += 10 * MS;
	th_input(h, WEB_IP, &t, NULL, 0);
	assert_int_equal(c->state, WW_TCPS_ESTABLISHED);
	const struct th_seg *ack = th_last(h);
	assert_int_equal(ack->h.flags, WW_TCP_ACK);
	assert_int_equal(ack->h.seq, c->iss + 1);
	assert_int_equal(ack->h.ack, PEER_ISS + 1);
	return c;
}

static inline struct ww_tcb *th_connect(struct th *h)
{
	return th_connect_opts(h, NULL);
}

#endif
