/* Running commands: splitting a line into words, finding the command in
 * the table, and the three ways lines arrive without a prompt (the
 * program's arguments, -c, a script). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "web_state.h"

#define MAX_WORDS 64

int ww_shell_init(struct ww_shell *sh, FILE *out, FILE *err)
{
	memset(sh, 0, sizeof *sh);
	sh->out = out;
	sh->err = err;
	sh->events = out;
	sh->view = WW_VIEW_SUMMARY;
	sh->color_mode = WW_COLOR_AUTO;
	sh->keep_frames = true;
	sh->capture_keep_frames = WW_SESSION_KEEP_FRAMES;
	sh->capture_keep_bytes = WW_SESSION_KEEP_BYTES;
	ww_tcp_settings_default(&sh->tcp);
	ww_web_state_register();
	sh->d = malloc(sizeof *sh->d);
	return sh->d ? 0 : -1;
}

void ww_shell_free(struct ww_shell *sh)
{
	ww_shell_tls_free(sh); /* it holds the TCP's connections: before the session */
	ww_lesson_shell_free(sh);
	ww_exercise_shell_free(sh);
	ww_live_free(sh);
	ww_capture_clear(&sh->last);
	free(sh->d);
	sh->d = NULL;
	free(sh->hsts);
	sh->hsts = NULL;
}

int ww_shell_error(struct ww_shell *sh, int status, const char *fmt, ...)
{
	/* What was printed before the error must come before it, also when
	 * stdout is a pipe and stderr is not. */
	fflush(sh->out);
	fputs(sh->where, sh->err);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(sh->err, fmt, ap);
	va_end(ap);
	fputc('\n', sh->err);
	fflush(sh->err);
	return status;
}

int ww_shell_usage(struct ww_shell *sh, const struct ww_command *cmd)
{
	return ww_shell_error(sh, WW_EXIT_USAGE, "usage: %s%s%s", cmd->name,
			      *cmd->args ? " " : "", cmd->args);
}

