#!/bin/sh
# Run every libFuzzer target for SECONDS each, on a copy of its seed corpus
# (so new inputs found do not pile up in the repository). Any finding stops
# the run with the target's name and the crashing input kept in build-fuzz/.
set -eu
seconds=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
status=0
for bin in "$@"; do
	name=$(basename "$bin" | sed 's/^fuzz_//')
	work=build-fuzz/corpus-$name
	rm -rf "$work"; mkdir -p "$work"
	[ -d "$here/corpus/$name" ] && cp -r "$here/corpus/$name/." "$work/"
	printf 'fuzz %-8s %ss ... ' "$name" "$seconds"
	if "$bin" -max_total_time="$seconds" -max_len=4096 -artifact_prefix=build-fuzz/"$name"- \
		-print_final_stats=1 "$work" >build-fuzz/"$name".log 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' build-fuzz/"$name".log)
		echo "ok, $runs runs, no finding"
	else
		echo "FINDING (see build-fuzz/$name.log)"
		status=1
	fi
done
exit $status
