/* The bounded packet list: numbering never stops, the last frames within
 * the limits are kept byte for byte, older ones are forgotten, the
 * memory held stays under the limits, and the limits can change at any
 * time (down to keeping nothing). */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ww/packet_list.h"

/* Frame NO: length 60 + NO % 1455 (60 to 1514 bytes), byte i = (NO + i) % 251. */
static size_t frame_len(unsigned no)
{
	return 60 + no % 1455;
}

static void make(uint8_t *buf, unsigned no, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)((no + i) % 251);
}

static void add(struct ww_packet_list *pl, unsigned no)
{
	static uint8_t buf[70000];
	size_t len = frame_len(no);
	make(buf, no, len);
	const struct ww_packet *p = ww_packet_list_add(pl, no % 2, buf, len, no * 10u);
	assert_non_null(p);
	assert_int_equal(p->no, no);
	assert_int_equal(p->len, len);
}

/* Frame NO is kept, and is the frame that was added. */
static void check_kept(const struct ww_packet_list *pl, unsigned no)
{
	static uint8_t want[70000];
	const struct ww_packet *p = ww_packet_list_get(pl, no);
	assert_non_null(p);
	assert_int_equal(p->no, no);
	assert_int_equal(p->sent, no % 2);
	assert_int_equal(p->ts_ns, no * 10u);
	assert_int_equal(p->len, frame_len(no));
	make(want, no, p->len);
	assert_memory_equal(p->data, want, p->len);
}

static void test_keep_everything(void **state)
{
	(void)state;
	struct ww_packet_list pl;
	ww_packet_list_init(&pl, WW_KEEP_ALL_FRAMES, WW_KEEP_ALL_BYTES);
	assert_null(ww_packet_list_get(&pl, 0));
	assert_null(ww_packet_list_get(&pl, 1));
	for (unsigned no = 1; no <= 3000; no++)
		add(&pl, no);
	for (unsigned no = 1; no <= 3000; no++)
		check_kept(&pl, no);
	assert_null(ww_packet_list_get(&pl, 3001));
	assert_int_equal(pl.count, 3000);
	assert_int_equal(pl.first, 1);
	ww_packet_list_free(&pl);
}

static void test_last_frames_kept(void **state)
{
	(void)state;
	struct ww_packet_list pl;
	ww_packet_list_init(&pl, 100, WW_KEEP_ALL_BYTES);
	const struct ww_packet *early = NULL;
	for (unsigned no = 1; no <= 5000; no++) {
		add(&pl, no);
		if (no == 4950)
			early = ww_packet_list_get(&pl, no);
	}
	assert_int_equal(pl.count, 5000);
	assert_int_equal(pl.first, 4901);
	assert_null(ww_packet_list_get(&pl, 4900));
	assert_null(ww_packet_list_get(&pl, 1));
	for (unsigned no = 4901; no <= 5000; no++)
		check_kept(&pl, no);
	/* A packet stays where it was while it is kept. */
	assert_ptr_equal(early, ww_packet_list_get(&pl, 4950));
	/* Only the chunks of entries still kept remain. */
	assert_true(pl.nchunks <= 2);
	ww_packet_list_free(&pl);
}

static void test_byte_limit(void **state)
{
	(void)state;
	struct ww_packet_list pl;
	ww_packet_list_init(&pl, WW_KEEP_ALL_FRAMES, 1u << 20);
	for (unsigned no = 1; no <= 20000; no++) {
		add(&pl, no);
		assert_true(pl.bytes <= (1u << 20));
	}
	/* 1 MiB of frames averaging 787 bytes: over a thousand, and the
	 * newest all there. */
	unsigned kept = pl.count + 1 - pl.first;
	assert_true(kept > 1000 && kept < 2000);
	for (unsigned no = pl.first; no <= pl.count; no++)
		check_kept(&pl, no);
	ww_packet_list_free(&pl);
}

/* The heap grows by the limit, not by the traffic. */
static void test_memory_bounded(void **state)
{
	(void)state;
	struct ww_packet_list pl;
	ww_packet_list_init(&pl, 10000, 2u << 20);
	for (unsigned no = 1; no <= 20000; no++)
		add(&pl, no);
	size_t after_warmup = mallinfo2().uordblks;
	for (unsigned no = 20001; no <= 200000; no++)
		add(&pl, no);
	size_t after = mallinfo2().uordblks;
	assert_true(after <= after_warmup + 512 * 1024);
	assert_true(pl.bytes <= 2u << 20);
	check_kept(&pl, 200000);
	ww_packet_list_free(&pl);
}

