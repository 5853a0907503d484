/* The TLS describer against real bytes: curl's ClientHellos and nginx's
 * answers from tests/captures/tls.pcap (tls_vectors.h), read record by
 * record. What the text must say is what tshark reads in the same frames.
 * Every prefix of every message is cut short (truncated, never a crash),
 * and fields set wrong by hand are named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tls_vectors.h"
#include "ww/tls.h"

/* Record I of the bytes P (whole records back to back): its header and
 * body. */
static struct ww_tls_record record_at(const uint8_t *p, size_t n, unsigned i, const uint8_t **body)
{
	struct ww_cursor c;
	ww_cur_init(&c, p, n, 0);
	struct ww_tls_record r;
	for (unsigned k = 0;; k++) {
		assert_int_equal(ww_tls_record_parse(&c, &r), 0);
		const uint8_t *b = ww_cur_bytes(&c, r.length, "tls.record");
		assert_non_null(b);
		if (k == i) {
			*body = b;
			return r;
		}
	}
}

static void has(const struct ww_tls_text *t, const char *needle)
{
	if (!strstr(t->buf, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, t->buf);
}

static void test_records(void **state)
{
	(void)state;
	/* tshark: tls.record.length 122,1,42,464,96,69 in frame 6. */
	static const unsigned types[] = { 22, 20, 23, 23, 23, 23 }, lens[] = { 122, 1, 42, 464, 96, 69 };
	struct ww_cursor c;
	ww_cur_init(&c, tls13_server_flight, sizeof tls13_server_flight, 0);
	for (unsigned i = 0; i < 6; i++) {
		struct ww_tls_record r;
		assert_int_equal(ww_tls_record_parse(&c, &r), 0);
		assert_int_equal(r.type, types[i]);
		assert_int_equal(r.version, 0x0303);
		assert_int_equal(r.length, lens[i]);
		assert_true(ww_cur_skip(&c, r.length, "tls.record"));
	}
	assert_int_equal(ww_cur_left(&c), 0);

	struct ww_tls_text t;
	struct ww_error e;
	assert_int_equal(ww_tls_describe_record(tls13_client_hello, 5, &t, &e), 0);
	assert_string_equal(t.buf, "record: handshake (22), TLS 1.0, 512 bytes");
	static const uint8_t big[] = { 23, 3, 3, 0x48, 0x01 }, odd[] = { 99, 3, 3, 0, 1 };
	assert_int_equal(ww_tls_describe_record(big, sizeof big, &t, &e), -1);
	assert_int_equal(e.status, WW_INVALID);
	assert_string_equal(e.field, "tls.record.length");
	has(&t, "18433 bytes");
	assert_int_equal(ww_tls_describe_record(odd, sizeof odd, &t, &e), 0);
	assert_string_equal(t.buf, "record: type 99, TLS 1.2, 1 bytes");
	assert_int_equal(ww_tls_describe_record(odd, 3, &t, &e), -1);
	assert_int_equal(e.status, WW_TRUNCATED);
	assert_string_equal(e.field, "tls.record.length");
}

static void test_client_hello_tls13(void **state)
{
	(void)state;
	const uint8_t *b;
	struct ww_tls_record r = record_at(tls13_client_hello, sizeof tls13_client_hello, 0, &b);
	struct ww_tls_text t;
	struct ww_error e;
	assert_int_equal(ww_tls_describe_handshake(b, r.length, false, &t, &e), 0);
	assert_int_equal(e.status, WW_OK);
	assert_false(t.cut);
	assert_int_equal(strlen(t.buf), t.len);
	has(&t, "ClientHello for example.com, ALPN h2: version field TLS 1.2, random 32 bytes, "
		"session id 32 bytes");
	/* tshark: 31 suites, the first 0x1302, the last 0x00ff. */
	has(&t, "cipher suites (31): TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256,");
	has(&t, "TLS_RSA_WITH_AES_128_CBC_SHA,\n    TLS_EMPTY_RENEGOTIATION_INFO_SCSV\n");
	/* Extensions 0,11,10,16,22,23,49,13,43,45,51,21. */
	has(&t, "extensions (12):\n    server_name: example.com\n    ec_point_formats:");
	has(&t, "application_layer_protocol_negotiation: h2, http/1.1\n");
	has(&t, "post_handshake_auth\n    signature_algorithms: ecdsa_secp256r1_sha256,");
	has(&t, "supported_versions: TLS 1.3, TLS 1.2, TLS 1.1, TLS 1.0\n");
	has(&t, "psk_key_exchange_modes: psk_dhe_ke\n    key_share: x25519 (32-byte public key)\n");
	has(&t, "    padding (178 bytes)");
	/* No line runs much past the wrap. */
	for (const char *p = t.buf, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		assert_true(nl - p <= 104);
		if (!*nl)
			break;
	}
}

static void test_server_hello_tls13(void **state)
{
	(void)state;
	const uint8_t *b;
	struct ww_tls_record r = record_at(tls13_server_flight, sizeof tls13_server_flight, 0, &b);
	struct ww_tls_text t;
	struct ww_error e;
	assert_int_equal(ww_tls_describe_handshake(b, r.length, true, &t, &e), 0);
	assert_string_equal(t.buf,
			    "ServerHello: TLS 1.3 (from supported_versions; the version field says TLS "
			    "1.2), cipher TLS_AES_256_GCM_SHA384, key exchange x25519\n"
			    "  extensions (2):\n"
			    "    supported_versions: TLS 1.3\n"
			    "    key_share: x25519 (32-byte public key)");
	r = record_at(tls13_server_flight, sizeof tls13_server_flight, 1, &b);
	assert_int_equal(ww_tls_describe_ccs(b, r.length, true, &t, &e), 0);
	has(&t, "a dummy in TLS 1.3");
	assert_int_equal(ww_tls_describe_ccs(b, r.length, false, &t, &e), 0);
	has(&t, "from the next record on, this side encrypts");
}

static void test_tls12_server_flight(void **state)
{
	(void)state;
	const uint8_t *b;
	struct ww_tls_text t;
	struct ww_error e;
	struct ww_tls_record r = record_at(tls12_server_flight, sizeof tls12_server_flight, 0, &b);
	assert_int_equal(ww_tls_describe_handshake(b, r.length, false, &t, &e), 0);
	has(&t, "ServerHello: TLS 1.2, cipher TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, session id 32 "
		"bytes\n");
	/* nginx could do 1.3: RFC 8446's sentinel in its random. */
	has(&t, "DOWNGRD\\x01");
	has(&t, "application_layer_protocol_negotiation: http/1.1\n");

	r = record_at(tls12_server_flight, sizeof tls12_server_flight, 1, &b);
	assert_int_equal(ww_tls_describe_handshake(b, r.length, false, &t, &e), 0);
	/* tshark: x509sat "wirewalk lab CA", "example.com"; dNSName both names. */
	has(&t, "Certificate: 1 certificate, 437 bytes");
	has(&t, "[0] subject CN = example.com\n      issuer  CN = wirewalk lab CA\n");
	has(&t, "names   example.com, www.example.com\n      key     EC P-256");
	/* Read as TLS 1.3, the same bytes do not fit: the context byte eats one. */
	assert_int_equal(ww_tls_describe_handshake(b, r.length, true, &t, &e), -1);

	r = record_at(tls12_server_flight, sizeof tls12_server_flight, 2, &b);
	assert_int_equal(ww_tls_describe_handshake(b, r.length, false, &t, &e), 0);
	/* tshark: server_named_curve 0x001d, sig_hash_alg 0x0403. */
	assert_string_equal(t.buf, "ServerKeyExchange: ECDHE on x25519, the server's public key 32 "
			    "bytes,\n  signed with ecdsa_secp256r1_sha256 (72-byte signature) by the "
			    "certificate's key");

	r = record_at(tls12_server_flight, sizeof tls12_server_flight, 3, &b);
	assert_int_equal(ww_tls_describe_handshake(b, r.length, false, &t, &e), 0);
	has(&t, "ServerHelloDone");

	r = record_at(tls12_client_finish, sizeof tls12_client_finish, 0, &b);
	assert_int_equal(ww_tls_describe_handshake(b, r.length, false, &t, &e), 0);
	has(&t, "ClientKeyExchange: our ECDHE public key, 32 bytes");
	r = record_at(tls12_client_hello, sizeof tls12_client_hello, 0, &b);
	assert_int_equal(ww_tls_describe_handshake(b, r.length, false, &t, &e), 0);
	has(&t, "cipher suites (28): TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,");
}

/* Every prefix of every message: truncated, with what was read so far. */
static void cut_everywhere(const uint8_t *p, size_t n, unsigned records, bool tls13)
{
	for (unsigned i = 0; i < records; i++) {
		const uint8_t *b;
		struct ww_tls_record r = record_at(p, n, i, &b);
		if (r.type != WW_TLS_CT_HANDSHAKE)
			continue;
		for (size_t k = 0; k < r.length; k++) {
			struct ww_tls_text t;
			struct ww_error e;
			assert_int_equal(ww_tls_describe_handshake(b, k, tls13, &t, &e), -1);
			assert_int_equal(e.status, WW_TRUNCATED);
			assert_string_equal(e.field, k < 1 ? "tls.handshake.type" : "tls.handshake.length");
			assert_true(t.len < sizeof t.buf && t.buf[t.len] == '\0');
			has(&t, "(cut short: ");
		}
	}
}

static void test_every_prefix_truncated(void **state)
{
	(void)state;
	cut_everywhere(tls13_client_hello, sizeof tls13_client_hello, 1, false);
	cut_everywhere(tls13_server_flight, sizeof tls13_server_flight, 1, true);
	cut_everywhere(tls12_server_flight, sizeof tls12_server_flight, 4, false);
	cut_everywhere(tls12_client_finish, sizeof tls12_client_finish, 1, false);
}

/* The ClientHello with one byte set wrong by hand: the field is named. */
static void bad_hello(size_t at, uint8_t v, const char *field, const char *text)
{
	uint8_t m[sizeof tls13_client_hello];
	memcpy(m, tls13_client_hello + 5, sizeof m - 5);
	m[at] = v;
	struct ww_tls_text t;
	struct ww_error e;
	assert_int_equal(ww_tls_describe_handshake(m, sizeof tls13_client_hello - 5, false, &t, &e), -1);
	assert_int_equal(e.status, WW_INVALID);
	assert_string_equal(e.field, field);
	has(&t, text);
}

static void test_fields_named(void **state)
{
	(void)state;
	/* Offsets in the message: type 0, length 1-3, version 4-5, random
	 * 6-37, session id length 38, id 39-70, suites length 71-72. */
	bad_hello(38, 33, "tls.handshake.session_id_length", "session_id_length 33 is outside 0..32");
	bad_hello(72, 61, "tls.handshake.ciphersuite", "odd length");
	bad_hello(71, 0x7f, "tls.handshake.cipher_suites_length", "bytes left");
	/* Suites end at 72 + 62; compression length 1 at 135, null at 136;
	 * extensions length at 137-138, the first extension (server_name)
	 * at 139: its length at 141-142. */
	bad_hello(141, 0xff, "tls.handshake.extension.len", "bytes left");
	/* A byte in the message beyond its fields, and one after the message. */
	uint8_t m[8] = { 14, 0, 0, 1, 0xaa };
	struct ww_tls_text t;
	struct ww_error e;
	assert_int_equal(ww_tls_describe_handshake(m, 5, false, &t, &e), -1);
	assert_int_equal(e.status, WW_INVALID);
	assert_string_equal(e.field, "tls.handshake.length");
	has(&t, "1 bytes left over after the ServerHelloDone");
	m[3] = 0;
	assert_int_equal(ww_tls_describe_handshake(m, 5, false, &t, &e), -1);
	assert_string_equal(e.field, "tls.handshake.length");
	has(&t, "ServerHelloDone");
	has(&t, "1 bytes after the message");
}

static void test_alerts(void **state)
{
	(void)state;
	struct ww_tls_text t;
	struct ww_error e;
	static const uint8_t unknown_ca[] = { 2, 48 }, close[] = { 1, 0 }, bad_level[] = { 3, 40 };
	assert_int_equal(ww_tls_describe_alert(unknown_ca, 2, &t, &e), 0);
	assert_string_equal(t.buf, "Alert: fatal, unknown_ca (48): the connection ends here");
	assert_int_equal(ww_tls_describe_alert(close, 2, &t, &e), 0);
	assert_string_equal(t.buf, "Alert: warning, close_notify (0): this side sends no more data");
	assert_int_equal(ww_tls_describe_alert(bad_level, 2, &t, &e), -1);
	assert_string_equal(e.field, "tls.alert_message.level");
	assert_int_equal(ww_tls_describe_alert(close, 1, &t, &e), -1);
	assert_int_equal(e.status, WW_TRUNCATED);
	assert_string_equal(e.field, "tls.alert_message.desc");
	static const uint8_t ccs_bad[] = { 2 };
	assert_int_equal(ww_tls_describe_ccs(ccs_bad, 1, false, &t, &e), -1);
	assert_string_equal(e.field, "tls.change_cipher_spec");
}

static void test_names(void **state)
{
	(void)state;
	char b[16];
	assert_string_equal(ww_tls_version_str(0x0304, b, sizeof b), "TLS 1.3");
	assert_string_equal(ww_tls_version_str(0x0301, b, sizeof b), "TLS 1.0");
	assert_string_equal(ww_tls_version_str(0x0300, b, sizeof b), "SSL 3.0");
	assert_string_equal(ww_tls_version_str(0x7a7a, b, sizeof b), "GREASE");
	assert_string_equal(ww_tls_version_str(0x7f1c, b, sizeof b), "0x7f1c");
	assert_true(ww_tls_is_grease(0x0a0a));
	assert_true(ww_tls_is_grease(0xfafa));
	assert_false(ww_tls_is_grease(0x0a1a));
	assert_false(ww_tls_is_grease(0x1301));
	assert_string_equal(ww_tls_cipher_name(0xc02f), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	assert_null(ww_tls_cipher_name(0x0000));
	assert_string_equal(ww_tls_extension_name(65281), "renegotiation_info");
	assert_string_equal(ww_tls_group_name(29), "x25519");
	assert_string_equal(ww_tls_sigscheme_name(0x0804), "rsa_pss_rsae_sha256");
	assert_string_equal(ww_tls_alert_name(112), "unrecognized_name");
	assert_string_equal(ww_tls_handshake_name(15), "CertificateVerify");
	assert_string_equal(ww_tls_content_type_name(23), "application_data");
}

static void test_cert_from_der(void **state)
{
	(void)state;
	const uint8_t *b;
	record_at(tls12_server_flight, sizeof tls12_server_flight, 1, &b);
	/* type 1, length 3, list length 3, cert length 3, then DER. */
	size_t n = (size_t)b[7] << 16 | (size_t)b[8] << 8 | b[9];
	struct ww_tls_cert c;
	assert_int_equal(ww_tls_cert_from_der(b + 10, n, &c), 0);
	assert_string_equal(c.subject, "CN = example.com");
	assert_string_equal(c.issuer, "CN = wirewalk lab CA");
	assert_string_equal(c.sans, "example.com, www.example.com");
	assert_string_equal(c.not_before, "2026-11-22 02:44:45 UTC");
	assert_string_equal(c.key, "EC P-256");
	/* Cut short, or with a byte after it: not a certificate. */
	assert_int_equal(ww_tls_cert_from_der(b + 10, n - 1, &c), -1);
	uint8_t more[1024];
	memcpy(more, b + 10, n);
	more[n] = 0;
	assert_int_equal(ww_tls_cert_from_der(more, n + 1, &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_client_hello_tls13),
		cmocka_unit_test(test_server_hello_tls13),
		cmocka_unit_test(test_tls12_server_flight),
		cmocka_unit_test(test_every_prefix_truncated),
		cmocka_unit_test(test_fields_named),
		cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cert_from_der),
	};
	return cmocka_run_group_tests_name("tls_show", tests, NULL, NULL);
}
