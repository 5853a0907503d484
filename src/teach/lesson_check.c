/* Checks over the evidence: frames sent and received since a task began,
 * and the stack's state. A failure says what differs, found the way a
 * teacher would look: of the frames that went the right way, take the one
 * that meets most of the filter's tests, and name the tests it fails with
 * what was expected and what it had ("expected tcp.flags == S (SYN), saw
 * 0x010 (ACK) in $14"). */
#include "ww/lesson.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ww/dissect.h"
#include "ww/expr.h"
#include "ww/filter.h"
#include "ww/session.h"
#include "ww/view.h"

#define MAX_LISTED 3 /* failing tests named in one detail line */

unsigned ww_lesson_mark(const struct ww_session *s)
{
	return s ? ww_session_npackets(s) + 1 : 1;
}

static void say(struct ww_lesson_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct ww_lesson_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
}

/* Append to R's detail, as far as it goes. */
static void say_more(struct ww_lesson_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say_more(struct ww_lesson_result *r, const char *fmt, ...)
{
	size_t used = strlen(r->detail);
	if (used + 1 >= sizeof r->detail)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->detail + used, sizeof r->detail - used, fmt, ap);
	va_end(ap);
}

/* ---- the frames of the evidence ------------------------------------------ */

struct frames {
	const struct ww_lesson_evidence *ev;
	unsigned first, last; /* live: packet numbers; offline: indexes + 1 */
};

static void frames_init(struct frames *fr, const struct ww_lesson_evidence *ev)
{
	fr->ev = ev;
	if (ev->session) {
		unsigned kept = ww_session_first_packet(ev->session);
		fr->first = ev->since > kept ? ev->since : kept;
		fr->last = ww_session_npackets(ev->session);
	} else {
		fr->first = 1;
		fr->last = (unsigned)ev->nframes;
	}
}

static const struct ww_packet *frame_at(const struct frames *fr, unsigned i)
{
	if (fr->ev->session)
		return ww_session_packet(fr->ev->session, i);
	return &fr->ev->frames[i - 1];
}

/* ---- the tests of a filter ----------------------------------------------- */

/* A test of the filter (a leaf: PROTO, PRESENT or CMP), the text it was
 * written as, and whether a `not` above it turns it round. */
struct test {
	int node;
	bool inverted;
	size_t pos, len; /* in the filter's text */
};

#define MAX_TESTS WW_FILTER_MAX_NODES

static bool is_leaf(const struct ww_filter_node *n)
{
	return n->kind == WW_FN_PROTO || n->kind == WW_FN_PRESENT || n->kind == WW_FN_CMP;
}

static void collect(const struct ww_filter *f, int i, bool inv, bool *inverted)
{
	if (i < 0 || i >= (int)f->n)
		return;
	const struct ww_filter_node *n = &f->nodes[i];
	if (is_leaf(n)) {
		inverted[i] = inv;
		return;
	}
	collect(f, n->a, n->kind == WW_FN_NOT ? !inv : inv, inverted);
	if (n->kind != WW_FN_NOT)
		collect(f, n->b, inv, inverted);
}

static bool lex_word(const char *s, const struct ww_lexeme *t, const char *const *words)
{
	for (; *words; words++)
		if (ww_lex_is(s, t, *words))
			return true;
	return false;
}

static bool lex_punct(const struct ww_lexeme *t, const char *op)
{
	return t->kind == WW_LEX_PUNCT && !strcmp(t->op, op);
}

/* Where each test is in TEXT. The parser makes a test's node when it
 * reaches the test, so tests in node order are tests in text order: the
 * K-th test found here is the K-th leaf node. */
static size_t test_spans(const char *text, size_t *pos, size_t *len, size_t max)
{
	static const char *const joins[] = { "and", "or", NULL };
	static const char *const nots[] = { "not", NULL };
	size_t n = 0, at = 0;
	struct ww_lexeme t;
	for (;;) {
		ww_lex(text, &at, &t);
		if (t.kind == WW_LEX_END || t.kind == WW_LEX_BAD || n == max)
			return n;
		if (lex_word(text, &t, nots) || lex_word(text, &t, joins) || lex_punct(&t, "!") ||
		    lex_punct(&t, "(") || lex_punct(&t, ")") || lex_punct(&t, "&&") ||
		    lex_punct(&t, "||"))
			continue;
		/* A test: its name, and an operator and value up to the next
		 * and/or (or a ')' that closes more than the value opened). */
		size_t start = t.pos, end = t.pos + t.len;
		int depth = 0;
		for (;;) {
			struct ww_lexeme u;
			ww_lex_peek(text, at, &u);
			if (u.kind == WW_LEX_END || u.kind == WW_LEX_BAD)
				break;
			if (depth == 0 && (lex_word(text, &u, joins) || lex_punct(&u, "&&") ||
					   lex_punct(&u, "||") || lex_punct(&u, ")")))
				break;
			if (lex_punct(&u, "("))
				depth++;
			if (lex_punct(&u, ")"))
				depth--;
			at = u.pos + u.len;
			end = at;
		}
		pos[n] = start;
		len[n] = end - start;
		n++;
	}
}

