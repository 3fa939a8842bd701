#!/usr/bin/env python3
"""msgreader_compare.py CALCHECK DIR - for every X.msg in DIR with an X.json
(the expected parse shipped by @kenjiuno/msgreader), compares every field
that has an [MS-OXOCAL] counterpart - recurrence pattern, exceptions, TZREG,
TZ definitions, start/end, location - with `calcheck dump --json`, recursing
into embedded exception messages. Prints ok/not ok per file with every
difference listed; fields msgreader does not have are not compared."""
import email.utils
import glob
import json
import os
import subprocess
import sys

APPT = "{00062002-0000-0000-C000-000000000046}"

PATTERN = {"recurFrequency": "RecurFrequency", "patternType": "PatternType",
           "calendarType": "CalendarType", "firstDateTime": "FirstDateTime",
           "period": "Period", "slidingFlag": "SlidingFlag", "endType": "EndType",
           "occurrenceCount": "OccurrenceCount", "firstDOW": "FirstDOW",
           "deletedInstanceDates": "DeletedInstanceDates",
           "modifiedInstanceDates": "ModifiedInstanceDates",
           "startDate": "StartDate", "endDate": "EndDate"}
SPECIFIC = {("patternTypeWeek", "dayOfWeekBits"): "DayOfWeek",
            ("patternTypeMonth", "day"): "Day",
            ("patternTypeMonthNth", "dayOfWeekBits"): "DayOfWeek",
            ("patternTypeMonthNth", "n"): "N"}
SYSTIME = {"year": "wYear", "month": "wMonth", "dayOfWeek": "wDayOfWeek", "day": "wDay",
           "hour": "wHour", "minute": "wMinute"}
RULE = {"flags": "TZRuleFlags", "bias": "lBias", "standardBias": "lStandardBias",
        "daylightBias": "lDaylightBias"}
TZREG = {"bias": "lBias", "standardBias": "lStandardBias", "daylightBias": "lDaylightBias",
         "standardYear": "wStandardYear", "daylightYear": "wDaylightYear"}
TIMES = {"apptStartWhole": 0x820D, "apptEndWhole": 0x820E, "clipStart": 0x8235,
         "clipEnd": 0x8236}
TZDEFS = {"apptTZDefStartDisplay": 0x825E, "apptTZDefEndDisplay": 0x825F,
          "apptTZDefRecur": 0x8260}


class Cmp:
    def __init__(self):
        self.n = 0
        self.diffs = []

    def eq(self, path, want, got):
        self.n += 1
        if want != got:
            self.diffs.append("%s: msgreader %r, calcheck %r" % (path, want, got))


def named(msg, lid):
    for p in msg["properties"]:
        if p.get("guid") == APPT and p.get("lid") == lid:
            return p
    return None


def rfc1123_to_iso(s):
    return email.utils.parsedate_to_datetime(s).strftime("%Y-%m-%dT%H:%M:%SZ")


def cmp_systime(c, path, want, got):
    for k, v in want.items():
        if k in SYSTIME:
            c.eq(path + "." + k, v, got.get(SYSTIME[k]) if got else None)


def cmp_tzdef(c, path, want, got):
    if got is None:
        c.eq(path, "present", None)
        return
    if "keyName" in want:
        c.eq(path + ".keyName", want["keyName"], got.get("KeyName"))
    rules = got.get("TZRules", [])
    c.eq(path + ".rules.length", len(want.get("rules", [])), len(rules))
    for i, (w, g) in enumerate(zip(want.get("rules", []), rules)):
        p = "%s.rules[%d]" % (path, i)
        for k, v in w.items():
            if k in RULE:
                c.eq(p + "." + k, v, g.get(RULE[k]))
        if "start" in w:  # wYear (+X) rendered as a date; the year is wYear
            c.eq(p + ".start(year)", email.utils.parsedate_to_datetime(w["start"]).year,
                 g.get("wYear"))
        cmp_systime(c, p + ".standardDate", w.get("standardDate", {}), g.get("stStandardDate"))
        cmp_systime(c, p + ".daylightDate", w.get("daylightDate", {}), g.get("stDaylightDate"))


