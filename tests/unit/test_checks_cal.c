/* test_checks_cal.c - the local free/busy message: extraction of months,
 * booking settings and delegates with their presence (cck_freebusy_read in
 * sources/pst.c, shared by PST/OST and .msg folders) and the calendar-level
 * checks 0301 (0 months) and 0302 (delegate lists of different lengths). */
#include <stdio.h>

#include "checks_fx.h"
#include "sources/pst.h"

void cck_cal_freebusy_months(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);
void cck_cal_delegate_flags(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);

static cck_prop fx_str(const char *s)
{
    cck_prop p;
    memset(&p, 0, sizeof p);
    p.type = CCK_PT_UNICODE;
    p.str.s = s;
    p.str.len = strlen(s);
    return p;
}

static void test_read(void)
{
    cck_arena *a = cck_arena_new(1 << 20);
    cck_prop names[2] = {fx_str("Ada Lovelace"), fx_str("Alan Turing")};
    cck_prop flags[2];
    memset(flags, 0, sizeof flags);
    flags[0].type = flags[1].type = CCK_PT_LONG;
    flags[0].v.i = 1;
    cck_prop v[6];
    memset(v, 0, sizeof v);
    v[0].id = 0x686B; /* flags before names: any order */
    v[0].type = CCK_PT_MV | CCK_PT_LONG;
    v[0].count = 2;
    v[0].mv = flags;
    v[1].id = 0x6844;
    v[1].type = CCK_PT_MV | CCK_PT_UNICODE;
    v[1].count = 2;
    v[1].mv = names;
    v[2].id = 0x6869;
    v[2].type = CCK_PT_LONG;
    v[2].v.i = 3;
    v[3].id = 0x686D;
    v[3].type = CCK_PT_BOOLEAN;
    v[3].v.i = 1;
    v[4].id = 0x686E;
    v[4].type = CCK_PT_UNICODE; /* wrong type */
    v[5].id = 0x0037;
    v[5].type = CCK_PT_UNICODE;
    cck_freebusy fb = {0};
    CHECK_EQ_INT(cck_freebusy_read(v, 6, a, &fb), 0);
    CHECK(fb.found);
    CHECK_EQ_INT(fb.months.has, CCK_PRESENT);
    CHECK_EQ_INT(fb.months.v, 3);
    CHECK_EQ_INT(fb.auto_accept.has, CCK_PRESENT);
    CHECK(fb.auto_accept.v);
    CHECK_EQ_INT(fb.decline_recurring.has, CCK_BADTYPE);
    CHECK_EQ_INT(fb.decline_conflicts.has, CCK_ABSENT);
    CHECK_EQ_INT(fb.has_names, CCK_PRESENT);
    CHECK_EQ_INT(fb.n_names, 2);
    CHECK_EQ_STR(fb.delegate_names[1], "Alan Turing");
    CHECK(fb.delegate_names[1] != names[1].str.s); /* copied */
    CHECK_EQ_INT(fb.has_flags, CCK_PRESENT);
    CHECK_EQ_INT(fb.n_flags, 2);
    CHECK_EQ_INT(fb.delegate_flags[0], 1);
    CHECK_EQ_INT(fb.has_entryids, CCK_ABSENT);
    CHECK(cck_freebusy_class("ipm.microsoft.scheduledata.freebusy"));
    CHECK(!cck_freebusy_class("IPM.Appointment"));
    CHECK(!cck_freebusy_class(NULL));
    cck_arena_free(a);
}

static void run_cal(void)
{
    cck_totals t;
    memset(&t, 0, sizeof t);
    fx_begin(NULL);
    cck_cal_freebusy_months(&t, &fx_cal, fx_ctx);
    cck_cal_delegate_flags(&t, &fx_cal, fx_ctx);
}

static void test_0301_months(void)
{
    fx_setup();
    run_cal(); /* no free/busy message: silent */
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_cal.freebusy.found = true;
    run_cal(); /* months absent: silent */
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_cal.freebusy.months = fx_i(2);
    run_cal();
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fx_cal.freebusy.months = fx_i(0);
    fx_cal.freebusy.where = "Freebusy Data #42";
    run_cal();
    CHECK_EQ_INT(fx_count(301), 1);
    CHECK(fx_has(301, "is 0"));
    CHECK(fx_has(301, "Freebusy Data #42"));
}

static void test_0302_delegates(void)
{
    static const char *const nm[2] = {"Ada", "Alan"};
    static const int64_t fl[2] = {1, 0};
    fx_setup();
    cck_freebusy *fb = &fx_cal.freebusy;
    fb->found = true;
    fb->has_names = CCK_PRESENT; /* an empty list: no delegates */
    run_cal();
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fb->delegate_names = nm;
    fb->n_names = 2;
    fb->has_entryids = CCK_PRESENT;
    fb->n_entryids = 2;
    fb->has_flags = CCK_PRESENT;
    fb->delegate_flags = fl;
    fb->n_flags = 2;
    run_cal(); /* consistent */
    CHECK_EQ_INT(cck_ctx_nfindings(fx_ctx), 0);
    fb->n_flags = 1;
    run_cal();
    CHECK_EQ_INT(fx_count(302), 1);
    CHECK(fx_has(302, "2 delegate names but 1 delegate flags"));
    fb->n_flags = 2;
    fb->has_flags = CCK_ABSENT;
    run_cal();
    CHECK(fx_has(302, "no delegate flags"));
    fb->has_flags = CCK_PRESENT;
    fb->n_entryids = 3;
    run_cal();
    CHECK(fx_has(302, "3 entry ids"));
}

int main(void)
{
    RUN(test_read);
    RUN(test_0301_months);
    RUN(test_0302_delegates);
    fx_teardown();
    return unit_done();
}
