/* DNS messages (RFC 1035, RFC 3596, RFC 6891): what nsd, unbound and dig
 * really sent, parsed field by field, rebuilt byte for byte, cut at every
 * length, bent out of shape, and printed as dig prints them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ww/bytes.h"
#include "ww/dns.h"

#include "dns_vectors.h"

/* Large: kept out of the stack. */
static struct ww_dns_msg m, m2;
static struct ww_error err;
static uint8_t buf[4096];

static const struct ww_dns_msg *parsed(const char *name)
{
	const struct dns_vector *v = dns_vector(name);
	assert_non_null(v);
	assert_int_equal(ww_dns_parse(v->msg, v->len, &m, &err), 0);
	assert_int_equal(err.status, WW_OK);
	return &m;
}

static struct ww_dns_name dname(const char *text)
{
	struct ww_dns_name n;
	assert_int_equal(ww_dns_name_from_text(&n, text, NULL), 0);
	return n;
}

static const char *name_str(const struct ww_dns_name *n)
{
	static char s[WW_DNS_TEXT_MAX];
	ww_dns_name_text(n, WW_DNS_NAME_PLAIN, s, sizeof s);
	return s;
}

static void test_parse_answer(void **state)
{
	(void)state;
	parsed("r_a");
	assert_int_equal(m.h.id, 0x787e);
	assert_int_equal(m.h.flags, 0x8500);
	assert_int_equal(m.nq, 1);
	assert_string_equal(name_str(&m.q[0].qname), "example.com");
	assert_int_equal(m.q[0].qtype, WW_DNS_A);
	assert_int_equal(m.q[0].qclass, WW_DNS_CLASS_IN);
	assert_int_equal(m.nrr, 3);
	assert_int_equal(m.nsec[WW_DNS_ANSWER], 1);
	assert_int_equal(m.nsec[WW_DNS_AUTHORITY], 1);
	assert_int_equal(m.nsec[WW_DNS_ADDITIONAL], 1);
	assert_int_equal(m.rr[0].type, WW_DNS_A);
	assert_int_equal(m.rr[0].ttl, 86400);
	assert_int_equal(m.rr[0].rdlen, 4);
	assert_int_equal(m.rr[0].rd.a, 0xc000020a);
	assert_int_equal(m.rr[0].off, 29);
	assert_int_equal(m.rr[0].rdata_off, 41);
	assert_string_equal(name_str(&m.rr[1].rd.name), "ns1.example.com");
	assert_int_equal(m.rr[1].section, WW_DNS_AUTHORITY);
	assert_string_equal(name_str(&m.rr[2].rrname), "ns1.example.com");
	assert_int_equal(m.rr[2].rd.a, 0xc6336403);
	assert_int_equal(ww_dns_rcode(&m), WW_DNS_NOERROR);
	assert_null(ww_dns_opt_find(&m));
}

