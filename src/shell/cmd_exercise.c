/* Exercises in the shell: `exercise list`, `exercise start NAME`, then the
 * person works freely, `exercise submit` grades what went over the wire
 * since the start, the same way `wirewalk grade` does: a table of tasks
 * with points and, for each failed check, what was expected and what was
 * seen. Frames after the time limit do not count. */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_craft_int.h"
#include "ww/grade.h"
#include "ww/lesson.h"
#include "ww/session.h"
#include "ww/shell.h"

struct ww_exercise_run {
	struct ww_lesson *l;
	unsigned since;        /* the first frame that counts */
	uint64_t start_ns;     /* the session's clock at the start */
	unsigned *hints;       /* per task: hints given so far */
};

void ww_exercise_shell_free(struct ww_shell *sh)
{
	struct ww_exercise_run *run = sh->exercise;
	if (!run)
		return;
	ww_lesson_free(run->l);
	free(run->hints);
	free(run);
	sh->exercise = NULL;
}

/* ---- exercise list -------------------------------------------------------- */

static int is_md(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 3 && strcmp(e->d_name + n - 3, ".md") == 0 && e->d_name[0] != '.';
}

static int exercise_list(struct ww_shell *sh)
{
	char dir[PATH_MAX];
	if (!ww_grade_exercise_dir(dir, sizeof dir))
		return ww_shell_error(sh, WW_EXIT_FAIL,
				      "exercise list: no exercise directory (set WIREWALK_EXERCISES)");
	struct dirent **list;
	int n = scandir(dir, &list, is_md, alphasort);
	if (n < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "exercise list: %s: cannot read", dir);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX + 256], err[512];
		snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
		list[i]->d_name[strlen(list[i]->d_name) - 3] = '\0';
		struct ww_lesson *l = NULL;
		if (ww_lesson_parse(path, &l, err, sizeof err) < 0) {
			fprintf(sh->out, "  %-22s (broken: %s)\n", list[i]->d_name, err);
		} else {
			char limit[32] = "";
			if (l->time_limit_s)
				snprintf(limit, sizeof limit, ", %u s", l->time_limit_s);
			fprintf(sh->out, "  %-22s %s (%u points%s)\n", list[i]->d_name, l->title,
				ww_lesson_max_points(l), limit);
			ww_lesson_free(l);
		}
		free(list[i]);
	}
	free(list);
	return WW_EXIT_OK;
}

/* ---- exercise start, status --------------------------------------------------- */

static void print_task(FILE *out, const struct ww_lesson_task *t)
{
	fprintf(out, "\nTask %s (%u point%s): %s\n", t->id, t->points, t->points == 1 ? "" : "s",
		t->do_text ? t->do_text : "");
}

/* The whole exercise as written: its prose, the commands shown (for the
 * person to type), the tasks. */
static void print_exercise(FILE *out, const struct ww_lesson *l)
{
	fprintf(out, "%s\n", l->title);
	if (l->time_limit_s)
		fprintf(out, "Time limit: %u s (from now)\n", l->time_limit_s);
	for (size_t s = 0; s < l->nsteps; s++) {
		const struct ww_lesson_step *st = &l->steps[s];
		if (s > 0)
			fprintf(out, "\n## %s\n", st->title);
		for (size_t p = 0; p < st->nparts; p++) {
			const struct ww_lesson_part *part = &st->parts[p];
			if (part->kind == WW_LESSON_PROSE) {
				size_t n = strlen(part->text);
				while (n > 0 && part->text[n - 1] == '\n')
					n--;
				fprintf(out, "\n%.*s\n", (int)n, part->text);
			} else if (part->kind == WW_LESSON_COMMANDS) {
				fputc('\n', out);
				for (const char *c = part->text; *c;) {
					size_t n = strcspn(c, "\n");
					fprintf(out, "    %.*s\n", (int)n, c);
					c += n + (c[n] == '\n');
				}
			} else {
				print_task(out, &l->tasks[part->task]);
			}
		}
	}
	fprintf(out, "\n%u points in all. Work freely; `exercise submit` grades what went over "
		     "the wire since now.\n",
		ww_lesson_max_points(l));
}

