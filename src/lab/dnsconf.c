/* The lab's DNS: three nsd instances (root, TLD, example.com) that mirror
 * the real delegation chain, and unbound as the recursive resolver whose
 * root hints name the lab's root. Zone files in RFC 1035 §5 master format. */
#include <stdio.h>

#include "lab_int.h"

/* The root zone: "com." and "net." delegated to a.gtld-servers.net; the
 * servers' own names live under "net.", so their addresses here are glue,
 * as in the real root zone. */
static const char root_zone[] =
	"$ORIGIN .\n"
	"$TTL 3600\n"
	".                    86400 IN SOA a.root-servers.net. hostmaster.root-servers.net. (\n"
	"                             2024010101 1800 900 604800 300 )\n"
	".                    86400 IN NS  a.root-servers.net.\n"
	"a.root-servers.net.  86400 IN A   " WW_LAB_ROOT_NS_IP "\n"
	"com.                  3600 IN NS  a.gtld-servers.net.\n"
	"net.                  3600 IN NS  a.gtld-servers.net.\n"
	"a.gtld-servers.net.   3600 IN A   " WW_LAB_TLD_NS_IP "\n";

static const char com_zone[] =
	"$ORIGIN com.\n"
	"$TTL 3600\n"
	"@            IN SOA a.gtld-servers.net. hostmaster.gtld-servers.net. (\n"
	"                    2024010101 1800 900 604800 300 )\n"
	"@            IN NS  a.gtld-servers.net.\n"
	"example      IN NS  ns1.example.com.\n"
	"ns1.example  IN A   " WW_LAB_AUTH_NS_IP "\n";

static const char net_zone[] =
	"$ORIGIN net.\n"
	"$TTL 3600\n"
	"@               IN SOA a.gtld-servers.net. hostmaster.gtld-servers.net. (\n"
	"                       2024010101 1800 900 604800 300 )\n"
	"@               IN NS  a.gtld-servers.net.\n"
	"a.gtld-servers  IN A   " WW_LAB_TLD_NS_IP "\n"
	"a.root-servers  IN A   " WW_LAB_ROOT_NS_IP "\n";

/* The textbook zone, plus names for the browser lessons. Host records
 * 300 s, delegation data 3600 s. */
static const char example_zone[] =
	"$ORIGIN example.com.\n"
	"$TTL 300\n"
	"@          3600 IN SOA ns1.example.com. hostmaster.example.com. (\n"
	"                       2024010101 3600 900 604800 300 )\n"
	"@          3600 IN NS    ns1.example.com.\n"
	"ns1        3600 IN A     " WW_LAB_AUTH_NS_IP "\n"
	"@               IN A     " WW_LAB_WEB_IP "\n"
	"@               IN AAAA  " WW_LAB_WEB_IP6 "\n"
	"www             IN CNAME example.com.\n"
	"@               IN MX    10 mail.example.com.\n"
	"mail            IN A     " WW_LAB_MAIL_IP "\n"
	"@               IN TXT   \"v=spf1 -all\" \"wirewalk lab\" \"second string\"\n"
	/* Too big for 512 bytes of UDP without EDNS: TC=1, then TCP. */
	"big             IN TXT   \"record 1 of 8: more than one 512-byte UDP answer holds: TC=1, then TCP\"\n"
	"big             IN TXT   \"record 2 of 8: more than one 512-byte UDP answer holds: TC=1, then TCP\"\n"
	"big             IN TXT   \"record 3 of 8: more than one 512-byte UDP answer holds: TC=1, then TCP\"\n"
	"big             IN TXT   \"record 4 of 8: more than one 512-byte UDP answer holds: TC=1, then TCP\"\n"
	"big             IN TXT   \"record 5 of 8: more than one 512-byte UDP answer holds: TC=1, then TCP\"\n"
	"big             IN TXT   \"record 6 of 8: more than one 512-byte UDP answer holds: TC=1, then TCP\"\n"
	"big             IN TXT   \"record 7 of 8: more than one 512-byte UDP answer holds: TC=1, then TCP\"\n"
	"big             IN TXT   \"record 8 of 8: more than one 512-byte UDP answer holds: TC=1, then TCP\"\n"
	"http            IN A     " WW_LAB_WEB_IP "   ; http:// redirects to https://\n"
	"expired         IN A     " WW_LAB_WEB_IP "   ; certificate expired\n"
	"untrusted       IN A     " WW_LAB_WEB_IP "   ; certificate from an unknown CA\n"
	"wrong           IN A     " WW_LAB_WEB_IP "   ; certificate for example.net\n";

struct nsd_instance {
	const char *dir;
	const char *addr;
	const char *zones[2]; /* origin */
	const char *files[2];
	const char *texts[2];
};

static const struct nsd_instance nsds[] = {
	{ "nsd-root", WW_LAB_ROOT_NS_IP, { ".", NULL }, { "root.zone", NULL }, { root_zone, NULL } },
	{ "nsd-tld", WW_LAB_TLD_NS_IP, { "com.", "net." }, { "com.zone", "net.zone" }, { com_zone, net_zone } },
	{ "nsd-example", WW_LAB_AUTH_NS_IP, { "example.com.", NULL }, { "example.com.zone", NULL }, { example_zone, NULL } },
};

