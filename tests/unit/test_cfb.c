/* test_cfb.c - the compound file reader on images built here in memory:
 * regular and mini streams read back byte-exact, name lookup, v4 headers,
 * and damage (FAT and DIFAT cycles, out-of-range sectors, truncation, a
 * cyclic directory, a bad signature) turning into problems, never hangs. */
#include <stdlib.h>

#include "msg/cfb.h"
#include "unit.h"

#include "cfbimage.h" /* the in-memory compound file writer */

/* ---- tests ---- */

static uint8_t big[5000], small[100];

static void fill(void)
{
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 3);
    for (size_t i = 0; i < sizeof small; i++)
        small[i] = (uint8_t)(255 - i);
}

/* Root { Big (5000 bytes, FAT), Store { small (100 bytes, mini) }, Empty (0) } */
static int sample(tent *e)
{
    fill();
    tent t[] = {{"Root Entry", CCK_CFB_ROOT, -1, NULL, 0, 0},
                {"Big", CCK_CFB_STREAM, 0, big, sizeof big, 0},
                {"Store", CCK_CFB_STORAGE, 0, NULL, 0, 0},
                {"small", CCK_CFB_STREAM, 2, small, sizeof small, 0},
                {"Empty", CCK_CFB_STREAM, 0, NULL, 0, 0}};
    memcpy(e, t, sizeof t);
    return 5;
}

typedef struct opened {
    cck_arena *a;
    cck_problems pr;
    cck_cfb *c;
    cck_cfb_status st;
    const char *why;
} opened;

static void open_img(opened *o, const img *im, size_t len)
{
    o->a = cck_arena_new((size_t)64 << 20);
    cck_problems_init(&o->pr, o->a);
    o->why = NULL;
    o->st = cck_cfb_open(im->buf, len, o->a, &o->pr, &o->c, &o->why);
}

static const uint8_t *read_named(opened *o, uint32_t dir, const char *name, size_t *len)
{
    const uint8_t *d = NULL;
    *len = 0;
    uint32_t id = cck_cfb_find(o->c, dir, name);
    if (id == CCK_CFB_NONE || cck_cfb_read(o->c, id, &d, len, NULL) != 0)
        return NULL;
    return d;
}

static void check_sample(unsigned shift)
{
    tent e[8];
    int n = sample(e);
    img im = build(e, n, shift);
    opened o;
    open_img(&o, &im, im.len);
    CHECK_EQ_INT(o.st, CCK_CFB_OK);
    if (o.st != CCK_CFB_OK)
        return;
    CHECK_EQ_INT(cck_cfb_version(o.c), shift == 9 ? 3 : 4);
    CHECK_EQ_INT(cck_cfb_sector_size(o.c), 1u << shift);
    CHECK_EQ_INT(o.pr.n, 0);
    const cck_cfb_entry *root = cck_cfb_entry_at(o.c, 0);
    CHECK_EQ_INT(root->nkids, 3);
    /* Children come sorted, case-insensitively. */
    CHECK_EQ_STR(cck_cfb_entry_at(o.c, root->kids[0])->name, "Big");
    CHECK_EQ_STR(cck_cfb_entry_at(o.c, root->kids[1])->name, "Empty");
    CHECK_EQ_STR(cck_cfb_entry_at(o.c, root->kids[2])->name, "Store");
    size_t len;
    const uint8_t *d = read_named(&o, 0, "BIG", &len);
    CHECK(d != NULL);
    CHECK_EQ_INT(len, sizeof big);
    CHECK(d && memcmp(d, big, sizeof big) == 0);
    uint32_t store = cck_cfb_find(o.c, 0, "store");
    CHECK(store != CCK_CFB_NONE);
    CHECK_EQ_INT(cck_cfb_entry_at(o.c, store)->type, CCK_CFB_STORAGE);
    d = read_named(&o, store, "Small", &len);
    CHECK(d != NULL);
    CHECK_EQ_INT(len, sizeof small);
    CHECK(d && memcmp(d, small, sizeof small) == 0);
    d = read_named(&o, 0, "Empty", &len);
    CHECK(d != NULL);
    CHECK_EQ_INT(len, 0);
    CHECK(cck_cfb_find(o.c, 0, "small") == CCK_CFB_NONE); /* not a child of the root */
    CHECK(cck_cfb_find(o.c, 0, "Bi") == CCK_CFB_NONE);
    /* A storage cannot be read as a stream. */
    const uint8_t *x;
    CHECK_EQ_INT(cck_cfb_read(o.c, store, &x, &len, NULL), -1);
    CHECK(cck_problems_find(&o.pr, "cfb.not_stream") != NULL);
    cck_arena_free(o.a);
    free(im.buf);
}

