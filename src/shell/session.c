/* The live session: the link, the loop, the stack and the packet list.
 *
 * Every frame passes here in both directions. A received frame is
 * numbered, kept, written to the pcap, reported (WW_EV_FRAME_RECEIVED),
 * then — through the fault injector, when faults are on — given to the
 * stack, then offered to whoever waits for a reply: in that order, so the
 * frame prints before what the stack makes of it, and a waiting command
 * sees the stack's state after the frame. A frame the stack sends (its TX
 * callback) passes the fault injector, then goes out; a command's frame
 * goes out as it is: link, number, pcap, WW_EV_FRAME_SENT. The packet list
 * and the capture show the wire: what the injector did is told apart, as
 * WW_EV_FAULT events.
 *
 * While a burst of received frames is taken in (up to RX_BURST) or the
 * stack's timers run, what the stack sends is queued on the link and goes
 * out in one sendmmsg() when that is done: a window's worth of ACKs costs
 * one system call, not one each. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ww/dns_tcp.h"
#include "ww/caps.h"
#include "ww/fault.h"
#include "ww/ipv4.h"
#include "ww/lab.h"
#include "ww/link.h"
#include "ww/loop.h"
#include "ww/packet_list.h"
#include "ww/pcap.h"
#include "ww/resolver.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "ww/stack.h"
#include "ww/tcpconn.h"
#include "ww/udpsock.h"

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
	struct ww_udp_layer *udp;      /* UDP on the stack */
	struct ww_resolver *resolver;  /* DNS over it */
	struct ww_dns_tcp *dns_tcp;    /* ... and over TCP when an answer is truncated */
	struct ww_tcp_host *tcp;       /* TCP on the stack */
	ww_event_fn ev;
	void *ev_arg;
	struct ww_pcap_writer pcap;
	bool pcap_on;
	int64_t wall_offset_ns;   /* CLOCK_REALTIME - CLOCK_MONOTONIC, for pcap times */
	struct ww_packet_list packets;
	struct wait *wait;        /* the innermost ww_session_wait, or NULL */
	struct ww_fault *fault;   /* NULL: no faults injected */
	bool batching;            /* the stack's frames are queued, sent at the end */
	bool told_truncated;      /* a cut frame was explained once */
	struct fd_watch {
		void (*fn)(void *arg);
		void *arg;
	} watches[MAX_WATCHES];
	int watch_fds[MAX_WATCHES];
	/* The frame being given to the stack: its drops name this packet. */
	const uint8_t *rx_frame;
	size_t rx_len;
	unsigned rx_no;
};

/* ---- events ---------------------------------------------------------- */

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

void ww_session_event(void *session, const struct ww_event *ev)
{
	emit(session, ev);
}

/* ---- the packet list ------------------------------------------------- */

/* Number, keep, write to the pcap, report. Returns the frame's number. */
static unsigned log_frame(struct ww_session *s, bool sent, const uint8_t *frame, size_t len,
			  uint32_t origlen, uint64_t now)
{
	const struct ww_packet *p = ww_packet_list_add(&s->packets, sent, frame, len, now);
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
	unsigned no = p->no;
	struct ww_event ev = { .type = sent ? WW_EV_FRAME_SENT : WW_EV_FRAME_RECEIVED,
			       .now_ns = now, .frame = p->data, .len = len, .packet_no = no };
	emit(s, &ev);
	return no;
}

unsigned ww_session_npackets(const struct ww_session *s)
{
	return s->packets.count;
}

unsigned ww_session_first_packet(const struct ww_session *s)
{
	return s->packets.first;
}

const struct ww_packet *ww_session_packet(const struct ww_session *s, unsigned no)
{
	return ww_packet_list_get(&s->packets, no);
}

void ww_session_set_keep(struct ww_session *s, unsigned frames, size_t bytes)
{
	ww_packet_list_set_limits(&s->packets, frames, bytes);
}

/* ---- sending ----------------------------------------------------------- */

/* ENOBUFS: a queue on the way (the peer's backlog) was full. The frame is
 * gone as if lost on the wire; TCP finds out as it would there. */
static void report_lost(struct ww_session *s, const uint8_t *frame, size_t len)
{
	char msg[160];
	snprintf(msg, sizeof msg, "a frame of %zu bytes was lost on its way out of %s: the kernel "
		 "had no room for it (ENOBUFS)", len, s->info.ifname);
	struct ww_event ev = { .type = WW_EV_FRAME_DROPPED, .now_ns = ww_clock_ns(), .frame = frame,
			       .len = len, .reason = "link.tx_lost", .text = msg };
	emit(s, &ev);
}

