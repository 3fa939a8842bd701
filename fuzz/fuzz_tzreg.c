/* fuzz_tzreg.c - libFuzzer target: arbitrary bytes as a TZREG ([MS-OXOCAL] 2.2.1.39), decoded,
 * rendered, and compared with a rule decoded from the same bytes. */
#include "fuzz_blob.h"
#include "mapi/tz.h"

static void decode(const uint8_t *data, size_t size, cck_arena *a, cck_emit *e)
{
    cck_problems pr, pr2;
    cck_problems_init(&pr, a);
    cck_problems_init(&pr2, a);
    const cck_tzreg *t = cck_tzreg_parse(data, size, a, &pr);
    cck_tzreg_emit(t, &pr, e, NULL);
    const cck_tzdef *d = cck_tzdef_parse(data, size, a, &pr2);
    if (t && d && d->n_rules)
        (void)cck_tzreg_matches_rule(t, &d->TZRules[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_blob_run(data, size, decode);
}
