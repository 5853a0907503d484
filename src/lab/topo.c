/* Namespaces and links: four hosts, three veth pairs created directly
 * inside their namespaces (so two labs never collide on interface names
 * in the root namespace), a bridge for the LAN, fixed MACs, IPv6 off and
 * offloads off. See the diagram in include/ww/lab.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab_int.h"

#define MAX_ADDRS 6

/* One interface as the lab expects it. */
struct lab_if {
	int host;
	const char *name;
	const char *mac; /* NULL: not checked (loopback) */
	bool veth;       /* offloads to turn off */
	const char *addrs[MAX_ADDRS]; /* CIDR; the list is exact, except on lo */
};

static const struct lab_if lab_ifs[] = {
	{ WW_LAB_CLIENT, WW_LAB_CLIENT_IF, WW_LAB_CLIENT_MAC, true, { NULL } },
	{ WW_LAB_ROUTER, WW_LAB_GW_IF, WW_LAB_GW_MAC, false, { WW_LAB_GW_IP "/24" } },
	{ WW_LAB_ROUTER, WW_LAB_PORT_CLIENT_IF, WW_LAB_PORT_CLIENT_MAC, true, { NULL } },
	{ WW_LAB_ROUTER, WW_LAB_PORT_PEER_IF, WW_LAB_PORT_PEER_MAC, true, { NULL } },
	{ WW_LAB_ROUTER, WW_LAB_WAN_IF, WW_LAB_WAN_MAC, true, { WW_LAB_WAN_IP "/24" } },
	{ WW_LAB_PEER, WW_LAB_PEER_IF, WW_LAB_PEER_MAC, true, { WW_LAB_PEER_IP "/24" } },
	{ WW_LAB_NET, WW_LAB_NET_IF, WW_LAB_NET_MAC, true, { WW_LAB_RESOLVER_IP "/24" } },
	{ WW_LAB_NET, WW_LAB_SRV_IF, NULL, false,
	  { WW_LAB_ROOT_NS_IP "/32", WW_LAB_TLD_NS_IP "/32", WW_LAB_AUTH_NS_IP "/32", WW_LAB_WEB_IP "/32",
	    WW_LAB_MAIL_IP "/32" } },
};
#define N_IFS (sizeof lab_ifs / sizeof lab_ifs[0])

/* Each pair: side A (host, name, MAC), side B. */
struct lab_veth {
	int host_a;
	const char *if_a, *mac_a;
	int host_b;
	const char *if_b, *mac_b;
};

static const struct lab_veth lab_veths[] = {
	{ WW_LAB_CLIENT, WW_LAB_CLIENT_IF, WW_LAB_CLIENT_MAC, WW_LAB_ROUTER, WW_LAB_PORT_CLIENT_IF, WW_LAB_PORT_CLIENT_MAC },
	{ WW_LAB_PEER, WW_LAB_PEER_IF, WW_LAB_PEER_MAC, WW_LAB_ROUTER, WW_LAB_PORT_PEER_IF, WW_LAB_PORT_PEER_MAC },
	{ WW_LAB_ROUTER, WW_LAB_WAN_IF, WW_LAB_WAN_MAC, WW_LAB_NET, WW_LAB_NET_IF, WW_LAB_NET_MAC },
};

/* Routes beyond the connected ones, per host: destination, gateway. */
struct lab_route {
	int host;
	const char *dst, *via;
};

static const struct lab_route lab_routes[] = {
	{ WW_LAB_PEER, "default", WW_LAB_GW_IP },
	{ WW_LAB_ROUTER, "198.51.100.0/24", WW_LAB_RESOLVER_IP },
	{ WW_LAB_ROUTER, "192.0.2.0/24", WW_LAB_RESOLVER_IP },
	{ WW_LAB_NET, "default", WW_LAB_WAN_IP },
};

