/* TCP header (RFC 9293 §3.1); the options are in tcp_options.c.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sequence Number                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Acknowledgment Number                      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Data |     |A|C|E|U|A|P|R|S|F|                               |
 *  | Offset| Rsrv|E|W|C|R|C|S|S|Y|I|            Window             |
 *  |       |     | |R|E|G|K|H|T|N|N|                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           Checksum            |         Urgent Pointer        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options                    |    Padding    |
 *
 * Wireshark 4.0 calls the bit RFC 3540 named NS "AE" (Accurate ECN). */
#include "ww/tcp.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipv4.h"

const struct ww_tok ww_tcp_flag_names[] = {
	{ WW_TCP_FIN, "FIN" }, { WW_TCP_SYN, "SYN" }, { WW_TCP_RST, "RST" },
	{ WW_TCP_PSH, "PSH" }, { WW_TCP_ACK, "ACK" }, { WW_TCP_URG, "URG" },
	{ WW_TCP_ECE, "ECE" }, { WW_TCP_CWR, "CWR" }, { WW_TCP_AE, "AE" },
	{ WW_TCP_RES, "Reserved" },
	{ 0, NULL },
};

const struct ww_tok ww_tcp_option_names[] = {
	{ 0, "End of Option List (EOL)" },
	{ 1, "No-Operation (NOP)" },
	{ 2, "Maximum Segment Size" },
	{ 3, "Window Scale" },
	{ 4, "SACK Permitted" },
	{ 5, "SACK" },
	{ 8, "Time Stamp Option" },
	{ 28, "User Timeout" },
	{ 29, "TCP Authentication Option" },
	{ 30, "Multipath TCP" },
	{ 34, "TFO - TCP Fast Open" },
	{ 253, "RFC3692-style Experiment 1" },
	{ 254, "RFC3692-style Experiment 2" },
	{ 0, NULL },
};

/* One flag bit, shown beneath tcp.flags; an option's heading (its bytes,
 * as tshark prints it) or one of its numbers, placed by the option walk. */
#define FLAG_BIT(nm, lbl, bit, hlp) \
	{ .name = nm, .label = lbl, .type = WW_FT_BOOL, .bit_off = bit, .bit_width = 1, \
	  .flags = WW_F_NESTED, .help = hlp }
#define OPTION(nm, lbl, hlp) \
	{ .name = nm, .label = lbl, .type = WW_FT_BYTES, .bit_off = -1, .help = hlp }
#define OPTION_UINT(nm, lbl, hlp) \
	{ .name = nm, .label = lbl, .type = WW_FT_UINT, .bit_off = -1, .help = hlp }

