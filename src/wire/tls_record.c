/* TLS records and hellos: the field table, the record header parser and
 * the walk over a ClientHello or ServerHello that both the parser and the
 * dissector (tls_dissect.c) use, so they cannot disagree.
 *
 * Record (RFC 8446 §5.1):   type(1) legacy_version(2) length(2) fragment
 * Handshake (§4):           msg_type(1) length(3) body
 * ClientHello (§4.1.2):     legacy_version(2) random(32) session_id<0..32>
 *                           cipher_suites<2..2^16-2> compression_methods<1..2^8-1>
 *                           extensions<8..2^16-1> (absent in older clients)
 * ServerHello (§4.1.3):     legacy_version(2) random(32) session_id<0..32>
 *                           cipher_suite(2) compression_method(1) extensions
 * Extension (§4.2):         type(2) extension_data<0..2^16-1>
 *
 * Names, labels and bases are Wireshark 4.0's, checked with `tshark -G
 * fields`; the values against `tshark -T fields` on tests/captures. */
#include "ww/tls_record.h"

#include <stdio.h>
#include <string.h>

#include "ww/bytes.h"
#include "ww/dissect.h"
#include "tls_priv.h"

#define ROW(n, l, t, b, v, h) \
	{ .name = n, .label = l, .type = t, .base = b, .bit_off = -1, .vals = v, .help = h }
#define HEAD(n, l, h) ROW(n, l, WW_FT_NONE, WW_BASE_DEC, NULL, h)

static const struct ww_tok comp_method_names[] = {
	{ 0, "null" },
	{ 1, "DEFLATE" },
	{ 0, NULL },
};

static const struct ww_tok sni_type_names[] = {
	{ 0, "host_name" },
	{ 0, NULL },
};

