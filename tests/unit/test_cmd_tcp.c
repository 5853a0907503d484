/* The TCP's shell side without a network: the tcp.* settings as `set`
 * takes them (and refuses them), the tcp command's usage errors, and the
 * views of a connection — the ladder diagram with relative numbers, the
 * status — drawn from a connection driven by the test's own clock. */
#include "tcp_harness.h"

#include "../../src/shell/cmd_tcp_int.h"
#include "ww/session.h"
#include "ww/shell.h"

struct run {
	struct ww_shell sh;
	FILE *outf, *errf;
	char *out, *err;
	size_t outn, errn;
};

/* A shell whose network cannot start (a lab name that is not one). */
static void run_start(struct run *r)
{
	memset(r, 0, sizeof *r);
	r->outf = open_memstream(&r->out, &r->outn);
	r->errf = open_memstream(&r->err, &r->errn);
	assert_int_equal(ww_shell_init(&r->sh, r->outf, r->errf), 0);
	r->sh.color_mode = WW_COLOR_OFF;
	struct ww_session_opts o = { .lab = "not a lab!" };
	assert_int_equal(ww_live_configure(&r->sh, &o), 0);
}

static int run(struct run *r, const char *line)
{
	fflush(r->outf);
	fflush(r->errf);
	rewind(r->outf);
	rewind(r->errf);
	int rc = ww_shell_exec(&r->sh, line);
	fputc('\0', r->outf);
	fputc('\0', r->errf);
	fflush(r->outf);
	fflush(r->errf);
	return rc;
}

static void run_end(struct run *r)
{
	ww_shell_free(&r->sh);
	fclose(r->outf);
	fclose(r->errf);
	free(r->out);
	free(r->err);
}

