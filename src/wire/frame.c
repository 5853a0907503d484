/* From a frame's first byte to its last: which header follows which. Each
 * protocol dissects itself; this file only decides what comes next, as a
 * receiving host does (EtherType, IP protocol, port). */
#include <string.h>

#include "ww/dissect.h"
#include "ww/http_msg.h"
#include "ww/tls_record.h"

/* Bytes no dissector claimed. Wireshark calls them "data". */
enum { DATA_F_DATA, DATA_F_LEN, DATA_F_END };
const struct ww_field ww_data_fields[DATA_F_END + 1] = {
	[DATA_F_DATA] = { .name = "data.data", .label = "Data", .type = WW_FT_BYTES, .bit_off = -1,
			  .help = "payload bytes no protocol here claims" },
	[DATA_F_LEN] = { .name = "data.len", .label = "Length", .type = WW_FT_UINT, .bit_off = -1,
			 .help = "number of payload bytes" },
	[DATA_F_END] = { 0 },
};

static void dissect_data(struct ww_dissection *d, struct ww_cursor *c)
{
	size_t n = ww_cur_left(c);
	if (n == 0)
		return;
	uint32_t off = ww_cur_offset(c);
	struct ww_layer *l = ww_layer_add(d, WW_P_DATA, "data", "Data", ww_data_fields, off);
	if (!l)
		return;
	l->len = (uint32_t)n;
	ww_item_bytes(d, &ww_data_fields[DATA_F_DATA], off, (uint32_t)n, 0, ww_cur_here(c),
		      (uint32_t)n);
	ww_item_uint(d, &ww_data_fields[DATA_F_LEN], off, 0, 0, n);
	ww_cur_skip(c, n, "data.data");
}

/* The first 8 bytes of a datagram quoted in an ICMP error: enough for the
 * ports (and TCP's sequence number), rarely a whole header. Show every
 * fixed field that fits, as Wireshark does, and call nothing truncated. */
static void dissect_quoted_transport(struct ww_dissection *d, struct ww_cursor *c, uint8_t proto)
{
	const struct ww_field *table = NULL;
	enum ww_proto p = WW_P_DATA;
	const char *name = NULL, *title = NULL;
	if (proto == WW_IPPROTO_UDP) {
		table = ww_udp_fields, p = WW_P_UDP, name = "udp", title = "User Datagram Protocol";
	} else if (proto == WW_IPPROTO_TCP) {
		table = ww_tcp_fields, p = WW_P_TCP, name = "tcp", title = "Transmission Control Protocol";
	}
	if (!table) {
		dissect_data(d, c);
		return;
	}
	/* The header is at most its fixed part; quoted bytes past it (the
	 * datagram's own payload) are data, as in Wireshark. */
	uint32_t hdr = proto == WW_IPPROTO_UDP ? WW_UDP_HLEN : WW_TCP_HLEN;
	uint32_t off = ww_cur_offset(c);
	uint32_t avail = (uint32_t)ww_cur_left(c);
	if (avail > hdr)
		avail = hdr;
	struct ww_layer *l = ww_layer_add(d, p, name, title, table, off);
	if (!l)
		return;
	l->len = avail;
	memset(&l->h, 0, sizeof l->h);
	ww_dissect_fixed(d, table, off, avail);
	ww_cur_skip(c, avail, name);
}

static void dissect_ipv4(struct ww_dissection *d, struct ww_cursor *c);

/* What a TCP segment carries, told by its first bytes as a receiver that
 * joined late would: DNS on port 53, TLS records (a plausible record header, on any
 * port), an HTTP/1.x head; anything else (a body, the rest of a record
 * begun in an earlier segment) stays data. On the HTTP port only HTTP is
 * looked for: a body's bytes might look like a record header. False when
 * the layer found is malformed (its error is recorded). */
static bool dissect_over_tcp(struct ww_dissection *d, struct ww_cursor *c,
			     const struct ww_tcp *tcp)
{
	const uint8_t *p = ww_cur_here(c);
	size_t n = ww_cur_left(c);
	if (n == 0)
		return true;
	if (tcp->sport == WW_DNS_PORT || tcp->dport == WW_DNS_PORT)
		return !ww_dns_tcp_plausible(p, n) || ww_dns_dissect_tcp(d, c) != NULL;
	bool http_port = tcp->sport == WW_HTTP_PORT || tcp->dport == WW_HTTP_PORT;
	bool tls_port = tcp->sport == WW_TLS_PORT || tcp->dport == WW_TLS_PORT;
	if ((tls_port || !http_port) && ww_tls_record_plausible(p, n))
		return ww_tls_dissect(d, c) != NULL;
	if (ww_http_msg_plausible(p, n, http_port))
		return ww_http_msg_dissect(d, c) != NULL;
	return true;
}

