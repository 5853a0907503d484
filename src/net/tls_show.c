/* What a TLS record header, handshake message, alert or
 * change_cipher_spec says, for a person: the describer behind the TLS
 * events. Every read goes through the cursor (ww/cursor.h): a length
 * that runs past its enclosing vector is an error naming the field, and
 * what was read up to there is still shown. Structures after RFC 8446
 * §4 (TLS 1.3) and RFC 5246 §7.4 (TLS 1.2); extensions after RFC 6066
 * (server_name), RFC 7301 (ALPN), RFC 8422 (groups, point formats). The
 * text itself is written through tls_text.c. */
#include <stdio.h>
#include <string.h>

#include "tls_int.h"
#include "ww/tls.h"

static void name_or_number(char *buf, size_t len, const char *name, unsigned v)
{
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "0x%04x", v);
}

/* ---- reading ---------------------------------------------------------------- */

static uint32_t u24(struct ww_cursor *c, const char *field)
{
	const uint8_t *p = ww_cur_bytes(c, 3, field);
	return p ? (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2] : 0;
}

/* A vector's length prefix of WIDTH bytes (RFC 8446 §3.4), checked
 * against MIN and MAX and against what is left; the cursor is then
 * narrowed to the vector: *OLD gives the end back (ww_cur_unlimit). */
static size_t vec_open(struct ww_cursor *c, unsigned width, size_t min, size_t max,
		       const char *field, size_t *old)
{
	size_t n = width == 1 ? ww_cur_u8(c, field) : width == 2 ? ww_cur_u16(c, field)
							  : u24(c, field);
	*old = c->end;
	if (!ww_cur_ok(c))
		return 0;
	if (n < min || n > max) {
		ww_cur_invalid(c, field, "%s %zu is outside %zu..%zu", field, n, min, max);
		return 0;
	}
	if (ww_cur_left(c) < n) {
		ww_cur_invalid(c, field, "%s %zu > %zu bytes left", field, n, ww_cur_left(c));
		return 0;
	}
	*old = ww_cur_limit(c, n);
	return n;
}

/* The vector must have been read to its end. */
static void vec_close(struct ww_cursor *c, size_t old, const char *field)
{
	if (ww_cur_ok(c) && ww_cur_left(c))
		ww_cur_invalid(c, field, "%zu bytes left over in %s", ww_cur_left(c), field);
	ww_cur_unlimit(c, old);
}

/* A list of 16-bit values named by NAME: the items of the current line. */
static void u16_list(struct ww_cursor *c, struct tls_tx *t, const char *(*name)(uint16_t),
		     const char *field)
{
	while (ww_cur_left(c) >= 2) {
		uint16_t v = ww_cur_u16(c, field);
		char b[48];
		if (ww_tls_is_grease(v))
			snprintf(b, sizeof b, "GREASE");
		else
			name_or_number(b, sizeof b, name(v), v);
		tls_tx_item(t, b);
	}
	if (ww_cur_left(c))
		ww_cur_invalid(c, field, "%s list has an odd length", field);
}

/* Printable text of at most N bytes, or a byte count. */
static void text_or_len(char *out, size_t len, const uint8_t *p, size_t n)
{
	bool printable = n > 0 && n < len;
	for (size_t i = 0; i < n && printable; i++)
		printable = p[i] >= 0x20 && p[i] < 0x7f;
	if (printable)
		snprintf(out, len, "%.*s", (int)n, (const char *)p);
	else
		snprintf(out, len, "(%zu bytes)", n);
}

/* ---- extensions ------------------------------------------------------------- */

enum ext_where { IN_CH, IN_SH, IN_HRR, IN_EE, IN_CERT, IN_NST };

/* What the hello says about itself, for its summary line. */
struct hello {
	uint16_t version;   /* from supported_versions in a ServerHello */
	uint16_t group;     /* key_share in a ServerHello */
	char alpn[80];
	char sni[160];
};

