/* icstz.c - the time zones of one iCalendar file (icstz.h): VTIMEZONE observances
 * (RFC 5545 §3.6.5; TZOFFSETFROM/TZOFFSETTO §3.8.3.3-4; RRULE/RDATE §3.8.5), IANA and
 * Windows zone names through ICU, and local time to UTC with §3.3.5's reading of a gap
 * (offset before it) and an overlap (first occurrence). Every zone becomes a sorted table
 * of onsets, built when first used; a lookup is a binary search, and the interval it
 * lands in is kept, so the next lookup in it is two compares. */
#include "ics/icstz.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucal.h>

#include "ics/icsval.h"
#include "ics/rrule.h"

/* Internal ceilings, on top of the header's. */
#define ZONE_ONSETS   16384     /* onsets in one zone's table; past it the last one holds */
#define CACHE_ONSETS  (1 << 20) /* onsets in all tables; past it the other tables are dropped */
#define NAMES_MAX     4096      /* names resolved through ICU that are remembered */
#define RDATES_MAX    4096      /* RDATE values kept per VTIMEZONE */
#define RRULE_EMPTY   1000      /* periods without an onset before an RRULE is given up */
#define COVER_SECS    ((int64_t)100 * 366 * 86400) /* a table reaches this far past a lookup */
#define ICU_ID_MAX    128                          /* UChars of an id ICU hands back */
#define ICU_TABLE_END 2200 /* ICU zones: a table of onsets up to this year, ICU itself after */
#define YEAR_MAX      9999
#define CYCLE_DAYS    ((int64_t)146097) /* 400 Gregorian years, a whole number of weeks */

typedef struct onset {
    int64_t key;      /* local wall time of the change, in the offset before it (`from`) */
    int32_t from, to; /* UTC offsets in seconds */
} onset;

typedef struct table {
    onset *v;
    size_t n, cap;
    int64_t cover;  /* every onset with key < cover is in v (INT64_MAX: all of them) */
    int32_t before; /* offset before the first onset */
    bool built;
    /* The last interval looked up: a local time in [lo, hi) reads with off. */
    int64_t lo, hi;
    int32_t off;
} table;

typedef struct obs {
    cck_civil dtstart; /* local wall time, in `from` */
    int64_t start;
    int32_t from, to;
    char *rrule; /* a readable RRULE value, or NULL */
    size_t rrule_len;
    bool has_until;
    int64_t until; /* UNTIL as a local key in `from` */
} obs;

/* An onset listed rather than generated: the DTSTART of an observance without an RRULE, or
 * an RDATE. */
typedef struct fixed {
    int64_t key;
    int32_t from, to;
    uint32_t seq; /* order written, so that equal keys sort the same every time */
} fixed;

/* One RRULE being expanded while a table is built. */
typedef struct stream {
    cck_rrule rule;
    cck_rrule_iter it; /* borrows rule */
    int64_t next;      /* key of the instance not yet taken */
    int32_t from, to;
    bool live, by_cover, cut;
} stream;

typedef struct zone {
    table tab;
    bool icu;
    uint32_t line; /* VTIMEZONE: where it is defined */
    /* Once every DTSTART, UNTIL and RDATE is past and the rules left repeat with the
     * 400-year Gregorian cycle, a time after fold_from reads like the same wall time some
     * cycles earlier, at or after fold_base: far years need no expansion up to them. */
    bool no_fold;
    int64_t settle; /* the latest DTSTART, UNTIL or RDATE */
    int64_t fold_base, fold_from;
    obs *obs;
    size_t nobs, nrrule;
    fixed *fx; /* sorted by key, then seq */
    size_t nfx, nrdates;
    bool rdates_reported;
    int32_t first_from; /* TZOFFSETFROM of the earliest onset: in effect before it */
    UCalendar *cal;     /* ICU */
    char *id;
    struct zone *next;
} zone;

typedef struct ent {
    char *name;
    size_t n;
    uint32_t h;
    cck_tzkind kind;
    zone *zone; /* NULL for CCK_TZ_UNKNOWN */
} ent;

typedef struct map {
    ent **slot;
    size_t cap, n;
} map;

struct cck_icstz {
    map names; /* TZID -> VTIMEZONE or how ICU resolved it */
    map icu;   /* ICU id -> its zone */
    size_t nvtz, nresolved;
    zone *zones; /* all of them, for eviction and freeing */
    size_t cached;
    ent *last;
    ent scratch; /* a resolution not remembered (NAMES_MAX reached) */
    char scratch_name[CCK_ICSTZ_MAX_TZID];
    cck_arena *arena; /* RRULE problems while a rule is re-read */
    cck_rrule *rule;  /* while an RRULE is read */
};

