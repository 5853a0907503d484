/* The IPv4 routing table: longest-prefix match (RFC 1812 §5.2.4.3), and an
 * explanation of each decision for a person ("192.0.2.10 matches only the
 * default route: via the gateway 192.168.1.1"). Pure: no I/O, no clock. */
#ifndef WW_ROUTE_H
#define WW_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WW_ROUTE_MAX 32

/* Where an entry came from. */
enum ww_route_origin {
	WW_ROUTE_CONNECTED, /* the interface's own subnet: on-link */
	WW_ROUTE_DEFAULT,   /* 0.0.0.0/0 via the configured gateway */
	WW_ROUTE_STATIC,    /* added by hand (`route add`) */
};

struct ww_route {
	uint32_t net;     /* host order, host bits zero */
	uint8_t prefix;   /* 0..32 */
	uint32_t gw;      /* 0: on-link (deliver straight to the destination) */
	enum ww_route_origin origin;
};

struct ww_route_table {
	struct ww_route r[WW_ROUTE_MAX];
	size_t n;
};

/* What a lookup decided. */
struct ww_route_result {
	bool found;
	int index;         /* the entry that matched, -1 if none */
	struct ww_route route;
	uint32_t next_hop; /* whose MAC the frame goes to: gw, or the destination itself */
	unsigned candidates; /* how many entries matched (the longest won) */
};

/* The mask of a /PREFIX, host order (0 for /0). */
uint32_t ww_prefix_mask(uint8_t prefix);
/* Parse "A.B.C.D/N" (or a bare address, /32). 0, or -1 for a malformed one. */
int ww_prefix_parse(const char *s, uint32_t *net, uint8_t *prefix);

void ww_route_init(struct ww_route_table *t);
/* Add NET/PREFIX via GW (0: on-link). Host bits of NET must be zero.
 * 0, or -1 with WHY for a person ("192.168.1.5/24 has host bits set; the
 * network is 192.168.1.0/24", "an entry for 10.0.0.0/8 exists", "the
 * routing table is full"). */
int ww_route_add(struct ww_route_table *t, uint32_t net, uint8_t prefix, uint32_t gw,
		 enum ww_route_origin origin, char *why, size_t whylen);
/* Remove the entry for exactly NET/PREFIX. 0, or -1 if there is none. */
int ww_route_del(struct ww_route_table *t, uint32_t net, uint8_t prefix);
/* Longest-prefix match; among entries of equal length the first added wins. */
struct ww_route_result ww_route_lookup(const struct ww_route_table *t, uint32_t dst);
/* Explain the lookup of DST line by line, for `route lookup`: every entry,
 * whether it matches and why, which one won and where the frame goes.
 * Returns the length written (truncated to LEN - 1). */
size_t ww_route_explain(const struct ww_route_table *t, uint32_t dst, char *buf, size_t len);
/* "connected", "default", "static". */
const char *ww_route_origin_name(enum ww_route_origin o);

#endif
