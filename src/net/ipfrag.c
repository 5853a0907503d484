/* IPv4 fragmentation and reassembly (RFC 791 §2.3, §3.2; RFC 815).
 *
 * Reassembly keeps each datagram's payload in one buffer at the bytes'
 * own offsets, and a sorted list of the ranges received, merged when they
 * touch: the datagram is complete when one range covers [0, total) and
 * the first fragment (with the header to keep) has come. That is RFC 815's
 * hole list turned inside out — ranges held instead of holes left — which
 * makes overlap checks one comparison per range. */
#include "ww/ipfrag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/checksum.h"

#define IP_MAX_LEN 65535u

void ww_reasm_init(struct ww_reasm_table *t)
{
	memset(t, 0, sizeof *t);
}

static void reasm_forget(struct ww_reasm_table *t, struct ww_reasm *r)
{
	t->bytes -= r->cap;
	free(r->buf);
	memset(r, 0, sizeof *r);
}

void ww_reasm_free(struct ww_reasm_table *t)
{
	for (size_t i = 0; i < WW_REASM_MAX; i++)
		if (t->d[i].used)
			reasm_forget(t, &t->d[i]);
	free(t->done);
	ww_reasm_init(t);
}

size_t ww_reasm_in_progress(const struct ww_reasm_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < WW_REASM_MAX; i++)
		n += t->d[i].used;
	return n;
}

uint64_t ww_reasm_next_deadline(const struct ww_reasm_table *t)
{
	uint64_t d = UINT64_MAX;
	for (size_t i = 0; i < WW_REASM_MAX; i++)
		if (t->d[i].used && t->d[i].deadline_ns < d)
			d = t->d[i].deadline_ns;
	return d;
}

/* RFC 791 §3.2: fragments belong together when source, destination,
 * protocol and identification are the same. */
static struct ww_reasm *reasm_find(struct ww_reasm_table *t, const struct ww_ipv4 *ip)
{
	for (size_t i = 0; i < WW_REASM_MAX; i++) {
		struct ww_reasm *r = &t->d[i];
		if (r->used && r->src == ip->src && r->dst == ip->dst && r->id == ip->id &&
		    r->proto == ip->proto)
			return r;
	}
	return NULL;
}

static struct ww_reasm *reasm_new(struct ww_reasm_table *t, const struct ww_ipv4 *ip,
				  uint64_t now)
{
	for (size_t i = 0; i < WW_REASM_MAX; i++) {
		struct ww_reasm *r = &t->d[i];
		if (r->used)
			continue;
		memset(r, 0, sizeof *r);
		r->used = true;
		r->src = ip->src;
		r->dst = ip->dst;
		r->id = ip->id;
		r->proto = ip->proto;
		r->first_ns = now;
		r->deadline_ns = now + WW_REASM_TIMEOUT_NS;
		return r;
	}
	return NULL;
}

/* Drop the fragment; with R, the whole datagram it belongs to as well. */
static enum ww_reasm_verdict drop(struct ww_reasm_table *t, struct ww_reasm *r,
				  struct ww_reasm_out *out, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static enum ww_reasm_verdict drop(struct ww_reasm_table *t, struct ww_reasm *r,
				  struct ww_reasm_out *out, const char *reason, const char *fmt, ...)
{
	if (r)
		reasm_forget(t, r);
	out->reason = reason;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->text, sizeof out->text, fmt, ap);
	va_end(ap);
	return WW_REASM_DROPPED;
}

static int reasm_grow(struct ww_reasm_table *t, struct ww_reasm *r, size_t need)
{
	if (need <= r->cap)
		return 0;
	size_t cap = r->cap ? r->cap : 2048;
	while (cap < need)
		cap *= 2;
	if (cap > IP_MAX_LEN)
		cap = IP_MAX_LEN;
	if (t->bytes - r->cap + cap > WW_REASM_MAX_BYTES)
		return -1;
	uint8_t *b = realloc(r->buf, cap);
	if (!b)
		return -1;
	t->bytes = t->bytes - r->cap + cap;
	r->buf = b;
	r->cap = cap;
	return 0;
}

/* Insert [off, end) into the sorted range list, merging neighbours that
 * touch it. -1 when the list is full. */
static int range_insert(struct ww_reasm *r, uint32_t off, uint32_t end)
{
	size_t i = 0;
	while (i < r->nranges && r->ranges[i].end < off)
		i++;
	/* ranges[i] is the first that ends at or after OFF: it may touch. */
	if (i < r->nranges && r->ranges[i].end == off) {
		r->ranges[i].end = end;
	} else if (i < r->nranges && r->ranges[i].off == end) {
		r->ranges[i].off = off;
		return 0;
	} else {
		if (r->nranges == WW_REASM_MAX_RANGES)
			return -1;
		memmove(&r->ranges[i + 1], &r->ranges[i], (r->nranges - i) * sizeof r->ranges[0]);
		r->ranges[i] = (struct ww_reasm_range){ off, end };
		r->nranges++;
	}
	if (i + 1 < r->nranges && r->ranges[i + 1].off == r->ranges[i].end) {
		r->ranges[i].end = r->ranges[i + 1].end;
		memmove(&r->ranges[i + 1], &r->ranges[i + 2],
			(r->nranges - i - 2) * sizeof r->ranges[0]);
		r->nranges--;
	}
	return 0;
}

