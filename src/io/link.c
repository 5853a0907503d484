/* The AF_PACKET link: the receive ring, batched sends, and entering a
 * network namespace. */
#include <errno.h>
#include <fcntl.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ww/link.h"

/* Without a ring, room for bursts: a TCP window's worth of frames
 * arriving while a long view is being printed. With the ring, the queue
 * holds only frames too long for a slot. SO_RCVBUFFORCE passes the
 * rmem_max limit with CAP_NET_ADMIN; without it the kernel's limit
 * applies. The send side likewise, so a batch is not refused for want
 * of socket memory while the frames before it are still on their way. */
#define RCVBUF_BYTES (8 * 1024 * 1024)
#define SNDBUF_BYTES (4 * 1024 * 1024)

/* Where the kernel puts a frame in a TPACKET_V2 slot: the header, the
 * sockaddr_ll, then the frame aligned so its network header falls on a
 * 16-byte boundary (net/packet/af_packet.c, tpacket_rcv). */
#define SLOT_HEADROOM TPACKET_ALIGN(TPACKET2_HDRLEN + 16)
#define VLAN_TAG 4
#define RING_BLOCK_MIN (64u * 1024)

static int fail(char *err, size_t errlen, const char *fmt, const char *a, int e)
{
	char what[160];
	snprintf(what, sizeof what, fmt, a);
	snprintf(err, errlen, "%s: %s", what, strerror(e));
	return -1;
}

static int ifreq_call(int fd, unsigned long req, const char *ifname, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof *ifr);
	snprintf(ifr->ifr_name, sizeof ifr->ifr_name, "%s", ifname);
	return ioctl(fd, req, ifr);
}

/* Index, MAC, MTU; the interface must be Ethernet and up. */
static int read_interface(struct ww_link *l, const char *ifname, char *err, size_t errlen)
{
	struct ifreq ifr;
	if (ifreq_call(l->fd, SIOCGIFINDEX, ifname, &ifr) < 0)
		return fail(err, errlen, "no interface %s here", ifname, errno);
	l->ifindex = ifr.ifr_ifindex;
	if (ifreq_call(l->fd, SIOCGIFHWADDR, ifname, &ifr) < 0)
		return fail(err, errlen, "cannot read the MAC address of %s", ifname, errno);
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		snprintf(err, errlen, "%s is not an Ethernet interface (hardware type %u)", ifname,
			 (unsigned)ifr.ifr_hwaddr.sa_family);
		return -1;
	}
	memcpy(l->mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ifreq_call(l->fd, SIOCGIFMTU, ifname, &ifr) < 0)
		return fail(err, errlen, "cannot read the MTU of %s", ifname, errno);
	l->mtu = (unsigned)ifr.ifr_mtu;
	if (ifreq_call(l->fd, SIOCGIFFLAGS, ifname, &ifr) < 0)
		return fail(err, errlen, "cannot read the flags of %s", ifname, errno);
	if (!(ifr.ifr_flags & IFF_UP)) {
		snprintf(err, errlen, "interface %s is down (ip link set %s up)", ifname, ifname);
		return -1;
	}
	return 0;
}

/* ---- the receive ring --------------------------------------------------- */

