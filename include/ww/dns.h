/* DNS messages (RFC 1035; AAAA RFC 3596; OPT RFC 6891). Names are followed
 * through compression pointers on parse, with protection against loops,
 * forward pointers, depth and bounds; emit compresses.
 *
 * A parsed message is a plain struct with fixed storage (no allocation):
 * the header, up to WW_DNS_MAX_QUESTIONS questions and WW_DNS_MAX_RRS
 * records, each with typed rdata (A, AAAA, CNAME, NS, PTR, SOA, MX, TXT,
 * OPT) or, for any other type, its rdata bytes. Names are kept in their
 * uncompressed wire form, so nothing is lost to escaping and comparisons
 * are exact. The struct is large (about 86 KB): keep it in static storage
 * or inside a longer-lived object, not in a small stack frame. */
#ifndef WW_DNS_H
#define WW_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

#define WW_DNS_HLEN 12
#define WW_DNS_PORT 53
#define WW_DNS_NAME_MAX 255  /* wire form, RFC 1035 §2.3.4 */
#define WW_DNS_LABEL_MAX 63
/* Presentation form of any legal name with NUL: every byte may become a
 * four-character escape ("\255"). */
#define WW_DNS_TEXT_MAX 1024
#define WW_DNS_UDP_MAX 512   /* largest UDP message without EDNS (RFC 1035 §4.2.1) */

/* Limits of the fixed storage in struct ww_dns_msg. A message beyond them
 * is refused with an error naming the count (dns.count.answers...). */
#define WW_DNS_MAX_QUESTIONS 8
#define WW_DNS_MAX_RRS 64     /* answer + authority + additional */
#define WW_DNS_RDATA_MAX 1024 /* bytes of TXT, OPT options or unknown rdata */
/* Compression pointers followed within one name. Pointers must also point
 * strictly backwards, so a loop is impossible anyway; the limit bounds the
 * work a hostile message can cause. */
#define WW_DNS_MAX_POINTERS 64

/* Header flag bits (the 16-bit flags word). */
#define WW_DNS_QR 0x8000
#define WW_DNS_AA 0x0400
#define WW_DNS_TC 0x0200
#define WW_DNS_RD 0x0100
#define WW_DNS_RA 0x0080
#define WW_DNS_AD 0x0020
#define WW_DNS_CD 0x0010
#define WW_DNS_OPCODE(f) (((f) >> 11) & 0xf)
#define WW_DNS_RCODE(f) ((f) & 0xf)
#define WW_DNS_OPCODE_QUERY 0
#define WW_DNS_OPCODE_UPDATE 5 /* RFC 2136: the counts are zones, prerequisites, updates */

enum ww_dns_type {
	WW_DNS_A = 1, WW_DNS_NS = 2, WW_DNS_CNAME = 5, WW_DNS_SOA = 6, WW_DNS_PTR = 12,
	WW_DNS_MX = 15, WW_DNS_TXT = 16, WW_DNS_AAAA = 28, WW_DNS_OPT = 41, WW_DNS_ANY = 255,
};
enum ww_dns_rcode {
	WW_DNS_NOERROR = 0, WW_DNS_FORMERR = 1, WW_DNS_SERVFAIL = 2, WW_DNS_NXDOMAIN = 3,
	WW_DNS_NOTIMP = 4, WW_DNS_REFUSED = 5,
	WW_DNS_BADVERS = 16, /* needs OPT's extended rcode bits (RFC 6891 §6.1.3) */
};
#define WW_DNS_CLASS_IN 1
#define WW_DNS_CLASS_CH 3
#define WW_DNS_CLASS_HS 4
#define WW_DNS_CLASS_ANY 255

/* Fields the emitter keeps as given instead of computing. Parse sets none
 * of them: compression makes re-emitted bytes differ from another
 * implementation's anyway, and a kept length would then be wrong. */
