#!/usr/bin/env python3
"""nameid_oracle.py CALCHECK MSG... - compares calcheck's named-property map
with an independent reading: libolecf's `olecfexport` extracts the streams of
__nameid_version1.0 and this script decodes them itself ([MS-OXMSG] 2.2.3:
GUID stream 0x0002, entry stream 0x0003, string stream 0x0004).
Prints one ok/not ok line per file and lists every difference."""
import json
import os
import struct
import subprocess
import sys
import tempfile

PS_MAPI = "{00020328-0000-0000-C000-000000000046}"
PS_PUBLIC_STRINGS = "{00020329-0000-0000-C000-000000000046}"


def fmt_guid(b):
    d1, d2, d3 = struct.unpack_from("<IHH", b)
    rest = b[8:16].hex().upper()
    return "{%08X-%04X-%04X-%s-%s}" % (d1, d2, d3, rest[:4], rest[4:])


def read_stream(root, name):
    path = os.path.join(root, "__nameid_version1.0", name, "StreamData.bin")
    if not os.path.exists(path):
        path = os.path.join(root, "__nameid_version1.0", name)
    with open(path, "rb") as f:
        return f.read()


def oracle(msg):
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "x")
        subprocess.run(["olecfexport", "-t", target, msg], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        root = target + ".export"
        if not os.path.isdir(os.path.join(root, "__nameid_version1.0")):
            return {}
        guids = read_stream(root, "__substg1.0_00020102")
        entries = read_stream(root, "__substg1.0_00030102")
        strings = read_stream(root, "__substg1.0_00040102")
    out = {}
    for off in range(0, len(entries) - 7, 8):
        ident, kind_index, prop_index = struct.unpack_from("<IHH", entries, off)
        is_string = kind_index & 1
        gi = kind_index >> 1
        if gi == 1:
            guid = PS_MAPI
        elif gi == 2:
            guid = PS_PUBLIC_STRINGS
        else:
            guid = fmt_guid(guids[(gi - 3) * 16:(gi - 2) * 16])
        key = "0x%04X" % (0x8000 + prop_index)
        if is_string:
            (n,) = struct.unpack_from("<I", strings, ident)
            name = strings[ident + 4:ident + 4 + n].decode("utf-16-le")
            out[key] = (guid, "name", name)
        else:
            out[key] = (guid, "lid", ident)
    return out


def ours(calcheck, msg):
    r = subprocess.run([calcheck, "dump", "--json", msg], capture_output=True)
    if r.returncode not in (0, 1):
        raise RuntimeError("calcheck dump exited %d: %s" % (r.returncode, r.stderr.decode()))
    doc = json.loads(r.stdout)
    out = {}
    for e in doc.get("named_properties", []):
        if "propname" in e:
            out[e["id"]] = (e["guid"], "name", e["propname"])
        else:
            out[e["id"]] = (e["guid"], "lid", e["lid"])
    return out


def main():
    calcheck = sys.argv[1]
    failed = 0
    for msg in sys.argv[2:]:
        try:
            want, got = oracle(msg), ours(calcheck, msg)
        except Exception as exc:  # a crash of either side is a failure
            print("not ok - named properties of %s: %s" % (msg, exc))
            failed += 1
            continue
        diffs = []
        for k in sorted(set(want) | set(got)):
            if want.get(k) != got.get(k):
                diffs.append("%s: olecfexport %s, calcheck %s" % (k, want.get(k), got.get(k)))
        if diffs:
            failed += 1
            print("not ok - named properties of %s (%d differ)" % (msg, len(diffs)))
            for d in diffs[:20]:
                print("#   " + d)
        else:
            print("ok - named properties of %s (%d entries agree)" % (msg, len(want)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
