/* The lesson file parser: a whole lesson read into steps, parts and
 * tasks; every kind of malformed file refused with its file, line and
 * reason; and the real lessons of lessons/ all loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ww/lesson.h"

static const char good[] =
	"\n"
	"# 06 · The TCP handshake\n"
	"Minutes: 15\n"
	"Time limit: 2 min\n"
	"\n"
	"Intro prose.\n"
	"## The header\r\n"
	"Some text.\n"
	"```\n"
	"## not a heading: inside a plain block\n"
	"```\n"
	"```wirewalk\n"
	"tcp connect www.example.com 80\n"
	"\n"
	"tcp status\n"
	"```\n"
	"More text.\n"
	"## By hand\n"
	"```task syn\n"
	"Do: Send a SYN by hand to 192.0.2.10 port 80\n"
	"with sequence number 1000.\n"
	"Points: 2\n"
	"Hint: Use sr1 with ip(...)/tcp(...).\n"
	"Hint: flags=S, seq=1000.\n"
	"Solution: sr1 ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000)\n"
	"Check: sent tcp.flags == S and tcp.seq == 1000 and ip.dst == 192.0.2.10\n"
	"Feedback: The SYN must carry only the SYN flag,\n"
	"and sequence number 1000.\n"
	"Check: received tcp.flags == SA and tcp.ack == $reply.tcp.seq + 1\n"
	"\n"
	"Check: no sent tcp.flags & R\n"
	"Check: state tcp.state[192.0.2.10:80] == ESTABLISHED\n"
	"Check: state arp.cache[192.168.1.1]\n"
	"Check: state dns.ttl[example.com] >= 100\n"
	"Check: state dns.cache contains \"192.0.2.10\"\n"
	"```\n"
	"```task two\n"
	"Do: Nothing much.\n"
	"Check: received\n"
	"```\n";

static struct ww_lesson *parse_ok(const char *text)
{
	struct ww_lesson *l;
	char err[512];
	if (ww_lesson_parse_buffer("t.md", text, strlen(text), &l, err, sizeof err) < 0)
		fail_msg("refused: %s", err);
	return l;
}

static void test_whole_lesson(void **state)
{
	(void)state;
	struct ww_lesson *l = parse_ok(good);
	assert_string_equal(l->title, "06 · The TCP handshake");
	assert_int_equal(l->minutes, 15);
	assert_int_equal(l->time_limit_s, 120);
	assert_int_equal(l->nsteps, 3);
	assert_string_equal(l->steps[0].title, "06 · The TCP handshake");
	assert_int_equal(l->steps[0].nparts, 1);
	assert_string_equal(l->steps[0].parts[0].text, "Intro prose.");
	assert_int_equal(l->steps[0].parts[0].line, 6);

	/* The second step: prose with the plain block in it (its "## " is no
	 * heading), the commands, more prose. The \r of the CRLF heading is
	 * gone. */
	const struct ww_lesson_step *st = &l->steps[1];
	assert_string_equal(st->title, "The header");
	assert_int_equal(st->line, 7);
	assert_int_equal(st->nparts, 3);
	assert_int_equal(st->parts[0].kind, WW_LESSON_PROSE);
	assert_string_equal(st->parts[0].text,
			    "Some text.\n```\n## not a heading: inside a plain block\n```");
	assert_int_equal(st->parts[1].kind, WW_LESSON_COMMANDS);
	assert_string_equal(st->parts[1].text, "tcp connect www.example.com 80\n\ntcp status");
	assert_int_equal(st->parts[1].line, 13);
	assert_int_equal(st->parts[2].kind, WW_LESSON_PROSE);
	assert_string_equal(st->parts[2].text, "More text.");

	st = &l->steps[2];
	assert_string_equal(st->title, "By hand");
	assert_int_equal(st->nparts, 2);
	assert_int_equal(st->parts[0].kind, WW_LESSON_TASK);
	assert_int_equal(st->parts[0].task, 0);
	assert_int_equal(st->parts[1].task, 1);

	assert_int_equal(l->ntasks, 2);
	const struct ww_lesson_task *t = ww_lesson_task_find(l, "syn");
	assert_non_null(t);
	assert_ptr_equal(t, &l->tasks[0]);
	assert_int_equal(t->line, 19);
	assert_int_equal(t->step, 2);
	assert_string_equal(t->do_text,
			    "Send a SYN by hand to 192.0.2.10 port 80 with sequence number 1000.");
	assert_int_equal(t->points, 2);
	assert_int_equal(t->nhints, 2);
	assert_string_equal(t->hints[1], "flags=S, seq=1000.");
	assert_int_equal(t->nsolution, 1);
	assert_int_equal(t->solution_lines[0], 25);
	assert_string_equal(t->solution[0], "sr1 ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000)");
	assert_int_equal(t->nchecks, 7);

	const struct ww_lesson_check *c = t->checks;
	assert_int_equal(c[0].kind, WW_LESSON_SENT);
	assert_false(c[0].negated);
	assert_string_equal(c[0].text, "tcp.flags == S and tcp.seq == 1000 and ip.dst == 192.0.2.10");
	assert_string_equal(c[0].feedback,
			    "The SYN must carry only the SYN flag, and sequence number 1000.");
	assert_int_equal(c[0].line, 26);
	/* $reply is taken when the check runs: accepted while loading. */
	assert_int_equal(c[1].kind, WW_LESSON_RECEIVED);
	assert_null(c[1].feedback);
	assert_true(c[2].negated);
	assert_int_equal(c[2].kind, WW_LESSON_SENT);
	assert_string_equal(c[2].text, "tcp.flags & R");
	char text[128];
	ww_lesson_check_text(&c[2], text, sizeof text);
	assert_string_equal(text, "no sent tcp.flags & R");

	assert_int_equal(c[3].kind, WW_LESSON_STATE);
	assert_string_equal(c[3].state_name, "tcp.state");
	assert_string_equal(c[3].state_key, "192.0.2.10:80");
	assert_int_equal(c[3].op, WW_LESSON_OP_EQ);
	assert_string_equal(c[3].state_value, "ESTABLISHED");
	assert_string_equal(c[4].state_name, "arp.cache");
	assert_string_equal(c[4].state_key, "192.168.1.1");
	assert_int_equal(c[4].op, WW_LESSON_OP_PRESENT);
	assert_null(c[4].state_value);
	assert_int_equal(c[5].op, WW_LESSON_OP_GE);
	assert_string_equal(c[5].state_value, "100");
	assert_null(c[6].state_key);
	assert_int_equal(c[6].op, WW_LESSON_OP_CONTAINS);
	assert_string_equal(c[6].state_value, "192.0.2.10"); /* quotes taken off */

	/* An empty filter: any frame received. Points default to 1. */
	t = &l->tasks[1];
	assert_int_equal(t->points, 1);
	assert_string_equal(t->checks[0].text, "");
	assert_int_equal(ww_lesson_max_points(l), 3);
	assert_null(ww_lesson_task_find(l, "none"));
	ww_lesson_free(l);
}

