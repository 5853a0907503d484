/* Filters over a dissection: a small recursive-descent parser into a fixed
 * array of nodes, and a matcher that reads the dissection's items. See
 * include/ww/filter.h for the language. */
#include "ww/filter.h"

#include <string.h>

#include "ww/dissect.h"

/* Names that stand for two fields, either of which may match. */
struct either {
	const char *name;
	const struct ww_field *a, *b;
};

static const struct either eithers[] = {
	{ "ip.addr", &ww_ipv4_fields[WW_IP_F_SRC], &ww_ipv4_fields[WW_IP_F_DST] },
	{ "eth.addr", &ww_eth_fields[WW_ETH_F_SRC], &ww_eth_fields[WW_ETH_F_DST] },
	{ "tcp.port", &ww_tcp_fields[WW_TCP_F_SRCPORT], &ww_tcp_fields[WW_TCP_F_DSTPORT] },
	{ "udp.port", &ww_udp_fields[WW_UDP_F_SRCPORT], &ww_udp_fields[WW_UDP_F_DSTPORT] },
};
#define NEITHERS (sizeof eithers / sizeof eithers[0])

struct parser {
	const char *s;
	size_t pos;
	struct ww_filter *f;
	const struct ww_vars *vars;
	struct ww_expr_error *err;
};

static int new_node(struct parser *p, enum ww_filter_kind kind, size_t pos)
{
	if (p->f->n == WW_FILTER_MAX_NODES)
		return ww_expr_fail(p->err, pos, 1, "the filter is too long (at most %d tests)",
				    WW_FILTER_MAX_NODES);
	struct ww_filter_node *n = &p->f->nodes[p->f->n];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->a = n->b = -1;
	n->prefix = 32;
	return (int)p->f->n++;
}

static bool is_punct(const struct ww_lexeme *t, const char *op)
{
	return t->kind == WW_LEX_PUNCT && strcmp(t->op, op) == 0;
}

/* The comparison operator at T, or -1. */
static int op_of(const char *s, const struct ww_lexeme *t)
{
	static const struct { const char *sym, *word; enum ww_filter_op op; } ops[] = {
		{ "==", "eq", WW_OP_EQ }, { "!=", "ne", WW_OP_NE }, { "<=", "le", WW_OP_LE },
		{ ">=", "ge", WW_OP_GE }, { "<", "lt", WW_OP_LT },  { ">", "gt", WW_OP_GT },
		{ "&", NULL, WW_OP_BITAND }, { NULL, "contains", WW_OP_CONTAINS },
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if ((ops[i].sym && is_punct(t, ops[i].sym)) || (ops[i].word && ww_lex_is(s, t, ops[i].word)))
			return (int)ops[i].op;
	}
	return -1;
}

static const char *op_name(enum ww_filter_op op)
{
	static const char *const names[] = { "==", "!=", "<", "<=", ">", ">=", "&", "contains" };
	return names[op];
}

/* FIELD (or PROTOCOL) at T: fills the node's f, f2, proto, by_alias. */
static int resolve_field(struct parser *p, const struct ww_lexeme *t, struct ww_filter_node *n)
{
	const char *name = p->s + t->pos;
	if (t->kind != WW_LEX_ATOM || name[0] == '$' || (name[0] >= '0' && name[0] <= '9'))
		return ww_expr_fail(p->err, t->pos, t->len,
				    t->kind == WW_LEX_END ? "a field or protocol is missing"
							  : "expected a field or protocol name, as in ip.src or tcp");
	for (size_t i = 0; i < NEITHERS; i++) {
		if (strlen(eithers[i].name) == t->len && strncmp(name, eithers[i].name, t->len) == 0) {
			n->f = eithers[i].a;
			n->f2 = eithers[i].b;
			return 0;
		}
	}
	n->f = ww_field_lookup(name, t->len, &n->by_alias);
	if (n->f)
		return 0;
	n->proto = ww_protocol_find(name, t->len);
	if (n->proto)
		return 0;
	const char *near = ww_field_suggest(name, t->len);
	if (near)
		return ww_expr_fail(p->err, t->pos, t->len, "unknown field '%.*s'; did you mean '%s'?",
				    (int)t->len, name, near);
	return ww_expr_fail(p->err, t->pos, t->len, "unknown field '%.*s'", (int)t->len, name);
}