static void test_parse_each_type(void **state)
{
	(void)state;
	parsed("r_aaaa_edns");
	assert_memory_equal(m.rr[0].rd.aaaa, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x10", 16);
	const struct ww_dns_rr *opt = ww_dns_opt_find(&m);
	assert_non_null(opt);
	assert_int_equal(ww_dns_opt_udp_size(opt), 1232);
	assert_int_equal(ww_dns_opt_version(opt), 0);
	assert_false(ww_dns_opt_do(opt));
	assert_int_equal(opt->rd.bytes.len, 0);

	parsed("r_cname");
	assert_int_equal(m.rr[0].type, WW_DNS_CNAME);
	assert_string_equal(name_str(&m.rr[0].rd.name), "example.com");
	assert_int_equal(m.rr[1].rd.a, 0xc000020a);

	parsed("r_mx");
	assert_int_equal(m.rr[0].rd.mx.preference, 10);
	assert_string_equal(name_str(&m.rr[0].rd.mx.exchange), "mail.example.com");

	parsed("r_txt");
	const char *want[] = { "v=spf1 -all", "second string", "third" };
	size_t pos = 0, n, k = 0;
	const uint8_t *s;
	while (ww_dns_txt_next(&m.rr[0], &pos, &s, &n)) {
		assert_true(k < 3);
		assert_int_equal(n, strlen(want[k]));
		assert_memory_equal(s, want[k], n);
		k++;
	}
	assert_int_equal(k, 3);

	parsed("r_soa");
	const struct ww_dns_soa *soa = &m.rr[0].rd.soa;
	assert_string_equal(name_str(&soa->mname), "ns1.example.com");
	assert_string_equal(name_str(&soa->rname), "hostmaster.example.com");
	assert_int_equal(soa->serial, 2024010101);
	assert_int_equal(soa->refresh, 7200);
	assert_int_equal(soa->retry, 3600);
	assert_int_equal(soa->expire, 1209600);
	assert_int_equal(soa->minimum, 3600);

	parsed("r_ptr");
	assert_string_equal(name_str(&m.q[0].qname), "10.2.0.192.in-addr.arpa");
	assert_int_equal(m.rr[0].type, WW_DNS_PTR);
	assert_string_equal(name_str(&m.rr[0].rd.name), "example.com");

	parsed("r_unknown");
	assert_int_equal(m.rr[0].type, 65280);
	assert_int_equal(m.rr[0].rd.bytes.len, 4);
	assert_memory_equal(m.rr[0].rd.bytes.b, "\xde\xad\xbe\xef", 4);
}

/* What a resolver needs from the negative answer and the referral. */
static void test_parse_nxdomain_and_referral(void **state)
{
	(void)state;
	unsigned n;
	parsed("r_nxdomain");
	assert_int_equal(ww_dns_rcode(&m), WW_DNS_NXDOMAIN);
	assert_true(m.h.flags & WW_DNS_AA);
	ww_dns_section_rrs(&m, WW_DNS_ANSWER, &n);
	assert_int_equal(n, 0);
	const struct ww_dns_rr *auth = ww_dns_section_rrs(&m, WW_DNS_AUTHORITY, &n);
	assert_int_equal(n, 1);
	assert_int_equal(auth->type, WW_DNS_SOA);
	assert_int_equal(auth->ttl, 3600);
	assert_int_equal(auth->rd.soa.minimum, 3600);

	parsed("r_referral");
	assert_false(m.h.flags & WW_DNS_AA);
	assert_false(m.h.flags & WW_DNS_RD);
	ww_dns_section_rrs(&m, WW_DNS_ANSWER, &n);
	assert_int_equal(n, 0);
	auth = ww_dns_section_rrs(&m, WW_DNS_AUTHORITY, &n);
	assert_int_equal(n, 1);
	assert_int_equal(auth->type, WW_DNS_NS);
	struct ww_dns_name zone = dname("example.com");
	assert_true(ww_dns_name_eq(&auth->rrname, &zone));
	assert_true(ww_dns_name_in_zone(&m.q[0].qname, &auth->rrname));
	const struct ww_dns_rr *glue = ww_dns_section_rrs(&m, WW_DNS_ADDITIONAL, &n);
	assert_int_equal(n, 1);
	assert_true(ww_dns_name_eq(&glue->rrname, &auth->rd.name));
	assert_int_equal(glue->rd.a, 0xc6336403);
	assert_int_equal(glue->ttl, 172800);

	parsed("r_recursive");
	assert_true(m.h.flags & WW_DNS_RA);
	assert_int_equal(m.nsec[WW_DNS_ANSWER], 2);
}

static void test_parse_edns_and_crafted(void **state)
{
	(void)state;
	parsed("c_opt");
	const struct ww_dns_rr *opt = ww_dns_opt_find(&m);
	assert_non_null(opt);
	assert_int_equal(ww_dns_opt_udp_size(opt), 4096);
	assert_int_equal(ww_dns_opt_ext_rcode(opt), 1);
	assert_int_equal(ww_dns_opt_version(opt), 1);
	assert_true(ww_dns_opt_do(opt));
	assert_int_equal(ww_dns_opt_z(opt), 0x0123);
	assert_int_equal(ww_dns_rcode(&m), WW_DNS_BADVERS);
	assert_int_equal(opt->rd.bytes.len, 29);

	parsed("q_do");
	assert_true(ww_dns_opt_do(ww_dns_opt_find(&m)));

	parsed("c_ttl_class");
	assert_int_equal(m.rr[0].ttl, 0x80000001u);
	assert_int_equal(m.rr[0].rclass, 0x8001);

	parsed("c_trailing");
	assert_int_equal(m.trailing, 3);

	parsed("c_update");
	assert_int_equal(WW_DNS_OPCODE(m.h.flags), WW_DNS_OPCODE_UPDATE);
	assert_int_equal(m.q[0].qtype, WW_DNS_SOA);
	assert_int_equal(m.nsec[WW_DNS_AUTHORITY], 1);
}

/* Every vector re-emits to exactly the bytes nsd, unbound or dig sent:
 * their compression and ours pick the same pointers. */
static void test_roundtrip_exact(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof dns_vectors / sizeof dns_vectors[0]; i++) {
		const struct dns_vector *v = &dns_vectors[i];
		assert_int_equal(ww_dns_parse(v->msg, v->len, &m, &err), 0);
		memset(buf, 0xa5, sizeof buf);
		size_t n = ww_dns_emit(&m, buf, sizeof buf);
		assert_int_equal(n, v->len - m.trailing);
		assert_memory_equal(buf, v->msg, n);
		assert_int_equal(buf[n], 0xa5);
		assert_int_equal(ww_dns_parse(buf, n, &m2, &err), 0);
		assert_int_equal(m2.nrr, m.nrr);
		for (unsigned k = 0; k < m.nrr; k++)
			assert_true(ww_dns_rr_equal(&m.rr[k], &m2.rr[k]));
	}
}

