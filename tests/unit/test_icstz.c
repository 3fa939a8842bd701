/* test_icstz.c - the time zones of an iCalendar file (src/ics/icstz.c, RFC 5545 §3.6.5,
 * §3.3.5): VTIMEZONEs with RRULE and RDATE observances, gaps read with the offset before
 * them and overlaps as their first occurrence, IANA and Windows names through ICU, every
 * vtz.* defect, and conversions checked against ICU itself over decades. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucal.h>

#include "ics/icstz.h"
#include "unit.h"

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct loaded {
    cck_arena *a, *pa;
    cck_problems pr; /* every problem of every cck_icstz_add */
    int added, failed;
} loaded;

/* Adds every VTIMEZONE of the iCalendar text s to z. */
static void load(cck_icstz *z, loaded *L, const char *s)
{
    L->a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    L->pa = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    L->added = L->failed = 0;
    cck_problems calpr, pr;
    cck_problems_init(&calpr, L->a);
    cck_problems_init(&L->pr, L->pa);
    cck_ics_reader *r = cck_ics_open((const uint8_t *)s, strlen(s), &calpr);
    const cck_ics_comp *c;
    cck_problems_init(&pr, L->a);
    while (cck_ics_next(r, L->a, &c, &pr) == 1) {
        if (strcmp(c->name, "VTIMEZONE") == 0) {
            if (cck_icstz_add(z, c, &L->pr) == 0)
                L->added++;
            else
                L->failed++;
        }
        /* The registry must have copied what it keeps. */
        cck_arena_reset(L->a);
        cck_problems_init(&pr, L->a);
    }
    cck_ics_close(r);
}

static void unload(loaded *L)
{
    cck_arena_free(L->a);
    cck_arena_free(L->pa);
}

static const cck_problem *find(const loaded *L, const char *code)
{
    return cck_problems_find(&L->pr, code);
}

static cck_civil cv(int y, int mo, int d, int h, int mi)
{
    return (cck_civil){.year = y, .month = mo, .day = d, .hour = h, .minute = mi};
}

static int64_t secs(int y, int mo, int d, int h, int mi)
{
    return cck_days1601_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* UTC of a local time in zone id, or INT64_MIN when it does not convert. */
static int64_t conv(cck_icstz *z, const char *id, int y, int mo, int d, int h, int mi)
{
    cck_civil c = cv(y, mo, d, h, mi);
    int64_t u;
    return cck_icstz_to_utc(z, id, strlen(id), &c, &u) == 0 ? u : INT64_MIN;
}

static cck_tzkind resolve(cck_icstz *z, const char *id, const char **iana)
{
    return cck_icstz_resolve(z, id, strlen(id), iana);
}

/* ICU itself, with RFC 5545's choices for skipped and repeated wall times. */
static int64_t icu_utc(UCalendar *cal, const cck_civil *c)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(cal);
    ucal_setDateTime(cal, (int32_t)c->year, c->month - 1, c->day, c->hour, c->minute, c->second,
                     &st);
    UDate ms = ucal_getMillis(cal, &st);
    if (U_FAILURE(st))
        return INT64_MIN;
    int64_t m = (int64_t)ms;
    return (m >= 0 ? m / 1000 : -((-m + 999) / 1000)) + CCK_EPOCH_DIFF_1601;
}

static UCalendar *icu_open(const char *id)
{
    UChar u[128];
    size_t n = strlen(id);
    for (size_t i = 0; i <= n; i++)
        u[i] = (UChar)id[i];
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(u, -1, "", UCAL_GREGORIAN, &st);
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST);
    return cal;
}

/* ---- zones -------------------------------------------------------------------------------- */

#define CAL_BEGIN "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//test//EN\r\n"
#define CAL_END   "END:VCALENDAR\r\n"

/* US Eastern as RFC 5545 §3.6.5 writes it, with the 2007 rules added. */
#define US_EASTERN                                                                                 \
    "BEGIN:VTIMEZONE\r\n"                                                                          \
    "TZID:US-Eastern\r\n"                                                                          \
    "BEGIN:STANDARD\r\n"                                                                           \
    "DTSTART:19671029T020000\r\n"                                                                  \
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z\r\n"                           \
    "TZOFFSETFROM:-0400\r\n"                                                                       \
    "TZOFFSETTO:-0500\r\n"                                                                         \
    "TZNAME:EST\r\n"                                                                               \
    "END:STANDARD\r\n"                                                                             \
    "BEGIN:DAYLIGHT\r\n"                                                                           \
    "DTSTART:19870405T020000\r\n"                                                                  \
    "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z\r\n"                             \
    "TZOFFSETFROM:-0500\r\n"                                                                       \
    "TZOFFSETTO:-0400\r\n"                                                                         \
    "TZNAME:EDT\r\n"                                                                               \
    "END:DAYLIGHT\r\n"                                                                             \
    "BEGIN:STANDARD\r\n"                                                                           \
    "DTSTART:20071104T020000\r\n"                                                                  \
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"                                                   \
    "TZOFFSETFROM:-0400\r\n"                                                                       \
    "TZOFFSETTO:-0500\r\n"                                                                         \
    "END:STANDARD\r\n"                                                                             \
    "BEGIN:DAYLIGHT\r\n"                                                                           \
    "DTSTART:20070311T020000\r\n"                                                                  \
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"                                                    \
    "TZOFFSETFROM:-0500\r\n"                                                                       \
    "TZOFFSETTO:-0400\r\n"                                                                         \
    "END:DAYLIGHT\r\n"                                                                             \
    "END:VTIMEZONE\r\n"

