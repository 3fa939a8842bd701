/* ics_fx.h - test scaffolding for iCalendar checks: a calendar written in a C
 * string ('\n' becomes CRLF unless raw) is read with the reader into parts
 * (every top-level component but the VTIMEZONEs, which go to the zones), and
 * parts become items with model/icsitem.c the way sources/icsfile.c groups
 * them: a component without RECURRENCE-ID with the overrides of its UID.
 * Everything lives in checks_fx.h's fx_blobs arena and in the ld_* statics
 * until the next ics_fx_read. Define ICS_FX_MAX_PARTS before including. */
#ifndef ICS_FX_H
#define ICS_FX_H

#include <stdlib.h>
#include <string.h>

#include "checks_fx.h"
#include "ics/ics.h"
#include "ics/icstz.h"
#include "model/icsinfo.h"
#include "model/icsitem.h"

static char *ld_buf;
static cck_ics_reader *ld_reader;
static cck_icstz *ld_zones;
static cck_problems ld_calpr;
static cck_problems ld_pr[ICS_FX_MAX_PARTS];
static cck_icspart ld_parts[ICS_FX_MAX_PARTS];
static const cck_ics_comp *ld_vtz[ICS_FX_MAX_PARTS];
static cck_icsfile ld_file;

static void ld_free(void)
{
    cck_ics_close(ld_reader);
    cck_icstz_free(ld_zones);
    free(ld_buf);
    ld_reader = NULL;
    ld_zones = NULL;
    ld_buf = NULL;
}

static inline bool ics_fx_same_uid(const cck_ics_comp *a, const cck_ics_comp *b)
{
    const cck_ics_prop *p = cck_ics_get(a, "UID"), *q = cck_ics_get(b, "UID");
    return p && q && p->value_len == q->value_len && !memcmp(p->value, q->value, p->value_len);
}

static inline bool ics_fx_is_override(const cck_ics_comp *c)
{
    return cck_ics_get(c, "RECURRENCE-ID") != NULL;
}

/* Reads text into ld_parts (returns their number) and ld_file; the parser
 * problems of a VTIMEZONE become the calendar's, as in the source. */
static inline size_t ics_fx_read(const char *text, bool raw)
{
    ld_free();
    cck_arena_reset(fx_blobs);
    size_t n = strlen(text), o = 0, np = 0, nvtz = 0;
    ld_buf = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n' && !raw)
            ld_buf[o++] = '\r';
        ld_buf[o++] = text[i];
    }
    cck_problems_init(&ld_calpr, fx_blobs);
    ld_reader = cck_ics_open((const uint8_t *)ld_buf, o, &ld_calpr);
    ld_zones = cck_icstz_new();
    for (;;) {
        cck_problems pr;
        cck_problems_init(&pr, fx_blobs);
        const cck_ics_comp *c;
        if (cck_ics_next(ld_reader, fx_blobs, &c, &pr) != 1)
            break;
        if (!strcmp(c->name, "VTIMEZONE")) {
            cck_icstz_add(ld_zones, c, &ld_calpr);
            if (nvtz < ICS_FX_MAX_PARTS)
                ld_vtz[nvtz++] = c;
            for (size_t i = 0; i < pr.n; i++)
                cck_problems_add(&ld_calpr, pr.v[i].sev, pr.v[i].code, pr.v[i].offset, "%s",
                                 pr.v[i].text);
        } else if (np < ICS_FX_MAX_PARTS) {
            ld_pr[np] = pr;
            ld_parts[np] = (cck_icspart){c, &ld_pr[np]};
            np++;
        }
    }
    ld_file =
        (cck_icsfile){"/cal/t.ics", cck_ics_calendar(ld_reader), ld_zones, &ld_calpr, ld_vtz, nvtz};
    return np;
}

/* Fills *it from part i and the overrides of its UID among the np parts
 * (none when part i is itself an override). Returns cck_item_from_ics's. */
static inline int ics_fx_item(size_t i, size_t np, cck_item *it)
{
    static cck_icspart ov[ICS_FX_MAX_PARTS];
    size_t nov = 0;
    bool ovr = ics_fx_is_override(ld_parts[i].comp);
    for (size_t j = 0; j < np && !ovr; j++)
        if (j != i && ics_fx_is_override(ld_parts[j].comp) &&
            ics_fx_same_uid(ld_parts[j].comp, ld_parts[i].comp))
            ov[nov++] = ld_parts[j];
    memset(it, 0, sizeof *it);
    return cck_item_from_ics(&ld_parts[i], ov, nov, &ld_file, fx_blobs, it);
}

#endif
