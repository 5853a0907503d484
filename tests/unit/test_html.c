/* Subresources of a page: the lab's own index page, and the corners a
 * scanner gets wrong (quotes, comments, script text, limits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ww/html.h"

static struct ww_html_refs r;

static void scan(const char *doc)
{
	ww_html_refs((const uint8_t *)doc, strlen(doc), &r);
}

/* The page the lab's nginx serves for https://www.example.com/. */
static void test_lab_index(void **state)
{
	(void)state;
	scan("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	     "<title>Example Domain (wirewalk lab)</title>\n"
	     "<link rel=\"stylesheet\" href=\"/style.css\">\n"
	     "<script src=\"/app.js\" defer></script>\n</head>\n<body>\n<h1>Example Domain</h1>\n"
	     "<img src=\"/logo.png\" alt=\"logo\" width=\"16\" height=\"16\">\n"
	     "<ul>\n<li><a href=\"/4000.html\">a page of exactly 4000 bytes</a></li>\n</ul>\n");
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ref[0].kind, WW_HTML_STYLESHEET);
	assert_string_equal(r.ref[0].url, "/style.css");
	assert_int_equal(r.ref[1].kind, WW_HTML_SCRIPT);
	assert_string_equal(r.ref[1].url, "/app.js");
	assert_int_equal(r.ref[2].kind, WW_HTML_IMAGE);
	assert_string_equal(r.ref[2].url, "/logo.png");
	assert_int_equal(r.dropped, 0); /* <a href> is a link to follow, not a subresource */
}

static void test_attribute_forms(void **state)
{
	(void)state;
	scan("<LINK HREF=/a.css REL=Stylesheet><img alt='x > y' src='b.png?x=1&amp;y=2'>"
	     "<script type=module src = \" c.js \" ></script><link rel=\"shortcut icon\" href=/f.ico>"
	     "<link rel=alternate href=/feed>");
	assert_int_equal(r.n, 4);
	assert_string_equal(r.ref[0].url, "/a.css");
	assert_string_equal(r.ref[1].url, "b.png?x=1&y=2");
	assert_string_equal(r.ref[2].url, "c.js");
	assert_int_equal(r.ref[3].kind, WW_HTML_ICON);
	assert_string_equal(r.ref[3].url, "/f.ico");
}

static void test_not_markup(void **state)
{
	(void)state;
	/* A comment and a script's text hold no tags; an inline script loads
	 * nothing; the same URL twice is one request. */
	scan("<!-- <img src=/no1.png> --><script>var s = '<img src=/no2.png>';</script>"
	     "<style>p::before { content: '<img src=/no3.png>' }</style>"
	     "<img src=/yes.png><img src=/yes.png><img>");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.ref[0].url, "/yes.png");
	assert_int_equal(r.ref[0].offset, 131);
}

static void test_limits_and_truncation(void **state)
{
	(void)state;
	char doc[WW_HTML_REF_MAX * 2 + (WW_HTML_MAX_REFS + 4) * 24];
	size_t n = 0;
	for (int i = 0; i < WW_HTML_MAX_REFS + 3; i++)
		n += (size_t)sprintf(doc + n, "<img src=/%d.png>", i);
	n += (size_t)sprintf(doc + n, "<img src=/");
	memset(doc + n, 'x', WW_HTML_REF_MAX);
	n += WW_HTML_REF_MAX;
	strcpy(doc + n, "><img src=/cut");
	scan(doc);
	assert_int_equal(r.n, WW_HTML_MAX_REFS);
	assert_int_equal(r.dropped, 4 + 1 - 0); /* 3 over the count, the long one, and the cut one */
	assert_string_equal(r.ref[WW_HTML_MAX_REFS - 1].url, "/31.png");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_index),
		cmocka_unit_test(test_attribute_forms),
		cmocka_unit_test(test_not_markup),
		cmocka_unit_test(test_limits_and_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
