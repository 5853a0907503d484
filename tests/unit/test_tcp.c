/* TCP (RFC 9293) and its options (RFC 7323, RFC 2018): real segments from
 * the Linux kernel, parsed, dissected, laid out again the way Linux lays
 * out its options, cut at every length and malformed one option at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "field_rows.h"
#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipv4.h"
#include "ww/tcp.h"

/* Captured with tcpdump on the client's veth (offloads off, so the kernel
 * filled every checksum) between network namespaces: curl on 192.168.1.5,
 * through a router namespace, to Python's http.server on 203.0.113.53:80.
 * The path MTU to the server was 1280, hence MSS 1240. */

/* curl's SYN: the kernel's options MSS, SACK_PERM, TS, NOP, WS (20 bytes). */
static const uint8_t syn[74] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x69, 0x01, 0x40, 0x00, 0x40, 0x06,
	0xd3, 0xd7, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0xae, 0x5e,
	0x00, 0x50, 0x28, 0xf9, 0xeb, 0x52, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
	0xfb, 0xe0, 0x7a, 0xbf, 0x00, 0x00, 0x02, 0x04, 0x04, 0xd8, 0x04, 0x02,
	0x08, 0x0a, 0x2f, 0x26, 0xe2, 0x34, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03,
	0x03, 0x0a,
};

/* The server kernel's SYN+ACK, same options. */
static const uint8_t syn_ack[74] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x40, 0x00, 0x3f, 0x06,
	0x3d, 0xd9, 0xcb, 0x00, 0x71, 0x35, 0xc0, 0xa8, 0x01, 0x05, 0x00, 0x50,
	0xae, 0x5e, 0x1a, 0xef, 0x66, 0xbb, 0x28, 0xf9, 0xeb, 0x53, 0xa0, 0x12,
	0xfe, 0x3c, 0xcd, 0x71, 0x00, 0x00, 0x02, 0x04, 0x04, 0xd8, 0x04, 0x02,
	0x08, 0x0a, 0xab, 0xac, 0x7d, 0x89, 0x2f, 0x26, 0xe2, 0x34, 0x01, 0x03,
	0x03, 0x0a,
};

/* The handshake's last ACK: NOP, NOP, TS. */
static const uint8_t ack[66] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x34, 0x69, 0x02, 0x40, 0x00, 0x40, 0x06,
	0xd3, 0xde, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0xae, 0x5e,
	0x00, 0x50, 0x28, 0xf9, 0xeb, 0x53, 0x1a, 0xef, 0x66, 0xbc, 0x80, 0x10,
	0x00, 0x3f, 0xf9, 0x62, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x2f, 0x26,
	0xe2, 0x34, 0xab, 0xac, 0x7d, 0x89,
};

/* The request: PSH+ACK, 86 bytes of "GET /index.html HTTP/1.1...". */
static const uint8_t http_get[152] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x8a, 0x69, 0x03, 0x40, 0x00, 0x40, 0x06,
	0xd3, 0x87, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0xae, 0x5e,
	0x00, 0x50, 0x28, 0xf9, 0xeb, 0x53, 0x1a, 0xef, 0x66, 0xbc, 0x80, 0x18,
	0x00, 0x3f, 0xcc, 0xbf, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x2f, 0x26,
	0xe2, 0x34, 0xab, 0xac, 0x7d, 0x89, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x69,
	0x6e, 0x64, 0x65, 0x78, 0x2e, 0x68, 0x74, 0x6d, 0x6c, 0x20, 0x48, 0x54,
	0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31, 0x0d, 0x0a, 0x48, 0x6f, 0x73, 0x74,
	0x3a, 0x20, 0x32, 0x30, 0x33, 0x2e, 0x30, 0x2e, 0x31, 0x31, 0x33, 0x2e,
	0x35, 0x33, 0x0d, 0x0a, 0x55, 0x73, 0x65, 0x72, 0x2d, 0x41, 0x67, 0x65,
	0x6e, 0x74, 0x3a, 0x20, 0x63, 0x75, 0x72, 0x6c, 0x2f, 0x37, 0x2e, 0x38,
	0x38, 0x2e, 0x31, 0x0d, 0x0a, 0x41, 0x63, 0x63, 0x65, 0x70, 0x74, 0x3a,
	0x20, 0x2a, 0x2f, 0x2a, 0x0d, 0x0a, 0x0d, 0x0a,
};

/* The server kernel's RST+ACK to a SYN for port 81, where nothing
 * listens: a bare 20-byte header. */
static const uint8_t rst_ack[54] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x3f, 0x06,
	0x3d, 0xed, 0xcb, 0x00, 0x71, 0x35, 0xc0, 0xa8, 0x01, 0x05, 0x00, 0x51,
	0xd0, 0xda, 0x00, 0x00, 0x00, 0x00, 0xd4, 0x46, 0x3a, 0x56, 0x50, 0x14,
	0x00, 0x00, 0xd2, 0x24, 0x00, 0x00,
};

/* A duplicate ACK with one SACK block (NOP, NOP, TS, NOP, NOP, SACK),
 * sent by the client after an nftables rule on the router dropped one
 * segment of a download. */
static const uint8_t dup_ack_sack[78] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x40, 0x4a, 0x56, 0x40, 0x00, 0x40, 0x06,
	0xf2, 0x7e, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0xa3, 0xe0,
	0x00, 0x50, 0xca, 0xc9, 0x8d, 0x72, 0x42, 0xa9, 0x31, 0xdd, 0xb0, 0x10,
	0x00, 0x4b, 0xc4, 0x30, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x27, 0x9c,
	0x25, 0x9f, 0xb3, 0x35, 0x0b, 0xda, 0x01, 0x01, 0x05, 0x0a, 0x42, 0xa9,
	0x36, 0xa9, 0x42, 0xa9, 0x45, 0x0d,
};

