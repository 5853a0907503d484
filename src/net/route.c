/* The routing table: longest-prefix match (RFC 1812 §5.2.4.3). A handful
 * of entries, searched in full: the explanation for a person walks every
 * entry anyway, and a linear scan says plainly what the rule is. */
#include "ww/route.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/ipv4.h"

uint32_t ww_prefix_mask(uint8_t prefix)
{
	if (prefix == 0)
		return 0;
	if (prefix >= 32)
		return 0xffffffffu;
	return 0xffffffffu << (32 - prefix);
}

int ww_prefix_parse(const char *s, uint32_t *net, uint8_t *prefix)
{
	char addr[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof addr)
		return -1;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (ww_ipv4_parse_addr(addr, net) < 0)
		return -1;
	if (!slash) {
		*prefix = 32;
		return 0;
	}
	const char *p = slash + 1;
	if (*p < '0' || *p > '9')
		return -1;
	unsigned v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > 32)
			return -1;
	}
	if (*p)
		return -1;
	*prefix = (uint8_t)v;
	return 0;
}

const char *ww_route_origin_name(enum ww_route_origin o)
{
	switch (o) {
	case WW_ROUTE_CONNECTED: return "connected";
	case WW_ROUTE_DEFAULT: return "default";
	case WW_ROUTE_STATIC: return "static";
	}
	return "?";
}

void ww_route_init(struct ww_route_table *t)
{
	memset(t, 0, sizeof *t);
}

int ww_route_add(struct ww_route_table *t, uint32_t net, uint8_t prefix, uint32_t gw,
		 enum ww_route_origin origin, char *why, size_t whylen)
{
	if (prefix > 32) {
		snprintf(why, whylen, "a prefix is /0 to /32");
		return -1;
	}
	uint32_t mask = ww_prefix_mask(prefix);
	if (net & ~mask) {
		char a[16], b[16];
		snprintf(why, whylen, "%s/%u has host bits set; the network is %s/%u",
			 ww_ipv4_str(net, a), prefix, ww_ipv4_str(net & mask, b), prefix);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++) {
		if (t->r[i].net == net && t->r[i].prefix == prefix) {
			char a[16];
			snprintf(why, whylen, "an entry for %s/%u exists (route del it first)",
				 ww_ipv4_str(net, a), prefix);
			return -1;
		}
	}
	if (t->n == WW_ROUTE_MAX) {
		snprintf(why, whylen, "the routing table is full");
		return -1;
	}
	t->r[t->n++] = (struct ww_route){ .net = net, .prefix = prefix, .gw = gw, .origin = origin };
	return 0;
}

int ww_route_del(struct ww_route_table *t, uint32_t net, uint8_t prefix)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->r[i].net == net && t->r[i].prefix == prefix) {
			memmove(&t->r[i], &t->r[i + 1], (t->n - i - 1) * sizeof t->r[0]);
			t->n--;
			return 0;
		}
	}
	return -1;
}

static bool route_matches(const struct ww_route *r, uint32_t dst)
{
	return (dst & ww_prefix_mask(r->prefix)) == r->net;
}

struct ww_route_result ww_route_lookup(const struct ww_route_table *t, uint32_t dst)
{
	struct ww_route_result res = { .index = -1 };
	for (size_t i = 0; i < t->n; i++) {
		if (!route_matches(&t->r[i], dst))
			continue;
		res.candidates++;
		/* Strictly longer wins: on a tie the earlier entry stays. */
		if (!res.found || t->r[i].prefix > res.route.prefix) {
			res.found = true;
			res.index = (int)i;
			res.route = t->r[i];
		}
	}
	if (res.found)
		res.next_hop = res.route.gw ? res.route.gw : dst;
	return res;
}

/* snprintf that appends and never overruns: the explanation is built of
 * many pieces. */
static void add(char *buf, size_t len, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	if (*used + 1 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used = *used + (size_t)n < len ? *used + (size_t)n : len - 1;
}

size_t ww_route_explain(const struct ww_route_table *t, uint32_t dst, char *buf, size_t len)
{
	size_t used = 0;
	char d[16], a[16], m[16], g[16];
	if (len)
		buf[0] = '\0';
	struct ww_route_result res = ww_route_lookup(t, dst);
	ww_ipv4_str(dst, d);
	add(buf, len, &used, "route lookup %s: each entry's mask is applied to %s and the result\n"
	    "compared with the entry's network; of the entries that match, the\n"
	    "longest prefix (the most specific) wins.\n", d, d);
	for (size_t i = 0; i < t->n; i++) {
		const struct ww_route *r = &t->r[i];
		uint32_t mask = ww_prefix_mask(r->prefix);
		char entry[24];
		snprintf(entry, sizeof entry, "%s/%u", ww_ipv4_str(r->net, a), r->prefix);
		ww_ipv4_str(dst & mask, m);
		bool hit = route_matches(r, dst);
		add(buf, len, &used, "  %c %-18s %s & /%-2u = %-15s %s%s\n",
		    (int)i == res.index ? '*' : ' ', entry, d, r->prefix, m,
		    hit ? "matches" : "no match",
		    (int)i == res.index ? (res.candidates > 1 ? "  <- longest" : "  <- the only match")
					: "");
	}
	if (!res.found) {
		add(buf, len, &used, "No entry matches %s: it cannot be sent (no route to host).\n"
		    "A default route (0.0.0.0/0 via a gateway) would match every address.\n", d);
		return used;
	}
	const struct ww_route *r = &res.route;
	ww_ipv4_str(r->net, a);
	if (r->gw) {
		ww_ipv4_str(r->gw, g);
		add(buf, len, &used,
		    "%s/%u (%s) matched: %s is reached via the gateway %s.\n"
		    "The IP header keeps destination %s; the Ethernet frame goes to the\n"
		    "gateway's MAC (ARP for %s), and the gateway forwards it.\n",
		    a, r->prefix, ww_route_origin_name(r->origin), d, g, d, g);
	} else {
		add(buf, len, &used,
		    "%s/%u (%s) matched: %s is on-link, on our own segment.\n"
		    "The frame goes straight to %s's MAC (ARP for %s itself), no router involved.\n",
		    a, r->prefix, ww_route_origin_name(r->origin), d, d, d);
	}
	return used;
}
