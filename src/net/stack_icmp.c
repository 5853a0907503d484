/* ICMP in the stack (RFC 792, RFC 1122 §3.2.2): echo requests to us are
 * answered; echo replies and errors are matched to the probes we sent
 * (ping, traceroute); the reassembly timeout's time exceeded goes out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack_int.h"
#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/icmp.h"

const char *ww_probe_state_name(enum ww_probe_state s)
{
	switch (s) {
	case WW_PROBE_FREE: return "free";
	case WW_PROBE_PENDING: return "pending";
	case WW_PROBE_REPLY: return "reply";
	case WW_PROBE_TTL_EXCEEDED: return "ttl-exceeded";
	case WW_PROBE_UNREACHABLE: return "unreachable";
	case WW_PROBE_ERROR: return "error";
	case WW_PROBE_TIMEOUT: return "timeout";
	case WW_PROBE_FAILED: return "failed";
	}
	return "?";
}

static struct ww_probe *probe_lookup(struct ww_stack *st, uint16_t ident, uint16_t seq)
{
	/* Newest first: after the ring wraps, an old ident/seq pair may
	 * still sit in a slot not yet reused. */
	for (size_t k = 1; k <= WW_PROBE_MAX; k++) {
		struct ww_probe *p = &st->probes[(st->probe_next + WW_PROBE_MAX - k) % WW_PROBE_MAX];
		if (p->state != WW_PROBE_FREE && p->ident == ident && p->seq == seq)
			return p;
	}
	return NULL;
}

const struct ww_probe *ww_stack_probe_find(const struct ww_stack *st, uint16_t ident,
					   uint16_t seq)
{
	return probe_lookup((struct ww_stack *)st, ident, seq);
}

uint16_t ww_stack_probe_ident(struct ww_stack *st)
{
	return st->next_ident++;
}

/* Echo data: byte i is i % 256, so a reply's data can be checked. */
static bool echo_data_ok(const uint8_t *data, size_t len, size_t want)
{
	if (len != want)
		return false;
	for (size_t i = 0; i < len; i++)
		if (data[i] != (uint8_t)i)
			return false;
	return true;
}

const struct ww_probe *ww_stack_probe_send(struct ww_stack *st, uint32_t dst, uint16_t ident,
					   uint16_t seq, uint8_t ttl, size_t size,
					   uint64_t timeout_ns, uint64_t now_ns)
{
	st->now = now_ns;
	struct ww_probe *p = &st->probes[st->probe_next];
	st->probe_next = (st->probe_next + 1) % WW_PROBE_MAX;
	*p = (struct ww_probe){
		.state = WW_PROBE_PENDING, .dst = dst, .ident = ident, .seq = seq,
		.ttl = ttl ? ttl : WW_STACK_DEFAULT_TTL, .size = size, .sent_ns = now_ns,
		.deadline_ns = now_ns + timeout_ns,
	};
	if (size > 65535 - WW_IPV4_HLEN - WW_ICMP_HLEN) {
		p->state = WW_PROBE_FAILED;
		st_event(st, WW_EV_ERROR, now_ns, NULL,
			 "%zu bytes of echo data do not fit in one IPv4 datagram (65507 at most)",
			 size);
		return NULL;
	}
	uint8_t *msg = malloc(WW_ICMP_HLEN + size);
	if (!msg) {
		p->state = WW_PROBE_FAILED;
		return NULL;
	}
	for (size_t i = 0; i < size; i++)
		msg[WW_ICMP_HLEN + i] = (uint8_t)i;
	struct ww_icmp h = { .type = WW_ICMP_ECHO_REQUEST, .ident = ident, .seq = seq };
	ww_icmp_emit(&h, msg, WW_ICMP_HLEN + size);
	struct ww_ip_send ip = { .dst = dst, .proto = WW_IPPROTO_ICMP, .ttl = p->ttl };
	/* The probe is in place before the send: a reply to ourselves comes
	 * back inside it. */
	int rc = ww_stack_ip_send(st, &ip, msg, WW_ICMP_HLEN + size, now_ns);
	free(msg);
	if (rc < 0) {
		p->state = WW_PROBE_FAILED;
		return NULL;
	}
	st->ctr[C_ICMP_ECHO_REQUESTS_SENT]++;
	return p;
}

static void answer(struct ww_probe *p, enum ww_probe_state state, const struct st_rx *rx,
		   const struct ww_icmp *h, size_t len, uint64_t now)
{
	p->state = state;
	p->from = rx->ip->src;
	p->rtt_ns = now >= p->sent_ns ? now - p->sent_ns : 0;
	p->icmp_type = h->type;
	p->icmp_code = h->code;
	p->reply_ttl = rx->ip->ttl;
	p->reply_len = len;
	p->reply_frags = rx->nfrags;
}

