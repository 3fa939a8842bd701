#!/usr/bin/env python3
"""rrule_agree.py - compares our RRULE expansion (RFC 5545 §3.3.10) with other projects' expected
instances in /work/shared/corpus (read in place, never copied): libical's icalrecur_test*.txt,
ical.net's RecurrenceTestCases.txt (both through build/tools/rrule) and kcalendarcore's
RecurrenceRule/*.ics with their .next/.prev/.recurson.ref lists (through build/tools/icsexpand:
our parser, zones and expansion end to end). Prints per suite "agreement: X of Y" and every
disagreement, then "N passed, N failed"; a case also passes when tests/corpus/rrule_known.txt
lists it (suite<TAB>RRULE<TAB>DTSTART<TAB>reason).
Usage: rrule_agree.py [-v] [CORPUS_DIR] (default /work/shared/corpus; BUILD env for the tools;
-v prints every case's result)."""
import datetime
import os
import re
import subprocess
import sys
import zoneinfo

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(TOP, os.environ.get("BUILD", "build"), "tools", "rrule")
EXPAND = os.path.join(TOP, os.environ.get("BUILD", "build"), "tools", "icsexpand")
ARGS = [a for a in sys.argv[1:] if a != "-v"]
VERBOSE = "-v" in sys.argv[1:]
CORPUS = ARGS[0] if ARGS else "/work/shared/corpus"

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


# kcalendarcore's autotests run testrecurrence, testrecurprevious and testrecurson (with TZ=GMT)
# over every RecurrenceRule/*/*.ics and diff their output with NAME.ics.{next,prev,recurson}.ref:
#   next      the first 500 occurrences from DTSTART, "YYYY-MM-DDTHH:MM:SS ABBR ZONE";
#   prev      at most 500 going back from 2 years after the last occurrence (a series with COUNT
#             or UNTIL), else from 2011-01-01T00:00:01, newest first, "... ABBR [ZONE]";
#   recurson  the dates from 1996-07-01 to 2020-12-31 on which an occurrence starts, at most 501.
# Times are shown in the zone X-LibKCal-Testsuite-OutTZ names when the file has one, else in each
# occurrence's own zone (floating times and dates as GMT); recurson's dates are in that zone or
# UTC. We compare the wall-clock time and its UTC offset, except where kcalendarcore shows the
# zone as a fixed offset ("UTC-04:00"): as its .ref files show, it did not map the files'
# VTIMEZONE (TZID=US-Eastern, pre-2007 US rules, not an IANA name) to a zone with daylight saving
# time and expanded in the offset in force at DTSTART all year, where we follow the VTIMEZONE, so
# only the wall-clock times are comparable. NAME.ics.comp34.ref (KDE 3.4 output) is not
# checked by kcalendarcore's own tests and is skipped.
KCAL_DIR = "kcalendarcore/autotests/data/RecurrenceRule"
KCAL_KINDS = (("next", "kcalendarcore"), ("prev", "kcalendarcore-prev"),
              ("recurson", "kcalendarcore-recurson"))
ABBR = {"GMT": "+00:00", "UTC": "+00:00", "PST": "-08:00", "PDT": "-07:00", "MST": "-07:00",
        "MDT": "-06:00", "CET": "+01:00", "CEST": "+02:00"}
FIXED = re.compile(r"^UTC([+-]\d\d:\d\d)$")


def kcal_read(path):
    """The calendar's X-LibKCal-Testsuite-OutTZ, and the first VEVENT/VTODO/VJOURNAL's DTSTART
    (as written after the name) and RRULE values."""
    with open(path, encoding="utf-8", errors="replace") as f:
        raw = f.read().splitlines()
    lines = []
    for line in raw:
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        else:
            lines.append(line)
    info = {"outtz": None, "dtstart": None, "rrule": []}
    depth, inside, done = 0, False, False
    for line in lines:
        head, _, val = line.partition(":")
        name = head.split(";")[0].strip().upper()
        val = val.strip()
        if name == "BEGIN":
            depth += 1
            if depth == 2 and not done and val.upper() in ("VEVENT", "VTODO", "VJOURNAL"):
                inside = True
        elif name == "END":
            if depth == 2 and inside:
                inside, done = False, True
            depth -= 1
        elif depth == 1 and name == "X-LIBKCAL-TESTSUITE-OUTTZ":
            info["outtz"] = val
        elif depth == 2 and inside:
            if name == "DTSTART" and info["dtstart"] is None:
                info["dtstart"] = line.strip()[len("DTSTART"):].lstrip(";:")
            elif name == "RRULE":
                info["rrule"].append(val)
    return info


def kcal_instant(local, zone):
    """The UTC instant (YYYYMMDDTHHMMSSZ) of a wall-clock datetime in zone (None: GMT)."""
    dt = local.replace(tzinfo=zoneinfo.ZoneInfo(zone) if zone else datetime.timezone.utc)
    return dt.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def kcal_expand(path, args):
    """Our occurrences of the file's first component, as printed by icsexpand."""
    p = subprocess.run([EXPAND] + args + [path], capture_output=True, text=True, timeout=300)
    out = []
    for line in p.stdout.splitlines()[1:]:
        if line.startswith("end "):
            break
        out.append(line)
    return p.returncode, out, p.stderr.strip().replace("\n", "; ")


def kcal_norm(lines, kind, wall_only):
    """Lines (ours or kcalendarcore's) as comparable strings."""
    res = []
    for line in lines:
        f = line.split()
        if not f:
            continue
        if kind == "recurson" or wall_only:
            res.append(f[0])
            continue
        off = f[1] if len(f) > 1 else "?"
        if off in ("float", "date"):
            off = "+00:00"  # kcalendarcore runs with TZ=GMT
        elif off in ABBR:
            off = ABBR[off]
        elif FIXED.match(off):
            off = FIXED.match(off).group(1)
        res.append("%s %s" % (f[0], off))
    return res


