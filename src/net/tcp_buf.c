/* The TCP's buffers: a byte ring for the send and the receive side, and
 * the queue of segments that arrived out of order (RFC 9293 §3.10.7.4,
 * "segment text": data beyond RCV.NXT is held until the gap is filled),
 * with the SACK blocks a receiver reports from it (RFC 2018 §4). */
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

/* ---- rings ----------------------------------------------------------------- */

/* The memory is taken on the first write: most connections never need
 * all of it, some never any. */
int tcp_ring_init(struct ww_tcp_ring *r, size_t cap)
{
	r->buf = NULL;
	r->cap = cap;
	r->head = r->len = 0;
	return 0;
}

void tcp_ring_free(struct ww_tcp_ring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->head = r->len = 0;
}

size_t tcp_ring_room(const struct ww_tcp_ring *r)
{
	return r->cap - r->len;
}

size_t tcp_ring_write(struct ww_tcp_ring *r, const uint8_t *p, size_t n)
{
	if (n > r->cap - r->len)
		n = r->cap - r->len;
	if (n == 0)
		return 0;
	if (!r->buf && !(r->buf = malloc(r->cap)))
		return 0;
	size_t tail = (r->head + r->len) % r->cap;
	size_t first = r->cap - tail < n ? r->cap - tail : n;
	memcpy(r->buf + tail, p, first);
	memcpy(r->buf, p + first, n - first);
	r->len += n;
	return n;
}

void tcp_ring_peek(const struct ww_tcp_ring *r, size_t off, uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	size_t at = (r->head + off) % r->cap;
	size_t first = r->cap - at < n ? r->cap - at : n;
	memcpy(p, r->buf + at, first);
	memcpy(p + first, r->buf, n - first);
}

void tcp_ring_drop(struct ww_tcp_ring *r, size_t n)
{
	if (n > r->len)
		n = r->len;
	r->len -= n;
	r->head = r->len ? (r->head + n) % r->cap : 0;
}

size_t tcp_ring_read(struct ww_tcp_ring *r, uint8_t *p, size_t n)
{
	if (n > r->len)
		n = r->len;
	tcp_ring_peek(r, 0, p, n);
	tcp_ring_drop(r, n);
	return n;
}

/* ---- the out-of-order queue -------------------------------------------------- */

static struct ww_tcp_ooo *ooo_node(uint32_t seq, const uint8_t *data, uint32_t len)
{
	struct ww_tcp_ooo *n = malloc(sizeof *n + len);
	if (!n)
		return NULL;
	n->next = NULL;
	n->seq = seq;
	n->len = len;
	memcpy(n->data, data, len);
	return n;
}

/* The queue is sorted and its nodes never overlap: each piece of the new
 * segment that no node holds yet becomes a node of its own, so a
 * retransmission that covers two held segments and the gap between them
 * stores only the gap. */
size_t tcp_ooo_add(struct ww_tcb *c, uint32_t seq, const uint8_t *data, uint32_t len)
{
	uint32_t s = seq, e = seq + len;
	size_t added = 0;
	struct ww_tcp_ooo **pp = &c->ooo;
	while (ww_seq_lt(s, e)) {
		struct ww_tcp_ooo *n = *pp;
		if (n && ww_seq_leq(n->seq + n->len, s)) {
			pp = &n->next; /* wholly before S */
			continue;
		}
		if (n && ww_seq_leq(n->seq, s)) {
			s = n->seq + n->len; /* N holds S already */
			pp = &n->next;
			continue;
		}
		/* A gap from S to the next node, or to E. */
		uint32_t pe = n && ww_seq_lt(n->seq, e) ? n->seq : e;
		struct ww_tcp_ooo *m = ooo_node(s, data + (s - seq), pe - s);
		if (!m)
			break;
		m->next = n;
		*pp = m;
		pp = &m->next;
		added += pe - s;
		c->ooo_bytes += pe - s;
		c->ooo_segs++;
		s = pe;
	}
	return added;
}

void tcp_ooo_free(struct ww_tcb *c)
{
	struct ww_tcp_ooo *n = c->ooo;
	while (n) {
		struct ww_tcp_ooo *next = n->next;
		free(n);
		n = next;
	}
	c->ooo = NULL;
	c->ooo_bytes = 0;
	c->ooo_segs = 0;
	c->nrsack = 0;
}

/* RFC 2018 §4: the first block reports the segment that triggered the
 * ACK; the others follow. Contiguous nodes are one block. */
void tcp_sack_update(struct ww_tcb *c, uint32_t seq)
{
	struct ww_tcp_sack runs[WW_TCP_MAX_SACK * 4];
	unsigned nruns = 0;
	for (struct ww_tcp_ooo *n = c->ooo; n; n = n->next) {
		if (nruns && runs[nruns - 1].right == n->seq) {
			runs[nruns - 1].right = n->seq + n->len;
			continue;
		}
		if (nruns == sizeof runs / sizeof runs[0])
			break;
		runs[nruns++] = (struct ww_tcp_sack){ n->seq, n->seq + n->len };
	}
	unsigned max = c->ts_ok ? 3 : WW_TCP_MAX_SACK;
	c->nrsack = 0;
	for (unsigned i = 0; i < nruns; i++)
		if (ww_seq_leq(runs[i].left, seq) && ww_seq_lt(seq, runs[i].right))
			c->rsack[c->nrsack++] = runs[i];
	for (unsigned i = 0; i < nruns && c->nrsack < max; i++)
		if (!(ww_seq_leq(runs[i].left, seq) && ww_seq_lt(seq, runs[i].right)))
			c->rsack[c->nrsack++] = runs[i];
}
