/* The DNS field table and dissector. Names and values are tshark 4.0's
 * (checked against `tshark -T fields` on captures of nsd, unbound and
 * dig), quirks included:
 * - a query (QR = 0) shows no authoritative, recavail or rcode flag, and
 *   its authenticated (AD) flag only when set;
 * - UPDATE (opcode 5) names its counts zones, prerequisites, updates;
 * - names are shown as tshark's format_text() shows them, root "<Root>";
 *   dns.qry.name.len and dns.count.labels are 0 for a one-byte name;
 * - OPT has no dns.resp.class or dns.resp.ttl: its class is
 *   dns.rr.udp_payload_size and its TTL is split into ext_rcode, version
 *   and Z (with the DO bit);
 * - a TXT string is cut at its first NUL and each byte from 0x80 shows as
 *   U+FFFD;
 * - rdata of a type not decoded here is dns.data (none if empty); tshark
 *   decodes more types (SRV, DS...) into fields of their own.
 * A record's items sit at depth 1, in frame order; tshark's -T fields
 * lists each field's occurrences in that same order. */
#include <string.h>

#include "ww/bytes.h"
#include "ww/dissect.h"
#include "dns_priv.h"


#define FIXED(n, l, a, t, b, off, w, v, h) \
	{ .name = n, .label = l, .alias = a, .type = t, .base = b, .bit_off = off, \
	  .bit_width = w, .vals = v, .help = h }
#define VAR(n, l, a, t, b, v, h) \
	{ .name = n, .label = l, .alias = a, .type = t, .base = b, .bit_off = -1, .vals = v, \
	  .help = h }

/* RFC 1035 §4.1.1 (header), §4.1.2 (question), §4.1.3 (record), §3.3
 * (rdata); RFC 3596 (AAAA); RFC 6891 §6.1 (OPT); RFC 2136 §2 (UPDATE). */
