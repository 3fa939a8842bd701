/* recur.c - decodes RecurrencePattern ([MS-OXOCAL] 2.2.1.44.1) and
 * AppointmentRecurrencePattern (2.2.1.44.5) with ExceptionInfo (2.2.1.44.2),
 * ExtendedException (2.2.1.44.3) and ChangeHighlight (2.2.1.44.4), checks the
 * rules those sections state (versions, enumerations, sorted dates, counts
 * that must agree, string lengths) and renders the result through cck_emit.
 */
#include "recur.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/cursor.h"
#include "util/time.h"

/* Reading state: once a field does not fit, `stop` is set and nothing after
 * it is decoded (the rest of the blob cannot be located). */
typedef struct rd {
    cck_cur c;
    cck_arena *a;
    cck_problems *pr;
    bool stop;
    bool oom;
} rd;

#define ERR  CCK_SEV_ERROR
#define WARN CCK_SEV_WARNING

static bool need(rd *r, size_t n, const char *what)
{
    if (r->stop)
        return false;
    size_t left = cck_cur_left(&r->c);
    if (left >= n)
        return true;
    cck_problems_add(r->pr, ERR, "recur.truncated", r->c.pos,
                     "blob ends inside %s: %zu bytes needed, %zu remain", what, n, left);
    r->stop = true;
    return false;
}

