/* icsfile.c - an .ics file as items (icsfile.h): a line-start scan counts
 * masters and overrides per UID (RFC 5545 §3.8.4.7 UID, §3.8.4.4
 * RECURRENCE-ID) and finds the VTIMEZONEs (§3.6.5), which are read first; then
 * one pass of the parser (ics/ics.h) yields components, and groups whose
 * overrides are still to come wait as byte ranges until they are complete.
 * The scan of a large file runs on two threads, a half each (scan()).
 */
#include "sources/icsfile.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ics/icstz.h"
#include "model/icsitem.h"

/* The scan's view of one UID that has overrides, 16 bytes (the table is at
 * most half full). Counts
 * saturate at 65,535; a larger group is then checked in parts, never lost. */
typedef struct uident {
    uint64_t h;                  /* FNV-1a of the UID value; 0 = free slot */
    uint16_t masters, overrides; /* counted by the scan */
    int32_t group : 31;          /* pending group, or -1 */
    uint32_t master_taken : 1;   /* a master of this UID has been seen in the pass */
} uident;

typedef struct piece {
    cck_icsrange r;
    uint32_t line;
} piece;

/* A master and its overrides, waiting until all of them have been seen. */
typedef struct group {
    uint64_t h;
    bool has_master, done;
    piece master;
    piece *over;
    size_t nover, cap;
    size_t emitted; /* at the end: overrides without a master given out so far */
} group;

typedef struct zone {
    char *tzid;
    size_t n;
    cck_icsrange r;
} zone;

struct cck_icssrc {
    const char *path;
    const uint8_t *data;
    size_t len;
    cck_ics_reader *rd;
    cck_arena *keep; /* lives as long as the source: calendar problems, VTIMEZONEs */
    cck_problems calpr;
    cck_icstz *zones;
    cck_icsfile file;
    const cck_ics_comp **vtz;
    size_t nvtz, vtz_seen; /* VTIMEZONEs read before the pass; the pass's cursor */
    zone *zv;
    size_t nzv, zcap;

    uident *ut; /* open addressing, power-of-two size */
    size_t ucap, un;
    group *gv;
    size_t ng, gcap;
    bool main_done;
    size_t flush; /* next group to give out at the end */
    size_t ncomp; /* top-level components other than VTIMEZONE, as the scan counted them */
};

/* ---- UID hashing (the scan and the parser's values must agree) ---------------------------- */

#define FNV_OFF   0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

static uint64_t fin(uint64_t h)
{
    return h ? h : 1; /* 0 marks a free slot */
}

static uident *ulookup(cck_icssrc *s, uint64_t h, bool add)
{
    if (add && (s->un + 1) * 2 > s->ucap) {
        size_t cap = s->ucap ? s->ucap * 2 : 1024;
        uident *t = calloc(cap, sizeof *t);
        if (!t)
            return NULL;
        for (size_t i = 0; i < s->ucap; i++)
            if (s->ut[i].h) {
                size_t j = s->ut[i].h & (cap - 1);
                while (t[j].h)
                    j = (j + 1) & (cap - 1);
                t[j] = s->ut[i];
            }
        free(s->ut);
        s->ut = t;
        s->ucap = cap;
    }
    if (!s->ucap)
        return NULL;
    size_t j = h & (s->ucap - 1);
    while (s->ut[j].h) {
        if (s->ut[j].h == h)
            return &s->ut[j];
        j = (j + 1) & (s->ucap - 1);
    }
    if (!add)
        return NULL;
    s->ut[j] = (uident){h, 0, 0, -1, 0};
    s->un++;
    return &s->ut[j];
}

typedef struct seen_uid {
    uint64_t h;
    bool rid;
} seen_uid;

/* ---- the scan ------------------------------------------------------------------------------- */

static bool starts(const uint8_t *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && (p[0] | 0x20) == (w[0] | 0x20) && !strncasecmp((const char *)p, w, k);
}

/* End of the physical line starting at p, and the start of the next one. */
static size_t line_end(const uint8_t *b, size_t n, size_t p, size_t *next)
{
    size_t e = cck_ics_line_break(b, p, n);
    *next = e < n && b[e] == '\r' && e + 1 < n && b[e + 1] == '\n' ? e + 2 : e + (e < n);
    return e;
}

