/* `fetch URL`: what a browser and an operating system do between a typed
 * URL and a shown page, one step at a time, every frame built here:
 *
 *   input → URL or search → HSTS → DNS → route → ARP → TCP → TLS →
 *   HTTP request → response → decoding → subresources → timeline
 *
 * Each step is announced with one line saying what it is for; the frames
 * it causes print under it (the session's views). --step pauses before
 * each. Redirects are followed; a connection to the same origin is kept
 * and reused, as browsers do. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch_int.h"
#include "web_state.h"
#include "ww/eth.h"
#include "ww/html.h"
#include "ww/ipv4.h"
#include "ww/route.h"
#include "ww/session.h"
#include "ww/shell.h"
#include "ww/stack.h"
#include "ww/tcpconn.h"
#include "ww/tls.h"

#define FETCH_MAX_REDIRECTS 10  /* RFC 9110 §15.4 leaves it open; curl -L allows 50 */
#define FETCH_IDLE_MS 10000
#define FETCH_KEEP_BYTES (8u << 20)  /* the page kept in memory to scan and show */
#define FETCH_SHOW_LINES 60
#define FETCH_REQUEST_MAX 16384

/* The response being read (http_shared_resp: one for the shell). */
static struct ww_http_resp *resp;

/* ---- --step -------------------------------------------------------------- */

static bool stdin_ready(void *arg)
{
	(void)arg;
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	return poll(&p, 1, 0) > 0;
}

/* Announce step NAME with what it is for. With --step, wait first for a
 * key (the network keeps running meanwhile): Enter goes on, c runs to the
 * end, q stops. Returns false when the person stopped. */
bool fetch_step(struct fetch *f, const char *name, const char *why)
{
	f->nsteps++;
	if (f->step && !f->run_to_end) {
		fprintf(f->sh->out, "-- next: %s. Enter goes on, c runs to the end, q stops --", name);
		fflush(f->sh->out);
		bool tty = isatty(STDIN_FILENO);
		for (;;) {
			int r = ww_session_until(f->s, stdin_ready, NULL, ww_session_now(f->s) + 100000000u);
			if (r < 0) {
				fprintf(f->sh->out, "\nfetch: interrupted before %s\n", name);
				return false;
			}
			if (r == 0)
				continue;
			char ch;
			if (read(STDIN_FILENO, &ch, 1) <= 0) {
				f->run_to_end = true; /* no more input: nobody to wait for */
				break;
			}
			if (!tty && ch != '\n') {
				char rest;
				while (read(STDIN_FILENO, &rest, 1) == 1 && rest != '\n')
					;
			}
			if (ch == 'q' || ch == 'Q') {
				fprintf(f->sh->out, "\nfetch: stopped before %s\n", name);
				return false;
			}
			if (ch == 'c' || ch == 'C')
				f->run_to_end = true;
			if (ch == 'c' || ch == 'C' || ch == '\n' || ch == '\r')
				break;
		}
		fputc('\n', f->sh->out);
	}
	fprintf(f->sh->out, "\n== %u. %s: %s\n", f->nsteps, name, why);
	return true;
}

/* ---- the journey ------------------------------------------------------------ */

static void origin_of(const struct ww_url *u, char *out, size_t n)
{
	snprintf(out, n, "%s://%s:%u", u->scheme, u->host, u->port);
}

/* Typed text to a URL, then HSTS. */
static int first_steps(struct fetch *f, const char *input)
{
	struct ww_error e;
	int kind = ww_url_from_input(input, &f->url, &e);
	if (kind < 0)
		return ww_shell_error(f->sh, WW_EXIT_USAGE, "fetch: '%s' looks like a URL but is not one: %s",
				      input, e.msg);
	char u[WW_URL_MAX];
	ww_url_format(&f->url, u, sizeof u);
	if (!fetch_step(f, "input", kind == WW_INPUT_SEARCH
			? "not a URL (words, spaces): the browser turns it into a search"
			: "a URL: scheme, host, port, path"))
		return WW_EXIT_FAIL;
	if (kind == WW_INPUT_SEARCH)
		fprintf(f->sh->out, "'%s' is a search term → %s\n", input, u);
	else
		fprintf(f->sh->out, "%s → scheme %s, host %s, port %u, path %s%s%s\n", input,
			f->url.scheme, f->url.host, f->url.port, f->url.path, f->url.has_query ? "?" : "",
			f->url.has_query ? f->url.query : "");
	if (f->url.has_userinfo)
		fprintf(f->sh->out, "note: '%s@' before the host is user information, not the host: "
			"it is never sent (and often a trick)\n", f->url.userinfo);
	return WW_EXIT_OK;
}

