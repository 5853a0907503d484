/* DNS names (RFC 1035 §3.1, §4.1.4): compression followed and its abuses
 * refused, the 63- and 255-byte limits, and the three text forms checked
 * against what dig and tshark 4.0 really printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ww/dns.h"

#include "dns_vectors.h"

static struct ww_error err;

/* Parse the name at offset AT of MSG (LEN bytes); the cursor is left in
 * *END_AT. */
static int parse_at(const uint8_t *msg, size_t len, size_t at, struct ww_dns_name *n,
		    size_t *end_at)
{
	struct ww_cursor c;
	ww_cur_init(&c, msg, len, 0);
	c.pos = at;
	int r = ww_dns_name_parse(&c, msg, len, n, "dns.qry.name");
	err = c.err;
	if (end_at)
		*end_at = c.pos;
	return r;
}

static const char *text(const struct ww_dns_name *n, enum ww_dns_name_style style)
{
	static char buf[WW_DNS_TEXT_MAX];
	size_t need = ww_dns_name_text(n, style, buf, sizeof buf);
	assert_int_equal(need, strlen(buf));
	return buf;
}

static void expect_invalid(int r, uint32_t off, const char *words)
{
	assert_int_equal(r, -1);
	assert_int_equal(err.status, WW_INVALID);
	assert_string_equal(err.field, "dns.qry.name");
	assert_int_equal(err.offset, off);
	assert_non_null(strstr(err.msg, words));
}

static void test_name_in_place(void **state)
{
	(void)state;
	struct ww_dns_name n;
	size_t end;
	assert_int_equal(parse_at(dns_r_a, sizeof dns_r_a, 12, &n, &end), 0);
	assert_int_equal(end, 25);
	assert_int_equal(n.len, 13);
	assert_memory_equal(n.wire, "\x07" "example\x03" "com", 13);
	assert_string_equal(text(&n, WW_DNS_NAME_PLAIN), "example.com");
	assert_string_equal(text(&n, WW_DNS_NAME_FQDN), "example.com.");
	assert_string_equal(text(&n, WW_DNS_NAME_TSHARK), "example.com");
	assert_int_equal(ww_dns_name_labels(&n), 2);
}

static void test_name_compressed(void **state)
{
	(void)state;
	struct ww_dns_name n;
	size_t end;
	/* nsd's NS rdata at offset 57: "\3ns1" then a pointer to offset 12. */
	assert_int_equal(parse_at(dns_r_a, sizeof dns_r_a, 57, &n, &end), 0);
	assert_int_equal(end, 63); /* 6 bytes in place, not 17 */
	assert_string_equal(text(&n, WW_DNS_NAME_FQDN), "ns1.example.com.");
	/* The glue's owner is a pointer to a pointer's label: offset 57. */
	assert_int_equal(parse_at(dns_r_a, sizeof dns_r_a, 63, &n, &end), 0);
	assert_int_equal(end, 65);
	assert_string_equal(text(&n, WW_DNS_NAME_PLAIN), "ns1.example.com");
}

/* A pointer to a pointer is legal as long as every hop goes backwards. */
static void test_name_pointer_chain(void **state)
{
	(void)state;
	uint8_t msg[40] = { 0 };
	memcpy(msg + 12, "\x07" "example\x03" "com\x00", 13); /* 12..24 */
	memcpy(msg + 25, "\x03" "www\xc0\x0c", 6);            /* 25..30 */
	memcpy(msg + 31, "\xc0\x19", 2);                      /* -> 25 */
	struct ww_dns_name n;
	size_t end;
	assert_int_equal(parse_at(msg, 33, 31, &n, &end), 0);
	assert_int_equal(end, 33);
	assert_string_equal(text(&n, WW_DNS_NAME_PLAIN), "www.example.com");
}

/* Each pointer points at the previous one: N hops to reach the root. */
static size_t pointer_ladder(uint8_t *msg, unsigned hops)
{
	memset(msg, 0, 12);
	msg[12] = 0;
	size_t prev = 12, at = 13;
	for (unsigned k = 0; k < hops; k++, at += 2) {
		msg[at] = (uint8_t)(0xc0 | prev >> 8);
		msg[at + 1] = (uint8_t)prev;
		prev = at;
	}
	return prev;
}

