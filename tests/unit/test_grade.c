/* The grader's parts that need no lab: a datagram of ours that a router
 * sent back is told from a real answer; tasks score all or nothing over
 * the frames given; a grade survives the trip between the grader's
 * processes whatever its text holds, and a cut or garbled trip is refused;
 * results.json and TAP say what the table says; exercise names resolve;
 * a graded solution's files stay in its directory and its commands are
 * vetted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ww/grade.h"
#include "ww/lesson.h"
#include "ww/session.h"
#include "ww/shell.h"

/* An echo request from 192.168.1.5 to 192.0.2.10, TTL 64, id 0x1234,
 * ICMP identifier 0x4242 sequence 2: Ethernet, 20 bytes of IPv4, 8 of
 * ICMP, padded to 60. The IPv4 checksum 0xe4f5 is right. */
static const uint8_t echo[60] = {
	0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01, 0xe4, 0xf5,
	0xc0, 0xa8, 0x01, 0x05, 0xc0, 0x00, 0x02, 0x0a,
	0x08, 0x00, 0x73, 0xbb, 0x42, 0x42, 0x00, 0x02,
};

/* ECHO as the router sends it back onto the LAN: its own MACs, TTL 63,
 * the checksum it computed again. */
static void bounced(uint8_t out[60])
{
	memcpy(out, echo, 60);
	memcpy(out, "\x02\x00\x00\x00\x00\x05\x02\x00\x00\x00\x01\x01", 12);
	out[22] = 63;
	out[24] = 0xe5;
	out[25] = 0xf5;
}

static void reflection_is_told(void **state)
{
	(void)state;
	uint8_t rx[60];
	bounced(rx);
	assert_true(ww_grade_is_reflection(echo, sizeof echo, rx, sizeof rx));
	/* The same TTL: not through a router. */
	rx[22] = 64;
	assert_false(ww_grade_is_reflection(echo, sizeof echo, rx, sizeof rx));
	/* Any other byte of the datagram differs: a different datagram (an
	 * echo reply has type 0). */
	bounced(rx);
	rx[34] = 0x00;
	assert_false(ww_grade_is_reflection(echo, sizeof echo, rx, sizeof rx));
	/* The padding after the datagram does not count. */
	bounced(rx);
	rx[59] = 0xff;
	assert_true(ww_grade_is_reflection(echo, sizeof echo, rx, sizeof rx));
	/* Not IPv4 at all, or cut short. */
	bounced(rx);
	rx[13] = 0x06;
	assert_false(ww_grade_is_reflection(echo, sizeof echo, rx, sizeof rx));
	bounced(rx);
	assert_false(ww_grade_is_reflection(echo, sizeof echo, rx, 30));
}

static void reflection_through_a_vlan_tag(void **state)
{
	(void)state;
	uint8_t tagged[64], rx[64];
	memcpy(tagged, echo, 12);
	memcpy(tagged + 12, "\x81\x00\x00\x07", 4);
	memcpy(tagged + 16, echo + 12, 48);
	memcpy(rx, tagged, 64);
	rx[26] = 1; /* TTL, four bytes later than untagged */
	assert_true(ww_grade_is_reflection(tagged, sizeof tagged, rx, sizeof rx));
}

static struct ww_packet pkt(unsigned no, bool sent, const uint8_t *data, size_t len)
{
	return (struct ww_packet){ .no = no, .sent = sent, .len = (uint32_t)len,
				   .data = (uint8_t *)data, .ts_ns = no * 1000u };
}

static void reflections_are_left_out(void **state)
{
	(void)state;
	uint8_t rx[60], reply[60];
	bounced(rx);
	memcpy(reply, rx, 60);
	reply[34] = 0x00; /* an echo reply: a real answer */
	/* A received copy before the frame was sent cannot be its echo. */
	struct ww_packet list[] = {
		pkt(1, false, rx, 60),
		pkt(2, true, echo, 60),
		pkt(3, false, rx, 60),
		pkt(4, false, reply, 60),
	};
	struct ww_grade_frames f;
	assert_int_equal(ww_grade_frames_filter(list, 4, &f), 0);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.reflected, 1);
	assert_int_equal(f.frames[0].no, 1);
	assert_int_equal(f.frames[1].no, 2);
	assert_int_equal(f.frames[2].no, 4);
	ww_grade_frames_free(&f);
	assert_int_equal(ww_grade_frames_filter(NULL, 0, &f), 0);
	assert_int_equal(f.n, 0);
	ww_grade_frames_free(&f);
}

/* ---- judging ------------------------------------------------------------- */