/* " (SYN)", " (SYN, ACK)", " (ARP)" for V in F, or "". */
static void meaning(const struct ww_field *f, uint64_t v, char *out, size_t n)
{
	out[0] = '\0';
	if (f && !f->vals && f->type == WW_FT_BOOL) {
		snprintf(out, n, v ? " (set)" : " (not set)");
		return;
	}
	if (!f || !f->vals || (f->type != WW_FT_UINT && f->type != WW_FT_BOOL))
		return;
	if (f->flags & WW_F_BITS) {
		size_t used = 0;
		for (const struct ww_tok *t = f->vals; t->s && used + 4 < n; t++) {
			if (t->v == 0 || (v & t->v) != t->v)
				continue;
			int k = snprintf(out + used, n - used, "%s%s", used ? ", " : " (", t->s);
			if (k < 0)
				break;
			used += (size_t)k;
		}
		if (used && used + 2 < n)
			snprintf(out + used, n - used, ")");
		else if (!used)
			snprintf(out, n, " (none)");
		return;
	}
	const char *s = v <= UINT32_MAX ? ww_tok_str(f->vals, (uint32_t)v) : NULL;
	if (s)
		snprintf(out, n, " (%s)", s);
}

/* What the frame has for the test's field: "0x010 (ACK)", or NULL when the
 * field is not in it. */
static const char *seen_value(const struct ww_dissection *d, const struct ww_filter_node *n,
			      char *buf, size_t len)
{
	for (unsigned i = 0; i < d->nitems; i++) {
		const struct ww_item *it = &d->items[i];
		if (it->f != n->f && (!n->f2 || it->f != n->f2))
			continue;
		struct ww_item shown = *it;
		if (n->by_alias && it->f->mult > 1 && (it->f->type == WW_FT_UINT))
			shown.u /= it->f->mult;
		char v[160], m[96];
		ww_fmt_value(&shown, v, sizeof v);
		meaning(it->f, shown.u, m, sizeof m);
		snprintf(buf, len, "%s%s", v, m);
		return buf;
	}
	return NULL;
}

/* The layers of D, "eth/ip/udp/dns", for "saw none". */
static void layer_list(const struct ww_dissection *d, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < d->nlayers && used + 1 < len; i++) {
		bool again = false; /* Ethernet's padding is a layer "eth" too */
		for (unsigned k = 0; k < i; k++)
			again |= !strcmp(d->layers[k].name, d->layers[i].name);
		if (again)
			continue;
		int k = snprintf(buf + used, len - used, "%s%s", used ? "/" : "", d->layers[i].name);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

/* One failing test of frame D, as "expected X, saw Y". */
static void describe_test(struct ww_lesson_result *r, const char *text, const struct test *t,
			  const struct ww_filter *f, const struct ww_dissection *d)
{
	const struct ww_filter_node *n = &f->nodes[t->node];
	char want[160];
	snprintf(want, sizeof want, "%s%.*s", t->inverted ? "not " : "", (int)t->len, text + t->pos);
	if (n->kind == WW_FN_CMP && (n->vtype == WW_VAL_NUM) && !t->inverted) {
		char m[96];
		meaning(n->f, n->v, m, sizeof m);
		/* "S (SYN)"; not when the value was written as its name already. */
		if (m[0] && !strstr(want, m + 2) && strlen(want) + strlen(m) < sizeof want)
			strcat(want, m);
	}
	char seen[256], layers[96];
	if (n->kind == WW_FN_PROTO) {
		layer_list(d, layers, sizeof layers);
		const char *pname = n->proto ? n->proto->name : want;
		say_more(r, "expected %s%s layer, saw %s",
			 t->inverted ? "no " : strchr("aeio", pname[0]) ? "an " : "a ", pname,
			 layers[0] ? layers : "no layer at all");
		return;
	}
	if (!seen_value(d, n, seen, sizeof seen)) {
		layer_list(d, layers, sizeof layers);
		say_more(r, "expected %s, saw none (no %s in %s)", want, n->f ? n->f->name : "field",
			 layers);
		return;
	}
	say_more(r, "expected %s, saw %s", want, seen);
}

/* The one-line summary of D, as `packets` shows it, without its number
 * and time. */
static void summary(const struct ww_dissection *d, char *buf, size_t len)
{
	buf[0] = '\0';
	char *text = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&text, &n);
	if (!m)
		return;
	struct ww_view_opts o = { 0 };
	ww_view_summary(m, d, &o);
	fclose(m);
	if (!text)
		return;
	/* "0 0.000000 ETH..." : what follows the time. */
	const char *s = text;
	for (int skip = 0; skip < 2 && strchr(s, ' '); skip++)
		s = strchr(s, ' ') + 1;
	snprintf(buf, len, "%.*s", (int)strcspn(s, "\n"), s);
	free(text);
}

