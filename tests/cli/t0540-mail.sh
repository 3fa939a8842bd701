#!/bin/sh
# t0540-mail.sh - -R end to end against a real SMTP server: aiosmtpd (Debian's
# python3-aiosmtpd) on a free 127.0.0.1 port stores every mail in a Maildir.
# Asserts: exactly one mail for a calendar with problems and none for a clean
# one; the right envelope and header recipient (--mail-to, or --owner); the
# subject; CalCheck.log attached byte for byte (and the CSVs with -A), parsed
# with Python's email module; a mailbox name or --mail-to carrying CR/LF adds
# no header; an unreachable server, a server without STARTTLS when it is
# required, and missing settings exit 2 with a clear message, never showing
# the password.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
py=/usr/bin/python3
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }

if ! $py -c 'import aiosmtpd' 2>/dev/null; then
    nok "aiosmtpd is not installed: run scripts/deps.sh test (python3-aiosmtpd)"
    exit 1
fi
. tests/cli/smtpd.sh
free_port() { smtp_free_port; }
md=$tmp/maildir
smtpd_start "$md" "$tmp/smtpd.log"
started=$?
pid=$smtp_pid # the trap stops it, started or not
[ $started -eq 0 ] || { nok "aiosmtpd did not start"; exit 1; }
port=$smtp_port
ok "aiosmtpd listens on 127.0.0.1:$port"