/* ---- small helpers ------------------------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int month_len(int64_t y, int m)
{
    static const int ML[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : ML[m - 1];
}

static int64_t key_of(const cck_civil *c)
{
    return cck_days1601_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 +
           c->minute * 60 + c->second;
}

static int64_t key_end(void)
{
    return cck_days1601_from_civil(YEAR_MAX + 1, 1, 1) * 86400;
}

static uint32_t hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static void report(cck_problems *pr, cck_severity sev, const char *code, uint32_t line,
                   uint32_t col, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void report(cck_problems *pr, cck_severity sev, const char *code, uint32_t line,
                   uint32_t col, uint64_t off, const char *fmt, ...)
{
    if (!pr)
        return;
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cck_problems_add(pr, sev, code, off, "line %u:%u: %s", (unsigned)line, (unsigned)col, buf);
}

#define AT_PROP(p)  (p)->line, (p)->col, (p)->off
#define AT_VALUE(p) (p)->value_line, (p)->value_col, (p)->off
#define AT_COMP(c)                                                                                 \
    (c)->begin ? (c)->begin->line : (c)->line, (c)->begin ? (c)->begin->col : 1, (c)->off

/* Up to 60 bytes of s for a message: printable ASCII as is, the rest as \xNN. */
static const char *quote(char *out, size_t outsz, const char *s, size_t n)
{
    size_t o = 0, i = 0;
    for (; i < n && i < 60 && o + 8 < outsz; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, outsz - o, "\\x%02X", c);
    }
    if (i < n && o + 4 < outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

/* ---- the name maps ------------------------------------------------------------------------ */

static ent *map_find(const map *m, const char *s, size_t n, uint32_t h)
{
    if (!m->cap)
        return NULL;
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        ent *e = m->slot[i];
        if (!e)
            return NULL;
        if (e->h == h && e->n == n && memcmp(e->name, s, n) == 0)
            return e;
    }
}

static void map_insert(ent **slot, size_t cap, ent *e)
{
    size_t i = e->h & (cap - 1);
    while (slot[i])
        i = (i + 1) & (cap - 1);
    slot[i] = e;
}

static int map_put(map *m, ent *e)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        ent **s = calloc(cap, sizeof *s);
        if (!s)
            return -1;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i])
                map_insert(s, cap, m->slot[i]);
        free(m->slot);
        m->slot = s;
        m->cap = cap;
    }
    map_insert(m->slot, m->cap, e);
    m->n++;
    return 0;
}

static ent *ent_new(const char *s, size_t n, uint32_t h)
{
    ent *e = calloc(1, sizeof *e);
    char *name = malloc(n + 1);
    if (!e || !name) {
        free(e);
        free(name);
        return NULL;
    }
    memcpy(name, s, n);
    name[n] = '\0';
    e->name = name;
    e->n = n;
    e->h = h;
    return e;
}

/* ---- registry ----------------------------------------------------------------------------- */

cck_icstz *cck_icstz_new(void)
{
    cck_icstz *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->arena = cck_arena_new((size_t)1 << 20);
    z->rule = malloc(sizeof *z->rule);
    if (!z->arena || !z->rule) {
        cck_icstz_free(z);
        return NULL;
    }
    return z;
}

static void zone_free(zone *zn)
{
    free(zn->tab.v);
    for (size_t i = 0; i < zn->nobs; i++)
        free(zn->obs[i].rrule);
    free(zn->obs);
    free(zn->fx);
    if (zn->cal)
        ucal_close(zn->cal);
    free(zn->id);
    free(zn);
}

void cck_icstz_free(cck_icstz *z)
{
    if (!z)
        return;
    for (zone *zn = z->zones, *nx; zn; zn = nx) {
        nx = zn->next;
        zone_free(zn);
    }
    for (size_t i = 0; i < z->names.cap; i++)
        if (z->names.slot[i]) {
            free(z->names.slot[i]->name);
            free(z->names.slot[i]);
        }
    for (size_t i = 0; i < z->icu.cap; i++)
        free(z->icu.slot[i]); /* the name is the zone's id, freed with it */
    free(z->names.slot);
    free(z->icu.slot);
    cck_arena_free(z->arena);
    free(z->rule);
    free(z);
}

/* ---- onset tables ------------------------------------------------------------------------- */

static void table_clear(cck_icstz *z, table *tb)
{
    z->cached -= tb->n;
    free(tb->v);
    memset(tb, 0, sizeof *tb);
}

/* Keeps the memory of all tables bounded: a table dropped is rebuilt when next used. */
static void drop_tables(cck_icstz *z, const zone *keep)
{
    for (zone *zn = z->zones; zn; zn = zn->next)
        if (zn != keep && zn->tab.built)
            table_clear(z, &zn->tab);
}

/* Returns 0, 1 when the zone's table is full, -1 when out of memory. */
static int push(cck_icstz *z, zone *zn, int64_t key, int32_t from, int32_t to)
{
    table *tb = &zn->tab;
    if (tb->n >= ZONE_ONSETS)
        return 1;
    if (z->cached >= CACHE_ONSETS)
        drop_tables(z, zn);
    if (tb->n == tb->cap) {
        size_t cap = tb->cap ? tb->cap * 2 : 16;
        if (cap > ZONE_ONSETS)
            cap = ZONE_ONSETS;
        onset *v = realloc(tb->v, cap * sizeof *v);
        if (!v)
            return -1;
        tb->v = v;
        tb->cap = cap;
    }
    tb->v[tb->n++] = (onset){key, from, to};
    z->cached++;
    return 0;
}

static int64_t cover_for(int64_t t)
{
    int64_t end = key_end();
    return t < end - COVER_SECS ? t + COVER_SECS : end;
}

