/* `dns`: a dig of wirewalk's own — a name turned into records by asking
 * the lab's resolver (RD=1), or by walking the hierarchy from the root
 * (+trace, RD=0) — with the resolver's cache (`dns cache`, `dns flush`)
 * and counters (`dns stats`). And ww_shell_resolve, through which ping,
 * traceroute and later steps turn a name into an address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd_dns_int.h"
#include "ww/ipv4.h"
#include "ww/lab.h"
#include "ww/session.h"
#include "ww/stack.h"
#include "ww/udpsock.h"

/* The most any lookup may run before the command stops waiting (the
 * resolver ends it long before: its tries and query limit). */
#define LOOKUP_GUARD_NS (120 * 1000000000ull)

/* ---- the loop ------------------------------------------------------------------ */

static bool lookup_done(void *arg)
{
	return ww_lookup_done(arg);
}

static struct ww_resolver *resolver_for(struct ww_shell *sh, const char *cmd,
					struct ww_session **sp)
{
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return NULL;
	struct ww_resolver *r = ww_session_resolver(s);
	if (!r) {
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: the session has no resolver", cmd);
		return NULL;
	}
	*sp = s;
	return r;
}

/* Start REQ and wait for its end: the lookup (the caller frees it), or
 * NULL after printing why as CMD's error. */
static struct ww_lookup *run_lookup(struct ww_shell *sh, const char *cmd, struct ww_session *s,
				    struct ww_resolver *r, const struct ww_resolve_req *req)
{
	char err[128];
	uint64_t now = ww_session_now(s);
	struct ww_lookup *l = ww_resolver_start(r, req, now, err, sizeof err);
	if (!l) {
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s", cmd, err);
		return NULL;
	}
	if (ww_session_until(s, lookup_done, l, now + LOOKUP_GUARD_NS) < 0 || !ww_lookup_done(l)) {
		ww_lookup_free(l);
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: interrupted", cmd);
		return NULL;
	}
	return l;
}

static const char *fqdn(const struct ww_dns_name *n, char *buf)
{
	ww_dns_name_text(n, WW_DNS_NAME_FQDN, buf, WW_DNS_TEXT_MAX);
	return buf;
}

/* ---- names for other commands ------------------------------------------------- */

static bool all_digits_and_dots(const char *s)
{
	for (; *s; s++)
		if (!(*s == '.' || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static int resolve_failed(struct ww_shell *sh, const char *cmd, const char *host,
			  const struct ww_resolve_result *res)
{
	char a[16], rc[16];
	ww_ipv4_str(res->server, a);
	if (res->status != WW_RESOLVE_ANSWERED)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: cannot resolve %s: %s", cmd, host,
				      res->error);
	if (res->rcode == WW_DNS_NXDOMAIN)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s: no such name (NXDOMAIN from %s%s)",
				      cmd, host, res->from_cache ? "the cache, first " : "", a);
	if (res->rcode == WW_DNS_NOERROR)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s has no IPv4 address (no A record)",
				      cmd, host);
	return ww_shell_error(sh, WW_EXIT_FAIL, "%s: cannot resolve %s: %s answered %s", cmd, host,
			      a, ww_dns_rcode_str(res->rcode, rc));
}

