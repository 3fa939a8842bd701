#!/usr/bin/env python3
"""pst_quarantine.py CALCHECK CORPUS - -F on PST/OST files: the input's
checksum is unchanged, every flagged item is written as a .msg copy that
`olecfinfo` opens, and checking the copies gives each item the same findings
(by check id) as checking it in the data file. Items are matched through the
copy's name ("0007 Subject.msg" is item 7). The cross-item checks 0046-0049
(duplicates, clashing meeting ids) are left out of the comparison: they depend
on which other items are in the calendar, and only flagged items are copied."""
import glob
import hashlib
import os
import re
import subprocess
import sys
import tempfile

FILES = ("aspose-email/dotnet/Examples/Data/Outlook/Chunks/Test_part1.pst",
         "aspose-email/dotnet/Examples/Data/Outlook/SampleOstFile.ost",
         "pst-extractor/pstextractortest@outlook.com.ost")


CROSS_ITEM = {"0046", "0047", "0048", "0049"}


def findings(log_path, by_copy_name):
    """{original item number: sorted check ids} from a CalCheck.log; the
    number is the log's item number, or for copies the one in the file name."""
    items, cur = {}, None
    for line in open(log_path, encoding="utf-8"):
        m = re.search(r" Item (\d+): .* in (.*)$", line)
        if m:
            if by_copy_name:
                cur = int(re.match(r"(\d+) ", os.path.basename(m.group(2))).group(1))
            else:
                cur = int(m.group(1))
            items.setdefault(cur, [])
            continue
        m = re.search(r" (ERROR|WARNING|INFO) (\d{4}): ", line)
        if m and cur is not None and m.group(2) not in CROSS_ITEM:
            items[cur].append(m.group(2))
    return {k: sorted(v) for k, v in items.items()}


def main():
    calcheck, corpus = sys.argv[1], sys.argv[2]
    failed = 0
    for rel in FILES:
        src = os.path.join(corpus, rel)
        if not os.path.exists(src):
            continue
        before = hashlib.sha256(open(src, "rb").read()).hexdigest()
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out")
            r = subprocess.run([calcheck, "--now", "2026-11-25", "-F", "-O", out, src],
                               capture_output=True, timeout=300)
            after = hashlib.sha256(open(src, "rb").read()).hexdigest()
            copies = sorted(glob.glob(os.path.join(out, "CalCheck", "*.msg")))
            problems = []
            if r.returncode not in (0, 1):
                problems.append("exit %d: %s" % (r.returncode, r.stderr.decode()[:200]))
            if before != after:
                problems.append("the input changed")
            for c in copies:
                if subprocess.run(["olecfinfo", c], capture_output=True).returncode != 0:
                    problems.append("olecfinfo cannot open " + os.path.basename(c))
            if copies:
                out2 = os.path.join(tmp, "out2")
                subprocess.run([calcheck, "--now", "2026-11-25", "-O", out2,
                                os.path.join(out, "CalCheck")], capture_output=True, timeout=300)
                first = findings(os.path.join(out, "CalCheck.log"), False)
                second = findings(os.path.join(out2, "CalCheck.log"), True)
                for n, ids in sorted(second.items()):
                    if first.get(n) != ids:
                        problems.append("item %d: data file %s, copy %s" % (n, first.get(n), ids))
                if len(second) != len(copies):
                    problems.append("%d copies, %d checked" % (len(copies), len(second)))
        name = os.path.basename(rel)
        if problems:
            failed += 1
            print("not ok - -F on %s" % name)
            for p in problems:
                print("#   " + p)
        else:
            print("ok - -F on %s: input unchanged, %d copies open with olecfinfo and re-check "
                  "to the same findings" % (name, len(copies)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
