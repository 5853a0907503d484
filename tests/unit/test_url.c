/* URLs: parse with errors naming the part, omnibox URL-or-search, HSTS
 * preload and learned entries, and RFC 3986 §5.4.1 reference resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ww/url.h"

static struct ww_url u, v;
static struct ww_error err;

static void test_parse_full(void **state)
{
	(void)state;
	assert_int_equal(ww_url_parse("HTTPS://user:pw@WWW.Example.COM:8443/a/b?x=1&y=2#top", &u, &err), 0);
	assert_string_equal(u.scheme, "https");
	assert_true(u.is_https);
	assert_true(u.has_userinfo);
	assert_string_equal(u.userinfo, "user:pw");
	assert_string_equal(u.host, "www.example.com");
	assert_int_equal(u.host_kind, WW_URL_HOST_NAME);
	assert_int_equal(u.port, 8443);
	assert_true(u.port_given);
	assert_string_equal(u.path, "/a/b");
	assert_string_equal(u.query, "x=1&y=2");
	assert_string_equal(u.fragment, "top");
	char buf[256];
	assert_int_equal(ww_url_target(&u, buf, sizeof buf), 12);
	assert_string_equal(buf, "/a/b?x=1&y=2"); /* no fragment in a request */
	ww_url_authority(&u, buf, sizeof buf);
	assert_string_equal(buf, "www.example.com:8443");
	ww_url_format(&u, buf, sizeof buf);
	assert_string_equal(buf, "https://user:pw@www.example.com:8443/a/b?x=1&y=2#top");
	assert_int_equal(ww_url_format(&u, buf, 10), -1);
	assert_string_equal(buf, "");
}

static void test_parse_defaults(void **state)
{
	(void)state;
	assert_int_equal(ww_url_parse("http://example.com", &u, &err), 0);
	assert_int_equal(u.port, 80);
	assert_false(u.port_given);
	assert_string_equal(u.path, "/");
	assert_false(u.has_query);
	assert_false(u.has_userinfo);
	assert_int_equal(ww_url_parse("https://example.com?q", &u, &err), 0);
	assert_int_equal(u.port, 443);
	assert_string_equal(u.path, "/");
	assert_string_equal(u.query, "q");
	assert_int_equal(ww_url_parse("http://example.com:/x", &u, &err), 0);
	assert_int_equal(u.port, 80);
	char buf[64];
	ww_url_authority(&u, buf, sizeof buf);
	assert_string_equal(buf, "example.com");
	/* bytes above 0x7f are percent-encoded: a request line is ASCII */
	assert_int_equal(ww_url_parse("http://example.com/caf\xc3\xa9", &u, &err), 0);
	assert_string_equal(u.path, "/caf%C3%A9");
}

static void test_parse_ip_hosts(void **state)
{
	(void)state;
	assert_int_equal(ww_url_parse("http://192.0.2.10:8080/", &u, &err), 0);
	assert_int_equal(u.host_kind, WW_URL_HOST_IPV4);
	assert_int_equal(u.ipv4, 0xc000020a);
	assert_int_equal(ww_url_parse("http://[2001:DB8::1]:8080/x", &u, &err), 0);
	assert_int_equal(u.host_kind, WW_URL_HOST_IPV6);
	assert_string_equal(u.host, "[2001:db8::1]");
	assert_int_equal(u.port, 8080);
}