/* Read a field of the named struct `x` or leave the function with false. */
#define RD16(x, f)                                                                                 \
    do {                                                                                           \
        if (!need(r, 2, #f))                                                                       \
            return false;                                                                          \
        (x)->f = cck_cur_u16(&r->c);                                                               \
    } while (0)
#define RD32(x, f)                                                                                 \
    do {                                                                                           \
        if (!need(r, 4, #f))                                                                       \
            return false;                                                                          \
        (x)->f = cck_cur_u32(&r->c);                                                               \
    } while (0)

/* ---- names ---------------------------------------------------------------- */

const char *cck_recur_frequency_name(uint32_t v)
{
    switch (v) {
    case CCK_RECUR_FREQ_DAILY:
        return "Daily";
    case CCK_RECUR_FREQ_WEEKLY:
        return "Weekly";
    case CCK_RECUR_FREQ_MONTHLY:
        return "Monthly";
    case CCK_RECUR_FREQ_YEARLY:
        return "Yearly";
    }
    return NULL;
}

const char *cck_recur_pattern_type_name(uint32_t v)
{
    switch (v) {
    case CCK_PATTERN_DAY:
        return "Day";
    case CCK_PATTERN_WEEK:
        return "Week";
    case CCK_PATTERN_MONTH:
        return "Month";
    case CCK_PATTERN_MONTHNTH:
        return "MonthNth";
    case CCK_PATTERN_MONTHEND:
        return "MonthEnd";
    case CCK_PATTERN_HJMONTH:
        return "HjMonth";
    case CCK_PATTERN_HJMONTHNTH:
        return "HjMonthNth";
    case CCK_PATTERN_HJMONTHEND:
        return "HjMonthEnd";
    }
    return NULL;
}

const char *cck_recur_calendar_type_name(uint32_t v)
{
    /* 2.2.1.44.1 CalendarType; 0x0D, 0x15 and 0x16 are not defined. */
    static const char *const names[] = {
        "Default",
        "CAL_GREGORIAN",
        "CAL_GREGORIAN_US",
        "CAL_JAPAN",
        "CAL_TAIWAN",
        "CAL_KOREA",
        "CAL_HIJRI",
        "CAL_THAI",
        "CAL_HEBREW",
        "CAL_GREGORIAN_ME_FRENCH",
        "CAL_GREGORIAN_ARABIC",
        "CAL_GREGORIAN_XLIT_ENGLISH",
        "CAL_GREGORIAN_XLIT_FRENCH",
        NULL,
        "CAL_JAPANESELUNAR",
        "CAL_CHINESELUNAR",
        "CAL_SAKA",
        "CAL_LUNAR_ETO_CHN",
        "CAL_LUNAR_ETO_KOR",
        "CAL_LUNAR_ROKUYOU",
        "CAL_KOREANLUNAR",
        NULL,
        NULL,
        "CAL_UMALQURA",
    };
    return v < sizeof names / sizeof names[0] ? names[v] : NULL;
}

const char *cck_recur_end_type_name(uint32_t v)
{
    switch (v) {
    case CCK_END_AFTER_DATE:
        return "EndAfterDate";
    case CCK_END_AFTER_N:
        return "EndAfterNOccurrences";
    case CCK_END_NEVER:
    case CCK_END_NEVER2:
        return "NeverEnd";
    }
    return NULL;
}

static bool is_month_family(uint32_t pt)
{
    return pt == CCK_PATTERN_MONTH || pt == CCK_PATTERN_MONTHNTH || pt == CCK_PATTERN_MONTHEND ||
           pt == CCK_PATTERN_HJMONTH || pt == CCK_PATTERN_HJMONTHNTH ||
           pt == CCK_PATTERN_HJMONTHEND;
}

bool cck_recur_combination_valid(uint32_t frequency, uint32_t pattern_type)
{
    switch (frequency) {
    case CCK_RECUR_FREQ_DAILY: /* Week here means "every weekday" */
        return pattern_type == CCK_PATTERN_DAY || pattern_type == CCK_PATTERN_WEEK;
    case CCK_RECUR_FREQ_WEEKLY:
        return pattern_type == CCK_PATTERN_WEEK;
    case CCK_RECUR_FREQ_MONTHLY:
    case CCK_RECUR_FREQ_YEARLY:
        return is_month_family(pattern_type);
    }
    return false;
}

int cck_recur_pattern_specific_size(uint32_t pattern_type)
{
    switch (pattern_type) {
    case CCK_PATTERN_DAY:
        return 0;
    case CCK_PATTERN_WEEK:
    case CCK_PATTERN_MONTH:
    case CCK_PATTERN_MONTHEND:
    case CCK_PATTERN_HJMONTH:
    case CCK_PATTERN_HJMONTHEND:
        return 4;
    case CCK_PATTERN_MONTHNTH:
    case CCK_PATTERN_HJMONTHNTH:
        return 8;
    }
    return -1;
}

char *cck_recur_days_fmt(uint32_t bits, char *buf, size_t n)
{
    static const char *const d[7] = {"Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"};
    size_t k = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    for (int i = 0; i < 7; i++) {
        if (!(bits & (1u << i)))
            continue;
        int w = snprintf(buf + k, n - k, "%s%s", k ? " " : "", d[i]);
        if (w < 0 || (size_t)w >= n - k)
            break;
        k += (size_t)w;
    }
    if (bits & ~0x7Fu) {
        int w = snprintf(buf + k, n - k, "%sundefined bits", k ? " + " : "");
        (void)w;
    } else if (bits == 0) {
        snprintf(buf, n, "no day");
    }
    return buf;
}

/* ---- RecurrencePattern ---------------------------------------------------- */

static bool ascending(const uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] <= v[i - 1])
            return false;
    return true;
}

/* Binary search of an ascending array (keeps hostile counts from making the
 * exception checks quadratic). */
static bool contains(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] == x)
            return true;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Reads `count` instance dates. The count is checked against the bytes left
 * and against CCK_RECUR_MAX_INSTANCES before anything is allocated. */
static bool read_dates(rd *r, uint32_t count, const char *what, const uint32_t **out, size_t *nout)
{
    size_t at = r->c.pos, left = cck_cur_left(&r->c);
    size_t keep = count;
    bool fits = (uint64_t)count * 4 <= left;
    if (!fits) {
        cck_problems_add(r->pr, ERR, "recur.truncated", at,
                         "blob ends inside %s: %" PRIu32 " dates need %llu bytes, %zu remain", what,
                         count, (unsigned long long)count * 4, left);
        keep = left / 4;
    }
    if (keep > CCK_RECUR_MAX_INSTANCES) {
        cck_problems_add(r->pr, ERR, "recur.too_many", at,
                         "%s count %" PRIu32 " exceeds the limit of %u; only the first %u decoded",
                         what, count, CCK_RECUR_MAX_INSTANCES, CCK_RECUR_MAX_INSTANCES);
        keep = CCK_RECUR_MAX_INSTANCES;
    }
    uint32_t *v = cck_arena_calloc(r->a, keep ? keep : 1, sizeof *v);
    if (!v) {
        r->oom = r->stop = true;
        return false;
    }
    for (size_t i = 0; i < keep; i++)
        v[i] = cck_cur_u32(&r->c);
    *out = v;
    *nout = keep;
    if (!fits) {
        r->stop = true;
        return false;
    }
    cck_cur_skip(&r->c, ((size_t)count - keep) * 4);
    /* [MS-OXOCAL] 2.2.1.44.1: both arrays are in ascending order, one entry per
     * day (an instance is midnight of its day in local time). */
    for (size_t i = 0; i < keep; i++) {
        if (i > 0 && v[i] <= v[i - 1]) {
            char b1[CCK_TIME_BUF], b2[CCK_TIME_BUF];
            cck_problems_add(r->pr, ERR, "recur.unsorted", at + 4 * i,
                             "%s[%zu] %s is not after [%zu] %s (must be ascending)", what, i,
                             cck_fmt_minutes(v[i], b1), i - 1, cck_fmt_minutes(v[i - 1], b2));
            break;
        }
    }
    for (size_t i = 0; i < keep; i++) {
        if (v[i] % 1440) {
            char b1[CCK_TIME_BUF];
            cck_problems_add(r->pr, WARN, "recur.not_midnight", at + 4 * i,
                             "%s[%zu] %s is not at midnight", what, i, cck_fmt_minutes(v[i], b1));
            break;
        }
    }
    return true;
}

static void check_pattern_specific(rd *r, cck_recur *x, size_t at)
{
    switch (x->PatternType) {
    case CCK_PATTERN_WEEK:
    case CCK_PATTERN_MONTHNTH:
    case CCK_PATTERN_HJMONTHNTH:
        if (x->DayOfWeek == 0 || (x->DayOfWeek & ~0x7Fu))
            cck_problems_add(r->pr, ERR, "recur.bad_pattern_specific", at,
                             "PatternTypeSpecific day bits 0x%08" PRIX32
                             " name no day or undefined days",
                             x->DayOfWeek);
        if (x->PatternType != CCK_PATTERN_WEEK && (x->N < 1 || x->N > 5))
            cck_problems_add(r->pr, ERR, "recur.bad_pattern_specific", at + 4,
                             "PatternTypeSpecific N %" PRIu32 " is not 1..5", x->N);
        break;
    case CCK_PATTERN_MONTH:
    case CCK_PATTERN_MONTHEND:
    case CCK_PATTERN_HJMONTH:
    case CCK_PATTERN_HJMONTHEND:
        if (x->Day < 1 || x->Day > 31)
            cck_problems_add(r->pr, ERR, "recur.bad_pattern_specific", at,
                             "PatternTypeSpecific Day %" PRIu32 " is not 1..31", x->Day);
        break;
    }
}

static void check_period(rd *r, const cck_recur *x, size_t at)
{
    if (x->Period == 0) {
        cck_problems_add(r->pr, ERR, "recur.bad_period", at, "Period 0 never advances");
        return;
    }
    if (x->RecurFrequency == CCK_RECUR_FREQ_DAILY && x->PatternType == CCK_PATTERN_DAY &&
        x->Period % 1440)
        cck_problems_add(r->pr, ERR, "recur.bad_period", at,
                         "Period %" PRIu32 " of a daily pattern is not a whole number of days "
                         "(1440 minutes)",
                         x->Period);
    if (x->RecurFrequency == CCK_RECUR_FREQ_YEARLY && x->Period % 12)
        cck_problems_add(r->pr, ERR, "recur.bad_period", at,
                         "Period %" PRIu32 " of a yearly pattern is not a multiple of 12 months",
                         x->Period);
}

/* The field order of 2.2.1.44.1. Returns false once the pattern is cut short
 * or cannot be followed (an undefined PatternType hides the next field). */
static bool parse_pattern(rd *r, cck_recur *x)
{
    size_t base = r->c.pos, at;

    at = r->c.pos;
    RD16(x, ReaderVersion);
    if (x->ReaderVersion != CCK_RECUR_VERSION)
        cck_problems_add(r->pr, ERR, "recur.version", at, "ReaderVersion 0x%04X is not 0x3004",
                         x->ReaderVersion);
    at = r->c.pos;
    RD16(x, WriterVersion);
    if (x->WriterVersion != CCK_RECUR_VERSION)
        cck_problems_add(r->pr, ERR, "recur.version", at, "WriterVersion 0x%04X is not 0x3004",
                         x->WriterVersion);
    size_t at_freq = r->c.pos;
    RD16(x, RecurFrequency);
    if (!cck_recur_frequency_name(x->RecurFrequency))
        cck_problems_add(r->pr, ERR, "recur.bad_frequency", at_freq,
                         "RecurFrequency 0x%04X is not defined", x->RecurFrequency);
    size_t at_pt = r->c.pos;
    RD16(x, PatternType);
    int specific = cck_recur_pattern_specific_size(x->PatternType);
    if (specific < 0)
        cck_problems_add(r->pr, ERR, "recur.bad_pattern_type", at_pt,
                         "PatternType 0x%04X is not defined", x->PatternType);
    else if (cck_recur_frequency_name(x->RecurFrequency) &&
             !cck_recur_combination_valid(x->RecurFrequency, x->PatternType))
        cck_problems_add(r->pr, ERR, "recur.bad_combination", at_pt,
                         "PatternType 0x%04X (%s) cannot go with RecurFrequency 0x%04X (%s)",
                         x->PatternType, cck_recur_pattern_type_name(x->PatternType),
                         x->RecurFrequency, cck_recur_frequency_name(x->RecurFrequency));
    at = r->c.pos;
    RD16(x, CalendarType);
    if (!cck_recur_calendar_type_name(x->CalendarType))
        cck_problems_add(r->pr, ERR, "recur.bad_calendar_type", at,
                         "CalendarType 0x%04X is not defined", x->CalendarType);
    RD32(x, FirstDateTime);
    at = r->c.pos;
    RD32(x, Period);
    check_period(r, x, at);
    RD32(x, SlidingFlag);
    if (specific < 0) {
        /* The size of PatternTypeSpecific is unknown, so nothing after it can be found. */
        r->stop = true;
        return false;
    }
    at = r->c.pos;
    x->PatternTypeSpecificSize = (size_t)specific;
    if (!need(r, (size_t)specific, "PatternTypeSpecific"))
        return false;
    if (x->PatternType == CCK_PATTERN_WEEK) {
        x->DayOfWeek = cck_cur_u32(&r->c);
    } else if (specific == 8) {
        x->DayOfWeek = cck_cur_u32(&r->c);
        x->N = cck_cur_u32(&r->c);
    } else if (specific == 4) {
        x->Day = cck_cur_u32(&r->c);
    }
    check_pattern_specific(r, x, at);
    size_t at_end = r->c.pos;
    RD32(x, EndType);
    if (!cck_recur_end_type_name(x->EndType))
        cck_problems_add(r->pr, ERR, "recur.bad_end_type", at_end,
                         "EndType 0x%08" PRIX32 " is not defined", x->EndType);
    size_t at_occ = r->c.pos;
    RD32(x, OccurrenceCount);
    at = r->c.pos;
    RD32(x, FirstDOW);
    if (x->FirstDOW > 6)
        cck_problems_add(r->pr, ERR, "recur.bad_first_dow", at,
                         "FirstDOW %" PRIu32 " is not a day of the week (0..6)", x->FirstDOW);
    RD32(x, DeletedInstanceCount);
    if (!read_dates(r, x->DeletedInstanceCount, "DeletedInstanceDates", &x->DeletedInstanceDates,
                    &x->n_deleted))
        return false;
    size_t at_mod = r->c.pos;
    RD32(x, ModifiedInstanceCount);
    if (!read_dates(r, x->ModifiedInstanceCount, "ModifiedInstanceDates", &x->ModifiedInstanceDates,
                    &x->n_modified))
        return false;
    if (x->ModifiedInstanceCount > x->DeletedInstanceCount)
        cck_problems_add(r->pr, ERR, "recur.modified_not_deleted", at_mod,
                         "ModifiedInstanceCount %" PRIu32 " exceeds DeletedInstanceCount %" PRIu32,
                         x->ModifiedInstanceCount, x->DeletedInstanceCount);
    size_t at_start = r->c.pos;
    RD32(x, StartDate);
    size_t at_enddate = r->c.pos;
    RD32(x, EndDate);
    x->complete = true;
    x->size = r->c.pos - base;

    char b1[CCK_TIME_BUF], b2[CCK_TIME_BUF];
    if (x->StartDate > x->EndDate)
        cck_problems_add(r->pr, ERR, "recur.start_after_end", at_start,
                         "StartDate %s is after EndDate %s", cck_fmt_minutes(x->StartDate, b1),
                         cck_fmt_minutes(x->EndDate, b2));
    if (x->StartDate % 1440)
        cck_problems_add(r->pr, WARN, "recur.not_midnight", at_start,
                         "StartDate %s is not at midnight", cck_fmt_minutes(x->StartDate, b1));
    /* EndType, OccurrenceCount and EndDate describe one end (2.2.1.44.1). */
    if ((x->EndType == CCK_END_NEVER || x->EndType == CCK_END_NEVER2) &&
        x->EndDate != CCK_RECUR_NO_END_DATE)
        cck_problems_add(r->pr, ERR, "recur.end_mismatch", at_enddate,
                         "EndType 0x%08" PRIX32 " (never ends) but EndDate %s is not 0x5AE980DF",
                         x->EndType, cck_fmt_minutes(x->EndDate, b1));
    if ((x->EndType == CCK_END_AFTER_DATE || x->EndType == CCK_END_AFTER_N) &&
        x->EndDate == CCK_RECUR_NO_END_DATE)
        cck_problems_add(r->pr, ERR, "recur.end_mismatch", at_enddate,
                         "EndType 0x%08" PRIX32 " ends the series but EndDate is 0x5AE980DF "
                         "(no end)",
                         x->EndType);
    if (x->EndType == CCK_END_AFTER_N && x->OccurrenceCount == 0)
        cck_problems_add(r->pr, ERR, "recur.end_mismatch", at_occ,
                         "EndType 0x00002022 (after N occurrences) with OccurrenceCount 0");
    return true;
}

static cck_recur *pattern_into(rd *r, cck_recur *x)
{
    parse_pattern(r, x);
    if (!x->complete)
        x->size = r->c.pos;
    return r->oom ? NULL : x;
}

const cck_recur *cck_recur_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr)
{
    rd r = {.a = a, .pr = pr};
    cck_cur_init(&r.c, p, n);
    cck_recur *x = cck_arena_alloc(a, sizeof *x);
    if (!x)
        return NULL;
    if (!pattern_into(&r, x))
        return NULL;
    if (x->complete && cck_cur_left(&r.c))
        cck_problems_add(pr, WARN, "recur.trailing", r.c.pos,
                         "%zu bytes follow the RecurrencePattern", cck_cur_left(&r.c));
    return x;
}

