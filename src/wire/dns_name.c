/* Domain names: reading them through compression pointers without trusting
 * a byte of the message, writing them with compression, and their
 * presentation forms (RFC 1035 §2.3.1, §3.1, §4.1.4; RFC 4343). */
#include <stdio.h>
#include <string.h>

#include "dns_priv.h"

int ww_dns_fail(struct ww_cursor *c, enum ww_status st, const char *field, uint32_t off,
		const char *fmt, ...)
{
	if (c->err.status)
		return -1;
	c->err.status = st;
	c->err.field = field;
	c->err.offset = off;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err.msg, sizeof c->err.msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* A length byte whose top bits are not 00 (a label) or 11 (a pointer). */
static int bad_label_type(struct ww_cursor *c, const char *field, uint32_t off, uint8_t b)
{
	if ((b & 0xc0) == 0x40)
		return ww_dns_fail(c, WW_INVALID, field, off,
				   "DNS label length %u > 63 (byte 0x%02x: extended label type 0x40, "
				   "not supported)", b, b);
	return ww_dns_fail(c, WW_INVALID, field, off,
			   "DNS label type 0x80 is reserved (length byte 0x%02x)", b);
}

/* The name's bytes in place are read through the cursor, so running out of
 * them is truncation. After the first pointer the labels come from
 * elsewhere in the message; a name there that runs off the end of the
 * message is invalid (the pointer aimed at bytes that hold no name). */
int ww_dns_name_parse(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
		      struct ww_dns_name *n, const char *field)
{
	n->len = 0;
	if (!ww_cur_ok(c))
		return -1;
	size_t seg_start = (size_t)(ww_cur_here(c) - msg); /* first label since the last jump */
	size_t pos = 0;       /* after a jump: next byte to read in MSG */
	bool jumped = false;
	unsigned hops = 0;
	unsigned out = 0;

	for (;;) {
		size_t at = jumped ? pos : (size_t)(ww_cur_here(c) - msg);
		uint32_t at_off = ww_dns_frame_off(c, msg, at);
		uint8_t b;
		if (!jumped) {
			b = ww_cur_u8(c, field);
			if (!ww_cur_ok(c))
				return -1;
		} else if (pos < msg_len) {
			b = msg[pos++];
		} else {
			return ww_dns_fail(c, WW_INVALID, field, at_off,
					   "DNS name at a compression target runs past the end of "
					   "the %zu-byte message", msg_len);
		}

		if (b == 0) {
			n->wire[out++] = 0;
			n->len = (uint8_t)out;
			return 0;
		}
		if ((b & 0xc0) == 0) {
			if (out + 1u + b + 1u > WW_DNS_NAME_MAX)
				return ww_dns_fail(c, WW_INVALID, field, at_off,
						   "DNS name longer than %d bytes", WW_DNS_NAME_MAX);
			const uint8_t *label;
			if (!jumped) {
				label = ww_cur_bytes(c, b, field);
				if (!label)
					return -1;
			} else if (msg_len - pos >= b) {
				label = msg + pos;
				pos += b;
			} else {
				return ww_dns_fail(c, WW_INVALID, field, at_off,
						   "DNS label of %u bytes at a compression target runs "
						   "past the end of the %zu-byte message", b, msg_len);
			}
			n->wire[out] = b;
			memcpy(n->wire + out + 1, label, b);
			out += 1u + b;
			continue;
		}
		if ((b & 0xc0) != 0xc0)
			return bad_label_type(c, field, at_off, b);

		uint8_t lo;
		if (!jumped) {
			lo = ww_cur_u8(c, field);
			if (!ww_cur_ok(c))
				return -1;
		} else if (pos < msg_len) {
			lo = msg[pos++];
		} else {
			return ww_dns_fail(c, WW_INVALID, field, at_off,
					   "DNS compression pointer cut by the end of the message");
		}
		size_t target = (size_t)(b & 0x3f) << 8 | lo;
		if (++hops > WW_DNS_MAX_POINTERS)
			return ww_dns_fail(c, WW_INVALID, field, at_off,
					   "DNS name follows more than %d compression pointers",
					   WW_DNS_MAX_POINTERS);
		if (target >= msg_len)
			return ww_dns_fail(c, WW_INVALID, field, at_off,
					   "DNS compression pointer to offset %zu is past the end of "
					   "the %zu-byte message", target, msg_len);
		if (target >= seg_start)
			return ww_dns_fail(c, WW_INVALID, field, at_off,
					   "DNS compression pointer to offset %zu does not point "
					   "before offset %zu (forward pointer or loop)", target,
					   seg_start);
		seg_start = pos = target;
		jumped = true;
	}
}

bool ww_dns_name_valid(const struct ww_dns_name *n)
{
	if (n->len < 1)
		return false;
	unsigned i = 0;
	while (i < n->len) {
		uint8_t b = n->wire[i];
		if (b == 0)
			return i + 1u == n->len;
		if (b > WW_DNS_LABEL_MAX)
			return false;
		i += 1u + b;
	}
	return false;
}

void ww_dns_name_root(struct ww_dns_name *n)
{
	n->len = 1;
	n->wire[0] = 0;
}

unsigned ww_dns_name_labels(const struct ww_dns_name *n)
{
	unsigned count = 0;
	for (unsigned i = 0; i < n->len && n->wire[i]; i += 1u + n->wire[i])
		count++;
	return count;
}

static uint8_t lower(uint8_t b)
{
	return b >= 'A' && b <= 'Z' ? (uint8_t)(b + 32) : b;
}

/* Compare LEN bytes of wire form, folding ASCII case in label contents
 * only (length bytes are below 64 and never letters anyway). */
static bool wire_eq_nocase(const uint8_t *a, const uint8_t *b, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

bool ww_dns_name_eq(const struct ww_dns_name *a, const struct ww_dns_name *b)
{
	return a->len == b->len && wire_eq_nocase(a->wire, b->wire, a->len);
}

bool ww_dns_name_in_zone(const struct ww_dns_name *n, const struct ww_dns_name *zone)
{
	unsigned i = 0;
	while (i < n->len && n->len - i > zone->len && n->wire[i])
		i += 1u + n->wire[i];
	return n->len - i == zone->len && wire_eq_nocase(n->wire + i, zone->wire, zone->len);
}

/* ---- emit with compression ---- */

static void out_bytes(struct ww_dns_out *out, const void *p, size_t n)
{
	if (out->bad || out->cap - out->pos < n) {
		out->bad = true;
		return;
	}
	memcpy(out->buf + out->pos, p, n);
	out->pos += n;
}

static int comp_find(const struct ww_dns_comp *comp, const uint8_t *wire, uint8_t len)
{
	for (unsigned i = 0; i < comp->n; i++)
		if (comp->e[i].len == len && memcmp(comp->e[i].wire, wire, len) == 0)
			return comp->e[i].off;
	return -1;
}

/* Suffixes match byte for byte, not case-folded: a pointer then never
 * changes how a name is spelled (0x20 case randomisation survives). */
void ww_dns_name_put(struct ww_dns_out *out, const struct ww_dns_name *name, bool compress)
{
	if (out->bad)
		return;
	if (!ww_dns_name_valid(name)) {
		out->bad = true;
		return;
	}
	compress = compress && !out->no_compress;
	struct ww_dns_comp *comp = &out->comp;
	unsigned i = 0;
	while (name->wire[i] != 0) {
		const uint8_t *suffix = name->wire + i;
		uint8_t slen = (uint8_t)(name->len - i);
		if (compress) {
			int at = comp_find(comp, suffix, slen);
			if (at >= 0) {
				uint8_t ptr[2] = { (uint8_t)(0xc0 | at >> 8), (uint8_t)at };
				out_bytes(out, ptr, 2);
				return;
			}
			if (out->pos < 0x4000 && comp->n < WW_DNS_COMP_MAX) {
				comp->e[comp->n].wire = suffix;
				comp->e[comp->n].len = slen;
				comp->e[comp->n].off = (uint16_t)out->pos;
				comp->n++;
			}
		}
		out_bytes(out, suffix, 1u + suffix[0]);
		i += 1u + suffix[0];
	}
	out_bytes(out, "", 1);
}

/* ---- presentation ---- */

/* dig (BIND's dns_name_totext) escapes the characters special in zone
 * files with a backslash and every byte outside printable ASCII, space
 * included, as \DDD in decimal. */
static void put_label_escaped(const uint8_t *p, unsigned len, char *buf, size_t cap, size_t *pos)
{
	for (unsigned i = 0; i < len; i++) {
		uint8_t b = p[i];
		if (b <= 0x20 || b >= 0x7f)
			ww_dns_putf(buf, cap, pos, "\\%03u", b);
		else if (strchr(".;\\()@$\"", b))
			ww_dns_putf(buf, cap, pos, "\\%c", b);
		else
			ww_dns_putc(buf, cap, pos, (char)b);
	}
}

void ww_dns_name_raw_stats(const struct ww_dns_name *n, unsigned *raw_len, unsigned *dots)
{
	*raw_len = 0;
	*dots = 0;
	if (n->len <= 1) {
		*raw_len = 6; /* "<Root>" */
		return;
	}
	for (unsigned i = 0; i < n->len && n->wire[i]; i += 1u + n->wire[i]) {
		if (i) {
			(*raw_len)++;
			(*dots)++;
		}
		*raw_len += n->wire[i];
		for (unsigned k = 0; k < n->wire[i]; k++)
			if (n->wire[i + 1 + k] == '.')
				(*dots)++;
	}
}

static size_t name_text_tshark(const struct ww_dns_name *n, char *buf, size_t cap)
{
	size_t pos = 0;
	if (n->len <= 1) {
		ww_dns_putf(buf, cap, &pos, "<Root>");
		return pos;
	}
	/* tshark formats the dotted string as a whole, so a UTF-8 sequence cut
	 * by a label boundary shows as U+FFFD followed by the dot. */
	uint8_t raw[WW_DNS_NAME_MAX];
	unsigned r = 0;
	for (unsigned i = 0; i < n->len && n->wire[i]; i += 1u + n->wire[i]) {
		if (i)
			raw[r++] = '.';
		memcpy(raw + r, n->wire + i + 1, n->wire[i]);
		r += n->wire[i];
	}
	ww_dns_tshark_text(raw, r, buf, cap, &pos);
	return pos;
}

size_t ww_dns_name_text(const struct ww_dns_name *n, enum ww_dns_name_style style, char *buf,
			size_t cap)
{
	if (cap)
		buf[0] = 0;
	if (style == WW_DNS_NAME_TSHARK)
		return name_text_tshark(n, buf, cap);
	size_t pos = 0;
	if (n->len <= 1) {
		ww_dns_putf(buf, cap, &pos, "%s", style == WW_DNS_NAME_FQDN ? "." : "<Root>");
		return pos;
	}
	for (unsigned i = 0; i < n->len && n->wire[i]; i += 1u + n->wire[i]) {
		if (i)
			ww_dns_putc(buf, cap, &pos, '.');
		put_label_escaped(n->wire + i + 1, n->wire[i], buf, cap, &pos);
	}
	if (style == WW_DNS_NAME_FQDN)
		ww_dns_putc(buf, cap, &pos, '.');
	return pos;
}

static int text_error(struct ww_error *err, const char *msg, const char *text)
{
	if (err) {
		memset(err, 0, sizeof *err);
		err->status = WW_INVALID;
		err->field = "dns.qry.name";
		snprintf(err->msg, sizeof err->msg, "%s: \"%.60s\"", msg, text);
	}
	return -1;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Append label L (LEN bytes) to N; -1 if it breaks a limit. */
static int add_label(struct ww_dns_name *n, const uint8_t *l, unsigned len, struct ww_error *err,
		     const char *text)
{
	if (len == 0)
		return text_error(err, "empty label in DNS name", text);
	if (len > WW_DNS_LABEL_MAX)
		return text_error(err, "DNS label longer than 63 bytes", text);
	if (n->len + 1u + len > WW_DNS_NAME_MAX) /* keep room for the root label */
		return text_error(err, "DNS name longer than 255 bytes", text);
	n->wire[n->len - 1] = (uint8_t)len;
	memcpy(n->wire + n->len, l, len);
	n->len = (uint8_t)(n->len + 1 + len);
	n->wire[n->len - 1] = 0;
	return 0;
}

int ww_dns_name_from_text(struct ww_dns_name *n, const char *text, struct ww_error *err)
{
	ww_dns_name_root(n);
	if (!text)
		return text_error(err, "no DNS name", "");
	if (!*text || strcmp(text, ".") == 0 || strcmp(text, "<Root>") == 0)
		return 0;
	uint8_t label[WW_DNS_LABEL_MAX + 1];
	unsigned len = 0;
	for (const char *s = text;; s++) {
		if (*s == '\0' || *s == '.') {
			if (*s == '\0' && len == 0)
				return 0; /* after a final dot: fully qualified */
			if (add_label(n, label, len, err, text) < 0)
				return -1;
			if (*s == '\0')
				return 0;
			len = 0;
			continue;
		}
		unsigned v = (uint8_t)*s;
		if (*s == '\\') {
			s++;
			if (is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2])) {
				v = (unsigned)(s[0] - '0') * 100 + (unsigned)(s[1] - '0') * 10 +
				    (unsigned)(s[2] - '0');
				if (v > 255)
					return text_error(err, "DNS name escape \\DDD over 255", text);
				s += 2;
			} else if (*s) {
				v = (uint8_t)*s;
			} else {
				return text_error(err, "DNS name ends in a lone backslash", text);
			}
		}
		if (len == WW_DNS_LABEL_MAX)
			return text_error(err, "DNS label longer than 63 bytes", text);
		label[len++] = (uint8_t)v;
	}
}
