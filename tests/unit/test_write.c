/* test_write.c - the compound-file writer (src/msg/cfbwrite.c) and the .msg
 * writer (src/msg/write.c) checked against calcheck's readers: images open
 * with cck_cfb_open and give back every stream; directories are red-black
 * trees ([MS-CFB] 2.6.4); messages built with the builder API (every property
 * type, named properties by LID and by name in several sets, non-ASCII text,
 * recipients, attachments, nested embedded messages) and messages read from
 * the mkmsg fixtures survive write -> read with the same tree and named keys,
 * and write(read(write(x))) == write(x) byte for byte.
 * Runs from the repository root (tests/run.sh cds there); $BUILD names the build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "mapi/props.h"
#include "msg/cfb.h"
#include "msg/cfbwrite.h"
#include "msg/msg.h"
#include "msg/write.h"
#include "util/arena.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ------------------------------------------------ red-black tree check */

static int cmp_names(const uint8_t *a, const uint8_t *b)
{
    unsigned la = (unsigned)(a[64] | a[65] << 8), lb = (unsigned)(b[64] | b[65] << 8);
    if (la != lb)
        return la < lb ? -1 : 1;
    for (unsigned i = 0; i + 2 < la; i += 2) {
        unsigned x = (unsigned)(a[i] | a[i + 1] << 8), y = (unsigned)(b[i] | b[i + 1] << 8);
        if (x >= 'a' && x <= 'z')
            x -= 32;
        if (y >= 'a' && y <= 'z')
            y -= 32;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

/* Black height of the subtree at id, or -1 when it breaks a rule. */
static int rb_check(const uint8_t **d, size_t n, uint32_t id, const uint8_t *lo, const uint8_t *hi,
                    int parent_red, int *seen)
{
    if (id == 0xFFFFFFFFu)
        return 1;
    if (id >= n || seen[id]++)
        return -1;
    const uint8_t *e = d[id];
    int red = e[67] == 0;
    if (red && parent_red)
        return -1;
    if ((lo && cmp_names(lo, e) >= 0) || (hi && cmp_names(e, hi) >= 0))
        return -1;
    int l = rb_check(d, n, le32(e + 68), lo, e, red, seen);
    int r = rb_check(d, n, le32(e + 72), e, hi, red, seen);
    if (l < 0 || r < 0 || l != r)
        return -1;
    uint32_t c = le32(e + 76);
    if (e[66] == 1 && c != 0xFFFFFFFFu) {
        if (c >= n || d[c][67] == 0 || rb_check(d, n, c, NULL, NULL, 0, seen) < 0)
            return -1;
    }
    return l + !red;
}

/* Every storage's children form a red-black BST, each entry reached once
 * (files with at most 109 FAT sectors). */
static int tree_ok(const uint8_t *f, size_t len)
{
    if (len < 1024)
        return 0;
    size_t cap = 1 << 16, n = 0;
    const uint8_t **d = malloc(cap * sizeof *d);
    int *seen = calloc(cap, sizeof *seen);
    int ok = d && seen;
    for (uint32_t s = le32(f + 48); ok && s != 0xFFFFFFFEu;) {
        if ((size_t)(s + 2) * 512 > len || n + 4 > cap || s / 128 >= 109) {
            ok = 0;
            break;
        }
        for (int i = 0; i < 4; i++)
            d[n++] = f + 512 + (size_t)s * 512 + 128 * (size_t)i;
        uint32_t fs = le32(f + 76 + 4 * (s / 128));
        s = le32(f + 512 + (size_t)fs * 512 + 4 * (s % 128));
    }
    if (ok) {
        seen[0] = 1;
        ok = d[0][66] == 5 && d[0][67] == 1;
        uint32_t c = le32(d[0] + 76);
        if (ok && c != 0xFFFFFFFFu)
            ok = c < n && d[c][67] == 1 && rb_check(d, n, c, NULL, NULL, 0, seen) >= 0;
        for (size_t i = 0; ok && i < n; i++)
            if (d[i][66] != 0 && seen[i] != 1)
                ok = 0;
    }
    free(d);
    free(seen);
    return ok;
}

/* ------------------------------------------------------ cfbwrite tests */

static uint8_t *pattern(size_t n, unsigned seed)
{
    uint8_t *p = malloc(n ? n : 1);
    for (size_t i = 0; p && i < n; i++)
        p[i] = (uint8_t)(i * 7 + seed + (i >> 8));
    return p;
}

/* Reads stream `path` ("a/b") of an opened compound file; 1 if its bytes are
 * exactly [want, want + n). */
static int stream_is(cck_cfb *c, const char *path, const uint8_t *want, size_t n)
{
    uint32_t dir = 0;
    char part[64];
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t l = slash ? (size_t)(slash - p) : strlen(p);
        memcpy(part, p, l);
        part[l] = 0;
        dir = cck_cfb_find(c, dir, part);
        if (dir == CCK_CFB_NONE)
            return 0;
        if (!slash)
            break;
        p = slash + 1;
    }
    const uint8_t *b;
    size_t len;
    if (cck_cfb_read(c, dir, &b, &len, NULL) != 0)
        return 0;
    return len == n && (n == 0 || memcmp(b, want, n) == 0);
}

static void test_cfbw_streams(void)
{
    cck_cfbw *w = cck_cfbw_new();
    CHECK(w != NULL);
    if (!w)
        return;
    static const size_t sizes[] = {0, 1, 63, 64, 65, 4095, 4096, 4097, 20000};
    uint8_t *data[9];
    char nm[32];
    uint32_t st = cck_cfbw_storage(w, CCK_CFBW_ROOT, "Store");
    uint32_t deep = cck_cfbw_storage(w, st, "Deeper \xC3\xA9t\xC3\xA9"); /* non-ASCII name */
    CHECK(st != CCK_CFBW_NONE && deep != CCK_CFBW_NONE);
    for (int i = 0; i < 9; i++) {
        data[i] = pattern(sizes[i], (unsigned)i);
        snprintf(nm, sizeof nm, "s%zu", sizes[i]);
        CHECK(cck_cfbw_stream(w, i % 2 ? st : CCK_CFBW_ROOT, nm, data[i], sizes[i]) !=
              CCK_CFBW_NONE);
    }
    /* Errors are returned, with a reason. */
    CHECK(cck_cfbw_stream(w, CCK_CFBW_ROOT, "S0", "x", 1) == CCK_CFBW_NONE); /* case-blind dup */
    CHECK(strstr(cck_cfbw_error(w), "same name") != NULL);
    CHECK(cck_cfbw_storage(w, CCK_CFBW_ROOT, "0123456789012345678901234567890123") ==
          CCK_CFBW_NONE);
    CHECK(cck_cfbw_storage(w, CCK_CFBW_ROOT, "a/b") == CCK_CFBW_NONE);
    CHECK(cck_cfbw_storage(w, CCK_CFBW_ROOT, "") == CCK_CFBW_NONE);
    CHECK(cck_cfbw_storage(w, CCK_CFBW_ROOT, "bad\xC3") == CCK_CFBW_NONE);
    uint32_t s0 = cck_cfbw_find(w, CCK_CFBW_ROOT, "s0");
    CHECK(s0 != CCK_CFBW_NONE);
    CHECK(cck_cfbw_storage(w, s0, "child") == CCK_CFBW_NONE); /* a stream is no parent */
    /* Paths, replacing and removing. */
    CHECK(cck_cfbw_put(w, CCK_CFBW_ROOT, "Store/Deeper \xC3\xA9t\xC3\xA9/leaf", "abc", 3) !=
          CCK_CFBW_NONE);
    CHECK(cck_cfbw_put(w, CCK_CFBW_ROOT, "New/Sub/leaf", "xyz", 3) != CCK_CFBW_NONE);
    CHECK(cck_cfbw_lookup(w, CCK_CFBW_ROOT, "new/SUB/Leaf") != CCK_CFBW_NONE);
    CHECK(cck_cfbw_put(w, CCK_CFBW_ROOT, "Store", "x", 1) == CCK_CFBW_NONE);
    uint32_t gone = cck_cfbw_put(w, CCK_CFBW_ROOT, "Gone/inner", "q", 1);
    CHECK(gone != CCK_CFBW_NONE);
    CHECK_EQ_INT(cck_cfbw_remove(w, cck_cfbw_lookup(w, CCK_CFBW_ROOT, "Gone")), 0);
    CHECK(cck_cfbw_lookup(w, CCK_CFBW_ROOT, "Gone/inner") == CCK_CFBW_NONE);
    CHECK(cck_cfbw_storage(w, CCK_CFBW_ROOT, "Gone") != CCK_CFBW_NONE); /* the name is free */
    CHECK_EQ_INT(cck_cfbw_set_data(w, s0, "zz", 2), 0);
    CHECK(cck_cfbw_set_data(w, st, "zz", 2) != 0);

    uint8_t *img;
    size_t len;
    CHECK_EQ_INT(cck_cfbw_image(w, &img, &len), 0);
    CHECK(len % 512 == 0);
    CHECK(tree_ok(img, len));
    cck_arena *a = cck_arena_new((size_t)64 << 20);
    cck_problems pr;
    cck_problems_init(&pr, a);
    cck_cfb *c = NULL;
    CHECK(cck_cfb_open(img, len, a, &pr, &c, NULL) == CCK_CFB_OK);
    if (c) {
        CHECK_EQ_INT(cck_cfb_version(c), 3);
        for (int i = 1; i < 9; i++) {
            char path[64];
            snprintf(path, sizeof path, "%ss%zu", i % 2 ? "Store/" : "", sizes[i]);
            CHECK(stream_is(c, path, data[i], sizes[i]));
        }
        CHECK(stream_is(c, "s0", (const uint8_t *)"zz", 2));
        CHECK(stream_is(c, "Store/Deeper \xC3\xA9t\xC3\xA9/leaf", (const uint8_t *)"abc", 3));
        CHECK(stream_is(c, "New/Sub/leaf", (const uint8_t *)"xyz", 3));
        CHECK(cck_cfb_find(c, cck_cfb_find(c, 0, "Gone"), "inner") == CCK_CFB_NONE);
    }
    for (size_t i = 0; i < pr.n; i++)
        printf("#   problem: %s\n", pr.v[i].text);
    CHECK_EQ_INT(pr.n, 0);
    /* Deterministic: the same calls give the same bytes. */
    uint8_t *img2;
    size_t len2;
    CHECK_EQ_INT(cck_cfbw_image(w, &img2, &len2), 0);
    CHECK(len2 == len && memcmp(img, img2, len) == 0);
    free(img2);
    free(img);
    for (int i = 0; i < 9; i++)
        free(data[i]);
    cck_arena_free(a);
    cck_cfbw_free(w);
}

/* Many siblings (hash lookups, tree shape) and a stream that needs DIFAT. */
static void test_cfbw_large(void)
{
    cck_cfbw *w = cck_cfbw_new();
    CHECK(w != NULL);
    if (!w)
        return;
    char nm[32];
    for (unsigned i = 0; i < 3000; i++) {
        snprintf(nm, sizeof nm, "e%u", i * 7919 % 3001);
        uint8_t b = (uint8_t)i;
        CHECK(cck_cfbw_stream(w, CCK_CFBW_ROOT, nm, &b, 1) != CCK_CFBW_NONE);
    }
    size_t big = 7400000;
    uint8_t *data = pattern(big, 3);
    CHECK(cck_cfbw_stream(w, CCK_CFBW_ROOT, "big", data, big) != CCK_CFBW_NONE);
    uint8_t *img;
    size_t len;
    CHECK_EQ_INT(cck_cfbw_image(w, &img, &len), 0);
    CHECK(le32(img + 44) > 109);     /* FAT sectors */
    CHECK_EQ_INT(le32(img + 72), 1); /* one DIFAT sector */
    CHECK(tree_ok(img, len));
    cck_arena *a = cck_arena_new((size_t)256 << 20);
    cck_problems pr;
    cck_problems_init(&pr, a);
    cck_cfb *c = NULL;
    CHECK(cck_cfb_open(img, len, a, &pr, &c, NULL) == CCK_CFB_OK);
    if (c) {
        CHECK(stream_is(c, "big", data, big));
        snprintf(nm, sizeof nm, "e%u", 2999u * 7919 % 3001);
        uint8_t b = (uint8_t)2999;
        CHECK(stream_is(c, nm, &b, 1));
        CHECK_EQ_INT(cck_cfb_entry_at(c, 0)->nkids, 3001);
    }
    CHECK_EQ_INT(pr.n, 0);
    free(img);
    free(data);
    cck_arena_free(a);
    cck_cfbw_free(w);
}

/* ------------------------------------------------------ message trees */

static int same_key(const cck_propkey *a, const cck_propkey *b)
{
    if (!a || !b)
        return a == b;
    return cck_guid_eq(&a->guid, &b->guid) && a->is_name == b->is_name &&
           (a->is_name ? strcmp(a->name, b->name) == 0 : a->lid == b->lid);
}

static int same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static uint16_t written_type(uint16_t t)
{
    uint16_t base = t & (uint16_t)~CCK_PT_MV;
    return base == CCK_PT_STRING8 ? (uint16_t)((t & CCK_PT_MV) | CCK_PT_UNICODE) : t;
}

/* Value of b (read back) equals value of a (as built or read), element type t. */
static int same_value(uint16_t t, const cck_prop *a, const cck_prop *b)
{
    switch (t & (uint16_t)~CCK_PT_MV) {
    case CCK_PT_I2:
    case CCK_PT_LONG:
    case CCK_PT_ERROR:
    case CCK_PT_CURRENCY:
    case CCK_PT_I8:
        return a->v.i == b->v.i;
    case CCK_PT_BOOLEAN:
        return (a->v.i != 0) == (b->v.i != 0);
    case CCK_PT_R4:
    case CCK_PT_DOUBLE:
    case CCK_PT_APPTIME:
        return memcmp(&a->v.d, &b->v.d, sizeof a->v.d) == 0;
    case CCK_PT_SYSTIME:
        return a->v.ft == b->v.ft;
    case CCK_PT_UNICODE:
    case CCK_PT_STRING8:
        return same_bytes((const uint8_t *)(a->str.s ? a->str.s : ""), a->str.len,
                          (const uint8_t *)b->str.s, b->str.len);
    case CCK_PT_UNSPECIFIED:
    case CCK_PT_NULL:
        return 1;
    default:
        return same_bytes(a->bin, a->binlen, b->bin, b->binlen);
    }
}

static int same_prop(const cck_prop *a, const cck_prop *b)
{
    if (written_type(a->type) != b->type || a->flags != b->flags || !same_key(a->key, b->key))
        return 0;
    if (!(a->type & CCK_PT_MV))
        return same_value(a->type, a, b);
    if (a->count != b->count)
        return 0;
    if (!a->mv)
        return same_bytes(a->bin, a->binlen, b->bin, b->binlen);
    for (size_t i = 0; i < a->count; i++)
        if (!same_value(a->type, &a->mv[i], &b->mv[i]))
            return 0;
    return 1;
}

/* Every property of a is in b (named ones found by key) with the same value,
 * and b has no others except the ones the writer adds for embedded messages. */
static int same_props(const cck_props *a, const cck_props *b, int embedded)
{
    size_t extra = 0;
    for (size_t i = 0; i < a->n; i++) {
        const cck_prop *p = &a->v[i], *q;
        if (embedded && p->id == CCK_PID_ATTACH_DATA)
            continue;
        if (p->id >= 0x8000 && p->key)
            q = p->key->is_name ? cck_props_get_name(b, &p->key->guid, p->key->name)
                                : cck_props_get_lid(b, &p->key->guid, p->key->lid);
        else
            q = cck_props_get(b, p->id);
        if (!q || !same_prop(p, q)) {
            printf("#   property 0x%04X differs\n", p->id);
            return 0;
        }
    }
    if (embedded) {
        /* The writer adds PidTagAttachDataObject and, when absent, the method. */
        const cck_prop *o = cck_props_get(b, CCK_PID_ATTACH_DATA);
        if (!o || o->type != CCK_PT_OBJECT)
            return 0;
        extra = (cck_props_get(a, CCK_PID_ATTACH_DATA) == NULL) +
                (cck_props_get(a, CCK_PID_ATTACH_METHOD) == NULL);
    }
    if (b->n != a->n + extra) {
        printf("#   %zu properties, expected %zu\n", b->n, a->n + extra);
        return 0;
    }
    return 1;
}

static int same_msg(const cck_msg *a, const cck_msg *b)
{
    if (!same_props(cck_msg_props(a), cck_msg_props(b), 0))
        return 0;
    if (cck_msg_nrecips(a) != cck_msg_nrecips(b) || cck_msg_nattachs(a) != cck_msg_nattachs(b))
        return 0;
    for (size_t i = 0; i < cck_msg_nrecips(a); i++)
        if (!same_props(cck_msg_recip(a, i), cck_msg_recip(b, i), 0))
            return 0;
    for (size_t i = 0; i < cck_msg_nattachs(a); i++) {
        const cck_msg *ea = cck_msg_attach_msg(a, i), *eb = cck_msg_attach_msg(b, i);
        if (!same_props(cck_msg_attach(a, i), cck_msg_attach(b, i), ea != NULL))
            return 0;
        if ((ea == NULL) != (eb == NULL) || (ea && !same_msg(ea, eb)))
            return 0;
    }
    return 1;
}

/* cck_msg_write into memory. */
static uint8_t *write_mem(const cck_msg *m, size_t *len, const char **why)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    if (!f)
        return NULL;
    int rc = cck_msg_write(m, f, why);
    fclose(f);
    if (rc != 0) {
        free(p);
        return NULL;
    }
    *len = n;
    return (uint8_t *)p;
}

