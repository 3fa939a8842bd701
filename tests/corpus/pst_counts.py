#!/usr/bin/env python3
"""pst_counts.py PSTLIST CORPUS - for every .pst/.ost below CORPUS, the number
of items our PST/OST source (sources/pst.c, through build/tools/pstlist) reads
from each calendar folder must equal the number of items pffexport (pff-tools,
an independent reading through libpff's own exporter) writes into that
folder's directory of `pffexport -m all -t TMP FILE`, and no item may fail.
An item directory of the export is a direct child named <Type>NNNNN
(Appointment00001, Meeting00002, ...). Prints "ok - ..." / "not ok - ..." per
file and ends with "N passed, N failed"; exit status 1 on any failure."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ITEM_DIR = re.compile(r"^[A-Za-z]+[0-9]{5}$")


def pffexport_counts(path, tmp):
    """Folder path (relative to the export root) -> item count."""
    target = os.path.join(tmp, "x")
    subprocess.run(["pffexport", "-q", "-m", "all", "-t", target, path],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    root = target + ".export"
    counts = {}
    for dirpath, dirnames, _ in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        items = [d for d in dirnames if ITEM_DIR.match(d)]
        counts[rel] = len(items)
        # Do not descend into items (their Attachments hold embedded items).
        dirnames[:] = [d for d in dirnames if not ITEM_DIR.match(d)]
    return counts


def ours(tool, path):
    """(calendars [(path, counted, read, failed, default)], errors, status line)."""
    r = subprocess.run([tool, path], capture_output=True, text=True, errors="replace")
    cals, errors, info = [], [], ""
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if f[0] == "calendar" and len(f) >= 7:
            cals.append((f[1], int(f[3]), int(f[4]), int(f[5]), f[6] == "1"))
        elif f[0] == "error":
            errors.append(" ".join(f[1:]))
        elif f[0] == "file":
            info = " ".join(f[2:4])
    if r.returncode != 0 and not errors:
        errors.append("%s exited %d: %s" % (tool, r.returncode, r.stderr.strip()[:200]))
    return cals, errors, info


def main():
    if len(sys.argv) != 3:
        print("usage: pst_counts.py PSTLIST CORPUS", file=sys.stderr)
        return 2
    tool, corpus = sys.argv[1], sys.argv[2]
    if shutil.which("pffexport") is None:
        print("# pffexport not installed (Debian pff-tools): skipped")
        print("0 passed, 0 failed")
        return 0
    files = []
    for dirpath, _, names in os.walk(corpus):
        for n in names:
            if n.lower().endswith((".pst", ".ost")):
                files.append(os.path.join(dirpath, n))
    passed = failed = 0
    for path in sorted(files):
        rel = os.path.relpath(path, corpus)
        cals, errors, info = ours(tool, path)
        with tempfile.TemporaryDirectory() as tmp:
            theirs = pffexport_counts(path, tmp)
        diffs = list(errors)
        total = 0
        for folder, counted, read, failed_items, _ in cals:
            total += read
            want = theirs.get(folder)
            if want is None:
                diffs.append("%s: not in the pffexport tree" % folder)
            elif want != read or counted != read:
                diffs.append("%s: read %d (libpff counts %d), pffexport %d"
                             % (folder, read, counted, want))
        if not cals:
            diffs.append("no calendar folder found")
        default = [c[0] for c in cals if c[4]]
        what = "%s (%s): %d calendars, %d items%s" % (
            rel, info, len(cals), total,
            ", default " + default[0] if default else ", default calendar unknown")
        if diffs:
            failed += 1
            print("not ok - " + what)
            for d in diffs:
                print("#   " + d)
        else:
            passed += 1
            print("ok - " + what)
            for folder, _, read, _, dflt in cals:
                print("#   %s%s: %d" % (folder, " (default)" if dflt else "", read))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
