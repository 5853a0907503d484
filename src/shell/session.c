/* The live session: the link, the loop, the stack and the packet list.
 *
 * Every frame passes here in both directions. A received frame is
 * numbered, kept, written to the pcap, reported (WW_EV_FRAME_RECEIVED),
 * then given to the stack, then offered to whoever waits for a reply: in
 * that order, so the frame prints before what the stack makes of it, and
 * a waiting command sees the stack's state after the frame. A frame the
 * stack sends (its TX callback) or a command sends by hand goes the same
 * way out: link, number, pcap, WW_EV_FRAME_SENT. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ww/caps.h"
#include "ww/ipv4.h"
#include "ww/lab.h"
#include "ww/link.h"
#include "ww/loop.h"
#include "ww/pcap.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "ww/stack.h"

/* Packets live in fixed chunks that never move, so a pointer from
 * ww_session_packet stays valid while more arrive. */
#define CHUNK 1024
/* Frames read per wake-up: the terminal gets its turn during a flood. */
#define RX_BURST 64

#define MAX_WATCHES 4

struct wait {
	ww_frame_match match;
	void *arg;
	unsigned matched;
};

struct ww_session {
	struct ww_session_info info;
	struct ww_link link;
	struct ww_loop *loop;
	bool own_loop;
	struct ww_stack *stack;
	ww_event_fn ev;
	void *ev_arg;
	struct ww_pcap_writer pcap;
	bool pcap_on;
	int64_t wall_offset_ns;   /* CLOCK_REALTIME - CLOCK_MONOTONIC, for pcap times */
	struct ww_packet **chunks;
	size_t nchunks;
	unsigned npackets;
	struct wait *wait;        /* the innermost ww_session_wait, or NULL */
	struct fd_watch {
		void (*fn)(void *arg);
		void *arg;
	} watches[MAX_WATCHES];
	int watch_fds[MAX_WATCHES];
	/* The frame being given to the stack: its drops name this packet. */
	const uint8_t *rx_frame;
	size_t rx_len;
	unsigned rx_no;
	uint8_t rxbuf[WW_LINK_FRAME_MAX];
};

/* ---- events ---------------------------------------------------------- */

const char *ww_event_type_name(enum ww_event_type t)
{
	switch (t) {
	case WW_EV_FRAME_SENT: return "sent";
	case WW_EV_FRAME_RECEIVED: return "received";
	case WW_EV_FRAME_DROPPED: return "dropped";
	case WW_EV_FAULT: return "fault";
	case WW_EV_STATE: return "state";
	case WW_EV_INFO: return "info";
	case WW_EV_ERROR: return "error";
	}
	return "?";
}

static void emit(struct ww_session *s, const struct ww_event *ev)
{
	if (s->ev)
		s->ev(s->ev_arg, ev);
}

static void emit_text(struct ww_session *s, enum ww_event_type type, const char *text)
{
	struct ww_event ev = { .type = type, .now_ns = ww_clock_ns(), .text = text };
	emit(s, &ev);
}

/* The stack's events pass through here: a drop of the frame being input
 * gets that frame's number. */
static void on_stack_event(void *arg, const struct ww_event *ev)
{
	struct ww_session *s = arg;
	struct ww_event e = *ev;
	if (!e.packet_no && e.frame && s->rx_frame && e.frame >= s->rx_frame &&
	    e.frame < s->rx_frame + s->rx_len)
		e.packet_no = s->rx_no;
	emit(s, &e);
}

/* ---- the packet list ------------------------------------------------- */

static struct ww_packet *slot(const struct ww_session *s, unsigned i)
{
	return &s->chunks[i / CHUNK][i % CHUNK];
}

static struct ww_packet *keep(struct ww_session *s, bool sent, const uint8_t *frame, size_t len,
			      uint64_t now)
{
	if (s->npackets / CHUNK == s->nchunks) {
		struct ww_packet **c = realloc(s->chunks, (s->nchunks + 1) * sizeof *c);
		if (!c)
			return NULL;
		s->chunks = c;
		if (!(c[s->nchunks] = calloc(CHUNK, sizeof **c)))
			return NULL;
		s->nchunks++;
	}
	uint8_t *data = malloc(len ? len : 1);
	if (!data)
		return NULL;
	memcpy(data, frame, len);
	struct ww_packet *p = slot(s, s->npackets);
	*p = (struct ww_packet){ .no = s->npackets + 1, .sent = sent, .ts_ns = now,
				 .len = (uint32_t)len, .data = data };
	s->npackets++;
	return p;
}