static bool numeric(const struct ww_field *f)
{
	return f->type == WW_FT_UINT || f->type == WW_FT_BOOL || f->type == WW_FT_IPV4;
}

/* The value after the operator, typed by the field. */
static int parse_value(struct parser *p, struct ww_filter_node *n)
{
	struct ww_expr_ctx cx = { .f = n->f, .vars = p->vars, .buf = p->f->data,
				  .cap = sizeof p->f->data, .used = p->f->data_len };
	size_t vpos = p->pos;
	while (p->s[vpos] == ' ' || p->s[vpos] == '\t')
		vpos++;
	struct ww_value v;
	if (ww_expr_eval(p->s, &p->pos, &cx, &v, p->err) < 0)
		return -1;
	p->f->data_len = cx.used;
	size_t vlen = p->pos - vpos;
	const struct ww_field *f = n->f;
	n->vtype = v.type;
	if (numeric(f)) {
		if (v.type != WW_VAL_NUM)
			return ww_expr_fail(p->err, vpos, vlen, f->type == WW_FT_IPV4
						   ? "not an IPv4 address" : "%s is a number", f->name);
		if (v.ipv4 && f->type != WW_FT_IPV4)
			return ww_expr_fail(p->err, vpos, vlen, "not a number");
		if (v.n < 0 || (f->type == WW_FT_IPV4 && v.n > 0xffffffffll))
			return ww_expr_fail(p->err, vpos, vlen, "out of range for %s", f->name);
		n->v = (uint64_t)v.n;
		struct ww_lexeme slash, bits;
		ww_lex_peek(p->s, p->pos, &slash);
		if (f->type == WW_FT_IPV4 && is_punct(&slash, "/")) {
			size_t at = slash.pos + 1;
			ww_lex(p->s, &at, &bits);
			uint64_t pfx;
			if (bits.kind != WW_LEX_ATOM || ww_parse_number(p->s + bits.pos, bits.len, &pfx) < 0 ||
			    pfx > 32)
				return ww_expr_fail(p->err, bits.pos, bits.len, "a prefix length is 0..32");
			n->prefix = (uint8_t)pfx;
			p->pos = at;
		}
	} else if (f->type == WW_FT_MAC) {
		if (v.type == WW_VAL_BYTES && v.len == 6)
			memcpy(n->mac, v.p, 6);
		else if (v.type == WW_VAL_MAC)
			memcpy(n->mac, v.mac, 6);
		else
			return ww_expr_fail(p->err, vpos, vlen, "not a MAC address");
		n->vtype = WW_VAL_MAC;
	} else {
		if (v.type == WW_VAL_MAC) {
			if (p->f->data_len + 6 > sizeof p->f->data)
				return ww_expr_fail(p->err, vpos, vlen, "the filter holds too many bytes");
			memcpy(p->f->data + p->f->data_len, v.mac, 6);
			v.p = p->f->data + p->f->data_len;
			v.len = 6;
			p->f->data_len += 6;
		} else if (v.type != WW_VAL_BYTES) {
			return ww_expr_fail(p->err, vpos, vlen, "%s holds bytes: write \"text\" or de:ad:be:ef",
					    f->name);
		}
		n->vtype = WW_VAL_BYTES;
		n->off = (uint32_t)(v.p - p->f->data);
		n->len = (uint32_t)v.len;
	}
	return 0;
}

static int parse_test(struct parser *p)
{
	struct ww_lexeme t, opt;
	ww_lex(p->s, &p->pos, &t);
	int i = new_node(p, WW_FN_PRESENT, t.pos);
	if (i < 0)
		return -1;
	struct ww_filter_node *n = &p->f->nodes[i];
	if (resolve_field(p, &t, n) < 0)
		return -1;
	ww_lex_peek(p->s, p->pos, &opt);
	int op = op_of(p->s, &opt);
	if (op < 0) {
		if (is_punct(&opt, "="))
			return ww_expr_fail(p->err, opt.pos, opt.len, "'=' sets a field; '==' compares");
		n->kind = n->proto ? WW_FN_PROTO : WW_FN_PRESENT;
		return i;
	}
	if (n->proto)
		return ww_expr_fail(p->err, t.pos, t.len,
				    "'%.*s' is a protocol: compare one of its fields (%s.…)", (int)t.len,
				    p->s + t.pos, n->proto->name);
	n->kind = WW_FN_CMP;
	n->op = (enum ww_filter_op)op;
	const struct ww_field *f = n->f;
	bool ordered = op >= WW_OP_LT && op <= WW_OP_GE;
	if ((ordered && !numeric(f)) || (op == WW_OP_BITAND && f->type != WW_FT_UINT &&
					 f->type != WW_FT_BOOL) ||
	    (op == WW_OP_CONTAINS && f->type != WW_FT_BYTES && f->type != WW_FT_STRING))
		return ww_expr_fail(p->err, opt.pos, opt.len, "'%s' does not apply to %s", op_name(op),
				    f->name);
	p->pos = opt.pos + opt.len;
	if (parse_value(p, n) < 0)
		return -1;
	return i;
}

