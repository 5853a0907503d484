/* The DNS resolver (RFC 1034 §5, RFC 1035 §7), over the stack's UDP.
 *
 * Two ways to turn a name into records, both with every query built and
 * every answer parsed by the DNS wire module:
 *
 *   stub       ask one recursive resolver (RD=1) and take its answer — what
 *              a host's libc does; the lab's resolver is unbound;
 *   iterative  walk the hierarchy yourself with RD=0: the root hints, then
 *              each referral (the NS records and their glue) down to the
 *              authoritative server, following CNAMEs and looking up name
 *              servers that came without glue — what unbound does for us,
 *              and what `dig +trace` shows.
 *
 * Every query has a random ID and goes out from a random port on a socket
 * connected to the server (RFC 5452). A response from another address or
 * port never reaches the resolver (the UDP layer drops and counts it); one
 * whose ID or question differs is dropped and counted here, never used.
 * No answer in time: the same query again, waiting twice as long each
 * time. An answer with TC=1 is reported; the retry over TCP (RFC 7766)
 * goes through a hook for when the stack has TCP.
 *
 * Answers are cached by name and type with their TTLs counting down on
 * the clock passed in; NXDOMAIN and NODATA are cached for as long as the
 * SOA that came with them says (RFC 2308 §5), and not at all without one.
 *
 * The resolver is pure like the stack: it reads no clock (NOW comes in),
 * prints nothing, and reports drops and errors as events; what happens
 * step by step in a lookup goes to the lookup's step callback. */
#ifndef WW_RESOLVER_H
#define WW_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/dns.h"
#include "ww/event.h"

struct ww_udp_layer;
struct ww_resolver;
struct ww_lookup;
struct ww_counter_info;

#define WW_RES_ROOTS_MAX 4
#define WW_RES_SERVERS_MAX 8     /* name servers kept per zone */
#define WW_RES_ADDRS_MAX 16      /* A records kept in a result */
#define WW_RES_MAX_DEPTH_LIMIT 8 /* the most max_depth may be */

/* A root server: the iterative walk starts here (RFC 1034 §5.3.2 "SBELT"). */
struct ww_resolver_hint {
	uint32_t ip;   /* host order */
	char name[64]; /* "a.root-servers.net." */
};

struct ww_resolver_config {
	uint32_t server;           /* the recursive resolver (host order) */
	uint16_t port;             /* its port: 53 */
	struct ww_resolver_hint roots[WW_RES_ROOTS_MAX];
	unsigned nroots;
	uint64_t timeout_ns;       /* the first wait for an answer; doubled at every retry */
	unsigned tries;            /* sends of one query to one server */
	unsigned max_depth;        /* name-server lookups nested in a walk */
	unsigned max_referrals;    /* referrals followed for one name */
	unsigned max_cname;        /* CNAMEs followed in one chain */
	unsigned max_queries;      /* queries (retries included) in one lookup */
	unsigned cache_max;        /* cache entries */
	uint64_t seed;             /* 0: IDs from the kernel's randomness; else repeatable */
};

/* Defaults: port 53, 1 s first timeout, 3 tries (1 + 2 + 4 s), depth 4,
 * 16 referrals, 8 CNAMEs, 64 queries, 256 cache entries; no server and no
 * root hints (the caller's to set). */
void ww_resolver_config_init(struct ww_resolver_config *c);

/* A resolver sending through U (which must outlive it). EV gets drops
 * (reason: the counter's name) and errors. NULL if C is unusable or
 * memory ran out. */
struct ww_resolver *ww_resolver_new(struct ww_udp_layer *u, const struct ww_resolver_config *c,
				    ww_event_fn ev, void *ev_arg);
/* Ends every lookup still running (their sockets are closed). */
void ww_resolver_free(struct ww_resolver *r);
const struct ww_resolver_config *ww_resolver_get_config(const struct ww_resolver *r);

/* Retries and timeouts due at NOW. */
void ww_resolver_poll(struct ww_resolver *r, uint64_t now_ns);
/* When ww_resolver_poll next has work; UINT64_MAX when nothing waits. */
uint64_t ww_resolver_next_deadline(const struct ww_resolver *r);

/* ---- lookups ------------------------------------------------------------ */

enum ww_resolve_mode { WW_RESOLVE_STUB, WW_RESOLVE_ITERATIVE };