/* Germany since 1981; the 1981-1995 end of summer time stops with a UTC UNTIL that equals
 * its last onset only once it is read in TZOFFSETFROM (+0200). */
#define BERLIN                                                                                     \
    "BEGIN:VTIMEZONE\r\n"                                                                          \
    "TZID:Berlin-Test\r\n"                                                                         \
    "BEGIN:DAYLIGHT\r\n"                                                                           \
    "TZOFFSETFROM:+0100\r\n"                                                                       \
    "TZOFFSETTO:+0200\r\n"                                                                         \
    "DTSTART:19810329T020000\r\n"                                                                  \
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"                                                   \
    "END:DAYLIGHT\r\n"                                                                             \
    "BEGIN:STANDARD\r\n"                                                                           \
    "TZOFFSETFROM:+0200\r\n"                                                                       \
    "TZOFFSETTO:+0100\r\n"                                                                         \
    "DTSTART:19800928T030000\r\n"                                                                  \
    "RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=-1SU;UNTIL=19950924T010000Z\r\n"                            \
    "END:STANDARD\r\n"                                                                             \
    "BEGIN:STANDARD\r\n"                                                                           \
    "TZOFFSETFROM:+0200\r\n"                                                                       \
    "TZOFFSETTO:+0100\r\n"                                                                         \
    "DTSTART:19961027T030000\r\n"                                                                  \
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"                                                  \
    "END:STANDARD\r\n"                                                                             \
    "END:VTIMEZONE\r\n"

/* ---- tests -------------------------------------------------------------------------------- */

static void test_us_eastern_gap_overlap(void)
{
    cck_icstz *z = cck_icstz_new();
    loaded L;
    load(z, &L, CAL_BEGIN US_EASTERN CAL_END);
    CHECK_EQ_INT(L.added, 1);
    CHECK_EQ_INT(L.pr.n, 0);
    const char *iana = "x";
    CHECK_EQ_INT(resolve(z, "US-Eastern", &iana), CCK_TZ_VTIMEZONE);
    CHECK(iana == NULL);
    /* 2026-03-08: 02:00 EST becomes 03:00 EDT. */
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 3, 8, 1, 30), secs(2026, 3, 8, 6, 30));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 3, 8, 3, 30), secs(2026, 3, 8, 7, 30));
    /* In the gap: read with the offset before it (-05:00). */
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 3, 8, 2, 30), secs(2026, 3, 8, 7, 30));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 3, 8, 2, 0), secs(2026, 3, 8, 7, 0));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 3, 8, 3, 0), secs(2026, 3, 8, 7, 0));
    /* The inverse: UTC instants back to the wall clock, in winter, in summer, on both sides
     * of the overlap; an unknown zone fails. */
    int64_t w = 0;
    const char *et = "US-Eastern";
    CHECK_EQ_INT(cck_icstz_from_utc(z, et, strlen(et), secs(2026, 1, 15, 17, 0), &w), 0);
    CHECK_EQ_INT(w, secs(2026, 1, 15, 12, 0));
    CHECK_EQ_INT(cck_icstz_from_utc(z, et, strlen(et), secs(2026, 7, 4, 16, 0), &w), 0);
    CHECK_EQ_INT(w, secs(2026, 7, 4, 12, 0));
    CHECK_EQ_INT(cck_icstz_from_utc(z, et, strlen(et), secs(2026, 11, 1, 5, 30), &w), 0);
    CHECK_EQ_INT(w, secs(2026, 11, 1, 1, 30));
    CHECK_EQ_INT(cck_icstz_from_utc(z, et, strlen(et), secs(2026, 11, 1, 7, 0), &w), 0);
    CHECK_EQ_INT(w, secs(2026, 11, 1, 2, 0));
    CHECK_EQ_INT(cck_icstz_from_utc(z, "Nowhere/X", 9, secs(2026, 1, 1, 0, 0), &w), -1);
    /* 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:30 is first read in EDT. */
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 11, 1, 1, 30), secs(2026, 11, 1, 5, 30));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 11, 1, 0, 59), secs(2026, 11, 1, 4, 59));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 11, 1, 2, 0), secs(2026, 11, 1, 7, 0));
    /* The old rules end with UNTIL: 2006 still had DST from April 2 to October 29. */
    CHECK_EQ_INT(conv(z, "US-Eastern", 2006, 4, 2, 3, 0), secs(2006, 4, 2, 7, 0));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2006, 10, 29, 1, 30), secs(2006, 10, 29, 5, 30));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2006, 10, 29, 3, 0), secs(2006, 10, 29, 8, 0));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2006, 11, 3, 12, 0), secs(2006, 11, 3, 17, 0));
    /* Far years and back: the table grows and the cached interval never lies. */
    CHECK_EQ_INT(conv(z, "US-Eastern", 2400, 7, 1, 12, 0), secs(2400, 7, 1, 16, 0));
    CHECK_EQ_INT(conv(z, "US-Eastern", 9999, 12, 31, 23, 0), secs(10000, 1, 1, 4, 0));
    CHECK_EQ_INT(conv(z, "US-Eastern", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 16, 0));
    /* Before the first onset (1967): the earliest observance's TZOFFSETFROM. */
    CHECK_EQ_INT(conv(z, "US-Eastern", 1950, 1, 1, 0, 0), secs(1950, 1, 1, 4, 0));
    /* The time must exist on the calendar. */
    cck_civil bad[] = {cv(2026, 2, 29, 0, 0), cv(2026, 13, 1, 0, 0), cv(0, 1, 1, 0, 0),
                       cv(10000, 1, 1, 0, 0), cv(2026, 1, 1, 24, 0), cv(2026, 1, 1, -1, 0)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t u;
        CHECK_EQ_INT(cck_icstz_to_utc(z, "US-Eastern", 10, &bad[i], &u), -1);
    }
    unload(&L);
    cck_icstz_free(z);
}

