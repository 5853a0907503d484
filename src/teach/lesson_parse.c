/* The lesson / exercise file parser (format in include/ww/lesson.h): one
 * pass over the lines, a small state machine of "where are we" (before
 * the title, metadata, prose, a fenced block). Everything a check names is
 * validated here — filters parsed, state names looked up — so a broken
 * file is refused with its line before anything runs. */
#include "ww/lesson.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ww/expr.h"
#include "ww/filter.h"
#include "ww/nearest.h"
#include "lesson_int.h"

int lesson_fail(struct lesson_parser *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "%s:%u: ", p->name, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

int lesson_oom(struct lesson_parser *p)
{
	snprintf(p->err, p->errlen, "%s: out of memory", p->name);
	return -1;
}

/* Grow *ARR (of SIZE-byte elements, *N used) by one zeroed element. */
void *lesson_grow(void **arr, size_t *n, size_t size)
{
	void *a = realloc(*arr, (*n + 1) * size);
	if (!a)
		return NULL;
	*arr = a;
	void *e = (char *)a + *n * size;
	memset(e, 0, size);
	++*n;
	return e;
}

static int text_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 2 > *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		while (c < *len + n + 2)
			c *= 2;
		char *b = realloc(*buf, c);
		if (!b)
			return -1;
		*buf = b;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
	return 0;
}

char *lesson_dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* S without blanks at either end, as a new string. */
char *lesson_dup_trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return lesson_dup_n(s, n);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t m = strlen(prefix);
	return n >= m && memcmp(s, prefix, m) == 0;
}

static struct ww_lesson_step *cur_step(struct lesson_parser *p)
{
	return &p->l->steps[p->l->nsteps - 1];
}

static struct ww_lesson_part *add_part(struct lesson_parser *p, enum ww_lesson_part_kind kind,
				       unsigned line)
{
	struct ww_lesson_step *st = cur_step(p);
	struct ww_lesson_part *pt = lesson_grow((void **)&st->parts, &st->nparts, sizeof *pt);
	if (pt) {
		pt->kind = kind;
		pt->line = line;
	}
	return pt;
}

/* The prose gathered so far becomes a part of the current step (blank
 * lines at either end dropped; nothing when only blanks were gathered). */
static int flush_prose(struct lesson_parser *p)
{
	if (!p->prose_len)
		return 0;
	char *s = p->prose;
	size_t n = p->prose_len;
	unsigned line = p->prose_line;
	while (n) { /* leading blank lines */
		char *nl = memchr(s, '\n', n);
		size_t ll = nl ? (size_t)(nl - s) : n;
		if (!blank(s, ll))
			break;
		s += ll + (nl ? 1 : 0);
		n -= ll + (nl ? 1 : 0);
		line++;
	}
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	p->prose_len = 0;
	if (!n)
		return 0;
	struct ww_lesson_part *pt = add_part(p, WW_LESSON_PROSE, line);
	if (!pt || !(pt->text = lesson_dup_n(s, n)))
		return lesson_oom(p);
	return 0;
}

static int prose_line(struct lesson_parser *p, const char *s, size_t n)
{
	if (!p->prose_len)
		p->prose_line = p->line;
	return text_append(&p->prose, &p->prose_len, &p->prose_cap, s, n) < 0 ? lesson_oom(p) : 0;
}

static int new_step(struct lesson_parser *p, const char *title, size_t n)
{
	if (flush_prose(p) < 0)
		return -1;
	struct ww_lesson_step *st = lesson_grow((void **)&p->l->steps, &p->l->nsteps, sizeof *st);
	if (!st || !(st->title = lesson_dup_trim(title, n)))
		return lesson_oom(p);
	st->line = p->line;
	return 0;
}

/* ---- metadata ------------------------------------------------------------ */

static int parse_uint(const char *s, size_t n, unsigned max, unsigned *v, const char **rest)
{
	size_t i = 0;
	uint64_t x = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t d = i;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		x = x * 10 + (uint64_t)(s[i] - '0');
		if (x > max)
			return -1;
		i++;
	}
	if (i == d)
		return -1;
	*v = (unsigned)x;
	*rest = s + i;
	return 0;
}

/* "Minutes: 15", "Time limit: 60 s" (also "60", "60s", "2 min"). 1 when
 * the line was metadata, 0 when it is not, -1 on a bad value. */
