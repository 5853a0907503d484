/* Lessons and exercises: the file format, and checks over the evidence.
 *
 * A lesson is Markdown (lessons/NN-name.md); an exercise is the same
 * format (lessons/exercises/NN-name.md). The runner (`lesson`, `wirewalk
 * lesson FILE --auto`) and the grader (`exercise`, `wirewalk grade`) share
 * this one parser and this one evaluator, so a check means the same thing
 * in both.
 *
 *   # 06 · The TCP handshake        the first `# ` line: the title
 *   Minutes: 15                     metadata right after the title
 *   Time limit: 60 s                (exercises; "60", "60 s", "2 min")
 *   Prose ...                       shown to the person, paged
 *   ## A section                    each `## ` heading starts a new step
 *   ```wirewalk                     commands, one per line, run when the
 *   tcp connect www.example.com 80  step is shown in --auto, or typed
 *   ```
 *   ```task syn                     a task with an id (a-z0-9-)
 *   Do: Send a SYN by hand ...      what to do (continuation lines that
 *                                   do not start with a key join it)
 *   Points: 2                       exercises (default 1)
 *   Hint: Use sr1 ...               one or more, given in order
 *   Solution: sr1 ip(...)/tcp(...)  the reference solution, run in order
 *   Check: sent tcp.flags == S and tcp.seq == 1000
 *   Feedback: The SYN must ...      belongs to the check before it
 *   Check: no received tcp.flags & R
 *   Check: state tcp.state[192.0.2.10:80] == ESTABLISHED
 *   ```
 *
 * Check kinds:
 *   sent FILTER       some frame we sent since the task started matches
 *   received FILTER   some frame received since the task started matches
 *   state NAME[KEY] OP VALUE   the live stack's state (see below)
 *   state NAME[KEY]   there is such an entry at all
 * `no` before the kind negates the check: `no sent tcp.flags & R` passes
 * when no frame sent matches. FILTER is the sniff filter language
 * (ww/filter.h); it is parsed when the file is loaded, so a bad field name
 * is refused with its line, and parsed again when the check runs, so
 * $reply and $last mean the frames of that moment.
 *
 * A malformed file is refused as a whole with "FILE:LINE: reason": a
 * missing title, an unclosed ``` block, a line in a task that is neither
 * one of the keys above nor the continuation of a Do:, Hint: or Feedback:
 * (an unknown "Word:" is refused as a key; blank lines may separate keys), a task without an id or with a bad
 * or repeated one, a task without Do: or without Check:, an unknown key in
 * a task, Feedback: before any Check:, an unknown check kind, a filter
 * that does not parse (the filter's own message: "unknown field
 * 'tcp.flgs'; did you mean 'tcp.flags'?"), an unknown state name or
 * operator, a bad number in Points:, Minutes: or Time limit:.
 */
#ifndef WW_LESSON_H
#define WW_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ww_session;
struct ww_packet;
struct ww_vars;

/* ---- the parsed file ---------------------------------------------------- */

#define WW_LESSON_ID_MAX 32    /* task ids: 1..31 of a-z 0-9 - */
#define WW_LESSON_MAX_BYTES (1024u * 1024u) /* a larger file is refused */

enum ww_lesson_check_kind {
	WW_LESSON_SENT,     /* sent FILTER */
	WW_LESSON_RECEIVED, /* received FILTER */
	WW_LESSON_STATE,    /* state NAME[KEY] OP VALUE */
};

/* Operators of a state check. */
enum ww_lesson_op {
	WW_LESSON_OP_PRESENT, /* no operator: there is an entry */
	WW_LESSON_OP_EQ, WW_LESSON_OP_NE, WW_LESSON_OP_LT, WW_LESSON_OP_LE,
	WW_LESSON_OP_GT, WW_LESSON_OP_GE, WW_LESSON_OP_CONTAINS,
};

struct ww_lesson_check {
	enum ww_lesson_check_kind kind;
	bool negated;          /* `no sent ...` */
	char *text;            /* after the kind: the filter, or "NAME[KEY] OP VALUE" */
	char *feedback;        /* the Feedback: line after it, or NULL */
	unsigned line;         /* of the Check: line, 1-based */
	/* WW_LESSON_STATE only: the parts of TEXT. */
	char *state_name;      /* "tcp.state" */
	char *state_key;       /* "192.0.2.10:80", or NULL: any entry */
	enum ww_lesson_op op;
	char *state_value;     /* quotes taken off; NULL with OP_PRESENT */
};