/* What a lookup reports as it goes (the +trace lesson prints these). */
enum ww_resolve_step_kind {
	WW_STEP_CACHE,     /* answered from the cache: nothing sent */
	WW_STEP_QUERY,     /* a query went out (id, sport, attempt) */
	WW_STEP_RETRY,     /* no answer in time: the same query again */
	WW_STEP_RESPONSE,  /* a response was accepted (msg, raw, rtt) */
	WW_STEP_REFERRAL,  /* ... and it was a referral to ZONE; text: the server chosen and why */
	WW_STEP_CNAME,     /* the answer is an alias to a name elsewhere: starting over for it */
	WW_STEP_NS_LOOKUP, /* a name server came without an address: looking it up first */
	WW_STEP_NS_FOUND,  /* ... found (server: the address) */
	WW_STEP_FAILED,    /* this server failed (timeout, ICMP, SERVFAIL, malformed, lame) */
	WW_STEP_TRUNCATED, /* TC=1: the answer did not fit in UDP */
};

struct ww_resolve_step {
	enum ww_resolve_step_kind kind;
	unsigned depth;                  /* 0, or how deep in name-server lookups */
	uint64_t now_ns;
	uint32_t server;                 /* asked (QUERY...), or found (NS_FOUND) */
	uint16_t port;
	const char *server_name;         /* "a.root-servers.net." or "" when not known */
	const char *why;                 /* QUERY: why this server ("from the root hints") */
	const struct ww_dns_name *qname; /* the question of this step */
	uint16_t qtype;
	uint16_t id, sport;              /* QUERY, RETRY */
	unsigned attempt;                /* QUERY, RETRY: 1, 2, ... */
	bool rd;
	const struct ww_dns_msg *msg;    /* RESPONSE, REFERRAL, TRUNCATED: the parsed response */
	const uint8_t *raw;              /* ... and its bytes */
	size_t raw_len;
	uint64_t rtt_ns;                 /* RESPONSE: since the last send */
	const struct ww_dns_name *zone;  /* REFERRAL: the zone delegated; CNAME: the new name */
	const char *text;                /* a line for a person: what was decided and why */
};
typedef void (*ww_resolve_step_fn)(void *arg, const struct ww_resolve_step *s);

struct ww_resolve_req {
	struct ww_dns_name qname;
	uint16_t qtype;
	enum ww_resolve_mode mode;
	bool no_rd;                      /* stub: RD=0 (dig +norecurse) */
	uint32_t server;                 /* stub: 0, the configured resolver (dig @SERVER) */
	uint16_t port;                   /* 0: 53 (dig -p) */
	bool use_cache;                  /* stub: answer from the cache if it can, keep what comes */
	ww_resolve_step_fn step;         /* may be NULL */
	void *step_arg;
};

enum ww_resolve_status {
	WW_RESOLVE_PENDING,
	WW_RESOLVE_ANSWERED,   /* a response (rcode tells which: NOERROR, NXDOMAIN, SERVFAIL...) */
	WW_RESOLVE_TIMEOUT,    /* nothing came back after every try */
	WW_RESOLVE_UNREACHABLE,/* an ICMP error came back (port unreachable...) */
	WW_RESOLVE_MALFORMED,  /* the response could not be parsed: ERROR says where and why */
	WW_RESOLVE_TRUNCATED,  /* TC=1 and no TCP to ask again with: MSG is the cut answer */
	WW_RESOLVE_LIMIT,      /* depth, referrals, CNAMEs or queries over their limit */
	WW_RESOLVE_FAILED,     /* no server left to ask, or nothing could be sent */
};

struct ww_resolve_result {
	enum ww_resolve_status status;
	unsigned rcode;           /* ANSWERED, TRUNCATED: the final response's */
	bool from_cache;          /* answered from the cache: nothing was sent */
	bool authoritative;       /* AA in the final response */
	bool over_tcp;            /* the final response came over TCP (after TC=1) */
	char error[256];          /* why, for a person, when not ANSWERED */
	uint32_t server;          /* who gave the final response */
	uint16_t port;
	uint64_t started_ns, finished_ns;
	uint64_t rtt_ns;          /* the final response's round trip */
	unsigned queries;         /* datagrams sent, retries included */
	/* The final answer as a DNS message, for printing dig's way. Stub:
	 * the response as received. Iterative: made from the walk — the
	 * question asked, the whole CNAME chain and the records at its end,
	 * and for NXDOMAIN/NODATA the SOA. From the cache: made from the
	 * cache with the TTLs left. NULL when there is none. */
	const uint8_t *msg;
	size_t msg_len;
	/* The answer read from it: the name at the end of the CNAME chain,
	 * its IPv4 addresses (qtype A), the smallest TTL on the way. */
	struct ww_dns_name canonical;
	uint32_t addrs[WW_RES_ADDRS_MAX];
	unsigned naddrs;
	uint32_t ttl;
};

