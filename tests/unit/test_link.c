/* The link's receive ring and batched sends.
 *
 * The ring reader runs first over a ring of our own making, filled the
 * way the kernel fills a TPACKET_V2 ring (net/packet/af_packet.c): frames
 * in order, wrap-around, our own frames skipped, a slot still the
 * kernel's ends the batch, slots given back in any order, a cut frame
 * counted. Then, where the test may make a network namespace (root), the
 * real thing over a veth pair of its own in it: frames queued on one end
 * and flushed with sendmmsg come out of the other through the kernel's
 * ring byte for byte, and the same through recvfrom(). */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "ww/link.h"

/* ---- a ring of our own ------------------------------------------------- */

#define SLOTS 8
#define SLOT_SIZE 2048
#define MAC_OFF 66 /* where the kernel puts an Ethernet frame in a V2 slot */

struct fake {
	struct ww_link l;
	uint8_t *mem;
};

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	f->mem = aligned_alloc(4096, SLOTS * SLOT_SIZE);
	assert_non_null(f->mem);
	memset(f->mem, 0, SLOTS * SLOT_SIZE);
	f->l.fd = -1;
	f->l.ring = f->mem;
	f->l.frame_size = SLOT_SIZE;
	f->l.frame_nr = SLOTS;
	f->l.rxbuf = malloc(WW_LINK_FRAME_MAX);
}

static void fake_free(struct fake *f)
{
	free(f->mem);
	free(f->l.rxbuf);
}

static struct tpacket2_hdr *slot(struct fake *f, unsigned i)
{
	return (struct tpacket2_hdr *)(f->mem + (size_t)i * SLOT_SIZE);
}

/* The kernel puts frame NO (LEN bytes, byte k = NO + k) in slot I. */
static void kernel_fill(struct fake *f, unsigned i, unsigned no, uint32_t len, uint32_t wire_len,
			unsigned char pkttype)
{
	struct tpacket2_hdr *h = slot(f, i);
	assert_int_equal(h->tp_status, TP_STATUS_KERNEL); /* the reader gave it back */
	h->tp_mac = MAC_OFF;
	h->tp_net = MAC_OFF + 14;
	h->tp_snaplen = len;
	h->tp_len = wire_len;
	struct sockaddr_ll *sll = (struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof *h));
	sll->sll_pkttype = pkttype;
	for (uint32_t k = 0; k < len; k++)
		((uint8_t *)h)[MAC_OFF + k] = (uint8_t)(no + k);
	__atomic_store_n(&h->tp_status, TP_STATUS_USER, __ATOMIC_RELEASE);
}

static void check_frame(const struct ww_link_frame *fr, unsigned no, uint32_t len)
{
	assert_int_equal(fr->len, len);
	for (uint32_t k = 0; k < len; k++)
		assert_int_equal(fr->data[k], (uint8_t)(no + k));
}

static void test_ring_in_order_and_wrap(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct ww_link_frame fr;
	assert_int_equal(ww_link_rx(&f.l, &fr), 0); /* nothing yet */
	unsigned no = 1, next_slot = 0;
	/* Three rounds of the ring: 5 frames at a time, so the batches wrap. */
	for (int round = 0; round < 5; round++) {
		for (int k = 0; k < 5; k++, next_slot = (next_slot + 1) % SLOTS)
			kernel_fill(&f, next_slot, no + (unsigned)k, 60 + (uint32_t)k, 60 + (uint32_t)k,
				    PACKET_HOST);
		for (int k = 0; k < 5; k++) {
			assert_int_equal(ww_link_rx(&f.l, &fr), 1);
			check_frame(&fr, no + (unsigned)k, 60 + (uint32_t)k);
			assert_int_equal(fr.origlen, fr.len);
			ww_link_rx_release(&f.l, &fr);
		}
		assert_int_equal(ww_link_rx(&f.l, &fr), 0);
		no += 5;
	}
	assert_int_equal(f.l.stats.rx_frames, 25);
	assert_int_equal(f.l.stats.rx_truncated, 0);
	fake_free(&f);
}

static void test_ring_skips_own_and_empty(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	kernel_fill(&f, 0, 10, 60, 60, PACKET_OUTGOING);
	kernel_fill(&f, 1, 11, 0, 0, PACKET_HOST);
	kernel_fill(&f, 2, 12, 100, 100, PACKET_BROADCAST);
	struct ww_link_frame fr;
	assert_int_equal(ww_link_rx(&f.l, &fr), 1);
	check_frame(&fr, 12, 100);
	/* The skipped slots went back to the kernel at once. */
	assert_int_equal(slot(&f, 0)->tp_status, TP_STATUS_KERNEL);
	assert_int_equal(slot(&f, 1)->tp_status, TP_STATUS_KERNEL);
	assert_int_equal(slot(&f, 2)->tp_status & TP_STATUS_USER, TP_STATUS_USER);
	ww_link_rx_release(&f.l, &fr);
	assert_int_equal(slot(&f, 2)->tp_status, TP_STATUS_KERNEL);
	assert_int_equal(f.l.stats.rx_frames, 1);
	fake_free(&f);
}

