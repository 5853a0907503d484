# Sourced by the lab tests that run wirewalk in batch mode (-c) against a
# lab of their own: set LAB (and TOOLS, the programs needed beside ip and
# tshark) before sourcing. It checks for root and the tools, brings the
# lab up (and takes it down, with TMP, at exit), and gives the checks:
#   ok NAME / bad NAME [DETAIL]     count a result
#   expect NAME REGEX TEXT          TEXT matches the extended REGEX
#   absent NAME REGEX TEXT          it does not (refuse: the same)
#   same NAME EXPECTED GOT          equal strings
#   run ARGS...                     wirewalk --lab LAB ARGS: $rc, $out, $err
#   tsf FILE FILTER FIELD...        tshark's fields of the frames FILTER picks
#                                   (TLS decrypted with $KEYLOG when set)
#   clean NAME FILE                 tshark finds nothing malformed, no bad checksum
#   finish                          the summary line; the exit status
set -u
WW=$(realpath -- "${1:-./wirewalk}")
NAME=$(basename "$0" .sh)
PEER="ip netns exec ww-$LAB-peer"
ROUTER="ip netns exec ww-$LAB-router"
TMP=$(mktemp -d)
KEYLOG=${KEYLOG:-}
pass=0
fail=0

if [ "$(id -u)" != 0 ]; then
	echo "$NAME: SKIP (needs root: network namespaces)"
	exit 77
fi
for tool in ip tshark ${TOOLS:-}; do
	command -v $tool >/dev/null || { echo "$NAME: SKIP ($tool missing)"; exit 77; }
done
[ -x "$WW" ] || { echo "$NAME: no program at $WW"; exit 2; }

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     | /'; }
expect() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else bad "$1" "expected /$2/ in:
$3"; fi; }
refuse() { absent "$@"; }
absent() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then bad "$1" "did not expect /$2/ in:
$3"; else ok "$1"; fi; }
same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "expected:
$2
got:
$3"; fi; }
run() { "$WW" --lab $LAB --color off "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }
tsf() {
	local f=$1 y=$2; shift 2
	local e=() o=()
	for x in "$@"; do e+=(-e "$x"); done
	[ -n "$KEYLOG" ] && o=(-o tls.keylog_file:"$KEYLOG")
	tshark -r "$f" "${o[@]}" -Y "$y" -T fields -E separator=' ' "${e[@]}" 2>/dev/null
}
clean() {
	local b o=()
	[ -n "$KEYLOG" ] && o=(-o tls.keylog_file:"$KEYLOG")
	b=$(tshark -r "$2" "${o[@]}" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y '_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == "Bad" || tcp.checksum.status == "Bad" || udp.checksum.status == "Bad"' 2>&1 |
		grep -v '^Running as user')
	[ -z "$b" ] && ok "$1: tshark reads the capture clean" || bad "$1: tshark objects" "$b"
}
finish() {
	echo "$NAME: $pass passed, $fail failed"
	[ $fail = 0 ]
	exit $?
}

cleanup() {
	[ -n "${BG:-}" ] && kill "$BG" 2>/dev/null
	[ -n "${ECHO:-}" ] && kill "$ECHO" 2>/dev/null
	"$WW" lab down --lab $LAB >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

"$WW" lab down --lab $LAB >/dev/null 2>&1
if ! "$WW" lab up --lab $LAB >"$TMP/up" 2>&1; then
	echo "$NAME: FAIL (lab up)"; cat "$TMP/up"; exit 1
fi
for _ in $(seq 30); do
	[ "$($ROUTER cat /sys/class/net/lan-client/operstate 2>/dev/null)" = up ] && break
	sleep 0.1
done
