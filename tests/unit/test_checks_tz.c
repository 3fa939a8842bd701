/* test_checks_tz.c - the time-zone detectors: CalCheck 0027 and 0055, and the
 * TZDEFINITION / TZREG structure checks 0140-0149 ([MS-OXOCAL] 2.2.1.39,
 * 2.2.1.41), on items whose three definitions and TZREG are built field by
 * field and decoded by the real parsers; each check triggered, with a near
 * miss. */
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "checks_fx.h"
#include "mapi/tz.h"

void cck_chk_tzdef_start(const cck_item *it, cck_ctx *ctx);
void cck_chk_tzdef_recur(const cck_item *it, cck_ctx *ctx);
void cck_chk_tz_struct(const cck_item *it, cck_ctx *ctx);

static void b_st(blob *b, uint16_t mo, uint16_t dow, uint16_t d, uint16_t h)
{
    b_u16(b, 0);
    b_u16(b, mo);
    b_u16(b, dow);
    b_u16(b, d);
    b_u16(b, h);
    b_u16(b, 0);
    b_u16(b, 0);
    b_u16(b, 0);
}

/* W. Europe: UTC+1, DST from the last Sunday of March 02:00 to the last
 * Sunday of October 03:00. */
static void build_tzreg(blob *b)
{
    memset(b, 0, sizeof *b);
    b_u32(b, (uint32_t)-60);
    b_u32(b, 0);
    b_u32(b, (uint32_t)-60);
    b_u16(b, 0);
    b_st(b, 10, 0, 5, 3);
    b_u16(b, 0);
    b_st(b, 3, 0, 5, 2);
}

typedef struct toffs {
    size_t cbheader, cch, crules, rule0, rule1;
} toffs;

static void b_rule(blob *b, uint16_t flags, uint16_t year)
{
    b_u8(b, 2);
    b_u8(b, 1);
    b_u16(b, 0x3E);
    b_u16(b, flags);
    b_u16(b, year);
    for (int i = 0; i < 14; i++)
        b_u8(b, 0);
    b_u32(b, (uint32_t)-60);
    b_u32(b, 0);
    b_u32(b, (uint32_t)-60);
    b_st(b, 10, 0, 5, 3);
    b_st(b, 3, 0, 5, 2);
}

static void build_tzdef(blob *b, toffs *o, const char *key)
{
    memset(b, 0, sizeof *b);
    b_u8(b, 2);
    b_u8(b, 1);
    o->cbheader = b_u16(b, (uint16_t)(6 + 2 * strlen(key)));
    b_u16(b, 0x0002);
    o->cch = b_u16(b, (uint16_t)strlen(key));
    b_utf16(b, key);
    o->crules = b_u16(b, 2);
    o->rule0 = b->n;
    b_rule(b, 0, 1601);
    o->rule1 = b->n;
    b_rule(b, 2, 2007); /* TZRULE_FLAG_EFFECTIVE_TZREG */
}

static blob bstart, bend, brecur, breg;
static toffs ostart, oend, orecur;

/* Every blob well-formed: "W. Europe Standard Time" everywhere. */
static void build_all(void)
{
    build_tzdef(&bstart, &ostart, "W. Europe Standard Time");
    build_tzdef(&bend, &oend, "W. Europe Standard Time");
    build_tzdef(&brecur, &orecur, "W. Europe Standard Time");
    build_tzreg(&breg);
}

static void set_def(cck_ftzdef *f, const blob *b)
{
    f->raw = (cck_fbin){CCK_PRESENT, b->b, b->n};
    cck_problems_init(&f->problems, fx_blobs);
    f->v = b->n ? cck_tzdef_parse(b->b, b->n, fx_blobs, &f->problems) : NULL;
}

/* A recurring item carrying the four blobs. */
static void item_of(cck_item *it, bool recurring)
{
    cck_arena_reset(fx_blobs);
    memset(it, 0, sizeof *it);
    it->recurring = (cck_fbool){CCK_PRESENT, recurring};
    set_def(&it->tzdef_start, &bstart);
    set_def(&it->tzdef_end, &bend);
    set_def(&it->tzdef_recur, &brecur);
    it->tzreg.raw = (cck_fbin){CCK_PRESENT, breg.b, breg.n};
    cck_problems_init(&it->tzreg.problems, fx_blobs);
    it->tzreg.v = breg.n ? cck_tzreg_parse(breg.b, breg.n, fx_blobs, &it->tzreg.problems) : NULL;
}

static void test_clean_is_quiet(void)
{
    cck_item it;
    build_all();
    item_of(&it, true);
    CHECK_EQ_INT(it.tzdef_recur.problems.n, 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_tzdef_start, &it), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_tzdef_recur, &it), 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_tz_struct, &it), 0);
}

static void test_0027(void)
{
    cck_item it;
    build_all();
    item_of(&it, true);
    it.tzdef_start.raw.has = CCK_ABSENT;
    it.tzdef_start.v = NULL;
    CHECK_EQ_INT(fx_run_show(cck_chk_tzdef_start, &it), 1);
    CHECK(fx_find(27) != NULL);
    /* near miss: a single item needs no start definition */
    it.recurring.v = false;
    CHECK_EQ_INT(fx_run_show(cck_chk_tzdef_start, &it), 0);
}

