/* Inside the lab module: one context per operation, the host-command
 * runner, the topology, the servers' files and the probes. */
#ifndef WW_LAB_INT_H
#define WW_LAB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ww/lab.h"

#define LAB_PATH_MAX 256
#define LAB_ERR_MAX 2048

struct lab {
	char name[WW_LAB_NAME_MAX + 1];
	char dir[LAB_PATH_MAX]; /* /run/wirewalk/NAME */
	bool verbose;           /* print each host command before it runs */
	char err[LAB_ERR_MAX];  /* why the last call failed, for a person */
};

/* lab.c */
int lab_init(struct lab *l, const char *name);
/* Serialises lab operations (an flock on the run dir); -1 with l->err. */
int lab_lock(struct lab *l);
void lab_unlock(int fd);
/* rm -r of the lab dir. */
int lab_remove_dir(struct lab *l);
bool lab_dir_exists(const struct lab *l);
int lab_fail(struct lab *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* DIR/REL into BUF (LAB_PATH_MAX). Names are at most 12 bytes, so a
 * path that does not fit is a bug: it aborts rather than cut. */
const char *lab_path(const struct lab *l, char *buf, const char *rel);
int lab_write_file(struct lab *l, const char *rel, const char *text, int mode);

/* exec.c: host commands. HOST < 0 runs in the caller's namespace. */
int lab_run(struct lab *l, int host, const char *const argv[]);
/* The same, with the command's standard output in OUT (LEN bytes, cut
 * short if longer; its stderr is not kept). */
int lab_run_output(struct lab *l, int host, const char *const argv[], char *out, size_t len);
/* Start a server that puts itself in the background; its early stderr
 * goes to LOG (relative to the lab dir). Waits for the foreground part. */
int lab_start_daemon(struct lab *l, int host, const char *const argv[], const char *log);
/* Open the host's namespace (O_CLOEXEC), -1 with l->err if it is missing. */
int lab_ns_open(struct lab *l, int host);
bool lab_ns_exists(const struct lab *l, int host);
/* Enter HOST's namespace; *SAVED gets the caller's to return to with
 * lab_ns_leave. */
int lab_ns_enter(struct lab *l, int host, int *saved);
void lab_ns_leave(int saved);
/* Pids whose network namespace is HOST's (never this process). With
 * NEEDLE or COMM, only those whose command line contains NEEDLE or whose
 * name is COMM. */
int lab_ns_pids(const struct lab *l, int host, const char *needle, const char *comm, pid_t *pids, int max);
/* Pids whose command line mentions the lab dir (servers in a namespace
 * that lost its name still match). */
int lab_dir_pids(const struct lab *l, pid_t *pids, int max);
/* SIGTERM, a short wait, then SIGKILL for any still there. */
void lab_kill(pid_t *pids, int n);
/* The pid in a pidfile (relative to the lab dir) if that process lives in
 * HOST's namespace; 0 otherwise. */
pid_t lab_pidfile_alive(const struct lab *l, int host, const char *rel);
void lab_sleep_ms(long ms);

/* topo.c: namespaces, links, addresses, sysctls, offloads. */
int lab_topo_create(struct lab *l);
/* 0 when every expected interface, MAC and address is there and up;
 * otherwise -1 with l->err naming the first difference. */
int lab_topo_verify(struct lab *l);
/* Sysctls, bridge ports, offloads, /etc/netns resolv.conf; idempotent. */
int lab_topo_tune(struct lab *l);
int lab_topo_destroy(struct lab *l);
/* One line per interface of HOST, as the kernel has it. */
void lab_topo_show(struct lab *l, int host, char *out, size_t len);
/* "netem" or "nftables (no netem in this kernel)" or "none ..."; tested
 * once at lab up and remembered in the state file. */
int lab_impair_detect(struct lab *l, char *out, size_t len);

/* impair.c: loss and duplication (and, with netem, delay and reordering)
 * on the router. `lab status` shows what is in force: one line per
 * impairment, "none" when there is none. */
void lab_impair_show(struct lab *l, char *out, size_t len);

/* pki.c: the lab CA and the server certificates. */
int lab_pki_create(struct lab *l);
bool lab_pki_present(const struct lab *l);

/* life.c: the servers and the lab's lifecycle. */
enum lab_server_id { LAB_NSD_ROOT, LAB_NSD_TLD, LAB_NSD_EXAMPLE, LAB_UNBOUND, LAB_NGINX, LAB_NSERVERS };
#define LAB_NGINX_TLS LAB_NSERVERS /* a second probe of nginx: HTTPS */
struct lab_server {
	const char *dir;     /* its directory under the lab dir, e.g. "nsd-root" */
	const char *label;   /* for status: "nsd \".\"" */
	const char *listen;  /* for status: "198.51.100.1:53" */
	const char *comm;    /* its processes' name when unique in the net host, else NULL */
};
extern const struct lab_server lab_servers[LAB_NSERVERS];
int lab_up(struct lab *l, bool *repaired);
int lab_down(struct lab *l, bool *found);
/* lab_down under the lock, then the run dir goes if no lab is left. */
int lab_down_locked(struct lab *l, bool *found);
/* pid from the server's pidfile when that process is alive in the net host. */
pid_t lab_server_pid(const struct lab *l, int id);

/* dnsconf.c: zones, nsd and unbound configurations. */
int lab_dns_write(struct lab *l);

/* web.c: nginx configuration and content. */
int lab_web_write(struct lab *l);
int lab_content_write(struct lab *l);

/* probe.c: does a server answer, from the peer host's namespace. OUT
 * gets a few words on what was seen. */
int lab_probe(struct lab *l, int id, char *out, size_t len);

#endif
