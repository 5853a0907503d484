/* UDP (RFC 768): real datagrams the Linux kernel sent, parsed, dissected,
 * emitted byte for byte, cut at every length and bent out of shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "field_rows.h"
#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipv4.h"
#include "ww/udp.h"

/* Captured with tcpdump on the client's veth (offloads off, so the kernel
 * filled every checksum) between two network namespaces joined through a
 * router namespace: 192.168.1.5 on the LAN, 203.0.113.53 upstream. */

/* A Python UDP socket bound to 192.168.1.5:40000 sent "hello, wirewalk"
 * (15 bytes, an odd length) to a UDP echo server on 203.0.113.53:7. */
static const uint8_t echo_request[57] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x2b, 0x4a, 0xf5, 0x40, 0x00, 0x40, 0x11,
	0xf1, 0xe9, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0x9c, 0x40,
	0x00, 0x07, 0x00, 0x17, 0x65, 0xc9, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2c,
	0x20, 0x77, 0x69, 0x72, 0x65, 0x77, 0x61, 0x6c, 0x6b,
};

/* The server's answer, "HELLO, WIREWALK", through the router (TTL 63). */
static const uint8_t echo_reply[57] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x2b, 0xca, 0x9d, 0x40, 0x00, 0x3f, 0x11,
	0x73, 0x41, 0xcb, 0x00, 0x71, 0x35, 0xc0, 0xa8, 0x01, 0x05, 0x00, 0x07,
	0x9c, 0x40, 0x00, 0x17, 0x46, 0x8a, 0x48, 0x45, 0x4c, 0x4c, 0x4f, 0x2c,
	0x20, 0x57, 0x49, 0x52, 0x45, 0x57, 0x41, 0x4c, 0x4b,
};

/* The same socket sending an empty datagram: length 8, padded frame. */
static const uint8_t empty[42] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x1c, 0x4a, 0xf6, 0x40, 0x00, 0x40, 0x11,
	0xf1, 0xf7, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0x9c, 0x40,
	0x00, 0x07, 0x00, 0x08, 0x65, 0xb3,
};

/* `dig @203.0.113.53 -p 9 example.com`: a DNS query with an EDNS OPT
 * record, from port 44351. */
static const uint8_t dns_query[94] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x50, 0x8d, 0x47, 0x00, 0x00, 0x40, 0x11,
	0xef, 0x72, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0xad, 0x3f,
	0x00, 0x09, 0x00, 0x3c, 0xf8, 0xa3, 0x5d, 0x16, 0x01, 0x20, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
	0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
	0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a,
	0x00, 0x08, 0x44, 0xd4, 0xdb, 0xde, 0x46, 0x07, 0xc3, 0x2f,
};

/* Ethernet II + IPv4 without options: the datagram starts at byte 34. */
#define L4_OFF 34

static size_t l4_len(const uint8_t *f) { return ww_get16(f + 16) - 20u; }
static uint32_t ip_src(const uint8_t *f) { return ww_get32(f + 26); }
static uint32_t ip_dst(const uint8_t *f) { return ww_get32(f + 30); }

/* The enclosing header, read by hand so these tests need no IPv4 code. */
static struct ww_ipv4 ip_of(const uint8_t *f)
{
	struct ww_ipv4 ip = { .version = 4, .ihl = 5, .total_len = ww_get16(f + 16),
			      .id = ww_get16(f + 18), .flags = f[20] >> 5,
			      .frag_off = ww_get16(f + 20) & 0x1fff, .ttl = f[22], .proto = f[23],
			      .checksum = ww_get16(f + 24), .src = ip_src(f), .dst = ip_dst(f) };
	return ip;
}

/* A cursor over the first N bytes of the datagram in F, offsets counted
 * from the frame's start. */
static void cursor_at(struct ww_cursor *c, const uint8_t *f, size_t n)
{
	ww_cur_init(c, f + L4_OFF, n, L4_OFF);
}

