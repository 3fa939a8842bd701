/* test_checks_recur.c - the recurrence detectors (CalCheck 0001-0015, 0026 and
 * the structure checks 0100-0117) on items whose PidLidAppointmentRecur is
 * built field by field ([MS-OXOCAL] 2.2.1.44.5), decoded by the real parser
 * and then mutated one field at a time: each check is triggered, and a near
 * miss shows it stays quiet. */
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "checks_fx.h"
#include "mapi/recur.h"

void cck_chk_recur_bounds(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_blob(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_type(const cck_item *it, cck_ctx *ctx);
void cck_chk_exception_data(const cck_item *it, cck_ctx *ctx);
void cck_chk_exception_bounds(const cck_item *it, cck_ctx *ctx);
void cck_chk_recurring_prop(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_struct(const cck_item *it, cck_ctx *ctx);

static uint32_t day(int y, int m, int d)
{
    return (uint32_t)(cck_days1601_from_civil(y, m, d) * 1440);
}

/* ---- the blob ------------------------------------------------------------- */

typedef struct offs {
    size_t reader, ptype, caltype, period, specific, endtype, occ, firstdow;
    size_t deldates, start, end, rv2, sto, eto;
    size_t e1, e1_end, e1_orig, e1_subjlen, e1_subj, e1_loclen, e1_loc, e2, e2_end, e2_orig;
    size_t ee1_start, rb2;
} offs;

typedef struct knobs {
    bool extra_date;          /* 04-06 deleted and modified, with no ExceptionInfo */
    const char *wide_subject; /* NULL: "Moved" */
} knobs;

/* Weekly on Mondays 09:00-09:30 from 2026-03-02, 10 occurrences (to 05-04).
 * 03-16 moved to 10:00 with a new subject and location; 03-30 busy status
 * changed. WriterVersion2 0x3009 (ExtendedException with ChangeHighlight). */
static void build(blob *b, offs *o, const knobs *k)
{
    memset(b, 0, sizeof *b);
    o->reader = b_u16(b, 0x3004);
    b_u16(b, 0x3004);
    b_u16(b, 0x200B);
    o->ptype = b_u16(b, 0x0001);
    o->caltype = b_u16(b, 0x0000);
    b_u32(b, 8640);
    o->period = b_u32(b, 1);
    b_u32(b, 0);
    o->specific = b_u32(b, 0x02);
    o->endtype = b_u32(b, 0x2022);
    o->occ = b_u32(b, 10);
    o->firstdow = b_u32(b, 0);
    bool x = k && k->extra_date;
    b_u32(b, x ? 3 : 2);
    o->deldates = b_u32(b, day(2026, 3, 16));
    b_u32(b, day(2026, 3, 30));
    if (x)
        b_u32(b, day(2026, 4, 6));
    b_u32(b, x ? 3 : 2);
    b_u32(b, day(2026, 3, 16));
    b_u32(b, day(2026, 3, 30));
    if (x)
        b_u32(b, day(2026, 4, 6));
    o->start = b_u32(b, day(2026, 3, 2));
    o->end = b_u32(b, day(2026, 5, 4));
    o->rv2 = b_u32(b, 0x3006);
    b_u32(b, 0x3009);
    o->sto = b_u32(b, 540);
    o->eto = b_u32(b, 570);
    b_u16(b, 2);
    o->e1 = b_u32(b, day(2026, 3, 16) + 600);
    o->e1_end = b_u32(b, day(2026, 3, 16) + 630);
    o->e1_orig = b_u32(b, day(2026, 3, 16) + 540);
    b_u16(b, 0x0011);
    o->e1_subjlen = b_u16(b, 6);
    b_u16(b, 5);
    o->e1_subj = b_bytes(b, "Moved", 5);
    o->e1_loclen = b_u16(b, 7);
    b_u16(b, 6);
    o->e1_loc = b_bytes(b, "Room 1", 6);
    o->e2 = b_u32(b, day(2026, 3, 30) + 540);
    o->e2_end = b_u32(b, day(2026, 3, 30) + 570);
    o->e2_orig = b_u32(b, day(2026, 3, 30) + 540);
    b_u16(b, 0x0020);
    b_u32(b, 3);
    b_u32(b, 0); /* ReservedBlock1Size */
    b_u32(b, 4);
    b_u32(b, 0);
    b_u32(b, 0);
    o->ee1_start = b_u32(b, day(2026, 3, 16) + 600);
    b_u32(b, day(2026, 3, 16) + 630);
    b_u32(b, day(2026, 3, 16) + 540);
    const char *ws = k && k->wide_subject ? k->wide_subject : "Moved";
    b_u16(b, (uint16_t)strlen(ws));
    b_utf16(b, ws);
    b_u16(b, 6);
    b_utf16(b, "Room 1");
    b_u32(b, 0);
    b_u32(b, 4);
    b_u32(b, 0);
    b_u32(b, 0);
    o->rb2 = b_u32(b, 0);
}

/* A recurring weekly appointment carrying blob `b`. */
static void item_of(cck_item *it, const blob *b)
{
    cck_arena_reset(fx_blobs);
    memset(it, 0, sizeof *it);
    it->message_class = (cck_fstr){CCK_PRESENT, "IPM.Appointment", 15};
    it->recurring = (cck_fbool){CCK_PRESENT, true};
    it->recurrence_type = (cck_fint){CCK_PRESENT, 2};
    it->recur.raw = (cck_fbin){CCK_PRESENT, b->b, b->n};
    cck_problems_init(&it->recur.problems, fx_blobs);
    if (b->n)
        it->recur.v = cck_apptrecur_parse(b->b, b->n, fx_blobs, &it->recur.problems);
}

/* ---- tests ----------------------------------------------------------------- */

static void test_clean_series_is_quiet(void)
{
    blob b;
    offs o;
    cck_item it;
    build(&b, &o, NULL);
    item_of(&it, &b);
    CHECK(it.recur.v && it.recur.v->complete);
    CHECK_EQ_INT(it.recur.problems.n, 0);
    cck_item_fn fns[] = {cck_chk_recur_bounds,   cck_chk_recur_blob,       cck_chk_recur_type,
                         cck_chk_exception_data, cck_chk_exception_bounds, cck_chk_recurring_prop,
                         cck_chk_recur_struct};
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        CHECK_EQ_INT(fx_run_show(fns[i], &it), 0);
}

static void test_series_start_bounds(void)
{
    blob b;
    offs o;
    cck_item it;
    build(&b, &o, NULL);
    put_u32(&b, o.start, 0);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 1);
    CHECK_EQ_STR(fx_text(1), "series start 1601-01-01T09:00 (StartDate 0) is zero");

    put_u32(&b, o.start, day(1990, 1, 1));
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 1);
    CHECK_EQ_STR(fx_text(2), "series start 1990-01-01T09:00 is before the low bound 1995-01-01 "
                             "00:00:00 UTC");

    /* near miss: just after the low bound */
    put_u32(&b, o.start, day(1995, 1, 2));
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 0);

    /* after the high bound (now 2026-11-25 + 10 years): start and end both */
    put_u32(&b, o.start, day(2040, 1, 2));
    put_u32(&b, o.end, day(2040, 3, 5));
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 2);
    CHECK(fx_find(3) != NULL);
    CHECK(fx_find(7) != NULL);

    /* past 4501: the error wins over the high-bound warning */
    put_u32(&b, o.start, day(4600, 1, 1));
    put_u32(&b, o.end, day(4600, 3, 1));
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 2);
    CHECK_EQ_STR(fx_text(4), "series start 4600-01-01T09:00 is after 4501-01-01 00:00:00 UTC");
    CHECK(fx_find(8) != NULL);
    CHECK(!fx_find(3) && !fx_find(7));
}

