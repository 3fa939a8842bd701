#!/bin/sh
# t0010-lazy-libs.sh - libcurl, libxml2 and libpff (with libbfio) are loaded
# only when a CalDAV source, -R or a PST/OST needs them (src/util/lazylib.h):
#  - the binary does not link them (no NEEDED entry in readelf -d);
#  - checking an .ics or a .msg file never loads them (LD_DEBUG=files), while
#    ICU, which the .ics path needs, is loaded;
#  - a PST/OST loads libpff and libbfio: a file with the !BDN signature gets
#    libpff's own refusal, and a real PST of the corpus (../shared/corpus,
#    when present) is checked with its items;
#  - with a library made unreadable in a private mount namespace (unshare
#    -rm; skipped where that is not allowed), a PST, a CalDAV source, server
#    mode and -R exit 2 with "calcheck: WHAT: cannot load NAME (...)", and an
#    .ics file is still checked.
set -u
BUILD=${BUILD:-build}
cc=$(pwd)/$BUILD/calcheck
mkmsg=$(pwd)/$BUILD/tools/mkmsg
corpus=${CORPUS:-../shared/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
lazy='lib(curl|xml2|pff|bfio)\.so'

# -- linking ---------------------------------------------------------------
if readelf -d "$cc" >"$tmp/dyn" 2>&1 && grep -q NEEDED "$tmp/dyn"; then
    if grep NEEDED "$tmp/dyn" | grep -Eq "$lazy"; then
        nok "the binary links none of libcurl, libxml2, libpff, libbfio"
        grep NEEDED "$tmp/dyn" | sed 's/^/#   /'
    else
        ok "the binary links none of libcurl, libxml2, libpff, libbfio"
    fi
else
    nok "readelf -d $cc lists the libraries it needs (binutils)"
fi

# loaded FILE CMD... : runs CMD (stdout in $tmp/stdout, stderr in $tmp/stderr)
# and writes the names of the shared objects it loaded to FILE, one a line.
loaded() {
    out=$1
    shift
    rm -f "$tmp"/ld.*
    LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/ld" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    status=$?
    cat "$tmp"/ld.* 2>/dev/null | grep -o 'file=[^ ]*' | sed 's/^file=//; s|.*/||' | sort -u >"$out"
    return $status
}

# -- .ics and .msg: none of them ---------------------------------------------
sh scripts/sample-ics.sh "$tmp/cal.ics"
loaded "$tmp/ics.libs" "$cc" --now 2026-11-25 -O "$tmp/r1" "$tmp/cal.ics"
st=$?
if [ "$st" -eq 1 ] && grep -q '^calcheck: 7 items' "$tmp/stdout" && grep -q '^libicuuc\.so' "$tmp/ics.libs"; then
    if grep -Eq "^$lazy" "$tmp/ics.libs"; then
        nok "checking an .ics file loads none of them"
        sed 's/^/#   loaded: /' "$tmp/ics.libs"
    else
        ok "checking an .ics file loads none of them (and ICU is loaded)"
    fi
else
    nok "checking an .ics file under LD_DEBUG (exit $st)"
    sed 's/^/#   /' "$tmp/stdout" "$tmp/ics.libs" | head -10
fi

"$mkmsg" tests/fixtures/msg/plain-appointment.spec "$tmp/item.msg" >/dev/null 2>&1
loaded "$tmp/msg.libs" "$cc" --now 2026-11-25 -O "$tmp/r2" "$tmp/item.msg"
st=$?
if [ "$st" -le 1 ] && grep -q '^calcheck: 1 item' "$tmp/stdout" && ! grep -Eq "^$lazy" "$tmp/msg.libs"; then
    ok "checking a .msg file loads none of them"
else
    nok "checking a .msg file loads none of them (exit $st)"
    sed 's/^/#   /' "$tmp/stdout" "$tmp/msg.libs" | head -10
fi

# -- PST/OST: libpff and libbfio -------------------------------------------
printf '!BDN' >"$tmp/fake.pst"
head -c 1020 /dev/zero >>"$tmp/fake.pst"
loaded "$tmp/pst.libs" "$cc" -O "$tmp/r3" "$tmp/fake.pst"
st=$?
if [ "$st" -eq 2 ] && grep -q "^calcheck: $tmp/fake.pst: cannot open as PST/OST: libpff" "$tmp/stderr" &&
    grep -q '^libpff\.so\.1$' "$tmp/pst.libs" && grep -q '^libbfio\.so\.1$' "$tmp/pst.libs" &&
    ! grep -Eq '^lib(curl|xml2)\.so' "$tmp/pst.libs"; then
    ok "a PST loads libpff and libbfio (and not libcurl or libxml2), which reads it"
else
    nok "a PST loads libpff and libbfio (exit $st)"
    sed 's/^/#   /' "$tmp/stderr" | head -5
    sed 's/^/#   loaded: /' "$tmp/pst.libs"
fi

pst=$corpus/aspose-email/dotnet/Examples/Data/Outlook/Chunks/Test_part1.pst
if [ -f "$pst" ]; then
    loaded "$tmp/real.libs" "$cc" --now 2026-11-25 -O "$tmp/r4" "$pst"
    st=$?
    if [ "$st" -eq 1 ] && grep -q '^calcheck: 9 items' "$tmp/stdout" &&
        grep -q '^libpff\.so\.1$' "$tmp/real.libs"; then
        ok "a real PST is checked through the loaded libpff (9 items)"
    else
        nok "a real PST is checked through the loaded libpff (exit $st)"
        sed 's/^/#   /' "$tmp/stdout" | head -5
    fi
else
    ok "a real PST # skip $pst not found"
fi

# -- a library that cannot be loaded ----------------------------------------
# libpath SONAME : the file the dynamic loader would open for SONAME.
libpath() {
    p=$(/sbin/ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n { print $NF; exit }')
    [ -n "$p" ] && readlink -f "$p"
}
# without SONAME CMD... : runs CMD with SONAME's file replaced by an empty one.
without() {
    f=$(libpath "$1")
    shift
    unshare -rm sh -c 'mount --bind /dev/null "$0" && exec "$@"' "$f" "$@"
}
if [ -z "$(libpath libpff.so.1)" ] || ! without libpff.so.1 true 2>/dev/null; then
    ok "missing libraries # skip no private mount namespace here (unshare -rm)"
    exit 0
fi
. tests/cli/expect.sh # expect NAME STATUS PATTERN CMD...
expect "without libpff a PST exits 2: cannot load libpff" 2 \
    "^calcheck: $tmp/fake.pst: cannot load libpff \(.*libpff\.so\.1: " \
    without libpff.so.1 "$cc" -O "$tmp/r5" "$tmp/fake.pst"
expect "without libpff an .ics file is still checked" 1 '^calcheck: 7 items' \
    without libpff.so.1 "$cc" --now 2026-11-25 -O "$tmp/r6" "$tmp/cal.ics"
mkdir "$tmp/folder" && cp "$tmp/fake.pst" "$tmp/cal.ics" "$tmp/folder/"
expect "without libpff a PST in a folder is an unreadable item, the rest is checked" 1 \
    '^calcheck: 8 items' without libpff.so.1 "$cc" --now 2026-11-25 -O "$tmp/r11" "$tmp/folder"
grep -Eq 'ERROR 0099: cannot load libpff \(' "$tmp/r11/CalCheck.log" &&
    ok "...and the log says 0099: cannot load libpff" ||
    nok "...and the log says 0099: cannot load libpff"
expect "without libcurl a CalDAV source exits 2: cannot load libcurl" 2 \
    '^calcheck: http://127\.0\.0\.1:9/dav/: cannot load libcurl \(.*libcurl\.so\.4: ' \
    without libcurl.so.4 "$cc" -O "$tmp/r7" http://127.0.0.1:9/dav/
expect "without libcurl server mode exits 2: cannot load libcurl" 2 \
    '^calcheck: http://127\.0\.0\.1:9/: cannot load libcurl \(' \
    without libcurl.so.4 "$cc" -S http://127.0.0.1:9/ -O "$tmp/r8"
expect "without libxml2 a CalDAV source exits 2: cannot load libxml2" 2 \
    '^calcheck: http://127\.0\.0\.1:9/dav/: cannot load libxml2 \(.*libxml2\.so\.2: ' \
    without libxml2.so.2 "$cc" -O "$tmp/r9" http://127.0.0.1:9/dav/
expect "without libcurl -R exits 2 before reading anything: cannot load libcurl" 2 \
    '^calcheck: smtp://127\.0\.0\.1:9: cannot load libcurl \(' \
    without libcurl.so.4 env CALCHECK_SMTP_URL=smtp://127.0.0.1:9 \
    CALCHECK_MAIL_FROM=calcheck@example.org "$cc" -R --mail-to anna@example.org \
    -O "$tmp/r10" "$tmp/cal.ics"
[ ! -e "$tmp/r10/CalCheck.log" ] && ok "-R without libcurl wrote no report" ||
    nok "-R without libcurl wrote no report"
