#!/bin/sh
# scripts/demo.sh - `make demo`: generates sample Outlook items with the
# project's own fixture writer, decodes each with `calcheck dump` (text and
# JSON) and says where everything went. Writes only under demo-out/.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
out=demo-out
rm -rf "$out"
mkdir -p "$out/items" "$out/dump"
for spec in plain-appointment recurring-meeting allday-string8 defects; do
    "$BUILD/tools/mkmsg" "tests/fixtures/msg/$spec.spec" "$out/items/$spec.msg" || exit 1
done
echo "calcheck demo: sample items in $out/items/"
printf '  %-26s %-6s %s\n' ITEM EXIT "WHAT DUMP FOUND"
for f in "$out"/items/*.msg; do
    name=$(basename "$f" .msg)
    ./calcheck dump "$f" >"$out/dump/$name.txt" 2>&1
    rc=$?
    ./calcheck dump --json "$f" >"$out/dump/$name.json" 2>&1
    n=$(grep -c '^ *code: ' "$out/dump/$name.txt")
    subj=$(grep -m1 'PidTagSubject ' "$out/dump/$name.txt" | sed 's/.*: //')
    printf '  %-26s %-6s %s structural problem(s); subject %s\n' "$name.msg" "$rc" "$n" "$subj"
done
echo
echo "Decoded properties, recurrence, time zones and meeting ids:"
echo "  text: $out/dump/*.txt    JSON: $out/dump/*.json"
echo "Try:   ./calcheck dump '$out/items/recurring-meeting.msg' | less"
