/* test_pst.c - unit tests of the PST/OST source (sources/pst.c) that need no
 * PST file: [MS-PST] 2.3.3.4 value decoding (fixed, strings, multi-valued
 * with offset tables, damage), entry-id matching for PST and OST folder
 * entry ids, and refusal of files that are not PST/OST. The corpus suite
 * (tests/corpus/pst_counts.py) covers real files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources/pst.h"
#include "unit.h"

static cck_prop decode(cck_arena *a, uint16_t type, const void *b, size_t n, unsigned cp,
                       cck_problems *pr)
{
    cck_prop p;
    memset(&p, 0, sizeof p);
    p.id = 0x1234;
    uint8_t *copy = cck_arena_alloc(a, n);
    memcpy(copy, b, n);
    CHECK_EQ_INT(cck_pst_decode_value(a, type, copy, n, cp, &p, pr), 0);
    return p;
}

static void test_fixed(void)
{
    cck_arena *a = cck_arena_new(1 << 20);
    cck_problems pr;
    cck_problems_init(&pr, a);
    static const uint8_t l[] = {0xFE, 0xFF, 0xFF, 0xFF};
    CHECK_EQ_INT(decode(a, CCK_PT_LONG, l, 4, 0, &pr).v.i, -2);
    static const uint8_t b1[] = {1};
    CHECK_EQ_INT(decode(a, CCK_PT_BOOLEAN, b1, 1, 0, &pr).v.i, 1);
    static const uint8_t ft[] = {1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(decode(a, CCK_PT_SYSTIME, ft, 8, 0, &pr).v.ft == 0x0807060504030201ull);
    CHECK_EQ_INT(pr.n, 0);
    /* Too short: a problem, the missing bytes read as zero, no overread. */
    cck_prop p = decode(a, CCK_PT_I8, l, 4, 0, &pr);
    CHECK_EQ_INT(p.v.i, 0xFFFFFFFEll);
    CHECK(cck_problems_find(&pr, "pst.value_size") != NULL);
    cck_arena_free(a);
}

static void test_strings(void)
{
    cck_arena *a = cck_arena_new(1 << 20);
    cck_problems pr;
    cck_problems_init(&pr, a);
    static const uint8_t u[] = {'H', 0, 'i', 0, 0, 0};
    cck_prop p = decode(a, CCK_PT_UNICODE, u, sizeof u, 0, &pr);
    CHECK_EQ_STR(p.str.s, "Hi");
    CHECK_EQ_INT(p.binlen, 6);
    static const uint8_t s8[] = {'c', 'a', 'f', 0xE9};
    p = decode(a, CCK_PT_STRING8, s8, sizeof s8, 1252, &pr);
    CHECK_EQ_STR(p.str.s, "caf\xC3\xA9");
    CHECK_EQ_INT(pr.n, 0);
    static const uint8_t odd[] = {'H', 0, 'i'};
    p = decode(a, CCK_PT_UNICODE, odd, sizeof odd, 0, &pr);
    CHECK(cck_problems_find(&pr, "pst.bad_text") != NULL);
    cck_arena_free(a);
}

