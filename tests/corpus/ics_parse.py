#!/usr/bin/env python3
"""ics_parse.py ICSDUMP CORPUS - runs tests/tools/icsdump (the src/ics iCalendar reader) over
every .ics/.vcs file below CORPUS, whole, fed 1 byte at a time and fed 20 bytes at a time: each
run must exit 0 within 10 s, and all three runs must print the same. Prints ok/not ok per failing file, counts of files with
problems, and ends with "N passed, N failed"."""
import os
import subprocess
import sys


CHUNKS = (1, 20)


def run(tool, path, chunk):
    args = [tool] + (["-c", str(chunk)] if chunk else []) + [path]
    try:
        p = subprocess.run(args, capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if p.returncode != 0:
        return None, "exit %d %s" % (p.returncode, p.stderr.decode(errors="replace")[-300:])
    return p.stdout, None


def main():
    if len(sys.argv) != 3:
        print("usage: ics_parse.py ICSDUMP CORPUS")
        return 2
    tool, corpus = sys.argv[1], sys.argv[2]
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs
                   if f.lower().endswith((".ics", ".vcs")))
    passed = failed = with_problems = with_errors = 0
    codes = {}
    for path in files:
        out, err = run(tool, path, 0)
        for chunk in CHUNKS:
            if out is None or err:
                break
            out2, err = run(tool, path, chunk)
            if out2 is not None and out2 != out:
                err = "output fed %d bytes at a time differs" % chunk
        if err:
            failed += 1
            print("not ok - %s: %s" % (path, err))
            continue
        passed += 1
        last = out.decode(errors="replace").strip().splitlines()[-1]
        if not last.endswith(" 0 problems"):
            with_problems += 1
        text = out.decode(errors="replace")
        if "\nERROR ics." in text.replace("  ERROR", "\nERROR") or "  WARNING ics." in text:
            with_errors += 1
        for line in text.splitlines():
            w = line.split()
            if len(w) >= 2 and w[0] in ("INFO", "WARNING", "ERROR") and w[1].startswith("ics."):
                codes[w[1].rstrip(":")] = codes.get(w[1].rstrip(":"), 0) + 1
    print("# %d files, %d with problems, %d with a WARNING or ERROR" %
          (len(files), with_problems, with_errors))
    for c in sorted(codes):
        print("#   %s: %d" % (c, codes[c]))
    if not failed:
        print("ok - the iCalendar parser read all %d .ics/.vcs files, whole and fed 1 and 20 "
              "bytes at a time alike" % passed)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