static void emit_equals(const struct ww_dns_msg *msg, const uint8_t *want, size_t len)
{
	memset(buf, 0xa5, sizeof buf);
	assert_int_equal(ww_dns_emit(msg, buf, sizeof buf), len);
	assert_memory_equal(buf, want, len);
	assert_int_equal(buf[len], 0xa5);
}

/* The queries dig sent, built from scratch. */
static void test_emit_queries_like_dig(void **state)
{
	(void)state;
	assert_int_equal(ww_dns_query_init(&m, 0x787e, "example.com", WW_DNS_A, true), 0);
	emit_equals(&m, dns_q_a, sizeof dns_q_a);

	assert_int_equal(ww_dns_query_init(&m, 0x9e68, "www.example.com.", WW_DNS_A, false), 0);
	m.h.flags |= WW_DNS_AD; /* dig sets AD unless +noad */
	emit_equals(&m, dns_q_norec, sizeof dns_q_norec);

	/* EDNS with dig's client cookie (option 10) copied from the capture. */
	assert_int_equal(ww_dns_query_init(&m, 0x9362, "example.com", WW_DNS_AAAA, true), 0);
	m.h.flags |= WW_DNS_AD;
	struct ww_dns_rr *opt = ww_dns_opt_add(&m, 1232, false);
	assert_non_null(opt);
	opt->rd.bytes.len = 12;
	memcpy(opt->rd.bytes.b, dns_q_aaaa_edns + 40, 12);
	emit_equals(&m, dns_q_aaaa_edns, sizeof dns_q_aaaa_edns);

	assert_int_equal(ww_dns_query_init(&m, 0x0dd4, "example.com", WW_DNS_A, true), 0);
	m.h.flags |= WW_DNS_AD;
	opt = ww_dns_opt_add(&m, 1232, true);
	opt->rd.bytes.len = 12;
	memcpy(opt->rd.bytes.b, dns_q_do + 40, 12);
	emit_equals(&m, dns_q_do, sizeof dns_q_do);

	assert_int_equal(ww_dns_query_init(&m, 1, "a..b", WW_DNS_A, true), -1);
}

/* nsd's answer rebuilt record by record: every name after the first is a
 * pointer, exactly where nsd put them. */