static void expect_error(const char *text, const char *field, uint32_t off)
{
	memset(&err, 0, sizeof err);
	assert_int_equal(ww_url_parse(text, &u, &err), -1);
	assert_int_equal(err.status, WW_INVALID);
	assert_string_equal(err.field, field);
	assert_int_equal(err.offset, off);
	assert_true(err.msg[0] != 0);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("example.com", "url.scheme", 0);
	expect_error("ftp://example.com/", "url.scheme", 0);
	expect_error("http:/example.com/", "url.scheme", 0);
	expect_error("http:///x", "url.host", 7);
	expect_error("http://exa mple.com/", "url.host", 10);
	expect_error("http://exa$mple.com/", "url.host", 10);
	assert_non_null(strstr(err.msg, "'$'"));
	expect_error("http://example..com/", "url.host", 15);
	expect_error("http://example.com./", "url.host", 18);
	expect_error("http://256.1.1.1/", "url.host", 7);
	expect_error("http://1.2.3/", "url.host", 7);
	expect_error("http://010.1.1.1/", "url.host", 7);
	expect_error("http://[2001:db8::g]/", "url.host", 7);
	expect_error("http://[2001:db8::1/", "url.host", 7);
	expect_error("http://[::1]x/", "url.port", 12);
	expect_error("http://example.com:0/", "url.port", 19);
	expect_error("http://example.com:65536/", "url.port", 19);
	expect_error("http://example.com:80a/", "url.port", 21);
	expect_error("http://example.com/a b", "url.path", 20);
	expect_error("http://example.com/?a\tb", "url.query", 21);
	expect_error("http://example.com/#a\x01", "url.fragment", 21);
	assert_int_equal(ww_url_parse("http://example.com:65535/", &u, &err), 0);
	char label[80];
	memset(label, 'a', 64);
	strcpy(label + 64, ".com");
	char text[128];
	snprintf(text, sizeof text, "http://%s/", label);
	expect_error(text, "url.host", 7 + 63);
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(ww_url_classify("what is dns"), WW_INPUT_SEARCH);
	assert_int_equal(ww_url_classify("dns"), WW_INPUT_SEARCH);
	assert_int_equal(ww_url_classify("example.com"), WW_INPUT_URL);
	assert_int_equal(ww_url_classify("  www.example.com/path  "), WW_INPUT_URL);
	assert_int_equal(ww_url_classify("Example.COM:8080/x?y"), WW_INPUT_URL);
	assert_int_equal(ww_url_classify("localhost"), WW_INPUT_URL);
	assert_int_equal(ww_url_classify("localhost:8080"), WW_INPUT_URL);
	assert_int_equal(ww_url_classify("192.0.2.1"), WW_INPUT_URL);
	assert_int_equal(ww_url_classify("https://example.com/a b"), WW_INPUT_URL);
	assert_int_equal(ww_url_classify("version 1.2"), WW_INPUT_SEARCH);
	assert_int_equal(ww_url_classify("1.2"), WW_INPUT_SEARCH);
	assert_int_equal(ww_url_classify("foo.c0m"), WW_INPUT_SEARCH);
	assert_int_equal(ww_url_classify("a..com"), WW_INPUT_SEARCH);
	assert_int_equal(ww_url_classify("example.com:http"), WW_INPUT_SEARCH);
	assert_int_equal(ww_url_classify(""), WW_INPUT_SEARCH);
}

static void test_from_input(void **state)
{
	(void)state;
	char buf[256];
	assert_int_equal(ww_url_from_input("what is dns", &u, &err), WW_INPUT_SEARCH);
	ww_url_format(&u, buf, sizeof buf);
	assert_string_equal(buf, "http://example.com/search?q=what+is+dns");
	assert_int_equal(ww_url_from_input(" a&b=c/d? 100% ", &u, &err), WW_INPUT_SEARCH);
	assert_string_equal(u.query, "q=a%26b%3Dc%2Fd%3F+100%25");
	assert_int_equal(ww_url_from_input("www.example.com/path", &u, &err), WW_INPUT_URL);
	ww_url_format(&u, buf, sizeof buf);
	assert_string_equal(buf, "http://www.example.com/path");
	assert_int_equal(ww_url_from_input("https://example.com/", &u, &err), WW_INPUT_URL);
	assert_true(u.is_https);
	assert_int_equal(ww_url_from_input("https://exa mple.com/", &u, &err), -1);
	assert_string_equal(err.field, "url.host");
}