static int meta_line(struct lesson_parser *p, const char *s, size_t n)
{
	const char *rest;
	unsigned v;
	if (starts(s, n, "Minutes:")) {
		size_t k = strlen("Minutes:");
		if (parse_uint(s + k, n - k, 600, &v, &rest) < 0 || !blank(rest, (size_t)(s + n - rest)) ||
		    v == 0)
			return lesson_fail(p, "Minutes: '%.*s' is not a number of minutes from 1 to 600",
				    (int)(n - k), s + k);
		p->l->minutes = v;
		return 1;
	}
	if (starts(s, n, "Time limit:")) {
		size_t k = strlen("Time limit:");
		if (parse_uint(s + k, n - k, 86400, &v, &rest) == 0 && v > 0) {
			size_t left = (size_t)(s + n - rest);
			char unit[8] = "";
			const char *u = rest;
			while (left && (*u == ' ' || *u == '\t')) {
				u++;
				left--;
			}
			while (left && (u[left - 1] == ' ' || u[left - 1] == '\t'))
				left--;
			if (left < sizeof unit) {
				memcpy(unit, u, left);
				unit[left] = '\0';
				if (!*unit || !strcmp(unit, "s") || !strcmp(unit, "sec") ||
				    !strcmp(unit, "seconds")) {
					p->l->time_limit_s = v;
					return 1;
				}
				if ((!strcmp(unit, "min") || !strcmp(unit, "minutes")) && v <= 1440) {
					p->l->time_limit_s = v * 60;
					return 1;
				}
			}
		}
		return lesson_fail(p, "Time limit: '%.*s' is not a time (60 s, 2 min; at most a day)",
			    (int)(n - k), s + k);
	}
	return 0;
}

/* ---- tasks --------------------------------------------------------------- */

