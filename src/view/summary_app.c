/* The end of a TCP summary line when the payload is TLS or HTTP, read from
 * the layer's items:
 *   "length 84: HTTP: GET /4000.html HTTP/1.1"       (tcpdump's own form)
 *   "length 1448: HTTP: HTTP/1.1 200 OK"
 *   "length 517: TLS: ClientHello SNI example.com"
 *   "length 824: TLS: ServerHello (TLS 1.3, TLS_AES_256_GCM_SHA384),
 *    ChangeCipherSpec, ApplicationData ×4"
 * tcpdump stops at "HTTP" for TLS too; the record list follows tshark's
 * Info column, one entry per handshake message or record, repeats
 * counted. A record or head the segment cuts says "(partial ...)". */
#include <inttypes.h>
#include <string.h>

#include "ww/http_msg.h"
#include "ww/tls_record.h"

#include "view_int.h"

#define TLS(row) (&ww_tls_fields[row])
#define HTTP(row) (&ww_http_fields[row])

bool vw_layer_partial(const struct ww_dissection *d, unsigned li)
{
	for (unsigned i = 0; i < d->nitems; i++) {
		const struct ww_item *it = &d->items[i];
		if (it->layer == li &&
		    (it->f == TLS(WW_TLS_F_PARTIAL) || it->f == HTTP(WW_HTTP_F_PARTIAL)))
			return true;
	}
	return false;
}

/* ---- TLS ------------------------------------------------------------------- */

/* One entry of the list being built: a handshake message or a record. */
struct entry {
	char name[40];          /* "ClientHello", "ApplicationData" */
	const struct ww_item *sni;
	uint64_t version, suite, level, desc;
	bool has_version, has_suite, has_alert, partial;
	uint32_t have, rlen;    /* a partial record: bytes here, of its length */
};

struct tls_list {
	FILE *out;
	bool open;              /* an entry is being built */
	struct entry cur;
	char prev[400];         /* the last entry written out, for counting repeats */
	unsigned repeats, written;
	/* The record the items belong to. */
	uint64_t content_type;
	uint32_t have, rlen;
	bool record_has_entry;
};

static void put_entry_text(const struct entry *e, char *buf, size_t n)
{
	size_t k = (size_t)snprintf(buf, n, "%s", e->name);
	char v[16];
	if (k < n && (e->has_version || e->has_suite)) {
		const char *suite = e->has_suite ? ww_tls_cipher_name((uint16_t)e->suite) : NULL;
		char num[8];
		if (e->has_suite && !suite)
			snprintf(num, sizeof num, "0x%04" PRIx64, e->suite);
		k += (size_t)snprintf(buf + k, n - k, " (%s%s%s)",
				      e->has_version ? ww_tls_version_str((uint16_t)e->version, v,
									  sizeof v) : "",
				      e->has_version && e->has_suite ? ", " : "",
				      e->has_suite ? (suite ? suite : num) : "");
	}
	if (k < n && e->has_alert) {
		const char *lvl = ww_tok_str(ww_tls_alert_level_names, (uint32_t)e->level);
		const char *desc = ww_tls_alert_name((unsigned)e->desc);
		k += (size_t)snprintf(buf + k, n - k, " (%s, %s)", lvl ? lvl : "level ?",
				      desc ? desc : "?");
	}
	if (k < n && e->partial) {
		if (e->rlen)
			snprintf(buf + k, n - k, " (partial: %" PRIu32 " of %" PRIu32 " bytes)",
				 e->have, e->rlen);
		else
			snprintf(buf + k, n - k, " (partial header)");
	}
}

static void flush_repeats(struct tls_list *l)
{
	if (l->repeats > 1)
		fprintf(l->out, " ×%u", l->repeats);
	l->repeats = 0;
}

static void close_entry(struct tls_list *l)
{
	if (!l->open)
		return;
	l->open = false;
	char text[sizeof l->prev];
	put_entry_text(&l->cur, text, sizeof text);
	if (l->repeats && strcmp(text, l->prev) == 0) {
		l->repeats++;
		return;
	}
	flush_repeats(l);
	fputs(l->written++ ? ", " : " ", l->out);
	/* SNI comes from the frame: never raw to the terminal. */
	const struct ww_item *sni = l->cur.sni;
	if (sni) {
		fputs(l->cur.name, l->out);
		fputs(" SNI ", l->out);
		vw_put_text(l->out, sni->p, sni->plen);
	} else {
		fputs(text, l->out);
	}
	snprintf(l->prev, sizeof l->prev, "%s", text);
	l->repeats = 1;
}

static void open_entry(struct tls_list *l, const char *name)
{
	close_entry(l);
	l->open = true;
	l->record_has_entry = true;
	memset(&l->cur, 0, sizeof l->cur);
	snprintf(l->cur.name, sizeof l->cur.name, "%s", name);
}

static const char *content_name(uint64_t type)
{
	switch (type) {
	case WW_TLS_CT_CHANGE_CIPHER_SPEC: return "ChangeCipherSpec";
	case WW_TLS_CT_ALERT: return "Alert";
	case WW_TLS_CT_HANDSHAKE: return "Handshake";
	default: return "ApplicationData";
	}
}

