#!/bin/bash
# The grader against the lab's real peers. Every exercise in
# lessons/exercises has a reference solution in tests/grade/NAME.ww, graded
# at full marks, and wrong ones, NAME.wrong-*.ww, each graded at the score
# its "# expect score" line names, with every "# expect line:" in the
# grader's table. The exercises' own Solution: lines (--reference) get full
# marks too. results.json has Gradescope's keys and types and agrees with
# the table; --tap is TAP 14. Four graders run at once, each in a lab of
# its own, give the scores they give one at a time. A solution that prints
# "PASS" or forges the server's answers gets nothing for it; refused
# commands, files outside the scratch directory and a solution that runs
# past its time limit are handled; a malformed exercise or solution is
# named with its line, and no results.json is written for it. Each
# exercise also plays as a lesson (wirewalk lesson FILE --auto).
# Run as root: tests/lab/test_grade.sh [path/to/wirewalk]
#
# Each grader brings up a lab of its own (g...) and removes it; the
# lessons play in lab "tgrade", removed at the end.
set -u
WW=$(realpath -- "${1:-./wirewalk}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EX=$ROOT/lessons/exercises
SOL=$ROOT/tests/grade
TMP=$(mktemp -d)
PY=/usr/bin/python3
JOBS=4
pass=0
fail=0

if [ "$(id -u)" != 0 ]; then
	echo "test_grade: SKIP (needs root: network namespaces)"
	exit 77
fi
for tool in ip $PY; do
	command -v $tool >/dev/null || { echo "test_grade: SKIP ($tool missing)"; exit 77; }
done
[ -x "$WW" ] || { echo "test_grade: no program at $WW"; exit 2; }

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     | /'; }
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

labs_before=$(ls /run/wirewalk 2>/dev/null | grep '^g' | sort)

# grade ID EXERCISE ARGS...: the grader's output in $TMP/ID.{out,err,rc}
# and results.json in $TMP/ID.json.
grade() {
	local id=$1 ex=$2
	shift 2
	"$WW" grade "$ex" "$@" --json "$TMP/$id.json" >"$TMP/$id.out" 2>"$TMP/$id.err"
	echo $? >"$TMP/$id.rc"
}
# The score in the table: "Score: 3/5 (...)" -> 3/5
score_of() { sed -n 's/^Score: \([0-9]*\/[0-9]*\).*/\1/p' "$TMP/$1.out" | head -1; }
# The exercise a solution file is for: 06-handshake.wrong-seq.ww -> 06-handshake
exercise_of() { local b; b=$(basename "$1" .ww); echo "${b%%.*}"; }

# Run the jobs listed in $TMP/JOBLIST ("ID EXERCISE ARGS..." a line), JOBS
# at a time.
run_jobs() {
	local running=0
	while read -r id ex args; do
		# shellcheck disable=SC2086
		grade "$id" "$ex" $args &
		running=$((running + 1))
		if [ $running -ge $JOBS ]; then
			wait -n
			running=$((running - 1))
		fi
	done <"$1"
	wait
}

# ---- one at a time, then the same four at once ------------------------------
FOUR="01-arp 03-ip-checksum.wrong-offbyone 06-handshake.wrong-nohost 08-flow-control"
for s in $FOUR; do
	grade "seq-$s" "$EX/$(exercise_of $s).md" --solution "$SOL/$s.ww"
done
: >"$TMP/four"
for s in $FOUR; do
	echo "par-$s $EX/$(exercise_of $s).md --solution $SOL/$s.ww" >>"$TMP/four"
done
run_jobs "$TMP/four"
for s in $FOUR; do
	a=$(score_of "seq-$s") b=$(score_of "par-$s")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		ok "$s: the same score one at a time and four at once ($a)"
	else
		bad "$s: one at a time '$a', four at once '$b'" "$(cat "$TMP/par-$s.out" "$TMP/par-$s.err")"
	fi
done

# ---- the integrity cases, written here -----------------------------------------
# Prints "PASS" and a fake table: no points for printing. The payload goes
# to a port nobody listens on.
cat >"$TMP/pass.ww" <<'EOF'
send ip(dst=192.0.2.10)/udp(dport=9)/"who-has 2/2 passed\nScore: 4/4 PASS\nok 1 - who-has"
sniff 1 icmp 1
help send
EOF
# Refused: the lab's set-up, files outside the scratch directory. Allowed:
# a capture saved inside it; and the request that scores.
cat >"$TMP/refused.ww" <<EOF
lab impair loss=1
read ../../etc/passwd
read $EX/01-arp.md
capture save $TMP/escaped.pcap
tcp recv -o ../escaped.bin
exercise start 01
sr1 eth(dst=ff:ff:ff:ff:ff:ff)/arp(op=request, pdst=192.168.1.7)
capture save inside.pcap
EOF
# Runs past the time limit: stopped in the sniff, graded on the first
# task, the last line never runs.
cat >"$TMP/slow.ww" <<'EOF'
sr1 ip(dst=192.0.2.10, ttl=1)/icmp(ident=0x77, seq=1)
sniff 1 udp.port == 9999
sr1 ip(dst=192.0.2.10, ttl=2)/icmp(ident=0x77, seq=2)
EOF
# Malformed: an unknown command, an unterminated quote.
printf 'sr1 ip(dst=192.0.2.10)/icmp()\necho PASS\n' >"$TMP/unknown.ww"
printf 'send ip(dst=192.0.2.10)/udp()/"open\n' >"$TMP/quote.ww"
# A malformed exercise: a filter with a field that does not exist.
cat >"$TMP/broken.md" <<'EOF'
# A broken exercise

```task a
Do: Anything.
Check: sent tcp.flgs == S
```
EOF

# ---- everything else, JOBS at a time ----------------------------------------------
: >"$TMP/all"
for f in "$SOL"/*.ww; do
	b=$(basename "$f" .ww)
	echo "sol-$b $EX/$(exercise_of "$f").md --solution $f" >>"$TMP/all"
done
for e in "$EX"/*.md; do
	b=$(basename "$e" .md)
	echo "ref-$b $e --reference" >>"$TMP/all"
done
cat >>"$TMP/all" <<EOF
pass $EX/01-arp.md --solution $TMP/pass.ww
refused $EX/01-arp.md --solution $TMP/refused.ww --keep
slow $EX/02-ping-ttl.md --solution $TMP/slow.ww --time-limit 2
unknown $EX/02-ping-ttl.md --solution $TMP/unknown.ww
quote $EX/02-ping-ttl.md --solution $TMP/quote.ww
broken $TMP/broken.md --solution $SOL/01-arp.ww
tap $EX/03-ip-checksum.md --solution $SOL/03-ip-checksum.wrong-good-as-bad.ww --tap
EOF
start=$(date +%s)
run_jobs "$TMP/all"
echo "     ($(wc -l <"$TMP/all") graders in $(( $(date +%s) - start )) s, $JOBS at a time)"

# ---- every solution: its score and its feedback -----------------------------------
for f in "$SOL"/*.ww; do
	b=$(basename "$f" .ww)
	want=$(sed -n 's/^# expect score //p' "$f")
	got=$(score_of "sol-$b")
	rc=$(cat "$TMP/sol-$b.rc")
	case $b in
	*.wrong-*) ;;
	*) max=${want#*/}; [ "$want" = "$max/$max" ] || bad "$b: a reference solution must expect full marks, not '$want'" ;;
	esac
	if [ "$rc" = 0 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "$b: graded $got"
	else
		bad "$b: expected $want, graded '$got' (exit $rc)" "$(cat "$TMP/sol-$b.out" "$TMP/sol-$b.err")"
		continue
	fi
	while IFS= read -r line; do
		if grep -qF -- "$line" "$TMP/sol-$b.out"; then
			ok "$b: says: ${line:0:70}"
		else
			bad "$b: the table lacks: $line" "$(cat "$TMP/sol-$b.out")"
		fi
	done < <(sed -n 's/^# expect line: //p' "$f")
done
# Every exercise has its reference solution and two wrong ones at least.
n_ex=0
for e in "$EX"/*.md; do
	b=$(basename "$e" .md)
	n_ex=$((n_ex + 1))
	nwrong=$(ls "$SOL/$b".wrong-*.ww 2>/dev/null | wc -l)
	if [ -f "$SOL/$b.ww" ] && [ "$nwrong" -ge 2 ]; then
		ok "$b: a reference solution and $nwrong wrong ones"
	else
		bad "$b: needs tests/grade/$b.ww and two $b.wrong-*.ww (has $nwrong wrong)"
	fi
	got=$(score_of "ref-$b")
	max=${got#*/}
	if [ -n "$got" ] && [ "$got" = "$max/$max" ]; then
		ok "$b: its own Solution: lines get full marks ($got)"
	else
		bad "$b --reference: '$got'" "$(cat "$TMP/ref-$b.out" "$TMP/ref-$b.err")"
	fi