static void echo_reply_in(struct ww_stack *st, const struct st_rx *rx, const struct ww_icmp *h,
			  const uint8_t *msg, size_t len, uint64_t now)
{
	struct ww_probe *p = probe_lookup(st, h->ident, h->seq);
	if (!p) {
		st_drop(st, C_ICMP_UNMATCHED, now,
			"echo reply id 0x%04x seq %u answers no ping of the stack's (one sent by "
			"hand?)", h->ident, h->seq);
		return;
	}
	st->ctr[C_ICMP_ECHO_REPLIES_RECEIVED]++;
	if (p->state != WW_PROBE_PENDING && p->state != WW_PROBE_TIMEOUT) {
		p->dups++;
		return;
	}
	/* A reply after the timeout still counts (ping prints it, late). */
	answer(p, WW_PROBE_REPLY, rx, h, len, now);
	p->data_ok = echo_data_ok(msg + WW_ICMP_HLEN, len - WW_ICMP_HLEN, p->size);
}

static void send_echo_reply(struct ww_stack *st, const struct st_rx *rx, const struct ww_icmp *h,
			    const uint8_t *msg, size_t len, uint64_t now)
{
	uint8_t *r = malloc(len);
	if (!r)
		return;
	memcpy(r, msg, len);
	struct ww_icmp rh = { .type = WW_ICMP_ECHO_REPLY, .ident = h->ident, .seq = h->seq };
	ww_icmp_emit(&rh, r, len);
	struct ww_ip_send ip = { .dst = rx->ip->src, .proto = WW_IPPROTO_ICMP };
	if (ww_stack_ip_send(st, &ip, r, len, now) >= 0)
		st->ctr[C_ICMP_ECHO_REPLIES_SENT]++;
	free(r);
}

/* An ICMP error: if it quotes one of our echo requests, that probe has its
 * answer (a router's time exceeded is how traceroute learns the path). */
static void error_in(struct ww_stack *st, const struct st_rx *rx, const struct ww_icmp *h,
		     const uint8_t *msg, size_t len, uint64_t now)
{
	st->ctr[C_ICMP_ERRORS_RECEIVED]++;
	struct ww_cursor c;
	ww_cur_init(&c, msg + WW_ICMP_HLEN, len - WW_ICMP_HLEN, 0);
	struct ww_ipv4 q;
	char from[16], to[16];
	ww_ipv4_str(rx->ip->src, from);
	const char *tname = ww_tok_str(ww_icmp_type_names, h->type);
	const char *cname = ww_icmp_code_str(h->type, h->code);
	if (ww_ipv4_parse_quoted(&c, &q) == 0 && q.src == st->cfg.ip &&
	    q.proto == WW_IPPROTO_ICMP && ww_cur_left(&c) >= WW_ICMP_HLEN &&
	    ww_cur_here(&c)[0] == WW_ICMP_ECHO_REQUEST) {
		const uint8_t *qi = ww_cur_here(&c);
		struct ww_probe *p = probe_lookup(st, ww_get16(qi + 4), ww_get16(qi + 6));
		if (p && (p->state == WW_PROBE_PENDING || p->state == WW_PROBE_TIMEOUT)) {
			enum ww_probe_state s = WW_PROBE_ERROR;
			if (h->type == WW_ICMP_TIME_EXCEEDED && h->code == WW_ICMP_TTL_EXCEEDED)
				s = WW_PROBE_TTL_EXCEEDED;
			else if (h->type == WW_ICMP_DEST_UNREACH)
				s = WW_PROBE_UNREACHABLE;
			answer(p, s, rx, h, len, now);
			return;
		}
	}
	/* About a datagram another protocol of ours sent (UDP): its own to
	 * handle. */
	if (ww_cur_ok(&c) && q.src == st->cfg.ip && st->icmp_err_handlers[q.proto].fn) {
		struct ww_icmp_error e = {
			.type = h->type, .code = h->code, .rest = h->rest, .from = rx->ip->src,
			.quoted = &q, .data = ww_cur_here(&c), .len = ww_cur_left(&c),
		};
		st->icmp_err_handlers[q.proto].fn(st->icmp_err_handlers[q.proto].arg, &e, now);
		return;
	}
	if (ww_cur_ok(&c))
		ww_ipv4_str(q.dst, to);
	else
		strcpy(to, "?");
	st_event(st, WW_EV_INFO, now, NULL, "ICMP %s%s%s%s from %s about a datagram to %s",
		 tname ? tname : "error", cname ? " (" : "", cname ? cname : "", cname ? ")" : "",
		 from, to);
}