export CALCHECK_SMTP_URL="smtp://127.0.0.1:$port"
export CALCHECK_MAIL_FROM="CalCheck <calcheck@example.org>"
unset CALCHECK_SMTP_USER CALCHECK_SMTP_PASSWORD CALCHECK_SMTP_STARTTLS
mails() { ls "$md/new" 2>/dev/null | wc -l; }
newest() { ls -t "$md/new"/* | head -1; }

sh scripts/sample-ics.sh "$tmp/problems.ics" || { nok "sample calendar"; exit 1; }
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//t0510//EN\r\nBEGIN:VEVENT\r\nUID:ok-1@example.org\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:20261203T090000Z\r\nDTEND:20261203T100000Z\r\nSUMMARY:Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$tmp/clean.ics"

# checkmail MAIL LOG TO ATTACHMENTS... : the stored mail has the expected
# recipient in the envelope and the To header, the report subject, only the
# expected headers, and each attachment equal to the report file (the log
# without the line -R appended after sending).
checkmail() {
    $py - "$@" <<'PY'
import email, os, sys
from email import policy
path, log, to = sys.argv[1:4]
files = sys.argv[4:]
raw = open(path, 'rb').read()
m = email.message_from_bytes(raw, policy=policy.default)
res = []
def check(cond, what):
    print(('ok' if cond else 'not ok') + ' - ' + what)
names = [k.lower() for k in m.keys()]
want = {'date', 'from', 'to', 'subject', 'message-id', 'auto-submitted', 'mime-version',
        'content-type', 'x-peer', 'x-mailfrom', 'x-rcptto'}
check(set(names) == want and len(names) == len(want),
      'mail: only the expected headers, once each (%s)' % ', '.join(sorted(names)))
check(m['X-RcptTo'] == to, 'mail: envelope recipient %s (got %s)' % (to, m['X-RcptTo']))
check(m['To'].addresses[0].addr_spec == to, 'mail: To: %s' % to)
check(m['X-MailFrom'] == 'calcheck@example.org' and m['From'].addresses[0].display_name == 'CalCheck',
      'mail: from CALCHECK_MAIL_FROM')
check(str(m['Subject']).startswith('calcheck: 5 problem items in ') and
      str(m['Subject']).endswith('(4 errors, 2 warnings)'), 'mail: subject "%s"' % m['Subject'])
body = m.get_body(('plain',)).get_content()
check('in 5 of its 7 items: 4 errors and 2 warnings.' in body and 'What to do:' in body,
      'mail: the body has the counts and what to do')
att = list(m.iter_attachments())
check([a.get_filename() for a in att] == [os.path.basename(f) for f in files],
      'mail: attachments %s' % [a.get_filename() for a in att])
for a, f in zip(att, files):
    data = open(f, 'rb').read()
    if f == log:  # -R appends its outcome to the log after sending
        lines = data.split(b'\n')
        check(b'-R: report mailed to ' + to.encode() in lines[-2], 'log records the mail')
        data = b'\n'.join(lines[:-2]) + b'\n'
    check(a.get_content_disposition() == 'attachment' and a.get_payload(decode=True) == data,
          'mail: %s attached byte for byte (%d bytes)' % (os.path.basename(f), len(data)))
# (the Maildir keeps the lines with LF ends)
check(all(len(l) <= 78 and max(l, default=0) < 128 for l in raw.replace(b'\r\n', b'\n').split(b'\n')),
      'mail: 7-bit lines of at most 78 octets')
PY
}

# 1. A calendar with problems: one mail, to --mail-to, the log attached.
"$cc" --now 2026-11-25 -R --mail-to anna@example.org -O "$tmp/o1" "$tmp/problems.ics" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && ok "problems and mail sent: exit 1" || nok "exit $rc: $(cat "$tmp/err")"
grep -q "^calcheck: -R: report mailed to anna@example.org via smtp://127.0.0.1:$port$" "$tmp/out" &&
    ok "says where the report went" || nok "no 'report mailed' line: $(cat "$tmp/out")"
[ "$(mails)" -eq 1 ] && ok "exactly one mail" || nok "$(mails) mails"
checkmail "$(newest)" "$tmp/o1/CalCheck.log" anna@example.org "$tmp/o1/CalCheck.log"

# 2. A clean calendar: no mail.
"$cc" --now 2026-11-25 -R --mail-to anna@example.org -O "$tmp/o2" "$tmp/clean.ics" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(mails)" -eq 1 ] && ok "clean calendar: exit 0, no mail" ||
    nok "clean calendar: exit $rc, $(mails) mails"

# 3. -A: the CSVs too; the recipient is the --owner address.
"$cc" --now 2026-11-25 -R -A --owner "/o=Org/cn=Recipients/cn=ben" --owner ben@example.org \
    -O "$tmp/o3" "$tmp/problems.ics" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && [ "$(mails)" -eq 2 ] && ok "-A: one more mail" || nok "-A: exit $rc, $(mails) mails"
checkmail "$(newest)" "$tmp/o3/CalCheck.log" ben@example.org "$tmp/o3/CalCheck.log" \
    "$tmp/o3/CalCheckErr.csv" "$tmp/o3/CALCHECK.CSV"

# 4. Header injection: a mailbox (file) name with CR/LF becomes one subject line.
evil=$(printf 'evil\r\nBcc: victim@example.com\r\nX-Evil: 1.ics')
cp "$tmp/problems.ics" "$tmp/$evil"
(cd "$tmp" && "$cc" --now 2026-11-25 -R --mail-to anna@example.org -O "$tmp/o4" "$evil") \
    >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && [ "$(mails)" -eq 3 ] && ok "a name with CR/LF: mailed" ||
    nok "a name with CR/LF: exit $rc, $(mails) mails"
checkmail "$(newest)" "$tmp/o4/CalCheck.log" anna@example.org "$tmp/o4/CalCheck.log"
$py - "$(newest)" <<'PY'
import email, sys
from email import policy
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
s = str(m['Subject'])
ok = 'evil  Bcc: victim@example.com  X-Evil: 1.ics' in s and m['Bcc'] is None and m['X-Evil'] is None
print(('ok' if ok else 'not ok') + ' - the CR/LF name stays inside the subject: "%s"' % s)
PY
"$cc" --now 2026-11-25 -R --mail-to "$(printf 'anna@example.org\r\nBcc: victim@example.com')" \
    -O "$tmp/o5" "$tmp/problems.ics" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] && [ "$(mails)" -eq 3 ] && grep -q '^calcheck: --mail-to: address "anna@example.org\\r\\nBcc: victim@example.com" contains a control character' "$tmp/out" &&
    ok "--mail-to with CR/LF: exit 2 before checking, no mail" ||
    nok "--mail-to with CR/LF: exit $rc, $(mails) mails: $(head -2 "$tmp/out")"

# 5. Unreachable server: exit 2 naming it; the password is never shown.
dead=$(free_port)
CALCHECK_SMTP_URL="smtp://127.0.0.1:$dead" CALCHECK_SMTP_USER=anna CALCHECK_SMTP_PASSWORD=pw-s3cr3t \
    CALCHECK_SMTP_STARTTLS=off "$cc" --now 2026-11-25 -R --mail-to anna@example.org -O "$tmp/o6" \
    "$tmp/problems.ics" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^calcheck: smtp://127.0.0.1:$dead: .*onnect" "$tmp/err" &&
    ok "unreachable server: exit 2, $(head -1 "$tmp/err")" || nok "unreachable: exit $rc: $(cat "$tmp/err")"
grep -q "^calcheck: -R: the report was not mailed to anna@example.org; it is in $tmp/o6/CalCheck.log" "$tmp/err" &&
    grep -q -- "-R: could not mail the report to anna@example.org via smtp://127.0.0.1:$dead" "$tmp/o6/CalCheck.log" &&
    ok "the failure is on stderr and in the log" || nok "failure not reported"
! grep -rq "pw-s3cr3t" "$tmp/out" "$tmp/err" "$tmp/o6" && ok "the password appears nowhere" ||
    nok "the password leaked"

# 6. STARTTLS required, server without it: no mail sent in clear.
CALCHECK_SMTP_STARTTLS=required "$cc" --now 2026-11-25 -R --mail-to anna@example.org \
    -O "$tmp/o7" "$tmp/problems.ics" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(mails)" -eq 3 ] && grep -q "^calcheck: smtp://127.0.0.1:$port: the server does not offer STARTTLS" "$tmp/err" &&
    ok "STARTTLS required and not offered: exit 2, no mail" || nok "STARTTLS: exit $rc: $(cat "$tmp/err")"

# 7. A server that needs AUTH (aiosmtpd with an authenticator, in clear as
# CALCHECK_SMTP_STARTTLS=off allows), and one whose STARTTLS certificate is
# self-signed: the right password delivers, a wrong one and an unverifiable
# certificate exit 2 without mail.
cat >"$tmp/server.py" <<'PY'
import ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword
mode, port, maildir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def auth(server, session, envelope, mechanism, data):
    # handled=False: aiosmtpd then answers 535 itself
    return AuthResult(success=isinstance(data, LoginPassword) and data.login == b'anna'
                      and data.password == b'pw-s3cr3t', handled=False)
kw = {}
if mode == 'auth':
    kw = dict(authenticator=auth, auth_required=True, auth_require_tls=False)
else:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(sys.argv[4], sys.argv[5])
    kw = dict(tls_context=ctx, require_starttls=True)
c = Controller(Mailbox(maildir), hostname='127.0.0.1', port=port, **kw)
c.start()
print('ready', flush=True)
while True:
    time.sleep(3600)
PY
start_server() { # MODE PORT ARGS... ; waits for "ready" (at most 10 s)
    rm -f "$tmp/srv.out"
    $py "$tmp/server.py" "$@" >"$tmp/srv.out" 2>&1 &
    pid2=$!
    i=0
    until grep -q ready "$tmp/srv.out" 2>/dev/null || [ $i -ge 50 ]; do
        sleep 0.2
        i=$((i + 1))
    done
}
pid2=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid2" ] && kill "$pid2" 2>/dev/null; rm -rf "$tmp"' EXIT
aport=$(free_port)
start_server auth "$aport" "$md"
export CALCHECK_SMTP_STARTTLS=off
CALCHECK_SMTP_URL="smtp://127.0.0.1:$aport" CALCHECK_SMTP_USER=anna CALCHECK_SMTP_PASSWORD=pw-s3cr3t \
    "$cc" --now 2026-11-25 -R --mail-to anna@example.org -O "$tmp/a1" "$tmp/problems.ics" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && [ "$(mails)" -eq 4 ] && ok "AUTH with the right password: mailed" ||
    nok "AUTH: exit $rc, $(mails) mails: $(cat "$tmp/out")"
CALCHECK_SMTP_URL="smtp://127.0.0.1:$aport" CALCHECK_SMTP_USER=anna CALCHECK_SMTP_PASSWORD=wrong-pw \
    "$cc" --now 2026-11-25 -R --mail-to anna@example.org -O "$tmp/a2" "$tmp/problems.ics" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(mails)" -eq 4 ] && grep -q "^calcheck: smtp://127.0.0.1:$aport: the server refused the user name or password" "$tmp/err" &&
    ! grep -rq wrong-pw "$tmp/out" "$tmp/err" "$tmp/a2" && ok "AUTH with a wrong password: exit 2, $(head -1 "$tmp/err")" ||
    nok "wrong password: exit $rc: $(cat "$tmp/err")"
CALCHECK_SMTP_URL="smtp://127.0.0.1:$aport" \
    "$cc" --now 2026-11-25 -R --mail-to anna@example.org -O "$tmp/a3" "$tmp/problems.ics" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(mails)" -eq 4 ] && grep -q "^calcheck: smtp://127.0.0.1:$aport: the server refused the mail: .*(reply 530)" "$tmp/err" &&
    ok "AUTH needed, no user: exit 2, $(head -1 "$tmp/err")" || nok "no user: exit $rc: $(cat "$tmp/err")"
kill "$pid2"
unset CALCHECK_SMTP_STARTTLS
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout "$tmp/key.pem" \
        -out "$tmp/cert.pem" >/dev/null 2>&1; then
    tport=$(free_port)
    start_server tls "$tport" "$md" "$tmp/cert.pem" "$tmp/key.pem"
    CALCHECK_SMTP_URL="smtp://127.0.0.1:$tport" "$cc" --now 2026-11-25 -R --mail-to anna@example.org \
        -O "$tmp/t1" "$tmp/problems.ics" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 2 ] && [ "$(mails)" -eq 4 ] && grep -q "^calcheck: smtp://127.0.0.1:$tport: .*certificate" "$tmp/err" &&
        ok "STARTTLS with a self-signed certificate: refused, $(head -1 "$tmp/err")" ||
        nok "self-signed STARTTLS: exit $rc: $(cat "$tmp/err")"
    kill "$pid2"
else
    ok "STARTTLS certificate check # skip openssl not available"
fi

# 8. Settings missing or wrong: exit 2 before anything is checked.
# expect2 NAME PATTERN ENV ARG... : env settings (for env(1)) and calcheck arguments.
expect2() {
    name=$1 pat=$2 envs=$3
    shift 3
    env $envs "$cc" -R -O "$tmp/o8" "$@" "$tmp/problems.ics" >"$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq 2 ] && grep -Eq -- "$pat" "$tmp/out" && [ ! -e "$tmp/o8" ]; then
        ok "$name"
    else
        nok "$name (exit $rc)"
        sed 's/^/#   /' "$tmp/out" | head -3
    fi
}
expect2 "no CALCHECK_SMTP_URL" '^calcheck: -R: no mail server: set CALCHECK_SMTP_URL' "-u CALCHECK_SMTP_URL" --mail-to=a@example.org
expect2 "a bad URL" '^calcheck: CALCHECK_SMTP_URL: SMTP URL "http://x" does not start with smtp://' CALCHECK_SMTP_URL=http://x --mail-to=a@example.org
expect2 "credentials in the URL" 'never in the URL' CALCHECK_SMTP_URL=smtp://u:p@127.0.0.1:25 --mail-to=a@example.org
expect2 "a bad STARTTLS mode" "^calcheck: CALCHECK_SMTP_STARTTLS: 'maybe' is not off, try or required" CALCHECK_SMTP_STARTTLS=maybe --mail-to=a@example.org
expect2 "no CALCHECK_MAIL_FROM" '^calcheck: -R: CALCHECK_MAIL_FROM is not set' "-u CALCHECK_MAIL_FROM" --mail-to=a@example.org
expect2 "a bad sender" '^calcheck: CALCHECK_MAIL_FROM: address "calcheck" is not valid' CALCHECK_MAIL_FROM=calcheck --mail-to=a@example.org
expect2 "no recipient" '^calcheck: -R: no recipient: give --mail-to ADDRESS or --owner ADDRESS' ""
expect2 "no --owner is an address" '^calcheck: -R: no recipient: give --mail-to ADDRESS \(no --owner is an SMTP address\)' "" --owner /o=Org/cn=x
expect2 "a bad recipient" "^calcheck: --mail-to: address \"not-an-address\" is not valid: no '@'" "" --mail-to=not-an-address
"$cc" --mail-to a@example.org "$tmp/clean.ics" >"$tmp/out" 2>&1
[ $? -eq 2 ] && grep -q '^calcheck: --mail-to is for -R' "$tmp/out" && ok "--mail-to without -R is a usage error" ||
    nok "--mail-to without -R"
[ "$(mails)" -eq 4 ] && ok "four mails in all" || nok "$(mails) mails in all"
