/* The numbers of TLS and their names, as IANA's registries spell them
 * (the "TLS Parameters" and "TLS ExtensionType Values" registries), so
 * what we print matches Wireshark and the RFCs. Each table ends with a
 * sentinel; a number not listed comes back NULL and is printed as a
 * number. The field table (tls_record.c) uses the tables as value names,
 * so `tls.handshake.type == ClientHello` reads as it should. */
#include <stdio.h>

#include "ww/field.h"
#include "ww/tls_record.h"

const struct ww_tok ww_tls_content_type_names[] = {
	{ 20, "change_cipher_spec" },
	{ 21, "alert" },
	{ 22, "handshake" },
	{ 23, "application_data" },
	{ 24, "heartbeat" },
	{ 0, NULL },
};

const struct ww_tok ww_tls_handshake_names[] = {
	{ 0, "HelloRequest" },
	{ 1, "ClientHello" },
	{ 2, "ServerHello" },
	{ 4, "NewSessionTicket" },
	{ 5, "EndOfEarlyData" },
	{ 8, "EncryptedExtensions" },
	{ 11, "Certificate" },
	{ 12, "ServerKeyExchange" },
	{ 13, "CertificateRequest" },
	{ 14, "ServerHelloDone" },
	{ 15, "CertificateVerify" },
	{ 16, "ClientKeyExchange" },
	{ 20, "Finished" },
	{ 22, "CertificateStatus" },
	{ 24, "KeyUpdate" },
	{ 254, "message_hash" },
	{ 0, NULL },
};

/* What OpenSSL offers and what servers commonly choose; the rest (export,
 * anonymous, PSK, SRP, DSS, RC4, DES...) prints as a number. */
