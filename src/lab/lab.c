/* `wirewalk lab up|down|status`: the command, the public API of
 * include/ww/lab.h, and the lab dir under /run/wirewalk/NAME. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lab_int.h"

static const char *const host_names[WW_LAB_NHOSTS] = { "client", "router", "peer", "net" };

bool ww_lab_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 1 || n > WW_LAB_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			return false;
	return true;
}

static bool host_valid(enum ww_lab_host host) { return host >= 0 && host < WW_LAB_NHOSTS; }

const char *ww_lab_host_name(enum ww_lab_host host)
{
	return host_valid(host) ? host_names[host] : "?";
}

/* snprintf that reports a cut-off result as an error. */
static int fmt_fits(size_t len, int n)
{
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int ww_lab_netns_name(char *buf, size_t len, const char *name, enum ww_lab_host host)
{
	if (!ww_lab_name_valid(name) || !host_valid(host))
		return -1;
	return fmt_fits(len, snprintf(buf, len, "ww-%s-%s", name, host_names[host]));
}

int ww_lab_netns_path(char *buf, size_t len, const char *name, enum ww_lab_host host)
{
	if (!ww_lab_name_valid(name) || !host_valid(host))
		return -1;
	return fmt_fits(len, snprintf(buf, len, WW_LAB_NETNS_DIR "/ww-%s-%s", name, host_names[host]));
}

int ww_lab_dir(char *buf, size_t len, const char *name)
{
	if (!ww_lab_name_valid(name))
		return -1;
	return fmt_fits(len, snprintf(buf, len, WW_LAB_RUN_DIR "/%s", name));
}

int ww_lab_ca_path(char *buf, size_t len, const char *name)
{
	if (!ww_lab_name_valid(name))
		return -1;
	return fmt_fits(len, snprintf(buf, len, WW_LAB_RUN_DIR "/%s/pki/ca.pem", name));
}

int lab_init(struct lab *l, const char *name)
{
	memset(l, 0, sizeof *l);
	if (!ww_lab_name_valid(name))
		return lab_fail(l, "lab name \"%s\" is not valid: 1 to %d of a-z, 0-9 and '-'", name ? name : "",
				WW_LAB_NAME_MAX);
	snprintf(l->name, sizeof l->name, "%s", name);
	return ww_lab_dir(l->dir, sizeof l->dir, name);
}

int lab_fail(struct lab *l, const char *fmt, ...)
{
	char msg[LAB_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	memcpy(l->err, msg, sizeof msg); /* FMT may name l->err itself */
	return -1;
}

const char *lab_path(const struct lab *l, char *buf, const char *rel)
{
	int n = snprintf(buf, LAB_PATH_MAX, "%s%s%s", l->dir, *rel ? "/" : "", rel);
	if (n < 0 || n >= LAB_PATH_MAX) /* cannot happen with names of 12 bytes */
		abort();
	return buf;
}

bool lab_dir_exists(const struct lab *l)
{
	struct stat st;
	return stat(l->dir, &st) == 0;
}

/* mkdir -p of REL's parent under the lab dir (the lab dir must exist). */
static int make_parents(struct lab *l, const char *rel)
{
	char path[LAB_PATH_MAX];
	size_t base = strlen(l->dir) + 1;
	lab_path(l, path, rel);
	for (char *p = path + base; (p = strchr(p, '/')); p++) {
		*p = '\0';
		int r = mkdir(path, 0755);
		int e = errno;
		*p = '/';
		if (r < 0 && e != EEXIST)
			return lab_fail(l, "cannot create %.*s: %s", (int)(p - path), path, strerror(e));
	}
	return 0;
}

int lab_write_file(struct lab *l, const char *rel, const char *text, int mode)
{
	char path[LAB_PATH_MAX];
	if (make_parents(l, rel) < 0)
		return -1;
	lab_path(l, path, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return lab_fail(l, "cannot create %s: %s", path, strerror(errno));
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int e = errno;
	if (close(fd) != 0 || off != len)
		return lab_fail(l, "cannot write %s: %s", path, strerror(e));
	return 0;
}

int lab_lock(struct lab *l)
{
	for (int tries = 0; tries < 10; tries++) {
		if (mkdir(WW_LAB_RUN_DIR, 0755) < 0 && errno != EEXIST)
			return lab_fail(l, "cannot create %s: %s", WW_LAB_RUN_DIR, strerror(errno));
		int fd = open(WW_LAB_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return lab_fail(l, "cannot open %s: %s", WW_LAB_RUN_DIR, strerror(errno));
		if (flock(fd, LOCK_EX) < 0) {
			close(fd);
			return lab_fail(l, "cannot lock %s: %s", WW_LAB_RUN_DIR, strerror(errno));
		}
		/* A `lab down` may have removed the directory while we waited. */
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(WW_LAB_RUN_DIR, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
	return lab_fail(l, "cannot lock %s: it keeps disappearing", WW_LAB_RUN_DIR);
}

void lab_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	int r = flag == FTW_DP ? rmdir(path) : unlink(path);
	return r < 0 && errno != ENOENT ? -1 : 0;
}

int lab_remove_dir(struct lab *l)
{
	if (!lab_dir_exists(l))
		return 0;
	/* l->dir is /run/wirewalk/NAME with NAME checked by lab_init. */
	if (nftw(l->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return lab_fail(l, "cannot remove %s: %s", l->dir, strerror(errno));
	return 0;
}

int ww_lab_check_caps(char *err, size_t errlen)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t admin = CAP_CLEAR, net = CAP_CLEAR;
	if (caps) {
		cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &admin);
		cap_get_flag(caps, CAP_NET_ADMIN, CAP_EFFECTIVE, &net);
		cap_free(caps);
	}
	if (admin == CAP_SET && net == CAP_SET)
		return 0;
	snprintf(err, errlen,
		 "the lab needs %s%s%s (network namespaces, links and mounts of /run/netns): run as root, "
		 "e.g. `sudo wirewalk lab up`",
		 admin == CAP_SET ? "" : "CAP_SYS_ADMIN", admin != CAP_SET && net != CAP_SET ? " and " : "",
		 net == CAP_SET ? "" : "CAP_NET_ADMIN");
	return -1;
}

bool ww_lab_exists(const char *name)
{
	struct lab l;
	char path[LAB_PATH_MAX];
	struct stat st;
	if (lab_init(&l, name) < 0 || stat(lab_path(&l, path, "state"), &st) < 0)
		return false;
	for (int h = 0; h < WW_LAB_NHOSTS; h++)
		if (!lab_ns_exists(&l, h))
			return false;
	return true;
}

static void copy_err(const struct lab *l, char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "lab %s: %s", l->name[0] ? l->name : "?", l->err);
}

int ww_lab_up(const char *name, char *err, size_t errlen)
{
	struct lab l;
	bool repaired;
	if (ww_lab_check_caps(err, errlen) < 0)
		return -1;
	if (lab_init(&l, name) < 0 || lab_up(&l, &repaired) < 0) {
		copy_err(&l, err, errlen);
		return -1;
	}
	return 0;
}

int lab_down_locked(struct lab *l, bool *found)
{
	int lock = lab_lock(l);
	if (lock < 0)
		return -1;
	int r = lab_down(l, found);
	/* Last: the shared run dir goes once no lab is left in it. */
	rmdir(WW_LAB_RUN_DIR);
	lab_unlock(lock);
	return r;
}

int ww_lab_down(const char *name, char *err, size_t errlen)
{
	struct lab l;
	bool found;
	if (ww_lab_check_caps(err, errlen) < 0)
		return -1;
	if (lab_init(&l, name) < 0 || lab_down_locked(&l, &found) < 0) {
		copy_err(&l, err, errlen);
		return -1;
	}
	return 0;
}

int ww_lab_enter(const char *name, enum ww_lab_host host, char *err, size_t errlen)
{
	struct lab l;
	if (lab_init(&l, name) < 0) {
		copy_err(&l, err, errlen);
		return -1;
	}
	int fd = lab_ns_open(&l, host);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		if (fd >= 0)
			lab_fail(&l, "cannot enter namespace of %s: %s", ww_lab_host_name(host), strerror(errno));
		copy_err(&l, err, errlen);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