int ww_split_words(char *line, char **argv, int max, const char **why)
{
	int argc = 0;
	char *r = line, *w = line;
	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (*r == '\0' || *r == '#')
			break;
		if (argc == max) {
			*why = "too many words";
			return -1;
		}
		argv[argc++] = w;
		/* Copy the word down over itself, dropping the quotes. */
		while (*r && *r != ' ' && *r != '\t' && *r != '\n' && *r != '\r') {
			if (*r == '\'' || *r == '"') {
				char q = *r++;
				while (*r && *r != q)
					*w++ = *r++;
				if (*r != q) {
					*why = "unterminated quote";
					return -1;
				}
				r++;
			} else {
				*w++ = *r++;
			}
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	return argc;
}

static int exec_line(struct ww_shell *sh, const char *line)
{
	char *copy = strdup(line);
	if (!copy)
		return ww_shell_error(sh, WW_EXIT_FAIL, "out of memory");
	char *argv[MAX_WORDS + 1];
	const char *why = NULL;
	int argc = ww_split_words(copy, argv, MAX_WORDS, &why);
	int rc = WW_EXIT_OK;
	if (argc < 0) {
		rc = ww_shell_error(sh, WW_EXIT_USAGE, "%s", why);
	} else if (argc > 0) {
		argv[argc] = NULL;
		const struct ww_command *c = ww_command_find(argv[0]);
		const char *near = c ? NULL : ww_command_nearest(argv[0]);
		const char *refused = c && sh->restricted ? ww_shell_restricted_refuse(sh, c, argc, argv)
							  : NULL;
		if (refused) {
			rc = ww_shell_error(sh, WW_EXIT_USAGE, "%s: refused: %s", argv[0], refused);
		} else if (c) {
			sh->line = line;
			rc = c->run(sh, argc, argv);
			sh->line = NULL;
		} else if (near)
			rc = ww_shell_error(sh, WW_EXIT_USAGE,
					    "unknown command '%s'; did you mean '%s'?", argv[0], near);
		else
			rc = ww_shell_error(sh, WW_EXIT_USAGE,
					    "unknown command '%s'; 'help' lists the commands", argv[0]);
	}
	free(copy);
	fflush(sh->out);
	return rc;
}

static bool blank_line(const char *line)
{
	line += strspn(line, " \t\r\n");
	return *line == '\0' || *line == '#';
}

/* Lines of OUT that are JSON objects already (frames that `read` or
 * `show` printed) go to F as they are; the rest is kept in OUT, in order,
 * for the result's "output". */
static void pass_json_lines(FILE *f, char *out)
{
	char *keep = out;
	for (char *line = out; *line;) {
		size_t n = strcspn(line, "\n");
		bool nl = line[n] == '\n';
		if (n >= 2 && line[0] == '{' && line[n - 1] == '}') {
			fwrite(line, 1, n, f);
			fputc('\n', f);
		} else {
			memmove(keep, line, n + nl);
			keep += n + nl;
		}
		line += n + nl;
	}
	*keep = '\0';
}

/* --json: what a command prints is captured and comes out as one object,
 * {"event":"result","command":"...","status":0,"output":"..."}, or with
 * "event":"error" and the "message" when it failed (the message goes to
 * standard error as well). Frames seen meanwhile print as their own
 * objects, to sh->events, before it; so do the JSON lines the command
 * printed itself. */
static int exec_json(struct ww_shell *sh, const char *line)
{
	char *out = NULL, *err = NULL;
	size_t outn = 0, errn = 0;
	FILE *mo = open_memstream(&out, &outn), *me = open_memstream(&err, &errn);
	if (!mo || !me) {
		if (mo)
			fclose(mo);
		if (me)
			fclose(me);
		return exec_line(sh, line);
	}
	FILE *real_out = sh->out, *real_err = sh->err;
	sh->out = mo;
	sh->err = me;
	int rc = exec_line(sh, line);
	sh->out = real_out;
	sh->err = real_err;
	fclose(mo);
	fclose(me);
	if (errn) {
		fwrite(err, 1, errn, real_err);
		fflush(real_err);
	}
	line += strspn(line, " \t");
	char *cmd = strndup(line, strcspn(line, "\r\n"));
	while (errn && err[errn - 1] == '\n')
		err[--errn] = '\0';
	if (out)
		pass_json_lines(real_out, out);
	fprintf(real_out, "{\"event\":\"%s\",\"command\":", rc ? "error" : "result");
	ww_json_string(real_out, cmd ? cmd : "");
	fprintf(real_out, ",\"status\":%d,\"output\":", rc);
	ww_json_string(real_out, out ? out : "");
	if (rc) {
		fputs(",\"message\":", real_out);
		ww_json_string(real_out, err ? err : "");
	}
	fputs("}\n", real_out);
	fflush(real_out);
	free(cmd);
	free(out);
	free(err);
	return rc;
}

int ww_shell_exec(struct ww_shell *sh, const char *line)
{
	if (sh->json && !blank_line(line))
		return exec_json(sh, line);
	return exec_line(sh, line);
}

int ww_shell_run_commands(struct ww_shell *sh, const char *cmds)
{
	int worst = WW_EXIT_OK;
	char *copy = strdup(cmds);
	if (!copy)
		return ww_shell_error(sh, WW_EXIT_FAIL, "out of memory");
	char *start = copy;
	char quote = 0;
	for (char *p = copy;; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else if (*p == '\0')
				quote = 0; /* the command itself reports the quote */
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		}
		if (*p == '\0' || (*p == ';' && !quote)) {
			bool last = *p == '\0';
			*p = '\0';
			int rc = ww_shell_exec(sh, start);
			if (rc > worst)
				worst = rc;
			if (last || sh->quit || (rc && !sh->keep_going))
				break;
			start = p + 1;
		}
	}
	free(copy);
	return worst;
}

int ww_shell_run_script(struct ww_shell *sh, FILE *f, const char *name)
{
	char saved[sizeof sh->where];
	memcpy(saved, sh->where, sizeof saved);
	int worst = WW_EXIT_OK;
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	while (!sh->quit && getline(&line, &cap, f) >= 0) {
		lineno++;
		/* A path too long for the buffer is cut; the message still reads. */
		if (snprintf(sh->where, sizeof sh->where, "%s%s:%u: ", saved, name, lineno) >=
		    (int)sizeof sh->where)
			memcpy(sh->where + sizeof sh->where - 6, "...: ", 6);
		int rc = ww_shell_exec(sh, line);
		if (rc > worst)
			worst = rc;
		if (rc && !sh->keep_going)
			break;
	}
	free(line);
	memcpy(sh->where, saved, sizeof saved);
	return worst;
}