/* The physical lines of b[0, n) from a line start on, walked a 64-byte block
 * of CR/LF bits at a time (cck_ics_break_mask64) rather than with a search
 * per line: most lines are short, and the scan looks at the start of each. */
typedef struct line_iter {
    const uint8_t *b;
    size_t n, base; /* base: the block's first byte */
    uint64_t m;     /* the block's CR/LF bits not used yet */
} line_iter;

static void li_start(line_iter *it, const uint8_t *b, size_t n, size_t p)
{
    it->b = b;
    it->n = n;
    it->base = p;
    it->m = cck_ics_break_mask64(b, p, n);
}

static unsigned ctz64(uint64_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(m);
#else
    unsigned k = 0;
    while (!(m & 1)) {
        m >>= 1;
        k++;
    }
    return k;
#endif
}

/* As line_end() for the line starting at p, the line after the one the
 * previous call returned (or the line li_start() was given). */
static size_t li_next(line_iter *it, size_t p, size_t *next)
{
    for (;;) {
        while (!it->m) {
            if (it->n - it->base <= 64) {
                *next = it->n;
                return it->n;
            }
            it->base += 64;
            it->m = cck_ics_break_mask64(it->b, it->base, it->n);
        }
        size_t t = it->base + ctz64(it->m);
        it->m &= it->m - 1;
        if (t < p)
            continue; /* the LF of a CRLF the previous line ended with */
        *next = it->b[t] == '\r' && t + 1 < it->n && it->b[t + 1] == '\n' ? t + 2 : t + 1;
        return t;
    }
}

/* Hashes a property value from its first unquoted ':' on, unfolding. */
static uint64_t value_hash(const uint8_t *b, size_t n, size_t p)
{
    uint64_t h = FNV_OFF;
    bool quoted = false, in_value = false;
    size_t next, e = line_end(b, n, p, &next);
    for (;;) {
        /* one physical piece [p, e): before the first unquoted ':' it is the
         * name and parameters, after it the value, unfolded as the parser does */
        if (!in_value) {
            for (; p < e; p++) {
                if (b[p] == '"')
                    quoted = !quoted;
                else if (b[p] == ':' && !quoted) {
                    in_value = true;
                    p++;
                    break;
                }
            }
        }
        if (in_value)
            h = fnv(h, b + p, e - p);
        if (next >= n || (b[next] != ' ' && b[next] != '\t'))
            break;
        p = next + 1;
        e = line_end(b, n, p, &next);
    }
    return fin(h);
}

static int add_zone_at(cck_icssrc *s, size_t off, uint32_t line);
static int push_zone(cck_icssrc *s, const char *tzid, size_t n, cck_icsrange r);

/* Remembers one component's UID hash (frees the list when out of memory). */
static int push_seen(seen_uid **seen, size_t *n, size_t *cap, uint64_t h, bool rid)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        seen_uid *v = realloc(*seen, c * sizeof *v);
        if (!v) {
            free(*seen);
            *seen = NULL;
            return -1;
        }
        *seen = v;
        *cap = c;
    }
    (*seen)[(*n)++] = (seen_uid){h, rid};
    return 0;
}

/* The scan's state and findings over one stretch of the file. The scan of a
 * large file is done in two halves on two threads (cck_icssrc_open_mt), so
 * a stretch records what it finds without touching the source: VTIMEZONEs
 * are read afterwards, in file order, by the thread that owns the source. */
typedef struct zpos {
    size_t off;
    uint32_t line; /* relative to the stretch's first line (1) */
} zpos;

typedef struct stretch {
    size_t from, to; /* lines starting in [from, to) */
    /* state: carried over from one stretch to the next */
    uint32_t line, depth, cline;
    size_t coff;
    bool has_uid, has_rid, vtz;
    uint64_t h;
    /* what was found */
    seen_uid *seen; /* every component's UID, until the scan ends */
    size_t nseen, capseen;
    zpos *zones;
    size_t nzones, capzones;
    size_t ncomp;
    bool oom;
} stretch;