static void test_name_hop_limit(void **state)
{
	(void)state;
	static uint8_t msg[13 + 2 * 70];
	struct ww_dns_name n;
	size_t last = pointer_ladder(msg, WW_DNS_MAX_POINTERS);
	assert_int_equal(parse_at(msg, last + 2, last, &n, NULL), 0);
	assert_int_equal(n.len, 1);
	assert_string_equal(text(&n, WW_DNS_NAME_TSHARK), "<Root>");
	assert_string_equal(text(&n, WW_DNS_NAME_FQDN), ".");

	last = pointer_ladder(msg, WW_DNS_MAX_POINTERS + 1);
	/* The 65th pointer is the one refused: the ladder's first rung. */
	expect_invalid(parse_at(msg, last + 2, last, &n, NULL), 13, "more than 64 compression");
}

static void test_name_pointer_to_itself(void **state)
{
	(void)state;
	uint8_t msg[14] = { [12] = 0xc0, [13] = 0x0c };
	struct ww_dns_name n;
	expect_invalid(parse_at(msg, sizeof msg, 12, &n, NULL), 12,
		       "pointer to offset 12 does not point before offset 12");
}

/* 20 -> 14 goes backwards; 14 -> 20 would close the loop. */
static void test_name_pointer_loop(void **state)
{
	(void)state;
	uint8_t msg[22] = { [14] = 0xc0, [15] = 20, [20] = 0xc0, [21] = 14 };
	struct ww_dns_name n;
	expect_invalid(parse_at(msg, sizeof msg, 20, &n, NULL), 14, "(forward pointer or loop)");
}

static void test_name_forward_pointer(void **state)
{
	(void)state;
	uint8_t msg[40] = { [12] = 0x01, [13] = 'a', [14] = 0xc0, [15] = 30 };
	struct ww_dns_name n;
	expect_invalid(parse_at(msg, sizeof msg, 12, &n, NULL), 14,
		       "pointer to offset 30 does not point before offset 12");
}

static void test_name_pointer_past_end(void **state)
{
	(void)state;
	uint8_t msg[20] = { [12] = 0xc3, [13] = 0xff };
	struct ww_dns_name n;
	expect_invalid(parse_at(msg, sizeof msg, 12, &n, NULL), 12,
		       "pointer to offset 1023 is past the end of the 20-byte message");
}

static void test_name_label_over_63(void **state)
{
	(void)state;
	uint8_t msg[12 + 1 + 64 + 1] = { 0 };
	msg[12] = 64;
	memset(msg + 13, 'a', 64);
	struct ww_dns_name n;
	expect_invalid(parse_at(msg, sizeof msg, 12, &n, NULL), 12, "label length 64 > 63");
	msg[12] = 0x7f;
	expect_invalid(parse_at(msg, sizeof msg, 12, &n, NULL), 12, "label length 127 > 63");
}

static void test_name_reserved_label_type(void **state)
{
	(void)state;
	uint8_t msg[16] = { [12] = 0x01, [13] = 'a', [14] = 0x85, [15] = 'b' };
	struct ww_dns_name n;
	expect_invalid(parse_at(msg, sizeof msg, 12, &n, NULL), 14,
		       "label type 0x80 is reserved (length byte 0x85)");
}

/* Labels of 63, 63, 63 and LAST bytes, then the root: 193 + LAST + 2. */
static size_t long_name(uint8_t *p, unsigned last)
{
	size_t at = 0;
	for (int i = 0; i < 4; i++) {
		unsigned len = i < 3 ? 63 : last;
		p[at] = (uint8_t)len;
		memset(p + at + 1, 'a' + i, len);
		at += 1 + len;
	}
	p[at++] = 0;
	return at;
}

