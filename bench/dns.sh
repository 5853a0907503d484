#!/bin/bash
# Name resolution in one lab: wirewalk's resolver beside dig (BIND 9.18),
# both asking for www.example.com A from the same LAN segment (wirewalk on
# the client, dig on the LAN peer), against the same servers.
#
#   cold       asking the lab's resolver (unbound, 203.0.113.53), whose
#              cache holds the answer: wirewalk with its own cache flushed
#              before every lookup; dig, which never caches
#   cached     wirewalk answering from its own cache, nothing sent; dig
#              asking the resolver as always (what a client without a
#              cache pays)
#   iterative  +trace from the root: wirewalk's three queries (root, com.,
#              example.com); dig's four (it first asks the resolver for the
#              root's NS records)
#
# Lookups run one after the other in one process (a wirewalk script, dig
# -f). Where they go on the wire, a lookup's time is the span from the
# batch's first query to its last answer, as the capture's timestamps
# show (wirewalk's own --pcap; tcpdump on the peer for dig), divided by
# the lookups: the client's work between lookups is in it, the start of
# the process is not. Cached lookups send nothing: their time is the
# batch's wall time less a batch of one, per lookup. Each figure is the
# quickest of 3 runs. A ratio is wirewalk / dig: above 1, wirewalk is
# slower. Never a pass/fail test.
#
# usage: bench/dns.sh [path/to/wirewalk]   (as root: it builds a lab)
# DNS_BENCH_COUNT: lookups per batch (default 1000; 20 times that from
# the cache); DNS_BENCH_TRACES: walks per batch (default 150: nsd answers
# one client at most 200 times a second before it sends it to TCP with
# TC=1, its response rate limiting).
set -u
WW=$(realpath -- "${1:-./wirewalk}")
LAB=bdns
N=${DNS_BENCH_COUNT:-1000}
NT=${DNS_BENCH_TRACES:-150}
NC=$((N * 20))
PEER="ip netns exec ww-$LAB-peer"
TMP=$(mktemp -d)

if [ "$(id -u)" != 0 ]; then
	echo "dns.sh: skipped (needs root: it builds a lab of network namespaces)" >&2
	exit 0
fi
for t in dig tshark tcpdump; do
	command -v $t >/dev/null || { echo "dns.sh: skipped ($t missing)" >&2; exit 0; }
done