const struct ww_field ww_tls_fields[WW_TLS_F_END + 1] = {
	[WW_TLS_F_RECORD] = HEAD("tls.record", "Record Layer",
				 "one record: a 5-byte header, then up to 16 KB of one kind of content"),
	[WW_TLS_F_CONTENT_TYPE] = ROW("tls.record.content_type", "Content Type", WW_FT_UINT,
				      WW_BASE_DEC, ww_tls_content_type_names,
				      "what the record carries: 20 change_cipher_spec, 21 alert, "
				      "22 handshake, 23 application_data"),
	[WW_TLS_F_RECORD_VERSION] = ROW("tls.record.version", "Version", WW_FT_UINT, WW_BASE_HEX,
					ww_tls_version_names,
					"legacy: 0x0301 in a first ClientHello, 0x0303 after, also "
					"in TLS 1.3"),
	[WW_TLS_F_RECORD_LENGTH] = ROW("tls.record.length", "Length", WW_FT_UINT, WW_BASE_DEC, NULL,
				       "bytes of content after the header, at most 16384 + 256"),
	[WW_TLS_F_PARTIAL] = HEAD("tls.record.partial",
				  "Partial record: it goes on in the next segment (not reassembled)",
				  "the segment ends inside this record; wirewalk reads each segment "
				  "alone and shows what is here"),
	[WW_TLS_F_CCS] = HEAD("tls.change_cipher_spec", "Change Cipher Spec Message",
			      "TLS 1.2: from the next record on this side encrypts; TLS 1.3: "
			      "a dummy for middleboxes"),
	[WW_TLS_F_ALERT] = HEAD("tls.alert_message", "Alert Message",
				"a warning or a fatal error, in the clear"),
	[WW_TLS_F_ALERT_ENCRYPTED] = HEAD("tls.alert_message.encrypted", "Encrypted Alert",
					  "an alert sent after the keys changed: only its size shows"),
	[WW_TLS_F_ALERT_LEVEL] = ROW("tls.alert_message.level", "Level", WW_FT_UINT, WW_BASE_DEC,
				     ww_tls_alert_level_names, "1 warning, 2 fatal"),
	[WW_TLS_F_ALERT_DESC] = ROW("tls.alert_message.desc", "Description", WW_FT_UINT,
				    WW_BASE_DEC, ww_tls_alert_names,
				    "what went wrong: 0 close_notify, 40 handshake_failure, 48 "
				    "unknown_ca..."),
	[WW_TLS_F_APP_DATA] = ROW("tls.app_data", "Encrypted Application Data", WW_FT_BYTES,
				  WW_BASE_DEC, NULL,
				  "ciphertext and tag: in TLS 1.3 also the encrypted handshake"),
	[WW_TLS_F_HANDSHAKE] = HEAD("tls.handshake", "Handshake Protocol",
				    "one handshake message: type, 24-bit length, body"),
	[WW_TLS_F_HANDSHAKE_ENCRYPTED] = HEAD("tls.handshake.encrypted",
					      "Encrypted Handshake Message",
					      "handshake bytes that are not messages in the "
					      "clear: encrypted (TLS 1.2 Finished), or part of a "
					      "message split over records"),
	[WW_TLS_F_HS_TYPE] = ROW("tls.handshake.type", "Handshake Type", WW_FT_UINT, WW_BASE_DEC,
				 ww_tls_handshake_names,
				 "1 ClientHello, 2 ServerHello, 11 Certificate, 20 Finished..."),
	[WW_TLS_F_HS_LENGTH] = ROW("tls.handshake.length", "Length", WW_FT_UINT, WW_BASE_DEC, NULL,
				   "bytes of the message after its 4-byte header"),
	[WW_TLS_F_HS_VERSION] = ROW("tls.handshake.version", "Version", WW_FT_UINT, WW_BASE_HEX,
				    ww_tls_version_names,
				    "legacy_version: 0x0303; TLS 1.3 is negotiated in "
				    "supported_versions"),
	[WW_TLS_F_RANDOM] = ROW("tls.handshake.random", "Random", WW_FT_BYTES, WW_BASE_DEC, NULL,
				"32 fresh random bytes from each side, mixed into the keys"),
	[WW_TLS_F_SESSION_ID_LEN] = ROW("tls.handshake.session_id_length", "Session ID Length",
					WW_FT_UINT, WW_BASE_DEC, NULL, "0 to 32"),
	[WW_TLS_F_SESSION_ID] = ROW("tls.handshake.session_id", "Session ID", WW_FT_BYTES,
				    WW_BASE_DEC, NULL,
				    "TLS 1.2 resumption; in TLS 1.3 only echoed, for middleboxes"),
	[WW_TLS_F_SUITES_LEN] = ROW("tls.handshake.cipher_suites_length", "Cipher Suites Length",
				    WW_FT_UINT, WW_BASE_DEC, NULL, "bytes of suites: 2 per suite"),
	[WW_TLS_F_SUITE] = ROW("tls.handshake.ciphersuite", "Cipher Suite", WW_FT_UINT, WW_BASE_HEX,
			       ww_tls_cipher_names,
			       "the client offers several, in its order of preference; the server "
			       "picks one"),
	[WW_TLS_F_COMP_LEN] = ROW("tls.handshake.comp_methods_length", "Compression Methods Length",
				  WW_FT_UINT, WW_BASE_DEC, NULL, "1: only null, since CRIME"),
	[WW_TLS_F_COMP] = ROW("tls.handshake.comp_method", "Compression Method", WW_FT_UINT,
			      WW_BASE_DEC, comp_method_names, "0 null (no compression)"),
	[WW_TLS_F_EXTS_LEN] = ROW("tls.handshake.extensions_length", "Extensions Length",
				  WW_FT_UINT, WW_BASE_DEC, NULL, "bytes of extensions that follow"),
	[WW_TLS_F_EXT_TYPE] = ROW("tls.handshake.extension.type", "Type", WW_FT_UINT, WW_BASE_DEC,
				  ww_tls_extension_names,
				  "what the extension is: 0 server_name, 16 ALPN, 43 "
				  "supported_versions, 51 key_share..."),
	[WW_TLS_F_EXT_LEN] = ROW("tls.handshake.extension.len", "Length", WW_FT_UINT, WW_BASE_DEC,
				 NULL, "bytes of extension data"),
	[WW_TLS_F_EXT_DATA] = ROW("tls.handshake.extension.data", "Data", WW_FT_BYTES, WW_BASE_DEC,
				  NULL, "an extension's bytes, not decoded here"),
	[WW_TLS_F_SNI_LIST_LEN] = ROW("tls.handshake.extensions_server_name_list_len",
				      "Server Name list length", WW_FT_UINT, WW_BASE_DEC, NULL,
				      "bytes of names that follow"),
	[WW_TLS_F_SNI_TYPE] = ROW("tls.handshake.extensions_server_name_type", "Server Name Type",
				  WW_FT_UINT, WW_BASE_DEC, sni_type_names, "0 host_name"),
	[WW_TLS_F_SNI_LEN] = ROW("tls.handshake.extensions_server_name_len", "Server Name length",
				 WW_FT_UINT, WW_BASE_DEC, NULL, "bytes of the name"),
	[WW_TLS_F_SNI] = ROW("tls.handshake.extensions_server_name", "Server Name", WW_FT_STRING,
			     WW_BASE_DEC, NULL,
			     "SNI: the host the client wants, in the clear, so one address can "
			     "serve many names"),
	[WW_TLS_F_ALPN_LEN] = ROW("tls.handshake.extensions_alpn_len", "ALPN Extension Length",
				  WW_FT_UINT, WW_BASE_DEC, NULL, "bytes of protocol names"),
	[WW_TLS_F_ALPN_STR_LEN] = ROW("tls.handshake.extensions_alpn_str_len", "ALPN string length",
				      WW_FT_UINT, WW_BASE_DEC, NULL, "bytes of the next name"),
	[WW_TLS_F_ALPN_STR] = ROW("tls.handshake.extensions_alpn_str", "ALPN Next Protocol",
				  WW_FT_STRING, WW_BASE_DEC, NULL,
				  "an application protocol: h2, http/1.1 (the server answers with "
				  "its choice)"),
	[WW_TLS_F_VERSIONS_LEN] = ROW("tls.handshake.extensions.supported_versions_len",
				      "Supported Versions length", WW_FT_UINT, WW_BASE_DEC, NULL,
				      "bytes of versions: 2 per version"),
	[WW_TLS_F_SUPPORTED_VERSION] = ROW("tls.handshake.extensions.supported_version",
					   "Supported Version", WW_FT_UINT, WW_BASE_HEX,
					   ww_tls_version_names,
					   "the versions the client can speak; in a ServerHello, "
					   "the one chosen (0x0304 is TLS 1.3)"),
	[WW_TLS_F_GROUP] = ROW("tls.handshake.extensions_supported_group", "Supported Group",
			       WW_FT_UINT, WW_BASE_HEX, ww_tls_group_names,
			       "a key-exchange group the client accepts: x25519, secp256r1..."),
	[WW_TLS_F_KEY_SHARE_GROUP] = ROW("tls.handshake.extensions_key_share_group", "Group",
					 WW_FT_UINT, WW_BASE_DEC, ww_tls_group_names,
					 "the group of a key share sent: TLS 1.3 sends the key in "
					 "the first flight"),
	[WW_TLS_F_END] = { 0 },
};

