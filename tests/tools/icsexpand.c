/* icsexpand.c - test tool: the occurrences of each VEVENT/VTODO/VJOURNAL of an iCalendar file,
 * read with src/ics (parser, values, zones) and expanded with src/ics/rrule: DTSTART, RRULEs and
 * RDATEs (RFC 5545 §3.8.5) less EXDATEs and EXRULEs (RFC 2445 §4.8.5.2), in time order.
 * Usage: icsexpand [-z ZONE] [-n N] [-l] [-b BEFORE] [-d] FILE; see usage() for the output.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics/ics.h"
#include "ics/icstz.h"
#include "ics/icsval.h"
#include "ics/rrule.h"
#include "util/arena.h"
#include "util/problems.h"
#include "util/time.h"

#define DAY       ((int64_t)86400)
#define MAX_RULES 16       /* RRULEs / EXRULEs used per component */
#define MAX_ITER  20000000 /* rule instances looked at per component */

static void usage(void)
{
    fprintf(stderr,
            "usage: icsexpand [-z ZONE] [-n N] [-l] [-b BEFORE] [-d] FILE\n"
            "For each VEVENT/VTODO/VJOURNAL: a line \"component NAME line L\", then its\n"
            "occurrences, one a line: YYYY-MM-DDTHH:MM:SS OFFSET, OFFSET being +hh:mm/-hh:mm,\n"
            "\"float\" (no zone) or \"date\" (a DATE, time 00:00:00), then \"end N\".\n"
            "Floating times and dates are placed on the UTC time line.\n"
            "  -z ZONE    show times in ZONE (a TZID of the file, an IANA id, or UTC)\n"
            "  -n N       the first N occurrences (default 1000)\n"
            "  -l         the last N instead, newest first\n"
            "  -b BEFORE  only occurrences before the instant BEFORE (YYYYMMDDTHHMMSSZ)\n"
            "  -d         one occurrence per date (as shown) and print the date only\n");
}

typedef struct zone {
    cck_icstz *tz;
    const char *tzid; /* NULL: floating or UTC */
    size_t n;
    bool utc;
} zone;

typedef struct occ {
    int64_t wall; /* as written, seconds since 1601 */
    int64_t utc;  /* the instant (floating and dates: wall read as UTC) */
    bool is_date, floating, known;
    const zone *z;
} occ;

typedef struct occs {
    occ *v;
    size_t n, cap;
} occs;

static void push(occs *l, const occ *o)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v) {
            fprintf(stderr, "icsexpand: out of memory\n");
            exit(2);
        }
    }
    l->v[l->n++] = *o;
}

static occ make_occ(const zone *z, const cck_civil *c, bool is_date)
{
    occ o;
    memset(&o, 0, sizeof o);
    o.wall = o.utc = cck_icsval_secs(c);
    o.is_date = is_date;
    o.z = z;
    o.floating = !is_date && !z->utc && !z->tzid;
    o.known = true;
    if (!is_date && z->tzid && !z->utc)
        o.known = cck_icstz_to_utc(z->tz, z->tzid, z->n, c, &o.utc) == 0;
    return o;
}

/* Wall clock in zone z of the instant u (UTC and floating: u itself). */
static bool utc_to_wall(const zone *z, int64_t u, int64_t *wall)
{
    if (z->utc || !z->tzid) {
        *wall = u;
        return true;
    }
    return cck_icstz_from_utc(z->tz, z->tzid, z->n, u, wall) == 0;
}

/* The same occurrence: by date when either is a DATE, by instant when both
 * are known, else as written (as the recurrence checks compare them). */
static bool same(const occ *a, const occ *b)
{
    if (a->is_date || b->is_date)
        return a->wall / DAY == b->wall / DAY;
    if (a->known && b->known)
        return a->utc == b->utc;
    return a->wall == b->wall;
}

static int cmp_occ(const void *pa, const void *pb)
{
    const occ *a = pa, *b = pb;
    if (a->utc != b->utc)
        return a->utc < b->utc ? -1 : 1;
    return (a->is_date ? 0 : 1) - (b->is_date ? 0 : 1);
}

/* What one line shows: wall clock and offset in the display zone. */
typedef struct shown {
    int64_t wall;
    char off[32];
} shown;