const struct ww_tok ww_tls_cipher_names[] = {
	{ 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
	{ 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA" },
	{ 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
	{ 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256" },
	{ 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
	{ 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" },
	{ 0x1301, "TLS_AES_128_GCM_SHA256" },
	{ 0x1302, "TLS_AES_256_GCM_SHA384" },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
	{ 0x1304, "TLS_AES_128_CCM_SHA256" },
	{ 0x1305, "TLS_AES_128_CCM_8_SHA256" },
	{ 0x5600, "TLS_FALLBACK_SCSV" },
	{ 0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
	{ 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
	{ 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
	{ 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
	{ 0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
	{ 0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
	{ 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
	{ 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0xc09c, "TLS_RSA_WITH_AES_128_CCM" },
	{ 0xc09d, "TLS_RSA_WITH_AES_256_CCM" },
	{ 0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM" },
	{ 0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM" },
	{ 0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8" },
	{ 0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8" },
	{ 0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8" },
	{ 0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8" },
	{ 0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM" },
	{ 0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM" },
	{ 0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8" },
	{ 0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8" },
	{ 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0, NULL },
};

const struct ww_tok ww_tls_extension_names[] = {
	{ 0, "server_name" },
	{ 1, "max_fragment_length" },
	{ 5, "status_request" },
	{ 10, "supported_groups" },
	{ 11, "ec_point_formats" },
	{ 13, "signature_algorithms" },
	{ 14, "use_srtp" },
	{ 15, "heartbeat" },
	{ 16, "application_layer_protocol_negotiation" },
	{ 17, "status_request_v2" },
	{ 18, "signed_certificate_timestamp" },
	{ 21, "padding" },
	{ 22, "encrypt_then_mac" },
	{ 23, "extended_master_secret" },
	{ 27, "compress_certificate" },
	{ 28, "record_size_limit" },
	{ 35, "session_ticket" },
	{ 41, "pre_shared_key" },
	{ 42, "early_data" },
	{ 43, "supported_versions" },
	{ 44, "cookie" },
	{ 45, "psk_key_exchange_modes" },
	{ 47, "certificate_authorities" },
	{ 48, "oid_filters" },
	{ 49, "post_handshake_auth" },
	{ 50, "signature_algorithms_cert" },
	{ 51, "key_share" },
	{ 57, "quic_transport_parameters" },
	{ 17513, "application_settings" },
	{ 65037, "encrypted_client_hello" },
	{ 65281, "renegotiation_info" },
	{ 0, NULL },
};

const struct ww_tok ww_tls_group_names[] = {
	{ 21, "secp224r1" },
	{ 22, "secp256k1" },
	{ 23, "secp256r1" },
	{ 24, "secp384r1" },
	{ 25, "secp521r1" },
	{ 26, "brainpoolP256r1" },
	{ 27, "brainpoolP384r1" },
	{ 28, "brainpoolP512r1" },
	{ 29, "x25519" },
	{ 30, "x448" },
	{ 256, "ffdhe2048" },
	{ 257, "ffdhe3072" },
	{ 258, "ffdhe4096" },
	{ 259, "ffdhe6144" },
	{ 260, "ffdhe8192" },
	{ 0x11ec, "X25519MLKEM768" },
	{ 0x6399, "X25519Kyber768Draft00" },
	{ 0, NULL },
};

const struct ww_tok ww_tls_sigscheme_names[] = {
	{ 0x0201, "rsa_pkcs1_sha1" },
	{ 0x0202, "dsa_sha1" },
	{ 0x0203, "ecdsa_sha1" },
	{ 0x0301, "rsa_pkcs1_sha224" },
	{ 0x0302, "dsa_sha224" },
	{ 0x0303, "ecdsa_sha224" },
	{ 0x0401, "rsa_pkcs1_sha256" },
	{ 0x0402, "dsa_sha256" },
	{ 0x0403, "ecdsa_secp256r1_sha256" },
	{ 0x0501, "rsa_pkcs1_sha384" },
	{ 0x0502, "dsa_sha384" },
	{ 0x0503, "ecdsa_secp384r1_sha384" },
	{ 0x0601, "rsa_pkcs1_sha512" },
	{ 0x0602, "dsa_sha512" },
	{ 0x0603, "ecdsa_secp521r1_sha512" },
	{ 0x0804, "rsa_pss_rsae_sha256" },
	{ 0x0805, "rsa_pss_rsae_sha384" },
	{ 0x0806, "rsa_pss_rsae_sha512" },
	{ 0x0807, "ed25519" },
	{ 0x0808, "ed448" },
	{ 0x0809, "rsa_pss_pss_sha256" },
	{ 0x080a, "rsa_pss_pss_sha384" },
	{ 0x080b, "rsa_pss_pss_sha512" },
	{ 0x081a, "ecdsa_brainpoolP256r1tls13_sha256" },
	{ 0x081b, "ecdsa_brainpoolP384r1tls13_sha384" },
	{ 0x081c, "ecdsa_brainpoolP512r1tls13_sha512" },
	{ 0, NULL },
};

const struct ww_tok ww_tls_alert_names[] = {
	{ 0, "close_notify" },
	{ 10, "unexpected_message" },
	{ 20, "bad_record_mac" },
	{ 21, "decryption_failed" },
	{ 22, "record_overflow" },
	{ 30, "decompression_failure" },
	{ 40, "handshake_failure" },
	{ 41, "no_certificate" },
	{ 42, "bad_certificate" },
	{ 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" },
	{ 45, "certificate_expired" },
	{ 46, "certificate_unknown" },
	{ 47, "illegal_parameter" },
	{ 48, "unknown_ca" },
	{ 49, "access_denied" },
	{ 50, "decode_error" },
	{ 51, "decrypt_error" },
	{ 60, "export_restriction" },
	{ 70, "protocol_version" },
	{ 71, "insufficient_security" },
	{ 80, "internal_error" },
	{ 86, "inappropriate_fallback" },
	{ 90, "user_canceled" },
	{ 100, "no_renegotiation" },
	{ 109, "missing_extension" },
	{ 110, "unsupported_extension" },
	{ 111, "certificate_unobtainable" },
	{ 112, "unrecognized_name" },
	{ 113, "bad_certificate_status_response" },
	{ 114, "bad_certificate_hash_value" },
	{ 115, "unknown_psk_identity" },
	{ 116, "certificate_required" },
	{ 120, "no_application_protocol" },
	{ 0, NULL },
};

const struct ww_tok ww_tls_alert_level_names[] = {
	{ 1, "warning" },
	{ 2, "fatal" },
	{ 0, NULL },
};

/* Record and hello versions as Wireshark names them. */
const struct ww_tok ww_tls_version_names[] = {
	{ 0x0300, "SSL 3.0" },
	{ 0x0301, "TLS 1.0" },
	{ 0x0302, "TLS 1.1" },
	{ 0x0303, "TLS 1.2" },
	{ 0x0304, "TLS 1.3" },
	{ 0, NULL },
};

const char *ww_tls_content_type_name(unsigned type)
{
	return ww_tok_str(ww_tls_content_type_names, type);
}

const char *ww_tls_handshake_name(unsigned type)
{
	return ww_tok_str(ww_tls_handshake_names, type);
}

const char *ww_tls_cipher_name(uint16_t id)
{
	return ww_tok_str(ww_tls_cipher_names, id);
}

const char *ww_tls_extension_name(uint16_t type)
{
	return ww_tok_str(ww_tls_extension_names, type);
}

const char *ww_tls_group_name(uint16_t id)
{
	return ww_tok_str(ww_tls_group_names, id);
}

const char *ww_tls_sigscheme_name(uint16_t id)
{
	return ww_tok_str(ww_tls_sigscheme_names, id);
}

const char *ww_tls_alert_name(unsigned desc)
{
	return ww_tok_str(ww_tls_alert_names, desc);
}

const char *ww_tls_version_str(uint16_t v, char *buf, size_t len)
{
	if (v == 0x0300)
		snprintf(buf, len, "SSL 3.0");
	else if (v >= 0x0301 && v <= 0x0304)
		snprintf(buf, len, "TLS 1.%u", (unsigned)(v & 0xff) - 1);
	else if (ww_tls_is_grease(v))
		snprintf(buf, len, "GREASE");
	else
		snprintf(buf, len, "0x%04x", v);
	return buf;
}
