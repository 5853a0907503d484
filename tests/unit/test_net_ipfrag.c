/* IPv4 fragmentation and reassembly against the kernel's own fragments
 * (net_frames.h): a 3028-byte echo request and its reply, each cut in
 * three. Reassembled in every order; cut again by our fragmenter into the
 * kernel's exact bytes; duplicates, overlaps, limits and the timeout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net_frames.h"
#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipfrag.h"

#define SEC 1000000000ull
#define ETH 14

struct frag {
	struct ww_ipv4 ip;
	const uint8_t *hdr;
	size_t hlen;
	const uint8_t *payload;
	size_t plen;
};

static struct frag parse_frag(const uint8_t *frame, size_t len)
{
	struct frag f;
	struct ww_cursor c;
	ww_cur_init(&c, frame + ETH, len - ETH, ETH);
	assert_int_equal(ww_ipv4_parse(&c, &f.ip), 0);
	f.hdr = frame + ETH;
	f.hlen = (size_t)f.ip.ihl * 4;
	f.payload = ww_cur_here(&c);
	f.plen = ww_cur_left(&c);
	return f;
}

static enum ww_reasm_verdict feed(struct ww_reasm_table *t, const struct frag *f, uint64_t now,
				  struct ww_reasm_out *out)
{
	return ww_reasm_input(t, &f->ip, f->hdr, f->hlen, f->payload, f->plen, now, out);
}

static struct frag rep[3], req[3];

static int setup(void **state)
{
	(void)state;
	rep[0] = parse_frag(net_rep_frag1, sizeof net_rep_frag1);
	rep[1] = parse_frag(net_rep_frag2, sizeof net_rep_frag2);
	rep[2] = parse_frag(net_rep_frag3, sizeof net_rep_frag3);
	req[0] = parse_frag(net_req_frag1, sizeof net_req_frag1);
	req[1] = parse_frag(net_req_frag2, sizeof net_req_frag2);
	req[2] = parse_frag(net_req_frag3, sizeof net_req_frag3);
	return 0;
}

/* The reassembled echo reply: 3028 bytes, a valid header, MF and offset
 * clear, and an ICMP checksum over all 3008 bytes that comes out right —
 * one misplaced byte would break it. */
static void check_reply(const struct ww_reasm_out *out)
{
	assert_int_equal(out->len, 3028);
	assert_int_equal(out->nfrags, 3);
	const uint8_t *d = out->dgram;
	assert_int_equal(ww_get16(d + 2), 3028);
	assert_int_equal(ww_get16(d + 4), 0x0a0d);
	assert_int_equal(ww_get16(d + 6), 0);
	assert_int_equal(ww_inet_csum(d, 20), 0);
	assert_int_equal(d[20], 0); /* echo reply */
	assert_int_equal(ww_get16(d + 24), 0x65de);
	assert_int_equal(ww_get16(d + 26), 1);
	assert_int_equal(ww_inet_csum(d + 20, 3008), 0);
	/* Every byte where the kernel put it. */
	assert_memory_equal(d + 20, rep[0].payload, 1480);
	assert_memory_equal(d + 1500, rep[1].payload, 1480);
	assert_memory_equal(d + 2980, rep[2].payload, 48);
}

static void test_reassemble_every_order(void **state)
{
	(void)state;
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	for (int o = 0; o < 6; o++) {
		struct ww_reasm_table t;
		ww_reasm_init(&t);
		struct ww_reasm_out out;
		assert_int_equal(feed(&t, &rep[orders[o][0]], 1 * SEC, &out), WW_REASM_HELD);
		assert_int_equal(ww_reasm_in_progress(&t), 1);
		assert_int_equal(ww_reasm_next_deadline(&t), 1 * SEC + WW_REASM_TIMEOUT_NS);
		assert_int_equal(feed(&t, &rep[orders[o][1]], 2 * SEC, &out), WW_REASM_HELD);
		assert_int_equal(feed(&t, &rep[orders[o][2]], 3 * SEC, &out), WW_REASM_DONE);
		check_reply(&out);
		assert_int_equal(ww_reasm_in_progress(&t), 0);
		assert_int_equal(t.bytes, 0);
		assert_int_equal(ww_reasm_next_deadline(&t), UINT64_MAX);
		ww_reasm_free(&t);
	}
}