/* Every half hour of decades, a VTIMEZONE against ICU's zone of the same rules. */
static void compare_range(cck_icstz *z, const char *vtz, const char *iana, int y0, int y1)
{
    long bad = 0, n = 0;
    int64_t d0 = cck_days1601_from_civil(y0, 1, 1), d1 = cck_days1601_from_civil(y1 + 1, 1, 1);
    for (int64_t s = d0 * 86400; s < d1 * 86400; s += 1800) {
        cck_civil c;
        cck_civil_from_secs1601(s, &c);
        int64_t a, b;
        int ra = cck_icstz_to_utc(z, vtz, strlen(vtz), &c, &a);
        int rb = cck_icstz_to_utc(z, iana, strlen(iana), &c, &b);
        n++;
        if (ra != 0 || rb != 0 || a != b) {
            if (bad++ < 5)
                printf("#   %s vs %s at %04d-%02d-%02d %02d:%02d: %lld vs %lld\n", vtz, iana,
                       (int)c.year, c.month, c.day, c.hour, c.minute, (long long)a, (long long)b);
        }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(n > 17000L * (y1 - y0));
}

static void test_vtimezone_matches_icu(void)
{
    cck_icstz *z = cck_icstz_new();
    loaded L;
    load(z, &L, CAL_BEGIN US_EASTERN BERLIN CAL_END);
    CHECK_EQ_INT(L.added, 2);
    CHECK_EQ_INT(L.pr.n, 0);
    compare_range(z, "US-Eastern", "America/New_York", 1987, 2040);
    compare_range(z, "Berlin-Test", "Europe/Berlin", 1981, 2040);
    /* Far years: a VTIMEZONE whose rules run on reads a year some 400-year cycles back. */
    unsigned rnd = 99;
    long bad = 0;
    static const char *const pairs[2][2] = {{"US-Eastern", "America/New_York"},
                                            {"Berlin-Test", "Europe/Berlin"}};
    for (int i = 0; i < 20000; i++) {
        rnd = rnd * 1103515245u + 12345u;
        int y = 2100 + (int)((rnd >> 8) % 7900);
        rnd = rnd * 1103515245u + 12345u;
        int mo = i % 2 ? 1 + (int)((rnd >> 8) % 12) : (i % 4 ? 3 : 11);
        int d = 1 + (int)((rnd >> 12) % 28), h = (int)((rnd >> 17) % 24);
        int mi = i % 3 ? 30 : 0;
        const char *const *pr = pairs[i % 2];
        if (i % 8 == 6) { /* Europe changes on the last Sunday of October at 03:00 */
            mo = 10;
            d = 25 + (int)((rnd >> 12) % 7);
            h = 2;
        }
        if (conv(z, pr[0], y, mo, d, h, mi) != conv(z, pr[1], y, mo, d, h, mi) && bad++ < 5)
            printf("#   %s vs %s at %04d-%02d-%02d %02d:%02d\n", pr[0], pr[1], y, mo, d, h, mi);
    }
    CHECK_EQ_INT(bad, 0);
    /* The UNTIL of 1995 is 01:00Z = 03:00 local in +0200: that last September onset counts. */
    CHECK_EQ_INT(conv(z, "Berlin-Test", 1995, 9, 24, 3, 30), secs(1995, 9, 24, 2, 30));
    CHECK_EQ_INT(conv(z, "Berlin-Test", 1995, 10, 15, 12, 0), secs(1995, 10, 15, 11, 0));
    unload(&L);
    cck_icstz_free(z);
}

/* ICU zones through the registry against ICU's own wall-time reading, every 15 minutes
 * around every change of offset from 1900 to 2100, and at random times. */
static void test_icu_zones_match_icu(void)
{
    static const char *const ids[] = {
        "Europe/Berlin",     "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
        "America/Sao_Paulo", "Pacific/Apia",     "Europe/Dublin",       "Africa/Casablanca",
        "America/St_Johns",  "Asia/Kathmandu",   "Pacific/Kiritimati",  "Etc/UTC",
        "Antarctica/Troll"};
    cck_icstz *z = cck_icstz_new();
    unsigned rnd = 12345;
    long all_changes = 0;
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        const char *iana = NULL;
        CHECK_EQ_INT(resolve(z, ids[k], &iana), CCK_TZ_IANA);
        CHECK_EQ_STR(iana, ids[k]);
        UCalendar *cal = icu_open(ids[k]);
        long bad = 0, changes = 0;
        int64_t prev_off = INT64_MIN;
        for (int64_t d = cck_days1601_from_civil(1900, 1, 1);
             d < cck_days1601_from_civil(2100, 1, 1); d++) {
            cck_civil noon;
            cck_civil_from_secs1601(d * 86400 + 43200, &noon);
            int64_t off = d * 86400 + 43200 - icu_utc(cal, &noon);
            bool dense = off != prev_off;
            prev_off = off;
            int64_t first = dense ? d * 86400 - 86400 : d * 86400;
            int64_t last = dense ? d * 86400 + 86400 : d * 86400;
            changes += dense;
            for (int64_t s = first; s <= last; s += 900) {
                cck_civil c;
                if (!dense) {
                    rnd = rnd * 1103515245u + 12345u;
                    cck_civil_from_secs1601(s + (rnd >> 8) % 86400, &c);
                } else {
                    cck_civil_from_secs1601(s, &c);
                }
                int64_t u;
                int rc = cck_icstz_to_utc(z, ids[k], strlen(ids[k]), &c, &u);
                int64_t want = icu_utc(cal, &c);
                if (rc != 0 || u != want) {
                    if (bad++ < 5)
                        printf("#   %s %04d-%02d-%02d %02d:%02d: %lld, ICU %lld\n", ids[k],
                               (int)c.year, c.month, c.day, c.hour, c.minute, (long long)u,
                               (long long)want);
                }
                if (!dense)
                    break;
            }
        }
        /* Past the table's end ICU answers itself; gaps of far years included. */
        int64_t far0 = cck_days1601_from_civil(2100, 1, 1) * 86400;
        int64_t far1 = cck_days1601_from_civil(10000, 1, 1) * 86400;
        for (int i = 0; i < 3000; i++) {
            rnd = rnd * 1103515245u + 12345u;
            uint64_t r = rnd;
            rnd = rnd * 1103515245u + 12345u;
            r = (r << 24) ^ rnd;
            cck_civil c;
            cck_civil_from_secs1601(far0 + (int64_t)(r % (uint64_t)(far1 - far0)), &c);
            if (i % 3 == 0) { /* around New York's spring change */
                c.month = 3;
                c.day = 8 + i % 7;
                c.hour = 2;
            }
            int64_t u;
            int rc = cck_icstz_to_utc(z, ids[k], strlen(ids[k]), &c, &u);
            if (rc != 0 || u != icu_utc(cal, &c))
                bad++;
        }
        CHECK_EQ_INT(bad, 0);
        all_changes += changes;
        ucal_close(cal);
    }
    CHECK(all_changes > 1000); /* the dense part did run */
    cck_icstz_free(z);
}

