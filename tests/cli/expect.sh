# tests/cli/expect.sh - sourced by CLI tests that define ok, nok and $tmp:
# expect NAME STATUS PATTERN CMD... runs CMD, then passes when its exit status
# is STATUS and a line of its stdout+stderr matches PATTERN (grep -E); on a
# failure the first lines of the output follow as "#" comments.
expect() {
    name=$1 want=$2 pat=$3
    shift 3
    "$@" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ] && grep -Eq -- "$pat" "$tmp/out"; then
        ok "$name"
    else
        nok "$name (exit $got, want $want)"
        sed 's/^/#   /' "$tmp/out" | head -5
    fi
}
