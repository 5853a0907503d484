/* The TCP of this host: its table of connections and listeners, the
 * calls a user of a connection makes (OPEN, SEND, RECEIVE, CLOSE, ABORT
 * of RFC 9293 §3.10), the demultiplexing of segments coming in, the
 * counters, the events and the trace a ladder diagram is drawn from. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"
#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/cursor.h"

/* Same order as enum tcp_ctr. */
static const struct ww_counter_info counters[T_COUNT] = {
	{ "tcp.bad_checksum", "TCP checksum wrong", true },
	{ "tcp.malformed", "TCP header truncated or invalid (data offset, options)", true },
	{ "tcp.not_for_us", "TCP segment to a broadcast address", true },
	{ "tcp.out_of_window", "segment outside the receive window: answered with an ACK", true },
	{ "tcp.paws", "segment with an old timestamp (RFC 7323 PAWS)", true },
	{ "tcp.backlog_full", "SYN to a listener with too many connections waiting", true },
	{ "tcp.segments_in", "TCP segments received", false },
	{ "tcp.segments_out", "TCP segments sent", false },
	{ "tcp.no_connection", "segments for no connection: shown, answered only with tcp.rst on",
	  false },
	{ "tcp.rst_sent", "RST segments sent", false },
	{ "tcp.rst_received", "RST segments that closed a connection", false },
	{ "tcp.challenge_acks", "challenge ACKs for a doubtful RST or SYN (RFC 5961)", false },
	{ "tcp.retransmits", "segments sent again", false },
	{ "tcp.fast_retransmits", "retransmissions after three duplicate ACKs", false },
	{ "tcp.timeouts", "retransmission timer expiries", false },
	{ "tcp.dup_acks", "duplicate ACKs received", false },
	{ "tcp.out_of_order", "segments received beyond a gap and held", false },
	{ "tcp.duplicates", "segments whose data had been received already", false },
	{ "tcp.connects", "connections opened by us", false },
	{ "tcp.accepts", "connections opened by a peer to a listener", false },
	{ "tcp.probes", "zero-window probes sent", false },
};

const struct ww_counter_info *ww_tcp_counter_info(size_t i)
{
	return i < T_COUNT ? &counters[i] : NULL;
}

uint64_t ww_tcp_counter_value(const struct ww_tcp_host *h, size_t i)
{
	return i < T_COUNT ? h->ctr[i] : 0;
}

uint64_t ww_tcp_counter(const struct ww_tcp_host *h, const char *name)
{
	for (size_t i = 0; i < T_COUNT; i++)
		if (strcmp(counters[i].name, name) == 0)
			return h->ctr[i];
	return UINT64_MAX;
}

const char *tcp_ctr_name(enum tcp_ctr c)
{
	return counters[c].name;
}

