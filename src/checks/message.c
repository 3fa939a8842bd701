/* message.c - message-level checks: CalCheck 0032-0040, 0056, 0057, 0059,
 * 0062 and the container-damage checks 0164/0165. Follows DESIGN §5,
 * [MS-OXCMSG] 2.2.1 (message class, size, status), [MS-OXPROPS] 2.212
 * (PidLidPropertyDefinitionStream) and the .msg reader's problem lists
 * ([MS-CFB], [MS-OXMSG]) for damage in the stored item. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "checks/checks.h"
#include "mapi/props.h"
#include "util/ascii.h"

static bool blank(const cck_fstr *f)
{
    if (f->has != CCK_PRESENT || !f->s)
        return true;
    for (size_t i = 0; i < f->len; i++)
        if (!cck_ascii_isspace((unsigned char)f->s[i]))
            return false;
    return true;
}

static bool is_recurring(const cck_item *it)
{
    return it->recurring.has == CCK_PRESENT && it->recurring.v;
}

/* ---- 0032: no subject on a recurring or future item -------------------- */

void cck_chk_subject(const cck_item *it, cck_ctx *ctx);
void cck_chk_subject(const cck_item *it, cck_ctx *ctx)
{
    if (!blank(&it->subject))
        return;
    const char *why = it->subject.has == CCK_ABSENT    ? "absent"
                      : it->subject.has == CCK_BADTYPE ? "not a string"
                                                       : "empty";
    uint64_t now = cck_ctx_config(ctx)->now;
    char b[CCK_WHEN_BUF];
    if (is_recurring(it))
        cck_report(ctx, 32, "recurring item has no subject (PidTagSubject %s)", why);
    else if (it->end.has == CCK_PRESENT && it->end.ft > now)
        cck_report(ctx, 32, "item ending %s has no subject (PidTagSubject %s)",
                   cck_when(it->end.ft, b), why);
}

/* ---- 0033-0035: the message class --------------------------------------- */

void cck_chk_message_class(const cck_item *it, cck_ctx *ctx);
void cck_chk_message_class(const cck_item *it, cck_ctx *ctx)
{
    const cck_fstr *c = &it->message_class;
    if (c->has == CCK_ABSENT)
        cck_report(ctx, 35, "message class (PidTagMessageClass) is absent");
    else if (c->has == CCK_BADTYPE)
        cck_report(ctx, 35, "message class (PidTagMessageClass) is stored with a non-string type");
    else if (!c->s || c->len == 0)
        cck_report(ctx, 33, "message class is \"\" (empty)");
    else if (!cck_is_appointment_class(c->s, c->len))
        cck_report(ctx, 34, "message class is \"%s\"", c->s);
}

/* ---- 0036-0037: attachments --------------------------------------------- */

#define CCK_MAX_RECUR_ATTACHS 25

void cck_chk_attachments(const cck_item *it, cck_ctx *ctx);
void cck_chk_attachments(const cck_item *it, cck_ctx *ctx)
{
    if (it->attachs_unreadable)
        cck_report(ctx, 36, "attachment table cannot be read: %s",
                   it->attachs_why ? it->attachs_why : "reason unknown");
    else if (is_recurring(it) && it->n_attachs > CCK_MAX_RECUR_ATTACHS)
        cck_report(ctx, 37, "recurring item has %zu attachments (more than %d)", it->n_attachs,
                   CCK_MAX_RECUR_ATTACHS);
}

/* ---- 0038-0040: size (1 MB = 1,048,576 bytes; the highest limit wins) --- */

#define MB (1024LL * 1024LL)

void cck_chk_size(const cck_item *it, cck_ctx *ctx);
void cck_chk_size(const cck_item *it, cck_ctx *ctx)
{
    if (it->message_size.has != CCK_PRESENT || it->message_size.v < 10 * MB)
        return;
    int64_t v = it->message_size.v;
    int id = v >= 50 * MB ? 38 : v >= 25 * MB ? 39 : 40;
    int limit = id == 38 ? 50 : id == 39 ? 25 : 10;
    cck_report(ctx, id, "item is %.1f MB (%lld bytes; limit %d MB)", (double)v / (double)MB,
               (long long)v, limit);
}

/* ---- 0056-0057: the property definition stream -------------------------- */

