/* ICMP for IPv4 (RFC 792; router discovery RFC 1256, address mask RFC 950,
 * next-hop MTU RFC 1191). The first 4 bytes are the same for every type;
 * the meaning of the second word depends on the type, so its fields are
 * added by hand, only for the types that have them, the way Wireshark
 * shows them. What follows the 8-byte header (echo data, a quoted
 * datagram) belongs to the frame dissector. */
#include "ww/icmp.h"

#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dissect.h"

/* Names as Wireshark's packet-icmp.c gives them. */
const struct ww_tok ww_icmp_type_names[] = {
	{ WW_ICMP_ECHO_REPLY, "Echo (ping) reply" },
	{ WW_ICMP_DEST_UNREACH, "Destination unreachable" },
	{ WW_ICMP_SOURCE_QUENCH, "Source quench (flow control)" },
	{ WW_ICMP_REDIRECT, "Redirect" },
	{ 6, "Alternate host address" },
	{ WW_ICMP_ECHO_REQUEST, "Echo (ping) request" },
	{ WW_ICMP_ROUTER_ADVERT, "Router advertisement" },
	{ WW_ICMP_ROUTER_SOLICIT, "Router solicitation" },
	{ WW_ICMP_TIME_EXCEEDED, "Time-to-live exceeded" },
	{ WW_ICMP_PARAM_PROBLEM, "Parameter problem" },
	{ WW_ICMP_TIMESTAMP, "Timestamp request" },
	{ WW_ICMP_TIMESTAMP_REPLY, "Timestamp reply" },
	{ WW_ICMP_INFO_REQUEST, "Information request" },
	{ WW_ICMP_INFO_REPLY, "Information reply" },
	{ WW_ICMP_MASK_REQUEST, "Address mask request" },
	{ WW_ICMP_MASK_REPLY, "Address mask reply" },
	{ WW_ICMP_EXT_ECHO_REQUEST, "Extended Echo request" },
	{ WW_ICMP_EXT_ECHO_REPLY, "Extended Echo reply" },
	{ 0, NULL },
};

static const struct ww_tok unreach_codes[] = {
	{ 0, "Network unreachable" },
	{ 1, "Host unreachable" },
	{ 2, "Protocol unreachable" },
	{ 3, "Port unreachable" },
	{ 4, "Fragmentation needed" },
	{ 5, "Source route failed" },
	{ 6, "Destination network unknown" },
	{ 7, "Destination host unknown" },
	{ 8, "Source host isolated" },
	{ 9, "Network administratively prohibited" },
	{ 10, "Host administratively prohibited" },
	{ 11, "Network unreachable for TOS" },
	{ 12, "Host unreachable for TOS" },
	{ 13, "Communication administratively filtered" },
	{ 14, "Host precedence violation" },
	{ 15, "Precedence cutoff in effect" },
	{ 0, NULL },
};

static const struct ww_tok redirect_codes[] = {
	{ 0, "Redirect for network" },
	{ 1, "Redirect for host" },
	{ 2, "Redirect for TOS and network" },
	{ 3, "Redirect for TOS and host" },
	{ 0, NULL },
};

static const struct ww_tok time_exceeded_codes[] = {
	{ 0, "Time to live exceeded in transit" },
	{ 1, "Fragment reassembly time exceeded" },
	{ 0, NULL },
};

static const struct ww_tok param_problem_codes[] = {
	{ 0, "Pointer indicates the error" },
	{ 1, "Required option missing" },
	{ 2, "Bad length" },
	{ 0, NULL },
};

static const struct ww_tok router_advert_codes[] = {
	{ 0, "Normal router advertisement" },
	{ 16, "Does not route common traffic" },
	{ 0, NULL },
};

/* Type, code and checksum sit at fixed places; the rest varies by type
 * (bit_off -1) and is added by add_second_word. */