const struct ww_field ww_tcp_fields[WW_TCP_F_END + 1] = {
	[WW_TCP_F_SRCPORT] = { .name = "tcp.srcport", .label = "Source Port", .alias = "sport",
			       .type = WW_FT_UINT, .bit_off = 0, .bit_width = 16,
			       .help = "the sending socket's port" },
	[WW_TCP_F_DSTPORT] = { .name = "tcp.dstport", .label = "Destination Port", .alias = "dport",
			       .type = WW_FT_UINT, .bit_off = 16, .bit_width = 16,
			       .help = "the receiving socket's port (HTTP 80, HTTPS 443)" },
	[WW_TCP_F_SEQ] = { .name = "tcp.seq_raw", .label = "Sequence Number (raw)", .alias = "seq",
			   .type = WW_FT_UINT, .bit_off = 32, .bit_width = 32,
			   .help = "number of the first data byte (a SYN or FIN counts as one byte)" },
	[WW_TCP_F_ACK] = { .name = "tcp.ack_raw", .label = "Acknowledgment number (raw)",
			   .alias = "ack", .type = WW_FT_UINT, .bit_off = 64, .bit_width = 32,
			   .help = "next sequence number expected from the other side, when ACK is set" },
	[WW_TCP_F_HDR_LEN] = { .name = "tcp.hdr_len", .label = "Header Length", .alias = "dataofs",
			       .type = WW_FT_UINT, .bit_off = 96, .bit_width = 4, .mult = 4,
			       .help = "header with options in bytes: the data offset field times 4" },
	[WW_TCP_F_FLAGS] = { .name = "tcp.flags", .label = "Flags", .alias = "flags",
			     .type = WW_FT_UINT, .base = WW_BASE_HEX, .bit_off = 100, .bit_width = 12,
			     .flags = WW_F_BITS, .vals = ww_tcp_flag_names,
			     .help = "control bits: SYN opens, FIN closes, RST aborts, ACK acknowledges" },
	/* The reserved bits are one boolean, as tshark prints it. */
	[WW_TCP_F_FLAG_RES] = { .name = "tcp.flags.res", .label = "Reserved", .type = WW_FT_BOOL,
				.bit_off = 100, .bit_width = 3, .flags = WW_F_NESTED,
				.help = "three bits kept for the future: sent as zero" },
	[WW_TCP_F_FLAG_AE] = FLAG_BIT("tcp.flags.ae", "Accurate ECN", 103,
				      "accurate ECN feedback (formerly the ECN nonce, NS)"),
	[WW_TCP_F_FLAG_CWR] = FLAG_BIT("tcp.flags.cwr", "Congestion Window Reduced", 104,
				       "the sender slowed down after an ECN echo"),
	[WW_TCP_F_FLAG_ECE] = FLAG_BIT("tcp.flags.ece", "ECN-Echo", 105,
				       "a router marked congestion on the way here (RFC 3168)"),
	[WW_TCP_F_FLAG_URG] = FLAG_BIT("tcp.flags.urg", "Urgent", 106,
				       "the urgent pointer is meaningful"),
	[WW_TCP_F_FLAG_ACK] = FLAG_BIT("tcp.flags.ack", "Acknowledgment", 107,
				       "the acknowledgment number is meaningful"),
	[WW_TCP_F_FLAG_PUSH] = FLAG_BIT("tcp.flags.push", "Push", 108,
					"deliver the data to the application now"),
	[WW_TCP_F_FLAG_RESET] = FLAG_BIT("tcp.flags.reset", "Reset", 109, "abort the connection"),
	[WW_TCP_F_FLAG_SYN] = FLAG_BIT("tcp.flags.syn", "Syn", 110,
				       "synchronize sequence numbers: opens a connection"),
	[WW_TCP_F_FLAG_FIN] = FLAG_BIT("tcp.flags.fin", "Fin", 111, "no more data from the sender"),
	[WW_TCP_F_WINDOW] = { .name = "tcp.window_size_value", .label = "Window", .alias = "window",
			      .type = WW_FT_UINT, .bit_off = 112, .bit_width = 16,
			      .help = "bytes the sender can still receive, before window scaling" },
	[WW_TCP_F_CHECKSUM] = { .name = "tcp.checksum", .label = "Checksum", .alias = "chksum",
				.type = WW_FT_UINT, .base = WW_BASE_HEX, .bit_off = 128, .bit_width = 16,
				.help = "RFC 1071 sum over pseudo-header, header and data" },
	[WW_TCP_F_URGENT] = { .name = "tcp.urgent_pointer", .label = "Urgent Pointer",
			      .alias = "urgptr", .type = WW_FT_UINT, .bit_off = 144, .bit_width = 16,
			      .help = "offset of the end of urgent data, when URG is set" },
	[WW_TCP_F_OPTIONS] = { .name = "tcp.options", .label = "Options", .alias = "options",
			       .type = WW_FT_BYTES, .bit_off = -1,
			       .help = "all option bytes, padding included" },
	[WW_TCP_F_OPT_EOL] = OPTION("tcp.options.eol", "TCP Option - End of Option List (EOL)",
				    "the options end here"),
	[WW_TCP_F_OPT_NOP] = OPTION("tcp.options.nop", "TCP Option - No-Operation (NOP)",
				    "one byte of filler, to start the next option on a 32-bit boundary"),
	[WW_TCP_F_OPT_MSS] = OPTION("tcp.options.mss", "TCP Option - Maximum segment size",
				    "largest segment the sender can receive (SYN only)"),
	[WW_TCP_F_OPT_WSCALE] = OPTION("tcp.options.wscale", "TCP Option - Window scale",
				       "shift applied to every later window field (SYN only, RFC 7323)"),
	[WW_TCP_F_OPT_SACK_PERM] = OPTION(
		"tcp.options.sack_perm", "TCP Option - SACK permitted",
		"the sender understands selective acknowledgments (SYN only, RFC 2018)"),
	[WW_TCP_F_OPT_SACK] = OPTION("tcp.options.sack", "TCP Option - SACK",
				     "blocks received beyond a gap (RFC 2018)"),
	[WW_TCP_F_OPT_TS] = OPTION("tcp.options.timestamp", "TCP Option - Timestamps",
				   "for round-trip time and wrapped sequence numbers (RFC 7323)"),
	[WW_TCP_F_OPT_UNKNOWN] = OPTION("tcp.options.unknown", "TCP Option - Unknown",
					"an option not decoded here"),
	[WW_TCP_F_OPT_KIND] = { .name = "tcp.option_kind", .label = "Kind", .type = WW_FT_UINT,
				.bit_off = -1, .vals = ww_tcp_option_names, .help = "which option" },
	[WW_TCP_F_OPT_LEN] = OPTION_UINT("tcp.option_len", "Length",
					 "length of the whole option, kind and length included"),
	[WW_TCP_F_MSS_VAL] = OPTION_UINT("tcp.options.mss_val", "MSS Value",
					 "bytes of data per segment"),
	[WW_TCP_F_WSCALE_SHIFT] = OPTION_UINT("tcp.options.wscale.shift", "Shift count",
					      "window fields are shifted left by this"),
	[WW_TCP_F_WSCALE_MULT] = OPTION_UINT("tcp.options.wscale.multiplier", "Multiplier",
					     "2 to the shift count"),
	[WW_TCP_F_SACK_LE] = OPTION_UINT("tcp.options.sack_le", "TCP SACK Left Edge",
					 "first sequence number of a block received"),
	[WW_TCP_F_SACK_RE] = OPTION_UINT("tcp.options.sack_re", "TCP SACK Right Edge",
					 "sequence number just after the block"),
	[WW_TCP_F_TSVAL] = OPTION_UINT("tcp.options.timestamp.tsval", "Timestamp value",
				       "the sender's clock"),
	[WW_TCP_F_TSECR] = OPTION_UINT("tcp.options.timestamp.tsecr", "Timestamp echo reply",
				       "the latest timestamp value received from the other side"),
	[WW_TCP_F_UNKNOWN_PAYLOAD] = OPTION("tcp.options.unknown.payload", "Payload",
					    "the option's value bytes"),
	[WW_TCP_F_LEN] = { .name = "tcp.len", .label = "TCP Segment Len", .type = WW_FT_UINT,
			   .bit_off = -1,
			   .help = "bytes of data after the header (computed, not on the wire)" },
	/* Every byte the segment carries, whatever a layer above makes of
	 * them (TLS records, an HTTP head): `tcp.payload contains "GET"`. */
	[WW_TCP_F_PAYLOAD] = { .name = "tcp.payload", .label = "TCP payload", .type = WW_FT_BYTES,
			       .bit_off = -1,
			       .help = "the data the segment carries, as bytes" },
	[WW_TCP_F_END] = { 0 },
};

