/* Field tables, after Wireshark's hf_register_info: each field of each
 * protocol is described once, and that one row drives the field tree, the
 * hexdump colouring, JSON output, tab completion, crafting, filters and the
 * grader. Names are Wireshark's display-filter names, so habits carry over.
 *
 * A field at a fixed place in its header has a bit offset and width; those
 * rows are read straight from the bytes (ww_dissect_fixed), so the table and
 * the wire cannot disagree. Fields whose place varies (options, DNS records)
 * have bit_off = -1 and are added by their protocol's dissector. A table
 * lists its fixed rows first, in header order: they are one run from the
 * first row to the first row whose place varies.
 *
 * Each protocol numbers its rows with an enum (WW_TCP_F_CHECKSUM) and
 * fills its table with designated initializers, so a dissector names a row
 * as &ww_tcp_fields[WW_TCP_F_CHECKSUM]: no search by name while a frame is
 * dissected. The name lookup (ww_field_find) is for people typing names. */
#ifndef WW_FIELD_H
#define WW_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ww_ftype {
	WW_FT_NONE,   /* a subtree heading, no value of its own */
	WW_FT_UINT,   /* unsigned number, up to 64 bits */
	WW_FT_BOOL,   /* one flag bit: 0 or 1 */
	WW_FT_MAC,    /* 6 bytes */
	WW_FT_IPV4,   /* value in `u`, host order */
	WW_FT_IPV6,   /* 16 bytes */
	WW_FT_BYTES,  /* raw bytes: payload, unknown options, unknown rdata */
	WW_FT_STRING, /* text: DNS names (no trailing dot), TXT strings */
};

enum ww_fbase { WW_BASE_DEC, WW_BASE_HEX };

/* Value-to-name table entry; every table ends with { 0, NULL }. */
struct ww_tok {
	uint32_t v;
	const char *s;
};

#define WW_F_BITS 0x01   /* vals are bit masks: the meaning lists every set bit */
#define WW_F_NESTED 0x02 /* a fixed field shown one level down (depth 1), beneath
			  * the word it is part of: tcp.flags.syn under tcp.flags */

struct ww_field {
	const char *name;  /* display-filter name: "ip.ttl" */
	const char *label; /* what Wireshark calls it: "Time to Live" */
	const char *alias; /* short name for crafting expressions ("ttl"), or NULL */
	enum ww_ftype type;
	enum ww_fbase base;
	int16_t bit_off;   /* bits from the start of the header, or -1 if it varies */
	uint8_t bit_width; /* for fixed fields */
	uint8_t mult;      /* shown value = raw * mult (ip.hdr_len: 4); 0 means 1 */
	uint8_t flags;     /* WW_F_* */
	const struct ww_tok *vals;
	const char *help;  /* one line: what it is for */
};

/* Name for V in TOKS, or NULL. */
const char *ww_tok_str(const struct ww_tok *toks, uint32_t v);
/* Find a field by name in a table terminated by a row with name == NULL. */
const struct ww_field *ww_field_find(const struct ww_field *table, const char *name);

#endif
