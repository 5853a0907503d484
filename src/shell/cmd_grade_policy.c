/* What a graded solution may do. A solution is a script of shell commands
 * run by `wirewalk grade`; its grade rests on what it put on the wire, so
 * it may use every command that talks to the network or looks at frames,
 * but none that runs programs or changes the lab (`lab impair`), none
 * that reads the exercise being graded (lesson and exercise commands), and
 * none that would let it hide its own frames (`set capture.keep`). Files
 * it names are read and written in its scratch directory only, the
 * grader's working directory: relative paths without "..".
 *
 * The list is of commands allowed; a command not on it (a new one) is
 * refused until someone decides what it may do. The grader also confines
 * the process itself (Landlock, no exec: cmd_grade_run.c); this list is
 * what gives a solution a clear word when it oversteps. */
#include <string.h>

#include "ww/shell.h"

typedef const char *(*vet_fn)(const struct ww_shell *sh, int argc, char **argv);

const char *ww_shell_restricted_path(const struct ww_shell *sh, const char *path)
{
	(void)sh;
	if (!path || !*path)
		return "an empty file name";
	if (strcmp(path, "-") == 0)
		return "standard input and output are the grader's";
	if (path[0] == '/')
		return "a graded solution reads and writes files in its own directory only: "
		       "give a name without a leading '/'";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "a graded solution reads and writes files in its own directory only: "
			       "'..' is not allowed";
		p += n;
		if (*p == '/')
			p++;
	}
	return NULL;
}

static const char *vet_none(const struct ww_shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return NULL;
}

/* read FILE [VIEW] */
static const char *vet_read(const struct ww_shell *sh, int argc, char **argv)
{
	return argc >= 2 ? ww_shell_restricted_path(sh, argv[1]) : NULL;
}

/* capture save FILE */
static const char *vet_capture(const struct ww_shell *sh, int argc, char **argv)
{
	return argc >= 3 ? ww_shell_restricted_path(sh, argv[2]) : NULL;
}

/* tcp send @FILE, tcp recv -o FILE */
static const char *vet_tcp(const struct ww_shell *sh, int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "send") == 0 && argv[2][0] == '@')
		return ww_shell_restricted_path(sh, argv[2] + 1);
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], "-o") == 0) {
			const char *why = ww_shell_restricted_path(sh, argv[i + 1]);
			if (why)
				return why;
		}
	return NULL;
}

/* Any -o FILE, --keylog FILE or --output FILE among the arguments. */
static const char *vet_file_options(const struct ww_shell *sh, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *path = NULL;
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--keylog") == 0 ||
		    strcmp(a, "-k") == 0)
			path = i + 1 < argc ? argv[i + 1] : "";
		else if (strncmp(a, "-o", 2) == 0)
			path = a + 2;
		else if (strncmp(a, "--output=", 9) == 0 || strncmp(a, "--keylog=", 9) == 0)
			path = strchr(a, '=') + 1;
		if (path) {
			const char *why = ww_shell_restricted_path(sh, path);
			if (why)
				return why;
		}
	}
	return NULL;
}

/* set: not what the grader needs to see every frame. */
static const char *vet_set(const struct ww_shell *sh, int argc, char **argv)
{
	(void)sh;
	if (argc >= 3 && strncmp(argv[1], "capture.", 8) == 0)
		return "the grader keeps every frame as evidence; capture.* stays as it is";
	return NULL;
}

static const char *refuse_lab(const struct ww_shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return "a graded solution cannot change the lab's set-up";
}

static const char *refuse_teach(const struct ww_shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return "lessons and exercises are not open to a graded solution";
}

static const struct {
	const char *name;
	vet_fn vet;
} policy[] = {
	/* the shell */
	{ "read", vet_read },       { "show", vet_none },      { "set", vet_set },
	{ "help", vet_none },       { "quit", vet_none },      { "exit", vet_none },
	{ "wait", vet_none },
	/* the stack */
	{ "ifconfig", vet_none },   { "route", vet_none },     { "arp", vet_none },
	{ "ping", vet_none },       { "traceroute", vet_none }, { "stats", vet_none },
	{ "dns", vet_none },        { "udp", vet_none },       { "tcp", vet_tcp },
	{ "tls", vet_file_options }, { "http", vet_file_options }, { "fetch", vet_file_options },
	/* crafting and frames */
	{ "send", vet_none },       { "sr1", vet_none },       { "sniff", vet_none },
	{ "packets", vet_none },    { "hex", vet_none },       { "layers", vet_none },
	{ "bits", vet_none },       { "capture", vet_capture },
	/* refused with a reason of their own */
	{ "lab", refuse_lab },      { "lesson", refuse_teach }, { "exercise", refuse_teach },
	{ "next", refuse_teach },   { "back", refuse_teach },  { "hint", refuse_teach },
	{ "check", refuse_teach },
};

const char *ww_shell_restricted_refuse(const struct ww_shell *sh, const struct ww_command *c,
				       int argc, char **argv)
{
	if (!sh->restricted)
		return NULL;
	for (size_t i = 0; i < sizeof policy / sizeof policy[0]; i++)
		if (strcmp(policy[i].name, c->name) == 0)
			return policy[i].vet(sh, argc, argv);
	return "not open to a graded solution";
}
