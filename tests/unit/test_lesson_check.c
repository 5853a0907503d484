/* Checks over evidence made of real frames (captured from the kernel in
 * view_frames.h: an ARP exchange, then a TCP SYN, SYN-ACK and a GET with
 * PSH+ACK), and over the stack's state through a provider of the test's
 * own: what passes, and for what fails, the line that names what differs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "view_frames.h"
#include "ww/expr.h"
#include "ww/lesson.h"
#include "ww/session.h"

/* 1 → ARP who-has 192.168.1.1   2 ← ARP reply   3 → SYN (seq 2476809884)
 * 4 ← SYN-ACK (seq 3802630267)  5 → GET, flags PA */
static struct ww_packet all[5];

static void fill(void)
{
	const struct { const uint8_t *p; size_t len; bool sent; } f[] = {
		{ ww_frame_arp_request, sizeof ww_frame_arp_request, true },
		{ ww_frame_arp_reply, sizeof ww_frame_arp_reply, false },
		{ vf_tcp_syn, sizeof vf_tcp_syn, true },
		{ vf_tcp_syn_ack, sizeof vf_tcp_syn_ack, false },
		{ vf_tcp_get, sizeof vf_tcp_get, true },
	};
	for (unsigned i = 0; i < 5; i++)
		all[i] = (struct ww_packet){ .no = i + 1, .sent = f[i].sent, .len = (uint32_t)f[i].len,
					     .data = (uint8_t *)f[i].p };
}

/* A lesson of one task whose checks are CHECKS (one per line). */
static struct ww_lesson *lesson_of(const char *checks)
{
	char text[4096];
	snprintf(text, sizeof text, "# T\n```task t\nDo: x\n%s```\n", checks);
	struct ww_lesson *l;
	char err[512];
	if (ww_lesson_parse_buffer("t.md", text, strlen(text), &l, err, sizeof err) < 0)
		fail_msg("%s", err);
	return l;
}

/* Evaluate the single check CHECK over the frames numbered in PICK
 * ("1 2 5"): its result. */
static struct ww_lesson_result judge(const char *check, const char *pick,
				     const struct ww_vars *vars, int *rc)
{
	char line[1024];
	snprintf(line, sizeof line, "Check: %s\n", check);
	struct ww_lesson *l = lesson_of(line);
	struct ww_packet ev_frames[5];
	size_t n = 0;
	for (const char *s = pick; *s; s++)
		if (*s >= '1' && *s <= '5')
			ev_frames[n++] = all[*s - '1'];
	struct ww_lesson_evidence ev = { .frames = ev_frames, .nframes = n, .vars = vars };
	struct ww_lesson_result r;
	int got = ww_lesson_check_one(&l->tasks[0].checks[0], &ev, &r);
	if (rc)
		*rc = got;
	else
		assert_int_equal(got, 0);
	r.check = NULL; /* the lesson goes */
	ww_lesson_free(l);
	return r;
}

static void passes(const char *check, const char *pick, unsigned frame, const char *detail)
{
	struct ww_lesson_result r = judge(check, pick, NULL, NULL);
	if (!r.pass)
		fail_msg("%s failed: %s", check, r.detail);
	assert_int_equal(r.frame_no, frame);
	assert_string_equal(r.detail, detail);
}

static void fails(const char *check, const char *pick, const char *detail)
{
	struct ww_lesson_result r = judge(check, pick, NULL, NULL);
	if (r.pass)
		fail_msg("%s passed: %s", check, r.detail);
	assert_string_equal(r.detail, detail);
}

static void test_frames_pass(void **state)
{
	(void)state;
	passes("sent tcp.flags == S and tcp.dstport == 80", "12345", 3, "$3 sent matches");
	passes("received tcp.flags == SA and tcp.ack == 2476809885", "12345", 4,
	       "$4 received matches");
	passes("sent arp.opcode == request and eth.dst == ff:ff:ff:ff:ff:ff", "12345", 1,
	       "$1 sent matches");
	passes("received", "345", 4, "$4 received matches"); /* any frame */
	/* Direction counts: the SYN-ACK was received, not sent. */
	fails("sent tcp.flags == SA", "1234",
	      "expected tcp.flags == SA (SYN, ACK), saw 0x002 (SYN) in $3 (the nearest of 2 sent)");
}

