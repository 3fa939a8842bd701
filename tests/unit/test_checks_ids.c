/* test_checks_ids.c - meeting ids, duplicates and calendar limits (ids.c):
 * CalCheck 0043-0049, 0060/0061, the id structure checks 0160-0163 and the
 * calendar size check 0300; each triggered, with near misses; the duplicate
 * index copies what it keeps and stays linear on a large calendar. */
#include <stdio.h>
#include <stdlib.h>

#include "checks_fx.h"
#include "mapi/goid.h"

void cck_chk_goid_missing(const cck_item *it, cck_ctx *ctx);
void cck_chk_goid_dups(const cck_item *it, cck_ctx *ctx);
void cck_chk_duplicates(const cck_item *it, cck_ctx *ctx);
void cck_chk_goid_format(const cck_item *it, cck_ctx *ctx);
void cck_cal_recur_limit(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);
void cck_cal_item_count(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);

/* A 56-byte id: class id, instance date, creation time, X, Size 16, Data. */
static void make_id(uint8_t *b, unsigned serial, int year, int month, int day)
{
    memset(b, 0, 56);
    memcpy(b, CCK_GOID_CLASS_ID, 16);
    b[16] = (uint8_t)(year >> 8);
    b[17] = (uint8_t)year;
    b[18] = (uint8_t)month;
    b[19] = (uint8_t)day;
    b[20] = 0x50;
    b[27] = 0x01;
    b[36] = 16;
    for (int i = 0; i < 4; i++)
        b[40 + i] = (uint8_t)(serial >> (8 * i));
    memcpy(b + 44, "calcheck-id", 11);
}

static void set_id(cck_fgoid *g, const uint8_t *b, size_t n)
{
    memset(g, 0, sizeof *g);
    g->raw.has = CCK_PRESENT;
    g->raw.p = b;
    g->raw.n = n;
    cck_problems_init(&g->problems, fx_blobs);
    g->v = cck_goid_parse(b, n, fx_blobs, &g->problems);
}

static void test_0043_0045_missing(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    fx_run(cck_chk_goid_missing, &it);
    CHECK_EQ_INT(fx_count(44), 1);
    uint8_t id[56];
    make_id(id, 1, 0, 0, 0);
    set_id(&it.goid, id, 56);
    fx_run(cck_chk_goid_missing, &it);
    CHECK_EQ_INT(fx_count(43), 1);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 1);
    memset(&it.goid, 0, sizeof it.goid);
    set_id(&it.clean_goid, id, 56);
    fx_run(cck_chk_goid_missing, &it);
    CHECK_EQ_INT(fx_count(45), 1);
    CHECK_EQ_INT(fx_find(45) ? (int)fx_find(45)->sev : -1, CCK_SEV_WARNING);
    /* Near misses: a copied item; not a meeting. */
    memset(&it.clean_goid, 0, sizeof it.clean_goid);
    it.aux_flags = fx_i(CCK_AUX_COPIED);
    fx_run(cck_chk_goid_missing, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    it.aux_flags = fx_i(0);
    it.state_flags = fx_i(0);
    fx_run(cck_chk_goid_missing, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
}

static void test_0046_0048_pairs(void)
{
    fx_setup();
    uint8_t a[56], b[56], c[56], ex[56];
    make_id(a, 1, 0, 0, 0);
    make_id(b, 2, 0, 0, 0);
    make_id(c, 3, 0, 0, 0);
    make_id(ex, 1, 2026, 12, 10); /* an exception of series a */

    cck_item m1;
    fx_meeting(&m1, NULL, 0);
    m1.index = 0;
    m1.source = "/cal/first.msg";
    {
        /* The first item's strings live in a buffer that is wiped after
         * it was checked: the index must have copied them. */
        char subj[32] = "Budget review", src[32] = "/cal/first.msg";
        m1.subject = fx_s(subj);
        m1.source = src;
        set_id(&m1.goid, a, 56);
        set_id(&m1.clean_goid, a, 56);
        fx_run(cck_chk_goid_dups, &m1);
        CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
        memset(subj, 'X', sizeof subj - 1);
        memset(src, 'Y', sizeof src - 1);
    }

    /* The same ids again: 0048, naming the first item. */
    cck_item m2;
    fx_meeting(&m2, NULL, 0);
    m2.index = 1;
    m2.subject = fx_s("Budget review (copy)");
    set_id(&m2.goid, a, 56);
    set_id(&m2.clean_goid, a, 56);
    fx_run(cck_chk_goid_dups, &m2);
    CHECK_EQ_INT(fx_count(48), 1);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 1);
    const cck_finding *f = fx_find(48);
    CHECK(f && f->has_other);
    CHECK_EQ_STR(f ? f->other.subject : NULL, "Budget review");
    CHECK_EQ_STR(f ? f->other.where : NULL, "/cal/first.msg");
    CHECK(f && f->other.start == fx_ft(2026, 12, 3, 9, 0));
    CHECK(fx_has(48, "040000008200E00074C5B7101A82E008"));

    /* GlobalObjectId only: 0046. */
    cck_item m3;
    fx_meeting(&m3, NULL, 0);
    m3.index = 2;
    set_id(&m3.goid, a, 56);
    set_id(&m3.clean_goid, c, 56);
    fx_run(cck_chk_goid_dups, &m3);
    CHECK_EQ_INT(fx_count(46), 1);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 1);

    /* CleanGlobalObjectId only: 0047. */
    cck_item m4;
    fx_meeting(&m4, NULL, 0);
    m4.index = 3;
    set_id(&m4.goid, b, 56);
    set_id(&m4.clean_goid, a, 56);
    fx_run(cck_chk_goid_dups, &m4);
    CHECK_EQ_INT(fx_count(47), 1);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 1);

    /* A stand-alone exception shares series a's clean id: exempt. */
    cck_item e1;
    fx_meeting(&e1, NULL, 0);
    e1.index = 4;
    set_id(&e1.goid, ex, 56);
    set_id(&e1.clean_goid, a, 56);
    fx_run(cck_chk_goid_dups, &e1);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    /* ... but the same exception twice has the same GlobalObjectId. */
    e1.index = 5;
    fx_run(cck_chk_goid_dups, &e1);
    CHECK_EQ_INT(fx_count(46), 1);

    /* Near miss: ids that differ in one byte. */
    cck_item m5;
    fx_meeting(&m5, NULL, 0);
    m5.index = 6;
    uint8_t d[56];
    make_id(d, 1, 0, 0, 0);
    d[55] ^= 1;
    set_id(&m5.goid, d, 56);
    set_id(&m5.clean_goid, d, 56);
    fx_run(cck_chk_goid_dups, &m5);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);

    /* Without an index (other tests' contexts), the check is a no-op. */
    cck_ctx *bare = cck_ctx_new(&fx_cfg, &fx_cal, NULL);
    cck_ctx_begin(bare, &m2, fx_arena);
    cck_chk_goid_dups(&m2, bare);
    cck_chk_duplicates(&m2, bare);
    CHECK_EQ_INT(cck_ctx_nfindings(bare), 0);
    cck_ctx_free(bare);
}

