#!/bin/bash
# The stack's first floor against real peers in a lab of its own: ARP with
# the router's kernel, ping through the router with fragments both ways,
# traceroute from the router's time-exceeded messages, echo requests from
# the LAN peer's kernel answered, drops counted by reason, routes added
# and removed. Every capture written is read back by tshark: well-formed,
# no bad checksum. Run as root: tests/lab/test_net.sh [path/to/wirewalk]
#
# Uses a lab of its own ("t10") and removes it at the end.
LAB=t10
TOOLS="ping /usr/bin/python3"
. "$(dirname "$0")/lab_common.sh"
# clean NAME FILE [EXCEPT]: tshark finds no malformed frame and no bad
# checksum (in frames not matching the filter EXCEPT).
clean() {
	local bad_frames
	bad_frames=$(tshark -r "$2" -o ip.check_checksum:TRUE \
		-Y "(_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == \"Bad\" || icmp.checksum.status == \"Bad\") && !(${3:-frame.number == 0})" 2>&1 |
		grep -v '^Running as user')
	[ -z "$bad_frames" ] && ok "$1: tshark reads the capture clean" || bad "$1: tshark objects" "$bad_frames"
}
# The LAN is a switch: it forwards a frame without looking inside. With
# br_netfilter loaded, the kernel's bridge checks IPv4 headers and drops
# a bad checksum before it reaches us; a real switch would not.
$ROUTER sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null

# --- ARP: who has the gateway? --------------------------------------------
run --pcap "$TMP/arp.pcap" -c 'arp who-has 192.168.1.1'
same "arp who-has: exit 0" 0 "$rc"
expect "arp who-has prints the router's MAC and the round trip" \
	'^192\.168\.1\.1 is at 02:00:00:00:01:01  [0-9]+\.[0-9]{3} ms$' "$out"
same "the capture: our request, the router's reply" \
	"1 ff:ff:ff:ff:ff:ff 02:00:00:00:00:05 192.168.1.5 00:00:00:00:00:00 192.168.1.1
2 02:00:00:00:00:05 02:00:00:00:01:01 192.168.1.1 02:00:00:00:00:05 192.168.1.5" \
	"$(tsf "$TMP/arp.pcap" arp arp.opcode eth.dst arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac arp.dst.proto_ipv4)"
same "our request is padded to 60 bytes, as every sender must" "60" \
	"$(tsf "$TMP/arp.pcap" 'arp.opcode == 1' frame.len)"
clean "arp" "$TMP/arp.pcap"
expect "the router's kernel took our request: it knows our MAC now" \
	'192\.168\.1\.5 .*lladdr 02:00:00:00:00:05' "$($ROUTER ip neigh show 192.168.1.5)"

run -c 'arp who-has 192.168.1.99'
same "arp who-has a silent address: exit 1" 1 "$rc"
expect "... says no reply came" 'arp who-has: no reply from 192\.168\.1\.99' "$err"
expect "... after the stack's three requests" 'no ARP reply from 192\.168\.1\.99 after 3 requests' "$out"

# --- ping through the router, fragments both ways -------------------------
run --pcap "$TMP/ping.pcap" -c 'ping 192.0.2.10 3 3000'
same "ping 192.0.2.10 3 3000: exit 0" 0 "$rc"
same "three replies, each reassembled from three fragments" 3 \
	"$(printf '%s\n' "$out" | grep -Ec '^3008 bytes from 192\.0\.2\.10: icmp_seq=[123] ttl=63 time=[0-9.]+ ms \(reassembled from 3 fragments\)$')"
expect "the summary: 3 sent, 3 received" '^3 packets transmitted, 3 received, 0% packet loss' "$out"
expect "the summary: min/avg/max/mdev" '^rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$' "$out"
same "our fragments: offsets 0, 185, 370 (8-byte units), MF on the first two" \
	"$(printf '0 1 1514\n185 1 1514\n370 0 82\n%.0s' 1 2 3)" \
	"$(tsf "$TMP/ping.pcap" 'ip.src == 192.168.1.5' ip.frag_offset ip.flags.mf frame.len)"
same "the router forwarded every fragment: the replies came as 3 x 3" 9 \
	"$(tsf "$TMP/ping.pcap" 'ip.src == 192.0.2.10 && ip.flags.mf == 1 || ip.src == 192.0.2.10 && ip.frag_offset > 0' frame.number | wc -l)"
