#!/bin/sh
# t0500-caldav-server.sh - server mode against a real CalDAV server: radicale on 127.0.0.1 with
# htpasswd users u01..u20 and an admin that may read every collection; each user's calendar is
# seeded (one PUT) with clean events and, for 15 of them, one defect (DTEND before DTSTART ->
# 0213, RRULE UNTIL before DTSTART -> 0232, an unknown TZID -> 0220); u20 has two calendars.
# Asserts: `calcheck -S` lists and checks every mailbox, the per-mailbox findings and logs,
# CalCheckSvr.log's lines and exit status 1; the requests radicale logged per mailbox are at
# most its calendars + 2; --jobs 1 and --jobs 8 agree; -M, -L, a URL SOURCE and a profile whose
# secret comes from a file; a wrong password gives a clear message and exit 2, and the password
# never appears in any output.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
tmp=$(mktemp -d)
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
. tests/cli/radicale.sh
trap 'rad_stop; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

if [ ! -x /usr/bin/radicale ]; then
    sh scripts/deps.sh test >/dev/null 2>&1
fi
if [ ! -x /usr/bin/radicale ] || ! command -v curl >/dev/null; then
    echo "ok - # SKIP radicale or curl not installed (scripts/deps.sh test installs them as root)"
    exit 0
fi

users="u01 u02 u03 u04 u05 u06 u07 u08 u09 u10 u11 u12 u13 u14 u15 u16 u17 u18 u19 u20"
rad_setup $users
rad_start || { nok "radicale starts"; exit 1; }

# Seeding: clean events for everyone; user number n gets defect n % 4 (0: none).
seeded=0
for u in $users; do
    n=${u#u}
    n=${n#0}
    {
        ics_begin
        ics_event "clean-1@$u" "Standup $u" 20261201T090000Z 20261201T093000Z
        ics_event "clean-2@$u" "Review $u" 20261202T140000Z 20261202T150000Z
        case $((n % 4)) in
        1) ics_event "bad@$u" "Backwards $u" 20261203T100000Z 20261203T090000Z ;;
        2) ics_event "bad@$u" "Weekly $u" 20261207T090000Z 20261207T093000Z \
            'RRULE:FREQ=WEEKLY;UNTIL=20261130T090000Z' ;;
        3) printf 'BEGIN:VEVENT\r\nUID:bad@%s\r\nDTSTAMP:20261101T120000Z\r\nDTSTART;TZID=Mars/Olympus:20261207T090000\r\nDTEND;TZID=Mars/Olympus:20261207T100000\r\nSUMMARY:Mars %s\r\nEND:VEVENT\r\n' "$u" "$u" ;;
        esac
        ics_end
    } >"$tmp/$u.ics"
    [ "$(rad_put "$u" cal "$tmp/$u.ics")" = 201 ] && seeded=$((seeded + 1))
done
{
    ics_begin
    ics_event "work-1@u20" "Planning u20" 20261204T090000Z 20261204T100000Z
    ics_end
} >"$tmp/u20-work.ics"
[ "$(rad_put u20 work "$tmp/u20-work.ics")" = 201 ] && seeded=$((seeded + 1))
[ $seeded -eq 21 ] && ok "seeded 21 calendars of 20 users" || nok "seeded $seeded of 21 calendars"

export CALCHECK_USERNAME=admin CALCHECK_PASSWORD=adminpw
from=$(($(wc -l <"$rad_log") + 1))
"$cc" --now 2026-11-25 -S "$rad_url/" --jobs 4 -A -O "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 1 ] && ok "calcheck -S: problems found, exit 1" || { nok "calcheck -S: exit $rc"; sed 's/^/#   /' "$tmp/stderr"; }
svr=$tmp/out/CalCheckSvr.log
grep -q "server mode: $rad_url/\$" "$svr" && grep -q ' 21 mailboxes, 4 checked at a time$' "$svr" &&
    ok "CalCheckSvr.log: the server and 21 mailboxes (20 users and admin)" || nok "CalCheckSvr.log header"