/* curl's SYN with net.ipv4.tcp_timestamps=0: MSS, NOP, NOP, SACK_PERM,
 * NOP, WS. */
static const uint8_t syn_no_ts[66] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x34, 0x20, 0x63, 0x40, 0x00, 0x40, 0x06,
	0x1c, 0x7e, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0xb5, 0xc0,
	0x00, 0x50, 0x28, 0xd7, 0x9e, 0x05, 0x00, 0x00, 0x00, 0x00, 0x80, 0x02,
	0xfb, 0xe0, 0xf9, 0x38, 0x00, 0x00, 0x02, 0x04, 0x04, 0xd8, 0x01, 0x01,
	0x04, 0x02, 0x01, 0x03, 0x03, 0x0a,
};

/* curl's SYN with net.ipv4.tcp_sack=0: MSS, NOP, NOP, TS, NOP, WS. */
static const uint8_t syn_no_sack[74] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0x90, 0xef, 0x40, 0x00, 0x40, 0x06,
	0xab, 0xe9, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0xb5, 0xc4,
	0x00, 0x50, 0x4b, 0xb8, 0x70, 0x16, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
	0xfb, 0xe0, 0x85, 0xa1, 0x00, 0x00, 0x02, 0x04, 0x04, 0xd8, 0x01, 0x01,
	0x08, 0x0a, 0x3e, 0x9e, 0x1b, 0xf3, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03,
	0x03, 0x0a,
};

/* Ethernet II + IPv4 without options: the segment starts at byte 34. */
#define L4_OFF 34

static size_t l4_len(const uint8_t *f) { return ww_get16(f + 16) - 20u; }
static uint32_t ip_src(const uint8_t *f) { return ww_get32(f + 26); }
static uint32_t ip_dst(const uint8_t *f) { return ww_get32(f + 30); }

/* The enclosing header, read by hand so these tests need no IPv4 code. */
static struct ww_ipv4 ip_of(const uint8_t *f)
{
	struct ww_ipv4 ip = { .version = 4, .ihl = 5, .total_len = ww_get16(f + 16),
			      .flags = f[20] >> 5, .frag_off = ww_get16(f + 20) & 0x1fff,
			      .ttl = f[22], .proto = f[23], .src = ip_src(f), .dst = ip_dst(f) };
	return ip;
}

static void cursor_at(struct ww_cursor *c, const uint8_t *f, size_t n)
{
	ww_cur_init(c, f + L4_OFF, n, L4_OFF);
}

static const struct ww_item *find_item(const struct ww_dissection *d, const char *name)
{
	for (unsigned i = 0; i < d->nitems; i++)
		if (strcmp(d->items[i].f->name, name) == 0)
			return &d->items[i];
	return NULL;
}

static struct ww_dissection dis; /* large: kept off the stack */

/* What tshark -T fields printed for each capture, and the header a person
 * would write for it (no manual bits: options laid out, lengths and
 * checksum computed). */
static const struct {
	const char *what;
	const uint8_t *f;
	size_t flen;
	struct ww_tcp t;
	uint16_t checksum;
	unsigned hdr_len, payload;
} real[] = {
	{ "syn", syn, sizeof syn,
	  { .sport = 44638, .dport = 80, .seq = 687467346, .ack = 0, .flags = WW_TCP_SYN,
	    .window = 64480, .has_mss = true, .mss = 1240, .sack_perm = true, .has_ts = true,
	    .tsval = 791077428, .tsecr = 0, .has_wscale = true, .wscale = 10 },
	  0x7abf, 40, 0 },
	{ "syn-ack", syn_ack, sizeof syn_ack,
	  { .sport = 80, .dport = 44638, .seq = 451897019, .ack = 687467347,
	    .flags = WW_TCP_SYN | WW_TCP_ACK, .window = 65084, .has_mss = true, .mss = 1240,
	    .sack_perm = true, .has_ts = true, .tsval = 2880208265u, .tsecr = 791077428,
	    .has_wscale = true, .wscale = 10 },
	  0xcd71, 40, 0 },
	{ "ack", ack, sizeof ack,
	  { .sport = 44638, .dport = 80, .seq = 687467347, .ack = 451897020, .flags = WW_TCP_ACK,
	    .window = 63, .has_ts = true, .tsval = 791077428, .tsecr = 2880208265u },
	  0xf962, 32, 0 },
	{ "http get", http_get, sizeof http_get,
	  { .sport = 44638, .dport = 80, .seq = 687467347, .ack = 451897020,
	    .flags = WW_TCP_PSH | WW_TCP_ACK, .window = 63, .has_ts = true, .tsval = 791077428,
	    .tsecr = 2880208265u },
	  0xccbf, 32, 86 },
	{ "rst-ack", rst_ack, sizeof rst_ack,
	  { .sport = 81, .dport = 53466, .seq = 0, .ack = 3561372246u,
	    .flags = WW_TCP_RST | WW_TCP_ACK, .window = 0 },
	  0xd224, 20, 0 },
	{ "dup ack with sack", dup_ack_sack, sizeof dup_ack_sack,
	  { .sport = 41952, .dport = 80, .seq = 3402206578u, .ack = 1118384605, .flags = WW_TCP_ACK,
	    .window = 75, .has_ts = true, .tsval = 664544671, .tsecr = 3006598106u, .nsack = 1,
	    .sack = { { 0x42a936a9, 0x42a9450d } } },
	  0xc430, 44, 0 },
	{ "syn without timestamps", syn_no_ts, sizeof syn_no_ts,
	  { .sport = 46528, .dport = 80, .seq = 685219333, .flags = WW_TCP_SYN, .window = 64480,
	    .has_mss = true, .mss = 1240, .sack_perm = true, .has_wscale = true, .wscale = 10 },
	  0xf938, 32, 0 },
	{ "syn without sack", syn_no_sack, sizeof syn_no_sack,
	  { .sport = 46532, .dport = 80, .seq = 1270378518, .flags = WW_TCP_SYN, .window = 64480,
	    .has_mss = true, .mss = 1240, .has_ts = true, .tsval = 1050549235, .tsecr = 0,
	    .has_wscale = true, .wscale = 10 },
	  0x85a1, 40, 0 },
};
#define NREAL (sizeof real / sizeof real[0])

