/* test_checks_icsrecur.c - the iCalendar recurrence checks 0230-0239 (RFC 5545
 * §3.3.10 RRULE, §3.8.5 RDATE/EXDATE, §3.8.4.4 RECURRENCE-ID) and the cross-item
 * checks 0400-0402 (§3.8.4.7 UID, §3.8.7.4 SEQUENCE): each on small calendars
 * parsed with the reader and turned into items by model/icsitem.c, with a
 * calendar that triggers it and one as close as possible that does not. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ICS_FX_MAX_PARTS 2100
#include "ics_fx.h"

void cck_chk_ics_rrule(const cck_item *it, cck_ctx *ctx);
void cck_chk_ics_overrides(const cck_item *it, cck_ctx *ctx);
void cck_chk_ics_instances(const cck_item *it, cck_ctx *ctx);
void cck_chk_ics_uid(const cck_item *it, cck_ctx *ctx);

/* ---- a parsed calendar as items: masters with their overrides, orphans ---- */

static cck_item ld_items[ICS_FX_MAX_PARTS];
static size_t ld_n;

/* The master of part i's UID, or np. */
static size_t master_of(size_t i, size_t np)
{
    for (size_t j = 0; j < np; j++)
        if (!ics_fx_is_override(ld_parts[j].comp) &&
            ics_fx_same_uid(ld_parts[j].comp, ld_parts[i].comp))
            return j;
    return np;
}

/* Parses text into ld_items: each component without RECURRENCE-ID with its
 * overrides, then each override without master on its own, in file order. */
static size_t load(const char *text)
{
    size_t np = ics_fx_read(text, false);
    ld_n = 0;
    for (size_t i = 0; i < np; i++) {
        if (ics_fx_is_override(ld_parts[i].comp) && master_of(i, np) < np)
            continue; /* goes with its master */
        cck_item *it = &ld_items[ld_n];
        CHECK(ics_fx_item(i, np, it) == 0);
        it->index = ld_n++;
    }
    return ld_n;
}

/* Findings of fn on the first item of text. */
static size_t run_on(cck_item_fn fn, const char *text)
{
    if (!load(text))
        return 0;
    return fx_run_show(fn, &ld_items[0]);
}

#define HEAD   "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//calcheck//test//EN\n"
#define TAIL   "END:VCALENDAR\n"
#define EVHEAD "BEGIN:VEVENT\nUID:r1@example.org\nDTSTAMP:20261101T120000Z\n" /* lines 4-6 */
#define END    "END:VEVENT\n"
/* Monday 2026-12-07, 09:00-09:30 UTC, lines 7-8. */
#define TIMES       "DTSTART:20261207T090000Z\nDTEND:20261207T093000Z\n"
#define EVENT(body) HEAD EVHEAD body END TAIL
/* An override of r1 (lines from the one after the master's END). */
#define OVR(body) "BEGIN:VEVENT\nUID:r1@example.org\nDTSTAMP:20261101T120000Z\n" body END
#define BERLIN                                                                                     \
    "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nBEGIN:STANDARD\nDTSTART:19701025T030000\n"               \
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"              \
    "END:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700329T020000\n"                                      \
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"               \
    "END:DAYLIGHT\nEND:VTIMEZONE\n"

/* ---- 0230 ------------------------------------------------------------------ */

static void test_0230_syntax(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=WEEKLY;INTERVAL=0;BYDAY=MO\n")),
                 1);
    /* line 9, the value starts at column 7, INTERVAL's value at byte 21 */
    CHECK_EQ_STR(fx_text(230), "line 9:28: RRULE \"FREQ=WEEKLY;INTERVAL=0;BYDAY=MO\": INTERVAL "
                               "\"0\" is not a positive integer");
    /* every RRULE is read; the others' errors are counted */
    CHECK_EQ_INT(
        run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=DAILY;COUNT=2\nRRULE:FREQ=SOMETIMES\n"
                                              "RRULE:BYDAY=XX;FREQ=WEEKLY\n")),
        2); /* 0230 and 0234 */
    CHECK(fx_has(230, "line 10:12: RRULE \"FREQ=SOMETIMES\": FREQ \"SOMETIMES\" is not a frequency "
                      "(and 1 more)"));
    CHECK_EQ_INT(fx_count(234), 1);
    /* a whole-rule problem points at the value's start */
    run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=DAILY;COUNT=3;UNTIL=20261231\n"));
    CHECK(fx_has(230, "line 9:7: RRULE \"FREQ=DAILY;COUNT=3;UNTIL=20261231\": RRULE has both "
                      "COUNT and UNTIL"));
    /* near misses: a good rule; slips the grammar tolerates */
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=8\n")),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=WEEKLY;;X-NAME=1;COUNT=8\n")),
                 0);
    /* a single event, a MAPI item */
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "SUMMARY:once\n")), 0);
    cck_item m;
    memset(&m, 0, sizeof m);
    CHECK_EQ_INT(fx_run_show(cck_chk_ics_rrule, &m), 0);
}

