/* What the lesson commands (cmd_lesson.c) share with the player that
 * runs a lesson without a person (cmd_lesson_auto.c) and with the
 * progress file (cmd_lesson_progress.c). */
#ifndef WW_CMD_LESSON_INT_H
#define WW_CMD_LESSON_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ww/expr.h"
#include "ww/lesson.h"
#include "ww/shell.h"

/* The lesson a person follows in the shell. */
struct ww_lesson_run {
	struct ww_lesson *l;
	char name[128];   /* the progress key: the file's name without .md */
	size_t step;      /* the step shown */
	bool *done;       /* per task: its checks passed */
	unsigned *hints;  /* per task: hints given so far */
	unsigned *mark;   /* per task: the first frame that counts for it */
};

/* The evidence for checks from frame SINCE on, in SH's live session (if
 * it runs), with $reply and $last; VARS is filled for it. */
void lesson_evidence(struct ww_shell *sh, unsigned since, struct ww_lesson_evidence *ev,
		     struct ww_vars *vars);
/* The number the next frame will get (1 before the session starts). */
unsigned lesson_mark_now(struct ww_shell *sh);
/* Print one result: "  ✓ CHECK — detail", or with ✗ and, for a failure,
 * the check's Feedback: when FEEDBACK. */
void lesson_print_result(FILE *out, const struct ww_lesson_result *r, bool feedback);

/* ---- progress (cmd_lesson_progress.c) ---------------------------------
 * Kept per user in $XDG_DATA_HOME/wirewalk/progress (~/.local/share/...
 * when XDG_DATA_HOME is not set): one line per lesson, its name, the step
 * reached and the tasks done. */
struct lesson_progress {
	size_t step;
	char done[1024]; /* task ids done, separated by ',' */
};
/* NAME's progress: 1 when there is some, 0 when none (P zeroed). */
int lesson_progress_load(const char *name, struct lesson_progress *p);
/* Save NAME's progress (P NULL: forget it). 0, or -1 with ERR. */
int lesson_progress_save(const char *name, const struct lesson_progress *p, char *err,
			 size_t errlen);
/* Is ID in the list DONE? */
bool lesson_progress_has(const char *done, const char *id);

/* ---- finding lessons ---------------------------------------------------- */

/* The lessons directory: $WIREWALK_LESSONS, lessons/ next to the program
 * (or one level up, for a build directory), then the installed share
 * directory. 0 with OUT set, or -1 when there is none. */
int lesson_dir(char *out, size_t n);
/* NAME as a lesson file: a path (has a '/' or ends in .md), a number
 * ("3", "03"), a file name ("03-arp"), or the part after the number
 * ("arp"). 0 with PATH set, or -1 with ERR for a person. */
int lesson_resolve(const char *name, char *path, size_t n, char *err, size_t errlen);
/* The progress key of PATH: its file name without directory or .md. */
void lesson_key(const char *path, char *key, size_t n);

#endif