const struct ww_field ww_icmp_fields[WW_ICMP_F_END + 1] = {
	[WW_ICMP_F_TYPE] = {
		.name = "icmp.type", .label = "Type", .alias = "type", .type = WW_FT_UINT,
		.bit_off = 0, .bit_width = 8, .vals = ww_icmp_type_names,
		.help = "what kind of message: echo request 8, reply 0, unreachable 3, time exceeded 11" },
	[WW_ICMP_F_CODE] = {
		.name = "icmp.code", .label = "Code", .alias = "code", .type = WW_FT_UINT,
		.bit_off = 8, .bit_width = 8,
		.help = "the reason within the type (port unreachable 3, fragmentation needed 4...)" },
	[WW_ICMP_F_CHECKSUM] = {
		.name = "icmp.checksum", .label = "Checksum", .alias = "chksum", .type = WW_FT_UINT,
		.base = WW_BASE_HEX, .bit_off = 16, .bit_width = 16,
		.help = "RFC 1071 checksum of the whole ICMP message, no pseudo-header" },
	[WW_ICMP_F_IDENT] = {
		.name = "icmp.ident", .label = "Identifier (BE)", .alias = "id", .type = WW_FT_UINT,
		.bit_off = -1,
		.help = "chosen by the sender of a request (Linux ping: per socket), copied into the reply" },
	[WW_ICMP_F_SEQ] = {
		.name = "icmp.seq", .label = "Sequence Number (BE)", .alias = "seq", .type = WW_FT_UINT,
		.bit_off = -1, .help = "counts the requests, copied into the reply" },
	[WW_ICMP_F_UNUSED] = {
		.name = "icmp.unused", .label = "Unused", .alias = "unused", .type = WW_FT_BYTES,
		.bit_off = -1, .help = "sent as zero, ignored by the receiver" },
	[WW_ICMP_F_MTU] = {
		.name = "icmp.mtu", .label = "MTU of next hop", .alias = "nexthopmtu", .type = WW_FT_UINT,
		.bit_off = -1,
		.help = "largest datagram the next link carries (RFC 1191 path MTU discovery)" },
	[WW_ICMP_F_POINTER] = {
		.name = "icmp.pointer", .label = "Pointer", .alias = "ptr", .type = WW_FT_UINT,
		.bit_off = -1, .help = "offset of the byte in the quoted header that is wrong" },
	[WW_ICMP_F_REDIR_GW] = {
		.name = "icmp.redir_gw", .label = "Gateway Address", .alias = "gw", .type = WW_FT_IPV4,
		.bit_off = -1, .help = "the better first hop for the quoted datagram's destination" },
	[WW_ICMP_F_NUM_ADDRS] = {
		.name = "icmp.num_addrs", .label = "Number of addresses", .type = WW_FT_UINT,
		.bit_off = -1, .help = "router addresses in this advertisement" },
	[WW_ICMP_F_ADDR_ENTRY_SIZE] = {
		.name = "icmp.addr_entry_size", .label = "Address entry size", .type = WW_FT_UINT,
		.bit_off = -1, .help = "32-bit words per address entry (2)" },
	[WW_ICMP_F_LIFETIME] = {
		.name = "icmp.lifetime", .label = "Lifetime", .type = WW_FT_UINT, .bit_off = -1,
		.help = "seconds the advertised addresses stay valid" },
	[WW_ICMP_F_END] = { 0 },
};

bool ww_icmp_is_error(uint8_t type)
{
	return type == WW_ICMP_DEST_UNREACH || type == WW_ICMP_SOURCE_QUENCH ||
	       type == WW_ICMP_REDIRECT || type == WW_ICMP_TIME_EXCEEDED ||
	       type == WW_ICMP_PARAM_PROBLEM;
}

bool ww_icmp_has_ident(uint8_t type)
{
	switch (type) {
	case WW_ICMP_ECHO_REPLY:
	case WW_ICMP_ECHO_REQUEST:
	case WW_ICMP_TIMESTAMP:
	case WW_ICMP_TIMESTAMP_REPLY:
	case WW_ICMP_INFO_REQUEST:
	case WW_ICMP_INFO_REPLY:
	case WW_ICMP_MASK_REQUEST:
	case WW_ICMP_MASK_REPLY:
		return true;
	default:
		return false;
	}
}