const char *ww_tcp_state_name(enum ww_tcp_state s)
{
	static const char *const names[] = {
		"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
		"FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
	};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *ww_tcp_error_str(enum ww_tcp_error e)
{
	switch (e) {
	case WW_TCPE_NONE: return "closed";
	case WW_TCPE_REFUSED: return "connection refused";
	case WW_TCPE_RESET: return "connection reset by peer";
	case WW_TCPE_TIMEOUT: return "connection timed out";
	case WW_TCPE_ABORTED: return "connection aborted";
	case WW_TCPE_UNREACHABLE: return "destination unreachable";
	}
	return "?";
}

void ww_tcp_settings_default(struct ww_tcp_settings *s)
{
	*s = (struct ww_tcp_settings){
		.opt_mss = true,
		.rcvbuf = WW_TCP_DEFAULT_RCVBUF,
		.sndbuf = WW_TCP_DEFAULT_SNDBUF,
		.nagle = true,
		.rto_min_ms = 200,
		.rto_max_ms = 60000,
		.rto_initial_ms = 1000,
		.time_wait_ms = 1000,
		.connect_timeout_ms = 10000,
		.delack_ms = 40,
		.max_retries = 12,
	};
}

/* ---- events ------------------------------------------------------------------ */

static void vevent(struct ww_tcp_host *h, enum ww_event_type type, uint64_t now,
		   const char *reason, const char *prefix, const char *fmt, va_list ap)
{
	if (!h->env.ev)
		return;
	char text[320];
	int n = snprintf(text, sizeof text, "%s", prefix);
	if (n < 0 || (size_t)n >= sizeof text)
		n = 0;
	vsnprintf(text + n, sizeof text - (size_t)n, fmt, ap);
	struct ww_event e = { .type = type, .now_ns = now, .reason = reason, .text = text };
	h->env.ev(h->env.ev_arg, &e);
}

void tcp_event(struct ww_tcp_host *h, enum ww_event_type type, uint64_t now, const char *reason,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vevent(h, type, now, reason, "", fmt, ap);
	va_end(ap);
}

void tcp_conn_event(struct ww_tcb *c, enum ww_event_type type, uint64_t now, const char *reason,
		    const char *fmt, ...)
{
	char prefix[24];
	snprintf(prefix, sizeof prefix, "TCP %u: ", c->id);
	va_list ap;
	va_start(ap, fmt);
	vevent(c->host, type, now, reason, prefix, fmt, ap);
	va_end(ap);
}

char *tcp_conn_name(const struct ww_tcb *c, char *buf, size_t len)
{
	char l[16], r[16];
	snprintf(buf, len, "%s:%u > %s:%u", ww_ipv4_str(c->lip, l), c->lport,
		 ww_ipv4_str(c->rip, r), c->rport);
	return buf;
}

void tcp_notify(struct ww_tcb *c, uint64_t now)
{
	if (c->notify)
		c->notify(c->notify_arg, c, now);
}

/* ---- the trace ----------------------------------------------------------------- */

struct ww_tcp_trace *tcp_trace_add(struct ww_tcb *c, const struct ww_tcp_trace *t)
{
	if (!c->trace)
		return NULL;
	size_t slot = c->ntrace < WW_TCP_TRACE_HEAD
			      ? (size_t)c->ntrace
			      : WW_TCP_TRACE_HEAD + (size_t)((c->ntrace - WW_TCP_TRACE_HEAD) % WW_TCP_TRACE_TAIL);
	c->trace[slot] = *t;
	c->ntrace++;
	return &c->trace[slot];
}

struct ww_tcp_trace *tcp_trace_seg(struct ww_tcb *c, bool sent, const struct ww_tcp *h,
				   uint32_t len, uint16_t notes, uint64_t now)
{
	/* RFC 7323 §2.2: a SYN's window is never scaled. */
	uint8_t shift = (h->flags & WW_TCP_SYN) ? 0 : sent ? c->rcv_wscale : c->snd_wscale;
	struct ww_tcp_trace t = {
		.t_ns = now, .sent = sent, .state = c->state, .flags = h->flags, .seq = h->seq,
		.ack = h->ack, .len = len, .win = h->window,
		.win_bytes = (uint32_t)h->window << shift, .mss = h->has_mss ? h->mss : 0,
		.wscale = h->has_wscale ? (int8_t)h->wscale : -1, .sack_perm = h->sack_perm,
		.has_ts = h->has_ts, .nsack = h->nsack, .notes = notes,
	};
	for (unsigned i = 0; i < h->nsack && i < 2; i++)
		t.sack[i] = h->sack[i];
	if (h->window == 0 && !(h->flags & WW_TCP_RST))
		t.notes |= WW_TCPN_ZERO_WINDOW;
	return tcp_trace_add(c, &t);
}

const struct ww_tcp_trace *ww_tcp_trace_at(const struct ww_tcb *c, size_t i, uint64_t *skipped)
{
	if (skipped)
		*skipped = 0;
	if (!c->trace)
		return NULL;
	uint64_t n = c->ntrace;
	if (i < WW_TCP_TRACE_HEAD)
		return i < n ? &c->trace[i] : NULL;
	uint64_t tail = n - WW_TCP_TRACE_HEAD; /* entries recorded after the head */
	uint64_t kept = tail < WW_TCP_TRACE_TAIL ? tail : WW_TCP_TRACE_TAIL;
	uint64_t k = i - WW_TCP_TRACE_HEAD;
	if (k >= kept)
		return NULL;
	uint64_t first = tail - kept; /* index (after the head) of the oldest kept */
	if (skipped && k == 0)
		*skipped = first;
	return &c->trace[WW_TCP_TRACE_HEAD + (first + k) % WW_TCP_TRACE_TAIL];
}

/* ---- states ---------------------------------------------------------------------- */

static void set_state(struct ww_tcb *c, enum ww_tcp_state s, uint64_t now, const char *why)
{
	enum ww_tcp_state old = c->state;
	if (old == s)
		return;
	c->state = s;
	if (s == WW_TCPS_ESTABLISHED && !c->established_ns)
		c->established_ns = now;
	struct ww_tcp_trace t = { .t_ns = now, .is_state = true, .state = s };
	tcp_trace_add(c, &t);
	char name[64];
	tcp_conn_name(c, name, sizeof name);
	tcp_event(c->host, WW_EV_STATE, now, NULL, "TCP %u %s: %s → %s%s%s%s", c->id, name,
		  ww_tcp_state_name(old), ww_tcp_state_name(s), why ? " (" : "", why ? why : "",
		  why ? ")" : "");
	tcp_notify(c, now);
}

void tcp_set_state(struct ww_tcb *c, enum ww_tcp_state s, uint64_t now)
{
	set_state(c, s, now, NULL);
}

void tcp_set_closed(struct ww_tcb *c, enum ww_tcp_error e, uint64_t now)
{
	if (c->state == WW_TCPS_CLOSED)
		return;
	c->error = e;
	c->closed_ns = now;
	c->rto_at = c->delack_at = c->persist_at = c->tw_at = c->conn_deadline = 0;
	c->sink = NULL;
	tcp_ring_free(&c->snd);
	tcp_ooo_free(c);
	if (c->host->last_hit == c)
		c->host->last_hit = NULL;
	set_state(c, WW_TCPS_CLOSED, now, e == WW_TCPE_NONE ? NULL : ww_tcp_error_str(e));
}

/* ---- the table ------------------------------------------------------------------- */

uint64_t tcp_random(struct ww_tcp_host *h)
{
	uint64_t hi = ww_rng_u32(&h->rng);
	return hi << 32 | ww_rng_u32(&h->rng);
}

static uint64_t mix(uint64_t x)
{
	x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdull;
	x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, key),
 * M a clock ticking every 4 microseconds, so a new incarnation of a
 * connection starts above the old one's numbers. */
static uint32_t choose_iss(struct ww_tcp_host *h, const struct ww_tcb *c, uint64_t now)
{
	if (h->next_iss_set) {
		h->next_iss_set = false;
		return h->next_iss;
	}
	uint64_t f = mix(h->secret ^ ((uint64_t)c->lip << 32 | c->rip) ^
			 mix((uint64_t)c->lport << 16 | c->rport));
	return (uint32_t)(now / 4000) + (uint32_t)f;
}

struct ww_tcp_host *ww_tcp_host_new(const struct ww_tcp_env *env, const struct ww_tcp_settings *s)
{
	struct ww_tcp_host *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	if (!(h->seg = malloc(TCP_SEG_MAX))) {
		free(h);
		return NULL;
	}
	h->env = *env;
	if (!h->env.mtu)
		h->env.mtu = 1500;
	if (s)
		h->set = *s;
	else
		ww_tcp_settings_default(&h->set);
	ww_rng_init(&h->rng, env->seed);
	h->secret = tcp_random(h);
	h->next_id = 1;
	return h;
}

static void tcb_free(struct ww_tcb *c)
{
	tcp_ring_free(&c->snd);
	tcp_ring_free(&c->rcv);
	tcp_ooo_free(c);
	free(c->trace);
	free(c);
}

void ww_tcp_host_free(struct ww_tcp_host *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < TCP_MAX_CONNS; i++)
		if (h->conns[i])
			tcb_free(h->conns[i]);
	free(h->seg);
	free(h);
}