void st_icmp_input(struct ww_stack *st, const struct st_rx *rx, const uint8_t *msg, size_t len,
		   uint64_t now)
{
	struct ww_cursor c;
	ww_cur_init(&c, msg, len, 0);
	struct ww_icmp h;
	if (ww_icmp_parse(&c, &h) < 0) {
		st_drop(st, C_ICMP_TRUNCATED, now, "%s", c.err.msg);
		return;
	}
	if (!ww_inet_csum_ok(msg, len)) {
		uint32_t sum = ww_sum16(msg, 2, 0);
		sum = ww_sum16(msg + 4, len - 4, sum);
		st_drop(st, C_ICMP_BAD_CHECKSUM, now, "ICMP checksum 0x%04x, should be 0x%04x",
			h.checksum, ww_csum_finish(sum));
		return;
	}
	switch (h.type) {
	case WW_ICMP_ECHO_REQUEST:
		st->ctr[C_ICMP_ECHO_REQUESTS_RECEIVED]++;
		/* RFC 1122 §3.2.2.6 lets a host ignore echo to a broadcast
		 * address; Linux does (icmp_echo_ignore_broadcasts). */
		if (rx->to_broadcast) {
			st_drop(st, C_ICMP_ECHO_BROADCAST, now,
				"echo request to a broadcast address: not answered");
			return;
		}
		send_echo_reply(st, rx, &h, msg, len, now);
		break;
	case WW_ICMP_ECHO_REPLY:
		echo_reply_in(st, rx, &h, msg, len, now);
		break;
	case WW_ICMP_DEST_UNREACH:
	case WW_ICMP_SOURCE_QUENCH:
	case WW_ICMP_REDIRECT:
	case WW_ICMP_TIME_EXCEEDED:
	case WW_ICMP_PARAM_PROBLEM:
		error_in(st, rx, &h, msg, len, now);
		break;
	default: {
		const char *n = ww_tok_str(ww_icmp_type_names, h.type);
		st_drop(st, C_ICMP_UNHANDLED_TYPE, now, "ICMP type %u%s%s%s: not acted on here",
			h.type, n ? " (" : "", n ? n : "", n ? ")" : "");
	}
	}
}

void st_icmp_send_error(struct ww_stack *st, uint8_t type, uint8_t code, const uint8_t *hdr,
			size_t hlen, const uint8_t *quote, size_t quote_len, uint64_t now)
{
	/* RFC 1122 §3.2.2: never about an ICMP error, nor to a source that
	 * is not one host. */
	if (hlen < WW_IPV4_HLEN || hlen > 60 || quote_len > 8)
		return;
	if (hdr[9] == WW_IPPROTO_ICMP && quote_len > 0 && ww_icmp_is_error(quote[0]))
		return;
	uint32_t src = ww_get32(hdr + 12);
	if (src == 0 || src == 0xffffffffu || (src >> 28) == 0xe || st_is_broadcast(st, src))
		return;
	uint8_t msg[WW_ICMP_HLEN + 60 + 8];
	size_t len = WW_ICMP_HLEN + hlen + quote_len;
	memcpy(msg + WW_ICMP_HLEN, hdr, hlen);
	memcpy(msg + WW_ICMP_HLEN + hlen, quote, quote_len);
	struct ww_icmp h = { .type = type, .code = code };
	ww_icmp_emit(&h, msg, len);
	struct ww_ip_send ip = { .dst = src, .proto = WW_IPPROTO_ICMP };
	if (ww_stack_ip_send(st, &ip, msg, len, now) >= 0)
		st->ctr[C_ICMP_ERRORS_SENT]++;
}

void st_icmp_poll(struct ww_stack *st, uint64_t now)
{
	for (size_t i = 0; i < WW_PROBE_MAX; i++) {
		struct ww_probe *p = &st->probes[i];
		if (p->state == WW_PROBE_PENDING && p->deadline_ns <= now)
			p->state = WW_PROBE_TIMEOUT;
	}
}

uint64_t st_icmp_next_deadline(const struct ww_stack *st)
{
	uint64_t t = UINT64_MAX;
	for (size_t i = 0; i < WW_PROBE_MAX; i++) {
		const struct ww_probe *p = &st->probes[i];
		if (p->state == WW_PROBE_PENDING && p->deadline_ns < t)
			t = p->deadline_ns;
	}
	return t;
}
