/* HSTS (RFC 6797): the compiled-in preload list, the store learned from
 * Strict-Transport-Security headers, and the http to https upgrade made
 * before anything is sent. See include/ww/url.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ww/url.h"

static int hsts_error(struct ww_error *err, const char *field, size_t off, const char *msg)
{
	if (err) {
		err->status = WW_INVALID;
		err->field = field;
		err->offset = (uint32_t)off;
		snprintf(err->msg, sizeof err->msg, "%s", msg);
	}
	return -1;
}

/* The preload list (Chromium's transport_security_state_static.json, in
 * miniature): the lab's example.com and www.example.com, each alone. Not
 * every name under them: http.example.com stays off the list, so the lab
 * can show the other way a browser learns HSTS, from a header sent after
 * a redirect to https (RFC 6797 §6.1), and why that first plain request
 * is the weak spot preloading closes. */
static const struct { const char *host; bool include_subdomains; } hsts_preload[] = {
	{ "example.com", false },
	{ "www.example.com", false },
	{ NULL, false },
};

/* HOST equals DOMAIN, or (if SUB) ends with "." DOMAIN: label boundary. */
static bool domain_match(const char *host, const char *domain, bool sub)
{
	size_t hl = strlen(host), dl = strlen(domain);
	if (hl == dl)
		return !strcmp(host, domain);
	return sub && hl > dl && host[hl - dl - 1] == '.' && !strcmp(host + hl - dl, domain);
}

void ww_hsts_init(struct ww_hsts *st) { memset(st, 0, sizeof *st); }

bool ww_hsts_known(const struct ww_hsts *st, const char *host, uint64_t now)
{
	if (host[0] == '[' || strspn(host, "0123456789.") == strlen(host))
		return false; /* an IP literal (RFC 6797 §8.3 step 3) */
	for (int i = 0; hsts_preload[i].host; i++)
		if (domain_match(host, hsts_preload[i].host, hsts_preload[i].include_subdomains))
			return true;
	for (unsigned i = 0; st && i < st->n; i++)
		if (st->e[i].expires > now && domain_match(host, st->e[i].host, st->e[i].include_subdomains))
			return true;
	return false;
}

bool ww_hsts_upgrade(const struct ww_url *u, const struct ww_hsts *st, uint64_t now, struct ww_url *out)
{
	if (out != u)
		*out = *u;
	if (u->is_https || u->host_kind != WW_URL_HOST_NAME || !ww_hsts_known(st, u->host, now))
		return false;
	strcpy(out->scheme, "https");
	out->is_https = true;
	if (out->port == WW_URL_HTTP_PORT)
		out->port = WW_URL_HTTPS_PORT;
	return true;
}

/* RFC 6797 §6.1 directives: max-age (required, digits, may be quoted) and
 * includeSubDomains, each at most once; unknown ones are ignored. */
static int parse_sts(const char *v, uint64_t *max_age, bool *sub, struct ww_error *err)
{
	bool seen_age = false;
	*sub = false;
	for (const char *p = v; *p;) {
		p += strspn(p, " \t");
		size_t dl = strcspn(p, ";"), nl = strcspn(p, "=; \t");
		const char *val = p + nl + strspn(p + nl, " \t");
		if (nl == 7 && !strncasecmp(p, "max-age", 7)) {
			if (seen_age || *val != '=')
				return hsts_error(err, "hsts.max_age", (size_t)(p - v), seen_age ? "max-age given twice" : "max-age without a value");
			val += 1 + strspn(val + 1, " \t");
			bool quoted = *val == '"';
			size_t digits = strspn(val + quoted, "0123456789");
			const char *after = val + quoted + digits;
			if (!digits || (quoted && *after++ != '"'))
				return hsts_error(err, "hsts.max_age", (size_t)(val - v), "max-age must be delta-seconds");
			after += strspn(after, " \t");
			if (*after && *after != ';')
				return hsts_error(err, "hsts.max_age", (size_t)(after - v), "junk after max-age");
			*max_age = 0;
			for (size_t i = 0; i < digits; i++) /* clamp: a year of centuries is forever */
				*max_age = *max_age > 1000000000000ull ? *max_age : *max_age * 10 + (uint64_t)(val[quoted + i] - '0');
			seen_age = true;
		} else if (nl == 17 && !strncasecmp(p, "includeSubDomains", 17)) {
			if (*sub)
				return hsts_error(err, "hsts.directive", (size_t)(p - v), "includeSubDomains given twice");
			*sub = true;
		}
		p += dl;
		if (*p == ';')
			p++;
	}
	if (!seen_age)
		return hsts_error(err, "hsts.max_age", 0, "no max-age directive");
	return 0;
}

int ww_hsts_note(struct ww_hsts *st, const struct ww_url *u, const char *value, uint64_t now,
		 struct ww_error *err)
{
	uint64_t age = 0;
	bool sub;
	if (!u->is_https || u->host_kind != WW_URL_HOST_NAME)
		return 0;
	if (parse_sts(value, &age, &sub, err))
		return -1;
	unsigned i = 0;
	while (i < st->n && strcmp(st->e[i].host, u->host))
		i++;
	if (!age) { /* §6.1.1: max-age=0 means forget */
		if (i == st->n)
			return 0;
		st->e[i] = st->e[--st->n];
		return 1;
	}
	if (i == st->n && st->n == WW_HSTS_MAX) { /* full: drop what expires first */
		i = 0;
		for (unsigned j = 1; j < st->n; j++)
			if (st->e[j].expires < st->e[i].expires)
				i = j;
	} else if (i == st->n) {
		st->n++;
	}
	strcpy(st->e[i].host, u->host);
	st->e[i].expires = now + age;
	st->e[i].include_subdomains = sub;
	return 1;
}
