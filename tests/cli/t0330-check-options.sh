#!/bin/sh
# t0330-check-options.sh - the checker's switches on small generated
# calendars: -No by number, key and group; CalCheck.cfg with exact keys
# (CalCheck's substring bug: "rtaddress" must not switch off "rtaddresstype");
# --fail-on; -A; --now; unreadable sources and bad usage exit 2 naming the path.
set -u
BUILD=${BUILD:-build}
cc=$BUILD/calcheck
mkmsg=$BUILD/tools/mkmsg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }

# A meeting with two defects: no delivery time (ERROR 0059) and no subject on a
# future item (WARNING 0032); recipients with address type "X400" (WARNING 0058).
cat >"$tmp/item.spec" <<'SPEC'
class "IPM.Appointment"
prop 0x0042 unicode "Ada Lovelace"
prop 0x0065 unicode "ada@example.org"
prop 0x0064 unicode "SMTP"
prop 0x0C1A unicode "Ada Lovelace"
prop 0x0C1F unicode "ada@example.org"
prop 0x0C1E unicode "SMTP"
named appointment 0x820D systime 2027-03-02T09:00:00Z
named appointment 0x820E systime 2027-03-02T09:30:00Z
named appointment 0x8223 boolean false
named appointment 0x8217 long 1
recip
    prop 0x3001 unicode "Bob"
    prop 0x3002 unicode "X400"
    prop 0x3003 unicode "c=US;a=;p=Org;o=Bob"
    prop 0x0C15 long 1
end
SPEC
mkdir -p "$tmp/cal"
"$mkmsg" "$tmp/item.spec" "$tmp/cal/item.msg" || { nok "build the test item"; exit 0; }

# ids CALENDAR ARGS... : runs calcheck, prints the ids it logged (sorted, unique).
ids() {
    "$cc" --now 2026-11-25 -O "$tmp/out" "$@" >/dev/null 2>&1
    echo "rc=$?" >"$tmp/rc"
    grep -Eo ' (ERROR|WARNING|INFO) [0-9]{4}:' "$tmp/out/CalCheck.log" | grep -Eo '[0-9]{4}' | sort -u | tr '\n' ' '
}
has() { case " $1 " in *" $2 "*) return 0 ;; esac; return 1; }

all=$(ids "$tmp/cal")
if has "$all" 0059 && has "$all" 0032 && has "$all" 0058; then ok "the defects are found ($all)"; else nok "the defects are found ($all)"; fi
grep -q 'rc=1' "$tmp/rc" && ok "an ERROR exits 1" || nok "an ERROR exits 1"

got=$(ids -No 0059 "$tmp/cal")
has "$got" 0059 || ! has "$got" 0032 && nok "-No 0059" || ok "-No 0059 drops only 0059"
got=$(ids -No 59 -No nosubject "$tmp/cal")
! has "$got" 0059 && ! has "$got" 0032 && has "$got" 0058 && ok "-No 59 and -No nosubject (a cfg key)" || nok "-No by short number and key ($got)"
got=$(ids -No org "$tmp/cal")
"$cc" --list-checks | awk -F'\t' '$4=="organizer"{print $1}' >"$tmp/org"
bad=0
for id in $(cat "$tmp/org"); do has "$got" "$id" && bad=1; done
[ -s "$tmp/org" ] && [ "$bad" -eq 0 ] && has "$got" 0059 && ok "-No org drops the organizer family" || nok "-No org ($got)"

printf '# CalCheck.cfg\n[Tests]\nrtaddress=false\nDeliverTime = false\n' >"$tmp/CalCheck.cfg"
got=$(ids -I "$tmp" "$tmp/cal")
! has "$got" 0059 && has "$got" 0058 && ok "CalCheck.cfg keys match exactly and ignore case" || nok "CalCheck.cfg exact keys ($got)"
grep -q 'rc=0' "$tmp/rc" && ok "only warnings left: exit 0" || nok "only warnings left: exit 0"
ids -I "$tmp" --fail-on warning "$tmp/cal" >/dev/null
grep -q 'rc=1' "$tmp/rc" && ok "--fail-on warning exits 1 on warnings" || nok "--fail-on warning"
printf 'warningiserror=true\ndelivertime=false\n' >"$tmp/wie.cfg"
ids -I "$tmp/wie.cfg" "$tmp/cal" >/dev/null
grep -q 'rc=1' "$tmp/rc" && ok "warningiserror=true makes warnings flag (exit 1)" || nok "warningiserror"

