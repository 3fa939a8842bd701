/* test_checks_ical.c - the iCalendar checks 0200-0229 (RFC 5545 §3.1-§3.8):
 * each detector on small calendars parsed with the reader and turned into
 * items by model/icsitem.c, with a calendar that triggers it and one as close
 * as possible that does not; the parser-problem map on every "ics.*" code. */
#include <stdlib.h>
#include <string.h>

#define ICS_FX_MAX_PARTS 16
#include "ics_fx.h"

void cck_chk_ical_syntax(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_dtstart(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_uid(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_values(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_order(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_duration(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_end_duration(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_date_types(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_duplicates(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_dtstamp(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_tzid(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_vtimezone(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_version(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_prodid(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_method(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_organizer(const cck_item *it, cck_ctx *ctx);

/* ---- a parsed calendar: its first item and its calendar item --------------- */

static cck_item ld_item, ld_cal;

static bool is_item_comp(const cck_ics_comp *c)
{
    return !strcmp(c->name, "VEVENT") || !strcmp(c->name, "VTODO") || !strcmp(c->name, "VJOURNAL");
}

/* Parses text ('\n' becomes CRLF unless `raw`) and fills ld_item with the
 * first VEVENT/VTODO/VJOURNAL without RECURRENCE-ID (else the first one) and
 * its overrides, and ld_cal with the calendar item. */
static cck_item *load_as(const char *text, bool raw)
{
    size_t np = ics_fx_read(text, raw);
    memset(&ld_item, 0, sizeof ld_item);
    size_t main = np;
    for (size_t i = 0; i < np && main == np; i++)
        if (is_item_comp(ld_parts[i].comp) && !ics_fx_is_override(ld_parts[i].comp))
            main = i;
    if (main == np)
        main = 0;
    if (np)
        CHECK(ics_fx_item(main, np, &ld_item) == 0);
    CHECK(cck_item_ics_calendar(&ld_file, fx_blobs, &ld_cal) == 0);
    return &ld_item;
}

static cck_item *load(const char *text)
{
    return load_as(text, false);
}

#define HEAD        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//calcheck//test//EN\n"
#define TAIL        "END:VCALENDAR\n"
#define EVHEAD      "BEGIN:VEVENT\nUID:t1@example.org\nDTSTAMP:20261101T120000Z\n" /* lines 4-6 */
#define TIMES       "DTSTART:20261203T090000Z\nDTEND:20261203T100000Z\n"
#define EVENT(body) HEAD EVHEAD body "END:VEVENT\n" TAIL

/* The item (or the calendar item) gives exactly `n` findings of fn. */
static size_t run_on(cck_item_fn fn, const char *text)
{
    return fx_run_show(fn, load(text));
}

/* ---- 0200-0207 ------------------------------------------------------------- */

static void test_syntax_map(void)
{
    /* Every code of the parser, through a fake item: one finding per id,
     * with the count of the others mapped to it. */
    static const struct {
        const char *code;
        int id;
    } all[] = {
        {"ics.no_colon", 200},        {"ics.bad_name", 200},
        {"ics.bad_param", 200},       {"ics.unterminated_quote", 200},
        {"ics.too_many_params", 200}, {"ics.too_many_values", 200},
        {"ics.bad_fold", 201},        {"ics.fold_utf8", 201},
        {"ics.bad_utf8", 202},        {"ics.control_char", 203},
        {"ics.bad_escape", 204},      {"ics.unclosed", 205},
        {"ics.end_mismatch", 205},    {"ics.outside_calendar", 205},
        {"ics.nesting", 205},         {"ics.too_many_components", 205},
        {"ics.too_many_props", 205},  {"ics.line_too_long", 206},
        {"ics.long_line", 207},       {"ics.line_ending", 207},
        {"ics.empty_line", 207},      {"vtz.no_tzid", 0},
    };
    const size_t n = sizeof all / sizeof all[0];
    cck_arena_reset(fx_blobs);
    cck_problems pr;
    cck_problems_init(&pr, fx_blobs);
    for (size_t i = 0; i < n; i++)
        cck_problems_add(&pr, CCK_SEV_ERROR, all[i].code, 0, "line %zu:1: %s", i + 1, all[i].code);
    cck_ics_comp comp;
    memset(&comp, 0, sizeof comp);
    comp.name = "VEVENT";
    comp.line = 1;
    cck_icsinfo info;
    memset(&info, 0, sizeof info);
    info.comp = &comp;
    info.problems = &pr;
    cck_item it;
    memset(&it, 0, sizeof it);
    it.ics = &info;
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &it), 8);
    CHECK_EQ_STR(fx_text(200), "line 1:1: ics.no_colon (and 5 more)");
    CHECK_EQ_STR(fx_text(201), "line 7:1: ics.bad_fold (and 1 more)");
    CHECK_EQ_STR(fx_text(202), "line 9:1: ics.bad_utf8");
    CHECK_EQ_STR(fx_text(203), "line 10:1: ics.control_char");
    CHECK_EQ_STR(fx_text(204), "line 11:1: ics.bad_escape");
    CHECK_EQ_STR(fx_text(205), "line 12:1: ics.unclosed (and 5 more)");
    CHECK_EQ_STR(fx_text(206), "line 18:1: ics.line_too_long");
    CHECK_EQ_STR(fx_text(207), "line 19:1: ics.long_line (and 2 more)");
    /* the same problems on the calendar item come from cal_problems */
    info.calendar_item = true;
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &it), 0);
    info.cal_problems = &pr;
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &it), 8);
    /* a MAPI item has none */
    it.ics = NULL;
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &it), 0);
}

static void test_syntax(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ical_syntax, EVENT(TIMES "SUMMARY:Budget review\n")), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &ld_cal), 0);

    CHECK_EQ_INT(run_on(cck_chk_ical_syntax, EVENT(TIMES "DESCRIPTION Agenda\nX-A B\n")), 1);
    CHECK_EQ_STR(fx_text(200),
                 "line 9:1: content line without a colon: \"DESCRIPTION Agenda\" (and 1 more)");

    CHECK_EQ_INT(run_on(cck_chk_ical_syntax, EVENT(TIMES "SUMMARY:caf\xc3\n \xa9\n")), 1);
    CHECK(fx_has(201, "line 9:12: line folded inside the UTF-8 sequence"));
    CHECK_EQ_INT(run_on(cck_chk_ical_syntax, EVENT(TIMES "SUMMARY:caf\xe9\n")), 1);
    CHECK(fx_has(202, "line 9:12: invalid UTF-8 \"\\xE9\""));
    CHECK_EQ_INT(run_on(cck_chk_ical_syntax, EVENT(TIMES "SUMMARY:a\x01z\n")), 1);
    CHECK(fx_has(203, "line 9:10: control character"));
    CHECK_EQ_INT(run_on(cck_chk_ical_syntax, EVENT(TIMES "DESCRIPTION:C:\\temp\n")), 1);
    CHECK(fx_has(204, "line 9:15: bad escape"));
    CHECK_EQ_INT(run_on(cck_chk_ical_syntax, HEAD EVHEAD TIMES "END:VTODO\n" TAIL), 1);
    CHECK(fx_has(205, "line 9:1: END:VTODO does not match BEGIN:VEVENT of line 4"));
    CHECK_EQ_INT(run_on(cck_chk_ical_syntax,
                        EVENT(TIMES "DESCRIPTION:0123456789012345678901234567890123456789012345"
                                    "67890123456789012345678901234567890123456789\n")),
                 1);
    CHECK(fx_has(207, "line 9:1: line is 102 octets long"));

    /* 0206: a line of more folds than the reader keeps */
    size_t nf = CCK_ICS_FOLDS_MAX + 2;
    char *big = malloc(nf * 2 + 512);
    strcpy(big, HEAD EVHEAD TIMES "DESCRIPTION:x");
    size_t o = strlen(big);
    for (size_t i = 0; i < nf; i++) {
        big[o++] = '\n';
        big[o++] = ' ';
    }
    strcpy(big + o, "\nEND:VEVENT\n" TAIL);
    CHECK_EQ_INT(run_on(cck_chk_ical_syntax, big), 1);
    CHECK(fx_has(206, "line 9:1: content line longer than"));
    free(big);

    /* the calendar item: LF line endings and a stray line at calendar level */
    load_as(EVENT(TIMES), true);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &ld_item), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &ld_cal), 1);
    CHECK(fx_has(207, "line 1:1: line ends with LF only"));
    load(HEAD "X-STRAY LINE\n" EVHEAD TIMES "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &ld_cal), 1);
    CHECK(fx_has(200, "line 4:1: content line without a colon: \"X-STRAY LINE\""));
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &ld_item), 0);

    /* an override's problems are its series' */
    CHECK_EQ_INT(run_on(cck_chk_ical_syntax,
                        HEAD EVHEAD "DTSTART:20261203T090000Z\nRRULE:FREQ=WEEKLY;COUNT=4\n"
                                    "END:VEVENT\n" EVHEAD "RECURRENCE-ID:20261210T090000Z\n"
                                    "DTSTART:20261210T100000Z\nSUMMARY:caf\xe9\nEND:VEVENT\n" TAIL),
                 1);
    CHECK(fx_has(202, "line 15:12: invalid UTF-8"));
}

