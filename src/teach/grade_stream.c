/* A grade between the grader's two processes: the child that ran the
 * solution writes it, the parent that writes the reports reads it. One
 * record a line, fields separated by tabs, text escaped:
 *
 *   R  TITLE  EXERCISE  SECONDS  TIME_LIMIT  TIMED_OUT  EVIDENCE_CUT
 *   N  NOTES
 *   T  ID  TITLE  POINTS  SCORE
 *   C  PASS  CHECK  DETAIL  HAS_FEEDBACK  FEEDBACK      (checks of the last T)
 *   E                                                   the end
 *
 * A stream without its E line is refused: the child died on the way. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ww/grade.h"

#define MAX_FIELDS 8

static void put_text(FILE *out, const char *s)
{
	fputc('\t', out);
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

int ww_grade_result_write(FILE *out, const struct ww_grade_result *r)
{
	fputs("R", out);
	put_text(out, r->title);
	put_text(out, r->exercise);
	fprintf(out, "\t%.6f\t%u\t%d\t%d\n", r->seconds, r->time_limit_s, r->timed_out,
		r->evidence_cut);
	if (r->notes) {
		fputs("N", out);
		put_text(out, r->notes);
		fputc('\n', out);
	}
	for (size_t i = 0; i < r->ntasks; i++) {
		const struct ww_grade_task *t = &r->tasks[i];
		fputs("T", out);
		put_text(out, t->id);
		put_text(out, t->title);
		fprintf(out, "\t%u\t%u\n", t->points, t->score);
		for (size_t j = 0; j < t->nchecks; j++) {
			const struct ww_grade_check *c = &t->checks[j];
			fprintf(out, "C\t%d", c->pass);
			put_text(out, c->check);
			put_text(out, c->detail);
			fprintf(out, "\t%d", c->feedback != NULL);
			put_text(out, c->feedback);
			fputc('\n', out);
		}
	}
	fputs("E\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* Split LINE in place at tabs and undo the escapes. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *r = line, *w = line;
	f[n++] = w;
	for (; *r; r++) {
		if (*r == '\t') {
			*w++ = '\0';
			if (n == max)
				return -1;
			f[n++] = w;
		} else if (*r == '\\' && (r[1] == '\\' || r[1] == 't' || r[1] == 'n')) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : '\\';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return n;
}

static bool number(const char *s, unsigned *v)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(s, &end, 10);
	if (!*s || *end || errno || n > 1000000)
		return false;
	*v = (unsigned)n;
	return true;
}

static int add_task(struct ww_grade_result *r, char **f)
{
	struct ww_grade_task *t = realloc(r->tasks, (r->ntasks + 1) * sizeof *t);
	if (!t)
		return -1;
	r->tasks = t;
	t = &r->tasks[r->ntasks];
	memset(t, 0, sizeof *t);
	r->ntasks++;
	if (!number(f[3], &t->points) || !number(f[4], &t->score) || t->score > t->points)
		return -1;
	t->id = strdup(f[1]);
	t->title = strdup(f[2]);
	return t->id && t->title ? 0 : -1;
}

static int add_check(struct ww_grade_result *r, char **f)
{
	if (!r->ntasks)
		return -1;
	struct ww_grade_task *t = &r->tasks[r->ntasks - 1];
	struct ww_grade_check *c = realloc(t->checks, (t->nchecks + 1) * sizeof *c);
	if (!c)
		return -1;
	t->checks = c;
	c = &t->checks[t->nchecks];
	memset(c, 0, sizeof *c);
	t->nchecks++;
	c->pass = strcmp(f[1], "1") == 0;
	c->check = strdup(f[2]);
	c->detail = strdup(f[3]);
	if (strcmp(f[4], "1") == 0 && !(c->feedback = strdup(f[5])))
		return -1;
	return c->check && c->detail ? 0 : -1;
}

static int read_record(struct ww_grade_result *r, char *line, bool *seen_r, bool *end)
{
	char *f[MAX_FIELDS];
	int n = split(line, f, MAX_FIELDS);
	if (n < 1)
		return -1;
	if (strcmp(f[0], "R") == 0 && n == 7 && !*seen_r) {
		*seen_r = true;
		unsigned to, cut;
		r->seconds = strtod(f[3], NULL);
		if (!number(f[4], &r->time_limit_s) || !number(f[5], &to) || !number(f[6], &cut))
			return -1;
		r->timed_out = to;
		r->evidence_cut = cut;
		r->title = strdup(f[1]);
		r->exercise = strdup(f[2]);
		return r->title && r->exercise ? 0 : -1;
	}
	if (!*seen_r)
		return -1;
	if (strcmp(f[0], "N") == 0 && n == 2 && !r->notes)
		return (r->notes = strdup(f[1])) ? 0 : -1;
	if (strcmp(f[0], "T") == 0 && n == 5)
		return add_task(r, f);
	if (strcmp(f[0], "C") == 0 && n == 6)
		return add_check(r, f);
	if (strcmp(f[0], "E") == 0 && n == 1) {
		*end = true;
		return 0;
	}
	return -1;
}

int ww_grade_result_read(FILE *in, struct ww_grade_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	bool seen_r = false, end = false;
	unsigned lineno = 0;
	while (!end && (got = getline(&line, &cap, in)) > 0) {
		lineno++;
		if (line[got - 1] == '\n')
			line[got - 1] = '\0';
		if (read_record(r, line, &seen_r, &end) < 0) {
			snprintf(err, errlen, "the grade's record %u is garbled", lineno);
			free(line);
			ww_grade_result_free(r);
			return -1;
		}
	}
	free(line);
	if (!end) {
		snprintf(err, errlen, "the grade ended early, after %u records", lineno);
		ww_grade_result_free(r);
		return -1;
	}
	return 0;
}