static void test_series_end_bounds(void)
{
    blob b;
    offs o;
    cck_item it;
    build(&b, &o, NULL);
    put_u32(&b, o.end, 0);
    item_of(&it, &b);
    fx_run_show(cck_chk_recur_bounds, &it);
    CHECK_EQ_STR(fx_text(5), "series end 1601-01-01T09:30 (EndDate 0) is zero");
    CHECK_EQ_INT(fx_count(5), 1);

    put_u32(&b, o.start, day(1990, 1, 1));
    put_u32(&b, o.end, day(1990, 3, 5));
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 2);
    CHECK(fx_find(2) && fx_find(6));

    /* a series that never ends: the 4500-12-31 sentinel (+ EndTimeOffset
     * 570 would pass 4501) is not judged */
    build(&b, &o, NULL);
    put_u32(&b, o.endtype, 0x2023);
    put_u32(&b, o.end, CCK_RECUR_NO_END_DATE);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 0);
    put_u32(&b, o.endtype, 0xFFFFFFFFu);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 0);

    /* never ends with a far EndDate: no high-bound warning; with an end: one */
    put_u32(&b, o.endtype, 0x2023);
    put_u32(&b, o.end, day(2040, 3, 5));
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 0);
    put_u32(&b, o.endtype, 0x2021);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_bounds, &it), 1);
    CHECK_EQ_STR(fx_text(7), "series end 2040-03-05T09:30 is after the high bound 2036-11-24 "
                             "12:00:00 UTC");
}

