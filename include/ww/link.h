/* The link: an AF_PACKET socket (packet(7)) bound to one interface, the
 * way wirewalk puts whole Ethernet frames on the wire and takes them off.
 * The socket is nonblocking; the poll loop says when it is readable.
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

struct ww_link_stats {
	uint64_t rx_frames, rx_bytes;
	uint64_t tx_frames, tx_bytes;
	uint64_t tx_errors;     /* sends the kernel refused */
	uint64_t rx_truncated;  /* frames longer than the receive buffer */
	uint64_t kernel_drops;  /* frames the socket's queue had no room for */
};

struct ww_link {
	int fd;
	int ifindex;
	char ifname[WW_LINK_IFNAME_MAX];
	uint8_t mac[6];
	unsigned mtu;
	bool ignore_outgoing;   /* the kernel filters our own frames out */
	struct ww_link_stats stats;
};

/* Open the link on IFNAME in the calling thread's network namespace:
 * the socket (CAP_NET_RAW), bound to the interface, nonblocking, with a
 * large receive queue. The interface must be up. 0, or -1 with ERR for a
 * person. */
int ww_link_open(struct ww_link *l, const char *ifname, char *err, size_t errlen);
void ww_link_close(struct ww_link *l);

/* The next frame received, into BUF (CAP bytes): its captured length
 * (> 0), with *ORIGLEN the length it had on the wire; 0 when no frame is
 * waiting; -1 on an error (errno). */
ssize_t ww_link_recv(struct ww_link *l, uint8_t *buf, size_t cap, uint32_t *origlen);

/* Send one whole frame as it is. 0, or -1 (errno; counted in tx_errors). */
int ww_link_send(struct ww_link *l, const uint8_t *frame, size_t len);

/* Refresh stats.kernel_drops from the kernel (PACKET_STATISTICS). */
void ww_link_update_stats(struct ww_link *l);

/* Move the calling thread into the network namespace at PATH (a file
 * that `ip netns` made under /run/netns). 0, or -1 with ERR. */
int ww_netns_enter(const char *path, char *err, size_t errlen);

#endif
