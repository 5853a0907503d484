/* A live session: the link (an AF_PACKET socket on the client's veth in
 * the lab, or a real interface), the one poll loop with its timers, the
 * stack, and the numbered list of every frame sent and received. Shell
 * commands that talk to the network go through here. */
#ifndef WW_SESSION_H
#define WW_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/event.h"

struct ww_session;
struct ww_stack;
struct ww_udp_layer;
struct ww_resolver;
struct ww_tcp_host;
struct ww_loop;
struct ww_link_stats;
struct ww_fault_config;
struct ww_fault_stats;

/* What the packet list keeps by default: the last 10000 frames, at most
 * 4 MiB of them. */
#define WW_SESSION_KEEP_FRAMES 10000u
#define WW_SESSION_KEEP_BYTES (4u * 1024 * 1024)

/* Every frame sent or received while the session runs, numbered from 1
 * (`$1`, `packets`). The last ones are kept (ww_session_set_keep): DATA
 * stays valid while the frame is kept. A frame is numbered when it is on
 * the wire: received, or handed to the kernel to send. */
struct ww_packet {
	unsigned no;
	bool sent;
	uint64_t ts_ns; /* CLOCK_MONOTONIC */
	uint32_t len;
	uint8_t *data;
};

struct ww_session_opts {
	const char *lab;        /* lab name ("main"), or NULL with iface set */
	const char *iface;      /* --iface: a real interface instead of the lab */
	uint32_t ip, gw;        /* --ip A/N --gw G (host order) */
	uint8_t prefix;
	const char *pcap_path;  /* --pcap FILE: every frame sent and received */
	bool no_ring;           /* receive with recvfrom() per frame, not the ring */
	bool up_lab;            /* bring the lab up if it is not */
	struct ww_loop *loop;   /* the loop to join (the shell's); NULL: one of its own */
};

/* What the session runs on, for `ifconfig` and the views. */
struct ww_session_info {
	char lab[16];           /* the lab's name, "" on a real interface */
	char ifname[16];        /* the link's interface ("eth0" in the lab) */
	uint8_t mac[6];         /* the interface's MAC: the stack's own */
	unsigned mtu;           /* the interface's MTU (IP bytes per frame) */
	uint32_t ip, gw;        /* host order */
	uint8_t prefix;
	uint64_t start_ns;      /* when the session opened: time 0 of `packets` */
};

/* Check capabilities, (bring up and) enter the lab's client namespace,
 * open the socket, drop every capability and verify the drop. On failure
 * returns NULL with a message for a person in ERR. */
struct ww_session *ww_session_open(const struct ww_session_opts *o, ww_event_fn ev, void *ev_arg,
				   char *err, size_t errlen);
void ww_session_close(struct ww_session *s);

/* The stack (NULL if there is none: frames are then only logged). */
struct ww_stack *ww_session_stack(struct ww_session *s);
/* CLOCK_MONOTONIC in ns: the `now` every stack call takes. */
uint64_t ww_session_now(const struct ww_session *s);
const struct ww_session_info *ww_session_info(const struct ww_session *s);
/* Frames and bytes through the socket, sends refused, kernel drops. */
const struct ww_link_stats *ww_session_link_stats(struct ww_session *s);
/* The loop the session runs in: add timers to it (ww/loop.h). */
struct ww_loop *ww_session_loop(struct ww_session *s);
/* UDP on the stack (udpsock.h) and the DNS resolver over it (resolver.h):
 * in the lab it asks the lab's resolver and walks from the lab's root; on
 * a real interface it asks the gateway and walks from a.root-servers.net.
 * NULL without a stack. */
struct ww_udp_layer *ww_session_udp(struct ww_session *s);
struct ww_resolver *ww_session_resolver(struct ww_session *s);
/* TCP on the stack (tcpconn.h): its segments go out through the stack,
 * its timers run in the session's loop, its events join the session's.
 * NULL without a stack. */
struct ww_tcp_host *ww_session_tcp(struct ww_session *s);

/* Frames numbered so far (the last one's number). */
unsigned ww_session_npackets(const struct ww_session *s);
/* The oldest frame still kept (npackets + 1 when none is). */
unsigned ww_session_first_packet(const struct ww_session *s);
/* Packet NO (1-based) if it is still kept, or NULL. */
const struct ww_packet *ww_session_packet(const struct ww_session *s, unsigned no);
/* Keep the last FRAMES frames and at most BYTES bytes of them
 * (UINT32_MAX, SIZE_MAX: no limit; 0 frames: keep none). Older frames go
 * at once. Frames are numbered all the same, and --pcap gets them all. */
void ww_session_set_keep(struct ww_session *s, unsigned frames, size_t bytes);

/* Faults injected on our side of the link (ww/fault.h): on the frames
 * received before the stack sees them and on the frames the stack sends
 * before they reach the wire; frames sent by hand (ww_session_send) go
 * out as they are. Each fault is reported as a WW_EV_FAULT event. CFG
 * NULL or without any chance: off (a frame held back goes first). 0, or
 * -1 when CFG is out of range or memory ran out. */
int ww_session_set_fault(struct ww_session *s, const struct ww_fault_config *cfg);
/* The faults in force, and what they did so far; NULL when off. */
const struct ww_fault_config *ww_session_fault(const struct ww_session *s);
const struct ww_fault_stats *ww_session_fault_stats(const struct ww_session *s);

/* How the link receives and sends, for a person (ww_link_describe). */
void ww_session_link_mode(const struct ww_session *s, char *out, size_t len);

/* Send a whole frame as it is (crafted by hand: nothing is filled in),
 * now. Logged, written to the pcap, reported as WW_EV_FRAME_SENT. Returns
 * the packet number, or 0 if the link refused it (or lost it: the kernel
 * had no room, ENOBUFS, reported as a WW_EV_FRAME_DROPPED "link.tx_lost").
 *
 * The stack's own frames go out the same way, but those it sends while
 * taking in a burst of received frames or running its timers are queued
 * and go out together (one sendmmsg) when the burst is done. */
unsigned ww_session_send(struct ww_session *s, const uint8_t *frame, size_t len);

/* A predicate over a received frame. */
typedef bool (*ww_frame_match)(void *arg, const struct ww_packet *p);
/* Pump the loop (frames in and out, timers, the terminal) until MATCH
 * accepts a frame received from now on, TIMEOUT_MS passes, or Ctrl-C.
 * MATCH may be NULL: just run the loop for TIMEOUT_MS. Returns the
 * matching packet's number, 0 on timeout, -1 when interrupted. */
int ww_session_wait(struct ww_session *s, ww_frame_match match, void *arg, unsigned timeout_ms);

/* Pump the loop until DONE(ARG) is true, the session clock reaches
 * DEADLINE, or Ctrl-C: returns 1, 0 or -1. DONE is asked after every frame
 * the stack took in and at least every 50 ms (for what timers decide, like
 * a retransmission or a probe's timeout). DONE may be NULL: just run the
 * loop until the deadline. */
int ww_session_until(struct ww_session *s, bool (*done)(void *arg), void *arg, uint64_t deadline);

/* Report EV to the session's listener, beside the stack's own events: a
 * layer the shell runs on top of the stack (TLS) passes this as its
 * ww_event_fn, with the session as ARG. */
void ww_session_event(void *session, const struct ww_event *ev);

/* Add an fd to the loop (the terminal): FN runs when it is readable.
 * 0, or -1 when the loop's table is full. */
int ww_session_watch_fd(struct ww_session *s, int fd, void (*fn)(void *arg), void *arg);

#endif
