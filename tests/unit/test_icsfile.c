/* test_icsfile.c - the .ics source (sources/icsfile.c) and value readers
 * (ics/icsval.c): overrides join their master wherever they are in the file,
 * every component is given out exactly once, times go through the zones. */
#include <stdlib.h>
#include <string.h>

#include "ics/icsval.h"
#include "model/icsinfo.h"
#include "sources/icsfile.h"
#include "unit.h"

#define EV(uid, extra)                                                                             \
    "BEGIN:VEVENT\r\nUID:" uid "\r\nDTSTAMP:20260101T000000Z\r\n"                                  \
    "DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\n" extra "END:VEVENT\r\n"

static const char grouped[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    /* an override before its master */
    EV("series-1", "RECURRENCE-ID:20260112T090000Z\r\nSUMMARY:moved\r\n")
        EV("single-1", "SUMMARY:single\r\n")
            EV("series-1", "RRULE:FREQ=WEEKLY;COUNT=5\r\nSUMMARY:weekly\r\n")
                EV("single-2", "SUMMARY:between\r\n")
    /* an override after an unrelated event, with a folded UID line */
    "BEGIN:VEVENT\r\nUID:seri\r\n es-1\r\nRECURRENCE-ID:20260119T090000Z\r\n"
    "DTSTART:20260119T100000Z\r\nEND:VEVENT\r\n"
    /* an override whose master is not in the file */
    EV("lonely", "RECURRENCE-ID:20260105T090000Z\r\n")
    /* the same UID as single-1: a second master stays an item of its own */
    EV("single-1", "SUMMARY:again\r\n") "BEGIN:VFREEBUSY\r\nUID:fb\r\nEND:VFREEBUSY\r\n"
                                        "BEGIN:VTIMEZONE\r\nTZID:Late/"
                                        "Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
                                        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0200\r\nEND:"
                                        "STANDARD\r\nEND:VTIMEZONE\r\n"
                                        "END:VCALENDAR\r\n";

static const char *summary(const cck_item *it)
{
    return it->subject.has == CCK_PRESENT ? it->subject.s : "";
}

static void test_grouping(void)
{
    const uint8_t *d = (const uint8_t *)grouped;
    size_t len = strlen(grouped);
    cck_icssrc *s = cck_icssrc_open("t.ics", d, len);
    CHECK(s != NULL);
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_icsunit u;
    const char *why;
    int items = 0, others = 0, comps = 0;
    bool master_seen = false, lonely_seen = false;
    int single1 = 0;
    char *seen = calloc(len, 1); /* component start offsets given out */
    while (cck_icssrc_next(s, a, &u, &why) == 1) {
        for (size_t i = 0; i < u.nranges; i++) {
            CHECK(u.ranges[i].off < len);
            CHECK(!seen[u.ranges[i].off]); /* never twice */
            seen[u.ranges[i].off] = 1;
            comps++;
        }
        if (u.kind == CCK_ICSUNIT_OTHER) {
            others++;
            continue;
        }
        items++;
        const cck_item *it = &u.it;
        CHECK(it->ics != NULL);
        if (!strcmp(it->ics->uid, "series-1")) {
            master_seen = true;
            CHECK_EQ_STR(summary(it), "weekly");
            CHECK_EQ_INT(it->n_exceptions, 2);
            CHECK_EQ_INT(u.nranges, 3);
            CHECK(it->recurring.v);
            for (size_t i = 0; i < it->n_exceptions; i++) {
                CHECK(it->exceptions[i].is_exception);
                CHECK(it->exceptions[i].ics->is_override);
                CHECK(it->exceptions[i].ics->master == it);
            }
            /* the folded UID was unfolded by the parser and still matched */
            CHECK_EQ_INT(it->exceptions[1].ics->recurrence_id.local.day, 19);
            /* COUNT=5 weekly from 2026-01-05 09:00Z: last ends 2026-02-02 10:00Z */
            CHECK(cck_icsinfo_series_end(it) ==
                  (uint64_t)(cck_days1601_from_civil(2026, 2, 2) * 86400 + 10 * 3600) * 10000000u);
        } else if (!strcmp(it->ics->uid, "lonely")) {
            lonely_seen = true;
            CHECK(it->ics->orphan);
            CHECK(it->ics->is_override);
        } else if (!strcmp(it->ics->uid, "single-1")) {
            single1++;
            CHECK_EQ_INT(it->n_exceptions, 0);
        }
    }
    CHECK(master_seen);
    CHECK(lonely_seen);
    CHECK_EQ_INT(single1, 2);
    CHECK_EQ_INT(items, 5);  /* series-1, single-1 twice, single-2, lonely */
    CHECK_EQ_INT(others, 1); /* the VFREEBUSY */
    CHECK_EQ_INT(comps, 8);  /* every component but the VTIMEZONE */
    /* the VTIMEZONE after the events was found and is available to -F */
    CHECK_EQ_INT(cck_icssrc_nzones(s), 1);
    cck_item cal;
    CHECK_EQ_INT(cck_icssrc_calendar_item(s, a, &cal), 0);
    CHECK(cal.ics->calendar_item);
    CHECK_EQ_INT(cal.ics->n_vtimezones, 1);
    CHECK(cck_ics_get(cal.ics->calendar, "PRODID") != NULL);
    free(seen);
    cck_arena_free(a);
    cck_icssrc_close(s);
}

static void test_times_through_zones(void)
{
    static const char cal[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Fixed+2\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:z\r\nDTSTART;TZID=Fixed+2:20260105T090000\r\nDURATION:PT90M\r\n"
        "ORGANIZER;CN=Boss:mailto:boss@example.com\r\n"
        "ATTENDEE;CN=\"Doe, J\";ROLE=OPT-PARTICIPANT:mailto:j@example.com\r\n"
        "CATEGORIES:Work,Holiday\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20260105\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    cck_icssrc *s = cck_icssrc_open("t.ics", (const uint8_t *)cal, strlen(cal));
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_icsunit u;
    const char *why;
    uint64_t day = (uint64_t)cck_days1601_from_civil(2026, 1, 5) * 86400;
    CHECK_EQ_INT(cck_icssrc_next(s, a, &u, &why), 1);
    CHECK(u.it.start.has == CCK_PRESENT);
    CHECK(u.it.start.ft == (day + 7 * 3600) * 10000000u); /* 09:00 at +02:00 */
    CHECK(u.it.end.ft == (day + 7 * 3600 + 5400) * 10000000u);
    CHECK(u.it.state_flags.v & CCK_ASF_MEETING);
    CHECK_EQ_STR(u.it.sent_rep_name.s, "Boss");
    CHECK_EQ_STR(u.it.sent_rep_smtp.s, "boss@example.com");
    CHECK_EQ_INT(u.it.n_recips, 1);
    CHECK_EQ_STR(u.it.recips[0].display_name.s, "Doe, J");
    CHECK_EQ_INT(u.it.recips[0].type.v, CCK_RECIP_CC);
    CHECK_EQ_INT(u.it.n_keywords, 2);
    CHECK_EQ_STR(u.it.keywords[1], "Holiday");
    CHECK_EQ_INT(u.ntzids, 1);
    CHECK_EQ_INT(cck_icssrc_next(s, a, &u, &why), 1);
    CHECK(u.it.all_day.v);
    CHECK(u.it.end.ft - u.it.start.ft == 86400ull * 10000000u); /* a DATE lasts a day */
    CHECK_EQ_INT(cck_icssrc_next(s, a, &u, &why), 0);
    cck_arena_free(a);
    cck_icssrc_close(s);
}

static void test_values(void)
{
    cck_civil c;
    bool is_date, utc;
    CHECK_EQ_INT(cck_icsval_datetime("20260229", 8, &c, &is_date, &utc), -1); /* not a leap year */
    CHECK_EQ_INT(cck_icsval_datetime("20240229", 8, &c, &is_date, &utc), 0);
    CHECK(is_date);
    CHECK_EQ_INT(c.weekday, 4); /* a Thursday */
    CHECK_EQ_INT(cck_icsval_datetime("20260105T250000", 15, &c, &is_date, &utc), -1);
    CHECK_EQ_INT(cck_icsval_datetime("20260105T090000Z", 16, &c, &is_date, &utc), 0);
    CHECK(utc && !is_date && c.hour == 9);
    CHECK_EQ_INT(cck_icsval_datetime("2026-01-05", 10, &c, &is_date, &utc), -1);
    int64_t d;
    CHECK_EQ_INT(cck_icsval_duration("PT1H30M", 7, &d), 0);
    CHECK_EQ_INT(d, 5400);
    CHECK_EQ_INT(cck_icsval_duration("-P1W", 4, &d), 0);
    CHECK_EQ_INT(d, -7 * 86400);
    CHECK_EQ_INT(cck_icsval_duration("P1DT2H", 6, &d), 0);
    CHECK_EQ_INT(d, 86400 + 7200);
    CHECK_EQ_INT(cck_icsval_duration("P1W2D", 5, &d), -1);
    CHECK_EQ_INT(cck_icsval_duration("PT", 2, &d), -1);
    CHECK_EQ_INT(cck_icsval_duration("P1H", 3, &d), -1);
    CHECK_EQ_INT(cck_icsval_duration("PT30M1H", 7, &d), -1);
    CHECK_EQ_INT(cck_icsval_duration("1H", 2, &d), -1);
}

/* [MS-OXCICAL] 2.1.3.1.1.20.26: a UID that is a GlobalObjectId in hex is decoded into the
 * item's GlobalObjectId; another UID is not. */
static void test_uid_goid(void)
{
    static const char cal[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:"
        "040000008200E00074C5B7101A82E00807EA0C0300000000000000000000000000000000"
        "04000000CAFEF00D\r\nDTSTART:20261203T090000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E008-not-hex\r\n"
        "DTSTART:20261203T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    cck_icssrc *s = cck_icssrc_open("t.ics", (const uint8_t *)cal, strlen(cal));
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_icsunit u;
    const char *why;
    CHECK_EQ_INT(cck_icssrc_next(s, a, &u, &why), 1);
    CHECK(u.it.goid.raw.has == CCK_PRESENT && u.it.goid.raw.n == 44);
    CHECK(u.it.goid.v && u.it.goid.v->Year == 2026 && u.it.goid.v->Month == 12 &&
          u.it.goid.v->D == 3 && u.it.goid.v->Size == 4);
    CHECK_EQ_INT(u.it.goid.problems.n, 0);
    CHECK_EQ_INT(cck_icssrc_next(s, a, &u, &why), 1);
    CHECK(u.it.goid.raw.has == CCK_ABSENT);
    cck_arena_free(a);
    cck_icssrc_close(s);
}

/* The scan finds a UID's value after a colon on a continuation line, as the parser does. */
static void test_uid_colon_folded(void)
{
    static const char cal[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID;X-P=\"a:b\"\r\n :s1\r\nDTSTART:20270104T090000Z\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270105T090000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:s1\r\nRECURRENCE-ID:20270111T090000Z\r\n"
        "DTSTART:20270111T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    cck_icssrc *s = cck_icssrc_open("t.ics", (const uint8_t *)cal, strlen(cal));
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_icsunit u;
    const char *why;
    size_t items = 0, exceptions = 0;
    while (cck_icssrc_next(s, a, &u, &why) == 1) {
        items++;
        exceptions += u.it.n_exceptions;
    }
    CHECK_EQ_INT(items, 2);
    CHECK_EQ_INT(exceptions, 1);
    cck_arena_free(a);
    cck_icssrc_close(s);
}

/* Everything a source gives out, as text: each unit's kind, exception count,
 * summary and ranges, then the zones, the component count and the calendar
 * item's problems. Two sources of the same bytes must give the same text.
 * Without offsets (files that differ only in line ends and padding): the
 * number of ranges instead of their bytes, zone names only, no problems
 * (their texts carry line numbers). */
static char *signature(cck_icssrc *s, bool offsets)
{
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_icsunit u;
    const char *why;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        if (n + 512 > cap)                                                                         \
            out = realloc(out, cap *= 2);                                                          \
        n += (size_t)snprintf(out + n, cap - n, __VA_ARGS__);                                      \
    } while (0)
    while (cck_icssrc_next(s, a, &u, &why) == 1) {
        bool item = u.kind == CCK_ICSUNIT_ITEM;
        PUT("%d x%zu %s:", (int)u.kind, item ? u.it.n_exceptions : 0, item ? summary(&u.it) : "");
        for (size_t i = 0; offsets && i < u.nranges; i++)
            PUT(" %llu-%llu", (unsigned long long)u.ranges[i].off,
                (unsigned long long)u.ranges[i].end);
        if (!offsets)
            PUT(" r%zu", u.nranges);
        PUT("\n");
    }
    for (size_t i = 0; i < cck_icssrc_nzones(s); i++) {
        const char *tz;
        size_t tn;
        cck_icsrange r;
        cck_icssrc_zone(s, i, &tz, &tn, &r);
        if (offsets)
            PUT("zone %.*s %llu-%llu\n", (int)tn, tz, (unsigned long long)r.off,
                (unsigned long long)r.end);
        else
            PUT("zone %.*s\n", (int)tn, tz);
    }
    PUT("components %zu\n", cck_icssrc_ncomponents(s));
    cck_arena_reset(a);
    cck_item cal;
    if (offsets && cck_icssrc_calendar_item(s, a, &cal) == 0 && cal.ics && cal.ics->cal_problems)
        for (size_t i = 0; i < cal.ics->cal_problems->n; i++)
            PUT("problem %s %s\n", cal.ics->cal_problems->v[i].code,
                cal.ics->cal_problems->v[i].text);
#undef PUT
    cck_arena_free(a);
    return out;
}

/* Scanned in two halves on two threads, a file gives out what it gives out
 * scanned on one: when the halves join, and when the guessed start of the
 * second half is inside a component (the first half then goes on alone). */
static void test_two_thread_scan(void)
{
    static const char *const files[] = {
        grouped,
        /* overrides in the other half from their master, a VTIMEZONE late */
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" EV(
            "s", "RRULE:FREQ=DAILY;COUNT=9\r\n") EV("a", "") EV("b", "") EV("c", "") EV("d", "")
            EV("s", "RECURRENCE-ID:20260106T090000Z\r\n")
                EV("e", "") "BEGIN:VTIMEZONE\r\nTZID:Late\r\nEND:VTIMEZONE\r\n" EV(
                    "s", "RECURRENCE-ID:20260107T090000Z\r\n") "END:VCALENDAR\r\n",
        /* the VEVENT after the middle is nested in another one: no join */
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:outer\r\nDESCRIPTION:a long outer event "
        "whose text holds the middle of the file xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"
        "BEGIN:VEVENT\r\nUID:inner\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:outer\r\n"
        "RECURRENCE-ID:20260101T000000Z\r\nEND:VEVENT\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:outer\r\nRECURRENCE-ID:20260102T000000Z\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        /* bare LF and CR line ends, no END:VCALENDAR */
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u\nEND:VEVENT\rBEGIN:VEVENT\rUID:u\r"
        "RECURRENCE-ID:20260101T000000Z\rEND:VEVENT\nBEGIN:VEVENT\nUID:v\nEND:VEVENT\n",
        /* nothing to split at */
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
        "",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        const uint8_t *d = (const uint8_t *)files[i];
        size_t len = strlen(files[i]);
        cck_icssrc *one = cck_icssrc_open("t.ics", d, len);
        cck_icssrc *two = cck_icssrc_open_mt("t.ics", d, len, 0);
        CHECK(one && two);
        if (!one || !two)
            continue;
        char *a = signature(one, true), *b = signature(two, true);
        if (strcmp(a, b) != 0)
            printf("#   file %zu: one thread:\n%s#   two threads:\n%s", i, a, b);
        CHECK(strcmp(a, b) == 0);
        free(a);
        free(b);
        cck_icssrc_close(one);
        cck_icssrc_close(two);
    }
}

/* The scan walks line ends 64 bytes at a time: whatever the line ends (CRLF,
 * LF, CR) and wherever they fall against those blocks (a CRLF split across
 * two, a BEGIN or UID line right after a block edge), the source gives out the
 * same units as for the plain CRLF file. */
static void test_scan_line_ends(void)
{
    cck_icssrc *base = cck_icssrc_open("t.ics", (const uint8_t *)grouped, strlen(grouped));
    char *want = base ? signature(base, false) : NULL;
    CHECK(want != NULL);
    cck_icssrc_close(base);
    static const char *const ends[] = {"\r\n", "\n", "\r"};
    size_t len = strlen(grouped), bad = 0;
    char *buf = malloc(2 * len + 256);
    for (size_t e = 0; e < 3 && want && buf; e++)
        for (size_t pad = 0; pad < 130; pad++) {
            /* the pad line comes after VERSION, before the first component */
            size_t n = 0;
            const char *at = strstr(grouped, "PRODID");
            memcpy(buf, grouped, (size_t)(at - grouped));
            n = (size_t)(at - grouped);
            n += (size_t)sprintf(buf + n, "X-PAD:%.*s\r\n", (int)pad,
                                 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"
                                 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"
                                 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
            memcpy(buf + n, at, len - (size_t)(at - grouped));
            n += len - (size_t)(at - grouped);
            /* CRLF -> the wanted line end */
            char *conv = malloc(n + 1);
            size_t m = 0;
            for (size_t i = 0; i < n; i++) {
                if (buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n') {
                    memcpy(conv + m, ends[e], strlen(ends[e]));
                    m += strlen(ends[e]);
                    i++;
                } else
                    conv[m++] = buf[i];
            }
            for (int threads = 1; threads <= 2; threads++) {
                cck_icssrc *s = threads == 1 ? cck_icssrc_open("t.ics", (uint8_t *)conv, m)
                                             : cck_icssrc_open_mt("t.ics", (uint8_t *)conv, m, 0);
                char *got = s ? signature(s, false) : NULL;
                if (!got || strcmp(got, want) != 0) {
                    if (!bad++)
                        printf("#   end %zu pad %zu threads %d:\n%s#   want:\n%s", e, pad, threads,
                               got ? got : "(null)\n", want);
                }
                free(got);
                cck_icssrc_close(s);
            }
            free(conv);
        }
    CHECK_EQ_INT(bad, 0);
    free(buf);
    free(want);
}

int main(void)
{
    RUN(test_scan_line_ends);
    RUN(test_two_thread_scan);
    RUN(test_uid_colon_folded);
    RUN(test_uid_goid);
    RUN(test_values);
    RUN(test_grouping);
    RUN(test_times_through_zones);
    return unit_done();
}