static void test_0230_folded(void)
{
    /* On a folded line the column of the value's start is given. */
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=WEEKLY;\n INTERVAL=0\n")), 1);
    CHECK(fx_has(230, "line 9:7: RRULE \"FREQ=WEEKLY;INTERVAL=0\": INTERVAL \"0\""));
}

/* ---- 0231 ------------------------------------------------------------------ */

static void test_0231_all_excluded(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule,
                        EVENT(TIMES "RRULE:FREQ=DAILY;COUNT=2\n"
                                    "EXDATE:20261207T090000Z\nEXDATE:20261208T090000Z\n")),
                 1);
    CHECK_EQ_STR(fx_text(231), "line 10:1: EXDATE \"20261207T090000Z\" with the other EXDATEs "
                               "removes every occurrence of the series (2)");
    /* one left */
    CHECK_EQ_INT(
        run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=DAILY;COUNT=3\n"
                                              "EXDATE:20261207T090000Z,20261208T090000Z\n")),
        0);
    /* an RDATE left */
    CHECK_EQ_INT(
        run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=DAILY;COUNT=2\nRDATE:20261224T090000Z\n"
                                              "EXDATE:20261207T090000Z,20261208T090000Z\n")),
        0);
    /* an RDATE-only series with everything excluded, DATE EXDATEs by day */
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RDATE:20261210T090000Z\n"
                                                       "EXDATE;VALUE=DATE:20261207,20261210\n")),
                 1);
    CHECK(fx_has(231, "(2)"));
    /* a rule without end always has occurrences left */
    CHECK_EQ_INT(
        run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=DAILY\nEXDATE:20261207T090000Z\n")), 0);
}

static void test_0231_zones(void)
{
    /* EXDATEs in UTC remove occurrences written in Europe/Berlin. */
    const char *cal = HEAD BERLIN EVHEAD "DTSTART;TZID=Europe/Berlin:20261207T100000\n"
                                         "DTEND;TZID=Europe/Berlin:20261207T103000\n"
                                         "RRULE:FREQ=DAILY;COUNT=2\n"
                                         "EXDATE:20261207T090000Z,20261208T090000Z\n" END TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, cal), 1);
    CHECK_EQ_INT(fx_count(231), 1);
    /* an hour off: not the same occurrences */
    const char *off = HEAD BERLIN EVHEAD "DTSTART;TZID=Europe/Berlin:20261207T100000\n"
                                         "DTEND;TZID=Europe/Berlin:20261207T103000\n"
                                         "RRULE:FREQ=DAILY;COUNT=2\n"
                                         "EXDATE:20261207T100000Z,20261208T100000Z\n" END TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, off), 0);
}

static void test_0231_rule_yields_nothing(void)
{
    CHECK_EQ_INT(
        run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\n")), 1);
    CHECK_EQ_STR(fx_text(231), "line 9:1: RRULE \"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\" yields no "
                               "occurrence; only DTSTART \"20261207T090000Z\" is left");
    /* near misses: a rare but real date; an RDATE; a rule with errors (0230's) */
    CHECK_EQ_INT(
        run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29\n")), 0);
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\n"
                                                       "RDATE:20261224T090000Z\n")),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule,
                        EVENT(TIMES "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYMONTH=3\n")),
                 1);
    CHECK_EQ_INT(fx_count(230), 1);
}

/* ---- 0232 ------------------------------------------------------------------ */