static int parse_or(struct parser *p);

static int parse_not(struct parser *p)
{
	struct ww_lexeme t;
	ww_lex_peek(p->s, p->pos, &t);
	if (ww_lex_is(p->s, &t, "not") || is_punct(&t, "!")) {
		p->pos = t.pos + t.len;
		int i = new_node(p, WW_FN_NOT, t.pos);
		if (i < 0)
			return -1;
		int a = parse_not(p);
		if (a < 0)
			return -1;
		p->f->nodes[i].a = a;
		return i;
	}
	if (is_punct(&t, "(")) {
		p->pos = t.pos + 1;
		int i = parse_or(p);
		if (i < 0)
			return -1;
		struct ww_lexeme close;
		ww_lex(p->s, &p->pos, &close);
		if (!is_punct(&close, ")"))
			return ww_expr_fail(p->err, t.pos, 1, "'(' without its ')'");
		return i;
	}
	return parse_test(p);
}

static int parse_binary(struct parser *p, enum ww_filter_kind kind)
{
	const char *word = kind == WW_FN_OR ? "or" : "and";
	const char *sym = kind == WW_FN_OR ? "||" : "&&";
	int left = kind == WW_FN_OR ? parse_binary(p, WW_FN_AND) : parse_not(p);
	if (left < 0)
		return -1;
	for (;;) {
		struct ww_lexeme t;
		ww_lex_peek(p->s, p->pos, &t);
		if (!ww_lex_is(p->s, &t, word) && !is_punct(&t, sym))
			return left;
		p->pos = t.pos + t.len;
		int i = new_node(p, kind, t.pos);
		if (i < 0)
			return -1;
		int right = kind == WW_FN_OR ? parse_binary(p, WW_FN_AND) : parse_not(p);
		if (right < 0)
			return -1;
		p->f->nodes[i].a = left;
		p->f->nodes[i].b = right;
		left = i;
	}
}

static int parse_or(struct parser *p)
{
	return parse_binary(p, WW_FN_OR);
}

int ww_filter_parse(struct ww_filter *f, const char *text, size_t *end, const struct ww_vars *vars,
		    struct ww_expr_error *err)
{
	memset(err, 0, sizeof *err);
	f->root = -1;
	f->n = 0;
	f->data_len = 0;
	struct parser p = { .s = text, .f = f, .vars = vars, .err = err };
	struct ww_lexeme t;
	ww_lex_peek(text, 0, &t);
	if (t.kind == WW_LEX_END) {
		if (end)
			*end = t.pos;
		return 0;
	}
	int root = parse_or(&p);
	if (root < 0)
		return -1;
	ww_lex_peek(text, p.pos, &t);
	if (t.kind != WW_LEX_END && !end)
		return ww_expr_fail(err, t.pos, t.len, "unexpected '%.*s': join tests with and, or",
				    (int)t.len, text + t.pos);
	if (end)
		*end = p.pos;
	f->root = root;
	return 0;
}

/* ---- matching ----------------------------------------------------------- */

static bool cmp_num(enum ww_filter_op op, uint64_t have, uint64_t want)
{
	switch (op) {
	case WW_OP_EQ: return have == want;
	case WW_OP_LT: return have < want;
	case WW_OP_LE: return have <= want;
	case WW_OP_GT: return have > want;
	case WW_OP_GE: return have >= want;
	case WW_OP_BITAND: return (have & want) != 0;
	default: return false;
	}
}