static void test_names(void)
{
    cck_icstz *z = cck_icstz_new();
    const char *iana = NULL;
    CHECK_EQ_INT(resolve(z, "Europe/Berlin", &iana), CCK_TZ_IANA);
    CHECK_EQ_STR(iana, "Europe/Berlin");
    CHECK_EQ_INT(conv(z, "Europe/Berlin", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 10, 0));
    CHECK_EQ_INT(conv(z, "Europe/Berlin", 2026, 1, 1, 12, 0), secs(2026, 1, 1, 11, 0));
    CHECK_EQ_INT(conv(z, "Europe/Berlin", 2026, 3, 29, 2, 30), secs(2026, 3, 29, 1, 30));
    CHECK_EQ_INT(conv(z, "Europe/Berlin", 2026, 10, 25, 2, 30), secs(2026, 10, 25, 0, 30));
    /* Windows names, mapped by CLDR. */
    CHECK_EQ_INT(resolve(z, "W. Europe Standard Time", &iana), CCK_TZ_WINDOWS);
    CHECK_EQ_STR(iana, "Europe/Berlin");
    CHECK_EQ_INT(resolve(z, "Eastern Standard Time", &iana), CCK_TZ_WINDOWS);
    CHECK_EQ_STR(iana, "America/New_York");
    CHECK_EQ_INT(conv(z, "W. Europe Standard Time", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 10, 0));
    CHECK_EQ_INT(conv(z, "Eastern Standard Time", 2026, 3, 8, 2, 30), secs(2026, 3, 8, 7, 30));
    CHECK_EQ_INT(conv(z, "Eastern Standard Time", 2026, 11, 1, 1, 30), secs(2026, 11, 1, 5, 30));
    /* An alias is an IANA id too; UTC is both and IANA comes first. */
    CHECK_EQ_INT(resolve(z, "US/Eastern", &iana), CCK_TZ_IANA);
    CHECK_EQ_STR(iana, "US/Eastern");
    CHECK_EQ_INT(resolve(z, "UTC", &iana), CCK_TZ_IANA);
    CHECK_EQ_INT(conv(z, "UTC", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 12, 0));
    /* Unknown: ICU's fallback zone and custom ids are not zones; ids are case-sensitive. */
    const char *unknown[] = {
        "Foo/Bar",        "Etc/Unknown",    "GMT+05:00", "europe/berlin", "w. europe standard time",
        "Europe/Berlin ", "Europe/\xc3\xa9"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        iana = "x";
        CHECK_EQ_INT(resolve(z, unknown[i], &iana), CCK_TZ_UNKNOWN);
        CHECK(iana == NULL);
        CHECK_EQ_INT(conv(z, unknown[i], 2026, 7, 1, 12, 0), INT64_MIN);
    }
    CHECK_EQ_INT(cck_icstz_resolve(z, "", 0, &iana), CCK_TZ_UNKNOWN);
    CHECK_EQ_INT(cck_icstz_resolve(z, NULL, 0, NULL), CCK_TZ_UNKNOWN);
    char big[CCK_ICSTZ_MAX_TZID + 2];
    memset(big, 'A', sizeof big);
    CHECK_EQ_INT(cck_icstz_resolve(z, big, sizeof big, NULL), CCK_TZ_UNKNOWN);
    /* An embedded NUL is part of the name: "Europe/Berlin\0x" is not Europe/Berlin. */
    CHECK_EQ_INT(cck_icstz_resolve(z, "Europe/Berlin\0x", 15, NULL), CCK_TZ_UNKNOWN);
    CHECK_EQ_INT(cck_icstz_resolve(z, "Europe/Berlin\0x", 13, NULL), CCK_TZ_IANA);
    cck_icstz_free(z);
}

