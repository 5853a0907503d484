/* DNS messages printed as dig prints them (BIND's message rendering), so
 * a person can hold wirewalk's answer beside dig's; and the steps of a
 * lookup, as `dig +trace` shows them and more: which server was asked,
 * why that one, what it said. */
#include <string.h>

#include "cmd_dns_int.h"
#include "ww/ipv4.h"

void dns_print_rr(FILE *out, const char *prefix, const struct ww_dns_rr *rr)
{
	char line[WW_DNS_TEXT_MAX * 4];
	ww_dns_rr_text(rr, WW_DNS_TEXT_COLUMNS, line, sizeof line);
	fprintf(out, "%s%s\n", prefix, line);
}

void dns_print_header(FILE *out, const struct ww_dns_msg *m)
{
	static const struct { uint16_t bit; const char *name; } flags[] = {
		{ WW_DNS_QR, "qr" }, { WW_DNS_AA, "aa" }, { WW_DNS_TC, "tc" }, { WW_DNS_RD, "rd" },
		{ WW_DNS_RA, "ra" }, { WW_DNS_AD, "ad" }, { WW_DNS_CD, "cd" },
	};
	char rc[16], op[16];
	unsigned opcode = WW_DNS_OPCODE(m->h.flags);
	const char *opname = ww_tok_str(ww_dns_opcode_names, opcode);
	if (!opname) {
		snprintf(op, sizeof op, "OPCODE%u", opcode);
		opname = op;
	}
	fprintf(out, ";; ->>HEADER<<- opcode: %s, status: %s, id: %u\n", opname,
		ww_dns_rcode_str(ww_dns_rcode(m), rc), m->h.id);
	fputs(";; flags:", out);
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (m->h.flags & flags[i].bit)
			fprintf(out, " %s", flags[i].name);
	fprintf(out, "; QUERY: %u, ANSWER: %u, AUTHORITY: %u, ADDITIONAL: %u\n", m->h.qdcount,
		m->h.ancount, m->h.nscount, m->h.arcount);
}

void dns_print_sections(FILE *out, const struct ww_dns_msg *m)
{
	static const char *const names[3] = { "ANSWER", "AUTHORITY", "ADDITIONAL" };
	char line[WW_DNS_TEXT_MAX * 4];
	const struct ww_dns_rr *opt = ww_dns_opt_find(m);
	if (opt) {
		ww_dns_rr_text(opt, 0, line, sizeof line);
		fprintf(out, "\n;; OPT PSEUDOSECTION:\n%s\n", line);
	}
	if (m->nq) {
		fputs("\n;; QUESTION SECTION:\n", out);
		for (unsigned i = 0; i < m->nq; i++) {
			ww_dns_question_text(&m->q[i], WW_DNS_TEXT_COLUMNS, line, sizeof line);
			fprintf(out, "%s\n", line);
		}
	}
	for (int sec = WW_DNS_ANSWER; sec <= WW_DNS_ADDITIONAL; sec++) {
		unsigned n, shown = 0;
		const struct ww_dns_rr *rr = ww_dns_section_rrs(m, (enum ww_dns_section)sec, &n);
		for (unsigned i = 0; i < n; i++) {
			if (rr[i].type == WW_DNS_OPT)
				continue;
			if (!shown++)
				fprintf(out, "\n;; %s SECTION:\n", names[sec]);
			dns_print_rr(out, "", &rr[i]);
		}
	}
	fputc('\n', out);
}

void dns_print_short(FILE *out, const struct ww_dns_msg *m)
{
	char line[WW_DNS_TEXT_MAX * 4];
	unsigned n;
	const struct ww_dns_rr *rr = ww_dns_section_rrs(m, WW_DNS_ANSWER, &n);
	for (unsigned i = 0; i < n; i++) {
		ww_dns_rdata_text(&rr[i], line, sizeof line);
		fprintf(out, "%s\n", line);
	}
}

void dns_print_payload(FILE *out, const uint8_t *p, size_t n, size_t max)
{
	size_t shown = n < max ? n : max;
	for (size_t i = 0; i < shown; i++) {
		if (p[i] == '\n')
			fputs("\\n", out);
		else if (p[i] == '\\')
			fputs("\\\\", out);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			fputc(p[i], out);
		else
			fprintf(out, "\\x%02x", p[i]);
	}
	if (shown < n)
		fprintf(out, "... (%zu bytes more)", n - shown);
}

/* ---- steps -------------------------------------------------------------------- */

/* What a response says, in short: its answer, or else its authority and
 * glue — the records `dig +trace` prints for each step. */
static void step_records(FILE *out, const char *ind, const struct ww_dns_msg *m)
{
	unsigned n;
	const struct ww_dns_rr *rr = ww_dns_section_rrs(m, WW_DNS_ANSWER, &n);
	if (n) {
		for (unsigned i = 0; i < n; i++)
			dns_print_rr(out, ind, &rr[i]);
		return;
	}
	rr = ww_dns_section_rrs(m, WW_DNS_AUTHORITY, &n);
	for (unsigned i = 0; i < n; i++)
		dns_print_rr(out, ind, &rr[i]);
	rr = ww_dns_section_rrs(m, WW_DNS_ADDITIONAL, &n);
	for (unsigned i = 0; i < n; i++)
		if (rr[i].type == WW_DNS_A || rr[i].type == WW_DNS_AAAA)
			dns_print_rr(out, ind, &rr[i]);
}

static void step_query(struct dns_trace *t, const char *ind, const struct ww_resolve_step *s)
{
	char name[WW_DNS_TEXT_MAX], type[16], a[16];
	ww_dns_name_text(s->qname, WW_DNS_NAME_FQDN, name, sizeof name);
	ww_ipv4_str(s->server, a);
	if (t->queries++ && s->depth == 0)
		fputc('\n', t->out);
	fprintf(t->out, "%s;; query %u: %s %s to %s#%u", ind, t->queries, name,
		ww_dns_type_str(s->qtype, type), a, s->port);
	if (s->server_name[0])
		fprintf(t->out, " (%s)", s->server_name);
	fprintf(t->out, ", RD=%d, id 0x%04x, from port %u\n", s->rd, s->id, s->sport);
	if (s->why)
		fprintf(t->out, "%s;;   chosen: %s\n", ind, s->why);
}

void dns_print_step(void *arg, const struct ww_resolve_step *s)
{
	struct dns_trace *t = arg;
	char ind[2 * WW_RES_MAX_DEPTH_LIMIT + 1];
	unsigned d = s->depth < WW_RES_MAX_DEPTH_LIMIT ? s->depth : WW_RES_MAX_DEPTH_LIMIT;
	memset(ind, ' ', 2 * d);
	ind[2 * d] = '\0';
	if (!t->all) {
		/* Without +trace, only what a person waiting should hear. */
		if (s->kind == WW_STEP_RETRY && s->text)
			fprintf(t->out, ";; %s\n", s->text);
		fflush(t->out);
		return;
	}
	char a[16];
	switch (s->kind) {
	case WW_STEP_QUERY:
		step_query(t, ind, s);
		break;
	case WW_STEP_RESPONSE:
		step_records(t->out, ind, s->msg);
		fprintf(t->out, "%s;; Received %zu bytes from %s#%u", ind, s->raw_len,
			ww_ipv4_str(s->server, a), s->port);
		if (s->server_name[0])
			fprintf(t->out, "(%s)", s->server_name);
		fprintf(t->out, " in %.3f ms\n", (double)s->rtt_ns / 1e6);
		break;
	default:
		if (s->text)
			fprintf(t->out, "%s;; %s\n", ind, s->text);
	}
	fflush(t->out);
}
