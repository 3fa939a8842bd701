/* timezone - time-zone checks: CalCheck 0027, 0055 and TZDEFINITION/TZREG structure 0140-0159 ([MS-OXOCAL] 2.2.1.39-2.2.1.42).
 * PLACEHOLDER: detectors are being written; each is a no-op until then. */
#include "checks/checks.h"

void cck_chk_tzdef_start(const cck_item *it, cck_ctx *ctx);
void cck_chk_tzdef_start(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_tzdef_recur(const cck_item *it, cck_ctx *ctx);
void cck_chk_tzdef_recur(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}
