/* TCP options (RFC 9293 §3.2): kind, length, value; NOP and EOL are a
 * single byte. Understood here: MSS (RFC 9293), window scale and
 * timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018). Any other
 * option is kept as bytes. */
#include <string.h>

#include "ww/bytes.h"
#include "ww/dissect.h"
#include "ww/tcp.h"

/* One option being walked: where it is and how to add its items. */
struct opt {
	struct ww_dissection *d; /* NULL when only parsing */
	uint32_t off;            /* frame offset of the kind byte */
	const uint8_t *p;        /* the kind byte */
	uint8_t kind, len;       /* len: the whole option, kind byte included */
	const struct ww_field *head; /* the row for the option's bytes */
};

/* A number inside the option, AT bytes from its kind byte. */
static inline void add_uint(const struct opt *o, enum ww_tcp_field_row row, uint32_t at,
			    uint32_t len, uint64_t v)
{
	if (o->d)
		ww_item_uint(o->d, &ww_tcp_fields[row], o->off + at, len, 2, v);
}

/* The row for the option's bytes. */
static const struct ww_field *heading(uint8_t kind)
{
	enum ww_tcp_field_row row;
	switch (kind) {
	case WW_TCPOPT_EOL: row = WW_TCP_F_OPT_EOL; break;
	case WW_TCPOPT_NOP: row = WW_TCP_F_OPT_NOP; break;
	case WW_TCPOPT_MSS: row = WW_TCP_F_OPT_MSS; break;
	case WW_TCPOPT_WSCALE: row = WW_TCP_F_OPT_WSCALE; break;
	case WW_TCPOPT_SACK_PERM: row = WW_TCP_F_OPT_SACK_PERM; break;
	case WW_TCPOPT_SACK: row = WW_TCP_F_OPT_SACK; break;
	case WW_TCPOPT_TS: row = WW_TCP_F_OPT_TS; break;
	default: row = WW_TCP_F_OPT_UNKNOWN; break;
	}
	return &ww_tcp_fields[row];
}

/* The option's own heading (its bytes, as tshark prints it), its kind and,
 * for all but NOP and EOL, its length. */
static inline void add_heading(const struct opt *o)
{
	if (!o->d)
		return;
	uint32_t n = o->len ? o->len : 1;
	ww_item_bytes(o->d, o->head, o->off, n, 1, o->p, n);
	add_uint(o, WW_TCP_F_OPT_KIND, 0, 1, o->kind);
	if (o->len)
		add_uint(o, WW_TCP_F_OPT_LEN, 1, 1, o->len);
}

static int bad_option(struct ww_cursor *c, const struct opt *o, const char *what, unsigned want)
{
	ww_cur_invalid(c, o->head->name, "TCP %s option length %u, should be %u", what,
		       o->len, want);
	c->err.offset = o->off + 1;
	return -1;
}

/* Check the length the kind demands, keep the value, add the items. */
static int understand(struct ww_cursor *c, struct ww_tcp *tcp, const struct opt *o)
{
	const uint8_t *v = o->p + 2;
	switch (o->kind) {
	case WW_TCPOPT_MSS:
		if (o->len != 4)
			return bad_option(c, o, "MSS", 4);
		tcp->has_mss = true;
		tcp->mss = ww_get16(v);
		add_uint(o, WW_TCP_F_MSS_VAL, 2, 2, tcp->mss);
		return 0;
	case WW_TCPOPT_WSCALE:
		if (o->len != 3)
			return bad_option(c, o, "window scale", 3);
		tcp->has_wscale = true;
		tcp->wscale = v[0];
		add_uint(o, WW_TCP_F_WSCALE_SHIFT, 2, 1, v[0]);
		/* A shift above 14 is taken as 14 (RFC 7323 §2.3), as Wireshark shows. */
		add_uint(o, WW_TCP_F_WSCALE_MULT, 2, 1, 1u << (v[0] > 14 ? 14 : v[0]));
		return 0;
	case WW_TCPOPT_SACK_PERM:
		if (o->len != 2)
			return bad_option(c, o, "SACK-permitted", 2);
		tcp->sack_perm = true;
		return 0;
	case WW_TCPOPT_SACK: {
		unsigned n = (o->len - 2u) / 8;
		if (o->len < 10 || (o->len - 2u) % 8 != 0) {
			ww_cur_invalid(c, "tcp.options.sack",
				       "TCP SACK option length %u, should be 2 + 8 per block", o->len);
			c->err.offset = o->off + 1;
			return -1;
		}
		tcp->nsack = (uint8_t)n; /* at most 4: 2 + 40 is past any header */
		for (unsigned i = 0; i < n; i++) {
			tcp->sack[i].left = ww_get32(v + 8 * i);
			tcp->sack[i].right = ww_get32(v + 8 * i + 4);
			add_uint(o, WW_TCP_F_SACK_LE, 2 + 8 * i, 4, tcp->sack[i].left);
			add_uint(o, WW_TCP_F_SACK_RE, 6 + 8 * i, 4, tcp->sack[i].right);
		}
		return 0;
	}
	case WW_TCPOPT_TS:
		if (o->len != 10)
			return bad_option(c, o, "timestamps", 10);
		tcp->has_ts = true;
		tcp->tsval = ww_get32(v);
		tcp->tsecr = ww_get32(v + 4);
		add_uint(o, WW_TCP_F_TSVAL, 2, 4, tcp->tsval);
		add_uint(o, WW_TCP_F_TSECR, 6, 4, tcp->tsecr);
		return 0;
	default:
		if (o->d && o->len > 2)
			ww_item_bytes(o->d, &ww_tcp_fields[WW_TCP_F_UNKNOWN_PAYLOAD], o->off + 2,
				      o->len - 2u, 2, v, o->len - 2u);
		return 0;
	}
}

