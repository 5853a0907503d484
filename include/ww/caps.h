/* Capabilities (capabilities(7), through libcap). wirewalk needs
 * CAP_NET_RAW for its packet socket, and CAP_SYS_ADMIN and CAP_NET_ADMIN
 * to enter or build a lab of network namespaces. It checks for them before
 * anything else, and once the socket is open it gives up every capability
 * for good and checks that they are gone: everything after (parsing frames
 * off the wire, crafting, lessons) runs with none. */
#ifndef WW_CAPS_H
#define WW_CAPS_H

#include <stdbool.h>
#include <stddef.h>

/* What the work about to start needs. */
enum ww_caps_need {
	WW_CAPS_LINK = 1u << 0, /* CAP_NET_RAW: an AF_PACKET socket */
	WW_CAPS_LAB = 1u << 1,  /* CAP_SYS_ADMIN and CAP_NET_ADMIN: enter, build a lab */
};

/* 0 when every capability NEED (WW_CAPS_* bits) asks for is in the
 * effective set; otherwise -1 with ERR naming the missing ones and how to
 * get them ("run as root, or: sudo setcap ...+ep PROGRAM"). */
int ww_caps_check(unsigned need, const char *program, char *err, size_t errlen);

/* Give up every capability for good: no_new_privs; securebits so that
 * uid 0 gets nothing back at execve; the bounding set emptied (where
 * CAP_SETPCAP allows); ambient, inheritable, permitted and effective
 * cleared. Then ww_caps_verify_none. 0, or -1 with ERR. */
int ww_caps_drop_all(char *err, size_t errlen);

/* 0 when this process holds no capability: libcap's view of the process
 * and /proc/self/status (CapEff, CapPrm, CapInh, CapAmb all zero, CapBnd
 * too when BOUNDING). Otherwise -1 with ERR quoting what is left. */
int ww_caps_verify_none(bool bounding, char *err, size_t errlen);

#endif
