#!/bin/sh
# Run the wirewalk, libtins and Scapy benchmarks one after another (not in
# parallel: they would compete for the same cores), check the frames each
# one emits, and print the figures side by side.
#
# usage: run.sh BUILD_DIR   (BUILD_DIR holds bench_wire and bench_tins)
# BENCH_SECONDS sets the minimum length of each timed run (default 0.5).
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
out=$build/out
mkdir -p "$out"
python=/usr/bin/python3

echo "wire layer benchmark: $(uname -m), $(nproc) CPUs," \
	"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "each figure: frames per CPU second, best of 3 runs of at least ${BENCH_SECONDS:-0.5} s of CPU time"
echo

status=0
run_one() { # NAME COMMAND...: stdout to $out/NAME.txt
	name=$1
	shift
	printf 'running %s ...\n' "$name" >&2
	if ! "$@" >"$out/$name.txt"; then
		echo "run.sh: $name failed; its figures are left out" >&2
		: >"$out/$name.txt"
		status=1
	fi
}
run_one wirewalk "$build/bench_wire"
run_one libtins "$build/bench_tins"
run_one scapy "$python" "$here/bench_scapy.py"

# Every emitted frame is read by tshark with checksum validation on: it
# must be well formed, both checksums good, and the fields as set. The
# frames must also be the same bytes from all three (Scapy does not pad to
# 60 bytes; the others do, with zeros).
frame_of() { sed -n "s/^FRAME $2 //p" "$out/$1.txt"; }
pad60() { h=$1; while [ ${#h} -lt 120 ]; do h=${h}00; done; echo "$h"; }

for tool in wirewalk libtins scapy; do
	[ -s "$out/$tool.txt" ] || continue
	"$python" - "$out/$tool.txt" "$out/$tool.pcap" <<'EOF'
import struct, sys
frames = [bytes.fromhex(l.split()[2]) for l in open(sys.argv[1]) if l.startswith("FRAME ")]
with open(sys.argv[2], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for b in frames:
        f.write(struct.pack("<IIII", 0, 0, len(b), len(b)) + b)
EOF
	got=$(tshark -r "$out/$tool.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-T fields -E separator='|' -e ip.checksum.status -e tcp.checksum.status \
		-e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e tcp.options.mss_val -e tcp.len \
		-e _ws.malformed 2>/dev/null | tr '\n' ' ')
	want="1|1|1000|0|0x0002|1460|0| 1|1|1000|16909060|0x0018||100| "
	if [ "$got" != "$want" ]; then
		echo "run.sh: $tool: tshark does not read the emitted frames as built:" >&2
		echo "  got  $got" >&2
		echo "  want $want" >&2
		status=1
	fi
done
for w in emit_syn emit_data; do
	ref=$(pad60 "$(frame_of wirewalk $w)")
	for tool in libtins scapy; do
		[ -s "$out/$tool.txt" ] && [ -s "$out/wirewalk.txt" ] || continue
		if [ "$(pad60 "$(frame_of $tool $w)")" != "$ref" ]; then
			echo "run.sh: $w: $tool emits other bytes than wirewalk" >&2
			status=1
		fi
	done
done

# The table, and one machine-readable line per row.
awk '
function rate(v) {
	if (v == "") return "-"
	if (v >= 1e6) return sprintf("%.1f Mf/s", v / 1e6)
	if (v >= 1e3) return sprintf("%.1f kf/s", v / 1e3)
	return sprintf("%.0f f/s", v)
}
# Padded here, not by printf: "×" is two bytes, and awk pads bytes.
function ratio(a, b,   r, e, s) {
	if (a == "" || b == "" || b == 0) return sprintf("%10s", "-")
	r = a / b
	if (r < 1) s = sprintf("%.2f", r)
	else if (r < 10) s = sprintf("%.1f", r)
	else if (r < 100) s = sprintf("%.0f", r)
	else {
		e = 10 ^ (int(log(r) / log(10)) - 1)   # two significant figures
		s = sprintf("%d", int(r / e + 0.5) * e)
	}
	return sprintf("%9s×", s)
}
FNR == 1 { tool = FILENAME; sub(/.*\//, "", tool); sub(/\.txt$/, "", tool) }
$1 == "RESULT" { v[tool, $2] = $3 }
END {
	n = split("emit_syn emit_data parse_syn parse_data", key, " ")
	label["emit_syn"] = "emit SYN+MSS"
	label["emit_data"] = "emit PSH|ACK + 100 B"
	label["parse_syn"] = "dissect SYN+MSS"
	label["parse_data"] = "dissect PSH|ACK + 100 B"
	printf "%-26s %13s %13s %12s %10s %10s\n", "workload", "wirewalk", "libtins", "scapy", "ww/tins", "ww/scapy"
	for (i = 1; i <= n; i++) {
		k = key[i]; w = v["wirewalk", k]; t = v["libtins", k]; s = v["scapy", k]
		printf "%-26s %13s %13s %12s %s %s\n", label[k], rate(w), rate(t), rate(s), ratio(w, t), ratio(w, s)
	}
	print ""
	short = ""
	for (i = 1; i <= n; i++) {
		k = key[i]; w = v["wirewalk", k]; t = v["libtins", k]; s = v["scapy", k]
		printf "BENCH %s wirewalk=%s libtins=%s scapy=%s\n", k, (w == "" ? "-" : w), (t == "" ? "-" : t), (s == "" ? "-" : s)
		if (w == "" || w < 5e6 || (t != "" && w <= t)) short = short " " k
	}
	if (short == "")
		print "target (wirewalk >= 5 Mf/s and ahead of libtins on every row): met"
	else
		print "target (wirewalk >= 5 Mf/s and ahead of libtins on every row): NOT met on" short
}' "$out/wirewalk.txt" "$out/libtins.txt" "$out/scapy.txt"

exit $status
