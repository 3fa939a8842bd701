/* test_msg.c - the .msg reader on messages built here in memory: tagged,
 * code-page and multi-valued values, named properties resolved by (GUID, LID)
 * and (GUID, name), recipients, embedded messages sharing the top-level map,
 * the depth limit, and damage reported as problems. */
#include <stdlib.h>

#include "msg/cfb.h"
#include "msg/msg.h"
#include "unit.h"

#include "cfbimage.h" /* the in-memory compound file writer */

/* ---- .msg pieces ---- */

static tent E[128];
static int NE;
static uint8_t pool[1 << 16];
static size_t pooln;

static uint8_t *keep(const void *p, size_t n)
{
    uint8_t *d = pool + pooln;
    memcpy(d, p, n);
    pooln += (n + 7) & ~(size_t)7;
    return d;
}

static int add(const char *name, uint8_t type, int parent, const uint8_t *data, size_t size)
{
    E[NE] = (tent){name, type, parent, data, (uint32_t)size, 0};
    return NE++;
}

static int add_storage(const char *name, int parent)
{
    return add(name, CCK_CFB_STORAGE, parent, NULL, 0);
}

/* UTF-16LE of an ASCII string, with a terminator when nul. */
static int add_utf16(const char *name, int parent, const char *s, int nul)
{
    uint8_t b[256];
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        put16(b + 2 * i, (uint8_t)s[i]);
    n *= 2;
    if (nul) {
        put16(b + n, 0);
        n += 2;
    }
    return add(name, CCK_CFB_STREAM, parent, keep(b, n), n);
}

/* A property stream: hdr bytes of header (counts at 16 and 20 when hdr >= 24)
 * then entries given as (tag, low 32 bits of value/size, high 32 bits). */
static int add_props(int parent, size_t hdr, uint32_t nrecip, uint32_t nattach, const uint32_t *ent,
                     size_t n)
{
    uint8_t b[1024] = {0};
    if (hdr >= 24) {
        put32(b + 8, nrecip);
        put32(b + 12, nattach);
        put32(b + 16, nrecip);
        put32(b + 20, nattach);
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = b + hdr + 16 * i;
        put32(e, ent[3 * i]);
        put32(e + 4, 6); /* PROPATTR_READABLE | PROPATTR_WRITABLE */
        put32(e + 8, ent[3 * i + 1]);
        put32(e + 12, ent[3 * i + 2]);
    }
    return add("__properties_version1.0", CCK_CFB_STREAM, parent, keep(b, hdr + 16 * n),
               hdr + 16 * n);
}

/* __nameid_version1.0: GUID stream with PSETID_Appointment (index 3); entries
 * 0x8000 = (Appointment, LID 0x8223), 0x8001 = (PS_PUBLIC_STRINGS, "Keywords"),
 * 0x8002 = (Appointment, LID 0x8216). */
static void add_nameid(void)
{
    int st = add_storage("__nameid_version1.0", 0);
    add("__substg1.0_00020102", CCK_CFB_STREAM, st, CCK_PSETID_APPOINTMENT.b, 16);
    uint8_t en[24];
    put32(en, 0x8223);
    put32(en + 4, (0u << 16) | (3u << 1));
    put32(en + 8, 0); /* offset in the string stream */
    put32(en + 12, (1u << 16) | (2u << 1) | 1u);
    put32(en + 16, 0x8216);
    put32(en + 20, (2u << 16) | (3u << 1));
    add("__substg1.0_00030102", CCK_CFB_STREAM, st, keep(en, sizeof en), sizeof en);
    uint8_t sb[20];
    put32(sb, 16);
    for (int i = 0; i < 8; i++)
        put16(sb + 4 + 2 * i, (uint8_t) "Keywords"[i]);
    add("__substg1.0_00040102", CCK_CFB_STREAM, st, keep(sb, sizeof sb), sizeof sb);
}

static const uint8_t privet[] = {0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2, 0x00}; /* cp1251 */