static void test_recur_blob(void)
{
    blob b;
    offs o;
    cck_item it;
    build(&b, &o, NULL);

    /* 0012: recurring, no blob; near miss: not recurring, no blob */
    item_of(&it, &b);
    it.recur.raw.has = CCK_ABSENT;
    it.recur.v = NULL;
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_blob, &it), 1);
    CHECK(fx_find(12) != NULL);
    it.recurring.v = false;
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_blob, &it), 0);

    /* 0010: present and empty */
    blob empty = {.n = 0};
    item_of(&it, &empty);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_blob, &it), 1);
    CHECK_EQ_STR(fx_text(10), "PidLidAppointmentRecur has 0 bytes");

    /* 0009: cut short inside the pattern, and after it */
    b.n = 30;
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_blob, &it), 1);
    CHECK(strstr(fx_text(9), "30 bytes is cut short: blob ends inside"));
    build(&b, &o, NULL);
    b.n -= 6;
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_blob, &it), 1);
    CHECK(fx_find(9) != NULL);

    /* 0009: an undefined PatternType hides the rest */
    build(&b, &o, NULL);
    put_u16(&b, o.ptype, 0x0009);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_blob, &it), 1);
    CHECK(strstr(fx_text(9), "cannot be decoded past byte"));

    /* near miss: a complete blob with a wrong version is 0100, not 0009 */
    build(&b, &o, NULL);
    put_u16(&b, o.reader, 0x3005);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_blob, &it), 0);
}

static void test_recur_type(void)
{
    blob b;
    offs o;
    cck_item it;
    build(&b, &o, NULL);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_type, &it), 0);

    it.recurrence_type.v = 0;
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_type, &it), 1);
    CHECK(fx_find(11) != NULL);

    it.recurrence_type.v = 3; /* monthly, but the blob is weekly */
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_type, &it), 1);
    CHECK_EQ_STR(fx_text(11),
                 "PidLidRecurrenceType 3 disagrees with RecurFrequency 0x200B (Weekly)");

    it.recurrence_type.v = 9;
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_type, &it), 1);
    CHECK_EQ_STR(fx_text(11), "PidLidRecurrenceType 9 is not a defined type (0-6)");

    /* a single item that says it recurs weekly */
    memset(&it, 0, sizeof it);
    it.recurring = (cck_fbool){CCK_PRESENT, false};
    it.recurrence_type = (cck_fint){CCK_PRESENT, 2};
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_type, &it), 1);
    CHECK(fx_find(11) != NULL);
    /* near miss: a single item of type 0 */
    it.recurrence_type.v = 0;
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_type, &it), 0);
}

