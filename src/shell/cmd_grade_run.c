/* The grader's child: it opens the session in the lab the parent brought
 * up, confines itself, runs the solution line by line under the time
 * limit, lets the network settle, judges every task over the evidence
 * and writes the grade to the parent.
 *
 * What the solution prints goes to output.log in its scratch directory
 * and never reaches the judge; what its commands report as errors becomes
 * the grade's notes, so a person can see why a command failed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

#include "cmd_craft_int.h"
#include "cmd_grade_int.h"
#include "ww/grade.h"
#include "ww/lab.h"
#include "ww/lesson.h"
#include "ww/packet_list.h"
#include "ww/session.h"
#include "ww/shell.h"

/* The packet list keeps every frame while a solution runs, up to this
 * much: a solution that moves more loses its first frames as evidence
 * (the grade says so). */
#define GRADE_KEEP_BYTES (256u * 1024 * 1024)
/* Notes longer than this are cut: a loop of failing commands. */
#define GRADE_NOTES_MAX 4096

static volatile sig_atomic_t timed_out;

static void on_time_limit(int sig)
{
	(void)sig;
	timed_out = 1;
	ww_repl_set_interrupted(true);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- confinement ------------------------------------------------------ */

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#define LL_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)

static int add_path(int ruleset, const char *path, uint64_t access)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1; /* a directory this system lacks */
	struct landlock_path_beneath_attr pb = { .allowed_access = access, .parent_fd = fd };
	int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	if (rc < 0 && errno == EINVAL) {
		/* A file (not a directory) takes file rights only. */
		pb.allowed_access = access & (LANDLOCK_ACCESS_FS_READ_FILE |
					      LANDLOCK_ACCESS_FS_WRITE_FILE |
					      LANDLOCK_ACCESS_FS_TRUNCATE);
		rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	}
	close(fd);
	return rc;
}

/* Landlock: every file right is handled (denied unless a rule gives it);
 * the scratch directory gets them all, the system's libraries and
 * configuration and READ_DIR can be read. The exercise files are in none
 * of these. */
static int landlock_confine(const char *scratch, const char *read_dir, char *why, size_t len)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		snprintf(why, len, "Landlock is not available (%s)", strerror(errno));
		return -1;
	}
	uint64_t all = (1ULL << 13) - 1; /* the rights of ABI 1 */
	if (abi >= 2)
		all |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		all |= LANDLOCK_ACCESS_FS_TRUNCATE;
	struct landlock_ruleset_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.handled_access_fs = all;
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (rs < 0) {
		snprintf(why, len, "Landlock: %s", strerror(errno));
		return -1;
	}
	static const char *const system_read[] = {
		"/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32", "/etc",
		"/proc", "/sys", "/usr/share/zoneinfo", "/usr/share/locale",
		"/usr/share/ca-certificates", "/dev/urandom", "/dev/random",
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof system_read / sizeof system_read[0] && rc == 0; i++)
		rc = add_path(rs, system_read[i], LL_READ);
	if (rc == 0)
		rc = add_path(rs, "/dev/null", LL_READ | LANDLOCK_ACCESS_FS_WRITE_FILE);
	if (rc == 0 && read_dir)
		rc = add_path(rs, read_dir, LL_READ);
	if (rc == 0)
		rc = add_path(rs, scratch, all & ~LANDLOCK_ACCESS_FS_EXECUTE);
	if (rc == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		rc = -1;
	if (rc == 0)
		rc = (int)syscall(SYS_landlock_restrict_self, rs, 0);
	if (rc < 0)
		snprintf(why, len, "Landlock: %s", strerror(errno));
	close(rs);
	return rc;
}

#if defined(__x86_64__)
#define GRADE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define GRADE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* seccomp: execve and execveat fail with EPERM, so no command can run a
 * program, whatever it tries. */
static int no_exec(char *why, size_t len)
{
#ifdef GRADE_AUDIT_ARCH
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, GRADE_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execve, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		snprintf(why, len, "seccomp: %s", strerror(errno));
		return -1;
	}
	return 0;
#else
	snprintf(why, len, "seccomp: no filter for this architecture");
	return -1;
#endif
}

int grade_confine(const char *scratch, const char *read_dir, char *why, size_t len)
{
	int took = 0;
	char a[256] = "", b[256] = "";
	if (landlock_confine(scratch, read_dir, a, sizeof a) == 0)
		took++;
	if (no_exec(b, sizeof b) == 0)
		took++;
	snprintf(why, len, "%s%s%s", a, *a && *b ? "; " : "", b);
	return took;
}

/* ---- running the solution ------------------------------------------------ */