static void ext_server_name(struct ww_cursor *c, struct tls_tx *t, struct hello *h)
{
	size_t old;
	if (!ww_cur_left(c)) { /* the server's empty one: it used the name */
		tls_tx_add(t, ": (empty: the server knew the name)");
		return;
	}
	vec_open(c, 2, 1, 0xffff, "tls.handshake.extensions_server_name_list_len", &old);
	tls_tx_add(t, ": ");
	while (ww_cur_left(c)) {
		uint8_t type = ww_cur_u8(c, "tls.handshake.extensions_server_name_type");
		size_t nold, n = vec_open(c, 2, 1, 0xffff, "tls.handshake.extensions_server_name_len", &nold);
		const uint8_t *p = ww_cur_bytes(c, n, "tls.handshake.extensions_server_name");
		if (p) {
			char b[160];
			text_or_len(b, sizeof b, p, n);
			tls_tx_item(t, b);
			if (type == 0 && !h->sni[0])
				snprintf(h->sni, sizeof h->sni, "%s", b);
		}
		vec_close(c, nold, "tls.handshake.extensions_server_name_len");
	}
	vec_close(c, old, "tls.handshake.extensions_server_name_list_len");
}

static void ext_alpn(struct ww_cursor *c, struct tls_tx *t, struct hello *h)
{
	size_t old;
	vec_open(c, 2, 2, 0xffff, "tls.handshake.extensions_alpn_len", &old);
	tls_tx_add(t, ": ");
	while (ww_cur_left(c)) {
		size_t n = ww_cur_u8(c, "tls.handshake.extensions_alpn_str_len");
		if (n == 0)
			ww_cur_invalid(c, "tls.handshake.extensions_alpn_str_len",
				       "an ALPN protocol name is empty");
		const uint8_t *p = ww_cur_bytes(c, n, "tls.handshake.extensions_alpn_str");
		if (p) {
			char b[80];
			text_or_len(b, sizeof b, p, n);
			tls_tx_item(t, b);
			if (!h->alpn[0])
				snprintf(h->alpn, sizeof h->alpn, "%s", b);
		}
	}
	vec_close(c, old, "tls.handshake.extensions_alpn_len");
}

static void ext_versions(struct ww_cursor *c, struct tls_tx *t, enum ext_where w, struct hello *h)
{
	tls_tx_add(t, ": ");
	if (w == IN_SH || w == IN_HRR) {
		h->version = ww_cur_u16(c, "tls.handshake.extensions.supported_version");
		tls_tx_item(t, tls_vname(h->version).s);
		return;
	}
	size_t old;
	vec_open(c, 1, 2, 254, "tls.handshake.extensions.supported_versions_len", &old);
	while (ww_cur_left(c) >= 2)
		tls_tx_item(t, tls_vname(ww_cur_u16(c, "tls.handshake.extensions.supported_version")).s);
	vec_close(c, old, "tls.handshake.extensions.supported_versions_len");
}

static void ext_key_share(struct ww_cursor *c, struct tls_tx *t, enum ext_where w, struct hello *h)
{
	tls_tx_add(t, ": ");
	if (w == IN_HRR) { /* only the group the server wants */
		h->group = ww_cur_u16(c, "tls.handshake.extensions_key_share_selected_group");
		char b[48];
		name_or_number(b, sizeof b, ww_tls_group_name(h->group), h->group);
		tls_tx_add(t, "send a key for %s", b);
		return;
	}
	size_t old = c->end;
	if (w == IN_CH)
		vec_open(c, 2, 0, 0xffff, "tls.handshake.extensions_key_share_client_length", &old);
	while (ww_cur_left(c)) {
		uint16_t g = ww_cur_u16(c, "tls.handshake.extensions_key_share_group");
		size_t kold, n = vec_open(c, 2, 1, 0xffff,
					  "tls.handshake.extensions_key_share_key_exchange_length", &kold);
		ww_cur_skip(c, n, "tls.handshake.extensions_key_share_key_exchange");
		vec_close(c, kold, "tls.handshake.extensions_key_share_key_exchange_length");
		char b[80], gn[48];
		if (ww_tls_is_grease(g))
			snprintf(gn, sizeof gn, "GREASE");
		else
			name_or_number(gn, sizeof gn, ww_tls_group_name(g), g);
		snprintf(b, sizeof b, "%s (%zu-byte public key)", gn, n);
		tls_tx_item(t, b);
		if (w == IN_SH)
			h->group = g;
		if (w != IN_CH)
			break;
	}
	if (w == IN_CH)
		vec_close(c, old, "tls.handshake.extensions_key_share_client_length");
}