static void test_rdate_only(void)
{
    cck_icstz *z = cck_icstz_new();
    loaded L;
    load(z, &L,
         CAL_BEGIN "BEGIN:VTIMEZONE\r\n"
                   "TZID:Listed\r\n"
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:19700101T000000\r\n"
                   "TZOFFSETFROM:+0100\r\n"
                   "TZOFFSETTO:+0100\r\n"
                   "END:STANDARD\r\n"
                   "BEGIN:DAYLIGHT\r\n"
                   "DTSTART:20260329T020000\r\n"
                   "RDATE:20270328T020000\r\n"
                   "RDATE;VALUE=PERIOD:20280326T010000Z/PT1H,20290325T020000\r\n"
                   "TZOFFSETFROM:+0100\r\n"
                   "TZOFFSETTO:+0200\r\n"
                   "END:DAYLIGHT\r\n"
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:20261025T030000\r\n"
                   "RDATE:20271031T030000,20281029T030000\r\n"
                   "TZOFFSETFROM:+0200\r\n"
                   "TZOFFSETTO:+0100\r\n"
                   "END:STANDARD\r\n"
                   "END:VTIMEZONE\r\n" CAL_END);
    CHECK_EQ_INT(L.added, 1);
    CHECK_EQ_INT(L.pr.n, 0);
    CHECK_EQ_INT(conv(z, "Listed", 2026, 1, 15, 12, 0), secs(2026, 1, 15, 11, 0));
    CHECK_EQ_INT(conv(z, "Listed", 2026, 7, 15, 12, 0), secs(2026, 7, 15, 10, 0));
    CHECK_EQ_INT(conv(z, "Listed", 2026, 3, 29, 2, 30), secs(2026, 3, 29, 1, 30)); /* gap */
    CHECK_EQ_INT(conv(z, "Listed", 2026, 10, 25, 2, 30), secs(2026, 10, 25, 0, 30));
    CHECK_EQ_INT(conv(z, "Listed", 2027, 7, 15, 12, 0), secs(2027, 7, 15, 10, 0));
    CHECK_EQ_INT(conv(z, "Listed", 2027, 12, 15, 12, 0), secs(2027, 12, 15, 11, 0));
    /* A UTC RDATE (01:00Z) is 02:00 in its TZOFFSETFROM. */
    CHECK_EQ_INT(conv(z, "Listed", 2028, 3, 26, 1, 59), secs(2028, 3, 26, 0, 59));
    CHECK_EQ_INT(conv(z, "Listed", 2028, 3, 26, 3, 0), secs(2028, 3, 26, 1, 0));
    CHECK_EQ_INT(conv(z, "Listed", 2029, 7, 1, 12, 0), secs(2029, 7, 1, 10, 0));
    /* No more onsets: summer time of 2029 lasts for ever. */
    CHECK_EQ_INT(conv(z, "Listed", 2035, 1, 1, 12, 0), secs(2035, 1, 1, 10, 0));
    unload(&L);
    cck_icstz_free(z);
}

