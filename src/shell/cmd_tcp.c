/* The TCP's commands: open a connection (tcp connect, tcp listen), move
 * data (tcp send, tcp recv), end it (tcp close, tcp abort), look at it
 * (tcp status, tcp ladder, tcp list, tcp stats), pick one (tcp use), and
 * the tcp.* settings. A command that waits pumps the session's loop:
 * frames keep arriving and printing, every state change is shown as it
 * happens (the TCP's events), Ctrl-C stops the wait. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_tcp_int.h"
#include "ww/ipv4.h"
#include "ww/lab.h"
#include "ww/loop.h"
#include "ww/session.h"
#include "ww/shell.h"

#define TCP_SEND_STALL_MS 15000  /* tcp send gives up waiting after this without progress */
#define TCP_RECV_IDLE_MS 2000    /* tcp recv stops after this without data */
#define TCP_RECV_FILE_IDLE_MS 30000 /* ... into a file: a download ends with the FIN */
#define TCP_CLOSE_WAIT_MS 5000   /* tcp close waits this long for the FIN's ACK */

/* ---- helpers ------------------------------------------------------------- */

static struct ww_tcp_host *tcp_host(struct ww_shell *sh, struct ww_session **sp)
{
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return NULL;
	struct ww_tcp_host *h = ww_session_tcp(s);
	if (!h) {
		ww_shell_error(sh, WW_EXIT_FAIL, "tcp: the session has no TCP");
		return NULL;
	}
	*ww_tcp_host_settings(h) = sh->tcp;
	if (sp)
		*sp = s;
	return h;
}

void ww_tcp_apply_settings(struct ww_shell *sh, struct ww_session *s)
{
	struct ww_tcp_host *h = ww_session_tcp(s);
	if (h)
		*ww_tcp_host_settings(h) = sh->tcp;
}

/* The connection commands act on: the current one. */
static struct ww_tcb *current(struct ww_shell *sh, const char *cmd, struct ww_session **sp)
{
	struct ww_tcp_host *h = tcp_host(sh, sp);
	if (!h)
		return NULL;
	struct ww_tcb *c = sh->tcp_conn ? ww_tcp_find(h, sh->tcp_conn) : NULL;
	if (!c)
		ww_shell_error(sh, WW_EXIT_FAIL,
			       "%s: no connection (tcp connect HOST PORT, or tcp listen PORT)", cmd);
	return c;
}

int tcp_parse_uint(struct ww_shell *sh, const char *cmd, const char *what, const char *s,
		      unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(s, &end, 10);
	if (end != s && !*end && !errno && n >= min && n <= max && s[0] != '-') {
		*v = n;
		return 0;
	}
	ww_shell_error(sh, WW_EXIT_USAGE, "%s: %s '%s' is not a number from %lu to %lu", cmd, what,
		       s, min, max);
	return -1;
}

/* Seconds, fractions too: "2", "0.5". */
int tcp_parse_secs(struct ww_shell *sh, const char *cmd, const char *s, uint64_t *ns)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (end != s && !*end && !errno && d >= 0 && d <= 86400) {
		*ns = (uint64_t)(d * 1e9);
		return 0;
	}
	ww_shell_error(sh, WW_EXIT_USAGE, "%s: '%s' is not a number of seconds", cmd, s);
	return -1;
}