/* ---- ExceptionInfo / ExtendedException ------------------------------------ */

/* Reads an 8-bit string of `len` bytes; flags an embedded NUL (2.2.1.44.2:
 * the string is not NUL-terminated, so a NUL means a damaged length). */
static bool read_str8(rd *r, size_t len, const char *what, const char *nul_code,
                      const uint8_t **out, size_t *nout, cck_str *utf8)
{
    size_t at = r->c.pos;
    if (!need(r, len, what))
        return false;
    const uint8_t *src = cck_cur_bytes(&r->c, len);
    uint8_t *copy = (uint8_t *)cck_arena_strndup(r->a, (const char *)src, len);
    if (!copy || cck_cp_to_utf8(r->a, 1252, src, len, utf8) < 0) {
        r->oom = r->stop = true;
        return false;
    }
    *out = copy;
    *nout = len;
    const uint8_t *z = memchr(src, 0, len);
    if (z)
        cck_problems_add(r->pr, ERR, nul_code, at + (size_t)(z - src),
                         "%s holds a NUL at byte %zu of %zu", what, (size_t)(z - src), len);
    return true;
}

static bool parse_exception(rd *r, cck_exception_info *x)
{
    x->offset = r->c.pos;
    RD32(x, StartDateTime);
    RD32(x, EndDateTime);
    RD32(x, OriginalStartDate);
    size_t at = r->c.pos;
    RD16(x, OverrideFlags);
    if (x->EndDateTime < x->StartDateTime) {
        char b1[CCK_TIME_BUF], b2[CCK_TIME_BUF];
        cck_problems_add(r->pr, ERR, "recur.exception_times", x->offset,
                         "ExceptionInfo StartDateTime %s is after EndDateTime %s",
                         cck_fmt_minutes(x->StartDateTime, b1),
                         cck_fmt_minutes(x->EndDateTime, b2));
    }
    if (x->OverrideFlags & ~CCK_ARO_ALL)
        cck_problems_add(r->pr, WARN, "recur.bad_override_flags", at,
                         "OverrideFlags 0x%04X has undefined bits 0x%04X", x->OverrideFlags,
                         (unsigned)(x->OverrideFlags & ~CCK_ARO_ALL));
    uint16_t f = x->OverrideFlags;
    if (f & CCK_ARO_SUBJECT) {
        at = r->c.pos;
        RD16(x, SubjectLength);
        RD16(x, SubjectLength2);
        if (x->SubjectLength != (uint32_t)x->SubjectLength2 + 1)
            cck_problems_add(r->pr, ERR, "recur.subject_length", at,
                             "SubjectLength %u is not SubjectLength2 %u + 1", x->SubjectLength,
                             x->SubjectLength2);
        if (!read_str8(r, x->SubjectLength2, "Subject", "recur.subject_nul", &x->Subject,
                       &x->n_subject, &x->SubjectUtf8))
            return false;
    }
    if (f & CCK_ARO_MEETINGTYPE)
        RD32(x, MeetingType);
    if (f & CCK_ARO_REMINDERDELTA)
        RD32(x, ReminderDelta);
    if (f & CCK_ARO_REMINDER)
        RD32(x, ReminderSet);
    if (f & CCK_ARO_LOCATION) {
        at = r->c.pos;
        RD16(x, LocationLength);
        RD16(x, LocationLength2);
        if (x->LocationLength != (uint32_t)x->LocationLength2 + 1)
            cck_problems_add(r->pr, ERR, "recur.location_length", at,
                             "LocationLength %u is not LocationLength2 %u + 1", x->LocationLength,
                             x->LocationLength2);
        if (!read_str8(r, x->LocationLength2, "Location", "recur.location_nul", &x->Location,
                       &x->n_location, &x->LocationUtf8))
            return false;
    }
    if (f & CCK_ARO_BUSYSTATUS)
        RD32(x, BusyStatus);
    if (f & CCK_ARO_ATTACHMENT)
        RD32(x, Attachment);
    if (f & CCK_ARO_SUBTYPE)
        RD32(x, SubType);
    if (f & CCK_ARO_APPTCOLOR)
        RD32(x, AppointmentColor);
    x->complete = true;
    return true;
}