static void push_zpos(stretch *st, size_t off, uint32_t line)
{
    if (st->nzones == st->capzones) {
        size_t c = st->capzones ? st->capzones * 2 : 16;
        zpos *v = realloc(st->zones, c * sizeof *v);
        if (!v) {
            st->oom = true;
            return;
        }
        st->zones = v;
        st->capzones = c;
    }
    st->zones[st->nzones++] = (zpos){off, line};
}

/* A line-start view of [st->from, st->to): BEGIN/END depth, UID and
 * RECURRENCE-ID at depth 1, where the VTIMEZONEs are. Reads only the file. */
static void scan_stretch(const uint8_t *b, size_t n, stretch *st)
{
    size_t p = st->from;
    line_iter it;
    li_start(&it, b, n, p);
    while (p < st->to && !st->oom) {
        size_t next, e = li_next(&it, p, &next);
        const uint8_t *l = b + p;
        size_t ln = e - p;
        /* Only BEGIN, END, UID and RECURRENCE-ID lines matter here (a folded
         * continuation starts with a space or tab, never one of these). */
        unsigned c = ln ? (unsigned)(l[0] | 0x20) : 0;
        if (c == 'b' || c == 'e' || c == 'u' || c == 'r') {
            bool begin = starts(l, ln, "BEGIN:"), end = starts(l, ln, "END:");
            bool vcal = (begin && starts(l + 6, ln - 6, "VCALENDAR")) ||
                        (end && starts(l + 4, ln - 4, "VCALENDAR"));
            if (st->depth && vcal)
                st->depth = 1, end = true, begin = false; /* the parser ends the component here */
            if (begin && !vcal) {
                if (!st->depth++) {
                    st->coff = p;
                    st->cline = st->line;
                    st->has_uid = st->has_rid = false;
                    st->vtz = starts(l + 6, ln - 6, "VTIMEZONE");
                }
            } else if (end && st->depth) {
                if (!--st->depth) {
                    if (st->vtz) {
                        push_zpos(st, st->coff, st->cline);
                    } else {
                        st->ncomp++;
                        if (st->has_uid &&
                            push_seen(&st->seen, &st->nseen, &st->capseen, st->h, st->has_rid) != 0)
                            st->oom = true;
                    }
                }
            } else if (st->depth == 1 && !st->has_uid && starts(l, ln, "UID") && ln > 3 &&
                       (l[3] == ':' || l[3] == ';')) {
                st->has_uid = true;
                st->h = value_hash(b, n, p);
            } else if (st->depth == 1 && starts(l, ln, "RECURRENCE-ID") && ln > 13 &&
                       (l[13] == ':' || l[13] == ';')) {
                st->has_rid = true;
            }
        }
        st->line++;
        p = next;
    }
    st->to = p; /* where the next stretch starts (a line start) */
}

typedef struct scan_job {
    const uint8_t *b;
    size_t n;
    stretch *st;
} scan_job;

static void *scan_thread(void *arg)
{
    scan_job *j = arg;
    scan_stretch(j->b, j->n, j->st);
    return NULL;
}

/* A line start near the middle of the file where a top-level component
 * begins, or 0: where the second half of a two-thread scan starts. Only a
 * guess - the first half checks it (see scan). */
static size_t split_point(const uint8_t *b, size_t n)
{
    size_t p = cck_ics_line_break(b, n / 2, n), next;
    while (p < n && (b[p] == '\r' || b[p] == '\n'))
        p++;
    for (; p < n; p = next) {
        size_t e = line_end(b, n, p, &next);
        if (starts(b + p, e - p, "BEGIN:VEVENT") || starts(b + p, e - p, "BEGIN:VTODO") ||
            starts(b + p, e - p, "BEGIN:VJOURNAL"))
            return p;
    }
    return 0;
}

/* Counts masters and overrides per UID and reads the VTIMEZONEs. With a
 * split point, the second half is scanned on another thread from a fresh
 * state (top level, between components); when the first half ends in that
 * state at the same place, the halves join seamlessly, else the second
 * half's work is dropped and the first goes on alone: the result is the
 * one-thread scan's either way. */
