/* Shared by cmd_dns.c (dns, the name lookups other commands make),
 * cmd_dns_print.c (dig's way of printing) and cmd_udp.c (udp). */
#ifndef WW_CMD_DNS_INT_H
#define WW_CMD_DNS_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ww/dns.h"
#include "ww/resolver.h"
#include "ww/shell.h"

struct ww_session;


/* dig's presentation of a message: the header lines, the sections. */
void dns_print_header(FILE *out, const struct ww_dns_msg *m);
void dns_print_sections(FILE *out, const struct ww_dns_msg *m);
/* One record as dig aligns it, after PREFIX. */
void dns_print_rr(FILE *out, const char *prefix, const struct ww_dns_rr *rr);
/* dig +short: the rdata of every answer record, one a line. */
void dns_print_short(FILE *out, const struct ww_dns_msg *m);
/* What a lookup does, step by step (+trace prints every step; otherwise
 * only retries and failures). ARG is a struct dns_trace. */
struct dns_trace {
	FILE *out;
	bool all;           /* every step (+trace) */
	unsigned queries;   /* QUERY steps seen */
};
void dns_print_step(void *arg, const struct ww_resolve_step *s);
/* A UDP payload for a person: printable ASCII as it is, the rest escaped
 * (\n, \xNN); at most MAX bytes, then how many more. */
void dns_print_payload(FILE *out, const uint8_t *p, size_t n, size_t max);

int ww_cmd_udp(struct ww_shell *sh, int argc, char **argv);

#endif
