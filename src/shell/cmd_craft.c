/* Hand-crafted frames on the live network: `send`, `sr1` (send, then wait
 * for the answer) and `sniff` (wait for frames a filter picks), with the
 * command table of the crafting commands. The frame views (`packets`,
 * `show $N`, `hex`, `layers`, `bits`, `capture save`) are in
 * cmd_frames.c. */
#include <stdlib.h>
#include <string.h>

#include "cmd_craft_int.h"
#include "ww/dissect.h"
#include "ww/filter.h"
#include "ww/session.h"

#define SR1_DEFAULT_MS 2000
#define SNIFF_FOREVER_MS 86400000u /* a day: until Ctrl-C */
#define SNIFF_MAX_LISTED 32

/* Parse the expression TEXT, start the session if need be, build and send
 * the frame. The packet number, or 0 after reporting why (*RC: the exit
 * status, a usage error for a wrong expression). */
static unsigned craft_and_send(struct ww_shell *sh, const char *name, const char *text, int *rc)
{
	struct ww_craft *c = malloc(sizeof *c);
	uint8_t *frame = malloc(WW_CRAFT_MAX_FRAME);
	unsigned no = 0;
	*rc = WW_EXIT_FAIL;
	struct ww_expr_error err;
	struct ww_vars vars;
	shell_vars(sh, &vars);
	if (!c || !frame) {
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", name);
		goto out;
	}
	if (ww_craft_parse(c, text, NULL, &vars, &err) < 0) {
		*rc = expr_error(sh, WW_EXIT_USAGE, name, text, &err);
		goto out;
	}
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		goto out;
	struct ww_craft_env env;
	craft_env(sh, s, c, &env);
	size_t len;
	if (ww_craft_build(c, &env, frame, WW_CRAFT_MAX_FRAME, &len, &err) < 0) {
		expr_error(sh, WW_EXIT_FAIL, name, text, &err);
		goto out;
	}
	no = ww_session_send(s, frame, len);
	if (no == 0)
		ww_shell_error(sh, WW_EXIT_FAIL, "%s: the link refused the %zu-byte frame", name, len);
	else
		*rc = WW_EXIT_OK;
out:
	free(frame);
	free(c);
	return no;
}

static int cmd_send(struct ww_shell *sh, int argc, char **argv)
{
	const char *text = command_args(sh, argc, argv);
	if (!*text)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	int rc;
	craft_and_send(sh, argv[0], text, &rc);
	return rc;
}

/* What comes after an expression or a filter: a duration, or nothing. */
static int trailing_duration(struct ww_shell *sh, const char *name, const char *rest,
			     unsigned *ms)
{
	struct ww_lexeme t, after;
	size_t pos = 0;
	ww_lex(rest, &pos, &t);
	if (t.kind == WW_LEX_END)
		return 0;
	ww_lex_peek(rest, pos, &after);
	if (t.kind != WW_LEX_ATOM || after.kind != WW_LEX_END ||
	    ww_parse_duration(rest + t.pos, t.len, ms) < 0) {
		ww_shell_error(sh, WW_EXIT_USAGE,
			       "%s: '%s' is not a timeout (seconds: 2, 0.5, 500ms)", name, rest + t.pos);
		return -1;
	}
	return 0;
}

struct answer_wait {
	struct ww_dissection *sent, *got;
};

static bool is_answer(void *arg, const struct ww_packet *p)
{
	struct answer_wait *w = arg;
	ww_dissect(w->got, p->data, p->len);
	return ww_craft_answers(w->sent, w->got);
}