static void test_form_encode(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(ww_url_form_encode("a b*-._~\xc3\xa9", out, sizeof out), 16);
	assert_string_equal(out, "a+b*-._%7E%C3%A9");
	assert_int_equal(ww_url_form_encode("abcdef", out, 6), -1);
	assert_int_equal(ww_url_form_encode("abcde", out, 6), 5);
}

static void test_hsts_preload(void **state)
{
	(void)state;
	const char *yes[] = { "http://example.com/", "http://www.example.com/x?y", "http://WWW.example.com:80/" };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(ww_url_parse(yes[i], &u, &err), 0);
		assert_true(ww_hsts_upgrade(&u, NULL, 0, &v));
		assert_string_equal(v.scheme, "https");
		assert_true(v.is_https);
		assert_int_equal(v.port, 443);
		assert_string_equal(v.path, u.path);
	}
	assert_int_equal(ww_url_parse("http://example.com:8080/", &u, &err), 0);
	assert_true(ww_hsts_upgrade(&u, NULL, 0, &v));
	assert_int_equal(v.port, 8080);
	/* http.example.com is not preloaded: it learns HSTS from its header. */
	const char *no[] = { "http://badexample.com/", "http://example.com.evil.test/", "http://192.0.2.1/",
			     "https://example.com/", "http://example.org/", "http://http.example.com/",
			     "http://a.www.example.com/" };
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(ww_url_parse(no[i], &u, &err), 0);
		assert_false(ww_hsts_upgrade(&u, NULL, 0, &v));
		assert_memory_equal(&u, &v, sizeof u);
	}
}

static void test_hsts_dynamic(void **state)
{
	(void)state;
	static struct ww_hsts st;
	ww_hsts_init(&st);
	struct ww_url site, plain;
	assert_int_equal(ww_url_parse("https://shop.test/", &site, &err), 0);
	assert_int_equal(ww_url_parse("http://shop.test/", &plain, &err), 0);
	/* over http the header is ignored (RFC 6797 §8.1) */
	assert_int_equal(ww_hsts_note(&st, &plain, "max-age=100", 1000, &err), 0);
	assert_false(ww_hsts_upgrade(&plain, &st, 1000, &v));
	assert_int_equal(ww_hsts_note(&st, &site, " max-age=\"100\" ; ", 1000, &err), 1);
	assert_true(ww_hsts_upgrade(&plain, &st, 1099, &v));
	assert_false(ww_hsts_upgrade(&plain, &st, 1100, &v)); /* expired */
	assert_false(ww_hsts_known(&st, "www.shop.test", 1050));
	assert_int_equal(ww_hsts_note(&st, &site, "max-age=100; includeSubDomains", 1000, &err), 1);
	assert_int_equal(st.n, 1);
	assert_true(ww_hsts_known(&st, "www.shop.test", 1050));
	assert_false(ww_hsts_known(&st, "myshop.test", 1050));
	assert_int_equal(ww_hsts_note(&st, &site, "max-age=0", 1010, &err), 1);
	assert_int_equal(st.n, 0);
	assert_false(ww_hsts_known(&st, "shop.test", 1050));
	const char *bad[] = { "includeSubDomains", "max-age=1; max-age=2", "max-age=", "max-age=1x",
			      "max-age=1; includesubdomains; includeSubDomains", "max-age=\"5" };
	for (size_t i = 0; i < 6; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(ww_hsts_note(&st, &site, bad[i], 0, &err), -1);
		assert_int_equal(err.status, WW_INVALID);
		assert_true(!strncmp(err.field, "hsts.", 5));
	}
	assert_int_equal(st.n, 0);
	/* full store: the entry expiring first makes room */
	char text[64];
	for (unsigned i = 0; i <= WW_HSTS_MAX; i++) {
		snprintf(text, sizeof text, "https://h%u.test/", i);
		assert_int_equal(ww_url_parse(text, &site, &err), 0);
		assert_int_equal(ww_hsts_note(&st, &site, i == 3 ? "max-age=1" : "max-age=500", 0, &err), 1);
	}
	assert_int_equal(st.n, WW_HSTS_MAX);
	assert_false(ww_hsts_known(&st, "h3.test", 0));
	assert_true(ww_hsts_known(&st, "h32.test", 0));
}

