/* UDP (RFC 768): four 16-bit fields, then the payload.
 *
 *   0      7 8     15 16    23 24    31
 *  +--------+--------+--------+--------+
 *  |   source port   |    dest port    |
 *  +--------+--------+--------+--------+
 *  |     length      |    checksum     |
 *  +--------+--------+--------+--------+
 */
#include "ww/udp.h"

#include <stdio.h>

#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/dissect.h"
#include "ww/ipv4.h"

const struct ww_field ww_udp_fields[WW_UDP_F_END + 1] = {
	[WW_UDP_F_SRCPORT] = { .name = "udp.srcport", .label = "Source Port", .alias = "sport",
			       .type = WW_FT_UINT, .bit_off = 0, .bit_width = 16,
			       .help = "the sender's port: where a reply goes" },
	[WW_UDP_F_DSTPORT] = { .name = "udp.dstport", .label = "Destination Port", .alias = "dport",
			       .type = WW_FT_UINT, .bit_off = 16, .bit_width = 16,
			       .help = "the receiving socket's port (DNS 53)" },
	[WW_UDP_F_LENGTH] = { .name = "udp.length", .label = "Length", .alias = "len",
			      .type = WW_FT_UINT, .bit_off = 32, .bit_width = 16,
			      .help = "header and payload in bytes, at least 8" },
	[WW_UDP_F_CHECKSUM] = {
		.name = "udp.checksum", .label = "Checksum", .alias = "chksum", .type = WW_FT_UINT,
		.base = WW_BASE_HEX, .bit_off = 48, .bit_width = 16,
		.help = "RFC 1071 sum over pseudo-header, header and payload; 0 = not computed" },
	[WW_UDP_F_END] = { 0 },
};

/* WHOLE: the datagram must be all here. In the first fragment of a
 * fragmented datagram the rest of it is elsewhere, so a length beyond the
 * bytes here is what one expects. */
static int parse_udp(struct ww_cursor *c, struct ww_udp *udp, bool whole)
{
	*udp = (struct ww_udp){ 0 };
	uint32_t len_at = ww_cur_offset(c) + 4; /* errors about the length point at it */
	udp->sport = ww_cur_u16(c, "udp.srcport");
	udp->dport = ww_cur_u16(c, "udp.dstport");
	udp->len = ww_cur_u16(c, "udp.length");
	udp->checksum = ww_cur_u16(c, "udp.checksum");
	if (!ww_cur_ok(c))
		return -1;
	/* Re-emitting what was parsed keeps the length and checksum as seen. */
	udp->manual = WW_UDP_MANUAL_LEN | WW_UDP_MANUAL_CSUM;
	if (udp->len < WW_UDP_HLEN) {
		ww_cur_invalid(c, "udp.length", "UDP length %u < 8 (the header alone is 8)", udp->len);
		c->err.offset = len_at;
		return -1;
	}
	size_t payload = udp->len - WW_UDP_HLEN;
	size_t left = ww_cur_left(c);
	if (whole && payload > left) {
		ww_cur_truncated(c, "udp.length", payload);
		snprintf(c->err.msg, sizeof c->err.msg, "UDP length %u > %zu bytes left", udp->len,
			 left + WW_UDP_HLEN);
		c->err.offset = len_at;
		return -1;
	}
	ww_cur_limit(c, payload);
	return 0;
}

int ww_udp_parse(struct ww_cursor *c, struct ww_udp *udp)
{
	return parse_udp(c, udp, true);
}

size_t ww_udp_emit(const struct ww_udp *udp, uint32_t src, uint32_t dst, uint8_t *seg,
		   size_t seg_len)
{
	if (seg_len < WW_UDP_HLEN || seg_len > 0xffff)
		return 0;
	uint16_t len = (udp->manual & WW_UDP_MANUAL_LEN) ? udp->len : (uint16_t)seg_len;
	ww_put16(seg, udp->sport);
	ww_put16(seg + 2, udp->dport);
	ww_put16(seg + 4, len);
	if (udp->manual & WW_UDP_MANUAL_CSUM) {
		ww_put16(seg + 6, udp->checksum);
		return WW_UDP_HLEN;
	}
	size_t cover = (len >= WW_UDP_HLEN && len <= seg_len) ? len : seg_len;
	ww_put16(seg + 6, 0);
	uint16_t sum = ww_csum_finish(ww_sum16(seg, cover, ww_pseudo_sum(src, dst, WW_IPPROTO_UDP, len)));
	/* 0 means "no checksum"; its one's-complement twin says "computed" */
	ww_put16(seg + 6, sum ? sum : 0xffff);
	return WW_UDP_HLEN;
}

/* SEG is the datagram (LEN bytes, as udp.length says). Good if it sums to
 * zero with the pseudo-header and its checksum in, else bad, with the
 * value that would have been right. */
static void judge_checksum(struct ww_item *it, const struct ww_ipv4 *ip, const uint8_t *seg,
			   uint16_t len)
{
	if (ww_l4_csum(ip->src, ip->dst, WW_IPPROTO_UDP, seg, len) == 0) {
		it->check = WW_CHECK_GOOD;
		return;
	}
	uint32_t sum = ww_pseudo_sum(ip->src, ip->dst, WW_IPPROTO_UDP, len);
	sum = ww_sum16(seg, 6, sum);
	sum = ww_sum16(seg + 8, len - 8u, sum);
	uint16_t right = ww_csum_finish(sum);
	it->check = WW_CHECK_BAD;
	it->expect = right ? right : 0xffff; /* 0 would say "not computed" */
}

struct ww_layer *ww_udp_dissect(struct ww_dissection *d, struct ww_cursor *c,
				const struct ww_ipv4 *ip)
{
	uint32_t off = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	const uint8_t *seg = ww_cur_here(c);
	bool fragment = ip && ww_ipv4_is_fragment(ip);
	struct ww_layer *l = ww_layer_add(d, WW_P_UDP, "udp", "User Datagram Protocol",
					  ww_udp_fields, off);
	struct ww_udp spare;
	struct ww_udp *h = l ? &l->h.udp : &spare; /* parsed straight into the layer */
	int rc = parse_udp(c, h, !fragment);
	if (!l) {
		if (rc)
			ww_dissect_error(d, c);
		return NULL;
	}
	l->len = (uint32_t)(avail < WW_UDP_HLEN ? avail : WW_UDP_HLEN);
	struct ww_item *fixed =
		ww_dissect_fixed_rows(d, ww_udp_fields, WW_UDP_F_CHECKSUM + 1, off, l->len);
	struct ww_item *checksum = ww_fixed_item(d, fixed, ww_udp_fields, WW_UDP_F_CHECKSUM);
	if (rc) {
		ww_dissect_error(d, c);
		return NULL;
	}
	/* A checksum of 0 says none was computed (RFC 768): nothing to judge. */
	if (checksum && ip && !fragment && h->checksum != 0)
		judge_checksum(checksum, ip, seg, h->len);
	return l;
}
