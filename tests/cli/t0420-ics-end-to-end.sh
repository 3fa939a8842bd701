#!/bin/sh
# t0420-ics-end-to-end.sh - calcheck on an iCalendar file, end to end: the sample calendar of
# scripts/sample-ics.sh (clean meetings, a series with an override placed after another event,
# and one defect per kind) is checked with -F. Asserts: the findings with their line:column in
# the log and the CSV; the input unchanged; flagged.ics + clean.ics together hold every
# component of the input exactly once, byte for byte, with the VTIMEZONE each needs; both
# re-parse with calcheck's reader without a syntax finding, and with libical (when installed)
# without X-LIC-ERROR; a second run gives the same files.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }

sh scripts/sample-ics.sh "$tmp/sample.ics" || { nok "sample calendar"; exit 1; }
sum=$(cksum <"$tmp/sample.ics")
"$cc" --now 2026-11-25 -F -O "$tmp/out" "$tmp/sample.ics" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 1 ] && ok "problems found: exit 1" || nok "exit status $rc"
[ "$(cksum <"$tmp/sample.ics")" = "$sum" ] && ok "the input is unchanged" || nok "input changed"
log=$tmp/out/CalCheck.log
for want in \
    'ERROR 0213: line 68:1: DTEND "20261205T090000" (TZID "Europe/Berlin") is before DTSTART' \
    'ERROR 0236: line 83:1: RECURRENCE-ID "20261208T100000" matches no occurrence' \
    'WARNING 0401: line 86:1: UID "clean-1@sample.calcheck.example" with SEQUENCE 2' \
    'ERROR 0049: item "Budget review"' \
    'WARNING 0221: line 99:9: TZID "W. Europe Standard Time"' \
    'ERROR 0200: line 109:1: '; do
    grep -qF "$want" "$log" && ok "log: $want" || nok "log lacks: $want"
done
n=$(grep -c ' \(ERROR\|WARNING\) [0-9]\{4\}: ' "$log")
[ "$n" -eq 6 ] && ok "exactly those 6 findings" || nok "$n findings"
grep -q 'ERROR 0213: line 68:1: DTEND' "$tmp/out/CalCheckErr.csv" && ok "CSV keeps line:column" || nok "CSV"
grep -q 'Item [0-9]*: "Weekly sync" in .*sample.ics (VEVENT, lines 32-42)' "$log" &&
    ok "the series is one item with its overrides" || nok "series item"

# Every component exactly once across the two files, byte for byte.
python3 - "$tmp/sample.ics" "$tmp/out/CalCheck/flagged.ics" "$tmp/out/CalCheck/clean.ics" <<'PY'
import re, sys
def comps(path):
    text = open(path, 'rb').read().decode('utf-8')
    found = re.finditer(r'BEGIN:(VEVENT|VTIMEZONE)\r\n.*?END:\1\r\n', text, re.S)
    return [m.group(0) for m in found], text
src, _ = comps(sys.argv[1])
fl, ftext = comps(sys.argv[2])
cl, ctext = comps(sys.argv[3])
events = lambda xs: sorted(x for x in xs if x.startswith('BEGIN:VEVENT'))
ok = events(src) == sorted(events(fl) + events(cl))
print(('ok' if ok else 'not ok') + ' - every VEVENT of the input is in exactly one output, byte for byte')
for name, xs, text in (('flagged', fl, ftext), ('clean', cl, ctext)):
    used = set(re.findall(r'TZID=([^:;]+)', text)) - {'"W. Europe Standard Time"'}
    zones = set(re.findall(r'BEGIN:VTIMEZONE\r\nTZID:([^\r]+)', text))
    good = used <= zones and text.startswith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n') and text.endswith('END:VCALENDAR\r\n')
    print(('ok' if good else 'not ok') + ' - %s.ics is a calendar with the VTIMEZONEs it uses (%d events)' % (name, len(events(xs))))