static bool reasm_complete(const struct ww_reasm *r)
{
	return r->have_last && r->hlen && r->nranges == 1 && r->ranges[0].off == 0 &&
	       r->ranges[0].end == r->total;
}

/* Put the datagram together into t->done: the first fragment's header
 * with the fragment fields cleared and lengths and checksum made right. */
static int reasm_finish(struct ww_reasm_table *t, struct ww_reasm *r, struct ww_reasm_out *out)
{
	size_t len = r->hlen + r->total;
	uint8_t *d = realloc(t->done, len);
	if (!d)
		return -1;
	t->done = d;
	t->done_len = len;
	memcpy(d, r->hdr, r->hlen);
	memcpy(d + r->hlen, r->buf, r->total);
	ww_put16(d + 2, (uint16_t)len);
	ww_put16(d + 6, (uint16_t)(ww_get16(d + 6) & 0x4000)); /* keep DF, clear MF and offset */
	ww_put16(d + 10, 0);
	ww_put16(d + 10, ww_inet_csum(d, r->hlen));
	out->dgram = d;
	out->len = len;
	out->nfrags = r->nfrags;
	return 0;
}

enum ww_reasm_verdict ww_reasm_input(struct ww_reasm_table *t, const struct ww_ipv4 *ip,
				     const uint8_t *hdr, size_t hlen, const uint8_t *payload,
				     size_t plen, uint64_t now, struct ww_reasm_out *out)
{
	memset(out, 0, sizeof *out);
	uint32_t off = (uint32_t)ip->frag_off * 8;
	uint32_t end = off + (uint32_t)plen;
	bool more = ip->flags & WW_IP_FLAG_MF;
	struct ww_reasm *r = reasm_find(t, ip);

	if (hlen + end > IP_MAX_LEN)
		return drop(t, r, out, "ip.frag_too_big",
			    "fragment ends at byte %u of the payload: the datagram would pass "
			    "65535 bytes (%u)", end, (unsigned)(hlen + end));
	/* RFC 791: every fragment but the last carries a multiple of 8 bytes. */
	if (more && (plen == 0 || plen % 8))
		return drop(t, NULL, out, "ip.frag_bad_len",
			    "fragment with MF set carries %u bytes, not a non-zero multiple of 8",
			    (unsigned)plen);
	if (!r) {
		r = reasm_new(t, ip, now);
		if (!r)
			return drop(t, NULL, out, "ip.frag_limit",
				    "%u datagrams are in reassembly already: fragment dropped",
				    WW_REASM_MAX);
	}
	if (!more) {
		if (r->have_last && r->total != end)
			return drop(t, r, out, "ip.frag_overlap",
				    "a second last fragment ends at %u, the first ended at %u", end,
				    r->total);
		if (r->nranges && r->ranges[r->nranges - 1].end > end)
			return drop(t, r, out, "ip.frag_overlap",
				    "last fragment ends at %u but data up to %u came already", end,
				    r->ranges[r->nranges - 1].end);
	} else if (r->have_last && end > r->total) {
		return drop(t, r, out, "ip.frag_overlap",
			    "fragment ends at %u, past the datagram's end at %u", end, r->total);
	}
	for (size_t i = 0; i < r->nranges; i++) {
		const struct ww_reasm_range *g = &r->ranges[i];
		if (off >= g->end || end <= g->off)
			continue;
		/* A copy of bytes held is harmless; a last fragment that first
		 * tells where the datagram ends is news, not a copy. */
		bool tells_end = !more && !r->have_last;
		if (off >= g->off && end <= g->end && !tells_end &&
		    memcmp(r->buf + off, payload, plen) == 0) {
			out->reason = "ip.frag_duplicate";
			snprintf(out->text, sizeof out->text,
				 "fragment at %u-%u repeats bytes already held", off, end);
			return WW_REASM_DUP;
		}
		return drop(t, r, out, "ip.frag_overlap",
			    "fragment at %u-%u overlaps data held with different bytes: the "
			    "whole datagram is dropped", off, end);
	}
	if (reasm_grow(t, r, end) < 0)
		return drop(t, r, out, "ip.frag_limit",
			    "reassembly memory limit reached (%u bytes): datagram dropped",
			    WW_REASM_MAX_BYTES);
	if (plen && range_insert(r, off, end) < 0)
		return drop(t, r, out, "ip.frag_limit",
			    "more than %u separate pieces held: datagram dropped",
			    WW_REASM_MAX_RANGES);
	memcpy(r->buf + off, payload, plen);
	r->nfrags++;
	if (!more) {
		r->have_last = true;
		r->total = end;
	}
	if (off == 0 && hlen <= sizeof r->hdr) {
		memcpy(r->hdr, hdr, hlen);
		r->hlen = hlen;
		r->quote_len = plen < sizeof r->quote ? plen : sizeof r->quote;
		memcpy(r->quote, payload, r->quote_len);
	}
	if (!reasm_complete(r))
		return WW_REASM_HELD;
	int rc = reasm_finish(t, r, out);
	reasm_forget(t, r);
	if (rc < 0)
		return drop(t, NULL, out, "ip.frag_limit", "out of memory putting %u bytes together",
			    (unsigned)(hlen + end));
	return WW_REASM_DONE;
}