static void ext_psk(struct ww_cursor *c, struct tls_tx *t, enum ext_where w)
{
	if (w == IN_SH) {
		tls_tx_add(t, ": the server took identity %u (resumption)",
		       ww_cur_u16(c, "tls.handshake.extensions.psk.identity.selected"));
		return;
	}
	size_t old;
	vec_open(c, 2, 7, 0xffff, "tls.handshake.extensions.psk.identities.length", &old);
	unsigned ids = 0;
	size_t first = 0;
	while (ww_cur_left(c)) {
		size_t iold, n = vec_open(c, 2, 1, 0xffff, "tls.psk.identity.identity_length", &iold);
		ww_cur_skip(c, n, "tls.psk.identity.identity");
		vec_close(c, iold, "tls.psk.identity.identity_length");
		ww_cur_u32(c, "tls.psk.identity.obfuscated_ticket_age");
		if (!ids++)
			first = n;
	}
	vec_close(c, old, "tls.handshake.extensions.psk.identities.length");
	size_t bold;
	vec_open(c, 2, 33, 0xffff, "tls.handshake.extensions.psk.binders.length", &bold);
	ww_cur_skip(c, ww_cur_left(c), "tls.psk.binders");
	vec_close(c, bold, "tls.handshake.extensions.psk.binders.length");
	tls_tx_add(t, ": %u identit%s (a ticket of %zu bytes from an earlier connection) and binders",
	       ids, ids == 1 ? "y" : "ies", first);
}

static void ext_bytes_list(struct ww_cursor *c, struct tls_tx *t, const char *field,
			   const char *(*name)(uint8_t))
{
	size_t old;
	vec_open(c, 1, 1, 255, field, &old);
	tls_tx_add(t, ": ");
	while (ww_cur_left(c)) {
		uint8_t v = ww_cur_u8(c, field);
		char b[48];
		const char *s = name(v);
		if (s)
			snprintf(b, sizeof b, "%s", s);
		else
			snprintf(b, sizeof b, "%u", v);
		tls_tx_item(t, b);
	}
	vec_close(c, old, field);
}

static const char *point_format_name(uint8_t v)
{
	return v == 0 ? "uncompressed" : v == 1 ? "ansiX962_compressed_prime"
		       : v == 2 ? "ansiX962_compressed_char2" : NULL;
}

static const char *psk_mode_name(uint8_t v)
{
	return v == 0 ? "psk_ke" : v == 1 ? "psk_dhe_ke" : NULL;
}

