# Sourced by the benchmarks that need a lab: with WW (the program), LAB
# (a name of the benchmark's own) and TMP set, `bench_lab_up NAME.sh`
# brings the lab up fresh, waits until the router's LAN port passes
# frames, and takes the lab down (and TMP away) at exit. A lab that will
# not come up ends the benchmark with its output.
bench_lab_up() {
	cleanup() { "$WW" lab down --lab $LAB >/dev/null 2>&1; rm -rf "$TMP"; }
	trap cleanup EXIT
	"$WW" lab down --lab $LAB >/dev/null 2>&1
	if ! "$WW" lab up --lab $LAB >"$TMP/up" 2>&1; then
		echo "$1: lab up failed:" >&2
		cat "$TMP/up" >&2
		exit 1
	fi
	for _ in $(seq 30); do
		[ "$(ip netns exec ww-$LAB-router cat /sys/class/net/lan-client/operstate)" = up ] && break
		sleep 0.1
	done
}