def cmp_recur(c, path, want, got):
    if got is None:
        c.eq(path, "present", None)
        return
    pat = got.get("RecurrencePattern", {})
    for k, v in want.get("recurrencePattern", {}).items():
        if k in PATTERN:
            c.eq(path + ".recurrencePattern." + k, v, pat.get(PATTERN[k]))
        elif isinstance(v, dict):
            for kk, vv in v.items():
                ours = SPECIFIC.get((k, kk))
                if ours:
                    c.eq("%s.recurrencePattern.%s.%s" % (path, k, kk), vv,
                         pat.get("PatternTypeSpecific", {}).get(ours))
    for k in ("startTimeOffset", "endTimeOffset"):
        if k in want:
            c.eq(path + "." + k, want[k], got.get(k[0].upper() + k[1:]))
    infos = got.get("ExceptionInfo", [])
    exts = got.get("ExtendedException", [])
    c.eq(path + ".exceptionInfo.length", len(want.get("exceptionInfo", [])), len(infos))
    for i, w in enumerate(want.get("exceptionInfo", [])):
        g = infos[i] if i < len(infos) else {}
        x = exts[i] if i < len(exts) else {}
        p = "%s.exceptionInfo[%d]" % (path, i)
        c.eq(p + ".startDateTime", w.get("startDateTime"), g.get("StartDateTime"))
        c.eq(p + ".endDateTime", w.get("endDateTime"), g.get("EndDateTime"))
        c.eq(p + ".originalStartTime", w.get("originalStartTime"), g.get("OriginalStartDate"))
        c.eq(p + ".overrideFlags", w.get("overrideFlags"), g.get("OverrideFlags"))
        for k, ours8, ours16 in (("subject", "Subject", "WideCharSubject"),
                                 ("location", "Location", "WideCharLocation")):
            if k in w:  # msgreader prefers the Unicode copy when there is one
                c.eq(p + "." + k, w[k], x.get(ours16, g.get(ours8)))
        if "busyStatus" in w:
            c.eq(p + ".busyStatus", w["busyStatus"], g.get("BusyStatus"))
        if "changeHighlight" in w:
            c.eq(p + ".changeHighlight", w["changeHighlight"],
                 x.get("ChangeHighlight", {}).get("ChangeHighlightValue"))


def cmp_msg(c, path, want, got):
    for k, lid in TIMES.items():
        if k in want:
            p = named(got, lid)
            c.eq(path + k, rfc1123_to_iso(want[k]), p and p.get("value"))
    if "apptLocation" in want:
        p = named(got, 0x8208)
        c.eq(path + "apptLocation", want["apptLocation"], p and p.get("value"))
    if "timeZoneDesc" in want:
        p = named(got, 0x8234)
        c.eq(path + "timeZoneDesc", want["timeZoneDesc"], p and p.get("value"))
    if "timeZoneStruct" in want:
        p = named(got, 0x8233)
        g = p and p.get("TZREG")
        w = want["timeZoneStruct"]
        for k, v in w.items():
            if k in TZREG:
                c.eq(path + "timeZoneStruct." + k, v, g and g.get(TZREG[k]))
        cmp_systime(c, path + "timeZoneStruct.standardDate", w.get("standardDate", {}),
                    g and g.get("stStandardDate"))
        cmp_systime(c, path + "timeZoneStruct.daylightDate", w.get("daylightDate", {}),
                    g and g.get("stDaylightDate"))
    for k, lid in TZDEFS.items():
        if k in want:
            p = named(got, lid)
            cmp_tzdef(c, path + k, want[k], p and p.get("TZDEFINITION"))
    if "apptRecur" in want:
        p = named(got, 0x8216)
        cmp_recur(c, path + "apptRecur", want["apptRecur"],
                  p and p.get("AppointmentRecurrencePattern"))
    atts = got.get("attachments", [])
    for i, a in enumerate(want.get("attachments", [])):
        inner = a.get("innerMsgContentFields")
        if inner is None:
            continue
        sub = atts[i].get("embedded") if i < len(atts) else None
        if sub is None:
            c.eq("%sattachments[%d].embedded" % (path, i), "present", None)
        else:
            cmp_msg(c, "%sattachments[%d]." % (path, i), inner, sub)


def main():
    calcheck, folder = sys.argv[1], sys.argv[2]
    failed = 0
    for exp in sorted(glob.glob(os.path.join(folder, "*.json"))):
        msg = exp[:-5] + ".msg"
        if not os.path.exists(msg):
            continue
        r = subprocess.run([calcheck, "dump", "--json", msg], capture_output=True)
        name = os.path.basename(msg)
        if r.returncode not in (0, 1):
            print("not ok - msgreader fields of %s: dump exited %d" % (name, r.returncode))
            failed += 1
            continue
        with open(exp, encoding="utf-8") as f:
            want = json.load(f)
        c = Cmp()
        cmp_msg(c, "", want, json.loads(r.stdout)["message"])
        if c.diffs:
            failed += 1
            print("not ok - msgreader fields of %s (%d of %d differ)" % (name, len(c.diffs), c.n))
            for d in c.diffs:
                print("#   " + d)
        else:
            print("ok - msgreader fields of %s (%d fields equal)" % (name, c.n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