/* One extension's content, after its name on the line. */
static void ext_body(struct ww_cursor *c, struct tls_tx *t, uint16_t type, size_t n,
		     enum ext_where w, struct hello *h)
{
	size_t old;
	switch (type) {
	case 0: ext_server_name(c, t, h); return;
	case 16: ext_alpn(c, t, h); return;
	case 43: ext_versions(c, t, w, h); return;
	case 51: ext_key_share(c, t, w, h); return;
	case 10:
		vec_open(c, 2, 2, 0xfffe, "tls.handshake.extensions_supported_groups_length", &old);
		tls_tx_add(t, ": ");
		u16_list(c, t, ww_tls_group_name, "tls.handshake.extensions_supported_group");
		vec_close(c, old, "tls.handshake.extensions_supported_groups_length");
		return;
	case 13:
	case 50:
		vec_open(c, 2, 2, 0xfffe, "tls.handshake.sig_hash_alg_len", &old);
		tls_tx_add(t, ": ");
		u16_list(c, t, ww_tls_sigscheme_name, "tls.handshake.sig_hash_alg");
		vec_close(c, old, "tls.handshake.sig_hash_alg_len");
		return;
	case 11:
		ext_bytes_list(c, t, "tls.handshake.extensions_ec_point_formats_length",
			       point_format_name);
		return;
	case 45:
		ext_bytes_list(c, t, "tls.extension.psk_ke_modes_length", psk_mode_name);
		return;
	case 41:
		ext_psk(c, t, w);
		return;
	case 35:
		if (n == 0)
			tls_tx_add(t, w == IN_CH ? ": empty (we would like a ticket)" : ": (a ticket will follow)");
		else
			tls_tx_add(t, ": a ticket of %zu bytes", n);
		ww_cur_skip(c, n, "tls.handshake.extensions.session_ticket");
		return;
	case 28:
		tls_tx_add(t, ": %u bytes", ww_cur_u16(c, "tls.record_size_limit"));
		return;
	case 65281: {
		size_t m = ww_cur_u8(c, "tls.handshake.extensions_reneg_info_len");
		ww_cur_skip(c, m, "tls.handshake.extensions_reneg_info");
		tls_tx_add(t, m ? ": %zu bytes" : ": empty (a new connection)", m);
		return;
	}
	case 42:
		if (w == IN_NST)
			tls_tx_add(t, ": up to %u bytes of 0-RTT data",
			       ww_cur_u32(c, "tls.early_data.max_early_data_size"));
		ww_cur_skip(c, ww_cur_left(c), "tls.handshake.extensions.early_data");
		return;
	default:
		if (n)
			tls_tx_add(t, " (%zu bytes)", n);
		ww_cur_skip(c, n, "tls.handshake.extension.data");
		return;
	}
}

/* extensions<0..2^16-1>, one line each. Absent (a TLS 1.2 hello may end
 * before it): nothing. */
static void extensions(struct ww_cursor *c, struct tls_tx *t, enum ext_where w, struct hello *h,
		       const char *indent)
{
	if (!ww_cur_left(c) && (w == IN_CH || w == IN_SH))
		return;
	size_t old, n = vec_open(c, 2, 0, 0xffff, "tls.handshake.extensions_length", &old);
	unsigned count = 0;
	size_t at = t->o->len;
	char cont[32];
	snprintf(cont, sizeof cont, "%s    ", indent);
	while (ww_cur_left(c)) {
		uint16_t type = ww_cur_u16(c, "tls.handshake.extension.type");
		size_t eold, len = vec_open(c, 2, 0, 0xffff, "tls.handshake.extension.len", &eold);
		if (!ww_cur_ok(c))
			break;
		char name[48];
		if (ww_tls_is_grease(type))
			snprintf(name, sizeof name, "GREASE");
		else
			name_or_number(name, sizeof name, ww_tls_extension_name(type), type);
		tls_tx_line(t, "%s  %s", indent, name);
		t->cont = cont;
		ext_body(c, t, type, len, w, h);
		t->cont = NULL;
		vec_close(c, eold, "tls.handshake.extension.len");
		count++;
	}
	vec_close(c, old, "tls.handshake.extensions_length");
	if (n) {
		char head[64];
		snprintf(head, sizeof head, "%sextensions (%u):", indent, count);
		tls_tx_insert(t, at, head);
	}
}

/* ---- the hellos ------------------------------------------------------------- */

