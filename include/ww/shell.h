/* The wirewalk shell: one command table drives dispatch, `help`, tab
 * completion and the suggestions for a mistyped name (after redis-cli's
 * command table). The same commands run typed at the prompt, from
 * `wirewalk -c 'CMD; CMD'`, from a script file, or from the program's own
 * command line (`wirewalk read FILE`). */
#ifndef WW_SHELL_H
#define WW_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ww/fault.h"
#include "ww/nearest.h"
#include "ww/tcpconn.h"
#include "ww/view.h"

#define WW_VERSION "0.1.0"

/* Exit statuses, also what every command returns. */
enum {
	WW_EXIT_OK = 0,
	WW_EXIT_FAIL = 1,  /* the command ran into bad input (a broken capture) */
	WW_EXIT_USAGE = 2, /* it could not run: wrong arguments, a file that cannot be opened */
};

/* A frame kept from the last capture read, for `show`. */
struct ww_kept_frame {
	unsigned frame_no;
	int64_t sec;
	uint32_t nsec, caplen, origlen;
	uint8_t *data;
};

struct ww_capture {
	char *path;
	struct ww_kept_frame *frames;
	size_t n, cap;
	char *error; /* why reading stopped early, or NULL */
};

struct ww_dissection;

struct ww_shell {
	FILE *out, *err;
	unsigned view;                 /* enum ww_view_set bits */
	enum ww_color_mode color_mode;
	bool json;                     /* one JSON line per frame instead of the views */
	bool keep_frames;              /* keep what `read` read, for `show` */
	bool quit;                     /* `quit` ran, or the input ended */
	bool keep_going;               /* batch modes: go on after a failed command */
	/* Where frames and other events print: the program's output, also
	 * while a command's own output is being captured (--json). */
	FILE *events;
	struct ww_live *live;          /* the live network (live.c), NULL until needed */
	/* Where the current command came from, put before every error:
	 * "wirewalk: " on the command line, "lesson.ww:3: " in a script,
	 * nothing at the prompt. */
	char where[256];
	struct ww_capture last;        /* the last capture read */
	struct ww_dissection *d;       /* reused for every frame: it is large */
	/* The command line being run, as typed: commands whose arguments are
	 * an expression (send, sr1, sniff) read it whole, quotes and all. */
	const char *line;
	/* Crafting (cmd_craft.c): $reply, and what a stack would choose for
	 * the fields a crafted frame leaves unset. */
	unsigned reply_no;             /* the packet the last sr1 got; 0: none yet */
	uint16_t sport;                /* source port of crafted segments; 0: none chosen yet */
	uint16_t ip_id;                /* identification of the next crafted datagram */
	/* What the live session takes when it starts, and at once while it
	 * runs (cmd_fault.c): `set fault`, `set capture.keep[_bytes]`. */
	struct ww_fault_config fault;  /* no chance above 0: off */
	unsigned capture_keep_frames;  /* WW_KEEP_ALL_FRAMES: all */
	size_t capture_keep_bytes;     /* WW_KEEP_ALL_BYTES: all */
	/* TCP (cmd_tcp.c): what `set tcp.*` chose (the session's TCP takes
	 * it when it starts, and at once while it runs), and the connection
	 * `tcp send` and the others act on (0: none yet). */
	struct ww_tcp_settings tcp;
	unsigned tcp_conn;
	/* The name `tcp connect` was given for it: HTTP's Host header. */
	char tcp_host[256];
	/* TLS (cmd_tls.c): `set tls.version` (0: 1.2 or 1.3; 12; 13), the
	 * --keylog file, the context every TLS connection of the shell
	 * shares (made on first use: ww_shell_tls_ctx) and the connection
	 * `tls connect` made (ww_shell_tls). */
	int tls_version;
	const char *tls_keylog;
	struct ww_tls_ctx *tls_ctx;
	struct ww_tls *tls;
	/* The browser's memory (cmd_fetch.c): hosts learned from
	 * Strict-Transport-Security, NULL until the first fetch. */
	struct ww_hsts *hsts;
	/* The lesson being followed (cmd_lesson.c), NULL when none. */
	struct ww_lesson_run *lesson;
	/* The exercise started with `exercise start` (cmd_exercise.c), NULL
	 * when none. */
	struct ww_exercise_run *exercise;
	/* A graded solution runs: commands that run programs or touch the
	 * lab's set-up are refused, and files are read and written only
	 * inside the working directory (ww_shell_restricted_refuse). */
	bool restricted;
};

