#!/bin/bash
# `fetch https://www.example.com/` with cold caches (a new process: no DNS
# or ARP entry, no TLS session), beside curl over the kernel's TCP and
# OpenSSL from the LAN peer fetching the same page and its three
# subresources over one connection, as fetch does. Both ask the lab's
# resolver, both verify against the lab CA. The figure is whole-process
# wall time, the median of FETCH_BENCH_RUNS runs (default 7) taken in
# turns, and the journey itself: fetch's own total beside the sum of
# curl's time_total; ratios are wirewalk / curl (1: as fast, above 1: slower).
# Never a pass/fail test.
#
# usage: bench/fetch.sh [path/to/wirewalk]   (as root: it builds a lab)
set -u
here=$(cd "$(dirname "$0")" && pwd)
WW=$(realpath -- "${1:-$here/../wirewalk}")
LAB=bfetch
N=${FETCH_BENCH_RUNS:-7}
TMP=$(mktemp -d)
URL=https://www.example.com/

if [ "$(id -u)" != 0 ]; then
	echo "fetch.sh: skipped (needs root: it builds a lab of network namespaces)" >&2
	exit 0
fi
command -v curl >/dev/null || { echo "fetch.sh: skipped (curl missing)" >&2; exit 0; }
if ! "$WW" -c 'help fetch' >/dev/null 2>&1; then
	echo "fetch.sh: skipped ($WW has no fetch command)" >&2
	exit 0
fi

. "$here/lab_up.sh"
bench_lab_up fetch.sh
CA=/run/wirewalk/$LAB/pki/ca.pem

now_ns() { date +%s%N; }
# ours: prints "WALL_S FETCH_TOTAL_MS", or nothing if the fetch failed.
ours() {
	local t0 t1
	t0=$(now_ns)
	"$WW" --lab $LAB --color off -c "set view off; fetch $URL" >"$TMP/ww" 2>&1 || return
	t1=$(now_ns)
	local total
	total=$(sed -n 's/^fetch: HTTP 200, 4 requests, \([0-9.]*\) ms$/\1/p' "$TMP/ww")
	[ -n "$total" ] && awk -v a="$t0" -v b="$t1" -v t="$total" 'BEGIN { printf "%.4f %s\n", (b - a) / 1e9, t }'
}
# theirs: curl, the page and its subresources over one connection; prints
# "WALL_S TRANSFER_MS", the second the sum of curl's time_total per URL
# (name lookup to the last byte), the counterpart of fetch's own total.
theirs() {
	local t0 t1
	t0=$(now_ns)
	ip netns exec ww-$LAB-peer curl -sS --fail --cacert "$CA" --compressed -w '%{time_total}\n' \
		-o /dev/null $URL -o /dev/null ${URL}style.css -o /dev/null ${URL}app.js \
		-o /dev/null ${URL}logo.png >"$TMP/curl" 2>&1 || return
	t1=$(now_ns)
	awk -v a="$t0" -v b="$t1" '{ s += $1 } END { printf "%.4f %.3f\n", (b - a) / 1e9, s * 1000 }' "$TMP/curl"
}

: >"$TMP/ours"
: >"$TMP/theirs"
ours >/dev/null # warm nginx and the lab's resolver for both
theirs >/dev/null
for _ in $(seq "$N"); do
	ours >>"$TMP/ours"
	theirs >>"$TMP/theirs"
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }
ww_s=$(cut -d' ' -f1 "$TMP/ours" | median)
ww_ms=$(cut -d' ' -f2 "$TMP/ours" | median)
k_s=$(cut -d' ' -f1 "$TMP/theirs" | median)
k_ms=$(cut -d' ' -f2 "$TMP/theirs" | median)
echo "fetch $URL and its 3 subresources, cold client caches, lab $LAB ($(nproc) CPUs), median of $N"
printf '%-46s %12s %14s\n' "" "process s" "journey ms"
printf '%-46s %12s %14s\n' "wirewalk fetch (views off)" "${ww_s:--}" "${ww_ms:--}"
printf '%-46s %12s %14s\n' "curl, kernel TCP + OpenSSL, one connection" "${k_s:--}" "${k_ms:--}"
echo "journey (DNS to the last byte) ratio wirewalk / curl: $(ratio "$ww_ms" "$k_ms") (1: as fast; above 1: slower)"
echo "whole process ratio wirewalk / curl: $(ratio "$ww_s" "$k_s") (ours opens a packet socket and its ring, enters the lab and drops capabilities first)"
echo "BENCH fetch wirewalk_ms=${ww_ms:--} curl_ms=${k_ms:--} ratio=$(ratio "$ww_ms" "$k_ms") process_ratio=$(ratio "$ww_s" "$k_s")"
