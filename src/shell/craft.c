/* Crafting expressions, the parser: layers and field assignments, each
 * value converted to the bits its field holds, every mistake named with
 * the token that made it. The builder is craft_build.c. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "craft_int.h"
#include "ww/arp.h"
#include "ww/dissect.h"
#include "ww/eth.h"
#include "ww/icmp.h"
#include "ww/ipv4.h"
#include "ww/tcp.h"
#include "ww/udp.h"


const struct ww_field ww_craft_ip_options = {
	.name = "ip.options", .label = "Options", .alias = "options", .type = WW_FT_BYTES,
	.bit_off = -1, .help = "option bytes as sent, padded with EOL to a multiple of 4",
};

/* ---- layers ----------------------------------------------------------- */

struct kind_name {
	enum ww_craft_kind kind;
	const char *name;
};

/* The first name of each kind is the one shown. */
static const struct kind_name kind_names[] = {
	{ WW_CRAFT_ETH, "eth" },   { WW_CRAFT_VLAN, "vlan" }, { WW_CRAFT_ARP, "arp" },
	{ WW_CRAFT_IP, "ip" },     { WW_CRAFT_ICMP, "icmp" }, { WW_CRAFT_UDP, "udp" },
	{ WW_CRAFT_TCP, "tcp" },   { WW_CRAFT_RAW, "raw" },
	/* Scapy's names. */
	{ WW_CRAFT_ETH, "ether" }, { WW_CRAFT_VLAN, "dot1q" }, { WW_CRAFT_IP, "ipv4" },
	{ WW_CRAFT_RAW, "payload" },
};
#define NKIND_NAMES (sizeof kind_names / sizeof kind_names[0])

const char *ww_craft_kind_name(enum ww_craft_kind k)
{
	return k < WW_CRAFT_NKINDS ? kind_names[k].name : "?";
}

static int kind_find(const char *s, size_t len)
{
	for (size_t i = 0; i < NKIND_NAMES; i++)
		if (strlen(kind_names[i].name) == len && strncasecmp(s, kind_names[i].name, len) == 0)
			return (int)kind_names[i].kind;
	return -1;
}

const struct ww_field *craft_table(enum ww_craft_kind k)
{
	switch (k) {
	case WW_CRAFT_ETH: return ww_eth_fields;
	case WW_CRAFT_VLAN: return ww_vlan_fields;
	case WW_CRAFT_ARP: return ww_arp_fields;
	case WW_CRAFT_IP: return ww_ipv4_fields;
	case WW_CRAFT_ICMP: return ww_icmp_fields;
	case WW_CRAFT_UDP: return ww_udp_fields;
	case WW_CRAFT_TCP: return ww_tcp_fields;
	default: return ww_data_fields;
	}
}

/* ---- fields ----------------------------------------------------------- */

/* Names a layer takes beyond its table's aliases: RFC 826's names for the
 * ARP addresses, the TCP options as Scapy's users know them, whole option
 * bytes, the payload. */
struct extra {
	enum ww_craft_kind kind;
	const char *name;
	const struct ww_field *f;
};

static const struct extra extras[] = {
	{ WW_CRAFT_ARP, "sha", &ww_arp_fields[WW_ARP_F_SRC_HW_MAC] },
	{ WW_CRAFT_ARP, "spa", &ww_arp_fields[WW_ARP_F_SRC_PROTO_IPV4] },
	{ WW_CRAFT_ARP, "tha", &ww_arp_fields[WW_ARP_F_DST_HW_MAC] },
	{ WW_CRAFT_ARP, "tpa", &ww_arp_fields[WW_ARP_F_DST_PROTO_IPV4] },
	{ WW_CRAFT_IP, "options", &ww_craft_ip_options },
	{ WW_CRAFT_TCP, "mss", &ww_tcp_fields[WW_TCP_F_MSS_VAL] },
	{ WW_CRAFT_TCP, "wscale", &ww_tcp_fields[WW_TCP_F_WSCALE_SHIFT] },
	{ WW_CRAFT_TCP, "sackok", &ww_tcp_fields[WW_TCP_F_OPT_SACK_PERM] },
	{ WW_CRAFT_TCP, "tsval", &ww_tcp_fields[WW_TCP_F_TSVAL] },
	{ WW_CRAFT_TCP, "tsecr", &ww_tcp_fields[WW_TCP_F_TSECR] },
	{ WW_CRAFT_RAW, "load", &ww_data_fields[0] },
};
#define NEXTRAS (sizeof extras / sizeof extras[0])

