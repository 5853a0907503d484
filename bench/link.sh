#!/bin/bash
# The link alone, in a lab of its own: how many frames per second the
# client's packet socket takes in through the PACKET_MMAP ring and with
# one recvfrom() per frame, and how many it puts out batched (sendmmsg)
# and one send() at a time. The sender for the receive figures is the
# kernel on the router's side of the client's veth, sending 1514-byte
# frames as fast as it can (link_tx, batched): a receive figure below the
# sender's rate with kernel drops means the reader fell behind; without
# drops, the sender was the limit, and the CPU share tells what reading
# cost. Never a pass/fail test.
#
# usage: bench/link.sh BUILD_DIR [path/to/wirewalk]   (as root: it builds a lab)
# LINK_BENCH_SECONDS sets the length of each run (default 3).
set -u
here=$(cd "$(dirname "$0")" && pwd)
B=$(realpath -- "${1:-$here/build}")
WW=$(realpath -- "${2:-$here/../wirewalk}")
LAB=blink
S=${LINK_BENCH_SECONDS:-3}
TMP=$(mktemp -d)

if [ "$(id -u)" != 0 ]; then
	echo "link.sh: skipped (needs root: it builds a lab of network namespaces)" >&2
	exit 0
fi
for p in "$B/link_rx" "$B/link_tx" "$WW"; do
	[ -x "$p" ] || { echo "link.sh: skipped ($p missing)" >&2; exit 0; }
done

. "$here/lab_up.sh"
bench_lab_up link.sh
CLIENT=/run/netns/ww-$LAB-client
ROUTER=/run/netns/ww-$LAB-router

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# rx MODE: the reader for S seconds while the router's side floods it.
rx() {
	"$B/link_rx" "$CLIENT" eth0 "$S" "$1" >"$TMP/rx" 2>&1 &
	local pid=$!
	sleep 0.3
	"$B/link_tx" "$ROUTER" lan-client "$(awk -v s="$S" 'BEGIN { print s + 0.6 }')" 1514 batch >"$TMP/tx" 2>&1
	wait $pid
	printf '%-28s %10s %8s %10s %8s %6s   (sender %s f/s)\n' "receive, $2" \
		"$(field fps <"$TMP/rx")" "$(field gbps <"$TMP/rx")" "$(field drops <"$TMP/rx")" \
		"$(field frames <"$TMP/rx")" "$(field cpu <"$TMP/rx")" "$(field fps <"$TMP/tx")"
}

# tx MODE: the client's socket sends to the router's side for S seconds.
tx() {
	"$B/link_tx" "$CLIENT" eth0 "$S" 1514 "$1" >"$TMP/tx" 2>&1
	printf '%-28s %10s %8s %10s %8s %6s\n' "send, $2" "$(field fps <"$TMP/tx")" \
		"$(field gbps <"$TMP/tx")" "$(field lost <"$TMP/tx")" "$(field frames <"$TMP/tx")" \
		"$(field cpu <"$TMP/tx")"
}

echo "the link in lab $LAB ($(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)), 1514-byte frames, $S s each"
printf '%-28s %10s %8s %10s %8s %6s\n' "" "frames/s" "Gbit/s" "drops|lost" "frames" "CPU"
rx ring "PACKET_MMAP ring"
rx recv "one recvfrom() each"
tx batch "sendmmsg, 64 a call"
tx single "one send() each"
echo
echo "CPU: the share of one core the benchmark used (1.00: all of it). Receiving,"
echo "every cache line of every frame is read, as a checksum check would."