static void test_frames_nearest(void **state)
{
	(void)state;
	/* The person sent the GET but never a SYN: the nearest frame is the
	 * GET (its port is right), and the flags are what differs. */
	fails("sent tcp.flags == S and tcp.dstport == 80", "125",
	      "expected tcp.flags == S (SYN), saw 0x018 (PSH, ACK) in $5 (the nearest of 2 sent)");
	/* Two tests fail; the one that holds is not named. */
	fails("received tcp.flags == SA and tcp.ack == 1001 and ip.ttl == 1", "1234",
	      "expected tcp.ack == 1001, saw 2476809885; expected ip.ttl == 1, saw 64 in $4 "
	      "(the nearest of 2 received)");
	/* A field the frame does not have at all. */
	fails("sent dns.qry.name == example.com", "35",
	      "expected dns.qry.name == example.com, saw none (no dns.qry.name in eth/ip/tcp/http) "
	      "in $5 (the nearest of 2 sent)");
	fails("sent udp", "3",
	      "expected a udp layer, saw eth/ip/tcp in $3 (the nearest of 1 sent)");
	/* A test under `not` is turned round. */
	fails("sent tcp and not tcp.flags.syn == 1", "3",
	      "expected not tcp.flags.syn == 1, saw 1 (set) in $3 (the nearest of 1 sent)");
	/* Nothing went that way at all. */
	fails("sent tcp.flags == S", "24", "expected a frame sent with tcp.flags == S; none was sent");
	fails("received arp", "135", "expected a frame received with arp; none was received");
	/* Either side of an `or` may be what was meant: both are named, a
	 * test written twice once. */
	fails("received (arp and tcp) or (arp and udp)", "4",
	      "expected an arp layer, saw eth/ip/tcp; expected a udp layer, saw eth/ip/tcp in $4 "
	      "(the nearest of 1 received)");
}

static void test_frames_negated(void **state)
{
	(void)state;
	passes("no received tcp.flags & R", "12345", 0,
	       "no frame received matches tcp.flags & R (2 received)");
	struct ww_lesson_result r = judge("no sent tcp.flags == S", "12345", NULL, NULL);
	assert_false(r.pass);
	assert_int_equal(r.frame_no, 3);
	const char *want = "expected no frame sent with tcp.flags == S, saw $3: 192.168.1.5.51418 > "
			   "192.168.1.1.80: Flags [S], seq 2476809884";
	if (strncmp(r.detail, want, strlen(want)) != 0)
		fail_msg("got: %s", r.detail);
}

/* $reply is frame 4, as after an sr1 that got the SYN-ACK. */
static int reply_is_4(void *arg, const char *name, size_t len, const uint8_t **frame,
		      size_t *flen, char *err, size_t errlen)
{
	(void)arg;
	if (len == 5 && !memcmp(name, "reply", 5)) {
		*frame = all[3].data;
		*flen = all[3].len;
		return 0;
	}
	snprintf(err, errlen, "no frame $%.*s", (int)len, name);
	return -1;
}

static void test_frames_variables(void **state)
{
	(void)state;
	struct ww_vars vars = { .frame = reply_is_4 };
	struct ww_lesson_result r = judge("sent tcp.flags == PA and tcp.ack == $reply.tcp.seq + 1",
					  "12345", &vars, NULL);
	assert_true(r.pass);
	assert_int_equal(r.frame_no, 5);
	/* Without variables the check cannot run: a failure that says so. */
	int rc;
	r = judge("sent tcp.ack == $reply.tcp.seq + 1", "12345", NULL, &rc);
	assert_int_equal(rc, -1);
	assert_false(r.pass);
	assert_string_equal(r.detail, "the filter 'tcp.ack == $reply.tcp.seq + 1' cannot be used "
				      "now: no variables here");
}

/* ---- state ------------------------------------------------------------ */

static int conns(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		 char *err, size_t errlen)
{
	(void)ev, (void)err, (void)errlen;
	ww_lesson_state_add(out, "10.0.0.1:80", "ESTABLISHED");
	ww_lesson_state_add(out, "10.0.0.2:443", "SYN-SENT");
	ww_lesson_state_add(out, "10.0.0.20:80", "CLOSED");
	return 0;
}

static int numbers(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		   char *err, size_t errlen)
{
	(void)ev, (void)err, (void)errlen;
	ww_lesson_state_add(out, "a", "5");
	ww_lesson_state_add(out, "b", "12");
	return 0;
}

static int broken(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		  char *err, size_t errlen)
{
	(void)ev, (void)out;
	snprintf(err, errlen, "the table is not there");
	return -1;
}

