/* Lessons in the shell: `lesson list|start|reset`, `next`, `back`, `hint`,
 * `check`. A step is shown as it is written, paged to the terminal's
 * height; its commands are for the person to type; its tasks are checked
 * against what really went over the wire since the step was shown. The
 * player without a person is in cmd_lesson_auto.c. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd_craft_int.h"
#include "cmd_lesson_int.h"
#include "ww/session.h"

/* ---- shared with the player ------------------------------------------- */

unsigned lesson_mark_now(struct ww_shell *sh)
{
	return ww_lesson_mark(ww_shell_session_running(sh));
}

void lesson_evidence(struct ww_shell *sh, unsigned since, struct ww_lesson_evidence *ev,
		     struct ww_vars *vars)
{
	shell_vars(sh, vars);
	*ev = (struct ww_lesson_evidence){ .session = ww_shell_session_running(sh),
					   .since = since, .vars = vars, .ctx = sh };
}

void lesson_print_result(FILE *out, const struct ww_lesson_result *r, bool feedback)
{
	char text[512];
	ww_lesson_check_text(r->check, text, sizeof text);
	fprintf(out, "  %s %s\n      %s\n", r->pass ? "✓" : "✗", text, r->detail);
	if (!r->pass && feedback && r->check->feedback)
		fprintf(out, "      → %s\n", r->check->feedback);
}

/* ---- paging ------------------------------------------------------------ */

/* Pages TEXT to the terminal's height with a "-- more --" prompt, when a
 * person reads it on a terminal; otherwise prints it all. */
struct pager {
	FILE *out;
	bool on, quit;
	unsigned rows, cols, used;
};

static void pager_init(struct ww_shell *sh, struct pager *pg)
{
	*pg = (struct pager){ .out = sh->out, .rows = 24, .cols = 80 };
	pg->on = sh->out == stdout && !sh->json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 4) {
		pg->rows = ws.ws_row;
		pg->cols = ws.ws_col > 10 ? ws.ws_col : 80;
	}
}

/* Wait for Enter (more), or q and Enter (the rest unpaged is skipped).
 * The terminal is in its ordinary line mode while a command runs. */
static void pager_wait(struct pager *pg)
{
	fputs("-- more -- (Enter: go on, q: stop) ", pg->out);
	fflush(pg->out);
	char c;
	bool q = false;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);
		if (n <= 0) {
			q = true;
			break;
		}
		if (c == 'q' || c == 'Q')
			q = true;
		if (c == '\n' || c == '\r')
			break;
	}
	fputs("\r\033[K", pg->out);
	pg->quit = q;
	pg->used = 0;
}

static void pager_line(struct pager *pg, const char *s, size_t n)
{
	if (pg->quit)
		return;
	/* Columns, not bytes: UTF-8 continuation bytes take none. */
	unsigned cols = 0;
	for (size_t i = 0; i < n; i++)
		cols += ((unsigned char)s[i] & 0xc0) != 0x80;
	unsigned need = cols / pg->cols + 1;
	if (pg->on && pg->used + need > pg->rows - 1)
		pager_wait(pg);
	if (pg->quit)
		return;
	fwrite(s, 1, n, pg->out);
	fputc('\n', pg->out);
	pg->used += need;
}

static void pager_text(struct pager *pg, const char *text)
{
	while (*text && !pg->quit) {
		size_t n = strcspn(text, "\n");
		pager_line(pg, text, n);
		text += n + (text[n] == '\n');
	}
}

static void pager_printf(struct pager *pg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void pager_printf(struct pager *pg, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n >= 0)
		pager_text(pg, s);
	free(s);
}

/* ---- the lesson being followed ----------------------------------------- */

static void run_free(struct ww_lesson_run *run)
{
	if (!run)
		return;
	ww_lesson_free(run->l);
	free(run->done);
	free(run->hints);
	free(run->mark);
	free(run);
}

void ww_lesson_shell_free(struct ww_shell *sh)
{
	run_free(sh->lesson);
	sh->lesson = NULL;
}