static void advance(stream *st)
{
    cck_civil c;
    if (cck_rrule_iter_next(&st->it, &c)) {
        st->next = key_of(&c);
        return;
    }
    st->live = false;
    st->cut = st->it.stop == CCK_RRULE_STOP_UNTIL && st->by_cover;
}

/* Every onset of a VTIMEZONE before cover_for(t), in time order: the listed ones merged with
 * each RRULE's instances. Taking them in order makes a table cut at ZONE_ONSETS the same
 * whatever time asked for it, so no answer depends on the order of the lookups. */
static int vtz_build(cck_icstz *z, zone *zn, int64_t t)
{
    table *tb = &zn->tab;
    int64_t cover = cover_for(t);
    z->cached -= tb->n;
    tb->n = 0;
    tb->built = true;
    tb->cover = INT64_MIN; /* until the build is done */
    tb->lo = tb->hi = 0;
    tb->before = zn->first_from;
    stream *st = zn->nrrule ? malloc(zn->nrrule * sizeof *st) : NULL;
    if (zn->nrrule && !st)
        return -1;
    size_t ns = 0;
    for (size_t i = 0; i < zn->nobs; i++) {
        const obs *o = &zn->obs[i];
        if (!o->rrule)
            continue;
        stream *s = &st[ns++];
        cck_problems pr;
        cck_arena_reset(z->arena);
        cck_problems_init(&pr, z->arena);
        cck_rrule_parse(o->rrule, o->rrule_len, &s->rule, &pr); /* read at add time */
        cck_rrule_iter_init(&s->it, &s->rule, &o->dtstart, 0);
        /* UNTIL was made local at add time; the table only needs to reach `cover`. */
        int64_t until = cover - 1;
        s->by_cover = true;
        if (o->has_until && o->until < until) {
            until = o->until;
            s->by_cover = false;
        }
        cck_civil uc;
        cck_civil_from_secs1601(until, &uc);
        cck_rrule_iter_set_until(&s->it, &uc);
        s->it.max_empty = RRULE_EMPTY;
        s->it.max_instances = ZONE_ONSETS + 1;
        s->from = o->from;
        s->to = o->to;
        s->live = true;
        s->cut = false;
        advance(s);
    }
    size_t fi = 0;
    bool full = false;
    for (;;) {
        /* Equal keys: listed onsets first, then the rules in the order written. */
        int64_t best = INT64_MAX;
        const stream *win = NULL;
        bool listed = fi < zn->nfx && zn->fx[fi].key < cover;
        if (listed)
            best = zn->fx[fi].key;
        for (size_t k = 0; k < ns; k++)
            if (st[k].live && st[k].next < best) {
                best = st[k].next;
                win = &st[k];
            }
        if (!win && !listed)
            break;
        int rc = win ? push(z, zn, best, win->from, win->to)
                     : push(z, zn, best, zn->fx[fi].from, zn->fx[fi].to);
        if (rc < 0) {
            free(st);
            return -1;
        }
        if (rc > 0) {
            full = true;
            break;
        }
        if (win)
            advance(&st[win - st]);
        else
            fi++;
    }
    bool complete = fi == zn->nfx;
    for (size_t k = 0; k < ns; k++)
        if (st[k].live || st[k].cut)
            complete = false;
    free(st);
    tb->cover = complete || full ? INT64_MAX : cover;
    return 0;
}

static int icu_offset(UCalendar *cal, double ms, int32_t *off)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(cal, ms, &st);
    int32_t zo = ucal_get(cal, UCAL_ZONE_OFFSET, &st);
    int32_t dst = ucal_get(cal, UCAL_DST_OFFSET, &st);
    if (U_FAILURE(st))
        return -1;
    *off = (int32_t)floor_div((int64_t)zo + dst, 1000);
    return 0;
}

/* ICU's transitions of the zone from the year 1 (local mean time before a zone's first
 * rule included) to ICU_TABLE_END; later times ask ICU each time (icu_direct). */
static int icu_build(cck_icstz *z, zone *zn)
{
    table *tb = &zn->tab;
    int64_t end = cck_days1601_from_civil(ICU_TABLE_END, 1, 1) * 86400;
    double ms = (double)(cck_days1601_from_civil(1, 1, 1) * 86400 - CCK_EPOCH_DIFF_1601) * 1000.0;
    int32_t prev;
    if (icu_offset(zn->cal, ms, &prev) < 0)
        return -1;
    z->cached -= tb->n;
    tb->n = 0;
    tb->built = true;
    tb->before = prev;
    tb->lo = tb->hi = 0;
    for (;;) {
        UErrorCode st = U_ZERO_ERROR;
        UDate tr;
        ucal_setMillis(zn->cal, ms, &st);
        if (U_FAILURE(st) ||
            !ucal_getTimeZoneTransitionDate(zn->cal, UCAL_TZ_TRANSITION_NEXT, &tr, &st) ||
            U_FAILURE(st) || tr <= ms) {
            tb->cover = INT64_MAX; /* no change after the last one */
            return 0;
        }
        int64_t key = floor_div((int64_t)tr, 1000) + CCK_EPOCH_DIFF_1601 + prev;
        if (key >= end) {
            tb->cover = end;
            return 0;
        }
        int32_t off;
        if (icu_offset(zn->cal, tr, &off) < 0) {
            table_clear(z, tb);
            return -1;
        }
        if (off != prev) {
            int rc = push(z, zn, key, prev, off);
            if (rc < 0) {
                table_clear(z, tb);
                return -1;
            }
            if (rc > 0) {
                tb->cover = INT64_MAX;
                return 0;
            }
        }
        ms = tr;
        prev = off;
    }
}

