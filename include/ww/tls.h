/* TLS (RFC 8446 for 1.3, RFC 5246 for 1.2) through OpenSSL over our own
 * TCP. OpenSSL never touches a socket: it reads and writes two memory
 * BIOs; the bytes the TCP delivered are put into the one, and after every
 * SSL call what OpenSSL wrote into the other is handed to ww_tcp_send, or
 * records would stall until the next ACK.
 *
 * Like the TCP, a TLS connection is pure: no clock (NOW comes in), no
 * printing. It is driven by the TCP's notify callback (data arrived, the
 * state changed, the send buffer drained), so whoever waits with
 * ww_session_until sees the handshake move on, and it reports to the
 * event listener, the same stream the frames go to:
 *
 *   WW_EV_INFO   "TLS → record: handshake (22), TLS 1.0, 512 bytes"
 *                "TLS → ClientHello: ..." (every record, every handshake
 *                message, every alert, from OpenSSL's message callback,
 *                so they interleave with the frames that carry them)
 *   WW_EV_STATE  "TLS on TCP 1: handshake done: TLS 1.3, ..."
 *   WW_EV_ERROR  "TLS on TCP 1: handshake failed: certificate ..."
 *
 * The second half of this header is the describer the events use: it
 * reads record headers and handshake messages (bounds-checked, pure) and
 * says what is in them. */
#ifndef WW_TLS_H
#define WW_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/event.h"
#include "ww/tls_record.h"

struct ww_tcb;

/* ---- the context: one per shell ------------------------------------------ */

/* The SSL_CTX, the version limits, the CAs trusted, the key log and the
 * sessions kept for resumption (one per host and port, the latest). */
struct ww_tls_ctx;

struct ww_tls_ctx_opts {
	int version;             /* 0: TLS 1.2 or 1.3; 12 or 13: exactly that */
	const char *ca_file;     /* PEM to trust (the lab CA); NULL: the system store */
	const char *ca_pem;      /* or PEM text to trust (tests); used when ca_file is NULL */
	const char *keylog_path; /* NSS key log, appended (SSLKEYLOGFILE format); NULL: none */
};

/* NULL with ERR for a person when the CA file or the key log cannot be
 * opened, or OpenSSL fails. */
struct ww_tls_ctx *ww_tls_ctx_new(const struct ww_tls_ctx_opts *o, char *err, size_t errlen);
/* 0, 12, 13: for connections made from now on. 0, or -1 for another value. */
int ww_tls_ctx_set_version(struct ww_tls_ctx *x, int version);
int ww_tls_ctx_version(const struct ww_tls_ctx *x);
/* Forget the session kept for HOST:PORT (the next connection makes a
 * full handshake); every session when HOST is NULL. */
void ww_tls_ctx_forget(struct ww_tls_ctx *x, const char *host, uint16_t port);
void ww_tls_ctx_free(struct ww_tls_ctx *x);

/* ---- a connection ----------------------------------------------------------- */

struct ww_tls;

enum ww_tls_state {
	WW_TLSS_HANDSHAKE, /* ClientHello sent (or queued), waiting for the server */
	WW_TLSS_OPEN,      /* application data can flow */
	WW_TLSS_CLOSED,    /* we closed it (ww_tls_close), or the TCP ended cleanly */
	WW_TLSS_FAILED,    /* the handshake failed or the connection broke: ww_tls_error */
};
const char *ww_tls_state_name(enum ww_tls_state s);

/* Client TLS on connection C (it may still be in SYN-SENT: the
 * ClientHello is queued and goes after the TCP handshake). HOST is both
 * the SNI and the name verified (an IPv4 address: no SNI, the address is
 * checked); ALPN e.g. "http/1.1", or NULL. Takes over C's notify. A
 * session kept for HOST and C's port is offered for resumption. NULL if
 * out of memory (an WW_EV_ERROR says so). */
struct ww_tls *ww_tls_new(struct ww_tls_ctx *x, struct ww_tcb *c, const char *host,
			  const char *alpn, ww_event_fn ev, void *ev_arg, uint64_t now_ns);
enum ww_tls_state ww_tls_state(const struct ww_tls *t);
/* Why it FAILED, for a person ("certificate not trusted: ..."); "" otherwise. */
const char *ww_tls_error(const struct ww_tls *t);

/* Encrypt up to N bytes of plaintext and queue the records on the TCP.
 * Returns how many were taken: fewer (0 too) while the TCP's send buffer
 * is full or the handshake is not done yet (wait and call again), -1 when
 * it can send no more (closed, failed). */
long ww_tls_write(struct ww_tls *t, const uint8_t *p, size_t n, uint64_t now_ns);
/* Decrypted bytes, up to CAP. Reading makes room: more is then taken
 * from the TCP (whose window opens in turn). */
