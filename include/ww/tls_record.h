/* TLS as bytes on the wire (RFC 8446 for 1.3, RFC 5246 for 1.2): the
 * record layer, the handshake messages' headers and the two hellos, as
 * the wire pattern has them (DESIGN.md §2): plain structs, bounds-checked
 * parsers that name the bad field, one field table in Wireshark's names
 * (tls.record.content_type, tls.handshake.extensions_server_name...) and a
 * dissector that adds a frame's records to its dissection.
 *
 * No state: each segment is read alone. A record the segment's end cuts is
 * shown as far as it goes and marked partial (nothing is reassembled), and
 * what a record holds is judged from its own bytes: a handshake record
 * after a change_cipher_spec in the same segment, or one whose bytes do
 * not form handshake messages, is an encrypted handshake message. Wireshark
 * follows the connection instead, so it calls the outer type of a TLS 1.3
 * encrypted record tls.record.opaque_type; here it stays
 * tls.record.content_type (23), which is what the byte is.
 *
 * The names of TLS's numbers live here too (tls_names.c): the field tables
 * use them as value names, and the TLS adapter's describer (net/, ww/tls.h)
 * prints them. */
#ifndef WW_TLS_RECORD_H
#define WW_TLS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww/cursor.h"
#include "ww/field.h"

enum ww_tls_content_type {
	WW_TLS_CT_CHANGE_CIPHER_SPEC = 20,
	WW_TLS_CT_ALERT = 21,
	WW_TLS_CT_HANDSHAKE = 22,
	WW_TLS_CT_APPLICATION_DATA = 23,
};

enum ww_tls_hs_type {
	WW_TLS_HS_CLIENT_HELLO = 1,
	WW_TLS_HS_SERVER_HELLO = 2,
	WW_TLS_HS_NEW_SESSION_TICKET = 4,
	WW_TLS_HS_END_OF_EARLY_DATA = 5,
	WW_TLS_HS_ENCRYPTED_EXTENSIONS = 8,
	WW_TLS_HS_CERTIFICATE = 11,
	WW_TLS_HS_SERVER_KEY_EXCHANGE = 12,
	WW_TLS_HS_CERTIFICATE_REQUEST = 13,
	WW_TLS_HS_SERVER_HELLO_DONE = 14,
	WW_TLS_HS_CERTIFICATE_VERIFY = 15,
	WW_TLS_HS_CLIENT_KEY_EXCHANGE = 16,
	WW_TLS_HS_FINISHED = 20,
	WW_TLS_HS_KEY_UPDATE = 24,
	WW_TLS_HS_MESSAGE_HASH = 254,
};

/* Extension types the hello walk decodes (IANA "TLS ExtensionType Values"). */
enum ww_tls_ext_type {
	WW_TLS_EXT_SERVER_NAME = 0,
	WW_TLS_EXT_SUPPORTED_GROUPS = 10,
	WW_TLS_EXT_ALPN = 16,
	WW_TLS_EXT_SUPPORTED_VERSIONS = 43,
	WW_TLS_EXT_KEY_SHARE = 51,
};

#define WW_TLS_RECORD_HEADER_LEN 5
#define WW_TLS_RECORD_MAX (16384 + 256) /* TLSCiphertext.length (RFC 8446 §5.2) */
#define WW_TLS_HANDSHAKE_HEADER_LEN 4
#define WW_TLS_PORT 443

/* The record header (RFC 8446 §5.1): type, legacy version, length. */
struct ww_tls_record {
	uint8_t type;
	uint16_t version;
	uint16_t length;
};
/* 0, or -1 with the cursor's error naming the field (tls.record.length
 * over 2^14 + 256 is invalid; an unknown content type is kept). */
int ww_tls_record_parse(struct ww_cursor *c, struct ww_tls_record *r);
/* Could the N bytes at P (N >= 1) begin a TLS record? Content type 20-23,
 * version 0x0301-0x0304 and a length up to WW_TLS_RECORD_MAX, as far as
 * the N bytes go (a header cut after its first byte is judged on that
 * byte). What tells TLS from other bytes on a TCP connection, on port
 * 443 and elsewhere. */
bool ww_tls_record_plausible(const uint8_t *p, size_t n);

/* ---- the hellos -------------------------------------------------------- */

#define WW_TLS_HELLO_MAX_SUITES 64 /* suites kept; more are counted */
#define WW_TLS_HELLO_MAX_LIST 8    /* versions, groups, ALPN names kept */
#define WW_TLS_ALPN_MAX 32         /* an ALPN name kept, with its NUL */

/* A ClientHello or ServerHello (RFC 8446 §4.1.2, §4.1.3) as numbers. A
 * ServerHello's one suite is suites[0]. Lists longer than the storage are
 * counted in full and kept as far as they fit. */
