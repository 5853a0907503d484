/* `wirewalk lab up|down|status|impair [--lab NAME] [--verbose]`: what a
 * person types, and what the status report shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lab_int.h"

static const char usage[] =
	"usage: wirewalk lab up|down|status [--lab NAME] [--verbose]\n"
	"       wirewalk lab impair loss=P dup=P [delay=MS reorder=P] | off [--lab NAME]\n"
	"  up      build the lab (network namespaces, router, DNS and web servers),\n"
	"          or repair a half-made one\n"
	"  down    remove every namespace, process and file the lab made\n"
	"  status  show each host's addresses and MACs, and probe every server\n"
	"  impair  make the router lose (loss=P) and duplicate (dup=P) a chance P of\n"
	"          the packets it forwards (0.05 or 5%); delay and reorder need netem\n"
	"          in the kernel, else nftables does loss and dup; off ends it; alone,\n"
	"          it shows what is in force\n"
	"  --lab NAME  which lab (default \"" WW_LAB_DEFAULT_NAME "\"; [a-z0-9-]{1,12})\n"
	"  --verbose   print each host command as it runs\n";

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* KEY=value from the state file, or "" when missing. */
static void state_get(const struct lab *l, const char *key, char *out, size_t len)
{
	char path[LAB_PATH_MAX], line[256];
	size_t klen = strlen(key);
	out[0] = '\0';
	FILE *f = fopen(lab_path(l, path, "state"), "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			size_t m = strcspn(line + klen + 1, "\n");
			m = m < len - 1 ? m : len - 1;
			memcpy(out, line + klen + 1, m);
			out[m] = '\0';
		}
	fclose(f);
}

static void router_forwarding(struct lab *l, char *out, size_t len)
{
	int saved;
	out[0] = '\0';
	if (lab_ns_enter(l, WW_LAB_ROUTER, &saved) < 0)
		return;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_forward", "r");
	lab_ns_leave(saved);
	int v = -1;
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	snprintf(out, len, "ip_forward=%d%s", v, v == 1 ? "" : "  !! forwarding is off");
}

/* Returns the number of hosts or interfaces that are not as expected. */
static int show_hosts(struct lab *l)
{
	int bad = 0;
	printf("hosts:\n");
	for (int h = 0; h < WW_LAB_NHOSTS; h++) {
		char ns[32], extra[96] = "", text[2048];
		ww_lab_netns_name(ns, sizeof ns, l->name, (enum ww_lab_host)h);
		if (!lab_ns_exists(l, h)) {
			printf("  %-7s %-16s missing\n", ww_lab_host_name((enum ww_lab_host)h), ns);
			bad++;
			continue;
		}
		if (h == WW_LAB_ROUTER) {
			router_forwarding(l, extra, sizeof extra);
			bad += strstr(extra, "!!") != NULL;
		}
		printf("  %-7s %-16s %s\n", ww_lab_host_name((enum ww_lab_host)h), ns, extra);
		lab_topo_show(l, h, text, sizeof text);
		bad += strstr(text, "!!") != NULL;
		fputs(text, stdout);
	}
	return bad;
}

static void show_server(const char *label, const char *listen, pid_t pid, bool up, const char *info)
{
	char p[16] = "-";
	if (pid > 0)
		snprintf(p, sizeof p, "%d", (int)pid);
	printf("  %-20s %-17s pid %-7s %-4s %s\n", label, listen, p, up ? "up" : "DOWN", info);
}

/* Returns the number of servers down. */
static int show_servers(struct lab *l)
{
	int down = 0;
	char info[LAB_ERR_MAX];
	printf("servers (probed from the peer %s, through the router):\n", WW_LAB_PEER_IP);
	for (int id = 0; id < LAB_NSERVERS; id++) {
		pid_t pid = lab_server_pid(l, id);
		bool up = lab_probe(l, id, info, sizeof info) == 0;
		if (!up)
			snprintf(info, sizeof info, "%s", l->err);
		if (up && !pid) {
			up = false;
			snprintf(info, sizeof info, "answers, but the process in its pidfile is gone (`lab up` repairs)");
		}
		show_server(lab_servers[id].label, lab_servers[id].listen, pid, up, info);
		down += !up;
		if (id == LAB_NGINX) {
			up = lab_probe(l, LAB_NGINX_TLS, info, sizeof info) == 0;
			if (!up)
				snprintf(info, sizeof info, "%s", l->err);
			if (up && !pid) {
				up = false;
				snprintf(info, sizeof info, "answers, but the process in its pidfile is gone (`lab up` repairs)");
			}
			show_server("nginx https", WW_LAB_WEB_IP ":443", pid, up, info);
			down += !up;
		}
	}
	return down;
}