static int scan(cck_icssrc *s, size_t split)
{
    const uint8_t *b = s->data;
    size_t n = s->len;
    stretch one = {0}, two = {0};
    one.from = 0;
    one.to = split ? split : n;
    one.line = 1;
    two.from = split;
    two.to = n;
    two.line = 1;
    pthread_t t;
    scan_job job = {b, n, &two};
    bool threaded = split && pthread_create(&t, NULL, scan_thread, &job) == 0;
    scan_stretch(b, n, &one);
    if (threaded)
        pthread_join(t, NULL);
    bool joined = threaded && !one.oom && !two.oom && one.to == split && one.depth == 0;
    if (!joined && split && !one.oom) {
        one.from = one.to; /* on from where the first half stopped */
        one.to = n;
        scan_stretch(b, n, &one);
    }
    int rc = one.oom || (joined && two.oom) ? -1 : 0;
    /* VTIMEZONEs in file order, read by this thread (they go to the
     * source's registry and problem list). */
    for (size_t i = 0; i < one.nzones && rc == 0; i++)
        rc = add_zone_at(s, one.zones[i].off, one.zones[i].line);
    for (size_t i = 0; joined && i < two.nzones && rc == 0; i++)
        rc = add_zone_at(s, two.zones[i].off, two.zones[i].line + one.line - 1);
    s->ncomp = one.ncomp + (joined ? two.ncomp : 0);
    /* Only UIDs that have overrides need a group: the table holds those, so
     * it stays small (and in cache) for the pass, whatever the file's size. */
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        stretch *st = pass ? &two : &one;
        for (size_t i = 0; (pass == 0 || joined) && i < st->nseen && rc == 0; i++)
            if (st->seen[i].rid) {
                uident *u = ulookup(s, st->seen[i].h, true);
                if (!u)
                    rc = -1;
                else if (u->overrides < UINT16_MAX)
                    u->overrides++;
            }
    }
    for (int pass = 0; pass < 2 && rc == 0 && s->un; pass++) {
        stretch *st = pass ? &two : &one;
        for (size_t i = 0; (pass == 0 || joined) && i < st->nseen; i++)
            if (!st->seen[i].rid) {
                uident *u = ulookup(s, st->seen[i].h, false);
                if (u && u->masters < UINT16_MAX)
                    u->masters++;
            }
    }
    free(one.seen);
    free(two.seen);
    free(one.zones);
    free(two.zones);
    return rc;
}

/* ---- VTIMEZONEs ------------------------------------------------------------------------------ */

static int push_zone(cck_icssrc *s, const char *tzid, size_t n, cck_icsrange r)
{
    for (size_t i = 0; i < s->nzv; i++)
        if (s->zv[i].n == n && !memcmp(s->zv[i].tzid, tzid, n))
            return 0; /* the first definition wins, as in the zone registry */
    if (s->nzv == s->zcap) {
        size_t cap = s->zcap ? s->zcap * 2 : 16;
        zone *v = realloc(s->zv, cap * sizeof *v);
        if (!v)
            return -1;
        s->zv = v;
        s->zcap = cap;
    }
    char *t = malloc(n + 1);
    if (!t)
        return -1;
    memcpy(t, tzid, n);
    t[n] = 0;
    s->zv[s->nzv++] = (zone){t, n, r};
    return 0;
}

/* The TZID of a VTIMEZONE is TEXT (RFC 5545 §3.8.3.1): "Bangkok\\, Hanoi" is
 * named by TZID="Bangkok, Hanoi" in a parameter, so it is kept unescaped. */
static int push_zone_of(cck_icssrc *s, const cck_ics_comp *c)
{
    const cck_ics_prop *t = cck_ics_get_id(c, CCK_ICSN_TZID);
    if (!t || !t->value_len)
        return 0;
    size_t n = 0;
    const char *v = cck_ics_text_decode(t, s->keep, &n, NULL);
    if (!v) {
        v = t->value;
        n = t->value_len;
    }
    return push_zone(s, v, n, (cck_icsrange){c->off, c->end});
}