/* Number, keep, write to the pcap, report. */
static const struct ww_packet *log_frame(struct ww_session *s, bool sent, const uint8_t *frame,
					 size_t len, uint32_t origlen)
{
	uint64_t now = ww_clock_ns();
	const struct ww_packet *p = keep(s, sent, frame, len, now);
	if (!p) {
		emit_text(s, WW_EV_ERROR, "out of memory: a frame was not kept");
		return NULL;
	}
	if (s->pcap_on) {
		int64_t wall = (int64_t)now + s->wall_offset_ns;
		if (ww_pcap_write(&s->pcap, wall / 1000000000, (uint32_t)(wall % 1000000000),
				  frame, (uint32_t)len, origlen) < 0) {
			char msg[WW_PCAP_ERR_SIZE + 64];
			snprintf(msg, sizeof msg, "--pcap: %s; no more frames are written", s->pcap.err);
			s->pcap_on = false;
			emit_text(s, WW_EV_ERROR, msg);
		}
	}
	struct ww_event ev = { .type = sent ? WW_EV_FRAME_SENT : WW_EV_FRAME_RECEIVED,
			       .now_ns = now, .frame = p->data, .len = len, .packet_no = p->no };
	emit(s, &ev);
	return p;
}

unsigned ww_session_npackets(const struct ww_session *s)
{
	return s->npackets;
}

const struct ww_packet *ww_session_packet(const struct ww_session *s, unsigned no)
{
	return no >= 1 && no <= s->npackets ? slot(s, no - 1) : NULL;
}

/* ---- sending and receiving ------------------------------------------- */

unsigned ww_session_send(struct ww_session *s, const uint8_t *frame, size_t len)
{
	if (ww_link_send(&s->link, frame, len) < 0) {
		char msg[128];
		snprintf(msg, sizeof msg, "send on %s: %s (%zu bytes)", s->info.ifname,
			 strerror(errno), len);
		emit_text(s, WW_EV_ERROR, msg);
		return 0;
	}
	const struct ww_packet *p = log_frame(s, true, frame, len, (uint32_t)len);
	return p ? p->no : 0;
}

static int stack_tx(void *arg, const uint8_t *frame, size_t len)
{
	return ww_session_send(arg, frame, len) ? 0 : -1;
}

static void receive_one(struct ww_session *s, size_t len, uint32_t origlen)
{
	const struct ww_packet *p = log_frame(s, false, s->rxbuf, len, origlen);
	if (s->stack) {
		s->rx_frame = s->rxbuf;
		s->rx_len = len;
		s->rx_no = p ? p->no : 0;
		/* The time the frame was read, not after it was shown: a
		 * round trip must not include the printing. */
		ww_stack_input(s->stack, s->rxbuf, len, p ? p->ts_ns : ww_clock_ns());
		s->rx_frame = NULL;
	}
	struct wait *w = s->wait;
	if (p && w && w->match && !w->matched && w->match(w->arg, p))
		w->matched = p->no;
}

static void on_link(void *arg, int fd, short revents)
{
	struct ww_session *s = arg;
	if (revents & POLLERR) {
		/* An asynchronous error (the interface went down): read it, or
		 * poll reports it for ever. */
		int e = 0;
		socklen_t elen = sizeof e;
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen);
		if (e) {
			char msg[128];
			snprintf(msg, sizeof msg, "link %s: %s", s->info.ifname, strerror(e));
			emit_text(s, WW_EV_ERROR, msg);
		}
	}
	for (int i = 0; i < RX_BURST; i++) {
		uint32_t origlen = 0;
		ssize_t n = ww_link_recv(&s->link, s->rxbuf, sizeof s->rxbuf, &origlen);
		if (n == 0)
			break;
		if (n < 0) {
			char msg[128];
			snprintf(msg, sizeof msg, "receive on %s: %s", s->info.ifname, strerror(errno));
			emit_text(s, WW_EV_ERROR, msg);
			break;
		}
		receive_one(s, (size_t)n, origlen);
	}
}

/* ---- the loop's source: the stack's timers --------------------------- */

static uint64_t session_prepare(void *arg)
{
	struct ww_session *s = arg;
	/* Before sleeping: the capture on disk is complete up to now, even
	 * if the program is killed while it waits. */
	if (s->pcap_on)
		ww_pcap_flush(&s->pcap);
	return s->stack ? ww_stack_next_deadline(s->stack) : WW_LOOP_NEVER;
}

static void session_expire(void *arg, uint64_t now_ns)
{
	struct ww_session *s = arg;
	if (s->stack)
		ww_stack_poll(s->stack, now_ns);
}

