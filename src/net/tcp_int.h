/* Inside the TCP: shared by tcp_conn.c (the host, the table, the user's
 * calls, events, the trace), tcp_in.c (segment arrives: RFC 9293
 * §3.10.7), tcp_rcv.c (data in: order, window, ACKs, SACK), tcp_out.c
 * (segments out: segmentation, Nagle, congestion control) and
 * tcp_timer.c (RTO, persist, delayed ACK, TIME-WAIT). */
#ifndef WW_TCP_INT_H
#define WW_TCP_INT_H

#include "ww/rng.h"
#include "ww/stack.h"
#include "ww/tcpconn.h"

#define TCP_MAX_CONNS 64        /* connections and listeners kept */
#define TCP_MAX_LISTENERS 8
#define TCP_BACKLOG 16          /* half-open and unaccepted per listener */
#define TCP_DEFAULT_MSS 536     /* RFC 9293 §3.7.1: without the option */
#define TCP_MAX_WSCALE 14       /* RFC 7323 §2.3 */
#define TCP_EPHEMERAL_LO 49152  /* RFC 6335 dynamic ports */
#define TCP_EPHEMERAL_HI 65535
#define TCP_SEG_MAX (WW_TCP_MAX_HLEN + 65535)
#define MS_NS 1000000ull

/* Counter indexes: the order of the table in tcp_conn.c. */
enum tcp_ctr {
	T_BAD_CHECKSUM, T_MALFORMED, T_NOT_FOR_US, T_OUT_OF_WINDOW, T_PAWS, T_BACKLOG_FULL,
	T_SEGS_IN, T_SEGS_OUT, T_NO_CONNECTION, T_RST_SENT, T_RST_RECEIVED, T_CHALLENGE_ACKS,
	T_RETRANSMITS, T_FAST_RETRANSMITS, T_TIMEOUTS, T_DUPACKS, T_OUT_OF_ORDER, T_DUPLICATES,
	T_CONNECTS, T_ACCEPTS, T_PROBES,
	T_COUNT
};

struct ww_tcp_listener {
	uint16_t port; /* 0: free */
};

struct ww_tcp_host {
	struct ww_tcp_env env;
	struct ww_tcp_settings set;
	struct ww_tcb *conns[TCP_MAX_CONNS];
	struct ww_tcp_listener listeners[TCP_MAX_LISTENERS];
	unsigned next_id;
	struct ww_rng rng;
	uint64_t secret;             /* RFC 6528's key */
	bool next_iss_set;
	uint32_t next_iss;
	uint64_t ctr[T_COUNT];
	struct ww_tcb *last_hit;     /* the connection the last segment was for */
	uint8_t *seg;                /* one segment being built */
	bool in_burst;               /* see ww_tcp_burst */
};

/* A segment as it arrived, understood. */
struct tcp_seg {
	struct ww_tcp h;
	uint32_t src, dst;
	const uint8_t *data;         /* after trimming */
	uint32_t len;                /* data bytes after trimming */
	uint32_t seq;                /* of the first data byte (or the SYN) after trimming */
	uint16_t flags;              /* SYN and FIN cleared when trimmed away */
	uint16_t notes;              /* for the trace */
	uint64_t now;
};

/* An out-of-order segment held (sorted by sequence, never overlapping). */
struct ww_tcp_ooo {
	struct ww_tcp_ooo *next;
	uint32_t seq, len;
	uint8_t data[];
};