struct ww_tcp_settings *ww_tcp_host_settings(struct ww_tcp_host *h)
{
	return &h->set;
}

void ww_tcp_host_next_iss(struct ww_tcp_host *h, uint32_t iss)
{
	h->next_iss = iss;
	h->next_iss_set = true;
}

struct ww_tcb *tcp_lookup(struct ww_tcp_host *h, uint32_t lip, uint16_t lport, uint32_t rip,
			  uint16_t rport)
{
	struct ww_tcb *c = h->last_hit;
	if (c && c->lport == lport && c->rport == rport && c->rip == rip && c->lip == lip &&
	    c->state != WW_TCPS_CLOSED)
		return c;
	for (size_t i = 0; i < TCP_MAX_CONNS; i++) {
		c = h->conns[i];
		if (c && c->state != WW_TCPS_CLOSED && c->lport == lport && c->rport == rport &&
		    c->rip == rip && c->lip == lip)
			return h->last_hit = c;
	}
	return NULL;
}

/* A free slot, or the one of the connection closed longest ago. */
static int free_slot(struct ww_tcp_host *h)
{
	int oldest = -1;
	for (int i = 0; i < TCP_MAX_CONNS; i++) {
		struct ww_tcb *c = h->conns[i];
		if (!c)
			return i;
		if (c->state == WW_TCPS_CLOSED &&
		    (oldest < 0 || c->closed_ns < h->conns[oldest]->closed_ns))
			oldest = i;
	}
	if (oldest >= 0) {
		tcb_free(h->conns[oldest]);
		h->conns[oldest] = NULL;
	}
	return oldest;
}

