/* arena.c - region allocator: a list of blocks, bump allocation, one ceiling. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN ((size_t)64 << 10)

struct block {
    struct block *next;
    size_t size, used;
    _Alignas(16) unsigned char mem[];
};

struct cck_arena {
    struct block *head;
    size_t limit, used;
};

cck_arena *cck_arena_new(size_t limit)
{
    cck_arena *a = calloc(1, sizeof *a);
    if (a)
        a->limit = limit;
    return a;
}

void cck_arena_free(cck_arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void cck_arena_reset(cck_arena *a)
{
    struct block *b = a->head;
    if (!b)
        return;
    /* Keep the oldest block (the tail) and drop the rest. */
    while (b->next) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    b->used = 0;
    a->head = b;
    a->used = 0;
}

void *cck_arena_alloc(cck_arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    if (!a || need < n || need > a->limit - a->used)
        return NULL;
    struct block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > BLOCK_MIN ? need : BLOCK_MIN;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->mem + b->used;
    b->used += need;
    a->used += need;
    memset(p, 0, need);
    return p;
}

void *cck_arena_calloc(cck_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return cck_arena_alloc(a, n * size);
}

char *cck_arena_strndup(cck_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = cck_arena_alloc(a, n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

char *cck_arena_printf(cck_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = cck_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t cck_arena_used(const cck_arena *a)
{
    return a->used;
}