/* Skips a reserved block whose size was just read; the spec wants it empty. */
static bool skip_block(rd *r, uint32_t size, size_t at_size, const char *what)
{
    if (!need(r, size, what))
        return false;
    cck_cur_skip(&r->c, size);
    if (size)
        cck_problems_add(r->pr, WARN, "recur.reserved_block", at_size,
                         "%sSize %" PRIu32 " is not 0", what, size);
    return true;
}

static bool all_ascii(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] >= 0x80)
            return false;
    return true;
}

/* The wide string repeats the 8-bit one; with only ASCII in the 8-bit form
 * both lengths must agree, otherwise a UTF-16 form can only be shorter. */
static void check_wide_len(rd *r, size_t at, const char *what, uint16_t wide, const uint8_t *s8,
                           size_t n8)
{
    bool bad = all_ascii(s8, n8) ? wide != n8 : wide > n8;
    if (bad)
        cck_problems_add(r->pr, WARN, "recur.widechar_length", at,
                         "WideChar%sLength %u disagrees with the ExceptionInfo %s length %zu", what,
                         wide, what, n8);
}

static bool read_wide(rd *r, uint16_t len, const char *what, cck_str *out)
{
    size_t bytes = (size_t)len * 2;
    if (!need(r, bytes, what))
        return false;
    const uint8_t *src = cck_cur_bytes(&r->c, bytes);
    if (cck_utf16le_to_utf8(r->a, src, bytes, out) < 0) {
        r->oom = r->stop = true;
        return false;
    }
    return true;
}