static int cmd_sr1(struct ww_shell *sh, int argc, char **argv)
{
	const char *text = command_args(sh, argc, argv);
	if (!*text)
		return ww_shell_usage(sh, ww_command_find(argv[0]));
	/* The timeout after the expression is checked first: nothing is sent
	 * when the line is wrong. */
	struct ww_craft *probe = malloc(sizeof *probe);
	struct ww_expr_error err;
	struct ww_vars vars;
	shell_vars(sh, &vars);
	size_t end = 0;
	unsigned ms = SR1_DEFAULT_MS;
	if (!probe)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", argv[0]);
	int parsed = ww_craft_parse(probe, text, &end, &vars, &err);
	free(probe);
	if (parsed < 0)
		return expr_error(sh, WW_EXIT_USAGE, argv[0], text, &err);
	if (trailing_duration(sh, argv[0], text + end, &ms) < 0)
		return WW_EXIT_USAGE;
	char *expr = strndup(text, end);
	if (!expr)
		return ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", argv[0]);
	int rc;
	unsigned no = craft_and_send(sh, argv[0], expr, &rc);
	free(expr);
	if (!no)
		return rc;
	struct ww_session *s = ww_shell_session_running(sh);
	struct answer_wait w = { malloc(sizeof *w.sent), malloc(sizeof *w.got) };
	uint8_t *sent_copy = NULL;
	if (!w.sent || !w.got) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", argv[0]);
		goto out;
	}
	const struct ww_packet *sent = ww_session_packet(s, no);
	if (!sent) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: $%u was not kept (set capture.keep): "
				    "nothing to match an answer against", argv[0], no);
		goto out;
	}
	/* The list may forget $NO while we wait (set capture.keep): the
	 * dissection looks at a copy of its own. */
	uint64_t sent_ns = sent->ts_ns;
	if (!(sent_copy = malloc(sent->len ? sent->len : 1))) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", argv[0]);
		goto out;
	}
	memcpy(sent_copy, sent->data, sent->len);
	ww_dissect(w.sent, sent_copy, sent->len);
	int got = ww_session_wait(s, is_answer, &w, ms);
	if (got < 0) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: interrupted", argv[0]);
	} else if (got == 0) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: no answer to $%u within %.3g s", argv[0],
				    no, ms / 1000.0);
	} else {
		const struct ww_packet *p = ww_session_packet(s, (unsigned)got);
		sh->reply_no = (unsigned)got;
		if (p)
			fprintf(sh->out, "$reply is $%d, %.3f ms after $%u\n", got,
				(double)(p->ts_ns - sent_ns) / 1e6, no);
		else
			fprintf(sh->out, "$reply is $%d (no longer kept)\n", got);
	}
out:
	free(sent_copy);
	free(w.sent);
	free(w.got);
	return rc;
}

/* ---- sniff ---------------------------------------------------------------- */

struct sniff {
	struct ww_filter *filter;
	struct ww_dissection *d;
	unsigned want, got;
	unsigned nos[SNIFF_MAX_LISTED];
};

/* Counts every match and says "done" only at the last one: frames that
 * arrive together are all seen. */
static bool sniffed(void *arg, const struct ww_packet *p)
{
	struct sniff *sn = arg;
	ww_dissect(sn->d, p->data, p->len);
	if (!ww_filter_match(sn->filter, sn->d))
		return false;
	if (sn->got < SNIFF_MAX_LISTED)
		sn->nos[sn->got] = p->no;
	return ++sn->got >= sn->want;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* The filter written in quotes (T), then perhaps a timeout. */
static int quoted_filter(struct ww_shell *sh, const char *name, const char *rest,
			 const struct ww_lexeme *t, struct sniff *sn, const struct ww_vars *vars,
			 unsigned *ms)
{
	struct ww_expr_error err;
	char *text = malloc(t->len);
	long n = text ? ww_lex_string(rest, t, (uint8_t *)text, t->len - 1, &err) : -1;
	int rc = WW_EXIT_OK;
	if (n < 0) {
		rc = text ? expr_error(sh, WW_EXIT_USAGE, name, rest, &err)
			  : ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", name);
	} else {
		text[n] = '\0';
		if (ww_filter_parse(sn->filter, text, NULL, vars, &err) < 0)
			rc = expr_error(sh, WW_EXIT_USAGE, name, text, &err);
		else if (trailing_duration(sh, name, rest + t->pos + t->len, ms) < 0)
			rc = WW_EXIT_USAGE;
	}
	free(text);
	return rc;
}

/* [COUNT] [FILTER] [TIMEOUT]: a leading number is the count; a trailing
 * duration is the timeout when the filter does not read it as its own
 * (sniff tcp.dstport == 80 is a filter; sniff tcp.dstport == 80 3 waits
 * three seconds). */
static int sniff_args(struct ww_shell *sh, const char *name, const char *text, struct sniff *sn,
		      unsigned *ms)
{
	struct ww_lexeme t;
	size_t pos = 0;
	ww_lex(text, &pos, &t);
	uint64_t count = 1;
	const char *rest = text;
	if (t.kind == WW_LEX_ATOM && all_digits(text + t.pos, t.len)) {
		if (ww_parse_number(text + t.pos, t.len, &count) < 0 || count == 0 || count > 1000000)
			return ww_shell_error(sh, WW_EXIT_USAGE, "%s: count %.*s: 1 to 1000000", name,
					      (int)t.len, text + t.pos);
		rest = text + pos;
		rest += strspn(rest, " \t");
	}
	sn->want = (unsigned)count;
	struct ww_vars vars;
	shell_vars(sh, &vars);
	struct ww_expr_error err, err2;
	ww_lex_peek(rest, 0, &t);
	if (t.kind == WW_LEX_STRING) /* sniff 3 "tcp.port == 80" 2 */
		return quoted_filter(sh, name, rest, &t, sn, &vars, ms);
	if (ww_filter_parse(sn->filter, rest, NULL, &vars, &err) == 0)
		return 0;
	/* The last word, as a timeout, and the filter without it. */
	size_t last = 0, lastlen = 0;
	pos = 0;
	for (;;) {
		ww_lex(rest, &pos, &t);
		if (t.kind == WW_LEX_END || t.kind == WW_LEX_BAD)
			break;
		last = t.pos;
		lastlen = t.kind == WW_LEX_ATOM ? t.len : 0;
	}
	if (lastlen && ww_parse_duration(rest + last, lastlen, ms) == 0 &&
	    strspn(rest + last + lastlen, " \t\r\n") == strlen(rest + last + lastlen)) {
		char *head = strndup(rest, last);
		int rc = head ? ww_filter_parse(sn->filter, head, NULL, &vars, &err2) : -1;
		free(head);
		if (rc == 0)
			return 0;
	}
	return expr_error(sh, WW_EXIT_USAGE, name, rest, &err);
}

static int cmd_sniff(struct ww_shell *sh, int argc, char **argv)
{
	struct sniff sn = { .filter = malloc(sizeof *sn.filter), .d = malloc(sizeof *sn.d) };
	unsigned ms = SNIFF_FOREVER_MS;
	int rc = WW_EXIT_OK;
	if (!sn.filter || !sn.d) {
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: out of memory", argv[0]);
		goto out;
	}
	rc = sniff_args(sh, argv[0], command_args(sh, argc, argv), &sn, &ms);
	if (rc != WW_EXIT_OK)
		goto out;
	struct ww_session *s = ww_shell_session(sh);
	if (!s) {
		rc = WW_EXIT_FAIL;
		goto out;
	}
	int got = ww_session_wait(s, sniffed, &sn, ms);
	if (sn.got) {
		fprintf(sh->out, "sniffed %u frame%s:", sn.got, sn.got == 1 ? "" : "s");
		for (unsigned i = 0; i < sn.got && i < SNIFF_MAX_LISTED; i++)
			fprintf(sh->out, " $%u", sn.nos[i]);
		fputs(sn.got > SNIFF_MAX_LISTED ? " ...\n" : "\n", sh->out);
	}
	if (got < 0)
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: interrupted after %u of %u", argv[0], sn.got,
				    sn.want);
	else if (got == 0)
		rc = ww_shell_error(sh, WW_EXIT_FAIL, "%s: %u of %u frame%s within %.3g s", argv[0],
				    sn.got, sn.want, sn.want == 1 ? "" : "s", ms / 1000.0);
out:
	free(sn.filter);
	free(sn.d);
	return rc;
}

