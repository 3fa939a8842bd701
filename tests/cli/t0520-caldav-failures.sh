#!/bin/sh
# t0520-caldav-failures.sh - one mailbox failing never stops the others. Against our own CalDAV
# stub (tests/cli/davstub.py on 127.0.0.1) whose mailboxes answer the calendar-query REPORT with
# HTTP 500, a body that is not XML, no answer within the profile's timeout, and an object without
# calendar-data, next to two good mailboxes and one whose object is not iCalendar at all: the
# good ones are checked, each failure is named with its reason in CalCheckSvr.log, the broken
# object becomes findings on that object (its mailbox checked), exit 1. Then xandikos, which
# stores and serves broken items: its single user is found from the root (current-user-principal)
# and the broken item is reported while the others are checked.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
tmp=$(mktemp -d)
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
stub_pid=
xd_pid=
trap '[ -n "$stub_pid" ] && kill $stub_pid 2>/dev/null; [ -n "$xd_pid" ] && kill $xd_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_http URL: until something answers there (10 s at most).
wait_http() {
    i=0
    while [ $i -lt 100 ]; do
        curl -s -o /dev/null -m 1 "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

port=$(free_port)
/usr/bin/python3 tests/cli/davstub.py "$port" 2>"$tmp/stub.log" &
stub_pid=$!
wait_http "http://127.0.0.1:$port/" || { nok "the stub starts"; exit 1; }
url=http://127.0.0.1:$port/
printf '[stub]\nkind = caldav\nurl = %s\nuser = admin\npassword_env = STUB_PW\ntimeout = 3\n' "$url" >"$tmp/profiles"
start=$(date +%s)
STUB_PW=adminpw "$cc" --now 2026-11-25 -P "$tmp/profiles" -S "$url" --jobs 8 -O "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
took=$(($(date +%s) - start))
svr=$tmp/out/CalCheckSvr.log
[ $rc -eq 1 ] && ok "some mailboxes failed, the run finished: exit 1" || { nok "exit $rc"; sed 's/^/#   /' "$tmp/stderr"; }
[ "$took" -lt 20 ] && ok "the slow mailbox cost the timeout, not the run (${took}s)" || nok "took ${took}s"
grep -q 'Mailbox "ok1": 2 items, 0 problem items' "$svr" && grep -q 'Mailbox "ok2": 2 items, 0 problem items' "$svr" &&
    ok "the good mailboxes are checked" || nok "good mailboxes"
for want in \
    "err500: ${url}err500/cal/: REPORT answered HTTP 500, not 207 Multi-Status" \
    "badxml: ${url}badxml/cal/: unusable REPORT answer: the answer is not well-formed XML" \
    "slow: ${url}slow/cal/: Operation timed out after" \
    "nodata: ${url}nodata/cal/: the REPORT answer holds 'a.ics' without its calendar-data"; do
    grep -qF "  $want" "$svr" && ok "CalCheckSvr.log names the failure: $want" ||
        { nok "CalCheckSvr.log lacks: $want"; grep '^  ' "$svr" | sed 's/^/#   /'; }
done
grep -q 'Mailboxes that could not be checked: 4$' "$svr" && grep -q 'Mailbox "err500": FAILED: ' "$svr" &&
    ok "4 mailboxes listed as not checked" || nok "failed list"
grep -q 'Mailbox "broken": 2 items, 1 problem item' "$svr" &&
    grep -q "in ${url}broken/cal/junk.ics" "$tmp/out/CalCheck_broken.log" &&
    ok "an object that is not iCalendar becomes findings on it; its mailbox is checked" ||
    { nok "broken object"; grep -E 'ERROR|WARN|Item' "$tmp/out/CalCheck_broken.log" | sed 's/^/#   /'; }
grep -q '7 mailboxes: 3 checked, 1 with problems, 4 failed' "$tmp/stdout" &&
    grep -q '^calcheck: 4 of 7 mailboxes could not be checked: see CalCheckSvr.log$' "$tmp/stderr" &&
    ok "summary and message" || nok "summary: $(cat "$tmp/stdout" "$tmp/stderr")"

# Only failing mailboxes: nothing could be checked, exit 2.
STUB_PW=adminpw "$cc" -P "$tmp/profiles" -S "$url" -M err500 -M badxml -O "$tmp/none" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'Mailboxes that could not be checked: 2$' "$tmp/none/CalCheckSvr.log" &&
    ok "every mailbox failed: exit 2, CalCheckSvr.log still written" || nok "all failed: exit $rc"
STUB_PW=nope "$cc" -P "$tmp/profiles" -S "$url" -O "$tmp/auth" >"$tmp/auth.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "^calcheck: $url: the server refused user 'admin' (HTTP 401)" "$tmp/auth.out" &&
    ok "wrong password for the server account: exit 2" || nok "stub auth: exit $rc"
"$cc" -P "$tmp/profiles" -S "$url" -O "$tmp/noenv" >"$tmp/noenv.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "profile \[stub\]: the environment variable STUB_PW (password_env) is not set" "$tmp/noenv.out" &&
    ok "an unset password_env: clear message naming the profile, exit 2" || nok "unset password_env: exit $rc"

# xandikos keeps and serves an item whose DTSTART is garbage.
if [ -x /usr/bin/xandikos ]; then
    xport=$(free_port)
    /usr/bin/xandikos -d "$tmp/xd" --defaults -l 127.0.0.1 -p "$xport" >"$tmp/xd.log" 2>&1 &
    xd_pid=$!
    x=http://127.0.0.1:$xport
    wait_http "$x/" || nok "xandikos starts"
    cal=$x/user/calendars/calendar
    put() { curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: text/calendar' --data-binary "@$1" "$cal/$2"; }
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:broken\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:garbage\r\nSUMMARY:Broken\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$tmp/b.ics"
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:fine\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:20261201T100000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Fine\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$tmp/f.ics"
    s1=$(put "$tmp/b.ics" broken.ics)
    s2=$(put "$tmp/f.ics" fine.ics)
    "$cc" --now 2026-11-25 -S "$x/" -O "$tmp/x" >/dev/null 2>&1
    rc=$?
    xl=$tmp/x/CalCheck_user.log
    [ "$s1$s2" = 201201 ] && [ $rc -eq 1 ] && grep -q 'Mailbox "user": 2 items, 1 problem item' "$tmp/x/CalCheckSvr.log" &&
        grep -q "ERROR 0212: line [0-9]*:1: DTSTART" "$xl" && grep -q "in $cal/broken.ics" "$xl" &&
        ok "xandikos: the broken item it serves is reported, the other checked" ||
        { nok "xandikos: PUT $s1 $s2, exit $rc"; cat "$tmp/x/CalCheckSvr.log" | sed 's/^/#   /'; }
else
    echo "ok - # SKIP xandikos not installed"
fi