/* RFC 3986 §5.4.1, every normal example, and §5.4.2 abnormal ones. */
static void test_resolve_rfc3986(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "g:h", "g:h" }, { "g", "http://a/b/c/g" }, { "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" }, { "/g", "http://a/g" }, { "//g", "http://g" },
		{ "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q#s" }, { "g#s", "http://a/b/c/g#s" },
		{ "g?y#s", "http://a/b/c/g?y#s" }, { ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" }, { "g;x?y#s", "http://a/b/c/g;x?y#s" },
		{ "", "http://a/b/c/d;p?q" }, { ".", "http://a/b/c/" }, { "./", "http://a/b/c/" },
		{ "..", "http://a/b/" }, { "../", "http://a/b/" }, { "../g", "http://a/b/g" },
		{ "../..", "http://a/" }, { "../../", "http://a/" }, { "../../g", "http://a/g" },
		/* §5.4.2 */
		{ "../../../g", "http://a/g" }, { "/./g", "http://a/g" }, { "/../g", "http://a/g" },
		{ "g.", "http://a/b/c/g." }, { "..g", "http://a/b/c/..g" },
		{ "./../g", "http://a/b/g" }, { "g/./h", "http://a/b/c/g/h" }, { "g/../h", "http://a/b/c/h" },
		{ "g;x=1/./y", "http://a/b/c/g;x=1/y" }, { "g?y/./x", "http://a/b/c/g?y/./x" },
		{ "http:g", "http:g" },
	};
	char out[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = ww_url_resolve_text("http://a/b/c/d;p?q", cases[i][0], out, sizeof out, &err);
		assert_int_equal(n, (int)strlen(cases[i][1]));
		assert_string_equal(out, cases[i][1]);
	}
	assert_int_equal(ww_url_resolve_text("/relative", "g", out, sizeof out, &err), -1);
	assert_string_equal(err.field, "url.reference");
	assert_int_equal(ww_url_resolve_text("http://a/b", "ggggggggggggggg", out, 16, &err), -1);
}

static void test_resolve_redirect(void **state)
{
	(void)state;
	char buf[256];
	assert_int_equal(ww_url_parse("http://example.com:8080/dir/page?x#frag", &u, &err), 0);
	assert_int_equal(ww_url_resolve(&u, "https://www.example.com/", &v, &err), 0);
	ww_url_format(&v, buf, sizeof buf);
	assert_string_equal(buf, "https://www.example.com/");
	assert_int_equal(ww_url_resolve(&u, "../other?y", &v, &err), 0);
	ww_url_format(&v, buf, sizeof buf);
	assert_string_equal(buf, "http://example.com:8080/other?y");
	assert_false(v.has_fragment);
	assert_int_equal(ww_url_resolve(&u, "//cdn.example.com/a.css", &v, &err), 0);
	assert_string_equal(v.host, "cdn.example.com");
	assert_int_equal(v.port, 80);
	assert_int_equal(ww_url_resolve(&u, "ftp://example.com/", &v, &err), -1);
	assert_string_equal(err.field, "url.scheme");
	assert_int_equal(ww_url_resolve(&u, "http://bad host/", &v, &err), -1);
	assert_string_equal(err.field, "url.host");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_parse_ip_hosts),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_from_input),
		cmocka_unit_test(test_form_encode),
		cmocka_unit_test(test_hsts_preload),
		cmocka_unit_test(test_hsts_dynamic),
		cmocka_unit_test(test_resolve_rfc3986),
		cmocka_unit_test(test_resolve_redirect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
