#!/bin/bash
# Regenerates the captures in tests/captures from real traffic.
#
# Run as root. Builds a throwaway copy of the lab (DESIGN.md §1) out of
# network namespaces and veth pairs, with Debian's unbound, nsd and nginx as
# the servers and the client namespace's own kernel, ping, dig and curl as
# the client, then records each capture with tcpdump on the client's veth.
# Everything it creates (namespaces, processes, files) is removed on exit,
# also on failure. The captures replace the old ones only when every one of
# them was made and tshark found no malformed frame and no bad checksum.
#
#   client 192.168.1.5 ── router 192.168.1.1 | 203.0.113.1 ── net 203.0.113.53
#   (02:00:00:00:00:05)   (02:00:00:00:01:01 | 02:00:00:00:01:02)  (02:00:00:00:02:01)
#   net also holds 198.51.100.1-3 (nsd: ".", "com.", "example.com.") and
#   192.0.2.10 (nginx, :80 and :443).
#
# Usage: tools/make-captures.sh [OUTDIR]   (default: tests/captures)

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
templates="$here/capture-lab"
out=${1:-"$here/../tests/captures"}

if [ "$(id -u)" != 0 ]; then
	echo "make-captures.sh: run as root (it creates network namespaces)" >&2
	exit 1
fi
for cmd in ip ethtool tcpdump tshark nsd unbound nginx openssl dig curl ping ss /usr/bin/python3; do
	command -v "$cmd" >/dev/null || { echo "make-captures.sh: $cmd not found (make deps)" >&2; exit 1; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

tag="wwcap$$"
NS_C="$tag-client" NS_R="$tag-router" NS_N="$tag-net"
lab=$(mktemp -d -t "$tag.XXXXXX")
pids=()

cleanup() {
	local status=$? pid ns
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	for ns in "$NS_C" "$NS_R" "$NS_N"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$lab"
	if [ "$status" != 0 ]; then
		echo "make-captures.sh: failed; old captures left as they were" >&2
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "make-captures.sh: $*" >&2; exit 1; }
# Background servers are started with a plain `ip netns exec` (not through
# this function), so that $! is the server's own pid: ip execs the command.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Waits until COUNT sockets of ss's FILTER listen in namespace NS.
wait_listen() {
	local ns=$1 proto=$2 count=$3 filter=$4
	for _ in $(seq 100); do
		if [ "$(in_ns "$ns" ss -H "-l$proto" "$filter" | wc -l)" -ge "$count" ]; then
			return 0
		fi
		sleep 0.1
	done
	die "servers did not start listening ($filter); their logs end:
$(tail -n 5 "$lab"/*.log)"
}

# --- the namespaces and links -------------------------------------------

# One veth pair between two namespaces, fixed MACs, offloads and IPv6 off:
# without the ethtool line AF_PACKET sees GSO super-frames and checksums
# left for a NIC to fill.
link_pair() {
	local ns1=$1 if1=$2 mac1=$3 ns2=$4 if2=$5 mac2=$6 ns ifc
	ip link add "$if1" netns "$ns1" address "$mac1" type veth \
		peer name "$if2" netns "$ns2" address "$mac2"
	for ns in "$ns1:$if1" "$ns2:$if2"; do
		ifc=${ns#*:}
		ns=${ns%%:*}
		in_ns "$ns" sysctl -qw "net.ipv6.conf.$ifc.disable_ipv6=1"
		in_ns "$ns" ethtool -K "$ifc" tx off rx off tso off gso off gro off >/dev/null 2>&1 ||
			in_ns "$ns" ethtool -K "$ifc" tx off rx off tso off gso off gro off
		in_ns "$ns" ip link set "$ifc" up
	done
}

make_namespaces() {
	local ns
	for ns in "$NS_C" "$NS_R" "$NS_N"; do
		ip netns add "$ns"
		in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		in_ns "$ns" ip link set lo up
	done
	link_pair "$NS_C" c0 02:00:00:00:00:05 "$NS_R" r0 02:00:00:00:01:01
	link_pair "$NS_R" r1 02:00:00:00:01:02 "$NS_N" n0 02:00:00:00:02:01

	in_ns "$NS_C" ip addr add 192.168.1.5/24 dev c0
	in_ns "$NS_C" ip route add default via 192.168.1.1

	in_ns "$NS_R" ip addr add 192.168.1.1/24 dev r0
	in_ns "$NS_R" ip addr add 203.0.113.1/24 dev r1
	in_ns "$NS_R" ip route add 198.51.100.0/24 via 203.0.113.53
	in_ns "$NS_R" ip route add 192.0.2.0/24 via 203.0.113.53
	in_ns "$NS_R" sysctl -qw net.ipv4.ip_forward=1

	# The servers' addresses sit behind n0, "the internet" seen from the router.
	in_ns "$NS_N" ip addr add 203.0.113.53/24 dev n0
	for a in 198.51.100.1 198.51.100.2 198.51.100.3 192.0.2.10; do
		in_ns "$NS_N" ip addr add "$a/32" dev lo
	done
	in_ns "$NS_N" ip route add default via 203.0.113.1
}

# --- the servers ---------------------------------------------------------

# Copies a template, replacing @LAB@ with the lab directory.
template() {
	sed "s|@LAB@|$lab|g" "$templates/$1" >"$2"
}

start_nsd() {
	local name=$1 addr=$2 zone=$3 file=$4 dir="$lab/nsd-$1"
	mkdir -p "$dir"
	cp "$templates/$file" "$dir/$file"
	sed -e "s|@DIR@|$dir|g" -e "s|@ADDR@|$addr|g" -e "s|@ZONE@|$zone|g" \
		-e "s|@FILE@|$file|g" "$templates/nsd.conf" >"$dir/nsd.conf"
	in_ns "$NS_N" nsd-checkconf "$dir/nsd.conf"
	ip netns exec "$NS_N" nsd -d -c "$dir/nsd.conf" >"$lab/nsd-$name.log" 2>&1 &
	pids+=($!)
}

make_certificates() {
	local d="$lab/tls"
	mkdir -p "$d"
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/ca.key" -out "$d/ca.pem" -days 30 -subj "/CN=wirewalk lab CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/server.key" -out "$d/server.csr" -subj "/CN=example.com" 2>/dev/null
	printf '%s\n' "subjectAltName=DNS:example.com,DNS:www.example.com" \
		"extendedKeyUsage=serverAuth" "basicConstraints=CA:FALSE" >"$d/server.ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-set_serial 4096 -days 30 -extfile "$d/server.ext" -out "$d/server.pem" 2>/dev/null
}

# The web root: an index, a page of exactly 4000 bytes, and a bulk file
# whose byte i is i % 251 (anyone can check it without the lab).
make_web_root() {
	local www="$lab/www"
	mkdir -p "$www"
	/usr/bin/python3 - "$www" <<'EOF'
import sys, os
www = sys.argv[1]
with open(os.path.join(www, "index.html"), "w") as f:
    f.write("<!DOCTYPE html>\n<html><head><title>example.com</title></head>\n"
            "<body><h1>example.com</h1><p>The lab's web server.</p></body></html>\n")
head = "<!DOCTYPE html>\n<html><head><title>4000 bytes</title></head>\n<body>\n<pre>\n"
tail = "</pre>\n</body></html>\n"
body, n = "", 0
while len(head) + len(body) + len(tail) < 4000:
    body += "line %03d of a page of exactly 4000 bytes.\n" % n
    n += 1
page = (head + body)[: 4000 - len(tail)] + tail
assert len(page) == 4000
with open(os.path.join(www, "4000.html"), "w") as f:
    f.write(page)
with open(os.path.join(www, "chunked.html"), "w") as f:
    f.write("<!DOCTYPE html>\n<html><head><title>chunked</title></head>\n<body>\n"
            "<p>Made by server-side includes: <!--# echo var=\"document_uri\" --></p>\n"
            "</body></html>\n")
with open(os.path.join(www, "300K.bin"), "wb") as f:
    f.write(bytes(i % 251 for i in range(300 * 1024)))
EOF
}

start_servers() {
	start_nsd root 198.51.100.1 . root.zone
	start_nsd com 198.51.100.2 com. com.zone
	start_nsd example 198.51.100.3 example.com. example.com.zone

	template unbound.conf "$lab/unbound.conf"
	template root.hints "$lab/root.hints"
	in_ns "$NS_N" unbound-checkconf "$lab/unbound.conf" >/dev/null
	ip netns exec "$NS_N" unbound -d -c "$lab/unbound.conf" >"$lab/unbound.log" 2>&1 &
	pids+=($!)

	make_certificates
	make_web_root
	mkdir -p "$lab/nginx"
	template nginx.conf "$lab/nginx.conf"
	in_ns "$NS_N" nginx -t -q -p "$lab/nginx" -e "$lab/nginx-error.log" -c "$lab/nginx.conf"
	ip netns exec "$NS_N" nginx -p "$lab/nginx" -e "$lab/nginx-error.log" -c "$lab/nginx.conf" \
		>"$lab/nginx.log" 2>&1 &
	pids+=($!)

	wait_listen "$NS_N" u 4 "( sport = :53 )"
	wait_listen "$NS_N" t 2 "( sport = :80 or sport = :443 )"
}

# --- capturing ------------------------------------------------------------

cap_pid=
# Starts tcpdump on the client's veth writing $lab/NAME, with a capture
# FILTER, and waits until it listens.
cap_start() {
	local name=$1 filter=$2
	ip netns exec "$NS_C" tcpdump -i c0 -U -Z root -w "$lab/$name" "$filter" \
		>"$lab/tcpdump-$name.log" 2>&1 &
	cap_pid=$!
	pids+=("$cap_pid")
	for _ in $(seq 50); do
		grep -q "listening on" "$lab/tcpdump-$name.log" && return 0
		sleep 0.1
	done
	die "tcpdump did not start: $(cat "$lab/tcpdump-$name.log")"
}

# Lets the last packets (FINs, late ACKs, ICMP errors) arrive, then stops.
cap_stop() {
	sleep 1
	kill -TERM "$cap_pid"
	wait "$cap_pid" || true
	cap_pid=
}

client() { in_ns "$NS_C" "$@"; }

capture_arp() {
	cap_start arp.pcap arp
	# The client's first packet to its gateway needs the gateway's MAC.
	client ping -q -c 1 -W 2 192.168.1.1 >/dev/null
	# A gratuitous ARP: with arp_notify the kernel announces its address
	# when the link's MAC is (re)set.
	client sysctl -qw net.ipv4.conf.c0.arp_notify=1
	client ip link set c0 address 02:00:00:00:00:05
	cap_stop
}

capture_icmp_frag() {
	cap_start icmp-frag.pcap icmp
	client ping -q -c 2 -i 0.5 -s 3000 -W 2 192.0.2.10 >/dev/null
	client ping -q -c 1 -W 2 192.0.2.10 >/dev/null
	cap_stop
}

capture_icmp_ttl() {
	cap_start icmp-ttl.pcap "icmp or udp"
	# TTL 1 dies at the router: time exceeded, quoting our IP and ICMP header.
	client ping -q -c 1 -t 1 -W 2 192.0.2.10 >/dev/null || true
	# Nothing listens on UDP 33434: port unreachable, quoting the UDP header.
	client bash -c 'printf "anyone there?\n" >/dev/udp/192.0.2.10/33434'
	cap_stop
}

capture_dns() {
	local q=(+tries=1 +time=3)
	cap_start dns.pcap "port 53"
	client dig "${q[@]}" @203.0.113.53 www.example.com A >/dev/null
	client dig "${q[@]}" @203.0.113.53 example.com AAAA >/dev/null
	client dig "${q[@]}" @203.0.113.53 example.com MX >/dev/null
	client dig "${q[@]}" @203.0.113.53 example.com TXT >/dev/null
	client dig "${q[@]}" @203.0.113.53 example.com NS >/dev/null
	client dig "${q[@]}" @203.0.113.53 example.com SOA >/dev/null
	client dig "${q[@]}" @203.0.113.53 nosuchname.example.com A >/dev/null
	# Iterative, by hand: root and TLD refer with glue, ns1 answers.
	client dig "${q[@]}" +norecurse @198.51.100.1 www.example.com A >/dev/null
	client dig "${q[@]}" +norecurse @198.51.100.2 www.example.com A >/dev/null
	client dig "${q[@]}" +norecurse @198.51.100.3 www.example.com A >/dev/null
	cap_stop
}

capture_http() {
	cap_start http.pcap "tcp port 80"
	client curl -sS -f -o /dev/null --resolve example.com:80:192.0.2.10 \
		http://example.com/4000.html
	cap_stop
}

capture_tls() {
	local tls=(-sS -f -o /dev/null --cacert "$lab/tls/ca.pem" --resolve example.com:443:192.0.2.10)
	cap_start tls.pcap "tcp port 443"
	client curl "${tls[@]}" https://example.com/
	sleep 0.5
	client curl "${tls[@]}" --tls-max 1.2 https://example.com/
	cap_stop
}

# A POST with a JSON body (201 Created) and a chunked response, each on a
# connection of its own.
capture_http_post() {
	local http=(-sS -f -o /dev/null --resolve example.com:80:192.0.2.10)
	cap_start http-post.pcap "tcp port 80"
	client curl "${http[@]}" -H 'Content-Type: application/json' -d '{"name":"widget"}' \
		http://example.com/api/items
	client curl "${http[@]}" http://example.com/chunked.html
	cap_stop
}

# TLS 1.2 to a client that does not trust the lab CA: it answers the
# server's Certificate with a fatal unknown_ca alert, in the clear.
capture_tls_refused() {
	cap_start tls-refused.pcap "tcp port 443"
	client curl -sS -o /dev/null --tls-max 1.2 --resolve example.com:443:192.0.2.10 \
		https://example.com/ 2>/dev/null && die "curl trusted a CA it was not given"
	cap_stop
}

capture_bulk() {
	cap_start bulk.pcap "tcp port 80"
	client curl -sS -f -o /dev/null --resolve example.com:80:192.0.2.10 \
		http://example.com/300K.bin
	cap_stop
}

# tshark must find no malformed frame, no error-level expert item and no
# bad IPv4/TCP/UDP checksum in any capture.
verify() {
	local f=$1 bad
	bad=$(tshark -r "$f" -o ip.defragment:FALSE -o ip.check_checksum:TRUE \
		-o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null)
	[ -z "$bad" ] || die "$(basename "$f"): tshark reports problems:
$bad"
	tshark -r "$f" -o ip.defragment:FALSE -z expert -q 2>/dev/null | sed 's/^/    /'
	echo "$(basename "$f"): $(tshark -r "$f" 2>/dev/null | wc -l) frames, $(stat -c %s "$f") bytes, tshark finds no problem"
}

make_namespaces
start_servers
capture_arp
capture_icmp_frag
capture_icmp_ttl
capture_dns
capture_http
capture_tls
capture_bulk
capture_http_post
capture_tls_refused

names=(arp.pcap icmp-frag.pcap icmp-ttl.pcap dns.pcap http.pcap tls.pcap bulk.pcap
	http-post.pcap tls-refused.pcap)
for n in "${names[@]}"; do
	verify "$lab/$n"
done
for n in "${names[@]}"; do
	cp "$lab/$n" "$out/$n"
done
echo "captures written to $out"
