/* Host commands and namespaces. The only place in wirewalk that runs other
 * programs: fork, setns into the host's namespace when asked, exec with an
 * argument vector (never a shell), and the failing command's stderr in the
 * error message. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab_int.h"

static void argv_join(const char *const argv[], char *out, size_t len)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; argv[i] && n + 1 < len; i++) {
		int w = snprintf(out + n, len - n, "%s%s", i ? " " : "", argv[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (n >= len && len > 4)
		memcpy(out + len - 4, "...", 4);
}

int lab_ns_open(struct lab *l, int host)
{
	char path[LAB_PATH_MAX];
	if (ww_lab_netns_path(path, sizeof path, l->name, (enum ww_lab_host)host) < 0)
		return lab_fail(l, "lab %s: no such host %d", l->name, host);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lab_fail(l, "cannot open %s: %s", path, strerror(errno));
	return fd;
}

bool lab_ns_exists(const struct lab *l, int host)
{
	char path[LAB_PATH_MAX];
	struct stat st;
	if (ww_lab_netns_path(path, sizeof path, l->name, (enum ww_lab_host)host) < 0)
		return false;
	return stat(path, &st) == 0;
}

int lab_ns_enter(struct lab *l, int host, int *saved)
{
	*saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*saved < 0)
		return lab_fail(l, "cannot open /proc/self/ns/net: %s", strerror(errno));
	int fd = lab_ns_open(l, host);
	if (fd < 0) {
		close(*saved);
		return -1;
	}
	int r = setns(fd, CLONE_NEWNET);
	int e = errno;
	close(fd);
	if (r < 0) {
		close(*saved);
		return lab_fail(l, "cannot enter namespace of %s: %s", ww_lab_host_name((enum ww_lab_host)host), strerror(e));
	}
	return 0;
}

void lab_ns_leave(int saved)
{
	if (saved < 0)
		return;
	/* Cannot fail for a namespace we were in a moment ago with the same
	 * privileges; if it did, staying in the lab's namespace is the safe
	 * side (nothing there reaches the real network). */
	if (setns(saved, CLONE_NEWNET) < 0)
		perror("wirewalk: setns back to the caller's namespace");
	close(saved);
}

static void child_say(const char *a, const char *b)
{
	if (write(2, a, strlen(a)) < 0 || write(2, b, strlen(b)) < 0)
		return;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_setup(int nsfd, int out_fd, int err_fd)
{
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0)
		dup2(null, 0);
	dup2(out_fd >= 0 ? out_fd : null, 1);
	dup2(err_fd >= 0 ? err_fd : null, 2);
	if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0) {
		child_say("cannot enter the namespace: ", strerror(errno));
		_exit(126);
	}
	/* The caller may hold a packet socket or a terminal: the command gets
	 * none of it. */
	close_range(3, ~0U, 0);
}

/* Programs come from the system's directories, never from PATH: the lab
 * runs as root, and a PATH entry others can write would run as root too. */
static const char *const sys_dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin" };

static int find_program(struct lab *l, const char *name, char *out, size_t len)
{
	for (size_t i = 0; i < sizeof sys_dirs / sizeof sys_dirs[0]; i++) {
		snprintf(out, len, "%s/%s", sys_dirs[i], name);
		if (access(out, X_OK) == 0)
			return 0;
	}
	return lab_fail(l, "`%s` is not installed (looked in /usr/sbin, /usr/bin, /sbin, /bin): "
			"`make deps` installs what the lab needs", name);
}

/* fork + exec; the child's stdout goes to OUT_FD (or /dev/null) and its
 * stderr to ERR_FD. Returns the child's pid or -1. */