#define WW_DNS_MANUAL_COUNTS 0x01   /* ww_dns_msg.manual: keep h.qdcount..arcount */
#define WW_DNS_RR_MANUAL_RDLEN 0x01 /* ww_dns_rr.manual: keep rdlen */

struct ww_dns_header {
	uint16_t id, flags;
	uint16_t qdcount, ancount, nscount, arcount;
};

/* A domain name in uncompressed wire form: length-prefixed labels ending
 * with the zero-length root label. The root alone is len 1, wire "\0". */
struct ww_dns_name {
	uint8_t len;
	uint8_t wire[WW_DNS_NAME_MAX];
};

/* RFC 1035 §4.1.2. Field names as Scapy's DNSQR. */
struct ww_dns_question {
	struct ww_dns_name qname;
	uint16_t qtype, qclass;
};

enum ww_dns_section { WW_DNS_ANSWER, WW_DNS_AUTHORITY, WW_DNS_ADDITIONAL };

/* RFC 1035 §3.3.13 */
struct ww_dns_soa {
	struct ww_dns_name mname, rname;
	uint32_t serial, refresh, retry, expire, minimum;
};

/* RFC 1035 §3.3.9 */
struct ww_dns_mx {
	uint16_t preference;
	struct ww_dns_name exchange;
};

struct ww_dns_bytes {
	uint16_t len;
	uint8_t b[WW_DNS_RDATA_MAX];
};

/* A resource record (RFC 1035 §4.1.3). For OPT (RFC 6891 §6.1.2) the class
 * is the requestor's UDP payload size and the TTL holds the extended rcode
 * (8 bits), the version (8), DO (1) and Z (15): read them with the
 * ww_dns_opt_* helpers below. */
struct ww_dns_rr {
	struct ww_dns_name rrname;
	uint16_t type, rclass;
	uint32_t ttl;
	uint16_t rdlen;          /* filled by emit unless WW_DNS_RR_MANUAL_RDLEN */
	uint8_t section;         /* enum ww_dns_section */
	uint8_t manual;
	union {
		uint32_t a;             /* A, host order */
		uint8_t aaaa[16];       /* AAAA */
		struct ww_dns_name name; /* CNAME, NS, PTR */
		struct ww_dns_soa soa;
		struct ww_dns_mx mx;
		/* TXT: the character-strings as on the wire, each with its length
		 * byte (ww_dns_txt_next walks them); OPT: the options as on the
		 * wire (code, length, data); any other type: the rdata. */
		struct ww_dns_bytes bytes;
	} rd;
	/* Where parse found the record, as offsets from the message start
	 * (emit ignores them): the record, its rdata, and for SOA the bytes
	 * the first name took in place (the second follows it). */
	uint16_t off, rdata_off, rd_name_len;
};

struct ww_dns_msg {
	struct ww_dns_header h; /* counts filled by emit unless WW_DNS_MANUAL_COUNTS */
	uint8_t manual;
	bool no_compress;       /* emit every name in full (to show what compression saves) */
	uint16_t nq, nrr;
	uint16_t nsec[3];       /* records per section; rr[] holds them in section order */
	uint16_t trailing;      /* parse: bytes after the last record (not kept, not emitted) */
	struct ww_dns_question q[WW_DNS_MAX_QUESTIONS];
	struct ww_dns_rr rr[WW_DNS_MAX_RRS];
};

/* Rows of ww_dns_fields, so code names a row without a search by name:
 * &ww_dns_fields[WW_DNS_F_QNAME]. The fixed header first, in wire order. */
