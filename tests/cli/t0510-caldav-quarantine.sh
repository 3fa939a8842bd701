#!/bin/sh
# t0510-caldav-quarantine.sh - -F on a CalDAV server (radicale on 127.0.0.1): flagged objects
# are MOVEd into a CalCheck calendar created in each mailbox's home, every move logged.
# Fault test: radicale is killed (SIGKILL) in the middle of a run moving 150 objects and started
# again; then no UID is missing or present twice across the two calendars, the interrupted run
# says so (CalCheckSvr.log, exit 1), and a second run finishes the moves; a third has nothing
# left to do. Settling: an object already in CalCheck with the same content (an interrupted
# copy-then-delete) is removed from its calendar, one with other content under that name makes
# the move take another name; nothing is ever overwritten.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
tmp=$(mktemp -d)
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
. tests/cli/radicale.sh
trap 'rad_stop; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

[ -x /usr/bin/radicale ] || sh scripts/deps.sh test >/dev/null 2>&1
if [ ! -x /usr/bin/radicale ] || ! command -v curl >/dev/null; then
    echo "ok - # SKIP radicale or curl not installed (scripts/deps.sh test installs them as root)"
    exit 0
fi
rad_setup u01 u02 u03
rad_start || { nok "radicale starts"; exit 1; }

# u01: 150 objects with DTEND before DTSTART and 20 clean ones; u02: 4 flagged, 3 clean; u03 clean.
/usr/bin/python3 - "$tmp" <<'PY'
import sys
tmp = sys.argv[1]
def ev(uid, summary, start, end):
    return ['BEGIN:VEVENT', 'UID:' + uid, 'DTSTAMP:20261101T120000Z', 'DTSTART:' + start,
            'DTEND:' + end, 'SUMMARY:' + summary, 'END:VEVENT']
