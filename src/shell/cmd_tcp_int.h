/* Between the TCP's commands (cmd_tcp.c) and the way they show a
 * connection (cmd_tcp_view.c). */
#ifndef WW_CMD_TCP_INT_H
#define WW_CMD_TCP_INT_H

#include <stdio.h>

#include "ww/tcpconn.h"

/* `tcp status`: the RFC's variables, relative to ISS and IRS. */
void tcp_print_status(FILE *out, const struct ww_tcb *c, uint64_t now);
/* `tcp ladder`: the exchange as a sequence diagram, numbers relative. */
void tcp_print_ladder(FILE *out, const struct ww_tcb *c);
/* `tcp list`: every connection kept, CURRENT marked, and the listeners. */
void tcp_print_list(FILE *out, const struct ww_tcp_host *h, unsigned current, uint64_t now);
/* `tcp stats`: the counters above zero (ALL: every one). */
void tcp_print_stats(FILE *out, const struct ww_tcp_host *h, bool all);
/* "192.168.1.5:49152 > 192.0.2.10:80" */
char *tcp_endpoints(const struct ww_tcb *c, char *buf, size_t len);

/* Argument helpers the TCP's commands share with TLS's (cmd_tls.c). */
struct ww_shell;
/* A number from MIN to MAX; otherwise an error "CMD: WHAT 'S' is not a
 * number from MIN to MAX" is printed and -1 returned. */
int tcp_parse_uint(struct ww_shell *sh, const char *cmd, const char *what, const char *s,
		   unsigned long min, unsigned long max, unsigned long *v);
/* Seconds, fractions too ("0.5"), into NS; else an error and -1. */
int tcp_parse_secs(struct ww_shell *sh, const char *cmd, const char *s, uint64_t *ns);
/* C's escapes (\r \n \t \0 \\ \" \' \xHH) into OUT (room for strlen(IN)
 * bytes): the length, or -1 with *BAD at the escape that is not one. */
long tcp_unescape(const char *in, uint8_t *out, const char **bad);
/* Bytes as text: control bytes other than \t \r \n as \xHH. */
void tcp_print_text(FILE *out, const uint8_t *p, size_t n);

#endif
