/* ctx.c - runs registered checks on an item and collects their findings
 * (the one place findings enter; every report reads them from here). */
#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/icsinfo.h"
#include "util/time.h"
#include "util/ascii.h"

struct cck_ctx {
    const cck_config *cfg;
    const cck_calendar *cal;
    cck_dupindex *dups;
    cck_arena *arena; /* the current item's */
    cck_finding *v;
    size_t n, cap, dropped;
    const cck_item *it; /* the item being checked, NULL for the calendar */
    /* Each distinct detector once, in registry order, that has an enabled
     * row for MAPI items / for iCalendar items (fixed when the context is
     * made: the configuration does not change during a run). */
    cck_item_fn fns_mapi[256], fns_ics[256];
    size_t nfns_mapi, nfns_ics;
};

static void add_fn(cck_item_fn *fns, size_t *n, cck_item_fn f)
{
    size_t j = 0;
    while (j < *n && fns[j] != f)
        j++;
    if (j == *n && *n < 256)
        fns[(*n)++] = f;
}

cck_ctx *cck_ctx_new(const cck_config *cfg, const cck_calendar *cal, cck_dupindex *dups)
{
    cck_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cfg = cfg;
    c->cal = cal;
    c->dups = dups;
    for (size_t i = 0; i < cck_n_checks; i++) {
        const cck_check *k = &cck_checks[i];
        if (!k->item_fn || !cfg->enabled[k->id])
            continue;
        if (k->sources & CCK_SRC_MAPI)
            add_fn(c->fns_mapi, &c->nfns_mapi, k->item_fn);
        if (k->sources & CCK_SRC_ICS)
            add_fn(c->fns_ics, &c->nfns_ics, k->item_fn);
    }
    return c;
}

void cck_ctx_free(cck_ctx *ctx)
{
    free(ctx);
}

void cck_ctx_begin(cck_ctx *ctx, const cck_item *it, cck_arena *a)
{
    ctx->it = it;
    ctx->arena = a;
    ctx->v = NULL;
    ctx->n = ctx->cap = ctx->dropped = 0;
}

/* ASCII case-insensitive substring test (strcasestr is not POSIX). */
static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               cck_ascii_lower((unsigned char)hay[i]) == cck_ascii_lower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static bool has_keyword(const cck_item *it, const char *word)
{
    for (size_t i = 0; i < it->n_keywords; i++)
        if (contains_ci(it->keywords[i], word))
            return true;
    return false;
}

/* The last moment the item occupies: its end, or its series' end. */
bool cck_item_is_past(const cck_item *it, uint64_t now)
{
    if (it->ics && it->recurring.has == CCK_PRESENT && it->recurring.v) {
        /* iCalendar: the last instance's end, worked out from COUNT or
         * UNTIL; 0 when the series never ends. */
        uint64_t end = cck_icsinfo_series_end(it);
        return end && end + 24ull * 3600 * 10000000u < now;
    }
    const cck_apptrecur *r = it->recur.v;
    if (it->recurring.has == CCK_PRESENT && it->recurring.v && r) {
        uint32_t et = r->RecurrencePattern.EndType;
        if (et == CCK_END_NEVER || et == CCK_END_NEVER2)
            return false;
        /* EndDate is local midnight of the last day; a day of slack covers
         * every time-zone offset. */
        uint64_t end =
            ((uint64_t)r->RecurrencePattern.EndDate + r->EndTimeOffset + 24 * 60) * 60 * 10000000u;
        return end < now;
    }
    return it->end.has == CCK_PRESENT && it->end.ft != 0 && it->end.ft < now;
}

const char *cck_ctx_skip_reason(const cck_ctx *ctx, const cck_item *it)
{
    bool all_day = it->all_day.has == CCK_PRESENT && it->all_day.v;
    if (!ctx->cfg->check_holidays && all_day && has_keyword(it, "holiday"))
        return "holiday item";
    if (!ctx->cfg->check_birthdays && all_day &&
        (has_keyword(it, "birthday") ||
         (it->subject.has == CCK_PRESENT && contains_ci(it->subject.s, "birthday"))))
        return "birthday item";
    if (!ctx->cfg->check_past && cck_item_is_past(it, ctx->cfg->now))
        return "past item";
    return NULL;
}

void cck_ctx_run_item(cck_ctx *ctx, const cck_item *it)
{
    bool ics = it->ics != NULL;
    cck_item_fn *fns = ics ? ctx->fns_ics : ctx->fns_mapi;
    size_t n = ics ? ctx->nfns_ics : ctx->nfns_mapi;
    if (ctx->dups)
        cck_dupindex_prefetch(ctx->dups, it, ctx->cfg->enabled[49],
                              ics && (ctx->cfg->enabled[400] || ctx->cfg->enabled[401]));
    for (size_t i = 0; i < n; i++)
        fns[i](it, ctx);
    if (ctx->dups)
        cck_dupindex_prefetch(ctx->dups, NULL, false, false);
}

