/* The DNS dissector against tshark 4.0: for every captured and crafted
 * message, each field's values in frame order equal what
 * `tshark -T fields` printed for the same frame (dns_tshark.h). Then the
 * items' places in the frame, a whole frame through ww_dissect, and bad
 * messages shown as far as they go. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ww/dissect.h"
#include "ww/dns.h"

#include "dns_tshark.h"
#include "dns_vectors.h"

static struct ww_dissection d;

/* Dissect MSG as if it were the whole frame. */
static struct ww_layer *dissect_msg(const uint8_t *msg, size_t len)
{
	ww_dissect_reset(&d, msg, len);
	struct ww_cursor c;
	ww_cur_init(&c, msg, len, 0);
	struct ww_layer *l = ww_dns_dissect(&d, &c);
	if (l)
		assert_int_equal(ww_cur_left(&c), 0);
	return l;
}

/* One value as tshark -T fields writes it (hex fields in decimal). */
static void put_value(char *out, size_t cap, size_t *at, const struct ww_item *it)
{
	char tmp[64];
	const char *s = tmp;
	size_t n;
	switch (it->f->type) {
	case WW_FT_UINT:
	case WW_FT_BOOL:
		snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)it->u);
		break;
	case WW_FT_IPV4:
		snprintf(tmp, sizeof tmp, "%u.%u.%u.%u", (unsigned)(it->u >> 24),
			 (unsigned)(it->u >> 16) & 255, (unsigned)(it->u >> 8) & 255,
			 (unsigned)it->u & 255);
		break;
	case WW_FT_IPV6:
		inet_ntop(AF_INET6, it->p, tmp, sizeof tmp);
		break;
	case WW_FT_BYTES:
		if (!it->plen) /* tshark's word for a byte field of length 0 */
			snprintf(tmp, sizeof tmp, "<MISSING>");
		for (uint32_t i = 0; i < it->plen && *at + 2 * i + 2 < cap; i++)
			snprintf(out + *at + 2 * i, 3, "%02x", it->p[i]);
		if (it->plen) {
			*at += 2 * it->plen;
			return;
		}
		break;
	case WW_FT_STRING:
		s = (const char *)it->p;
		n = it->plen;
		assert_true(*at + n < cap);
		memcpy(out + *at, s, n);
		*at += n;
		return;
	case WW_FT_NONE: /* tshark prints a field without a value as 1 */
		snprintf(tmp, sizeof tmp, "1");
		break;
	default:
		fail();
	}
	n = strlen(s);
	assert_true(*at + n < cap);
	memcpy(out + *at, s, n);
	*at += n;
}

/* "field=v1|v2\n" for every DNS field with items, in table order. */
static const char *fields_text(void)
{
	static char out[16384];
	size_t at = 0;
	for (const struct ww_field *f = ww_dns_fields; f->name; f++) {
		bool any = false;
		for (unsigned i = 0; i < d.nitems; i++) {
			if (d.items[i].f != f)
				continue;
			at += (size_t)snprintf(out + at, sizeof out - at, any ? "|" : "%s=", f->name);
			put_value(out, sizeof out, &at, &d.items[i]);
			any = true;
		}
		if (any)
			out[at++] = '\n';
	}
	out[at] = 0;
	return out;
}

static void test_items_equal_tshark(void **state)
{
	(void)state;
	size_t n = sizeof tshark_expects / sizeof tshark_expects[0];
	assert_int_equal(n, sizeof dns_vectors / sizeof dns_vectors[0]);
	for (size_t i = 0; i < n; i++) {
		const struct dns_vector *v = dns_vector(tshark_expects[i].name);
		assert_non_null(v);
		assert_non_null(dissect_msg(v->msg, v->len));
		assert_int_equal(d.nerrors, 0);
		assert_false(d.items_full);
		assert_string_equal(fields_text(), tshark_expects[i].text);
	}
}