static void test_0232_until(void)
{
    CHECK_EQ_INT(
        run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=WEEKLY;UNTIL=20261130T090000Z\n")),
        1); /* 0232 alone: 0231 leaves the cause to it */
    CHECK_EQ_STR(fx_text(232),
                 "line 9:25: UNTIL \"20261130T090000Z\" is before DTSTART \"20261207T090000Z\"");
    /* DATE UNTIL: by date; the same day is not before */
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=WEEKLY;UNTIL=20261206\n")), 1);
    CHECK_EQ_INT(fx_count(232), 1);
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=WEEKLY;UNTIL=20261207\n")), 0);
    CHECK_EQ_INT(
        run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=WEEKLY;UNTIL=20261231T090000Z\n")), 0);
}

static void test_0232_until_in_zone(void)
{
    /* UNTIL 08:00 UTC is 09:00 in Berlin: the DTSTART occurrence is the
     * last one, not after UNTIL, and the rule yields it (no 0231 either). */
    const char *cal = HEAD BERLIN EVHEAD "DTSTART;TZID=Europe/Berlin:20261207T090000\n"
                                         "DTEND;TZID=Europe/Berlin:20261207T093000\n"
                                         "RRULE:FREQ=WEEKLY;UNTIL=20261207T080000Z\n" END TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, cal), 0);
    const char *before = HEAD BERLIN EVHEAD "DTSTART;TZID=Europe/Berlin:20261207T090000\n"
                                            "DTEND;TZID=Europe/Berlin:20261207T093000\n"
                                            "RRULE:FREQ=WEEKLY;UNTIL=20261207T075959Z\n" END TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, before), 1);
    CHECK_EQ_INT(fx_count(232), 1);
}

/* ---- 0233, 0234 ------------------------------------------------------------ */

static void test_0233_unbounded(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=MINUTELY;INTERVAL=15\n")), 1);
    CHECK_EQ_STR(fx_text(233), "line 9:1: RRULE \"FREQ=MINUTELY;INTERVAL=15\" repeats every 15 "
                               "minutes without COUNT or UNTIL");
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=SECONDLY\n")), 1);
    CHECK(fx_has(233, "repeats every 1 second without"));
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=MINUTELY;COUNT=10\n")), 0);
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, EVENT(TIMES "RRULE:FREQ=HOURLY\n")), 0);
}

static void test_0234_multi(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule,
                        EVENT(TIMES "RRULE:FREQ=WEEKLY;BYDAY=MO\nRRULE:FREQ=WEEKLY;BYDAY=TH\n"
                                    "RRULE:FREQ=WEEKLY;BYDAY=FR\n")),
                 1);
    CHECK_EQ_STR(fx_text(234),
                 "line 10:1: a second RRULE \"FREQ=WEEKLY;BYDAY=TH\" (the first is on "
                 "line 9) (and 1 more)");
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule,
                        EVENT(TIMES "RRULE:FREQ=WEEKLY;BYDAY=MO\nRDATE:20261224T090000Z\n")),
                 0);
}

/* ---- 0235-0237 ------------------------------------------------------------- */

#define MASTER     EVHEAD TIMES "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6\n" END /* lines 4-10 */
#define SERIES(ov) HEAD MASTER ov TAIL

static void test_0235_orphan(void)
{
    const char *cal = HEAD OVR("RECURRENCE-ID:20261214T090000Z\nDTSTART:20261214T100000Z\n"
                               "DTEND:20261214T103000Z\n") TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, cal), 1);
    CHECK_EQ_STR(fx_text(235), "line 7:1: RECURRENCE-ID \"20261214T090000Z\" overrides an "
                               "occurrence of UID \"r1@example.org\", which has no master in the "
                               "calendar");
    /* with its master it is no orphan, and the master is fine */
    CHECK_EQ_INT(load(SERIES(OVR("RECURRENCE-ID:20261214T090000Z\nDTSTART:20261214T100000Z\n"
                                 "DTEND:20261214T103000Z\n"))),
                 1);
    CHECK_EQ_INT(fx_run_show(cck_chk_ics_overrides, &ld_items[0]), 0);
}

