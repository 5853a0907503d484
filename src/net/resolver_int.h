/* Inside the resolver: shared by resolver.c (lookups, queries, matching,
 * retries, the stub mode), resolver_iter.c (the iterative walk) and
 * resolver_cache.c (the cache, CNAME chains, answers made from them). */
#ifndef WW_RESOLVER_INT_H
#define WW_RESOLVER_INT_H

#include "ww/resolver.h"
#include "ww/rng.h"
#include "ww/stack.h"
#include "ww/udpsock.h"

/* Counter indexes: the order of the table in resolver.c. */
enum res_ctr {
	/* drops */
	R_SHORT, R_NOT_RESPONSE, R_BAD_ID, R_BAD_QUESTION, R_MALFORMED,
	/* events */
	R_QUERIES, R_RETRIES, R_RESPONSES, R_TIMEOUTS, R_ICMP, R_TRUNCATED, R_RCODE_ERRORS,
	R_REFERRALS, R_CNAMES, R_NS_LOOKUPS, R_CACHE_HITS, R_CACHE_NEG_HITS, R_CACHE_MISSES,
	R_CACHE_STORED,
	R_COUNT
};

/* A cached RRset, or a negative answer (RFC 2308). */
struct centry {
	bool used;
	uint8_t kind;          /* enum ww_cache_kind */
	struct ww_dns_name name;
	uint16_t type;         /* 0 for NXDOMAIN: every type */
	uint32_t ttl;
	uint64_t stored_ns, expires_ns, seq;
	struct ww_dns_rr *rrs; /* POSITIVE */
	unsigned nrr;
	struct ww_dns_rr *soa; /* negative, if one came */
	uint32_t server;
};

/* A name server of the zone a walk is at. */
struct nsrv {
	struct ww_dns_name name;
	uint32_t ip;
	bool has_ip;
	bool glue;             /* the address came as glue (else looked up, or a hint) */
	bool bad;              /* asked and failed, or its address could not be found */
};

/* One name the walk resolves: the lookup's own (task 0), or the address
 * of a name server that came without glue (task 1, 2, ...). */
struct task {
	struct ww_dns_name qname;
	uint16_t qtype;
	struct ww_dns_name zone;     /* the closest zone cut known */
	struct nsrv srv[WW_RES_SERVERS_MAX];
	unsigned nsrv;
	int cur;                     /* the server being asked, -1 */
	unsigned referrals;
	int child_for;               /* the server whose address task+1 is finding, -1 */
};

/* The one query in flight. */
struct query {
	bool active;
	bool via_tcp;                /* handed to the TCP hook, waiting */
	int sock;
	uint16_t id, sport, port;
	uint32_t server;
	char server_name[WW_DNS_TEXT_MAX];
	struct ww_dns_name qname;
	uint16_t qtype;
	bool rd;
	uint8_t pkt[WW_DNS_UDP_MAX];
	size_t pkt_len;
	unsigned attempt;
	uint64_t sent_ns, wait_ns, deadline_ns;
};

struct ww_lookup {
	struct ww_resolver *r;
	struct ww_lookup *next;
	struct ww_resolve_req req;
	struct ww_resolve_result res;
	struct query q;
	struct task task[WW_RES_MAX_DEPTH_LIMIT + 1];
	unsigned ntask;
	unsigned cnames;
	/* Iterative: the CNAMEs met on the way (task 0 only), for the answer. */
	struct ww_dns_rr *chain;
	unsigned nchain;
	/* The response being handled, and the message an answer is made in. */
	struct ww_dns_msg *m, *out;
	uint8_t *msgbuf;             /* res.msg points here */
	/* Iterative: the last server's failure, what the lookup ends with if
	 * no server is left. */
	enum ww_resolve_status fail_status;
	char fail_text[256];
	unsigned fail_rcode;
	uint8_t *fail_msg;
	size_t fail_len;
	uint32_t fail_server;
};

struct ww_resolver {
	struct ww_resolver_config cfg;
	struct ww_udp_layer *udp;
	struct ww_rng rng;
	ww_event_fn ev;
	void *ev_arg;
	uint64_t ctr[R_COUNT];
	struct ww_lookup *lookups;
	struct ww_resolver_tcp_hook tcp;
	bool has_tcp;
	struct centry *cache;        /* cfg.cache_max slots */
	uint64_t cache_seq;
};

