/* test_rrule.c - RRULE parsing and expansion (RFC 5545 §3.3.10, §3.8.5.3): the RFC's own
 * examples checked by hand, COUNT against UNTIL, problems with stable codes, and the caps
 * that keep unsatisfiable or huge rules cheap. */
#include <stdio.h>
#include <string.h>

#include "ics/rrule.h"
#include "unit.h"
#include "util/arena.h"

static cck_rrule rule;
static cck_rrule_iter iter;
static char got[8192];

/* Expands `text` from `start` ("YYYYMMDD" or "YYYYMMDDTHHMMSS"), at most max
 * instances, into `got` as comma-separated values; returns the instance count. */
static int expand(const char *text, const char *start, int max)
{
    cck_arena *a = cck_arena_new(1 << 20);
    cck_problems pr;
    cck_problems_init(&pr, a);
    cck_rrule_parse(text, strlen(text), &rule, &pr);
    cck_civil dt = {0};
    int y = 0, is_date = strlen(start) == 8;
    sscanf(start, "%4d%2d%2d", &y, &dt.month, &dt.day);
    if (!is_date)
        sscanf(start + 9, "%2d%2d%2d", &dt.hour, &dt.minute, &dt.second);
    dt.year = y;
    cck_rrule_iter_init(&iter, &rule, &dt, is_date);
    cck_civil c;
    int n = 0;
    size_t off = 0;
    got[0] = 0;
    while (n < max && cck_rrule_iter_next(&iter, &c)) {
        if (off < sizeof got - 40) {
            if (is_date)
                off += (size_t)snprintf(got + off, sizeof got - off, "%s%04d%02d%02d", n ? "," : "",
                                        (int)c.year, c.month, c.day);
            else
                off += (size_t)snprintf(got + off, sizeof got - off, "%s%04d%02d%02dT%02d%02d%02d",
                                        n ? "," : "", (int)c.year, c.month, c.day, c.hour, c.minute,
                                        c.second);
        }
        n++;
    }
    cck_arena_free(a);
    return n;
}

/* First problem code from parsing `text`, or "" when none. */
static const char *problem(const char *text, const char *code)
{
    static char buf[64];
    cck_arena *a = cck_arena_new(1 << 20);
    cck_problems pr;
    cck_problems_init(&pr, a);
    cck_rrule_parse(text, strlen(text), &rule, &pr);
    const cck_problem *p = cck_problems_find(&pr, code);
    snprintf(buf, sizeof buf, "%s", p ? p->code : "");
    cck_arena_free(a);
    return buf;
}

static void test_daily_10(void)
{
    CHECK_EQ_INT(expand("FREQ=DAILY;COUNT=10", "19970902T090000", 100), 10);
    CHECK_EQ_STR(got, "19970902T090000,19970903T090000,19970904T090000,19970905T090000,"
                      "19970906T090000,19970907T090000,19970908T090000,19970909T090000,"
                      "19970910T090000,19970911T090000");
}

static void test_every_other_week(void)
{
    CHECK_EQ_INT(expand("FREQ=WEEKLY;INTERVAL=2;WKST=SU", "19970902T090000", 4), 4);
    CHECK_EQ_STR(got, "19970902T090000,19970916T090000,19970930T090000,19971014T090000");
    /* Every other week on Tuesday and Thursday, WKST=SU, for 8 occurrences. */
    CHECK_EQ_INT(
        expand("FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", "19970902T090000", 100), 8);
    CHECK_EQ_STR(got, "19970902T090000,19970904T090000,19970916T090000,19970918T090000,"
                      "19970930T090000,19971002T090000,19971014T090000,19971016T090000");
}