/* ---- 0210, 0211, 0218: required properties ----------------------------------- */

static void test_required(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ical_dtstart, EVENT("SUMMARY:x\n")), 1);
    CHECK_EQ_STR(fx_text(210), "line 4:1: VEVENT has no DTSTART");
    CHECK_EQ_INT(run_on(cck_chk_ical_dtstart, EVENT(TIMES)), 0);
    CHECK_EQ_INT(run_on(cck_chk_ical_dtstart,
                        HEAD "BEGIN:VTODO\nUID:t@example.org\nDTSTAMP:20261101T120000Z\n"
                             "SUMMARY:x\nEND:VTODO\n" TAIL),
                 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_dtstart, &ld_cal), 0);

    CHECK_EQ_INT(run_on(cck_chk_ical_uid,
                        HEAD "BEGIN:VEVENT\nDTSTAMP:20261101T120000Z\n" TIMES "END:VEVENT\n" TAIL),
                 1);
    CHECK_EQ_STR(fx_text(211), "line 4:1: VEVENT has no UID");
    CHECK_EQ_INT(run_on(cck_chk_ical_uid, HEAD
                        "BEGIN:VEVENT\nUID:\nDTSTAMP:20261101T120000Z\n" TIMES "END:VEVENT\n" TAIL),
                 1);
    CHECK_EQ_STR(fx_text(211), "line 5:1: UID is empty \"\"");
    CHECK_EQ_INT(run_on(cck_chk_ical_uid, EVENT(TIMES)), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_uid, &ld_cal), 0); /* the calendar has none */

    CHECK_EQ_INT(run_on(cck_chk_ical_dtstamp,
                        HEAD "BEGIN:VEVENT\nUID:t@example.org\n" TIMES "END:VEVENT\n" TAIL),
                 1);
    CHECK_EQ_STR(fx_text(218), "line 4:1: VEVENT has no DTSTAMP");
    CHECK_EQ_INT(run_on(cck_chk_ical_dtstamp, EVENT(TIMES)), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_dtstamp, &ld_cal), 0);
}