static bool parse_extended(rd *r, cck_extended_exception *x, const cck_exception_info *ei,
                           uint32_t writer2)
{
    size_t at;
    x->offset = r->c.pos;
    if (writer2 >= CCK_RECUR_VERSION2_HIGHLIGHT) {
        x->has_change_highlight = true;
        at = r->c.pos;
        RD32(x, ChangeHighlightSize);
        if (!need(r, x->ChangeHighlightSize, "ChangeHighlight"))
            return false;
        if (x->ChangeHighlightSize < 4) {
            cck_problems_add(r->pr, ERR, "recur.ee_size", at,
                             "ChangeHighlightSize %" PRIu32
                             " cannot hold the 4-byte ChangeHighlightValue",
                             x->ChangeHighlightSize);
            cck_cur_skip(&r->c, x->ChangeHighlightSize);
        } else {
            x->ChangeHighlightValue = cck_cur_u32(&r->c);
            cck_cur_skip(&r->c, x->ChangeHighlightSize - 4);
        }
    }
    at = r->c.pos;
    RD32(x, ReservedBlockEE1Size);
    if (!skip_block(r, x->ReservedBlockEE1Size, at, "ReservedBlockEE1"))
        return false;
    uint16_t f = ei ? ei->OverrideFlags : 0;
    if (f & (CCK_ARO_SUBJECT | CCK_ARO_LOCATION)) {
        x->has_dates = true;
        at = r->c.pos;
        RD32(x, StartDateTime);
        RD32(x, EndDateTime);
        RD32(x, OriginalStartDate);
        if (x->StartDateTime != ei->StartDateTime || x->EndDateTime != ei->EndDateTime ||
            x->OriginalStartDate != ei->OriginalStartDate) {
            char b1[CCK_TIME_BUF], b2[CCK_TIME_BUF];
            cck_problems_add(r->pr, ERR, "recur.ee_mismatch", at,
                             "ExtendedException dates (start %s, original %s) differ from "
                             "its ExceptionInfo's",
                             cck_fmt_minutes(x->StartDateTime, b1),
                             cck_fmt_minutes(x->OriginalStartDate, b2));
        }
        if (f & CCK_ARO_SUBJECT) {
            at = r->c.pos;
            RD16(x, WideCharSubjectLength);
            if (!read_wide(r, x->WideCharSubjectLength, "WideCharSubject", &x->WideCharSubject))
                return false;
            check_wide_len(r, at, "Subject", x->WideCharSubjectLength, ei->Subject, ei->n_subject);
        }
        if (f & CCK_ARO_LOCATION) {
            at = r->c.pos;
            RD16(x, WideCharLocationLength);
            if (!read_wide(r, x->WideCharLocationLength, "WideCharLocation", &x->WideCharLocation))
                return false;
            check_wide_len(r, at, "Location", x->WideCharLocationLength, ei->Location,
                           ei->n_location);
        }
        at = r->c.pos;
        RD32(x, ReservedBlockEE2Size);
        if (!skip_block(r, x->ReservedBlockEE2Size, at, "ReservedBlockEE2"))
            return false;
    }
    x->complete = true;
    return true;
}

