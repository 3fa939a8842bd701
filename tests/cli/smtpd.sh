# tests/cli/smtpd.sh - sourced by the -R tests (not a test itself): starts Debian's aiosmtpd on a
# free 127.0.0.1 port, storing every mail it accepts in a Maildir, and waits (10 s at most) until
# it greets with 220. Needs: $py (Debian's python3). Sets: $smtp_port, $smtp_pid.

smtp_free_port() {
    $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# smtpd_start MAILDIR LOG : returns 1 (and shows LOG) when it does not answer in time.
smtpd_start() {
    smtp_port=$(smtp_free_port)
    $py -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$1" >"$2" 2>&1 &
    smtp_pid=$!
    i=0
    until $py - "$smtp_port" <<'PY' 2>/dev/null; do
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
assert s.recv(100).startswith(b"220")
PY
        i=$((i + 1))
        if [ $i -ge 50 ]; then
            echo "# aiosmtpd did not start on 127.0.0.1:$smtp_port:" && sed 's/^/#   /' "$2" | tail -5
            return 1
        fi
        sleep 0.2
    done
}
