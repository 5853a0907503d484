/* Any bytes as a lesson file: the parser never crashes, refuses with
 * "f.md:LINE: reason" and a line that exists, and what it accepts holds
 * together (every task in a step that exists, on a line of the file, with
 * a Do: and at least one check); every check of an accepted file can then
 * be judged over real frames without crashing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/view_frames.h"
#include "ww/lesson.h"
#include "ww/session.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

static struct ww_packet frames[4];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	const struct { const uint8_t *p; size_t len; bool sent; } f[] = {
		{ vf_arp_request, sizeof vf_arp_request, true },
		{ vf_tcp_syn, sizeof vf_tcp_syn, true },
		{ vf_tcp_syn_ack, sizeof vf_tcp_syn_ack, false },
		{ vf_dns_cname, sizeof vf_dns_cname, false },
	};
	for (unsigned i = 0; i < 4; i++)
		frames[i] = (struct ww_packet){ .no = i + 1, .sent = f[i].sent,
						.len = (uint32_t)f[i].len, .data = (uint8_t *)f[i].p };
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	struct ww_lesson *l;
	char err[512];
	if (ww_lesson_parse_buffer("f.md", (const char *)data, size, &l, err, sizeof err) < 0) {
		unsigned at;
		check(l == NULL);
		check(strncmp(err, "f.md:", 5) == 0);
		check(sscanf(err + 5, "%u:", &at) == 1 && at >= 1 && at <= lines);
		return 0;
	}
	check(l->title && l->nsteps >= 1);
	for (size_t s = 0; s < l->nsteps; s++) {
		const struct ww_lesson_step *st = &l->steps[s];
		check(st->title != NULL && st->line >= 1 && st->line <= lines);
		for (size_t p = 0; p < st->nparts; p++)
			check(st->parts[p].kind != WW_LESSON_TASK || st->parts[p].task < l->ntasks);
	}
	struct ww_lesson_evidence ev = { .frames = frames, .nframes = 4 };
	for (size_t i = 0; i < l->ntasks; i++) {
		const struct ww_lesson_task *t = &l->tasks[i];
		check(t->step < l->nsteps && t->line >= 1 && t->line <= lines);
		check(t->do_text && t->nchecks >= 1);
		check(ww_lesson_task_find(l, t->id) == t);
		struct ww_lesson_result *res = calloc(t->nchecks, sizeof *res);
		if (!res)
			break;
		size_t failed = ww_lesson_check_task(t, &ev, res);
		size_t counted = 0;
		for (size_t c = 0; c < t->nchecks; c++) {
			check(res[c].check == &t->checks[c]);
			check(res[c].detail[0] != '\0');
			check(t->checks[c].line > t->line && t->checks[c].line <= lines);
			counted += !res[c].pass;
			char text[256];
			ww_lesson_check_text(&t->checks[c], text, sizeof text);
		}
		check(failed == counted);
		free(res);
	}
	ww_lesson_free(l);
	return 0;
}