typedef int (*ww_cmd_fn)(struct ww_shell *sh, int argc, char **argv);

/* What an argument is, so tab completion can offer the right words. */
enum ww_complete {
	WW_COMPLETE_NONE,
	WW_COMPLETE_FILE,
	WW_COMPLETE_VIEW,
	WW_COMPLETE_COMMAND,
	WW_COMPLETE_SETTING,       /* a row of ww_settings */
	WW_COMPLETE_SETTING_VALUE, /* a value of the setting named by the argument before */
	WW_COMPLETE_WORDS,         /* one of the command's words[] for that argument */
	WW_COMPLETE_CRAFT,         /* a crafting expression, to the end of the line */
	WW_COMPLETE_FILTER,        /* a filter, to the end of the line */
	WW_COMPLETE_PACKET,        /* a frame: $last, $reply, $N */
};

#define WW_CMD_MAX_COMPLETE 4

struct ww_command {
	const char *name;
	const char *alias;   /* a second name, or NULL */
	const char *args;    /* synopsis: "FILE [VIEW]" */
	const char *summary; /* one line for `help` */
	const char *help;    /* the longer text for `help NAME` */
	ww_cmd_fn run;       /* argv[0] is the name typed */
	enum ww_complete complete[WW_CMD_MAX_COMPLETE]; /* per argument */
	/* WW_COMPLETE_WORDS: the words offered, per argument, NULL-ended. */
	const char *const *words[WW_CMD_MAX_COMPLETE];
};

/* The shell's own commands (read, show, set, help, quit), ending with a
 * row whose name is NULL. Other modules keep their commands in tables of
 * their own, joined in commands.c. */
extern const struct ww_command ww_base_commands[];
/* The I-th command of all the tables joined, or NULL past the last. */
const struct ww_command *ww_command_at(size_t i);

/* A `set` setting. The same table drives `set`, its help and completion. */
struct ww_setting {
	const char *name;
	const char *values;            /* synopsis: "auto|on|off" */
	const char *summary;
	const char *const *words;      /* values offered by tab completion, NULL-ended */
	/* VALUE is the words after the name, joined by a blank. 0; -1 when
	 * it is not one of VALUES (`set` says so); 1 when it failed and the
	 * setter said why. */
	int (*set)(struct ww_shell *sh, const char *value);
	void (*print)(struct ww_shell *sh, FILE *out); /* the current value */
};

extern const struct ww_setting ww_settings[];

/* The command called NAME (or by its alias), or NULL. */
const struct ww_command *ww_command_find(const char *name);
/* The command name nearest to NAME by edit distance, or NULL if none has
 * anything in common with it. */
const char *ww_command_nearest(const char *name);
const struct ww_setting *ww_setting_find(const char *name);

/* Parse a view list ("tree", "summary,hex", "all") into WW_VIEW_* bits. */
int ww_view_parse(const char *s, unsigned *view);
/* auto, on, off; always and never too (as ls and git spell them). */
int ww_color_parse(const char *s, enum ww_color_mode *mode);
extern const char *const ww_view_words[];

