/* Between fetch's journey (cmd_fetch.c) and its connection steps and
 * timeline (cmd_fetch_net.c). */
#ifndef WW_SHELL_FETCH_INT_H
#define WW_SHELL_FETCH_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "http_client.h"
#include "ww/url.h"

/* The phases of the page's first request, as a browser's developer tools
 * name them (ns). */
struct fetch_timeline {
	uint64_t dns, stalled /* route and ARP */, connect, tls, send, wait, download, total;
};

struct fetch {
	struct ww_shell *sh;
	struct ww_session *s;
	bool step, run_to_end;
	unsigned nsteps, nrequests;
	const char *out_path;
	FILE *out_file;
	struct ww_url url;        /* what is being fetched now */
	uint32_t ip;              /* its address */
	struct http_stream st;    /* the open connection, if any */
	char origin[300];         /* scheme://host:port of st */
	struct http_body body;    /* the page's */
	uint64_t t0;
	bool timed;               /* the timeline has the first request's phases */
	struct fetch_timeline tl;
};

bool fetch_step(struct fetch *f, const char *name, const char *why);
int fetch_arp(struct fetch *f, uint32_t next_hop);
int fetch_tcp(struct fetch *f);
int fetch_tls(struct fetch *f);
/* Close the open connection, if any, in order. */
void fetch_drop_connection(struct fetch *f);
void fetch_timeline(const struct fetch *f);

#endif
