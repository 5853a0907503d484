#!/bin/bash
# wirewalk's own TCP against the lab's real peers: nginx behind the
# router, curl on the LAN peer, the kernels of both. A GET for the
# 4000-byte page arrives as 1460 + 1460 + 1080 (MSS only, the default)
# and equals what curl gets; with a 1000-byte receive buffer no segment
# from the server passes the window offered, and the zero window, the
# server's probes and the window update show in the ladder; `tcp listen`
# serves curl a typed reply and both sides close cleanly; a segment for
# no connection is shown, not answered, unless tcp.rst is on. tshark's
# TCP analysis of the clean captures flags nothing.
# Run as root: tests/lab/test_tcp.sh [path/to/wirewalk]
#
# Uses a lab of its own ("t14") and removes it at the end.
LAB=t14
PY=/usr/bin/python3
TOOLS="curl ss $PY"
. "$(dirname "$0")/lab_common.sh"
# clean NAME FILE: no malformed frame, no bad checksum (IP or TCP).
clean() {
	local b
	b=$(tshark -r "$2" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-Y '_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == "Bad" || tcp.checksum.status == "Bad"' 2>&1 |
		grep -v '^Running as user')
	[ -z "$b" ] && ok "$1: tshark reads the capture clean" || bad "$1: tshark objects" "$b"
}
# no_analysis NAME FILE: tshark's TCP analysis flags nothing at all.
no_analysis() {
	local b
	b=$(tshark -r "$2" -Y 'tcp.analysis.flags' -T fields -e frame.number -e _ws.expert.message 2>/dev/null)
	[ -z "$b" ] && ok "$1: tshark's TCP analysis flags nothing" || bad "$1: tshark's TCP analysis" "$b"
}
# body FILE: the bytes after the HTTP header.
body() { $PY -c 'import sys; d=open(sys.argv[1],"rb").read(); i=d.find(b"\r\n\r\n"); sys.stdout.buffer.write(d[i+4:] if i >= 0 else b"")' "$1"; }

GET='GET /4000.html HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n'
$PEER curl -s -o "$TMP/curl4000" http://192.0.2.10/4000.html

# --- GET /4000.html: 1460 + 1460 + 1080 ------------------------------------
run --pcap "$TMP/get.pcap" -c "tcp connect 192.0.2.10 80; tcp send \"$GET\"; tcp recv -o $TMP/get.bin; tcp close"
same "GET: exit 0" 0 "$rc"
expect "tcp connect says who and how fast" \
	'^TCP 1 connected: 192\.168\.1\.5:[0-9]+ > 192\.0\.2\.10:80 in [0-9.]+ ms; MSS 1460, window 64240$' "$out"
for st in 'CLOSED → SYN-SENT' 'SYN-SENT → ESTABLISHED' 'ESTABLISHED → CLOSE-WAIT' \
	'CLOSE-WAIT → LAST-ACK' 'LAST-ACK → CLOSED'; do
	expect "state change shown: $st" "^  • TCP 1 192\.168\.1\.5:[0-9]+ > 192\.0\.2\.10:80: $st\$" "$out"
done
expect "tcp send: one segment, acknowledged" '^TCP 1: 65 bytes sent in 1 segment, all acknowledged$' "$out"
expect "tcp recv: the response and the FIN" \
	"^TCP 1: [0-9]+ bytes received into $TMP/get.bin; the peer closed its side \(FIN\)\$" "$out"
same "our SYN: MSS 1460 only, 24-byte header, window 65535" "1460 24 65535 0 0 0" \
	"$(tsf "$TMP/get.pcap" 'ip.src == 192.168.1.5 && tcp.flags == 0x002' tcp.options.mss_val tcp.hdr_len \
		tcp.window_size_value tcp.options.wscale.shift tcp.options.sack_perm tcp.options.timestamp.tsval |
		awk '{ print $1, $2, $3, ($4 == "" ? 0 : 1), ($5 == "" ? 0 : 1), ($6 == "" ? 0 : 1) }')"
lens=$(tsf "$TMP/get.pcap" 'ip.src == 192.0.2.10 && tcp.len > 0' tcp.len | tr '\n' ' ')
expect "the body arrives as 1460 + 1460 + 1080 (after the header): $lens" ' 1460 1460 1080 $' " $lens"
same "... and those are all the bytes received" "$(stat -c %s "$TMP/get.bin")" \
	"$(echo $lens | tr ' ' '\n' | awk '{ s += $1 } END { print s }')"
same "the segments were shown as they came: 1460, 1460, 1080" "1460 1460 1080" \
	"$(printf '%s\n' "$out" | grep -E '← 192\.0\.2\.10\.80 > .* length (1460|1080)$' | sed 's/.*length //' | tail -3 | tr '\n' ' ' | sed 's/ $//')"
