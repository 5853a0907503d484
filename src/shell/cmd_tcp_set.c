/* The tcp.* settings: the options our SYN offers, Nagle, the receive
 * buffer, RST for strangers, the RTO's lower bound, TIME-WAIT's length.
 * The shell keeps them (sh->tcp); the session's TCP takes them when it
 * starts and at once while it runs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ww/session.h"
#include "ww/shell.h"

/* ---- settings ------------------------------------------------------------------------ */

const char *const ww_tcp_onoff_words[] = { "on", "off", NULL };
const char *const ww_tcp_mss_words[] = { "on", "off", "536", "1460", NULL };
const char *const ww_tcp_rcvbuf_words[] = { "1000", "65535", "256k", "1M", NULL };
const char *const ww_tcp_ms_words[] = { "200", "1000", NULL };

static int onoff(const char *v, bool *b)
{
	if (strcmp(v, "on") == 0)
		*b = true;
	else if (strcmp(v, "off") == 0)
		*b = false;
	else
		return -1;
	return 0;
}

/* A number with an optional k or M (1024s). */
static int size_value(const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (end == v || errno || v[0] == '-')
		return -1;
	if (*end == 'k' || *end == 'K')
		n *= 1024, end++;
	else if (*end == 'M')
		n *= 1024 * 1024, end++;
	if (*end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* Settings take effect in the session's TCP at once (options and
 * buffers for connections opened after). */
static void sync_settings(struct ww_shell *sh)
{
	struct ww_session *s = ww_shell_session_running(sh);
	if (s)
		ww_tcp_apply_settings(sh, s);
}

static int set_flag(struct ww_shell *sh, const char *v, bool *flag)
{
	if (onoff(v, flag) < 0)
		return -1;
	sync_settings(sh);
	return 0;
}

int ww_set_tcp_mss(struct ww_shell *sh, const char *v)
{
	unsigned long n;
	if (onoff(v, &sh->tcp.opt_mss) == 0) {
		sh->tcp.mss = 0;
	} else if (size_value(v, 64, 65535, &n) == 0) {
		sh->tcp.opt_mss = true;
		sh->tcp.mss = (uint16_t)n;
	} else {
		return -1;
	}
	sync_settings(sh);
	return 0;
}

void ww_print_tcp_mss(struct ww_shell *sh, FILE *out)
{
	if (sh->tcp.opt_mss && sh->tcp.mss)
		fprintf(out, "%u", sh->tcp.mss);
	else
		fputs(sh->tcp.opt_mss ? "on" : "off", out);
}

static void print_flag(FILE *out, bool flag)
{
	fputs(flag ? "on" : "off", out);
}

int ww_set_tcp_wscale(struct ww_shell *sh, const char *v)
{
	return set_flag(sh, v, &sh->tcp.opt_wscale);
}

int ww_set_tcp_sack(struct ww_shell *sh, const char *v)
{
	return set_flag(sh, v, &sh->tcp.opt_sack);
}

int ww_set_tcp_ts(struct ww_shell *sh, const char *v)
{
	return set_flag(sh, v, &sh->tcp.opt_ts);
}

int ww_set_tcp_nagle(struct ww_shell *sh, const char *v)
{
	return set_flag(sh, v, &sh->tcp.nagle);
}

int ww_set_tcp_stretch_ack(struct ww_shell *sh, const char *v)
{
	return set_flag(sh, v, &sh->tcp.stretch_ack);
}

int ww_set_tcp_rst(struct ww_shell *sh, const char *v)
{
	return set_flag(sh, v, &sh->tcp.rst);
}

void ww_print_tcp_wscale(struct ww_shell *sh, FILE *out) { print_flag(out, sh->tcp.opt_wscale); }
void ww_print_tcp_sack(struct ww_shell *sh, FILE *out) { print_flag(out, sh->tcp.opt_sack); }
void ww_print_tcp_ts(struct ww_shell *sh, FILE *out) { print_flag(out, sh->tcp.opt_ts); }
void ww_print_tcp_nagle(struct ww_shell *sh, FILE *out) { print_flag(out, sh->tcp.nagle); }
void ww_print_tcp_rst(struct ww_shell *sh, FILE *out) { print_flag(out, sh->tcp.rst); }
void ww_print_tcp_stretch_ack(struct ww_shell *sh, FILE *out)
{
	print_flag(out, sh->tcp.stretch_ack);
}

int ww_set_tcp_rcvbuf(struct ww_shell *sh, const char *v)
{
	unsigned long n;
	if (size_value(v, WW_TCP_MIN_BUF, WW_TCP_MAX_BUF, &n) < 0)
		return -1;
	sh->tcp.rcvbuf = (uint32_t)n;
	/* More than 64 KiB can only be offered with window scaling. */
	if (n > 65535 && !sh->tcp.opt_wscale) {
		sh->tcp.opt_wscale = true;
		fprintf(sh->out, "(tcp.wscale is on: a window over 65535 needs it)\n");
	}
	sync_settings(sh);
	return 0;
}

void ww_print_tcp_rcvbuf(struct ww_shell *sh, FILE *out)
{
	fprintf(out, "%u", sh->tcp.rcvbuf);
}

static int set_ms(struct ww_shell *sh, const char *v, unsigned long min, uint32_t *ms)
{
	unsigned long n;
	if (size_value(v, min, 3600000, &n) < 0)
		return -1;
	*ms = (uint32_t)n;
	sync_settings(sh);
	return 0;
}

int ww_set_tcp_rto_min(struct ww_shell *sh, const char *v)
{
	return set_ms(sh, v, 1, &sh->tcp.rto_min_ms);
}

void ww_print_tcp_rto_min(struct ww_shell *sh, FILE *out)
{
	fprintf(out, "%u", sh->tcp.rto_min_ms);
}

int ww_set_tcp_time_wait(struct ww_shell *sh, const char *v)
{
	return set_ms(sh, v, 0, &sh->tcp.time_wait_ms);
}

void ww_print_tcp_time_wait(struct ww_shell *sh, FILE *out)
{
	fprintf(out, "%u", sh->tcp.time_wait_ms);
}

