/* Between the TLS record module (tls_record.c: table, parsers, the hello
 * walk) and its dissector (tls_dissect.c). */
#ifndef WW_TLS_PRIV_H
#define WW_TLS_PRIV_H

#include <stdbool.h>

#include "ww/cursor.h"
#include "ww/tls_record.h"

struct ww_dissection;

/* A row's name, for errors: "tls.handshake.session_id_length". */
#define TLS_FN(row) (ww_tls_fields[row].name)

/* The body of a ClientHello or ServerHello (H->type set; C covers the
 * body, after the 4-byte message header, and no more). Fills H; with D
 * non-NULL adds an item for each field read (depth 2, an extension's
 * parts 3). WHOLE: the body is all in C, so a length running past C's end
 * is invalid; otherwise the segment ended inside the message and running
 * out stops the walk as truncated, with the items read so far kept.
 * 0 or -1 (the cursor's error names the field). */
int tls_hello_walk(struct ww_cursor *c, struct ww_tls_hello *h, struct ww_dissection *d,
		   bool whole);

#endif
