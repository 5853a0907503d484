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
