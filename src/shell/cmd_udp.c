/* `udp send`, `udp listen`, `udp stats`: UDP by hand over the stack's
 * sockets, to see a datagram go and what comes back — an answer, an ICMP
 * port unreachable surfaced as "connection refused", or nothing at all. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_dns_int.h"
#include "ww/ipv4.h"
#include "ww/session.h"
#include "ww/stack.h"
#include "ww/udpsock.h"

#define SHOWN_BYTES 512 /* of a datagram's payload, printed */

struct exchange {
	struct ww_shell *sh;
	bool got, failed;
	unsigned count;
	struct ww_udp_sock_error e;
};

static void print_datagram(FILE *out, const char *what, const struct ww_udp_datagram *d)
{
	char a[16];
	fprintf(out, "%s %s:%u: %zu byte%s: ", what, ww_ipv4_str(d->src, a), d->sport, d->len,
		d->len == 1 ? "" : "s");
	dns_print_payload(out, d->data, d->len, SHOWN_BYTES);
	fputc('\n', out);
	fflush(out);
}

static void on_reply(void *arg, int sock, const struct ww_udp_datagram *d)
{
	(void)sock;
	struct exchange *x = arg;
	x->count++;
	x->got = true;
	print_datagram(x->sh->out, x->count == 1 ? "reply from" : "another reply from", d);
}

static void on_error(void *arg, int sock, const struct ww_udp_sock_error *e)
{
	(void)sock;
	struct exchange *x = arg;
	x->failed = true;
	x->e = *e;
}

static bool exchange_over(void *arg)
{
	const struct exchange *x = arg;
	return x->got || x->failed;
}

static struct ww_udp_layer *udp_for(struct ww_shell *sh, struct ww_session **sp)
{
	struct ww_session *s = ww_shell_session(sh);
	if (!s)
		return NULL;
	struct ww_udp_layer *u = ww_session_udp(s);
	if (!u)
		ww_shell_error(sh, WW_EXIT_FAIL, "udp: the session has no UDP");
	*sp = s;
	return u;
}

static int parse_port(struct ww_shell *sh, const char *s, uint16_t *port)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end || errno || v < 1 || v > 65535)
		return ww_shell_error(sh, WW_EXIT_USAGE, "udp: '%s' is not a port (1-65535)", s);
	*port = (uint16_t)v;
	return WW_EXIT_OK;
}

static int parse_seconds(struct ww_shell *sh, const char *s, double *v)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(d) || d < 0 || d > 3600)
		return ww_shell_error(sh, WW_EXIT_USAGE, "udp: '%s' is not a number of seconds "
				      "(0 to 3600)", s);
	*v = d;
	return WW_EXIT_OK;
}

/* udp send [-W SEC] HOST PORT TEXT... */
static int udp_send(struct ww_shell *sh, int argc, char **argv)
{
	int i = 2;
	double wait = 1;
	if (i + 1 < argc && strcmp(argv[i], "-W") == 0) {
		if (parse_seconds(sh, argv[i + 1], &wait) != WW_EXIT_OK)
			return WW_EXIT_USAGE;
		i += 2;
	}
	if (argc - i < 3)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: udp send [-W SEC] HOST PORT TEXT");
	uint16_t port;
	uint32_t ip;
	int rc = parse_port(sh, argv[i + 1], &port);
	if (rc == WW_EXIT_OK)
		rc = ww_shell_resolve(sh, "udp send", argv[i], &ip);
	if (rc != WW_EXIT_OK)
		return rc;
	char text[2048];
	size_t n = 0;
	for (int k = i + 2; k < argc; k++)
		n += (size_t)snprintf(text + n, n < sizeof text ? sizeof text - n : 0, "%s%s",
				      k > i + 2 ? " " : "", argv[k]);
	if (n >= sizeof text)
		return ww_shell_error(sh, WW_EXIT_USAGE, "udp send: TEXT is longer than %zu bytes",
				      sizeof text - 1);
	struct ww_session *s;
	struct ww_udp_layer *u = udp_for(sh, &s);
	if (!u)
		return WW_EXIT_FAIL;
	struct exchange x = { .sh = sh };
	const struct ww_udp_ops ops = { on_reply, on_error };
	int sock = ww_udp_open(u, 0, ip, port, &ops, &x);
	if (sock < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "udp send: no socket: %s", strerror(-sock));
	struct ww_udp_sock_info si;
	ww_udp_sock_info(u, sock, &si);
	char a[16];
	uint64_t now = ww_session_now(s);
	rc = ww_udp_send(u, sock, 0, 0, text, n, now);
	if (rc < 0) {
		ww_udp_close(u, sock);
		return ww_shell_error(sh, WW_EXIT_FAIL, "udp send: not sent: %s", strerror(-rc));
	}
	fprintf(sh->out, "sent %zu byte%s to %s:%u from port %u\n", n, n == 1 ? "" : "s",
		ww_ipv4_str(ip, a), port, si.lport);
	fflush(sh->out);
	int pumped = ww_session_until(s, exchange_over, &x, now + (uint64_t)(wait * 1e9));
	ww_udp_close(u, sock);
	if (x.failed) {
		char why[160];
		return ww_shell_error(sh, WW_EXIT_FAIL, "udp send: %s:%u: %s", a, port,
				      ww_udp_error_text(&x.e, why, sizeof why));
	}
	if (pumped < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "udp send: interrupted");
	if (!x.got)
		fprintf(sh->out, "no reply within %g s (UDP does not tell whether the datagram "
			"arrived)\n", wait);
	return WW_EXIT_OK;
}

