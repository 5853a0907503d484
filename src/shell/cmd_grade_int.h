/* What the grader's two halves share: the parent (cmd_grade.c) brings up
 * the lab and writes the reports; the child (cmd_grade_run.c) holds the
 * session, runs the solution confined, judges it and sends the grade. */
#ifndef WW_CMD_GRADE_INT_H
#define WW_CMD_GRADE_INT_H

#include <stdbool.h>
#include <stddef.h>

struct ww_lesson;

/* A solution: its command lines and where each came from. */
struct grade_solution {
	char *name;        /* for messages: the file, or "EXERCISE (reference)" */
	char **lines;
	unsigned *lineno;
	size_t n;
};

struct grade_job {
	const struct ww_lesson *lesson;
	const struct grade_solution *solution;
	const char *lab;         /* the lab, up already */
	const char *scratch;     /* the solution's working directory */
	unsigned time_limit_s;
	double settle_s;         /* the network runs this long after the solution */
	int result_fd;           /* where the grade is written */
};

/* In the child: run JOB, write the grade to JOB->result_fd. The process's
 * exit status: 0 when the grade was written, else 3 with the reason on
 * standard error. */
int grade_child(const struct grade_job *job);

/* Confine the calling process: files only under SCRATCH (read and
 * write) and, to read, the system's libraries and configuration and
 * READ_DIR (the lab's CA); no program can be run. Returns how many of the
 * two confinements took (Landlock, seccomp), with WHY naming any that
 * could not (an older kernel). */
int grade_confine(const char *scratch, const char *read_dir, char *why, size_t len);

#endif
