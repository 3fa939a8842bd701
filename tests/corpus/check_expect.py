#!/usr/bin/env python3
"""check_expect.py CALCHECK CORPUS EXPECT - checks every .msg/.oft/.pst/.ost
in the corpus folders with calcheck (each file as its own calendar, as of
2026-11-25) and compares the ERROR findings with EXPECT, where each expected
error has a line "path<TAB>id<TAB>justification from the item's data".
An ERROR not listed, or a listed one no longer reported, fails; a crash or
exit status 2 fails. Prints ok/not ok per file."""
import os
import re
import subprocess
import sys
import tempfile

FOLDERS = ("msgreader-kenjiuno", "msg-small-sources", "aspose-email", "pst-extractor",
           "pst-small-sources")
EXTS = (".msg", ".oft", ".pst", ".ost")


def load(path):
    want = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or not re.fullmatch(r"\d{4}", parts[1]) or not parts[2].strip():
                sys.exit("%s:%d: want 'path<TAB>NNNN<TAB>justification'" % (path, n))
            want.setdefault(parts[0], set()).add(parts[1])
    return want


def main():
    calcheck, corpus, expect = sys.argv[1:4]
    want = load(expect)
    files = []
    for folder in FOLDERS:
        for root, _, names in os.walk(os.path.join(corpus, folder)):
            files += [os.path.join(root, n) for n in names if n.lower().endswith(EXTS)]
    failed = 0
    seen = set()
    for path in sorted(files):
        rel = os.path.relpath(path, corpus)
        seen.add(rel)
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([calcheck, "--now", "2026-11-25", "-O", out, path],
                               capture_output=True, timeout=120)
            log = open(os.path.join(out, "CalCheck.log"), encoding="utf-8").read() \
                if r.returncode in (0, 1) else ""
        got = set(re.findall(r" ERROR (\d{4}): ", log))
        exp = want.get(rel, set())
        if r.returncode not in (0, 1):
            failed += 1
            print("not ok - check %s (exit %d: %s)" % (rel, r.returncode, r.stderr.decode()[:200]))
        elif got != exp:
            failed += 1
            print("not ok - check %s: errors %s, expected %s" % (rel, sorted(got), sorted(exp)))
            for line in log.splitlines():
                if " ERROR " in line and re.search(r" ERROR (%s):" % "|".join(got - exp or {"x"}), line):
                    print("#   unexpected:" + line[19:])
        else:
            print("ok - check %s: errors %s as expected" % (rel, " ".join(sorted(got)) or "none"))
    for rel in sorted(set(want) - seen):
        failed += 1
        print("not ok - %s is in the expectations but not in the corpus" % rel)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