static void on_listen(void *arg, int sock, const struct ww_udp_datagram *d)
{
	(void)sock;
	struct exchange *x = arg;
	x->count++;
	print_datagram(x->sh->out, "from", d);
}

/* udp listen PORT [SECONDS] */
static int udp_listen(struct ww_shell *sh, int argc, char **argv)
{
	if (argc < 3 || argc > 4)
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: udp listen PORT [SECONDS]");
	uint16_t port;
	double secs = 30;
	if (parse_port(sh, argv[2], &port) != WW_EXIT_OK ||
	    (argc == 4 && parse_seconds(sh, argv[3], &secs) != WW_EXIT_OK))
		return WW_EXIT_USAGE;
	struct ww_session *s;
	struct ww_udp_layer *u = udp_for(sh, &s);
	if (!u)
		return WW_EXIT_FAIL;
	struct exchange x = { .sh = sh };
	const struct ww_udp_ops ops = { on_listen, NULL };
	int sock = ww_udp_open(u, port, 0, 0, &ops, &x);
	if (sock < 0)
		return ww_shell_error(sh, WW_EXIT_FAIL, "udp listen: port %u: %s", port,
				      strerror(-sock));
	char a[16];
	fprintf(sh->out, "listening on %s UDP port %u for %g s (Ctrl-C stops)\n",
		ww_ipv4_str(ww_stack_config(ww_session_stack(s))->ip, a), port, secs);
	fflush(sh->out);
	ww_session_until(s, NULL, NULL, ww_session_now(s) + (uint64_t)(secs * 1e9));
	ww_udp_close(u, sock);
	fprintf(sh->out, "%u datagram%s received on port %u\n", x.count, x.count == 1 ? "" : "s",
		port);
	return WW_EXIT_OK;
}

static int udp_stats(struct ww_shell *sh, int argc, char **argv)
{
	bool all = argc == 3 && strcmp(argv[2], "all") == 0;
	if (argc > 3 || (argc == 3 && !all))
		return ww_shell_error(sh, WW_EXIT_USAGE, "usage: udp stats [all]");
	struct ww_session *s;
	struct ww_udp_layer *u = udp_for(sh, &s);
	if (!u)
		return WW_EXIT_FAIL;
	const struct ww_counter_info *ci;
	for (size_t i = 0; (ci = ww_udp_counter_info(i)) != NULL; i++) {
		uint64_t v = ww_udp_counter_value(u, i);
		if (v || all)
			fprintf(sh->out, "  %-28s %8llu  %s\n", ci->name, (unsigned long long)v,
				ci->help);
	}
	unsigned open = 0;
	for (int i = 0; i < WW_UDP_SOCK_MAX; i++) {
		struct ww_udp_sock_info si;
		ww_udp_sock_info(u, i, &si);
		open += si.used;
	}
	fprintf(sh->out, "%u socket%s open\n", open, open == 1 ? "" : "s");
	return WW_EXIT_OK;
}

int ww_cmd_udp(struct ww_shell *sh, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "send") == 0)
		return udp_send(sh, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "listen") == 0)
		return udp_listen(sh, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "stats") == 0)
		return udp_stats(sh, argc, argv);
	return ww_shell_usage(sh, ww_command_find(argv[0]));
}