static void tls_item(struct tls_list *l, const struct ww_item *it)
{
	const struct ww_field *f = it->f;
	bool hello = l->open && (strcmp(l->cur.name, "ClientHello") == 0 ||
				 strcmp(l->cur.name, "ServerHello") == 0);
	if (f == TLS(WW_TLS_F_RECORD)) {
		close_entry(l);
		l->record_has_entry = false;
		l->have = it->len > WW_TLS_RECORD_HEADER_LEN ? it->len - WW_TLS_RECORD_HEADER_LEN : 0;
		l->rlen = 0;
	} else if (f == TLS(WW_TLS_F_CONTENT_TYPE)) {
		l->content_type = it->u;
	} else if (f == TLS(WW_TLS_F_RECORD_LENGTH)) {
		l->rlen = (uint32_t)it->u;
	} else if (f == TLS(WW_TLS_F_HS_TYPE)) {
		const char *name = ww_tls_handshake_name((unsigned)it->u);
		char num[24];
		snprintf(num, sizeof num, "Handshake%" PRIu64, it->u);
		open_entry(l, name ? name : num);
	} else if (f == TLS(WW_TLS_F_HANDSHAKE_ENCRYPTED)) {
		open_entry(l, "EncryptedHandshakeMessage");
	} else if (f == TLS(WW_TLS_F_CCS)) {
		open_entry(l, "ChangeCipherSpec");
	} else if (f == TLS(WW_TLS_F_ALERT)) {
		open_entry(l, "Alert");
	} else if (f == TLS(WW_TLS_F_ALERT_ENCRYPTED)) {
		open_entry(l, "EncryptedAlert");
	} else if (f == TLS(WW_TLS_F_APP_DATA)) {
		open_entry(l, "ApplicationData");
	} else if (f == TLS(WW_TLS_F_ALERT_LEVEL) && l->open) {
		l->cur.level = it->u;
		l->cur.has_alert = true;
	} else if (f == TLS(WW_TLS_F_ALERT_DESC) && l->open) {
		l->cur.desc = it->u;
	} else if (f == TLS(WW_TLS_F_SNI) && hello && !l->cur.sni) {
		l->cur.sni = it;
	} else if (f == TLS(WW_TLS_F_HS_VERSION) && hello && l->cur.name[0] == 'S') {
		l->cur.version = it->u;
		l->cur.has_version = true;
	} else if (f == TLS(WW_TLS_F_SUPPORTED_VERSION) && hello && l->cur.name[0] == 'S') {
		l->cur.version = it->u; /* the version chosen: TLS 1.3 says so only here */
	} else if (f == TLS(WW_TLS_F_SUITE) && hello && l->cur.name[0] == 'S') {
		l->cur.suite = it->u;
		l->cur.has_suite = true;
	} else if (f == TLS(WW_TLS_F_PARTIAL)) {
		if (!l->record_has_entry)
			open_entry(l, content_name(l->content_type));
		l->cur.partial = true;
		l->cur.have = l->have;
		l->cur.rlen = l->rlen;
	}
}

static void describe_tls(FILE *out, const struct ww_dissection *d, unsigned li)
{
	struct tls_list l = { .out = out };
	fputs(": TLS:", out);
	for (unsigned i = 0; i < d->nitems; i++)
		if (d->items[i].layer == li)
			tls_item(&l, &d->items[i]);
	close_entry(&l);
	flush_repeats(&l);
}

/* ---- HTTP ------------------------------------------------------------------ */

static void put_item_text(FILE *out, const struct ww_dissection *d, unsigned li,
			  const struct ww_field *f)
{
	for (unsigned i = 0; i < d->nitems; i++) {
		const struct ww_item *it = &d->items[i];
		if (it->layer != li || it->f != f)
			continue;
		fputc(' ', out);
		if (f->type == WW_FT_UINT)
			fprintf(out, "%" PRIu64, it->u);
		else
			vw_put_text(out, it->p, it->plen);
		return;
	}
}

static void describe_http(FILE *out, const struct ww_dissection *d, unsigned li)
{
	static const int request[] = { WW_HTTP_F_METHOD, WW_HTTP_F_URI, WW_HTTP_F_REQ_VERSION };
	static const int response[] = { WW_HTTP_F_RESP_VERSION, WW_HTTP_F_CODE, WW_HTTP_F_PHRASE };
	bool is_response = vw_item_find(d, li, "http.response") != NULL;
	const int *rows = is_response ? response : request;
	fputs(": HTTP:", out);
	for (int k = 0; k < 3; k++)
		put_item_text(out, d, li, HTTP(rows[k]));
	if (vw_layer_partial(d, li))
		fputs(" (partial head)", out);
}

void vw_summary_app(FILE *out, const struct ww_dissection *d, unsigned li)
{
	bool tls = d->layers[li].proto == WW_P_TLS;
	if (vw_layer_failed(d, li)) { /* the error follows at the line's end */
		fputs(tls ? ": TLS" : ": HTTP", out);
		return;
	}
	if (tls)
		describe_tls(out, d, li);
	else
		describe_http(out, d, li);
}
