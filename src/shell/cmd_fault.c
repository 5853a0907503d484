/* Settings of the live session that outlive it: the faults injected on our
 * side of the link (`set fault`) and how much of the packet list is kept
 * (`set capture.keep`, `set capture.keep_bytes`). The shell holds them; a
 * session takes them when it starts, and at once while it runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ww/fault.h"
#include "ww/loop.h"
#include "ww/packet_list.h"
#include "ww/session.h"
#include "ww/shell.h"

const char *const ww_fault_words[] = { "off", "drop=", "dup=", "reorder=", "corrupt=", "seed=",
				       "dir=", NULL };
const char *const ww_keep_words[] = { "all", "0", "1000", "10000", "100000", NULL };
const char *const ww_keep_bytes_words[] = { "all", "1M", "4M", "16M", "64M", NULL };

void ww_live_apply_settings(struct ww_shell *sh, struct ww_session *s)
{
	ww_session_set_keep(s, sh->capture_keep_frames, sh->capture_keep_bytes);
	if (ww_fault_active(&sh->fault) && ww_session_set_fault(s, &sh->fault) < 0)
		ww_shell_error(sh, WW_EXIT_FAIL, "set fault: out of memory: no faults injected");
}

/* ---- set fault ----------------------------------------------------------- */

static uint64_t fresh_seed(void)
{
	uint64_t v = 0;
	if (getrandom(&v, sizeof v, GRND_NONBLOCK) != sizeof v)
		v = ww_clock_ns();
	/* Short enough to type again. */
	return v % 1000000;
}

int ww_set_fault(struct ww_shell *sh, const char *value)
{
	struct ww_fault_config cfg;
	if (!strcmp(value, "off")) {
		memset(&cfg, 0, sizeof cfg);
	} else {
		bool seed_set;
		char err[256];
		if (ww_fault_parse(value, &cfg, &seed_set, err, sizeof err) < 0) {
			ww_shell_error(sh, WW_EXIT_USAGE, "set fault: %s", err);
			return 1; /* said already */
		}
		if (!seed_set) {
			cfg.seed = fresh_seed();
			fprintf(sh->out, "fault: seed %llu (seed=%llu repeats these faults)\n",
				(unsigned long long)cfg.seed, (unsigned long long)cfg.seed);
		}
	}
	struct ww_session *s = ww_shell_session_running(sh);
	if (s && ww_session_set_fault(s, &cfg) < 0) {
		ww_shell_error(sh, WW_EXIT_FAIL, "set fault: out of memory");
		return 1;
	}
	sh->fault = cfg;
	return 0;
}

void ww_print_fault(struct ww_shell *sh, FILE *out)
{
	if (!ww_fault_active(&sh->fault)) {
		fputs("off", out);
		return;
	}
	char text[160];
	ww_fault_format(&sh->fault, text, sizeof text);
	fputs(text, out);
	struct ww_session *s = ww_shell_session_running(sh);
	const struct ww_fault_stats *st = s ? ww_session_fault_stats(s) : NULL;
	if (!st)
		return;
	static const char *const dir[2] = { "received", "sent" };
	fputs(" (so far:", out);
	for (int d = 0; d < 2; d++)
		fprintf(out, "%s %s %llu: %llu dropped, %llu duplicated, %llu reordered, %llu corrupted",
			d ? ";" : "", dir[d], (unsigned long long)st->frames[d],
			(unsigned long long)st->dropped[d], (unsigned long long)st->duplicated[d],
			(unsigned long long)st->reordered[d], (unsigned long long)st->corrupted[d]);
	fputc(')', out);
}

/* ---- set capture.keep, capture.keep_bytes --------------------------------- */

/* "all", or a count with an optional k/M/G (powers of 1024 when BYTES). */
static int parse_amount(const char *v, bool bytes, uint64_t max, uint64_t *out)
{
	if (!strcmp(v, "all")) {
		*out = UINT64_MAX;
		return 0;
	}
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (end == v || errno || *v == '-')
		return -1;
	uint64_t unit = 1, k = bytes ? 1024 : 1000;
	if (*end == 'k' || *end == 'K')
		unit = k, end++;
	else if (*end == 'M')
		unit = k * k, end++;
	else if (*end == 'G')
		unit = k * k * k, end++;
	if (*end || n > max / unit)
		return -1;
	*out = n * unit;
	return 0;
}

static void apply_keep(struct ww_shell *sh)
{
	struct ww_session *s = ww_shell_session_running(sh);
	if (s)
		ww_session_set_keep(s, sh->capture_keep_frames, sh->capture_keep_bytes);
}

int ww_set_capture_keep(struct ww_shell *sh, const char *value)
{
	uint64_t n;
	if (parse_amount(value, false, UINT32_MAX - 1, &n) < 0)
		return -1;
	sh->capture_keep_frames = n == UINT64_MAX ? WW_KEEP_ALL_FRAMES : (unsigned)n;
	apply_keep(sh);
	return 0;
}

int ww_set_capture_keep_bytes(struct ww_shell *sh, const char *value)
{
	uint64_t n;
	if (parse_amount(value, true, SIZE_MAX - 1, &n) < 0)
		return -1;
	sh->capture_keep_bytes = n == UINT64_MAX ? WW_KEEP_ALL_BYTES : (size_t)n;
	apply_keep(sh);
	return 0;
}

void ww_print_capture_keep(struct ww_shell *sh, FILE *out)
{
	if (sh->capture_keep_frames == WW_KEEP_ALL_FRAMES)
		fputs("all", out);
	else
		fprintf(out, "%u", sh->capture_keep_frames);
	struct ww_session *s = ww_shell_session_running(sh);
	if (s) {
		unsigned n = ww_session_npackets(s), first = ww_session_first_packet(s);
		if (first <= n)
			fprintf(out, " (keeping $%u to $%u)", first, n);
		else
			fprintf(out, " (%u numbered, none kept)", n);
	}
}

void ww_print_capture_keep_bytes(struct ww_shell *sh, FILE *out)
{
	size_t b = sh->capture_keep_bytes;
	if (b == WW_KEEP_ALL_BYTES)
		fputs("all", out);
	else if (b && b % (1024 * 1024) == 0)
		fprintf(out, "%zuM", b / (1024 * 1024));
	else if (b && b % 1024 == 0)
		fprintf(out, "%zuk", b / 1024);
	else
		fprintf(out, "%zu", b);
}