const char *ww_icmp_code_str(uint8_t type, uint8_t code)
{
	switch (type) {
	case WW_ICMP_DEST_UNREACH:
		return ww_tok_str(unreach_codes, code);
	case WW_ICMP_REDIRECT:
		return ww_tok_str(redirect_codes, code);
	case WW_ICMP_ROUTER_ADVERT:
		return ww_tok_str(router_advert_codes, code);
	case WW_ICMP_TIME_EXCEEDED:
		return ww_tok_str(time_exceeded_codes, code);
	case WW_ICMP_PARAM_PROBLEM:
		return ww_tok_str(param_problem_codes, code);
	default:
		return NULL;
	}
}

/* Which field owns each half of the second word, so that a message cut
 * short names what is missing. */
static void second_word_names(uint8_t type, uint8_t code, const char **hi, const char **lo)
{
	*hi = *lo = "icmp.unused";
	if (ww_icmp_has_ident(type)) {
		*hi = "icmp.ident", *lo = "icmp.seq";
	} else if (type == WW_ICMP_DEST_UNREACH && code == WW_ICMP_FRAG_NEEDED) {
		*lo = "icmp.mtu";
	} else if (type == WW_ICMP_REDIRECT) {
		*hi = *lo = "icmp.redir_gw";
	} else if (type == WW_ICMP_PARAM_PROBLEM) {
		*hi = "icmp.pointer";
	} else if (type == WW_ICMP_ROUTER_ADVERT) {
		*hi = "icmp.num_addrs", *lo = "icmp.lifetime";
	} else if (type == WW_ICMP_EXT_ECHO_REQUEST || type == WW_ICMP_EXT_ECHO_REPLY) {
		*hi = "icmp.ident";
	}
}

int ww_icmp_parse(struct ww_cursor *c, struct ww_icmp *icmp)
{
	*icmp = (struct ww_icmp){ 0 };
	icmp->type = ww_cur_u8(c, "icmp.type");
	icmp->code = ww_cur_u8(c, "icmp.code");
	icmp->checksum = ww_cur_u16(c, "icmp.checksum");
	const char *hi, *lo;
	second_word_names(icmp->type, icmp->code, &hi, &lo);
	icmp->ident = ww_cur_u16(c, hi);
	icmp->seq = ww_cur_u16(c, lo);
	icmp->rest = (uint32_t)icmp->ident << 16 | icmp->seq;
	/* Whatever was there is kept on a re-emit, right or wrong. */
	icmp->manual = WW_ICMP_MANUAL_CSUM;
	return ww_cur_ok(c) ? 0 : -1;
}

size_t ww_icmp_emit(const struct ww_icmp *icmp, uint8_t *msg, size_t msg_len)
{
	if (msg_len < WW_ICMP_HLEN)
		return 0;
	msg[0] = icmp->type;
	msg[1] = icmp->code;
	if (ww_icmp_has_ident(icmp->type)) {
		ww_put16(msg + 4, icmp->ident);
		ww_put16(msg + 6, icmp->seq);
	} else {
		ww_put32(msg + 4, icmp->rest);
	}
	if (icmp->manual & WW_ICMP_MANUAL_CSUM) {
		ww_put16(msg + 2, icmp->checksum);
	} else {
		ww_put16(msg + 2, 0);
		ww_put16(msg + 2, ww_inet_csum(msg, msg_len));
	}
	return WW_ICMP_HLEN;
}

/* HDR is the 8-byte header at frame offset OFF. Items only where
 * Wireshark 4.0 shows them, so every value matches what tshark prints:
 * nothing for source quench or router solicitation (a word of zeros), nor
 * for types it does not know. */
