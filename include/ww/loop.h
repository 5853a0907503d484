/* The one event loop: a single thread waits in ppoll() on a few file
 * descriptors (the packet socket, the terminal) and a timer queue, on one
 * monotonic clock. Whatever is ready runs as a callback; a callback may
 * itself turn the loop (a command waiting for a reply pumps it), so the
 * loop is re-entrant.
 *
 * Besides plain timers, a "source" can be added for a state machine that
 * keeps its own deadlines (the stack: ARP expiry, retransmissions): before
 * every wait the loop asks it for its next deadline, and calls it when
 * that time has come. Nothing has to re-arm a timer when the stack's
 * deadlines move. */
#ifndef WW_LOOP_H
#define WW_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#define WW_LOOP_NEVER UINT64_MAX

struct ww_loop;

typedef void (*ww_loop_fd_fn)(void *arg, int fd, short revents);
typedef void (*ww_loop_timer_fn)(void *arg, uint64_t now_ns);

struct ww_loop_source {
	/* Before each wait: do what must be done before sleeping (flush a
	 * file), and return the next deadline (CLOCK_MONOTONIC ns), or
	 * WW_LOOP_NEVER. */
	uint64_t (*prepare)(void *arg);
	/* The deadline has come: NOW is the clock. */
	void (*expire)(void *arg, uint64_t now_ns);
	void *arg;
};

/* CLOCK_MONOTONIC in nanoseconds: the one clock of the program. */
uint64_t ww_clock_ns(void);

struct ww_loop *ww_loop_new(void);
void ww_loop_free(struct ww_loop *l);

/* Run FN with the poll revents when FD is ready for EVENTS (POLLIN...).
 * One entry per fd; watching an fd again replaces its entry. 0, or -1
 * when the table is full. */
int ww_loop_watch(struct ww_loop *l, int fd, short events, ww_loop_fd_fn fn, void *arg);
void ww_loop_unwatch(struct ww_loop *l, int fd);
/* A paused fd stays in the table but is not waited on (the terminal,
 * while a command runs: what is typed then stays queued for the prompt). */
void ww_loop_pause(struct ww_loop *l, int fd, bool paused);

/* A timer at WHEN_NS (CLOCK_MONOTONIC). Returns its id (never 0), or 0
 * when out of memory. A timer runs once. */
uint64_t ww_loop_timer_add(struct ww_loop *l, uint64_t when_ns, ww_loop_timer_fn fn, void *arg);
/* True if the timer was still pending. */
bool ww_loop_timer_cancel(struct ww_loop *l, uint64_t id);

/* 0, or -1 when the table is full. Removed by its ARG. */
int ww_loop_add_source(struct ww_loop *l, const struct ww_loop_source *src);
void ww_loop_remove_source(struct ww_loop *l, void *arg);

/* The signal mask ppoll waits with (so a signal held outside the wait
 * interrupts it, without a race); NULL: the thread's own mask. The set is
 * the caller's and must outlive its use. */
void ww_loop_set_sigmask(struct ww_loop *l, const sigset_t *mask);

/* One turn: wait until a watched fd is ready, a timer or a source's
 * deadline comes, or UNTIL_NS (absolute; WW_LOOP_NEVER: no limit; 0: do
 * not wait at all), then run whatever is ready. Returns the number of
 * callbacks run (0: UNTIL_NS came first), or -1 with errno (EINTR: a
 * signal arrived). */
int ww_loop_turn(struct ww_loop *l, uint64_t until_ns);

#endif
