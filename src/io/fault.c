/* The fault injector: seeded chances of drop, duplicate, reorder and a
 * one-bit corruption, per direction. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/fault.h"

/* A frame held back to go after the next one. */
struct held {
	uint8_t *data;      /* malloc'd copy; NULL: nothing held */
	size_t len;
	unsigned no;
	unsigned copies;    /* 2 when it was also duplicated */
	uint64_t deadline;
};

struct ww_fault {
	struct ww_fault_config cfg;
	ww_fault_deliver_fn deliver;
	ww_event_fn ev;
	void *arg;
	uint64_t rng[2];    /* one stream per direction */
	struct held held[2];
	struct ww_fault_stats stats;
};

/* ---- the random streams ------------------------------------------------ */

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit word of state, good
 * enough statistics for picking frames, and trivially seeded. */
static uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1): the top 53 bits. */
static double next_unit(uint64_t *state)
{
	return (double)(next_u64(state) >> 11) * 0x1.0p-53;
}

/* ---- events ------------------------------------------------------------ */

static const char *const dir_word[2] = { "received", "sent" };

static void report(struct ww_fault *f, uint64_t now, const uint8_t *frame, size_t len, unsigned no,
		   const char *reason, const char *text)
{
	if (!f->ev)
		return;
	struct ww_event e = { .type = WW_EV_FAULT, .now_ns = now, .frame = frame, .len = len,
			      .packet_no = no, .reason = reason, .text = text };
	f->ev(f->arg, &e);
}

/* "received frame 57" or "a frame being sent" (not numbered yet). */
static void frame_name(enum ww_fault_dir dir, unsigned no, char *out, size_t len)
{
	if (no)
		snprintf(out, len, "%s frame %u", dir_word[dir], no);
	else
		snprintf(out, len, "a frame being %s", dir_word[dir]);
}

/* ---- life ---------------------------------------------------------------- */

static bool chance_ok(double p)
{
	return isfinite(p) && p >= 0 && p <= 1;
}

static bool config_ok(const struct ww_fault_config *c)
{
	return chance_ok(c->drop) && chance_ok(c->dup) && chance_ok(c->reorder) &&
	       chance_ok(c->corrupt) && (c->dirs & ~WW_FAULT_ON_BOTH) == 0;
}

struct ww_fault *ww_fault_new(const struct ww_fault_config *cfg, ww_fault_deliver_fn deliver,
			      ww_event_fn ev, void *arg)
{
	if (!config_ok(cfg) || !deliver)
		return NULL;
	struct ww_fault *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->cfg = *cfg;
	if (!f->cfg.hold_ns)
		f->cfg.hold_ns = WW_FAULT_HOLD_NS;
	f->deliver = deliver;
	f->ev = ev;
	f->arg = arg;
	/* Two streams from one seed: the second starts far along the first's
	 * sequence of states, so they never overlap in practice. */
	f->rng[WW_FAULT_RX] = cfg->seed;
	f->rng[WW_FAULT_TX] = cfg->seed ^ 0x6a09e667f3bcc909u;
	return f;
}

static void release(struct ww_fault *f, enum ww_fault_dir dir, uint64_t now, bool timed_out,
		    unsigned after)
{
	struct held h = f->held[dir];
	if (!h.data)
		return;
	/* Out of the slot before delivering: what DELIVER does may pass
	 * frames through the injector again. */
	f->held[dir].data = NULL;
	char name[48], text[160];
	frame_name(dir, h.no, name, sizeof name);
	if (timed_out)
		snprintf(text, sizeof text, "reorder: %s goes now, %.0f ms after it was held back, with no "
			 "frame behind it", name, (double)f->cfg.hold_ns / 1e6);
	else if (after)
		snprintf(text, sizeof text, "reorder: %s goes now, after frame %u", name, after);
	else
		snprintf(text, sizeof text, "reorder: %s goes now, after the frame behind it", name);
	report(f, now, h.data, h.len, h.no, "fault.release", text);
	for (unsigned i = 0; i < h.copies; i++)
		f->deliver(f->arg, dir, h.data, h.len, h.no);
	free(h.data);
}

void ww_fault_free(struct ww_fault *f)
{
	if (!f)
		return;
	release(f, WW_FAULT_RX, 0, false, 0);
	release(f, WW_FAULT_TX, 0, false, 0);
	free(f);
}