static void test_two_datagrams_interleaved(void **state)
{
	(void)state;
	/* The request (from 192.168.1.5) and the reply (from 192.0.2.10)
	 * arrive mixed: the key keeps them apart. */
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	assert_int_equal(feed(&t, &req[2], 0, &out), WW_REASM_HELD);
	assert_int_equal(feed(&t, &rep[1], 0, &out), WW_REASM_HELD);
	assert_int_equal(feed(&t, &req[0], 0, &out), WW_REASM_HELD);
	assert_int_equal(feed(&t, &rep[2], 0, &out), WW_REASM_HELD);
	assert_int_equal(ww_reasm_in_progress(&t), 2);
	assert_int_equal(feed(&t, &req[1], 0, &out), WW_REASM_DONE);
	assert_int_equal(out.len, 3028);
	assert_int_equal(ww_get16(out.dgram + 4), 0xb93a);
	assert_int_equal(out.dgram[20], 8); /* the echo request */
	assert_int_equal(ww_inet_csum(out.dgram + 20, 3008), 0);
	assert_int_equal(feed(&t, &rep[0], 0, &out), WW_REASM_DONE);
	check_reply(&out);
	ww_reasm_free(&t);
}

static void test_duplicate_is_dropped_alone(void **state)
{
	(void)state;
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	assert_int_equal(feed(&t, &rep[0], 0, &out), WW_REASM_HELD);
	assert_int_equal(feed(&t, &rep[0], 0, &out), WW_REASM_DUP);
	assert_string_equal(out.reason, "ip.frag_duplicate");
	assert_non_null(strstr(out.text, "0-1480"));
	assert_int_equal(feed(&t, &rep[2], 0, &out), WW_REASM_HELD);
	assert_int_equal(feed(&t, &rep[2], 0, &out), WW_REASM_DUP);
	assert_int_equal(feed(&t, &rep[1], 0, &out), WW_REASM_DONE);
	check_reply(&out);
	ww_reasm_free(&t);
}

/* A fragment whose bytes differ from data held drops the datagram. */
static void test_overlap_drops_datagram(void **state)
{
	(void)state;
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	assert_int_equal(feed(&t, &rep[0], 0, &out), WW_REASM_HELD);
	/* The second fragment moved 8 bytes back: it overlaps the first
	 * with bytes of its own. */
	struct frag f = rep[1];
	f.ip.frag_off = 184;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_string_equal(out.reason, "ip.frag_overlap");
	assert_int_equal(ww_reasm_in_progress(&t), 0);
	/* What comes after starts a new datagram that never completes with
	 * the held bytes gone. */
	assert_int_equal(feed(&t, &rep[1], 0, &out), WW_REASM_HELD);
	assert_int_equal(feed(&t, &rep[2], 0, &out), WW_REASM_HELD);
	assert_int_equal(ww_reasm_in_progress(&t), 1);
	ww_reasm_free(&t);

	/* Same offset, same length, other bytes: an overlap, not a copy. */
	ww_reasm_init(&t);
	assert_int_equal(feed(&t, &rep[2], 0, &out), WW_REASM_HELD);
	uint8_t other[48];
	memcpy(other, rep[2].payload, 48);
	other[47] ^= 1;
	f = rep[2];
	f.payload = other;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_string_equal(out.reason, "ip.frag_overlap");
	ww_reasm_free(&t);
}

