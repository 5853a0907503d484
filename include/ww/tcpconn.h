/* TCP connections (RFC 9293): the state machine, the send side
 * (segmentation, Nagle, congestion control after RFC 5681 and RFC 6582),
 * the receive side (out-of-order queue, trimming, delayed ACK, SACK after
 * RFC 2018), retransmission after RFC 6298, window scaling and
 * timestamps after RFC 7323, and RST handling after RFC 5961.
 *
 * Like the stack below it, the TCP is pure: it owns no socket, never
 * reads a clock and never prints. Segments go out through the OUTPUT
 * callback (the shell hands them to ww_stack_ip_send), segments come in
 * through ww_tcp_input (registered with ww_stack_set_handler), time is
 * the NOW of every call, due timers run in ww_tcp_poll. What happens is
 * reported to the event listener:
 *
 *   WW_EV_STATE   "TCP 1 192.168.1.5:49152 > 192.0.2.10:80: SYN-SENT -> ESTABLISHED"
 *   WW_EV_INFO    a retransmission, a zero window, a segment for no
 *                 connection (shown, not answered unless rst is on), ...
 *   WW_EV_FRAME_DROPPED  a segment thrown away (bad checksum, malformed)
 *   WW_EV_ERROR   a connection refused, reset or timed out
 *
 * Sequence numbers wrap: every comparison goes through ww_seq_lt and
 * friends, (int32_t)(a - b) < 0, never a plain <. */
#ifndef WW_TCPCONN_H
#define WW_TCPCONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/event.h"
#include "ww/ipv4.h"
#include "ww/tcp.h"

static inline bool ww_seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool ww_seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool ww_seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool ww_seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

/* RFC 9293 §3.3.2. The names print as the RFC spells them (SYN-SENT). */
enum ww_tcp_state {
	WW_TCPS_CLOSED,
	WW_TCPS_LISTEN,
	WW_TCPS_SYN_SENT,
	WW_TCPS_SYN_RECEIVED,
	WW_TCPS_ESTABLISHED,
	WW_TCPS_FIN_WAIT_1,
	WW_TCPS_FIN_WAIT_2,
	WW_TCPS_CLOSE_WAIT,
	WW_TCPS_CLOSING,
	WW_TCPS_LAST_ACK,
	WW_TCPS_TIME_WAIT,
};
const char *ww_tcp_state_name(enum ww_tcp_state s);

/* Why a connection ended, when it did not end by an orderly close. */
enum ww_tcp_error {
	WW_TCPE_NONE,
	WW_TCPE_REFUSED,   /* RST answered our SYN */
	WW_TCPE_RESET,     /* RST on a synchronized connection */
	WW_TCPE_TIMEOUT,   /* no answer after the retransmissions allowed */
	WW_TCPE_ABORTED,   /* ww_tcp_abort: we sent the RST */
	WW_TCPE_UNREACHABLE, /* ICMP port or protocol unreachable while opening */
};
const char *ww_tcp_error_str(enum ww_tcp_error e);

/* Settings: the options our SYN offers, buffers and timers. Options and
 * buffer sizes apply to connections opened after they change; the rest
 * at once. */
