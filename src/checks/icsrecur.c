/* icsrecur.c - iCalendar recurrence checks 0230-0239 and the override overlap
 * check 0402: RRULE (RFC 5545 §3.3.10, §3.8.5.3), RDATE (§3.8.5.2), EXDATE
 * (§3.8.5.1) and RECURRENCE-ID (§3.8.4.4), expanded with the bounded iterator
 * of ics/rrule.h and compared across zones through ics/icstz.h. A single item
 * returns at once; a series costs a bounded expansion that stops as soon as
 * the question is answered. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "ics/icstz.h"
#include "ics/icsval.h"
#include "ics/rrule.h"
#include "model/icsinfo.h"
#include "util/arena.h"
#include "util/time.h"

/* ======================================================================
 * Limits
 * ====================================================================== */

#define DAY ((int64_t)86400)
/* Two readings of one instant in different zones differ by less than this. */
#define SLACK (2 * DAY)
/* RDATE / EXDATE values considered per item; with more, the checks that need
 * them all are not made. */
#define MAX_DATES 10000u
/* Occurrences 0238/0239 look at. */
#define PATTERN_MAX 1000u
/* Comparisons of overrides with occurrences and each other (0237, 0402). */
#define COMPARE_BUDGET 1000000u
/* Arena for the problem texts of a broken RRULE. */
#define PROBLEM_ARENA ((size_t)1 << 20)

#define QBUF 100 /* a value quoted in a message */
#define TBUF 48  /* a time written out */

/* ======================================================================
 * Message helpers
 * ====================================================================== */

/* Up to QBUF - 4 bytes of a value, control bytes as '?', double quotes as
 * single ones, cut at a character boundary with "..." after. */
static const char *quote(const char *s, size_t n, char *buf)
{
    size_t take = s ? n : 0, k = 0;
    bool cut = false;
    if (take > QBUF - 4) {
        take = QBUF - 4;
        while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
            take--;
        cut = true;
    }
    for (size_t i = 0; i < take; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf[k++] = ch < 0x20 || ch == 0x7F ? '?' : ch == '"' ? '\'' : (char)ch;
    }
    if (cut) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = 0;
    return buf;
}

static const char *qval(const cck_ics_prop *p, char *buf)
{
    return quote(p->value, p->value_len, buf);
}

/* Whether the property sits on one physical line, so that a byte offset in
 * its value is a column (a folded line's breaks are not kept). */
static bool one_physical_line(const cck_ics_prop *p)
{
    return p->value_line == p->line && p->end >= p->off &&
           p->end - p->off <= (uint64_t)p->raw_len + 2;
}

