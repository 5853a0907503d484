/* The TLS dissector and hello parser against real bytes: curl's
 * ClientHellos and nginx's answers from tests/captures/tls.pcap
 * (tls_vectors.h: TCP payloads) and whole frames from tls.pcap and
 * tls-refused.pcap (app_frames.h). Every expected value is what tshark 4.0
 * printed for the same frame (`tshark -o tcp.desegment_tcp_streams:FALSE
 * -T fields -E occurrence=a -e ...`), written as tshark writes it. Cut
 * segments show what is there and say partial; malformed hellos name the
 * field; no prefix of a segment reads past its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app_frames.h"
#include "tls_vectors.h"
#include "ww/dissect.h"
#include "ww/filter.h"
#include "ww/tls_record.h"
#include "ww/view.h"

static struct ww_dissection dis;

/* The TLS layer of the N payload bytes at P, dissected alone (the frame
 * is the payload); NULL on an error. */
static const struct ww_layer *tls_of(const uint8_t *p, size_t n)
{
	ww_dissect_reset(&dis, p, n);
	struct ww_cursor c;
	ww_cur_init(&c, p, n, 0);
	assert_true(ww_tls_record_plausible(p, n));
	return ww_tls_dissect(&dis, &c);
}

/* Every value of the items named NAME, joined with ',' as tshark's
 * aggregator would: numbers in the field's base (hex as 0x%04x), strings
 * as they are, bytes in hex. */
static const char *values(const char *name)
{
	static char buf[4096];
	size_t k = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < dis.nitems; i++) {
		const struct ww_item *it = &dis.items[i];
		if (strcmp(it->f->name, name) != 0)
			continue;
		if (k)
			buf[k++] = ',';
		if (it->f->type == WW_FT_STRING)
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%.*s", (int)it->plen,
					      (const char *)it->p);
		else if (it->f->type == WW_FT_BYTES)
			for (uint32_t b = 0; b < it->plen && k + 3 < sizeof buf; b++)
				k += (size_t)snprintf(buf + k, sizeof buf - k, "%02x", it->p[b]);
		else if (it->f->base == WW_BASE_HEX)
			k += (size_t)snprintf(buf + k, sizeof buf - k, "0x%04x", (unsigned)it->u);
		else
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%u", (unsigned)it->u);
		assert_true(k < sizeof buf);
	}
	return buf;
}

static unsigned count(const char *name)
{
	unsigned n = 0;
	for (unsigned i = 0; i < dis.nitems; i++)
		n += strcmp(dis.items[i].f->name, name) == 0;
	return n;
}

/* Every item lies within the bytes dissected. */
static void items_inside(size_t n)
{
	for (unsigned i = 0; i < dis.nitems; i++) {
		const struct ww_item *it = &dis.items[i];
		assert_true((uint64_t)it->off + it->len <= n);
		if (it->p && it->plen)
			assert_true(it->p >= dis.frame && it->p + it->plen <= dis.frame + n);
	}
}