/* ICU's own reading of a wall time, with RFC 5545's choices set when the zone was opened. */
static int icu_direct(zone *zn, int64_t t, int32_t *off)
{
    cck_civil c;
    cck_civil_from_secs1601(t, &c);
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(zn->cal);
    ucal_setDateTime(zn->cal, (int32_t)c.year, c.month - 1, c.day, c.hour, c.minute, c.second, &st);
    UDate ms = ucal_getMillis(zn->cal, &st);
    if (U_FAILURE(st))
        return -1;
    *off = (int32_t)(t - (floor_div((int64_t)ms, 1000) + CCK_EPOCH_DIFF_1601));
    return 0;
}

/* The offset of local time t: the latest onset at or before t rules, except that a time
 * in the gap it opens is read with the offset before the gap. An overlap needs nothing:
 * onsets are in the earlier offset, so its times read as their first occurrence. */
static int offset_at(cck_icstz *z, zone *zn, int64_t t, int32_t *off)
{
    table *tb = &zn->tab;
    if (zn->icu) {
        if (!tb->built && icu_build(z, zn) < 0)
            return -1;
        if (t >= tb->cover)
            return icu_direct(zn, t, off);
    } else {
        if (t >= zn->fold_from)
            t -= (t - zn->fold_base) / (CYCLE_DAYS * 86400) * (CYCLE_DAYS * 86400);
        if ((!tb->built || t >= tb->cover) && vtz_build(z, zn, t) < 0)
            return -1;
    }
    size_t lo = 0, hi = tb->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tb->v[mid].key <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) {
        tb->off = tb->before;
        tb->lo = INT64_MIN;
        tb->hi = tb->n ? tb->v[0].key : tb->cover;
    } else {
        const onset *o = &tb->v[lo - 1];
        int64_t next = lo < tb->n ? tb->v[lo].key : tb->cover;
        int64_t gap = (int64_t)o->to - o->from;
        if (gap > 0 && t < o->key + gap) {
            tb->off = o->from;
            tb->lo = o->key;
            tb->hi = o->key + gap < next ? o->key + gap : next;
        } else {
            tb->off = o->to;
            tb->lo = gap > 0 ? o->key + gap : o->key;
            tb->hi = next;
        }
    }
    *off = tb->off;
    return 0;
}

/* ---- ICU names ---------------------------------------------------------------------------- */

static zone *icu_zone(cck_icstz *z, const char *id, size_t n)
{
    uint32_t h = hash(id, n);
    ent *e = map_find(&z->icu, id, n, h);
    if (e)
        return e->zone;
    UChar uid[ICU_ID_MAX];
    if (n >= ICU_ID_MAX)
        return NULL;
    for (size_t i = 0; i < n; i++)
        uid[i] = (UChar)(uint8_t)id[i];
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(uid, (int32_t)n, "", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st) || !cal)
        return NULL;
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST); /* offset before */
    /* An id ICU does not know opens as GMT named "Etc/Unknown": not a zone. */
    UChar got[ICU_ID_MAX];
    int32_t gl = ucal_getTimeZoneID(cal, got, ICU_ID_MAX, &st);
    static const char unknown[] = "Etc/Unknown";
    bool is_unknown = gl == (int32_t)sizeof unknown - 1;
    for (int32_t i = 0; is_unknown && i < gl; i++)
        is_unknown = got[i] == (UChar)unknown[i];
    zone *zn = calloc(1, sizeof *zn);
    e = calloc(1, sizeof *e);
    char *copy = malloc(n + 1);
    if (U_FAILURE(st) || is_unknown || !zn || !e || !copy) {
        ucal_close(cal);
        free(zn);
        free(e);
        free(copy);
        return NULL;
    }
    memcpy(copy, id, n);
    copy[n] = '\0';
    zn->icu = true;
    zn->cal = cal;
    zn->id = copy;
    *e = (ent){.name = copy, .n = n, .h = h, .kind = CCK_TZ_IANA, .zone = zn};
    if (map_put(&z->icu, e) < 0) {
        free(e);
        zone_free(zn);
        return NULL;
    }
    zn->next = z->zones;
    z->zones = zn;
    return zn;
}

