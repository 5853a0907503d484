/* Shared between the DNS files of src/wire (names, messages, text,
 * dissection); not part of the public API. */
#ifndef WW_DNS_PRIV_H
#define WW_DNS_PRIV_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/dns.h"

/* Record an error at frame offset OFF (not the cursor's position: a bad
 * compression pointer is reported where the pointer is). No-op if an
 * error is already recorded. Returns -1. */
int ww_dns_fail(struct ww_cursor *c, enum ww_status st, const char *field, uint32_t off,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Frame offset of MSG + POS for a cursor whose buffer contains MSG. */
static inline uint32_t ww_dns_frame_off(const struct ww_cursor *c, const uint8_t *msg, size_t pos)
{
	return c->base + (uint32_t)((size_t)(msg - c->buf) + pos);
}

/* ww_dns_rr_parse, but with KEEP false the bytes of TXT, OPT and unknown
 * rdata are checked and left in the message, not copied (no size limit). */
int ww_dns_rr_parse_keep(struct ww_cursor *c, const uint8_t *msg, size_t msg_len,
			 struct ww_dns_rr *rr, bool keep);

/* Names already written in the message being emitted, for compression:
 * each entry is a suffix (uncompressed wire form) and the offset where it
 * starts in the output. RFC 1035 §4.1.4 pointers reach offsets < 0x4000. */
#define WW_DNS_COMP_MAX 128
struct ww_dns_comp {
	unsigned n;
	struct {
		const uint8_t *wire;
		uint8_t len;
		uint16_t off;
	} e[WW_DNS_COMP_MAX];
};

/* The output of an emit in progress. A write past CAP, or a malformed
 * name, sets `bad` and writes nothing further. */
struct ww_dns_out {
	uint8_t *buf;
	size_t cap, pos;
	bool bad;
	bool no_compress;
	struct ww_dns_comp comp;
};

/* Write NAME at OUT's position, as a pointer to an earlier copy of its
 * longest suffix when COMPRESS allows and there is one. */
void ww_dns_name_put(struct ww_dns_out *out, const struct ww_dns_name *name, bool compress);

/* Is this a well-formed name (labels 1..63, total <= 255, ends at root)? */
bool ww_dns_name_valid(const struct ww_dns_name *n);

/* What tshark 4.0 shows for LEN bytes of text (its format_text()): printable
 * characters as they are, non-printable ASCII as C escapes, non-printable
 * Unicode as \uHHHH, invalid UTF-8 as U+FFFD. Appends to BUF at *POS (up to
 * CAP, always NUL-terminated if CAP > 0); *POS counts what the whole text
 * needs. */
void ww_dns_tshark_text(const uint8_t *s, size_t len, char *buf, size_t cap, size_t *pos);

/* Does tshark show code point UC as itself (GLib's g_unichar_isprint())? */
bool ww_dns_unichar_printable(uint32_t uc);

/* The dotted string tshark builds before formatting a name: its length
 * and its count of '.' (tshark's dns.qry.name.len and dns.count.labels
 * derive from them). For the root: "<Root>", 6, 0. */
void ww_dns_name_raw_stats(const struct ww_dns_name *n, unsigned *raw_len, unsigned *dots);

/* Bounded append for the text functions: like snprintf at BUF + *POS,
 * advancing *POS by what was needed. */
void ww_dns_putf(char *buf, size_t cap, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ww_dns_putc(char *buf, size_t cap, size_t *pos, char ch);

#endif