/* The column of byte `off` of p's value (the value's start when unknown). */
static uint32_t value_col_at(const cck_ics_prop *p, uint64_t off)
{
    if (off <= p->value_len && one_physical_line(p) && off < UINT32_MAX - p->value_col)
        return p->value_col + (uint32_t)off;
    return p->value_col;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* A wall-clock time as iCalendar writes it: 20261201 or 20261201T090000[Z]. */
static const char *fmt_wall(int64_t wall, bool is_date, bool utc, char *buf)
{
    cck_civil c;
    cck_civil_from_secs1601(wall, &c);
    if (is_date)
        snprintf(buf, TBUF, "%04lld%02d%02d", (long long)c.year, c.month, c.day);
    else
        snprintf(buf, TBUF, "%04lld%02d%02dT%02d%02d%02d%s", (long long)c.year, c.month, c.day,
                 c.hour, c.minute, c.second, utc ? "Z" : "");
    return buf;
}

/* A length of time as an iCalendar DURATION: P2D, PT1H30M, P1DT2H. */
static const char *fmt_dur(int64_t secs, char *buf)
{
    int64_t d = secs / DAY, h = secs % DAY / 3600, m = secs % 3600 / 60, s = secs % 60;
    int k = snprintf(buf, TBUF, "P");
    if (d)
        k += snprintf(buf + k, (size_t)(TBUF - k), "%lldD", (long long)d);
    if (h || m || s || !d)
        k += snprintf(buf + k, (size_t)(TBUF - k), "T");
    if (h)
        k += snprintf(buf + k, (size_t)(TBUF - k), "%lldH", (long long)h);
    if (m)
        k += snprintf(buf + k, (size_t)(TBUF - k), "%lldM", (long long)m);
    if (s || !(d || h || m))
        snprintf(buf + k, (size_t)(TBUF - k), "%lldS", (long long)s);
    return buf;
}

/* " (and N more)" or "". */
static const char *and_more(size_t n, char *buf)
{
    buf[0] = 0;
    if (n)
        snprintf(buf, 40, " (and %zu more)", n);
    return buf;
}

/* ======================================================================
 * Points in time: as written, and as UTC when the zone resolves
 * ====================================================================== */

typedef struct zone {
    cck_icstz *tz;
    const char *tzid; /* NULL: floating, or UTC when utc */
    size_t n;
    bool utc;
} zone;

typedef struct ipt {
    int64_t wall; /* the value as written, seconds since 1601 (midnight for a DATE) */
    int64_t utc;  /* the instant, when has_utc */
    int64_t dur;  /* seconds it lasts; -1: the series' length */
    bool has_utc, is_date;
    const zone *lazy;         /* zone still to apply (occurrences), else NULL */
    const cck_ics_prop *prop; /* the line it was read from */
} ipt;

static void pt_resolve(ipt *p)
{
    const zone *z = p->lazy;
    p->lazy = NULL;
    if (!z || p->is_date)
        return;
    if (z->utc) {
        p->utc = p->wall;
        p->has_utc = true;
    } else if (z->tzid && z->tz) {
        cck_civil c;
        cck_civil_from_secs1601(p->wall, &c);
        p->has_utc = cck_icstz_to_utc(z->tz, z->tzid, z->n, &c, &p->utc) == 0;
    }
}

/* A point in zone z; its UTC reading is computed now (eager) or when first
 * needed (the zone must then outlive the point). */
static ipt pt_make(const zone *z, const cck_civil *c, bool is_date, bool eager)
{
    ipt p;
    memset(&p, 0, sizeof p);
    p.wall = cck_icsval_secs(c);
    p.is_date = is_date;
    p.dur = -1;
    p.lazy = z;
    if (eager)
        pt_resolve(&p);
    return p;
}

static ipt pt_of_dt(const cck_icsdt *d, cck_icstz *tz)
{
    zone z = {tz, d->tzid, d->tzid_len, d->utc};
    ipt p = pt_make(&z, &d->local, d->is_date, true);
    p.prop = d->prop;
    return p;
}

/* The same occurrence: by date when either is a DATE, as UTC instants when
 * both zones resolve, else as written (RFC 5545 §3.8.4.4, §3.8.5.1). */
static bool pt_same(ipt *a, ipt *b)
{
    if (a->is_date || b->is_date)
        return floor_div(a->wall, DAY) == floor_div(b->wall, DAY);
    pt_resolve(a);
    pt_resolve(b);
    if (a->has_utc && b->has_utc)
        return a->utc == b->utc;
    return a->wall == b->wall;
}

/* The point on one time line for overlaps: UTC when known, else as written. */
static int64_t pt_at(ipt *p)
{
    pt_resolve(p);
    return p->has_utc ? p->utc : p->wall;
}

/* Wall clock in zone z of a UTC instant. */
static bool utc_to_wall(const zone *z, int64_t u, int64_t *wall)
{
    return cck_icstz_from_utc(z->tz, z->tzid, z->n, u, wall) == 0;
}

/* ======================================================================
 * RDATE / EXDATE value lists, sorted by wall time
 * ====================================================================== */

typedef struct ptlist {
    ipt *v; /* by wall time; at one wall time a DATE first, then one without a zone */
    size_t n, cap;
    ipt **u; /* the DATE-TIMEs with a UTC reading, by that */
    size_t nu;
    bool cut; /* more than MAX_DATES values, or no memory */
} ptlist;

static void pl_free(ptlist *l)
{
    free(l->v);
    free(l->u);
    memset(l, 0, sizeof *l);
}

static void pl_push(ptlist *l, const ipt *p)
{
    if (l->n >= MAX_DATES) {
        l->cut = true;
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        ipt *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->cut = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *p;
}

/* Seconds from a to b: as UTC instants when both resolve, else as written. */
static int64_t pt_diff(ipt *a, ipt *b)
{
    pt_resolve(a);
    pt_resolve(b);
    return a->has_utc && b->has_utc ? b->utc - a->utc : b->wall - a->wall;
}

/* The end of a PERIOD value (RFC 5545 §3.3.9), as the seconds it lasts, or -1. */
static int64_t period_length(const zone *z, ipt *start, const char *s, size_t n)
{
    int64_t secs;
    if (n && (s[0] == 'P' || s[0] == '+' || s[0] == '-'))
        return cck_icsval_duration(s, n, &secs) == 0 && secs >= 0 ? secs : -1;
    cck_civil c;
    bool is_date, utc;
    if (cck_icsval_datetime(s, n, &c, &is_date, &utc) != 0)
        return -1;
    zone ze = *z;
    ze.utc = utc;
    ipt e = pt_make(&ze, &c, is_date, true);
    int64_t d = pt_diff(start, &e);
    return d >= 0 ? d : -1;
}

/* One value of an RDATE/EXDATE line: DATE, DATE-TIME or PERIOD. */
static void pl_add_value(ptlist *l, const cck_ics_prop *p, zone *z, const char *v, size_t n)
{
    const char *slash = memchr(v, '/', n);
    size_t n1 = slash ? (size_t)(slash - v) : n;
    cck_civil c;
    bool is_date, utc;
    if (cck_icsval_datetime(v, n1, &c, &is_date, &utc) != 0)
        return; /* not a date: the value checks report it */
    z->utc = utc;
    ipt pt = pt_make(z, &c, is_date, true);
    pt.prop = p;
    if (slash)
        pt.dur = period_length(z, &pt, slash + 1, n - n1 - 1);
    pl_push(l, &pt);
}

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

static int cmp_wall(const void *a, const void *b)
{
    const ipt *x = a, *y = b;
    return cmp_i64(x->wall, y->wall);
}

/* By wall time; then DATEs, then values without a UTC reading, then by UTC. */
static int cmp_entry(const void *a, const void *b)
{
    const ipt *x = a, *y = b;
    int c = cmp_i64(x->wall, y->wall);
    if (!c)
        c = (int)y->is_date - (int)x->is_date;
    if (!c)
        c = (int)x->has_utc - (int)y->has_utc;
    if (!c && x->has_utc)
        c = cmp_i64(x->utc, y->utc);
    return c;
}

static int cmp_utc(const void *a, const void *b)
{
    return cmp_i64((*(ipt *const *)a)->utc, (*(ipt *const *)b)->utc);
}

/* Sorts the values, drops repeated ones (the set keeps one, RFC 5545
 * §3.8.5.2) and indexes the UTC readings, so that a match costs O(log n). */
static void pl_index(ptlist *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_entry);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (!k || cmp_entry(&l->v[i], &l->v[k - 1]))
            l->v[k++] = l->v[i];
    l->n = k;
    l->u = malloc((l->n ? l->n : 1) * sizeof *l->u);
    if (!l->u) {
        l->cut = true;
        return;
    }
    for (size_t i = 0; i < l->n; i++)
        if (!l->v[i].is_date && l->v[i].has_utc)
            l->u[l->nu++] = &l->v[i];
    if (l->nu > 1)
        qsort(l->u, l->nu, sizeof *l->u, cmp_utc);
}

/* Every value of every `name` line of component c, indexed. */
static void pl_collect(ptlist *l, const cck_ics_comp *c, cck_ics_name name, cck_icstz *tz)
{
    memset(l, 0, sizeof *l);
    for (const cck_ics_prop *p = c ? c->props : NULL; p && !l->cut; p = p->next) {
        if (p->id != name || !p->value)
            continue;
        const cck_ics_param *t = cck_ics_param_get_id(p, CCK_ICSN_TZID);
        zone z = {tz, NULL, 0, false};
        if (t && t->nvalues && t->values[0]) {
            z.tzid = t->values[0];
            z.n = strlen(t->values[0]);
        }
        size_t pos = 0, n;
        const char *v;
        while (!l->cut && cck_icsval_next(p, &pos, &v, &n))
            pl_add_value(l, p, &z, v, n);
    }
    if (!l->cut)
        pl_index(l);
}

/* First index whose wall time is at least w. */
static size_t pl_lower(const ptlist *l, int64_t w)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid].wall < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The value with this UTC reading, or NULL. */
static ipt *pl_utc(const ptlist *l, int64_t utc)
{
    size_t lo = 0, hi = l->nu;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->u[mid]->utc < utc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->nu && l->u[lo]->utc == utc ? l->u[lo] : NULL;
}