static void test_v3_read_back(void)
{
    check_sample(9);
}

static void test_v4_read_back(void)
{
    check_sample(12);
}

static void test_fat_cycle(void)
{
    tent e[8];
    int n = sample(e);
    img im = build(e, n, 9);
    /* Big's second sector links back to its first. */
    uint32_t s0 = e[1].start;
    put32(im.buf + 512 + 4 * (s0 + 1), s0);
    opened o;
    open_img(&o, &im, im.len);
    CHECK_EQ_INT(o.st, CCK_CFB_OK);
    size_t len = 99;
    const uint8_t *d = read_named(&o, 0, "Big", &len);
    CHECK(d != NULL);
    CHECK_EQ_INT(len, 1024); /* the two sectors before the loop */
    CHECK(d && memcmp(d, big, 1024) == 0);
    const cck_problem *p = cck_problems_find(&o.pr, "cfb.chain_cycle");
    CHECK(p != NULL);
    CHECK(p && strstr(p->text, "Big") != NULL);
    cck_arena_free(o.a);
    free(im.buf);
}

static void test_mini_cycle(void)
{
    tent e[8];
    int n = sample(e);
    img im = build(e, n, 9);
    /* small (2 mini sectors) loops onto its first sector. */
    put32(im.buf + im.minifat_off + 4 * e[3].start, e[3].start);
    opened o;
    open_img(&o, &im, im.len);
    size_t len;
    uint32_t store = cck_cfb_find(o.c, 0, "Store");
    const uint8_t *d = read_named(&o, store, "small", &len);
    CHECK(d != NULL);
    CHECK_EQ_INT(len, 64);
    CHECK(d && memcmp(d, small, 64) == 0);
    CHECK(cck_problems_find(&o.pr, "cfb.chain_cycle") != NULL);
    cck_arena_free(o.a);
    free(im.buf);
}

static void test_sector_out_of_range(void)
{
    tent e[8];
    int n = sample(e);
    img im = build(e, n, 9);
    /* Big starts at a sector far past the end of the file. */
    put32(im.buf + im.dir_off + 128 + 116, 100);
    opened o;
    open_img(&o, &im, im.len);
    CHECK_EQ_INT(o.st, CCK_CFB_OK);
    size_t len = 99;
    const uint8_t *d = read_named(&o, 0, "Big", &len);
    CHECK(d != NULL);
    CHECK_EQ_INT(len, 0);
    CHECK(cck_problems_find(&o.pr, "cfb.chain_range") != NULL ||
          cck_problems_find(&o.pr, "cfb.stream_size") != NULL);
    cck_arena_free(o.a);

    /* A FAT link to a special value in the middle of a chain. */
    img im2 = build(e, n, 9);
    put32(im2.buf + 512 + 4 * (e[1].start + 2), 0xFFFFFFFBu);
    open_img(&o, &im2, im2.len);
    d = read_named(&o, 0, "Big", &len);
    CHECK_EQ_INT(len, 1536);
    CHECK(cck_problems_find(&o.pr, "cfb.chain_range") != NULL);
    cck_arena_free(o.a);
    free(im.buf);
    free(im2.buf);
}