static void test_0049_duplicates(void)
{
    fx_setup();
    cck_item a, b;
    fx_meeting(&a, NULL, 0);
    a.index = 0;
    a.source = "/cal/a.msg";
    fx_run(cck_chk_duplicates, &a);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);

    fx_meeting(&b, NULL, 0);
    b.index = 1;
    b.source = "/cal/b.msg";
    b.sent_rep_smtp = fx_s("ADA@example.org"); /* addresses fold case */
    fx_run(cck_chk_duplicates, &b);
    CHECK_EQ_INT(fx_count(49), 1);
    const cck_finding *f = fx_find(49);
    CHECK_EQ_STR(f ? f->other.where : NULL, "/cal/a.msg");
    CHECK(fx_has(49, "\"Budget review\" starting 2026-12-03 09:00:00 UTC"));

    /* A third copy also names the oldest. */
    b.index = 2;
    b.source = "/cal/c.msg";
    fx_run(cck_chk_duplicates, &b);
    f = fx_find(49);
    CHECK_EQ_STR(f ? f->other.where : NULL, "/cal/a.msg");

    /* Near misses: each field of the key matters. */
    cck_item c;
    fx_meeting(&c, NULL, 0);
    c.index = 3;
    c.end.ft += 1;
    fx_run(cck_chk_duplicates, &c);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_meeting(&c, NULL, 0);
    c.index = 4;
    c.subject = fx_s("budget review"); /* subjects keep their case */
    fx_run(cck_chk_duplicates, &c);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_meeting(&c, NULL, 0);
    c.index = 5;
    c.location = fx_s("Room 4.13");
    fx_run(cck_chk_duplicates, &c);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_meeting(&c, NULL, 0);
    c.index = 6;
    c.recurring.v = true;
    fx_run(cck_chk_duplicates, &c);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_meeting(&c, NULL, 0);
    c.index = 7;
    c.sent_rep_smtp = fx_s("grace@example.org");
    fx_run(cck_chk_duplicates, &c);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
}

static void test_index_linear_large(void)
{
    /* 200,000 items, each with its own ids and subject, every 1,000th a
     * copy of the one before: exactly 200 findings per check. */
    fx_setup();
    enum { N = 200000 };
    size_t n46 = 0, n48 = 0, n49 = 0;
    uint8_t id[56];
    char subj[40];
    for (unsigned i = 0; i < N; i++) {
        unsigned serial = i % 1000 == 999 ? i - 1 : i;
        make_id(id, serial, 0, 0, 0);
        cck_item it;
        fx_meeting(&it, NULL, 0);
        it.index = i;
        snprintf(subj, sizeof subj, "Item %u", serial);
        it.subject = fx_s(subj);
        it.goid.raw.has = it.clean_goid.raw.has = CCK_PRESENT;
        it.goid.raw.p = it.clean_goid.raw.p = id;
        it.goid.raw.n = it.clean_goid.raw.n = 56;
        fx_begin(&it);
        cck_chk_goid_dups(&it, fx_ctx);
        cck_chk_duplicates(&it, fx_ctx);
        n46 += fx_count(46);
        n48 += fx_count(48);
        n49 += fx_count(49);
    }
    CHECK_EQ_INT(n46, 0);
    CHECK_EQ_INT(n48, N / 1000);
    CHECK_EQ_INT(n49, N / 1000);
}

