/* The command table and the settings table: the one place each command is
 * described. Dispatch, `help`, tab completion and "did you mean" all read
 * these rows, so help text and behaviour cannot drift apart. */
#include <stdlib.h>
#include <string.h>

#include "ww/nearest.h"
#include "ww/shell.h"

static int cmd_help(struct ww_shell *sh, int argc, char **argv);
static int cmd_set(struct ww_shell *sh, int argc, char **argv);
static int cmd_quit(struct ww_shell *sh, int argc, char **argv);

const struct ww_command ww_base_commands[] = {
	{ .name = "read", .args = "FILE [VIEW]",
	  .summary = "read a pcap capture and show every frame",
	  .help = "Reads a classic pcap file, as `tcpdump -w` writes it (Ethernet\n"
		  "captures only), and shows each frame with the current view, or\n"
		  "with VIEW for this read only (see `help set`). The frames are kept\n"
		  "for `show`. FILE - is standard input (tcpdump -U -w - | ...).\n"
		  "A frame that is malformed is shown as far as it could be read,\n"
		  "with what is wrong, and reading goes on. If the file itself is\n"
		  "broken, the frames before the break are shown and the error names\n"
		  "the frame and the file offset where it is.",
	  .run = ww_cmd_read, .complete = { WW_COMPLETE_FILE, WW_COMPLETE_VIEW } },
	{ .name = "show", .args = "[$N|N|N-M]",
	  .summary = "show a frame field by field, or frames of the capture read",
	  .help = "show $N     the field tree of frame $N of the packet list ($last,\n"
		  "            $reply too); live, `show` alone shows the last frame\n"
		  "show        offline: every frame of the last capture read\n"
		  "show N      frame N of the capture only\n"
		  "show N-M    frames N to M\n"
		  "Frames of a capture are shown with the current view: `set view tree`\n"
		  "first to look at one frame field by field.",
	  .run = ww_cmd_show, .complete = { WW_COMPLETE_PACKET } },
	{ .name = "set", .args = "[SETTING [VALUE...]]",
	  .summary = "change how frames are shown",
	  .help = "set                 list the settings and their values\n"
		  "set SETTING VALUE   change one\n"
		  "set fault drop=0.05 dup=0.02 reorder=0.1 corrupt=0.01 [seed=N] [dir=rx|tx|both]\n"
		  "                    faults between the link and the stack, each shown; the\n"
		  "                    same seed, the same faults (frames sent by hand excepted)",
	  .run = cmd_set, .complete = { WW_COMPLETE_SETTING, WW_COMPLETE_SETTING_VALUE } },
	{ .name = "help", .args = "[COMMAND]",
	  .summary = "list the commands, or explain one",
	  .help = "help           the list of commands\n"
		  "help COMMAND   what COMMAND does and how to call it",
	  .run = cmd_help, .complete = { WW_COMPLETE_COMMAND } },
	{ .name = "quit", .alias = "exit", .args = "",
	  .summary = "leave wirewalk (Ctrl-D does too)",
	  .help = "Leaves the shell. The command history is kept in ~/.wirewalk_history.",
	  .run = cmd_quit },
	{ 0 },
};

/* The command table is one table in several files: each module lists its
 * own commands beside their code, and this list joins them, in the order
 * `help` shows them. */
static const struct ww_command *const command_tables[] = {
	ww_base_commands,
	ww_live_commands,
	ww_net_commands,
	ww_dns_commands,
	ww_tcp_commands,
	ww_tls_commands,
	ww_http_commands,
	ww_fetch_commands,
	ww_craft_commands,
	ww_lab_shell_commands,
	ww_lesson_commands,
	ww_exercise_commands,
	NULL,
};

const struct ww_command *ww_command_at(size_t i)
{
	for (const struct ww_command *const *t = command_tables; *t; t++) {
		size_t n = 0;
		while ((*t)[n].name)
			n++;
		if (i < n)
			return &(*t)[i];
		i -= n;
	}
	return NULL;
}

/* ---- settings -------------------------------------------------------- */

const char *const ww_view_words[] = { "summary", "tree", "hex", "bar", "bits", "all", "off", NULL };
static const unsigned view_bits[] = {
	WW_VIEW_SUMMARY, WW_VIEW_TREE, WW_VIEW_HEX, WW_VIEW_BAR, WW_VIEW_BITS, WW_VIEW_ALL, 0,
};
static const char *const color_words[] = { "auto", "on", "off", NULL };
static const char *const onoff_words[] = { "on", "off", NULL };

int ww_view_parse(const char *s, unsigned *view)
{
	unsigned bits = 0;
	/* No frame shown at all: costs nothing per frame. */
	if (strcmp(s, "off") == 0) {
		*view = 0;
		return 0;
	}
	while (*s) {
		size_t n = strcspn(s, ",");
		unsigned i = 0;
		for (; ww_view_words[i]; i++)
			if (strlen(ww_view_words[i]) == n && strncmp(s, ww_view_words[i], n) == 0)
				break;
		if (!ww_view_words[i] || !view_bits[i]) /* "off" stands alone */
			return -1;
		bits |= view_bits[i];
		s += n;
		if (*s == ',')
			s++;
	}
	if (!bits)
		return -1;
	*view = bits;
	return 0;
}

