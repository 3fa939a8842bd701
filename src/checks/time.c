/* time.c - start/end checks: CalCheck 0016-0025 on PidLidAppointmentStartWhole
 * and EndWhole ([MS-OXOCAL] 2.2.1.5, 2.2.1.6), and the time-consistency checks
 * 0190-0192: start after end, PidLidCommonStart/End (2.2.1.18.1, 2.2.1.18.2)
 * and PidLidAppointmentDuration (2.2.1.7) disagreeing with the whole times.
 */
#include <inttypes.h>

#include "checks/checks.h"

#define TICKS_PER_MINUTE 600000000ull
/* A FILETIME on 1601-01-01 counts as zero: no real item starts that day. */
#define TICKS_PER_DAY (1440 * TICKS_PER_MINUTE)

/* One finding per field: missing, zero, past the maximum, before the low
 * bound, after the high bound - the first that applies. `ids` are {zero,
 * low, high, max, missing}. */
static void whole_time(cck_ctx *ctx, const cck_ftime *f, const char *prop, const char *what,
                       const int ids[5])
{
    const cck_config *cfg = cck_ctx_config(ctx);
    char b1[CCK_WHEN_BUF], b2[CCK_WHEN_BUF];
    if (f->has == CCK_ABSENT)
        cck_report(ctx, ids[4], "%s is missing", prop);
    else if (f->has == CCK_BADTYPE)
        cck_report(ctx, ids[4], "%s is not a time (PT_SYSTIME)", prop);
    else if (f->ft < TICKS_PER_DAY)
        cck_report(ctx, ids[0], "%s %s is zero", what, cck_when(f->ft, b1));
    else if (f->ft > cfg->max_bound)
        cck_report(ctx, ids[3], "%s %s is after %s", what, cck_when(f->ft, b1),
                   cck_when(cfg->max_bound, b2));
    else if (f->ft < cfg->low_bound)
        cck_report(ctx, ids[1], "%s %s is before the low bound %s", what, cck_when(f->ft, b1),
                   cck_when(cfg->low_bound, b2));
    else if (f->ft > cfg->high_bound)
        cck_report(ctx, ids[2], "%s %s is after the high bound %s", what, cck_when(f->ft, b1),
                   cck_when(cfg->high_bound, b2));
}

void cck_chk_start(const cck_item *it, cck_ctx *ctx);
void cck_chk_start(const cck_item *it, cck_ctx *ctx)
{
    static const int ids[5] = {16, 17, 18, 19, 20};
    whole_time(ctx, &it->start, "PidLidAppointmentStartWhole", "start time", ids);
}

void cck_chk_end(const cck_item *it, cck_ctx *ctx);
void cck_chk_end(const cck_item *it, cck_ctx *ctx)
{
    static const int ids[5] = {21, 22, 23, 24, 25};
    whole_time(ctx, &it->end, "PidLidAppointmentEndWhole", "end time", ids);
}

/* ---- 0190-0192 ------------------------------------------------------------ */

/* A start or end usable for comparisons: present and not zero (0016-0025
 * report the others). */
static bool usable(const cck_ftime *f)
{
    return f->has == CCK_PRESENT && f->ft >= TICKS_PER_DAY;
}

void cck_chk_times(const cck_item *it, cck_ctx *ctx);
void cck_chk_times(const cck_item *it, cck_ctx *ctx)
{
    if (!usable(&it->start) || !usable(&it->end))
        return;
    char b1[CCK_WHEN_BUF], b2[CCK_WHEN_BUF];
    if (it->start.ft > it->end.ft) {
        cck_report(ctx, 190, "start time %s is after end time %s", cck_when(it->start.ft, b1),
                   cck_when(it->end.ft, b2));
        return; /* the duration and common times cannot be judged against it */
    }
    /* On a series master, clients rewrite the common times as the series
     * goes on (the next occurrence to remind of), so they and the duration
     * are compared on single items and exceptions only. */
    if (it->recurring.has == CCK_PRESENT && it->recurring.v)
        return;
    if (it->common_start.has == CCK_PRESENT && it->common_start.ft != it->start.ft)
        cck_report(ctx, 191, "PidLidCommonStart %s differs from start time %s",
                   cck_when(it->common_start.ft, b1), cck_when(it->start.ft, b2));
    if (it->common_end.has == CCK_PRESENT && it->common_end.ft != it->end.ft)
        cck_report(ctx, 191, "PidLidCommonEnd %s differs from end time %s",
                   cck_when(it->common_end.ft, b1), cck_when(it->end.ft, b2));
    if (it->duration.has == CCK_PRESENT) {
        int64_t minutes = (int64_t)((it->end.ft - it->start.ft) / TICKS_PER_MINUTE);
        if (it->duration.v != minutes)
            cck_report(ctx, 192,
                       "PidLidAppointmentDuration %" PRId64 " minutes is not end - start, %" PRId64
                       " minutes",
                       it->duration.v, minutes);
    }
}
