/* TCP header and option parser: anything parsed must emit back to the same
 * bytes and parse again to the same header; the options understood, laid
 * out afresh as Linux would, must parse back to the same meaning with a
 * checksum that verifies; dissection stays within the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipv4.h"
#include "ww/tcp.h"

#include "fuzz_check.h"

#define SRC 0xc0a80105u /* 192.168.1.5 */
#define DST 0xc000020au /* 192.0.2.10 */

static struct ww_dissection dis;
static uint8_t seg[65536];

static void same_meaning(const struct ww_tcp *a, const struct ww_tcp *b)
{
	check(a->sport == b->sport && a->dport == b->dport && a->seq == b->seq &&
	      a->ack == b->ack && a->flags == b->flags && a->window == b->window &&
	      a->urgent == b->urgent);
	check(a->has_mss == b->has_mss && a->mss == b->mss);
	check(a->has_wscale == b->has_wscale && a->wscale == b->wscale);
	check(a->sack_perm == b->sack_perm);
	check(a->has_ts == b->has_ts && a->tsval == b->tsval && a->tsecr == b->tsecr);
	check(a->nsack == b->nsack);
	for (unsigned i = 0; i < a->nsack; i++)
		check(a->sack[i].left == b->sack[i].left && a->sack[i].right == b->sack[i].right);
}

static void round_trip(const uint8_t *data, size_t size, struct ww_tcp *t)
{
	size_t hlen = t->doff * 4u;
	check(ww_tcp_header_len(t) == hlen);
	memcpy(seg, data, size);
	memset(seg, 0xa5, hlen);
	check(ww_tcp_emit(t, SRC, DST, seg, size) == hlen);
	check(memcmp(seg, data, size) == 0);
	struct ww_cursor c;
	struct ww_tcp again;
	ww_cur_init(&c, seg, size, 0);
	check(ww_tcp_parse(&c, &again) == 0);
	/* Field by field: a struct's padding need not match. */
	same_meaning(t, &again);
	check(again.doff == t->doff && again.checksum == t->checksum && again.manual == t->manual);
	check(again.opt_len == t->opt_len && memcmp(again.options, t->options, t->opt_len) == 0);

	/* Options from their meaning: a SACK list that was ignored on parse
	 * (none) stays empty; what does not fit in 40 bytes is refused. */
	t->manual = 0;
	size_t h2 = ww_tcp_header_len(t);
	size_t len = h2 + (size - hlen);
	if (h2 > WW_TCP_MAX_HLEN) {
		check(ww_tcp_emit(t, SRC, DST, seg, sizeof seg) == 0);
		return;
	}
	memcpy(seg + h2, data + hlen, size - hlen);
	check(ww_tcp_emit(t, SRC, DST, seg, len) == h2);
	check(ww_l4_csum(SRC, DST, WW_IPPROTO_TCP, seg, len) == 0);
	ww_cur_init(&c, seg, len, 0);
	check(ww_tcp_parse(&c, &again) == 0);
	same_meaning(t, &again);
	check(ww_cur_left(&c) == size - hlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > sizeof seg - WW_TCP_MAX_HLEN)
		return 0;
	struct ww_cursor c;
	struct ww_tcp t;
	ww_cur_init(&c, data, size, 0);
	if (ww_tcp_parse(&c, &t) != 0)
		check(c.err.status != WW_OK && c.err.field != NULL);
	else
		round_trip(data, size, &t);

	struct ww_ipv4 ip = { .version = 4, .ihl = 5, .proto = WW_IPPROTO_TCP, .src = SRC, .dst = DST };
	char flags[64];
	for (int frag = 0; frag < 2; frag++) {
		ip.flags = frag ? WW_IP_FLAG_MF : 0;
		ww_dissect_reset(&dis, data, size);
		ww_cur_init(&c, data, size, 0);
		struct ww_layer *l = ww_tcp_dissect(&dis, &c, &ip);
		check((l == NULL) == (dis.nerrors == 1));
		items_within(&dis, data, size);
		if (l)
			ww_tcp_flags_str(l->h.tcp.flags, flags, sizeof flags);
	}
	return 0;
}