/* The 20 fixed bytes when fewer are there: read field by field, so the
 * error names the field the bytes ran out in; what was read is kept. */
static void read_cut_header(struct ww_cursor *c, struct ww_tcp *tcp)
{
	tcp->sport = ww_cur_u16(c, "tcp.srcport");
	tcp->dport = ww_cur_u16(c, "tcp.dstport");
	tcp->seq = ww_cur_u32(c, "tcp.seq_raw");
	tcp->ack = ww_cur_u32(c, "tcp.ack_raw");
	/* The data offset shares its word with the flags, which are never
	 * all there on this path: neither is kept. */
	ww_cur_u8(c, "tcp.hdr_len");
	ww_cur_u8(c, "tcp.flags");
	tcp->window = ww_cur_u16(c, "tcp.window_size_value");
	tcp->checksum = ww_cur_u16(c, "tcp.checksum");
	tcp->urgent = ww_cur_u16(c, "tcp.urgent_pointer");
}

/* The 20 fixed bytes; checks the data offset against the minimum and
 * against the bytes there. The cursor is left on the options. */
static int parse_fixed(struct ww_cursor *c, struct ww_tcp *tcp)
{
	uint32_t doff_at = ww_cur_offset(c) + 12;
	/* Cleared in two halves: the compiler clears each with a few wide
	 * stores, where the whole would take a slow string instruction. */
	memset(tcp, 0, offsetof(struct ww_tcp, opt_len));
	memset(&tcp->opt_len, 0, sizeof *tcp - offsetof(struct ww_tcp, opt_len));
	if (ww_cur_left(c) < WW_TCP_HLEN) {
		read_cut_header(c, tcp);
		return -1;
	}
	/* Nearly always: all 20 bytes are there, one bounds check for all. */
	const uint8_t *p = ww_cur_bytes(c, WW_TCP_HLEN, "tcp.srcport");
	tcp->sport = ww_get16(p);
	tcp->dport = ww_get16(p + 2);
	tcp->seq = ww_get32(p + 4);
	tcp->ack = ww_get32(p + 8);
	tcp->doff = p[12] >> 4;
	tcp->flags = ww_get16(p + 12) & 0x0fff;
	tcp->window = ww_get16(p + 14);
	tcp->checksum = ww_get16(p + 16);
	tcp->urgent = ww_get16(p + 18);
	/* What was on the wire is what a re-emit writes. */
	tcp->manual = WW_TCP_MANUAL_DOFF | WW_TCP_MANUAL_CSUM | WW_TCP_MANUAL_OPTS;
	unsigned hlen = tcp->doff * 4u;
	if (hlen < WW_TCP_HLEN) {
		ww_cur_invalid(c, "tcp.hdr_len", "TCP header length %u < 20 (data offset %u)", hlen,
			       tcp->doff);
		c->err.offset = doff_at;
		return -1;
	}
	size_t left = ww_cur_left(c);
	if (hlen - WW_TCP_HLEN > left) {
		ww_cur_truncated(c, "tcp.hdr_len", hlen - WW_TCP_HLEN);
		snprintf(c->err.msg, sizeof c->err.msg, "TCP header length %u > %zu bytes left", hlen,
			 left + WW_TCP_HLEN);
		c->err.offset = doff_at;
		return -1;
	}
	return 0;
}