/* Problems of m and its embedded messages, except the expected notes about
 * the unknown property types the builder test writes on purpose. */
static int nproblems(const cck_msg *m)
{
    const cck_problems *p = cck_msg_problems(m);
    int n = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->v[i].code, "msg.unknown_type") == 0)
            continue;
        printf("#   problem: %s %s\n", p->v[i].code, p->v[i].text);
        n++;
    }
    for (size_t i = 0; i < cck_msg_nattachs(m); i++)
        if (cck_msg_attach_msg(m, i))
            n += nproblems(cck_msg_attach_msg(m, i));
    return n;
}

/* write(m), read it, write again: same tree, same bytes. Returns the re-read
 * message (in arena a) or NULL. */
static const cck_msg *roundtrip(const cck_msg *m, cck_arena *a, int expect_problems)
{
    size_t n1 = 0, n2 = 0;
    const char *why = NULL;
    uint8_t *b1 = write_mem(m, &n1, &why);
    CHECK(b1 != NULL);
    if (!b1) {
        printf("#   write failed: %s\n", why ? why : "?");
        return NULL;
    }
    CHECK(tree_ok(b1, n1));
    cck_msg *r = NULL;
    CHECK(cck_msg_open(b1, n1, a, &r, &why) == CCK_MSG_OK);
    const cck_msg *out = NULL;
    if (r) {
        if (!expect_problems)
            CHECK_EQ_INT(nproblems(r), 0);
        CHECK(same_msg(m, r));
        uint8_t *b2 = write_mem(r, &n2, &why);
        CHECK(b2 && n2 == n1 && memcmp(b1, b2, n1) == 0);
        free(b2);
        out = r;
    }
    free(b1);
    return out;
}

