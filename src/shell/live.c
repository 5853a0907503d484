/* The live network as the shell sees it: where the session runs (the lab,
 * or --iface), starting it, and printing what happens on it — every frame
 * through the views chosen with `set view`, the stack's drops and state
 * changes as lines — or, with --json, one JSON object per event. Output
 * that arrives while a person types goes between ww_repl_hide and
 * ww_repl_show, so the half-typed line comes back intact. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ww/dissect.h"
#include "ww/eth.h"
#include "ww/ipv4.h"
#include "ww/lab.h"
#include "ww/link.h"
#include "ww/loop.h"
#include "ww/session.h"
#include "ww/shell.h"

struct ww_live {
	struct ww_session_opts o;
	char *lab, *iface, *pcap;   /* the strings O points to */
	struct ww_loop *loop;
	struct ww_session *session;
	bool failed;                /* the start failed: WHY says why */
	char why[1024];
	uint64_t t0_ns;             /* time 0 of the events */
	struct ww_dissection *d;    /* the events' own: a command may hold sh->d */
};

static struct ww_live *live_get(struct ww_shell *sh)
{
	if (sh->live)
		return sh->live;
	struct ww_live *lv = calloc(1, sizeof *lv);
	if (!lv)
		return NULL;
	lv->o.lab = WW_LAB_DEFAULT_NAME;
	lv->o.up_lab = true;
	sh->live = lv;
	return lv;
}

static int set_copy(char **dst, const char *src)
{
	free(*dst);
	*dst = NULL;
	if (src && !(*dst = strdup(src)))
		return -1;
	return 0;
}

int ww_live_configure(struct ww_shell *sh, const struct ww_session_opts *o)
{
	struct ww_live *lv = live_get(sh);
	if (!lv || set_copy(&lv->lab, o->lab) < 0 || set_copy(&lv->iface, o->iface) < 0 ||
	    set_copy(&lv->pcap, o->pcap_path) < 0)
		return -1;
	lv->o = *o;
	lv->o.lab = lv->iface ? NULL : lv->lab ? lv->lab : WW_LAB_DEFAULT_NAME;
	lv->o.iface = lv->iface;
	lv->o.pcap_path = lv->pcap;
	return 0;
}

/* ---- events as text -------------------------------------------------- */

static void frame_text(struct ww_shell *sh, struct ww_live *lv, FILE *out,
		       const struct ww_event *ev, double t)
{
	ww_dissect(lv->d, ev->frame, ev->len);
	struct ww_view_opts o = {
		.color = ww_color_wanted(sh->color_mode, fileno(out)),
		.frame_no = ev->packet_no,
		.ts = t,
		.outgoing = ev->type == WW_EV_FRAME_SENT,
		.has_dir = true,
	};
	unsigned view = sh->view;
	ww_view_show(out, lv->d, &o, view);
	if (view != WW_VIEW_SUMMARY)
		fputc('\n', out);
}

static void event_text(struct ww_shell *sh, struct ww_live *lv, FILE *out,
		       const struct ww_event *ev, double t)
{
	const char *text = ev->text ? ev->text : "";
	switch (ev->type) {
	case WW_EV_FRAME_SENT:
	case WW_EV_FRAME_RECEIVED:
		frame_text(sh, lv, out, ev, t);
		return;
	case WW_EV_FRAME_DROPPED:
		fputs("  ✗ ", out);
		if (ev->packet_no)
			fprintf(out, "frame %u ", ev->packet_no);
		fprintf(out, "dropped: %s", text);
		if (ev->reason)
			fprintf(out, " [%s]", ev->reason);
		break;
	case WW_EV_FAULT:
		fprintf(out, "  ~ fault: %s", text);
		break;
	case WW_EV_STATE:
		fprintf(out, "  • %s", text);
		break;
	case WW_EV_INFO:
		fprintf(out, "  · %s", text);
		break;
	case WW_EV_ERROR:
		fprintf(out, "  ! %s", text);
		break;
	}
	fputc('\n', out);
}

/* ---- events as JSON -------------------------------------------------- */

/* {"event":"received","time":0.001234,"frame":3,"len":60,"layers":[...],"errors":[]}:
 * the object `read --json` prints for the frame, with the event's name
 * and time in front. */
static void frame_json(struct ww_live *lv, FILE *out, const struct ww_event *ev)
{
	ww_dissect(lv->d, ev->frame, ev->len);
	char *buf = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&buf, &n);
	if (!mem)
		return;
	ww_view_json(mem, lv->d, ev->packet_no);
	fclose(mem);
	if (n > 0 && buf[0] == '{')
		fwrite(buf + 1, 1, n - 1, out);
	free(buf);
}

static void event_json(struct ww_live *lv, FILE *out, const struct ww_event *ev, double t)
{
	fprintf(out, "{\"event\":\"%s\",\"time\":%.6f,", ww_event_type_name(ev->type), t);
	if (ev->type == WW_EV_FRAME_SENT || ev->type == WW_EV_FRAME_RECEIVED) {
		frame_json(lv, out, ev);
		fputc('\n', out);
		return;
	}
	if (ev->packet_no)
		fprintf(out, "\"frame\":%u,", ev->packet_no);
	if (ev->reason) {
		fputs("\"reason\":", out);
		ww_json_string(out, ev->reason);
		fputc(',', out);
	}
	fputs("\"text\":", out);
	ww_json_string(out, ev->text ? ev->text : "");
	fputs("}\n", out);
}