/* The ICMP fields after the checksum are one 32-bit word whose meaning
 * depends on the type: they sit at fixed bits of it all the same. */
static int icmp_word_slot(const struct ww_field *f, struct craft_slot *s)
{
	static const struct { int row, off, width; } word[] = {
		{ WW_ICMP_F_IDENT, 32, 16 },   { WW_ICMP_F_SEQ, 48, 16 },
		{ WW_ICMP_F_MTU, 48, 16 },     { WW_ICMP_F_POINTER, 32, 8 },
		{ WW_ICMP_F_REDIR_GW, 32, 32 }, { WW_ICMP_F_NUM_ADDRS, 32, 8 },
		{ WW_ICMP_F_ADDR_ENTRY_SIZE, 40, 8 }, { WW_ICMP_F_LIFETIME, 48, 16 },
	};
	for (size_t i = 0; i < sizeof word / sizeof word[0]; i++) {
		if (f == &ww_icmp_fields[word[i].row]) {
			s->kind = f->type == WW_FT_IPV4 ? SLOT_IPV4 : SLOT_NUM;
			s->bit_off = word[i].off;
			s->width = (unsigned)word[i].width;
			return 0;
		}
	}
	return -1;
}

int craft_slot(enum ww_craft_kind k, const struct ww_field *f, struct craft_slot *s)
{
	*s = (struct craft_slot){ .kind = SLOT_NUM, .bit_off = -1 };
	if (f->bit_off >= 0 && f->type != WW_FT_NONE && craft_table(k) != ww_data_fields) {
		s->bit_off = f->bit_off;
		s->width = f->bit_width;
		s->kind = f->type == WW_FT_MAC ? SLOT_MAC : f->type == WW_FT_IPV4 ? SLOT_IPV4 : SLOT_NUM;
		return 0;
	}
	if (k == WW_CRAFT_ICMP)
		return icmp_word_slot(f, s);
	if (k == WW_CRAFT_TCP) {
		if (f == &ww_tcp_fields[WW_TCP_F_OPTIONS])
			return s->kind = SLOT_BYTES, 0;
		if (f == &ww_tcp_fields[WW_TCP_F_MSS_VAL])
			return s->width = 16, 0;
		if (f == &ww_tcp_fields[WW_TCP_F_WSCALE_SHIFT])
			return s->width = 8, 0;
		if (f == &ww_tcp_fields[WW_TCP_F_OPT_SACK_PERM])
			return s->width = 1, 0;
		if (f == &ww_tcp_fields[WW_TCP_F_TSVAL] || f == &ww_tcp_fields[WW_TCP_F_TSECR])
			return s->width = 32, 0;
	}
	if ((k == WW_CRAFT_IP && f == &ww_craft_ip_options) ||
	    (k == WW_CRAFT_RAW && f == &ww_data_fields[0]))
		return s->kind = SLOT_BYTES, 0;
	return -1;
}

const struct ww_craft_set *craft_find_set(const struct ww_craft_layer *l, const struct ww_field *f)
{
	for (unsigned i = l->nsets; i-- > 0;)
		if (l->sets[i].f == f)
			return &l->sets[i];
	return NULL;
}

/* NAME's part after "PROTO.", if it has that prefix. */
static bool short_name_is(const char *full, const char *s, size_t len)
{
	const char *dot = strchr(full, '.');
	return dot && strlen(dot + 1) == len && strncmp(dot + 1, s, len) == 0;
}

static bool word_is(const char *w, const char *s, size_t len)
{
	return w && strlen(w) == len && strncmp(w, s, len) == 0;
}

/* The field NAME names in a layer of kind K; *BY_ALIAS tells whether the
 * name was an alias (wire units) or Wireshark's (shown units). */
