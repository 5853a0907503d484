#!/bin/bash
# Lesson 6 (the TCP handshake) played by a person, in a terminal of 14
# rows under tmux: the prose pages with a "-- more --" prompt (Enter goes
# on, q stops), `next` walks the steps, `hint` gives the next hint each
# time, `check` before anything was sent says none was, a wrong attempt
# (an ACK where a SYN belongs) gets feedback naming what differs, the
# right one passes, and the progress is kept and shown by `lesson list`.
# Run as root: tests/lab/test_lesson_tmux.sh [path/to/wirewalk]
LAB=lst
. "$(dirname "$0")/live_common.sh"
LESSONS=$(cd "$(dirname "$0")/../../lessons" && pwd)
LESSON=$LESSONS/06-tcp-handshake.md
[ -f "$LESSON" ] || { echo "$NAME: no lesson 06 at $LESSON"; exit 2; }

# The screen with wrapped lines joined, as the lines were printed.
joined() { tm capture-pane -p -J -S -200 -t live 2>/dev/null; }
joined_has() { joined | grep -Fq -- "$1"; }
type_line() { tm send-keys -t live -l "$1"; tm send-keys -t live Enter; }
# Wait for the prompt to come back after a command, answering any
# "-- more --" with KEY (Enter or q).
settle() {
	local key=${1:-Enter} tries=100
	while [ $tries -gt 0 ]; do
		if last_line | grep -q -- '-- more --'; then
			[ "$key" = q ] && tm send-keys -t live -l q
			tm send-keys -t live Enter
		elif last_line_is "wirewalk>"; then
			return 0
		fi
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

"$WW" lab down --lab $LAB >/dev/null 2>&1
mkdir -p "$TMP/data"
tm new-session -d -s live -x 100 -y 14 \
	"exec env HOME=$TMP XDG_DATA_HOME=$TMP/data WIREWALK_LESSONS=$LESSONS TERM=xterm $WW --color off --lab $LAB"
if until_ok 20 screen_has "wirewalk>"; then
	ok "the prompt comes up in lab $LAB"
else
	bad "no prompt within 20 s" "$(screen)"
	finish
fi
type_line "set view off"
settle

# --- the prose pages --------------------------------------------------------
type_line "lesson start 6"
if until_ok 5 eval 'last_line | grep -q -- "-- more -- (Enter: go on, q: stop)"'; then
	ok "a step longer than the terminal stops at a '-- more --' prompt"
else
	bad "no '-- more --' prompt" "$(screen)"
fi
expect "the step begins with the lesson's title and place" \
	"── 06 · The TCP handshake · step 1 of 9 ──" "$(joined)"
refuse "the rest is not shown yet" "'next': step 2 of 9" "$(joined)"
rows=$(screen | wc -l)
[ "$rows" -le 14 ] && ok "the page fits the 14 rows ($rows)" || bad "the page has $rows rows"
tm send-keys -t live Enter
if settle Enter && joined_has "('next': step 2 of 9)"; then
	ok "Enter shows the rest of the step, and the prompt comes back"
else
	bad "the rest of the step did not come" "$(joined)"
fi

# --- next, with q at the pager ---------------------------------------------
for step in 2 3 4 5 6; do
	type_line "next"
	settle q || bad "no prompt after 'next' to step $step" "$(screen)"
done
expect "'next' walked to step 6, the handshake by hand" "step 6 of 9: A handshake by hand" "$(joined)"
expect "q at the pager skips to the step's footer" "\('next': step 7 of 9, 'back': the one before\)" "$(joined)"
expect "the step shows its task" "Task syn: Send a SYN by hand to 192\.0\.2\.10 port 80 with sequence number 1000" "$(joined)"

# --- hints, one at a time ---------------------------------------------------
type_line "hint"
settle
expect "the first hint" "Hint 1 of 2 for syn: Use sr1 with ip\(\.\.\.\)/tcp\(\.\.\.\)" "$(joined)"
refuse "only the first" "Hint 2 of 2" "$(joined)"
type_line "hint"
settle
expect "'hint' again gives the next one" "Hint 2 of 2 for syn: In tcp\(\.\.\.\) set dport=80, flags=S and seq=1000\." "$(joined)"

# --- check before anything, a wrong attempt, the right one ------------------
type_line "check"
settle
expect "before anything was sent: none was" \
	"expected a frame sent with tcp.flags == S and tcp.seq == 1000 and ip.dst == 192.0.2.10 and tcp.dstport == 80; none was sent" "$(joined)"
expect "and nothing received" "expected a frame received with tcp.flags == SA and tcp.ack == 1001; none was received" "$(joined)"

tm send-keys -t live C-l
type_line "sr1 ip(dst=192.0.2.10)/tcp(dport=80, flags=A, seq=1000)"
settle
type_line "check"
settle
expect "a wrong attempt: the SYN flag expected, the ACK seen" \
	"expected tcp.flags == S \(SYN\), saw 0x010 \(ACK\) in \\\$[0-9]+ \(the nearest of [0-9]+ sent\)" "$(joined)"
expect "the check's feedback follows" "→ The segment must carry only the SYN flag \(flags=S\)" "$(joined)"
expect "what came back was a RST, not a SYN-ACK" \
	"expected tcp.flags == SA \(SYN, ACK\), saw 0x004 \(RST\); expected tcp.ack == 1001, saw 0 in" "$(joined)"
expect "and it says so" "Not yet: 2 of 2 checks fail" "$(joined)"

tm send-keys -t live C-l
type_line "sr1 ip(dst=192.0.2.10)/tcp(dport=80, flags=S, seq=1000)"
settle
type_line "check"
settle
expect "the right attempt passes both checks" "✓ received tcp.flags == SA and tcp.ack == 1001" "$(joined)"
expect "the task is done" "Task syn done\. 'next' goes on\." "$(joined)"

# --- progress -------------------------------------------------------------------
prog=$(cat "$TMP/data/wirewalk/progress" 2>/dev/null)
[ "$prog" = "$(printf '06-tcp-handshake\t5\tsyn')" ] && ok "progress is kept: step 6, task syn done" ||
	bad "progress file" "$prog"
tm send-keys -t live C-l
type_line "lesson list"
settle
expect "'lesson list' shows the lesson and its progress" \
	"^  06-tcp-handshake +06 · The TCP handshake +15 min  1/5 tasks done" "$(joined)"
type_line "quit"
until_ok 5 eval '! tm has-session -t live 2>/dev/null' && ok "quit leaves" || bad "still running"

finish
