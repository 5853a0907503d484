/* One line per frame, as tcpdump prints it (print-arp.c, print-ip.c,
 * print-icmp.c, print-udp.c, print-tcp.c, print-domain.c), so a person who
 * knows one reads the other. Numbers are absolute (as `tcpdump -S`). The
 * most specific layer describes the frame; what stopped the dissection
 * comes last: "[|tcp]" for bytes that ran out, "(invalid: ...)" for a
 * value that is wrong. */
#include <inttypes.h>
#include <string.h>

#include "ww/bytes.h"

#include "view_int.h"

/* Bytes from the frame (DNS names, TXT strings) never reach the terminal
 * raw: unprintable bytes become \xNN. */
void vw_put_text(FILE *out, const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		size_t u = p[i] >= 0x80 ? vw_utf8_len(p + i, n - i) : 0;
		if (u) {
			fwrite(p + i, 1, u, out);
			i += (uint32_t)u - 1;
		} else if (p[i] < 0x20 || p[i] >= 0x7f) {
			fprintf(out, "\\x%02x", p[i]);
		} else {
			fputc(p[i], out);
		}
	}
}

static const char *ip_str(uint32_t a, char *buf)
{
	return ww_ipv4_str(a, buf);
}

static bool layer_is(const struct ww_dissection *d, unsigned li, enum ww_proto p, uint8_t depth)
{
	return li < d->nlayers && d->layers[li].proto == p && d->layers[li].depth == depth &&
	       !vw_is_padding(d, li);
}

static void describe_ether(FILE *out, const struct ww_dissection *d)
{
	const struct ww_eth *e = &d->layers[0].h.eth;
	char s[18], t[18];
	fprintf(out, "%s > %s, ", ww_mac_str(e->src, s), ww_mac_str(e->dst, t));
	if (e->type < 0x0600) { /* an IEEE 802.3 length, not an EtherType */
		fprintf(out, "802.3, length %u", d->len);
		return;
	}
	const char *name = ww_tok_str(ww_ethertype_names, e->type);
	if (name)
		fprintf(out, "ethertype %s (0x%04x), length %u", name, e->type, d->len);
	else
		fprintf(out, "ethertype 0x%04x, length %u", e->type, d->len);
}

static bool mac_is_zero(const uint8_t m[6])
{
	static const uint8_t zero[6];
	return memcmp(m, zero, 6) == 0;
}

static void describe_arp(FILE *out, const struct ww_dissection *d, unsigned li)
{
	const struct ww_arp *a = &d->layers[li].h.arp;
	char s[18], t[18], sp[16], tp[16];
	fputs("ARP, ", out);
	if (a->op == WW_ARP_REQUEST) {
		fprintf(out, "Request who-has %s", ip_str(a->tpa, tp));
		if (!mac_is_zero(a->tha))
			fprintf(out, " (%s)", ww_mac_str(a->tha, t));
		fprintf(out, " tell %s", ip_str(a->spa, sp));
	} else if (a->op == WW_ARP_REPLY) {
		fprintf(out, "Reply %s is-at %s", ip_str(a->spa, sp), ww_mac_str(a->sha, s));
	} else {
		const char *name = ww_tok_str(ww_arp_opcode_names, a->op);
		if (name)
			fprintf(out, "%s (%u)", name, a->op);
		else
			fprintf(out, "Unknown (%u)", a->op);
		fprintf(out, " %s (%s) > %s (%s)", ip_str(a->spa, sp), ww_mac_str(a->sha, s),
			ip_str(a->tpa, tp), ww_mac_str(a->tha, t));
	}
	fprintf(out, ", length %u", d->layers[li].len);
}

/* The quoted datagram's destination port, read from the quoted transport
 * header's items (it is cut to 8 bytes, so there is no parsed header). */