size_t ww_reasm_expire(struct ww_reasm_table *t, uint64_t now,
		       void (*fn)(void *arg, const struct ww_reasm_expired *x), void *arg)
{
	size_t n = 0;
	for (size_t i = 0; i < WW_REASM_MAX; i++) {
		struct ww_reasm *r = &t->d[i];
		if (!r->used || r->deadline_ns > now)
			continue;
		struct ww_reasm_expired x = {
			.src = r->src, .dst = r->dst, .id = r->id, .proto = r->proto,
			.nfrags = r->nfrags,
			.hdr = r->hlen ? r->hdr : NULL, .hlen = r->hlen,
			.quote = r->hlen ? r->quote : NULL, .quote_len = r->hlen ? r->quote_len : 0,
		};
		if (fn)
			fn(arg, &x);
		reasm_forget(t, r);
		n++;
	}
	return n;
}

/* ---- fragmentation ---------------------------------------------------- */

/* The options a later fragment carries: those with the copy flag (the top
 * bit of the type, RFC 791 §3.1). Returns their length. */
static size_t copied_options(const struct ww_ipv4 *ip, uint8_t *out)
{
	size_t n = 0, i = 0;
	size_t len = ip->opt_len > WW_IPV4_MAX_OPTS ? WW_IPV4_MAX_OPTS : ip->opt_len;
	while (i < len) {
		uint8_t type = ip->options[i];
		if (type == WW_IPOPT_EOL)
			break;
		size_t olen = 1;
		if (type != WW_IPOPT_NOP) {
			if (i + 1 >= len || ip->options[i + 1] < 2 || i + ip->options[i + 1] > len)
				break; /* malformed: copy nothing further */
			olen = ip->options[i + 1];
		}
		if (type & 0x80) {
			memcpy(out + n, ip->options + i, olen);
			n += olen;
		}
		i += olen;
	}
	return n;
}

int ww_ip_fragment(const struct ww_ipv4 *ip, const uint8_t *payload, size_t len, unsigned mtu,
		   int (*emit)(void *arg, const uint8_t *frag, size_t frag_len), void *arg)
{
	size_t hlen = ww_ipv4_header_len(ip);
	if (hlen + len > IP_MAX_LEN)
		return -1;
	uint8_t *buf = malloc(hlen + len <= mtu ? hlen + len : mtu + 60);
	if (!buf)
		return -1;
	int count = -1;
	if (hlen + len <= mtu) {
		if (ww_ipv4_emit(ip, len, buf, hlen + len) == hlen) {
			memcpy(buf + hlen, payload, len);
			count = emit(arg, buf, hlen + len) ? -1 : 1;
		}
		free(buf);
		return count;
	}
	if (ip->flags & WW_IP_FLAG_DF)
		goto out;
	struct ww_ipv4 h = *ip;
	h.manual = 0; /* each fragment's lengths and checksum are its own */
	size_t off = 0;
	count = 0;
	while (off < len) {
		size_t fhlen = ww_ipv4_header_len(&h);
		if (mtu < fhlen + 8) {
			count = -1;
			break;
		}
		size_t room = (mtu - fhlen) & ~(size_t)7;
		size_t n = len - off < room ? len - off : room;
		bool last = off + n == len;
		h.frag_off = (uint16_t)(ip->frag_off + off / 8);
		h.flags = (uint8_t)(ip->flags & ~WW_IP_FLAG_MF);
		/* A fragment of a fragment keeps MF on its last piece too. */
		if (!last || (ip->flags & WW_IP_FLAG_MF))
			h.flags |= WW_IP_FLAG_MF;
		if (ww_ipv4_emit(&h, n, buf, fhlen + n) != fhlen) {
			count = -1;
			break;
		}
		memcpy(buf + fhlen, payload + off, n);
		if (emit(arg, buf, fhlen + n)) {
			count = -1;
			break;
		}
		count++;
		off += n;
		if (off == n) /* after the first: only the copied options */
			h.opt_len = (uint8_t)copied_options(ip, h.options);
	}
out:
	free(buf);
	return count;
}
