/* The lab: network namespaces on this machine, the Linux kernel as router,
 * and real servers from Debian's packages (nginx, nsd, unbound) as peers.
 * Nothing leaves the machine. Only src/lab/ runs host commands.
 *
 *  ww-NAME-client            ww-NAME-router                    ww-NAME-net ("the internet")
 *  eth0 02:00:00:00:00:05 ──┐ br0  192.168.1.1  02:00:00:00:01:01
 *  (no kernel address:      ├─ lan-client 02:00:00:00:01:05  (bridge ports)
 *   wirewalk owns           ├─ lan-peer   02:00:00:00:01:07
 *   192.168.1.5/24)         │ wan  203.0.113.1  02:00:00:00:02:01 ── eth0 203.0.113.53  02:00:00:00:02:53
 *                           │ ip_forward=1, TTL--                     unbound on 203.0.113.53
 *  ww-NAME-peer             │                                       lo (server addresses, /32 each)
 *  eth0 192.168.1.7 ────────┘                                          198.51.100.1  nsd "."
 *       02:00:00:00:00:07                                              198.51.100.2  nsd "com." "net."
 *                                                                      198.51.100.3  nsd "example.com."
 *                                                                      192.0.2.10    nginx :80 :443
 *                                                                      192.0.2.25    mail (no server)
 *
 * The client, the peer and the router's LAN side share one Ethernet segment
 * (a bridge in the router's namespace). Each lab lives in its own namespaces,
 * so labs with different names (--lab NAME) sit side by side with the same
 * addresses. State (configs, pids, logs, CA, content): /run/wirewalk/NAME/.
 * /etc/netns/ww-NAME-{router,peer,net}/resolv.conf name the lab's resolver,
 * so `ip netns exec ww-NAME-peer curl http://www.example.com/` works. */
#ifndef WW_LAB_H
#define WW_LAB_H

#include <stdbool.h>
#include <stddef.h>

#define WW_LAB_DEFAULT_NAME "main"
#define WW_LAB_NAME_MAX 12 /* [a-z0-9-]{1,12}: namespace and interface names stay short */
#define WW_LAB_RUN_DIR "/run/wirewalk"
#define WW_LAB_NETNS_DIR "/run/netns" /* where `ip netns` keeps its names */

/* The client: wirewalk's own stack owns this address and MAC on eth0 of
 * the client namespace; the kernel there has no IPv4 address (it would
 * answer ARP and send RSTs) and IPv6 is off. */
#define WW_LAB_CLIENT_IF "eth0"
#define WW_LAB_CLIENT_IP "192.168.1.5"
#define WW_LAB_CLIENT_MAC "02:00:00:00:00:05"
#define WW_LAB_CLIENT_MAC_BYTES { 0x02, 0x00, 0x00, 0x00, 0x00, 0x05 }
#define WW_LAB_LAN_NET "192.168.1.0"
#define WW_LAB_LAN_PREFIX 24

/* The router's LAN side (the client's default gateway): a bridge. */
#define WW_LAB_GW_IF "br0"
#define WW_LAB_GW_IP "192.168.1.1"
#define WW_LAB_GW_MAC "02:00:00:00:01:01"
#define WW_LAB_GW_MAC_BYTES { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 }
/* The bridge ports facing the client and the peer never source frames. */
#define WW_LAB_PORT_CLIENT_IF "lan-client"
#define WW_LAB_PORT_CLIENT_MAC "02:00:00:00:01:05"
#define WW_LAB_PORT_PEER_IF "lan-peer"
#define WW_LAB_PORT_PEER_MAC "02:00:00:00:01:07"

/* The router's upstream side, towards "the internet". */
#define WW_LAB_WAN_IF "wan"
#define WW_LAB_WAN_IP "203.0.113.1"
#define WW_LAB_WAN_MAC "02:00:00:00:02:01"
#define WW_LAB_WAN_PREFIX 24

/* A second LAN host, for on-link delivery without the gateway. */
#define WW_LAB_PEER_IF "eth0"
#define WW_LAB_PEER_IP "192.168.1.7"
#define WW_LAB_PEER_MAC "02:00:00:00:00:07"
#define WW_LAB_PEER_MAC_BYTES { 0x02, 0x00, 0x00, 0x00, 0x00, 0x07 }

/* "The internet": one namespace holding every server. */
#define WW_LAB_NET_IF "eth0"
#define WW_LAB_NET_MAC "02:00:00:00:02:53"
/* The server addresses sit on the net host's loopback (this kernel has
 * no dummy interfaces); the router reaches them via 203.0.113.53. */
#define WW_LAB_SRV_IF "lo"
#define WW_LAB_RESOLVER_IP "203.0.113.53" /* unbound, recursive; also the net host's own address */
#define WW_LAB_ROOT_NS_IP "198.51.100.1"  /* nsd, the root zone "." (a.root-servers.net) */
#define WW_LAB_TLD_NS_IP "198.51.100.2"   /* nsd, "com." and "net." (a.gtld-servers.net) */
#define WW_LAB_AUTH_NS_IP "198.51.100.3"  /* nsd, "example.com." (ns1.example.com) */
#define WW_LAB_WEB_IP "192.0.2.10"        /* nginx, :80 and :443 */
#define WW_LAB_WEB_IP6 "2001:db8::10"     /* example.com AAAA (not reachable: IPv6 is off) */
#define WW_LAB_MAIL_IP "192.0.2.25"       /* mail.example.com, answers ping only */

