/* The AF_PACKET link, and entering a network namespace. */
#include <errno.h>
#include <fcntl.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ww/link.h"

/* Room for bursts: a TCP window's worth of frames arriving while a long
 * view is being printed. SO_RCVBUFFORCE passes the rmem_max limit with
 * CAP_NET_ADMIN; without it the kernel's limit applies. */
#define RCVBUF_BYTES (8 * 1024 * 1024)

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

int ww_link_open(struct ww_link *l, const char *ifname, char *err, size_t errlen)
{
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
	int one = 1, size = RCVBUF_BYTES;
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	l->ignore_outgoing =
		setsockopt(l->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) == 0;
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
	close(l->fd);
	l->fd = -1;
	return -1;
}

void ww_link_close(struct ww_link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

ssize_t ww_link_recv(struct ww_link *l, uint8_t *buf, size_t cap, uint32_t *origlen)
{
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof from;
		/* MSG_TRUNC: the frame's real length even when BUF is short. */
		ssize_t n = recvfrom(l->fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (n == 0)
			continue; /* nothing to show of an empty frame */
		*origlen = (uint32_t)n;
		if ((size_t)n > cap) {
			l->stats.rx_truncated++;
			n = (ssize_t)cap;
		}
		l->stats.rx_frames++;
		l->stats.rx_bytes += (uint64_t)n;
		return n;
	}
}

int ww_link_send(struct ww_link *l, const uint8_t *frame, size_t len)
{
	ssize_t n;
	do
		n = send(l->fd, frame, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		l->stats.tx_errors++;
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	l->stats.tx_frames++;
	l->stats.tx_bytes += len;
	return 0;
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