/* Whether the VTIMEZONE c was read before the pass (same place in the file).
 * The pass meets them in file order, so one cursor keeps this linear. */
static bool zone_known(cck_icssrc *s, const cck_ics_comp *c)
{
    while (s->vtz_seen < s->nvtz && s->vtz[s->vtz_seen]->off < c->off)
        s->vtz_seen++;
    return s->vtz_seen < s->nvtz && s->vtz[s->vtz_seen]->off == c->off;
}

/* Copies a component's parser problems into the calendar's own list. */
static void keep_problems(cck_icssrc *s, const cck_problems *pr)
{
    for (size_t i = 0; i < pr->n; i++)
        cck_problems_add(&s->calpr, pr->v[i].sev, pr->v[i].code, pr->v[i].offset, "%s",
                         pr->v[i].text);
    s->calpr.dropped += pr->dropped;
}

/* Reads the VTIMEZONE starting at off with the parser, into the source's own
 * arena: its problems become calendar problems, its zone goes to the
 * registry, its TZID and range to the -F list. */
static int add_zone_at(cck_icssrc *s, size_t off, uint32_t line)
{
    if (s->nvtz >= CCK_ICSTZ_MAX_ZONES)
        return 0;
    cck_ics_reader *r = cck_ics_open_slice(s->data + off, s->len - off, NULL, line, off);
    if (!r)
        return -1;
    const cck_ics_comp *c = NULL;
    int rc = cck_ics_next(r, s->keep, &c, &s->calpr);
    cck_ics_close(r);
    if (rc != 1 || !c || strcmp(c->name, "VTIMEZONE") != 0)
        return 0;
    if (s->nvtz % 64 == 0) {
        const cck_ics_comp **v = realloc(s->vtz, (s->nvtz + 64) * sizeof *v);
        if (!v)
            return -1;
        s->vtz = v;
    }
    s->vtz[s->nvtz++] = c;
    cck_icstz_add(s->zones, c, &s->calpr);
    return push_zone_of(s, c);
}

/* ---- the source ------------------------------------------------------------------------------ */

cck_icssrc *cck_icssrc_open(const char *path, const uint8_t *data, size_t len)
{
    return cck_icssrc_open_mt(path, data, len, SIZE_MAX);
}

cck_icssrc *cck_icssrc_open_mt(const char *path, const uint8_t *data, size_t len, size_t split_min)
{
    cck_icssrc *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->path = path;
    s->data = data;
    s->len = len;
    s->keep = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    s->zones = cck_icstz_new();
    if (!s->keep || !s->zones)
        goto fail;
    cck_problems_init(&s->calpr, s->keep);
    if (scan(s, len >= split_min ? split_point(data, len) : 0) != 0)
        goto fail;
    s->rd = cck_ics_open(data, len, &s->calpr);
    if (!s->rd)
        goto fail;
    s->file.source = path;
    s->file.calendar = cck_ics_calendar(s->rd);
    s->file.zones = s->zones;
    s->file.cal_problems = &s->calpr;
    s->file.vtimezones = s->vtz;
    s->file.n_vtimezones = s->nvtz;
    return s;
fail:
    cck_icssrc_close(s);
    return NULL;
}

void cck_icssrc_close(cck_icssrc *s)
{
    if (!s)
        return;
    cck_ics_close(s->rd);
    cck_icstz_free(s->zones);
    cck_arena_free(s->keep);
    free(s->vtz);
    for (size_t i = 0; i < s->nzv; i++)
        free(s->zv[i].tzid);
    free(s->zv);
    free(s->ut);
    for (size_t i = 0; i < s->ng; i++)
        free(s->gv[i].over);
    free(s->gv);
    free(s);
}

const cck_ics_comp *cck_icssrc_calendar(const cck_icssrc *s)
{
    return cck_ics_calendar(s->rd);
}

size_t cck_icssrc_ncomponents(const cck_icssrc *s)
{
    return s->ncomp;
}

size_t cck_icssrc_nzones(const cck_icssrc *s)
{
    return s->nzv;
}