static const struct ww_item *nth(const char *name, unsigned k)
{
	for (unsigned i = 0; i < d.nitems; i++)
		if (strcmp(d.items[i].f->name, name) == 0 && k-- == 0)
			return &d.items[i];
	return NULL;
}

static void expect_item(const char *name, unsigned k, uint32_t off, uint32_t len, uint8_t depth)
{
	const struct ww_item *it = nth(name, k);
	assert_non_null(it);
	assert_int_equal(it->off, off);
	assert_int_equal(it->len, len);
	assert_int_equal(it->depth, depth);
}

/* Where each item sits: the bytes the hexdump will colour. */
static void test_item_places(void **state)
{
	(void)state;
	struct ww_layer *l = dissect_msg(dns_r_a, sizeof dns_r_a);
	assert_non_null(l);
	assert_string_equal(l->name, "dns");
	assert_int_equal(l->len, sizeof dns_r_a);
	assert_int_equal(l->h.dns.id, 0x787e);
	assert_int_equal(l->h.dns.arcount, 1);
	expect_item("dns.id", 0, 0, 2, 0);
	expect_item("dns.flags", 0, 2, 2, 0);
	expect_item("dns.flags.response", 0, 2, 1, 1);
	expect_item("dns.flags.rcode", 0, 3, 1, 1);
	expect_item("dns.count.add_rr", 0, 10, 2, 0);
	expect_item("dns.qry.name", 0, 12, 13, 1);
	expect_item("dns.qry.type", 0, 25, 2, 1);
	expect_item("dns.resp.name", 0, 29, 2, 1); /* a pointer: two bytes in place */
	expect_item("dns.resp.ttl", 0, 35, 4, 1);
	expect_item("dns.a", 0, 41, 4, 1);
	expect_item("dns.ns", 0, 57, 6, 1);
	expect_item("dns.resp.len", 2, 73, 2, 1);

	assert_non_null(dissect_msg(dns_r_soa, sizeof dns_r_soa));
	expect_item("dns.soa.mname", 0, 41, 6, 1);
	expect_item("dns.soa.rname", 0, 47, 13, 1);
	expect_item("dns.soa.serial_number", 0, 60, 4, 1);
	expect_item("dns.soa.minimum_ttl", 0, 76, 4, 1);

	assert_non_null(dissect_msg(dns_r_txt, sizeof dns_r_txt));
	expect_item("dns.txt.length", 1, 53, 1, 1);
	expect_item("dns.txt", 1, 54, 13, 1);

	/* OPT: Z's bits and the options one level further in. */
	assert_non_null(dissect_msg(dns_q_aaaa_edns, sizeof dns_q_aaaa_edns));
	expect_item("dns.rr.udp_payload_size", 0, 32, 2, 1);
	expect_item("dns.resp.ext_rcode", 0, 34, 1, 1);
	expect_item("dns.resp.z", 0, 36, 2, 1);
	expect_item("dns.resp.z.do", 0, 36, 2, 2);
	expect_item("dns.opt", 0, 40, 12, 1);
	expect_item("dns.opt.code", 0, 40, 2, 2);
	expect_item("dns.opt.data", 0, 44, 8, 2);
	assert_null(nth("dns.resp.class", 0));
	assert_null(nth("dns.resp.ttl", 0));

	assert_non_null(dissect_msg(dns_c_trailing, sizeof dns_c_trailing));
	expect_item("dns.extraneous.data", 0, 35, 3, 0);
}

/* The frame nsd sent, from the Ethernet header on. */
static void test_whole_frame(void **state)
{
	(void)state;
	ww_dissect(&d, dns_frame_r_a, sizeof dns_frame_r_a);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.nlayers, 4);
	assert_int_equal(d.layers[3].proto, WW_P_DNS);
	assert_int_equal(d.layers[3].off, 42);
	assert_int_equal(d.layers[3].len, sizeof dns_r_a);
	assert_int_equal(d.layers[3].h.dns.ancount, 1);
	expect_item("dns.id", 0, 42, 2, 0);
	expect_item("dns.qry.name", 0, 54, 13, 1);
	expect_item("dns.resp.name", 2, 105, 2, 1);
	const struct ww_item *a = nth("dns.a", 1);
	assert_non_null(a);
	assert_int_equal(a->u, 0xc6336403);
	assert_int_equal(a->layer, 3);
}

