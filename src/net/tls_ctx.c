/* The TLS context one shell shares between its connections: OpenSSL's
 * SSL_CTX with the versions allowed, the CAs trusted, the NSS key log
 * (so Wireshark and tshark can decrypt a capture) and the sessions kept
 * for resumption, one per host and port. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "tls_int.h"

/* What our ClientHello offers, close to what a browser offers today: for
 * TLS 1.2 only ECDHE key exchange with AEAD ciphers (TLS 1.3's three
 * suites are OpenSSL's default), the common groups, and signatures
 * without SHA-1, SHA-224 or DSA. Short lists also read better. */
#define TLS12_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20"
#define TLS_GROUPS "X25519:P-256:P-384:P-521"
#define TLS_SIGALGS                                                                        \
	"ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ecdsa_secp521r1_sha512:ed25519:"     \
	"rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pkcs1_sha256:"    \
	"rsa_pkcs1_sha384:rsa_pkcs1_sha512"

static int fail(char *err, size_t errlen, const char *what)
{
	char buf[256] = "";
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, buf, sizeof buf);
	ERR_clear_error();
	snprintf(err, errlen, "%s%s%s", what, *buf ? ": " : "", buf);
	return -1;
}

/* The NSS key log format: one line per secret, "LABEL CLIENT_RANDOM SECRET". */
static void on_keylog(const SSL *ssl, const char *line)
{
	struct ww_tls_ctx *x = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	if (x && x->keylog) {
		fprintf(x->keylog, "%s\n", line);
		fflush(x->keylog);
	}
}

static int on_new_session(SSL *ssl, SSL_SESSION *sess)
{
	return tls_on_new_session(ssl, sess);
}

static int limits(SSL_CTX *s, int version)
{
	int lo = version == 13 ? TLS1_3_VERSION : TLS1_2_VERSION;
	int hi = version == 12 ? TLS1_2_VERSION : TLS1_3_VERSION;
	return SSL_CTX_set_min_proto_version(s, lo) && SSL_CTX_set_max_proto_version(s, hi) ? 0 : -1;
}

int ww_tls_ctx_set_version(struct ww_tls_ctx *x, int version)
{
	if (version != 0 && version != 12 && version != 13)
		return -1;
	if (limits(x->ssl, version) < 0)
		return -1;
	x->version = version;
	return 0;
}

int ww_tls_ctx_version(const struct ww_tls_ctx *x)
{
	return x->version;
}

static int trust_pem(SSL_CTX *s, const char *pem, char *err, size_t errlen)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509_STORE *st = SSL_CTX_get_cert_store(s);
	int n = 0;
	X509 *c;
	while (b && (c = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (X509_STORE_add_cert(st, c))
			n++;
		X509_free(c);
	}
	BIO_free(b);
	ERR_clear_error(); /* the end of the PEM text reads as an error */
	if (n == 0) {
		snprintf(err, errlen, "no certificate in the CA text given");
		return -1;
	}
	return 0;
}

static int trust(struct ww_tls_ctx *x, const struct ww_tls_ctx_opts *o, char *err, size_t errlen)
{
	if (o->ca_file) {
		FILE *f = fopen(o->ca_file, "r");
		if (!f) {
			snprintf(err, errlen, "CA file %s: %s", o->ca_file, strerror(errno));
			return -1;
		}
		fclose(f);
		if (!SSL_CTX_load_verify_locations(x->ssl, o->ca_file, NULL)) {
			char what[300];
			snprintf(what, sizeof what, "CA file %s holds no PEM certificate", o->ca_file);
			return fail(err, errlen, what);
		}
		snprintf(x->trust, sizeof x->trust, "the CA in %s", o->ca_file);
		return 0;
	}
	if (o->ca_pem) {
		snprintf(x->trust, sizeof x->trust, "the CAs given");
		return trust_pem(x->ssl, o->ca_pem, err, errlen);
	}
	if (!SSL_CTX_set_default_verify_paths(x->ssl))
		return fail(err, errlen, "the system's CA store cannot be read");
	snprintf(x->trust, sizeof x->trust, "the system's CA store");
	return 0;
}

