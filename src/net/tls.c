/* A client TLS connection: OpenSSL over our own TCP through two memory
 * BIOs. The TCP's notify callback drives it: bytes that arrived go into
 * the read BIO, the handshake or SSL_read moves on, and what OpenSSL
 * wrote into the write BIO goes to ww_tcp_send at once, after every SSL
 * call. OpenSSL's message callback tells us each record and handshake
 * message as it is read or written: they become events, so they show
 * between the frames that carry them. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tls_int.h"
#include "ww/ipv4.h"
#include "ww/tcpconn.h"

#define PLAIN_MAX (256u * 1024) /* decrypted and unread: past this, the TCP's window closes */
#define CHUNK 16384             /* bytes moved from the TCP to OpenSSL at a time */

struct ww_tls {
	struct ww_tls_ctx *x;
	SSL *ssl;
	BIO *rbio, *wbio;         /* OpenSSL reads the TCP's bytes from RBIO, writes records to WBIO */
	struct ww_tcp_host *host; /* the TCP connection, looked up by its id: its slot may be reused */
	unsigned tcb_id;
	uint16_t port;
	enum ww_tls_state state;
	char err[1024];
	char name[256];           /* SNI and the name verified */
	ww_event_fn ev;
	void *ev_arg;
	ww_tls_notify notify;
	void *notify_arg;
	uint64_t start_ns, handshake_ns;
	uint64_t now;             /* the time of the SSL call running: for the events */

	uint8_t *plain;           /* decrypted, not yet read: plain[head .. head+len) */
	size_t plain_head, plain_len, plain_cap;
	uint8_t *out;             /* records the TCP's send buffer has no room for yet */
	size_t out_len, out_cap;
	uint64_t bytes_written;

	bool closing;             /* we sent close_notify (or gave up): we send no more */
	bool fin_after_out;       /* ww_tls_close: the TCP's FIN once OUT is empty */
	bool close_notify_in;     /* the server's close_notify came */
	bool tcp_eof;             /* the TCP's FIN came and everything before it is read */
	bool pumping, again;
	bool quiet_data;          /* application data records are not reported */

	/* What the verify callback saw first. */
	int verify_err;
	int verify_depth;
	struct ww_tls_cert verify_cert;
	/* The last alert the server sent. */
	bool alert_in;
	uint8_t alert_level, alert_desc;
	/* A record header held until its inner content type (TLS 1.3) is known. */
	bool rec_pending, rec_sent;
	uint8_t rec_hdr[WW_TLS_RECORD_HEADER_LEN];
	unsigned records_in, records_out;
	/* The first bytes the server sent, to say what they were if not TLS. */
	uint8_t first_in[16];
	size_t first_in_len;
};

const char *ww_tls_state_name(enum ww_tls_state s)
{
	switch (s) {
	case WW_TLSS_HANDSHAKE: return "HANDSHAKE";
	case WW_TLSS_OPEN: return "OPEN";
	case WW_TLSS_CLOSED: return "CLOSED";
	case WW_TLSS_FAILED: return "FAILED";
	}
	return "?";
}

struct ww_tcb *ww_tls_tcb(const struct ww_tls *t)
{
	return ww_tcp_find(t->host, t->tcb_id);
}

/* ---- events ------------------------------------------------------------------ */

