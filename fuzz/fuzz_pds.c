/* fuzz_pds.c - libFuzzer target: arbitrary bytes as a PropertyDefinitionStream
 * (PidLidPropertyDefinitionStream), decoded and rendered. */
#include "fuzz_blob.h"
#include "mapi/pds.h"

static void decode(const uint8_t *data, size_t size, cck_arena *a, cck_emit *e)
{
    cck_problems pr;
    cck_problems_init(&pr, a);
    cck_pds_emit(cck_pds_parse(data, size, a, &pr), &pr, e, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_blob_run(data, size, decode);
}