const struct ww_fault_config *ww_fault_config(const struct ww_fault *f)
{
	return &f->cfg;
}

const struct ww_fault_stats *ww_fault_stats(const struct ww_fault *f)
{
	return &f->stats;
}

bool ww_fault_applies(const struct ww_fault *f, enum ww_fault_dir dir)
{
	return f && (f->cfg.dirs & (1u << dir));
}

/* ---- one frame --------------------------------------------------------- */

/* What happens to one frame: always five draws, in this order. */
struct fate {
	bool drop, dup, reorder, corrupt;
	uint64_t where; /* which bit to flip, before taking it modulo the length */
};

static struct fate draw(struct ww_fault *f, enum ww_fault_dir dir)
{
	uint64_t *s = &f->rng[dir];
	struct fate t;
	t.drop = next_unit(s) < f->cfg.drop;
	t.dup = next_unit(s) < f->cfg.dup;
	t.reorder = next_unit(s) < f->cfg.reorder;
	t.corrupt = next_unit(s) < f->cfg.corrupt;
	t.where = next_u64(s);
	return t;
}

/* A copy of FRAME with one bit flipped; NULL when out of memory. */
static uint8_t *corrupt_copy(struct ww_fault *f, enum ww_fault_dir dir, const uint8_t *frame,
			     size_t len, unsigned no, uint64_t where, uint64_t now)
{
	uint8_t *copy = malloc(len);
	if (!copy)
		return NULL;
	memcpy(copy, frame, len);
	size_t byte = (size_t)((where >> 3) % len);
	unsigned bit = (unsigned)(where & 7);
	copy[byte] ^= (uint8_t)(0x80u >> bit); /* bit 0 is the most significant, as on the wire */
	f->stats.corrupted[dir]++;
	char name[48], text[160];
	frame_name(dir, no, name, sizeof name);
	snprintf(text, sizeof text, "corrupt: bit %u of byte %zu flipped in %s (0x%02x -> 0x%02x)",
		 bit, byte, name, frame[byte], copy[byte]);
	report(f, now, copy, len, no, "fault.corrupt", text);
	return copy;
}

static void hold(struct ww_fault *f, enum ww_fault_dir dir, const uint8_t *frame, size_t len,
		 unsigned no, unsigned copies, uint64_t now)
{
	struct held *h = &f->held[dir];
	h->data = malloc(len ? len : 1);
	if (!h->data) { /* cannot hold it: it goes now */
		for (unsigned i = 0; i < copies; i++)
			f->deliver(f->arg, dir, frame, len, no);
		return;
	}
	memcpy(h->data, frame, len);
	h->len = len;
	h->no = no;
	h->copies = copies;
	h->deadline = now + f->cfg.hold_ns;
	f->stats.reordered[dir]++;
	char name[48], text[160];
	frame_name(dir, no, name, sizeof name);
	snprintf(text, sizeof text, "reorder: %s is held back, to go after the next one", name);
	report(f, now, frame, len, no, "fault.reorder", text);
}

void ww_fault_pass(struct ww_fault *f, enum ww_fault_dir dir, const uint8_t *frame, size_t len,
		   unsigned no, uint64_t now_ns)
{
	if (!ww_fault_applies(f, dir)) {
		f->deliver(f->arg, dir, frame, len, no);
		return;
	}
	f->stats.frames[dir]++;
	struct fate t = draw(f, dir);
	char name[48], text[160];
	frame_name(dir, no, name, sizeof name);
	if (t.drop) {
		f->stats.dropped[dir]++;
		snprintf(text, sizeof text, "drop: %s (%zu bytes) %s", name, len,
			 dir == WW_FAULT_RX ? "is thrown away before the stack sees it"
					    : "never reaches the wire");
		report(f, now_ns, frame, len, no, "fault.drop", text);
		return;
	}
	uint8_t *copy = NULL;
	if (t.corrupt && len > 0 && (copy = corrupt_copy(f, dir, frame, len, no, t.where, now_ns)))
		frame = copy;
	unsigned copies = 1;
	if (t.dup) {
		copies = 2;
		f->stats.duplicated[dir]++;
		snprintf(text, sizeof text, "duplicate: %s %s", name,
			 dir == WW_FAULT_RX ? "goes to the stack twice" : "goes out twice");
		report(f, now_ns, frame, len, no, "fault.duplicate", text);
	}
	/* One frame held at a time: a second one chosen meanwhile goes on. */
	if (t.reorder && !f->held[dir].data) {
		hold(f, dir, frame, len, no, copies, now_ns);
	} else {
		for (unsigned i = 0; i < copies; i++)
			f->deliver(f->arg, dir, frame, len, no);
		release(f, dir, now_ns, false, no);
	}
	free(copy);
}