/* ---- 0212: values of the wrong type ----------------------------------------- */

static void test_values(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ical_values,
                        EVENT(TIMES "CREATED:20261101T120000Z\nLAST-MODIFIED:20261102T120000Z\n"
                                    "SEQUENCE:3\nDURATION:PT1H\n")),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT("DTSTART:2026-12-03T09:00:00Z\n")), 1);
    CHECK_EQ_STR(fx_text(212),
                 "line 7:1: DTSTART \"2026-12-03T09:00:00Z\" is not a DATE or DATE-TIME");
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT("DTSTART;VALUE=DATE:20261203T090000\n")), 1);
    CHECK_EQ_STR(fx_text(212), "line 7:1: DTSTART has VALUE=DATE but the value "
                               "\"20261203T090000\" is a DATE-TIME");
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT(TIMES "LAST-MODIFIED;VALUE=DATE:20261101\n")),
                 1);
    CHECK_EQ_STR(fx_text(212), "line 9:1: LAST-MODIFIED \"20261101\" is a DATE, not a DATE-TIME");
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT(TIMES "RECURRENCE-ID:20261232T090000Z\n")), 1);
    CHECK(fx_has(212, "RECURRENCE-ID \"20261232T090000Z\" is not a DATE or DATE-TIME"));
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT("DTSTART:20261203T090000Z\nDURATION:1h\n")), 1);
    CHECK_EQ_STR(fx_text(212), "line 8:1: DURATION \"1h\" is not a duration");
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT(TIMES "SEQUENCE:one\n")), 1);
    CHECK_EQ_STR(fx_text(212), "line 9:1: SEQUENCE \"one\" is not an integer");
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT(TIMES "SEQUENCE:99999999999999999999999\n")), 1);
    CHECK(fx_has(212, "is outside the 32-bit INTEGER range"));
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT(TIMES "SEQUENCE:-2147483648\n")), 0);
    /* a second, bad DTSTART is found too; a VALARM's TRIGGER is not read */
    CHECK_EQ_INT(
        run_on(cck_chk_ical_values, EVENT(TIMES "DTSTART:tomorrow\nBEGIN:VALARM\nACTION:DISPLAY\n"
                                                "TRIGGER;VALUE=DATE-TIME:soon\nEND:VALARM\n")),
        1);
    CHECK(fx_has(212, "line 9:1: DTSTART \"tomorrow\""));
    /* the quoted value stays readable and bounded */
    CHECK_EQ_INT(
        run_on(cck_chk_ical_values,
               EVENT("DTSTART:\"12345678901234567890123456789012345678901234567890123456789"
                     "01234567890\"\n")),
        1);
    CHECK(
        fx_has(212, "\"\\x22123456789012345678901234567890123456789012345678901234567890123...\""));
    /* RDATE and EXDATE lists: every value of the type VALUE says */
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT(TIMES "RDATE:20261210T090000Z,20261211T090000Z\n"
                                                         "RDATE;VALUE=PERIOD:20261212T090000Z/PT1H,"
                                                         "20261213T090000Z/20261213T100000Z\n"
                                                         "EXDATE;VALUE=DATE:20261214,20261215\n")),
                 0);
    CHECK_EQ_INT(
        run_on(cck_chk_ical_values, EVENT(TIMES "RDATE:20261210T090000Z,199709T180000Z\n")), 1);
    CHECK_EQ_STR(fx_text(212), "line 9:1: RDATE value \"199709T180000Z\" is not a DATE-TIME");
    CHECK_EQ_INT(
        run_on(cck_chk_ical_values, EVENT(TIMES "RDATE;VALUE=PERIOD:20200105T180000Z/PTXH\n")), 1);
    CHECK(fx_has(212, "is not a PERIOD"));
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT(TIMES "EXDATE;VALUE=DATE:\n")), 1);
    CHECK(fx_has(212, "EXDATE value \"\" is not a DATE (the value is empty)"));
    CHECK_EQ_INT(run_on(cck_chk_ical_values, EVENT(TIMES "EXDATE:garbage\n")), 1);
}