static void test_parse_real(void **state)
{
	(void)state;
	for (size_t i = 0; i < NREAL; i++) {
		const struct ww_tcp *w = &real[i].t;
		struct ww_cursor c;
		struct ww_tcp t;
		cursor_at(&c, real[i].f, l4_len(real[i].f));
		assert_int_equal(ww_tcp_parse(&c, &t), 0);
		assert_int_equal(t.sport, w->sport);
		assert_int_equal(t.dport, w->dport);
		assert_int_equal(t.seq, w->seq);
		assert_int_equal(t.ack, w->ack);
		assert_int_equal(t.doff * 4, real[i].hdr_len);
		assert_int_equal(t.flags, w->flags);
		assert_int_equal(t.window, w->window);
		assert_int_equal(t.checksum, real[i].checksum);
		assert_int_equal(t.urgent, 0);
		assert_int_equal(t.has_mss, w->has_mss);
		assert_int_equal(t.mss, w->mss);
		assert_int_equal(t.sack_perm, w->sack_perm);
		assert_int_equal(t.has_ts, w->has_ts);
		assert_int_equal(t.tsval, w->tsval);
		assert_int_equal(t.tsecr, w->tsecr);
		assert_int_equal(t.has_wscale, w->has_wscale);
		assert_int_equal(t.wscale, w->wscale);
		assert_int_equal(t.nsack, w->nsack);
		for (unsigned k = 0; k < w->nsack; k++) {
			assert_int_equal(t.sack[k].left, w->sack[k].left);
			assert_int_equal(t.sack[k].right, w->sack[k].right);
		}
		assert_int_equal(t.opt_len, real[i].hdr_len - 20);
		assert_memory_equal(t.options, real[i].f + L4_OFF + 20, t.opt_len);
		assert_int_equal(t.manual,
				 WW_TCP_MANUAL_DOFF | WW_TCP_MANUAL_CSUM | WW_TCP_MANUAL_OPTS);
		assert_int_equal(ww_cur_offset(&c), L4_OFF + real[i].hdr_len);
		assert_int_equal(ww_cur_left(&c), real[i].payload);
	}
}

struct want_item {
	const char *name;
	uint32_t off, len;
	uint64_t u;
	uint8_t depth;
};

/* Every item of the SYN in frame order: where it is, what it says, how deep. */
static const struct want_item syn_items[] = {
	{ "tcp.srcport", 34, 2, 44638, 0 },
	{ "tcp.dstport", 36, 2, 80, 0 },
	{ "tcp.seq_raw", 38, 4, 687467346, 0 },
	{ "tcp.ack_raw", 42, 4, 0, 0 },
	{ "tcp.hdr_len", 46, 1, 40, 0 },
	{ "tcp.flags", 46, 2, 0x002, 0 },
	{ "tcp.flags.res", 46, 1, 0, 1 },
	{ "tcp.flags.ae", 46, 1, 0, 1 },
	{ "tcp.flags.cwr", 47, 1, 0, 1 },
	{ "tcp.flags.ece", 47, 1, 0, 1 },
	{ "tcp.flags.urg", 47, 1, 0, 1 },
	{ "tcp.flags.ack", 47, 1, 0, 1 },
	{ "tcp.flags.push", 47, 1, 0, 1 },
	{ "tcp.flags.reset", 47, 1, 0, 1 },
	{ "tcp.flags.syn", 47, 1, 1, 1 },
	{ "tcp.flags.fin", 47, 1, 0, 1 },
	{ "tcp.window_size_value", 48, 2, 64480, 0 },
	{ "tcp.checksum", 50, 2, 0x7abf, 0 },
	{ "tcp.urgent_pointer", 52, 2, 0, 0 },
	{ "tcp.options", 54, 20, 0, 0 },
	{ "tcp.options.mss", 54, 4, 0, 1 },
	{ "tcp.option_kind", 54, 1, 2, 2 },
	{ "tcp.option_len", 55, 1, 4, 2 },
	{ "tcp.options.mss_val", 56, 2, 1240, 2 },
	{ "tcp.options.sack_perm", 58, 2, 0, 1 },
	{ "tcp.option_kind", 58, 1, 4, 2 },
	{ "tcp.option_len", 59, 1, 2, 2 },
	{ "tcp.options.timestamp", 60, 10, 0, 1 },
	{ "tcp.option_kind", 60, 1, 8, 2 },
	{ "tcp.option_len", 61, 1, 10, 2 },
	{ "tcp.options.timestamp.tsval", 62, 4, 791077428, 2 },
	{ "tcp.options.timestamp.tsecr", 66, 4, 0, 2 },
	{ "tcp.options.nop", 70, 1, 0, 1 },
	{ "tcp.option_kind", 70, 1, 1, 2 },
	{ "tcp.options.wscale", 71, 3, 0, 1 },
	{ "tcp.option_kind", 71, 1, 3, 2 },
	{ "tcp.option_len", 72, 1, 3, 2 },
	{ "tcp.options.wscale.shift", 73, 1, 10, 2 },
	{ "tcp.options.wscale.multiplier", 73, 1, 1024, 2 },
	{ "tcp.len", 74, 0, 0, 0 },
};

