/* wirewalk's entry point: the command line's options and which way the
 * shell runs (a prompt, -c, a script, or one command such as `read`). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ww/caps.h"
#include "ww/ipv4.h"
#include "ww/lab.h"
#include "ww/session.h"
#include "ww/shell.h"

struct args {
	const char *commands;  /* -c */
	const char *pos[8];    /* positional arguments */
	int npos;
	bool help, version;
	bool autoplay;               /* lesson FILE --auto */
	struct ww_session_opts live; /* --lab, --iface, --ip, --gw, --pcap */
	bool has_ip, has_gw;
};

static void usage(FILE *out)
{
	fputs("usage: wirewalk                              the interactive shell\n"
	      "       wirewalk read FILE.pcap [OPTIONS]     show every frame of a capture\n"
	      "       wirewalk -c 'CMD; CMD' [OPTIONS]      run shell commands, then exit\n"
	      "       wirewalk SCRIPT.ww [OPTIONS]          run a file of shell commands\n"
	      "       wirewalk lab up|down|status|impair [--lab NAME]   the lab of namespaces\n"
	      "       wirewalk lesson FILE|NAME [--auto] [--lab NAME]   follow a lesson; with\n"
	      "                                     --auto play it without a person and check it\n"
	      "       wirewalk grade EXERCISE --solution FILE.ww [--json results.json] [--tap]\n"
	      "                                     grade a solution in a lab of its own\n"
	      "       wirewalk help [COMMAND] | --help | --version\n"
	      "\n"
	      "options:\n"
	      "  --view V       summary (default), tree, hex, bar, bits or all;\n"
	      "                 several with commas: --view summary,hex\n"
	      "  --json         one JSON object per line: each frame sent or received,\n"
	      "                 each event of the stack, each command's result\n"
	      "  --color WHEN   auto (default: on a terminal unless NO_COLOR is set),\n"
	      "                 on or always, off or never\n"
	      "  --keep-going   -c and scripts: go on after a command fails (they stop\n"
	      "                 at the first one otherwise)\n"
	      "\n"
	      "the live network (the prompt starts it; -c and scripts when a command\n"
	      "needs it; with enough privilege a lab that is not up is brought up):\n"
	      "  --lab NAME     the lab to run in (default " WW_LAB_DEFAULT_NAME ")\n"
	      "  --pcap FILE    write every frame sent and received to FILE\n"
	      "  --keylog FILE  append the TLS secrets to FILE (NSS key log), so that\n"
	      "                 Wireshark decrypts the capture: -o tls.keylog_file:FILE\n"
	      "  --iface IF --ip A/N [--gw G]\n"
	      "                 a real interface instead of the lab, owning the spare\n"
	      "                 address A/N (it answers ARP for it), gateway G\n"
	      "It needs CAP_NET_RAW, and CAP_SYS_ADMIN and CAP_NET_ADMIN for a lab: run\n"
	      "it as root, or: sudo setcap cap_net_raw,cap_net_admin,cap_sys_admin+ep wirewalk\n"
	      "Once the packet socket is open, it gives up every capability.\n"
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

/* "192.168.1.50/24": the address and the prefix length. */
static int parse_prefix(const char *s, uint32_t *ip, uint8_t *prefix)
{
	const char *slash = strchr(s, '/');
	char addr[16];
	if (!slash || slash - s >= (long)sizeof addr)
		return -1;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	char *end;
	errno = 0;
	long n = strtol(slash + 1, &end, 10);
	if (ww_ipv4_parse_addr(addr, ip) < 0 || end == slash + 1 || *end || errno || n < 1 ||
	    n > 32 || *ip == 0)
		return -1;
	*prefix = (uint8_t)n;
	return 0;
}

static int check_live_args(struct args *a)
{
	if (a->live.iface && a->live.lab)
		return bad_usage("%s: --iface and --lab exclude each other", "--iface");
	if (a->live.iface && !a->has_ip)
		return bad_usage("--iface %s needs --ip A/N: the spare address wirewalk owns there",
				 a->live.iface);
	if (!a->live.iface && (a->has_ip || a->has_gw))
		return bad_usage("%s: --ip and --gw go with --iface (the lab has its own addresses)",
				 a->has_ip ? "--ip" : "--gw");
	return WW_EXIT_OK;
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
		} else if (strcmp(arg, "--auto") == 0) {
			a->autoplay = true;
		} else if (strcmp(arg, "--keep-going") == 0) {
			sh->keep_going = true;
		} else if ((v = option_value(argc, argv, &i, "--lab"))) {
			if (!ww_lab_name_valid(v))
				return bad_usage("--lab: '%s' is not a lab name (1 to 12 of a-z, 0-9, '-')",
						 v);
			a->live.lab = v;
		} else if ((v = option_value(argc, argv, &i, "--pcap"))) {
			if (!*v)
				return bad_usage("%s needs a file name", "--pcap");
			a->live.pcap_path = v;
		} else if ((v = option_value(argc, argv, &i, "--keylog"))) {
			if (!*v)
				return bad_usage("%s needs a file name", "--keylog");
			/* Opened now, while the file can still be created: once
			 * the session runs, no capability is left. */
			FILE *f = fopen(v, "a");
			if (!f)
				return bad_usage("--keylog: cannot open %s", v);
			fclose(f);
			sh->tls_keylog = v;
		} else if ((v = option_value(argc, argv, &i, "--iface"))) {
			if (!*v)
				return bad_usage("%s needs an interface name", "--iface");
			a->live.iface = v;
		} else if ((v = option_value(argc, argv, &i, "--ip"))) {
			if (parse_prefix(v, &a->live.ip, &a->live.prefix) < 0)
				return bad_usage("--ip: '%s' is not an address with its prefix, A.B.C.D/N", v);
			a->has_ip = true;
		} else if ((v = option_value(argc, argv, &i, "--gw"))) {
			if (ww_ipv4_parse_addr(v, &a->live.gw) < 0)
				return bad_usage("--gw: '%s' is not an IPv4 address", v);
			a->has_gw = true;
		} else if ((v = option_value(argc, argv, &i, "--color")) ||
			   (v = option_value(argc, argv, &i, "--colour"))) {
			if (ww_color_parse(v, &sh->color_mode) < 0)
				return bad_usage("--color: '%s' is not auto, on, off, always or never", v);
		} else {
			return bad_usage("unknown option '%s'", arg);
		}
	}
	if (a->autoplay && (a->npos == 0 || strcmp(a->pos[0], "lesson") != 0))
		return bad_usage("%s goes with 'wirewalk lesson FILE'", "--auto");
	return check_live_args(a);
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

static void start_live(struct ww_shell *sh);

/* One command from the program's arguments: `read`, `help`, `lesson`, or
 * a script. */
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
	if (strcmp(first, "lesson") == 0) {
		if (a->npos != 2)
			return bad_usage("%s: wirewalk lesson FILE|NAME [--auto] [--lab NAME]", first);
		if (a->autoplay)
			return ww_lesson_auto(sh, a->pos[1]);
		/* A person: the prompt, with the lesson started. */
		char cmd[4200];
		if (snprintf(cmd, sizeof cmd, "lesson start '%s'", a->pos[1]) >= (int)sizeof cmd)
			return bad_usage("%s: the name is too long", first);
		if (isatty(STDIN_FILENO)) {
			start_live(sh);
			sh->where[0] = '\0';
		}
		int rc = ww_shell_exec(sh, cmd);
		if (rc != WW_EXIT_OK)
			return rc;
		return ww_shell_repl(sh);
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

/* Give up every capability; only a failure to do so is worth a word. */
static void drop_privileges(struct ww_shell *sh)
{
	char why[512];
	if (ww_caps_drop_all(why, sizeof why) < 0)
		ww_shell_error(sh, WW_EXIT_FAIL, "warning: %s", why);
}

/* The prompt starts the live network at once, so frames show from the
 * first moment; without it the shell still reads captures. */
static void start_live(struct ww_shell *sh)
{
	if (ww_live_start(sh) < 0) {
		ww_shell_error(sh, WW_EXIT_FAIL,
			       "offline: %s\n(read and show work offline; 'wirewalk --help' tells more)",
			       ww_live_error(sh) ? ww_live_error(sh) : "out of memory");
		drop_privileges(sh);
		return;
	}
	ww_live_describe(sh, sh->out);
}

int main(int argc, char **argv)
{
	/* The lab has options of its own (--lab NAME): it parses them. */
	if (argc >= 2 && strcmp(argv[1], "lab") == 0)
		return ww_lab_command(argc - 2, argv + 2);
	/* So has the grader (--solution, --json, --tap). */
	if (argc >= 2 && strcmp(argv[1], "grade") == 0)
		return ww_grade_main(argc - 1, argv + 1);
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
	a.live.up_lab = true;
	if (ww_live_configure(&sh, &a.live) < 0) {
		rc = ww_shell_error(&sh, WW_EXIT_FAIL, "out of memory");
		goto done;
	}
	if (a.commands) {
		if (a.npos)
			rc = bad_usage("-c takes no other arguments: '%s'", a.pos[0]);
		else
			rc = ww_shell_run_commands(&sh, a.commands);
	} else if (a.npos) {
		/* A capture read once is printed, not kept for `show`. */
		sh.keep_frames = strcmp(a.pos[0], "read") != 0;
		/* `read` and `help` never touch the network: no capability is
		 * needed to parse a capture. */
		if (!ends_with(a.pos[0], ".ww") && strcmp(a.pos[0], "lesson") != 0)
			drop_privileges(&sh);
		rc = run_positional(&sh, &a);
	} else {
		if (isatty(STDIN_FILENO)) { /* at the prompt, errors need no prefix */
			start_live(&sh);
			sh.where[0] = '\0';
		}
		rc = ww_shell_repl(&sh);
	}
done:
	ww_shell_free(&sh);
	if (fflush(stdout) != 0 && rc == WW_EXIT_OK)
		rc = WW_EXIT_FAIL;
	return rc;
}
