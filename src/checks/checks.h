/* checks.h - the check registry and the interface checks are written against.
 *
 * Every check has one row in checks.def: its number (CalCheck's 0001-0062
 * kept; 0100+ MAPI structure, 0200+ iCalendar, 0300+ calendar level, 0400+
 * cross-item), the CalCheck.cfg key that switches it, its family, default
 * severity, what it applies to, the function that detects it, a one-line
 * summary and a one-line remedy. docs/checks/NNNN.md explains it at length.
 *
 * A check function is small and pure: it reads one item (and the run's
 * configuration through the context) and calls cck_report() for each problem
 * it finds. It never prints, allocates only scratch memory it frees before it
 * returns (expansions of a series, sorted copies), never keeps
 * state between items - except through the cross-item index the runner owns
 * (cck_ctx_dups). Several rows may name one function when the conditions are
 * exclusive (a zero start is not also "before 1995"); the function then
 * reports whichever id applies. Filtering (-No, CalCheck.cfg), skip rules
 * and the fan-out to every report format happen behind cck_report.
 */
#ifndef CCK_CHECKS_H
#define CCK_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/item.h"
#include "util/problems.h"

/* Highest check number; ids are 1..CCK_CHECK_MAX. */
#define CCK_CHECK_MAX 499

typedef struct cck_ctx cck_ctx;

typedef void (*cck_item_fn)(const cck_item *it, cck_ctx *ctx);

/* Facts about the whole calendar, known once every item was read. */
typedef struct cck_totals {
    size_t items;            /* items checked (skipped ones included) */
    size_t recurring_series; /* recurring masters */
    size_t problem_items;    /* items with at least one finding */
    size_t errors, warnings, infos;
    size_t skipped; /* holiday, birthday and past items not checked */
} cck_totals;
typedef void (*cck_calendar_fn)(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);

/* Which sources a check's condition has a meaning for: MAPI items (.msg,
 * PST/OST) and/or iCalendar items. A finding of a check that does not apply
 * to the item's source is dropped by cck_report. */
#define CCK_SRC_MAPI 0x1u
#define CCK_SRC_ICS  0x2u
#define CCK_SRC_ALL  (CCK_SRC_MAPI | CCK_SRC_ICS)

typedef struct cck_check {
    int id;
    const char *key;             /* CalCheck.cfg key; several checks may share one */
    const char *family;          /* "recurrence", "time", "organizer", ... */
    cck_severity sev;            /* default severity */
    const char *applies;         /* "recurring series", "meetings", "all items", "the calendar" */
    unsigned sources;            /* CCK_SRC_*: the sources the condition has a meaning for */
    cck_item_fn item_fn;         /* item-level detector, or NULL */
    cck_calendar_fn calendar_fn; /* calendar-level detector, or NULL */
    const char *summary;
    const char *remedy;
} cck_check;

/* The registry, in id order. */
extern const cck_check cck_checks[];
extern const size_t cck_n_checks;
/* The row for an id, or NULL. */
const cck_check *cck_check_by_id(int id);

/* Run configuration (CalCheck.cfg plus command-line switches). */
typedef struct cck_config {
    uint64_t now;        /* FILETIME the run treats as "now" */
    uint64_t low_bound;  /* FILETIME; default 1995-01-01 */
    uint64_t high_bound; /* FILETIME; default now + 10 years */
    uint64_t max_bound;  /* FILETIME; 4501-01-01, past which dates are corrupt */
    bool enabled[CCK_CHECK_MAX + 1];
    bool check_holidays;   /* CalCheck.cfg holidayitems */
    bool check_birthdays;  /* birthdayitems */
    bool check_past;       /* pastitems */
    bool warning_is_error; /* warningiserror: warnings flag items too */
} cck_config;

