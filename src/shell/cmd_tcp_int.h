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

#endif