static double ms_of(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* ---- tcp connect ------------------------------------------------------------ */

static bool handshake_over(void *arg)
{
	const struct ww_tcb *c = arg;
	return c->state != WW_TCPS_SYN_SENT && c->state != WW_TCPS_SYN_RECEIVED;
}

int ww_shell_tcp_open(struct ww_shell *sh, const char *cmd, uint32_t dst, uint16_t port,
		      uint64_t limit, struct ww_tcb **out)
{
	struct ww_session *s;
	struct ww_tcp_host *h = tcp_host(sh, &s);
	if (!h)
		return WW_EXIT_FAIL;
	uint64_t t0 = ww_session_now(s);
	struct ww_tcb *c = ww_tcp_connect(h, dst, port, 0, t0);
	if (!c)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: no connection could be made", cmd);
	sh->tcp_conn = c->id;
	if (!limit)
		limit = (uint64_t)sh->tcp.connect_timeout_ms * 1000000u + 100000000u;
	int r = ww_session_until(s, handshake_over, c, t0 + limit);
	char ends[64];
	tcp_endpoints(c, ends, sizeof ends);
	if (r < 0 || (r == 0 && !handshake_over(c))) {
		ww_tcp_abort(c, ww_session_now(s));
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s", cmd,
				      r < 0 ? "interrupted" : "no answer in time");
	}
	if (c->state != WW_TCPS_ESTABLISHED && !ww_tcp_synchronized(c))
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s to %s", cmd,
				      ww_tcp_error_str(c->error), ends);
	fprintf(sh->out, "TCP %u connected: %s in %.3f ms; MSS %u, window %u\n", c->id, ends,
		ms_of(c->established_ns - c->opened_ns), c->smss, c->snd_wnd);
	*out = c;
	return WW_EXIT_OK;
}

static int tcp_connect(struct ww_shell *sh, int argc, char **argv)
{
	const char *cmd = "tcp connect";
	if (argc < 4 || argc > 5)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp connect HOST PORT [TIMEOUT]");
	unsigned long port;
	uint64_t limit = 0;
	if (tcp_parse_uint(sh, cmd, "PORT", argv[3], 1, 65535, &port) < 0 ||
	    (argc == 5 && tcp_parse_secs(sh, cmd, argv[4], &limit) < 0))
		return WW_EXIT_USAGE;
	if (!tcp_host(sh, NULL))
		return WW_EXIT_FAIL;
	uint32_t dst;
	int rc = ww_shell_resolve(sh, cmd, argv[2], &dst);
	if (rc != 0)
		return rc;
	struct ww_tcb *c;
	rc = ww_shell_tcp_open(sh, cmd, dst, (uint16_t)port, limit, &c);
	if (rc == WW_EXIT_OK)
		snprintf(sh->tcp_host, sizeof sh->tcp_host, "%s", argv[2]);
	return rc;
}

/* ---- tcp send ------------------------------------------------------------------- */

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* C's escapes, so a request can be typed on one line:
 * "GET / HTTP/1.0\r\n\r\n". Returns the length, or -1 with *BAD at the
 * escape that is not one. */
long tcp_unescape(const char *in, uint8_t *out, const char **bad)
{
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		if (*p != '\\') {
			out[n++] = (uint8_t)*p;
			continue;
		}
		const char *at = p++;
		switch (*p) {
		case 'r': out[n++] = '\r'; break;
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case '0': out[n++] = 0; break;
		case '\\': case '"': case '\'': out[n++] = (uint8_t)*p; break;
		case 'x': {
			int a = hexval(p[1]), b = a < 0 ? -1 : hexval(p[2]);
			if (b < 0) {
				*bad = at;
				return -1;
			}
			out[n++] = (uint8_t)(a << 4 | b);
			p += 2;
			break;
		}
		default:
			*bad = at;
			return -1;
		}
	}
	return (long)n;
}

static bool send_room(void *arg)
{
	const struct ww_tcb *c = arg;
	return ww_tcp_send_space(c) > 0 || c->state == WW_TCPS_CLOSED;
}

static bool all_acked(void *arg)
{
	const struct ww_tcb *c = arg;
	return ww_tcp_unacked(c) == 0 || c->state == WW_TCPS_CLOSED;
}

/* Queue LEN bytes, waiting for room when the send buffer is full. */
static int queue_bytes(struct ww_shell *sh, struct ww_session *s, struct ww_tcb *c,
		       const uint8_t *p, size_t len)
{
	while (len) {
		long n = ww_tcp_send(c, p, len, ww_session_now(s));
		if (n < 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "tcp send: TCP %u is %s: it sends no more",
					      c->id, ww_tcp_state_name(c->state));
		p += n;
		len -= (size_t)n;
		uint64_t limit = ww_session_now(s) + TCP_SEND_STALL_MS * 1000000ull;
		if (len && ww_session_until(s, send_room, c, limit) <= 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "tcp send: the send buffer stays full");
	}
	return WW_EXIT_OK;
}

