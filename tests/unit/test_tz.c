/* test_tz.c - TZREG and TZDEFINITION decoding ([MS-OXOCAL] 2.2.1.39, 2.2.1.41):
 * fields, the empty key name of the Outlook 2010 crash, each structural
 * problem, truncation at every length, the TZREG/TZRule comparison, output. */
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "mapi/tz.h"
#include "unit.h"
#include "util/arena.h"

static cck_arena *A;

static void b_st(blob *b, uint16_t y, uint16_t mo, uint16_t dow, uint16_t d, uint16_t h)
{
    b_u16(b, y);
    b_u16(b, mo);
    b_u16(b, dow);
    b_u16(b, d);
    b_u16(b, h);
    b_u16(b, 0);
    b_u16(b, 0);
    b_u16(b, 0);
}

/* W. Europe: UTC+1, DST last Sunday of March 02:00 to last Sunday of October 03:00. */
static void build_tzreg(blob *b)
{
    memset(b, 0, sizeof *b);
    b_u32(b, (uint32_t)-60);
    b_u32(b, 0);
    b_u32(b, (uint32_t)-60);
    b_u16(b, 0);
    b_st(b, 0, 10, 0, 5, 3);
    b_u16(b, 0);
    b_st(b, 0, 3, 0, 5, 2);
}

typedef struct toffs {
    size_t cbheader, flags, cch, crules, rule0, rule1;
} toffs;

static void b_rule(blob *b, uint16_t flags, uint16_t year, int32_t bias)
{
    b_u8(b, 2);
    b_u8(b, 1);
    b_u16(b, 0x3E);
    b_u16(b, flags);
    b_u16(b, year);
    for (int i = 0; i < 14; i++)
        b_u8(b, 0);
    b_u32(b, (uint32_t)bias);
    b_u32(b, 0);
    b_u32(b, (uint32_t)-60);
    b_st(b, 0, 10, 0, 5, 3);
    b_st(b, 0, 3, 0, 5, 2);
}

static void build_tzdef(blob *b, toffs *o, const char *key)
{
    memset(b, 0, sizeof *b);
    b_u8(b, 2);
    b_u8(b, 1);
    o->cbheader = b_u16(b, (uint16_t)(6 + 2 * strlen(key)));
    o->flags = b_u16(b, 0x0002);
    o->cch = b_u16(b, (uint16_t)strlen(key));
    b_utf16(b, key);
    o->crules = b_u16(b, 2);
    o->rule0 = b->n;
    b_rule(b, 0, 1601, -60);
    o->rule1 = b->n;
    b_rule(b, 3, 2007, -60);
}

static const cck_tzdef *pdef(const blob *b, cck_problems *pr)
{
    cck_arena_reset(A);
    cck_problems_init(pr, A);
    return cck_tzdef_parse(b->b, b->n, A, pr);
}