int ww_shell_resolve(struct ww_shell *sh, const char *cmd, const char *host, uint32_t *ip)
{
	if (ww_ipv4_parse_addr(host, ip) == 0)
		return WW_EXIT_OK;
	struct ww_resolve_req req = { .qtype = WW_DNS_A, .mode = WW_RESOLVE_STUB,
				      .use_cache = true };
	struct ww_error e;
	if (all_digits_and_dots(host))
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s: '%s' is not an IPv4 address (four "
				      "numbers 0-255: 192.0.2.10)", cmd, host);
	if (ww_dns_name_from_text(&req.qname, host, &e) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s: '%s' is neither an IPv4 address "
				      "nor a name: %s", cmd, host, e.msg);
	struct ww_session *s;
	struct ww_resolver *r = resolver_for(sh, cmd, &s);
	if (!r)
		return WW_EXIT_FAIL;
	struct ww_lookup *l = run_lookup(sh, cmd, s, r, &req);
	if (!l)
		return WW_EXIT_FAIL;
	const struct ww_resolve_result *res = ww_lookup_result(l);
	if (res->status != WW_RESOLVE_ANSWERED || res->naddrs == 0) {
		int rc = resolve_failed(sh, cmd, host, res);
		ww_lookup_free(l);
		return rc;
	}
	*ip = res->addrs[0];
	char a[16], cn[WW_DNS_TEXT_MAX], from[16];
	fprintf(sh->out, "; %s is %s", host, ww_ipv4_str(*ip, a));
	if (!ww_dns_name_eq(&res->canonical, &req.qname))
		fprintf(sh->out, " (its canonical name: %s)", fqdn(&res->canonical, cn));
	if (res->from_cache)
		fprintf(sh->out, ": from the cache, TTL %u s left\n", res->ttl);
	else
		fprintf(sh->out, ": from %s in %.3f ms, TTL %u s\n", ww_ipv4_str(res->server, from),
			(double)res->rtt_ns / 1e6, res->ttl);
	ww_lookup_free(l);
	return WW_EXIT_OK;
}

/* ---- dns NAME [TYPE] [@SERVER] [+options] ---------------------------------------- */

struct dns_args {
	struct ww_resolve_req req;
	const char *name;
	bool type_set, trace, short_, norec;
};

static int parse_type(const char *s, uint16_t *type)
{
	for (const struct ww_tok *t = ww_dns_type_names; t->s; t++) {
		if (strcasecmp(t->s, s) == 0 && t->v != WW_DNS_OPT) {
			*type = (uint16_t)t->v;
			return 0;
		}
	}
	char *end;
	if (strncasecmp(s, "TYPE", 4) == 0 && s[4]) {
		errno = 0;
		unsigned long v = strtoul(s + 4, &end, 10);
		if (!*end && !errno && v <= 65535) {
			*type = (uint16_t)v;
			return 0;
		}
	}
	return -1;
}

static int parse_plus(struct ww_shell *sh, struct dns_args *a, const char *opt)
{
	if (strcmp(opt, "+norecurse") == 0 || strcmp(opt, "+norec") == 0)
		a->norec = true;
	else if (strcmp(opt, "+recurse") == 0 || strcmp(opt, "+rec") == 0)
		a->norec = false;
	else if (strcmp(opt, "+trace") == 0)
		a->trace = true;
	else if (strcmp(opt, "+notrace") == 0)
		a->trace = false;
	else if (strcmp(opt, "+short") == 0)
		a->short_ = true;
	else
		return ww_shell_error(sh, WW_EXIT_USAGE, "dns: unknown option '%s' (+norecurse, "
				      "+trace, +short)", opt);
	return WW_EXIT_OK;
}

static int parse_server(struct ww_shell *sh, struct dns_args *a, const char *s)
{
	if (!*s)
		return ww_shell_error(sh, WW_EXIT_USAGE,
				      "dns: '@' names no server (@203.0.113.53)");
	return ww_shell_resolve(sh, "dns", s, &a->req.server);
}

static int parse_reverse(struct ww_shell *sh, struct dns_args *a, int argc, char **argv, int *i)
{
	uint32_t ip;
	if (*i + 1 >= argc || ww_ipv4_parse_addr(argv[*i + 1], &ip) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "dns: -x takes an IPv4 address "
				      "(dns -x 192.0.2.10)");
	ww_dns_reverse_name(ip, &a->req.qname);
	a->name = argv[++*i];
	if (!a->type_set)
		a->req.qtype = WW_DNS_PTR;
	return WW_EXIT_OK;
}

