/* timezone.c - time-zone checks: CalCheck 0027 and 0055, and 0140-0149 on
 * the structure of the three TZDEFINITION streams (StartDisplay, EndDisplay,
 * Recur; [MS-OXOCAL] 2.2.1.41-2.2.1.43) and of the TZREG in
 * PidLidTimeZoneStruct (2.2.1.39): the decoders' "tzdef.*" / "tzreg.*"
 * problems become findings, and the TZREG is compared with the effective rule.
 */
#include <stdio.h>
#include <string.h>

#include "checks/checks.h"

static bool is_recurring(const cck_item *it)
{
    return it->recurring.has == CCK_PRESENT && it->recurring.v;
}

/* ---- 0027: a recurring item without a start time-zone definition --------- */

void cck_chk_tzdef_start(const cck_item *it, cck_ctx *ctx);
void cck_chk_tzdef_start(const cck_item *it, cck_ctx *ctx)
{
    if (!is_recurring(it))
        return;
    if (it->tzdef_start.raw.has == CCK_ABSENT)
        cck_report(ctx, 27,
                   "PidLidAppointmentTimeZoneDefinitionStartDisplay is missing on a "
                   "recurring item");
}

/* ---- 0055: the recurrence time-zone definition is unusable ----------------- */

/* Why a TZDEFINITION cannot be used (present but empty, not binary, cut
 * short, a version the reader does not know), into buf; NULL when it can. */
static const char *unreadable(const cck_ftzdef *f, char *buf, size_t n)
{
    if (f->raw.has == CCK_BADTYPE)
        return "is not binary (PT_BINARY)";
    if (f->raw.n == 0)
        return "has 0 bytes";
    if (!f->v) {
        snprintf(buf, n, "of %zu bytes could not be decoded", f->raw.n);
        return buf;
    }
    const cck_problem *q = cck_problems_find(&f->problems, "tzdef.truncated");
    if (!q)
        q = cck_problems_find(&f->problems, "tzdef.version");
    if (!q)
        return NULL;
    snprintf(buf, n, "of %zu bytes: %s", f->raw.n, q->text);
    return buf;
}

void cck_chk_tzdef_recur(const cck_item *it, cck_ctx *ctx);
void cck_chk_tzdef_recur(const cck_item *it, cck_ctx *ctx)
{
    const cck_ftzdef *f = &it->tzdef_recur;
    if (!is_recurring(it) || f->raw.has == CCK_ABSENT)
        return;
    char buf[512];
    const char *why = unreadable(f, buf, sizeof buf);
    if (why)
        cck_report(ctx, 55, "PidLidAppointmentTimeZoneDefinitionRecur %s", why);
    else if (cck_problems_find(&f->problems, "tzdef.empty_keyname"))
        cck_report(ctx, 55,
                   "PidLidAppointmentTimeZoneDefinitionRecur has "
                   "TZDEFINITION_FLAG_VALID_KEYNAME with an empty key name (cchKeyName 0)");
}

/* ---- 0140-0149: TZDEFINITION and TZREG structure -------------------------- */

/* Which check reports a decoder problem; "tzdef.truncated" and
 * "tzdef.version" make a definition unreadable (0141), handled apart. */
static const struct {
    const char *code;
    int id;
} tz_map[] = {
    {"tzdef.empty_keyname", 140},      {"tzdef.header_size", 142},
    {"tzdef.no_rules", 143},           {"tzdef.too_many", 143},
    {"tzdef.no_effective", 144},       {"tzdef.rule_size", 145},
    {"tzdef.bad_systemtime", 146},     {"tzreg.truncated", 148},
    {"tzreg.bad_systemtime", 148},     {"tzdef.flags", 149},
    {"tzdef.keyname_nul", 149},        {"tzdef.unsorted", 149},
    {"tzdef.multiple_effective", 149}, {"tzdef.trailing", 149},
    {"tzdef.rule_flags", 149},         {"tzdef.half_dst", 149},
    {"tzreg.trailing", 149},           {"tzreg.half_dst", 149},
};
#define N_TZ_MAP (sizeof tz_map / sizeof tz_map[0])

static int tz_id_of(const cck_problem *q)
{
    for (size_t i = 0; i < N_TZ_MAP; i++)
        if (strcmp(tz_map[i].code, q->code) == 0)
            return tz_map[i].id;
    return 0;
}