/* Everything nsd would write elsewhere (database, xfrd state, zone list,
 * pid, log) goes under the instance's own directory. */
static int write_nsd(struct lab *l, const struct nsd_instance *n)
{
	char dir[LAB_PATH_MAX], rel[96], conf[2048];
	lab_path(l, dir, n->dir);
	int len = snprintf(conf, sizeof conf,
			   "# nsd for the wirewalk lab \"%s\", authoritative only.\n"
			   "server:\n"
			   "  ip-address: %s\n"
			   "  port: 53\n"
			   "  do-ip4: yes\n"
			   "  do-ip6: no\n"
			   "  server-count: 1\n"
			   "  tcp-count: 32\n"
			   "  reuseport: no\n"
			   "  username: \"\"\n"
			   "  chroot: \"\"\n"
			   "  database: \"\"\n"
			   "  zonesdir: \"%s\"\n"
			   "  zonelistfile: \"%s/zone.list\"\n"
			   "  xfrdfile: \"%s/xfrd.state\"\n"
			   "  xfrdir: \"%s\"\n"
			   "  pidfile: \"%s/nsd.pid\"\n"
			   "  logfile: \"%s/nsd.log\"\n"
			   "  verbosity: 1\n"
			   "  hide-version: no\n"
			   "  identity: \"%s\"\n"
			   "remote-control:\n"
			   "  control-enable: no\n",
			   l->name, n->addr, dir, dir, dir, dir, dir, dir, n->dir);
	for (int z = 0; z < 2 && n->zones[z]; z++) {
		len += snprintf(conf + len, sizeof conf - (size_t)len, "zone:\n  name: \"%s\"\n  zonefile: \"%s\"\n",
				n->zones[z], n->files[z]);
		snprintf(rel, sizeof rel, "%s/%s", n->dir, n->files[z]);
		if (lab_write_file(l, rel, n->texts[z], 0644) < 0)
			return -1;
	}
	snprintf(rel, sizeof rel, "%s/nsd.conf", n->dir);
	return lab_write_file(l, rel, conf, 0644);
}

static int write_unbound(struct lab *l)
{
	char dir[LAB_PATH_MAX], conf[3072];
	lab_path(l, dir, "unbound");
	static const char hints[] =
		"; The lab's root server, in place of the real ones.\n"
		".                   3600000 NS a.root-servers.net.\n"
		"a.root-servers.net. 3600000 A  " WW_LAB_ROOT_NS_IP "\n";
	if (lab_write_file(l, "unbound/root.hints", hints, 0644) < 0)
		return -1;
	snprintf(conf, sizeof conf,
		 "# unbound for the wirewalk lab \"%s\": the recursive resolver.\n"
		 "server:\n"
		 "  interface: " WW_LAB_RESOLVER_IP "\n"
		 "  port: 53\n"
		 "  outgoing-interface: " WW_LAB_RESOLVER_IP "\n"
		 "  do-ip4: yes\n"
		 "  do-ip6: no\n"
		 "  do-udp: yes\n"
		 "  do-tcp: yes\n"
		 "  access-control: 0.0.0.0/0 refuse\n"
		 "  access-control: 127.0.0.0/8 allow\n"
		 "  access-control: 192.168.1.0/24 allow\n"
		 "  access-control: 203.0.113.0/24 allow\n"
		 "  root-hints: \"%s/root.hints\"\n"
		 "  # The lab zones are unsigned: iterate, do not validate.\n"
		 "  module-config: \"iterator\"\n"
		 "  # Off, so every server in the chain sees the full name (a +trace\n"
		 "  # lesson and a capture at the router show www.example.com asked of\n"
		 "  # the root, as a resolver without RFC 9156 minimisation would).\n"
		 "  qname-minimisation: no\n"
		 "  # No 0x20 case randomisation either: captures read as typed.\n"
		 "  use-caps-for-id: no\n"
		 "  # Full answers: NS records and their addresses in the authority\n"
		 "  # and additional sections, which dig +trace starts from.\n"
		 "  minimal-responses: no\n"
		 "  chroot: \"\"\n"
		 "  username: \"\"\n"
		 "  directory: \"%s\"\n"
		 "  pidfile: \"%s/unbound.pid\"\n"
		 "  logfile: \"%s/unbound.log\"\n"
		 "  use-syslog: no\n"
		 "  verbosity: 1\n"
		 "  num-threads: 1\n"
		 "  so-reuseport: no\n"
		 "  outgoing-range: 64\n"
		 "  num-queries-per-thread: 32\n"
		 "  msg-cache-size: 1m\n"
		 "  rrset-cache-size: 1m\n"
		 "  hide-version: no\n"
		 "  do-daemonize: yes\n"
		 "remote-control:\n"
		 "  control-enable: no\n",
		 l->name, dir, dir, dir, dir);
	return lab_write_file(l, "unbound/unbound.conf", conf, 0644);
}

int lab_dns_write(struct lab *l)
{
	for (size_t i = 0; i < sizeof nsds / sizeof nsds[0]; i++)
		if (write_nsd(l, &nsds[i]) < 0)
			return -1;
	return write_unbound(l);
}
