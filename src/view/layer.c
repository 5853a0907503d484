/* What the views need to know about layers beyond what the dissection
 * records: their kind, short name, letter, the bytes they cover, and the
 * errors that belong to them. */
#include <string.h>

#include "view_int.h"

bool vw_is_padding(const struct ww_dissection *d, unsigned li)
{
	return li > 0 && d->layers[li].proto == WW_P_ETH;
}

enum vw_kind vw_layer_kind(const struct ww_dissection *d, unsigned li)
{
	if (vw_is_padding(d, li))
		return VW_K_PAD;
	switch (d->layers[li].proto) {
	case WW_P_ETH:
	case WW_P_VLAN:
		return VW_K_LINK;
	case WW_P_ARP:
	case WW_P_IPV4:
		return VW_K_NET;
	case WW_P_ICMP:
	case WW_P_UDP:
	case WW_P_TCP:
		return VW_K_TRANSPORT;
	case WW_P_DNS:
	case WW_P_TLS:
	case WW_P_HTTP:
		return VW_K_APP;
	default:
		return VW_K_DATA;
	}
}

const char *vw_layer_short(const struct ww_dissection *d, unsigned li)
{
	if (vw_is_padding(d, li))
		return "padding";
	switch (d->layers[li].proto) {
	case WW_P_ETH:
		return "Ethernet";
	case WW_P_VLAN:
		return "802.1Q";
	case WW_P_ARP:
		return "ARP";
	case WW_P_IPV4:
		return "IPv4";
	case WW_P_ICMP:
		return "ICMP";
	case WW_P_UDP:
		return "UDP";
	case WW_P_TCP:
		return "TCP";
	case WW_P_DNS:
		return "DNS";
	case WW_P_TLS:
		return "TLS";
	case WW_P_HTTP:
		return "HTTP";
	default:
		return "payload";
	}
}

char vw_layer_letter(const struct ww_dissection *d, unsigned li)
{
	static const char letters[] = {
		[WW_P_ETH] = 'E', [WW_P_VLAN] = 'V', [WW_P_ARP] = 'A', [WW_P_IPV4] = 'I',
		[WW_P_ICMP] = 'C', [WW_P_UDP] = 'U', [WW_P_TCP] = 'T', [WW_P_DNS] = 'D',
		[WW_P_DATA] = 'P', [WW_P_TLS] = 'S', [WW_P_HTTP] = 'H',
	};
	if (vw_is_padding(d, li))
		return '-';
	unsigned p = (unsigned)d->layers[li].proto;
	char c = p < sizeof letters && letters[p] ? letters[p] : 'X';
	if (d->layers[li].depth > 0)
		c = (char)(c - 'A' + 'a');
	return c;
}

void vw_layer_span(const struct ww_dissection *d, unsigned li, uint32_t *off, uint32_t *len)
{
	const struct ww_layer *l = &d->layers[li];
	uint64_t start = l->off, end = (uint64_t)l->off + l->len;
	for (unsigned i = 0; i < d->nitems; i++) {
		const struct ww_item *it = &d->items[i];
		if (it->layer != li || it->len == 0)
			continue;
		if (it->off < start)
			start = it->off;
		if ((uint64_t)it->off + it->len > end)
			end = (uint64_t)it->off + it->len;
	}
	if (start > d->len)
		start = d->len;
	if (end > d->len)
		end = d->len;
	if (end < start)
		end = start;
	*off = (uint32_t)start;
	*len = (uint32_t)(end - start);
}

size_t vw_prefix_len(const char *name)
{
	const char *dot = strchr(name, '.');
	return dot ? (size_t)(dot - name) : strlen(name);
}

int vw_error_layer(const struct ww_dissection *d, const struct ww_error *e)
{
	/* A dissector that fails adds its layer first (so the fields that fit
	 * are shown) and stops: the error is the last layer's when it names
	 * that layer's field. Otherwise the layer was never added. */
	if (d->nlayers == 0 || !e->field)
		return -1;
	unsigned li = d->nlayers - 1;
	const char *name = d->layers[li].name;
	size_t n = vw_prefix_len(e->field);
	if (name && strlen(name) == n && strncmp(name, e->field, n) == 0)
		return (int)li;
	return -1;
}

bool vw_layer_failed(const struct ww_dissection *d, unsigned li)
{
	for (unsigned i = 0; i < d->nerrors; i++)
		if (vw_error_layer(d, &d->errors[i]) == (int)li)
			return true;
	return false;
}

const struct ww_item *vw_item_find(const struct ww_dissection *d, unsigned li, const char *name)
{
	for (unsigned i = 0; i < d->nitems; i++) {
		const struct ww_item *it = &d->items[i];
		if (it->layer == li && strcmp(it->f->name, name) == 0)
			return it;
	}
	return NULL;
}

bool vw_item_u(const struct ww_dissection *d, unsigned li, const char *name, uint64_t *v)
{
	const struct ww_item *it = vw_item_find(d, li, name);
	if (!it)
		return false;
	*v = it->u;
	return true;
}

bool vw_is_checksum(const struct ww_field *f)
{
	/* Wireshark's names: ip.checksum, icmp.checksum, udp.checksum... */
	const char *dot = strrchr(f->name, '.');
	return dot && strcmp(dot, ".checksum") == 0;
}

void vw_hex(const uint8_t *p, size_t n, char *buf)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = digits[p[i] >> 4];
		buf[2 * i + 1] = digits[p[i] & 15];
	}
	buf[2 * n] = '\0';
}