/* ---- 0213-0215: start, end and duration ----------------------------------- */

static void test_order(void)
{
    CHECK_EQ_INT(
        run_on(cck_chk_ical_order, EVENT("DTSTART:20261203T100000Z\nDTEND:20261203T090000Z\n")), 1);
    CHECK_EQ_STR(fx_text(213),
                 "line 8:1: DTEND \"20261203T090000Z\" is before DTSTART \"20261203T100000Z\"");
    CHECK_EQ_INT(run_on(cck_chk_ical_order, EVENT(TIMES)), 0);
    CHECK_EQ_INT(
        run_on(cck_chk_ical_order, EVENT("DTSTART:20261203T100000Z\nDTEND:20261203T100000Z\n")), 0);
    /* floating, and all-day: as written */
    CHECK_EQ_INT(
        run_on(cck_chk_ical_order, EVENT("DTSTART:20261203T100000\nDTEND:20261203T095959\n")), 1);
    CHECK_EQ_INT(run_on(cck_chk_ical_order,
                        EVENT("DTSTART;VALUE=DATE:20261203\nDTEND;VALUE=DATE:20261202\n")),
                 1);
    /* different zones: in UTC. 10:00 Berlin is 09:00Z; 05:00 New York is 10:00Z */
    CHECK_EQ_INT(run_on(cck_chk_ical_order, EVENT("DTSTART;TZID=Europe/Berlin:20261203T100000\n"
                                                  "DTEND;TZID=America/New_York:20261203T050000\n")),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ical_order, EVENT("DTSTART;TZID=Europe/Berlin:20261203T100000\n"
                                                  "DTEND;TZID=America/New_York:20261203T035959\n")),
                 1);
    CHECK_EQ_STR(fx_text(213), "line 8:1: DTEND \"20261203T035959\" (TZID \"America/New_York\") "
                               "is before DTSTART \"20261203T100000\" (TZID \"Europe/Berlin\")");
    /* the same unknown zone: as written; UTC against floating: not compared */
    CHECK_EQ_INT(run_on(cck_chk_ical_order, EVENT("DTSTART;TZID=Nowhere:20261203T100000\n"
                                                  "DTEND;TZID=Nowhere:20261203T090000\n")),
                 1);
    CHECK_EQ_INT(
        run_on(cck_chk_ical_order, EVENT("DTSTART:20261203T100000Z\nDTEND:20261203T090000\n")), 0);
    /* DATE against DATE-TIME is 0216's */
    CHECK_EQ_INT(
        run_on(cck_chk_ical_order, EVENT("DTSTART;VALUE=DATE:20261203\nDTEND:20261202T090000Z\n")),
        0);
    /* a VTODO's DUE */
    CHECK_EQ_INT(run_on(cck_chk_ical_order,
                        HEAD "BEGIN:VTODO\nUID:t@example.org\nDTSTAMP:20261101T120000Z\n"
                             "DTSTART:20261203T100000Z\nDUE:20261201T170000Z\nEND:VTODO\n" TAIL),
                 1);
    CHECK(fx_has(213, "line 8:1: DUE \"20261201T170000Z\" is before DTSTART"));
}

