/* recurrence - recurrence checks: CalCheck 0001-0015, 0026 and the recurrence-structure checks 0100-0139 ([MS-OXOCAL] 2.2.1.44).
 * PLACEHOLDER: detectors are being written; each is a no-op until then. */
#include "checks/checks.h"

void cck_chk_recur_bounds(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_bounds(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_recur_blob(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_blob(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_recur_type(const cck_item *it, cck_ctx *ctx);
void cck_chk_recur_type(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_exception_data(const cck_item *it, cck_ctx *ctx);
void cck_chk_exception_data(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_exception_bounds(const cck_item *it, cck_ctx *ctx);
void cck_chk_exception_bounds(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_recurring_prop(const cck_item *it, cck_ctx *ctx);
void cck_chk_recurring_prop(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}