#define FLD(row) (&ww_tls_fields[row])

int ww_tls_record_parse(struct ww_cursor *c, struct ww_tls_record *r)
{
	r->type = ww_cur_u8(c, TLS_FN(WW_TLS_F_CONTENT_TYPE));
	r->version = ww_cur_u16(c, TLS_FN(WW_TLS_F_RECORD_VERSION));
	r->length = ww_cur_u16(c, TLS_FN(WW_TLS_F_RECORD_LENGTH));
	if (!ww_cur_ok(c))
		return -1;
	if (r->length > WW_TLS_RECORD_MAX)
		return ww_cur_invalid(c, TLS_FN(WW_TLS_F_RECORD_LENGTH), "record length %u > %u",
				      r->length, WW_TLS_RECORD_MAX);
	return 0;
}

bool ww_tls_record_plausible(const uint8_t *p, size_t n)
{
	if (n < 1 || p[0] < WW_TLS_CT_CHANGE_CIPHER_SPEC || p[0] > WW_TLS_CT_APPLICATION_DATA)
		return false;
	if (n >= 2 && p[1] != 3)
		return false;
	if (n >= 3 && (p[2] < 1 || p[2] > 4))
		return false;
	return n < 5 || ww_get16(p + 3) <= WW_TLS_RECORD_MAX;
}

/* ---- the hello walk ------------------------------------------------------ */