void cck_icssrc_zone(const cck_icssrc *s, size_t i, const char **tzid, size_t *n,
                     cck_icsrange *range)
{
    *tzid = s->zv[i].tzid;
    *n = s->zv[i].n;
    *range = s->zv[i].r;
}

static bool is_item_comp(const cck_ics_comp *c)
{
    return !strcmp(c->name, "VEVENT") || !strcmp(c->name, "VTODO") || !strcmp(c->name, "VJOURNAL");
}

/* The TZIDs a component's properties name, at every depth, once each. */
static void collect_tzids(const cck_ics_comp *c, cck_icsunit *u)
{
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        const cck_ics_param *t = cck_ics_param_get_id(p, CCK_ICSN_TZID);
        if (!t || !t->nvalues)
            continue;
        const char *v = t->values[0];
        size_t n = strlen(v), i = 0;
        while (i < u->ntzids && !(u->tzid_lens[i] == n && !memcmp(u->tzids[i], v, n)))
            i++;
        if (i == u->ntzids && u->ntzids < CCK_ICSSRC_MAX_TZIDS) {
            u->tzids[u->ntzids] = v;
            u->tzid_lens[u->ntzids++] = n;
        }
    }
    for (const cck_ics_comp *k = c->children; k; k = k->next)
        collect_tzids(k, u);
}

static int set_ranges(cck_icsunit *u, const cck_icspart *parts, size_t n, cck_arena *a)
{
    cck_icsrange *r = cck_arena_calloc(a, n, sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < n; i++) {
        r[i] = (cck_icsrange){parts[i].comp->off, parts[i].comp->end};
        collect_tzids(parts[i].comp, u);
    }
    u->ranges = r;
    u->nranges = n;
    return 0;
}

/* An item from parsed parts: parts[0] the main component, the rest its overrides. */
static int emit(cck_icssrc *s, const cck_icspart *parts, size_t n, cck_arena *a, cck_icsunit *u)
{
    memset(u, 0, sizeof *u);
    u->kind = CCK_ICSUNIT_ITEM;
    s->file.calendar = cck_ics_calendar(s->rd);
    if (cck_item_from_ics(&parts[0], parts + 1, n - 1, &s->file, a, &u->it) != 0)
        return -1;
    return set_ranges(u, parts, n, a);
}

/* Parses the component at a recorded range again, into a. */
static int reparse(cck_icssrc *s, const piece *pc, cck_arena *a, cck_icspart *out)
{
    cck_problems *pr = cck_arena_calloc(a, 1, sizeof *pr);
    if (!pr)
        return -1;
    cck_problems_init(pr, a);
    cck_ics_reader *r =
        cck_ics_open_slice(s->data + pc->r.off, pc->r.end - pc->r.off, NULL, pc->line, pc->r.off);
    if (!r)
        return -1;
    const cck_ics_comp *c = NULL;
    int rc = cck_ics_next(r, a, &c, pr);
    cck_ics_close(r);
    if (rc != 1 || !c)
        return -1;
    out->comp = c;
    out->problems = pr;
    return 0;
}

/* A complete group (or, at the end, whatever arrived of it). */
static int emit_group(cck_icssrc *s, group *g, cck_arena *a, cck_icsunit *u)
{
    size_t n = g->nover + 1;
    cck_icspart *parts = cck_arena_calloc(a, n, sizeof *parts);
    if (!parts || reparse(s, &g->master, a, &parts[0]) != 0)
        return -1;
    for (size_t i = 0; i < g->nover; i++)
        if (reparse(s, &g->over[i], a, &parts[i + 1]) != 0)
            return -1;
    g->done = true;
    return emit(s, parts, n, a, u);
}

static group *group_of(cck_icssrc *s, uident *e)
{
    if (e->group >= 0)
        return &s->gv[e->group];
    if (s->ng == s->gcap) {
        size_t cap = s->gcap ? s->gcap * 2 : 16;
        group *v = realloc(s->gv, cap * sizeof *v);
        if (!v)
            return NULL;
        s->gv = v;
        s->gcap = cap;
    }
    group *g = &s->gv[s->ng];
    memset(g, 0, sizeof *g);
    g->h = e->h;
    if (s->ng >= INT32_MAX / 2)
        return NULL;
    e->group = (int32_t)s->ng++;
    return g;
}

