#!/usr/bin/python3
"""Assertions on the JSON lines `wirewalk read --json` printed.

usage: check_json.py FILE CHECK...

FILE holds the lines; every line must parse and have the shape
{"frame", "len", "layers": [{"name", "fields"}], "errors"}. CHECKs:
  lines=N               exactly N lines, frames 1..N
  F:clean               frame F has no errors
  F:error=FIELD         frame F has an error naming FIELD
  F:status=STATUS       ... and that error's status is STATUS
  F:offset=N            ... and its frame offset is N
  F:says=TEXT           ... and its message contains TEXT
  F:has=FIELD           frame F shows FIELD (a field read before the error)
  F:FIELD==VALUE        frame F's first value of FIELD is VALUE
Prints each failed check; exits 1 if any failed. Standard library only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_tshark import Failure, check_shape, our_values  # noqa: E402


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: check_json.py FILE CHECK...")
    with open(argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] == "":
        lines.pop()
    frames = []
    try:
        for n, line in enumerate(lines, 1):
            obj = json.loads(line)
            check_shape(n, obj)
            frames.append(obj)
    except (ValueError, Failure) as e:
        print("  bad JSON output: %s" % e)
        return 1

    bad = 0
    error = {}  # frame -> the error the last error= check found
    for check in argv[2:]:
        ok, why = run_check(check, frames, error)
        if not ok:
            print("  check %s failed: %s" % (check, why))
            bad += 1
    return 1 if bad else 0


def run_check(check, frames, error):
    if check.startswith("lines="):
        want = int(check[6:])
        return len(frames) == want, "%d lines" % len(frames)
    where, _, what = check.partition(":")
    n = int(where)
    if n < 1 or n > len(frames):
        return False, "no frame %d (%d lines)" % (n, len(frames))
    obj = frames[n - 1]
    if what == "clean":
        return obj["errors"] == [], "errors %s" % json.dumps(obj["errors"])
    if what.startswith("error="):
        name = what[6:]
        found = [e for e in obj["errors"] if isinstance(e, dict) and e.get("field") == name]
        if found:
            error[n] = found[0]
        return bool(found), "errors %s" % json.dumps(obj["errors"])
    if what.startswith(("status=", "offset=", "says=")):
        if n not in error:
            return False, "no error= check before it for frame %d" % n
        key, _, want = what.partition("=")
        e = error[n]
        if key == "status":
            return e.get("status") == want, "status %r" % e.get("status")
        if key == "offset":
            return e.get("offset") == int(want), "offset %r" % e.get("offset")
        return want in str(e.get("message")), "message %r" % e.get("message")
    if what.startswith("has="):
        return our_values(obj, what[4:]) != [], "frame shows no %s" % what[4:]
    if "==" in what:
        field, _, want = what.partition("==")
        values = our_values(obj, field)
        if not values:
            return False, "frame shows no %s" % field
        return str(values[0]) == want, "%s is %r" % (field, values[0])
    return False, "unknown check"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
