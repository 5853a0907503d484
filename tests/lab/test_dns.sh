#!/bin/bash
# DNS and UDP against the lab's real servers, in a lab of its own ("t13"):
# a recursive lookup through unbound (CNAME and A from 203.0.113.53); the
# same lookup again within the TTL answered from the cache with a smaller
# TTL and no frame sent; +trace walking root, com. and example.com with
# exactly three queries, each RD=0, every referral printed and the same
# answer at the end; NXDOMAIN with its SOA; retries 1 s and 2 s apart,
# then the timeout; ICMP port unreachable as "connection refused"; ping
# by name; udp send and listen against the LAN peer's kernel. tshark
# reads every DNS message in every capture as well-formed.
# Run as root: tests/lab/test_dns.sh [path/to/wirewalk]
LAB=t13
TOOLS="/usr/bin/python3"
. "$(dirname "$0")/lab_common.sh"
# clean NAME FILE: every frame well-formed, no bad checksum, and every
# UDP datagram to or from port 53 read as DNS.
clean() {
	local bad_frames notdns
	bad_frames=$(tshark -r "$2" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y '_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == "Bad" || udp.checksum.status == "Bad"' 2>&1 |
		grep -v '^Running as user')
	notdns=$(tsf "$2" '(udp.port == 53) && !dns' frame.number)
	if [ -z "$bad_frames" ] && [ -z "$notdns" ]; then ok "$1: tshark reads the capture clean"
	else bad "$1: tshark objects" "$bad_frames$notdns"; fi
}
# The answer section of dig-style output, TTLs dropped: "NAME IN TYPE RDATA".
answers() { awk '/^;; ANSWER SECTION:/ { f = 1; next } /^$/ { f = 0 } f { $2 = ""; $0 = $0; $1 = $1; print }'; }

# --- recursive: ask unbound --------------------------------------------------
run --pcap "$TMP/rec.pcap" -c 'dns www.example.com'
same "dns www.example.com: exit 0" 0 "$rc"
same "the answer: the CNAME, then the A it names" \
	"www.example.com. IN CNAME example.com.
example.com. IN A 192.0.2.10" "$(printf '%s\n' "$out" | answers)"
expect "dig's header: status and flags (qr rd ra)" \
	'^;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: [0-9]+$' "$out"
expect "... flags qr rd ra, counts" '^;; flags: qr rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 0$' "$out"
expect "the server that answered" '^;; SERVER: 203\.0\.113\.53#53\(203\.0\.113\.53\) \(UDP\)$' "$out"
expect "the time it took" '^;; Query time: [0-9]+\.[0-9]{3} msec$' "$out"
expect "the frames are shown as they go (the view)" '→ 192\.168\.1\.5\.[0-9]+ > 203\.0\.113\.53\.53: DNS' "$out"
same "one query, RD=1, from an ephemeral port, to 203.0.113.53:53" "1 1 53" \
	"$(tsf "$TMP/rec.pcap" 'dns.flags.response == 0' dns.flags.recdesired dns.count.queries udp.dstport)"
sport=$(tsf "$TMP/rec.pcap" 'dns.flags.response == 0' udp.srcport)
[ "${sport:-0}" -ge 49152 ] && ok "source port $sport is ephemeral (49152-65535)" || bad "source port '$sport' not ephemeral"
clean "recursive" "$TMP/rec.pcap"

# --- the cache ----------------------------------------------------------------
run --pcap "$TMP/cache.pcap" -c 'dns www.example.com; wait 1.5; dns www.example.com; dns cache'
same "twice, 1.5 s apart: exit 0" 0 "$rc"
first=$(printf '%s\n' "$out" | awk '/^;; ANSWER SECTION:/ { f = 1; next } /^$/ { f = 0 } f && $4 == "A" { print $2; exit }')
second=$(printf '%s\n' "$out" | awk '/^;; ANSWER SECTION:/ { n++; f = 1; next } /^$/ { f = 0 } f && n == 2 && $4 == "A" { print $2 }')
expect "the second answer says it came from the cache" '^;; Answered from the cache: nothing sent' "$out"
if [ -n "$first" ] && [ -n "$second" ] && [ "$second" -lt "$first" ]; then
	ok "... with a smaller TTL ($first, then $second)"
else
	bad "the cached TTL is not smaller" "first '$first', second '$second'"
fi
same "... and no frame was sent for it: one query in the capture" 1 \
	"$(tsf "$TMP/cache.pcap" 'dns.flags.response == 0' frame.number | wc -l)"
expect "dns cache lists the RRsets with the seconds left" \
	'^example\.com\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.10$' "$out"
run -c 'dns www.example.com; dns flush; dns www.example.com'
expect "dns flush forgets" '^forgot 2 cache entries$' "$out"
refuse "... and the next lookup goes to the wire" 'Answered from the cache' "$out"