static const struct ww_field *layer_field(enum ww_craft_kind k, const char *s, size_t len,
					  bool *by_alias)
{
	*by_alias = true;
	for (size_t i = 0; i < NEXTRAS; i++)
		if (extras[i].kind == k && word_is(extras[i].name, s, len))
			return extras[i].f;
	const struct ww_field *t = craft_table(k);
	for (const struct ww_field *f = t; f->name; f++)
		if (word_is(f->alias, s, len))
			return f;
	*by_alias = false;
	for (const struct ww_field *f = t; f->name; f++)
		if (word_is(f->name, s, len) || short_name_is(f->name, s, len))
			return f;
	for (size_t i = 0; i < NEXTRAS; i++)
		if (extras[i].kind == k && word_is(extras[i].f->name, s, len))
			return extras[i].f;
	return NULL;
}

/* Every name a field of kind K may be given by, settable ones only. */
static size_t layer_names(enum ww_craft_kind k, const char **out, size_t max, bool short_too)
{
	size_t n = 0;
	struct craft_slot slot;
	for (const struct ww_field *f = craft_table(k); f->name && n < max; f++)
		if (f->alias && craft_slot(k, f, &slot) == 0)
			out[n++] = f->alias;
	for (size_t i = 0; i < NEXTRAS && n < max; i++)
		if (extras[i].kind == k)
			out[n++] = extras[i].name;
	for (const struct ww_field *f = craft_table(k); short_too && f->name && n < max; f++) {
		const char *dot = strchr(f->name, '.');
		if (dot && craft_slot(k, f, &slot) == 0)
			out[n++] = dot + 1;
	}
	return n;
}

/* ---- values ----------------------------------------------------------- */

/* TCP sequence space (RFC 9293 §3.4) is modulo 2^32: $reply.tcp.seq + 1
 * wraps. Other fields refuse what does not fit. */
static bool wraps(const struct ww_field *f)
{
	return f == &ww_tcp_fields[WW_TCP_F_SEQ] || f == &ww_tcp_fields[WW_TCP_F_ACK] ||
	       f == &ww_tcp_fields[WW_TCP_F_TSVAL] || f == &ww_tcp_fields[WW_TCP_F_TSECR];
}

static int convert_num(const struct ww_field *f, bool by_alias, const struct craft_slot *slot,
		       const struct ww_value *v, uint64_t *out, struct ww_expr_error *err,
		       size_t pos, size_t len)
{
	if (v->type != WW_VAL_NUM)
		return ww_expr_fail(err, pos, len, slot->kind == SLOT_IPV4 ? "not an IPv4 address"
										: "not a number");
	if (slot->kind != SLOT_IPV4 && v->ipv4 && slot->width < 32)
		return ww_expr_fail(err, pos, len, "not a number");
	unsigned mult = !by_alias && f->mult > 1 ? f->mult : 1;
	uint64_t max = slot->width >= 64 ? UINT64_MAX : (UINT64_C(1) << slot->width) - 1;
	int64_t n = v->n;
	if (wraps(f) && v->arith) {
		*out = (uint64_t)n & max;
		return 0;
	}
	if (n < 0 || (uint64_t)n / mult > max) {
		if (mult > 1)
			return ww_expr_fail(err, pos, len, "out of range 0..%llu in steps of %u",
					    (unsigned long long)(max * mult), mult);
		return ww_expr_fail(err, pos, len, "out of range 0..%llu", (unsigned long long)max);
	}
	if ((uint64_t)n % mult)
		return ww_expr_fail(err, pos, len, "not a multiple of %u", mult);
	*out = (uint64_t)n / mult;
	return 0;
}

/* Convert V for the field F of set S. */
static int convert(struct ww_craft *c, struct ww_craft_set *s, enum ww_craft_kind k,
		   bool by_alias, const struct ww_value *v, struct ww_expr_error *err, size_t pos,
		   size_t len)
{
	struct craft_slot slot;
	craft_slot(k, s->f, &slot);
	switch (slot.kind) {
	case SLOT_MAC:
		if (v->type == WW_VAL_MAC) {
			memcpy(s->mac, v->mac, 6);
			return 0;
		}
		if (v->type == WW_VAL_BYTES && v->len == 6) {
			memcpy(s->mac, v->p, 6);
			return 0;
		}
		return ww_expr_fail(err, pos, len, "not a MAC address");
	case SLOT_BYTES:
		if (v->type == WW_VAL_MAC) {
			if (c->data_len + 6 > sizeof c->data)
				return ww_expr_fail(err, pos, len, "too many bytes");
			memcpy(c->data + c->data_len, v->mac, 6);
			s->off = c->data_len, s->len = 6;
			c->data_len += 6;
			return 0;
		}
		if (v->type != WW_VAL_BYTES)
			return ww_expr_fail(err, pos, len, "not bytes: write \"text\" or de:ad:be:ef");
		/* The value was evaluated into c->data (see parse_assign). */
		s->off = (uint32_t)(v->p - c->data);
		s->len = (uint32_t)v->len;
		return 0;
	default:
		return convert_num(s->f, by_alias, &slot, v, &s->v, err, pos, len);
	}
}