static void test_keep_nothing(void **state)
{
	(void)state;
	struct ww_packet_list pl;
	ww_packet_list_init(&pl, 0, WW_KEEP_ALL_BYTES);
	uint8_t frame[60];
	make(frame, 1, sizeof frame);
	for (unsigned no = 1; no <= 2500; no++) {
		const struct ww_packet *p = ww_packet_list_add(&pl, true, frame, sizeof frame, no);
		assert_int_equal(p->no, no);
		/* Not copied: the caller's bytes, for the moment. */
		assert_ptr_equal(p->data, frame);
		assert_null(ww_packet_list_get(&pl, no));
	}
	assert_int_equal(pl.nchunks, 0);
	assert_int_equal(pl.bytes, 0);
	/* Keeping again: numbers go on where they were. */
	ww_packet_list_set_limits(&pl, 10, WW_KEEP_ALL_BYTES);
	for (unsigned no = 2501; no <= 2530; no++)
		add(&pl, no);
	assert_null(ww_packet_list_get(&pl, 2520));
	for (unsigned no = 2521; no <= 2530; no++)
		check_kept(&pl, no);
	ww_packet_list_free(&pl);
}

static void test_limits_change(void **state)
{
	(void)state;
	struct ww_packet_list pl;
	ww_packet_list_init(&pl, WW_KEEP_ALL_FRAMES, WW_KEEP_ALL_BYTES);
	for (unsigned no = 1; no <= 2000; no++)
		add(&pl, no);
	ww_packet_list_set_limits(&pl, 5, WW_KEEP_ALL_BYTES);
	assert_int_equal(pl.first, 1996);
	assert_null(ww_packet_list_get(&pl, 1995));
	for (unsigned no = 1996; no <= 2000; no++)
		check_kept(&pl, no);
	ww_packet_list_set_limits(&pl, 0, WW_KEEP_ALL_BYTES);
	assert_null(ww_packet_list_get(&pl, 2000));
	assert_int_equal(pl.bytes, 0);
	ww_packet_list_set_limits(&pl, WW_KEEP_ALL_FRAMES, WW_KEEP_ALL_BYTES);
	for (unsigned no = 2001; no <= 4100; no++)
		add(&pl, no);
	for (unsigned no = 2001; no <= 4100; no++)
		check_kept(&pl, no);
	ww_packet_list_free(&pl);
}

/* Frames of 64 KiB and more (GSO super-frames), and empty ones. */
static void test_odd_sizes(void **state)
{
	(void)state;
	struct ww_packet_list pl;
	ww_packet_list_init(&pl, 8, 1u << 20);
	static uint8_t big[300000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 13);
	const struct ww_packet *p = ww_packet_list_add(&pl, false, big, 65536, 1);
	assert_memory_equal(p->data, big, 65536);
	p = ww_packet_list_add(&pl, false, big, sizeof big, 2);
	assert_ptr_not_equal(p->data, big);
	assert_memory_equal(ww_packet_list_get(&pl, 2)->data, big, sizeof big);
	p = ww_packet_list_add(&pl, true, big, 0, 3);
	assert_int_equal(p->len, 0);
	assert_non_null(ww_packet_list_get(&pl, 3));
	/* Larger than the byte limit: numbered, not kept, and the others
	 * give way (the list holds nothing then). */
	static uint8_t huge[1u << 21];
	p = ww_packet_list_add(&pl, true, huge, sizeof huge, 4);
	assert_int_equal(p->no, 4);
	assert_ptr_equal(p->data, huge);
	assert_null(ww_packet_list_get(&pl, 4));
	add(&pl, 5);
	check_kept(&pl, 5);
	ww_packet_list_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_everything),
		cmocka_unit_test(test_last_frames_kept),
		cmocka_unit_test(test_byte_limit),
		cmocka_unit_test(test_memory_bounded),
		cmocka_unit_test(test_keep_nothing),
		cmocka_unit_test(test_limits_change),
		cmocka_unit_test(test_odd_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
