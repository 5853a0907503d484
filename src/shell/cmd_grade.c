/* `wirewalk grade EXERCISE --solution FILE.ww`: an autograder's entry.
 *
 * The exercise and the solution are read and checked first: a malformed
 * file is named with its line and the reason, and nothing is graded. Then
 * a lab of its own is brought up (a name no other grader has, so graders
 * run side by side), a child process runs the solution in it, confined,
 * and judges it; this process keeps the privilege to take the lab down
 * again, stops a child that outlives the time limit, and writes the
 * table, results.json and TAP from the grade the child sends.
 *
 * Exit status: 0 when a grade was given, whatever the score; 2 for a
 * usage error or a malformed exercise or solution; 1 when grading could
 * not be done (no privilege, the lab would not come up, the child died).
 * Only a grade is ever written to results.json. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd_grade_int.h"
#include "ww/grade.h"
#include "ww/lab.h"
#include "ww/lesson.h"
#include "ww/shell.h"
#include "ww/view.h"

#define DEFAULT_TIME_LIMIT_S 60
#define MAX_TIME_LIMIT_S 3600
/* Beyond the time limit: the session's start, the settling, the judging. */
#define WATCHDOG_GRACE_S 30
#define SOLUTION_MAX_BYTES (256u * 1024)
#define SOLUTION_MAX_LINE 4096

struct grade_args {
	const char *exercise, *solution, *json, *lab;
	bool tap, reference, keep;
	unsigned time_limit_s;
};

static const char usage_text[] =
	"usage: wirewalk grade EXERCISE --solution FILE.ww [--json results.json] [--tap]\n"
	"                      [--time-limit SECONDS] [--keep]\n"
	"       wirewalk grade EXERCISE --reference   grade the exercise's own Solution: lines\n"
	"\n"
	"Runs the solution (a file of wirewalk commands) in a fresh lab of its own,\n"
	"scores every task of EXERCISE (a name from `exercise list`, or a file) on\n"
	"the frames that went over the wire and the stack's state, and prints a\n"
	"table. --json writes Gradescope's results.json; --tap prints TAP 14 on\n"
	"standard output (the table goes to standard error). The solution runs\n"
	"confined: no lab set-up, no programs, files only in its scratch\n"
	"directory (--keep leaves that directory, with output.log, in place). It\n"
	"is stopped at the exercise's time limit (60 s unless it says) and graded\n"
	"on what it did. Needs root: it brings a lab up.\n"
	"Exit status: 0 graded (whatever the score), 1 grading failed, 2 bad\n"
	"arguments or a malformed exercise or solution.\n";

static int usage_error(const char *fmt, const char *what)
{
	fputs("wirewalk grade: ", stderr);
	fprintf(stderr, fmt, what);
	fputs("\ntry 'wirewalk grade --help'\n", stderr);
	return WW_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct grade_args *a)
{
	memset(a, 0, sizeof a[0]);
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			fputs(usage_text, stdout);
			return -1;
		} else if (strcmp(s, "--solution") == 0 || strcmp(s, "--json") == 0 ||
			   strcmp(s, "--time-limit") == 0) {
			if (!next || !*next)
				return usage_error("%s needs a value", s);
			i++;
			if (s[2] == 's')
				a->solution = next;
			else if (s[2] == 'j')
				a->json = next;
			else {
				char *end;
				unsigned long n = strtoul(next, &end, 10);
				if (*end || n < 1 || n > MAX_TIME_LIMIT_S || next[0] == '-')
					return usage_error("--time-limit: '%s' is not 1 to 3600 seconds",
							   next);
				a->time_limit_s = (unsigned)n;
			}
		} else if (strcmp(s, "--tap") == 0) {
			a->tap = true;
		} else if (strcmp(s, "--reference") == 0) {
			a->reference = true;
		} else if (strcmp(s, "--keep") == 0) {
			a->keep = true;
		} else if (s[0] == '-') {
			return usage_error("unknown option '%s'", s);
		} else if (!a->exercise) {
			a->exercise = s;
		} else {
			return usage_error("one exercise at a time: '%s' is one too many", s);
		}
	}
	if (!a->exercise)
		return usage_error("%s", "which exercise? (exercise list names them)");
	if (!a->solution == !a->reference)
		return usage_error("%s", "give the solution: --solution FILE.ww (or --reference)");
	return 0;
}

