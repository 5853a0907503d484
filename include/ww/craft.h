/* Crafting expressions: a frame written the way Scapy users write one,
 * with the field names of Wireshark.
 *
 *   ip(dst=192.0.2.10, ttl=1)/icmp(type=echo-request)
 *   eth(dst=ff:ff:ff:ff:ff:ff)/arp(op=request, tpa=192.168.1.1)
 *   ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000)
 *   ip(dst=192.0.2.10)/tcp(flags=A, seq=$reply.tcp.ack, ack=$reply.tcp.seq + 1)
 *   ip(dst=192.0.2.10)/tcp(dport=80, flags=PA)/"GET / HTTP/1.0\r\n\r\n"
 *
 * Grammar (blanks are free between tokens; # starts a comment):
 *
 *   expr   := layer ('/' layer)*
 *   layer  := NAME ['(' [assign (',' assign)*] ')'] | STRING
 *   assign := FIELD '=' value | value            (the bare value: raw only)
 *   NAME   := eth | vlan | arp | ip | icmp | udp | tcp | raw
 *             (also Ether Dot1Q IP ARP ICMP UDP TCP Raw: case does not matter)
 *   FIELD  := a crafting alias (ttl, dst, flags), a Wireshark name
 *             (ip.ttl), or the Wireshark name without its protocol
 *             (hdr_len, flags.df); arp also takes sha spa tha tpa, tcp
 *             its options mss wscale sackok tsval tsecr and options=BYTES,
 *             ip options=BYTES, raw load=BYTES
 *   value  := see ww/expr.h: numbers, addresses, names (echo-request, SA,
 *             DF), "text", de:ad:be:ef, $last/$reply/$N.field, + - *
 *
 * Values are the field's on the wire: by an alias in the wire's units
 * (ihl=6, 32-bit words, as Scapy), by a Wireshark name in Wireshark's
 * (ip.hdr_len=24, bytes). Setting a field twice keeps the last.
 *
 * Building fills what was not set the way a stack would: addresses from
 * the interface; the Ethernet destination from routing and ARP (through
 * the environment's callback) or broadcast for an ARP request; type and
 * protocol numbers from the layer above; lengths and checksums computed by
 * the wire emitters. What was set is kept bit for bit, even when wrong
 * (a checksum, a length, a version). A missing Ethernet header is added.
 * Frames shorter than 60 bytes are padded with zeros, as a NIC does. */
#ifndef WW_CRAFT_H
#define WW_CRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/expr.h"
#include "ww/field.h"

struct ww_dissection;

#define WW_CRAFT_MAX_LAYERS 10
#define WW_CRAFT_MAX_SETS 24    /* assignments in one layer */
#define WW_CRAFT_MAX_DATA 9216  /* bytes of payload and byte-valued fields, all layers */
#define WW_CRAFT_MAX_FRAME 9216 /* the largest frame built (a jumbo frame) */

enum ww_craft_kind {
	WW_CRAFT_ETH, WW_CRAFT_VLAN, WW_CRAFT_ARP, WW_CRAFT_IP, WW_CRAFT_ICMP, WW_CRAFT_UDP,
	WW_CRAFT_TCP, WW_CRAFT_RAW,
	WW_CRAFT_NKINDS,
};

/* One FIELD=value, converted to what the field holds. */
struct ww_craft_set {
	const struct ww_field *f;
	uint64_t v;          /* UINT, BOOL, IPV4: the raw bits (what Wireshark shows / mult) */
	uint8_t mac[6];      /* MAC */
	uint32_t off, len;   /* BYTES: in ww_craft.data */
	uint32_t pos, tlen;  /* where it was written */
};

struct ww_craft_layer {
	enum ww_craft_kind kind;
	bool implied;        /* added, not written (an eth under ip) */
	uint32_t pos, tlen;  /* where it was written */
	unsigned nsets;
	struct ww_craft_set sets[WW_CRAFT_MAX_SETS];
};

struct ww_craft {
	unsigned nlayers;
	struct ww_craft_layer layers[WW_CRAFT_MAX_LAYERS];
	uint32_t data_len;
	uint8_t data[WW_CRAFT_MAX_DATA];
};

/* Parse TEXT into C. With END NULL the whole text must be the
 * expression; otherwise parsing stops after the last layer (before a
 * blank and a word that is not '/') and *END says where. VARS resolves
 * $last, $reply and $N (NULL: no variables). 0, or -1 with ERR naming
 * the token at fault: "unknown field 'tll' in ip(...); did you mean 'ttl'?",
 * "ttl=300: out of range 0..255", "dst=192.0.2.300: not an IPv4 address". */
int ww_craft_parse(struct ww_craft *c, const char *text, size_t *end, const struct ww_vars *vars,
		   struct ww_expr_error *err);

/* What a stack knows about itself, for the fields left unset. */
struct ww_craft_env {
	uint8_t mac[6];   /* our MAC: eth.src, arp.src.hw_mac */
	uint32_t ip;      /* our IPv4 address (host order): ip.src, arp.src.proto_ipv4 */
	uint16_t ip_id;   /* ip.id of a datagram that sets none */
	uint16_t sport;   /* source port of a TCP or UDP header that sets none */
	/* The MAC of the next hop towards DST (routing, then ARP): 0, or -1
	 * with a reason in ERR ("no route to 203.0.113.99"). Asked only for
	 * an outer IPv4 destination when eth.dst was not set; broadcast and
	 * multicast destinations are mapped without asking. */
	int (*next_hop_mac)(void *arg, uint32_t dst, uint8_t mac[6], char *err, size_t errlen);
	void *arg;
};

/* Build the frame into BUF (CAP bytes); *LEN gets its length. 0, or -1
 * with ERR (a destination with no next hop, a frame too large). */
int ww_craft_build(const struct ww_craft *c, const struct ww_craft_env *env, uint8_t *buf,
		   size_t cap, size_t *len, struct ww_expr_error *err);

/* Does C open a TCP connection with a source port left to the stack (a
 * SYN without ACK and no sport)? A stack takes a fresh ephemeral port
 * for each connection; the shell does too, and keeps it for the
 * segments that follow. */
bool ww_craft_opens_connection(const struct ww_craft *c);

/* Is GOT an answer to SENT, as sr1 waits for one? An ARP reply from the
 * address asked about; an ICMP echo reply with the same identifier and
 * sequence number; an ICMP error quoting the datagram sent; a TCP or UDP
 * segment with the addresses and ports swapped; any other IPv4 datagram
 * of the same protocol with the addresses swapped. */
bool ww_craft_answers(const struct ww_dissection *sent, const struct ww_dissection *got);

/* "eth", "ip"...: the names layers are written with. */
const char *ww_craft_kind_name(enum ww_craft_kind k);

/* Tab completion inside an expression: the words that could stand where
 * WORD (the text being completed) ends BEFORE (the expression typed so
 * far, up to WORD's start): layer names after '/' or at the start, the
 * layer's field names after '(' or ',', the field's value names after
 * '='. Up to MAX into OUT; returns how many. */
size_t ww_craft_complete(const char *before, const char **out, size_t max);

#endif
