#!/bin/sh
# bench/ics_parse.sh [N] - parse throughput of calcheck's iCalendar reader (src/ics) against
# libical's icalparser_parse_string (Debian libical-dev) on one generated file of N VEVENTs
# (default 100000); also reports our peak RSS against the file size. Work files go to
# $OUT (default bench/out/ics). Needs: make (libcalcheck.a), cc, pkg-config libical.
set -eu
N=${1:-100000}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh bench || exit 1
OUT=${OUT:-bench/out/ics}
BUILD=${BUILD:-build}
mkdir -p "$OUT"
make --no-print-directory "$BUILD/libcalcheck.a" >/dev/null
file=$OUT/events-$N.ics
if [ ! -s "$file" ]; then
    awk -v n="$N" 'BEGIN {
        printf "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//bench//EN\r\nMETHOD:PUBLISH\r\n"
        for (i = 0; i < n; i++) {
            d = sprintf("2026%02d%02d", i % 12 + 1, i % 28 + 1)
            printf "BEGIN:VEVENT\r\nUID:%08d-bench@calcheck.example\r\nDTSTAMP:20260101T000000Z\r\n", i
            printf "DTSTART;TZID=Europe/Paris:%sT090000\r\nDTEND;TZID=Europe/Paris:%sT100000\r\n", d, d
            printf "SUMMARY:Meeting %d\\, room B\\; agenda\r\n", i
            printf "DESCRIPTION:Line one\\nLine two with a rather long text that needs to be fol\r\n"
            printf " ded at seventy-five octets as RFC 5545 says\r\n"
            printf "ORGANIZER;CN=\"Boss, The\":mailto:boss@example.com\r\n"
            printf "ATTENDEE;CN=\"Doe; John\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:j@example.com\r\n"
            if (i % 10 == 0) printf "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE\r\n"
            printf "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"
            printf "END:VEVENT\r\n"
        }
        printf "END:VCALENDAR\r\n"
    }' >"$file"
fi
cat >"$OUT/ours.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/resource.h>
#include "ics/ics.h"
int main(int argc, char **argv)
{
    FILE *f = fopen(argv[1], "rb");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    unsigned char *d = malloc((size_t)len);
    if (fread(d, 1, (size_t)len, f) != (size_t)len)
        return 2;
    fclose(f);
    cck_arena *ca = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT), *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cck_problems cp, pr;
    cck_problems_init(&cp, ca);
    cck_ics_reader *r = cck_ics_open(d, (size_t)len, &cp);
    size_t n = 0, props = 0, probs = 0;
    const cck_ics_comp *c;
    cck_problems_init(&pr, a);
    while (cck_ics_next(r, a, &c, &pr) == 1) {
        n++;
        props += c->nprops;
        probs += pr.n;
        cck_arena_reset(a);
        cck_problems_init(&pr, a);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("calcheck: %zu components %zu props %zu problems in %.3f s = %.1f MB/s, peak RSS %ld KiB, file %ld KiB\n",
           n, props, probs, s, (double)len / 1e6 / s, ru.ru_maxrss, len / 1024);
    printf("SECONDS %.6f\n", s);
    cck_ics_close(r);
    return 0;
}
C
cat >"$OUT/libical.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <libical/ical.h>
int main(int argc, char **argv)
{
    FILE *f = fopen(argv[1], "rb");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *d = malloc((size_t)len + 1);
    if (fread(d, 1, (size_t)len, f) != (size_t)len)
        return 2;
    d[len] = 0;
    fclose(f);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    icalcomponent *c = icalparser_parse_string(d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int n = icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("libical:  %d VEVENTs in %.3f s = %.1f MB/s\n", n, s, (double)len / 1e6 / s);
    printf("SECONDS %.6f\n", s);
    icalcomponent_free(c);
    return 0;
}
C
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Isrc -o "$OUT/ours" "$OUT/ours.c" "$BUILD/libcalcheck.a" $(pkg-config --libs libpff libbfio 2>/dev/null) -lm
cc -O2 -o "$OUT/libical" "$OUT/libical.c" $(pkg-config --cflags --libs libical)
ls -l "$file" | awk '{print "file: " $5 " bytes"}'
best() { # best of 3 runs
    b=
    for i in 1 2 3; do
        o=$("$@")
        s=$(echo "$o" | awk '/^SECONDS/ {print $2}')
        if [ -z "$b" ] || awk -v a="$s" -v b="$b" 'BEGIN {exit !(a < b)}'; then b=$s; line=$(echo "$o" | head -1); fi
    done
    echo "$line" >&2
    echo "$b"
}
ours=$(best "$OUT/ours" "$file")
theirs=$(best "$OUT/libical" "$file")
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "throughput ratio (libical time / calcheck time): %.1fx\n", b / a }'