static void test_0236_no_instance(void)
{
    /* a Wednesday: no occurrence of a Monday series */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        SERIES(OVR("RECURRENCE-ID:20261209T090000Z\nDTSTART:20261209T100000Z\n"
                                   "DTEND:20261209T103000Z\n"))),
                 1);
    CHECK_EQ_STR(
        fx_text(236),
        "line 14:1: RECURRENCE-ID \"20261209T090000Z\" matches no occurrence of the series");
    /* past the COUNT */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, SERIES(OVR("RECURRENCE-ID:20270118T090000Z\n"
                                                          "DTSTART:20270118T100000Z\n"
                                                          "DTEND:20270118T103000Z\n"))),
                 1);
    CHECK_EQ_INT(fx_count(236), 1);
    /* the sixth Monday is the last occurrence; DTSTART itself is one */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, SERIES(OVR("RECURRENCE-ID:20270111T090000Z\n"
                                                          "DTSTART:20270111T100000Z\n"
                                                          "DTEND:20270111T103000Z\n")
                                                          OVR("RECURRENCE-ID:20261207T090000Z\n"
                                                              "DTSTART:20261207T120000Z\n"
                                                              "DTEND:20261207T123000Z\n"))),
                 0);
}

static void test_0236_exdate_rdate(void)
{
    const char *ex = HEAD EVHEAD TIMES
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6\n"
        "EXDATE:20261214T090000Z\n" END OVR("RECURRENCE-ID:20261214T090000Z\n"
                                            "DTSTART:20261215T100000Z\nDTEND:20261215T103000Z\n")
            TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, ex), 1);
    CHECK_EQ_STR(fx_text(236), "line 15:1: RECURRENCE-ID \"20261214T090000Z\" names an occurrence "
                               "that EXDATE on line 10 removes");
    /* an RDATE is an occurrence too */
    const char *rd = HEAD EVHEAD TIMES
        "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6\n"
        "RDATE:20261216T090000Z\n" END OVR("RECURRENCE-ID:20261216T090000Z\n"
                                           "DTSTART:20261217T100000Z\nDTEND:20261217T103000Z\n")
            TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, rd), 0);
    /* a master without RRULE: DTSTART is its one occurrence */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        HEAD EVHEAD TIMES END OVR("RECURRENCE-ID:20261208T090000Z\n") TAIL),
                 1);
    CHECK_EQ_INT(fx_count(236), 1);
}

static void test_0236_zones_and_dates(void)
{
    /* A UTC RECURRENCE-ID for a Berlin series: the same instant. */
    const char *utc = HEAD BERLIN EVHEAD
        "DTSTART;TZID=Europe/Berlin:20261207T100000\n"
        "DTEND;TZID=Europe/Berlin:20261207T103000\n"
        "RRULE:FREQ=DAILY;COUNT=10\n" END OVR("RECURRENCE-ID:20261209T090000Z\n"
                                              "DTSTART:20261209T120000Z\nDTEND:20261209T123000Z\n")
            TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, utc), 0);
    const char *wrong =
        HEAD BERLIN EVHEAD "DTSTART;TZID=Europe/Berlin:20261207T100000\n"
                           "DTEND;TZID=Europe/Berlin:20261207T103000\n"
                           "RRULE:FREQ=DAILY;COUNT=10\n" END OVR("RECURRENCE-ID:20261209T100000Z\n"
                                                                 "DTSTART:20261209T120000Z\n"
                                                                 "DTEND:20261209T123000Z\n") TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, wrong), 1);
    CHECK_EQ_INT(fx_count(236), 1);
    /* A DATE RECURRENCE-ID names the occurrence of its day. */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        SERIES(OVR("RECURRENCE-ID;VALUE=DATE:20261214\n"
                                   "DTSTART:20261214T120000Z\nDTEND:20261214T123000Z\n"))),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        SERIES(OVR("RECURRENCE-ID;VALUE=DATE:20261215\n"
                                   "DTSTART:20261215T120000Z\nDTEND:20261215T123000Z\n"))),
                 1);
}