enum ww_dns_field_row {
	WW_DNS_F_ID, WW_DNS_F_FLAGS, WW_DNS_F_QR, WW_DNS_F_OPCODE, WW_DNS_F_AA, WW_DNS_F_TC,
	WW_DNS_F_RD, WW_DNS_F_RA, WW_DNS_F_Z, WW_DNS_F_AD, WW_DNS_F_CD, WW_DNS_F_RCODE,
	WW_DNS_F_QDCOUNT, WW_DNS_F_ANCOUNT, WW_DNS_F_NSCOUNT, WW_DNS_F_ARCOUNT,
	/* UPDATE's names for the first three counts (RFC 2136 §2.2). */
	WW_DNS_F_ZOCOUNT, WW_DNS_F_PRCOUNT, WW_DNS_F_UPCOUNT,
	/* A question. */
	WW_DNS_F_QNAME, WW_DNS_F_QNAME_LEN, WW_DNS_F_LABELS, WW_DNS_F_QTYPE, WW_DNS_F_QCLASS,
	/* A record, then its rdata by type. */
	WW_DNS_F_RRNAME, WW_DNS_F_TYPE, WW_DNS_F_CLASS, WW_DNS_F_TTL, WW_DNS_F_RDLEN,
	WW_DNS_F_A, WW_DNS_F_AAAA, WW_DNS_F_CNAME, WW_DNS_F_NS, WW_DNS_F_PTR,
	WW_DNS_F_MX_PREF, WW_DNS_F_MX_NAME, WW_DNS_F_TXT_LEN, WW_DNS_F_TXT,
	WW_DNS_F_SOA_MNAME, WW_DNS_F_SOA_RNAME, WW_DNS_F_SOA_SERIAL, WW_DNS_F_SOA_REFRESH,
	WW_DNS_F_SOA_RETRY, WW_DNS_F_SOA_EXPIRE, WW_DNS_F_SOA_MINIMUM,
	/* OPT: its class, its TTL's parts, its options. */
	WW_DNS_F_UDP_SIZE, WW_DNS_F_EXT_RCODE, WW_DNS_F_VERSION, WW_DNS_F_OPT_Z, WW_DNS_F_OPT_DO,
	WW_DNS_F_OPT_ZRES, WW_DNS_F_OPT, WW_DNS_F_OPT_CODE, WW_DNS_F_OPT_LEN, WW_DNS_F_OPT_DATA,
	WW_DNS_F_DATA,                         /* rdata of a type not decoded */
	WW_DNS_F_EXTRA, WW_DNS_F_EXTRA_LEN,    /* bytes after the last record */
	WW_DNS_F_LENGTH,                       /* over TCP: the two-byte length in front */
	WW_DNS_F_END,                          /* the row whose name is NULL */
};

extern const struct ww_field ww_dns_fields[WW_DNS_F_END + 1];
extern const struct ww_tok ww_dns_type_names[];
extern const struct ww_tok ww_dns_rcode_names[];
extern const struct ww_tok ww_dns_class_names[];
extern const struct ww_tok ww_dns_opcode_names[];

/* ---- names (RFC 1035 §3.1, §4.1.4) ---- */

/* Read a name at the cursor, following compression pointers. MSG and
 * MSG_LEN are the whole message (pointers are offsets from MSG); the
 * cursor must lie inside it. A pointer must point strictly before the
 * start of the labels read just before it, so every hop goes backwards and
 * no loop can form; at most WW_DNS_MAX_POINTERS are followed. Labels over
 * 63 bytes (the reserved label types 0x40 and 0x80) and names over 255
 * bytes are invalid. The cursor ends after the name's bytes in place. FIELD
 * names the field in errors ("dns.qry.name"). 0, or -1 with the error set. */
int ww_dns_name_parse(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
		      struct ww_dns_name *n, const char *field);

/* Presentation forms. */
enum ww_dns_name_style {
	/* "example.com", root "<Root>"; odd bytes escaped as dig does
	 * ("a\.b", "sp\032ace"). */
	WW_DNS_NAME_PLAIN,
	/* "example.com.", root "." — dig's and zone files' form. */
	WW_DNS_NAME_FQDN,
	/* What tshark 4.0 shows: labels joined by '.', nothing escaped for
	 * being special in a name; non-printable ASCII as C escapes ("\001",
	 * "\n"), non-printable Unicode as "\uHHHH", bad UTF-8 as U+FFFD;
	 * root "<Root>". */
	WW_DNS_NAME_TSHARK,
};
/* Write N's text to BUF (always NUL-terminated if CAP > 0). Returns the
 * length the whole text needs, as snprintf does. */
