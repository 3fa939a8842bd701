/* goid.c - decodes GlobalObjectId and CleanGlobalObjectId ([MS-OXOCAL]
 * 2.2.1.27, 2.2.1.28), including the "vCal-Uid" Data form of [MS-OXCICAL]
 * 2.1.3.1.1.20.26, checks the class id, the Size field and the instance date,
 * and renders the result.
 */
#include "goid.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mapi/recur.h"
#include "util/cursor.h"
#include "util/time.h"

#define ERR  CCK_SEV_ERROR
#define WARN CCK_SEV_WARNING

const uint8_t CCK_GOID_CLASS_ID[16] = {0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00,
                                       0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08};

static const char vcal_tag[8] = {'v', 'C', 'a', 'l', '-', 'U', 'i', 'd'};

static void parse_vcal(cck_goid *g, cck_arena *a, cck_problems *pr, bool *oom)
{
    if (g->n_data < 12 || memcmp(g->Data, vcal_tag, 8) != 0)
        return;
    g->is_vcal = true;
    g->vcal_version = cck_le32(g->Data + 8);
    const uint8_t *u = g->Data + 12;
    size_t n = g->n_data - 12;
    const uint8_t *z = memchr(u, 0, n);
    size_t len = z ? (size_t)(z - u) : n;
    if (!z)
        cck_problems_add(pr, WARN, "goid.vcal_uid", CCK_GOID_HEADER_SIZE + 12,
                         "vCal-Uid UID of %zu bytes is not NUL-terminated", n);
    if (len > CCK_GOID_MAX_UID) {
        cck_problems_add(pr, WARN, "goid.vcal_uid", CCK_GOID_HEADER_SIZE + 12,
                         "vCal-Uid UID of %zu bytes exceeds the limit of %d; cut", len,
                         CCK_GOID_MAX_UID);
        len = CCK_GOID_MAX_UID;
    }
    if (len == 0)
        cck_problems_add(pr, WARN, "goid.vcal_uid", CCK_GOID_HEADER_SIZE + 12,
                         "vCal-Uid form with an empty UID");
    g->vcal_uid = cck_arena_strndup(a, (const char *)u, len);
    g->vcal_uid_len = len;
    if (!g->vcal_uid)
        *oom = true;
}