static const struct ww_item *find_item(const struct ww_dissection *d, const char *name)
{
	for (unsigned i = 0; i < d->nitems; i++)
		if (strcmp(d->items[i].f->name, name) == 0)
			return &d->items[i];
	return NULL;
}

static struct ww_dissection dis; /* large: kept off the stack */

static const struct {
	const char *what;
	const uint8_t *f;
	size_t flen;
	uint16_t sport, dport, len, checksum; /* as tshark -T fields printed them */
} real[] = {
	{ "echo request", echo_request, sizeof echo_request, 40000, 7, 23, 0x65c9 },
	{ "echo reply", echo_reply, sizeof echo_reply, 7, 40000, 23, 0x468a },
	{ "empty", empty, sizeof empty, 40000, 7, 8, 0x65b3 },
	{ "dns query", dns_query, sizeof dns_query, 44351, 9, 60, 0xf8a3 },
};
#define NREAL (sizeof real / sizeof real[0])

static void test_parse_real(void **state)
{
	(void)state;
	for (size_t i = 0; i < NREAL; i++) {
		struct ww_cursor c;
		struct ww_udp u;
		cursor_at(&c, real[i].f, l4_len(real[i].f));
		assert_int_equal(ww_udp_parse(&c, &u), 0);
		assert_int_equal(u.sport, real[i].sport);
		assert_int_equal(u.dport, real[i].dport);
		assert_int_equal(u.len, real[i].len);
		assert_int_equal(u.checksum, real[i].checksum);
		assert_int_equal(u.manual, WW_UDP_MANUAL_LEN | WW_UDP_MANUAL_CSUM);
		/* The cursor is left on the payload, and only the payload. */
		assert_int_equal(ww_cur_offset(&c), L4_OFF + 8);
		assert_int_equal(ww_cur_left(&c), real[i].len - 8u);
	}
	struct ww_cursor c;
	struct ww_udp u;
	cursor_at(&c, echo_request, l4_len(echo_request));
	ww_udp_parse(&c, &u);
	assert_memory_equal(ww_cur_here(&c), "hello, wirewalk", 15);
}

/* Bytes after udp.length (a trailer inside the IP payload) are not payload. */
static void test_cursor_limited_to_length(void **state)
{
	(void)state;
	uint8_t f[sizeof echo_request];
	memcpy(f, echo_request, sizeof f);
	ww_put16(f + L4_OFF + 4, 10);
	struct ww_cursor c;
	struct ww_udp u;
	cursor_at(&c, f, l4_len(f));
	assert_int_equal(ww_udp_parse(&c, &u), 0);
	assert_int_equal(ww_cur_left(&c), 2);
}

static void test_dissect_real(void **state)
{
	(void)state;
	static const char *names[] = { "udp.srcport", "udp.dstport", "udp.length", "udp.checksum" };
	for (size_t i = 0; i < NREAL; i++) {
		const uint8_t *f = real[i].f;
		struct ww_ipv4 ip = ip_of(f);
		struct ww_cursor c;
		ww_dissect_reset(&dis, f, real[i].flen);
		cursor_at(&c, f, l4_len(f));
		struct ww_layer *l = ww_udp_dissect(&dis, &c, &ip);
		assert_non_null(l);
		assert_int_equal(dis.nerrors, 0);
		assert_string_equal(l->name, "udp");
		assert_ptr_equal(l->fields, ww_udp_fields);
		assert_int_equal(l->off, L4_OFF);
		assert_int_equal(l->len, 8);
		assert_int_equal(l->h.udp.len, real[i].len);
		assert_int_equal(dis.nitems, 4);
		uint64_t want[4] = { real[i].sport, real[i].dport, real[i].len, real[i].checksum };
		for (unsigned k = 0; k < 4; k++) {
			assert_string_equal(dis.items[k].f->name, names[k]);
			assert_int_equal(dis.items[k].off, L4_OFF + 2 * k);
			assert_int_equal(dis.items[k].len, 2);
			assert_int_equal(dis.items[k].u, want[k]);
		}
		/* tshark with udp.check_checksum on called every one good. */
		assert_int_equal(dis.items[3].check, WW_CHECK_GOOD);
		assert_int_equal(ww_cur_left(&c), real[i].len - 8u);
	}
}

