/* The stack's state by name, for `Check: state NAME OP VALUE`: one table
 * of the names lessons may use, each with a provider that lists the
 * entries (key, value) as they are now. Modules that come later (TLS,
 * HTTP) fill their rows through ww_lesson_state_register; a name is known
 * to the parser before it has a provider, so lessons can be written
 * against it. */
#include "ww/lesson.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ww/arpcache.h"
#include "ww/dns.h"
#include "ww/eth.h"
#include "ww/ipv4.h"
#include "ww/resolver.h"
#include "ww/route.h"
#include "ww/session.h"
#include "ww/stack.h"
#include "ww/tcpconn.h"

void ww_lesson_state_add(struct ww_lesson_state_values *out, const char *key, const char *fmt,
			 ...)
{
	if (out->n == WW_LESSON_STATE_MAX_ENTRIES) {
		out->truncated = true;
		return;
	}
	struct ww_lesson_state_entry *e = &out->e[out->n++];
	snprintf(e->key, sizeof e->key, "%s", key ? key : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->value, sizeof e->value, fmt, ap);
	va_end(ap);
}

static struct ww_stack *need_stack(const struct ww_lesson_evidence *ev, char *err, size_t errlen)
{
	if (!ev->session) {
		snprintf(err, errlen, "no live session: the stack's state is not there to look at");
		return NULL;
	}
	struct ww_stack *st = ww_session_stack(ev->session);
	if (!st)
		snprintf(err, errlen, "this session has no stack");
	return st;
}

static uint64_t now_of(const struct ww_lesson_evidence *ev)
{
	return ev->now_ns ? ev->now_ns : ww_session_now(ev->session);
}

/* ---- ARP -------------------------------------------------------------- */

static int arp_entries(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		       char *err, size_t errlen, bool states)
{
	struct ww_stack *st = need_stack(ev, err, errlen);
	if (!st)
		return -1;
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++) {
		const struct ww_arp_entry *e = ww_stack_arp_at(st, i);
		if (!e || e->state == WW_ARP_FREE)
			continue;
		char ip[16], mac[18];
		ww_ipv4_str(e->ip, ip);
		if (states)
			ww_lesson_state_add(out, ip, "%s", ww_arp_state_name(e->state));
		else if (e->state == WW_ARP_REACHABLE || e->state == WW_ARP_STALE)
			ww_lesson_state_add(out, ip, "%s", ww_mac_str(e->mac, mac));
	}
	return 0;
}

static int arp_cache(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		     char *err, size_t errlen)
{
	return arp_entries(ev, out, err, errlen, false);
}

static int arp_state(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		     char *err, size_t errlen)
{
	return arp_entries(ev, out, err, errlen, true);
}

/* ---- TCP -------------------------------------------------------------- */

static struct ww_tcp_host *need_tcp(const struct ww_lesson_evidence *ev, char *err,
				    size_t errlen)
{
	if (!need_stack(ev, err, errlen))
		return NULL;
	struct ww_tcp_host *h = ww_session_tcp(ev->session);
	if (!h)
		snprintf(err, errlen, "this session has no TCP");
	return h;
}

static int tcp_state(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		     char *err, size_t errlen)
{
	struct ww_tcp_host *h = need_tcp(ev, err, errlen);
	if (!h)
		return -1;
	struct ww_tcb *c;
	for (size_t i = 0; (c = ww_tcp_at(h, i)); i++) {
		char ip[16], key[32];
		snprintf(key, sizeof key, "%s:%u", ww_ipv4_str(c->rip, ip), c->rport);
		ww_lesson_state_add(out, key, "%s", ww_tcp_state_name(c->state));
	}
	return 0;
}

static int tcp_count(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		     char *err, size_t errlen)
{
	struct ww_tcp_host *h = need_tcp(ev, err, errlen);
	if (!h)
		return -1;
	struct ww_tcb *c;
	unsigned n = 0;
	for (size_t i = 0; (c = ww_tcp_at(h, i)); i++)
		n += c->state != WW_TCPS_CLOSED;
	ww_lesson_state_add(out, "", "%u", n);
	return 0;
}

/* ---- DNS -------------------------------------------------------------- */