def cal(name, bad, good):
    lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calcheck//tests//EN']
    for i in range(bad):
        d = '202612%02dT%02d%02d00Z' % (1 + i % 28, 8 + (i // 28) % 10, 0)
        e = '202612%02dT%02d%02d00Z' % (1 + i % 28, 7 + (i // 28) % 10, 30)
        lines += ev('bad-%03d@%s' % (i, name), 'Backwards %d' % i, d, e)
    for i in range(good):
        d = '202701%02dT100000Z' % (1 + i % 28)
        lines += ev('good-%03d@%s' % (i, name), 'Fine %d' % i, d, d[:9] + '110000Z')
    lines.append('END:VCALENDAR')
    open('%s/%s.ics' % (tmp, name), 'w', newline='').write('\r\n'.join(lines) + '\r\n')
cal('u01', 150, 20)
cal('u02', 4, 3)
cal('u03', 0, 2)
PY
for u in u01 u02 u03; do
    [ "$(rad_put "$u" cal "$tmp/$u.ics")" = 201 ] || nok "seeding $u"
done

# UIDs per calendar, straight from radicale's storage (one file per object).
uids() { cat "$tmp/rad/store/collection-root/$1/$2"/*.ics 2>/dev/null | tr -d '\r' | grep '^UID:' | sort; }
count() { ls "$tmp/rad/store/collection-root/$1/$2" 2>/dev/null | grep -c '\.ics$'; }
# exactly_once USER : every seeded UID is in exactly one of cal and CalCheck.
exactly_once() {
    { uids "$1" cal; uids "$1" CalCheck; } >"$tmp/both"
    tr -d '\r' <"$tmp/$1.ics" | grep '^UID:' | sort >"$tmp/want"
    sort "$tmp/both" | cmp -s - "$tmp/want" && [ -z "$(sort "$tmp/both" | uniq -d)" ]
}

export CALCHECK_USERNAME=admin CALCHECK_PASSWORD=adminpw
"$cc" --now 2026-11-25 -F -S "$rad_url" --jobs 2 -O "$tmp/r1" >"$tmp/r1.out" 2>&1 &
cpid=$!
i=0
while [ $i -lt 400 ] && [ "$(count u01 CalCheck)" -lt 30 ]; do
    sleep 0.02
    i=$((i + 1))
done
kill -9 "$rad_pid"
wait "$rad_pid" 2>/dev/null
rad_pid=
wait $cpid
rc=$?
at_kill=$(count u01 CalCheck)
if [ "$at_kill" -ge 30 ] && [ "$at_kill" -lt 150 ]; then
    ok "radicale killed in the middle of the moves ($at_kill of 150 moved)"
else
    nok "radicale killed at $at_kill of 150 moves"
fi
[ $rc -eq 1 ] && grep -q 'Mailboxes whose -F did not finish (run again to complete): 1$' "$tmp/r1/CalCheckSvr.log" &&
    grep -q -- '-F: the server stopped answering: [0-9]* of 150 flagged objects moved' "$tmp/r1/CalCheck_u01.log" &&
    ok "the interrupted run says so (exit 1, CalCheckSvr.log, the mailbox log)" ||
    { nok "interrupted run: exit $rc"; sed 's/^/#   /' "$tmp/r1.out"; grep -i 'mailbox\|-F' "$tmp/r1/CalCheckSvr.log" | sed 's/^/#   /'; }
logged=$(grep -c -- '-F: moved http' "$tmp/r1/CalCheck_u01.log")
[ "$logged" -ge $((at_kill - 1)) ] && [ "$logged" -le "$at_kill" ] &&
    ok "every completed move is in the log ($logged logged, $at_kill in CalCheck)" ||
    nok "$logged moves logged, $at_kill in CalCheck"

rad_start || { nok "radicale restarts"; exit 1; }
exactly_once u01 && exactly_once u02 && exactly_once u03 &&
    ok "after the kill: every UID in exactly one of the two calendars" || nok "UIDs lost or doubled after the kill"

"$cc" --now 2026-11-25 -F -S "$rad_url" --jobs 2 -O "$tmp/r2" >"$tmp/r2.out" 2>&1
rc=$?
[ $rc -eq 1 ] && [ "$(count u01 CalCheck)" -eq 150 ] && [ "$(count u01 cal)" -eq 20 ] &&
    [ "$(count u02 CalCheck)" -eq 4 ] && [ "$(count u02 cal)" -eq 3 ] && [ "$(count u03 cal)" -eq 2 ] &&
    [ ! -d "$tmp/rad/store/collection-root/u03/CalCheck" ] &&
    ok "the second run finishes the moves (150 + 4 in CalCheck, the clean ones stay)" ||
    { nok "second run: exit $rc, u01 $(count u01 CalCheck)/$(count u01 cal)"; sed 's/^/#   /' "$tmp/r2.out"; }
uids u01 CalCheck | grep -q 'good-' || uids u01 cal | grep -q 'bad-' && nok "a clean object moved or a flagged one left" ||
    ok "only flagged objects moved"
exactly_once u01 && exactly_once u02 && ok "after the second run: every UID exactly once" || nok "UIDs after the second run"
grep -q 'verify: every moved object is in .*/u01/CalCheck/ and gone from its calendar' "$tmp/r2/CalCheck_u01.log" &&
    ! grep -q 'Mailboxes whose -F did not finish' "$tmp/r2/CalCheckSvr.log" &&
    grep -q "Mailbox \"u01\": $((170 - at_kill)) items, $((150 - at_kill)) problem items, $((150 - at_kill)) errors, 0 warnings, $((150 - at_kill)) moved to CalCheck" "$tmp/r2/CalCheckSvr.log" &&
    ok "the moves are verified and counted" || nok "verification lines"

"$cc" --now 2026-11-25 -F -S "$rad_url" -O "$tmp/r3" >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'Totals: 4 mailboxes checked, 0 failed; 25 items, 0 problem items, 0 errors, 0 warnings, 0 moved' "$tmp/r3/CalCheckSvr.log" &&
    ok "a third run: nothing left to move, exit 0 (CalCheck itself is not checked)" ||
    { nok "third run: exit $rc"; tail -3 "$tmp/r3/CalCheckSvr.log" | sed 's/^/#   /'; }

# Settling: an object already in CalCheck with the same content, and one whose name is taken
# by another object there.
{
    ics_begin
    ics_event "same@u03" "Backwards same" 20261203T100000Z 20261203T090000Z
    ics_event "clash@u03" "Backwards clash" 20261204T100000Z 20261204T090000Z
    ics_event "keep@u03" "Fine" 20261205T100000Z 20261205T110000Z
    ics_end
} >"$tmp/u03b.ics"
rad_put u03 cal "$tmp/u03b.ics" >/dev/null
curl -s -u admin:adminpw -X MKCALENDAR "$rad_url/u03/CalCheck/" -o /dev/null
curl -s -u admin:adminpw "$rad_url/u03/cal/same%40u03.ics" -o "$tmp/same.ics"
curl -s -u admin:adminpw -X PUT -H 'Content-Type: text/calendar' --data-binary "@$tmp/same.ics" \
    "$rad_url/u03/CalCheck/same@u03.ics" -o /dev/null
{
    ics_begin
    ics_event "other@u03" "Someone else" 20261206T100000Z 20261206T110000Z
    ics_end
} >"$tmp/other.ics"
curl -s -u admin:adminpw -X PUT -H 'Content-Type: text/calendar' --data-binary "@$tmp/other.ics" \
    "$rad_url/u03/CalCheck/clash@u03.ics" -o /dev/null
"$cc" --now 2026-11-25 -F -O "$tmp/r4" "$rad_url/u03/" >"$tmp/r4.out" 2>&1
rc=$?
log=$tmp/r4/CalCheck.log
[ $rc -eq 1 ] && grep -q -- "-F: $rad_url/u03/cal/same%40u03.ics was already in $rad_url/u03/CalCheck/same@u03.ics, identical" "$log" &&
    grep -q -- "-F: moved $rad_url/u03/cal/clash%40u03.ics to $rad_url/u03/CalCheck/cal-clash@u03.ics" "$log" &&
    [ "$(uids u03 CalCheck | tr '\n' ' ')" = "UID:clash@u03 UID:other@u03 UID:same@u03 " ] &&
    [ "$(uids u03 cal | tr '\n' ' ')" = "UID:keep@u03 " ] &&
    ok "an identical copy already in CalCheck is settled; a taken name is never overwritten" ||
    { nok "settling: exit $rc"; grep -- '-F' "$log" | sed 's/^/#   /'; uids u03 CalCheck | sed 's/^/#   /'; }
