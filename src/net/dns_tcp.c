/* DNS over TCP for the resolver (see ww/dns_tcp.h). Each exchange owns
 * one connection: the query with its length prefix is queued at once (it
 * goes out after the handshake), the answer is gathered as TCP delivers
 * it, and the connection is closed when the answer is whole. */
#include <stdlib.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/dns_tcp.h"
#include "ww/resolver.h"
#include "ww/tcpconn.h"

#define DNS_TCP_MAX 65535 /* the length prefix's reach */

struct exchange {
	struct exchange *next;
	struct ww_dns_tcp *d;
	struct ww_lookup *l;
	struct ww_tcb *c;
	uint8_t *buf;        /* prefix and message as they arrive */
	size_t len;
};

struct ww_dns_tcp {
	struct ww_tcp_host *h;
	struct ww_resolver *r;
	struct exchange *list;
};

static void unlink_exchange(struct exchange *x)
{
	for (struct exchange **p = &x->d->list; *p; p = &(*p)->next) {
		if (*p == x) {
			*p = x->next;
			return;
		}
	}
}

/* Take X off the list and close its connection in order; the caller
 * frees X. */
static void detach(struct exchange *x, uint64_t now)
{
	unlink_exchange(x);
	ww_tcp_set_notify(x->c, NULL, NULL);
	if (x->c->state != WW_TCPS_CLOSED)
		ww_tcp_close(x->c, now);
}

/* Hand the lookup its answer (MSG NULL: the exchange failed) and end the
 * exchange. Detached first: the resolver cancels the lookup's TCP wait
 * while it takes the answer, and that must find nothing. */
static void finish(struct exchange *x, const uint8_t *msg, size_t len, uint64_t now)
{
	detach(x, now);
	struct ww_lookup *l = x->l;
	uint8_t *buf = x->buf;
	free(x);
	ww_resolver_tcp_answer(l, msg, len, now);
	free(buf);
}

/* An exchange nobody waits for any more. */
static void drop(struct exchange *x, uint64_t now)
{
	detach(x, now);
	free(x->buf);
	free(x);
}

static void on_tcp(void *arg, struct ww_tcb *c, uint64_t now)
{
	struct exchange *x = arg;
	if (!x->l) {
		drop(x, now);
		return;
	}
	size_t n;
	while ((n = ww_tcp_readable(c)) > 0) {
		size_t room = 2 + DNS_TCP_MAX - x->len;
		if (n > room)
			n = room;
		if (n == 0)
			break;
		x->len += ww_tcp_recv(c, x->buf + x->len, n, now);
	}
	if (x->len >= 2) {
		size_t want = ww_get16(x->buf);
		if (x->len >= 2 + want) {
			finish(x, x->buf + 2, want, now);
			return;
		}
	}
	if (c->state == WW_TCPS_CLOSED || ww_tcp_fin_received(c))
		finish(x, NULL, 0, now);
}

static int query(void *arg, struct ww_lookup *l, uint32_t server, uint16_t port,
		 const uint8_t *msg, size_t len, uint64_t now)
{
	struct ww_dns_tcp *d = arg;
	if (len > DNS_TCP_MAX)
		return -1;
	struct exchange *x = calloc(1, sizeof *x);
	uint8_t *out = malloc(2 + len);
	if (x)
		x->buf = malloc(2 + DNS_TCP_MAX);
	if (!x || !out || !x->buf)
		goto fail;
	x->c = ww_tcp_connect(d->h, server, port, 0, now);
	if (!x->c)
		goto fail;
	ww_put16(out, (uint16_t)len);
	memcpy(out + 2, msg, len);
	if (ww_tcp_send(x->c, out, 2 + len, now) != (long)(2 + len)) {
		ww_tcp_abort(x->c, now);
		goto fail;
	}
	free(out);
	x->d = d;
	x->l = l;
	x->next = d->list;
	d->list = x;
	ww_tcp_set_notify(x->c, on_tcp, x);
	return 0;
fail:
	free(out);
	if (x)
		free(x->buf);
	free(x);
	return -1;
}

/* The lookup is gone: its exchange is closed at the connection's next
 * event (the cancel comes without a clock to close it now). */
static void cancel(void *arg, struct ww_lookup *l)
{
	struct ww_dns_tcp *d = arg;
	for (struct exchange *x = d->list; x; x = x->next)
		if (x->l == l)
			x->l = NULL;
}

struct ww_dns_tcp *ww_dns_tcp_new(struct ww_tcp_host *h, struct ww_resolver *r)
{
	struct ww_dns_tcp *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->h = h;
	d->r = r;
	struct ww_resolver_tcp_hook hook = { .query = query, .cancel = cancel, .arg = d };
	ww_resolver_set_tcp(r, &hook);
	return d;
}

void ww_dns_tcp_free(struct ww_dns_tcp *d)
{
	if (!d)
		return;
	ww_resolver_set_tcp(d->r, NULL);
	while (d->list) {
		struct exchange *x = d->list;
		d->list = x->next;
		ww_tcp_set_notify(x->c, NULL, NULL);
		free(x->buf);
		free(x);
	}
	free(d);
}