/* A checksum set wrong by hand is shown wrong, with the right one beside it. */
static void test_bad_checksum_shown(void **state)
{
	(void)state;
	uint8_t f[sizeof echo_request];
	memcpy(f, echo_request, sizeof f);
	ww_put16(f + L4_OFF + 6, 0x1234);
	struct ww_ipv4 ip = ip_of(f);
	struct ww_cursor c;
	ww_dissect_reset(&dis, f, sizeof f);
	cursor_at(&c, f, l4_len(f));
	assert_non_null(ww_udp_dissect(&dis, &c, &ip));
	const struct ww_item *it = find_item(&dis, "udp.checksum");
	assert_int_equal(it->u, 0x1234);
	assert_int_equal(it->check, WW_CHECK_BAD);
	assert_int_equal(it->expect, 0x65c9);
	/* One flipped payload bit is caught too. */
	memcpy(f, echo_request, sizeof f);
	f[sizeof f - 1] ^= 0x01;
	ww_dissect_reset(&dis, f, sizeof f);
	cursor_at(&c, f, l4_len(f));
	assert_non_null(ww_udp_dissect(&dis, &c, &ip));
	assert_int_equal(find_item(&dis, "udp.checksum")->check, WW_CHECK_BAD);
}

/* 0 means the sender computed none (RFC 768): nothing to judge. No IP
 * header, no pseudo-header: nothing to judge either. */
static void test_checksum_not_judged(void **state)
{
	(void)state;
	uint8_t f[sizeof echo_request];
	memcpy(f, echo_request, sizeof f);
	ww_put16(f + L4_OFF + 6, 0);
	struct ww_ipv4 ip = ip_of(f);
	struct ww_cursor c;
	ww_dissect_reset(&dis, f, sizeof f);
	cursor_at(&c, f, l4_len(f));
	assert_non_null(ww_udp_dissect(&dis, &c, &ip));
	assert_int_equal(find_item(&dis, "udp.checksum")->check, WW_CHECK_NONE);

	ww_dissect_reset(&dis, echo_request, sizeof echo_request);
	cursor_at(&c, echo_request, l4_len(echo_request));
	assert_non_null(ww_udp_dissect(&dis, &c, NULL));
	assert_int_equal(find_item(&dis, "udp.checksum")->check, WW_CHECK_NONE);
}

/* The first fragment holds the header, and a length reaching into later
 * fragments: not truncated, and the checksum cannot be judged. */
static void test_first_fragment(void **state)
{
	(void)state;
	uint8_t f[sizeof dns_query];
	memcpy(f, dns_query, sizeof f);
	ww_put16(f + L4_OFF + 4, 1480);
	struct ww_ipv4 ip = ip_of(f);
	ip.flags |= WW_IP_FLAG_MF;
	struct ww_cursor c;
	ww_dissect_reset(&dis, f, sizeof f);
	cursor_at(&c, f, l4_len(f));
	assert_non_null(ww_udp_dissect(&dis, &c, &ip));
	assert_int_equal(dis.nerrors, 0);
	assert_int_equal(find_item(&dis, "udp.length")->u, 1480);
	assert_int_equal(find_item(&dis, "udp.checksum")->check, WW_CHECK_NONE);
	assert_int_equal(ww_cur_left(&c), l4_len(f) - 8);
	/* The same bytes as a whole datagram are truncated. */
	ip.flags = WW_IP_FLAG_DF;
	ww_dissect_reset(&dis, f, sizeof f);
	cursor_at(&c, f, l4_len(f));
	assert_null(ww_udp_dissect(&dis, &c, &ip));
	assert_int_equal(dis.nerrors, 1);
	assert_int_equal(dis.errors[0].status, WW_TRUNCATED);
	assert_string_equal(dis.errors[0].field, "udp.length");
	assert_string_equal(dis.errors[0].msg, "UDP length 1480 > 60 bytes left");
}