static shown show(const occ *o, const zone *view)
{
    shown s;
    if (o->is_date || o->floating || !o->known) {
        s.wall = o->wall;
        snprintf(s.off, sizeof s.off, "%s", o->is_date ? "date" : o->floating ? "float" : "?");
        if (!view || o->is_date || !o->known)
            return s;
    }
    const zone *z = view ? view : o->z;
    int64_t w;
    if (!utc_to_wall(z, o->utc, &w)) {
        s.wall = o->wall;
        snprintf(s.off, sizeof s.off, "?");
        return s;
    }
    int64_t d = (w - o->utc) / 60, a = d < 0 ? -d : d;
    s.wall = w;
    snprintf(s.off, sizeof s.off, "%c%02lld:%02lld", d < 0 ? '-' : '+', (long long)(a / 60),
             (long long)(a % 60));
    return s;
}

static int64_t shown_day(const occ *o, const zone *view)
{
    int64_t w = show(o, view).wall;
    return w >= 0 ? w / DAY : -((-w + DAY - 1) / DAY);
}

/* The values of a DATE/DATE-TIME list property (RDATE, EXDATE), each in the
 * property's TZID (or UTC / floating); a PERIOD counts by its start. */
static void collect(const cck_ics_comp *c, const char *name, cck_icstz *tz, occs *out, zone *zones,
                    size_t *nz, size_t maxz)
{
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        if (strcmp(p->name, name) != 0)
            continue;
        const cck_ics_param *tp = cck_ics_param_get(p, "TZID");
        size_t pos = 0, n;
        const char *v;
        while (cck_icsval_next(p, &pos, &v, &n)) {
            const char *slash = memchr(v, '/', n);
            if (slash)
                n = (size_t)(slash - v);
            cck_civil cv;
            bool is_date, utc;
            if (cck_icsval_datetime(v, n, &cv, &is_date, &utc) != 0) {
                fprintf(stderr, "icsexpand: line %u: %s value not read: %.*s\n", p->line, name,
                        (int)n, v);
                continue;
            }
            if (*nz == maxz) {
                fprintf(stderr, "icsexpand: too many %s properties\n", name);
                return;
            }
            zone *z = &zones[(*nz)++];
            *z = (zone){tz, NULL, 0, utc};
            if (!utc && !is_date && tp && tp->nvalues) {
                z->tzid = tp->values[0];
                z->n = strlen(tp->values[0]);
            }
            occ o = make_occ(z, &cv, is_date);
            push(out, &o);
        }
    }
}

/* One RRULE or EXRULE being expanded. */
typedef struct rulex {
    cck_rrule rule;
    cck_rrule_iter it;
    bool have, done;
    occ cur;
} rulex;

static bool rule_open(rulex *r, const cck_ics_prop *p, const cck_icsdt *start, const zone *z,
                      bool with_dtstart, cck_arena *a)
{
    cck_problems pr;
    cck_problems_init(&pr, a);
    int rc = cck_rrule_parse(p->value, p->value_len, &r->rule, &pr);
    bool bad = rc != 0 || r->rule.unsupported;
    for (size_t i = 0; i < pr.n; i++) {
        fprintf(stderr, "problem: line %u: %s: %s\n", p->line, pr.v[i].code, pr.v[i].text);
        if (pr.v[i].sev == CCK_SEV_ERROR)
            bad = true;
    }
    if (bad)
        return false;
    cck_rrule_iter_init(&r->it, &r->rule, &start->local, start->is_date);
    r->it.include_dtstart = with_dtstart;
    r->it.max_instances = MAX_ITER;
    /* A UTC UNTIL is compared with DTSTART's wall clock: put it on that clock. */
    const cck_rrule *u = &r->rule;
    if (u->has_until && u->until_utc && !u->until_is_date && !start->is_date && z->tzid) {
        int64_t w;
        if (utc_to_wall(z, cck_icsval_secs(&u->until), &w)) {
            cck_civil c;
            cck_civil_from_secs1601(w, &c);
            cck_rrule_iter_set_until(&r->it, &c);
        }
    }
    r->have = r->done = false;
    return true;
}

/* The next instance of r (ascending wall time), or NULL when it has ended. */
static const occ *rule_peek(rulex *r, const zone *z, bool is_date)
{
    if (!r->have && !r->done) {
        cck_civil c;
        if (cck_rrule_iter_next(&r->it, &c)) {
            r->cur = make_occ(z, &c, is_date);
            r->have = true;
        } else {
            r->done = true;
            if (r->it.stop == CCK_RRULE_STOP_MAX)
                fprintf(stderr, "icsexpand: stopped after %d instances\n", MAX_ITER);
        }
    }
    return r->have ? &r->cur : NULL;
}

typedef struct opts {
    const zone *view;
    size_t n;
    bool last, by_date, has_before;
    int64_t before;
} opts;

