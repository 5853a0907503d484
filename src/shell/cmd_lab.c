/* `lab impair` from the shell: the router of the lab the session runs in
 * loses and duplicates what it forwards (src/lab/impair.c does the work).
 *
 * Changing the router needs CAP_SYS_ADMIN and CAP_NET_ADMIN, and this
 * process gives up every capability once its packet socket is open. So
 * `lab impair` works before the network is first used (first in a -c
 * line or a script); once it is, the shell says how to do it from
 * outside. */
#include <string.h>

#include "ww/lab.h"
#include "ww/shell.h"

#define MAX_WORDS 8

static int lab_impair(struct ww_shell *sh, int argc, char **argv)
{
	const char *name = ww_live_lab(sh);
	char *words[MAX_WORDS], msg[2048];
	int n = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--lab") && i + 1 < argc)
			name = argv[++i];
		else if (n < MAX_WORDS && argv[i][0] != '-')
			words[n++] = argv[i];
		else
			return ww_shell_usage(sh, ww_command_find(argv[0]));
	}
	if (!name)
		return ww_shell_error(sh, WW_EXIT_USAGE,
				      "lab impair: the session runs on a real interface, not in a "
				      "lab: name one with --lab NAME");
	if (ww_shell_session_running(sh)) {
		char typed[256] = "";
		size_t len = 0;
		for (int i = 0; i < n && len < sizeof typed; i++)
			len += (size_t)snprintf(typed + len, sizeof typed - len, "%s ", words[i]);
		return ww_shell_error(sh, WW_EXIT_FAIL,
				      "lab impair: this shell gave up its capabilities when it went live "
				      "on the network, and changing the router needs them: run "
				      "`wirewalk lab impair %s--lab %s` as root from another terminal, "
				      "or give `lab impair` before the first network command "
				      "(wirewalk -c 'lab impair loss=0.05; ...')",
				      typed, name);
	}
	if (n == 0) {
		if (ww_lab_impair_describe(name, msg, sizeof msg) < 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "lab impair: %s", msg);
		fprintf(sh->out, "lab %s: impairment in force: %s\n", name, msg);
		return WW_EXIT_OK;
	}
	struct ww_lab_impair im;
	if (ww_lab_impair_parse(n, words, &im, msg, sizeof msg) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s", msg);
	if (ww_lab_impair(name, &im, msg, sizeof msg) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "lab impair: %s", msg);
	fprintf(sh->out, "%s\n", msg);
	return WW_EXIT_OK;
}

static int cmd_lab(struct ww_shell *sh, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "impair"))
		return lab_impair(sh, argc, argv);
	return ww_shell_usage(sh, ww_command_find(argv[0]));
}

static const char *const lab_subcommands[] = { "impair", NULL };
static const char *const impair_words[] = { "loss=", "dup=", "delay=", "reorder=", "off",
					    "--lab", NULL };

const struct ww_command ww_lab_shell_commands[] = {
	{ .name = "lab", .args = "impair [loss=P dup=P ...|off]",
	  .summary = "make the lab's router lose and duplicate what it forwards",
	  .help = "lab impair loss=0.05 dup=0.02   the router loses 5% and duplicates 2%\n"
		  "                                of the packets it forwards (both ways)\n"
		  "lab impair off                  a clean path again\n"
		  "lab impair                      what is in force, and how many so far\n"
		  "P is a chance from 0 to 1, or a percentage (5%). The router uses netem\n"
		  "where its kernel has it (then delay=MS and reorder=P work too); without\n"
		  "netem, nftables rules on its forward path drop and duplicate, and delay\n"
		  "and reorder are refused. The kernel draws the chances: unlike `set\n"
		  "fault`, a run does not repeat. It needs the privileges this shell gives\n"
		  "up when it goes live: give it before the first network command\n"
		  "(wirewalk -c 'lab impair loss=0.05; ...'), or run `wirewalk lab impair\n"
		  "...` as root from another terminal. `wirewalk lab down` removes it.",
	  .run = cmd_lab,
	  .complete = { WW_COMPLETE_WORDS, WW_COMPLETE_WORDS, WW_COMPLETE_WORDS, WW_COMPLETE_WORDS },
	  .words = { lab_subcommands, impair_words, impair_words, impair_words } },
	{ 0 },
};