static void test_duration(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ical_duration, EVENT("DTSTART:20261203T090000Z\nDURATION:-PT1H\n")),
                 1);
    CHECK_EQ_STR(fx_text(214), "line 8:1: DURATION \"-PT1H\" is negative");
    CHECK_EQ_INT(run_on(cck_chk_ical_duration, EVENT("DTSTART:20261203T090000Z\nDURATION:PT1H\n")),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ical_duration, EVENT("DTSTART:20261203T090000Z\nDURATION:PT0S\n")),
                 0);

    CHECK_EQ_INT(run_on(cck_chk_ical_end_duration, EVENT(TIMES "DURATION:PT1H\n")), 1);
    CHECK_EQ_STR(fx_text(215), "line 9:1: DURATION \"PT1H\" and DTEND \"20261203T100000Z\" "
                               "(line 8) are both given");
    CHECK_EQ_INT(
        run_on(cck_chk_ical_end_duration, EVENT("DTSTART:20261203T090000Z\nDURATION:PT1H\n")), 0);
    CHECK_EQ_INT(run_on(cck_chk_ical_end_duration, EVENT(TIMES)), 0);
    CHECK_EQ_INT(run_on(cck_chk_ical_end_duration,
                        HEAD "BEGIN:VTODO\nUID:t@example.org\nDTSTAMP:20261101T120000Z\n"
                             "DTSTART:20261203T100000Z\nDUE:20261204T170000Z\nDURATION:P1D\n"
                             "END:VTODO\n" TAIL),
                 1);
    CHECK(fx_has(215, "and DUE \"20261204T170000Z\" (line 8)"));
}

/* ---- 0216: DATE against DATE-TIME --------------------------------------------- */