size_t ww_tls_read(struct ww_tls *t, uint8_t *buf, size_t cap, uint64_t now_ns);
/* Decrypted bytes waiting for ww_tls_read. */
size_t ww_tls_readable(const struct ww_tls *t);
/* No more data will come beyond what is readable: the server's
 * close_notify, or the TCP's FIN (without close_notify: a truncation,
 * reported), or the connection failed. */
bool ww_tls_eof(const struct ww_tls *t);
/* The server's close_notify came (an orderly end, not a truncation). */
bool ww_tls_close_notify_received(const struct ww_tls *t);
/* Plaintext bytes taken, records bytes handed to the TCP, so far. */
uint64_t ww_tls_bytes_written(const struct ww_tls *t);
/* TLS bytes (records) not yet accepted by the TCP's send buffer. */
size_t ww_tls_unsent(const struct ww_tls *t);
/* close_notify, then the TCP's FIN (after every record queued). Reading
 * goes on: the server's close_notify and last bytes are still taken in.
 * 0, or -1 if closed already. */
int ww_tls_close(struct ww_tls *t, uint64_t now_ns);
/* The TCP connection under it; NULL once the TCP has forgotten it. */
struct ww_tcb *ww_tls_tcb(const struct ww_tls *t);
/* Called after every change a user may wait for (handshake done,
 * data decrypted, closed, failed), from the TCP's notify. */
typedef void (*ww_tls_notify)(void *arg, struct ww_tls *t, uint64_t now_ns);
void ww_tls_set_notify(struct ww_tls *t, ww_tls_notify fn, void *arg);
/* Whether records of application data are reported (on by default).
 * Off: only the handshake's records, the alerts and the state changes
 * are, so a large download does not print a line per 16 KB record. */
void ww_tls_show_data(struct ww_tls *t, bool on);
/* Frees the TLS state and gives C its notify back (none). The TCP is
 * left as it is: close it first (ww_tls_close) for an orderly end. */
void ww_tls_free(struct ww_tls *t);

/* One certificate of the server's chain. */
#define WW_TLS_MAX_CERTS 4
struct ww_tls_cert {
	char subject[160], issuer[160];
	char not_before[32], not_after[32]; /* "2026-11-21 05:00:00 UTC" */
	char sans[256];                     /* "example.com, www.example.com" */
	char key[32];                       /* "EC P-256", "RSA 2048" */
};

struct ww_tls_info {
	char version[16];        /* "TLS 1.3" */
	char cipher[64];         /* IANA name: "TLS_AES_256_GCM_SHA384" */
	char alpn[32];           /* "http/1.1", "" if none agreed */
	char sni[256];           /* the name sent and verified */
	bool resumed;            /* an abbreviated handshake from a kept session */
	uint64_t handshake_ns;   /* ww_tls_new to the handshake's end */
	char group[32];          /* the key exchange's group: "x25519" */
	char session_id[65];     /* hex; TLS 1.3 keeps it only for middleboxes */
	bool ticket;             /* the session is resumable (a ticket or an id kept) */
	bool verified;           /* the chain ends at a trusted CA and names SNI */
	unsigned ncerts;         /* the chain as the server sent it, leaf first */
	struct ww_tls_cert cert[WW_TLS_MAX_CERTS];
	unsigned records_in, records_out; /* records seen, handshake included */
};
/* What is known so far (empty strings before the handshake's end). */
void ww_tls_info(const struct ww_tls *t, struct ww_tls_info *i);

/* ---- the describer (tls_show.c): what the bytes say --------------------------- */

/* The record and handshake formats, their names (ww_tls_cipher_name...)
 * and the record parser are the wire module's: ww/tls_record.h. */

/* What a person reads about one message: lines separated by '\n', the
 * first a summary ("ClientHello: ..."), the rest details, each already
 * wrapped to about 100 columns. */
struct ww_tls_text {
	char buf[4096];
	size_t len;
	bool cut; /* it did not fit: the end is missing */
};

/* A whole handshake message (type, 24-bit length, body) as OpenSSL's
 * message callback hands it over. TLS13: the version in force (the
 * Certificate and NewSessionTicket messages differ). 0, or -1 with *ERR
 * naming the field that is wrong; OUT then holds what could be read and
 * why it stopped. */
int ww_tls_describe_handshake(const uint8_t *p, size_t n, bool tls13, struct ww_tls_text *out,
			      struct ww_error *err);
/* An alert (level, description), a change_cipher_spec, a record header. */
int ww_tls_describe_alert(const uint8_t *p, size_t n, struct ww_tls_text *out,
			  struct ww_error *err);
int ww_tls_describe_ccs(const uint8_t *p, size_t n, bool tls13, struct ww_tls_text *out,
			struct ww_error *err);
int ww_tls_describe_record(const uint8_t *p, size_t n, struct ww_tls_text *out,
			   struct ww_error *err);

/* One certificate (DER) for a person; 0, or -1 if it does not parse. */
int ww_tls_cert_from_der(const uint8_t *der, size_t n, struct ww_tls_cert *c);

#endif
