/* IPv4 (RFC 791). The header, as the RFC draws it (§3.1):
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |Version|  IHL  |   DS field    |          Total Length         |
 *  |         Identification        |Flags|     Fragment Offset     |
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  |                       Source Address                          |
 *  |                    Destination Address                        |
 *  |                    Options (0..40 bytes)                      |
 *
 * The DS field is RFC 2474's DSCP and RFC 3168's ECN (once "type of
 * service"). Options are type-length-value except EOL and NOP, which are
 * one byte; EOL ends the list and zeros pad the header to 4 bytes. */
#include "ww/ipv4.h"

#include <stdio.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dissect.h"

/* Byte offsets in the header. */
enum {
	IP_VIHL = 0, IP_TOS = 1, IP_LEN = 2, IP_ID = 4, IP_FRAG = 6, IP_TTL = 8, IP_PROTO = 9,
	IP_CSUM = 10, IP_SRC = 12, IP_DST = 16, IP_OPTS = 20,
};

const struct ww_tok ww_ipproto_names[] = {
	{ WW_IPPROTO_ICMP, "ICMP" },
	{ 2, "IGMP" },
	{ 4, "IPIP" },
	{ WW_IPPROTO_TCP, "TCP" },
	{ WW_IPPROTO_UDP, "UDP" },
	{ 41, "IPv6" },
	{ 47, "GRE" },
	{ 50, "ESP" },
	{ 51, "AH" },
	{ 58, "ICMPv6" },
	{ 89, "OSPF IGP" },
	{ 103, "PIM" },
	{ 112, "VRRP" },
	{ 132, "SCTP" },
	{ 0, NULL },
};

/* RFC 2474, 2597, 3246, 5865, 8622; Wireshark's wording. */
static const struct ww_tok dscp_names[] = {
	{ 0, "Default" }, { 1, "Lower Effort" },
	{ 8, "Class Selector 1" }, { 10, "Assured Forwarding 11" },
	{ 12, "Assured Forwarding 12" }, { 14, "Assured Forwarding 13" },
	{ 16, "Class Selector 2" }, { 18, "Assured Forwarding 21" },
	{ 20, "Assured Forwarding 22" }, { 22, "Assured Forwarding 23" },
	{ 24, "Class Selector 3" }, { 26, "Assured Forwarding 31" },
	{ 28, "Assured Forwarding 32" }, { 30, "Assured Forwarding 33" },
	{ 32, "Class Selector 4" }, { 34, "Assured Forwarding 41" },
	{ 36, "Assured Forwarding 42" }, { 38, "Assured Forwarding 43" },
	{ 40, "Class Selector 5" }, { 44, "Voice Admit" }, { 46, "Expedited Forwarding" },
	{ 48, "Class Selector 6" }, { 56, "Class Selector 7" },
	{ 0, NULL },
};

/* RFC 3168 §5. */
static const struct ww_tok ecn_names[] = {
	{ 0, "Not ECN-Capable Transport" },
	{ 1, "ECN-Capable Transport codepoint '01'" },
	{ 2, "ECN-Capable Transport codepoint '10'" },
	{ 3, "Congestion Experienced" },
	{ 0, NULL },
};

static const struct ww_tok flag_names[] = {
	{ WW_IP_FLAG_RB, "Reserved bit" },
	{ WW_IP_FLAG_DF, "Don't fragment" },
	{ WW_IP_FLAG_MF, "More fragments" },
	{ 0, NULL },
};

static const struct ww_tok opt_type_names[] = {
	{ WW_IPOPT_EOL, "End of Options List (EOL)" },
	{ WW_IPOPT_NOP, "No-Operation (NOP)" },
	{ 130, "Security" },
	{ WW_IPOPT_LSRR, "Loose Source Route" },
	{ WW_IPOPT_TS, "Time Stamp" },
	{ 133, "Extended Security" },
	{ 134, "Commercial Security" },
	{ WW_IPOPT_RR, "Record Route" },
	{ 136, "Stream ID" },
	{ WW_IPOPT_SSRR, "Strict Source Route" },
	{ 11, "MTU Probe" },
	{ 12, "MTU Reply" },
	{ 82, "Traceroute" },
	{ WW_IPOPT_RA, "Router Alert" },
	{ 149, "Selective Directed Broadcast" },
	{ 25, "Quick-Start" },
	{ 0, NULL },
};

