/* One JSON object per frame, for programs: tests, the grader, `--json`.
 * Fields are grouped by their protocol prefix ("ip" of "ip.src") in the
 * order the prefixes first appear, so the header quoted in an ICMP error
 * joins the "ip" group; a name that occurs more than once (DNS answers,
 * the quoted header's fields) becomes an array of its values in frame
 * order. Values are what `tshark -T fields -e NAME` prints. Never colour. */
#include <inttypes.h>
#include <string.h>

#include "view_int.h"

/* A JSON string (RFC 8259 §7): quote, backslash and control characters
 * escaped; bytes that are not UTF-8 written as \u00XX, so the output is
 * always valid JSON whatever the frame holds. */
static void put_string(FILE *out, const uint8_t *p, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n;) {
		uint8_t c = p[i];
		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			i++;
		} else if (c >= 0x20 && c < 0x7f) {
			fputc(c, out);
			i++;
		} else {
			size_t u = c >= 0x80 ? vw_utf8_seq(p + i, n - i, NULL) : 0;
			if (u) {
				fwrite(p + i, 1, u, out);
				i += u;
			} else {
				fprintf(out, "\\u%04x", c);
				i++;
			}
		}
	}
	fputc('"', out);
}

static void put_cstring(FILE *out, const char *s)
{
	put_string(out, (const uint8_t *)s, strlen(s));
}

/* Bytes as tshark -T fields prints them: lower-case hex, no separators. */
static void put_hex_string(FILE *out, const uint8_t *p, uint32_t n)
{
	static const char digits[] = "0123456789abcdef";
	fputc('"', out);
	for (uint32_t i = 0; p && i < n; i++) {
		fputc(digits[p[i] >> 4], out);
		fputc(digits[p[i] & 15], out);
	}
	fputc('"', out);
}

static void put_value(FILE *out, const struct ww_item *it)
{
	char buf[64];
	switch (it->f->type) {
	case WW_FT_UINT:
	case WW_FT_BOOL:
		fprintf(out, "%" PRIu64, it->u);
		break;
	case WW_FT_IPV4:
	case WW_FT_MAC:
		put_cstring(out, ww_fmt_value(it, buf, sizeof buf));
		break;
	case WW_FT_IPV6:
		if (it->p && it->plen == 16)
			put_cstring(out, ww_fmt_ipv6(it->p, buf));
		else /* not an address: show the bytes */
			put_hex_string(out, it->p, it->plen);
		break;
	case WW_FT_STRING:
		put_string(out, it->p, it->p ? it->plen : 0);
		break;
	default:
		put_hex_string(out, it->p, it->plen);
	}
}

static bool same_name(const struct ww_item *a, const struct ww_item *b)
{
	return a->f == b->f || strcmp(a->f->name, b->f->name) == 0;
}

static bool same_prefix(const char *a, const char *b)
{
	size_t n = vw_prefix_len(a);
	return n == vw_prefix_len(b) && strncmp(a, b, n) == 0;
}

/* Field K's name and every value of that name from K on; marks them done. */
static void put_field(FILE *out, const struct ww_dissection *d, unsigned k, bool *done)
{
	unsigned count = 0;
	for (unsigned m = k; m < d->nitems; m++)
		count += same_name(&d->items[k], &d->items[m]);
	put_cstring(out, d->items[k].f->name);
	fputc(':', out);
	if (count > 1)
		fputc('[', out);
	bool first = true;
	for (unsigned m = k; m < d->nitems; m++) {
		if (!same_name(&d->items[k], &d->items[m]))
			continue;
		if (!first)
			fputc(',', out);
		put_value(out, &d->items[m]);
		done[m] = true;
		first = false;
	}
	if (count > 1)
		fputc(']', out);
}

/* The group of item I's prefix: every field of it not written yet. */
static void put_group(FILE *out, const struct ww_dissection *d, unsigned i, bool *done)
{
	const char *name = d->items[i].f->name;
	fputs("{\"name\":", out);
	put_string(out, (const uint8_t *)name, vw_prefix_len(name));
	fputs(",\"fields\":{", out);
	bool first = true;
	for (unsigned k = i; k < d->nitems; k++) {
		const struct ww_item *it = &d->items[k];
		if (done[k] || it->f->type == WW_FT_NONE || !same_prefix(name, it->f->name))
			continue;
		if (!first)
			fputc(',', out);
		put_field(out, d, k, done);
		first = false;
	}
	fputs("}}", out);
}

static void put_errors(FILE *out, const struct ww_dissection *d)
{
	fputs("\"errors\":[", out);
	for (unsigned i = 0; i < d->nerrors; i++) {
		const struct ww_error *e = &d->errors[i];
		fprintf(out, "%s{\"status\":\"%s\",\"field\":", i ? "," : "",
			e->status == WW_TRUNCATED ? "truncated" : "invalid");
		if (e->field)
			put_cstring(out, e->field);
		else
			fputs("null", out);
		fprintf(out, ",\"offset\":%u,\"message\":", e->offset);
		put_string(out, (const uint8_t *)e->msg, strnlen(e->msg, sizeof e->msg));
		fputc('}', out);
	}
	fputc(']', out);
}

void ww_view_json(FILE *out, const struct ww_dissection *d, unsigned frame_no)
{
	bool done[WW_MAX_ITEMS] = { false };
	fprintf(out, "{\"frame\":%u,\"len\":%u,\"layers\":[", frame_no, d->len);
	bool first = true;
	for (unsigned i = 0; i < d->nitems; i++) {
		/* Groups written so far marked all their items, so an item not
		 * done starts a prefix not seen before. */
		if (done[i] || d->items[i].f->type == WW_FT_NONE)
			continue;
		if (!first)
			fputc(',', out);
		put_group(out, d, i, done);
		first = false;
	}
	fputs("],", out);
	put_errors(out, d);
	fputc('}', out);
}

void ww_json_string(FILE *out, const char *s)
{
	put_cstring(out, s);
}
