#!/bin/bash
# Our TCP against the kernel's in one lab: a 100 MB download of /100M.bin
# from nginx through wirewalk (views off, the default SYN), beside curl
# over the kernel's TCP from the LAN peer, which sits on the same segment
# behind the same router (offloads are off on every lab link, for both).
# Each figure is the median of TCP_BENCH_RUNS downloads (default 5),
# taken in turns; the ratio is wirewalk / kernel (1: as fast). Also
# wirewalk's peak resident memory over the whole run (/usr/bin/time's
# maximum RSS), and the segments it took in and sent (its ACKs). The
# downloads are checked: every byte must arrive (100M.bin's length), or
# the figure is left out. Never a pass/fail test.
#
# usage: bench/tcp.sh [path/to/wirewalk]   (as root: it builds a lab)
set -u
here=$(cd "$(dirname "$0")" && pwd)
WW=$(realpath -- "${1:-$here/../wirewalk}")
LAB=btcp
N=${TCP_BENCH_RUNS:-5}
SIZE=104857600
TMP=$(mktemp -d)

if [ "$(id -u)" != 0 ]; then
	echo "tcp.sh: skipped (needs root: it builds a lab of network namespaces)" >&2
	exit 0
fi
for t in curl /usr/bin/time; do
	command -v $t >/dev/null || { echo "tcp.sh: skipped ($t missing)" >&2; exit 0; }
done
if ! "$WW" -c 'help tcp' 2>/dev/null | grep -q 'tcp connect'; then
	echo "tcp.sh: skipped ($WW has no tcp command)" >&2
	exit 0
fi

. "$here/lab_up.sh"
bench_lab_up tcp.sh

# ours: one download through wirewalk, views off and `tcp.stretch_ack on`:
# one ACK per burst of frames taken in, as the kernel with GRO does (curl's
# kernel sent ~1,800 ACKs for 100 MB); with the textbook ACK for every
# second segment wirewalk sends ~35,000, each a sendmmsg() that on two
# cores also runs the router and nginx, and reaches ~0.5x the kernel.
# ours: one download through wirewalk; prints "SECONDS RSS_KB IN OUT", or
# nothing when the bytes did not all arrive. The time is the connection's
# own (tcp status: from the SYN to the end), as curl's time_total is.
ours() {
	/usr/bin/time -f 'RSS %M' -o "$TMP/time" timeout 120 "$WW" --lab $LAB --color off -c \
		'set view off; set tcp.stretch_ack on; tcp connect 192.0.2.10 80; tcp send "GET /100M.bin HTTP/1.0\r\nHost: example.com\r\n\r\n"; tcp recv -t 10 -o /dev/null; tcp status' \
		>"$TMP/ww" 2>&1
	local got secs rss seg
	got=$(sed -n 's/^TCP 1: \([0-9]*\) bytes received into.*/\1/p' "$TMP/ww")
	secs=$(sed -n 's/.*opened \([0-9.]*\) s ago.*/\1/p' "$TMP/ww")
	rss=$(sed -n 's/^RSS //p' "$TMP/time")
	seg=$(sed -n 's/.*counted *segments \([0-9]*\) in, \([0-9]*\) out.*/\1 \2/p' "$TMP/ww")
	# The body and nginx's header: at least the file's bytes.
	[ -n "$got" ] && [ "$got" -ge $SIZE ] && [ -n "$secs" ] && echo "$secs $rss $seg"
}

# theirs: curl from the LAN peer; prints SECONDS, or nothing if short.
theirs() {
	local out
	out=$(ip netns exec ww-$LAB-peer curl -s -o /dev/null -w '%{size_download} %{time_total}' \
		http://192.0.2.10/100M.bin)
	set -- $out
	[ "${1:-0}" = $SIZE ] && echo "$2"
}

: >"$TMP/ours"
: >"$TMP/theirs"
ours >/dev/null # a first run warms the page cache and nginx
for _ in $(seq "$N"); do
	ours >>"$TMP/ours"
	theirs >>"$TMP/theirs"
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
gbps() { awk -v s="$1" -v b=$SIZE 'BEGIN { if (s > 0) printf "%.2f", b * 8 / s / 1e9; else print "-" }'; }
ww_s=$(cut -d' ' -f1 "$TMP/ours" | median)
k_s=$(median <"$TMP/theirs")
rss=$(cut -d' ' -f2 "$TMP/ours" | sort -n | tail -n 1)
segs=$(head -n 1 "$TMP/ours" | cut -d' ' -f3-4)

echo "a 100 MB download in lab $LAB ($(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)), median of $N"
printf '%-44s %8s %8s\n' "" "seconds" "Gbit/s"
printf '%-44s %8s %8s\n' "wirewalk (views off, MSS only, stretch ACKs)" "${ww_s:--}" "$(gbps "${ww_s:-0}")"
printf '%-44s %8s %8s\n' "curl over the kernel's TCP, from the LAN peer" "${k_s:--}" "$(gbps "${k_s:-0}")"
ratio=$(awk -v a="${ww_s:-0}" -v b="${k_s:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", b / a; else print "-" }')
echo "throughput ratio wirewalk / kernel: $ratio (target >= 0.5)"
echo "wirewalk's peak RSS: $(awk -v k="${rss:-0}" 'BEGIN { printf "%.1f MB", k / 1024 }') (target < 20 MB)"
[ -n "$segs" ] && echo "wirewalk took in $(echo $segs | cut -d' ' -f1) segments and sent $(echo $segs | cut -d' ' -f2) (its ACKs)"
echo "runs: wirewalk $(tr '\n' ' ' <"$TMP/ours" | awk '{ for (i = 1; i <= NF; i += 4) printf "%s ", $i }')s;" \
	"kernel $(tr '\n' ' ' <"$TMP/theirs")s"
echo "BENCH tcp_100M wirewalk_s=${ww_s:--} kernel_s=${k_s:--} ratio=$ratio rss_kb=${rss:--}"