static void test_emit_compression(void **state)
{
	(void)state;
	struct ww_dns_name apex = dname("example.com"), ns1 = dname("ns1.example.com");
	ww_dns_msg_init(&m, 0x787e, 0x8500);
	ww_dns_question_add(&m, &apex, WW_DNS_A, WW_DNS_CLASS_IN);
	/* Added out of order: sections keep their order anyway. */
	ww_dns_rr_add(&m, WW_DNS_ADDITIONAL, &ns1, WW_DNS_A, 86400)->rd.a = 0xc6336403;
	ww_dns_rr_add(&m, WW_DNS_AUTHORITY, &apex, WW_DNS_NS, 86400)->rd.name = ns1;
	ww_dns_rr_add(&m, WW_DNS_ANSWER, &apex, WW_DNS_A, 86400)->rd.a = 0xc000020a;
	emit_equals(&m, dns_r_a, sizeof dns_r_a);
	assert_memory_equal(buf + 29, "\xc0\x0c", 2);       /* answer owner -> question */
	assert_memory_equal(buf + 57, "\x03ns1\xc0\x0c", 6); /* NS rdata: label + pointer */
	assert_memory_equal(buf + 63, "\xc0\x39", 2);       /* glue owner -> the NS rdata */

	/* Without compression every name is written out. */
	m.no_compress = true;
	size_t n = ww_dns_emit(&m, buf, sizeof buf);
	assert_int_equal(n, sizeof dns_r_a + 11 + 11 + 11 + 15); /* 3 pointers to 13 bytes, 1 to 17 */
	assert_int_equal(ww_dns_parse(buf, n, &m2, &err), 0);
	for (unsigned k = 0; k < 3; k++)
		assert_true(ww_dns_rr_equal(&m.rr[k], &m2.rr[k]));

	/* The SOA answer: both rdata names compressed against the question. */
	struct ww_dns_name host = dname("hostmaster.example.com");
	ww_dns_msg_init(&m, 0xf9b8, 0x8500);
	ww_dns_question_add(&m, &apex, WW_DNS_SOA, WW_DNS_CLASS_IN);
	struct ww_dns_rr *soa = ww_dns_rr_add(&m, WW_DNS_ANSWER, &apex, WW_DNS_SOA, 86400);
	soa->rd.soa = (struct ww_dns_soa){ .mname = ns1, .rname = host, .serial = 2024010101,
					   .refresh = 7200, .retry = 3600, .expire = 1209600,
					   .minimum = 3600 };
	ww_dns_rr_add(&m, WW_DNS_AUTHORITY, &apex, WW_DNS_NS, 86400)->rd.name = ns1;
	ww_dns_rr_add(&m, WW_DNS_ADDITIONAL, &ns1, WW_DNS_A, 86400)->rd.a = 0xc6336403;
	emit_equals(&m, dns_r_soa, sizeof dns_r_soa);

	/* TXT strings added one by one. */
	ww_dns_msg_init(&m, 0x69dc, 0x8500);
	ww_dns_question_add(&m, &apex, WW_DNS_TXT, WW_DNS_CLASS_IN);
	struct ww_dns_rr *txt = ww_dns_rr_add(&m, WW_DNS_ANSWER, &apex, WW_DNS_TXT, 86400);
	assert_int_equal(ww_dns_txt_add(txt, "v=spf1 -all", 11), 0);
	assert_int_equal(ww_dns_txt_add(txt, "second string", 13), 0);
	assert_int_equal(ww_dns_txt_add(txt, "third", 5), 0);
	char big[256] = { 0 };
	assert_int_equal(ww_dns_txt_add(txt, big, 256), -1);
	ww_dns_rr_add(&m, WW_DNS_AUTHORITY, &apex, WW_DNS_NS, 86400)->rd.name = ns1;
	ww_dns_rr_add(&m, WW_DNS_ADDITIONAL, &ns1, WW_DNS_A, 86400)->rd.a = 0xc6336403;
	emit_equals(&m, dns_r_txt, sizeof dns_r_txt);
}

static void test_emit_cap_and_manual(void **state)
{
	(void)state;
	parsed("r_mx");
	size_t len = sizeof dns_r_mx;
	for (size_t cap = 0; cap < len; cap++) {
		memset(buf, 0xa5, sizeof buf);
		assert_int_equal(ww_dns_emit(&m, buf, cap), 0);
		assert_int_equal(buf[cap], 0xa5); /* nothing written past CAP */
	}
	/* A count and an RDLENGTH kept wrong on purpose. */
	m.manual = WW_DNS_MANUAL_COUNTS;
	m.h.ancount = 7;
	m.rr[0].manual = WW_DNS_RR_MANUAL_RDLEN;
	m.rr[0].rdlen = 3;
	assert_int_equal(ww_dns_emit(&m, buf, sizeof buf), len);
	assert_int_equal(ww_get16(buf + 6), 7);
	assert_int_equal(ww_get16(buf + 39), 3);
	assert_int_equal(ww_dns_parse(buf, len, &m2, &err), -1);
	/* A malformed name in the struct is refused, not written. */
	parsed("r_mx");
	m.rr[0].rd.mx.exchange.wire[0] = 64;
	assert_int_equal(ww_dns_emit(&m, buf, sizeof buf), 0);
}

/* Cut anywhere, a message is truncated, never invalid, and the error
 * names the field where the bytes ran out. */
static void test_truncated_every_length(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof dns_vectors / sizeof dns_vectors[0]; i++) {
		const struct dns_vector *v = &dns_vectors[i];
		assert_int_equal(ww_dns_parse(v->msg, v->len, &m, &err), 0);
		size_t whole = v->len - m.trailing;
		for (size_t cut = 0; cut < whole; cut++) {
			assert_int_equal(ww_dns_parse(v->msg, cut, &m, &err), -1);
			assert_int_equal(err.status, WW_TRUNCATED);
			assert_non_null(err.field);
			assert_memory_equal(err.field, "dns.", 4);
			assert_true(err.offset <= cut);
		}
	}
	assert_int_equal(ww_dns_parse(dns_r_a, 45, &m, &err), -1);
	assert_string_equal(err.field, "dns.count.auth_rr");
	assert_string_equal(err.msg, "dns.count.auth_rr is 1 but the message ends after 0 of them");
	assert_int_equal(ww_dns_parse(dns_r_a, 42, &m, &err), -1);
	assert_string_equal(err.field, "dns.resp.len");
	assert_string_equal(err.msg, "DNS RDLENGTH 4 > 1 bytes left in the message");
}