static int parse_port(struct ww_shell *sh, struct dns_args *a, int argc, char **argv, int *i)
{
	char *end;
	unsigned long v = 0;
	if (*i + 1 < argc) {
		errno = 0;
		v = strtoul(argv[*i + 1], &end, 10);
		if (*end || errno)
			v = 0;
	}
	if (v < 1 || v > 65535)
		return ww_shell_error(sh, WW_EXIT_USAGE, "dns: -p takes a port 1-65535");
	a->req.port = (uint16_t)v;
	++*i;
	return WW_EXIT_OK;
}

static int parse_word(struct ww_shell *sh, struct dns_args *a, const char *w)
{
	uint16_t type;
	if (a->name && !a->type_set && parse_type(w, &type) == 0) {
		a->req.qtype = type;
		a->type_set = true;
		return WW_EXIT_OK;
	}
	if (a->name)
		return ww_shell_error(sh, WW_EXIT_USAGE, "dns: '%s' is not a type (A, AAAA, "
				      "CNAME, NS, SOA, MX, TXT, PTR, ANY, TYPEnnn), and the name "
				      "is %s", w, a->name);
	struct ww_error e;
	if (ww_dns_name_from_text(&a->req.qname, w, &e) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "dns: '%s' is not a name: %s", w, e.msg);
	a->name = w;
	return WW_EXIT_OK;
}

static int parse_dns_args(struct ww_shell *sh, int argc, char **argv, struct dns_args *a)
{
	memset(a, 0, sizeof *a);
	a->req.qtype = WW_DNS_A;
	int rc = WW_EXIT_OK;
	for (int i = 1; i < argc && rc == WW_EXIT_OK; i++) {
		const char *w = argv[i];
		if (strcmp(w, "-x") == 0)
			rc = parse_reverse(sh, a, argc, argv, &i);
		else if (strcmp(w, "-p") == 0)
			rc = parse_port(sh, a, argc, argv, &i);
		else if (w[0] == '+')
			rc = parse_plus(sh, a, w);
		else if (w[0] == '@')
			rc = parse_server(sh, a, w + 1);
		else
			rc = parse_word(sh, a, w);
	}
	if (rc != WW_EXIT_OK)
		return rc;
	if (!a->name)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	a->req.mode = a->trace ? WW_RESOLVE_ITERATIVE : WW_RESOLVE_STUB;
	a->req.no_rd = a->norec;
	/* The cache stands for the resolver: asking another server, or
	 * without recursion, or walking the tree, goes to the wire. */
	a->req.use_cache = !a->trace && !a->norec && !a->req.server && !a->req.port;
	return WW_EXIT_OK;
}

/* ---- printing a result ------------------------------------------------------------ */

static void print_when(FILE *out)
{
	char buf[64];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%a %b %d %H:%M:%S %Z %Y", &tm);
	fprintf(out, ";; WHEN: %s\n", buf);
}

/* A negative answer carries the zone's SOA; a referral does not. */
static bool has_soa(const struct ww_dns_msg *m)
{
	unsigned n;
	const struct ww_dns_rr *rr = ww_dns_section_rrs(m, WW_DNS_AUTHORITY, &n);
	for (unsigned i = 0; i < n; i++)
		if (rr[i].type == WW_DNS_SOA)
			return true;
	return false;
}

static void explain_rcode(FILE *out, const struct ww_resolve_result *res,
			  const struct ww_dns_msg *m, const char *name)
{
	char type[16];
	switch (res->rcode) {
	case WW_DNS_NOERROR:
		if (m->nsec[WW_DNS_ANSWER] == 0 && m->nq && has_soa(m))
			fprintf(out, ";; NODATA: %s exists but has no %s record; the SOA above "
				"says how long that may be believed (%u s)\n", name,
				ww_dns_type_str(m->q[0].qtype, type), res->ttl);
		return;
	case WW_DNS_NXDOMAIN:
		fprintf(out, ";; NXDOMAIN: %s does not exist; the SOA above says how long that may "
			"be believed (%u s)\n", name, res->ttl);
		return;
	case WW_DNS_SERVFAIL:
		fprintf(out, ";; SERVFAIL: the server could not find an answer (a server behind it "
			"failed, or the zone is broken)\n");
		return;
	case WW_DNS_REFUSED:
		fprintf(out, ";; REFUSED: the server will not answer this question for us (its "
			"access rules, or a zone it does not serve)\n");
		return;
	default:
		fprintf(out, ";; the server answered with an error code: nothing to use\n");
		return;
	}
}

