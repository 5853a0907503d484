#!/bin/bash
# Frames print while a person types, and the half-typed line comes back
# intact: on the screen, with the cursor where it was, and in the line
# readline will run. The terminal is tmux (send-keys, capture-pane); the
# frames are the ARP requests and pings the LAN peer's kernel sends to
# 192.168.1.5. Run as root: tests/lab/test_live_tmux.sh [path/to/wirewalk]
LAB=t9t
. "$(dirname "$0")/live_common.sh"

"$WW" lab down --lab $LAB >/dev/null 2>&1
start_shell --lab $LAB
if until_ok 20 screen_has "wirewalk>"; then
	ok "the prompt comes up (the shell brought lab $LAB up)"
else
	bad "no prompt within 20 s" "$(screen)"
	finish
fi
expect "start-up says where it is live" "^live on eth0 in lab $LAB: 192\.168\.1\.5/24" "$(screen)"

# A frame from the peer: its kernel asks who has 192.168.1.5, then pings
# it (the stack answers both). Returns when the screen shows one more
# received frame.
peer_frame() {
	local before
	before=$(screen_count " ← ")
	$PEER ping -c 1 -W 1 192.168.1.5 >/dev/null 2>&1 &
	until_ok 5 eval '[ "$(screen_count " ← ")" -gt "$before" ]'
	local rc=$?
	wait
	sleep 0.3 # anything the same frame set off (a reply) prints too
	return $rc
}

# --- typed text at the end of the line -------------------------------------
tm send-keys -t live -l 'help se'
until_ok 5 last_line_is "wirewalk> help se" || bad "typed text did not show" "$(screen)"
if peer_frame; then
	ok "a frame arriving while a command is half typed is printed"
else
	bad "the peer's ARP request was not printed" "$(screen)"
fi
expect "it is printed as a received frame" "^[0-9]+ [0-9.]+ ← ARP, Request who-has 192\.168\.1\.5 tell 192\.168\.1\.7" "$(screen)"
if last_line_is "wirewalk> help se"; then
	ok "the prompt and the typed text are redrawn below it"
else
	bad "the typed line was not redrawn intact" "$(screen)"
fi
frame_row=$(screen | grep -n "who-has 192.168.1.5" | tail -n 1 | cut -d: -f1)
[ "$frame_row" -lt "$(screen | wc -l)" ] && ok "the frame comes above the prompt" ||
	bad "the frame is not above the prompt" "$(screen)"
want="17,$(last_row)"
[ "$(cursor)" = "$want" ] && ok "the cursor is back at the end of the typed text ($want)" ||
	bad "cursor at $(cursor), expected $want" "$(screen)"
tm send-keys -t live -l 't'
tm send-keys -t live Enter
if until_ok 5 screen_has "Settings:"; then
	ok "the line readline runs is the typed one plus what came after ('help set')"
else
	bad "'help set' did not run" "$(screen)"
fi

# --- the cursor in the middle of the line ---------------------------------
until_ok 5 last_line_is "wirewalk>" || bad "no fresh prompt" "$(screen)"
tm send-keys -t live -l 'hlp set'
tm send-keys -t live Home Right
until_ok 5 eval '[ "$(cursor)" = "11,$(last_row)" ]' || bad "could not place the cursor" "$(cursor)"
peer_frame || bad "the second frame was not printed" "$(screen)"
if last_line_is "wirewalk> hlp set" && [ "$(cursor)" = "11,$(last_row)" ]; then
	ok "a line edited in the middle comes back with the cursor where it was"
else
	bad "line or cursor moved: $(cursor)" "$(screen)"
fi
settings_before=$(screen_count "Settings:")
tm send-keys -t live -l 'e'
tm send-keys -t live Enter
if until_ok 5 eval '[ "$(screen_count "Settings:")" -gt "$settings_before" ]'; then
	ok "typing goes on at the cursor: 'hlp set' became 'help set'"
else
	bad "the edited line did not run as 'help set'" "$(screen)"
fi
refuse "nothing ran as 'hlp'" "unknown command 'hlp" "$(screen)"

# --- leaving ---------------------------------------------------------------
pid=$(shell_pid)
until_ok 5 last_line_is "wirewalk>"
tm send-keys -t live C-d
if until_ok 5 eval '! kill -0 '"$pid"' 2>/dev/null'; then
	ok "Ctrl-D at the prompt leaves the shell"
else
	bad "the shell is still running after Ctrl-D" "$(screen)"
fi
[ -s "$TMP/.wirewalk_history" ] && expect "the history file keeps the lines" "^help set$" \
	"$(cat "$TMP/.wirewalk_history")" || bad "no history file was written"
finish