static int exercise_start(struct ww_shell *sh, const char *name)
{
	char path[PATH_MAX], err[1024];
	if (ww_grade_find_exercise(name, path, sizeof path, err, sizeof err) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "exercise start: %s", err);
	struct ww_lesson *l = NULL;
	if (ww_lesson_parse(path, &l, err, sizeof err) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "exercise start: %s", err);
	struct ww_session *s = ww_shell_session(sh);
	if (!s) {
		ww_lesson_free(l);
		return WW_EXIT_FAIL;
	}
	struct ww_exercise_run *run = calloc(1, sizeof *run);
	if (!run || !(run->hints = calloc(l->ntasks ? l->ntasks : 1, sizeof *run->hints))) {
		free(run);
		ww_lesson_free(l);
		return ww_shell_error(sh, WW_EXIT_FAIL, "exercise start: out of memory");
	}
	ww_exercise_shell_free(sh);
	run->l = l;
	run->since = ww_lesson_mark(s);
	run->start_ns = ww_session_now(s);
	sh->exercise = run;
	print_exercise(sh->out, l);
	return WW_EXIT_OK;
}

static struct ww_exercise_run *current(struct ww_shell *sh, const char *cmd)
{
	if (!sh->exercise)
		ww_shell_error(sh, WW_EXIT_USAGE, "%s: no exercise started (exercise start NAME)", cmd);
	return sh->exercise;
}

/* Seconds left before the time limit, negative past it; 0 without one. */
static double seconds_left(const struct ww_exercise_run *run, struct ww_session *s)
{
	if (!run->l->time_limit_s || !s)
		return 0;
	double used = (double)(ww_session_now(s) - run->start_ns) / 1e9;
	return run->l->time_limit_s - used;
}

static int exercise_status(struct ww_shell *sh)
{
	struct ww_exercise_run *run = current(sh, "exercise status");
	if (!run)
		return WW_EXIT_USAGE;
	struct ww_session *s = ww_shell_session_running(sh);
	fprintf(sh->out, "%s\n", run->l->title);
	for (size_t i = 0; i < run->l->ntasks; i++)
		print_task(sh->out, &run->l->tasks[i]);
	double left = seconds_left(run, s);
	if (run->l->time_limit_s && left > 0)
		fprintf(sh->out, "\n%.0f s left of %u s.\n", left, run->l->time_limit_s);
	else if (run->l->time_limit_s)
		fprintf(sh->out, "\nThe time limit (%u s) has passed.\n", run->l->time_limit_s);
	if (s)
		fprintf(sh->out, "Evidence so far: frames %u to %u.\n", run->since,
			ww_session_npackets(s));
	return WW_EXIT_OK;
}

static int exercise_hint(struct ww_shell *sh, const char *id)
{
	struct ww_exercise_run *run = current(sh, "exercise hint");
	if (!run)
		return WW_EXIT_USAGE;
	const struct ww_lesson_task *t = ww_lesson_task_find(run->l, id);
	if (!t)
		return ww_shell_error(sh, WW_EXIT_USAGE, "exercise hint: no task '%s'", id);
	size_t i = (size_t)(t - run->l->tasks);
	if (run->hints[i] >= t->nhints) {
		fprintf(sh->out, "No more hints for %s.\n", id);
		return WW_EXIT_OK;
	}
	fprintf(sh->out, "Hint %u of %zu: %s\n", run->hints[i] + 1, t->nhints,
		t->hints[run->hints[i]]);
	run->hints[i]++;
	return WW_EXIT_OK;
}

/* ---- exercise submit ------------------------------------------------------------ */