struct ww_tcp_settings {
	bool opt_mss;            /* offer MSS (RFC 9293 §3.7.1); off: the peer assumes 536 */
	bool opt_wscale;         /* window scale (RFC 7323 §2) */
	bool opt_sack;           /* SACK-permitted (RFC 2018) */
	bool opt_ts;             /* timestamps (RFC 7323 §3) */
	uint16_t mss;            /* the MSS announced; 0: MTU - 40 */
	uint32_t rcvbuf;         /* receive buffer, the most window offered (bytes) */
	uint32_t sndbuf;         /* send buffer (bytes) */
	bool nagle;              /* RFC 896: hold small segments while data is unacknowledged */
	bool rst;                /* answer segments for no connection with RST */
	uint32_t rto_min_ms;     /* RFC 6298 (2.4) says 1 s; a LAN round trip is far less */
	uint32_t rto_max_ms;     /* the backoff stops doubling here (RFC 6298 (2.5): >= 60 s) */
	uint32_t rto_initial_ms; /* before a round trip is measured (RFC 6298 (2.1): 1 s) */
	uint32_t time_wait_ms;   /* 2 MSL is 4 minutes (RFC 9293 §3.4.2); the lab needs less */
	uint32_t connect_timeout_ms; /* SYN-SENT and SYN-RECEIVED give up after this */
	uint32_t delack_ms;      /* delayed ACK (RFC 9293 §3.8.6.3: under 0.5 s) */
	unsigned max_retries;    /* retransmissions of one segment before giving up */
	/* Stretch ACKs: while a burst of frames is taken in, hold the ACKs
	 * that are due and send one at the end of the burst, as a kernel with
	 * GRO does. Off by default: the textbook ACK for every second segment
	 * (RFC 5681 §4.2) is what a person watching should see. */
	bool stretch_ack;
};

#define WW_TCP_DEFAULT_RCVBUF 65535u
#define WW_TCP_DEFAULT_SNDBUF 262144u
#define WW_TCP_MAX_BUF (16u << 20)
#define WW_TCP_MIN_BUF 64u

/* MSS only, Nagle on, no RST for strangers; RTO 200 ms .. 60 s, first
 * 1 s; TIME-WAIT 1 s; connect timeout 10 s; delayed ACK 40 ms. */
void ww_tcp_settings_default(struct ww_tcp_settings *s);

/* What the TCP runs on. */
struct ww_tcp_env {
	uint32_t ip;    /* our address (host order) */
	uint16_t mtu;   /* IP bytes per frame: the MSS announced is MTU - 40 */
	/* Send one whole segment (header and data, checksum filled) to DST
	 * in an IPv4 datagram. 0, or -1 if it could not go (it counts as
	 * lost: retransmission takes care of it). */
	int (*output)(void *arg, uint32_t dst, const uint8_t *seg, size_t len, uint64_t now_ns);
	void *output_arg;
	ww_event_fn ev;
	void *ev_arg;
	uint64_t seed;  /* ISNs and ports: 0, the kernel's randomness; else repeatable (tests) */
};

struct ww_tcp_host;
struct ww_tcb;

/* NULL if out of memory. ENV and S are copied. */
struct ww_tcp_host *ww_tcp_host_new(const struct ww_tcp_env *env, const struct ww_tcp_settings *s);
/* Frees every connection without sending anything. */
void ww_tcp_host_free(struct ww_tcp_host *h);
/* The live settings: change them in place. */
struct ww_tcp_settings *ww_tcp_host_settings(struct ww_tcp_host *h);
/* The next connection opened starts at ISS instead of a random one (a
 * lesson that wants round numbers; tests near the wrap). */
void ww_tcp_host_next_iss(struct ww_tcp_host *h, uint32_t iss);

/* A datagram carrying TCP for us; the signature of ww_ip_handler, with
 * the host as ARG. Checks the checksum against HDR's addresses. */
void ww_tcp_input(void *host, const struct ww_ipv4 *hdr, const uint8_t *seg, size_t len,
		  uint64_t now_ns);
/* An ICMP error quoting one of our segments (the signature of
 * ww_icmp_error_handler, the host as ARG). RFC 1122 §4.2.3.9: port or
 * protocol unreachable ends a connection still opening; fragmentation
 * needed lowers the segment size (RFC 1191); the rest are soft errors,
 * reported while the retransmissions go on. Errors quoting a sequence
 * number not in flight are ignored (RFC 5927). */
struct ww_icmp_error;
void ww_tcp_icmp_error(void *host, const struct ww_icmp_error *e, uint64_t now_ns);
/* Run the timers due at NOW: retransmission, delayed ACK, persist,
 * TIME-WAIT, connect timeout. */
void ww_tcp_poll(struct ww_tcp_host *h, uint64_t now_ns);
/* A burst of received frames begins (ON) or ends: with stretch_ack set,
 * the ACKs due during it go out once at its end. */