static int expand(const cck_ics_comp *c, cck_icstz *tz, const opts *o, cck_arena *a)
{
    printf("component %s line %u\n", c->name, c->line);
    cck_icsdt start;
    cck_icsval_dt(cck_ics_get(c, "DTSTART"), &start);
    if (!start.prop || !start.valid) {
        fprintf(stderr, "icsexpand: line %u: %s without a usable DTSTART\n", c->line, c->name);
        printf("end 0\n");
        return 1;
    }
    zone z = {tz, start.tzid, start.tzid_len, start.utc};
    if (start.utc || start.is_date)
        z.tzid = NULL, z.n = 0;
    if (z.tzid && cck_icstz_resolve(tz, z.tzid, z.n, NULL) == CCK_TZ_UNKNOWN)
        fprintf(stderr, "icsexpand: TZID \"%.*s\" does not resolve\n", (int)z.n, z.tzid);

    static rulex rr[MAX_RULES], xr[MAX_RULES];
    size_t nr = 0, nx = 0;
    int status = 0;
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        bool is_r = !strcmp(p->name, "RRULE"), is_x = !strcmp(p->name, "EXRULE");
        if (!is_r && !is_x)
            continue;
        size_t *k = is_r ? &nr : &nx;
        if (*k == MAX_RULES) {
            fprintf(stderr, "icsexpand: line %u: more than %d %ss, ignored\n", p->line, MAX_RULES,
                    p->name);
            continue;
        }
        /* DTSTART is the first instance of the set (once), never an exception by itself. */
        if (rule_open(is_r ? &rr[nr] : &xr[nx], p, &start, &z, is_r && nr == 0, a))
            (*k)++;
        else
            status = 2;
    }

    static zone vz[4096];
    size_t nvz = 0;
    occs rdates = {0}, exdates = {0}, kept = {0};
    collect(c, "RDATE", tz, &rdates, vz, &nvz, sizeof vz / sizeof *vz);
    collect(c, "EXDATE", tz, &exdates, vz, &nvz, sizeof vz / sizeof *vz);

    /* Rule instances in time order, merged over the RRULEs, less exceptions.
     * -l keeps the last N before BEFORE in a ring; else the first N. */
    size_t ring = 0;
    int64_t last_day = INT64_MIN;
    if (nr == 0) {
        occ s = make_occ(&z, &start.local, start.is_date);
        push(&kept, &s);
    }
    while (nr) {
        const occ *best = NULL;
        for (size_t i = 0; i < nr; i++) {
            const occ *x = rule_peek(&rr[i], &z, start.is_date);
            if (x && (!best || x->wall < best->wall))
                best = x;
        }
        if (!best)
            break;
        occ x = *best;
        for (size_t i = 0; i < nr; i++)
            if (rr[i].have && rr[i].cur.wall == x.wall)
                rr[i].have = false;
        if (o->has_before && x.utc >= o->before)
            break;
        bool excluded = false;
        for (size_t i = 0; i < exdates.n && !excluded; i++)
            excluded = same(&x, &exdates.v[i]);
        for (size_t i = 0; i < nx && !excluded; i++) {
            const occ *e;
            while ((e = rule_peek(&xr[i], &z, start.is_date)) && e->wall < x.wall)
                xr[i].have = false;
            excluded = e && e->wall == x.wall;
        }
        if (excluded)
            continue;
        if (o->by_date) {
            int64_t d = shown_day(&x, o->view);
            if (d == last_day)
                continue;
            last_day = d;
        }
        if (o->last && kept.n == o->n) {
            kept.v[ring] = x;
            ring = (ring + 1) % o->n;
        } else {
            push(&kept, &x);
        }
        if (!o->last && kept.n >= o->n)
            break;
    }

    /* Add the RDATEs not excluded, sort, drop repeats, take the window. */
    for (size_t i = 0; i < rdates.n; i++) {
        bool excluded = false;
        for (size_t k = 0; k < exdates.n && !excluded; k++)
            excluded = same(&rdates.v[i], &exdates.v[k]);
        if (!excluded && (!o->has_before || rdates.v[i].utc < o->before))
            push(&kept, &rdates.v[i]);
    }
    if (kept.n)
        qsort(kept.v, kept.n, sizeof *kept.v, cmp_occ);
    size_t m = 0;
    for (size_t i = 0; i < kept.n; i++) {
        if (m && same(&kept.v[m - 1], &kept.v[i]) && kept.v[m - 1].is_date == kept.v[i].is_date)
            continue;
        if (m && o->by_date && shown_day(&kept.v[m - 1], o->view) == shown_day(&kept.v[i], o->view))
            continue;
        kept.v[m++] = kept.v[i];
    }
    size_t from = o->last && m > o->n ? m - o->n : 0, to = !o->last && m > o->n ? o->n : m;
    size_t printed = 0;
    for (size_t k = from; k < to; k++) {
        size_t i = o->last ? to - 1 - (k - from) : k;
        shown s = show(&kept.v[i], o->view);
        cck_civil cv;
        cck_civil_from_secs1601(s.wall, &cv);
        if (o->by_date)
            printf("%04lld-%02d-%02d\n", (long long)cv.year, cv.month, cv.day);
        else
            printf("%04lld-%02d-%02dT%02d:%02d:%02d %s\n", (long long)cv.year, cv.month, cv.day,
                   cv.hour, cv.minute, cv.second, s.off);
        printed++;
    }
    printf("end %zu\n", printed);
    free(rdates.v);
    free(exdates.v);
    free(kept.v);
    return status;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t cap = 1 << 16, got;
    unsigned char *data = malloc(cap);
    *len = 0;
    while (data && (got = fread(data + *len, 1, cap - *len, f)) > 0) {
        *len += got;
        if (*len == cap) {
            unsigned char *d = realloc(data, cap *= 2);
            if (!d)
                free(data);
            data = d;
        }
    }
    fclose(f);
    return data;
}