/* The value naming the same occurrence as x (pt_same), or NULL; a few
 * binary searches, however many values there are. */
static ipt *pl_match(const ptlist *l, ipt *x)
{
    if (!l->n)
        return NULL;
    int64_t day = floor_div(x->wall, DAY) * DAY;
    size_t k = pl_lower(l, day);
    if (x->is_date) /* any value of that day */
        return k < l->n && l->v[k].wall < day + DAY ? &l->v[k] : NULL;
    if (k < l->n && l->v[k].wall == day && l->v[k].is_date)
        return &l->v[k]; /* a DATE of x's day */
    pt_resolve(x);
    ipt *e = x->has_utc ? pl_utc(l, x->utc) : NULL;
    if (e)
        return e;
    /* the same wall time, where one of the two has no UTC reading */
    k = pl_lower(l, x->wall);
    if (k < l->n && l->v[k].wall == x->wall && l->v[k].is_date)
        k++;
    if (k < l->n && l->v[k].wall == x->wall && (!l->v[k].has_utc || !x->has_utc))
        return &l->v[k];
    return NULL;
}

/* ======================================================================
 * RRULE parsing
 * ====================================================================== */

/* Parses an RRULE line. The problems cost an arena only when there are
 * some: a clean rule is parsed once with a list that keeps nothing. */
static int rule_parse(const cck_ics_prop *p, cck_rrule *r, cck_problems *pr, cck_arena **a)
{
    const char *v = p->value ? p->value : "";
    size_t n = p->value ? p->value_len : 0;
    cck_problems_init(pr, NULL);
    int rc = cck_rrule_parse(v, n, r, pr);
    if (!pr->dropped)
        return rc;
    if (!*a)
        *a = cck_arena_new(PROBLEM_ARENA);
    cck_problems_init(pr, *a);
    return cck_rrule_parse(v, n, r, pr);
}

/* ERROR problems (those an arena could not keep count as errors). */
static size_t rule_errors(const cck_problems *pr)
{
    size_t n = pr->dropped;
    for (size_t i = 0; i < pr->n; i++)
        n += pr->v[i].sev == CCK_SEV_ERROR;
    return n;
}

/* ======================================================================
 * The series: DTSTART, the length of each occurrence, the first RRULE
 * ====================================================================== */

typedef struct series {
    const cck_icsinfo *x;
    zone zn;       /* DTSTART's zone */
    ipt start;     /* DTSTART */
    int64_t dur;   /* each occurrence lasts, seconds */
    int rc;        /* cck_rrule_parse of the first RRULE; -1 when none */
    bool has_rule; /* that rule parsed without errors and without RSCALE/SKIP */
    bool until_local;
    cck_civil until; /* a UTC UNTIL on DTSTART's wall clock, when until_local */
    cck_rrule rule;
} series;

/* An item's own length: DURATION, else DTEND (DUE) - DTSTART. */
static bool own_duration(const cck_icsinfo *x, int64_t *d)
{
    if (x->duration_prop && x->duration_valid) {
        *d = x->duration > 0 ? x->duration : 0;
        return true;
    }
    const cck_icsdt *e = x->dtend.prop ? &x->dtend : &x->due;
    if (!e->prop || !e->valid || !x->dtstart.prop || !x->dtstart.valid)
        return false;
    ipt a = pt_of_dt(&x->dtstart, x->zones), b = pt_of_dt(e, x->zones);
    int64_t v = pt_diff(&a, &b);
    *d = v > 0 ? v : 0;
    return true;
}

/* The length of the series' occurrences (RFC 5545 §3.6.1: a DATE start
 * without an end lasts one day, a DATE-TIME start none). */
static int64_t series_length(const cck_icsinfo *x)
{
    int64_t d;
    if (own_duration(x, &d))
        return d;
    return x->dtstart.is_date ? DAY : 0;
}

/* A UTC UNTIL is compared with DTSTART's local times: put it on that clock. */
static void localise_until(series *s)
{
    const cck_rrule *r = &s->rule;
    if (!r->has_until || !r->until_utc || r->until_is_date || s->start.is_date || !s->zn.tzid)
        return;
    int64_t wall;
    if (utc_to_wall(&s->zn, cck_icsval_secs(&r->until), &wall)) {
        cck_civil_from_secs1601(wall, &s->until);
        s->until_local = true;
    }
}

/* Reads the series of a master or single item; false when there is none to
 * read (no usable DTSTART, an override, the calendar item). */
static bool series_open(const cck_icsinfo *x, series *s, cck_arena **a)
{
    if (!x || x->calendar_item || x->is_override || !x->dtstart.prop || !x->dtstart.valid)
        return false;
    s->x = x;
    s->zn = (zone){x->zones, x->dtstart.tzid, x->dtstart.tzid_len, x->dtstart.utc};
    s->start = pt_of_dt(&x->dtstart, x->zones);
    s->dur = series_length(x);
    s->rc = -1;
    s->has_rule = s->until_local = false;
    if (x->rrule) {
        cck_problems pr;
        s->rc = rule_parse(x->rrule, &s->rule, &pr, a);
        s->has_rule = s->rc == 0 && rule_errors(&pr) == 0 && !s->rule.unsupported;
        if (s->has_rule)
            localise_until(s);
    }
    return true;
}

