/* ids - meeting ids and duplicates: CalCheck 0043-0049 with a hash index (linear in the item count), and the recurring-series limit 0060/0061 ([MS-OXOCAL] 2.2.1.27-2.2.1.28).
 * PLACEHOLDER: detectors are being written; each is a no-op until then. */
#include "checks/checks.h"

void cck_chk_goid_missing(const cck_item *it, cck_ctx *ctx);
void cck_chk_goid_missing(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_goid_dups(const cck_item *it, cck_ctx *ctx);
void cck_chk_goid_dups(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_chk_duplicates(const cck_item *it, cck_ctx *ctx);
void cck_chk_duplicates(const cck_item *it, cck_ctx *ctx)
{
    (void)it;
    (void)ctx;
}

void cck_cal_recur_limit(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);
void cck_cal_recur_limit(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx)
{
    (void)t;
    (void)cal;
    (void)ctx;
}

struct cck_dupindex {
    int unused;
};

cck_dupindex *cck_dupindex_new(void)
{
    return NULL;
}

void cck_dupindex_free(cck_dupindex *d)
{
    (void)d;
}
