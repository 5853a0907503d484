/* What HTTP and TLS leave behind for `Check: state ...` in lessons and
 * exercises: the status of every response and the TLS version of every
 * connection, kept after the connection is gone (a fetch closes its own),
 * so a check after the fact still sees them. The shell is one per
 * process; so are these notes. */
#include <stdio.h>
#include <string.h>

#include "web_state.h"
#include "ww/ipv4.h"
#include "ww/lesson.h"

#define NOTES 64

static struct http_note { char url[WW_LESSON_STATE_KEY_MAX]; int status; } http_notes[NOTES];
static struct tls_note { char peer[24]; char version[16]; } tls_notes[NOTES];
static size_t n_http, n_tls; /* ever noted: the last NOTES are kept */

void ww_web_note_http(const char *url, int status)
{
	struct http_note *n = &http_notes[n_http++ % NOTES];
	snprintf(n->url, sizeof n->url, "%s", url);
	n->status = status;
}

void ww_web_note_tls(uint32_t ip, uint16_t port, const char *version)
{
	char a[16];
	struct tls_note *n = &tls_notes[n_tls++ % NOTES];
	snprintf(n->peer, sizeof n->peer, "%s:%u", ww_ipv4_str(ip, a), port);
	snprintf(n->version, sizeof n->version, "%s", version);
}

void ww_web_notes_clear(void)
{
	n_http = n_tls = 0;
}

static size_t first(size_t n)
{
	return n > NOTES ? n - NOTES : 0;
}

static int http_status(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		       char *err, size_t errlen)
{
	(void)ev, (void)err, (void)errlen;
	for (size_t i = first(n_http); i < n_http; i++)
		ww_lesson_state_add(out, http_notes[i % NOTES].url, "%d", http_notes[i % NOTES].status);
	return 0;
}

static int tls_version(const struct ww_lesson_evidence *ev, struct ww_lesson_state_values *out,
		       char *err, size_t errlen)
{
	(void)ev, (void)err, (void)errlen;
	for (size_t i = first(n_tls); i < n_tls; i++)
		ww_lesson_state_add(out, tls_notes[i % NOTES].peer, "%s", tls_notes[i % NOTES].version);
	return 0;
}

int ww_web_state_register(void)
{
	if (ww_lesson_state_register("http.status", "key the URL fetched, value the status of its "
				     "response (200, 301, ...)", http_status) < 0)
		return -1;
	return ww_lesson_state_register("tls.version", "key PEER-IP:PORT, value the version agreed "
					"(\"TLS 1.3\")", tls_version);
}
