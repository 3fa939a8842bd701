/* fuzz_ics.c - libFuzzer target for the iCalendar reader (src/ics, RFC 5545 §3.1-§3.6):
 * iterates every component of the input in a fresh arena, decodes the TEXT escapes of every
 * property, then does it again feeding the input in chunks whose sizes come from the first
 * byte, and aborts if the two runs disagree on the counts of components, properties or
 * problems. */
#include <stdint.h>
#include <stdlib.h>

#include "ics/ics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ICS_ARENA ((size_t)64 << 20)

static size_t walk(const cck_ics_comp *c, cck_arena *a)
{
    size_t n = 1;
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        size_t len;
        cck_ics_text_decode(p, a, &len, NULL);
        n += 1 + p->nparams;
    }
    for (const cck_ics_comp *k = c->children; k; k = k->next)
        n += walk(k, a);
    return n;
}

static size_t run(const uint8_t *data, size_t size, size_t chunk)
{
    cck_arena *ca = cck_arena_new(FUZZ_ICS_ARENA), *a = cck_arena_new(FUZZ_ICS_ARENA);
    size_t total = 0;
    if (!ca || !a)
        goto out;
    cck_problems calpr, pr;
    cck_problems_init(&calpr, ca);
    cck_ics_reader *r = chunk ? cck_ics_open_stream(&calpr) : cck_ics_open(data, size, &calpr);
    if (!r)
        goto out;
    size_t fed = 0;
    cck_problems_init(&pr, a);
    for (;;) {
        const cck_ics_comp *c;
        int rc = cck_ics_next(r, a, &c, &pr);
        if (rc == CCK_ICS_MORE) {
            if (!chunk)
                abort();
            size_t n = size - fed < chunk ? size - fed : chunk;
            cck_ics_feed(r, data + fed, n);
            fed += n;
            if (fed == size)
                cck_ics_finish(r);
            continue;
        }
        if (rc == 0)
            break;
        total += walk(c, a) + pr.n + pr.dropped;
        cck_arena_reset(a);
        cck_problems_init(&pr, a);
    }
    total += walk(cck_ics_calendar(r), a) + calpr.n + calpr.dropped;
    cck_ics_close(r);
out:
    cck_arena_free(a);
    cck_arena_free(ca);
    return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t whole = run(data, size, 0);
    size_t chunk = size ? (size_t)(data[0] % 17) + 1 : 1;
    if (run(data, size, chunk) != whole)
        abort();
    return 0;
}