static int exercise_submit(struct ww_shell *sh)
{
	struct ww_exercise_run *run = current(sh, "exercise submit");
	if (!run)
		return WW_EXIT_USAGE;
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return WW_EXIT_FAIL;
	struct ww_grade_frames frames;
	if (ww_grade_frames_gather(s, run->since, &frames) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "exercise submit: out of memory");
	bool late = false;
	if (run->l->time_limit_s) {
		/* Frames after the limit are not evidence. */
		uint64_t end = run->start_ns + (uint64_t)run->l->time_limit_s * 1000000000u;
		size_t k = 0;
		for (size_t i = 0; i < frames.n; i++)
			if (frames.frames[i].ts_ns <= end)
				frames.frames[k++] = frames.frames[i];
		late = k < frames.n || seconds_left(run, s) < 0;
		frames.n = k;
	}
	struct ww_vars vars;
	shell_vars(sh, &vars);
	struct ww_lesson_evidence ev = { .session = s, .since = run->since, .vars = &vars,
					 .ctx = sh };
	struct ww_grade_result r;
	memset(&r, 0, sizeof r);
	int rc = ww_grade_evaluate(run->l, &ev, &frames, &r);
	ww_grade_frames_free(&frames);
	if (rc < 0) {
		ww_grade_result_free(&r);
		return ww_shell_error(sh, WW_EXIT_FAIL, "exercise submit: out of memory");
	}
	r.seconds = (double)(ww_session_now(s) - run->start_ns) / 1e9;
	ww_grade_print_table(sh->out, &r, ww_color_wanted(sh->color_mode, fileno(sh->out)));
	if (late)
		fprintf(sh->out, "Past the time limit (%u s): what happened after it does not count.\n",
			run->l->time_limit_s);
	ww_grade_result_free(&r);
	return WW_EXIT_OK;
}

/* ---- the command ------------------------------------------------------------------ */

static int cmd_exercise(struct ww_shell *sh, int argc, char **argv)
{
	const struct ww_command *self = ww_command_find(argv[0]);
	const char *sub = argc > 1 ? argv[1] : "list";
	if (strcmp(sub, "list") == 0 && argc <= 2)
		return exercise_list(sh);
	if (strcmp(sub, "start") == 0 && argc == 3)
		return exercise_start(sh, argv[2]);
	if (strcmp(sub, "submit") == 0 && argc == 2)
		return exercise_submit(sh);
	if (strcmp(sub, "status") == 0 && argc == 2)
		return exercise_status(sh);
	if (strcmp(sub, "hint") == 0 && argc == 3)
		return exercise_hint(sh, argv[2]);
	if (strcmp(sub, "stop") == 0 && argc == 2) {
		if (!current(sh, "exercise stop"))
			return WW_EXIT_USAGE;
		ww_exercise_shell_free(sh);
		fputs("Exercise stopped.\n", sh->out);
		return WW_EXIT_OK;
	}
	return ww_shell_usage(sh, self);
}

static const char *const exercise_words[] = { "list", "start", "submit", "status", "hint",
					      "stop", NULL };

const struct ww_command ww_exercise_commands[] = {
	{ .name = "exercise", .args = "list|start NAME|submit|status|hint TASK|stop",
	  .summary = "graded exercises: start one, work, submit it for a score",
	  .help = "exercise list          the exercises, with their points and time limits\n"
		  "exercise start NAME    show exercise NAME and start its clock: what goes\n"
		  "                       over the wire from now on is the evidence\n"
		  "exercise submit        grade it now: each task's points and, for each check\n"
		  "                       that failed, what was expected and what was seen\n"
		  "                       (submit as often as you like)\n"
		  "exercise status        the tasks again, the time left\n"
		  "exercise hint TASK     the next hint for TASK\n"
		  "exercise stop          forget the exercise\n"
		  "Only evidence counts: frames that went over the link (a real server\n"
		  "answered them) and the stack's state, never what is printed. Frames\n"
		  "after the time limit do not count. `wirewalk grade` grades a solution\n"
		  "file the same way, in a lab of its own.",
	  .run = cmd_exercise,
	  .complete = { WW_COMPLETE_WORDS },
	  .words = { exercise_words } },
	{ 0 },
};
