/* The stack's commands: ifconfig, route, arp, ping, traceroute, stats.
 * Each asks the stack (session.h gives it) and, when it waits for an
 * answer, pumps the session's loop: frames keep arriving and printing,
 * timers keep running, Ctrl-C stops the wait. What the stack decides is
 * printed by the session as events; what a command prints is its answer
 * (the RTT of a reply, the table), in the words of the classic tools. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ww/eth.h"
#include "ww/icmp.h"
#include "ww/ipv4.h"
#include "ww/lab.h"
#include "ww/link.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "ww/stack.h"

/* ---- helpers --------------------------------------------------------------- */

static struct ww_stack *stack_for(struct ww_shell *sh, const char *cmd, struct ww_session **sp)
{
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return NULL;
	struct ww_stack *st = ww_session_stack(s);
	if (!st) {
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: the session has no stack", cmd);
		return NULL;
	}
	if (sp)
		*sp = s;
	return st;
}

static int parse_ip(struct ww_shell *sh, const char *cmd, const char *s, uint32_t *ip)
{
	if (ww_ipv4_parse_addr(s, ip) == 0)
		return 0;
	ww_shell_error(sh, WW_EXIT_USAGE,
		       "%s: '%s' is not an IPv4 address (four numbers 0-255: 192.0.2.10)",
		       cmd, s);
	return -1;
}

static int parse_num(struct ww_shell *sh, const char *cmd, const char *what, const char *s,
		     double min, double max, double *v)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (end != s && !*end && !errno && isfinite(d) && d >= min && d <= max) {
		*v = d;
		return 0;
	}
	ww_shell_error(sh, WW_EXIT_USAGE, "%s: %s '%s' is not a number from %g to %g", cmd, what, s,
		       min, max);
	return -1;
}

