/* A grade in the three forms it is read in: a table for a person,
 * Gradescope's results.json for an autograder (the format of
 * https://gradescope-autograders.readthedocs.io/en/latest/specs/), and
 * TAP 14 (https://testanything.org/tap-version-14-specification.html) for
 * test harnesses. All three say the same: the points of each task and,
 * for a check that failed, what was expected, what was seen, and the
 * exercise's feedback. */
#include <stdlib.h>
#include <string.h>

#include "ww/grade.h"
#include "ww/view.h"

#define GREEN "\033[32m"
#define RED "\033[31m"
#define BOLD "\033[1m"
#define OFF "\033[0m"

/* The first line of S, at most MAX bytes of it (cut at a character). */
static void first_line(const char *s, char *out, size_t max)
{
	size_t n = strcspn(s ? s : "", "\n");
	if (n >= max) {
		n = max - 4;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		memcpy(out, s, n);
		memcpy(out + n, "...", 4);
		return;
	}
	memcpy(out, s ? s : "", n);
	out[n] = '\0';
}

static void print_failed_check(FILE *out, const struct ww_grade_check *c, bool color)
{
	fprintf(out, "    %s✗%s Check: %s\n", color ? RED : "", color ? OFF : "", c->check);
	if (c->detail && *c->detail)
		fprintf(out, "      %s\n", c->detail);
	if (c->feedback)
		fprintf(out, "      Feedback: %s\n", c->feedback);
}

void ww_grade_print_table(FILE *out, const struct ww_grade_result *r, bool color)
{
	fprintf(out, "%s%s%s\n", color ? BOLD : "", r->title ? r->title : "", color ? OFF : "");
	size_t w = 4;
	for (size_t i = 0; i < r->ntasks; i++)
		if (strlen(r->tasks[i].id) > w)
			w = strlen(r->tasks[i].id);
	fprintf(out, "  %-*s  points  result\n", (int)w, "task");
	for (size_t i = 0; i < r->ntasks; i++) {
		const struct ww_grade_task *t = &r->tasks[i];
		bool ok = t->score == t->points;
		char pts[32];
		snprintf(pts, sizeof pts, "%u/%u", t->score, t->points);
		fprintf(out, "  %-*s  %6s  %s%s%s\n", (int)w, t->id, pts,
			color ? (ok ? GREEN : RED) : "", ok ? "passed" : "failed", color ? OFF : "");
		for (size_t j = 0; j < t->nchecks; j++)
			if (!t->checks[j].pass)
				print_failed_check(out, &t->checks[j], color);
	}
	if (r->timed_out)
		fprintf(out, "The solution was stopped at the time limit (%u s); graded on what it did.\n",
			r->time_limit_s);
	if (r->evidence_cut)
		fputs("The first frames were no longer kept: checks saw only the later ones.\n", out);
	fprintf(out, "%sScore: %u/%u%s (%.1f s)\n", color ? BOLD : "", ww_grade_score(r),
		ww_grade_max(r), color ? OFF : "", r->seconds);
}

/* ---- results.json --------------------------------------------------------- */

/* What a task's "output" says: each check with its outcome. */
static char *task_output(const struct ww_grade_task *t)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	if (!m)
		return NULL;
	fprintf(m, "%s\n", t->title);
	for (size_t j = 0; j < t->nchecks; j++) {
		const struct ww_grade_check *c = &t->checks[j];
		fprintf(m, "%s Check: %s\n", c->pass ? "✓" : "✗", c->check);
		if (c->pass && c->detail && *c->detail)
			fprintf(m, "  %s\n", c->detail);
		if (!c->pass) {
			if (c->detail && *c->detail)
				fprintf(m, "  %s\n", c->detail);
			if (c->feedback)
				fprintf(m, "  Feedback: %s\n", c->feedback);
		}
	}
	fclose(m);
	return buf;
}

static void json_number(FILE *out, double v)
{
	/* Whole points print as integers, Gradescope's own examples do too. */
	if (v == (double)(long long)v)
		fprintf(out, "%lld", (long long)v);
	else
		fprintf(out, "%.3f", v);
}

