/* The prompt. readline's callback interface inside a poll() loop, never a
 * blocking readline(): the loop is where the packet socket and the timers
 * join the terminal, so frames can print while a person types (ww_repl_hide
 * and ww_repl_show put the half-typed line back afterwards).
 *
 * readline's callbacks take no context pointer, so the shell they act on
 * lives in this file for as long as the prompt is up. */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "ww/loop.h"
#include "ww/shell.h"

#define PROMPT "wirewalk> "
#define HISTORY_LINES 1000

static struct ww_shell *repl_sh;
static struct ww_loop *repl_loop;
static bool prompt_up;
static char *hidden_line;
static int hidden_point;
static volatile sig_atomic_t got_sigint, got_sigwinch;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

static void on_sigwinch(int sig)
{
	(void)sig;
	got_sigwinch = 1;
}

/* ---- history --------------------------------------------------------- */

static char *history_path(void)
{
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return NULL;
	char *path = malloc(strlen(home) + sizeof "/.wirewalk_history");
	if (path)
		sprintf(path, "%s/.wirewalk_history", home);
	return path;
}

static void remember(const char *line)
{
	if (!*line)
		return;
	HIST_ENTRY *prev = history_length ? history_get(history_base + history_length - 1) : NULL;
	if (!prev || strcmp(prev->line, line) != 0)
		add_history(line);
}

/* ---- completion ------------------------------------------------------ */

enum gen_kind { GEN_WORDS, GEN_COMMANDS, GEN_SETTINGS };
static enum gen_kind gen_kind;
static const char *const *gen_words;

/* The readline generator: called with STATE 0 first, then again until it
 * returns NULL; each match is a malloc'd copy. */
static char *generate(const char *text, int state)
{
	static size_t i, alias_turn;
	if (state == 0)
		i = 0, alias_turn = 0;
	size_t n = strlen(text);
	for (;;) {
		const char *cand = NULL;
		if (gen_kind == GEN_COMMANDS) {
			const struct ww_command *c = ww_command_at(i);
			if (!c)
				return NULL;
			cand = alias_turn ? c->alias : c->name;
			if (alias_turn || !c->alias)
				i++, alias_turn = 0;
			else
				alias_turn = 1;
		} else if (gen_kind == GEN_SETTINGS) {
			cand = ww_settings[i].name;
			if (!cand)
				return NULL;
			i++;
		} else {
			cand = gen_words ? gen_words[i] : NULL;
			if (!cand)
				return NULL;
			i++;
		}
		if (cand && strncmp(cand, text, n) == 0)
			return strdup(cand);
	}
}

static char **matches(const char *text, enum gen_kind kind, const char *const *words)
{
	gen_kind = kind;
	gen_words = words;
	return rl_completion_matches(text, generate);
}

/* The words typed before the one being completed: up to 3 are kept. */
static int words_before(int start, char words[3][64])
{
	int n = 0;
	const char *p = rl_line_buffer, *end = rl_line_buffer + start;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		const char *w = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		if (n < 3)
			snprintf(words[n], 64, "%.*s", (int)(p - w), w);
		n++;
	}
	return n;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1; /* no file names unless asked for */
	char words[3][64];
	int n = words_before(start, words);
	if (n == 0)
		return matches(text, GEN_COMMANDS, NULL);
	const struct ww_command *c = ww_command_find(words[0]);
	/* An expression or a filter runs to the end of the line. */
	const char *const *expr = ww_complete_expression(c, rl_line_buffer, start);
	if (expr) {
		rl_completion_append_character = '\0'; /* '=', '(' or '.' comes next */
		return matches(text, GEN_WORDS, expr);
	}
	if (!c || n - 1 >= WW_CMD_MAX_COMPLETE)
		return NULL;
	switch (c->complete[n - 1]) {
	case WW_COMPLETE_FILE:
		rl_attempted_completion_over = 0;
		return NULL; /* readline's own file-name completion */
	case WW_COMPLETE_VIEW:
		return matches(text, GEN_WORDS, ww_view_words);
	case WW_COMPLETE_COMMAND:
		return matches(text, GEN_COMMANDS, NULL);
	case WW_COMPLETE_SETTING:
		return matches(text, GEN_SETTINGS, NULL);
	case WW_COMPLETE_SETTING_VALUE: {
		const struct ww_setting *s = n >= 2 ? ww_setting_find(words[1]) : NULL;
		return s ? matches(text, GEN_WORDS, s->words) : NULL;
	}
	case WW_COMPLETE_WORDS:
		return matches(text, GEN_WORDS, c->words[n - 1]);
	case WW_COMPLETE_NONE:
	case WW_COMPLETE_CRAFT:
	case WW_COMPLETE_FILTER:
	case WW_COMPLETE_PACKET:
		break;
	}
	return NULL;
}

/* Inside an expression '(' ',' '=' '/' end words too. */
static char *word_breaks(void)
{
	return (char *)ww_complete_word_breaks(rl_line_buffer, rl_point);
}

/* ---- asynchronous output --------------------------------------------- */

void ww_repl_hide(void)
{
	if (!prompt_up || hidden_line)
		return;
	hidden_point = rl_point;
	hidden_line = rl_copy_text(0, rl_end);
	rl_save_prompt();
	rl_replace_line("", 0);
	rl_redisplay();
}