static void test_name_255_limit(void **state)
{
	(void)state;
	static uint8_t msg[12 + 300];
	struct ww_dns_name n;
	size_t len = long_name(msg + 12, 61);
	assert_int_equal(len, 255);
	assert_int_equal(parse_at(msg, 12 + len, 12, &n, NULL), 0);
	assert_int_equal(n.len, 255);

	len = long_name(msg + 12, 62);
	assert_int_equal(len, 256);
	/* Refused at the label that would not fit: the fourth, offset 12 + 192. */
	expect_invalid(parse_at(msg, 12 + len, 12, &n, NULL), 204, "longer than 255 bytes");
}

/* Two legal pieces that add up to too much through a pointer: a 193-byte
 * name at 12, then a 62-byte label and a pointer to it (256 in all). */
static void test_name_255_through_pointer(void **state)
{
	(void)state;
	static uint8_t msg[12 + 300];
	size_t at = 12;
	for (int i = 0; i < 3; i++, at += 64) {
		msg[at] = 63;
		memset(msg + at + 1, 'a' + i, 63);
	}
	msg[at++] = 0;
	size_t b = at;
	msg[b] = 62;
	memset(msg + b + 1, 'z', 62);
	msg[b + 63] = 0xc0;
	msg[b + 64] = 12;
	struct ww_dns_name n;
	assert_int_equal(parse_at(msg, b + 65, 12, &n, NULL), 0);
	assert_int_equal(n.len, 193);
	/* Refused at the third label behind the pointer. */
	expect_invalid(parse_at(msg, b + 65, b, &n, NULL), 12 + 128, "longer than 255 bytes");
}

static void test_name_target_runs_off_end(void **state)
{
	(void)state;
	/* The label at 12 claims 20 bytes; a pointer at 14 aims at it. */
	uint8_t msg[16] = { [12] = 20, [13] = 'a', [14] = 0xc0, [15] = 12 };
	struct ww_dns_name n;
	expect_invalid(parse_at(msg, sizeof msg, 14, &n, NULL), 12, "runs past the end");
}

/* A name cut anywhere is truncation, named, at the byte where it stops. */
static void test_name_truncated_every_length(void **state)
{
	(void)state;
	struct ww_dns_name n;
	/* q_norec: "www.example.com" in place at 12..28. */
	for (size_t cut = 12; cut < 29; cut++) {
		assert_int_equal(parse_at(dns_q_norec, cut, 12, &n, NULL), -1);
		assert_int_equal(err.status, WW_TRUNCATED);
		assert_string_equal(err.field, "dns.qry.name");
		assert_true(err.offset <= cut);
	}
	assert_int_equal(parse_at(dns_q_norec, 29, 12, &n, NULL), 0);
}

/* The question's name in a captured answer, in every text form. */
static void expect_forms(const uint8_t *msg, size_t len, const char *dig, const char *tshark)
{
	struct ww_dns_name n, back;
	assert_int_equal(parse_at(msg, len, 12, &n, NULL), 0);
	assert_string_equal(text(&n, WW_DNS_NAME_FQDN), dig);
	assert_string_equal(text(&n, WW_DNS_NAME_TSHARK), tshark);
	/* dig's form reads back to the same bytes. */
	assert_int_equal(ww_dns_name_from_text(&back, dig, NULL), 0);
	assert_int_equal(back.len, n.len);
	assert_memory_equal(back.wire, n.wire, n.len);
	assert_int_equal(ww_dns_name_from_text(&back, text(&n, WW_DNS_NAME_PLAIN), NULL), 0);
	assert_memory_equal(back.wire, n.wire, n.len);
}

/* What dig printed in the answer section and tshark in dns.resp.name. */
static void test_name_odd_bytes(void **state)
{
	(void)state;
	expect_forms(dns_r_dot, sizeof dns_r_dot, "a\\.b.example.com.", "a.b.example.com");
	expect_forms(dns_r_space, sizeof dns_r_space, "sp\\032ace.example.com.",
		     "sp ace.example.com");
	expect_forms(dns_r_binary, sizeof dns_r_binary, "\\001\\255bin.example.com.",
		     "\\001\357\277\275bin.example.com");
}

static struct ww_dns_name name_of(const char *const *labels)
{
	struct ww_dns_name n = { .len = 0 };
	for (; *labels; labels++) {
		size_t l = strlen(*labels);
		n.wire[n.len] = (uint8_t)l;
		memcpy(n.wire + n.len + 1, *labels, l);
		n.len = (uint8_t)(n.len + 1 + l);
	}
	n.wire[n.len++] = 0;
	return n;
}