/* ---- sent / received ----------------------------------------------------- */

struct scan {
	struct ww_filter *f, *probe;
	struct ww_dissection *d;
	struct test tests[MAX_TESTS];
	size_t ntests;
	unsigned nframes;        /* frames that went the right way */
	unsigned match;          /* the first that matched (0: none) */
	unsigned match_index;    /* where it is in the evidence */
	unsigned best;           /* the nearest miss */
	size_t best_score;
};

static size_t score(struct scan *sc)
{
	size_t k = 0;
	for (size_t i = 0; i < sc->ntests; i++) {
		sc->probe->root = sc->tests[i].node;
		k += ww_filter_match(sc->probe, sc->d) != sc->tests[i].inverted;
	}
	return k;
}

static void prepare_tests(struct scan *sc, const char *text)
{
	bool inverted[WW_FILTER_MAX_NODES] = { 0 };
	collect(sc->f, sc->f->root, false, inverted);
	size_t pos[MAX_TESTS], len[MAX_TESTS];
	size_t nspans = test_spans(text, pos, len, MAX_TESTS);
	sc->ntests = 0;
	for (unsigned i = 0; i < sc->f->n; i++) {
		if (!is_leaf(&sc->f->nodes[i]))
			continue;
		struct test *t = &sc->tests[sc->ntests];
		t->node = (int)i;
		t->inverted = inverted[i];
		/* Should the spans and the nodes ever disagree, the field's
		 * name stands for the test. */
		if (sc->ntests < nspans) {
			t->pos = pos[sc->ntests];
			t->len = len[sc->ntests];
		} else {
			t->pos = t->len = 0;
		}
		sc->ntests++;
	}
}

