#include "ww/checksum.h"

#include "ww/bytes.h"

/* A + B in one's complement: a carry out of the top is added back in. */
static inline uint64_t add_end_around(uint64_t a, uint64_t b)
{
	a += b;
	return a + (a < b);
}

uint32_t ww_sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	/* The sum may be taken in wider words (RFC 1071 §2(C)): a 64-bit word
	 * is four 16-bit ones, w3 * 2^48 + w2 * 2^32 + w1 * 2^16 + w0, which
	 * folds to w3 + w2 + w1 + w0 since 2^16 = 1 modulo 0xffff; carries out
	 * of the top are added back in at once. Every frame is summed twice
	 * or more, so sixteen bytes a turn. */
	uint64_t acc = sum, acc2 = 0; /* two sums, so one add need not wait for the other */
	for (; len >= 16; p += 16, len -= 16) {
		acc = add_end_around(acc, (uint64_t)ww_get32(p) << 32 | ww_get32(p + 4));
		acc2 = add_end_around(acc2, (uint64_t)ww_get32(p + 8) << 32 | ww_get32(p + 12));
	}
	acc = add_end_around(acc, acc2);
	if (len >= 8) {
		acc = add_end_around(acc, (uint64_t)ww_get32(p) << 32 | ww_get32(p + 4));
		p += 8;
		len -= 8;
	}
	if (len >= 4) {
		acc = add_end_around(acc, ww_get32(p));
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		acc = add_end_around(acc, ww_get16(p));
		p += 2;
		len -= 2;
	}
	if (len) /* an odd last byte is padded with zero on the right (RFC 1071 §4.1) */
		acc = add_end_around(acc, (uint32_t)p[0] << 8);
	/* End-around carry until 16 bits remain, as the header promises (RFC
	 * 1071's example sums 00 01 f2 03 f4 f5 f6 f7 to ddf2, not 2ddf0). */
	acc = (acc & 0xffffffff) + (acc >> 32);
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

uint16_t ww_csum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t ww_inet_csum(const uint8_t *p, size_t len)
{
	return ww_csum_finish(ww_sum16(p, len, 0));
}

bool ww_inet_csum_ok(const uint8_t *p, size_t len)
{
	uint32_t sum = ww_sum16(p, len, 0);
	return sum == 0xffff || sum == 0;
}

uint32_t ww_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}

uint16_t ww_l4_csum(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t *seg, size_t len)
{
	return ww_csum_finish(ww_sum16(seg, len, ww_pseudo_sum(src, dst, proto, (uint16_t)len)));
}

/* Reflected CRC-32 (polynomial 0xedb88320), four bits at a time: a 16-entry
 * table is small enough to read and fast enough for frames. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t ww_fcs(const uint8_t *frame, size_t len)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < len; i++) {
		crc ^= frame[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

void ww_fcs_append(uint8_t *dst4, uint32_t fcs)
{
	dst4[0] = (uint8_t)fcs;
	dst4[1] = (uint8_t)(fcs >> 8);
	dst4[2] = (uint8_t)(fcs >> 16);
	dst4[3] = (uint8_t)(fcs >> 24);
}