static void series_iter(const series *s, cck_rrule_iter *it, bool with_dtstart, uint64_t max)
{
    cck_rrule_iter_init(it, &s->rule, &s->x->dtstart.local, s->start.is_date);
    it->include_dtstart = with_dtstart;
    if (max)
        it->max_instances = max;
    if (s->until_local)
        cck_rrule_iter_set_until(it, &s->until);
}

/* An occurrence of the series; its UTC reading is computed when needed. */
static ipt occ_pt(const series *s, const cck_civil *c)
{
    ipt p = pt_make(&s->zn, c, s->start.is_date, false);
    p.dur = s->dur;
    p.prop = s->x->rrule;
    return p;
}

/* Whether the iterator ran to the end of the rule (not cut by a cap). */
static bool iter_complete(const cck_rrule_iter *it)
{
    return it->stop == CCK_RRULE_STOP_COUNT || it->stop == CCK_RRULE_STOP_UNTIL ||
           it->stop == CCK_RRULE_STOP_EMPTY || it->stop == CCK_RRULE_STOP_HORIZON;
}

/* ======================================================================
 * 0230: RRULE syntax
 * ====================================================================== */

static void report_rrule_syntax(const cck_icsinfo *x, cck_ctx *ctx, cck_arena **a)
{
    const cck_ics_prop *fp = NULL;
    const cck_problem *first = NULL;
    size_t more = 0;
    for (const cck_ics_prop *p = x->comp ? x->comp->props : NULL; p; p = p->next) {
        if (p->id != CCK_ICSN_RRULE)
            continue;
        cck_rrule r;
        cck_problems pr;
        rule_parse(p, &r, &pr, a);
        for (size_t i = 0; i < pr.n; i++) {
            if (pr.v[i].sev != CCK_SEV_ERROR)
                continue;
            if (!first) {
                first = &pr.v[i];
                fp = p;
            } else {
                more++;
            }
        }
        more += pr.dropped;
    }
    if (!first)
        return;
    char q[QBUF], m[40];
    cck_report(ctx, 230, "line %u:%u: RRULE \"%s\": %s%s", fp->value_line,
               value_col_at(fp, first->offset), qval(fp, q), first->text, and_more(more, m));
}

/* ======================================================================
 * 0234: more than one RRULE
 * ====================================================================== */

static void report_multi_rrule(const cck_icsinfo *x, cck_ctx *ctx)
{
    if (x->n_rrule < 2 || !x->comp)
        return;
    const cck_ics_prop *first = NULL, *second = NULL;
    for (const cck_ics_prop *p = x->comp->props; p && !second; p = p->next)
        if (p->id == CCK_ICSN_RRULE) {
            if (first)
                second = p;
            else
                first = p;
        }
    if (!second)
        return;
    char q[QBUF], m[40];
    cck_report(ctx, 234, "line %u:%u: a second RRULE \"%s\" (the first is on line %u)%s",
               second->line, second->col, qval(second, q), first->line,
               and_more(x->n_rrule - 2, m));
}

/* ======================================================================
 * 0232: UNTIL before DTSTART; 0233: unbounded MINUTELY/SECONDLY
 * ====================================================================== */

/* Byte offset of the value of rule part `name` ("UNTIL") in p's value, and
 * its length; false when the part is not there. */
static bool rule_part(const cck_ics_prop *p, const char *name, size_t *off, size_t *len)
{
    size_t nl = strlen(name), n = p->value_len;
    const char *v = p->value;
    for (size_t i = 0; v && i + nl < n; i++) {
        if (i && v[i - 1] != ';')
            continue;
        size_t k = 0;
        while (k < nl && (v[i + k] & ~0x20) == name[k])
            k++;
        if (k < nl || v[i + nl] != '=')
            continue;
        *off = i + nl + 1;
        *len = 0;
        while (*off + *len < n && v[*off + *len] != ';')
            (*len)++;
        return true;
    }
    return false;
}

static bool until_before_start(series *s)
{
    const cck_rrule *r = &s->rule;
    if (s->rc != 0 || !r->has_until)
        return false;
    int64_t u = cck_icsval_secs(&r->until);
    if (r->until_is_date || s->start.is_date)
        return floor_div(u, DAY) < floor_div(s->start.wall, DAY);
    if (r->until_utc && s->start.has_utc)
        return u < s->start.utc;
    return u < s->start.wall;
}

static bool report_until(series *s, cck_ctx *ctx)
{
    if (!until_before_start(s))
        return false;
    const cck_ics_prop *p = s->x->rrule;
    size_t off = 0, len = p->value_len;
    if (!rule_part(p, "UNTIL", &off, &len))
        off = 0;
    char q[QBUF], d[QBUF];
    cck_report(ctx, 232, "line %u:%u: UNTIL \"%s\" is before DTSTART \"%s\"", p->value_line,
               value_col_at(p, off), quote(p->value + off, len, q), qval(s->x->dtstart.prop, d));
    return true;
}

static void report_unbounded(const series *s, cck_ctx *ctx)
{
    if (!s->has_rule || !cck_rrule_is_unbounded_subhourly(&s->rule))
        return;
    const cck_ics_prop *p = s->x->rrule;
    bool min = s->rule.freq == CCK_FREQ_MINUTELY;
    unsigned n = s->rule.interval;
    char q[QBUF];
    cck_report(ctx, 233, "line %u:%u: RRULE \"%s\" repeats every %u %s%s without COUNT or UNTIL",
               p->line, p->col, qval(p, q), n, min ? "minute" : "second", n == 1 ? "" : "s");
}

