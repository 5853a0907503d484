/* TLS's commands: open a TLS connection over our own TCP (tls connect),
 * move data through it (tls send, tls recv), end it (tls close), look at
 * it (tls status), and `set tls.version`. Every record and handshake
 * message prints as an event between the frames that carry it; a
 * command that waits pumps the session's loop, as the TCP's do. */
#include <stdlib.h>
#include <string.h>

#include "cmd_tcp_int.h"
#include "web_state.h"
#include "ww/lab.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "ww/tls.h"

#define TLS_PORT 443
#define TLS_ALPN "http/1.1"
#define TLS_HANDSHAKE_MS 15000 /* after the TCP handshake, for the TLS one */
#define TLS_SEND_STALL_MS 15000
#define TLS_RECV_IDLE_MS 2000
#define TLS_CLOSE_WAIT_MS 3000

#define MS(x) ((uint64_t)(x) * 1000000ull)

/* ---- the context and the connection ------------------------------------------- */

struct ww_tls_ctx *ww_shell_tls_ctx(struct ww_shell *sh, const char *cmd)
{
	if (sh->tls_ctx)
		return sh->tls_ctx;
	char ca[256], err[512];
	const char *lab = ww_live_lab(sh);
	struct ww_tls_ctx_opts o = { .version = sh->tls_version, .keylog_path = sh->tls_keylog };
	if (lab && ww_lab_ca_path(ca, sizeof ca, lab) == 0)
		o.ca_file = ca;
	sh->tls_ctx = ww_tls_ctx_new(&o, err, sizeof err);
	if (!sh->tls_ctx)
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s%s", cmd, err,
			       lab ? " (is the lab up? wirewalk lab up)" : "");
	return sh->tls_ctx;
}

struct ww_tls *ww_shell_tls(struct ww_shell *sh)
{
	if (!sh->tls)
		return NULL;
	struct ww_tcb *c = ww_tls_tcb(sh->tls);
	return c && c->id == sh->tcp_conn ? sh->tls : NULL;
}

void ww_shell_tls_free(struct ww_shell *sh)
{
	ww_tls_free(sh->tls);
	sh->tls = NULL;
	ww_tls_ctx_free(sh->tls_ctx);
	sh->tls_ctx = NULL;
}

/* The connection a command acts on, with its session and TCP. */
static struct ww_tls *current(struct ww_shell *sh, const char *cmd, struct ww_session **sp,
			      struct ww_tcb **cp)
{
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return NULL;
	struct ww_tls *t = ww_shell_tls(sh);
	if (!t) {
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: no TLS connection%s (tls connect HOST [PORT])",
			       cmd, sh->tls ? " on the current TCP connection" : "");
		return NULL;
	}
	*sp = s;
	*cp = ww_tls_tcb(t);
	return t;
}

/* ---- tls connect ----------------------------------------------------------------- */

static bool handshake_over(void *arg)
{
	return ww_tls_state(arg) != WW_TLSS_HANDSHAKE;
}

static void print_cert(FILE *out, const struct ww_tls_cert *c, const char *indent)
{
	fprintf(out, "%ssubject %s\n", indent, c->subject);
	fprintf(out, "%sissuer  %s\n", indent, c->issuer);
	fprintf(out, "%svalid   %s .. %s\n", indent, c->not_before, c->not_after);
	if (c->sans[0])
		fprintf(out, "%snames   %s\n", indent, c->sans);
	fprintf(out, "%skey     %s\n", indent, c->key);
}

static void print_summary(struct ww_shell *sh, const struct ww_tls_info *in, unsigned id)
{
	FILE *out = sh->out;
	fprintf(out, "%s on TCP %u in %.3f ms: %s", in->version, id, (double)in->handshake_ns / 1e6,
		in->cipher);
	if (in->group[0])
		fprintf(out, ", key exchange %s", in->group);
	fprintf(out, ", ALPN %s, SNI %s\n", in->alpn[0] ? in->alpn : "(none agreed)", in->sni);
	if (in->ncerts) {
		fprintf(out, "certificate%s:\n", in->resumed ? " (sent on the earlier connection)" : "");
		print_cert(out, &in->cert[0], "  ");
	}
	if (in->verified)
		fprintf(out, "verified%s: the chain leads to a CA we trust (%s), and %s is one of the "
			"certificate's names\n", in->resumed ? " then" : "",
			ww_live_lab(sh) ? "the lab's CA" : "the system's store", in->sni);
	if (in->resumed)
		fputs("resumed: the server took the session kept from an earlier connection, so no\n"
		      "certificate was sent and the keys come from the secret agreed then. That\n"
		      "is all the OSI model's \"session layer\" amounts to in TCP/IP practice: TLS\n"
		      "remembering a secret across TCP connections (a ticket, or a session id),\n"
		      "not a layer of its own on the wire.\n", out);
}

