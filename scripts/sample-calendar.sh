#!/bin/sh
# scripts/sample-calendar.sh DIR - writes the sample calendar used by
# `make demo` and by the golden report test into DIR: every clean fixture
# plus one damaged item per family of checks and a duplicated meeting, all
# built by mkmsg from tests/fixtures/checks/. Run from the repository root.
set -u
dir=$1
BUILD=${BUILD:-build}
mkdir -p "$dir"
mk() { "$BUILD/tools/mkmsg" "$1" "$dir/$2.msg" || exit 1; }
for s in tests/fixtures/checks/clean/*.spec; do
    mk "$s" "clean-$(basename "$s" .spec)"
done
# One damaged item per family: recurrence, exception data, time, time zone,
# organizer, message class, recipients, property definition stream, delivery
# time, conflict, recurrence structure, the Outlook 2010 key-name crash, ids.
# The check fixtures are copies of the clean meetings, so each sample gets its
# own subject and meeting-id creation minute: otherwise every one of them is
# also (rightly) a duplicate of its clean original.
n=0
for id in 0001 0013 0016 0027 0030 0034 0041 0050 0056 0059 0062 0102 0140 0160; do
    n=$((n + 1))
    sed -e "s/^prop 0x0037 unicode \"\(.*\)\"\$/prop 0x0037 unicode \"\1 (sample $id)\"/" \
        -e "s/\(named meeting 0x00[02]3 blob .*filetime:[0-9-]*T[0-9][0-9]:\)[0-9][0-9]/\1$(printf %02d $n)/" \
        "tests/fixtures/checks/$id.spec" >"$dir/.sample.spec"
    mk "$dir/.sample.spec" "damaged-$id"
done
rm -f "$dir/.sample.spec"
for s in tests/fixtures/checks/0049/*.spec; do
    mk "$s" "duplicate-$(basename "$s" .spec)"
done