/* A name the file does not define: an IANA id ICU knows, else a Windows name CLDR maps. */
static cck_tzkind icu_resolve(cck_icstz *z, const char *s, size_t n, zone **out)
{
    *out = NULL;
    if (n == 0 || n >= ICU_ID_MAX)
        return CCK_TZ_UNKNOWN;
    UChar u[ICU_ID_MAX];
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c < 0x20 || c > 0x7e) /* every IANA id and Windows name is printable ASCII */
            return CCK_TZ_UNKNOWN;
        u[i] = c;
    }
    UChar buf[ICU_ID_MAX];
    UBool sys = 0;
    UErrorCode st = U_ZERO_ERROR;
    /* isSystemID is false for custom ids ("GMT+5") and "Etc/Unknown". */
    ucal_getCanonicalTimeZoneID(u, (int32_t)n, buf, ICU_ID_MAX, &sys, &st);
    if (U_SUCCESS(st) && sys && (*out = icu_zone(z, s, n)) != NULL)
        return CCK_TZ_IANA;
    st = U_ZERO_ERROR;
    int32_t wl = ucal_getTimeZoneIDForWindowsID(u, (int32_t)n, NULL, buf, ICU_ID_MAX, &st);
    if (U_FAILURE(st) || wl <= 0 || wl >= ICU_ID_MAX)
        return CCK_TZ_UNKNOWN;
    char id[ICU_ID_MAX];
    for (int32_t i = 0; i < wl; i++) {
        if (buf[i] < 0x20 || buf[i] > 0x7e)
            return CCK_TZ_UNKNOWN;
        id[i] = (char)buf[i];
    }
    *out = icu_zone(z, id, (size_t)wl);
    return *out ? CCK_TZ_WINDOWS : CCK_TZ_UNKNOWN;
}

static ent *lookup(cck_icstz *z, const char *s, size_t n)
{
    if (!s || n == 0 || n > CCK_ICSTZ_MAX_TZID)
        return NULL;
    ent *e = z->last;
    if (e && e->n == n && memcmp(e->name, s, n) == 0)
        return e;
    uint32_t h = hash(s, n);
    e = map_find(&z->names, s, n, h);
    if (!e) {
        zone *zn;
        cck_tzkind k = icu_resolve(z, s, n, &zn);
        if (z->nresolved < NAMES_MAX && (e = ent_new(s, n, h)) != NULL) {
            if (map_put(&z->names, e) < 0) {
                free(e->name);
                free(e);
                return NULL;
            }
            z->nresolved++;
        } else {
            e = &z->scratch;
            memcpy(z->scratch_name, s, n);
            *e = (ent){.name = z->scratch_name, .n = n, .h = h};
        }
        e->kind = k;
        e->zone = zn;
    }
    z->last = e;
    return e;
}

cck_tzkind cck_icstz_resolve(cck_icstz *z, const char *tzid, size_t n, const char **iana)
{
    if (iana)
        *iana = NULL;
    ent *e = z ? lookup(z, tzid, n) : NULL;
    if (!e)
        return CCK_TZ_UNKNOWN;
    if (iana && (e->kind == CCK_TZ_IANA || e->kind == CCK_TZ_WINDOWS))
        *iana = e->zone->id;
    return e->kind;
}

int cck_icstz_to_utc(cck_icstz *z, const char *tzid, size_t n, const cck_civil *l,
                     int64_t *utc_secs1601)
{
    if (!z || !l || !utc_secs1601 || l->year < 1 || l->year > YEAR_MAX || l->month < 1 ||
        l->month > 12 || l->day < 1 || l->day > month_len(l->year, l->month) || l->hour < 0 ||
        l->hour > 23 || l->minute < 0 || l->minute > 59 || l->second < 0 || l->second > 60)
        return -1;
    ent *e = lookup(z, tzid, n);
    if (!e || !e->zone)
        return -1;
    int64_t t = key_of(l);
    table *tb = &e->zone->tab;
    int32_t off;
    if (t >= tb->lo && t < tb->hi)
        off = tb->off;
    else if (offset_at(z, e->zone, t, &off) < 0)
        return -1;
    *utc_secs1601 = t - off;
    return 0;
}

/* ---- reading a VTIMEZONE ------------------------------------------------------------------ */

/* "+HHMM" or "+HHMMSS" (RFC 5545 §3.3.14) to seconds. */
static int parse_offset(const char *s, size_t n, int32_t *out)
{
    if ((n != 5 && n != 7) || (s[0] != '+' && s[0] != '-'))
        return -1;
    int v[3] = {0, 0, 0};
    for (size_t i = 1; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v[(i - 1) / 2] = v[(i - 1) / 2] * 10 + (s[i] - '0');
    }
    if (v[0] > 23 || v[1] > 59 || v[2] > 59)
        return -1;
    int32_t secs = v[0] * 3600 + v[1] * 60 + v[2];
    *out = s[0] == '-' ? -secs : secs;
    return 0;
}

/* Reads a DATE or DATE-TIME value into a local key in the observance's `from` offset. */
static int local_key(const char *s, size_t n, int32_t from, int64_t *key, bool *is_date, bool *utc)
{
    cck_civil c;
    if (cck_icsval_datetime(s, n, &c, is_date, utc) < 0 || c.year < 1)
        return -1;
    *key = key_of(&c) + (*utc ? from : 0);
    return 0;
}

static const cck_ics_prop *first(const cck_ics_comp *c, const char *name, const char *what,
                                 const char *tzq, cck_problems *pr)
{
    const cck_ics_prop *f = NULL;
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        if (strcmp(p->name, name) != 0)
            continue;
        if (!f)
            f = p;
        else
            report(pr, CCK_SEV_WARNING, "vtz.repeated_property", AT_PROP(p),
                   "%s of \"%s\" has a second %s; the first one (line %u) is used", what, tzq, name,
                   (unsigned)f->line);
    }
    return f;
}

