#!/bin/sh
# t0300-checks.sh - walks the check registry (calcheck --list-checks):
#  - every check has a page docs/checks/NNNN.md whose title, severity and
#    CalCheck.cfg key agree with the registry, and every page has a check;
#  - every check has a fixture in tests/fixtures/checks/ (NNNN.spec, an
#    iCalendar file NNNN.ics, a folder NNNN/ of specs and .ics files forming
#    one calendar, or a generator NNNN.sh) on which calcheck reports that id;
#    a first line "# args: ..." (.spec) or "X-CALCHECK-ARGS:..." (.ics) adds
#    arguments;
#  - the clean fixtures (tests/fixtures/checks/clean/*.spec and *.ics) report
#    no ERROR or WARNING at all.
# Fixtures are judged as of 2026-11-25 (--now) so results do not age.
set -u
BUILD=${BUILD:-build}
top=$(pwd)
cc=$top/$BUILD/calcheck
MKMSG=$top/$BUILD/tools/mkmsg
export MKMSG
fx=tests/fixtures/checks
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cc" --list-checks >"$tmp/registry" || { echo "not ok - --list-checks"; exit 1; }

# Docs: one page per check, in agreement with the registry.
missing=0
while IFS="$(printf '\t')" read -r id sev key fam summary; do
    page=docs/checks/$id.md
    if [ ! -f "$page" ]; then
        echo "#   $id has no $page"
        missing=$((missing + 1))
        continue
    fi
    head -n 1 "$page" | grep -q "^# $id — " || { echo "#   $page: first line is not '# $id — ...'"; missing=$((missing + 1)); }
    grep -q "^| Severity | $sev |" "$page" || { echo "#   $page: severity is not $sev"; missing=$((missing + 1)); }
    grep -q "\`$key\`" "$page" || { echo "#   $page: does not name the key \`$key\`"; missing=$((missing + 1)); }
done <"$tmp/registry"
for page in docs/checks/[0-9][0-9][0-9][0-9].md; do
    [ -f "$page" ] || continue
    id=$(basename "$page" .md)
    grep -q "^$id	" "$tmp/registry" || { echo "#   $page documents no registered check"; missing=$((missing + 1)); }
done
if [ "$missing" -eq 0 ]; then
    echo "ok - every check has its page in docs/checks and every page its check"
else
    echo "not ok - docs/checks and the registry disagree ($missing problems)"
fi

# build_fixture ID DIR: makes the calendar for fixture ID in DIR; prints args.
build_fixture() {
    id=$1 dir=$2
    mkdir -p "$dir"
    if [ -f "$fx/$id.spec" ]; then
        "$MKMSG" "$fx/$id.spec" "$dir/$id.msg" >/dev/null 2>&1 || return 1
        sed -n '1s/^# args: //p' "$fx/$id.spec"
    elif [ -f "$fx/$id.ics" ]; then
        cp "$fx/$id.ics" "$dir/$id.ics" || return 1
        sed -n 's/^X-CALCHECK-ARGS://p' "$fx/$id.ics" | tr -d '\r' | head -n 1
    elif [ -d "$fx/$id" ]; then
        for s in "$fx/$id"/*.spec; do
            [ -f "$s" ] || continue
            "$MKMSG" "$s" "$dir/$(basename "$s" .spec).msg" >/dev/null 2>&1 || return 1
        done
        for s in "$fx/$id"/*.ics; do
            [ -f "$s" ] || continue
            cp "$s" "$dir/" || return 1
        done
        [ ! -f "$fx/$id/args" ] || cat "$fx/$id/args"
    elif [ -f "$fx/$id.sh" ]; then
        sh "$fx/$id.sh" "$dir" >/dev/null 2>&1 || return 1
    elif [ "$id" = 0099 ]; then
        printf 'this is not an Outlook item\n' >"$dir/broken.msg" # the runner's own check
    else
        return 1
    fi
}

n=0
bad=0
while IFS="$(printf '\t')" read -r id sev key fam summary; do
    n=$((n + 1))
    dir=$tmp/fx-$id
    if ! args=$(build_fixture "$id" "$dir"); then
        echo "#   $id: no fixture (or it does not build)"
        bad=$((bad + 1))
        continue
    fi
    # shellcheck disable=SC2086
    "$cc" --now 2026-11-25 $args -O "$dir/out" "$dir" >/dev/null 2>"$dir/err"
    rc=$?
    if [ "$rc" -gt 1 ] || ! grep -Eq "(^| )[A-Z]+ $id: " "$dir/out/CalCheck.log" 2>/dev/null; then
        echo "#   $id: fixture does not report $id (exit $rc)"
        head -3 "$dir/err" | sed 's/^/#     /'
        bad=$((bad + 1))
    fi
done <"$tmp/registry"
if [ "$bad" -eq 0 ]; then
    echo "ok - each of the $n registered checks is reported on its fixture"
else
    echo "not ok - $bad of $n checks are not reported on a fixture"
fi

# Clean fixtures: no ERROR or WARNING from any check.
for s in "$fx"/clean/*.spec "$fx"/clean/*.ics; do
    [ -f "$s" ] || continue
    name=$(basename "$s")
    d=$tmp/clean-$name
    mkdir -p "$d"
    case $s in
    *.ics)
        cp "$s" "$d/$name"
        args=$(sed -n 's/^X-CALCHECK-ARGS://p' "$s" | tr -d '\r' | head -n 1)
        ;;
    *)
        name=$(basename "$s" .spec).msg
        "$MKMSG" "$s" "$d/$name" >/dev/null 2>&1 || { echo "not ok - clean fixture $name builds"; continue; }
        args=$(sed -n '1s/^# args: //p' "$s")
        ;;
    esac
    # shellcheck disable=SC2086
    "$cc" --now 2026-11-25 $args -O "$d/out" "$d/$name" >/dev/null 2>&1
    if grep -Eq ' (ERROR|WARNING) [0-9]{4}: ' "$d/out/CalCheck.log"; then
        echo "not ok - clean fixture $name has no findings"
        grep -E ' (ERROR|WARNING) [0-9]{4}: ' "$d/out/CalCheck.log" | cut -c21- | sed 's/^/#   /'
    else
        echo "ok - clean fixture $name has no findings"
    fi
done
