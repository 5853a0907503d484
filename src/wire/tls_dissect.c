/* The TLS dissector: the records of one TCP segment, each with its header
 * and what it holds, as far as one segment shows it. Nothing is
 * reassembled and nothing is remembered from earlier frames (wire/ holds
 * no state), so:
 * - a record the segment's end cuts shows its header and what is here,
 *   with a note that it goes on (tls.record.partial); a ClientHello too
 *   big for one segment still shows its first fields, SNI often among them;
 * - a segment that begins inside a record (the rest of one) is not TLS
 *   here: its bytes are data, as Wireshark's "Ignored Unknown Record";
 * - encryption is judged from the segment: after a change_cipher_spec in
 *   it, handshake records and alerts are encrypted; otherwise a handshake
 *   record is read as messages only if its bytes are messages of known
 *   types whose lengths fill the record exactly (an encrypted Finished
 *   practically never is), and an alert only if it is 2 bytes.
 * Wireshark, which follows the connection, agrees on every frame of
 * tests/captures/tls.pcap (tests/read/compare_tshark.py). */
#include <string.h>

#include "ww/bytes.h"
#include "ww/dissect.h"
#include "tls_priv.h"

#define FLD(row) (&ww_tls_fields[row])

static uint32_t get24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)ww_get16(p + 1);
}

/* Do the HAVE bytes at P (of a record of RLEN bytes) hold handshake
 * messages of known types, one after the other, to the record's end? The
 * last one may go past HAVE (the segment ends) but not past RLEN. */
static bool messages_tile(const uint8_t *p, size_t have, size_t rlen)
{
	if (have == 0)
		return true;
	for (size_t at = 0; at < have;) {
		if (have - at < WW_TLS_HANDSHAKE_HEADER_LEN)
			return have < rlen; /* a header the segment's end cuts */
		if (!ww_tls_handshake_name(p[at]))
			return false;
		size_t len = get24(p + at + 1);
		if (len > rlen - at - WW_TLS_HANDSHAKE_HEADER_LEN)
			return false;
		at += WW_TLS_HANDSHAKE_HEADER_LEN + len;
	}
	return true;
}

/* One hello's fields. Its error is copied to C: a malformed hello stops
 * the dissection; one the segment's end cuts stops only its own walk. */
static int hello(struct ww_dissection *d, struct ww_cursor *c, uint8_t type, uint32_t len,
		 const uint8_t *body, size_t have, uint32_t off)
{
	struct ww_tls_hello h;
	memset(&h, 0, sizeof h);
	h.type = type;
	h.length = len;
	bool whole = have == len;
	struct ww_cursor mc;
	ww_cur_init(&mc, body, have, off);
	int rc = tls_hello_walk(&mc, &h, d, whole);
	if (rc == 0 && whole && ww_cur_left(&mc))
		rc = ww_cur_invalid(&mc, TLS_FN(WW_TLS_F_HS_LENGTH),
				    "%zu bytes after the hello's last field", ww_cur_left(&mc));
	if (rc < 0 && (whole || mc.err.status != WW_TRUNCATED)) {
		c->err = mc.err;
		return -1;
	}
	return 0;
}

/* The fragment of a handshake record: its messages, or one heading for
 * bytes that are not messages in the clear. */
static int handshake_record(struct ww_dissection *d, struct ww_cursor *c, const uint8_t *p,
			    size_t have, size_t rlen, uint32_t off, bool encrypted)
{
	if (encrypted || !messages_tile(p, have, rlen)) {
		if (have)
			ww_item_add(d, FLD(WW_TLS_F_HANDSHAKE_ENCRYPTED), off, (uint32_t)have, 1);
		return 0;
	}
	for (size_t at = 0; at + WW_TLS_HANDSHAKE_HEADER_LEN <= have;) {
		uint8_t type = p[at];
		uint32_t len = get24(p + at + 1);
		size_t body = have - at - WW_TLS_HANDSHAKE_HEADER_LEN;
		if (body > len)
			body = len;
		uint32_t moff = off + (uint32_t)at;
		ww_item_add(d, FLD(WW_TLS_F_HANDSHAKE), moff,
			    (uint32_t)(WW_TLS_HANDSHAKE_HEADER_LEN + body), 1);
		ww_item_uint(d, FLD(WW_TLS_F_HS_TYPE), moff, 1, 2, type);
		ww_item_uint(d, FLD(WW_TLS_F_HS_LENGTH), moff + 1, 3, 2, len);
		if ((type == WW_TLS_HS_CLIENT_HELLO || type == WW_TLS_HS_SERVER_HELLO) &&
		    hello(d, c, type, len, p + at + WW_TLS_HANDSHAKE_HEADER_LEN, body,
			  moff + WW_TLS_HANDSHAKE_HEADER_LEN) < 0)
			return -1;
		at += WW_TLS_HANDSHAKE_HEADER_LEN + body;
	}
	return 0;
}

