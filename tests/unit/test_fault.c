/* The fault injector: the same seed gives the same faults, each direction
 * keeps its own stream, every fault is reported, corruption flips exactly
 * one bit, reordering swaps a frame with the next (or lets it go when its
 * time is up), the chances come out near what was asked, and the text
 * form reads back. No clock: time is passed in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ww/fault.h"

#define MAXLOG 4096

/* Everything the injector did, in order. */
struct record {
	char kind;          /* 'D' delivered, or the event: d(rop) u(dup) r(eorder) l(release) c(orrupt) */
	enum ww_fault_dir dir;
	unsigned no;
	size_t len;
	uint8_t first;      /* the frame's first byte */
	uint32_t sum;       /* a checksum of its bytes */
};

struct log {
	struct record r[MAXLOG];
	size_t n;
	uint8_t last[64];   /* the last frame delivered */
	size_t last_len;
};

static uint32_t sum_of(const uint8_t *p, size_t n)
{
	uint32_t s = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		s = (s ^ p[i]) * 16777619u;
	return s;
}

static void add(struct log *lg, char kind, enum ww_fault_dir dir, const uint8_t *frame, size_t len,
		unsigned no)
{
	assert_true(lg->n < MAXLOG);
	lg->r[lg->n++] = (struct record){ kind, dir, no, len, len ? frame[0] : 0, sum_of(frame, len) };
}

static void on_deliver(void *arg, enum ww_fault_dir dir, const uint8_t *frame, size_t len,
		       unsigned no)
{
	struct log *lg = arg;
	add(lg, 'D', dir, frame, len, no);
	if (len <= sizeof lg->last) {
		memcpy(lg->last, frame, len);
		lg->last_len = len;
	}
}

static void on_event(void *arg, const struct ww_event *ev)
{
	struct log *lg = arg;
	assert_int_equal(ev->type, WW_EV_FAULT);
	assert_non_null(ev->reason);
	assert_non_null(ev->text);
	char kind = !strcmp(ev->reason, "fault.drop")        ? 'd'
		    : !strcmp(ev->reason, "fault.duplicate") ? 'u'
		    : !strcmp(ev->reason, "fault.reorder")   ? 'r'
		    : !strcmp(ev->reason, "fault.release")   ? 'l'
		    : !strcmp(ev->reason, "fault.corrupt")   ? 'c'
							     : '?';
	assert_true(kind != '?');
	add(lg, kind, WW_FAULT_RX, ev->frame, ev->len, ev->packet_no);
}

/* Frame NO: 60 bytes, byte i = (NO * 7 + i) & 0xff. */
static void make_frame(uint8_t *f, unsigned no)
{
	for (unsigned i = 0; i < 60; i++)
		f[i] = (uint8_t)(no * 7 + i);
}

static struct ww_fault_config config(double drop, double dup, double reorder, double corrupt,
				     uint64_t seed)
{
	return (struct ww_fault_config){ .drop = drop, .dup = dup, .reorder = reorder,
					 .corrupt = corrupt, .seed = seed, .dirs = WW_FAULT_ON_BOTH };
}

/* N received frames through an injector for CFG, into LG. */
static void run_rx(const struct ww_fault_config *cfg, unsigned n, struct log *lg)
{
	struct ww_fault *f = ww_fault_new(cfg, on_deliver, on_event, lg);
	assert_non_null(f);
	uint8_t frame[60];
	for (unsigned no = 1; no <= n; no++) {
		make_frame(frame, no);
		ww_fault_pass(f, WW_FAULT_RX, frame, sizeof frame, no, no * 1000u);
	}
	ww_fault_free(f);
}

static bool same_log(const struct log *a, const struct log *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (memcmp(&a->r[i], &b->r[i], sizeof a->r[i]))
			return false;
	return true;
}

static void test_same_seed_same_faults(void **state)
{
	(void)state;
	static struct log a, b, c;
	memset(&a, 0, sizeof a), memset(&b, 0, sizeof b), memset(&c, 0, sizeof c);
	struct ww_fault_config cfg = config(0.1, 0.1, 0.1, 0.1, 42);
	run_rx(&cfg, 500, &a);
	run_rx(&cfg, 500, &b);
	assert_true(same_log(&a, &b));
	/* Every kind of fault happened in 500 frames at 10% each. */
	const char *kinds = "durlc";
	for (const char *k = kinds; *k; k++) {
		size_t seen = 0;
		for (size_t i = 0; i < a.n; i++)
			seen += a.r[i].kind == *k;
		assert_true(seen > 0);
	}
	cfg.seed = 43;
	run_rx(&cfg, 500, &c);
	assert_false(same_log(&a, &c));
}