bad=0
for u in $users; do
    n=${u#u}
    n=${n#0}
    log=$tmp/out/CalCheck_$u.log
    case $((n % 4)) in
    0) want="" ;;
    1) want='ERROR 0213: line [0-9]*:1: DTEND "20261203T090000Z" is before DTSTART' ;;
    2) want='WARNING 0232: line [0-9]*:[0-9]*: UNTIL "20261130T090000Z" is before DTSTART' ;;
    3) want='ERROR 0220: line [0-9]*:[0-9]*: TZID "Mars/Olympus"' ;;
    esac
    items=3
    [ $((n % 4)) -eq 0 ] && items=2
    [ "$u" = u20 ] && items=3
    if [ -z "$want" ]; then
        line="Mailbox \"$u\": $items items, 0 problem items, 0 errors, 0 warnings"
        if ! grep -q "$line" "$svr" || grep -q ' \(ERROR\|WARNING\) [0-9]\{4\}:' "$log"; then
            bad=$((bad + 1))
            echo "#   $u: expected clean"
        fi
    else
        nf=$(grep -c ' \(ERROR\|WARNING\) [0-9]\{4\}:' "$log")
        if ! grep -q "$want" "$log" || [ "$nf" -ne 1 ] ||
            ! grep -q "Mailbox \"$u\": 3 items, 1 problem item, " "$svr" ||
            ! grep -q "^  $u (1 problem item; CalCheck_$u.log)\$" "$svr" ||
            ! grep -q "in $rad_url/$u/cal/bad%40$u.ics\\|in $rad_url/$u/cal/bad@$u.ics" "$log"; then
            bad=$((bad + 1))
            echo "#   $u: expected '$want' once, naming the object's URL"
        fi
    fi
    [ -f "$tmp/out/CalCheckErr_$u.csv" ] && [ -f "$tmp/out/CALCHECK_$u.CSV" ] || {
        bad=$((bad + 1))
        echo "#   $u: CSVs missing"
    }
done
[ $bad -eq 0 ] && ok "per-mailbox findings, logs and CSVs of all 20 users" || nok "$bad mailboxes wrong"
grep -q 'Mailboxes with problems: 15$' "$svr" && grep -q 'Mailboxes that could not be checked: 0$' "$svr" &&
    grep -q 'Totals: 21 mailboxes checked, 0 failed; 56 items, 15 problem items, 10 errors, 5 warnings' "$svr" &&
    ok "CalCheckSvr.log: 15 mailboxes with problems, none failed, totals" ||
    { nok "CalCheckSvr.log summary"; sed 's/^/#   /' "$svr" | tail -25; }
grep -q '21 mailboxes: 21 checked, 15 with problems, 0 failed' "$tmp/stdout" &&
    ok "summary on stdout" || nok "stdout: $(cat "$tmp/stdout")"
grep -q 'Mailbox "u20": 3 items, 0 problem items, 0 errors, 0 warnings, 4 requests;' "$svr" &&
    grep -q "^\"Planning u20\",.*,\"$rad_url/u20/work/work-1%40u20.ics (VEVENT, lines 4-10)\"" "$tmp/out/CALCHECK_u20.CSV" &&
    ok "both calendars of u20 read" || nok "u20's second calendar"

# Requests per mailbox, as radicale logged them: calendars + 2 at most (no request per item).
over=0
for u in $users admin; do
    ncal=1
    [ "$u" = u20 ] && ncal=2
    [ "$u" = admin ] && ncal=0
    got=$(rad_requests "$u" "$from")
    said=$(grep "Mailbox \"$u\":" "$svr" | grep -o '[0-9]* requests\?;' | grep -o '^[0-9]*')
    if [ "$got" -gt $((ncal + 2)) ] || [ "$got" != "$said" ]; then
        over=$((over + 1))
        echo "#   $u: $got requests in radicale's log, $said in CalCheckSvr.log, at most $((ncal + 2)) wanted"
    fi
done
[ $over -eq 0 ] && ok "requests per mailbox <= calendars + 2, and CalCheckSvr.log counts them right" ||
    nok "$over mailboxes over the request bound"

