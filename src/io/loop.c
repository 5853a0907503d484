/* The poll loop: a small fd table, a binary min-heap of timers ordered by
 * (deadline, id) so timers due at the same time run in the order they
 * were set, and a few deadline sources. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ww/loop.h"

#define MAX_FDS 8
#define MAX_SOURCES 4

struct watch {
	int fd;
	short events;
	bool paused;
	ww_loop_fd_fn fn;
	void *arg;
};

struct timer {
	uint64_t when, id;
	ww_loop_timer_fn fn;
	void *arg;
};

struct ww_loop {
	struct watch fds[MAX_FDS];
	int nfds;
	struct timer *heap;
	size_t ntimers, cap;
	uint64_t next_id;
	struct ww_loop_source src[MAX_SOURCES];
	int nsrc;
	const sigset_t *mask;
};

uint64_t ww_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct ww_loop *ww_loop_new(void)
{
	struct ww_loop *l = calloc(1, sizeof *l);
	if (l)
		l->next_id = 1;
	return l;
}

void ww_loop_free(struct ww_loop *l)
{
	if (!l)
		return;
	free(l->heap);
	free(l);
}

/* ---- fds ------------------------------------------------------------- */

static struct watch *find_watch(struct ww_loop *l, int fd)
{
	for (int i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			return &l->fds[i];
	return NULL;
}

int ww_loop_watch(struct ww_loop *l, int fd, short events, ww_loop_fd_fn fn, void *arg)
{
	struct watch *w = find_watch(l, fd);
	if (!w) {
		if (l->nfds == MAX_FDS)
			return -1;
		w = &l->fds[l->nfds++];
	}
	*w = (struct watch){ .fd = fd, .events = events, .fn = fn, .arg = arg };
	return 0;
}

void ww_loop_unwatch(struct ww_loop *l, int fd)
{
	struct watch *w = find_watch(l, fd);
	if (w)
		*w = l->fds[--l->nfds];
}

void ww_loop_pause(struct ww_loop *l, int fd, bool paused)
{
	struct watch *w = find_watch(l, fd);
	if (w)
		w->paused = paused;
}

/* ---- timers ---------------------------------------------------------- */

static bool earlier(const struct timer *a, const struct timer *b)
{
	return a->when < b->when || (a->when == b->when && a->id < b->id);
}

static void swap(struct timer *a, struct timer *b)
{
	struct timer t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(struct timer *h, size_t i)
{
	while (i > 0 && earlier(&h[i], &h[(i - 1) / 2])) {
		swap(&h[i], &h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct timer *h, size_t n, size_t i)
{
	for (;;) {
		size_t least = i, c1 = 2 * i + 1, c2 = 2 * i + 2;
		if (c1 < n && earlier(&h[c1], &h[least]))
			least = c1;
		if (c2 < n && earlier(&h[c2], &h[least]))
			least = c2;
		if (least == i)
			return;
		swap(&h[i], &h[least]);
		i = least;
	}
}

uint64_t ww_loop_timer_add(struct ww_loop *l, uint64_t when_ns, ww_loop_timer_fn fn, void *arg)
{
	if (l->ntimers == l->cap) {
		size_t want = l->cap ? l->cap * 2 : 16;
		struct timer *h = realloc(l->heap, want * sizeof *h);
		if (!h)
			return 0;
		l->heap = h;
		l->cap = want;
	}
	uint64_t id = l->next_id++;
	l->heap[l->ntimers] = (struct timer){ .when = when_ns, .id = id, .fn = fn, .arg = arg };
	sift_up(l->heap, l->ntimers++);
	return id;
}

static void remove_at(struct ww_loop *l, size_t i)
{
	l->heap[i] = l->heap[--l->ntimers];
	if (i < l->ntimers) {
		sift_down(l->heap, l->ntimers, i);
		sift_up(l->heap, i);
	}
}

bool ww_loop_timer_cancel(struct ww_loop *l, uint64_t id)
{
	for (size_t i = 0; i < l->ntimers; i++) {
		if (l->heap[i].id == id) {
			remove_at(l, i);
			return true;
		}
	}
	return false;
}

/* ---- sources --------------------------------------------------------- */

int ww_loop_add_source(struct ww_loop *l, const struct ww_loop_source *src)
{
	if (l->nsrc == MAX_SOURCES)
		return -1;
	l->src[l->nsrc++] = *src;
	return 0;
}

void ww_loop_remove_source(struct ww_loop *l, void *arg)
{
	for (int i = 0; i < l->nsrc; i++) {
		if (l->src[i].arg == arg) {
			l->src[i] = l->src[--l->nsrc];
			return;
		}
	}
}

static const struct ww_loop_source *find_source(const struct ww_loop *l, void *arg)
{
	for (int i = 0; i < l->nsrc; i++)
		if (l->src[i].arg == arg)
			return &l->src[i];
	return NULL;
}

void ww_loop_set_sigmask(struct ww_loop *l, const sigset_t *mask)
{
	l->mask = mask;
}

/* ---- one turn -------------------------------------------------------- */

static struct timespec *wait_time(uint64_t deadline, struct timespec *ts)
{
	if (deadline == WW_LOOP_NEVER)
		return NULL;
	uint64_t now = ww_clock_ns(), left = deadline > now ? deadline - now : 0;
	ts->tv_sec = (time_t)(left / 1000000000u);
	ts->tv_nsec = (long)(left % 1000000000u);
	return ts;
}

/* Callbacks may add, remove and pause entries, and turn the loop again:
 * every entry is looked up afresh before its callback runs. */
static int run_fds(struct ww_loop *l, const struct pollfd *pfds, int n)
{
	int ran = 0;
	for (int i = 0; i < n; i++) {
		if (!pfds[i].revents)
			continue;
		struct watch *w = find_watch(l, pfds[i].fd);
		if (!w || w->paused)
			continue;
		w->fn(w->arg, pfds[i].fd, pfds[i].revents);
		ran++;
	}
	return ran;
}

/* Only the timers that were due when this began: a timer that sets a
 * new one for "now" does not keep this turn going for ever. */
static int run_timers(struct ww_loop *l, uint64_t now)
{
	int ran = 0;
	size_t budget = l->ntimers;
	while (budget-- > 0 && l->ntimers > 0 && l->heap[0].when <= now) {
		struct timer t = l->heap[0];
		remove_at(l, 0);
		t.fn(t.arg, now);
		ran++;
	}
	return ran;
}

int ww_loop_turn(struct ww_loop *l, uint64_t until_ns)
{
	struct { void *arg; uint64_t deadline; } due[MAX_SOURCES];
	int nsrc = l->nsrc;
	uint64_t deadline = until_ns;
	for (int i = 0; i < nsrc; i++) {
		due[i].arg = l->src[i].arg;
		due[i].deadline = l->src[i].prepare(l->src[i].arg);
		if (due[i].deadline < deadline)
			deadline = due[i].deadline;
	}
	if (l->ntimers > 0 && l->heap[0].when < deadline)
		deadline = l->heap[0].when;

	struct pollfd pfds[MAX_FDS];
	int n = 0;
	for (int i = 0; i < l->nfds; i++)
		if (!l->fds[i].paused)
			pfds[n++] = (struct pollfd){ .fd = l->fds[i].fd, .events = l->fds[i].events };
	struct timespec ts;
	int r = ppoll(pfds, (nfds_t)n, wait_time(deadline, &ts), l->mask);
	if (r < 0)
		return -1;
	int ran = r > 0 ? run_fds(l, pfds, n) : 0;
	uint64_t now = ww_clock_ns();
	ran += run_timers(l, now);
	for (int i = 0; i < nsrc; i++) {
		if (due[i].deadline > now)
			continue;
		const struct ww_loop_source *s = find_source(l, due[i].arg);
		if (s) {
			s->expire(s->arg, now);
			ran++;
		}
	}
	return ran;
}
