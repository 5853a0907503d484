#!/usr/bin/python3
"""The same workloads as bench_wire.c, with Scapy: build and serialize an
Ethernet/IPv4/TCP frame, and parse one and read every field of every layer.
Output lines as bench_wire.c: FRAME <workload> <hex>, RESULT <workload> <f/s>.

Scapy dissects every layer when Ether(raw) is constructed, but keeps field
values in their wire ("internal") form; reading an attribute converts it
(addresses to text, flags to a FlagValue). So the parse workload constructs
Ether(raw) and then reads every field of every layer, the way a program that
describes the frame would."""

import os
import sys
import time

import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.layers.inet import IP, TCP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

BATCH = 64
RUNS = 3
CHECK_SEQ = 1000
MAC_DST, MAC_SRC = "02:00:00:00:01:01", "02:00:00:00:00:05"
IP_SRC, IP_DST = "192.168.1.5", "192.0.2.10"
SPORT, DPORT, WINDOW, ACK = 40000, 80, 64240, 0x01020304
PAYLOAD = bytes(ord("a") + i % 26 for i in range(100))
ETH_MIN_FRAME = 60


def fold(b):
    # Use the output, as the C benchmarks fold their bytes.
    return hash(b)


def emit_frame(seq, data):
    """A new packet from scratch; bytes() fills lengths and checksums."""
    ip = IP(src=IP_SRC, dst=IP_DST, ttl=64, id=seq & 0xFFFF, flags="DF")
    if data:
        tcp = TCP(sport=SPORT, dport=DPORT, seq=seq, ack=ACK, flags="PA", window=WINDOW)
        return bytes(Ether(dst=MAC_DST, src=MAC_SRC) / ip / tcp / Raw(PAYLOAD))
    tcp = TCP(sport=SPORT, dport=DPORT, seq=seq, flags="S", window=WINDOW, options=[("MSS", 1460)])
    return bytes(Ether(dst=MAC_DST, src=MAC_SRC) / ip / tcp)


def emit_syn(seq, n):
    h = 0
    for i in range(seq, seq + n):
        h ^= fold(emit_frame(i, False))
    return h


def emit_data(seq, n):
    h = 0
    for i in range(seq, seq + n):
        h ^= fold(emit_frame(i, True))
    return h


def describe(raw, data):
    p = Ether(raw)
    v = [p.dst, p.src, p.type]
    ip = p[IP]
    v += [ip.version, ip.ihl, ip.tos, ip.len, ip.id, ip.flags, ip.frag, ip.ttl,
          ip.proto, ip.chksum, ip.src, ip.dst, ip.options]
    tcp = p[TCP]
    v += [tcp.sport, tcp.dport, tcp.seq, tcp.ack, tcp.dataofs, tcp.reserved, tcp.flags,
          tcp.window, tcp.chksum, tcp.urgptr, tcp.options]
    if data:
        v.append(p[Raw].load)
    return len(v)


def parse_syn(seq, n):
    return sum(describe(SYN, False) for _ in range(n))


def parse_data(seq, n):
    return sum(describe(DATA, True) for _ in range(n))


def measure(fn, min_s):
    # CPU time of this thread, as in bench_wire.c.
    best, seq, sink = 0.0, 1, 0
    for _ in range(RUNS):
        done, t0 = 0, time.thread_time()
        while True:
            sink ^= fn(seq, BATCH)
            seq += BATCH
            done += BATCH
            t = time.thread_time() - t0
            if t >= min_s:
                break
        best = max(best, done / t)
    return best


def pad(frame):
    # Padded to 60 bytes as the C benchmarks' frames are, so all three
    # parse the same bytes.
    return frame + bytes(max(0, ETH_MIN_FRAME - len(frame)))


SYN = pad(emit_frame(CHECK_SEQ, False))
DATA = pad(emit_frame(CHECK_SEQ, True))


def main():
    min_s = float(os.environ.get("BENCH_SECONDS", "0.5"))
    if min_s <= 0:
        min_s = 0.5
    # Frames as emitted (unpadded): run.sh compares them with wirewalk's.
    print("FRAME emit_syn", emit_frame(CHECK_SEQ, False).hex())
    print("FRAME emit_data", emit_frame(CHECK_SEQ, True).hex())
    sys.stdout.flush()
    for name, fn in (("emit_syn", emit_syn), ("emit_data", emit_data),
                     ("parse_syn", parse_syn), ("parse_data", parse_data)):
        print("RESULT %s %.0f" % (name, measure(fn, min_s)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
