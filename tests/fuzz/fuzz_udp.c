/* UDP header parser: anything parsed must emit back to the same bytes and
 * parse again to the same header; a header built from the parsed numbers
 * must carry a checksum that verifies; dissection stays within the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipv4.h"
#include "ww/udp.h"

#include "fuzz_check.h"

#define SRC 0xc0a80105u /* 192.168.1.5 */
#define DST 0xcb007135u /* 203.0.113.53 */

static struct ww_dissection dis;
static uint8_t seg[65536];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ww_cursor c;
	struct ww_udp u;
	ww_cur_init(&c, data, size, 0);
	if (ww_udp_parse(&c, &u) != 0) {
		check(c.err.status != WW_OK && c.err.field != NULL);
	} else {
		check(ww_cur_left(&c) == u.len - 8u);
		memcpy(seg, data, u.len);
		memset(seg, 0xa5, 8);
		check(ww_udp_emit(&u, SRC, DST, seg, u.len) == 8);
		check(memcmp(seg, data, u.len) == 0);
		struct ww_udp again;
		ww_cur_init(&c, seg, u.len, 0);
		check(ww_udp_parse(&c, &again) == 0);
		/* Field by field: a struct's padding need not match. */
		check(again.sport == u.sport && again.dport == u.dport && again.len == u.len &&
		      again.checksum == u.checksum && again.manual == u.manual);
		/* Length and checksum computed: the datagram verifies. */
		u.manual = 0;
		check(ww_udp_emit(&u, SRC, DST, seg, u.len) == 8);
		check(ww_l4_csum(SRC, DST, WW_IPPROTO_UDP, seg, u.len) == 0);
	}
	struct ww_ipv4 ip = { .version = 4, .ihl = 5, .proto = WW_IPPROTO_UDP, .src = SRC, .dst = DST };
	for (int frag = 0; frag < 2; frag++) {
		ip.flags = frag ? WW_IP_FLAG_MF : 0;
		ww_dissect_reset(&dis, data, size);
		ww_cur_init(&c, data, size, 0);
		struct ww_layer *l = ww_udp_dissect(&dis, &c, &ip);
		check((l == NULL) == (dis.nerrors == 1));
		items_within(&dis, data, size);
	}
	return 0;
}
