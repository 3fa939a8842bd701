/* cursor.c - bounded little-endian reader (see cursor.h for the contract). */
#include "cursor.h"

#include <string.h>

void cck_cur_init(cck_cur *c, const void *data, size_t len)
{
    c->data = data;
    c->len = data ? len : 0;
    c->pos = 0;
    c->err = false;
}

/* Claims n bytes or fails stickily; the only place that moves pos forward. */
static const uint8_t *take(cck_cur *c, size_t n)
{
    if (c->err || n > c->len - c->pos) {
        c->err = true;
        c->pos = c->len;
        return NULL;
    }
    const uint8_t *p = c->data + c->pos;
    c->pos += n;
    return p;
}

uint8_t cck_cur_u8(cck_cur *c)
{
    const uint8_t *p = take(c, 1);
    return p ? p[0] : 0;
}

uint16_t cck_cur_u16(cck_cur *c)
{
    const uint8_t *p = take(c, 2);
    return p ? cck_le16(p) : 0;
}

uint32_t cck_cur_u32(cck_cur *c)
{
    const uint8_t *p = take(c, 4);
    return p ? cck_le32(p) : 0;
}

uint64_t cck_cur_u64(cck_cur *c)
{
    const uint8_t *p = take(c, 8);
    return p ? cck_le64(p) : 0;
}

int32_t cck_cur_i32(cck_cur *c)
{
    return (int32_t)cck_cur_u32(c);
}

double cck_cur_f64(cck_cur *c)
{
    uint64_t u = cck_cur_u64(c);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

const uint8_t *cck_cur_bytes(cck_cur *c, size_t n)
{
    return take(c, n);
}

void cck_cur_skip(cck_cur *c, size_t n)
{
    (void)take(c, n);
}