/* Names the web server knows. Certificates for the first three are signed
 * by the lab CA (ww_lab_ca_path); the others are wrong on purpose. */
#define WW_LAB_HOST "example.com"
#define WW_LAB_HOST_WWW "www.example.com"
#define WW_LAB_HOST_REDIRECT "http.example.com"     /* http:// answers 301 to https:// */
#define WW_LAB_HOST_EXPIRED "expired.example.com"   /* validity ended in the past */
#define WW_LAB_HOST_UNTRUSTED "untrusted.example.com" /* signed by a CA no client has */
#define WW_LAB_HOST_WRONG "wrong.example.com"       /* certificate names example.net */

/* Web content (byte i of the .bin files is i % 251). */
#define WW_LAB_BIN_MODULUS 251
#define WW_LAB_10M_SIZE 10485760L
#define WW_LAB_100M_SIZE 104857600L
#define WW_LAB_4000_SIZE 4000

enum ww_lab_host {
	WW_LAB_CLIENT,
	WW_LAB_ROUTER,
	WW_LAB_PEER,
	WW_LAB_NET,
	WW_LAB_NHOSTS
};

/* `wirewalk lab up|down|status [--lab NAME] [--verbose]`; argv[0] is the
 * subcommand. Prints for a person; returns the process exit status
 * (0 ok, 1 something down or failed, 2 usage). */
int ww_lab_command(int argc, char **argv);

/* NAME matches [a-z0-9-]{1,12}. */
bool ww_lab_name_valid(const char *name);

/* "client", "router", "peer", "net". */
const char *ww_lab_host_name(enum ww_lab_host host);

/* "/run/netns/ww-NAME-HOST": open it and setns(fd, CLONE_NEWNET) to enter
 * the host's namespace. Each returns 0, or -1 when NAME is invalid or the
 * buffer too small. */
int ww_lab_netns_name(char *buf, size_t len, const char *name, enum ww_lab_host host);
int ww_lab_netns_path(char *buf, size_t len, const char *name, enum ww_lab_host host);
/* "/run/wirewalk/NAME" and the lab CA certificate clients trust (PEM). */
int ww_lab_dir(char *buf, size_t len, const char *name);
int ww_lab_ca_path(char *buf, size_t len, const char *name);

/* Both CAP_SYS_ADMIN and CAP_NET_ADMIN in the effective set; otherwise
 * ERR says which are missing and how to get them. */
int ww_lab_check_caps(char *err, size_t errlen);

/* True when the lab's four namespaces exist and its state directory says
 * it was brought up (it may still need repair: see ww_lab_up). */
bool ww_lab_exists(const char *name);

/* Bring the lab up, repairing a half-made one; quiet unless it fails.
 * Returns 0, or -1 with ERR for a person. */
int ww_lab_up(const char *name, char *err, size_t errlen);
/* Remove every namespace, process and file the lab made (never the
 * calling process, even when it sits in one of the namespaces). */
int ww_lab_down(const char *name, char *err, size_t errlen);

/* `lab impair`: on the router, every packet it forwards between the LAN
 * and the internet is lost with chance LOSS and duplicated with chance
 * DUP; where the kernel has netem, also held DELAY_MS and, REORDER of
 * them, sent ahead of the others. Without netem (this is found by trying)
 * nftables does loss and duplication, and delay and reordering are
 * refused. Not seeded: the kernel draws. */
struct ww_lab_impair {
	double loss, dup, reorder; /* chances, 0 to 1 */
	unsigned delay_ms;
};

/* The words after `lab impair`: loss=P dup=P delay=MS reorder=P (P a
 * fraction or a percentage), or "off" alone (all zero). 0, or -1 with
 * ERR naming the word. */
int ww_lab_impair_parse(int argc, char **argv, struct ww_lab_impair *im, char *err,
			size_t errlen);
bool ww_lab_impair_none(const struct ww_lab_impair *im);
/* Put IM in force on lab NAME's router, in place of what was (all zero:
 * nothing). Needs CAP_SYS_ADMIN and CAP_NET_ADMIN. MSG says what is in
 * force and by what (netem or nftables), or why it cannot be. 0 or -1. */
int ww_lab_impair(const char *name, const struct ww_lab_impair *im, char *msg, size_t len);
/* What is in force on lab NAME's router, one line ("none"), with how
 * many packets the rules dropped and copied. 0, or -1 with why not. */
int ww_lab_impair_describe(const char *name, char *out, size_t len);

/* Move the calling thread into HOST's namespace (setns). Returns 0, or -1
 * with ERR. To come back, open /proc/self/ns/net before and setns to it. */
int ww_lab_enter(const char *name, enum ww_lab_host host, char *err, size_t errlen);

#endif
