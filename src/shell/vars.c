/* The shell's side of crafting: the frames variables name ($last, $reply,
 * $N: the live packet list, or offline the capture read last), what the
 * stack knows for the fields a crafted frame leaves unset, and how an
 * error in an expression is shown. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "cmd_craft_int.h"
#include "ww/route.h"
#include "ww/session.h"
#include "ww/stack.h"

/* ---- frames ------------------------------------------------------------- */

unsigned frames_count(const struct ww_shell *sh)
{
	struct ww_session *s = ww_shell_session_running(sh);
	return s ? ww_session_npackets(s) : (unsigned)sh->last.n;
}

int frame_get(const struct ww_shell *sh, unsigned no, struct frame_ref *r)
{
	struct ww_session *s = ww_shell_session_running(sh);
	memset(r, 0, sizeof *r);
	if (s) {
		const struct ww_packet *p = ww_session_packet(s, no);
		if (!p)
			return -1;
		uint64_t t0 = ww_session_info(s)->start_ns;
		*r = (struct frame_ref){ .no = p->no, .data = p->data, .len = p->len,
					 .origlen = p->len, .live = true, .sent = p->sent,
					 .t = p->ts_ns >= t0 ? (double)(p->ts_ns - t0) / 1e9 : 0 };
		return 0;
	}
	if (no == 0 || no > sh->last.n)
		return -1;
	const struct ww_kept_frame *f = &sh->last.frames[no - 1], *f0 = &sh->last.frames[0];
	*r = (struct frame_ref){ .no = f->frame_no, .data = f->data, .len = f->caplen,
				 .origlen = f->origlen,
				 .t = (double)(f->sec - f0->sec) + ((double)f->nsec - (double)f0->nsec) / 1e9 };
	return 0;
}

unsigned frame_by_name(const struct ww_shell *sh, const char *name, size_t len, char *err,
		       size_t errlen)
{
	bool live = ww_shell_session_running(sh) != NULL;
	unsigned n = frames_count(sh);
	const char *where = live ? "the packet list" : sh->last.path ? sh->last.path : NULL;
	if (len == 4 && strncmp(name, "last", 4) == 0) {
		if (n == 0)
			snprintf(err, errlen, "$last: no frames yet%s",
				 live ? "" : " (offline: 'read FILE' gives frames to name)");
		return n;
	}
	if (len == 5 && strncmp(name, "reply", 5) == 0) {
		if (!live || sh->reply_no == 0)
			snprintf(err, errlen, "$reply: no reply yet (sr1 sets it)");
		return live ? sh->reply_no : 0;
	}
	uint64_t no;
	if (ww_parse_number(name, len, &no) < 0 || name[0] == '0') {
		snprintf(err, errlen, "unknown variable '$%.*s': $last, $reply, or $N for frame N",
			 (int)(len < 32 ? len : 32), name);
		return 0;
	}
	if (no > n) {
		if (!where)
			snprintf(err, errlen, "no frame $%llu: no frames yet", (unsigned long long)no);
		else
			snprintf(err, errlen, "no frame $%llu: %s has %u", (unsigned long long)no, where, n);
		return 0;
	}
	struct ww_session *s = ww_shell_session_running(sh);
	if (s && !ww_session_packet(s, (unsigned)no)) {
		snprintf(err, errlen, "frame $%llu is no longer kept: the packet list keeps $%u to $%u "
			 "(set capture.keep)", (unsigned long long)no, ww_session_first_packet(s), n);
		return 0;
	}
	return (unsigned)no;
}

static int var_frame(void *arg, const char *name, size_t len, const uint8_t **frame, size_t *flen,
		     char *err, size_t errlen)
{
	const struct ww_shell *sh = arg;
	unsigned no = frame_by_name(sh, name, len, err, errlen);
	struct frame_ref r;
	if (no == 0 || frame_get(sh, no, &r) < 0)
		return -1;
	*frame = r.data;
	*flen = r.len;
	return 0;
}

void shell_vars(struct ww_shell *sh, struct ww_vars *v)
{
	v->frame = var_frame;
	v->arg = sh;
}

/* ---- arguments and errors ------------------------------------------------ */

const char *command_args(const struct ww_shell *sh, int argc, char **argv)
{
	(void)argc;
	const char *line = sh->line;
	if (!line) /* run without a line (from a program's argv): the words will do */
		return argc > 1 ? argv[1] : "";
	line += strspn(line, " \t");
	line += strcspn(line, " \t");
	return line + strspn(line, " \t");
}