print(('ok' if len(events(fl)) == 6 and len(events(cl)) == 3 else 'not ok') + ' - 6 flagged components (4 items), 3 clean')
PY
"$cc" --now 2026-11-25 -O "$tmp/re" "$tmp/out/CalCheck/clean.ics" >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && ok "clean.ics checks clean" || nok "clean.ics: exit $rc"
"$cc" --now 2026-11-25 -O "$tmp/re2" "$tmp/out/CalCheck/flagged.ics" >/dev/null 2>&1
n=$(grep -c ' \(ERROR\|WARNING\) 020[0-7]: ' "$tmp/re2/CalCheck.log")
[ "$n" -eq 1 ] && grep -q 'ERROR 0200: line [0-9]*:1: invalid property name "DESCRIPTION Agenda"' "$tmp/re2/CalCheck.log" &&
    ok "flagged.ics re-reads with only the input's own syntax finding" ||
    nok "flagged.ics has $n syntax findings"
cp "$tmp/out/CalCheck/flagged.ics" "$tmp/f1"
"$cc" --now 2026-11-25 -F -O "$tmp/out" "$tmp/sample.ics" >/dev/null 2>&1
cmp -s "$tmp/f1" "$tmp/out/CalCheck/flagged.ics" && [ "$(ls "$tmp/out/CalCheck" | wc -l)" -eq 2 ] &&
    ok "a second -F run replaces the files with the same content" || nok "second run"

# Several iCalendar inputs: one pair of files each, named after the input; two inputs of one
# name in different folders are kept apart.
mkdir -p "$tmp/many/a" "$tmp/many/b"
cp "$tmp/sample.ics" "$tmp/many/a/cal.ics"
cp "$tmp/sample.ics" "$tmp/many/b/cal.ics"
cp "$tmp/sample.ics" "$tmp/many/a/team.ics"
"$cc" --now 2026-11-25 -F -O "$tmp/many/out" "$tmp/many" >/dev/null 2>&1
got=$(cd "$tmp/many/out/CalCheck" && ls | tr '\n' '|')
[ "$got" = "cal (2).clean.ics|cal (2).flagged.ics|cal.clean.ics|cal.flagged.ics|team.clean.ics|team.flagged.ics|" ] &&
    ok "several inputs: NAME.flagged.ics / NAME.clean.ics, a repeated name as NAME (2)" ||
    nok "several inputs: $got"

if pkg-config --exists libical 2>/dev/null; then
    cat >"$tmp/lic.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <libical/ical.h>
/* Prints the number of X-LIC-ERROR properties libical attaches anywhere in the file. */
static int errors(icalcomponent *c)
{
    int n = icalcomponent_count_properties(c, ICAL_XLICERROR_PROPERTY);
    for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
        n += errors(k);
    return n;
}
int main(int argc, char **argv)
{
    FILE *f = fopen(argv[1], "rb");
    static char buf[1 << 20];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = 0;
    icalcomponent *c = icalparser_parse_string(buf);
    if (!c)
        return 3;
    printf("%d\n", errors(c));
    return 0;
}
C
    if cc -o "$tmp/lic" "$tmp/lic.c" $(pkg-config --cflags --libs libical) 2>/dev/null; then
        e=$("$tmp/lic" "$tmp/out/CalCheck/clean.ics")
        [ "$e" = 0 ] && ok "libical reads clean.ics without errors" || nok "libical: clean.ics $e errors"
        ein=$("$tmp/lic" "$tmp/sample.ics")
        ef=$("$tmp/lic" "$tmp/out/CalCheck/flagged.ics")
        [ "$ef" = "$ein" ] && ok "libical finds in flagged.ics only the input's own errors ($ein)" ||
            nok "libical: flagged $ef errors, input $ein"
    else
        nok "libical test program does not build"
    fi
else
    ok "libical re-parse # skip libical not installed"
fi
