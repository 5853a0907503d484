#!/bin/bash
# A hostile DNS server (tests/lab/hostile_dns.py) in the lab's net
# namespace of a lab of its own ("t13h"), on a spare port of the resolver's
# address: each answer carries the query's ID and question, and is wrong in
# one way — compression pointer loops, pointers forward and past the end,
# a label over 63 bytes, a name over 255 bytes, RDLENGTH past the end,
# counts larger than the message. wirewalk never crashes, prints each
# error naming the problem, and drops each answer (counted). A wrong ID or
# a wrong question first is dropped and the right answer after it taken;
# TC=1, SERVFAIL and REFUSED are said plainly. tshark's own verdict on
# each hostile answer is checked too, where it has one.
# Run as root: tests/lab/test_dns_hostile.sh [path/to/wirewalk]
LAB=t13h
TOOLS="dig /usr/bin/python3"
. "$(dirname "$0")/lab_common.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
NET="ip netns exec ww-$LAB-net"
PORT=5353
cleanup() {
	[ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
	"$WW" lab down --lab $LAB >/dev/null 2>&1
	rm -rf "$TMP"
}
$NET /usr/bin/python3 "$HERE/hostile_dns.py" 203.0.113.53 $PORT "$TMP/ready" 2>"$TMP/srv.err" &
SRV=$!
for _ in $(seq 50); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
[ -e "$TMP/ready" ] || { echo "test_dns_hostile: FAIL (the fixture did not start)"; cat "$TMP/srv.err"; exit 1; }

# The fixture itself: a good answer reaches dig, a hostile one does not.
same "the fixture answers dig" "192.0.2.10" \
	"$($PEER dig @203.0.113.53 -p $PORT +short +tries=1 +time=2 ok.hostile.example)"

# hostile CASE PATTERN TSHARK: wirewalk asks CASE.hostile.example, exits 1
# (not a signal), prints the error PATTERN, shows the answer dropped.
# TSHARK is tshark's own verdict on the answer: "malformed" (it flags the
# frame), or the name it shows in place of the answer's, or "-" where
# tshark has none (it follows a forward pointer wherever it leads).
hostile() {
	run --pcap "$TMP/$1.pcap" -c "dns $1.hostile.example @203.0.113.53 -p $PORT"
	if [ $rc -ge 128 ]; then bad "$1: wirewalk died (exit $rc)" "$err"; return; fi
	same "$1: exit 1" 1 "$rc"
	expect "$1: the error names the problem" "dns: malformed response from 203\.0\.113\.53#$PORT: $2" "$err"
	expect "$1: the answer is shown dropped" "dropped: malformed response .* \[dns\.malformed\]" "$out"
	local ts
	case $3 in
	-) return ;;
	malformed)
		ts=$(tshark -r "$TMP/$1.pcap" -d udp.port==$PORT,dns -T fields -e frame.number \
			-Y 'dns.flags.response == 1 && (_ws.malformed || _ws.expert.severity >= warning)' 2>/dev/null) ;;
	*)
		ts=$(tshark -r "$TMP/$1.pcap" -d udp.port==$PORT,dns -T fields -e frame.number \
			-Y "dns.flags.response == 1 && dns.resp.name == \"$3\"" 2>/dev/null) ;;
	esac
	[ -n "$ts" ] && ok "$1: tshark objects too ($3)" ||
		bad "$1: tshark reads the hostile answer as well-formed" "$(tshark -r "$TMP/$1.pcap" -d udp.port==$PORT,dns -V 2>&1 | tail -12)"
}

hostile loop 'DNS compression pointer to offset [0-9]+ does not point before offset [0-9]+ \(forward pointer or loop\) \[dns\.resp\.name at byte [0-9]+\]' '<Name contains a pointer that loops>'
hostile forward 'DNS compression pointer to offset ([0-9]+) does not point before offset [0-9]+ \(forward pointer or loop\)' -
hostile past 'DNS compression pointer to offset 255 is past the end of the [0-9]+-byte message \[dns\.resp\.name' malformed
hostile label 'DNS label length 64 > 63 .* \[dns\.resp\.name' malformed
hostile long 'DNS name longer than 255 bytes \[dns\.resp\.name' '<Name too long>'
hostile rdlength 'DNS RDLENGTH 100 > 4 bytes left in the message \[dns\.resp\.len' malformed
hostile counts 'dns\.count\.answers is 5 but the message ends after 1 of them' malformed

# All of them in one session: it lives through every one.
run --keep-going -c "dns loop.hostile.example @203.0.113.53 -p $PORT; dns long.hostile.example @203.0.113.53 -p $PORT; dns counts.hostile.example @203.0.113.53 -p $PORT; dns stats"
same "one session through three hostile answers: exit 1, not a crash" 1 "$rc"
expect "... all three counted" '^  dns\.malformed +3 ' "$out"

# Mismatches first, then the real answer: the mismatch is dropped, the
# answer taken.
run -c "dns badid.hostile.example @203.0.113.53 -p $PORT"
same "a wrong ID first: exit 0" 0 "$rc"
expect "... dropped and said why" 'dropped: DNS response id 0x[0-9a-f]{4} from 203\.0\.113\.53#5353: the query.s id is 0x[0-9a-f]{4}.* \[dns\.bad_id\]' "$out"
expect "... then the right answer used" '^badid\.hostile\.example\.[[:space:]]+300[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.10$' "$out"
run -c "dns badq.hostile.example @203.0.113.53 -p $PORT"
same "a wrong question first: exit 0" 0 "$rc"
expect "... dropped" 'is about other\.hostile\.example\. A \(1 question\), not badq\.hostile\.example\. A: never used \[dns\.bad_question\]' "$out"

# Said plainly.
run -c "dns tc.hostile.example @203.0.113.53 -p $PORT"
same "TC=1: exit 1" 1 "$rc"
expect "... reported" 'truncated \(TC=1\).*DNS over TCP' "$err"
expect "... and what came shown, tc among the flags" '^;; flags: qr tc rd ra;' "$out"
# The fixture speaks UDP only: the retry over TCP meets a RST.
expect "... after a SYN to the same port" '> 203\.0\.113\.53\.5353: Flags \[S\]' "$out"
expect "... which was refused" 'TCP [0-9]+ [0-9.:]+ > 203\.0\.113\.53:5353: SYN-SENT → CLOSED \(connection refused\)' "$out"
run -c "dns servfail.hostile.example @203.0.113.53 -p $PORT; dns refused.hostile.example @203.0.113.53 -p $PORT"
same "SERVFAIL and REFUSED: answers (exit 0)" 0 "$rc"
expect "SERVFAIL in the header" 'status: SERVFAIL' "$out"
expect "... and in words" '^;; SERVFAIL: the server could not find an answer' "$out"
expect "REFUSED in the header" 'status: REFUSED' "$out"
expect "... and in words" '^;; REFUSED: the server will not answer' "$out"

finish