/* Frames sent in between do not change what happens to frames received. */
static void test_directions_draw_apart(void **state)
{
	(void)state;
	static struct log alone, mixed;
	memset(&alone, 0, sizeof alone), memset(&mixed, 0, sizeof mixed);
	struct ww_fault_config cfg = config(0.2, 0.1, 0.1, 0.1, 7);
	run_rx(&cfg, 300, &alone);

	struct ww_fault *f = ww_fault_new(&cfg, on_deliver, on_event, &mixed);
	uint8_t frame[60];
	for (unsigned no = 1; no <= 300; no++) {
		for (unsigned k = 0; k < no % 4; k++) {
			make_frame(frame, 1000 + no);
			ww_fault_pass(f, WW_FAULT_TX, frame, sizeof frame, 0, no * 1000u);
		}
		make_frame(frame, no);
		ww_fault_pass(f, WW_FAULT_RX, frame, sizeof frame, no, no * 1000u);
	}
	ww_fault_free(f);
	/* The received frames' part of the mixed run is the lone run. */
	struct log *rx_only = calloc(1, sizeof *rx_only);
	assert_non_null(rx_only);
	for (size_t i = 0; i < mixed.n; i++) {
		const struct record *r = &mixed.r[i];
		bool tx = r->kind == 'D' ? r->dir == WW_FAULT_TX : r->no == 0;
		if (!tx)
			rx_only->r[rx_only->n++] = *r;
	}
	assert_true(same_log(&alone, rx_only));
	free(rx_only);
}

static void test_nothing_asked_nothing_done(void **state)
{
	(void)state;
	static struct log lg;
	memset(&lg, 0, sizeof lg);
	struct ww_fault_config cfg = config(0, 0, 0, 0, 1);
	assert_false(ww_fault_active(&cfg));
	run_rx(&cfg, 100, &lg);
	assert_int_equal(lg.n, 100);
	for (unsigned i = 0; i < 100; i++) {
		uint8_t frame[60];
		make_frame(frame, i + 1);
		assert_int_equal(lg.r[i].kind, 'D');
		assert_int_equal(lg.r[i].no, i + 1);
		assert_int_equal(lg.r[i].sum, sum_of(frame, 60));
	}
}

static void test_drop_all(void **state)
{
	(void)state;
	static struct log lg;
	memset(&lg, 0, sizeof lg);
	struct ww_fault_config cfg = config(1, 1, 1, 1, 1);
	struct ww_fault *f = ww_fault_new(&cfg, on_deliver, on_event, &lg);
	uint8_t frame[60];
	for (unsigned no = 1; no <= 10; no++) {
		make_frame(frame, no);
		ww_fault_pass(f, WW_FAULT_RX, frame, sizeof frame, no, 0);
	}
	/* A dropped frame is only dropped: not also corrupted or held. */
	assert_int_equal(lg.n, 10);
	for (unsigned i = 0; i < 10; i++) {
		assert_int_equal(lg.r[i].kind, 'd');
		assert_int_equal(lg.r[i].no, i + 1);
	}
	assert_int_equal(ww_fault_stats(f)->dropped[WW_FAULT_RX], 10);
	assert_int_equal(ww_fault_stats(f)->frames[WW_FAULT_RX], 10);
	assert_int_equal(ww_fault_next_deadline(f), UINT64_MAX);
	ww_fault_free(f);
}

static unsigned popcount_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	unsigned bits = 0;
	for (size_t i = 0; i < n; i++)
		bits += (unsigned)__builtin_popcount((unsigned)(a[i] ^ b[i]));
	return bits;
}

static void test_corrupt_flips_one_bit(void **state)
{
	(void)state;
	static struct log lg;
	struct ww_fault_config cfg = config(0, 0, 0, 1, 99);
	struct ww_fault *f = ww_fault_new(&cfg, on_deliver, on_event, &lg);
	uint8_t frame[60];
	bool byte_seen[60] = { false };
	for (unsigned no = 1; no <= 400; no++) {
		memset(&lg, 0, sizeof lg);
		make_frame(frame, no);
		ww_fault_pass(f, WW_FAULT_RX, frame, sizeof frame, no, 0);
		/* The event, then the corrupted frame delivered once. */
		assert_int_equal(lg.n, 2);
		assert_int_equal(lg.r[0].kind, 'c');
		assert_int_equal(lg.r[1].kind, 'D');
		assert_int_equal(lg.r[0].sum, lg.r[1].sum);
		assert_int_equal(lg.last_len, 60);
		assert_int_equal(popcount_diff(frame, lg.last, 60), 1);
		for (unsigned i = 0; i < 60; i++)
			if (frame[i] != lg.last[i])
				byte_seen[i] = true;
	}
	/* The bit is anywhere in the frame, the first byte to the last. */
	unsigned bytes = 0;
	for (unsigned i = 0; i < 60; i++)
		bytes += byte_seen[i];
	assert_true(bytes > 50);
	assert_true(byte_seen[0] || byte_seen[59]);
	assert_int_equal(ww_fault_stats(f)->corrupted[WW_FAULT_RX], 400);
	ww_fault_free(f);
}