static void check_items(const struct want_item *w, size_t n)
{
	assert_int_equal(dis.nitems, n);
	for (size_t i = 0; i < n; i++) {
		const struct ww_item *it = &dis.items[i];
		assert_string_equal(it->f->name, w[i].name);
		assert_int_equal(it->off, w[i].off);
		assert_int_equal(it->len, w[i].len);
		assert_int_equal(it->depth, w[i].depth);
		if (it->f->type == WW_FT_BYTES)
			assert_ptr_equal(it->p, dis.frame + w[i].off);
		else
			assert_int_equal(it->u, w[i].u);
	}
}

/* A segment dissected alone: the layer, then the items. */
static struct ww_layer *dissect_seg(const uint8_t *f, size_t flen, const struct ww_ipv4 *ip)
{
	struct ww_cursor c;
	ww_dissect_reset(&dis, f, flen);
	cursor_at(&c, f, l4_len(f));
	return ww_tcp_dissect(&dis, &c, ip);
}

static void test_dissect_syn(void **state)
{
	(void)state;
	struct ww_ipv4 ip = ip_of(syn);
	struct ww_layer *l = dissect_seg(syn, sizeof syn, &ip);
	assert_non_null(l);
	assert_int_equal(dis.nerrors, 0);
	assert_string_equal(l->name, "tcp");
	assert_ptr_equal(l->fields, ww_tcp_fields);
	assert_int_equal(l->off, 34);
	assert_int_equal(l->len, 40);
	assert_int_equal(l->h.tcp.mss, 1240);
	check_items(syn_items, sizeof syn_items / sizeof syn_items[0]);
	assert_int_equal(find_item(&dis, "tcp.checksum")->check, WW_CHECK_GOOD);
}

/* The SACK block, raw (tshark prints them relative unless told not to). */
static void test_dissect_sack(void **state)
{
	(void)state;
	static const struct want_item w[] = {
		{ "tcp.options", 54, 24, 0, 0 },
		{ "tcp.options.nop", 54, 1, 0, 1 },
		{ "tcp.option_kind", 54, 1, 1, 2 },
		{ "tcp.options.nop", 55, 1, 0, 1 },
		{ "tcp.option_kind", 55, 1, 1, 2 },
		{ "tcp.options.timestamp", 56, 10, 0, 1 },
		{ "tcp.option_kind", 56, 1, 8, 2 },
		{ "tcp.option_len", 57, 1, 10, 2 },
		{ "tcp.options.timestamp.tsval", 58, 4, 664544671, 2 },
		{ "tcp.options.timestamp.tsecr", 62, 4, 3006598106u, 2 },
		{ "tcp.options.nop", 66, 1, 0, 1 },
		{ "tcp.option_kind", 66, 1, 1, 2 },
		{ "tcp.options.nop", 67, 1, 0, 1 },
		{ "tcp.option_kind", 67, 1, 1, 2 },
		{ "tcp.options.sack", 68, 10, 0, 1 },
		{ "tcp.option_kind", 68, 1, 5, 2 },
		{ "tcp.option_len", 69, 1, 10, 2 },
		{ "tcp.options.sack_le", 70, 4, 0x42a936a9, 2 },
		{ "tcp.options.sack_re", 74, 4, 0x42a9450d, 2 },
		{ "tcp.len", 78, 0, 0, 0 },
	};
	struct ww_ipv4 ip = ip_of(dup_ack_sack);
	assert_non_null(dissect_seg(dup_ack_sack, sizeof dup_ack_sack, &ip));
	assert_true(dis.nitems > 19);
	/* Skip the 19 fixed items, checked for the SYN. */
	size_t n = sizeof w / sizeof w[0];
	assert_int_equal(dis.nitems, 19 + n);
	memmove(dis.items, dis.items + 19, n * sizeof dis.items[0]);
	dis.nitems = (unsigned)n;
	check_items(w, n);
}

/* Every real segment: the checksum judged good, tcp.len the payload. */
static void test_dissect_real(void **state)
{
	(void)state;
	for (size_t i = 0; i < NREAL; i++) {
		struct ww_ipv4 ip = ip_of(real[i].f);
		struct ww_layer *l = dissect_seg(real[i].f, real[i].flen, &ip);
		assert_non_null(l);
		assert_int_equal(l->len, real[i].hdr_len);
		assert_int_equal(find_item(&dis, "tcp.checksum")->check, WW_CHECK_GOOD);
		assert_int_equal(find_item(&dis, "tcp.len")->u, real[i].payload);
		assert_int_equal(find_item(&dis, "tcp.flags")->u, real[i].t.flags);
		assert_int_equal(find_item(&dis, "tcp.hdr_len")->u, real[i].hdr_len);
		assert_int_equal(find_item(&dis, "tcp.options") != NULL, real[i].hdr_len > 20);
	}
}

static void test_bad_checksum_shown(void **state)
{
	(void)state;
	uint8_t f[sizeof http_get];
	memcpy(f, http_get, sizeof f);
	ww_put16(f + L4_OFF + 16, 0xbad0);
	struct ww_ipv4 ip = ip_of(f);
	assert_non_null(dissect_seg(f, sizeof f, &ip));
	const struct ww_item *it = find_item(&dis, "tcp.checksum");
	assert_int_equal(it->u, 0xbad0);
	assert_int_equal(it->check, WW_CHECK_BAD);
	assert_int_equal(it->expect, 0xccbf);
	/* One flipped payload bit. */
	memcpy(f, http_get, sizeof f);
	f[sizeof f - 3] ^= 0x40;
	assert_non_null(dissect_seg(f, sizeof f, &ip));
	assert_int_equal(find_item(&dis, "tcp.checksum")->check, WW_CHECK_BAD);
	assert_int_equal(find_item(&dis, "tcp.checksum")->expect != 0xccbf, 1);
}

