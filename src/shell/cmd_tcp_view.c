/* How a TCP connection is shown: `tcp status` (the variables of RFC 9293
 * §3.3.1 and the rest of the control block), `tcp ladder` (the segments
 * as a sequence diagram, numbers relative to ISS and IRS as Wireshark
 * shows them), `tcp list` and `tcp stats`. */
#include <string.h>

#include "cmd_tcp_int.h"
#include "ww/ipv4.h"
#include "ww/stack.h"

#define LADDER_WIDTH 72 /* columns between the two lifelines */

char *tcp_endpoints(const struct ww_tcb *c, char *buf, size_t len)
{
	char l[16], r[16];
	snprintf(buf, len, "%s:%u > %s:%u", ww_ipv4_str(c->lip, l), c->lport,
		 ww_ipv4_str(c->rip, r), c->rport);
	return buf;
}

static double secs(uint64_t ns)
{
	return (double)ns / 1e9;
}

static double msec(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* ---- status -------------------------------------------------------------- */

static void timer(FILE *out, const char *name, uint64_t at, uint64_t now)
{
	if (!at)
		fprintf(out, "  %s off", name);
	else
		fprintf(out, "  %s in %.0f ms", name, at > now ? msec(at - now) : 0.0);
}

static void status_options(FILE *out, const struct ww_tcb *c)
{
	fprintf(out, "  options   MSS %u announced, %u from the peer: segments of %u bytes;", c->rmss,
		c->peer_mss, c->smss);
	if (c->ws_ok)
		fprintf(out, " window scale %u (ours) / %u (theirs);", c->rcv_wscale, c->snd_wscale);
	else
		fputs(" no window scale;", out);
	fprintf(out, " SACK %s; timestamps %s\n", c->sack_ok ? "on" : "off", c->ts_ok ? "on" : "off");
}

void tcp_print_status(FILE *out, const struct ww_tcb *c, uint64_t now)
{
	char ends[64];
	bool syn = c->state != WW_TCPS_SYN_SENT && c->state != WW_TCPS_LISTEN;
	fprintf(out, "TCP %u  %s  %s", c->id, tcp_endpoints(c, ends, sizeof ends),
		ww_tcp_state_name(c->state));
	if (c->state == WW_TCPS_CLOSED && c->error != WW_TCPE_NONE)
		fprintf(out, " (%s)", ww_tcp_error_str(c->error));
	fprintf(out, "  %s, opened %.3f s ago\n", c->passive ? "passive" : "active",
		secs(now - c->opened_ns));
	fprintf(out, "  send      SND.UNA %u  SND.NXT %u  SND.MAX %u  SND.WND %u  (ISS %u)\n",
		c->snd_una - c->iss, c->snd_nxt - c->iss, c->snd_max - c->iss, c->snd_wnd, c->iss);
	if (syn)
		fprintf(out, "  receive   RCV.NXT %u  RCV.WND %u  (IRS %u)\n", c->rcv_nxt - c->irs,
			c->rcv_adv - c->rcv_nxt, c->irs);
	else
		fputs("  receive   (no SYN from the peer yet)\n", out);
	status_options(out, c);
	fprintf(out, "  cwnd %u  ssthresh ", c->cwnd);
	if (c->ssthresh >= 0x7fffffff)
		fputs("(unbounded)", out);
	else
		fprintf(out, "%u", c->ssthresh);
	fprintf(out, "  flight %u  dup ACKs %u%s\n", c->snd_max - c->snd_una, c->dupacks,
		c->in_recovery ? "  in fast recovery" : "");
	if (c->rtt_measured)
		fprintf(out, "  SRTT %.3f ms  RTTVAR %.3f ms", msec(c->srtt), msec(c->rttvar));
	else
		fputs("  SRTT (not measured yet)", out);
	fprintf(out, "  RTO %.0f ms  backoff %u\n", msec(c->rto), c->backoff);
	size_t unsent = (size_t)(c->snd_buf_seq + c->snd.len - c->snd_nxt);
	if (unsent > c->snd.len)
		unsent = 0;
	fprintf(out, "  queues    send %zu bytes (%zu not sent yet) of %zu;  receive %zu unread of %u;"
		"  out of order %zu bytes in %u pieces\n",
		c->snd.len, unsent, c->snd.cap, c->rcv.len, c->rcvbuf, c->ooo_bytes, c->ooo_segs);
	fputs("  timers  ", out);
	timer(out, "retransmission", c->rto_at, now);
	timer(out, "delayed ACK", c->delack_at, now);
	timer(out, "persist", c->persist_at, now);
	timer(out, "TIME-WAIT", c->tw_at, now);
	fputc('\n', out);
	const struct ww_tcp_conn_stats *s = &c->st;
	fprintf(out, "  counted   segments %llu in, %llu out; data %llu bytes in, %llu out; "
		"retransmissions %llu (fast %llu, timeouts %llu); dup ACKs %llu; out of order %llu;"
		" duplicates %llu; zero windows %llu\n",
		(unsigned long long)s->segs_in, (unsigned long long)s->segs_out,
		(unsigned long long)s->bytes_in, (unsigned long long)s->bytes_out,
		(unsigned long long)s->retransmits, (unsigned long long)s->fast_retransmits,
		(unsigned long long)s->timeouts, (unsigned long long)s->dupacks_in,
		(unsigned long long)s->out_of_order, (unsigned long long)s->duplicates,
		(unsigned long long)s->zero_windows);
}

/* ---- ladder ------------------------------------------------------------------ */

static const struct {
	uint16_t bit;
	const char *text;
} notes[] = {
	{ WW_TCPN_FAST_RETRANSMIT, "fast retransmit" },
	{ WW_TCPN_RETRANSMIT, "retransmission" },
	{ WW_TCPN_OUT_OF_ORDER, "out of order" },
	{ WW_TCPN_KEEP, "fills the gap" },
	{ WW_TCPN_DUPLICATE, "duplicate" },
	{ WW_TCPN_DUP_ACK, "dup ACK" },
	{ WW_TCPN_ZERO_WINDOW, "zero window" },
	{ WW_TCPN_PROBE, "window probe" },
	{ WW_TCPN_WIN_UPDATE, "window update" },
	{ WW_TCPN_CHALLENGE, "challenge ACK" },
	{ WW_TCPN_DROPPED, "not accepted" },
};

/* "[SYN, ACK] Seq=0 Ack=1 Win=64240 Len=0 MSS=1460 [zero window]", the
 * way Wireshark's Info column reads, numbers relative. */
static void label(char *buf, size_t len, const struct ww_tcb *c, const struct ww_tcp_trace *t)
{
	/* Our numbers count from ISS, the peer's from IRS. */
	uint32_t seq0 = t->sent ? c->iss : c->irs, ack0 = t->sent ? c->irs : c->iss;
	char fl[48];
	size_t n = 0;
#define PUT(...) \
	do { \
		int w_ = snprintf(buf + n, len - n, __VA_ARGS__); \
		if (w_ > 0) \
			n = (size_t)w_ < len - n ? n + (size_t)w_ : len - 1; \
	} while (0)
	PUT("[%s] Seq=%u", ww_tcp_flags_str(t->flags, fl, sizeof fl), t->seq - seq0);
	if (t->flags & WW_TCP_ACK)
		PUT(" Ack=%u", t->ack - ack0);
	PUT(" Win=%u Len=%u", t->win_bytes, t->len);
	if (t->mss)
		PUT(" MSS=%u", t->mss);
	if (t->wscale >= 0)
		PUT(" WS=%u", 1u << t->wscale);
	if (t->sack_perm)
		PUT(" SACK_PERM");
	if (t->has_ts)
		PUT(" TS");
	for (unsigned i = 0; i < t->nsack && i < 2; i++)
		PUT(" SLE=%u SRE=%u", t->sack[i].left - ack0, t->sack[i].right - ack0);
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
		if (!(t->notes & notes[i].bit))
			continue;
		/* A fast retransmission is one; it is not said twice. */
		if (notes[i].bit == WW_TCPN_RETRANSMIT && (t->notes & WW_TCPN_FAST_RETRANSMIT))
			continue;
		PUT(" [%s]", notes[i].text);
	}
#undef PUT
}