cleanup() {
	[ -n "${TD:-}" ] && kill "$TD" 2>/dev/null
	"$WW" lab down --lab $LAB >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
"$WW" lab down --lab $LAB >/dev/null 2>&1
if ! "$WW" lab up --lab $LAB >"$TMP/up" 2>&1; then
	echo "dns.sh: lab up failed:" >&2
	cat "$TMP/up" >&2
	exit 1
fi
for _ in $(seq 30); do
	[ "$(ip netns exec ww-$LAB-router cat /sys/class/net/lan-client/operstate)" = up ] && break
	sleep 0.1
done

ww() { "$WW" --lab $LAB --color off --view off "$@"; }
# lines N TEXT: TEXT on N lines.
lines() { local k; for k in $(seq "$1"); do printf '%s\n' "$2"; done; }
min() { sort -n | head -n 1; }
# span FILE COUNT: µs per lookup from the first DNS query to the last DNS
# answer in the capture FILE.
span() {
	tshark -r "$1" -Y dns -T fields -e frame.time_epoch -e dns.flags.response 2>/dev/null |
		awk -v n="$2" '$2 == 0 && !t0 { t0 = $1 } $2 == 1 { t1 = $1 }
			END { if (t0 && t1 > t0) printf "%.1f\n", (t1 - t0) * 1e6 / n }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "-" }'; }
answers() { grep -c "$1" "$TMP/out"; }

# Warm unbound, and the ARP caches of the router and the peer.
$PEER dig @203.0.113.53 www.example.com >/dev/null 2>&1
ww -c 'dns www.example.com +short' >/dev/null 2>&1

# wirewalk: SCRIPT's lookups, timed on its own capture; COUNT, PATTERN:
# how many answers it must print.
ww_wire() {
	local script=$1 count=$2 pattern=$3 i
	for i in 1 2 3; do
		ww --pcap "$TMP/ww.pcap" "$script" >"$TMP/out" 2>&1
		[ "$(answers "$pattern")" = "$count" ] || { echo "dns.sh: $script: not $count answers" >&2; return; }
		span "$TMP/ww.pcap" "$count"
	done | min
}

# dig: -f BATCH on the peer, timed on tcpdump's capture there.
dig_wire() {
	local batch=$1 count=$2 pattern=$3 i
	for i in 1 2 3; do
		$PEER tcpdump -i eth0 -U -w "$TMP/dig.pcap" udp port 53 >/dev/null 2>&1 &
		TD=$!
		sleep 0.5
		$PEER dig @203.0.113.53 -f "$batch" >"$TMP/out" 2>&1
		sleep 0.2
		kill "$TD" 2>/dev/null
		wait "$TD" 2>/dev/null
		TD=
		[ "$(answers "$pattern")" = "$count" ] || { echo "dns.sh: dig -f: not $count answers" >&2; return; }
		span "$TMP/dig.pcap" "$count"
	done | min
}

# --- cold ---------------------------------------------------------------------------
{ for _ in $(seq "$N"); do printf 'dns flush\ndns www.example.com +short\n'; done; } >"$TMP/cold.ww"
ww_cold=$(ww_wire "$TMP/cold.ww" "$N" '^192\.0\.2\.10$')
lines "$N" "www.example.com +short" >"$TMP/names"
dig_cold=$(dig_wire "$TMP/names" "$N" '^192\.0\.2\.10$')

# --- cached ---------------------------------------------------------------------------
lines 1 "dns www.example.com +short" >"$TMP/one.ww"
lines "$NC" "dns www.example.com +short" >"$TMP/cached.ww"
ww_cached=$(for _ in 1 2 3; do
	t0=$(date +%s%N); ww "$TMP/one.ww" >/dev/null 2>&1; t1=$(date +%s%N)
	ww "$TMP/cached.ww" >"$TMP/out" 2>&1; t2=$(date +%s%N)
	[ "$(answers '^192\.0\.2\.10$')" = "$NC" ] || { echo "dns.sh: cached: not $NC answers" >&2; continue; }
	awk -v a=$((t2 - t1)) -v b=$((t1 - t0)) -v n="$NC" 'BEGIN { v = (a - b) / (n - 1) / 1000; printf "%.2f\n", v < 0 ? 0 : v }'
done | min)
sent=$(ww -c "dns www.example.com +short; dns www.example.com +short; dns stats" 2>&1 |
	sed -n 's/^  dns\.queries_sent *\([0-9]*\) .*/\1/p')
[ "$sent" = 1 ] || echo "dns.sh: two lookups sent $sent queries, not 1: the cache did not answer" >&2

# --- iterative --------------------------------------------------------------------------
lines "$NT" "dns www.example.com +trace" >"$TMP/trace.ww"
ww_trace=$(ww_wire "$TMP/trace.ww" "$NT" '^;; The answer, after 3 queries:$')
lines "$NT" "+trace www.example.com" >"$TMP/traces"
dig_trace=$(dig_wire "$TMP/traces" "$NT" 'from 198\.51\.100\.3#53')

echo "name resolution against dig in lab $LAB ($(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
printf '%-44s %10s %10s %8s\n' "www.example.com A, µs per lookup" "wirewalk" "dig" "ratio"
printf '%-44s %10s %10s %8s\n' "cold: asking the resolver ($N)" "${ww_cold:--}" "${dig_cold:--}" \
	"$(ratio "$ww_cold" "$dig_cold")"
printf '%-44s %10s %10s %8s\n' "cached: wirewalk's cache; dig asks ($NC)" "${ww_cached:--}" \
	"${dig_cold:--}" "$(ratio "$ww_cached" "$dig_cold")"
printf '%-44s %10s %10s %8s\n' "iterative: +trace from the root ($NT)" "${ww_trace:--}" \
	"${dig_trace:--}" "$(ratio "$ww_trace" "$dig_trace")"
echo
echo "BENCH dns_cold wirewalk=${ww_cold:--} dig=${dig_cold:--}"
echo "BENCH dns_cached wirewalk=${ww_cached:--} dig=${dig_cold:--}"
echo "BENCH dns_trace wirewalk=${ww_trace:--} dig=${dig_trace:--}"
echo
echo "On the wire: first query to last answer of a batch, per lookup; from the"
echo "cache: wall time per lookup. The quickest of 3 runs each. wirewalk on the"
echo "client (192.168.1.5), dig on the LAN peer (192.168.1.7): same segment, same"
echo "router, same servers. dig's +trace asks the resolver for the root's NS"
echo "records first: four queries to wirewalk's three."