void ww_repl_show(void)
{
	if (!prompt_up || !hidden_line)
		return;
	rl_restore_prompt();
	rl_replace_line(hidden_line, 0);
	rl_point = hidden_point;
	rl_redisplay();
	free(hidden_line);
	hidden_line = NULL;
}

/* ---- the loop -------------------------------------------------------- */

static sigset_t loop_mask; /* the mask outside ppoll: SIGINT, SIGWINCH held */
static sigset_t run_mask;  /* the mask while a command runs and inside ppoll */

static void on_line(char *line)
{
	if (!line) { /* Ctrl-D on an empty line (readline has ended the line) */
		repl_sh->quit = true;
	} else {
		remember(line);
		/* A command runs with Ctrl-C deliverable, so a long one can
		 * check for it; the prompt's own Ctrl-C handling waits. What is
		 * typed meanwhile stays queued for the prompt: the terminal is
		 * out of the loop while a command pumps it. */
		prompt_up = false;
		got_sigint = 0;
		ww_loop_pause(repl_loop, STDIN_FILENO, true);
		sigprocmask(SIG_SETMASK, &run_mask, NULL);
		ww_shell_exec(repl_sh, line);
		sigprocmask(SIG_SETMASK, &loop_mask, NULL);
		ww_loop_pause(repl_loop, STDIN_FILENO, false);
		got_sigint = 0;
		prompt_up = true;
		free(line);
	}
	if (repl_sh->quit) {
		rl_callback_handler_remove();
		prompt_up = false;
	}
}

/* Ctrl-C at the prompt drops the line being typed, as in a login shell. */
static void abandon_line(void)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	fputc('\n', stdout);
	rl_on_new_line();
	rl_redisplay();
}

bool ww_repl_interrupted(void)
{
	return got_sigint != 0;
}

void ww_repl_set_interrupted(bool on)
{
	got_sigint = on;
}

static void install_signals(struct sigaction *old_int, struct sigaction *old_winch)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_sigint; /* no SA_RESTART: ppoll must return */
	sigaction(SIGINT, &sa, old_int);
	sa.sa_handler = on_sigwinch;
	sigaction(SIGWINCH, &sa, old_winch);
	sigset_t held;
	sigemptyset(&held);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGWINCH);
	sigprocmask(SIG_BLOCK, &held, &run_mask);
	sigprocmask(SIG_BLOCK, NULL, &loop_mask);
	sigdelset(&run_mask, SIGINT);
	sigdelset(&run_mask, SIGWINCH);
}

static void on_terminal(void *arg, int fd, short revents)
{
	struct ww_shell *sh = arg;
	(void)fd;
	if (revents & POLLIN)
		rl_callback_read_char();
	else if (revents & (POLLHUP | POLLERR | POLLNVAL))
		sh->quit = true;
}

/* The terminal joins the loop the packet socket and the timers are in:
 * ppoll waits for all of them at once, with Ctrl-C and window changes
 * let through only while it waits (run_mask), so none is lost. */
static void serve_terminal(struct ww_shell *sh, struct ww_loop *loop)
{
	ww_loop_set_sigmask(loop, &run_mask);
	ww_loop_watch(loop, STDIN_FILENO, POLLIN, on_terminal, sh);
	while (!sh->quit) {
		if (got_sigint) {
			got_sigint = 0;
			abandon_line();
		}
		if (got_sigwinch) {
			got_sigwinch = 0;
			rl_resize_terminal();
		}
		if (ww_loop_turn(loop, WW_LOOP_NEVER) < 0 && errno != EINTR) {
			ww_shell_error(sh, WW_EXIT_FAIL, "poll: %s", strerror(errno));
			break;
		}
	}
	ww_loop_unwatch(loop, STDIN_FILENO);
	ww_loop_set_sigmask(loop, NULL);
}

int ww_shell_repl(struct ww_shell *sh)
{
	/* Not a terminal: the lines are a script, without prompt or echo. */
	if (!isatty(STDIN_FILENO))
		return ww_shell_run_script(sh, stdin, "stdin");
	struct ww_loop *loop = ww_shell_loop(sh);
	if (!loop)
		return ww_shell_error(sh, WW_EXIT_FAIL, "out of memory");

	char *hist = history_path();
	using_history();
	if (hist)
		read_history(hist);
	stifle_history(HISTORY_LINES);

	rl_readline_name = "wirewalk";
	rl_attempted_completion_function = complete;
	rl_completion_word_break_hook = word_breaks;
	rl_completer_quote_characters = "\"'";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;

	struct sigaction old_int, old_winch;
	install_signals(&old_int, &old_winch);
	repl_sh = sh;
	repl_loop = loop;
	fprintf(sh->out, "wirewalk %s: 'help' lists the commands, Tab completes, Ctrl-D leaves.\n",
		WW_VERSION);
	rl_callback_handler_install(PROMPT, on_line);
	prompt_up = true;

	serve_terminal(sh, loop);

	if (prompt_up)
		rl_callback_handler_remove();
	prompt_up = false;
	repl_sh = NULL;
	repl_loop = NULL;
	sigprocmask(SIG_SETMASK, &run_mask, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
	if (hist) {
		write_history(hist);
		history_truncate_file(hist, HISTORY_LINES);
		free(hist);
	}
	return WW_EXIT_OK;
}