/* Put "FIELD=VALUE: " (the assignment as written) before ERR's message,
 * and the token at fault after it when it is only part of the value. */
static void in_context(struct ww_expr_error *err, const char *text, size_t from, size_t to,
		       size_t vfrom)
{
	/* Room for all of it; what does not fit the error's message is cut. */
	char msg[2 * WW_EXPR_MSG + 256];
	while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\t'))
		to--;
	bool whole = err->pos <= vfrom && err->pos + err->len >= to;
	bool named = err->len && memmem(err->msg, strlen(err->msg), text + err->pos, err->len);
	if (whole || named || err->len == 0)
		snprintf(msg, sizeof msg, "%.*s: %s", (int)(to - from), text + from, err->msg);
	else
		snprintf(msg, sizeof msg, "%.*s: %.*s: %s", (int)(to - from), text + from,
			 (int)err->len, text + err->pos, err->msg);
	msg[sizeof err->msg - 1] = '\0';
	memcpy(err->msg, msg, sizeof err->msg);
}

/* Where the value starting at FROM ends: at the ',' or ')' that closes
 * it, outside parentheses and quotes. */
static size_t value_end(const char *s, size_t from)
{
	int depth = 0;
	size_t i = from;
	for (; s[i]; i++) {
		char ch = s[i];
		if (ch == '"' || ch == '\'') {
			const char *q = strchr(s + i + 1, ch);
			if (!q)
				return strlen(s);
			i = (size_t)(q - s);
		} else if (ch == '(') {
			depth++;
		} else if ((ch == ')' && depth-- == 0) || (ch == ',' && depth == 0)) {
			break;
		}
	}
	return i;
}

/* ---- the parser ------------------------------------------------------- */

struct parser {
	const char *s;
	size_t pos;
	struct ww_craft *c;
	const struct ww_vars *vars;
	struct ww_expr_error *err;
};

static int unknown_field(struct parser *p, enum ww_craft_kind k, const struct ww_lexeme *t)
{
	const char *name = p->s + t->pos;
	bool by_alias;
	const struct ww_field *other = ww_field_lookup(name, t->len, &by_alias);
	const struct ww_protocol *proto = other ? ww_field_protocol(other) : NULL;
	if (other && proto)
		return ww_expr_fail(p->err, t->pos, t->len, "'%.*s' is a %s field, not one of %s(...)",
				    (int)t->len, name, proto->name, ww_craft_kind_name(k));
	const char *cand[128];
	size_t n = layer_names(k, cand, sizeof cand / sizeof cand[0], true);
	const char *near = ww_nearest_word(name, t->len, cand, n);
	if (near)
		return ww_expr_fail(p->err, t->pos, t->len,
				    "unknown field '%.*s' in %s(...); did you mean '%s'?", (int)t->len,
				    name, ww_craft_kind_name(k), near);
	return ww_expr_fail(p->err, t->pos, t->len, "unknown field '%.*s' in %s(...) (try: %s, %s, %s)",
			    (int)t->len, name, ww_craft_kind_name(k), n > 0 ? cand[0] : "",
			    n > 1 ? cand[1] : "", n > 2 ? cand[2] : "");
}

static struct ww_craft_set *new_set(struct parser *p, struct ww_craft_layer *l, size_t pos)
{
	if (l->nsets == WW_CRAFT_MAX_SETS) {
		ww_expr_fail(p->err, pos, 1, "too many fields in one layer (at most %d)",
			     WW_CRAFT_MAX_SETS);
		return NULL;
	}
	struct ww_craft_set *s = &l->sets[l->nsets++];
	memset(s, 0, sizeof *s);
	return s;
}