static bool quoted_port(const struct ww_dissection *d, unsigned qi, const char **proto,
			uint64_t *port)
{
	if (layer_is(d, qi + 1, WW_P_UDP, 1) && vw_item_u(d, qi + 1, "udp.dstport", port)) {
		*proto = "udp";
		return true;
	}
	if (layer_is(d, qi + 1, WW_P_TCP, 1) && vw_item_u(d, qi + 1, "tcp.dstport", port)) {
		*proto = "tcp";
		return true;
	}
	return false;
}

static void describe_unreach(FILE *out, const struct ww_dissection *d, unsigned li, int qi)
{
	const struct ww_icmp *ic = &d->layers[li].h.icmp;
	if (qi < 0) {
		fprintf(out, "ICMP destination unreachable, code %u", ic->code);
		return;
	}
	const struct ww_ipv4 *q = &d->layers[qi].h.ip;
	char dst[16];
	ip_str(q->dst, dst);
	const char *proto;
	uint64_t port;
	switch (ic->code) {
	case 0:
		fprintf(out, "ICMP net %s unreachable", dst);
		break;
	case 1:
		fprintf(out, "ICMP host %s unreachable", dst);
		break;
	case 2:
		fprintf(out, "ICMP %s protocol %u unreachable", dst, q->proto);
		break;
	case 3:
		if (quoted_port(d, (unsigned)qi, &proto, &port))
			fprintf(out, "ICMP %s %s port %" PRIu64 " unreachable", dst, proto, port);
		else
			fprintf(out, "ICMP %s protocol %u port unreachable", dst, q->proto);
		break;
	case 4: /* RFC 1191: the next-hop MTU is in the low 16 bits */
		fprintf(out, "ICMP %s unreachable - need to frag (mtu %u)", dst, ic->seq);
		break;
	case 5:
		fprintf(out, "ICMP %s unreachable - source route failed", dst);
		break;
	case 13:
		fprintf(out, "ICMP %s unreachable - admin prohibited filter", dst);
		break;
	default:
		fprintf(out, "ICMP %s unreachable - code %u", dst, ic->code);
	}
}

static void describe_icmp(FILE *out, const struct ww_dissection *d, unsigned li, unsigned len)
{
	const struct ww_icmp *ic = &d->layers[li].h.icmp;
	int qi = layer_is(d, li + 1, WW_P_IPV4, 1) && !vw_layer_failed(d, li + 1) ? (int)li + 1 : -1;
	char a[16], b[16];
	switch (ic->type) {
	case WW_ICMP_ECHO_REPLY:
	case WW_ICMP_ECHO_REQUEST:
		fprintf(out, "ICMP echo %s, id %u, seq %u",
			ic->type == WW_ICMP_ECHO_REPLY ? "reply" : "request", ic->ident, ic->seq);
		break;
	case WW_ICMP_DEST_UNREACH:
		describe_unreach(out, d, li, qi);
		break;
	case WW_ICMP_TIME_EXCEEDED:
		if (ic->code == 0)
			fputs("ICMP time exceeded in-transit", out);
		else if (ic->code == 1)
			fputs("ICMP ip reassembly time exceeded", out);
		else
			fprintf(out, "ICMP time exceeded, code %u", ic->code);
		break;
	case WW_ICMP_REDIRECT:
		if (qi >= 0)
			fprintf(out, "ICMP redirect %s to host %s", ip_str(d->layers[qi].h.ip.dst, a),
				ip_str(ic->rest, b));
		else
			fprintf(out, "ICMP redirect to host %s", ip_str(ic->rest, b));
		break;
	case WW_ICMP_PARAM_PROBLEM:
		fprintf(out, "ICMP parameter problem - octet %u", ic->rest >> 24);
		break;
	default: {
		const char *name = ww_tok_str(ww_icmp_type_names, ic->type);
		if (name)
			fprintf(out, "ICMP %s", name);
		else
			fprintf(out, "ICMP type %u", ic->type);
		if (ic->code)
			fprintf(out, ", code %u", ic->code);
	}
	}
	fprintf(out, ", length %u", len);
}