static int list(zone *zn, int64_t key, const obs *o)
{
    if (zn->nfx % 64 == 0) {
        fixed *v = realloc(zn->fx, (zn->nfx + 64) * sizeof *v);
        if (!v)
            return -1;
        zn->fx = v;
    }
    zn->fx[zn->nfx] = (fixed){key, o->from, o->to, (uint32_t)zn->nfx};
    zn->nfx++;
    if (key > zn->settle)
        zn->settle = key;
    return 0;
}

static int cmp_fixed(const void *a, const void *b)
{
    const fixed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int read_rdates(zone *zn, const cck_ics_comp *c, const obs *o, const char *what,
                       cck_problems *pr)
{
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        if (strcmp(p->name, "RDATE") != 0)
            continue;
        size_t pos = 0, n;
        const char *v;
        while (cck_icsval_next(p, &pos, &v, &n)) {
            /* A PERIOD's change happens at its start. */
            const char *slash = memchr(v, '/', n);
            size_t len = slash ? (size_t)(slash - v) : n;
            int64_t key;
            bool is_date, utc;
            char q[256];
            if (local_key(v, len, o->from, &key, &is_date, &utc) < 0) {
                report(pr, CCK_SEV_WARNING, "vtz.bad_rdate", AT_VALUE(p),
                       "RDATE value \"%s\" of %s is not a DATE-TIME; it is ignored",
                       quote(q, sizeof q, v, n), what);
                continue;
            }
            if (zn->nrdates >= RDATES_MAX) {
                if (!zn->rdates_reported)
                    report(pr, CCK_SEV_WARNING, "vtz.too_many_rdates", AT_VALUE(p),
                           "more than %d RDATE values in one VTIMEZONE; the rest are ignored",
                           RDATES_MAX);
                zn->rdates_reported = true;
                return 0;
            }
            if (list(zn, key, o) < 0)
                return -1;
            zn->nrdates++;
        }
    }
    return 0;
}

/* Whether an endless rule yields the same instances, shifted, in every 400-year cycle. */
static bool periodic(const cck_rrule *r)
{
    switch (r->freq) {
    case CCK_FREQ_YEARLY:
        return 400 % r->interval == 0;
    case CCK_FREQ_MONTHLY:
        return 4800 % r->interval == 0;
    case CCK_FREQ_WEEKLY:
        return (CYCLE_DAYS / 7) % r->interval == 0;
    case CCK_FREQ_DAILY:
        return CYCLE_DAYS % r->interval == 0;
    default:
        return false;
    }
}

