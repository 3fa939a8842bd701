#!/bin/sh
# scripts/demo.sh - `make demo`: builds a sample calendar with the project's
# own fixture writer (scripts/sample-calendar.sh: clean items plus one damaged
# item per family of checks),
# checks it with calcheck, and says where the reports went. Writes only under
# demo-out/.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
out=demo-out
rm -rf "$out"
mkdir -p "$out/calendar" "$out/reports"
BUILD=$BUILD sh scripts/sample-calendar.sh "$out/calendar" || exit 1
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

# The same for an iCalendar export, with -F: flagged and clean calendars.
echo
sh scripts/sample-ics.sh "$out/calendar.ics" || exit 1
echo "calcheck demo: a sample iCalendar file, $out/calendar.ics, checked with -F:"
echo
./calcheck --now 2026-11-25 -F -O "$out/reports-ics" "$out/calendar.ics"
echo
grep -E ' (ERROR|WARNING) [0-9]{4}: ' "$out/reports-ics/CalCheck.log" | cut -c21- | head -8
echo
echo "Read:  $out/reports-ics/CalCheck.log   (each finding with its line:column)"
echo "       $out/reports-ics/CalCheck/flagged.ics and clean.ics (the input, split; unchanged)"
exit 0