static int check_frames(const struct ww_lesson_check *c, const struct ww_lesson_evidence *ev,
			struct ww_lesson_result *r)
{
	const bool want_sent = c->kind == WW_LESSON_SENT;
	const char *dir = want_sent ? "sent" : "received";
	struct scan sc = { .f = malloc(sizeof *sc.f), .probe = malloc(sizeof *sc.probe),
			   .d = malloc(sizeof *sc.d) };
	int rc = 0;
	if (!sc.f || !sc.probe || !sc.d) {
		say(r, "out of memory");
		rc = -1;
		goto out;
	}
	struct ww_expr_error e;
	if (ww_filter_parse(sc.f, c->text, NULL, ev->vars, &e) < 0) {
		say(r, "the filter '%s' cannot be used now: %s", c->text, e.msg);
		rc = -1;
		goto out;
	}
	*sc.probe = *sc.f;
	prepare_tests(&sc, c->text);
	struct frames fr;
	frames_init(&fr, ev);
	for (unsigned i = fr.first; i <= fr.last && i >= fr.first; i++) {
		const struct ww_packet *p = frame_at(&fr, i);
		if (!p || p->sent != want_sent)
			continue;
		sc.nframes++;
		ww_dissect(sc.d, p->data, p->len);
		if (ww_filter_match(sc.f, sc.d)) {
			sc.match = p->no ? p->no : i;
			sc.match_index = i;
			break;
		}
		size_t s = score(&sc);
		if (!sc.best || s >= sc.best_score) { /* ties: the latest attempt */
			sc.best = i;
			sc.best_score = s;
		}
	}
	bool matched = sc.match != 0;
	r->pass = matched != c->negated;
	r->frame_no = matched ? sc.match : 0;
	const char *filter = c->text[0] ? c->text : "(any frame)";
	if (c->negated) {
		if (r->pass)
			say(r, "no frame %s matches %s (%u %s)", dir, filter, sc.nframes, dir);
		else {
			const struct ww_packet *p = frame_at(&fr, sc.match_index);
			char sum[200] = "";
			if (p) {
				ww_dissect(sc.d, p->data, p->len);
				summary(sc.d, sum, sizeof sum);
			}
			say(r, "expected no frame %s with %s, saw $%u%s%s", dir, filter, sc.match,
			    sum[0] ? ": " : "", sum);
		}
		goto out;
	}
	if (matched) {
		say(r, "$%u %s matches", sc.match, dir);
		goto out;
	}
	if (!sc.nframes) {
		say(r, "expected a frame %s with %s; none was %s", dir, filter, dir);
		goto out;
	}
	/* The nearest miss: dissect it again and name what it fails. */
	const struct ww_packet *p = frame_at(&fr, sc.best);
	unsigned no = p->no ? p->no : sc.best;
	r->frame_no = no;
	ww_dissect(sc.d, p->data, p->len);
	r->detail[0] = '\0';
	size_t listed = 0, failing = 0;
	for (size_t i = 0; i < sc.ntests; i++) {
		sc.probe->root = sc.tests[i].node;
		if (ww_filter_match(sc.probe, sc.d) != sc.tests[i].inverted)
			continue;
		failing++;
		bool again = false; /* the same test written twice is named once */
		for (size_t k = 0; k < i && !again; k++)
			again = sc.tests[k].len == sc.tests[i].len && sc.tests[i].len &&
				!memcmp(c->text + sc.tests[k].pos, c->text + sc.tests[i].pos,
					sc.tests[i].len) && sc.tests[k].inverted == sc.tests[i].inverted;
		if (again || listed == MAX_LISTED)
			continue;
		if (listed++)
			say_more(r, "; ");
		struct test t = sc.tests[i];
		if (!t.len) { /* no span: name the field */
			const struct ww_filter_node *n = &sc.f->nodes[t.node];
			say_more(r, "expected %s", n->f ? n->f->name : n->proto ? n->proto->name : "?");
			continue;
		}
		describe_test(r, c->text, &t, sc.f, sc.d);
	}
	if (!failing) /* each test is met by itself, the whole is not (or) */
		say(r, "expected a frame %s with %s; $%u comes nearest but does not match", dir,
		    filter, no);
	else
		say_more(r, "%s in $%u (the nearest of %u %s)",
			 failing > MAX_LISTED ? "; ..." : "", no, sc.nframes, dir);
out:
	free(sc.f);
	free(sc.probe);
	free(sc.d);
	return rc;
}

/* ---- state --------------------------------------------------------------- */

static const char *const op_text[] = {
	[WW_LESSON_OP_PRESENT] = "", [WW_LESSON_OP_EQ] = "==", [WW_LESSON_OP_NE] = "!=",
	[WW_LESSON_OP_LT] = "<", [WW_LESSON_OP_LE] = "<=", [WW_LESSON_OP_GT] = ">",
	[WW_LESSON_OP_GE] = ">=", [WW_LESSON_OP_CONTAINS] = "contains",
};

static bool number(const char *s, double *v)
{
	char *end;
	if (!*s)
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return !*end && !errno;
}

static bool key_matches(const char *want, const char *key)
{
	size_t n = strlen(want);
	return !strcasecmp(want, key) || (!strncasecmp(want, key, n) && key[n] == ':');
}

/* Does VALUE satisfy OP WANT (== and != as equality here)? */
static bool value_is(enum ww_lesson_op op, const char *value, const char *want)
{
	double a, b;
	bool nums = number(value, &a) && number(want, &b);
	switch (op) {
	case WW_LESSON_OP_EQ:
	case WW_LESSON_OP_NE:
		return nums ? a == b : !strcasecmp(value, want);
	case WW_LESSON_OP_LT: return nums && a < b;
	case WW_LESSON_OP_LE: return nums && a <= b;
	case WW_LESSON_OP_GT: return nums && a > b;
	case WW_LESSON_OP_GE: return nums && a >= b;
	case WW_LESSON_OP_CONTAINS: return strcasestr(value, want) != NULL;
	case WW_LESSON_OP_PRESENT: return true;
	}
	return false;
}