/* `ip -n NS ARGS...` for HOST; ARGS ends with NULL. */
static int ip_in(struct lab *l, int host, const char *const args[])
{
	char ns[32];
	const char *argv[16] = { "ip", "-n", ns };
	int n = 3;
	ww_lab_netns_name(ns, sizeof ns, l->name, (enum ww_lab_host)host);
	for (int i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return lab_run(l, -1, argv);
}
#define IP(l, host, ...) ip_in((l), (host), (const char *const[]){ __VA_ARGS__, NULL })

static int make_veth(struct lab *l, const struct lab_veth *v)
{
	char ns_a[32], ns_b[32];
	ww_lab_netns_name(ns_a, sizeof ns_a, l->name, (enum ww_lab_host)v->host_a);
	ww_lab_netns_name(ns_b, sizeof ns_b, l->name, (enum ww_lab_host)v->host_b);
	const char *argv[] = { "ip", "link", "add", v->if_a, "address", v->mac_a, "netns", ns_a, "type", "veth",
			       "peer", "name", v->if_b, "address", v->mac_b, "netns", ns_b, NULL };
	return lab_run(l, -1, argv);
}

/* Writes KEY (dotted, as sysctl(8) names it) in the namespace we are in.
 * /proc/sys/net shows the namespace of the task that opens it. */
static int sysctl_set(struct lab *l, const char *key, const char *val)
{
	char path[128];
	int n = snprintf(path, sizeof path, "/proc/sys/%s", key);
	for (int i = 10; i < n; i++)
		if (path[i] == '.')
			path[i] = '/';
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		/* A kernel booted without IPv6 has nothing to turn off. */
		if (errno == ENOENT && (strstr(key, "ipv6") || strstr(key, "bridge-nf")))
			return 0;
		return lab_fail(l, "cannot open %s: %s", path, strerror(errno));
	}
	ssize_t w = write(fd, val, strlen(val));
	int e = errno;
	close(fd);
	if (w < 0)
		return lab_fail(l, "cannot set %s=%s: %s", key, val, strerror(e));
	return 0;
}

static int host_sysctls(struct lab *l, int host)
{
	int saved;
	if (lab_ns_enter(l, host, &saved) < 0)
		return -1;
	/* No router solicitations or MLD reports cluttering the captures. */
	int r = sysctl_set(l, "net.ipv6.conf.all.disable_ipv6", "1");
	r |= sysctl_set(l, "net.ipv6.conf.default.disable_ipv6", "1");
	/* Loose reverse-path filtering: a source no route leads back to at
	 * all is dropped, as at a real edge; asymmetric paths are not. */
	r |= sysctl_set(l, "net.ipv4.conf.all.rp_filter", "2");
	r |= sysctl_set(l, "net.ipv4.conf.default.rp_filter", "2");
	if (host == WW_LAB_ROUTER) {
		r |= sysctl_set(l, "net.ipv4.ip_forward", "1");
		/* The router is the edge of the LAN: strict reverse-path
		 * filtering drops what comes in from the LAN with a source that
		 * lives elsewhere (BCP 38), as a careful ISP's edge does. Else a
		 * datagram forged "from 192.0.2.10" and sent to the gateway's
		 * MAC would be forwarded straight back and look like the
		 * server's answer. */
		r |= sysctl_set(l, "net.ipv4.conf.all.rp_filter", "1");
		/* The kernel takes the larger of all and the device's own, and
		 * a device takes default's when it is made: the LAN bridge is
		 * made after this. */
		r |= sysctl_set(l, "net.ipv4.conf.default.rp_filter", "1");
		if (access("/proc/sys/net/ipv4/conf/" WW_LAB_GW_IF, F_OK) == 0)
			r |= sysctl_set(l, "net.ipv4.conf." WW_LAB_GW_IF ".rp_filter", "1");
		/* The LAN bridge is a switch: it must pass a frame with a bad IP
		 * checksum to the host it is for, not judge it (br_netfilter,
		 * when loaded, would drop it). Absent without br_netfilter. */
		r |= sysctl_set(l, "net.bridge.bridge-nf-call-iptables", "0");
	}
	lab_ns_leave(saved);
	return r ? -1 : 0;
}

static int if_offloads_off(struct lab *l, const struct lab_if *i)
{
	const char *argv[] = { "ethtool", "-K", i->name, "tx", "off", "rx", "off", "tso", "off",
			       "gso", "off", "gro", "off", NULL };
	return lab_run(l, i->host, argv);
}

/* `ip netns exec ww-NAME-peer dig|curl ...` then asks the lab's resolver:
 * ip netns exec bind-mounts /etc/netns/NS/resolv.conf over the host's.
 * The client is left out: its kernel has no address to ask from. */