/* A copy of a vector with bytes [AT, AT + DEL) replaced by INS. */
static size_t edit(const uint8_t *src, size_t len, size_t at, size_t del, const char *ins,
		   size_t nins)
{
	static uint8_t tmp[sizeof buf];
	memcpy(tmp, src, len); /* SRC may be BUF itself */
	memcpy(buf, tmp, at);
	memcpy(buf + at, ins, nins);
	memcpy(buf + at + nins, tmp + at + del, len - at - del);
	return len - del + nins;
}

static void expect_error(size_t len, enum ww_status st, const char *field, uint32_t off,
			 const char *msg)
{
	assert_int_equal(ww_dns_parse(buf, len, &m, &err), -1);
	assert_int_equal(err.status, st);
	assert_string_equal(err.field, field);
	assert_int_equal(err.offset, off);
	assert_string_equal(err.msg, msg);
}

static void test_rdata_wrong_length(void **state)
{
	(void)state;
	/* r_a's answer: RDLENGTH at 39, the address at 41..44. */
	size_t n = edit(dns_r_a, sizeof dns_r_a, 39, 6, "\x00\x03\xc0\x00\x02", 5);
	expect_error(n, WW_INVALID, "dns.resp.len", 29, "DNS A record RDLENGTH 3, must be 4");
	n = edit(dns_r_a, sizeof dns_r_a, 39, 2, "\x00\x05", 2);
	n = edit(buf, n, 45, 0, "\x00", 1);
	expect_error(n, WW_INVALID, "dns.resp.len", 29, "DNS A record RDLENGTH 5, must be 4");
	n = edit(dns_r_aaaa_edns, sizeof dns_r_aaaa_edns, 39, 3, "\x00\x0f", 2);
	expect_error(n, WW_INVALID, "dns.resp.len", 29, "DNS AAAA record RDLENGTH 15, must be 16");

	/* r_cname's answer: RDLENGTH 2 at 43, rdata c0 10 at 45. */
	n = edit(dns_r_cname, sizeof dns_r_cname, 43, 4, "\x00\x03\xc0\x10\x00", 5);
	expect_error(n, WW_INVALID, "dns.resp.len", 47,
		     "DNS rdata has 1 byte after its data (RDLENGTH 3 too long for the type)");
	n = edit(dns_r_cname, sizeof dns_r_cname, 43, 4, "\x00\x01\xc0", 3);
	expect_error(n, WW_INVALID, "dns.cname", 46,
		     "DNS rdata ends inside dns.cname (RDLENGTH 1 too short for the type)");
	/* r_mx: RDLENGTH 9 at 39; one byte of preference left. */
	n = edit(dns_r_mx, sizeof dns_r_mx, 39, 3, "\x00\x01", 2);
	expect_error(n, WW_INVALID, "dns.mx.preference", 41,
		     "DNS rdata ends inside dns.mx.preference (RDLENGTH 1 too short for the type)");
	/* r_soa: RDLENGTH 39 at 39, rdata 41..79: drop the last byte. */
	n = edit(dns_r_soa, sizeof dns_r_soa, 39, 2, "\x00\x26", 2);
	n = edit(buf, n, 79, 1, "", 0);
	expect_error(n, WW_INVALID, "dns.soa.minimum_ttl", 76,
		     "DNS rdata ends inside dns.soa.minimum_ttl (RDLENGTH 38 too short for the type)");
	/* r_txt: the third string's length byte (67) says 6, 5 are left. */
	n = edit(dns_r_txt, sizeof dns_r_txt, 67, 1, "\x06", 1);
	expect_error(n, WW_INVALID, "dns.txt.length", 67,
		     "TXT string of 6 bytes runs past RDLENGTH (5 left)");
	/* q_aaaa_edns: the cookie option's length (42) says 9, 8 are left. */
	n = edit(dns_q_aaaa_edns, sizeof dns_q_aaaa_edns, 42, 2, "\x00\x09", 2);
	expect_error(n, WW_INVALID, "dns.opt.len", 40,
		     "EDNS option length 9 runs past RDLENGTH (8 left)");
}

