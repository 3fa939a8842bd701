/* test_bigmem.c - large blocks (util/bigmem.c): cck_big_calloc is zeroed at
 * every size, cck_big_grow keeps the bytes in use across the huge-page
 * threshold, and what it returns can be realloc'd and freed like malloc's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/bigmem.h"

static void test_calloc_zeroed(void)
{
    size_t sizes[] = {1, 4096, CCK_BIG_HUGE_MIN - 1, CCK_BIG_HUGE_MIN, 3 * CCK_BIG_HUGE_MIN + 5};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        uint8_t *p = cck_big_calloc(sizes[i], 1);
        CHECK(p != NULL);
        size_t nonzero = 0;
        for (size_t k = 0; p && k < sizes[i]; k++)
            nonzero += p[k] != 0;
        CHECK_EQ_INT(nonzero, 0);
        cck_big_free(p);
    }
    CHECK(cck_big_calloc(SIZE_MAX / 2, 4) == NULL); /* n * size overflows */
}

static void test_grow_keeps_bytes(void)
{
    /* small -> small, small -> huge, huge -> larger huge */
    size_t steps[] = {100, 5000, CCK_BIG_HUGE_MIN + 1, 5 * CCK_BIG_HUGE_MIN};
    uint8_t *p = NULL;
    size_t used = 0;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        uint8_t *q = cck_big_grow(p, used, steps[i]);
        CHECK(q != NULL);
        if (!q)
            break;
        p = q;
        size_t bad = 0;
        for (size_t k = 0; k < used; k++)
            bad += p[k] != (uint8_t)(k * 7 + 1);
        CHECK_EQ_INT(bad, 0);
        for (size_t k = used; k < steps[i]; k++) /* the block is writable to its end */
            p[k] = (uint8_t)(k * 7 + 1);
        used = steps[i];
    }
    /* realloc'd like a malloc block afterwards */
    uint8_t *r = p ? realloc(p, used + 100) : NULL;
    CHECK(r != NULL);
    CHECK(r && r[used - 1] == (uint8_t)((used - 1) * 7 + 1));
    free(r);
    uint8_t *keep = malloc(16);
    CHECK(cck_big_grow(keep, 17, 16) == NULL); /* used > size: refused, keep untouched */
    free(keep);
}

int main(void)
{
    RUN(test_calloc_zeroed);
    RUN(test_grow_keeps_bytes);
    return unit_done();
}