static const char exercise[] =
	"# A test exercise\n"
	"Time limit: 20 s\n"
	"\n"
	"```task ask\n"
	"Do: Ask.\n"
	"Points: 2\n"
	"Check: sent icmp.type == echo-request and icmp.seq == 2\n"
	"Feedback: Sequence number 2.\n"
	"Check: received icmp.type == echo-reply\n"
	"Feedback: The server answers.\n"
	"```\n"
	"\n"
	"```task quiet\n"
	"Do: Nothing else.\n"
	"Points: 3\n"
	"Check: no sent arp\n"
	"```\n";

static void tasks_score_all_or_nothing(void **state)
{
	(void)state;
	struct ww_lesson *l = NULL;
	char err[256];
	assert_int_equal(ww_lesson_parse_buffer("ex.md", exercise, sizeof exercise - 1, &l, err,
						sizeof err), 0);
	uint8_t reply[60];
	bounced(reply);
	reply[34] = 0x00;
	struct ww_packet list[] = { pkt(1, true, echo, 60), pkt(2, false, reply, 60) };
	struct ww_grade_frames f;
	struct ww_lesson_evidence ev = { 0 };

	/* The request alone: the first task fails on its second check. */
	assert_int_equal(ww_grade_frames_filter(list, 1, &f), 0);
	struct ww_grade_result r;
	memset(&r, 0, sizeof r);
	assert_int_equal(ww_grade_evaluate(l, &ev, &f, &r), 0);
	ww_grade_frames_free(&f);
	assert_int_equal(r.ntasks, 2);
	assert_string_equal(r.title, "A test exercise");
	assert_int_equal(r.time_limit_s, 20);
	assert_string_equal(r.tasks[0].id, "ask");
	assert_int_equal(r.tasks[0].points, 2);
	assert_int_equal(r.tasks[0].score, 0);
	assert_true(r.tasks[0].checks[0].pass);
	assert_false(r.tasks[0].checks[1].pass);
	assert_string_equal(r.tasks[0].checks[1].feedback, "The server answers.");
	assert_string_equal(r.tasks[0].checks[1].check, "received icmp.type == echo-reply");
	assert_int_equal(r.tasks[1].score, 3);
	assert_int_equal(ww_grade_score(&r), 3);
	assert_int_equal(ww_grade_max(&r), 5);
	ww_grade_result_free(&r);

	/* With the reply: full marks. */
	assert_int_equal(ww_grade_frames_filter(list, 2, &f), 0);
	assert_int_equal(ww_grade_evaluate(l, &ev, &f, &r), 0);
	ww_grade_frames_free(&f);
	assert_int_equal(ww_grade_score(&r), 5);
	ww_grade_result_free(&r);

	/* The "reply" is our own request bounced: it does not count. */
	uint8_t rx[60];
	bounced(rx);
	list[1] = pkt(2, false, rx, 60);
	assert_int_equal(ww_grade_frames_filter(list, 2, &f), 0);
	assert_int_equal(f.reflected, 1);
	assert_int_equal(ww_grade_evaluate(l, &ev, &f, &r), 0);
	ww_grade_frames_free(&f);
	assert_int_equal(ww_grade_score(&r), 3);
	ww_grade_result_free(&r);
	ww_lesson_free(l);
}

/* ---- the trip between the processes, the reports ------------------------------ */

/* A grade whose text holds everything that needs escaping. */
static void sample(struct ww_grade_result *r)
{
	memset(r, 0, sizeof *r);
	r->title = strdup("Ex\t1 · tabs\\and\nlines");
	r->exercise = strdup("lessons/exercises/01-x.md");
	r->seconds = 1.25;
	r->time_limit_s = 30;
	r->timed_out = true;
	r->notes = strdup("sol.ww:3: sr1: no answer\nsol.ww:4: lab: refused\n");
	r->ntasks = 2;
	r->tasks = calloc(2, sizeof *r->tasks);
	r->tasks[0] = (struct ww_grade_task){ .id = strdup("a"), .title = strdup("Do # this"),
					      .points = 2, .score = 2 };
	r->tasks[0].nchecks = 1;
	r->tasks[0].checks = calloc(1, sizeof *r->tasks[0].checks);
	r->tasks[0].checks[0] = (struct ww_grade_check){ .pass = true, .check = strdup("sent arp"),
							 .detail = strdup("$1 sent") };
	r->tasks[1] = (struct ww_grade_task){ .id = strdup("b"), .title = strdup("Then \"that\""),
					      .points = 3, .score = 0 };
	r->tasks[1].nchecks = 2;
	r->tasks[1].checks = calloc(2, sizeof *r->tasks[1].checks);
	r->tasks[1].checks[0] = (struct ww_grade_check){
		.check = strdup("received data.data contains \"a\tb\""),
		.detail = strdup("expected X, saw Y"), .feedback = strdup("") };
	r->tasks[1].checks[1] = (struct ww_grade_check){ .check = strdup("state tcp.state == x"),
							 .detail = strdup("") };
}

