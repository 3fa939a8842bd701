#!/bin/sh
# tests/run.sh - runs every unit test binary and every CLI test script, counts
# "ok -" / "not ok -" lines, and ends with the closing line CI reads:
# "N passed, N failed". Exit status 1 when anything failed.
# CLI scripts (tests/cli/t*.sh) print the same ok/not ok lines.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    echo "# $t"
    "$t" >>"$log" 2>&1 || status=1
done
for t in tests/cli/t*.sh; do
    [ -f "$t" ] || continue
    echo "# $t"
    BUILD=$BUILD sh "$t" >>"$log" 2>&1 || status=1
done
grep -E '^(not ok|#   )' "$log"
passed=$(grep -c '^ok -' "$log")
failed=$(grep -c '^not ok -' "$log")
# A binary that crashed prints no "not ok" but fails: count it.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "not ok - a test program exited non-zero without reporting a failure"
    failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