/* Start a lookup at NOW. With use_cache and the answer cached, it is done
 * at once (from_cache). NULL when REQ is unusable (no server, no root
 * hints) or memory ran out; ERR (may be NULL, 128 bytes) says which. */
struct ww_lookup *ww_resolver_start(struct ww_resolver *r, const struct ww_resolve_req *req,
				    uint64_t now_ns, char *err, size_t errlen);
bool ww_lookup_done(const struct ww_lookup *l);
const struct ww_resolve_result *ww_lookup_result(const struct ww_lookup *l);
/* Forget the lookup; one still running is abandoned (its socket closed). */
void ww_lookup_free(struct ww_lookup *l);

/* ---- TCP, when an answer is truncated ---------------------------------
 * With a hook set, a response with TC=1 is handed to QUERY (the query's
 * bytes, the server) and the lookup waits until ww_resolver_tcp_answer
 * gives it the answer read over TCP (without its length prefix), or
 * MSG NULL when the TCP exchange failed. Without one, the lookup ends
 * WW_RESOLVE_TRUNCATED. QUERY returns 0, or -1 if it cannot try. */
struct ww_resolver_tcp_hook {
	int (*query)(void *arg, struct ww_lookup *l, uint32_t server, uint16_t port,
		     const uint8_t *msg, size_t len, uint64_t now_ns);
	/* The lookup no longer waits (it was freed, or ended otherwise):
	 * forget L, give no answer for it. May be NULL. */
	void (*cancel)(void *arg, struct ww_lookup *l);
	void *arg;
};
void ww_resolver_set_tcp(struct ww_resolver *r, const struct ww_resolver_tcp_hook *h);
void ww_resolver_tcp_answer(struct ww_lookup *l, const uint8_t *msg, size_t len, uint64_t now_ns);

/* ---- the cache -------------------------------------------------------- */

enum ww_cache_kind { WW_CACHE_POSITIVE, WW_CACHE_NXDOMAIN, WW_CACHE_NODATA };

/* One entry as `dns cache` shows it. NXDOMAIN entries hold for every type
 * (type 0). */
struct ww_cache_entry_view {
	const struct ww_dns_name *name;
	uint16_t type;
	enum ww_cache_kind kind;
	uint32_t ttl;             /* as it came */
	uint32_t ttl_left;        /* whole seconds left at NOW */
	const struct ww_dns_rr *rrs; /* POSITIVE: the RRset, TTLs as they came */
	unsigned nrr;
	const struct ww_dns_rr *soa; /* negative: the SOA that set the TTL, or NULL */
	uint32_t server;          /* who gave it */
};
/* Entries alive at NOW (expired ones are dropped first). */
size_t ww_resolver_cache_count(struct ww_resolver *r, uint64_t now_ns);
/* Entry I (0 ≤ I < count), oldest first: 0, or -1 past the end. */
int ww_resolver_cache_at(struct ww_resolver *r, size_t i, uint64_t now_ns,
			 struct ww_cache_entry_view *v);
/* Forget everything; returns how many entries there were. */
size_t ww_resolver_cache_flush(struct ww_resolver *r);

/* ---- counters (`dns stats`) ------------------------------------------- */

const struct ww_counter_info *ww_resolver_counter_info(size_t i);
uint64_t ww_resolver_counter_value(const struct ww_resolver *r, size_t i);
/* By name ("dns.bad_id"); UINT64_MAX if there is none. */
uint64_t ww_resolver_counter(const struct ww_resolver *r, const char *name);

const char *ww_resolve_status_name(enum ww_resolve_status s);

/* "10.2.0.192.in-addr.arpa." for 192.0.2.10 (RFC 1035 §3.5). */
void ww_dns_reverse_name(uint32_t ip, struct ww_dns_name *n);

#endif
