#!/bin/sh
# t0400-write-oracle.sh - the .msg writer (src/msg/write.c on src/msg/cfbwrite.c)
# through tests/tools/msgcopy: every fixture spec (tests/fixtures/msg and
# tests/fixtures/checks) is built with mkmsg, copied with msgcopy, and
#  - libolecf's olecfinfo must open the copy (skipped when it is absent),
#  - `calcheck dump --json` of original and copy must agree, except the "file"
#    field, PT_STRING8 written as PT_UNICODE, named-property ids (compared by
#    key), problem offsets (entries are written in id order), and the problems
#    the writer repairs by writing a consistent file (declared sizes, missing
#    value streams, header counts, storages without a property stream),
#  - a copy of the copy must be byte-identical to the copy (the writer is
#    deterministic and write(read(write(x))) == write(x)).
set -u
BUILD=${BUILD:-build}
MKMSG=$BUILD/tools/mkmsg
COPY=$BUILD/tools/msgcopy
CCK=$BUILD/calcheck
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }

for x in "$MKMSG" "$COPY" "$CCK"; do
    if [ ! -x "$x" ]; then
        notok "write oracle: $x missing"
        exit 1
    fi
done
py=$(command -v python3 || true)
olecf=$(command -v olecfinfo || true)
[ -n "$olecf" ] || echo "# olecfinfo not found: libolecf checks skipped"
[ -n "$py" ] || echo "# python3 not found: dump comparisons skipped"

# Normalizes a dump --json for comparison (see the header).
cat >"$tmp/norm.py" <<'PYEOF'
import json, sys
REPAIRED = {"msg.size_mismatch", "msg.missing_stream", "msg.count", "msg.no_props"}
def key(p):
    return (p.get("guid", ""), str(p.get("lid", "")), p.get("propname", ""))
def fix(o):
    if isinstance(o, list):
        return [fix(v) for v in o]
    if not isinstance(o, dict):
        return o
    o = {k: fix(v) for k, v in o.items() if k != "file"}
    if "guid" in o:
        o.pop("id", None)
    t = o.get("type")
    if t in ("PT_STRING8", "PT_MV_STRING8"):
        o["type"] = t.replace("STRING8", "UNICODE")
        if "tag" in o:
            o["tag"] = o["tag"][:-4] + o["tag"][-4:].replace("001E", "001F")
    if isinstance(o.get("problems"), list):
        o["problems"] = [{k: v for k, v in p.items() if k != "offset"} for p in o["problems"]
                         if not (isinstance(p, dict) and p.get("code") in REPAIRED)]
    for k in ("properties", "named_properties"):
        if isinstance(o.get(k), list):
            o[k] = sorted(o[k], key=lambda p: (p.get("tag", ""), key(p)) if isinstance(p, dict) else ("", ("", "", "")))
    return o
print(json.dumps(fix(json.load(open(sys.argv[1]))), indent=1, sort_keys=True))
PYEOF

for spec in tests/fixtures/msg/*.spec tests/fixtures/checks/*.spec; do
    [ -f "$spec" ] || continue
    d=$(basename "$(dirname "$spec")")
    b=$d-$(basename "$spec" .spec)
    if ! "$MKMSG" "$spec" "$tmp/$b.msg" 2>"$tmp/err"; then
        notok "msgcopy $d/$b: mkmsg failed: $(cat "$tmp/err")"
        continue
    fi
    if ! "$COPY" "$tmp/$b.msg" "$tmp/$b.copy.msg" 2>"$tmp/err"; then
        notok "msgcopy $b: $(cat "$tmp/err")"
        continue
    fi
    why=""
    if [ -n "$olecf" ] && ! olecfinfo "$tmp/$b.copy.msg" >"$tmp/olecf.out" 2>&1; then
        why="olecfinfo cannot open the copy: $(tail -n 2 "$tmp/olecf.out")"
    fi
    if [ -z "$why" ]; then
        "$COPY" "$tmp/$b.copy.msg" "$tmp/$b.copy2.msg" 2>"$tmp/err" &&
            cmp -s "$tmp/$b.copy.msg" "$tmp/$b.copy2.msg" ||
            why="a copy of the copy differs from the copy $(cat "$tmp/err")"
    fi
    if [ -z "$why" ] && [ -n "$py" ]; then
        "$CCK" dump --json "$tmp/$b.msg" >"$tmp/a.json" 2>/dev/null
        "$CCK" dump --json "$tmp/$b.copy.msg" >"$tmp/b.json" 2>/dev/null
        if "$py" "$tmp/norm.py" "$tmp/a.json" >"$tmp/a.norm" &&
            "$py" "$tmp/norm.py" "$tmp/b.json" >"$tmp/b.norm"; then
            diff "$tmp/a.norm" "$tmp/b.norm" >"$tmp/diff" ||
                why="dumps differ: $(head -n 8 "$tmp/diff" | tr '\n' ' ')"
        else
            why="dump --json output is not JSON"
        fi
    fi
    if [ -z "$why" ]; then ok "msgcopy $b: opens, dumps the same, copies stably"; else notok "msgcopy $b: $why"; fi
done
