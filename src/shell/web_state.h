/* The notes HTTP and TLS leave for lesson checks (web_state.c):
 * `state http.status[URL] == 200`, `state tls.version[IP:PORT] == "TLS 1.3"`. */
#ifndef WW_SHELL_WEB_STATE_H
#define WW_SHELL_WEB_STATE_H

#include <stdint.h>

/* A response to URL ("https://www.example.com/style.css") came with STATUS. */
void ww_web_note_http(const char *url, int status);
/* A TLS handshake with IP:PORT agreed on VERSION ("TLS 1.3"). */
void ww_web_note_tls(uint32_t ip, uint16_t port, const char *version);
void ww_web_notes_clear(void);
/* Give http.status and tls.version their providers. 0, or -1. */
int ww_web_state_register(void);

#endif
