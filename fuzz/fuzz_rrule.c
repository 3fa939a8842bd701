/* fuzz_rrule.c - libFuzzer target: arbitrary bytes as an RRULE value (RFC 5545 §3.3.10,
 * §3.8.5.3), parsed and expanded from a DTSTART taken from the first bytes, up to a small cap. */
#include <stdint.h>
#include <string.h>

#include "ics/rrule.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cck_rrule r;
    static cck_rrule_iter it;
    uint8_t b[4] = {0};
    size_t k = size < 4 ? size : 4;
    memcpy(b, data, k);
    cck_arena *a = cck_arena_new(1 << 20);
    if (!a)
        return 0;
    cck_problems pr;
    cck_problems_init(&pr, a);
    cck_rrule_parse((const char *)data + k, size - k, &r, &pr);
    cck_civil dt = {.year = 1990 + b[0] % 40,
                    .month = 1 + b[1] % 12,
                    .day = 1 + b[2] % 31,
                    .hour = b[3] % 24,
                    .minute = b[3] % 60,
                    .second = b[2] % 60};
    cck_rrule_iter_init(&it, &r, &dt, b[1] & 0x80);
    it.max_instances = 200;
    it.max_empty = 2000;
    cck_civil c;
    int64_t prev = INT64_MIN;
    while (cck_rrule_iter_next(&it, &c)) {
        int64_t key = (cck_days1601_from_civil(c.year, c.month, c.day) * 24 + c.hour) * 3600 +
                      c.minute * 60 + c.second;
        if (key < prev) /* instances must come in order */
            __builtin_trap();
        prev = key;
    }
    (void)cck_rrule_has_instance(&r, &dt, 0);
    cck_arena_free(a);
    return 0;
}