static unsigned pow2_at_least(unsigned n)
{
	unsigned p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

/* A TPACKET_V2 ring of about BYTES, slots sized for the MTU. Any failure
 * leaves the socket as it was: the link then reads with recvfrom(). */
static int ring_setup(struct ww_link *l, size_t bytes)
{
	int version = TPACKET_V2;
	if (setsockopt(l->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0)
		return -1;
	unsigned frame = pow2_at_least(SLOT_HEADROOM + ETH_HLEN + VLAN_TAG + l->mtu);
	unsigned block = frame > RING_BLOCK_MIN ? frame : RING_BLOCK_MIN;
	unsigned page = (unsigned)sysconf(_SC_PAGESIZE);
	if (block % page)
		block = (block / page + 1) * page;
	unsigned blocks = (unsigned)(bytes / block);
	if (blocks == 0)
		blocks = 1;
	struct tpacket_req req = {
		.tp_block_size = block,
		.tp_block_nr = blocks,
		.tp_frame_size = frame,
		.tp_frame_nr = blocks * (block / frame),
	};
	if (setsockopt(l->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
		return -1;
	size_t size = (size_t)block * blocks;
	void *ring = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, l->fd, 0);
	if (ring == MAP_FAILED) {
		struct tpacket_req none = { 0 };
		setsockopt(l->fd, SOL_PACKET, PACKET_RX_RING, &none, sizeof none);
		return -1;
	}
	/* A frame too long for its slot is also queued whole on the socket. */
	int one = 1;
	setsockopt(l->fd, SOL_PACKET, PACKET_COPY_THRESH, &one, sizeof one);
	l->ring = ring;
	l->ring_bytes = size;
	l->frame_size = frame;
	l->frame_nr = req.tp_frame_nr;
	l->rx_next = 0;
	return 0;
}

static struct tpacket2_hdr *ring_slot(const struct ww_link *l, unsigned i)
{
	/* The block size is a multiple of the slot size: slots are evenly
	 * spaced across blocks. */
	return (struct tpacket2_hdr *)(l->ring + (size_t)i * l->frame_size);
}

static void slot_give_back(struct tpacket2_hdr *h)
{
	/* Everything read from the slot happens before the kernel may
	 * write it again. */
	__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
}

/* ---- opening and closing ------------------------------------------------- */

int ww_link_open(struct ww_link *l, const char *ifname, char *err, size_t errlen)
{
	return ww_link_open_with(l, ifname, NULL, err, errlen);
}

int ww_link_open_with(struct ww_link *l, const char *ifname, const struct ww_link_config *cfg,
		      char *err, size_t errlen)
{
	static const struct ww_link_config defaults = { 0 };
	if (!cfg)
		cfg = &defaults;
	memset(l, 0, sizeof *l);
	if (strlen(ifname) >= sizeof l->ifname) {
		snprintf(err, errlen, "interface name '%s' is too long", ifname);
		l->fd = -1;
		return -1;
	}
	snprintf(l->ifname, sizeof l->ifname, "%s", ifname);
	/* Protocol 0 receives nothing until bind names the interface: no
	 * frame of another interface slips into the queue before it. */
	l->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return fail(err, errlen, "cannot open a packet socket%s", "", errno);
	if (read_interface(l, ifname, err, errlen) < 0)
		goto fail;
	if (!(l->rxbuf = malloc(WW_LINK_FRAME_MAX))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	int one = 1, size = RCVBUF_BYTES, snd = SNDBUF_BYTES;
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	if (setsockopt(l->fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof snd) < 0)
		setsockopt(l->fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd);
	l->ignore_outgoing =
		setsockopt(l->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) == 0;
	if (!cfg->no_ring)
		ring_setup(l, cfg->rx_ring_bytes ? cfg->rx_ring_bytes : WW_LINK_RX_RING_BYTES);
	struct sockaddr_ll sll;
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = l->ifindex;
	if (bind(l->fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
		fail(err, errlen, "cannot bind the packet socket to %s", ifname, errno);
		goto fail;
	}
	return 0;
fail:
	ww_link_close(l);
	return -1;
}

void ww_link_close(struct ww_link *l)
{
	if (l->fd >= 0)
		ww_link_flush(l);
	if (l->ring)
		munmap(l->ring, l->ring_bytes);
	l->ring = NULL;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	free(l->rxbuf);
	l->rxbuf = NULL;
	free(l->txq.buf);
	l->txq.buf = NULL;
	l->txq.n = 0;
}

void ww_link_describe(const struct ww_link *l, char *out, size_t len)
{
	if (l->ring)
		snprintf(out, len, "PACKET_MMAP ring (TPACKET_V2, %u slots of %u bytes), sendmmsg batches",
			 l->frame_nr, l->frame_size);
	else
		snprintf(out, len, "one recvfrom() per frame, sendmmsg batches");
}

/* ---- receiving ----------------------------------------------------------- */

/* Without a ring: one recvfrom() into the link's buffer. */
static int rx_plain(struct ww_link *l, struct ww_link_frame *f)
{
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof from;
		/* MSG_TRUNC: the frame's real length even when the buffer is short. */
		ssize_t n = recvfrom(l->fd, l->rxbuf, WW_LINK_FRAME_MAX, MSG_TRUNC,
				     (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		if (from.sll_pkttype == PACKET_OUTGOING || n == 0)
			continue; /* ours, or nothing to show of an empty frame */
		f->data = l->rxbuf;
		f->origlen = (uint32_t)n;
		f->len = n > WW_LINK_FRAME_MAX ? WW_LINK_FRAME_MAX : (uint32_t)n;
		f->slot = NULL;
		return 1;
	}
}

/* A slot marked TP_STATUS_COPY holds the start of a frame too long for
 * it; the whole frame waits on the socket's queue. */
static void rx_whole_copy(struct ww_link *l, struct ww_link_frame *f)
{
	ssize_t n = recv(l->fd, l->rxbuf, WW_LINK_FRAME_MAX, MSG_TRUNC | MSG_DONTWAIT);
	if (n <= 0)
		return; /* the queue had no room for it: the slot's part will do */
	f->data = l->rxbuf;
	f->origlen = (uint32_t)n;
	f->len = n > WW_LINK_FRAME_MAX ? WW_LINK_FRAME_MAX : (uint32_t)n;
}

static int rx_ring(struct ww_link *l, struct ww_link_frame *f)
{
	for (;;) {
		struct tpacket2_hdr *h = ring_slot(l, l->rx_next);
		uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		if (!(status & TP_STATUS_USER))
			return 0;
		l->rx_next = l->rx_next + 1 == l->frame_nr ? 0 : l->rx_next + 1;
		const struct sockaddr_ll *sll =
			(const struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof *h));
		if (sll->sll_pkttype == PACKET_OUTGOING || h->tp_snaplen == 0) {
			slot_give_back(h);
			continue;
		}
		f->data = (const uint8_t *)h + h->tp_mac;
		f->len = h->tp_snaplen;
		f->origlen = h->tp_len;
		f->slot = h;
		if (status & TP_STATUS_COPY)
			rx_whole_copy(l, f);
		return 1;
	}
}

int ww_link_rx(struct ww_link *l, struct ww_link_frame *f)
{
	int r = l->ring ? rx_ring(l, f) : rx_plain(l, f);
	if (r <= 0)
		return r;
	if (f->len < f->origlen)
		l->stats.rx_truncated++;
	l->stats.rx_frames++;
	l->stats.rx_bytes += f->len;
	return 1;
}

void ww_link_rx_release(struct ww_link *l, struct ww_link_frame *f)
{
	(void)l;
	if (f->slot)
		slot_give_back(f->slot);
	f->slot = NULL;
}

ssize_t ww_link_recv(struct ww_link *l, uint8_t *buf, size_t cap, uint32_t *origlen)
{
	struct ww_link_frame f;
	int r = ww_link_rx(l, &f);
	if (r <= 0)
		return r;
	size_t n = f.len < cap ? f.len : cap;
	if (n < f.len)
		l->stats.rx_truncated++;
	memcpy(buf, f.data, n);
	*origlen = f.origlen;
	ww_link_rx_release(l, &f);
	return (ssize_t)n;
}

/* ---- sending ------------------------------------------------------------- */

static bool is_lost(int e)
{
	return e == ENOBUFS || e == EAGAIN || e == EWOULDBLOCK;
}

/* Counts one send's outcome; returns 0 or the errno (ENOBUFS for a loss). */
static int count_send(struct ww_link *l, size_t len, int e)
{
	if (!e) {
		l->stats.tx_frames++;
		l->stats.tx_bytes += len;
		return 0;
	}
	if (is_lost(e)) {
		l->stats.tx_lost++;
		return ENOBUFS;
	}
	l->stats.tx_errors++;
	return e;
}

static int send_one(struct ww_link *l, const uint8_t *frame, size_t len)
{
	ssize_t n;
	do
		n = send(l->fd, frame, len, 0);
	while (n < 0 && errno == EINTR);
	return count_send(l, len, n < 0 ? errno : (size_t)n != len ? EIO : 0);
}

int ww_link_send(struct ww_link *l, const uint8_t *frame, size_t len)
{
	int e = send_one(l, frame, len);
	if (!e)
		return 0;
	errno = e;
	return -1;
}

void ww_link_on_sent(struct ww_link *l, ww_link_sent_fn fn, void *arg)
{
	l->sent = fn;
	l->sent_arg = arg;
}

static void tell(struct ww_link *l, const uint8_t *frame, size_t len, int e)
{
	if (l->sent)
		l->sent(l->sent_arg, frame, len, e);
}

int ww_link_queue(struct ww_link *l, const uint8_t *frame, size_t len)
{
	struct ww_link_txq *q = &l->txq;
	if (len > WW_LINK_FRAME_MAX) {
		l->stats.tx_errors++;
		errno = EMSGSIZE;
		return -1;
	}
	if (q->flushing) {
		tell(l, frame, len, send_one(l, frame, len));
		return 0;
	}
	if (!q->buf && !(q->buf = malloc(WW_LINK_TXQ_BYTES))) {
		errno = ENOMEM;
		return -1;
	}
	if (q->n == WW_LINK_TXQ_FRAMES || q->used + len > WW_LINK_TXQ_BYTES)
		ww_link_flush(l);
	memcpy(q->buf + q->used, frame, len);
	q->off[q->n] = q->used;
	q->len[q->n] = len;
	q->n++;
	q->used += (len + 7) & ~(size_t)7;
	return 0;
}

unsigned ww_link_flush(struct ww_link *l)
{
	struct ww_link_txq *q = &l->txq;
	if (q->n == 0 || q->flushing)
		return 0;
	q->flushing = true;
	struct mmsghdr msgs[WW_LINK_TXQ_FRAMES];
	struct iovec iov[WW_LINK_TXQ_FRAMES];
	memset(msgs, 0, sizeof msgs[0] * q->n);
	for (unsigned i = 0; i < q->n; i++) {
		iov[i] = (struct iovec){ q->buf + q->off[i], q->len[i] };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	unsigned i = 0, sent = 0;
	while (i < q->n) {
		int r = sendmmsg(l->fd, msgs + i, q->n - i, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/* The frame at I failed; those after it still get their turn. */
			int e = r < 0 ? errno : EIO;
			tell(l, q->buf + q->off[i], q->len[i], count_send(l, q->len[i], e));
			i++;
			continue;
		}
		l->stats.tx_batches++;
		for (unsigned k = i; k < i + (unsigned)r; k++) {
			int e = count_send(l, q->len[k], msgs[k].msg_len == q->len[k] ? 0 : EIO);
			tell(l, q->buf + q->off[k], q->len[k], e);
			sent += !e;
		}
		i += (unsigned)r;
	}
	q->n = 0;
	q->used = 0;
	q->flushing = false;
	return sent;
}

void ww_link_update_stats(struct ww_link *l)
{
	/* The kernel resets its counters at each read: add them up. */
	struct tpacket_stats st;
	socklen_t len = sizeof st;
	if (l->fd >= 0 && getsockopt(l->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		l->stats.kernel_drops += st.tp_drops;
}

int ww_netns_enter(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, "cannot open the network namespace %s", path, errno);
	if (setns(fd, CLONE_NEWNET) < 0) {
		int e = errno;
		close(fd);
		return fail(err, errlen, "cannot enter the network namespace %s", path, e);
	}
	close(fd);
	return 0;
}