static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static void client_hello(struct ww_cursor *c, struct tls_tx *t)
{
	struct hello h = { 0 };
	uint16_t legacy = ww_cur_u16(c, "tls.handshake.version");
	ww_cur_skip(c, 32, "tls.handshake.random");
	size_t old, sid = vec_open(c, 1, 0, 32, "tls.handshake.session_id_length", &old);
	ww_cur_skip(c, sid, "tls.handshake.session_id");
	vec_close(c, old, "tls.handshake.session_id_length");
	size_t n = vec_open(c, 2, 2, 0xfffe, "tls.handshake.cipher_suites_length", &old);
	tls_tx_line(t, "  cipher suites (%zu): ", n / 2);
	t->cont = "    ";
	u16_list(c, t, ww_tls_cipher_name, "tls.handshake.ciphersuite");
	t->cont = NULL;
	vec_close(c, old, "tls.handshake.cipher_suites_length");
	vec_open(c, 1, 1, 255, "tls.handshake.comp_methods_length", &old);
	tls_tx_line(t, "  compression: ");
	while (ww_cur_left(c)) {
		uint8_t m = ww_cur_u8(c, "tls.handshake.comp_method");
		char b[16];
		if (m == 0)
			snprintf(b, sizeof b, "null");
		else
			snprintf(b, sizeof b, "%u", m);
		tls_tx_item(t, b);
	}
	vec_close(c, old, "tls.handshake.comp_methods_length");
	extensions(c, t, IN_CH, &h, "  ");
	/* The summary first: it needs what the extensions said. */
	struct ww_tls_text hb;
	struct tls_tx ht;
	tls_tx_init(&ht, &hb);
	tls_tx_add(&ht, "ClientHello");
	if (h.sni[0])
		tls_tx_add(&ht, " for %s", h.sni);
	if (h.alpn[0])
		tls_tx_add(&ht, ", ALPN %s", h.alpn);
	tls_tx_add(&ht, ": version field %s, random 32 bytes, session id %zu bytes", tls_vname(legacy).s,
	       sid);
	tls_tx_insert(t, 0, hb.buf);
}

static void server_hello(struct ww_cursor *c, struct tls_tx *t)
{
	struct hello h = { 0 };
	uint16_t legacy = ww_cur_u16(c, "tls.handshake.version");
	const uint8_t *random = ww_cur_bytes(c, 32, "tls.handshake.random");
	bool hrr = random && memcmp(random, hrr_random, 32) == 0;
	size_t old, sid = vec_open(c, 1, 0, 32, "tls.handshake.session_id_length", &old);
	ww_cur_skip(c, sid, "tls.handshake.session_id");
	vec_close(c, old, "tls.handshake.session_id_length");
	uint16_t suite = ww_cur_u16(c, "tls.handshake.ciphersuite");
	uint8_t comp = ww_cur_u8(c, "tls.handshake.comp_method");
	extensions(c, t, hrr ? IN_HRR : IN_SH, &h, "  ");
	struct ww_tls_text hb;
	struct tls_tx ht;
	tls_tx_init(&ht, &hb);
	char suite_name[64];
	name_or_number(suite_name, sizeof suite_name, ww_tls_cipher_name(suite), suite);
	if (h.version)
		tls_tx_add(&ht, "%s: %s (from supported_versions; the version field says %s), cipher %s",
		       hrr ? "HelloRetryRequest" : "ServerHello", tls_vname(h.version).s,
		       tls_vname(legacy).s, suite_name);
	else
		tls_tx_add(&ht, "ServerHello: %s, cipher %s, session id %zu bytes%s", tls_vname(legacy).s,
		       suite_name, sid, comp ? ", compression on" : "");
	if (h.group && !hrr) {
		char g[48];
		name_or_number(g, sizeof g, ww_tls_group_name(h.group), h.group);
		tls_tx_add(&ht, ", key exchange %s", g);
	}
	if (hrr)
		tls_tx_line(&ht, "  the server wants another ClientHello (RFC 8446 §4.1.4)");
	/* RFC 8446 §4.1.3: a TLS 1.3 server that settles for 1.2 says so in
	 * the last 8 bytes of its random, against downgrade attacks. */
	if (random && !h.version && memcmp(random + 24, "DOWNGRD\x01", 8) == 0)
		tls_tx_line(&ht, "  random ends in \"DOWNGRD\\x01\": the server could have done TLS 1.3 "
			"(RFC 8446 §4.1.3)");
	tls_tx_insert(t, 0, hb.buf);
}

