#!/bin/bash
# Batch modes (-c, a script file, lines on standard input) with the live
# network: a command that fails prints why on standard error, nothing
# after it runs, and the exit status is non-zero; --keep-going runs the
# rest. --json prints one JSON object per line: frames, results, errors.
# Run as root: tests/lab/test_live_batch.sh [path/to/wirewalk]
LAB=t9b
. "$(dirname "$0")/live_common.sh"

HELP_OUT='^Commands \(help COMMAND tells more\):$'
# run NAME ARGS...: runs wirewalk, keeping stdout, stderr and the status.
run() { "$WW" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }

"$WW" lab down --lab $LAB >/dev/null 2>&1

# --- -c: the first network command starts the live session ---------------
run --lab $LAB -c "wait 0.2; nosuch 1; help"
[ $rc != 0 ] && ok "-c: a failed command makes the exit status non-zero ($rc)" || bad "-c exited 0" "$err"
expect "-c: the error names the command and suggests one" \
	"^wirewalk: unknown command 'nosuch'; did you mean '[a-z]+'\?$" "$err"
refuse "-c: nothing after the failed command ran" "$HELP_OUT" "$out"
ip netns list | grep -q "^ww-$LAB-client" && ok "-c: 'wait' brought lab $LAB up and ran in it" ||
	bad "lab $LAB was not brought up by the first network command"

run --lab $LAB --keep-going -c "nosuch 1; wait 0.1; help"
[ $rc != 0 ] && ok "--keep-going: the exit status is still non-zero ($rc)" || bad "--keep-going exited 0"
expect "--keep-going: the commands after the failure ran" "$HELP_OUT" "$out"

run --lab $LAB -c "wait 0.1; wait soon; help"
[ $rc = 2 ] && ok "a bad argument is a usage error (exit 2)" || bad "wait soon: exit $rc" "$err"
expect "... and the message names the argument" "wait: 'soon' is not a number of seconds" "$err"

run --lab $LAB -c "wait 0.1; help wait"
[ $rc = 0 ] && ok "-c: all commands succeed: exit 0" || bad "-c: exit $rc" "$err"
[ -z "$err" ] && ok "-c: nothing on stderr when all went well" || bad "unexpected stderr" "$err"

# --- a script file ----------------------------------------------------------
printf '# a comment line\nwait 0.1\n\nset colour on\nhelp\n' >"$TMP/s.ww"
run --lab $LAB "$TMP/s.ww"
[ $rc = 2 ] && ok "script: an unknown setting fails it (exit 2)" || bad "script: exit $rc" "$err"
expect "script: the error names the file and line" "s\.ww:4: set: unknown setting 'colour'" "$err"
refuse "script: the lines after the error did not run" "$HELP_OUT" "$out"
run --lab $LAB --keep-going "$TMP/s.ww"
expect "script --keep-going: the rest ran" "$HELP_OUT" "$out"
[ $rc = 2 ] && ok "script --keep-going: still exit 2" || bad "script --keep-going: exit $rc"

# --- standard input -------------------------------------------------------
printf 'wait 0.1\nwait soon\nhelp\n' | "$WW" --lab $LAB >"$TMP/out" 2>"$TMP/err"; rc=$?
[ $rc != 0 ] && ok "stdin: exit $rc after a failed line" || bad "stdin: exit 0"
expect "stdin: the error names the line" "^wirewalk: stdin:2: wait: 'soon' is not a number" "$(cat "$TMP/err")"
refuse "stdin: nothing after it ran" "$HELP_OUT" "$(cat "$TMP/out")"

# --- --json: one object per line ------------------------------------------
# The peer pings the LAN's broadcast address while the shell waits: those
# frames are events of their own, before the command's result.
(sleep 0.5; for i in 1 2 3; do $PEER ping -b -c 1 -W 0.2 192.168.1.255 >/dev/null 2>&1; done) &
run --lab $LAB --json --keep-going -c "wait 2; nosuch; set view"
wait
cat >"$TMP/check.py" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
events = [json.loads(l) for l in lines]  # every line must be one JSON object
kinds = [e["event"] for e in events]
frames = [e for e in events if e["event"] == "received"]
assert frames, "no frame event in %s" % kinds
for f in frames:
    layers = [l["name"] for l in f["layers"]]
    assert layers[:3] == ["eth", "ip", "icmp"], layers
    ip = f["layers"][1]["fields"]
    assert ip["ip.src"] == "192.168.1.7" and ip["ip.dst"] == "192.168.1.255", ip
    assert f["frame"] >= 1 and f["len"] == 98 and f["time"] > 0, f
results = [e for e in events if e["event"] in ("result", "error")]
assert [r["command"] for r in results] == ["wait 2", "nosuch", "set view"], results
assert [r["status"] for r in results] == [0, 2, 0], results
assert "unknown command 'nosuch'" in results[1]["message"], results[1]
assert results[2]["output"].startswith("view summary"), results[2]
# Frames seen during `wait 2` come before its result.
assert kinds.index("received") < kinds.index("result"), kinds
print("%d lines: %d frames, then %s" % (len(events), len(frames), [r["event"] for r in results]))
EOF
if res=$(python3 "$TMP/check.py" "$TMP/out" 2>&1); then
	ok "--json: every line is a JSON object: frames with their fields, results, errors ($res)"
else
	bad "--json output" "$res
$(head -c 2000 "$TMP/out")"
fi
expect "--json: the error also goes to stderr as text" "unknown command 'nosuch'" "$err"
[ $rc = 2 ] && ok "--json: exit status 2" || bad "--json: exit $rc"
finish