static void test_date_types(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ical_date_types,
                        EVENT("DTSTART;VALUE=DATE:20261203\nDTEND:20261204T000000Z\n")),
                 1);
    CHECK_EQ_STR(fx_text(216), "line 8:1: DTEND \"20261204T000000Z\" is a DATE-TIME but DTSTART "
                               "\"20261203\" (line 7) is a DATE");
    CHECK_EQ_INT(run_on(cck_chk_ical_date_types,
                        EVENT("DTSTART;VALUE=DATE:20261203\nDTEND;VALUE=DATE:20261204\n"
                              "RRULE:FREQ=DAILY;UNTIL=20261210\n"
                              "EXDATE;VALUE=DATE:20261205,20261206\n"
                              "RDATE;VALUE=PERIOD:20261220T090000Z/PT1H\n")),
                 0);
    /* UNTIL, EXDATE (second value) and RDATE against a DATE-TIME start */
    CHECK_EQ_INT(
        run_on(cck_chk_ical_date_types,
               EVENT(TIMES "RRULE:FREQ=DAILY;UNTIL=20261210;INTERVAL=2\n"
                           "EXDATE:20261205T090000Z,20261207\nRDATE;VALUE=DATE:20261220\n")),
        1);
    CHECK_EQ_STR(fx_text(216), "line 9:1: the UNTIL of RRULE \"20261210\" is a DATE but DTSTART "
                               "\"20261203T090000Z\" (line 7) is a DATE-TIME (and 2 more)");
    CHECK_EQ_INT(
        run_on(cck_chk_ical_date_types, EVENT(TIMES "RRULE:FREQ=DAILY;UNTIL=20261210T090000Z\n"
                                                    "EXDATE:20261205T090000Z,20261207T090000Z\n")),
        0);
    /* an override's RECURRENCE-ID against the series' DTSTART */
    CHECK_EQ_INT(run_on(cck_chk_ical_date_types,
                        HEAD EVHEAD "DTSTART:20261203T090000Z\nRRULE:FREQ=DAILY;COUNT=5\n"
                                    "END:VEVENT\n" EVHEAD "RECURRENCE-ID;VALUE=DATE:20261204\n"
                                    "DTSTART:20261204T100000Z\nEND:VEVENT\n" TAIL),
                 1);
    CHECK_EQ_STR(fx_text(216), "line 13:1: RECURRENCE-ID \"20261204\" is a DATE but the series' "
                               "DTSTART \"20261203T090000Z\" (line 7) is a DATE-TIME");
    CHECK_EQ_INT(run_on(cck_chk_ical_date_types,
                        HEAD EVHEAD "DTSTART:20261203T090000Z\nRRULE:FREQ=DAILY;COUNT=5\n"
                                    "END:VEVENT\n" EVHEAD "RECURRENCE-ID:20261204T090000Z\n"
                                    "DTSTART:20261204T100000Z\nEND:VEVENT\n" TAIL),
                 0);
    /* nothing to compare without a DTSTART */
    CHECK_EQ_INT(run_on(cck_chk_ical_date_types, EVENT("DTEND:20261204T000000Z\n")), 0);
}

/* ---- 0217: once-only properties ------------------------------------------------ */

static void test_duplicates(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ical_duplicates,
                        EVENT(TIMES "SUMMARY:Budget\nSUMMARY:Budget (moved)\nSUMMARY:again\n")),
                 1);
    CHECK_EQ_STR(fx_text(217), "line 10:1: SUMMARY occurs 3 times in the VEVENT (first at line 9)");
    CHECK_EQ_INT(run_on(cck_chk_ical_duplicates,
                        EVENT(TIMES "DTSTART:20261204T090000Z\nDESCRIPTION:a\nDESCRIPTION:b\n")),
                 2);
    CHECK(fx_has(217, "line 9:1: DTSTART occurs 2 times in the VEVENT (first at line 7)"));
    CHECK(fx_has(217, "line 11:1: DESCRIPTION occurs 2 times"));
    /* properties that may repeat, and a VJOURNAL's DESCRIPTION */
    CHECK_EQ_INT(
        run_on(cck_chk_ical_duplicates,
               EVENT(TIMES "ORGANIZER:mailto:a@example.org\nATTENDEE:mailto:b@example.org\n"
                           "ATTENDEE:mailto:c@example.org\nCATEGORIES:a\nCATEGORIES:b\n"
                           "EXDATE:20261210T090000Z\nEXDATE:20261217T090000Z\n")),
        0);
    CHECK_EQ_INT(run_on(cck_chk_ical_duplicates,
                        HEAD "BEGIN:VJOURNAL\nUID:j@example.org\nDTSTAMP:20261101T120000Z\n"
                             "DESCRIPTION:a\nDESCRIPTION:b\nEND:VJOURNAL\n" TAIL),
                 0);
}

/* ---- 0220-0222: time zones ------------------------------------------------- */

#define VTZ_BERLIN                                                                                 \
    "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nBEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"  \
    "DTSTART:19700329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\n"              \
    "BEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nDTSTART:19701025T030000\n"              \
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nEND:VTIMEZONE\n"

