/* The lab's lifecycle: build it from nothing, repair a half-made one
 * (a namespace gone, a server killed), and remove every trace of it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lab_int.h"

#define READY_TIMEOUT_MS 4000

const struct lab_server lab_servers[LAB_NSERVERS] = {
	[LAB_NSD_ROOT] = { "nsd-root", "nsd \".\"", WW_LAB_ROOT_NS_IP ":53", NULL },
	[LAB_NSD_TLD] = { "nsd-tld", "nsd \"com.\" \"net.\"", WW_LAB_TLD_NS_IP ":53", NULL },
	[LAB_NSD_EXAMPLE] = { "nsd-example", "nsd \"example.com.\"", WW_LAB_AUTH_NS_IP ":53", NULL },
	[LAB_UNBOUND] = { "unbound", "unbound (recursive)", WW_LAB_RESOLVER_IP ":53", "unbound" },
	/* Workers rename themselves ("nginx: worker process"): only their
	 * name tells them apart, and only nginx runs under it in the net host. */
	[LAB_NGINX] = { "nginx", "nginx http", WW_LAB_WEB_IP ":80", "nginx" },
};

static const char *const pidfiles[LAB_NSERVERS] = {
	"nsd-root/nsd.pid", "nsd-tld/nsd.pid", "nsd-example/nsd.pid", "unbound/unbound.pid", "nginx/nginx.pid",
};

pid_t lab_server_pid(const struct lab *l, int id)
{
	return lab_pidfile_alive(l, WW_LAB_NET, pidfiles[id]);
}

static int server_start(struct lab *l, int id)
{
	char conf[LAB_PATH_MAX], prefix[LAB_PATH_MAX], elog[LAB_PATH_MAX], rel[64];
	const char *dir = lab_servers[id].dir;
	snprintf(rel, sizeof rel, "%s/%s.conf", dir, id == LAB_UNBOUND ? "unbound" : id == LAB_NGINX ? "nginx" : "nsd");
	lab_path(l, conf, rel);
	snprintf(rel, sizeof rel, "%s/", dir);
	lab_path(l, prefix, rel);
	lab_path(l, elog, "nginx/error.log");
	snprintf(rel, sizeof rel, "%s/stderr.log", dir);
	if (id == LAB_NGINX) {
		/* -e: nginx opens its compiled-in error log before reading the
		 * configuration; keep even that under the lab dir. */
		const char *argv[] = { "nginx", "-p", prefix, "-c", conf, "-e", elog, NULL };
		return lab_start_daemon(l, WW_LAB_NET, argv, rel);
	}
	const char *argv[] = { id == LAB_UNBOUND ? "unbound" : "nsd", "-c", conf, NULL };
	return lab_start_daemon(l, WW_LAB_NET, argv, rel);
}

/* Every process of server ID in the net host, the pidfile's included,
 * also what is left after its parent died (nginx workers, nsd children). */
static void server_stop(struct lab *l, int id)
{
	char needle[LAB_PATH_MAX], rel[64];
	pid_t pids[64];
	snprintf(rel, sizeof rel, "%s/", lab_servers[id].dir);
	lab_path(l, needle, rel);
	int n = lab_ns_pids(l, WW_LAB_NET, needle, lab_servers[id].comm, pids, 64);
	lab_kill(pids, n);
	lab_path(l, needle, pidfiles[id]);
	remove(needle);
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Probe the servers in WANT (bit per probe id) until each answers once. */
static int wait_ready(struct lab *l, unsigned want)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char info[160];
	for (;;) {
		for (int id = 0; id <= LAB_NGINX_TLS; id++)
			if ((want & (1u << id)) && lab_probe(l, id, info, sizeof info) == 0)
				want &= ~(1u << id);
		if (!want)
			return 0;
		if (elapsed_ms(&t0) > READY_TIMEOUT_MS)
			return lab_fail(l, "not answering after %d ms: %s", READY_TIMEOUT_MS, l->err);
		lab_sleep_ms(15);
	}
}

static unsigned bit(int id) { return 1u << id; }

/* Starts the servers in NEED: the authoritative ones first, so the
 * resolver never caches a lame answer from a server still starting. */
static int servers_start(struct lab *l, unsigned need)
{
	unsigned nsds = need & (bit(LAB_NSD_ROOT) | bit(LAB_NSD_TLD) | bit(LAB_NSD_EXAMPLE));
	for (int id = 0; id < LAB_NSERVERS; id++)
		if (id != LAB_UNBOUND && (need & bit(id)) && server_start(l, id) < 0)
			return -1;
	if (wait_ready(l, nsds) < 0)
		return -1;
	if ((need & bit(LAB_UNBOUND)) && server_start(l, LAB_UNBOUND) < 0)
		return -1;
	unsigned rest = need & (bit(LAB_UNBOUND) | bit(LAB_NGINX));
	if (need & bit(LAB_NGINX))
		rest |= bit(LAB_NGINX_TLS);
	return wait_ready(l, rest);
}