/* ======================================================================
 * 0231: a series without any occurrence
 * ====================================================================== */

/* Whether the set DTSTART + RRULE + RDATE - EXDATE is empty: 1 empty, 0 not,
 * -1 cannot tell (the expansion stopped on a cap). *n counts the
 * occurrences EXDATE removed. */
static int all_excluded(const series *s, const ptlist *ex, const ptlist *rd, size_t *n)
{
    *n = 0;
    if (!ex->n)
        return 0;
    if (s->has_rule) {
        cck_rrule_iter it;
        cck_civil c;
        series_iter(s, &it, true, 0);
        while (cck_rrule_iter_next(&it, &c)) {
            ipt x = occ_pt(s, &c);
            if (!pl_match(ex, &x))
                return 0;
            ++*n;
        }
        if (!iter_complete(&it))
            return -1;
    } else {
        ipt x = s->start;
        if (!pl_match(ex, &x))
            return 0;
        ++*n;
    }
    for (size_t i = 0; i < rd->n; i++, ++*n)
        if (!pl_match(ex, &rd->v[i]))
            return 0;
    return 1;
}

/* Whether the rule yields an occurrence of its own (not counting a DTSTART
 * that does not match it): cck_rrule_has_instance with UNTIL on DTSTART's
 * clock. */
static bool rule_yields(const series *s)
{
    cck_rrule_iter it;
    cck_civil c;
    series_iter(s, &it, false, 1);
    return cck_rrule_iter_next(&it, &c) || !iter_complete(&it);
}

static void report_no_instance(const series *s, bool until_reported, cck_ctx *ctx)
{
    const cck_icsinfo *x = s->x;
    if (x->rrule && !s->has_rule)
        return; /* 0230: what the rule yields is not known */
    ptlist ex, rd;
    memset(&ex, 0, sizeof ex);
    memset(&rd, 0, sizeof rd);
    if (x->n_exdate)
        pl_collect(&ex, x->comp, CCK_ICSN_EXDATE, x->zones);
    if (x->n_rdate)
        pl_collect(&rd, x->comp, CCK_ICSN_RDATE, x->zones);
    size_t n = 0;
    char q[QBUF], d[QBUF];
    if (!ex.cut && !rd.cut && all_excluded(s, &ex, &rd, &n) == 1) {
        const cck_ics_prop *p = cck_ics_get_id(x->comp, CCK_ICSN_EXDATE);
        cck_report(
            ctx, 231, "line %u:%u: EXDATE \"%s\"%s removes every occurrence of the series (%zu)",
            p->line, p->col, qval(p, q), x->n_exdate > 1 ? " with the other EXDATEs" : "", n);
    } else if (s->has_rule && !x->n_rdate && !until_reported && !rule_yields(s)) {
        const cck_ics_prop *p = x->rrule;
        cck_report(ctx, 231,
                   "line %u:%u: RRULE \"%s\" yields no occurrence; only DTSTART \"%s\" is left",
                   p->line, p->col, qval(p, q), qval(x->dtstart.prop, d));
    }
    pl_free(&ex);
    pl_free(&rd);
}

/* ======================================================================
 * 0230-0234
 * ====================================================================== */

void cck_chk_ics_rrule(const cck_item *it, cck_ctx *ctx);
void cck_chk_ics_rrule(const cck_item *it, cck_ctx *ctx)
{
    const cck_icsinfo *x = it->ics;
    if (!x || x->calendar_item || (!x->rrule && !x->n_rdate))
        return;
    cck_arena *a = NULL;
    if (x->rrule) {
        report_rrule_syntax(x, ctx, &a);
        report_multi_rrule(x, ctx);
    }
    series s;
    if (series_open(x, &s, &a)) {
        bool until = report_until(&s, ctx);
        report_unbounded(&s, ctx);
        if (cck_ctx_enabled(ctx, 231))
            report_no_instance(&s, until, ctx);
    }
    cck_arena_free(a);
}

/* ======================================================================
 * Overrides (0235-0237, 0402)
 * ====================================================================== */

typedef struct ovr {
    const cck_icsinfo *x;
    ipt rid, start;            /* start: DTSTART, or the RECURRENCE-ID when it has none */
    int64_t s_at, e_at;        /* its time span, on the overlap time line */
    bool decided, matched;     /* an occurrence was found for it / it is one */
    const cck_ics_prop *ex_by; /* the EXDATE that removes the occurrence it names */
} ovr;

typedef struct ovrset {
    ovr *v;         /* sorted by RECURRENCE-ID wall time */
    ovr **by_start; /* sorted by s_at */
    size_t n, undecided;
    int64_t max_dur, max_rid_wall, max_e_at;
    size_t budget; /* comparisons left */
} ovrset;

static int cmp_rid(const void *a, const void *b)
{
    const ovr *x = a, *y = b;
    return (x->rid.wall > y->rid.wall) - (x->rid.wall < y->rid.wall);
}

static int cmp_start(const void *a, const void *b)
{
    const ovr *x = *(const ovr *const *)a, *y = *(const ovr *const *)b;
    return (x->s_at > y->s_at) - (x->s_at < y->s_at);
}

static void ovr_fill(ovr *o, const cck_icsinfo *ex, int64_t master_len)
{
    memset(o, 0, sizeof *o);
    o->x = ex;
    o->rid = pt_of_dt(&ex->recurrence_id, ex->zones);
    o->start = ex->dtstart.prop && ex->dtstart.valid ? pt_of_dt(&ex->dtstart, ex->zones) : o->rid;
    int64_t d;
    if (!own_duration(ex, &d))
        d = master_len;
    o->s_at = pt_at(&o->start);
    o->e_at = o->s_at + d;
    o->start.dur = d;
}

static void ovr_free(ovrset *o)
{
    free(o->v);
    free(o->by_start);
}

/* The overrides with a readable RECURRENCE-ID; false when there is none or
 * no memory. */
