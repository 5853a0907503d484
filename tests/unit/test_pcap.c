/* Classic pcap reading and writing: files built byte by byte in both byte
 * orders and both timestamp resolutions, real files written by tcpdump,
 * the writer's exact bytes, and every kind of bad input with its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pcap_captures.h"
#include "ww/pcap.h"

/* ---- building files by hand ------------------------------------------ */

struct file {
	uint8_t b[8192];
	size_t len;
	bool big_endian;
};

static void put8(struct file *f, uint8_t v)
{
	assert_true(f->len < sizeof f->b);
	f->b[f->len++] = v;
}

static void put16(struct file *f, uint16_t v)
{
	if (f->big_endian) {
		put8(f, (uint8_t)(v >> 8));
		put8(f, (uint8_t)v);
	} else {
		put8(f, (uint8_t)v);
		put8(f, (uint8_t)(v >> 8));
	}
}

static void put32(struct file *f, uint32_t v)
{
	if (f->big_endian) {
		put16(f, (uint16_t)(v >> 16));
		put16(f, (uint16_t)v);
	} else {
		put16(f, (uint16_t)v);
		put16(f, (uint16_t)(v >> 16));
	}
}

static void file_header(struct file *f, bool big_endian, uint32_t magic, uint32_t snaplen,
			uint32_t linktype)
{
	memset(f, 0, sizeof *f);
	f->big_endian = big_endian;
	put32(f, magic);
	put16(f, 2);
	put16(f, 4);
	put32(f, 0);
	put32(f, 0);
	put32(f, snaplen);
	put32(f, linktype);
}

/* A record header, then N bytes of body (i & 0xff), fewer if BODY < N. */
static void record(struct file *f, uint32_t sec, uint32_t sub, uint32_t caplen, uint32_t origlen,
		   uint32_t body)
{
	put32(f, sec);
	put32(f, sub);
	put32(f, caplen);
	put32(f, origlen);
	for (uint32_t i = 0; i < body; i++)
		put8(f, (uint8_t)i);
}

static FILE *file_open(struct file *f)
{
	FILE *fp = fmemopen(f->b, f->len, "rb");
	assert_non_null(fp);
	return fp;
}

/* ---- reading files built by hand ------------------------------------- */

static void check_two_records(bool big_endian, bool nsec)
{
	struct file f;
	file_header(&f, big_endian, nsec ? WW_PCAP_MAGIC_NSEC : WW_PCAP_MAGIC_USEC, 65535, 1);
	record(&f, 1700000000, nsec ? 123456789 : 123456, 60, 60, 60);
	record(&f, 1700000001, nsec ? 999999999 : 999999, 14, 1514, 14);

	FILE *fp = file_open(&f);
	struct ww_pcap_reader r;
	assert_int_equal(ww_pcap_open(&r, fp), 0);
	assert_int_equal(r.big_endian, big_endian);
	assert_int_equal(r.nsec, nsec);
	assert_int_equal(r.version_major, 2);
	assert_int_equal(r.version_minor, 4);
	assert_int_equal(r.snaplen, 65535);
	assert_int_equal(r.linktype, 1);

	struct ww_pcap_record rec;
	assert_int_equal(ww_pcap_next(&r, &rec), 1);
	assert_int_equal(rec.frame_no, 1);
	assert_int_equal(rec.offset, 24);
	assert_int_equal(rec.sec, 1700000000);
	assert_int_equal(rec.nsec, nsec ? 123456789 : 123456000);
	assert_int_equal(rec.caplen, 60);
	assert_int_equal(rec.origlen, 60);
	for (unsigned i = 0; i < 60; i++)
		assert_int_equal(rec.data[i], i);

	assert_int_equal(ww_pcap_next(&r, &rec), 1);
	assert_int_equal(rec.frame_no, 2);
	assert_int_equal(rec.offset, 24 + 16 + 60);
	assert_int_equal(rec.sec, 1700000001);
	assert_int_equal(rec.nsec, nsec ? 999999999 : 999999000);
	assert_int_equal(rec.caplen, 14);
	assert_int_equal(rec.origlen, 1514);
	assert_int_equal(rec.data[13], 13);

	assert_int_equal(ww_pcap_next(&r, &rec), 0);
	assert_int_equal(ww_pcap_next(&r, &rec), 0);
	assert_int_equal(r.frames, 2);
	ww_pcap_close(&r);
	fclose(fp);
}

static void test_little_endian_usec(void **state)
{
	(void)state;
	check_two_records(false, false);
}

static void test_big_endian_usec(void **state)
{
	(void)state;
	check_two_records(true, false);
}

