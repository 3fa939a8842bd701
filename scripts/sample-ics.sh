#!/bin/sh
# scripts/sample-ics.sh FILE - writes the sample iCalendar calendar of
# `make demo` and tests/cli/t0420: a Europe/Berlin VTIMEZONE, clean meetings
# and series, and one defect per kind an administrator meets in exports
# (each marked by its SUMMARY). Our own text, generated, CRLF line ends.
set -eu
out=$1
awk 'BEGIN {
    ORS = crlf = "\r\n"
    print "BEGIN:VCALENDAR" crlf "VERSION:2.0" crlf "PRODID:-//calcheck//sample//EN" crlf "CALSCALE:GREGORIAN"
    print "BEGIN:VTIMEZONE" crlf "TZID:Europe/Berlin"
    print "BEGIN:DAYLIGHT" crlf "TZOFFSETFROM:+0100" crlf "TZOFFSETTO:+0200" crlf "TZNAME:CEST"
    print "DTSTART:19700329T020000" crlf "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" crlf "END:DAYLIGHT"
    print "BEGIN:STANDARD" crlf "TZOFFSETFROM:+0200" crlf "TZOFFSETTO:+0100" crlf "TZNAME:CET"
    print "DTSTART:19701025T030000" crlf "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" crlf "END:STANDARD"
    print "END:VTIMEZONE"
    ev("clean-1", "Budget review", "20261203T090000", "20261203T100000", "")
    ev("series-1", "Weekly sync", "20261207T100000", "20261207T103000", "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO")
    # an override of the series, moved by an hour, after an unrelated event
    ev("clean-2", "Lunch with Ada", "20261204T120000", "20261204T130000", "")
    ev("series-1", "Weekly sync (moved)", "20261214T110000", "20261214T113000", "RECURRENCE-ID;TZID=Europe/Berlin:20261214T100000")
    # defects
    ev("bad-end", "Ends before it starts", "20261205T100000", "20261205T090000", "")
    ev("series-1", "Override of a Tuesday", "20261208T110000", "20261208T113000", "RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000")
    ev("clean-1", "Budget review", "20261203T090000", "20261203T100000", "SEQUENCE:2")
    print "BEGIN:VEVENT" crlf "UID:windows-zone" crlf "DTSTAMP:20261101T120000Z"
    print "DTSTART;TZID=\"W. Europe Standard Time\":20261209T090000" crlf "DURATION:PT1H"
    print "SUMMARY:Windows zone name without VTIMEZONE" crlf "END:VEVENT"
    print "BEGIN:VEVENT" crlf "UID:broken-line" crlf "DTSTAMP:20261101T120000Z"
    print "DTSTART:20261210T090000Z" crlf "DTEND:20261210T100000Z" crlf "SUMMARY:A line without colon"
    print "DESCRIPTION Agenda: items 1-3" crlf "END:VEVENT"
    print "END:VCALENDAR"
}
function ev(uid, summary, start, end, extra) {
    print "BEGIN:VEVENT" crlf "UID:" uid "@sample.calcheck.example" crlf "DTSTAMP:20261101T120000Z"
    print "DTSTART;TZID=Europe/Berlin:" start crlf "DTEND;TZID=Europe/Berlin:" end
    print "SUMMARY:" summary crlf "ORGANIZER;CN=Ada Lovelace:mailto:ada@example.org"
    print "ATTENDEE;CN=Grace Hopper;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:" crlf " mailto:grace@example.org"
    if (extra != "") print extra
    print "END:VEVENT"
}' >"$out"
