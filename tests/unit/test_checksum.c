/* The Internet checksum (RFC 1071) and the Ethernet FCS (CRC-32): the
 * RFC's own example, the CRC catalogue's check value, zlib's CRC-32 as a
 * second opinion, and checksums the Linux kernel put into real frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "ww/bytes.h"
#include "ww/checksum.h"

/* "hello, wirewalk" (15 bytes: an odd length) from 192.168.1.5:40000 to
 * 203.0.113.53:7, sent by a Python UDP socket and captured by tcpdump on
 * the sender's veth (offloads off, so the kernel filled every checksum). */
static const uint8_t udp_frame[57] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x2b, 0x4a, 0xf5, 0x40, 0x00, 0x40, 0x11,
	0xf1, 0xe9, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0x9c, 0x40,
	0x00, 0x07, 0x00, 0x17, 0x65, 0xc9, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2c,
	0x20, 0x77, 0x69, 0x72, 0x65, 0x77, 0x61, 0x6c, 0x6b,
};

/* `ping -c 1 203.0.113.53`: the kernel's echo request, 56 data bytes. */
static const uint8_t icmp_frame[98] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x54, 0x8e, 0x37, 0x40, 0x00, 0x40, 0x01,
	0xae, 0x8e, 0xc0, 0xa8, 0x01, 0x05, 0xcb, 0x00, 0x71, 0x35, 0x08, 0x00,
	0x08, 0x62, 0x2f, 0x45, 0x00, 0x01, 0x42, 0x54, 0x02, 0x6b, 0x00, 0x00,
	0x00, 0x00, 0xbc, 0xc5, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11,
	0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d,
	0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
	0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
	0x36, 0x37,
};

/* The kernel's RST+ACK from 203.0.113.53:81 (no listener) to a curl SYN. */
static const uint8_t tcp_frame[54] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x3f, 0x06,
	0x3d, 0xed, 0xcb, 0x00, 0x71, 0x35, 0xc0, 0xa8, 0x01, 0x05, 0x00, 0x51,
	0xd0, 0xda, 0x00, 0x00, 0x00, 0x00, 0xd4, 0x46, 0x3a, 0x56, 0x50, 0x14,
	0x00, 0x00, 0xd2, 0x24, 0x00, 0x00,
};

/* Offsets in an Ethernet II frame carrying IPv4 without options. */
#define IP_OFF 14
#define L4_OFF 34

static uint32_t ip_src(const uint8_t *f) { return ww_get32(f + IP_OFF + 12); }
static uint32_t ip_dst(const uint8_t *f) { return ww_get32(f + IP_OFF + 16); }
static size_t l4_len(const uint8_t *f) { return ww_get16(f + IP_OFF + 2) - 20u; }

/* RFC 1071 §3: "the sum of these bytes ... is ddf2"; carries wrap around
 * (2ddf0 folds to ddf2), and the checksum is its complement. */