/* tcp_conn.c */
uint64_t tcp_random(struct ww_tcp_host *h);
void tcp_event(struct ww_tcp_host *h, enum ww_event_type type, uint64_t now, const char *reason,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* An event about C, its text after "TCP N: ". */
void tcp_conn_event(struct ww_tcb *c, enum ww_event_type type, uint64_t now, const char *reason,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
const char *tcp_ctr_name(enum tcp_ctr c);
void tcp_set_state(struct ww_tcb *c, enum ww_tcp_state s, uint64_t now);
/* Closed for good: timers stopped, buffers freed, the user told. */
void tcp_set_closed(struct ww_tcb *c, enum ww_tcp_error e, uint64_t now);
void tcp_notify(struct ww_tcb *c, uint64_t now);
struct ww_tcp_trace *tcp_trace_add(struct ww_tcb *c, const struct ww_tcp_trace *t);
/* A segment sent or received, as the ladder shows it. */
struct ww_tcp_trace *tcp_trace_seg(struct ww_tcb *c, bool sent, const struct ww_tcp *h,
				   uint32_t len, uint16_t notes, uint64_t now);
struct ww_tcb *tcp_lookup(struct ww_tcp_host *h, uint32_t lip, uint16_t lport, uint32_t rip,
			  uint16_t rport);
/* A new connection in the table (SYN-RECEIVED from a listener, or an
 * active open). NULL when no slot is free. */
struct ww_tcb *tcp_tcb_new(struct ww_tcp_host *h, uint32_t rip, uint16_t lport, uint16_t rport,
			   uint64_t now);
unsigned tcp_backlog(const struct ww_tcp_host *h, uint16_t port);
/* "192.168.1.5:49152 > 192.0.2.10:80" */
char *tcp_conn_name(const struct ww_tcb *c, char *buf, size_t len);

/* tcp_buf.c: the rings and the out-of-order queue */
int tcp_ring_init(struct ww_tcp_ring *r, size_t cap);
void tcp_ring_free(struct ww_tcp_ring *r);
size_t tcp_ring_room(const struct ww_tcp_ring *r);
size_t tcp_ring_write(struct ww_tcp_ring *r, const uint8_t *p, size_t n);
size_t tcp_ring_read(struct ww_tcp_ring *r, uint8_t *p, size_t n);
/* Copy N bytes from offset OFF without taking them. */
void tcp_ring_peek(const struct ww_tcp_ring *r, size_t off, uint8_t *p, size_t n);
void tcp_ring_drop(struct ww_tcp_ring *r, size_t n);
/* Hold LEN bytes at SEQ beyond RCV.NXT; parts already held are not
 * stored twice. Returns the bytes newly held. */
size_t tcp_ooo_add(struct ww_tcb *c, uint32_t seq, const uint8_t *data, uint32_t len);
void tcp_ooo_free(struct ww_tcb *c);
/* The receiver's SACK blocks from the queue: the block holding SEQ
 * (the segment just received) first, then the others. */
void tcp_sack_update(struct ww_tcb *c, uint32_t seq);

/* tcp_in.c */
void tcp_input_conn(struct ww_tcb *c, struct tcp_seg *s);
void tcp_input_listen(struct ww_tcp_host *h, uint16_t port, struct tcp_seg *s);
/* The peer's options from a SYN. */
void tcp_take_syn_options(struct ww_tcb *c, const struct ww_tcp *h);

/* tcp_rcv.c */
/* Data and FIN of an acceptable, trimmed segment. */
void tcp_rcv_data(struct ww_tcb *c, struct tcp_seg *s);
/* The window we can offer now (bytes), and the one advertised. */
uint32_t tcp_rcv_space(const struct ww_tcb *c);
uint32_t tcp_rcv_wnd(const struct ww_tcb *c);
/* The window field for the next segment; moves RCV.ADV. */
uint16_t tcp_rcv_window_field(struct ww_tcb *c);
/* Hand data to the sink or notify the reader. */
void tcp_rcv_deliver(struct ww_tcb *c, const uint8_t *p, size_t n);
/* After the reader took data: a window update if it opened enough. */
void tcp_rcv_window_opened(struct ww_tcb *c, uint64_t now);

/* tcp_out.c */
/* Send what may be sent now: data, FIN, and the ACK owed. */
void tcp_output(struct ww_tcb *c, uint64_t now);
/* A segment with no data: SYN, SYN-ACK, ACK, window probe. NOTES for the trace. */
void tcp_send_ctl(struct ww_tcb *c, uint16_t flags, uint32_t seq, uint16_t notes, uint64_t now);
void tcp_send_ack(struct ww_tcb *c, uint16_t notes, uint64_t now);
/* Resend LEN data bytes at SEQ (or the SYN, the FIN). Returns the bytes sent. */
uint32_t tcp_retransmit(struct ww_tcb *c, uint32_t seq, uint32_t len, uint16_t notes,
			uint64_t now);
/* Up to MAX new bytes from SND.NXT whatever the window says (a
 * zero-window probe, a window too small to be worth it). */
uint32_t tcp_send_forced(struct ww_tcb *c, uint32_t max, uint16_t notes, uint64_t now);
/* A RST for a segment nobody has (RFC 9293 §3.10.7.1), or to abort. */
void tcp_send_rst_for(struct ww_tcp_host *h, const struct tcp_seg *s);
/* <SEQ=SEQ><CTL=RST>, with our ACK if WITH_ACK. */
void tcp_send_rst(struct ww_tcb *c, uint32_t seq, bool with_ack, uint64_t now);
/* The segment size we send (MSS less the options every segment carries). */
uint16_t tcp_smss(const struct ww_tcb *c);
uint32_t tcp_flight(const struct ww_tcb *c);
/* The sequence number one past the last byte queued (the FIN's, if queued). */
uint32_t tcp_snd_data_end(const struct ww_tcb *c);

/* tcp_timer.c */
void tcp_rtt_sample(struct ww_tcb *c, uint64_t rtt, uint64_t now);
void tcp_rto_arm(struct ww_tcb *c, uint64_t now);
void tcp_rto_stop(struct ww_tcb *c);
void tcp_timers_poll(struct ww_tcb *c, uint64_t now);
uint64_t tcp_timers_next(const struct ww_tcb *c);
void tcp_time_wait_start(struct ww_tcb *c, uint64_t now);
void tcp_persist_arm(struct ww_tcb *c, uint64_t now);
/* Our timestamp clock (ms, RFC 7323 §5.4), offset per connection. */
uint32_t tcp_ts_now(const struct ww_tcb *c, uint64_t now);

/* The congestion window after ACKED new bytes (RFC 5681 §3.1). */
void tcp_cc_ack(struct ww_tcb *c, uint32_t acked);
/* Three duplicate ACKs / one more while recovering (RFC 5681 §3.2, RFC 6582). */
void tcp_cc_dupack(struct ww_tcb *c, uint64_t now);
/* The first two duplicate ACKs: one new segment each (RFC 3042). */
void tcp_limited_transmit(struct ww_tcb *c, uint64_t now);
/* An ACK of new data while recovering: partial or full. */
void tcp_cc_recovery_ack(struct ww_tcb *c, uint32_t acked, uint64_t now);
/* The peer's SACK blocks of an incoming ACK. */
void tcp_sack_take(struct ww_tcb *c, const struct ww_tcp *h);
void tcp_sack_prune(struct ww_tcb *c);
/* SEQ lies in a block the peer SACKed: the block's right edge, else SEQ. */
uint32_t tcp_sack_skip(const struct ww_tcb *c, uint32_t seq);
/* The first byte at or after FROM that is not SACKed and lies below the
 * highest SACKed byte: a hole. Returns false if none. */
bool tcp_sack_hole(const struct ww_tcb *c, uint32_t from, uint32_t *seq, uint32_t *len);

#endif