/* Does item IT satisfy node N (with == for !=: see match_cmp)? */
static bool item_matches(const struct ww_filter *fl, const struct ww_filter_node *n,
			 enum ww_filter_op op, const struct ww_item *it)
{
	const uint8_t *want = fl->data + n->off;
	switch (it->f->type) {
	case WW_FT_UINT:
	case WW_FT_BOOL: {
		uint64_t have = n->by_alias && it->f->mult > 1 ? it->u / it->f->mult : it->u;
		return cmp_num(op, have, n->v);
	}
	case WW_FT_IPV4: {
		uint32_t mask = n->prefix ? 0xffffffffu << (32 - n->prefix) : 0;
		if (op == WW_OP_EQ)
			return ((uint32_t)it->u & mask) == ((uint32_t)n->v & mask);
		return cmp_num(op, it->u, n->v);
	}
	case WW_FT_MAC:
		return it->p && it->plen == 6 && memcmp(it->p, n->mac, 6) == 0;
	default:
		if (!it->p && it->plen)
			return false;
		if (op == WW_OP_CONTAINS)
			return n->len == 0 ||
			       (it->plen >= n->len && memmem(it->p, it->plen, want, n->len) != NULL);
		return it->plen == n->len && (n->len == 0 || memcmp(it->p, want, n->len) == 0);
	}
}

static bool match_node(const struct ww_filter *fl, int i, const struct ww_dissection *d)
{
	const struct ww_filter_node *n = &fl->nodes[i];
	switch (n->kind) {
	case WW_FN_OR:
		return match_node(fl, n->a, d) || match_node(fl, n->b, d);
	case WW_FN_AND:
		return match_node(fl, n->a, d) && match_node(fl, n->b, d);
	case WW_FN_NOT:
		return !match_node(fl, n->a, d);
	case WW_FN_PROTO:
		for (unsigned k = 0; k < d->nlayers; k++)
			if (strcmp(d->layers[k].name, n->proto->name) == 0)
				return true;
		return false;
	case WW_FN_PRESENT:
	case WW_FN_CMP: {
		/* As in Wireshark 4.0: a != b holds when a is there and no
		 * occurrence of it equals b; every other test holds when any
		 * occurrence passes it. */
		enum ww_filter_op op = n->op == WW_OP_NE ? WW_OP_EQ : n->op;
		bool present = false, any = false;
		for (unsigned k = 0; k < d->nitems && !any; k++) {
			const struct ww_item *it = &d->items[k];
			if (it->f != n->f && (!n->f2 || it->f != n->f2))
				continue;
			present = true;
			any = n->kind == WW_FN_PRESENT || item_matches(fl, n, op, it);
		}
		return n->kind == WW_FN_CMP && n->op == WW_OP_NE ? present && !any : any;
	}
	}
	return false;
}

bool ww_filter_match(const struct ww_filter *f, const struct ww_dissection *d)
{
	return f->root < 0 || match_node(f, f->root, d);
}

/* ---- completion ------------------------------------------------------- */

size_t ww_filter_complete(const char *before, const char **out, size_t max)
{
	const struct ww_field *field = NULL;
	bool after_op = false;
	size_t pos = 0;
	for (;;) {
		struct ww_lexeme t;
		ww_lex(before, &pos, &t);
		if (t.kind == WW_LEX_END || t.kind == WW_LEX_BAD)
			break;
		if (op_of(before, &t) >= 0) {
			after_op = field != NULL;
			continue;
		}
		after_op = false;
		if (t.kind == WW_LEX_ATOM)
			field = ww_field_lookup(before + t.pos, t.len, NULL);
	}
	size_t n = 0;
	if (after_op)
		return ww_value_names(field, out, max);
	static const char *const words[] = { "and", "or", "not" };
	for (size_t i = 0; i < 3 && n < max; i++)
		out[n++] = words[i];
	for (size_t i = 0; i < NEITHERS && n < max; i++)
		out[n++] = eithers[i].name;
	for (const struct ww_protocol *p = ww_protocols; p->name && n < max; p++) {
		out[n++] = p->name;
		for (const struct ww_field *f = p->fields; f->name && n < max; f++)
			if (f->type != WW_FT_NONE)
				out[n++] = f->name;
	}
	return n;
}