const struct ww_field ww_dns_fields[WW_DNS_F_END + 1] = {
	[WW_DNS_F_ID] = FIXED("dns.id", "Transaction ID", "id", WW_FT_UINT, WW_BASE_HEX, 0, 16, NULL,
		       "chosen by the client, copied into the response to pair them"),
	[WW_DNS_F_FLAGS] = FIXED("dns.flags", "Flags", NULL, WW_FT_UINT, WW_BASE_HEX, 16, 16, NULL,
			  "the 16-bit flags word: QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode"),
	[WW_DNS_F_QR] = FIXED("dns.flags.response", "Response", "qr", WW_FT_BOOL, WW_BASE_DEC, 16, 1,
		       NULL, "0 for a query, 1 for a response"),
	[WW_DNS_F_OPCODE] = FIXED("dns.flags.opcode", "Opcode", "opcode", WW_FT_UINT, WW_BASE_DEC, 17, 4,
			   ww_dns_opcode_names, "kind of query: 0 standard, 4 notify, 5 update"),
	[WW_DNS_F_AA] = FIXED("dns.flags.authoritative", "Authoritative", "aa", WW_FT_BOOL, WW_BASE_DEC,
		       21, 1, NULL, "the answer comes from a server authoritative for the zone"),
	[WW_DNS_F_TC] = FIXED("dns.flags.truncated", "Truncated", "tc", WW_FT_BOOL, WW_BASE_DEC, 22, 1,
		       NULL, "the message was cut to fit: ask again over TCP"),
	[WW_DNS_F_RD] = FIXED("dns.flags.recdesired", "Recursion desired", "rd", WW_FT_BOOL, WW_BASE_DEC,
		       23, 1, NULL, "the client asks the server to resolve the name fully"),
	[WW_DNS_F_RA] = FIXED("dns.flags.recavail", "Recursion available", "ra", WW_FT_BOOL, WW_BASE_DEC,
		       24, 1, NULL, "the server offers recursion"),
	[WW_DNS_F_Z] = FIXED("dns.flags.z", "Z", "z", WW_FT_BOOL, WW_BASE_DEC, 25, 1, NULL,
		      "reserved, must be 0"),
	[WW_DNS_F_AD] = FIXED("dns.flags.authenticated", "Answer authenticated", "ad", WW_FT_BOOL,
		       WW_BASE_DEC, 26, 1, NULL, "the resolver validated the data with DNSSEC"),
	[WW_DNS_F_CD] = FIXED("dns.flags.checkdisable", "Non-authenticated data", "cd", WW_FT_BOOL,
		       WW_BASE_DEC, 27, 1, NULL, "the client asks the resolver not to validate"),
	[WW_DNS_F_RCODE] = FIXED("dns.flags.rcode", "Reply code", "rcode", WW_FT_UINT, WW_BASE_DEC, 28, 4,
			  ww_dns_rcode_names, "result: 0 no error, 2 server failure, 3 no such name"),
	[WW_DNS_F_QDCOUNT] = FIXED("dns.count.queries", "Questions", "qdcount", WW_FT_UINT, WW_BASE_DEC,
			    32, 16, NULL, "number of entries in the question section"),
	[WW_DNS_F_ANCOUNT] = FIXED("dns.count.answers", "Answer RRs", "ancount", WW_FT_UINT, WW_BASE_DEC,
			    48, 16, NULL, "number of records in the answer section"),
	[WW_DNS_F_NSCOUNT] = FIXED("dns.count.auth_rr", "Authority RRs", "nscount", WW_FT_UINT,
			    WW_BASE_DEC, 64, 16, NULL, "number of records in the authority section"),
	[WW_DNS_F_ARCOUNT] = FIXED("dns.count.add_rr", "Additional RRs", "arcount", WW_FT_UINT,
			    WW_BASE_DEC, 80, 16, NULL, "number of records in the additional section"),
	/* UPDATE gives the first three counts other names; same bytes. */
	[WW_DNS_F_ZOCOUNT] = VAR("dns.count.zones", "Zones", NULL, WW_FT_UINT, WW_BASE_DEC, NULL,
			  "UPDATE: number of zones (the qdcount bytes)"),
	[WW_DNS_F_PRCOUNT] = VAR("dns.count.prerequisites", "Prerequisites", NULL, WW_FT_UINT,
			  WW_BASE_DEC, NULL, "UPDATE: number of prerequisites (the ancount bytes)"),
	[WW_DNS_F_UPCOUNT] = VAR("dns.count.updates", "Updates", NULL, WW_FT_UINT, WW_BASE_DEC, NULL,
			  "UPDATE: number of updates (the nscount bytes)"),
	[WW_DNS_F_QNAME] = VAR("dns.qry.name", "Name", "qname", WW_FT_STRING, WW_BASE_DEC, NULL,
			"the name asked about"),
	[WW_DNS_F_QNAME_LEN] = VAR("dns.qry.name.len", "Name Length", NULL, WW_FT_UINT, WW_BASE_DEC, NULL,
			    "characters in the dotted name (tshark shows 0 for a one-byte name)"),
	[WW_DNS_F_LABELS] = VAR("dns.count.labels", "Label Count", NULL, WW_FT_UINT, WW_BASE_DEC, NULL,
			 "labels in the name, as dots + 1 (0 for a one-byte name)"),
	[WW_DNS_F_QTYPE] = VAR("dns.qry.type", "Type", "qtype", WW_FT_UINT, WW_BASE_DEC,
			ww_dns_type_names, "record type asked for: 1 A, 28 AAAA, 15 MX..."),
	[WW_DNS_F_QCLASS] = VAR("dns.qry.class", "Class", "qclass", WW_FT_UINT, WW_BASE_HEX,
			 ww_dns_class_names, "1 for the Internet (IN)"),
	[WW_DNS_F_RRNAME] = VAR("dns.resp.name", "Name", "rrname", WW_FT_STRING, WW_BASE_DEC, NULL,
			 "the name this record is about"),
	[WW_DNS_F_TYPE] = VAR("dns.resp.type", "Type", "type", WW_FT_UINT, WW_BASE_DEC, ww_dns_type_names,
		       "record type: how to read the rdata"),
	[WW_DNS_F_CLASS] = VAR("dns.resp.class", "Class", "rclass", WW_FT_UINT, WW_BASE_HEX,
			ww_dns_class_names, "1 for the Internet (IN)"),
	[WW_DNS_F_TTL] = VAR("dns.resp.ttl", "Time to live", "ttl", WW_FT_UINT, WW_BASE_DEC, NULL,
		      "seconds a cache may keep the record"),
	[WW_DNS_F_RDLEN] = VAR("dns.resp.len", "Data length", "rdlen", WW_FT_UINT, WW_BASE_DEC, NULL,
			"bytes of rdata that follow"),
	[WW_DNS_F_A] = VAR("dns.a", "Address", NULL, WW_FT_IPV4, WW_BASE_DEC, NULL, "IPv4 address"),
	[WW_DNS_F_AAAA] = VAR("dns.aaaa", "AAAA Address", NULL, WW_FT_IPV6, WW_BASE_DEC, NULL,
		       "IPv6 address"),
	[WW_DNS_F_CNAME] = VAR("dns.cname", "CNAME", NULL, WW_FT_STRING, WW_BASE_DEC, NULL,
			"the canonical name this name is an alias for"),
	[WW_DNS_F_NS] = VAR("dns.ns", "Name Server", NULL, WW_FT_STRING, WW_BASE_DEC, NULL,
		     "a server authoritative for the zone"),
	[WW_DNS_F_PTR] = VAR("dns.ptr.domain_name", "Domain Name", NULL, WW_FT_STRING, WW_BASE_DEC, NULL,
		      "the name an address maps back to"),
	[WW_DNS_F_MX_PREF] = VAR("dns.mx.preference", "Preference", "preference", WW_FT_UINT, WW_BASE_DEC,
			  NULL, "lower is tried first"),
	[WW_DNS_F_MX_NAME] = VAR("dns.mx.mail_exchange", "Mail Exchange", "exchange", WW_FT_STRING,
			  WW_BASE_DEC, NULL, "host that accepts mail for the name"),
	[WW_DNS_F_TXT_LEN] = VAR("dns.txt.length", "TXT Length", NULL, WW_FT_UINT, WW_BASE_DEC, NULL,
			  "bytes in the next character-string"),
	[WW_DNS_F_TXT] = VAR("dns.txt", "TXT", NULL, WW_FT_STRING, WW_BASE_DEC, NULL,
		      "one character-string of a TXT record"),
	[WW_DNS_F_SOA_MNAME] = VAR("dns.soa.mname", "Primary name server", "mname", WW_FT_STRING,
			    WW_BASE_DEC, NULL, "the zone's primary server"),
	[WW_DNS_F_SOA_RNAME] = VAR("dns.soa.rname", "Responsible authority's mailbox", "rname",
			    WW_FT_STRING, WW_BASE_DEC, NULL, "mailbox of the zone's admin, @ as ."),
	[WW_DNS_F_SOA_SERIAL] = VAR("dns.soa.serial_number", "Serial Number", "serial", WW_FT_UINT,
			     WW_BASE_DEC, NULL, "version of the zone"),
	[WW_DNS_F_SOA_REFRESH] = VAR("dns.soa.refresh_interval", "Refresh Interval", "refresh",
			      WW_FT_UINT, WW_BASE_DEC, NULL, "seconds between secondaries' checks"),
	[WW_DNS_F_SOA_RETRY] = VAR("dns.soa.retry_interval", "Retry Interval", "retry", WW_FT_UINT,
			    WW_BASE_DEC, NULL, "seconds before a failed check is retried"),
	[WW_DNS_F_SOA_EXPIRE] = VAR("dns.soa.expire_limit", "Expire limit", "expire", WW_FT_UINT,
			     WW_BASE_DEC, NULL, "seconds a secondary serves without the primary"),
	[WW_DNS_F_SOA_MINIMUM] = VAR("dns.soa.minimum_ttl", "Minimum TTL", "minimum", WW_FT_UINT,
			      WW_BASE_DEC, NULL, "seconds to cache a negative answer (RFC 2308)"),
	[WW_DNS_F_UDP_SIZE] = VAR("dns.rr.udp_payload_size", "UDP payload size", NULL, WW_FT_UINT,
			   WW_BASE_DEC, NULL, "OPT: largest UDP message the sender accepts"),
	[WW_DNS_F_EXT_RCODE] = VAR("dns.resp.ext_rcode", "Higher bits in extended RCODE", NULL,
			    WW_FT_UINT, WW_BASE_HEX, NULL, "OPT: upper 8 bits of a 12-bit rcode"),
	[WW_DNS_F_VERSION] = VAR("dns.resp.edns0_version", "EDNS0 version", "version", WW_FT_UINT,
			  WW_BASE_DEC, NULL, "OPT: EDNS version, 0"),
	[WW_DNS_F_OPT_Z] = VAR("dns.resp.z", "Z", NULL, WW_FT_UINT, WW_BASE_HEX, NULL,
			"OPT: the 16 flag bits (DO and reserved)"),
	[WW_DNS_F_OPT_DO] = VAR("dns.resp.z.do", "DO bit", NULL, WW_FT_BOOL, WW_BASE_DEC, NULL,
			 "OPT: the sender wants DNSSEC records"),
	[WW_DNS_F_OPT_ZRES] = VAR("dns.resp.z.reserved", "Reserved", NULL, WW_FT_UINT, WW_BASE_HEX, NULL,
			   "OPT: the 15 flag bits after DO, must be 0"),
	[WW_DNS_F_OPT] = VAR("dns.opt", "Option", NULL, WW_FT_NONE, WW_BASE_DEC, NULL,
		      "one EDNS option: code, length, data"),
	[WW_DNS_F_OPT_CODE] = VAR("dns.opt.code", "Option Code", NULL, WW_FT_UINT, WW_BASE_DEC, NULL,
			   "10 cookie, 12 padding, 8 client subnet..."),
	[WW_DNS_F_OPT_LEN] = VAR("dns.opt.len", "Option Length", NULL, WW_FT_UINT, WW_BASE_DEC, NULL,
			  "bytes of option data"),
	[WW_DNS_F_OPT_DATA] = VAR("dns.opt.data", "Option Data", NULL, WW_FT_BYTES, WW_BASE_DEC, NULL,
			   "the option's bytes"),
	[WW_DNS_F_DATA] = VAR("dns.data", "Data", "rdata", WW_FT_BYTES, WW_BASE_DEC, NULL,
		       "rdata of a type not decoded here"),
	[WW_DNS_F_EXTRA] = VAR("dns.extraneous.data", "Extraneous Data Bytes", NULL, WW_FT_BYTES,
			WW_BASE_DEC, NULL, "bytes after the last record"),
	[WW_DNS_F_EXTRA_LEN] = VAR("dns.extraneous.length", "Extraneous Data Length", NULL, WW_FT_UINT,
			    WW_BASE_DEC, NULL, "how many bytes follow the last record"),
	[WW_DNS_F_LENGTH] = VAR("dns.length", "Length", NULL, WW_FT_UINT, WW_BASE_DEC, NULL,
			 "over TCP: the message's length, in front of it (RFC 1035 §4.2.2)"),
	[WW_DNS_F_END] = { 0 },
};