/* After EOL the rest is padding. Zero padding is a run of EOLs and is
 * shown as such; anything else is skipped unread. Both as Wireshark does. */
static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

int ww_tcp_options_walk(struct ww_cursor *c, struct ww_tcp *tcp, struct ww_dissection *d)
{
	while (ww_cur_left(c) > 0) {
		struct opt o = { .d = d, .off = ww_cur_offset(c), .p = ww_cur_here(c) };
		o.kind = ww_cur_u8(c, "tcp.option_kind");
		o.head = heading(o.kind);
		if (o.kind == WW_TCPOPT_NOP || o.kind == WW_TCPOPT_EOL) {
			add_heading(&o);
			if (o.kind == WW_TCPOPT_EOL && !all_zero(ww_cur_here(c), ww_cur_left(c)))
				ww_cur_skip(c, ww_cur_left(c), "tcp.options");
			continue;
		}
		size_t left = ww_cur_left(c);
		if (left == 0) {
			ww_cur_invalid(c, "tcp.option_len",
				       "TCP option %u has no length byte before the header ends", o.kind);
			c->err.offset = o.off;
			return -1;
		}
		o.len = ww_cur_u8(c, "tcp.option_len");
		if (o.len < 2 || o.len - 2u > left - 1) {
			if (o.len < 2)
				ww_cur_invalid(c, "tcp.option_len", "TCP option %u length %u < 2",
					       o.kind, o.len);
			else
				ww_cur_invalid(c, "tcp.option_len",
					       "TCP option %u length %u runs past the header (%zu bytes left)",
					       o.kind, o.len, left + 1);
			c->err.offset = o.off + 1;
			return -1;
		}
		ww_cur_skip(c, o.len - 2u, o.head->name);
		add_heading(&o);
		if (understand(c, tcp, &o))
			return -1;
	}
	return ww_cur_ok(c) ? 0 : -1;
}

static size_t put_word(uint8_t *p, uint8_t a, uint8_t b, uint8_t x, uint8_t y)
{
	p[0] = a, p[1] = b, p[2] = x, p[3] = y;
	return 4;
}

/* The order of Linux's tcp_options_write: options start on 32-bit
 * boundaries, NOPs fill the gaps, and SACK-permitted shares a word with
 * the timestamps' kind and length when both are sent. */
size_t ww_tcp_options_layout(const struct ww_tcp *tcp, uint8_t out[WW_TCP_MAX_OPTS])
{
	uint8_t buf[64];
	size_t n = 0;
	if (tcp->has_mss)
		n += put_word(buf + n, WW_TCPOPT_MSS, 4, (uint8_t)(tcp->mss >> 8), (uint8_t)tcp->mss);
	if (tcp->has_ts) {
		if (tcp->sack_perm)
			n += put_word(buf + n, WW_TCPOPT_SACK_PERM, 2, WW_TCPOPT_TS, 10);
		else
			n += put_word(buf + n, WW_TCPOPT_NOP, WW_TCPOPT_NOP, WW_TCPOPT_TS, 10);
		ww_put32(buf + n, tcp->tsval);
		ww_put32(buf + n + 4, tcp->tsecr);
		n += 8;
	} else if (tcp->sack_perm) {
		n += put_word(buf + n, WW_TCPOPT_NOP, WW_TCPOPT_NOP, WW_TCPOPT_SACK_PERM, 2);
	}
	if (tcp->has_wscale)
		n += put_word(buf + n, WW_TCPOPT_NOP, WW_TCPOPT_WSCALE, 3, tcp->wscale);
	unsigned nsack = tcp->nsack > WW_TCP_MAX_SACK ? WW_TCP_MAX_SACK : tcp->nsack;
	if (nsack) {
		n += put_word(buf + n, WW_TCPOPT_NOP, WW_TCPOPT_NOP, WW_TCPOPT_SACK,
			      (uint8_t)(2 + 8 * nsack));
		for (unsigned i = 0; i < nsack; i++) {
			ww_put32(buf + n, tcp->sack[i].left);
			ww_put32(buf + n + 4, tcp->sack[i].right);
			n += 8;
		}
	}
	if (n <= WW_TCP_MAX_OPTS)
		memcpy(out, buf, n);
	return n;
}
