/* The settings of the live session, offline: `set fault` (with its seed
 * said when chosen), `set capture.keep` and `capture.keep_bytes`, `set
 * view off`, and `lab impair` refusing what it cannot do before touching
 * anything. No network is opened: the settings wait for a session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ww/fault.h"
#include "ww/packet_list.h"
#include "ww/session.h"
#include "ww/shell.h"

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

/* What the command printed on stdout and stderr since the last call. */
static void take(struct run *r, char *out, size_t outlen, char *err, size_t errlen)
{
	fflush(r->outf);
	fflush(r->errf);
	/* The streams' sizes are their positions: what was written since
	 * the rewind, whatever the buffers hold after it. */
	snprintf(out, outlen, "%.*s", (int)r->outlen, r->out ? r->out : "");
	snprintf(err, errlen, "%.*s", (int)r->errlen, r->err ? r->err : "");
	rewind(r->outf);
	rewind(r->errf);
}

static void run_end(struct run *r)
{
	ww_shell_free(&r->sh);
	fclose(r->outf);
	fclose(r->errf);
	free(r->out);
	free(r->err);
}

static void test_set_fault(void **state)
{
	(void)state;
	struct run r;
	char out[1024], err[1024];
	run_start(&r);
	assert_false(ww_fault_active(&r.sh.fault));
	assert_int_equal(ww_shell_exec(&r.sh, "set fault drop=0.05 dup=0.02 reorder=0.1 corrupt=0.01 "
					      "seed=42"),
			 WW_EXIT_OK);
	assert_true(r.sh.fault.drop == 0.05 && r.sh.fault.dup == 0.02 &&
		    r.sh.fault.reorder == 0.1 && r.sh.fault.corrupt == 0.01);
	assert_int_equal(r.sh.fault.seed, 42);
	assert_int_equal(r.sh.fault.dirs, WW_FAULT_ON_BOTH);
	take(&r, out, sizeof out, err, sizeof err);
	assert_string_equal(out, "");
	assert_int_equal(ww_shell_exec(&r.sh, "set fault"), WW_EXIT_OK);
	take(&r, out, sizeof out, err, sizeof err);
	assert_non_null(strstr(out, "fault drop=0.05 dup=0.02 reorder=0.1 corrupt=0.01 seed=42 "
				    "dir=both"));

	/* Without a seed one is chosen, and said, so the run can repeat. */
	assert_int_equal(ww_shell_exec(&r.sh, "set fault drop=5% dir=rx"), WW_EXIT_OK);
	take(&r, out, sizeof out, err, sizeof err);
	char want[128];
	snprintf(want, sizeof want, "fault: seed %llu (seed=%llu repeats these faults)\n",
		 (unsigned long long)r.sh.fault.seed, (unsigned long long)r.sh.fault.seed);
	assert_string_equal(out, want);
	assert_int_equal(r.sh.fault.dirs, WW_FAULT_ON_RX);

	/* A wrong word names itself and changes nothing. */
	struct ww_fault_config before = r.sh.fault;
	assert_int_equal(ww_shell_exec(&r.sh, "set fault drop=0.1 lose=0.2"), WW_EXIT_USAGE);
	take(&r, out, sizeof out, err, sizeof err);
	assert_non_null(strstr(err, "set fault: 'lose=0.2': expected drop=P"));
	assert_memory_equal(&r.sh.fault, &before, sizeof before);
	assert_int_equal(ww_shell_exec(&r.sh, "set fault drop=1.5"), WW_EXIT_USAGE);

	assert_int_equal(ww_shell_exec(&r.sh, "set fault off"), WW_EXIT_OK);
	assert_false(ww_fault_active(&r.sh.fault));
	assert_int_equal(ww_shell_exec(&r.sh, "set fault"), WW_EXIT_OK);
	take(&r, out, sizeof out, err, sizeof err);
	assert_non_null(strstr(out, "fault off"));
	run_end(&r);
}

