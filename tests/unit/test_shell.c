/* The shell's command table, its lookup and suggestions, word splitting,
 * and commands run end to end with their output and errors captured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pcap_captures.h"
#include "ww/pcap.h"
#include "ww/shell.h"

/* ---- the table ------------------------------------------------------- */

static void test_every_command_complete(void **state)
{
	(void)state;
	unsigned n = 0;
	const struct ww_command *c;
	for (size_t ci = 0; (c = ww_command_at(ci)) != NULL; ci++, n++) {
		assert_non_null(c->args);
		assert_non_null(c->summary);
		assert_non_null(c->help);
		assert_non_null(c->run);
		assert_ptr_equal(ww_command_find(c->name), c);
		if (c->alias)
			assert_ptr_equal(ww_command_find(c->alias), c);
	}
	assert_true(n >= 5);
	for (const struct ww_setting *s = ww_settings; s->name; s++) {
		assert_non_null(s->words);
		assert_ptr_equal(ww_setting_find(s->name), s);
	}
}

static void test_find(void **state)
{
	(void)state;
	assert_string_equal(ww_command_find("read")->name, "read");
	assert_string_equal(ww_command_find("exit")->name, "quit");
	assert_null(ww_command_find("rea"));
	assert_null(ww_command_find("READ"));
	assert_null(ww_command_find(""));
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(ww_edit_distance("", ""), 0);
	assert_int_equal(ww_edit_distance("read", "read"), 0);
	assert_int_equal(ww_edit_distance("raed", "read"), 1); /* a swapped pair */
	assert_int_equal(ww_edit_distance("red", "read"), 1);
	assert_int_equal(ww_edit_distance("reads", "read"), 1);
	assert_int_equal(ww_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(ww_edit_distance("x", "exit"), 3);
	assert_int_equal(ww_edit_distance("", "help"), 4);
	assert_int_equal(ww_edit_distance("ca", "abc"), 3); /* OSA, not full Damerau */
}

static void test_nearest(void **state)
{
	(void)state;
	assert_string_equal(ww_command_nearest("raed"), "read");
	assert_string_equal(ww_command_nearest("shwo"), "show");
	assert_string_equal(ww_command_nearest("hlep"), "help");
	assert_string_equal(ww_command_nearest("sett"), "set");
	assert_string_equal(ww_command_nearest("exti"), "exit");
	/* A one-letter word is near many names; it still gets one. */
	assert_non_null(ww_command_nearest("x"));
	assert_null(ww_command_nearest("zzzzzzzz"));
}

static void test_view_parse(void **state)
{
	(void)state;
	unsigned v = 0;
	assert_int_equal(ww_view_parse("tree", &v), 0);
	assert_int_equal(v, WW_VIEW_TREE);
	assert_int_equal(ww_view_parse("summary,hex", &v), 0);
	assert_int_equal(v, WW_VIEW_SUMMARY | WW_VIEW_HEX);
	assert_int_equal(ww_view_parse("all", &v), 0);
	assert_int_equal(v, WW_VIEW_ALL);
	v = 99;
	assert_int_equal(ww_view_parse("trees", &v), -1);
	assert_int_equal(ww_view_parse("", &v), -1);
	assert_int_equal(ww_view_parse(",", &v), -1);
	assert_int_equal(ww_view_parse("tree,", &v), 0);
	assert_int_equal(v, WW_VIEW_TREE);

	enum ww_color_mode m;
	assert_int_equal(ww_color_parse("always", &m), 0);
	assert_int_equal(m, WW_COLOR_ON);
	assert_int_equal(ww_color_parse("never", &m), 0);
	assert_int_equal(m, WW_COLOR_OFF);
	assert_int_equal(ww_color_parse("auto", &m), 0);
	assert_int_equal(m, WW_COLOR_AUTO);
	assert_int_equal(ww_color_parse("yes", &m), -1);
}

static void test_split_words(void **state)
{
	(void)state;
	char line[] = "  read 'my file.pcap'  \"tree\"x # a comment";
	char *argv[8];
	const char *why = NULL;
	assert_int_equal(ww_split_words(line, argv, 8, &why), 3);
	assert_string_equal(argv[0], "read");
	assert_string_equal(argv[1], "my file.pcap");
	assert_string_equal(argv[2], "treex");

	char bad[] = "read 'open";
	assert_int_equal(ww_split_words(bad, argv, 8, &why), -1);
	assert_string_equal(why, "unterminated quote");

	char many[] = "a b c";
	assert_int_equal(ww_split_words(many, argv, 2, &why), -1);
	assert_string_equal(why, "too many words");

	char empty[] = "   # only a comment";
	assert_int_equal(ww_split_words(empty, argv, 8, &why), 0);
}

/* ---- commands run end to end ----------------------------------------- */

struct run {
	struct ww_shell sh;
	char *out, *err;
	size_t outlen, errlen;
	FILE *outf, *errf;
};

static void run_start(struct run *r)
{
	r->outf = open_memstream(&r->out, &r->outlen);
	r->errf = open_memstream(&r->err, &r->errlen);
	assert_non_null(r->outf);
	assert_non_null(r->errf);
	assert_int_equal(ww_shell_init(&r->sh, r->outf, r->errf), 0);
	r->sh.color_mode = WW_COLOR_OFF;
}

static void run_end(struct run *r)
{
	ww_shell_free(&r->sh);
	fclose(r->outf);
	fclose(r->errf);
	free(r->out);
	free(r->err);
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Lines that are frame objects, as `read` and `show` print them in JSON
 * mode (each command's result object follows them). */
static unsigned count_frames(const char *s)
{
	unsigned n = 0;
	for (const char *line = s; *line; line = strchr(line, '\n') + 1) {
		n += strncmp(line, "{\"frame\":", 9) == 0;
		if (!strchr(line, '\n'))
			break;
	}
	return n;
}

static void test_unknown_command(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	assert_int_equal(ww_shell_exec(&r.sh, "raed x.pcap"), WW_EXIT_USAGE);
	fflush(r.errf);
	assert_string_equal(r.err, "unknown command 'raed'; did you mean 'read'?\n");
	assert_false(r.sh.quit);
	run_end(&r);
}

static void test_help_lists_the_table(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	assert_int_equal(ww_shell_exec(&r.sh, "help"), WW_EXIT_OK);
	fflush(r.outf);
	const struct ww_command *c;
	for (size_t ci = 0; (c = ww_command_at(ci)) != NULL; ci++) {
		assert_non_null(strstr(r.out, c->name));
		assert_non_null(strstr(r.out, c->summary));
	}
	assert_int_equal(ww_shell_exec(&r.sh, "help set"), WW_EXIT_OK);
	fflush(r.outf);
	for (const struct ww_setting *s = ww_settings; s->name; s++)
		assert_non_null(strstr(r.out, s->values));
	assert_int_equal(ww_shell_exec(&r.sh, "help nope"), WW_EXIT_USAGE);
	assert_int_equal(ww_shell_exec(&r.sh, "help shw"), WW_EXIT_USAGE);
	fflush(r.errf);
	/* Whatever 'nope' suggests, 'shw' must suggest 'show'. */
	assert_non_null(strstr(r.err, "help: no command 'nope'"));
	assert_non_null(strstr(r.err, "help: no command 'shw'; did you mean 'show'?\n"));
	run_end(&r);
}

static void test_set_and_quit(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	assert_int_equal(ww_shell_run_commands(&r.sh, "set view tree,hex; set color always;"
						      " set json on"),
			 WW_EXIT_OK);
	assert_int_equal(r.sh.view, WW_VIEW_TREE | WW_VIEW_HEX);
	assert_int_equal(r.sh.color_mode, WW_COLOR_ON);
	assert_true(r.sh.json);
	/* In JSON mode a command's output comes back as its result object. */
	assert_int_equal(ww_shell_exec(&r.sh, "set"), WW_EXIT_OK);
	fflush(r.outf);
	assert_string_equal(r.out, "{\"event\":\"result\",\"command\":\"set\",\"status\":0,"
				   "\"output\":\"view   tree,hex\\u000acolor  on\\u000ajson   on\\u000a"
				   "fault  off\\u000acapture.keep 10000\\u000acapture.keep_bytes 4M\\u000a"
				   "tcp.mss on\\u000atcp.wscale off\\u000atcp.sack off\\u000atcp.ts off\\u000a"
				   "tcp.nagle on\\u000atcp.rcvbuf 65535\\u000atcp.stretch_ack off\\u000atcp.rst off\\u000atcp.rto_min 200\\u000a"
				   "tcp.time_wait 1000\\u000atls.version auto\\u000a\"}\n");
	assert_int_equal(ww_shell_exec(&r.sh, "set view sideways"), WW_EXIT_USAGE);
	assert_int_equal(r.sh.view, WW_VIEW_TREE | WW_VIEW_HEX);
	fflush(r.errf);
	assert_string_equal(r.err,
			    "set view: 'sideways' is not one of summary|tree|hex|bar|bits|all|off\n");
	/* quit stops a command list; what follows does not run. */
	assert_int_equal(ww_shell_run_commands(&r.sh, "exit; set view bits"), WW_EXIT_OK);
	assert_true(r.sh.quit);
	assert_int_equal(r.sh.view, WW_VIEW_TREE | WW_VIEW_HEX);
	run_end(&r);
}

/* A command list stops at the first failure; with keep_going it goes on
 * and reports the worst status. */
static void test_commands_worst_status(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	snprintf(r.sh.where, sizeof r.sh.where, "wirewalk: ");
	assert_int_equal(ww_shell_run_commands(&r.sh, "set view hex; zzzzzzzz; set view 'bits'"),
			 WW_EXIT_USAGE);
	assert_int_equal(r.sh.view, WW_VIEW_HEX);
	r.sh.keep_going = true;
	assert_int_equal(ww_shell_run_commands(&r.sh, "zzzzzzzz; set view 'bits' ;; set color off"),
			 WW_EXIT_USAGE);
	assert_int_equal(r.sh.view, WW_VIEW_BITS);
	assert_int_equal(r.sh.color_mode, WW_COLOR_OFF);
	fflush(r.errf);
	assert_string_equal(r.err, "wirewalk: unknown command 'zzzzzzzz'; 'help' lists the commands\n"
				   "wirewalk: unknown command 'zzzzzzzz'; 'help' lists the commands\n");
	run_end(&r);
}

static void test_script_names_lines(void **state)
{
	(void)state;
	static char script[] = "# set things up\n\nset view tree\nshow\nset json maybe\n";
	struct run r;
	run_start(&r);
	FILE *f = fmemopen(script, strlen(script), "r");
	assert_int_equal(ww_shell_run_script(&r.sh, f, "lesson.ww"), WW_EXIT_USAGE);
	fclose(f);
	fflush(r.errf);
	/* The script stops at its first failure... */
	assert_string_equal(r.err, "lesson.ww:4: show: no capture read yet: 'read FILE' first\n");
	/* ...unless told to keep going. */
	r.sh.keep_going = true;
	f = fmemopen(script, strlen(script), "r");
	assert_int_equal(ww_shell_run_script(&r.sh, f, "lesson.ww"), WW_EXIT_USAGE);
	fclose(f);
	fflush(r.errf);
	assert_string_equal(r.err, "lesson.ww:4: show: no capture read yet: 'read FILE' first\n"
				   "lesson.ww:4: show: no capture read yet: 'read FILE' first\n"
				   "lesson.ww:5: set json: 'maybe' is not one of on|off\n");
	assert_int_equal(r.sh.view, WW_VIEW_TREE);
	assert_string_equal(r.sh.where, "");
	run_end(&r);
}

/* Write BYTES to a new temporary file; returns its path (free it). */
static char *temp_file(const uint8_t *bytes, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path = NULL;
	assert_true(asprintf(&path, "%s/ww-test-XXXXXX", dir && *dir ? dir : P_tmpdir) > 0);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_read_and_show(void **state)
{
	(void)state;
	char *path = temp_file(ww_tcpdump_usec, sizeof ww_tcpdump_usec);
	struct run r;
	run_start(&r);
	r.sh.json = true; /* one line per frame, whatever the views print */
	char cmd[512];
	snprintf(cmd, sizeof cmd, "read '%s'", path);
	assert_int_equal(ww_shell_exec(&r.sh, cmd), WW_EXIT_OK);
	fflush(r.outf);
	assert_int_equal(count_frames(r.out), 6);
	assert_int_equal(strncmp(r.out, "{\"frame\":1,", 11), 0);
	assert_int_equal(r.sh.last.n, 6);
	assert_int_equal(r.sh.last.frames[5].caplen, 66);

	size_t before = r.outlen;
	assert_int_equal(ww_shell_exec(&r.sh, "show 3"), WW_EXIT_OK);
	fflush(r.outf);
	assert_int_equal(count_frames(r.out + before), 1);
	assert_int_equal(strncmp(r.out + before, "{\"frame\":3,", 11), 0);
	assert_non_null(strstr(r.out + before, "\n{\"event\":\"result\",\"command\":\"show 3\",\"status\":0,"));
	assert_int_equal(ww_shell_exec(&r.sh, "show 2-4"), WW_EXIT_OK);
	fflush(r.outf);
	assert_int_equal(count_frames(r.out + before), 4);

	assert_int_equal(ww_shell_exec(&r.sh, "show 7"), WW_EXIT_USAGE);
	assert_int_equal(ww_shell_exec(&r.sh, "show 0"), WW_EXIT_USAGE);
	assert_int_equal(ww_shell_exec(&r.sh, "show 3-x"), WW_EXIT_USAGE);
	fflush(r.errf);
	char want[1024];
	snprintf(want, sizeof want,
		 "show: no frame 7: %s has 6 frames\n"
		 "show: '0' is not a frame number or N-M\n"
		 "show: '3-x' is not a frame number or N-M\n", path);
	assert_string_equal(r.err, want);
	run_end(&r);
	unlink(path);
	free(path);
}

/* A capture cut short: the frames before are shown, then the error
 * naming frame and offset; status 1. */
static void test_read_truncated_capture(void **state)
{
	(void)state;
	size_t len = sizeof ww_tcpdump_usec - 20; /* the last frame loses 20 of its 66 bytes */
	char *path = temp_file(ww_tcpdump_usec, len);
	struct run r;
	run_start(&r);
	r.sh.json = true;
	assert_int_equal(ww_shell_read(&r.sh, path, WW_VIEW_SUMMARY), WW_EXIT_FAIL);
	fflush(r.outf);
	fflush(r.errf);
	assert_int_equal(count_lines(r.out), 5);
	char want[1024];
	snprintf(want, sizeof want, "%s: frame 6 at offset 386: record truncated: caplen 66,"
		 " 46 bytes left\n", path);
	assert_string_equal(r.err, want);
	assert_int_equal(r.sh.last.n, 5);
	run_end(&r);
	unlink(path);
	free(path);
}

static void test_read_missing_file(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	snprintf(r.sh.where, sizeof r.sh.where, "wirewalk: ");
	assert_int_equal(ww_shell_exec(&r.sh, "read no/such/capture.pcap"), WW_EXIT_USAGE);
	assert_int_equal(ww_shell_exec(&r.sh, "read"), WW_EXIT_USAGE);
	assert_int_equal(ww_shell_exec(&r.sh, "read x.pcap sideways"), WW_EXIT_USAGE);
	fflush(r.errf);
	assert_string_equal(r.err,
			    "wirewalk: no/such/capture.pcap: cannot open: No such file or directory\n"
			    "wirewalk: usage: read FILE [VIEW]\n"
			    "wirewalk: read: unknown view 'sideways' (summary, tree, hex, bar, bits,"
			    " all)\n");
	run_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_complete),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_view_parse),
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_help_lists_the_table),
		cmocka_unit_test(test_set_and_quit),
		cmocka_unit_test(test_commands_worst_status),
		cmocka_unit_test(test_script_names_lines),
		cmocka_unit_test(test_read_and_show),
		cmocka_unit_test(test_read_truncated_capture),
		cmocka_unit_test(test_read_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
