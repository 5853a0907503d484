/* How fast the link puts frames out: Ethernet frames of SIZE bytes sent
 * for SECONDS through a packet socket, queued and flushed 64 to a
 * sendmmsg() ("batch") or one send() each ("single"). Also the fastest
 * sender the receive benchmark can have: from the router's side of the
 * client's veth, nothing but the veth lies between it and the receiver.
 * Prints one line:
 *
 *   TX MODE frames=N seconds=S fps=F gbps=G lost=L errors=E cpu=C
 *
 * usage: link_tx NETNS_PATH IFNAME SECONDS SIZE batch|single   (as root) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ww/link.h"
#include "ww/loop.h"

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* 02:00:00:00:01:05 -> 02:00:00:00:00:05, IPv4 192.0.2.10 -> 192.168.1.5,
 * UDP 80 -> 9, the rest zeros. Checksums are not filled: nothing up the
 * receiver's stack looks (its kernel has no address there). */
static void make_frame(uint8_t *f, size_t size)
{
	static const uint8_t head[] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x01, 0x05, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x00, 0x00, 0x01, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
		192, 0, 2, 10, 192, 168, 1, 5,
		0x00, 0x50, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00,
	};
	memset(f, 0, size);
	memcpy(f, head, sizeof head);
	size_t ip = size - 14, udp = ip - 20;
	f[16] = (uint8_t)(ip >> 8), f[17] = (uint8_t)ip;
	f[38] = (uint8_t)(udp >> 8), f[39] = (uint8_t)udp;
}

int main(int argc, char **argv)
{
	if (argc != 6 || (strcmp(argv[5], "batch") && strcmp(argv[5], "single"))) {
		fprintf(stderr, "usage: link_tx NETNS_PATH IFNAME SECONDS SIZE batch|single\n");
		return 2;
	}
	char err[256];
	size_t size = (size_t)atoi(argv[4]);
	if (size < 60 || size > 9000) {
		fprintf(stderr, "link_tx: SIZE from 60 to 9000\n");
		return 2;
	}
	if (ww_netns_enter(argv[1], err, sizeof err) < 0) {
		fprintf(stderr, "link_tx: %s\n", err);
		return 1;
	}
	struct ww_link l;
	struct ww_link_config cfg = { .no_ring = true }; /* it only sends */
	if (ww_link_open_with(&l, argv[2], &cfg, err, sizeof err) < 0) {
		fprintf(stderr, "link_tx: %s\n", err);
		return 1;
	}
	uint8_t frame[9000];
	make_frame(frame, size);
	bool batch = !strcmp(argv[5], "batch");
	uint64_t span = (uint64_t)(atof(argv[3]) * 1e9), start = ww_clock_ns(), now;
	double cpu0 = cpu_seconds();
	while ((now = ww_clock_ns()) - start < span) {
		for (int i = 0; i < WW_LINK_TXQ_FRAMES; i++) {
			if (batch)
				ww_link_queue(&l, frame, size);
			else
				ww_link_send(&l, frame, size);
		}
		ww_link_flush(&l);
	}
	double secs = (double)(now - start) / 1e9, cpu = cpu_seconds() - cpu0;
	printf("TX %s frames=%llu seconds=%.3f fps=%.0f gbps=%.3f lost=%llu errors=%llu "
	       "batches=%llu cpu=%.2f\n",
	       argv[5], (unsigned long long)l.stats.tx_frames, secs, l.stats.tx_frames / secs,
	       l.stats.tx_bytes * 8 / secs / 1e9, (unsigned long long)l.stats.tx_lost,
	       (unsigned long long)l.stats.tx_errors, (unsigned long long)l.stats.tx_batches,
	       cpu / secs);
	ww_link_close(&l);
	return 0;
}