/* ---- the rest of the handshake ------------------------------------------------- */

static void certificate(struct ww_cursor *c, struct tls_tx *t, bool tls13)
{
	size_t old;
	if (tls13) {
		size_t n = vec_open(c, 1, 0, 255, "tls.handshake.certificate_request_context_length",
				    &old);
		ww_cur_skip(c, n, "tls.handshake.certificate_request_context");
		vec_close(c, old, "tls.handshake.certificate_request_context_length");
	}
	size_t total = vec_open(c, 3, 0, 0xffffff, "tls.handshake.certificates_length", &old);
	unsigned i = 0;
	while (ww_cur_left(c)) {
		size_t cold, n = vec_open(c, 3, 1, 0xffffff, "tls.handshake.certificate_length", &cold);
		const uint8_t *der = ww_cur_bytes(c, n, "tls.handshake.certificate");
		vec_close(c, cold, "tls.handshake.certificate_length");
		if (!der)
			break;
		struct ww_tls_cert ce;
		if (ww_tls_cert_from_der(der, n, &ce) < 0) {
			tls_tx_line(t, "  [%u] %zu bytes: not a certificate that parses", i, n);
			ww_cur_invalid(c, "tls.handshake.certificate",
				       "certificate %u does not parse as X.509 DER", i);
			break;
		}
		tls_tx_line(t, "  [%u] subject %s", i, ce.subject);
		tls_tx_line(t, "      issuer  %s", ce.issuer);
		tls_tx_line(t, "      valid   %s .. %s", ce.not_before, ce.not_after);
		if (ce.sans[0])
			tls_tx_line(t, "      names   %s", ce.sans);
		tls_tx_line(t, "      key     %s", ce.key);
		if (tls13) {
			struct hello h = { 0 };
			extensions(c, t, IN_CERT, &h, "      ");
		}
		i++;
	}
	vec_close(c, old, "tls.handshake.certificates_length");
	char head[160];
	snprintf(head, sizeof head, "Certificate: %u certificate%s, %zu bytes, the server's first%s",
		 i, i == 1 ? "" : "s", total, i > 1 ? ", each signed by the next" : "");
	tls_tx_insert(t, 0, head);
}

static void signature(struct ww_cursor *c, struct tls_tx *t)
{
	uint16_t s = ww_cur_u16(c, "tls.handshake.sig_hash_alg");
	size_t old, n = vec_open(c, 2, 0, 0xffff, "tls.handshake.sig_len", &old);
	ww_cur_skip(c, n, "tls.handshake.sig");
	vec_close(c, old, "tls.handshake.sig_len");
	char b[48];
	name_or_number(b, sizeof b, ww_tls_sigscheme_name(s), s);
	tls_tx_add(t, "signed with %s (%zu-byte signature)", b, n);
}