size_t ww_dns_name_text(const struct ww_dns_name *n, enum ww_dns_name_style style, char *buf,
			size_t cap);
/* Parse presentation form: labels separated by '.', an optional final
 * '.', escapes "\X" and "\DDD"; "" "." and "<Root>" are the root. ERR may
 * be NULL. 0, or -1 with ERR saying what is wrong (field dns.qry.name). */
int ww_dns_name_from_text(struct ww_dns_name *n, const char *text, struct ww_error *err);
void ww_dns_name_root(struct ww_dns_name *n);
/* Names compare without regard to ASCII case (RFC 4343). */
bool ww_dns_name_eq(const struct ww_dns_name *a, const struct ww_dns_name *b);
/* Is N equal to ZONE or below it? (Every name is in the root zone.) */
bool ww_dns_name_in_zone(const struct ww_dns_name *n, const struct ww_dns_name *zone);
unsigned ww_dns_name_labels(const struct ww_dns_name *n);

/* ---- messages ---- */

int ww_dns_header_parse(struct ww_cursor *c, struct ww_dns_header *h);
/* One question / one record at the cursor, which lies inside MSG. A
 * record's rdata must be exactly what its type requires. */
int ww_dns_question_parse(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
			  struct ww_dns_question *q);
int ww_dns_rr_parse(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
		    struct ww_dns_rr *rr);
/* A whole message. The cursor covers exactly the message (a UDP payload,
 * or a TCP message after its length prefix); it is left after the last
 * record. Counts larger than the bytes there are truncation naming the
 * count; more records than the storage holds is an invalid/limit error
 * naming the count. */
int ww_dns_parse_cur(struct ww_cursor *c, struct ww_dns_msg *m);
int ww_dns_parse(const uint8_t *msg, size_t len, struct ww_dns_msg *m, struct ww_error *err);
/* Write the message, compressing names (RFC 1035 §4.1.4; for rdata only in
 * the types whose names RFC 3597 §4 allows: NS, CNAME, SOA, PTR, MX).
 * Counts and RDLENGTHs are filled unless manual. Returns the length, or 0
 * if CAP is too small or the struct holds a malformed name. */
size_t ww_dns_emit(const struct ww_dns_msg *m, uint8_t *buf, size_t cap);

/* Do two records carry the same data? (Names exactly, not case-folded.) */
bool ww_dns_rr_equal(const struct ww_dns_rr *a, const struct ww_dns_rr *b);

/* ---- building ---- */

/* An empty message with this id and flags word. */
void ww_dns_msg_init(struct ww_dns_msg *m, uint16_t id, uint16_t flags);
/* A standard query for NAME (presentation form) of TYPE in class IN, RD
 * set if asked: the bytes `dig +noedns +noad` sends. 0, or -1 if NAME is
 * not a valid name. */
int ww_dns_query_init(struct ww_dns_msg *m, uint16_t id, const char *name, uint16_t type,
		      bool rd);
/* Append a question; NULL if there are WW_DNS_MAX_QUESTIONS already. */
struct ww_dns_question *ww_dns_question_add(struct ww_dns_msg *m, const struct ww_dns_name *name,
					    uint16_t qtype, uint16_t qclass);
/* Add a record of class IN at the end of SECTION (later sections move up);
 * rdata zeroed. NULL if the message is full. */
struct ww_dns_rr *ww_dns_rr_add(struct ww_dns_msg *m, enum ww_dns_section section,
				const struct ww_dns_name *name, uint16_t type, uint32_t ttl);
