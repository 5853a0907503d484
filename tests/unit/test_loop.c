/* The poll loop: timers in deadline order (ties in the order set), cancel,
 * no runaway when a timer sets another for "now", fds ready and paused,
 * deadline sources, re-entrant turns, and a signal let through only while
 * the loop waits. Real pipes and the real clock, with short times. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ww/loop.h"

#define MS 1000000u

struct log {
	char s[64];
	size_t n;
	struct ww_loop *loop;
};

static void note(struct log *lg, char c)
{
	if (lg->n + 1 < sizeof lg->s)
		lg->s[lg->n++] = c;
}

static void on_timer_a(void *arg, uint64_t now) { (void)now; note(arg, 'a'); }
static void on_timer_b(void *arg, uint64_t now) { (void)now; note(arg, 'b'); }
static void on_timer_c(void *arg, uint64_t now) { (void)now; note(arg, 'c'); }

static void test_timers_in_order(void **state)
{
	(void)state;
	struct ww_loop *l = ww_loop_new();
	struct log lg = { 0 };
	uint64_t t = ww_clock_ns();
	/* Set out of order; b and c share a deadline: b was set first. */
	ww_loop_timer_add(l, t + 3 * MS, on_timer_c, &lg);
	assert_int_equal(ww_loop_timer_add(l, t + 2 * MS, on_timer_b, &lg) != 0, 1);
	ww_loop_timer_add(l, t + 1 * MS, on_timer_a, &lg);
	uint64_t id = ww_loop_timer_add(l, t + 2 * MS, on_timer_c, &lg);
	ww_loop_timer_add(l, t + 2 * MS, on_timer_c, &lg);
	assert_true(ww_loop_timer_cancel(l, id));
	assert_false(ww_loop_timer_cancel(l, id)); /* gone already */
	while (lg.n < 4)
		assert_true(ww_loop_turn(l, t + 1000 * MS) >= 0);
	assert_string_equal(lg.s, "abcc");
	assert_true(ww_clock_ns() >= t + 3 * MS);
	ww_loop_free(l);
}

static void rearm(void *arg, uint64_t now)
{
	struct log *lg = arg;
	note(lg, 'r');
	ww_loop_timer_add(lg->loop, now, rearm, lg);
}

static void test_timer_setting_timer_for_now(void **state)
{
	(void)state;
	struct ww_loop *l = ww_loop_new();
	struct log lg = { .loop = l };
	ww_loop_timer_add(l, ww_clock_ns(), rearm, &lg);
	/* Each turn runs the timers due when it began: one, not for ever. */
	assert_int_equal(ww_loop_turn(l, 0), 1);
	assert_int_equal(ww_loop_turn(l, 0), 1);
	assert_string_equal(lg.s, "rr");
	ww_loop_free(l);
}

static void on_fd(void *arg, int fd, short revents)
{
	char c;
	assert_true(revents & POLLIN);
	assert_int_equal(read(fd, &c, 1), 1);
	note(arg, c);
}

static void test_fds_ready_paused_unwatched(void **state)
{
	(void)state;
	struct ww_loop *l = ww_loop_new();
	struct log lg = { 0 };
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(ww_loop_watch(l, p[0], POLLIN, on_fd, &lg), 0);
	assert_int_equal(ww_loop_turn(l, 0), 0); /* nothing ready: no wait at all */
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(ww_loop_turn(l, 0), 1);
	assert_string_equal(lg.s, "x");
	/* Paused: the byte waits, the turn times out. */
	ww_loop_pause(l, p[0], true);
	assert_int_equal(write(p[1], "y", 1), 1);
	uint64_t t = ww_clock_ns();
	assert_int_equal(ww_loop_turn(l, t + 5 * MS), 0);
	assert_true(ww_clock_ns() >= t + 5 * MS);
	ww_loop_pause(l, p[0], false);
	assert_int_equal(ww_loop_turn(l, WW_LOOP_NEVER), 1);
	assert_string_equal(lg.s, "xy");
	ww_loop_unwatch(l, p[0]);
	assert_int_equal(write(p[1], "z", 1), 1);
	assert_int_equal(ww_loop_turn(l, 0), 0);
	close(p[0]);
	close(p[1]);
	ww_loop_free(l);
}

