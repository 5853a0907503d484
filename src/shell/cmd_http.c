/* `http get|head|post`: one HTTP/1.1 request over the connection in use
 * (the TLS one `tls connect` opened, else the TCP one of `tcp connect`),
 * shown as curl -v shows it, the response decoded (chunked, gzip,
 * deflate) and kept alive for the next request when the server allows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "web_state.h"
#include "ww/url.h"
#include "ww/ipv4.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "ww/tcpconn.h"
#include "ww/tls.h"

#define HTTP_IDLE_MS 10000       /* a response that stalls this long is given up */
#define HTTP_SHOW_BYTES (1u << 20) /* body kept to be shown */
#define HTTP_SHOW_LINES_MAX 200
#define HTTP_REQUEST_MAX 16384


/* The connection in use, and the name for the Host header. */
static int current_stream(struct ww_shell *sh, const char *cmd, struct http_stream *st,
			  char *host, size_t hostlen)
{
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return WW_EXIT_FAIL;
	struct ww_tcp_host *h = ww_session_tcp(s);
	struct ww_tcb *c = h && sh->tcp_conn ? ww_tcp_find(h, sh->tcp_conn) : NULL;
	if (!c)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: no connection: open one first with "
				      "`tls connect HOST` or `tcp connect HOST 80` (or use fetch URL)", cmd);
	*st = (struct http_stream){ .s = s, .c = c, .tls = ww_shell_tls(sh) };
	if (st->tls && ww_tls_tcb(st->tls) != c)
		st->tls = NULL;
	if (st->tls) {
		struct ww_tls_info ti;
		ww_tls_info(st->tls, &ti);
		snprintf(host, hostlen, "%s", ti.sni);
	} else if (sh->tcp_host[0]) {
		snprintf(host, hostlen, "%s", sh->tcp_host);
	} else {
		ww_ipv4_str(c->rip, host);
	}
	if (!http_stream_usable(st))
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: connection %u cannot carry a request: it is %s%s",
				      cmd, c->id, ww_tcp_state_name(c->state),
				      ww_tcp_fin_received(c) ? " and the server has closed its side" : "");
	/* Port 80 on TCP, 443 on TLS: the Host header names another only when
	 * it is not the scheme's default (RFC 9110 §7.2). */
	uint16_t dflt = st->tls ? 443 : 80;
	if (c->rport != dflt) {
		size_t n = strlen(host);
		snprintf(host + n, hostlen - n, ":%u", c->rport);
	}
	return WW_EXIT_OK;
}

static int open_output(struct ww_shell *sh, const char *cmd, const char *path, struct http_body *b)
{
	b->file = fopen(path, "wb");
	if (!b->file)
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s: cannot write %s: %s", cmd, path,
				      strerror(errno));
	return WW_EXIT_OK;
}