static int tls_connect(struct ww_shell *sh, int argc, char **argv)
{
	const char *cmd = "tls connect";
	if (argc < 3 || argc > 4)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tls connect HOST [PORT]");
	unsigned long port = TLS_PORT;
	if (argc == 4 && tcp_parse_uint(sh, cmd, "PORT", argv[3], 1, 65535, &port) < 0)
		return WW_EXIT_USAGE;
	const char *host = argv[2];
	if (strlen(host) >= 254)
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s: the name is too long for a host", cmd);
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return WW_EXIT_FAIL;
	struct ww_tls_ctx *x = ww_shell_tls_ctx(sh, cmd);
	if (!x)
		return WW_EXIT_FAIL;
	uint32_t dst;
	int rc = ww_shell_resolve(sh, cmd, host, &dst);
	if (rc != WW_EXIT_OK)
		return rc;
	/* One connection of its own at a time: the old one says goodbye. */
	if (sh->tls) {
		ww_tls_close(sh->tls, ww_session_now(s));
		ww_tls_free(sh->tls);
		sh->tls = NULL;
	}
	struct ww_tcb *c;
	rc = ww_shell_tcp_open(sh, cmd, dst, (uint16_t)port, 0, &c);
	if (rc != WW_EXIT_OK)
		return rc;
	snprintf(sh->tcp_host, sizeof sh->tcp_host, "%s", host);
	uint64_t t0 = ww_session_now(s);
	struct ww_tls *t = ww_tls_new(x, c, host, TLS_ALPN, ww_session_event, s, t0);
	if (!t)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", cmd);
	sh->tls = t;
	int r = ww_session_until(s, handshake_over, t, t0 + MS(TLS_HANDSHAKE_MS));
	if (r <= 0) {
		ww_tcp_abort(c, ww_session_now(s));
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s", cmd,
				      r < 0 ? "interrupted" : "no answer to the ClientHello in time");
	}
	if (ww_tls_state(t) != WW_TLSS_OPEN)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s", cmd, ww_tls_error(t));
	struct ww_tls_info in;
	ww_tls_info(t, &in);
	ww_web_note_tls(c->rip, c->rport, in.version);
	print_summary(sh, &in, c->id);
	return WW_EXIT_OK;
}

/* ---- tls send ---------------------------------------------------------------------- */

struct send_wait {
	struct ww_tls *t;
	struct ww_tcb *c;
};

static bool can_write(void *arg)
{
	struct send_wait *w = arg;
	return ww_tls_state(w->t) != WW_TLSS_OPEN || w->c->state == WW_TCPS_CLOSED ||
	       (ww_tls_unsent(w->t) == 0 && ww_tcp_send_space(w->c) > 0);
}

static bool all_acked(void *arg)
{
	struct send_wait *w = arg;
	return (ww_tls_unsent(w->t) == 0 && ww_tcp_unacked(w->c) == 0) ||
	       w->c->state == WW_TCPS_CLOSED;
}

