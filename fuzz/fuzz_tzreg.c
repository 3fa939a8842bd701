/* fuzz_tzreg.c - libFuzzer target: TZREG decoded from arbitrary bytes, rendered as
 * text and JSON; the parser must not crash, hang or read out of bounds. */
#include <stdint.h>
#include <stdio.h>

#include "mapi/tz.h"
#include "util/arena.h"
#include "util/problems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render(const uint8_t *data, size_t size, cck_emit_format fmt)
{
    cck_arena *a = cck_arena_new(64u << 20);
    if (!a)
        return;
    cck_problems pr;
    cck_problems_init(&pr, a);
    FILE *out = fopen("/dev/null", "w");
    if (out) {
        cck_emit *e = cck_emit_new(out, fmt);
        const cck_tzreg *t = cck_tzreg_parse(data, size, a, &pr);
        cck_tzreg_emit(t, &pr, e, NULL);
        /* Compare against a rule read from the same bytes to exercise the helper. */
        cck_problems pr2;
        cck_problems_init(&pr2, a);
        const cck_tzdef *d = cck_tzdef_parse(data, size, a, &pr2);
        if (d && d->n_rules)
            (void)cck_tzreg_matches_rule(t, &d->TZRules[0]);
        cck_emit_finish(e);
        fclose(out);
    }
    cck_arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    render(data, size, CCK_EMIT_TEXT);
    render(data, size, CCK_EMIT_JSON);
    return 0;
}
