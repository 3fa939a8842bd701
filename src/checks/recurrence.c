/* recurrence.c - recurrence checks: CalCheck 0001-0015 and 0026, and the
 * recurrence-structure checks 0100-0117, which turn the "recur.*" problems of
 * the PidLidAppointmentRecur decoder into findings. The blob is an
 * AppointmentRecurrencePattern, [MS-OXOCAL] 2.2.1.44.5 (pattern 2.2.1.44.1,
 * ExceptionInfo 2.2.1.44.2, ExtendedException 2.2.1.44.3).
 */
#include <inttypes.h>
#include <string.h>

#include "checks/checks.h"
#include "mapi/props.h"
#include "util/time.h"

/* Recurrence dates count minutes since 1601-01-01; a FILETIME counts 100 ns. */
#define TICKS_PER_MINUTE 600000000ull
#define MINUTES_PER_DAY  1440u

static uint64_t ft_of_minutes(uint64_t minutes)
{
    return minutes * TICKS_PER_MINUTE;
}

/* Whether the recurring flag is present and false: the blob is then not
 * used by Outlook, and its structure is not this item's problem. */
static bool flag_false(const cck_item *it)
{
    return it->recurring.has == CCK_PRESENT && !it->recurring.v;
}

/* The decoded recurrence of a (possibly) recurring item, or NULL when there
 * is none to check: no blob, an empty one (0010), or the flag says "single". */
static const cck_apptrecur *series_of(const cck_item *it)
{
    if (it->recur.raw.has != CCK_PRESENT || it->recur.raw.n == 0 || !it->recur.v || flag_false(it))
        return NULL;
    return it->recur.v;
}

/* A decoded series whose RecurrencePattern was read to its end, so StartDate,
 * EndDate and the exception arrays hold the blob's values. */
static const cck_apptrecur *complete_series(const cck_item *it)
{
    const cck_apptrecur *r = series_of(it);
    return r && r->RecurrencePattern.complete ? r : NULL;
}

static bool never_ends(uint32_t end_type)
{
    return end_type == CCK_END_NEVER || end_type == CCK_END_NEVER2;
}

/* ---- 0001-0008: series start and end against the bounds ------------------ */

/* Reports one side of the series (start or end) against the bounds: zero,
 * past the maximum, before the low bound, after the high bound, the most
 * severe first. `ids` are {zero, low, high, max}. The series dates are local
 * wall-clock time and the bounds UTC; a few hours do not matter at these
 * scales (1995, now + 10 years, 4501). */
static void bound_side(cck_ctx *ctx, const char *what, const char *fields, uint32_t date,
                       uint64_t minutes, bool check_high, const int ids[4])
{
    const cck_config *cfg = cck_ctx_config(ctx);
    uint64_t ft = ft_of_minutes(minutes);
    char b1[CCK_TIME_BUF], b2[CCK_WHEN_BUF];
    /* cck_fmt_minutes takes 32 bits; a date plus an offset may exceed it. */
    uint32_t shown = minutes > UINT32_MAX ? UINT32_MAX : (uint32_t)minutes;
    if (date < MINUTES_PER_DAY)
        cck_report(ctx, ids[0], "%s %s (%s %" PRIu32 ") is zero", what, cck_fmt_minutes(shown, b1),
                   fields, date);
    else if (ft > cfg->max_bound)
        cck_report(ctx, ids[3], "%s %s is after %s", what, cck_fmt_minutes(shown, b1),
                   cck_when(cfg->max_bound, b2));
    else if (ft < cfg->low_bound)
        cck_report(ctx, ids[1], "%s %s is before the low bound %s", what,
                   cck_fmt_minutes(shown, b1), cck_when(cfg->low_bound, b2));
    else if (check_high && ft > cfg->high_bound)
        cck_report(ctx, ids[2], "%s %s is after the high bound %s", what,
                   cck_fmt_minutes(shown, b1), cck_when(cfg->high_bound, b2));
}