static void test_tzreg(void)
{
    blob b;
    build_tzreg(&b);
    CHECK_EQ_INT(b.n, 48);
    cck_problems pr;
    cck_arena_reset(A);
    cck_problems_init(&pr, A);
    const cck_tzreg *t = cck_tzreg_parse(b.b, b.n, A, &pr);
    CHECK(t && t->complete);
    CHECK_EQ_INT(pr.n, 0);
    CHECK_EQ_INT(t->lBias, -60);
    CHECK_EQ_INT(t->lStandardBias, 0);
    CHECK_EQ_INT(t->lDaylightBias, -60);
    CHECK_EQ_INT(t->stStandardDate.wMonth, 10);
    CHECK_EQ_INT(t->stStandardDate.wDay, 5);
    CHECK_EQ_INT(t->stStandardDate.wHour, 3);
    CHECK_EQ_INT(t->stDaylightDate.wMonth, 3);
    CHECK_EQ_INT(t->stDaylightDate.wHour, 2);
    char buf[96];
    CHECK_EQ_STR(cck_systemtime_rule_fmt(&t->stDaylightDate, buf, sizeof buf),
                 "last Sunday of March 02:00");

    /* Truncated at every length, and too long. */
    int missing = 0;
    for (size_t n = 0; n < 48; n++) {
        cck_problems_init(&pr, A);
        t = cck_tzreg_parse(b.b, n, A, &pr);
        if (!t || t->complete || !cck_problems_find(&pr, "tzreg.truncated"))
            missing++;
    }
    CHECK_EQ_INT(missing, 0);
    b_u8(&b, 0);
    cck_problems_init(&pr, A);
    CHECK(cck_tzreg_parse(b.b, b.n, A, &pr) != NULL);
    CHECK(cck_problems_find(&pr, "tzreg.trailing") != NULL);

    /* Invalid SYSTEMTIME fields. */
    static const struct {
        size_t at;
        uint16_t v;
        const char *code;
    } bad[] = {{14 + 2, 13, "tzreg.bad_systemtime"}, /* stStandardDate.wMonth */
               {14 + 4, 7, "tzreg.bad_systemtime"},  /* wDayOfWeek */
               {14 + 6, 6, "tzreg.bad_systemtime"},  /* week 6 in relative form */
               {32 + 8, 24, "tzreg.bad_systemtime"}, /* stDaylightDate.wHour */
               {32 + 2, 0, "tzreg.half_dst"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        build_tzreg(&b);
        put_u16(&b, bad[i].at, bad[i].v);
        cck_problems_init(&pr, A);
        CHECK(cck_tzreg_parse(b.b, b.n, A, &pr) != NULL);
        if (!cck_problems_find(&pr, bad[i].code))
            CHECK(!"expected SYSTEMTIME problem missing");
    }
}

static void test_tzdef_valid(void)
{
    blob b;
    toffs o;
    build_tzdef(&b, &o, "W. Europe Standard Time");
    cck_problems pr;
    const cck_tzdef *t = pdef(&b, &pr);
    CHECK(t && t->complete);
    CHECK_EQ_INT(pr.n, 0);
    for (size_t i = 0; i < pr.n; i++)
        printf("#     %s: %s\n", pr.v[i].code, pr.v[i].text);
    CHECK_EQ_INT(t->MajorVersion, 2);
    CHECK_EQ_INT(t->MinorVersion, 1);
    CHECK_EQ_INT(t->cbHeader, 6 + 2 * 23);
    CHECK_EQ_INT(t->Reserved, CCK_TZDEFINITION_FLAG_VALID_KEYNAME);
    CHECK_EQ_INT(t->cchKeyName, 23);
    CHECK_EQ_STR(t->KeyName.s, "W. Europe Standard Time");
    CHECK_EQ_INT(t->cRules, 2);
    CHECK_EQ_INT(t->n_rules, 2);
    CHECK(t->effective == &t->TZRules[1]);
    const cck_tzrule *r = &t->TZRules[1];
    CHECK_EQ_INT(r->MajorVersion, 2);
    CHECK_EQ_INT(r->Reserved, 0x3E);
    CHECK_EQ_INT(r->TZRuleFlags, 3);
    CHECK_EQ_INT(r->wYear, 2007);
    CHECK_EQ_INT(r->lBias, -60);
    CHECK_EQ_INT(r->lDaylightBias, -60);
    CHECK_EQ_INT(r->stDaylightDate.wMonth, 3);
    CHECK_EQ_INT(r->offset, o.rule1);

    /* TZREG agrees with the effective rule; a changed bias does not. */
    blob g;
    build_tzreg(&g);
    cck_problems_init(&pr, A);
    const cck_tzreg *reg = cck_tzreg_parse(g.b, g.n, A, &pr);
    CHECK(cck_tzreg_matches_rule(reg, t->effective));
    put_u32(&g, 0, (uint32_t)-120);
    cck_problems_init(&pr, A);
    reg = cck_tzreg_parse(g.b, g.n, A, &pr);
    CHECK(!cck_tzreg_matches_rule(reg, t->effective));
    CHECK(!cck_tzreg_matches_rule(reg, NULL));
}

static void test_tzdef_empty_keyname(void)
{
    blob b;
    toffs o;
    build_tzdef(&b, &o, "");
    cck_problems pr;
    const cck_tzdef *t = pdef(&b, &pr);
    CHECK(t != NULL);
    const cck_problem *p = cck_problems_find(&pr, "tzdef.empty_keyname");
    CHECK(p != NULL);
    CHECK(p && p->sev == CCK_SEV_ERROR);
    CHECK(p && p->offset == o.cch);
    CHECK(t && t->n_rules == 2); /* still decoded */
    CHECK(cck_problems_find(&pr, "tzdef.header_size") == NULL);
}

#define EXPECT(code, patch)                                                                        \
    do {                                                                                           \
        blob b;                                                                                    \
        toffs o;                                                                                   \
        build_tzdef(&b, &o, "Tokyo Standard Time");                                                \
        patch;                                                                                     \
        cck_problems pr;                                                                           \
        CHECK(pdef(&b, &pr) != NULL);                                                              \
        if (!cck_problems_find(&pr, code))                                                         \
            CHECK(!"missing " code);                                                               \
    } while (0)

static void test_tzdef_problems(void)
{
    EXPECT("tzdef.version", b.b[0] = 3);
    EXPECT("tzdef.version", b.b[o.rule0] = 1);
    EXPECT("tzdef.header_size", put_u16(&b, o.cbheader, 6));
    EXPECT("tzdef.flags", put_u16(&b, o.flags, 0x0006));
    EXPECT("tzdef.rule_size", put_u16(&b, o.rule1 + 2, 0x42));
    EXPECT("tzdef.rule_flags", put_u16(&b, o.rule1 + 4, 0x0013));
    EXPECT("tzdef.no_effective", put_u16(&b, o.rule1 + 4, 0x0001));
    EXPECT("tzdef.multiple_effective", put_u16(&b, o.rule0 + 4, 0x0002));
    EXPECT("tzdef.unsorted", put_u16(&b, o.rule1 + 6, 1601));
    EXPECT("tzdef.bad_systemtime", put_u16(&b, o.rule1 + 34 + 2, 13));
    EXPECT("tzdef.no_rules", (put_u16(&b, o.crules, 0), b.n = o.rule0));
    EXPECT("tzdef.trailing", b_u8(&b, 0));
    EXPECT("tzdef.truncated", put_u16(&b, o.crules, 3));
    EXPECT("tzdef.too_many", put_u16(&b, o.crules, 0xFFFF));
    /* The GUID form: 16 more header bytes. */
    {
        blob b;
        memset(&b, 0, sizeof b);
        b_u8(&b, 2);
        b_u8(&b, 1);
        b_u16(&b, 6 + 16 + 2 * 3);
        b_u16(&b, 3);
        for (int i = 0; i < 16; i++)
            b_u8(&b, (uint8_t)i);
        b_u16(&b, 3);
        b_utf16(&b, "UTC");
        b_u16(&b, 1);
        b_rule(&b, 2, 1601, 0);
        cck_problems pr;
        const cck_tzdef *t = pdef(&b, &pr);
        CHECK(t && t->has_guid && t->guid[15] == 15);
        CHECK(t && t->KeyName.s && strcmp(t->KeyName.s, "UTC") == 0);
        CHECK(cck_problems_find(&pr, "tzdef.header_size") == NULL);
        CHECK(cck_problems_find(&pr, "tzdef.flags") == NULL);
    }
}

static void test_tzdef_truncation(void)
{
    blob b;
    toffs o;
    build_tzdef(&b, &o, "Tokyo Standard Time");
    int missing = 0;
    for (size_t n = 0; n < b.n; n++) {
        cck_problems pr;
        cck_arena_reset(A);
        cck_problems_init(&pr, A);
        const cck_tzdef *t = cck_tzdef_parse(b.b, n, A, &pr);
        if (!t || t->complete || !cck_problems_find(&pr, "tzdef.truncated")) {
            if (!missing++)
                printf("#   no tzdef.truncated at %zu\n", n);
        }
    }
    CHECK_EQ_INT(missing, 0);
}

static void test_emit(void)
{
    blob b;
    toffs o;
    build_tzdef(&b, &o, "");
    cck_problems pr;
    const cck_tzdef *t = pdef(&b, &pr);
    char *json = NULL, *text = NULL;
    EMIT_TO_STRING(json, CCK_EMIT_JSON, cck_tzdef_emit(t, &pr, e, NULL));
    EMIT_TO_STRING(text, CCK_EMIT_TEXT, cck_tzdef_emit(t, &pr, e, NULL));
    CHECK(json && strstr(json, "\"cchKeyName\": 0"));
    CHECK(json && strstr(json, "\"TZRuleFlags\": 3"));
    CHECK(json && strstr(json, "\"wMonth\": 10"));
    CHECK(json && strstr(json, "\"lBias\": -60"));
    CHECK(json && strstr(json, "\"code\": \"tzdef.empty_keyname\""));
    CHECK(text && strstr(text, "TZRuleFlags: 0x0003 (TZRULE_FLAG_EFFECTIVE_TZREG|"
                               "TZRULE_FLAG_RECUR_CURRENT_TZREG)"));
    CHECK(text && strstr(text, "DaylightTransition: \"last Sunday of March 02:00\""));
    free(json);
    free(text);

    blob g;
    build_tzreg(&g);
    cck_problems_init(&pr, A);
    const cck_tzreg *reg = cck_tzreg_parse(g.b, g.n, A, &pr);
    EMIT_TO_STRING(json, CCK_EMIT_JSON, cck_tzreg_emit(reg, &pr, e, NULL));
    CHECK(json && strstr(json, "\"lDaylightBias\": -60"));
    CHECK(json && strstr(json, "\"stStandardDate\": {"));
    CHECK(json && strstr(json, "\"wMilliseconds\": 0"));
    CHECK(json && strstr(json, "\"problems\": []"));
    free(json);
}

int main(void)
{
    A = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    RUN(test_tzreg);
    RUN(test_tzdef_valid);
    RUN(test_tzdef_empty_keyname);
    RUN(test_tzdef_problems);
    RUN(test_tzdef_truncation);
    RUN(test_emit);
    cck_arena_free(A);
    return unit_done();
}