/* ------------------------------------------------------ builder messages */

typedef struct pl {
    cck_prop *v;
    size_t n;
} pl;

static cck_prop *add(cck_arena *a, pl *l, uint16_t id, uint16_t type)
{
    cck_prop *v = cck_arena_calloc(a, l->n + 1, sizeof *v);
    if (l->n)
        memcpy(v, l->v, l->n * sizeof *v);
    l->v = v;
    cck_prop *p = &v[l->n++];
    p->id = id;
    p->type = type;
    p->flags = 6;
    return p;
}

static void set_str(cck_prop *p, const char *s)
{
    p->str.s = s;
    p->str.len = strlen(s);
}

static const cck_propkey *lidkey(cck_arena *a, const cck_guid *g, uint32_t lid)
{
    cck_propkey *k = cck_arena_calloc(a, 1, sizeof *k);
    k->guid = *g;
    k->lid = lid;
    return k;
}

static const cck_propkey *namekey(cck_arena *a, const cck_guid *g, const char *name)
{
    cck_propkey *k = cck_arena_calloc(a, 1, sizeof *k);
    k->guid = *g;
    k->is_name = true;
    k->name = name;
    return k;
}

static const cck_guid custom = {{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB,
                                 0xCC, 0xDD, 0xEE, 0xFF, 0x01}};

