/* IPv4: parse any bytes as a datagram and as a header quoted in an ICMP
 * error. A header that parses must emit back to the same bytes, and with
 * lengths and checksum left to emit must still parse to the same fields
 * with a right checksum. The dissector must agree with the parser at both
 * depths and keep every item inside the bytes. Dotted-quad text: whatever
 * ww_ipv4_parse_addr accepts must print and parse back unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipv4.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static struct ww_dissection d;

static void check_emit(const uint8_t *data, const struct ww_ipv4 *ip, size_t payload)
{
	size_t hlen = ip->ihl * 4u;
	uint8_t buf[60];
	CHECK(ww_ipv4_header_len(ip) == hlen);
	CHECK(ww_ipv4_emit(ip, payload, buf, sizeof buf) == hlen);
	CHECK(memcmp(buf, data, hlen) == 0);

	/* Everything automatic: the same header, with a right checksum. */
	struct ww_ipv4 a = *ip;
	a.manual = 0;
	uint8_t frame[60 + 8];
	memset(frame, 0, sizeof frame);
	CHECK(ww_ipv4_emit(&a, 8, frame, sizeof frame) == hlen);
	CHECK(ww_inet_csum(frame, hlen) == 0);
	struct ww_cursor c;
	struct ww_ipv4 back;
	ww_cur_init(&c, frame, hlen + 8, 0);
	CHECK(ww_ipv4_parse(&c, &back) == 0);
	CHECK(back.total_len == hlen + 8 && back.ihl == ip->ihl && back.id == ip->id &&
	      back.flags == ip->flags && back.frag_off == ip->frag_off && back.src == ip->src &&
	      back.dst == ip->dst && back.opt_len == ip->opt_len &&
	      memcmp(back.options, ip->options, ip->opt_len) == 0);
	CHECK(ww_cur_left(&c) == 8);
}

static void check_dissect(const uint8_t *data, size_t size, uint8_t depth, int rc)
{
	struct ww_cursor c;
	ww_dissect_reset(&d, data, size);
	d.depth = depth;
	ww_cur_init(&c, data, size, 0);
	struct ww_layer *l = ww_ipv4_dissect(&d, &c);
	CHECK((l != NULL) == (rc == 0));
	CHECK(d.nerrors == (rc == 0 ? 0u : 1u));
	for (unsigned i = 0; i < d.nitems; i++) {
		const struct ww_item *it = &d.items[i];
		CHECK(it->off + it->len <= size);
		CHECK(!it->p || (it->p >= data && it->p + it->plen <= data + size));
	}
	if (l) {
		CHECK(l->len == l->h.ip.ihl * 4u);
		struct ww_item *ck = NULL;
		for (unsigned i = 0; i < d.nitems; i++)
			if (strcmp(d.items[i].f->name, "ip.checksum") == 0)
				ck = &d.items[i];
		CHECK(ck && ck->check != WW_CHECK_NONE);
		CHECK((ck->check == WW_CHECK_GOOD) == (ww_inet_csum(data, l->len) == 0));
	}
}

static void check_addr_text(const uint8_t *data, size_t size)
{
	char s[24], text[16];
	size_t n = size < sizeof s - 1 ? size : sizeof s - 1;
	memcpy(s, data, n);
	s[n] = '\0';
	uint32_t a, b;
	if (ww_ipv4_parse_addr(s, &a) != 0)
		return;
	CHECK(strcmp(ww_ipv4_str(a, text), s) == 0);
	CHECK(ww_ipv4_parse_addr(text, &b) == 0 && a == b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ww_cursor c;
	struct ww_ipv4 ip, q;
	ww_cur_init(&c, data, size, 0);
	int rc = ww_ipv4_parse(&c, &ip);
	if (rc == 0) {
		CHECK(ww_cur_offset(&c) == ip.ihl * 4u);
		CHECK(ww_cur_left(&c) == ip.total_len - ip.ihl * 4u);
		check_emit(data, &ip, ip.total_len - ip.ihl * 4u);
	} else {
		CHECK(c.err.status != WW_OK && c.err.field && c.err.msg[0]);
	}

	ww_cur_init(&c, data, size, 0);
	int qrc = ww_ipv4_parse_quoted(&c, &q);
	if (rc == 0)
		CHECK(qrc == 0 && q.total_len == ip.total_len);
	if (qrc == 0)
		CHECK(ww_cur_left(&c) <= (size_t)q.total_len - q.ihl * 4u);

	check_dissect(data, size, 0, rc);
	check_dissect(data, size, 1, qrc);
	check_addr_text(data, size);
	return 0;
}
