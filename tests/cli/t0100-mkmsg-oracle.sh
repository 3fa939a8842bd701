#!/bin/sh
# t0100-mkmsg-oracle.sh - the .msg fixture writer checked against an
# independent compound-file reader: every tests/fixtures/msg/*.spec must
# become a file that libolecf's olecfinfo opens, with the streams and sizes the
# spec implies, and olecfexport must extract byte-exact stream contents.
# Also: the writer is deterministic and rejects bad specs with exit 2 and a
# "SPEC:LINE:" message. Skips the oracle parts when olecfinfo is absent.
set -u
BUILD=${BUILD:-build}
MKMSG=$BUILD/tools/mkmsg
FIX=tests/fixtures/msg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }
check() { # check NAME CMD...
    name=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$name"; else notok "$name"; fi
}
# Hex dump of a file without spaces or newlines (POSIX od).
hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
# Hex of a UTF-16LE encoding of ASCII text.
utf16hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/\(..\)/\100/g'; }

if [ ! -x "$MKMSG" ]; then
    notok "mkmsg built ($MKMSG missing)"
    exit 1
fi

# Every spec builds, deterministically.
for spec in "$FIX"/*.spec; do
    b=$(basename "$spec" .spec)
    if "$MKMSG" "$spec" "$tmp/$b.msg" 2>"$tmp/$b.err" &&
        "$MKMSG" - "$tmp/$b.again.msg" <"$spec" 2>>"$tmp/$b.err" &&
        cmp -s "$tmp/$b.msg" "$tmp/$b.again.msg"; then
        ok "mkmsg $b.spec builds and is deterministic"
    else
        notok "mkmsg $b.spec builds and is deterministic: $(cat "$tmp/$b.err")"
    fi
done

# Bad specs: exit status 2 and the spec name with the line number.
bad() { # bad NAME EXPECTED-TEXT SPEC-TEXT
    printf '%s\n' "$3" >"$tmp/bad.spec"
    "$MKMSG" "$tmp/bad.spec" "$tmp/bad.msg" 2>"$tmp/bad.err"
    st=$?
    if [ "$st" -eq 2 ] && grep -qF "$tmp/bad.spec:$2" "$tmp/bad.err"; then
        ok "mkmsg rejects $1"
    else
        notok "mkmsg rejects $1 (status $st: $(cat "$tmp/bad.err"))"
    fi
}
bad "an unknown statement" "2: unknown statement" 'class "IPM.Note"
frobnicate 1'
bad "an unknown type" "1: unknown property type" 'prop 0x0037 text "x"'
bad "a bad number" "1: bad number" 'prop 0x0E07 long 12z'
bad "an unterminated string" "1: unterminated string" 'prop 0x0037 unicode "x'
bad "an unclosed blob" "2: blob not closed" 'prop 0x0037 unicode "x"
prop 0x1013 binary blob u8:1
u8:2'
bad "a missing end" "1: \"recip\" not closed by \"end\"" 'recip
prop 0x3001 unicode "x"'
bad "an unknown property set" "1: bad GUID or unknown property set" 'named nosuchset 0x8001 long 1'
bad "a value too large" "1: number 70000 does not fit 2" 'prop 0x0001 i2 70000'
bad "a bad date" "1: bad date" 'prop 0x0039 systime 2026-3-2'
"$MKMSG" >/dev/null 2>&1
check "mkmsg without arguments exits 2" test $? -eq 2

if ! command -v olecfinfo >/dev/null 2>&1 || ! command -v olecfexport >/dev/null 2>&1; then
    ok "olecfinfo oracle # skip olecfinfo/olecfexport not installed"
    exit 0
fi

# has FILE LINE...: olecfinfo lists each "name (N bytes)" line.
has() {
    f=$1
    shift
    olecfinfo "$tmp/$f.msg" >"$tmp/$f.info" 2>&1 || return 1
    for want in "$@"; do
        grep -qF "$want" "$tmp/$f.info" || { echo "missing: $want" >&2; return 1; }
    done
}
# export FILE: olecfexport into $tmp/FILE.export
export_msg() { olecfexport -t "$tmp/$1" "$tmp/$1.msg" >/dev/null 2>&1; }
# same FILE STREAM-PATH HEX: the exported stream equals HEX.
same() {
    got=$(hexof "$tmp/$1.export/$2/StreamData.bin" 2>/dev/null)
    [ "$got" = "$3" ] || { echo "got $got, want $3" >&2; return 1; }
}

for spec in "$FIX"/*.spec; do
    b=$(basename "$spec" .spec)
    check "olecfinfo opens $b.msg" olecfinfo "$tmp/$b.msg"
done

check "plain-appointment: streams and sizes" has plain-appointment \
    "__substg1.0_001A001F (30 bytes)" "__substg1.0_0037001F (22 bytes)" \
    "__properties_version1.0 (" "__nameid_version1.0 (0 bytes)" \
    "__substg1.0_00020102 (48 bytes)" "__substg1.0_00040102 (20 bytes)"
export_msg plain-appointment
check "plain-appointment: subject stream is UTF-16LE without terminator" \
    same plain-appointment __substg1.0_0037001F "$(utf16hex 'Weekly sync')"
# GUID stream: Appointment, Common, Meeting in order of first use (PS_PUBLIC_STRINGS is index 2).
check "plain-appointment: GUID stream" same plain-appointment __nameid_version1.0/__substg1.0_00020102 \
    "0220060000000000c0000000000000460820060000000000c00000000000004690dad86e0b451b1098da00aa003f1305"
# String stream: length 16, "Keywords" in UTF-16LE (already a multiple of 4).
check "plain-appointment: name string stream" same plain-appointment __nameid_version1.0/__substg1.0_00040102 \
    "10000000$(utf16hex Keywords)"
# Multi-valued string: length stream and NUL-terminated element streams.
check "plain-appointment: mv_unicode length stream" same plain-appointment __substg1.0_800A101F \
    "0a00000012000000"
check "plain-appointment: mv_unicode element" same plain-appointment __substg1.0_800A101F-00000000 \
    "$(utf16hex Work)0000"

check "recurring-meeting: recipients, attachments, embedded messages" has recurring-meeting \
    "__recip_version1.0_#00000000" "__recip_version1.0_#00000002" \
    "__attach_version1.0_#00000001" "__substg1.0_3701000D (0 bytes)"
export_msg recurring-meeting
# Top-level header: next recip 3, next attach 2, 3 recipients, 2 attachments.
check "recurring-meeting: property stream header" sh -c \
    "od -An -tx1 -v -N32 '$tmp/recurring-meeting.export/__properties_version1.0/StreamData.bin' | tr -d ' \n' | grep -qx 0000000000000000030000000200000003000000020000000000000000000000"
# Embedded message: 24-byte header (1 recipient, 0 attachments), then the class entry.
check "recurring-meeting: embedded message header" sh -c \
    "od -An -tx1 -v -N40 '$tmp/recurring-meeting.export/__attach_version1.0_#00000000/__substg1.0_3701000D/__properties_version1.0/StreamData.bin' | tr -d ' \n' | grep -qx 0000000000000000010000000000000001000000000000001f001a00060000006a00000000000000"
check "recurring-meeting: embedded recipient name" same recurring-meeting \
    "__attach_version1.0_#00000000/__substg1.0_3701000D/__recip_version1.0_#00000000/__substg1.0_3001001F" \
    "$(utf16hex 'Charles Babbage')"
# Attachment: PidTagAttachMethod 5 and the PT_OBJECT entry with size 0xFFFFFFFF.
check "recurring-meeting: attach method and object entry" sh -c \
    "od -An -tx1 -v '$tmp/recurring-meeting.export/__attach_version1.0_#00000000/__properties_version1.0/StreamData.bin' | tr -d ' \n' | grep -q 030005370600000005000000000000000d00013706000000ffffffff00000000"

check "streams-mini-and-big: sizes" has streams-mini-and-big \
    "__substg1.0_10130102 (4096 bytes)" "__substg1.0_10090102 (20000 bytes)" \
    "__substg1.0_670A0102 (4095 bytes)" "__substg1.0_670B0102 (0 bytes)" \
    "__substg1.0_67191102 (24 bytes)" "__substg1.0_67191102-00000002 (4 bytes)"
export_msg streams-mini-and-big
printf '%4096s' '' | tr ' ' 'H' >"$tmp/h4096"
check "streams-mini-and-big: 4096-byte stream from the FAT is exact" \
    cmp "$tmp/h4096" "$tmp/streams-mini-and-big.export/__substg1.0_10130102/StreamData.bin"
check "streams-mini-and-big: small stream from the mini stream is exact" \
    same streams-mini-and-big __substg1.0_67030102 01020304
check "streams-mini-and-big: surrogate pair" same streams-mini-and-big __substg1.0_6723001F \
    "$(utf16hex 'smile ')3dd800de"
check "streams-mini-and-big: mv_long stream" same streams-mini-and-big __substg1.0_67141003 \
    010000000200000003000000

check "many-fat-sectors: 300000-byte attachment" has many-fat-sectors \
    "__substg1.0_37010102 (300000 bytes)"
export_msg many-fat-sectors
check "many-fat-sectors: attachment data head and tail" sh -c \
    "f='$tmp/many-fat-sectors.export/__attach_version1.0_#00000000/__substg1.0_37010102/StreamData.bin'; \
     [ \$(od -An -tx1 -N4 \"\$f\" | tr -d ' \n') = deadbeef ] && \
     [ \$(tail -c 4 \"\$f\" | od -An -tx1 | tr -d ' \n') = cafef00d ]"
# Header: 5 FAT sectors, no DIFAT sector.
check "many-fat-sectors: header counts" sh -c \
    "[ \$(od -An -tx1 -j44 -N4 '$tmp/many-fat-sectors.msg' | tr -d ' \n') = 05000000 ] && \
     [ \$(od -An -tx1 -j68 -N8 '$tmp/many-fat-sectors.msg' | tr -d ' \n') = feffffff00000000 ]"

check "difat: 7400000-byte attachment" has difat "__substg1.0_37010102 (7400000 bytes)"
check "difat: header has more than 109 FAT sectors and one DIFAT sector" sh -c \
    "n=\$(od -An -tu4 -j44 -N4 '$tmp/difat.msg' | tr -d ' '); d=\$(od -An -tu4 -j72 -N4 '$tmp/difat.msg' | tr -d ' '); \
     [ \"\$n\" -gt 109 ] && [ \"\$d\" -eq 1 ]"
export_msg difat
check "difat: attachment data tail read through DIFAT-listed FAT sectors" sh -c \
    "[ \$(tail -c 8 '$tmp/difat.export/__attach_version1.0_#00000000/__substg1.0_37010102/StreamData.bin' | od -An -tx1 | tr -d ' \n') = 0807060504030201 ]"

check "named-props: name map streams" has named-props \
    "__substg1.0_00020102 (" "__substg1.0_00030102 (144 bytes)"
export_msg named-props
check "allday-string8: 8-bit streams" has allday-string8 "__substg1.0_0037001E (8 bytes)" \
    "__substg1.0_8007101E-00000000 (8 bytes)"
export_msg allday-string8
check "allday-string8: PT_STRING8 subject is exact (cp1252 byte kept)" \
    same allday-string8 __substg1.0_0037001E 436166e920646179

check "defects: overridden and orphan streams" has defects \
    "__substg1.0_0037001F (7 bytes)" "__substg1.0_0070001F (12 bytes)"
check "defects: dropped stream is absent" sh -c "! grep -q __substg1.0_1000001F '$tmp/defects.info'"
exit 0