body "$TMP/get.bin" >"$TMP/get.body"
if cmp -s "$TMP/get.body" "$TMP/curl4000" && [ "$(stat -c %s "$TMP/get.body")" = 4000 ]; then
	ok "the 4000 bytes equal curl's"
else
	bad "the 4000 bytes equal curl's" "$(cmp "$TMP/get.body" "$TMP/curl4000" 2>&1)"
fi
same "no RST anywhere" "" "$(tsf "$TMP/get.pcap" 'tcp.flags.reset == 1' frame.number)"
clean "GET" "$TMP/get.pcap"
no_analysis "GET" "$TMP/get.pcap"

# --- flow control: a receive buffer of 1000 bytes ---------------------------
run --pcap "$TMP/win.pcap" -c "set tcp.rcvbuf 1000; tcp connect 192.0.2.10 80; tcp send \"$GET\"; wait 1.2; tcp recv -o $TMP/win.bin; tcp ladder"
same "rcvbuf 1000: exit 0" 0 "$rc"
same "our SYN offers 1000 bytes" 1000 \
	"$(tsf "$TMP/win.pcap" 'ip.src == 192.168.1.5 && tcp.flags == 0x002' tcp.window_size_value)"
tsf "$TMP/win.pcap" tcp frame.number ip.src tcp.seq_raw tcp.len tcp.ack_raw tcp.window_size_value tcp.flags >"$TMP/win.fields"
verdict=$($PY - "$TMP/win.fields" <<'PY'
import sys
edge = None  # the right edge of the window we offered last: ack + window
worst, data = [], 0
for line in open(sys.argv[1]):
    no, src, seq, ln, ack, win, flags = line.split()
    seq, ln, ack, win, flags = int(seq), int(ln), int(ack), int(win), int(flags, 16)
    if src == "192.168.1.5":
        if flags & 0x10:
            e = (ack + win) % 2**32
            # never retracted: the edge only moves right
            if edge is not None and ((e - edge) % 2**32) >= 2**31:
                worst.append("frame %s: our window edge moved left" % no)
            edge = e
    elif ln > 0:
        data += 1
        end = (seq + ln) % 2**32
        if edge is None or ((edge - end) % 2**32) >= 2**31:
            worst.append("frame %s: %d bytes at %d end beyond the window edge %s" % (no, ln, seq, edge))
print("segments=%d" % data)
print("\n".join(worst) if worst else "none beyond")
PY
)
expect "the server sent in many small segments" '^segments=([5-9]|[1-9][0-9]+)$' "$verdict"
expect "no server segment passes the window we offered" '^none beyond$' "$verdict"
expect "the ladder shows our zero window" '\|-- \[ACK\] Seq=66 Ack=[0-9]+ Win=0 Len=0 \[zero window\] -+>\|' "$out"
expect "the ladder shows the server's probes" '\|<-+ \[ACK\] Seq=1000 Ack=66 Win=[0-9]+ Len=0 \[window probe\] --\|' "$out"
expect "the ladder shows the window update" '\|-- \[ACK\] Seq=66 Ack=1001 Win=1000 Len=0 \[window update\] -+>\|' "$out"
expect "the zero window was announced as it happened" 'our receive buffer is full \(1000 bytes unread\): window 0' "$out"
body "$TMP/win.bin" >"$TMP/win.body"
cmp -s "$TMP/win.body" "$TMP/curl4000" && ok "rcvbuf 1000: the bytes equal curl's" ||
	bad "rcvbuf 1000: the bytes equal curl's" "$(cmp "$TMP/win.body" "$TMP/curl4000" 2>&1)"
same "rcvbuf 1000: nothing lost, nothing sent twice" "" \
	"$(tsf "$TMP/win.pcap" 'tcp.analysis.retransmission || tcp.analysis.duplicate_ack || tcp.analysis.out_of_order || tcp.analysis.lost_segment' frame.number)"
clean "rcvbuf 1000" "$TMP/win.pcap"

# --- tcp listen: curl from the LAN peer ---------------------------------------
REPLY='HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 21\r\n\r\nhello from wirewalk!\n'
"$WW" --lab $LAB --color off --pcap "$TMP/listen.pcap" \
	-c "tcp listen 8080 10; tcp recv -t 1; tcp send \"$REPLY\"; tcp close; wait 1.5; tcp list" >"$TMP/bg" 2>&1 &
