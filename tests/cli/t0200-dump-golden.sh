#!/bin/sh
# t0200-dump-golden.sh - `calcheck dump` on every fixture in tests/fixtures/msg,
# text and JSON, compared byte for byte with the reviewed files in
# tests/golden/dump/. After a deliberate change, regenerate with
# UPDATE_GOLDEN=1 sh tests/cli/t0200-dump-golden.sh and review the diff.
set -u
BUILD=${BUILD:-build}
top=$(pwd)
cc=$top/$BUILD/calcheck
mkmsg=$top/$BUILD/tools/mkmsg
gold=$top/tests/golden/dump
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in tests/fixtures/msg/*.spec; do
    name=$(basename "$spec" .spec)
    case $name in difat | many-fat-sectors) continue ;; esac # megabytes of hex, covered elsewhere
    "$mkmsg" "$spec" "$tmp/$name.msg" || { echo "not ok - mkmsg $name"; continue; }
    for form in txt json; do
        flag=""
        [ "$form" = json ] && flag=--json
        (cd "$tmp" && "$cc" dump $flag "$name.msg" >"$name.$form" 2>&1)
        rc=$?
        echo "exit $rc" >>"$tmp/$name.$form"
        if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
            cp "$tmp/$name.$form" "$gold/$name.$form"
        fi
        if cmp -s "$tmp/$name.$form" "$gold/$name.$form"; then
            echo "ok - dump $name ($form) matches the golden file"
        else
            echo "not ok - dump $name ($form) matches the golden file"
            diff "$gold/$name.$form" "$tmp/$name.$form" 2>&1 | head -20 | sed 's/^/#   /'
        fi
    done
done