/* No IP header, or only a fragment of the segment: nothing to judge. */
static void test_checksum_not_judged(void **state)
{
	(void)state;
	assert_non_null(dissect_seg(syn, sizeof syn, NULL));
	assert_int_equal(find_item(&dis, "tcp.checksum")->check, WW_CHECK_NONE);
	struct ww_ipv4 ip = ip_of(http_get);
	ip.flags |= WW_IP_FLAG_MF;
	assert_non_null(dissect_seg(http_get, sizeof http_get, &ip));
	assert_int_equal(find_item(&dis, "tcp.checksum")->check, WW_CHECK_NONE);
}

/* tcp.flags.res is one boolean as tshark prints it (1 for 0b010); the
 * flag names list what is set, low bit first, reserved last. */
static void test_flags(void **state)
{
	(void)state;
	uint8_t f[sizeof syn];
	memcpy(f, syn, sizeof f);
	f[L4_OFF + 12] |= 0x04; /* a reserved bit: flags 0x402 */
	assert_non_null(dissect_seg(f, sizeof f, NULL));
	assert_int_equal(find_item(&dis, "tcp.flags")->u, 0x402);
	assert_int_equal(find_item(&dis, "tcp.flags.res")->u, 1);
	assert_int_equal(find_item(&dis, "tcp.flags.ae")->u, 0);
	f[L4_OFF + 12] |= 0x0f;
	assert_non_null(dissect_seg(f, sizeof f, NULL));
	assert_int_equal(find_item(&dis, "tcp.flags")->u, 0xf02);
	assert_int_equal(find_item(&dis, "tcp.flags.ae")->u, 1);

	char buf[64];
	assert_string_equal(ww_tcp_flags_str(0x012, buf, sizeof buf), "SYN, ACK");
	assert_string_equal(ww_tcp_flags_str(0x018, buf, sizeof buf), "PSH, ACK");
	assert_string_equal(ww_tcp_flags_str(0x014, buf, sizeof buf), "RST, ACK");
	assert_string_equal(ww_tcp_flags_str(0, buf, sizeof buf), "<none>");
	/* As tshark 4.0 wrote for these bits: "0xf12 (SYN, ACK, AE, Reserved)". */
	assert_string_equal(ww_tcp_flags_str(0xf12, buf, sizeof buf), "SYN, ACK, AE, Reserved");
	assert_string_equal(ww_tcp_flags_str(0x0ff, buf, sizeof buf),
			    "FIN, SYN, RST, PSH, ACK, URG, ECE, CWR");
	/* A small buffer is cut, never overrun, and stays a string. */
	char small[6];
	memset(small, 'x', sizeof small);
	ww_tcp_flags_str(0x012, small, sizeof small);
	assert_string_equal(small, "SYN");
	ww_tcp_flags_str(0x012, small, 1);
	assert_string_equal(small, "");
}

/* The numbers alone, emitted into 0xa5 with the payload behind: the
 * kernel's bytes come out, options in Linux's order and padding. */
static void test_emit_real(void **state)
{
	(void)state;
	for (size_t i = 0; i < NREAL; i++) {
		const uint8_t *f = real[i].f;
		size_t n = l4_len(f);
		uint8_t seg[256];
		memset(seg, 0xa5, sizeof seg);
		memcpy(seg + real[i].hdr_len, f + L4_OFF + real[i].hdr_len, real[i].payload);
		assert_int_equal(ww_tcp_header_len(&real[i].t), real[i].hdr_len);
		assert_int_equal(ww_tcp_emit(&real[i].t, ip_src(f), ip_dst(f), seg, n), real[i].hdr_len);
		assert_memory_equal(seg, f + L4_OFF, n);
		assert_int_equal(seg[n], 0xa5);
	}
}

/* Set by hand, each is kept: a data offset that lies, options as bytes
 * (padded with EOL to a word), a wrong checksum. */
static void test_emit_manual(void **state)
{
	(void)state;
	uint8_t seg[64];
	memset(seg, 0xa5, sizeof seg);
	struct ww_tcp t = real[4].t; /* the RST */
	t.doff = 4;
	t.manual = WW_TCP_MANUAL_DOFF;
	assert_int_equal(ww_tcp_emit(&t, ip_src(rst_ack), ip_dst(rst_ack), seg, 20), 20);
	assert_int_equal(seg[12] >> 4, 4);
	assert_int_equal(seg[20], 0xa5);
	assert_int_equal(ww_l4_csum(ip_src(rst_ack), ip_dst(rst_ack), 6, seg, 20), 0);

	memset(seg, 0xa5, sizeof seg);
	t = real[4].t;
	t.manual = WW_TCP_MANUAL_OPTS;
	t.opt_len = 3;
	memcpy(t.options, "\x02\x04\x05", 3); /* an MSS cut short: sent anyway */
	assert_int_equal(ww_tcp_header_len(&t), 24);
	assert_int_equal(ww_tcp_emit(&t, 1, 2, seg, 24), 24);
	static const uint8_t opts[4] = { 2, 4, 5, 0 };
	assert_memory_equal(seg + 20, opts, 4);
	assert_int_equal(seg[12] >> 4, 6);
	assert_int_equal(seg[24], 0xa5);

	memset(seg, 0xa5, sizeof seg);
	t = real[4].t;
	t.manual = WW_TCP_MANUAL_CSUM;
	t.checksum = 0x1234;
	ww_tcp_emit(&t, ip_src(rst_ack), ip_dst(rst_ack), seg, 20);
	assert_int_equal(ww_get16(seg + 16), 0x1234);

	/* Too small a buffer: nothing written. */
	memset(seg, 0xa5, sizeof seg);
	assert_int_equal(ww_tcp_emit(&real[0].t, 1, 2, seg, 39), 0);
	for (size_t i = 0; i < sizeof seg; i++)
		assert_int_equal(seg[i], 0xa5);
}

