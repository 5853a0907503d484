#!/bin/bash
# wirewalk's `dns` beside dig, against the same server (the lab's unbound,
# 203.0.113.53) in the same lab ("t13d"): for A, AAAA, NS, SOA, MX, TXT and
# a name that does not exist, the answer section wirewalk prints holds the
# same records as dig's (TTLs aside: they count down between the two);
# for the name that does not exist, the same status and the same SOA in
# the authority section. dig asks from the LAN peer, on the same segment.
# Run as root: tests/lab/test_dns_dig.sh [path/to/wirewalk]
set -u
WW=$(realpath -- "${1:-./wirewalk}")
LAB=t13d
PEER="ip netns exec ww-$LAB-peer"
ROUTER="ip netns exec ww-$LAB-router"
TMP=$(mktemp -d)
pass=0
fail=0

if [ "$(id -u)" != 0 ]; then
	echo "test_dns_dig: SKIP (needs root: network namespaces)"
	exit 77
fi
for tool in ip dig tshark; do
	command -v $tool >/dev/null || { echo "test_dns_dig: SKIP ($tool missing)"; exit 77; }
done
[ -x "$WW" ] || { echo "test_dns_dig: no program at $WW"; exit 2; }

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     | /'; }
same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "expected (dig):
$2
got (wirewalk):
$3"; fi; }

cleanup() { "$WW" lab down --lab $LAB >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT

"$WW" lab down --lab $LAB >/dev/null 2>&1
if ! "$WW" lab up --lab $LAB >"$TMP/up" 2>&1; then
	echo "test_dns_dig: FAIL (lab up)"; cat "$TMP/up"; exit 1
fi
for _ in $(seq 30); do
	[ "$($ROUTER cat /sys/class/net/lan-client/operstate 2>/dev/null)" = up ] && break
	sleep 0.1
done

# SECTION of dig-style output as records, TTL dropped, blanks collapsed,
# sorted (the order within an RRset is the server's to choose).
section() {
	awk -v s=";; $1 SECTION:" '$0 == s { f = 1; next } /^$/ { f = 0 } f && !/^;/ { $2 = ""; $0 = $0; $1 = $1; print }' | sort
}
status() { sed -n 's/^;; ->>HEADER<<- opcode: QUERY, status: \([A-Z]*\),.*/\1/p'; }

# Let unbound fill its cache first, so both ask the same cached data.
$PEER dig @203.0.113.53 example.com >/dev/null 2>&1

check() { # NAME TYPE
	local d w
	d=$($PEER dig @203.0.113.53 "$1" "$2" 2>&1)
	"$WW" --lab $LAB --color off --pcap "$TMP/$1-$2.pcap" -c "dns $1 $2" >"$TMP/w" 2>"$TMP/werr"
	local rc=$?
	w=$(cat "$TMP/w")
	[ $rc = 0 ] && ok "dns $1 $2: exit 0" || bad "dns $1 $2: exit $rc" "$(cat "$TMP/werr")"
	local da wa
	da=$(printf '%s\n' "$d" | section ANSWER)
	wa=$(printf '%s\n' "$w" | section ANSWER)
	same "$1 $2: the same answer records as dig's" "$da" "$wa"
	if [ -z "$da" ] && [ "$1" != nosuchname.example.com ]; then
		bad "$1 $2: dig gave no answer to compare with" "$d"
	fi
	same "$1 $2: the same status" "$(printf '%s\n' "$d" | status)" "$(printf '%s\n' "$w" | status)"
}

check example.com A
check example.com AAAA
check example.com NS
check example.com SOA
check example.com MX
check example.com TXT
check www.example.com A
check nosuchname.example.com A

# The name that does not exist: nothing to answer, so compare what says so.
d=$($PEER dig @203.0.113.53 nosuchname.example.com A 2>&1)
"$WW" --lab $LAB --color off -c "dns nosuchname.example.com A" >"$TMP/w" 2>&1
w=$(cat "$TMP/w")
same "nosuchname: NXDOMAIN for both" "NXDOMAIN NXDOMAIN" \
	"$(printf '%s\n' "$d" | status) $(printf '%s\n' "$w" | status)"
same "nosuchname: the same SOA in the authority section" \
	"$(printf '%s\n' "$d" | section AUTHORITY)" "$(printf '%s\n' "$w" | section AUTHORITY)"
[ -z "$(printf '%s\n' "$w" | section ANSWER)" ] && ok "nosuchname: no answer records" ||
	bad "nosuchname: answer records printed" "$w"

# Every query wirewalk sent and every answer it got, read by tshark.
for f in "$TMP"/*.pcap; do
	n=$(tshark -r "$f" -Y dns 2>/dev/null | wc -l)
	badf=$(tshark -r "$f" -Y '_ws.malformed || _ws.expert.severity >= error || (udp.port == 53 && !dns)' 2>/dev/null)
	[ "$n" = 2 ] && [ -z "$badf" ] && ok "$(basename "$f" .pcap): a query and its answer, well-formed" ||
		bad "$(basename "$f" .pcap): $n DNS frames" "$badf"
done

echo "test_dns_dig: $pass passed, $fail failed"
[ $fail = 0 ]