/* Frames may be held and given back out of order; a frame held keeps its
 * bytes while the ones after it are read. */
static void test_ring_release_any_order(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	for (unsigned i = 0; i < 4; i++)
		kernel_fill(&f, i, 20 + i, 64, 64, PACKET_HOST);
	struct ww_link_frame fr[4];
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(ww_link_rx(&f.l, &fr[i]), 1);
	ww_link_rx_release(&f.l, &fr[2]);
	ww_link_rx_release(&f.l, &fr[0]);
	check_frame(&fr[1], 21, 64);
	check_frame(&fr[3], 23, 64);
	assert_int_equal(slot(&f, 1)->tp_status & TP_STATUS_USER, TP_STATUS_USER);
	assert_int_equal(slot(&f, 2)->tp_status, TP_STATUS_KERNEL);
	ww_link_rx_release(&f.l, &fr[1]);
	ww_link_rx_release(&f.l, &fr[3]);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(slot(&f, i)->tp_status, TP_STATUS_KERNEL);
	fake_free(&f);
}

/* A frame longer than its slot: the part in the slot, and its real length. */
static void test_ring_cut_frame(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	kernel_fill(&f, 0, 30, SLOT_SIZE - MAC_OFF, 9014, PACKET_HOST);
	struct ww_link_frame fr;
	assert_int_equal(ww_link_rx(&f.l, &fr), 1);
	check_frame(&fr, 30, SLOT_SIZE - MAC_OFF);
	assert_int_equal(fr.origlen, 9014);
	assert_int_equal(f.l.stats.rx_truncated, 1);
	ww_link_rx_release(&f.l, &fr);
	fake_free(&f);
}

/* ---- the real thing, on a veth pair of our own --------------------------- */

#define IF_A "wwtest0"
#define IF_B "wwtest1"

/* Appends attribute TYPE with LEN bytes of DATA to the message at M;
 * returns it, to nest attributes inside. */
static struct rtattr *add_attr(struct nlmsghdr *m, unsigned short type, const void *data,
			       size_t len)
{
	struct rtattr *a = (struct rtattr *)((uint8_t *)m + NLMSG_ALIGN(m->nlmsg_len));
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	m->nlmsg_len = NLMSG_ALIGN(m->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void end_nest(struct nlmsghdr *m, struct rtattr *a)
{
	a->rta_len = (unsigned short)((uint8_t *)m + m->nlmsg_len - (uint8_t *)a);
}

/* ip link add IF_A type veth peer name IF_B, through rtnetlink. */
static int make_veth(void)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		uint8_t attrs[512];
	} req;
	memset(&req, 0, sizeof req);
	req.h.nlmsg_type = RTM_NEWLINK;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.i);
	req.i.ifi_family = AF_UNSPEC;
	add_attr(&req.h, IFLA_IFNAME, IF_A, sizeof IF_A);
	struct rtattr *info = add_attr(&req.h, IFLA_LINKINFO, NULL, 0);
	add_attr(&req.h, IFLA_INFO_KIND, "veth", 4);
	struct rtattr *data = add_attr(&req.h, IFLA_INFO_DATA, NULL, 0);
	struct rtattr *peer = add_attr(&req.h, VETH_INFO_PEER, NULL, 0);
	struct ifinfomsg pi = { .ifi_family = AF_UNSPEC };
	memcpy((uint8_t *)&req + req.h.nlmsg_len, &pi, sizeof pi);
	req.h.nlmsg_len += NLMSG_ALIGN(sizeof pi);
	add_attr(&req.h, IFLA_IFNAME, IF_B, sizeof IF_B);
	end_nest(&req.h, peer);
	end_nest(&req.h, data);
	end_nest(&req.h, info);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} ack;
	int r = -1;
	if (send(fd, &req, req.h.nlmsg_len, 0) == (ssize_t)req.h.nlmsg_len &&
	    recv(fd, &ack, sizeof ack, 0) >= (ssize_t)sizeof ack && ack.h.nlmsg_type == NLMSG_ERROR)
		r = ack.e.error == 0 ? 0 : -1;
	close(fd);
	return r;
}

static void set_up(const char *name)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
}

/* A network namespace of the test's own, so nothing else sees its frames
 * and it leaves nothing behind: the pair goes with the namespace. */
static bool have_veth;

static int private_veth(void **state)
{
	(void)state;
	if (unshare(CLONE_NEWNET) < 0 || make_veth() < 0)
		return 0; /* not root: the tests below skip */
	set_up(IF_A);
	set_up(IF_B);
	have_veth = true;
	return 0;
}