static bool ovr_collect(const cck_item *it, ovrset *o)
{
    memset(o, 0, sizeof *o);
    o->v = malloc(it->n_exceptions * sizeof *o->v);
    o->by_start = malloc(it->n_exceptions * sizeof *o->by_start);
    if (!o->v || !o->by_start) {
        ovr_free(o);
        return false;
    }
    int64_t len = series_length(it->ics);
    o->max_rid_wall = o->max_e_at = INT64_MIN;
    for (size_t i = 0; i < it->n_exceptions; i++) {
        const cck_icsinfo *ex = it->exceptions[i].ics;
        if (!ex || !ex->recurrence_id.prop || !ex->recurrence_id.valid)
            continue;
        ovr *v = &o->v[o->n++];
        ovr_fill(v, ex, len);
        if (v->start.dur > o->max_dur)
            o->max_dur = v->start.dur;
        if (v->rid.wall > o->max_rid_wall)
            o->max_rid_wall = v->rid.wall;
        if (v->e_at > o->max_e_at)
            o->max_e_at = v->e_at;
    }
    qsort(o->v, o->n, sizeof *o->v, cmp_rid);
    for (size_t i = 0; i < o->n; i++)
        o->by_start[i] = &o->v[i];
    qsort(o->by_start, o->n, sizeof *o->by_start, cmp_start);
    o->undecided = o->n;
    o->budget = COMPARE_BUDGET;
    if (o->n)
        return true;
    ovr_free(o);
    return false;
}

/* ---- 0235 ----------------------------------------------------------- */

static void report_orphan(const cck_icsinfo *x, cck_ctx *ctx)
{
    const cck_ics_prop *p = x->recurrence_id.prop;
    if (!p)
        return;
    char q[QBUF], u[QBUF];
    cck_report(ctx, 235,
               "line %u:%u: RECURRENCE-ID \"%s\" overrides an occurrence of UID \"%s\", "
               "which has no master in the calendar",
               p->line, p->col, qval(p, q), quote(x->uid, x->uid_len, u));
}

/* ---- 0237 ----------------------------------------------------------- */

static void report_duplicate_rids(ovrset *o, cck_ctx *ctx)
{
    const ovr *a = NULL, *b = NULL;
    size_t n = 0;
    for (size_t k = 0; k < o->n && o->budget; k++)
        for (size_t j = k + 1; j < o->n && o->v[j].rid.wall <= o->v[k].rid.wall + SLACK; j++) {
            if (!o->budget)
                break;
            o->budget--;
            if (!pt_same(&o->v[k].rid, &o->v[j].rid))
                continue;
            if (!n++) {
                bool kfirst = o->v[k].rid.prop->line <= o->v[j].rid.prop->line;
                a = kfirst ? &o->v[k] : &o->v[j];
                b = kfirst ? &o->v[j] : &o->v[k];
            }
            break; /* each override counted once, with its next twin */
        }
    if (!n)
        return;
    const cck_ics_prop *p = b->rid.prop;
    char q[QBUF], m[40];
    cck_report(ctx, 237,
               "line %u:%u: RECURRENCE-ID \"%s\" is also that of the override on "
               "line %u%s",
               p->line, p->col, qval(p, q), a->rid.prop->line, and_more(n - 1, m));
}

/* ---- 0402, overrides among themselves -------------------------------- */

static const cck_ics_prop *start_prop(const ovr *o)
{
    return o->start.prop ? o->start.prop : o->rid.prop;
}

/* Reports the first two overrides that overlap (twins of one RECURRENCE-ID
 * are 0237's); true when it did. */
static bool report_override_pairs(ovrset *o, cck_ctx *ctx)
{
    ovr *m = NULL; /* the override that ends last so far */
    for (size_t i = 0; i < o->n; i++) {
        ovr *v = o->by_start[i];
        if (m && v->s_at < m->e_at && !pt_same(&m->rid, &v->rid)) {
            const cck_ics_prop *p = start_prop(v), *q = start_prop(m);
            char a[QBUF], b[QBUF];
            cck_report(ctx, 402,
                       "line %u:%u: override starting \"%s\" overlaps the override on line %u "
                       "starting \"%s\"",
                       p->line, p->col, qval(p, a), q->line, qval(q, b));
            return true;
        }
        if (!m || v->e_at > m->e_at)
            m = v;
    }
    return false;
}

/* ---- 0236 and 0402 against the series' occurrences ------------------ */

typedef struct walker {
    const series *s;
    ovrset *o;
    const ptlist *ex;
    bool want_overlap;
    ovr *hit; /* the first override found overlapping an occurrence */
    int64_t hit_wall;
    bool aborted; /* out of comparisons: the overrides are not decided */
} walker;

/* Marks the overrides naming occurrence x; true when one replaces it. */
static bool mark_overrides(walker *w, ipt *x, const ipt *removed_by)
{
    ovrset *o = w->o;
    size_t lo = 0, hi = o->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->v[mid].rid.wall < x->wall - SLACK)
            lo = mid + 1;
        else
            hi = mid;
    }
    bool replaced = false;
    for (size_t k = lo; k < o->n && o->v[k].rid.wall <= x->wall + SLACK; k++) {
        ovr *v = &o->v[k];
        if (!o->budget) {
            w->aborted = true;
            break;
        }
        o->budget--;
        if (!pt_same(&v->rid, x))
            continue;
        if (!v->decided) {
            v->decided = true;
            o->undecided--;
        }
        if (removed_by)
            v->ex_by = removed_by->prop;
        else
            v->matched = replaced = true;
    }
    return replaced;
}

/* Looks for an override overlapping occurrence x. */
static void overlap_occurrence(walker *w, ipt *x)
{
    ovrset *o = w->o;
    int64_t at = pt_at(x), end = at + (x->dur > 0 ? x->dur : 0);
    int64_t from = at - o->max_dur - SLACK;
    size_t lo = 0, hi = o->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->by_start[mid]->s_at < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < o->n && o->by_start[k]->s_at < end && o->budget; k++, o->budget--)
        if (o->by_start[k]->e_at > at) {
            w->hit = o->by_start[k];
            w->hit_wall = x->wall;
            return;
        }
}

