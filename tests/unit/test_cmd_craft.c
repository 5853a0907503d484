/* The crafting commands run as a person types them, offline: the frame
 * commands over a capture read, the errors of send, sr1 and sniff (which
 * need the network only after their arguments are understood), and the
 * completion of expressions, filters and frame names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "view_frames.h"
#include "ww/pcap.h"
#include "ww/session.h"
#include "ww/shell.h"

#define F(x) { x, sizeof x }
static const struct { const uint8_t *p; size_t len; } frames[] = {
	F(ww_frame_arp_request), F(ww_frame_arp_reply), F(vf_echo_request), F(vf_dns_query),
	F(vf_dns_cname), F(vf_dns_aaaa), F(vf_dns_txt), F(vf_tcp_syn), F(vf_tcp_syn_ack),
	F(vf_tcp_get), F(vf_udp_short), F(vf_port_unreach),
};
#define NFRAMES (sizeof frames / sizeof frames[0])

struct run {
	struct ww_shell sh;
	FILE *outf, *errf;
	char *out, *err;
	size_t outn, errn;
	char *capture;
};

static char *temp_path(void)
{
	const char *dir = getenv("TMPDIR");
	char *path = NULL;
	assert_true(asprintf(&path, "%s/ww-craft-XXXXXX", dir && *dir ? dir : P_tmpdir) > 0);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

/* A shell with the frames above read from a capture, and a network that
 * cannot start (a lab name that is not one): nothing here touches a link. */
static void run_start(struct run *r)
{
	memset(r, 0, sizeof *r);
	r->outf = open_memstream(&r->out, &r->outn);
	r->errf = open_memstream(&r->err, &r->errn);
	assert_int_equal(ww_shell_init(&r->sh, r->outf, r->errf), 0);
	r->sh.color_mode = WW_COLOR_OFF;
	struct ww_session_opts o = { .lab = "not a lab!" };
	assert_int_equal(ww_live_configure(&r->sh, &o), 0);
	r->capture = temp_path();
	struct ww_pcap_writer w;
	assert_int_equal(ww_pcap_create(&w, r->capture, false, 0, WW_LINKTYPE_ETHERNET), 0);
	for (unsigned i = 0; i < NFRAMES; i++)
		assert_int_equal(ww_pcap_write(&w, 1000 + i, 0, frames[i].p, (uint32_t)frames[i].len, 0), 0);
	assert_int_equal(ww_pcap_writer_close(&w), 0);
	assert_int_equal(ww_shell_read(&r->sh, r->capture, 0), 0);
}

/* Run LINE; what it printed is in r->out and r->err (from this line only). */
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
	unlink(r->capture);
	free(r->capture);
}

