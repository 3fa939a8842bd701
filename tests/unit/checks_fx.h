/* checks_fx.h - shared scaffolding for the check tests (test_checks_*.c): a
 * run configuration as of 2026-11-25, a context with a duplicate index, an
 * arena for the findings and one for the blobs a test parses into its items,
 * and helpers to build items and look at the findings. */
#ifndef CHECKS_FX_H
#define CHECKS_FX_H

#include <string.h>

#include "checks/ctx.h"
#include "unit.h"
#include "util/arena.h"
#include "util/time.h"

static cck_config fx_cfg;
static cck_calendar fx_cal;
static cck_arena *fx_arena; /* the findings', reset by each run */
static cck_arena *fx_blobs; /* the items' parsed blobs; the test resets it */
static cck_dupindex *fx_dups;
static cck_ctx *fx_ctx;

static inline uint64_t fx_ft(int y, int mo, int d, int h, int mi)
{
    return ((uint64_t)cck_days1601_from_civil(y, mo, d) * 86400u + (uint64_t)h * 3600u +
            (uint64_t)mi * 60u) *
           10000000u;
}

/* A fresh context (and duplicate index) for each test. */
static inline void fx_setup(void)
{
    if (fx_ctx)
        cck_ctx_free(fx_ctx);
    if (fx_dups)
        cck_dupindex_free(fx_dups);
    if (!fx_arena)
        fx_arena = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    if (!fx_blobs)
        fx_blobs = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_config_default(&fx_cfg, fx_ft(2026, 11, 25, 0, 0));
    memset(&fx_cal, 0, sizeof fx_cal);
    fx_dups = cck_dupindex_new();
    fx_ctx = cck_ctx_new(&fx_cfg, &fx_cal, fx_dups);
}

static inline void fx_teardown(void)
{
    cck_ctx_free(fx_ctx);
    cck_dupindex_free(fx_dups);
    cck_arena_free(fx_arena);
    cck_arena_free(fx_blobs);
    fx_ctx = NULL;
    fx_dups = NULL;
    fx_arena = fx_blobs = NULL;
}

static inline void fx_begin(const cck_item *it)
{
    cck_arena_reset(fx_arena);
    cck_ctx_begin(fx_ctx, it, fx_arena);
}

/* Runs one detector on a fresh finding list. */
static inline void fx_run(void (*fn)(const cck_item *, cck_ctx *), const cck_item *it)
{
    fx_begin(it);
    fn(it, fx_ctx);
}

/* As fx_run, printing each finding ("#     finding 0100: text") so that a
 * failed check shows what the detector said. Returns how many it found. */
static inline size_t fx_run_show(void (*fn)(const cck_item *, cck_ctx *), const cck_item *it)
{
    fx_run(fn, it);
    for (size_t i = 0; i < cck_ctx_nfindings(fx_ctx); i++)
        printf("#     finding %04d: %s\n", cck_ctx_finding(fx_ctx, i)->id,
               cck_ctx_finding(fx_ctx, i)->text);
    return cck_ctx_nfindings(fx_ctx);
}

static inline size_t fx_count(int id)
{
    size_t n = 0;
    for (size_t i = 0; i < cck_ctx_nfindings(fx_ctx); i++)
        n += cck_ctx_finding(fx_ctx, i)->id == id;
    return n;
}

static inline const cck_finding *fx_find(int id)
{
    for (size_t i = 0; i < cck_ctx_nfindings(fx_ctx); i++)
        if (cck_ctx_finding(fx_ctx, i)->id == id)
            return cck_ctx_finding(fx_ctx, i);
    return NULL;
}

static inline const char *fx_text(int id)
{
    const cck_finding *f = fx_find(id);
    return f ? f->text : "";
}

static inline bool fx_has(int id, const char *needle)
{
    for (size_t i = 0; i < cck_ctx_nfindings(fx_ctx); i++)
        if (cck_ctx_finding(fx_ctx, i)->id == id &&
            strstr(cck_ctx_finding(fx_ctx, i)->text, needle))
            return true;
    return false;
}

static inline cck_fstr fx_s(const char *s)
{
    cck_fstr f = {CCK_PRESENT, s, strlen(s)};
    return f;
}

static inline cck_fint fx_i(int64_t v)
{
    cck_fint f = {CCK_PRESENT, v};
    return f;
}

static inline cck_recip fx_recip(const char *name, const char *type, const char *email,
                                 const char *smtp, int flags)
{
    cck_recip r;
    memset(&r, 0, sizeof r);
    if (name)
        r.display_name = fx_s(name);
    if (type)
        r.addrtype = fx_s(type);
    if (email)
        r.email = fx_s(email);
    if (smtp)
        r.smtp = fx_s(smtp);
    r.type = fx_i(CCK_RECIP_TO);
    r.flags = fx_i(flags);
    r.track_status = fx_i(3);
    return r;
}

/* A complete, correct meeting organized by ada@example.org. */
static inline void fx_meeting(cck_item *it, cck_recip *rs, size_t n)
{
    memset(it, 0, sizeof *it);
    it->source = "/cal/m.msg";
    it->locator = "";
    it->message_class = fx_s("IPM.Appointment");
    it->subject = fx_s("Budget review");
    it->location = fx_s("Room 4.12");
    it->delivery.has = CCK_PRESENT;
    it->delivery.ft = fx_ft(2026, 11, 18, 10, 0);
    it->start.has = it->end.has = CCK_PRESENT;
    it->start.ft = fx_ft(2026, 12, 3, 9, 0);
    it->end.ft = fx_ft(2026, 12, 3, 10, 0);
    it->recurring.has = CCK_PRESENT;
    it->state_flags = fx_i(CCK_ASF_MEETING);
    it->sent_rep_name = fx_s("Ada Lovelace");
    it->sent_rep_addrtype = fx_s("SMTP");
    it->sent_rep_email = fx_s("ada@example.org");
    it->sent_rep_smtp = fx_s("ada@example.org");
    it->sender_name = fx_s("Ada Lovelace");
    it->sender_addrtype = fx_s("SMTP");
    it->sender_email = fx_s("ada@example.org");
    it->sender_smtp = fx_s("ada@example.org");
    if (rs && n) {
        rs[0] = fx_recip("Ada Lovelace", "SMTP", "ada@example.org", "ada@example.org",
                         CCK_RECIP_SENDABLE | CCK_RECIP_ORGANIZER);
        for (size_t i = 1; i < n; i++) {
            static const char *const nm[] = {"Grace Hopper", "Charles Babbage", "Alan Turing",
                                             "Edsger Dijkstra"};
            static const char *const ad[] = {"grace@example.org", "charles@example.net",
                                             "alan@example.org", "edsger@example.nl"};
            rs[i] = fx_recip(nm[(i - 1) % 4], "SMTP", ad[(i - 1) % 4], ad[(i - 1) % 4],
                             CCK_RECIP_SENDABLE);
        }
    }
    it->recips = rs;
    it->n_recips = n;
}

#endif