static void __attribute__((format(printf, 3, 4))) emit(struct ww_tls *t, enum ww_event_type type,
						       const char *fmt, ...)
{
	if (!t->ev)
		return;
	char text[4600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct ww_event e = { .type = type, .now_ns = t->now, .text = text };
	t->ev(t->ev_arg, &e);
}

/* A describer's text as an event: "TLS → " before the first line, the
 * others indented under it. */
static void emit_text(struct ww_tls *t, bool sent, const struct ww_tls_text *tx)
{
	char text[4600];
	size_t n = 0;
	for (const char *p = tx->buf; *p && n + 8 < sizeof text; p++) {
		text[n++] = *p;
		if (*p == '\n') {
			memcpy(text + n, "    ", 4);
			n += 4;
		}
	}
	text[n] = '\0';
	emit(t, WW_EV_INFO, "TLS %s %s%s", sent ? "→" : "←", text, tx->cut ? " …" : "");
}

static void record_event(struct ww_tls *t, bool sent, const uint8_t *hdr, int inner)
{
	struct ww_tls_text tx;
	ww_tls_describe_record(hdr, WW_TLS_RECORD_HEADER_LEN, &tx, NULL);
	if (inner >= 0) {
		const char *name = ww_tls_content_type_name((unsigned)inner);
		char more[80];
		snprintf(more, sizeof more, ", encrypted; inside: %s", name ? name : "?");
		size_t k = strlen(more);
		if (tx.len + k < sizeof tx.buf) {
			memcpy(tx.buf + tx.len, more, k + 1);
			tx.len += k;
		}
	}
	emit_text(t, sent, &tx);
}

static void flush_record(struct ww_tls *t)
{
	if (t->rec_pending) {
		t->rec_pending = false;
		/* Before TLS 1.3 an application_data record holds only that. */
		if (!t->quiet_data || SSL_version(t->ssl) == TLS1_3_VERSION)
			record_event(t, t->rec_sent, t->rec_hdr, -1);
	}
}

static void on_message(int write_p, int version, int type, const void *buf, size_t len, SSL *ssl,
		       void *arg)
{
	(void)version;
	struct ww_tls *t = arg;
	const uint8_t *p = buf;
	bool sent = write_p != 0;
	bool tls13 = SSL_version(ssl) == TLS1_3_VERSION;
	struct ww_tls_text tx;
	switch (type) {
	case SSL3_RT_HEADER:
		flush_record(t);
		if (sent)
			t->records_out++;
		else
			t->records_in++;
		if (len < WW_TLS_RECORD_HEADER_LEN)
			return;
		/* An application_data record may carry anything in TLS 1.3: the
		 * inner content type follows once it is (de)crypted. */
		if (p[0] == WW_TLS_CT_APPLICATION_DATA) {
			t->rec_pending = true;
			t->rec_sent = sent;
			memcpy(t->rec_hdr, p, WW_TLS_RECORD_HEADER_LEN);
			return;
		}
		record_event(t, sent, p, -1);
		/* OpenSSL does not hand a received change_cipher_spec to the
		 * message callback: its one byte is said here. */
		if (!sent && p[0] == WW_TLS_CT_CHANGE_CIPHER_SPEC) {
			uint8_t one = 1;
			ww_tls_describe_ccs(&one, 1, tls13, &tx, NULL);
			emit_text(t, sent, &tx);
		}
		return;
	case SSL3_RT_INNER_CONTENT_TYPE:
		if (t->rec_pending && len == 1 && t->rec_sent == sent) {
			t->rec_pending = false;
			if (!t->quiet_data || p[0] != WW_TLS_CT_APPLICATION_DATA)
				record_event(t, sent, t->rec_hdr, p[0]);
		}
		return;
	case SSL3_RT_HANDSHAKE:
		flush_record(t);
		ww_tls_describe_handshake(p, len, tls13, &tx, NULL);
		emit_text(t, sent, &tx);
		return;
	case SSL3_RT_ALERT:
		flush_record(t);
		if (!sent && len == 2) {
			t->alert_in = true;
			t->alert_level = p[0];
			t->alert_desc = p[1];
		}
		ww_tls_describe_alert(p, len, &tx, NULL);
		emit_text(t, sent, &tx);
		return;
	case SSL3_RT_CHANGE_CIPHER_SPEC:
		flush_record(t);
		if (!sent)
			return; /* said with its record header */
		ww_tls_describe_ccs(p, len, tls13, &tx, NULL);
		emit_text(t, sent, &tx);
		return;
	default:
		return;
	}
}

/* ---- verification --------------------------------------------------------------- */

int tls_on_verify(int ok, X509_STORE_CTX *sc)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(sc, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct ww_tls *t = ssl ? SSL_get_app_data(ssl) : NULL;
	if (!ok && t && !t->verify_err) {
		t->verify_err = X509_STORE_CTX_get_error(sc);
		t->verify_depth = X509_STORE_CTX_get_error_depth(sc);
		X509 *cert = X509_STORE_CTX_get_current_cert(sc);
		if (cert)
			tls_cert_from_x509(cert, &t->verify_cert);
	}
	return ok;
}

/* Why the certificate was refused, in words that say what to look at. */
static void verify_text(struct ww_tls *t)
{
	const struct ww_tls_cert *c = &t->verify_cert;
	const char *lib = X509_verify_cert_error_string(t->verify_err);
	switch (t->verify_err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		snprintf(t->err, sizeof t->err,
			 "certificate not trusted: \"%s\" is issued by \"%s\", a CA we do not trust "
			 "(we trust %s) [%s]", c->subject, c->issuer, t->x->trust, lib);
		return;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		snprintf(t->err, sizeof t->err,
			 "wrong name: the certificate is for %s, not for %s [%s]",
			 c->sans[0] ? c->sans : c->subject, t->name, lib);
		return;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		snprintf(t->err, sizeof t->err,
			 "certificate expired: \"%s\" was valid from %s until %s [%s]", c->subject,
			 c->not_before, c->not_after, lib);
		return;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		snprintf(t->err, sizeof t->err,
			 "certificate not yet valid: \"%s\" is valid from %s [%s]", c->subject,
			 c->not_before, lib);
		return;
	default:
		snprintf(t->err, sizeof t->err, "certificate refused: \"%s\" (depth %d): %s",
			 c->subject, t->verify_depth, lib);
	}
}

static const char *alert_hint(uint8_t desc)
{
	switch (desc) {
	case 70: return ": the server does not speak the TLS version we allow (set tls.version)";
	case 40: return ": no cipher suite, group or signature in common";
	case 112: return ": the server does not know the name we sent (SNI)";
	case 120: return ": the server speaks none of the ALPN protocols we offered";
	default: return "";
	}
}

/* ---- moving bytes ------------------------------------------------------------------ */

/* OpenSSL's records into OUT, and as much of OUT as the TCP takes. */
static void flush(struct ww_tls *t, struct ww_tcb *c, uint64_t now)
{
	size_t pending;
	while ((pending = BIO_ctrl_pending(t->wbio)) > 0) {
		if (t->out_len + pending > t->out_cap) {
			size_t cap = t->out_cap ? t->out_cap : CHUNK;
			while (cap < t->out_len + pending)
				cap *= 2;
			uint8_t *p = realloc(t->out, cap);
			if (!p)
				break;
			t->out = p;
			t->out_cap = cap;
		}
		int n = BIO_read(t->wbio, t->out + t->out_len, (int)pending);
		if (n <= 0)
			break;
		t->out_len += (size_t)n;
	}
	if (!c)
		return;
	if (t->out_len) {
		long k = ww_tcp_send(c, t->out, t->out_len, now);
		if (k < 0) {
			t->out_len = 0; /* the TCP sends no more: nothing will take them */
		} else if (k > 0) {
			memmove(t->out, t->out + k, t->out_len - (size_t)k);
			t->out_len -= (size_t)k;
		}
	}
	if (t->fin_after_out && !t->out_len) {
		t->fin_after_out = false;
		ww_tcp_close(c, now);
	}
}

/* Up to CHUNK bytes from the TCP into the read BIO; false if none came. */
static bool feed(struct ww_tls *t, struct ww_tcb *c, uint64_t now)
{
	uint8_t buf[CHUNK];
	size_t n = c ? ww_tcp_recv(c, buf, sizeof buf, now) : 0;
	if (n)
		BIO_write(t->rbio, buf, (int)n);
	size_t k = sizeof t->first_in - t->first_in_len;
	k = k < n ? k : n;
	memcpy(t->first_in + t->first_in_len, buf, k);
	t->first_in_len += k;
	return n > 0;
}

static void fail(struct ww_tls *t, struct ww_tcb *c, uint64_t now)
{
	if (t->state == WW_TLSS_FAILED)
		return;
	bool handshake = t->state == WW_TLSS_HANDSHAKE;
	t->state = WW_TLSS_FAILED;
	t->closing = true;
	emit(t, WW_EV_ERROR, "TLS on TCP %u: %s%s", t->tcb_id,
	     handshake ? "handshake failed: " : "", t->err);
	/* The alert OpenSSL wrote goes out, then the TCP's FIN. */
	flush(t, c, now);
	if (c && c->state != WW_TCPS_CLOSED)
		ww_tcp_close(c, now);
}

/* Why OpenSSL stopped, once it has: the verify error, the server's
 * alert, or OpenSSL's own reason. */
/* The server's first bytes are no TLS record (RFC 8446 §5.1: a content
 * type from 20 to 24): say what they look like. */
static bool not_tls(struct ww_tls *t)
{
	if (!t->first_in_len || (t->first_in[0] >= 20 && t->first_in[0] <= 24))
		return false;
	char shown[sizeof t->first_in * 4 + 1];
	size_t n = 0;
	for (size_t i = 0; i < t->first_in_len; i++) {
		uint8_t b = t->first_in[i];
		n += (size_t)snprintf(shown + n, sizeof shown - n, b >= 0x20 && b < 0x7f && b != '"'
				      ? "%c" : "\\x%02x", b);
	}
	snprintf(t->err, sizeof t->err, "the server's answer is not TLS: it begins \"%s\" (a TLS "
		 "record begins with a content type from 20 to 24); does port %u speak TLS?",
		 shown, t->port);
	return true;
}

static void ssl_failed(struct ww_tls *t, struct ww_tcb *c, uint64_t now)
{
	unsigned long e = ERR_peek_error();
	if (t->state == WW_TLSS_HANDSHAKE && not_tls(t)) {
		/* said */
	} else if (t->verify_err) {
		verify_text(t);
	} else if (t->alert_in && t->alert_level == 2) {
		const char *name = ww_tls_alert_name(t->alert_desc);
		snprintf(t->err, sizeof t->err, "the server sent the fatal alert %s (%u)%s",
			 name ? name : "?", t->alert_desc, alert_hint(t->alert_desc));
	} else if (e) {
		char buf[256];
		ERR_error_string_n(e, buf, sizeof buf);
		const char *r = ERR_reason_error_string(e);
		snprintf(t->err, sizeof t->err, "%s [%s]", r ? r : "OpenSSL failed", buf);
	} else {
		snprintf(t->err, sizeof t->err, "OpenSSL failed without saying why");
	}
	ERR_clear_error();
	fail(t, c, now);
}

static void tcp_gone(struct ww_tls *t, struct ww_tcb *c, uint64_t now)
{
	if (!c)
		snprintf(t->err, sizeof t->err, "the TCP connection is gone");
	else if (c->state == WW_TCPS_CLOSED && c->error != WW_TCPE_NONE)
		snprintf(t->err, sizeof t->err, "TCP %u: %s", c->id, ww_tcp_error_str(c->error));
	else
		snprintf(t->err, sizeof t->err, "the server closed the TCP connection (FIN) during "
			 "the handshake");
	fail(t, c, now);
}

/* ---- the handshake, then reading --------------------------------------------------- */

static void handshake_done(struct ww_tls *t, uint64_t now)
{
	t->state = WW_TLSS_OPEN;
	t->handshake_ns = now - t->start_ns;
	struct ww_tls_info in;
	ww_tls_info(t, &in);
	emit(t, WW_EV_STATE, "TLS on TCP %u: handshake done in %.3f ms: %s, %s%s%s%s", t->tcb_id,
	     (double)t->handshake_ns / 1e6, in.version, in.cipher, in.alpn[0] ? ", ALPN " : "",
	     in.alpn, in.resumed ? ", resumed from a kept session (no certificate sent)"
	     : in.verified ? ", certificate verified" : "");
}

static void handshake(struct ww_tls *t, struct ww_tcb *c, uint64_t now)
{
	for (;;) {
		ERR_clear_error();
		int r = SSL_do_handshake(t->ssl);
		flush_record(t);
		flush(t, c, now);
		if (r == 1) {
			handshake_done(t, now);
			return;
		}
		int e = SSL_get_error(t->ssl, r);
		if (e == SSL_ERROR_WANT_READ && feed(t, c, now))
			continue;
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			if (!c || c->state == WW_TCPS_CLOSED || c->fin_received)
				tcp_gone(t, c, now);
			return;
		}
		ssl_failed(t, c, now);
		return;
	}
}

