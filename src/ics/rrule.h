/* rrule.h - iCalendar recurrence rules: parsing and expansion (RFC 5545 §3.3.10, §3.8.5.3).
 *
 * cck_rrule_parse() reads an RRULE value ("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3"),
 * records every defect in the caller's cck_problems (codes "rrule.*", byte
 * offset within the value) and keeps every part it understood.
 *
 * The iterator expands a rule over civil wall-clock date-times: the instances
 * are in the DTSTART's own zone (or UTC), and the caller does any time-zone
 * math. UNTIL is compared as written (a UTC UNTIL against a local DTSTART is
 * the caller's to convert, see cck_rrule_iter_set_until()). Expansion is
 * bounded by COUNT, UNTIL, CCK_RRULE_MAX_INSTANCES instances, the year
 * CCK_RRULE_MAX_YEAR and CCK_RRULE_MAX_EMPTY periods in a row without an
 * instance, so an unsatisfiable rule (BYMONTH=2;BYMONTHDAY=31) ends quickly.
 */
#ifndef CCK_RRULE_H
#define CCK_RRULE_H

#include <stddef.h>
#include <stdint.h>

#include "util/problems.h"
#include "util/time.h"

/* Most instances one iterator yields (a larger COUNT is cut here). */
#define CCK_RRULE_MAX_INSTANCES 100000u
/* Most consecutive periods (years, months, weeks, days, ...) without an instance. */
#define CCK_RRULE_MAX_EMPTY 50000u
/* No instance after this year is generated (iCalendar years have four digits). */
#define CCK_RRULE_MAX_YEAR 9999

typedef enum {
    CCK_FREQ_NONE = 0, /* FREQ missing or unreadable */
    CCK_FREQ_SECONDLY,
    CCK_FREQ_MINUTELY,
    CCK_FREQ_HOURLY,
    CCK_FREQ_DAILY,
    CCK_FREQ_WEEKLY,
    CCK_FREQ_MONTHLY,
    CCK_FREQ_YEARLY
} cck_rrule_freq;

/* One BYDAY entry: weekday 0 = SU .. 6 = SA; ord 0 = every such weekday, else +-1..53. */
typedef struct cck_rrule_wday {
    int8_t ord;
    uint8_t wd;
} cck_rrule_wday;

typedef struct cck_rrule {
    cck_rrule_freq freq;
    uint32_t interval; /* >= 1 */
    uint64_t count;    /* 0 = no COUNT */
    int has_until, until_is_date, until_utc;
    cck_civil until;
    int wkst; /* 0 = SU .. 6 = SA, default MO */
    /* BYxxx lists, deduplicated, in the order written. */
    uint8_t nsecond, nminute, nhour, nmonth;
    uint8_t second[61], minute[60], hour[24], month[12];
    uint16_t nmonthday, nyearday, nweekno, nsetpos, nday;
    int8_t monthday[62];
    int16_t yearday[732];
    int8_t weekno[106];
    int16_t setpos[732];
    cck_rrule_wday day[7 * 107];
    int unsupported; /* RSCALE / SKIP (RFC 7529) present: expansion may differ */
} cck_rrule;

/* Parses an RRULE value of n bytes. Always fills *out (defaults where a part
 * is missing or bad). Returns 0, or -1 when the rule is unusable (no FREQ). */
int cck_rrule_parse(const char *text, size_t n, cck_rrule *out, cck_problems *pr);

/* An unbounded (no COUNT, no UNTIL) SECONDLY or MINUTELY rule. */
static inline int cck_rrule_is_unbounded_subhourly(const cck_rrule *r)
{
    return (r->freq == CCK_FREQ_SECONDLY || r->freq == CCK_FREQ_MINUTELY) && !r->count &&
           !r->has_until;
}

typedef enum {
    CCK_RRULE_RUNNING = 0,
    CCK_RRULE_STOP_COUNT,     /* COUNT instances yielded */
    CCK_RRULE_STOP_UNTIL,     /* next instance after UNTIL */
    CCK_RRULE_STOP_MAX,       /* max_instances reached */
    CCK_RRULE_STOP_EMPTY,     /* max_empty periods in a row without an instance */
    CCK_RRULE_STOP_HORIZON,   /* past CCK_RRULE_MAX_YEAR */
    CCK_RRULE_STOP_NO_FREQ,   /* the rule has no FREQ */
    CCK_RRULE_STOP_BAD_START, /* DTSTART out of range */
} cck_rrule_stop;

typedef struct cck_rrule_iter {
    const cck_rrule *rule; /* borrowed: must outlive the iterator */
    int is_date;
    int include_dtstart;    /* DTSTART is yielded first even if the rule misses it (default 1) */
    uint64_t max_instances; /* default CCK_RRULE_MAX_INSTANCES */
    uint64_t max_empty;     /* default CCK_RRULE_MAX_EMPTY */
    cck_rrule_stop stop;
    uint64_t yielded;
    /* private */
    cck_civil dtstart;
    int64_t start, until_key, cur, step;
    uint64_t empty_run;
    int has_until, dtstart_pending, have_period;
    int def_month, def_mday, def_wday;
    uint8_t eh[24], em[60], es[61], neh, nem, nes;
    int64_t days[371]; /* a week-numbering year has up to 53 weeks */
    uint16_t ndays;
    uint8_t ph[24], pm[60], ps[61], nph, npm, nps;
    uint64_t total, pos;
    uint32_t sel[732];
    uint32_t nsel, selpos;
    int use_sel;
} cck_rrule_iter;

/* Starts expanding `rule` from DTSTART (a DATE when is_date: time ignored). */
void cck_rrule_iter_init(cck_rrule_iter *it, const cck_rrule *rule, const cck_civil *dtstart,
                         int is_date);
/* Replaces the rule's UNTIL by a wall-clock bound in DTSTART's zone (inclusive). */
void cck_rrule_iter_set_until(cck_rrule_iter *it, const cck_civil *until);
/* Next instance into *out (weekday filled). Returns 1, or 0 when done (see it->stop). */
int cck_rrule_iter_next(cck_rrule_iter *it, cck_civil *out);

/* Whether the rule itself (not counting a DTSTART it misses) yields any
 * instance: 1 yes, 0 no (it stopped on COUNT/UNTIL/horizon, or ran
 * CCK_RRULE_MAX_EMPTY periods without one), -1 the rule is unusable. */
int cck_rrule_has_instance(const cck_rrule *rule, const cck_civil *dtstart, int is_date);

const char *cck_rrule_freq_name(cck_rrule_freq f);

#endif
