/* The TLS describer (record headers, handshake messages, alerts,
 * change_cipher_spec) on arbitrary bytes. The first byte chooses what the
 * rest is read as, and TLS 1.3 or 1.2 for the messages whose layout
 * differs. It must never read out of bounds; it returns 0 with no error,
 * or -1 with an error naming a field; its text always ends within the
 * buffer. A record stream is walked header by header to the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ww/tls.h"

static struct ww_tls_text text;

static void check(int ok)
{
	if (!ok)
		abort();
}

static void checked(int r, const struct ww_error *e)
{
	check(r == 0 || r == -1);
	check(text.len < sizeof text.buf && text.buf[text.len] == '\0');
	check(strlen(text.buf) == text.len);
	if (r == 0)
		check(e->status == WW_OK);
	else
		check(e->status != WW_OK && e->field != NULL && e->msg[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t how = data[0];
	data++;
	size--;
	bool tls13 = how & 0x10;
	struct ww_error e;
	switch (how & 0x0f) {
	case 0:
		checked(ww_tls_describe_handshake(data, size, tls13, &text, &e), &e);
		break;
	case 1:
		checked(ww_tls_describe_alert(data, size, &text, &e), &e);
		break;
	case 2:
		checked(ww_tls_describe_ccs(data, size, tls13, &text, &e), &e);
		break;
	default: {
		/* A stream of records, each handshake record's body described. */
		struct ww_cursor c;
		ww_cur_init(&c, data, size, 0);
		while (ww_cur_left(&c)) {
			const uint8_t *hdr = ww_cur_here(&c);
			size_t left = ww_cur_left(&c);
			checked(ww_tls_describe_record(hdr, left < 5 ? left : 5, &text, &e), &e);
			struct ww_tls_record r;
			if (ww_tls_record_parse(&c, &r) < 0)
				break;
			const uint8_t *body = ww_cur_bytes(&c, r.length, "tls.record");
			if (!body)
				break;
			if (r.type == WW_TLS_CT_HANDSHAKE)
				checked(ww_tls_describe_handshake(body, r.length, tls13, &text, &e), &e);
		}
	}
	}
	return 0;
}