static const uint8_t clsid_bytes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/* A property of every type the reader decodes, plus unknown types. */
static void every_type(cck_arena *a, pl *l)
{
    add(a, l, 0x6601, CCK_PT_I2)->v.i = -12345;
    add(a, l, 0x6602, CCK_PT_LONG)->v.i = -2000000000;
    add(a, l, 0x6603, CCK_PT_R4)->v.d = 1.5;
    add(a, l, 0x6604, CCK_PT_DOUBLE)->v.d = -3.25e100;
    add(a, l, 0x6605, CCK_PT_CURRENCY)->v.i = -1234567890123LL;
    add(a, l, 0x6606, CCK_PT_APPTIME)->v.d = 45000.5;
    add(a, l, 0x6607, CCK_PT_ERROR)->v.i = (int32_t)0x8004010F;
    add(a, l, 0x6608, CCK_PT_BOOLEAN)->v.i = 1;
    add(a, l, 0x6609, CCK_PT_I8)->v.i = INT64_MIN + 7;
    add(a, l, 0x660A, CCK_PT_SYSTIME)->v.ft = 134170092000000000ULL;
    add(a, l, 0x660B, CCK_PT_NULL);
    cck_prop *p = add(a, l, 0x660C, CCK_PT_CLSID);
    p->bin = clsid_bytes;
    p->binlen = 16;
    p = add(a, l, 0x660D, CCK_PT_BINARY);
    p->bin = (const uint8_t *)"\x00\x01\x02\xFF";
    p->binlen = 4;
    p = add(a, l, 0x660E, CCK_PT_SVREID);
    p->bin = (const uint8_t *)"svreid";
    p->binlen = 6;
    set_str(add(a, l, 0x660F, CCK_PT_STRING8), "caf\xC3\xA9 8-bit");
    set_str(add(a, l, 0x6610, CCK_PT_UNICODE), "");
    set_str(add(a, l, 0x0037, CCK_PT_UNICODE),
            "Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x93\x85 \xE6\x97\xA5\xE6\x9C\xAC");
    p = add(a, l, 0x6611, 0x0099); /* unknown, kept raw: 8 bytes inline */
    p->bin = (const uint8_t *)"12345678";
    p->binlen = 8;
    p = add(a, l, 0x6612, 0x0098); /* unknown, kept raw: a stream */
    p->bin = (const uint8_t *)"raw";
    p->binlen = 3;
    add(a, l, 0x6613, CCK_PT_LONG)->flags = 2; /* flags survive */

    /* Multi-valued. */
    static const uint16_t fixed[] = {CCK_PT_I2,       CCK_PT_LONG,    CCK_PT_R4, CCK_PT_DOUBLE,
                                     CCK_PT_CURRENCY, CCK_PT_APPTIME, CCK_PT_I8, CCK_PT_SYSTIME};
    for (size_t t = 0; t < sizeof fixed / sizeof fixed[0]; t++) {
        p = add(a, l, (uint16_t)(0x6700 + t), (uint16_t)(CCK_PT_MV | fixed[t]));
        cck_prop *e = cck_arena_calloc(a, 3, sizeof *e);
        for (int i = 0; i < 3; i++) {
            e[i].type = fixed[t];
            if (fixed[t] == CCK_PT_R4 || fixed[t] == CCK_PT_DOUBLE || fixed[t] == CCK_PT_APPTIME)
                e[i].v.d = 0.5 * (i + 1) - 1;
            else if (fixed[t] == CCK_PT_SYSTIME)
                e[i].v.ft = 134170092000000000ULL + (uint64_t)i;
            else if (fixed[t] == CCK_PT_I2)
                e[i].v.i = -1 - i;
            else if (fixed[t] == CCK_PT_LONG)
                e[i].v.i = -100000 * (i + 1);
            else
                e[i].v.i = -10000000000LL * (i + 1);
        }
        p->mv = e;
        p->count = 3;
    }
    p = add(a, l, 0x6710, CCK_PT_MV | CCK_PT_CLSID);
    cck_prop *e = cck_arena_calloc(a, 2, sizeof *e);
    e[0].bin = clsid_bytes;
    e[0].binlen = 16;
    e[1].bin = CCK_PSETID_MEETING.b;
    e[1].binlen = 16;
    p->mv = e;
    p->count = 2;
    static const uint16_t var[] = {CCK_PT_UNICODE, CCK_PT_STRING8, CCK_PT_BINARY};
    for (size_t t = 0; t < 3; t++) {
        p = add(a, l, (uint16_t)(0x6720 + t), (uint16_t)(CCK_PT_MV | var[t]));
        e = cck_arena_calloc(a, 3, sizeof *e);
        static const char *const s[3] = {"one", "", "dr\xC3\xA9i \xF0\x9F\x98\x80"};
        for (int i = 0; i < 3; i++) {
            e[i].type = var[t];
            if (var[t] == CCK_PT_BINARY) {
                e[i].bin = (const uint8_t *)s[i];
                e[i].binlen = strlen(s[i]);
            } else {
                set_str(&e[i], s[i]);
            }
        }
        p->mv = e;
        p->count = 3;
    }
    p = add(a, l, 0x6730, CCK_PT_MV | CCK_PT_UNICODE); /* empty */
    p->mv = cck_arena_calloc(a, 1, sizeof *p->mv);
    p->count = 0;
    p = add(a, l, 0x6731, CCK_PT_MV | CCK_PT_BOOLEAN); /* the reader keeps it raw */
    p->bin = (const uint8_t *)"\x01\x00\x00\x00";
    p->binlen = 4;
}

