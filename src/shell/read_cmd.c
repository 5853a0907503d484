/* `read` and `show`: frames from a capture file, dissected and put through
 * the views. The file's own problems (a record cut short, a length that
 * cannot be) stop the reading after the good frames are shown; a frame's
 * problems are the dissection's and the views show them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ww/dissect.h"
#include "ww/pcap.h"
#include "ww/shell.h"

static void show_frame(struct ww_shell *sh, unsigned view, unsigned frame_no, double ts,
		       const uint8_t *data, uint32_t caplen, uint32_t origlen)
{
	FILE *out = sh->out;
	if (!view && !sh->json) /* set view off */
		return;
	ww_dissect(sh->d, data, caplen);
	if (sh->json) {
		ww_view_json(out, sh->d, frame_no);
		fputc('\n', out);
		return;
	}
	struct ww_view_opts o = {
		.color = ww_color_wanted(sh->color_mode, fileno(out)),
		.frame_no = frame_no,
		.ts = ts,
	};
	ww_view_show(out, sh->d, &o, view);
	/* The views see only the captured bytes; say why a frame ends early. */
	if (caplen < origlen && view != WW_VIEW_SUMMARY)
		fprintf(out, "  (%u of the frame's %u bytes were captured: the capture's snaplen cut it)\n",
			caplen, origlen);
	if (view != WW_VIEW_SUMMARY)
		fputc('\n', out);
}

/* Seconds since the first frame, as tshark's default time column. */
static double since(int64_t sec, uint32_t nsec, int64_t sec0, uint32_t nsec0)
{
	return (double)(sec - sec0) + ((double)nsec - (double)nsec0) / 1e9;
}

static int keep_frame(struct ww_capture *cap, const struct ww_pcap_record *rec)
{
	if (cap->n == cap->cap) {
		size_t want = cap->cap ? cap->cap * 2 : 64;
		struct ww_kept_frame *p = realloc(cap->frames, want * sizeof *p);
		if (!p)
			return -1;
		cap->frames = p;
		cap->cap = want;
	}
	uint8_t *data = malloc(rec->caplen ? rec->caplen : 1);
	if (!data)
		return -1;
	memcpy(data, rec->data, rec->caplen);
	cap->frames[cap->n++] = (struct ww_kept_frame){
		.frame_no = rec->frame_no, .sec = rec->sec, .nsec = rec->nsec,
		.caplen = rec->caplen, .origlen = rec->origlen, .data = data,
	};
	return 0;
}

void ww_capture_clear(struct ww_capture *cap)
{
	for (size_t i = 0; i < cap->n; i++)
		free(cap->frames[i].data);
	free(cap->frames);
	free(cap->path);
	free(cap->error);
	memset(cap, 0, sizeof *cap);
}

int ww_shell_read(struct ww_shell *sh, const char *path, unsigned view)
{
	if (strcmp(path, "-") == 0 && isatty(STDIN_FILENO))
		return ww_shell_error(sh, WW_EXIT_USAGE, "read: standard input is a terminal, not a capture");
	struct ww_pcap_reader r;
	/* "-" is standard input: tcpdump -U -w - | wirewalk read - */
	int opened = strcmp(path, "-") == 0 ? ww_pcap_open(&r, stdin) : ww_pcap_open_path(&r, path);
	if (opened < 0) {
		/* A file that cannot be opened is a usage error: nothing was read.
		 * A file that is not a capture is bad input. */
		int status = r.f ? WW_EXIT_FAIL : WW_EXIT_USAGE;
		int rc = ww_shell_error(sh, status, "%s: %s%s", path,
					r.f ? "" : "cannot open: ", r.err);
		ww_pcap_close(&r);
		return rc;
	}
	if (sh->keep_frames) {
		ww_capture_clear(&sh->last);
		sh->last.path = strdup(path);
	}
	struct ww_pcap_record rec;
	int64_t sec0 = 0;
	uint32_t nsec0 = 0;
	int got;
	while ((got = ww_pcap_next(&r, &rec)) == 1) {
		if (ww_repl_interrupted()) {
			ww_pcap_close(&r);
			return ww_shell_error(sh, WW_EXIT_FAIL, "%s: interrupted after frame %u", path,
					      rec.frame_no - 1);
		}
		if (rec.frame_no == 1) {
			sec0 = rec.sec;
			nsec0 = rec.nsec;
		}
		show_frame(sh, view, rec.frame_no, since(rec.sec, rec.nsec, sec0, nsec0), rec.data,
			   rec.caplen, rec.origlen);
		if (sh->keep_frames && keep_frame(&sh->last, &rec) < 0) {
			ww_pcap_close(&r);
			return ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory after frame %u",
					      path, rec.frame_no);
		}
	}
	int rc = WW_EXIT_OK;
	if (got < 0) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s", path, r.err);
		if (sh->keep_frames)
			sh->last.error = strdup(r.err);
	}
	ww_pcap_close(&r);
	return rc;
}

int ww_cmd_read(struct ww_shell *sh, int argc, char **argv)
{
	const struct ww_command *self = ww_command_find(argv[0]);
	if (argc < 2 || argc > 3)
		return ww_shell_usage(sh, self);
	unsigned view = sh->view;
	if (argc == 3 && ww_view_parse(argv[2], &view) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE,
				      "read: unknown view '%s' (summary, tree, hex, bar, bits, all)",
				      argv[2]);
	return ww_shell_read(sh, argv[1], view);
}

/* "N" or "N-M" into FIRST..LAST; 0 on success. */
static int parse_range(const char *s, unsigned long *first, unsigned long *last)
{
	char *end;
	errno = 0;
	*first = strtoul(s, &end, 10);
	if (end == s || errno || *s == '-' || *s == '+')
		return -1;
	*last = *first;
	if (*end == '-') {
		const char *m = end + 1;
		*last = strtoul(m, &end, 10);
		if (end == m || errno || *m == '-' || *m == '+')
			return -1;
	}
	return *end == '\0' && *first >= 1 && *first <= *last ? 0 : -1;
}

int ww_cmd_show(struct ww_shell *sh, int argc, char **argv)
{
	/* $N, or live with no capture read: the packet list (cmd_frames.c). */
	if ((argc == 2 && argv[1][0] == '$') || (ww_shell_session_running(sh) && !sh->last.path))
		return ww_cmd_show_packet(sh, argc, argv);
	const struct ww_command *self = ww_command_find(argv[0]);
	if (argc > 2)
		return ww_shell_usage(sh, self);
	const struct ww_capture *cap = &sh->last;
	if (!cap->path)
		return ww_shell_error(sh, WW_EXIT_USAGE, "show: no capture read yet: 'read FILE' first");
	if (cap->n == 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "show: %s has no frames", cap->path);
	unsigned long first = 1, last = cap->n;
	if (argc == 2 && parse_range(argv[1], &first, &last) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "show: '%s' is not a frame number or N-M",
				      argv[1]);
	if (first > cap->n || last > cap->n)
		return ww_shell_error(sh, WW_EXIT_USAGE, "show: no frame %lu: %s has %zu frame%s",
				      last > cap->n && first <= cap->n ? last : first, cap->path,
				      cap->n, cap->n == 1 ? "" : "s");
	const struct ww_kept_frame *f0 = &cap->frames[0];
	for (unsigned long i = first; i <= last; i++) {
		const struct ww_kept_frame *f = &cap->frames[i - 1];
		show_frame(sh, sh->view, f->frame_no, since(f->sec, f->nsec, f0->sec, f0->nsec),
			   f->data, f->caplen, f->origlen);
	}
	return WW_EXIT_OK;
}