static bool plain_room(struct ww_tls *t)
{
	if (t->plain_head && t->plain_head + t->plain_len + CHUNK > t->plain_cap) {
		memmove(t->plain, t->plain + t->plain_head, t->plain_len);
		t->plain_head = 0;
	}
	if (t->plain_len + CHUNK > t->plain_cap) {
		size_t cap = t->plain_cap ? t->plain_cap * 2 : 4 * CHUNK;
		uint8_t *p = realloc(t->plain, cap);
		if (!p)
			return false;
		t->plain = p;
		t->plain_cap = cap;
	}
	return true;
}

static void reading(struct ww_tls *t, struct ww_tcb *c, uint64_t now)
{
	while (t->plain_len < PLAIN_MAX && !t->close_notify_in && plain_room(t)) {
		ERR_clear_error();
		size_t got = 0;
		uint8_t *at = t->plain + t->plain_head + t->plain_len;
		int ok = SSL_read_ex(t->ssl, at, CHUNK, &got);
		flush_record(t);
		flush(t, c, now); /* a KeyUpdate's answer, an alert */
		if (ok) {
			t->plain_len += got;
			continue;
		}
		int e = SSL_get_error(t->ssl, 0);
		if (e == SSL_ERROR_WANT_READ && feed(t, c, now))
			continue;
		if (e == SSL_ERROR_WANT_READ) {
			if (c && c->fin_received && !ww_tcp_readable(c) && !t->tcp_eof) {
				t->tcp_eof = true;
				/* After our close_notify nothing more was expected. */
				if (!t->closing)
					emit(t, WW_EV_INFO, "TLS on TCP %u: the TCP closed without "
					     "close_notify: the data may be cut short", t->tcb_id);
			}
			break;
		}
		if (e == SSL_ERROR_ZERO_RETURN) {
			t->close_notify_in = true;
			ERR_clear_error();
			break;
		}
		ssl_failed(t, c, now);
		return;
	}
	if (t->state != WW_TLSS_OPEN)
		return;
	if (!c || (c->state == WW_TCPS_CLOSED && c->error != WW_TCPE_NONE)) {
		tcp_gone(t, c, now);
	} else if (c->state == WW_TCPS_CLOSED || c->state == WW_TCPS_TIME_WAIT) {
		t->state = WW_TLSS_CLOSED;
		t->closing = true;
	}
}

