#!/bin/sh
# bench/scale.sh - issue acceptance 4, "linear scaling": calcheck on folders of
# 10,000 and 100,000 generated items (1% duplicates), side by side with libolecf's
# olecfinfo opening the same files, in one run. Prints, per size: calcheck wall
# seconds and microseconds per item with a cold and a warm page cache, CPU per
# item, peak RSS, olecfinfo wall seconds and the ratio olecfinfo/calcheck; then
# the 100k/10k per-item time ratios (1.00 = linear) and RSS bytes per item.
# Figures are printed, never compared with a threshold: this is not a test.
#
# Usage: sh bench/scale.sh [SIZE...]          (default: 10000 100000)
# Environment: BENCH_OUT (default bench/out; must not be committed),
#              REPS (default 2: each measurement runs REPS times, best kept;
#              the cheap warm calcheck runs WARM_REPS times, default 5),
#              BENCH_WARM=1 (do not drop the page cache even if permitted),
#              BENCH_IR=1 (also count calcheck's instructions per item under
#              valgrind --tool=callgrind: exact and immune to other load on
#              the machine; adds about 3 minutes for 10k + 100k).
#
# The folders: for N items, D = N/100 copies, R = N/10 recurring meetings,
# M = N - R - D single meetings, all written by `mkmsg --repeat` from
# bench/meeting.spec (3 recipients, start i minutes after 2026-01-05 09:00Z,
# own subject/location/GlobalObjectId) and bench/recurring.spec (the
# recurrence blob, exceptions and time zones of
# tests/fixtures/msg/recurring-meeting.spec, own subject/GlobalObjectId):
#   a-meetings/   items 0 .. M-1          (meeting.spec)
#   b-recurring/  items M .. M+R-1        (recurring.spec)
#   c-copies/     D items rebuilt from the same templates and indices as
#                 earlier items (90% single, 10% recurring, evenly spread):
#                 same subject, organizer, location, times, recurrence and
#                 GlobalObjectId, so checks 0048 and 0049 fire once per copy.
# calcheck walks folders in sorted path order, so every copy comes after its
# original. Folders are cached under BENCH_OUT/scale-N and rebuilt only when
# the templates, mkmsg's output or this layout change (a checksum in .stamp).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
OUT=${BENCH_OUT:-bench/out}
REPS=${REPS:-2}
WARM_REPS=${WARM_REPS:-5}
SIZES=${*:-10000 100000}
LAYOUT=1 # bump when the folder layout above changes

say() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
# A build of its own (make's default -O2 -g, no sanitizers) under BENCH_OUT, so
# neither the shared ./calcheck (which `make SAN=1` replaces with a sanitizer
# build) nor other builds can be what is measured.
BUILD=$OUT/build
make -s BUILD="$BUILD" "$BUILD/calcheck" "$BUILD/tools/mkmsg" >/dev/null ||
    { say "scale.sh: make failed"; exit 2; }
MKMSG=$BUILD/tools/mkmsg
CALCHECK=$BUILD/calcheck

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
need_pkg() { # need_pkg PACKAGE: installs it with apt-get when root (as scripts/deps.sh)
    command -v dpkg-query >/dev/null 2>&1 || return 1
    have_pkg "$1" && return 0
    [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
    say "scale.sh: installing $1"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1; }
}

# measure OUTFILE CMD...: runs CMD, writes "wall_s peak_rss_kib cpu_s" to OUTFILE
# (cpu = user + system). GNU time when present; otherwise python3's getrusage.
# CPU time is reported too because the machine may be shared: other load
# stretches wall time far more than CPU time.
if [ -x /usr/bin/time ] || need_pkg time; then
    measure() {
        o=$1
        shift
        rc=0
        /usr/bin/time -f '%e %M %U %S' -o "$o.raw" "$@" || rc=$?
        # GNU time puts "Command exited with..." first
        tail -n 1 "$o.raw" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' >"$o"
        rm -f "$o.raw"
        return $rc
    }
    timer="GNU time"
elif command -v python3 >/dev/null 2>&1; then
    measure() {
        o=$1
        shift
        python3 -c 'import resource, subprocess, sys, time
t = time.monotonic(); rc = subprocess.call(sys.argv[2:])
w = time.monotonic() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f %d %.2f\n" % (w, u.ru_maxrss, u.ru_utime + u.ru_stime))
sys.exit(rc)' "$o" "$@"
    }
    timer="python3 getrusage"
else
    say "scale.sh: need GNU time (Debian package time) or python3"
    exit 2
fi
need_pkg libolecf-utils || true
if ! command -v olecfinfo >/dev/null 2>&1; then
    say "scale.sh: olecfinfo (Debian package libolecf-utils) is missing: no side-by-side figures"
fi