static void test_conflicting_ends(void **state)
{
	(void)state;
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	assert_int_equal(feed(&t, &rep[2], 0, &out), WW_REASM_HELD); /* ends at 3008 */
	/* A fragment with MF set reaching past the end. */
	struct frag f = rep[1];
	f.ip.frag_off = 370;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_string_equal(out.reason, "ip.frag_overlap");
	assert_non_null(strstr(out.text, "past the datagram's end at 3008"));
	/* A second last fragment ending elsewhere. */
	assert_int_equal(feed(&t, &rep[2], 0, &out), WW_REASM_HELD);
	f = rep[2];
	f.ip.frag_off = 371;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_non_null(strstr(out.text, "second last fragment"));
	/* A last fragment ending before data already held. */
	assert_int_equal(feed(&t, &rep[1], 0, &out), WW_REASM_HELD); /* 1480-2960 */
	f = rep[2];
	f.ip.frag_off = 10; /* 80..128 */
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_non_null(strstr(out.text, "data up to 2960"));
	ww_reasm_free(&t);
}

static void test_bad_length_and_too_big(void **state)
{
	(void)state;
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	/* MF set, 1479 bytes: not a multiple of 8. */
	struct frag f = rep[0];
	f.plen = 1479;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_string_equal(out.reason, "ip.frag_bad_len");
	assert_int_equal(ww_reasm_in_progress(&t), 0);
	/* Offset 8189 (65512) + 48 bytes + 20 of header > 65535. */
	f = rep[2];
	f.ip.frag_off = 8189;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_string_equal(out.reason, "ip.frag_too_big");
	/* The largest legal end is fine: 65515 - 48 = 65467 is not a multiple
	 * of 8, so 8183 * 8 = 65464 + 48 = 65512 + 20 = 65532. */
	f.ip.frag_off = 8183;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_HELD);
	ww_reasm_free(&t);
}

struct expired_seen {
	int n;
	struct ww_reasm_expired x[4];
	uint8_t hdr[4][60];
	uint8_t quote[4][8];
};

static void on_expired(void *arg, const struct ww_reasm_expired *x)
{
	struct expired_seen *s = arg;
	assert_true(s->n < 4);
	s->x[s->n] = *x;
	if (x->hdr) {
		memcpy(s->hdr[s->n], x->hdr, x->hlen);
		memcpy(s->quote[s->n], x->quote, x->quote_len);
	}
	s->n++;
}

static void test_timeout(void **state)
{
	(void)state;
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	assert_int_equal(feed(&t, &rep[0], 5 * SEC, &out), WW_REASM_HELD);
	assert_int_equal(feed(&t, &req[1], 6 * SEC, &out), WW_REASM_HELD);
	uint64_t d1 = 5 * SEC + WW_REASM_TIMEOUT_NS, d2 = 6 * SEC + WW_REASM_TIMEOUT_NS;
	assert_int_equal(ww_reasm_next_deadline(&t), d1);
	/* Later fragments do not push the deadline back. */
	assert_int_equal(feed(&t, &rep[2], 20 * SEC, &out), WW_REASM_HELD);
	assert_int_equal(ww_reasm_next_deadline(&t), d1);

	struct expired_seen seen = { 0 };
	assert_int_equal(ww_reasm_expire(&t, d1 - 1, on_expired, &seen), 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(ww_reasm_expire(&t, d1, on_expired, &seen), 1);
	assert_int_equal(seen.n, 1);
	/* The reply's first fragment came: its header and the first 8 bytes
	 * (the ICMP header) are there for a time exceeded message. */
	assert_int_equal(seen.x[0].id, 0x0a0d);
	assert_int_equal(seen.x[0].nfrags, 2);
	assert_int_equal(seen.x[0].hlen, 20);
	assert_memory_equal(seen.hdr[0], rep[0].hdr, 20);
	assert_int_equal(seen.x[0].quote_len, 8);
	assert_memory_equal(seen.quote[0], rep[0].payload, 8);
	assert_int_equal(ww_reasm_next_deadline(&t), d2);
	/* The request's first fragment never came: nothing to quote. */
	assert_int_equal(ww_reasm_expire(&t, d2 + 5 * SEC, on_expired, &seen), 1);
	assert_int_equal(seen.x[1].id, 0xb93a);
	assert_null(seen.x[1].hdr);
	assert_int_equal(ww_reasm_in_progress(&t), 0);
	assert_int_equal(t.bytes, 0);
	assert_int_equal(ww_reasm_next_deadline(&t), UINT64_MAX);
	ww_reasm_free(&t);
}

static void test_limit_datagrams(void **state)
{
	(void)state;
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	struct frag f = rep[1];
	for (unsigned i = 0; i < WW_REASM_MAX; i++) {
		f.ip.id = (uint16_t)(100 + i);
		assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_HELD);
	}
	f.ip.id = 99;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_string_equal(out.reason, "ip.frag_limit");
	assert_int_equal(ww_reasm_in_progress(&t), WW_REASM_MAX);
	/* Those in progress still complete. */
	struct frag a = rep[0], c = rep[2];
	a.ip.id = c.ip.id = 100;
	assert_int_equal(feed(&t, &a, 0, &out), WW_REASM_HELD);
	assert_int_equal(feed(&t, &c, 0, &out), WW_REASM_DONE);
	assert_int_equal(out.len, 3028);
	assert_int_equal(ww_inet_csum(out.dgram + 20, 3008), 0);
	ww_reasm_free(&t);
}

