/* fuzz_recur.c - libFuzzer target: arbitrary bytes as an AppointmentRecurrencePattern and as a
 * bare RecurrencePattern ([MS-OXOCAL] 2.2.1.44), decoded and rendered. */
#include "fuzz_blob.h"
#include "mapi/recur.h"

static void decode(const uint8_t *data, size_t size, cck_arena *a, cck_emit *e)
{
    cck_problems pr, pr2;
    cck_problems_init(&pr, a);
    cck_problems_init(&pr2, a);
    cck_emit_begin_obj(e, NULL);
    cck_apptrecur_emit(cck_apptrecur_parse(data, size, a, &pr), &pr, e, "appt");
    cck_recur_emit(cck_recur_parse(data, size, a, &pr2), &pr2, e, "pattern");
    cck_emit_end_obj(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_blob_run(data, size, decode);
}