static void step(struct ww_tls *t, uint64_t now)
{
	struct ww_tcb *c = ww_tls_tcb(t);
	t->now = now;
	if (t->state == WW_TLSS_HANDSHAKE)
		handshake(t, c, now);
	if (t->state == WW_TLSS_OPEN || t->state == WW_TLSS_CLOSED)
		reading(t, c, now);
	else
		flush(t, c, now);
}

static void pump(struct ww_tls *t, uint64_t now)
{
	if (t->pumping) {
		t->again = true;
		return;
	}
	t->pumping = true;
	do {
		t->again = false;
		step(t, now);
	} while (t->again);
	t->pumping = false;
}

static void on_tcp(void *arg, struct ww_tcb *c, uint64_t now)
{
	(void)c;
	struct ww_tls *t = arg;
	pump(t, now);
	if (t->notify && !t->pumping)
		t->notify(t->notify_arg, t, now);
}

/* ---- sessions -------------------------------------------------------------------------- */

int tls_on_new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct ww_tls *t = SSL_get_app_data(ssl);
	if (!t)
		return 0;
	tls_ctx_keep(t->x, t->name, t->port, sess);
	bool ticket = SSL_SESSION_has_ticket(sess);
	emit(t, WW_EV_INFO, "TLS on TCP %u: session kept for %s:%u (%s, %lu s): the next "
	     "connection there can resume it", t->tcb_id, t->name, t->port,
	     ticket ? "a ticket" : "a session id",
	     ticket ? SSL_SESSION_get_ticket_lifetime_hint(sess)
		    : (unsigned long)SSL_SESSION_get_timeout(sess));
	return 1;
}