static void print_full(struct ww_shell *sh, const struct dns_args *a,
		       const struct ww_resolve_result *res, const struct ww_dns_msg *m)
{
	FILE *out = sh->out;
	char srv[16], name[WW_DNS_TEXT_MAX];
	ww_ipv4_str(res->server, srv);
	fqdn(&a->req.qname, name);
	if (res->from_cache)
		fprintf(out, ";; Answered from the cache: nothing sent. The TTLs are what is left "
			"of those %s gave.\n", srv);
	else if (a->trace)
		fprintf(out, "\n;; The answer, after %u quer%s:\n", res->queries,
			res->queries == 1 ? "y" : "ies");
	else
		fputs(";; Got answer:\n", out);
	dns_print_header(out, m);
	dns_print_sections(out, m);
	explain_rcode(out, res, m, name);
	if (res->from_cache) {
		fprintf(out, ";; Query time: 0 msec (cache)\n;; SERVER: the cache (the answer came "
			"from %s#%u)\n", srv, res->port);
	} else {
		fprintf(out, ";; Query time: %.3f msec\n", (double)(res->finished_ns -
								  res->started_ns) / 1e6);
		fprintf(out, ";; SERVER: %s#%u(%s) (%s)\n", srv, res->port, srv,
			res->over_tcp ? "TCP, after a truncated answer over UDP" : "UDP");
	}
	print_when(out);
	if (!res->from_cache && !a->trace)
		fprintf(out, ";; MSG SIZE  rcvd: %zu\n", res->msg_len);
	fputc('\n', out);
}

static int print_result(struct ww_shell *sh, const struct dns_args *a,
			const struct ww_resolve_result *res)
{
	struct ww_dns_msg *m = NULL;
	if (res->msg && (m = malloc(sizeof *m)) != NULL && ww_dns_parse(res->msg, res->msg_len, m,
									 NULL) < 0) {
		free(m);
		m = NULL;
	}
	if (m && (res->status == WW_RESOLVE_ANSWERED || res->status == WW_RESOLVE_TRUNCATED)) {
		if (a->short_)
			dns_print_short(sh->out, m);
		else
			print_full(sh, a, res, m);
	}
	free(m);
	fflush(sh->out);
	switch (res->status) {
	case WW_RESOLVE_ANSWERED:
		return WW_EXIT_OK;
	case WW_RESOLVE_TIMEOUT:
		return ww_shell_error(sh, WW_EXIT_FAIL, "dns: %s (connection timed out; no servers "
				      "could be reached)", res->error);
	default:
		return ww_shell_error(sh, WW_EXIT_FAIL, "dns: %s", res->error);
	}
}

/* ---- the cache, the counters -------------------------------------------------------- */

static int dns_cache(struct ww_shell *sh, struct ww_session *s, struct ww_resolver *r)
{
	uint64_t now = ww_session_now(s);
	size_t n = ww_resolver_cache_count(r, now);
	fprintf(sh->out, ";; %zu entr%s in the cache, oldest first; TTLs are the seconds left\n", n,
		n == 1 ? "y" : "ies");
	char name[WW_DNS_TEXT_MAX], type[16], a[16];
	for (size_t i = 0; i < n; i++) {
		struct ww_cache_entry_view v;
		if (ww_resolver_cache_at(r, i, now, &v) < 0)
			break;
		if (v.kind == WW_CACHE_POSITIVE) {
			for (unsigned k = 0; k < v.nrr; k++) {
				struct ww_dns_rr rr = v.rrs[k];
				rr.ttl = v.ttl_left;
				dns_print_rr(sh->out, "", &rr);
			}
			continue;
		}
		fprintf(sh->out, "%s\t%u\t%s %s", fqdn(v.name, name), v.ttl_left,
			v.kind == WW_CACHE_NXDOMAIN ? "NXDOMAIN" : "NODATA",
			v.kind == WW_CACHE_NXDOMAIN ? "(no such name: every type)"
						    : ww_dns_type_str(v.type, type));
		fprintf(sh->out, "  ; of %u s, from %s%s\n", v.ttl, ww_ipv4_str(v.server, a),
			v.soa ? ", by the SOA:" : "");
		if (v.soa)
			dns_print_rr(sh->out, ";   ", v.soa);
	}
	return WW_EXIT_OK;
}

