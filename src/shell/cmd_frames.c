/* The frames sent and received, looked at again: `packets` (the numbered
 * list), `show $N` (the field tree), `hex`, `layers`, `bits`, and
 * `capture save`. Live, the session's packet list; offline, the capture
 * read last, so the same commands work on a file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_craft_int.h"
#include "ww/dissect.h"
#include "ww/filter.h"
#include "ww/pcap.h"
#include "ww/session.h"

static void view_frame(struct ww_shell *sh, const struct frame_ref *r, unsigned view)
{
	FILE *out = sh->out;
	ww_dissect(sh->d, r->data, r->len);
	if (sh->json) {
		ww_view_json(out, sh->d, r->no);
		fputc('\n', out);
		return;
	}
	struct ww_view_opts o = {
		.color = ww_color_wanted(sh->color_mode, fileno(out)),
		.frame_no = r->no,
		.ts = r->t,
		.outgoing = r->sent,
		.has_dir = r->live,
	};
	ww_view_show(out, sh->d, &o, view);
	if (r->len < r->origlen && view != WW_VIEW_SUMMARY)
		fprintf(out, "  (%u of the frame's %u bytes were captured)\n", r->len, r->origlen);
}

/* The frame ARG names ($N, N, $last, $reply), or the last one; 0 after
 * reporting why there is none. */
static unsigned frame_arg(struct ww_shell *sh, const char *cmd, const char *arg)
{
	char why[160] = "";
	const char *name = arg ? arg : "$last";
	if (*name == '$')
		name++;
	unsigned no = frame_by_name(sh, name, strlen(name), why, sizeof why);
	if (no == 0)
		ww_shell_error(sh, WW_EXIT_USAGE, "%s: %s", cmd, why[0] ? why : "no such frame");
	return no;
}

static int view_named(struct ww_shell *sh, int argc, char **argv, unsigned view)
{
	if (argc > 2)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	unsigned no = frame_arg(sh, argv[0], argc == 2 ? argv[1] : NULL);
	struct frame_ref r;
	if (no == 0 || frame_get(sh, no, &r) < 0)
		return WW_EXIT_USAGE;
	view_frame(sh, &r, view);
	return WW_EXIT_OK;
}

int ww_cmd_show_packet(struct ww_shell *sh, int argc, char **argv)
{
	return view_named(sh, argc, argv, WW_VIEW_TREE);
}

int cmd_frame_view(struct ww_shell *sh, int argc, char **argv)
{
	unsigned view = strcmp(argv[0], "hex") == 0      ? WW_VIEW_HEX
			: strcmp(argv[0], "layers") == 0 ? WW_VIEW_BAR
							 : WW_VIEW_BITS;
	return view_named(sh, argc, argv, view);
}

int cmd_packets(struct ww_shell *sh, int argc, char **argv)
{
	const char *text = argc > 1 ? command_args(sh, argc, argv) : "";
	struct ww_filter *f = malloc(sizeof *f);
	struct ww_expr_error err;
	struct ww_vars vars;
	if (!f)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", argv[0]);
	shell_vars(sh, &vars);
	if (ww_filter_parse(f, text, NULL, &vars, &err) < 0) {
		free(f);
		return expr_error(sh, WW_EXIT_USAGE, argv[0], text, &err);
	}
	unsigned n = frames_count(sh), shown = 0;
	for (unsigned no = 1; no <= n; no++) {
		struct frame_ref r;
		if (frame_get(sh, no, &r) < 0)
			continue;
		ww_dissect(sh->d, r.data, r.len);
		if (!ww_filter_match(f, sh->d))
			continue;
		view_frame(sh, &r, WW_VIEW_SUMMARY);
		shown++;
	}
	free(f);
	if (n == 0 && !sh->json)
		fputs(ww_shell_session_running(sh) ? "no frames yet\n"
						   : "no frames: offline, and no capture read\n",
		      sh->out);
	else if (shown == 0 && !sh->json)
		fprintf(sh->out, "none of the %u frames matches\n", n);
	return WW_EXIT_OK;
}

/* Live packets carry the monotonic clock; a capture wants the wall clock. */
static void wall_time(uint64_t mono_ns, int64_t *sec, uint32_t *nsec)
{
	struct timespec rt, mt;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mt);
	int64_t off = ((int64_t)rt.tv_sec - (int64_t)mt.tv_sec) * 1000000000 +
		      ((int64_t)rt.tv_nsec - (int64_t)mt.tv_nsec);
	int64_t t = (int64_t)mono_ns + off;
	*sec = t / 1000000000;
	*nsec = (uint32_t)(t % 1000000000);
}

static int save_capture(struct ww_shell *sh, const char *path)
{
	struct ww_pcap_writer w;
	if (ww_pcap_create(&w, path, true, 0, WW_LINKTYPE_ETHERNET) < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "capture save: %s: %s", path, w.err);
	struct ww_session *s = ww_shell_session_running(sh);
	unsigned n = frames_count(sh);
	int rc = 0;
	for (unsigned no = 1; no <= n && rc == 0; no++) {
		int64_t sec;
		uint32_t nsec, len, orig;
		const uint8_t *data;
		if (s) {
			const struct ww_packet *p = ww_session_packet(s, no);
			if (!p)
				continue;
			wall_time(p->ts_ns, &sec, &nsec);
			data = p->data, len = orig = p->len;
		} else {
			const struct ww_kept_frame *f = &sh->last.frames[no - 1];
			sec = f->sec, nsec = f->nsec, data = f->data, len = f->caplen, orig = f->origlen;
		}
		rc = ww_pcap_write(&w, sec, nsec, data, len, orig);
	}
	char why[WW_PCAP_ERR_SIZE];
	snprintf(why, sizeof why, "%s", w.err);
	if (ww_pcap_writer_close(&w) < 0 || rc < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "capture save: %s: %s", path,
				      why[0] ? why : w.err[0] ? w.err : strerror(errno));
	fprintf(sh->out, "wrote %u frame%s to %s\n", n, n == 1 ? "" : "s", path);
	return WW_EXIT_OK;
}

int cmd_capture(struct ww_shell *sh, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "save") != 0)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	return save_capture(sh, argv[2]);
}