static void test_0236_cap(void)
{
    /* An unbounded SECONDLY rule stops at 100,000 occurrences, long before
     * the RECURRENCE-ID a year later: not known, not reported. */
    const char *cal = HEAD EVHEAD
        "DTSTART:20261207T090000Z\nDTEND:20261207T090001Z\n"
        "RRULE:FREQ=SECONDLY;INTERVAL=7\n" END OVR("RECURRENCE-ID:20271207T090003Z\n") TAIL;
    clock_t t0 = clock();
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, cal), 0);
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    /* within reach, the same rule does decide */
    const char *near = HEAD EVHEAD
        "DTSTART:20261207T090000Z\nDTEND:20261207T090001Z\n"
        "RRULE:FREQ=SECONDLY;INTERVAL=7\n" END OVR("RECURRENCE-ID:20261207T100003Z\n") TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, near), 1);
    CHECK_EQ_INT(fx_count(236), 1);
}

static void test_0237_duplicate_rid(void)
{
    const char *cal = SERIES(OVR("RECURRENCE-ID:20261214T090000Z\nSEQUENCE:1\n")
                                 OVR("RECURRENCE-ID:20261214T090000Z\nSEQUENCE:2\n"));
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, cal), 1);
    CHECK_EQ_STR(fx_text(237),
                 "line 20:1: RECURRENCE-ID \"20261214T090000Z\" is also that of the override on "
                 "line 14");
    /* two different occurrences */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, SERIES(OVR("RECURRENCE-ID:20261214T090000Z\n")
                                                          OVR("RECURRENCE-ID:20261221T090000Z\n"))),
                 0);
}

/* ---- 0238, 0239 ------------------------------------------------------------ */

static void test_0238_overlap(void)
{
    const char *days = HEAD EVHEAD "DTSTART;VALUE=DATE:20261207\nDTEND;VALUE=DATE:20261209\n"
                                   "RRULE:FREQ=DAILY;COUNT=3\n" END TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, days), 1);
    CHECK_EQ_STR(fx_text(238),
                 "line 9:1: RRULE \"FREQ=DAILY;COUNT=3\" has overlapping "
                 "occurrences: 20261207 lasts P2D and 20261208 starts before it ends");
    /* every other day: they touch, no overlap */
    const char *every2 = HEAD EVHEAD "DTSTART;VALUE=DATE:20261207\nDTEND;VALUE=DATE:20261209\n"
                                     "RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3\n" END TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, every2), 0);
    /* an hourly series of 90-minute meetings overlaps (and shares days) */
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, EVENT("DTSTART:20261207T090000Z\nDURATION:PT1H30M\n"
                                                     "RRULE:FREQ=HOURLY;COUNT=3\n")),
                 2);
    CHECK(fx_has(238, "20261207T090000Z lasts PT1H30M and 20261207T100000Z starts"));
    /* an RDATE inside an occurrence */
    CHECK_EQ_INT(run_on(cck_chk_ics_instances,
                        EVENT(TIMES "RRULE:FREQ=WEEKLY;COUNT=3\nRDATE:20261214T091500Z\n")),
                 2);
    CHECK(fx_has(238, "line 10:1: RDATE \"20261214T091500Z\" has overlapping occurrences"));
    /* the common case needs no expansion and finds nothing */
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, EVENT(TIMES "RRULE:FREQ=DAILY\n")), 0);
}

static void test_0239_same_day(void)
{
    CHECK_EQ_INT(
        run_on(cck_chk_ics_instances, EVENT(TIMES "RRULE:FREQ=DAILY;BYHOUR=9,14;COUNT=4\n")), 1);
    CHECK_EQ_STR(fx_text(239), "line 9:1: RRULE \"FREQ=DAILY;BYHOUR=9,14;COUNT=4\" puts two "
                               "occurrences on one day: 20261207T090000Z and 20261207T140000Z");
    /* DTSTART at another time than the rule's: DTSTART and the rule's first */
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, EVENT(TIMES "RRULE:FREQ=DAILY;BYHOUR=14;COUNT=4\n")),
                 1);
    CHECK(fx_has(239, "20261207T090000Z and 20261207T140000Z"));
    /* ...unless an EXDATE removes DTSTART */
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, EVENT(TIMES "RRULE:FREQ=DAILY;BYHOUR=14;COUNT=4\n"
                                                           "EXDATE:20261207T090000Z\n")),
                 0);
    /* one a day */
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, EVENT(TIMES "RRULE:FREQ=DAILY;BYHOUR=9;COUNT=4\n")),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, EVENT(TIMES "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE\n")),
                 0);
    /* a rule 0230 reports is not expanded */
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, EVENT(TIMES "RRULE:FREQ=HOURLY;BYHOUR=25\n")), 0);
}

