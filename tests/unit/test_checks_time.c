/* test_checks_time.c - the start/end detectors (CalCheck 0016-0025 on
 * PidLidAppointmentStartWhole/EndWhole, [MS-OXOCAL] 2.2.1.5-2.2.1.6) and the
 * time-consistency checks 0190-0192: each condition triggered at its value,
 * with a near miss on the other side of every bound. */
#include <stdlib.h>
#include <string.h>

#include "checks_fx.h"

void cck_chk_start(const cck_item *it, cck_ctx *ctx);
void cck_chk_end(const cck_item *it, cck_ctx *ctx);
void cck_chk_times(const cck_item *it, cck_ctx *ctx);

/* A single 30-minute appointment on 2026-03-02 with consistent times. */
static void single(cck_item *it)
{
    memset(it, 0, sizeof *it);
    it->start = (cck_ftime){CCK_PRESENT, fx_ft(2026, 3, 2, 9, 0)};
    it->end = (cck_ftime){CCK_PRESENT, fx_ft(2026, 3, 2, 9, 30)};
    it->common_start = it->start;
    it->common_end = it->end;
    it->duration = (cck_fint){CCK_PRESENT, 30};
    it->recurring = (cck_fbool){CCK_PRESENT, false};
}

/* The field `f` at `t` must give exactly finding `id` (0: none). */
static void expect_one(cck_item_fn fn, uint64_t t, int id)
{
    cck_item it;
    single(&it);
    cck_ftime *field = fn == cck_chk_start ? &it.start : &it.end;
    field->ft = t;
    size_t n = fx_run_show(fn, &it);
    CHECK_EQ_INT(n, id ? 1 : 0);
    if (id)
        CHECK(fx_find(id) != NULL);
}

static void test_start(void)
{
    cck_item it;
    single(&it);
    CHECK_EQ_INT(fx_run_show(cck_chk_start, &it), 0);
    it.start.has = CCK_ABSENT;
    CHECK_EQ_INT(fx_run_show(cck_chk_start, &it), 1);
    CHECK_EQ_STR(fx_text(20), "PidLidAppointmentStartWhole is missing");
    it.start.has = CCK_BADTYPE;
    CHECK_EQ_INT(fx_run_show(cck_chk_start, &it), 1);
    CHECK(fx_find(20) != NULL);

    expect_one(cck_chk_start, 0, 16);
    expect_one(cck_chk_start, fx_ft(1601, 1, 1, 23, 59), 16);
    expect_one(cck_chk_start, fx_ft(1601, 1, 2, 0, 0), 17);
    expect_one(cck_chk_start, fx_ft(1994, 12, 31, 23, 59), 17);
    expect_one(cck_chk_start, fx_ft(1995, 1, 1, 0, 0), 0);
    expect_one(cck_chk_start, fx_ft(2036, 11, 24, 11, 0), 0);
    expect_one(cck_chk_start, fx_ft(2036, 11, 25, 0, 0), 18);
    expect_one(cck_chk_start, fx_ft(4501, 1, 1, 0, 0), 18);
    expect_one(cck_chk_start, fx_ft(4501, 1, 1, 0, 1), 19);
    expect_one(cck_chk_start, UINT64_MAX, 19);

    single(&it);
    it.start.ft = 0;
    fx_run_show(cck_chk_start, &it);
    CHECK_EQ_STR(fx_text(16), "start time 1601-01-01 00:00:00 UTC is zero");
    it.start.ft = fx_ft(1990, 5, 1, 8, 0);
    fx_run_show(cck_chk_start, &it);
    CHECK_EQ_STR(fx_text(17), "start time 1990-05-01 08:00:00 UTC is before the low bound "
                              "1995-01-01 00:00:00 UTC");
}

static void test_end(void)
{
    cck_item it;
    single(&it);
    CHECK_EQ_INT(fx_run_show(cck_chk_end, &it), 0);
    it.end.has = CCK_ABSENT;
    CHECK_EQ_INT(fx_run_show(cck_chk_end, &it), 1);
    CHECK_EQ_STR(fx_text(25), "PidLidAppointmentEndWhole is missing");
    expect_one(cck_chk_end, 0, 21);
    expect_one(cck_chk_end, fx_ft(1980, 1, 1, 0, 0), 22);
    expect_one(cck_chk_end, fx_ft(2040, 1, 1, 0, 0), 23);
    expect_one(cck_chk_end, fx_ft(4600, 1, 1, 0, 0), 24);
    expect_one(cck_chk_end, fx_ft(2030, 1, 1, 0, 0), 0);
}

static void test_times(void)
{
    cck_item it;
    single(&it);
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 0);

    /* 0190; equal start and end is a zero-length item, not an error */
    it.end.ft = it.start.ft - 600000000u;
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 1);
    CHECK_EQ_STR(fx_text(190), "start time 2026-03-02 09:00:00 UTC is after end time 2026-03-02 "
                               "08:59:00 UTC");
    single(&it);
    it.end = it.common_end = it.start;
    it.duration.v = 0;
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 0);
    /* a zero start is 0016's, not 0190's */
    single(&it);
    it.start.ft = 0;
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 0);

    /* 0191 */
    single(&it);
    it.common_start.ft = fx_ft(2026, 3, 2, 8, 0);
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 1);
    CHECK_EQ_STR(fx_text(191), "PidLidCommonStart 2026-03-02 08:00:00 UTC differs from start time "
                               "2026-03-02 09:00:00 UTC");
    it.common_end.ft = fx_ft(2026, 3, 2, 8, 30);
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 2);
    /* near misses: absent common times; a recurring master */
    it.common_start.has = it.common_end.has = CCK_ABSENT;
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 0);
    single(&it);
    it.common_start.ft = fx_ft(2026, 3, 9, 9, 0);
    it.recurring.v = true;
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 0);

    /* 0192 */
    single(&it);
    it.duration.v = 60;
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 1);
    CHECK_EQ_STR(fx_text(192),
                 "PidLidAppointmentDuration 60 minutes is not end - start, 30 minutes");
    it.duration.has = CCK_ABSENT;
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 0);
    /* an all-day event: 1440 minutes */
    single(&it);
    it.start.ft = it.common_start.ft = fx_ft(2026, 3, 2, 0, 0);
    it.end.ft = it.common_end.ft = fx_ft(2026, 3, 3, 0, 0);
    it.duration.v = 1440;
    CHECK_EQ_INT(fx_run_show(cck_chk_times, &it), 0);
}

int main(void)
{
    fx_setup();
    RUN(test_start);
    RUN(test_end);
    RUN(test_times);
    fx_teardown();
    return unit_done();
}
