/* fetch's connection steps (ARP for the next hop, the TCP handshake, the
 * TLS handshake) and the timeline printed at the end. */
#include <string.h>

#include "fetch_int.h"
#include "web_state.h"
#include "ww/arpcache.h"
#include "ww/eth.h"
#include "ww/ipv4.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "ww/stack.h"
#include "ww/tcpconn.h"
#include "ww/tls.h"

#define TLS_HANDSHAKE_NS (10 * 1000000000ull)

struct arp_wait {
	const struct ww_stack *st;
	uint32_t ip;
};

static bool arp_known(void *arg)
{
	const struct arp_wait *w = arg;
	const struct ww_arp_entry *e = ww_stack_arp_entry(w->st, w->ip);
	return !e || e->state != WW_ARP_INCOMPLETE;
}

int fetch_arp(struct fetch *f, uint32_t next_hop)
{
	struct ww_stack *st = ww_session_stack(f->s);
	char a[16], m[18];
	uint8_t mac[6];
	uint64_t now = ww_session_now(f->s);
	int r = ww_stack_arp_resolve(st, next_hop, now);
	if (r == 1 && ww_stack_arp_lookup(st, next_hop, mac) == 0) {
		fprintf(f->sh->out, "%s is at %s: from the ARP cache, no frame needed\n",
			ww_ipv4_str(next_hop, a), ww_mac_str(mac, m));
		return WW_EXIT_OK;
	}
	if (r < 0)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: %s is not on our link: it cannot be "
				      "asked by ARP", ww_ipv4_str(next_hop, a));
	struct arp_wait w = { st, next_hop };
	r = ww_session_until(f->s, arp_known, &w, now + WW_ARP_RETRY_NS * WW_ARP_MAX_TRIES + 50000000u);
	if (r < 0)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: interrupted");
	if (ww_stack_arp_lookup(st, next_hop, mac) != 0)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: no ARP reply from %s",
				      ww_ipv4_str(next_hop, a));
	fprintf(f->sh->out, "%s is at %s: asked by broadcast, answered in %.3f ms\n",
		ww_ipv4_str(next_hop, a), ww_mac_str(mac, m),
		(double)(ww_session_now(f->s) - now) / 1e6);
	return WW_EXIT_OK;
}

int fetch_tcp(struct fetch *f)
{
	struct ww_tcb *c;
	int rc = ww_shell_tcp_open(f->sh, "fetch", f->ip, f->url.port, 0, &c);
	if (rc != WW_EXIT_OK)
		return rc;
	snprintf(f->sh->tcp_host, sizeof f->sh->tcp_host, "%s", f->url.host);
	f->st = (struct http_stream){ .s = f->s, .c = c };
	return WW_EXIT_OK;
}

static bool tls_settled(void *arg)
{
	const struct ww_tls *t = arg;
	return ww_tls_state(t) != WW_TLSS_HANDSHAKE;
}

int fetch_tls(struct fetch *f)
{
	uint64_t t0 = ww_session_now(f->s);
	struct ww_tls_ctx *x = ww_shell_tls_ctx(f->sh, "fetch");
	if (!x)
		return WW_EXIT_FAIL;
	struct ww_tls *t = ww_tls_new(x, f->st.c, f->url.host, "http/1.1", ww_session_event, f->s,
				      ww_session_now(f->s));
	if (!t)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: TLS: out of memory");
	f->st.tls = t;
	/* The first connection also pays for OpenSSL's context (the CA
	 * read, the defaults loaded) and every one for its key share: time
	 * on our side before the ClientHello leaves, said apart. */
	uint64_t setup = ww_session_now(f->s) - t0;
	int r = ww_session_until(f->s, tls_settled, t, t0 + TLS_HANDSHAKE_NS);
	if (r < 0)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: interrupted");
	if (ww_tls_state(t) != WW_TLSS_OPEN)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: TLS with %s failed: %s", f->url.host,
				      r == 0 ? "no handshake in time" : ww_tls_error(t));
	struct ww_tls_info i;
	ww_tls_info(t, &i);
	ww_web_note_tls(f->st.c->rip, f->st.c->rport, i.version);
	fprintf(f->sh->out, "TLS: %s, %s, ALPN %s%s, in %.3f ms (%.3f ms of it here, preparing "
		"OpenSSL and the ClientHello)\n", i.version, i.cipher, i.alpn[0] ? i.alpn : "none",
		i.resumed ? ", session resumed" : "", (double)(ww_session_now(f->s) - t0) / 1e6,
		(double)setup / 1e6);
	return WW_EXIT_OK;
}

void fetch_drop_connection(struct fetch *f)
{
	if (!f->st.c)
		return;
	http_stream_close(f->sh, &f->st);
	if (f->st.tls)
		ww_tls_free(f->st.tls);
	f->st = (struct http_stream){ 0 };
	f->origin[0] = 0;
}

/* One row: the phase, its milliseconds, and a bar placed on the time axis
 * as the network panel draws it. */
static void row(FILE *out, const char *name, uint64_t start, uint64_t len, uint64_t total)
{
	enum { WIDTH = 40 };
	unsigned from = total ? (unsigned)(start * WIDTH / total) : 0;
	unsigned n = total ? (unsigned)((len * WIDTH + total - 1) / total) : 0;
	if (from + n > WIDTH)
		n = WIDTH - from;
	fprintf(out, "  %-30s %9.3f ms  |%*s", name, (double)len / 1e6, (int)from, "");
	for (unsigned i = 0; i < n; i++)
		fputs("#", out);
	fprintf(out, "%*s|\n", (int)(WIDTH - from - n), "");
}

void fetch_timeline(const struct fetch *f)
{
	FILE *out = f->sh->out;
	const struct fetch_timeline *t = &f->tl;
	if (!f->timed)
		return;
	fprintf(out, "\ntimeline of the page's first request (as a browser's developer tools show it):\n");
	uint64_t at = 0, total = t->total;
	row(out, "DNS lookup", at, t->dns, total);
	at += t->dns;
	row(out, "route and ARP", at, t->stalled, total);
	at += t->stalled;
	row(out, "TCP connect", at, t->connect, total);
	at += t->connect;
	if (t->tls) {
		row(out, "TLS handshake", at, t->tls, total);
		at += t->tls;
	}
	row(out, "request sent", at, t->send, total);
	at += t->send;
	row(out, "waiting (TTFB)", at, t->wait, total);
	at += t->wait;
	row(out, "content download", at, t->download, total);
	at += t->download;
	if (total > at)
		row(out, "then: redirects, subresources", at, total - at, total);
	fprintf(out, "  %-30s %9.3f ms   (everything: %u request%s)\n", "total", (double)total / 1e6,
		f->nrequests, f->nrequests == 1 ? "" : "s");
}
