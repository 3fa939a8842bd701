/* ctx.h - the runner's side of the check interface: a context that runs the
 * registered checks on one item at a time and collects their findings.
 * Checks see only checks.h; the runner, the reports and the tests use this.
 *
 * Ownership: the context borrows the configuration, the calendar and the
 * duplicate index (all must outlive it). Findings of the current item live in
 * the arena given to cck_ctx_begin() and are valid until that arena is reset.
 */
#ifndef CCK_CTX_H
#define CCK_CTX_H

#include "checks/checks.h"
#include "util/arena.h"

/* Findings kept per item; further ones are counted in `dropped`. */
#define CCK_FINDINGS_MAX 1000

typedef struct cck_finding {
    int id;
    cck_severity sev;
    const char *text; /* the problem with its value, from the check */
    bool has_other;
    cck_other other; /* the other item of a pair, strings copied */
} cck_finding;

cck_ctx *cck_ctx_new(const cck_config *cfg, const cck_calendar *cal, cck_dupindex *dups);
void cck_ctx_free(cck_ctx *ctx);

/* Starts a new item: forgets the previous findings. */
void cck_ctx_begin(cck_ctx *ctx, const cck_item *it, cck_arena *a);
/* Why an item is not checked under the skip rules (CalCheck.cfg
 * holidayitems, birthdayitems, pastitems), or NULL when it is checked. */
const char *cck_ctx_skip_reason(const cck_ctx *ctx, const cck_item *it);
/* Whether the item is over by `now`: its end, or for a series with an end
 * its last day (plus a day of slack for time zones). The pastitems skip rule
 * and the reports' "Is Past" column use this one definition. */
bool cck_item_is_past(const cck_item *it, uint64_t now);
/* Runs every item check that has an enabled id. */
void cck_ctx_run_item(cck_ctx *ctx, const cck_item *it);
/* Runs the calendar-level checks (after the last item). */
void cck_ctx_run_calendar(cck_ctx *ctx, const cck_totals *t);

size_t cck_ctx_nfindings(const cck_ctx *ctx);
const cck_finding *cck_ctx_finding(const cck_ctx *ctx, size_t i);
size_t cck_ctx_dropped(const cck_ctx *ctx);
/* Whether the current findings flag the item (an ERROR, or a WARNING with
 * warningiserror): flagged items go to CalCheckErr.csv and to -F. */
bool cck_ctx_flagged(const cck_ctx *ctx);

#endif