static void test_exception_data(void)
{
    blob b;
    offs o;
    cck_item it;
    build(&b, &o, NULL);
    put_u16(&b, o.e1_subjlen, 7);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_exception_data, &it), 1);
    CHECK_EQ_STR(fx_text(13), "ExceptionInfo[0] SubjectLength 7 is not SubjectLength2 5 + 1");

    build(&b, &o, NULL);
    b.b[o.e1_loc + 4] = 0;
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_exception_data, &it), 1);
    CHECK_EQ_STR(fx_text(13), "ExceptionInfo[0] Location holds a NUL at byte 4 of 6");

    /* cut inside the subject: the string is shorter than SubjectLength2 */
    build(&b, &o, NULL);
    b.n = o.e1_subj + 2;
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_exception_data, &it), 1);
    CHECK_EQ_STR(fx_text(13), "ExceptionInfo[0] Subject holds 0 of its SubjectLength2 5 bytes");

    /* near miss: an item that is not recurring is not looked at */
    build(&b, &o, NULL);
    put_u16(&b, o.e1_subjlen, 7);
    item_of(&it, &b);
    it.recurring.v = false;
    CHECK_EQ_INT(fx_run_show(cck_chk_exception_data, &it), 0);
}

static void test_exception_bounds(void)
{
    blob b;
    offs o;
    cck_item it;
    build(&b, &o, NULL);
    put_u32(&b, o.e1_orig, day(2026, 2, 23) + 540);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_exception_bounds, &it), 1);
    CHECK_EQ_STR(fx_text(14), "ExceptionInfo[0] OriginalStartDate 2026-02-23T09:00 is before "
                              "StartDate 2026-03-02T00:00");

    build(&b, &o, NULL);
    put_u32(&b, o.e2_orig, day(2026, 5, 11) + 540);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_exception_bounds, &it), 1);
    CHECK(strstr(fx_text(15), "ExceptionInfo[1] OriginalStartDate 2026-05-11T09:00"));

    /* near misses: on the last day; or the series never ends */
    put_u32(&b, o.e2_orig, day(2026, 5, 4) + 540);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_exception_bounds, &it), 0);
    put_u32(&b, o.e2_orig, day(2026, 5, 11) + 540);
    put_u32(&b, o.endtype, 0x2023);
    put_u32(&b, o.end, CCK_RECUR_NO_END_DATE);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_exception_bounds, &it), 0);
}

static void test_recurring_prop(void)
{
    cck_item it;
    memset(&it, 0, sizeof it);
    it.message_class = (cck_fstr){CCK_PRESENT, "IPM.Appointment", 15};
    CHECK_EQ_INT(fx_run_show(cck_chk_recurring_prop, &it), 1);
    CHECK_EQ_STR(fx_text(26), "PidLidRecurring is missing (message class IPM.Appointment)");
    it.message_class = (cck_fstr){CCK_PRESENT, "ipm.appointment.Custom", 22};
    CHECK_EQ_INT(fx_run_show(cck_chk_recurring_prop, &it), 1);
    it.recurring.has = CCK_BADTYPE;
    CHECK_EQ_INT(fx_run_show(cck_chk_recurring_prop, &it), 1);
    /* near misses */
    it.recurring = (cck_fbool){CCK_PRESENT, false};
    CHECK_EQ_INT(fx_run_show(cck_chk_recurring_prop, &it), 0);
    it.recurring.has = CCK_ABSENT;
    it.message_class = (cck_fstr){CCK_PRESENT, "IPM.Appointments", 16};
    CHECK_EQ_INT(fx_run_show(cck_chk_recurring_prop, &it), 0);
    it.message_class = (cck_fstr){CCK_PRESENT, "IPM.Note", 8};
    CHECK_EQ_INT(fx_run_show(cck_chk_recurring_prop, &it), 0);
}

/* One mutation per structure check: the blob, patched, must raise `id`. */
static void expect_struct(const blob *b, int id)
{
    cck_item it;
    item_of(&it, b);
    fx_run_show(cck_chk_recur_struct, &it);
    if (!fx_find(id)) {
        printf("#   expected check %04d\n", id);
        CHECK(fx_find(id) != NULL);
    }
    CHECK(fx_count(id) <= 1);
}

