#!/bin/bash
# Faults on both sides of the lab, against real peers, without TCP:
#  - `set fault` between our link and our stack: seeded (the same seed
#    loses the same pings, run after run), one direction or both, every
#    fault an event (text and --json), corruption caught by the stack's
#    checksums, the capture showing the wire (not what the injector did);
#  - `lab impair` on the router: nftables rules (this kernel has no netem)
#    that lose and duplicate the LAN peer's pings, refusals for what
#    nftables cannot do, `lab status` showing what is in force, `off`;
#  - the packet list bounded by `set capture.keep`, and `set view off`.
# Run as root: tests/lab/test_faults.sh [path/to/wirewalk]
LAB=t15f
TOOLS="ping nft timeout"
. "$(dirname "$0")/lab_common.sh"
# run ARGS...: wirewalk in the lab, bounded in time.
run() { timeout 60 "$WW" --lab $LAB --color off "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }
run -c 'arp who-has 192.168.1.1' # the first frames of a fresh lab may be lost

# --- our side: seeded drops ------------------------------------------------
# Frames sent are dropped with a chance of 0.3: the Nth frame sent meets
# the same fate with the same seed. Which frame is the Nth depends on what
# the peers ask when (the router's ARP probes): the fates, read from the
# event stream in order (S: sent, D: dropped), are what must repeat.
fates() { sed -n -e 's/^{"event":"sent",.*/S/p' \
	-e 's/^{"event":"fault",.*"reason":"fault.drop","text":"drop: a frame being sent.*/D/p' |
	tr -d '\n'; }
lost_seqs() { sed -n 's/^no answer for icmp_seq=\([0-9]*\)$/\1/p' | tr '\n' ' '; }
PINGS='ping -i 0.02 -W 0.3 192.168.1.1 40'
run --json -c "set fault drop=0.3 dir=tx seed=7; $PINGS"
f7a=$(printf '%s\n' "$out" | fates)
lost7=$(printf '%s\n' "$out" | sed -n 's/.*"output":"\(.*\)"}$/\1/p' | sed 's/\\u000a/\n/g' | lost_seqs)
run --json -c "set fault drop=0.3 dir=tx seed=7; $PINGS"
f7b=$(printf '%s\n' "$out" | fates)
run --json -c "set fault drop=0.3 dir=tx seed=8; $PINGS"
f8=$(printf '%s\n' "$out" | fates)
n7=$(printf '%s' "$f7a" | tr -cd D | wc -c)
[ "${#f7a}" -ge 40 ] && [ "$n7" -ge 4 ] && [ "$n7" -le 25 ] &&
	ok "drop=0.3: $n7 of the first ${#f7a} frames sent were dropped" || bad "drop=0.3: fates $f7a" "$out"
n=$(( ${#f7a} < ${#f7b} ? ${#f7a} : ${#f7b} ))
same "the same seed drops the same frames: the Nth sent, for every N" "${f7a:0:$n}" "${f7b:0:$n}"
[ "${f7a:0:40}" != "${f8:0:40}" ] && ok "another seed drops others" || bad "seeds 7 and 8 gave the same fates: $f8"
[ "$(echo $lost7 | wc -w)" -ge 1 ] && ok "... and pings go unanswered ($lost7)" || bad "no ping lost" "$out"

# A seed chosen for the person is shown, and repeats the run.
run --json -c "set fault drop=0.3 dir=tx; $PINGS"
seed=$(sed -n 's/.*"output":"fault: seed \([0-9]*\) .*/\1/p' "$TMP/out")
fx=$(printf '%s\n' "$out" | fates)
[ -n "$seed" ] && ok "an unseeded run says its seed ($seed)" || bad "no seed shown" "$out"
run --json -c "set fault drop=0.3 dir=tx seed=$seed; $PINGS"
fy=$(printf '%s\n' "$out" | fates)
n=$(( ${#fx} < ${#fy} ? ${#fx} : ${#fy} ))
same "... and that seed repeats it" "${fx:0:$n}" "${fy:0:$n}"
drops=$(printf '%s\n' "$out" | grep -c '"reason":"fault.drop"')
same "each drop is an event of its own" "$(printf '%s' "$fy" | tr -cd D | wc -c)" "$drops"

# The capture is the wire: what was dropped is not in it.
run --pcap "$TMP/drop.pcap" --json -c "set fault drop=0.3 dir=tx seed=7; $PINGS"
fz=$(printf '%s\n' "$out" | fates)
sent=$(tshark -r "$TMP/drop.pcap" -Y 'eth.src == 02:00:00:00:00:05' 2>/dev/null | wc -l)
same "the capture holds the frames that went out, not those dropped" \
	"$(printf '%s' "$fz" | tr -cd S | wc -c)" "$sent"

# --- our side: corruption, duplicates, JSON ---------------------------------
# Every received frame gets one bit flipped: the stack's checks catch each
# one somewhere (a MAC no longer ours, a bad checksum, a bad version...).
run --json -c 'set fault corrupt=1 dir=rx seed=3; ping -W 0.3 192.0.2.10 5'
corrupt=$(printf '%s\n' "$out" | grep -c '"event":"fault","time":[0-9.]*,"frame":[0-9]*,"reason":"fault.corrupt"')
[ "$corrupt" -ge 1 ] && ok "corrupt=1: $corrupt received frames corrupted, each a fault event with its frame number" ||
	bad "no corruption reported" "$out"
expect "the event says which bit of which byte" '"text":"corrupt: bit [0-7] of byte [0-9]+ flipped in received frame [0-9]+ \(0x[0-9a-f]{2} -> 0x[0-9a-f]{2}\)"' "$out"
refuse "no corrupted echo reply is taken for an answer" '^64 bytes from' "$out"

run -c 'set view off; set fault dup=1 dir=rx seed=1; ping -i 0.05 192.0.2.10 3'
same "dup=1: every reply reaches the stack twice" 3 "$(printf '%s\n' "$out" | grep -Ec 'icmp_seq=[0-9]+ .*\(\+1 duplicate\)')"

# --- the packet list and the views ------------------------------------------
run -c 'set view off; ping -i 0.01 192.168.1.1 20; packets'
refuse "set view off: no frame is printed" '→ 192\.168\.1\.5 > 192\.168\.1\.1' "$(sed -n '1,/statistics/p' "$TMP/out")"
expect "... but the list has them" '192\.168\.1\.1 > 192\.168\.1\.5: ICMP echo reply' "$out"
run -c 'set view off; set capture.keep 5; ping -i 0.01 192.168.1.1 20; packets; show $3'
lines=$(printf '%s\n' "$out" | grep -c 'ICMP echo')
same "set capture.keep 5: the list keeps the last 5 frames" 5 "$lines"
expect "an older frame is no longer kept, and says so" 'frame \$3 is no longer kept: the packet list keeps \$[0-9]+ to \$[0-9]+' "$err"

# --- the router: lab impair by nftables ------------------------------------
out=$("$WW" lab impair loss=1 --lab $LAB 2>&1)
expect "lab impair loss=1: by nftables, and says so" 'router impaired, loss=1, by nftables .*no netem' "$out"
p=$($PEER ping -c 5 -i 0.05 -W 0.3 192.0.2.10 2>&1)
expect "loss=1: the peer's pings through the router are all lost" '5 packets transmitted, 0 received' "$p"
p=$($PEER ping -c 3 -i 0.05 -W 0.3 192.168.1.1 2>&1)
expect "... but the router itself still answers (only forwarding is impaired)" '3 received' "$p"
status=$("$WW" lab status --lab $LAB 2>&1)
expect "lab status shows it in force, with the count" 'in force: loss=1 on the router.s forwarding, by nftables .*: [1-9][0-9]* dropped' "$status"

out=$("$WW" lab impair loss=0 dup=1 --lab $LAB 2>&1)
expect "lab impair dup=1" 'router impaired, dup=1' "$out"
p=$($PEER ping -c 4 -i 0.05 192.0.2.10 2>&1)
# Both the request and the reply are copied: each request draws two replies
# from the server, each of them copied again.
expect "dup=1: the peer sees duplicates" '4 packets transmitted, 4 received, \+[0-9]+ duplicates' "$p"

out=$("$WW" lab impair loss=0.05 delay=10 --lab $LAB 2>&1); rc=$?
[ $rc = 1 ] && ok "delay without netem is refused (exit 1)" || bad "delay: exit $rc" "$out"
expect "... saying why" 'delay and reorder need netem, and this kernel has none \(CONFIG_NET_SCH_NETEM' "$out"
expect "... and what the earlier impairment still is" 'in force: dup=1' "$("$WW" lab status --lab $LAB 2>&1)"
out=$("$WW" lab impair loss=5 --lab $LAB 2>&1); rc=$?
[ $rc = 2 ] && ok "a chance over 1 is a usage error" || bad "loss=5: exit $rc" "$out"

# From the shell: before the network opens, it works; after, it says why not.
run -c 'lab impair off; lab impair; ping 192.168.1.1 1; lab impair loss=0.1'
expect "lab impair off from the shell" 'no impairment on the router' "$out"
expect "lab impair alone shows what is in force" 'impairment in force: none' "$out"
expect "once live, the shell says how to do it instead" 'gave up its capabilities .*wirewalk lab impair loss=0.1 --lab '$LAB "$err"
same "the nftables table is gone" "" "$($ROUTER nft list tables 2>/dev/null | grep wirewalk_impair)"

"$WW" lab impair loss=0.5 --lab $LAB >/dev/null 2>&1
"$WW" lab down --lab $LAB >/dev/null 2>&1
[ ! -e /run/netns/ww-$LAB-router ] && [ ! -e /run/wirewalk/$LAB ] && ok "lab down removes the lab with its impairment" ||
	bad "lab down left something"

finish
