/* message - message-level checks: CalCheck 0032-0040, 0056, 0057, 0059, 0062 ([MS-OXCMSG], [MS-OXOCAL] 2.2.1.43).
 * PLACEHOLDER: detectors are being written; each is a no-op until then. */
#include "checks/checks.h"

void cck_chk_subject(const cck_item *it, cck_ctx *ctx);
void cck_chk_subject(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_message_class(const cck_item *it, cck_ctx *ctx);
void cck_chk_message_class(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_attachments(const cck_item *it, cck_ctx *ctx);
void cck_chk_attachments(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_size(const cck_item *it, cck_ctx *ctx);
void cck_chk_size(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_pds(const cck_item *it, cck_ctx *ctx);
void cck_chk_pds(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_delivery_time(const cck_item *it, cck_ctx *ctx);
void cck_chk_delivery_time(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_conflict(const cck_item *it, cck_ctx *ctx);
void cck_chk_conflict(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}