static void test_duplicate(void **state)
{
	(void)state;
	static struct log lg;
	memset(&lg, 0, sizeof lg);
	struct ww_fault_config cfg = config(0, 1, 0, 0, 5);
	run_rx(&cfg, 3, &lg);
	const char want[] = "uDDuDDuDD";
	assert_int_equal(lg.n, 9);
	for (size_t i = 0; i < lg.n; i++)
		assert_int_equal(lg.r[i].kind, want[i]);
	assert_int_equal(lg.r[1].no, 1);
	assert_int_equal(lg.r[2].no, 1);
	assert_int_equal(lg.r[1].sum, lg.r[2].sum);
}

/* With every frame chosen, 1 2 3 4 goes as 2 1 4 3: one frame is held at
 * a time, and the one after it goes on. */
static void test_reorder_swaps_pairs(void **state)
{
	(void)state;
	static struct log lg;
	memset(&lg, 0, sizeof lg);
	struct ww_fault_config cfg = config(0, 0, 1, 0, 5);
	run_rx(&cfg, 4, &lg);
	unsigned order[8], n = 0;
	for (size_t i = 0; i < lg.n; i++)
		if (lg.r[i].kind == 'D')
			order[n++] = lg.r[i].no;
	assert_int_equal(n, 4);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 1);
	assert_int_equal(order[2], 4);
	assert_int_equal(order[3], 3);
	/* Held, delivered 2, released 1 (after the event), delivered 1. */
	const char want[] = "rDlDrDlD";
	assert_int_equal(lg.n, 8);
	for (size_t i = 0; i < lg.n; i++)
		assert_int_equal(lg.r[i].kind, want[i]);
}

static void test_reorder_hold_times_out(void **state)
{
	(void)state;
	static struct log lg;
	memset(&lg, 0, sizeof lg);
	struct ww_fault_config cfg = config(0, 0, 1, 0, 5);
	cfg.hold_ns = 5000;
	struct ww_fault *f = ww_fault_new(&cfg, on_deliver, on_event, &lg);
	uint8_t frame[60];
	make_frame(frame, 1);
	ww_fault_pass(f, WW_FAULT_RX, frame, sizeof frame, 1, 1000);
	assert_int_equal(lg.n, 1); /* held: nothing delivered */
	assert_int_equal(ww_fault_next_deadline(f), 6000);
	ww_fault_poll(f, 5999);
	assert_int_equal(lg.n, 1);
	memset(frame, 0, sizeof frame); /* the injector kept its own copy */
	ww_fault_poll(f, 6000);
	assert_int_equal(lg.n, 3);
	assert_int_equal(lg.r[1].kind, 'l');
	assert_int_equal(lg.r[2].kind, 'D');
	assert_int_equal(lg.r[2].no, 1);
	make_frame(frame, 1);
	assert_int_equal(lg.r[2].sum, sum_of(frame, 60));
	assert_int_equal(ww_fault_next_deadline(f), UINT64_MAX);
	ww_fault_free(f);
}

/* Turning faults off loses nothing: a frame held goes first. */
static void test_free_delivers_held(void **state)
{
	(void)state;
	static struct log lg;
	memset(&lg, 0, sizeof lg);
	struct ww_fault_config cfg = config(0, 0, 1, 0, 5);
	struct ww_fault *f = ww_fault_new(&cfg, on_deliver, on_event, &lg);
	uint8_t frame[60];
	make_frame(frame, 9);
	ww_fault_pass(f, WW_FAULT_TX, frame, sizeof frame, 0, 0);
	assert_int_equal(lg.n, 1);
	ww_fault_free(f);
	assert_int_equal(lg.n, 3);
	assert_int_equal(lg.r[2].kind, 'D');
	assert_int_equal(lg.r[2].dir, WW_FAULT_TX);
}

static void test_one_direction_only(void **state)
{
	(void)state;
	static struct log lg;
	memset(&lg, 0, sizeof lg);
	struct ww_fault_config cfg = config(1, 0, 0, 0, 5);
	cfg.dirs = WW_FAULT_ON_RX;
	struct ww_fault *f = ww_fault_new(&cfg, on_deliver, on_event, &lg);
	assert_true(ww_fault_applies(f, WW_FAULT_RX));
	assert_false(ww_fault_applies(f, WW_FAULT_TX));
	uint8_t frame[60];
	make_frame(frame, 1);
	ww_fault_pass(f, WW_FAULT_TX, frame, sizeof frame, 0, 0);
	ww_fault_pass(f, WW_FAULT_RX, frame, sizeof frame, 1, 0);
	assert_int_equal(lg.n, 2);
	assert_int_equal(lg.r[0].kind, 'D');
	assert_int_equal(lg.r[0].dir, WW_FAULT_TX);
	assert_int_equal(lg.r[1].kind, 'd');
	assert_int_equal(ww_fault_stats(f)->frames[WW_FAULT_TX], 0);
	ww_fault_free(f);
}

