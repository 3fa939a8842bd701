#!/bin/sh
# t0550-server-mail.sh - -R in server mode against real peers: radicale (users u01..u08, an
# admin) and aiosmtpd (its Mailbox handler stores every mail in a Maildir), both on 127.0.0.1.
# Users u01, u02, u05, u06 have a defective event, the others are clean. Asserts: exactly one
# mail per mailbox with problems and none for a clean one; each goes to the mailbox's address -
# the profile's address.MAILBOX, else MAILBOX@mail_domain, else (no mail_domain) --mail-to - with
# that mailbox's own CalCheck_<mailbox>.log attached byte for byte (the stored mail is parsed
# with Python's email module); CalCheckSvr.log lists every mail; the SMTP settings come from the
# profile; an SMTP server that is down leaves the reports in place, names the failures in
# CalCheckSvr.log and exits 1.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
tmp=$(mktemp -d)
py=/usr/bin/python3
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
. tests/cli/radicale.sh
smtp_pid=
trap 'rad_stop; [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

if [ ! -x /usr/bin/radicale ] || ! $py -c 'import aiosmtpd' 2>/dev/null; then
    sh scripts/deps.sh test >/dev/null 2>&1
fi
if [ ! -x /usr/bin/radicale ] || ! command -v curl >/dev/null || ! $py -c 'import aiosmtpd' 2>/dev/null; then
    echo "ok - # SKIP radicale, curl or aiosmtpd not installed (scripts/deps.sh test installs them as root)"
    exit 0
fi

users="u01 u02 u03 u04 u05 u06 u07 u08"
bad_users="u01 u02 u05 u06"
rad_setup $users
rad_start || { nok "radicale starts"; exit 1; }
seeded=0
for u in $users; do
    {
        ics_begin
        ics_event "clean-1@$u" "Standup $u" 20261201T090000Z 20261201T093000Z
        case " $bad_users " in
        *" $u "*) ics_event "bad@$u" "Backwards $u" 20261203T100000Z 20261203T090000Z ;;
        esac
        ics_end
    } >"$tmp/$u.ics"
    [ "$(rad_put "$u" cal "$tmp/$u.ics")" = 201 ] && seeded=$((seeded + 1))
done
[ $seeded -eq 8 ] && ok "seeded 8 users, 4 with a defect" || nok "seeded $seeded of 8"

. tests/cli/smtpd.sh
md=$tmp/maildir
smtpd_start "$md" "$tmp/smtpd.log" || { nok "aiosmtpd did not start"; exit 1; }
port=$smtp_port
ok "aiosmtpd listens on 127.0.0.1:$port"

# The SMTP settings and the addresses come from the profile only.
unset CALCHECK_SMTP_URL CALCHECK_MAIL_FROM CALCHECK_SMTP_USER CALCHECK_SMTP_PASSWORD
cat >"$tmp/profiles" <<EOF
[dav]
kind = caldav
url = $rad_url/
user = admin
password_env = DAV_PW
smtp_host = 127.0.0.1
smtp_port = $port
smtp_starttls = false
mail_from = CalCheck <calcheck@example.org>
mail_domain = mail.example.org
address.u01 = Boss One <boss.one@example.org>
EOF
export DAV_PW=adminpw

# mailcheck: one line per stored mail: the envelope recipient, the To address, the subject's
# mailbox and whether the attached log equals that mailbox's CalCheck_<mailbox>.log (as it was
# sent, i.e. without the line -R appends afterwards).
mailcheck() {
    $py - "$md" "$1" <<'PY'
import email, glob, os, re, sys
from email import policy
md, out = sys.argv[1], sys.argv[2]
for path in sorted(glob.glob(os.path.join(md, "new", "*"))):
    m = email.message_from_bytes(open(path, "rb").read(), policy=policy.default)
    rcpt = m.get("X-RcptTo", "")
    to = m["To"].addresses[0].addr_spec if m["To"] else ""
    subj = str(m["Subject"])
    hit = re.search(r" in (\S+) \(", subj)  # "calcheck: 1 problem item in u01 (1 error, ...)"
    box = hit.group(1) if hit else "?"
    same = "no-log"
    for part in m.iter_attachments():
        if part.get_filename() == "CalCheck_%s.log" % box or part.get_filename() == "CalCheck.log":
            data = part.get_content()
            data = data if isinstance(data, bytes) else data.encode()
            log = open(os.path.join(out, "CalCheck_%s.log" % box), "rb").read()
            lines = log.split(b"\n")
            sent = b"\n".join(l for l in lines if b" -R: report mailed to " not in l)
            same = "log-ok" if data == sent else "log-differs"
    print(rcpt, to, box, same)
PY
}

