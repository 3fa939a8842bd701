/* test_goid.c - GlobalObjectId / CleanGlobalObjectId ([MS-OXOCAL] 2.2.1.27,
 * 2.2.1.28): fields, the vCal-Uid form, problems, truncation, the clean-id
 * relation and the rendered output. */
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "mapi/goid.h"
#include "unit.h"
#include "util/arena.h"

static cck_arena *A;

static const uint8_t data16[16] = {0xEA, 0x7E, 0xC9, 0xE1, 0xFD, 0xB9, 0xAA, 0x43,
                                   0xB5, 0x65, 0x58, 0x9F, 0xC2, 0xE4, 0x64, 0x6E};

/* An exception's id: instance date 2023-01-09, 16 bytes of Data. */
static void build(blob *b, int year, int month, int d)
{
    memset(b, 0, sizeof *b);
    b_bytes(b, CCK_GOID_CLASS_ID, 16);
    b_u8(b, (uint8_t)(year >> 8));
    b_u8(b, (uint8_t)year);
    b_u8(b, (uint8_t)month);
    b_u8(b, (uint8_t)d);
    b_u64(b, 0x01D90E4228328450ull);
    b_u64(b, 0);
    b_u32(b, 16);
    b_bytes(b, data16, 16);
}

static const cck_goid *parse(const blob *b, cck_problems *pr)
{
    cck_arena_reset(A);
    cck_problems_init(pr, A);
    return cck_goid_parse(b->b, b->n, A, pr);
}

static void test_fields(void)
{
    blob b;
    build(&b, 2023, 1, 9);
    cck_problems pr;
    const cck_goid *g = parse(&b, &pr);
    CHECK(g && g->complete);
    CHECK_EQ_INT(pr.n, 0);
    CHECK(memcmp(g->ByteArrayID, CCK_GOID_CLASS_ID, 16) == 0);
    CHECK_EQ_INT(g->YH, 0x07);
    CHECK_EQ_INT(g->YL, 0xE7);
    CHECK_EQ_INT(g->Year, 2023);
    CHECK_EQ_INT(g->Month, 1);
    CHECK_EQ_INT(g->D, 9);
    CHECK(g->CreationTime == 0x01D90E4228328450ull);
    CHECK_EQ_INT(g->Size, 16);
    CHECK_EQ_INT(g->n_data, 16);
    CHECK(memcmp(g->Data, data16, 16) == 0);
    CHECK(!g->is_vcal);
}

static void test_vcal(void)
{
    blob b;
    memset(&b, 0, sizeof b);
    b_bytes(&b, CCK_GOID_CLASS_ID, 16);
    b_u32(&b, 0);
    b_u64(&b, 0);
    b_u64(&b, 0);
    const char *uid = "040000008200E000-abc@example.org";
    b_u32(&b, (uint32_t)(12 + strlen(uid) + 1));
    b_bytes(&b, "vCal-Uid", 8);
    b_u32(&b, 1);
    b_bytes(&b, uid, strlen(uid) + 1);
    cck_problems pr;
    const cck_goid *g = parse(&b, &pr);
    CHECK(g && g->is_vcal);
    CHECK_EQ_INT(g->vcal_version, 1);
    CHECK_EQ_STR(g->vcal_uid, uid);
    CHECK_EQ_INT(pr.n, 0);
    char *json = NULL;
    EMIT_TO_STRING(json, CCK_EMIT_JSON, cck_goid_emit(g, &pr, e, NULL));
    CHECK(json && strstr(json, "\"UID\": \"040000008200E000-abc@example.org\""));
    free(json);
}

static void test_problems(void)
{
    blob b;
    cck_problems pr;
    build(&b, 2023, 1, 9);
    b.b[4] = 0x83;
    parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "goid.bad_class_id") != NULL);

    build(&b, 2023, 1, 9);
    put_u32(&b, 36, 15);
    parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "goid.size") != NULL);

    build(&b, 2023, 1, 9);
    put_u32(&b, 36, 17);
    const cck_goid *g = parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "goid.truncated") != NULL);
    CHECK(g && !g->complete && g->n_data == 16);

    build(&b, 2023, 13, 9);
    parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "goid.bad_date") != NULL);

    int missing = 0;
    build(&b, 2023, 1, 9);
    for (size_t n = 0; n < b.n; n++) {
        cck_arena_reset(A);
        cck_problems_init(&pr, A);
        g = cck_goid_parse(b.b, n, A, &pr);
        if (!g || g->complete || !cck_problems_find(&pr, "goid.truncated"))
            missing++;
    }
    CHECK_EQ_INT(missing, 0);
}

static void test_clean(void)
{
    blob id, clean, other;
    build(&id, 2023, 1, 9);
    build(&clean, 0, 0, 0);
    CHECK(cck_goid_is_clean_of(id.b, id.n, clean.b, clean.n));
    CHECK(cck_goid_is_clean_of(clean.b, clean.n, clean.b, clean.n)); /* a master's own id */
    CHECK(!cck_goid_is_clean_of(clean.b, clean.n, id.b, id.n));      /* date not zeroed */
    build(&other, 0, 0, 0);
    other.b[45] ^= 1; /* different Data */
    CHECK(!cck_goid_is_clean_of(id.b, id.n, other.b, other.n));
    CHECK(!cck_goid_is_clean_of(id.b, id.n, clean.b, clean.n - 1));
    CHECK(cck_goid_has_instance_date(id.b, id.n));
    CHECK(!cck_goid_has_instance_date(clean.b, clean.n));
}

static void test_emit(void)
{
    blob b;
    build(&b, 2023, 1, 9);
    cck_problems pr;
    const cck_goid *g = parse(&b, &pr);
    char *json = NULL, *text = NULL;
    EMIT_TO_STRING(json, CCK_EMIT_JSON, cck_goid_emit(g, &pr, e, "GlobalObjectId"));
    EMIT_TO_STRING(text, CCK_EMIT_TEXT, cck_goid_emit(g, &pr, e, NULL));
    CHECK(json && strstr(json, "\"Year\": 2023"));
    CHECK(json && strstr(json, "\"Day\": 9"));
    CHECK(json && strstr(json, "\"Size\": 16"));
    CHECK(json && strstr(json, "\"Data\": \"EA7EC9E1FDB9AA43B565589FC2E4646E\""));
    CHECK(json && strstr(json, "\"ByteArrayID\": \"040000008200E00074C5B7101A82E008\""));
    CHECK(text && strstr(text, "CreationTime: 0x01D90E4228328450 (2022-12-12T"));
    free(json);
    free(text);
}

int main(void)
{
    A = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    RUN(test_fields);
    RUN(test_vcal);
    RUN(test_problems);
    RUN(test_clean);
    RUN(test_emit);
    cck_arena_free(A);
    return unit_done();
}