/* Over 100000 frames each chance lands within 5 standard deviations. */
static void count_only(void *arg, enum ww_fault_dir dir, const uint8_t *frame, size_t len,
		       unsigned no)
{
	(void)dir, (void)frame, (void)len, (void)no;
	(*(unsigned *)arg)++;
}

static void test_rates(void **state)
{
	(void)state;
	struct ww_fault_config cfg = config(0.05, 0.02, 0.1, 0.01, 2024);
	unsigned delivered = 0;
	struct ww_fault *f = ww_fault_new(&cfg, count_only, NULL, &delivered);
	uint8_t frame[60] = { 0 };
	const unsigned n = 100000;
	for (unsigned no = 1; no <= n; no++)
		ww_fault_pass(f, WW_FAULT_RX, frame, sizeof frame, no, no);
	ww_fault_poll(f, UINT64_MAX);
	const struct ww_fault_stats *s = ww_fault_stats(f);
	assert_int_equal(s->frames[WW_FAULT_RX], n);
	struct { uint64_t got; double p; } rows[] = {
		{ s->dropped[0], 0.05 },
		/* dup, reorder and corrupt are drawn only for frames not dropped */
		{ s->duplicated[0], 0.02 * 0.95 },
		{ s->corrupted[0], 0.01 * 0.95 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		double mean = n * rows[i].p, sd = __builtin_sqrt(n * rows[i].p * (1 - rows[i].p));
		assert_true(rows[i].got > mean - 5 * sd && rows[i].got < mean + 5 * sd);
	}
	/* Reordering takes a frame only when none is held already. */
	assert_true(s->reordered[0] > 0.08 * n && s->reordered[0] < 0.1 * n);
	assert_int_equal(delivered, n - s->dropped[0] + s->duplicated[0]);
	ww_fault_free(f);
}

static void test_parse_and_format(void **state)
{
	(void)state;
	struct ww_fault_config c;
	bool seed_set;
	char err[256], text[256];
	assert_int_equal(ww_fault_parse("drop=0.05 dup=2% reorder=0.1  corrupt=0.01 seed=7 dir=rx", &c,
					&seed_set, err, sizeof err), 0);
	assert_true(c.drop == 0.05 && c.dup == 0.02 && c.reorder == 0.1 && c.corrupt == 0.01);
	assert_int_equal(c.seed, 7);
	assert_true(seed_set);
	assert_int_equal(c.dirs, WW_FAULT_ON_RX);
	assert_true(ww_fault_active(&c));
	ww_fault_format(&c, text, sizeof text);
	assert_string_equal(text, "drop=0.05 dup=0.02 reorder=0.1 corrupt=0.01 seed=7 dir=rx");
	struct ww_fault_config back;
	assert_int_equal(ww_fault_parse(text, &back, &seed_set, err, sizeof err), 0);
	assert_memory_equal(&back, &c, sizeof c);

	assert_int_equal(ww_fault_parse("drop=0.5", &c, &seed_set, err, sizeof err), 0);
	assert_false(seed_set);
	assert_int_equal(c.dirs, WW_FAULT_ON_BOTH);
	assert_true(c.dup == 0 && c.reorder == 0 && c.corrupt == 0);

	static const char *const bad[] = { "drop=2", "drop=-0.1", "drop=", "drop", "loss=0.1",
					   "drop=0.1 dir=up", "seed=x", "seed=-1", "dup=150%", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_int_equal(ww_fault_parse(bad[i], &c, &seed_set, err, sizeof err), -1);
		assert_true(err[0] != '\0');
	}
	ww_fault_parse("drop=0.1 dir=up", &c, &seed_set, err, sizeof err);
	assert_non_null(strstr(err, "'dir=up'"));

	/* Out of range never makes an injector. */
	struct ww_fault_config wrong = config(1.5, 0, 0, 0, 0);
	assert_null(ww_fault_new(&wrong, count_only, NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_faults),
		cmocka_unit_test(test_directions_draw_apart),
		cmocka_unit_test(test_nothing_asked_nothing_done),
		cmocka_unit_test(test_drop_all),
		cmocka_unit_test(test_corrupt_flips_one_bit),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_reorder_swaps_pairs),
		cmocka_unit_test(test_reorder_hold_times_out),
		cmocka_unit_test(test_free_delivers_held),
		cmocka_unit_test(test_one_direction_only),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_parse_and_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