/* ---- the solution ----------------------------------------------------------- */

static void solution_free(struct grade_solution *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	free(s->lineno);
	free(s->name);
	memset(s, 0, sizeof *s);
}

static int solution_add(struct grade_solution *s, const char *line, size_t len, unsigned lineno)
{
	char **l = realloc(s->lines, (s->n + 1) * sizeof *l);
	if (!l)
		return -1;
	s->lines = l;
	unsigned *n = realloc(s->lineno, (s->n + 1) * sizeof *n);
	if (!n)
		return -1;
	s->lineno = n;
	if (!(s->lines[s->n] = strndup(line, len)))
		return -1;
	s->lineno[s->n++] = lineno;
	return 0;
}

/* A line is well formed when its words split and its command exists. */
static int vet_line(const char *name, unsigned lineno, const char *line)
{
	char copy[SOLUTION_MAX_LINE + 1], *argv[65];
	snprintf(copy, sizeof copy, "%s", line);
	const char *why = NULL;
	int argc = ww_split_words(copy, argv, 64, &why);
	if (argc < 0) {
		fprintf(stderr, "%s:%u: %s\n", name, lineno, why);
		return -1;
	}
	if (argc > 0 && !ww_command_find(argv[0])) {
		const char *near = ww_command_nearest(argv[0]);
		fprintf(stderr, "%s:%u: unknown command '%s'%s%s%s\n", name, lineno, argv[0],
			near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		return -1;
	}
	return 0;
}

/* Read PATH whole: text, a command a line. Refused with FILE:LINE: when a
 * line holds a NUL byte, is too long, does not split, or names no command. */
static int solution_read(const char *path, struct grade_solution *s)
{
	memset(s, 0, sizeof *s);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "wirewalk grade: %s: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	s->name = strdup(path);
	char *line = NULL;
	size_t cap = 0, total = 0;
	ssize_t n;
	unsigned lineno = 0;
	int rc = s->name ? 0 : -1;
	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		total += (size_t)n;
		if (total > SOLUTION_MAX_BYTES) {
			fprintf(stderr, "%s:%u: the solution is longer than %u KiB\n", path, lineno,
				SOLUTION_MAX_BYTES / 1024);
			rc = -1;
		} else if (memchr(line, '\0', (size_t)n)) {
			fprintf(stderr, "%s:%u: a NUL byte: not a text file of commands\n", path, lineno);
			rc = -1;
		} else if ((size_t)n > SOLUTION_MAX_LINE) {
			fprintf(stderr, "%s:%u: a line longer than %u bytes\n", path, lineno,
				SOLUTION_MAX_LINE);
			rc = -1;
		} else {
			size_t len = strcspn(line, "\r\n");
			line[len] = '\0';
			if (vet_line(path, lineno, line) < 0)
				rc = -1;
			else if (solution_add(s, line, len, lineno) < 0)
				rc = -1;
		}
	}
	free(line);
	fclose(f);
	if (rc < 0)
		solution_free(s);
	return rc;
}

/* The exercise's own Solution: lines, task after task. */
static int solution_reference(const struct ww_lesson *l, struct grade_solution *s)
{
	memset(s, 0, sizeof *s);
	size_t n = strlen(l->path) + 16;
	if (!(s->name = malloc(n)))
		return -1;
	snprintf(s->name, n, "%s", l->path);
	for (size_t t = 0; t < l->ntasks; t++)
		for (size_t i = 0; i < l->tasks[t].nsolution; i++) {
			const char *line = l->tasks[t].solution[i];
			if (vet_line(s->name, l->tasks[t].solution_lines[i], line) < 0 ||
			    solution_add(s, line, strlen(line), l->tasks[t].solution_lines[i]) < 0) {
				solution_free(s);
				return -1;
			}
		}
	return 0;
}

/* ---- the lab and the scratch directory ------------------------------------- */