/* `by_0055`: this is the recurrence definition of a recurring item, whose
 * unreadable state and empty key name 0055 reports. */
static void tzdef_struct(cck_ctx *ctx, const char *prop, const cck_ftzdef *f, bool by_0055)
{
    if (f->raw.has == CCK_ABSENT)
        return;
    char buf[512];
    const char *why = unreadable(f, buf, sizeof buf);
    if (why) {
        if (!by_0055)
            cck_report(ctx, 141, "%s %s", prop, why);
        /* Cut short: what was decoded may still hold the empty key name. */
        if (!f->v || f->raw.n == 0)
            return;
    }
    /* One finding per check and property; 0140 (the empty key name) is
     * already reported by 0055 when `by_0055`. */
    cck_report_problems(ctx, &f->problems, tz_id_of, by_0055 ? 141 : 140, 149, prop);
}

void cck_chk_tz_struct(const cck_item *it, cck_ctx *ctx);
void cck_chk_tz_struct(const cck_item *it, cck_ctx *ctx)
{
    bool rec = is_recurring(it);
    tzdef_struct(ctx, "PidLidAppointmentTimeZoneDefinitionStartDisplay", &it->tzdef_start, false);
    tzdef_struct(ctx, "PidLidAppointmentTimeZoneDefinitionEndDisplay", &it->tzdef_end, false);
    tzdef_struct(ctx, "PidLidAppointmentTimeZoneDefinitionRecur", &it->tzdef_recur, rec);

    const cck_ftzreg *g = &it->tzreg;
    if (g->raw.has == CCK_BADTYPE) {
        cck_report(ctx, 148, "PidLidTimeZoneStruct is not binary (PT_BINARY)");
        return;
    }
    if (g->raw.has != CCK_PRESENT)
        return;
    if (g->raw.n == 0) {
        cck_report(ctx, 148, "PidLidTimeZoneStruct has 0 bytes, not 48");
        return;
    }
    cck_report_problems(ctx, &g->problems, tz_id_of, 147, 149, "PidLidTimeZoneStruct");

    /* 2.2.1.41: on a recurring item the TZREG must describe the same zone
     * as the effective rule of the recurrence definition. */
    const cck_tzdef *d = it->tzdef_recur.v;
    if (!rec || !g->v || !g->v->complete || !d || !d->complete || !d->effective)
        return;
    for (size_t i = 0; i < g->problems.n; i++)
        if (g->problems.v[i].sev == CCK_SEV_ERROR)
            return; /* a malformed TZREG (0148) is not compared */
    const cck_tzreg *t = g->v;
    const cck_tzrule *r = d->effective;
    if (cck_tzreg_matches_rule(t, r))
        return;
    char s1[96], s2[96];
    if (t->lBias != r->lBias || t->lStandardBias != r->lStandardBias ||
        t->lDaylightBias != r->lDaylightBias)
        cck_report(ctx, 147,
                   "PidLidTimeZoneStruct biases %d/%d/%d differ from the effective rule (wYear %u) "
                   "of PidLidAppointmentTimeZoneDefinitionRecur %d/%d/%d",
                   (int)t->lBias, (int)t->lStandardBias, (int)t->lDaylightBias, r->wYear,
                   (int)r->lBias, (int)r->lStandardBias, (int)r->lDaylightBias);
    else if (!cck_systemtime_eq(&t->stDaylightDate, &r->stDaylightDate))
        cck_report(ctx, 147,
                   "PidLidTimeZoneStruct daylight start \"%s\" differs from \"%s\" of the "
                   "effective rule (wYear %u) of PidLidAppointmentTimeZoneDefinitionRecur",
                   cck_systemtime_rule_fmt(&t->stDaylightDate, s1, sizeof s1),
                   cck_systemtime_rule_fmt(&r->stDaylightDate, s2, sizeof s2), r->wYear);
    else
        cck_report(ctx, 147,
                   "PidLidTimeZoneStruct standard start \"%s\" differs from \"%s\" of the "
                   "effective rule (wYear %u) of PidLidAppointmentTimeZoneDefinitionRecur",
                   cck_systemtime_rule_fmt(&t->stStandardDate, s1, sizeof s1),
                   cck_systemtime_rule_fmt(&r->stStandardDate, s2, sizeof s2), r->wYear);
}