static int queue_file(struct ww_shell *sh, struct ww_session *s, struct ww_tcb *c,
		      const char *path, uint64_t *total)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ww_shell_error(sh, WW_EXIT_USAGE, "tcp send: %s: %s", path, strerror(errno));
	static uint8_t chunk[65536];
	size_t n;
	int rc = WW_EXIT_OK;
	while (rc == WW_EXIT_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		rc = queue_bytes(sh, s, c, chunk, n);
		*total += n;
	}
	if (rc == WW_EXIT_OK && ferror(f))
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "tcp send: reading %s failed", path);
	fclose(f);
	return rc;
}

/* Until everything queued is acknowledged, as long as it moves on. */
static int wait_acked(struct ww_shell *sh, struct ww_session *s, struct ww_tcb *c)
{
	for (;;) {
		uint32_t una = c->snd_una;
		int r = ww_session_until(s, all_acked, c, ww_session_now(s) + TCP_SEND_STALL_MS * 1000000ull);
		if (r < 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "tcp send: interrupted (the data stays "
					      "queued)");
		if (c->state == WW_TCPS_CLOSED && c->error != WW_TCPE_NONE)
			return ww_shell_error(sh, WW_EXIT_FAIL, "tcp send: %s",
					      ww_tcp_error_str(c->error));
		if (r > 0)
			return WW_EXIT_OK;
		if (c->snd_una == una)
			return ww_shell_error(sh, WW_EXIT_FAIL,
					      "tcp send: nothing acknowledged for %u s (%zu bytes wait)",
					      TCP_SEND_STALL_MS / 1000, ww_tcp_unacked(c));
	}
}

static int tcp_send(struct ww_shell *sh, int argc, char **argv)
{
	if (argc < 3)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp send TEXT|@FILE");
	struct ww_session *s;
	struct ww_tcb *c = current(sh, "tcp send", &s);
	if (!c)
		return WW_EXIT_FAIL;
	uint64_t total = 0, segs0 = c->st.data_segs_out;
	int rc;
	if (argc == 3 && argv[2][0] == '@') {
		rc = queue_file(sh, s, c, argv[2] + 1, &total);
	} else {
		/* Several words are one text, joined by a blank. */
		size_t len = 0;
		for (int i = 2; i < argc; i++)
			len += strlen(argv[i]) + 1;
		char *text = malloc(len + 1);
		uint8_t *bytes = malloc(len + 1);
		if (!text || !bytes) {
			free(text);
			free(bytes);
			return ww_shell_error(sh, WW_EXIT_FAIL, "tcp send: out of memory");
		}
		text[0] = '\0';
		for (int i = 2; i < argc; i++) {
			if (i > 2)
				strcat(text, " ");
			strcat(text, argv[i]);
		}
		const char *bad = NULL;
		long n = tcp_unescape(text, bytes, &bad);
		if (n < 0)
			rc = ww_shell_error(sh, WW_EXIT_USAGE,
					    "tcp send: '%.4s' is no escape (\\r \\n \\t \\0 \\\\ \\xHH)",
					    bad);
		else
			rc = queue_bytes(sh, s, c, bytes, (size_t)n);
		total = n > 0 ? (uint64_t)n : 0;
		free(text);
		free(bytes);
	}
	if (rc == WW_EXIT_OK)
		rc = wait_acked(sh, s, c);
	if (rc == WW_EXIT_OK)
		fprintf(sh->out, "TCP %u: %llu bytes sent in %llu segment%s, all acknowledged\n", c->id,
			(unsigned long long)total, (unsigned long long)(c->st.data_segs_out - segs0),
			c->st.data_segs_out - segs0 == 1 ? "" : "s");
	return rc;
}

/* ---- tcp recv ------------------------------------------------------------------- */

struct recv_ctx {
	struct ww_session *s;
	struct ww_tcb *c;
	FILE *f;
	uint64_t bytes;
	uint64_t last_ns;         /* when data last came (seen by recv_over) */
	uint64_t idle_ns;
	bool fresh;               /* data came since recv_over last looked */
	bool write_failed;
};

