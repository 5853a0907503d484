/* The HTTP/1.x head parser and dissector on arbitrary bytes, alone and as
 * the payload of a TCP segment from port 80 inside a whole Ethernet / IPv4
 * frame. Nothing is read out of bounds (ASan); the parser and the
 * dissector agree (same outcome, same error field and offset, same head
 * length, partial exactly when the head is not complete); every item and
 * span lies within the bytes; the summary stays one line of printable
 * text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/eth.h"
#include "ww/http_msg.h"
#include "ww/ipv4.h"
#include "ww/tcp.h"
#include "ww/view.h"

#include "fuzz_check.h"

static struct ww_dissection dis;
static uint8_t frame[WW_ETH_HLEN + WW_IPV4_HLEN + WW_TCP_HLEN + 4096];

static void span_within(const struct ww_http_span *s, uint32_t len)
{
	check((uint64_t)s->off + s->len <= len);
}

static unsigned count(const struct ww_field *f)
{
	unsigned n = 0;
	for (unsigned i = 0; i < dis.nitems; i++)
		n += dis.items[i].f == f;
	return n;
}

static void parse_and_dissect(const uint8_t *data, size_t size)
{
	struct ww_http_msg m;
	struct ww_cursor c;
	ww_cur_init(&c, data, size, 0);
	int rc = ww_http_msg_parse(&c, &m);
	check(rc == 0 || rc == -1);
	struct ww_error err = c.err;
	if (rc == 0) {
		check(m.head_len <= size && ww_cur_offset(&c) == m.head_len);
		span_within(&m.method, m.head_len);
		span_within(&m.uri, m.head_len);
		span_within(&m.version, m.head_len);
		span_within(&m.phrase, m.head_len);
		check(!m.response || m.code == 0 || (m.code >= 100 && m.code <= 599));
	} else {
		check(err.status == WW_INVALID || err.status == WW_TRUNCATED);
		check(err.field && strncmp(err.field, "http.", 5) == 0 && err.msg[0]);
	}
	if (!ww_http_msg_plausible(data, size, true))
		return;
	ww_dissect_reset(&dis, data, size);
	ww_cur_init(&c, data, size, 0);
	struct ww_layer *l = ww_http_msg_dissect(&dis, &c);
	items_within(&dis, data, size);
	check((l == NULL) == (rc < 0));
	check((l == NULL) == (dis.nerrors == 1));
	if (l) {
		check(l->len == m.head_len);
		check(count(&ww_http_fields[WW_HTTP_F_PARTIAL]) == (m.complete ? 0u : 1u));
	} else {
		check(strcmp(dis.errors[0].field, err.field) == 0);
		check(dis.errors[0].offset == err.offset && dis.errors[0].offset <= size);
	}
}

/* 192.0.2.10:80 -> 192.168.1.5:40000, then every view of the frame. */
static void dissect_in_frame(const uint8_t *data, size_t size)
{
	if (size > sizeof frame - (WW_ETH_HLEN + WW_IPV4_HLEN + WW_TCP_HLEN))
		return;
	struct ww_eth eth = { .dst = { 2, 0, 0, 0, 0, 5 }, .src = { 2, 0, 0, 0, 1, 1 },
			      .type = WW_ETHERTYPE_IPV4 };
	struct ww_ipv4 ip;
	ww_ipv4_init(&ip);
	ip.proto = WW_IPPROTO_TCP;
	ip.src = 0xc000020a;
	ip.dst = 0xc0a80105;
	struct ww_tcp tcp = { .sport = WW_HTTP_PORT, .dport = 40000, .seq = 1, .ack = 1,
			      .flags = WW_TCP_PSH | WW_TCP_ACK, .window = 512 };
	size_t at = ww_eth_emit(&eth, frame, sizeof frame);
	uint8_t *seg = frame + at + WW_IPV4_HLEN;
	memcpy(seg + WW_TCP_HLEN, data, size);
	check(ww_tcp_emit(&tcp, ip.src, ip.dst, seg, WW_TCP_HLEN + size) == WW_TCP_HLEN);
	check(ww_ipv4_emit(&ip, WW_TCP_HLEN + size, frame + at, WW_IPV4_HLEN) == WW_IPV4_HLEN);
	size_t len = at + WW_IPV4_HLEN + WW_TCP_HLEN + size;
	ww_dissect(&dis, frame, len);
	items_within(&dis, frame, len);
	/* On the HTTP port only HTTP is looked for. */
	if (dis.nlayers > 3)
		check(dis.layers[3].proto ==
		      (ww_http_msg_plausible(data, size, true) ? WW_P_HTTP : WW_P_DATA));

	views_take(&dis);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_and_dissect(data, size);
	dissect_in_frame(data, size);
	return 0;
}