/* A message cut anywhere still shows what it could read, with the error. */
static void test_truncated_shows_what_fits(void **state)
{
	(void)state;
	for (size_t cut = 0; cut < sizeof dns_r_a; cut++) {
		assert_null(dissect_msg(dns_r_a, cut));
		assert_int_equal(d.nerrors, 1);
		assert_int_equal(d.errors[0].status, WW_TRUNCATED);
		assert_non_null(d.errors[0].field);
		assert_int_equal(d.nlayers, 1);
		for (unsigned i = 0; i < d.nitems; i++)
			assert_true(d.items[i].off + d.items[i].len <= cut);
	}
	assert_null(dissect_msg(dns_r_a, 1));
	assert_int_equal(d.nitems, 0);
	assert_null(dissect_msg(dns_r_a, 2));
	assert_int_equal(d.nitems, 1); /* dns.id */
	assert_null(dissect_msg(dns_r_a, 30));
	assert_non_null(nth("dns.qry.name", 0)); /* the question was whole */
	assert_null(nth("dns.resp.name", 0));
	assert_string_equal(d.errors[0].field, "dns.resp.name");
	assert_null(dissect_msg(dns_r_a, 63));
	assert_string_equal(d.errors[0].field, "dns.count.add_rr");
	assert_string_equal(d.errors[0].msg, "dns.count.add_rr is 1 but the message ends after 0 of them");
}

static void test_bad_message_error(void **state)
{
	(void)state;
	uint8_t msg[sizeof dns_r_a];
	memcpy(msg, dns_r_a, sizeof msg);
	msg[62] = 0x39; /* the NS rdata's pointer now aims at itself */
	assert_null(dissect_msg(msg, sizeof msg));
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.errors[0].status, WW_INVALID);
	assert_string_equal(d.errors[0].field, "dns.ns");
	assert_int_equal(d.errors[0].offset, 61);
	assert_non_null(nth("dns.a", 0)); /* the answer before it is shown */
	assert_null(nth("dns.ns", 0));
}

/* A TXT record larger than a parsed message keeps: shown all the same. */
static void test_big_rdata(void **state)
{
	(void)state;
	static uint8_t msg[12 + 11 + 5 * 256];
	memset(msg, 0, sizeof msg);
	msg[2] = 0x81;
	msg[7] = 1;                      /* one answer: "." TXT */
	msg[14] = WW_DNS_TXT;
	msg[16] = WW_DNS_CLASS_IN;
	msg[21] = (5 * 256) >> 8;        /* RDLENGTH 1280 */
	for (int i = 0; i < 5; i++) {
		msg[23 + 256 * i] = 255;
		memset(msg + 24 + 256 * i, 'a' + i, 255);
	}
	struct ww_error err;
	static struct ww_dns_msg m;
	assert_int_equal(ww_dns_parse(msg, sizeof msg, &m, &err), -1);
	assert_string_equal(err.field, "dns.resp.len");
	assert_non_null(strstr(err.msg, "limit of 1024"));
	assert_non_null(dissect_msg(msg, sizeof msg));
	expect_item("dns.txt", 4, 23 + 256 * 4 + 1, 255, 1);
	assert_int_equal(nth("dns.txt", 4)->plen, 255);
	assert_int_equal(nth("dns.txt", 4)->p[254], 'e');
}