/* ---- the connection ----------------------------------------------------------------------- */

static int set_alpn(SSL *ssl, const char *alpn)
{
	size_t n = strlen(alpn);
	uint8_t wire[256];
	if (n == 0 || n > 255)
		return -1;
	wire[0] = (uint8_t)n;
	memcpy(wire + 1, alpn, n);
	return SSL_set_alpn_protos(ssl, wire, (unsigned)n + 1) == 0 ? 0 : -1;
}

static int setup(struct ww_tls *t, const char *alpn)
{
	t->ssl = SSL_new(t->x->ssl);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->rbio || !t->wbio)
		return -1;
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_connect_state(t->ssl);
	SSL_set_app_data(t->ssl, t);
	SSL_set_msg_callback(t->ssl, on_message);
	SSL_set_msg_callback_arg(t->ssl, t);
	uint32_t ip;
	if (ww_ipv4_parse_addr(t->name, &ip) == 0) {
		/* RFC 6066 §3: no address in SNI; the address is checked instead. */
		if (!X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t->ssl), t->name))
			return -1;
	} else if (!SSL_set_tlsext_host_name(t->ssl, t->name) || !SSL_set1_host(t->ssl, t->name)) {
		return -1;
	}
	if (alpn && set_alpn(t->ssl, alpn) < 0)
		return -1;
	SSL_SESSION *s = tls_ctx_session(t->x, t->name, t->port);
	if (s && !SSL_set_session(t->ssl, s))
		return -1;
	return 0;
}