static void visit(walker *w, ipt *x)
{
    ipt *rm = w->ex->n ? pl_match(w->ex, x) : NULL;
    bool replaced = mark_overrides(w, x, rm);
    if (!rm && !replaced && w->want_overlap && !w->hit)
        overlap_occurrence(w, x);
}

static bool walk_done(const walker *w)
{
    return w->aborted || (!w->o->undecided && (!w->want_overlap || w->hit));
}

/* Visits the occurrences (DTSTART and the rule's, then the RDATEs) until
 * every override is decided and no later occurrence can overlap one.
 * Returns the wall time up to which overrides were decided. */
static int64_t walk_series(walker *w, const ptlist *rd)
{
    const series *s = w->s;
    int64_t horizon = w->o->max_rid_wall;
    if (w->want_overlap && w->o->max_e_at > horizon)
        horizon = w->o->max_e_at;
    horizon += SLACK;
    int64_t decided_to = INT64_MAX;
    if (s->has_rule) {
        cck_rrule_iter it;
        cck_civil c;
        int64_t last = INT64_MIN;
        series_iter(s, &it, true, 0);
        bool stopped = false;
        while (!stopped && cck_rrule_iter_next(&it, &c)) {
            ipt x = occ_pt(s, &c);
            last = x.wall;
            visit(w, &x);
            stopped = x.wall > horizon || walk_done(w);
        }
        if (!stopped && !iter_complete(&it))
            decided_to = last == INT64_MIN ? INT64_MIN : last - SLACK;
    } else {
        ipt x = s->start;
        x.dur = s->dur;
        visit(w, &x);
    }
    for (size_t i = 0; i < rd->n && !w->aborted; i++) {
        ipt x = rd->v[i];
        if (x.dur < 0)
            x.dur = s->dur;
        visit(w, &x);
    }
    return w->aborted ? INT64_MIN : decided_to;
}

static void report_unmatched(const ovrset *o, int64_t decided_to, cck_ctx *ctx)
{
    const ovr *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < o->n; i++) {
        const ovr *v = &o->v[i];
        if (v->matched || v->rid.wall > decided_to)
            continue;
        if (!n++)
            first = v;
    }
    if (!first)
        return;
    const cck_ics_prop *p = first->rid.prop;
    char q[QBUF], m[40];
    if (first->ex_by)
        cck_report(ctx, 236,
                   "line %u:%u: RECURRENCE-ID \"%s\" names an occurrence that EXDATE on line %u "
                   "removes%s",
                   p->line, p->col, qval(p, q), first->ex_by->line, and_more(n - 1, m));
    else
        cck_report(ctx, 236,
                   "line %u:%u: RECURRENCE-ID \"%s\" matches no occurrence of the "
                   "series%s",
                   p->line, p->col, qval(p, q), and_more(n - 1, m));
}

static void report_occurrence_overlap(const walker *w, cck_ctx *ctx)
{
    if (!w->hit)
        return;
    const cck_ics_prop *p = start_prop(w->hit);
    char q[QBUF], t[TBUF];
    cck_report(ctx, 402, "line %u:%u: override starting \"%s\" overlaps the occurrence at %s",
               p->line, p->col, qval(p, q),
               fmt_wall(w->hit_wall, w->s->start.is_date, w->s->zn.utc, t));
}

/* 0236 and the occurrence half of 0402: one walk over the series. */
static void check_against_series(const cck_item *it, ovrset *o, bool want_overlap, cck_ctx *ctx)
{
    const cck_icsinfo *x = it->ics;
    cck_arena *a = NULL;
    series s;
    if (!series_open(x, &s, &a) || (x->rrule && !s.has_rule)) {
        cck_arena_free(a);
        return; /* no DTSTART, or a rule 0230 reports: the occurrences are not known */
    }
    ptlist ex, rd;
    pl_collect(&ex, x->n_exdate ? x->comp : NULL, CCK_ICSN_EXDATE, x->zones);
    pl_collect(&rd, x->n_rdate ? x->comp : NULL, CCK_ICSN_RDATE, x->zones);
    if (!ex.cut && !rd.cut) {
        walker w = {&s, o, &ex, want_overlap, NULL, 0, false};
        o->budget = COMPARE_BUDGET;
        int64_t decided_to = walk_series(&w, &rd);
        report_unmatched(o, decided_to, ctx);
        report_occurrence_overlap(&w, ctx);
    }
    pl_free(&ex);
    pl_free(&rd);
    cck_arena_free(a);
}

void cck_chk_ics_overrides(const cck_item *it, cck_ctx *ctx);
void cck_chk_ics_overrides(const cck_item *it, cck_ctx *ctx)
{
    const cck_icsinfo *x = it->ics;
    if (!x || x->calendar_item)
        return;
    if (x->is_override) {
        if (x->orphan)
            report_orphan(x, ctx);
        return;
    }
    ovrset o;
    if (!it->n_exceptions || !ovr_collect(it, &o))
        return;
    report_duplicate_rids(&o, ctx);
    bool want_overlap = cck_ctx_enabled(ctx, 402) && !report_override_pairs(&o, ctx);
    if (cck_ctx_enabled(ctx, 236) || want_overlap)
        check_against_series(it, &o, want_overlap, ctx);
    ovr_free(&o);
}

/* ======================================================================
 * 0238, 0239: the pattern's occurrences overlap / share a day
 * ====================================================================== */

/* Whether the rule cannot put two occurrences on one day nor overlap them:
 * a daily or coarser rule whose time of day is DTSTART's gives one
 * occurrence a day, each at the same time, so occurrences no longer than a
 * day never overlap (on the wall clock). */