static void test_defects(void)
{
    cck_icstz *z = cck_icstz_new();
    loaded L;
    load(z, &L,
         CAL_BEGIN "BEGIN:VTIMEZONE\r\n" /* line 4: no TZID */
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:19700101T000000\r\n"
                   "TZOFFSETFROM:+0100\r\n"
                   "TZOFFSETTO:+0100\r\n"
                   "END:STANDARD\r\n"
                   "END:VTIMEZONE\r\n"
                   "BEGIN:VTIMEZONE\r\n" /* line 11: no observance */
                   "TZID:Empty\r\n"
                   "END:VTIMEZONE\r\n"
                   "BEGIN:VTIMEZONE\r\n" /* line 14: every observance broken */
                   "TZID:Broken\r\n"
                   "BEGIN:STANDARD\r\n"
                   "TZOFFSETFROM:+0100\r\n"
                   "TZOFFSETTO:+0100\r\n"
                   "END:STANDARD\r\n"
                   "BEGIN:DAYLIGHT\r\n"
                   "DTSTART:2026-03-29T02:00\r\n"
                   "TZOFFSETFROM:+0100\r\n"
                   "TZOFFSETTO:+0200\r\n"
                   "END:DAYLIGHT\r\n"
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:20261025T030000\r\n"
                   "TZOFFSETFROM:+0200\r\n"
                   "TZOFFSETTO:1 hour\r\n"
                   "END:STANDARD\r\n"
                   "END:VTIMEZONE\r\n"
                   "BEGIN:VTIMEZONE\r\n" /* line 31: usable, with defects */
                   "TZID:Partly\r\n"
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:19700101T000000\r\n"
                   "TZOFFSETTO:+0300\r\n"
                   "RRULE:BYMONTH=10\r\n"
                   "END:STANDARD\r\n"
                   "END:VTIMEZONE\r\n"
                   "BEGIN:VTIMEZONE\r\n" /* line 39: defined again */
                   "TZID:Partly\r\n"
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:19700101T000000\r\n"
                   "TZOFFSETFROM:+0500\r\n"
                   "TZOFFSETTO:+0500\r\n"
                   "END:STANDARD\r\n"
                   "END:VTIMEZONE\r\n"
                   "BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n" CAL_END);
    CHECK_EQ_INT(L.added, 1);
    CHECK_EQ_INT(L.failed, 4);
    const cck_problem *p = find(&L, "vtz.no_tzid");
    CHECK(p && strncmp(p->text, "line 4:1: ", 10) == 0);
    CHECK(p && p->sev == CCK_SEV_ERROR);
    p = find(&L, "vtz.no_observance");
    CHECK(p && strncmp(p->text, "line 11:1: ", 11) == 0);
    p = find(&L, "vtz.no_dtstart");
    CHECK(p && strncmp(p->text, "line 16:1: ", 11) == 0);
    p = find(&L, "vtz.bad_dtstart");
    CHECK(p && strncmp(p->text, "line 21:9: ", 11) == 0);
    p = find(&L, "vtz.bad_offset");
    CHECK(p && strncmp(p->text, "line 28:12: ", 12) == 0);
    CHECK(p && strstr(p->text, "\"1 hour\""));
    p = find(&L, "vtz.no_offset");
    CHECK(p && strncmp(p->text, "line 33:1: ", 11) == 0);
    p = find(&L, "vtz.bad_rrule");
    CHECK(p && strncmp(p->text, "line 36:7: ", 11) == 0);
    p = find(&L, "vtz.duplicate_tzid");
    CHECK(p && strncmp(p->text, "line 40:6: ", 11) == 0);
    CHECK(p && strstr(p->text, "line 31"));
    for (size_t i = 0; i < L.pr.n; i++)
        CHECK(strncmp(L.pr.v[i].code, "vtz.", 4) == 0 && strncmp(L.pr.v[i].text, "line ", 5) == 0);
    CHECK_EQ_INT(resolve(z, "Broken", NULL), CCK_TZ_UNKNOWN);
    CHECK_EQ_INT(conv(z, "Broken", 2026, 7, 1, 12, 0), INT64_MIN);
    CHECK_EQ_INT(resolve(z, "Empty", NULL), CCK_TZ_UNKNOWN);
    /* The first "Partly" is kept: its TZOFFSETTO stands in for the missing TZOFFSETFROM and
     * the unreadable RRULE leaves its DTSTART alone. */
    CHECK_EQ_INT(resolve(z, "Partly", NULL), CCK_TZ_VTIMEZONE);
    CHECK_EQ_INT(conv(z, "Partly", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 9, 0));
    CHECK_EQ_INT(conv(z, "Partly", 1960, 7, 1, 12, 0), secs(1960, 7, 1, 9, 0));
    /* Not a VTIMEZONE at all. */
    cck_problems pr;
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_problems_init(&pr, a);
    cck_ics_comp ev;
    memset(&ev, 0, sizeof ev);
    ev.name = "VEVENT";
    ev.line = 7;
    CHECK_EQ_INT(cck_icstz_add(z, &ev, &pr), -1);
    CHECK(cck_problems_find(&pr, "vtz.not_vtimezone"));
    CHECK_EQ_INT(cck_icstz_add(z, NULL, &pr), -1);
    cck_arena_free(a);
    unload(&L);
    cck_icstz_free(z);
}