static void test_limit_pieces(void **state)
{
	(void)state;
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	/* 8-byte fragments at every other 8-byte block: none touch. */
	struct frag f = rep[0];
	f.plen = 8;
	for (unsigned i = 0; i < WW_REASM_MAX_RANGES; i++) {
		f.ip.frag_off = (uint16_t)(2 * i);
		assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_HELD);
	}
	assert_int_equal(t.d[0].nranges, WW_REASM_MAX_RANGES);
	/* A piece that touches one held merges: no new range is needed. */
	f.ip.frag_off = 1;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_HELD);
	assert_int_equal(t.d[0].nranges, WW_REASM_MAX_RANGES - 1);
	f.ip.frag_off = 2 * WW_REASM_MAX_RANGES;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_HELD);
	f.ip.frag_off = 2 * WW_REASM_MAX_RANGES + 2;
	assert_int_equal(feed(&t, &f, 0, &out), WW_REASM_DROPPED);
	assert_string_equal(out.reason, "ip.frag_limit");
	assert_int_equal(ww_reasm_in_progress(&t), 0);
	ww_reasm_free(&t);
}

/* ---- fragmentation ------------------------------------------------------- */

struct pieces {
	int n;
	int fail_at; /* emit returns -1 for this piece (0-based), or -1 never */
	uint8_t *p[64];
	size_t len[64];
};

static int collect(void *arg, const uint8_t *frag, size_t len)
{
	struct pieces *ps = arg;
	if (ps->n == ps->fail_at)
		return -1;
	assert_true(ps->n < 64);
	ps->p[ps->n] = malloc(len);
	memcpy(ps->p[ps->n], frag, len);
	ps->len[ps->n] = len;
	ps->n++;
	return 0;
}

static void pieces_free(struct pieces *ps)
{
	for (int i = 0; i < ps->n; i++)
		free(ps->p[i]);
	ps->n = 0;
}

/* The kernel's 3028-byte echo request, put together, then cut again by us
 * at MTU 1500: the kernel's three fragments, byte for byte, checksums
 * included. */