static void save_progress(struct ww_shell *sh)
{
	struct ww_lesson_run *run = sh->lesson;
	struct lesson_progress p = { .step = run->step };
	size_t used = 0;
	for (size_t i = 0; i < run->l->ntasks; i++) {
		if (!run->done[i])
			continue;
		int k = snprintf(p.done + used, sizeof p.done - used, "%s%s", used ? "," : "",
				 run->l->tasks[i].id);
		if (k < 0 || (size_t)k >= sizeof p.done - used)
			break;
		used += (size_t)k;
	}
	char err[512];
	if (lesson_progress_save(run->name, &p, err, sizeof err) < 0)
		ww_shell_error(sh, WW_EXIT_FAIL, "lesson: progress not saved: %s", err);
}

static size_t tasks_done(const struct ww_lesson_run *run)
{
	size_t n = 0;
	for (size_t i = 0; i < run->l->ntasks; i++)
		n += run->done[i];
	return n;
}

/* The task `hint` and `check` are about: the first not done in the step
 * shown; -1 when the step has none left. */
static long current_task(const struct ww_lesson_run *run)
{
	for (size_t i = 0; i < run->l->ntasks; i++)
		if (run->l->tasks[i].step == run->step && !run->done[i])
			return (long)i;
	return -1;
}

static void show_step(struct ww_shell *sh)
{
	struct ww_lesson_run *run = sh->lesson;
	const struct ww_lesson *l = run->l;
	const struct ww_lesson_step *st = &l->steps[run->step];
	/* What is done from now on counts for the step's tasks. */
	unsigned mark = lesson_mark_now(sh);
	for (size_t i = 0; i < l->ntasks; i++)
		if (l->tasks[i].step == run->step)
			run->mark[i] = mark;
	struct pager pg;
	pager_init(sh, &pg);
	/* The first step's title is the lesson's own: not said twice. */
	pager_printf(&pg, "\n── %s · step %zu of %zu%s%s ──\n", l->title, run->step + 1, l->nsteps,
		     run->step ? ": " : "", run->step ? st->title : "");
	for (size_t i = 0; i < st->nparts && !pg.quit; i++) {
		const struct ww_lesson_part *pt = &st->parts[i];
		if (pt->kind == WW_LESSON_PROSE) {
			pager_text(&pg, pt->text);
			pager_line(&pg, "", 0);
		} else if (pt->kind == WW_LESSON_COMMANDS) {
			pager_line(&pg, "Type:", 5);
			for (const char *c = pt->text; *c;) {
				size_t n = strcspn(c, "\n");
				if (n)
					pager_printf(&pg, "    wirewalk> %.*s", (int)n, c);
				c += n + (c[n] == '\n');
			}
			pager_line(&pg, "", 0);
		} else {
			const struct ww_lesson_task *t = &l->tasks[pt->task];
			pager_printf(&pg, "Task %s%s: %s", t->id, run->done[pt->task] ? " (done)" : "",
				     t->do_text);
			pager_printf(&pg, "    ('hint' gives a hint, 'check' checks what you did)\n");
		}
	}
	pg.quit = false;
	if (run->step + 1 < l->nsteps)
		pager_printf(&pg, "('next': step %zu of %zu%s)", run->step + 2, l->nsteps,
			     run->step ? ", 'back': the one before" : "");
	else
		pager_printf(&pg, "(the last step; %zu of %zu tasks done%s)", tasks_done(run),
			     l->ntasks, run->step ? "; 'back': the one before" : "");
	save_progress(sh);
}

static struct ww_lesson_run *need_lesson(struct ww_shell *sh, const char *cmd)
{
	if (!sh->lesson)
		ww_shell_error(sh, WW_EXIT_USAGE,
			       "%s: no lesson started ('lesson list', then 'lesson start NAME')", cmd);
	return sh->lesson;
}

/* ---- lesson list ------------------------------------------------------- */

/* S, then blanks to WIDTH columns (UTF-8 continuation bytes take none),
 * and at least one. */
static void put_padded(FILE *out, const char *s, unsigned width)
{
	unsigned cols = 0;
	for (const char *p = s; *p; p++)
		cols += ((unsigned char)*p & 0xc0) != 0x80;
	fprintf(out, "%s%*s", s, (int)(cols < width ? width - cols : 1), "");
}

