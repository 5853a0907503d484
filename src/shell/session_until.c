/* Waiting for a condition: what every command that talks to the network
 * does (arp who-has, ping, dns, tcp connect...). Built on the session's
 * public wait, so it needs nothing of the session's insides. */
#include "ww/session.h"

struct until {
	bool (*done)(void *arg);
	void *arg;
};

static bool until_match(void *arg, const struct ww_packet *p)
{
	(void)p;
	const struct until *u = arg;
	return u->done(u->arg);
}

int ww_session_until(struct ww_session *s, bool (*done)(void *arg), void *arg, uint64_t deadline)
{
	struct until u = { done, arg };
	for (;;) {
		if (done && done(arg))
			return 1;
		uint64_t now = ww_session_now(s);
		if (now >= deadline)
			return 0;
		uint64_t ms = (deadline - now + 999999) / 1000000;
		unsigned wait_ms = ms > 50 ? 50 : (unsigned)ms;
		if (ww_session_wait(s, done ? until_match : NULL, &u, wait_ms) < 0)
			return -1;
	}
}