static unsigned lines(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_packets(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	assert_int_equal(run(&r, "packets"), WW_EXIT_OK);
	assert_int_equal(lines(r.out), NFRAMES);
	assert_memory_equal(r.out, "1 0.000000 ", 11);
	assert_int_equal(run(&r, "packets tcp"), WW_EXIT_OK);
	assert_int_equal(lines(r.out), 3);
	assert_memory_equal(r.out, "8 7.000000 ", 11);
	/* Variables in filters: the SYN-ACK acknowledges the SYN. */
	assert_int_equal(run(&r, "packets tcp.ack == $8.tcp.seq + 1"), WW_EXIT_OK);
	assert_int_equal(lines(r.out), 1);
	assert_memory_equal(r.out, "9 8.000000 ", 11);
	assert_int_equal(run(&r, "packets udp.dstport == 9999"), WW_EXIT_OK);
	assert_string_equal(r.out, "none of the 12 frames matches\n");
	assert_int_equal(run(&r, "packets tcp.flgs == SA"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "packets: unknown field 'tcp.flgs'; did you mean 'tcp.flags'?\n"
				   "  tcp.flgs == SA\n"
				   "  ^~~~~~~~\n");
	run_end(&r);
}

static void test_frame_views(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	assert_int_equal(run(&r, "show $9"), WW_EXIT_OK);
	assert_non_null(strstr(r.out, "Transmission Control Protocol"));
	assert_non_null(strstr(r.out, "0x012 (SYN, ACK)"));
	assert_int_equal(run(&r, "show $last"), WW_EXIT_OK);
	assert_non_null(strstr(r.out, "icmp.type"));
	/* show N is the capture's frame N in the current view, as before. */
	assert_int_equal(run(&r, "show 2"), WW_EXIT_OK);
	assert_int_equal(lines(r.out), 1);
	assert_memory_equal(r.out, "2 1.000000 ", 11);
	assert_int_equal(run(&r, "hex $1"), WW_EXIT_OK);
	assert_non_null(strstr(r.out, "0000  ff ff ff ff ff ff 02 00 00 00 00 05 08 06 00 01"));
	assert_int_equal(run(&r, "layers $8"), WW_EXIT_OK);
	assert_non_null(strstr(r.out, "│ Ethernet 14 B │ IPv4 20 B │ TCP 40 B │"));
	assert_int_equal(run(&r, "layers 8"), WW_EXIT_OK);
	assert_non_null(strstr(r.out, "│ TCP 40 B │"));
	assert_int_equal(run(&r, "bits"), WW_EXIT_OK);
	assert_true(lines(r.out) > 3);

	assert_int_equal(run(&r, "show $99"), WW_EXIT_USAGE);
	char want[512];
	snprintf(want, sizeof want, "show: no frame $99: %s has 12\n", r.capture);
	assert_string_equal(r.err, want);
	assert_int_equal(run(&r, "hex $reply"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "hex: $reply: no reply yet (sr1 sets it)\n");
	assert_int_equal(run(&r, "bits $frame"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "bits: unknown variable '$frame': $last, $reply, or $N for frame N\n");
	assert_int_equal(run(&r, "layers $1 $2"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "usage: layers [$N]\n");
	run_end(&r);
}

static void test_capture_save(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	char *path = temp_path();
	char line[512];
	snprintf(line, sizeof line, "capture save '%s'", path);
	assert_int_equal(run(&r, line), WW_EXIT_OK);
	snprintf(line, sizeof line, "wrote 12 frames to %s\n", path);
	assert_string_equal(r.out, line);
	struct ww_pcap_reader rd;
	struct ww_pcap_record rec;
	assert_int_equal(ww_pcap_open_path(&rd, path), 0);
	for (unsigned i = 0; i < NFRAMES; i++) {
		assert_int_equal(ww_pcap_next(&rd, &rec), 1);
		assert_int_equal(rec.caplen, frames[i].len);
		assert_memory_equal(rec.data, frames[i].p, frames[i].len);
		assert_int_equal(rec.sec, 1000 + i);
	}
	assert_int_equal(ww_pcap_next(&rd, &rec), 0);
	ww_pcap_close(&rd);
	unlink(path);
	free(path);
	assert_int_equal(run(&r, "capture load x.pcap"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "usage: capture save FILE.pcap\n");
	run_end(&r);
}

static void test_send_errors(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	assert_int_equal(run(&r, "send ip(dst=192.0.2.10, tll=1)/icmp(type=echo-request)"),
			 WW_EXIT_USAGE);
	assert_string_equal(r.err, "send: unknown field 'tll' in ip(...); did you mean 'ttl'?\n"
				   "  ip(dst=192.0.2.10, tll=1)/icmp(type=echo-request)\n"
				   "                     ^~~\n");
	assert_int_equal(run(&r, "send ip(dst=192.0.2.10, ttl=300)"), WW_EXIT_USAGE);
	assert_memory_equal(r.err, "send: ttl=300: out of range 0..255\n", 35);
	/* Quotes and blanks inside the expression reach it intact. */
	assert_int_equal(run(&r, "send ip(dst=192.0.2.10)/udp()/\"a  b\" /tcp()"), WW_EXIT_USAGE);
	assert_memory_equal(r.err, "send: tcp travels in IP, not on raw", 35);
	/* Variables from the capture read. */
	assert_int_equal(run(&r, "send ip(dst=$9.ip.src)/tcp(ack=$9.tcp.seq + 1, seq=$12.tcp.seq)"),
			 WW_EXIT_USAGE);
	assert_memory_equal(r.err, "send: seq=$12.tcp.seq: $12 has no tcp.seq_raw", 45);
	/* A good expression needs the network, which is not there here. */
	assert_int_equal(run(&r, "send ip(dst=192.0.2.10)/tcp(ack=$9.tcp.seq + 1)"), WW_EXIT_FAIL);
	assert_memory_equal(r.err, "no live network: ", 17);
	assert_int_equal(run(&r, "send"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "usage: send EXPR\n");
	run_end(&r);
}

static void test_sr1_sniff_arguments(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	/* A bad timeout is found before anything is sent. */
	assert_int_equal(run(&r, "sr1 ip(dst=192.0.2.10)/icmp() soon"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "sr1: 'soon' is not a timeout (seconds: 2, 0.5, 500ms)\n");
	assert_int_equal(run(&r, "sr1 ip(dst=192.0.2.10)/icmp() 2 3"), WW_EXIT_USAGE);
	assert_int_equal(run(&r, "sr1 ip(dst=192.0.2.10)/icmp() 500ms"), WW_EXIT_FAIL);
	assert_memory_equal(r.err, "no live network: ", 17);
	assert_int_equal(run(&r, "sr1 icmp()"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "sr1: icmp travels in IP: write ip(dst=...)/icmp(...)\n"
				   "  icmp()\n"
				   "  ^~~~~~\n");

	assert_int_equal(run(&r, "sniff 0 tcp"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "sniff: count 0: 1 to 1000000\n");
	assert_int_equal(run(&r, "sniff 3 tcp.flgs == 1 2"), WW_EXIT_USAGE);
	assert_string_equal(r.err, "sniff: unknown field 'tcp.flgs'; did you mean 'tcp.flags'?\n"
				   "  tcp.flgs == 1 2\n"
				   "  ^~~~~~~~\n");
	assert_int_equal(run(&r, "sniff tcp.dstport == 80 zz"), WW_EXIT_USAGE);
	assert_memory_equal(r.err, "sniff: unexpected 'zz': join tests with and, or", 47);
	/* Every accepted form gets as far as the network. */
	static const char *const ok[] = {
		"sniff", "sniff 3", "sniff 3 2s", "sniff tcp", "sniff 3 tcp 2",
		"sniff tcp.dstport == 80", "sniff tcp.dstport == 80 500ms",
		"sniff 2 ip.src == 192.0.2.10 and tcp.flags.syn == 1 1.5",
		"sniff \"tcp.flags == SA and tcp.ack == 1001\" 2",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (run(&r, ok[i]) != WW_EXIT_FAIL || strncmp(r.err, "no live network: ", 17) != 0)
			fail_msg("%s: %s", ok[i], r.err);
	}
	run_end(&r);
}

static bool has(const char *const *words, const char *w)
{
	for (; words && *words; words++)
		if (strcmp(*words, w) == 0)
			return true;
	return false;
}

static void test_completion(void **state)
{
	(void)state;
	const struct ww_command *send = ww_command_find("send"), *sniff = ww_command_find("sniff");
	const char *line = "send ip(dst=192.0.2.10, t";
	assert_true(has(ww_complete_expression(send, line, (int)strlen(line) - 1), "ttl"));
	line = "sr1 ip(dst=192.0.2.10)/ic";
	assert_true(has(ww_complete_expression(ww_command_find("sr1"), line, (int)strlen(line) - 2),
			"icmp"));
	line = "send ip(dst=192.0.2.10)/icmp(type=echo-r";
	assert_true(has(ww_complete_expression(send, line, (int)strlen(line) - 6), "echo-request"));
	line = "sniff 3 ip.src == 192.0.2.10 and tcp.fl";
	assert_true(has(ww_complete_expression(sniff, line, (int)strlen(line) - 6), "tcp.flags"));
	line = "sniff tcp.flags == S";
	assert_true(has(ww_complete_expression(sniff, line, (int)strlen(line) - 1), "SA"));
	line = "hex $";
	assert_true(has(ww_complete_expression(ww_command_find("hex"), line, 4), "$reply"));
	line = "show $l";
	assert_true(has(ww_complete_expression(ww_command_find("show"), line, 5), "$last"));
	assert_null(ww_complete_expression(ww_command_find("read"), "read fi", 5));
	assert_null(ww_complete_expression(NULL, "zz", 2));
	assert_non_null(ww_complete_word_breaks("send ip(dst=1", 13));
	assert_non_null(strchr(ww_complete_word_breaks("send ip(dst=1", 13), '('));
	assert_null(ww_complete_word_breaks("read tests/captures/a", 21));
	assert_null(ww_complete_word_breaks("sen", 3));
}

static void test_help(void **state)
{
	(void)state;
	struct run r;
	run_start(&r);
	static const char *const cmds[] = { "send", "sr1", "sniff", "packets", "hex", "layers", "bits",
					    "capture", "show" };
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		char line[64];
		snprintf(line, sizeof line, "help %s", cmds[i]);
		assert_int_equal(run(&r, line), WW_EXIT_OK);
		assert_memory_equal(r.out, cmds[i], strlen(cmds[i]));
	}
	assert_int_equal(run(&r, "help send"), WW_EXIT_OK);
	assert_non_null(strstr(r.out, "ip(dst=192.0.2.10, chksum=0x1234)"));
	run_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packets),
		cmocka_unit_test(test_frame_views),
		cmocka_unit_test(test_capture_save),
		cmocka_unit_test(test_send_errors),
		cmocka_unit_test(test_sr1_sniff_arguments),
		cmocka_unit_test(test_completion),
		cmocka_unit_test(test_help),
	};
	return cmocka_run_group_tests_name("cmd_craft", tests, NULL, NULL);
}