static void report_refused(struct ww_session *s, size_t len, int e)
{
	char msg[128];
	snprintf(msg, sizeof msg, "send on %s: %s (%zu bytes)", s->info.ifname, strerror(e), len);
	emit_text(s, WW_EV_ERROR, msg);
}

/* Send now: 1 and *NO when it went out, 0 when it was lost, -1 refused. */
static int send_now(struct ww_session *s, const uint8_t *frame, size_t len, unsigned *no)
{
	if (ww_link_send(&s->link, frame, len) < 0) {
		if (errno == ENOBUFS) {
			report_lost(s, frame, len);
			return 0;
		}
		report_refused(s, len, errno);
		return -1;
	}
	*no = log_frame(s, true, frame, len, (uint32_t)len, ww_clock_ns());
	return 1;
}

/* How a queued frame fared, told by ww_link_flush. */
static void on_queued_sent(void *arg, const uint8_t *frame, size_t len, int err)
{
	struct ww_session *s = arg;
	if (!err)
		log_frame(s, true, frame, len, (uint32_t)len, ww_clock_ns());
	else if (err == ENOBUFS)
		report_lost(s, frame, len);
	else
		report_refused(s, len, err);
}

unsigned ww_session_send(struct ww_session *s, const uint8_t *frame, size_t len)
{
	unsigned no = 0;
	/* Whatever the stack queued goes first: the wire keeps the order. */
	ww_link_flush(&s->link);
	return send_now(s, frame, len, &no) > 0 ? no : 0;
}

/* A frame of the stack's, past the fault injector: onto the wire. A
 * frame lost for want of room counts as sent, as on a wire. */
static int transmit(struct ww_session *s, const uint8_t *frame, size_t len)
{
	if (s->batching) {
		if (ww_link_queue(&s->link, frame, len) == 0)
			return 0;
		report_refused(s, len, errno);
		return -1;
	}
	unsigned no;
	return send_now(s, frame, len, &no) < 0 ? -1 : 0;
}

static int stack_tx(void *arg, const uint8_t *frame, size_t len)
{
	struct ww_session *s = arg;
	if (ww_fault_applies(s->fault, WW_FAULT_TX)) {
		ww_fault_pass(s->fault, WW_FAULT_TX, frame, len, 0, ww_clock_ns());
		return 0;
	}
	return transmit(s, frame, len);
}

/* Between these two, the stack's frames wait on the link. */
static void batch_begin(struct ww_session *s)
{
	s->batching = true;
	if (s->tcp)
		ww_tcp_burst(s->tcp, true, ww_session_now(s));
}

static void batch_end(struct ww_session *s)
{
	if (s->tcp)
		ww_tcp_burst(s->tcp, false, ww_session_now(s));
	s->batching = false;
	ww_link_flush(&s->link);
}

/* ---- receiving --------------------------------------------------------- */

/* A received frame, past the fault injector: to the stack, then to
 * whoever waits. */
static void deliver_rx(struct ww_session *s, const uint8_t *frame, size_t len, unsigned no,
		       uint64_t now)
{
	if (s->stack) {
		s->rx_frame = frame;
		s->rx_len = len;
		s->rx_no = no;
		ww_stack_input(s->stack, frame, len, now);
		s->rx_frame = NULL;
	}
	struct wait *w = s->wait;
	if (w && w->match && !w->matched) {
		/* The frame as the stack got it (corrupted, if it was). */
		struct ww_packet p = { .no = no, .ts_ns = now, .len = (uint32_t)len,
				       .data = (uint8_t *)frame };
		if (w->match(w->arg, &p))
			w->matched = no;
	}
}

static void on_fault_deliver(void *arg, enum ww_fault_dir dir, const uint8_t *frame, size_t len,
			     unsigned no)
{
	struct ww_session *s = arg;
	if (dir == WW_FAULT_RX)
		deliver_rx(s, frame, len, no, ww_clock_ns());
	else
		transmit(s, frame, len);
}

