/* calendar.c - calendar-level checks on the local free/busy message
 * (IPM.Microsoft.ScheduleData.FreeBusy, the Delegate Information object of
 * [MS-OXOSFLD] 2.2.6): publishing months (PidTagFreeBusyCountMonths) and the
 * parallel delegate lists of [MS-OXODLGT] 2.2.2.2 (names 0x6844, entry ids
 * 0x6845, flags 0x686B), which must have one entry per delegate. */
#include <stdio.h>

#include "checks/ctx.h"

void cck_cal_freebusy_months(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);
void cck_cal_delegate_flags(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);

void cck_cal_freebusy_months(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx)
{
    (void)t;
    const cck_freebusy *fb = &cal->freebusy;
    if (fb->found && fb->months.has == CCK_PRESENT && fb->months.v <= 0)
        cck_report(ctx, 301,
                   "PidTagFreeBusyCountMonths is %lld in the local free/busy message (%s): "
                   "others see no free/busy time for this mailbox",
                   (long long)fb->months.v, fb->where ? fb->where : "found");
}

void cck_cal_delegate_flags(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx)
{
    (void)t;
    const cck_freebusy *fb = &cal->freebusy;
    if (!fb->found || fb->has_names != CCK_PRESENT || fb->n_names == 0)
        return;
    bool flags_bad = fb->has_flags != CCK_PRESENT || fb->n_flags != fb->n_names;
    bool eids_bad = fb->has_entryids != CCK_PRESENT || fb->n_entryids != fb->n_names;
    if (!flags_bad && !eids_bad)
        return;
    char nf[32], ne[32];
    snprintf(nf, sizeof nf, "%zu", fb->n_flags);
    snprintf(ne, sizeof ne, "%zu", fb->n_entryids);
    cck_report(ctx, 302, "%zu delegate name%s but %s delegate flags and %s entry ids (%s)",
               fb->n_names, fb->n_names == 1 ? "" : "s",
               fb->has_flags == CCK_PRESENT   ? nf
               : fb->has_flags == CCK_BADTYPE ? "unreadable"
                                              : "no",
               fb->has_entryids == CCK_PRESENT   ? ne
               : fb->has_entryids == CCK_BADTYPE ? "unreadable"
                                                 : "no",
               fb->where ? fb->where : "local free/busy message");
}
