#!/bin/sh
# t0430-ics-two-threads.sh - an .ics file of 4 MiB or more is pre-scanned by two threads, a half
# each (src/sources/icsfile.c); CALCHECK_ONE_THREAD=1 keeps one. On a generated 6 MB calendar
# whose series have overrides in the other half of the file, defects on both sides and a
# VTIMEZONE at the end, both runs must write the same CalCheck.log (timestamps aside),
# CalCheckErr.csv, CALCHECK.CSV and -F files, and the input must stay unchanged.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }

awk 'BEGIN {
    n = 12000
    printf "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//t0430//EN\r\n"
    for (i = 0; i < n; i++) {
        d = sprintf("2026%02d%02d", i % 12 + 1, i % 28 + 1)
        printf "BEGIN:VEVENT\r\nUID:ev-%d@t0430\r\nDTSTAMP:20260101T000000Z\r\n", i
        printf "DTSTART;TZID=Late/Zone:%sT090000\r\n", d
        if (i % 997 == 5)
            printf "DTEND;TZID=Late/Zone:%sT080000\r\n", d          # 0213 on both halves
        else
            printf "DTEND;TZID=Late/Zone:%sT100000\r\n", d
        printf "SUMMARY:Meeting %d with a summary long enough to fold over the se\r\n venty-five octet line\r\n", i
        printf "ORGANIZER;CN=Boss:mailto:boss@example.com\r\nATTENDEE;CN=A:mailto:a%d@example.com\r\n", i
        if (i % 50 == 0) printf "RRULE:FREQ=WEEKLY;COUNT=20\r\n"
        printf "DESCRIPTION:padding padding padding padding padding padding padding pad\r\n"
        printf "END:VEVENT\r\n"
        if (i % 50 == 25 && i >= 6000) {
            # an override of a series that began in the first half
            j = i - 6025
            dj = sprintf("2026%02d%02d", j % 12 + 1, j % 28 + 1)
            printf "BEGIN:VEVENT\r\nUID:ev-%d@t0430\r\nDTSTAMP:20260101T000000Z\r\n", j
            printf "RECURRENCE-ID;TZID=Late/Zone:%sT090000\r\n", dj
            printf "DTSTART;TZID=Late/Zone:%sT110000\r\nDTEND;TZID=Late/Zone:%sT120000\r\n", dj, dj
            printf "SUMMARY:Moved %d\r\nEND:VEVENT\r\n", j
        }
    }
    printf "BEGIN:VTIMEZONE\r\nTZID:Late/Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
    printf "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    printf "END:VCALENDAR\r\n"
}' >"$tmp/big.ics"
size=$(wc -c <"$tmp/big.ics")
[ "$size" -ge 4194304 ] && ok "generated a calendar of $size bytes (two-thread scan applies)" ||
    nok "calendar of $size bytes is under 4 MiB"
sum=$(cksum <"$tmp/big.ics")

CALCHECK_ONE_THREAD=1 "$cc" --now 2026-11-25 -A -F -O "$tmp/one" "$tmp/big.ics" >"$tmp/one.out" 2>&1
rc1=$?
"$cc" --now 2026-11-25 -A -F -O "$tmp/two" "$tmp/big.ics" >"$tmp/two.out" 2>&1
rc2=$?
[ $rc1 -eq 1 ] && [ $rc2 -eq 1 ] && ok "both runs find problems (exit 1)" || nok "exit $rc1 / $rc2"
grep -q 'ERROR 0213' "$tmp/one/CalCheck.log" && ok "the defects are found" || nok "no 0213 in the log"
strip() { sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} //; s#'"$tmp"'/(one|two)#OUT#g' "$1"; }
strip "$tmp/one/CalCheck.log" >"$tmp/one.log"
strip "$tmp/two/CalCheck.log" >"$tmp/two.log"
if cmp -s "$tmp/one.log" "$tmp/two.log"; then
    ok "CalCheck.log: one and two threads agree"
else
    nok "CalCheck.log differs"
    diff "$tmp/one.log" "$tmp/two.log" | head -5 | sed 's/^/#   /'
fi
for f in CalCheckErr.csv CALCHECK.CSV CalCheck/big.flagged.ics CalCheck/big.clean.ics \
    CalCheck/flagged.ics CalCheck/clean.ics; do
    [ -e "$tmp/one/$f" ] || [ -e "$tmp/two/$f" ] || continue
    cmp -s "$tmp/one/$f" "$tmp/two/$f" && ok "$f: one and two threads agree" || nok "$f differs"
done
# Every series with an override in the other half is one item with its exception.
items=$(sed -n 's/.*Totals: \([0-9]*\) items.*/\1/p' "$tmp/two/CalCheck.log")
[ "$items" = 12000 ] && ok "12,000 items: every override joined its master" ||
    nok "$items items (want 12000)"
[ "$(cksum <"$tmp/big.ics")" = "$sum" ] && ok "input unchanged" || nok "input changed"
