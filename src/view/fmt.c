/* Values as a person reads them. */
#include <inttypes.h>
#include <string.h>

#include "view_int.h"

char *ww_fmt_ipv6(const uint8_t addr[16], char *buf)
{
	uint16_t w[8];
	for (int i = 0; i < 8; i++)
		w[i] = (uint16_t)(addr[2 * i] << 8 | addr[2 * i + 1]);
	/* The first longest run of zero groups; a single zero group is not
	 * compressed (RFC 5952 §4.2.2, §4.2.3). */
	int best = -1, best_len = 0;
	for (int i = 0; i < 8;) {
		if (w[i] != 0) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && w[j] == 0)
			j++;
		if (j - i > best_len)
			best = i, best_len = j - i;
		i = j;
	}
	if (best_len < 2)
		best = -1;
	/* ::a.b.c.d and ::ffff:a.b.c.d (RFC 5952 §5), as inet_ntop and tshark. */
	if (best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
		sprintf(buf, "::%s%u.%u.%u.%u", best_len == 5 ? "ffff:" : "", addr[12], addr[13],
			addr[14], addr[15]);
		return buf;
	}
	char *p = buf;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			*p++ = ':';
			i += best_len - 1;
			continue;
		}
		if (i > 0 && i != best + best_len)
			*p++ = ':';
		p += sprintf(p, "%x", w[i]);
	}
	*p = '\0';
	return buf;
}

uint32_t ww_wire_bits(size_t len)
{
	size_t frame = len < WW_ETH_MIN_FRAME ? WW_ETH_MIN_FRAME : len;
	return (uint32_t)((8 + frame + WW_ETH_FCS_LEN + 12) * 8);
}

size_t vw_utf8_seq(const uint8_t *p, size_t n, uint32_t *code_point)
{
	size_t len;
	uint32_t min, cp;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, min = 0x80, cp = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, min = 0x800, cp = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, min = 0x10000, cp = p[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	/* Overlong forms, surrogates, beyond Unicode (RFC 3629). */
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (code_point)
		*code_point = cp;
	return len;
}

size_t vw_utf8_len(const uint8_t *p, size_t n)
{
	/* C1 controls (U+0080..U+009F) are well formed, but some terminals
	 * obey them: never print one raw. */
	uint32_t cp;
	size_t len = vw_utf8_seq(p, n, &cp);
	return len && cp >= 0xa0 ? len : 0;
}

/* Hex digits a field's value is shown with: its width on the wire. */
static int hex_digits(const struct ww_item *it)
{
	if (it->f->bit_off >= 0 && it->f->bit_width)
		return (it->f->bit_width + 3) / 4;
	if (it->len >= 1 && it->len <= 8)
		return (int)it->len * 2;
	return 1;
}

/* Appends to BUF (size N, holding USED bytes) with truncation. */
static size_t add(char *buf, size_t n, size_t used, const char *s, size_t len)
{
	if (used >= n)
		return used;
	size_t room = n - 1 - used;
	if (len > room)
		len = room;
	memcpy(buf + used, s, len);
	buf[used + len] = '\0';
	return used + len;
}

static void fmt_string(const struct ww_item *it, char *buf, size_t n)
{
	bool quote = it->plen == 0;
	for (uint32_t i = 0; i < it->plen; i++)
		if (it->p[i] == ' ' || it->p[i] == '"')
			quote = true;
	size_t used = 0;
	buf[0] = '\0';
	if (quote)
		used = add(buf, n, used, "\"", 1);
	for (uint32_t i = 0; i < it->plen; i++) {
		uint8_t c = it->p[i];
		char e[8];
		size_t u = c >= 0x80 ? vw_utf8_len(it->p + i, it->plen - i) : 0;
		if (u) { /* text the DNS dissector decoded: keep it readable */
			used = add(buf, n, used, (const char *)it->p + i, u);
			i += (uint32_t)u - 1;
		} else if (c == '\r' || c == '\n' || c == '\t') {
			/* As Wireshark shows an HTTP header line: "Host: a\r\n". */
			e[0] = '\\', e[1] = c == '\r' ? 'r' : c == '\n' ? 'n' : 't';
			used = add(buf, n, used, e, 2);
		} else if (c < 0x20 || c >= 0x7f) {
			/* Never pass a frame's bytes to the terminal raw: an escape
			 * sequence in a DNS name must not move the cursor. */
			snprintf(e, sizeof e, "\\x%02x", c);
			used = add(buf, n, used, e, 4);
		} else if (quote && (c == '"' || c == '\\')) {
			e[0] = '\\', e[1] = (char)c;
			used = add(buf, n, used, e, 2);
		} else {
			e[0] = (char)c;
			used = add(buf, n, used, e, 1);
		}
	}
	if (quote)
		add(buf, n, used, "\"", 1);
}

#define SHOW_BYTES 32

static void fmt_bytes(const uint8_t *p, uint32_t plen, char *buf, size_t n)
{
	char hex[2 * SHOW_BYTES + 1];
	uint32_t shown = plen > SHOW_BYTES ? SHOW_BYTES : plen;
	vw_hex(p, shown, hex);
	snprintf(buf, n, "%s%s", hex, plen > SHOW_BYTES ? "…" : "");
}

char *ww_fmt_value(const struct ww_item *it, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	buf[0] = '\0';
	const struct ww_field *f = it->f;
	switch (f->type) {
	case WW_FT_NONE:
		break;
	case WW_FT_UINT:
		if (f->base == WW_BASE_HEX)
			snprintf(buf, n, "0x%0*" PRIx64, hex_digits(it), it->u);
		else
			snprintf(buf, n, "%" PRIu64, it->u);
		break;
	case WW_FT_BOOL:
		snprintf(buf, n, "%" PRIu64, it->u);
		break;
	case WW_FT_IPV4:
		snprintf(buf, n, "%u.%u.%u.%u", (unsigned)(it->u >> 24) & 255,
			 (unsigned)(it->u >> 16) & 255, (unsigned)(it->u >> 8) & 255,
			 (unsigned)it->u & 255);
		break;
	case WW_FT_MAC:
		if (it->p && it->plen == 6) {
			snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", it->p[0], it->p[1],
				 it->p[2], it->p[3], it->p[4], it->p[5]);
			break;
		}
		fmt_bytes(it->p, it->p ? it->plen : 0, buf, n);
		break;
	case WW_FT_IPV6:
		if (it->p && it->plen == 16) {
			char a[46];
			snprintf(buf, n, "%s", ww_fmt_ipv6(it->p, a));
			break;
		}
		fmt_bytes(it->p, it->p ? it->plen : 0, buf, n);
		break;
	case WW_FT_BYTES:
		fmt_bytes(it->p, it->p ? it->plen : 0, buf, n);
		break;
	case WW_FT_STRING:
		fmt_string(it, buf, n);
		break;
	}
	return buf;
}
