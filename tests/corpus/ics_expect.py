#!/usr/bin/env python3
"""ics_expect.py CALCHECK CORPUS EXPECT - checks every .ics/.vcs file below CORPUS with calcheck
(each file as its own calendar, as of 2026-11-25, two at a time, each with its own -O folder)
and then the expectations in EXPECT.

Every file must be checked within 10 s and exit 0 or 1, or exit 2 with a message
"calcheck: FILE: reason" (a file that is not a calendar at all); anything else - a crash, a
hang, a missing CalCheck.log - fails.

EXPECT has one line per file, "PATH<TAB>EXPECT<TAB>REASON", PATH relative to CORPUS, where
EXPECT is
  finding            at least one ERROR or WARNING (or exit 2 with its message: refused as
                     not a calendar)
  finding:0213,0220  at least one ERROR or WARNING of each of these checks
  clean              exit 0 and no ERROR (warnings allowed)
and "known:" before any of them marks an expectation calcheck does not meet yet; its REASON
starts with "calcheck bug:". A known line passes while the bug is there and fails once the
expectation holds, so that the line is turned into a plain one. Lines starting with # and
empty lines are comments.

Prints "ok - ..." / "not ok - ..." lines, a summary (files, exit codes, files with findings,
findings by check id) and ends with "N passed, N failed"."""
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

NOW = "2026-11-25"
TIMEOUT = 10
WORKERS = 2
EXTS = (".ics", ".vcs")
EXPECT_RE = re.compile(r"(known:)?(clean|finding(?::(\d{4}(?:,\d{4})*))?)")
FINDING_RE = re.compile(r"^\S+ \S+\s+(ERROR|WARNING|INFO) (\d{4}): ", re.MULTILINE)


def bad(path, n, text):
    """A malformed expectations file fails the suite visibly."""
    print("not ok - %s:%d: %s" % (path, n, text))
    print("0 passed, 1 failed")
    sys.exit(1)


def load(path):
    """[(line number, rel, known, kind, ids, reason)]; fails on a malformed line."""
    lines = []
    seen = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            m = EXPECT_RE.fullmatch(parts[1]) if len(parts) == 3 else None
            if not m or not parts[0] or not parts[2].strip():
                bad(path, n, "want 'PATH<TAB>[known:](finding[:NNNN,...]|clean)<TAB>reason'")
            if m.group(1) and not parts[2].startswith("calcheck bug:"):
                bad(path, n, "a known: line's reason starts with 'calcheck bug:'")
            if parts[0] in seen:
                bad(path, n, "%s is already on line %d" % (parts[0], seen[parts[0]]))
            seen[parts[0]] = n
            kind = "clean" if m.group(2) == "clean" else "finding"
            ids = m.group(3).split(",") if m.group(3) else []
            lines.append((n, parts[0], bool(m.group(1)), kind, ids, parts[2]))
    return lines