static void put_tcp_options(FILE *out, const struct ww_tcp *t)
{
	const uint8_t *o = t->options;
	unsigned n = t->opt_len < WW_TCP_MAX_OPTS ? t->opt_len : WW_TCP_MAX_OPTS;
	fputs(", options [", out);
	for (unsigned i = 0; i < n;) {
		if (i)
			fputc(',', out);
		uint8_t kind = o[i];
		if (kind == WW_TCPOPT_EOL) {
			fputs("eol", out);
			break;
		}
		if (kind == WW_TCPOPT_NOP) {
			fputs("nop", out);
			i++;
			continue;
		}
		unsigned len = i + 1 < n ? o[i + 1] : 0;
		if (len < 2 || i + len > n) {
			fputs("bad opt", out);
			break;
		}
		const uint8_t *v = o + i + 2;
		if (kind == WW_TCPOPT_MSS && len == 4) {
			fprintf(out, "mss %u", ww_get16(v));
		} else if (kind == WW_TCPOPT_WSCALE && len == 3) {
			fprintf(out, "wscale %u", v[0]);
		} else if (kind == WW_TCPOPT_SACK_PERM && len == 2) {
			fputs("sackOK", out);
		} else if (kind == WW_TCPOPT_TS && len == 10) {
			fprintf(out, "TS val %u ecr %u", ww_get32(v), ww_get32(v + 4));
		} else if (kind == WW_TCPOPT_SACK && (len - 2) % 8 == 0) {
			fprintf(out, "sack %u ", (len - 2) / 8);
			for (unsigned k = 0; k + 8 <= len - 2; k += 8)
				fprintf(out, "{%u:%u}", ww_get32(v + k), ww_get32(v + k + 4));
		} else {
			fprintf(out, "opt-%u", kind);
			for (unsigned k = 0; k < len - 2; k++)
				fprintf(out, "%s%02x", k ? "" : ":", v[k]);
		}
		i += len;
	}
	fputc(']', out);
}

/* tcpdump's letters, in tcpdump's order: SYN+ACK is "S.", PSH+ACK "P.". */
static void put_tcp_flags(FILE *out, uint16_t flags)
{
	static const struct ww_tok letters[] = {
		{ WW_TCP_FIN, "F" }, { WW_TCP_SYN, "S" }, { WW_TCP_RST, "R" },
		{ WW_TCP_PSH, "P" }, { WW_TCP_ACK, "." }, { WW_TCP_URG, "U" },
		{ WW_TCP_ECE, "E" }, { WW_TCP_CWR, "W" }, { WW_TCP_AE, "e" }, { 0, NULL },
	};
	bool any = false;
	fputs("Flags [", out);
	for (const struct ww_tok *t = letters; t->s; t++)
		if (flags & t->v) {
			fputs(t->s, out);
			any = true;
		}
	fputs(any ? "]" : "none]", out);
}

static void describe_dns(FILE *out, const struct ww_dissection *d, unsigned li, unsigned len);

static void describe_tcp(FILE *out, const struct ww_dissection *d, unsigned li, unsigned iplen)
{
	const struct ww_tcp *t = &d->layers[li].h.tcp;
	unsigned hlen = t->doff * 4u;
	unsigned len = iplen > hlen ? iplen - hlen : 0;
	put_tcp_flags(out, t->flags);
	if (len || (t->flags & (WW_TCP_SYN | WW_TCP_FIN | WW_TCP_RST))) {
		fprintf(out, ", seq %u", t->seq);
		if (len)
			fprintf(out, ":%u", (uint32_t)(t->seq + len));
	}
	if (t->flags & WW_TCP_ACK)
		fprintf(out, ", ack %u", t->ack);
	fprintf(out, ", win %u", t->window);
	if (t->flags & WW_TCP_URG)
		fprintf(out, ", urg %u", t->urgent);
	if (t->opt_len)
		put_tcp_options(out, t);
	fprintf(out, ", length %u", len);
	/* What the payload is, as tcpdump does for HTTP ("length 84: HTTP:
	 * GET / HTTP/1.1"): summary_app.c. */
	if (layer_is(d, li + 1, WW_P_TLS, 0) || layer_is(d, li + 1, WW_P_HTTP, 0))
		vw_summary_app(out, d, li + 1);
	/* DNS over TCP, as tcpdump shows it: the message after its length. */
	if (layer_is(d, li + 1, WW_P_DNS, 0) && !vw_layer_failed(d, li + 1)) {
		fputs(": ", out);
		describe_dns(out, d, li + 1, len - 2);
	}
}