static char *written(const struct ww_grade_result *r, void (*fn)(FILE *, const struct ww_grade_result *))
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	fn(m, r);
	fclose(m);
	return buf;
}

static void write_stream(FILE *f, const struct ww_grade_result *r)
{
	assert_int_equal(ww_grade_result_write(f, r), 0);
}

static void stream_round_trip(void **state)
{
	(void)state;
	struct ww_grade_result a, b;
	sample(&a);
	char *text = written(&a, write_stream);
	FILE *in = fmemopen(text, strlen(text), "r");
	char err[128];
	assert_int_equal(ww_grade_result_read(in, &b, err, sizeof err), 0);
	fclose(in);
	assert_string_equal(b.title, a.title);
	assert_string_equal(b.notes, a.notes);
	assert_true(b.timed_out);
	assert_int_equal(b.time_limit_s, 30);
	assert_true(b.seconds > 1.24 && b.seconds < 1.26);
	assert_int_equal(b.ntasks, 2);
	assert_int_equal(ww_grade_score(&b), 2);
	assert_int_equal(ww_grade_max(&b), 5);
	assert_string_equal(b.tasks[1].checks[0].check, a.tasks[1].checks[0].check);
	assert_non_null(b.tasks[1].checks[0].feedback); /* empty is not none */
	assert_string_equal(b.tasks[1].checks[0].feedback, "");
	assert_null(b.tasks[1].checks[1].feedback);
	assert_null(b.tasks[0].checks[0].feedback);
	ww_grade_result_free(&b);

	/* Cut anywhere before the end: refused. */
	for (size_t cut = 0; cut + 2 < strlen(text); cut += 7) {
		in = fmemopen(text, cut, "r");
		if (!in) /* fmemopen of 0 bytes */
			continue;
		assert_int_equal(ww_grade_result_read(in, &b, err, sizeof err), -1);
		fclose(in);
	}
	/* A score above the points, a check before any task: refused. */
	static const char *const garbled[] = {
		"R\tt\te\t1\t0\t0\t0\nT\ta\tb\t2\t3\nE\n",
		"R\tt\te\t1\t0\t0\t0\nC\t1\tc\td\t0\t\nE\n",
		"T\ta\tb\t2\t2\nE\n",
		"R\tt\te\t1\t0\t0\nE\n",
		"R\tt\te\t1\t0\t0\t0\nN\ta\nN\tb\nE\n",
	};
	for (size_t i = 0; i < sizeof garbled / sizeof garbled[0]; i++) {
		in = fmemopen((void *)garbled[i], strlen(garbled[i]), "r");
		assert_int_equal(ww_grade_result_read(in, &b, err, sizeof err), -1);
		fclose(in);
	}
	free(text);
	ww_grade_result_free(&a);
}

static void table(FILE *f, const struct ww_grade_result *r)
{
	ww_grade_print_table(f, r, false);
}

static void reports_agree(void **state)
{
	(void)state;
	struct ww_grade_result r;
	sample(&r);
	char *json = written(&r, ww_grade_write_json);
	assert_non_null(strstr(json, "\"score\": 2,"));
	assert_non_null(strstr(json, "\"max_score\": 5,"));
	assert_non_null(strstr(json, "\"execution_time\": 1.250,"));
	assert_non_null(strstr(json, "\"name\": \"a: Do # this\", \"number\": \"1\", \"score\": 2, "
				     "\"max_score\": 2, \"status\": \"passed\""));
	assert_non_null(strstr(json, "\"status\": \"failed\""));
	assert_non_null(strstr(json, "\"visibility\": \"visible\""));
	assert_non_null(strstr(json, "Then \\\"that\\\""));
	assert_null(strchr(json, '\t')); /* control characters are escaped */
	char *tap = written(&r, ww_grade_write_tap);
	assert_memory_equal(tap, "TAP version 14\n1..2\nok 1 - a: Do \\# this\n", 40);
	assert_non_null(strstr(tap, "not ok 2 - b: Then \"that\"\n  ---\n"));
	assert_non_null(strstr(tap, "    - check: \"received data.data contains \\\"a\\u0009b\\\"\"\n"));
	assert_non_null(strstr(tap, "  ...\n# score 2/5\n"));
	char *t = written(&r, table);
	assert_non_null(strstr(t, "  a        2/2  passed\n"));
	assert_non_null(strstr(t, "  b        0/3  failed\n    ✗ Check: received data.data"));
	assert_non_null(strstr(t, "      expected X, saw Y\n"));
	assert_non_null(strstr(t, "stopped at the time limit (30 s)"));
	assert_non_null(strstr(t, "\nScore: 2/5 (1.2 s)\n"));
	free(json);
	free(tap);
	free(t);
	ww_grade_result_free(&r);
}