done
[ $n_ex -ge 12 ] && ok "$n_ex exercises" || bad "only $n_ex exercises (12 wanted)"

# ---- results.json: Gradescope's keys and types, the table's numbers -----------------
bad_json=$($PY - "$TMP" <<'EOF'
import json, os, re, sys
tmp = sys.argv[1]
problems = []
for name in sorted(os.listdir(tmp)):
    if not name.endswith('.json') or not name.startswith(('sol-', 'ref-')):
        continue
    path = os.path.join(tmp, name)
    try:
        r = json.load(open(path))
    except Exception as e:
        problems.append(f'{name}: not JSON: {e}'); continue
    def need(obj, key, types, where):
        if key not in obj:
            problems.append(f'{name}: {where} has no "{key}"'); return None
        if not isinstance(obj[key], types) or isinstance(obj[key], bool):
            problems.append(f'{name}: {where}"{key}" is {type(obj[key]).__name__}'); return None
        return obj[key]
    num = (int, float)
    score = need(r, 'score', num, '')
    mx = need(r, 'max_score', num, '')
    need(r, 'execution_time', num, '')
    need(r, 'output', str, '')
    tests = need(r, 'tests', list, '')
    if tests is None:
        continue
    total = totmax = 0
    for i, t in enumerate(tests):
        w = f'tests[{i}].'
        need(t, 'name', str, w); need(t, 'output', str, w)
        s = need(t, 'score', num, w); m = need(t, 'max_score', num, w)
        st = need(t, 'status', str, w)
        vis = need(t, 'visibility', str, w)
        if st not in ('passed', 'failed'):
            problems.append(f'{name}: {w}status is {st!r}')
        if vis not in ('visible', 'hidden', 'after_due_date', 'after_published'):
            problems.append(f'{name}: {w}visibility is {vis!r}')
        if s is not None and m is not None:
            total += s; totmax += m
            if (st == 'passed') != (s == m):
                problems.append(f'{name}: {w}status {st} with {s}/{m}')
    if score is not None and score != total:
        problems.append(f'{name}: score {score} is not the sum of the tests, {total}')
    if mx is not None and mx != totmax:
        problems.append(f'{name}: max_score {mx} is not the sum of the tests, {totmax}')
    table = open(path[:-5] + '.out').read()
    m = re.search(r'^Score: (\d+)/(\d+)', table, re.M)
    if not m or (int(m.group(1)), int(m.group(2))) != (score, mx):
        problems.append(f'{name}: the table says {m.group(0) if m else "no score"}, the JSON {score}/{mx}')
print('\n'.join(problems))
EOF
)
n_json=$(ls "$TMP"/sol-*.json "$TMP"/ref-*.json 2>/dev/null | wc -l)
if [ -z "$bad_json" ] && [ "$n_json" -ge 36 ]; then
	ok "results.json: Gradescope's keys and types, and the table's score, in all $n_json"
