#!/bin/bash
# Our TCP against nginx through faults, in a lab of its own ("t15t"):
# /10M.bin (byte i = i % 251) downloaded through wirewalk
#  - with faults on our side: set fault drop=0.05 dup=0.02 reorder=0.1
#    corrupt=0.01, a seed per run;
#  - with the router impaired: lab impair loss=0.05 dup=0.02 (nftables:
#    this kernel has no netem);
# ten runs each with SACK offered (Linux then recovers in a round trip,
# not an RTO), and one each with the default SYN (MSS only), which
# recovers slowly but must recover. Every run is bounded in time; the
# body's SHA-256 must be the file's; and tshark's TCP analysis of every
# capture may flag only what the faults explain (retransmissions, dup
# ACKs, out-of-order, segments lost before the capture) beside what a
# clean run shows (window full, with the default 64 KiB window).
# Run as root: tests/lab/test_tcp_faults.sh [path/to/wirewalk]
set -u
WW=$(realpath -- "${1:-./wirewalk}")
LAB=t15t
ROUTER="ip netns exec ww-$LAB-router"
TMP=$(mktemp -d)
RUNS=${TCP_FAULT_RUNS:-10}
pass=0
fail=0

if [ "$(id -u)" != 0 ]; then
	echo "test_tcp_faults: SKIP (needs root: network namespaces)"
	exit 77
fi
for tool in ip tshark nft timeout /usr/bin/python3; do
	command -v $tool >/dev/null || { echo "test_tcp_faults: SKIP ($tool missing)"; exit 77; }
done
[ -x "$WW" ] || { echo "test_tcp_faults: no program at $WW"; exit 2; }
if ! "$WW" -c 'help tcp' 2>/dev/null | grep -q 'tcp connect'; then
	echo "test_tcp_faults: SKIP (this wirewalk has no tcp command)"
	exit 77
fi

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     | /'; }