BG=$!
for _ in $(seq 50); do grep -q '^listening on 192\.168\.1\.5:8080$' "$TMP/bg" && break; sleep 0.1; done
got=$($PEER curl -sS -m 5 http://192.168.1.5:8080/hello 2>&1)
crc=$?
wait "$BG"
brc=$?
BG=
bgout=$(cat "$TMP/bg")
same "curl: exit 0" 0 "$crc"
same "curl got the reply typed in wirewalk" "hello from wirewalk!" "$got"
same "wirewalk: exit 0" 0 "$brc"
expect "the accepted connection" '^TCP 1 accepted: 192\.168\.1\.5:8080 > 192\.168\.1\.7:[0-9]+$' "$bgout"
expect "the request printed" '^GET /hello HTTP/1\.1' "$bgout"
expect "... with curl's headers" '^User-Agent: curl/' "$bgout"
for st in 'LISTEN → SYN-RECEIVED' 'SYN-RECEIVED → ESTABLISHED' 'ESTABLISHED → FIN-WAIT-1' \
	'→ TIME-WAIT' 'TIME-WAIT → CLOSED'; do
	expect "server side: $st" "^  • TCP 1 192\.168\.1\.5:8080 > 192\.168\.1\.7:[0-9]+: .*$st" "$bgout"
done
expect "tcp list: closed cleanly, still listening" '^\*  1 +CLOSED .* closed [0-9.]+ s ago' "$bgout"
same "a FIN each way, no RST" "2 0" \
	"$(echo "$(tsf "$TMP/listen.pcap" 'tcp.flags.fin == 1' frame.number | wc -l) $(tsf "$TMP/listen.pcap" 'tcp.flags.reset == 1' frame.number | wc -l)")"
same "the peer's kernel holds no socket to us any more" "" \
	"$($PEER ss -Htan dst 192.168.1.5 2>/dev/null)"
clean "listen" "$TMP/listen.pcap"
no_analysis "listen" "$TMP/listen.pcap"

# --- a segment for no connection: shown, not answered (unless tcp.rst on) --------
run --pcap "$TMP/craft.pcap" -c 'sr1 ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000); wait 0.3'
same "crafted SYN: exit 0" 0 "$rc"
expect "the SYN-ACK is shown as for no connection, not answered" \
	'TCP \[SYN, ACK\] 192\.0\.2\.10:80 > 192\.168\.1\.5:[0-9]+: no connection here: not answered \(set tcp\.rst on' "$out"
same "no RST from us" "" "$(tsf "$TMP/craft.pcap" 'ip.src == 192.168.1.5 && tcp.flags.reset == 1' frame.number)"
# A port of its own: the peer still holds the half-open connection of the run
# above and retransmits its SYN-ACK about 1 s later, which this run may see
# (and, with tcp.rst on, rightly answer) too.
run --pcap "$TMP/rst.pcap" -c 'set tcp.rst on; sr1 ip(dst=192.0.2.10)/tcp(sport=40123, dport=80, flags=S, seq=1000); wait 0.3'
same "tcp.rst on: our RST answers the SYN-ACK, SEQ = its ACK" "1001" \
	"$(tsf "$TMP/rst.pcap" 'ip.src == 192.168.1.5 && tcp.srcport == 40123 && tcp.flags.reset == 1' tcp.seq_raw)"
expect "... and says so" 'answered with RST \(tcp\.rst is on\)' "$out"

# --- refused, and options when they are asked for ---------------------------------
run -c 'tcp connect 192.0.2.10 81'
same "a closed port: exit 1" 1 "$rc"
expect "... connection refused" 'tcp connect: connection refused to 192\.168\.1\.5:[0-9]+ > 192\.0\.2\.10:81' "$err"
expect "... shown as the state changed" 'SYN-SENT → CLOSED \(connection refused\)' "$out"

run --pcap "$TMP/opts.pcap" -c "set view off; set tcp.wscale on; set tcp.sack on; set tcp.ts on; set tcp.rcvbuf 1M; tcp connect example.com 80; tcp send \"GET /10M.bin HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n\"; tcp recv -o $TMP/10M.bin; tcp close; tcp status"
same "10M.bin with every option: exit 0" 0 "$rc"
expect "the name was resolved" '192\.0\.2\.10' "$out"
expect "window scale, SACK and timestamps agreed with Linux" \
	'window scale 5 \(ours\) / [0-9]+ \(theirs\); SACK on; timestamps on' "$out"
same "10M.bin: the body is byte i = i % 251" "$($PY -c 'import hashlib; print(hashlib.sha256(bytes(i % 251 for i in range(10485760))).hexdigest())')" \
	"$(body "$TMP/10M.bin" | sha256sum | cut -d' ' -f1)"
no_analysis "10M.bin" "$TMP/opts.pcap"

finish
