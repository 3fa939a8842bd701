/* bigmem.c - large zeroed tables on huge pages where possible (bigmem.h):
 * aligned to the huge-page size and marked with madvise(MADV_HUGEPAGE), which
 * is only advice: without it the memory is ordinary and works the same. */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void *cck_big_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    if (bytes < CCK_BIG_HUGE_MIN)
        return calloc(n ? n : 1, size ? size : 1);
    size_t rounded = (bytes + CCK_BIG_HUGE_MIN - 1) & ~(CCK_BIG_HUGE_MIN - 1);
    if (rounded < bytes)
        return NULL;
    void *p = aligned_alloc(CCK_BIG_HUGE_MIN, rounded);
    if (!p)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, rounded, MADV_HUGEPAGE); /* advice only; may be refused */
#endif
    memset(p, 0, rounded);
    return p;
}

/* An aligned block of at least `bytes`, advised to use huge pages; *rounded
 * is its size. */
static void *huge_block(size_t bytes, size_t *rounded)
{
    size_t r = (bytes + CCK_BIG_HUGE_MIN - 1) & ~(CCK_BIG_HUGE_MIN - 1);
    if (r < bytes)
        return NULL;
    void *p = aligned_alloc(CCK_BIG_HUGE_MIN, r);
#ifdef MADV_HUGEPAGE
    if (p)
        (void)madvise(p, r, MADV_HUGEPAGE); /* advice only; may be refused */
#endif
    *rounded = r;
    return p;
}

void *cck_big_grow(void *p, size_t used, size_t size)
{
    if (used > size)
        return NULL;
    if (size < CCK_BIG_HUGE_MIN) {
        void *q = realloc(p, size ? size : 1);
        return q;
    }
    size_t r;
    void *q = huge_block(size, &r);
    if (!q)
        return NULL;
    if (used)
        memcpy(q, p, used);
    free(p);
    return q;
}

void cck_big_free(void *p)
{
    free(p);
}