/* A frame cut short (longer than the link takes: offloads are on). */
static void tell_truncated(struct ww_session *s, unsigned no, uint32_t len, uint32_t origlen)
{
	char msg[256];
	snprintf(msg, sizeof msg, "frame %u was %u bytes on the wire, only %u were read: segmentation "
		 "offloads are on (ethtool -K %s gro off gso off tso off)", no, origlen, len,
		 s->info.ifname);
	emit_text(s, WW_EV_INFO, msg);
	s->told_truncated = true;
}

static void receive_one(struct ww_session *s, const struct ww_link_frame *f)
{
	/* The time the frame was read, not after it was shown: a round trip
	 * must not include the printing. */
	uint64_t now = ww_clock_ns();
	unsigned no = log_frame(s, false, f->data, f->len, f->origlen, now);
	if (f->len < f->origlen && !s->told_truncated)
		tell_truncated(s, no, f->len, f->origlen);
	if (ww_fault_applies(s->fault, WW_FAULT_RX))
		ww_fault_pass(s->fault, WW_FAULT_RX, f->data, f->len, no, now);
	else
		deliver_rx(s, f->data, f->len, no, now);
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
	batch_begin(s);
	for (int i = 0; i < RX_BURST; i++) {
		struct ww_link_frame f;
		int r = ww_link_rx(&s->link, &f);
		if (r == 0)
			break;
		if (r < 0) {
			char msg[128];
			snprintf(msg, sizeof msg, "receive on %s: %s", s->info.ifname, strerror(errno));
			emit_text(s, WW_EV_ERROR, msg);
			break;
		}
		receive_one(s, &f);
		ww_link_rx_release(&s->link, &f);
	}
	batch_end(s);
}

/* ---- faults ------------------------------------------------------------ */

static void on_fault_event(void *arg, const struct ww_event *ev)
{
	emit(arg, ev);
}

int ww_session_set_fault(struct ww_session *s, const struct ww_fault_config *cfg)
{
	struct ww_fault *old = s->fault, *f = NULL;
	if (cfg && ww_fault_active(cfg) &&
	    !(f = ww_fault_new(cfg, on_fault_deliver, on_fault_event, s)))
		return -1;
	/* A frame still held by the old injector goes on its way now. */
	s->fault = NULL;
	ww_fault_free(old);
	s->fault = f;
	return 0;
}

const struct ww_fault_config *ww_session_fault(const struct ww_session *s)
{
	return s->fault ? ww_fault_config(s->fault) : NULL;
}

const struct ww_fault_stats *ww_session_fault_stats(const struct ww_session *s)
{
	return s->fault ? ww_fault_stats(s->fault) : NULL;
}

/* ---- the loop's source: the stack's timers --------------------------- */

static uint64_t session_prepare(void *arg)
{
	struct ww_session *s = arg;
	/* Before sleeping: nothing is left queued, and the capture on disk
	 * is complete up to now, even if the program is killed while it
	 * waits. */
	ww_link_flush(&s->link);
	if (s->pcap_on)
		ww_pcap_flush(&s->pcap);
	uint64_t next = s->stack ? ww_stack_next_deadline(s->stack) : WW_LOOP_NEVER;
	if (s->resolver) {
		uint64_t dns = ww_resolver_next_deadline(s->resolver);
		next = dns < next ? dns : next;
	}
	if (s->tcp) {
		uint64_t tcp = ww_tcp_next_deadline(s->tcp);
		next = tcp < next ? tcp : next;
	}
	if (s->fault) {
		uint64_t held = ww_fault_next_deadline(s->fault);
		next = held < next ? held : next;
	}
	return next;
}

