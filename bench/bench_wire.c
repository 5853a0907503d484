/* Frames per second for wirewalk's wire layer: build and emit an
 * Ethernet/IPv4/TCP frame, and dissect one into every field item.
 *
 * The same frames are built by bench_tins.cc (libtins) and bench_scapy.py
 * (Scapy); run.sh checks that all three emit the same bytes and prints the
 * figures side by side. Output, one line each:
 *   FRAME <workload> <hex>      the frame the timed code emits for seq 1000
 *   RESULT <workload> <frames per second, best of 3>
 *
 * Before anything is timed, the frames the timed code emits are dissected
 * back and checked (no error, checksums correct, fields as set): a broken
 * emitter must not post a good number. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ww/dissect.h"

#define BATCH 1024u
#define RUNS 3
#define CHECK_SEQ 1000u
#define PAYLOAD_LEN 100

static const uint8_t k_mac_dst[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
static const uint8_t k_mac_src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x05 };
static const uint32_t k_ip_src = 0xc0a80105; /* 192.168.1.5 */
static const uint32_t k_ip_dst = 0xc000020a; /* 192.0.2.10 */
static const uint16_t k_sport = 40000, k_dport = 80;
static const uint16_t k_window = 64240;
static const uint32_t k_ack = 0x01020304;
static uint8_t k_payload[PAYLOAD_LEN];

/* The timed code writes here, so the check reads exactly what was timed. */
static uint8_t g_frame[256];
static size_t g_frame_len;
static struct ww_dissection g_d;
static volatile uint64_t g_sink;

/* CPU time of this thread, not the wall clock: time the scheduler gives
 * to other programs on a busy machine does not count as ours. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Cheap fold of every output byte: the emitter's stores are used, and the
 * cost (a few XORs) is the same in bench_tins.cc. */
static uint64_t fold_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = n, w;
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h ^= w;
	}
	for (; n; p++, n--)
		h = h << 8 ^ *p;
	return h;
}

/* Everything from scratch for each frame: the structs are filled anew and
 * every length and checksum computed. A data segment carries no MSS
 * option (RFC 9293 §3.7.1: MSS is sent only with SYN). */
static size_t emit_frame(uint8_t *buf, size_t cap, uint32_t seq, bool data)
{
	struct ww_eth eth = { .type = WW_ETHERTYPE_IPV4 };
	memcpy(eth.dst, k_mac_dst, 6);
	memcpy(eth.src, k_mac_src, 6);

	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.id = (uint16_t)seq;
	ip.flags = WW_IP_FLAG_DF;
	ip.ttl = 64;
	ip.proto = WW_IPPROTO_TCP;
	ip.src = k_ip_src;
	ip.dst = k_ip_dst;

	struct ww_tcp tcp = {
		.sport = k_sport,
		.dport = k_dport,
		.seq = seq,
		.window = k_window,
	};
	if (data) {
		tcp.flags = WW_TCP_PSH | WW_TCP_ACK;
		tcp.ack = k_ack;
	} else {
		tcp.flags = WW_TCP_SYN;
		tcp.has_mss = true;
		tcp.mss = 1460;
	}
	size_t plen = data ? PAYLOAD_LEN : 0;

	size_t eh = ww_eth_emit(&eth, buf, cap);
	size_t ih = ww_ipv4_header_len(&ip);
	size_t th = ww_tcp_header_len(&tcp);
	size_t len = eh + ih + th + plen;
	if (eh == 0 || len > cap)
		return 0;
	uint8_t *seg = buf + eh + ih;
	memcpy(seg + th, k_payload, plen);
	if (ww_tcp_emit(&tcp, ip.src, ip.dst, seg, th + plen) != th)
		return 0;
	if (ww_ipv4_emit(&ip, th + plen, buf + eh, cap - eh) != ih)
		return 0;
	/* The sender pads a short frame to 60 bytes, as libtins does. */
	if (len < WW_ETH_MIN_FRAME) {
		memset(buf + len, 0, WW_ETH_MIN_FRAME - len);
		len = WW_ETH_MIN_FRAME;
	}
	return len;
}

