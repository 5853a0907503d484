/* HTTP/1.x message heads (RFC 9112): the field table, the parser and the
 * dissector, one walk for both so they cannot disagree.
 *
 *   request-line  = method SP request-target SP HTTP-version CRLF   (§3)
 *   status-line   = HTTP-version SP status-code SP [ reason-phrase ] CRLF (§4)
 *   field-line    = field-name ":" OWS field-value OWS CRLF          (§5)
 *   then an empty line, then the body.
 *
 * As Wireshark 4.0 (checked with `tshark -T fields` on tests/captures):
 * every header line is http.request.line or http.response.line, its CRLF
 * included; a header Wireshark knows has a field of its own holding the
 * value after the colon and the blanks after it, to the end of the line;
 * http.content_length is Content-Length as a number. A bare LF ends a line
 * too (§2.2 allows a recipient to accept it). */
#include "ww/http_msg.h"

#include <string.h>
#include <strings.h>

#include "ww/dissect.h"

#define ROW(n, l, t, v, h) \
	{ .name = n, .label = l, .type = t, .bit_off = -1, .vals = v, .help = h }
#define STR(n, l, h) ROW(n, l, WW_FT_STRING, NULL, h)

const struct ww_tok ww_http_status_names[] = {
	{ 100, "Continue" }, { 101, "Switching Protocols" },
	{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" }, { 204, "No Content" },
	{ 206, "Partial Content" },
	{ 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" },
	{ 304, "Not Modified" }, { 307, "Temporary Redirect" }, { 308, "Permanent Redirect" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 408, "Request Timeout" },
	{ 411, "Length Required" }, { 413, "Content Too Large" }, { 414, "URI Too Long" },
	{ 415, "Unsupported Media Type" }, { 416, "Range Not Satisfiable" },
	{ 421, "Misdirected Request" }, { 426, "Upgrade Required" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 501, "Not Implemented" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	{ 505, "HTTP Version Not Supported" },
	{ 0, NULL },
};

const struct ww_field ww_http_fields[WW_HTTP_F_END + 1] = {
	[WW_HTTP_F_REQUEST] = ROW("http.request", "Request", WW_FT_BOOL, NULL,
				  "1 in a request: `http.request` finds them"),
	[WW_HTTP_F_RESPONSE] = ROW("http.response", "Response", WW_FT_BOOL, NULL,
				   "1 in a response: `http.response` finds them"),
	[WW_HTTP_F_METHOD] = STR("http.request.method", "Request Method",
				 "what the client asks: GET reads, POST sends data, HEAD only the "
				 "headers"),
	[WW_HTTP_F_URI] = STR("http.request.uri", "Request URI",
			      "the resource asked for: a path and query (or a whole URL to a proxy)"),
	[WW_HTTP_F_REQ_VERSION] = STR("http.request.version", "Request Version",
				      "HTTP/1.1 (persistent connections, Host required) or HTTP/1.0"),
	[WW_HTTP_F_RESP_VERSION] = STR("http.response.version", "Response Version",
				       "the version the server speaks"),
	[WW_HTTP_F_CODE] = ROW("http.response.code", "Status Code", WW_FT_UINT, ww_http_status_names,
			       "three digits: 2xx success, 3xx redirect, 4xx client error, 5xx "
			       "server error"),
	[WW_HTTP_F_PHRASE] = STR("http.response.phrase", "Response Phrase",
				 "words for a person; programs read the code"),
	[WW_HTTP_F_REQ_LINE] = STR("http.request.line", "Request line",
				   "one header line of a request, CRLF included"),
	[WW_HTTP_F_RESP_LINE] = STR("http.response.line", "Response line",
				    "one header line of a response, CRLF included"),
	[WW_HTTP_F_HOST] = STR("http.host", "Host",
			       "the name asked for: one address serves many sites (required in "
			       "HTTP/1.1)"),
	[WW_HTTP_F_USER_AGENT] = STR("http.user_agent", "User-Agent", "the client program"),
	[WW_HTTP_F_ACCEPT] = STR("http.accept", "Accept", "media types the client takes"),
	[WW_HTTP_F_ACCEPT_ENCODING] = STR("http.accept_encoding", "Accept Encoding",
					  "compressions the client can undo: gzip, br..."),
	[WW_HTTP_F_ACCEPT_LANGUAGE] = STR("http.accept_language", "Accept-Language",
					  "languages the reader prefers"),
	[WW_HTTP_F_REFERER] = STR("http.referer", "Referer", "the page that linked here"),
	[WW_HTTP_F_COOKIE] = STR("http.cookie", "Cookie", "state the server set, sent back"),
	[WW_HTTP_F_CONTENT_TYPE] = STR("http.content_type", "Content-Type",
				       "the body's media type: text/html, application/json..."),
	[WW_HTTP_F_CONTENT_LENGTH_HEADER] = STR("http.content_length_header", "Content-Length",
						"the body's length as written in the header"),
	[WW_HTTP_F_CONTENT_LENGTH] = ROW("http.content_length", "Content length", WW_FT_UINT, NULL,
					 "the body's length in bytes, as a number"),
	[WW_HTTP_F_CONTENT_ENCODING] = STR("http.content_encoding", "Content-Encoding",
					   "how the body is compressed (gzip)"),
	[WW_HTTP_F_TRANSFER_ENCODING] = STR("http.transfer_encoding", "Transfer-Encoding",
					    "chunked: the body comes in pieces, each with its "
					    "length, when it is not known up front"),
	[WW_HTTP_F_CONNECTION] = STR("http.connection", "Connection",
				     "keep-alive or close: whether the TCP connection stays open"),
	[WW_HTTP_F_SERVER] = STR("http.server", "Server", "the server program"),
	[WW_HTTP_F_DATE] = STR("http.date", "Date", "when the response was made"),
	[WW_HTTP_F_LAST_MODIFIED] = STR("http.last_modified", "Last-Modified",
					"when the resource last changed"),
	[WW_HTTP_F_LOCATION] = STR("http.location", "Location",
				   "where to go instead (3xx) or what was created (201)"),
	[WW_HTTP_F_SET_COOKIE] = STR("http.set_cookie", "Set-Cookie",
				     "state the client is to send back"),
	[WW_HTTP_F_CACHE_CONTROL] = STR("http.cache_control", "Cache-Control",
					"whether and how long the response may be cached"),
	[WW_HTTP_F_UPGRADE] = STR("http.upgrade", "Upgrade",
				  "a protocol to switch this connection to (websocket)"),
	[WW_HTTP_F_PARTIAL] = ROW("http.partial",
				  "Partial head: it goes on in the next segment (not reassembled)",
				  WW_FT_NONE, NULL,
				  "the segment ends before the blank line that ends the head"),
	[WW_HTTP_F_END] = { 0 },
};

#define FLD(row) (&ww_http_fields[row])
#define FN(row) (ww_http_fields[row].name)

/* Header names with a field of their own; compared without case (§5.1). */
static const struct {
	const char *name;
	int row;
} known_headers[] = {
	{ "Host", WW_HTTP_F_HOST },
	{ "User-Agent", WW_HTTP_F_USER_AGENT },
	{ "Accept", WW_HTTP_F_ACCEPT },
	{ "Accept-Encoding", WW_HTTP_F_ACCEPT_ENCODING },
	{ "Accept-Language", WW_HTTP_F_ACCEPT_LANGUAGE },
	{ "Referer", WW_HTTP_F_REFERER },
	{ "Cookie", WW_HTTP_F_COOKIE },
	{ "Content-Type", WW_HTTP_F_CONTENT_TYPE },
	{ "Content-Length", WW_HTTP_F_CONTENT_LENGTH_HEADER },
	{ "Content-Encoding", WW_HTTP_F_CONTENT_ENCODING },
	{ "Transfer-Encoding", WW_HTTP_F_TRANSFER_ENCODING },
	{ "Connection", WW_HTTP_F_CONNECTION },
	{ "Server", WW_HTTP_F_SERVER },
	{ "Date", WW_HTTP_F_DATE },
	{ "Last-Modified", WW_HTTP_F_LAST_MODIFIED },
	{ "Location", WW_HTTP_F_LOCATION },
	{ "Set-Cookie", WW_HTTP_F_SET_COOKIE },
	{ "Cache-Control", WW_HTTP_F_CACHE_CONTROL },
	{ "Upgrade", WW_HTTP_F_UPGRADE },
};

/* tchar (RFC 9110 §5.6.2): what a method or a header name is made of. */
static bool is_tchar(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool starts(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	return n >= k && memcmp(p, s, k) == 0;
}

bool ww_http_msg_plausible(const uint8_t *p, size_t n, bool http_port)
{
	if (starts(p, n, "HTTP/1."))
		return true;
	size_t i = 0;
	while (i < n && i < 20 && ((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '-' || p[i] == '_'))
		i++;
	if (i == 0 || i == n || p[i] != ' ')
		return false;
	p += i + 1;
	n -= i + 1;
	return starts(p, n, "/") || (http_port && (starts(p, n, "* ") || starts(p, n, "http://")));
}

/* "HTTP/" DIGIT "." DIGIT (§2.3). */
static bool is_version(const uint8_t *p, size_t n)
{
	return n == 8 && starts(p, n, "HTTP/") && p[5] >= '0' && p[5] <= '9' && p[6] == '.' &&
	       p[7] >= '0' && p[7] <= '9';
}

/* ---- the walk ------------------------------------------------------------ */

struct line {
	const uint8_t *p;
	uint32_t off;  /* frame offset */
	size_t len;    /* without the line end */
	size_t full;   /* with it */
	bool ended;    /* a LF ends it here (else the segment ends first) */
};

static bool next_line(struct ww_cursor *c, struct line *ln)
{
	size_t left = ww_cur_left(c);
	if (left == 0)
		return false;
	ln->p = ww_cur_here(c);
	ln->off = ww_cur_offset(c);
	const uint8_t *nl = memchr(ln->p, '\n', left);
	ln->ended = nl != NULL;
	ln->full = nl ? (size_t)(nl - ln->p) + 1 : left;
	ln->len = nl ? ln->full - 1 : left;
	if (ln->len && ln->p[ln->len - 1] == '\r')
		ln->len--;
	ww_cur_skip(c, ln->full, "http");
	return true;
}

struct walk {
	struct ww_cursor *c;
	struct ww_http_msg *m;
	struct ww_dissection *d;
	uint32_t start; /* frame offset of the message */
};

/* A piece of line LN, [A, B), as field ROW (an item when dissecting). */
static struct ww_http_span piece(struct walk *w, const struct line *ln, size_t a, size_t b,
				 int row, uint8_t depth)
{
	if (w->d)
		ww_item_bytes(w->d, FLD(row), ln->off + (uint32_t)a, (uint32_t)(b - a), depth,
			      ln->p + a, (uint32_t)(b - a));
	return (struct ww_http_span){ ln->off + (uint32_t)a - w->start, (uint32_t)(b - a) };
}

static int fail(struct walk *w, const struct line *ln, size_t at, int row, const char *msg)
{
	/* The cursor has moved past the line: point the error into it. */
	ww_cur_invalid(w->c, FN(row), "%s", msg);
	w->c->err.offset = ln->off + (uint32_t)at;
	return -1;
}

/* The request line. PARTIAL: the segment ends inside it; only what is
 * whole is shown. */
static int request_line(struct walk *w, const struct line *ln)
{
	const uint8_t *p = ln->p;
	size_t i = 0, n = ln->len;
	while (i < n && is_tchar(p[i]))
		i++;
	if (i == 0 || (i < n && p[i] != ' '))
		return fail(w, ln, i, WW_HTTP_F_METHOD, "no method before the first space");
	if (i == n && !ln->ended)
		return 0;
	w->m->method = piece(w, ln, 0, i, WW_HTTP_F_METHOD, 0);
	size_t u = ++i;
	while (i < n && p[i] != ' ')
		i++;
	if (i == n && !ln->ended)
		return 0;
	if (i == u)
		return fail(w, ln, u, WW_HTTP_F_URI, "no request target after the method");
	if (i == n)
		return fail(w, ln, i, WW_HTTP_F_REQ_VERSION,
			    "the request line ends without an HTTP version");
	w->m->uri = piece(w, ln, u, i, WW_HTTP_F_URI, 0);
	if (!ln->ended)
		return 0;
	if (!is_version(p + i + 1, n - i - 1))
		return fail(w, ln, i + 1, WW_HTTP_F_REQ_VERSION,
			    "the request line does not end with HTTP/x.y");
	w->m->version = piece(w, ln, i + 1, n, WW_HTTP_F_REQ_VERSION, 0);
	return 0;
}

static int status_line(struct walk *w, const struct line *ln)
{
	const uint8_t *p = ln->p;
	size_t n = ln->len;
	const uint8_t *sp = memchr(p, ' ', n);
	size_t v = sp ? (size_t)(sp - p) : n;
	if (!sp && !ln->ended)
		return 0;
	if (!is_version(p, v))
		return fail(w, ln, 0, WW_HTTP_F_RESP_VERSION, "the status line does not begin "
			    "with HTTP/x.y and a space");
	w->m->version = piece(w, ln, 0, v, WW_HTTP_F_RESP_VERSION, 0);
	if (!sp)
		return fail(w, ln, v, WW_HTTP_F_CODE, "the status line has no status code");
	size_t c = v + 1;
	if (n - c < 3 && !ln->ended)
		return 0;
	bool digits = n - c >= 3 && p[c] >= '1' && p[c] <= '5' && p[c + 1] >= '0' &&
		      p[c + 1] <= '9' && p[c + 2] >= '0' && p[c + 2] <= '9';
	if (!digits || (n - c > 3 && p[c + 3] != ' '))
		return fail(w, ln, c, WW_HTTP_F_CODE, "the status code is not three digits 100-599");
	w->m->code = (uint16_t)((p[c] - '0') * 100 + (p[c + 1] - '0') * 10 + (p[c + 2] - '0'));
	if (w->d)
		ww_item_uint(w->d, FLD(WW_HTTP_F_CODE), ln->off + (uint32_t)c, 3, 0, w->m->code);
	if (n - c > 3)
		w->m->phrase = piece(w, ln, c + 4, n, WW_HTTP_F_PHRASE, 0);
	return 0;
}

/* Content-Length's value as a number, if it is one (§8.6: 1*DIGIT). */
static void content_length(struct walk *w, const struct line *ln, size_t a)
{
	uint64_t v = 0;
	size_t i = a;
	for (; i < ln->len && ln->p[i] >= '0' && ln->p[i] <= '9' && i - a < 18; i++)
		v = v * 10 + (uint64_t)(ln->p[i] - '0');
	if (i > a && i == ln->len && w->d)
		ww_item_uint(w->d, FLD(WW_HTTP_F_CONTENT_LENGTH), ln->off + (uint32_t)a,
			     (uint32_t)(i - a), 1, v);
}

static void header_line(struct walk *w, const struct line *ln)
{
	int line_row = w->m->response ? WW_HTTP_F_RESP_LINE : WW_HTTP_F_REQ_LINE;
	w->m->nlines++;
	piece(w, ln, 0, ln->full, line_row, 0);
	const uint8_t *colon = ln->ended ? memchr(ln->p, ':', ln->len) : NULL;
	if (!colon)
		return;
	size_t name = (size_t)(colon - ln->p), v = name + 1;
	for (size_t i = 0; i < name; i++)
		if (!is_tchar(ln->p[i]))
			return;
	while (v < ln->len && (ln->p[v] == ' ' || ln->p[v] == '\t'))
		v++;
	for (size_t k = 0; k < sizeof known_headers / sizeof known_headers[0]; k++) {
		if (strlen(known_headers[k].name) != name ||
		    strncasecmp((const char *)ln->p, known_headers[k].name, name) != 0)
			continue;
		piece(w, ln, v, ln->len, known_headers[k].row, 1);
		if (known_headers[k].row == WW_HTTP_F_CONTENT_LENGTH_HEADER)
			content_length(w, ln, v);
		return;
	}
}

static int head_walk(struct ww_cursor *c, struct ww_http_msg *m, struct ww_dissection *d)
{
	memset(m, 0, sizeof *m);
	struct walk w = { .c = c, .m = m, .d = d, .start = ww_cur_offset(c) };
	struct line ln;
	if (!next_line(c, &ln))
		return ww_cur_truncated(c, FN(WW_HTTP_F_METHOD), 1);
	m->response = starts(ln.p, ln.len, "HTTP/");
	if (d)
		ww_item_uint(d, FLD(m->response ? WW_HTTP_F_RESPONSE : WW_HTTP_F_REQUEST), ln.off, 0,
			     0, 1);
	int rc = m->response ? status_line(&w, &ln) : request_line(&w, &ln);
	if (rc < 0)
		return -1;
	while (ln.ended && next_line(c, &ln)) {
		if (ln.len == 0 && ln.ended) {
			m->complete = true;
			break;
		}
		header_line(&w, &ln);
	}
	m->head_len = ww_cur_offset(c) - w.start;
	if (!m->complete && d)
		ww_item_add(d, FLD(WW_HTTP_F_PARTIAL), ww_cur_offset(c), 0, 0);
	return 0;
}

int ww_http_msg_parse(struct ww_cursor *c, struct ww_http_msg *m)
{
	return head_walk(c, m, NULL);
}

struct ww_layer *ww_http_msg_dissect(struct ww_dissection *d, struct ww_cursor *c)
{
	uint32_t off = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	struct ww_layer *l = ww_layer_add(d, WW_P_HTTP, "http", "Hypertext Transfer Protocol",
					  ww_http_fields, off);
	if (!l)
		return NULL;
	memset(&l->h, 0, sizeof l->h);
	struct ww_http_msg m;
	if (head_walk(c, &m, d) < 0) {
		l->len = (uint32_t)avail;
		ww_dissect_error(d, c);
		return NULL;
	}
	l->len = m.head_len;
	return l;
}
