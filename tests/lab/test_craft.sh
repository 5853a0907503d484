#!/bin/bash
# Hand-crafted frames against the lab's real peers:
#  - sr1 of a SYN gets nginx's SYN-ACK acknowledging seq + 1, an ACK built
#    from $reply completes the handshake (ESTAB in ss on the server side),
#    and no RST leaves the client;
#  - a datagram sent with a wrong header checksum goes out with exactly that
#    checksum and draws no reply, where the same with a right one does;
#  - sr1 for ARP and for an ICMP error, sniff with a filter, capture save.
# Evidence comes from the --pcap capture and from tcpdump on the router's
# port facing the client, both read by tshark.
# Run as root: tests/lab/test_craft.sh [path/to/wirewalk]
LAB=t11
. "$(dirname "$0")/live_common.sh"

for tool in tshark tcpdump ss; do
	command -v $tool >/dev/null || { echo "$NAME: SKIP ($tool missing)"; exit 77; }
done
ROUTER="ip netns exec ww-$LAB-router"
NET="ip netns exec ww-$LAB-net"
TSHARK="tshark -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE"

run() { "$WW" --lab $LAB --color off "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }
# frames FILE FILTER: the numbers of the frames FILTER picks in FILE. A
# tshark that fails stops the test: an empty answer must mean "none".
frames() {
	local got
	if ! got=$($TSHARK -r "$1" -Y "$2" -T fields -e frame.number 2>"$TMP/tshark.err"); then
		bad "tshark -Y '$2' on $(basename "$1")" "$(cat "$TMP/tshark.err")"
		finish
	fi
	printf '%s' "$got" | tr '\n' ' '
}

# tcpdump on the router's bridge port facing the client: what really left it.
TCPDUMP_PID=
wire_start() {
	$ROUTER tcpdump -i lan-client --immediate-mode -U -w "$TMP/wire.pcap" 2>"$TMP/tcpdump.err" &
	TCPDUMP_PID=$!
	until_ok 5 grep -q "listening on" "$TMP/tcpdump.err"
}
# Stop it; it must have seen frames, or "nothing bad on the wire" would
# pass for want of a capture.
wire_stop() {
	sleep 0.3
	kill $TCPDUMP_PID 2>/dev/null
	wait $TCPDUMP_PID 2>/dev/null
	TCPDUMP_PID=
	local n
	n=$(tshark -r "$TMP/wire.pcap" 2>/dev/null | wc -l)
	[ "$n" -gt 0 ] || { bad "tcpdump on the router's port captured nothing" "$(cat "$TMP/tcpdump.err")"; finish; }
}
stop_all() {
	[ -n "$TCPDUMP_PID" ] && kill $TCPDUMP_PID 2>/dev/null
	cleanup
}
trap stop_all EXIT

"$WW" lab down --lab $LAB >/dev/null 2>&1
"$WW" lab up --lab $LAB >/dev/null || { bad "lab up"; finish; }

# --- a TCP handshake by hand ---------------------------------------------------
wire_start
run --pcap "$TMP/hs.pcap" -c "sr1 ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000); \
send ip(dst=192.0.2.10)/tcp(dport=80, flags=A, seq=\$reply.tcp.ack, ack=\$reply.tcp.seq + 1); \
wait 0.5; show \$reply"
wire_stop
[ $rc = 0 ] && ok "sr1 of a SYN, then send of an ACK from \$reply: exit 0" || bad "handshake: exit $rc" "$err"
expect "sr1 names the answer" '^\$reply is \$[0-9]+, [0-9.]+ ms after \$[0-9]+$' "$out"
expect "show \$reply is nginx's SYN-ACK" 'tcp.flags +0x012 \(SYN, ACK\)' "$out"
expect "... acknowledging seq 1000 + 1" 'tcp.ack_raw +1001$' "$out"
synack=$(frames "$TMP/hs.pcap" "ip.src == 192.0.2.10 && tcp.flags == 0x012 && tcp.ack_raw == 1001")
[ -n "$synack" ] && ok "the capture holds the SYN-ACK with ack 1001 (frame $synack)" ||
	bad "no SYN-ACK with ack 1001 in the capture" "$($TSHARK -r "$TMP/hs.pcap" 2>&1)"
ack=$(frames "$TMP/hs.pcap" "ip.src == 192.168.1.5 && tcp.flags == 0x010 && tcp.seq_raw == 1001")
[ -n "$ack" ] && ok "the ACK went out with seq 1001 (frame $ack)" || bad "no ACK with seq 1001"
rst=$(frames "$TMP/wire.pcap" "tcp.flags.reset == 1")
[ -z "$rst" ] && ok "no RST on the wire (tcpdump on the router's port)" ||
	bad "a RST was sent: frames $rst" "$($TSHARK -r "$TMP/wire.pcap" 2>&1)"
wire_ack=$(frames "$TMP/wire.pcap" "tcp.flags == 0x010 && tcp.seq_raw == 1001")
[ -n "$wire_ack" ] &&
	ok "the router's port saw the hand-made ACK" || bad "the ACK did not reach the router" "$($TSHARK -r "$TMP/wire.pcap" 2>&1)"
port=$($TSHARK -r "$TMP/hs.pcap" -Y "tcp.flags == 0x002" -T fields -e tcp.srcport 2>/dev/null | head -n 1)
estab=$($NET ss -tn state established "( sport = :80 )" 2>&1)
[ -n "$port" ] || bad "no SYN in the capture to take the port from"
expect "nginx's socket is ESTABLISHED with our port $port" "192\.0\.2\.10:80 +192\.168\.1\.5:$port\b" "$estab"
bad_sums=$(frames "$TMP/hs.pcap" "_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0")
[ -z "$bad_sums" ] && ok "tshark: no malformed frame, no bad checksum in the capture" ||
	bad "malformed or bad checksums: $bad_sums"

# --- a wrong checksum, kept, and no answer ------------------------------------------
wire_start
run --pcap "$TMP/sum.pcap" -c "send ip(dst=192.0.2.10, chksum=0x1234)/icmp(type=echo-request, id=4660, seq=1); wait 1"
wire_stop
[ $rc = 0 ] && ok "send with chksum=0x1234: exit 0" || bad "send with a wrong checksum: exit $rc" "$err"
for f in "$TMP/sum.pcap" "$TMP/wire.pcap"; do
	which=$( [ "$f" = "$TMP/sum.pcap" ] && echo "the --pcap capture" || echo "the router's port")
	sent=$(frames "$f" "icmp.type == 8 && icmp.ident == 4660 && ip.checksum == 0x1234 && ip.checksum.status == 0")
	[ -n "$sent" ] && ok "$which: the request carries ip.checksum 0x1234, judged bad" ||
		bad "$which: no request with checksum 0x1234" "$($TSHARK -r "$f" -V 2>&1 | grep -i checksum)"
	[ -z "$(frames "$f" "icmp.type == 0")" ] && ok "$which: no echo reply came" ||
		bad "$which: a reply came to a bad checksum"
done
icmp_ok=$(frames "$TMP/sum.pcap" "icmp.checksum.status == 1")
[ -n "$icmp_ok" ] && ok "the ICMP checksum left unset was computed right" || bad "ICMP checksum not right"
# The same datagram with its checksum left to the stack is answered.
run -c "sr1 ip(dst=192.0.2.10)/icmp(type=echo-request, id=4660, seq=2) 2; show \$reply"
[ $rc = 0 ] && ok "... while with a right checksum sr1 gets the echo reply" || bad "sr1 echo: exit $rc" "$err"
expect "... with the same identifier and sequence number" 'icmp.seq +2$' "$out"

# --- ARP, an ICMP error, sniff, capture save ------------------------------------
run -c "sr1 eth(dst=ff:ff:ff:ff:ff:ff)/arp(op=request, tpa=192.168.1.7); show \$reply"
[ $rc = 0 ] && ok "sr1 of an ARP request gets the peer's reply" || bad "sr1 arp: exit $rc" "$err"
expect "... from the peer's MAC" 'arp.src.hw_mac +02:00:00:00:00:07' "$out"

run -c "sr1 ip(dst=192.0.2.10, ttl=1)/udp(dport=33434)/\"probe\" 2; show \$reply"
[ $rc = 0 ] && ok "sr1 with ttl=1 gets the router's time exceeded" || bad "sr1 ttl=1: exit $rc" "$err"
expect "... an ICMP error from 192.168.1.1 quoting the datagram" 'icmp.type +11 ' "$out"
expect "... whose quoted UDP header is ours" 'udp.dstport +33434' "$out"

(sleep 0.5; for i in 1 2 3; do $PEER ping -b -c 1 -W 0.2 192.168.1.255 >/dev/null 2>&1; sleep 0.1; done) &
run -c "sniff 2 icmp.type == echo-request and ip.src == 192.168.1.7 4; capture save $TMP/saved.pcap"
wait
[ $rc = 0 ] && ok "sniff 2 with a filter saw the peer's pings" || bad "sniff: exit $rc" "$err"
expect "... and lists them" '^sniffed 2 frames: \$[0-9]+ \$[0-9]+$' "$out"
n=$(tshark -r "$TMP/saved.pcap" 2>/dev/null | wc -l)
[ "$n" -ge 2 ] && ok "capture save wrote a pcap tshark reads ($n frames)" || bad "capture save: $n frames"

run -c "sniff 1 tcp.port == 9 0.3"
[ $rc = 1 ] && ok "sniff that sees nothing in time fails (exit 1)" || bad "sniff timeout: exit $rc"
expect "... and says so" "sniff: 0 of 1 frame within 0.3 s" "$err"

run -c "send ip(dst=192.0.2.10, tll=1)/icmp()"
[ $rc = 2 ] && ok "a mistyped field is a usage error (exit 2)" || bad "tll: exit $rc"
expect "... naming it and the field meant" "unknown field 'tll' in ip\(\.\.\.\); did you mean 'ttl'\?" "$err"
finish