static int cmd_status(struct lab *l)
{
	char impair[128], ca[LAB_PATH_MAX], ns[LAB_PATH_MAX];
	bool any = lab_dir_exists(l);
	for (int h = 0; h < WW_LAB_NHOSTS; h++)
		any = any || lab_ns_exists(l, h);
	if (!any) {
		printf("lab %s: down (no namespaces, no %s)\n", l->name, l->dir);
		return 1;
	}
	state_get(l, "impairment", impair, sizeof impair);
	printf("lab %s: state in %s%s\n", l->name, l->dir, *impair ? "" : " (never finished coming up)");
	int bad = show_hosts(l);
	bad += show_servers(l);
	printf("impairment: %s\n", *impair ? impair : "unknown (not checked yet)");
	char in_force[512];
	lab_impair_show(l, in_force, sizeof in_force);
	printf("  in force: %s\n", in_force);
	bad += strstr(in_force, "!!") != NULL;
	ww_lab_netns_path(ns, sizeof ns, l->name, WW_LAB_CLIENT);
	ww_lab_ca_path(ca, sizeof ca, l->name);
	printf("client: setns %s; %s %s %s/%d, gateway %s, resolver %s, CA %s\n", ns, WW_LAB_CLIENT_IF,
	       WW_LAB_CLIENT_MAC, WW_LAB_CLIENT_IP, WW_LAB_LAN_PREFIX, WW_LAB_GW_IP, WW_LAB_RESOLVER_IP, ca);
	if (bad)
		printf("lab %s: %d problem%s (`wirewalk lab up --lab %s` repairs)\n", l->name, bad, bad == 1 ? "" : "s",
		       l->name);
	else
		printf("lab %s: all up\n", l->name);
	return bad ? 1 : 0;
}

static int cmd_up(struct lab *l)
{
	bool repaired;
	double t0 = now_s();
	if (lab_up(l, &repaired) < 0) {
		fprintf(stderr, "wirewalk: lab %s: %s\n", l->name, l->err);
		fprintf(stderr, "wirewalk: what was made stays for a look at its logs in %s; "
				"`wirewalk lab down --lab %s` removes it\n", l->dir, l->name);
		return 1;
	}
	char ns[32];
	ww_lab_netns_name(ns, sizeof ns, l->name, WW_LAB_CLIENT);
	printf("lab %s: up in %.2f s%s; client %s in %s, %s/%d (%s), gateway %s\n", l->name, now_s() - t0,
	       repaired ? " (repaired)" : "", WW_LAB_CLIENT_IF, ns, WW_LAB_CLIENT_IP, WW_LAB_LAN_PREFIX,
	       WW_LAB_CLIENT_MAC, WW_LAB_GW_IP);
	return 0;
}

/* `lab impair WORDS...`, or alone: what is in force. */
static int cmd_impair(struct lab *l, int nwords, char **words)
{
	char msg[LAB_ERR_MAX];
	if (nwords == 0) {
		int r = ww_lab_impair_describe(l->name, msg, sizeof msg);
		if (r < 0) {
			fprintf(stderr, "wirewalk: %s\n", msg);
			return 1;
		}
		printf("lab %s: impairment in force: %s\n", l->name, msg);
		return 0;
	}
	struct ww_lab_impair im;
	if (ww_lab_impair_parse(nwords, words, &im, msg, sizeof msg) < 0) {
		fprintf(stderr, "wirewalk: %s\n%s", msg, usage);
		return 2;
	}
	if (ww_lab_impair(l->name, &im, msg, sizeof msg) < 0) {
		fprintf(stderr, "wirewalk: %s\n", msg);
		return 1;
	}
	printf("%s\n", msg);
	return 0;
}

static int cmd_down(struct lab *l)
{
	bool found;
	int r = lab_down_locked(l, &found);
	if (r < 0) {
		fprintf(stderr, "wirewalk: lab %s: %s\n", l->name, l->err);
		return 1;
	}
	printf("lab %s: %s\n", l->name, found ? "down" : "was not there");
	return 0;
}

int ww_lab_command(int argc, char **argv)
{
	const char *name = WW_LAB_DEFAULT_NAME, *sub = argc > 0 ? argv[0] : NULL;
	bool verbose = false;
	bool impair = sub && !strcmp(sub, "impair");
	char *words[16];
	int nwords = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--lab") && i + 1 < argc)
			name = argv[++i];
		else if (!strncmp(argv[i], "--lab=", 6))
			name = argv[i] + 6;
		else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			verbose = true;
		else if (impair && argv[i][0] != '-' && nwords < 16)
			words[nwords++] = argv[i];
		else {
			fprintf(stderr, "wirewalk lab: unknown argument \"%s\"\n%s", argv[i], usage);
			return 2;
		}
	}
	if (!sub || !strcmp(sub, "help") || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		fputs(usage, sub ? stdout : stderr);
		return sub ? 0 : 2;
	}
	if (strcmp(sub, "up") && strcmp(sub, "down") && strcmp(sub, "status") && !impair) {
		fprintf(stderr, "wirewalk lab: unknown command \"%s\"\n%s", sub, usage);
		return 2;
	}
	struct lab l;
	char err[512];
	if (lab_init(&l, name) < 0) {
		fprintf(stderr, "wirewalk: %s\n", l.err);
		return 2;
	}
	l.verbose = verbose;
	if (ww_lab_check_caps(err, sizeof err) < 0) {
		fprintf(stderr, "wirewalk: %s\n", err);
		return 1;
	}
	if (!strcmp(sub, "up"))
		return cmd_up(&l);
	if (!strcmp(sub, "down"))
		return cmd_down(&l);
	if (impair)
		return cmd_impair(&l, nwords, words);
	return cmd_status(&l);
}