static void put_type(FILE *out, uint64_t type)
{
	const char *name = ww_tok_str(ww_dns_type_names, (uint32_t)type);
	if (name)
		fputs(name, out);
	else
		fprintf(out, "TYPE%" PRIu64, type); /* RFC 3597 */
}

/* A domain name as tcpdump writes it: fully qualified, "." for the root. */
static void put_name(FILE *out, const struct ww_item *it)
{
	if (it->plen == 6 && memcmp(it->p, "<Root>", 6) == 0) {
		fputc('.', out);
		return;
	}
	vw_put_text(out, it->p, it->plen);
	fputc('.', out);
}

static bool is_rdata(const char *name)
{
	if (strncmp(name, "dns.", 4) != 0)
		return false;
	static const char *const not_rdata[] = { "dns.resp.", "dns.qry.", "dns.count.",
						 "dns.flags", "dns.id", "dns.opt" };
	for (size_t i = 0; i < sizeof not_rdata / sizeof *not_rdata; i++)
		if (strncmp(name, not_rdata[i], strlen(not_rdata[i])) == 0)
			return false;
	size_t n = strlen(name);
	return !(n > 7 && strcmp(name + n - 7, ".length") == 0);
}

static void put_rdata(FILE *out, const struct ww_item *it)
{
	char buf[64];
	fputc(' ', out);
	switch (it->f->type) {
	case WW_FT_STRING:
		if (strcmp(it->f->name, "dns.txt") == 0) {
			fputc('"', out);
			vw_put_text(out, it->p, it->plen);
			fputc('"', out);
		} else {
			put_name(out, it);
		}
		break;
	case WW_FT_IPV4:
	case WW_FT_IPV6:
	case WW_FT_UINT:
	case WW_FT_BOOL:
		fputs(ww_fmt_value(it, buf, sizeof buf), out);
		break;
	default:
		fprintf(out, "[%u bytes]", it->plen);
	}
}

/* Questions of a query; the answer section of a response (tcpdump shows
 * authority and additional records only when very verbose). Records are
 * told apart by their dns.resp.type items, in frame order. */
static void put_dns_records(FILE *out, const struct ww_dissection *d, unsigned li, bool response,
			    unsigned ancount)
{
	const struct ww_item *qname = NULL;
	unsigned rec = 0;
	bool in_answer = false;
	for (unsigned i = 0; i < d->nitems; i++) {
		const struct ww_item *it = &d->items[i];
		if (it->layer != li)
			continue;
		const char *n = it->f->name;
		if (strcmp(n, "dns.qry.name") == 0 && it->f->type == WW_FT_STRING) {
			qname = it;
		} else if (strcmp(n, "dns.qry.type") == 0 && !response) {
			fputc(' ', out);
			put_type(out, it->u);
			fputs("? ", out);
			if (qname)
				put_name(out, qname);
		} else if (strcmp(n, "dns.resp.type") == 0) {
			rec++;
			in_answer = response && rec <= ancount;
			if (in_answer) {
				fputs(rec == 1 ? " " : ", ", out);
				put_type(out, it->u);
			}
		} else if (in_answer && is_rdata(n)) {
			put_rdata(out, it);
		}
	}
}