static void add_second_word(struct ww_dissection *d, const struct ww_icmp *h, const uint8_t *hdr,
			    uint32_t off)
{
	if (ww_icmp_has_ident(h->type)) {
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_IDENT], off + 4, 2, 0, h->ident);
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_SEQ], off + 6, 2, 0, h->seq);
		return;
	}
	if (h->type == WW_ICMP_DEST_UNREACH && h->code == WW_ICMP_FRAG_NEEDED) {
		ww_item_bytes(d, &ww_icmp_fields[WW_ICMP_F_UNUSED], off + 4, 2, 0, hdr + 4, 2);
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_MTU], off + 6, 2, 0, h->seq);
		return;
	}
	switch (h->type) {
	case WW_ICMP_DEST_UNREACH:
	case WW_ICMP_TIME_EXCEEDED:
		ww_item_bytes(d, &ww_icmp_fields[WW_ICMP_F_UNUSED], off + 4, 4, 0, hdr + 4, 4);
		break;
	case WW_ICMP_REDIRECT:
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_REDIR_GW], off + 4, 4, 0, h->rest);
		break;
	case WW_ICMP_PARAM_PROBLEM:
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_POINTER], off + 4, 1, 0, hdr[4]);
		ww_item_bytes(d, &ww_icmp_fields[WW_ICMP_F_UNUSED], off + 5, 3, 0, hdr + 5, 3);
		break;
	case WW_ICMP_ROUTER_ADVERT:
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_NUM_ADDRS], off + 4, 1, 0, hdr[4]);
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_ADDR_ENTRY_SIZE], off + 5, 1, 0, hdr[5]);
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_LIFETIME], off + 6, 2, 0, h->seq);
		break;
	case WW_ICMP_EXT_ECHO_REQUEST: /* RFC 8335: 8-bit sequence, flags */
	case WW_ICMP_EXT_ECHO_REPLY:
		ww_item_uint(d, &ww_icmp_fields[WW_ICMP_F_IDENT], off + 4, 2, 0, h->ident);
		break;
	default:
		break;
	}
}

/* MSG is the whole message (LEN bytes): a wrong checksum is shown with
 * the right one beside it. */
static void judge_checksum(struct ww_item *it, const uint8_t *msg, size_t len)
{
	if (ww_inet_csum_ok(msg, len)) {
		it->check = WW_CHECK_GOOD;
		return;
	}
	it->check = WW_CHECK_BAD;
	/* The sum without the checksum field: both regions start on an even
	 * offset, so summing them apart is the same as summing with zeros. */
	it->expect = ww_csum_finish(ww_sum16(msg + 4, len - 4, ww_sum16(msg, 2, 0)));
}

struct ww_layer *ww_icmp_dissect(struct ww_dissection *d, struct ww_cursor *c, bool complete)
{
	uint32_t off = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	const uint8_t *msg = ww_cur_here(c);
	struct ww_layer *l = ww_layer_add(d, WW_P_ICMP, "icmp", "Internet Control Message Protocol",
					  ww_icmp_fields, off);
	struct ww_icmp spare;
	struct ww_icmp *h = l ? &l->h.icmp : &spare; /* parsed straight into the layer */
	int rc = ww_icmp_parse(c, h);
	if (!l) {
		if (rc)
			ww_dissect_error(d, c);
		return NULL;
	}
	l->len = (uint32_t)(avail < WW_ICMP_HLEN ? avail : WW_ICMP_HLEN);
	struct ww_item *fixed =
		ww_dissect_fixed_rows(d, ww_icmp_fields, WW_ICMP_F_CHECKSUM + 1, off, l->len);
	struct ww_item *checksum = ww_fixed_item(d, fixed, ww_icmp_fields, WW_ICMP_F_CHECKSUM);
	if (rc) {
		ww_dissect_error(d, c);
		return NULL;
	}
	add_second_word(d, h, msg, off);
	if (checksum && complete)
		judge_checksum(checksum, msg, avail);
	return l;
}
