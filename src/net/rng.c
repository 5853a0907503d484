/* Random numbers: splitmix64 when seeded, the kernel's getrandom()
 * otherwise (read 64 bytes at a time). */
#include <string.h>
#include <sys/random.h>

#include "ww/rng.h"

void ww_rng_init(struct ww_rng *r, uint64_t seed)
{
	memset(r, 0, sizeof *r);
	r->state = seed;
	r->os = seed == 0;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void refill(struct ww_rng *r)
{
	size_t got = 0;
	while (got < sizeof r->buf) {
		ssize_t n = getrandom(r->buf + got, sizeof r->buf - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof r->buf) {
		/* getrandom cannot fail on Linux ≥ 3.17 once the pool is ready;
		 * if it did, go on with a sequence rather than with zeros. */
		for (size_t i = got; i < sizeof r->buf; i++)
			r->buf[i] = (uint8_t)splitmix64(&r->state);
	}
	r->left = sizeof r->buf;
}

uint32_t ww_rng_u32(struct ww_rng *r)
{
	if (!r->os)
		return (uint32_t)(splitmix64(&r->state) >> 32);
	if (r->left < 4)
		refill(r);
	uint32_t v;
	memcpy(&v, r->buf + sizeof r->buf - r->left, 4);
	r->left -= 4;
	return v;
}

uint32_t ww_rng_range(struct ww_rng *r, uint32_t lo, uint32_t hi)
{
	if (hi <= lo)
		return lo;
	uint32_t span = hi - lo + 1; /* 0 means all 2^32 values */
	if (span == 0)
		return ww_rng_u32(r);
	/* Reject the top values that would favour the low results. */
	uint32_t limit = UINT32_MAX - (UINT32_MAX % span + 1) % span;
	uint32_t v;
	do
		v = ww_rng_u32(r);
	while (v > limit);
	return lo + v % span;
}
