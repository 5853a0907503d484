/* DNS message parser: whatever parses must emit, parse again to the same
 * records and emit again to the same bytes; the text forms stay within
 * their buffers; the dissector agrees with the parser on every error and
 * keeps its items inside the input, alone and inside a whole Ethernet /
 * IPv4 / UDP frame. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/dns.h"
#include "ww/eth.h"
#include "ww/ipv4.h"
#include "ww/udp.h"

static struct ww_dns_msg m, again;
static struct ww_dissection dis;
/* Decompressed, 8 questions and 64 records fit in well under 128 KB. */
static uint8_t out[1 << 17], out2[1 << 17];
static uint8_t frame[WW_ETH_HLEN + WW_IPV4_HLEN + WW_UDP_HLEN + 4096];

static void check(int ok)
{
	if (!ok)
		abort();
}

static int same_name(const struct ww_dns_name *a, const struct ww_dns_name *b)
{
	return a->len == b->len && memcmp(a->wire, b->wire, a->len) == 0;
}

static void check_text(void)
{
	static char text[8192];
	for (unsigned i = 0; i < m.nrr; i++) {
		size_t n = ww_dns_rr_text(&m.rr[i], WW_DNS_TEXT_COLUMNS, text, sizeof text);
		check(n >= sizeof text || strlen(text) == n);
		char small[7];
		memset(small, 0x5a, sizeof small);
		check(ww_dns_rr_text(&m.rr[i], 0, small, 6) >= strlen(small));
		check((uint8_t)small[6] == 0x5a);
		for (int style = WW_DNS_NAME_PLAIN; style <= WW_DNS_NAME_TSHARK; style++) {
			n = ww_dns_name_text(&m.rr[i].rrname, style, text, WW_DNS_TEXT_MAX);
			check(n < WW_DNS_TEXT_MAX && strlen(text) == n);
		}
		/* dig's form reads back to the same name. */
		struct ww_dns_name back;
		ww_dns_name_text(&m.rr[i].rrname, WW_DNS_NAME_FQDN, text, WW_DNS_TEXT_MAX);
		check(ww_dns_name_from_text(&back, text, NULL) == 0);
		check(same_name(&back, &m.rr[i].rrname));
	}
	for (unsigned i = 0; i < m.nq; i++)
		ww_dns_question_text(&m.q[i], WW_DNS_TEXT_COLUMNS, text, sizeof text);
}

static void round_trip(void)
{
	size_t n = ww_dns_emit(&m, out, sizeof out);
	check(n >= WW_DNS_HLEN);
	struct ww_error err;
	check(ww_dns_parse(out, n, &again, &err) == 0);
	check(again.h.id == m.h.id && again.h.flags == m.h.flags);
	check(again.nq == m.nq && again.nrr == m.nrr && again.trailing == 0);
	for (int s = 0; s < 3; s++)
		check(again.nsec[s] == m.nsec[s]);
	for (unsigned i = 0; i < m.nq; i++)
		check(same_name(&again.q[i].qname, &m.q[i].qname) &&
		      again.q[i].qtype == m.q[i].qtype && again.q[i].qclass == m.q[i].qclass);
	for (unsigned i = 0; i < m.nrr; i++)
		check(ww_dns_rr_equal(&again.rr[i], &m.rr[i]) && again.rr[i].section == m.rr[i].section);
	check(ww_dns_emit(&again, out2, sizeof out2) == n);
	check(memcmp(out, out2, n) == 0);
	/* Without compression: longer or equal, and the same records. */
	m.no_compress = true;
	size_t full = ww_dns_emit(&m, out2, sizeof out2);
	check(full >= n);
	check(ww_dns_parse(out2, full, &again, &err) == 0 && again.nrr == m.nrr);
	for (unsigned i = 0; i < m.nrr; i++)
		check(ww_dns_rr_equal(&again.rr[i], &m.rr[i]));
}

static void items_within(const uint8_t *data, size_t size)
{
	for (unsigned i = 0; i < dis.nitems; i++) {
		const struct ww_item *it = &dis.items[i];
		check(it->off + (uint64_t)it->len <= size);
		if (it->p && it->f->type != WW_FT_STRING)
			check(it->p >= data && it->p + it->plen <= data + size);
	}
	for (unsigned i = 0; i < dis.nerrors; i++)
		check(dis.errors[i].status != WW_OK && dis.errors[i].field != NULL);
}

/* The parser's storage limits are the only errors the dissector, which
 * keeps nothing, does not share. */
static int limit_error(const struct ww_error *e)
{
	return e->status == WW_INVALID && (strstr(e->msg, "this parser's limit") != NULL);
}

static void dissect_alone(const uint8_t *data, size_t size, int parsed, const struct ww_error *err)
{
	struct ww_cursor c;
	ww_dissect_reset(&dis, data, size);
	ww_cur_init(&c, data, size, 0);
	struct ww_layer *l = ww_dns_dissect(&dis, &c);
	check((l == NULL) == (dis.nerrors == 1));
	items_within(data, size);
	if (parsed) {
		check(l != NULL);
	} else if (!limit_error(err)) {
		check(l == NULL);
		const struct ww_error *e = &dis.errors[0];
		check(e->status == err->status && strcmp(e->field, err->field) == 0 &&
		      e->offset == err->offset);
	}
}

/* 198.51.100.3:53 -> 198.51.100.100:40000 */
static void dissect_in_frame(const uint8_t *data, size_t size)
{
	if (size > sizeof frame - (WW_ETH_HLEN + WW_IPV4_HLEN + WW_UDP_HLEN))
		return;
	struct ww_eth eth = { .dst = { 2, 0, 0, 0, 0, 5 }, .src = { 2, 0, 0, 0, 1, 1 },
			      .type = WW_ETHERTYPE_IPV4 };
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.proto = WW_IPPROTO_UDP;
	ip.src = 0xc6336403;
	ip.dst = 0xc6336464;
	struct ww_udp udp = { .sport = 53, .dport = 40000 };
	size_t at = ww_eth_emit(&eth, frame, sizeof frame);
	uint8_t *seg = frame + at + WW_IPV4_HLEN;
	memcpy(seg + WW_UDP_HLEN, data, size);
	check(ww_udp_emit(&udp, ip.src, ip.dst, seg, WW_UDP_HLEN + size) == WW_UDP_HLEN);
	check(ww_ipv4_emit(&ip, WW_UDP_HLEN + size, frame + at, WW_IPV4_HLEN) == WW_IPV4_HLEN);
	size_t len = at + WW_IPV4_HLEN + WW_UDP_HLEN + size;
	ww_dissect(&dis, frame, len);
	items_within(frame, len);
	check(dis.nlayers >= 4 && dis.layers[3].proto == WW_P_DNS);
	check(dis.layers[3].off == at + WW_IPV4_HLEN + WW_UDP_HLEN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ww_error err;
	if (size > 0xffff) /* no transport carries more */
		return 0;
	int parsed = ww_dns_parse(data, size, &m, &err) == 0;
	if (parsed) {
		check(err.status == WW_OK);
		check(m.trailing <= size);
		check_text();
		round_trip();
	} else {
		check(err.status != WW_OK && err.field != NULL && err.offset <= size);
	}
	dissect_alone(data, size, parsed, &err);
	dissect_in_frame(data, size);
	return 0;
}
