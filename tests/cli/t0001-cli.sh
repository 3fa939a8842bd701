#!/bin/sh
# t0001-cli.sh - the command line: --help and the man page list the same
# options, usage errors and unreadable files give "calcheck: WHAT: reason"
# with exit status 2.
set -u
BUILD=${BUILD:-build}
cc=$BUILD/calcheck
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
. tests/cli/expect.sh # expect NAME STATUS PATTERN CMD...

expect "--version" 0 '^calcheck [0-9]+\.[0-9]+\.[0-9]+$' $cc --version
expect "--help" 0 '^usage: calcheck \[-A\]' $cc --help
expect "no arguments is a usage error" 2 '^usage:' $cc
expect "unknown option" 2 "^calcheck: unknown option '--frobnicate'" $cc --frobnicate
expect "dump without file" 2 '^calcheck: dump needs a FILE' $cc dump
expect "dump unknown blob kind" 2 "^calcheck: unknown blob kind 'x'" $cc dump --blob x f
expect "dump missing file" 2 "^calcheck: $tmp/nope.msg: No such file or directory" $cc dump "$tmp/nope.msg"
: >"$tmp/empty.msg"
expect "dump empty file" 2 "^calcheck: $tmp/empty.msg: empty file" $cc dump "$tmp/empty.msg"
echo "BEGIN:VCALENDAR" >"$tmp/notes.msg"
expect "dump non-msg file" 2 "^calcheck: $tmp/notes.msg: not an Outlook .msg file" $cc dump "$tmp/notes.msg"
expect "dump a directory" 2 "^calcheck: $tmp: is a directory" $cc dump "$tmp"

# --help and the man page must list the same option spellings.
$cc --help | grep -Eo '^  -[-a-zA-Z, ]+' | grep -Eo -- '--?[a-zA-Z][-a-zA-Z]*' | sort -u >"$tmp/help"
grep -E '^\.It Fl' man/calcheck.1 | sed 's/\\-/-/g; s/\\&//g' | grep -Eo 'Fl -?[-a-zA-Z]+' |
    sed 's/^Fl /-/' | sort -u >"$tmp/man"
if [ -s "$tmp/help" ] && cmp -s "$tmp/help" "$tmp/man"; then
    ok "--help and calcheck.1 list the same options"
else
    nok "--help and calcheck.1 list the same options"
    diff "$tmp/help" "$tmp/man" | sed 's/^/#   /'
fi
