#!/bin/sh
# t0310-check-golden.sh - the checker's reports on the sample calendar
# (scripts/sample-calendar.sh) as of 2026-11-25: CalCheck.log without its
# timestamps, CalCheckErr.csv and CALCHECK.CSV, compared byte for byte with the
# reviewed files in tests/golden/check/. After a deliberate change regenerate
# with UPDATE_GOLDEN=1 sh tests/cli/t0310-check-golden.sh and review the diff.
set -u
BUILD=${BUILD:-build}
top=$(pwd)
gold=$top/tests/golden/check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
BUILD=$BUILD sh scripts/sample-calendar.sh "$tmp/calendar" || { echo "not ok - sample calendar builds"; exit 0; }
(cd "$tmp" && "$top/$BUILD/calcheck" --now 2026-11-25 -A -O out calendar >stdout 2>&1; echo "exit $?" >>stdout)
# Timestamps are the only thing that changes between runs: "YYYY-MM-DD HH:MM:SS ".
sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} //' "$tmp/out/CalCheck.log" >"$tmp/CalCheck.log"
cp "$tmp/out/CalCheckErr.csv" "$tmp/out/CALCHECK.CSV" "$tmp/"
mkdir -p "$gold"
for f in CalCheck.log CalCheckErr.csv CALCHECK.CSV stdout; do
    [ "${UPDATE_GOLDEN:-0}" = 1 ] && cp "$tmp/$f" "$gold/$f"
    if cmp -s "$tmp/$f" "$gold/$f"; then
        echo "ok - $f of the sample calendar matches the golden file"
    else
        echo "not ok - $f of the sample calendar matches the golden file"
        diff "$gold/$f" "$tmp/$f" 2>&1 | head -20 | sed 's/^/#   /'
    fi
done