void cck_ctx_run_calendar(cck_ctx *ctx, const cck_totals *t)
{
    for (size_t i = 0; i < cck_n_checks; i++)
        if (cck_checks[i].calendar_fn && ctx->cfg->enabled[cck_checks[i].id]) {
            /* Rows sharing a function run it once. */
            bool seen = false;
            for (size_t j = 0; j < i; j++)
                seen |= cck_checks[j].calendar_fn == cck_checks[i].calendar_fn &&
                        ctx->cfg->enabled[cck_checks[j].id];
            if (!seen)
                cck_checks[i].calendar_fn(t, ctx->cal, ctx);
        }
}

static cck_finding *add(cck_ctx *ctx, int id, const char *fmt, va_list ap)
{
    const cck_check *k = cck_check_by_id(id);
    if (!k || !ctx->cfg->enabled[id] || !ctx->arena)
        return NULL;
    /* A detector shared by several rows may meet a condition whose row has
     * no meaning for this item's source ("PidLidAppointmentStartWhole is
     * missing" on an iCalendar item): such findings are not the item's. */
    if (ctx->it && !(k->sources & (ctx->it->ics ? CCK_SRC_ICS : CCK_SRC_MAPI)))
        return NULL;
    if (ctx->n >= CCK_FINDINGS_MAX) {
        ctx->dropped++;
        return NULL;
    }
    if (ctx->n == ctx->cap) {
        size_t cap = ctx->cap ? ctx->cap * 2 : 8;
        cck_finding *v = cck_arena_calloc(ctx->arena, cap, sizeof *v);
        if (!v) {
            ctx->dropped++;
            return NULL;
        }
        if (ctx->n)
            memcpy(v, ctx->v, ctx->n * sizeof *v);
        ctx->v = v;
        ctx->cap = cap;
    }
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    cck_finding *f = &ctx->v[ctx->n++];
    memset(f, 0, sizeof *f);
    f->id = id;
    f->sev = k->sev;
    f->text = cck_arena_strndup(ctx->arena, buf, strlen(buf));
    if (!f->text)
        f->text = k->summary;
    return f;
}

void cck_report(cck_ctx *ctx, int id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(ctx, id, fmt, ap);
    va_end(ap);
}

void cck_report_pair(cck_ctx *ctx, int id, const cck_other *other, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cck_finding *f = add(ctx, id, fmt, ap);
    va_end(ap);
    if (!f || !other)
        return;
    f->has_other = true;
    f->other.start = other->start;
    f->other.end = other->end;
    if (other->subject)
        f->other.subject = cck_arena_strndup(ctx->arena, other->subject, strlen(other->subject));
    if (other->where)
        f->other.where = cck_arena_strndup(ctx->arena, other->where, strlen(other->where));
}

void cck_report_problems(cck_ctx *ctx, const cck_problems *pr, cck_problem_map map, int lo, int hi,
                         const char *prefix)
{
    for (int id = lo; id <= hi; id++) {
        const cck_problem *first = NULL;
        size_t more = 0;
        for (size_t i = 0; i < pr->n; i++) {
            if (map(&pr->v[i]) != id)
                continue;
            if (!first)
                first = &pr->v[i];
            else
                more++;
        }
        if (!first)
            continue;
        char tail[48] = "";
        if (more)
            snprintf(tail, sizeof tail, " (and %zu more)", more);
        cck_report(ctx, id, "%s%s%s%s", prefix ? prefix : "", prefix ? ": " : "", first->text,
                   tail);
    }
}

const cck_config *cck_ctx_config(const cck_ctx *ctx)
{
    return ctx->cfg;
}

const cck_calendar *cck_ctx_calendar(const cck_ctx *ctx)
{
    return ctx->cal;
}

bool cck_ctx_enabled(const cck_ctx *ctx, int id)
{
    if (id <= 0 || id > CCK_CHECK_MAX || !ctx->cfg->enabled[id])
        return false;
    const cck_check *k = ctx->it ? cck_check_by_id(id) : NULL;
    return !k || (k->sources & (ctx->it->ics ? CCK_SRC_ICS : CCK_SRC_MAPI));
}

cck_dupindex *cck_ctx_dups(cck_ctx *ctx)
{
    return ctx->dups;
}

size_t cck_ctx_nfindings(const cck_ctx *ctx)
{
    return ctx->n;
}

const cck_finding *cck_ctx_finding(const cck_ctx *ctx, size_t i)
{
    return i < ctx->n ? &ctx->v[i] : NULL;
}

size_t cck_ctx_dropped(const cck_ctx *ctx)
{
    return ctx->dropped;
}

bool cck_ctx_flagged(const cck_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n; i++)
        if (ctx->v[i].sev == CCK_SEV_ERROR ||
            (ctx->v[i].sev == CCK_SEV_WARNING && ctx->cfg->warning_is_error))
            return true;
    return false;
}

char *cck_when(uint64_t ft, char *buf)
{
    cck_civil c;
    cck_civil_from_secs1601((int64_t)(ft / 10000000u), &c);
    snprintf(buf, CCK_WHEN_BUF, "%04lld-%02d-%02d %02d:%02d:%02d UTC", (long long)c.year, c.month,
             c.day, c.hour, c.minute, c.second);
    return buf;
}