static void test_tzid(void)
{
    CHECK_EQ_INT(run_on(cck_chk_ical_tzid, EVENT("DTSTART;TZID=Europe/Atlantis:20261203T090000\n"
                                                 "DTEND;TZID=Europe/Atlantis:20261203T100000\n")),
                 1);
    CHECK_EQ_STR(fx_text(220),
                 "line 7:9: TZID \"Europe/Atlantis\" of DTSTART is neither a "
                 "VTIMEZONE of the file nor a known IANA or Windows zone (and 1 more)");
    CHECK_EQ_INT(
        run_on(cck_chk_ical_tzid, EVENT("DTSTART;TZID=W. Europe Standard Time:20261203T090000\n")),
        1);
    CHECK_EQ_STR(fx_text(221), "line 7:9: TZID \"W. Europe Standard Time\" of DTSTART is a Windows "
                               "zone name (Europe/Berlin) without a VTIMEZONE");
    /* an IANA zone, a VTIMEZONE of the file, UTC: nothing */
    CHECK_EQ_INT(run_on(cck_chk_ical_tzid, EVENT("DTSTART;TZID=America/New_York:20261203T090000\n"
                                                 "DTEND;TZID=\"Europe/Berlin\":20261203T100000\n")),
                 0);
    CHECK_EQ_INT(run_on(cck_chk_ical_tzid,
                        HEAD VTZ_BERLIN EVHEAD "DTSTART;TZID=Europe/Berlin:20261203T090000\n"
                                               "END:VEVENT\n" TAIL),
                 0);
    /* a Windows name the file defines is its VTIMEZONE */
    CHECK_EQ_INT(run_on(cck_chk_ical_tzid, HEAD
                        "BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\nBEGIN:STANDARD\n"
                        "TZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nDTSTART:16010101T000000\n"
                        "END:STANDARD\nEND:VTIMEZONE\n" EVHEAD
                        "DTSTART;TZID=W. Europe Standard Time:20261203T090000\nEND:VEVENT\n" TAIL),
                 0);
    /* an alarm's and an EXDATE's TZID count too */
    CHECK_EQ_INT(
        run_on(cck_chk_ical_tzid, EVENT(TIMES "EXDATE;TZID=Mars/Olympus:20261210T090000\n")), 1);
    CHECK(fx_has(220, "line 9:8: TZID \"Mars/Olympus\" of EXDATE"));
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_tzid, &ld_cal), 0);
}

static void test_vtimezone(void)
{
    load(HEAD "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nEND:VTIMEZONE\n" EVHEAD TIMES
              "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_vtimezone, &ld_cal), 1);
    CHECK(fx_find(222) != NULL);
    CHECK(strncmp(fx_text(222), "line 4:1: ", 10) == 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_vtimezone, &ld_item), 0);
    load(HEAD "BEGIN:VTIMEZONE\nBEGIN:STANDARD\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\n"
              "DTSTART:16010101T000000\nEND:STANDARD\nEND:VTIMEZONE\n" EVHEAD TIMES
              "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_vtimezone, &ld_cal), 1);
    load(HEAD VTZ_BERLIN EVHEAD TIMES "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_vtimezone, &ld_cal), 0);
}

/* ---- 0225-0227: the VCALENDAR ----------------------------------------------- */

static void test_calendar(void)
{
    load(EVENT(TIMES));
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_version, &ld_cal), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_prodid, &ld_cal), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_method, &ld_cal), 0);

    load("BEGIN:VCALENDAR\nVERSION:1.0\n" EVHEAD TIMES "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_version, &ld_cal), 1);
    CHECK_EQ_STR(fx_text(225),
                 "line 2:1: VERSION is \"1.0\": a vCalendar 1.0 file, not iCalendar 2.0");
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_version, &ld_item), 0); /* the calendar's only */
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_prodid, &ld_cal), 1);
    CHECK_EQ_STR(fx_text(226), "line 1:1: VCALENDAR has no PRODID");
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_prodid, &ld_item), 0);

    load("BEGIN:VCALENDAR\nPRODID:x\n" EVHEAD TIMES "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_version, &ld_cal), 1);
    CHECK_EQ_STR(fx_text(225), "line 1:1: VCALENDAR has no VERSION");
    load("BEGIN:VCALENDAR\nVERSION:3.0\nPRODID:x\n" EVHEAD TIMES "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_version, &ld_cal), 1);
    CHECK_EQ_STR(fx_text(225), "line 2:1: VERSION \"3.0\" is not \"2.0\"");
    load("BEGIN:VCALENDAR\nVERSION:1.0;2.0\nPRODID:x\n" EVHEAD TIMES "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_version, &ld_cal), 0);

    /* no VCALENDAR at all: 0205 says so, not 0225/0226 */
    load(EVHEAD TIMES "END:VEVENT\n");
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_version, &ld_cal), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_prodid, &ld_cal), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_syntax, &ld_item), 1);
    CHECK(fx_has(205, "line 1:1: BEGIN:VEVENT outside any VCALENDAR"));

    load(HEAD "METHOD:REQUEST\n" EVHEAD TIMES "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_method, &ld_cal), 1);
    CHECK_EQ_STR(fx_text(227), "line 4:1: METHOD \"REQUEST\": the file is an iTIP scheduling "
                               "message, not a stored calendar");
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_method, &ld_item), 0);
    load(HEAD "METHOD:PUBLISH\n" EVHEAD TIMES "END:VEVENT\n" TAIL);
    CHECK_EQ_INT(fx_run_show(cck_chk_ical_method, &ld_cal), 0);
}

