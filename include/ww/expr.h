/* Values as people type them, shared by crafting expressions
 * (`tcp(seq=$reply.tcp.ack, ack=$reply.tcp.seq + 1)`), filters
 * (`tcp.ack == 1001`) and the grader's checks: numbers (decimal, 0x hex),
 * dotted IPv4 addresses, MAC addresses, quoted text, names of values
 * (echo-request, S, SA, DF, ARP), variables naming a frame ($last,
 * $reply, $N) with field access ($reply.tcp.seq) and arithmetic (+ - *).
 *
 * Field names are Wireshark's display-filter names, or a protocol and a
 * crafting alias from the field tables (tcp.seq for tcp.seq_raw).
 *
 * Nothing here does I/O: a variable is resolved through a callback that
 * hands over the frame's bytes, and field access dissects them. */
#ifndef WW_EXPR_H
#define WW_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/field.h"

struct ww_dissection;

/* ---- errors ------------------------------------------------------------ */

#define WW_EXPR_MSG 192

/* What went wrong and where: POS and LEN mark the token at fault in the
 * text that was parsed, so a caller can underline it. */
struct ww_expr_error {
	size_t pos, len;
	char msg[WW_EXPR_MSG];
};

/* Record an error (the first one wins); always returns -1. */
int ww_expr_fail(struct ww_expr_error *err, size_t pos, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- protocols and field names ---------------------------------------- */

/* A protocol as dissections name their layers ("ip"), with its table. */
struct ww_protocol {
	const char *name;
	const struct ww_field *fields;
};

/* eth vlan arp ip icmp udp tcp dns data, then a row whose name is NULL. */
extern const struct ww_protocol ww_protocols[];
const struct ww_protocol *ww_protocol_find(const char *name, size_t len);

/* The field called NAME (LEN bytes): a Wireshark name ("tcp.seq_raw"), or
 * a protocol and one of its aliases ("tcp.seq"); *BY_ALIAS (if not NULL)
 * tells which. An alias counts in the units the wire uses (ip.ihl in
 * 32-bit words), a Wireshark name in the units Wireshark shows
 * (ip.hdr_len in bytes). NULL if there is no such field. */
const struct ww_field *ww_field_lookup(const char *name, size_t len, bool *by_alias);
/* The known field name (or protocol name) nearest to NAME, or NULL if
 * none is near enough to be what was meant. */
const char *ww_field_suggest(const char *name, size_t len);
/* The protocol a field row belongs to, or NULL. */
const struct ww_protocol *ww_field_protocol(const struct ww_field *f);

/* Of the candidates CAND[0..N), the one nearest to WORD (LEN bytes) by
 * edit distance, if it is near enough to be a typo; else NULL. */
const char *ww_nearest_word(const char *word, size_t len, const char *const *cand, size_t n);

/* ---- value names ------------------------------------------------------ */

/* The number a name stands for in field F: crafting names (echo-request,
 * port-unreachable, who-has, DF), the field's own value names when they are
 * one word (ARP, TCP, AAAA), TCP flag letters (S, SA, FPU; N is AE) and
 * names (SYN), true and false for booleans. Case does not matter. 0, or
 * -1 if the name means nothing in F. */
int ww_value_name(const struct ww_field *f, const char *s, size_t len, uint64_t *v);
/* The names F's values can be given by, for completion and suggestions:
 * up to MAX of them into OUT; returns how many. */
size_t ww_value_names(const struct ww_field *f, const char **out, size_t max);

/* ---- the lexer ---------------------------------------------------------- */

enum ww_lex_kind {
	WW_LEX_END,    /* end of the text, or a # comment */
	WW_LEX_ATOM,   /* a run of letters, digits, _ . : $ (and - between letters) */
	WW_LEX_STRING, /* "..." or '...' with \n \r \t \\ \" \' \0 \xNN escapes */
	WW_LEX_PUNCT,  /* ( ) , / = + - * ! < > & | == != <= >= && || */
	WW_LEX_BAD,    /* a character that has no place here, or an unterminated string */
};

struct ww_lexeme {
	enum ww_lex_kind kind;
	size_t pos, len; /* in the text; a STRING's quotes included */
	char op[3];      /* PUNCT: the operator, NUL-terminated */
};

/* The token at *POS (blanks skipped); *POS moves past it. */
void ww_lex(const char *s, size_t *pos, struct ww_lexeme *t);
/* The same without moving. */
void ww_lex_peek(const char *s, size_t pos, struct ww_lexeme *t);
/* Does token T spell WORD (case-insensitive, whole)? */
bool ww_lex_is(const char *s, const struct ww_lexeme *t, const char *word);
/* A STRING token's bytes, escapes decoded, into OUT (CAP bytes): the
 * length, or -1 (with ERR) for a bad escape or no room. */
long ww_lex_string(const char *s, const struct ww_lexeme *t, uint8_t *out, size_t cap,
		   struct ww_expr_error *err);

/* ---- values ------------------------------------------------------------- */

enum ww_vtype { WW_VAL_NUM, WW_VAL_MAC, WW_VAL_BYTES };

struct ww_value {
	enum ww_vtype type;
	bool arith;   /* computed with + - * (sequence numbers wrap, other fields do not) */
	bool ipv4;    /* written as, or read from, an IPv4 address */
	int64_t n;    /* NUM */
	uint8_t mac[6];
	uint8_t *p;   /* BYTES: in the context's buffer */
	size_t len;
};

/* Variables name frames: "last", "reply", "12". FRAME hands over the
 * frame's bytes (valid until the evaluation ends), or returns -1 with a
 * message for a person in ERR ("no reply yet: sr1 sets $reply"). */
struct ww_vars {
	int (*frame)(void *arg, const char *name, size_t len, const uint8_t **frame,
		     size_t *flen, char *err, size_t errlen);
	void *arg;
};

struct ww_expr_ctx {
	const struct ww_field *f;     /* the field the value is for (its names); or NULL */
	const struct ww_vars *vars;   /* NULL: no variables here */
	struct ww_dissection *scratch; /* for field access; NULL: one is allocated when needed */
	uint8_t *buf;                 /* where BYTES values are kept */
	size_t cap, used;
};

/* Evaluate the value at *POS in S: sum := product (('+'|'-') product)*,
 * product := unary ('*' unary)*, unary := '-' unary | '(' sum ')' | atom.
 * Stops before the first token that cannot continue it (',' ')' "and");
 * *POS is left there. 0, or -1 with ERR naming the token at fault. */
int ww_expr_eval(const char *s, size_t *pos, struct ww_expr_ctx *cx, struct ww_value *v,
		 struct ww_expr_error *err);

/* Parse a number: decimal, or hex after 0x. 0, or -1. */
int ww_parse_number(const char *s, size_t len, uint64_t *v);
/* A duration: seconds ("2", "1.5", "2s") or milliseconds ("500ms"), at
 * most a day. 0 with *MS set, or -1. */
int ww_parse_duration(const char *s, size_t len, unsigned *ms);

#endif