static bool valid_id(const char *s, size_t n)
{
	if (n == 0 || n >= WW_LESSON_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static int open_task(struct lesson_parser *p, const char *info, size_t n)
{
	const char *id = info;
	while (n && (*id == ' ' || *id == '\t')) {
		id++;
		n--;
	}
	while (n && (id[n - 1] == ' ' || id[n - 1] == '\t'))
		n--;
	if (!n)
		return lesson_fail(p, "a task needs an id: ```task ID (a-z, 0-9, '-')");
	if (!valid_id(id, n))
		return lesson_fail(p, "task id '%.*s': 1 to %d of a-z, 0-9, '-'", (int)n, id,
			    WW_LESSON_ID_MAX - 1);
	for (size_t i = 0; i < p->l->ntasks; i++)
		if (strlen(p->l->tasks[i].id) == n && !memcmp(p->l->tasks[i].id, id, n))
			return lesson_fail(p, "task '%.*s' again (the first is at line %u)", (int)n, id,
				    p->l->tasks[i].line);
	if (flush_prose(p) < 0)
		return -1;
	struct ww_lesson_task *t = lesson_grow((void **)&p->l->tasks, &p->l->ntasks, sizeof *t);
	if (!t)
		return lesson_oom(p);
	memcpy(t->id, id, n);
	t->line = p->line;
	t->points = 1;
	t->step = p->l->nsteps - 1;
	struct ww_lesson_part *pt = add_part(p, WW_LESSON_TASK, p->line);
	if (!pt)
		return lesson_oom(p);
	pt->task = p->l->ntasks - 1;
	return 0;
}

static int close_task(struct lesson_parser *p)
{
	struct ww_lesson_task *t = &p->l->tasks[p->l->ntasks - 1];
	if (!t->do_text)
		return lesson_fail(p, "task '%s' (line %u) has no Do: line saying what to do", t->id, t->line);
	if (!t->nchecks)
		return lesson_fail(p, "task '%s' (line %u) has no Check: line", t->id, t->line);
	return 0;
}

static int add_line(struct lesson_parser *p, char ***arr, size_t *n, const char *s)
{
	char *d = lesson_dup_trim(s, strlen(s));
	char **a = d ? realloc(*arr, (*n + 1) * sizeof *a) : NULL;
	if (!a) {
		free(d);
		return lesson_oom(p);
	}
	a[(*n)++] = d;
	*arr = a;
	if (!*d)
		return 1;
	return 0;
}

/* A line that goes on with the text of the key above it. */
static int continue_text(struct lesson_parser *p, const char *s, size_t n)
{
	char *more = lesson_dup_trim(s, n);
	char *joined = more ? malloc(strlen(*p->cont) + strlen(more) + 2) : NULL;
	if (!joined) {
		free(more);
		return lesson_oom(p);
	}
	sprintf(joined, "%s %s", *p->cont, more);
	free(more);
	free(*p->cont);
	*p->cont = joined;
	return 0;
}

static int task_line(struct lesson_parser *p, char *s, size_t n)
{
	struct ww_lesson_task *t = &p->l->tasks[p->l->ntasks - 1];
	if (blank(s, n)) {
		p->cont = NULL;
		return 0;
	}
	static const char *const keys[] = { "Do", "Points", "Hint", "Solution", "Check",
					    "Feedback" };
	const char *colon = memchr(s, ':', n);
	size_t klen = colon ? (size_t)(colon - s) : 0;
	size_t k = 0;
	while (k < 6 && !(colon && strlen(keys[k]) == klen && !memcmp(s, keys[k], klen)))
		k++;
	if (k == 6) {
		/* "Word:" at the start is a key, mistyped or unknown; any other
		 * line continues the Do:, Hint: or Feedback: above it. */
		size_t w = 0;
		while (w < n && ((s[w] >= 'a' && s[w] <= 'z') || (s[w] >= 'A' && s[w] <= 'Z')))
			w++;
		bool keyish = w > 0 && w < 32 && w < n && s[w] == ':' && s[0] >= 'A' && s[0] <= 'Z';
		if (!keyish && p->cont)
			return continue_text(p, s, n);
		if (keyish) {
			char word[32];
			snprintf(word, sizeof word, "%.*s", (int)w, s);
			const char *near = ww_nearest_word(word, w, keys, 6);
			if (near)
				return lesson_fail(p, "unknown key '%s:' in task '%s'; did you mean '%s:'?", word,
					    t->id, near);
			return lesson_fail(p, "unknown key '%s:' in task '%s' (Do, Points, Hint, Solution, "
				    "Check, Feedback)", word, t->id);
		}
		return lesson_fail(p, "in task '%s': expected a 'Key: value' line (Do, Points, Hint, "
			    "Solution, Check, Feedback) or the continuation of a Do:, Hint: or "
			    "Feedback:, not '%.*s'", t->id, (int)(n < 40 ? n : 40), s);
	}
	p->cont = NULL;
	char *v = s + klen + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	int rc;
	switch (k) {
	case 0: /* Do */
		if (t->do_text)
			return lesson_fail(p, "task '%s' has a second Do: line", t->id);
		if (!*v)
			return lesson_fail(p, "task '%s': Do: is empty", t->id);
		if (!(t->do_text = lesson_dup_trim(v, strlen(v))))
			return lesson_oom(p);
		p->cont = &t->do_text;
		return 0;
	case 1: { /* Points */
		unsigned pts;
		const char *rest;
		if (parse_uint(v, strlen(v), 1000, &pts, &rest) < 0 || !blank(rest, strlen(rest)))
			return lesson_fail(p, "Points: '%s' is not a whole number from 0 to 1000", v);
		t->points = pts;
		return 0;
	}
	case 2: /* Hint */
		rc = add_line(p, &t->hints, &t->nhints, v);
		if (rc == 0)
			p->cont = &t->hints[t->nhints - 1];
		return rc > 0 ? lesson_fail(p, "task '%s': Hint: is empty", t->id) : rc;
	case 3: { /* Solution */
		unsigned *lines = realloc(t->solution_lines, (t->nsolution + 1) * sizeof *lines);
		if (!lines)
			return lesson_oom(p);
		t->solution_lines = lines;
		lines[t->nsolution] = p->line;
		rc = add_line(p, &t->solution, &t->nsolution, v);
		return rc > 0 ? lesson_fail(p, "task '%s': Solution: is empty", t->id) : rc;
	}
	case 4: /* Check */
		return lesson_parse_check(p, t, v);
	default: { /* Feedback */
		if (!t->nchecks)
			return lesson_fail(p, "Feedback: belongs to the check before it, and task '%s' has "
				    "no Check: yet", t->id);
		struct ww_lesson_check *c = &t->checks[t->nchecks - 1];
		if (c->feedback)
			return lesson_fail(p, "the check of line %u has a Feedback: already", c->line);
		if (!*v)
			return lesson_fail(p, "Feedback: is empty");
		if (!(c->feedback = lesson_dup_trim(v, strlen(v))))
			return lesson_oom(p);
		p->cont = &c->feedback;
		return 0;
	}
	}
}

/* ---- lines --------------------------------------------------------------- */

/* A fence: ``` at the start of the line. *INFO: what follows it. */
static bool fence(const char *s, size_t n, const char **info, size_t *ilen)
{
	if (!starts(s, n, "```"))
		return false;
	*info = s + 3;
	*ilen = n - 3;
	return true;
}

static int open_block(struct lesson_parser *p, const char *info, size_t ilen, const char *s, size_t n)
{
	while (ilen && (*info == ' ' || *info == '\t')) {
		info++;
		ilen--;
	}
	size_t w = 0;
	while (w < ilen && info[w] != ' ' && info[w] != '\t')
		w++;
	p->block_line = p->line;
	if (w == 8 && !memcmp(info, "wirewalk", 8)) {
		if (!blank(info + w, ilen - w))
			return lesson_fail(p, "```wirewalk takes nothing after it: the commands go on the lines "
				    "below");
		if (flush_prose(p) < 0)
			return -1;
		p->cmds_len = 0;
		p->cmds_line = p->line + 1;
		p->where = W_COMMANDS;
		return 0;
	}
	if (w == 4 && !memcmp(info, "task", 4)) {
		p->where = W_TASK;
		p->cont = NULL;
		return open_task(p, info + w, ilen - w);
	}
	p->where = W_FENCE; /* another language: prose, shown as it is */
	return prose_line(p, s, n);
}

static int line_in(struct lesson_parser *p, char *s, size_t n)
{
	const char *info;
	size_t ilen;
	switch (p->where) {
	case W_START:
		if (blank(s, n))
			return 0;
		if (!starts(s, n, "# ") || blank(s + 2, n - 2))
			return lesson_fail(p, "the file must begin with its title: a line '# TITLE'");
		if (!(p->l->title = lesson_dup_trim(s + 2, n - 2)))
			return lesson_oom(p);
		p->where = W_META;
		return new_step(p, s + 2, n - 2);
	case W_META: {
		int m = meta_line(p, s, n);
		if (m != 0)
			return m < 0 ? -1 : 0;
		if (blank(s, n))
			return 0;
		p->where = W_PROSE;
		return line_in(p, s, n);
	}
	case W_PROSE:
		if (fence(s, n, &info, &ilen))
			return open_block(p, info, ilen, s, n);
		if (starts(s, n, "## ")) {
			if (blank(s + 3, n - 3))
				return lesson_fail(p, "a '## ' heading needs a title");
			return new_step(p, s + 3, n - 3);
		}
		if (starts(s, n, "# ") && !blank(s + 2, n - 2))
			return lesson_fail(p, "a second title '# ...': steps begin with '## '");
		return prose_line(p, s, n);
	case W_FENCE:
		if (prose_line(p, s, n) < 0)
			return -1;
		if (fence(s, n, &info, &ilen) && blank(info, ilen))
			p->where = W_PROSE;
		return 0;
	case W_COMMANDS:
		if (fence(s, n, &info, &ilen)) {
			if (!blank(info, ilen))
				return lesson_fail(p, "a ``` block inside the ```wirewalk block of line %u",
					    p->block_line);
			p->where = W_PROSE;
			/* Blank lines at the end say nothing. */
			size_t len = p->cmds_len;
			while (len && (p->cmds[len - 1] == '\n' || p->cmds[len - 1] == ' '))
				len--;
			if (!len)
				return lesson_fail(p, "the ```wirewalk block of line %u has no command",
					    p->block_line);
			struct ww_lesson_part *pt = add_part(p, WW_LESSON_COMMANDS, p->cmds_line);
			if (!pt || !(pt->text = lesson_dup_n(p->cmds, len)))
				return lesson_oom(p);
			return 0;
		}
		/* Blank lines are kept (empty), so the K-th line of the text
		 * is line cmds_line + K of the file. */
		{
			char *t = lesson_dup_trim(s, n);
			int rc = t ? text_append(&p->cmds, &p->cmds_len, &p->cmds_cap, t, strlen(t)) : -1;
			free(t);
			return rc < 0 ? lesson_oom(p) : 0;
		}
	case W_TASK:
		if (fence(s, n, &info, &ilen)) {
			if (!blank(info, ilen))
				return lesson_fail(p, "a ``` block inside the task of line %u", p->block_line);
			p->where = W_PROSE;
			return close_task(p);
		}
		return task_line(p, s, n);
	}
	return 0;
}

static void free_check(struct ww_lesson_check *c)
{
	free(c->text);
	free(c->feedback);
	free(c->state_name);
	free(c->state_key);
	free(c->state_value);
}

void ww_lesson_free(struct ww_lesson *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nsteps; i++) {
		for (size_t j = 0; j < l->steps[i].nparts; j++)
			free(l->steps[i].parts[j].text);
		free(l->steps[i].parts);
		free(l->steps[i].title);
	}
	for (size_t i = 0; i < l->ntasks; i++) {
		struct ww_lesson_task *t = &l->tasks[i];
		free(t->do_text);
		for (size_t j = 0; j < t->nhints; j++)
			free(t->hints[j]);
		free(t->hints);
		for (size_t j = 0; j < t->nsolution; j++)
			free(t->solution[j]);
		free(t->solution);
		free(t->solution_lines);
		for (size_t j = 0; j < t->nchecks; j++)
			free_check(&t->checks[j]);
		free(t->checks);
	}
	free(l->steps);
	free(l->tasks);
	free(l->title);
	free(l->path);
	free(l);
}

int ww_lesson_parse_buffer(const char *name, const char *text, size_t len,
			   struct ww_lesson **out, char *err, size_t errlen)
{
	*out = NULL;
	struct lesson_parser p = { .name = name, .err = err, .errlen = errlen };
	if (errlen)
		err[0] = '\0';
	if (len > WW_LESSON_MAX_BYTES) {
		snprintf(err, errlen, "%s: %zu bytes: a lesson is at most %u", name, len,
			 WW_LESSON_MAX_BYTES);
		return -1;
	}
	if (!(p.l = calloc(1, sizeof *p.l)) || !(p.l->path = strdup(name)) ||
	    !(p.filter = malloc(sizeof *p.filter))) {
		free(p.filter);
		ww_lesson_free(p.l);
		return lesson_oom(&p);
	}
	int rc = 0;
	char *line = NULL;
	size_t pos = 0;
	while (rc == 0 && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - text - pos) : len - pos;
		p.line++;
		if (memchr(text + pos, '\0', n)) {
			rc = lesson_fail(&p, "a NUL byte: this is not a text file");
			break;
		}
		free(line);
		if (!(line = lesson_dup_n(text + pos, n))) {
			rc = lesson_oom(&p);
			break;
		}
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		rc = line_in(&p, line, n);
		pos = nl ? (size_t)(nl - text) + 1 : len;
	}
	free(line);
	if (rc == 0) {
		if (p.where == W_START) {
			p.line = p.line ? p.line : 1;
			rc = lesson_fail(&p, "no title: the file must begin with a line '# TITLE'");
		}
		else if (p.where == W_COMMANDS || p.where == W_TASK || p.where == W_FENCE) {
			unsigned at = p.line;
			p.line = p.block_line;
			rc = lesson_fail(&p, "this ``` block is never closed (the file ends at line %u)", at);
		} else {
			rc = flush_prose(&p);
		}
	}
	free(p.prose);
	free(p.cmds);
	free(p.filter);
	if (rc < 0) {
		ww_lesson_free(p.l);
		return -1;
	}
	*out = p.l;
	return 0;
}