static void describe_dns(FILE *out, const struct ww_dissection *d, unsigned li, unsigned len)
{
	static const char *const rcodes[] = { "", " FormErr", " ServFail", " NXDomain",
					      " NotImp", " Refused" };
	static const char *const opcodes[] = { "", " inv_q", " stat", " op3", " notify",
					       " update" };
	const struct ww_dns_header *h = &d->layers[li].h.dns;
	unsigned op = WW_DNS_OPCODE(h->flags), rc = WW_DNS_RCODE(h->flags);
	bool response = h->flags & WW_DNS_QR;
	fprintf(out, "DNS %u", h->id);
	if (op < 6)
		fputs(opcodes[op], out);
	else
		fprintf(out, " op%u", op);
	if (response) {
		if (rc < 6)
			fputs(rcodes[rc], out);
		else
			fprintf(out, " Resp%u", rc);
		fprintf(out, "%s%s%s%s", h->flags & WW_DNS_AA ? "*" : "",
			h->flags & WW_DNS_RA ? "" : "-", h->flags & WW_DNS_TC ? "|" : "",
			h->flags & WW_DNS_AD ? "$" : "");
		if (h->qdcount != 1)
			fprintf(out, " [%uq]", h->qdcount);
		fprintf(out, " %u/%u/%u", h->ancount, h->nscount, h->arcount);
	} else {
		fprintf(out, "%s%s", h->flags & WW_DNS_RD ? "+" : "", h->flags & WW_DNS_CD ? "%" : "");
		if (h->qdcount != 1)
			fprintf(out, " [%uq]", h->qdcount);
		if (h->ancount)
			fprintf(out, " [%ua]", h->ancount);
		if (h->nscount)
			fprintf(out, " [%un]", h->nscount);
		if (h->arcount)
			fprintf(out, " [%uau]", h->arcount);
	}
	put_dns_records(out, d, li, response, h->ancount);
	fprintf(out, " (%u)", len);
}

static void describe_udp(FILE *out, const struct ww_dissection *d, unsigned li)
{
	const struct ww_udp *u = &d->layers[li].h.udp;
	unsigned len = u->len >= WW_UDP_HLEN ? u->len - WW_UDP_HLEN : 0;
	if (layer_is(d, li + 1, WW_P_DNS, 0) && !vw_layer_failed(d, li + 1))
		describe_dns(out, d, li + 1, len);
	else if (layer_is(d, li + 1, WW_P_DNS, 0))
		fputs("DNS", out);
	else
		fprintf(out, "UDP, length %u", len);
}

static void put_proto(FILE *out, uint8_t proto)
{
	const char *name = ww_tok_str(ww_ipproto_names, proto);
	if (name)
		fputs(name, out);
	else
		fprintf(out, "ip-proto-%u", proto);
}

/* Ports of the transport layer TI, from its parsed header, or from its
 * items when its dissection failed. */
static bool transport_ports(const struct ww_dissection *d, int ti, uint64_t *sp, uint64_t *dp)
{
	if (ti < 0)
		return false;
	const struct ww_layer *l = &d->layers[ti];
	if (!vw_layer_failed(d, (unsigned)ti)) {
		*sp = l->proto == WW_P_TCP ? l->h.tcp.sport : l->h.udp.sport;
		*dp = l->proto == WW_P_TCP ? l->h.tcp.dport : l->h.udp.dport;
		return true;
	}
	const char *s = l->proto == WW_P_TCP ? "tcp.srcport" : "udp.srcport";
	const char *t = l->proto == WW_P_TCP ? "tcp.dstport" : "udp.dstport";
	return vw_item_u(d, (unsigned)ti, s, sp) && vw_item_u(d, (unsigned)ti, t, dp);
}