/* Straight from the segment into the file: nothing is held. */
static size_t to_file(void *arg, const uint8_t *p, size_t n)
{
	struct recv_ctx *r = arg;
	size_t w = fwrite(p, 1, n, r->f);
	r->bytes += w;
	r->fresh = true; /* no clock read per segment: recv_over notes the time */
	if (w < n)
		r->write_failed = true;
	return w;
}

static bool recv_over(struct recv_ctx *r)
{
	const struct ww_tcb *c = r->c;
	if (c->fin_received || c->state == WW_TCPS_CLOSED || r->write_failed)
		return true;
	uint64_t now = ww_session_now(r->s);
	if (r->fresh) {
		r->fresh = false;
		r->last_ns = now;
	}
	return now - r->last_ns >= r->idle_ns;
}

static bool file_done(void *arg)
{
	return recv_over(arg);
}

static bool readable_or_over(void *arg)
{
	struct recv_ctx *r = arg;
	return ww_tcp_readable(r->c) > 0 || recv_over(r);
}

/* Printed as text: control bytes other than \t \r \n as \xHH. */
void tcp_print_text(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b = p[i];
		if (b >= 0x20 || b == '\n' || b == '\r' || b == '\t')
			fputc(b, out);
		else
			fprintf(out, "\\x%02x", b);
	}
}

static void recv_print(struct ww_shell *sh, struct recv_ctx *r, bool *nl)
{
	uint8_t buf[4096];
	size_t n;
	while ((n = ww_tcp_recv(r->c, buf, sizeof buf, ww_session_now(r->s))) > 0) {
		tcp_print_text(sh->out, buf, n);
		r->bytes += n;
		r->last_ns = ww_session_now(r->s);
		*nl = buf[n - 1] == '\n';
	}
	fflush(sh->out);
}

static int recv_args(struct ww_shell *sh, int argc, char **argv, const char **path,
		     uint64_t *idle)
{
	*path = NULL;
	*idle = 0;
	for (int i = 2; i < argc; i += 2) {
		if (i + 1 >= argc)
			return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp recv [-o FILE] [-t SECONDS]");
		if (strcmp(argv[i], "-o") == 0)
			*path = argv[i + 1];
		else if (strcmp(argv[i], "-t") == 0) {
			if (tcp_parse_secs(sh, "tcp recv", argv[i + 1], idle) < 0)
				return WW_EXIT_USAGE;
		} else
			return ww_shell_error(sh, WW_EXIT_USAGE, "tcp recv: unknown option '%s' (-o, -t)",
					      argv[i]);
	}
	/* A sender backing off after losses may pause for seconds: a file
	 * waits longer for the rest than a person reading along. */
	if (!*idle)
		*idle = (*path ? TCP_RECV_FILE_IDLE_MS : TCP_RECV_IDLE_MS) * 1000000ull;
	return WW_EXIT_OK;
}

static int tcp_recv(struct ww_shell *sh, int argc, char **argv)
{
	const char *path;
	uint64_t idle;
	int rc = recv_args(sh, argc, argv, &path, &idle);
	if (rc != WW_EXIT_OK)
		return rc;
	struct ww_session *s;
	struct ww_tcb *c = current(sh, "tcp recv", &s);
	if (!c)
		return WW_EXIT_FAIL;
	struct recv_ctx r = { .s = s, .c = c, .idle_ns = idle, .last_ns = ww_session_now(s) };
	int pr;
	bool nl = true;
	if (path) {
		if (!(r.f = fopen(path, "wb")))
			return ww_shell_error(sh, WW_EXIT_USAGE, "tcp recv: %s: %s", path,
					      strerror(errno));
		static char iobuf[1 << 20];
		setvbuf(r.f, iobuf, _IOFBF, sizeof iobuf);
		ww_tcp_set_sink(c, to_file, &r, ww_session_now(s));
		pr = ww_session_until(s, file_done, &r, UINT64_MAX);
		ww_tcp_set_sink(c, NULL, NULL, ww_session_now(s));
		if (fclose(r.f) != 0)
			r.write_failed = true;
	} else {
		do {
			recv_print(sh, &r, &nl);
			pr = ww_session_until(s, readable_or_over, &r, UINT64_MAX);
		} while (pr > 0 && !recv_over(&r));
		recv_print(sh, &r, &nl);
	}
	if (!nl)
		fputc('\n', sh->out);
	const char *why = c->fin_received ? "the peer closed its side (FIN)"
			  : c->state == WW_TCPS_CLOSED ? ww_tcp_error_str(c->error)
			  : pr < 0 ? "interrupted"
			  : "nothing more came";
	if (r.write_failed)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tcp recv: writing %s failed after %llu bytes",
				      path, (unsigned long long)r.bytes);
	fprintf(sh->out, "TCP %u: %llu bytes received%s%s; %s\n", c->id,
		(unsigned long long)r.bytes, path ? " into " : "", path ? path : "", why);
	if (pr < 0 || (c->state == WW_TCPS_CLOSED && c->error != WW_TCPE_NONE))
		return WW_EXIT_FAIL;
	return r.bytes || c->fin_received ? WW_EXIT_OK : WW_EXIT_FAIL;
}