cleanup() {
	"$WW" lab down --lab $LAB >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

"$WW" lab down --lab $LAB >/dev/null 2>&1
if ! "$WW" lab up --lab $LAB >"$TMP/up" 2>&1; then
	echo "test_tcp_faults: FAIL (lab up)"; cat "$TMP/up"; exit 1
fi
for _ in $(seq 30); do
	[ "$($ROUTER cat /sys/class/net/lan-client/operstate 2>/dev/null)" = up ] && break
	sleep 0.1
done

# The file's SHA-256, from its definition rather than from the server.
WANT=$(/usr/bin/python3 -c '
import hashlib
n = 10485760
print(hashlib.sha256((bytes(range(251)) * (n // 251 + 1))[:n]).hexdigest())')

# body_sha FILE: the SHA-256 of what follows the HTTP header, and its length.
body_sha() {
	/usr/bin/python3 - "$1" <<'EOF'
import hashlib, sys
d = open(sys.argv[1], "rb").read()
i = d.find(b"\r\n\r\n")
b = d[i + 4:] if i >= 0 else b""
print(hashlib.sha256(b).hexdigest(), len(b))
EOF
}

# flags PCAP: "name count" for each tcp.analysis flag tshark sets. The
# frames we corrupted on their way out are taken out first: no receiver
# took them (a bad checksum, or a MAC not the router's), and left in they
# would mislead tshark's bookkeeping (an ACK whose sequence number gained
# a bit makes every ACK after it look like a keep-alive).
FLAGS="retransmission fast_retransmission spurious_retransmission out_of_order reused_ports
lost_segment ack_lost_segment window_update window_full keep_alive keep_alive_ack duplicate_ack
zero_window zero_window_probe zero_window_probe_ack"
WIRE='ip.checksum.status != 0 && tcp.checksum.status != 0 &&
((eth.src == 02:00:00:00:00:05 && eth.dst == 02:00:00:00:01:01) ||
 (eth.src == 02:00:00:00:01:01 && eth.dst == 02:00:00:00:00:05))'
flags() {
	local args=() f
	for f in $FLAGS; do args+=(-e "tcp.analysis.$f"); done
	tshark -r "$1" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -Y "$WIRE" \
		-w "$1.taken" 2>/dev/null
	tshark -r "$1.taken" -Y 'tcp.analysis.flags' -T fields -E separator=/t "${args[@]}" 2>/dev/null |
		awk -F'\t' -v names="$(echo $FLAGS)" '
			BEGIN { n = split(names, nm, " ") }
			{ for (i = 1; i <= n; i++) if ($i != "") c[nm[i]]++ }
			END { for (k in c) print k, c[k] }' | sort
}
# What faults explain: a segment or an ACK lost, copied, held back, or
# corrupted (and so dropped by the receiver). And, at most once at the end,
# a keep-alive and its answer: our last ACK held back behind our FIN has a
# sequence number one below the FIN's end, which is what tshark takes a
# keep-alive for.
EXPLAINED="retransmission fast_retransmission spurious_retransmission out_of_order lost_segment
ack_lost_segment duplicate_ack window_update"
AT_MOST_ONCE="keep_alive keep_alive_ack"

GET='tcp send "GET /10M.bin HTTP/1.0\r\nHost: example.com\r\n\r\n"'
# download NAME TIMEOUT SETTINGS: one download; sets $rc, $log, $secs.
download() {
	local name=$1 limit=$2 settings=$3 t0 t1
	t0=$(date +%s.%N)
	timeout "$limit" "$WW" --lab $LAB --color off --pcap "$TMP/$name.pcap" \
		-c "set view off; $settings tcp connect 192.0.2.10 80; $GET; tcp recv -t 60 -o $TMP/$name.out; tcp close; set fault" \
		>"$TMP/$name.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	log=$(grep -v -e '^  ~ fault' -e '^  ✗' "$TMP/$name.log")
}

# check FILE NAME ALLOWED [ONCE]: the run FILE finished, the bytes are
# right, tshark flags nothing but ALLOWED, and ONCE at most once each.
check() {
	local file=$1 name=$2 allowed=$3 once=${4:-} got flag n unexplained=""
	if [ "$rc" = 124 ]; then
		bad "$name: did not finish within its time" "$(tail -n 5 "$TMP/$file.log")"
		return
	fi
	got=$(body_sha "$TMP/$file.out" 2>/dev/null)
	if [ "$got" = "$WANT 10485760" ]; then
		ok "$name: 10485760 bytes, SHA-256 the file's ($secs s)"
	else
		bad "$name: the body is not the file (exit $rc, $secs s): got ${got:-nothing}" "$log"
	fi
	while read -r flag n; do
		[ -n "$flag" ] || continue
		case " $(echo $allowed) " in
		*" $flag "*) ;;
		*) case " $once " in
		   *" $flag "*) [ "$n" -le 1 ] || unexplained="$unexplained $flag=$n" ;;
		   *) unexplained="$unexplained $flag=$n" ;;
		   esac ;;
		esac
	done <<<"$(flags "$TMP/$file.pcap")"
	[ -z "$unexplained" ] && ok "$name: tshark flags only what is explained" ||
		bad "$name: tshark flags what no fault explains:$unexplained"
}

# --- a clean run: what tshark flags without faults -------------------------
download clean 60 ""
BASE=$(flags "$TMP/clean.pcap" | cut -d' ' -f1 | tr '\n' ' ')
check clean "a clean run" "window_full window_update"
echo "     (a clean run: tshark flags ${BASE:-nothing})"

# --- faults on our side --------------------------------------------------------
FAULT='set fault drop=0.05 dup=0.02 reorder=0.1 corrupt=0.01'
for i in $(seq "$RUNS"); do
	download "ours$i" 120 "set tcp.sack on; $FAULT seed=$i;"
	check "ours$i" "our faults, seed $i, SACK" "$BASE $EXPLAINED" "$AT_MOST_ONCE"
	# The faults happened: each kind, both ways (not a clean run in disguise).
	stats=$(grep '^fault drop=' "$TMP/ours$i.log")
	if printf '%s' "$stats" | grep -Eq 'received [0-9]+: [1-9][0-9]* dropped, [1-9][0-9]* duplicated, [1-9][0-9]* reordered, [1-9][0-9]* corrupted; sent [0-9]+: [1-9][0-9]* dropped, [1-9][0-9]* duplicated, [1-9][0-9]* reordered, [1-9][0-9]* corrupted'; then
		ok "our faults, seed $i: every kind injected both ways, each an event ($(grep -c '^  ~ fault' "$TMP/ours$i.log") events)"
	else
		bad "our faults, seed $i: not every kind of fault happened" "$stats"
	fi
done
download ours_default 240 "$FAULT seed=1;"
check ours_default "our faults, default SYN (MSS only)" "$BASE $EXPLAINED" "$AT_MOST_ONCE"

# --- the router impaired ----------------------------------------------------------
out=$("$WW" lab impair loss=0.05 dup=0.02 --lab $LAB 2>&1)
if printf '%s' "$out" | grep -q 'router impaired, loss=0.05 dup=0.02, by nftables'; then
	ok "lab impair loss=0.05 dup=0.02: by nftables"
else
	bad "lab impair failed" "$out"
fi
for i in $(seq "$RUNS"); do
	download "router$i" 120 "set tcp.sack on;"
	check "router$i" "router loss and dup, run $i, SACK" "$BASE $EXPLAINED" "$AT_MOST_ONCE"
done
download router_default 240 ""
check router_default "router loss and dup, default SYN (MSS only)" "$BASE $EXPLAINED" "$AT_MOST_ONCE"
counts=$("$WW" lab impair --lab $LAB 2>&1)
if printf '%s' "$counts" | grep -Eq ': [1-9][0-9]* dropped, [1-9][0-9]* duplicated so far'; then
	ok "the router's rules dropped and copied packets: $(printf '%s' "$counts" | sed 's/.*: //')"
else
	bad "the router's rules did nothing" "$counts"
fi
"$WW" lab impair off --lab $LAB >/dev/null 2>&1

echo "test_tcp_faults: $pass passed, $fail failed"
[ $fail = 0 ]