/* ---- 0228: ATTENDEE without ORGANIZER --------------------------------------- */

static void test_organizer(void)
{
    CHECK_EQ_INT(
        run_on(cck_chk_ical_organizer, EVENT(TIMES "ATTENDEE;CN=Grace:mailto:grace@example.org\n"
                                                   "ATTENDEE:mailto:alan@example.org\n")),
        1);
    CHECK_EQ_STR(fx_text(228), "line 9:1: ATTENDEE \"mailto:grace@example.org\" (2 attendees) but "
                               "the VEVENT has no ORGANIZER");
    CHECK_EQ_INT(run_on(cck_chk_ical_organizer, EVENT(TIMES "ATTENDEE:mailto:grace@example.org\n"
                                                            "ORGANIZER:mailto:ada@example.org\n")),
                 0);
    /* an e-mail alarm's ATTENDEE is no meeting */
    CHECK_EQ_INT(run_on(cck_chk_ical_organizer,
                        EVENT(TIMES "BEGIN:VALARM\nACTION:EMAIL\nSUMMARY:r\nDESCRIPTION:r\n"
                                    "TRIGGER:-PT5M\nATTENDEE:mailto:me@example.org\nEND:VALARM\n")),
                 0);
    /* an override keeps its series' ORGANIZER; without one it is reported */
    static const char series[] = HEAD EVHEAD
        "DTSTART:20261203T090000Z\nRRULE:FREQ=DAILY;COUNT=5\n"
        "ORGANIZER:mailto:ada@example.org\nATTENDEE:mailto:grace@example.org\n"
        "END:VEVENT\n" EVHEAD "RECURRENCE-ID:20261204T090000Z\n"
        "DTSTART:20261204T100000Z\nATTENDEE:mailto:grace@example.org\nEND:VEVENT\n" TAIL;
    CHECK_EQ_INT(run_on(cck_chk_ical_organizer, series), 0);
    CHECK_EQ_INT(run_on(cck_chk_ical_organizer,
                        HEAD EVHEAD "DTSTART:20261203T090000Z\nRRULE:FREQ=DAILY;COUNT=5\n"
                                    "END:VEVENT\n" EVHEAD "RECURRENCE-ID:20261204T090000Z\n"
                                    "DTSTART:20261204T100000Z\nATTENDEE:mailto:grace@example.org\n"
                                    "END:VEVENT\n" TAIL),
                 1);
    CHECK(fx_has(228, "line 15:1: ATTENDEE \"mailto:grace@example.org\" (1 attendee)"));
}

int main(void)
{
    fx_setup();
    RUN(test_syntax_map);
    RUN(test_syntax);
    RUN(test_required);
    RUN(test_values);
    RUN(test_order);
    RUN(test_duration);
    RUN(test_date_types);
    RUN(test_duplicates);
    RUN(test_tzid);
    RUN(test_vtimezone);
    RUN(test_calendar);
    RUN(test_organizer);
    ld_free();
    fx_teardown();
    return unit_done();
}
