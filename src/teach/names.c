/* The names people give fields and values: protocols and their field
 * tables, Wireshark names and PROTOCOL.ALIAS, suggestions for a mistyped
 * name, and names for values (echo-request, SA, DF, ARP). See
 * include/ww/expr.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/eth.h"
#include "ww/expr.h"
#include "ww/http_msg.h"
#include "ww/ipv4.h"
#include "ww/nearest.h"
#include "ww/tls_record.h"

/* frame.c's table for bytes no protocol claims ("data.data"). */

static bool same_word(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && strncmp(a, b, alen) == 0;
}

static bool same_word_nocase(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

/* ---- protocols and field names ---------------------------------------- */

const struct ww_protocol ww_protocols[] = {
	{ "eth", ww_eth_fields },   { "vlan", ww_vlan_fields }, { "arp", ww_arp_fields },
	{ "ip", ww_ipv4_fields },   { "icmp", ww_icmp_fields }, { "udp", ww_udp_fields },
	{ "tcp", ww_tcp_fields },   { "dns", ww_dns_fields },   { "data", ww_data_fields },
	{ "tls", ww_tls_fields },   { "http", ww_http_fields },
	{ NULL, NULL },
};

const struct ww_protocol *ww_protocol_find(const char *name, size_t len)
{
	for (const struct ww_protocol *p = ww_protocols; p->name; p++)
		if (same_word(name, len, p->name))
			return p;
	return NULL;
}

const struct ww_protocol *ww_field_protocol(const struct ww_field *f)
{
	for (const struct ww_protocol *p = ww_protocols; p->name; p++)
		for (const struct ww_field *r = p->fields; r->name; r++)
			if (r == f)
				return p;
	return NULL;
}

const struct ww_field *ww_field_lookup(const char *name, size_t len, bool *by_alias)
{
	if (by_alias)
		*by_alias = false;
	for (const struct ww_protocol *p = ww_protocols; p->name; p++)
		for (const struct ww_field *f = p->fields; f->name; f++)
			if (f->type != WW_FT_NONE && same_word(name, len, f->name))
				return f;
	const char *dot = memchr(name, '.', len);
	if (!dot)
		return NULL;
	const struct ww_protocol *p = ww_protocol_find(name, (size_t)(dot - name));
	if (!p)
		return NULL;
	size_t alen = len - (size_t)(dot - name) - 1;
	for (const struct ww_field *f = p->fields; f->name; f++) {
		if (f->alias && same_word(dot + 1, alen, f->alias)) {
			if (by_alias)
				*by_alias = true;
			return f;
		}
	}
	return NULL;
}

const char *ww_nearest_word(const char *word, size_t len, const char *const *cand, size_t n)
{
	char w[64];
	snprintf(w, sizeof w, "%.*s", (int)(len < 63 ? len : 63), word);
	const char *best = NULL;
	unsigned best_d = ~0u;
	/* A typo is a letter or two: one edit in a short name, a third of a
	 * long one. Beyond that a suggestion is a guess. */
	unsigned limit = len < 6 ? 1 : (unsigned)len / 3;
	for (size_t i = 0; i < n; i++) {
		if (!cand[i])
			continue;
		unsigned d = ww_edit_distance(w, cand[i]);
		if (d <= limit && d < strlen(cand[i]) && d < best_d) {
			best = cand[i];
			best_d = d;
		}
	}
	return best;
}

const char *ww_field_suggest(const char *name, size_t len)
{
	/* Every Wireshark name and every protocol name; PROTO.ALIAS names
	 * are compared as built in a small buffer. */
	static char alias_buf[64];
	const char *best = NULL;
	unsigned best_d = ~0u;
	char w[64];
	snprintf(w, sizeof w, "%.*s", (int)(len < 63 ? len : 63), name);
	unsigned limit = len < 6 ? 1 : (unsigned)len / 3;
	for (const struct ww_protocol *p = ww_protocols; p->name; p++) {
		const char *c = p->name;
		unsigned d = ww_edit_distance(w, c);
		if (d <= limit && d < strlen(c) && d < best_d)
			best = c, best_d = d;
		for (const struct ww_field *f = p->fields; f->name; f++) {
			if (f->type == WW_FT_NONE)
				continue;
			d = ww_edit_distance(w, f->name);
			if (d <= limit && d < strlen(f->name) && d < best_d)
				best = f->name, best_d = d;
			if (f->alias) {
				char a[64];
				snprintf(a, sizeof a, "%s.%s", p->name, f->alias);
				d = ww_edit_distance(w, a);
				if (d <= limit && d < strlen(a) && d < best_d) {
					snprintf(alias_buf, sizeof alias_buf, "%s", a);
					best = alias_buf, best_d = d;
				}
			}
		}
	}
	return best;
}

/* ---- value names ------------------------------------------------------ */

/* Names for values, as Scapy spells them, where the field tables' own
 * names are several words ("Echo (ping) request"). */
struct value_name {
	const struct ww_field *f;
	const char *name;
	uint32_t v;
};

#define ICMP_TYPE (&ww_icmp_fields[WW_ICMP_F_TYPE])
#define ICMP_CODE (&ww_icmp_fields[WW_ICMP_F_CODE])
#define IP_FLAGS (&ww_ipv4_fields[WW_IP_F_FLAGS])
#define TCP_FLAGS (&ww_tcp_fields[WW_TCP_F_FLAGS])

static const struct value_name value_names[] = {
	{ ICMP_TYPE, "echo-reply", 0 },
	{ ICMP_TYPE, "dest-unreach", 3 },
	{ ICMP_TYPE, "source-quench", 4 },
	{ ICMP_TYPE, "redirect", 5 },
	{ ICMP_TYPE, "echo-request", 8 },
	{ ICMP_TYPE, "router-advertisement", 9 },
	{ ICMP_TYPE, "router-solicitation", 10 },
	{ ICMP_TYPE, "time-exceeded", 11 },
	{ ICMP_TYPE, "parameter-problem", 12 },
	{ ICMP_TYPE, "timestamp-request", 13 },
	{ ICMP_TYPE, "timestamp-reply", 14 },
	{ ICMP_TYPE, "information-request", 15 },
	{ ICMP_TYPE, "information-reply", 16 },
	{ ICMP_TYPE, "address-mask-request", 17 },
	{ ICMP_TYPE, "address-mask-reply", 18 },
	{ ICMP_CODE, "network-unreachable", 0 },
	{ ICMP_CODE, "host-unreachable", 1 },
	{ ICMP_CODE, "protocol-unreachable", 2 },
	{ ICMP_CODE, "port-unreachable", 3 },
	{ ICMP_CODE, "fragmentation-needed", 4 },
	{ ICMP_CODE, "source-route-failed", 5 },
	{ ICMP_CODE, "network-unknown", 6 },
	{ ICMP_CODE, "host-unknown", 7 },
	{ ICMP_CODE, "network-prohibited", 9 },
	{ ICMP_CODE, "host-prohibited", 10 },
	{ ICMP_CODE, "communication-prohibited", 13 },
	{ ICMP_CODE, "ttl-zero-during-transit", 0 },
	{ ICMP_CODE, "ttl-zero-during-reassembly", 1 },
	{ ICMP_CODE, "network-redirect", 0 },
	{ ICMP_CODE, "host-redirect", 1 },
	{ &ww_arp_fields[WW_ARP_F_OPCODE], "who-has", 1 },
	{ &ww_arp_fields[WW_ARP_F_OPCODE], "is-at", 2 },
	{ &ww_eth_fields[WW_ETH_F_TYPE], "vlan", WW_ETHERTYPE_VLAN },
	{ &ww_vlan_fields[WW_VLAN_F_ETYPE], "vlan", WW_ETHERTYPE_VLAN },
	{ IP_FLAGS, "DF", WW_IP_FLAG_DF },
	{ IP_FLAGS, "MF", WW_IP_FLAG_MF },
	{ IP_FLAGS, "evil", WW_IP_FLAG_RB },
	{ IP_FLAGS, "RB", WW_IP_FLAG_RB },
};

/* TCP flag letters as Scapy has them, low bit first; N is the AE bit
 * (once NS). */
static const char tcp_letters[] = "FSRPAUECN";

static bool tcp_flag_letters(const char *s, size_t len, uint64_t *v)
{
	uint64_t m = 0;
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		const char *at = strchr(tcp_letters, toupper((unsigned char)s[i]));
		if (!at || !s[i])
			return false;
		uint64_t bit = UINT64_C(1) << (at - tcp_letters);
		if (m & bit)
			return false;
		m |= bit;
	}
	*v = m;
	return true;
}

