/* The grader's child confines itself before a solution runs: after
 * grade_confine, in a child process of the test, a file outside the
 * scratch directory cannot be opened, not even to read, one inside it
 * can be written, the directory allowed for reading can be read, and no
 * program can be run. Where the kernel lacks Landlock or seccomp the test
 * says so and checks what is there. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/shell/cmd_grade_int.h"

static char base[256], scratch[300], readable[300], secret[300];

static void make_dirs(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(base, sizeof base, "%s/ww-confine-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	assert_non_null(mkdtemp(base));
	snprintf(scratch, sizeof scratch, "%s/scratch", base);
	snprintf(readable, sizeof readable, "%s/lab", base);
	snprintf(secret, sizeof secret, "%s/exercise.md", base);
	assert_int_equal(mkdir(scratch, 0700), 0);
	assert_int_equal(mkdir(readable, 0700), 0);
	char p[400];
	snprintf(p, sizeof p, "%s/ca.pem", readable);
	FILE *f = fopen(p, "w");
	fputs("ca\n", f);
	fclose(f);
	f = fopen(secret, "w");
	fputs("Check: sent arp\n", f);
	fclose(f);
}

static void remove_dirs(void)
{
	char p[400];
	snprintf(p, sizeof p, "%s/ca.pem", readable);
	unlink(p);
	snprintf(p, sizeof p, "%s/inside.txt", scratch);
	unlink(p);
	unlink(secret);
	rmdir(readable);
	rmdir(scratch);
	rmdir(base);
}

/* Exit codes of the confined child: 0 all as expected; else which
 * expectation failed. */
static int confined_child(void)
{
	char why[256], p[400];
	int took = grade_confine(scratch, readable, why, sizeof why);
	if (took < 2) {
		fprintf(stderr, "confinement partial: %s\n", why);
		return 10 + took;
	}
	if (open(secret, O_RDONLY) >= 0 || errno != EACCES)
		return 1; /* the exercise beside the scratch directory */
	snprintf(p, sizeof p, "%s/escaped.txt", base);
	if (open(p, O_WRONLY | O_CREAT, 0600) >= 0)
		return 2;
	snprintf(p, sizeof p, "%s/ca.pem", readable);
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return 3;
	close(fd);
	if (open(p, O_WRONLY) >= 0)
		return 4; /* readable, not writable */
	snprintf(p, sizeof p, "%s/inside.txt", scratch);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return 5;
	close(fd);
	char *argv[] = { "true", NULL };
	execv("/bin/true", argv);
	if (errno != EPERM)
		return 6;
	execv("/usr/bin/true", argv);
	return errno == EPERM ? 0 : 7;
}

static void confined(void **state)
{
	(void)state;
	make_dirs();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(confined_child());
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	remove_dirs();
	assert_true(WIFEXITED(status));
	int rc = WEXITSTATUS(status);
	if (rc >= 10) {
		/* No Landlock or seccomp here: nothing more can be checked. */
		print_message("confinement not available on this kernel (%d of 2 took)\n", rc - 10);
		skip();
	}
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(confined),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
