/* Filters over a dissection, in Wireshark's display-filter names: what
 * `sniff` waits for, and what lessons and the grader check was sent or
 * received (the grader's `sent FILTER` / `received FILTER` take the first
 * word off and pass the rest here).
 *
 *   ip.src == 192.0.2.10 and tcp.flags.syn == 1
 *   tcp.flags == SA and tcp.ack == 1001
 *   icmp.type == echo-reply or (arp and not arp.opcode == request)
 *   ip.addr == 192.0.2.0/24 and tcp.port == 80
 *   tcp.flags & R
 *   dns.qry.name == www.example.com
 *   data.data contains "HTTP/1.1 200"
 *   tcp.ack == $reply.tcp.seq + 1
 *
 * Grammar (keywords in any case; # starts a comment):
 *
 *   filter  := or | (nothing: every frame matches)
 *   or      := and (('or' | '||') and)*
 *   and     := not (('and' | '&&') not)*
 *   not     := ('not' | '!') not | '(' or ')' | test
 *   test    := PROTOCOL                 a layer of it is in the frame: tcp, arp
 *            | FIELD                    the field is in the frame
 *            | FIELD op value
 *   op      := == != < <= > >= (or eq ne lt le gt ge) | & (any bit set)
 *            | contains (bytes and text)
 *   FIELD   := a Wireshark name (tcp.seq_raw), PROTOCOL.ALIAS (tcp.seq),
 *              or ip.addr, eth.addr, tcp.port, udp.port (source or
 *              destination)
 *   value   := as in ww/expr.h, typed by the field: numbers, value names
 *              (SA, echo-request, ARP), addresses (an IPv4 network as
 *              A.B.C.D/N), text, bytes, $reply.tcp.seq + 1
 *
 * As in Wireshark 4.0, a field that occurs more than once (a header quoted
 * in an ICMP error) passes a test if any occurrence does, but a != b needs
 * a there and no occurrence equal to b; a test on a field that is not in
 * the frame fails. Values of variables are taken when the filter is parsed. */
#ifndef WW_FILTER_H
#define WW_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/expr.h"

struct ww_dissection;

#define WW_FILTER_MAX_NODES 64
#define WW_FILTER_MAX_DATA 1024

enum ww_filter_kind { WW_FN_OR, WW_FN_AND, WW_FN_NOT, WW_FN_PROTO, WW_FN_PRESENT, WW_FN_CMP };
enum ww_filter_op {
	WW_OP_EQ, WW_OP_NE, WW_OP_LT, WW_OP_LE, WW_OP_GT, WW_OP_GE, WW_OP_BITAND, WW_OP_CONTAINS,
};

struct ww_filter_node {
	enum ww_filter_kind kind;
	enum ww_filter_op op;
	int a, b;                     /* children: OR and AND both, NOT a */
	const struct ww_field *f, *f2; /* the field; f2: the other of ip.addr's two */
	const struct ww_protocol *proto;
	bool by_alias;                /* compare in the wire's units (ip.ihl) */
	uint8_t prefix;               /* IPv4: the bits compared (32 unless A.B.C.D/N) */
	enum ww_vtype vtype;
	uint64_t v;
	uint8_t mac[6];
	uint32_t off, len;            /* bytes: in ww_filter.data */
};

struct ww_filter {
	int root; /* -1: the empty filter, every frame matches */
	unsigned n;
	struct ww_filter_node nodes[WW_FILTER_MAX_NODES];
	size_t data_len;
	uint8_t data[WW_FILTER_MAX_DATA];
};

/* Parse TEXT into F. With END NULL the whole text must be the filter;
 * otherwise parsing stops before the first token that cannot continue it
 * and *END says where. VARS resolves $last, $reply, $N (NULL: none). 0, or
 * -1 with ERR naming the token at fault ("unknown field 'tcp.flgs'; did
 * you mean 'tcp.flags'?"). */
int ww_filter_parse(struct ww_filter *f, const char *text, size_t *end, const struct ww_vars *vars,
		    struct ww_expr_error *err);
bool ww_filter_match(const struct ww_filter *f, const struct ww_dissection *d);
static inline bool ww_filter_empty(const struct ww_filter *f) { return f->root < 0; }

/* Tab completion: the words that could stand next after BEFORE (the
 * filter typed so far): field and protocol names, or after a comparison
 * the field's value names. Up to MAX into OUT; returns how many. */
size_t ww_filter_complete(const char *before, const char **out, size_t max);

#endif