/* The option bytes are kept as they are and walked for their meaning. */
static int parse_options(struct ww_cursor *c, struct ww_tcp *tcp, struct ww_dissection *d)
{
	size_t n = tcp->doff * 4u - WW_TCP_HLEN;
	if (n == 0) /* most segments after the handshake */
		return 0;
	tcp->opt_len = (uint8_t)n;
	memcpy(tcp->options, ww_cur_here(c), n);
	size_t old_end = ww_cur_limit(c, n);
	int rc = ww_tcp_options_walk(c, tcp, d);
	ww_cur_unlimit(c, old_end);
	return rc;
}

int ww_tcp_parse(struct ww_cursor *c, struct ww_tcp *tcp)
{
	if (parse_fixed(c, tcp))
		return -1;
	return parse_options(c, tcp, NULL);
}

/* Option bytes to send: as given, or laid out from the fields. N > 40
 * means they do not fit. */
static size_t options_to_send(const struct ww_tcp *tcp, uint8_t out[WW_TCP_MAX_OPTS])
{
	if (!(tcp->manual & WW_TCP_MANUAL_OPTS))
		return ww_tcp_options_layout(tcp, out);
	size_t n = tcp->opt_len > WW_TCP_MAX_OPTS ? WW_TCP_MAX_OPTS : tcp->opt_len;
	memcpy(out, tcp->options, n);
	while (n % 4) /* EOL pads to the 32-bit boundary */
		out[n++] = WW_TCPOPT_EOL;
	return n;
}

size_t ww_tcp_header_len(const struct ww_tcp *tcp)
{
	uint8_t opts[WW_TCP_MAX_OPTS];
	return WW_TCP_HLEN + options_to_send(tcp, opts);
}

size_t ww_tcp_emit(const struct ww_tcp *tcp, uint32_t src, uint32_t dst, uint8_t *seg,
		   size_t seg_len)
{
	uint8_t opts[WW_TCP_MAX_OPTS];
	size_t n = options_to_send(tcp, opts);
	size_t hlen = WW_TCP_HLEN + n;
	if (n > WW_TCP_MAX_OPTS || seg_len < hlen || seg_len > 0xffff)
		return 0;
	uint8_t doff = (tcp->manual & WW_TCP_MANUAL_DOFF) ? (tcp->doff & 0x0f) : (uint8_t)(hlen / 4);
	ww_put16(seg, tcp->sport);
	ww_put16(seg + 2, tcp->dport);
	ww_put32(seg + 4, tcp->seq);
	ww_put32(seg + 8, tcp->ack);
	seg[12] = (uint8_t)(doff << 4 | ((tcp->flags >> 8) & 0x0f));
	seg[13] = (uint8_t)tcp->flags;
	ww_put16(seg + 14, tcp->window);
	ww_put16(seg + 18, tcp->urgent);
	memcpy(seg + WW_TCP_HLEN, opts, n);
	if (tcp->manual & WW_TCP_MANUAL_CSUM) {
		ww_put16(seg + 16, tcp->checksum);
	} else {
		ww_put16(seg + 16, 0);
		ww_put16(seg + 16, ww_l4_csum(src, dst, WW_IPPROTO_TCP, seg, seg_len));
	}
	return hlen;
}

