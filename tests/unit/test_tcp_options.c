/* TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018): Linux's layout, and
 * each way an option can be malformed, one at a time, on a real header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ww/bytes.h"
#include "ww/dissect.h"
#include "ww/tcp.h"

/* curl's SYN from 192.168.1.5 to 203.0.113.53:80, captured with tcpdump
 * on the sender's veth in a network namespace: Ethernet, IPv4, then TCP
 * with the kernel's options MSS, SACK_PERM, TS, NOP, WS. Its first 54
 * bytes carry the options made up below. */
static const uint8_t syn[74] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x69, 0x01, 0x40, 0x00, 0x40, 0x06,
	0xd3, 0xd7, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0xae, 0x5e,
	0x00, 0x50, 0x28, 0xf9, 0xeb, 0x52, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
	0xfb, 0xe0, 0x7a, 0xbf, 0x00, 0x00, 0x02, 0x04, 0x04, 0xd8, 0x04, 0x02,
	0x08, 0x0a, 0x2f, 0x26, 0xe2, 0x34, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03,
	0x03, 0x0a,
};

/* Ethernet II + IPv4 without options: the segment starts at byte 34. */
#define L4_OFF 34

static size_t l4_len(const uint8_t *f) { return ww_get16(f + 16) - 20u; }

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

struct want_item {
	const char *name;
	uint32_t off, len;
	uint64_t u;
	uint8_t depth;
};

/* The option items after the 19 fixed ones, each where and as deep as W says. */
static void check_option_items(const struct want_item *w, size_t n)
{
	assert_int_equal(dis.nitems, 19 + n);
	for (size_t i = 0; i < n; i++) {
		const struct ww_item *it = &dis.items[19 + i];
		assert_string_equal(it->f->name, w[i].name);
		assert_int_equal(it->off, w[i].off);
		assert_int_equal(it->len, w[i].len);
		assert_int_equal(it->depth, w[i].depth);
		if (it->f->type == WW_FT_BYTES)
			assert_ptr_equal(it->p, dis.frame + w[i].off);
		else
			assert_int_equal(it->u, w[i].u);
	}
}

/* A 20-byte header with a data offset of its own and OPTS after it. */
static size_t make_seg(uint8_t *f, const uint8_t *opts, size_t n, unsigned doff)
{
	memcpy(f, syn, L4_OFF + 20);
	memcpy(f + L4_OFF + 20, opts, n);
	f[L4_OFF + 12] = (uint8_t)(doff << 4);
	ww_put16(f + 16, (uint16_t)(20 + 20 + n));
	return L4_OFF + 20 + n;
}

/* The option layout alone, and what does not fit. */
static void test_options_layout(void **state)
{
	(void)state;
	uint8_t out[WW_TCP_MAX_OPTS];
	struct ww_tcp t = { .has_wscale = true, .wscale = 7 };
	static const uint8_t ws[4] = { 1, 3, 3, 7 };
	assert_int_equal(ww_tcp_options_layout(&t, out), 4);
	assert_memory_equal(out, ws, 4);
	t = (struct ww_tcp){ .sack_perm = true };
	static const uint8_t sp[4] = { 1, 1, 4, 2 };
	assert_int_equal(ww_tcp_options_layout(&t, out), 4);
	assert_memory_equal(out, sp, 4);
	t = (struct ww_tcp){ 0 };
	assert_int_equal(ww_tcp_options_layout(&t, out), 0);
	assert_int_equal(ww_tcp_header_len(&t), 20);
	/* Four SACK blocks alone fit (36 bytes); more are not sent. */
	t = (struct ww_tcp){ .nsack = 200 };
	assert_int_equal(ww_tcp_options_layout(&t, out), 36);
	assert_int_equal(out[3], 34);
	/* MSS, timestamps, window scale and three blocks do not: 48 bytes. */
	t = (struct ww_tcp){ .has_mss = true, .has_ts = true, .has_wscale = true, .nsack = 3 };
	memset(out, 0xa5, sizeof out);
	assert_int_equal(ww_tcp_options_layout(&t, out), 48);
	assert_int_equal(out[0], 0xa5);
	assert_int_equal(ww_tcp_header_len(&t), 68);
	uint8_t seg[100];
	memset(seg, 0xa5, sizeof seg);
	assert_int_equal(ww_tcp_emit(&t, 1, 2, seg, sizeof seg), 0);
	assert_int_equal(seg[0], 0xa5);
}

/* Each malformed option is invalid and names itself; the options before
 * it and the fixed fields are still shown. */