/* A hand-set wrong checksum goes out and comes back judged bad. */
static void test_wrong_checksum_round_trip(void **state)
{
	(void)state;
	uint8_t f[sizeof syn];
	memcpy(f, syn, L4_OFF);
	struct ww_tcp t = real[0].t;
	t.manual = WW_TCP_MANUAL_CSUM;
	t.checksum = 0x7abe;
	assert_int_equal(ww_tcp_emit(&t, ip_src(syn), ip_dst(syn), f + L4_OFF, 40), 40);
	struct ww_ipv4 ip = ip_of(f);
	assert_non_null(dissect_seg(f, sizeof f, &ip));
	const struct ww_item *it = find_item(&dis, "tcp.checksum");
	assert_int_equal(it->u, 0x7abe);
	assert_int_equal(it->check, WW_CHECK_BAD);
	assert_int_equal(it->expect, 0x7abf);
}

/* Parse then emit gives the same bytes: real segments, and options no
 * one would lay out that way (unknown, EOL with junk after it). */
static void test_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < NREAL + 1; i++) {
		uint8_t f[256];
		size_t flen = i < NREAL ? real[i].flen : sizeof syn;
		memcpy(f, i < NREAL ? real[i].f : syn, flen);
		if (i == NREAL) {
			static const uint8_t odd[20] = { 30, 6, 1, 2, 3, 4, 1, 2, 4, 5, 0xb4,
							 0, 0xee, 0xee, 0xee, 0, 0, 0, 0, 0 };
			memcpy(f + L4_OFF + 20, odd, sizeof odd);
			ww_put16(f + L4_OFF + 16, 0xffff);
		}
		size_t n = l4_len(f);
		struct ww_cursor c;
		struct ww_tcp t;
		cursor_at(&c, f, n);
		assert_int_equal(ww_tcp_parse(&c, &t), 0);
		uint8_t seg[256];
		memset(seg, 0xa5, sizeof seg);
		size_t h = t.doff * 4u;
		memcpy(seg + h, f + L4_OFF + h, n - h);
		assert_int_equal(ww_tcp_emit(&t, ip_src(f), ip_dst(f), seg, n), h);
		assert_memory_equal(seg, f + L4_OFF, n);
	}
}

/* Cut at every length: truncated, the field where the bytes ran out named,
 * the fixed fields that fit still shown. */
static void test_truncated_every_length(void **state)
{
	(void)state;
	static const char *at[20] = {
		"tcp.srcport", "tcp.srcport", "tcp.dstport", "tcp.dstport",
		"tcp.seq_raw", "tcp.seq_raw", "tcp.seq_raw", "tcp.seq_raw",
		"tcp.ack_raw", "tcp.ack_raw", "tcp.ack_raw", "tcp.ack_raw",
		"tcp.hdr_len", "tcp.flags", "tcp.window_size_value", "tcp.window_size_value",
		"tcp.checksum", "tcp.checksum", "tcp.urgent_pointer", "tcp.urgent_pointer",
	};
	for (size_t n = 0; n < 40; n++) {
		struct ww_cursor c;
		struct ww_tcp t;
		cursor_at(&c, syn, n);
		assert_int_equal(ww_tcp_parse(&c, &t), -1);
		assert_int_equal(c.err.status, WW_TRUNCATED);
		assert_string_equal(c.err.field, n < 20 ? at[n] : "tcp.hdr_len");

		ww_dissect_reset(&dis, syn, sizeof syn);
		cursor_at(&c, syn, n);
		assert_null(ww_tcp_dissect(&dis, &c, NULL));
		assert_int_equal(dis.nerrors, 1);
		assert_int_equal(dis.errors[0].status, WW_TRUNCATED);
		for (unsigned k = 0; k < dis.nitems; k++)
			assert_true(dis.items[k].off + dis.items[k].len <= L4_OFF + n);
	}
	/* Which fixed fields fit: 12 bytes hold the ports and numbers; 13 add
	 * the header length, the reserved bits and AE; 14 the rest of the flags. */
	static const struct { size_t n; unsigned items; } fit[] = {
		{ 0, 0 }, { 2, 1 }, { 12, 4 }, { 13, 7 }, { 14, 16 }, { 20, 19 }, { 39, 19 },
	};
	for (size_t i = 0; i < sizeof fit / sizeof fit[0]; i++) {
		struct ww_cursor c;
		ww_dissect_reset(&dis, syn, sizeof syn);
		cursor_at(&c, syn, fit[i].n);
		ww_tcp_dissect(&dis, &c, NULL);
		assert_int_equal(dis.nitems, fit[i].items);
	}
	struct ww_cursor c;
	struct ww_tcp t;
	cursor_at(&c, syn, 30);
	ww_tcp_parse(&c, &t);
	assert_string_equal(c.err.msg, "TCP header length 40 > 30 bytes left");
	assert_int_equal(c.err.offset, L4_OFF + 12);
}

/* A data offset below 5 is invalid (the fixed header alone is 5 words). */
static void test_data_offset_below_5(void **state)
{
	(void)state;
	for (unsigned doff = 0; doff < 5; doff++) {
		uint8_t f[sizeof rst_ack];
		size_t flen = sizeof f;
		memcpy(f, rst_ack, flen);
		f[L4_OFF + 12] = (uint8_t)(doff << 4 | (f[L4_OFF + 12] & 0x0f));
		struct ww_cursor c;
		struct ww_tcp t;
		cursor_at(&c, f, l4_len(f));
		assert_int_equal(ww_tcp_parse(&c, &t), -1);
		assert_int_equal(c.err.status, WW_INVALID);
		assert_string_equal(c.err.field, "tcp.hdr_len");
		assert_int_equal(c.err.offset, L4_OFF + 12);
		ww_dissect_reset(&dis, f, flen);
		cursor_at(&c, f, l4_len(f));
		assert_null(ww_tcp_dissect(&dis, &c, NULL));
		assert_int_equal(dis.nitems, 19);
		assert_int_equal(find_item(&dis, "tcp.hdr_len")->u, doff * 4);
	}
}