void cck_chk_pds(const cck_item *it, cck_ctx *ctx);
void cck_chk_pds(const cck_item *it, cck_ctx *ctx)
{
    const cck_problems *pr = &it->pds.problems;
    if (it->pds.raw.has == CCK_PRESENT && it->pds.raw.n == 0) {
        cck_report(ctx, 57, "property definition stream is present but empty (0 bytes)");
        return;
    }
    size_t empty = 0, bad = 0;
    const cck_problem *first_empty = NULL, *first_bad = NULL;
    for (size_t i = 0; i < pr->n; i++) {
        const cck_problem *p = &pr->v[i];
        if (strcmp(p->code, "pds.empty_name") == 0) {
            if (!empty++)
                first_empty = p;
        } else if (p->sev == CCK_SEV_ERROR) {
            if (!bad++)
                first_bad = p;
        }
    }
    if (first_empty)
        cck_report(ctx, 56,
                   "property definition stream has %zu field%s with a name length but "
                   "no name; first at offset %llu: %s",
                   empty, empty == 1 ? "" : "s", (unsigned long long)first_empty->offset,
                   first_empty->text);
    if (first_bad)
        cck_report(ctx, 57, "property definition stream is malformed at offset %llu: %s%s",
                   (unsigned long long)first_bad->offset, first_bad->text,
                   bad > 1 ? " (and more)" : "");
}

/* ---- 0059: delivery time ------------------------------------------------ */

void cck_chk_delivery_time(const cck_item *it, cck_ctx *ctx);
void cck_chk_delivery_time(const cck_item *it, cck_ctx *ctx)
{
    if (it->delivery.has == CCK_ABSENT)
        cck_report(ctx, 59, "delivery time (PidTagMessageDeliveryTime) is absent");
    else if (it->delivery.has == CCK_BADTYPE)
        cck_report(ctx, 59,
                   "delivery time (PidTagMessageDeliveryTime) is stored with a non-time type");
}

/* ---- 0062: conflict item ------------------------------------------------ */

void cck_chk_conflict(const cck_item *it, cck_ctx *ctx);
void cck_chk_conflict(const cck_item *it, cck_ctx *ctx)
{
    if (it->message_status.has == CCK_PRESENT && (it->message_status.v & CCK_MSGSTATUS_IN_CONFLICT))
        cck_report(ctx, 62, "item is a conflict copy (PidTagMessageStatus 0x%llX)",
                   (unsigned long long)it->message_status.v);
}

/* ---- 0164-0165: damage in the stored item ------------------------------- */

typedef struct damage {
    size_t n; /* problems of the severity looked for */
    char text[700];
    size_t used;
} damage;

static void collect(damage *d, const cck_problems *pr, cck_severity sev, const char *where)
{
    if (!pr)
        return;
    for (size_t i = 0; i < pr->n; i++) {
        const cck_problem *p = &pr->v[i];
        if (p->sev != sev)
            continue;
        /* Quote the first three; the count covers the rest. */
        if (d->n < 3 && d->used < sizeof d->text) {
            int w = snprintf(d->text + d->used, sizeof d->text - d->used, "%s%s%s%s (%.160s)",
                             d->n ? "; " : "", where, *where ? ": " : "", p->code, p->text);
            d->used += w > 0 ? (size_t)w : 0;
        }
        d->n++;
    }
    d->n += sev == CCK_SEV_ERROR ? pr->dropped : 0;
}

static void report_damage(const cck_item *it, cck_ctx *ctx, cck_severity sev, int id)
{
    damage d = {0, {0}, 0};
    collect(&d, it->container_problems, sev, "");
    /* Embedded exception messages carry their own lists. */
    for (size_t i = 0; i < it->n_exceptions; i++)
        collect(&d, it->exceptions[i].container_problems, sev,
                it->exceptions[i].locator ? it->exceptions[i].locator : "exception");
    if (!d.n)
        return;
    const char *more = d.n > 3 ? "; ..." : "";
    if (sev == CCK_SEV_ERROR)
        cck_report(ctx, id, "stored data is damaged (%zu problem%s): %s%s", d.n,
                   d.n == 1 ? "" : "s", d.text, more);
    else
        cck_report(ctx, id, "stored data has %zu irregularit%s: %s%s", d.n, d.n == 1 ? "y" : "ies",
                   d.text, more);
}

void cck_chk_container(const cck_item *it, cck_ctx *ctx);
void cck_chk_container(const cck_item *it, cck_ctx *ctx)
{
    report_damage(it, ctx, CCK_SEV_ERROR, 164);
    report_damage(it, ctx, CCK_SEV_WARNING, 165);
}
