/* fuzz_goid.c - libFuzzer target: arbitrary bytes as a GlobalObjectId ([MS-OXOCAL] 2.2.1.27),
 * decoded and rendered, and through the clean-id helpers. */
#include "fuzz_blob.h"
#include "mapi/goid.h"

static void decode(const uint8_t *data, size_t size, cck_arena *a, cck_emit *e)
{
    cck_problems pr;
    cck_problems_init(&pr, a);
    cck_goid_emit(cck_goid_parse(data, size, a, &pr), &pr, e, NULL);
    (void)cck_goid_is_clean_of(data, size, data, size);
    (void)cck_goid_has_instance_date(data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_blob_run(data, size, decode);
}