static uint8_t wscale_for(uint32_t buf)
{
	uint8_t s = 0;
	while (s < TCP_MAX_WSCALE && (buf >> s) > 65535)
		s++;
	return s;
}

struct ww_tcb *tcp_tcb_new(struct ww_tcp_host *h, uint32_t rip, uint16_t lport, uint16_t rport,
			   uint64_t now)
{
	int slot = free_slot(h);
	if (slot < 0)
		return NULL;
	struct ww_tcb *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->trace = calloc(WW_TCP_TRACE_HEAD + WW_TCP_TRACE_TAIL, sizeof *c->trace);
	if (!c->trace) {
		free(c);
		return NULL;
	}
	const struct ww_tcp_settings *s = &h->set;
	c->id = h->next_id++;
	c->host = h;
	c->state = WW_TCPS_CLOSED;
	c->lip = h->env.ip;
	c->rip = rip;
	c->lport = lport;
	c->rport = rport;
	c->opened_ns = now;
	c->iss = choose_iss(h, c, now);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->snd_buf_seq = c->iss + 1;
	c->recover = c->iss;
	c->snd_sml = c->iss;
	c->rcvbuf = s->rcvbuf;
	c->offer_mss = s->opt_mss;
	c->rmss = s->mss ? s->mss : (uint16_t)(h->env.mtu - WW_IPV4_HLEN - WW_TCP_HLEN);
	c->ws_ok = s->opt_wscale;
	c->rcv_wscale = s->opt_wscale ? wscale_for(s->rcvbuf) : 0;
	c->sack_ok = s->opt_sack;
	c->ts_ok = s->opt_ts;
	c->ts_offset = (uint32_t)tcp_random(h);
	c->peer_mss = TCP_DEFAULT_MSS;
	c->smss = TCP_DEFAULT_MSS;
	c->rto = (uint64_t)s->rto_initial_ms * MS_NS;
	c->rcv_mss_seen = TCP_DEFAULT_MSS;
	tcp_ring_init(&c->snd, s->sndbuf);
	tcp_ring_init(&c->rcv, s->rcvbuf);
	h->conns[slot] = c;
	return c;
}

unsigned tcp_backlog(const struct ww_tcp_host *h, uint16_t port)
{
	unsigned n = 0;
	for (size_t i = 0; i < TCP_MAX_CONNS; i++) {
		const struct ww_tcb *c = h->conns[i];
		if (c && c->passive && !c->taken && c->lport == port && c->state != WW_TCPS_CLOSED)
			n++;
	}
	return n;
}

/* ---- segments in --------------------------------------------------------------- */

static void no_connection(struct ww_tcp_host *h, struct tcp_seg *s)
{
	char a[16], b[16], fl[48];
	h->ctr[T_NO_CONNECTION]++;
	ww_tcp_flags_str(s->h.flags, fl, sizeof fl);
	ww_ipv4_str(s->src, a);
	ww_ipv4_str(s->dst, b);
	if (h->set.rst && !(s->h.flags & WW_TCP_RST)) {
		tcp_send_rst_for(h, s);
		tcp_event(h, WW_EV_INFO, s->now, tcp_ctr_name(T_NO_CONNECTION),
			  "TCP [%s] %s:%u > %s:%u: no connection here: answered with RST (tcp.rst is on)",
			  fl, a, s->h.sport, b, s->h.dport);
		return;
	}
	tcp_event(h, WW_EV_INFO, s->now, tcp_ctr_name(T_NO_CONNECTION),
		  "TCP [%s] %s:%u > %s:%u: no connection here: not answered (set tcp.rst on to "
		  "answer with RST); it stays in the packet list for sniff",
		  fl, a, s->h.sport, b, s->h.dport);
}

