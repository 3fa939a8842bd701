#!/bin/sh
# t0210-dump-damage.sh - damaged input never crashes or hangs `calcheck dump`:
# every fixture truncated at many lengths and bit-flipped at many places
# (deterministic), plus blobs in hex and binary. Each run must end with exit
# 0, 1 or 2 within 10 seconds, and exit 2 must come with "calcheck: FILE: why".
set -u
BUILD=${BUILD:-build}
cc=$BUILD/calcheck
mkmsg=$BUILD/tools/mkmsg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3

# run_one FILE ARGS... : prints nothing on success, a reason on failure.
run_one() {
    f=$1
    shift
    timeout 10 "$cc" dump "$@" "$f" >/dev/null 2>"$tmp/err"
    rc=$?
    if [ "$rc" -gt 2 ]; then
        echo "exit $rc on $(basename "$f")"
    elif [ "$rc" -eq 2 ] && ! grep -q "^calcheck: $f: " "$tmp/err"; then
        echo "exit 2 without a message naming $(basename "$f"): $(head -c 200 "$tmp/err")"
    fi
}

for name in plain-appointment recurring-meeting defects; do
    "$mkmsg" "tests/fixtures/msg/$name.spec" "$tmp/$name.msg" || continue
    # Truncations at every 97th length and the sector edges; bit flips at 300 places.
    $py - "$tmp/$name.msg" "$tmp/cases" <<'PY'
import os, random, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
data = open(src, "rb").read()
rng = random.Random(2026)
cuts = sorted(set(list(range(0, len(data), 97)) + [511, 512, 513, 1023, 1024, 1536]))
for c in cuts:
    if c < len(data):
        open(os.path.join(out, "cut%06d.msg" % c), "wb").write(data[:c])
for i in range(300):
    b = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 8))):
        pos = rng.randrange(len(b))
        b[pos] ^= 1 << rng.randrange(8)
    open(os.path.join(out, "flip%03d.msg" % i), "wb").write(bytes(b))
for i in range(20):  # zeroed 512-byte sectors
    b = bytearray(data)
    s = rng.randrange(len(b) // 512) * 512
    b[s:s + 512] = bytes(512)
    open(os.path.join(out, "zero%02d.msg" % i), "wb").write(bytes(b))
PY
    bad=0
    n=0
    for f in "$tmp/cases"/*.msg; do
        n=$((n + 1))
        why=$(run_one "$f")
        if [ -n "$why" ]; then
            bad=$((bad + 1))
            [ "$bad" -le 5 ] && echo "#   $why"
        fi
        why=$(run_one "$f" --json)
        [ -n "$why" ] && bad=$((bad + 1))
    done
    if [ "$bad" -eq 0 ]; then
        echo "ok - $n damaged copies of $name decode or fail cleanly"
    else
        echo "not ok - $n damaged copies of $name: $bad bad runs"
    fi
    rm -rf "$tmp/cases"
done

# Blobs: every kind on a real blob, in hex and binary, and on garbage.
printf '0430 0430 0B20 0100 0000 4021 0000 0100 0000 0000 0000 2000 0000 2120 0000 0A00 0000 0000 0000 0000 0000 0000 0000 00e0 0b0d 00e0 0b0d 0630 0000 0930 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000\n' >"$tmp/recur.hex"
$py -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(open(sys.argv[1]).read().replace(" ","")))' "$tmp/recur.hex" >"$tmp/recur.bin"
for form in hex bin; do
    out=$("$cc" dump --blob recur "$tmp/recur.$form" 2>&1)
    if echo "$out" | grep -q 'RecurFrequency: 0x200B (Weekly)' &&
        echo "$out" | grep -q "encoding: \"$( [ $form = hex ] && echo hex || echo binary)\""; then
        echo "ok - --blob recur reads $form"
    else
        echo "not ok - --blob recur reads $form"
        echo "$out" | head -5 | sed 's/^/#   /'
    fi
done
head -c 3000 /dev/urandom >"$tmp/garbage.bin" 2>/dev/null || dd if=/dev/zero of="$tmp/garbage.bin" bs=1 count=3000 2>/dev/null
bad=0
for kind in recur pattern tzdef tzreg goid pds; do
    for f in "$tmp/garbage.bin" "$tmp/recur.bin" "$tmp/recur.hex"; do
        timeout 10 "$cc" dump --blob "$kind" --json "$f" >"$tmp/out" 2>&1
        rc=$?
        if [ "$rc" -gt 2 ] || ! $py -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null; then
            bad=$((bad + 1))
            echo "#   --blob $kind $(basename "$f"): exit $rc"
        fi
    done
done
[ "$bad" -eq 0 ] && echo "ok - every blob kind decodes garbage to valid JSON" || echo "not ok - blob kinds on garbage ($bad bad)"