void cck_chk_recur_bounds(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_bounds(const cck_item *it, cck_ctx *ctx)
{
    const cck_apptrecur *r = complete_series(it);
    if (!r)
        return; /* 0009/0010/0012 say why there is no pattern */
    const cck_recur *p = &r->RecurrencePattern;
    static const int start_ids[4] = {1, 2, 3, 4}, end_ids[4] = {5, 6, 7, 8};
    bound_side(ctx, "series start", "StartDate", p->StartDate,
               (uint64_t)p->StartDate + r->StartTimeOffset, true, start_ids);
    /* A series that never ends carries the 4500-12-31 23:59 sentinel as its
     * EndDate: not a date to judge (EndTimeOffset would even push it past
     * 4501). Any other EndDate is checked, the high bound only when the
     * series really ends (2.2.1.44.1 EndType). */
    bool ends = !never_ends(p->EndType);
    if (!ends && p->EndDate == CCK_RECUR_NO_END_DATE)
        return;
    uint64_t end =
        p->EndDate == CCK_RECUR_NO_END_DATE ? p->EndDate : (uint64_t)p->EndDate + r->EndTimeOffset;
    bound_side(ctx, "series end", "EndDate", p->EndDate, end, ends, end_ids);
}

/* ---- 0009, 0010, 0012: the blob itself ------------------------------------ */

void cck_chk_recur_blob(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_blob(const cck_item *it, cck_ctx *ctx)
{
    const cck_fapptrecur *f = &it->recur;
    bool recurring = it->recurring.has == CCK_PRESENT && it->recurring.v;
    if (f->raw.has == CCK_ABSENT) {
        if (recurring)
            cck_report(ctx, 12, "PidLidRecurring is true but PidLidAppointmentRecur is missing");
        return;
    }
    if (flag_false(it))
        return; /* a single item: Outlook does not read the blob */
    if (f->raw.has == CCK_BADTYPE) {
        cck_report(ctx, 9, "PidLidAppointmentRecur is not binary (PT_BINARY)");
        return;
    }
    if (f->raw.n == 0) {
        cck_report(ctx, 10, "PidLidAppointmentRecur has 0 bytes");
        return;
    }
    /* Unusable: nothing decoded, or the decoder stopped before the end (the
     * blob is cut short, or an undefined PatternType hides where the next
     * field starts). Wrong versions on a complete blob are 0100. */
    if (!f->v) {
        cck_report(ctx, 9, "PidLidAppointmentRecur of %zu bytes could not be decoded", f->raw.n);
        return;
    }
    if (f->v->complete)
        return;
    const cck_problem *why = cck_problems_find(&f->problems, "recur.truncated");
    if (why)
        cck_report(ctx, 9, "PidLidAppointmentRecur of %zu bytes is cut short: %s", f->raw.n,
                   why->text);
    else
        cck_report(ctx, 9, "PidLidAppointmentRecur of %zu bytes cannot be decoded past byte %zu",
                   f->raw.n, f->v->size);
}

/* ---- 0011: PidLidRecurrenceType ------------------------------------------ */

/* The PidLidRecurrenceType values ([MS-OXOCAL] 2.2.1.13) a RecurFrequency
 * allows: daily 1 ("every weekday", a Daily frequency with a Week pattern,
 * is written as 1 or 2), weekly 2, monthly 3 (or 5, monthly-nth), yearly 4
 * (or 6, yearly-nth). Returns false for an undefined frequency. */
static bool type_fits(uint32_t freq, uint32_t pattern, int64_t type)
{
    switch (freq) {
    case CCK_RECUR_FREQ_DAILY:
        return type == 1 || (pattern == CCK_PATTERN_WEEK && type == 2);
    case CCK_RECUR_FREQ_WEEKLY:
        return type == 2;
    case CCK_RECUR_FREQ_MONTHLY:
        return type == 3 || type == 5;
    case CCK_RECUR_FREQ_YEARLY:
        return type == 4 || type == 6;
    }
    return true; /* an undefined frequency is 0102's finding */
}

void cck_chk_recur_type(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_type(const cck_item *it, cck_ctx *ctx)
{
    if (it->recurrence_type.has != CCK_PRESENT)
        return;
    int64_t type = it->recurrence_type.v;
    if (type < 0 || type > 6) {
        cck_report(ctx, 11, "PidLidRecurrenceType %" PRId64 " is not a defined type (0-6)", type);
        return;
    }
    if (it->recurring.has == CCK_PRESENT) {
        if (it->recurring.v && type == 0) {
            cck_report(ctx, 11,
                       "PidLidRecurrenceType 0 (single) on an item whose PidLidRecurring "
                       "is true");
            return;
        }
        if (!it->recurring.v && type != 0) {
            cck_report(ctx, 11,
                       "PidLidRecurrenceType %" PRId64 " on an item whose PidLidRecurring is false",
                       type);
            return;
        }
    }
    const cck_apptrecur *r = series_of(it);
    if (!r || type == 0)
        return;
    const cck_recur *p = &r->RecurrencePattern;
    if (!type_fits(p->RecurFrequency, p->PatternType, type)) {
        const char *name = cck_recur_frequency_name(p->RecurFrequency);
        cck_report(ctx, 11,
                   "PidLidRecurrenceType %" PRId64 " disagrees with RecurFrequency 0x%04X (%s)",
                   type, p->RecurFrequency, name ? name : "?");
    }
}

/* ---- 0013: ExceptionInfo subject and location ---------------------------- */

/* Checks one 8-bit string of an ExceptionInfo; returns false when the
 * string was not read to its end, so nothing after it was decoded. */
static bool exception_string(cck_ctx *ctx, size_t i, bool complete, const char *what, uint16_t len,
                             uint16_t len2, const uint8_t *s, size_t n)
{
    /* In an ExceptionInfo cut short, Length2 0 may be a field never read. */
    if (!complete && len2 == 0)
        return false;
    if (len != (uint32_t)len2 + 1)
        cck_report(ctx, 13, "ExceptionInfo[%zu] %sLength %u is not %sLength2 %u + 1", i, what, len,
                   what, len2);
    if (n < len2) {
        cck_report(ctx, 13, "ExceptionInfo[%zu] %s holds %zu of its %sLength2 %u bytes", i, what, n,
                   what, len2);
        return false;
    }
    const uint8_t *z = n ? memchr(s, 0, n) : NULL;
    if (z)
        cck_report(ctx, 13, "ExceptionInfo[%zu] %s holds a NUL at byte %zu of %zu", i, what,
                   (size_t)(z - s), n);
    return true;
}

void cck_chk_exception_data(const cck_item *it, cck_ctx *ctx);
void cck_chk_exception_data(const cck_item *it, cck_ctx *ctx)
{
    const cck_apptrecur *r = series_of(it);
    if (!r)
        return;
    for (size_t i = 0; i < r->n_exception_info; i++) {
        const cck_exception_info *x = &r->ExceptionInfo[i];
        if ((x->OverrideFlags & CCK_ARO_SUBJECT) &&
            !exception_string(ctx, i, x->complete, "Subject", x->SubjectLength, x->SubjectLength2,
                              x->Subject, x->n_subject))
            continue;
        if (x->OverrideFlags & CCK_ARO_LOCATION)
            exception_string(ctx, i, x->complete, "Location", x->LocationLength, x->LocationLength2,
                             x->Location, x->n_location);
    }
}

/* ---- 0014, 0015: exceptions outside the series ---------------------------- */

/* An exception replaces the instance that was to start at OriginalStartDate.
 * Instances fall on the days from StartDate to EndDate (both local midnight,
 * 2.2.1.44.1), so the day of OriginalStartDate must lie within them. Days are
 * compared, not times, so that a zero-length last instance is not "at the
 * end". */
void cck_chk_exception_bounds(const cck_item *it, cck_ctx *ctx);
void cck_chk_exception_bounds(const cck_item *it, cck_ctx *ctx)
{
    const cck_apptrecur *r = complete_series(it);
    if (!r)
        return;
    const cck_recur *p = &r->RecurrencePattern;
    if (p->StartDate > p->EndDate)
        return; /* 0106: no day lies within the series */
    bool ends = !never_ends(p->EndType);
    uint32_t first = p->StartDate - p->StartDate % MINUTES_PER_DAY;
    uint32_t last = p->EndDate - p->EndDate % MINUTES_PER_DAY;
    char b1[CCK_TIME_BUF], b2[CCK_TIME_BUF];
    for (size_t i = 0; i < r->n_exception_info; i++) {
        const cck_exception_info *x = &r->ExceptionInfo[i];
        if (!x->complete)
            continue; /* cut short: 0009 */
        uint32_t day = x->OriginalStartDate - x->OriginalStartDate % MINUTES_PER_DAY;
        if (day < first)
            cck_report(ctx, 14, "ExceptionInfo[%zu] OriginalStartDate %s is before StartDate %s", i,
                       cck_fmt_minutes(x->OriginalStartDate, b1),
                       cck_fmt_minutes(p->StartDate, b2));
        else if (ends && day > last)
            cck_report(ctx, 15, "ExceptionInfo[%zu] OriginalStartDate %s is after EndDate %s", i,
                       cck_fmt_minutes(x->OriginalStartDate, b1), cck_fmt_minutes(p->EndDate, b2));
    }
}

/* ---- 0026: PidLidRecurring ------------------------------------------------ */

void cck_chk_recurring_prop(const cck_item *it, cck_ctx *ctx);
void cck_chk_recurring_prop(const cck_item *it, cck_ctx *ctx)
{
    if (!cck_fstr_set(&it->message_class) ||
        !cck_is_appointment_class(it->message_class.s, it->message_class.len))
        return;
    if (it->recurring.has == CCK_ABSENT)
        cck_report(ctx, 26, "PidLidRecurring is missing (message class %s)", it->message_class.s);
    else if (it->recurring.has == CCK_BADTYPE)
        cck_report(ctx, 26, "PidLidRecurring is not a boolean (PT_BOOLEAN; message class %s)",
                   it->message_class.s);
}

/* ---- 0100-0117: structure of the recurrence blob -------------------------- */

/* Which check reports a decoder problem. `sev` narrows a code the decoder
 * uses at two severities ("recur.unsorted": ERROR for the instance-date
 * arrays, WARNING for the order of ExceptionInfo); -1 matches any. Codes not
 * listed here are reported elsewhere: recur.truncated by 0009, the subject
 * and location codes by 0013. */
static const struct {
    const char *code;
    int sev;
    int id;
} recur_map[] = {
    {"recur.version", -1, 100},
    {"recur.trailing", -1, 101},
    {"recur.bad_frequency", -1, 102},
    {"recur.bad_pattern_type", -1, 102},
    {"recur.bad_combination", -1, 102},
    {"recur.bad_calendar_type", -1, 102},
    {"recur.bad_pattern_specific", -1, 103},
    {"recur.bad_first_dow", -1, 103},
    {"recur.bad_period", -1, 104},
    {"recur.bad_end_type", -1, 105},
    {"recur.end_mismatch", -1, 105},
    {"recur.start_after_end", -1, 106},
    {"recur.bad_time_offset", -1, 107},
    {"recur.unsorted", CCK_SEV_ERROR, 108},
    {"recur.too_many", -1, 108},
    {"recur.not_midnight", -1, 109},
    {"recur.modified_not_deleted", -1, 110},
    {"recur.count_mismatch", -1, 111},
    {"recur.exception_times", -1, 112},
    {"recur.unsorted", CCK_SEV_WARNING, 113},
    {"recur.exception_not_modified", -1, 114},
    {"recur.ee_size", -1, 115},
    {"recur.ee_mismatch", -1, 115},
    {"recur.widechar_length", -1, 116},
    {"recur.reserved_block", -1, 117},
    {"recur.bad_override_flags", -1, 117},
};
#define N_RECUR_MAP (sizeof recur_map / sizeof recur_map[0])

static int recur_id_of(const cck_problem *q)
{
    for (size_t i = 0; i < N_RECUR_MAP; i++)
        if (strcmp(recur_map[i].code, q->code) == 0 &&
            (recur_map[i].sev < 0 || recur_map[i].sev == (int)q->sev))
            return recur_map[i].id;
    return 0;
}

/* One finding per check: the first problem's text, and how many more the
 * same check found in this blob. */
void cck_chk_recur_struct(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_struct(const cck_item *it, cck_ctx *ctx)
{
    if (series_of(it))
        cck_report_problems(ctx, &it->recur.problems, recur_id_of, 100, 117, NULL);
}