static void check_exceptions(rd *r, const cck_apptrecur *x)
{
    const cck_recur *p = &x->RecurrencePattern;
    /* 2.2.1.44.5: one ExceptionInfo per modified instance; ExceptionInfo
     * entries are in the order of the instances they replace. */
    for (size_t i = 1; i < x->n_exception_info; i++) {
        const cck_exception_info *a = &x->ExceptionInfo[i - 1], *b = &x->ExceptionInfo[i];
        if (b->OriginalStartDate <= a->OriginalStartDate) {
            char b1[CCK_TIME_BUF];
            cck_problems_add(r->pr, WARN, "recur.unsorted", b->offset,
                             "ExceptionInfo[%zu] OriginalStartDate %s is not after the one "
                             "before (must be ascending)",
                             i, cck_fmt_minutes(b->OriginalStartDate, b1));
            break;
        }
    }
    /* An exception replaces the instance of its OriginalStartDate, whose day
     * is listed in DeletedInstanceDates; ModifiedInstanceDates list the day
     * each exception now starts on (both local midnight, 2.2.1.44.1). Note
     * that the modified dates are not a subset of the deleted ones: an
     * exception moved to another day appears under two different dates. */
    /* Unsorted arrays were reported already and cannot be searched. */
    if (!p->complete || !ascending(p->DeletedInstanceDates, p->n_deleted) ||
        !ascending(p->ModifiedInstanceDates, p->n_modified))
        return;
    for (size_t i = 0; i < x->n_exception_info; i++) {
        const cck_exception_info *e = &x->ExceptionInfo[i];
        uint32_t orig = e->OriginalStartDate - e->OriginalStartDate % 1440;
        uint32_t day = e->StartDateTime - e->StartDateTime % 1440;
        char b1[CCK_TIME_BUF];
        if (!contains(p->DeletedInstanceDates, p->n_deleted, orig)) {
            cck_problems_add(r->pr, ERR, "recur.modified_not_deleted", e->offset + 8,
                             "ExceptionInfo[%zu] OriginalStartDate %s falls on no "
                             "DeletedInstanceDates day",
                             i, cck_fmt_minutes(e->OriginalStartDate, b1));
            break;
        }
        if (!contains(p->ModifiedInstanceDates, p->n_modified, day)) {
            cck_problems_add(r->pr, WARN, "recur.exception_not_modified", e->offset,
                             "ExceptionInfo[%zu] StartDateTime %s falls on no "
                             "ModifiedInstanceDates day",
                             i, cck_fmt_minutes(e->StartDateTime, b1));
            break;
        }
    }
}

static bool parse_appt(rd *r, cck_apptrecur *x)
{
    cck_recur *p = &x->RecurrencePattern;
    if (!parse_pattern(r, p))
        return false;
    size_t at = r->c.pos;
    RD32(x, ReaderVersion2);
    if (x->ReaderVersion2 != CCK_RECUR_VERSION2)
        cck_problems_add(r->pr, ERR, "recur.version", at,
                         "ReaderVersion2 0x%08" PRIX32 " is not 0x3006", x->ReaderVersion2);
    at = r->c.pos;
    RD32(x, WriterVersion2);
    if (x->WriterVersion2 < CCK_RECUR_VERSION2)
        cck_problems_add(r->pr, ERR, "recur.version", at,
                         "WriterVersion2 0x%08" PRIX32 " is below 0x3006", x->WriterVersion2);
    at = r->c.pos;
    RD32(x, StartTimeOffset);
    if (x->StartTimeOffset >= 1440)
        cck_problems_add(r->pr, ERR, "recur.bad_time_offset", at,
                         "StartTimeOffset %" PRIu32 " is not within a day (0..1439 minutes)",
                         x->StartTimeOffset);
    at = r->c.pos;
    RD32(x, EndTimeOffset);
    if (x->EndTimeOffset < x->StartTimeOffset)
        cck_problems_add(r->pr, ERR, "recur.bad_time_offset", at,
                         "EndTimeOffset %" PRIu32 " is before StartTimeOffset %" PRIu32,
                         x->EndTimeOffset, x->StartTimeOffset);
    at = r->c.pos;
    RD16(x, ExceptionCount);
    if (x->ExceptionCount != p->ModifiedInstanceCount)
        cck_problems_add(r->pr, ERR, "recur.count_mismatch", at,
                         "ExceptionCount %u disagrees with ModifiedInstanceCount %" PRIu32,
                         x->ExceptionCount, p->ModifiedInstanceCount);
    /* Each ExceptionInfo takes at least 14 bytes, so no more than left/14 + 1
     * (the last one cut short) can be started: that bounds the allocation. */
    size_t cap = cck_cur_left(&r->c) / 14 + 1;
    if (cap > x->ExceptionCount)
        cap = x->ExceptionCount;
    x->ExceptionInfo = cck_arena_calloc(r->a, cap ? cap : 1, sizeof *x->ExceptionInfo);
    if (!x->ExceptionInfo) {
        r->oom = r->stop = true;
        return false;
    }
    for (size_t i = 0; i < cap; i++) {
        x->n_exception_info = i + 1;
        if (!parse_exception(r, &x->ExceptionInfo[i]))
            return false;
    }
    check_exceptions(r, x);
    at = r->c.pos;
    RD32(x, ReservedBlock1Size);
    if (!skip_block(r, x->ReservedBlock1Size, at, "ReservedBlock1"))
        return false;
    /* ExtendedException: one per ExceptionInfo, at least 4 bytes each. */
    cap = cck_cur_left(&r->c) / 4 + 1;
    if (cap > x->n_exception_info)
        cap = x->n_exception_info;
    x->ExtendedException = cck_arena_calloc(r->a, cap ? cap : 1, sizeof *x->ExtendedException);
    if (!x->ExtendedException) {
        r->oom = r->stop = true;
        return false;
    }
    for (size_t i = 0; i < cap; i++) {
        x->n_extended_exception = i + 1;
        if (!parse_extended(r, &x->ExtendedException[i], &x->ExceptionInfo[i], x->WriterVersion2))
            return false;
    }
    at = r->c.pos;
    RD32(x, ReservedBlock2Size);
    if (!skip_block(r, x->ReservedBlock2Size, at, "ReservedBlock2"))
        return false;
    x->complete = true;
    return true;
}

const cck_apptrecur *cck_apptrecur_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr)
{
    rd r = {.a = a, .pr = pr};
    cck_cur_init(&r.c, p, n);
    cck_apptrecur *x = cck_arena_alloc(a, sizeof *x);
    if (!x)
        return NULL;
    parse_appt(&r, x);
    if (r.oom)
        return NULL;
    if (!x->RecurrencePattern.complete)
        x->RecurrencePattern.size = r.c.pos;
    x->size = r.c.pos;
    if (x->complete && cck_cur_left(&r.c))
        cck_problems_add(pr, WARN, "recur.trailing", r.c.pos,
                         "%zu bytes follow the AppointmentRecurrencePattern", cck_cur_left(&r.c));
    return x;
}

/* ---- rendering ------------------------------------------------------------ */