#define RES_MSGBUF_SIZE 65535

/* resolver.c */
/* snprintf for texts for a person: cut at CAP without fuss (names may be
 * long; a cut line is fine). */
void res_textf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void res_event(struct ww_resolver *r, enum ww_event_type type, enum res_ctr c, uint64_t now,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Report a step of L; TEXT is printf-formatted (NULL: none). */
void res_step(struct ww_lookup *l, struct ww_resolve_step *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Ask SERVER:PORT about QNAME/QTYPE: a new socket on a random port, a
 * random ID. 0, or -1 when nothing could be sent (the lookup then goes on
 * as after a failure: the caller decides). */
int res_query(struct ww_lookup *l, uint32_t server, uint16_t port, const char *server_name,
	      const struct ww_dns_name *qname, uint16_t qtype, bool rd, const char *why,
	      uint64_t now);
void res_query_end(struct ww_lookup *l);
/* End the lookup with STATUS; ERROR_FMT says why (NULL for ANSWERED). */
void res_finish(struct ww_lookup *l, enum ww_resolve_status status, uint64_t now,
		const char *error_fmt, ...) __attribute__((format(printf, 4, 5)));
/* Keep MSG as the result's message and read the answer from it. */
void res_set_answer(struct ww_lookup *l, const uint8_t *msg, size_t len);
/* The server's name for QUERY steps: "a.root-servers.net." or "". */
const char *res_name_text(const struct ww_dns_name *n, char *buf);
struct ww_dns_msg *res_out_msg(struct ww_lookup *l);

/* resolver_iter.c */
void iter_start(struct ww_lookup *l, uint64_t now);
void iter_response(struct ww_lookup *l, const uint8_t *raw, size_t len, uint64_t now);
void iter_failed(struct ww_lookup *l, enum ww_resolve_status st, const uint8_t *raw,
		 size_t len, const char *text, uint64_t now);

/* resolver_cache.c */
/* The CNAME chain in M's answer section from QNAME, and the RRset of
 * QTYPE where it ends; only records in ZONE (NULL: any) count. */
struct chain {
	const struct ww_dns_rr *cname[16];
	unsigned ncname;
	bool too_long;               /* more CNAMEs than the limit (or a loop) */
	struct ww_dns_name final;    /* the name at the end */
	const struct ww_dns_rr *rrset[WW_DNS_MAX_RRS];
	unsigned nrrset;
	uint32_t min_ttl;
};
void chain_follow(const struct ww_dns_msg *m, const struct ww_dns_name *qname, uint16_t qtype,
		  const struct ww_dns_name *zone, unsigned max, struct chain *c);
/* The SOA in M's authority section for a zone enclosing NAME, or NULL. */
const struct ww_dns_rr *find_soa(const struct ww_dns_msg *m, const struct ww_dns_name *name);
/* RFC 2181 §8: a TTL over 2^31 - 1 is 0; and none kept over a week. */
uint32_t ttl_clamp(uint32_t ttl);

int cache_init(struct ww_resolver *r);
void cache_free(struct ww_resolver *r);
/* Store what M (the response to QNAME/QTYPE from SERVER) answers. */
void cache_store(struct ww_resolver *r, const struct ww_dns_msg *m,
		 const struct ww_dns_name *qname, uint16_t qtype, uint32_t server, uint64_t now);
/* Answer QNAME/QTYPE from the cache into OUT (a response: question,
 * answer, SOA in authority for a negative one, TTLs left at NOW): true on
 * a hit, *NEGATIVE telling NXDOMAIN or NODATA. */
bool cache_answer(struct ww_resolver *r, const struct ww_dns_name *qname, uint16_t qtype,
		  uint64_t now, struct ww_dns_msg *out, uint32_t *server, bool *negative);
/* Append a copy of RR to OUT's SECTION with TTL; NULL if full. */
struct ww_dns_rr *msg_add_rr(struct ww_dns_msg *out, enum ww_dns_section sec,
			     const struct ww_dns_rr *rr, uint32_t ttl);

#endif
