#!/bin/sh
# Run every lab test (tests/lab/test_*.sh) against WIREWALK, one after the
# other; each brings up a lab of its own name and takes it down. A test
# exits 77 when it cannot run here (not root), which counts as skipped.
set -u
bin=${1:-./wirewalk}
here=$(dirname "$0")
failed=""
for t in "$here"/test_*.sh; do
	name=$(basename "$t" .sh)
	start=$(date +%s)
	"$t" "$bin"
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) echo "lab test $name: passed (${secs} s)" ;;
	77) echo "lab test $name: skipped (needs root)" ;;
	*) echo "lab test $name: FAILED (exit $rc, ${secs} s)"; failed="$failed $name" ;;
	esac
done
if [ -n "$failed" ]; then
	echo "lab tests failed:$failed"
	exit 1
fi