# --- +trace: walk it ------------------------------------------------------------
run --pcap "$TMP/trace.pcap" -c 'dns www.example.com +trace'
same "dns www.example.com +trace: exit 0" 0 "$rc"
same "exactly three queries, to the root, com. and example.com, each RD=0" \
	"198.51.100.1 0
198.51.100.2 0
198.51.100.3 0" "$(tsf "$TMP/trace.pcap" 'dns.flags.response == 0' ip.dst dns.flags.recdesired)"
same "three responses, from the same three" \
	"198.51.100.1
198.51.100.2
198.51.100.3" "$(tsf "$TMP/trace.pcap" 'dns.flags.response == 1' ip.src)"
expect "the root's referral is printed: com. NS and its glue" \
	'^com\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+NS[[:space:]]+a\.gtld-servers\.net\.$' "$out"
expect "... a.gtld-servers.net. A 198.51.100.2" '^a\.gtld-servers\.net\.[[:space:]]+3600[[:space:]]+IN[[:space:]]+A[[:space:]]+198\.51\.100\.2$' "$out"
expect "... and said as a referral" '^;; referral: com\. is served by 1 name server: a\.gtld-servers\.net\. \(198\.51\.100\.2\)$' "$out"
expect "the com. server's referral: example.com. NS ns1.example.com." \
	'^;; referral: example\.com\. is served by 1 name server: ns1\.example\.com\. \(198\.51\.100\.3\)$' "$out"
expect "why each server was chosen" '^;;   chosen: its address came with the referral \(glue\)$' "$out"
expect "the queries say RD=0" '^;; query 3: www\.example\.com\. A to 198\.51\.100\.3#53 \(ns1\.example\.com\.\), RD=0' "$out"
same "it ends with the same answer as the resolver gave" \
	"www.example.com. IN CNAME example.com.
example.com. IN A 192.0.2.10" "$(printf '%s\n' "$out" | answers)"
expect "... from ns1, authoritative" '^;; flags: qr aa; QUERY: 1, ANSWER: 2' "$out"
clean "trace" "$TMP/trace.pcap"

# --- NXDOMAIN, other types, reverse ------------------------------------------------
run -c 'dns nosuchname.example.com'
same "NXDOMAIN: exit 0 (an answer, as dig says)" 0 "$rc"
expect "status: NXDOMAIN" 'status: NXDOMAIN' "$out"
expect "... with the zone's SOA in the authority section" \
	'^example\.com\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+SOA[[:space:]]+ns1\.example\.com\. hostmaster\.example\.com\. 2024010101' "$out"
expect "... said plainly" '^;; NXDOMAIN: nosuchname\.example\.com\. does not exist' "$out"
run -c 'dns example.com MX +short; dns example.com TXT +short; dns -x 192.0.2.10'
same "MX, TXT +short and -x: exit 0" 0 "$rc"
expect "MX" '^10 mail\.example\.com\.$' "$out"
expect "TXT with three strings" '^"v=spf1 -all" "wirewalk lab" "second string"$' "$out"
expect "-x asks the PTR of the in-addr.arpa. name" '^;10\.2\.0\.192\.in-addr\.arpa\.[[:space:]]+IN[[:space:]]+PTR$' "$out"

# --- no answer: retries with backoff, then the timeout ------------------------------
run --pcap "$TMP/timeout.pcap" -c 'dns example.com @192.0.2.99'
same "a server that never answers: exit 1" 1 "$rc"
expect "... retried after 1 s" '^;; no answer from 192\.0\.2\.99#53 in 1\.0 s: the same query again \(try 2 of 3, waiting 2\.0 s\)$' "$out"
expect "... then after 2 s" 'in 2\.0 s: the same query again \(try 3 of 3, waiting 4\.0 s\)' "$out"
expect "... then gives up" 'dns: no answer from 192\.0\.2\.99#53 after 3 tries \(connection timed out; no servers could be reached\)' "$err"
gaps=$(tsf "$TMP/timeout.pcap" 'dns.flags.response == 0' frame.time_relative dns.id udp.srcport |
	awk 'NR > 1 { printf "%.0f %s\n", $1 - t, ($2 == id && $3 == p) ? "same" : "other" } { t = $1; id = $2; p = $3 }')
same "three sends, 1 s then 2 s apart, same ID and port" "1 same
2 same" "$gaps"

# --- ICMP port unreachable ----------------------------------------------------------
run -c 'dns example.com @203.0.113.53 -p 5353'
same "a port nothing listens on: exit 1" 1 "$rc"
expect "... connection refused, from the ICMP error" \
	'dns: no DNS from 203\.0\.113\.53#5353: connection refused \(ICMP Port unreachable from 203\.0\.113\.53\)' "$err"