/* ---- 0400, 0401 ------------------------------------------------------------ */

static size_t run_all(cck_item_fn fn, size_t *total)
{
    *total = 0;
    size_t last = 0;
    for (size_t i = 0; i < ld_n; i++) {
        last = fx_run_show(fn, &ld_items[i]);
        *total += last;
    }
    return last;
}

static void test_0400_uid(void)
{
    fx_setup();
    size_t total;
    load(HEAD EVHEAD TIMES "SUMMARY:Budget review\n" END EVHEAD
                           "DTSTART:20261210T140000Z\nSUMMARY:Hiring committee\n" END TAIL);
    CHECK_EQ_INT(ld_n, 2);
    CHECK_EQ_INT(run_all(cck_chk_ics_uid, &total), 1);
    CHECK_EQ_INT(total, 1);
    CHECK_EQ_STR(fx_text(400), "line 12:1: UID \"r1@example.org\" is also that of an earlier item");
    CHECK(fx_find(400) && fx_find(400)->has_other &&
          !strcmp(fx_find(400)->other.subject, "Budget review"));
    /* the index copied what it keeps: the first item's text is gone */
    CHECK(fx_find(400) && strstr(fx_find(400)->other.where, "/cal/t.ics"));

    /* different UIDs; a master and its override */
    fx_setup();
    load(HEAD EVHEAD TIMES END
         "BEGIN:VEVENT\nUID:r2@example.org\nDTSTAMP:20261101T120000Z\n" TIMES END TAIL);
    CHECK_EQ_INT(ld_n, 2);
    run_all(cck_chk_ics_uid, &total);
    CHECK_EQ_INT(total, 0);
    fx_setup();
    load(SERIES(OVR("RECURRENCE-ID:20261214T090000Z\n")));
    CHECK_EQ_INT(ld_n, 1);
    run_all(cck_chk_ics_uid, &total);
    CHECK_EQ_INT(total, 0);
    /* two orphans of one absent master are not a clash */
    fx_setup();
    load(HEAD OVR("RECURRENCE-ID:20261214T090000Z\n") OVR("RECURRENCE-ID:20261221T090000Z\n") TAIL);
    CHECK_EQ_INT(ld_n, 2);
    run_all(cck_chk_ics_uid, &total);
    CHECK_EQ_INT(total, 0);
    /* UIDs are case-sensitive */
    fx_setup();
    load(HEAD EVHEAD TIMES END
         "BEGIN:VEVENT\nUID:R1@example.org\nDTSTAMP:20261101T120000Z\n" TIMES END TAIL);
    run_all(cck_chk_ics_uid, &total);
    CHECK_EQ_INT(total, 0);
}

static void test_0401_sequence(void)
{
    fx_setup();
    size_t total;
    load(HEAD EVHEAD "SEQUENCE:3\n" TIMES END EVHEAD "SEQUENCE:1\n" TIMES END TAIL);
    CHECK_EQ_INT(run_all(cck_chk_ics_uid, &total), 1);
    CHECK_EQ_INT(total, 1);
    CHECK_EQ_INT(fx_count(400), 0);
    CHECK_EQ_STR(fx_text(401), "line 12:1: UID \"r1@example.org\" with SEQUENCE 1 is also that of "
                               "an earlier item with SEQUENCE 3: this item is the outdated copy");
    /* a missing SEQUENCE is 0 */
    fx_setup();
    load(HEAD EVHEAD TIMES END EVHEAD "SEQUENCE:2\n" TIMES END TAIL);
    run_all(cck_chk_ics_uid, &total);
    CHECK(fx_has(401, "SEQUENCE 2 is also that of an earlier item with SEQUENCE 0: this item is "
                      "the newer"));
    fx_setup();
    load(HEAD EVHEAD TIMES END EVHEAD "SEQUENCE:0\n" TIMES END TAIL);
    run_all(cck_chk_ics_uid, &total);
    CHECK_EQ_INT(fx_count(401), 0);
    CHECK_EQ_INT(fx_count(400), 1);
}

/* ---- 0402 ------------------------------------------------------------------ */