void ww_grade_write_json(FILE *out, const struct ww_grade_result *r)
{
	fputs("{\n  \"score\": ", out);
	json_number(out, ww_grade_score(r));
	fputs(",\n  \"max_score\": ", out);
	json_number(out, ww_grade_max(r));
	fputs(",\n  \"execution_time\": ", out);
	json_number(out, (double)(long long)(r->seconds * 1000 + 0.5) / 1000);
	fputs(",\n  \"visibility\": \"visible\",\n  \"stdout_visibility\": \"hidden\",\n  \"output\": ",
	      out);
	char *summary = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&summary, &n);
	if (m) {
		fprintf(m, "%s: %u/%u points.\n", r->title ? r->title : "", ww_grade_score(r),
			ww_grade_max(r));
		if (r->timed_out)
			fprintf(m, "The solution was stopped at the time limit (%u s).\n",
				r->time_limit_s);
		if (r->notes)
			fprintf(m, "Notes:\n%s", r->notes);
		fclose(m);
	}
	ww_json_string(out, summary ? summary : "");
	free(summary);
	fputs(",\n  \"tests\": [", out);
	for (size_t i = 0; i < r->ntasks; i++) {
		const struct ww_grade_task *t = &r->tasks[i];
		char name[160], title[128], number[24];
		first_line(t->title, title, sizeof title);
		snprintf(name, sizeof name, "%s: %s", t->id, title);
		snprintf(number, sizeof number, "%zu", i + 1);
		fputs(i ? ",\n    {" : "\n    {", out);
		fputs("\"name\": ", out);
		ww_json_string(out, name);
		fputs(", \"number\": ", out);
		ww_json_string(out, number);
		fputs(", \"score\": ", out);
		json_number(out, t->score);
		fputs(", \"max_score\": ", out);
		json_number(out, t->points);
		fprintf(out, ", \"status\": \"%s\", \"output\": ",
			t->score == t->points ? "passed" : "failed");
		char *o = task_output(t);
		ww_json_string(out, o ? o : "");
		free(o);
		fputs(", \"visibility\": \"visible\"}", out);
	}
	fputs(r->ntasks ? "\n  ]\n}\n" : "]\n}\n", out);
}

/* ---- TAP 14 ---------------------------------------------------------------- */

/* A test point's description: one line, '#' escaped (it starts a
 * directive), '\' escaped with it. */
static void tap_description(FILE *out, const char *s)
{
	for (; *s && *s != '\n'; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
}

void ww_grade_write_tap(FILE *out, const struct ww_grade_result *r)
{
	fputs("TAP version 14\n", out);
	fprintf(out, "1..%zu\n", r->ntasks);
	for (size_t i = 0; i < r->ntasks; i++) {
		const struct ww_grade_task *t = &r->tasks[i];
		bool ok = t->score == t->points;
		char title[128];
		first_line(t->title, title, sizeof title);
		fprintf(out, "%sok %zu - ", ok ? "" : "not ", i + 1);
		tap_description(out, t->id);
		fputs(": ", out);
		tap_description(out, title);
		fputc('\n', out);
		/* JSON strings are YAML double-quoted scalars, escapes and all. */
		fputs("  ---\n", out);
		fprintf(out, "  points: %u\n  max_points: %u\n", t->score, t->points);
		if (!ok) {
			fputs("  failed:\n", out);
			for (size_t j = 0; j < t->nchecks; j++) {
				const struct ww_grade_check *c = &t->checks[j];
				if (c->pass)
					continue;
				fputs("    - check: ", out);
				ww_json_string(out, c->check);
				fputs("\n      saw: ", out);
				ww_json_string(out, c->detail ? c->detail : "");
				if (c->feedback) {
					fputs("\n      feedback: ", out);
					ww_json_string(out, c->feedback);
				}
				fputc('\n', out);
			}
		}
		fputs("  ...\n", out);
	}
	fprintf(out, "# score %u/%u\n", ww_grade_score(r), ww_grade_max(r));
}