/* One word: no blank, no parenthesis; a name of several words cannot be
 * typed as one token. */
static bool one_word(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

int ww_value_name(const struct ww_field *f, const char *s, size_t len, uint64_t *v)
{
	if (!f)
		return -1;
	for (size_t i = 0; i < sizeof value_names / sizeof value_names[0]; i++) {
		if (value_names[i].f == f && same_word_nocase(s, len, value_names[i].name)) {
			*v = value_names[i].v;
			return 0;
		}
	}
	if (f == TCP_FLAGS && tcp_flag_letters(s, len, v))
		return 0;
	for (const struct ww_tok *t = f->vals; t && t->s; t++) {
		if (one_word(t->s) && same_word_nocase(s, len, t->s)) {
			*v = t->v;
			return 0;
		}
	}
	if (f->type == WW_FT_BOOL) {
		if (same_word_nocase(s, len, "true")) {
			*v = 1;
			return 0;
		}
		if (same_word_nocase(s, len, "false")) {
			*v = 0;
			return 0;
		}
	}
	return -1;
}

size_t ww_value_names(const struct ww_field *f, const char **out, size_t max)
{
	size_t n = 0;
	if (!f)
		return 0;
	for (size_t i = 0; i < sizeof value_names / sizeof value_names[0] && n < max; i++)
		if (value_names[i].f == f)
			out[n++] = value_names[i].name;
	if (f == TCP_FLAGS) {
		static const char *const common[] = { "S", "SA", "A", "PA", "FA", "R", "RA", "F" };
		for (size_t i = 0; i < sizeof common / sizeof common[0] && n < max; i++)
			out[n++] = common[i];
	}
	for (const struct ww_tok *t = f->vals; t && t->s && n < max; t++)
		if (one_word(t->s))
			out[n++] = t->s;
	if (f->type == WW_FT_BOOL && n + 2 <= max) {
		out[n++] = "true";
		out[n++] = "false";
	}
	return n;
}