/* Reads one STANDARD or DAYLIGHT. Returns 1 when kept, 0 when not usable, -1 out of memory. */
static int read_obs(cck_icstz *z, zone *zn, const cck_ics_comp *c, const char *tzq,
                    cck_problems *pr)
{
    const char *what = c->name;
    const cck_ics_prop *ds = first(c, "DTSTART", what, tzq, pr);
    const cck_ics_prop *pf = first(c, "TZOFFSETFROM", what, tzq, pr);
    const cck_ics_prop *pt = first(c, "TZOFFSETTO", what, tzq, pr);
    const cck_ics_prop *rr = first(c, "RRULE", what, tzq, pr);
    obs o;
    memset(&o, 0, sizeof o);
    bool ok = true;
    char q[256];
    if (!pt) {
        report(pr, CCK_SEV_ERROR, "vtz.no_offset", AT_COMP(c),
               "%s of \"%s\" has no TZOFFSETTO (RFC 5545 3.6.5); it is ignored", what, tzq);
        ok = false;
    } else if (parse_offset(pt->value, pt->value_len, &o.to) < 0) {
        report(pr, CCK_SEV_ERROR, "vtz.bad_offset", AT_VALUE(pt),
               "TZOFFSETTO \"%s\" of %s of \"%s\" is not +HHMM[SS]; the %s is ignored",
               quote(q, sizeof q, pt->value, pt->value_len), what, tzq, what);
        ok = false;
    }
    if (!pf) {
        report(pr, CCK_SEV_ERROR, "vtz.no_offset", AT_COMP(c),
               "%s of \"%s\" has no TZOFFSETFROM (RFC 5545 3.6.5); TZOFFSETTO is used", what, tzq);
        o.from = o.to;
    } else if (parse_offset(pf->value, pf->value_len, &o.from) < 0) {
        report(pr, CCK_SEV_ERROR, "vtz.bad_offset", AT_VALUE(pf),
               "TZOFFSETFROM \"%s\" of %s of \"%s\" is not +HHMM[SS]; TZOFFSETTO is used",
               quote(q, sizeof q, pf->value, pf->value_len), what, tzq);
        o.from = o.to;
    }
    bool is_date = false, utc = false;
    if (!ds) {
        report(pr, CCK_SEV_ERROR, "vtz.no_dtstart", AT_COMP(c),
               "%s of \"%s\" has no DTSTART (RFC 5545 3.6.5); it is ignored", what, tzq);
        ok = false;
    } else if (local_key(ds->value, ds->value_len, o.from, &o.start, &is_date, &utc) < 0) {
        report(pr, CCK_SEV_ERROR, "vtz.bad_dtstart", AT_VALUE(ds),
               "DTSTART \"%s\" of %s of \"%s\" is not a DATE-TIME; the %s is ignored",
               quote(q, sizeof q, ds->value, ds->value_len), what, tzq, what);
        ok = false;
    }
    if (!ok)
        return 0;
    cck_civil_from_secs1601(o.start, &o.dtstart);
    if (o.dtstart.year > YEAR_MAX) {
        report(pr, CCK_SEV_ERROR, "vtz.bad_dtstart", AT_VALUE(ds),
               "DTSTART of %s of \"%s\" is after the year %d; the %s is ignored", what, tzq,
               YEAR_MAX, what);
        return 0;
    }
    if (is_date)
        report(pr, CCK_SEV_WARNING, "vtz.bad_dtstart", AT_VALUE(ds),
               "DTSTART of %s of \"%s\" is a DATE, not a local DATE-TIME; read as midnight", what,
               tzq);
    if (utc)
        report(pr, CCK_SEV_WARNING, "vtz.bad_dtstart", AT_VALUE(ds),
               "DTSTART of %s of \"%s\" is in UTC, not local time (RFC 5545 3.6.5); read as UTC",
               what, tzq);
    if (cck_ics_param_get(ds, "TZID"))
        report(pr, CCK_SEV_WARNING, "vtz.bad_dtstart", AT_PROP(ds),
               "DTSTART of %s of \"%s\" has a TZID; an onset is local time, the TZID is ignored",
               what, tzq);
    if (rr) {
        cck_problems rp;
        cck_arena_reset(z->arena);
        cck_problems_init(&rp, z->arena);
        int rc = cck_rrule_parse(rr->value, rr->value_len, z->rule, &rp);
        for (size_t i = 0; i < rp.n; i++)
            report(pr, rp.v[i].sev, "vtz.bad_rrule", AT_VALUE(rr), "RRULE of %s of \"%s\": %s%s",
                   what, tzq, rp.v[i].text, rc < 0 ? "; the rule is ignored" : "");
        if (rc < 0 && rp.n == 0)
            report(pr, CCK_SEV_ERROR, "vtz.bad_rrule", AT_VALUE(rr),
                   "RRULE \"%s\" of %s of \"%s\" cannot be read; the rule is ignored",
                   quote(q, sizeof q, rr->value, rr->value_len), what, tzq);
        if (rc == 0) {
            const cck_rrule *r = z->rule;
            if (r->count && !r->has_until)
                zn->no_fold = true; /* ends, but where only expansion tells */
            else if (!r->count && !r->has_until && !periodic(r))
                zn->no_fold = true;
            if (r->has_until) {
                cck_civil u = r->until;
                if (r->until_is_date) {
                    u.hour = 23;
                    u.minute = u.second = 59;
                }
                /* RFC 5545 §3.6.5: a UTC UNTIL, compared with onsets in TZOFFSETFROM. */
                o.until = key_of(&u) + (r->until_utc && !r->until_is_date ? o.from : 0);
                o.has_until = true;
                if (o.until > zn->settle)
                    zn->settle = o.until;
            }
            o.rrule = malloc(rr->value_len + 1);
            if (!o.rrule)
                return -1;
            memcpy(o.rrule, rr->value, rr->value_len);
            o.rrule[rr->value_len] = '\0';
            o.rrule_len = rr->value_len;
        }
    }
    if ((!o.rrule && list(zn, o.start, &o) < 0) || read_rdates(zn, c, &o, what, pr) < 0) {
        free(o.rrule);
        return -1;
    }
    if (zn->nobs % 8 == 0) {
        struct obs *v = realloc(zn->obs, (zn->nobs + 8) * sizeof *v);
        if (!v) {
            free(o.rrule);
            return -1;
        }
        zn->obs = v;
    }
    zn->obs[zn->nobs++] = o;
    zn->nrrule += o.rrule != NULL;
    if (o.start > zn->settle)
        zn->settle = o.start;
    return 1;
}

