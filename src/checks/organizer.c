/* organizer - organizer and recipient checks: CalCheck 0028-0031, 0041, 0042, 0050-0054, 0058 and addresses 0170-0189 ([MS-OXOCAL] 2.2.4).
 * PLACEHOLDER: detectors are being written; each is a no-op until then. */
#include "checks/checks.h"

void cck_chk_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_organizer(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_recip_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_recip_organizer(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_attendee_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_attendee_organizer(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_recipients(const cck_item *it, cck_ctx *ctx);
void cck_chk_recipients(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}