/* Defaults: every check on, bounds from `now`. */
void cck_config_default(cck_config *c, uint64_t now);
/* Switches off a check or a group: "0049", "49", a CalCheck.cfg key
 * ("duplicates"), "org" (organizer family) or "dup" (duplicate family).
 * Returns the number of checks switched off (0: unknown name). */
int cck_config_disable(cck_config *c, const char *name);
/* Applies one CalCheck.cfg line ("key=true|false|1|0", '#' or ';' comments,
 * blank lines, [section] headers). Keys match exactly and ignore case
 * (CalCheck matched substrings, so "rtaddress" also switched "rtaddresstype").
 * Two keys take values instead: lowbound=YYYY-MM-DD (default 1995-01-01) and
 * highbound=YYYY-MM-DD or +N (N years after now; default +10). Returns 0, or
 * -1 for a line that is not understood (*why says why). */
int cck_config_line(cck_config *c, const char *line, const char **why);

/* Reports a finding of check `id` on the item being checked. The text starts
 * with the problem and quotes the offending value; the registry supplies the
 * remedy. Findings of disabled checks are dropped here. */
void cck_report(cck_ctx *ctx, int id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Which check reports a decoder's structural problem ("recur.*", "tzdef.*",
 * "tzreg.*"), or 0 when none of the checks in question does. */
typedef int (*cck_problem_map)(const cck_problem *p);
/* Turns a decoder's problems into findings, one per check at the most: for
 * each id from lo to hi, in order, the text of the first problem `map` gives
 * that id - as "prefix: text", or the text alone when prefix is NULL -
 * followed by " (and N more)" when N further problems map to it. An id no
 * problem maps to is not reported; a disabled one is dropped by cck_report. */
void cck_report_problems(cck_ctx *ctx, const cck_problems *pr, cck_problem_map map, int lo, int hi,
                         const char *prefix);
/* The other item of a pair (duplicates, id clashes), as the reports show it. */
typedef struct cck_other {
    const char *subject; /* NULL when it had none */
    uint64_t start, end; /* FILETIME, 0 when unknown */
    const char *where;   /* its source and locator */
} cck_other;
/* As cck_report, naming the other item of the pair. */
void cck_report_pair(cck_ctx *ctx, int id, const cck_other *other, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const cck_config *cck_ctx_config(const cck_ctx *ctx);
/* The cross-item index of this run (GlobalObjectIds, duplicate keys), owned
 * by the runner and implemented in checks/dups.c. */
typedef struct cck_dupindex cck_dupindex;
cck_dupindex *cck_ctx_dups(cck_ctx *ctx);
cck_dupindex *cck_dupindex_new(void);
void cck_dupindex_free(cck_dupindex *d);
/* A source that knows how many items are coming says so before the first:
 * the index sizes its tables once instead of growing them step by step.
 * Only a hint: more or fewer items may come. Counts above the limit are
 * ignored (a wrong scan of a hostile file must not reserve gigabytes). */
#define CCK_DUPINDEX_EXPECT_MAX ((size_t)16 << 20)
void cck_dupindex_expect(cck_dupindex *d, size_t more);
/* Before the detectors run on an item: works out the keys' hashes of the
 * duplicate (0049, when same) and UID (0400/0401, when uid) tables and asks
 * the processor to load their slots, so that the cache misses overlap the
 * other detectors' work; the detectors then use these hashes. With it NULL
 * (after the detectors) the hashes are forgotten, so that a detector called
 * on its own later never takes another item's. */
void cck_dupindex_prefetch(cck_dupindex *d, const cck_item *it, bool same, bool uid);
const cck_calendar *cck_ctx_calendar(const cck_ctx *ctx);
/* Whether check `id` is on and applies to the current item's source: a
 * detector skips work whose findings would be dropped. */
bool cck_ctx_enabled(const cck_ctx *ctx, int id);

/* Formats a FILETIME for a message ("2026-03-02 09:00:00 UTC"). */
#define CCK_WHEN_BUF 40
char *cck_when(uint64_t ft, char *buf);

#endif
