/* DNS as text: the value-name tables, dig's presentation format for
 * records (BIND's masterfile style, which dig prints with), and tshark's
 * way of showing odd bytes in names. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dns_priv.h"

/* RFC 1035 §3.2.2, RFC 3596, RFC 6891 and the IANA registry. Types whose
 * rdata this module does not decode still have their names here, for
 * questions and summaries. */
const struct ww_tok ww_dns_type_names[] = {
	{ 1, "A" },        { 2, "NS" },       { 5, "CNAME" },    { 6, "SOA" },
	{ 12, "PTR" },     { 13, "HINFO" },   { 15, "MX" },      { 16, "TXT" },
	{ 28, "AAAA" },    { 33, "SRV" },     { 35, "NAPTR" },   { 41, "OPT" },
	{ 43, "DS" },      { 46, "RRSIG" },   { 47, "NSEC" },    { 48, "DNSKEY" },
	{ 50, "NSEC3" },   { 64, "SVCB" },    { 65, "HTTPS" },   { 99, "SPF" },
	{ 251, "IXFR" },   { 252, "AXFR" },   { 255, "ANY" },    { 257, "CAA" },
	{ 0, NULL },
};

/* RFC 1035 §4.1.1, RFC 2136, RFC 6891 §9 (BADVERS), RFC 7873 (BADCOOKIE). */
const struct ww_tok ww_dns_rcode_names[] = {
	{ 0, "NOERROR" },  { 1, "FORMERR" },  { 2, "SERVFAIL" }, { 3, "NXDOMAIN" },
	{ 4, "NOTIMP" },   { 5, "REFUSED" },  { 6, "YXDOMAIN" }, { 7, "YXRRSET" },
	{ 8, "NXRRSET" },  { 9, "NOTAUTH" },  { 10, "NOTZONE" }, { 16, "BADVERS" },
	{ 23, "BADCOOKIE" }, { 0, NULL },
};

const struct ww_tok ww_dns_class_names[] = {
	{ 1, "IN" }, { 3, "CH" }, { 4, "HS" }, { 254, "NONE" }, { 255, "ANY" }, { 0, NULL },
};

const struct ww_tok ww_dns_opcode_names[] = {
	{ 0, "QUERY" }, { 1, "IQUERY" }, { 2, "STATUS" }, { 4, "NOTIFY" }, { 5, "UPDATE" },
	{ 0, NULL },
};

