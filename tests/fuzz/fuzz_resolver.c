/* libFuzzer target: arbitrary answers to a resolver awaiting a query, the
 * DNS parse path as the resolver meets it (matching, parsing, referrals,
 * CNAMEs, caching, the answer made from a walk). The stack is
 * 192.168.1.5/24 via 192.168.1.1, which it knows; the lookup is for
 * www.example.com A.
 *
 *   byte 0: bit 0 walk from the root (+trace) instead of asking the
 *           resolver; bit 1 each answer is made of a header with the
 *           query's ID and question and the input's records, rather than
 *           the input as it is (with the query's ID put in); bit 2 answer
 *           from the wrong port now and then
 *   then records: len (2 bytes, big-endian), data (len bytes, cut at the
 *           end); len 0: let a second pass instead
 *
 * Each record answers the query in flight, from its server's address and
 * port. Every frame the stack sends must be one well-formed DNS query
 * over UDP; a lookup that ends must end with a message that parses, or
 * with an error saying why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dns.h"
#include "ww/eth.h"
#include "ww/ipv4.h"
#include "ww/resolver.h"
#include "ww/stack.h"
#include "ww/udp.h"
#include "ww/udpsock.h"

#define OUR_IP 0xc0a80105u
#define GW_IP 0xc0a80101u

static const uint8_t our_mac[6] = { 0x02, 0, 0, 0, 0, 0x05 };
static const uint8_t gw_mac[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };

/* The query in flight, read from the last frame sent. */
static struct {
	int have;
	uint32_t dst;
	uint16_t sport, id;
	uint8_t question[WW_DNS_NAME_MAX + 4];
	size_t qlen;
} last;

static struct ww_dns_msg parsed;
static uint8_t frame[70000];

static void check(int ok)
{
	if (!ok)
		abort();
}

static int tx(void *arg, const uint8_t *f, size_t len)
{
	(void)arg;
	check(len >= 60 && len <= 14 + 1500);
	struct ww_cursor c;
	ww_cur_init(&c, f, len, 0);
	struct ww_eth eth;
	struct ww_ipv4 ip;
	struct ww_udp udp;
	check(ww_eth_parse(&c, &eth) == 0);
	if (eth.type == WW_ETHERTYPE_ARP) /* the answer to the gateway's request */
		return 0;
	check(eth.type == WW_ETHERTYPE_IPV4);
	check(ww_ipv4_parse(&c, &ip) == 0 && ip.proto == WW_IPPROTO_UDP);
	const uint8_t *seg = ww_cur_here(&c);
	check(ww_udp_parse(&c, &udp) == 0 && udp.dport == 53);
	check(ww_l4_csum(ip.src, ip.dst, WW_IPPROTO_UDP, seg, udp.len) == 0);
	const uint8_t *msg = ww_cur_here(&c);
	size_t n = ww_cur_left(&c);
	check(ww_dns_parse(msg, n, &parsed, NULL) == 0);
	check(parsed.nq == 1 && parsed.nrr == 0 && !(parsed.h.flags & WW_DNS_QR));
	last.have = 1;
	last.dst = ip.dst;
	last.sport = udp.sport;
	last.id = parsed.h.id;
	last.qlen = n - WW_DNS_HLEN;
	memcpy(last.question, msg + WW_DNS_HLEN, last.qlen);
	return 0;
}

static void ev(void *arg, const struct ww_event *e)
{
	(void)arg;
	check(e->text && strlen(e->text) < 256);
}

static void input_udp(struct ww_stack *st, uint32_t src, uint16_t sport, uint16_t dport,
		      const uint8_t *msg, size_t len, uint64_t now)
{
	uint8_t *p = frame;
	struct ww_eth eth = { .type = WW_ETHERTYPE_IPV4 };
	memcpy(eth.dst, our_mac, 6);
	memcpy(eth.src, gw_mac, 6);
	p += ww_eth_emit(&eth, p, WW_ETH_HLEN);
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.src = src;
	ip.dst = OUR_IP;
	ip.proto = WW_IPPROTO_UDP;
	uint8_t *seg = p + WW_IPV4_HLEN;
	memcpy(seg + WW_UDP_HLEN, msg, len);
	struct ww_udp u = { .sport = sport, .dport = dport };
	ww_udp_emit(&u, src, OUR_IP, seg, WW_UDP_HLEN + len);
	ww_ipv4_emit(&ip, WW_UDP_HLEN + len, p, WW_IPV4_HLEN);
	size_t n = WW_ETH_HLEN + WW_IPV4_HLEN + WW_UDP_HLEN + len;
	if (n < 60) {
		memset(frame + n, 0, 60 - n);
		n = 60;
	}
	ww_stack_input(st, frame, n, now);
}

