/* How fast the link takes frames in: the packet socket of the lab's
 * client, fed by the kernel of the LAN peer (bench/udp_blast), read for a
 * few seconds through the PACKET_MMAP ring or with one recvfrom() per
 * frame. Every frame is read (each of its cache lines), as the stack's
 * checksum check would. Prints one line:
 *
 *   RX MODE frames=N bytes=B seconds=S fps=F gbps=G drops=D cpu=C
 *
 * usage: link_rx NETNS_PATH IFNAME SECONDS ring|recv [RING_BYTES]   (as root) */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ww/link.h"
#include "ww/loop.h"

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc > 6 || (strcmp(argv[4], "ring") && strcmp(argv[4], "recv"))) {
		fprintf(stderr, "usage: link_rx NETNS_PATH IFNAME SECONDS ring|recv [RING_BYTES]\n");
		return 2;
	}
	char err[256];
	if (ww_netns_enter(argv[1], err, sizeof err) < 0) {
		fprintf(stderr, "link_rx: %s\n", err);
		return 1;
	}
	struct ww_link l;
	struct ww_link_config cfg = { .no_ring = !strcmp(argv[4], "recv"),
				      .rx_ring_bytes = argc == 6 ? (size_t)atol(argv[5]) : 0 };
	if (ww_link_open_with(&l, argv[2], &cfg, err, sizeof err) < 0) {
		fprintf(stderr, "link_rx: %s\n", err);
		return 1;
	}
	uint64_t span = (uint64_t)(atof(argv[3]) * 1e9), start = 0, frames = 0, bytes = 0;
	uint64_t opened = ww_clock_ns();
	unsigned sum = 0;
	double cpu0 = 0;
	/* The clock starts with the first frame, so the sender's start-up
	 * does not count. */
	for (;;) {
		struct pollfd p = { .fd = l.fd, .events = POLLIN };
		poll(&p, 1, 100);
		uint64_t now = ww_clock_ns();
		if (start && now - start >= span)
			break;
		if (!start && now - opened > 5000000000u)
			break; /* nothing came in 5 s */
		struct ww_link_frame f;
		while (ww_link_rx(&l, &f) > 0) {
			if (!start) {
				start = ww_clock_ns();
				cpu0 = cpu_seconds();
				ww_link_update_stats(&l);
				l.stats.kernel_drops = 0;
			}
			for (uint32_t i = 0; i < f.len; i += 64)
				sum += f.data[i];
			frames++;
			bytes += f.len;
			ww_link_rx_release(&l, &f);
		}
	}
	double secs = start ? (double)(ww_clock_ns() - start) / 1e9 : 0, cpu = cpu_seconds() - cpu0;
	ww_link_update_stats(&l);
	char mode[128];
	ww_link_describe(&l, mode, sizeof mode);
	printf("RX %s frames=%llu bytes=%llu seconds=%.3f fps=%.0f gbps=%.3f drops=%llu cpu=%.2f "
	       "check=%u (%s)\n",
	       argv[4], (unsigned long long)frames, (unsigned long long)bytes, secs,
	       secs > 0 ? frames / secs : 0, secs > 0 ? bytes * 8 / secs / 1e9 : 0,
	       (unsigned long long)l.stats.kernel_drops, secs > 0 ? cpu / secs : 0, sum & 1, mode);
	ww_link_close(&l);
	return frames ? 0 : 1;
}
