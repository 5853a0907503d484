/* A read cursor over untrusted bytes, after tcpdump's GET_ macros: every read
 * is bounds-checked, and the first error is sticky, so a parser may read a
 * whole header and check once at the end. After an error every read returns
 * zero and nothing advances.
 *
 * Truncated and invalid are different outcomes: a truncated header might be
 * fine if more bytes had been captured; an invalid one is wrong as it
 * stands (a header length below the minimum, a label over 63 bytes). */
#ifndef WW_CURSOR_H
#define WW_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ww_status {
	WW_OK = 0,
	WW_TRUNCATED, /* the bytes ran out before the field did */
	WW_INVALID,   /* the bytes are there, the value is wrong */
};

struct ww_error {
	enum ww_status status;
	const char *field; /* display-filter name of the field at fault, e.g. "ip.len" */
	uint32_t offset;   /* frame offset where the problem was found */
	char msg[128];     /* one line for a person: "IPv4 total length 1600 > 1500 bytes left" */
};

struct ww_cursor {
	const uint8_t *buf; /* start of the readable region */
	size_t pos;         /* next byte to read, relative to buf */
	size_t end;         /* reads stop here; may be narrowed with ww_cur_limit */
	uint32_t base;      /* frame offset of buf[0], for error offsets */
	struct ww_error err;
};

void ww_cur_init(struct ww_cursor *c, const uint8_t *buf, size_t len, uint32_t base);

static inline bool ww_cur_ok(const struct ww_cursor *c) { return c->err.status == WW_OK; }
static inline size_t ww_cur_left(const struct ww_cursor *c) { return c->err.status ? 0 : c->end - c->pos; }
static inline const uint8_t *ww_cur_here(const struct ww_cursor *c) { return c->buf + c->pos; }
/* Frame offset of the next byte. */
static inline uint32_t ww_cur_offset(const struct ww_cursor *c) { return c->base + (uint32_t)c->pos; }

int ww_cur_truncated(struct ww_cursor *c, const char *field, size_t need);

/* N bytes in place, or NULL (and a truncation error naming FIELD). Inline:
 * every header field of every frame comes through here. */
static inline const uint8_t *ww_cur_bytes(struct ww_cursor *c, size_t n, const char *field)
{
	if (c->err.status)
		return NULL;
	if (c->end - c->pos < n) {
		ww_cur_truncated(c, field, n);
		return NULL;
	}
	const uint8_t *p = c->buf + c->pos;
	c->pos += n;
	return p;
}

static inline uint8_t ww_cur_u8(struct ww_cursor *c, const char *field)
{
	const uint8_t *p = ww_cur_bytes(c, 1, field);
	return p ? p[0] : 0;
}

static inline uint16_t ww_cur_u16(struct ww_cursor *c, const char *field)
{
	const uint8_t *p = ww_cur_bytes(c, 2, field);
	return p ? (uint16_t)((unsigned)p[0] << 8 | p[1]) : 0;
}

static inline uint32_t ww_cur_u32(struct ww_cursor *c, const char *field)
{
	const uint8_t *p = ww_cur_bytes(c, 4, field);
	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}
static inline bool ww_cur_skip(struct ww_cursor *c, size_t n, const char *field)
{
	return ww_cur_bytes(c, n, field) != NULL;
}
/* Copy N bytes out; on truncation OUT is zero-filled. */
bool ww_cur_copy(struct ww_cursor *c, void *out, size_t n, const char *field);

/* Narrow reads to the next N bytes (e.g. an IP datagram inside a padded
 * Ethernet frame). Returns the previous end, for ww_cur_unlimit. If fewer
 * than N bytes remain, the limit is what remains: the caller decides
 * whether that is truncation. */
static inline size_t ww_cur_limit(struct ww_cursor *c, size_t n)
{
	size_t old = c->end;
	if (!c->err.status && c->end - c->pos > n)
		c->end = c->pos + n;
	return old;
}
static inline void ww_cur_unlimit(struct ww_cursor *c, size_t old_end) { c->end = old_end; }

/* Record an error if none is recorded yet. FIELD is a display-filter name;
 * the message is printf-formatted. Always returns -1, so a parser can
 * `return ww_cur_invalid(...)`. */
int ww_cur_invalid(struct ww_cursor *c, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