static int hsts_step(struct fetch *f)
{
	uint64_t now = (uint64_t)time(NULL);
	struct ww_url up;
	bool preloaded = ww_hsts_known(NULL, f->url.host, now);
	if (!f->url.is_https && !fetch_step(f, "HSTS", "is this host known to want https only? "
					    "then nothing goes out over plain http (RFC 6797)"))
		return WW_EXIT_FAIL;
	if (f->url.is_https)
		return WW_EXIT_OK;
	if (ww_hsts_upgrade(&f->url, f->sh->hsts, now, &up)) {
		char u[WW_URL_MAX];
		ww_url_format(&up, u, sizeof u);
		fprintf(f->sh->out, "%s is %s: upgraded before anything is sent → %s\n", f->url.host,
			preloaded ? "on the HSTS preload list built into the browser"
				  : "remembered from an earlier Strict-Transport-Security header", u);
		f->url = up;
	} else {
		fprintf(f->sh->out, "%s is not on the HSTS list: the request goes out as plain http, "
			"readable by anyone on the path\n", f->url.host);
	}
	return WW_EXIT_OK;
}

/* DNS, route, ARP, TCP and TLS: a connection to the URL's origin. */
static int connect_steps(struct fetch *f)
{
	struct ww_shell *sh = f->sh;
	FILE *out = sh->out;
	char a[16], b[16], n[16];
	uint64_t t0 = ww_session_now(f->s);

	if (!fetch_step(f, "DNS", f->url.host_kind == WW_URL_HOST_IPV4
			? "the host is an address already: nothing to look up"
			: "the name to an address: the cache, or the resolver (UDP port 53)"))
		return WW_EXIT_FAIL;
	int rc = ww_shell_resolve(sh, "fetch", f->url.host, &f->ip);
	if (rc != WW_EXIT_OK)
		return rc;
	uint64_t t1 = ww_session_now(f->s);

	struct ww_stack *st = ww_session_stack(f->s);
	struct ww_route_result rr = ww_stack_route(st, f->ip);
	if (!fetch_step(f, "route", "which way out: the longest matching prefix in the routing table"))
		return WW_EXIT_FAIL;
	if (!rr.found)
		return ww_shell_error(sh, WW_EXIT_FAIL, "fetch: no route to %s", ww_ipv4_str(f->ip, a));
	if (rr.next_hop == f->ip)
		fprintf(out, "%s is on our link (%s/%u): straight to it\n", ww_ipv4_str(f->ip, a),
			ww_ipv4_str(rr.route.net, b), rr.route.prefix);
	else
		fprintf(out, "%s is not on our link: via the gateway %s (%s route %s/%u)\n",
			ww_ipv4_str(f->ip, a), ww_ipv4_str(rr.next_hop, b),
			ww_route_origin_name(rr.route.origin), ww_ipv4_str(rr.route.net, n), rr.route.prefix);

	if (!fetch_step(f, "ARP", "the next hop's MAC address, for the Ethernet header "
			"(the IP address stays the server's all the way)"))
		return WW_EXIT_FAIL;
	if ((rc = fetch_arp(f, rr.next_hop)) != WW_EXIT_OK)
		return rc;
	uint64_t t2 = ww_session_now(f->s);

	if (!fetch_step(f, "TCP", "a connection: SYN, SYN-ACK, ACK; sequence numbers agreed"))
		return WW_EXIT_FAIL;
	if ((rc = fetch_tcp(f)) != WW_EXIT_OK)
		return rc;
	uint64_t t3 = ww_session_now(f->s);
	uint64_t t4 = t3;
	if (f->url.is_https) {
		if (!fetch_step(f, "TLS", "the server proves it is the host named (its certificate), "
				"keys are agreed; from here on the bytes are encrypted"))
			return WW_EXIT_FAIL;
		if ((rc = fetch_tls(f)) != WW_EXIT_OK)
			return rc;
		t4 = ww_session_now(f->s);
	}
	if (!f->timed) {
		f->tl.dns = t1 - t0;
		f->tl.connect = t3 - t2;
		f->tl.tls = t4 - t3;
		f->tl.stalled = t2 - t1; /* route and ARP */
	}
	origin_of(&f->url, f->origin, sizeof f->origin);
	return WW_EXIT_OK;
}

