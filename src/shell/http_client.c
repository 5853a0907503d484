/* HTTP exchanges on a live connection (see http_client.h). The request
 * is handed to TCP or TLS as fast as they take it; the response is fed to
 * the parser as the bytes arrive, so a chunked or gzip body is decoded
 * while it is still coming in. */
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "ww/tcpconn.h"
#include "ww/tls.h"

#define CLOSE_WAIT_NS (1000 * 1000000ull) /* how long a close waits for the peer's FIN */

/* ---- the stream ------------------------------------------------------------ */

static long stream_write(struct http_stream *st, const uint8_t *p, size_t n, uint64_t now)
{
	return st->tls ? ww_tls_write(st->tls, p, n, now) : ww_tcp_send(st->c, p, n, now);
}

static size_t stream_read(struct http_stream *st, uint8_t *buf, size_t cap, uint64_t now)
{
	return st->tls ? ww_tls_read(st->tls, buf, cap, now) : ww_tcp_recv(st->c, buf, cap, now);
}

static size_t stream_readable(const struct http_stream *st)
{
	return st->tls ? ww_tls_readable(st->tls) : ww_tcp_readable(st->c);
}

/* No more bytes will come. */
static bool stream_ended(const struct http_stream *st)
{
	if (stream_readable(st))
		return false;
	if (st->tls) {
		enum ww_tls_state ts = ww_tls_state(st->tls);
		if (ts == WW_TLSS_FAILED || ts == WW_TLSS_CLOSED || ww_tls_eof(st->tls))
			return true;
	}
	return ww_tcp_fin_received(st->c) || st->c->state == WW_TCPS_CLOSED;
}

bool http_stream_usable(const struct http_stream *st)
{
	if (!st->c || st->c->state != WW_TCPS_ESTABLISHED || ww_tcp_fin_received(st->c))
		return false;
	return !st->tls || ww_tls_state(st->tls) == WW_TLSS_OPEN;
}

/* Why the stream ended, for a person. */
static void stream_why(const struct http_stream *st, char *err, size_t errlen)
{
	if (st->tls && ww_tls_state(st->tls) == WW_TLSS_FAILED)
		snprintf(err, errlen, "TLS: %s", ww_tls_error(st->tls));
	else if (st->c->error != WW_TCPE_NONE)
		snprintf(err, errlen, "the connection ended: %s", ww_tcp_error_str(st->c->error));
	else
		snprintf(err, errlen, "the server closed the connection");
}

static bool readable_or_ended(void *arg)
{
	const struct http_stream *st = arg;
	return stream_readable(st) > 0 || stream_ended(st);
}

static bool room_or_ended(void *arg)
{
	struct http_stream *st = arg;
	if (st->c->state == WW_TCPS_CLOSED || (st->tls && ww_tls_state(st->tls) == WW_TLSS_FAILED))
		return true;
	return ww_tcp_send_space(st->c) > 0;
}

static bool peer_closed(void *arg)
{
	const struct ww_tcb *c = arg;
	return c->state == WW_TCPS_CLOSED || c->state == WW_TCPS_TIME_WAIT;
}

void http_stream_close(struct ww_shell *sh, struct http_stream *st)
{
	(void)sh;
	if (!st->c)
		return;
	uint64_t now = ww_session_now(st->s);
	if (st->c->state != WW_TCPS_CLOSED) {
		if (st->tls)
			ww_tls_close(st->tls, now);
		else
			ww_tcp_close(st->c, now);
		ww_session_until(st->s, peer_closed, st->c, now + CLOSE_WAIT_NS);
	}
}

struct ww_http_resp *http_shared_resp(void)
{
	static struct ww_http_resp resp;
	return &resp;
}

/* ---- bodies -------------------------------------------------------------- */

int http_body_fn(void *ctx, const uint8_t *data, size_t len)
{
	struct http_body *b = ctx;
	b->total += len;
	if (b->file) {
		if (fwrite(data, 1, len, b->file) != len) {
			b->file_error = true;
			return -1;
		}
		return 0;
	}
	size_t room = b->limit > b->len ? b->limit - b->len : 0;
	size_t take = len < room ? len : room;
	if (take && b->len + take > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + take)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	if (take)
		memcpy(b->p + b->len, data, take);
	b->len += take;
	return 0;
}

void http_body_free(struct http_body *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- printing ------------------------------------------------------------ */

/* Each line of the request's head with "> ", as curl -v shows it. */
static void print_request(FILE *out, const char *req, size_t len, enum http_show show)
{
	const char *p = req, *end = req + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0)
			break; /* the blank line: the body follows */
		fprintf(out, "> %.*s\n", (int)n, p);
		if (show == HTTP_SHOW_LINES)
			return;
		p = eol ? eol + 1 : end;
	}
}