struct ww_lesson_task {
	char id[WW_LESSON_ID_MAX];
	char *do_text;         /* Do: (continuation lines joined with a blank) */
	unsigned points;       /* Points:, default 1 */
	char **hints;          /* Hint: lines in order */
	size_t nhints;
	char **solution;       /* Solution: lines in order, shell commands */
	unsigned *solution_lines; /* the line of each */
	size_t nsolution;
	struct ww_lesson_check *checks;
	size_t nchecks;
	unsigned line;         /* of the ```task line */
	size_t step;           /* the step it is in */
};

/* The pieces of a step, in the order the file has them. */
enum ww_lesson_part_kind {
	WW_LESSON_PROSE,       /* text: Markdown as written (fenced blocks of
				* other languages included), no heading */
	WW_LESSON_COMMANDS,    /* a ```wirewalk block: text is its lines, each
				* trimmed, blank ones kept empty (the K-th
				* line, from 0, is line `line` + K) */
	WW_LESSON_TASK,        /* a ```task block: task is its index */
};

struct ww_lesson_part {
	enum ww_lesson_part_kind kind;
	char *text;            /* PROSE, COMMANDS ('\n'-separated) */
	size_t task;           /* TASK */
	unsigned line;         /* where it starts (COMMANDS: the line after ```) */
};

struct ww_lesson_step {
	char *title;           /* the `## ` heading; the lesson's title for the
				* prose before the first heading */
	unsigned line;         /* of the heading (of the title for step 0) */
	struct ww_lesson_part *parts;
	size_t nparts;
};

struct ww_lesson {
	char *path;            /* as given (the buffer's NAME) */
	char *title;           /* "06 · The TCP handshake" */
	unsigned minutes;      /* Minutes:, 0 when not given */
	unsigned time_limit_s; /* Time limit:, 0 when none */
	struct ww_lesson_step *steps; /* at least one */
	size_t nsteps;
	struct ww_lesson_task *tasks; /* every task of every step, in file order */
	size_t ntasks;
};

/* Read and parse PATH. 0 with *OUT set (free with ww_lesson_free), or -1
 * with ERR = "PATH:LINE: reason" (or "PATH: reason" when the file cannot
 * be read) and *OUT NULL. Nothing is run. */
int ww_lesson_parse(const char *path, struct ww_lesson **out, char *err, size_t errlen);
/* The same over TEXT (LEN bytes, need not be NUL-terminated; NUL bytes
 * are refused), NAME standing for the file in messages and in ->path. */
int ww_lesson_parse_buffer(const char *name, const char *text, size_t len,
			   struct ww_lesson **out, char *err, size_t errlen);
void ww_lesson_free(struct ww_lesson *l);

/* The task called ID, or NULL. */
const struct ww_lesson_task *ww_lesson_task_find(const struct ww_lesson *l, const char *id);
/* Points of every task added up. */
unsigned ww_lesson_max_points(const struct ww_lesson *l);
/* A check as written after "Check: ": "no sent tcp.flags & R". */
void ww_lesson_check_text(const struct ww_lesson_check *c, char *out, size_t len);

/* ---- the evidence ------------------------------------------------------- */

/* What checks look at. Live: the session's packet list from frame number
 * SINCE on (ww_lesson_mark gives the number the next frame will get) and
 * the stack's state. Offline (unit tests, a capture): SESSION NULL, the
 * FRAMES given, and state checks fail with "no live session". */
struct ww_lesson_evidence {
	struct ww_session *session;
	unsigned since;                 /* first packet number that counts */
	const struct ww_packet *frames; /* with SESSION NULL: these, in order */
	size_t nframes;
	const struct ww_vars *vars;     /* $reply, $last in filters; NULL: none */
	void *ctx;                      /* for state providers: the shell passes
					 * its struct ww_shell */
	uint64_t now_ns;                /* the clock for TTLs left; 0: the session's */
};

/* The number the next frame of S will get: evidence from here on belongs
 * to what happens next (a task starting). 1 when S is NULL. */
unsigned ww_lesson_mark(const struct ww_session *s);

/* ---- checks ------------------------------------------------------------- */

#define WW_LESSON_DETAIL_MAX 512