static pid_t spawn(struct lab *l, int host, const char *const argv[], int out_fd, int err_fd)
{
	int nsfd = -1;
	char prog[LAB_PATH_MAX];
	if (find_program(l, argv[0], prog, sizeof prog) < 0)
		return -1;
	if (host >= 0 && (nsfd = lab_ns_open(l, host)) < 0)
		return -1;
	if (l->verbose) {
		char cmd[512];
		argv_join(argv, cmd, sizeof cmd);
		printf("  [%s] %s\n", host >= 0 ? ww_lab_host_name((enum ww_lab_host)host) : "host", cmd);
		fflush(stdout);
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		if (nsfd >= 0)
			close(nsfd);
		return lab_fail(l, "fork: %s", strerror(e));
	}
	if (pid == 0) {
		child_setup(nsfd, out_fd, err_fd);
		execv(prog, (char *const *)argv);
		/* Shows up as the command's stderr in the parent's message. */
		child_say("cannot execute: ", strerror(errno));
		_exit(127);
	}
	if (nsfd >= 0)
		close(nsfd);
	return pid;
}

/* A caller that ignores SIGCHLD gets its children reaped by the kernel,
 * and waitpid could not tell how a command ended: default it meanwhile. */
static void chld_default(struct sigaction *old)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, old);
}

static void chld_restore(const struct sigaction *old) { sigaction(SIGCHLD, old, NULL); }

static int wait_status(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

static int fail_cmd(struct lab *l, int host, const char *const argv[], int st, const char *stderr_text)
{
	char cmd[512], why[64];
	argv_join(argv, cmd, sizeof cmd);
	if (st < 0)
		snprintf(why, sizeof why, "could not be waited for");
	else if (WIFEXITED(st))
		snprintf(why, sizeof why, "exit %d", WEXITSTATUS(st));
	else
		snprintf(why, sizeof why, "killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	size_t n = strlen(stderr_text);
	while (n && (stderr_text[n - 1] == '\n' || stderr_text[n - 1] == ' '))
		n--;
	return lab_fail(l, "`%s`%s%s failed (%s)%s%.*s", cmd, host >= 0 ? " in " : "",
			host >= 0 ? ww_lab_host_name((enum ww_lab_host)host) : "", why, n ? ": " : "", (int)n, stderr_text);
}

int lab_run(struct lab *l, int host, const char *const argv[])
{
	int p[2];
	struct sigaction old;
	if (pipe2(p, O_CLOEXEC) < 0)
		return lab_fail(l, "pipe: %s", strerror(errno));
	chld_default(&old);
	pid_t pid = spawn(l, host, argv, -1, p[1]);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		chld_restore(&old);
		return -1;
	}
	/* Keep the first part of stderr; read the rest to let the command end. */
	char text[1024], sink[512];
	size_t n = 0;
	for (;;) {
		ssize_t r = n + 1 < sizeof text ? read(p[0], text + n, sizeof text - 1 - n) : read(p[0], sink, sizeof sink);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n + 1 < sizeof text)
			n += (size_t)r;
	}
	text[n] = '\0';
	close(p[0]);
	int st = wait_status(pid);
	chld_restore(&old);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return fail_cmd(l, host, argv, st, text);
	return 0;
}

int lab_run_output(struct lab *l, int host, const char *const argv[], char *out, size_t len)
{
	int p[2];
	struct sigaction old;
	out[0] = '\0';
	if (pipe2(p, O_CLOEXEC) < 0)
		return lab_fail(l, "pipe: %s", strerror(errno));
	chld_default(&old);
	pid_t pid = spawn(l, host, argv, p[1], -1);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		chld_restore(&old);
		return -1;
	}
	char sink[512];
	size_t n = 0;
	for (;;) {
		ssize_t r = n + 1 < len ? read(p[0], out + n, len - 1 - n) : read(p[0], sink, sizeof sink);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n + 1 < len)
			n += (size_t)r;
	}
	out[n] = '\0';
	close(p[0]);
	int st = wait_status(pid);
	chld_restore(&old);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return fail_cmd(l, host, argv, st, "");
	return 0;
}

int lab_start_daemon(struct lab *l, int host, const char *const argv[], const char *log)
{
	char path[LAB_PATH_MAX];
	/* A file, not a pipe: the server keeps its stderr open after it goes
	 * to the background, and a pipe would never reach end of file. */
	int fd = open(lab_path(l, path, log), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return lab_fail(l, "cannot create %s: %s", path, strerror(errno));
	struct sigaction old;
	chld_default(&old);
	pid_t pid = spawn(l, host, argv, fd, fd);
	close(fd);
	int st = pid < 0 ? -1 : wait_status(pid);
	chld_restore(&old);
	if (pid < 0)
		return -1;
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	char text[1024] = "";
	FILE *f = fopen(path, "r");
	if (f) {
		size_t n = fread(text, 1, sizeof text - 1, f);
		text[n] = '\0';
		fclose(f);
	}
	return fail_cmd(l, host, argv, st, text);
}

static bool same_netns(pid_t pid, const struct stat *ns)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	return stat(path, &st) == 0 && st.st_dev == ns->st_dev && st.st_ino == ns->st_ino;
}