/* ---- finding exercises ------------------------------------------------------- */

static void exercise_names(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	char dir[256];
	snprintf(dir, sizeof dir, "%s/ww-grade-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	assert_non_null(mkdtemp(dir));
	char file[300];
	snprintf(file, sizeof file, "%s/06-handshake.md", dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("# x\n", f);
	fclose(f);
	setenv("WIREWALK_EXERCISES", dir, 1);
	char path[512], err[256];
	const char *names[] = { "06", "handshake", "06-handshake" };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(ww_grade_find_exercise(names[i], path, sizeof path, err, sizeof err), 0);
		assert_string_equal(path, file);
	}
	/* Not there, nor in any other directory looked in. */
	assert_int_equal(ww_grade_find_exercise("99", path, sizeof path, err, sizeof err), -1);
	assert_non_null(strstr(err, "no exercise '99'"));
	assert_int_equal(ww_grade_find_exercise("hand", path, sizeof path, err, sizeof err), -1);
	assert_int_equal(ww_grade_find_exercise(file, path, sizeof path, err, sizeof err), 0);
	assert_int_equal(ww_grade_find_exercise("nowhere/x.md", path, sizeof path, err, sizeof err),
			 -1);
	unlink(file);
	rmdir(dir);
	unsetenv("WIREWALK_EXERCISES");
}

/* ---- what a graded solution may do --------------------------------------------- */

static void paths_stay_inside(void **state)
{
	(void)state;
	struct ww_shell sh = { .restricted = true };
	assert_null(ww_shell_restricted_path(&sh, "cap.pcap"));
	assert_null(ww_shell_restricted_path(&sh, "out/cap.pcap"));
	assert_null(ww_shell_restricted_path(&sh, "..cap"));
	assert_non_null(ww_shell_restricted_path(&sh, "/etc/passwd"));
	assert_non_null(ww_shell_restricted_path(&sh, ".."));
	assert_non_null(ww_shell_restricted_path(&sh, "../x"));
	assert_non_null(ww_shell_restricted_path(&sh, "a/../../x"));
	assert_non_null(ww_shell_restricted_path(&sh, "a/.."));
	assert_non_null(ww_shell_restricted_path(&sh, "-"));
	assert_non_null(ww_shell_restricted_path(&sh, ""));
}

static const char *vet(struct ww_shell *sh, const char *line)
{
	static char copy[256];
	static char *argv[16];
	snprintf(copy, sizeof copy, "%s", line);
	const char *why;
	int argc = ww_split_words(copy, argv, 15, &why);
	assert_true(argc > 0);
	const struct ww_command *c = ww_command_find(argv[0]);
	assert_non_null(c);
	return ww_shell_restricted_refuse(sh, c, argc, argv);
}

static void commands_are_vetted(void **state)
{
	(void)state;
	struct ww_shell sh = { .restricted = true };
	assert_null(vet(&sh, "sr1 ip(dst=192.0.2.10)/icmp()"));
	assert_null(vet(&sh, "dns www.example.com @198.51.100.1"));
	assert_null(vet(&sh, "tcp recv -o page.html"));
	assert_null(vet(&sh, "capture save x.pcap"));
	assert_null(vet(&sh, "set tcp.mss 536"));
	assert_non_null(vet(&sh, "lab impair loss=1"));
	assert_non_null(vet(&sh, "tcp recv -o ../page.html"));
	assert_non_null(vet(&sh, "tcp send @/etc/shadow"));
	assert_non_null(vet(&sh, "capture save /x.pcap"));
	assert_non_null(vet(&sh, "read /etc/passwd"));
	assert_non_null(vet(&sh, "set capture.keep 0"));
	assert_non_null(vet(&sh, "exercise start 01"));
	struct ww_command unknown = { .name = "newcommand" };
	char *argv[] = { "newcommand", NULL };
	assert_non_null(ww_shell_restricted_refuse(&sh, &unknown, 1, argv));
	sh.restricted = false;
	assert_null(vet(&sh, "lab impair loss=1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reflection_is_told),
		cmocka_unit_test(reflection_through_a_vlan_tag),
		cmocka_unit_test(reflections_are_left_out),
		cmocka_unit_test(tasks_score_all_or_nothing),
		cmocka_unit_test(stream_round_trip),
		cmocka_unit_test(reports_agree),
		cmocka_unit_test(exercise_names),
		cmocka_unit_test(paths_stay_inside),
		cmocka_unit_test(commands_are_vetted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
