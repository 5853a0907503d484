/* The TLS record dissector and hello parser on arbitrary bytes, alone and
 * as the payload of a TCP segment to port 443 inside a whole Ethernet /
 * IPv4 frame. Nothing is read out of bounds (ASan), every item lies within
 * the bytes, a dissection fails exactly when it records one error and that
 * error names a tls field; the hello parser returns 0 or -1 with a named
 * error and keeps its lists within their storage; the summary of the
 * frame stays one line of printable text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/eth.h"
#include "ww/ipv4.h"
#include "ww/tcp.h"
#include "ww/tls_record.h"
#include "ww/view.h"

#include "fuzz_check.h"

static struct ww_dissection dis;
static uint8_t frame[WW_ETH_HLEN + WW_IPV4_HLEN + WW_TCP_HLEN + 4096];

static void dissect_alone(const uint8_t *data, size_t size)
{
	if (!ww_tls_record_plausible(data, size))
		return;
	struct ww_cursor c;
	ww_dissect_reset(&dis, data, size);
	ww_cur_init(&c, data, size, 0);
	struct ww_layer *l = ww_tls_dissect(&dis, &c);
	check((l == NULL) == (dis.nerrors == 1));
	items_within(&dis, data, size);
	if (l) {
		/* At least the first record (or what there is of it). */
		check(l->len > 0 && l->len <= size);
		check(ww_cur_offset(&c) == l->len);
	} else {
		check(strncmp(dis.errors[0].field, "tls.", 4) == 0);
		check(dis.errors[0].offset <= size);
	}
}

static void parse_hello(const uint8_t *data, size_t size)
{
	struct ww_tls_hello h;
	struct ww_cursor c;
	ww_cur_init(&c, data, size, 0);
	int rc = ww_tls_hello_parse(&c, &h);
	check(rc == 0 || rc == -1);
	if (rc < 0) {
		check(c.err.status != WW_OK && c.err.field && c.err.msg[0]);
		return;
	}
	check(h.type == WW_TLS_HS_CLIENT_HELLO || h.type == WW_TLS_HS_SERVER_HELLO);
	check(h.session_id_len <= 32 && h.nsuites >= 1 && h.ncomp >= 1);
	check(h.nalpn <= WW_TLS_HELLO_MAX_LIST && h.nversions <= WW_TLS_HELLO_MAX_LIST);
	check(h.ngroups <= WW_TLS_HELLO_MAX_LIST && h.nshares <= WW_TLS_HELLO_MAX_LIST);
	check(strlen(h.sni) < sizeof h.sni);
	for (unsigned i = 0; i < h.nalpn; i++)
		check(strlen(h.alpn[i]) < WW_TLS_ALPN_MAX);
	check(ww_cur_offset(&c) == 4 + h.length);
}

/* 192.168.1.5:40000 -> 192.0.2.10:443, then every view of the frame. */
static void dissect_in_frame(const uint8_t *data, size_t size)
{
	if (size > sizeof frame - (WW_ETH_HLEN + WW_IPV4_HLEN + WW_TCP_HLEN))
		return;
	struct ww_eth eth = { .dst = { 2, 0, 0, 0, 1, 1 }, .src = { 2, 0, 0, 0, 0, 5 },
			      .type = WW_ETHERTYPE_IPV4 };
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.proto = WW_IPPROTO_TCP;
	ip.src = 0xc0a80105;
	ip.dst = 0xc000020a;
	struct ww_tcp tcp = { .sport = 40000, .dport = WW_TLS_PORT, .seq = 1, .ack = 1,
			      .flags = WW_TCP_PSH | WW_TCP_ACK, .window = 512 };
	size_t at = ww_eth_emit(&eth, frame, sizeof frame);
	uint8_t *seg = frame + at + WW_IPV4_HLEN;
	memcpy(seg + WW_TCP_HLEN, data, size);
	check(ww_tcp_emit(&tcp, ip.src, ip.dst, seg, WW_TCP_HLEN + size) == WW_TCP_HLEN);
	check(ww_ipv4_emit(&ip, WW_TCP_HLEN + size, frame + at, WW_IPV4_HLEN) == WW_IPV4_HLEN);
	size_t len = at + WW_IPV4_HLEN + WW_TCP_HLEN + size;
	ww_dissect(&dis, frame, len);
	items_within(&dis, frame, len);
	check(dis.nlayers >= 3 && dis.layers[2].proto == WW_P_TCP);
	/* TLS exactly when the payload could begin a record (else data, or
	 * HTTP for bytes that look like a request). */
	if (dis.nlayers > 3)
		check((dis.layers[3].proto == WW_P_TLS) == ww_tls_record_plausible(data, size));

	views_take(&dis);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dissect_alone(data, size);
	parse_hello(data, size);
	/* The same bytes after a record header: a hello message inside. */
	if (size > 4)
		parse_hello(data + 5, size - 5);
	dissect_in_frame(data, size);
	return 0;
}