static void on_event(void *arg, const struct ww_event *ev)
{
	struct ww_shell *sh = arg;
	struct ww_live *lv = sh->live;
	/* `set view off`: frames cost nothing here, not even a dissection. */
	if (sh->view == 0 && (ev->type == WW_EV_FRAME_SENT || ev->type == WW_EV_FRAME_RECEIVED))
		return;
	FILE *out = sh->events ? sh->events : sh->out;
	double t = ev->now_ns >= lv->t0_ns ? (double)(ev->now_ns - lv->t0_ns) / 1e9 : 0;
	ww_repl_hide();
	if (sh->json)
		event_json(lv, out, ev, t);
	else
		event_text(sh, lv, out, ev, t);
	fflush(out);
	ww_repl_show();
}

/* ---- the session ----------------------------------------------------- */

int ww_live_start(struct ww_shell *sh)
{
	struct ww_live *lv = live_get(sh);
	if (!lv)
		return -1;
	if (lv->session)
		return 0;
	if (lv->failed)
		return -1;
	if (!lv->d && !(lv->d = malloc(sizeof *lv->d))) {
		snprintf(lv->why, sizeof lv->why, "out of memory");
		lv->failed = true;
		return -1;
	}
	if (!lv->loop && !(lv->loop = ww_loop_new())) {
		snprintf(lv->why, sizeof lv->why, "out of memory");
		lv->failed = true;
		return -1;
	}
	lv->o.loop = lv->loop;
	lv->t0_ns = ww_clock_ns();
	lv->session = ww_session_open(&lv->o, on_event, sh, lv->why, sizeof lv->why);
	if (!lv->session) {
		lv->failed = true;
		return -1;
	}
	lv->t0_ns = ww_session_info(lv->session)->start_ns;
	ww_live_apply_settings(sh, lv->session);
	ww_tcp_apply_settings(sh, lv->session);
	return 0;
}

const char *ww_live_lab(const struct ww_shell *sh)
{
	if (!sh->live)
		return WW_LAB_DEFAULT_NAME;
	return sh->live->iface ? NULL : sh->live->o.lab ? sh->live->o.lab : WW_LAB_DEFAULT_NAME;
}

const char *ww_live_error(const struct ww_shell *sh)
{
	return sh->live && sh->live->failed ? sh->live->why : NULL;
}

void ww_live_describe(struct ww_shell *sh, FILE *out)
{
	struct ww_session *s = ww_shell_session_running(sh);
	if (!s) {
		const char *why = ww_live_error(sh);
		fprintf(out, "offline%s%s\n", why ? ": " : "", why ? why : "");
		return;
	}
	const struct ww_session_info *in = ww_session_info(s);
	char mac[18], ip[16], gw[16];
	fprintf(out, "live on %s", in->ifname);
	if (in->lab[0])
		fprintf(out, " in lab %s", in->lab);
	fprintf(out, ": %s/%u, MAC %s, MTU %u", ww_ipv4_str(in->ip, ip), in->prefix,
		ww_mac_str(in->mac, mac), in->mtu);
	if (in->gw)
		fprintf(out, ", gateway %s", ww_ipv4_str(in->gw, gw));
	if (sh->live->pcap)
		fprintf(out, "; capturing to %s", sh->live->pcap);
	fputc('\n', out);
}

struct ww_session *ww_shell_session(struct ww_shell *sh)
{
	if (ww_live_start(sh) == 0)
		return sh->live->session;
	const char *why = ww_live_error(sh);
	ww_shell_error(sh, WW_EXIT_FAIL, "no live network: %s", why ? why : "out of memory");
	return NULL;
}

struct ww_session *ww_shell_session_running(const struct ww_shell *sh)
{
	return sh->live ? sh->live->session : NULL;
}

struct ww_loop *ww_shell_loop(struct ww_shell *sh)
{
	struct ww_live *lv = live_get(sh);
	if (lv && !lv->loop)
		lv->loop = ww_loop_new();
	return lv ? lv->loop : NULL;
}

void ww_live_free(struct ww_shell *sh)
{
	struct ww_live *lv = sh->live;
	if (!lv)
		return;
	ww_session_close(lv->session);
	ww_loop_free(lv->loop);
	free(lv->d);
	free(lv->lab);
	free(lv->iface);
	free(lv->pcap);
	free(lv);
	sh->live = NULL;
}

/* ---- commands -------------------------------------------------------- */

static int cmd_wait(struct ww_shell *sh, int argc, char **argv)
{
	const struct ww_command *self = ww_command_find(argv[0]);
	if (argc != 2)
		return ww_shell_usage(sh, self);
	char *end;
	errno = 0;
	double secs = strtod(argv[1], &end);
	if (end == argv[1] || *end || errno || !isfinite(secs) || secs < 0 || secs > 3600)
		return ww_shell_error(sh, WW_EXIT_USAGE,
				      "wait: '%s' is not a number of seconds from 0 to 3600", argv[1]);
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return WW_EXIT_FAIL;
	if (ww_session_wait(s, NULL, NULL, (unsigned)(secs * 1000 + 0.5)) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "wait: interrupted");
	return WW_EXIT_OK;
}

const struct ww_command ww_live_commands[] = {
	{ .name = "wait", .args = "SECONDS",
	  .summary = "let time pass on the network: frames come and go, timers run",
	  .help = "Does nothing for SECONDS (a fraction too: wait 0.5) but keep the\n"
		  "network going: frames arriving are shown and answered, the stack's\n"
		  "timers run (ARP retries, reassembly timeouts). In a script, to give\n"
		  "an answer time to arrive. Ctrl-C stops it.",
	  .run = cmd_wait },
	{ 0 },
};