/* ---- tcp close, abort ------------------------------------------------------------ */

static bool fin_acked(void *arg)
{
	const struct ww_tcb *c = arg;
	return c->state == WW_TCPS_FIN_WAIT_2 || c->state == WW_TCPS_TIME_WAIT ||
	       c->state == WW_TCPS_CLOSED;
}

static int tcp_close(struct ww_shell *sh, int argc, char **argv)
{
	(void)argv;
	if (argc != 2)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp close");
	struct ww_session *s;
	struct ww_tcb *c = current(sh, "tcp close", &s);
	if (!c)
		return WW_EXIT_FAIL;
	if (ww_tcp_close(c, ww_session_now(s)) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tcp close: TCP %u is %s already", c->id,
				      ww_tcp_state_name(c->state));
	int r = ww_session_until(s, fin_acked, c, ww_session_now(s) + TCP_CLOSE_WAIT_MS * 1000000ull);
	if (r < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tcp close: interrupted");
	if (c->state == WW_TCPS_CLOSED && c->error != WW_TCPE_NONE)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tcp close: %s", ww_tcp_error_str(c->error));
	if (r == 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tcp close: our FIN is not acknowledged (%s)",
				      ww_tcp_state_name(c->state));
	fprintf(sh->out, "TCP %u: %s%s\n", c->id, ww_tcp_state_name(c->state),
		c->state == WW_TCPS_FIN_WAIT_2 ? " (our FIN acknowledged; the peer may still send)"
		: c->state == WW_TCPS_TIME_WAIT ? " (both sides closed)" : "");
	return WW_EXIT_OK;
}

static int tcp_abort(struct ww_shell *sh, int argc, char **argv)
{
	(void)argv;
	if (argc != 2)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp abort");
	struct ww_session *s;
	struct ww_tcb *c = current(sh, "tcp abort", &s);
	if (!c)
		return WW_EXIT_FAIL;
	bool rst = c->state != WW_TCPS_CLOSED && c->state != WW_TCPS_SYN_SENT &&
		   c->state != WW_TCPS_TIME_WAIT && c->state != WW_TCPS_LAST_ACK &&
		   c->state != WW_TCPS_CLOSING;
	if (c->state == WW_TCPS_CLOSED)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tcp abort: TCP %u is closed already", c->id);
	ww_tcp_abort(c, ww_session_now(s));
	fprintf(sh->out, "TCP %u: aborted%s\n", c->id, rst ? " (RST sent)" : "");
	return WW_EXIT_OK;
}

/* ---- tcp listen --------------------------------------------------------------------- */

struct accept_wait {
	struct ww_tcp_host *h;
	uint16_t port;
	struct ww_tcb *got;
};

static bool accepted(void *arg)
{
	struct accept_wait *w = arg;
	if (!w->got)
		w->got = ww_tcp_accept(w->h, w->port);
	return w->got != NULL;
}

static int tcp_listen(struct ww_shell *sh, int argc, char **argv)
{
	const char *cmd = "tcp listen";
	if (argc < 3 || argc > 4)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp listen PORT [TIMEOUT]");
	unsigned long port;
	uint64_t limit = UINT64_MAX;
	if (tcp_parse_uint(sh, cmd, "PORT", argv[2], 1, 65535, &port) < 0 ||
	    (argc == 4 && tcp_parse_secs(sh, cmd, argv[3], &limit) < 0))
		return WW_EXIT_USAGE;
	struct ww_session *s;
	struct ww_tcp_host *h = tcp_host(sh, &s);
	if (!h)
		return WW_EXIT_FAIL;
	char ip[16];
	ww_ipv4_str(ww_session_info(s)->ip, ip);
	if (!ww_tcp_listening(h, (uint16_t)port)) {
		if (ww_tcp_listen(h, (uint16_t)port) < 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "%s: no room for another listener", cmd);
		fprintf(sh->out, "listening on %s:%lu\n", ip, port);
		fflush(sh->out);
	}
	struct accept_wait w = { h, (uint16_t)port, NULL };
	uint64_t now = ww_session_now(s);
	int r = ww_session_until(s, accepted, &w, limit == UINT64_MAX ? UINT64_MAX : now + limit);
	if (!w.got)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s (still listening on %lu)", cmd,
				      r < 0 ? "interrupted" : "no connection in time", port);
	sh->tcp_conn = w.got->id;
	char ends[64];
	fprintf(sh->out, "TCP %u accepted: %s\n", w.got->id, tcp_endpoints(w.got, ends, sizeof ends));
	return WW_EXIT_OK;
}