static void test_client_hello_tls13(void **state)
{
	(void)state;
	const struct ww_layer *l = tls_of(tls13_client_hello, sizeof tls13_client_hello);
	assert_non_null(l);
	assert_int_equal(l->len, 517);
	assert_int_equal(dis.nerrors, 0);
	/* tshark, tls.pcap frame 4 */
	assert_string_equal(values("tls.record.content_type"), "22");
	assert_string_equal(values("tls.record.version"), "0x0301");
	assert_string_equal(values("tls.record.length"), "512");
	assert_string_equal(values("tls.handshake.type"), "1");
	assert_string_equal(values("tls.handshake.length"), "508");
	assert_string_equal(values("tls.handshake.version"), "0x0303");
	assert_string_equal(values("tls.handshake.random"),
			    "8801fcdfdac6953abb525e4ef72b9a477628e433f797a07b9ec12e46cc111758");
	assert_string_equal(values("tls.handshake.session_id_length"), "32");
	assert_string_equal(values("tls.handshake.cipher_suites_length"), "62");
	assert_string_equal(values("tls.handshake.ciphersuite"),
			    "0x1302,0x1303,0x1301,0xc02c,0xc030,0x009f,0xcca9,0xcca8,0xccaa,0xc02b,"
			    "0xc02f,0x009e,0xc024,0xc028,0x006b,0xc023,0xc027,0x0067,0xc00a,0xc014,"
			    "0x0039,0xc009,0xc013,0x0033,0x009d,0x009c,0x003d,0x003c,0x0035,0x002f,"
			    "0x00ff");
	assert_string_equal(values("tls.handshake.extensions_length"), "373");
	assert_string_equal(values("tls.handshake.extension.type"),
			    "0,11,10,16,22,23,49,13,43,45,51,21");
	assert_string_equal(values("tls.handshake.extensions_server_name"), "example.com");
	assert_string_equal(values("tls.handshake.extensions_alpn_str"), "h2,http/1.1");
	assert_string_equal(values("tls.handshake.extensions.supported_version"),
			    "0x0304,0x0303,0x0302,0x0301");
	assert_string_equal(values("tls.handshake.extensions_supported_group"),
			    "0x001d,0x0017,0x001e,0x0019,0x0018,0x0100,0x0101,0x0102,0x0103,0x0104");
	assert_string_equal(values("tls.handshake.extensions_key_share_group"), "29");
	assert_int_equal(count("tls.record.partial"), 0);
	items_inside(sizeof tls13_client_hello);

	/* The parser reads the same message into numbers. */
	struct ww_tls_hello h;
	struct ww_cursor c;
	ww_cur_init(&c, tls13_client_hello + 5, sizeof tls13_client_hello - 5, 5);
	assert_int_equal(ww_tls_hello_parse(&c, &h), 0);
	assert_int_equal(ww_cur_left(&c), 0);
	assert_int_equal(h.type, WW_TLS_HS_CLIENT_HELLO);
	assert_int_equal(h.length, 508);
	assert_int_equal(h.version, 0x0303);
	assert_int_equal(h.nsuites, 31);
	assert_int_equal(h.suites[0], 0x1302);
	assert_int_equal(h.suites[30], 0x00ff);
	assert_int_equal(h.ncomp, 1);
	assert_int_equal(h.comp, 0);
	assert_int_equal(h.nextensions, 12);
	assert_true(h.has_sni);
	assert_string_equal(h.sni, "example.com");
	assert_int_equal(h.nalpn, 2);
	assert_string_equal(h.alpn[1], "http/1.1");
	assert_int_equal(h.nversions, 4);
	assert_int_equal(h.versions[0], 0x0304);
	assert_int_equal(h.ngroups, 8); /* ten offered, eight kept */
	assert_int_equal(h.nshares, 1);
	assert_int_equal(h.shares[0], 29);
	assert_memory_equal(h.session_id, tls13_client_hello + 44, 32);
}

static void test_server_flight_tls13(void **state)
{
	(void)state;
	assert_non_null(tls_of(tls13_server_flight, sizeof tls13_server_flight));
	assert_int_equal(dis.nerrors, 0);
	/* tshark, frame 6: content types 22,20 and opaque types 23 x4 (it
	 * knows from the ServerHello that TLS 1.3 encrypts the rest). */
	assert_string_equal(values("tls.record.content_type"), "22,20,23,23,23,23");
	assert_string_equal(values("tls.record.length"), "122,1,42,464,96,69");
	assert_string_equal(values("tls.handshake.type"), "2");
	assert_string_equal(values("tls.handshake.length"), "118");
	assert_string_equal(values("tls.handshake.ciphersuite"), "0x1302");
	assert_string_equal(values("tls.handshake.extension.type"), "43,51");
	assert_string_equal(values("tls.handshake.extensions.supported_version"), "0x0304");
	assert_string_equal(values("tls.handshake.extensions_key_share_group"), "29");
	assert_int_equal(count("tls.app_data"), 4);
	assert_int_equal(count("tls.change_cipher_spec"), 1);
	/* The encrypted records' bytes, as tshark's tls.app_data. */
	assert_int_equal(strlen(values("tls.app_data")), 2 * (42 + 464 + 96 + 69) + 3);
	items_inside(sizeof tls13_server_flight);
}