static int write_all(struct ww_shell *sh, struct ww_session *s, struct send_wait *w,
		     const uint8_t *p, size_t len)
{
	while (len) {
		long n = ww_tls_write(w->t, p, len, ww_session_now(s));
		if (n < 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "tls send: the TLS connection is %s%s%s",
					      ww_tls_state_name(ww_tls_state(w->t)),
					      *ww_tls_error(w->t) ? ": " : "", ww_tls_error(w->t));
		p += n;
		len -= (size_t)n;
		if (len && ww_session_until(s, can_write, w, ww_session_now(s) + MS(TLS_SEND_STALL_MS)) <= 0)
			return ww_shell_error(sh, WW_EXIT_FAIL, "tls send: the TCP's send buffer stays full");
	}
	int r = ww_session_until(s, all_acked, w, ww_session_now(s) + MS(TLS_SEND_STALL_MS));
	if (r < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tls send: interrupted (the records stay queued)");
	if (w->c->state == WW_TCPS_CLOSED && w->c->error != WW_TCPE_NONE)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tls send: %s", ww_tcp_error_str(w->c->error));
	if (r == 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tls send: not acknowledged in %u s",
				      TLS_SEND_STALL_MS / 1000);
	return WW_EXIT_OK;
}

static int tls_send(struct ww_shell *sh, int argc, char **argv)
{
	if (argc < 3)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tls send TEXT");
	struct ww_session *s;
	struct send_wait w;
	if (!(w.t = current(sh, "tls send", &s, &w.c)))
		return WW_EXIT_FAIL;
	/* Several words are one text, joined by a blank. */
	size_t len = 0;
	for (int i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *text = malloc(len + 1);
	uint8_t *bytes = malloc(len + 1);
	if (!text || !bytes) {
		free(text);
		free(bytes);
		return ww_shell_error(sh, WW_EXIT_FAIL, "tls send: out of memory");
	}
	size_t at = 0;
	for (int i = 2; i < argc; i++)
		at += (size_t)sprintf(text + at, "%s%s", i > 2 ? " " : "", argv[i]);
	const char *bad = NULL;
	long n = tcp_unescape(text, bytes, &bad);
	struct ww_tls_info before, after;
	ww_tls_info(w.t, &before);
	uint32_t seq0 = w.c->snd_max;
	int rc = n < 0 ? ww_shell_error(sh, WW_EXIT_USAGE,
					"tls send: '%.4s' is no escape (\\r \\n \\t \\0 \\\\ \\xHH)", bad)
		       : write_all(sh, s, &w, bytes, (size_t)n);
	free(text);
	free(bytes);
	if (rc != WW_EXIT_OK)
		return rc;
	ww_tls_info(w.t, &after);
	unsigned recs = after.records_out - before.records_out;
	fprintf(sh->out, "TLS on TCP %u: %ld bytes of plaintext sent in %u record%s (%u bytes on "
		"TCP), all acknowledged\n", w.c->id, n, recs, recs == 1 ? "" : "s",
		(unsigned)(w.c->snd_max - seq0));
	return WW_EXIT_OK;
}

/* ---- tls recv ------------------------------------------------------------------------ */

struct recv_wait {
	struct ww_session *s;
	struct ww_tls *t;
	uint64_t last_ns, idle_ns;
};

static bool readable_or_over(void *arg)
{
	struct recv_wait *r = arg;
	return ww_tls_readable(r->t) > 0 || ww_tls_eof(r->t) ||
	       ww_session_now(r->s) - r->last_ns >= r->idle_ns;
}

static int tls_recv(struct ww_shell *sh, int argc, char **argv)
{
	uint64_t idle = MS(TLS_RECV_IDLE_MS);
	if (argc == 4 && strcmp(argv[2], "-t") == 0) {
		if (tcp_parse_secs(sh, "tls recv", argv[3], &idle) < 0)
			return WW_EXIT_USAGE;
	} else if (argc != 2) {
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tls recv [-t SECONDS]");
	}
	struct ww_session *s;
	struct ww_tcb *c;
	struct ww_tls *t = current(sh, "tls recv", &s, &c);
	if (!t)
		return WW_EXIT_FAIL;
	struct recv_wait w = { s, t, ww_session_now(s), idle };
	uint64_t total = 0;
	bool nl = true;
	int pr;
	for (;;) {
		uint8_t buf[4096];
		size_t n;
		while ((n = ww_tls_read(t, buf, sizeof buf, ww_session_now(s))) > 0) {
			tcp_print_text(sh->out, buf, n);
			total += n;
			nl = buf[n - 1] == '\n';
			w.last_ns = ww_session_now(s);
		}
		fflush(sh->out);
		if (ww_tls_eof(t))
			break;
		pr = ww_session_until(s, readable_or_over, &w, UINT64_MAX);
		if (pr < 0 || (!ww_tls_readable(t) && !ww_tls_eof(t)))
			break;
	}
	if (!nl)
		fputc('\n', sh->out);
	const char *why = ww_tls_close_notify_received(t) ? "the server sent close_notify"
			  : ww_tls_state(t) == WW_TLSS_FAILED ? ww_tls_error(t)
			  : ww_tls_eof(t) ? "the TCP closed without close_notify"
			  : "nothing more came";
	fprintf(sh->out, "TLS on TCP %u: %llu bytes of plaintext received; %s\n", c ? c->id : 0,
		(unsigned long long)total, why);
	if (ww_tls_state(t) == WW_TLSS_FAILED)
		return WW_EXIT_FAIL;
	return total || ww_tls_eof(t) ? WW_EXIT_OK : WW_EXIT_FAIL;
}

/* ---- tls close ------------------------------------------------------------------------- */

static bool closed_both(void *arg)
{
	struct send_wait *w = arg;
	enum ww_tcp_state st = w->c->state;
	bool fin_acked = st == WW_TCPS_FIN_WAIT_2 || st == WW_TCPS_TIME_WAIT || st == WW_TCPS_CLOSED;
	return fin_acked && (ww_tls_eof(w->t) || st == WW_TCPS_TIME_WAIT || st == WW_TCPS_CLOSED);
}

static int tls_close(struct ww_shell *sh, int argc, char **argv)
{
	(void)argv;
	if (argc != 2)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tls close");
	struct ww_session *s;
	struct send_wait w;
	if (!(w.t = current(sh, "tls close", &s, &w.c)))
		return WW_EXIT_FAIL;
	if (ww_tls_close(w.t, ww_session_now(s)) < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tls close: the TLS connection is %s already",
				      ww_tls_state_name(ww_tls_state(w.t)));
	int r = ww_session_until(s, closed_both, &w, ww_session_now(s) + MS(TLS_CLOSE_WAIT_MS));
	if (r < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "tls close: interrupted");
	fprintf(sh->out, "TLS on TCP %u: close_notify sent, then the TCP's FIN; %s; TCP %s\n",
		w.c->id, ww_tls_close_notify_received(w.t) ? "the server's close_notify came"
		: "no close_notify from the server", ww_tcp_state_name(w.c->state));
	return WW_EXIT_OK;
}

/* ---- tls status --------------------------------------------------------------------------- */

static int tls_status(struct ww_shell *sh, int argc, char **argv)
{
	(void)argv;
	if (argc != 2)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: tls status");
	struct ww_session *s;
	struct ww_tcb *c;
	struct ww_tls *t = current(sh, "tls status", &s, &c);
	if (!t)
		return WW_EXIT_FAIL;
	struct ww_tls_info in;
	ww_tls_info(t, &in);
	FILE *out = sh->out;
	fprintf(out, "TLS on TCP %u: %s%s%s\n", c ? c->id : 0, ww_tls_state_name(ww_tls_state(t)),
		*ww_tls_error(t) ? ": " : "", ww_tls_error(t));
	if (!in.version[0]) {
		fprintf(out, "  SNI %s; %u records sent, %u received\n", in.sni, in.records_out,
			in.records_in);
		return WW_EXIT_OK;
	}
	fprintf(out, "  version    %s\n  cipher     %s\n", in.version, in.cipher);
	if (in.group[0])
		fprintf(out, "  key exch.  %s\n", in.group);
	fprintf(out, "  ALPN       %s\n  SNI        %s\n", in.alpn[0] ? in.alpn : "(none agreed)",
		in.sni);
	fprintf(out, "  handshake  %.3f ms, %s\n", (double)in.handshake_ns / 1e6,
		in.resumed ? "resumed (abbreviated: no certificate)" : "full");
	if (in.ticket)
		fprintf(out, "  session    id %s; resumable: kept for the next connection to %s\n",
			in.session_id[0] ? in.session_id : "(none)", in.sni);
	else
		fprintf(out, "  session    none to resume yet%s\n", !strcmp(in.version, "TLS 1.3")
			? " (a TLS 1.3 server sends its tickets after the handshake)" : "");
	fprintf(out, "  verified   %s\n", in.verified ? "yes: a trusted CA, the right name, in date"
		: "no");
	fprintf(out, "  records    %u sent, %u received; %llu bytes of plaintext sent, %zu waiting to "
		"be read%s\n", in.records_out, in.records_in,
		(unsigned long long)ww_tls_bytes_written(t), ww_tls_readable(t),
		ww_tls_close_notify_received(t) ? "; the server sent close_notify" : "");
	for (unsigned i = 0; i < in.ncerts; i++) {
		fprintf(out, "  certificate [%u]%s\n", i, i == 0 ? " (the server's)" : "");
		print_cert(out, &in.cert[i], "    ");
	}
	return WW_EXIT_OK;
}

/* ---- set tls.version ------------------------------------------------------------------------- */

const char *const ww_tls_version_words[] = { "1.2", "1.3", "auto", NULL };

int ww_set_tls_version(struct ww_shell *sh, const char *value)
{
	int v = strcmp(value, "1.2") == 0 ? 12 : strcmp(value, "1.3") == 0 ? 13
		: strcmp(value, "auto") == 0 ? 0 : -1;
	if (v < 0)
		return -1;
	sh->tls_version = v;
	if (sh->tls_ctx)
		ww_tls_ctx_set_version(sh->tls_ctx, v);
	return 0;
}

void ww_print_tls_version(struct ww_shell *sh, FILE *out)
{
	fputs(sh->tls_version == 12 ? "1.2" : sh->tls_version == 13 ? "1.3" : "auto", out);
}

/* ---- the command ------------------------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*run)(struct ww_shell *sh, int argc, char **argv);
} subcommands[] = {
	{ "connect", tls_connect }, { "send", tls_send },     { "recv", tls_recv },
	{ "close", tls_close },     { "status", tls_status },
};

static int cmd_tls(struct ww_shell *sh, int argc, char **argv)
{
	if (argc < 2)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(sh, argc, argv);
	return ww_shell_error(sh, WW_EXIT_USAGE,
			      "tls: unknown subcommand '%s' (connect, send, recv, close, status)",
			      argv[1]);
}

static const char *const tls_words[] = { "connect", "send", "recv", "close", "status", NULL };
static const char *const host_words[] = {
	WW_LAB_HOST_WWW, WW_LAB_HOST, WW_LAB_HOST_EXPIRED, WW_LAB_HOST_UNTRUSTED, WW_LAB_HOST_WRONG,
	NULL,
};

const struct ww_command ww_tls_commands[] = {
	{ .name = "tls", .args = "connect|send|recv|close|status",
	  .summary = "a TLS connection over our own TCP: handshake, data, close",
	  .help = "tls connect HOST [PORT]  TCP handshake, then TLS (port 443): SNI and the name\n"
		  "                         checked are HOST, ALPN offers http/1.1, the\n"
		  "                         certificate must lead to the lab's CA\n"
		  "tls send TEXT            encrypt TEXT (\\r \\n \\t \\xHH) into records, wait for\n"
		  "                         their ACK\n"
		  "tls recv [-t SECONDS]    print what is decrypted until close_notify, the FIN, or\n"
		  "                         SECONDS (2) with nothing new\n"
		  "tls close                close_notify, then the TCP's FIN\n"
		  "tls status               version, cipher, ALPN, session, the certificate chain\n"
		  "Every record (type, version, length) and every handshake message (ClientHello\n"
		  "with its cipher suites and extensions, ServerHello, Certificate, Finished...)\n"
		  "prints as it goes out or comes in, between the frames that carry it. A second\n"
		  "connection to the same host resumes the session the first one kept.\n"
		  "set tls.version 1.2|1.3|auto chooses the versions offered; --keylog FILE\n"
		  "writes the secrets, so Wireshark decrypts a --pcap capture:\n"
		  "  tshark -r CAP -o tls.keylog_file:FILE -Y http\n"
		  "The lab serves wrong certificates on purpose: " WW_LAB_HOST_EXPIRED ",\n"
		  WW_LAB_HOST_UNTRUSTED " (an unknown CA), " WW_LAB_HOST_WRONG " (another name).",
	  .run = cmd_tls,
	  .complete = { WW_COMPLETE_WORDS, WW_COMPLETE_WORDS },
	  .words = { tls_words, host_words } },
	{ 0 },
};