void ww_dns_putf(char *buf, size_t cap, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *dst = *pos < cap ? buf + *pos : NULL;
	int n = vsnprintf(dst, dst ? cap - *pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n;
}

void ww_dns_putc(char *buf, size_t cap, size_t *pos, char ch)
{
	if (*pos + 1 < cap) {
		buf[*pos] = ch;
		buf[*pos + 1] = 0;
	} else if (*pos < cap) {
		buf[*pos] = 0;
	}
	(*pos)++;
}

/* ---- tshark's format_text() ---- */

static void put_ascii_escape(uint8_t c, char *buf, size_t cap, size_t *pos)
{
	static const char esc[] = { ['\a'] = 'a', ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
				    ['\r'] = 'r', ['\t'] = 't', ['\v'] = 'v' };
	if (c < sizeof esc && esc[c])
		ww_dns_putf(buf, cap, pos, "\\%c", esc[c]);
	else
		ww_dns_putf(buf, cap, pos, "\\%03o", c);
}

static void put_utf8(uint32_t uc, char *buf, size_t cap, size_t *pos)
{
	if (uc < 0x80) {
		ww_dns_putc(buf, cap, pos, (char)uc);
	} else if (uc < 0x800) {
		ww_dns_putc(buf, cap, pos, (char)(0xc0 | uc >> 6));
		ww_dns_putc(buf, cap, pos, (char)(0x80 | (uc & 0x3f)));
	} else if (uc < 0x10000) {
		ww_dns_putc(buf, cap, pos, (char)(0xe0 | uc >> 12));
		ww_dns_putc(buf, cap, pos, (char)(0x80 | ((uc >> 6) & 0x3f)));
		ww_dns_putc(buf, cap, pos, (char)(0x80 | (uc & 0x3f)));
	} else {
		ww_dns_putc(buf, cap, pos, (char)(0xf0 | uc >> 18));
		ww_dns_putc(buf, cap, pos, (char)(0x80 | ((uc >> 12) & 0x3f)));
		ww_dns_putc(buf, cap, pos, (char)(0x80 | ((uc >> 6) & 0x3f)));
		ww_dns_putc(buf, cap, pos, (char)(0x80 | (uc & 0x3f)));
	}
}

/* Decode one UTF-8 sequence whose first byte is *C (>= 0x80) as tshark
 * does: permissively (overlong forms pass), U+FFFD for anything it cannot
 * use. On return *C is the last byte examined. */
static uint32_t utf8_decode(const uint8_t **s, const uint8_t *end, uint8_t *c)
{
	int more;
	uint8_t mask;
	if ((*c & 0xe0) == 0xc0)
		more = 1, mask = 0x1f;
	else if ((*c & 0xf0) == 0xe0)
		more = 2, mask = 0x0f;
	else if ((*c & 0xf8) == 0xf0)
		more = 3, mask = 0x07;
	else if ((*c & 0xfc) == 0xf8)
		more = 4, mask = 0x03;
	else if ((*c & 0xfe) == 0xfc)
		more = 5, mask = 0x01;
	else
		return 0xfffd; /* a continuation byte, 0xfe or 0xff */
	uint32_t uc = *c & mask;
	for (int i = 0; i < more; i++) {
		if (*s >= end)
			return 0xfffd;
		*c = **s;
		if ((*c & 0xc0) != 0x80)
			return 0xfffd; /* this byte starts the next character */
		(*s)++;
		uc = uc << 6 | (*c & 0x3f);
	}
	if (uc >= 0x110000 || (uc & 0xfffff800) == 0xd800)
		return 0xfffd;
	return uc;
}

void ww_dns_tshark_text(const uint8_t *s, size_t len, char *buf, size_t cap, size_t *pos)
{
	const uint8_t *end = s + len;
	if (cap && *pos < cap)
		buf[*pos] = 0;
	while (s < end) {
		uint8_t c = *s++;
		if (c >= 0x20 && c < 0x7f) {
			ww_dns_putc(buf, cap, pos, (char)c);
			continue;
		}
		if (c < 0x80) {
			put_ascii_escape(c, buf, cap, pos);
			continue;
		}
		uint32_t uc = utf8_decode(&s, end, &c);
		if (ww_dns_unichar_printable(uc))
			put_utf8(uc, buf, cap, pos);
		else if (c < 0x80)
			put_ascii_escape(c, buf, cap, pos);
		else if (uc <= 0xffff)
			ww_dns_putf(buf, cap, pos, "\\u%04X", uc);
		else
			ww_dns_putf(buf, cap, pos, "\\U%08X", uc);
	}
}

/* ---- dig's presentation format ---- */

static bool rdata_decoded(uint16_t type)
{
	switch (type) {
	case WW_DNS_A: case WW_DNS_NS: case WW_DNS_CNAME: case WW_DNS_SOA: case WW_DNS_PTR:
	case WW_DNS_MX: case WW_DNS_TXT: case WW_DNS_AAAA: case WW_DNS_OPT:
		return true;
	default:
		return false;
	}
}

const char *ww_dns_type_str(uint16_t type, char *buf)
{
	const char *s = rdata_decoded(type) ? ww_tok_str(ww_dns_type_names, type) : NULL;
	if (s)
		return s;
	snprintf(buf, 16, "TYPE%u", type);
	return buf;
}

/* Questions carry no rdata, so every known type keeps its name there. */
static const char *qtype_str(uint16_t type, char *buf)
{
	const char *s = ww_tok_str(ww_dns_type_names, type);
	if (s)
		return s;
	snprintf(buf, 16, "TYPE%u", type);
	return buf;
}

const char *ww_dns_class_str(uint16_t rclass, char *buf)
{
	const char *s = ww_tok_str(ww_dns_class_names, rclass);
	if (s)
		return s;
	snprintf(buf, 16, "CLASS%u", rclass);
	return buf;
}

const char *ww_dns_rcode_str(unsigned rcode, char *buf)
{
	const char *s = ww_tok_str(ww_dns_rcode_names, rcode);
	if (s)
		return s;
	snprintf(buf, 16, "RCODE%u", rcode);
	return buf;
}

/* A character-string in quotes: '"' and '\' escaped with a backslash,
 * bytes outside printable ASCII as \DDD (space stays). */
static void put_txt_string(const uint8_t *s, size_t n, char *buf, size_t cap, size_t *pos)
{
	ww_dns_putc(buf, cap, pos, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] >= 0x7f)
			ww_dns_putf(buf, cap, pos, "\\%03u", s[i]);
		else if (s[i] == '"' || s[i] == '\\')
			ww_dns_putf(buf, cap, pos, "\\%c", s[i]);
		else
			ww_dns_putc(buf, cap, pos, (char)s[i]);
	}
	ww_dns_putc(buf, cap, pos, '"');
}

