#!/usr/bin/python3
"""A hostile DNS server for the lab tests: it answers every query with the
query's own ID and question, so a resolver cannot drop the answer as a
mismatch, and with a message that is wrong in the way the first label of
the name asks for:

  loop      the answer's name is a compression pointer back to its own start
  forward   the answer's name is a pointer to a later offset
  past      the answer's name is a pointer past the end of the message
  label     a label of 64 bytes (length byte 0x40)
  long      a name of 5 x 63-byte labels: over 255 bytes
  rdlength  RDLENGTH 100 with 4 bytes of rdata left
  counts    ANCOUNT 5 with one record in the message
  badid     first an answer with another ID, then the right one
  badq      first an answer about another name, then the right one
  tc        a valid answer with TC=1
  servfail  SERVFAIL;  refused: REFUSED
  ok        a valid answer: A 192.0.2.10

usage: hostile_dns.py ADDRESS PORT READY_FILE
It binds ADDRESS:PORT (UDP), writes READY_FILE, and serves until killed.
Run it inside the lab's net namespace (ip netns exec ww-LAB-net ...).
"""
import socket
import struct
import sys

A_TAIL = struct.pack("!HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 10])


def parse_query(q):
    """ID, flags, the question's bytes (name, type, class) and first label."""
    if len(q) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", q[:6])
    if qdcount != 1 or flags & 0x8000:
        return None
    i = 12
    labels = []
    while i < len(q) and q[i] != 0:
        n = q[i]
        if n & 0xC0 or i + 1 + n > len(q):
            return None
        labels.append(q[i + 1:i + 1 + n])
        i += 1 + n
    end = i + 1 + 4
    if end > len(q):
        return None
    return qid, flags, q[12:end], (labels[0].decode("ascii", "replace").lower() if labels else "")


def header(qid, flags, an, ns=0, ar=0):
    return struct.pack("!HHHHHH", qid, flags, 1, an, ns, ar)


def answers(qid, rd, question, case):
    """The datagrams to send back, in order."""
    flags = 0x8080 | rd
    start = 12 + len(question)  # where the answer section begins
    ok = header(qid, flags, 1) + question + b"\xc0\x0c" + A_TAIL
    if case == "loop":
        return [header(qid, flags, 1) + question + b"\x01a" + struct.pack("!H", 0xC000 | start) + A_TAIL]
    if case == "forward":
        return [header(qid, flags, 1) + question + struct.pack("!H", 0xC000 | (start + 8)) + A_TAIL]
    if case == "past":
        return [header(qid, flags, 1) + question + b"\xc0\xff" + A_TAIL]
    if case == "label":
        return [header(qid, flags, 1) + question + b"\x40" + b"x" * 64 + b"\x00" + A_TAIL]
    if case == "long":
        name = b"".join(bytes([63]) + bytes([ord("a") + k]) * 63 for k in range(5)) + b"\x00"
        return [header(qid, flags, 1) + question + name + A_TAIL]
    if case == "rdlength":
        return [header(qid, flags, 1) + question + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 100) + bytes([192, 0, 2, 10])]
    if case == "counts":
        return [header(qid, flags, 5) + question + b"\xc0\x0c" + A_TAIL]
    if case == "badid":
        return [header((qid + 1) & 0xFFFF, flags, 1) + question + b"\xc0\x0c" + A_TAIL, ok]
    if case == "badq":
        other = b"\x05other\x07hostile\x07example\x00" + question[-4:]
        return [header(qid, flags, 1) + other + b"\xc0\x0c" + A_TAIL, ok]
    if case == "tc":
        return [header(qid, flags | 0x0200, 1) + question + b"\xc0\x0c" + A_TAIL]
    if case == "servfail":
        return [header(qid, flags | 2, 0) + question]
    if case == "refused":
        return [header(qid, flags | 5, 0) + question]
    if case == "ok":
        return [ok]
    return [header(qid, flags | 5, 0) + question]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    addr, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    with open(ready, "w") as f:
        f.write("ready\n")
    while True:
        q, peer = s.recvfrom(4096)
        p = parse_query(q)
        if not p:
            continue
        qid, qflags, question, case = p
        for m in answers(qid, qflags & 0x0100, question, case):
            s.sendto(m, peer)


if __name__ == "__main__":
    main()