/* A row of the table above by its index. */
#define FLD(i) (&ww_dns_fields[i])

/* After ww_dissect_fixed: nest the flag bits under dns.flags, drop what
 * tshark leaves out of a query, and rename UPDATE's counts. */
static void adjust_header_items(struct ww_dissection *d, unsigned first, const uint8_t *msg,
				size_t avail)
{
	if (avail < 4)
		return;
	uint16_t flags = ww_get16(msg + 2);
	bool query = !(flags & WW_DNS_QR);
	bool update = WW_DNS_OPCODE(flags) == WW_DNS_OPCODE_UPDATE;
	unsigned w = first;
	for (unsigned r = first; r < d->nitems; r++) {
		struct ww_item it = d->items[r];
		long f = it.f - ww_dns_fields;
		if (query && (f == WW_DNS_F_AA || f == WW_DNS_F_RA || f == WW_DNS_F_RCODE))
			continue;
		if (query && f == WW_DNS_F_AD && !(flags & WW_DNS_AD))
			continue;
		if (f >= WW_DNS_F_QR && f <= WW_DNS_F_RCODE)
			it.depth = 1;
		if (update && f >= WW_DNS_F_QDCOUNT && f <= WW_DNS_F_NSCOUNT)
			it.f = FLD(WW_DNS_F_ZOCOUNT + (f - WW_DNS_F_QDCOUNT));
		d->items[w++] = it;
	}
	d->nitems = w;
}

