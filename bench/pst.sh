#!/bin/sh
# bench/pst.sh [CORPUS] - calcheck against the tools an administrator would
# otherwise point at an Outlook data file, in one run, on the corpus PST/OSTs:
#   readpst -t a   (libpst: converts only the appointments to text)
#   pffexport -m items (libpff: exports every item)
#   calcheck       (reads every calendar item, all checks, writes the reports)
# Each command runs three times per file with warm caches; the best wall time
# counts. Prints seconds and the ratio tool/calcheck (> 1: calcheck faster).
set -u
corpus=${1:-../shared/corpus}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
sh scripts/deps.sh bench || exit 1
make --no-print-directory all >/dev/null || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best SECONDS-OF-3 CMD... : best wall time of three runs, in seconds.
best() {
    b=""
    for _ in 1 2 3; do
        rm -rf "$tmp/o" && mkdir -p "$tmp/o"
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc -l)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
    done
    printf '%.3f' "$b"
}

printf '%-40s %8s %6s %9s %9s %9s %8s %8s\n' FILE MB ITEMS calcheck readpst pffexport "rp/cc" "pff/cc"
for f in "$corpus"/pst-extractor/*.ost "$corpus"/aspose-email/dotnet/Examples/Data/Outlook/*.ost \
    "$corpus"/aspose-email/dotnet/Examples/Data/Outlook/Chunks/*.pst; do
    [ -f "$f" ] || continue
    mb=$(du -m "$f" | cut -f1)
    items=$(./calcheck --now 2026-11-25 -O "$tmp/c" "$f" 2>/dev/null | sed -n '1s/^calcheck: \([0-9]*\) item.*/\1/p')
    cc=$(best ./calcheck --now 2026-11-25 -O "$tmp/o" "$f")
    rp=$(best readpst -q -t a -o "$tmp/o" "$f")
    pf=$(best pffexport -q -m items -t "$tmp/o/x" "$f")
    printf '%-40s %8s %6s %9s %9s %9s %8.1f %8.1f\n' "$(basename "$f")" "$mb" "$items" "$cc" "$rp" "$pf" \
        "$(echo "$rp / $cc" | bc -l)" "$(echo "$pf / $cc" | bc -l)"
done
echo "(seconds, best of 3, warm caches; calcheck checks every calendar item with all checks and"
echo " writes its reports; readpst converts appointments only; pffexport exports every item)"