static int lesson_list(struct ww_shell *sh)
{
	char dir[PATH_MAX];
	if (lesson_dir(dir, sizeof dir) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL,
				      "lesson list: no lessons directory found (set WIREWALK_LESSONS)");
	struct dirent **ents;
	int ne = scandir(dir, &ents, NULL, alphasort);
	if (ne < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "lesson list: %s: %s", dir, strerror(errno));
	unsigned shown = 0;
	for (int i = 0; i < ne; i++) {
		const char *f = ents[i]->d_name;
		size_t len = strlen(f);
		if (len > 3 && f[0] >= '0' && f[0] <= '9' && !strcmp(f + len - 3, ".md")) {
			char path[PATH_MAX + 512], key[256], err[512];
			if (snprintf(path, sizeof path, "%s/%s", dir, f) >= (int)sizeof path)
				continue;
			lesson_key(f, key, sizeof key);
			struct ww_lesson *l;
			if (ww_lesson_parse(path, &l, err, sizeof err) < 0) {
				fputs("  ", sh->out);
				put_padded(sh->out, key, 26);
				fprintf(sh->out, "(cannot be used: %s)\n", err);
			} else {
				struct lesson_progress p;
				char prog[64] = "";
				if (lesson_progress_load(key, &p)) {
					size_t done = 0;
					for (size_t k = 0; k < l->ntasks; k++)
						done += lesson_progress_has(p.done, l->tasks[k].id);
					snprintf(prog, sizeof prog, "  %zu/%zu tasks done", done,
						 l->ntasks);
				}
				fputs("  ", sh->out);
				put_padded(sh->out, key, 26);
				put_padded(sh->out, l->title, 48);
				fprintf(sh->out, "%3u min%s\n", l->minutes, prog);
				ww_lesson_free(l);
			}
			shown++;
		}
		free(ents[i]);
	}
	free(ents);
	if (!shown)
		fprintf(sh->out, "no lessons in %s\n", dir);
	else
		fputs("'lesson start NAME' (a number will do: lesson start 3)\n", sh->out);
	return WW_EXIT_OK;
}

/* ---- lesson start / reset ------------------------------------------- */

static int lesson_start(struct ww_shell *sh, const char *name, bool fresh)
{
	char path[PATH_MAX], err[1024];
	if (lesson_resolve(name, path, sizeof path, err, sizeof err) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "lesson start: %s", err);
	struct ww_lesson *l;
	if (ww_lesson_parse(path, &l, err, sizeof err) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "lesson start: %s", err);
	struct ww_lesson_run *run = calloc(1, sizeof *run);
	size_t nt = l->ntasks ? l->ntasks : 1;
	if (!run || !(run->done = calloc(nt, sizeof *run->done)) ||
	    !(run->hints = calloc(nt, sizeof *run->hints)) ||
	    !(run->mark = calloc(nt, sizeof *run->mark))) {
		run_free(run);
		ww_lesson_free(l);
		return ww_shell_error(sh, WW_EXIT_FAIL, "lesson start: out of memory");
	}
	run->l = l;
	lesson_key(path, run->name, sizeof run->name);
	struct lesson_progress p;
	if (fresh) {
		if (lesson_progress_save(run->name, NULL, err, sizeof err) < 0)
			ww_shell_error(sh, WW_EXIT_FAIL, "lesson reset: %s", err);
	} else if (lesson_progress_load(run->name, &p)) {
		run->step = p.step < l->nsteps ? p.step : l->nsteps - 1;
		for (size_t i = 0; i < l->ntasks; i++)
			run->done[i] = lesson_progress_has(p.done, l->tasks[i].id);
		fprintf(sh->out, "Resuming %s at step %zu of %zu (%zu of %zu tasks done; "
			"'lesson reset' starts over).\n", run->name, run->step + 1, l->nsteps,
			tasks_done(run), l->ntasks);
	}
	ww_lesson_shell_free(sh);
	sh->lesson = run;
	if (l->minutes && !run->step)
		fprintf(sh->out, "%s: about %u minutes, %zu steps, %zu tasks.\n", l->title,
			l->minutes, l->nsteps, l->ntasks);
	show_step(sh);
	return WW_EXIT_OK;
}