static void test_structure(void)
{
    blob b;
    offs o;
    knobs k = {0};
    build(&b, &o, NULL), put_u16(&b, o.reader, 0x3005), expect_struct(&b, 100);
    build(&b, &o, NULL), put_u32(&b, o.rv2, 0x3005), expect_struct(&b, 100);
    build(&b, &o, NULL), b_u32(&b, 0), expect_struct(&b, 101);
    build(&b, &o, NULL), put_u16(&b, o.caltype, 0x0099), expect_struct(&b, 102);
    build(&b, &o, NULL), put_u16(&b, o.ptype, 0x0002), expect_struct(&b, 102);
    build(&b, &o, NULL), put_u32(&b, o.specific, 0), expect_struct(&b, 103);
    build(&b, &o, NULL), put_u32(&b, o.firstdow, 9), expect_struct(&b, 103);
    build(&b, &o, NULL), put_u32(&b, o.period, 0), expect_struct(&b, 104);
    build(&b, &o, NULL), put_u32(&b, o.endtype, 0x2023), expect_struct(&b, 105);
    build(&b, &o, NULL), put_u32(&b, o.occ, 0), expect_struct(&b, 105);
    build(&b, &o, NULL), put_u32(&b, o.start, day(2026, 6, 1)), expect_struct(&b, 106);
    build(&b, &o, NULL), put_u32(&b, o.sto, 1500), expect_struct(&b, 107);
    build(&b, &o, NULL), put_u32(&b, o.deldates, day(2026, 4, 6)), expect_struct(&b, 108);
    build(&b, &o, NULL), put_u32(&b, o.start, day(2026, 3, 2) + 5), expect_struct(&b, 109);
    build(&b, &o, NULL), put_u32(&b, o.deldates, day(2026, 3, 9)), expect_struct(&b, 110);
    k.extra_date = true;
    build(&b, &o, &k), expect_struct(&b, 111);
    k.extra_date = false;
    build(&b, &o, NULL), put_u32(&b, o.e1_end, day(2026, 3, 16) + 500), expect_struct(&b, 112);
    build(&b, &o, NULL), put_u32(&b, o.e2_orig, day(2026, 3, 16) + 540), expect_struct(&b, 113);
    build(&b, &o, NULL), put_u32(&b, o.e2, day(2026, 3, 31) + 540),
        put_u32(&b, o.e2_end, day(2026, 3, 31) + 570), expect_struct(&b, 114);
    build(&b, &o, NULL), put_u32(&b, o.ee1_start, day(2026, 3, 16) + 660), expect_struct(&b, 115);
    k.wide_subject = "Moved!";
    build(&b, &o, &k), expect_struct(&b, 116);
    build(&b, &o, NULL), put_u32(&b, o.rb2, 4), b_u32(&b, 0), expect_struct(&b, 117);

    /* the subject codes belong to 0013 and truncation to 0009: not here */
    cck_item it;
    build(&b, &o, NULL), put_u16(&b, o.e1_subjlen, 7), item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_struct, &it), 0);
    build(&b, &o, NULL), b.n -= 6, item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_struct, &it), 0);
    /* near miss: the same broken blob on an item flagged not recurring */
    build(&b, &o, NULL), put_u16(&b, o.reader, 0x3005), item_of(&it, &b);
    it.recurring.v = false;
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_struct, &it), 0);
}

/* Several problems of one group give one finding that counts the rest. */
static void test_structure_groups(void)
{
    blob b;
    offs o;
    cck_item it;
    build(&b, &o, NULL);
    put_u16(&b, o.reader, 0x3005);
    put_u32(&b, o.rv2, 0x3007);
    item_of(&it, &b);
    CHECK_EQ_INT(fx_run_show(cck_chk_recur_struct, &it), 1);
    CHECK_EQ_STR(fx_text(100), "ReaderVersion 0x3005 is not 0x3004 (and 1 more)");
}

int main(void)
{
    fx_setup();
    RUN(test_clean_series_is_quiet);
    RUN(test_series_start_bounds);
    RUN(test_series_end_bounds);
    RUN(test_recur_blob);
    RUN(test_recur_type);
    RUN(test_exception_data);
    RUN(test_exception_bounds);
    RUN(test_recurring_prop);
    RUN(test_structure);
    RUN(test_structure_groups);
    fx_teardown();
    return unit_done();
}
