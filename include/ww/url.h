/* URLs as a browser's first steps need them: parse (RFC 3986 §3, http and
 * https only), decide whether typed text is a URL or a search term the way
 * an omnibox does, upgrade to https through HSTS (RFC 6797) before anything
 * is sent, and resolve a redirect's Location against the current URL
 * (RFC 3986 §5.2).
 *
 * Pure functions over fixed storage: no I/O, no allocation, no state
 * outside the structs passed in. Time is passed in (seconds, any epoch the
 * caller keeps consistent). Errors use struct ww_error from the cursor:
 * status WW_INVALID, field naming the part at fault ("url.host",
 * "url.port", ...), offset the byte position in the text given, and a
 * message for a person. */
#ifndef WW_URL_H
#define WW_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"

#define WW_URL_MAX 2048       /* whole URL as text, with NUL */
#define WW_URL_SCHEME_MAX 8   /* "https" with NUL */
#define WW_URL_USERINFO_MAX 128
#define WW_URL_HOST_MAX 256   /* a DNS name is at most 253 characters */
#define WW_URL_FRAGMENT_MAX 512
#define WW_URL_HTTP_PORT 80
#define WW_URL_HTTPS_PORT 443

/* Where a search term goes: the lab's search page (DESIGN.md §1). */
#define WW_URL_SEARCH_PREFIX "http://example.com/search?q="

enum ww_url_host_kind {
	WW_URL_HOST_NAME,  /* a registered name, lower-cased */
	WW_URL_HOST_IPV4,  /* dotted quad; ipv4 holds the address */
	WW_URL_HOST_IPV6,  /* bracketed literal kept as text, brackets included */
};

/* RFC 3986 §3: scheme "://" [userinfo "@"] host [":" port] path ["?" query]
 * ["#" fragment]. Userinfo is kept but flagged: a browser warns about it
 * (it is how "http://bank.com@evil.example/" fools a reader) and never
 * sends it. The fragment stays with the client: ww_url_target leaves it
 * out of the request. Bytes above 0x7f in path, query and fragment are
 * percent-encoded on parse, so every part is ASCII. */
struct ww_url {
	char scheme[WW_URL_SCHEME_MAX];  /* "http" or "https" */
	bool is_https;
	bool has_userinfo;
	char userinfo[WW_URL_USERINFO_MAX];
	enum ww_url_host_kind host_kind;
	char host[WW_URL_HOST_MAX];
	uint32_t ipv4;                   /* host order, when host_kind is IPV4 */
	uint16_t port;                   /* the scheme's default if none was given */
	bool port_given;
	char path[WW_URL_MAX];           /* never empty: "/" by default */
	bool has_query;
	char query[WW_URL_MAX];          /* without the '?' */
	bool has_fragment;
	char fragment[WW_URL_FRAGMENT_MAX]; /* without the '#' */
};

int ww_url_parse(const char *text, struct ww_url *u, struct ww_error *err);

/* The URL as text (default port left out, fragment kept). Each returns the
 * length written, or -1 if it does not fit in N bytes (OUT is then ""). */
int ww_url_format(const struct ww_url *u, char *out, size_t n);
/* The request-target of an HTTP request line (RFC 9112 §3.2.1): path and
 * query; never the fragment. */
int ww_url_target(const struct ww_url *u, char *out, size_t n);
/* The Host header's value (RFC 9110 §7.2): the port only when not the
 * scheme's default. */
int ww_url_authority(const struct ww_url *u, char *out, size_t n);

/* Omnibox: text with a scheme ("https://...") is a URL; text with spaces
 * is a search; a single word is a URL if its host part is "localhost", an
 * IPv4 address, or a dotted name ending in an alphabetic label
 * (example.com, www.example.com/path); anything else is a search. */
enum ww_url_input { WW_INPUT_URL, WW_INPUT_SEARCH };
enum ww_url_input ww_url_classify(const char *input);

/* Typed text to a URL: a URL without scheme gets "http://"; a search term
 * becomes WW_URL_SEARCH_PREFIX plus the term form-encoded. Leading and
 * trailing white space is ignored. Returns what the input was taken for,
 * or -1 with ERR if it looked like a URL but does not parse. */
int ww_url_from_input(const char *input, struct ww_url *u, struct ww_error *err);

/* application/x-www-form-urlencoded (WHATWG URL §5.2): letters, digits and
 * "*-._" stay, space becomes '+', every other byte %XX. Returns the length,
 * or -1 if it does not fit. */
int ww_url_form_encode(const char *s, char *out, size_t n);

/* RFC 3986 §5.2 reference resolution on text, for any scheme: BASE must be
 * absolute; REF absolute or relative. Returns the length or -1 (with ERR,
 * field "url.reference"). */
int ww_url_resolve_text(const char *base, const char *ref, char *out, size_t n,
			struct ww_error *err);
/* A redirect's Location resolved against the URL it answered, then parsed:
 * the result must again be an http or https URL. The base's fragment is
 * dropped; a Location without fragment keeps none (RFC 3986 §5.2.2). */
int ww_url_resolve(const struct ww_url *base, const char *location, struct ww_url *out,
		   struct ww_error *err);

/* HSTS (RFC 6797). The preload list is a const table compiled in
 * (example.com with includeSubDomains, as in the lab); the dynamic store
 * learns from Strict-Transport-Security headers. */
#define WW_HSTS_MAX 32
struct ww_hsts_entry {
	char host[WW_URL_HOST_MAX];
	uint64_t expires;          /* now + max-age */
	bool include_subdomains;
};
struct ww_hsts {
	struct ww_hsts_entry e[WW_HSTS_MAX];
	unsigned n;
};

void ww_hsts_init(struct ww_hsts *st);
/* Known HSTS host at time NOW, by the preload list or STORE (may be NULL):
 * the host itself, or a superdomain with includeSubDomains, matched on
 * label boundaries (RFC 6797 §8.2). IP literals never match. */
bool ww_hsts_known(const struct ww_hsts *st, const char *host, uint64_t now);
/* If U is http and its host is known, OUT becomes U with scheme https and,
 * when the port was 80 (given or default), port 443 (RFC 6797 §8.3).
 * Returns whether it upgraded; OUT is a copy of U either way. */
bool ww_hsts_upgrade(const struct ww_url *u, const struct ww_hsts *st, uint64_t now,
		     struct ww_url *out);
/* A Strict-Transport-Security header VALUE received from U at time NOW
 * (RFC 6797 §6.1, §8.1): max-age=0 forgets the host. Returns 1 if the
 * store changed, 0 if the header was ignored as the RFC asks (received
 * over http, or from an IP literal), -1 with ERR if it is malformed
 * (field "hsts.max_age" or "hsts.directive"). A full store drops the
 * entry that expires first. */
int ww_hsts_note(struct ww_hsts *st, const struct ww_url *u, const char *value, uint64_t now,
		 struct ww_error *err);

#endif