#define DAILY                                                                                      \
    EVHEAD "DTSTART:20261207T090000Z\nDTEND:20261207T100000Z\nRRULE:FREQ=DAILY;COUNT=5\n" END

static void test_0402_occurrence(void)
{
    /* the 8th moved into the 9th's hour */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        HEAD DAILY OVR("RECURRENCE-ID:20261208T090000Z\n"
                                       "DTSTART:20261209T093000Z\nDTEND:20261209T103000Z\n") TAIL),
                 1);
    CHECK_EQ_STR(fx_text(402), "line 15:1: override starting \"20261209T093000Z\" overlaps the "
                               "occurrence at 20261209T090000Z");
    /* moved to the afternoon: free */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        HEAD DAILY OVR("RECURRENCE-ID:20261208T090000Z\n"
                                       "DTSTART:20261208T140000Z\nDTEND:20261208T150000Z\n") TAIL),
                 0);
    /* onto an occurrence that is itself moved away, or removed */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        HEAD DAILY OVR("RECURRENCE-ID:20261208T090000Z\n"
                                       "DTSTART:20261209T093000Z\nDTEND:20261209T103000Z\n")
                            OVR("RECURRENCE-ID:20261209T090000Z\n"
                                "DTSTART:20261209T150000Z\nDTEND:20261209T160000Z\n") TAIL),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        HEAD EVHEAD "DTSTART:20261207T090000Z\nDTEND:20261207T100000Z\n"
                                    "RRULE:FREQ=DAILY;COUNT=5\nEXDATE:20261209T090000Z\n" END OVR(
                                        "RECURRENCE-ID:20261208T090000Z\n"
                                        "DTSTART:20261209T093000Z\nDTEND:20261209T103000Z\n") TAIL),
                 0);
    /* ending when the next one starts is no overlap; no DTEND: the series' hour */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, HEAD DAILY OVR("RECURRENCE-ID:20261208T090000Z\n"
                                                              "DTSTART:20261209T080000Z\n") TAIL),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides, HEAD DAILY OVR("RECURRENCE-ID:20261208T090000Z\n"
                                                              "DTSTART:20261209T080001Z\n") TAIL),
                 1);
}

static void test_0402_overrides(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        HEAD DAILY OVR("RECURRENCE-ID:20261208T090000Z\n"
                                       "DTSTART:20261208T150000Z\nDTEND:20261208T160000Z\n")
                            OVR("RECURRENCE-ID:20261209T090000Z\n"
                                "DTSTART:20261208T153000Z\nDTEND:20261208T163000Z\n") TAIL),
                 1);
    CHECK_EQ_STR(fx_text(402), "line 22:1: override starting \"20261208T153000Z\" overlaps the "
                               "override on line 15 starting \"20261208T150000Z\"");
    /* twins of one RECURRENCE-ID are 0237's */
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        HEAD DAILY OVR("RECURRENCE-ID:20261208T090000Z\n"
                                       "DTSTART:20261208T150000Z\nDTEND:20261208T160000Z\n")
                            OVR("RECURRENCE-ID:20261208T090000Z\n"
                                "DTSTART:20261208T153000Z\nDTEND:20261208T163000Z\n") TAIL),
                 1);
    CHECK_EQ_INT(fx_count(237), 1);
    /* switched off: nothing, and 0236 still works */
    cck_config_disable(&fx_cfg, "0402");
    CHECK_EQ_INT(run_on(cck_chk_ics_overrides,
                        HEAD DAILY OVR("RECURRENCE-ID:20261208T090000Z\n"
                                       "DTSTART:20261209T093000Z\nDTEND:20261209T103000Z\n") TAIL),
                 0);
    fx_setup();
}

/* ---- cost ------------------------------------------------------------------ */

/* Appends printf output to a growing buffer. */
static void put(char **b, size_t *n, size_t *cap, const char *fmt, int v)
{
    if (*n + 256 > *cap) {
        *cap = *cap ? *cap * 2 : 65536;
        *b = realloc(*b, *cap);
    }
    *n += (size_t)snprintf(*b + *n, *cap - *n, fmt, v);
}

/* HHMMSS of 09:00:00 plus secs (within the day). */
static int hms(int secs)
{
    int t = 9 * 3600 + secs;
    return t / 3600 * 10000 + t / 60 % 60 * 100 + t % 60;
}