struct ww_tls *ww_tls_new(struct ww_tls_ctx *x, struct ww_tcb *c, const char *host,
			  const char *alpn, ww_event_fn ev, void *ev_arg, uint64_t now_ns)
{
	struct ww_tls *t = calloc(1, sizeof *t);
	if (t) {
		t->x = x;
		t->host = c->host;
		t->tcb_id = c->id;
		t->port = c->rport;
		t->ev = ev;
		t->ev_arg = ev_arg;
		t->now = t->start_ns = now_ns;
		snprintf(t->name, sizeof t->name, "%s", host);
	}
	ERR_clear_error();
	if (!t || setup(t, alpn) < 0) {
		struct ww_event e = { .type = WW_EV_ERROR, .now_ns = now_ns,
				      .text = "TLS: out of memory, or OpenSSL refused the name or ALPN" };
		if (ev)
			ev(ev_arg, &e);
		ERR_clear_error();
		ww_tls_free(t);
		return NULL;
	}
	if (tls_ctx_session(x, t->name, t->port))
		emit(t, WW_EV_INFO, "TLS on TCP %u: offering the session kept for %s:%u", t->tcb_id,
		     t->name, t->port);
	ww_tcp_set_notify(c, on_tcp, t);
	pump(t, now_ns); /* the ClientHello, queued if the TCP is still opening */
	return t;
}

enum ww_tls_state ww_tls_state(const struct ww_tls *t)
{
	return t->state;
}

const char *ww_tls_error(const struct ww_tls *t)
{
	return t->state == WW_TLSS_FAILED ? t->err : "";
}

long ww_tls_write(struct ww_tls *t, const uint8_t *p, size_t n, uint64_t now_ns)
{
	struct ww_tcb *c = ww_tls_tcb(t);
	if (t->state == WW_TLSS_HANDSHAKE)
		return 0;
	if (t->state != WW_TLSS_OPEN || t->closing || !c)
		return -1;
	if (c->state != WW_TCPS_ESTABLISHED && c->state != WW_TCPS_CLOSE_WAIT)
		return -1;
	t->now = now_ns;
	flush(t, c, now_ns);
	size_t space = ww_tcp_send_space(c);
	if (t->out_len || !space || !n)
		return 0;
	size_t take = n < space ? n : space, done = 0;
	ERR_clear_error();
	int ok = SSL_write_ex(t->ssl, p, take, &done);
	flush_record(t);
	flush(t, c, now_ns);
	if (!ok) {
		int e = SSL_get_error(t->ssl, 0);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			return 0;
		ssl_failed(t, c, now_ns);
		return -1;
	}
	t->bytes_written += done;
	return (long)done;
}

size_t ww_tls_read(struct ww_tls *t, uint8_t *buf, size_t cap, uint64_t now_ns)
{
	size_t n = t->plain_len < cap ? t->plain_len : cap;
	if (n) {
		memcpy(buf, t->plain + t->plain_head, n);
		t->plain_head += n;
		t->plain_len -= n;
		if (!t->plain_len)
			t->plain_head = 0;
	}
	pump(t, now_ns); /* room was made: take more from the TCP */
	return n;
}

size_t ww_tls_readable(const struct ww_tls *t)
{
	return t->plain_len;
}

bool ww_tls_eof(const struct ww_tls *t)
{
	return t->close_notify_in || t->tcp_eof || t->state == WW_TLSS_FAILED;
}

bool ww_tls_close_notify_received(const struct ww_tls *t)
{
	return t->close_notify_in;
}