/* Emit from the numbers alone (length and checksum auto) into a buffer of
 * 0xa5 holding the payload: the kernel's bytes come out. */
static void test_emit_real(void **state)
{
	(void)state;
	for (size_t i = 0; i < NREAL; i++) {
		const uint8_t *f = real[i].f;
		size_t n = l4_len(f);
		uint8_t seg[128];
		memset(seg, 0xa5, sizeof seg);
		memcpy(seg + 8, f + L4_OFF + 8, n - 8);
		struct ww_udp u = { .sport = real[i].sport, .dport = real[i].dport };
		assert_int_equal(ww_udp_emit(&u, ip_src(f), ip_dst(f), seg, n), 8);
		assert_memory_equal(seg, f + L4_OFF, n);
		assert_int_equal(seg[n], 0xa5);
	}
}

/* A sum that comes out 0 is sent as 0xffff: 0 would mean "none". */
static void test_emit_zero_sum_as_ffff(void **state)
{
	(void)state;
	uint8_t seg[10] = { 0 };
	struct ww_udp u = { .sport = 1234, .dport = 53 };
	ww_udp_emit(&u, 0xc0000201, 0xc0000202, seg, sizeof seg);
	/* A payload word equal to that checksum makes the total sum all ones. */
	uint16_t c0 = ww_get16(seg + 6);
	ww_put16(seg + 8, c0);
	ww_udp_emit(&u, 0xc0000201, 0xc0000202, seg, sizeof seg);
	assert_int_equal(ww_get16(seg + 6), 0xffff);
	assert_int_equal(ww_l4_csum(0xc0000201, 0xc0000202, 17, seg, sizeof seg), 0);
}

/* Set by hand, a wrong length and a wrong checksum go out as given. */
static void test_emit_manual(void **state)
{
	(void)state;
	uint8_t seg[23];
	memset(seg, 0xa5, sizeof seg);
	struct ww_udp u = { .sport = 40000, .dport = 7, .len = 99, .checksum = 0xdead,
			    .manual = WW_UDP_MANUAL_LEN | WW_UDP_MANUAL_CSUM };
	assert_int_equal(ww_udp_emit(&u, 1, 2, seg, sizeof seg), 8);
	static const uint8_t want[8] = { 0x9c, 0x40, 0x00, 0x07, 0x00, 0x63, 0xde, 0xad };
	assert_memory_equal(seg, want, 8);
	assert_int_equal(seg[8], 0xa5);
	/* "No checksum" is a checksum of 0 set by hand. */
	u.checksum = 0;
	ww_udp_emit(&u, 1, 2, seg, sizeof seg);
	assert_int_equal(ww_get16(seg + 6), 0);
	/* A short length by hand: the auto checksum covers what a receiver
	 * sums, that many bytes and that length in the pseudo-header. */
	memcpy(seg, echo_request + L4_OFF, sizeof seg);
	u = (struct ww_udp){ .sport = 40000, .dport = 7, .len = 12, .manual = WW_UDP_MANUAL_LEN };
	ww_udp_emit(&u, ip_src(echo_request), ip_dst(echo_request), seg, sizeof seg);
	assert_int_equal(ww_get16(seg + 4), 12);
	assert_int_equal(ww_l4_csum(ip_src(echo_request), ip_dst(echo_request), 17, seg, 12), 0);
}