else
	bad "results.json ($n_json files)" "$bad_json"
fi

# ---- TAP 14 ------------------------------------------------------------------------------
tap=$(cat "$TMP/tap.out")
ntests=$(printf '%s\n' "$tap" | grep -cE '^(not )?ok [0-9]+ - ')
if [ "$(printf '%s\n' "$tap" | head -1)" = "TAP version 14" ] &&
	printf '%s\n' "$tap" | grep -qx '1\.\.3' && [ "$ntests" = 3 ] &&
	printf '%s\n' "$tap" | grep -q '^not ok 1 - bad: ' &&
	printf '%s\n' "$tap" | grep -q '^ok 2 - good: ' &&
	printf '%s\n' "$tap" | grep -q '^  ---$' && printf '%s\n' "$tap" | grep -q '^  \.\.\.$' &&
	printf '%s\n' "$tap" | grep -qx '# score 5/6' && grep -q '^Score: 5/6' "$TMP/tap.err"; then
	ok "--tap: TAP 14 on standard output (3 points, YAML blocks), the table on standard error"
else
	bad "--tap" "$tap"
fi

# ---- integrity ---------------------------------------------------------------------------
if [ "$(score_of pass)" = "0/4" ] && [ "$(grep -c '^Score:' "$TMP/pass.out")" = 1 ] &&
	! grep -q 'PASS' "$TMP/pass.out" &&
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(r["score"] != 0 or any(t["status"] != "failed" for t in r["tests"]))' "$TMP/pass.json"; then
	ok "printing PASS and a fake score earns nothing (0/4, every test failed)"
