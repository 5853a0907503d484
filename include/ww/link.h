/* The link: an AF_PACKET socket (packet(7)) bound to one interface, the
 * way wirewalk puts whole Ethernet frames on the wire and takes them off.
 * The socket is nonblocking; the poll loop says when it is readable.
 *
 * Receiving goes through a PACKET_MMAP ring (TPACKET_V2) shared with the
 * kernel: the kernel writes each frame into a slot and flips its status,
 * and wirewalk reads it in place — no system call and no copy per frame.
 * Each slot holds one frame, so poll() wakes the reader for the first
 * frame (TPACKET_V3 would wait for a block to fill or time out: a
 * millisecond added to every round trip). A frame longer than a slot
 * (a GSO super-frame, should offloads be on) reaches the socket's queue
 * too, whole, through PACKET_COPY_THRESH, and is read from there. Where
 * the kernel offers no ring, or when asked, one recvfrom() per frame.
 *
 * Sending is one send() per frame, or batched: frames queued with
 * ww_link_queue go out together with one sendmmsg() at ww_link_flush.
 * A send the kernel refuses with ENOBUFS (a queue on the way was full)
 * is a lost frame, as on a busy wire, not an error: it is counted in
 * tx_lost.
 *
 * Frames this host sends itself are skipped on receive (with
 * PACKET_IGNORE_OUTGOING where the kernel has it, else by their
 * PACKET_OUTGOING packet type): the sender logs what it sends. The link
 * knows nothing of protocols. */
#ifndef WW_LINK_H
#define WW_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WW_LINK_IFNAME_MAX 16 /* IFNAMSIZ */
/* Room for the largest frame the link takes: a 64 KiB GSO super-frame,
 * should offloads be on after all (lab links have them off). */
#define WW_LINK_FRAME_MAX 65536
/* The receive ring: about this many bytes of slots (2048 bytes each for
 * an MTU of 1500: 1024 frames, 1.2 ms of 1514-byte frames at 10 Gbit/s,
 * and 23 times the 64 KiB a TCP window without scaling lets be in
 * flight). Its pages count in the process's resident memory. */
#define WW_LINK_RX_RING_BYTES (2u * 1024 * 1024)
/* Frames and bytes one flush sends at most; a queue that is full is
 * flushed before the next frame joins it. */
#define WW_LINK_TXQ_FRAMES 64
#define WW_LINK_TXQ_BYTES (128u * 1024)

struct ww_link_stats {
	uint64_t rx_frames, rx_bytes;
	uint64_t tx_frames, tx_bytes;
	uint64_t tx_errors;     /* sends the kernel refused (not counting tx_lost) */
	uint64_t tx_lost;       /* sends the kernel dropped for want of room (ENOBUFS) */
	uint64_t tx_batches;    /* sendmmsg() calls that sent queued frames */
	uint64_t rx_truncated;  /* frames longer than the receive buffer or slot */
	uint64_t kernel_drops;  /* frames the socket's queue or ring had no room for */
};

/* How a link is opened; zero for the defaults. */
struct ww_link_config {
	bool no_ring;           /* one recvfrom() per frame instead of the ring */
	size_t rx_ring_bytes;   /* 0: WW_LINK_RX_RING_BYTES */
};

/* A frame handed over by ww_link_rx: DATA points into the ring (or the
 * link's buffer without one) and stays valid until ww_link_rx_release —
 * without a ring, only until the next ww_link_rx. */
struct ww_link_frame {
	const uint8_t *data;
	uint32_t len;           /* bytes at DATA */
	uint32_t origlen;       /* the frame's length on the wire (> LEN: truncated) */
	void *slot;             /* the ring slot to give back; NULL without a ring */
};

/* Called by ww_link_flush for each queued frame: ERR is 0 when it went
 * out, ENOBUFS when it was lost, another errno when it was refused. */
typedef void (*ww_link_sent_fn)(void *arg, const uint8_t *frame, size_t len, int err);