/* Add an OPT record (root name, no options) to the additional section. */
struct ww_dns_rr *ww_dns_opt_add(struct ww_dns_msg *m, uint16_t udp_size, bool do_bit);
/* Append one character-string (at most 255 bytes) to a TXT record. */
int ww_dns_txt_add(struct ww_dns_rr *rr, const void *s, size_t n);
/* Walk a TXT record's strings: start with *POS = 0; false at the end. */
bool ww_dns_txt_next(const struct ww_dns_rr *rr, size_t *pos, const uint8_t **s, size_t *n);

/* The first record of SECTION and how many there are. */
const struct ww_dns_rr *ww_dns_section_rrs(const struct ww_dns_msg *m, enum ww_dns_section section,
					   unsigned *n);
/* The OPT record, if the message has one in its additional section. */
const struct ww_dns_rr *ww_dns_opt_find(const struct ww_dns_msg *m);
/* The response code with OPT's upper 8 bits (RFC 6891 §6.1.3). */
unsigned ww_dns_rcode(const struct ww_dns_msg *m);

static inline uint16_t ww_dns_opt_udp_size(const struct ww_dns_rr *rr) { return rr->rclass; }
static inline uint8_t ww_dns_opt_ext_rcode(const struct ww_dns_rr *rr) { return (uint8_t)(rr->ttl >> 24); }
static inline uint8_t ww_dns_opt_version(const struct ww_dns_rr *rr) { return (uint8_t)(rr->ttl >> 16); }
static inline bool ww_dns_opt_do(const struct ww_dns_rr *rr) { return (rr->ttl >> 15) & 1; }
static inline uint16_t ww_dns_opt_z(const struct ww_dns_rr *rr) { return (uint16_t)(rr->ttl & 0x7fff); }

/* ---- presentation, as dig prints ---- */

/* "A", "AAAA"... or "TYPE65280" for a type whose rdata is not decoded
 * here (RFC 3597 §5). BUF needs 16 bytes. */
const char *ww_dns_type_str(uint16_t type, char *buf);
const char *ww_dns_class_str(uint16_t rclass, char *buf); /* "IN", or "CLASS7" */
const char *ww_dns_rcode_str(unsigned rcode, char *buf);  /* "NXDOMAIN", or "RCODE23" */

#define WW_DNS_TEXT_COLUMNS 0x01 /* align as dig does (tab stops at 24, 32, 40, 48) */
/* One record on one line: "example.com.\t86400\tIN\tA\t192.0.2.10" (with
 * WW_DNS_TEXT_COLUMNS, dig's exact spacing). An OPT record gives dig's
 * pseudo-section line "; EDNS: version: 0, flags: do; udp: 1232". Returns
 * the length needed, as snprintf. */
size_t ww_dns_rr_text(const struct ww_dns_rr *rr, unsigned flags, char *buf, size_t cap);
/* The rdata alone: "10 mail.example.com.", "\"v=spf1 -all\"", "\# 4 DEADBEEF". */
size_t ww_dns_rdata_text(const struct ww_dns_rr *rr, char *buf, size_t cap);
/* dig's question line: ";example.com.\t\t\tIN\tA". */
size_t ww_dns_question_text(const struct ww_dns_question *q, unsigned flags, char *buf,
			    size_t cap);

struct ww_dissection;
struct ww_layer;
/* The cursor covers exactly the DNS message (the UDP payload). Items equal
 * what tshark 4.0 shows; bytes after the last record are dns.extraneous. */
struct ww_layer *ww_dns_dissect(struct ww_dissection *d, struct ww_cursor *c);
/* DNS over TCP (RFC 1035 §4.2.2, RFC 7766): a two-byte length, then the
 * message. Plausible when the N bytes hold exactly one whole message from
 * the first byte (no reassembly: a message cut across segments, or the
 * rest of one, stays data), as TLS and HTTP over TCP are told. The layer
 * covers the length and the message; NULL when the message is malformed
 * (the dissection's error says why). */
bool ww_dns_tcp_plausible(const uint8_t *p, size_t n);
struct ww_layer *ww_dns_dissect_tcp(struct ww_dissection *d, struct ww_cursor *c);

#endif