/* An ICMP error quotes 8 bytes of the segment; the frame dissector shows
 * them through the table's bit offsets: ports and sequence number only. */
static void test_quoted_first_8_bytes(void **state)
{
	(void)state;
	ww_dissect_reset(&dis, syn, sizeof syn);
	ww_layer_add(&dis, WW_P_TCP, "tcp", "Transmission Control Protocol", ww_tcp_fields, L4_OFF);
	ww_dissect_fixed(&dis, ww_tcp_fields, L4_OFF, 8);
	assert_int_equal(dis.nitems, 3);
	check_items(syn_items, 3);
	/* A whole 20-byte header quoted (Linux quotes up to 576 bytes). */
	ww_dissect_reset(&dis, syn, sizeof syn);
	ww_layer_add(&dis, WW_P_TCP, "tcp", "Transmission Control Protocol", ww_tcp_fields, L4_OFF);
	ww_dissect_fixed(&dis, ww_tcp_fields, L4_OFF, 40);
	assert_int_equal(dis.nitems, 19);
	for (unsigned k = 0; k < 19; k++) {
		assert_string_equal(dis.items[k].f->name, syn_items[k].name);
		assert_int_equal(dis.items[k].off, syn_items[k].off);
		assert_int_equal(dis.items[k].u, syn_items[k].u);
	}
}

/* Numbers at the edges of their fields survive emit and parse, and the
 * checksum arithmetic with them. */
static void test_wraparound_values(void **state)
{
	(void)state;
	struct ww_tcp t = { .sport = 0xffff, .dport = 0, .seq = 0xffffffffu, .ack = 0xffffffffu,
			    .flags = 0xfff, .window = 0xffff, .urgent = 0xffff, .has_mss = true,
			    .mss = 0xffff, .has_ts = true, .tsval = 0xffffffffu,
			    .tsecr = 0xffffffffu, .has_wscale = true, .wscale = 0xff };
	uint8_t seg[40];
	assert_int_equal(ww_tcp_emit(&t, 0xffffffffu, 0xffffffffu, seg, sizeof seg), 40);
	assert_int_equal(ww_l4_csum(0xffffffffu, 0xffffffffu, 6, seg, sizeof seg), 0);
	struct ww_cursor c;
	struct ww_tcp b;
	ww_cur_init(&c, seg, sizeof seg, 0);
	assert_int_equal(ww_tcp_parse(&c, &b), 0);
	assert_int_equal(b.sport, 0xffff);
	assert_int_equal(b.seq, 0xffffffffu);
	assert_int_equal(b.ack, 0xffffffffu);
	assert_int_equal(b.flags, 0xfff);
	assert_int_equal(b.doff, 10);
	assert_int_equal(b.window, 0xffff);
	assert_int_equal(b.urgent, 0xffff);
	assert_int_equal(b.mss, 0xffff);
	assert_int_equal(b.tsval, 0xffffffffu);
	assert_int_equal(b.wscale, 0xff);
	/* Flags wider than 12 bits do not spill into the data offset. */
	t = (struct ww_tcp){ .flags = 0xffff };
	ww_tcp_emit(&t, 1, 2, seg, 20);
	assert_int_equal(seg[12], 0x5f);
	assert_int_equal(seg[13], 0xff);
}

