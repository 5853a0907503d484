/* ww_tls against a real TLS server: OpenSSL's own, in memory, over a
 * second instance of our TCP. Two TCP hosts (192.168.1.5 and 192.0.2.10)
 * hand each other their segments through a queue, with a clock the test
 * moves; the server side accepts on port 443 and runs an OpenSSL server
 * with memory BIOs, certificates made here with libcrypto: a CA, a good
 * certificate for www.example.com, an expired one, one for another name
 * and one from a CA the client does not trust. Checked: TLS 1.2 and 1.3
 * handshakes and their events in order, SNI and ALPN as the server saw
 * them, data both ways (more than the plaintext buffer holds), the
 * ClientHello queued while the TCP opens, close_notify both ways, a
 * truncation, each certificate refused with its reason (and the alert
 * the server got), a version mismatch, a reset, resumption in 1.2 and
 * 1.3, and a server that does not speak TLS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ww/ipv4.h"
#include "ww/tcpconn.h"
#include "ww/tls.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define CLI_IP IP4(192, 168, 1, 5)
#define SRV_IP IP4(192, 0, 2, 10)
#define DAY (24L * 3600)

/* ---- certificates ----------------------------------------------------------- */

static struct pki {
	EVP_PKEY *ca_key, *rogue_key;
	X509 *ca, *rogue;
	char ca_pem[4096];
	EVP_PKEY *key[4];
	X509 *cert[4];
} pki;

enum { CERT_GOOD, CERT_EXPIRED, CERT_WRONG, CERT_UNTRUSTED };

static void add_ext(X509 *c, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, c, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(e);
	assert_true(X509_add_ext(c, e, -1));
	X509_EXTENSION_free(e);
}