int expr_error(struct ww_shell *sh, int status, const char *name, const char *text,
	       const struct ww_expr_error *err)
{
	ww_shell_error(sh, status, "%s: %s", name, err->msg);
	size_t n = strlen(text);
	/* Underline the token when the text fits on a line and is one. */
	if (n == 0 || n > 160 || strpbrk(text, "\r\n") || err->pos > n)
		return status;
	fprintf(sh->err, "  %s\n  %*s^", text, (int)err->pos, "");
	for (size_t i = 1; i < err->len && err->pos + i < n; i++)
		fputc('~', sh->err);
	fputc('\n', sh->err);
	fflush(sh->err);
	return status;
}

/* ---- what the stack knows ------------------------------------------------ */

struct arp_wait {
	struct ww_stack *st;
	uint32_t ip;
	uint8_t mac[6];
};

static bool arp_known(void *arg, const struct ww_packet *p)
{
	(void)p;
	struct arp_wait *w = arg;
	return ww_stack_arp_lookup(w->st, w->ip, w->mac) == 0;
}

#define ARP_WAIT_MS 3000 /* the stack retries its request meanwhile */

/* The route's next hop, then its MAC from the ARP cache, or asked for and
 * waited on, as the stack does for a datagram of its own. */
static int next_hop_mac(void *arg, uint32_t dst, uint8_t mac[6], char *err, size_t errlen)
{
	struct ww_session *s = arg;
	struct ww_stack *st = ww_session_stack(s);
	char a[16], b[16];
	if (!st) {
		snprintf(err, errlen, "no stack to find the next hop: set eth(dst=...)");
		return -1;
	}
	if (dst == ww_stack_broadcast(st)) {
		memset(mac, 0xff, 6);
		return 0;
	}
	struct ww_route_result r = ww_stack_route(st, dst);
	if (!r.found) {
		snprintf(err, errlen, "no route to %s (see 'route')", ww_ipv4_str(dst, a));
		return -1;
	}
	struct arp_wait w = { .st = st, .ip = r.next_hop };
	if (ww_stack_arp_lookup(st, r.next_hop, mac) == 0)
		return 0;
	int rc = ww_stack_arp_resolve(st, r.next_hop, ww_session_now(s));
	if (rc < 0) {
		snprintf(err, errlen, "the next hop %s is not on this link", ww_ipv4_str(r.next_hop, a));
		return -1;
	}
	if (rc == 0 && ww_session_wait(s, arp_known, &w, ARP_WAIT_MS) < 0) {
		snprintf(err, errlen, "interrupted while asking ARP for %s", ww_ipv4_str(r.next_hop, a));
		return -1;
	}
	if (ww_stack_arp_lookup(st, r.next_hop, mac) == 0)
		return 0;
	if (r.next_hop == dst)
		snprintf(err, errlen, "no ARP reply from %s", ww_ipv4_str(dst, a));
	else
		snprintf(err, errlen, "no ARP reply from %s, the next hop for %s",
			 ww_ipv4_str(r.next_hop, a), ww_ipv4_str(dst, b));
	return -1;
}

static uint32_t random32(void)
{
	uint32_t v = 0;
	if (getrandom(&v, sizeof v, GRND_NONBLOCK) != sizeof v)
		v = (uint32_t)(uintptr_t)&v ^ 0x5bd1e995u;
	return v;
}

/* Linux's default ephemeral range (net.ipv4.ip_local_port_range). */
#define EPHEMERAL_FIRST 32768
#define EPHEMERAL_LAST 60999

void craft_env(struct ww_shell *sh, struct ww_session *s, const struct ww_craft *c,
	       struct ww_craft_env *env)
{
	const struct ww_session_info *in = ww_session_info(s);
	memset(env, 0, sizeof *env);
	memcpy(env->mac, in->mac, 6);
	env->ip = in->ip;
	/* A new connection takes a new port, as connect() does; the segments
	 * after it keep it, so a handshake typed by hand needs no sport. */
	if (sh->sport == 0 || ww_craft_opens_connection(c))
		sh->sport = (uint16_t)(EPHEMERAL_FIRST +
				       random32() % (EPHEMERAL_LAST - EPHEMERAL_FIRST + 1));
	env->sport = sh->sport;
	if (sh->ip_id == 0)
		sh->ip_id = (uint16_t)(random32() | 1);
	env->ip_id = sh->ip_id++;
	env->next_hop_mac = next_hop_mac;
	env->arg = s;
}