#define ETC_NETNS "/etc/netns"
static const int resolv_hosts[] = { WW_LAB_ROUTER, WW_LAB_PEER, WW_LAB_NET };

static void resolv_path(const struct lab *l, int host, char *dir, char *file)
{
	char ns[32];
	ww_lab_netns_name(ns, sizeof ns, l->name, (enum ww_lab_host)host);
	snprintf(dir, LAB_PATH_MAX, "%s/%s", ETC_NETNS, ns);
	snprintf(file, LAB_PATH_MAX, "%s/%s/resolv.conf", ETC_NETNS, ns);
}

static int write_resolv(struct lab *l)
{
	char dir[LAB_PATH_MAX], file[LAB_PATH_MAX];
	static const char text[] = "# wirewalk lab: the lab's recursive resolver\nnameserver " WW_LAB_RESOLVER_IP "\n";
	if (mkdir(ETC_NETNS, 0755) < 0 && errno != EEXIST)
		return lab_fail(l, "cannot create %s: %s", ETC_NETNS, strerror(errno));
	for (size_t i = 0; i < sizeof resolv_hosts / sizeof resolv_hosts[0]; i++) {
		resolv_path(l, resolv_hosts[i], dir, file);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return lab_fail(l, "cannot create %s: %s", dir, strerror(errno));
		int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		ssize_t w = fd < 0 ? -1 : write(fd, text, sizeof text - 1);
		if (fd < 0 || close(fd) != 0 || w != (ssize_t)(sizeof text - 1))
			return lab_fail(l, "cannot write %s: %s", file, strerror(errno));
	}
	return 0;
}

static void remove_resolv(const struct lab *l)
{
	char dir[LAB_PATH_MAX], file[LAB_PATH_MAX];
	for (size_t i = 0; i < sizeof resolv_hosts / sizeof resolv_hosts[0]; i++) {
		resolv_path(l, resolv_hosts[i], dir, file);
		unlink(file);
		rmdir(dir);
	}
	rmdir(ETC_NETNS); /* only when no other namespace keeps files there */
}

int lab_topo_tune(struct lab *l)
{
	for (int h = 0; h < WW_LAB_NHOSTS; h++)
		if (host_sysctls(l, h) < 0)
			return -1;
	/* Ports join the bridge here, not where they are made: setting the
	 * same master again is harmless, and a repair puts back a port
	 * someone took out. */
	if (IP(l, WW_LAB_ROUTER, "link", "set", WW_LAB_PORT_CLIENT_IF, "master", WW_LAB_GW_IF) < 0 ||
	    IP(l, WW_LAB_ROUTER, "link", "set", WW_LAB_PORT_PEER_IF, "master", WW_LAB_GW_IF) < 0)
		return -1;
	/* Without this AF_PACKET sees 64 KB GSO super-frames and checksums
	 * left for hardware to fill. The bridge forwards what the ports
	 * hand it, so its own offloads go too. */
	for (size_t i = 0; i < N_IFS; i++)
		if ((lab_ifs[i].veth || !strcmp(lab_ifs[i].name, WW_LAB_GW_IF)) && if_offloads_off(l, &lab_ifs[i]) < 0)
			return -1;
	return write_resolv(l);
}

static int make_namespaces(struct lab *l)
{
	for (int h = 0; h < WW_LAB_NHOSTS; h++) {
		char ns[32];
		ww_lab_netns_name(ns, sizeof ns, l->name, (enum ww_lab_host)h);
		const char *argv[] = { "ip", "netns", "add", ns, NULL };
		if (lab_run(l, -1, argv) < 0)
			return -1;
	}
	return 0;
}

static int make_links(struct lab *l)
{
	for (size_t i = 0; i < sizeof lab_veths / sizeof lab_veths[0]; i++)
		if (make_veth(l, &lab_veths[i]) < 0)
			return -1;
	/* STP off: ports forward at once. Snooping off: no querier needed. */
	return IP(l, WW_LAB_ROUTER, "link", "add", WW_LAB_GW_IF, "address", WW_LAB_GW_MAC, "type", "bridge",
		  "stp_state", "0", "mcast_snooping", "0");
}

