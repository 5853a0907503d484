/* Any text as command lines: word splitting keeps its promises, and the
 * commands that touch neither files nor the network (help, set, show,
 * packets, hex, layers, bits; send, sr1, sniff and wait up to the point
 * where they would need the network, which cannot start here) run to an
 * exit status without crashing, over frames of a capture read once. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/view_frames.h"
#include "ww/pcap.h"
#include "ww/session.h"
#include "ww/shell.h"

#define MAX_WORDS 64

static struct ww_shell sh;

static void check(int ok)
{
	if (!ok)
		abort();
}

/* Output goes nowhere: a stream that takes every byte and keeps none. */
static ssize_t discard(void *cookie, const char *buf, size_t n)
{
	(void)cookie, (void)buf;
	return (ssize_t)n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	FILE *null = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = discard });
	check(null && ww_shell_init(&sh, null, null) == 0);
	/* A lab name that is not one: the network fails to start, at once. */
	struct ww_session_opts o = { .lab = "not a lab!" };
	check(ww_live_configure(&sh, &o) == 0);
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/ww-fuzz-XXXXXX", dir && *dir ? dir : P_tmpdir);
	int fd = mkstemp(path);
	check(fd >= 0);
	close(fd);
	struct ww_pcap_writer w;
	check(ww_pcap_create(&w, path, false, 0, WW_LINKTYPE_ETHERNET) == 0);
	ww_pcap_write(&w, 1, 0, vf_arp_request, sizeof vf_arp_request, 0);
	ww_pcap_write(&w, 2, 0, vf_tcp_syn, sizeof vf_tcp_syn, 0);
	ww_pcap_write(&w, 3, 0, vf_tcp_syn_ack, sizeof vf_tcp_syn_ack, 0);
	ww_pcap_write(&w, 4, 0, vf_port_unreach, sizeof vf_port_unreach, 0);
	check(ww_pcap_writer_close(&w) == 0);
	check(ww_shell_read(&sh, path, 0) == 0);
	unlink(path);
	return 0;
}

static const char *const safe[] = {
	"help", "set", "show", "packets", "hex", "layers", "bits", "send", "sr1", "sniff", "wait",
	NULL,
};

static int is_safe(const char *w)
{
	for (const char *const *s = safe; *s; s++)
		if (strcmp(*s, w) == 0)
			return 1;
	return 0;
}

static void one_line(const char *line)
{
	char *copy = strdup(line);
	char *argv[MAX_WORDS + 1];
	const char *why = NULL;
	int argc = ww_split_words(copy, argv, MAX_WORDS, &why);
	check(argc <= MAX_WORDS);
	if (argc < 0)
		check(why != NULL);
	for (int i = 0; i < argc; i++)
		check(argv[i] >= copy && argv[i] + strlen(argv[i]) <= copy + strlen(line));
	int run = argc > 0 && is_safe(argv[0]);
	free(copy);
	if (!run)
		return;
	int rc = ww_shell_exec(&sh, line);
	check(rc >= 0 && rc <= 2);
	/* What the line may have changed, back as it was. */
	sh.view = WW_VIEW_SUMMARY;
	sh.json = false;
	sh.quit = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		one_line(line);
	}
	free(text);
	return 0;
}