/* ---- the table ------------------------------------------------------------ */

const struct ww_command ww_craft_commands[] = {
	{ .name = "send", .args = "EXPR",
	  .summary = "build a frame from an expression and send it",
	  .help = "Builds the frame EXPR describes and sends it as it is. Layers are\n"
		  "joined by '/', fields set by Wireshark name or a short alias:\n"
		  "  send ip(dst=192.0.2.10, ttl=1)/icmp(type=echo-request)\n"
		  "  send eth(dst=ff:ff:ff:ff:ff:ff)/arp(op=request, tpa=192.168.1.1)\n"
		  "  send ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000)\n"
		  "  send ip(dst=192.0.2.10)/tcp(flags=A, seq=$reply.tcp.ack, ack=$reply.tcp.seq + 1)\n"
		  "  send ip(dst=192.0.2.10)/udp(dport=9)/\"hello\\n\"\n"
		  "Layers: eth vlan arp ip icmp udp tcp raw (the payload, or \"text\").\n"
		  "Fields left unset are filled as a stack would: our addresses, the\n"
		  "next hop's MAC by routing and ARP, types and protocol numbers from\n"
		  "the layer above, lengths and checksums. Fields set are sent as\n"
		  "set, even when wrong: ip(dst=192.0.2.10, chksum=0x1234).\n"
		  "Defaults: ttl 64, icmp echo-request, tcp flags S, window 64240,\n"
		  "dport 80 (udp 53), sport a fresh ephemeral port for each SYN and\n"
		  "the same one after it. Frames under 60 bytes are padded with zeros.\n"
		  "Values: 80, 0x50, 192.0.2.10, 02:00:00:00:00:05, \"text\",\n"
		  "de:ad:be:ef, names (echo-request, SA, DF), $last $reply $N and\n"
		  "their fields ($reply.tcp.seq), + - *. An alias counts in the\n"
		  "wire's units (ihl=6), a Wireshark name in Wireshark's (ip.hdr_len=24).\n"
		  "Tab completes layers, fields and values.",
	  .run = cmd_send, .complete = { WW_COMPLETE_CRAFT } },
	{ .name = "sr1", .args = "EXPR [TIMEOUT]",
	  .summary = "send a crafted frame and wait for its answer: $reply",
	  .help = "Sends EXPR as `send` does, then waits up to TIMEOUT (2 s unless\n"
		  "given: 5, 0.5, 500ms) for the frame that answers it: an ARP reply\n"
		  "from the address asked about; an ICMP echo reply with the same\n"
		  "identifier and sequence number; an ICMP error quoting the datagram;\n"
		  "a TCP or UDP segment with addresses and ports swapped. The answer\n"
		  "becomes $reply, so the next frame can be built from it:\n"
		  "  sr1 ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000)\n"
		  "  send ip(dst=192.0.2.10)/tcp(flags=A, seq=$reply.tcp.ack, ack=$reply.tcp.seq + 1)\n"
		  "No answer in time is a failure (exit status 1).",
	  .run = cmd_sr1, .complete = { WW_COMPLETE_CRAFT } },
	{ .name = "sniff", .args = "[COUNT] [FILTER] [TIMEOUT]",
	  .summary = "wait for frames a filter picks",
	  .help = "Waits until COUNT frames (1 unless given) that FILTER picks have\n"
		  "been received, or TIMEOUT passes (seconds: 3, 0.5, 500ms; no limit\n"
		  "unless given: Ctrl-C stops), then lists their numbers. Filters use\n"
		  "Wireshark's field names:\n"
		  "  sniff 3 icmp 5\n"
		  "  sniff ip.src == 192.0.2.10 and tcp.flags.syn == 1\n"
		  "  sniff tcp.flags == SA and tcp.ack == 1001 2\n"
		  "  sniff arp.opcode == reply or icmp.type == echo-reply\n"
		  "  sniff tls.handshake.extensions_server_name == example.com\n"
		  "  sniff http.request.method == \"POST\" or http.response.code >= 400\n"
		  "Operators: == != < <= > >= & contains, and or not, parentheses; a\n"
		  "field or protocol alone: it is in the frame. ip.addr, tcp.port,\n"
		  "udp.port, eth.addr match source or destination; an IPv4 network:\n"
		  "ip.dst == 192.0.2.0/24. Not reaching COUNT in time is a failure.",
	  .run = cmd_sniff, .complete = { WW_COMPLETE_FILTER } },
	{ .name = "packets", .args = "[FILTER]",
	  .summary = "the numbered list of frames sent and received",
	  .help = "One line per frame sent (→) or received (←) since the network\n"
		  "started, with its number ($N), time and summary; with FILTER only\n"
		  "the frames it picks (packets tcp.port == 80). Offline, the frames of\n"
		  "the capture read last. TLS records and HTTP heads are layers of their\n"
		  "own (packets tls.handshake.type == 1, packets http.request); every\n"
		  "byte a segment carries is tcp.payload (packets tcp.payload contains \"GET\").",
	  .run = cmd_packets, .complete = { WW_COMPLETE_FILTER } },
	{ .name = "hex", .args = "[$N]",
	  .summary = "the bytes of a frame, coloured by layer",
	  .help = "The hexdump of frame $N ($last unless given; $reply too), each\n"
		  "byte coloured by the layer it belongs to, with a legend.",
	  .run = cmd_frame_view, .complete = { WW_COMPLETE_PACKET } },
	{ .name = "layers", .args = "[$N]",
	  .summary = "how a frame's layers nest, with their sizes",
	  .help = "The encapsulation of frame $N ($last unless given): each header and\n"
		  "the payload with its size, │ Ethernet 14 B │ IPv4 20 B │ ... │.",
	  .run = cmd_frame_view, .complete = { WW_COMPLETE_PACKET } },
	{ .name = "bits", .args = "[$N]",
	  .summary = "a frame as bits on the wire",
	  .help = "Frame $N ($last unless given) as the link carries it: preamble and\n"
		  "start delimiter, the first bytes as bits and line codes, the FCS the\n"
		  "NIC adds, and its time on the wire at 10, 100 and 1000 Mb/s.",
	  .run = cmd_frame_view, .complete = { WW_COMPLETE_PACKET } },
	{ .name = "capture", .args = "save FILE.pcap",
	  .summary = "write the frames sent and received to a pcap file",
	  .help = "capture save FILE.pcap   every frame of the packet list (offline:\n"
		  "of the capture read last), with its time, as a pcap file tcpdump,\n"
		  "tshark and Wireshark read.",
	  .run = cmd_capture, .complete = { WW_COMPLETE_NONE, WW_COMPLETE_FILE } },
	{ 0 },
};