struct src {
	uint64_t deadline;
	unsigned prepared, expired;
	uint64_t expired_at;
};

static uint64_t src_prepare(void *arg)
{
	struct src *s = arg;
	s->prepared++;
	return s->deadline;
}

static void src_expire(void *arg, uint64_t now)
{
	struct src *s = arg;
	s->expired++;
	s->expired_at = now;
	s->deadline = WW_LOOP_NEVER;
}

static void test_source_deadline(void **state)
{
	(void)state;
	struct ww_loop *l = ww_loop_new();
	uint64_t t = ww_clock_ns();
	struct src s = { .deadline = t + 4 * MS };
	struct ww_loop_source def = { src_prepare, src_expire, &s };
	assert_int_equal(ww_loop_add_source(l, &def), 0);
	/* The wait ends at the source's deadline, not at UNTIL. */
	assert_int_equal(ww_loop_turn(l, t + 1000 * MS), 1);
	assert_int_equal(s.expired, 1);
	assert_true(s.expired_at >= t + 4 * MS);
	assert_true(ww_clock_ns() < t + 500 * MS);
	/* Asked before every wait; not called while its deadline is NEVER. */
	assert_int_equal(ww_loop_turn(l, 0), 0);
	assert_int_equal(s.prepared, 2);
	assert_int_equal(s.expired, 1);
	ww_loop_remove_source(l, &s);
	s.deadline = 0;
	assert_int_equal(ww_loop_turn(l, 0), 0);
	assert_int_equal(s.prepared, 2);
	ww_loop_free(l);
}

/* A callback that turns the loop itself (a command waiting for a reply). */
struct nest {
	struct ww_loop *loop;
	int p[2];
	struct log lg;
};

static void inner_fd(void *arg, int fd, short revents)
{
	struct nest *n = arg;
	(void)revents;
	char c;
	assert_int_equal(read(fd, &c, 1), 1);
	note(&n->lg, c);
}

static void outer_timer(void *arg, uint64_t now)
{
	struct nest *n = arg;
	note(&n->lg, 'T');
	ww_loop_watch(n->loop, n->p[0], POLLIN, inner_fd, n);
	assert_int_equal(write(n->p[1], "i", 1), 1);
	assert_int_equal(ww_loop_turn(n->loop, now + 1000 * MS), 1);
	ww_loop_unwatch(n->loop, n->p[0]);
}

static void test_reentrant_turn(void **state)
{
	(void)state;
	struct nest n = { .loop = ww_loop_new() };
	assert_int_equal(pipe(n.p), 0);
	ww_loop_timer_add(n.loop, ww_clock_ns(), outer_timer, &n);
	assert_int_equal(ww_loop_turn(n.loop, 0), 1);
	assert_string_equal(n.lg.s, "Ti");
	close(n.p[0]);
	close(n.p[1]);
	ww_loop_free(n.loop);
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1 = 1; }

static void test_signal_only_while_waiting(void **state)
{
	(void)state;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t held, waiting, old;
	sigemptyset(&held);
	sigaddset(&held, SIGUSR1);
	sigprocmask(SIG_BLOCK, &held, &old);
	sigprocmask(SIG_BLOCK, NULL, &waiting);
	sigdelset(&waiting, SIGUSR1);
	/* Sent while held: it stays pending until ppoll lets it in. */
	kill(getpid(), SIGUSR1);
	assert_int_equal(got_usr1, 0);
	struct ww_loop *l = ww_loop_new();
	ww_loop_set_sigmask(l, &waiting);
	uint64_t t = ww_clock_ns();
	assert_int_equal(ww_loop_turn(l, t + 1000 * MS), -1);
	assert_int_equal(errno, EINTR);
	assert_int_equal(got_usr1, 1);
	assert_true(ww_clock_ns() < t + 500 * MS);
	ww_loop_free(l);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_in_order),
		cmocka_unit_test(test_timer_setting_timer_for_now),
		cmocka_unit_test(test_fds_ready_paused_unwatched),
		cmocka_unit_test(test_source_deadline),
		cmocka_unit_test(test_reentrant_turn),
		cmocka_unit_test(test_signal_only_while_waiting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