/* The value at p->pos for field F; evaluated with c->data as the store
 * for bytes, so a BYTES value needs no copy. */
static int parse_value(struct parser *p, struct ww_craft_set *s, enum ww_craft_kind k,
		       bool by_alias, size_t from)
{
	struct ww_expr_ctx cx = {
		.f = s->f, .vars = p->vars, .buf = p->c->data, .cap = sizeof p->c->data,
		.used = p->c->data_len,
	};
	size_t vfrom = p->pos;
	while (p->s[vfrom] == ' ' || p->s[vfrom] == '\t')
		vfrom++;
	struct ww_value v;
	if (ww_expr_eval(p->s, &p->pos, &cx, &v, p->err) < 0) {
		in_context(p->err, p->s, from, value_end(p->s, vfrom), vfrom);
		return -1;
	}
	p->c->data_len = (uint32_t)cx.used;
	s->pos = (uint32_t)from;
	s->tlen = (uint32_t)(p->pos - from);
	if (convert(p->c, s, k, by_alias, &v, p->err, vfrom, p->pos - vfrom) < 0) {
		in_context(p->err, p->s, from, p->pos, vfrom);
		return -1;
	}
	return 0;
}

/* FIELD=value, or (raw only) a bare value. */
static int parse_assign(struct parser *p, struct ww_craft_layer *l)
{
	struct ww_lexeme t, eq;
	ww_lex(p->s, &p->pos, &t);
	size_t from = t.pos;
	ww_lex_peek(p->s, p->pos, &eq);
	bool named = t.kind == WW_LEX_ATOM && eq.kind == WW_LEX_PUNCT && strcmp(eq.op, "=") == 0;
	if (!named && l->kind == WW_CRAFT_RAW) {
		p->pos = t.pos;
		struct ww_craft_set *s = new_set(p, l, t.pos);
		if (!s)
			return -1;
		s->f = &ww_data_fields[0];
		return parse_value(p, s, l->kind, false, from);
	}
	if (t.kind != WW_LEX_ATOM || p->s[t.pos] == '$')
		return ww_expr_fail(p->err, t.pos, t.len,
				    t.kind == WW_LEX_END ? "a field is missing before the end"
							 : "expected a field name, as in ttl=64");
	bool by_alias;
	const struct ww_field *f = layer_field(l->kind, p->s + t.pos, t.len, &by_alias);
	if (!f)
		return unknown_field(p, l->kind, &t);
	struct craft_slot slot;
	if (craft_slot(l->kind, f, &slot) < 0)
		return ww_expr_fail(p->err, t.pos, t.len,
				    f == &ww_tcp_fields[WW_TCP_F_LEN]
					    ? "'%.*s' cannot be set: it is the payload's length"
					    : "'%.*s' cannot be set in a crafting expression",
				    (int)t.len, p->s + t.pos);
	if (!named)
		return ww_expr_fail(p->err, eq.pos, eq.len, "'=' and a value must follow '%.*s'",
				    (int)t.len, p->s + t.pos);
	p->pos = eq.pos + 1;
	struct ww_craft_set *s = new_set(p, l, t.pos);
	if (!s)
		return -1;
	s->f = f;
	return parse_value(p, s, l->kind, by_alias, from);
}

static int parse_args(struct parser *p, struct ww_craft_layer *l, const struct ww_lexeme *open)
{
	struct ww_lexeme t;
	ww_lex_peek(p->s, p->pos, &t);
	if (t.kind == WW_LEX_PUNCT && strcmp(t.op, ")") == 0) {
		p->pos = t.pos + 1;
		return 0;
	}
	for (;;) {
		if (parse_assign(p, l) < 0)
			return -1;
		ww_lex(p->s, &p->pos, &t);
		if (t.kind == WW_LEX_PUNCT && strcmp(t.op, ")") == 0)
			return 0;
		if (t.kind == WW_LEX_PUNCT && strcmp(t.op, ",") == 0)
			continue;
		if (t.kind == WW_LEX_END)
			return ww_expr_fail(p->err, open->pos, 1, "'(' without its ')'");
		return ww_expr_fail(p->err, t.pos, t.len, "expected ',' or ')' here");
	}
}