static void add_name(struct ww_dissection *d, int f, uint32_t off, uint32_t len,
		     const struct ww_dns_name *n)
{
	char text[WW_DNS_TEXT_MAX];
	size_t tlen = ww_dns_name_text(n, WW_DNS_NAME_TSHARK, text, sizeof text);
	if (tlen >= sizeof text)
		tlen = sizeof text - 1;
	ww_item_string(d, FLD(f), off, len, 1, text, tlen);
}

static void add_question(struct ww_dissection *d, uint32_t off, uint32_t name_len,
			 const struct ww_dns_question *q)
{
	unsigned raw, dots;
	ww_dns_name_raw_stats(&q->qname, &raw, &dots);
	add_name(d, WW_DNS_F_QNAME, off, name_len, &q->qname);
	ww_item_uint(d, FLD(WW_DNS_F_QNAME_LEN), off, name_len, 1, raw > 1 ? raw : 0);
	ww_item_uint(d, FLD(WW_DNS_F_LABELS), off, name_len, 1, raw > 1 ? dots + 1 : 0);
	ww_item_uint(d, FLD(WW_DNS_F_QTYPE), off + name_len, 2, 1, q->qtype);
	ww_item_uint(d, FLD(WW_DNS_F_QCLASS), off + name_len + 2, 2, 1, q->qclass);
}