int ww_lesson_parse(const char *path, struct ww_lesson **out, char *err, size_t errlen)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (len < cap)
			break;
		if (cap > WW_LESSON_MAX_BYTES) /* refused below, by its size */
			break;
		char *b = realloc(buf, cap * 2);
		if (!b) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = b;
		cap *= 2;
	}
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		snprintf(err, errlen, "%s: %s", path, bad ? "read error" : "out of memory");
		return -1;
	}
	int rc = ww_lesson_parse_buffer(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}

const struct ww_lesson_task *ww_lesson_task_find(const struct ww_lesson *l, const char *id)
{
	for (size_t i = 0; i < l->ntasks; i++)
		if (!strcmp(l->tasks[i].id, id))
			return &l->tasks[i];
	return NULL;
}

unsigned ww_lesson_max_points(const struct ww_lesson *l)
{
	unsigned sum = 0;
	for (size_t i = 0; i < l->ntasks; i++)
		sum += l->tasks[i].points;
	return sum;
}

void ww_lesson_check_text(const struct ww_lesson_check *c, char *out, size_t len)
{
	static const char *const kinds[] = { "sent", "received", "state" };
	snprintf(out, len, "%s%s%s%s", c->negated ? "no " : "", kinds[c->kind],
		 c->text[0] ? " " : "", c->text);
}