int main(int argc, char **argv)
{
    opts o = {NULL, 1000, false, false, false, 0};
    const char *zname = NULL;
    int i = 1;
    for (; i < argc - 1 && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-z") && i + 2 < argc) {
            zname = argv[++i];
        } else if (!strcmp(argv[i], "-n") && i + 2 < argc) {
            o.n = strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "-l")) {
            o.last = true;
        } else if (!strcmp(argv[i], "-d")) {
            o.by_date = true;
        } else if (!strcmp(argv[i], "-b") && i + 2 < argc) {
            const char *s = argv[++i];
            cck_civil c;
            bool is_date, utc;
            if (cck_icsval_datetime(s, strlen(s), &c, &is_date, &utc) != 0 || is_date || !utc) {
                usage();
                return 64;
            }
            o.before = cck_icsval_secs(&c);
            o.has_before = true;
        } else {
            break;
        }
    }
    if (i != argc - 1 || o.n == 0) {
        usage();
        return 64;
    }
    size_t len;
    unsigned char *data = slurp(argv[i], &len);
    cck_arena *ca = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_icstz *tz = cck_icstz_new();
    if (!data || !ca || !a || !tz) {
        fprintf(stderr, "icsexpand: cannot read %s\n", argv[i]);
        return 2;
    }
    cck_problems calpr, pr;
    cck_problems_init(&calpr, ca);
    cck_problems_init(&pr, a);
    cck_ics_reader *r = cck_ics_open(data, len, &calpr);
    /* Every component first (a VTIMEZONE may follow the events using it). */
    const cck_ics_comp *comps[1024];
    size_t nc = 0;
    const cck_ics_comp *c;
    while (r && cck_ics_next(r, a, &c, &pr) == 1) {
        if (!strcmp(c->name, "VTIMEZONE"))
            cck_icstz_add(tz, c, &pr);
        else if (nc < sizeof comps / sizeof *comps)
            comps[nc++] = c;
        else if (nc++ == sizeof comps / sizeof *comps)
            fprintf(stderr, "icsexpand: only the first %zu components are expanded\n", nc - 1);
    }
    if (nc > sizeof comps / sizeof *comps)
        nc = sizeof comps / sizeof *comps;
    zone view = {tz, NULL, 0, false};
    if (zname) {
        if (!strcmp(zname, "UTC")) {
            view.utc = true;
        } else if (cck_icstz_resolve(tz, zname, strlen(zname), NULL) != CCK_TZ_UNKNOWN) {
            view.tzid = zname;
            view.n = strlen(zname);
        } else {
            fprintf(stderr, "icsexpand: zone \"%s\" does not resolve\n", zname);
            return 2;
        }
        o.view = &view;
    }
    int status = 0;
    for (size_t k = 0; k < nc; k++) {
        const char *n = comps[k]->name;
        if (!strcmp(n, "VEVENT") || !strcmp(n, "VTODO") || !strcmp(n, "VJOURNAL")) {
            int rc = expand(comps[k], tz, &o, a);
            if (rc > status)
                status = rc;
        }
    }
    if (r)
        cck_ics_close(r);
    cck_icstz_free(tz);
    cck_arena_free(a);
    cck_arena_free(ca);
    free(data);
    return status;
}