static void test_fragment_like_the_kernel(void **state)
{
	(void)state;
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	feed(&t, &req[0], 0, &out);
	feed(&t, &req[1], 0, &out);
	assert_int_equal(feed(&t, &req[2], 0, &out), WW_REASM_DONE);
	struct ww_cursor c;
	ww_cur_init(&c, out.dgram, out.len, 0);
	struct ww_ipv4 ip;
	assert_int_equal(ww_ipv4_parse(&c, &ip), 0);

	struct pieces ps = { .fail_at = -1 };
	assert_int_equal(ww_ip_fragment(&ip, ww_cur_here(&c), ww_cur_left(&c), 1500, collect, &ps),
			 3);
	assert_int_equal(ps.n, 3);
	assert_int_equal(ps.len[0], sizeof net_req_frag1 - ETH);
	assert_memory_equal(ps.p[0], net_req_frag1 + ETH, ps.len[0]);
	assert_int_equal(ps.len[1], sizeof net_req_frag2 - ETH);
	assert_memory_equal(ps.p[1], net_req_frag2 + ETH, ps.len[1]);
	assert_int_equal(ps.len[2], sizeof net_req_frag3 - ETH);
	assert_memory_equal(ps.p[2], net_req_frag3 + ETH, ps.len[2]);
	pieces_free(&ps);

	/* At MTU 576 (RFC 791's minimum datagram every host takes): 556
	 * bytes of room, 552 of data per piece, 6 pieces. */
	assert_int_equal(ww_ip_fragment(&ip, ww_cur_here(&c), ww_cur_left(&c), 576, collect, &ps), 6);
	struct ww_reasm_table t2;
	ww_reasm_init(&t2);
	for (int i = ps.n - 1; i >= 0; i--) { /* reassembled backwards, for good measure */
		struct ww_cursor fc;
		ww_cur_init(&fc, ps.p[i], ps.len[i], 0);
		struct ww_ipv4 fh;
		assert_int_equal(ww_ipv4_parse(&fc, &fh), 0);
		assert_int_equal(ww_inet_csum(ps.p[i], 20), 0);
		assert_true(ps.len[i] <= 576);
		assert_int_equal(fh.frag_off, 69 * i);
		assert_int_equal(!!(fh.flags & WW_IP_FLAG_MF), i < 5);
		enum ww_reasm_verdict v = ww_reasm_input(&t2, &fh, ps.p[i], 20, ww_cur_here(&fc),
							 ww_cur_left(&fc), 0, &out);
		assert_int_equal(v, i == 0 ? WW_REASM_DONE : WW_REASM_HELD);
	}
	assert_int_equal(out.len, 3028);
	assert_memory_equal(out.dgram + 20, ww_cur_here(&c), 3008);
	pieces_free(&ps);
	ww_reasm_free(&t2);
	ww_reasm_free(&t);
}

static void test_fragment_refusals(void **state)
{
	(void)state;
	uint8_t payload[3000];
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)i;
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = 0xc0a80105;
	ip.dst = 0xc000020a;
	ip.proto = 17;
	ip.id = 7;
	struct pieces ps = { .fail_at = -1 };

	/* It fits: one piece, the datagram itself. */
	assert_int_equal(ww_ip_fragment(&ip, payload, 1480, 1500, collect, &ps), 1);
	assert_int_equal(ps.len[0], 1500);
	assert_int_equal(ww_get16(ps.p[0] + 6), 0);
	pieces_free(&ps);

	/* DF forbids cutting. */
	ip.flags = WW_IP_FLAG_DF;
	assert_int_equal(ww_ip_fragment(&ip, payload, 1481, 1500, collect, &ps), -1);
	assert_int_equal(ps.n, 0);
	ip.flags = 0;
	/* No room for a header and 8 bytes. */
	assert_int_equal(ww_ip_fragment(&ip, payload, 100, 27, collect, &ps), -1);
	assert_int_equal(ps.n, 0);
	/* The smallest MTU that works: 8 bytes a piece. */
	assert_int_equal(ww_ip_fragment(&ip, payload, 20, 28, collect, &ps), 3);
	assert_int_equal(ps.len[2], 24);
	pieces_free(&ps);
	/* Over 65535 in all. */
	static uint8_t big[65516];
	assert_int_equal(ww_ip_fragment(&ip, big, sizeof big, 1500, collect, &ps), -1);
	/* The emitter's refusal stops the cutting. */
	ps.fail_at = 1;
	assert_int_equal(ww_ip_fragment(&ip, payload, 3000, 1500, collect, &ps), -1);
	assert_int_equal(ps.n, 1);
	pieces_free(&ps);
}

/* RFC 791 §3.1: options with the copy flag go in every fragment, the
 * others in the first only. */
