/* The HTTP/1.x head parser and dissector against real frames from
 * tests/captures (app_frames.h): curl's GET and POST and nginx's answers,
 * one of them chunked, and a body segment. Every expected value is what
 * tshark 4.0 printed for the same frame (`tshark -o
 * tcp.desegment_tcp_streams:FALSE -T fields -E occurrence=a -e ...`),
 * written as tshark writes it (its "\r\n" is the two bytes here). Heads
 * the segment cuts are partial, never an error; malformed start lines
 * name the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app_frames.h"
#include "ww/dissect.h"
#include "ww/filter.h"
#include "ww/http_msg.h"
#include "ww/view.h"

static struct ww_dissection dis;

/* Every value of the items named NAME joined with '|', as tshark's
 * aggregator; numbers in decimal. */
static const char *values(const char *name)
{
	static char buf[4096];
	size_t k = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < dis.nitems; i++) {
		const struct ww_item *it = &dis.items[i];
		if (strcmp(it->f->name, name) != 0)
			continue;
		if (k)
			buf[k++] = '|';
		if (it->f->type == WW_FT_STRING || it->f->type == WW_FT_BYTES)
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%.*s", (int)it->plen,
					      (const char *)it->p);
		else
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%u", (unsigned)it->u);
		assert_true(k < sizeof buf);
	}
	return buf;
}

static unsigned count(const char *name)
{
	unsigned n = 0;
	for (unsigned i = 0; i < dis.nitems; i++)
		n += strcmp(dis.items[i].f->name, name) == 0;
	return n;
}

static const char *show(void (*view)(FILE *, const struct ww_dissection *,
				     const struct ww_view_opts *),
			const uint8_t *f, size_t n)
{
	static char buf[16384];
	ww_dissect(&dis, f, n);
	FILE *out = fmemopen(buf, sizeof buf, "w");
	view(out, &dis, NULL);
	fclose(out);
	return buf;
}