static void learn_gateway(struct ww_stack *st)
{
	uint8_t f[60] = { 0 };
	memset(f, 0xff, 6);
	memcpy(f + 6, gw_mac, 6);
	ww_put16(f + 12, WW_ETHERTYPE_ARP);
	/* The gateway asks for us: the stack learns its MAC from that. */
	static const uint8_t arp[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	memcpy(f + 14, arp, 8);
	memcpy(f + 22, gw_mac, 6);
	ww_put32(f + 28, GW_IP);
	ww_put32(f + 38, OUR_IP);
	ww_stack_input(st, f, sizeof f, 0);
}

static uint8_t reply[70000];

/* The answer a record makes: the input itself with the query's ID, or a
 * header and the question around it. */
static size_t make_reply(int structured, const uint8_t *data, size_t n)
{
	if (!structured) {
		memcpy(reply, data, n);
		if (n >= 2)
			ww_put16(reply, last.id);
		return n;
	}
	uint8_t h[WW_DNS_HLEN] = { 0 };
	ww_put16(h, last.id);
	if (n >= 8) {
		memcpy(h + 2, data, 2);
		h[2] |= 0x80;
		ww_put16(h + 4, 1);
		memcpy(h + 6, data + 2, 6);
		data += 8;
		n -= 8;
	}
	memcpy(reply, h, sizeof h);
	memcpy(reply + sizeof h, last.question, last.qlen);
	memcpy(reply + sizeof h + last.qlen, data, n);
	return sizeof h + last.qlen + n;
}

static void check_result(const struct ww_resolve_result *r)
{
	check(r->status != WW_RESOLVE_PENDING);
	check(r->naddrs <= WW_RES_ADDRS_MAX);
	if (r->status == WW_RESOLVE_ANSWERED) {
		check(r->msg != NULL);
		check(ww_dns_parse(r->msg, r->msg_len, &parsed, NULL) == 0);
	} else {
		check(r->error[0] != '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	data++;
	size--;
	struct ww_stack_config cfg = { .mac = { 0x02, 0, 0, 0, 0, 0x05 }, .ip = OUR_IP,
				       .prefix = 24, .gw = GW_IP };
	struct ww_stack *st = ww_stack_new(&cfg, tx, NULL, ev, NULL);
	check(st != NULL);
	learn_gateway(st);
	struct ww_udp_layer *u = ww_udp_new(st, 1, ev, NULL);
	struct ww_resolver_config rc;
	ww_resolver_config_init(&rc);
	rc.server = 0xcb007135; /* 203.0.113.53 */
	rc.nroots = 1;
	rc.roots[0].ip = 0xc6336401; /* 198.51.100.1 */
	memcpy(rc.roots[0].name, "a.root-servers.net.", 20);
	rc.seed = 1;
	struct ww_resolver *r = ww_resolver_new(u, &rc, ev, NULL);
	check(u && r);
	struct ww_resolve_req req = { .qtype = WW_DNS_A, .use_cache = true,
				      .mode = (mode & 1) ? WW_RESOLVE_ITERATIVE : WW_RESOLVE_STUB };
	ww_dns_name_from_text(&req.qname, "www.example.com", NULL);
	uint64_t now = 1000000000ull;
	last.have = 0;
	struct ww_lookup *l = ww_resolver_start(r, &req, now, NULL, 0);
	check(l != NULL && last.have);
	unsigned k = 0;
	while (size >= 2 && !ww_lookup_done(l)) {
		size_t len = ww_get16(data);
		data += 2;
		size -= 2;
		size_t n = len < size ? len : size;
		if (n == 0) {
			now += 1000000000ull;
			ww_resolver_poll(r, now);
			continue;
		}
		size_t rlen = make_reply(mode & 2, data, n);
		uint16_t sport = (mode & 4) && (k++ % 3 == 2) ? 5353 : 53;
		input_udp(st, last.dst, sport, last.sport, reply, rlen, now);
		data += n;
		size -= n;
		now += 1000000;
	}
	/* Whatever is left runs out on the clock. */
	for (int i = 0; i < 600 && !ww_lookup_done(l); i++) {
		now += 1000000000ull;
		ww_resolver_poll(r, now);
	}
	check_result(ww_lookup_result(l));
	ww_lookup_free(l);
	/* A second lookup of the same name: the cache, or the wire again. */
	l = ww_resolver_start(r, &req, now, NULL, 0);
	check(l != NULL);
	ww_lookup_free(l);
	ww_resolver_free(r);
	ww_udp_free(u);
	ww_stack_free(st);
	return 0;
}