static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *sans, X509 *issuer,
		       EVP_PKEY *issuer_key, long from, long to, long serial)
{
	X509 *c = X509_new();
	X509_NAME *name = X509_NAME_new();
	assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1,
					       -1, 0));
	assert_true(X509_set_version(c, 2));
	ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
	assert_true(X509_set_subject_name(c, name));
	assert_true(X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name));
	X509_gmtime_adj(X509_getm_notBefore(c), from);
	X509_gmtime_adj(X509_getm_notAfter(c), to);
	assert_true(X509_set_pubkey(c, key));
	if (!issuer) {
		add_ext(c, c, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(c, c, NID_key_usage, "critical,keyCertSign,cRLSign");
		add_ext(c, c, NID_subject_key_identifier, "hash");
	} else {
		add_ext(c, issuer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(c, issuer, NID_subject_alt_name, sans);
		add_ext(c, issuer, NID_ext_key_usage, "serverAuth");
	}
	assert_true(X509_sign(c, issuer ? issuer_key : key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return c;
}

static int setup_pki(void **state)
{
	(void)state;
	pki.ca_key = EVP_EC_gen("P-256");
	pki.rogue_key = EVP_EC_gen("P-256");
	pki.ca = make_cert(pki.ca_key, "test CA", NULL, NULL, NULL, -DAY, 365 * DAY, 1);
	pki.rogue = make_cert(pki.rogue_key, "Rogue CA", NULL, NULL, NULL, -DAY, 365 * DAY, 2);
	static const struct {
		const char *cn, *sans;
		int rogue;
		long from, to;
	} leaf[] = {
		[CERT_GOOD] = { "www.example.com", "DNS:www.example.com,DNS:example.com", 0, -DAY, 90 * DAY },
		[CERT_EXPIRED] = { "www.example.com", "DNS:www.example.com", 0, -90 * DAY, -DAY },
		[CERT_WRONG] = { "example.net", "DNS:example.net,DNS:www.example.net", 0, -DAY, 90 * DAY },
		[CERT_UNTRUSTED] = { "www.example.com", "DNS:www.example.com", 1, -DAY, 90 * DAY },
	};
	for (int i = 0; i < 4; i++) {
		pki.key[i] = EVP_EC_gen("P-256");
		pki.cert[i] = make_cert(pki.key[i], leaf[i].cn, leaf[i].sans,
					leaf[i].rogue ? pki.rogue : pki.ca,
					leaf[i].rogue ? pki.rogue_key : pki.ca_key, leaf[i].from, leaf[i].to,
					10 + i);
	}
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, pki.ca);
	int n = BIO_read(b, pki.ca_pem, sizeof pki.ca_pem - 1);
	assert_true(n > 0);
	pki.ca_pem[n] = '\0';
	BIO_free(b);
	return 0;
}

static int teardown_pki(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++) {
		X509_free(pki.cert[i]);
		EVP_PKEY_free(pki.key[i]);
	}
	X509_free(pki.ca);
	X509_free(pki.rogue);
	EVP_PKEY_free(pki.ca_key);
	EVP_PKEY_free(pki.rogue_key);
	return 0;
}

/* ---- two TCPs and a wire ------------------------------------------------------- */

struct seg {
	bool to_srv;
	uint32_t src, dst;
	size_t len;
	uint8_t data[1600];
};

#define QMAX 4096
#define EVMAX 400

struct server {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *r, *w;
	struct ww_tcb *c;
	bool plain;                /* speak no TLS: answer with PLAIN_REPLY */
	bool mute;                 /* ... or not answer at all */
	bool done;                 /* handshake finished */
	bool close_notify_in;
	char error[256];           /* the server's OpenSSL error, if its handshake failed */
	char sni[256], alpn[32];
	uint8_t *got;              /* plaintext received */
	size_t ngot;
	uint8_t *out;              /* records the TCP has no room for yet */
	size_t nout;
};

struct net {
	struct ww_tcp_host *cli, *srv;
	uint64_t now;
	struct seg *q;
	size_t qhead, qlen;
	char (*ev)[2048];
	size_t nev;
	struct server s;
	bool drop_to_srv;          /* the wire loses what the client sends */
};

static int out_cli(void *arg, uint32_t dst, const uint8_t *seg, size_t len, uint64_t now);
static int out_srv(void *arg, uint32_t dst, const uint8_t *seg, size_t len, uint64_t now);

static int enqueue(struct net *n, bool to_srv, uint32_t dst, const uint8_t *seg, size_t len)
{
	assert_true(n->qlen < QMAX);
	assert_true(len <= sizeof n->q[0].data);
	struct seg *s = &n->q[(n->qhead + n->qlen++) % QMAX];
	s->to_srv = to_srv;
	s->src = to_srv ? CLI_IP : SRV_IP;
	s->dst = dst;
	s->len = len;
	memcpy(s->data, seg, len);
	return 0;
}

static int out_cli(void *arg, uint32_t dst, const uint8_t *seg, size_t len, uint64_t now)
{
	(void)now;
	struct net *n = arg;
	if (n->drop_to_srv)
		return 0;
	return enqueue(n, true, dst, seg, len);
}

static int out_srv(void *arg, uint32_t dst, const uint8_t *seg, size_t len, uint64_t now)
{
	(void)now;
	return enqueue(arg, false, dst, seg, len);
}

static void on_event(void *arg, const struct ww_event *e)
{
	struct net *n = arg;
	assert_non_null(e->text);
	if (n->nev < EVMAX)
		snprintf(n->ev[n->nev++], sizeof n->ev[0], "%s", e->text);
}

/* The first event from index FROM on containing NEEDLE, or -1. */
static int ev_find(const struct net *n, const char *needle, int from)
{
	for (size_t i = (size_t)(from < 0 ? 0 : from); i < n->nev; i++)
		if (strstr(n->ev[i], needle))
			return (int)i;
	return -1;
}

/* NEEDLES occur in this order. */
static void ev_in_order(const struct net *n, const char *const *needles)
{
	int at = 0;
	for (; *needles; needles++) {
		int i = ev_find(n, *needles, at);
		if (i < 0) {
			for (size_t k = 0; k < n->nev; k++)
				fprintf(stderr, "  event %zu: %.200s\n", k, n->ev[k]);
			fail_msg("no event \"%s\" after event %d", *needles, at);
		}
		at = i; /* the next may be further in the same event */
	}
}

static struct net *net_new(void)
{
	struct net *n = calloc(1, sizeof *n);
	assert_non_null(n);
	n->q = calloc(QMAX, sizeof *n->q);
	n->ev = calloc(EVMAX, sizeof *n->ev);
	n->s.got = malloc(1 << 21);
	assert_true(n->q && n->ev && n->s.got);
	struct ww_tcp_env ce = { .ip = CLI_IP, .mtu = 1500, .output = out_cli, .output_arg = n,
				 .ev = on_event, .ev_arg = n, .seed = 7 };
	struct ww_tcp_env se = { .ip = SRV_IP, .mtu = 1500, .output = out_srv, .output_arg = n,
				 .seed = 8 };
	n->cli = ww_tcp_host_new(&ce, NULL);
	n->srv = ww_tcp_host_new(&se, NULL);
	assert_true(n->cli && n->srv);
	assert_int_equal(ww_tcp_listen(n->srv, 443), 0);
	n->now = SEC;
	return n;
}

static void server_reset(struct server *s)
{
	if (s->c) /* the old connection is left to itself */
		ww_tcp_set_notify(s->c, NULL, NULL);
	SSL_free(s->ssl);
	s->ssl = NULL;
	s->c = NULL;
	s->done = s->close_notify_in = false;
	s->ngot = 0;
	s->nout = 0;
	s->error[0] = s->sni[0] = s->alpn[0] = '\0';
}

static void net_free(struct net *n)
{
	server_reset(&n->s);
	SSL_CTX_free(n->s.ctx);
	free(n->s.out);
	free(n->s.got);
	ww_tcp_host_free(n->cli);
	ww_tcp_host_free(n->srv);
	free(n->q);
	free(n->ev);
	free(n);
}

/* ---- the server: OpenSSL's, over the second TCP --------------------------------- */

static int alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
		       const unsigned char *in, unsigned inlen, void *arg)
{
	(void)ssl;
	(void)arg;
	for (unsigned i = 0; i < inlen; i += 1u + in[i])
		if (in[i] == 8 && i + 9 <= inlen && memcmp(in + i + 1, "http/1.1", 8) == 0) {
			*out = in + i + 1;
			*outlen = 8;
			return SSL_TLSEXT_ERR_OK;
		}
	return SSL_TLSEXT_ERR_NOACK;
}