/* The root of a message with one recipient; `extra` adds entries after the
 * standard ones and nattach attachments are announced in the header. */
static void add_root_message(const uint32_t *extra, size_t nextra, uint32_t nrecip_hdr,
                             uint32_t nattach)
{
    uint32_t ent[64 * 3] = {
        0x0037001F, 20,         0,          /* subject: "Team sync", 18 bytes + 2 */
        0x0070001E, 7,          0,          /* topic in cp1251, stream with its NUL */
        0x0E070003, 17,         0,          /* message flags */
        0x3FFD0003, 1251,       0,          /* message code page */
        0x00390040, 0x89ABCDEF, 0x01D71234, /* client submit time */
        0x40010002, 0xFFFE,     0,          /* an I2 of -2 */
        0x8000000B, 1,          0,          /* (Appointment, 0x8223) recurring */
        0x8001101F, 8,          0,          /* (PS_PUBLIC_STRINGS, "Keywords") */
        0x80020102, 6,          0,          /* (Appointment, 0x8216) recurrence blob */
        0x67001003, 12,         0,          /* MV LONG */
    };
    size_t n = 10;
    if (nextra)
        memcpy(ent + 3 * n, extra, nextra * 3 * sizeof *extra);
    n += nextra;
    NE = 0;
    pooln = 0;
    add("Root Entry", CCK_CFB_ROOT, -1, NULL, 0);
    add_props(0, 32, nrecip_hdr, nattach, ent, n);
    add_utf16("__substg1.0_0037001F", 0, "Team sync", 0);
    add("__substg1.0_0070001E", CCK_CFB_STREAM, 0, privet, sizeof privet);
    uint8_t lens[8];
    put32(lens, 8);
    put32(lens + 4, 10);
    add("__substg1.0_8001101F", CCK_CFB_STREAM, 0, keep(lens, 8), 8);
    add_utf16("__substg1.0_8001101F-00000000", 0, "Red", 1);
    add_utf16("__substg1.0_8001101F-00000001", 0, "Blue", 1);
    static const uint8_t blob[6] = {4, 0x30, 4, 0x30, 0x0A, 0x20};
    add("__substg1.0_80020102", CCK_CFB_STREAM, 0, blob, sizeof blob);
    uint8_t mvl[12];
    put32(mvl, 1);
    put32(mvl + 4, (uint32_t)-2);
    put32(mvl + 8, 3);
    add("__substg1.0_67001003", CCK_CFB_STREAM, 0, keep(mvl, 12), 12);
    add_nameid();
    int r = add_storage("__recip_version1.0_#00000000", 0);
    const uint32_t rent[] = {0x3001001F, 12, 0, 0x0C150003, 1, 0};
    add_props(r, 8, 0, 0, rent, 2);
    add_utf16("__substg1.0_3001001F", r, "Alice", 0);
}

typedef struct opened {
    cck_arena *a;
    cck_msg *m;
    cck_msg_status st;
    const char *why;
    img im;
} opened;

static void open_msg(opened *o)
{
    o->im = build(E, NE, 9);
    o->a = cck_arena_new((size_t)64 << 20);
    o->why = NULL;
    o->st = cck_msg_open(o->im.buf, o->im.len, o->a, &o->m, &o->why);
}

static void close_msg(opened *o)
{
    cck_arena_free(o->a);
    free(o->im.buf);
}

static void dump_problems(const cck_msg *m)
{
    const cck_problems *p = cck_msg_problems(m);
    for (size_t i = 0; i < p->n; i++)
        printf("#     problem %s: %s\n", p->v[i].code, p->v[i].text);
}

/* ---- tests ---- */