static int check_state(const struct ww_lesson_check *c, const struct ww_lesson_evidence *ev,
		       struct ww_lesson_result *r)
{
	const struct ww_lesson_state *st =
		ww_lesson_state_find(c->state_name, strlen(c->state_name));
	char name[160];
	snprintf(name, sizeof name, "%s%s%s%s", c->state_name, c->state_key ? "[" : "",
		 c->state_key ? c->state_key : "", c->state_key ? "]" : "");
	if (!st || !st->fn) {
		say(r, "%s: nothing in this build provides this state", c->state_name);
		return -1;
	}
	struct ww_lesson_state_values *vals = calloc(1, sizeof *vals);
	if (!vals) {
		say(r, "out of memory");
		return -1;
	}
	char err[256] = "";
	if (st->fn(ev, vals, err, sizeof err) < 0) {
		say(r, "%s: %s", name, err[0] ? err : "not available");
		free(vals);
		return -1;
	}
	size_t entries = 0, hits = 0, first_hit = 0;
	for (size_t i = 0; i < vals->n; i++) {
		if (c->state_key && !key_matches(c->state_key, vals->e[i].key))
			continue;
		entries++;
		if (value_is(c->op, vals->e[i].value, c->state_value ? c->state_value : "") &&
		    !hits++)
			first_hit = i;
	}
	bool holds;
	switch (c->op) {
	case WW_LESSON_OP_PRESENT: holds = entries > 0; break;
	case WW_LESSON_OP_NE: holds = entries > 0 && hits == 0; break;
	default: holds = hits > 0; break;
	}
	r->pass = holds != c->negated;
	char want[320];
	snprintf(want, sizeof want, "%s%s%s%s", name, c->op ? " " : "", op_text[c->op],
		 c->state_value ? "" : "");
	if (c->state_value) {
		size_t u = strlen(want);
		snprintf(want + u, sizeof want - u, " %s", c->state_value);
	}
	if (r->pass) {
		if (c->negated && c->op == WW_LESSON_OP_PRESENT)
			say(r, "%s has no entry", name);
		else if (c->negated)
			say(r, "%s does not hold", want);
		else if (c->op == WW_LESSON_OP_PRESENT)
			say(r, "%s is there", name);
		else if (c->op == WW_LESSON_OP_NE)
			say(r, "%s holds", want);
		else
			say(r, "%s%s%s%s is %s", c->state_name, vals->e[first_hit].key[0] ? "[" : "",
			    vals->e[first_hit].key, vals->e[first_hit].key[0] ? "]" : "",
			    vals->e[first_hit].value);
		free(vals);
		return 0;
	}
	say(r, "expected %s%s, saw ", c->negated ? "not " : "", want);
	if (!entries) {
		if (c->state_key)
			say_more(r, "none (no entry for %s)", c->state_key);
		else
			say_more(r, "none (%s is empty)", c->state_name);
	} else {
		size_t shown = 0;
		for (size_t i = 0; i < vals->n && shown < MAX_LISTED; i++) {
			if (c->state_key && !key_matches(c->state_key, vals->e[i].key))
				continue;
			say_more(r, "%s%s", shown++ ? ", " : "", vals->e[i].value);
			if (vals->e[i].key[0] && (!c->state_key || strcasecmp(c->state_key,
									     vals->e[i].key)))
				say_more(r, " (%s)", vals->e[i].key);
		}
		if (entries > MAX_LISTED)
			say_more(r, ", ... (%zu in all)", entries);
	}
	free(vals);
	return 0;
}

/* ---- the interface --------------------------------------------------------- */

int ww_lesson_check_one(const struct ww_lesson_check *c, const struct ww_lesson_evidence *ev,
			struct ww_lesson_result *r)
{
	memset(r, 0, sizeof *r);
	r->check = c;
	if (c->kind == WW_LESSON_STATE)
		return check_state(c, ev, r);
	return check_frames(c, ev, r);
}

size_t ww_lesson_check_task(const struct ww_lesson_task *t, const struct ww_lesson_evidence *ev,
			    struct ww_lesson_result *res)
{
	size_t failed = 0;
	for (size_t i = 0; i < t->nchecks; i++) {
		ww_lesson_check_one(&t->checks[i], ev, &res[i]);
		failed += !res[i].pass;
	}
	return failed;
}