int ww_color_parse(const char *s, enum ww_color_mode *mode)
{
	if (strcmp(s, "auto") == 0)
		*mode = WW_COLOR_AUTO;
	else if (strcmp(s, "on") == 0 || strcmp(s, "always") == 0)
		*mode = WW_COLOR_ON;
	else if (strcmp(s, "off") == 0 || strcmp(s, "never") == 0)
		*mode = WW_COLOR_OFF;
	else
		return -1;
	return 0;
}

static int set_view(struct ww_shell *sh, const char *v)
{
	return ww_view_parse(v, &sh->view);
}

static void print_view(struct ww_shell *sh, FILE *out)
{
	if (sh->view == WW_VIEW_ALL || sh->view == 0) {
		fputs(sh->view ? "all" : "off", out);
		return;
	}
	const char *sep = "";
	for (unsigned i = 0; ww_view_words[i]; i++) {
		if (view_bits[i] != WW_VIEW_ALL && (sh->view & view_bits[i])) {
			fprintf(out, "%s%s", sep, ww_view_words[i]);
			sep = ",";
		}
	}
}

static int set_color(struct ww_shell *sh, const char *v)
{
	return ww_color_parse(v, &sh->color_mode);
}

static void print_color(struct ww_shell *sh, FILE *out)
{
	static const char *const names[] = { "auto", "on", "off" };
	fputs(names[sh->color_mode], out);
}

static int set_json(struct ww_shell *sh, const char *v)
{
	if (strcmp(v, "on") == 0)
		sh->json = true;
	else if (strcmp(v, "off") == 0)
		sh->json = false;
	else
		return -1;
	return 0;
}

static void print_json(struct ww_shell *sh, FILE *out)
{
	fputs(sh->json ? "on" : "off", out);
}

const struct ww_setting ww_settings[] = {
	{ "view", "summary|tree|hex|bar|bits|all|off",
	  "how frames are shown; several with commas: summary,hex", ww_view_words, set_view,
	  print_view },
	{ "color", "auto|on|off",
	  "colour by layer; auto: on a terminal, unless NO_COLOR is set", color_words, set_color,
	  print_color },
	{ "json", "on|off", "one JSON object per frame, one per line, instead of the views",
	  onoff_words, set_json, print_json },
	{ "fault", "drop=P dup=P reorder=P corrupt=P [seed=N] [dir=rx|tx|both] | off",
	  "faults injected between the link and the stack, seeded", ww_fault_words, ww_set_fault,
	  ww_print_fault },
	{ "capture.keep", "N|all", "the packet list keeps the last N frames", ww_keep_words,
	  ww_set_capture_keep, ww_print_capture_keep },
	{ "capture.keep_bytes", "N[k|M|G]|all", "... and at most this many bytes of them",
	  ww_keep_bytes_words, ww_set_capture_keep_bytes, ww_print_capture_keep_bytes },
	{ "tcp.mss", "on|off|N", "the MSS option in our SYN (N: announce N instead of MTU - 40)",
	  ww_tcp_mss_words, ww_set_tcp_mss, ww_print_tcp_mss },
	{ "tcp.wscale", "on|off", "offer window scaling (RFC 7323) in our SYN", ww_tcp_onoff_words,
	  ww_set_tcp_wscale, ww_print_tcp_wscale },
	{ "tcp.sack", "on|off", "offer SACK (RFC 2018) in our SYN", ww_tcp_onoff_words,
	  ww_set_tcp_sack, ww_print_tcp_sack },
	{ "tcp.ts", "on|off", "offer timestamps (RFC 7323) in our SYN", ww_tcp_onoff_words,
	  ww_set_tcp_ts, ww_print_tcp_ts },
	{ "tcp.nagle", "on|off", "hold small segments while one is unacknowledged (RFC 896)",
	  ww_tcp_onoff_words, ww_set_tcp_nagle, ww_print_tcp_nagle },
	{ "tcp.rcvbuf", "N[k|M]", "receive buffer: the most window a new connection offers",
	  ww_tcp_rcvbuf_words, ww_set_tcp_rcvbuf, ww_print_tcp_rcvbuf },
	{ "tcp.stretch_ack", "on|off", "one ACK per burst of frames taken in, as GRO does (off: every 2nd)",
	  ww_tcp_onoff_words, ww_set_tcp_stretch_ack, ww_print_tcp_stretch_ack },
	{ "tcp.rst", "on|off", "answer segments for no connection with RST (off: shown only)",
	  ww_tcp_onoff_words, ww_set_tcp_rst, ww_print_tcp_rst },
	{ "tcp.rto_min", "MS", "the retransmission timeout's lower bound (RFC 6298 says 1000)",
	  ww_tcp_ms_words, ww_set_tcp_rto_min, ww_print_tcp_rto_min },
	{ "tcp.time_wait", "MS", "how long TIME-WAIT lasts (2 MSL: 240000 in RFC 9293)",
	  ww_tcp_ms_words, ww_set_tcp_time_wait, ww_print_tcp_time_wait },
	{ "tls.version", "1.2|1.3|auto", "the TLS versions our ClientHello allows (auto: 1.2 or 1.3)",
	  ww_tls_version_words, ww_set_tls_version, ww_print_tls_version },
	{ 0 },
};