static void explain_decoding(struct fetch *f)
{
	const struct ww_http_resp *r = resp;
	FILE *out = f->sh->out;
	if (r->framing == WW_HTTP_CHUNKED)
		fprintf(out, "framing: chunked transfer coding (no Content-Length: the length was not known "
			"when sending began); %llu body bytes in chunks\n", (unsigned long long)r->body_wire);
	else if (r->framing == WW_HTTP_LENGTH)
		fprintf(out, "framing: Content-Length %llu\n", (unsigned long long)r->content_length);
	else if (r->framing == WW_HTTP_UNTIL_CLOSE)
		fprintf(out, "framing: none: the body ran until the server closed the connection\n");
	if (r->coding != WW_HTTP_IDENTITY)
		fprintf(out, "content coding: %s, %llu bytes on the wire → %llu decoded (zlib)\n",
			r->coding == WW_HTTP_GZIP ? "gzip" : "deflate", (unsigned long long)r->body_wire,
			(unsigned long long)r->body_len);
	else
		fprintf(out, "content coding: none (identity), %llu bytes\n", (unsigned long long)r->body_len);
	const char *type = ww_http_header(r, "Content-Type");
	fprintf(out, "type: %s%s%s\n", type ? type : "not stated", r->charset[0] ? "; text in " : "",
		r->charset[0] ? r->charset : "");
}

/* One request on the open connection, into RESP; SHOW says how much of it
 * to print. */
static int request(struct fetch *f, const char *method, const struct ww_url *u, struct http_body *b,
		   enum http_show show, struct http_times *t)
{
	char target[WW_URL_MAX], host[WW_URL_HOST_MAX + 8], req[FETCH_REQUEST_MAX], err[256];
	ww_url_target(u, target, sizeof target);
	ww_url_authority(u, host, sizeof host);
	struct ww_http_req rq = { .method = method, .path = target, .host = host };
	size_t len = ww_http_request(&rq, req, sizeof req);
	if (!len)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: the request for %s does not fit", target);
	ww_http_resp_reset(resp);
	resp->body_fn = http_body_fn;
	resp->body_ctx = b;
	if (http_exchange(f->sh, &f->st, req, len, resp, FETCH_IDLE_MS, show, t, err, sizeof err) < 0)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: %s%s: %s", host, target, err);
	char url[WW_URL_MAX];
	ww_url_format(u, url, sizeof url);
	ww_web_note_http(url, resp->status);
	return WW_EXIT_OK;
}

static void learn_hsts(struct fetch *f, const struct ww_url *u)
{
	const char *sts = ww_http_header(resp, "Strict-Transport-Security");
	struct ww_error e;
	if (sts && ww_hsts_note(f->sh->hsts, u, sts, (uint64_t)time(NULL), &e) > 0)
		fprintf(f->sh->out, "HSTS: %s asks for https only (%s): remembered\n", u->host, sts);
}