static void test_lengths_and_counts_past_the_message(void **state)
{
	(void)state;
	/* The glue's RDLENGTH (73) says 200. */
	size_t n = edit(dns_r_a, sizeof dns_r_a, 73, 2, "\x00\xc8", 2);
	expect_error(n, WW_TRUNCATED, "dns.resp.len", 73,
		     "DNS RDLENGTH 200 > 4 bytes left in the message");
	/* 5000 answers claimed; the three records there all read as answers. */
	n = edit(dns_r_a, sizeof dns_r_a, 6, 2, "\x13\x88", 2);
	expect_error(n, WW_TRUNCATED, "dns.count.answers", 79,
		     "dns.count.answers is 5000 but the message ends after 3 of them");
	n = edit(dns_r_a, 12, 4, 2, "\xff\xff", 2);
	expect_error(n, WW_TRUNCATED, "dns.count.queries", 12,
		     "dns.count.queries is 65535 but the message ends after 0 of them");
	/* RDLENGTH over what one record may hold here. */
	uint8_t big[12 + 11 + 1025] = { [11] = 1, [13] = 0xff, [21] = 0x04, [22] = 0x01 };
	memcpy(buf, big, sizeof big);
	expect_error(sizeof big, WW_INVALID, "dns.resp.len", 12,
		     "DNS RDLENGTH 1025 over this parser's limit of 1024 bytes");
}

static void test_storage_limits(void **state)
{
	(void)state;
	/* Nine root questions: one more than the struct keeps. */
	memset(buf, 0, 12);
	buf[5] = 9;
	for (int i = 0; i < 9; i++)
		memcpy(buf + 12 + 5 * i, "\x00\x00\x01\x00\x01", 5);
	expect_error(12 + 45, WW_INVALID, "dns.count.queries", 12 + 40,
		     "DNS message has more than 8 questions: over this parser's limit");
	/* 65 additional records: "." A 192.0.2.1. */
	memset(buf, 0, 12);
	buf[11] = 65;
	for (int i = 0; i < 65; i++)
		memcpy(buf + 12 + 15 * i, "\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x04\xc0\x00\x02\x01",
		       15);
	expect_error(12 + 15 * 65, WW_INVALID, "dns.count.add_rr", 12 + 15 * 64,
		     "DNS message has more than 64 records in all sections: over this parser's "
		     "limit");
	buf[11] = 64;
	assert_int_equal(ww_dns_parse(buf, 12 + 15 * 64, &m, &err), 0);
	assert_int_equal(m.nrr, 64);
	/* Building stops at the limit too. */
	struct ww_dns_name root = dname(".");
	assert_null(ww_dns_rr_add(&m, WW_DNS_ANSWER, &root, WW_DNS_A, 0));
	ww_dns_msg_init(&m, 0, 0);
	for (int i = 0; i < WW_DNS_MAX_QUESTIONS; i++)
		assert_non_null(ww_dns_question_add(&m, &root, WW_DNS_A, 1));
	assert_null(ww_dns_question_add(&m, &root, WW_DNS_A, 1));
}

static void test_compression_abuse_in_records(void **state)
{
	(void)state;
	/* The answer's owner points at itself. */
	size_t n = edit(dns_r_a, sizeof dns_r_a, 29, 2, "\xc0\x1d", 2);
	expect_error(n, WW_INVALID, "dns.resp.name", 29,
		     "DNS compression pointer to offset 29 does not point before offset 29 "
		     "(forward pointer or loop)");
	/* The NS rdata's pointer aims past the end. */
	n = edit(dns_r_a, sizeof dns_r_a, 61, 2, "\xc0\xff", 2);
	expect_error(n, WW_INVALID, "dns.ns", 61,
		     "DNS compression pointer to offset 255 is past the end of the 79-byte message");
	/* A label over 63 in the question. */
	n = edit(dns_r_a, sizeof dns_r_a, 12, 1, "\x47", 1);
	expect_error(n, WW_INVALID, "dns.qry.name", 12,
		     "DNS label length 71 > 63 (byte 0x47: extended label type 0x40, not supported)");
}

static const char *rr_line(const struct ww_dns_rr *rr)
{
	static char s[1024];
	size_t need = ww_dns_rr_text(rr, WW_DNS_TEXT_COLUMNS, s, sizeof s);
	assert_int_equal(need, strlen(s));
	return s;
}

static const char *q_line(const struct ww_dns_question *q)
{
	static char s[512];
	ww_dns_question_text(q, WW_DNS_TEXT_COLUMNS, s, sizeof s);
	return s;
}

