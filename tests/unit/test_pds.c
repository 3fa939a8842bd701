/* test_pds.c - PropertyDefinition stream decoding: a PropDefV2 field built
 * field by field (the shape of Microsoft's "TextField1" example), the empty
 * name CalCheck flags, other problems, truncation, and the output. */
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "mapi/pds.h"
#include "unit.h"
#include "util/arena.h"

static cck_arena *A;

typedef struct poffs {
    size_t version, count, nmidlen, nmid, name, skip;
} poffs;

static void b_packed(blob *b, const char *s)
{
    b_u8(b, (uint8_t)strlen(s));
    b_bytes(b, s, strlen(s));
}

static void field(blob *b, poffs *o, const char *name)
{
    b_u32(b, 0x45); /* PDO_IS_CUSTOM|PDO_PRINT_SAVEAS|PDO_PRINT_SAVEAS_DEF */
    b_u16(b, 0x0008);
    b_u32(b, 0);
    o->nmidlen = b_u16(b, (uint16_t)strlen(name));
    o->nmid = b_utf16(b, name);
    o->name = b->n;
    b_packed(b, name);
    b_packed(b, "");
    b_packed(b, "");
    b_packed(b, "");
    b_packed(b, "");
    b_u32(b, 0);
    o->skip = b_u32(b, (uint32_t)(1 + 2 * strlen(name)));
    b_u8(b, (uint8_t)strlen(name));
    b_utf16(b, name);
    b_u32(b, 0);
}

static void build(blob *b, poffs *o, const char *name)
{
    memset(b, 0, sizeof *b);
    o->version = b_u16(b, CCK_PDS_V2);
    o->count = b_u32(b, 1);
    field(b, o, name);
}

static const cck_pds *parse(const blob *b, cck_problems *pr)
{
    cck_arena_reset(A);
    cck_problems_init(pr, A);
    return cck_pds_parse(b->b, b->n, A, pr);
}

static void test_valid(void)
{
    blob b;
    poffs o;
    build(&b, &o, "TextField1");
    CHECK_EQ_INT(b.n, 0x56); /* the size of Microsoft's example */
    cck_problems pr;
    const cck_pds *d = parse(&b, &pr);
    CHECK(d && d->complete);
    CHECK_EQ_INT(pr.n, 0);
    CHECK_EQ_INT(d->Version, 0x0103);
    CHECK_EQ_INT(d->FieldDefinitionCount, 1);
    CHECK_EQ_INT(d->n_fields, 1);
    const cck_pds_field *f = &d->FieldDefinitions[0];
    CHECK_EQ_INT(f->Flags, 0x45);
    CHECK_EQ_INT(f->VT, 8);
    CHECK_EQ_INT(f->NmidNameLength, 10);
    CHECK_EQ_STR(f->NmidName.s, "TextField1");
    CHECK_EQ_STR(f->NameANSI.s, "TextField1");
    CHECK_EQ_STR(f->FormulaANSI.s, "");
    CHECK_EQ_INT(f->n_skip_blocks, 1);
    CHECK(f->has_field_name);
    CHECK_EQ_STR(f->FieldName.s, "TextField1");

    /* PropDefV1: no SkipBlocks. */
    blob v1;
    memset(&v1, 0, sizeof v1);
    b_u16(&v1, CCK_PDS_V1);
    b_u32(&v1, 1);
    b_u32(&v1, 1);
    b_u16(&v1, 3);
    b_u32(&v1, 0);
    b_u16(&v1, 2);
    b_utf16(&v1, "F1");
    b_packed(&v1, "F1");
    for (int i = 0; i < 4; i++)
        b_packed(&v1, "");
    b_u32(&v1, 0);
    d = parse(&v1, &pr);
    CHECK(d && d->complete && d->n_fields == 1);
    CHECK_EQ_INT(pr.n, 0);
}

