/* The kernel as a fast sender: UDP datagrams of SIZE bytes to DST:PORT
 * for SECONDS, 64 to a sendmmsg() call. Prints how many went out.
 *
 * usage: udp_blast DST PORT SECONDS SIZE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: udp_blast DST PORT SECONDS SIZE\n");
		return 2;
	}
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "udp_blast: %s is not an IPv4 address\n", argv[1]);
		return 2;
	}
	double secs = atof(argv[3]);
	size_t size = (size_t)atoi(argv[4]);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) {
		perror("udp_blast");
		return 1;
	}
	char *buf = calloc(1, size);
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { buf, size };
	memset(msgs, 0, sizeof msgs);
	for (int i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	unsigned long long sent = 0, refused = 0;
	double t0 = now_s(), t;
	while ((t = now_s()) - t0 < secs) {
		int r = sendmmsg(fd, msgs, BATCH, 0);
		if (r > 0)
			sent += (unsigned)r;
		else if (errno == ENOBUFS || errno == EAGAIN)
			refused++;
		else if (errno != EINTR) {
			perror("udp_blast: sendmmsg");
			return 1;
		}
	}
	printf("TX datagrams=%llu seconds=%.3f pps=%.0f refused_calls=%llu\n", sent, t - t0,
	       sent / (t - t0), refused);
	return 0;
}
