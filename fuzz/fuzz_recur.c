/* fuzz_recur.c - libFuzzer target: RecurrencePattern and AppointmentRecurrencePattern decoded from
 * arbitrary bytes, rendered as text and JSON; the parser must not crash, hang or read out of
 * bounds. */
#include <stdint.h>
#include <stdio.h>

#include "mapi/recur.h"
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
        cck_emit_begin_obj(e, NULL);
        cck_apptrecur_emit(cck_apptrecur_parse(data, size, a, &pr), &pr, e, "appt");
        cck_problems pr2;
        cck_problems_init(&pr2, a);
        cck_recur_emit(cck_recur_parse(data, size, a, &pr2), &pr2, e, "pattern");
        cck_emit_end_obj(e);
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