static void describe_ip(FILE *out, const struct ww_dissection *d, unsigned li)
{
	const struct ww_ipv4 *ip = &d->layers[li].h.ip;
	unsigned hlen = ip->ihl * 4u;
	unsigned len = ip->total_len > hlen ? ip->total_len - hlen : 0;
	bool first = ww_ipv4_is_first_fragment(ip);
	int ti = -1;
	if (first && li + 1 < d->nlayers && d->layers[li + 1].depth == 0)
		ti = (int)li + 1;
	int pi = ti >= 0 && (d->layers[ti].proto == WW_P_TCP || d->layers[ti].proto == WW_P_UDP) ? ti : -1;

	char s[16], t[16];
	uint64_t sp, dp;
	if (transport_ports(d, pi, &sp, &dp))
		fprintf(out, "%s.%" PRIu64 " > %s.%" PRIu64 ": ", ip_str(ip->src, s), sp,
			ip_str(ip->dst, t), dp);
	else
		fprintf(out, "%s > %s: ", ip_str(ip->src, s), ip_str(ip->dst, t));

	enum ww_proto p = ti >= 0 ? d->layers[ti].proto : WW_P_DATA;
	if (ti >= 0 && vw_layer_failed(d, (unsigned)ti))
		put_proto(out, ip->proto);
	else if (p == WW_P_ICMP)
		describe_icmp(out, d, (unsigned)ti, len);
	else if (p == WW_P_UDP)
		describe_udp(out, d, (unsigned)ti);
	else if (p == WW_P_TCP)
		describe_tcp(out, d, (unsigned)ti, len);
	else
		put_proto(out, ip->proto);
	if (first && p == WW_P_DATA && d->nerrors == 0) /* a protocol not dissected here */
		fprintf(out, ", length %u", len);
	if (ww_ipv4_is_fragment(ip)) /* classic tcpdump: (frag id:size@offset+) */
		fprintf(out, " (frag %u:%u@%u%s)", ip->id, len, ip->frag_off * 8u,
			ip->flags & WW_IP_FLAG_MF ? "+" : "");
}

/* From the IPv4 layer's items, when its header could not be parsed. */
static void describe_bad_ip(FILE *out, const struct ww_dissection *d, unsigned li)
{
	const struct ww_item *s = vw_item_find(d, li, "ip.src");
	const struct ww_item *t = vw_item_find(d, li, "ip.dst");
	char a[16], b[16];
	if (s && t)
		fprintf(out, "%s > %s: ", ip_str((uint32_t)s->u, a), ip_str((uint32_t)t->u, b));
	fputs("IPv4", out);
}

static void describe(FILE *out, const struct ww_dissection *d)
{
	if (d->nlayers == 0 || vw_layer_failed(d, 0)) {
		fprintf(out, "Ethernet, length %u", d->len);
		return;
	}
	unsigned li = 1;
	if (layer_is(d, li, WW_P_VLAN, 0)) {
		if (vw_layer_failed(d, li)) {
			fputs("802.1Q", out);
			return;
		}
		const struct ww_eth *e = &d->layers[li].h.eth;
		fprintf(out, "vlan %u, p %u, ", e->vlan_id, e->vlan_pcp);
		li++;
	}
	bool bad = li < d->nlayers && vw_layer_failed(d, li);
	if (layer_is(d, li, WW_P_ARP, 0) && bad)
		fputs("ARP", out);
	else if (layer_is(d, li, WW_P_ARP, 0))
		describe_arp(out, d, li);
	else if (layer_is(d, li, WW_P_IPV4, 0) && bad)
		describe_bad_ip(out, d, li);
	else if (layer_is(d, li, WW_P_IPV4, 0))
		describe_ip(out, d, li);
	else
		describe_ether(out, d);
}

static void put_errors(FILE *out, const struct ww_dissection *d, bool color)
{
	for (unsigned i = 0; i < d->nerrors; i++) {
		const struct ww_error *e = &d->errors[i];
		vw_color_on(out, color, VW_RED);
		if (e->status == WW_TRUNCATED && e->field)
			fprintf(out, " [|%.*s]", (int)vw_prefix_len(e->field), e->field);
		else
			fprintf(out, " (invalid: %s)", e->msg);
		vw_color_off(out, color);
	}
}

void ww_view_summary(FILE *out, const struct ww_dissection *d, const struct ww_view_opts *o)
{
	static const struct ww_view_opts none;
	if (!o)
		o = &none;
	fprintf(out, "%u %.6f ", o->frame_no, o->ts);
	if (o->has_dir)
		fputs(o->outgoing ? "→ " : "← ", out);
	describe(out, d);
	put_errors(out, d, o->color);
	fputc('\n', out);
}