static void test_0160_0163_format(void)
{
    fx_setup();
    cck_item it;
    fx_meeting(&it, NULL, 0);
    uint8_t a[56], c[56];
    make_id(a, 7, 0, 0, 0);
    memcpy(c, a, 56);
    set_id(&it.goid, a, 56);
    set_id(&it.clean_goid, c, 56);
    fx_run(cck_chk_goid_format, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);

    /* A wrong class id in the GlobalObjectId; Size too small in the clean one. */
    uint8_t bad[56], small[56];
    memcpy(bad, a, 56);
    bad[3] = 0x99;
    memcpy(small, a, 56);
    small[36] = 10;
    set_id(&it.goid, bad, 56);
    set_id(&it.clean_goid, small, 56);
    fx_run(cck_chk_goid_format, &it);
    CHECK_EQ_INT(fx_count(160), 1);
    CHECK(fx_has(160, "Byte Array ID"));
    CHECK_EQ_INT(fx_count(161), 1);
    CHECK(fx_has(161, "Size 10"));
    CHECK_EQ_INT(fx_count(163), 1); /* and they no longer match */

    /* An exception's id and its clean id: related, no finding. */
    uint8_t ex[56];
    make_id(ex, 7, 2026, 12, 10);
    set_id(&it.goid, ex, 56);
    set_id(&it.clean_goid, a, 56);
    fx_run(cck_chk_goid_format, &it);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);

    /* 0163: the clean id keeps the instance date; or its Data differs. */
    set_id(&it.goid, ex, 56);
    set_id(&it.clean_goid, ex, 56);
    fx_run(cck_chk_goid_format, &it);
    CHECK_EQ_INT(fx_count(163), 1);
    CHECK(fx_has(163, "instance date 2026-12-10"));
    uint8_t other[56];
    make_id(other, 8, 0, 0, 0);
    set_id(&it.goid, a, 56);
    set_id(&it.clean_goid, other, 56);
    fx_run(cck_chk_goid_format, &it);
    CHECK_EQ_INT(fx_count(163), 1);
    CHECK(fx_has(163, "at byte 40"));

    /* 0162: an instance date that is no date. */
    uint8_t odd[56];
    make_id(odd, 7, 2026, 13, 40);
    set_id(&it.goid, odd, 56);
    set_id(&it.clean_goid, a, 56);
    fx_run(cck_chk_goid_format, &it);
    CHECK_EQ_INT(fx_count(162), 1);
    CHECK_EQ_INT(fx_count(160), 0);
    CHECK_EQ_INT(fx_count(163), 0);

    /* Present but empty; not binary. */
    set_id(&it.goid, a, 0);
    it.clean_goid.raw.has = CCK_BADTYPE;
    it.clean_goid.raw.n = 0;
    fx_run(cck_chk_goid_format, &it);
    CHECK(fx_has(160, "present but empty"));
    CHECK(fx_has(161, "non-binary"));
}

static void test_calendar_limits(void)
{
    fx_setup();
    cck_totals t;
    memset(&t, 0, sizeof t);
    t.recurring_series = 1249;
    t.items = 100000;
    fx_begin(NULL);
    cck_cal_recur_limit(&t, &fx_cal, fx_ctx);
    cck_cal_item_count(&t, &fx_cal, fx_ctx);
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    t.recurring_series = 1250;
    fx_begin(NULL);
    cck_cal_recur_limit(&t, &fx_cal, fx_ctx);
    CHECK_EQ_INT(fx_count(60), 1);
    t.recurring_series = 1299;
    fx_begin(NULL);
    cck_cal_recur_limit(&t, &fx_cal, fx_ctx);
    CHECK_EQ_INT(fx_count(60), 1);
    t.recurring_series = 1412; /* a threshold, not an exact hit */
    fx_begin(NULL);
    cck_cal_recur_limit(&t, &fx_cal, fx_ctx);
    CHECK_EQ_INT(fx_count(61), 1);
    CHECK_EQ_INT(fx_count(60), 0);
    CHECK(fx_has(61, "1412 recurring series"));
    t.items = 100001;
    fx_begin(NULL);
    cck_ctx_run_calendar(fx_ctx, &t);
    CHECK_EQ_INT(fx_count(300), 1);
    CHECK_EQ_INT(fx_count(61), 1);
}

int main(void)
{
    RUN(test_0043_0045_missing);
    RUN(test_0046_0048_pairs);
    RUN(test_0049_duplicates);
    RUN(test_index_linear_large);
    RUN(test_0160_0163_format);
    RUN(test_calendar_limits);
    fx_teardown();
    return unit_done();
}
