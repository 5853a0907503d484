#!/bin/bash
# Every lesson in lessons/ (not the exercises) played without a person,
# `wirewalk lesson FILE --auto`, one after the other in one lab: every
# wirewalk block and every task's Solution: lines run, and every check is
# judged on what really crossed the link to the lab's kernels, nginx, nsd
# and unbound. Any failure fails the test, with the check and what
# differed. Then the player's own failures: a lesson whose check cannot
# pass stops there, non-zero, naming the file, line, check and what was
# seen; a malformed lesson is refused with its line before anything runs.
# Run as root: tests/lab/test_lessons_auto.sh [path/to/wirewalk]
#
# Uses a lab of its own ("lsa") and removes it at the end.
set -u
WW=$(realpath -- "${1:-./wirewalk}")
LAB=lsa
HERE=$(cd "$(dirname "$0")" && pwd)
LESSONS=$(cd "$HERE/../../lessons" && pwd)
TMP=$(mktemp -d)
pass=0
fail=0

if [ "$(id -u)" != 0 ]; then
	echo "test_lessons_auto: SKIP (needs root: network namespaces)"
	exit 77
fi
[ -x "$WW" ] || { echo "test_lessons_auto: no program at $WW"; exit 2; }

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     | /'; }
expect() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else bad "$1" "expected /$2/ in:
$3"; fi; }
refuse() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then bad "$1" "did not expect /$2/ in:
$3"; else ok "$1"; fi; }
cleanup() {
	"$WW" lab down --lab $LAB >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
export XDG_DATA_HOME=$TMP/data

"$WW" lab up --lab $LAB >/dev/null 2>&1 || { bad "lab $LAB did not come up"; exit 1; }

# play FILE: the lesson with --auto; OUT, ERR, RC.
play() {
	"$WW" lesson "$1" --auto --lab $LAB --color off >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

n=0
for f in "$LESSONS"/[0-9]*.md; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	name=$(basename "$f" .md)
	start=$SECONDS
	play "$f"
	secs=$((SECONDS - start))
	tasks=$(grep -c '^```task ' "$f")
	if [ $RC = 0 ] && printf '%s\n' "$OUT" | grep -q "all $tasks tasks passed"; then
		checks=$(printf '%s\n' "$OUT" | grep -c '^  ✓ ')
		ok "$name: all $tasks tasks, $checks checks passed (${secs} s)"
	else
		bad "$name: exit $RC" "$(printf '%s\n' "$OUT" | tail -n 25)
$ERR"
	fi
done
[ $n -ge 3 ] && ok "$n lessons played" || bad "only $n lessons found in $LESSONS"

# --- the player's own failures -------------------------------------------
# A check that cannot pass: the datagram is 128 bytes, not 1500.
cat >"$TMP/wrong.md" <<'EOF'
# 99 · A lesson with a wrong check
Minutes: 10

```task first
Do: Ping the web server.
Solution: ping 192.0.2.10 1 100
Check: received icmp.type == echo-reply and ip.src == 192.0.2.10
```

```task second
Do: Ping it with a full-sized datagram.
Solution: ping 192.0.2.10 1 100
Check: sent icmp.type == echo-request and ip.len == 1500
Feedback: 1472 bytes of data make a 1500-byte datagram.
```

```task never
Do: Not reached.
Solution: ping 192.0.2.10 1
Check: sent icmp
```
EOF
play "$TMP/wrong.md"
[ $RC = 1 ] && ok "a failing check: exit 1" || bad "a failing check: exit $RC" "$OUT
$ERR"
expect "the failure names the file, line, task, check and what differed" \
	"wrong\.md:13: task second: check failed: sent icmp\.type == echo-request and ip\.len == 1500: expected ip\.len == 1500, saw 128 in \\\$[0-9]+ \(the nearest of [0-9]+ sent\)" "$ERR"
expect "the task before it passed" '✓ received icmp.type == echo-reply and ip.src == 192.0.2.10' "$OUT"
refuse "play stops at the first failure" "task never" "$OUT"

# A solution line that fails stops the lesson too.
cat >"$TMP/broken-solution.md" <<'EOF'
# 98 · A lesson whose solution fails

```task t
Do: Connect to a port where nothing listens.
Solution: tcp connect 192.0.2.10 81 1
Check: sent tcp.flags == S
```
EOF
play "$TMP/broken-solution.md"
[ $RC = 1 ] && ok "a failing Solution: line: exit 1" || bad "a failing Solution: line: exit $RC" "$ERR"
expect "it names its line" "broken-solution\.md:5: lesson stopped: task t's Solution: line failed" "$ERR"

# A malformed lesson: refused with its line, nothing run, no frame sent.
cat >"$TMP/malformed.md" <<'EOF'
# 97 · A malformed lesson

```wirewalk
ping 192.0.2.10 1
```

```task t
Do: Send a SYN.
Check: sent tcp.flgs == S
```
EOF
play "$TMP/malformed.md"
[ $RC = 2 ] && ok "a malformed lesson: exit 2" || bad "a malformed lesson: exit $RC" "$OUT
$ERR"
expect "it is refused with file, line and reason" \
	"malformed\.md:9: in the filter, at 'tcp\.flgs': unknown field 'tcp\.flgs'; did you mean 'tcp\.flags'\?" "$ERR"
refuse "nothing ran before the refusal" "wirewalk> ping|ICMP" "$OUT"

echo "test_lessons_auto: $pass passed, $fail failed"
[ $fail = 0 ]