static void test_rfc1071_example(void **state)
{
	(void)state;
	static const uint8_t b[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(ww_sum16(b, sizeof b, 0), 0xddf2);
	assert_int_equal(ww_inet_csum(b, sizeof b), 0x220d);
	/* With its checksum appended, the region sums to all ones: verify = 0. */
	uint8_t with[10];
	memcpy(with, b, 8);
	ww_put16(with + 8, 0x220d);
	assert_int_equal(ww_inet_csum(with, sizeof with), 0);
}

/* The sum of a region split at an even offset is the sum of the parts
 * (what pseudo-header + segment relies on), and order does not matter. */
static void test_sum_chains(void **state)
{
	(void)state;
	static const uint8_t b[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	for (size_t cut = 0; cut <= 8; cut += 2)
		assert_int_equal(ww_sum16(b + cut, 8 - cut, ww_sum16(b, cut, 0)), 0xddf2);
	assert_int_equal(ww_sum16(b, 4, ww_sum16(b + 4, 4, 0)), 0xddf2);
}

/* An odd last byte counts as the high byte of a word padded with zero
 * (RFC 1071 §4.1), not as the low byte. */
static void test_odd_length(void **state)
{
	(void)state;
	static const uint8_t b[3] = { 0x12, 0x34, 0x56 };
	assert_int_equal(ww_sum16(b, 3, 0), 0x1234 + 0x5600);
	assert_int_equal(ww_sum16(b + 2, 1, 0), 0x5600);
	assert_int_equal(ww_sum16(b, 0, 0), 0);
	assert_int_equal(ww_inet_csum(b, 0), 0xffff);
}

/* End-around carry: 0xffff + 0x0001 is 0x0001 in one's complement; a
 * 64 KB region of 0xff bytes sums to 0xffff with no carry lost. */
static void test_wraparound(void **state)
{
	(void)state;
	static const uint8_t b[4] = { 0xff, 0xff, 0x00, 0x01 };
	assert_int_equal(ww_sum16(b, 4, 0), 0x0001);
	assert_int_equal(ww_sum16(b, 2, 0xffff), 0xffff);
	static uint8_t big[65536];
	memset(big, 0xff, sizeof big);
	assert_int_equal(ww_sum16(big, sizeof big, 0), 0xffff);
	assert_int_equal(ww_inet_csum(big, sizeof big), 0);
	/* A large incoming sum is folded too. */
	assert_int_equal(ww_csum_finish(0xffffffffu), 0x0000);
	assert_int_equal(ww_csum_finish(0x0001fffeu), 0x0000);
	assert_int_equal(ww_csum_finish(0), 0xffff);
}

/* The IPv4 header checksum the kernel wrote verifies, and recomputing it
 * with the field zeroed gives the same value. */
static void test_real_ipv4_headers(void **state)
{
	(void)state;
	const uint8_t *frames[] = { udp_frame, icmp_frame, tcp_frame };
	for (size_t i = 0; i < 3; i++) {
		uint8_t h[20];
		memcpy(h, frames[i] + IP_OFF, 20);
		assert_int_equal(ww_inet_csum(h, 20), 0);
		uint16_t sent = ww_get16(h + 10);
		ww_put16(h + 10, 0);
		assert_int_equal(ww_inet_csum(h, 20), sent);
	}
	assert_int_equal(ww_get16(udp_frame + IP_OFF + 10), 0xf1e9);
}

/* The ICMP checksum covers the message alone, no pseudo-header. */
static void test_real_icmp(void **state)
{
	(void)state;
	uint8_t m[64];
	size_t n = l4_len(icmp_frame);
	assert_int_equal(n, sizeof m);
	memcpy(m, icmp_frame + L4_OFF, n);
	assert_int_equal(ww_inet_csum(m, n), 0);
	ww_put16(m + 2, 0);
	assert_int_equal(ww_inet_csum(m, n), 0x0862);
}

/* UDP and TCP with the pseudo-header (RFC 768, RFC 9293 §3.1): an odd
 * UDP length, and a TCP RST. tshark called both checksums good. */
static void test_real_l4(void **state)
{
	(void)state;
	const struct { const uint8_t *f; uint8_t proto; size_t csum_at; uint16_t sent; } v[] = {
		{ udp_frame, 17, 6, 0x65c9 },
		{ tcp_frame, 6, 16, 0xd224 },
	};
	for (size_t i = 0; i < 2; i++) {
		uint8_t seg[64];
		size_t n = l4_len(v[i].f);
		memcpy(seg, v[i].f + L4_OFF, n);
		assert_int_equal(ww_get16(seg + v[i].csum_at), v[i].sent);
		assert_int_equal(ww_l4_csum(ip_src(v[i].f), ip_dst(v[i].f), v[i].proto, seg, n), 0);
		ww_put16(seg + v[i].csum_at, 0);
		assert_int_equal(ww_l4_csum(ip_src(v[i].f), ip_dst(v[i].f), v[i].proto, seg, n),
				 v[i].sent);
		/* The wrong addresses give a different sum: the pseudo-header counts. */
		ww_put16(seg + v[i].csum_at, v[i].sent);
		assert_int_not_equal(ww_l4_csum(ip_src(v[i].f) + 1, ip_dst(v[i].f), v[i].proto, seg, n), 0);
	}
	assert_int_equal(ww_pseudo_sum(0xc0a80105, 0xcb007135, 17, 23),
			 0xc0a8 + 0x0105 + 0xcb00 + 0x7135 + 17 + 23);
}

/* The sum as RFC 1071 §4.1 writes it: 16-bit words one at a time, the
 * carries folded at the end. The library sums eight bytes at a turn; the
 * two must agree on every length and every starting byte. */
static uint32_t sum_by_words(const uint8_t *p, size_t len, uint32_t sum)
{
	uint64_t acc = sum;
	for (; len >= 2; p += 2, len -= 2)
		acc += (uint32_t)p[0] << 8 | p[1];
	if (len)
		acc += (uint32_t)p[0] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

static void test_wide_sum_matches_words(void **state)
{
	(void)state;
	const struct { const uint8_t *f; size_t n; } v[] = {
		{ udp_frame, sizeof udp_frame },
		{ icmp_frame, sizeof icmp_frame },
		{ tcp_frame, sizeof tcp_frame },
	};
	for (size_t i = 0; i < 3; i++)
		for (size_t start = 0; start < 8; start++)
			for (size_t len = 0; start + len <= v[i].n; len++) {
				const uint8_t *p = v[i].f + start;
				assert_int_equal(ww_sum16(p, len, 0), sum_by_words(p, len, 0));
				/* A running sum carried in, as the pseudo-header is. */
				assert_int_equal(ww_sum16(p, len, 0x1fffe),
						 sum_by_words(p, len, 0x1fffe));
			}
	/* Every 64-bit word all ones: a carry out of the top on each add. */
	static uint8_t ones[4096 + 7];
	memset(ones, 0xff, sizeof ones);
	for (size_t len = 4090; len <= sizeof ones; len++)
		assert_int_equal(ww_sum16(ones, len, 0xffff), sum_by_words(ones, len, 0xffff));
}

/* The CRC catalogue's check value for CRC-32/ISO-HDLC, the Ethernet FCS. */
static void test_crc32_check_value(void **state)
{
	(void)state;
	assert_int_equal(ww_fcs((const uint8_t *)"123456789", 9), 0xcbf43926u);
	assert_int_equal(ww_fcs(NULL, 0), 0);
}

/* zlib's crc32 is the same CRC, written by other hands: they agree on every
 * length of a real frame and of bytes from a simple generator. */
static void test_crc32_matches_zlib(void **state)
{
	(void)state;
	for (size_t n = 0; n <= sizeof udp_frame; n++)
		assert_int_equal(ww_fcs(udp_frame, n), crc32(0, udp_frame, (uInt)n));
	static uint8_t b[1518];
	uint32_t x = 1;
	for (size_t i = 0; i < sizeof b; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (uint8_t)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof b; n += 7)
		assert_int_equal(ww_fcs(b, n), crc32(0, b, (uInt)n));
}

/* The NIC sends the FCS least significant byte first; a receiver running
 * the CRC over frame and FCS gets the fixed residue 0x2144df1c. */
static void test_fcs_append(void **state)
{
	(void)state;
	uint8_t f[sizeof udp_frame + 4];
	memcpy(f, udp_frame, sizeof udp_frame);
	uint32_t fcs = ww_fcs(udp_frame, sizeof udp_frame);
	ww_fcs_append(f + sizeof udp_frame, fcs);
	assert_int_equal(f[sizeof udp_frame], fcs & 0xff);
	assert_int_equal(f[sizeof udp_frame + 3], fcs >> 24);
	assert_int_equal(ww_fcs(f, sizeof f), 0x2144df1cu);
	uint8_t check[13] = "123456789";
	ww_fcs_append(check + 9, 0xcbf43926u);
	static const uint8_t want[4] = { 0x26, 0x39, 0xf4, 0xcb };
	assert_memory_equal(check + 9, want, 4);
	/* One flipped bit anywhere breaks the residue. */
	f[20] ^= 0x10;
	assert_int_not_equal(ww_fcs(f, sizeof f), 0x2144df1cu);
}

/* An echo reply of zeros only, checksum 0x0000 (Linux answers an all-zero
 * request so): one's complement's other zero, as right as 0xffff. */
static void test_both_zeros(void **state)
{
	(void)state;
	uint8_t reply[8] = { 0 };
	assert_true(ww_inet_csum_ok(reply, sizeof reply));
	reply[2] = reply[3] = 0xff;
	assert_true(ww_inet_csum_ok(reply, sizeof reply));
	reply[3] = 0xfe;
	assert_false(ww_inet_csum_ok(reply, sizeof reply));
	/* Non-zero words never sum to +0: a wrong checksum stays wrong. */
	uint8_t echo[8] = { 8, 0, 0, 0, 0, 1, 0, 1 };
	assert_false(ww_inet_csum_ok(echo, sizeof echo));
	uint16_t c = ww_inet_csum(echo, sizeof echo);
	echo[2] = (uint8_t)(c >> 8);
	echo[3] = (uint8_t)c;
	assert_true(ww_inet_csum_ok(echo, sizeof echo));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_sum_chains),
		cmocka_unit_test(test_odd_length),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_real_ipv4_headers),
		cmocka_unit_test(test_real_icmp),
		cmocka_unit_test(test_real_l4),
		cmocka_unit_test(test_wide_sum_matches_words),
		cmocka_unit_test(test_crc32_check_value),
		cmocka_unit_test(test_crc32_matches_zlib),
		cmocka_unit_test(test_fcs_append),
		cmocka_unit_test(test_both_zeros),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
