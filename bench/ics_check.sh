#!/bin/sh
# bench/ics_check.sh [N...] - end-to-end: calcheck checks a generated calendar of N VEVENTs
# with every check on (reports written), side by side with a small program that only parses
# the same file with libical (Debian libical-dev, icalparser_parse_string); both timed as whole
# processes (reading the file included), best of 3. Prints the throughput ratio and calcheck's
# peak memory against the file size. Default N: 100000 and 1000000.
# The calendar: an Outlook-style VTIMEZONE and IANA zone ids, TZID'd times, folded lines,
# escapes, an organizer and three attendees, an alarm, every 10th event a weekly series, every
# 50th series with an override. Work files go to $OUT (default bench/out/icscheck).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh bench || exit 1
OUT=${OUT:-bench/out/icscheck}
BUILD=${BUILD:-build}
mkdir -p "$OUT"
make --no-print-directory calcheck >/dev/null
[ $# -gt 0 ] || set -- 100000 1000000

gen() { # gen N FILE
    awk -v n="$1" 'BEGIN {
        printf "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//bench//EN\r\n"
        printf "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\n"
        printf "DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        printf "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
        printf "DTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        printf "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
        for (i = 0; i < n; i++) {
            tz = (i % 2) ? "W. Europe Standard Time" : "Europe/Paris"
            d = sprintf("2026%02d%02d", i % 12 + 1, i % 28 + 1)
            uid = sprintf("%08d-bench@calcheck.example", i)
            printf "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\nSEQUENCE:0\r\n", uid
            printf "DTSTART;TZID=\"%s\":%sT090000\r\nDTEND;TZID=\"%s\":%sT100000\r\n", tz, d, tz, d
            printf "SUMMARY:Meeting %d\\, room B\\; agenda\r\nLOCATION:Room %d\r\n", i, i % 40
            printf "DESCRIPTION:Line one\\nLine two with a rather long text that needs to be fol\r\n"
            printf " ded at seventy-five octets as RFC 5545 says\r\n"
            printf "ORGANIZER;CN=\"Boss, The\":mailto:boss@example.com\r\n"
            for (a = 1; a <= 3; a++)
                printf "ATTENDEE;CN=\"Doe; John %d\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=T\r\n RUE:mailto:j%d.%d@example.com\r\n", a, a, i
            if (i % 10 == 0) printf "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE\r\n"
            printf "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"
            printf "END:VEVENT\r\n"
            if (i % 500 == 0) {
                printf "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\nSEQUENCE:1\r\n", uid
                printf "RECURRENCE-ID;TZID=\"%s\":%sT090000\r\n", tz, d
                printf "DTSTART;TZID=\"%s\":%sT110000\r\nDTEND;TZID=\"%s\":%sT120000\r\n", tz, d, tz, d
                printf "SUMMARY:Moved %d\r\nORGANIZER;CN=\"Boss, The\":mailto:boss@example.com\r\nEND:VEVENT\r\n", i
            }
        }
        printf "END:VCALENDAR\r\n"
    }' >"$2"
}

cat >"$OUT/libical.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <libical/ical.h>
/* Parses the whole file with libical and counts the VEVENTs: the least a tool built on
 * libical does before it checks anything. */
int main(int argc, char **argv)
{
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
    if (!f)
        return 2;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *d = malloc((size_t)len + 1);
    if (!d || fread(d, 1, (size_t)len, f) != (size_t)len)
        return 2;
    d[len] = 0;
    fclose(f);
    icalcomponent *c = icalparser_parse_string(d);
    printf("%d VEVENTs\n", icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT));
    icalcomponent_free(c);
    free(d);
    return 0;
}
C
cc -O2 -o "$OUT/libical" "$OUT/libical.c" $(pkg-config --cflags --libs libical)

# wall seconds and peak RSS (KiB) of one run: "SECONDS KIB"
run() {
    /usr/bin/time -f '%e %M' -o "$OUT/time" "$@" >/dev/null 2>"$OUT/stderr" || [ $? -eq 1 ]
    tail -n 1 "$OUT/time"
}
for n in "$@"; do
    file=$OUT/events-$n.ics
    [ -s "$file" ] || gen "$n" "$file"
    size=$(wc -c <"$file")
    echo "== $n VEVENTs, $(awk -v s="$size" 'BEGIN {printf "%.0f MB", s / 1e6}') =="
    bc=; bi=; mc=
    for _ in 1 2 3; do
        rm -rf "$OUT/report"
        r=$(run ./calcheck --now 2026-11-25 -O "$OUT/report" "$file")
        t=${r% *}; m=${r#* }
        if [ -z "$bc" ] || awk -v a="$t" -v b="$bc" 'BEGIN {exit !(a < b)}'; then bc=$t; mc=$m; fi
        r=$(run "$OUT/libical" "$file")
        t=${r% *}
        if [ -z "$bi" ] || awk -v a="$t" -v b="$bi" 'BEGIN {exit !(a < b)}'; then bi=$t; fi
    done
    tail -n 3 "$OUT/report/CalCheck.log" | sed 's/^/  log: /'
    awk -v c="$bc" -v l="$bi" -v m="$mc" -v s="$size" 'BEGIN {
        printf "  calcheck, all checks: %.2f s (%.0f MB/s), peak RSS %.0f MiB = %.2fx the file\n", c, s / 1e6 / c, m / 1024, m * 1024 / s
        printf "  libical, parse only:  %.2f s (%.0f MB/s)\n", l, s / 1e6 / l
        printf "  throughput ratio (libical time / calcheck time): %.1fx\n", l / c
    }'
done