static void test_malformed_options(void **state)
{
	(void)state;
	static const struct {
		uint8_t opts[12];
		size_t n;
		const char *field;
		uint32_t err_off; /* from the start of the options */
		unsigned opt_items; /* option items shown before the error */
	} bad[] = {
		{ { 2, 3, 5, 1 }, 4, "tcp.options.mss", 1, 3 },
		{ { 2, 4, 5, 0xb4, 3, 4, 7, 1 }, 8, "tcp.options.wscale", 5, 7 },
		{ { 3, 4, 7, 1 }, 4, "tcp.options.wscale", 1, 3 },
		{ { 4, 3, 0, 1 }, 4, "tcp.options.sack_perm", 1, 3 },
		{ { 8, 8, 0, 0, 0, 0, 0, 0 }, 8, "tcp.options.timestamp", 1, 3 },
		{ { 5, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 12, "tcp.options.sack", 1, 3 },
		{ { 5, 2, 1, 1 }, 4, "tcp.options.sack", 1, 3 },
		{ { 30, 1, 0, 0 }, 4, "tcp.option_len", 1, 0 },
		{ { 30, 0, 0, 0 }, 4, "tcp.option_len", 1, 0 },
		{ { 2, 8, 5, 0xb4 }, 4, "tcp.option_len", 1, 0 },
		{ { 1, 1, 1, 2 }, 4, "tcp.option_len", 3, 6 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t f[128];
		size_t flen = make_seg(f, bad[i].opts, bad[i].n, 5 + (unsigned)bad[i].n / 4);
		struct ww_cursor c;
		struct ww_tcp t;
		cursor_at(&c, f, l4_len(f));
		assert_int_equal(ww_tcp_parse(&c, &t), -1);
		assert_int_equal(c.err.status, WW_INVALID);
		assert_string_equal(c.err.field, bad[i].field);
		assert_int_equal(c.err.offset, L4_OFF + 20 + bad[i].err_off);

		ww_dissect_reset(&dis, f, flen);
		cursor_at(&c, f, l4_len(f));
		assert_null(ww_tcp_dissect(&dis, &c, NULL));
		assert_int_equal(dis.nerrors, 1);
		assert_string_equal(dis.errors[0].field, bad[i].field);
		/* 19 fixed items, tcp.options, then what came before the bad one */
		assert_int_equal(dis.nitems, 20 + bad[i].opt_items);
	}
}

/* EOL ends the list: what follows is padding, skipped unread if not all
 * zero. Unknown options are kept whole, their value as bytes. */
static void test_eol_and_unknown(void **state)
{
	(void)state;
	static const uint8_t opts[12] = { 30, 6, 0xde, 0xad, 0xbe, 0xef, 0xfd, 2, 0, 8, 10, 0xff };
	uint8_t f[128];
	size_t flen = make_seg(f, opts, sizeof opts, 8);
	struct ww_cursor c;
	struct ww_tcp t;
	cursor_at(&c, f, l4_len(f));
	assert_int_equal(ww_tcp_parse(&c, &t), 0);
	assert_false(t.has_ts);
	assert_int_equal(t.opt_len, 12);
	assert_int_equal(ww_cur_left(&c), 0);

	static const struct want_item w[] = {
		{ "tcp.options", 54, 12, 0, 0 },
		{ "tcp.options.unknown", 54, 6, 0, 1 },
		{ "tcp.option_kind", 54, 1, 30, 2 },
		{ "tcp.option_len", 55, 1, 6, 2 },
		{ "tcp.options.unknown.payload", 56, 4, 0, 2 },
		{ "tcp.options.unknown", 60, 2, 0, 1 },
		{ "tcp.option_kind", 60, 1, 0xfd, 2 },
		{ "tcp.option_len", 61, 1, 2, 2 },
		{ "tcp.options.eol", 62, 1, 0, 1 },
		{ "tcp.option_kind", 62, 1, 0, 2 },
		{ "tcp.len", 66, 0, 0, 0 },
	};
	ww_dissect_reset(&dis, f, flen);
	cursor_at(&c, f, l4_len(f));
	assert_non_null(ww_tcp_dissect(&dis, &c, NULL));
	check_option_items(w, sizeof w / sizeof w[0]);
	assert_int_equal(dis.items[19 + 4].plen, 4);

	/* Zero padding after EOL reads as more EOLs, as tshark lists them. */
	static const uint8_t zero_pad[8] = { 2, 4, 5, 0xb4, 1, 0, 0, 0 };
	static const struct want_item z[] = {
		{ "tcp.options", 54, 8, 0, 0 },
		{ "tcp.options.mss", 54, 4, 0, 1 },
		{ "tcp.option_kind", 54, 1, 2, 2 },
		{ "tcp.option_len", 55, 1, 4, 2 },
		{ "tcp.options.mss_val", 56, 2, 1460, 2 },
		{ "tcp.options.nop", 58, 1, 0, 1 },
		{ "tcp.option_kind", 58, 1, 1, 2 },
		{ "tcp.options.eol", 59, 1, 0, 1 },
		{ "tcp.option_kind", 59, 1, 0, 2 },
		{ "tcp.options.eol", 60, 1, 0, 1 },
		{ "tcp.option_kind", 60, 1, 0, 2 },
		{ "tcp.options.eol", 61, 1, 0, 1 },
		{ "tcp.option_kind", 61, 1, 0, 2 },
		{ "tcp.len", 62, 0, 0, 0 },
	};
	flen = make_seg(f, zero_pad, sizeof zero_pad, 7);
	ww_dissect_reset(&dis, f, flen);
	cursor_at(&c, f, l4_len(f));
	assert_non_null(ww_tcp_dissect(&dis, &c, NULL));
	check_option_items(z, sizeof z / sizeof z[0]);
}

/* A shift above 14 is shown with the multiplier RFC 7323 caps it at. */
static void test_wscale_above_14(void **state)
{
	(void)state;
	static const uint8_t opts[4] = { 1, 3, 3, 15 };
	uint8_t f[128];
	size_t flen = make_seg(f, opts, 4, 6);
	ww_dissect_reset(&dis, f, flen);
	struct ww_cursor c;
	cursor_at(&c, f, l4_len(f));
	assert_non_null(ww_tcp_dissect(&dis, &c, NULL));
	assert_int_equal(find_item(&dis, "tcp.options.wscale.shift")->u, 15);
	assert_int_equal(find_item(&dis, "tcp.options.wscale.multiplier")->u, 16384);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_layout),
		cmocka_unit_test(test_malformed_options),
		cmocka_unit_test(test_eol_and_unknown),
		cmocka_unit_test(test_wscale_above_14),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