uint64_t ww_tls_bytes_written(const struct ww_tls *t)
{
	return t->bytes_written;
}

size_t ww_tls_unsent(const struct ww_tls *t)
{
	return t->out_len + BIO_ctrl_pending(t->wbio);
}

int ww_tls_close(struct ww_tls *t, uint64_t now_ns)
{
	struct ww_tcb *c = ww_tls_tcb(t);
	if (t->closing || t->state == WW_TLSS_FAILED || t->state == WW_TLSS_CLOSED)
		return -1;
	t->now = now_ns;
	t->closing = true;
	if (t->state == WW_TLSS_OPEN) {
		ERR_clear_error();
		SSL_shutdown(t->ssl); /* close_notify; the server's comes in reading */
		ERR_clear_error();
		flush_record(t);
	}
	t->state = WW_TLSS_CLOSED;
	t->fin_after_out = true;
	flush(t, c, now_ns);
	return 0;
}

void ww_tls_show_data(struct ww_tls *t, bool on)
{
	t->quiet_data = !on;
}

void ww_tls_set_notify(struct ww_tls *t, ww_tls_notify fn, void *arg)
{
	t->notify = fn;
	t->notify_arg = arg;
}

void ww_tls_free(struct ww_tls *t)
{
	if (!t)
		return;
	struct ww_tcb *c = t->host ? ww_tls_tcb(t) : NULL;
	if (c && c->notify_arg == t)
		ww_tcp_set_notify(c, NULL, NULL);
	/* Closed but records still waiting for room: the FIN goes all the
	 * same (what the TCP did not take is lost with us). */
	if (c && t->fin_after_out) {
		flush(t, c, t->now);
		if (t->fin_after_out)
			ww_tcp_close(c, t->now);
	}
	if (t->ssl)
		SSL_free(t->ssl); /* and the BIOs it holds */
	else {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
	}
	free(t->plain);
	free(t->out);
	free(t);
}

/* ---- what it is ------------------------------------------------------------------------------- */

void ww_tls_info(const struct ww_tls *t, struct ww_tls_info *i)
{
	memset(i, 0, sizeof *i);
	snprintf(i->sni, sizeof i->sni, "%s", t->name);
	i->records_in = t->records_in;
	i->records_out = t->records_out;
	if (t->state == WW_TLSS_HANDSHAKE || !SSL_is_init_finished(t->ssl))
		return;
	int v = SSL_version(t->ssl);
	snprintf(i->version, sizeof i->version, "%s", v == TLS1_3_VERSION ? "TLS 1.3"
		 : v == TLS1_2_VERSION ? "TLS 1.2" : SSL_get_version(t->ssl));
	const SSL_CIPHER *ci = SSL_get_current_cipher(t->ssl);
	if (ci)
		snprintf(i->cipher, sizeof i->cipher, "%s", SSL_CIPHER_standard_name(ci));
	const unsigned char *a;
	unsigned alen;
	SSL_get0_alpn_selected(t->ssl, &a, &alen);
	if (a && alen < sizeof i->alpn)
		snprintf(i->alpn, sizeof i->alpn, "%.*s", (int)alen, (const char *)a);
	i->resumed = SSL_session_reused(t->ssl);
	i->handshake_ns = t->handshake_ns;
	int g = SSL_get_negotiated_group(t->ssl);
	const char *gn = g > 0 ? SSL_group_to_name(t->ssl, g) : NULL;
	snprintf(i->group, sizeof i->group, "%s", gn ? gn : "");
	SSL_SESSION *s = SSL_get_session(t->ssl);
	if (s) {
		unsigned idlen;
		const unsigned char *id = SSL_SESSION_get_id(s, &idlen);
		for (unsigned k = 0; k < idlen && k < 32; k++)
			snprintf(i->session_id + 2 * k, 3, "%02x", id[k]);
		i->ticket = SSL_SESSION_is_resumable(s);
	}
	i->verified = SSL_get_verify_result(t->ssl) == X509_V_OK;
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(t->ssl);
	for (int k = 0; chain && k < sk_X509_num(chain) && i->ncerts < WW_TLS_MAX_CERTS; k++)
		tls_cert_from_x509(sk_X509_value(chain, k), &i->cert[i->ncerts++]);
}