struct ww_tls_hello {
	uint8_t type;               /* WW_TLS_HS_CLIENT_HELLO or _SERVER_HELLO */
	uint32_t length;            /* the handshake message's length */
	uint16_t version;           /* legacy_version: 0x0303 from TLS 1.2 on */
	uint8_t random[32];
	uint8_t session_id_len;
	uint8_t session_id[32];
	uint16_t nsuites;
	uint16_t suites[WW_TLS_HELLO_MAX_SUITES];
	uint8_t ncomp;              /* compression methods (a ServerHello's: 1) */
	uint8_t comp;               /* the first one */
	bool has_extensions;
	uint16_t nextensions;
	bool has_sni;
	char sni[256];              /* the host_name as sent (no NUL inside: cut at one) */
	uint8_t nalpn;
	char alpn[WW_TLS_HELLO_MAX_LIST][WW_TLS_ALPN_MAX];
	uint8_t nversions;          /* supported_versions; a ServerHello's choice is [0] */
	uint16_t versions[WW_TLS_HELLO_MAX_LIST];
	uint8_t ngroups;            /* supported_groups */
	uint16_t groups[WW_TLS_HELLO_MAX_LIST];
	uint8_t nshares;            /* key_share groups */
	uint16_t shares[WW_TLS_HELLO_MAX_LIST];
};

/* A whole ClientHello or ServerHello message (type, 24-bit length, body).
 * 0, or -1 with the cursor's error naming the field: a session id over 32
 * bytes, an odd cipher_suites_length, a vector or an extension that runs
 * past its enclosing length are invalid; a message longer than the bytes
 * there is truncated (tls.handshake.length). */
int ww_tls_hello_parse(struct ww_cursor *c, struct ww_tls_hello *h);

/* ---- names ---------------------------------------------------------------- */

/* Value names, each ending with { 0, NULL }: IANA's spellings. */
extern const struct ww_tok ww_tls_content_type_names[];
extern const struct ww_tok ww_tls_handshake_names[];
extern const struct ww_tok ww_tls_cipher_names[];
extern const struct ww_tok ww_tls_extension_names[];
extern const struct ww_tok ww_tls_group_names[];
extern const struct ww_tok ww_tls_sigscheme_names[];
extern const struct ww_tok ww_tls_alert_names[];
extern const struct ww_tok ww_tls_alert_level_names[];
extern const struct ww_tok ww_tls_version_names[];

/* Names, or NULL when the number is not known (the caller prints it). */
const char *ww_tls_content_type_name(unsigned type);
const char *ww_tls_handshake_name(unsigned type);
const char *ww_tls_cipher_name(uint16_t id);
const char *ww_tls_extension_name(uint16_t type);
const char *ww_tls_group_name(uint16_t id);
const char *ww_tls_sigscheme_name(uint16_t id);
const char *ww_tls_alert_name(unsigned desc);
/* "TLS 1.2", "SSL 3.0", "GREASE", or "0x7f1c" written into BUF (>= 8 bytes). */
const char *ww_tls_version_str(uint16_t v, char *buf, size_t len);

/* GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
static inline bool ww_tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 12) == ((v >> 4) & 0xf);
}

/* ---- the field table and the dissector ----------------------------------- */

/* Rows of ww_tls_fields. Nothing in TLS sits at a fixed place in the
 * layer (a segment holds any number of records), so every row is placed
 * by the dissector. Depths: a record's heading 0, its fields 1, a
 * handshake message's fields 2, an extension's 3. */
enum ww_tls_field_row {
	WW_TLS_F_RECORD,                /* heading: one record */
	WW_TLS_F_CONTENT_TYPE, WW_TLS_F_RECORD_VERSION, WW_TLS_F_RECORD_LENGTH,
	WW_TLS_F_PARTIAL,               /* note: the segment ends inside the record */
	WW_TLS_F_CCS,                   /* heading: change_cipher_spec */
	WW_TLS_F_ALERT, WW_TLS_F_ALERT_ENCRYPTED, WW_TLS_F_ALERT_LEVEL, WW_TLS_F_ALERT_DESC,
	WW_TLS_F_APP_DATA,
	WW_TLS_F_HANDSHAKE, WW_TLS_F_HANDSHAKE_ENCRYPTED,
	WW_TLS_F_HS_TYPE, WW_TLS_F_HS_LENGTH,
	WW_TLS_F_HS_VERSION, WW_TLS_F_RANDOM, WW_TLS_F_SESSION_ID_LEN, WW_TLS_F_SESSION_ID,
	WW_TLS_F_SUITES_LEN, WW_TLS_F_SUITE, WW_TLS_F_COMP_LEN, WW_TLS_F_COMP,
	WW_TLS_F_EXTS_LEN, WW_TLS_F_EXT_TYPE, WW_TLS_F_EXT_LEN, WW_TLS_F_EXT_DATA,
	WW_TLS_F_SNI_LIST_LEN, WW_TLS_F_SNI_TYPE, WW_TLS_F_SNI_LEN, WW_TLS_F_SNI,
	WW_TLS_F_ALPN_LEN, WW_TLS_F_ALPN_STR_LEN, WW_TLS_F_ALPN_STR,
	WW_TLS_F_VERSIONS_LEN, WW_TLS_F_SUPPORTED_VERSION,
	WW_TLS_F_GROUP, WW_TLS_F_KEY_SHARE_GROUP,
	WW_TLS_F_END, /* the row whose name is NULL */
};

extern const struct ww_field ww_tls_fields[WW_TLS_F_END + 1];

struct ww_dissection;
struct ww_layer;
/* The records from the cursor on, as one layer "tls" (as Wireshark's one
 * "Transport Layer Security" per segment). Stops at the first bytes that
 * cannot begin a record (left to the caller: Wireshark's "Ignored Unknown
 * Record", data here). The caller has checked ww_tls_record_plausible.
 * NULL when a handshake message is malformed (the error names the field)
 * or there is no room for the layer. */
struct ww_layer *ww_tls_dissect(struct ww_dissection *d, struct ww_cursor *c);

#endif