static void test_emit_bounds(void **state)
{
	(void)state;
	uint8_t seg[8];
	memset(seg, 0xa5, sizeof seg);
	struct ww_udp u = { .sport = 1, .dport = 2 };
	assert_int_equal(ww_udp_emit(&u, 1, 2, seg, 7), 0);
	for (size_t i = 0; i < sizeof seg; i++)
		assert_int_equal(seg[i], 0xa5);
	assert_int_equal(ww_udp_emit(&u, 1, 2, seg, 8), 8);
	assert_int_equal(ww_get16(seg + 4), 8);
	static uint8_t big[65536];
	assert_int_equal(ww_udp_emit(&u, 1, 2, big, 65536), 0);
	assert_int_equal(ww_udp_emit(&u, 1, 2, big, 65535), 8);
	assert_int_equal(ww_get16(big + 4), 65535);
	assert_int_equal(ww_l4_csum(1, 2, 17, big, 65535), 0);
}

/* Parse then emit gives the same bytes, also when they were wrong. */
static void test_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < NREAL + 1; i++) {
		uint8_t f[128];
		const uint8_t *src = i < NREAL ? real[i].f : echo_request;
		size_t flen = i < NREAL ? real[i].flen : sizeof echo_request;
		memcpy(f, src, flen);
		if (i == NREAL) { /* wrong checksum and a short length, set by hand */
			ww_put16(f + L4_OFF + 4, 9);
			ww_put16(f + L4_OFF + 6, 0xbeef);
		}
		size_t n = l4_len(f);
		struct ww_cursor c;
		struct ww_udp u;
		cursor_at(&c, f, n);
		assert_int_equal(ww_udp_parse(&c, &u), 0);
		uint8_t seg[128];
		memset(seg, 0xa5, sizeof seg);
		memcpy(seg + 8, f + L4_OFF + 8, n - 8);
		assert_int_equal(ww_udp_emit(&u, ip_src(f), ip_dst(f), seg, n), 8);
		assert_memory_equal(seg, f + L4_OFF, n);
	}
}

/* Cut at every length: truncated, never a crash, and the field named is
 * the one the bytes ran out in. The fixed fields that fit are still shown. */
static void test_truncated_every_length(void **state)
{
	(void)state;
	static const char *at[8] = { "udp.srcport", "udp.srcport", "udp.dstport", "udp.dstport",
				     "udp.length",  "udp.length",  "udp.checksum", "udp.checksum" };
	const uint8_t *f = echo_request;
	struct ww_ipv4 ip = ip_of(f);
	for (size_t n = 0; n < l4_len(f); n++) {
		struct ww_cursor c;
		struct ww_udp u;
		cursor_at(&c, f, n);
		assert_int_equal(ww_udp_parse(&c, &u), -1);
		assert_int_equal(c.err.status, WW_TRUNCATED);
		assert_string_equal(c.err.field, n < 8 ? at[n] : "udp.length");

		ww_dissect_reset(&dis, f, sizeof echo_request);
		cursor_at(&c, f, n);
		assert_null(ww_udp_dissect(&dis, &c, &ip));
		assert_int_equal(dis.nerrors, 1);
		assert_int_equal(dis.errors[0].status, WW_TRUNCATED);
		assert_int_equal(dis.nitems, n < 8 ? n / 2 : 4);
	}
}

/* A length below the header's own 8 bytes is invalid, not truncated. */
static void test_length_below_8_invalid(void **state)
{
	(void)state;
	for (uint16_t len = 0; len < 8; len++) {
		uint8_t f[sizeof echo_request];
		memcpy(f, echo_request, sizeof f);
		ww_put16(f + L4_OFF + 4, len);
		struct ww_cursor c;
		struct ww_udp u;
		cursor_at(&c, f, l4_len(f));
		assert_int_equal(ww_udp_parse(&c, &u), -1);
		assert_int_equal(c.err.status, WW_INVALID);
		assert_string_equal(c.err.field, "udp.length");
		assert_int_equal(c.err.offset, L4_OFF + 4);

		struct ww_ipv4 ip = ip_of(f);
		ww_dissect_reset(&dis, f, sizeof f);
		cursor_at(&c, f, l4_len(f));
		assert_null(ww_udp_dissect(&dis, &c, &ip));
		assert_int_equal(dis.errors[0].status, WW_INVALID);
		assert_int_equal(dis.nitems, 4); /* the bad packet is still shown */
		assert_int_equal(find_item(&dis, "udp.length")->u, len);
	}
}

