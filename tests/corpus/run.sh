#!/bin/sh
# tests/corpus/run.sh - the optional real-world suite over ../shared/corpus
# (files are referenced in place, never copied into the project):
#  1. `calcheck dump --json` decodes every .msg/.oft there, exits 0 or 1 and
#     prints valid JSON; the text form decodes too;
#  2. msgreader-kenjiuno: every [MS-OXOCAL] field of its expected JSON equals ours;
#  3. every named-property mapping equals an independent reading of the
#     streams exported by libolecf's olecfexport;
#  4. checking each file (.msg, .oft, .pst, .ost) reports exactly the ERRORs
#     listed, with reasons, in tests/corpus/check_expect.txt;
#  5. PST/OST: per-folder calendar item counts equal pffexport's; 300 randomly
#     damaged copies never crash or hang calcheck; -F leaves the input
#     unchanged and its .msg copies open with olecfinfo and re-check alike;
#  6. RRULE expansion agrees with libical's and ical.net's expected instances
#     (disagreements only as listed, with reasons, in rrule_known.txt);
#  7. the iCalendar parser reads every .ics/.vcs without crash or hang, and
#     feeding it 7 bytes at a time gives the same result as the whole file;
#  8. checking every .ics/.vcs exits 0/1 (or 2 with a message) within 10 s, the
#     files the peer projects document as invalid get their findings and a
#     sample of valid calendars no ERROR, as listed with reasons in
#     tests/corpus/ics_expect.txt.
# Ends with "N passed, N failed".
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
corpus=${CORPUS:-../shared/corpus}
[ -d "$corpus" ] || { echo "corpus suite: $corpus not found"; echo "0 passed, 0 failed"; exit 0; }
sh scripts/deps.sh test || exit 1
make --no-print-directory all >/dev/null || exit 1
cc=$BUILD/calcheck
py=/usr/bin/python3
log=$(mktemp)
list=$(mktemp)
trap 'rm -f "$log" "$list"' EXIT

find "$corpus/msgreader-kenjiuno" "$corpus/msg-small-sources" "$corpus/aspose-email" \
    -type f \( -name '*.msg' -o -name '*.oft' \) | sort >"$list"
{
    while IFS= read -r f; do
        "$cc" dump --json "$f" >"$log.json" 2>"$log.err"
        rc=$?
        "$cc" dump "$f" >/dev/null 2>>"$log.err"
        trc=$?
        if [ "$rc" -le 1 ] && [ "$trc" -le 1 ] &&
            $py -c 'import json,sys; json.load(open(sys.argv[1]))' "$log.json" 2>/dev/null; then
            echo "ok - dump $f (exit $rc)"
        else
            echo "not ok - dump $f (exit $rc)"
            sed 's/^/#   /' "$log.err"
        fi
    done <"$list"
    rm -f "$log.json" "$log.err"
    $py tests/corpus/msgreader_compare.py "$cc" "$corpus/msgreader-kenjiuno/test"
    # shellcheck disable=SC2046
    tr '\n' '\0' <"$list" | xargs -0 $py tests/corpus/nameid_oracle.py "$cc"
    $py tests/corpus/check_expect.py "$cc" "$corpus" tests/corpus/check_expect.txt
    $py tests/corpus/pst_counts.py "$BUILD/tools/pstlist" "$corpus"
    $py tests/corpus/pst_damage.py "$cc" "$corpus" 300
    $py tests/corpus/pst_quarantine.py "$cc" "$corpus"
    BUILD=$BUILD $py tests/corpus/rrule_agree.py "$corpus"
    $py tests/corpus/ics_parse.py "$BUILD/tools/icsdump" "$corpus"
    $py tests/corpus/ics_expect.py "$cc" "$corpus" tests/corpus/ics_expect.txt
} >"$log" 2>&1
cat "$log"
passed=$(grep -c '^ok -' "$log")
failed=$(grep -c '^not ok -' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