static void test_file_wins(void)
{
    const char *fixed = CAL_BEGIN "BEGIN:VTIMEZONE\r\n"
                                  "TZID:Europe/Berlin\r\n"
                                  "BEGIN:STANDARD\r\n"
                                  "DTSTART:19700101T000000\r\n"
                                  "TZOFFSETFROM:+0300\r\n"
                                  "TZOFFSETTO:+0300\r\n"
                                  "END:STANDARD\r\n"
                                  "END:VTIMEZONE\r\n" CAL_END;
    /* Defined before use. */
    cck_icstz *z = cck_icstz_new();
    loaded L;
    load(z, &L, fixed);
    CHECK_EQ_INT(L.added, 1);
    CHECK_EQ_INT(resolve(z, "Europe/Berlin", NULL), CCK_TZ_VTIMEZONE);
    CHECK_EQ_INT(conv(z, "Europe/Berlin", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 9, 0));
    /* The Windows name still goes to ICU's zone. */
    CHECK_EQ_INT(conv(z, "W. Europe Standard Time", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 10, 0));
    unload(&L);
    cck_icstz_free(z);
    /* Looked up first (and cached as IANA), defined later in the file. */
    z = cck_icstz_new();
    CHECK_EQ_INT(conv(z, "Europe/Berlin", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 10, 0));
    CHECK_EQ_INT(resolve(z, "Europe/Berlin", NULL), CCK_TZ_IANA);
    load(z, &L, fixed);
    CHECK_EQ_INT(L.added, 1);
    CHECK_EQ_INT(resolve(z, "Europe/Berlin", NULL), CCK_TZ_VTIMEZONE);
    CHECK_EQ_INT(conv(z, "Europe/Berlin", 2026, 7, 1, 12, 0), secs(2026, 7, 1, 9, 0));
    unload(&L);
    cck_icstz_free(z);
}

static void test_escaped_tzid(void)
{
    /* The TZID property is TEXT: a parameter names the zone without the backslashes. */
    cck_icstz *z = cck_icstz_new();
    loaded L;
    load(z, &L,
         CAL_BEGIN "BEGIN:VTIMEZONE\r\n"
                   "TZID:(UTC+07:00) Bangkok\\, Hanoi\\, Jakarta\r\n"
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:16010101T000000\r\n"
                   "TZOFFSETFROM:+0700\r\n"
                   "TZOFFSETTO:+0700\r\n"
                   "END:STANDARD\r\n"
                   "END:VTIMEZONE\r\n" CAL_END);
    CHECK_EQ_INT(L.added, 1);
    CHECK_EQ_INT(resolve(z, "(UTC+07:00) Bangkok, Hanoi, Jakarta", NULL), CCK_TZ_VTIMEZONE);
    CHECK_EQ_INT(conv(z, "(UTC+07:00) Bangkok, Hanoi, Jakarta", 2026, 1, 1, 7, 0),
                 secs(2026, 1, 1, 0, 0));
    CHECK_EQ_INT(resolve(z, "(UTC+07:00) Bangkok\\, Hanoi\\, Jakarta", NULL), CCK_TZ_UNKNOWN);
    unload(&L);
    cck_icstz_free(z);
}

static void test_dense_and_odd_rules(void)
{
    /* Hostile rules end, and conversions stay within a day of the wall time. */
    cck_icstz *z = cck_icstz_new();
    loaded L;
    load(z, &L,
         CAL_BEGIN "BEGIN:VTIMEZONE\r\n"
                   "TZID:Dense\r\n"
                   "BEGIN:DAYLIGHT\r\n"
                   "DTSTART:16010101T000000\r\n"
                   "RRULE:FREQ=SECONDLY\r\n"
                   "TZOFFSETFROM:+0000\r\n"
                   "TZOFFSETTO:+0100\r\n"
                   "END:DAYLIGHT\r\n"
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:16010101T000000\r\n"
                   "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\n"
                   "TZOFFSETFROM:+0100\r\n"
                   "TZOFFSETTO:+0000\r\n"
                   "END:STANDARD\r\n"
                   "END:VTIMEZONE\r\n"
                   "BEGIN:VTIMEZONE\r\n"
                   "TZID:Outlook\r\n"
                   "BEGIN:STANDARD\r\n"
                   "DTSTART:16011104T020000\r\n"
                   "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n"
                   "TZOFFSETFROM:-0400\r\n"
                   "TZOFFSETTO:-0500\r\n"
                   "END:STANDARD\r\n"
                   "BEGIN:DAYLIGHT\r\n"
                   "DTSTART:16010311T020000\r\n"
                   "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n"
                   "TZOFFSETFROM:-0500\r\n"
                   "TZOFFSETTO:-0400\r\n"
                   "END:DAYLIGHT\r\n"
                   "END:VTIMEZONE\r\n" CAL_END);
    CHECK_EQ_INT(L.added, 2);
    int64_t u = conv(z, "Dense", 2026, 7, 1, 12, 0);
    CHECK(u != INT64_MIN && u >= secs(2026, 7, 1, 12, 0) - 86400 &&
          u <= secs(2026, 7, 1, 12, 0) + 86400);
    /* Outlook's DTSTART in 1601: every year from then to 9999 reads right. */
    CHECK_EQ_INT(conv(z, "Outlook", 2026, 3, 8, 2, 30), secs(2026, 3, 8, 7, 30));
    CHECK_EQ_INT(conv(z, "Outlook", 1700, 7, 1, 12, 0), secs(1700, 7, 1, 16, 0));
    CHECK_EQ_INT(conv(z, "Outlook", 9999, 7, 1, 12, 0), secs(9999, 7, 1, 16, 0));
    CHECK_EQ_INT(conv(z, "Outlook", 9999, 12, 1, 12, 0), secs(9999, 12, 1, 17, 0));
    /* Before the first onset (DAYLIGHT, March 1601): its TZOFFSETFROM. */
    CHECK_EQ_INT(conv(z, "Outlook", 1601, 1, 1, 0, 0), secs(1601, 1, 1, 5, 0));
    unload(&L);
    cck_icstz_free(z);
}