static int parse_layer(struct parser *p)
{
	struct ww_craft *c = p->c;
	struct ww_lexeme t;
	ww_lex(p->s, &p->pos, &t);
	if (c->nlayers == WW_CRAFT_MAX_LAYERS)
		return ww_expr_fail(p->err, t.pos, t.len, "too many layers (at most %d)",
				    WW_CRAFT_MAX_LAYERS);
	struct ww_craft_layer *l = &c->layers[c->nlayers];
	memset(l, 0, sizeof *l);
	l->pos = (uint32_t)t.pos;
	if (t.kind == WW_LEX_STRING) { /* "text": a raw payload */
		l->kind = WW_CRAFT_RAW;
		p->pos = t.pos;
		struct ww_craft_set *s = new_set(p, l, t.pos);
		s->f = &ww_data_fields[0];
		if (parse_value(p, s, l->kind, false, t.pos) < 0)
			return -1;
		l->tlen = (uint32_t)(p->pos - t.pos);
		c->nlayers++;
		return 0;
	}
	if (t.kind == WW_LEX_BAD)
		return ww_expr_fail(p->err, t.pos, t.len, p->s[t.pos] == '"' || p->s[t.pos] == '\''
				    ? "unterminated string" : "unexpected character '%c'", p->s[t.pos]);
	if (t.kind != WW_LEX_ATOM)
		return ww_expr_fail(p->err, t.pos, t.len,
				    t.kind == WW_LEX_END ? "a layer is missing: eth, arp, ip, icmp, udp, tcp, raw"
							 : "expected a layer: eth, arp, ip, icmp, udp, tcp, raw");
	int k = kind_find(p->s + t.pos, t.len);
	if (k < 0) {
		const char *cand[NKIND_NAMES];
		for (size_t i = 0; i < NKIND_NAMES; i++)
			cand[i] = kind_names[i].name;
		const char *near = ww_nearest_word(p->s + t.pos, t.len, cand, NKIND_NAMES);
		if (near)
			return ww_expr_fail(p->err, t.pos, t.len, "unknown layer '%.*s'; did you mean '%s'?",
					    (int)t.len, p->s + t.pos, near);
		return ww_expr_fail(p->err, t.pos, t.len,
				    "unknown layer '%.*s' (eth, vlan, arp, ip, icmp, udp, tcp, raw)",
				    (int)t.len, p->s + t.pos);
	}
	l->kind = (enum ww_craft_kind)k;
	struct ww_lexeme open;
	ww_lex_peek(p->s, p->pos, &open);
	if (open.kind == WW_LEX_PUNCT && strcmp(open.op, "(") == 0) {
		p->pos = open.pos + 1;
		if (parse_args(p, l, &open) < 0)
			return -1;
	}
	l->tlen = (uint32_t)(p->pos - t.pos);
	c->nlayers++;
	return 0;
}

/* ---- the order of layers ---------------------------------------------- */

static bool may_follow(enum ww_craft_kind below, enum ww_craft_kind k)
{
	switch (k) {
	case WW_CRAFT_ETH: return false;
	case WW_CRAFT_VLAN: return below == WW_CRAFT_ETH || below == WW_CRAFT_VLAN;
	case WW_CRAFT_ARP: return below == WW_CRAFT_ETH || below == WW_CRAFT_VLAN;
	case WW_CRAFT_IP:
		return below == WW_CRAFT_ETH || below == WW_CRAFT_VLAN || below == WW_CRAFT_IP ||
		       below == WW_CRAFT_ICMP;
	case WW_CRAFT_ICMP:
	case WW_CRAFT_UDP:
	case WW_CRAFT_TCP: return below == WW_CRAFT_IP;
	default: return true;
	}
}