void cck_mapi_emit_problems(const cck_problems *pr, cck_emit *e)
{
    cck_emit_begin_arr(e, "problems");
    for (size_t i = 0; pr && i < pr->n; i++) {
        const cck_problem *q = &pr->v[i];
        cck_emit_begin_obj(e, NULL);
        cck_emit_str(e, "code", q->code);
        cck_emit_str(e, "severity", cck_severity_name(q->sev));
        cck_emit_uint(e, "offset", q->offset);
        cck_emit_str(e, "text", q->text);
        cck_emit_end_obj(e);
    }
    cck_emit_end_arr(e);
    if (pr && pr->dropped)
        cck_emit_uint(e, "problems_dropped", pr->dropped);
}

static void emit_minutes(cck_emit *e, const char *key, uint32_t v)
{
    char b[CCK_TIME_BUF];
    cck_emit_uint_note(e, key, v, cck_fmt_minutes(v, b));
}

static void emit_dates(cck_emit *e, const char *key, const uint32_t *v, size_t n)
{
    cck_emit_begin_arr(e, key);
    for (size_t i = 0; i < n; i++)
        emit_minutes(e, NULL, v[i]);
    cck_emit_end_arr(e);
}

static const char *nth_name(uint32_t n)
{
    static const char *const names[] = {"first", "second", "third", "fourth", "last"};
    return n >= 1 && n <= 5 ? names[n - 1] : NULL;
}

static void emit_pattern_members(const cck_recur *r, cck_emit *e)
{
    char b[64];
    cck_emit_hex(e, "ReaderVersion", r->ReaderVersion, 4);
    cck_emit_hex(e, "WriterVersion", r->WriterVersion, 4);
    cck_emit_hex_note(e, "RecurFrequency", r->RecurFrequency, 4,
                      cck_recur_frequency_name(r->RecurFrequency));
    cck_emit_hex_note(e, "PatternType", r->PatternType, 4,
                      cck_recur_pattern_type_name(r->PatternType));
    cck_emit_hex_note(e, "CalendarType", r->CalendarType, 4,
                      cck_recur_calendar_type_name(r->CalendarType));
    cck_emit_uint(e, "FirstDateTime", r->FirstDateTime);
    const char *unit = NULL;
    if (r->RecurFrequency == CCK_RECUR_FREQ_DAILY && r->PatternType == CCK_PATTERN_DAY) {
        if (r->Period % 1440 == 0)
            snprintf(b, sizeof b, "%" PRIu32 " days", r->Period / 1440);
        else
            snprintf(b, sizeof b, "%" PRIu32 " minutes", r->Period);
        unit = b;
    } else if (r->RecurFrequency == CCK_RECUR_FREQ_WEEKLY ||
               r->RecurFrequency == CCK_RECUR_FREQ_DAILY) {
        snprintf(b, sizeof b, "%" PRIu32 " weeks", r->Period);
        unit = b;
    } else if (r->RecurFrequency == CCK_RECUR_FREQ_MONTHLY ||
               r->RecurFrequency == CCK_RECUR_FREQ_YEARLY) {
        snprintf(b, sizeof b, "%" PRIu32 " months", r->Period);
        unit = b;
    }
    cck_emit_uint_note(e, "Period", r->Period, unit);
    cck_emit_uint(e, "SlidingFlag", r->SlidingFlag);
    cck_emit_begin_obj(e, "PatternTypeSpecific");
    switch (r->PatternTypeSpecificSize) {
    case 4:
        if (r->PatternType == CCK_PATTERN_WEEK)
            cck_emit_hex_note(e, "DayOfWeek", r->DayOfWeek, 2,
                              cck_recur_days_fmt(r->DayOfWeek, b, sizeof b));
        else
            cck_emit_uint(e, "Day", r->Day);
        break;
    case 8:
        cck_emit_hex_note(e, "DayOfWeek", r->DayOfWeek, 2,
                          cck_recur_days_fmt(r->DayOfWeek, b, sizeof b));
        cck_emit_uint_note(e, "N", r->N, nth_name(r->N));
        break;
    }
    cck_emit_end_obj(e);
    cck_emit_hex_note(e, "EndType", r->EndType, 8, cck_recur_end_type_name(r->EndType));
    cck_emit_uint(e, "OccurrenceCount", r->OccurrenceCount);
    static const char *const dow[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};
    cck_emit_uint_note(e, "FirstDOW", r->FirstDOW, r->FirstDOW < 7 ? dow[r->FirstDOW] : NULL);
    cck_emit_uint(e, "DeletedInstanceCount", r->DeletedInstanceCount);
    emit_dates(e, "DeletedInstanceDates", r->DeletedInstanceDates, r->n_deleted);
    cck_emit_uint(e, "ModifiedInstanceCount", r->ModifiedInstanceCount);
    emit_dates(e, "ModifiedInstanceDates", r->ModifiedInstanceDates, r->n_modified);
    emit_minutes(e, "StartDate", r->StartDate);
    emit_minutes(e, "EndDate", r->EndDate);
}

void cck_recur_emit(const cck_recur *r, const cck_problems *pr, cck_emit *e, const char *key)
{
    cck_emit_begin_obj(e, key);
    if (r)
        emit_pattern_members(r, e);
    cck_mapi_emit_problems(pr, e);
    cck_emit_end_obj(e);
}

static char *override_flags_fmt(uint16_t f, char *buf, size_t n)
{
    static const char *const names[] = {
        "ARO_SUBJECT",   "ARO_MEETINGTYPE",     "ARO_REMINDERDELTA", "ARO_REMINDER",
        "ARO_LOCATION",  "ARO_BUSYSTATUS",      "ARO_ATTACHMENT",    "ARO_SUBTYPE",
        "ARO_APPTCOLOR", "ARO_EXCEPTIONAL_BODY"};
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < 10; i++) {
        if (!(f & (1u << i)))
            continue;
        int w = snprintf(buf + k, n - k, "%s%s", k ? "|" : "", names[i]);
        if (w < 0 || (size_t)w >= n - k)
            break;
        k += (size_t)w;
    }
    if (f == 0)
        snprintf(buf, n, "none");
    return buf;
}

