#!/bin/sh
# Tests of `wirewalk read` against real captures and broken ones.
#
# usage: tests/read/run.sh WIREWALK        (make test-read)
#
# 1. tshark reads every capture in tests/captures without a malformed frame,
#    an error or a bad IPv4/TCP/UDP checksum (else the vectors are wrong).
# 2. `WIREWALK read --json` gives, for every frame, the same values as
#    tshark for every field compare_tshark.py lists.
# 3. The comparison itself notices a changed, missing, extra or reordered
#    value (a comparison that cannot fail proves nothing).
# 4. Broken files: a bad magic, a record cut short (in its header and in its
#    bytes), caplen > snaplen, an absurd caplen each stop the reading with
#    status 1 and a message naming the frame and its file offset, after the
#    frames before it were printed; malformed frames (an IPv4 total length
#    beyond the frame, a TCP data offset of 3) are printed with their error
#    and the reading goes on.

set -u

if [ $# -ne 1 ]; then
	echo "usage: tests/read/run.sh WIREWALK" >&2
	exit 2
fi
case $1 in
/*) ww=$1 ;;
*) ww=$(pwd)/$1 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
caps=$(cd "$here/../captures" && pwd)
py=/usr/bin/python3

[ -x "$ww" ] || { echo "run.sh: $ww is not an executable" >&2; exit 2; }
command -v tshark >/dev/null || { echo "run.sh: tshark not found (make deps)" >&2; exit 2; }
ls "$caps"/*.pcap >/dev/null 2>&1 || { echo "run.sh: no captures in $caps" >&2; exit 2; }

tmp=$(mktemp -d -t wwread.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# --- 1. the captures are clean for tshark ---------------------------------

for cap in "$caps"/*.pcap; do
	name=$(basename "$cap")
	if ! tshark -r "$cap" -o ip.defragment:FALSE -o ip.check_checksum:TRUE \
		-o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y '_ws.malformed || _ws.expert.severity >= error' >"$tmp/tshark.out" 2>"$tmp/tshark.err"; then
		fail "$name: tshark cannot read it: $(cat "$tmp/tshark.err")"
	elif [ -s "$tmp/tshark.out" ]; then
		fail "$name: tshark finds malformed frames or bad checksums:"
		sed 's/^/    /' "$tmp/tshark.out"
	fi
done

# --- 2. every field of every frame as tshark has it ----------------------

for cap in "$caps"/*.pcap; do
	$py "$here/compare_tshark.py" "$ww" "$cap" || fail "$(basename "$cap"): differs from tshark"
done

# --- 3. the comparison notices differences -------------------------------

# MODE CAPTURE FIELD: mutate.py changes FIELD in wirewalk's output; the
# comparison must fail and name FIELD.
mutant() {
	cat >"$tmp/mutant" <<-EOF
		#!/bin/sh
		"$ww" "\$@" | $py "$here/mutate.py" $1
	EOF
	chmod +x "$tmp/mutant"
	if $py "$here/compare_tshark.py" "$tmp/mutant" "$caps/$2" >"$tmp/mutant.out" 2>&1; then
		fail "comparison missed a $1 change in $3 of $2"
	elif ! grep -q "frame [0-9]* $3: ours" "$tmp/mutant.out"; then
		fail "comparison failed without naming $3 for a $1 change in $2:"
		sed 's/^/    /' "$tmp/mutant.out"
	fi
}
mutant number icmp-ttl.pcap ip.ttl
mutant string arp.pcap eth.src
mutant drop dns.pcap dns.a
mutant extra http.pcap tcp.flags
mutant order dns.pcap dns.resp.type
mutant sni tls.pcap tls.handshake.extensions_server_name
mutant suites tls.pcap tls.handshake.ciphersuite
mutant crlf http.pcap http.request.line
mutant opaque tls.pcap tls.record.content_type

# --- 4. broken files ---------------------------------------------------------

if ! facts=$($py "$here/badfiles.py" "$caps" "$tmp"); then
	fail "badfiles.py could not make the broken captures"
	facts=
fi
eval "$facts"

# FILE STATUS FRAMES [TEXT...]: `read --json FILE` exits STATUS, prints
# FRAMES lines equal to the first lines of GOOD's output (set before the
# call), and its error output holds the file's name and every TEXT.
expect_read() {
	file=$1 status=$2 frames=$3
	shift 3
	"$ww" read --json "$tmp/$file" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$status" ]; then
		fail "read $file: exit status $got, expected $status; stderr: $(cat "$tmp/err")"
		return
	fi
	"$ww" read --json "$caps/$good" 2>/dev/null | head -n "$frames" >"$tmp/want"
	if ! cmp -s "$tmp/out" "$tmp/want"; then
		fail "read $file: the frames printed are not the first $frames frames of $good"
	fi
	if [ "$status" != 0 ]; then
		if [ "$(wc -l <"$tmp/err")" != 1 ]; then
			fail "read $file: expected one line of error output, got: $(cat "$tmp/err")"
		fi
		for text in "$tmp/$file: " "$@"; do
			grep -qF -- "$text" "$tmp/err" ||
				fail "read $file: error output lacks '$text': $(cat "$tmp/err")"
		done
	fi
}

good=dns.pcap
expect_read bad-magic.pcap 1 0 "not a pcap file" "magic 0x57575757"
expect_read cut-record.pcap 1 $((CUT_FRAME - 1)) "frame $CUT_FRAME at offset $CUT_OFFSET" \
	"truncated" "caplen $CUT_CAPLEN" "$CUT_LEFT bytes left"
expect_read cut-header.pcap 1 $((CUT_FRAME - 1)) "frame $CUT_FRAME at offset $CUT_OFFSET" \
	"record header truncated"
expect_read absurd.pcap 1 $((ABSURD_FRAME - 1)) "frame $ABSURD_FRAME at offset $ABSURD_OFFSET" \
	"caplen $ABSURD_CAPLEN"
good=http.pcap
expect_read over-snaplen.pcap 1 $((SNAP_FRAME - 1)) "frame $SNAP_FRAME at offset $SNAP_OFFSET" \
	"caplen $SNAP_CAPLEN > snaplen $SNAPLEN"

# Malformed frames are the dissection's business: all four frames are
# printed, each problem is an error of its own frame naming the field, the
# fields read before it are still shown, and the frames around are clean.
"$ww" read --json "$tmp/malformed.pcap" >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" != 0 ] || [ -s "$tmp/err" ]; then
	fail "read malformed.pcap: exit status $got (expected 0), stderr: $(cat "$tmp/err")"
fi
$py "$here/check_json.py" "$tmp/out" lines=4 1:clean 4:clean \
	2:error=ip.len 2:offset=16 2:says="$MAL_IPLEN" 2:says="$MAL_IPLEN_LEFT byte" \
	2:ip.len=="$MAL_IPLEN" 2:has=ip.src 2:has=ip.dst \
	3:error=tcp.hdr_len 3:status=invalid 3:offset=46 3:says=12 \
	3:tcp.hdr_len==12 3:has=tcp.srcport 3:has=tcp.dstport 3:has=tcp.seq_raw ||
	fail "read malformed.pcap: the malformed frames are not shown as expected"

if [ "$failures" != 0 ]; then
	echo "test-read: $failures failure(s)"
	exit 1
fi
echo "test-read: all passed"