# Cold caches when this machine lets us drop them; otherwise a warm-up pass.
cold=no
if [ "${BENCH_WARM:-0}" != 1 ] && (sync && echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
    cold=yes
fi
prepare() { # before every measurement
    if [ $cold = yes ]; then
        sync
        echo 3 >/proc/sys/vm/drop_caches
    fi
}

# --- folders -----------------------------------------------------------------
# The cache key: this layout, N, and two sample items of each template as the
# current mkmsg writes them (so edits to mkmsg.c that do not change its output,
# e.g. a refactoring, keep the cache; mkmsg's output is deterministic).
stamp_of() {
    s=$(mktemp -d)
    "$MKMSG" --repeat 2 --step 12345 bench/meeting.spec "$s/m" &&
        "$MKMSG" --repeat 2 --step 12345 bench/recurring.spec "$s/r" &&
        { echo "layout $LAYOUT n $1"; cat bench/meeting.spec bench/recurring.spec "$s"/m/* "$s"/r/*; } |
        cksum | cut -d' ' -f1
    rm -rf "$s"
}

generate() { # generate N DIR
    n=$1 dir=$2
    d=$((n / 100)) r=$((n / 10))
    m=$((n - r - d))
    dr=$((d / 10))
    dm=$((d - dr))
    rm -rf "$dir"
    mkdir -p "$dir"
    say "scale.sh: generating $n items in $dir ($m meetings, $r recurring, $d copies)"
    t0=$(date +%s)
    h=$((m / 2)) # two writers: the machine has two cores
    "$MKMSG" --repeat "$h" bench/meeting.spec "$dir/a-meetings" &
    p1=$!
    "$MKMSG" --repeat $((m - h)) --from "$h" bench/meeting.spec "$dir/a-meetings" &
    p2=$!
    "$MKMSG" --repeat "$r" --from "$m" bench/recurring.spec "$dir/b-recurring"
    [ "$dm" -gt 0 ] && "$MKMSG" --repeat "$dm" --step $((m / dm)) bench/meeting.spec "$dir/c-copies"
    [ "$dr" -gt 0 ] && "$MKMSG" --repeat "$dr" --from "$m" --step $((r / dr)) \
        bench/recurring.spec "$dir/c-copies"
    wait $p1
    wait $p2
    stamp_of "$n" >"$dir/.stamp"
    say "scale.sh: generated $n items in $(($(date +%s) - t0)) s"
}

for n in $SIZES; do
    dir=$OUT/scale-$n
    if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$(stamp_of "$n")" ]; then
        say "scale.sh: reusing $dir"
    else
        generate "$n" "$dir"
    fi
done

# --- measurements ------------------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

best() { # best FILE...: the smallest wall and CPU times, the largest peak RSS
    [ -f "$1" ] || { echo "- - -"; return; }
    t=$(cut -d' ' -f1 "$@" | sort -n | head -n 1)
    m=$(cut -d' ' -f2 "$@" | sort -n | tail -n 1)
    c=$(cut -d' ' -f3 "$@" | sort -n | head -n 1)
    echo "$t $m $c"
}

run_calcheck() { # run_calcheck OUTFILE DIR
    rm -rf "$tmp/o"
    st=0
    measure "$1" "$CALCHECK" --now 2026-11-25 -O "$tmp/o" "$2" >"$tmp/summary" 2>&1 || st=$?
    if [ $st -gt 1 ]; then # 1 = findings at the --fail-on level, expected here
        say "scale.sh: calcheck failed (exit $st):"
        cat "$tmp/summary" >&2
        exit 2
    fi
}

# olecfinfo takes exactly one file per run ("olecfinfo [options] source"), so
# its start-up (about half of its time per file here) cannot be amortised over
# a batch as xargs -n 500 would; xargs execs it directly (no shell per file)
# and runs two at a time (-P 2, both cores), while calcheck uses one thread:
# the ratio is therefore conservative. Output is discarded.
run_olecfinfo() { # run_olecfinfo OUTFILE DIR
    # shellcheck disable=SC2016 # $1 is expanded by the inner sh
    measure "$1" sh -c \
        'find "$1" -name "*.msg" -print0 | xargs -0 -n 1 -P 2 olecfinfo >/dev/null 2>&1' \
        sh "$2" || say "scale.sh: olecfinfo failed on some files"
}

# Cold: the page cache is dropped before each run (when permitted), so reading
# the files counts, as in a first run on a real mailbox export. Warm: the same
# folder again with the files cached: calcheck's own cost, I/O aside.
results=$tmp/results
: >"$results"
load0=$(cut -d' ' -f1 /proc/loadavg)
for n in $SIZES; do
    dir=$OUT/scale-$n
    files=$(find "$dir" -name '*.msg' | wc -l)
    k=1
    while [ $cold = yes ] && [ $k -le "$REPS" ]; do
        say "scale.sh: $files items, run $k/$REPS: calcheck, cold"
        prepare
        run_calcheck "$tmp/cold.$n.$k" "$dir"
        if command -v olecfinfo >/dev/null 2>&1; then
            say "scale.sh: $files items, run $k/$REPS: olecfinfo, cold"
            prepare
            run_olecfinfo "$tmp/olecf.$n.$k" "$dir"
        fi
        k=$((k + 1))
    done
    find "$dir" -name '*.msg' -print0 | xargs -0 cat >/dev/null # warm-up
    k=1
    while [ $k -le "$WARM_REPS" ]; do
        say "scale.sh: $files items, run $k/$WARM_REPS: calcheck, warm"
        run_calcheck "$tmp/warm.$n.$k" "$dir"
        k=$((k + 1))
    done
    if [ $cold = no ] && command -v olecfinfo >/dev/null 2>&1; then
        k=1
        while [ $k -le "$REPS" ]; do
            say "scale.sh: $files items, run $k/$REPS: olecfinfo, warm"
            run_olecfinfo "$tmp/olecf.$n.$k" "$dir"
            k=$((k + 1))
        done
    fi
    dups=$(grep -c ' ERROR 0049:' "$tmp/o/CalCheck.log" || true)
    if [ "${BENCH_IR:-0}" = 1 ] && command -v valgrind >/dev/null 2>&1; then
        say "scale.sh: $files items: instruction count (callgrind)"
        rm -rf "$tmp/o"
        valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$CALCHECK" \
            --now 2026-11-25 -O "$tmp/o" "$dir" >/dev/null 2>"$tmp/cg.err" || true
        ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg.err")
        echo "$files ${ir:-0}" >>"$tmp/ir"
    fi
    echo "$files $dups $(best "$tmp/cold.$n".*) $(best "$tmp/warm.$n".*) $(best "$tmp/olecf.$n".*)" \
        >>"$results"
done

# --- table -------------------------------------------------------------------
echo "$($CALCHECK --version 2>/dev/null | head -n 1 || true); $(uname -srm);" \
    "$(nproc) cores; $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);" \
    "load average before/after: $load0 / $(cut -d' ' -f1 /proc/loadavg)"
if [ $cold = yes ]; then
    echo "cold: page cache dropped before each run, best of $REPS (olecfinfo: xargs -P 2);" \
        "warm: files cached, best of $WARM_REPS; timer: $timer"
else
    echo "warm runs only (BENCH_WARM=1, or the page cache cannot be dropped here; files read once before);" \
        "olecfinfo best of $REPS, calcheck best of $WARM_REPS, xargs -P 2; timer: $timer"
fi
[ $cold = yes ] && mode=cold || mode=warm
awk -v mode="$mode" '
function us(s, n) { return s == "-" ? "-" : sprintf("%.1f", s * 1e6 / n) }
function rel(a, n, b, m) { return b > 0 ? sprintf("%.2f", (a / n) / (b / m)) : "-" }
function sec(s) { return s == "-" ? "-" : sprintf("%.2f", s) }
BEGIN {
    printf "%7s %6s | %14s | %21s | %6s | %15s | %8s\n", "", "", "calcheck cold",
        "calcheck warm", "", "olecfinfo " mode, "ratio"
    printf "%7s %6s | %6s %7s | %6s %7s %7s | %6s | %6s %8s | %8s\n", "items", "dups",
        "wall s", "us/item", "wall s", "us/item", "cpu us", "peak", "wall s", "us/item", "olecf/cc"
    printf "%7s %6s | %6s %7s | %6s %7s %7s | %6s | %6s %8s | %8s\n", "", "(0049)",
        "", "", "", "", "/item", "MiB", "", "", "(" mode ")"
}
{
    n = $1; d = $2; cs = $3; ck = $4; ws = $6; wk = $7; wc = $8; os = $9
    kb = ck == "-" ? wk : (wk > ck ? wk : ck)
    base = cs == "-" ? ws : cs
    ratio = os == "-" ? "-" : sprintf("%.1fx", os / base)
    printf "%7d %6d | %6s %7s | %6s %7s %7s | %6.1f | %6s %8s | %8s\n", n, d, sec(cs), us(cs, n),
        sec(ws), us(ws, n), us(wc, n), kb / 1024, sec(os), us(os, n), ratio
    N[NR] = n; C[NR] = cs; W[NR] = ws; U[NR] = wc; K[NR] = kb
}
END {
    for (i = 2; i <= NR; i++) {
        printf "per-item time, %d vs %d items (1.00 = linear):", N[i], N[1]
        if (C[1] != "-")
            printf " cold wall %s,", rel(C[i], N[i], C[1], N[1])
        printf " warm wall %s, warm cpu %s\n", rel(W[i], N[i], W[1], N[1]),
            rel(U[i], N[i], U[1], N[1])
        printf "peak RSS %.1f MiB at %d items, %.1f MiB at %d: %.0f bytes per extra item\n",
            K[1] / 1024, N[1], K[i] / 1024, N[i], (K[i] - K[1]) * 1024 / (N[i] - N[1])
    }
}' "$results"
[ -f "$tmp/ir" ] && awk '
{ printf "instructions per item at %d items: %.0f", $1, $2 / $1
  if (NR > 1) printf " (%.4f of %d items)", ($2 / $1) / b, n0; else { b = $2 / $1; n0 = $1 }
  printf "\n" }' "$tmp/ir"
echo "command: sh bench/scale.sh $SIZES"