static bool one_per_day(const series *s)
{
    const cck_rrule *r = &s->rule;
    const cck_civil *t = &s->x->dtstart.local;
    if (!s->has_rule || r->freq < CCK_FREQ_DAILY || s->dur > DAY)
        return false;
    if (s->start.is_date)
        return true;
    return (!r->nhour || (r->nhour == 1 && r->hour[0] == t->hour)) &&
           (!r->nminute || (r->nminute == 1 && r->minute[0] == t->minute)) &&
           (!r->nsecond || (r->nsecond == 1 && r->second[0] == t->second));
}

typedef struct occlist {
    ipt *v;
    size_t n, cap;
} occlist;

static void occ_push(occlist *l, const ipt *p)
{
    if (l->n < l->cap)
        l->v[l->n++] = *p;
}

/* The first PATTERN_MAX occurrences of the rule, then the RDATEs up to the
 * last of them (past it the rule's are not known), EXDATEs left out, sorted,
 * each once. */
static void pattern_collect(const series *s, const ptlist *ex, const ptlist *rd, occlist *l)
{
    int64_t last = INT64_MAX;
    if (s->has_rule) {
        cck_rrule_iter it;
        cck_civil c;
        series_iter(s, &it, true, PATTERN_MAX);
        while (cck_rrule_iter_next(&it, &c)) {
            ipt x = occ_pt(s, &c);
            if (!ex->n || !pl_match(ex, &x))
                occ_push(l, &x);
            last = x.wall;
        }
        if (iter_complete(&it))
            last = INT64_MAX;
    } else {
        ipt x = s->start;
        x.dur = s->dur;
        if (!ex->n || !pl_match(ex, &x))
            occ_push(l, &x);
    }
    for (size_t i = 0; i < rd->n && rd->v[i].wall <= last; i++) {
        ipt x = rd->v[i];
        if (x.dur < 0)
            x.dur = s->dur;
        if (!ex->n || !pl_match(ex, &x))
            occ_push(l, &x);
    }
    qsort(l->v, l->n, sizeof *l->v, cmp_wall);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (!k || l->v[i].wall != l->v[k - 1].wall)
            l->v[k++] = l->v[i];
    l->n = k;
}

/* The line an occurrence comes from: its RDATE, else the RRULE. */
static const cck_ics_prop *occ_line(const series *s, const ipt *a, const ipt *b)
{
    if (b->prop && b->prop != s->x->rrule)
        return b->prop;
    if (a->prop)
        return a->prop;
    return s->x->rrule ? s->x->rrule : s->x->dtstart.prop;
}

static void report_same_day(const series *s, const ipt *a, const ipt *b, cck_ctx *ctx)
{
    const cck_ics_prop *p = occ_line(s, a, b);
    char q[QBUF], t1[TBUF], t2[TBUF];
    cck_report(ctx, 239, "line %u:%u: %s \"%s\" puts two occurrences on one day: %s and %s",
               p->line, p->col, p->name, qval(p, q), fmt_wall(a->wall, a->is_date, s->zn.utc, t1),
               fmt_wall(b->wall, b->is_date, s->zn.utc, t2));
}

static void report_overlap(const series *s, const ipt *a, const ipt *b, cck_ctx *ctx)
{
    const cck_ics_prop *p = occ_line(s, a, b);
    char q[QBUF], t1[TBUF], t2[TBUF], d[TBUF];
    bool date = s->start.is_date;
    cck_report(ctx, 238,
               "line %u:%u: %s \"%s\" has overlapping occurrences: %s lasts %s and %s "
               "starts before it ends",
               p->line, p->col, p->name, qval(p, q), fmt_wall(a->wall, date, s->zn.utc, t1),
               fmt_dur(a->dur, d), fmt_wall(b->wall, date && b->is_date, s->zn.utc, t2));
}

/* Scans the sorted occurrences for the first two on one day and the first
 * two that overlap. */
static void pattern_scan(const series *s, const occlist *l, cck_ctx *ctx)
{
    bool want_day = cck_ctx_enabled(ctx, 239), want_ovl = cck_ctx_enabled(ctx, 238);
    const ipt *last = NULL; /* the occurrence that ends last so far */
    for (size_t i = 1; i < l->n && (want_day || want_ovl); i++) {
        const ipt *a = &l->v[i - 1], *b = &l->v[i];
        if (!last || a->wall + a->dur > last->wall + last->dur)
            last = a;
        if (want_day && floor_div(a->wall, DAY) == floor_div(b->wall, DAY)) {
            report_same_day(s, a, b, ctx);
            want_day = false;
        }
        if (want_ovl && b->wall < last->wall + last->dur) {
            report_overlap(s, last, b, ctx);
            want_ovl = false;
        }
    }
}

void cck_chk_ics_instances(const cck_item *it, cck_ctx *ctx);
void cck_chk_ics_instances(const cck_item *it, cck_ctx *ctx)
{
    const cck_icsinfo *x = it->ics;
    if (!x || x->calendar_item || x->is_override || (!x->rrule && !x->n_rdate))
        return;
    if (!cck_ctx_enabled(ctx, 238) && !cck_ctx_enabled(ctx, 239))
        return;
    cck_arena *a = NULL;
    series s;
    if (series_open(x, &s, &a) && !(x->rrule && !s.has_rule) && (x->n_rdate || !one_per_day(&s))) {
        ptlist ex, rd;
        pl_collect(&ex, x->n_exdate ? x->comp : NULL, CCK_ICSN_EXDATE, x->zones);
        pl_collect(&rd, x->n_rdate ? x->comp : NULL, CCK_ICSN_RDATE, x->zones);
        occlist l = {malloc((PATTERN_MAX + 1 + rd.n) * sizeof(ipt)), 0, PATTERN_MAX + 1 + rd.n};
        if (l.v && !ex.cut && !rd.cut) {
            pattern_collect(&s, &ex, &rd, &l);
            pattern_scan(&s, &l, ctx);
        }
        free(l.v);
        pl_free(&ex);
        pl_free(&rd);
    }
    cck_arena_free(a);
}
