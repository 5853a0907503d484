#!/bin/bash
# `fetch https://www.example.com/` with cold caches (a new process: no DNS
# or ARP entry, no TLS session), beside curl over the kernel's TCP and
# OpenSSL from the LAN peer fetching the same page and its three
# subresources over one connection, as fetch does. Both ask the lab's
# resolver, both verify against the lab CA. The figure is whole-process
# wall time, the median of FETCH_BENCH_RUNS runs (default 7) taken in
# turns; the ratio is wirewalk / curl (1: as fast, above 1: slower).
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

cleanup() { "$WW" lab down --lab $LAB >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT
"$WW" lab down --lab $LAB >/dev/null 2>&1
if ! "$WW" lab up --lab $LAB >"$TMP/up" 2>&1; then
	echo "fetch.sh: lab up failed:" >&2
	cat "$TMP/up" >&2
	exit 1
fi
for _ in $(seq 30); do
	[ "$(ip netns exec ww-$LAB-router cat /sys/class/net/lan-client/operstate)" = up ] && break
	sleep 0.1
done
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
# theirs: curl, the page and its subresources over one connection.
theirs() {
	local t0 t1
	t0=$(now_ns)
	ip netns exec ww-$LAB-peer curl -sS --fail --cacert "$CA" --compressed \
		-o /dev/null $URL -o /dev/null ${URL}style.css -o /dev/null ${URL}app.js \
		-o /dev/null ${URL}logo.png 2>"$TMP/curl" || return
	t1=$(now_ns)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }'
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
ww_s=$(cut -d' ' -f1 "$TMP/ours" | median)
ww_ms=$(cut -d' ' -f2 "$TMP/ours" | median)
k_s=$(median <"$TMP/theirs")
echo "fetch $URL and its 3 subresources, cold client caches, lab $LAB ($(nproc) CPUs), median of $N"
printf '%-52s %10s\n' "" "wall s"
printf '%-52s %10s\n' "wirewalk fetch (views off; its own total ${ww_ms:--} ms)" "${ww_s:--}"
printf '%-52s %10s\n' "curl, kernel TCP + OpenSSL, one connection" "${k_s:--}"
ratio=$(awk -v a="${ww_s:-0}" -v b="${k_s:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }')
echo "wall time ratio wirewalk / curl: $ratio (1: as fast; above 1: slower)"
echo "BENCH fetch wirewalk_s=${ww_s:--} curl_s=${k_s:--} ratio=$ratio"
