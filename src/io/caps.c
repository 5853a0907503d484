/* Checking for capabilities, and giving every one of them up. */
#include <errno.h>
#include <limits.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ww/caps.h"

struct cap_need {
	cap_value_t cap;
	const char *name, *setcap, *why;
	unsigned need;
};

static const struct cap_need needed[] = {
	{ CAP_NET_RAW, "CAP_NET_RAW", "cap_net_raw", "to open a packet socket", WW_CAPS_LINK },
	{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN", "cap_sys_admin",
	  "to enter and build the lab's network namespaces", WW_CAPS_LAB },
	{ CAP_NET_ADMIN, "CAP_NET_ADMIN", "cap_net_admin",
	  "to make the lab's links and addresses", WW_CAPS_LAB },
};
#define NNEEDED (sizeof needed / sizeof needed[0])

static bool has_effective(cap_t caps, cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	return caps && cap_get_flag(caps, cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET;
}

int ww_caps_check(unsigned need, const char *program, char *err, size_t errlen)
{
	cap_t caps = cap_get_proc();
	bool missing[NNEEDED] = { false };
	unsigned nmissing = 0;
	for (size_t i = 0; i < NNEEDED; i++) {
		if ((needed[i].need & need) && !has_effective(caps, needed[i].cap)) {
			missing[i] = true;
			nmissing++;
		}
	}
	if (caps)
		cap_free(caps);
	if (nmissing == 0)
		return 0;
	/* "wirewalk needs CAP_NET_RAW (to ...) and CAP_SYS_ADMIN (to ...)". */
	size_t off = (size_t)snprintf(err, errlen, "wirewalk needs");
	unsigned said = 0;
	for (size_t i = 0; i < NNEEDED && off < errlen; i++) {
		if (!missing[i])
			continue;
		said++;
		const char *sep = said == 1 ? " " : said == nmissing ? " and " : ", ";
		off += (size_t)snprintf(err + off, errlen - off, "%s%s (%s)", sep, needed[i].name,
					needed[i].why);
	}
	/* setcap gives a program file its capabilities for every run. */
	char caplist[128] = "";
	size_t c = 0;
	for (size_t i = 0; i < NNEEDED; i++)
		if (needed[i].need & need)
			c += (size_t)snprintf(caplist + c, sizeof caplist - c, "%s%s", c ? "," : "",
					      needed[i].setcap);
	if (off < errlen)
		snprintf(err + off, errlen - off,
			 ": run it as root (sudo %s), or give the program file those capabilities "
			 "once: sudo setcap %s+ep %s",
			 program ? program : "wirewalk", caplist, program ? program : "wirewalk");
	return -1;
}

/* The hexadecimal value of "FIELD:\t0000..." in /proc/self/status. */
static int status_field(const char *field, unsigned long long *value)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return -1;
	char line[256];
	size_t n = strlen(field);
	int found = -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, field, n) == 0 && line[n] == ':') {
			char *end;
			errno = 0;
			*value = strtoull(line + n + 1, &end, 16);
			found = errno || end == line + n + 1 ? -1 : 0;
			break;
		}
	}
	fclose(f);
	return found;
}

int ww_caps_verify_none(bool bounding, char *err, size_t errlen)
{
	cap_t now = cap_get_proc(), none = cap_init();
	int same = now && none ? cap_compare(now, none) : -1;
	char *text = now ? cap_to_text(now, NULL) : NULL;
	if (same != 0) {
		snprintf(err, errlen, "capabilities are still held after dropping them: %s",
			 text ? text : "(cannot read them)");
		cap_free(text);
		cap_free(now);
		cap_free(none);
		return -1;
	}
	cap_free(text);
	cap_free(now);
	cap_free(none);
	static const char *const fields[] = { "CapInh", "CapPrm", "CapEff", "CapAmb", "CapBnd" };
	size_t nfields = bounding ? 5 : 4;
	for (size_t i = 0; i < nfields; i++) {
		unsigned long long v = 0;
		if (status_field(fields[i], &v) < 0) {
			snprintf(err, errlen, "cannot read %s from /proc/self/status", fields[i]);
			return -1;
		}
		if (v != 0) {
			snprintf(err, errlen, "/proc/self/status shows %s: %016llx after the drop",
				 fields[i], v);
			return -1;
		}
	}
	return 0;
}

/* Without CAP_SETPCAP the bounding set cannot shrink; no_new_privs still
 * keeps an execve from adding anything. */
static int drop_bounding(char *err, size_t errlen)
{
	/* uid 0 gets no capabilities back at execve or from a uid change. */
	unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
			     SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
			     SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
	if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0) {
		snprintf(err, errlen, "cannot set securebits: %s", strerror(errno));
		return -1;
	}
	int max = (int)cap_max_bits();
	for (int cap = 0; cap < max; cap++) {
		if (cap_drop_bound((cap_value_t)cap) < 0 && errno != EINVAL) {
			snprintf(err, errlen, "cannot drop capability %d from the bounding set: %s",
				 cap, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int ww_caps_drop_all(char *err, size_t errlen)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	cap_t caps = cap_get_proc();
	bool setpcap = has_effective(caps, CAP_SETPCAP);
	if (caps)
		cap_free(caps);
	if (setpcap && drop_bounding(err, errlen) < 0)
		return -1;
	/* Kernels without ambient capabilities say EINVAL: none to clear. */
	if (cap_reset_ambient() < 0 && errno != EINVAL) {
		snprintf(err, errlen, "cannot clear the ambient capabilities: %s", strerror(errno));
		return -1;
	}
	cap_t none = cap_init();
	if (!none || cap_set_proc(none) < 0) {
		snprintf(err, errlen, "cannot clear the capability sets: %s", strerror(errno));
		if (none)
			cap_free(none);
		return -1;
	}
	cap_free(none);
	return ww_caps_verify_none(setpcap, err, errlen);
}