static void test_monthly_first_friday(void)
{
    CHECK_EQ_INT(expand("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "19970905T090000", 100), 10);
    CHECK_EQ_STR(got, "19970905T090000,19971003T090000,19971107T090000,19971205T090000,"
                      "19980102T090000,19980206T090000,19980306T090000,19980403T090000,"
                      "19980501T090000,19980605T090000");
}

static void test_yearly_june_july(void)
{
    CHECK_EQ_INT(expand("FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "19970610T090000", 100), 10);
    CHECK_EQ_STR(got, "19970610T090000,19970710T090000,19980610T090000,19980710T090000,"
                      "19990610T090000,19990710T090000,20000610T090000,20000710T090000,"
                      "20010610T090000,20010710T090000");
}

static void test_20th_monday(void)
{
    CHECK_EQ_INT(expand("FREQ=YEARLY;BYDAY=20MO", "19970519T090000", 3), 3);
    CHECK_EQ_STR(got, "19970519T090000,19980518T090000,19990517T090000");
    /* Monday of week 20 (ISO weeks, WKST=MO). */
    CHECK_EQ_INT(expand("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "19970512T090000", 3), 3);
    CHECK_EQ_STR(got, "19970512T090000,19980511T090000,19990517T090000");
}

static void test_last_workday_setpos(void)
{
    CHECK_EQ_INT(expand("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "19970930T090000", 6), 6);
    CHECK_EQ_STR(got, "19970930T090000,19971031T090000,19971128T090000,19971231T090000,"
                      "19980130T090000,19980227T090000");
    /* The third instance into the month of one of Tuesday, Wednesday or Thursday. */
    CHECK_EQ_INT(expand("FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "19970904T090000", 10),
                 3);
    CHECK_EQ_STR(got, "19970904T090000,19971007T090000,19971106T090000");
}

static void test_negative_ordinals(void)
{
    /* Second-to-last day of the month; last Sunday of the month; day -306 of the year. */
    expand("FREQ=MONTHLY;BYMONTHDAY=-2", "19970929T090000", 3);
    CHECK_EQ_STR(got, "19970929T090000,19971030T090000,19971129T090000");
    expand("FREQ=MONTHLY;BYDAY=-1SU", "19970928T090000", 3);
    CHECK_EQ_STR(got, "19970928T090000,19971026T090000,19971130T090000");
    expand("FREQ=YEARLY;BYYEARDAY=-306", "19970301", 2);
    CHECK_EQ_STR(got, "19970301,19980301");
}

static void test_feb29_and_invalid_dates(void)
{
    CHECK_EQ_INT(expand("FREQ=YEARLY;COUNT=3", "20000229", 10), 3);
    CHECK_EQ_STR(got, "20000229,20040229,20080229");
    /* Monthly on the 30th skips February; the 31st skips the short months. */
    expand("FREQ=MONTHLY;BYMONTHDAY=30", "20230130", 3);
    CHECK_EQ_STR(got, "20230130,20230330,20230430");
    expand("FREQ=MONTHLY", "20230131", 4);
    CHECK_EQ_STR(got, "20230131,20230331,20230531,20230731");
}

static void test_count_until(void)
{
    CHECK_EQ_INT(expand("FREQ=DAILY;UNTIL=19971224T000000Z", "19970902T090000", 1000), 113);
    CHECK_EQ_INT(iter.stop, CCK_RRULE_STOP_UNTIL);
    /* UNTIL as a DATE includes that whole day. */
    CHECK_EQ_INT(expand("FREQ=DAILY;UNTIL=19970905", "19970902T090000", 1000), 4);
    CHECK_EQ_INT(expand("FREQ=DAILY;COUNT=5", "19970902T090000", 1000), 5);
    CHECK_EQ_INT(iter.stop, CCK_RRULE_STOP_COUNT);
    /* Both: whichever comes first, and a problem. */
    CHECK_EQ_INT(expand("FREQ=DAILY;COUNT=5;UNTIL=19970903T090000", "19970902T090000", 1000), 2);
    CHECK_EQ_STR(problem("FREQ=DAILY;COUNT=5;UNTIL=19970903", "rrule.count_and_until"),
                 "rrule.count_and_until");
}

static void test_dtstart_first(void)
{
    /* DTSTART is the first instance even when the rule misses it (a Wednesday here). */
    expand("FREQ=WEEKLY;BYDAY=MO;COUNT=3", "20240103", 10);
    CHECK_EQ_STR(got, "20240103,20240108,20240115");
    cck_civil dt = {.year = 2024, .month = 1, .day = 3};
    CHECK_EQ_INT(cck_rrule_has_instance(&rule, &dt, 1), 1);
}

static void test_unsatisfiable_terminates(void)
{
    CHECK_EQ_INT(expand("FREQ=YEARLY;BYMONTHDAY=31;BYMONTH=2", "20000101T000000", 100), 1);
    CHECK(iter.stop == CCK_RRULE_STOP_HORIZON || iter.stop == CCK_RRULE_STOP_EMPTY);
    cck_civil dt = {.year = 2000, .month = 1, .day = 1};
    CHECK_EQ_INT(cck_rrule_has_instance(&rule, &dt, 0), 0);
    CHECK_EQ_INT(expand("FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", "20000101T000000", 100), 1);
    CHECK_EQ_INT(iter.stop, CCK_RRULE_STOP_EMPTY);
    CHECK_EQ_INT(expand("FREQ=DAILY;BYDAY=MO;BYMONTHDAY=31;BYMONTH=4", "20000101", 100), 1);
    CHECK_EQ_INT(iter.stop, CCK_RRULE_STOP_EMPTY);
    /* UNTIL before DTSTART: nothing from the rule. */
    expand("FREQ=DAILY;UNTIL=19990101", "20000101", 10);
    CHECK_EQ_INT(cck_rrule_has_instance(&rule, &dt, 1), 0);
}

static void test_huge_count_capped(void)
{
    CHECK_EQ_INT(expand("FREQ=SECONDLY;COUNT=999999999", "20000101T000000", 1 << 30),
                 CCK_RRULE_MAX_INSTANCES);
    CHECK_EQ_INT(iter.stop, CCK_RRULE_STOP_MAX);
}

static void test_subdaily(void)
{
    expand("FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z", "19970902T090000", 10);
    CHECK_EQ_STR(got, "19970902T090000,19970902T120000,19970902T150000");
    expand("FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10", "19970902T090000", 7);
    CHECK_EQ_STR(got, "19970902T090000,19970902T092000,19970902T094000,19970902T100000,"
                      "19970902T102000,19970902T104000,19970903T090000");
    expand("FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", "19970902T090000", 4);
    CHECK_EQ_STR(got, "19970902T090000,19970902T092000,19970902T094000,19970902T100000");
}

static void test_problems(void)
{
    CHECK_EQ_STR(problem("FREQ=DAILY;FOO=1", "rrule.unknown_part"), "rrule.unknown_part");
    CHECK_EQ_STR(problem("FREQ=DAILY;COUNT", "rrule.syntax"), "rrule.syntax");
    CHECK_EQ_STR(problem("FREQ=WEEKLY;BYDAY=MO=", "rrule.syntax"), "rrule.syntax");
    CHECK_EQ_STR(problem("FREQ=DAILY;BYMONTHDAY=32", "rrule.bad_value"), "rrule.bad_value");
    CHECK_EQ_STR(problem("FREQ=DAILY;INTERVAL=0", "rrule.bad_value"), "rrule.bad_value");
    CHECK_EQ_STR(problem("FREQ=WEEKLY;BYDAY=1MO", "rrule.bad_byday"), "rrule.bad_byday");
    CHECK_EQ_STR(problem("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "rrule.bad_byday"), "rrule.bad_byday");
    CHECK_EQ_STR(problem("FREQ=MONTHLY;BYDAY=-1MO", "rrule.bad_byday"), "");
    CHECK_EQ_STR(problem("COUNT=3", "rrule.no_freq"), "rrule.no_freq");
    CHECK_EQ_STR(problem("FREQ=DAILY;COUNT=2;COUNT=3", "rrule.duplicate_part"),
                 "rrule.duplicate_part");
    CHECK_EQ_STR(problem("RSCALE=GREGORIAN;FREQ=YEARLY", "rrule.unsupported"), "rrule.unsupported");
    /* What was understood is kept. */
    problem("FREQ=monthly;BYDAY=XX,2TU;interval=2;UNTIL=bad", "none");
    CHECK_EQ_INT(rule.freq, CCK_FREQ_MONTHLY);
    CHECK_EQ_INT(rule.interval, 2);
    CHECK_EQ_INT(rule.nday, 1);
    CHECK_EQ_INT(rule.day[0].ord, 2);
    CHECK_EQ_INT(rule.has_until, 0);
    problem("FREQ=MINUTELY", "none");
    CHECK(cck_rrule_is_unbounded_subhourly(&rule));
    problem("FREQ=MINUTELY;COUNT=3", "none");
    CHECK(!cck_rrule_is_unbounded_subhourly(&rule));
}

int main(void)
{
    RUN(test_daily_10);
    RUN(test_every_other_week);
    RUN(test_monthly_first_friday);
    RUN(test_yearly_june_july);
    RUN(test_20th_monday);
    RUN(test_last_workday_setpos);
    RUN(test_negative_ordinals);
    RUN(test_feb29_and_invalid_dates);
    RUN(test_count_until);
    RUN(test_dtstart_first);
    RUN(test_unsatisfiable_terminates);
    RUN(test_huge_count_capped);
    RUN(test_subdaily);
    RUN(test_problems);
    return unit_done();
}