static void test_truncated(void)
{
    tent e[8];
    int n = sample(e);
    img im = build(e, n, 9);
    /* Big is the last thing in the file: cut 100 bytes off its last sector. */
    opened o;
    open_img(&o, &im, im.len - 100);
    CHECK_EQ_INT(o.st, CCK_CFB_OK);
    size_t len;
    const uint8_t *d = read_named(&o, 0, "Big", &len);
    CHECK(d != NULL);
    CHECK_EQ_INT(len, sizeof big);
    /* The last sector holds 5000 - 9*512 = 392 bytes; 412 survive, so all of Big does. */
    CHECK(d && memcmp(d, big, sizeof big) == 0);
    CHECK(cck_problems_find(&o.pr, "cfb.truncated") != NULL);
    cck_arena_free(o.a);

    /* Cut into Big's data: the missing bytes read as zero, with a problem. */
    open_img(&o, &im, im.len - 300);
    d = read_named(&o, 0, "Big", &len);
    CHECK(d != NULL);
    CHECK_EQ_INT(len, sizeof big);
    size_t have = sizeof big - 180; /* 392 - (300 - 120) bytes of the last sector remain */
    CHECK(d && memcmp(d, big, have) == 0);
    CHECK(d && d[have] == 0 && d[sizeof big - 1] == 0);
    const cck_problem *p = cck_problems_find(&o.pr, "cfb.truncated");
    CHECK(p != NULL);
    cck_arena_free(o.a);

    /* Cut whole sectors: the chain leaves the file. */
    open_img(&o, &im, im.len - 1024);
    d = read_named(&o, 0, "Big", &len);
    CHECK(len < sizeof big);
    CHECK(cck_problems_find(&o.pr, "cfb.chain_range") != NULL ||
          cck_problems_find(&o.pr, "cfb.stream_size") != NULL);
    cck_arena_free(o.a);
    free(im.buf);
}

static void test_bad_signature(void)
{
    tent e[8];
    int n = sample(e);
    img im = build(e, n, 9);
    im.buf[0] = 0x50;
    opened o;
    open_img(&o, &im, im.len);
    CHECK_EQ_INT(o.st, CCK_CFB_NOT_CFB);
    CHECK(o.c == NULL);
    CHECK(o.why && strstr(o.why, "signature") != NULL);
    cck_arena_free(o.a);
    im.buf[0] = 0xD0;
    open_img(&o, &im, 100);
    CHECK_EQ_INT(o.st, CCK_CFB_NOT_CFB);
    cck_arena_free(o.a);
    /* An impossible sector shift with an unknown version is unusable. */
    put16(im.buf + 26, 7);
    put16(im.buf + 30, 20);
    open_img(&o, &im, im.len);
    CHECK_EQ_INT(o.st, CCK_CFB_NOT_CFB);
    cck_arena_free(o.a);
    free(im.buf);
}

static void test_directory_cycle(void)
{
    tent e[8];
    int n = sample(e);
    img im = build(e, n, 9);
    /* "small" (entry 3) gets the root's first child as its right sibling, and
     * "Store" (entry 2) names itself as its own left sibling. */
    uint8_t *root = im.buf + im.dir_off;
    memcpy(im.buf + im.dir_off + 3 * 128 + 72, root + 76, 4);
    put32(im.buf + im.dir_off + 2 * 128 + 68, 2);
    opened o;
    open_img(&o, &im, im.len);
    CHECK_EQ_INT(o.st, CCK_CFB_OK);
    CHECK(cck_problems_find(&o.pr, "cfb.tree_cycle") != NULL);
    /* Every entry is listed once at most. */
    size_t total = 0;
    for (uint32_t i = 0; i < cck_cfb_nentries(o.c); i++)
        total += cck_cfb_entry_at(o.c, i)->nkids;
    CHECK(total <= 4);
    cck_arena_free(o.a);

    /* A link past the last entry. */
    img im2 = build(e, n, 9);
    put32(im2.buf + im2.dir_off + 128 + 68, 5000);
    open_img(&o, &im2, im2.len);
    CHECK(cck_problems_find(&o.pr, "cfb.dir") != NULL);
    CHECK_EQ_INT(cck_cfb_entry_at(o.c, 0)->nkids, 3);
    cck_arena_free(o.a);
    free(im.buf);
    free(im2.buf);
}