/* Values at the edges of their fields survive emit and parse. */
static void test_wraparound_values(void **state)
{
	(void)state;
	uint8_t seg[8 + 4] = { [8] = 0xff, 0xff, 0xff, 0xff };
	struct ww_udp u = { .sport = 0xffff, .dport = 0 };
	ww_udp_emit(&u, 0xffffffff, 0xffffffff, seg, sizeof seg);
	struct ww_cursor c;
	struct ww_udp back;
	ww_cur_init(&c, seg, sizeof seg, 0);
	assert_int_equal(ww_udp_parse(&c, &back), 0);
	assert_int_equal(back.sport, 0xffff);
	assert_int_equal(back.dport, 0);
	assert_int_equal(back.len, 12);
	assert_int_equal(ww_l4_csum(0xffffffff, 0xffffffff, 17, seg, sizeof seg), 0);
}

static void test_field_table(void **state)
{
	(void)state;
	static const struct { const char *name, *alias; int bit_off; } want[] = {
		{ "udp.srcport", "sport", 0 },
		{ "udp.dstport", "dport", 16 },
		{ "udp.length", "len", 32 },
		{ "udp.checksum", "chksum", 48 },
	};
	for (size_t i = 0; i < 4; i++) {
		const struct ww_field *fl = &ww_udp_fields[i];
		assert_string_equal(fl->name, want[i].name);
		assert_string_equal(fl->alias, want[i].alias);
		assert_int_equal(fl->bit_off, want[i].bit_off);
		assert_int_equal(fl->bit_width, 16);
		assert_non_null(fl->help);
		assert_ptr_equal(ww_field_find(ww_udp_fields, want[i].name), fl);
	}
	assert_null(ww_udp_fields[4].name);
}

/* The rows are where the enum says, the table ends with its NULL row,
 * every field is fixed, and the fast path gives what the general walk
 * gives, whole and cut at every length. */
static void test_field_rows(void **state)
{
	(void)state;
	static const struct row_name names[] = {
		{ WW_UDP_F_SRCPORT, "udp.srcport" },
		{ WW_UDP_F_DSTPORT, "udp.dstport" },
		{ WW_UDP_F_LENGTH, "udp.length" },
		{ WW_UDP_F_CHECKSUM, "udp.checksum" },
	};
	check_rows(ww_udp_fields, names, sizeof names / sizeof names[0], WW_UDP_F_END,
		   WW_UDP_F_CHECKSUM + 1);
	check_fixed_paths(ww_udp_fields, WW_UDP_F_CHECKSUM + 1, echo_request, sizeof echo_request,
			  L4_OFF);
	check_fixed_paths(ww_udp_fields, WW_UDP_F_CHECKSUM + 1, dns_query, sizeof dns_query, L4_OFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_real),
		cmocka_unit_test(test_cursor_limited_to_length),
		cmocka_unit_test(test_dissect_real),
		cmocka_unit_test(test_bad_checksum_shown),
		cmocka_unit_test(test_checksum_not_judged),
		cmocka_unit_test(test_first_fragment),
		cmocka_unit_test(test_emit_real),
		cmocka_unit_test(test_emit_zero_sum_as_ffff),
		cmocka_unit_test(test_emit_manual),
		cmocka_unit_test(test_emit_bounds),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_length_below_8_invalid),
		cmocka_unit_test(test_wraparound_values),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_field_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
