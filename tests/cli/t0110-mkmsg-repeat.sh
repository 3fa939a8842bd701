#!/bin/sh
# t0110-mkmsg-repeat.sh - `mkmsg --repeat N [--from K] [--step S] SPEC OUTDIR`
# (the benchmark generator, tests/tools/mkmsg.md): each item is byte-identical
# to what single mode writes for the template with ${i...} substituted by
# hand; the file names follow --from/--step; bad templates and arguments exit
# 2 with "SPEC:LINE:" where a line applies.
# shellcheck disable=SC2016 # the templates' ${i...} are literal text
set -u
BUILD=${BUILD:-build}
MKMSG=$BUILD/tools/mkmsg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }

if [ ! -x "$MKMSG" ]; then
    notok "mkmsg built ($MKMSG missing)"
    exit 1
fi

cat >"$tmp/t.spec" <<'EOF'
# item ${i}
class "IPM.Appointment"
prop 0x0037 unicode "Meeting ${i}"
prop 0x0E07 long ${ i % 7 }
named appointment 0x820D systime ${i*600000000+134120772000000000}
named meeting 0x0003 binary 0400000042656E63${i:8}
EOF
# expected TEXT-OF-INDEX: the template expanded by hand for index $1.
expected() {
    i=$1
    sed -e "s/\${i}/$i/g" -e "s/\${ i % 7 }/$((i % 7))/" \
        -e "s/\${i\*600000000+134120772000000000}/$((i * 600000000 + 134120772000000000))/" \
        -e "s/\${i:8}/$(printf %08d "$i")/" "$tmp/t.spec"
}

if "$MKMSG" --repeat 3 --from 5 --step 20 "$tmp/t.spec" "$tmp/out" 2>"$tmp/err"; then
    ok "mkmsg --repeat runs"
else
    notok "mkmsg --repeat runs: $(cat "$tmp/err")"
fi
names=$(cd "$tmp/out" 2>/dev/null && printf '%s ' item*.msg)
if [ "$names" = "item000005.msg item000025.msg item000045.msg " ]; then
    ok "mkmsg --repeat names items by index (--from, --step)"
else
    notok "mkmsg --repeat names items by index: got '$names'"
fi
for i in 5 25 45; do
    expected $i >"$tmp/e$i.spec"
    if grep -q '\${' "$tmp/e$i.spec"; then
        notok "expected spec for item $i fully expanded"
        continue
    fi
    f=$tmp/out/$(printf 'item%06d.msg' "$i")
    if "$MKMSG" "$tmp/e$i.spec" "$tmp/e$i.msg" && cmp -s "$tmp/e$i.msg" "$f"; then
        ok "item $i equals single mode on the expanded template"
    else
        notok "item $i equals single mode on the expanded template"
    fi
done

# The defaults: --from 0, --step 1; OUTDIR created; an empty run writes nothing.
"$MKMSG" --repeat 2 "$tmp/t.spec" "$tmp/d" 2>/dev/null
if [ -f "$tmp/d/item000000.msg" ] && [ -f "$tmp/d/item000001.msg" ] && [ ! -e "$tmp/d/item000002.msg" ]; then
    ok "mkmsg --repeat 2 writes item000000 and item000001"
else
    notok "mkmsg --repeat 2 writes item000000 and item000001"
fi
if "$MKMSG" --repeat 0 "$tmp/t.spec" "$tmp/z" 2>/dev/null && [ -z "$(ls "$tmp/z")" ]; then
    ok "mkmsg --repeat 0 writes nothing"
else
    notok "mkmsg --repeat 0 writes nothing"
fi

bad() { # bad NAME EXPECTED-TEXT TEMPLATE-LINES
    printf '%s\n' "$3" >"$tmp/bad.spec"
    "$MKMSG" --repeat 2 "$tmp/bad.spec" "$tmp/bad" 2>"$tmp/bad.err"
    st=$?
    if [ "$st" -eq 2 ] && grep -qF "$2" "$tmp/bad.err"; then
        ok "mkmsg --repeat rejects $1"
    else
        notok "mkmsg --repeat rejects $1 (status $st: $(cat "$tmp/bad.err"))"
    fi
}
bad "an unknown variable" "bad.spec:2: bad template \${j}" 'class "IPM.Note"
prop 0x0037 unicode "x ${j}"'
bad "an unknown operator" "bad.spec:1: bad template" 'prop 0x0037 unicode "${i^2}"'
bad "an unterminated \${" "bad.spec:1: unterminated" 'prop 0x0037 unicode "${i"'
bad "a division by zero" "bad.spec:1: division by zero" 'prop 0x0E07 long ${i/0}'
bad "a negative value" "bad.spec:1: template \${i-1} is negative for i = 0" 'prop 0x0E07 long ${i-1}'
bad "a bad spec after expansion" "bad.spec:1: bad number" 'prop 0x0E07 long ${i}z'
"$MKMSG" --repeat x "$tmp/t.spec" "$tmp/x" 2>/dev/null
if [ $? -eq 2 ]; then ok "mkmsg --repeat x exits 2"; else notok "mkmsg --repeat x exits 2"; fi
"$MKMSG" --repeat 1 "$tmp/t.spec" 2>/dev/null
if [ $? -eq 2 ]; then ok "mkmsg --repeat without OUTDIR exits 2"; else notok "mkmsg --repeat without OUTDIR exits 2"; fi
