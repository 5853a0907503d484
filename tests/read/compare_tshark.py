#!/usr/bin/python3
"""Compare `wirewalk read --json CAPTURE` with tshark, field by field.

usage: compare_tshark.py WIREWALK CAPTURE

For every frame of CAPTURE and every field of FIELDS, the values wirewalk
gives (collected over the frame's JSON layers in order, an array giving its
elements in order) must equal tshark's occurrences of that field, in order:
numbers numerically (tshark prints some in hex, 0x0800), strings exactly.
A field present in one and absent in the other is a mismatch. Each JSON line
must also have the shape {"frame", "len", "layers": [{"name", "fields"}],
"errors"}, frames numbered 1..N with the length tshark gives, and no errors
(the captures are real traffic that tshark reads without complaint).

Prints one summary line, and on mismatch every difference (frame, field,
ours, tshark's); exits 1 on any difference, 2 if a program could not run.
Standard library only.
"""

import json
import subprocess
import sys

FIELDS = """
eth.dst eth.src eth.type
arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac arp.dst.proto_ipv4
ip.version ip.hdr_len ip.dsfield ip.len ip.id ip.flags.df ip.flags.mf
ip.frag_offset ip.ttl ip.proto ip.checksum ip.src ip.dst
icmp.type icmp.code icmp.checksum icmp.ident icmp.seq
udp.srcport udp.dstport udp.length udp.checksum
tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.hdr_len tcp.flags
tcp.window_size_value tcp.checksum tcp.urgent_pointer tcp.options.mss_val
tcp.options.wscale.shift tcp.options.timestamp.tsval tcp.options.timestamp.tsecr
dns.id dns.flags.response dns.flags.opcode dns.flags.rcode dns.flags.recdesired
dns.flags.authoritative dns.count.queries dns.count.answers dns.count.auth_rr
dns.count.add_rr dns.qry.name dns.qry.type dns.resp.type dns.resp.ttl dns.a
dns.aaaa dns.cname dns.ns dns.mx.preference dns.mx.mail_exchange
tcp.payload
tls.record.content_type tls.record.version tls.record.length
tls.alert_message.level tls.alert_message.desc tls.app_data
tls.handshake.type tls.handshake.length tls.handshake.version tls.handshake.random
tls.handshake.session_id_length tls.handshake.session_id
tls.handshake.cipher_suites_length tls.handshake.ciphersuite
tls.handshake.comp_methods_length tls.handshake.comp_method
tls.handshake.extensions_length tls.handshake.extension.type tls.handshake.extension.len
tls.handshake.extensions_server_name_list_len tls.handshake.extensions_server_name_type
tls.handshake.extensions_server_name_len tls.handshake.extensions_server_name
tls.handshake.extensions_alpn_len tls.handshake.extensions_alpn_str_len
tls.handshake.extensions_alpn_str tls.handshake.extensions.supported_versions_len
tls.handshake.extensions.supported_version tls.handshake.extensions_supported_group
tls.handshake.extensions_key_share_group
http.request http.response http.request.method http.request.uri http.request.version
http.response.version http.response.code http.response.phrase
http.request.line http.response.line
http.host http.user_agent http.accept http.accept_encoding http.accept_language
http.referer http.cookie http.content_type http.content_length_header http.content_length
http.content_encoding http.transfer_encoding http.connection http.server http.date
http.last_modified http.location http.set_cookie http.cache_control http.upgrade
""".split()

# Wireshark follows a TLS connection: once a ServerHello chose TLS 1.3 it
# calls the outer type of every encrypted record tls.record.opaque_type.
# wirewalk reads each segment alone and calls that byte what it is on the
# wire, tls.record.content_type. The opaque types are appended to the
# content types: in a frame, records in the clear come before encrypted
# ones, so the order holds.
MERGED = {"tls.record.content_type": "tls.record.opaque_type"}

# tshark joins a field's occurrences with this; it cannot occur in a value
# of these fields (checked below, as the column count must come out right).
AGGREGATOR = "\x1f"
# frame.number and frame.len come first, to line the rows up with the JSON.
PREFIX = ["frame.number", "frame.len"]
MAX_SHOWN = 40


class Failure(Exception):
    pass


def run(argv, what):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        raise Failure("%s: cannot run %s: %s" % (what, argv[0], e))
    return p


def tshark_rows(capture):
    argv = ["tshark", "-r", capture, "-n",
            "-o", "ip.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
            "-T", "fields", "-E", "header=n", "-E", "occurrence=a",
            "-E", "aggregator=" + AGGREGATOR, "-E", "separator=/t", "-E", "quote=n"]
    for f in PREFIX + FIELDS + list(MERGED.values()):
        argv += ["-e", f]
    p = run(argv, "tshark")
    if p.returncode != 0:
        raise Failure("tshark failed (status %d): %s" % (p.returncode, p.stderr.decode(errors="replace").strip()))
    rows = []
    for n, line in enumerate(p.stdout.decode("utf-8", errors="strict").split("\n")[:-1], 1):
        cols = line.split("\t")
        ncols = len(PREFIX) + len(FIELDS) + len(MERGED)
        if len(cols) != ncols:
            raise Failure("tshark row %d has %d columns, not %d" % (n, len(cols), ncols))
        row = [c.split(AGGREGATOR) if c != "" else [] for c in cols]
        extra = row[len(PREFIX) + len(FIELDS):]
        row = row[:len(PREFIX) + len(FIELDS)]
        for (field, _), values in zip(MERGED.items(), extra):
            row[len(PREFIX) + FIELDS.index(field)] += values
        rows.append(row)
    return rows