static int write_files(struct lab *l, bool *new_pki)
{
	*new_pki = false;
	if (!lab_pki_present(l)) {
		if (lab_pki_create(l) < 0)
			return -1;
		*new_pki = true;
	}
	return lab_dns_write(l) < 0 || lab_web_write(l) < 0 || lab_content_write(l) < 0 ? -1 : 0;
}

static int write_state(struct lab *l, const char *impair)
{
	char text[512];
	snprintf(text, sizeof text, "lab=%s\nimpairment=%s\nup_since=%ld\n", l->name, impair, (long)time(NULL));
	return lab_write_file(l, "state", text, 0644);
}

static int build(struct lab *l)
{
	char dir[LAB_PATH_MAX], impair[128];
	bool new_pki;
	if (mkdir(WW_LAB_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return lab_fail(l, "cannot create %s: %s", WW_LAB_RUN_DIR, strerror(errno));
	if (mkdir(lab_path(l, dir, ""), 0755) < 0 && errno != EEXIST)
		return lab_fail(l, "cannot create %s: %s", dir, strerror(errno));
	if (lab_topo_create(l) < 0 || lab_impair_detect(l, impair, sizeof impair) < 0 || write_files(l, &new_pki) < 0)
		return -1;
	if (servers_start(l, (1u << LAB_NSERVERS) - 1) < 0)
		return -1;
	return write_state(l, impair);
}

/* The namespaces and links are right: redo the idempotent settings and
 * restart whatever server is dead or not answering. */
static int repair(struct lab *l, bool *repaired)
{
	bool new_pki;
	char info[160];
	if (lab_topo_tune(l) < 0 || write_files(l, &new_pki) < 0)
		return -1;
	unsigned need = 0;
	int alive = 0, answering = 0;
	for (int id = 0; id < LAB_NSERVERS; id++) {
		bool running = lab_server_pid(l, id) > 0;
		bool answers = lab_probe(l, id, info, sizeof info) == 0;
		if (id == LAB_NGINX)
			answers = answers && lab_probe(l, LAB_NGINX_TLS, info, sizeof info) == 0;
		alive += running;
		answering += answers;
		if (!running || !answers || (id == LAB_NGINX && new_pki))
			need |= bit(id);
	}
	/* Servers running but none answering: the path to them is broken. */
	if (alive > 0 && answering == 0)
		return lab_fail(l, "no server answers though %d run", alive);
	for (int id = 0; id < LAB_NSERVERS; id++)
		if (need & bit(id))
			server_stop(l, id);
	*repaired = need != 0;
	return need ? servers_start(l, need) : 0;
}

static bool state_present(const struct lab *l)
{
	char path[LAB_PATH_MAX];
	struct stat st;
	return stat(lab_path(l, path, "state"), &st) == 0;
}

int lab_up(struct lab *l, bool *repaired)
{
	*repaired = false;
	int lock = lab_lock(l);
	if (lock < 0)
		return -1;
	bool any = lab_dir_exists(l);
	for (int h = 0; h < WW_LAB_NHOSTS; h++)
		any = any || lab_ns_exists(l, h);
	/* Repair in place when the namespaces and links are right; if the
	 * servers still do not answer, something the checks do not see is
	 * wrong, and the lab is built again. */
	if (any && state_present(l) && lab_topo_verify(l) == 0 && repair(l, repaired) == 0) {
		lab_unlock(lock);
		return 0;
	}
	bool found;
	if (any)
		*repaired = true;
	int r = any ? lab_down(l, &found) : 0;
	if (r == 0)
		r = build(l);
	lab_unlock(lock);
	return r;
}

int lab_down(struct lab *l, bool *found)
{
	*found = lab_dir_exists(l);
	for (int h = 0; h < WW_LAB_NHOSTS; h++)
		*found = *found || lab_ns_exists(l, h);
	int r = lab_topo_destroy(l);
	/* Servers whose namespace lost its name (deleted by hand) still
	 * name the lab dir on their command line. */
	pid_t pids[256];
	int n = lab_dir_pids(l, pids, 256);
	if (n > 0) {
		*found = true;
		lab_kill(pids, n);
	}
	if (lab_remove_dir(l) < 0)
		r = -1;
	return r;
}