static void session_expire(void *arg, uint64_t now_ns)
{
	struct ww_session *s = arg;
	batch_begin(s);
	if (s->fault)
		ww_fault_poll(s->fault, now_ns);
	if (s->stack)
		ww_stack_poll(s->stack, now_ns);
	if (s->resolver)
		ww_resolver_poll(s->resolver, now_ns);
	if (s->tcp)
		ww_tcp_poll(s->tcp, now_ns);
	batch_end(s);
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

/* UDP and DNS: ports and IDs from the kernel's randomness. The lab's
 * resolver and root (DESIGN.md §1); on a real interface the gateway, as
 * home routers answer DNS, and the real a.root-servers.net. */
static int make_resolver(struct ww_session *s, char *err, size_t errlen)
{
	s->udp = ww_udp_new(s->stack, 0, on_stack_event, s);
	struct ww_resolver_config rc;
	ww_resolver_config_init(&rc);
	rc.nroots = 1;
	if (s->info.lab[0]) {
		ww_ipv4_parse_addr(WW_LAB_RESOLVER_IP, &rc.server);
		ww_ipv4_parse_addr(WW_LAB_ROOT_NS_IP, &rc.roots[0].ip);
	} else {
		rc.server = s->info.gw;
		ww_ipv4_parse_addr("198.41.0.4", &rc.roots[0].ip);
	}
	snprintf(rc.roots[0].name, sizeof rc.roots[0].name, "a.root-servers.net.");
	if (s->udp)
		s->resolver = ww_resolver_new(s->udp, &rc, on_stack_event, s);
	if (!s->resolver) {
		snprintf(err, errlen, "out of memory for UDP and the resolver");
		return -1;
	}
	return 0;
}

/* TCP's segments go out in IPv4 datagrams with DF set, as Linux sends
 * them. */
static int tcp_output(void *arg, uint32_t dst, const uint8_t *seg, size_t len, uint64_t now)
{
	struct ww_session *s = arg;
	struct ww_ip_send p = { .dst = dst, .proto = WW_IPPROTO_TCP, .df = true };
	return ww_stack_ip_send(s->stack, &p, seg, len, now) < 0 ? -1 : 0;
}

/* A drop the TCP reports names the frame being taken in. */
static void on_tcp_event(void *arg, const struct ww_event *ev)
{
	struct ww_session *s = arg;
	struct ww_event e = *ev;
	if (!e.frame && e.type == WW_EV_FRAME_DROPPED)
		e.frame = ww_stack_input_frame(s->stack, &e.len);
	on_stack_event(s, &e);
}

/* TCP: ISNs and ports from the kernel's randomness. */
static int make_tcp(struct ww_session *s, char *err, size_t errlen)
{
	struct ww_tcp_env env = {
		.ip = s->info.ip, .mtu = (uint16_t)s->info.mtu, .output = tcp_output,
		.output_arg = s, .ev = on_tcp_event, .ev_arg = s,
	};
	s->tcp = ww_tcp_host_new(&env, NULL);
	if (!s->tcp) {
		snprintf(err, errlen, "out of memory for TCP");
		return -1;
	}
	ww_stack_set_handler(s->stack, WW_IPPROTO_TCP, ww_tcp_input, s->tcp);
	ww_stack_set_icmp_error_handler(s->stack, WW_IPPROTO_TCP, ww_tcp_icmp_error, s->tcp);
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
	if (make_tcp(s, err, errlen) < 0)
		return -1;
	if (make_resolver(s, err, errlen) < 0)
		return -1;
	/* A truncated answer is asked again over TCP (RFC 7766). */
	if (s->resolver && !(s->dns_tcp = ww_dns_tcp_new(s->tcp, s->resolver))) {
		snprintf(err, errlen, "out of memory for DNS over TCP");
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
	struct ww_link_config lc = { .no_ring = o->no_ring };
	if (ww_link_open_with(&s->link, o->lab ? WW_LAB_CLIENT_IF : o->iface, &lc, err, errlen) < 0)
		return -1;
	ww_link_on_sent(&s->link, on_queued_sent, s);
	return 0;
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
	ww_packet_list_init(&s->packets, WW_SESSION_KEEP_FRAMES, WW_SESSION_KEEP_BYTES);
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
	/* Frames held back and frames queued go out (and into the capture)
	 * before the link closes. */
	ww_session_set_fault(s, NULL);
	if (s->link.fd >= 0)
		ww_link_flush(&s->link);
	ww_dns_tcp_free(s->dns_tcp);
	ww_resolver_free(s->resolver);
	ww_udp_free(s->udp);
	ww_tcp_host_free(s->tcp);
	if (s->stack)
		ww_stack_free(s->stack);
	ww_link_close(&s->link);
	if (s->pcap_on || s->pcap.f)
		ww_pcap_writer_close(&s->pcap);
	ww_packet_list_free(&s->packets);
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

struct ww_udp_layer *ww_session_udp(struct ww_session *s)
{
	return s->udp;
}

struct ww_resolver *ww_session_resolver(struct ww_session *s)
{
	return s->resolver;
}

struct ww_tcp_host *ww_session_tcp(struct ww_session *s)
{
	return s->tcp;
}

void ww_session_link_mode(const struct ww_session *s, char *out, size_t len)
{
	ww_link_describe(&s->link, out, len);
}