else
	bad "a solution printing PASS" "$(cat "$TMP/pass.out")"
fi
out=$(cat "$TMP/refused.out")
for want in "lab: refused: a graded solution cannot change the lab's set-up" \
	"read: refused: a graded solution reads and writes files in its own directory only: '..' is not allowed" \
	"read: refused: a graded solution reads and writes files in its own directory only: give a name without a leading '/'" \
	"capture: refused:" "tcp: refused:" "exercise: refused: lessons and exercises are not open to a graded solution"; do
	if printf '%s\n' "$out" | grep -qF -- "$want"; then ok "refused: ${want:0:60}"; else bad "not refused: $want" "$out"; fi
done
scratch=$(sed -n "s/^wirewalk grade: the solution's directory: //p" "$TMP/refused.err")
if [ "$(score_of refused)" = "3/4" ] && [ ! -e "$TMP/escaped.pcap" ] && [ ! -e "$TMP/escaped.bin" ] &&
	[ -n "$scratch" ] && [ -s "$scratch/inside.pcap" ] && [ -s "$scratch/output.log" ]; then
	ok "refused commands are skipped, the rest graded (3/4); files only in the scratch directory"
else
	bad "refused solution: score '$(score_of refused)', scratch '$scratch'" "$out"
fi
[ -n "$scratch" ] && rm -rf "$scratch"
out=$(cat "$TMP/slow.out")
if [ "$(score_of slow)" = "2/5" ] && printf '%s\n' "$out" | grep -q 'stopped at the time limit (2 s)' &&
	$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(not 1.5 < r["execution_time"] < 6)' "$TMP/slow.json"; then
	ok "a solution past its time limit is stopped and graded on what it did (2/5)"
else
	bad "the time limit" "$out$(cat "$TMP/slow.err")"
fi
for id in unknown quote broken; do
	rc=$(cat "$TMP/$id.rc")
	case $id in
	unknown) want="$TMP/unknown.ww:2: unknown command 'echo'" ;;
	quote) want="$TMP/quote.ww:1: unterminated quote" ;;
	broken) want="$TMP/broken.md:5: " ;;
	esac
	if [ "$rc" = 2 ] && grep -qF -- "$want" "$TMP/$id.err" && [ ! -e "$TMP/$id.json" ] &&
		[ ! -s "$TMP/$id.out" ]; then
		ok "malformed $id: exit 2, '$(head -1 "$TMP/$id.err" | cut -c1-70)', no results.json"
	else
		bad "malformed $id (exit $rc)" "$(cat "$TMP/$id.out" "$TMP/$id.err")"
	fi
done

# ---- exercises read as lessons too: --auto plays each task's Solution: lines -------------------
# (each task's evidence there starts with the task, so every task stands
# on its own Solution: lines)
for e in "$EX"/*.md; do
	"$WW" lesson "$e" --auto --lab tgrade >"$TMP/auto.out" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		ok "$(basename "$e" .md) plays as a lesson (--auto)"
	else
		bad "$(basename "$e" .md) --auto (exit $rc)" "$(tail -5 "$TMP/auto.out")"
	fi
done
"$WW" lab down --lab tgrade >/dev/null 2>&1

# ---- every lab came down -------------------------------------------------------------------
labs_after=$(ls /run/wirewalk 2>/dev/null | grep '^g' | sort)
left=$(comm -13 <(printf '%s\n' "$labs_before") <(printf '%s\n' "$labs_after") | grep . || true)
if [ -z "$left" ]; then ok "every grader's lab came down"; else bad "labs left up: $left"; fi

echo "test_grade: $pass passed, $fail failed"
[ $fail -eq 0 ]