static void test_little_endian_nsec(void **state)
{
	(void)state;
	check_two_records(false, true);
}

static void test_big_endian_nsec(void **state)
{
	(void)state;
	check_two_records(true, true);
}

/* The magic's four bytes, in file order, as each writer lays them down. */
static void test_magic_bytes(void **state)
{
	(void)state;
	static const uint8_t be_usec[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
	static const uint8_t le_nsec[4] = { 0x4d, 0x3c, 0xb2, 0xa1 };
	struct file f;
	file_header(&f, true, WW_PCAP_MAGIC_USEC, 0, 1);
	assert_memory_equal(f.b, be_usec, 4);
	file_header(&f, false, WW_PCAP_MAGIC_NSEC, 0, 1);
	assert_memory_equal(f.b, le_nsec, 4);
}

/* A microsecond field of a million or more is carried into the seconds. */
static void test_fraction_carried(void **state)
{
	(void)state;
	struct file f;
	file_header(&f, false, WW_PCAP_MAGIC_USEC, 0, 1);
	record(&f, 10, 2500000, 1, 1, 1);
	FILE *fp = file_open(&f);
	struct ww_pcap_reader r;
	struct ww_pcap_record rec;
	assert_int_equal(ww_pcap_open(&r, fp), 0);
	assert_int_equal(ww_pcap_next(&r, &rec), 1);
	assert_int_equal(rec.sec, 12);
	assert_int_equal(rec.nsec, 500000000);
	ww_pcap_close(&r);
	fclose(fp);
}

/* The FCS information in the upper bits is not part of the link type. */
static void test_linktype_fcs_bits(void **state)
{
	(void)state;
	struct file f;
	file_header(&f, false, WW_PCAP_MAGIC_USEC, 0, 0x24000001u); /* P set, 2 x 16 bits */
	FILE *fp = file_open(&f);
	struct ww_pcap_reader r;
	assert_int_equal(ww_pcap_open(&r, fp), 0);
	assert_int_equal(r.linktype, 1);
	assert_int_equal(r.fcs_len, 4);
	ww_pcap_close(&r);
	fclose(fp);
}

/* ---- real captures --------------------------------------------------- */

struct expect {
	int64_t sec;
	uint32_t nsec, caplen, origlen;
	uint8_t first, last;
};

static void check_capture(const uint8_t *bytes, size_t len, bool nsec, const struct expect *e,
			  unsigned n)
{
	FILE *fp = fmemopen((void *)bytes, len, "rb");
	assert_non_null(fp);
	struct ww_pcap_reader r;
	assert_int_equal(ww_pcap_open(&r, fp), 0);
	assert_false(r.big_endian);
	assert_int_equal(r.nsec, nsec);
	assert_int_equal(r.snaplen, 262144);
	assert_int_equal(r.linktype, WW_LINKTYPE_ETHERNET);
	struct ww_pcap_record rec;
	uint64_t off = WW_PCAP_FILE_HLEN;
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(ww_pcap_next(&r, &rec), 1);
		assert_int_equal(rec.frame_no, i + 1);
		assert_int_equal(rec.offset, off);
		assert_int_equal(rec.sec, e[i].sec);
		assert_int_equal(rec.nsec, e[i].nsec);
		assert_int_equal(rec.caplen, e[i].caplen);
		assert_int_equal(rec.origlen, e[i].origlen);
		assert_int_equal(rec.data[0], e[i].first);
		assert_int_equal(rec.data[rec.caplen - 1], e[i].last);
		off += WW_PCAP_REC_HLEN + rec.caplen;
	}
	assert_int_equal(off, len);
	assert_int_equal(ww_pcap_next(&r, &rec), 0);
	ww_pcap_close(&r);
	fclose(fp);
}

static void test_tcpdump_usec(void **state)
{
	(void)state;
	/* frame.time_epoch, frame.cap_len, frame.len as tshark printed them;
	 * first and last byte of each frame from the file. */
	static const struct expect e[] = {
		{ 1795314843, 140151000, 42, 42, 0xff, 0x07 },
		{ 1795314843, 140169000, 42, 42, 0x02, 0x05 },
		{ 1795314843, 140171000, 66, 66, 0x02, 0x17 },
		{ 1795314843, 140238000, 66, 66, 0x02, 0x17 },
		{ 1795314844, 150587000, 66, 66, 0x02, 0x17 },
		{ 1795314844, 150611000, 66, 66, 0x02, 0x17 },
	};
	check_capture(ww_tcpdump_usec, sizeof ww_tcpdump_usec, false, e, 6);
}