/* RFC 3597 §5: "\# LEN HEX", the hex in words of 28 bytes as dig splits it. */
static void put_generic(const struct ww_dns_rr *rr, char *buf, size_t cap, size_t *pos)
{
	size_t n = rr->rd.bytes.len < WW_DNS_RDATA_MAX ? rr->rd.bytes.len : WW_DNS_RDATA_MAX;
	ww_dns_putf(buf, cap, pos, "\\# %zu", n);
	for (size_t i = 0; i < n; i++) {
		if (i % 28 == 0)
			ww_dns_putc(buf, cap, pos, ' ');
		ww_dns_putf(buf, cap, pos, "%02X", rr->rd.bytes.b[i]);
	}
}

static void put_name(const struct ww_dns_name *n, char *buf, size_t cap, size_t *pos)
{
	char tmp[WW_DNS_TEXT_MAX];
	ww_dns_name_text(n, WW_DNS_NAME_FQDN, tmp, sizeof tmp);
	ww_dns_putf(buf, cap, pos, "%s", tmp);
}

size_t ww_dns_rdata_text(const struct ww_dns_rr *rr, char *buf, size_t cap)
{
	size_t pos = 0;
	if (cap)
		buf[0] = 0;
	switch (rr->type) {
	case WW_DNS_A:
		ww_dns_putf(buf, cap, &pos, "%u.%u.%u.%u", rr->rd.a >> 24, (rr->rd.a >> 16) & 0xff,
			    (rr->rd.a >> 8) & 0xff, rr->rd.a & 0xff);
		break;
	case WW_DNS_AAAA: {
		char tmp[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, rr->rd.aaaa, tmp, sizeof tmp);
		ww_dns_putf(buf, cap, &pos, "%s", tmp);
		break;
	}
	case WW_DNS_CNAME: case WW_DNS_NS: case WW_DNS_PTR:
		put_name(&rr->rd.name, buf, cap, &pos);
		break;
	case WW_DNS_MX:
		ww_dns_putf(buf, cap, &pos, "%u ", rr->rd.mx.preference);
		put_name(&rr->rd.mx.exchange, buf, cap, &pos);
		break;
	case WW_DNS_SOA: {
		const struct ww_dns_soa *soa = &rr->rd.soa;
		put_name(&soa->mname, buf, cap, &pos);
		ww_dns_putc(buf, cap, &pos, ' ');
		put_name(&soa->rname, buf, cap, &pos);
		ww_dns_putf(buf, cap, &pos, " %u %u %u %u %u", soa->serial, soa->refresh, soa->retry,
			    soa->expire, soa->minimum);
		break;
	}
	case WW_DNS_TXT: {
		size_t at = 0, n;
		const uint8_t *s;
		for (bool first = true; ww_dns_txt_next(rr, &at, &s, &n); first = false) {
			if (!first)
				ww_dns_putc(buf, cap, &pos, ' ');
			put_txt_string(s, n, buf, cap, &pos);
		}
		break;
	}
	default:
		put_generic(rr, buf, cap, &pos);
	}
	return pos;
}