static void test_hostile_lists(void)
{
    /* 5,000 EXDATEs on the first seconds of a SECONDLY rule: each occurrence
     * is matched in a few binary searches. */
    char *b = NULL;
    size_t n = 0, cap = 0;
    put(&b, &n, &cap,
        HEAD EVHEAD "DTSTART:20261207T090000Z\nDTEND:20261207T090001Z\n"
                    "RRULE:FREQ=SECONDLY;COUNT=5000\n%.0d",
        0);
    for (int i = 0; i < 5000; i++)
        put(&b, &n, &cap, "EXDATE:20261207T%06dZ\n", hms(i));
    put(&b, &n, &cap, END TAIL "%.0d", 0);
    clock_t t0 = clock();
    CHECK_EQ_INT(run_on(cck_chk_ics_rrule, b), 1);
    CHECK(fx_has(231, "removes every occurrence of the series (5000)"));
    CHECK_EQ_INT(run_on(cck_chk_ics_instances, b), 0);
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    free(b);
}

static void test_hostile_overrides(void)
{
    /* 2,000 overrides naming odd seconds of an every-other-second rule: the
     * comparisons run out, nothing is decided, and it stays fast. */
    char *b = NULL;
    size_t n = 0, cap = 0;
    put(&b, &n, &cap,
        HEAD EVHEAD "DTSTART:20261207T090000Z\nDTEND:20261207T090001Z\n"
                    "RRULE:FREQ=SECONDLY;INTERVAL=2\n" END "%.0d",
        0);
    for (int i = 0; i < 2000; i++)
        put(&b, &n, &cap, OVR("RECURRENCE-ID:20261207T%06dZ\n"), hms(2 * i + 1));
    put(&b, &n, &cap, TAIL "%.0d", 0);
    CHECK_EQ_INT(load(b), 1);
    CHECK_EQ_INT(ld_items[0].n_exceptions, 2000);
    clock_t t0 = clock();
    fx_run_show(cck_chk_ics_overrides, &ld_items[0]);
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    CHECK_EQ_INT(fx_count(236), 0);
    CHECK_EQ_INT(fx_count(402), 0);
    free(b);
}

static void test_cost(void)
{
    /* 20,000 runs over a single event and a plain weekly series with an
     * override: the common cases stay cheap. */
    const char *cal = HEAD EVHEAD TIMES "RRULE:FREQ=WEEKLY;BYDAY=MO,WE\n" END OVR(
        "RECURRENCE-ID:20270104T090000Z\nDTSTART:20270104T100000Z\nDTEND:20270104T103000Z\n") TAIL;
    load(cal);
    clock_t t0 = clock();
    for (int i = 0; i < 20000; i++) {
        fx_begin(&ld_items[0]);
        cck_chk_ics_rrule(&ld_items[0], fx_ctx);
        cck_chk_ics_overrides(&ld_items[0], fx_ctx);
        cck_chk_ics_instances(&ld_items[0], fx_ctx);
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    CHECK(secs < 2.0);
    printf("#   20000 series with an override checked in %.3f s\n", secs);
}

int main(void)
{
    fx_setup();
    RUN(test_0230_syntax);
    RUN(test_0230_folded);
    RUN(test_0231_all_excluded);
    RUN(test_0231_zones);
    RUN(test_0231_rule_yields_nothing);
    RUN(test_0232_until);
    RUN(test_0232_until_in_zone);
    RUN(test_0233_unbounded);
    RUN(test_0234_multi);
    RUN(test_0235_orphan);
    RUN(test_0236_no_instance);
    RUN(test_0236_exdate_rdate);
    RUN(test_0236_zones_and_dates);
    RUN(test_0236_cap);
    RUN(test_0237_duplicate_rid);
    RUN(test_0238_overlap);
    RUN(test_0239_same_day);
    RUN(test_0400_uid);
    RUN(test_0401_sequence);
    RUN(test_0402_occurrence);
    RUN(test_0402_overrides);
    RUN(test_hostile_lists);
    RUN(test_hostile_overrides);
    RUN(test_cost);
    ld_free();
    fx_teardown();
    return unit_done();
}
