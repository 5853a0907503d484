#!/bin/bash
# The stack against the kernel in one lab: how long `lab up` takes, the ARP
# round trip to the gateway, and ping round trips (on-link, through the
# router, and 3000 bytes in fragments) from wirewalk on the client beside
# the kernel's own ping from the LAN peer, which sits on the same segment
# and reaches the same hosts by the same path. A ratio is wirewalk / kernel:
# above 1, wirewalk is slower. Never a pass/fail test.
#
# usage: bench/net.sh [path/to/wirewalk]   (as root: it builds a lab)
# NET_BENCH_COUNT sets the round trips per figure (default 50).
set -u
WW=$(realpath -- "${1:-./wirewalk}")
LAB=bnet
N=${NET_BENCH_COUNT:-50}
PEER="ip netns exec ww-$LAB-peer"
TMP=$(mktemp -d)

if [ "$(id -u)" != 0 ]; then
	echo "net.sh: skipped (needs root: it builds a lab of network namespaces)" >&2
	exit 0
fi
for t in tshark tcpdump ping; do
	command -v $t >/dev/null || { echo "net.sh: skipped ($t missing)" >&2; exit 0; }
done

cleanup() { "$WW" lab down --lab $LAB >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT
"$WW" lab down --lab $LAB >/dev/null 2>&1

# --- lab up ------------------------------------------------------------------
t0=$(date +%s%N)
if ! "$WW" lab up --lab $LAB >"$TMP/up" 2>&1; then
	echo "net.sh: lab up failed:" >&2
	cat "$TMP/up" >&2
	exit 1
fi
t1=$(date +%s%N)
lab_up_ms=$(( (t1 - t0) / 1000000 ))
# The links pass frames once the kernel has marked them up.
for _ in $(seq 30); do
	[ "$(ip netns exec ww-$LAB-router cat /sys/class/net/lan-client/operstate)" = up ] && break
	sleep 0.1
done

# stats: min avg max of the numbers on stdin, in ms.
stats() { awk 'NR == 1 || $1 < mn { mn = $1 } $1 > mx { mx = $1 } { s += $1; n++ }
	END { if (n) printf "%.3f %.3f %.3f %d\n", mn, s / n, mx, n; else print "- - - 0" }'; }
# ping's summary line "rtt min/avg/max/mdev = a/b/c/d ms" → "a b c".
rtt_of() { sed -n 's|^rtt min/avg/max/mdev = \([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\)/.*|\1 \2 \3|p'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-") printf "%.2f", a / b; else print "-" }'; }
row() { # LABEL OURS(min avg max) KERNEL(min avg max)
	set -- "$1" $2 $3
	printf '%-34s %8s %8s %8s   %8s %8s %8s   %6s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" \
		"$(ratio "$3" "$6")"
}

# --- ARP round trip to the gateway ------------------------------------------
# wirewalk: N requests in one session, each answered (its cache knows the
# gateway after the first, so each is one request and one reply); the
# time is the stack's, from handing the request to the link to taking the
# reply in.
cmds=$(for _ in $(seq "$N"); do printf 'arp who-has 192.168.1.1; '; done)
"$WW" --lab $LAB --color off -c "$cmds" >"$TMP/arp.out" 2>&1
ww_arp=$(sed -n 's/^192\.168\.1\.1 is at [0-9a-f:]*  \([0-9.]*\) ms$/\1/p' "$TMP/arp.out" | stats)
# The kernel on the peer: forget the gateway, ping it once, N times over;
# its request and the reply, as the peer's own tcpdump saw them.
$PEER tcpdump -i eth0 --immediate-mode -w "$TMP/karp.pcap" -U arp >/dev/null 2>&1 &
TD=$!
sleep 0.5
for _ in $(seq "$N"); do
	$PEER ip neigh del 192.168.1.1 dev eth0 >/dev/null 2>&1
	$PEER ping -c 1 -W 1 192.168.1.1 >/dev/null 2>&1
done
sleep 0.3
kill $TD 2>/dev/null
wait $TD 2>/dev/null
k_arp=$(tshark -r "$TMP/karp.pcap" -Y 'arp.src.proto_ipv4 == 192.168.1.7 || arp.dst.proto_ipv4 == 192.168.1.7' \
	-T fields -e arp.opcode -e frame.time_epoch 2>/dev/null |
	awk '$1 == 1 { t = $2 } $1 == 2 && t { printf "%.6f\n", ($2 - t) * 1000; t = 0 }' | stats)

# --- ping ------------------------------------------------------------------------
# ping_pair LABEL DEST SIZE: wirewalk's ping from the client, the kernel's
# from the peer, N each, 10 ms apart.
ping_pair() {
	local ours theirs
	ours=$("$WW" --lab $LAB --color off -c "ping -i 0.01 $2 $N $3" 2>&1 | rtt_of)
	theirs=$($PEER ping -q -c "$N" -i 0.01 -s "$3" "$2" 2>&1 | rtt_of)
	row "$1" "${ours:-- - -}" "${theirs:-- - -}"
}

echo "the stack against the kernel in lab $LAB ($(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf 'lab up: %d.%03d s\n\n' $((lab_up_ms / 1000)) $((lab_up_ms % 1000))
printf '%-34s %8s %8s %8s   %8s %8s %8s   %6s\n' "round trip, ms ($N each)" "ww min" "avg" "max" \
	"kernel" "avg" "max" "ratio"
row "ARP who-has 192.168.1.1" "$(echo "$ww_arp" | cut -d' ' -f1-3)" "$(echo "$k_arp" | cut -d' ' -f1-3)"
ping_pair "ping 192.168.1.1 (on-link)" 192.168.1.1 56
ping_pair "ping 192.0.2.10 (via the router)" 192.0.2.10 56
ping_pair "ping 192.0.2.10 3000 B (fragments)" 192.0.2.10 3000
echo
echo "wirewalk pings from the client (192.168.1.5), the kernel from the LAN peer"
echo "(192.168.1.7): same segment, same router, same servers. The kernel's ARP"
echo "times are its request and reply as tcpdump saw them on the peer; wirewalk's"
echo "are its stack's own, from the request handed to the link to the reply taken in."