int ww_session_wait(struct ww_session *s, ww_frame_match match, void *arg, unsigned timeout_ms)
{
	uint64_t deadline = ww_clock_ns() + (uint64_t)timeout_ms * 1000000u;
	struct wait w = { .match = match, .arg = arg }, *outer = s->wait;
	s->wait = &w;
	int result = 0;
	for (;;) {
		if (ww_repl_interrupted()) {
			result = -1;
			break;
		}
		int r = ww_loop_turn(s->loop, deadline);
		if (r < 0 && errno != EINTR) {
			char msg[96];
			snprintf(msg, sizeof msg, "poll: %s", strerror(errno));
			emit_text(s, WW_EV_ERROR, msg);
			result = -1;
			break;
		}
		if (w.matched) {
			result = (int)w.matched;
			break;
		}
		if (ww_clock_ns() >= deadline)
			break;
	}
	if (result == 0 && ww_repl_interrupted())
		result = -1;
	s->wait = outer;
	return result;
}

/* Other fds in the loop (the terminal), for ww_session_watch_fd. */
static void on_watched_fd(void *arg, int fd, short revents)
{
	(void)fd, (void)revents;
	const struct fd_watch *w = arg;
	w->fn(w->arg);
}

int ww_session_watch_fd(struct ww_session *s, int fd, void (*fn)(void *arg), void *arg)
{
	for (size_t i = 0; i < MAX_WATCHES; i++) {
		if (s->watches[i].fn && s->watch_fds[i] != fd)
			continue;
		s->watches[i] = (struct fd_watch){ fn, arg };
		s->watch_fds[i] = fd;
		return ww_loop_watch(s->loop, fd, POLLIN, on_watched_fd, &s->watches[i]);
	}
	return -1;
}

/* ---- opening --------------------------------------------------------- */

static int program_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The lab's client namespace, brought up first if asked to. */
static int enter_lab(struct ww_session *s, const struct ww_session_opts *o, char *err,
		     size_t errlen)
{
	if (!ww_lab_name_valid(o->lab)) {
		snprintf(err, errlen, "lab name '%s' is not valid: 1 to %d of a-z, 0-9 and '-'",
			 o->lab, WW_LAB_NAME_MAX);
		return -1;
	}
	if (!ww_lab_exists(o->lab)) {
		if (!o->up_lab) {
			snprintf(err, errlen, "lab %s is not up: wirewalk lab up --lab %s", o->lab,
				 o->lab);
			return -1;
		}
		char msg[64];
		snprintf(msg, sizeof msg, "lab %s is not up: bringing it up", o->lab);
		emit_text(s, WW_EV_INFO, msg);
		if (ww_lab_up(o->lab, err, errlen) < 0)
			return -1;
	}
	char path[128];
	if (ww_lab_netns_path(path, sizeof path, o->lab, WW_LAB_CLIENT) < 0) {
		snprintf(err, errlen, "lab %s: no namespace path", o->lab);
		return -1;
	}
	return ww_netns_enter(path, err, errlen);
}

static int open_pcap(struct ww_session *s, const char *path, char *err, size_t errlen)
{
	if (!path)
		return 0;
	if (ww_pcap_create(&s->pcap, path, true, 0, WW_LINKTYPE_ETHERNET) < 0) {
		snprintf(err, errlen, "--pcap %s: %s", path, s->pcap.err);
		return -1;
	}
	s->pcap_on = true;
	return 0;
}

/* The interface as the stack will own it. */
static int fill_info(struct ww_session *s, const struct ww_session_opts *o, char *err,
		     size_t errlen)
{
	struct ww_session_info *in = &s->info;
	snprintf(in->ifname, sizeof in->ifname, "%s", s->link.ifname);
	memcpy(in->mac, s->link.mac, 6);
	in->mtu = s->link.mtu;
	if (o->lab) {
		snprintf(in->lab, sizeof in->lab, "%s", o->lab);
		ww_ipv4_parse_addr(WW_LAB_CLIENT_IP, &in->ip);
		ww_ipv4_parse_addr(WW_LAB_GW_IP, &in->gw);
		in->prefix = WW_LAB_LAN_PREFIX;
	} else {
		in->ip = o->ip;
		in->gw = o->gw;
		in->prefix = o->prefix;
	}
	if (in->mtu < 68 || in->mtu > 65535) {
		snprintf(err, errlen, "%s has an MTU of %u: IPv4 needs 68 to 65535", in->ifname,
			 in->mtu);
		return -1;
	}
	return 0;
}