static int check_order(struct parser *p)
{
	struct ww_craft *c = p->c;
	const struct ww_craft_layer *first = &c->layers[0];
	if (first->kind == WW_CRAFT_ICMP || first->kind == WW_CRAFT_UDP || first->kind == WW_CRAFT_TCP)
		return ww_expr_fail(p->err, first->pos, first->tlen,
				    "%s travels in IP: write ip(dst=...)/%s(...)",
				    ww_craft_kind_name(first->kind), ww_craft_kind_name(first->kind));
	if (first->kind != WW_CRAFT_ETH) {
		/* An Ethernet header, filled as the stack would. */
		if (c->nlayers == WW_CRAFT_MAX_LAYERS)
			return ww_expr_fail(p->err, first->pos, first->tlen, "too many layers");
		memmove(&c->layers[1], &c->layers[0], c->nlayers * sizeof c->layers[0]);
		memset(&c->layers[0], 0, sizeof c->layers[0]);
		c->layers[0].kind = WW_CRAFT_ETH;
		c->layers[0].implied = true;
		c->nlayers++;
	}
	for (unsigned i = 1; i < c->nlayers; i++) {
		const struct ww_craft_layer *l = &c->layers[i], *b = &c->layers[i - 1];
		if (may_follow(b->kind, l->kind))
			continue;
		if (l->kind == WW_CRAFT_ETH)
			return ww_expr_fail(p->err, l->pos, l->tlen, "eth can only be the first layer");
		if (l->kind == WW_CRAFT_ICMP || l->kind == WW_CRAFT_UDP || l->kind == WW_CRAFT_TCP)
			return ww_expr_fail(p->err, l->pos, l->tlen,
					    "%s travels in IP, not on %s: write ip(dst=...)/%s(...)",
					    ww_craft_kind_name(l->kind), ww_craft_kind_name(b->kind),
					    ww_craft_kind_name(l->kind));
		return ww_expr_fail(p->err, l->pos, l->tlen, "%s cannot follow %s",
				    ww_craft_kind_name(l->kind), ww_craft_kind_name(b->kind));
	}
	return 0;
}

int ww_craft_parse(struct ww_craft *c, const char *text, size_t *end, const struct ww_vars *vars,
		   struct ww_expr_error *err)
{
	memset(err, 0, sizeof *err);
	c->nlayers = 0;
	c->data_len = 0;
	struct parser p = { .s = text, .c = c, .vars = vars, .err = err };
	for (;;) {
		if (parse_layer(&p) < 0)
			return -1;
		struct ww_lexeme t;
		ww_lex_peek(text, p.pos, &t);
		if (t.kind == WW_LEX_PUNCT && strcmp(t.op, "/") == 0) {
			p.pos = t.pos + 1;
			continue;
		}
		if (t.kind == WW_LEX_END || end)
			break;
		return ww_expr_fail(err, t.pos, t.len,
				    "unexpected '%.*s' after the expression: layers are joined by '/'",
				    (int)t.len, text + t.pos);
	}
	if (end)
		*end = p.pos;
	return check_order(&p);
}

/* ---- completion ------------------------------------------------------- */

size_t ww_craft_complete(const char *before, const char **out, size_t max)
{
	/* Walk the tokens to learn where the word being completed stands:
	 * the layer open, the field before '=', the punctuation last seen. */
	int kind = -1;
	const struct ww_field *field = NULL;
	char last = '/';
	int depth = 0;
	size_t pos = 0;
	for (;;) {
		struct ww_lexeme t;
		ww_lex(before, &pos, &t);
		if (t.kind == WW_LEX_END || t.kind == WW_LEX_BAD)
			break;
		if (t.kind == WW_LEX_PUNCT) {
			char op = t.op[0];
			if (op == '(')
				depth++;
			else if (op == ')' && depth > 0)
				depth--;
			if (depth <= 1 && (op == '(' || op == ',' || op == '=' || op == '/' || op == ')'))
				last = op;
			continue;
		}
		if (t.kind != WW_LEX_ATOM)
			continue;
		if (depth == 0 && last == '/') {
			kind = kind_find(before + t.pos, t.len);
		} else if (depth == 1 && (last == '(' || last == ',') && kind >= 0) {
			bool a;
			field = layer_field((enum ww_craft_kind)kind, before + t.pos, t.len, &a);
		}
		last = 'a';
	}
	size_t n = 0;
	if (last == '/' && depth == 0) {
		for (size_t i = 0; i < WW_CRAFT_NKINDS && n < max; i++)
			out[n++] = kind_names[i].name;
	} else if ((last == '(' || last == ',') && kind >= 0) {
		n = layer_names((enum ww_craft_kind)kind, out, max, true);
	} else if (last == '=' && field) {
		n = ww_value_names(field, out, max);
		if (n < max)
			out[n++] = "$reply.";
		if (n < max)
			out[n++] = "$last.";
	}
	return n;
}