static void test_field_table(void **state)
{
	(void)state;
	const struct ww_field *f = ww_field_find(ww_dns_fields, "dns.flags.opcode");
	assert_non_null(f);
	assert_int_equal(f->bit_off, 17);
	assert_int_equal(f->bit_width, 4);
	f = ww_field_find(ww_dns_fields, "dns.count.add_rr");
	assert_int_equal(f->bit_off, 80);
	assert_string_equal(f->alias, "arcount");
	assert_string_equal(ww_field_find(ww_dns_fields, "dns.qry.name")->alias, "qname");
	assert_int_equal(ww_field_find(ww_dns_fields, "dns.txt")->bit_off, -1);
	unsigned n = 0;
	for (f = ww_dns_fields; f->name; f++, n++) {
		assert_non_null(f->label);
		assert_non_null(f->help);
		assert_memory_equal(f->name, "dns.", 4);
	}
	/* Every enum row is filled (a gap would end the table early). */
	assert_int_equal(n, WW_DNS_F_END);
	assert_string_equal(ww_dns_fields[WW_DNS_F_QNAME].name, "dns.qry.name");
	assert_string_equal(ww_dns_fields[WW_DNS_F_EXTRA_LEN].name, "dns.extraneous.length");
}

/* DNS over TCP (RFC 1035 §4.2.2): our resolver's query for big.example.com
 * TXT asked again over TCP after TC=1, as captured in the lab; tshark
 * reads dns.length 33 and the question. */
static const uint8_t tcp_query_frame[] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x08, 0x00, 0x45, 0x00,
	0x00, 0x4b, 0x00, 0x03, 0x40, 0x00, 0x40, 0x06, 0x3c, 0xc7, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00,
	0x71, 0x35, 0xc7, 0xaa, 0x00, 0x35, 0x98, 0x06, 0xd9, 0xbf, 0x4d, 0xc3, 0xbf, 0xe6, 0x50, 0x18,
	0xff, 0xff, 0xff, 0x8d, 0x00, 0x00, 0x00, 0x21, 0x1f, 0x90, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x03, 0x62, 0x69, 0x67, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
	0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x10, 0x00, 0x01,
};

static void test_over_tcp(void **state)
{
	(void)state;
	ww_dissect(&d, tcp_query_frame, sizeof tcp_query_frame);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.nlayers, 4);
	assert_int_equal(d.layers[3].proto, WW_P_DNS);
	assert_int_equal(d.layers[3].off, 54);  /* the length is the layer's */
	assert_int_equal(d.layers[3].len, 35);
	expect_item("dns.length", 0, 54, 2, 0);
	assert_int_equal(nth("dns.length", 0)->u, 33);
	expect_item("dns.id", 0, 56, 2, 0);
	assert_int_equal(nth("dns.id", 0)->u, 0x1f90);
	expect_item("dns.qry.name", 0, 68, 17, 1);
	const struct ww_item *q = nth("dns.qry.name", 0);
	assert_int_equal(q->plen, 15);
	assert_memory_equal(q->p, "big.example.com", 15);

	/* A length that promises more than the segment holds: a message cut
	 * across segments is not reassembled; its bytes are data. */
	uint8_t cut[sizeof tcp_query_frame];
	memcpy(cut, tcp_query_frame, sizeof cut);
	cut[55] = 40;
	ww_dissect(&d, cut, sizeof cut);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.layers[3].proto, WW_P_DATA);

	/* A whole message that is malformed: shown as far as it goes, with
	 * the error (QDCOUNT 1, but the name runs past the end). */
	memcpy(cut, tcp_query_frame, sizeof cut);
	cut[68] = 60;
	ww_dissect(&d, cut, sizeof cut);
	assert_int_equal(d.layers[3].proto, WW_P_DNS);
	assert_int_not_equal(d.nerrors, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_equal_tshark),
		cmocka_unit_test(test_item_places),
		cmocka_unit_test(test_whole_frame),
		cmocka_unit_test(test_truncated_shows_what_fits),
		cmocka_unit_test(test_bad_message_error),
		cmocka_unit_test(test_big_rdata),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_over_tcp),
	};
	return cmocka_run_group_tests_name("dns_dissect", tests, NULL, NULL);
}