static void test_values(void)
{
    add_root_message(NULL, 0, 1, 0);
    opened o;
    open_msg(&o);
    CHECK_EQ_INT(o.st, CCK_MSG_OK);
    if (o.st != CCK_MSG_OK) {
        close_msg(&o);
        return;
    }
    CHECK_EQ_INT(cck_msg_problems(o.m)->n, 0);
    dump_problems(o.m);
    const cck_props *ps = cck_msg_props(o.m);
    CHECK_EQ_INT(ps->n, 10);
    for (size_t i = 1; i < ps->n; i++)
        CHECK(ps->v[i - 1].id < ps->v[i].id);
    const cck_prop *p = cck_props_get(ps, CCK_PID_SUBJECT);
    CHECK(p && p->type == CCK_PT_UNICODE);
    CHECK_EQ_STR(p ? p->str.s : NULL, "Team sync");
    CHECK_EQ_INT(p ? p->binlen : 0, 18);
    /* PT_STRING8 in the message code page 1251, terminator dropped. */
    p = cck_props_get(ps, 0x0070);
    CHECK_EQ_STR(p ? p->str.s : NULL, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
    p = cck_props_get(ps, CCK_PID_MESSAGE_FLAGS);
    CHECK_EQ_INT(p ? p->v.i : -1, 17);
    p = cck_props_get(ps, CCK_PID_CLIENT_SUBMIT_TIME);
    CHECK(p && p->v.ft == 0x01D7123489ABCDEFull);
    p = cck_props_get(ps, 0x4001);
    CHECK_EQ_INT(p ? p->v.i : 0, -2);
    p = cck_props_get(ps, 0x6700);
    CHECK(p && p->type == (CCK_PT_MV | CCK_PT_LONG));
    CHECK_EQ_INT(p ? p->count : 0, 3);
    if (p && p->count == 3) {
        CHECK_EQ_INT(p->mv[0].v.i, 1);
        CHECK_EQ_INT(p->mv[1].v.i, -2);
        CHECK_EQ_INT(p->mv[2].v.i, 3);
        CHECK_EQ_INT(p->mv[1].type, CCK_PT_LONG);
    }
    CHECK(cck_props_get(ps, 0x0038) == NULL);

    /* Named properties by (GUID, LID) and (GUID, name); the GUID matters. */
    p = cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, CCK_LID_RECURRING);
    CHECK(p && p->id == 0x8000 && p->type == CCK_PT_BOOLEAN && p->v.i == 1);
    CHECK(cck_props_get_lid(ps, &CCK_PSETID_MEETING, CCK_LID_RECURRING) == NULL);
    p = cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, CCK_LID_APPT_RECUR);
    CHECK(p && p->id == 0x8002 && p->binlen == 6 && p->bin[1] == 0x30 && p->bin[5] == 0x20);
    p = cck_props_get_name(ps, &CCK_PS_PUBLIC_STRINGS, "Keywords");
    CHECK(p && p->id == 0x8001 && p->type == (CCK_PT_MV | CCK_PT_UNICODE));
    CHECK_EQ_INT(p ? p->count : 0, 2);
    if (p && p->count == 2) {
        CHECK_EQ_STR(p->mv[0].str.s, "Red");
        CHECK_EQ_STR(p->mv[1].str.s, "Blue");
        CHECK_EQ_INT(p->mv[1].str.len, 4);
    }
    CHECK(cck_props_get_name(ps, &CCK_PSETID_APPOINTMENT, "Keywords") == NULL);
    CHECK(cck_props_get_name(ps, &CCK_PS_PUBLIC_STRINGS, "keywords") == NULL);

    /* The map itself. */
    CHECK_EQ_INT(cck_msg_nnamed(o.m), 3);
    const cck_propkey *k = cck_msg_named(o.m, 1);
    CHECK(k && k->is_name && cck_guid_eq(&k->guid, &CCK_PS_PUBLIC_STRINGS));
    CHECK_EQ_STR(k ? k->name : NULL, "Keywords");
    k = cck_msg_named(o.m, 2);
    CHECK(k && !k->is_name && k->lid == 0x8216 && cck_guid_eq(&k->guid, &CCK_PSETID_APPOINTMENT));
    CHECK(cck_msg_named(o.m, 3) == NULL);

    /* The recipient. */
    CHECK_EQ_INT(cck_msg_nrecips(o.m), 1);
    const cck_props *r = cck_msg_recip(o.m, 0);
    CHECK(r != NULL);
    p = r ? cck_props_get(r, CCK_PID_DISPLAY_NAME) : NULL;
    CHECK_EQ_STR(p ? p->str.s : NULL, "Alice");
    p = r ? cck_props_get(r, CCK_PID_RECIPIENT_TYPE) : NULL;
    CHECK_EQ_INT(p ? p->v.i : 0, 1);
    CHECK(cck_msg_recip(o.m, 1) == NULL);
    CHECK_EQ_INT(cck_msg_nattachs(o.m), 0);
    CHECK(cck_msg_attach_msg(o.m, 0) == NULL);
    close_msg(&o);
}