static int cmd_http(struct ww_shell *sh, int argc, char **argv)
{
	const char *cmd_names[] = { "get", "head", "post" };
	const char *what = argc > 1 ? argv[1] : "";
	int kind = -1;
	for (int i = 0; i < 3; i++)
		if (strcmp(what, cmd_names[i]) == 0)
			kind = i;
	if (kind < 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: http get PATH [-o FILE] | http head PATH"
				      " | http post PATH BODY [TYPE]%s%s%s", *what ? " ('" : "", what,
				      *what ? "' is not get, head or post)" : "");
	char cmd[16];
	snprintf(cmd, sizeof cmd, "http %s", what);
	const char *path = argc > 2 ? argv[2] : NULL, *out_path = NULL, *body = NULL;
	const char *type = "application/json";
	if (kind == 0 && argc == 5 && strcmp(argv[3], "-o") == 0)
		out_path = argv[4];
	else if (kind == 2 && (argc == 4 || argc == 5)) {
		body = argv[3];
		if (argc == 5)
			type = argv[4];
	} else if (argc != 3) {
		return ww_shell_usage(sh, ww_command_find("http"));
	}
	if (path[0] != '/' && strcmp(path, "*") != 0)
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s: the path '%s' must start with '/' "
				      "(the request-target of RFC 9112 §3.2.1: /index.html?q=1)", cmd, path);

	struct http_stream st;
	char host[280];
	int rc = current_stream(sh, cmd, &st, host, sizeof host);
	if (rc != WW_EXIT_OK)
		return rc;
	struct ww_http_req rq = {
		.method = kind == 0 ? "GET" : kind == 1 ? "HEAD" : "POST",
		.path = path, .host = host,
		.content_type = body ? type : NULL,
		.body = (const uint8_t *)body, .body_len = body ? strlen(body) : 0,
	};
	char req[HTTP_REQUEST_MAX];
	size_t len = ww_http_request(&rq, req, sizeof req);
	if (!len)
		return ww_shell_error(sh, WW_EXIT_USAGE, "%s: the request does not fit in %u bytes, or a "
				      "field holds CR or LF", cmd, HTTP_REQUEST_MAX);

	struct http_body b = { .limit = HTTP_SHOW_BYTES };
	if (out_path && (rc = open_output(sh, cmd, out_path, &b)) != WW_EXIT_OK)
		return rc;
	struct ww_http_resp *resp = http_shared_resp();
	ww_http_resp_init(resp);
	resp->head = kind == 1;
	resp->body_fn = http_body_fn;
	resp->body_ctx = &b;
	struct http_times t;
	char err[256];
	int r = http_exchange(sh, &st, req, len, resp, HTTP_IDLE_MS, HTTP_SHOW_HEADERS, &t, err,
			      sizeof err);
	if (b.file && fclose(b.file) != 0)
		b.file_error = true;
	if (r < 0) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: %s", cmd, err);
	} else if (b.file_error) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: writing %s failed", cmd, out_path);
	} else {
		char url[WW_URL_MAX];
		snprintf(url, sizeof url, "%s://%s%s", st.tls ? "https" : "http", host, path);
		ww_web_note_http(url, resp->status);
		if (out_path)
			fprintf(sh->out, "%llu bytes written to %s\n", (unsigned long long)b.total, out_path);
		else
			http_print_body(sh->out, resp, &b, HTTP_SHOW_LINES_MAX);
		fprintf(sh->out, "HTTP %d in %.3f ms: %llu body bytes on the wire, %llu decoded%s\n",
			resp->status, (double)(t.done - t.start) / 1e6,
			(unsigned long long)resp->body_wire, (unsigned long long)resp->body_len,
			resp->keep_alive ? "; the connection stays open for the next request"
					: "; the server closes the connection");
	}
	ww_http_resp_free(resp);
	http_body_free(&b);
	return rc;
}

static const char *const http_verbs[] = { "get", "head", "post", NULL };

const struct ww_command ww_http_commands[] = {
	{ .name = "http", .args = "get PATH [-o FILE] | head PATH | post PATH BODY [TYPE]",
	  .summary = "send one HTTP/1.1 request over the current TCP or TLS connection",
	  .help = "http get PATH           GET, the response's headers and its body (decoded)\n"
		  "http get PATH -o FILE   ... the body written to FILE instead\n"
		  "http head PATH          HEAD: the headers GET would get, no body\n"
		  "http post PATH BODY [TYPE]  POST BODY as TYPE (application/json unless given)\n"
		  "The request goes over the connection in use: the TLS connection `tls connect`\n"
		  "opened, or else the TCP connection of `tcp connect HOST 80`. It carries Host,\n"
		  "User-Agent, Accept, Accept-Encoding: gzip, deflate and Connection: keep-alive,\n"
		  "so the next request can reuse the connection (RFC 9112 §9.3). Lines with '>'\n"
		  "went out, lines with '<' came back; the body is shown decoded: chunks joined,\n"
		  "gzip and deflate undone, its charset named.\n"
		  "Example: tls connect www.example.com; http get /; http post /api/items '{\"name\":\"foo\"}'",
	  .run = cmd_http, .complete = { WW_COMPLETE_WORDS }, .words = { http_verbs } },
	{ 0 },
};