static void test_intervals(void)
{
    /* Every third year does not repeat in 400 years, every fourth does: both stay right. */
    cck_icstz *z = cck_icstz_new();
    loaded L;
    load(z, &L,
         CAL_BEGIN "BEGIN:VTIMEZONE\r\nTZID:Third\r\n"
                   "BEGIN:DAYLIGHT\r\nDTSTART:20000701T000000\r\n"
                   "RRULE:FREQ=YEARLY;INTERVAL=3\r\n"
                   "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
                   "BEGIN:STANDARD\r\nDTSTART:20000801T000000\r\n"
                   "RRULE:FREQ=YEARLY;INTERVAL=3\r\n"
                   "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
                   "END:VTIMEZONE\r\n"
                   "BEGIN:VTIMEZONE\r\nTZID:Fourth\r\n"
                   "BEGIN:DAYLIGHT\r\nDTSTART:20010701T000000\r\n"
                   "RRULE:FREQ=YEARLY;INTERVAL=4\r\n"
                   "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
                   "BEGIN:STANDARD\r\nDTSTART:20010801T000000\r\n"
                   "RRULE:FREQ=YEARLY;INTERVAL=4\r\n"
                   "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
                   "END:VTIMEZONE\r\n"
                   "BEGIN:VTIMEZONE\r\nTZID:Counted\r\n"
                   "BEGIN:DAYLIGHT\r\nDTSTART:20000701T000000\r\n"
                   "RRULE:FREQ=YEARLY;COUNT=3000\r\n"
                   "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
                   "BEGIN:STANDARD\r\nDTSTART:20000801T000000\r\n"
                   "RRULE:FREQ=YEARLY\r\n"
                   "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
                   "END:VTIMEZONE\r\n" CAL_END);
    CHECK_EQ_INT(L.added, 3);
    for (int y = 4990; y < 5010; y++) {
        int64_t want = secs(y, 7, 15, 12, 0) - ((y - 2000) % 3 == 0 ? 7200 : 3600);
        CHECK_EQ_INT(conv(z, "Third", y, 7, 15, 12, 0), want);
        want = secs(y, 7, 15, 12, 0) - ((y - 2001) % 4 == 0 ? 7200 : 3600);
        CHECK_EQ_INT(conv(z, "Fourth", y, 7, 15, 12, 0), want);
        CHECK_EQ_INT(conv(z, "Fourth", y + 4990, 7, 15, 12, 0),
                     secs(y + 4990, 7, 15, 12, 0) - ((y + 4990 - 2001) % 4 == 0 ? 7200 : 3600));
    }
    /* COUNT=3000 ends summer time after 4999. */
    CHECK_EQ_INT(conv(z, "Counted", 4999, 7, 15, 12, 0), secs(4999, 7, 15, 10, 0));
    CHECK_EQ_INT(conv(z, "Counted", 5000, 7, 15, 12, 0), secs(5000, 7, 15, 11, 0));
    CHECK_EQ_INT(conv(z, "Counted", 9000, 7, 15, 12, 0), secs(9000, 7, 15, 11, 0));
    unload(&L);
    cck_icstz_free(z);
}

static void test_many_names(void)
{
    /* More names than are remembered still resolve, and alternating between two of them is
     * right every time. */
    cck_icstz *z = cck_icstz_new();
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "Nowhere/%d", i);
        CHECK_EQ_INT(resolve(z, name, NULL), CCK_TZ_UNKNOWN);
    }
    for (int i = 0; i < 10; i++) {
        CHECK_EQ_INT(conv(z, "Asia/Tokyo", 2026, 1, 1, 9, 0), secs(2026, 1, 1, 0, 0));
        CHECK_EQ_INT(resolve(z, "Nowhere/4999", NULL), CCK_TZ_UNKNOWN);
        CHECK_EQ_INT(conv(z, "America/Los_Angeles", 2026, 1, 1, 9, 0), secs(2026, 1, 1, 17, 0));
    }
    cck_icstz_free(z);
    cck_icstz_free(NULL);
}

int main(void)
{
    RUN(test_us_eastern_gap_overlap);
    RUN(test_vtimezone_matches_icu);
    RUN(test_icu_zones_match_icu);
    RUN(test_names);
    RUN(test_rdate_only);
    RUN(test_defects);
    RUN(test_file_wins);
    RUN(test_escaped_tzid);
    RUN(test_dense_and_odd_rules);
    RUN(test_intervals);
    RUN(test_many_names);
    return unit_done();
}