/* A server with certificate WHICH, versions MIN..MAX. */
static void server_ctx(struct net *n, int which, int min, int max)
{
	SSL_CTX *x = SSL_CTX_new(TLS_server_method());
	assert_non_null(x);
	assert_true(SSL_CTX_use_certificate(x, pki.cert[which]));
	assert_true(SSL_CTX_use_PrivateKey(x, pki.key[which]));
	SSL_CTX_set_min_proto_version(x, min);
	SSL_CTX_set_max_proto_version(x, max);
	SSL_CTX_set_alpn_select_cb(x, alpn_select, NULL);
	SSL_CTX_free(n->s.ctx);
	n->s.ctx = x;
}

static void server_flush(struct server *s, uint64_t now)
{
	size_t p;
	while (s->w && (p = BIO_ctrl_pending(s->w)) > 0) {
		s->out = realloc(s->out, s->nout + p);
		assert_non_null(s->out);
		assert_int_equal(BIO_read(s->w, s->out + s->nout, (int)p), (int)p);
		s->nout += p;
	}
	if (s->nout && s->c) {
		long k = ww_tcp_send(s->c, s->out, s->nout, now);
		if (k > 0) {
			memmove(s->out, s->out + k, s->nout - (size_t)k);
			s->nout -= (size_t)k;
		}
	}
}

static const char PLAIN_REPLY[] = "HTTP/1.1 400 Bad Request\r\n\r\n";

static void server_pump(struct server *s, uint64_t now)
{
	uint8_t buf[16384];
	size_t k;
	if (s->plain) {
		while (ww_tcp_recv(s->c, buf, sizeof buf, now) > 0)
			if (!s->mute)
				ww_tcp_send(s->c, (const uint8_t *)PLAIN_REPLY, sizeof PLAIN_REPLY - 1, now);
		return;
	}
	while ((k = ww_tcp_recv(s->c, buf, sizeof buf, now)) > 0)
		BIO_write(s->r, buf, (int)k);
	if (!s->done && !s->error[0]) {
		ERR_clear_error();
		int r = SSL_do_handshake(s->ssl);
		if (r == 1) {
			s->done = true;
			const char *sni = SSL_get_servername(s->ssl, TLSEXT_NAMETYPE_host_name);
			snprintf(s->sni, sizeof s->sni, "%s", sni ? sni : "");
			const unsigned char *a;
			unsigned al;
			SSL_get0_alpn_selected(s->ssl, &a, &al);
			snprintf(s->alpn, sizeof s->alpn, "%.*s", (int)al, a ? (const char *)a : "");
		} else if (SSL_get_error(s->ssl, r) == SSL_ERROR_SSL) {
			const char *why = ERR_reason_error_string(ERR_peek_error());
			snprintf(s->error, sizeof s->error, "%s", why ? why : "?");
		}
	}
	while (s->done && !s->close_notify_in) {
		size_t got;
		if (SSL_read_ex(s->ssl, s->got + s->ngot, 16384, &got)) {
			s->ngot += got;
			continue;
		}
		if (SSL_get_error(s->ssl, 0) == SSL_ERROR_ZERO_RETURN)
			s->close_notify_in = true;
		break;
	}
	server_flush(s, now);
}

static void on_server_tcp(void *arg, struct ww_tcb *c, uint64_t now)
{
	(void)c;
	struct net *n = arg;
	server_pump(&n->s, now);
}

