/* Any text as a crafting expression, with variables naming real frames and
 * a fixed stack: parsing and building never crash, and what is built holds
 * for every input:
 *  - an error names a place inside the text and says something;
 *  - building twice gives the same bytes, at least 60 of them, within the
 *    buffer;
 *  - every field set by hand in the layer after Ethernet is on the wire
 *    as set (the last assignment of each bit wins);
 *  - an IPv4 header checksum not set by hand verifies;
 *  - the frame dissects without reading outside itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/view_frames.h"
#include "ww/bytes.h"
#include "ww/checksum.h"
#include "ww/craft.h"
#include "ww/dissect.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

static int frame_var(void *arg, const char *name, size_t len, const uint8_t **f, size_t *flen,
		     char *err, size_t errlen)
{
	(void)arg, (void)err, (void)errlen;
	if (len == 1 && name[0] == '1')
		*f = vf_tcp_syn, *flen = sizeof vf_tcp_syn;
	else if (len == 1 && name[0] == '2')
		*f = vf_port_unreach, *flen = sizeof vf_port_unreach;
	else if (len == 4 && memcmp(name, "last", 4) == 0)
		*f = vf_dns_cname, *flen = sizeof vf_dns_cname;
	else if (len == 5 && memcmp(name, "reply", 5) == 0)
		*f = vf_tcp_syn_ack, *flen = sizeof vf_tcp_syn_ack;
	else
		return -1;
	return 0;
}

static int next_hop(void *arg, uint32_t dst, uint8_t mac[6], char *err, size_t errlen)
{
	(void)arg, (void)err, (void)errlen;
	if (dst >> 24 == 203)
		return -1;
	static const uint8_t gw[6] = { 2, 0, 0, 0, 1, 1 };
	memcpy(mac, gw, 6);
	return 0;
}

static const struct ww_craft_env env = {
	.mac = { 2, 0, 0, 0, 0, 5 }, .ip = 0xc0a80105u, .ip_id = 7, .sport = 40000,
	.next_hop_mac = next_hop,
};
static const struct ww_vars vars = { frame_var, NULL };

static struct ww_craft craft;
static struct ww_dissection dis;
static uint8_t a[WW_CRAFT_MAX_FRAME + 16], b[WW_CRAFT_MAX_FRAME + 16];

/* Does a later assignment in L touch any bit of set I's field? */
static int overwritten(const struct ww_craft_layer *l, unsigned i)
{
	const struct ww_field *f = l->sets[i].f;
	for (unsigned k = i + 1; k < l->nsets; k++) {
		const struct ww_field *g = l->sets[k].f;
		if (g->bit_off < 0)
			continue;
		if (g->bit_off < f->bit_off + f->bit_width && f->bit_off < g->bit_off + g->bit_width)
			return 1;
	}
	return 0;
}

/* The layer after Ethernet starts at byte 14 (no tag in front of it). */
static void sets_kept(const uint8_t *frame)
{
	if (craft.nlayers < 2)
		return;
	const struct ww_craft_layer *l = &craft.layers[1];
	if (l->kind != WW_CRAFT_IP && l->kind != WW_CRAFT_ARP && l->kind != WW_CRAFT_VLAN)
		return;
	const uint8_t *hdr = frame + 14;
	for (unsigned i = 0; i < l->nsets; i++) {
		const struct ww_craft_set *s = &l->sets[i];
		if (s->f->bit_off < 0 || overwritten(l, i))
			continue;
		if (s->f->type == WW_FT_MAC)
			check(memcmp(hdr + s->f->bit_off / 8, s->mac, 6) == 0);
		else
			check(ww_get_bits(hdr, (unsigned)s->f->bit_off, s->f->bit_width) == s->v);
	}
	if (l->kind != WW_CRAFT_IP)
		return;
	size_t hlen = 20;
	for (unsigned i = 0; i < l->nsets; i++) {
		if (strcmp(l->sets[i].f->name, "ip.checksum") == 0)
			return;
		if (strcmp(l->sets[i].f->name, "ip.options") == 0)
			hlen = 20 + (l->sets[i].len + 3) / 4 * 4;
	}
	check(ww_inet_csum(hdr, hlen) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct ww_expr_error err;
	size_t end;
	if (ww_craft_parse(&craft, text, NULL, &vars, &err) < 0) {
		check(err.msg[0] != '\0' && err.pos <= strlen(text));
		check(ww_craft_parse(&craft, text, &end, &vars, &err) < 0 || end <= strlen(text));
		free(text);
		return 0;
	}
	check(craft.nlayers >= 1 && craft.layers[0].kind == WW_CRAFT_ETH);
	size_t la = 0, lb = 0;
	memset(a, 0xa5, sizeof a);
	int rc = ww_craft_build(&craft, &env, a, WW_CRAFT_MAX_FRAME, &la, &err);
	if (rc < 0) {
		check(err.msg[0] != '\0');
	} else {
		check(la >= 60 && la <= WW_CRAFT_MAX_FRAME);
		for (size_t i = WW_CRAFT_MAX_FRAME; i < sizeof a; i++)
			check(a[i] == 0xa5);
		check(ww_craft_build(&craft, &env, b, WW_CRAFT_MAX_FRAME, &lb, &err) == 0);
		check(la == lb && memcmp(a, b, la) == 0);
		sets_kept(a);
		ww_dissect(&dis, a, la);
		for (unsigned i = 0; i < dis.nitems; i++)
			check(dis.items[i].off + (uint64_t)dis.items[i].len <= la);
		(void)ww_craft_opens_connection(&craft);
	}
	free(text);
	return 0;
}