/* "g" and the process id in base 36, a dash and random letters: a name
 * no other grader on this machine has now (checked: it is not up). */
static int pick_lab(char *name, size_t len)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	for (int attempt = 0; attempt < 20; attempt++) {
		char id[16];
		size_t k = 0;
		for (unsigned long p = (unsigned long)getpid(); p && k < 7; p /= 36)
			id[k++] = digits[p % 36];
		id[k] = '\0';
		uint8_t rnd[4] = { 0 };
		if (getrandom(rnd, sizeof rnd, GRND_NONBLOCK) != sizeof rnd)
			for (size_t i = 0; i < sizeof rnd; i++)
				rnd[i] = (uint8_t)(rand() + attempt);
		size_t room = WW_LAB_NAME_MAX - 2 - k;
		char tail[8];
		for (size_t i = 0; i < room && i < sizeof rnd; i++)
			tail[i] = digits[rnd[i] % 36];
		tail[room < sizeof rnd ? room : sizeof rnd] = '\0';
		char whole[32];
		snprintf(whole, sizeof whole, "g%s-%s", id, tail);
		if (strlen(whole) < len && ww_lab_name_valid(whole) && !ww_lab_exists(whole)) {
			memcpy(name, whole, strlen(whole) + 1);
			return 0;
		}
	}
	return -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- waiting for the child ---------------------------------------------------- */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* Read the child's grade from FD until it closes, or the watchdog's
 * DEADLINE (monotonic seconds), or a signal to stop. The text read,
 * NUL-ended; NULL when the child had to be stopped (*WHY says why). */