static void test_difat(void)
{
    /* 110 FAT sectors: 109 in the header, one in a DIFAT sector. All but the
     * first are one sector of free entries (the reader only needs them to be
     * inside the file); padding makes the file long enough to hold them. */
    tent e[8];
    int n = sample(e);
    img im = build(e, n, 9);
    size_t len = im.len + 300 * 512;
    uint8_t *buf = calloc(1, len);
    memcpy(buf, im.buf, im.len);
    uint32_t junk = (uint32_t)(im.len / 512 - 1), difat = junk + 1;
    memset(buf + 512 * ((size_t)junk + 1), 0xFF, 512);
    put32(buf + 44, 110);
    put32(buf + 68, difat);
    put32(buf + 72, 1);
    for (int i = 1; i < 109; i++)
        put32(buf + 76 + 4 * i, junk);
    uint8_t *ds = buf + 512 * ((size_t)difat + 1);
    memset(ds, 0xFF, 512);
    put32(ds, junk);
    put32(ds + 508, ENDOFCHAIN);
    img im2 = {buf, len, 512, im.dir_off, im.minifat_off};
    opened o;
    open_img(&o, &im2, len);
    CHECK_EQ_INT(o.st, CCK_CFB_OK);
    CHECK_EQ_INT(o.pr.n, 0);
    size_t sl;
    const uint8_t *d = read_named(&o, 0, "Big", &sl);
    CHECK(d && sl == sizeof big && memcmp(d, big, sl) == 0);
    cck_arena_free(o.a);

    /* 250 FAT sectors need two DIFAT sectors (109 + 127 + 14); the first
     * links to itself instead. */
    put32(buf + 44, 250);
    for (int i = 0; i < 127; i++)
        put32(ds + 4 * i, junk);
    put32(ds + 508, difat);
    open_img(&o, &im2, len);
    CHECK_EQ_INT(o.st, CCK_CFB_OK);
    const cck_problem *p = cck_problems_find(&o.pr, "cfb.difat");
    CHECK(p != NULL);
    CHECK(p && strstr(p->text, "loops") != NULL);
    d = read_named(&o, 0, "Big", &sl);
    CHECK(d && sl == sizeof big && memcmp(d, big, sl) == 0);
    cck_arena_free(o.a);
    free(buf);
    free(im.buf);
}

static void test_hostile_sizes(void)
{
    tent e[8];
    int n = sample(e);
    img im = build(e, n, 9);
    /* Big claims 3 GB (v3 keeps only the low 32 bits: 0xC0000000). */
    put32(im.buf + im.dir_off + 128 + 120, 0xC0000000u);
    put32(im.buf + im.dir_off + 128 + 124, 0x7FFFFFFFu);
    opened o;
    open_img(&o, &im, im.len);
    const cck_cfb_entry *big_e = cck_cfb_entry_at(o.c, 1);
    CHECK_EQ_INT(big_e->size, 0xC0000000u);
    size_t len;
    const uint8_t *d = read_named(&o, 0, "Big", &len);
    CHECK(d != NULL);
    CHECK(len <= im.len);
    CHECK(cck_problems_find(&o.pr, "cfb.stream_size") != NULL);
    cck_arena_free(o.a);
    free(im.buf);
}

int main(void)
{
    RUN(test_v3_read_back);
    RUN(test_v4_read_back);
    RUN(test_fat_cycle);
    RUN(test_mini_cycle);
    RUN(test_sector_out_of_range);
    RUN(test_truncated);
    RUN(test_bad_signature);
    RUN(test_directory_cycle);
    RUN(test_difat);
    RUN(test_hostile_sizes);
    return unit_done();
}