/* A named property with a PST-style id (anything >= 0x8000). */
static cck_prop *named(cck_arena *a, pl *l, uint16_t id, uint16_t type, const cck_propkey *k)
{
    cck_prop *p = add(a, l, id, type);
    p->key = k;
    return p;
}

static cck_msg *build(cck_arena *a)
{
    const cck_propkey *start = lidkey(a, &CCK_PSETID_APPOINTMENT, CCK_LID_APPT_START_WHOLE);
    const cck_propkey *end = lidkey(a, &CCK_PSETID_APPOINTMENT, CCK_LID_APPT_END_WHOLE);
    const cck_propkey *goid = lidkey(a, &CCK_PSETID_MEETING, CCK_LID_GLOBAL_OBJECT_ID);
    const cck_propkey *kw = namekey(a, &CCK_PS_PUBLIC_STRINGS, "Keywords");
    const cck_propkey *cust = namekey(a, &custom, "N\xC3\xA4me \xE2\x9C\x93");
    const cck_propkey *custlid = lidkey(a, &custom, 0x1234);
    const cck_propkey *mapi = lidkey(a, &CCK_PS_MAPI, 0x0037);
    cck_msg *m = cck_msg_new(a);
    pl l = {0};
    set_str(add(a, &l, CCK_PID_MESSAGE_CLASS, CCK_PT_UNICODE), "IPM.Appointment");
    every_type(a, &l);
    named(a, &l, 0x9F00, CCK_PT_SYSTIME, start)->v.ft = 134170092000000000ULL;
    named(a, &l, 0x8002, CCK_PT_SYSTIME, end)->v.ft = 134170110000000000ULL;
    cck_prop *p = named(a, &l, 0xA001, CCK_PT_BINARY, goid);
    p->bin = (const uint8_t *)"\x04\x00\x00\x00\x82\x00\xE0\x00";
    p->binlen = 8;
    p = named(a, &l, 0x8100, CCK_PT_MV | CCK_PT_UNICODE, kw);
    cck_prop *e = cck_arena_calloc(a, 2, sizeof *e);
    set_str(&e[0], "red");
    set_str(&e[1], "gr\xC3\xBCn");
    e[0].type = e[1].type = CCK_PT_UNICODE;
    p->mv = e;
    p->count = 2;
    named(a, &l, 0x8200, CCK_PT_LONG, cust)->v.i = 7;
    named(a, &l, 0x8201, CCK_PT_BOOLEAN, custlid)->v.i = 1;
    set_str(named(a, &l, 0x8202, CCK_PT_STRING8, mapi), "mapi 8-bit");
    cck_msg_set_props(m, l.v, l.n);

    for (int r = 0; r < 2; r++) {
        pl rl = {0};
        set_str(add(a, &rl, CCK_PID_DISPLAY_NAME, CCK_PT_UNICODE), r ? "Bob" : "Zo\xC3\xAB");
        add(a, &rl, CCK_PID_RECIPIENT_TYPE, CCK_PT_LONG)->v.i = r + 1;
        named(a, &rl, 0x8300, CCK_PT_LONG, custlid)->v.i = r; /* a key shared with the message */
        cck_msg_add_recip(m, rl.v, rl.n, NULL);
    }
    /* A file attachment. */
    pl al = {0};
    add(a, &al, CCK_PID_ATTACH_METHOD, CCK_PT_LONG)->v.i = 1;
    set_str(add(a, &al, CCK_PID_ATTACH_LONG_FILENAME, CCK_PT_UNICODE), "r\xC3\xA9sum\xC3\xA9.txt");
    uint8_t *blob = pattern(5000, 9);
    p = add(a, &al, 0x3701, CCK_PT_BINARY);
    uint8_t *copy = cck_arena_alloc(a, 5000);
    memcpy(copy, blob, 5000);
    free(blob);
    p->bin = copy;
    p->binlen = 5000;
    cck_msg_add_attach(m, al.v, al.n, NULL, NULL);

    /* An exception: embedded message with its own named properties (one new
     * key, one shared), holding another embedded message. */
    const cck_propkey *inner_only = lidkey(a, &CCK_PSETID_COMMON, CCK_LID_COMMON_START);
    cck_msg *inner = cck_msg_new(a);
    pl il = {0};
    set_str(add(a, &il, CCK_PID_MESSAGE_CLASS, CCK_PT_UNICODE), "IPM.Note");
    named(a, &il, 0xB000, CCK_PT_SYSTIME, inner_only)->v.ft = 1;
    cck_msg_set_props(inner, il.v, il.n);
    cck_msg *ex = cck_msg_new(a);
    pl el = {0};
    set_str(add(a, &el, CCK_PID_MESSAGE_CLASS, CCK_PT_UNICODE),
            "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
    set_str(add(a, &el, CCK_PID_SUBJECT, CCK_PT_UNICODE), "Exception \xE2\x80\x94 moved");
    named(a, &el, 0x9F00, CCK_PT_SYSTIME, start)->v.ft = 134170200000000000ULL;
    named(a, &el, 0xC000, CCK_PT_LONG, lidkey(a, &CCK_PSETID_TASK, 0x8101))->v.i = 3;
    named(a, &el, 0xC001, CCK_PT_UNICODE, namekey(a, &custom, "second"))->str.s = "x";
    cck_msg_set_props(ex, el.v, el.n);
    pl erl = {0};
    set_str(add(a, &erl, CCK_PID_DISPLAY_NAME, CCK_PT_UNICODE), "Exception attendee");
    cck_msg_add_recip(ex, erl.v, erl.n, NULL);
    pl iel = {0};
    add(a, &iel, CCK_PID_ATTACH_METHOD, CCK_PT_LONG)->v.i = 5;
    cck_msg_add_attach(ex, iel.v, iel.n, inner, NULL);
    pl xl = {0};
    add(a, &xl, CCK_PID_EXCEPTION_START_TIME, CCK_PT_SYSTIME)->v.ft = 134170200000000000ULL;
    add(a, &xl, CCK_PID_ATTACHMENT_HIDDEN, CCK_PT_BOOLEAN)->v.i = 1;
    cck_msg_add_attach(m, xl.v, xl.n, ex, NULL); /* no attach method: the writer adds 5 */
    return m;
}

static void test_write_builder(void)
{
    cck_arena *a = cck_arena_new((size_t)64 << 20);
    cck_msg *m = build(a);
    const cck_msg *r = roundtrip(m, a, 0);
    if (!r) {
        cck_arena_free(a);
        return;
    }
    /* Named keys: resolved to the same identity; the same key has one id in
     * the message, its recipients and the embedded messages. */
    const cck_props *ps = cck_msg_props(r);
    const cck_prop *s = cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, CCK_LID_APPT_START_WHOLE);
    const cck_prop *k = cck_props_get_name(ps, &custom, "N\xC3\xA4me \xE2\x9C\x93");
    const cck_prop *cl = cck_props_get_lid(ps, &custom, 0x1234);
    CHECK(s && k && cl && s->v.ft == 134170092000000000ULL && k->v.i == 7);
    CHECK(cck_props_get_name(ps, &CCK_PS_PUBLIC_STRINGS, "Keywords") != NULL);
    const cck_prop *mp = cck_props_get_lid(ps, &CCK_PS_MAPI, 0x0037);
    CHECK(mp && mp->type == CCK_PT_UNICODE && strcmp(mp->str.s, "mapi 8-bit") == 0);
    const cck_prop *rc = cck_props_get_lid(cck_msg_recip(r, 1), &custom, 0x1234);
    CHECK(rc && cl && rc->id == cl->id && rc->v.i == 1);
    CHECK_EQ_INT(cck_msg_nattachs(r), 2);
    const cck_msg *ex = cck_msg_attach_msg(r, 1);
    CHECK(ex != NULL);
    if (ex && s) {
        const cck_prop *es =
            cck_props_get_lid(cck_msg_props(ex), &CCK_PSETID_APPOINTMENT, CCK_LID_APPT_START_WHOLE);
        CHECK(es && es->id == s->id && es->v.ft == 134170200000000000ULL);
        CHECK(cck_props_get_lid(cck_msg_props(ex), &CCK_PSETID_TASK, 0x8101) != NULL);
        const cck_msg *in = cck_msg_attach_msg(ex, 0);
        CHECK(in && cck_props_get_lid(cck_msg_props(in), &CCK_PSETID_COMMON,
                                      CCK_LID_COMMON_START) != NULL);
    }
    const cck_prop *meth = cck_props_get(cck_msg_attach(r, 1), CCK_PID_ATTACH_METHOD);
    CHECK(meth && meth->v.i == 5);
    /* Ids are dense from 0x8000 for a tree without a map; 10 distinct keys. */
    CHECK_EQ_INT(cck_msg_nnamed(r), 10);
    for (size_t i = 0; i < cck_msg_nnamed(r); i++)
        CHECK(cck_msg_named(r, i) != NULL);
    /* An independent reader opens it too (libolecf, when installed). */
    if (access("/usr/bin/olecfinfo", X_OK) == 0) {
        char path[] = "/tmp/cck-write-olecf-XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        CHECK(f != NULL);
        if (f) {
            CHECK(cck_msg_write(m, f, NULL) == 0);
            fclose(f);
            char cmd[128];
            snprintf(cmd, sizeof cmd, "olecfinfo %s >/dev/null 2>&1", path);
            CHECK(system(cmd) == 0);
        }
        unlink(path);
    }
    /* STRING8 became UNICODE, with the text. */
    const cck_prop *s8 = cck_props_get(ps, 0x660F);
    CHECK(s8 && s8->type == CCK_PT_UNICODE && strcmp(s8->str.s, "caf\xC3\xA9 8-bit") == 0);
    const cck_prop *sub = cck_props_get(ps, CCK_PID_SUBJECT);
    CHECK(sub && sub->str.bad == 0 &&
          sub->binlen == 2 * 14); /* 13 characters, one a surrogate pair */
    cck_arena_free(a);
}