static char *collect(int fd, pid_t child, double deadline, const char **why)
{
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		double left = deadline - ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
		if (left <= 0 || stop_signal) {
			kill(child, SIGKILL);
			*why = stop_signal ? "stopped by a signal"
					   : "the solution's session did not finish after its time limit";
			free(buf);
			return NULL;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, left > 1 ? 1000 : (int)(left * 1000) + 1);
		if (r <= 0)
			continue;
		if (cap - n < 4097) {
			char *b = realloc(buf, cap ? cap * 2 : 8192);
			if (!b) {
				kill(child, SIGKILL);
				*why = "out of memory";
				free(buf);
				return NULL;
			}
			buf = b;
			cap = cap ? cap * 2 : 8192;
		}
		ssize_t got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	if (!buf && !(buf = calloc(1, 1))) {
		*why = "out of memory";
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Fork the child, collect its grade into R. 0, or -1 with the reason
 * printed. */
static int run_child(const struct grade_job *proto, struct ww_grade_result *r)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		fprintf(stderr, "wirewalk grade: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "wirewalk grade: fork: %s\n", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			close(devnull);
		}
		struct grade_job job = *proto;
		job.result_fd = p[1];
		_exit(grade_child(&job));
	}
	close(p[1]);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double deadline = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 + proto->time_limit_s +
			  WATCHDOG_GRACE_S;
	const char *why = NULL;
	char *text = collect(p[0], pid, deadline, &why);
	close(p[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!text) {
		fprintf(stderr, "wirewalk grade: could not grade: %s\n", why);
		return -1;
	}
	int rc = -1;
	char err[256];
	FILE *in = *text ? fmemopen(text, strlen(text), "r") : NULL;
	if (WIFSIGNALED(status))
		fprintf(stderr, "wirewalk grade: could not grade: the grader's child died (signal %d)\n",
			WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		fprintf(stderr, "wirewalk grade: could not grade (the reason is above)\n");
	else if (!in || ww_grade_result_read(in, r, err, sizeof err) < 0)
		fprintf(stderr, "wirewalk grade: could not grade: %s\n",
			in ? err : *text ? "out of memory" : "the grader's child sent no grade");
	else
		rc = 0;
	if (in)
		fclose(in);
	free(text);
	return rc;
}

/* ---- the reports ----------------------------------------------------------------- */

/* results.json through a file beside it, renamed into place: a reader
 * never sees half a grade. */
static int write_json(const char *path, const struct ww_grade_result *r)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "wirewalk grade: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	ww_grade_write_json(f, r);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "wirewalk grade: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int report(const struct grade_args *a, const struct ww_grade_result *r)
{
	FILE *table = a->tap ? stderr : stdout;
	ww_grade_print_table(table, r, ww_color_wanted(WW_COLOR_AUTO, fileno(table)));
	if (r->notes && *r->notes) {
		/* Indented: no line the solution can provoke starts where the
		 * grader's own lines (Score:) do. */
		fputs("Notes:\n", table);
		for (const char *p = r->notes; *p;) {
			size_t n = strcspn(p, "\n");
			fprintf(table, "  %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	if (a->tap)
		ww_grade_write_tap(stdout, r);
	if (a->json && write_json(a->json, r) < 0)
		return WW_EXIT_FAIL;
	return fflush(stdout) == 0 ? WW_EXIT_OK : WW_EXIT_FAIL;
}

/* ---- the whole ------------------------------------------------------------------- */

static int grade(const struct grade_args *a, const struct ww_lesson *l,
		 const struct grade_solution *sol)
{
	char why[1024], lab[WW_LAB_NAME_MAX + 1], scratch[4096];
	if (ww_lab_check_caps(why, sizeof why) < 0) {
		fprintf(stderr, "wirewalk grade: could not grade: %s\n", why);
		return WW_EXIT_FAIL;
	}
	if (pick_lab(lab, sizeof lab) < 0) {
		fprintf(stderr, "wirewalk grade: could not grade: no free lab name\n");
		return WW_EXIT_FAIL;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch, sizeof scratch, "%s/wirewalk-grade-%s-XXXXXX", tmp && *tmp ? tmp : P_tmpdir,
		 lab);
	if (!mkdtemp(scratch)) {
		fprintf(stderr, "wirewalk grade: could not grade: a scratch directory: %s\n",
			strerror(errno));
		return WW_EXIT_FAIL;
	}
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	int rc = WW_EXIT_FAIL;
	if (ww_lab_up(lab, why, sizeof why) < 0) {
		fprintf(stderr, "wirewalk grade: could not grade: lab %s: %s\n", lab, why);
	} else {
		struct grade_job job = {
			.lesson = l,
			.solution = sol,
			.lab = lab,
			.scratch = scratch,
			.time_limit_s = a->time_limit_s ? a->time_limit_s
				      : l->time_limit_s ? l->time_limit_s : DEFAULT_TIME_LIMIT_S,
			.settle_s = 0.3,
		};
		struct ww_grade_result r;
		memset(&r, 0, sizeof r);
		if (run_child(&job, &r) == 0) {
			rc = report(a, &r);
			ww_grade_result_free(&r);
		}
	}
	if (ww_lab_exists(lab) && ww_lab_down(lab, why, sizeof why) < 0)
		fprintf(stderr, "wirewalk grade: lab %s would not come down: %s\n", lab, why);
	if (a->keep)
		fprintf(stderr, "wirewalk grade: the solution's directory: %s\n", scratch);
	else
		remove_tree(scratch);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (stop_signal)
		return 128 + stop_signal;
	return rc;
}

int ww_grade_main(int argc, char **argv)
{
	struct grade_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? WW_EXIT_OK : rc;
	char path[4096], err[1024];
	if (ww_grade_find_exercise(a.exercise, path, sizeof path, err, sizeof err) < 0) {
		fprintf(stderr, "wirewalk grade: %s\n", err);
		return WW_EXIT_USAGE;
	}
	struct ww_lesson *l = NULL;
	if (ww_lesson_parse(path, &l, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return WW_EXIT_USAGE;
	}
	if (l->ntasks == 0) {
		fprintf(stderr, "%s: an exercise with no task: nothing to grade\n", path);
		ww_lesson_free(l);
		return WW_EXIT_USAGE;
	}
	struct grade_solution sol;
	if ((a.reference ? solution_reference(l, &sol) : solution_read(a.solution, &sol)) < 0) {
		ww_lesson_free(l);
		return WW_EXIT_USAGE;
	}
	rc = grade(&a, l, &sol);
	solution_free(&sol);
	ww_lesson_free(l);
	return rc;
}