static int make_stack(struct ww_session *s, char *err, size_t errlen)
{
	struct ww_stack_config cfg;
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.ifname, sizeof cfg.ifname, "%s", s->info.ifname);
	memcpy(cfg.mac, s->info.mac, 6);
	cfg.ip = s->info.ip;
	cfg.prefix = s->info.prefix;
	cfg.gw = s->info.gw;
	cfg.mtu = (uint16_t)s->info.mtu;
	s->stack = ww_stack_new(&cfg, stack_tx, s, on_stack_event, s);
	if (!s->stack) {
		snprintf(err, errlen, "cannot make the stack for %s", s->info.ifname);
		return -1;
	}
	return 0;
}

static int join_loop(struct ww_session *s, struct ww_loop *loop, char *err, size_t errlen)
{
	s->loop = loop;
	if (!s->loop) {
		s->loop = ww_loop_new();
		s->own_loop = true;
	}
	struct ww_loop_source src = { session_prepare, session_expire, s };
	if (!s->loop || ww_loop_watch(s->loop, s->link.fd, POLLIN, on_link, s) < 0 ||
	    ww_loop_add_source(s->loop, &src) < 0) {
		snprintf(err, errlen, "cannot add the link to the loop");
		return -1;
	}
	return 0;
}

/* Everything that needs a capability happens here, before the drop. */
static int open_privileged(struct ww_session *s, const struct ww_session_opts *o, char *err,
			   size_t errlen)
{
	char program[256];
	unsigned need = WW_CAPS_LINK | (o->lab ? WW_CAPS_LAB : 0);
	if (ww_caps_check(need, program_path(program, sizeof program) == 0 ? program : NULL, err,
			  errlen) < 0)
		return -1;
	if (o->lab && enter_lab(s, o, err, errlen) < 0)
		return -1;
	if (open_pcap(s, o->pcap_path, err, errlen) < 0)
		return -1;
	return ww_link_open(&s->link, o->lab ? WW_LAB_CLIENT_IF : o->iface, err, errlen);
}

struct ww_session *ww_session_open(const struct ww_session_opts *o, ww_event_fn ev, void *ev_arg,
				   char *err, size_t errlen)
{
	if (!o->lab && (!o->iface || !o->ip)) {
		snprintf(err, errlen, "a live session needs a lab, or --iface IF with --ip A/N");
		return NULL;
	}
	struct ww_session *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->link.fd = -1;
	s->ev = ev;
	s->ev_arg = ev_arg;
	if (open_privileged(s, o, err, errlen) < 0) {
		ww_session_close(s);
		return NULL;
	}
	/* From here on this process holds no capability, or it stops. */
	char why[512];
	if (ww_caps_drop_all(why, sizeof why) < 0) {
		snprintf(err, errlen, "giving up capabilities failed: %s", why);
		ww_session_close(s);
		return NULL;
	}
	struct timespec mono, wall;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &wall);
	s->wall_offset_ns = ((int64_t)wall.tv_sec - mono.tv_sec) * 1000000000 +
			    (wall.tv_nsec - mono.tv_nsec);
	s->info.start_ns = ww_clock_ns();
	if (fill_info(s, o, err, errlen) < 0 || make_stack(s, err, errlen) < 0 ||
	    join_loop(s, o->loop, err, errlen) < 0) {
		ww_session_close(s);
		return NULL;
	}
	return s;
}

void ww_session_close(struct ww_session *s)
{
	if (!s)
		return;
	if (s->loop) {
		ww_loop_unwatch(s->loop, s->link.fd);
		ww_loop_remove_source(s->loop, s);
		if (s->own_loop)
			ww_loop_free(s->loop);
	}
	if (s->stack)
		ww_stack_free(s->stack);
	ww_link_close(&s->link);
	if (s->pcap_on || s->pcap.f)
		ww_pcap_writer_close(&s->pcap);
	for (unsigned i = 0; i < s->npackets; i++)
		free(slot(s, i)->data);
	for (size_t c = 0; c < s->nchunks; c++)
		free(s->chunks[c]);
	free(s->chunks);
	free(s);
}

/* ---- accessors ------------------------------------------------------- */

struct ww_stack *ww_session_stack(struct ww_session *s)
{
	return s->stack;
}

uint64_t ww_session_now(const struct ww_session *s)
{
	(void)s;
	return ww_clock_ns();
}

const struct ww_session_info *ww_session_info(const struct ww_session *s)
{
	return &s->info;
}

const struct ww_link_stats *ww_session_link_stats(struct ww_session *s)
{
	ww_link_update_stats(&s->link);
	return &s->link.stats;
}

struct ww_loop *ww_session_loop(struct ww_session *s)
{
	return s->loop;
}