#define FIXED(n, l, a, t, b, off, w) \
	.name = n, .label = l, .alias = a, .type = t, .base = b, .bit_off = off, .bit_width = w
#define OPTION(n, l) \
	{ .name = n, .label = l, .type = WW_FT_BYTES, .bit_off = -1, \
	  .help = "the option's bytes: type, length, data" }

/* Crafting aliases are Scapy's IP field names. */
const struct ww_field ww_ipv4_fields[WW_IP_F_END + 1] = {
	[WW_IP_F_VERSION] = {
		FIXED("ip.version", "Version", "version", WW_FT_UINT, WW_BASE_DEC, 0, 4),
		.help = "4 for IPv4; anything else is not this protocol" },
	[WW_IP_F_HDR_LEN] = {
		FIXED("ip.hdr_len", "Header Length", "ihl", WW_FT_UINT, WW_BASE_DEC, 4, 4),
		.mult = 4, .help = "header bytes, options included: 4 x IHL, 20 to 60" },
	[WW_IP_F_DSFIELD] = {
		FIXED("ip.dsfield", "Differentiated Services Field", "tos", WW_FT_UINT, WW_BASE_HEX,
		      IP_TOS * 8, 8),
		.help = "the old type-of-service byte: DSCP and ECN" },
	[WW_IP_F_DSCP] = {
		FIXED("ip.dsfield.dscp", "Differentiated Services Codepoint", NULL, WW_FT_UINT,
		      WW_BASE_DEC, IP_TOS * 8, 6),
		.vals = dscp_names, .help = "which forwarding treatment routers should give it" },
	[WW_IP_F_ECN] = {
		FIXED("ip.dsfield.ecn", "Explicit Congestion Notification", NULL, WW_FT_UINT,
		      WW_BASE_DEC, IP_TOS * 8 + 6, 2),
		.vals = ecn_names, .help = "a router marks congestion here instead of dropping" },
	[WW_IP_F_LEN] = {
		FIXED("ip.len", "Total Length", "len", WW_FT_UINT, WW_BASE_DEC, IP_LEN * 8, 16),
		.help = "bytes in the datagram, header included; Ethernet padding is not counted" },
	[WW_IP_F_ID] = {
		FIXED("ip.id", "Identification", "id", WW_FT_UINT, WW_BASE_HEX, IP_ID * 8, 16),
		.help = "the same in every fragment of one datagram, so they can be put together" },
	[WW_IP_F_FLAGS] = {
		FIXED("ip.flags", "Flags", "flags", WW_FT_UINT, WW_BASE_HEX, IP_FRAG * 8, 3),
		.flags = WW_F_BITS, .vals = flag_names,
		.help = "reserved, don't fragment, more fragments" },
	[WW_IP_F_FLAG_RB] = {
		FIXED("ip.flags.rb", "Reserved bit", NULL, WW_FT_BOOL, WW_BASE_DEC, IP_FRAG * 8, 1),
		.help = "must be 0" },
	[WW_IP_F_FLAG_DF] = {
		FIXED("ip.flags.df", "Don't fragment", NULL, WW_FT_BOOL, WW_BASE_DEC, IP_FRAG * 8 + 1,
		      1),
		.help = "1: a router must drop the datagram (and say so) rather than fragment it" },
	[WW_IP_F_FLAG_MF] = {
		FIXED("ip.flags.mf", "More fragments", NULL, WW_FT_BOOL, WW_BASE_DEC, IP_FRAG * 8 + 2,
		      1),
		.help = "1: more fragments of this datagram follow" },
	[WW_IP_F_FRAG_OFFSET] = {
		FIXED("ip.frag_offset", "Fragment Offset", "frag", WW_FT_UINT, WW_BASE_DEC,
		      IP_FRAG * 8 + 3, 13),
		.help = "where this fragment's data starts in the datagram, in units of 8 bytes" },
	[WW_IP_F_TTL] = {
		FIXED("ip.ttl", "Time to Live", "ttl", WW_FT_UINT, WW_BASE_DEC, IP_TTL * 8, 8),
		.help = "each router takes one off and drops the datagram at 0" },
	[WW_IP_F_PROTO] = {
		FIXED("ip.proto", "Protocol", "proto", WW_FT_UINT, WW_BASE_DEC, IP_PROTO * 8, 8),
		.vals = ww_ipproto_names, .help = "what the payload is (1 ICMP, 6 TCP, 17 UDP)" },
	[WW_IP_F_CHECKSUM] = {
		FIXED("ip.checksum", "Header Checksum", "chksum", WW_FT_UINT, WW_BASE_HEX,
		      IP_CSUM * 8, 16),
		.help = "RFC 1071 checksum of the header only; every router recomputes it" },
	[WW_IP_F_SRC] = {
		FIXED("ip.src", "Source Address", "src", WW_FT_IPV4, WW_BASE_DEC, IP_SRC * 8, 32),
		.help = "address of the sending host" },
	[WW_IP_F_DST] = {
		FIXED("ip.dst", "Destination Address", "dst", WW_FT_IPV4, WW_BASE_DEC, IP_DST * 8, 32),
		.help = "address of the final receiver, not of the next hop" },
	[WW_IP_F_OPT_TYPE] = {
		.name = "ip.opt.type", .label = "Type", .type = WW_FT_UINT, .bit_off = -1,
		.vals = opt_type_names,
		.help = "option type: copy-on-fragmentation bit, class and number" },
	[WW_IP_F_OPT_LEN] = {
		.name = "ip.opt.len", .label = "Length", .type = WW_FT_UINT, .bit_off = -1,
		.help = "bytes in the option, type and length included" },
	[WW_IP_F_OPT_PADDING] = {
		.name = "ip.opt.padding", .label = "Padding", .type = WW_FT_BYTES, .bit_off = -1,
		.help = "bytes after End of Options List, to a multiple of 4" },
	[WW_IP_F_O_EOL] = OPTION("ip.options.eol", "IP Option - End of Options List (EOL)"),
	[WW_IP_F_O_NOP] = OPTION("ip.options.nop", "IP Option - No-Operation (NOP)"),
	[WW_IP_F_O_SEC] = OPTION("ip.options.security", "IP Option - Security"),
	[WW_IP_F_O_LSRR] = OPTION("ip.options.route", "IP Option - Loose Source Route"),
	[WW_IP_F_O_TS] = OPTION("ip.options.timestamp", "IP Option - Time Stamp"),
	[WW_IP_F_O_EXTSEC] = OPTION("ip.options.ext_security", "IP Option - Extended Security"),
	[WW_IP_F_O_CIPSO] = OPTION("ip.options.cipso", "IP Option - Commercial Security"),
	[WW_IP_F_O_RR] = OPTION("ip.options.record_route", "IP Option - Record Route"),
	[WW_IP_F_O_SID] = OPTION("ip.options.sid", "IP Option - Stream ID"),
	[WW_IP_F_O_SSRR] = OPTION("ip.options.source_route", "IP Option - Strict Source Route"),
	[WW_IP_F_O_MTUP] = OPTION("ip.options.mtu_probe", "IP Option - MTU Probe"),
	[WW_IP_F_O_MTUR] = OPTION("ip.options.mtu_reply", "IP Option - MTU Reply"),
	[WW_IP_F_O_TR] = OPTION("ip.options.traceroute", "IP Option - Traceroute"),
	[WW_IP_F_O_RA] = OPTION("ip.options.routeralert", "IP Option - Router Alert"),
	[WW_IP_F_O_SDB] = OPTION("ip.options.sdb", "IP Option - Selective Directed Broadcast"),
	[WW_IP_F_O_QS] = OPTION("ip.options.qs", "IP Option - Quick-Start"),
	/* Wireshark shows an unknown option without a filter name. */
	[WW_IP_F_O_UNKNOWN] = OPTION("ip.options.unknown", "IP Option - Unknown"),
	[WW_IP_F_END] = { 0 },
};