/* dig's escapes, from its answer to a record owned by this name. */
static void test_name_dig_escapes(void **state)
{
	(void)state;
	const char *labels[] = { "a(b)c;d@e$f\"g\\h", "\x7f ", NULL };
	struct ww_dns_name n = name_of(labels);
	assert_string_equal(text(&n, WW_DNS_NAME_FQDN), "a\\(b\\)c\\;d\\@e\\$f\\\"g\\\\h.\\127\\032.");
	assert_string_equal(text(&n, WW_DNS_NAME_PLAIN), "a\\(b\\)c\\;d\\@e\\$f\\\"g\\\\h.\\127\\032");
}

/* tshark's dns.qry.name for labels of odd bytes (its format_text()):
 * crafted queries, each line what tshark 4.0 printed. */
static void test_name_tshark_forms(void **state)
{
	(void)state;
	static const struct {
		const char *labels[6];
		const char *tshark;
	} cases[] = {
		{ { "\x01\x02\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x1f", NULL },
		  "\\001\\002\\a\\b\\t\\n\\v\\f\\r\\016\\037" },
		{ { "a.b", "c\\d", "\"q\"", "\x7f\x80", NULL }, "a.b.c\\d.\"q\".\\177\357\277\275" },
		{ { "\xc3\xa9t\xc3\xa9", "x\xff", NULL }, "\303\251t\303\251.x\357\277\275" },
		{ { "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\xa0\x80", NULL },
		  "\342\202\254.\360\237\230\200.\357\277\275" },
		{ { "\xc2\x85", "\xe2\x80\x8b", "\xef\xbf\xbe", "\xf3\xa0\x80\x81", "\xf1\x90\x80\x80", NULL },
		  "\\u0085.\\u200B.\\uFFFE.\\U000E0001.\\U00050000" },
		{ { "\xcd\xb8", "\xc0\x80", "\xc1\x81", "\xc2\xad", "\xf4\x90\x80\x80", NULL },
		  "\\u0378.\\u0000.A.\\u00AD.\357\277\275" },
		{ { "\xe0\x80", "\xf8\x88\x80\x80\x80", "\xc2", "\xe2\x82z", NULL },
		  "\357\277\275.\357\277\275.\357\277\275.\357\277\275z" },
		{ { "\xf3\xa0\x84\x80", "\xef\xb7\x90", "\xf0\xaf\xa8\x9d", "\xf3\xa0\x81\xa1", NULL },
		  "\363\240\204\200.\\uFDD0.\360\257\250\235.\\U000E0061" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ww_dns_name n = name_of(cases[i].labels);
		assert_string_equal(text(&n, WW_DNS_NAME_TSHARK), cases[i].tshark);
	}
	/* A label holding NUL bytes: the text keeps going past them. */
	struct ww_dns_name n = { .len = 6, .wire = { 4, 0, 'm', 'i', 'd', 0 } };
	assert_string_equal(text(&n, WW_DNS_NAME_TSHARK), "\\000mid");
	assert_string_equal(text(&n, WW_DNS_NAME_FQDN), "\\000mid.");
}

static void test_name_text_truncates(void **state)
{
	(void)state;
	struct ww_dns_name n;
	assert_int_equal(ww_dns_name_from_text(&n, "www.example.com", NULL), 0);
	char buf[8];
	memset(buf, 0x5a, sizeof buf);
	assert_int_equal(ww_dns_name_text(&n, WW_DNS_NAME_FQDN, buf, 5), 16);
	assert_string_equal(buf, "www.");
	assert_int_equal((uint8_t)buf[5], 0x5a);
	assert_int_equal(ww_dns_name_text(&n, WW_DNS_NAME_TSHARK, NULL, 0), 15);
}

static void test_name_from_text(void **state)
{
	(void)state;
	struct ww_dns_name n;
	const char *roots[] = { "", ".", "<Root>" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ww_dns_name_from_text(&n, roots[i], NULL), 0);
		assert_int_equal(n.len, 1);
	}
	assert_int_equal(ww_dns_name_from_text(&n, "Example.COM.", NULL), 0);
	assert_int_equal(n.len, 13);
	assert_memory_equal(n.wire, "\x07" "Example\x03" "COM", 13);
	assert_int_equal(ww_dns_name_from_text(&n, "a\\.b\\\\c\\000", NULL), 0);
	assert_int_equal(n.len, 8);
	assert_memory_equal(n.wire, "\x06" "a.b\\c\0", 8);

	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "a..b", "empty label" },
		{ ".a", "empty label" },
		{ "a\\", "lone backslash" },
		{ "a\\256", "over 255" },
		{ "0123456789012345678901234567890123456789012345678901234567890123",
		  "longer than 63" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ww_dns_name_from_text(&n, bad[i].text, &err), -1);
		assert_int_equal(err.status, WW_INVALID);
		assert_string_equal(err.field, "dns.qry.name");
		assert_non_null(strstr(err.msg, bad[i].why));
		assert_int_equal(ww_dns_name_from_text(&n, bad[i].text, NULL), -1);
	}
	/* 63+1 bytes a label, four of them with a 61-byte last: 255 fits. */
	char longest[300];
	size_t at = 0;
	for (int i = 0; i < 4; i++) {
		size_t len = i < 3 ? 63 : 61;
		memset(longest + at, 'a', len);
		at += len;
		longest[at++] = '.';
	}
	longest[at] = 0;
	assert_int_equal(ww_dns_name_from_text(&n, longest, NULL), 0);
	assert_int_equal(n.len, 255);
	longest[at - 1] = 'a'; /* one byte more */
	longest[at] = 0;
	assert_int_equal(ww_dns_name_from_text(&n, longest, &err), -1);
	assert_non_null(strstr(err.msg, "longer than 255"));
}

