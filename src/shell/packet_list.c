/* The bounded packet list (see packet_list.h).
 *
 * Frames are kept first-in first-out, so the bookkeeping is two queues:
 * entry chunks (frame NO sits in chunk (NO - 1) / CHUNK) and data blocks
 * filled one after the other. The oldest frame kept always lives in the
 * oldest block; a block none of whose frames is kept is given back, but
 * for the newest, which is still being filled. */
#include <stdlib.h>
#include <string.h>

#include "ww/packet_list.h"

#define CHUNK 1024
/* A block takes frames of up to 64 KiB whole; a longer one gets a block
 * of its own size. */
#define BLOCK_BYTES (256u * 1024)

struct ww_pl_block {
	struct ww_pl_block *next; /* the next newer block */
	size_t size, used;
	unsigned live;         /* frames in it still kept */
	uint8_t data[];
};

void ww_packet_list_init(struct ww_packet_list *pl, unsigned max_frames, size_t max_bytes)
{
	memset(pl, 0, sizeof *pl);
	pl->first = 1;
	pl->max_frames = max_frames;
	pl->max_bytes = max_bytes;
}

void ww_packet_list_free(struct ww_packet_list *pl)
{
	for (size_t c = 0; c < pl->nchunks; c++)
		free(pl->chunks[c]);
	free(pl->chunks);
	for (struct ww_pl_block *b = pl->oldest, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(pl->spare);
	memset(pl, 0, sizeof *pl);
}

static size_t cost(size_t len)
{
	return len ? len : 1;
}

static struct ww_packet *entry(const struct ww_packet_list *pl, unsigned no)
{
	size_t c = (size_t)(no - 1) / CHUNK - pl->base_chunk;
	return &pl->chunks[c][(no - 1) % CHUNK];
}

const struct ww_packet *ww_packet_list_get(const struct ww_packet_list *pl, unsigned no)
{
	return no >= pl->first && no <= pl->count ? entry(pl, no) : NULL;
}

/* ---- forgetting -------------------------------------------------------- */

/* A block with no frame left: kept as the spare for the next one needed. */
static void retire_block(struct ww_packet_list *pl, struct ww_pl_block *b)
{
	if (!pl->spare && b->size == BLOCK_BYTES) {
		pl->spare = b;
		return;
	}
	free(b);
}

/* Chunks whose frames all come before the oldest kept go. */
static void trim_chunks(struct ww_packet_list *pl)
{
	size_t keep_from = (size_t)(pl->first - 1) / CHUNK, n = 0;
	while (n < pl->nchunks && pl->base_chunk + n < keep_from)
		free(pl->chunks[n++]);
	if (!n)
		return;
	memmove(pl->chunks, pl->chunks + n, (pl->nchunks - n) * sizeof *pl->chunks);
	pl->nchunks -= n;
	pl->base_chunk += n;
}

static void forget_oldest(struct ww_packet_list *pl)
{
	struct ww_packet *p = entry(pl, pl->first);
	pl->bytes -= cost(p->len);
	p->data = NULL;
	struct ww_pl_block *b = pl->oldest;
	if (--b->live == 0 && b != pl->newest) {
		pl->oldest = b->next;
		retire_block(pl, b);
	}
	pl->first++;
}

static void forget_all(struct ww_packet_list *pl)
{
	while (pl->first <= pl->count)
		forget_oldest(pl);
	trim_chunks(pl);
}

/* Would one more frame of MORE bytes (0: none) break a limit? */
static bool over(const struct ww_packet_list *pl, size_t more)
{
	size_t kept = (size_t)pl->count + 1 - pl->first + (more ? 1 : 0);
	return kept > pl->max_frames || pl->bytes + more > pl->max_bytes;
}

void ww_packet_list_set_limits(struct ww_packet_list *pl, unsigned max_frames, size_t max_bytes)
{
	pl->max_frames = max_frames;
	pl->max_bytes = max_bytes;
	while (pl->first <= pl->count && over(pl, 0))
		forget_oldest(pl);
	trim_chunks(pl);
}

/* ---- keeping ------------------------------------------------------------- */

static struct ww_pl_block *new_block(struct ww_packet_list *pl, size_t need)
{
	struct ww_pl_block *b;
	if (pl->spare && need <= BLOCK_BYTES) {
		b = pl->spare;
		pl->spare = NULL;
	} else {
		size_t size = need > BLOCK_BYTES ? need : BLOCK_BYTES;
		if (!(b = malloc(sizeof *b + size)))
			return NULL;
		b->size = size;
	}
	b->next = NULL;
	b->used = 0;
	b->live = 0;
	return b;
}

/* Room for LEN bytes at the end of the newest block, or in a new one. */
static uint8_t *take_room(struct ww_packet_list *pl, size_t len)
{
	size_t need = (len + 7) & ~(size_t)7;
	struct ww_pl_block *b = pl->newest;
	if (!b || b->size - b->used < need) {
		if (!(b = new_block(pl, need)))
			return NULL;
		struct ww_pl_block *prev = pl->newest;
		if (!prev) {
			pl->oldest = b;
		} else if (prev->live == 0) {
			/* Nothing kept in it, so nothing older either: it was the
			 * only block. */
			retire_block(pl, prev);
			pl->oldest = b;
		} else {
			prev->next = b;
		}
		pl->newest = b;
	}
	uint8_t *at = b->data + b->used;
	b->used += need;
	b->live++;
	return at;
}

/* The entry for frame COUNT + 1, its chunk made if need be. */
static struct ww_packet *next_entry(struct ww_packet_list *pl)
{
	if (pl->nchunks == 0)
		pl->base_chunk = pl->count / CHUNK;
	size_t c = pl->count / CHUNK - pl->base_chunk;
	if (c == pl->nchunks) {
		struct ww_packet **t = realloc(pl->chunks, (pl->nchunks + 1) * sizeof *t);
		if (!t)
			return NULL;
		pl->chunks = t;
		if (!(t[pl->nchunks] = calloc(CHUNK, sizeof **t)))
			return NULL;
		pl->nchunks++;
	}
	return &pl->chunks[c][pl->count % CHUNK];
}

/* Numbered, not kept: the list then holds nothing, so numbers stay
 * contiguous in it. */
static const struct ww_packet *not_kept(struct ww_packet_list *pl, bool sent,
					const uint8_t *frame, size_t len, uint64_t now)
{
	forget_all(pl);
	pl->count++;
	pl->first = pl->count + 1;
	trim_chunks(pl);
	pl->scratch = (struct ww_packet){ .no = pl->count, .sent = sent, .ts_ns = now,
					  .len = (uint32_t)len, .data = (uint8_t *)frame };
	return &pl->scratch;
}

const struct ww_packet *ww_packet_list_add(struct ww_packet_list *pl, bool sent,
					   const uint8_t *frame, size_t len, uint64_t now_ns)
{
	size_t bytes = cost(len);
	if (pl->max_frames == 0 || bytes > pl->max_bytes)
		return not_kept(pl, sent, frame, len, now_ns);
	while (pl->first <= pl->count && over(pl, bytes))
		forget_oldest(pl);
	trim_chunks(pl);
	struct ww_packet *p = next_entry(pl);
	uint8_t *data = p ? take_room(pl, bytes) : NULL;
	if (!data) /* out of memory: numbered all the same */
		return not_kept(pl, sent, frame, len, now_ns);
	memcpy(data, frame, len);
	pl->count++;
	*p = (struct ww_packet){ .no = pl->count, .sent = sent, .ts_ns = now_ns,
				 .len = (uint32_t)len, .data = data };
	pl->bytes += bytes;
	return p;
}
