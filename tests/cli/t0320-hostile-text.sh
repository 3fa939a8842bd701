#!/bin/sh
# t0320-hostile-text.sh - text from the data cannot break the reports: a
# subject with commas, quotes, newlines, a leading '=', invalid UTF-8 and
# 10,000 characters comes out as one well-formed CSV cell (in both CSV files)
# and on one line of CalCheck.log.
set -u
BUILD=${BUILD:-build}
cc=$BUILD/calcheck
mkmsg=$BUILD/tools/mkmsg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
long=$(head -c 10000 /dev/zero | tr '\0' 'x')
# An 8-bit subject in code page 65001 (UTF-8) so that \xFF \xFE are invalid
# bytes; no delivery time, so the item is flagged (0059) and reaches every report.
cat >"$tmp/hostile.spec" <<SPEC
class "IPM.Appointment"
prop 0x3FFD long 65001
prop 0x0037 string8 "=HYPERLINK(\"http://x\"),a,b \"q\" line1\nline2\r\n bad\xFF\xFE end $long"
named appointment 0x8208 unicode "Room, \"A\"\nnext"
named appointment 0x820D systime 2026-03-02T09:00:00Z
named appointment 0x820E systime 2026-03-02T09:30:00Z
named appointment 0x8223 boolean false
SPEC
"$mkmsg" "$tmp/hostile.spec" "$tmp/hostile.msg" || { echo "not ok - build the hostile item"; exit 0; }
"$cc" --now 2026-11-25 -A -O "$tmp/out" "$tmp/hostile.msg" >/dev/null 2>&1
/usr/bin/python3 - "$tmp/out" <<'PY'
import csv, io, sys
out = sys.argv[1]
def check(name, ncols):
    raw = open(f"{out}/{name}", "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"{name} is not UTF-8: {e}"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if len(rows) != 2:
        return f"{name}: {len(rows)} rows, want header + 1"
    if any(len(r) != ncols for r in rows):
        return f"{name}: rows of {[len(r) for r in rows]} cells, want {ncols}"
    subj = rows[1][0]
    if not subj.startswith("'=HYPERLINK"):
        return f"{name}: the formula is not neutralised: {subj[:30]!r}"
    if "line1\nline2" not in subj or '"q"' not in subj or "\ufffd" not in subj:
        return f"{name}: the subject cell lost text: {subj[:80]!r}"
    if len(subj) < 10000:
        return f"{name}: the subject cell is cut to {len(subj)} characters"
    if rows[1][1] != 'Room, "A"\nnext':
        return f"{name}: location cell is {rows[1][1]!r}"
    return None
fails = [m for m in (check("CalCheckErr.csv", 13), check("CALCHECK.CSV", 11)) if m]
log = open(f"{out}/CalCheck.log", encoding="utf-8").read().split("\n")
item = [l for l in log if " Item 1: " in l]
if len(item) != 1 or "line1\\nline2" not in item[0] or len(item[0]) < 10000:
    fails.append("CalCheck.log: the subject is not on one escaped line")
if not any(" ERROR 0059: " in l for l in log):
    fails.append("CalCheck.log: the item was not reported")
for f in fails:
    print("#   " + f)
print(("not ok" if fails else "ok") + " - hostile subject stays one CSV cell and one log line")
PY
