#!/bin/sh
# t0530-folder-server.sh - server mode over a folder of exports: each subfolder and each calendar
# file directly in it is one mailbox. Asserts CalCheckSvr.log (every mailbox with its counts, the
# ones with problems, an unreadable one named with its reason), CalCheck_<mailbox>.log with a
# safe file name, per-mailbox CSVs with -A, -F copies kept per mailbox, -M/-L, exit statuses, and
# that the inputs are unchanged.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }

ev() { printf 'BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:%s\r\nEND:VEVENT\r\n' "$1" "$2" "$3" "$4"; }
cal() { printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//tests//EN\r\n'; cat; printf 'END:VCALENDAR\r\n'; }
mkdir -p "$tmp/exp/alice" "$tmp/exp/bob smith" "$tmp/exp/.hidden"
ev a1 20261201T090000Z 20261201T100000Z "Alice fine" | cal >"$tmp/exp/alice/cal.ics"
ev b1 20261201T090000Z 20261201T080000Z "Bob backwards" | cal >"$tmp/exp/bob smith/work.ics"
ev b2 20261202T090000Z 20261202T100000Z "Bob fine" | cal >"$tmp/exp/bob smith/home.ics"
ev c1 20261203T090000Z 20261203T100000Z "Carol fine" | cal >"$tmp/exp/carol.ics"
printf 'not a PST at all' >"$tmp/exp/dave.pst"
printf 'notes\n' >"$tmp/exp/readme.txt"
sum=$(find "$tmp/exp" -type f -exec cksum {} + | sort)

"$cc" --now 2026-11-25 -S "$tmp/exp" -A -F -O "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
svr=$tmp/out/CalCheckSvr.log
[ $rc -eq 1 ] && ok "exit 1: problems found and a mailbox failed" || { nok "exit $rc"; cat "$tmp/stderr"; }
[ "$(grep -c 'Mailbox "' "$svr")" -eq 4 ] && ok "4 mailboxes: 2 subfolders and 2 calendar files (hidden and other files skipped)" ||
    { nok "mailboxes"; sed 's/^/#   /' "$svr"; }
grep -q 'Mailbox "alice": 1 item, 0 problem items' "$svr" &&
    grep -q 'Mailbox "bob smith": 2 items, 1 problem item, 1 error, 0 warnings; log CalCheck_bob_smith.log' "$svr" &&
    grep -q 'Mailbox "carol.ics": 1 item, 0 problem items' "$svr" &&
    grep -q "^  dave.pst: $tmp/exp/dave.pst: " "$svr" && grep -q 'Mailbox "dave.pst": FAILED' "$svr" &&
    ok "CalCheckSvr.log: counts per mailbox, the failed one named with its reason" ||
    { nok "CalCheckSvr.log lines"; sed 's/^/#   /' "$svr"; }
grep -q 'ERROR 0213: line [0-9]*:1: DTEND "20261201T080000Z" is before DTSTART' "$tmp/out/CalCheck_bob_smith.log" &&
    [ -f "$tmp/out/CalCheckErr_bob_smith.csv" ] && [ -f "$tmp/out/CALCHECK_alice.CSV" ] &&
    [ -f "$tmp/out/CalCheck_bob_smith/CalCheck/work.flagged.ics" ] && [ ! -e "$tmp/out/CalCheck_alice/CalCheck/x" ] &&
    ok "per-mailbox log (safe name), CSVs and -F copies" || { nok "per-mailbox files"; ls -R "$tmp/out" | sed 's/^/#   /'; }
[ "$(find "$tmp/exp" -type f -exec cksum {} + | sort)" = "$sum" ] && ok "the exports are unchanged" || nok "exports changed"

printf 'alice\ncarol.ics\n' >"$tmp/list"
"$cc" --now 2026-11-25 -S "$tmp/exp" -L "$tmp/list" -O "$tmp/l" >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c 'Mailbox "' "$tmp/l/CalCheckSvr.log")" -eq 2 ] && ok "-L: only the listed mailboxes, exit 0" ||
    nok "-L: exit $rc"
"$cc" -S "$tmp/exp" -M "../etc" -O "$tmp/m" >"$tmp/m.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "^calcheck: -M '../etc': not a mailbox name" "$tmp/m.out" && [ ! -e "$tmp/m/CalCheckSvr.log" ] &&
    ok "-M ../etc: refused, exit 2" || nok "-M ../etc: exit $rc"
"$cc" -S "$tmp/nowhere" -O "$tmp/n" >"$tmp/n.out" 2>&1
rc2=$?
[ $rc2 -eq 2 ] && grep -q "^calcheck: $tmp/nowhere: No such file or directory" "$tmp/n.out" &&
    ok "-S on a missing folder: exit 2" || nok "missing folder: exit $rc2"
"$cc" -S "$tmp/exp" "$tmp/exp/carol.ics" >"$tmp/u.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "server mode (-S, -M, -L) takes no SOURCE" "$tmp/u.out" && ok "-S with a SOURCE: usage error" ||
    nok "-S with SOURCE: exit $rc"
"$cc" -S "$tmp/exp" --jobs 0 >"$tmp/j.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "^calcheck: --jobs takes a number from 1 to 64, not '0'" "$tmp/j.out" && ok "--jobs 0: usage error" ||
    nok "--jobs 0: exit $rc"

# No SOURCE and no -P: at a terminal calcheck lists the profiles and asks (as CalCheck did); the
# answer may be a number or a name. Without a terminal it names the profiles and exits 2.
mkdir -p "$tmp/cfg/calcheck"
printf '[alice]\nkind = folder\nurl = %s\n[bob]\nkind = folder\nurl = %s\n' \
    "$tmp/exp/alice" "$tmp/exp/bob smith" >"$tmp/cfg/calcheck/profiles"
if command -v script >/dev/null; then
    for answer in 2 bob; do
        rm -rf "$tmp/ask"
        printf '%s\n' "$answer" | XDG_CONFIG_HOME="$tmp/cfg" script -qec "'$cc' -O '$tmp/ask'" /dev/null \
            >"$tmp/ask.out" 2>&1
        grep -q '  2  bob' "$tmp/ask.out" && grep -q "Checking: $tmp/exp/bob smith\$" "$tmp/ask/CalCheck.log" &&
            ok "no SOURCE at a terminal: the profiles are listed, answer '$answer' checks bob's folder" ||
            { nok "profile prompt, answer '$answer'"; sed 's/^/#   /' "$tmp/ask.out"; }
    done
else
    echo "ok - # SKIP script(1) not installed"
fi
XDG_CONFIG_HOME="$tmp/cfg" "$cc" -O "$tmp/ask2" </dev/null >"$tmp/noask.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "choose a profile of $tmp/cfg/calcheck/profiles with -P NAME: alice,bob" "$tmp/noask.out" &&
    ok "no SOURCE, no terminal: the profiles are named, exit 2" ||
    { nok "no SOURCE, no terminal: exit $rc"; sed 's/^/#   /' "$tmp/noask.out"; }