static void counters_of(FILE *out, const struct ww_counter_info *(*info)(size_t),
			uint64_t (*value)(const void *, size_t), const void *obj, bool all,
			bool drops, unsigned *shown)
{
	const struct ww_counter_info *ci;
	for (size_t i = 0; (ci = info(i)) != NULL; i++) {
		uint64_t v = value(obj, i);
		if (ci->drop != drops || (!v && !all))
			continue;
		fprintf(out, "  %-28s %8llu  %s\n", ci->name, (unsigned long long)v, ci->help);
		++*shown;
	}
}

static uint64_t res_value(const void *r, size_t i)
{
	return ww_resolver_counter_value(r, i);
}

static uint64_t udp_value(const void *u, size_t i)
{
	return ww_udp_counter_value(u, i);
}

static int dns_stats(struct ww_shell *sh, struct ww_session *s, struct ww_resolver *r, bool all)
{
	const struct ww_udp_layer *u = ww_session_udp(s);
	for (int drops = 1; drops >= 0; drops--) {
		fputs(drops ? "dropped, by reason:\n" : "\ncounted:\n", sh->out);
		unsigned shown = 0;
		counters_of(sh->out, ww_udp_counter_info, udp_value, u, all, drops, &shown);
		counters_of(sh->out, ww_resolver_counter_info, res_value, r, all, drops, &shown);
		if (!shown)
			fputs(drops ? "  nothing dropped\n" : "  nothing yet\n", sh->out);
	}
	return WW_EXIT_OK;
}

/* ---- the command -------------------------------------------------------------------- */

static int cmd_dns(struct ww_shell *sh, int argc, char **argv)
{
	struct ww_session *s;
	struct ww_resolver *r;
	if (argc == 2 && strcmp(argv[1], "flush") == 0) {
		if (!(r = resolver_for(sh, argv[0], &s)))
			return WW_EXIT_FAIL;
		size_t n = ww_resolver_cache_flush(r);
		fprintf(sh->out, "forgot %zu cache entr%s\n", n, n == 1 ? "y" : "ies");
		return WW_EXIT_OK;
	}
	if (argc == 2 && strcmp(argv[1], "cache") == 0)
		return (r = resolver_for(sh, argv[0], &s)) ? dns_cache(sh, s, r) : WW_EXIT_FAIL;
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "stats") == 0 &&
	    (argc == 2 || strcmp(argv[2], "all") == 0))
		return (r = resolver_for(sh, argv[0], &s)) ? dns_stats(sh, s, r, argc == 3)
							   : WW_EXIT_FAIL;
	struct dns_args a;
	int rc = parse_dns_args(sh, argc, argv, &a);
	if (rc != WW_EXIT_OK)
		return rc;
	if (!(r = resolver_for(sh, argv[0], &s)))
		return WW_EXIT_FAIL;
	struct dns_trace trace = { .out = sh->out, .all = a.trace && !a.short_ };
	a.req.step = dns_print_step;
	a.req.step_arg = &trace;
	if (!a.short_) {
		fprintf(sh->out, "; <<>> wirewalk %s <<>>", WW_VERSION);
		for (int i = 1; i < argc; i++)
			fprintf(sh->out, " %s", argv[i]);
		fputc('\n', sh->out);
		fflush(sh->out);
	}
	struct ww_lookup *l = run_lookup(sh, argv[0], s, r, &a.req);
	if (!l)
		return WW_EXIT_FAIL;
	rc = print_result(sh, &a, ww_lookup_result(l));
	ww_lookup_free(l);
	return rc;
}

