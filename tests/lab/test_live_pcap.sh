#!/bin/bash
# --pcap FILE writes every frame the shell sends and receives: the same
# frames, byte for byte, that the LAN peer's own tcpdump saw going to and
# coming from 192.168.1.5, one record per frame event of --json, and
# tshark reads the file with no malformed frame and no bad checksum. The
# file is complete up to the last wait even when the shell is killed.
# Run as root: tests/lab/test_live_pcap.sh [path/to/wirewalk]
LAB=t9p
. "$(dirname "$0")/live_common.sh"
for tool in tshark tcpdump; do
	command -v $tool >/dev/null || { echo "$NAME: SKIP ($tool missing)"; exit 77; }
done

"$WW" lab down --lab $LAB >/dev/null 2>&1
out=$("$WW" lab up --lab $LAB 2>&1) || { bad "lab up" "$out"; finish; }

# The peer's view of the segment, as its kernel hands frames to tcpdump.
$PEER tcpdump -i eth0 -U -n -w "$TMP/peer.pcap" 2>"$TMP/tcpdump.err" &
tcpdump_pid=$!
until_ok 5 grep -qs "listening on" "$TMP/tcpdump.err" || bad "tcpdump did not start" "$(cat "$TMP/tcpdump.err")"

# While the shell waits, the peer resolves and pings 192.168.1.5 (the
# stack answers ARP and echo requests) and pings the LAN's broadcast.
peer_traffic() {
	sleep 0.8
	$PEER ping -c 3 -i 0.2 -W 1 192.168.1.5 >/dev/null 2>&1
	$PEER ping -b -c 1 -W 0.2 192.168.1.255 >/dev/null 2>&1
}
peer_traffic &
traffic_pid=$!
"$WW" --lab $LAB --pcap "$TMP/ww.pcap" --json -c 'wait 3' >"$TMP/events" 2>"$TMP/err"; rc=$?
wait $traffic_pid
sleep 0.3
kill $tcpdump_pid 2>/dev/null; wait $tcpdump_pid 2>/dev/null
[ $rc = 0 ] && ok "the run with --pcap exits 0" || bad "exit $rc" "$(cat "$TMP/err")"

cat >"$TMP/compare.py" <<'EOF'
import json, struct, sys
from collections import Counter

def frames(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    assert struct.unpack(end + "I", data[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d), "not a pcap"
    out, off = [], 24
    while off < len(data):
        _, _, caplen, origlen = struct.unpack(end + "IIII", data[off:off + 16])
        out.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    assert off == len(data), "trailing bytes"
    return out

ME, PEER, BCAST = bytes.fromhex("020000000005"), bytes.fromhex("020000000007"), b"\xff" * 6
ours, peer = frames(sys.argv[1]), frames(sys.argv[2])
events = [json.loads(l) for l in open(sys.argv[3])]
fev = [e for e in events if e["event"] in ("sent", "received")]
# One record per frame event, in the same order, same length, same direction.
assert len(ours) == len(fev), "%d records, %d frame events" % (len(ours), len(fev))
for i, (f, e) in enumerate(zip(ours, fev)):
    assert e["frame"] == i + 1 and e["len"] == len(f), (i, e["frame"], e["len"], len(f))
    assert (f[6:12] == ME) == (e["event"] == "sent"), (i, e["event"], f[6:12].hex())
sent = Counter(f for f in ours if f[6:12] == ME)
got = Counter(f for f in ours if f[6:12] != ME)
# Every frame the peer saw from us was written as sent; every frame the
# peer sent to us (or to everyone) was written as received.
from_us = Counter(f for f in peer if f[6:12] == ME)
to_us = Counter(f for f in peer if f[6:12] == PEER and f[:6] in (ME, BCAST))
assert from_us and to_us, "the peer saw %d frames from us and sent %d" % (len(from_us), len(to_us))
missing_sent = from_us - sent
missing_got = to_us - got
assert not missing_sent, "sent frames missing from --pcap: %s" % [f.hex() for f in missing_sent]
assert not missing_got, "received frames missing from --pcap: %s" % [f.hex() for f in missing_got]
kinds = Counter()
for f in ours:
    if f[12:14] == b"\x08\x06":
        kinds["arp-" + ("request" if f[21] == 1 else "reply") + ("-sent" if f[6:12] == ME else "")] += 1
    elif f[12:14] == b"\x08\x00" and f[23] == 1:
        kinds["icmp-%d%s" % (f[34], "-sent" if f[6:12] == ME else "")] += 1
assert kinds["arp-reply-sent"] >= 1 and kinds["icmp-0-sent"] == 3 and kinds["icmp-8"] >= 4, kinds
print("%d frames (%d sent, %d received): %s" % (len(ours), sum(sent.values()), sum(got.values()),
                                              dict(sorted(kinds.items()))))
EOF
if res=$(python3 "$TMP/compare.py" "$TMP/ww.pcap" "$TMP/peer.pcap" "$TMP/events" 2>&1); then
	ok "--pcap holds every frame sent and received, byte for byte as the peer saw them: $res"
else
	bad "--pcap against the peer's capture" "$res"
fi

# tshark: a well-formed capture, no malformed frame, no bad checksum.
tshark_bad() {
	tshark -r "$1" -o ip.check_checksum:TRUE -Y \
		'_ws.malformed or _ws.expert.severity >= 8388608 or ip.checksum.status == 0 or icmp.checksum.status == 0' \
		2>"$TMP/tshark.err"
}
n=$(tshark -r "$TMP/ww.pcap" 2>/dev/null | wc -l)
badframes=$(tshark_bad "$TMP/ww.pcap"); trc=$?
[ $trc = 0 ] && [ -z "$badframes" ] && [ "$n" -gt 0 ] &&
	ok "tshark reads all $n frames: none malformed, no bad checksum" ||
	bad "tshark (exit $trc) on the capture" "$badframes$(cat "$TMP/tshark.err")"
expect "tshark sees the ARP reply wirewalk's stack sent" \
	"02:00:00:00:00:05 → 02:00:00:00:00:07 ARP 60 192\.168\.1\.5 is at 02:00:00:00:00:05" \
	"$(tshark -r "$TMP/ww.pcap" 2>/dev/null)"

# --- killed while waiting: the frames so far are on disk ------------------
(sleep 0.6; $PEER ping -c 2 -i 0.2 -W 1 192.168.1.5 >/dev/null 2>&1) &
"$WW" --lab $LAB --pcap "$TMP/killed.pcap" -c 'wait 30' >/dev/null 2>&1 &
wpid=$!
sleep 2
kill -KILL $wpid; wait $wpid 2>/dev/null
n=$(tshark -r "$TMP/killed.pcap" 2>/dev/null | grep -c "ICMP 98 Echo (ping) reply")
badframes=$(tshark_bad "$TMP/killed.pcap"); trc=$?
[ "$n" = 2 ] && [ $trc = 0 ] && [ -z "$badframes" ] &&
	ok "after kill -9 mid-wait the capture is whole: both echo replies, readable" ||
	bad "capture after kill -9: $n echo replies, tshark exit $trc" "$badframes$(cat "$TMP/tshark.err")"

# --- a file that cannot be written: the reason, before anything runs ------
out=$("$WW" --lab $LAB --pcap /nonexistent-dir/x.pcap -c 'wait 0.1' 2>&1); rc=$?
[ $rc != 0 ] && expect "an unwritable --pcap file fails the network command, naming it" \
	"no live network: --pcap /nonexistent-dir/x\.pcap: .*No such file or directory" "$out" ||
	bad "--pcap into a missing directory exited 0" "$out"
finish
