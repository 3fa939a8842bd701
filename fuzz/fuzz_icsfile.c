/* fuzz_icsfile.c - libFuzzer target for the iCalendar source end to end: the line-start scan
 * and grouping of sources/icsfile.c, the mapping of model/icsitem.c (zones, values, RRULE series
 * ends) and every registered check on every item and on the calendar item, with the duplicate
 * index across items - what `calcheck FILE.ics` does, without the reports. Aborts if a
 * component is given out twice, or if the two-thread scan (cck_icssrc_open_mt) makes the
 * source give out anything else than the one-thread scan does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/ctx.h"
#include "sources/icsfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ICSFILE_ARENA ((size_t)64 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cck_config cfg;
    cck_config_default(&cfg, (uint64_t)134000000000000000ull); /* 2025-08 as a FILETIME */
    cck_calendar cal = {0};
    cck_dupindex *dups = cck_dupindex_new();
    cck_ctx *ctx = cck_ctx_new(&cfg, &cal, dups);
    cck_arena *a = cck_arena_new(FUZZ_ICSFILE_ARENA);
    cck_icssrc *s = cck_icssrc_open("fuzz.ics", data, size);
    cck_icssrc *s2 = cck_icssrc_open_mt("fuzz.ics", data, size, 0);
    cck_arena *a2 = cck_arena_new(FUZZ_ICSFILE_ARENA);
    uint8_t *given = calloc(size + 1, 1); /* component start offsets given out */
    if (!dups || !ctx || !a || !s || !s2 || !a2 || !given)
        goto out;
    if (cck_icssrc_ncomponents(s) != cck_icssrc_ncomponents(s2) ||
        cck_icssrc_nzones(s) != cck_icssrc_nzones(s2))
        abort();
    size_t index = 0;
    for (;;) {
        cck_icsunit u;
        const char *why;
        int rc = cck_icssrc_next(s, a, &u, &why);
        cck_icsunit u2;
        if (cck_icssrc_next(s2, a2, &u2, &why) != rc ||
            (rc == 1 && (u2.kind != u.kind || u2.nranges != u.nranges ||
                         memcmp(u2.ranges, u.ranges, u.nranges * sizeof *u.ranges) != 0)))
            abort();
        if (rc != 1)
            break;
        for (size_t i = 0; i < u.nranges; i++) {
            if (u.ranges[i].off > size || u.ranges[i].end > size ||
                u.ranges[i].off > u.ranges[i].end || given[u.ranges[i].off])
                abort();
            given[u.ranges[i].off] = 1;
        }
        if (u.kind != CCK_ICSUNIT_ITEM)
            continue;
        u.it.index = index++;
        cck_ctx_begin(ctx, &u.it, a);
        cck_ctx_run_item(ctx, &u.it);
        (void)cck_ctx_flagged(ctx);
        (void)cck_item_is_past(&u.it, cfg.now);
    }
    cck_arena_reset(a);
    cck_item ci;
    if (cck_icssrc_calendar_item(s, a, &ci) == 0) {
        cck_ctx_begin(ctx, &ci, a);
        cck_ctx_run_item(ctx, &ci);
    }
out:
    free(given);
    cck_icssrc_close(s);
    cck_icssrc_close(s2);
    cck_arena_free(a2);
    cck_arena_free(a);
    cck_ctx_free(ctx);
    cck_dupindex_free(dups);
    return 0;
}