struct walk {
	struct ww_cursor *c;
	struct ww_tls_hello *h;
	struct ww_dissection *d;
	bool whole;
};

static void add_uint(struct walk *w, int row, uint32_t off, uint32_t len, uint8_t depth,
		     uint64_t v)
{
	if (w->d)
		ww_item_uint(w->d, FLD(row), off, len, depth, v);
}

static void add_bytes(struct walk *w, int row, uint32_t off, uint32_t len, uint8_t depth,
		      const uint8_t *p)
{
	if (w->d)
		ww_item_bytes(w->d, FLD(row), off, len, depth, p, len);
}

/* A number of N bytes (1 or 2) as an item; 0 and no item if it is not there. */
static unsigned get_uint(struct walk *w, int row, unsigned n, uint8_t depth)
{
	uint32_t off = ww_cur_offset(w->c);
	unsigned v = n == 1 ? ww_cur_u8(w->c, TLS_FN(row)) : ww_cur_u16(w->c, TLS_FN(row));
	if (ww_cur_ok(w->c))
		add_uint(w, row, off, n, depth, v);
	return v;
}

/* Are the N bytes a length field (ROW) announced there? In a whole
 * message a length running past its end is invalid; in a message the
 * segment cut, the rest is in the next segment: truncated, and the walk
 * stops there. */
static bool fits(struct walk *w, size_t n, int row)
{
	size_t left = ww_cur_left(w->c);
	if (!ww_cur_ok(w->c))
		return false;
	if (n <= left)
		return true;
	if (w->whole)
		ww_cur_invalid(w->c, TLS_FN(row), "%s %zu > %zu bytes left", TLS_FN(row), n, left);
	else
		ww_cur_truncated(w->c, TLS_FN(row), n);
	return false;
}

/* A length field of N bytes and the vector it announces: the cursor is
 * narrowed to the vector; returns its length, or -1. ROW is the length's
 * row, shown as an item; with ROW < 0 the length is read silently (a
 * length Wireshark names NAME that has no row here). */
static long vector_named(struct walk *w, int row, const char *name, unsigned n, uint8_t depth,
			 size_t *old_end)
{
	unsigned len;
	if (row >= 0) {
		len = get_uint(w, row, n, depth);
	} else {
		len = n == 1 ? ww_cur_u8(w->c, name) : ww_cur_u16(w->c, name);
	}
	size_t left = ww_cur_left(w->c);
	if (!ww_cur_ok(w->c))
		return -1;
	if (len > left) {
		if (w->whole)
			ww_cur_invalid(w->c, name, "%s %u > %zu bytes left", name, len, left);
		else
			ww_cur_truncated(w->c, name, len);
		return -1;
	}
	*old_end = ww_cur_limit(w->c, len);
	return len;
}

static long vector(struct walk *w, int row, unsigned n, uint8_t depth, size_t *old_end)
{
	return vector_named(w, row, TLS_FN(row), n, depth, old_end);
}

/* The vector is done: anything left in it is invalid. */
static int vector_end_named(struct walk *w, size_t old_end, const char *name)
{
	size_t left = ww_cur_left(w->c);
	if (ww_cur_ok(w->c) && left)
		ww_cur_invalid(w->c, name, "%zu byte%s after the last entry within %s", left,
			       left == 1 ? "" : "s", name);
	ww_cur_unlimit(w->c, old_end);
	return ww_cur_ok(w->c) ? 0 : -1;
}

static int vector_end(struct walk *w, size_t old_end, int row)
{
	return vector_end_named(w, old_end, TLS_FN(row));
}

static void keep_text(char *dst, size_t cap, const uint8_t *p, size_t n)
{
	size_t k = 0;
	for (; k < n && k + 1 < cap && p[k]; k++)
		dst[k] = (char)p[k];
	dst[k] = '\0';
}