/* The page, redirects followed. */
static int page(struct fetch *f)
{
	for (unsigned hops = 0;; hops++) {
		int rc;
		char o[300];
		origin_of(&f->url, o, sizeof o);
		if (strcmp(o, f->origin) != 0 || !http_stream_usable(&f->st)) {
			fetch_drop_connection(f);
			if ((rc = connect_steps(f)) != WW_EXIT_OK)
				return rc;
		} else {
			fprintf(f->sh->out, "(the connection to %s is still open: reused)\n", o);
		}
		if (!fetch_step(f, "HTTP", "the request, then the response: status, headers, body"))
			return WW_EXIT_FAIL;
		http_body_free(&f->body);
		f->body = (struct http_body){ .limit = FETCH_KEEP_BYTES, .file = f->out_file };
		struct http_times t;
		if ((rc = request(f, "GET", &f->url, &f->body, HTTP_SHOW_HEADERS, &t)) != WW_EXIT_OK)
			return rc;
		f->nrequests++;
		if (!f->timed) {
			f->tl.send = t.sent - t.start;
			f->tl.wait = t.first_byte - t.sent;
			f->tl.download = t.done - t.first_byte;
			f->timed = true;
		}
		learn_hsts(f, &f->url);
		const char *loc = ww_http_header(resp, "Location");
		bool redirect = resp->status == 301 || resp->status == 302 || resp->status == 303 ||
				resp->status == 307 || resp->status == 308;
		if (!redirect || !loc)
			return WW_EXIT_OK;
		if (hops == FETCH_MAX_REDIRECTS)
			return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: more than %d redirects: stopped",
					      FETCH_MAX_REDIRECTS);
		struct ww_url next;
		struct ww_error e;
		if (ww_url_resolve(&f->url, loc, &next, &e) < 0)
			return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: the redirect to '%s' is not a URL "
					      "we can follow: %s", loc, e.msg);
		char u[WW_URL_MAX];
		ww_url_format(&next, u, sizeof u);
		if (!fetch_step(f, "redirect", "the server sent us elsewhere: a new request to the Location"))
			return WW_EXIT_FAIL;
		fprintf(f->sh->out, "%d %s → %s\n", resp->status, resp->reason ? resp->reason : "", u);
		f->url = next;
		if ((rc = hsts_step(f)) != WW_EXIT_OK)
			return rc;
	}
}

/* The subresources a browser would load with the page: over the same
 * connection when they are on the same origin. */
static int subresources(struct fetch *f)
{
	const char *type = ww_http_header(resp, "Content-Type");
	if (!type || strncmp(type, "text/html", 9) != 0 || f->out_file)
		return WW_EXIT_OK;
	struct ww_html_refs *refs = malloc(sizeof *refs);
	if (!refs)
		return ww_shell_error(f->sh, WW_EXIT_FAIL, "fetch: out of memory");
	ww_html_refs(f->body.p, f->body.len, refs);
	int rc = WW_EXIT_OK;
	if (refs->n == 0)
		goto done;
	if (!fetch_step(f, "subresources", "the page names more to load: each is one more request, "
			"over the same connection while it stays open")) {
		rc = WW_EXIT_FAIL;
		goto done;
	}
	struct ww_url page_url = f->url;
	for (size_t i = 0; i < refs->n; i++) {
		struct ww_url u;
		struct ww_error e;
		char o[300], text[WW_URL_MAX];
		if (ww_url_resolve(&page_url, refs->ref[i].url, &u, &e) < 0) {
			fprintf(f->sh->out, "  %s %s: not fetched: %s\n", ww_html_ref_kind_name(refs->ref[i].kind),
				refs->ref[i].url, e.msg);
			continue;
		}
		origin_of(&u, o, sizeof o);
		ww_url_format(&u, text, sizeof text);
		if (strcmp(o, f->origin) != 0) {
			fprintf(f->sh->out, "  %s %s: another origin (a browser opens a connection to it): "
				"not fetched here\n", ww_html_ref_kind_name(refs->ref[i].kind), text);
			continue;
		}
		if (!http_stream_usable(&f->st)) {
			fetch_drop_connection(f);
			f->url = u;
			if ((rc = connect_steps(f)) != WW_EXIT_OK)
				break;
		}
		struct http_body b = { .limit = 0 };
		struct http_times t;
		ww_http_resp_reset(resp);
		if ((rc = request(f, "GET", &u, &b, HTTP_SHOW_LINES, &t)) != WW_EXIT_OK)
			break;
		f->nrequests++;
		const char *ct = ww_http_header(resp, "Content-Type");
		fprintf(f->sh->out, "  %s %s: %d, %s, %llu bytes%s%s, %.3f ms\n",
			ww_html_ref_kind_name(refs->ref[i].kind), refs->ref[i].url, resp->status,
			ct ? ct : "no type", (unsigned long long)resp->body_len,
			resp->coding == WW_HTTP_GZIP ? " (gzip on the wire: " : "",
			resp->coding == WW_HTTP_GZIP ? "smaller)" : "", (double)(t.done - t.start) / 1e6);
	}
	if (refs->dropped)
		fprintf(f->sh->out, "  (%zu more not listed)\n", refs->dropped);
done:
	free(refs);
	return rc;
}

