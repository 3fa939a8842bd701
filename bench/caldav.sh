#!/bin/sh
# bench/caldav.sh - issue 6 acceptance 4: server mode throughput against radicale on 127.0.0.1.
# Seeds N mailboxes (one calendar of E events each, every tenth event defective), then runs `calcheck -S` with --jobs 1 and --jobs 8 (REPS times each, best kept) and
# prints, per setting: wall seconds, mailboxes per minute, and the requests radicale logged per
# mailbox; then the speed-up of --jobs 8 over --jobs 1. Figures are printed, never compared with
# a threshold: this is not a test. radicale answers in one Python process, so the speed-up is
# bounded by its CPU, not by calcheck (see calcheck's own CPU time, printed too).
#
# Usage: sh bench/caldav.sh [N] [E]     (default: 100 mailboxes, 50 events each)
# Environment: REPS (default 2), BUILD (default build).
set -u
N=${1:-100}
E=${2:-50}
REPS=${REPS:-2}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
[ -x "$BUILD/calcheck" ] || make --no-print-directory >/dev/null || exit 2
[ -x /usr/bin/radicale ] || sh scripts/deps.sh test || exit 2
cc=$top/$BUILD/calcheck
tmp=$(mktemp -d)
. tests/cli/radicale.sh
trap 'rad_stop; rm -rf "$tmp"' EXIT

users=$(i=1; while [ $i -le "$N" ]; do printf 'm%04d ' $i; i=$((i + 1)); done)
# shellcheck disable=SC2086
rad_setup $users
# Seeding writes radicale's storage directly (its multifilesystem layout: one folder per
# collection, a .Radicale.props naming a calendar, one file per object) before it starts:
# uploading through radicale costs about 30 ms per object, minutes for the default size.
echo "seeding $N mailboxes x $E events..."
s0=$(date +%s)
/usr/bin/python3 - "$tmp/rad/store/collection-root" "$E" $users <<'PY'
import os, sys
root, n, users = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for u in users:
    d = os.path.join(root, u, 'cal')
    os.makedirs(d)
    open(os.path.join(d, '.Radicale.props'), 'w').write('{"tag": "VCALENDAR"}')
    for i in range(n):
        day, hour = 1 + i % 28, 8 + (i // 28) % 10
        end = hour - 1 if i % 10 == 0 else hour + 1
        ev = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calcheck//bench//EN', 'BEGIN:VEVENT',
              'UID:%d@%s' % (i, u), 'DTSTAMP:20261101T120000Z',
              'DTSTART:202612%02dT%02d0000Z' % (day, hour),
              'DTEND:202612%02dT%02d3000Z' % (day, end),
              'SUMMARY:Meeting %d of %s' % (i, u), 'END:VEVENT', 'END:VCALENDAR']
        open(os.path.join(d, '%d.ics' % i), 'w', newline='').write('\r\n'.join(ev) + '\r\n')
PY
rad_start || exit 1
echo "seeded in $(($(date +%s) - s0)) s"

export CALCHECK_USERNAME=admin CALCHECK_PASSWORD=adminpw
for jobs in 1 8; do
    best=
    for r in $(seq "$REPS"); do
        from=$(($(wc -l <"$rad_log") + 1))
        /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$cc" --now 2026-11-25 -S "$rad_url" --jobs $jobs \
            -O "$tmp/out" >/dev/null 2>&1
        read -r wall usr sys <<EOF
$(tail -n 1 "$tmp/time")
EOF
        if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc)" = 1 ]; then
            best=$wall
            cpu=$(echo "$usr + $sys" | bc)
            reqs=$(tail -n +"$from" "$rad_log" | grep -c "request for '/m[0-9]*/")
        fi
    done
    mbox=$(grep -c 'Mailbox "m' "$tmp/out/CalCheckSvr.log")
    rate=$(echo "scale=1; $mbox * 60 / $best" | bc)
    eval "wall_$jobs=$best"
    printf -- '--jobs %d: %d mailboxes (%d events each) in %.2f s wall, calcheck CPU %.2f s: %s mailboxes/minute; %s requests/mailbox\n' \
        $jobs "$mbox" "$E" "$best" "$cpu" "$rate" "$(echo "scale=2; $reqs / $mbox" | bc)"
done
# shellcheck disable=SC2154
echo "speed-up --jobs 8 / --jobs 1: $(echo "scale=2; $wall_1 / $wall_8" | bc)x"