def fail_shape(n, why):
    raise Failure("JSON line %d: %s" % (n, why))


def check_shape(n, obj):
    """The JSON object of frame N: frame, len, layers[{name, fields}], errors."""
    if not isinstance(obj, dict):
        fail_shape(n, "not an object")
    for key in ("frame", "len", "layers", "errors"):
        if key not in obj:
            fail_shape(n, "no \"%s\"" % key)
    if type(obj["frame"]) is not int or obj["frame"] != n:
        fail_shape(n, "\"frame\" is %r, expected %d" % (obj["frame"], n))
    if type(obj["len"]) is not int or obj["len"] < 0:
        fail_shape(n, "\"len\" is %r" % (obj["len"],))
    if not isinstance(obj["layers"], list):
        fail_shape(n, "\"layers\" is not an array")
    for i, layer in enumerate(obj["layers"]):
        if not isinstance(layer, dict) or not isinstance(layer.get("name"), str) \
                or not isinstance(layer.get("fields"), dict):
            fail_shape(n, "layer %d is not {\"name\": string, \"fields\": object}" % i)
        for name, value in layer["fields"].items():
            values = value if isinstance(value, list) else [value]
            for v in values:
                if isinstance(v, (dict, list)) or v is None:
                    fail_shape(n, "field %s has a value %r that is not a number or string" % (name, v))
    if not isinstance(obj["errors"], list):
        fail_shape(n, "\"errors\" is not an array")


def our_values(obj, field):
    """The field's values over the frame's layers, in layer order."""
    out = []
    for layer in obj["layers"]:
        if field in layer["fields"]:
            v = layer["fields"][field]
            out.extend(v if isinstance(v, list) else [v])
    return out


def tshark_number(s):
    try:
        if s[:2] in ("0x", "0X"):
            return int(s[2:], 16)
        return int(s, 10)
    except ValueError:
        return None


# tshark -T fields writes control characters in a text field as C escapes
# (an HTTP header line ends in "\\r\\n"); wirewalk's JSON holds the bytes.
TSHARK_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                  "\t": "\\t", "\v": "\\v"}


def as_tshark_text(s):
    return "".join(TSHARK_ESCAPES.get(c, c if c >= " " and c != "\x7f" else "\\x%02x" % ord(c))
                   for c in s)


def same(ours, theirs):
    """One value: JSON numbers against tshark's decimal or hex text, strings exactly
    (control characters as tshark escapes them)."""
    if isinstance(ours, bool) or isinstance(ours, int):
        return tshark_number(theirs) == int(ours)
    if isinstance(ours, float):
        return False
    return isinstance(ours, str) and as_tshark_text(ours) == theirs


def show(values):
    return "[" + ", ".join(json.dumps(v) if not isinstance(v, str) else repr(v) for v in values) + "]" \
        if len(values) != 1 else (json.dumps(values[0]) if not isinstance(values[0], str) else repr(values[0]))


def compare(wirewalk, capture):
    name = capture.rsplit("/", 1)[-1]
    p = run([wirewalk, "read", "--json", capture], "wirewalk")
    if p.returncode != 0:
        raise Failure("wirewalk read --json exited %d: %s" % (p.returncode,
                      p.stderr.decode(errors="replace").strip()))
    lines = p.stdout.decode("utf-8").split("\n")
    if lines[-1] != "":
        raise Failure("wirewalk's output does not end with a newline")
    frames = []
    for n, line in enumerate(lines[:-1], 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise Failure("JSON line %d does not parse (%s): %s" % (n, e, line[:200]))
        check_shape(n, obj)
        frames.append(obj)

    rows = tshark_rows(capture)
    if len(rows) != len(frames):
        raise Failure("wirewalk printed %d frames, tshark %d" % (len(frames), len(rows)))

    diffs = []
    nvalues = 0
    for obj, row in zip(frames, rows):
        n = obj["frame"]
        if row[0] != [str(n)]:
            raise Failure("tshark row %d is frame %s" % (n, row[0]))
        if not same(obj["len"], row[1][0]):
            diffs.append((n, "len", [obj["len"]], row[1]))
        if obj["errors"]:
            diffs.append((n, "errors", obj["errors"], []))
        for field, theirs in zip(FIELDS, row[len(PREFIX):]):
            ours = our_values(obj, field)
            nvalues += max(len(ours), len(theirs))
            if len(ours) != len(theirs) or not all(same(a, b) for a, b in zip(ours, theirs)):
                diffs.append((n, field, ours, theirs))

    if not diffs:
        print("%s: %d frames, %d field values, all equal" % (name, len(frames), nvalues))
        return True
    fields = sorted({d[1] for d in diffs})
    print("%s: %d frames, %d field values, %d differences in %s" % (
        name, len(frames), nvalues, len(diffs), ", ".join(fields)))
    for n, field, ours, theirs in diffs[:MAX_SHOWN]:
        print("  frame %d %s: ours %s, tshark %s" % (n, field, show(ours), show(theirs)))
    if len(diffs) > MAX_SHOWN:
        print("  ... and %d more" % (len(diffs) - MAX_SHOWN))
    return False


def main(argv):
    if len(argv) != 3:
        print("usage: compare_tshark.py WIREWALK CAPTURE", file=sys.stderr)
        return 2
    try:
        return 0 if compare(argv[1], argv[2]) else 1
    except Failure as e:
        print("%s: %s" % (argv[2].rsplit("/", 1)[-1], e))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