static int cmd_lesson(struct ww_shell *sh, int argc, char **argv)
{
	const struct ww_command *self = ww_command_find(argv[0]);
	if (argc == 1) {
		if (!sh->lesson)
			return lesson_list(sh);
		show_step(sh);
		return WW_EXIT_OK;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "list") && argc == 2)
		return lesson_list(sh);
	if (!strcmp(sub, "start") && argc == 3)
		return lesson_start(sh, argv[2], false);
	if (!strcmp(sub, "reset") && argc <= 3) {
		if (argc == 3)
			return lesson_start(sh, argv[2], true);
		if (!need_lesson(sh, "lesson reset"))
			return WW_EXIT_USAGE;
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s", sh->lesson->l->path);
		return lesson_start(sh, path, true);
	}
	return ww_shell_usage(sh, self);
}

/* ---- next / back ------------------------------------------------------ */

static int cmd_next(struct ww_shell *sh, int argc, char **argv)
{
	struct ww_lesson_run *run = need_lesson(sh, argv[0]);
	if (!run)
		return WW_EXIT_USAGE;
	if (argc != 1)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	if (run->step + 1 >= run->l->nsteps) {
		fprintf(sh->out, "That was the last step of %s: %zu of %zu tasks done.\n",
			run->l->title, tasks_done(run), run->l->ntasks);
		return WW_EXIT_OK;
	}
	long t = current_task(run);
	if (t >= 0)
		fprintf(sh->out, "(task %s is not checked yet; 'back' returns to it)\n",
			run->l->tasks[t].id);
	run->step++;
	show_step(sh);
	return WW_EXIT_OK;
}

static int cmd_back(struct ww_shell *sh, int argc, char **argv)
{
	struct ww_lesson_run *run = need_lesson(sh, argv[0]);
	if (!run)
		return WW_EXIT_USAGE;
	if (argc != 1)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	if (run->step == 0) {
		fputs("This is the first step.\n", sh->out);
		return WW_EXIT_OK;
	}
	run->step--;
	show_step(sh);
	return WW_EXIT_OK;
}

/* ---- hint / check ----------------------------------------------------- */

/* The task named by ARGV[1], or the current one; -1 after saying why. */
static long task_arg(struct ww_shell *sh, struct ww_lesson_run *run, int argc, char **argv)
{
	if (argc > 2) {
		ww_shell_usage(sh, ww_command_find(argv[0]));
		return -1;
	}
	if (argc == 2) {
		const struct ww_lesson_task *t = ww_lesson_task_find(run->l, argv[1]);
		if (!t) {
			ww_shell_error(sh, WW_EXIT_USAGE, "%s: this lesson has no task '%s'", argv[0],
				       argv[1]);
			return -1;
		}
		return t - run->l->tasks;
	}
	long t = current_task(run);
	if (t < 0) {
		bool any = false;
		for (size_t i = 0; i < run->l->ntasks; i++)
			any |= run->l->tasks[i].step == run->step;
		ww_shell_error(sh, WW_EXIT_USAGE, "%s: %s", argv[0],
			       any ? "every task of this step is done: 'next' goes on"
				   : "this step has no task: 'next' goes on");
	}
	return t;
}

static int cmd_hint(struct ww_shell *sh, int argc, char **argv)
{
	struct ww_lesson_run *run = need_lesson(sh, argv[0]);
	if (!run)
		return WW_EXIT_USAGE;
	long i = task_arg(sh, run, argc, argv);
	if (i < 0)
		return WW_EXIT_USAGE;
	const struct ww_lesson_task *t = &run->l->tasks[i];
	unsigned k = run->hints[i];
	if (k < t->nhints) {
		fprintf(sh->out, "Hint %u of %zu for %s: %s\n", k + 1, t->nhints, t->id, t->hints[k]);
		run->hints[i]++;
		return WW_EXIT_OK;
	}
	if (!t->nsolution) {
		fprintf(sh->out, "No more hints for %s.\n", t->id);
		return WW_EXIT_OK;
	}
	fprintf(sh->out, "No more hints for %s. One way to do it:\n", t->id);
	for (size_t j = 0; j < t->nsolution; j++)
		fprintf(sh->out, "    wirewalk> %s\n", t->solution[j]);
	return WW_EXIT_OK;
}