/* A tree read from a .msg keeps its named ids; an unresolved named id stays. */
static void test_write_keeps_ids(void)
{
    cck_arena *a = cck_arena_new((size_t)16 << 20);
    cck_msg *m = build(a);
    size_t n;
    uint8_t *b = write_mem(m, &n, NULL);
    cck_msg *r = NULL;
    CHECK(b && cck_msg_open(b, n, a, &r, NULL) == CCK_MSG_OK);
    if (r) {
        /* Add an unresolved named id at the first free index to a copy of the tree. */
        const cck_props *ps = cck_msg_props(r);
        cck_prop *v = cck_arena_calloc(a, ps->n + 1, sizeof *v);
        memcpy(v, ps->v, ps->n * sizeof *v);
        v[ps->n].id = (uint16_t)(0x8000 + cck_msg_nnamed(r));
        v[ps->n].type = CCK_PT_LONG;
        v[ps->n].v.i = 99;
        cck_msg *m2 = cck_msg_new(a);
        cck_msg_set_props(m2, v, ps->n + 1);
        for (size_t i = 0; i < cck_msg_nrecips(r); i++) {
            const cck_props *rp = cck_msg_recip(r, i);
            cck_msg_add_recip(m2, (cck_prop *)rp->v, rp->n, NULL);
        }
        /* m2 has keys but no map: new key -> the lowest index not reserved. */
        size_t n2;
        uint8_t *b2 = write_mem(m2, &n2, NULL);
        cck_msg *r2 = NULL;
        CHECK(b2 && cck_msg_open(b2, n2, a, &r2, NULL) == CCK_MSG_OK);
        if (r2) {
            const cck_prop *u = cck_props_get(cck_msg_props(r2), v[ps->n].id);
            CHECK(u && u->key == NULL && u->v.i == 99);
            const cck_problems *pr = cck_msg_problems(r2);
            int unresolved = 0;
            for (size_t i = 0; i < pr->n; i++)
                unresolved += strcmp(pr->v[i].code, "msg.named_unresolved") == 0;
            CHECK_EQ_INT(unresolved, 1);
            CHECK(same_msg(m2, r2));
        }
        free(b2);
        /* The ids of r survive a copy: r's own map is the starting point. */
        size_t n3;
        uint8_t *b3 = write_mem(r, &n3, NULL);
        CHECK(b3 && n3 == n && memcmp(b, b3, n) == 0);
        free(b3);
    }
    free(b);
    cck_arena_free(a);
}