static void test_code_page_fallback(void)
{
    /* Without PidTagMessageCodepage the internet code page decides; without
     * both, 1252. */
    add_root_message(NULL, 0, 1, 0);
    put32((uint8_t *)E[1].data + 32 + 3 * 16, 0x3FDE0003); /* now an internet code page */
    opened o;
    open_msg(&o);
    const cck_prop *p = cck_props_get(cck_msg_props(o.m), 0x0070);
    CHECK_EQ_STR(p ? p->str.s : NULL, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
    close_msg(&o);

    add_root_message(NULL, 0, 1, 0);
    put32((uint8_t *)E[1].data + 32 + 3 * 16, 0x3FF00003); /* some other LONG */
    open_msg(&o);
    p = cck_props_get(cck_msg_props(o.m), 0x0070);
    /* 0xCF 0xF0 0xE8 0xE2 0xE5 0xF2 in Windows-1252. */
    CHECK_EQ_STR(p ? p->str.s : NULL, "\xC3\x8F\xC3\xB0\xC3\xA8\xC3\xA2\xC3\xA5\xC3\xB2");
    close_msg(&o);
}

static void test_problems(void)
{
    const uint32_t extra[] = {
        0x0E070014, 5,    0, /* duplicate id 0x0E07 with another type */
        0x80050003, 1,    0, /* named id outside the map */
        0x1000001F, 10,   0, /* body without its stream */
        0x67010099, 0xAB, 0, /* unknown type */
    };
    add_root_message(extra, 4, 2, 0);
    opened o;
    open_msg(&o);
    CHECK_EQ_INT(o.st, CCK_MSG_OK);
    const cck_problems *pr = cck_msg_problems(o.m);
    CHECK(cck_problems_find(pr, "msg.dup_prop") != NULL);
    const cck_problem *q = cck_problems_find(pr, "msg.named_unresolved");
    CHECK(q && strstr(q->text, "0x8005") != NULL);
    q = cck_problems_find(pr, "msg.missing_stream");
    CHECK(q && strstr(q->text, "__substg1.0_1000001F") != NULL);
    CHECK(cck_problems_find(pr, "msg.unknown_type") != NULL);
    q = cck_problems_find(pr, "msg.count");
    CHECK(q && strstr(q->text, "2 recipients") != NULL);
    const cck_props *ps = cck_msg_props(o.m);
    const cck_prop *p = cck_props_get(ps, CCK_PID_MESSAGE_FLAGS);
    CHECK(p && p->type == CCK_PT_LONG && p->v.i == 17); /* the first one is kept */
    p = cck_props_get(ps, 0x8005);
    CHECK(p && p->key == NULL && p->v.i == 1);
    p = cck_props_get(ps, 0x6701);
    CHECK(p && p->binlen == 8 && p->bin[0] == 0xAB);
    p = cck_props_get(ps, 0x1000);
    CHECK(p && p->str.s == NULL);
    /* The rest still decodes. */
    p = cck_props_get(ps, CCK_PID_SUBJECT);
    CHECK_EQ_STR(p ? p->str.s : NULL, "Team sync");
    close_msg(&o);
}

static void test_not_msg(void)
{
    NE = 0;
    pooln = 0;
    add("Root Entry", CCK_CFB_ROOT, -1, NULL, 0);
    add_utf16("Contents", 0, "hello", 0);
    opened o;
    open_msg(&o);
    CHECK_EQ_INT(o.st, CCK_MSG_NOT_MSG);
    CHECK(o.m == NULL);
    CHECK(o.why && strstr(o.why, "__properties_version1.0") != NULL);
    close_msg(&o);

    static const uint8_t junk[600] = "BEGIN:VCALENDAR";
    cck_arena *a = cck_arena_new(1 << 20);
    cck_msg *m = (cck_msg *)1;
    const char *why = NULL;
    CHECK_EQ_INT(cck_msg_open(junk, sizeof junk, a, &m, &why), CCK_MSG_NOT_CFB);
    CHECK(m == NULL);
    CHECK(why != NULL);
    CHECK_EQ_INT(cck_msg_open(junk, 10, a, &m, NULL), CCK_MSG_NOT_CFB);
    CHECK(strcmp(cck_msg_status_text(CCK_MSG_NOT_CFB), cck_msg_status_text(CCK_MSG_OK)) != 0);
    cck_arena_free(a);
}

/* Adds an attachment storage under `parent` holding an embedded message
 * (method 5) whose subject is `subject`; returns the embedded storage. */
static int add_embedded(int parent, const char *subject, uint32_t nattach)
{
    int at = add_storage("__attach_version1.0_#00000000", parent);
    const uint32_t aent[] = {0x37050003, 5, 0, 0x3701000D, 0xFFFFFFFF, 0};
    add_props(at, 8, 0, 0, aent, 2);
    int em = add_storage("__substg1.0_3701000D", at);
    uint32_t eent[] = {0x0037001F, (uint32_t)(2 * strlen(subject) + 2), 0, 0x8000000B, 0, 0};
    add_props(em, 24, 0, nattach, eent, 2);
    add_utf16("__substg1.0_0037001F", em, subject, 0);
    return em;
}

static void test_embedded(void)
{
    add_root_message(NULL, 0, 1, 1);
    add_embedded(0, "Inner", 0);
    opened o;
    open_msg(&o);
    CHECK_EQ_INT(o.st, CCK_MSG_OK);
    if (o.st != CCK_MSG_OK) {
        close_msg(&o);
        return;
    }
    CHECK_EQ_INT(cck_msg_problems(o.m)->n, 0);
    dump_problems(o.m);
    CHECK_EQ_INT(cck_msg_nattachs(o.m), 1);
    const cck_props *a = cck_msg_attach(o.m, 0);
    const cck_prop *p = a ? cck_props_get(a, CCK_PID_ATTACH_METHOD) : NULL;
    CHECK_EQ_INT(p ? p->v.i : 0, 5);
    const cck_msg *in = cck_msg_attach_msg(o.m, 0);
    CHECK(in != NULL);
    if (in) {
        p = cck_props_get(cck_msg_props(in), CCK_PID_SUBJECT);
        CHECK_EQ_STR(p ? p->str.s : NULL, "Inner");
        /* Named ids of the embedded message resolve through the top-level map. */
        p = cck_props_get_lid(cck_msg_props(in), &CCK_PSETID_APPOINTMENT, CCK_LID_RECURRING);
        CHECK(p && p->v.i == 0);
        CHECK_EQ_INT(cck_msg_nnamed(in), 3);
        CHECK_EQ_INT(cck_msg_problems(in)->n, 0);
    }
    close_msg(&o);
}

static void test_depth_limit(void)
{
    add_root_message(NULL, 0, 1, 1);
    int parent = 0;
    for (int d = 1; d <= CCK_MSG_MAX_DEPTH + 1; d++)
        parent = add_embedded(parent, "Nested", d <= CCK_MSG_MAX_DEPTH ? 1 : 0);
    opened o;
    open_msg(&o);
    CHECK_EQ_INT(o.st, CCK_MSG_OK);
    const cck_msg *m = o.m;
    int depth = 0;
    while (m && cck_msg_nattachs(m) > 0 && cck_msg_attach_msg(m, 0)) {
        m = cck_msg_attach_msg(m, 0);
        depth++;
    }
    CHECK_EQ_INT(depth, CCK_MSG_MAX_DEPTH);
    CHECK(m && cck_msg_nattachs(m) == 1);
    CHECK(m && cck_problems_find(cck_msg_problems(m), "msg.depth") != NULL);
    close_msg(&o);
}

/* A message assembled through the builder (as the PST source does) reads
 * like a decoded one: sorted lookups, named keys, recipients, attachments,
 * embedded messages and damage reasons. */
static void test_builder(void)
{
    cck_arena *a = cck_arena_new((size_t)1 << 20);
    cck_msg *m = cck_msg_new(a);
    CHECK(m != NULL);
    if (!m) {
        cck_arena_free(a);
        return;
    }
    static const cck_propkey start = {{{0}}, false, 0x820D, NULL};
    cck_propkey *key = cck_arena_calloc(a, 1, sizeof *key);
    *key = start;
    key->guid = CCK_PSETID_APPOINTMENT;
    cck_prop *v = cck_arena_calloc(a, 3, sizeof *v);
    v[0].id = 0x8003; /* out of order on purpose */
    v[0].type = CCK_PT_SYSTIME;
    v[0].key = key;
    v[0].v.ft = 42;
    v[1].id = CCK_PID_SUBJECT;
    v[1].type = CCK_PT_UNICODE;
    v[1].str.s = "Built";
    v[1].str.len = 5;
    v[2].id = CCK_PID_MESSAGE_CLASS;
    v[2].type = CCK_PT_UNICODE;
    v[2].str.s = "IPM.Appointment";
    v[2].str.len = 15;
    CHECK_EQ_INT(cck_msg_set_props(m, v, 3), 0);
    const cck_props *ps = cck_msg_props(m);
    CHECK(ps->v[0].id == CCK_PID_MESSAGE_CLASS && ps->v[2].id == 0x8003);
    const cck_prop *p = cck_props_get(ps, CCK_PID_SUBJECT);
    CHECK(p && strcmp(p->str.s, "Built") == 0);
    p = cck_props_get_lid(ps, &CCK_PSETID_APPOINTMENT, 0x820D);
    CHECK(p && p->v.ft == 42);
    CHECK(cck_props_get_lid(ps, &CCK_PSETID_MEETING, 0x820D) == NULL);
    for (int i = 0; i < 9; i++) /* past the first growth */
        CHECK_EQ_INT(cck_msg_add_recip(m, NULL, 0, i == 7 ? "no property stream" : NULL), 0);
    cck_msg *sub = cck_msg_new(a);
    CHECK_EQ_INT(cck_msg_add_attach(m, NULL, 0, sub, NULL), 0);
    CHECK_EQ_INT(cck_msg_add_attach(m, NULL, 0, NULL, "unreadable"), 0);
    CHECK_EQ_INT(cck_msg_nrecips(m), 9);
    CHECK_EQ_STR(cck_msg_recip_damage(m, 7), "no property stream");
    CHECK(cck_msg_recip_damage(m, 6) == NULL);
    CHECK_EQ_INT(cck_msg_nattachs(m), 2);
    CHECK(cck_msg_attach_msg(m, 0) == sub && cck_msg_attach_msg(m, 1) == NULL);
    CHECK_EQ_STR(cck_msg_attach_damage(m, 1), "unreadable");
    CHECK_EQ_INT(cck_msg_nnamed(m), 0);
    cck_problems_add(cck_msg_problems_mut(m), CCK_SEV_ERROR, "pst.x", 0, "x");
    CHECK_EQ_INT(cck_msg_problems(m)->n, 1);
    cck_arena_free(a);
}

int main(void)
{
    RUN(test_builder);
    RUN(test_values);
    RUN(test_code_page_fallback);
    RUN(test_problems);
    RUN(test_not_msg);
    RUN(test_embedded);
    RUN(test_depth_limit);
    return unit_done();
}