int ww_shell_init(struct ww_shell *sh, FILE *out, FILE *err);
void ww_shell_free(struct ww_shell *sh);
/* Report an error for a person, after sh->where; returns STATUS. */
int ww_shell_error(struct ww_shell *sh, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "usage: read FILE [VIEW]", as an error; returns WW_EXIT_USAGE. */
int ww_shell_usage(struct ww_shell *sh, const struct ww_command *cmd);

/* Split LINE in place into words: blanks separate, '...' and "..." quote,
 * a word starting with # begins a comment. Returns the count, or -1 (with
 * *WHY set) for an unterminated quote or too many words. */
int ww_split_words(char *line, char **argv, int max, const char **why);
/* Run one command line; returns its status (WW_EXIT_OK for an empty one). */
int ww_shell_exec(struct ww_shell *sh, const char *line);
/* Run "CMD; CMD; ..." in order (';' inside quotes does not separate);
 * stops at the first that fails unless sh->keep_going; returns the worst
 * status. */
int ww_shell_run_commands(struct ww_shell *sh, const char *cmds);
/* Run a script, one command a line; NAME is used in error messages. The
 * script stops at the first command that fails unless sh->keep_going;
 * returns the worst status. */
int ww_shell_run_script(struct ww_shell *sh, FILE *f, const char *name);
/* The interactive shell on the terminal, until quit or end of input. */
int ww_shell_repl(struct ww_shell *sh);

/* While the prompt is up, output that is not an answer to the line being
 * typed (a frame arriving) goes between these two calls: the prompt and
 * the half-typed line are taken away and put back intact. Both do nothing
 * when the prompt is not up. */
void ww_repl_hide(void);
void ww_repl_show(void);
/* Ctrl-C was pressed while a command typed at the prompt ran: a long
 * command stops early when this turns true. */
bool ww_repl_interrupted(void);
/* Stop the command running as Ctrl-C would (ON), or clear that; safe in a
 * signal handler: the grader's time limit. */
void ww_repl_set_interrupted(bool on);

/* ---- the live network (live.c) ---------------------------------------
 * The session (session.h) the network commands run on. The prompt starts
 * it at start-up; -c and scripts when a command first needs it. Either
 * way it brings the lab up if it is not (with enough privilege), and once
 * the packet socket is open the process holds no capability. Frames and
 * the stack's events print through the views (`set view`), or one JSON
 * object each with --json, also while a person types. */

struct ww_session;
struct ww_session_opts;
struct ww_loop;

/* Where the session will run: the lab (the default lab if O->lab and
 * O->iface are NULL) or a real interface, and --pcap. O's strings are
 * copied. Call before the session starts. 0, or -1 out of memory. */
int ww_live_configure(struct ww_shell *sh, const struct ww_session_opts *o);
/* Start the session now if it is not running. 0, or -1: then
 * ww_live_error tells why, and later calls fail the same way at once. */
int ww_live_start(struct ww_shell *sh);
const char *ww_live_error(const struct ww_shell *sh);
/* One line for a person: "live on eth0 in lab main: 192.168.1.5/24 ...". */
void ww_live_describe(struct ww_shell *sh, FILE *out);
/* For commands that need the network: the session, started if need be;
 * NULL when there is none, after printing why as the command's error. */
struct ww_session *ww_shell_session(struct ww_shell *sh);
/* The session if it runs; never starts one, never prints. */
struct ww_session *ww_shell_session_running(const struct ww_shell *sh);
/* The loop the prompt waits in: the session's, when there is one. */
struct ww_loop *ww_shell_loop(struct ww_shell *sh);
/* Close the session (the capture file is completed) and free it all. */
void ww_live_free(struct ww_shell *sh);
/* `wait SECONDS`: the network's own commands. */
extern const struct ww_command ww_live_commands[];
/* The shell's settings for the session (faults, what the packet list
 * keeps) into S: when it starts (cmd_fault.c). */
void ww_live_apply_settings(struct ww_shell *sh, struct ww_session *s);
/* `set fault`, `set capture.keep`, `set capture.keep_bytes` (cmd_fault.c). */
int ww_set_fault(struct ww_shell *sh, const char *value);
void ww_print_fault(struct ww_shell *sh, FILE *out);
int ww_set_capture_keep(struct ww_shell *sh, const char *value);
void ww_print_capture_keep(struct ww_shell *sh, FILE *out);
int ww_set_capture_keep_bytes(struct ww_shell *sh, const char *value);
void ww_print_capture_keep_bytes(struct ww_shell *sh, FILE *out);
extern const char *const ww_fault_words[], *const ww_keep_words[], *const ww_keep_bytes_words[];
/* `lab impair` from the shell (cmd_lab.c). */
extern const struct ww_command ww_lab_shell_commands[];
/* The lab the session runs in (or will): its name, or NULL with --iface. */
const char *ww_live_lab(const struct ww_shell *sh);
/* ifconfig, route, arp, ping, traceroute, stats: the stack's (cmd_net.c). */
extern const struct ww_command ww_net_commands[];
/* dns, udp: the resolver's and UDP's (cmd_dns.c, cmd_udp.c). */
extern const struct ww_command ww_dns_commands[];
/* tcp connect|send|recv|close|...: the TCP's (cmd_tcp.c). */
extern const struct ww_command ww_tcp_commands[];
/* Open a TCP connection to DST:PORT, make it the current one, and wait
 * for the handshake (LIMIT ns; 0: the connect timeout): "TCP 1 connected"
 * is printed, or the error, after CMD. `tcp connect`, `tls connect` and
 * `fetch` all open theirs here. */
struct ww_tcb;
int ww_shell_tcp_open(struct ww_shell *sh, const char *cmd, uint32_t dst, uint16_t port,
		      uint64_t limit, struct ww_tcb **out);
/* http get|head|post (cmd_http.c) and fetch (cmd_fetch.c). */
extern const struct ww_command ww_http_commands[];
extern const struct ww_command ww_fetch_commands[];
/* The shell's tcp.* settings into the session's TCP (at its start). */
void ww_tcp_apply_settings(struct ww_shell *sh, struct ww_session *s);
/* `set tcp.mss|wscale|sack|ts|nagle|rst on|off`, `set tcp.rcvbuf N`,
 * `set tcp.rto_min MS`, `set tcp.time_wait MS` (cmd_tcp.c). */
int ww_set_tcp_mss(struct ww_shell *sh, const char *value);
void ww_print_tcp_mss(struct ww_shell *sh, FILE *out);
int ww_set_tcp_wscale(struct ww_shell *sh, const char *value);
void ww_print_tcp_wscale(struct ww_shell *sh, FILE *out);
int ww_set_tcp_sack(struct ww_shell *sh, const char *value);
void ww_print_tcp_sack(struct ww_shell *sh, FILE *out);
int ww_set_tcp_ts(struct ww_shell *sh, const char *value);
void ww_print_tcp_ts(struct ww_shell *sh, FILE *out);
int ww_set_tcp_nagle(struct ww_shell *sh, const char *value);
int ww_set_tcp_stretch_ack(struct ww_shell *sh, const char *value);
void ww_print_tcp_stretch_ack(struct ww_shell *sh, FILE *out);
void ww_print_tcp_nagle(struct ww_shell *sh, FILE *out);
int ww_set_tcp_rst(struct ww_shell *sh, const char *value);
void ww_print_tcp_rst(struct ww_shell *sh, FILE *out);
int ww_set_tcp_rcvbuf(struct ww_shell *sh, const char *value);
void ww_print_tcp_rcvbuf(struct ww_shell *sh, FILE *out);
int ww_set_tcp_rto_min(struct ww_shell *sh, const char *value);
void ww_print_tcp_rto_min(struct ww_shell *sh, FILE *out);
int ww_set_tcp_time_wait(struct ww_shell *sh, const char *value);
void ww_print_tcp_time_wait(struct ww_shell *sh, FILE *out);
extern const char *const ww_tcp_onoff_words[], *const ww_tcp_mss_words[],
	*const ww_tcp_rcvbuf_words[], *const ww_tcp_ms_words[];
/* tls connect|send|recv|close|status: TLS over our TCP (cmd_tls.c). */
extern const struct ww_command ww_tls_commands[];
struct ww_tls_ctx;
struct ww_tls;
/* The TLS context the shell's connections share: made on first use,
 * trusting the CA of the session's lab (the system's store with
 * --iface), with `set tls.version` and --keylog; sessions kept in it
 * are resumed by any connection to the same host and port. NULL after
 * printing why as an error of CMD. */
struct ww_tls_ctx *ww_shell_tls_ctx(struct ww_shell *sh, const char *cmd);
/* The connection `tls connect` made, if its TCP is still the current
 * one (sh->tcp_conn); NULL otherwise. */
struct ww_tls *ww_shell_tls(struct ww_shell *sh);
/* Free the TLS connection and the context (before the session goes). */
void ww_shell_tls_free(struct ww_shell *sh);
/* `set tls.version 1.2|1.3|auto`. */
int ww_set_tls_version(struct ww_shell *sh, const char *value);
void ww_print_tls_version(struct ww_shell *sh, FILE *out);
extern const char *const ww_tls_version_words[];
/* HOST as an IPv4 address (host order) for command CMD: a dotted quad as
 * it is; a name through the session's resolver and its cache (A records,
 * CNAMEs followed), with a line saying what it became. On failure the
 * error is printed as CMD's and a WW_EXIT_* status returned; else 0. */
int ww_shell_resolve(struct ww_shell *sh, const char *cmd, const char *host, uint32_t *ip);

/* The `read` command's work: read PATH and show each frame with the views
 * in VIEW (WW_VIEW_* bits); frames are kept for `show` if sh->keep_frames. */
int ww_shell_read(struct ww_shell *sh, const char *path, unsigned view);
int ww_cmd_read(struct ww_shell *sh, int argc, char **argv);
int ww_cmd_show(struct ww_shell *sh, int argc, char **argv);

/* ---- crafting (cmd_craft.c, cmd_frames.c, craft_complete.c) -----------
 * send, sr1, sniff, packets, hex, layers, bits, capture; `show $N`. */
extern const struct ww_command ww_craft_commands[];
/* `show [$N]`: the field tree of a frame of the live packet list (offline:
 * of the capture read), the last one unless named. */
int ww_cmd_show_packet(struct ww_shell *sh, int argc, char **argv);
/* Tab completion where an argument is an expression, a filter or a frame:
 * the candidates for the word starting at START of LINE (readline's
 * buffer), NULL-terminated; NULL if C takes no such argument there. */
const char *const *ww_complete_expression(const struct ww_command *c, const char *line, int start);
/* The characters that end a word for completion at POINT of LINE: those
 * of an expression or a filter, or NULL for the usual ones. */
const char *ww_complete_word_breaks(const char *line, int point);
/* Free the kept frames and empty CAP. */
void ww_capture_clear(struct ww_capture *cap);

/* ---- lessons (cmd_lesson.c, cmd_lesson_auto.c) ------------------------
 * lesson list|start|reset, next, back, hint, check. */
extern const struct ww_command ww_lesson_commands[];
/* Forget the lesson being followed (ww_shell_free calls it). */
void ww_lesson_shell_free(struct ww_shell *sh);
/* `wirewalk lesson FILE --auto`: play FILE (or the lesson NAME names, as
 * `lesson start` finds it) without a person, running
 * every wirewalk block and every task's Solution lines and checking every
 * check; stops at the first failure, naming it. The exit status. */
int ww_lesson_auto(struct ww_shell *sh, const char *name);

/* ---- exercises and grading (cmd_exercise.c, cmd_grade*.c) -------------
 * exercise list|start|submit|status; `wirewalk grade`. */
extern const struct ww_command ww_exercise_commands[];
/* Forget the exercise started (ww_shell_free calls it). */
void ww_exercise_shell_free(struct ww_shell *sh);
/* `wirewalk grade EXERCISE --solution FILE.ww [--json F] [--tap]`; ARGV[0]
 * is "grade". The exit status: 0 when a grade was given, whatever the
 * score; non-zero when none could be, with the reason on stderr. */
int ww_grade_main(int argc, char **argv);
/* With sh->restricted: NULL when command C may run with ARGV, else why
 * not (the caller reports it and runs nothing). */
const char *ww_shell_restricted_refuse(const struct ww_shell *sh, const struct ww_command *c,
				       int argc, char **argv);
/* With sh->restricted: PATH may be opened (relative, no "..", not "-"):
 * NULL, or why not. For commands that open files named by their
 * arguments. */
const char *ww_shell_restricted_path(const struct ww_shell *sh, const char *path);

#endif