static void test_fragment_options(void **state)
{
	(void)state;
	uint8_t payload[2000];
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 7);
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = 0xc0a80105;
	ip.dst = 0xc000020a;
	ip.proto = 1;
	ip.id = 0x4242;
	/* Router alert (148, copied), record route with room for 2 (7, not
	 * copied), NOP. */
	const uint8_t opts[] = { 148, 4, 0, 0, 7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	memcpy(ip.options, opts, sizeof opts);
	ip.opt_len = sizeof opts;
	struct pieces ps = { .fail_at = -1 };
	assert_int_equal(ww_ip_fragment(&ip, payload, sizeof payload, 1000, collect, &ps), 3);
	struct ww_reasm_table t;
	ww_reasm_init(&t);
	struct ww_reasm_out out;
	size_t off = 0;
	for (int i = 0; i < 3; i++) {
		struct ww_cursor c;
		ww_cur_init(&c, ps.p[i], ps.len[i], 0);
		struct ww_ipv4 h;
		assert_int_equal(ww_ipv4_parse(&c, &h), 0);
		assert_int_equal(ww_inet_csum(ps.p[i], (size_t)h.ihl * 4), 0);
		if (i == 0) {
			assert_int_equal(h.ihl, 9);
			assert_memory_equal(h.options, opts, sizeof opts);
		} else {
			assert_int_equal(h.ihl, 6); /* router alert alone */
			assert_memory_equal(h.options, opts, 4);
		}
		assert_int_equal(h.frag_off * 8, off);
		size_t n = ww_cur_left(&c);
		if (i < 2)
			assert_int_equal(n % 8, 0);
		assert_memory_equal(ww_cur_here(&c), payload + off, n);
		enum ww_reasm_verdict v = ww_reasm_input(&t, &h, ps.p[i], (size_t)h.ihl * 4,
							 ww_cur_here(&c), n, 0, &out);
		assert_int_equal(v, i == 2 ? WW_REASM_DONE : WW_REASM_HELD);
		off += n;
	}
	assert_int_equal(off, sizeof payload);
	/* Put together under the first fragment's header, options and all. */
	assert_int_equal(out.len, 36 + sizeof payload);
	assert_memory_equal(out.dgram + 20, opts, sizeof opts);
	assert_memory_equal(out.dgram + 36, payload, sizeof payload);
	pieces_free(&ps);
	ww_reasm_free(&t);
}

/* A router cutting a fragment again: the pieces keep MF, offsets follow
 * the original's. */
static void test_fragment_a_fragment(void **state)
{
	(void)state;
	struct frag f = req[0]; /* 1480 bytes at offset 0, MF */
	struct pieces ps = { .fail_at = -1 };
	assert_int_equal(ww_ip_fragment(&f.ip, f.payload, f.plen, 576, collect, &ps), 3);
	unsigned offs[3] = { 0, 69, 138 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ww_get16(ps.p[i] + 6), 0x2000 | offs[i]);
		assert_int_equal(ww_inet_csum(ps.p[i], 20), 0);
	}
	pieces_free(&ps);
	f = req[1]; /* at 1480 */
	assert_int_equal(ww_ip_fragment(&f.ip, f.payload, f.plen, 1000, collect, &ps), 2);
	assert_int_equal(ww_get16(ps.p[0] + 6), 0x2000 | 185);
	assert_int_equal(ww_get16(ps.p[1] + 6), 0x2000 | (185 + 122));
	pieces_free(&ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reassemble_every_order),
		cmocka_unit_test(test_two_datagrams_interleaved),
		cmocka_unit_test(test_duplicate_is_dropped_alone),
		cmocka_unit_test(test_overlap_drops_datagram),
		cmocka_unit_test(test_conflicting_ends),
		cmocka_unit_test(test_bad_length_and_too_big),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_limit_datagrams),
		cmocka_unit_test(test_limit_pieces),
		cmocka_unit_test(test_fragment_like_the_kernel),
		cmocka_unit_test(test_fragment_refusals),
		cmocka_unit_test(test_fragment_options),
		cmocka_unit_test(test_fragment_a_fragment),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