static int add_addresses_and_up(struct lab *l)
{
	for (int h = 0; h < WW_LAB_NHOSTS; h++)
		if (IP(l, h, "link", "set", "lo", "up") < 0)
			return -1;
	for (size_t i = 0; i < N_IFS; i++) {
		const struct lab_if *f = &lab_ifs[i];
		for (int a = 0; a < MAX_ADDRS && f->addrs[a]; a++)
			if (IP(l, f->host, "addr", "add", f->addrs[a], "dev", f->name) < 0)
				return -1;
		if (strcmp(f->name, "lo") && IP(l, f->host, "link", "set", f->name, "up") < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof lab_routes / sizeof lab_routes[0]; i++) {
		const struct lab_route *r = &lab_routes[i];
		if (IP(l, r->host, "route", "add", r->dst, "via", r->via) < 0)
			return -1;
	}
	return 0;
}

/* Is IFNAME in the current namespace running (administratively up, with
 * carrier)? A bridge port forwards from then on (STP is off). */
static bool if_running(const char *ifname)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	bool up = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_RUNNING);
	close(fd);
	return up;
}

/* Links come up asynchronously: a frame the peer sends the moment `lab up`
 * returns would be lost on a bridge port still without carrier. Wait (at
 * most a second) until the router's ports run. */
static int wait_ports_running(struct lab *l)
{
	static const char *const ports[] = { WW_LAB_PORT_CLIENT_IF, WW_LAB_PORT_PEER_IF,
					     WW_LAB_WAN_IF, WW_LAB_GW_IF };
	int saved;
	if (lab_ns_enter(l, WW_LAB_ROUTER, &saved) < 0)
		return -1;
	int waited = 0;
	size_t i = 0;
	while (i < sizeof ports / sizeof ports[0]) {
		if (if_running(ports[i])) {
			i++;
			continue;
		}
		if (waited >= 1000)
			break;
		lab_sleep_ms(10);
		waited += 10;
	}
	lab_ns_leave(saved);
	if (i < sizeof ports / sizeof ports[0])
		return lab_fail(l, "router port %s has no carrier after 1 s", ports[i]);
	return 0;
}

int lab_topo_create(struct lab *l)
{
	/* Sysctls before the links: interfaces take IPv6 and rp_filter
	 * settings from "default" when they are made. */
	if (make_namespaces(l) < 0)
		return -1;
	for (int h = 0; h < WW_LAB_NHOSTS; h++)
		if (host_sysctls(l, h) < 0)
			return -1;
	if (make_links(l) < 0 || lab_topo_tune(l) < 0 || add_addresses_and_up(l) < 0)
		return -1;
	return wait_ports_running(l);
}

int lab_topo_destroy(struct lab *l)
{
	pid_t pids[512];
	for (int h = 0; h < WW_LAB_NHOSTS; h++) {
		int n = lab_ns_pids(l, h, NULL, NULL, pids, 512);
		lab_kill(pids, n);
	}
	int r = 0;
	for (int h = 0; h < WW_LAB_NHOSTS; h++) {
		if (!lab_ns_exists(l, h))
			continue;
		char ns[32];
		ww_lab_netns_name(ns, sizeof ns, l->name, (enum ww_lab_host)h);
		const char *argv[] = { "ip", "netns", "delete", ns, NULL };
		if (lab_run(l, -1, argv) < 0)
			r = -1;
	}
	remove_resolv(l);
	return r;
}

