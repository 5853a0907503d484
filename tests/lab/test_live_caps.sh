#!/bin/bash
# Capabilities: wirewalk checks for what it needs before anything else,
# says which are missing and how to get them, and once its packet socket
# is open in the lab it holds none (CapEff: 0000000000000000 in
# /proc/PID/status, and every other set empty) — at the prompt and in
# batch mode. Run as root: tests/lab/test_live_caps.sh [path/to/wirewalk]
LAB=t9c
. "$(dirname "$0")/live_common.sh"

ZERO=0000000000000000
# all_caps_gone PID: every capability set empty, no_new_privs on.
all_caps_gone() {
	local pid=$1 left=""
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(cap_line "$pid" $set)" = "$set: $ZERO" ] || left="$left $(cap_line "$pid" $set)"
	done
	grep -Eq "^NoNewPrivs:\s+1$" /proc/$pid/status || left="$left no_new_privs-off"
	[ -z "$left" ] || { echo "left:$left"; return 1; }
}
client_ns=""
in_client_ns() { [ "$(stat -L -c %i /proc/$1/ns/net 2>/dev/null)" = "$client_ns" ]; }

"$WW" lab down --lab $LAB >/dev/null 2>&1

# --- at the prompt: the shell brings the lab up, enters it, drops all ----
start_shell --lab $LAB
until_ok 20 screen_has "wirewalk>" || { bad "no prompt within 20 s" "$(screen)"; finish; }
expect "the shell brought the lab up and went live in it" "^live on eth0 in lab $LAB" "$(screen)"
client_ns=$(stat -L -c %i /run/netns/ww-$LAB-client 2>/dev/null)
pid=$(shell_pid)
in_client_ns "$pid" && ok "the shell runs in the lab's client namespace" ||
	bad "the shell is not in ww-$LAB-client"
[ "$(cap_line "$pid" CapEff)" = "CapEff: $ZERO" ] && ok "after start-up: CapEff: $ZERO" ||
	bad "after start-up: $(cap_line "$pid" CapEff)"
out=$(all_caps_gone "$pid") && ok "no capability in any set, no_new_privs on" || bad "capabilities left" "$out"
# The socket opened before the drop still works after it. (Just after
# `lab up` the bridge may take a moment to forward: the peer pings again.)
broadcast_seen() {
	$PEER ping -b -c 1 -W 0.3 192.168.1.255 >/dev/null 2>&1
	screen_has "← 192.168.1.7 > 192.168.1.255: ICMP echo request"
}
until_ok 5 broadcast_seen &&
	ok "frames still arrive after the drop" || bad "no frame arrived after the drop" "$(screen)"
tm send-keys -t live C-d
until_ok 5 eval '! kill -0 '"$pid"' 2>/dev/null' || bad "the shell did not leave"

# --- batch: capabilities go when the first network command opens the link
"$WW" --lab $LAB -c 'wait 3' >"$TMP/batch.out" 2>&1 &
bpid=$!
if until_ok 3 in_client_ns $bpid; then
	sleep 0.2 # the namespace is entered just before the socket opens and the drop
	out=$(all_caps_gone $bpid) && ok "batch mode (-c): CapEff: $ZERO once the link is open" ||
		bad "batch mode kept capabilities" "$out"
else
	bad "the batch run never entered the lab" "$(cat "$TMP/batch.out")"
fi
wait $bpid && ok "the batch run exits 0" || bad "the batch run failed" "$(cat "$TMP/batch.out")"

# --- missing capabilities: named, with the way to get them ---------------
if command -v capsh >/dev/null; then
	out=$(capsh --drop=cap_net_raw -- -c "$WW --lab $LAB -c 'wait 0.1'" 2>&1); rc=$?
	[ $rc != 0 ] && ok "without CAP_NET_RAW a network command fails (exit $rc)" ||
		bad "without CAP_NET_RAW it exited 0" "$out"
	expect "the message names CAP_NET_RAW and why" "needs CAP_NET_RAW \(to open a packet socket\)" "$out"
	refuse "... and only what is missing" "CAP_SYS_ADMIN \(" "$out"
	expect "... and says how to get it" "run it as root .*setcap cap_net_raw,cap_sys_admin,cap_net_admin\+ep" "$out"
	out=$(capsh --drop=cap_net_raw,cap_sys_admin,cap_net_admin -- -c "$WW --lab $LAB -c 'wait 0.1'" 2>&1)
	expect "with none of them, all three are named" "CAP_NET_RAW .*, CAP_SYS_ADMIN .* and CAP_NET_ADMIN" "$out"
	out=$(capsh --drop=cap_net_raw -- -c "$WW --lab $LAB -c 'help wait; wait 0.1'" 2>/dev/null)
	expect "commands before the network one still ran" "^wait SECONDS" "$out"

	# At the prompt without the capabilities: offline, with none left.
	tm kill-server 2>/dev/null
	tm new-session -d -s live -x 160 -y 50 \
		"exec env HOME=$TMP capsh --drop=cap_net_raw -- -c 'exec $WW --color off --lab $LAB'"
	SHELL_PID=$(tm display -p -t live '#{pane_pid}')
	until_ok 10 screen_has "wirewalk>" || bad "no prompt without CAP_NET_RAW" "$(screen)"
	expect "without CAP_NET_RAW the prompt says it is offline and why" \
		"offline: wirewalk needs CAP_NET_RAW" "$(screen)"
	pid=$(shell_pid)
	out=$(all_caps_gone "$pid") && ok "offline at the prompt: no capability left either" ||
		bad "offline prompt kept capabilities" "$out"
	tm send-keys -t live C-d
fi
finish
