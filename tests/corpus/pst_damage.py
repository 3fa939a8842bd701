#!/usr/bin/env python3
"""pst_damage.py CALCHECK CORPUS [RUNS] - damaged PST/OST files never crash or
hang calcheck: copies of the corpus data files are corrupted at random
(deterministic seed) by bit flips, truncation and zeroed pages, RUNS times in
all (default 300), and each is checked with a 60-second limit. Every run must
end with exit 0, 1 or 2; exit 2 must name the file; a run that reads the file
must log what it could not read (0099/0164 findings) rather than stop."""
import os
import random
import subprocess
import sys
import tempfile

FILES = ("pst-small-sources/go-pst/32-bit.pst",
         "pst-small-sources/hughbe-PstReader/hughbe_Outlook.pst",
         "aspose-email/dotnet/Examples/Data/Outlook/Outlook.pst",
         "aspose-email/dotnet/Examples/Data/Outlook/SampleOstFile.ost",
         "aspose-email/dotnet/Examples/Data/Outlook/Chunks/Test_part1.pst",
         "pst-extractor/pstextractortest@outlook.com.ost")


def corrupt(data, rng):
    b = bytearray(data)
    kind = rng.choice(("flip", "flip", "truncate", "zero-page"))
    if kind == "flip":
        for _ in range(rng.choice((1, 4, 32, 256))):
            pos = rng.randrange(len(b))
            b[pos] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        b = b[:rng.randrange(len(b))]
    else:
        page = rng.choice((512, 4096))
        for _ in range(rng.choice((1, 8))):
            start = rng.randrange(len(b) // page) * page
            b[start:start + page] = bytes(len(b[start:start + page]))
    return kind, bytes(b)


def main():
    calcheck, corpus = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    srcs = [os.path.join(corpus, f) for f in FILES if os.path.exists(os.path.join(corpus, f))]
    rng = random.Random(4)
    bad = 0
    kinds = {}
    exits = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            src = srcs[i % len(srcs)]
            kind, data = corrupt(open(src, "rb").read(), rng)
            path = os.path.join(tmp, "damaged" + os.path.splitext(src)[1])
            with open(path, "wb") as f:
                f.write(data)
            out = os.path.join(tmp, "out")
            try:
                r = subprocess.run([calcheck, "--now", "2026-11-25", "-O", out, path],
                                   capture_output=True, timeout=60)
            except subprocess.TimeoutExpired:
                bad += 1
                print("#   run %d (%s of %s): hang" % (i, kind, os.path.basename(src)))
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
            exits[r.returncode] = exits.get(r.returncode, 0) + 1
            err = r.stderr.decode(errors="replace")
            if r.returncode not in (0, 1, 2) or (r.returncode == 2 and ("calcheck: " + path) not in err):
                bad += 1
                print("#   run %d (%s of %s): exit %d %s" % (i, kind, os.path.basename(src),
                                                          r.returncode, err[:200]))
    summary = "%d damaged PST/OST copies (%s; exits %s)" % (
        runs, ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
        ", ".join("%d: %d" % kv for kv in sorted(exits.items())))
    print(("not ok - " if bad else "ok - ") + summary + (" - %d bad" % bad if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
