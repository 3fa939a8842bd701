/* bigmem.h - zeroed memory for large tables that are read at random (hash
 * tables of the duplicate index). On Linux such a block is backed by huge
 * pages where the system allows them: a lookup in a table of many megabytes
 * then costs one cache miss instead of a cache miss plus a page-table walk,
 * which under virtualisation is several more.
 *
 * Ownership: the caller owns the block and releases it with cck_big_free
 * (never free()). */
#ifndef CCK_BIGMEM_H
#define CCK_BIGMEM_H

#include <stddef.h>

/* Blocks at least this large are aligned for, and advised to use, huge pages. */
#define CCK_BIG_HUGE_MIN ((size_t)2 << 20)

/* n * size zeroed bytes, or NULL (overflow or out of memory). */
void *cck_big_calloc(size_t n, size_t size);
void cck_big_free(void *p);
/* Moves the first `used` bytes of p (from cck_big_calloc, cck_big_grow,
 * malloc or NULL) into a new block of `size` bytes (>= used) that is not
 * zeroed, advised like cck_big_calloc's; p is freed. NULL (p untouched) on
 * failure. For arrays filled front to back: their pages are then taken a huge
 * page at a time, not one fault per 4 KiB. The result may be realloc'd. */
void *cck_big_grow(void *p, size_t used, size_t size);

#endif
