/* blob.h - a byte builder for unit tests: little-endian fields appended to a
 * fixed buffer, so tests can write a structure field by field as the spec
 * lists it, then patch single fields at recorded offsets to mutate it.
 * Also captures emitter output into a string (open_memstream).
 */
#ifndef BLOB_H
#define BLOB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/emit.h"

#define BLOB_CAP 8192

typedef struct blob {
    uint8_t b[BLOB_CAP];
    size_t n;
} blob;

static inline size_t b_u8(blob *x, uint8_t v)
{
    size_t at = x->n;
    if (x->n < BLOB_CAP)
        x->b[x->n++] = v;
    return at;
}
static inline size_t b_u16(blob *x, uint16_t v)
{
    size_t at = x->n;
    b_u8(x, (uint8_t)v);
    b_u8(x, (uint8_t)(v >> 8));
    return at;
}
static inline size_t b_u32(blob *x, uint32_t v)
{
    size_t at = x->n;
    b_u16(x, (uint16_t)v);
    b_u16(x, (uint16_t)(v >> 16));
    return at;
}
static inline size_t b_u64(blob *x, uint64_t v)
{
    size_t at = x->n;
    b_u32(x, (uint32_t)v);
    b_u32(x, (uint32_t)(v >> 32));
    return at;
}
static inline size_t b_bytes(blob *x, const void *p, size_t n)
{
    size_t at = x->n;
    for (size_t i = 0; i < n; i++)
        b_u8(x, ((const uint8_t *)p)[i]);
    return at;
}
/* ASCII text as UTF-16LE code units (no terminator). */
static inline size_t b_utf16(blob *x, const char *s)
{
    size_t at = x->n;
    for (; *s; s++)
        b_u16(x, (uint8_t)*s);
    return at;
}
static inline void put_u16(blob *x, size_t at, uint16_t v)
{
    x->b[at] = (uint8_t)v;
    x->b[at + 1] = (uint8_t)(v >> 8);
}
static inline void put_u32(blob *x, size_t at, uint32_t v)
{
    put_u16(x, at, (uint16_t)v);
    put_u16(x, at + 2, (uint16_t)(v >> 16));
}

/* Runs `fn(obj, e)` into a string in the given format; the caller frees it. */
#define EMIT_TO_STRING(out, fmt, call)                                                             \
    do {                                                                                           \
        char *buf_ = NULL;                                                                         \
        size_t len_ = 0;                                                                           \
        FILE *f_ = open_memstream(&buf_, &len_);                                                   \
        cck_emit *e = cck_emit_new(f_, (fmt));                                                     \
        call;                                                                                      \
        cck_emit_finish(e);                                                                        \
        fclose(f_);                                                                                \
        (out) = buf_;                                                                              \
    } while (0)

#endif
