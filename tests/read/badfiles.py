#!/usr/bin/python3
"""Make broken captures out of real ones, for the bad-input tests of `read`.

usage: badfiles.py CAPTURES_DIR OUT_DIR

Writes into OUT_DIR (each from a capture of CAPTURES_DIR):
  bad-magic.pcap     dns.pcap with the magic number replaced by "WWWW"
  cut-record.pcap    dns.pcap cut in the middle of frame 5's bytes
  cut-header.pcap    dns.pcap cut inside frame 5's record header
  over-snaplen.pcap  http.pcap with the file's snaplen set to 1000, so the
                     first 1514-byte frame has caplen > snaplen
  absurd.pcap        dns.pcap with frame 3's caplen and origlen 0x7fffffff
  malformed.pcap     four frames of http.pcap: 1 as it was; 1 again with IPv4
                     total length 1600 (header checksum made right); 3 with a
                     TCP data offset of 3 (checksum made right); 4 as it was
and prints, for the shell, what each file should make `read` report:
frame numbers and file offsets, e.g. CUT_FRAME=5 CUT_OFFSET=652.
Standard library only.
"""

import os
import struct
import sys

GLOBAL_HLEN = 24
RECORD_HLEN = 16


def read_pcap(path):
    """(header bytes, byte order, [(offset, record header, data)])."""
    with open(path, "rb") as f:
        blob = f.read()
    magic = blob[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        order = "<"
    elif magic == b"\xa1\xb2\xc3\xd4":
        order = ">"
    else:
        sys.exit("badfiles.py: %s is not a microsecond pcap file" % path)
    records, off = [], GLOBAL_HLEN
    while off < len(blob):
        hdr = blob[off:off + RECORD_HLEN]
        caplen = struct.unpack(order + "I", hdr[8:12])[0]
        records.append((off, hdr, blob[off + RECORD_HLEN:off + RECORD_HLEN + caplen]))
        off += RECORD_HLEN + caplen
    return blob[:GLOBAL_HLEN], order, records


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def join(header, records):
    return header + b"".join(hdr + data for _, hdr, data in records)


def csum(data):
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def set_ip_total_length(frame, total):
    """Ethernet + IPv4 frame with a new total length and a right header checksum."""
    b = bytearray(frame)
    ihl = (b[14] & 0x0F) * 4
    struct.pack_into("!H", b, 16, total)
    struct.pack_into("!H", b, 24, 0)
    struct.pack_into("!H", b, 24, csum(bytes(b[14:14 + ihl])))
    return bytes(b)


def set_tcp_data_offset(frame, words):
    """Ethernet + IPv4 + TCP frame with a new data offset and a right TCP checksum."""
    b = bytearray(frame)
    ihl = (b[14] & 0x0F) * 4
    ip_total = struct.unpack("!H", b[16:18])[0]
    t = 14 + ihl
    b[t + 12] = (words << 4) | (b[t + 12] & 0x0F)
    struct.pack_into("!H", b, t + 16, 0)
    segment = bytes(b[t:14 + ip_total])
    pseudo = bytes(b[26:34]) + struct.pack("!BBH", 0, 6, len(segment))
    struct.pack_into("!H", b, t + 16, csum(pseudo + segment))
    return bytes(b)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: badfiles.py CAPTURES_DIR OUT_DIR")
    src, out = argv[1], argv[2]
    dns_hdr, dns_order, dns = read_pcap(os.path.join(src, "dns.pcap"))
    http_hdr, http_order, http = read_pcap(os.path.join(src, "http.pcap"))
    dns_blob = join(dns_hdr, dns)
    facts = {}

    write(os.path.join(out, "bad-magic.pcap"), b"WWWW" + dns_blob[4:])

    off5, _, data5 = dns[4]
    write(os.path.join(out, "cut-record.pcap"), dns_blob[:off5 + RECORD_HLEN + len(data5) // 2])
    facts.update(CUT_FRAME=5, CUT_OFFSET=off5, CUT_CAPLEN=len(data5),
                 CUT_LEFT=len(data5) // 2)
    write(os.path.join(out, "cut-header.pcap"), dns_blob[:off5 + 7])

    snaplen = 1000
    over = next(i for i, r in enumerate(http) if len(r[2]) > snaplen)
    hdr = bytearray(http_hdr)
    struct.pack_into(http_order + "I", hdr, 16, snaplen)
    write(os.path.join(out, "over-snaplen.pcap"), join(bytes(hdr), http))
    facts.update(SNAP_FRAME=over + 1, SNAP_OFFSET=http[over][0], SNAP_CAPLEN=len(http[over][2]),
                 SNAPLEN=snaplen)

    absurd = 0x7FFFFFFF
    recs = list(dns)
    off3, hdr3, data3 = recs[2]
    hdr3 = hdr3[:8] + struct.pack(dns_order + "II", absurd, absurd)
    recs[2] = (off3, hdr3, data3)
    write(os.path.join(out, "absurd.pcap"), join(dns_hdr, recs))
    facts.update(ABSURD_FRAME=3, ABSURD_OFFSET=off3, ABSURD_CAPLEN=absurd)

    def with_data(rec, data):
        off, h, _ = rec
        h = h[:8] + struct.pack(http_order + "II", len(data), len(data))
        return (off, h, data)

    bad_len = 1600
    mal = [http[0],
           with_data(http[0], set_ip_total_length(http[0][2], bad_len)),
           with_data(http[2], set_tcp_data_offset(http[2][2], 3)),
           http[3]]
    write(os.path.join(out, "malformed.pcap"), join(http_hdr, mal))
    facts.update(MAL_IPLEN=bad_len, MAL_IPLEN_LEFT=len(http[0][2]) - 14)

    print(" ".join("%s=%d" % kv for kv in facts.items()))


if __name__ == "__main__":
    main(sys.argv)