static void test_write_errors(void)
{
    cck_arena *a = cck_arena_new((size_t)64 << 20);
    const char *why = NULL;
    /* Embedded messages deeper than the reader's limit. */
    cck_msg *m = cck_msg_new(a);
    for (int i = 0; i < CCK_MSG_MAX_DEPTH + 1; i++) {
        cck_msg *outer = cck_msg_new(a);
        cck_msg_add_attach(outer, NULL, 0, m, NULL);
        m = outer;
    }
    size_t n;
    uint8_t *b = write_mem(m, &n, &why);
    CHECK(b == NULL && why && strstr(why, "deeper"));
    free(b);
    /* Exactly at the limit is fine. */
    const cck_msg *inner = cck_msg_attach_msg(m, 0);
    b = write_mem(inner, &n, &why);
    CHECK(b != NULL);
    cck_msg *r = NULL;
    CHECK(b && cck_msg_open(b, n, a, &r, NULL) == CCK_MSG_OK && nproblems(r) == 0);
    free(b);
    /* More distinct keys than a map holds. */
    size_t nk = 0x7FFF + 1;
    cck_prop *v = cck_arena_calloc(a, nk, sizeof *v);
    for (size_t i = 0; i < nk; i++) {
        v[i].id = 0x8000;
        v[i].type = CCK_PT_LONG;
        v[i].key = lidkey(a, &custom, (uint32_t)i);
    }
    m = cck_msg_new(a);
    cck_msg_set_props(m, v, nk);
    why = NULL;
    b = write_mem(m, &n, &why);
    CHECK(b == NULL && why && strstr(why, "named"));
    free(b);
    /* 0x7FFF keys fit. */
    cck_msg_set_props(m, v, nk - 1);
    b = write_mem(m, &n, &why);
    CHECK(b != NULL);
    free(b);
    /* A failing output. */
    FILE *f = fopen("/dev/full", "wb");
    if (f) {
        why = NULL;
        CHECK(cck_msg_write(m, f, &why) == -1 && why != NULL);
        fclose(f);
    }
    cck_arena_free(a);
}