static bool can_open(void)
{
	int fd = have_veth ? socket(AF_PACKET, SOCK_RAW, 0) : -1;
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Frame NO: 60 to 1514 bytes, to 02:00:00:00:00:05, byte k after the
 * header = (NO * 3 + k). */
static size_t make_frame(uint8_t *buf, unsigned no)
{
	size_t len = 60 + (no * 97) % 1455;
	static const uint8_t head[14] = { 0x02, 0, 0, 0, 0, 0x05, 0x02, 0, 0, 0, 0x01, 0x05,
					  0x88, 0xb5 }; /* local experimental EtherType */
	memcpy(buf, head, sizeof head);
	for (size_t k = 14; k < len; k++)
		buf[k] = (uint8_t)(no * 3 + k);
	return len;
}

struct sent_log {
	unsigned ok, lost, refused;
};

static void on_sent(void *arg, const uint8_t *frame, size_t len, int err)
{
	(void)frame, (void)len;
	struct sent_log *s = arg;
	if (!err)
		s->ok++;
	else if (err == ENOBUFS)
		s->lost++;
	else
		s->refused++;
}

/* N frames out through a batching sender, in through RX at the other end;
 * each must arrive once, in order, byte for byte (nothing is lost at this
 * pace: the ring and the queue hold more than a batch). */
static void round_trip(struct ww_link *tx, struct ww_link *rx, unsigned n)
{
	struct sent_log log = { 0 };
	ww_link_on_sent(tx, on_sent, &log);
	uint8_t frame[1600], want[1600];
	unsigned got = 0;
	for (unsigned no = 1; no <= n; no++) {
		size_t len = make_frame(frame, no);
		assert_int_equal(ww_link_queue(tx, frame, len), 0);
		if (no % 50 == 0 || no == n) {
			ww_link_flush(tx);
			/* Read what came back so far; the ring holds 1024. */
			for (int tries = 0; got < no && tries < 200; tries++) {
				struct pollfd p = { .fd = rx->fd, .events = POLLIN };
				poll(&p, 1, 10);
				struct ww_link_frame f;
				while (ww_link_rx(rx, &f) > 0) {
					if (f.len < 14 || f.data[12] != 0x88 || f.data[13] != 0xb5) {
						ww_link_rx_release(rx, &f);
						continue; /* not ours */
					}
					size_t wlen = make_frame(want, ++got);
					assert_int_equal(f.len, wlen);
					assert_memory_equal(f.data, want, wlen);
					ww_link_rx_release(rx, &f);
				}
			}
		}
	}
	assert_int_equal(got, n);
	assert_int_equal(log.ok + log.lost, n);
	assert_int_equal(log.refused, 0);
	assert_int_equal(tx->stats.tx_frames, log.ok);
	assert_true(tx->stats.tx_batches >= n / WW_LINK_TXQ_FRAMES);
	assert_true(tx->stats.tx_batches <= n);
}

static void test_veth(bool ring, void **state)
{
	(void)state;
	if (!can_open())
		skip();
	struct ww_link rx, tx;
	char err[256];
	struct ww_link_config rc = { .no_ring = !ring }, tc = { .no_ring = true };
	assert_int_equal(ww_link_open_with(&rx, IF_B, &rc, err, sizeof err), 0);
	assert_int_equal(ww_link_open_with(&tx, IF_A, &tc, err, sizeof err), 0);
	assert_true(ring ? rx.ring != NULL : rx.ring == NULL);
	char mode[128];
	ww_link_describe(&rx, mode, sizeof mode);
	assert_non_null(strstr(mode, ring ? "TPACKET_V2" : "recvfrom"));
	round_trip(&tx, &rx, 3000);
	/* A frame sent one by one goes straight out. */
	uint8_t frame[1600];
	size_t len = make_frame(frame, 1);
	assert_int_equal(ww_link_send(&tx, frame, len), 0);
	/* Longer than any frame the link takes: refused, not queued. */
	static uint8_t huge[WW_LINK_FRAME_MAX + 1];
	assert_int_equal(ww_link_queue(&tx, huge, sizeof huge), -1);
	assert_int_equal(errno, EMSGSIZE);
	ww_link_close(&tx);
	ww_link_close(&rx);
}

static void test_veth_ring(void **state)
{
	test_veth(true, state);
}

static void test_veth_recv(void **state)
{
	test_veth(false, state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_in_order_and_wrap),
		cmocka_unit_test(test_ring_skips_own_and_empty),
		cmocka_unit_test(test_ring_release_any_order),
		cmocka_unit_test(test_ring_cut_frame),
		cmocka_unit_test(test_veth_ring),
		cmocka_unit_test(test_veth_recv),
	};
	return cmocka_run_group_tests(tests, private_veth, NULL);
}