/* TEXT must be refused with exactly WANT. */
static void refused(const char *text, const char *want)
{
	struct ww_lesson *l = (struct ww_lesson *)1;
	char err[512];
	int rc = ww_lesson_parse_buffer("bad.md", text, strlen(text), &l, err, sizeof err);
	if (rc == 0)
		fail_msg("accepted, expected: %s", want);
	assert_null(l);
	assert_string_equal(err, want);
}

#define HEAD "# T\n"
#define TASK(body) HEAD "```task t\nDo: x\n" body "```\n"

static void test_malformed(void **state)
{
	(void)state;
	refused("", "bad.md:1: no title: the file must begin with a line '# TITLE'");
	refused("\n\nSome prose\n", "bad.md:3: the file must begin with its title: a line '# TITLE'");
	refused(HEAD "text\n# Again\n", "bad.md:3: a second title '# ...': steps begin with '## '");
	refused(HEAD "## \n", "bad.md:2: a '## ' heading needs a title");
	refused(HEAD "Minutes: soon\n", "bad.md:2: Minutes: ' soon' is not a number of minutes from 1 to 600");
	refused(HEAD "Time limit: 3 hours\n",
		"bad.md:2: Time limit: ' 3 hours' is not a time (60 s, 2 min; at most a day)");

	/* Blocks that are never closed name the line they opened at. */
	refused(HEAD "text\n```wirewalk\narp\n\nmore\n",
		"bad.md:3: this ``` block is never closed (the file ends at line 6)");
	refused(HEAD "```task a\nDo: x\nCheck: sent\n",
		"bad.md:2: this ``` block is never closed (the file ends at line 4)");
	refused(HEAD "```\nplain\n", "bad.md:2: this ``` block is never closed (the file ends at line 3)");
	refused(HEAD "```wirewalk\n\n```\n", "bad.md:4: the ```wirewalk block of line 2 has no command");
	refused(HEAD "```wirewalk now\narp\n```\n",
		"bad.md:2: ```wirewalk takes nothing after it: the commands go on the lines below");

	/* Tasks. */
	refused(HEAD "```task\nDo: x\n```\n", "bad.md:2: a task needs an id: ```task ID (a-z, 0-9, '-')");
	refused(HEAD "```task Syn\nDo: x\n```\n", "bad.md:2: task id 'Syn': 1 to 31 of a-z, 0-9, '-'");
	refused(HEAD "```task a\nDo: x\nCheck: sent\n```\n```task a\nDo: y\nCheck: sent\n```\n",
		"bad.md:6: task 'a' again (the first is at line 2)");
	refused(HEAD "```task a\nCheck: sent\n```\n",
		"bad.md:4: task 'a' (line 2) has no Do: line saying what to do");
	refused(HEAD "```task a\nDo: x\n```\n", "bad.md:4: task 'a' (line 2) has no Check: line");
	refused(TASK("Hnit: try harder\n"),
		"bad.md:4: unknown key 'Hnit:' in task 't'; did you mean 'Hint:'?");
	refused(TASK("Answer: 42\n"),
		"bad.md:4: unknown key 'Answer:' in task 't' (Do, Points, Hint, Solution, Check, Feedback)");
	refused(HEAD "```task t\nSolution: arp\nmore of it\nCheck: sent\n```\n",
		"bad.md:4: in task 't': expected a 'Key: value' line (Do, Points, Hint, Solution, "
		"Check, Feedback) or the continuation of a Do:, Hint: or Feedback:, not 'more of it'");
	refused(TASK("Do: again\n"), "bad.md:4: task 't' has a second Do: line");
	refused(TASK("Points: many\n"), "bad.md:4: Points: 'many' is not a whole number from 0 to 1000");
	refused(TASK("Feedback: early\nCheck: sent\n"),
		"bad.md:4: Feedback: belongs to the check before it, and task 't' has no Check: yet");
	refused(TASK("Check: sent\nFeedback: one\nFeedback: two\n"),
		"bad.md:6: the check of line 4 has a Feedback: already");

	/* Checks: the kind, the filter, the state. */
	refused(TASK("Check: snt tcp\n"), "bad.md:4: unknown check kind 'snt'; did you mean 'sent'?");
	refused(TASK("Check: observed tcp\n"),
		"bad.md:4: unknown check kind 'observed' (sent, received or state)");
	refused(TASK("Check:\n"), "bad.md:4: Check: the kind is missing (sent, received or state)");
	refused(TASK("Check: sent tcp.flgs == S\n"),
		"bad.md:4: in the filter, at 'tcp.flgs': unknown field 'tcp.flgs'; did you mean "
		"'tcp.flags'?");
	refused(TASK("Check: no received tcp.flags == S and\n"),
		"bad.md:4: in the filter: a field or protocol is missing");
	refused(TASK("Check: state tcp.stat == ESTABLISHED\n"),
		"bad.md:4: unknown state 'tcp.stat'; did you mean 'tcp.state'?");
	refused(TASK("Check: state weather == fine\n"),
		"bad.md:4: unknown state 'weather' (known: arp.cache, arp.state, tcp.state, "
		"tcp.count, dns.cache, dns.ttl, route, ...)");
	refused(TASK("Check: state tcp.state ~ OPEN\n"),
		"bad.md:4: state tcp.state: '~' is not an operator (== != < <= > >= contains)");
	refused(TASK("Check: state dns.ttl[example.com] > soon\n"),
		"bad.md:4: state dns.ttl >: 'soon' is not a number");
	refused(TASK("Check: state tcp.state ==\n"),
		"bad.md:4: state tcp.state ==: the value to compare with is missing");
	refused(TASK("Check: state tcp.state[192.0.2.10 == X\n"),
		"bad.md:4: state tcp.state: '[' without ']'");

	/* Not text at all. */
	static const char nul[] = "# T\nabc\0def\n";
	struct ww_lesson *l;
	char err[256];
	assert_int_equal(ww_lesson_parse_buffer("bad.md", nul, sizeof nul - 1, &l, err, sizeof err), -1);
	assert_string_equal(err, "bad.md:2: a NUL byte: this is not a text file");
}

static void test_files(void **state)
{
	(void)state;
	struct ww_lesson *l;
	char err[512];
	assert_int_equal(ww_lesson_parse("no/such/lesson.md", &l, err, sizeof err), -1);
	assert_string_equal(err, "no/such/lesson.md: cannot open: No such file or directory");
	/* The real lessons load, each with at least two tasks and a title
	 * that starts with its number. */
	static const char *const real[] = { "lessons/01-layers.md", "lessons/02-ethernet.md",
					    "lessons/03-arp.md" };
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
		if (ww_lesson_parse(real[i], &l, err, sizeof err) < 0)
			fail_msg("%s", err);
		assert_true(l->ntasks >= 2);
		assert_true(l->minutes >= 10 && l->minutes <= 20);
		assert_int_equal(strncmp(l->title, real[i] + 8, 2), 0);
		for (size_t k = 0; k < l->ntasks; k++)
			assert_true(l->tasks[k].nsolution > 0);
		ww_lesson_free(l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_lesson),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