/* ------------------------------------------------- .msg fixture round trips */

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = n > 0 ? malloc((size_t)n) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = b ? (size_t)n : 0;
    return b;
}

static void test_write_fixtures(void)
{
    static const char *const specs[] = {
        "plain-appointment", "recurring-meeting", "allday-string8", "streams-mini-and-big",
        "named-props",       "many-fat-sectors",  "difat",          "defects"};
    const char *build_dir = getenv("BUILD") ? getenv("BUILD") : "build";
    char dir[] = "/tmp/cck-write-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        char out[256], cmd[1024];
        snprintf(out, sizeof out, "%s/%s.msg", dir, specs[i]);
        snprintf(cmd, sizeof cmd, "%s/tools/mkmsg tests/fixtures/msg/%s.spec %s", build_dir,
                 specs[i], out);
        CHECK(system(cmd) == 0);
        size_t n;
        uint8_t *b = read_file(out, &n);
        unlink(out);
        CHECK(b != NULL);
        if (!b)
            continue;
        cck_arena *a = cck_arena_new((size_t)256 << 20);
        cck_msg *m = NULL;
        CHECK(cck_msg_open(b, n, a, &m, NULL) == CCK_MSG_OK);
        if (m) {
            printf("#   %s\n", specs[i]);
            const cck_msg *r = roundtrip(m, a, strcmp(specs[i], "defects") == 0);
            /* Same map, same ids. */
            CHECK(r && cck_msg_nnamed(r) == cck_msg_nnamed(m));
            for (size_t k = 0; r && k < cck_msg_nnamed(m); k++)
                CHECK(same_key(cck_msg_named(m, k), cck_msg_named(r, k)));
        }
        cck_arena_free(a);
        free(b);
    }
    rmdir(dir);
}

int main(void)
{
    RUN(test_cfbw_streams);
    RUN(test_cfbw_large);
    RUN(test_write_builder);
    RUN(test_write_keeps_ids);
    RUN(test_write_errors);
    RUN(test_write_fixtures);
    return unit_done();
}
