/* wirewalk's entry point: the command line's options and which way the
 * shell runs (a prompt, -c, a script, or one command such as `read`). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ww/lab.h"
#include "ww/shell.h"

struct args {
	const char *commands;  /* -c */
	const char *pos[8];    /* positional arguments */
	int npos;
	bool help, version;
};

static void usage(FILE *out)
{
	fputs("usage: wirewalk                              the interactive shell\n"
	      "       wirewalk read FILE.pcap [OPTIONS]     show every frame of a capture\n"
	      "       wirewalk -c 'CMD; CMD' [OPTIONS]      run shell commands, then exit\n"
	      "       wirewalk SCRIPT.ww [OPTIONS]          run a file of shell commands\n"
	      "       wirewalk lab up|down|status [--lab NAME]   the lab of namespaces\n"
	      "       wirewalk help [COMMAND] | --help | --version\n"
	      "\n"
	      "options:\n"
	      "  --view V       summary (default), tree, hex, bar, bits or all;\n"
	      "                 several with commas: --view summary,hex\n"
	      "  --json         one JSON object per frame, one per line\n"
	      "  --color WHEN   auto (default: on a terminal unless NO_COLOR is set),\n"
	      "                 on or always, off or never\n"
	      "\n"
	      "exit status: 0 all went well, 1 bad input (the frames before it were\n"
	      "shown), 2 a usage error or a file that cannot be opened.\n\n",
	      out);
}

static int bad_usage(const char *fmt, const char *what)
{
	fputs("wirewalk: ", stderr);
	fprintf(stderr, fmt, what);
	fputs("\ntry 'wirewalk --help'\n", stderr);
	return WW_EXIT_USAGE;
}

/* "--view V" or "--view=V": the value, advancing *I past it, or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		return "";
	return argv[++*i];
}

static int parse_args(int argc, char **argv, struct args *a, struct ww_shell *sh)
{
	bool options_end = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		if (options_end || arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (a->npos == (int)(sizeof a->pos / sizeof a->pos[0]))
				return bad_usage("too many arguments, from '%s' on", arg);
			a->pos[a->npos++] = arg;
		} else if (strcmp(arg, "--") == 0) {
			options_end = true;
		} else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			a->help = true;
		} else if (strcmp(arg, "--version") == 0) {
			a->version = true;
		} else if (strcmp(arg, "--json") == 0) {
			sh->json = true;
		} else if (strcmp(arg, "-c") == 0) {
			if (i + 1 >= argc)
				return bad_usage("%s needs the commands to run", arg);
			a->commands = argv[++i];
		} else if ((v = option_value(argc, argv, &i, "--view"))) {
			if (ww_view_parse(v, &sh->view) < 0)
				return bad_usage("--view: '%s' is not summary, tree, hex, bar, bits or all",
						 v);
		} else if ((v = option_value(argc, argv, &i, "--color")) ||
			   (v = option_value(argc, argv, &i, "--colour"))) {
			if (ww_color_parse(v, &sh->color_mode) < 0)
				return bad_usage("--color: '%s' is not auto, on, off, always or never", v);
		} else {
			return bad_usage("unknown option '%s'", arg);
		}
	}
	return WW_EXIT_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int run_script_file(struct ww_shell *sh, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s: cannot open: %s", path, strerror(errno));
	int rc = ww_shell_run_script(sh, f, path);
	fclose(f);
	return rc;
}

/* One command from the program's arguments: `read`, `help`, or a script. */
static int run_positional(struct ww_shell *sh, const struct args *a)
{
	const char *first = a->pos[0];
	if (strcmp(first, "read") == 0 || strcmp(first, "help") == 0) {
		char *argv[9];
		for (int i = 0; i < a->npos; i++)
			argv[i] = (char *)a->pos[i];
		argv[a->npos] = NULL;
		if (strcmp(first, "help") == 0 && a->npos == 1)
			usage(sh->out);
		return ww_command_find(first)->run(sh, a->npos, argv);
	}
	if (ends_with(first, ".ww")) {
		if (a->npos > 1)
			return bad_usage("a script takes no arguments: '%s'", a->pos[1]);
		return run_script_file(sh, first);
	}
	if (ends_with(first, ".pcap") || ends_with(first, ".cap") || ends_with(first, ".pcapng")) {
		fprintf(stderr, "wirewalk: '%s' is not a command; to read it: wirewalk read %s\n",
			first, first);
		return WW_EXIT_USAGE;
	}
	return bad_usage("unknown command '%s' (read, lab, help, or a script FILE.ww)", first);
}

int main(int argc, char **argv)
{
	/* The lab has options of its own (--lab NAME): it parses them. */
	if (argc >= 2 && strcmp(argv[1], "lab") == 0)
		return ww_lab_command(argc - 2, argv + 2);
	struct ww_shell sh;
	if (ww_shell_init(&sh, stdout, stderr) < 0) {
		fputs("wirewalk: out of memory\n", stderr);
		return WW_EXIT_FAIL;
	}
	struct args a = { 0 };
	int rc = parse_args(argc, argv, &a, &sh);
	if (rc != WW_EXIT_OK)
		goto done;
	if (a.help) {
		usage(stdout);
		rc = ww_shell_exec(&sh, "help");
		goto done;
	}
	if (a.version) {
		printf("wirewalk %s\n", WW_VERSION);
		goto done;
	}
	snprintf(sh.where, sizeof sh.where, "wirewalk: ");
	if (a.commands) {
		if (a.npos)
			rc = bad_usage("-c takes no other arguments: '%s'", a.pos[0]);
		else
			rc = ww_shell_run_commands(&sh, a.commands);
	} else if (a.npos) {
		/* A capture read once is printed, not kept for `show`. */
		sh.keep_frames = strcmp(a.pos[0], "read") != 0;
		rc = run_positional(&sh, &a);
	} else {
		if (isatty(STDIN_FILENO)) /* at the prompt, errors need no prefix */
			sh.where[0] = '\0';
		rc = ww_shell_repl(&sh);
	}
done:
	ww_shell_free(&sh);
	if (fflush(stdout) != 0 && rc == WW_EXIT_OK)
		rc = WW_EXIT_FAIL;
	return rc;
}