static void server_key_exchange(struct ww_cursor *c, struct tls_tx *t)
{
	if (ww_cur_left(c) >= 4 && ww_cur_here(c)[0] == 3) { /* ECDHE, named_curve (RFC 8422 §5.4) */
		ww_cur_u8(c, "tls.handshake.server_curve_type");
		uint16_t g = ww_cur_u16(c, "tls.handshake.server_named_curve");
		size_t old, n = vec_open(c, 1, 1, 255, "tls.handshake.server_point_len", &old);
		ww_cur_skip(c, n, "tls.handshake.server_point");
		vec_close(c, old, "tls.handshake.server_point_len");
		char b[48];
		name_or_number(b, sizeof b, ww_tls_group_name(g), g);
		tls_tx_add(t, "ServerKeyExchange: ECDHE on %s, the server's public key %zu bytes,", b, n);
	} else { /* DHE (RFC 5246 §7.4.3): p, g, Ys */
		size_t old, p = vec_open(c, 2, 1, 0xffff, "tls.handshake.p_len", &old);
		ww_cur_skip(c, p, "tls.handshake.p");
		vec_close(c, old, "tls.handshake.p_len");
		size_t g = vec_open(c, 2, 1, 0xffff, "tls.handshake.g_len", &old);
		ww_cur_skip(c, g, "tls.handshake.g");
		vec_close(c, old, "tls.handshake.g_len");
		size_t y = vec_open(c, 2, 1, 0xffff, "tls.handshake.ys_len", &old);
		ww_cur_skip(c, y, "tls.handshake.ys");
		vec_close(c, old, "tls.handshake.ys_len");
		tls_tx_add(t, "ServerKeyExchange: DHE with a %zu-bit prime, the server's public value "
		       "%zu bytes,", p * 8, y);
	}
	tls_tx_line(t, "  ");
	signature(c, t);
	tls_tx_add(t, " by the certificate's key");
}

static void new_session_ticket(struct ww_cursor *c, struct tls_tx *t, bool tls13)
{
	uint32_t life = ww_cur_u32(c, "tls.handshake.session_ticket_lifetime_hint");
	size_t old, n;
	if (tls13) {
		ww_cur_u32(c, "tls.handshake.session_ticket_age_add");
		size_t nn = vec_open(c, 1, 0, 255, "tls.handshake.session_ticket_nonce_length", &old);
		ww_cur_skip(c, nn, "tls.handshake.session_ticket_nonce");
		vec_close(c, old, "tls.handshake.session_ticket_nonce_length");
		n = vec_open(c, 2, 1, 0xffff, "tls.handshake.session_ticket_length", &old);
	} else {
		n = vec_open(c, 2, 0, 0xffff, "tls.handshake.session_ticket_length", &old);
	}
	ww_cur_skip(c, n, "tls.handshake.session_ticket");
	vec_close(c, old, "tls.handshake.session_ticket_length");
	tls_tx_add(t, "NewSessionTicket: a ticket of %zu bytes, good for %u s: a later connection "
	       "can resume without the certificate", n, life);
	if (tls13) {
		struct hello h = { 0 };
		extensions(c, t, IN_NST, &h, "  ");
	}
}

static void encrypted_extensions(struct ww_cursor *c, struct tls_tx *t)
{
	struct hello h = { 0 };
	tls_tx_add(t, "EncryptedExtensions: the rest of the server's answer, now encrypted");
	extensions(c, t, IN_EE, &h, "  ");
	if (h.alpn[0])
		tls_tx_line(t, "  ALPN: the server chose %s", h.alpn);
}