static int cmd_fetch(struct ww_shell *sh, int argc, char **argv)
{
	struct fetch f = { .sh = sh };
	char input[WW_URL_MAX] = "";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--step") == 0) {
			f.step = true;
		} else if (strcmp(argv[i], "-o") == 0) {
			if (++i == argc)
				return ww_shell_error(sh, WW_EXIT_USAGE, "fetch: -o needs a file name");
			f.out_path = argv[i];
		} else {
			size_t n = strlen(input);
			snprintf(input + n, sizeof input - n, "%s%s", n ? " " : "", argv[i]);
		}
	}
	if (!input[0])
		return ww_shell_usage(sh, ww_command_find("fetch"));
	if (!sh->hsts) {
		if (!(sh->hsts = malloc(sizeof *sh->hsts)))
			return ww_shell_error(sh, WW_EXIT_FAIL, "fetch: out of memory");
		ww_hsts_init(sh->hsts);
	}
	if (!(f.s = ww_shell_session(sh)))
		return WW_EXIT_FAIL;
	if (f.out_path && !(f.out_file = fopen(f.out_path, "wb")))
		return ww_shell_error(sh, WW_EXIT_USAGE, "fetch: cannot write %s: %s", f.out_path,
				      strerror(errno));
	resp = http_shared_resp();
	ww_http_resp_init(resp);
	f.t0 = ww_session_now(f.s);
	int rc = first_steps(&f, input);
	if (rc == WW_EXIT_OK)
		rc = hsts_step(&f);
	if (rc == WW_EXIT_OK)
		rc = page(&f);
	int status = resp->status;
	if (rc == WW_EXIT_OK && fetch_step(&f, "decoding", "the body as sent → the bytes the page is made of")) {
		explain_decoding(&f);
		if (f.out_file)
			fprintf(sh->out, "%llu bytes written to %s\n", (unsigned long long)f.body.total, f.out_path);
		else
			http_print_body(sh->out, resp, &f.body, FETCH_SHOW_LINES);
		rc = subresources(&f);
	}
	if (f.out_file && fclose(f.out_file) != 0 && rc == WW_EXIT_OK)
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "fetch: writing %s failed", f.out_path);
	f.tl.total = ww_session_now(f.s) - f.t0;
	if (rc == WW_EXIT_OK) {
		fetch_timeline(&f);
		fprintf(sh->out, "fetch: HTTP %d, %u request%s, %.1f ms\n", status, f.nrequests,
			f.nrequests == 1 ? "" : "s", (double)f.tl.total / 1e6);
	}
	fetch_drop_connection(&f);
	http_body_free(&f.body);
	ww_http_resp_free(resp);
	return rc;
}

const struct ww_command ww_fetch_commands[] = {
	{ .name = "fetch", .args = "URL|WORDS [--step] [-o FILE]",
	  .summary = "the whole journey of a URL: DNS, ARP, TCP, TLS, HTTP, the page",
	  .help = "Does what a browser and the operating system under it do when a URL is typed,\n"
		  "one announced step at a time, with the frames of each:\n"
		  "  input      a URL, or words: a search (to the lab's search page)\n"
		  "  HSTS       a host known to want https gets it before anything is sent\n"
		  "  DNS        the name to an address (the cache first)\n"
		  "  route      the longest prefix that matches: on our link, or via the gateway\n"
		  "  ARP        the next hop's MAC address\n"
		  "  TCP        the three-way handshake\n"
		  "  TLS        certificate checked against the lab CA, keys agreed (https)\n"
		  "  HTTP       the request and the response; redirects followed (up to 10)\n"
		  "  decoding   chunked, gzip or deflate undone, the charset named; the page\n"
		  "  subresources  stylesheets, scripts, images: fetched over the same connection\n"
		  "and at the end a timeline as a browser's developer tools show it.\n"
		  "--step    pause before each step: Enter goes on, c runs to the end, q stops\n"
		  "-o FILE   write the page's body to FILE instead of showing it\n"
		  "Examples: fetch https://www.example.com/   fetch example.com   fetch what is dns",
	  .run = cmd_fetch },
	{ 0 },
};