/* ---- the table ------------------------------------------------------------------------ */

static const char *const dns_words[] = {
	"www.example.com", "example.com", "cache", "flush", "stats", "-x", NULL,
};
static const char *const dns_types[] = {
	"A", "AAAA", "CNAME", "NS", "SOA", "MX", "TXT", "PTR", "+trace", "+short", "+norecurse",
	"@" WW_LAB_RESOLVER_IP, "@" WW_LAB_ROOT_NS_IP, NULL,
};
static const char *const udp_words[] = { "send", "listen", "stats", NULL };

const struct ww_command ww_dns_commands[] = {
	{ .name = "dns", .args = "NAME [TYPE] [@SERVER] [+trace] [+short] [+norecurse]",
	  .summary = "look a name up, as dig does: ask the resolver, or walk from the root",
	  .help = "dns NAME [TYPE]     ask the lab's resolver (RD=1) for NAME's records of\n"
		  "                    TYPE (A if not given: A, AAAA, CNAME, NS, SOA, MX,\n"
		  "                    TXT, PTR, ANY, TYPEnnn); printed as dig prints them\n"
		  "dns -x IP           the PTR record of IP (its in-addr.arpa. name)\n"
		  "  @SERVER           ask SERVER instead (an address or a name); -p PORT\n"
		  "  +norecurse        RD=0: the server answers from what it holds\n"
		  "  +trace            resolve it yourself: from the root hints with RD=0,\n"
		  "                    each referral shown with its NS records and glue,\n"
		  "                    and why the next server was chosen; CNAMEs followed,\n"
		  "                    name servers without glue looked up first\n"
		  "  +short            only the answer's data\n"
		  "dns cache           the cache: every RRset and negative answer, with the\n"
		  "                    seconds of TTL left; dns flush forgets it all\n"
		  "dns stats [all]     the counters: responses dropped by reason (wrong ID,\n"
		  "                    wrong question, wrong address or port, malformed) ...\n"
		  "Each query goes from a random port with a random ID: an attacker who\n"
		  "cannot see it must guess both to slip in a forged answer (cache\n"
		  "poisoning). A later `dns` for the same name within the TTL is answered\n"
		  "from the cache and sends nothing; ping NAME resolves through it too.\n"
		  "No answer within 1 s: the same query again; then 2 s; then 4 s, and\n"
		  "the lookup gives up.",
	  .run = cmd_dns,
	  .complete = { WW_COMPLETE_WORDS, WW_COMPLETE_WORDS, WW_COMPLETE_WORDS,
			WW_COMPLETE_WORDS },
	  .words = { dns_words, dns_types, dns_types, dns_types } },
	{ .name = "udp", .args = "send HOST PORT TEXT | listen PORT [SECONDS] | stats",
	  .summary = "send a UDP datagram and see the answer; listen on a port",
	  .help = "udp send HOST PORT TEXT [-W SEC]   send TEXT from a random port to\n"
		  "                    HOST:PORT and wait SEC (1) for an answer: it is\n"
		  "                    printed, or the ICMP error that came instead (port\n"
		  "                    unreachable: nothing listens there)\n"
		  "udp listen PORT [SECONDS]   print every datagram to PORT for SECONDS\n"
		  "                    (30), or until Ctrl-C\n"
		  "udp stats [all]     UDP's counters\n"
		  "UDP sends each datagram on its own: no connection, no retransmission.\n"
		  "A socket connected to a peer takes datagrams from that peer only (the\n"
		  "4-tuple: addresses and ports of both ends).",
	  .run = ww_cmd_udp,
	  .complete = { WW_COMPLETE_WORDS },
	  .words = { udp_words } },
	{ 0 },
};