static void test_server_flight_tls12(void **state)
{
	(void)state;
	assert_non_null(tls_of(tls12_server_flight, sizeof tls12_server_flight));
	/* tshark, frame 22 */
	assert_string_equal(values("tls.record.content_type"), "22,22,22,22");
	assert_string_equal(values("tls.record.length"), "112,444,116,4");
	assert_string_equal(values("tls.handshake.type"), "2,11,12,14");
	assert_string_equal(values("tls.handshake.length"), "108,440,112,0");
	assert_string_equal(values("tls.handshake.ciphersuite"), "0xc02c");
	assert_string_equal(values("tls.handshake.extension.type"), "65281,0,11,16,23");
	assert_string_equal(values("tls.handshake.extensions_alpn_str"), "http/1.1");
	assert_string_equal(values("tls.handshake.session_id_length"), "32");
	assert_int_equal(count("tls.handshake.extensions.supported_version"), 0);
}

static void test_encrypted_finished(void **state)
{
	(void)state;
	/* tshark, frame 24: ClientKeyExchange, change_cipher_spec, then the
	 * encrypted Finished, which has no handshake type. */
	assert_non_null(tls_of(tls12_client_finish, sizeof tls12_client_finish));
	assert_string_equal(values("tls.record.content_type"), "22,20,22");
	assert_string_equal(values("tls.record.length"), "37,1,40");
	assert_string_equal(values("tls.handshake.type"), "16");
	assert_string_equal(values("tls.handshake.length"), "33");
	assert_int_equal(count("tls.handshake.encrypted"), 1);

	/* Without the change_cipher_spec before it, the Finished record is
	 * judged by its own bytes: they are not handshake messages. */
	const uint8_t *fin = tls12_client_finish + 42 + 6;
	assert_non_null(tls_of(fin, 45));
	assert_int_equal(count("tls.handshake.encrypted"), 1);
	assert_int_equal(count("tls.handshake.type"), 0);
}

/* Do the first N bytes at P end where a record ends? */
static bool record_end(const uint8_t *p, size_t n)
{
	size_t at = 0;
	while (at < n)
		at += 5 + (size_t)(p[at + 3] << 8 | p[at + 4]);
	return at == n;
}

static void test_partial_records(void **state)
{
	(void)state;
	/* The TLS 1.2 flight cut after 300 bytes: the ServerHello is whole,
	 * the Certificate record (444 bytes) has 178 here. */
	assert_non_null(tls_of(tls12_server_flight, 300));
	assert_int_equal(dis.nerrors, 0);
	assert_string_equal(values("tls.record.length"), "112,444");
	assert_string_equal(values("tls.handshake.type"), "2,11");
	assert_int_equal(count("tls.record.partial"), 1);
	items_inside(300);
	/* A header cut after two bytes: its type, and that it is partial. */
	assert_non_null(tls_of(tls12_server_flight, 117 + 2));
	assert_string_equal(values("tls.record.content_type"), "22,22");
	assert_string_equal(values("tls.record.length"), "112");
	assert_int_equal(count("tls.record.partial"), 1);
	/* A ClientHello cut in its cipher suites: what is before them shows. */
	assert_non_null(tls_of(tls13_client_hello, 100));
	assert_int_equal(dis.nerrors, 0);
	assert_string_equal(values("tls.handshake.session_id_length"), "32");
	assert_string_equal(values("tls.handshake.cipher_suites_length"), "62");
	assert_int_equal(count("tls.handshake.ciphersuite"), 0);
	assert_int_equal(count("tls.record.partial"), 1);
	/* Every prefix: no error (the bytes are real), nothing past the end,
	 * partial unless it ends where a record does. */
	const struct { const uint8_t *p; size_t n; } v[] = {
		{ tls13_client_hello, sizeof tls13_client_hello },
		{ tls13_server_flight, sizeof tls13_server_flight },
		{ tls12_client_hello, sizeof tls12_client_hello },
		{ tls12_server_flight, sizeof tls12_server_flight },
		{ tls12_client_finish, sizeof tls12_client_finish },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		for (size_t n = 1; n <= v[i].n; n++) {
			const struct ww_layer *l = tls_of(v[i].p, n);
			if (!l || dis.nerrors)
				fail_msg("vector %zu cut at %zu: %s", i, n, dis.errors[0].msg);
			assert_int_equal(l->len, n);
			assert_int_equal(count("tls.record.partial") > 0, !record_end(v[i].p, n));
			items_inside(n);
		}
	}
}