static double ms_of(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* ---- ifconfig ---------------------------------------------------------------- */

static int cmd_ifconfig(struct ww_shell *sh, int argc, char **argv)
{
	if (argc != 1)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	struct ww_stack *st = stack_for(sh, argv[0], NULL);
	if (!st)
		return WW_EXIT_FAIL;
	const struct ww_stack_config *c = ww_stack_config(st);
	const struct ww_if_stats *is = ww_stack_if_stats(st);
	char ip[16], bc[16], mask[16], mac[18], gw[16];
	fprintf(sh->out, "%s: inet %s/%u  netmask %s  broadcast %s  mtu %u\n", c->ifname,
		ww_ipv4_str(c->ip, ip), c->prefix, ww_ipv4_str(ww_prefix_mask(c->prefix), mask),
		ww_ipv4_str(ww_stack_broadcast(st), bc), c->mtu);
	fprintf(sh->out, "      ether %s  gateway %s\n", ww_mac_str(c->mac, mac),
		c->gw ? ww_ipv4_str(c->gw, gw) : "(none)");
	fprintf(sh->out, "      RX %llu frames  %llu bytes\n", (unsigned long long)is->rx_frames,
		(unsigned long long)is->rx_bytes);
	fprintf(sh->out, "      TX %llu frames  %llu bytes  %llu refused by the link\n",
		(unsigned long long)is->tx_frames, (unsigned long long)is->tx_bytes,
		(unsigned long long)is->tx_errors);
	struct ww_session *s = ww_shell_session_running(sh);
	if (s) {
		char mode[128];
		const struct ww_link_stats *ls = ww_session_link_stats(s);
		ww_session_link_mode(s, mode, sizeof mode);
		fprintf(sh->out, "      link: %s\n", mode);
		fprintf(sh->out, "      link: %llu dropped by the kernel (no room to receive), %llu lost "
			"sending (ENOBUFS), %llu cut short; %llu sent in %llu batches\n",
			(unsigned long long)ls->kernel_drops, (unsigned long long)ls->tx_lost,
			(unsigned long long)ls->rx_truncated, (unsigned long long)ls->tx_frames,
			(unsigned long long)ls->tx_batches);
	}
	return WW_EXIT_OK;
}

/* ---- route ---------------------------------------------------------------------- */

static int route_show(struct ww_shell *sh, struct ww_stack *st)
{
	const struct ww_route_table *t = ww_stack_routes(st);
	const char *ifname = ww_stack_config(st)->ifname;
	fprintf(sh->out, "%-20s %-16s %-10s %s\n", "Destination", "Gateway", "Origin", "Iface");
	for (size_t i = 0; i < t->n; i++) {
		char net[24], a[16], g[16];
		snprintf(net, sizeof net, "%s/%u", ww_ipv4_str(t->r[i].net, a), t->r[i].prefix);
		fprintf(sh->out, "%-20s %-16s %-10s %s\n", net,
			t->r[i].gw ? ww_ipv4_str(t->r[i].gw, g) : "on-link",
			ww_route_origin_name(t->r[i].origin), ifname);
	}
	if (t->n == 0)
		fputs("(no routes: nothing can be sent)\n", sh->out);
	return WW_EXIT_OK;
}

static int parse_net(struct ww_shell *sh, const char *s, uint32_t *net, uint8_t *prefix)
{
	if (strcmp(s, "default") == 0) {
		*net = 0;
		*prefix = 0;
		return 0;
	}
	if (ww_prefix_parse(s, net, prefix) == 0)
		return 0;
	ww_shell_error(sh, WW_EXIT_USAGE,
		       "route: '%s' is not a network (A.B.C.D/N, like 198.51.100.0/24, or default)",
		       s);
	return -1;
}

static int route_add(struct ww_shell *sh, struct ww_stack *st, int argc, char **argv)
{
	/* route add NET/N [via GW]  (or GW alone, as `ip route` takes it) */
	if (argc < 3 || argc > 5 || (argc == 5 && strcmp(argv[3], "via") != 0))
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: route add NET/N [via GATEWAY]");
	uint32_t net, gw = 0;
	uint8_t prefix;
	if (parse_net(sh, argv[2], &net, &prefix) < 0)
		return WW_EXIT_USAGE;
	const char *g = argc == 5 ? argv[4] : argc == 4 ? argv[3] : NULL;
	if (g && parse_ip(sh, "route add", g, &gw) < 0)
		return WW_EXIT_USAGE;
	char a[16];
	if (gw) {
		/* A gateway must be a neighbour: its MAC is what ARP finds. */
		struct ww_route_result r = ww_stack_route(st, gw);
		if (!r.found || r.route.gw || gw == ww_stack_config(st)->ip)
			return ww_shell_error(sh, WW_EXIT_FAIL,
					      "route add: gateway %s is not on-link: no connected "
					      "route reaches it, so ARP could not find its MAC",
					      ww_ipv4_str(gw, a));
	}
	char why[128];
	if (ww_route_add(ww_stack_routes(st), net, prefix, gw, WW_ROUTE_STATIC, why, sizeof why) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "route add: %s", why);
	return WW_EXIT_OK;
}

static int cmd_route(struct ww_shell *sh, int argc, char **argv)
{
	struct ww_stack *st = stack_for(sh, argv[0], NULL);
	if (!st)
		return WW_EXIT_FAIL;
	if (argc == 1)
		return route_show(sh, st);
	if (strcmp(argv[1], "add") == 0)
		return route_add(sh, st, argc, argv);
	uint32_t net, ip;
	uint8_t prefix;
	if (strcmp(argv[1], "del") == 0) {
		if (argc != 3)
			return ww_shell_error(sh, WW_EXIT_USAGE, "usage: route del NET/N");
		if (parse_net(sh, argv[2], &net, &prefix) < 0)
			return WW_EXIT_USAGE;
		if (ww_route_del(ww_stack_routes(st), net, prefix) < 0)
			return ww_shell_error(sh, WW_EXIT_FAIL,
					      "route del: no entry for %s ('route' lists them)",
					      argv[2]);
		return WW_EXIT_OK;
	}
	if (strcmp(argv[1], "lookup") == 0) {
		if (argc != 3)
			return ww_shell_error(sh, WW_EXIT_USAGE, "usage: route lookup IP");
		if (parse_ip(sh, "route lookup", argv[2], &ip) < 0)
			return WW_EXIT_USAGE;
		char buf[4096];
		ww_route_explain(ww_stack_routes(st), ip, buf, sizeof buf);
		fputs(buf, sh->out);
		return ww_stack_route(st, ip).found ? WW_EXIT_OK : WW_EXIT_FAIL;
	}
	return ww_shell_error(sh, WW_EXIT_USAGE, "route: unknown subcommand '%s' (add, del, lookup)",
			      argv[1]);
}

/* ---- arp ------------------------------------------------------------------------ */

static int arp_show(struct ww_shell *sh, struct ww_session *s, struct ww_stack *st)
{
	uint64_t now = ww_session_now(s);
	size_t n = 0;
	fprintf(sh->out, "%-16s %-18s %-11s %-14s %s\n", "Address", "HWaddress", "State",
		"Confirmed", "Waiting");
	for (size_t i = 0; i < WW_ARP_CACHE_MAX; i++) {
		const struct ww_arp_entry *e = ww_stack_arp_at(st, i);
		if (e->state == WW_ARP_FREE)
			continue;
		char ip[16], mac[18], when[32];
		if (e->state == WW_ARP_INCOMPLETE) {
			snprintf(mac, sizeof mac, "(incomplete)");
			snprintf(when, sizeof when, "%u request%s", e->tries, e->tries == 1 ? "" : "s");
		} else {
			ww_mac_str(e->mac, mac);
			snprintf(when, sizeof when, "%.1f s ago",
				 now > e->confirmed_ns ? (double)(now - e->confirmed_ns) / 1e9 : 0.0);
		}
		fprintf(sh->out, "%-16s %-18s %-11s %-14s %zu\n", ww_ipv4_str(e->ip, ip), mac,
			ww_arp_state_name(e->state), when, e->nqueued);
		n++;
	}
	if (n == 0)
		fputs("(empty: no neighbour known yet)\n", sh->out);
	return WW_EXIT_OK;
}

struct arp_wait {
	struct ww_stack *st;
	uint32_t ip;
	uint64_t asked;
};

/* Answered (confirmed since we asked), or given up (the entry is gone). */
static bool arp_done(void *arg)
{
	const struct arp_wait *w = arg;
	const struct ww_arp_entry *e = ww_stack_arp_entry(w->st, w->ip);
	return !e || (e->state != WW_ARP_INCOMPLETE && e->confirmed_ns >= w->asked);
}

static int arp_who_has(struct ww_shell *sh, struct ww_session *s, struct ww_stack *st,
		       const char *arg)
{
	uint32_t ip;
	if (parse_ip(sh, "arp who-has", arg, &ip) < 0)
		return WW_EXIT_USAGE;
	char a[16], mac[18];
	ww_ipv4_str(ip, a);
	if (ip == ww_stack_config(st)->ip)
		return ww_shell_error(sh, WW_EXIT_USAGE, "arp who-has: %s is our own address", a);
	struct ww_route_result r = ww_stack_route(st, ip);
	if (!r.found || r.route.gw)
		fprintf(sh->out, "(%s is not on-link: only a proxy would answer; ARP never "
			"crosses a router)\n", a);
	const struct ww_arp_entry *e = ww_stack_arp_entry(st, ip);
	bool known = e && e->state != WW_ARP_INCOMPLETE;
	uint64_t now = ww_session_now(s);
	if (ww_stack_arp_request(st, ip, now) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "arp who-has: the request could not be sent");
	struct arp_wait w = { st, ip, now };
	/* A new entry gets the stack's retries (3 requests, 1 s apart); a
	 * known one is asked once. */
	uint64_t limit = known ? WW_ARP_RETRY_NS : WW_ARP_RETRY_NS * WW_ARP_MAX_TRIES;
	int rc = ww_session_until(s, arp_done, &w, now + limit + 50000000);
	if (rc < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "arp who-has: interrupted");
	e = ww_stack_arp_entry(st, ip);
	if (rc == 0 || !e || e->state == WW_ARP_INCOMPLETE || e->confirmed_ns < now)
		return ww_shell_error(sh, WW_EXIT_FAIL, "arp who-has: no reply from %s", a);
	fprintf(sh->out, "%s is at %s  %.3f ms\n", a,
		ww_mac_str(e->mac, mac), ms_of(e->confirmed_ns - e->requested_ns));
	return WW_EXIT_OK;
}

static int cmd_arp(struct ww_shell *sh, int argc, char **argv)
{
	const struct ww_command *self = ww_command_find(argv[0]);
	struct ww_session *s;
	struct ww_stack *st = stack_for(sh, argv[0], &s);
	if (!st)
		return WW_EXIT_FAIL;
	if (argc == 1)
		return arp_show(sh, s, st);
	if (strcmp(argv[1], "who-has") == 0 && argc == 3)
		return arp_who_has(sh, s, st, argv[2]);
	if (strcmp(argv[1], "flush") == 0 && argc == 2) {
		size_t n = ww_stack_arp_flush(st, ww_session_now(s));
		fprintf(sh->out, "forgot %zu entr%s\n", n, n == 1 ? "y" : "ies");
		return WW_EXIT_OK;
	}
	if (strcmp(argv[1], "announce") == 0 && argc == 2) {
		if (ww_stack_arp_announce(st, ww_session_now(s)) < 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "arp announce: not sent");
		return WW_EXIT_OK;
	}
	return ww_shell_usage(sh, self);
}

/* ---- ping ------------------------------------------------------------------------- */

struct probe_wait {
	struct ww_stack *st;
	uint16_t ident, seq0;
	unsigned n; /* probes seq0 .. seq0 + n - 1 */
};

static bool probes_done(void *arg)
{
	const struct probe_wait *w = arg;
	for (unsigned i = 0; i < w->n; i++) {
		const struct ww_probe *p = ww_stack_probe_find(w->st, w->ident,
							       (uint16_t)(w->seq0 + i));
		if (p && p->state == WW_PROBE_PENDING)
			return false;
	}
	return true;
}

struct ping_opts {
	uint32_t dst;
	const char *host; /* as typed: an address or a name */
	unsigned count, size, ttl;
	double interval, wait;
};

static int ping_args(struct ww_shell *sh, int argc, char **argv, struct ping_opts *o)
{
	*o = (struct ping_opts){ .count = 4, .size = 56, .interval = 1, .wait = 1 };
	int i = 1;
	double v;
	for (; i < argc && argv[i][0] == '-'; i += 2) {
		if (i + 1 >= argc)
			return ww_shell_usage(sh, ww_command_find(argv[0]));
		if (strcmp(argv[i], "-i") == 0) {
			if (parse_num(sh, "ping", "interval", argv[i + 1], 0.001, 60, &o->interval) < 0)
				return WW_EXIT_USAGE;
		} else if (strcmp(argv[i], "-W") == 0) {
			if (parse_num(sh, "ping", "wait", argv[i + 1], 0.001, 60, &o->wait) < 0)
				return WW_EXIT_USAGE;
		} else if (strcmp(argv[i], "-t") == 0) {
			if (parse_num(sh, "ping", "TTL", argv[i + 1], 1, 255, &v) < 0)
				return WW_EXIT_USAGE;
			o->ttl = (unsigned)v;
		} else {
			return ww_shell_error(sh, WW_EXIT_USAGE, "ping: unknown option '%s' (-i, -W, -t)",
					      argv[i]);
		}
	}
	if (i >= argc || argc - i > 3)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	int rc = ww_shell_resolve(sh, "ping", argv[i], &o->dst);
	if (rc != WW_EXIT_OK)
		return rc;
	o->host = argv[i];
	if (i + 1 < argc) {
		if (parse_num(sh, "ping", "COUNT", argv[i + 1], 1, 100000, &v) < 0)
			return WW_EXIT_USAGE;
		o->count = (unsigned)v;
	}
	if (i + 2 < argc) {
		if (parse_num(sh, "ping", "SIZE", argv[i + 2], 0, 65507, &v) < 0)
			return WW_EXIT_USAGE;
		o->size = (unsigned)v;
	}
	return WW_EXIT_OK;
}

/* One line per answer, as ping prints them. */
static void ping_line(struct ww_shell *sh, const struct ww_probe *p)
{
	char from[16];
	ww_ipv4_str(p->from, from);
	if (p->state == WW_PROBE_REPLY) {
		fprintf(sh->out, "%zu bytes from %s: icmp_seq=%u ttl=%u time=%.3f ms", p->reply_len,
			from, p->seq, p->reply_ttl, ms_of(p->rtt_ns));
		if (p->reply_frags > 1)
			fprintf(sh->out, " (reassembled from %u fragments)", p->reply_frags);
		if (!p->data_ok)
			fputs(" (wrong data)", sh->out);
		if (p->dups)
			fprintf(sh->out, " (+%u duplicate%s)", p->dups, p->dups == 1 ? "" : "s");
		fputc('\n', sh->out);
		return;
	}
	if (p->state == WW_PROBE_TIMEOUT) {
		fprintf(sh->out, "no answer for icmp_seq=%u\n", p->seq);
		return;
	}
	if (p->state == WW_PROBE_FAILED) {
		fprintf(sh->out, "icmp_seq=%u was not sent\n", p->seq);
		return;
	}
	const char *what = ww_icmp_code_str(p->icmp_type, p->icmp_code);
	if (!what)
		what = ww_tok_str(ww_icmp_type_names, p->icmp_type);
	fprintf(sh->out, "From %s icmp_seq=%u %s\n", from, p->seq, what ? what : "ICMP error");
}

struct rtt_sum {
	unsigned sent, received, errors;
	double min, max, sum, sum2;
};

static void rtt_add(struct rtt_sum *r, double ms)
{
	if (r->received == 0 || ms < r->min)
		r->min = ms;
	if (ms > r->max)
		r->max = ms;
	r->sum += ms;
	r->sum2 += ms * ms;
	r->received++;
}

static void ping_summary(struct ww_shell *sh, const char *dst, const struct rtt_sum *r,
			 double elapsed_ms)
{
	fprintf(sh->out, "\n--- %s ping statistics ---\n", dst);
	fprintf(sh->out, "%u packets transmitted, %u received, ", r->sent, r->received);
	if (r->errors)
		fprintf(sh->out, "+%u errors, ", r->errors);
	fprintf(sh->out, "%g%% packet loss, time %.0fms\n",
		r->sent ? 100.0 * (r->sent - r->received) / r->sent : 0.0, elapsed_ms);
	if (r->received) {
		double avg = r->sum / r->received;
		double var = r->sum2 / r->received - avg * avg;
		fprintf(sh->out, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n", r->min, avg,
			r->max, var > 0 ? sqrt(var) : 0.0);
	}
}

static int cmd_ping(struct ww_shell *sh, int argc, char **argv)
{
	struct ping_opts o;
	int rc = ping_args(sh, argc, argv, &o);
	if (rc != WW_EXIT_OK)
		return rc;
	struct ww_session *s;
	struct ww_stack *st = stack_for(sh, argv[0], &s);
	if (!st)
		return WW_EXIT_FAIL;
	char dst[16];
	ww_ipv4_str(o.dst, dst);
	unsigned mtu = ww_stack_config(st)->mtu;
	fprintf(sh->out, "PING %s (%s) %u(%u) bytes of data", o.host, dst, o.size, o.size + 28);
	if (o.size + 28 > mtu)
		fprintf(sh->out, ", in fragments of %u bytes (MTU)", mtu);
	fputs(".\n", sh->out);
	fflush(sh->out);
	uint16_t ident = ww_stack_probe_ident(st);
	struct rtt_sum r = { 0 };
	uint64_t start = ww_session_now(s);
	bool stopped = false;
	for (unsigned i = 0; i < o.count && !stopped; i++) {
		uint64_t t0 = ww_session_now(s);
		uint16_t seq = (uint16_t)(i + 1);
		if (ww_stack_probe_send(st, o.dst, ident, seq, (uint8_t)o.ttl, o.size,
					(uint64_t)(o.wait * 1e9), t0))
			r.sent++;
		struct probe_wait w = { st, ident, seq, 1 };
		if (ww_session_until(s, probes_done, &w, t0 + (uint64_t)(o.wait * 1e9) + 1000000) < 0)
			stopped = true;
		const struct ww_probe *p = ww_stack_probe_find(st, ident, seq);
		if (p && p->state != WW_PROBE_PENDING)
			ping_line(sh, p);
		if (p && p->state == WW_PROBE_REPLY)
			rtt_add(&r, ms_of(p->rtt_ns));
		else if (p && p->state != WW_PROBE_TIMEOUT && p->state != WW_PROBE_PENDING)
			r.errors++;
		fflush(sh->out);
		/* The next request leaves INTERVAL after this one did. */
		if (!stopped && i + 1 < o.count &&
		    ww_session_until(s, NULL, NULL, t0 + (uint64_t)(o.interval * 1e9)) < 0)
			stopped = true;
	}
	/* Ctrl-C ends a ping early, as it does ping's: the summary still
	 * counts what came back. */
	ping_summary(sh, dst, &r, ms_of(ww_session_now(s) - start));
	return r.received ? WW_EXIT_OK : WW_EXIT_FAIL;
}

/* ---- traceroute ---------------------------------------------------------------------- */

#define TRACE_PROBES 3

static int cmd_traceroute(struct ww_shell *sh, int argc, char **argv)
{
	if (argc < 2 || argc > 3)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	uint32_t dst;
	double maxd = 30;
	if (argc == 3 && parse_num(sh, "traceroute", "HOPS", argv[2], 1, 64, &maxd) < 0)
		return WW_EXIT_USAGE;
	int resolved = ww_shell_resolve(sh, "traceroute", argv[1], &dst);
	if (resolved != WW_EXIT_OK)
		return resolved;
	struct ww_session *s;
	struct ww_stack *st = stack_for(sh, argv[0], &s);
	if (!st)
		return WW_EXIT_FAIL;
	unsigned maxhops = (unsigned)maxd;
	char d[16];
	fprintf(sh->out, "traceroute to %s (%s), %u hops max, 84 byte packets (ICMP echo, TTL 1, 2, ...)\n",
		argv[1], ww_ipv4_str(dst, d), maxhops);
	uint16_t ident = ww_stack_probe_ident(st);
	bool reached = false;
	for (unsigned hop = 1; hop <= maxhops && !reached; hop++) {
		uint16_t seq0 = (uint16_t)(hop * TRACE_PROBES);
		uint64_t t0 = ww_session_now(s);
		for (unsigned k = 0; k < TRACE_PROBES; k++)
			ww_stack_probe_send(st, dst, ident, (uint16_t)(seq0 + k), (uint8_t)hop, 56,
					    1000000000ull, t0);
		struct probe_wait w = { st, ident, seq0, TRACE_PROBES };
		int rc = ww_session_until(s, probes_done, &w, t0 + 1001000000ull);
		fprintf(sh->out, "%2u ", hop);
		uint32_t last = 0;
		for (unsigned k = 0; k < TRACE_PROBES; k++) {
			const struct ww_probe *p = ww_stack_probe_find(st, ident, (uint16_t)(seq0 + k));
			if (!p || p->state == WW_PROBE_PENDING || p->state == WW_PROBE_TIMEOUT ||
			    p->state == WW_PROBE_FAILED) {
				fputs(" *", sh->out);
				continue;
			}
			char from[16];
			if (p->from != last)
				fprintf(sh->out, " %s", ww_ipv4_str(p->from, from));
			last = p->from;
			fprintf(sh->out, "  %.3f ms", ms_of(p->rtt_ns));
			if (p->state == WW_PROBE_UNREACHABLE)
				fputs(" !H", sh->out);
			if (p->state == WW_PROBE_REPLY || p->state == WW_PROBE_UNREACHABLE)
				reached = true;
		}
		fputc('\n', sh->out);
		fflush(sh->out);
		if (rc < 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "traceroute: interrupted");
	}
	return reached ? WW_EXIT_OK : WW_EXIT_FAIL;
}

/* ---- stats -------------------------------------------------------------------------- */

static int cmd_stats(struct ww_shell *sh, int argc, char **argv)
{
	bool all = argc == 2 && strcmp(argv[1], "all") == 0;
	if (argc > 2 || (argc == 2 && !all))
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	struct ww_stack *st = stack_for(sh, argv[0], NULL);
	if (!st)
		return WW_EXIT_FAIL;
	const struct ww_if_stats *is = ww_stack_if_stats(st);
	fprintf(sh->out, "frames in %llu (%llu bytes), out %llu (%llu bytes)\n",
		(unsigned long long)is->rx_frames, (unsigned long long)is->rx_bytes,
		(unsigned long long)is->tx_frames, (unsigned long long)is->tx_bytes);
	for (int drops = 1; drops >= 0; drops--) {
		fputs(drops ? "\ndropped, by reason:\n" : "\ncounted:\n", sh->out);
		unsigned shown = 0;
		const struct ww_counter_info *ci;
		for (size_t i = 0; (ci = ww_stack_counter_info(i)) != NULL; i++) {
			uint64_t v = ww_stack_counter_value(st, i);
			if (ci->drop != drops || (!v && !all))
				continue;
			fprintf(sh->out, "  %-28s %8llu  %s\n", ci->name, (unsigned long long)v,
				ci->help);
			shown++;
		}
		if (!shown)
			fputs(drops ? "  nothing dropped\n" : "  nothing yet\n", sh->out);
	}
	return WW_EXIT_OK;
}

/* ---- the table -------------------------------------------------------------------- */

static const char *const route_words[] = { "add", "del", "lookup", NULL };
static const char *const arp_words[] = { "who-has", "flush", "announce", NULL };
static const char *const stats_words[] = { "all", NULL };
/* The lab's addresses (DESIGN.md §1), offered where a host is asked for. */
static const char *const host_words[] = {
	WW_LAB_WEB_IP, WW_LAB_GW_IP, WW_LAB_PEER_IP, WW_LAB_RESOLVER_IP, WW_LAB_ROOT_NS_IP,
	WW_LAB_TLD_NS_IP, WW_LAB_AUTH_NS_IP, WW_LAB_MAIL_IP, NULL,
};

const struct ww_command ww_net_commands[] = {
	{ .name = "ifconfig", .args = "",
	  .summary = "our interface: MAC, IPv4 address/prefix, gateway, MTU, counts",
	  .help = "Shows the interface wirewalk's own stack owns: its MAC, its IPv4\n"
		  "address and prefix (the netmask and broadcast address follow from\n"
		  "them), the default gateway, the MTU (the most IP bytes one frame\n"
		  "carries: bigger datagrams are cut into fragments) and how many\n"
		  "frames and bytes went in and out.",
	  .run = cmd_ifconfig },
	{ .name = "route", .args = "[add|del|lookup]",
	  .summary = "the routing table; longest-prefix match explained",
	  .help = "route                       the table\n"
		  "route add NET/N [via GW]    an entry (no GW: on-link); NET/N may be 'default'\n"
		  "route del NET/N             remove the entry for exactly NET/N\n"
		  "route lookup IP             which entry a datagram to IP takes, and why\n"
		  "Every datagram's destination is matched against every entry: the\n"
		  "entry's mask is applied and compared with its network. Of the\n"
		  "matching entries the longest prefix wins. An on-link entry sends\n"
		  "the frame to the destination's own MAC; an entry via a gateway sends\n"
		  "it to the gateway's MAC, with the IP destination unchanged.",
	  .run = cmd_route,
	  .complete = { WW_COMPLETE_WORDS, WW_COMPLETE_WORDS },
	  .words = { route_words, host_words } },
	{ .name = "arp", .args = "[who-has IP|flush]",
	  .summary = "the ARP cache; ask who has an address",
	  .help = "arp                 the cache: address, MAC, state, when last confirmed\n"
		  "arp who-has IP      broadcast a request for IP and wait for the reply\n"
		  "arp flush           forget every entry (datagrams waiting are dropped)\n"
		  "arp announce        gratuitous ARP: tell the segment our MAC (RFC 5227)\n"
		  "An entry is incomplete while its request is out (datagrams for it\n"
		  "wait; 3 requests 1 s apart, then they are dropped), reachable for\n"
		  "60 s after a reply, then stale: still used, checked with a new\n"
		  "request, forgotten 4 minutes later. Requests for our own address\n"
		  "are answered.",
	  .run = cmd_arp,
	  .complete = { WW_COMPLETE_WORDS, WW_COMPLETE_WORDS },
	  .words = { arp_words, host_words } },
	{ .name = "ping", .args = "HOST [COUNT] [SIZE]",
	  .summary = "ICMP echo: a round-trip time per reply, a summary at the end",
	  .help = "ping [-i SEC] [-W SEC] [-t TTL] HOST [COUNT] [SIZE]\n"
		  "Sends COUNT echo requests (4 if not given) with SIZE bytes of data\n"
		  "(56) to HOST, one every SEC seconds (-i, 1), each waiting SEC for its\n"
		  "reply (-W, 1), with TTL (-t, 64). A datagram over the MTU goes out in\n"
		  "fragments, and a fragmented reply is put together before it counts:\n"
		  "try ping 192.0.2.10 3 3000. Prints each reply's size, TTL and round\n"
		  "trip, and min/avg/max/mdev at the end, as ping does. Ctrl-C stops.",
	  .run = cmd_ping,
	  .complete = { WW_COMPLETE_WORDS },
	  .words = { host_words } },
	{ .name = "traceroute", .args = "HOST [HOPS]",
	  .summary = "the routers on the way, from their time-exceeded messages",
	  .help = "Sends echo requests with TTL 1, 2, 3, ... (three per TTL). Each router\n"
		  "decrements the TTL; the one that takes it to 0 drops the datagram\n"
		  "and answers with ICMP time exceeded, from its own address: that is\n"
		  "the hop. The destination answers with an echo reply, which ends the\n"
		  "trace. * is a probe nobody answered within 1 s. HOPS: at most 30.",
	  .run = cmd_traceroute,
	  .complete = { WW_COMPLETE_WORDS },
	  .words = { host_words } },
	{ .name = "stats", .args = "[all]",
	  .summary = "the stack's counters: every drop by its reason",
	  .help = "Frames in and out, then every frame the stack dropped, counted by\n"
		  "reason (ip.bad_checksum, eth.not_for_us, arp.not_for_us,\n"
		  "ip.frag_timeout, ...), then what it counted along the way. Only\n"
		  "counters above zero are listed; 'stats all' lists every one with\n"
		  "what it counts.",
	  .run = cmd_stats,
	  .complete = { WW_COMPLETE_WORDS },
	  .words = { stats_words } },
	{ 0 },
};
