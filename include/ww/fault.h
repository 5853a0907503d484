/* Fault injection on our side of the link, after smoltcp's FaultInjector:
 * a decorator every frame passes on its way between the link and the
 * stack, which drops, duplicates, reorders or corrupts a chance of them,
 * in either direction. Corruption flips one bit, the error hardest to
 * notice. The injector is seeded, and each direction draws from a stream
 * of its own, five numbers per frame whatever happens to it: the Nth frame
 * received meets the same fate in every run with the same seed, however
 * the frames sent interleave with it.
 *
 * The injector knows nothing of protocols. It hands frames on through
 * DELIVER and tells what it did as WW_EV_FAULT events (reason
 * "fault.drop", "fault.duplicate", "fault.reorder", "fault.release",
 * "fault.corrupt"), with the frame as it was delivered (corrupted: the
 * flipped copy). Time is passed in: tests run it without a clock. */
#ifndef WW_FAULT_H
#define WW_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/event.h"

enum ww_fault_dir {
	WW_FAULT_RX, /* frames received, on their way to the stack */
	WW_FAULT_TX, /* frames the stack sends, on their way to the wire */
};

/* Which directions the faults apply to. */
#define WW_FAULT_ON_RX (1u << WW_FAULT_RX)
#define WW_FAULT_ON_TX (1u << WW_FAULT_TX)
#define WW_FAULT_ON_BOTH (WW_FAULT_ON_RX | WW_FAULT_ON_TX)

/* A frame held back for reordering goes after the next frame in its
 * direction, or after this long if none comes. */
#define WW_FAULT_HOLD_NS 20000000u /* 20 ms */

struct ww_fault_config {
	double drop, dup, reorder, corrupt; /* chance per frame, 0 to 1 */
	uint64_t seed;
	unsigned dirs;                      /* WW_FAULT_ON_*; 0: none */
	uint64_t hold_ns;                   /* 0: WW_FAULT_HOLD_NS */
};

/* What was done so far, per direction (index: enum ww_fault_dir). */
struct ww_fault_stats {
	uint64_t frames[2];     /* frames passed in */
	uint64_t dropped[2], duplicated[2], reordered[2], corrupted[2];
};

/* A frame handed on: to the stack (RX) or the link (TX). FRAME is valid
 * during the call only. NO is the number the caller gave the frame. */
typedef void (*ww_fault_deliver_fn)(void *arg, enum ww_fault_dir dir, const uint8_t *frame,
				    size_t len, unsigned no);

struct ww_fault;

/* An injector for CFG (copied). DELIVER gets the frames, EV the fault
 * events (may be NULL). NULL when out of memory or CFG is out of range. */
struct ww_fault *ww_fault_new(const struct ww_fault_config *cfg, ww_fault_deliver_fn deliver,
			      ww_event_fn ev, void *arg);
/* Frames still held back are delivered first (nothing is lost by
 * turning faults off), then it is freed. */
void ww_fault_free(struct ww_fault *f);

const struct ww_fault_config *ww_fault_config(const struct ww_fault *f);
const struct ww_fault_stats *ww_fault_stats(const struct ww_fault *f);

/* Does the injector act on DIR? When not, a caller may skip it. */
bool ww_fault_applies(const struct ww_fault *f, enum ww_fault_dir dir);

/* Pass one frame in direction DIR (numbered NO by the caller; 0 if it
 * has no number yet). DELIVER runs 0, 1 or 2 times for it before this
 * returns, and once more for a frame held back before it, which then
 * goes after it. NOW stamps the events and starts a hold. */
void ww_fault_pass(struct ww_fault *f, enum ww_fault_dir dir, const uint8_t *frame, size_t len,
		   unsigned no, uint64_t now_ns);

/* When a held frame must go if no other comes; UINT64_MAX: none held. */
uint64_t ww_fault_next_deadline(const struct ww_fault *f);
/* Deliver the held frames whose time has come. */
void ww_fault_poll(struct ww_fault *f, uint64_t now_ns);

/* "drop=0.05 dup=2% reorder=0.1 corrupt=0.01 seed=7 dir=rx|tx|both":
 * any of them, in any order; a chance as a fraction or a percentage.
 * Unnamed chances are 0, dir is both, and without seed= *SEED_SET is
 * false (the caller picks one and says which). 0, or -1 with ERR naming
 * the word that is wrong. */
int ww_fault_parse(const char *text, struct ww_fault_config *cfg, bool *seed_set, char *err,
		   size_t errlen);
/* CFG the way ww_fault_parse reads it: "drop=0.05 dup=0.02 ... seed=7 dir=both". */
void ww_fault_format(const struct ww_fault_config *cfg, char *out, size_t len);
/* Any chance above 0 and a direction: the injector would do something. */
bool ww_fault_active(const struct ww_fault_config *cfg);

#endif
