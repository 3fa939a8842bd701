/* fuzz_icstz.c - libFuzzer target for the time-zone registry (src/ics/icstz.c, RFC 5545
 * §3.6.5, §3.3.5): every VTIMEZONE of the input goes into two registries, then every TZID
 * the input names (and a few fixed ones) is resolved and converted at a set of wall times,
 * in one order in the first registry and in the reverse order in the second. Aborts if the
 * two disagree (a stale cache) or a result is more than a day away from its wall time. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ics/icstz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ICSTZ_ARENA ((size_t)64 << 20)
#define FUZZ_NAMES       16
#define FUZZ_TIMES       12

typedef struct names {
    char v[FUZZ_NAMES][CCK_ICSTZ_MAX_TZID + 8];
    size_t len[FUZZ_NAMES], n;
} names;

static void note(names *nm, const char *s, size_t n)
{
    if (n > sizeof nm->v[0])
        n = sizeof nm->v[0];
    for (size_t i = 0; i < nm->n; i++)
        if (nm->len[i] == n && memcmp(nm->v[i], s, n) == 0)
            return;
    if (nm->n < FUZZ_NAMES) {
        memcpy(nm->v[nm->n], s, n);
        nm->len[nm->n++] = n;
    }
}

static void collect(names *nm, const cck_ics_comp *c, cck_arena *a)
{
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        if (strcmp(p->name, "TZID") == 0) { /* TEXT: a parameter names it unescaped */
            size_t n;
            const char *v = cck_ics_text_decode(p, a, &n, NULL);
            if (v)
                note(nm, v, n);
        }
        for (size_t i = 0; i < p->nparams; i++)
            if (strcmp(p->params[i].name, "TZID") == 0 && p->params[i].nvalues)
                note(nm, p->params[i].values[0], strlen(p->params[i].values[0]));
    }
    for (const cck_ics_comp *k = c->children; k; k = k->next)
        collect(nm, k, a);
}

typedef struct result {
    int kind, rc;
    int64_t utc;
} result;

static void query(cck_icstz *z, const names *nm, size_t i, const cck_civil *c, result *r)
{
    const char *iana = NULL;
    r->kind = (int)cck_icstz_resolve(z, nm->v[i], nm->len[i], &iana);
    if ((r->kind == CCK_TZ_IANA || r->kind == CCK_TZ_WINDOWS) && (!iana || !*iana))
        abort();
    r->utc = 0;
    r->rc = cck_icstz_to_utc(z, nm->v[i], nm->len[i], c, &r->utc);
    if (r->rc == 0) {
        int64_t local = cck_days1601_from_civil(c->year, c->month, c->day) * 86400 +
                        c->hour * 3600 + c->minute * 60 + c->second;
        if (r->utc - local > 86400 || local - r->utc > 86400)
            abort();
    }
    if ((r->rc == 0) != (r->kind != CCK_TZ_UNKNOWN))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static names nm;
    static result first[FUZZ_NAMES][FUZZ_TIMES];
    cck_arena *ca = cck_arena_new(FUZZ_ICSTZ_ARENA), *a = cck_arena_new(FUZZ_ICSTZ_ARENA);
    cck_icstz *z1 = cck_icstz_new(), *z2 = cck_icstz_new();
    cck_ics_reader *r = NULL;
    if (!ca || !a || !z1 || !z2)
        goto out;
    cck_problems calpr, pr;
    cck_problems_init(&calpr, ca);
    r = cck_ics_open(data, size, &calpr);
    if (!r)
        goto out;
    memset(&nm, 0, sizeof nm);
    note(&nm, "Foo/Bar", 7);
    if (size && (data[0] & 1)) { /* ICU zones cost a millisecond to set up: not every run */
        note(&nm, "Europe/Berlin", 13);
        note(&nm, "W. Europe Standard Time", 23);
    }
    const cck_ics_comp *c;
    cck_problems_init(&pr, a);
    while (cck_ics_next(r, a, &c, &pr) == 1) {
        collect(&nm, c, a);
        if (strcmp(c->name, "VTIMEZONE") == 0) {
            int rc1 = cck_icstz_add(z1, c, &pr);
            int rc2 = cck_icstz_add(z2, c, &pr);
            if (rc1 != rc2)
                abort();
        }
        cck_arena_reset(a); /* the registries keep copies */
        cck_problems_init(&pr, a);
    }
    /* Wall times: fixed ones around changes and at the ends of the range, and some the input
     * picks. */
    cck_civil t[FUZZ_TIMES] = {
        {.year = 2026, .month = 3, .day = 8, .hour = 2, .minute = 30},
        {.year = 2026, .month = 11, .day = 1, .hour = 1, .minute = 30},
        {.year = 2026, .month = 3, .day = 29, .hour = 2, .minute = 30},
        {.year = 2026, .month = 10, .day = 25, .hour = 2, .minute = 30},
        {.year = 1601, .month = 1, .day = 1},
        {.year = 1, .month = 1, .day = 1},
        {.year = 9999, .month = 12, .day = 31, .hour = 23, .minute = 59, .second = 60},
        {.year = 2300, .month = 6, .day = 15, .hour = 12},
        {.year = 1970, .month = 1, .day = 1},
    };
    for (int i = 9; i < FUZZ_TIMES; i++) {
        uint32_t h = 2166136261u ^ (uint32_t)i;
        for (size_t k = 0; k < size; k++)
            h = (h ^ data[k]) * 16777619u;
        t[i] = (cck_civil){.year = 1900 + h % 300,
                           .month = 1 + (int)(h >> 9) % 12,
                           .day = 1 + (int)(h >> 13) % 28,
                           .hour = (int)(h >> 18) % 24,
                           .minute = (int)(h >> 23) % 60};
    }
    for (size_t i = 0; i < nm.n; i++)
        for (int k = 0; k < FUZZ_TIMES; k++)
            query(z1, &nm, i, &t[k], &first[i][k]);
    for (size_t i = nm.n; i-- > 0;)
        for (int k = FUZZ_TIMES; k-- > 0;) {
            result again;
            query(z2, &nm, i, &t[k], &again);
            if (again.kind != first[i][k].kind || again.rc != first[i][k].rc ||
                again.utc != first[i][k].utc)
                abort();
        }
out:
    cck_ics_close(r);
    cck_icstz_free(z1);
    cck_icstz_free(z2);
    cck_arena_free(a);
    cck_arena_free(ca);
    return 0;
}