static void dissect_icmp(struct ww_dissection *d, struct ww_cursor *c, const struct ww_ipv4 *ip)
{
	struct ww_layer *l = ww_icmp_dissect(d, c, !ww_ipv4_is_fragment(ip));
	if (!l)
		return;
	if (ww_icmp_is_error(l->h.icmp.type) && d->depth == 0) {
		/* One level only: an ICMP error about an ICMP error is never sent
		 * (RFC 1122 §3.2.2), and one level bounds the recursion. */
		d->depth++;
		dissect_ipv4(d, c);
		d->depth--;
	}
	dissect_data(d, c);
}

static void dissect_ipv4(struct ww_dissection *d, struct ww_cursor *c)
{
	struct ww_layer *l = ww_ipv4_dissect(d, c);
	if (!l)
		return;
	/* The layer array does not move, and no later dissector writes to an
	 * earlier layer: the parsed header can be read where it is. */
	const struct ww_ipv4 *ip = &l->h.ip;
	if (!ww_ipv4_is_first_fragment(ip)) {
		/* A later fragment has no transport header: without reassembly
		 * it is only bytes (as tshark shows it with defragmenting off). */
		dissect_data(d, c);
		return;
	}
	if (d->depth > 0) {
		if (ip->proto == WW_IPPROTO_ICMP) {
			if (ww_icmp_dissect(d, c, false) == NULL)
				return;
		} else {
			dissect_quoted_transport(d, c, ip->proto);
		}
		dissect_data(d, c);
		return;
	}
	switch (ip->proto) {
	case WW_IPPROTO_ICMP:
		dissect_icmp(d, c, ip);
		return;
	case WW_IPPROTO_UDP: {
		struct ww_layer *u = ww_udp_dissect(d, c, ip);
		if (!u)
			return;
		if (!ww_ipv4_is_fragment(ip) &&
		    (u->h.udp.sport == WW_DNS_PORT || u->h.udp.dport == WW_DNS_PORT)) {
			if (!ww_dns_dissect(d, c))
				return;
		}
		break;
	}
	case WW_IPPROTO_TCP: {
		struct ww_layer *t = ww_tcp_dissect(d, c, ip);
		if (!t)
			return;
		/* A fragment carries part of the segment: only bytes. */
		if (!ww_ipv4_is_fragment(ip) && !dissect_over_tcp(d, c, &t->h.tcp))
			return;
		break;
	}
	default:
		break;
	}
	dissect_data(d, c);
}

void ww_dissect(struct ww_dissection *d, const uint8_t *frame, size_t len)
{
	ww_dissect_reset(d, frame, len);
	struct ww_cursor c;
	ww_cur_init(&c, frame, len, 0);

	struct ww_layer *l = ww_eth_dissect(d, &c);
	if (!l)
		return;
	size_t frame_end = c.end;
	switch (l->h.eth.type) {
	case WW_ETHERTYPE_ARP:
		if (!ww_arp_dissect(d, &c))
			return;
		break;
	case WW_ETHERTYPE_IPV4:
		dissect_ipv4(d, &c);
		if (d->nerrors)
			return;
		break;
	default:
		dissect_data(d, &c);
		return;
	}

	/* What follows the network-layer packet is Ethernet padding: a sender
	 * pads a frame to 60 bytes (64 with the FCS) so collisions are seen on
	 * a shared segment before the frame ends. */
	c.end = frame_end;
	size_t pad = ww_cur_left(&c);
	if (pad) {
		uint32_t off = ww_cur_offset(&c);
		struct ww_layer *p = ww_layer_add(d, WW_P_ETH, "eth", "Ethernet padding",
						  ww_eth_fields, off);
		if (p) {
			p->len = (uint32_t)pad;
			p->h.eth = d->layers[0].h.eth;
			ww_item_bytes(d, &ww_eth_fields[WW_ETH_F_PADDING], off, (uint32_t)pad, 0,
				      ww_cur_here(&c), (uint32_t)pad);
		}
	}
}
