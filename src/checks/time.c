/* time - start/end checks: CalCheck 0016-0025 and time consistency 0190-0199 ([MS-OXOCAL] 2.2.1.5-2.2.1.7).
 * PLACEHOLDER: detectors are being written; each is a no-op until then. */
#include "checks/checks.h"

void cck_chk_start(const cck_item *it, cck_ctx *ctx);
void cck_chk_start(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_end(const cck_item *it, cck_ctx *ctx);
void cck_chk_end(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}