static void print_response_head(FILE *out, const struct ww_http_resp *r, enum http_show show)
{
	fprintf(out, "< HTTP/1.%d %d %s\n", r->version_minor, r->status, r->reason ? r->reason : "");
	if (show != HTTP_SHOW_HEADERS)
		return;
	for (size_t i = 0; i < r->nhdr; i++)
		if (!r->hdr[i].trailer)
			fprintf(out, "< %s: %s\n", ww_http_hdr_name(r, i), ww_http_hdr_value(r, i));
}

static bool textual(const char *type)
{
	if (!type)
		return false;
	return strncmp(type, "text/", 5) == 0 || strstr(type, "json") || strstr(type, "javascript") ||
	       strstr(type, "xml");
}

void http_print_body(FILE *out, const struct ww_http_resp *resp, const struct http_body *b,
		     unsigned max_lines)
{
	const char *type = ww_http_header(resp, "Content-Type");
	if (b->total == 0)
		return;
	if (!textual(type)) {
		fprintf(out, "(%llu bytes of %s: not text, not shown; -o FILE keeps them)\n",
			(unsigned long long)b->total, type ? type : "data of no stated type");
		return;
	}
	if (resp->charset[0] && strcmp(resp->charset, "utf-8") && strcmp(resp->charset, "us-ascii"))
		fprintf(out, "(the text is in %s, shown as its bytes are)\n", resp->charset);
	unsigned lines = 0;
	size_t i = 0;
	while (i < b->len && lines < max_lines) {
		const uint8_t *eol = memchr(b->p + i, '\n', b->len - i);
		size_t n = eol ? (size_t)(eol - (b->p + i)) + 1 : b->len - i;
		fwrite(b->p + i, 1, n, out);
		i += n;
		lines++;
	}
	if (i && b->p[i - 1] != '\n')
		fputc('\n', out);
	if (i < b->total)
		fprintf(out, "(... %llu more bytes not shown)\n", (unsigned long long)(b->total - i));
}

/* ---- the exchange ---------------------------------------------------------- */

/* Hand the whole request to TCP or TLS, waiting for room in the send
 * buffer as it drains. */
static int send_all(struct http_stream *st, const char *req, size_t len, unsigned idle_ms,
		    char *err, size_t errlen)
{
	size_t off = 0;
	while (off < len) {
		uint64_t now = ww_session_now(st->s);
		long n = stream_write(st, (const uint8_t *)req + off, len - off, now);
		if (n < 0) {
			stream_why(st, err, errlen);
			return -1;
		}
		off += (size_t)n;
		if (off == len)
			break;
		int r = ww_session_until(st->s, room_or_ended, st, now + (uint64_t)idle_ms * 1000000u);
		if (r <= 0) {
			snprintf(err, errlen, r < 0 ? "interrupted" : "the request could not be sent in time");
			return -1;
		}
	}
	return 0;
}

int http_exchange(struct ww_shell *sh, struct http_stream *st, const char *req, size_t len,
		  struct ww_http_resp *resp, unsigned idle_ms, enum http_show show,
		  struct http_times *t, char *err, size_t errlen)
{
	FILE *out = sh->out;
	memset(t, 0, sizeof *t);
	t->start = ww_session_now(st->s);
	if (show != HTTP_SHOW_NONE)
		print_request(out, req, len, show);
	if (send_all(st, req, len, idle_ms, err, errlen) < 0)
		return -1;
	t->sent = ww_session_now(st->s);

	uint8_t buf[16384];
	bool head_shown = false;
	struct ww_http_error perr;
	while (!ww_http_resp_done(resp)) {
		uint64_t now = ww_session_now(st->s);
		size_t n = stream_read(st, buf, sizeof buf, now);
		if (n) {
			if (!t->first_byte)
				t->first_byte = now;
			size_t off = 0;
			while (off < n && !ww_http_resp_done(resp)) {
				long used = ww_http_resp_feed(resp, buf + off, n - off, &perr);
				if (used < 0) {
					snprintf(err, errlen, "the response is malformed: %s", perr.msg);
					return -1;
				}
				off += (size_t)used;
			}
		} else if (stream_ended(st)) {
			if (ww_http_resp_eof(resp, &perr) < 0) {
				char why[160];
				stream_why(st, why, sizeof why);
				snprintf(err, errlen, "%s: %s", why, perr.msg);
				return -1;
			}
		} else {
			int r = ww_session_until(st->s, readable_or_ended, st,
						 now + (uint64_t)idle_ms * 1000000u);
			if (r < 0) {
				snprintf(err, errlen, "interrupted");
				return -1;
			}
			if (r == 0) {
				snprintf(err, errlen, "no answer for %.1f s", idle_ms / 1000.0);
				return -1;
			}
		}
		if (!head_shown && ww_http_resp_have_headers(resp) && show != HTTP_SHOW_NONE) {
			print_response_head(out, resp, show);
			head_shown = true;
		}
	}
	t->done = ww_session_now(st->s);
	if (!head_shown && show != HTTP_SHOW_NONE)
		print_response_head(out, resp, show);
	return 0;
}
