/* Between the TLS context (tls_ctx.c), the connection (tls.c) and the
 * describer (tls_show.c, tls_cert.c). */
#ifndef WW_TLS_INT_H
#define WW_TLS_INT_H

#include <stdarg.h>
#include <stdio.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ww/tls.h"

/* Sessions kept for resumption: one per host and port, the latest. */
#define TLS_KEPT_MAX 16

struct tls_kept {
	char host[256];
	uint16_t port;
	SSL_SESSION *sess;
};

struct ww_tls_ctx {
	SSL_CTX *ssl;
	int version;            /* 0, 12, 13 */
	FILE *keylog;
	char trust[300];        /* what we trust, for messages: "the CAs in FILE" */
	struct tls_kept kept[TLS_KEPT_MAX];
	unsigned next_kept;     /* the slot the next new host takes when all are used */
};

/* Subject, issuer, validity, names and key of X for a person. */
void tls_cert_from_x509(X509 *x, struct ww_tls_cert *c);

/* The session kept for HOST:PORT that the context's versions allow, or
 * NULL. The context keeps its reference. */
SSL_SESSION *tls_ctx_session(struct ww_tls_ctx *x, const char *host, uint16_t port);
/* Keep SESS for HOST:PORT (the reference passes to the context). */
void tls_ctx_keep(struct ww_tls_ctx *x, const char *host, uint16_t port, SSL_SESSION *sess);

/* A new session arrived on SSL (the context's callback calls this in
 * tls.c: it knows the host and port). Returns 1 when it kept SESS. */
int tls_on_new_session(SSL *ssl, SSL_SESSION *sess);
/* The verify callback (tls.c): notes the first error for the message. */
int tls_on_verify(int ok, X509_STORE_CTX *sc);

/* ---- the text a describer writes (tls_text.c) ---------------------------- */

struct tls_tx {
	struct ww_tls_text *o;
	size_t line_start;   /* where the current line begins in o->buf */
	unsigned items;      /* items on the current list so far */
	const char *cont;    /* the indentation of a list's continuation lines */
};

void tls_tx_init(struct tls_tx *t, struct ww_tls_text *o);
void tls_tx_vadd(struct tls_tx *t, const char *fmt, va_list ap);
void tls_tx_add(struct tls_tx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new line (the first one needs no break). */
void tls_tx_line(struct tls_tx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One item of a comma-separated list, wrapped under t->cont. */
void tls_tx_item(struct tls_tx *t, const char *s);
/* Put HEAD (a line or several) at AT, in front of what was written from
 * there on: a summary that needs what the details said. */
void tls_tx_insert(struct tls_tx *t, size_t at, const char *head);
/* 0 if the cursor read cleanly; else the text says where it stopped,
 * *ERR (may be NULL) gets the cursor's error, and -1. */
int tls_tx_finish(struct ww_cursor *c, struct tls_tx *t, struct ww_error *err);

/* By value, so two can sit in one printf (C11 §6.2.4: the array lives
 * to the end of the full expression). */
struct tls_vname {
	char s[16];
};

struct tls_vname tls_vname(uint16_t v);

#endif
