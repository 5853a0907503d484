/* Subresources of an HTML page (see ww/html.h). The scanner walks tags
 * left to right; inside a tag it reads attributes as the HTML tokenizer
 * does (WHATWG HTML §13.2.5: name, optional '=', a value double-quoted,
 * single-quoted or bare), and it skips what is not markup: comments, and
 * the raw text of <script> and <style>, where a '<' means nothing. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ww/html.h"

struct scan {
	const uint8_t *p;
	size_t len, i;
};

static bool at_end(const struct scan *s) { return s->i >= s->len; }

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool starts_nocase(const struct scan *s, const char *word)
{
	size_t n = strlen(word);
	return s->len - s->i >= n && strncasecmp((const char *)s->p + s->i, word, n) == 0;
}

/* Move past the first occurrence of WORD (any case), or to the end. */
static void skip_past(struct scan *s, const char *word)
{
	while (!at_end(s) && !starts_nocase(s, word))
		s->i++;
	if (!at_end(s))
		s->i += strlen(word);
}

static void skip_spaces(struct scan *s)
{
	while (!at_end(s) && is_space(s->p[s->i]))
		s->i++;
}

/* A tag or attribute name into OUT (lower case, truncated to CAP - 1). */
static void read_name(struct scan *s, char *out, size_t cap, bool attr)
{
	size_t n = 0;
	while (!at_end(s)) {
		uint8_t c = s->p[s->i];
		if (is_space(c) || c == '>' || c == '/' || (attr && c == '='))
			break;
		if (n + 1 < cap)
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		s->i++;
	}
	out[n] = 0;
}

/* The few character references a URL in an attribute really carries. */
static size_t decode_ref(const uint8_t *p, size_t len, char *out)
{
	static const struct { const char *name; char ch; } refs[] = {
		{ "&amp;", '&' }, { "&quot;", '"' }, { "&#39;", '\'' }, { "&lt;", '<' }, { "&gt;", '>' },
	};
	for (size_t k = 0; k < sizeof refs / sizeof refs[0]; k++) {
		size_t n = strlen(refs[k].name);
		if (len >= n && memcmp(p, refs[k].name, n) == 0) {
			*out = refs[k].ch;
			return n;
		}
	}
	*out = '&';
	return 1;
}

/* An attribute value into OUT; returns false if it did not fit. */
static bool read_value(struct scan *s, char *out, size_t cap)
{
	uint8_t quote = 0;
	if (!at_end(s) && (s->p[s->i] == '"' || s->p[s->i] == '\'')) {
		quote = s->p[s->i];
		s->i++;
	}
	size_t n = 0;
	bool fits = true;
	while (!at_end(s)) {
		uint8_t c = s->p[s->i];
		if (quote ? c == quote : (is_space(c) || c == '>'))
			break;
		char ch = (char)c;
		size_t used = c == '&' ? decode_ref(s->p + s->i, s->len - s->i, &ch) : 1;
		s->i += used;
		if (n + 1 < cap)
			out[n++] = ch;
		else
			fits = false;
	}
	if (quote && !at_end(s))
		s->i++;
	out[n] = 0;
	/* Leading and trailing blanks are not part of a URL (WHATWG URL
	 * parsing strips them). */
	size_t a = 0;
	while (out[a] == ' ' || out[a] == '\t' || out[a] == '\n')
		a++;
	if (a)
		memmove(out, out + a, strlen(out + a) + 1);
	for (size_t e = strlen(out); e > 0 && (out[e - 1] == ' ' || out[e - 1] == '\n'); e--)
		out[e - 1] = 0;
	return fits;
}

/* rel is a set of space-separated keywords: "stylesheet", "icon",
 * "shortcut icon", "preload stylesheet". */
static bool rel_has(const char *rel, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = rel; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t k = strcspn(p, " \t");
		if (k == n && strncasecmp(p, word, n) == 0)
			return true;
		p += k;
	}
	return false;
}

