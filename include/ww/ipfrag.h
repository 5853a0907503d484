/* IPv4 fragmentation and reassembly (RFC 791 §2.3 and §3.2, RFC 815).
 *
 * Reassembly keeps, per datagram (source, destination, protocol,
 * identification), the bytes received so far and the ranges they cover.
 * A fragment that overlaps data already held is a different matter from a
 * duplicate: a fragment whose bytes repeat what is held is dropped alone;
 * one that overlaps with different bytes (or only partly) drops the whole
 * datagram, as Linux does since 4.19 and RFC 5722 requires for IPv6 —
 * overlaps are how fragment attacks smuggle a second meaning past a
 * filter. Limits: a timeout, a number of datagrams in progress, a number
 * of byte ranges per datagram, the 65,535-byte datagram size. Pure: the
 * caller passes the time. */
#ifndef WW_IPFRAG_H
#define WW_IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/ipv4.h"

#define WW_REASM_MAX 16                   /* datagrams in reassembly at once */
#define WW_REASM_MAX_RANGES 64            /* separate pieces held per datagram */
#define WW_REASM_TIMEOUT_NS 30000000000ull /* Linux's ipfrag_time; RFC 791 suggests 15 s */
#define WW_REASM_MAX_BYTES (1024u * 1024u) /* all datagrams in reassembly together */

struct ww_reasm_range {
	uint32_t off, end; /* payload bytes [off, end) */
};

struct ww_reasm {
	bool used;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	uint64_t first_ns, deadline_ns;
	uint8_t hdr[60];     /* the header of the fragment at offset 0, once it came */
	size_t hlen;         /* 0 until then */
	uint8_t quote[8];    /* the first 8 payload bytes, for an ICMP error (RFC 792) */
	size_t quote_len;
	uint32_t total;      /* payload length, known once the last fragment (MF=0) came; else 0 */
	bool have_last;
	uint8_t *buf;        /* payload bytes at their offsets */
	size_t cap;
	struct ww_reasm_range ranges[WW_REASM_MAX_RANGES]; /* sorted, merged when adjacent */
	size_t nranges;
	unsigned nfrags;     /* fragments taken */
};

struct ww_reasm_table {
	struct ww_reasm d[WW_REASM_MAX];
	size_t bytes; /* buffer bytes held by all */
	/* The last datagram put together: valid until the next input. */
	uint8_t *done;
	size_t done_len;
};

enum ww_reasm_verdict {
	WW_REASM_HELD,     /* kept, the datagram is not complete yet */
	WW_REASM_DONE,     /* complete: out->dgram holds the whole datagram */
	WW_REASM_DUP,      /* a duplicate of bytes held: this fragment alone dropped */
	WW_REASM_DROPPED,  /* this fragment (and maybe its datagram) thrown away: out->reason */
};

struct ww_reasm_out {
	const uint8_t *dgram; /* WW_REASM_DONE: header (MF and offset cleared, lengths and
			       * checksum recomputed) and payload; valid until the next call */
	size_t len;
	unsigned nfrags;      /* how many fragments it was made of */
	const char *reason;   /* WW_REASM_DUP/DROPPED: "ip.frag_overlap", "ip.frag_limit", ... */
	char text[128];       /* why, for a person */
};

void ww_reasm_init(struct ww_reasm_table *t);
void ww_reasm_free(struct ww_reasm_table *t);
/* Take one fragment: IP is its parsed header, HDR/HLEN its header bytes,
 * PAYLOAD/PLEN its data (limited to the total length). */
enum ww_reasm_verdict ww_reasm_input(struct ww_reasm_table *t, const struct ww_ipv4 *ip,
				     const uint8_t *hdr, size_t hlen, const uint8_t *payload,
				     size_t plen, uint64_t now, struct ww_reasm_out *out);
/* A datagram given up on at its deadline. HDR/HLEN and QUOTE are set only
 * if the first fragment came (only then may an ICMP time exceeded, code 1,
 * be sent: RFC 792). */
struct ww_reasm_expired {
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	unsigned nfrags;
	const uint8_t *hdr;
	size_t hlen;
	const uint8_t *quote;
	size_t quote_len;
};
/* Remove every datagram whose deadline is at or before NOW, calling FN for
 * each first. Returns how many. */
size_t ww_reasm_expire(struct ww_reasm_table *t, uint64_t now,
		       void (*fn)(void *arg, const struct ww_reasm_expired *x), void *arg);
uint64_t ww_reasm_next_deadline(const struct ww_reasm_table *t);
size_t ww_reasm_in_progress(const struct ww_reasm_table *t);

/* Fragmentation (RFC 791 §3.2): cut a datagram whose header is IP (its
 * options included) and payload PAYLOAD/LEN into fragments of at most MTU
 * bytes, each fragment's data a multiple of 8 bytes but the last; later
 * fragments carry only the options whose copy flag is set. EMIT gets each
 * whole fragment, header first, in order; a non-zero return stops.
 * Returns the number of fragments, or -1 (MTU too small for a header and
 * 8 bytes, DF set on a datagram over MTU, EMIT failed, out of memory).
 * A datagram that fits is passed through as one. */
int ww_ip_fragment(const struct ww_ipv4 *ip, const uint8_t *payload, size_t len, unsigned mtu,
		   int (*emit)(void *arg, const uint8_t *frag, size_t frag_len), void *arg);

#endif