const struct ww_setting *ww_setting_find(const char *name)
{
	for (const struct ww_setting *s = ww_settings; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static int cmd_set(struct ww_shell *sh, int argc, char **argv)
{
	const struct ww_command *self = ww_command_find(argv[0]);
	if (argc == 1) {
		for (const struct ww_setting *s = ww_settings; s->name; s++) {
			fprintf(sh->out, "%-6s ", s->name);
			s->print(sh, sh->out);
			fputc('\n', sh->out);
		}
		return WW_EXIT_OK;
	}
	const struct ww_setting *s = ww_setting_find(argv[1]);
	if (!s)
		return ww_shell_error(sh, WW_EXIT_USAGE, "set: unknown setting '%s' (try 'help set')",
				      argv[1]);
	if (argc == 2) {
		fprintf(sh->out, "%s ", s->name);
		s->print(sh, sh->out);
		fprintf(sh->out, "    (one of %s)\n", s->values);
		return WW_EXIT_OK;
	}
	/* A value of several words (set fault drop=0.1 dup=0.1) comes whole. */
	char value[512];
	size_t n = 0;
	for (int i = 2; i < argc; i++) {
		int w = snprintf(value + n, sizeof value - n, "%s%s", i > 2 ? " " : "", argv[i]);
		if (w < 0 || (size_t)w >= sizeof value - n)
			return ww_shell_usage(sh, self);
		n += (size_t)w;
	}
	int r = s->set(sh, value);
	if (r < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "set %s: '%s' is not one of %s", s->name,
				      value, s->values);
	return r ? WW_EXIT_USAGE : WW_EXIT_OK;
}

/* ---- help, quit ------------------------------------------------------ */

static void print_synopsis(FILE *out, const struct ww_command *c)
{
	char left[64];
	snprintf(left, sizeof left, "%s %s", c->name, c->args);
	fprintf(out, "  %-24s %s\n", left, c->summary);
}

static int cmd_help(struct ww_shell *sh, int argc, char **argv)
{
	if (argc == 1) {
		fputs("Commands (help COMMAND tells more):\n", sh->out);
		const struct ww_command *c;
		for (size_t ci = 0; (c = ww_command_at(ci)) != NULL; ci++)
			print_synopsis(sh->out, c);
		return WW_EXIT_OK;
	}
	if (argc > 2)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	const struct ww_command *c = ww_command_find(argv[1]);
	if (!c) {
		const char *near = ww_command_nearest(argv[1]);
		if (near)
			return ww_shell_error(sh, WW_EXIT_USAGE,
					      "help: no command '%s'; did you mean '%s'?", argv[1],
					      near);
		return ww_shell_error(sh, WW_EXIT_USAGE, "help: no command '%s'", argv[1]);
	}
	fprintf(sh->out, "%s%s%s\n    %s\n\n%s\n", c->name, *c->args ? " " : "", c->args,
		c->summary, c->help);
	if (c->alias)
		fprintf(sh->out, "Also called: %s\n", c->alias);
	if (c->run == cmd_set) {
		fputs("\nSettings:\n", sh->out);
		for (const struct ww_setting *s = ww_settings; s->name; s++)
			fprintf(sh->out, "  %-6s %-31s %s\n", s->name, s->values, s->summary);
	}
	return WW_EXIT_OK;
}

static int cmd_quit(struct ww_shell *sh, int argc, char **argv)
{
	if (argc > 1)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	sh->quit = true;
	return WW_EXIT_OK;
}

/* ---- lookup ---------------------------------------------------------- */

const struct ww_command *ww_command_find(const char *name)
{
	const struct ww_command *c;
	for (size_t ci = 0; (c = ww_command_at(ci)) != NULL; ci++)
		if (strcmp(c->name, name) == 0 || (c->alias && strcmp(c->alias, name) == 0))
			return c;
	return NULL;
}


static void consider(const char *name, const char *cand, const char **best, unsigned *best_d)
{
	unsigned d = ww_edit_distance(name, cand);
	size_t longer = strlen(name) > strlen(cand) ? strlen(name) : strlen(cand);
	/* As far as the longer word is long: nothing in common, no hint. */
	if (d < longer && d < *best_d) {
		*best = cand;
		*best_d = d;
	}
}

const char *ww_command_nearest(const char *name)
{
	const char *best = NULL;
	unsigned best_d = ~0u;
	const struct ww_command *c;
	for (size_t ci = 0; (c = ww_command_at(ci)) != NULL; ci++) {
		consider(name, c->name, &best, &best_d);
		if (c->alias)
			consider(name, c->alias, &best, &best_d);
	}
	return best;
}