static void test_settings(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	/* The defaults: MSS only, Nagle on, no RST for strangers. */
	assert_true(r.sh.tcp.opt_mss && r.sh.tcp.nagle);
	assert_false(r.sh.tcp.opt_wscale || r.sh.tcp.opt_sack || r.sh.tcp.opt_ts || r.sh.tcp.rst);
	assert_int_equal(r.sh.tcp.rcvbuf, 65535);
	assert_int_equal(run(&r, "set tcp.rcvbuf 1000"), WW_EXIT_OK);
	assert_int_equal(r.sh.tcp.rcvbuf, 1000);
	assert_false(r.sh.tcp.opt_wscale);
	assert_int_equal(run(&r, "set tcp.rcvbuf"), WW_EXIT_OK);
	assert_string_equal(r.out, "tcp.rcvbuf 1000    (one of N[k|M])\n");
	/* Over 64 KiB needs window scaling: it is turned on, and said. */
	assert_int_equal(run(&r, "set tcp.rcvbuf 1M"), WW_EXIT_OK);
	assert_int_equal(r.sh.tcp.rcvbuf, 1 << 20);
	assert_true(r.sh.tcp.opt_wscale);
	assert_string_equal(r.out, "(tcp.wscale is on: a window over 65535 needs it)\n");
	assert_int_equal(run(&r, "set tcp.mss 1200"), WW_EXIT_OK);
	assert_true(r.sh.tcp.opt_mss);
	assert_int_equal(r.sh.tcp.mss, 1200);
	assert_int_equal(run(&r, "set tcp.mss off"), WW_EXIT_OK);
	assert_false(r.sh.tcp.opt_mss);
	assert_int_equal(run(&r, "set tcp.sack on"), WW_EXIT_OK);
	assert_int_equal(run(&r, "set tcp.ts on"), WW_EXIT_OK);
	assert_int_equal(run(&r, "set tcp.nagle off"), WW_EXIT_OK);
	assert_int_equal(run(&r, "set tcp.rst on"), WW_EXIT_OK);
	assert_true(r.sh.tcp.opt_sack && r.sh.tcp.opt_ts && r.sh.tcp.rst);
	assert_false(r.sh.tcp.nagle);
	assert_int_equal(run(&r, "set tcp.rto_min 20"), WW_EXIT_OK);
	assert_int_equal(run(&r, "set tcp.time_wait 5000"), WW_EXIT_OK);
	assert_int_equal(r.sh.tcp.rto_min_ms, 20);
	assert_int_equal(r.sh.tcp.time_wait_ms, 5000);
	/* Refused, and the value kept. */
	assert_int_equal(run(&r, "set tcp.rcvbuf 10"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "set tcp.rcvbuf: '10' is not one of N[k|M]\n");
	assert_int_equal(run(&r, "set tcp.rto_min 0"), WW_EXIT_USAGE);
	assert_int_equal(run(&r, "set tcp.sack maybe"), WW_EXIT_USAGE);
	assert_int_equal(run(&r, "set tcp.mss 12"), WW_EXIT_USAGE);
	assert_int_equal(r.sh.tcp.rto_min_ms, 20);
	run_end(&r);
}

static void test_usage_errors(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	assert_int_equal(run(&r, "tcp"), WW_EXIT_USAGE);
	assert_int_equal(run(&r, "tcp frobnicate"), WW_EXIT_USAGE);
	assert_non_null(strstr(r.err, "tcp: unknown subcommand 'frobnicate' (connect, send"));
	assert_int_equal(run(&r, "tcp connect 192.0.2.10"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "usage: tcp connect HOST PORT [TIMEOUT]\n");
	assert_int_equal(run(&r, "tcp connect 192.0.2.10 99999"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "tcp connect: PORT '99999' is not a number from 1 to 65535\n");
	assert_int_equal(run(&r, "tcp recv -x 3"), WW_EXIT_USAGE);
	assert_int_equal(run(&r, "tcp listen 0"), WW_EXIT_USAGE);
	/* Right arguments: now the network is needed, and there is none. */
	assert_int_equal(run(&r, "tcp connect 192.0.2.10 80"), WW_EXIT_FAIL);
	assert_non_null(strstr(r.err, "no live network"));
	run_end(&r);
}

/* ---- the views ----------------------------------------------------------- */

static char *draw(void (*fn)(FILE *, const struct ww_tcb *), const struct ww_tcb *c)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	fn(f, c);
	fclose(f);
	return buf;
}

static void test_ladder(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_host_next_iss(h->host, 5000);
	struct ww_tcb *c = th_connect(h);
	h->now += 1 * MS;
	ww_tcp_send(c, (const uint8_t *)"GET\n", 4, h->now);
	h->now += 2 * MS;
	th_rx(h, c, WW_TCP_ACK | WW_TCP_PSH | WW_TCP_FIN, 0, 4, "hello", 5);
	h->now += 1 * MS;
	ww_tcp_close(c, h->now);
	h->now += 1 * MS;
	th_ack_all(h, c);
	char *got = draw(tcp_print_ladder, c);
	const char *want =
		"TCP 1: sequence numbers relative to ISS 5000 (ours) and IRS 1000000 (theirs)\n"
		"      time 192.168.1.5:50505                                            192.0.2.10:80\n"
		"  0.000000 |  SYN-SENT                                                              |\n"
		"  0.000000 |-- [SYN] Seq=0 Win=65535 Len=0 MSS=1460 ------------------------------>|\n"
		"  0.010000 |<------------------- [SYN, ACK] Seq=0 Ack=1 Win=64240 Len=0 MSS=1460 --|\n"
		"  0.010000 |  ESTABLISHED                                                           |\n"
		"  0.010000 |-- [ACK] Seq=1 Ack=1 Win=65535 Len=0 --------------------------------->|\n"
		"  0.011000 |-- [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=4 ---------------------------->|\n"
		"  0.013000 |<----------------------- [FIN, PSH, ACK] Seq=1 Ack=5 Win=64240 Len=5 --|\n"
		"  0.013000 |  CLOSE-WAIT                                                            |\n"
		"  0.013000 |-- [ACK] Seq=5 Ack=7 Win=65529 Len=0 --------------------------------->|\n"
		"  0.014000 |  LAST-ACK                                                              |\n"
		"  0.014000 |-- [FIN, ACK] Seq=5 Ack=7 Win=65529 Len=0 ---------------------------->|\n"
		"  0.015000 |<--------------------------------- [ACK] Seq=7 Ack=6 Win=64240 Len=0 --|\n"
		"  0.015000 |  CLOSED                                                                |\n";
	/* The local port is random: put the one drawn in the expected text. */
	char port[8];
	snprintf(port, sizeof port, "%u", c->lport);
	char *w = strdup(want);
	char *at = strstr(w, "50505");
	memcpy(at, port, 5);
	assert_string_equal(got, w);
	free(w);
	free(got);
	th_free(h);
}

static void status_of(FILE *f, const struct ww_tcb *c)
{
	tcp_print_status(f, c, c->opened_ns + 2 * SEC);
}

static void test_status(void **state)
{
	(void)state;
	struct th *h = th_new(NULL);
	ww_tcp_host_next_iss(h->host, 5000);
	struct ww_tcb *c = th_connect(h);
	ww_tcp_send(c, (const uint8_t *)"GET\n", 4, h->now);
	char *got = draw(status_of, c);
	assert_non_null(strstr(got, " ESTABLISHED  active, opened 2.000 s ago\n"));
	assert_non_null(strstr(got, "  send      SND.UNA 1  SND.NXT 5  SND.MAX 5  SND.WND 64240  "
				    "(ISS 5000)\n"));
	assert_non_null(strstr(got, "  receive   RCV.NXT 1  RCV.WND 65535  (IRS 1000000)\n"));
	assert_non_null(strstr(got, "  cwnd 4380  ssthresh (unbounded)  flight 4  dup ACKs 0\n"));
	assert_non_null(strstr(got, "  SRTT 10.000 ms  RTTVAR 5.000 ms  RTO 200 ms  backoff 0\n"));
	assert_non_null(strstr(got, "send 4 bytes (0 not sent yet) of 262144;  "
				    "receive 0 unread of 65535"));
	assert_non_null(strstr(got, "retransmission in "));
	free(got);
	th_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_ladder),
		cmocka_unit_test(test_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