/* BIND's indent(): tabs (8 wide) up to column TO, or a single space when
 * already there or past it. */
static void indent(char *buf, size_t cap, size_t *pos, size_t *col, size_t to)
{
	size_t from = *col;
	if (to < from + 1)
		to = from + 1;
	size_t ntabs = to / 8 - from / 8;
	size_t nspaces = ntabs ? to % 8 : to - from;
	while (ntabs--)
		ww_dns_putc(buf, cap, pos, '\t');
	while (nspaces--)
		ww_dns_putc(buf, cap, pos, ' ');
	*col = to;
}

/* Separate the columns: dig's tab stops, or one tab. */
static void next_column(char *buf, size_t cap, size_t *pos, size_t *col, size_t to, unsigned flags)
{
	if (flags & WW_DNS_TEXT_COLUMNS)
		indent(buf, cap, pos, col, to);
	else
		ww_dns_putc(buf, cap, pos, '\t');
}

/* Write S and advance the column by its length (nothing here contains a
 * tab or a multi-byte character: names and rdata are escaped). */
static void put_col(const char *s, char *buf, size_t cap, size_t *pos, size_t *col)
{
	size_t before = *pos;
	ww_dns_putf(buf, cap, pos, "%s", s);
	*col += *pos - before;
}

/* dig's OPT pseudo-section line (BIND's message rendering). */
static size_t opt_text(const struct ww_dns_rr *rr, char *buf, size_t cap)
{
	size_t pos = 0;
	ww_dns_putf(buf, cap, &pos, "; EDNS: version: %u, flags:%s; ", ww_dns_opt_version(rr),
		    ww_dns_opt_do(rr) ? " do" : "");
	if (ww_dns_opt_z(rr))
		ww_dns_putf(buf, cap, &pos, "MBZ: 0x%04x, ", ww_dns_opt_z(rr));
	ww_dns_putf(buf, cap, &pos, "udp: %u", ww_dns_opt_udp_size(rr));
	return pos;
}

size_t ww_dns_rr_text(const struct ww_dns_rr *rr, unsigned flags, char *buf, size_t cap)
{
	if (cap)
		buf[0] = 0;
	if (rr->type == WW_DNS_OPT)
		return opt_text(rr, buf, cap);
	size_t pos = 0, col = 0;
	char name[WW_DNS_TEXT_MAX], num[16];
	ww_dns_name_text(&rr->rrname, WW_DNS_NAME_FQDN, name, sizeof name);
	put_col(name, buf, cap, &pos, &col);
	next_column(buf, cap, &pos, &col, 24, flags);
	snprintf(num, sizeof num, "%u", rr->ttl);
	put_col(num, buf, cap, &pos, &col);
	next_column(buf, cap, &pos, &col, 32, flags);
	put_col(ww_dns_class_str(rr->rclass, num), buf, cap, &pos, &col);
	next_column(buf, cap, &pos, &col, 40, flags);
	put_col(ww_dns_type_str(rr->type, num), buf, cap, &pos, &col);
	next_column(buf, cap, &pos, &col, 48, flags);
	size_t rest = ww_dns_rdata_text(rr, pos < cap ? buf + pos : NULL, pos < cap ? cap - pos : 0);
	return pos + rest;
}

size_t ww_dns_question_text(const struct ww_dns_question *q, unsigned flags, char *buf,
			    size_t cap)
{
	if (cap)
		buf[0] = 0;
	size_t pos = 0, col = 0;
	char name[WW_DNS_TEXT_MAX], num[16];
	ww_dns_name_text(&q->qname, WW_DNS_NAME_FQDN, name, sizeof name);
	put_col(";", buf, cap, &pos, &col);
	put_col(name, buf, cap, &pos, &col);
	next_column(buf, cap, &pos, &col, 32, flags);
	put_col(ww_dns_class_str(q->qclass, num), buf, cap, &pos, &col);
	next_column(buf, cap, &pos, &col, 40, flags);
	put_col(qtype_str(q->qtype, num), buf, cap, &pos, &col);
	return pos;
}