struct ww_tls_ctx *ww_tls_ctx_new(const struct ww_tls_ctx_opts *o, char *err, size_t errlen)
{
	struct ww_tls_ctx *x = calloc(1, sizeof *x);
	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ERR_clear_error();
	x->ssl = SSL_CTX_new(TLS_client_method());
	if (!x->ssl) {
		fail(err, errlen, "OpenSSL cannot make a TLS context");
		free(x);
		return NULL;
	}
	SSL_CTX_set_app_data(x->ssl, x);
	if (ww_tls_ctx_set_version(x, o->version) < 0) {
		snprintf(err, errlen, "TLS version %d: 0 (1.2 or 1.3), 12 or 13", o->version);
		goto bad;
	}
	if (!SSL_CTX_set_cipher_list(x->ssl, TLS12_CIPHERS) ||
	    !SSL_CTX_set1_groups_list(x->ssl, TLS_GROUPS) ||
	    !SSL_CTX_set1_sigalgs_list(x->ssl, TLS_SIGALGS)) {
		fail(err, errlen, "OpenSSL refuses our cipher, group or signature lists");
		goto bad;
	}
	if (trust(x, o, err, errlen) < 0)
		goto bad;
	SSL_CTX_set_verify(x->ssl, SSL_VERIFY_PEER, tls_on_verify);
	/* Sessions go to our own table (per host and port), not OpenSSL's. */
	SSL_CTX_set_session_cache_mode(x->ssl, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(x->ssl, on_new_session);
	if (o->keylog_path) {
		x->keylog = fopen(o->keylog_path, "a");
		if (!x->keylog) {
			snprintf(err, errlen, "key log %s: %s", o->keylog_path, strerror(errno));
			goto bad;
		}
		SSL_CTX_set_keylog_callback(x->ssl, on_keylog);
	}
	return x;
bad:
	ww_tls_ctx_free(x);
	return NULL;
}

static bool version_allowed(const struct ww_tls_ctx *x, SSL_SESSION *s)
{
	int v = SSL_SESSION_get_protocol_version(s);
	return (x->version == 0 && (v == TLS1_2_VERSION || v == TLS1_3_VERSION)) ||
	       (x->version == 12 && v == TLS1_2_VERSION) || (x->version == 13 && v == TLS1_3_VERSION);
}

SSL_SESSION *tls_ctx_session(struct ww_tls_ctx *x, const char *host, uint16_t port)
{
	for (size_t i = 0; i < TLS_KEPT_MAX; i++) {
		struct tls_kept *k = &x->kept[i];
		if (k->sess && k->port == port && strcmp(k->host, host) == 0)
			return SSL_SESSION_is_resumable(k->sess) && version_allowed(x, k->sess) ? k->sess
												  : NULL;
	}
	return NULL;
}

void tls_ctx_keep(struct ww_tls_ctx *x, const char *host, uint16_t port, SSL_SESSION *sess)
{
	struct tls_kept *slot = NULL;
	for (size_t i = 0; i < TLS_KEPT_MAX && !slot; i++)
		if (x->kept[i].sess && x->kept[i].port == port && strcmp(x->kept[i].host, host) == 0)
			slot = &x->kept[i];
	for (size_t i = 0; i < TLS_KEPT_MAX && !slot; i++)
		if (!x->kept[i].sess)
			slot = &x->kept[i];
	if (!slot)
		slot = &x->kept[x->next_kept++ % TLS_KEPT_MAX];
	SSL_SESSION_free(slot->sess);
	snprintf(slot->host, sizeof slot->host, "%s", host);
	slot->port = port;
	slot->sess = sess;
}

void ww_tls_ctx_forget(struct ww_tls_ctx *x, const char *host, uint16_t port)
{
	for (size_t i = 0; i < TLS_KEPT_MAX; i++) {
		struct tls_kept *k = &x->kept[i];
		if (k->sess && (!host || (k->port == port && strcmp(k->host, host) == 0))) {
			SSL_SESSION_free(k->sess);
			k->sess = NULL;
		}
	}
}

void ww_tls_ctx_free(struct ww_tls_ctx *x)
{
	if (!x)
		return;
	ww_tls_ctx_forget(x, NULL, 0);
	SSL_CTX_free(x->ssl);
	if (x->keylog)
		fclose(x->keylog);
	free(x);
}