static void test_long_packed(void)
{
    /* A PackedAnsiString of 300 bytes uses the 0xFF + WORD length form. */
    blob b;
    memset(&b, 0, sizeof b);
    b_u16(&b, CCK_PDS_V1);
    b_u32(&b, 1);
    b_u32(&b, 1);
    b_u16(&b, 8);
    b_u32(&b, 0);
    b_u16(&b, 1);
    b_utf16(&b, "F");
    b_u8(&b, 1);
    b_bytes(&b, "F", 1);
    b_u8(&b, 0xFF);
    b_u16(&b, 300);
    for (int i = 0; i < 300; i++)
        b_u8(&b, 'x');
    for (int i = 0; i < 3; i++)
        b_u8(&b, 0);
    b_u32(&b, 0);
    cck_problems pr;
    const cck_pds *d = parse(&b, &pr);
    CHECK(d && d->complete);
    CHECK(d && d->FieldDefinitions[0].FormulaANSI.len == 300);
    CHECK_EQ_INT(pr.n, 0);
}

static void test_empty_name(void)
{
    blob b;
    poffs o;
    build(&b, &o, "TextField1");
    /* NmidNameLength stays 10 but the characters are NULs. */
    memset(b.b + o.nmid, 0, 20);
    cck_problems pr;
    const cck_pds *d = parse(&b, &pr);
    const cck_problem *p = cck_problems_find(&pr, "pds.empty_name");
    CHECK(p != NULL);
    CHECK(p && p->sev == CCK_SEV_ERROR && p->offset == o.nmidlen);
    CHECK(d && d->complete);
}

static void test_problems(void)
{
    blob b;
    poffs o;
    cck_problems pr;
    build(&b, &o, "TextField1");
    put_u16(&b, o.version, 0x0104);
    parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "pds.version") != NULL);

    build(&b, &o, "TextField1");
    b_u8(&b, 0);
    parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "pds.trailing") != NULL);

    build(&b, &o, "TextField1");
    put_u32(&b, o.count, 2);
    parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "pds.truncated") != NULL);

    build(&b, &o, "TextField1");
    put_u32(&b, o.count, 0xFFFFFFFF);
    parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "pds.too_many") != NULL);
    CHECK(cck_arena_used(A) < 64 * 1024);

    build(&b, &o, "TextField1");
    put_u32(&b, o.skip, 0x7FFFFFFF);
    parse(&b, &pr);
    CHECK(cck_problems_find(&pr, "pds.truncated") != NULL);

    int missing = 0;
    build(&b, &o, "TextField1");
    for (size_t n = 0; n < b.n; n++) {
        cck_arena_reset(A);
        cck_problems_init(&pr, A);
        const cck_pds *d = cck_pds_parse(b.b, n, A, &pr);
        if (!d || d->complete || !cck_problems_find(&pr, "pds.truncated")) {
            if (!missing++)
                printf("#   no pds.truncated at %zu\n", n);
        }
    }
    CHECK_EQ_INT(missing, 0);
}

static void test_emit(void)
{
    blob b;
    poffs o;
    build(&b, &o, "TextField1");
    cck_problems pr;
    const cck_pds *d = parse(&b, &pr);
    char *json = NULL, *text = NULL;
    EMIT_TO_STRING(json, CCK_EMIT_JSON, cck_pds_emit(d, &pr, e, NULL));
    EMIT_TO_STRING(text, CCK_EMIT_TEXT, cck_pds_emit(d, &pr, e, NULL));
    CHECK(json && strstr(json, "\"Version\": 259"));
    CHECK(json && strstr(json, "\"NmidName\": \"TextField1\""));
    CHECK(text && strstr(text, "Flags: 0x00000045 (PDO_IS_CUSTOM|PDO_PRINT_SAVEAS|"
                               "PDO_PRINT_SAVEAS_DEF)"));
    CHECK(text && strstr(text, "VT: 0x0008 (VT_BSTR)"));
    free(json);
    free(text);
}

int main(void)
{
    A = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    RUN(test_valid);
    RUN(test_long_packed);
    RUN(test_empty_name);
    RUN(test_problems);
    RUN(test_emit);
    cck_arena_free(A);
    return unit_done();
}