static int cmd_check(struct ww_shell *sh, int argc, char **argv)
{
	struct ww_lesson_run *run = need_lesson(sh, argv[0]);
	if (!run)
		return WW_EXIT_USAGE;
	long i = task_arg(sh, run, argc, argv);
	if (i < 0)
		return WW_EXIT_USAGE;
	const struct ww_lesson_task *t = &run->l->tasks[i];
	struct ww_lesson_result *res = calloc(t->nchecks, sizeof *res);
	if (!res)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", argv[0]);
	struct ww_lesson_evidence ev;
	struct ww_vars vars;
	lesson_evidence(sh, run->mark[i], &ev, &vars);
	size_t failed = ww_lesson_check_task(t, &ev, res);
	fprintf(sh->out, "Task %s:\n", t->id);
	for (size_t j = 0; j < t->nchecks; j++)
		lesson_print_result(sh->out, &res[j], true);
	free(res);
	if (failed) {
		fprintf(sh->out, "Not yet: %zu of %zu checks fail. Try again%s.\n", failed, t->nchecks,
			t->nhints ? " ('hint' helps)" : "");
		return WW_EXIT_FAIL;
	}
	run->done[i] = true;
	fprintf(sh->out, "Task %s done.", t->id);
	long next = current_task(run);
	if (next >= 0) {
		/* The next task of the step starts now: what was done for
		 * this one does not count for it. */
		run->mark[next] = lesson_mark_now(sh);
		fprintf(sh->out, " Next: %s\n", run->l->tasks[next].do_text);
	}
	else if (run->step + 1 < run->l->nsteps)
		fputs(" 'next' goes on.\n", sh->out);
	else
		fprintf(sh->out, " That was the last step: %zu of %zu tasks done.\n", tasks_done(run),
			run->l->ntasks);
	save_progress(sh);
	return WW_EXIT_OK;
}

static const char *const lesson_words[] = { "list", "start", "reset", NULL };

const struct ww_command ww_lesson_commands[] = {
	{ .name = "lesson", .args = "[list|start NAME|reset [NAME]]",
	  .summary = "guided lessons: list them, start one, start over",
	  .help = "lesson list         the lessons, with their length and your progress\n"
		  "lesson start NAME   start (or resume) one: by number (lesson start 3),\n"
		  "                    name (03-arp, arp) or file (path/to/lesson.md)\n"
		  "lesson reset [NAME] forget the progress in the lesson and start it over\n"
		  "lesson              show the current step again\n"
		  "Each step is shown page by page; 'next' and 'back' move between steps.\n"
		  "A task says what to do: do it with the shell's commands, then 'check'\n"
		  "looks at what really went over the wire since the step was shown and\n"
		  "at the stack's state, and says what differs. 'hint' gives hints one at\n"
		  "a time. Progress is kept in $XDG_DATA_HOME/wirewalk/progress\n"
		  "(~/.local/share/wirewalk/progress). Without a person:\n"
		  "wirewalk lesson FILE --auto plays a lesson and checks every task.",
	  .run = cmd_lesson, .complete = { WW_COMPLETE_WORDS, WW_COMPLETE_FILE },
	  .words = { lesson_words } },
	{ .name = "next", .args = "",
	  .summary = "the lesson's next step",
	  .help = "Shows the next step of the lesson started with 'lesson start'.\n"
		  "Frames from now on count for the tasks of that step.",
	  .run = cmd_next },
	{ .name = "back", .args = "",
	  .summary = "the lesson's step before",
	  .help = "Shows the step before again; its tasks count what is done from now on.",
	  .run = cmd_back },
	{ .name = "hint", .args = "[TASK]",
	  .summary = "the next hint for the lesson's task",
	  .help = "Each 'hint' gives the next hint for the current task (the first one\n"
		  "not done in this step), or for TASK; after the last hint, a way to\n"
		  "do it.",
	  .run = cmd_hint },
	{ .name = "check", .args = "[TASK]",
	  .summary = "check the lesson's task against what went over the wire",
	  .help = "Checks the current task (or TASK): every check over the frames sent\n"
		  "and received since the step was shown, and the stack's state. Each\n"
		  "check that fails says what was expected and what was seen, from the\n"
		  "frame that came nearest, e.g.\n"
		  "  expected tcp.flags == S (SYN), saw 0x010 (ACK) in $14",
	  .run = cmd_check },
	{ 0 },
};