/* tshark reads a TXT string as ASCII: cut at the first NUL, and every byte
 * from 0x80 becomes U+FFFD. */
static void add_txt_string(struct ww_dissection *d, uint32_t off, const uint8_t *s, unsigned n)
{
	char text[255 * 3];
	size_t t = 0;
	for (unsigned i = 0; i < n && s[i]; i++) {
		if (s[i] < 0x80) {
			text[t++] = (char)s[i];
		} else {
			memcpy(text + t, "\xef\xbf\xbd", 3);
			t += 3;
		}
	}
	ww_item_string(d, FLD(WW_DNS_F_TXT), off, n, 1, text, t);
}

static void add_options(struct ww_dissection *d, uint32_t off, const uint8_t *p, unsigned len)
{
	for (unsigned at = 0; at + 4 <= len;) {
		unsigned olen = ww_get16(p + at + 2);
		if (olen > len - at - 4)
			break; /* parse already refused this */
		ww_item_add(d, FLD(WW_DNS_F_OPT), off + at, 4 + olen, 1);
		ww_item_uint(d, FLD(WW_DNS_F_OPT_CODE), off + at, 2, 2, ww_get16(p + at));
		ww_item_uint(d, FLD(WW_DNS_F_OPT_LEN), off + at + 2, 2, 2, olen);
		ww_item_bytes(d, FLD(WW_DNS_F_OPT_DATA), off + at + 4, olen, 2, p + at + 4, olen);
		at += 4 + olen;
	}
}

