/* The session's packet list: every frame sent and received is numbered
 * from 1, and the last ones are kept — at most MAX_FRAMES frames and
 * MAX_BYTES bytes of them — so that `$N`, `packets` and `show` can look
 * back, while a long transfer does not keep every byte it moved.
 *
 * Frames are copied into blocks that fill one after the other and are
 * given back whole once every frame in them is forgotten: a frame costs
 * one copy, no allocation. Entries sit in chunks that never move, so a
 * packet returned stays where it is until it is forgotten. */
#ifndef WW_PACKET_LIST_H
#define WW_PACKET_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/session.h"

#define WW_KEEP_ALL_FRAMES UINT32_MAX
#define WW_KEEP_ALL_BYTES SIZE_MAX

struct ww_pl_block;

struct ww_packet_list {
	unsigned count;            /* frames numbered so far */
	unsigned first;            /* the oldest frame kept (count + 1: none) */
	unsigned max_frames;       /* WW_KEEP_ALL_FRAMES: no limit */
	size_t max_bytes;          /* WW_KEEP_ALL_BYTES: no limit */
	size_t bytes;              /* bytes of the frames kept */
	struct ww_packet **chunks; /* chunk C holds frames base_chunk + C */
	size_t nchunks, base_chunk;
	struct ww_pl_block *oldest, *newest, *spare;
	struct ww_packet scratch;  /* a frame numbered but not kept */
};

void ww_packet_list_init(struct ww_packet_list *pl, unsigned max_frames, size_t max_bytes);
void ww_packet_list_free(struct ww_packet_list *pl);

/* Number FRAME and keep a copy, forgetting the oldest frames as the
 * limits require. Returns the packet: its data is the list's copy, or
 * FRAME itself when it is not kept (the limits allow none, or out of
 * memory) — then valid only until the next call. */
const struct ww_packet *ww_packet_list_add(struct ww_packet_list *pl, bool sent,
					   const uint8_t *frame, size_t len, uint64_t now_ns);
/* Frame NO if it is still kept, else NULL. */
const struct ww_packet *ww_packet_list_get(const struct ww_packet_list *pl, unsigned no);
/* New limits; frames over them are forgotten now. */
void ww_packet_list_set_limits(struct ww_packet_list *pl, unsigned max_frames, size_t max_bytes);

#endif
