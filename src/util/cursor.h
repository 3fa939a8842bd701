/* cursor.h - bounded little-endian reader with a sticky error flag.
 *
 * Every binary parser in calcheck reads through a cck_cur: a read past the end
 * returns zero, sets `err` and leaves `pos` at the end, so a parser can read a
 * whole structure and test cck_cur_ok() once. Nothing is ever read outside
 * [data, data + len).  The cursor does not own the bytes it reads.
 */
#ifndef CCK_CURSOR_H
#define CCK_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cck_cur {
    const uint8_t *data; /* borrowed */
    size_t len;
    size_t pos;
    bool err; /* sticky: set by the first read that did not fit */
} cck_cur;

void cck_cur_init(cck_cur *c, const void *data, size_t len);
static inline bool cck_cur_ok(const cck_cur *c)
{
    return !c->err;
}
static inline size_t cck_cur_left(const cck_cur *c)
{
    return c->len - c->pos;
}
uint8_t cck_cur_u8(cck_cur *c);
uint16_t cck_cur_u16(cck_cur *c);
uint32_t cck_cur_u32(cck_cur *c);
uint64_t cck_cur_u64(cck_cur *c);
int32_t cck_cur_i32(cck_cur *c);
double cck_cur_f64(cck_cur *c);
/* Returns a pointer to the next n bytes and advances, or NULL (and err) if fewer remain. */
const uint8_t *cck_cur_bytes(cck_cur *c, size_t n);
/* Advances n bytes; err if fewer remain. */
void cck_cur_skip(cck_cur *c, size_t n);

/* Unaligned little-endian loads for callers that already checked bounds. */
static inline uint16_t cck_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t cck_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t cck_le64(const uint8_t *p)
{
    return (uint64_t)cck_le32(p) | ((uint64_t)cck_le32(p + 4) << 32);
}

#endif