static const char *busy_name(uint32_t v)
{
    static const char *const n[] = {"Free", "Tentative", "Busy", "OutOfOffice", "WorkingElsewhere"};
    return v < 5 ? n[v] : NULL;
}

static void emit_exception(const cck_exception_info *x, cck_emit *e)
{
    char b[256];
    cck_emit_begin_obj(e, NULL);
    emit_minutes(e, "StartDateTime", x->StartDateTime);
    emit_minutes(e, "EndDateTime", x->EndDateTime);
    emit_minutes(e, "OriginalStartDate", x->OriginalStartDate);
    cck_emit_hex_note(e, "OverrideFlags", x->OverrideFlags, 4,
                      override_flags_fmt(x->OverrideFlags, b, sizeof b));
    uint16_t f = x->OverrideFlags;
    if (f & CCK_ARO_SUBJECT) {
        cck_emit_uint(e, "SubjectLength", x->SubjectLength);
        cck_emit_uint(e, "SubjectLength2", x->SubjectLength2);
        if (x->SubjectUtf8.s)
            cck_emit_strn(e, "Subject", x->SubjectUtf8.s, x->SubjectUtf8.len);
    }
    if (f & CCK_ARO_MEETINGTYPE)
        cck_emit_hex(e, "MeetingType", x->MeetingType, 8);
    if (f & CCK_ARO_REMINDERDELTA)
        cck_emit_uint_note(e, "ReminderDelta", x->ReminderDelta, "minutes");
    if (f & CCK_ARO_REMINDER)
        cck_emit_uint(e, "ReminderSet", x->ReminderSet);
    if (f & CCK_ARO_LOCATION) {
        cck_emit_uint(e, "LocationLength", x->LocationLength);
        cck_emit_uint(e, "LocationLength2", x->LocationLength2);
        if (x->LocationUtf8.s)
            cck_emit_strn(e, "Location", x->LocationUtf8.s, x->LocationUtf8.len);
    }
    if (f & CCK_ARO_BUSYSTATUS)
        cck_emit_uint_note(e, "BusyStatus", x->BusyStatus, busy_name(x->BusyStatus));
    if (f & CCK_ARO_ATTACHMENT)
        cck_emit_uint(e, "Attachment", x->Attachment);
    if (f & CCK_ARO_SUBTYPE)
        cck_emit_uint(e, "SubType", x->SubType);
    if (f & CCK_ARO_APPTCOLOR)
        cck_emit_uint(e, "AppointmentColor", x->AppointmentColor);
    cck_emit_end_obj(e);
}

static void emit_extended(const cck_extended_exception *x, cck_emit *e)
{
    cck_emit_begin_obj(e, NULL);
    if (x->has_change_highlight) {
        cck_emit_begin_obj(e, "ChangeHighlight");
        cck_emit_uint(e, "ChangeHighlightSize", x->ChangeHighlightSize);
        cck_emit_hex(e, "ChangeHighlightValue", x->ChangeHighlightValue, 8);
        cck_emit_end_obj(e);
    }
    cck_emit_uint(e, "ReservedBlockEE1Size", x->ReservedBlockEE1Size);
    if (x->has_dates) {
        emit_minutes(e, "StartDateTime", x->StartDateTime);
        emit_minutes(e, "EndDateTime", x->EndDateTime);
        emit_minutes(e, "OriginalStartDate", x->OriginalStartDate);
        if (x->WideCharSubject.s) {
            cck_emit_uint(e, "WideCharSubjectLength", x->WideCharSubjectLength);
            cck_emit_strn(e, "WideCharSubject", x->WideCharSubject.s, x->WideCharSubject.len);
        }
        if (x->WideCharLocation.s) {
            cck_emit_uint(e, "WideCharLocationLength", x->WideCharLocationLength);
            cck_emit_strn(e, "WideCharLocation", x->WideCharLocation.s, x->WideCharLocation.len);
        }
        cck_emit_uint(e, "ReservedBlockEE2Size", x->ReservedBlockEE2Size);
    }
    cck_emit_end_obj(e);
}

void cck_apptrecur_emit(const cck_apptrecur *r, const cck_problems *pr, cck_emit *e,
                        const char *key)
{
    cck_emit_begin_obj(e, key);
    if (r) {
        cck_emit_begin_obj(e, "RecurrencePattern");
        emit_pattern_members(&r->RecurrencePattern, e);
        cck_emit_end_obj(e);
        cck_emit_hex(e, "ReaderVersion2", r->ReaderVersion2, 4);
        cck_emit_hex(e, "WriterVersion2", r->WriterVersion2, 4);
        cck_emit_uint_note(e, "StartTimeOffset", r->StartTimeOffset, "minutes after midnight");
        cck_emit_uint_note(e, "EndTimeOffset", r->EndTimeOffset, "minutes after midnight");
        cck_emit_uint(e, "ExceptionCount", r->ExceptionCount);
        cck_emit_begin_arr(e, "ExceptionInfo");
        for (size_t i = 0; i < r->n_exception_info; i++)
            emit_exception(&r->ExceptionInfo[i], e);
        cck_emit_end_arr(e);
        cck_emit_uint(e, "ReservedBlock1Size", r->ReservedBlock1Size);
        cck_emit_begin_arr(e, "ExtendedException");
        for (size_t i = 0; i < r->n_extended_exception; i++)
            emit_extended(&r->ExtendedException[i], e);
        cck_emit_end_arr(e);
        cck_emit_uint(e, "ReservedBlock2Size", r->ReservedBlock2Size);
    }
    cck_mapi_emit_problems(pr, e);
    cck_emit_end_obj(e);
}