static void test_name_compare(void **state)
{
	(void)state;
	struct ww_dns_name a, b, zone, root;
	ww_dns_name_from_text(&a, "WWW.Example.com", NULL);
	ww_dns_name_from_text(&b, "www.example.COM", NULL);
	ww_dns_name_from_text(&zone, "example.com", NULL);
	ww_dns_name_root(&root);
	assert_true(ww_dns_name_eq(&a, &b));
	assert_false(ww_dns_name_eq(&a, &zone));
	assert_true(ww_dns_name_in_zone(&a, &zone));
	assert_true(ww_dns_name_in_zone(&zone, &zone));
	assert_true(ww_dns_name_in_zone(&a, &root));
	assert_false(ww_dns_name_in_zone(&zone, &a));
	/* "badexample.com" is not below "example.com": labels, not bytes. */
	ww_dns_name_from_text(&b, "badexample.com", NULL);
	assert_false(ww_dns_name_in_zone(&b, &zone));
	assert_int_equal(ww_dns_name_labels(&a), 3);
	assert_int_equal(ww_dns_name_labels(&root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_in_place),
		cmocka_unit_test(test_name_compressed),
		cmocka_unit_test(test_name_pointer_chain),
		cmocka_unit_test(test_name_hop_limit),
		cmocka_unit_test(test_name_pointer_to_itself),
		cmocka_unit_test(test_name_pointer_loop),
		cmocka_unit_test(test_name_forward_pointer),
		cmocka_unit_test(test_name_pointer_past_end),
		cmocka_unit_test(test_name_label_over_63),
		cmocka_unit_test(test_name_reserved_label_type),
		cmocka_unit_test(test_name_255_limit),
		cmocka_unit_test(test_name_255_through_pointer),
		cmocka_unit_test(test_name_target_runs_off_end),
		cmocka_unit_test(test_name_truncated_every_length),
		cmocka_unit_test(test_name_odd_bytes),
		cmocka_unit_test(test_name_dig_escapes),
		cmocka_unit_test(test_name_tshark_forms),
		cmocka_unit_test(test_name_text_truncates),
		cmocka_unit_test(test_name_from_text),
		cmocka_unit_test(test_name_compare),
	};
	return cmocka_run_group_tests_name("dns_name", tests, NULL, NULL);
}