static void describe_body(struct ww_cursor *c, struct tls_tx *t, unsigned type, bool tls13)
{
	size_t n = ww_cur_left(c), old;
	switch (type) {
	case WW_TLS_HS_CLIENT_HELLO: client_hello(c, t); break;
	case WW_TLS_HS_SERVER_HELLO: server_hello(c, t); break;
	case WW_TLS_HS_ENCRYPTED_EXTENSIONS: encrypted_extensions(c, t); break;
	case WW_TLS_HS_CERTIFICATE: certificate(c, t, tls13); break;
	case WW_TLS_HS_SERVER_KEY_EXCHANGE: server_key_exchange(c, t); break;
	case WW_TLS_HS_NEW_SESSION_TICKET: new_session_ticket(c, t, tls13); break;
	case WW_TLS_HS_CERTIFICATE_VERIFY:
		tls_tx_add(t, "CertificateVerify: the handshake so far, ");
		signature(c, t);
		tls_tx_add(t, ": proof the server holds the certificate's private key");
		break;
	case WW_TLS_HS_SERVER_HELLO_DONE:
		tls_tx_add(t, "ServerHelloDone: the server's part of the hello is over");
		break;
	case WW_TLS_HS_CLIENT_KEY_EXCHANGE:
		/* ECDHE: point<1..255>; RSA and DHE: a 2-byte length. */
		if (n >= 2 && ww_cur_here(c)[0] == n - 1) {
			ww_cur_u8(c, "tls.handshake.client_point_len");
			ww_cur_skip(c, n - 1, "tls.handshake.client_point");
			tls_tx_add(t, "ClientKeyExchange: our ECDHE public key, %zu bytes: both sides "
			       "now compute the same secret", n - 1);
		} else {
			size_t k = vec_open(c, 2, 1, 0xffff, "tls.handshake.epms_len", &old);
			ww_cur_skip(c, k, "tls.handshake.epms");
			vec_close(c, old, "tls.handshake.epms_len");
			tls_tx_add(t, "ClientKeyExchange: %zu bytes (DHE public value or an encrypted "
			       "premaster secret)", k);
		}
		break;
	case WW_TLS_HS_FINISHED:
		ww_cur_skip(c, n, "tls.handshake.verify_data");
		tls_tx_add(t, "Finished: verify_data %zu bytes, a MAC over the whole handshake: both "
		       "sides saw the same messages", n);
		break;
	case WW_TLS_HS_CERTIFICATE_REQUEST:
		ww_cur_skip(c, n, "tls.handshake.certificate_request");
		tls_tx_add(t, "CertificateRequest: the server asks for a client certificate (%zu bytes)",
		       n);
		break;
	case WW_TLS_HS_KEY_UPDATE: {
		uint8_t r = ww_cur_u8(c, "tls.handshake.key_update.request_update");
		tls_tx_add(t, "KeyUpdate: new traffic keys from here on%s",
		       r ? "; the peer is asked to update too" : "");
		break;
	}
	case WW_TLS_HS_END_OF_EARLY_DATA:
		tls_tx_add(t, "EndOfEarlyData");
		break;
	default: {
		const char *name = ww_tls_handshake_name(type);
		ww_cur_skip(c, n, "tls.handshake.data");
		if (name)
			tls_tx_add(t, "%s: %zu bytes", name, n);
		else
			tls_tx_add(t, "handshake message type %u: %zu bytes", type, n);
	}
	}
}

/* ---- entry point ------------------------------------------------------------------ */

int ww_tls_describe_handshake(const uint8_t *p, size_t n, bool tls13, struct ww_tls_text *out,
			      struct ww_error *err)
{
	struct tls_tx t;
	struct ww_cursor c;
	tls_tx_init(&t, out);
	ww_cur_init(&c, p, n, 0);
	uint8_t type = ww_cur_u8(&c, "tls.handshake.type");
	uint32_t len = u24(&c, "tls.handshake.length");
	if (ww_cur_ok(&c) && len > ww_cur_left(&c)) /* a message cut short */
		ww_cur_truncated(&c, "tls.handshake.length", len);
	if (ww_cur_ok(&c)) {
		size_t old = ww_cur_limit(&c, len);
		describe_body(&c, &t, type, tls13);
		if (ww_cur_ok(&c) && ww_cur_left(&c)) {
			const char *name = ww_tls_handshake_name(type);
			ww_cur_invalid(&c, "tls.handshake.length", "%zu bytes left over after the %s",
				       ww_cur_left(&c), name ? name : "message");
		}
		ww_cur_unlimit(&c, old);
		if (ww_cur_ok(&c) && ww_cur_left(&c))
			ww_cur_invalid(&c, "tls.handshake.length", "%zu bytes after the message",
				       ww_cur_left(&c));
	} else {
		tls_tx_add(&t, "handshake message");
	}
	return tls_tx_finish(&c, &t, err);
}
