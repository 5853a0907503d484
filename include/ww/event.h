/* What the stack reports. The stack never prints: it tells a listener what
 * happened — a frame sent or received, a frame dropped and why, a state
 * changed, a fault injected — and the shell renders it through the views
 * (or as a JSON line), the grader records it as evidence, the tests assert
 * on it. One stream, three readers. */
#ifndef WW_EVENT_H
#define WW_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum ww_event_type {
	WW_EV_FRAME_SENT,     /* frame, len: what went out on the link */
	WW_EV_FRAME_RECEIVED, /* frame, len: what came in */
	WW_EV_FRAME_DROPPED,  /* frame, len, reason: the stack threw it away */
	WW_EV_FAULT,          /* frame, len, text: a fault injected on purpose */
	WW_EV_STATE,          /* text: "192.168.1.1 is-at 02:00:00:00:01:01", "TCP 1: ESTABLISHED" */
	WW_EV_INFO,           /* text: anything else a person should see */
	WW_EV_ERROR,          /* text: something failed (a send, a resolution) */
};

struct ww_event {
	enum ww_event_type type;
	uint64_t now_ns;        /* the stack's clock when it happened */
	const uint8_t *frame;   /* frame events: the bytes (valid during the call) */
	size_t len;
	unsigned packet_no;     /* frame events: the number in the packet list, 0 if none */
	const char *reason;     /* drops: the counter's name, "ip.bad_checksum" */
	const char *text;       /* a line for a person */
};

typedef void (*ww_event_fn)(void *arg, const struct ww_event *ev);

const char *ww_event_type_name(enum ww_event_type t);

#endif