static void test_field_table(void **state)
{
	(void)state;
	static const struct { const char *name, *alias; int bit_off, width, mult; } want[] = {
		{ "tcp.srcport", "sport", 0, 16, 0 },
		{ "tcp.dstport", "dport", 16, 16, 0 },
		{ "tcp.seq_raw", "seq", 32, 32, 0 },
		{ "tcp.ack_raw", "ack", 64, 32, 0 },
		{ "tcp.hdr_len", "dataofs", 96, 4, 4 },
		{ "tcp.flags", "flags", 100, 12, 0 },
		{ "tcp.window_size_value", "window", 112, 16, 0 },
		{ "tcp.checksum", "chksum", 128, 16, 0 },
		{ "tcp.urgent_pointer", "urgptr", 144, 16, 0 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct ww_field *fl = ww_field_find(ww_tcp_fields, want[i].name);
		assert_non_null(fl);
		assert_string_equal(fl->alias, want[i].alias);
		assert_int_equal(fl->bit_off, want[i].bit_off);
		assert_int_equal(fl->bit_width, want[i].width);
		assert_int_equal(fl->mult, want[i].mult);
	}
	const struct ww_field *fl = ww_field_find(ww_tcp_fields, "tcp.flags");
	assert_true(fl->flags & WW_F_BITS);
	assert_ptr_equal(fl->vals, ww_tcp_flag_names);
	assert_null(ww_field_find(ww_tcp_fields, "tcp.flags.ns")); /* 4.0 calls it ae */
	for (const struct ww_field *f = ww_tcp_fields; f->name; f++) {
		assert_non_null(f->label);
		assert_non_null(f->help);
		assert_int_equal(strncmp(f->name, "tcp.", 4), 0);
	}
	assert_string_equal(ww_tok_str(ww_tcp_option_names, 8), "Time Stamp Option");
}

/* The rows are where the enum says, the table ends with its NULL row, the
 * fixed header is one run, and its fast path gives what the general walk
 * gives, for every real segment and every cut of it. */
static void test_field_rows(void **state)
{
	(void)state;
	static const struct row_name names[] = {
		{ WW_TCP_F_SRCPORT, "tcp.srcport" }, { WW_TCP_F_DSTPORT, "tcp.dstport" },
		{ WW_TCP_F_SEQ, "tcp.seq_raw" }, { WW_TCP_F_ACK, "tcp.ack_raw" },
		{ WW_TCP_F_HDR_LEN, "tcp.hdr_len" }, { WW_TCP_F_FLAGS, "tcp.flags" },
		{ WW_TCP_F_FLAG_RES, "tcp.flags.res" }, { WW_TCP_F_FLAG_AE, "tcp.flags.ae" },
		{ WW_TCP_F_FLAG_CWR, "tcp.flags.cwr" }, { WW_TCP_F_FLAG_ECE, "tcp.flags.ece" },
		{ WW_TCP_F_FLAG_URG, "tcp.flags.urg" }, { WW_TCP_F_FLAG_ACK, "tcp.flags.ack" },
		{ WW_TCP_F_FLAG_PUSH, "tcp.flags.push" },
		{ WW_TCP_F_FLAG_RESET, "tcp.flags.reset" },
		{ WW_TCP_F_FLAG_SYN, "tcp.flags.syn" }, { WW_TCP_F_FLAG_FIN, "tcp.flags.fin" },
		{ WW_TCP_F_WINDOW, "tcp.window_size_value" },
		{ WW_TCP_F_CHECKSUM, "tcp.checksum" },
		{ WW_TCP_F_URGENT, "tcp.urgent_pointer" }, { WW_TCP_F_OPTIONS, "tcp.options" },
		{ WW_TCP_F_OPT_EOL, "tcp.options.eol" },
		{ WW_TCP_F_OPT_NOP, "tcp.options.nop" },
		{ WW_TCP_F_OPT_MSS, "tcp.options.mss" },
		{ WW_TCP_F_OPT_WSCALE, "tcp.options.wscale" },
		{ WW_TCP_F_OPT_SACK_PERM, "tcp.options.sack_perm" },
		{ WW_TCP_F_OPT_SACK, "tcp.options.sack" },
		{ WW_TCP_F_OPT_TS, "tcp.options.timestamp" },
		{ WW_TCP_F_OPT_UNKNOWN, "tcp.options.unknown" },
		{ WW_TCP_F_OPT_KIND, "tcp.option_kind" },
		{ WW_TCP_F_OPT_LEN, "tcp.option_len" },
		{ WW_TCP_F_MSS_VAL, "tcp.options.mss_val" },
		{ WW_TCP_F_WSCALE_SHIFT, "tcp.options.wscale.shift" },
		{ WW_TCP_F_WSCALE_MULT, "tcp.options.wscale.multiplier" },
		{ WW_TCP_F_SACK_LE, "tcp.options.sack_le" },
		{ WW_TCP_F_SACK_RE, "tcp.options.sack_re" },
		{ WW_TCP_F_TSVAL, "tcp.options.timestamp.tsval" },
		{ WW_TCP_F_TSECR, "tcp.options.timestamp.tsecr" },
		{ WW_TCP_F_UNKNOWN_PAYLOAD, "tcp.options.unknown.payload" },
		{ WW_TCP_F_LEN, "tcp.len" },
		{ WW_TCP_F_PAYLOAD, "tcp.payload" },
	};
	check_rows(ww_tcp_fields, names, sizeof names / sizeof names[0], WW_TCP_F_END,
		   WW_TCP_F_URGENT + 1);
	/* The flag bits sit beneath tcp.flags, nothing else does. */
	for (unsigned r = 0; r < WW_TCP_F_END; r++)
		assert_int_equal(!!(ww_tcp_fields[r].flags & WW_F_NESTED),
				 r >= WW_TCP_F_FLAG_RES && r <= WW_TCP_F_FLAG_FIN);
	const uint8_t *frames[] = { syn, syn_ack, ack, http_get, rst_ack, dup_ack_sack };
	const size_t lens[] = { sizeof syn, sizeof syn_ack, sizeof ack, sizeof http_get,
				sizeof rst_ack, sizeof dup_ack_sack };
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
		check_fixed_paths(ww_tcp_fields, WW_TCP_F_URGENT + 1, frames[i], lens[i], L4_OFF);
}

/* A header quoted in an ICMP error is shown through the same rows: the
 * flag bits beneath tcp.flags, the three reserved bits one boolean. */
static void test_quoted_flags_nested(void **state)
{
	(void)state;
	uint8_t f[sizeof syn];
	memcpy(f, syn, sizeof f);
	f[L4_OFF + 12] |= 0x0e; /* all three reserved bits */
	ww_dissect_reset(&dis, f, sizeof f);
	ww_layer_add(&dis, WW_P_TCP, "tcp", "Transmission Control Protocol", ww_tcp_fields, L4_OFF);
	ww_dissect_fixed(&dis, ww_tcp_fields, L4_OFF, 20);
	assert_int_equal(dis.nitems, WW_TCP_F_URGENT + 1);
	const struct ww_item *res = find_item(&dis, "tcp.flags.res");
	assert_int_equal(res->u, 1);
	assert_int_equal(res->depth, 1);
	assert_int_equal(find_item(&dis, "tcp.flags.syn")->depth, 1);
	assert_int_equal(find_item(&dis, "tcp.flags")->depth, 0);
	assert_int_equal(find_item(&dis, "tcp.flags")->u, 0xe02);
	assert_int_equal(find_item(&dis, "tcp.hdr_len")->u, 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_real),
		cmocka_unit_test(test_dissect_syn),
		cmocka_unit_test(test_dissect_sack),
		cmocka_unit_test(test_dissect_real),
		cmocka_unit_test(test_bad_checksum_shown),
		cmocka_unit_test(test_checksum_not_judged),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_emit_real),
		cmocka_unit_test(test_emit_manual),
		cmocka_unit_test(test_wrong_checksum_round_trip),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_data_offset_below_5),
		cmocka_unit_test(test_quoted_first_8_bytes),
		cmocka_unit_test(test_wraparound_values),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_field_rows),
		cmocka_unit_test(test_quoted_flags_nested),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