static void dashes(FILE *out, int n)
{
	for (int i = 0; i < n; i++)
		fputc('-', out);
}

static void ladder_line(FILE *out, const struct ww_tcb *c, const struct ww_tcp_trace *t,
			uint64_t t0)
{
	fprintf(out, "%10.6f ", secs(t->t_ns - t0));
	if (t->is_state) {
		const char *name = ww_tcp_state_name(t->state);
		fprintf(out, "|  %-*s|\n", LADDER_WIDTH - 2, name);
		return;
	}
	char text[200];
	label(text, sizeof text, c, t);
	int room = LADDER_WIDTH - (int)strlen(text) - 6;
	if (room < 1)
		room = 1;
	if (t->sent) {
		fputs("|-- ", out);
		fputs(text, out);
		fputc(' ', out);
		dashes(out, room);
		fputs(">|\n", out);
	} else {
		fputs("|<", out);
		dashes(out, room);
		fputc(' ', out);
		fputs(text, out);
		fputs(" --|\n", out);
	}
}

void tcp_print_ladder(FILE *out, const struct ww_tcb *c)
{
	char l[24], r[24], a[16], b[16];
	snprintf(l, sizeof l, "%s:%u", ww_ipv4_str(c->lip, a), c->lport);
	snprintf(r, sizeof r, "%s:%u", ww_ipv4_str(c->rip, b), c->rport);
	fprintf(out, "TCP %u: sequence numbers relative to ISS %u (ours) and IRS %u (theirs)\n",
		c->id, c->iss, c->irs);
	fprintf(out, "%10s %-*s%s\n", "time", LADDER_WIDTH + 2 - (int)strlen(r), l, r);
	uint64_t skipped = 0;
	const struct ww_tcp_trace *t;
	const struct ww_tcp_trace *first = ww_tcp_trace_at(c, 0, NULL);
	uint64_t t0 = first ? first->t_ns : 0;
	for (size_t i = 0; (t = ww_tcp_trace_at(c, i, &skipped)) != NULL; i++) {
		if (skipped)
			fprintf(out, "%10s |  ... %llu more not kept ...%*s|\n", "",
				(unsigned long long)skipped, LADDER_WIDTH - 28, "");
		ladder_line(out, c, t, t0);
	}
}