static void fmt_mac(const struct sockaddr_ll *ll, char *out, size_t len)
{
	const unsigned char *m = ll->sll_addr;
	snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void fmt_cidr(const struct ifaddrs *a, char *out, size_t len)
{
	char ip[INET_ADDRSTRLEN] = "?";
	const struct sockaddr_in *in = (const struct sockaddr_in *)a->ifa_addr;
	const struct sockaddr_in *mask = (const struct sockaddr_in *)a->ifa_netmask;
	inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
	int prefix = mask ? __builtin_popcount(mask->sin_addr.s_addr) : 32;
	snprintf(out, len, "%s/%d", ip, prefix);
}

/* What the kernel of HOST has on interface NAME. */
struct if_seen {
	bool found, up;
	char mac[18];
	char addrs[MAX_ADDRS + 4][24];
	int naddrs;
};

static void if_look(const struct ifaddrs *all, const char *name, struct if_seen *s)
{
	memset(s, 0, sizeof *s);
	for (const struct ifaddrs *a = all; a; a = a->ifa_next) {
		if (strcmp(a->ifa_name, name) || !a->ifa_addr)
			continue;
		s->found = true;
		s->up = (a->ifa_flags & IFF_UP) != 0;
		if (a->ifa_addr->sa_family == AF_PACKET)
			fmt_mac((const struct sockaddr_ll *)a->ifa_addr, s->mac, sizeof s->mac);
		else if (a->ifa_addr->sa_family == AF_INET && s->naddrs < MAX_ADDRS + 4)
			fmt_cidr(a, s->addrs[s->naddrs++], sizeof s->addrs[0]);
	}
}

static bool seen_has(const struct if_seen *s, const char *cidr)
{
	for (int i = 0; i < s->naddrs; i++)
		if (!strcmp(s->addrs[i], cidr))
			return true;
	return false;
}

/* 0 when interface F matches; otherwise -1 and why. */
static int if_check(struct lab *l, const struct lab_if *f, const struct if_seen *s)
{
	const char *host = ww_lab_host_name((enum ww_lab_host)f->host);
	if (!s->found)
		return lab_fail(l, "%s: interface %s is missing", host, f->name);
	if (!s->up)
		return lab_fail(l, "%s: interface %s is down", host, f->name);
	if (f->mac && strcmp(s->mac, f->mac))
		return lab_fail(l, "%s: %s has MAC %s, expected %s", host, f->name, s->mac, f->mac);
	int want = 0;
	for (int a = 0; a < MAX_ADDRS && f->addrs[a]; a++, want++)
		if (!seen_has(s, f->addrs[a]))
			return lab_fail(l, "%s: %s lacks address %s", host, f->name, f->addrs[a]);
	/* Loopback keeps 127.0.0.1 besides the servers' addresses. */
	if (strcmp(f->name, "lo") && s->naddrs != want)
		return lab_fail(l, "%s: %s has %d IPv4 addresses, expected %d%s", host, f->name, s->naddrs, want,
				f->host == WW_LAB_CLIENT ? " (the kernel must have none there: wirewalk owns it)" : "");
	return 0;
}

/* Is ROUTE in the routing table of the namespace we are in? /proc/net is
 * /proc/self/net: it shows the reading task's namespace. */
static bool route_present(const struct lab_route *r)
{
	struct in_addr dst = { 0 }, via;
	inet_pton(AF_INET, r->via, &via);
	int prefix = 0;
	if (strcmp(r->dst, "default")) {
		char net[20];
		snprintf(net, sizeof net, "%s", r->dst);
		char *slash = strchr(net, '/');
		if (slash) {
			*slash = '\0';
			prefix = atoi(slash + 1);
		}
		inet_pton(AF_INET, net, &dst);
	}
	uint32_t mask = prefix ? htonl(~0u << (32 - prefix)) : 0;
	FILE *f = fopen("/proc/net/route", "r");
	if (!f)
		return false;
	char line[256];
	bool found = false;
	unsigned d, g, m, flags;
	while (!found && fgets(line, sizeof line, f))
		if (sscanf(line, "%*s %x %x %x %*d %*d %*d %x", &d, &g, &flags, &m) == 4)
			found = d == dst.s_addr && g == via.s_addr && m == mask;
	fclose(f);
	return found;
}

static int routes_check(struct lab *l, int host)
{
	for (size_t i = 0; i < sizeof lab_routes / sizeof lab_routes[0]; i++)
		if (lab_routes[i].host == host && !route_present(&lab_routes[i]))
			return lab_fail(l, "%s: route %s via %s is missing", ww_lab_host_name((enum ww_lab_host)host),
					lab_routes[i].dst, lab_routes[i].via);
	return 0;
}

int lab_topo_verify(struct lab *l)
{
	for (int h = 0; h < WW_LAB_NHOSTS; h++) {
		if (!lab_ns_exists(l, h)) {
			char ns[32];
			ww_lab_netns_name(ns, sizeof ns, l->name, (enum ww_lab_host)h);
			return lab_fail(l, "namespace %s is missing", ns);
		}
		int saved;
		if (lab_ns_enter(l, h, &saved) < 0)
			return -1;
		struct ifaddrs *all = NULL;
		int r = getifaddrs(&all);
		int e = errno;
		int routes = routes_check(l, h);
		lab_ns_leave(saved);
		if (r < 0)
			return lab_fail(l, "getifaddrs in %s: %s", ww_lab_host_name((enum ww_lab_host)h), strerror(e));
		if (routes < 0) {
			freeifaddrs(all);
			return -1;
		}
		for (size_t i = 0; i < N_IFS && r == 0; i++) {
			if (lab_ifs[i].host != h)
				continue;
			struct if_seen s;
			if_look(all, lab_ifs[i].name, &s);
			r = if_check(l, &lab_ifs[i], &s);
		}
		freeifaddrs(all);
		if (r < 0)
			return -1;
	}
	return 0;
}

void lab_topo_show(struct lab *l, int host, char *out, size_t len)
{
	size_t n = 0;
	out[0] = '\0';
	int saved;
	struct ifaddrs *all = NULL;
	if (lab_ns_enter(l, host, &saved) < 0) {
		snprintf(out, len, "    (namespace missing)\n");
		return;
	}
	int r = getifaddrs(&all);
	lab_ns_leave(saved);
	if (r < 0) {
		snprintf(out, len, "    (getifaddrs: %s)\n", strerror(errno));
		return;
	}
	for (size_t i = 0; i < N_IFS && n < len; i++) {
		const struct lab_if *f = &lab_ifs[i];
		if (f->host != host)
			continue;
		struct if_seen s;
		if_look(all, f->name, &s);
		char addrs[160] = "";
		size_t an = 0;
		for (int a = 0; a < s.naddrs && an < sizeof addrs; a++)
			if (strcmp(s.addrs[a], "127.0.0.1/8"))
				an += (size_t)snprintf(addrs + an, sizeof addrs - an, "%s%s", an ? " " : "", s.addrs[a]);
		if (host == WW_LAB_CLIENT && !s.naddrs)
			snprintf(addrs, sizeof addrs, "no kernel address (wirewalk owns %s/%d)", WW_LAB_CLIENT_IP,
				 WW_LAB_LAN_PREFIX);
		if (!strcmp(f->name, WW_LAB_PORT_CLIENT_IF) || !strcmp(f->name, WW_LAB_PORT_PEER_IF))
			snprintf(addrs, sizeof addrs, "port of %s", WW_LAB_GW_IF);
		char keep[LAB_ERR_MAX];
		memcpy(keep, l->err, sizeof keep);
		const char *verdict = if_check(l, f, &s) < 0 ? l->err : "";
		n += (size_t)snprintf(out + n, len - n, "    %-10s %-17s %-4s %s%s%s\n", f->name,
				      f->mac ? (s.found ? s.mac : "-") : "", s.found ? (s.up ? "up" : "DOWN") : "-",
				      s.found ? addrs : "missing", *verdict ? "  !! " : "", verdict);
		memcpy(l->err, keep, sizeof keep);
	}
	freeifaddrs(all);
}

int lab_impair_detect(struct lab *l, char *out, size_t len)
{
	const char *add[] = { "tc", "qdisc", "add", "dev", WW_LAB_WAN_IF, "root", "netem", "delay", "1ms", NULL };
	const char *del[] = { "tc", "qdisc", "del", "dev", WW_LAB_WAN_IF, "root", NULL };
	const char *nft_add[] = { "nft", "add", "table", "ip", "wirewalk_probe", NULL };
	const char *nft_del[] = { "nft", "delete", "table", "ip", "wirewalk_probe", NULL };
	char keep[LAB_ERR_MAX];
	memcpy(keep, l->err, sizeof keep);
	bool netem = lab_run(l, WW_LAB_ROUTER, add) == 0;
	if (netem)
		lab_run(l, WW_LAB_ROUTER, del);
	bool nft = lab_run(l, WW_LAB_ROUTER, nft_add) == 0;
	if (nft)
		lab_run(l, WW_LAB_ROUTER, nft_del);
	memcpy(l->err, keep, sizeof keep);
	if (netem)
		snprintf(out, len, "netem%s", nft ? " (nftables also available)" : "");
	else if (nft)
		snprintf(out, len, "nftables (no netem in this kernel)");
	else
		snprintf(out, len, "none (no netem and no nftables in this kernel)");
	return 0;
}