/* Each line below is what dig printed for the same message. */
static void test_text_like_dig(void **state)
{
	(void)state;
	parsed("r_aaaa_edns");
	assert_string_equal(q_line(&m.q[0]), ";example.com.\t\t\tIN\tAAAA");
	assert_string_equal(rr_line(&m.rr[0]), "example.com.\t\t86400\tIN\tAAAA\t2001:db8::10");
	assert_string_equal(rr_line(&m.rr[1]), "example.com.\t\t86400\tIN\tNS\tns1.example.com.");
	assert_string_equal(rr_line(&m.rr[2]), "ns1.example.com.\t86400\tIN\tA\t198.51.100.3");
	assert_string_equal(rr_line(&m.rr[3]), "; EDNS: version: 0, flags:; udp: 1232");
	parsed("r_do");
	assert_string_equal(rr_line(&m.rr[3]), "; EDNS: version: 0, flags: do; udp: 1232");
	parsed("c_opt");
	assert_string_equal(rr_line(&m.rr[1]),
			    "; EDNS: version: 1, flags: do; MBZ: 0x0123, udp: 4096");
	parsed("r_cname");
	assert_string_equal(q_line(&m.q[0]), ";www.example.com.\t\tIN\tA");
	assert_string_equal(rr_line(&m.rr[0]), "www.example.com.\t86400\tIN\tCNAME\texample.com.");
	parsed("r_mx");
	assert_string_equal(rr_line(&m.rr[0]), "example.com.\t\t86400\tIN\tMX\t10 mail.example.com.");
	assert_string_equal(rr_line(&m.rr[2]), "mail.example.com.\t86400\tIN\tA\t192.0.2.25");
	parsed("r_txt");
	assert_string_equal(rr_line(&m.rr[0]), "example.com.\t\t86400\tIN\tTXT\t\"v=spf1 -all\" "
					       "\"second string\" \"third\"");
	parsed("r_soa");
	assert_string_equal(rr_line(&m.rr[0]), "example.com.\t\t86400\tIN\tSOA\tns1.example.com. "
					       "hostmaster.example.com. 2024010101 7200 3600 "
					       "1209600 3600");
	parsed("r_referral");
	assert_string_equal(rr_line(&m.rr[0]), "example.com.\t\t172800\tIN\tNS\tns1.example.com.");
	assert_string_equal(rr_line(&m.rr[1]), "ns1.example.com.\t172800\tIN\tA\t198.51.100.3");
	parsed("r_ptr");
	assert_string_equal(rr_line(&m.rr[0]), "10.2.0.192.in-addr.arpa. 86400\tIN\tPTR\texample.com.");
	parsed("r_dot");
	assert_string_equal(rr_line(&m.rr[0]), "a\\.b.example.com.\t86400\tIN\tA\t192.0.2.11");
	parsed("r_space");
	assert_string_equal(rr_line(&m.rr[0]), "sp\\032ace.example.com.\t86400\tIN\tA\t192.0.2.12");
	parsed("r_binary");
	assert_string_equal(rr_line(&m.rr[0]), "\\001\\255bin.example.com. 86400\tIN\tA\t192.0.2.13");
	parsed("r_odd_txt");
	assert_string_equal(q_line(&m.q[0]), ";odd.example.com.\t\tIN\tTXT");
	assert_string_equal(rr_line(&m.rr[0]), "odd.example.com.\t86400\tIN\tTXT\t"
					       "\"quote\\\"back\\\\slash\" \"\\000\\255\" \"\"");
	parsed("r_unknown");
	assert_string_equal(q_line(&m.q[0]), ";blob.example.com.\t\tIN\tTYPE65280");
	assert_string_equal(rr_line(&m.rr[0]), "blob.example.com.\t86400\tIN\tTYPE65280 \\# 4 DEADBEEF");
	parsed("r_refused");
	assert_string_equal(q_line(&m.q[0]), ";.\t\t\t\tIN\tNS");
}

/* Records from a hand-written server, and what dig printed for them:
 * long generic rdata, names and TTLs past dig's columns, TXT specials. */