/* ---- list, stats -------------------------------------------------------------- */

void tcp_print_list(FILE *out, const struct ww_tcp_host *h, unsigned current, uint64_t now)
{
	fprintf(out, "   %-4s %-13s %-22s %-22s %10s %10s\n", "N", "STATE", "LOCAL", "REMOTE", "IN",
		"OUT");
	const struct ww_tcb *c;
	size_t n = 0;
	for (size_t i = 0; (c = ww_tcp_at(h, i)) != NULL; i++, n++) {
		char l[24], r[24], a[16], b[16];
		snprintf(l, sizeof l, "%s:%u", ww_ipv4_str(c->lip, a), c->lport);
		snprintf(r, sizeof r, "%s:%u", ww_ipv4_str(c->rip, b), c->rport);
		fprintf(out, "%c  %-4u %-13s %-22s %-22s %10llu %10llu", c->id == current ? '*' : ' ',
			c->id, ww_tcp_state_name(c->state), l, r, (unsigned long long)c->st.bytes_in,
			(unsigned long long)c->st.bytes_out);
		if (c->state == WW_TCPS_CLOSED)
			fprintf(out, "  %s %.1f s ago", ww_tcp_error_str(c->error),
				secs(now - c->closed_ns));
		fputc('\n', out);
	}
	if (!n)
		fputs("(no connections yet)\n", out);
	bool any = false;
	for (unsigned p = 1; p <= 65535; p++)
		if (ww_tcp_listening(h, (uint16_t)p)) {
			fprintf(out, "%s%u", any ? ", " : "listening on port ", p);
			any = true;
		}
	if (any)
		fputc('\n', out);
}

void tcp_print_stats(FILE *out, const struct ww_tcp_host *h, bool all)
{
	for (int drops = 1; drops >= 0; drops--) {
		fputs(drops ? "dropped, by reason:\n" : "counted:\n", out);
		unsigned shown = 0;
		const struct ww_counter_info *ci;
		for (size_t i = 0; (ci = ww_tcp_counter_info(i)) != NULL; i++) {
			uint64_t v = ww_tcp_counter_value(h, i);
			if (ci->drop != drops || (!v && !all))
				continue;
			fprintf(out, "  %-22s %8llu  %s\n", ci->name, (unsigned long long)v, ci->help);
			shown++;
		}
		if (!shown)
			fputs(drops ? "  nothing dropped\n" : "  nothing yet\n", out);
	}
}
