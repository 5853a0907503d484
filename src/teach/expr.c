/* Values as people type them: the lexer shared by crafting expressions and
 * filters, numbers and durations, and value expressions with variables and
 * arithmetic. The names of fields and of their values are in names.c. See
 * include/ww/expr.h. */
#include "ww/expr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/eth.h"
#include "ww/ipv4.h"

int ww_expr_fail(struct ww_expr_error *err, size_t pos, size_t len, const char *fmt, ...)
{
	if (!err || err->msg[0])
		return -1;
	err->pos = pos;
	err->len = len;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- the lexer ---------------------------------------------------------- */

static bool same_word_nocase(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}


static bool atom_char(const char *s, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (isalnum(c) || c == '_' || c == '.' || c == ':' || c == '$')
		return true;
	/* A dash joins words (echo-request) but is a minus before a digit
	 * ($reply.tcp.seq-1). */
	return c == '-' && i > 0 && isalpha((unsigned char)s[i - 1]) &&
	       isalpha((unsigned char)s[i + 1]);
}

void ww_lex(const char *s, size_t *pos, struct ww_lexeme *t)
{
	size_t i = *pos;
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
		i++;
	memset(t, 0, sizeof *t);
	t->pos = i;
	char c = s[i];
	if (c == '\0' || c == '#') {
		t->kind = WW_LEX_END;
		*pos = i;
		return;
	}
	if (c == '"' || c == '\'') {
		size_t j = i + 1;
		while (s[j] && s[j] != c) {
			if (s[j] == '\\' && s[j + 1])
				j++;
			j++;
		}
		t->kind = s[j] == c ? WW_LEX_STRING : WW_LEX_BAD;
		t->len = (s[j] ? j + 1 : j) - i;
		*pos = i + t->len;
		return;
	}
	if (atom_char(s, i)) {
		size_t j = i;
		while (s[j] && atom_char(s, j))
			j++;
		t->kind = WW_LEX_ATOM;
		t->len = j - i;
		*pos = j;
		return;
	}
	static const char *const two[] = { "==", "!=", "<=", ">=", "&&", "||" };
	for (size_t k = 0; k < sizeof two / sizeof two[0]; k++) {
		if (c == two[k][0] && s[i + 1] == two[k][1]) {
			t->kind = WW_LEX_PUNCT;
			t->len = 2;
			memcpy(t->op, two[k], 3);
			*pos = i + 2;
			return;
		}
	}
	t->len = 1;
	*pos = i + 1;
	if (strchr("(),/=+-*!<>&|", c)) {
		t->kind = WW_LEX_PUNCT;
		t->op[0] = c;
		return;
	}
	t->kind = WW_LEX_BAD;
}

void ww_lex_peek(const char *s, size_t pos, struct ww_lexeme *t)
{
	ww_lex(s, &pos, t);
}

bool ww_lex_is(const char *s, const struct ww_lexeme *t, const char *word)
{
	return t->kind == WW_LEX_ATOM && same_word_nocase(s + t->pos, t->len, word);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long ww_lex_string(const char *s, const struct ww_lexeme *t, uint8_t *out, size_t cap,
		   struct ww_expr_error *err)
{
	const char *p = s + t->pos + 1, *end = s + t->pos + t->len - 1;
	size_t n = 0;
	while (p < end) {
		uint8_t b = (uint8_t)*p++;
		if (b == '\\') {
			size_t at = (size_t)(p - 1 - s);
			char e = *p++;
			switch (e) {
			case 'n': b = '\n'; break;
			case 'r': b = '\r'; break;
			case 't': b = '\t'; break;
			case '0': b = 0; break;
			case '\\': case '"': case '\'': b = (uint8_t)e; break;
			case 'x': {
				int hi = p < end ? hex_digit(p[0]) : -1;
				int lo = hi >= 0 && p + 1 < end ? hex_digit(p[1]) : -1;
				if (lo < 0)
					return ww_expr_fail(err, at, 2,
							    "\\x needs two hex digits");
				b = (uint8_t)(hi << 4 | lo);
				p += 2;
				break;
			}
			default:
				return ww_expr_fail(err, at, 2,
						    "unknown escape '\\%c' (\\n \\r \\t \\0 \\\\ \\\" \\' \\xNN)",
						    e ? e : ' ');
			}
		}
		if (n == cap)
			return ww_expr_fail(err, t->pos, t->len, "text too long: over %zu bytes", cap);
		out[n++] = b;
	}
	return (long)n;
}

/* ---- numbers and durations -------------------------------------------- */

int ww_parse_number(const char *s, size_t len, uint64_t *v)
{
	uint64_t x = 0;
	if (len == 0)
		return -1;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (len - 2 > 16)
			return -1;
		for (size_t i = 2; i < len; i++) {
			int d = hex_digit(s[i]);
			if (d < 0)
				return -1;
			x = x << 4 | (uint64_t)d;
		}
		*v = x;
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		unsigned d = (unsigned)(s[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

int ww_parse_duration(const char *s, size_t len, unsigned *ms)
{
	unsigned scale = 1000;
	if (len > 2 && strncmp(s + len - 2, "ms", 2) == 0)
		len -= 2, scale = 1;
	else if (len > 1 && s[len - 1] == 's')
		len -= 1;
	/* Whole units, then at most three decimals. */
	uint64_t whole = 0, frac = 0, fdiv = 1;
	size_t i = 0;
	if (len == 0)
		return -1;
	for (; i < len && s[i] != '.'; i++) {
		if (s[i] < '0' || s[i] > '9' || whole > 100000000)
			return -1;
		whole = whole * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < len) {
		if (++i == len || scale == 1)
			return -1;
		for (; i < len; i++) {
			if (s[i] < '0' || s[i] > '9' || fdiv >= 1000)
				return -1;
			frac = frac * 10 + (uint64_t)(s[i] - '0');
			fdiv *= 10;
		}
	}
	uint64_t total = whole * scale + frac * scale / fdiv;
	if (total > 86400000u)
		return -1;
	*ms = (unsigned)total;
	return 0;
}

#define TCP_FLAGS (&ww_tcp_fields[WW_TCP_F_FLAGS])

/* ---- evaluation ---------------------------------------------------------- */

struct eval {
	const char *s;
	size_t pos;
	struct ww_expr_ctx *cx;
	struct ww_expr_error *err;
};

static const char *vtype_name(const struct ww_value *v)
{
	return v->type == WW_VAL_MAC ? "a MAC address" : v->type == WW_VAL_BYTES ? "bytes" : "a number";
}

static uint8_t *bytes_room(struct eval *e, size_t n, size_t pos, size_t len)
{
	struct ww_expr_ctx *cx = e->cx;
	if (!cx->buf || cx->cap - cx->used < n) {
		ww_expr_fail(e->err, pos, len, "no room for %zu more bytes", n);
		return NULL;
	}
	uint8_t *p = cx->buf + cx->used;
	cx->used += n;
	return p;
}

/* "de:ad:be:ef" or "0xdeadbeef" as bytes. */
static int hex_bytes(struct eval *e, const char *a, size_t n, size_t pos, struct ww_value *v)
{
	uint8_t tmp[512];
	size_t k = 0;
	bool colons = memchr(a, ':', n) != NULL;
	size_t i = colons ? 0 : 2;
	while (i < n) {
		int hi = hex_digit(a[i]);
		int lo = i + 1 < n ? hex_digit(a[i + 1]) : -1;
		if (hi < 0 || lo < 0 || k == sizeof tmp)
			return ww_expr_fail(e->err, pos, n, colons ? "not bytes: write pairs of hex digits, de:ad:be:ef"
							     : "not bytes: write an even number of hex digits after 0x");
		tmp[k++] = (uint8_t)(hi << 4 | lo);
		i += 2;
		if (colons && i < n) {
			if (a[i] != ':')
				return ww_expr_fail(e->err, pos, n, "not bytes: write pairs of hex digits, de:ad:be:ef");
			i++;
			if (i == n)
				return ww_expr_fail(e->err, pos, n, "not bytes: ends with ':'");
		}
	}
	uint8_t *p = bytes_room(e, k, pos, n);
	if (!p)
		return -1;
	memcpy(p, tmp, k);
	*v = (struct ww_value){ .type = WW_VAL_BYTES, .p = p, .len = k };
	return 0;
}

static bool is_bytes_field(const struct ww_field *f)
{
	return f && (f->type == WW_FT_BYTES || f->type == WW_FT_STRING || f->type == WW_FT_IPV6);
}

static int literal(struct eval *e, const struct ww_lexeme *t, struct ww_value *v)
{
	const char *a = e->s + t->pos;
	size_t n = t->len;
	const struct ww_field *f = e->cx->f;
	char buf[64];
	*v = (struct ww_value){ .type = WW_VAL_NUM };
	if (f && f->type == WW_FT_STRING) { /* a name: dns.qry.name == www.example.com */
		uint8_t *p = bytes_room(e, n, t->pos, n);
		if (!p)
			return -1;
		memcpy(p, a, n);
		*v = (struct ww_value){ .type = WW_VAL_BYTES, .p = p, .len = n };
		return 0;
	}
	if (memchr(a, ':', n)) {
		if (is_bytes_field(f))
			return hex_bytes(e, a, n, t->pos, v);
		snprintf(buf, sizeof buf, "%.*s", (int)(n < 63 ? n : 63), a);
		if (n > 63 || ww_mac_parse(buf, v->mac) < 0)
			return ww_expr_fail(e->err, t->pos, n, "not a MAC address");
		v->type = WW_VAL_MAC;
		return 0;
	}
	if (isdigit((unsigned char)a[0])) {
		if (memchr(a, '.', n)) {
			uint32_t ip;
			snprintf(buf, sizeof buf, "%.*s", (int)(n < 63 ? n : 63), a);
			if (n > 63 || ww_ipv4_parse_addr(buf, &ip) < 0)
				return ww_expr_fail(e->err, t->pos, n, "not an IPv4 address");
			v->n = ip;
			v->ipv4 = true;
			return 0;
		}
		if (is_bytes_field(f) && n > 2 && a[0] == '0' && (a[1] == 'x' || a[1] == 'X'))
			return hex_bytes(e, a, n, t->pos, v);
		uint64_t x;
		if (ww_parse_number(a, n, &x) < 0 || x > INT64_MAX)
			return ww_expr_fail(e->err, t->pos, n, "not a number");
		v->n = (int64_t)x;
		return 0;
	}
	uint64_t x;
	if (ww_value_name(f, a, n, &x) == 0) {
		v->n = (int64_t)x;
		return 0;
	}
	if (!f)
		return ww_expr_fail(e->err, t->pos, n, "not a value");
	const char *names[96];
	size_t k = ww_value_names(f, names, sizeof names / sizeof names[0]);
	const char *near = ww_nearest_word(a, n, names, k);
	if (f == TCP_FLAGS)
		return ww_expr_fail(e->err, t->pos, n,
				    "not TCP flags: letters F S R P A U E C N (AE), e.g. SA");
	if (near)
		return ww_expr_fail(e->err, t->pos, n, "unknown value for %s; did you mean '%s'?",
				    f->name, near);
	if (k)
		return ww_expr_fail(e->err, t->pos, n, "unknown value for %s (e.g. %s, or a number)",
				    f->name, names[0]);
	return ww_expr_fail(e->err, t->pos, n, "not a value for %s", f->name);
}

/* The layers of D, for a message: "eth ip icmp". */
static void layer_list(const struct ww_dissection *d, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < d->nlayers && used + 1 < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? " " : "", d->layers[i].name);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static const struct ww_item *find_item(const struct ww_dissection *d, const struct ww_field *f)
{
	/* The frame's own header before one quoted inside an ICMP error. */
	for (unsigned i = 0; i < d->nitems; i++)
		if (d->items[i].f == f && d->layers[d->items[i].layer].depth == 0)
			return &d->items[i];
	for (unsigned i = 0; i < d->nitems; i++)
		if (d->items[i].f == f)
			return &d->items[i];
	return NULL;
}

static int item_value(struct eval *e, const struct ww_item *it, bool by_alias,
		      const struct ww_lexeme *t, struct ww_value *v)
{
	*v = (struct ww_value){ .type = WW_VAL_NUM };
	switch (it->f->type) {
	case WW_FT_UINT:
	case WW_FT_BOOL:
		v->n = (int64_t)(by_alias && it->f->mult > 1 ? it->u / it->f->mult : it->u);
		return 0;
	case WW_FT_IPV4:
		v->n = (int64_t)it->u;
		v->ipv4 = true;
		return 0;
	case WW_FT_MAC:
		if (!it->p || it->plen != 6)
			break;
		v->type = WW_VAL_MAC;
		memcpy(v->mac, it->p, 6);
		return 0;
	default: {
		uint8_t *p = bytes_room(e, it->plen, t->pos, t->len);
		if (!p)
			return -1;
		if (it->plen)
			memcpy(p, it->p, it->plen);
		*v = (struct ww_value){ .type = WW_VAL_BYTES, .p = p, .len = it->plen };
		return 0;
	}
	}
	return ww_expr_fail(e->err, t->pos, t->len, "%s has no value here", it->f->name);
}

/* $NAME or $NAME.FIELD: the frame, or one of its fields. */
static int variable(struct eval *e, const struct ww_lexeme *t, struct ww_value *v)
{
	const char *a = e->s + t->pos + 1;
	size_t n = t->len - 1;
	const char *dot = memchr(a, '.', n);
	size_t nlen = dot ? (size_t)(dot - a) : n;
	if (nlen == 0)
		return ww_expr_fail(e->err, t->pos, t->len, "a variable needs a name: $last, $reply, $N");
	if (!e->cx->vars)
		return ww_expr_fail(e->err, t->pos, t->len, "no variables here");
	const uint8_t *frame;
	size_t flen;
	char why[WW_EXPR_MSG];
	why[0] = '\0';
	if (e->cx->vars->frame(e->cx->vars->arg, a, nlen, &frame, &flen, why, sizeof why) < 0)
		return ww_expr_fail(e->err, t->pos, nlen + 1, "%s", why[0] ? why : "no such frame");
	if (!dot) {
		uint8_t *p = bytes_room(e, flen, t->pos, t->len);
		if (!p)
			return -1;
		memcpy(p, frame, flen);
		*v = (struct ww_value){ .type = WW_VAL_BYTES, .p = p, .len = flen };
		return 0;
	}
	const char *fname = dot + 1;
	size_t flen_name = n - nlen - 1;
	bool by_alias;
	const struct ww_field *f = ww_field_lookup(fname, flen_name, &by_alias);
	size_t fpos = (size_t)(fname - e->s);
	if (!f) {
		const char *near = ww_field_suggest(fname, flen_name);
		if (near)
			return ww_expr_fail(e->err, fpos, flen_name,
					    "unknown field '%.*s'; did you mean '%s'?", (int)flen_name,
					    fname, near);
		return ww_expr_fail(e->err, fpos, flen_name, "unknown field '%.*s'", (int)flen_name,
				    fname);
	}
	struct ww_dissection *d = e->cx->scratch ? e->cx->scratch : malloc(sizeof *d);
	if (!d)
		return ww_expr_fail(e->err, t->pos, t->len, "out of memory");
	ww_dissect(d, frame, flen);
	const struct ww_item *it = find_item(d, f);
	int rc;
	if (it) {
		rc = item_value(e, it, by_alias, t, v);
	} else {
		char layers[128];
		layer_list(d, layers, sizeof layers);
		rc = ww_expr_fail(e->err, t->pos, t->len, "$%.*s has no %s (its layers: %s)", (int)nlen,
				  a, f->name, layers[0] ? layers : "none");
	}
	if (d != e->cx->scratch)
		free(d);
	return rc;
}

static int eval_sum(struct eval *e, struct ww_value *v);

static int eval_primary(struct eval *e, struct ww_value *v)
{
	struct ww_lexeme t;
	ww_lex(e->s, &e->pos, &t);
	switch (t.kind) {
	case WW_LEX_ATOM:
		return e->s[t.pos] == '$' ? variable(e, &t, v) : literal(e, &t, v);
	case WW_LEX_STRING: {
		struct ww_expr_ctx *cx = e->cx;
		if (!cx->buf)
			return ww_expr_fail(e->err, t.pos, t.len, "no text here");
		long n = ww_lex_string(e->s, &t, cx->buf + cx->used, cx->cap - cx->used, e->err);
		if (n < 0)
			return -1;
		*v = (struct ww_value){ .type = WW_VAL_BYTES, .p = cx->buf + cx->used, .len = (size_t)n };
		cx->used += (size_t)n;
		return 0;
	}
	case WW_LEX_PUNCT:
		if (t.op[0] == '(' && !t.op[1]) {
			if (eval_sum(e, v) < 0)
				return -1;
			struct ww_lexeme close;
			ww_lex(e->s, &e->pos, &close);
			if (close.kind != WW_LEX_PUNCT || strcmp(close.op, ")") != 0)
				return ww_expr_fail(e->err, t.pos, 1, "'(' without its ')'");
			return 0;
		}
		return ww_expr_fail(e->err, t.pos, t.len, "expected a value, found '%s'", t.op);
	case WW_LEX_END:
		return ww_expr_fail(e->err, t.pos, 0, "a value is missing");
	default:
		return ww_expr_fail(e->err, t.pos, t.len, t.len && e->s[t.pos] != '"' && e->s[t.pos] != '\''
				    ? "unexpected character" : "unterminated string");
	}
}

static int eval_unary(struct eval *e, struct ww_value *v)
{
	struct ww_lexeme t;
	ww_lex_peek(e->s, e->pos, &t);
	if (t.kind == WW_LEX_PUNCT && strcmp(t.op, "-") == 0) {
		e->pos = t.pos + 1;
		if (eval_unary(e, v) < 0)
			return -1;
		if (v->type != WW_VAL_NUM)
			return ww_expr_fail(e->err, t.pos, 1, "'-' works on numbers, not on %s",
					    vtype_name(v));
		v->n = -v->n; /* values come from 64-bit unsigned fields, below INT64_MAX */
		v->arith = true;
		return 0;
	}
	return eval_primary(e, v);
}

static int apply(struct eval *e, const struct ww_lexeme *op, struct ww_value *l,
		 const struct ww_value *r)
{
	if (l->type != WW_VAL_NUM || r->type != WW_VAL_NUM)
		return ww_expr_fail(e->err, op->pos, 1, "'%s' works on numbers, not on %s", op->op,
				    vtype_name(l->type != WW_VAL_NUM ? l : r));
	int64_t out;
	bool over = op->op[0] == '+' ? __builtin_add_overflow(l->n, r->n, &out)
		    : op->op[0] == '-' ? __builtin_sub_overflow(l->n, r->n, &out)
				       : __builtin_mul_overflow(l->n, r->n, &out);
	if (over)
		return ww_expr_fail(e->err, op->pos, 1, "the result is too large");
	l->n = out;
	l->arith = true;
	return 0;
}

static int eval_product(struct eval *e, struct ww_value *v)
{
	if (eval_unary(e, v) < 0)
		return -1;
	for (;;) {
		struct ww_lexeme t;
		ww_lex_peek(e->s, e->pos, &t);
		if (t.kind != WW_LEX_PUNCT || strcmp(t.op, "*") != 0)
			return 0;
		e->pos = t.pos + 1;
		struct ww_value r;
		if (eval_unary(e, &r) < 0 || apply(e, &t, v, &r) < 0)
			return -1;
	}
}

static int eval_sum(struct eval *e, struct ww_value *v)
{
	if (eval_product(e, v) < 0)
		return -1;
	for (;;) {
		struct ww_lexeme t;
		ww_lex_peek(e->s, e->pos, &t);
		if (t.kind != WW_LEX_PUNCT || (strcmp(t.op, "+") != 0 && strcmp(t.op, "-") != 0))
			return 0;
		e->pos = t.pos + 1;
		struct ww_value r;
		if (eval_product(e, &r) < 0 || apply(e, &t, v, &r) < 0)
			return -1;
	}
}

int ww_expr_eval(const char *s, size_t *pos, struct ww_expr_ctx *cx, struct ww_value *v,
		 struct ww_expr_error *err)
{
	struct eval e = { .s = s, .pos = *pos, .cx = cx, .err = err };
	if (eval_sum(&e, v) < 0)
		return -1;
	*pos = e.pos;
	return 0;
}