void ww_tcp_burst(struct ww_tcp_host *h, bool on, uint64_t now);
/* When ww_tcp_poll next has work; UINT64_MAX if nothing is pending. */
uint64_t ww_tcp_next_deadline(const struct ww_tcp_host *h);

/* ---- connections ------------------------------------------------------ */

/* Active open: send a SYN to DST:DPORT from SPORT (0: a free ephemeral
 * port). NULL if no port or slot is free (an WW_EV_ERROR says which).
 * Data may be queued at once (ww_tcp_send): it goes after the handshake.
 * A connection stays in the table after it closes, until its slot is
 * needed for a new one: a user that keeps it long should keep its id
 * and look it up (ww_tcp_find). */
struct ww_tcb *ww_tcp_connect(struct ww_tcp_host *h, uint32_t dst, uint16_t dport,
			      uint16_t sport, uint64_t now_ns);
/* Passive open: accept connections on PORT. 0, or -1 if PORT already
 * listens or the table is full. */
int ww_tcp_listen(struct ww_tcp_host *h, uint16_t port);
int ww_tcp_unlisten(struct ww_tcp_host *h, uint16_t port);
bool ww_tcp_listening(const struct ww_tcp_host *h, uint16_t port);
/* The oldest connection PORT's listener brought to ESTABLISHED (or past)
 * that nobody took yet; it is marked taken. NULL if none. */
struct ww_tcb *ww_tcp_accept(struct ww_tcp_host *h, uint16_t port);

/* Queue up to LEN bytes for sending (in SYN-SENT they wait for the
 * handshake). Returns how many were taken (less when the send buffer is
 * full), or -1 if the connection can send no more (closed, or closing). */
long ww_tcp_send(struct ww_tcb *c, const uint8_t *data, size_t len, uint64_t now_ns);
/* Take up to CAP bytes of data received in order. The window opens as
 * the buffer drains; a window update goes out when it has opened enough
 * (RFC 9293 §3.8.6.2.2, receiver's silly window avoidance). */
size_t ww_tcp_recv(struct ww_tcb *c, uint8_t *buf, size_t cap, uint64_t now_ns);
/* Bytes waiting for ww_tcp_recv. */
size_t ww_tcp_readable(const struct ww_tcb *c);
/* Room in the send buffer. */
size_t ww_tcp_send_space(const struct ww_tcb *c);
/* Bytes queued and not yet acknowledged (sent or not). */
size_t ww_tcp_unacked(const struct ww_tcb *c);

/* Data received in order goes straight to SINK instead of the buffer
 * (what is buffered already is given to it first), so a download streams
 * to a file without being held. SINK returns how many bytes it took; less
 * than given stops it: the rest stays buffered. NULL: back to buffering. */
typedef size_t (*ww_tcp_sink)(void *arg, const uint8_t *data, size_t len);
void ww_tcp_set_sink(struct ww_tcb *c, ww_tcp_sink sink, void *arg, uint64_t now_ns);

/* Called after every change a user of the connection may wait for:
 * data arrived, the state changed (CLOSED included), the send buffer
 * drained; NOW is the time of the segment or timer that caused it. It
 * runs in the middle of taking a segment in, and may call any of the
 * functions above on C: read, send, close, even abort (what is left of
 * the segment is then ignored). It may be called again from inside
 * itself (a close changes the state). */
typedef void (*ww_tcp_notify)(void *arg, struct ww_tcb *c, uint64_t now_ns);
void ww_tcp_set_notify(struct ww_tcb *c, ww_tcp_notify fn, void *arg);

/* Orderly close: a FIN after the data queued. 0, or -1 if already
 * closing or closed. */
int ww_tcp_close(struct ww_tcb *c, uint64_t now_ns);
/* Abort: a RST now (unless nothing was ever synchronized), CLOSED. */
void ww_tcp_abort(struct ww_tcb *c, uint64_t now_ns);