static void test_multi(void)
{
    cck_arena *a = cck_arena_new(1 << 20);
    cck_problems pr;
    cck_problems_init(&pr, a);
    /* PT_MV_UNICODE: count 2, offsets 12 and 16, "ab" "c". */
    static const uint8_t mu[] = {2, 0, 0, 0, 12, 0, 0, 0, 16, 0, 0, 0, 'a', 0, 'b', 0, 'c', 0};
    cck_prop p = decode(a, CCK_PT_MV | CCK_PT_UNICODE, mu, sizeof mu, 0, &pr);
    CHECK_EQ_INT(p.count, 2);
    if (p.count == 2) {
        CHECK_EQ_STR(p.mv[0].str.s, "ab");
        CHECK_EQ_STR(p.mv[1].str.s, "c");
        CHECK_EQ_INT(p.mv[1].id, 0x1234);
    }
    static const uint8_t ml[] = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0};
    p = decode(a, CCK_PT_MV | CCK_PT_LONG, ml, sizeof ml, 0, &pr);
    CHECK_EQ_INT(p.count, 3);
    if (p.count == 3)
        CHECK_EQ_INT(p.mv[2].v.i, 3);
    CHECK_EQ_INT(pr.n, 0);
    /* An offset past the value: a problem, an empty element, no overread. */
    static const uint8_t bad[] = {2, 0, 0, 0, 12, 0, 0, 0, 200, 0, 0, 0, 1, 2};
    p = decode(a, CCK_PT_MV | CCK_PT_BINARY, bad, sizeof bad, 0, &pr);
    CHECK_EQ_INT(p.count, 2);
    CHECK(cck_problems_find(&pr, "pst.mv_offset") != NULL);
    /* A count larger than the value can hold is cut to what fits. */
    cck_problems_init(&pr, a);
    static const uint8_t huge[] = {0xFF, 0xFF, 0xFF, 0x7F, 8, 0, 0, 0};
    p = decode(a, CCK_PT_MV | CCK_PT_BINARY, huge, sizeof huge, 0, &pr);
    CHECK(p.count <= 1);
    CHECK(cck_problems_find(&pr, "pst.mv_size") != NULL);
    /* Empty multi-valued property. */
    p = decode(a, CCK_PT_MV | CCK_PT_UNICODE, "", 0, 0, &pr);
    CHECK_EQ_INT(p.count, 0);
    cck_arena_free(a);
}

static void test_entryid(void)
{
    uint8_t pst[24] = {0};
    pst[20] = 0x22;
    pst[21] = 0x81;
    CHECK(cck_pst_entryid_names(pst, 24, 0x8122, NULL, 0));
    CHECK(!cck_pst_entryid_names(pst, 24, 0x8142, NULL, 0));
    uint8_t ost[46] = {0};
    for (int i = 0; i < 16; i++)
        ost[22 + i] = (uint8_t)(0xA0 + i);
    ost[43] = 0x0D;
    ost[42] = 0x01;
    uint8_t ltid[8] = {1, 0, 0, 0, 0, 0, 0x01, 0x0D};
    CHECK(cck_pst_entryid_names(ost, 46, 99, ltid, 8));
    ltid[7] = 0x0E;
    CHECK(!cck_pst_entryid_names(ost, 46, 99, ltid, 8));
    uint8_t sk[22];
    memcpy(sk, ost + 22, 22);
    CHECK(cck_pst_entryid_names(ost, 46, 99, sk, 22));
    sk[0] ^= 1;
    CHECK(!cck_pst_entryid_names(ost, 46, 99, sk, 22));
    CHECK(!cck_pst_entryid_names(ost, 46, 99, NULL, 0));
    CHECK(!cck_pst_entryid_names(NULL, 0, 0, NULL, 0));
}

static void test_not_pst(void)
{
    const char *why = NULL;
    CHECK(cck_pst_open("/nonexistent/x.pst", &why) == NULL);
    CHECK(why && strstr(why, "cannot open") != NULL);
    char path[] = "/tmp/cck_test_pst_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        static const char junk[600] = "this is not a personal folders file";
        CHECK(write(fd, junk, sizeof junk) == (ssize_t)sizeof junk);
        close(fd);
        why = NULL;
        CHECK(cck_pst_open(path, &why) == NULL);
        CHECK(why && strstr(why, "not a PST") != NULL);
        unlink(path);
    }
    static const uint8_t mem[600] = "!BDN but nothing else";
    why = NULL;
    CHECK(cck_pst_open_mem(mem, sizeof mem, &why) == NULL);
    CHECK(why != NULL);
    why = NULL;
    CHECK(cck_pst_open_mem(mem, 0, &why) == NULL);
    CHECK(why != NULL);
    cck_pst_close(NULL);
}

int main(void)
{
    RUN(test_fixed);
    RUN(test_strings);
    RUN(test_multi);
    RUN(test_entryid);
    RUN(test_not_pst);
    return unit_done();
}