static int tcp_unlisten(struct ww_shell *sh, int argc, char **argv)
{
	unsigned long port;
	if (argc != 3)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp unlisten PORT");
	if (tcp_parse_uint(sh, "tcp unlisten", "PORT", argv[2], 1, 65535, &port) < 0)
		return WW_EXIT_USAGE;
	struct ww_tcp_host *h = tcp_host(sh, NULL);
	if (!h)
		return WW_EXIT_FAIL;
	if (ww_tcp_unlisten(h, (uint16_t)port) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tcp unlisten: nothing listens on %lu", port);
	return WW_EXIT_OK;
}

/* ---- looking ------------------------------------------------------------------------ */

/* Connection N if given, else the current one. */
static struct ww_tcb *named(struct ww_shell *sh, int argc, char **argv, struct ww_session **sp)
{
	if (argc < 3)
		return current(sh, argv[1], sp);
	unsigned long id;
	char cmd[32];
	snprintf(cmd, sizeof cmd, "tcp %s", argv[1]);
	if (argc > 3 || tcp_parse_uint(sh, cmd, "N", argv[2], 1, 1000000000, &id) < 0)
		return NULL;
	struct ww_tcp_host *h = tcp_host(sh, sp);
	struct ww_tcb *c = h ? ww_tcp_find(h, (unsigned)id) : NULL;
	if (h && !c)
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: no connection %lu (tcp list shows them)", cmd, id);
	return c;
}

static int tcp_status(struct ww_shell *sh, int argc, char **argv)
{
	struct ww_session *s;
	struct ww_tcb *c = named(sh, argc, argv, &s);
	if (!c)
		return WW_EXIT_FAIL;
	tcp_print_status(sh->out, c, ww_session_now(s));
	return WW_EXIT_OK;
}

static int tcp_ladder(struct ww_shell *sh, int argc, char **argv)
{
	struct ww_session *s;
	struct ww_tcb *c = named(sh, argc, argv, &s);
	if (!c)
		return WW_EXIT_FAIL;
	tcp_print_ladder(sh->out, c);
	return WW_EXIT_OK;
}

static int tcp_list(struct ww_shell *sh, int argc, char **argv)
{
	(void)argv;
	if (argc != 2)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp list");
	struct ww_session *s;
	struct ww_tcp_host *h = tcp_host(sh, &s);
	if (!h)
		return WW_EXIT_FAIL;
	tcp_print_list(sh->out, h, sh->tcp_conn, ww_session_now(s));
	return WW_EXIT_OK;
}

static int tcp_use(struct ww_shell *sh, int argc, char **argv)
{
	if (argc != 3)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp use N");
	struct ww_session *s;
	struct ww_tcb *c = named(sh, argc, argv, &s);
	if (!c)
		return WW_EXIT_FAIL;
	sh->tcp_conn = c->id;
	char ends[64];
	fprintf(sh->out, "TCP %u: %s, %s\n", c->id, tcp_endpoints(c, ends, sizeof ends),
		ww_tcp_state_name(c->state));
	return WW_EXIT_OK;
}

static int tcp_stats(struct ww_shell *sh, int argc, char **argv)
{
	bool all = argc == 3 && strcmp(argv[2], "all") == 0;
	if (argc > 3 || (argc == 3 && !all))
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tcp stats [all]");
	struct ww_tcp_host *h = tcp_host(sh, NULL);
	if (!h)
		return WW_EXIT_FAIL;
	tcp_print_stats(sh->out, h, all);
	return WW_EXIT_OK;
}

/* ---- the command ---------------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*run)(struct ww_shell *sh, int argc, char **argv);
} subcommands[] = {
	{ "connect", tcp_connect }, { "send", tcp_send },     { "recv", tcp_recv },
	{ "close", tcp_close },     { "abort", tcp_abort },   { "status", tcp_status },
	{ "ladder", tcp_ladder },   { "list", tcp_list },     { "use", tcp_use },
	{ "listen", tcp_listen },   { "unlisten", tcp_unlisten }, { "stats", tcp_stats },
};

static int cmd_tcp(struct ww_shell *sh, int argc, char **argv)
{
	if (argc < 2)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(sh, argc, argv);
	return ww_shell_error(sh, WW_EXIT_USAGE,
			      "tcp: unknown subcommand '%s' (connect, send, recv, close, abort, "
			      "status, ladder, list, use, listen, unlisten, stats)", argv[1]);
}

/* ---- the table ------------------------------------------------------------------------- */

static const char *const tcp_words[] = {
	"connect", "send", "recv", "close", "abort", "status", "ladder", "list", "use", "listen",
	"unlisten", "stats", NULL,
};
static const char *const host_words[] = { WW_LAB_WEB_IP, WW_LAB_PEER_IP, "example.com", NULL };

const struct ww_command ww_tcp_commands[] = {
	{ .name = "tcp", .args = "connect|send|recv|close|abort|status|ladder|list|use|listen",
	  .summary = "a TCP connection of our own: open it, move data, close it, watch it",
	  .help = "tcp connect HOST PORT [TIMEOUT]  three-way handshake (HOST: an address or a name)\n"
		  "tcp send TEXT|@FILE     queue data (\\r \\n \\t \\xHH in TEXT), wait for its ACK\n"
		  "tcp recv [-o FILE] [-t SECONDS]\n"
		  "                        print what arrives (or write it to FILE as it comes)\n"
		  "                        until the peer's FIN, or SECONDS with nothing new\n"
		  "                        (2; 30 into a FILE)\n"
		  "tcp close               FIN: an orderly close, after the data queued\n"
		  "tcp abort               RST: the connection ends at once\n"
		  "tcp status [N]          state, SND.UNA/NXT/WND, RCV.NXT/WND, cwnd, ssthresh,\n"
		  "                        SRTT, RTO, queues, timers (numbers relative to ISS/IRS)\n"
		  "tcp ladder [N]          the exchange as a sequence diagram\n"
		  "tcp list                every connection; * marks the current one\n"
		  "tcp use N               make connection N the current one\n"
		  "tcp listen PORT [TIMEOUT]  accept connections on PORT; wait for the first\n"
		  "tcp unlisten PORT       stop listening\n"
		  "tcp stats [all]         the TCP's counters\n"
		  "Each state change prints as it happens. Settings (set tcp.*): mss, wscale,\n"
		  "sack, ts (the SYN's options; MSS only by default), nagle, rcvbuf (the\n"
		  "window offered), rst (answer segments for no connection; off by default,\n"
		  "so a handshake can be finished by hand), rto_min, time_wait.",
	  .run = cmd_tcp,
	  .complete = { WW_COMPLETE_WORDS, WW_COMPLETE_WORDS },
	  .words = { tcp_words, host_words } },
	{ 0 },
};