/* The row for an option's bytes. */
static const struct ww_field *option_row(uint8_t type)
{
	static const struct { uint8_t type, row; } rows[] = {
		{ WW_IPOPT_EOL, WW_IP_F_O_EOL }, { WW_IPOPT_NOP, WW_IP_F_O_NOP },
		{ 130, WW_IP_F_O_SEC }, { WW_IPOPT_LSRR, WW_IP_F_O_LSRR },
		{ WW_IPOPT_TS, WW_IP_F_O_TS }, { 133, WW_IP_F_O_EXTSEC }, { 134, WW_IP_F_O_CIPSO },
		{ WW_IPOPT_RR, WW_IP_F_O_RR }, { 136, WW_IP_F_O_SID },
		{ WW_IPOPT_SSRR, WW_IP_F_O_SSRR }, { 11, WW_IP_F_O_MTUP }, { 12, WW_IP_F_O_MTUR },
		{ 82, WW_IP_F_O_TR }, { WW_IPOPT_RA, WW_IP_F_O_RA }, { 149, WW_IP_F_O_SDB },
		{ 25, WW_IP_F_O_QS },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (rows[i].type == type)
			return &ww_ipv4_fields[rows[i].row];
	return &ww_ipv4_fields[WW_IP_F_O_UNKNOWN];
}

/* Walking the options. The header declares DECL option bytes; HAVE of
 * them are present. A length that runs past the declared header is
 * invalid; one that runs past the bytes present is truncated. */
enum opt_verdict { OPT_OK, OPT_TRUNCATED, OPT_INVALID };

struct ipopt {
	size_t pos, len;   /* offset in the option area; 1 for EOL and NOP */
	uint8_t type;
	/* When the verdict is not OPT_OK: */
	const char *field; /* the field at fault */
	size_t at, need;   /* its offset in the option area; bytes it needs */
	char why[96];      /* OPT_INVALID: for a person */
};

static bool one_byte_option(uint8_t type)
{
	return type == WW_IPOPT_EOL || type == WW_IPOPT_NOP;
}

static enum opt_verdict opt_next(const uint8_t *o, size_t decl, size_t have, size_t pos,
				 struct ipopt *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->pos = opt->at = pos;
	opt->len = opt->need = 1;
	opt->field = ww_ipv4_fields[WW_IP_F_OPT_TYPE].name;
	if (pos >= have)
		return OPT_TRUNCATED;
	opt->type = o[pos];
	if (one_byte_option(opt->type))
		return OPT_OK;
	opt->field = ww_ipv4_fields[WW_IP_F_OPT_LEN].name;
	opt->at = pos + 1;
	if (pos + 1 >= decl) {
		snprintf(opt->why, sizeof opt->why,
			 "IPv4 option %u has no room for its length in the header", opt->type);
		return OPT_INVALID;
	}
	if (pos + 1 >= have)
		return OPT_TRUNCATED;
	opt->len = o[pos + 1];
	if (opt->len < 2) {
		snprintf(opt->why, sizeof opt->why, "IPv4 option %u length %zu < 2", opt->type,
			 opt->len);
		return OPT_INVALID;
	}
	if (pos + opt->len > decl) {
		snprintf(opt->why, sizeof opt->why,
			 "IPv4 option %u length %zu > %zu option bytes left in the header",
			 opt->type, opt->len, decl - pos);
		return OPT_INVALID;
	}
	if (pos + opt->len > have) {
		opt->field = option_row(opt->type)->name;
		opt->at = pos;
		opt->need = opt->len;
		return OPT_TRUNCATED;
	}
	return OPT_OK;
}

/* Check the options at the cursor (DECL bytes declared) and copy them
 * into IP; the cursor ends after them. */
static int read_options(struct ww_cursor *c, struct ww_ipv4 *ip, size_t decl)
{
	if (decl == 0) /* the usual header, without options */
		return 0;
	const uint8_t *o = ww_cur_here(c);
	size_t have = ww_cur_left(c);
	size_t pos = 0;
	while (pos < decl) {
		struct ipopt opt;
		enum opt_verdict v = opt_next(o, decl, have, pos, &opt);
		if (v != OPT_OK) {
			ww_cur_skip(c, opt.at, opt.field);
			if (v == OPT_TRUNCATED)
				return ww_cur_truncated(c, opt.field, opt.need);
			return ww_cur_invalid(c, opt.field, "%s", opt.why);
		}
		pos += opt.len;
		if (opt.type == WW_IPOPT_EOL && have < decl) {
			/* After EOL the rest is padding: it only has to be there. */
			ww_cur_skip(c, pos, "ip.opt.padding");
			return ww_cur_truncated(c, "ip.opt.padding", decl - pos);
		}
		if (opt.type == WW_IPOPT_EOL)
			break;
	}
	ww_cur_copy(c, ip->options, decl, "ip.opt.padding");
	ip->opt_len = (uint8_t)decl;
	return 0;
}

/* An invalid value, recorded at the frame offset of its own field. */
static int invalid_at(struct ww_cursor *c, uint32_t at, const char *field, const char *msg)
{
	ww_cur_invalid(c, field, "%s", msg);
	c->err.offset = at;
	return -1;
}

/* The fixed header after its first byte, when fewer than 20 bytes are
 * there: read field by field, so the error names the field the bytes ran
 * out in; what was read is kept. */
static void read_cut_header(struct ww_cursor *c, struct ww_ipv4 *ip)
{
	ip->tos = ww_cur_u8(c, "ip.dsfield");
	ip->total_len = ww_cur_u16(c, "ip.len");
	ip->id = ww_cur_u16(c, "ip.id");
	/* Flags and fragment offset share a 16-bit word: with one byte there,
	 * the flags are whole and the offset is cut. */
	uint16_t frag = ww_cur_u16(c, ww_cur_left(c) ? "ip.frag_offset" : "ip.flags");
	ip->flags = (uint8_t)(frag >> 13);
	ip->frag_off = frag & 0x1fff;
	ip->ttl = ww_cur_u8(c, "ip.ttl");
	ip->proto = ww_cur_u8(c, "ip.proto");
	ip->checksum = ww_cur_u16(c, "ip.checksum");
	ip->src = ww_cur_u32(c, "ip.src");
	ip->dst = ww_cur_u32(c, "ip.dst");
}

static int parse_header(struct ww_cursor *c, struct ww_ipv4 *ip, bool quoted)
{
	char msg[96];
	memset(ip, 0, sizeof *ip);
	uint32_t start = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	const uint8_t *hdr = ww_cur_here(c);

	uint8_t vihl = ww_cur_u8(c, "ip.version");
	if (!ww_cur_ok(c))
		return -1;
	ip->version = vihl >> 4;
	ip->ihl = vihl & 15;
	size_t hlen = ip->ihl * 4u;
	if (ip->version != 4) {
		snprintf(msg, sizeof msg, "IP version %u, not 4", ip->version);
		return invalid_at(c, start, "ip.version", msg);
	}
	if (ip->ihl < 5) {
		snprintf(msg, sizeof msg, "IPv4 header length %zu < 20", hlen);
		return invalid_at(c, start, "ip.hdr_len", msg);
	}
	if (avail < WW_IPV4_HLEN) {
		read_cut_header(c, ip);
		return -1;
	}
	/* Nearly always: all 20 bytes are there, one bounds check for the
	 * rest of them. */
	ww_cur_bytes(c, WW_IPV4_HLEN - 1, "ip.dsfield");
	ip->tos = hdr[IP_TOS];
	ip->total_len = ww_get16(hdr + IP_LEN);
	ip->id = ww_get16(hdr + IP_ID);
	ip->flags = hdr[IP_FRAG] >> 5;
	ip->frag_off = ww_get16(hdr + IP_FRAG) & 0x1fff;
	ip->ttl = hdr[IP_TTL];
	ip->proto = hdr[IP_PROTO];
	ip->checksum = ww_get16(hdr + IP_CSUM);
	ip->src = ww_get32(hdr + IP_SRC);
	ip->dst = ww_get32(hdr + IP_DST);

	if (ip->total_len < hlen) {
		snprintf(msg, sizeof msg, "IPv4 total length %u < header length %zu", ip->total_len,
			 hlen);
		return invalid_at(c, start + IP_LEN, "ip.len", msg);
	}
	if (read_options(c, ip, hlen - WW_IPV4_HLEN) < 0)
		return -1;
	if (ip->total_len > avail && !quoted) {
		ww_cur_truncated(c, "ip.len", ip->total_len - hlen);
		snprintf(c->err.msg, sizeof c->err.msg, "IPv4 total length %u > %zu bytes left",
			 ip->total_len, avail);
		c->err.offset = start + IP_LEN;
		return -1;
	}
	/* Ethernet padding after the datagram is not payload. A quoted
	 * header's payload is what the ICMP error kept of it. */
	ww_cur_limit(c, ip->total_len - hlen);
	ip->manual = WW_IPV4_MANUAL_IHL | WW_IPV4_MANUAL_LEN | WW_IPV4_MANUAL_CSUM;
	return 0;
}

int ww_ipv4_parse(struct ww_cursor *c, struct ww_ipv4 *ip)
{
	return parse_header(c, ip, false);
}

int ww_ipv4_parse_quoted(struct ww_cursor *c, struct ww_ipv4 *ip)
{
	return parse_header(c, ip, true);
}

void ww_ipv4_init(struct ww_ipv4 *ip)
{
	memset(ip, 0, sizeof *ip);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
}

static size_t emitted_opt_len(const struct ww_ipv4 *ip)
{
	return ip->opt_len > WW_IPV4_MAX_OPTS ? WW_IPV4_MAX_OPTS : ip->opt_len;
}

size_t ww_ipv4_header_len(const struct ww_ipv4 *ip)
{
	return WW_IPV4_HLEN + (emitted_opt_len(ip) + 3) / 4 * 4;
}

size_t ww_ipv4_emit(const struct ww_ipv4 *ip, size_t payload_len, uint8_t *buf, size_t cap)
{
	size_t hlen = ww_ipv4_header_len(ip);
	size_t olen = emitted_opt_len(ip);
	if (cap < hlen)
		return 0;
	uint16_t total = ip->total_len;
	if (!(ip->manual & WW_IPV4_MANUAL_LEN)) {
		if (payload_len > 0xffff - hlen)
			return 0;
		total = (uint16_t)(hlen + payload_len);
	}
	uint8_t ihl = ip->manual & WW_IPV4_MANUAL_IHL ? ip->ihl & 15 : (uint8_t)(hlen / 4);

	buf[IP_VIHL] = (uint8_t)((ip->version & 15) << 4 | ihl);
	buf[IP_TOS] = ip->tos;
	ww_put16(buf + IP_LEN, total);
	ww_put16(buf + IP_ID, ip->id);
	ww_put16(buf + IP_FRAG, (uint16_t)((ip->flags & 7u) << 13 | (ip->frag_off & 0x1fffu)));
	buf[IP_TTL] = ip->ttl;
	buf[IP_PROTO] = ip->proto;
	ww_put16(buf + IP_CSUM, 0);
	ww_put32(buf + IP_SRC, ip->src);
	ww_put32(buf + IP_DST, ip->dst);
	memcpy(buf + IP_OPTS, ip->options, olen);
	memset(buf + IP_OPTS + olen, WW_IPOPT_EOL, hlen - IP_OPTS - olen);
	uint16_t csum = ip->manual & WW_IPV4_MANUAL_CSUM ? ip->checksum : ww_inet_csum(buf, hlen);
	ww_put16(buf + IP_CSUM, csum);
	return hlen;
}

/* Good if the header sums to zero with its checksum in (RFC 1071 §1),
 * else bad, with the value that would have been right: the sum of the
 * rest, which only a bad header needs. */
static void judge_checksum(struct ww_item *it, const uint8_t *hdr, size_t hlen)
{
	if (ww_inet_csum(hdr, hlen) == 0) {
		it->check = WW_CHECK_GOOD;
		return;
	}
	it->check = WW_CHECK_BAD;
	it->expect = ww_csum_finish(ww_sum16(hdr + IP_SRC, hlen - IP_SRC, ww_sum16(hdr, IP_CSUM, 0)));
}

/* Items for the options that are whole and well-formed, in order: the
 * option's bytes, then its type and length beneath. Returns the option
 * bytes shown. */
static size_t add_option_items(struct ww_dissection *d, const uint8_t *o, uint32_t off,
			       size_t decl, size_t have)
{
	size_t pos = 0;
	while (pos < decl) {
		struct ipopt opt;
		if (opt_next(o, decl, have, pos, &opt) != OPT_OK)
			break;
		uint32_t at = off + (uint32_t)pos;
		const struct ww_field *row = option_row(opt.type);
		ww_item_bytes(d, row, at, (uint32_t)opt.len, 0, o + pos, (uint32_t)opt.len);
		/* As in Wireshark, an unknown option is only its bytes, so
		 * ip.opt.type lists the same values tshark prints. */
		if (row != &ww_ipv4_fields[WW_IP_F_O_UNKNOWN]) {
			ww_item_uint(d, &ww_ipv4_fields[WW_IP_F_OPT_TYPE], at, 1, 1, opt.type);
			if (!one_byte_option(opt.type))
				ww_item_uint(d, &ww_ipv4_fields[WW_IP_F_OPT_LEN], at + 1, 1, 1,
					     opt.len);
		}
		pos += opt.len;
		if (opt.type == WW_IPOPT_EOL) {
			size_t end = decl < have ? decl : have;
			if (end > pos)
				ww_item_bytes(d, &ww_ipv4_fields[WW_IP_F_OPT_PADDING],
					      off + (uint32_t)pos, (uint32_t)(end - pos), 0, o + pos,
					      (uint32_t)(end - pos));
			return end;
		}
	}
	return pos;
}

struct ww_layer *ww_ipv4_dissect(struct ww_dissection *d, struct ww_cursor *c)
{
	uint32_t off = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	const uint8_t *hdr = ww_cur_here(c);
	struct ww_layer *l = ww_layer_add(d, WW_P_IPV4, "ip", "Internet Protocol Version 4",
					  ww_ipv4_fields, off);
	/* The header is parsed straight into the layer (if there was room for
	 * one). Inside an ICMP error the quoted datagram is cut short on purpose. */
	struct ww_ipv4 spare;
	int rc = parse_header(c, l ? &l->h.ip : &spare, d->depth > 0);
	if (l) {
		size_t shown = avail < WW_IPV4_HLEN ? avail : WW_IPV4_HLEN;
		struct ww_item *fixed = ww_dissect_fixed_rows(d, ww_ipv4_fields, WW_IP_F_DST + 1,
							      off, (uint32_t)shown);
		/* Options and the checksum only where the header is IPv4 and
		 * its length makes sense, even if the datagram is not right. */
		size_t hlen = shown ? (hdr[0] & 15) * 4u : 0;
		if (shown == WW_IPV4_HLEN && hdr[0] >> 4 == 4 && hlen >= WW_IPV4_HLEN) {
			struct ww_item *checksum =
				ww_fixed_item(d, fixed, ww_ipv4_fields, WW_IP_F_CHECKSUM);
			if (checksum && avail >= hlen)
				judge_checksum(checksum, hdr, hlen);
			size_t have = (avail < hlen ? avail : hlen) - WW_IPV4_HLEN;
			shown += add_option_items(d, hdr + IP_OPTS, off + IP_OPTS,
						  hlen - WW_IPV4_HLEN, have);
		}
		l->len = (uint32_t)shown;
	}
	if (rc < 0 || !l) {
		ww_dissect_error(d, c);
		return NULL;
	}
	return l;
}