static void add_rdata(struct ww_dissection *d, uint32_t off, const uint8_t *p,
		      const struct ww_dns_rr *rr)
{
	unsigned len = rr->rdlen;
	switch (rr->type) {
	case WW_DNS_A:
		ww_item_uint(d, FLD(WW_DNS_F_A), off, 4, 1, rr->rd.a);
		break;
	case WW_DNS_AAAA:
		ww_item_bytes(d, FLD(WW_DNS_F_AAAA), off, 16, 1, p, 16);
		break;
	case WW_DNS_CNAME:
		add_name(d, WW_DNS_F_CNAME, off, len, &rr->rd.name);
		break;
	case WW_DNS_NS:
		add_name(d, WW_DNS_F_NS, off, len, &rr->rd.name);
		break;
	case WW_DNS_PTR:
		add_name(d, WW_DNS_F_PTR, off, len, &rr->rd.name);
		break;
	case WW_DNS_MX:
		ww_item_uint(d, FLD(WW_DNS_F_MX_PREF), off, 2, 1, rr->rd.mx.preference);
		add_name(d, WW_DNS_F_MX_NAME, off + 2, len - 2, &rr->rd.mx.exchange);
		break;
	case WW_DNS_SOA: {
		const struct ww_dns_soa *soa = &rr->rd.soa;
		unsigned m = rr->rd_name_len, nums = off + len - 20;
		add_name(d, WW_DNS_F_SOA_MNAME, off, m, &soa->mname);
		add_name(d, WW_DNS_F_SOA_RNAME, off + m, len - 20 - m, &soa->rname);
		const uint32_t v[5] = { soa->serial, soa->refresh, soa->retry, soa->expire,
					soa->minimum };
		for (int i = 0; i < 5; i++)
			ww_item_uint(d, FLD(WW_DNS_F_SOA_SERIAL + i), nums + 4u * i, 4, 1, v[i]);
		break;
	}
	case WW_DNS_TXT:
		for (unsigned at = 0; at < len; at += 1u + p[at]) {
			ww_item_uint(d, FLD(WW_DNS_F_TXT_LEN), off + at, 1, 1, p[at]);
			add_txt_string(d, off + at + 1, p + at + 1, p[at]);
		}
		break;
	case WW_DNS_OPT:
		add_options(d, off, p, len);
		break;
	default:
		if (len)
			ww_item_bytes(d, FLD(WW_DNS_F_DATA), off, len, 1, p, len);
	}
}

static void add_rr(struct ww_dissection *d, uint32_t msg_off, const uint8_t *msg,
		   const struct ww_dns_rr *rr)
{
	uint32_t off = msg_off + rr->off;
	uint32_t name_len = (uint32_t)(rr->rdata_off - 10u - rr->off);
	uint32_t t = off + name_len; /* the type; class, TTL and length follow */
	add_name(d, WW_DNS_F_RRNAME, off, name_len, &rr->rrname);
	ww_item_uint(d, FLD(WW_DNS_F_TYPE), t, 2, 1, rr->type);
	if (rr->type == WW_DNS_OPT) {
		ww_item_uint(d, FLD(WW_DNS_F_UDP_SIZE), t + 2, 2, 1, rr->rclass);
		ww_item_uint(d, FLD(WW_DNS_F_EXT_RCODE), t + 4, 1, 1, ww_dns_opt_ext_rcode(rr));
		ww_item_uint(d, FLD(WW_DNS_F_VERSION), t + 5, 1, 1, ww_dns_opt_version(rr));
		ww_item_uint(d, FLD(WW_DNS_F_OPT_Z), t + 6, 2, 1, rr->ttl & 0xffff);
		ww_item_uint(d, FLD(WW_DNS_F_OPT_DO), t + 6, 2, 2, ww_dns_opt_do(rr));
		ww_item_uint(d, FLD(WW_DNS_F_OPT_ZRES), t + 6, 2, 2, ww_dns_opt_z(rr));
	} else {
		ww_item_uint(d, FLD(WW_DNS_F_CLASS), t + 2, 2, 1, rr->rclass);
		ww_item_uint(d, FLD(WW_DNS_F_TTL), t + 4, 4, 1, rr->ttl);
	}
	ww_item_uint(d, FLD(WW_DNS_F_RDLEN), t + 8, 2, 1, rr->rdlen);
	add_rdata(d, msg_off + rr->rdata_off, msg + rr->rdata_off, rr);
}

/* Bytes after the last record: tshark calls them extraneous. */
static void add_extraneous(struct ww_dissection *d, struct ww_cursor *c)
{
	size_t n = ww_cur_left(c);
	if (!n)
		return;
	uint32_t off = ww_cur_offset(c);
	ww_item_bytes(d, FLD(WW_DNS_F_EXTRA), off, (uint32_t)n, 0, ww_cur_here(c), (uint32_t)n);
	ww_item_uint(d, FLD(WW_DNS_F_EXTRA_LEN), off, (uint32_t)n, 0, n);
	ww_cur_skip(c, n, "dns.extraneous.data");
}