const cck_goid *cck_goid_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr)
{
    cck_goid *g = cck_arena_alloc(a, sizeof *g);
    if (!g)
        return NULL;
    cck_cur c;
    cck_cur_init(&c, p, n);
    if (n < CCK_GOID_HEADER_SIZE) {
        static const struct {
            size_t end;
            const char *name;
        } f[] = {{16, "Byte Array ID"}, {17, "YH"}, {18, "YL"},  {19, "Month"}, {20, "D"},
                 {28, "Creation Time"}, {36, "X"},  {40, "Size"}};
        size_t i = 0;
        while (f[i].end <= n)
            i++;
        cck_problems_add(pr, ERR, "goid.truncated", n,
                         "GlobalObjectId of %zu bytes ends inside %s (the fixed part is 40)", n,
                         f[i].name);
    }
    /* Past the end the cursor yields zeros, so the fixed part decodes to what
     * is there and zeros for the rest. */
    const uint8_t *id = cck_cur_bytes(&c, 16);
    if (id)
        memcpy(g->ByteArrayID, id, 16);
    else if (n)
        memcpy(g->ByteArrayID, p, n < 16 ? n : 16);
    if (n >= 16 && memcmp(g->ByteArrayID, CCK_GOID_CLASS_ID, 16) != 0)
        cck_problems_add(pr, ERR, "goid.bad_class_id", 0,
                         "Byte Array ID %02X%02X%02X%02X... is not "
                         "040000008200E00074C5B7101A82E008",
                         g->ByteArrayID[0], g->ByteArrayID[1], g->ByteArrayID[2],
                         g->ByteArrayID[3]);
    g->YH = cck_cur_u8(&c);
    g->YL = cck_cur_u8(&c);
    g->Year = (uint16_t)(g->YH << 8 | g->YL);
    g->Month = cck_cur_u8(&c);
    g->D = cck_cur_u8(&c);
    g->CreationTime = cck_cur_u64(&c);
    const uint8_t *x = cck_cur_bytes(&c, 8);
    if (x)
        memcpy(g->X, x, 8);
    g->Size = cck_cur_u32(&c);
    if (n < CCK_GOID_HEADER_SIZE)
        return g;

    /* An instance date is all zero (master / clean id) or a real date. */
    if ((g->Year || g->Month || g->D) &&
        (g->Month < 1 || g->Month > 12 || g->D < 1 || g->D > 31 || g->Year < 1601))
        cck_problems_add(pr, WARN, "goid.bad_date", 16,
                         "instance date %u-%02u-%02u (YH, YL, Month, D) is not a date", g->Year,
                         g->Month, g->D);
    size_t left = n - CCK_GOID_HEADER_SIZE;
    size_t take = g->Size <= left ? g->Size : left;
    uint8_t *d = (uint8_t *)cck_arena_strndup(a, (const char *)p + CCK_GOID_HEADER_SIZE, take);
    if (!d)
        return NULL;
    g->Data = d;
    g->n_data = take;
    if (g->Size > left)
        cck_problems_add(pr, ERR, "goid.truncated", n,
                         "Size %" PRIu32 " exceeds the %zu bytes that follow it", g->Size, left);
    else if (g->Size < left)
        cck_problems_add(pr, ERR, "goid.size", 36,
                         "Size %" PRIu32 " is less than the %zu bytes that follow it", g->Size,
                         left);
    g->complete = g->Size <= left;
    if (g->Size == 0)
        cck_problems_add(pr, WARN, "goid.empty_data", 36, "Size 0: the id has no Data");
    bool oom = false;
    parse_vcal(g, a, pr, &oom);
    return oom ? NULL : g;
}

bool cck_goid_is_clean_of(const uint8_t *goid, size_t n, const uint8_t *clean, size_t cn)
{
    if (!goid || !clean || n != cn || n < 20)
        return false;
    if (memcmp(goid, clean, 16) != 0 || memcmp(goid + 20, clean + 20, n - 20) != 0)
        return false;
    return clean[16] == 0 && clean[17] == 0 && clean[18] == 0 && clean[19] == 0;
}

bool cck_goid_has_instance_date(const uint8_t *goid, size_t n)
{
    return goid && n >= 20 && (goid[16] || goid[17] || goid[18] || goid[19]);
}

void cck_goid_emit(const cck_goid *g, const cck_problems *pr, cck_emit *e, const char *key)
{
    cck_emit_begin_obj(e, key);
    if (g) {
        cck_emit_bytes(e, "ByteArrayID", g->ByteArrayID, 16);
        cck_emit_uint_note(e, "Year", g->Year, g->Year ? NULL : "none: master or clean id");
        cck_emit_uint(e, "Month", g->Month);
        cck_emit_uint(e, "Day", g->D);
        char b[CCK_TIME_BUF];
        cck_emit_hex_note(e, "CreationTime", g->CreationTime, 16,
                          cck_fmt_filetime(g->CreationTime, b));
        cck_emit_bytes(e, "X", g->X, 8);
        cck_emit_uint(e, "Size", g->Size);
        cck_emit_bytes(e, "Data", g->Data ? g->Data : (const uint8_t *)"", g->n_data);
        if (g->is_vcal) {
            cck_emit_begin_obj(e, "vCal-Uid");
            cck_emit_uint(e, "Version", g->vcal_version);
            cck_emit_strn(e, "UID", g->vcal_uid ? g->vcal_uid : "", g->vcal_uid_len);
            cck_emit_end_obj(e);
        }
    }
    cck_mapi_emit_problems(pr, e);
    cck_emit_end_obj(e);
}