static void test_text_like_dig_wide(void **state)
{
	(void)state;
	struct ww_dns_name x = dname("x.example");
	ww_dns_msg_init(&m, 0, 0);
	struct ww_dns_rr *rr = ww_dns_rr_add(&m, WW_DNS_ANSWER, &x, 65280, 60);
	rr->rd.bytes.len = 100;
	for (int i = 0; i < 100; i++)
		rr->rd.bytes.b[i] = (uint8_t)i;
	assert_string_equal(rr_line(rr),
			    "x.example.\t\t60\tIN\tTYPE65280 \\# 100 "
			    "000102030405060708090A0B0C0D0E0F101112131415161718191A1B "
			    "1C1D1E1F202122232425262728292A2B2C2D2E2F3031323334353637 "
			    "38393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F50515253 "
			    "5455565758595A5B5C5D5E5F60616263");
	rr = ww_dns_rr_add(&m, WW_DNS_ANSWER, &x, 65281, 60);
	assert_string_equal(rr_line(rr), "x.example.\t\t60\tIN\tTYPE65281 \\# 0");
	struct ww_dns_name ab = dname("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbb");
	rr = ww_dns_rr_add(&m, WW_DNS_ANSWER, &ab, WW_DNS_A, 60);
	rr->rd.a = 0xc0000201;
	assert_string_equal(rr_line(rr), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbb.\t60 IN A\t192.0.2.1");
	struct ww_dns_name cc = dname("cccccccccccccccccccccc");
	rr = ww_dns_rr_add(&m, WW_DNS_ANSWER, &cc, WW_DNS_A, 4294967295u);
	rr->rd.a = 0xc0000201;
	assert_string_equal(rr_line(rr), "cccccccccccccccccccccc.\t4294967295 IN\tA\t192.0.2.1");
	rr = ww_dns_rr_add(&m, WW_DNS_ANSWER, &x, WW_DNS_TXT, 60);
	ww_dns_txt_add(rr, "a b;c", 5);
	ww_dns_txt_add(rr, "(x)@", 4);
	ww_dns_txt_add(rr, "$", 1);
	assert_string_equal(rr_line(rr), "x.example.\t\t60\tIN\tTXT\t\"a b;c\" \"(x)@\" \"$\"");
	struct ww_dns_name odd = dname("a\\(b\\)c\\;d\\@e\\$f\\\"g\\\\h.\\127\\032");
	rr = ww_dns_rr_add(&m, WW_DNS_ANSWER, &odd, WW_DNS_A, 60);
	rr->rd.a = 0xc0000201;
	assert_string_equal(rr_line(rr), "a\\(b\\)c\\;d\\@e\\$f\\\"g\\\\h.\\127\\032. 60 IN\tA\t192.0.2.1");
}

static void test_text_plain_and_sizes(void **state)
{
	(void)state;
	parsed("r_a");
	char s[64];
	assert_int_equal(ww_dns_rr_text(&m.rr[0], 0, s, sizeof s), 34);
	assert_string_equal(s, "example.com.\t86400\tIN\tA\t192.0.2.10");
	memset(s, 0x5a, sizeof s);
	assert_int_equal(ww_dns_rr_text(&m.rr[0], 0, s, 10), 34);
	assert_string_equal(s, "example.c");
	assert_int_equal((uint8_t)s[10], 0x5a);
	assert_int_equal(ww_dns_rr_text(&m.rr[0], WW_DNS_TEXT_COLUMNS, NULL, 0), 35);
	assert_int_equal(ww_dns_rdata_text(&m.rr[0], s, sizeof s), 10);
	assert_string_equal(s, "192.0.2.10");

	char t[16];
	assert_string_equal(ww_dns_type_str(WW_DNS_AAAA, t), "AAAA");
	assert_string_equal(ww_dns_type_str(33, t), "TYPE33"); /* SRV: rdata not decoded */
	assert_string_equal(ww_dns_class_str(WW_DNS_CLASS_CH, t), "CH");
	assert_string_equal(ww_dns_class_str(0x8001, t), "CLASS32769");
	assert_string_equal(ww_dns_rcode_str(WW_DNS_NXDOMAIN, t), "NXDOMAIN");
	assert_string_equal(ww_dns_rcode_str(WW_DNS_BADVERS, t), "BADVERS");
	assert_string_equal(ww_dns_rcode_str(12, t), "RCODE12");
	assert_string_equal(ww_tok_str(ww_dns_type_names, 33), "SRV");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_answer),
		cmocka_unit_test(test_parse_each_type),
		cmocka_unit_test(test_parse_nxdomain_and_referral),
		cmocka_unit_test(test_parse_edns_and_crafted),
		cmocka_unit_test(test_roundtrip_exact),
		cmocka_unit_test(test_emit_queries_like_dig),
		cmocka_unit_test(test_emit_compression),
		cmocka_unit_test(test_emit_cap_and_manual),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_rdata_wrong_length),
		cmocka_unit_test(test_lengths_and_counts_past_the_message),
		cmocka_unit_test(test_storage_limits),
		cmocka_unit_test(test_compression_abuse_in_records),
		cmocka_unit_test(test_text_like_dig),
		cmocka_unit_test(test_text_like_dig_wide),
		cmocka_unit_test(test_text_plain_and_sizes),
	};
	return cmocka_run_group_tests_name("dns", tests, NULL, NULL);
}