# --- names for other commands -------------------------------------------------------
run -c 'ping www.example.com 1; traceroute example.com'
same "ping and traceroute by name: exit 0" 0 "$rc"
expect "ping says what the name became" '^; www\.example\.com is 192\.0\.2\.10 \(its canonical name: example\.com\.\): from 203\.0\.113\.53' "$out"
expect "ping pings it" '^PING www\.example\.com \(192\.0\.2\.10\) 56\(84\) bytes of data\.$' "$out"
expect "... and gets the reply" '^64 bytes from 192\.0\.2\.10: icmp_seq=1' "$out"
expect "traceroute resolves through the cache" '^; example\.com is 192\.0\.2\.10: from the cache' "$out"
run -c 'ping nosuchname.example.com 1'
same "ping a name that does not exist: exit 1" 1 "$rc"
expect "... says so" 'ping: nosuchname\.example\.com: no such name \(NXDOMAIN from 203\.0\.113\.53\)' "$err"

# --- udp send, udp listen -----------------------------------------------------------
run -c 'udp send 192.168.1.7 9999 hello'
same "udp send to a closed port of the peer: exit 1" 1 "$rc"
expect "... sent" '^sent 5 bytes to 192\.168\.1\.7:9999 from port [0-9]+$' "$out"
expect "... and the kernel's port unreachable surfaced as connection refused" \
	'udp send: 192\.168\.1\.7:9999: connection refused \(ICMP Port unreachable from 192\.168\.1\.7\)' "$err"
# An echo server on the peer.
$PEER /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.168.1.7", 7777))
open("'"$TMP"'/echo.ready", "w").close()
while True:
    d, a = s.recvfrom(2048)
    s.sendto(b"echo: " + d, a)
' &
ECHO=$!
for _ in $(seq 50); do [ -e "$TMP/echo.ready" ] && break; sleep 0.1; done
run -c 'udp send 192.168.1.7 7777 hello there'
same "udp send to the peer's echo server: exit 0" 0 "$rc"
expect "... its answer printed" '^reply from 192\.168\.1\.7:7777: 17 bytes: echo: hello there$' "$out"
"$WW" --lab $LAB --color off -c 'udp listen 5000 3' >"$TMP/listen" 2>&1 &
BG=$!
sleep 1.2
$PEER /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.168.1.7", 40404))
s.sendto(b"hi wirewalk\n", ("192.168.1.5", 5000))
s.sendto(b"\x00\xff", ("192.168.1.5", 5001))
'
wait "$BG"
BG=
lout=$(cat "$TMP/listen")
expect "udp listen prints the peer's datagram" '^from 192\.168\.1\.7:40404: 12 bytes: hi wirewalk\\n$' "$lout"
expect "... and counts it" '^1 datagram received on port 5000$' "$lout"
expect "the one to another port is shown as a drop, not answered" \
	'dropped: UDP datagram from 192\.168\.1\.7:40404 to port 5001: no socket there .* \[udp\.no_socket\]' "$lout"

# --- an answer too big for UDP: TC=1, then the same query over TCP ----------
run --pcap "$TMP/tc.pcap" -c 'dns big.example.com TXT; wait 0.3'
same "TC=1, then TCP: exit 0" 0 "$rc"
same "... all eight records" 8 "$(printf '%s\n' "$out" | grep -c '^big\.example\.com\.[[:space:]].*TXT[[:space:]]"record [1-8] of 8')"
expect "... and says how it came" ';; SERVER: 203\.0\.113\.53#53\(203\.0\.113\.53\) \(TCP, after a truncated answer over UDP\)' "$out"
same "tshark: the UDP answer was truncated" "1" "$(tsf "$TMP/tc.pcap" 'udp && dns.flags.response == 1' dns.flags.truncated)"
same "tshark: the answer over TCP has all eight" "8" "$(tsf "$TMP/tc.pcap" 'tcp && dns.flags.response == 1' dns.count.answers)"
same "tshark: one connection, opened and closed" "2 0" \
	"$(echo "$(tsf "$TMP/tc.pcap" 'tcp.flags.fin == 1' frame.number | wc -l) $(tsf "$TMP/tc.pcap" 'tcp.flags.reset == 1' frame.number | wc -l)")"
clean "tc" "$TMP/tc.pcap"
# Our dissector reads DNS over TCP as tshark does: the length, then the message.
same "tshark: the length in front of the TCP answer" "697" "$(tsf "$TMP/tc.pcap" 'tcp && dns.flags.response == 1' dns.length)"
run --pcap "$TMP/tc2.pcap" -c 'dns big.example.com TXT; wait 0.3; packets tcp && dns.length == 697 && dns.count.answers == 8'
expect "ours: DNS over TCP dissected, its summary as tcpdump's" 'Flags \[P\.\], .*length 699: DNS [0-9]+ 8/0/0 TXT "record' "$out"
same "ours: the query over TCP too" 1 "$(printf '%s\n' "$out" | grep -c 'length 35: DNS [0-9]*+ TXT? big\.example\.com\. (33)$')"
run -c 'dns big.example.com TXT +trace'
expect "+trace: the authoritative server's TC=1 is retried over TCP" ';; TC=1: the answer did not fit in UDP; asking again over TCP' "$out"
expect "... and the walk ends with the eight" ';; flags: qr aa; QUERY: 1, ANSWER: 8' "$out"

finish