static void test_capture_keep(void **state)
{
	(void)state;
	struct run r;
	char out[1024], err[1024];
	run_start(&r);
	assert_int_equal(r.sh.capture_keep_frames, WW_SESSION_KEEP_FRAMES);
	assert_int_equal(r.sh.capture_keep_bytes, WW_SESSION_KEEP_BYTES);
	assert_int_equal(ww_shell_exec(&r.sh, "set capture.keep 500"), WW_EXIT_OK);
	assert_int_equal(r.sh.capture_keep_frames, 500);
	assert_int_equal(ww_shell_exec(&r.sh, "set capture.keep 2k"), WW_EXIT_OK);
	assert_int_equal(r.sh.capture_keep_frames, 2000);
	assert_int_equal(ww_shell_exec(&r.sh, "set capture.keep all"), WW_EXIT_OK);
	assert_int_equal(r.sh.capture_keep_frames, WW_KEEP_ALL_FRAMES);
	assert_int_equal(ww_shell_exec(&r.sh, "set capture.keep 0"), WW_EXIT_OK);
	assert_int_equal(r.sh.capture_keep_frames, 0);
	assert_int_equal(ww_shell_exec(&r.sh, "set capture.keep_bytes 16M"), WW_EXIT_OK);
	assert_int_equal(r.sh.capture_keep_bytes, 16u << 20);
	assert_int_equal(ww_shell_exec(&r.sh, "set capture.keep_bytes 64k"), WW_EXIT_OK);
	assert_int_equal(r.sh.capture_keep_bytes, 64u << 10);
	take(&r, out, sizeof out, err, sizeof err);
	assert_int_equal(ww_shell_exec(&r.sh, "set capture.keep_bytes"), WW_EXIT_OK);
	take(&r, out, sizeof out, err, sizeof err);
	assert_non_null(strstr(out, "capture.keep_bytes 64k"));
	static const char *const bad[] = { "set capture.keep -1", "set capture.keep many",
					   "set capture.keep 5x", "set capture.keep 99999999999",
					   "set capture.keep_bytes 1T" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(ww_shell_exec(&r.sh, bad[i]), WW_EXIT_USAGE);
	assert_int_equal(r.sh.capture_keep_frames, 0);
	assert_int_equal(r.sh.capture_keep_bytes, 64u << 10);
	run_end(&r);
}

static void test_view_off(void **state)
{
	(void)state;
	struct run r;
	char out[1024], err[1024];
	run_start(&r);
	assert_int_equal(ww_shell_exec(&r.sh, "set view off"), WW_EXIT_OK);
	assert_int_equal(r.sh.view, 0);
	take(&r, out, sizeof out, err, sizeof err);
	assert_int_equal(ww_shell_exec(&r.sh, "set view"), WW_EXIT_OK);
	take(&r, out, sizeof out, err, sizeof err);
	assert_non_null(strstr(out, "view off "));
	/* "off" stands alone. */
	assert_int_equal(ww_shell_exec(&r.sh, "set view off,hex"), WW_EXIT_USAGE);
	assert_int_equal(ww_shell_exec(&r.sh, "set view summary"), WW_EXIT_OK);
	assert_int_equal(r.sh.view, WW_VIEW_SUMMARY);
	run_end(&r);
}

/* Refused before anything is touched: no lab, no privilege needed. */
static void test_lab_impair_words(void **state)
{
	(void)state;
	struct ww_lab_impair_probe {
		const char *words[3];
		int argc;
		int ok;
	} cases[] = {
		{ { "loss=0.05", "dup=2%" }, 2, 1 },
		{ { "off" }, 1, 1 },
		{ { "delay=10ms", "reorder=0.1" }, 2, 1 },
		{ { "loss=1.5" }, 1, 0 },
		{ { "loss" }, 1, 0 },
		{ { "jitter=3" }, 1, 0 },
		{ { "delay=-4" }, 1, 0 },
		{ { "off", "loss=0.1" }, 2, 0 },
	};
	struct run r;
	char out[1024], err[1024];
	run_start(&r);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char line[128];
		snprintf(line, sizeof line, "lab impair %s %s --lab nosuchlab0", cases[i].words[0],
			 cases[i].argc > 1 ? cases[i].words[1] : "");
		int rc = ww_shell_exec(&r.sh, line);
		take(&r, out, sizeof out, err, sizeof err);
		if (cases[i].ok) /* the words pass; the lab is missing */
			assert_true(rc == WW_EXIT_FAIL && !strstr(err, "expected loss=P"));
		else
			assert_true(rc == WW_EXIT_USAGE && strstr(err, "expected loss=P"));
	}
	run_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_fault),
		cmocka_unit_test(test_capture_keep),
		cmocka_unit_test(test_view_off),
		cmocka_unit_test(test_lab_impair_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