static int ext_server_name(struct walk *w)
{
	size_t old;
	if (ww_cur_left(w->c) == 0) /* a ServerHello's: "I used the name" */
		return 0;
	if (vector(w, WW_TLS_F_SNI_LIST_LEN, 2, 3, &old) < 0)
		return -1;
	while (ww_cur_ok(w->c) && ww_cur_left(w->c)) {
		get_uint(w, WW_TLS_F_SNI_TYPE, 1, 3);
		unsigned len = get_uint(w, WW_TLS_F_SNI_LEN, 2, 3);
		if (!fits(w, len, WW_TLS_F_SNI_LEN))
			break;
		uint32_t off = ww_cur_offset(w->c);
		const uint8_t *p = ww_cur_bytes(w->c, len, TLS_FN(WW_TLS_F_SNI));
		if (w->d)
			ww_item_bytes(w->d, FLD(WW_TLS_F_SNI), off, len, 3, p, len);
		if (!w->h->has_sni) {
			w->h->has_sni = true;
			keep_text(w->h->sni, sizeof w->h->sni, p, len);
		}
	}
	return vector_end(w, old, WW_TLS_F_SNI_LIST_LEN);
}

static int ext_alpn(struct walk *w)
{
	size_t old;
	if (vector(w, WW_TLS_F_ALPN_LEN, 2, 3, &old) < 0)
		return -1;
	while (ww_cur_ok(w->c) && ww_cur_left(w->c)) {
		unsigned len = get_uint(w, WW_TLS_F_ALPN_STR_LEN, 1, 3);
		if (!fits(w, len, WW_TLS_F_ALPN_STR_LEN))
			break;
		uint32_t off = ww_cur_offset(w->c);
		const uint8_t *p = ww_cur_bytes(w->c, len, TLS_FN(WW_TLS_F_ALPN_STR));
		if (w->d)
			ww_item_bytes(w->d, FLD(WW_TLS_F_ALPN_STR), off, len, 3, p, len);
		if (w->h->nalpn < WW_TLS_HELLO_MAX_LIST)
			keep_text(w->h->alpn[w->h->nalpn++], WW_TLS_ALPN_MAX, p, len);
	}
	return vector_end(w, old, WW_TLS_F_ALPN_LEN);
}

static void keep16(uint16_t *list, uint8_t *n, uint16_t v)
{
	if (*n < WW_TLS_HELLO_MAX_LIST)
		list[(*n)++] = v;
}

/* A vector of 16-bit values (versions, groups) after a length of LEN_BYTES. */
static int list16(struct walk *w, int len_row, unsigned len_bytes, int row, uint16_t *list,
		  uint8_t *n)
{
	size_t old;
	long len = vector(w, len_row, len_bytes, 3, &old);
	if (len < 0)
		return -1;
	if (len % 2) {
		ww_cur_unlimit(w->c, old);
		return ww_cur_invalid(w->c, TLS_FN(len_row), "%s %ld is odd: entries are 2 bytes",
				      TLS_FN(len_row), len);
	}
	while (ww_cur_ok(w->c) && ww_cur_left(w->c))
		keep16(list, n, (uint16_t)get_uint(w, row, 2, 3));
	return vector_end(w, old, len_row);
}

static const char KEY_SHARE_LEN[] = "tls.handshake.extensions_key_share_client_length";
static const char KEY_EXCHANGE_LEN[] = "tls.handshake.extensions_key_share_key_exchange_length";
static const char GROUPS_LEN[] = "tls.handshake.extensions_supported_groups_length";

static int ext_key_share(struct walk *w, bool client)
{
	size_t old = 0;
	if (client && vector_named(w, -1, KEY_SHARE_LEN, 2, 3, &old) < 0)
		return -1;
	/* ClientHello: shares; ServerHello: one share; HelloRetryRequest: a group alone. */
	while (ww_cur_ok(w->c) && ww_cur_left(w->c)) {
		keep16(w->h->shares, &w->h->nshares,
		       (uint16_t)get_uint(w, WW_TLS_F_KEY_SHARE_GROUP, 2, 3));
		if (!client && ww_cur_ok(w->c) && ww_cur_left(w->c) == 0)
			break;
		size_t key_old;
		long klen = vector_named(w, -1, KEY_EXCHANGE_LEN, 2, 3, &key_old);
		if (klen < 0)
			break;
		ww_cur_skip(w->c, (size_t)klen, KEY_EXCHANGE_LEN);
		ww_cur_unlimit(w->c, key_old);
		if (!client)
			break;
	}
	if (client)
		return vector_end_named(w, old, KEY_SHARE_LEN);
	return ww_cur_ok(w->c) ? 0 : -1;
}