char *ww_tcp_flags_str(uint16_t flags, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	buf[0] = '\0';
	size_t used = 0;
	for (const struct ww_tok *t = ww_tcp_flag_names; t->s; t++) {
		if (!(flags & t->v))
			continue;
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", t->s);
		if (w < 0 || (size_t)w >= n - used) {
			buf[used] = '\0'; /* no half names: cut after the last that fit */
			return buf;
		}
		used += (size_t)w;
	}
	if (used == 0)
		snprintf(buf, n, "<none>");
	return buf;
}

/* SEG is the whole segment (LEN bytes: the IP payload). Good if it sums
 * to zero with the pseudo-header and its checksum in, else bad, with the
 * value that would have been right: the sum of the rest, which only a bad
 * segment needs. */
static void judge_checksum(struct ww_item *it, const struct ww_ipv4 *ip, const uint8_t *seg,
			   size_t len)
{
	if (ww_l4_csum(ip->src, ip->dst, WW_IPPROTO_TCP, seg, len) == 0) {
		it->check = WW_CHECK_GOOD;
		return;
	}
	uint32_t sum = ww_pseudo_sum(ip->src, ip->dst, WW_IPPROTO_TCP, (uint16_t)len);
	sum = ww_sum16(seg, 16, sum);
	sum = ww_sum16(seg + 18, len - 18, sum);
	it->check = WW_CHECK_BAD;
	it->expect = ww_csum_finish(sum);
}

struct ww_layer *ww_tcp_dissect(struct ww_dissection *d, struct ww_cursor *c,
				const struct ww_ipv4 *ip)
{
	uint32_t off = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	const uint8_t *seg = ww_cur_here(c);
	struct ww_layer *l = ww_layer_add(d, WW_P_TCP, "tcp", "Transmission Control Protocol",
					  ww_tcp_fields, off);
	if (!l) {
		/* No room for the layer: parse all the same, to report errors. */
		struct ww_tcp h;
		int rc = parse_fixed(c, &h);
		if (rc == 0)
			rc = parse_options(c, &h, NULL);
		if (rc)
			ww_dissect_error(d, c);
		return NULL;
	}
	/* The header is parsed straight into the layer. */
	struct ww_tcp *h = &l->h.tcp;
	int rc = parse_fixed(c, h);
	l->len = (uint32_t)(avail < WW_TCP_HLEN ? avail : WW_TCP_HLEN);
	struct ww_item *fixed =
		ww_dissect_fixed_rows(d, ww_tcp_fields, WW_TCP_F_URGENT + 1, off, l->len);
	/* Judged once the whole segment is known to be sound. */
	struct ww_item *checksum = ww_fixed_item(d, fixed, ww_tcp_fields, WW_TCP_F_CHECKSUM);
	if (rc) {
		ww_dissect_error(d, c);
		return NULL;
	}
	l->len = h->doff * 4u;
	size_t nopt = l->len - WW_TCP_HLEN;
	if (nopt)
		ww_item_bytes(d, &ww_tcp_fields[WW_TCP_F_OPTIONS], off + WW_TCP_HLEN,
			      (uint32_t)nopt, 0, seg + WW_TCP_HLEN, (uint32_t)nopt);
	if (parse_options(c, h, d)) {
		ww_dissect_error(d, c);
		return NULL;
	}
	size_t payload = ww_cur_left(c);
	ww_item_uint(d, &ww_tcp_fields[WW_TCP_F_LEN], ww_cur_offset(c), 0, 0, payload);
	/* Covering no bytes, as tcp.len: the payload's bytes belong to the
	 * layers above, in the hexdump and the bar. */
	if (payload)
		ww_item_bytes(d, &ww_tcp_fields[WW_TCP_F_PAYLOAD], ww_cur_offset(c), 0, 0,
			      ww_cur_here(c), (uint32_t)payload);
	if (checksum && ip && !ww_ipv4_is_fragment(ip))
		judge_checksum(checksum, ip, seg, avail);
	return l;
}
