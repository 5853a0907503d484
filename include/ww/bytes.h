/* Network byte order, one byte at a time: no casts over packet memory, no
 * alignment assumptions, no dependence on the host's endianness. */
#ifndef WW_BYTES_H
#define WW_BYTES_H

#include <stdint.h>

static inline uint16_t ww_get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t ww_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void ww_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ww_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Read WIDTH bits (1..64) starting BIT_OFF bits into P, most significant
 * bit first, as the RFCs draw their headers. The caller has checked that
 * (BIT_OFF % 8 + WIDTH + 7) / 8 bytes from P + BIT_OFF / 8 are readable.
 * The bytes the field touches are loaded, then shifted and masked: this
 * runs once per fixed field of every frame dissected, and nearly every
 * field lies in 1, 2 or 4 whole bytes. */
static inline uint64_t ww_get_bits(const uint8_t *p, unsigned bit_off, unsigned width)
{
	p += bit_off >> 3;
	unsigned lead = bit_off & 7;
	unsigned nbytes = (lead + width + 7) >> 3;
	uint64_t v = 0;
	switch (nbytes) {
	case 1:
		v = p[0];
		break;
	case 2:
		v = ww_get16(p);
		break;
	case 4:
		v = ww_get32(p);
		break;
	default:
		if (nbytes > 8) { /* a 64-bit field not on a byte boundary: rare, slow */
			for (unsigned i = 0; i < width; i++) {
				unsigned b = lead + i;
				v = v << 1 | ((p[b >> 3] >> (7 - (b & 7))) & 1u);
			}
			return v;
		}
		for (unsigned i = 0; i < nbytes; i++)
			v = v << 8 | p[i];
	}
	v >>= nbytes * 8 - lead - width;
	return width == 64 ? v : v & ((UINT64_C(1) << width) - 1);
}

/* Write the low WIDTH bits of V at BIT_OFF, leaving the other bits alone. */
static inline void ww_put_bits(uint8_t *p, unsigned bit_off, unsigned width, uint64_t v)
{
	for (unsigned i = 0; i < width; i++) {
		unsigned b = bit_off + i;
		uint8_t mask = (uint8_t)(1u << (7 - (b & 7)));
		if ((v >> (width - 1 - i)) & 1u)
			p[b >> 3] |= mask;
		else
			p[b >> 3] &= (uint8_t)~mask;
	}
}

#endif