uint64_t ww_fault_next_deadline(const struct ww_fault *f)
{
	uint64_t d = UINT64_MAX;
	for (int i = 0; i < 2; i++)
		if (f->held[i].data && f->held[i].deadline < d)
			d = f->held[i].deadline;
	return d;
}

void ww_fault_poll(struct ww_fault *f, uint64_t now_ns)
{
	for (int i = 0; i < 2; i++)
		if (f->held[i].data && f->held[i].deadline <= now_ns)
			release(f, (enum ww_fault_dir)i, now_ns, true, 0);
}

/* ---- text ---------------------------------------------------------------- */

bool ww_fault_active(const struct ww_fault_config *c)
{
	return c->dirs && (c->drop > 0 || c->dup > 0 || c->reorder > 0 || c->corrupt > 0);
}

/* "0.05" or "5%" into a chance from 0 to 1. */
static int parse_chance(const char *s, double *p)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || !isfinite(v))
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || v < 0 || v > 1)
		return -1;
	*p = v;
	return 0;
}

static int parse_word(const char *w, size_t n, struct ww_fault_config *c, bool *seed_set)
{
	char word[64];
	if (n >= sizeof word)
		return -1;
	memcpy(word, w, n);
	word[n] = '\0';
	char *eq = strchr(word, '=');
	if (!eq)
		return -1;
	*eq = '\0';
	const char *key = word, *val = eq + 1;
	if (!strcmp(key, "drop"))
		return parse_chance(val, &c->drop);
	if (!strcmp(key, "dup"))
		return parse_chance(val, &c->dup);
	if (!strcmp(key, "reorder"))
		return parse_chance(val, &c->reorder);
	if (!strcmp(key, "corrupt"))
		return parse_chance(val, &c->corrupt);
	if (!strcmp(key, "dir")) {
		if (!strcmp(val, "both"))
			c->dirs = WW_FAULT_ON_BOTH;
		else if (!strcmp(val, "rx"))
			c->dirs = WW_FAULT_ON_RX;
		else if (!strcmp(val, "tx"))
			c->dirs = WW_FAULT_ON_TX;
		else
			return -1;
		return 0;
	}
	if (!strcmp(key, "seed")) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(val, &end, 0);
		if (end == val || *end || errno || *val == '-')
			return -1;
		c->seed = v;
		*seed_set = true;
		return 0;
	}
	return -1;
}

int ww_fault_parse(const char *text, struct ww_fault_config *cfg, bool *seed_set, char *err,
		   size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->dirs = WW_FAULT_ON_BOTH;
	*seed_set = false;
	const char *p = text;
	bool any = false;
	for (;;) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		size_t n = strcspn(p, " \t");
		if (parse_word(p, n, cfg, seed_set) < 0) {
			snprintf(err, errlen,
				 "'%.*s': expected drop=P, dup=P, reorder=P or corrupt=P (P from 0 to 1, "
				 "or a percentage), seed=N, dir=rx|tx|both",
				 (int)(n < 40 ? n : 40), p);
			return -1;
		}
		any = true;
		p += n;
	}
	if (!any) {
		snprintf(err, errlen, "no faults named: drop=P dup=P reorder=P corrupt=P [seed=N] "
			 "[dir=rx|tx|both], or off");
		return -1;
	}
	return 0;
}

void ww_fault_format(const struct ww_fault_config *c, char *out, size_t len)
{
	const char *dir = c->dirs == WW_FAULT_ON_BOTH ? "both"
			  : c->dirs == WW_FAULT_ON_RX ? "rx"
			  : c->dirs == WW_FAULT_ON_TX ? "tx" : "none";
	snprintf(out, len, "drop=%g dup=%g reorder=%g corrupt=%g seed=%llu dir=%s", c->drop, c->dup,
		 c->reorder, c->corrupt, (unsigned long long)c->seed, dir);
}