static const char *const count_names[3] = { "dns.count.answers", "dns.count.auth_rr",
					    "dns.count.add_rr" };

static int dissect_body(struct ww_dissection *d, struct ww_cursor *c, const uint8_t *msg,
			size_t msg_len, const struct ww_dns_header *h)
{
	uint32_t msg_off = ww_dns_frame_off(c, msg, 0);
	for (unsigned i = 0; i < h->qdcount; i++) {
		struct ww_dns_question q;
		size_t start = c->pos;
		if (ww_cur_left(c) == 0)
			return ww_dns_fail(c, WW_TRUNCATED, "dns.count.queries", ww_cur_offset(c),
					   "dns.count.queries is %u but the message ends after %u "
					   "of them", h->qdcount, i);
		if (ww_dns_question_parse(c, msg, msg_len, &q) < 0)
			return -1;
		add_question(d, c->base + (uint32_t)start, (uint32_t)(c->pos - start - 4), &q);
	}
	unsigned nrr = (unsigned)h->ancount + h->nscount + h->arcount;
	struct ww_dns_rr rr;
	for (unsigned i = 0; i < nrr; i++) {
		if (ww_cur_left(c) == 0) {
			int sec = i < h->ancount ? 0 : i < (unsigned)h->ancount + h->nscount ? 1 : 2;
			const uint16_t counts[3] = { h->ancount, h->nscount, h->arcount };
			const unsigned before[3] = { 0, h->ancount, (unsigned)h->ancount + h->nscount };
			return ww_dns_fail(c, WW_TRUNCATED, count_names[sec], ww_cur_offset(c),
					   "%s is %u but the message ends after %u of them",
					   count_names[sec], counts[sec], i - before[sec]);
		}
		if (ww_dns_rr_parse_keep(c, msg, msg_len, &rr, false) < 0)
			return -1;
		add_rr(d, msg_off, msg, &rr);
	}
	return 0;
}

/* The message from C's position to its end; the layer starts PREFIX bytes
 * earlier (the length in front of a message over TCP). */
static struct ww_layer *dissect_message(struct ww_dissection *d, struct ww_cursor *c,
					uint32_t prefix)
{
	const uint8_t *msg = ww_cur_here(c);
	size_t msg_len = ww_cur_left(c);
	uint32_t off = ww_cur_offset(c);
	struct ww_layer *l = ww_layer_add(d, WW_P_DNS, "dns", "Domain Name System", ww_dns_fields,
					  off - prefix);
	if (!l)
		return NULL;
	memset(&l->h, 0, sizeof l->h);
	l->len = (uint32_t)msg_len + prefix;
	if (prefix)
		ww_item_uint(d, FLD(WW_DNS_F_LENGTH), off - prefix, prefix, 0, msg_len);
	unsigned first = d->nitems;
	ww_dissect_fixed(d, ww_dns_fields, off, (uint32_t)msg_len);
	adjust_header_items(d, first, msg, msg_len);

	struct ww_dns_header h;
	if (ww_dns_header_parse(c, &h) < 0) {
		ww_dissect_error(d, c);
		return NULL;
	}
	l->h.dns = h;
	if (dissect_body(d, c, msg, msg_len, &h) < 0) {
		ww_dissect_error(d, c);
		return NULL;
	}
	add_extraneous(d, c);
	return l;
}

struct ww_layer *ww_dns_dissect(struct ww_dissection *d, struct ww_cursor *c)
{
	return dissect_message(d, c, 0);
}

bool ww_dns_tcp_plausible(const uint8_t *p, size_t n)
{
	return n >= 2 + WW_DNS_HLEN && ww_get16(p) == n - 2;
}

struct ww_layer *ww_dns_dissect_tcp(struct ww_dissection *d, struct ww_cursor *c)
{
	if (!ww_cur_skip(c, 2, "dns.length")) {
		ww_dissect_error(d, c);
		return NULL;
	}
	return dissect_message(d, c, 2);
}