/* The peer's FIN came: no more data will arrive. */
bool ww_tcp_fin_received(const struct ww_tcb *c);
/* ESTABLISHED or later: data can flow (or did). */
bool ww_tcp_synchronized(const struct ww_tcb *c);

/* Connections in the table, oldest first, closed ones kept (their ladder
 * can still be shown) until their slot is needed. NULL past the last. */
struct ww_tcb *ww_tcp_at(const struct ww_tcp_host *h, size_t i);
/* The connection numbered ID (as events and `tcp list` number them). */
struct ww_tcb *ww_tcp_find(const struct ww_tcp_host *h, unsigned id);

/* ---- what a connection shows ------------------------------------------ */

struct ww_tcp_conn_stats {
	uint64_t segs_in, segs_out, bytes_in, bytes_out;
	uint64_t data_segs_out;      /* segments sent with data (retransmissions too) */
	uint64_t retransmits, fast_retransmits, timeouts;
	uint64_t dupacks_in, out_of_order, duplicates, zero_windows, probes;
};

/* One line of the ladder: a segment sent or received, or a state
 * change. Notes say what the segment meant. */
enum ww_tcp_note {
	WW_TCPN_RETRANSMIT = 1u << 0,  /* sent again (timeout, fast retransmit, go-back) */
	WW_TCPN_ZERO_WINDOW = 1u << 1, /* the window advertised is 0 */
	WW_TCPN_WIN_UPDATE = 1u << 2,  /* an ACK only to say the window opened */
	WW_TCPN_DUP_ACK = 1u << 3,     /* the same ACK again: a gap is seen */
	WW_TCPN_OUT_OF_ORDER = 1u << 4,/* data beyond RCV.NXT: queued */
	WW_TCPN_PROBE = 1u << 5,       /* a zero-window probe */
	WW_TCPN_DUPLICATE = 1u << 6,   /* data already received */
	WW_TCPN_DROPPED = 1u << 7,     /* not acceptable: thrown away */
	WW_TCPN_CHALLENGE = 1u << 8,   /* a challenge ACK (RFC 5961) */
	WW_TCPN_FAST_RETRANSMIT = 1u << 9,
	WW_TCPN_KEEP = 1u << 10,       /* the segment after a gap was filled */
};

struct ww_tcp_trace {
	uint64_t t_ns;
	bool sent;
	bool is_state;               /* a state change, not a segment */
	enum ww_tcp_state state;     /* the state after it */
	uint16_t flags;
	uint32_t seq, ack, len;
	uint16_t win;                /* as on the wire */
	uint32_t win_bytes;          /* scaled: what it offers */
	uint16_t mss;                /* options, when present */
	int8_t wscale;               /* -1: none */
	bool sack_perm, has_ts;
	uint8_t nsack;
	struct ww_tcp_sack sack[2];  /* the first blocks */
	uint16_t notes;              /* enum ww_tcp_note bits */
};

/* Trace entries kept per connection: the first ones (the handshake) and
 * the latest ones. */
#define WW_TCP_TRACE_HEAD 48
#define WW_TCP_TRACE_TAIL 1024

/* Entry I of the trace (0 oldest kept); *SKIPPED (may be NULL) is set to
 * the entries left out before it (between the head and the tail). NULL
 * past the last. */
const struct ww_tcp_trace *ww_tcp_trace_at(const struct ww_tcb *c, size_t i, uint64_t *skipped);

/* Counters of the whole TCP, named as the stack's are. */
struct ww_counter_info;
const struct ww_counter_info *ww_tcp_counter_info(size_t i);
uint64_t ww_tcp_counter_value(const struct ww_tcp_host *h, size_t i);
uint64_t ww_tcp_counter(const struct ww_tcp_host *h, const char *name);

/* A byte ring: the send and the receive buffers. */
struct ww_tcp_ring {
	uint8_t *buf;
	size_t cap, head, len;
};

struct ww_tcp_ooo; /* a segment held out of order */