same "tshark reassembles 3 echo requests and 3 replies, 3008 bytes each" \
	"$(printf '8 3008 %s\n0 3008 %s\n' 1 1 2 2 3 3)" \
	"$(tsf "$TMP/ping.pcap" icmp icmp.type ip.reassembled.length icmp.seq)"
clean "ping" "$TMP/ping.pcap"

# --- traceroute ------------------------------------------------------------
run -c 'traceroute 192.0.2.10'
same "traceroute: exit 0" 0 "$rc"
same "traceroute lists the router, then the server" \
	"1 192.168.1.1
2 192.0.2.10" \
	"$(printf '%s\n' "$out" | grep -E '^ ?[0-9]+  ' | awk '{print $1, $2}')"

# --- echo requests to us, from the peer's kernel ----------------------------
# wirewalk runs (and answers) while the peer pings it, 3000 bytes too.
"$WW" --lab $LAB --color off --pcap "$TMP/answer.pcap" -c 'wait 4; stats' >"$TMP/bg" 2>&1 &
BG=$!
sleep 1
pout=$($PEER ping -c 2 -i 0.3 -W 1 192.168.1.5 2>&1)
expect "the peer's ping gets our replies" '2 packets transmitted, 2 received' "$pout"
pout=$($PEER ping -c 2 -i 0.3 -W 1 -s 3000 192.168.1.5 2>&1)
expect "... also fragmented both ways (3000 bytes)" '2 packets transmitted, 2 received' "$pout"
# A datagram with a wrong header checksum, from the peer's own raw socket.
$PEER /usr/bin/python3 - <<'PY' 2>"$TMP/py.err" || bad "the bad datagram could not be sent" "$(cat "$TMP/py.err")"
import socket, struct
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
icmp = struct.pack('!BBHHH', 8, 0, 0, 0x4242, 1) + b'wirewalk'
icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), 7, 0, 64, 1, 0x1234,
                 socket.inet_aton('192.168.1.7'), socket.inet_aton('192.168.1.5'))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('eth0', 0))
s.send(bytes.fromhex('020000000005' '020000000007' '0800') + ip + icmp)
PY
wait "$BG"
BG=
bgout=$(cat "$TMP/bg")
expect "stats counts the bad checksum by its reason" '^  ip\.bad_checksum +1 ' "$bgout"
expect "... and the drop was shown as it happened" 'dropped: header checksum 0x1234, should be 0x[0-9a-f]{4} \[ip\.bad_checksum\]' "$bgout"
expect "stats counts the echo requests answered" '^  icmp\.echo_replies_sent +4 ' "$bgout"
expect "stats counts the ARP requests answered" '^  arp\.replies_sent +[1-9]' "$bgout"
same "our answers to the big pings went out in fragments" \
	"$(printf '0 1\n185 1\n370 0\n%.0s' 1 2)" \
	"$(tsf "$TMP/answer.pcap" 'ip.src == 192.168.1.5 && (ip.flags.mf == 1 || ip.frag_offset > 0)' ip.frag_offset ip.flags.mf)"
clean "answers" "$TMP/answer.pcap" "ip.id == 7 && ip.src == 192.168.1.7"
same "the bad datagram is in the capture, its checksum wrong (status 0: bad)" "0x1234 0" \
	"$(tshark -r "$TMP/answer.pcap" -o ip.check_checksum:TRUE -Y 'ip.id == 7' -T fields \
		-E separator=' ' -e ip.checksum -e ip.checksum.status 2>/dev/null)"

# --- routes ------------------------------------------------------------------
run -c 'route add 198.51.100.0/24 via 192.168.1.7; route; route lookup 198.51.100.1'
same "route add: exit 0" 0 "$rc"
expect "route lists the new entry" '^198\.51\.100\.0/24 +192\.168\.1\.7 +static' "$out"
expect "route lookup: the /24 is the longest match" '\* 198\.51\.100\.0/24 .* matches  <- longest' "$out"
expect "route lookup: via the gateway 192.168.1.7" 'via the gateway 192\.168\.1\.7' "$out"
run -c 'route add 10.0.0.0/8 via 203.0.113.1'
same "route add via a gateway that is not on-link: refused" 1 "$rc"
expect "... and said why" 'gateway 203\.0\.113\.1 is not on-link' "$err"
run -c 'route del default; ping 192.0.2.10 1'
same "no default route: ping fails" 1 "$rc"
expect "... with no route to the host" 'no route to 192\.0\.2\.10' "$out"

finish
