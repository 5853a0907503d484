#include "ww/cursor.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ww/bytes.h"

void ww_cur_init(struct ww_cursor *c, const uint8_t *buf, size_t len, uint32_t base)
{
	/* Member by member: clearing the 128-byte message costs more than
	 * the header it will be used for. */
	c->buf = buf;
	c->pos = 0;
	c->end = len;
	c->base = base;
	c->err.status = WW_OK;
	c->err.field = NULL;
	c->err.offset = 0;
	c->err.msg[0] = '\0';
}

int ww_cur_truncated(struct ww_cursor *c, const char *field, size_t need)
{
	if (c->err.status)
		return -1;
	size_t left = c->end - c->pos;
	c->err.status = WW_TRUNCATED;
	c->err.field = field;
	c->err.offset = ww_cur_offset(c);
	snprintf(c->err.msg, sizeof c->err.msg, "truncated at %s: needs %zu byte%s, %zu left",
		 field, need, need == 1 ? "" : "s", left);
	return -1;
}

int ww_cur_invalid(struct ww_cursor *c, const char *field, const char *fmt, ...)
{
	if (c->err.status)
		return -1;
	c->err.status = WW_INVALID;
	c->err.field = field;
	c->err.offset = ww_cur_offset(c);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err.msg, sizeof c->err.msg, fmt, ap);
	va_end(ap);
	return -1;
}

bool ww_cur_copy(struct ww_cursor *c, void *out, size_t n, const char *field)
{
	const uint8_t *p = ww_cur_bytes(c, n, field);
	if (!p) {
		memset(out, 0, n);
		return false;
	}
	memcpy(out, p, n);
	return true;
}
