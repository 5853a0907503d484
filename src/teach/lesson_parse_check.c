/* The Check: lines of lesson and exercise files: the kind (sent,
 * received, state), `no`, and what follows, validated while the file is
 * loaded: a filter must parse (ww/filter.h), a state must be one the
 * runner knows (ww/lesson.h), with an operator and a value that fit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "ww/expr.h"
#include "ww/nearest.h"

/* ---- checks -------------------------------------------------------------- */

/* Filters may use $reply, $last, $N: those frames exist only when the
 * check runs. While loading, a variable is noted and the filter counted
 * good when a variable is all that stopped it. */
static int var_at_load(void *arg, const char *name, size_t len, const uint8_t **frame,
		       size_t *flen, char *err, size_t errlen)
{
	(void)name;
	(void)len;
	(void)frame;
	(void)flen;
	*(bool *)arg = true;
	snprintf(err, errlen, "taken when the check runs");
	return -1;
}

static int check_filter(struct lesson_parser *p, const char *text)
{
	bool used_var = false;
	struct ww_vars vars = { .frame = var_at_load, .arg = &used_var };
	struct ww_expr_error e = { 0 };
	if (ww_filter_parse(p->filter, text, NULL, &vars, &e) == 0 || used_var)
		return 0;
	if (e.len && e.pos < strlen(text))
		return lesson_fail(p, "in the filter, at '%.*s': %s", (int)e.len, text + e.pos, e.msg);
	return lesson_fail(p, "in the filter: %s", e.msg);
}

static const char *const state_ops[] = {
	[WW_LESSON_OP_EQ] = "==", [WW_LESSON_OP_NE] = "!=", [WW_LESSON_OP_LT] = "<",
	[WW_LESSON_OP_LE] = "<=", [WW_LESSON_OP_GT] = ">", [WW_LESSON_OP_GE] = ">=",
	[WW_LESSON_OP_CONTAINS] = "contains",
};
static const char *const state_op_words[] = {
	[WW_LESSON_OP_EQ] = "eq", [WW_LESSON_OP_NE] = "ne", [WW_LESSON_OP_LT] = "lt",
	[WW_LESSON_OP_LE] = "le", [WW_LESSON_OP_GT] = "gt", [WW_LESSON_OP_GE] = "ge",
	[WW_LESSON_OP_CONTAINS] = "contains",
};

static bool is_number(const char *s)
{
	char *end;
	if (!*s)
		return false;
	errno = 0;
	(void)strtod(s, &end);
	return !*end && !errno;
}

/* "NAME[KEY] OP VALUE" or "NAME[KEY]" into C. */
static int parse_state(struct lesson_parser *p, struct ww_lesson_check *c, const char *s)
{
	size_t i = 0;
	while (s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '[' && s[i] != '=' && s[i] != '!' &&
	       s[i] != '<' && s[i] != '>')
		i++;
	if (i == 0)
		return lesson_fail(p, "state: the name of a state is missing (arp.cache, tcp.state, ...)");
	if (!ww_lesson_state_find(s, i)) {
		const char *best = NULL;
		unsigned bestd = 3;
		char want[64];
		snprintf(want, sizeof want, "%.*s", (int)(i < 63 ? i : 63), s);
		for (size_t k = 0; ww_lesson_state_at(k); k++) {
			unsigned d = ww_edit_distance(want, ww_lesson_state_at(k)->name);
			if (d < bestd) {
				bestd = d;
				best = ww_lesson_state_at(k)->name;
			}
		}
		if (best)
			return lesson_fail(p, "unknown state '%s'; did you mean '%s'?", want, best);
		return lesson_fail(p, "unknown state '%s' (known: arp.cache, arp.state, tcp.state, "
			    "tcp.count, dns.cache, dns.ttl, route, ...)", want);
	}
	if (!(c->state_name = lesson_dup_n(s, i)))
		return lesson_oom(p);
	if (s[i] == '[') {
		const char *close = strchr(s + i, ']');
		if (!close)
			return lesson_fail(p, "state %s: '[' without ']'", c->state_name);
		if (!(c->state_key = lesson_dup_trim(s + i + 1, (size_t)(close - s - i - 1))))
			return lesson_oom(p);
		if (!*c->state_key)
			return lesson_fail(p, "state %s: empty key '[]'", c->state_name);
		i = (size_t)(close - s) + 1;
	}
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (!s[i]) {
		c->op = WW_LESSON_OP_PRESENT;
		return 0;
	}
	size_t oplen = 0;
	for (int k = WW_LESSON_OP_EQ; k <= WW_LESSON_OP_CONTAINS; k++) {
		const char *cand[2] = { state_ops[k], state_op_words[k] };
		for (int j = 0; j < 2; j++) {
			size_t m = strlen(cand[j]);
			/* Longest first: "<=" before "<". */
			if (m > oplen && strncmp(s + i, cand[j], m) == 0 &&
			    (cand[j][0] < 'a' || s[i + m] == ' ' || s[i + m] == '\t')) {
				c->op = (enum ww_lesson_op)k;
				oplen = m;
			}
		}
	}
	if (!oplen) {
		size_t w = strcspn(s + i, " \t");
		return lesson_fail(p, "state %s: '%.*s' is not an operator (== != < <= > >= contains)",
			    c->state_name, (int)w, s + i);
	}
	i += oplen;
	const char *v = s + i;
	size_t n = strlen(v);
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	if (!n)
		return lesson_fail(p, "state %s %s: the value to compare with is missing", c->state_name,
			    state_ops[c->op]);
	if (!(c->state_value = lesson_dup_n(v, n)))
		return lesson_oom(p);
	if (c->op >= WW_LESSON_OP_LT && c->op <= WW_LESSON_OP_GE && !is_number(c->state_value))
		return lesson_fail(p, "state %s %s: '%s' is not a number", c->state_name, state_ops[c->op],
			    c->state_value);
	return 0;
}

int lesson_parse_check(struct lesson_parser *p, struct ww_lesson_task *t, const char *s)
{
	struct ww_lesson_check *c = lesson_grow((void **)&t->checks, &t->nchecks, sizeof *c);
	if (!c)
		return lesson_oom(p);
	c->line = p->line;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t w = strcspn(s, " \t");
	if (w == 2 && !strncmp(s, "no", 2)) {
		c->negated = true;
		s += 2;
		while (*s == ' ' || *s == '\t')
			s++;
		w = strcspn(s, " \t");
	}
	static const char *const kinds[] = { "sent", "received", "state" };
	size_t k = 0;
	while (k < 3 && !(strlen(kinds[k]) == w && !strncmp(s, kinds[k], w)))
		k++;
	if (k == 3) {
		if (!w)
			return lesson_fail(p, "Check: the kind is missing (sent, received or state)");
		char word[32];
		snprintf(word, sizeof word, "%.*s", (int)(w < 31 ? w : 31), s);
		const char *near = ww_nearest_word(word, strlen(word), kinds, 3);
		if (near)
			return lesson_fail(p, "unknown check kind '%s'; did you mean '%s'?", word, near);
		return lesson_fail(p, "unknown check kind '%s' (sent, received or state)", word);
	}
	c->kind = (enum ww_lesson_check_kind)k;
	s += w;
	if (!(c->text = lesson_dup_trim(s, strlen(s))))
		return lesson_oom(p);
	if (c->kind == WW_LESSON_STATE)
		return parse_state(p, c, c->text);
	return check_filter(p, c->text);
}
