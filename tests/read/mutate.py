#!/usr/bin/python3
"""Change `wirewalk read --json` output on its way to compare_tshark.py, to
prove that the comparison sees each kind of difference.

usage: WIREWALK read --json FILE | mutate.py MODE

MODE is one of:
  number  the first ip.ttl, plus one
  string  the first eth.src, with its last digit changed
  drop    the first dns.a, removed
  extra   the first tcp.flags, given a second value
  order   the first dns.resp.type with differing values, reversed
  sni     the first tls.handshake.extensions_server_name, its last letter changed
  suites  the first tls.handshake.ciphersuite list, reversed
  crlf    the first http.request.line without its CR LF
  opaque  the last of the first several tls.record.content_type values (in
          TLS 1.3, tshark's tls.record.opaque_type), removed
Exits 3 if the output had nothing to change (the test is then void).
Standard library only.
"""

import json
import sys


def mutate(fields, mode):
    if mode == "number" and "ip.ttl" in fields:
        v = fields["ip.ttl"]
        fields["ip.ttl"] = [v[0] + 1] + v[1:] if isinstance(v, list) else v + 1
        return True
    if mode == "string" and "eth.src" in fields:
        v = fields["eth.src"]
        fields["eth.src"] = v[:-1] + ("1" if v[-1] != "1" else "2")
        return True
    if mode == "drop" and "dns.a" in fields:
        del fields["dns.a"]
        return True
    if mode == "extra" and "tcp.flags" in fields and not isinstance(fields["tcp.flags"], list):
        fields["tcp.flags"] = [fields["tcp.flags"], fields["tcp.flags"]]
        return True
    if mode == "order":
        v = fields.get("dns.resp.type")
        if isinstance(v, list) and v != v[::-1]:
            fields["dns.resp.type"] = v[::-1]
            return True
    if mode == "sni" and "tls.handshake.extensions_server_name" in fields:
        v = fields["tls.handshake.extensions_server_name"]
        fields["tls.handshake.extensions_server_name"] = v[:-1] + ("x" if v[-1] != "x" else "y")
        return True
    if mode == "suites":
        v = fields.get("tls.handshake.ciphersuite")
        if isinstance(v, list) and v != v[::-1]:
            fields["tls.handshake.ciphersuite"] = v[::-1]
            return True
    if mode == "crlf":
        v = fields.get("http.request.line")
        first = v[0] if isinstance(v, list) else v
        if isinstance(first, str) and first.endswith("\r\n"):
            first = first[:-2]
            fields["http.request.line"] = [first] + v[1:] if isinstance(v, list) else first
            return True
    if mode == "opaque":
        v = fields.get("tls.record.content_type")
        if isinstance(v, list) and v[-1] == 23:
            fields["tls.record.content_type"] = v[:-1]
            return True
    return False


def main(argv):
    mode = argv[1]
    done = False
    for line in sys.stdin:
        obj = json.loads(line)
        if not done:
            for layer in obj["layers"]:
                if mutate(layer["fields"], mode):
                    done = True
                    break
        sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    return 0 if done else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
