/* registry.c - expands checks.def into the cck_checks table and applies the
 * run configuration: defaults, CalCheck.cfg lines (exact key match, unlike
 * CalCheck's substring search) and -No switches. */
#include "checks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/time.h"

/* Declarations of every detector named in the registry. */
#define CCK_CHECK(id, key, fam, sev, applies, fn, summary, remedy)                                 \
    void fn(const cck_item *it, cck_ctx *ctx);
#define CCK_CHECK_ANY CCK_CHECK
#define CCK_ICSCHECK  CCK_CHECK
#define CCK_CALCHECK(id, key, fam, sev, applies, fn, summary, remedy)                              \
    void fn(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);
#define CCK_RUNCHECK(id, key, fam, sev, applies, summary, remedy)
#include "checks/checks.def"
#undef CCK_CHECK
#undef CCK_CHECK_ANY
#undef CCK_ICSCHECK
#undef CCK_CALCHECK
#undef CCK_RUNCHECK

const cck_check cck_checks[] = {
#define CCK_CHECK(id, key, fam, sev, applies, fn, summary, remedy)                                 \
    {id, key, fam, sev, applies, CCK_SRC_MAPI, fn, NULL, summary, remedy},
#define CCK_CHECK_ANY(id, key, fam, sev, applies, fn, summary, remedy)                             \
    {id, key, fam, sev, applies, CCK_SRC_ALL, fn, NULL, summary, remedy},
#define CCK_ICSCHECK(id, key, fam, sev, applies, fn, summary, remedy)                              \
    {id, key, fam, sev, applies, CCK_SRC_ICS, fn, NULL, summary, remedy},
#define CCK_CALCHECK(id, key, fam, sev, applies, fn, summary, remedy)                              \
    {id, key, fam, sev, applies, CCK_SRC_ALL, NULL, fn, summary, remedy},
#define CCK_RUNCHECK(id, key, fam, sev, applies, summary, remedy)                                  \
    {id, key, fam, sev, applies, CCK_SRC_ALL, NULL, NULL, summary, remedy},
#include "checks/checks.def"
#undef CCK_CHECK
#undef CCK_CHECK_ANY
#undef CCK_ICSCHECK
#undef CCK_CALCHECK
#undef CCK_RUNCHECK
};
const size_t cck_n_checks = sizeof cck_checks / sizeof cck_checks[0];

const cck_check *cck_check_by_id(int id)
{
    /* Rows are in id order: binary search. */
    size_t lo = 0, hi = cck_n_checks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cck_checks[mid].id == id)
            return &cck_checks[mid];
        if (cck_checks[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static uint64_t ft_of(int64_t y, int m, int d)
{
    return (uint64_t)cck_days1601_from_civil(y, m, d) * 86400u * 10000000u;
}

void cck_config_default(cck_config *c, uint64_t now)
{
    memset(c, 0, sizeof *c);
    c->now = now;
    c->low_bound = ft_of(1995, 1, 1);
    /* Ten years of 365.25 days ahead of now: CalCheck's fixed 2025 bound
     * flagged every future meeting once 2025 arrived. */
    c->high_bound = now + (uint64_t)(10 * 365.25 * 86400) * 10000000u;
    c->max_bound = ft_of(4501, 1, 1);
    for (size_t i = 0; i < cck_n_checks; i++)
        c->enabled[cck_checks[i].id] = true;
    c->check_holidays = true;
    c->check_birthdays = true;
    c->check_past = true;
    c->warning_is_error = false;
}

int cck_config_disable(cck_config *c, const char *name)
{
    int n = 0;
    char *end;
    long id = strtol(name, &end, 10);
    bool numeric = *name && *end == 0;
    for (size_t i = 0; i < cck_n_checks; i++) {
        const cck_check *k = &cck_checks[i];
        bool hit = numeric
                       ? k->id == id
                       : strcmp(k->key, name) == 0 ||
                             (strcmp(name, "org") == 0 && strcmp(k->family, "organizer") == 0) ||
                             (strcmp(name, "dup") == 0 && strcmp(k->family, "duplicates") == 0);
        if (hit && c->enabled[k->id]) {
            c->enabled[k->id] = false;
            n++;
        } else if (hit) {
            n++;
        }
    }
    return n;
}

/* lowbound / highbound: a date, or for highbound "+N" years after now. */
static int set_bound(cck_config *c, bool high, const char *val, const char **why)
{
    uint64_t ft;
    char *end;
    if (high && val[0] == '+') {
        long years = strtol(val + 1, &end, 10);
        if (*end || end == val + 1 || years < 0 || years > 2000) {
            *why = "highbound takes a date (YYYY-MM-DD) or +YEARS";
            return -1;
        }
        c->high_bound = c->now + (uint64_t)(365.25 * 86400 * (double)years) * 10000000u;
        return 0;
    }
    if (cck_parse_date(val, &ft) != 0) {
        *why = high ? "highbound takes a date (YYYY-MM-DD) or +YEARS"
                    : "lowbound takes a date (YYYY-MM-DD)";
        return -1;
    }
    if (high)
        c->high_bound = ft;
    else
        c->low_bound = ft;
    return 0;
}

/* CalCheck's switches that are not check keys. */
static bool *option_flag(cck_config *c, const char *key)
{
    if (strcmp(key, "holidayitems") == 0)
        return &c->check_holidays;
    if (strcmp(key, "birthdayitems") == 0)
        return &c->check_birthdays;
    if (strcmp(key, "pastitems") == 0)
        return &c->check_past;
    if (strcmp(key, "warningiserror") == 0)
        return &c->warning_is_error;
    return NULL;
}

int cck_config_line(cck_config *c, const char *line, const char **why)
{
    char key[64], val[32];
    size_t k = 0, v = 0;
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == 0 || *p == '#' || *p == ';' || *p == '\r' || *p == '\n' || *p == '[')
        return 0; /* blank, comment, or an INI section header */
    while (*p && *p != '=' && *p != ' ' && *p != '\t' && k + 1 < sizeof key)
        key[k++] = (char)tolower((unsigned char)*p++);
    key[k] = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '=') {
        *why = "expected key=true or key=false";
        return -1;
    }
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    while (*p && *p != '\r' && *p != '\n' && *p != ' ' && *p != '\t' && v + 1 < sizeof val)
        val[v++] = (char)tolower((unsigned char)*p++);
    val[v] = 0;
    if (strcmp(key, "lowbound") == 0 || strcmp(key, "highbound") == 0)
        return set_bound(c, key[0] == 'h', val, why);
    bool on;
    if (strcmp(val, "true") == 0 || strcmp(val, "1") == 0)
        on = true;
    else if (strcmp(val, "false") == 0 || strcmp(val, "0") == 0)
        on = false;
    else {
        *why = "the value is neither true nor false";
        return -1;
    }
    bool *flag = option_flag(c, key);
    if (flag) {
        *flag = on;
        return 0;
    }
    int hits = 0;
    for (size_t i = 0; i < cck_n_checks; i++)
        if (strcmp(cck_checks[i].key, key) == 0) {
            c->enabled[cck_checks[i].id] = on;
            hits++;
        }
    if (!hits) {
        *why = "unknown key";
        return -1;
    }
    return 0;
}