static void state_is(const char *check, bool pass, const char *detail)
{
	struct ww_lesson_result r = judge(check, "", NULL, NULL);
	if (r.pass != pass)
		fail_msg("%s: %s", check, r.detail);
	assert_string_equal(r.detail, detail);
}

static void test_state(void **state)
{
	(void)state;
	assert_int_equal(ww_lesson_state_register("test.conn", "connections", conns), 0);
	assert_int_equal(ww_lesson_state_register("test.num", "numbers", numbers), 0);
	assert_int_equal(ww_lesson_state_register("test.broken", NULL, broken), 0);
	assert_int_equal(ww_lesson_state_register("nodot", NULL, conns), -1);
	assert_int_equal(ww_lesson_state_register("test.none", NULL, NULL), -1);
	assert_non_null(ww_lesson_state_find("test.conn", 9));
	assert_non_null(ww_lesson_state_find("tcp.state", 9));

	state_is("state test.conn == established", true, "test.conn[10.0.0.1:80] is ESTABLISHED");
	state_is("state test.conn[10.0.0.2] == ESTABLISHED", false,
		 "expected test.conn[10.0.0.2] == ESTABLISHED, saw SYN-SENT (10.0.0.2:443)");
	/* 10.0.0.2 is not 10.0.0.20: a key matches whole, or up to a ':'. */
	state_is("state test.conn[10.0.0.2:443] == SYN-SENT", true,
		 "test.conn[10.0.0.2:443] is SYN-SENT");
	state_is("state test.conn[10.0.0.3]", false,
		 "expected test.conn[10.0.0.3], saw none (no entry for 10.0.0.3)");
	state_is("no state test.conn[10.0.0.3]", true, "test.conn[10.0.0.3] has no entry");
	state_is("state test.conn[10.0.0.1]", true, "test.conn[10.0.0.1] is there");
	state_is("state test.conn != TIME-WAIT", true, "test.conn != TIME-WAIT holds");
	state_is("state test.conn != SYN-SENT", false,
		 "expected test.conn != SYN-SENT, saw ESTABLISHED (10.0.0.1:80), SYN-SENT "
		 "(10.0.0.2:443), CLOSED (10.0.0.20:80)");
	state_is("no state test.conn == CLOSED", false,
		 "expected not test.conn == CLOSED, saw ESTABLISHED (10.0.0.1:80), SYN-SENT "
		 "(10.0.0.2:443), CLOSED (10.0.0.20:80)");
	state_is("state test.conn contains sent", true, "test.conn[10.0.0.2:443] is SYN-SENT");
	state_is("state test.num > 10", true, "test.num[b] is 12");
	state_is("state test.num >= 13", false, "expected test.num >= 13, saw 5 (a), 12 (b)");
	state_is("state test.num == 5.0", true, "test.num[a] is 5");

	/* A state that cannot be had: the check fails, saying why. */
	int rc;
	struct ww_lesson_result r = judge("state test.broken == x", "", NULL, &rc);
	assert_int_equal(rc, -1);
	assert_false(r.pass);
	assert_string_equal(r.detail, "test.broken: the table is not there");
	r = judge("state tcp.state[192.0.2.10:80] == ESTABLISHED", "", NULL, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(r.detail, "tcp.state[192.0.2.10:80]: no live session: the stack's "
				      "state is not there to look at");
	r = judge("state tls.version == TLSv1.3", "", NULL, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(r.detail, "tls.version: nothing in this build provides this state");
}

static void test_task(void **state)
{
	(void)state;
	struct ww_lesson *l = lesson_of("Check: sent tcp.flags == S\n"
					"Check: received tcp.flags == SA\n"
					"Check: no sent tcp.flags & R\n"
					"Check: sent udp\n");
	struct ww_lesson_evidence ev = { .frames = all, .nframes = 5 };
	struct ww_lesson_result res[4];
	assert_int_equal(ww_lesson_check_task(&l->tasks[0], &ev, res), 1);
	assert_true(res[0].pass && res[1].pass && res[2].pass);
	assert_false(res[3].pass);
	assert_ptr_equal(res[3].check, &l->tasks[0].checks[3]);
	ww_lesson_free(l);
	assert_int_equal(ww_lesson_mark(NULL), 1);
}

int main(void)
{
	fill();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_pass),
		cmocka_unit_test(test_frames_nearest),
		cmocka_unit_test(test_frames_negated),
		cmocka_unit_test(test_frames_variables),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_task),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
