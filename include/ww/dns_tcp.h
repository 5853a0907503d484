/* DNS over TCP (RFC 7766, RFC 1035 §4.2.2) for the resolver: when an
 * answer comes back over UDP with TC=1, the same query goes again over a
 * TCP connection of our own TCP to the same server, each message with a
 * two-byte length in front, and the whole answer goes back to the lookup
 * that waits for it (ww_resolver_tcp_answer).
 *
 * Pure like the TCP under it: no clock, no printing; driven by the TCP's
 * notify callback. One connection per query, closed once the answer is
 * in (RFC 7766 §6.2.1 allows keeping it; a lesson sees more this way). */
#ifndef WW_DNS_TCP_H
#define WW_DNS_TCP_H

struct ww_tcp_host;
struct ww_resolver;
struct ww_dns_tcp;

/* Becomes R's TCP hook. NULL if out of memory. */
struct ww_dns_tcp *ww_dns_tcp_new(struct ww_tcp_host *h, struct ww_resolver *r);
/* Aborts the exchanges still running and takes the hook off R. */
void ww_dns_tcp_free(struct ww_dns_tcp *d);

#endif