struct ww_link_txq {
	uint8_t *buf;           /* WW_LINK_TXQ_BYTES, allocated on first use */
	size_t used;
	unsigned n;
	bool flushing;
	size_t off[WW_LINK_TXQ_FRAMES], len[WW_LINK_TXQ_FRAMES];
};

struct ww_link {
	int fd;
	int ifindex;
	char ifname[WW_LINK_IFNAME_MAX];
	uint8_t mac[6];
	unsigned mtu;
	bool ignore_outgoing;   /* the kernel filters our own frames out */
	/* The receive ring, if there is one. */
	uint8_t *ring;          /* mmap'd: frame_nr slots of frame_size bytes */
	size_t ring_bytes;
	unsigned frame_size, frame_nr;
	unsigned rx_next;       /* the slot to look at next */
	uint8_t *rxbuf;         /* WW_LINK_FRAME_MAX: recvfrom() lands here */
	struct ww_link_txq txq;
	ww_link_sent_fn sent;   /* told about each queued frame at a flush */
	void *sent_arg;
	struct ww_link_stats stats;
};

/* Open the link on IFNAME in the calling thread's network namespace:
 * the socket (CAP_NET_RAW), bound to the interface, nonblocking, with the
 * receive ring (or a large receive queue). The interface must be up.
 * CFG may be NULL. 0, or -1 with ERR for a person. */
int ww_link_open(struct ww_link *l, const char *ifname, char *err, size_t errlen);
int ww_link_open_with(struct ww_link *l, const char *ifname, const struct ww_link_config *cfg,
		      char *err, size_t errlen);
/* Queued frames are flushed first. */
void ww_link_close(struct ww_link *l);

/* How the link receives and sends, for a person:
 * "PACKET_MMAP ring (TPACKET_V2, 1024 slots of 2048 bytes), sendmmsg batches". */
void ww_link_describe(const struct ww_link *l, char *out, size_t len);

/* The next frame received, in place: 1 with *F filled, 0 when none is
 * waiting, -1 on an error (errno). Give each frame back with
 * ww_link_rx_release; frames may be taken and given back in any order. */
int ww_link_rx(struct ww_link *l, struct ww_link_frame *f);
void ww_link_rx_release(struct ww_link *l, struct ww_link_frame *f);

/* The next frame received, copied into BUF (CAP bytes): its captured
 * length (> 0), with *ORIGLEN the length it had on the wire; 0 when no
 * frame is waiting; -1 on an error (errno). */
ssize_t ww_link_recv(struct ww_link *l, uint8_t *buf, size_t cap, uint32_t *origlen);

/* Send one whole frame now, as it is. 0, or -1 (errno; ENOBUFS counted
 * in tx_lost, anything else in tx_errors). */
int ww_link_send(struct ww_link *l, const uint8_t *frame, size_t len);

/* Who hears how each queued frame fared (NULL: nobody). */
void ww_link_on_sent(struct ww_link *l, ww_link_sent_fn fn, void *arg);
/* Copy a frame into the send queue; a full queue is flushed first. 0, or
 * -1 with errno (EMSGSIZE: longer than WW_LINK_FRAME_MAX; ENOMEM). While
 * a flush runs (from its callback), the frame is sent at once instead. */
int ww_link_queue(struct ww_link *l, const uint8_t *frame, size_t len);
/* Send what is queued, with as few sendmmsg() calls as the kernel allows.
 * Returns the number of frames that went out. */
unsigned ww_link_flush(struct ww_link *l);
static inline bool ww_link_queued(const struct ww_link *l) { return l->txq.n > 0; }

/* Refresh stats.kernel_drops from the kernel (PACKET_STATISTICS). */
void ww_link_update_stats(struct ww_link *l);

/* Move the calling thread into the network namespace at PATH (a file
 * that `ip netns` made under /run/netns). 0, or -1 with ERR. */
int ww_netns_enter(const char *path, char *err, size_t errlen);

#endif
