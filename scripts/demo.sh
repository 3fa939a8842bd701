#!/bin/sh
# scripts/demo.sh - `make demo`: builds a sample calendar with the project's
# own fixture writer (clean items plus one damaged item per kind of problem),
# checks it with calcheck, and says where the reports went. Writes only under
# demo-out/.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
out=demo-out
rm -rf "$out"
mkdir -p "$out/calendar" "$out/reports"
mk() { "$BUILD/tools/mkmsg" "$1" "$out/calendar/$2.msg" || exit 1; }
for s in tests/fixtures/checks/clean/*.spec; do
    [ -f "$s" ] && mk "$s" "clean-$(basename "$s" .spec)"
done
# One damaged item per family of checks (their fixtures from the test suite).
for id in 0001 0013 0016 0027 0030 0034 0041 0050 0055 0056 0059 0062 0101 0140; do
    [ -f "tests/fixtures/checks/$id.spec" ] && mk "tests/fixtures/checks/$id.spec" "damaged-$id"
done
for d in tests/fixtures/checks/0049; do
    [ -d "$d" ] && for s in "$d"/*.spec; do mk "$s" "dup-$(basename "$s" .spec)"; done
done
n=$(ls "$out/calendar" | wc -l)
echo "calcheck demo: a sample calendar of $n Outlook items in $out/calendar/"
echo
./calcheck --now 2026-11-25 -A -O "$out/reports" "$out/calendar"
rc=$?
echo
echo "Exit status $rc (0 clean, 1 problems found, 2 could not run)."
echo "First findings from $out/reports/CalCheck.log:"
grep -E ' (ERROR|WARNING) [0-9]{4}: ' "$out/reports/CalCheck.log" | cut -c21- | head -12
echo
echo "Read:  $out/reports/CalCheck.log       (problems, with what to do)"
echo "       $out/reports/CalCheckErr.csv    (one row per problem item)"
echo "       $out/reports/CALCHECK.CSV       (every item, from -A)"
echo "Try:   ./calcheck dump $out/calendar/damaged-0013.msg | less"
exit 0
