# tests/cli/radicale.sh - sourced by the CalDAV tests and bench/caldav.sh (not a test itself):
# starts radicale on a free 127.0.0.1 port with htpasswd users and an admin allowed to read and
# write every collection, and seeds calendars with one PUT of a whole VCALENDAR each.
# Needs: $tmp (a scratch folder). Sets: $rad_port, $rad_url, $rad_pid, $rad_log.
# /usr/bin/radicale is Debian's (the python3 on PATH may not see Debian's modules).

rad_free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# rad_setup USERS... : writes the users (password "pw-NAME"; admin's is "adminpw"), the rights
# and the configuration into $tmp/rad.
rad_setup() {
    mkdir -p "$tmp/rad/store"
    : >"$tmp/rad/users"
    printf 'admin:adminpw\n' >>"$tmp/rad/users"
    for u in "$@"; do printf '%s:pw-%s\n' "$u" "$u" >>"$tmp/rad/users"; done
    cat >"$tmp/rad/rights" <<'EOF'
[admin]
user: admin
collection: .*
permissions: RrWw

[root]
user: .+
collection:
permissions: R

[principal]
user: .+
collection: {user}
permissions: RW

[calendars]
user: .+
collection: {user}/[^/]+
permissions: rw
EOF
    rad_port=$(rad_free_port)
    rad_url=http://127.0.0.1:$rad_port
    rad_log=$tmp/rad/log
    cat >"$tmp/rad/config" <<EOF
[server]
hosts = 127.0.0.1:$rad_port
[auth]
type = htpasswd
htpasswd_filename = $tmp/rad/users
htpasswd_encryption = plain
delay = 0
[rights]
type = from_file
file = $tmp/rad/rights
[storage]
filesystem_folder = $tmp/rad/store
[logging]
level = info
mask_passwords = True
EOF
}

# rad_start: starts radicale and waits (10 s at most) until it answers.
rad_start() {
    /usr/bin/radicale --config "$tmp/rad/config" >>"$rad_log" 2>&1 &
    rad_pid=$!
    i=0
    while [ $i -lt 100 ]; do
        if curl -s -o /dev/null -m 1 "$rad_url/.web/" 2>/dev/null; then
            return 0
        fi
        kill -0 "$rad_pid" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    echo "# radicale did not start:" && sed 's/^/#   /' "$rad_log" | tail -5
    return 1
}

rad_stop() {
    if [ -n "${rad_pid:-}" ]; then
        kill "$rad_pid" 2>/dev/null
        wait "$rad_pid" 2>/dev/null
        rad_pid=
    fi
}

# rad_put USER CALENDAR FILE : replaces the calendar USER/CALENDAR/ with the VCALENDAR in FILE
# (radicale splits it into one object per UID). Prints the HTTP status.
rad_put() {
    curl -s -o /dev/null -w '%{http_code}' -u "$1:pw-$1" -X PUT -H 'Content-Type: text/calendar' \
        --data-binary "@$3" "$rad_url/$1/$2/"
}

# ics_event UID SUMMARY DTSTART DTEND [EXTRA-LINE] : one VEVENT with CRLF line ends.
ics_event() {
    printf 'BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:%s\r\n' \
        "$1" "$3" "$4" "$2"
    [ -n "${5:-}" ] && printf '%s\r\n' "$5"
    printf 'END:VEVENT\r\n'
}
ics_begin() { printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//tests//EN\r\n'; }
ics_end() { printf 'END:VCALENDAR\r\n'; }

# rad_requests USER FROM-LINE : requests radicale logged for USER's collections after line FROM.
rad_requests() {
    tail -n +"$2" "$rad_log" | grep -c "request for '/$1/"
}
