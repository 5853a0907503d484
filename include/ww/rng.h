/* Random numbers for what must not be guessed from outside: DNS query IDs
 * and UDP source ports (RFC 5452: together they are the 32 bits an
 * off-path attacker must hit to poison a cache), TCP's initial sequence
 * numbers. Seeded, a run repeats exactly (the unit tests); unseeded, every
 * draw comes from the kernel (getrandom), so nothing sent reveals the next
 * one. */
#ifndef WW_RNG_H
#define WW_RNG_H

#include <stdint.h>

struct ww_rng {
	uint64_t state; /* splitmix64 (seeded) */
	int os;         /* draws come from the kernel */
	uint8_t buf[64];
	unsigned left;  /* unread bytes at the end of buf */
};

/* SEED 0: the kernel's randomness; any other: a repeatable sequence. */
void ww_rng_init(struct ww_rng *r, uint64_t seed);
uint32_t ww_rng_u32(struct ww_rng *r);
/* Uniform in [LO, HI] (no modulo bias). */
uint32_t ww_rng_range(struct ww_rng *r, uint32_t lo, uint32_t hi);

#endif