printf 'nosuchkey=false\n' >"$tmp/bad.cfg"
"$cc" -I "$tmp/bad.cfg" "$tmp/cal" -O "$tmp/out" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^calcheck: $tmp/bad.cfg:1: unknown key" "$tmp/err" && ok "an unknown CalCheck.cfg key names file and line, exit 2" || nok "unknown cfg key"
"$cc" -No 9999 "$tmp/cal" -O "$tmp/out" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^calcheck: -No '9999'" "$tmp/err" && ok "-No with an unknown test exits 2" || nok "-No unknown"
"$cc" --now 2026-13-01 "$tmp/cal" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && ok "--now with a bad date exits 2" || nok "--now bad date"
"$cc" -O "$tmp/out" "$tmp/missing" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^calcheck: $tmp/missing: No such file or directory" "$tmp/err" && ok "a missing source exits 2 naming it" || nok "missing source"
echo "BEGIN:VCALENDAR" >"$tmp/notes.msg"
"$cc" -O "$tmp/out" "$tmp/notes.msg" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^calcheck: $tmp/notes.msg: not an Outlook .msg, .pst or .ost file" "$tmp/err" && ok "a named non-Outlook file exits 2" || nok "named non-msg"
cp "$tmp/notes.msg" "$tmp/cal/"
got=$(ids "$tmp/cal")
has "$got" 0099 && has "$got" 0059 && ok "a broken .msg inside a folder is 0099 and the run goes on" || nok "broken item in folder ($got)"
rm "$tmp/cal/notes.msg"
: >"$tmp/ro" && chmod 444 "$tmp/ro"
"$cc" -O "$tmp/ro" "$tmp/cal" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^calcheck: $tmp/ro" "$tmp/err" && ok "an unusable -O exits 2 naming it" || nok "unusable -O"
sum_before=$(cksum <"$tmp/cal/item.msg")
"$cc" -A -O "$tmp/out" "$tmp/cal" >/dev/null 2>&1
[ "$(cksum <"$tmp/cal/item.msg")" = "$sum_before" ] && ok "the input is not changed" || nok "input changed"
[ "$(wc -l <"$tmp/out/CALCHECK.CSV")" -eq 2 ] && ok "-A writes every item to CALCHECK.CSV" || nok "-A"
# The time bounds are configurable: the item starts 2027-03-02.
got=$(ids "$tmp/cal")
! has "$got" 0018 && ok "2027 is inside the default high bound (now + 10 years)" || nok "default high bound ($got)"
printf 'highbound=2027-01-01\n' >"$tmp/hb.cfg"
got=$(ids -I "$tmp/hb.cfg" "$tmp/cal")
has "$got" 0018 && has "$got" 0023 && ok "highbound=DATE moves the high bound" || nok "highbound=DATE ($got)"
printf 'lowbound=2028-01-01\nhighbound=+5\n' >"$tmp/lb.cfg"
got=$(ids -I "$tmp/lb.cfg" "$tmp/cal")
has "$got" 0017 && has "$got" 0022 && ! has "$got" 0018 && ok "lowbound=DATE and highbound=+YEARS" || nok "lowbound ($got)"
# -F: flagged items are copied, the input stays as it was, copies re-check
# to the same findings, and a second run never overwrites a copy.
sum_before=$(cksum <"$tmp/cal/item.msg")
"$cc" --now 2026-11-25 -F -O "$tmp/q" "$tmp/cal" >/dev/null 2>&1
copy=$(ls "$tmp/q/CalCheck/" 2>/dev/null)
[ "$copy" = "0001 no subject.msg" ] && ok "-F copies the flagged item as '0001 no subject.msg'" || nok "-F copy name ($copy)"
[ "$(cksum <"$tmp/cal/item.msg")" = "$sum_before" ] && ok "-F leaves the input unchanged" || nok "-F changed the input"
a=$(ids "$tmp/cal")
b=$(ids "$tmp/q/CalCheck")
[ -n "$a" ] && [ "$a" = "$b" ] && ok "the copy re-checks to the same findings ($b)" || nok "copy findings ($a / $b)"
grep -q "item 1 copied to $tmp/q/CalCheck/0001 no subject.msg" "$tmp/q/CalCheck.log" && ok "the log records the copy" || nok "log records the copy"
"$cc" --now 2026-11-25 -F -O "$tmp/q" "$tmp/cal" >/dev/null 2>&1
[ $? -eq 1 ] && [ "$(ls "$tmp/q/CalCheck" | wc -l)" -eq 1 ] && grep -q "item 1 already copied" "$tmp/q/CalCheck.log" && ok "-F run twice: the identical copy counts as done" || nok "-F rerun"
echo "something else" >"$tmp/q/CalCheck/0001 no subject.msg"
"$cc" --now 2026-11-25 -F -O "$tmp/q" "$tmp/cal" >/dev/null 2>&1
[ "$(cat "$tmp/q/CalCheck/0001 no subject.msg")" = "something else" ] && [ -f "$tmp/q/CalCheck/0001 no subject (2).msg" ] && ok "-F never overwrites a different file: it writes 'NAME (2).msg'" || nok "-F overwrite"