static void bad_checksum(struct ww_tcp_host *h, const struct ww_ipv4 *ip, const uint8_t *seg,
			 size_t len, uint64_t now)
{
	uint32_t sum = ww_pseudo_sum(ip->src, ip->dst, WW_IPPROTO_TCP, (uint16_t)len);
	sum = ww_sum16(seg, 16, sum);
	sum = ww_sum16(seg + 18, len - 18, sum);
	h->ctr[T_BAD_CHECKSUM]++;
	tcp_event(h, WW_EV_FRAME_DROPPED, now, tcp_ctr_name(T_BAD_CHECKSUM),
		  "TCP checksum 0x%04x, should be 0x%04x", ww_get16(seg + 16), ww_csum_finish(sum));
}

void ww_tcp_input(void *host, const struct ww_ipv4 *ip, const uint8_t *seg, size_t len,
		  uint64_t now)
{
	struct ww_tcp_host *h = host;
	h->ctr[T_SEGS_IN]++;
	struct tcp_seg s = { .src = ip->src, .dst = ip->dst, .now = now };
	struct ww_cursor cur;
	ww_cur_init(&cur, seg, len, 0);
	if (ww_tcp_parse(&cur, &s.h) < 0) {
		h->ctr[T_MALFORMED]++;
		tcp_event(h, WW_EV_FRAME_DROPPED, now, tcp_ctr_name(T_MALFORMED), "%s", cur.err.msg);
		return;
	}
	if (ww_l4_csum(ip->src, ip->dst, WW_IPPROTO_TCP, seg, len) != 0) {
		bad_checksum(h, ip, seg, len, now);
		return;
	}
	if (ip->dst != h->env.ip) {
		h->ctr[T_NOT_FOR_US]++;
		tcp_event(h, WW_EV_FRAME_DROPPED, now, tcp_ctr_name(T_NOT_FOR_US),
			  "TCP segment to a broadcast address: TCP is one host to one host");
		return;
	}
	size_t hlen = s.h.doff * 4u;
	s.data = seg + hlen;
	s.len = (uint32_t)(len - hlen);
	s.seq = s.h.seq;
	s.flags = s.h.flags;
	struct ww_tcb *c = tcp_lookup(h, ip->dst, s.h.dport, ip->src, s.h.sport);
	if (c) {
		/* RFC 6191: a new SYN may end a connection resting in
		 * TIME-WAIT when it starts beyond the old numbers. */
		if (c->state == WW_TCPS_TIME_WAIT && (s.flags & WW_TCP_SYN) &&
		    !(s.flags & WW_TCP_ACK) && ww_seq_gt(s.seq, c->rcv_nxt) &&
		    ww_tcp_listening(h, s.h.dport)) {
			tcp_set_closed(c, WW_TCPE_NONE, now);
		} else {
			tcp_input_conn(c, &s);
			return;
		}
	}
	if (ww_tcp_listening(h, s.h.dport) && (s.flags & (WW_TCP_SYN | WW_TCP_ACK | WW_TCP_RST)) ==
						      WW_TCP_SYN) {
		tcp_input_listen(h, s.h.dport, &s);
		return;
	}
	no_connection(h, &s);
}

/* ---- timers ------------------------------------------------------------------- */

void ww_tcp_poll(struct ww_tcp_host *h, uint64_t now)
{
	for (size_t i = 0; i < TCP_MAX_CONNS; i++) {
		struct ww_tcb *c = h->conns[i];
		if (c && c->state != WW_TCPS_CLOSED)
			tcp_timers_poll(c, now);
	}
}

uint64_t ww_tcp_next_deadline(const struct ww_tcp_host *h)
{
	uint64_t t = UINT64_MAX;
	for (size_t i = 0; i < TCP_MAX_CONNS; i++) {
		const struct ww_tcb *c = h->conns[i];
		if (c && c->state != WW_TCPS_CLOSED) {
			uint64_t d = tcp_timers_next(c);
			if (d < t)
				t = d;
		}
	}
	return t;
}