def check(calcheck, corpus, rel, base, index):
    """Runs calcheck on one file: a dict with rc, problem (None if the run is acceptable),
    findings [(severity, id)]."""
    path = os.path.join(corpus, rel)
    out = os.path.join(base, "%05d" % index)
    os.mkdir(out)
    res = {"rc": None, "problem": None, "findings": []}
    try:
        p = subprocess.run([calcheck, "--now", NOW, "-O", out, path], capture_output=True,
                           timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        res["problem"] = "no result within %d s" % TIMEOUT
        return res
    res["rc"] = p.returncode
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode in (0, 1):
        try:
            with open(os.path.join(out, "CalCheck.log"), "rb") as f:
                log = f.read().decode("utf-8", "replace")
        except OSError:
            res["problem"] = "exit %d but no CalCheck.log" % p.returncode
            return res
        res["findings"] = FINDING_RE.findall(log)
    elif p.returncode == 2:
        if not re.search(r"^calcheck: %s: \S" % re.escape(path), err, re.MULTILINE):
            res["problem"] = "exit 2 without a 'calcheck: FILE: reason' message: %r" % err[-300:]
    elif p.returncode < 0:
        res["problem"] = "killed by signal %d: %r" % (-p.returncode, err[-300:])
    else:
        res["problem"] = "exit %d: %r" % (p.returncode, err[-300:])
    return res


def holds(res, kind, ids):
    """(whether the expectation holds, what calcheck said)."""
    rc = res["rc"]
    errors = sorted({i for s, i in res["findings"] if s == "ERROR"})
    warnings = sorted({i for s, i in res["findings"] if s == "WARNING"})
    said = "exit %s, errors %s, warnings %s" % (rc, " ".join(errors) or "none",
                                                 " ".join(warnings) or "none")
    if res["problem"]:
        return False, res["problem"]
    if kind == "clean":
        return rc == 0 and not errors, said
    if rc == 2:
        return not ids, "exit 2 (refused as not a calendar)"
    got = set(errors) | set(warnings)
    return (set(ids) <= got if ids else bool(got)), said


def main():
    if len(sys.argv) != 4:
        print("usage: ics_expect.py CALCHECK CORPUS EXPECT")
        return 2
    calcheck, corpus, expect = sys.argv[1:4]
    want = load(expect)
    files = sorted(os.path.relpath(os.path.join(d, f), corpus)
                   for d, _, fs in os.walk(corpus) for f in fs if f.lower().endswith(EXTS))
    passed = failed = 0

    with tempfile.TemporaryDirectory() as base:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            results = dict(zip(files, pool.map(
                lambda a: check(calcheck, corpus, a[1], base, a[0]), enumerate(files))))

    # 1. no crash, no hang, only exit 0/1, or 2 with its message
    for rel in files:
        if results[rel]["problem"]:
            failed += 1
            print("not ok - check %s: %s" % (rel, results[rel]["problem"]))
    codes = Counter(str(r["rc"]) if r["rc"] is not None else "timeout" for r in results.values())
    codes_text = ", ".join("%s: %d" % (c, codes[c]) for c in sorted(codes))
    if not any(r["problem"] for r in results.values()):
        passed += 1
        print("ok - calcheck checked all %d .ics/.vcs files without crash or hang (exit %s)"
              % (len(files), codes_text))

    # 2. the expectations
    stats = {"finding": [0, 0], "clean": [0, 0]}
    known = [0, 0]
    for n, rel, is_known, kind, ids, reason in want:
        what = kind + (":" + ",".join(ids) if ids else "")
        if rel not in results:
            failed += 1
            print("not ok - %s (line %d) is not an .ics/.vcs file of the corpus" % (rel, n))
            continue
        ok, said = holds(results[rel], kind, ids)
        stats[kind][1] += 1
        stats[kind][0] += ok
        if is_known:
            known[1] += 1
            if ok and not results[rel]["problem"]:
                failed += 1
                print("not ok - %s: expected %s now holds (%s): the calcheck bug is fixed, "
                      "drop 'known:' on line %d" % (rel, what, said, n))
            else:
                known[0] += 1
                passed += 1
                print("ok - %s: %s does not hold yet (%s) # TODO %s" % (rel, what, said, reason))
            continue
        if ok:
            passed += 1
            print("ok - %s: %s as expected (%s)" % (rel, what, said))
        else:
            failed += 1
            print("not ok - %s: expected %s, got %s (line %d: %s)" % (rel, what, said, n, reason))

    # 3. the summary
    with_findings = sum(1 for r in results.values()
                        if any(s in ("ERROR", "WARNING") for s, _ in r["findings"]))
    by_id = Counter(i for r in results.values() for s, i in r["findings"] if s != "INFO")
    files_by_id = Counter(i for r in results.values()
                          for i in {i for s, i in r["findings"] if s != "INFO"})
    print("# %d files; exit %s; %d with an ERROR or WARNING" % (len(files), codes_text,
                                                                with_findings))
    print("# findings (ERROR/WARNING) by check id, top 15: " +
          ", ".join("%s %d in %d files" % (i, c, files_by_id[i])
                    for i, c in by_id.most_common(15)))
    fi, cl = stats["finding"], stats["clean"]
    print("# expectations (known: lines included): invalid files with their findings %d/%d, "
          "valid files clean %d/%d; known calcheck bugs still present %d/%d"
          % (fi[0], fi[1], cl[0], cl[1], known[0], known[1]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
