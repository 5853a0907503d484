/* Graded exercises: what a grade is made of, and the forms it is given in.
 *
 * An exercise is a lesson file (ww/lesson.h) whose tasks carry points. A
 * grade comes only from evidence: the frames that went over the link and
 * the stack's state, checked by the lesson evaluator. What a solution
 * prints never counts.
 *
 * The same result is shown three ways: a table for a person (`exercise
 * submit`, `wirewalk grade`), Gradescope's results.json, and TAP 14. The
 * grader runs the solution in a child process that holds the session;
 * the result travels to the parent, which writes the reports, over a pipe
 * in a small line format (ww_grade_result_write / _read). */
#ifndef WW_GRADE_H
#define WW_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ww_lesson;
struct ww_lesson_evidence;
struct ww_packet;
struct ww_session;

/* One check of a task, as judged. */
struct ww_grade_check {
	bool pass;
	char *check;     /* as written after "Check: " */
	char *detail;    /* the evaluator's words: "expected ..., saw ..." */
	char *feedback;  /* the exercise's Feedback: for it, or NULL */
};

/* A task: all its checks pass, or it scores nothing. */
struct ww_grade_task {
	char *id;
	char *title;     /* the Do: line */
	unsigned points, score;
	struct ww_grade_check *checks;
	size_t nchecks;
};

struct ww_grade_result {
	char *title;          /* the exercise's */
	char *exercise;       /* its file */
	struct ww_grade_task *tasks;
	size_t ntasks;
	double seconds;       /* how long the solution ran */
	unsigned time_limit_s;
	bool timed_out;       /* the solution was stopped at the time limit */
	bool evidence_cut;    /* frames from the start were no longer kept */
	char *notes;          /* lines for the person: commands of the solution
			       * that failed or were refused; NULL when none */
};

unsigned ww_grade_score(const struct ww_grade_result *r);
unsigned ww_grade_max(const struct ww_grade_result *r);
void ww_grade_result_free(struct ww_grade_result *r);
/* Append a line to R->notes. */
void ww_grade_note(struct ww_grade_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- evidence -----------------------------------------------------------
 * The frames a grade may count: those of the packet list from SINCE on,
 * less our own datagrams coming back. The lab's router forwards a datagram
 * that arrives from the LAN for a LAN address back onto the LAN, so a
 * frame crafted with a forged source (192.0.2.10 "answering" us) would
 * come back to us as if received. A received IPv4 datagram that equals one
 * sent before it, but for the TTL and the header checksum the router
 * changed, is that: it is left out. */
struct ww_grade_frames {
	struct ww_packet *frames; /* copies of the headers; data points into the list */
	size_t n;
	size_t reflected;         /* received frames left out */
	bool cut;                 /* frames from SINCE on were no longer all kept */
};

/* Gather S's frames from SINCE. 0, or -1 out of memory. */
int ww_grade_frames_gather(struct ww_session *s, unsigned since, struct ww_grade_frames *out);
/* The same over FRAMES given (offline, for tests); they are copied. */
int ww_grade_frames_filter(const struct ww_packet *frames, size_t n, struct ww_grade_frames *out);
void ww_grade_frames_free(struct ww_grade_frames *f);
/* True when RX is TX come back through a router: the same IPv4 datagram
 * but for the TTL (one lower or more) and the header checksum. */
bool ww_grade_is_reflection(const uint8_t *tx, size_t txlen, const uint8_t *rx, size_t rxlen);

/* Judge every task of L. Frame checks (sent, received) look at FRAMES
 * only; state checks at EV's session. EV gives the session, $reply and
 * the clock. Fills R (title, tasks; not the times). 0, or -1 out of
 * memory. */
int ww_grade_evaluate(const struct ww_lesson *l, const struct ww_lesson_evidence *ev,
		      const struct ww_grade_frames *frames, struct ww_grade_result *r);

/* ---- reports ------------------------------------------------------------ */

/* The table: one row per task with its points, under each failed check
 * what was expected and what was seen, and the exercise's feedback. */
void ww_grade_print_table(FILE *out, const struct ww_grade_result *r, bool color);
/* Gradescope's results.json: score, max_score, execution_time, output,
 * tests[] {name, number, score, max_score, status, output, visibility}. */
void ww_grade_write_json(FILE *out, const struct ww_grade_result *r);
/* TAP 14: a test point per task, failed checks in a YAML block. */
void ww_grade_write_tap(FILE *out, const struct ww_grade_result *r);

/* ---- between the grader's processes --------------------------------------
 * One record per line, fields separated by tabs, text escaped (\\ \t \n). */
int ww_grade_result_write(FILE *out, const struct ww_grade_result *r);
/* Read what _write wrote. 0, or -1 with ERR (a truncated or garbled
 * stream: the child died). */
int ww_grade_result_read(FILE *in, struct ww_grade_result *r, char *err, size_t errlen);

/* ---- where exercises are ------------------------------------------------
 * NAME is a file (it has a '/' or ends in .md) or an exercise's name:
 * "handshake", "06-handshake" and "06" all find lessons/exercises/
 * 06-handshake.md. The directories looked in: $WIREWALK_EXERCISES, then
 * lessons/exercises beside the program and under the working directory,
 * then the installed share/wirewalk/lessons/exercises. */
int ww_grade_find_exercise(const char *name, char *path, size_t len, char *err, size_t errlen);
/* The first of those directories that exists, or NULL. */
const char *ww_grade_exercise_dir(char *buf, size_t len);

#endif