static bool matches(const char *text)
{
	struct ww_filter flt;
	struct ww_expr_error err;
	if (ww_filter_parse(&flt, text, NULL, NULL, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	return ww_filter_match(&flt, &dis);
}

static int layer_of(enum ww_proto p)
{
	for (unsigned i = 0; i < dis.nlayers; i++)
		if (dis.layers[i].proto == p)
			return (int)i;
	return -1;
}

static void test_get(void **state)
{
	(void)state;
	const char *s = show(ww_view_summary, af_http_get, sizeof af_http_get);
	/* tcpdump prints the same: "length 84: HTTP: GET /4000.html HTTP/1.1" */
	assert_non_null(strstr(s, ", length 84: HTTP: GET /4000.html HTTP/1.1\n"));
	assert_int_equal(dis.nerrors, 0);
	int h = layer_of(WW_P_HTTP);
	assert_int_equal(h, 3);
	assert_int_equal(dis.layers[h].len, 84);
	assert_int_equal(layer_of(WW_P_DATA), -1); /* a GET has no body */
	/* tshark, http.pcap frame 4 */
	assert_string_equal(values("http.request"), "1");
	assert_string_equal(values("http.request.method"), "GET");
	assert_string_equal(values("http.request.uri"), "/4000.html");
	assert_string_equal(values("http.request.version"), "HTTP/1.1");
	assert_string_equal(values("http.host"), "example.com");
	assert_string_equal(values("http.user_agent"), "curl/7.88.1");
	assert_string_equal(values("http.accept"), "*/*");
	assert_string_equal(values("http.request.line"),
			    "Host: example.com\r\n|User-Agent: curl/7.88.1\r\n|Accept: */*\r\n");
	assert_string_equal(values("http.response"), "");
	assert_int_equal(count("http.partial"), 0);
	assert_true(matches("http.request"));
	assert_true(matches("http.request.method == \"GET\" and "
			    "http.host == example.com"));
	assert_false(matches("http.response"));
	assert_string_equal(show(ww_view_bar, af_http_get, sizeof af_http_get),
			    "│ Ethernet 14 B │ IPv4 20 B │ TCP 32 B │ HTTP 84 B │ FCS 4 B │\n");
	s = show(ww_view_tree, af_http_get, sizeof af_http_get);
	assert_non_null(strstr(s, "Hypertext Transfer Protocol, 84 bytes at 66\n"));
	assert_non_null(strstr(s, "  http.request.line    \"User-Agent: curl/7.88.1\\r\\n\"\n"
				  "    http.user_agent    curl/7.88.1\n"));
}

static void test_post(void **state)
{
	(void)state;
	const char *s = show(ww_view_summary, af_http_post, sizeof af_http_post);
	assert_non_null(strstr(s, ", length 154: HTTP: POST /api/items HTTP/1.1\n"));
	/* tshark, http-post.pcap frame 4 */
	assert_string_equal(values("http.request.method"), "POST");
	assert_string_equal(values("http.content_type"), "application/json");
	assert_string_equal(values("http.content_length_header"), "17");
	assert_string_equal(values("http.content_length"), "17");
	assert_string_equal(values("http.request.line"),
			    "Host: example.com\r\n|User-Agent: curl/7.88.1\r\n|Accept: */*\r\n"
			    "|Content-Type: application/json\r\n|Content-Length: 17\r\n");
	/* The body is data, as before there was an HTTP layer. */
	assert_string_equal(values("data.data"), "{\"name\":\"widget\"}");
	assert_true(matches("http.request.method == \"POST\""));
	assert_true(matches("http.request.method == POST and http.content_length == 17"));
	assert_true(matches("data.data contains \"widget\" and tcp.payload contains \"POST\""));
	assert_false(matches("data.data contains \"POST\""));
	assert_false(matches("tls"));
}

static void test_responses(void **state)
{
	(void)state;
	const char *s = show(ww_view_summary, af_http_created, sizeof af_http_created);
	assert_non_null(strstr(s, ": HTTP: HTTP/1.1 201 Created\n"));
	/* tshark, http-post.pcap frame 6 */
	assert_string_equal(values("http.response"), "1");
	assert_string_equal(values("http.response.version"), "HTTP/1.1");
	assert_string_equal(values("http.response.code"), "201");
	assert_string_equal(values("http.response.phrase"), "Created");
	assert_string_equal(values("http.server"), "nginx");
	assert_string_equal(values("http.location"), "/api/items/1");
	assert_string_equal(values("http.content_length"), "25");
	assert_string_equal(values("http.connection"), "keep-alive");
	assert_string_equal(values("http.response.line"),
			    "Server: nginx\r\n|Date: Sun, 22 Nov 2026 06:10:53 GMT\r\n"
			    "|Content-Type: application/json\r\n|Content-Length: 25\r\n"
			    "|Connection: keep-alive\r\n|Location: /api/items/1\r\n");
	assert_string_equal(values("data.data"), "{\"id\":1,\"name\":\"widget\"}\n");
	assert_true(matches("http.response.code == 201 and http.location contains \"items\""));
	assert_true(matches("http.response.code == Created"));

	/* tshark, frame 16: chunked, no Content-Length */
	s = show(ww_view_summary, af_http_chunked, sizeof af_http_chunked);
	assert_non_null(strstr(s, ": HTTP: HTTP/1.1 200 OK\n"));
	assert_string_equal(values("http.transfer_encoding"), "chunked");
	assert_string_equal(values("http.content_type"), "text/html");
	assert_string_equal(values("http.content_length"), "");
	/* The chunks are data, their sizes in hex in front. */
	assert_true(matches("data.data contains \"83\\r\\n<!DOCTYPE\""));
	assert_true(matches("http.transfer_encoding == chunked"));
}

static void test_body_segment(void **state)
{
	(void)state;
	/* http.pcap frame 10, the end of the page: tshark shows data.data. */
	const char *s = show(ww_view_summary, af_http_body, sizeof af_http_body);
	assert_null(strstr(s, "HTTP"));
	assert_int_equal(layer_of(WW_P_HTTP), -1);
	assert_int_equal(layer_of(WW_P_DATA), 3);
	assert_true(matches("data.data contains \"</html>\""));
	assert_false(matches("http"));
}

static const uint8_t *get_head(size_t *n)
{
	*n = sizeof af_http_get - 66;
	return af_http_get + 66;
}

static void test_parse_and_cuts(void **state)
{
	(void)state;
	size_t n;
	const uint8_t *p = get_head(&n);
	struct ww_http_msg m;
	struct ww_cursor c;
	ww_cur_init(&c, p, n, 0);
	assert_int_equal(ww_http_msg_parse(&c, &m), 0);
	assert_false(m.response);
	assert_true(m.complete);
	assert_int_equal(m.head_len, 84);
	assert_int_equal(m.nlines, 3);
	assert_memory_equal(p + m.method.off, "GET", 3);
	assert_int_equal(m.uri.off, 4);
	assert_int_equal(m.uri.len, 10);
	assert_memory_equal(p + m.version.off, "HTTP/1.1", m.version.len);
	/* Every cut: never an error, never complete but at the end, the
	 * method as soon as its space is there. */
	for (size_t k = 1; k < n; k++) {
		ww_cur_init(&c, p, k, 0);
		assert_int_equal(ww_http_msg_parse(&c, &m), 0);
		assert_false(m.complete);
		assert_int_equal(m.head_len, k);
		assert_int_equal(m.method.len, k > 3 ? 3 : 0);
		/* and the dissector says partial */
		ww_dissect_reset(&dis, p, k);
		ww_cur_init(&c, p, k, 0);
		assert_non_null(ww_http_msg_dissect(&dis, &c));
		assert_int_equal(count("http.partial"), 1);
		for (unsigned i = 0; i < dis.nitems; i++)
			assert_true(dis.items[i].off + dis.items[i].len <= k);
	}
	/* A status line cut after its code. */
	const uint8_t *r = af_http_created + 66;
	ww_cur_init(&c, r, 12, 0);
	assert_int_equal(ww_http_msg_parse(&c, &m), 0);
	assert_true(m.response);
	assert_int_equal(m.code, 201);
}

static void bad(const char *text, const char *field, const char *says)
{
	ww_dissect_reset(&dis, (const uint8_t *)text, strlen(text));
	struct ww_cursor c;
	ww_cur_init(&c, (const uint8_t *)text, strlen(text), 0);
	assert_null(ww_http_msg_dissect(&dis, &c));
	assert_int_equal(dis.nerrors, 1);
	assert_int_equal(dis.errors[0].status, WW_INVALID);
	assert_string_equal(dis.errors[0].field, field);
	if (!strstr(dis.errors[0].msg, says))
		fail_msg("expected \"%s\" in \"%s\"", says, dis.errors[0].msg);
	struct ww_http_msg m;
	ww_cur_init(&c, (const uint8_t *)text, strlen(text), 0);
	assert_int_equal(ww_http_msg_parse(&c, &m), -1);
	assert_string_equal(c.err.field, field);
}

static void test_malformed(void **state)
{
	(void)state;
	bad("HTTP/1.1 2x0 OK\r\n\r\n", "http.response.code", "three digits");
	bad("HTTP/1.1 2000 OK\r\n\r\n", "http.response.code", "three digits");
	bad("HTTP/1.1\r\n\r\n", "http.response.code", "no status code");
	bad("HTTP/1.10 200 OK\r\n\r\n", "http.response.version", "HTTP/x.y");
	bad("GET /index.html\r\n\r\n", "http.request.version", "without an HTTP version");
	bad("GET / HTTP/one\r\n\r\n", "http.request.version", "HTTP/x.y");
	/* (Not plausible as a first line: the dissector is never asked.) */
	bad("GET  / HTTP/1.1\r\n\r\n", "http.request.uri", "no request target");
	/* Bare LF ends lines too; a line with no colon is still a line. */
	const char *lf = "HTTP/1.0 200 OK\nServer: x\nno colon here\n\nbody";
	ww_dissect_reset(&dis, (const uint8_t *)lf, strlen(lf));
	struct ww_cursor c;
	ww_cur_init(&c, (const uint8_t *)lf, strlen(lf), 0);
	assert_non_null(ww_http_msg_dissect(&dis, &c));
	assert_int_equal(ww_cur_left(&c), 4);
	assert_string_equal(values("http.response.line"), "Server: x\n|no colon here\n");
	assert_string_equal(values("http.server"), "x");
	assert_int_equal(count("http.partial"), 0);
}

static void test_plausible(void **state)
{
	(void)state;
	const struct { const char *s; bool port80, other; } v[] = {
		{ "GET / HTTP/1.1\r\n", true, true },
		{ "POST /api/items HTTP/1.1\r\n", true, true },
		{ "HTTP/1.1 200 OK\r\n", true, true },
		{ "M-SEARCH / HTTP/1.1\r\n", true, true },
		{ "OPTIONS * HTTP/1.1\r\n", true, false },
		{ "GET http://example.com/ HTTP/1.1\r\n", true, false },
		{ "get / HTTP/1.1\r\n", false, false },
		{ "line 061 of a page", false, false },
		{ "HTTP/2 200\r\n", false, false },
		{ "GET", false, false },
		{ "\x16\x03\x01\x02\x00", false, false },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const uint8_t *p = (const uint8_t *)v[i].s;
		assert_int_equal(ww_http_msg_plausible(p, strlen(v[i].s), true), v[i].port80);
		assert_int_equal(ww_http_msg_plausible(p, strlen(v[i].s), false), v[i].other);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_post),
		cmocka_unit_test(test_responses),
		cmocka_unit_test(test_body_segment),
		cmocka_unit_test(test_parse_and_cuts),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_plausible),
	};
	return cmocka_run_group_tests_name("http_msg", tests, NULL, NULL);
}