static int extension(struct walk *w, unsigned type, unsigned len, uint32_t off, const uint8_t *p)
{
	bool client = w->h->type == WW_TLS_HS_CLIENT_HELLO;
	switch (type) {
	case WW_TLS_EXT_SERVER_NAME:
		return ext_server_name(w);
	case WW_TLS_EXT_ALPN:
		return ext_alpn(w);
	case WW_TLS_EXT_SUPPORTED_VERSIONS:
		if (client)
			return list16(w, WW_TLS_F_VERSIONS_LEN, 1, WW_TLS_F_SUPPORTED_VERSION,
				      w->h->versions, &w->h->nversions);
		keep16(w->h->versions, &w->h->nversions,
		       (uint16_t)get_uint(w, WW_TLS_F_SUPPORTED_VERSION, 2, 3));
		return ww_cur_ok(w->c) ? 0 : -1;
	case WW_TLS_EXT_SUPPORTED_GROUPS: {
		size_t old;
		if (vector_named(w, -1, GROUPS_LEN, 2, 3, &old) < 0)
			return -1;
		while (ww_cur_ok(w->c) && ww_cur_left(w->c) >= 2)
			keep16(w->h->groups, &w->h->ngroups,
			       (uint16_t)get_uint(w, WW_TLS_F_GROUP, 2, 3));
		return vector_end_named(w, old, GROUPS_LEN);
	}
	case WW_TLS_EXT_KEY_SHARE:
		return ext_key_share(w, client);
	default:
		if (len)
			add_bytes(w, WW_TLS_F_EXT_DATA, off, len, 3, p);
		ww_cur_skip(w->c, len, TLS_FN(WW_TLS_F_EXT_DATA));
		return ww_cur_ok(w->c) ? 0 : -1;
	}
}

static int extensions(struct walk *w)
{
	size_t old;
	if (vector(w, WW_TLS_F_EXTS_LEN, 2, 2, &old) < 0)
		return -1;
	w->h->has_extensions = true;
	while (ww_cur_ok(w->c) && ww_cur_left(w->c)) {
		unsigned type = get_uint(w, WW_TLS_F_EXT_TYPE, 2, 2);
		unsigned len = get_uint(w, WW_TLS_F_EXT_LEN, 2, 3);
		if (!fits(w, len, WW_TLS_F_EXT_LEN))
			break;
		w->h->nextensions++;
		size_t ext_old = ww_cur_limit(w->c, len);
		if (extension(w, type, len, ww_cur_offset(w->c), ww_cur_here(w->c)) < 0)
			break;
		vector_end(w, ext_old, WW_TLS_F_EXT_LEN);
	}
	if (!ww_cur_ok(w->c)) {
		ww_cur_unlimit(w->c, old);
		return -1;
	}
	return vector_end(w, old, WW_TLS_F_EXTS_LEN);
}

static int hello_fields(struct ww_cursor *c, struct ww_tls_hello *h, struct ww_dissection *d,
			bool whole);

int tls_hello_walk(struct ww_cursor *c, struct ww_tls_hello *h, struct ww_dissection *d,
		   bool whole)
{
	int rc = hello_fields(c, h, d, whole);
	if (rc < 0 && whole && c->err.status == WW_TRUNCATED) {
		/* The message is all here: its own length leaves no room for
		 * the field, which no capture of more bytes would mend. */
		c->err.status = WW_INVALID;
		snprintf(c->err.msg, sizeof c->err.msg,
			 "the hello ends (tls.handshake.length) before %s", c->err.field);
	}
	return rc;
}