static void server_poll(struct net *n)
{
	struct server *s = &n->s;
	if (s->c)
		return;
	struct ww_tcb *c = ww_tcp_accept(n->srv, 443);
	if (!c)
		return;
	s->c = c;
	if (!s->plain) {
		s->ssl = SSL_new(s->ctx);
		s->r = BIO_new(BIO_s_mem());
		s->w = BIO_new(BIO_s_mem());
		SSL_set_bio(s->ssl, s->r, s->w);
		SSL_set_accept_state(s->ssl);
	}
	ww_tcp_set_notify(c, on_server_tcp, n);
	server_pump(s, n->now);
}

/* ---- running -------------------------------------------------------------------- */

static void deliver(struct net *n)
{
	struct seg s = n->q[n->qhead];
	n->qhead = (n->qhead + 1) % QMAX;
	n->qlen--;
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = s.src;
	ip.dst = s.dst;
	ip.proto = WW_IPPROTO_TCP;
	n->now += 20000; /* 20 µs a segment */
	ww_tcp_input(s.to_srv ? n->srv : n->cli, &ip, s.data, s.len, n->now);
}

/* Segments and timers, until DONE(N, ARG) or LIMIT of the clock. */
static bool run(struct net *n, bool (*done)(struct net *n, void *arg), void *arg, uint64_t limit)
{
	uint64_t end = n->now + limit;
	for (;;) {
		server_poll(n);
		if (done && done(n, arg))
			return true;
		if (n->qlen) {
			deliver(n);
			continue;
		}
		uint64_t a = ww_tcp_next_deadline(n->cli), b = ww_tcp_next_deadline(n->srv);
		uint64_t d = a < b ? a : b;
		if (d > end) {
			n->now = end;
			return done ? done(n, arg) : true;
		}
		if (d > n->now)
			n->now = d;
		ww_tcp_poll(n->cli, n->now);
		ww_tcp_poll(n->srv, n->now);
	}
}

static bool not_handshaking(struct net *n, void *arg)
{
	(void)n;
	return ww_tls_state(arg) != WW_TLSS_HANDSHAKE;
}

struct conn {
	struct ww_tls_ctx *x;
	struct ww_tcb *c;
	struct ww_tls *t;
};

static struct ww_tls_ctx *client_ctx(int version)
{
	char err[256];
	struct ww_tls_ctx_opts o = { .version = version, .ca_pem = pki.ca_pem };
	struct ww_tls_ctx *x = ww_tls_ctx_new(&o, err, sizeof err);
	if (!x)
		fail_msg("ww_tls_ctx_new: %s", err);
	return x;
}

/* TCP to the server, then TLS for HOST; runs until the handshake is over. */
static struct conn open_tls(struct net *n, struct ww_tls_ctx *x, const char *host)
{
	struct conn k = { .x = x };
	server_reset(&n->s);
	n->nev = 0;
	k.c = ww_tcp_connect(n->cli, SRV_IP, 443, 0, n->now);
	assert_non_null(k.c);
	k.t = ww_tls_new(x, k.c, host, "http/1.1", on_event, n, n->now);
	assert_non_null(k.t);
	assert_true(run(n, not_handshaking, k.t, 5 * SEC));
	return k;
}

static bool quiet(struct net *n, void *arg)
{
	(void)arg;
	return n->qlen == 0 && ww_tcp_next_deadline(n->cli) > n->now + 100 * MS &&
	       ww_tcp_next_deadline(n->srv) > n->now + 100 * MS;
}