static uint64_t run_emit(uint32_t seq, unsigned n, bool data)
{
	uint64_t h = 0;
	for (unsigned i = 0; i < n; i++) {
		g_frame_len = emit_frame(g_frame, sizeof g_frame, seq + i, data);
		h ^= fold_bytes(g_frame, g_frame_len);
	}
	return h;
}

static uint64_t emit_syn(uint32_t seq, unsigned n) { return run_emit(seq, n, false); }
static uint64_t emit_data(uint32_t seq, unsigned n) { return run_emit(seq, n, true); }

/* The frames dissected: built once, outside the timing. */
static uint8_t g_syn[64], g_data[256];
static size_t g_syn_len, g_data_len;

/* Dissect into every layer and field item, then read every item's value,
 * as a view or filter would. */
static uint64_t run_dissect(const uint8_t *frame, size_t len, unsigned n)
{
	uint64_t h = 0;
	for (unsigned i = 0; i < n; i++) {
		ww_dissect(&g_d, frame, len);
		h += g_d.nlayers + g_d.nitems + g_d.nerrors;
		for (unsigned k = 0; k < g_d.nitems; k++)
			h += g_d.items[k].u ^ g_d.items[k].check;
	}
	return h;
}

static uint64_t parse_syn(uint32_t seq, unsigned n)
{
	(void)seq;
	return run_dissect(g_syn, g_syn_len, n);
}

static uint64_t parse_data(uint32_t seq, unsigned n)
{
	(void)seq;
	return run_dissect(g_data, g_data_len, n);
}

/* Frames per second: batches until MIN_S seconds of CPU time have passed,
 * best of 3. */
static double measure(uint64_t (*fn)(uint32_t, unsigned), double min_s)
{
	double best = 0;
	uint32_t seq = 1;
	for (int r = 0; r < RUNS; r++) {
		uint64_t done = 0;
		double t0 = now(), t;
		do {
			g_sink ^= fn(seq, BATCH);
			seq += BATCH;
			done += BATCH;
			t = now() - t0;
		} while (t < min_s);
		double rate = (double)done / t;
		if (rate > best)
			best = rate;
	}
	return best;
}

static const struct ww_item *find_item(const struct ww_dissection *d, const char *name)
{
	for (unsigned i = 0; i < d->nitems; i++)
		if (strcmp(d->items[i].f->name, name) == 0)
			return &d->items[i];
	return NULL;
}

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "bench_wire: %s: %s\n", what, why);
	return -1;
}