static void test_tcpdump_nsec(void **state)
{
	(void)state;
	static const struct expect e[] = {
		{ 1795314849, 658788427, 42, 42, 0xff, 0x07 },
		{ 1795314849, 658804490, 42, 42, 0x02, 0x05 },
		{ 1795314849, 658807285, 94, 94, 0x02, 0x74 },
		{ 1795314849, 658825742, 122, 122, 0x02, 0x74 },
	};
	check_capture(ww_tcpdump_nsec, sizeof ww_tcpdump_nsec, true, e, 4);
}

/* ---- writer ---------------------------------------------------------- */

static void test_writer_exact_bytes(void **state)
{
	(void)state;
	static const uint8_t frame[3] = { 0xde, 0xad, 0x01 };
	static const uint8_t want[] = {
		0x4d, 0x3c, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00, /* magic (nsec), 2.4 */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* thiszone, sigfigs */
		0xdc, 0x05, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, /* snaplen 1500, Ethernet */
		0x01, 0x02, 0x03, 0x04, 0x15, 0xcd, 0x5b, 0x07, /* 0x04030201 s, 123456789 ns */
		0x03, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, /* caplen 3, origlen 60 */
		0xde, 0xad, 0x01,
	};
	uint8_t buf[128];
	memset(buf, 0xa5, sizeof buf);
	FILE *fp = fmemopen(buf, sizeof buf, "wb");
	assert_non_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	struct ww_pcap_writer w;
	assert_int_equal(ww_pcap_writer_open(&w, fp, true, 1500, WW_LINKTYPE_ETHERNET), 0);
	assert_int_equal(ww_pcap_write(&w, 0x04030201, 123456789, frame, 3, 60), 0);
	assert_int_equal(ww_pcap_writer_close(&w), 0);
	long end = ftell(fp);
	fclose(fp);
	assert_int_equal(end, sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	/* fmemopen ends what was written with a NUL; nothing beyond it. */
	assert_int_equal(buf[sizeof want + 1], 0xa5);
}

static void round_trip(bool nsec)
{
	char *mem = NULL;
	size_t memlen = 0;
	FILE *fp = open_memstream(&mem, &memlen);
	assert_non_null(fp);
	uint8_t big[2000];
	for (unsigned i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 7);

	struct ww_pcap_writer w;
	assert_int_equal(ww_pcap_writer_open(&w, fp, nsec, 1514, WW_LINKTYPE_ETHERNET), 0);
	assert_int_equal(ww_pcap_write(&w, 1700000000, 123456789, big, 60, 0), 0);
	assert_int_equal(ww_pcap_write(&w, 1700000000, 999999999, big, 1514, 1514), 0);
	/* Longer than the snaplen: cut, with the length on the wire kept. */
	assert_int_equal(ww_pcap_write(&w, 1700000002, 0, big, 2000, 0), 0);
	assert_int_equal(ww_pcap_write(&w, 0, 0, big, 0, 0), 0);
	assert_int_equal(ww_pcap_flush(&w), 0);
	assert_int_equal(w.frames, 4);
	assert_int_equal(ww_pcap_writer_close(&w), 0);
	fclose(fp);

	FILE *in = fmemopen(mem, memlen, "rb");
	assert_non_null(in);
	struct ww_pcap_reader r;
	struct ww_pcap_record rec;
	assert_int_equal(ww_pcap_open(&r, in), 0);
	assert_int_equal(r.nsec, nsec);
	assert_int_equal(r.snaplen, 1514);

	assert_int_equal(ww_pcap_next(&r, &rec), 1);
	assert_int_equal(rec.sec, 1700000000);
	assert_int_equal(rec.nsec, nsec ? 123456789 : 123456000);
	assert_int_equal(rec.caplen, 60);
	assert_int_equal(rec.origlen, 60);
	assert_memory_equal(rec.data, big, 60);

	assert_int_equal(ww_pcap_next(&r, &rec), 1);
	assert_int_equal(rec.nsec, nsec ? 999999999 : 999999000);
	assert_int_equal(rec.caplen, 1514);
	assert_memory_equal(rec.data, big, 1514);

	assert_int_equal(ww_pcap_next(&r, &rec), 1);
	assert_int_equal(rec.sec, 1700000002);
	assert_int_equal(rec.caplen, 1514);
	assert_int_equal(rec.origlen, 2000);
	assert_memory_equal(rec.data, big, 1514);

	assert_int_equal(ww_pcap_next(&r, &rec), 1);
	assert_int_equal(rec.sec, 0);
	assert_int_equal(rec.caplen, 0);
	assert_int_equal(rec.origlen, 0);

	assert_int_equal(ww_pcap_next(&r, &rec), 0);
	assert_int_equal(r.offset, memlen);
	ww_pcap_close(&r);
	fclose(in);
	free(mem);
}

static void test_round_trip_usec(void **state)
{
	(void)state;
	round_trip(false);
}

static void test_round_trip_nsec(void **state)
{
	(void)state;
	round_trip(true);
}

static void test_writer_refuses_bad_timestamp(void **state)
{
	(void)state;
	char *mem = NULL;
	size_t memlen = 0;
	FILE *fp = open_memstream(&mem, &memlen);
	struct ww_pcap_writer w;
	uint8_t b[1] = { 0 };
	assert_int_equal(ww_pcap_writer_open(&w, fp, false, 0, 1), 0);
	assert_int_equal(ww_pcap_write(&w, -1, 0, b, 1, 1), -1);
	assert_string_equal(w.err, "frame 1: timestamp -1.000000000 does not fit a pcap record");
	assert_int_equal(ww_pcap_write(&w, 1LL << 32, 0, b, 1, 1), -1);
	assert_int_equal(ww_pcap_write(&w, 1, 1000000000, b, 1, 1), -1);
	assert_int_equal(w.frames, 0);
	ww_pcap_writer_close(&w);
	fclose(fp);
	assert_int_equal(memlen, WW_PCAP_FILE_HLEN);
	free(mem);
}

/* ---- bad input: each with its exact message -------------------------- */

/* Open F; read records, expecting GOOD of them, then an error with MSG.
 * If OPEN_FAILS, the error comes from ww_pcap_open. */
static void expect_error(struct file *f, bool open_fails, unsigned good, const char *msg)
{
	FILE *fp = file_open(f);
	struct ww_pcap_reader r;
	struct ww_pcap_record rec;
	if (open_fails) {
		assert_int_equal(ww_pcap_open(&r, fp), -1);
	} else {
		assert_int_equal(ww_pcap_open(&r, fp), 0);
		for (unsigned i = 0; i < good; i++) {
			assert_int_equal(ww_pcap_next(&r, &rec), 1);
			assert_int_equal(rec.frame_no, i + 1);
		}
		assert_int_equal(ww_pcap_next(&r, &rec), -1);
		/* The error is sticky: reading on gives nothing more. */
		assert_int_equal(ww_pcap_next(&r, &rec), -1);
	}
	assert_string_equal(r.err, msg);
	ww_pcap_close(&r);
	fclose(fp);
}

static void test_bad_magic(void **state)
{
	(void)state;
	struct file f;
	file_header(&f, true, 0x12345678, 0, 1);
	expect_error(&f, true, 0, "not a pcap file: magic 0x12345678 at offset 0");
	file_header(&f, true, WW_PCAP_MAGIC_PCAPNG, 0, 1);
	expect_error(&f, true, 0, "not a pcap file: magic 0x0a0d0d0a at offset 0 is pcapng"
				  " (convert it: editcap -F pcap IN OUT)");
}

static void test_short_files(void **state)
{
	(void)state;
	struct file f;
	memset(&f, 0, sizeof f);
	expect_error(&f, true, 0, "not a pcap file: the file is empty");
	put8(&f, 0xd4);
	put8(&f, 0xc3);
	expect_error(&f, true, 0, "not a pcap file: only 2 bytes");
	file_header(&f, false, WW_PCAP_MAGIC_USEC, 0, 1);
	f.len = 10;
	expect_error(&f, true, 0,
		     "pcap file header truncated at offset 0: needs 24 bytes, 10 left");
}

static void test_bad_version(void **state)
{
	(void)state;
	struct file f;
	file_header(&f, false, WW_PCAP_MAGIC_USEC, 0, 1);
	f.b[4] = 3;
	expect_error(&f, true, 0, "unsupported pcap version 3.4 at offset 4 (only 2.x is known)");
}

static void test_other_link_types_refused(void **state)
{
	(void)state;
	struct file f;
	file_header(&f, false, WW_PCAP_MAGIC_USEC, 0, WW_LINKTYPE_LINUX_SLL);
	expect_error(&f, true, 0,
		     "link type 113 (LINUX_SLL) at offset 20 is not supported: only Ethernet captures"
		     " (LINKTYPE_ETHERNET, 1) can be read; capture on one interface (tcpdump -i IF),"
		     " not on \"any\"");
	file_header(&f, true, WW_PCAP_MAGIC_NSEC, 0, 4242);
	expect_error(&f, true, 0,
		     "link type 4242 (unknown) at offset 20 is not supported: only Ethernet captures"
		     " (LINKTYPE_ETHERNET, 1) can be read");
}

static void test_record_truncated(void **state)
{
	(void)state;
	struct file f;
	for (int be = 0; be < 2; be++) {
		file_header(&f, be, WW_PCAP_MAGIC_USEC, 65535, 1);
		record(&f, 1, 0, 100, 100, 100); /* frame 1 at 24 */
		record(&f, 2, 0, 100, 100, 100); /* frame 2 at 140 */
		record(&f, 3, 0, 1514, 1514, 300); /* frame 3 at 256 */
		expect_error(&f, false, 2,
			     "frame 3 at offset 256: record truncated: caplen 1514, 300 bytes left");
	}
	/* The body missing entirely. */
	file_header(&f, false, WW_PCAP_MAGIC_USEC, 65535, 1);
	record(&f, 1, 0, 60, 60, 0);
	expect_error(&f, false, 0, "frame 1 at offset 24: record truncated: caplen 60, 0 bytes left");
}

static void test_record_header_truncated(void **state)
{
	(void)state;
	struct file f;
	file_header(&f, false, WW_PCAP_MAGIC_NSEC, 65535, 1);
	record(&f, 1, 0, 42, 42, 42);
	record(&f, 2, 0, 42, 42, 0);
	f.len -= 11; /* 5 of the second record header's 16 bytes remain */
	expect_error(&f, false, 1,
		     "frame 2 at offset 82: record header truncated: needs 16 bytes, 5 left");
}

static void test_caplen_over_snaplen(void **state)
{
	(void)state;
	struct file f;
	file_header(&f, true, WW_PCAP_MAGIC_USEC, 1500, 1);
	record(&f, 1, 0, 1500, 1500, 1500);
	record(&f, 1, 0, 1501, 1501, 1501);
	expect_error(&f, false, 1, "frame 2 at offset 1540: caplen 1501 > snaplen 1500");
}

static void test_caplen_absurd(void **state)
{
	(void)state;
	struct file f;
	/* snaplen 0: no snaplen limit, but still the absurdity limit. */
	file_header(&f, false, WW_PCAP_MAGIC_USEC, 0, 1);
	record(&f, 1, 0, 262144 + 1, 262144 + 1, 0);
	expect_error(&f, false, 0, "frame 1 at offset 24: caplen 262145 is absurd (over 262144)");
	file_header(&f, true, WW_PCAP_MAGIC_USEC, 0, 1);
	record(&f, 1, 0, 0xffffffffu, 0xffffffffu, 0);
	expect_error(&f, false, 0,
		     "frame 1 at offset 24: caplen 4294967295 is absurd (over 262144)");
}

static void test_caplen_over_origlen(void **state)
{
	(void)state;
	struct file f;
	file_header(&f, false, WW_PCAP_MAGIC_USEC, 65535, 1);
	record(&f, 1, 0, 60, 60, 60);
	record(&f, 1, 0, 61, 60, 61);
	expect_error(&f, false, 1, "frame 2 at offset 100: caplen 61 > origlen 60");
}

static void test_open_path_missing(void **state)
{
	(void)state;
	struct ww_pcap_reader r;
	assert_int_equal(ww_pcap_open_path(&r, "no/such/dir/capture.pcap"), -1);
	assert_string_equal(r.err, "No such file or directory");
	ww_pcap_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_little_endian_usec),
		cmocka_unit_test(test_big_endian_usec),
		cmocka_unit_test(test_little_endian_nsec),
		cmocka_unit_test(test_big_endian_nsec),
		cmocka_unit_test(test_magic_bytes),
		cmocka_unit_test(test_fraction_carried),
		cmocka_unit_test(test_linktype_fcs_bits),
		cmocka_unit_test(test_tcpdump_usec),
		cmocka_unit_test(test_tcpdump_nsec),
		cmocka_unit_test(test_writer_exact_bytes),
		cmocka_unit_test(test_round_trip_usec),
		cmocka_unit_test(test_round_trip_nsec),
		cmocka_unit_test(test_writer_refuses_bad_timestamp),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_short_files),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_other_link_types_refused),
		cmocka_unit_test(test_record_truncated),
		cmocka_unit_test(test_record_header_truncated),
		cmocka_unit_test(test_caplen_over_snaplen),
		cmocka_unit_test(test_caplen_absurd),
		cmocka_unit_test(test_caplen_over_origlen),
		cmocka_unit_test(test_open_path_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