struct ww_lesson_result {
	const struct ww_lesson_check *check;
	bool pass;
	unsigned frame_no;    /* sent/received: the frame that matched (or, for a
			       * failure, the nearest miss), 0 when none */
	/* A failure: what differs, for a person, e.g.
	 *   expected tcp.flags == S (SYN), saw 0x010 (ACK) in $14
	 *   expected a frame sent with tcp.flags == S; none was sent
	 *   expected tcp.state[192.0.2.10:80] == ESTABLISHED, saw SYN-SENT
	 *   expected no frame received with tcp.flags & R, saw $21: SUMMARY
	 * A pass: what satisfied it ("$12 sent matches",
	 * "tcp.state[192.0.2.10:80] is ESTABLISHED"). */
	char detail[WW_LESSON_DETAIL_MAX];
};

/* Evaluate check C over EV into R. 0, or -1 when it could not be evaluated
 * at all (out of memory, a filter variable that names no frame): then R
 * says why and counts as a failure. */
int ww_lesson_check_one(const struct ww_lesson_check *c, const struct ww_lesson_evidence *ev,
			struct ww_lesson_result *r);
/* Every check of T, into RES[0 .. T->nchecks). Returns how many failed. */
size_t ww_lesson_check_task(const struct ww_lesson_task *t, const struct ww_lesson_evidence *ev,
			    struct ww_lesson_result *res);

/* ---- the stack's state, by name ----------------------------------------
 * A state provider lists entries: a key (which thing: "192.0.2.10:80")
 * and a value ("ESTABLISHED"). `state NAME OP VALUE` passes when some
 * entry's value satisfies OP VALUE; with [KEY] only entries whose key is
 * KEY, or starts with KEY followed by ':' (tcp.state[192.0.2.10] is every
 * connection to that host), count. != passes when there is an entry and
 * none equals VALUE (as filters treat a field that occurs twice). Values
 * compare as numbers when both are numbers, else as text without regard
 * to case; < <= > >= need numbers; contains looks for VALUE in the text.
 *
 * Built in (src/teach/lesson_state.c):
 *   arp.cache   key IP, value its MAC: reachable and stale entries
 *   arp.state   key IP, value incomplete, reachable or stale
 *   tcp.state   key PEER-IP:PORT, value ESTABLISHED, SYN-SENT, ...
 *   tcp.count   key "", value the number of connections (not CLOSED)
 *   dns.cache   key NAME (no trailing dot), value each record's data
 *               ("192.0.2.10", "example.com" for a CNAME), NXDOMAIN, NODATA
 *   dns.ttl     key NAME, value the seconds left
 *   route       key DEST/PREFIX, value the gateway ("on-link" when none)
 * Known, filled by their modules through ww_lesson_state_register:
 *   tls.version key PEER-IP:PORT, value "TLS 1.3"
 *   http.status key the URL, value the status code
 * A name with no provider yet parses, and its check fails saying so. */

#define WW_LESSON_STATE_MAX_ENTRIES 256
#define WW_LESSON_STATE_KEY_MAX 96
#define WW_LESSON_STATE_VALUE_MAX 128

struct ww_lesson_state_entry {
	char key[WW_LESSON_STATE_KEY_MAX];
	char value[WW_LESSON_STATE_VALUE_MAX];
};

struct ww_lesson_state_values {
	size_t n;
	bool truncated; /* more entries than fit */
	struct ww_lesson_state_entry e[WW_LESSON_STATE_MAX_ENTRIES];
};

/* Add an entry (printf-style value); silently marks TRUNCATED when full. */
void ww_lesson_state_add(struct ww_lesson_state_values *out, const char *key, const char *fmt,
			 ...) __attribute__((format(printf, 3, 4)));

/* Fill OUT with NAME's entries now. 0, or -1 with ERR saying why none can
 * be had ("no live session", "no TCP on this session"). */
typedef int (*ww_lesson_state_fn)(const struct ww_lesson_evidence *ev,
				  struct ww_lesson_state_values *out, char *err, size_t errlen);

struct ww_lesson_state {
	const char *name;
	const char *help;      /* one line: what the entries are */
	ww_lesson_state_fn fn; /* NULL: known, no provider yet */
};

/* Give NAME a provider (a known name without one, or a new name: up to 16
 * new ones). Call before lessons are parsed, so the parser knows the name.
 * NAME and HELP must outlive the program (string literals). 0, or -1 when
 * the table is full or NAME is not of the form word.word. */
int ww_lesson_state_register(const char *name, const char *help, ww_lesson_state_fn fn);
/* The state called NAME (LEN bytes), or NULL. */
const struct ww_lesson_state *ww_lesson_state_find(const char *name, size_t len);
/* The I-th known state, NULL past the last (for help and completion). */
const struct ww_lesson_state *ww_lesson_state_at(size_t i);

#endif