/* Dissect FRAME back and check that it is the frame that was asked for. */
static int check_frame(const char *what, const uint8_t *frame, size_t len, uint32_t seq, bool data)
{
	struct ww_dissection *d = &g_d;
	ww_dissect(d, frame, len);
	if (d->nerrors) {
		fprintf(stderr, "bench_wire: %s: dissection error: %s (%s)\n", what,
			d->errors[0].msg, d->errors[0].field ? d->errors[0].field : "?");
		return -1;
	}
	size_t want_len = 14 + 20 + (data ? 20 + PAYLOAD_LEN : 24);
	if (want_len < WW_ETH_MIN_FRAME)
		want_len = WW_ETH_MIN_FRAME;
	if (len != want_len)
		return fail(what, "frame length");
	if (d->nlayers < 3 || d->layers[0].proto != WW_P_ETH || d->layers[1].proto != WW_P_IPV4 ||
	    d->layers[2].proto != WW_P_TCP)
		return fail(what, "layers are not eth/ip/tcp");
	const struct ww_eth *eth = &d->layers[0].h.eth;
	const struct ww_ipv4 *ip = &d->layers[1].h.ip;
	const struct ww_tcp *tcp = &d->layers[2].h.tcp;
	if (memcmp(eth->dst, k_mac_dst, 6) || memcmp(eth->src, k_mac_src, 6) ||
	    eth->type != WW_ETHERTYPE_IPV4)
		return fail(what, "Ethernet header");
	if (ip->version != 4 || ip->ihl != 5 || ip->ttl != 64 || ip->proto != WW_IPPROTO_TCP ||
	    ip->src != k_ip_src || ip->dst != k_ip_dst || ip->flags != WW_IP_FLAG_DF ||
	    ip->id != (uint16_t)seq || ip->total_len != 20 + (data ? 20 + PAYLOAD_LEN : 24))
		return fail(what, "IPv4 header");
	if (tcp->sport != k_sport || tcp->dport != k_dport || tcp->seq != seq ||
	    tcp->window != k_window || tcp->doff != (data ? 5 : 6) ||
	    tcp->flags != (data ? WW_TCP_PSH | WW_TCP_ACK : WW_TCP_SYN) ||
	    tcp->ack != (data ? k_ack : 0))
		return fail(what, "TCP header");
	if (!data && (!tcp->has_mss || tcp->mss != 1460))
		return fail(what, "MSS option");
	const struct ww_item *ipc = find_item(d, "ip.checksum");
	const struct ww_item *tcpc = find_item(d, "tcp.checksum");
	if (!ipc || ipc->check != WW_CHECK_GOOD)
		return fail(what, "IPv4 checksum not judged correct");
	if (!tcpc || tcpc->check != WW_CHECK_GOOD)
		return fail(what, "TCP checksum not judged correct");
	if (data) {
		const struct ww_layer *l = d->nlayers > 3 ? &d->layers[3] : NULL;
		if (!l || l->proto != WW_P_DATA || l->len != PAYLOAD_LEN ||
		    memcmp(frame + l->off, k_payload, PAYLOAD_LEN))
			return fail(what, "payload");
	}
	return 0;
}

static void print_frame(const char *name, const uint8_t *p, size_t n)
{
	printf("FRAME %s ", name);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

/* With arguments, only the workloads named (for profiling one of them:
 * `perf record build/bench_wire parse_syn`). */
static bool wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	double min_s = 0.5;
	const char *env = getenv("BENCH_SECONDS");
	if (env && atof(env) > 0)
		min_s = atof(env);
	for (int i = 0; i < PAYLOAD_LEN; i++)
		k_payload[i] = (uint8_t)('a' + i % 26);

	/* The check runs the timed functions themselves, for seq CHECK_SEQ. */
	emit_syn(CHECK_SEQ, 1);
	memcpy(g_syn, g_frame, g_frame_len);
	g_syn_len = g_frame_len;
	emit_data(CHECK_SEQ, 1);
	memcpy(g_data, g_frame, g_frame_len);
	g_data_len = g_frame_len;
	if (check_frame("emit_syn", g_syn, g_syn_len, CHECK_SEQ, false) ||
	    check_frame("emit_data", g_data, g_data_len, CHECK_SEQ, true))
		return 1;
	print_frame("emit_syn", g_syn, g_syn_len);
	print_frame("emit_data", g_data, g_data_len);
	ww_dissect(&g_d, g_syn, g_syn_len);
	printf("INFO parse_syn layers=%u items=%u\n", g_d.nlayers, g_d.nitems);
	ww_dissect(&g_d, g_data, g_data_len);
	printf("INFO parse_data layers=%u items=%u\n", g_d.nlayers, g_d.nitems);
	fflush(stdout);

	static const struct {
		const char *name;
		uint64_t (*fn)(uint32_t, unsigned);
	} work[] = {
		{ "emit_syn", emit_syn },
		{ "emit_data", emit_data },
		{ "parse_syn", parse_syn },
		{ "parse_data", parse_data },
	};
	for (size_t i = 0; i < sizeof work / sizeof work[0]; i++) {
		if (!wanted(work[i].name, argc, argv))
			continue;
		printf("RESULT %s %.0f\n", work[i].name, measure(work[i].fn, min_s));
		fflush(stdout);
	}
	return 0;
}