/* A copy of the TLS 1.3 ClientHello with byte AT set to V, and AT2 to V2
 * (AT2 0: one byte only). */
static const uint8_t *patched(size_t at, uint8_t v, size_t at2, uint8_t v2)
{
	static uint8_t p[sizeof tls13_client_hello];
	memcpy(p, tls13_client_hello, sizeof p);
	p[at] = v;
	if (at2)
		p[at2] = v2;
	return p;
}

static void bad(size_t at, uint8_t v, size_t at2, uint8_t v2, const char *field,
		const char *says)
{
	const uint8_t *p = patched(at, v, at2, v2);
	assert_null(tls_of(p, sizeof tls13_client_hello));
	assert_int_equal(dis.nerrors, 1);
	assert_int_equal(dis.errors[0].status, WW_INVALID);
	assert_string_equal(dis.errors[0].field, field);
	if (!strstr(dis.errors[0].msg, says))
		fail_msg("expected \"%s\" in \"%s\"", says, dis.errors[0].msg);
	/* The hello parser names the same field. */
	struct ww_tls_hello h;
	struct ww_cursor c;
	ww_cur_init(&c, p + 5, sizeof tls13_client_hello - 5, 5);
	assert_int_equal(ww_tls_hello_parse(&c, &h), -1);
	assert_string_equal(c.err.field, field);
}

static void test_malformed_hello(void **state)
{
	(void)state;
	/* Offsets in the payload: record length 3, message length 6, session
	 * id length 43, suites length 76, extensions length 142, the
	 * server_name extension's length 146, its list's length 148. */
	bad(43, 33, 0, 0, "tls.handshake.session_id_length", "33 > 32");
	bad(77, 61, 0, 0, "tls.handshake.cipher_suites_length", "61");
	bad(146, 2, 0, 0, "tls.handshake.extension.len", "528 > ");
	/* Shorter than what it holds: the rest of it is not the name list. */
	bad(147, 200, 0, 0, "tls.handshake.extension.len", "184 bytes after the last entry");
	bad(149, 20, 0, 0, "tls.handshake.extensions_server_name_list_len", "20 > 14");
	/* Record and message say 256 and 252 bytes: the extensions (373)
	 * run past the message's end. */
	bad(3, 0x01, 7, 0x00, "tls.handshake.extensions_length", "373 > ");
	/* A record too long for TLS is not a record: the bytes stay data. */
	assert_false(ww_tls_record_plausible(patched(3, 0x50, 0, 0), sizeof tls13_client_hello));
}

static void test_plausible(void **state)
{
	(void)state;
	assert_true(ww_tls_record_plausible((const uint8_t *)"\x16\x03\x01\x02\x00", 5));
	assert_true(ww_tls_record_plausible((const uint8_t *)"\x17\x03\x03", 3));
	assert_true(ww_tls_record_plausible((const uint8_t *)"\x14", 1));
	assert_false(ww_tls_record_plausible((const uint8_t *)"\x18\x03\x03\x00\x01", 5));
	assert_false(ww_tls_record_plausible((const uint8_t *)"\x16\x03\x05\x00\x01", 5));
	assert_false(ww_tls_record_plausible((const uint8_t *)"\x16\x02\x01\x00\x01", 5));
	assert_false(ww_tls_record_plausible((const uint8_t *)"GET /", 5));
	assert_false(ww_tls_record_plausible((const uint8_t *)"", 0));
}

/* ---- whole frames: the dispatch from TCP, views, filters ---------------- */

