/* fuzz_tzdef.c - libFuzzer target: arbitrary bytes as a TZDEFINITION ([MS-OXOCAL] 2.2.1.42),
 * decoded and rendered. */
#include "fuzz_blob.h"
#include "mapi/tz.h"

static void decode(const uint8_t *data, size_t size, cck_arena *a, cck_emit *e)
{
    cck_problems pr;
    cck_problems_init(&pr, a);
    cck_tzdef_emit(cck_tzdef_parse(data, size, a, &pr), &pr, e, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_blob_run(data, size, decode);
}