# --jobs 1 and --jobs 8 give the same mailbox lines.
"$cc" --now 2026-11-25 -S "$rad_url" --jobs 1 -O "$tmp/j1" >/dev/null 2>&1
"$cc" --now 2026-11-25 -S "$rad_url" --jobs 8 -O "$tmp/j8" >/dev/null 2>&1
strip() { grep 'Mailbox "' "$1" | cut -d' ' -f3-; }
if [ "$(strip "$tmp/j1/CalCheckSvr.log")" = "$(strip "$tmp/j8/CalCheckSvr.log")" ] &&
    [ "$(strip "$tmp/j1/CalCheckSvr.log" | wc -l)" -eq 21 ]; then
    ok "--jobs 1 and --jobs 8 agree"
else
    nok "--jobs 1 and --jobs 8 differ"
fi

# -M and -L: only the mailboxes named.
printf '# two users\nu05\n\n  u08  \n' >"$tmp/list"
"$cc" --now 2026-11-25 -S "$rad_url" -M u03 -L "$tmp/list" -O "$tmp/ml" >/dev/null 2>&1
rc=$?
n=$(grep -c 'Mailbox "' "$tmp/ml/CalCheckSvr.log")
[ $rc -eq 1 ] && [ "$n" -eq 3 ] && grep -q 'Mailbox "u05": 3 items, 1 problem item' "$tmp/ml/CalCheckSvr.log" &&
    grep -q 'Mailbox "u08": 2 items, 0 problem items' "$tmp/ml/CalCheckSvr.log" &&
    ok "-M u03 -L FILE: exactly those 3 mailboxes" || nok "-M/-L: exit $rc, $n mailboxes"

# A principal URL as SOURCE, with a profile whose secret comes from a file; the login is the
# user's own.
printf 'pw-u01\n' >"$tmp/secret"
printf '[mine]\nkind = caldav\nurl = %s/u01/\nuser = u01\npassword_file = secret\n' "$rad_url" >"$tmp/profiles"
(unset CALCHECK_USERNAME CALCHECK_PASSWORD
    "$cc" --now 2026-11-25 -P "$tmp/profiles" -O "$tmp/one" >"$tmp/one.out" 2>&1)
rc=$?
[ $rc -eq 1 ] && grep -q 'ERROR 0213:' "$tmp/one/CalCheck.log" &&
    grep -q "Checking: $rad_url/u01/" "$tmp/one/CalCheck.log" &&
    ok "-P profile (password_file) with the profile's principal URL: CalCheck.log" ||
    { nok "-P profile: exit $rc"; sed 's/^/#   /' "$tmp/one.out"; }
"$cc" --now 2026-11-25 -O "$tmp/cal" "$rad_url/u04/cal/" >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'Totals: 2 items' "$tmp/cal/CalCheck.log" && ok "a calendar URL as SOURCE" ||
    nok "calendar URL: exit $rc"

# Wrong credentials: a clear message, exit 2, no report, the password nowhere.
CALCHECK_PASSWORD=wrong-secret-123 "$cc" -S "$rad_url" -O "$tmp/bad" >"$tmp/bad.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "^calcheck: $rad_url/: the server refused user 'admin' (HTTP 401): check the user and the secret" "$tmp/bad.out" &&
    [ ! -f "$tmp/bad/CalCheckSvr.log" ] && ok "wrong password: clear message, exit 2" ||
    { nok "wrong password: exit $rc"; sed 's/^/#   /' "$tmp/bad.out"; }
CALCHECK_PASSWORD=wrong-secret-123 "$cc" -O "$tmp/bad2" "$rad_url/u01/" >"$tmp/bad2.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "refused user 'admin' (HTTP 401)" "$tmp/bad2.out" && ok "wrong password on a URL SOURCE: exit 2" ||
    nok "wrong password on a URL: exit $rc"
if grep -rq -e 'wrong-secret-123' -e 'adminpw' -e 'pw-u01' "$tmp/out" "$tmp/one" "$tmp/bad.out" "$tmp/bad2.out" \
    "$tmp/stdout" "$tmp/stderr" "$tmp/one.out"; then
    nok "a password appears in an output"
else
    ok "no password in any report or message"
fi
rm -f "$tmp/secret"