static int add_over(group *g, const cck_ics_comp *c)
{
    if (g->nover == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 4;
        piece *v = realloc(g->over, cap * sizeof *v);
        if (!v)
            return -1;
        g->over = v;
        g->cap = cap;
    }
    g->over[g->nover++] = (piece){{c->off, c->end}, c->line};
    return 0;
}

/* At the end of the file: groups still waiting, in the order they began. */
static int flush(cck_icssrc *s, cck_arena *a, cck_icsunit *u)
{
    while (s->flush < s->ng) {
        group *g = &s->gv[s->flush];
        if (g->done) {
            s->flush++;
            continue;
        }
        cck_arena_reset(a);
        if (g->has_master) {
            s->flush++;
            return emit_group(s, g, a, u) == 0 ? 1 : -1;
        }
        /* overrides whose master never came: each is an item of its own */
        if (g->emitted < g->nover) {
            cck_icspart part;
            if (reparse(s, &g->over[g->emitted++], a, &part) != 0)
                return -1;
            return emit(s, &part, 1, a, u) == 0 ? 1 : -1;
        }
        g->done = true;
        s->flush++;
    }
    return 0;
}

int cck_icssrc_next(cck_icssrc *s, cck_arena *a, cck_icsunit *u, const char **why)
{
    *why = "out of memory";
    for (;;) {
        if (s->main_done)
            return flush(s, a, u);
        cck_arena_reset(a);
        cck_problems *pr = cck_arena_calloc(a, 1, sizeof *pr);
        if (!pr)
            return -1;
        cck_problems_init(pr, a);
        const cck_ics_comp *c = NULL;
        int rc = cck_ics_next(s->rd, a, &c, pr);
        if (rc != 1) {
            s->main_done = true;
            continue;
        }
        cck_icspart part = {c, pr};
        if (!strcmp(c->name, "VTIMEZONE")) {
            /* Read before the pass; one the scan missed (unclosed, say) still
             * has its problems judged and goes to -F. */
            if (!zone_known(s, c)) {
                keep_problems(s, pr);
                if (push_zone_of(s, c) != 0)
                    return -1;
            }
            continue;
        }
        if (!is_item_comp(c)) {
            /* Not a calendar item: its defects are the calendar's. */
            keep_problems(s, pr);
            memset(u, 0, sizeof *u);
            u->kind = CCK_ICSUNIT_OTHER;
            return set_ranges(u, &part, 1, a) == 0 ? 1 : -1;
        }
        const cck_ics_prop *uid = cck_ics_get_id(c, CCK_ICSN_UID);
        bool rid = cck_ics_get_id(c, CCK_ICSN_RECURRENCE_ID) != NULL;
        uident *e =
            uid && s->un
                ? ulookup(s, fin(fnv(FNV_OFF, (const uint8_t *)uid->value, uid->value_len)), false)
                : NULL;
        if (!e || (!rid && (e->master_taken || !e->overrides)) || (rid && !e->masters)) {
            if (e && !rid)
                e->master_taken = true;
            return emit(s, &part, 1, a, u) == 0 ? 1 : -1;
        }
        group *g = group_of(s, e);
        if (!g)
            return -1;
        if (!rid) {
            e->master_taken = true;
            g->has_master = true;
            g->master = (piece){{c->off, c->end}, c->line};
        } else if (add_over(g, c) != 0)
            return -1;
        if (g->has_master && g->nover >= e->overrides) {
            e->group = -1; /* a later override of this UID starts afresh */
            return emit_group(s, g, a, u) == 0 ? 1 : -1;
        }
    }
}

int cck_icssrc_calendar_item(cck_icssrc *s, cck_arena *a, cck_item *it)
{
    s->file.calendar = cck_ics_calendar(s->rd);
    s->file.vtimezones = s->vtz;
    s->file.n_vtimezones = s->nvtz;
    return cck_item_ics_calendar(&s->file, a, it);
}