int cck_icstz_add(cck_icstz *z, const cck_ics_comp *vtz, cck_problems *pr)
{
    if (!z || !vtz)
        return -1;
    z->last = NULL; /* a name resolved through ICU may now be the file's own */
    char q[256];
    if (strcmp(vtz->name, "VTIMEZONE") != 0) {
        report(pr, CCK_SEV_ERROR, "vtz.not_vtimezone", AT_COMP(vtz),
               "%s is not a VTIMEZONE; it defines no time zone", vtz->name);
        return -1;
    }
    const cck_ics_prop *tp = first(vtz, "TZID", "VTIMEZONE", "", NULL);
    if (!tp || tp->value_len == 0) {
        report(pr, CCK_SEV_ERROR, "vtz.no_tzid", AT_COMP(vtz),
               "VTIMEZONE has no TZID (RFC 5545 3.6.5); no event can use it");
        return -1;
    }
    for (const cck_ics_prop *p = tp->next; p; p = p->next)
        if (strcmp(p->name, "TZID") == 0)
            report(pr, CCK_SEV_WARNING, "vtz.repeated_property", AT_PROP(p),
                   "VTIMEZONE has a second TZID; the first one (line %u) is used",
                   (unsigned)tp->line);
    /* The TZID property is TEXT (RFC 5545 §3.8.3.1) while a TZID parameter has no escapes:
     * "TZID:Bangkok\\, Hanoi" is the zone DTSTART;TZID="Bangkok, Hanoi" names. */
    cck_arena_reset(z->arena);
    size_t n = 0;
    const char *dec = cck_ics_text_decode(tp, z->arena, &n, NULL);
    if (!dec) {
        dec = tp->value;
        n = tp->value_len;
    }
    const char *tzq = quote(q, sizeof q, dec, n);
    if (n > CCK_ICSTZ_MAX_TZID) {
        report(pr, CCK_SEV_ERROR, "vtz.tzid_too_long", AT_VALUE(tp),
               "TZID \"%s\" is %zu bytes, more than the %d read; the VTIMEZONE is ignored", tzq, n,
               CCK_ICSTZ_MAX_TZID);
        return -1;
    }
    char tzid[CCK_ICSTZ_MAX_TZID];
    memcpy(tzid, dec, n); /* the arena is reused while the observances are read */
    uint32_t h = hash(tzid, n);
    ent *e = map_find(&z->names, tzid, n, h);
    if (e && e->kind == CCK_TZ_VTIMEZONE) {
        report(pr, CCK_SEV_WARNING, "vtz.duplicate_tzid", AT_VALUE(tp),
               "TZID \"%s\" is already defined by the VTIMEZONE at line %u; this one is ignored",
               tzq, (unsigned)e->zone->line);
        return -1;
    }
    if (z->nvtz >= CCK_ICSTZ_MAX_ZONES) {
        report(pr, CCK_SEV_ERROR, "vtz.too_many_zones", AT_COMP(vtz),
               "more than %d VTIMEZONEs in the file; \"%s\" is ignored", CCK_ICSTZ_MAX_ZONES, tzq);
        return -1;
    }
    zone *zn = calloc(1, sizeof *zn);
    if (!zn)
        return -1;
    zn->line = vtz->begin ? vtz->begin->line : vtz->line;
    zn->settle = INT64_MIN;
    size_t seen = 0;
    bool over = false;
    for (const cck_ics_comp *c = vtz->children; c; c = c->next) {
        if (strcmp(c->name, "STANDARD") != 0 && strcmp(c->name, "DAYLIGHT") != 0)
            continue;
        seen++;
        if (zn->nobs >= CCK_ICSTZ_MAX_OBSERVANCES) {
            if (!over)
                report(pr, CCK_SEV_WARNING, "vtz.too_many_observances", AT_COMP(c),
                       "\"%s\" has more than %d STANDARD/DAYLIGHT; the rest are ignored", tzq,
                       CCK_ICSTZ_MAX_OBSERVANCES);
            over = true;
            continue;
        }
        if (read_obs(z, zn, c, tzq, pr) < 0) {
            zone_free(zn);
            return -1;
        }
    }
    if (zn->nobs == 0) {
        report(pr, CCK_SEV_ERROR, "vtz.no_observance", AT_COMP(vtz),
               seen ? "VTIMEZONE \"%s\" has no usable STANDARD or DAYLIGHT; it is ignored"
                    : "VTIMEZONE \"%s\" has no STANDARD or DAYLIGHT (RFC 5545 3.6.5); it is "
                      "ignored",
               tzq);
        zone_free(zn);
        return -1;
    }
    /* The table lists onsets in this order; what holds before the first is its TZOFFSETFROM
     * (an RRULE's first instance is its DTSTART). */
    if (zn->nfx)
        qsort(zn->fx, zn->nfx, sizeof zn->fx[0], cmp_fixed);
    int64_t earliest = zn->nfx ? zn->fx[0].key : INT64_MAX;
    zn->first_from = zn->nfx ? zn->fx[0].from : 0;
    for (size_t i = 0; i < zn->nobs; i++)
        if (zn->obs[i].rrule && zn->obs[i].start < earliest) {
            earliest = zn->obs[i].start;
            zn->first_from = zn->obs[i].from;
        }
    zn->fold_from = INT64_MAX;
    cck_civil sc;
    cck_civil_from_secs1601(zn->settle, &sc);
    if (!zn->no_fold && sc.year + 801 <= YEAR_MAX) {
        zn->fold_base = cck_days1601_from_civil(sc.year + 401, 1, 1) * 86400;
        zn->fold_from = cck_days1601_from_civil(sc.year + 801, 1, 1) * 86400;
    }
    if (e) {
        /* The name was looked up before its VTIMEZONE came: the file's definition wins. */
        e->kind = CCK_TZ_VTIMEZONE;
        e->zone = zn;
        z->nresolved--;
    } else {
        e = ent_new(tzid, n, h);
        if (!e || map_put(&z->names, e) < 0) {
            if (e)
                free(e->name);
            free(e);
            zone_free(zn);
            return -1;
        }
        e->kind = CCK_TZ_VTIMEZONE;
        e->zone = zn;
    }
    zn->next = z->zones;
    z->zones = zn;
    z->nvtz++;
    return 0;
}

int cck_icstz_from_utc(cck_icstz *z, const char *tzid, size_t n, int64_t utc, int64_t *wall)
{
    /* Offsets differ by hours at most, so a guess corrected by what it maps
     * to converges in two steps; four bound it for any zone a file defines. */
    int64_t guess = utc, t = 0;
    for (int i = 0; i < 4; i++) {
        cck_civil c;
        cck_civil_from_secs1601(guess, &c);
        if (cck_icstz_to_utc(z, tzid, n, &c, &t) != 0)
            return -1;
        if (t == utc)
            break;
        guess += utc - t;
    }
    *wall = guess;
    return 0;
}