/* Let everything in flight arrive (tickets, ACKs). */
static void settle(struct net *n)
{
	run(n, quiet, NULL, 2 * SEC);
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_handshake_tls13(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	struct conn k = open_tls(n, x, "www.example.com");
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_OPEN);
	assert_string_equal(ww_tls_error(k.t), "");
	settle(n); /* the server's side ends with our Finished */
	assert_true(n->s.done);
	assert_string_equal(n->s.sni, "www.example.com");
	assert_string_equal(n->s.alpn, "http/1.1");
	struct ww_tls_info in;
	ww_tls_info(k.t, &in);
	assert_string_equal(in.version, "TLS 1.3");
	assert_string_equal(in.cipher, "TLS_AES_256_GCM_SHA384");
	assert_string_equal(in.alpn, "http/1.1");
	assert_string_equal(in.sni, "www.example.com");
	assert_string_equal(in.group, "x25519");
	assert_true(in.verified);
	assert_false(in.resumed);
	assert_int_equal(in.ncerts, 1);
	assert_string_equal(in.cert[0].subject, "CN = www.example.com");
	assert_string_equal(in.cert[0].issuer, "CN = test CA");
	assert_string_equal(in.cert[0].sans, "www.example.com, example.com");
	assert_true(in.handshake_ns > 0);
	static const char *const order[] = {
		"TLS → record: handshake (22), TLS 1.0, ",
		"TLS → ClientHello for www.example.com, ALPN http/1.1:",
		"TLS ← record: handshake (22), TLS 1.2, ",
		"TLS ← ServerHello: TLS 1.3 (from supported_versions",
		"TLS ← record: change_cipher_spec (20)",
		"TLS ← ChangeCipherSpec: a dummy in TLS 1.3",
		"TLS ← record: application_data (23), TLS 1.2, ",
		"TLS ← EncryptedExtensions",
		"TLS ← Certificate: 1 certificate",
		"\n          issuer  CN = test CA",
		"TLS ← CertificateVerify: the handshake so far, signed with ecdsa_secp256r1_sha256",
		"TLS ← Finished: verify_data 48 bytes",
		"TLS → ChangeCipherSpec",
		"encrypted; inside: handshake",
		"TLS → Finished: verify_data 48 bytes",
		"TLS on TCP 1: handshake done in ",
		NULL,
	};
	ev_in_order(n, order);
	/* The ClientHello's details are lines under it, indented. */
	assert_true(ev_find(n, "\n      cipher suites (", 0) >= 0);
	assert_true(ev_find(n, "\n        server_name: www.example.com", 0) >= 0);
	/* The tickets come after the handshake: kept for the next time. */
	settle(n);
	assert_true(ev_find(n, "TLS ← NewSessionTicket", 0) >= 0);
	assert_true(ev_find(n, "session kept for www.example.com:443 (a ticket", 0) >= 0);
	/* Nothing is decrypted that was not sent. */
	assert_int_equal(ww_tls_readable(k.t), 0);
	assert_false(ww_tls_eof(k.t));
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void test_handshake_tls12(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(12);
	struct conn k = open_tls(n, x, "www.example.com");
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_OPEN);
	struct ww_tls_info in;
	ww_tls_info(k.t, &in);
	assert_string_equal(in.version, "TLS 1.2");
	assert_string_equal(in.cipher, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	assert_string_equal(in.alpn, "http/1.1");
	static const char *const order[] = {
		"TLS → ClientHello for www.example.com",
		"TLS ← ServerHello: TLS 1.2, cipher TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
		"the server could have done TLS 1.3",
		"TLS ← Certificate: 1 certificate",
		"TLS ← ServerKeyExchange: ECDHE on x25519",
		"TLS ← ServerHelloDone",
		"TLS → ClientKeyExchange: our ECDHE public key, 32 bytes",
		"TLS → record: change_cipher_spec (20), TLS 1.2, 1 bytes",
		"TLS → ChangeCipherSpec: from the next record on, this side encrypts",
		"TLS → Finished: verify_data 12 bytes",
		"TLS ← NewSessionTicket",
		"TLS ← ChangeCipherSpec: from the next record on",
		"TLS ← Finished: verify_data 12 bytes",
		"handshake done",
		NULL,
	};
	ev_in_order(n, order);
	/* TLS 1.2 has no encrypted content type to tell. */
	assert_int_equal(ev_find(n, "inside:", 0), -1);
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void test_client_hello_queued_while_opening(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_3_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	struct ww_tcb *c = ww_tcp_connect(n->cli, SRV_IP, 443, 0, n->now);
	struct ww_tls *t = ww_tls_new(x, c, "www.example.com", NULL, on_event, n, n->now);
	assert_non_null(t);
	/* Only the SYN is on the wire; the ClientHello waits in the TCP. */
	assert_int_equal(n->qlen, 1);
	assert_int_equal(c->state, WW_TCPS_SYN_SENT);
	assert_true(ww_tcp_unacked(c) > 200);
	assert_int_equal(ww_tls_state(t), WW_TLSS_HANDSHAKE);
	assert_int_equal(ww_tls_write(t, (const uint8_t *)"x", 1, n->now), 0);
	assert_true(run(n, not_handshaking, t, 5 * SEC));
	assert_int_equal(ww_tls_state(t), WW_TLSS_OPEN);
	struct ww_tls_info in;
	ww_tls_info(t, &in);
	assert_string_equal(in.alpn, ""); /* none offered */
	assert_string_equal(n->s.alpn, "");
	ww_tls_free(t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static bool server_got(struct net *n, void *arg)
{
	return n->s.ngot >= *(size_t *)arg;
}

static bool readable_or_eof(struct net *n, void *arg)
{
	(void)n;
	return ww_tls_readable(arg) > 0 || ww_tls_eof(arg);
}

static void test_data_both_ways(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	struct conn k = open_tls(n, x, "www.example.com");
	static const char req[] = "GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n";
	assert_int_equal(ww_tls_write(k.t, (const uint8_t *)req, sizeof req - 1, n->now),
			 (long)sizeof req - 1);
	size_t want = sizeof req - 1;
	assert_true(run(n, server_got, &want, 5 * SEC));
	assert_int_equal(n->s.ngot, want);
	assert_memory_equal(n->s.got, req, want);
	assert_int_equal(ww_tls_bytes_written(k.t), want);
	assert_true(ev_find(n, "TLS → record: application_data (23), TLS 1.2, 58 bytes, encrypted; "
			    "inside: application_data", 0) >= 0);
	/* 700 KB from the server: more than the plaintext buffer (256 KB)
	 * and the TCP's window; the client reads as it comes, without a
	 * line for each record. */
	ww_tls_show_data(k.t, false);
	size_t nev = n->nev;
	enum { BIG = 700000 };
	uint8_t *big = malloc(BIG), *got = malloc(BIG);
	for (size_t i = 0; i < BIG; i++)
		big[i] = (uint8_t)(i % 251);
	size_t sent = 0;
	while (sent < BIG) {
		int w = SSL_write(n->s.ssl, big + sent, BIG - sent > 16384 ? 16384 : (int)(BIG - sent));
		assert_true(w > 0);
		sent += (size_t)w;
	}
	server_flush(&n->s, n->now);
	size_t have = 0, most = 0;
	while (have < BIG) {
		assert_true(run(n, readable_or_eof, k.t, 5 * SEC));
		size_t r = ww_tls_readable(k.t);
		most = r > most ? r : most;
		assert_true(r > 0);
		have += ww_tls_read(k.t, got + have, BIG - have, n->now);
		server_flush(&n->s, n->now);
	}
	assert_int_equal(have, BIG);
	assert_memory_equal(got, big, BIG);
	assert_true(most <= 256 * 1024 + 16384);
	assert_int_equal(ev_find(n, "inside: application_data", (int)nev), -1);
	/* Shown again: the next record is. */
	ww_tls_show_data(k.t, true);
	SSL_write(n->s.ssl, "x", 1);
	server_flush(&n->s, n->now);
	assert_true(run(n, readable_or_eof, k.t, 5 * SEC));
	assert_true(ev_find(n, "TLS ← record: application_data (23), TLS 1.2, 18 bytes, encrypted; "
			    "inside: application_data", (int)nev) >= 0);
	free(big);
	free(got);
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static bool eof_of(struct net *n, void *arg)
{
	(void)n;
	return ww_tls_eof(arg);
}

static void test_close_notify_both_ways(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	struct conn k = open_tls(n, x, "www.example.com");
	settle(n);
	assert_int_equal(ww_tls_close(k.t, n->now), 0);
	assert_int_equal(ww_tls_close(k.t, n->now), -1);
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_CLOSED);
	assert_int_equal(ww_tls_write(k.t, (const uint8_t *)"x", 1, n->now), -1);
	assert_true(ev_find(n, "TLS → Alert: warning, close_notify (0)", 0) >= 0);
	settle(n);
	/* The server read our close_notify, then the TCP's FIN came. */
	assert_true(n->s.close_notify_in);
	assert_true(ww_tcp_fin_received(n->s.c));
	/* It answers with its own, and closes. */
	SSL_shutdown(n->s.ssl);
	server_flush(&n->s, n->now);
	ww_tcp_close(n->s.c, n->now);
	assert_true(run(n, eof_of, k.t, 5 * SEC));
	assert_true(ww_tls_close_notify_received(k.t));
	assert_true(ev_find(n, "TLS ← Alert: warning, close_notify (0)", 0) >= 0);
	assert_int_equal(ev_find(n, "without close_notify", 0), -1);
	settle(n);
	assert_int_equal(ww_tls_tcb(k.t)->state, WW_TCPS_TIME_WAIT);
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_CLOSED);
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void test_server_closes_first(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_2_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	struct conn k = open_tls(n, x, "www.example.com");
	SSL_write(n->s.ssl, "bye", 3);
	SSL_shutdown(n->s.ssl);
	server_flush(&n->s, n->now);
	ww_tcp_close(n->s.c, n->now);
	assert_true(run(n, eof_of, k.t, 5 * SEC));
	uint8_t buf[16];
	assert_int_equal(ww_tls_read(k.t, buf, sizeof buf, n->now), 3);
	assert_memory_equal(buf, "bye", 3);
	assert_true(ww_tls_close_notify_received(k.t));
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_OPEN); /* we may still send */
	assert_int_equal(ww_tls_close(k.t, n->now), 0);
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void test_truncation(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	struct conn k = open_tls(n, x, "www.example.com");
	settle(n);
	ww_tcp_close(n->s.c, n->now); /* a FIN, no close_notify */
	assert_true(run(n, eof_of, k.t, 5 * SEC));
	assert_false(ww_tls_close_notify_received(k.t));
	assert_true(ev_find(n, "TLS on TCP 1: the TCP closed without close_notify", 0) >= 0);
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

/* A certificate refused: FAILED with WHY, the alert sent, the server told. */
static void refused(int cert, const char *host, const char *why, const char *alert,
		    const char *server_error)
{
	struct net *n = net_new();
	server_ctx(n, cert, TLS1_2_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	struct conn k = open_tls(n, x, host);
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_FAILED);
	if (!strstr(ww_tls_error(k.t), why))
		fail_msg("expected \"%s\" in \"%s\"", why, ww_tls_error(k.t));
	assert_true(ev_find(n, alert, 0) >= 0);
	assert_true(ev_find(n, "handshake failed: ", 0) >= 0);
	assert_true(ww_tls_eof(k.t));
	assert_int_equal(ww_tls_write(k.t, (const uint8_t *)"x", 1, n->now), -1);
	settle(n);
	if (!strstr(n->s.error, server_error))
		fail_msg("the server's error \"%s\" lacks \"%s\"", n->s.error, server_error);
	assert_false(n->s.done);
	/* Our side closed its TCP after the alert. */
	assert_true(ww_tcp_fin_received(n->s.c));
	struct ww_tls_info in;
	ww_tls_info(k.t, &in);
	assert_string_equal(in.version, "");
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void test_untrusted_ca(void **state)
{
	(void)state;
	refused(CERT_UNTRUSTED, "www.example.com",
		"certificate not trusted: \"CN = www.example.com\" is issued by \"CN = Rogue CA\", a CA "
		"we do not trust (we trust the CAs given)",
		"TLS → Alert: fatal, unknown_ca (48)", "unknown ca");
}

static void test_wrong_name(void **state)
{
	(void)state;
	refused(CERT_WRONG, "www.example.com",
		"wrong name: the certificate is for example.net, www.example.net, not for "
		"www.example.com",
		"TLS → Alert: fatal, bad_certificate (42)", "bad certificate");
	/* The address instead of a name: no SNI, and the address is checked. */
	refused(CERT_GOOD, "192.0.2.10", "wrong name: the certificate is for www.example.com, "
		"example.com, not for 192.0.2.10", "TLS → Alert: fatal", "bad certificate");
}

static void test_expired(void **state)
{
	(void)state;
	refused(CERT_EXPIRED, "www.example.com", "certificate expired: \"CN = www.example.com\" was "
		"valid from ", "TLS → Alert: fatal, certificate_expired (45)", "certificate expired");
}

static void test_version_mismatch(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_2_VERSION);
	struct ww_tls_ctx *x = client_ctx(13);
	struct conn k = open_tls(n, x, "www.example.com");
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_FAILED);
	assert_string_equal(ww_tls_error(k.t), "the server sent the fatal alert protocol_version (70): "
			    "the server does not speak the TLS version we allow (set tls.version)");
	assert_true(ev_find(n, "TLS ← Alert: fatal, protocol_version (70)", 0) >= 0);
	/* Allowing 1.2 again (the ctx's setting) makes the next one work. */
	assert_int_equal(ww_tls_ctx_set_version(x, 14), -1);
	assert_int_equal(ww_tls_ctx_set_version(x, 0), 0);
	assert_int_equal(ww_tls_ctx_version(x), 0);
	ww_tls_free(k.t);
	k = open_tls(n, x, "www.example.com");
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_OPEN);
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void resumption(int version)
{
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, version, version);
	struct ww_tls_ctx *x = client_ctx(version == TLS1_3_VERSION ? 13 : 12);
	struct conn k = open_tls(n, x, "www.example.com");
	settle(n);
	assert_true(ev_find(n, "session kept for www.example.com:443", 0) >= 0);
	ww_tls_close(k.t, n->now);
	settle(n);
	ww_tls_free(k.t);

	k = open_tls(n, x, "www.example.com");
	assert_int_equal(ww_tls_state(k.t), WW_TLSS_OPEN);
	struct ww_tls_info in;
	ww_tls_info(k.t, &in);
	assert_true(in.resumed);
	assert_true(SSL_session_reused(n->s.ssl));
	assert_true(ev_find(n, "offering the session kept for www.example.com:443", 0) >= 0);
	assert_true(ev_find(n, "resumed from a kept session", 0) >= 0);
	/* An abbreviated handshake: no certificate. */
	assert_int_equal(ev_find(n, "Certificate:", 0), -1);
	assert_int_equal(ev_find(n, "CertificateVerify", 0), -1);
	if (version == TLS1_3_VERSION)
		assert_true(ev_find(n, "pre_shared_key: 1 identity", 0) >= 0);
	ww_tls_close(k.t, n->now);
	settle(n);
	ww_tls_free(k.t);

	/* Another name on the same server keeps nothing in common. */
	k = open_tls(n, x, "example.com");
	ww_tls_info(k.t, &in);
	assert_false(in.resumed);
	ww_tls_free(k.t);
	/* Forgotten: a full handshake again. */
	ww_tls_ctx_forget(x, "www.example.com", 443);
	k = open_tls(n, x, "www.example.com");
	ww_tls_info(k.t, &in);
	assert_false(in.resumed);
	assert_true(ev_find(n, "Certificate:", 0) >= 0);
	ww_tls_free(k.t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void test_resumption_tls13(void **state)
{
	(void)state;
	resumption(TLS1_3_VERSION);
}

static void test_resumption_tls12(void **state)
{
	(void)state;
	resumption(TLS1_2_VERSION);
}

static bool server_accepted(struct net *n, void *arg)
{
	(void)arg;
	return n->s.c != NULL;
}

static void test_reset_during_handshake(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	server_reset(&n->s);
	n->s.plain = n->s.mute = true; /* accept, answer nothing: then reset */
	struct ww_tcb *c = ww_tcp_connect(n->cli, SRV_IP, 443, 0, n->now);
	struct ww_tls *t = ww_tls_new(x, c, "www.example.com", "http/1.1", on_event, n, n->now);
	assert_true(run(n, server_accepted, NULL, 5 * SEC));
	ww_tcp_set_notify(n->s.c, NULL, NULL);
	ww_tcp_abort(n->s.c, n->now);
	assert_true(run(n, not_handshaking, t, 5 * SEC));
	assert_int_equal(ww_tls_state(t), WW_TLSS_FAILED);
	assert_string_equal(ww_tls_error(t), "TCP 1: connection reset by peer");
	ww_tls_free(t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void test_not_tls(void **state)
{
	(void)state;
	struct net *n = net_new();
	server_ctx(n, CERT_GOOD, TLS1_2_VERSION, TLS1_3_VERSION);
	struct ww_tls_ctx *x = client_ctx(0);
	server_reset(&n->s);
	n->s.plain = true;
	struct ww_tcb *c = ww_tcp_connect(n->cli, SRV_IP, 443, 0, n->now);
	struct ww_tls *t = ww_tls_new(x, c, "www.example.com", "http/1.1", on_event, n, n->now);
	assert_true(run(n, not_handshaking, t, 5 * SEC));
	assert_int_equal(ww_tls_state(t), WW_TLSS_FAILED);
	assert_string_equal(ww_tls_error(t), "the server's answer is not TLS: it begins \"HTTP/1.1 400 "
			    "Bad\" (a TLS record begins with a content type from 20 to 24); does port "
			    "443 speak TLS?");
	ww_tls_free(t);
	ww_tls_ctx_free(x);
	net_free(n);
}

static void test_ctx_errors(void **state)
{
	(void)state;
	char err[256];
	struct ww_tls_ctx_opts o = { .ca_file = "no-such-dir/ca.pem" };
	assert_null(ww_tls_ctx_new(&o, err, sizeof err));
	assert_string_equal(err, "CA file no-such-dir/ca.pem: No such file or directory");
	o = (struct ww_tls_ctx_opts){ .version = 11, .ca_pem = pki.ca_pem };
	assert_null(ww_tls_ctx_new(&o, err, sizeof err));
	assert_string_equal(err, "TLS version 11: 0 (1.2 or 1.3), 12 or 13");
	o = (struct ww_tls_ctx_opts){ .ca_pem = "no PEM here" };
	assert_null(ww_tls_ctx_new(&o, err, sizeof err));
	assert_string_equal(err, "no certificate in the CA text given");
	o = (struct ww_tls_ctx_opts){ .ca_pem = pki.ca_pem, .keylog_path = "no-such-dir/keys" };
	assert_null(ww_tls_ctx_new(&o, err, sizeof err));
	assert_string_equal(err, "key log no-such-dir/keys: No such file or directory");
	assert_string_equal(ww_tls_state_name(WW_TLSS_OPEN), "OPEN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_tls13),
		cmocka_unit_test(test_handshake_tls12),
		cmocka_unit_test(test_client_hello_queued_while_opening),
		cmocka_unit_test(test_data_both_ways),
		cmocka_unit_test(test_close_notify_both_ways),
		cmocka_unit_test(test_server_closes_first),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_untrusted_ca),
		cmocka_unit_test(test_wrong_name),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_resumption_tls13),
		cmocka_unit_test(test_resumption_tls12),
		cmocka_unit_test(test_reset_during_handshake),
		cmocka_unit_test(test_not_tls),
		cmocka_unit_test(test_ctx_errors),
	};
	return cmocka_run_group_tests_name("tls", tests, setup_pki, teardown_pki);
}
