/* The text a describer writes (tls_text.c), and the small describers:
 * a record header, an alert, a change_cipher_spec. A message's text is
 * lines separated by '\n': a summary, then details indented, lists
 * wrapped at about 100 columns. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tls_int.h"
#include "ww/tls.h"

#define WRAP 100 /* columns before a list goes on on the next line */

/* ---- the text being written ----------------------------------------------- */

void tls_tx_vadd(struct tls_tx *t, const char *fmt, va_list ap)
{
	struct ww_tls_text *o = t->o;
	if (o->cut)
		return;
	size_t room = sizeof o->buf - o->len;
	int w = vsnprintf(o->buf + o->len, room, fmt, ap);
	if (w < 0 || (size_t)w >= room) {
		o->len = sizeof o->buf - 1;
		o->buf[o->len] = '\0';
		o->cut = true;
		return;
	}
	o->len += (size_t)w;
}

void tls_tx_add(struct tls_tx *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tls_tx_vadd(t, fmt, ap);
	va_end(ap);
}

/* A new line (the first one needs no break). */
void tls_tx_line(struct tls_tx *t, const char *fmt, ...)
{
	if (t->o->len)
		tls_tx_add(t, "\n");
	t->line_start = t->o->len;
	t->items = 0;
	va_list ap;
	va_start(ap, fmt);
	tls_tx_vadd(t, fmt, ap);
	va_end(ap);
}

/* One item of a comma-separated list, wrapped under CONT. */
void tls_tx_item(struct tls_tx *t, const char *s)
{
	size_t col = t->o->len - t->line_start;
	if (t->items && col + strlen(s) + 2 > WRAP) {
		tls_tx_add(t, ",");
		tls_tx_line(t, "%s", t->cont ? t->cont : "      ");
		t->items = 1;
		tls_tx_add(t, "%s", s);
		return;
	}
	tls_tx_add(t, "%s%s", t->items ? ", " : "", s);
	t->items++;
}

void tls_tx_init(struct tls_tx *t, struct ww_tls_text *o)
{
	memset(t, 0, sizeof *t);
	t->o = o;
	o->len = 0;
	o->buf[0] = '\0';
	o->cut = false;
}

/* Put HEAD (a line or several) at AT, in front of what was written from
 * there on: a summary that needs what the details said. */
void tls_tx_insert(struct tls_tx *t, size_t at, const char *head)
{
	struct ww_tls_text *o = t->o;
	char s[640];
	bool more = o->len > at;
	int n = snprintf(s, sizeof s, "%s%s%s", at ? "\n" : "", head, !at && more ? "\n" : "");
	if (n < 0 || (size_t)n >= sizeof s || at > o->len)
		return;
	size_t k = (size_t)n;
	if (o->len + k >= sizeof o->buf) { /* the tail makes room */
		if (at + k >= sizeof o->buf)
			return;
		o->len = sizeof o->buf - 1 - k;
		o->cut = true;
	}
	memmove(o->buf + at + k, o->buf + at, o->len - at);
	memcpy(o->buf + at, s, k);
	o->len += k;
	o->buf[o->len] = '\0';
}

struct tls_vname tls_vname(uint16_t v)
{
	struct tls_vname n;
	ww_tls_version_str(v, n.s, sizeof n.s);
	return n;
}

/* The text says where it stopped; *ERR gets the cursor's error. */
int tls_tx_finish(struct ww_cursor *c, struct tls_tx *t, struct ww_error *err)
{
	if (ww_cur_ok(c)) {
		if (err)
			err->status = WW_OK;
		return 0;
	}
	tls_tx_line(t, "  (%s: %s)", c->err.status == WW_TRUNCATED ? "cut short" : "malformed",
		c->err.msg);
	if (err)
		*err = c->err;
	return -1;
}

/* ---- the small describers ---------------------------------------------------------- */

int ww_tls_describe_alert(const uint8_t *p, size_t n, struct ww_tls_text *out,
			  struct ww_error *err)
{
	struct tls_tx t;
	struct ww_cursor c;
	tls_tx_init(&t, out);
	ww_cur_init(&c, p, n, 0);
	uint8_t level = ww_cur_u8(&c, "tls.alert_message.level");
	uint8_t desc = ww_cur_u8(&c, "tls.alert_message.desc");
	if (!ww_cur_ok(&c)) {
		tls_tx_add(&t, "Alert");
		return tls_tx_finish(&c, &t, err);
	}
	const char *name = ww_tls_alert_name(desc);
	tls_tx_add(&t, "Alert: %s, %s (%u)", level == 1 ? "warning" : level == 2 ? "fatal" : "level ?",
	       name ? name : "unknown", desc);
	if (desc == 0)
		tls_tx_add(&t, ": this side sends no more data");
	else if (level == 2)
		tls_tx_add(&t, ": the connection ends here");
	if (level != 1 && level != 2)
		ww_cur_invalid(&c, "tls.alert_message.level", "alert level %u is neither 1 (warning) "
			       "nor 2 (fatal)", level);
	else if (ww_cur_left(&c))
		ww_cur_invalid(&c, "tls.alert_message", "%zu bytes after the alert", ww_cur_left(&c));
	return tls_tx_finish(&c, &t, err);
}

int ww_tls_describe_ccs(const uint8_t *p, size_t n, bool tls13, struct ww_tls_text *out,
			struct ww_error *err)
{
	struct tls_tx t;
	struct ww_cursor c;
	tls_tx_init(&t, out);
	ww_cur_init(&c, p, n, 0);
	uint8_t v = ww_cur_u8(&c, "tls.change_cipher_spec");
	if (tls13)
		tls_tx_add(&t, "ChangeCipherSpec: a dummy in TLS 1.3, for middleboxes that expect one "
		       "(RFC 8446 §D.4); the keys changed without it");
	else
		tls_tx_add(&t, "ChangeCipherSpec: from the next record on, this side encrypts");
	if (ww_cur_ok(&c) && (v != 1 || ww_cur_left(&c)))
		ww_cur_invalid(&c, "tls.change_cipher_spec", "change_cipher_spec must be the one "
			       "byte 1");
	return tls_tx_finish(&c, &t, err);
}

int ww_tls_describe_record(const uint8_t *p, size_t n, struct ww_tls_text *out,
			   struct ww_error *err)
{
	struct tls_tx t;
	struct ww_cursor c;
	struct ww_tls_record r;
	tls_tx_init(&t, out);
	ww_cur_init(&c, p, n, 0);
	if (ww_tls_record_parse(&c, &r) == 0 || c.err.status == WW_INVALID) {
		const char *name = ww_tls_content_type_name(r.type);
		char type[40];
		if (name)
			snprintf(type, sizeof type, "%s (%u)", name, r.type);
		else
			snprintf(type, sizeof type, "type %u", r.type);
		tls_tx_add(&t, "record: %s, %s, %u bytes", type, tls_vname(r.version).s, r.length);
	} else {
		tls_tx_add(&t, "record");
	}
	return tls_tx_finish(&c, &t, err);
}