def kcal_run(path, info, kind):
    """(ok, why, offset_diffs) for one .ref of one calendar; offset_diffs is None when the UTC
    offsets were compared, else the number of instances whose offsets alone differ."""
    with open("%s.%s.ref" % (path, kind), encoding="utf-8") as f:
        ref = [line for line in f.read().splitlines() if line.strip()]
    view = info["outtz"]
    zargs = ["-z", view] if view else []
    if kind == "next":
        args = zargs + ["-n", "500"]
    elif kind == "prev":
        args = zargs + ["-l", "-n", "500"]
        finite = all("COUNT=" in r.upper() or "UNTIL=" in r.upper() for r in info["rrule"])
        if not finite:
            args += ["-b", kcal_instant(datetime.datetime(2011, 1, 1, 0, 0, 1), view)]
    else:
        args = ["-z", view or "UTC", "-d", "-n", "501",
                "-b", kcal_instant(datetime.datetime(2021, 1, 1), view)]
    rc, got, err = kcal_expand(path, args)
    if kind == "recurson":
        got = [d for d in got if d >= "1996-07-01"]
    wall_only = kind != "recurson" and bool(info["dtstart"] and "TZID=" in info["dtstart"]) and \
        any(len(line.split()) > 1 and FIXED.match(line.split()[1]) for line in ref)
    exp, ours = kcal_norm(ref, kind, wall_only), kcal_norm(got, kind, wall_only)
    diffs = None
    if wall_only:
        diffs = sum(x != y for x, y in zip(kcal_norm(ref, kind, False),
                                           kcal_norm(got, kind, False)))
    if rc not in (0, 1) and not ours:
        return False, "icsexpand failed (exit %d): %s" % (rc, err), diffs
    if exp == ours:
        return True, "", diffs
    i = next((k for k in range(min(len(ours), len(exp))) if ours[k] != exp[k]),
             min(len(ours), len(exp)))
    return False, "first difference at #%d: expected %s, got %s (expected %d, got %d)%s" % (
        i, exp[i] if i < len(exp) else "(end)", ours[i] if i < len(ours) else "(end)",
        len(exp), len(ours), "; " + err if err else ""), diffs


def kcal_suite(corpus, known):
    """Compares every .next/.prev/.recurson.ref; returns (passed, failed)."""
    top = os.path.join(corpus, KCAL_DIR)
    if not os.path.isdir(top):
        print("# kcalendarcore: %s not found, skipped" % top)
        return 0, 0
    if not os.access(EXPAND, os.X_OK):
        print("not ok - kcalendarcore agreement: missing %s: run make" % EXPAND)
        return 0, 1
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(top)
                   for f in fs if f.endswith(".ics"))
    passed = failed = 0
    agree = {k: 0 for k, _ in KCAL_KINDS}
    total = {k: 0 for k, _ in KCAL_KINDS}
    skipped, comp34, wall = [], 0, {}
    for path in files:
        rel = os.path.relpath(path, top)
        refs = [k for k, _ in KCAL_KINDS if os.path.exists("%s.%s.ref" % (path, k))]
        comp34 += os.path.exists(path + ".comp34.ref")
        if not refs:
            continue
        info = kcal_read(path)
        if not info["rrule"] or not info["dtstart"]:
            skipped.append((rel, len(refs), "no %s: a single occurrence, not a recurrence" % (
                "RRULE" if info["dtstart"] else "DTSTART")))
            continue
        for kind, suite in KCAL_KINDS:
            if kind not in refs:
                continue
            ok, why, diffs = kcal_run(path, info, kind)
            total[kind] += 1
            if diffs is not None:
                wall[rel] = diffs if kind == "next" else wall.get(rel, 0)
            key = (suite, info["rrule"][0], info["dtstart"])
            if ok:
                agree[kind] += 1
                passed += 1
                if VERBOSE:
                    print("# agree  %s: %s%s" % (
                        suite, rel, " (wall clock only)" if diffs is not None else ""))
            elif key in known:
                passed += 1
                print("# known  %s: %s | RRULE:%s DTSTART:%s -- %s" % (
                    suite, rel, key[1], key[2], known[key]))
                if VERBOSE:
                    print("#        %s" % why)
            else:
                failed += 1
                print("not ok - DISAGREE %s: %s | RRULE:%s DTSTART:%s -- %s" % (
                    suite, rel, key[1], key[2], why))
    for rel, n, why in skipped:
        print("# skip   kcalendarcore: %s (%d .ref) -- %s" % (rel, n, why))
    if comp34:
        print("# skip   kcalendarcore: %d *.comp34.ref -- KDE 3.4's own output, kept for history;"
              " kcalendarcore's tests do not check it (they run next, prev and recurson)" % comp34)
    if wall:
        print("# note   kcalendarcore: %d calendars compared on wall-clock time only: kcalendarcore"
              " expands them in a fixed UTC offset (see the comment in rrule_agree.py);"
              " %d instances of their .next.ref in %d calendars differ by that offset alone" % (
                  len(wall), sum(wall.values()), sum(1 for v in wall.values() if v)))
    for kind, suite in KCAL_KINDS:
        print("# %s agreement (.%s.ref): %d of %d" % (suite, kind, agree[kind], total[kind]))
    print("ok - kcalendarcore agreement: %d of %d (the rest listed in rrule_known.txt; skipped:"
          " %d calendar(s) without a rule, %d comp34 lists)" % (
              sum(agree.values()), sum(total.values()), len(skipped), comp34))
    return passed, failed


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
    kp, kf = kcal_suite(CORPUS, known)
    passed += kp
    failed += kf
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