static void arm_time_limit(unsigned seconds)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_time_limit; /* no SA_RESTART: a wait in poll returns */
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { .it_value = { .tv_sec = seconds } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_time_limit(void)
{
	struct itimerval it = { 0 };
	setitimer(ITIMER_REAL, &it, NULL);
	ww_repl_set_interrupted(false);
}

static void run_solution(struct ww_shell *sh, const struct grade_solution *sol)
{
	for (size_t i = 0; i < sol->n && !timed_out && !sh->quit; i++) {
		if (snprintf(sh->where, sizeof sh->where, "%s:%u: ", sol->name, sol->lineno[i]) >=
		    (int)sizeof sh->where)
			memcpy(sh->where + sizeof sh->where - 6, "...: ", 6);
		ww_shell_exec(sh, sol->lines[i]);
	}
	sh->where[0] = '\0';
}

/* The solution's error messages, as notes: at most GRADE_NOTES_MAX bytes,
 * cut at a line. */
static void take_notes(struct ww_grade_result *r, const char *errors, size_t n)
{
	if (!n)
		return;
	size_t keep = n;
	bool cut = false;
	if (keep > GRADE_NOTES_MAX) {
		keep = GRADE_NOTES_MAX;
		while (keep > 0 && errors[keep - 1] != '\n')
			keep--;
		cut = true;
	}
	r->notes = malloc(keep + 64);
	if (!r->notes)
		return;
	memcpy(r->notes, errors, keep);
	snprintf(r->notes + keep, 64, "%s", cut ? "(more errors left out)\n" : "");
}

static int fail(const char *fmt, const char *what)
{
	fputs("wirewalk grade: ", stderr);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	return 3;
}

static int judge(struct ww_shell *sh, const struct grade_job *job, unsigned since, double secs,
		 const char *errors, size_t nerrors)
{
	struct ww_session *s = ww_shell_session_running(sh);
	struct ww_vars vars;
	shell_vars(sh, &vars);
	struct ww_lesson_evidence ev = { .session = s, .since = since, .vars = &vars, .ctx = sh };
	struct ww_grade_frames frames;
	if (ww_grade_frames_gather(s, since, &frames) < 0)
		return fail("%s", "out of memory gathering the evidence");
	struct ww_grade_result r;
	memset(&r, 0, sizeof r);
	int rc = ww_grade_evaluate(job->lesson, &ev, &frames, &r);
	size_t reflected = frames.reflected;
	ww_grade_frames_free(&frames);
	if (rc < 0) {
		ww_grade_result_free(&r);
		return fail("%s", "out of memory judging the tasks");
	}
	r.seconds = secs;
	r.time_limit_s = job->time_limit_s;
	r.timed_out = timed_out;
	take_notes(&r, errors, nerrors);
	if (reflected)
		ww_grade_note(&r, "%zu received frame%s were our own datagrams sent back by a router "
			      "(forged sources): they do not count", reflected,
			      reflected == 1 ? "" : "s");
	FILE *out = fdopen(job->result_fd, "w");
	rc = out && ww_grade_result_write(out, &r) == 0 ? 0 : fail("%s", "the grade could not be sent");
	if (out)
		fclose(out);
	ww_grade_result_free(&r);
	return rc;
}

int grade_child(const struct grade_job *job)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/output.log", job->scratch);
	FILE *log = fopen(path, "w");
	char *errors = NULL;
	size_t nerrors = 0;
	FILE *err = open_memstream(&errors, &nerrors);
	struct ww_shell sh;
	if (!log || !err || ww_shell_init(&sh, log, err) < 0)
		return fail("%s", "cannot set up the solution's shell: out of memory or no scratch directory");
	sh.color_mode = WW_COLOR_OFF;
	sh.keep_going = true; /* graded on everything it did, not up to its first failure */
	sh.capture_keep_frames = WW_KEEP_ALL_FRAMES;
	sh.capture_keep_bytes = GRADE_KEEP_BYTES;
	struct ww_session_opts o = { .lab = job->lab };
	if (ww_live_configure(&sh, &o) < 0 || ww_live_start(&sh) < 0)
		return fail("cannot open the session in the lab: %s",
			    ww_live_error(&sh) ? ww_live_error(&sh) : "out of memory");
	struct ww_session *s = ww_shell_session_running(&sh);
	char labdir[256], why[600];
	ww_lab_dir(labdir, sizeof labdir, job->lab);
	if (chdir(job->scratch) < 0)
		return fail("cannot enter the scratch directory: %s", strerror(errno));
	if (grade_confine(job->scratch, labdir, why, sizeof why) < 2)
		fprintf(log, "grade: confinement partial: %s\n", why);
	sh.restricted = true;

	unsigned since = ww_lesson_mark(s);
	double t0 = now_s();
	arm_time_limit(job->time_limit_s);
	run_solution(&sh, job->solution);
	disarm_time_limit();
	double secs = now_s() - t0;
	/* Answers to the last frames sent are still on their way. */
	uint64_t settle = ww_session_now(s) + (uint64_t)(job->settle_s * 1e9);
	ww_session_until(s, NULL, NULL, settle);

	fflush(err);
	int rc = judge(&sh, job, since, secs, errors, nerrors);
	fclose(log);
	ww_shell_free(&sh);
	fclose(err);
	free(errors);
	return rc;
}
