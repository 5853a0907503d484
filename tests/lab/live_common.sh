# Sourced by tests/lab/test_live_*.sh: the live shell against a lab of the
# test's own (LAB, set before sourcing), driven through tmux where a
# terminal is needed. Every test removes its lab, its tmux server and its
# files at exit.
set -u
WW=$(realpath -- "${1:-./wirewalk}")
NAME=$(basename "$0" .sh)
PEER="ip netns exec ww-$LAB-peer"
TMUX_SOCK="ww-$LAB"
TMP=$(mktemp -d)
pass=0
fail=0

if [ "$(id -u)" != 0 ]; then
	echo "$NAME: SKIP (needs root: network namespaces)"
	exit 77
fi
for tool in ip tmux python3 ping; do
	command -v $tool >/dev/null || { echo "$NAME: SKIP ($tool missing)"; exit 77; }
done
[ -x "$WW" ] || { echo "$NAME: no program at $WW"; exit 2; }

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     | /'; }
# expect NAME PATTERN TEXT: passes when TEXT matches the extended regex.
expect() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else bad "$1" "expected /$2/ in:
$3"; fi; }
# refuse NAME PATTERN TEXT: passes when TEXT does not match.
refuse() { if printf '%s\n' "$3" | grep -Eq -- "$2"; then bad "$1" "did not expect /$2/ in:
$3"; else ok "$1"; fi; }

cleanup() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	"$WW" lab down --lab "$LAB" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

finish() {
	echo "$NAME: $pass passed, $fail failed"
	[ $fail = 0 ]
	exit $?
}

# until SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds.
until_ok() {
	local tries=$(($1 * 10)); shift
	while [ $tries -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# ---- the interactive shell in tmux --------------------------------------

tm() { tmux -L "$TMUX_SOCK" "$@"; }
# The screen as a person sees it, trailing blank lines dropped.
screen() { tm capture-pane -p -t live 2>/dev/null | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }
last_line() { screen | tail -n 1; }
screen_has() { screen | grep -Fq -- "$1"; }
screen_count() { screen | grep -Fc -- "$1"; }
last_line_is() { [ "$(last_line)" = "$1" ]; }
cursor() { tm display -p -t live '#{cursor_x},#{cursor_y}'; }
# The row of the last non-blank line (0-based), where the cursor should be.
last_row() { echo $(($(screen | wc -l) - 1)); }

# start_shell [ARGS...]: wirewalk at a prompt in a 160x50 terminal, with a
# history file of the test's own. PREFIX (a command, e.g. capsh) may wrap it.
start_shell() {
	local prefix=${PREFIX:-}
	tm new-session -d -s live -x 160 -y 50 \
		"exec env HOME=$TMP TERM=xterm $prefix $WW --color off $*"
	SHELL_PID=$(tm display -p -t live '#{pane_pid}')
}

# The pid of the wirewalk process in the pane (capsh may sit in between).
shell_pid() {
	local p=$SHELL_PID
	for _ in 1 2 3; do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = wirewalk ] && { echo $p; return; }
		p=$(pgrep -P $p | head -n 1)
		[ -n "$p" ] || break
	done
	echo "$SHELL_PID"
}

# "CapEff:\t0000000000000000" etc. of PID.
cap_line() { grep -E "^$2:" /proc/$1/status | tr -d '\t' | sed 's/:/: /'; }