static int dns_entries(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		       char *err, size_t errlen, bool ttl)
{
	if (!need_stack(ev, err, errlen))
		return -1;
	struct ww_resolver *r = ww_session_resolver(ev->session);
	if (!r) {
		snprintf(err, errlen, "this session has no DNS resolver");
		return -1;
	}
	uint64_t now = now_of(ev);
	size_t n = ww_resolver_cache_count(r, now);
	for (size_t i = 0; i < n; i++) {
		struct ww_cache_entry_view v;
		if (ww_resolver_cache_at(r, i, now, &v) < 0)
			break;
		char name[WW_LESSON_STATE_KEY_MAX];
		ww_dns_name_text(v.name, WW_DNS_NAME_PLAIN, name, sizeof name);
		if (ttl) {
			ww_lesson_state_add(out, name, "%u", v.ttl_left);
			continue;
		}
		if (v.kind != WW_CACHE_POSITIVE) {
			ww_lesson_state_add(out, name, "%s",
					    v.kind == WW_CACHE_NXDOMAIN ? "NXDOMAIN" : "NODATA");
			continue;
		}
		for (unsigned k = 0; k < v.nrr; k++) {
			char data[WW_LESSON_STATE_VALUE_MAX];
			size_t len = ww_dns_rdata_text(&v.rrs[k], data, sizeof data);
			/* Names in rdata end in '.', as dig shows them; lessons
			 * write them without, as everywhere else. */
			if (len && len < sizeof data && data[len - 1] == '.')
				data[len - 1] = '\0';
			ww_lesson_state_add(out, name, "%s", data);
		}
	}
	return 0;
}

static int dns_cache(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		     char *err, size_t errlen)
{
	return dns_entries(ev, out, err, errlen, false);
}

static int dns_ttl(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		   char *err, size_t errlen)
{
	return dns_entries(ev, out, err, errlen, true);
}

/* ---- routes ----------------------------------------------------------- */

static int routes(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		  char *err, size_t errlen)
{
	struct ww_stack *st = need_stack(ev, err, errlen);
	if (!st)
		return -1;
	const struct ww_route_table *t = ww_stack_routes(st);
	for (size_t i = 0; i < t->n; i++) {
		char net[16], gw[16], key[24];
		snprintf(key, sizeof key, "%s/%u", ww_ipv4_str(t->r[i].net, net), t->r[i].prefix);
		ww_lesson_state_add(out, key, "%s",
				    t->r[i].gw ? ww_ipv4_str(t->r[i].gw, gw) : "on-link");
	}
	return 0;
}

/* ---- the table -------------------------------------------------------- */

#define BUILTIN 9
#define EXTRA 16

static struct ww_lesson_state table[BUILTIN + EXTRA] = {
	{ "arp.cache", "IP -> MAC of the ARP cache's reachable and stale entries", arp_cache },
	{ "arp.state", "IP -> incomplete, reachable or stale", arp_state },
	{ "tcp.state", "PEER-IP:PORT -> ESTABLISHED, SYN-SENT, ... of each connection", tcp_state },
	{ "tcp.count", "the number of TCP connections not CLOSED", tcp_count },
	{ "dns.cache", "NAME -> each cached record's data, NXDOMAIN or NODATA", dns_cache },
	{ "dns.ttl", "NAME -> seconds left in the DNS cache", dns_ttl },
	{ "route", "DEST/PREFIX -> gateway, or on-link", routes },
	{ "tls.version", "PEER-IP:PORT -> the TLS version agreed (TLSv1.3)", NULL },
	{ "http.status", "URL -> the status code of the last response", NULL },
};
static size_t ntable = BUILTIN;

const struct ww_lesson_state *ww_lesson_state_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ntable; i++)
		if (strlen(table[i].name) == len && !memcmp(table[i].name, name, len))
			return &table[i];
	return NULL;
}

const struct ww_lesson_state *ww_lesson_state_at(size_t i)
{
	return i < ntable ? &table[i] : NULL;
}

static bool name_ok(const char *name)
{
	const char *dot = strchr(name, '.');
	if (!dot || dot == name || !dot[1])
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_'))
			return false;
	return true;
}

int ww_lesson_state_register(const char *name, const char *help, ww_lesson_state_fn fn)
{
	if (!name || !fn || !name_ok(name))
		return -1;
	for (size_t i = 0; i < ntable; i++) {
		if (!strcmp(table[i].name, name)) {
			table[i].fn = fn;
			if (help)
				table[i].help = help;
			return 0;
		}
	}
	if (ntable == BUILTIN + EXTRA)
		return -1;
	table[ntable++] = (struct ww_lesson_state){ name, help ? help : "", fn };
	return 0;
}
