/* `wirewalk lesson FILE --auto`: a lesson played without a person. Every
 * ```wirewalk block is run when its step comes, every task's Solution:
 * lines are run in order, and every check is judged on what really went
 * over the wire since the task began. The first failure stops the play,
 * naming the check, its line and what differed: this is how make check
 * proves each lesson still works against the lab's real peers. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_lesson_int.h"
#include "ww/session.h"

/* Answers may still be on their way when the last Solution: line returns
 * (a `send` does not wait): checks are judged again while the network
 * runs, until they pass or this long has gone by. */
#define SETTLE_MS 3000u
/* A check that nothing may happen ("no received ...") is judged after
 * the network had at least this long to prove it wrong. */
#define QUIET_MS 300u

struct judge {
	struct ww_shell *sh;
	const struct ww_lesson_task *t;
	unsigned since;
	struct ww_lesson_result *res;
	size_t failed;
};

static void judge_now(struct judge *j)
{
	struct ww_lesson_evidence ev;
	struct ww_vars vars;
	lesson_evidence(j->sh, j->since, &ev, &vars);
	j->failed = ww_lesson_check_task(j->t, &ev, j->res);
}

static bool all_pass(void *arg)
{
	struct judge *j = arg;
	judge_now(j);
	return j->failed == 0;
}

/* Run LINE (from FILE:LINENO) as the shell would; 0, or the status. */
static int run_line(struct ww_shell *sh, const char *file, unsigned lineno, const char *line)
{
	char saved[sizeof sh->where];
	memcpy(saved, sh->where, sizeof saved);
	snprintf(sh->where, sizeof sh->where, "%s:%u: ", file, lineno);
	fprintf(sh->out, "wirewalk> %s\n", line);
	fflush(sh->out);
	int rc = ww_shell_exec(sh, line);
	memcpy(sh->where, saved, sizeof saved);
	return rc;
}

static int run_commands(struct ww_shell *sh, const struct ww_lesson *l,
			const struct ww_lesson_part *pt)
{
	unsigned lineno = pt->line;
	for (const char *c = pt->text; *c; lineno++) {
		size_t n = strcspn(c, "\n");
		char *line = strndup(c, n);
		if (!line)
			return ww_shell_error(sh, WW_EXIT_FAIL, "out of memory");
		int rc = n ? run_line(sh, l->path, lineno, line) : 0;
		free(line);
		if (rc)
			return ww_shell_error(sh, WW_EXIT_FAIL,
					      "%s:%u: lesson stopped: the command of this line failed",
					      l->path, lineno);
		c += n + (c[n] == '\n');
	}
	return WW_EXIT_OK;
}

static bool has_negated(const struct ww_lesson_task *t)
{
	for (size_t i = 0; i < t->nchecks; i++)
		if (t->checks[i].negated)
			return true;
	return false;
}

static int play_task(struct ww_shell *sh, const struct ww_lesson *l,
		     const struct ww_lesson_task *t, size_t *nchecks)
{
	struct ww_session *s = ww_shell_session_running(sh);
	struct judge j = { .sh = sh, .t = t, .since = lesson_mark_now(sh),
			   .res = calloc(t->nchecks, sizeof *j.res) };
	if (!j.res)
		return ww_shell_error(sh, WW_EXIT_FAIL, "out of memory");
	fprintf(sh->out, "\n-- task %s (line %u): %s\n", t->id, t->line, t->do_text);
	for (size_t i = 0; i < t->nsolution; i++) {
		if (run_line(sh, l->path, t->solution_lines[i], t->solution[i])) {
			free(j.res);
			return ww_shell_error(sh, WW_EXIT_FAIL,
					      "%s:%u: lesson stopped: task %s's Solution: line failed",
					      l->path, t->solution_lines[i], t->id);
		}
	}
	s = ww_shell_session_running(sh);
	if (s && has_negated(t))
		ww_session_wait(s, NULL, NULL, QUIET_MS);
	judge_now(&j);
	if (j.failed && s)
		ww_session_until(s, all_pass, &j, ww_session_now(s) + SETTLE_MS * 1000000ull);
	fprintf(sh->out, "-- checks of task %s:\n", t->id);
	for (size_t i = 0; i < t->nchecks; i++)
		lesson_print_result(sh->out, &j.res[i], false);
	fflush(sh->out);
	int rc = WW_EXIT_OK;
	for (size_t i = 0; i < t->nchecks; i++) {
		if (j.res[i].pass)
			continue;
		char text[512];
		ww_lesson_check_text(&t->checks[i], text, sizeof text);
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s:%u: task %s: check failed: %s: %s", l->path,
				    t->checks[i].line, t->id, text, j.res[i].detail);
		break;
	}
	*nchecks += t->nchecks;
	free(j.res);
	return rc;
}

int ww_lesson_auto(struct ww_shell *sh, const char *name)
{
	struct ww_lesson *l;
	char err[1024], path[PATH_MAX];
	if (lesson_resolve(name, path, sizeof path, err, sizeof err) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "lesson: %s", err);
	if (ww_lesson_parse(path, &l, err, sizeof err) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s", err);
	if (!ww_shell_session(sh)) {
		ww_lesson_free(l);
		return WW_EXIT_FAIL;
	}
	fprintf(sh->out, "lesson %s: %s (%zu steps, %zu tasks)\n", l->path, l->title, l->nsteps,
		l->ntasks);
	int rc = WW_EXIT_OK;
	size_t nchecks = 0;
	for (size_t i = 0; i < l->nsteps && rc == WW_EXIT_OK; i++) {
		const struct ww_lesson_step *st = &l->steps[i];
		fprintf(sh->out, "\n== step %zu of %zu: %s\n", i + 1, l->nsteps, st->title);
		for (size_t k = 0; k < st->nparts && rc == WW_EXIT_OK; k++) {
			const struct ww_lesson_part *pt = &st->parts[k];
			if (pt->kind == WW_LESSON_COMMANDS)
				rc = run_commands(sh, l, pt);
			else if (pt->kind == WW_LESSON_TASK)
				rc = play_task(sh, l, &l->tasks[pt->task], &nchecks);
		}
	}
	if (rc == WW_EXIT_OK)
		fprintf(sh->out, "\nlesson %s: all %zu tasks passed (%zu checks)\n", l->path,
			l->ntasks, nchecks);
	ww_lesson_free(l);
	return rc;
}