static int hello_fields(struct ww_cursor *c, struct ww_tls_hello *h, struct ww_dissection *d,
			bool whole)
{
	struct walk w = { .c = c, .h = h, .d = d, .whole = whole };
	bool client = h->type == WW_TLS_HS_CLIENT_HELLO;
	h->version = (uint16_t)get_uint(&w, WW_TLS_F_HS_VERSION, 2, 2);
	uint32_t off = ww_cur_offset(c);
	const uint8_t *p = ww_cur_bytes(c, 32, TLS_FN(WW_TLS_F_RANDOM));
	if (p) {
		memcpy(h->random, p, 32);
		add_bytes(&w, WW_TLS_F_RANDOM, off, 32, 2, p);
	}
	h->session_id_len = (uint8_t)get_uint(&w, WW_TLS_F_SESSION_ID_LEN, 1, 2);
	if (ww_cur_ok(c) && h->session_id_len > 32)
		return ww_cur_invalid(c, TLS_FN(WW_TLS_F_SESSION_ID_LEN),
				      "session id length %u > 32", h->session_id_len);
	off = ww_cur_offset(c);
	if (h->session_id_len && fits(&w, h->session_id_len, WW_TLS_F_SESSION_ID_LEN)) {
		p = ww_cur_bytes(c, h->session_id_len, TLS_FN(WW_TLS_F_SESSION_ID));
		memcpy(h->session_id, p, h->session_id_len);
		add_bytes(&w, WW_TLS_F_SESSION_ID, off, h->session_id_len, 2, p);
	}
	if (client) {
		size_t old;
		long len = vector(&w, WW_TLS_F_SUITES_LEN, 2, 2, &old);
		if (len < 0)
			return -1;
		if (len == 0 || len % 2) {
			ww_cur_unlimit(c, old);
			return ww_cur_invalid(c, TLS_FN(WW_TLS_F_SUITES_LEN),
					      "cipher suites length %ld: must be even and not 0", len);
		}
		while (ww_cur_ok(c) && ww_cur_left(c)) {
			uint16_t s = (uint16_t)get_uint(&w, WW_TLS_F_SUITE, 2, 3);
			if (h->nsuites < WW_TLS_HELLO_MAX_SUITES)
				h->suites[h->nsuites] = s;
			h->nsuites++;
		}
		ww_cur_unlimit(c, old);
		len = vector(&w, WW_TLS_F_COMP_LEN, 1, 2, &old);
		if (len < 0)
			return -1;
		if (len == 0) {
			ww_cur_unlimit(c, old);
			return ww_cur_invalid(c, TLS_FN(WW_TLS_F_COMP_LEN),
					      "no compression method: null (0) must be offered");
		}
		h->ncomp = (uint8_t)len;
		h->comp = (uint8_t)get_uint(&w, WW_TLS_F_COMP, 1, 3);
		while (ww_cur_ok(c) && ww_cur_left(c))
			get_uint(&w, WW_TLS_F_COMP, 1, 3);
		ww_cur_unlimit(c, old);
	} else {
		h->suites[0] = (uint16_t)get_uint(&w, WW_TLS_F_SUITE, 2, 2);
		h->nsuites = ww_cur_ok(c) ? 1 : 0;
		h->comp = (uint8_t)get_uint(&w, WW_TLS_F_COMP, 1, 2);
		h->ncomp = ww_cur_ok(c) ? 1 : 0;
	}
	if (!ww_cur_ok(c))
		return -1;
	if (ww_cur_left(c) == 0) /* no extensions: TLS 1.2 allows it */
		return 0;
	return extensions(&w);
}

int ww_tls_hello_parse(struct ww_cursor *c, struct ww_tls_hello *h)
{
	memset(h, 0, sizeof *h);
	h->type = ww_cur_u8(c, TLS_FN(WW_TLS_F_HS_TYPE));
	const uint8_t *l = ww_cur_bytes(c, 3, TLS_FN(WW_TLS_F_HS_LENGTH));
	if (!l)
		return -1;
	h->length = (uint32_t)l[0] << 16 | (uint32_t)ww_get16(l + 1);
	if (h->type != WW_TLS_HS_CLIENT_HELLO && h->type != WW_TLS_HS_SERVER_HELLO)
		return ww_cur_invalid(c, TLS_FN(WW_TLS_F_HS_TYPE),
				      "handshake type %u is not a ClientHello (1) or ServerHello (2)",
				      h->type);
	if (ww_cur_left(c) < h->length)
		return ww_cur_truncated(c, TLS_FN(WW_TLS_F_HS_LENGTH), h->length);
	size_t old = ww_cur_limit(c, h->length);
	int rc = tls_hello_walk(c, h, NULL, true);
	if (rc == 0 && ww_cur_left(c))
		rc = ww_cur_invalid(c, TLS_FN(WW_TLS_F_HS_LENGTH),
				    "%zu bytes after the hello's last field", ww_cur_left(c));
	ww_cur_unlimit(c, old);
	return rc;
}