/* A record whose header the segment's end cuts: what there is of it. */
static void cut_header(struct ww_dissection *d, struct ww_cursor *c)
{
	uint32_t off = ww_cur_offset(c);
	const uint8_t *p = ww_cur_here(c);
	size_t left = ww_cur_left(c);
	ww_item_add(d, FLD(WW_TLS_F_RECORD), off, (uint32_t)left, 0);
	ww_item_uint(d, FLD(WW_TLS_F_CONTENT_TYPE), off, 1, 1, p[0]);
	if (left >= 3)
		ww_item_uint(d, FLD(WW_TLS_F_RECORD_VERSION), off + 1, 2, 1, ww_get16(p + 1));
	ww_item_add(d, FLD(WW_TLS_F_PARTIAL), off + (uint32_t)left, 0, 1);
	ww_cur_skip(c, left, TLS_FN(WW_TLS_F_RECORD));
}

static int record(struct ww_dissection *d, struct ww_cursor *c, bool *encrypted)
{
	if (ww_cur_left(c) < WW_TLS_RECORD_HEADER_LEN) {
		cut_header(d, c);
		return 0;
	}
	uint32_t off = ww_cur_offset(c);
	struct ww_tls_record r;
	if (ww_tls_record_parse(c, &r) < 0)
		return -1;
	size_t have = ww_cur_left(c);
	if (have > r.length)
		have = r.length;
	bool whole = have == r.length;
	const uint8_t *p = ww_cur_here(c);
	uint32_t foff = off + WW_TLS_RECORD_HEADER_LEN;
	ww_item_add(d, FLD(WW_TLS_F_RECORD), off, (uint32_t)(WW_TLS_RECORD_HEADER_LEN + have), 0);
	ww_item_uint(d, FLD(WW_TLS_F_CONTENT_TYPE), off, 1, 1, r.type);
	ww_item_uint(d, FLD(WW_TLS_F_RECORD_VERSION), off + 1, 2, 1, r.version);
	ww_item_uint(d, FLD(WW_TLS_F_RECORD_LENGTH), off + 3, 2, 1, r.length);
	int rc = 0;
	switch (r.type) {
	case WW_TLS_CT_CHANGE_CIPHER_SPEC:
		if (have)
			ww_item_add(d, FLD(WW_TLS_F_CCS), foff, (uint32_t)have, 1);
		*encrypted = true;
		break;
	case WW_TLS_CT_ALERT:
		if (!*encrypted && whole && r.length == 2) {
			ww_item_add(d, FLD(WW_TLS_F_ALERT), foff, 2, 1);
			ww_item_uint(d, FLD(WW_TLS_F_ALERT_LEVEL), foff, 1, 2, p[0]);
			ww_item_uint(d, FLD(WW_TLS_F_ALERT_DESC), foff + 1, 1, 2, p[1]);
		} else if (have) {
			ww_item_add(d, FLD(WW_TLS_F_ALERT_ENCRYPTED), foff, (uint32_t)have, 1);
		}
		break;
	case WW_TLS_CT_HANDSHAKE:
		rc = handshake_record(d, c, p, have, r.length, foff, *encrypted);
		break;
	default: /* application_data: ww_tls_record_plausible admits no other type */
		if (have)
			ww_item_bytes(d, FLD(WW_TLS_F_APP_DATA), foff, (uint32_t)have, 1, p,
				      (uint32_t)have);
	}
	if (rc < 0)
		return -1;
	if (!whole)
		ww_item_add(d, FLD(WW_TLS_F_PARTIAL), foff + (uint32_t)have, 0, 1);
	ww_cur_skip(c, have, TLS_FN(WW_TLS_F_RECORD));
	return 0;
}

struct ww_layer *ww_tls_dissect(struct ww_dissection *d, struct ww_cursor *c)
{
	uint32_t off = ww_cur_offset(c);
	size_t avail = ww_cur_left(c);
	struct ww_layer *l = ww_layer_add(d, WW_P_TLS, "tls", "Transport Layer Security",
					  ww_tls_fields, off);
	if (!l)
		return NULL;
	memset(&l->h, 0, sizeof l->h);
	bool encrypted = false; /* a change_cipher_spec went before, in this segment */
	while (ww_cur_left(c) && ww_tls_record_plausible(ww_cur_here(c), ww_cur_left(c))) {
		if (record(d, c, &encrypted) < 0) {
			ww_dissect_error(d, c);
			l->len = (uint32_t)avail;
			return NULL;
		}
	}
	l->len = ww_cur_offset(c) - off;
	return l;
}