static void add_ref(struct ww_html_refs *out, enum ww_html_ref_kind kind, const char *url,
		    bool fits, size_t offset)
{
	if (!*url)
		return;
	for (size_t k = 0; k < out->n; k++)
		if (strcmp(out->ref[k].url, url) == 0)
			return;
	if (!fits || out->n == WW_HTML_MAX_REFS) {
		out->dropped++;
		return;
	}
	struct ww_html_ref *r = &out->ref[out->n++];
	r->kind = kind;
	r->offset = offset;
	snprintf(r->url, sizeof r->url, "%s", url);
}

/* The attributes of one tag, up to its '>'. */
static void read_tag(struct scan *s, const char *tag, size_t start, struct ww_html_refs *out)
{
	char name[16], rel[64] = "", url[WW_HTML_REF_MAX] = "", value[WW_HTML_REF_MAX];
	bool url_fits = true;
	const char *want = strcmp(tag, "link") == 0 ? "href" : "src";
	while (!at_end(s) && s->p[s->i] != '>') {
		skip_spaces(s);
		if (!at_end(s) && s->p[s->i] == '/') {
			s->i++;
			continue;
		}
		if (at_end(s) || s->p[s->i] == '>')
			break;
		read_name(s, name, sizeof name, true);
		skip_spaces(s);
		value[0] = 0;
		bool fits = true;
		if (!at_end(s) && s->p[s->i] == '=') {
			s->i++;
			skip_spaces(s);
			fits = read_value(s, value, sizeof value);
		} else if (!name[0] && !at_end(s)) {
			s->i++; /* a stray '=' or the like: step over it */
		}
		if (strcmp(name, "rel") == 0) {
			/* Keywords are short: a longer rel is cut, not refused. */
			size_t k = strnlen(value, sizeof rel - 1);
			memcpy(rel, value, k);
			rel[k] = 0;
		} else if (strcmp(name, want) == 0 && !url[0]) {
			memcpy(url, value, sizeof url);
			url_fits = fits;
		}
	}
	if (!at_end(s))
		s->i++;
	if (strcmp(tag, "img") == 0)
		add_ref(out, WW_HTML_IMAGE, url, url_fits, start);
	else if (strcmp(tag, "script") == 0)
		add_ref(out, WW_HTML_SCRIPT, url, url_fits, start);
	else if (rel_has(rel, "stylesheet"))
		add_ref(out, WW_HTML_STYLESHEET, url, url_fits, start);
	else if (rel_has(rel, "icon"))
		add_ref(out, WW_HTML_ICON, url, url_fits, start);
}

void ww_html_refs(const uint8_t *doc, size_t len, struct ww_html_refs *out)
{
	memset(out, 0, sizeof *out);
	struct scan s = { doc, len, 0 };
	while (!at_end(&s)) {
		if (doc[s.i] != '<') {
			s.i++;
			continue;
		}
		size_t start = s.i;
		if (starts_nocase(&s, "<!--")) {
			s.i += 4;
			skip_past(&s, "-->");
			continue;
		}
		s.i++;
		char tag[16];
		read_name(&s, tag, sizeof tag, false);
		bool loads = strcmp(tag, "link") == 0 || strcmp(tag, "script") == 0 ||
			     strcmp(tag, "img") == 0;
		if (loads) {
			read_tag(&s, tag, start, out);
		} else {
			/* Another tag: step to its end, quotes and all, so a '>'
			 * in an attribute value does not end it. */
			uint8_t q = 0;
			while (!at_end(&s) && (q || doc[s.i] != '>')) {
				if (q && doc[s.i] == q)
					q = 0;
				else if (!q && (doc[s.i] == '"' || doc[s.i] == '\''))
					q = doc[s.i];
				s.i++;
			}
			if (!at_end(&s))
				s.i++;
		}
		/* Raw text: its content is not markup. */
		if (strcmp(tag, "script") == 0)
			skip_past(&s, "</script");
		else if (strcmp(tag, "style") == 0)
			skip_past(&s, "</style");
	}
}

const char *ww_html_ref_kind_name(enum ww_html_ref_kind k)
{
	switch (k) {
	case WW_HTML_STYLESHEET: return "stylesheet";
	case WW_HTML_SCRIPT: return "script";
	case WW_HTML_IMAGE: return "image";
	case WW_HTML_ICON: return "icon";
	}
	return "?";
}