/* The transmission control block (RFC 9293 §3.3.1). Read it; change it
 * only through the functions above. */
struct ww_tcb {
	unsigned id;                 /* "TCP 1" */
	struct ww_tcp_host *host;
	enum ww_tcp_state state;
	enum ww_tcp_error error;
	uint32_t lip, rip;
	uint16_t lport, rport;
	bool passive;                /* opened by a listener */
	bool taken;                  /* ww_tcp_accept gave it out */
	uint64_t opened_ns, established_ns, closed_ns;

	/* Send sequence space. SND.NXT goes back on a retransmission
	 * timeout; SND.MAX keeps the highest ever sent. */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wl1, snd_wl2;
	uint32_t snd_wnd;            /* the peer's window in bytes (scaled) */
	uint32_t max_snd_wnd;
	uint8_t snd_wscale;          /* shift for the peer's windows */
	uint16_t peer_mss;           /* the peer's MSS option, 536 without (RFC 9293 §3.7.1) */
	uint16_t smss;               /* data bytes per segment we send */
	/* Receive sequence space; RCV.ADV is the right edge advertised last:
	 * it never moves left (RFC 9293 §3.8.6.2.1: no shrinking). */
	uint32_t irs, rcv_nxt, rcv_adv;
	uint8_t rcv_wscale;
	uint16_t rmss;               /* the MSS we announced */
	uint32_t rcvbuf;
	/* Options offered, then agreed (both sides sent them). */
	bool offer_mss, ws_ok, sack_ok, ts_ok;
	uint32_t ts_recent, ts_offset, last_ack_sent;

	/* Congestion control (RFC 5681, NewReno RFC 6582). */
	uint32_t cwnd, ssthresh, recover;
	uint32_t ca_acked;           /* bytes acked toward the next cwnd step in avoidance */
	unsigned dupacks;
	bool in_recovery;
	uint32_t rexmit_next;        /* recovery with SACK: next hole to resend */
	struct ww_tcp_sack sacked[8];/* the peer's SACK blocks above SND.UNA, merged */
	unsigned nsacked;

	/* RTT and RTO (RFC 6298), in ns. */
	uint64_t srtt, rttvar, rto;
	bool rtt_measured;
	bool rtt_timing;             /* one segment timed (no timestamps) */
	uint32_t rtt_seq;
	uint64_t rtt_start;
	unsigned backoff;            /* retransmissions of the same data in a row */

	/* Timers: absolute deadlines, 0 when not running. */
	uint64_t rto_at, delack_at, persist_at, tw_at, conn_deadline;
	unsigned persist_backoff;

	/* Send buffer: bytes from SND_BUF_SEQ on, unacknowledged then unsent;
	 * the FIN, once asked for, follows the last byte. */
	struct ww_tcp_ring snd;
	uint32_t snd_buf_seq;
	bool fin_queued, fin_sent;
	uint32_t snd_sml;            /* end of the last short segment sent (Nagle) */
	/* Receive buffer: data in order, not yet read. */
	struct ww_tcp_ring rcv;
	struct ww_tcp_ooo *ooo;
	size_t ooo_bytes;
	unsigned ooo_segs;
	bool fin_received;
	bool fin_pending;            /* a FIN came beyond a gap: it counts once the gap is filled */
	uint32_t fin_pending_seq;
	ww_tcp_sink sink;
	void *sink_arg;
	ww_tcp_notify notify;
	void *notify_arg;

	/* Acknowledging. */
	bool ack_now;
	bool rcv_zero;               /* the last window we advertised was 0 */
	uint32_t unacked_bytes;      /* received since our last ACK */
	uint32_t rcv_mss_seen;       /* the largest segment received */
	struct ww_tcp_sack rsack[WW_TCP_MAX_SACK]; /* blocks we report, latest first */
	unsigned nrsack;

	struct ww_tcp_conn_stats st;

	struct ww_tcp_trace *trace;  /* HEAD entries, then a ring of TAIL */
	uint64_t ntrace;             /* entries ever recorded */
};

#endif