static void test_0055(void)
{
    cck_item it;
    build_all();
    brecur.n = 30; /* cut inside the key name */
    item_of(&it, true);
    CHECK_EQ_INT(fx_run_show(cck_chk_tzdef_recur, &it), 1);
    CHECK(strstr(fx_text(55), "of 30 bytes: TZDEFINITION ends inside KeyName"));
    /* the same on a single item is 0141, not 0055 */
    item_of(&it, false);
    CHECK_EQ_INT(fx_run_show(cck_chk_tzdef_recur, &it), 0);
    fx_run_show(cck_chk_tz_struct, &it);
    CHECK(strstr(fx_text(141), "PidLidAppointmentTimeZoneDefinitionRecur of 30"));

    /* the empty key name in the recurrence definition of a recurring item */
    build_tzdef(&brecur, &orecur, "");
    item_of(&it, true);
    CHECK_EQ_INT(fx_run_show(cck_chk_tzdef_recur, &it), 1);
    CHECK(strstr(fx_text(55), "empty key name"));
    /* ... which 0140 leaves to 0055 */
    CHECK_EQ_INT(fx_run_show(cck_chk_tz_struct, &it), 0);

    /* near miss: absent is not unparsable */
    build_all();
    item_of(&it, true);
    it.tzdef_recur.raw.has = CCK_ABSENT;
    it.tzdef_recur.v = NULL;
    CHECK_EQ_INT(fx_run_show(cck_chk_tzdef_recur, &it), 0);
}

static void test_0140_empty_keyname_everywhere(void)
{
    cck_item it;
    build_all();
    build_tzdef(&bstart, &ostart, "");
    build_tzdef(&bend, &oend, "");
    item_of(&it, true);
    CHECK_EQ_INT(fx_run_show(cck_chk_tz_struct, &it), 2);
    CHECK(strncmp(fx_text(140),
                  "PidLidAppointmentTimeZoneDefinitionStartDisplay: "
                  "cchKeyName 0",
                  60) == 0);
    /* on a single item, the recurrence definition's empty key name too */
    build_all();
    build_tzdef(&brecur, &orecur, "");
    item_of(&it, false);
    CHECK_EQ_INT(fx_run_show(cck_chk_tz_struct, &it), 1);
    CHECK(strstr(fx_text(140), "DefinitionRecur: cchKeyName 0"));
}

/* One mutation per structure check. */
static void expect(int id)
{
    cck_item it;
    item_of(&it, true);
    fx_run_show(cck_chk_tz_struct, &it);
    if (!fx_find(id))
        printf("#   expected check %04d\n", id);
    CHECK(fx_find(id) != NULL);
}

static void test_structure(void)
{
    build_all(), bend.n = 0, expect(141);
    build_all(), bstart.b[0] = 3, expect(141);
    build_all(), put_u16(&bstart, ostart.cbheader, 7), expect(142);
    build_all(), put_u16(&bend, oend.crules, 0), bend.n = oend.crules + 2, expect(143);
    build_all(), put_u16(&bstart, ostart.rule1 + 4, 0), expect(144);
    build_all(), put_u16(&bstart, ostart.rule0 + 2, 0x40), expect(145);
    build_all(), put_u16(&bend, oend.rule1 + 34 + 2, 13), expect(146);
    build_all(), breg.n = 20, expect(148);
    build_all(), breg.n = 0, expect(148);
    build_all(), put_u16(&breg, 14 + 2, 13), expect(148);
    build_all(), b_u32(&bstart, 0), expect(149);
    build_all(), put_u16(&bstart, ostart.rule0 + 4, 2), expect(149); /* two effective */

    /* near miss: the key name may differ between definitions */
    cck_item it;
    build_all();
    build_tzdef(&bend, &oend, "Romance Standard Time");
    item_of(&it, true);
    CHECK_EQ_INT(fx_run_show(cck_chk_tz_struct, &it), 0);
}

static void test_0147_tzreg_mismatch(void)
{
    cck_item it;
    build_all();
    put_u32(&breg, 0, (uint32_t)-120); /* lBias: UTC+2 */
    item_of(&it, true);
    CHECK_EQ_INT(fx_run_show(cck_chk_tz_struct, &it), 1);
    CHECK_EQ_STR(fx_text(147), "PidLidTimeZoneStruct biases -120/0/-60 differ from the effective "
                               "rule (wYear 2007) of PidLidAppointmentTimeZoneDefinitionRecur "
                               "-60/0/-60");
    build_all();
    put_u16(&breg, 32 + 2, 4); /* daylight from April */
    item_of(&it, true);
    CHECK_EQ_INT(fx_run_show(cck_chk_tz_struct, &it), 1);
    CHECK(strstr(fx_text(147), "daylight start"));
    /* near miss: a single item's TZREG is not compared */
    item_of(&it, false);
    CHECK_EQ_INT(fx_run_show(cck_chk_tz_struct, &it), 0);
}

int main(void)
{
    fx_setup();
    RUN(test_clean_is_quiet);
    RUN(test_0027);
    RUN(test_0055);
    RUN(test_0140_empty_keyname_everywhere);
    RUN(test_structure);
    RUN(test_0147_tzreg_mismatch);
    fx_teardown();
    return unit_done();
}