"$cc" --now 2026-11-25 -P "$tmp/profiles" -S "$rad_url/" -R -O "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 1 ] && ok "-S -R: problems found, exit 1" || { nok "-S -R: exit $rc"; sed 's/^/#   /' "$tmp/stderr"; }
mailcheck "$tmp/out" >"$tmp/mails"
n=$(wc -l <"$tmp/mails")
[ "$n" -eq 4 ] && ok "exactly 4 mails for the 4 mailboxes with problems" ||
    { nok "$n mails for 4 mailboxes with problems"; sed 's/^/#   /' "$tmp/mails"; }
for u in $users; do
    case " $bad_users " in
    *" $u "*)
        want=$u@mail.example.org
        shown=$want
        [ $u = u01 ] && want=boss.one@example.org && shown="Boss One <boss.one@example.org>"
        c=$(grep -c " $u " "$tmp/mails")
        line=$(grep " $u " "$tmp/mails")
        if [ "$c" -eq 1 ] && [ "$line" = "$want $want $u log-ok" ]; then
            ok "$u: one mail to $want with its own log attached"
        else
            nok "$u: mails: $line (want one to $want with its log)"
        fi
        grep -qF "; report mailed to $shown" "$tmp/out/CalCheckSvr.log" &&
            grep -q "Mailbox \"$u\":.*; report mailed to " "$tmp/out/CalCheckSvr.log" &&
            ok "$u: CalCheckSvr.log says the report was mailed to $shown" ||
            nok "$u: CalCheckSvr.log has no mail line"
        ;;
    *)
        grep -q " $u " "$tmp/mails" && nok "$u (clean) got a mail" || ok "$u (clean): no mail"
        ;;
    esac
done
grep -q 'Report mails (-R): 4 sent, 0 not sent$' "$tmp/out/CalCheckSvr.log" &&
    ok "CalCheckSvr.log: 4 sent, 0 not sent" || nok "CalCheckSvr.log mail totals"
grep -q 'adminpw' "$tmp/stdout" "$tmp/stderr" "$tmp/out"/*.log && nok "the password shows" ||
    ok "no password in any output"

# Without mail_domain, the mailboxes without an address.MAILBOX go to --mail-to.
sed '/^mail_domain/d' "$tmp/profiles" >"$tmp/profiles2"
rm -f "$md/new"/*
"$cc" --now 2026-11-25 -P "$tmp/profiles2" -S "$rad_url/" -R --mail-to ops@example.org \
    -O "$tmp/out2" >"$tmp/stdout2" 2>"$tmp/stderr2"
mailcheck "$tmp/out2" >"$tmp/mails2"
[ "$(grep -c '^ops@example.org ops@example.org ' "$tmp/mails2")" -eq 3 ] &&
    [ "$(grep -c '^boss.one@example.org boss.one@example.org u01 log-ok$' "$tmp/mails2")" -eq 1 ] &&
    ok "no mail_domain: u01 to its address.u01, the other three to --mail-to" ||
    { nok "fallback to --mail-to"; sed 's/^/#   /' "$tmp/mails2"; }

# The mail server is down: reports stay, each failure is named, exit 1 (not 2: mailboxes ran).
kill "$smtp_pid" 2>/dev/null
wait "$smtp_pid" 2>/dev/null
smtp_pid=
"$cc" --now 2026-11-25 -P "$tmp/profiles" -S "$rad_url/" -R -O "$tmp/out3" >"$tmp/stdout3" 2>"$tmp/stderr3"
rc=$?
[ $rc -eq 1 ] && grep -q 'Report mails (-R): 0 sent, 4 not sent$' "$tmp/out3/CalCheckSvr.log" &&
    grep -q 'u02: report NOT mailed to u02@mail.example.org' "$tmp/out3/CalCheckSvr.log" &&
    grep -q "calcheck: -R: 4 report mails could not be sent: see CalCheckSvr.log" "$tmp/stderr3" &&
    [ -s "$tmp/out3/CalCheck_u02.log" ] &&
    ok "SMTP down: exit 1, the 4 failures named in CalCheckSvr.log, the logs written" ||
    { nok "SMTP down: exit $rc"; sed 's/^/#   /' "$tmp/stderr3"; }