static const char *summary(const uint8_t *f, size_t n)
{
	static char buf[1024];
	ww_dissect(&dis, f, n);
	FILE *out = fmemopen(buf, sizeof buf, "w");
	ww_view_summary(out, &dis, NULL);
	fclose(out);
	return buf;
}

static bool matches(const char *text)
{
	struct ww_filter flt;
	struct ww_expr_error err;
	if (ww_filter_parse(&flt, text, NULL, NULL, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	return ww_filter_match(&flt, &dis);
}

static void test_frames(void **state)
{
	(void)state;
	const char *s = summary(af_tls_client_hello, sizeof af_tls_client_hello);
	assert_non_null(strstr(s, "length 517: TLS: ClientHello SNI example.com\n"));
	assert_int_equal(dis.nlayers, 4);
	assert_int_equal(dis.layers[3].proto, WW_P_TLS);
	assert_true(matches("tls"));
	assert_true(matches("tls.handshake.type == 1"));
	assert_true(matches("tls.handshake.type == ClientHello"));
	assert_true(matches("tls.handshake.extensions_server_name == example.com"));
	assert_false(matches("tls.handshake.extensions_server_name == www.example.com"));
	assert_true(matches("tls.handshake.ciphersuite == TLS_AES_128_GCM_SHA256"));
	assert_true(matches("tls.record.content_type == handshake and tcp.dstport == 443"));
	assert_true(matches("tcp.payload contains 16:03:01"));
	assert_false(matches("data"));

	/* tshark, tls-refused.pcap frame 8: Alert (Level: Fatal, Description:
	 * Unknown CA), in the clear. */
	s = summary(af_tls_alert, sizeof af_tls_alert);
	assert_non_null(strstr(s, "length 7: TLS: Alert (fatal, unknown_ca)\n"));
	assert_string_equal(values("tls.alert_message.level"), "2");
	assert_string_equal(values("tls.alert_message.desc"), "48");
	assert_true(matches("tls.alert_message.desc == unknown_ca"));
}

static void test_summaries(void **state)
{
	(void)state;
	static uint8_t f[2048];
	/* The payloads behind the ClientHello frame's headers (lengths are
	 * not checked by the summary of the payload). */
	static const struct { const uint8_t *p; size_t n; const char *want; } v[] = {
		{ tls13_server_flight, sizeof tls13_server_flight,
		  ": TLS: ServerHello (TLS 1.3, TLS_AES_256_GCM_SHA384), ChangeCipherSpec, "
		  "ApplicationData ×4\n" },
		{ tls12_server_flight, sizeof tls12_server_flight,
		  ": TLS: ServerHello (TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), "
		  "Certificate, ServerKeyExchange, ServerHelloDone\n" },
		{ tls12_server_flight, 300,
		  ": TLS: ServerHello (TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), "
		  "Certificate (partial: 178 of 444 bytes)\n" },
		{ tls12_client_finish, sizeof tls12_client_finish,
		  ": TLS: ClientKeyExchange, ChangeCipherSpec, EncryptedHandshakeMessage\n" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		memcpy(f, af_tls_client_hello, 66);
		memcpy(f + 66, v[i].p, v[i].n);
		/* IPv4 total length: header 20 + TCP 32 + payload. */
		f[16] = (uint8_t)((52 + v[i].n) >> 8);
		f[17] = (uint8_t)(52 + v[i].n);
		const char *s = summary(f, 66 + v[i].n);
		const char *at = strstr(s, ": TLS:");
		if (!at || strcmp(at, v[i].want) != 0)
			fail_msg("got \"%s\", want \"%s\"", s, v[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_hello_tls13),
		cmocka_unit_test(test_server_flight_tls13),
		cmocka_unit_test(test_server_flight_tls12),
		cmocka_unit_test(test_encrypted_finished),
		cmocka_unit_test(test_partial_records),
		cmocka_unit_test(test_malformed_hello),
		cmocka_unit_test(test_plausible),
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_summaries),
	};
	return cmocka_run_group_tests_name("tls_dissect", tests, NULL, NULL);
}
