/* Any text as a filter, with variables naming real frames, over real
 * frames: parsing and matching never crash, an error names a place in the
 * text, and "not (F)" picks exactly the frames F does not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/view_frames.h"
#include "ww/dissect.h"
#include "ww/filter.h"

#define F(x) { x, sizeof x }
static const struct { const uint8_t *p; size_t len; } frames[] = {
	F(vf_arp_request), F(vf_echo_request), F(vf_dns_cname), F(vf_tcp_syn_ack),
	F(vf_tcp_get), F(vf_port_unreach), F(vf_frag_last),
};
#define NFRAMES (sizeof frames / sizeof frames[0])

static void check(int ok)
{
	if (!ok)
		abort();
}

static int frame_var(void *arg, const char *name, size_t len, const uint8_t **f, size_t *flen,
		     char *err, size_t errlen)
{
	(void)arg, (void)err, (void)errlen;
	if (len == 1 && name[0] >= '1' && name[0] < '1' + (int)NFRAMES) {
		*f = frames[name[0] - '1'].p, *flen = frames[name[0] - '1'].len;
		return 0;
	}
	return -1;
}

static const struct ww_vars vars = { frame_var, NULL };
static struct ww_filter f, g;
static struct ww_dissection d[NFRAMES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < NFRAMES; i++)
		ww_dissect(&d[i], frames[i].p, frames[i].len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2048)
		return 0;
	char *text = malloc(size + 1), *neg = malloc(size + 16);
	memcpy(text, data, size);
	text[size] = '\0';
	struct ww_expr_error err;
	if (ww_filter_parse(&f, text, NULL, &vars, &err) < 0) {
		check(err.msg[0] != '\0' && err.pos <= strlen(text));
	} else {
		check(f.root < (int)f.n && f.data_len <= sizeof f.data);
		/* Not with a comment (it would swallow the ')'), not empty. */
		if (f.root >= 0 && !strchr(text, '#')) {
			strcpy(neg, "not (");
			strcat(neg, text);
			strcat(neg, "\n)");
			if (ww_filter_parse(&g, neg, NULL, &vars, &err) == 0)
				for (size_t i = 0; i < NFRAMES; i++)
					check(ww_filter_match(&f, &d[i]) != ww_filter_match(&g, &d[i]));
		}
		for (size_t i = 0; i < NFRAMES; i++)
			(void)ww_filter_match(&f, &d[i]);
	}
	const char *out[1024];
	check(ww_filter_complete(text, out, 1024) <= 1024);
	free(text);
	free(neg);
	return 0;
}
