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

#endif