/* Calls MATCH for every process but this one; collects those it accepts. */
static int scan_pids(bool (*match)(pid_t, const void *), const void *arg, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	int n = 0;
	pid_t self = getpid();
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		char *end;
		long v = strtol(e->d_name, &end, 10);
		if (*end || v <= 0 || (pid_t)v == self)
			continue;
		if (match((pid_t)v, arg))
			pids[n++] = (pid_t)v;
	}
	closedir(d);
	return n;
}

/* Reads /proc/PID/FILE into BUF (NULs of cmdline made spaces). */
static bool proc_read(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return false;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return true;
}

struct ns_match {
	struct stat ns;
	const char *needle, *comm;
};

static bool match_ns(pid_t pid, const void *arg)
{
	const struct ns_match *m = arg;
	if (!same_netns(pid, &m->ns))
		return false;
	if (!m->needle && !m->comm)
		return true;
	char buf[4096];
	if (m->needle && proc_read(pid, "cmdline", buf, sizeof buf) && strstr(buf, m->needle))
		return true;
	return m->comm && proc_read(pid, "comm", buf, sizeof buf) && !strcmp(buf, m->comm);
}

int lab_ns_pids(const struct lab *l, int host, const char *needle, const char *comm, pid_t *pids, int max)
{
	char path[LAB_PATH_MAX];
	struct ns_match m = { .needle = needle, .comm = comm };
	if (ww_lab_netns_path(path, sizeof path, l->name, (enum ww_lab_host)host) < 0 || stat(path, &m.ns) < 0)
		return 0;
	return scan_pids(match_ns, &m, pids, max);
}

/* Does /proc/PID/cmdline contain the lab dir followed by '/'? */
static bool match_cmdline(pid_t pid, const void *arg)
{
	char buf[4096], needle[LAB_PATH_MAX + 1];
	snprintf(needle, sizeof needle, "%s/", (const char *)arg);
	return proc_read(pid, "cmdline", buf, sizeof buf) && strstr(buf, needle) != NULL;
}

int lab_dir_pids(const struct lab *l, pid_t *pids, int max)
{
	return scan_pids(match_cmdline, l->dir, pids, max);
}

/* Gone, or a zombie waiting for a parent that may never reap it. */
static bool pid_gone(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	return !p || p[1] == '\0' || p[2] == 'Z' || p[2] == 'X';
}

void lab_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void lab_kill(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	for (int round = 0; round < 100; round++) { /* up to 1 s */
		bool all = true;
		for (int i = 0; i < n; i++)
			if (!pid_gone(pids[i]))
				all = false;
		if (all)
			return;
		lab_sleep_ms(10);
	}
	for (int i = 0; i < n; i++)
		if (!pid_gone(pids[i]))
			kill(pids[i], SIGKILL);
	for (int round = 0; round < 50; round++) {
		bool all = true;
		for (int i = 0; i < n; i++)
			if (!pid_gone(pids[i]))
				all = false;
		if (all)
			return;
		lab_sleep_ms(10);
	}
}

pid_t lab_pidfile_alive(const struct lab *l, int host, const char *rel)
{
	char path[LAB_PATH_MAX], ns[LAB_PATH_MAX], buf[32];
	struct stat nst;
	FILE *f = fopen(lab_path(l, path, rel), "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	long v = strtol(buf, NULL, 10);
	if (v <= 0 || ww_lab_netns_path(ns, sizeof ns, l->name, (enum ww_lab_host)host) < 0 || stat(ns, &nst) < 0)
		return 0;
	if (pid_gone((pid_t)v) || !same_netns((pid_t)v, &nst))
		return 0;
	return (pid_t)v;
}
