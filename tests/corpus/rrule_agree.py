#!/usr/bin/env python3
"""rrule_agree.py - compares our RRULE expansion (RFC 5545 §3.3.10) with other projects' expected
instances in /work/shared/corpus (read in place, never copied): libical's icalrecur_test*.txt and
ical.net's RecurrenceTestCases.txt. Runs build/tools/rrule on each case, prints per suite
"agreement: X of Y" and every disagreement, then "N passed, N failed"; a case also passes when
tests/corpus/rrule_known.txt lists it (suite<TAB>RRULE<TAB>DTSTART<TAB>reason).
Usage: rrule_agree.py [CORPUS_DIR] (default /work/shared/corpus; BUILD env for the tool)."""
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(TOP, os.environ.get("BUILD", "build"), "tools", "rrule")
CORPUS = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus"

# suite name, file, whether the suite yields DTSTART even when the rule misses it
SUITES = [
    ("libical", "libical/src/test/icalrecur_test.txt", False),
    ("libical-rscale", "libical/src/test/icalrecur_test_rscale.txt", False),
    ("ical.net", "ical.net/Ical.Net.Tests/Calendars/Recurrence/RecurrenceTestCases.txt", False),
]


def read_cases(path):
    """Blocks of KEY:VALUE lines separated by blank lines; '#' lines name the case."""
    cases, cur, title = [], {}, ""
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().splitlines() + [""]
    for line in lines:
        line = line.strip()
        if not line:
            if "RRULE" in cur:
                cur["title"] = title
                cases.append(cur)
            cur, title = {}, ""
            continue
        if line.startswith("#"):
            title = title or line.lstrip("# ")
            continue
        key, _, val = line.partition(":")
        key = key.split(";")[0].upper()
        if key in cur:
            continue
        cur[key] = val.strip()
    return cases


def load_known():
    known = {}
    path = os.path.join(TOP, "tests", "corpus", "rrule_known.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) >= 4:
                        known[(parts[0], parts[1], parts[2])] = parts[3]
    return known


def run_case(case, with_dtstart):
    rule, dt = case["RRULE"], case.get("DTSTART", "")
    exp_text = case.get("INSTANCES")
    expect_error = "EXCEPTION" in case or (exp_text is not None and "***" in exp_text)
    if expect_error and not dt:
        dt = "20000101T000000"
    if not dt:
        return None, "no DTSTART"
    expected = [] if expect_error or not exp_text else exp_text.split(",")
    up = rule.upper()
    bounded = "COUNT=" in up or "UNTIL=" in up
    n = len(expected) + 5 if bounded else max(len(expected), 1)
    args = [TOOL] + ([] if with_dtstart else ["-n"]) + [rule, dt, str(n)]
    p = subprocess.run(args, capture_output=True, text=True, timeout=30)
    got = p.stdout.split()
    if expect_error:
        ok = p.returncode == 2 or not got
        return ok, "expected an error (%s), got exit %d and %d instances" % (
            case.get("EXCEPTION", exp_text), p.returncode, len(got))
    if p.returncode not in (0, 2):
        return False, "tool failed: %s" % p.stderr.strip()
    if got == expected:
        return True, ""
    i = next((k for k in range(min(len(got), len(expected))) if got[k] != expected[k]),
             min(len(got), len(expected)))
    return False, "first difference at #%d: expected %s, got %s (expected %d, got %d)%s" % (
        i, expected[i] if i < len(expected) else "(end)", got[i] if i < len(got) else "(end)",
        len(expected), len(got), "; " + p.stderr.strip().replace("\n", "; ") if p.stderr else "")


def main():
    if not os.access(TOOL, os.X_OK):
        print("not ok - rrule agreement: missing %s: run make" % TOOL)
        return 2
    known = load_known()
    passed = failed = 0
    for name, rel, with_dtstart in SUITES:
        path = os.path.join(CORPUS, rel)
        if not os.path.exists(path):
            print("# %s: %s not found, skipped" % (name, path))
            continue
        agree = total = 0
        for case in read_cases(path):
            ok, why = run_case(case, with_dtstart)
            if ok is None:
                continue
            total += 1
            key = (name, case["RRULE"], case.get("DTSTART", ""))
            if ok:
                agree += 1
                passed += 1
            elif key in known:
                passed += 1
                print("# known  %s: %s | RRULE:%s DTSTART:%s -- %s" % (
                    name, case["title"], key[1], key[2], known[key]))
            else:
                failed += 1
                print("not ok - DISAGREE %s: %s | RRULE:%s DTSTART:%s -- %s" % (
                    name, case["title"], key[1], key[2], why))
        print("ok - %s agreement: %d of %d (the rest listed in rrule_known.txt)" % (name, agree, total))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
