/* icsval.h - reading the typed values of iCalendar properties: DATE and
 * DATE-TIME (RFC 5545 §3.3.4, §3.3.5) with their VALUE and TZID parameters
 * (§3.2.20, §3.2.19), DURATION (§3.3.6), and the lists of RDATE / EXDATE.
 * Pure functions over a parsed property (ics/ics.h); nothing is repaired: a
 * value that does not follow the grammar is "not valid" and its text stays
 * in the property for the message.
 */
#ifndef CCK_ICSVAL_H
#define CCK_ICSVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ics/ics.h"
#include "util/time.h"

/* One DATE or DATE-TIME property (DTSTART, DTEND, DUE, RECURRENCE-ID, ...). */
typedef struct cck_icsdt {
    const cck_ics_prop *prop; /* the line; NULL when the property is absent */
    bool valid;               /* the value follows the grammar of its type */
    bool is_date;             /* a DATE: VALUE=DATE, or 8 digits without VALUE */
    bool value_date_param;    /* VALUE=DATE was written */
    bool value_mismatch;      /* VALUE=DATE with a DATE-TIME value or VALUE=DATE-TIME with a DATE */
    bool utc;                 /* a DATE-TIME ending in Z */
    bool floating;            /* a DATE-TIME with neither Z nor TZID (or a DATE) */
    const char *tzid;         /* the TZID parameter's first value, NULL when none */
    size_t tzid_len;
    cck_civil local; /* the value as written (time 00:00:00 for a DATE); weekday filled */
} cck_icsdt;

/* Reads "YYYYMMDD" or "YYYYMMDDTHHMMSS[Z]" (n bytes). Returns 0 and fills
 * *out, *is_date and *utc, or -1 when the text is neither (month, day, hour,
 * minute ranges checked; second 60 accepted, as the RFC allows). */
int cck_icsval_datetime(const char *s, size_t n, cck_civil *out, bool *is_date, bool *utc);

/* Reads the DATE/DATE-TIME property p (NULL: absent) into *out. */
void cck_icsval_dt(const cck_ics_prop *p, cck_icsdt *out);

/* Reads a DURATION value ("-P1W", "PT1H30M", "P1DT2H") into signed seconds.
 * Returns 0, or -1 when the text is not a duration (the grammar of §3.3.6:
 * weeks alone, or days and/or a time part; each number at most 9 digits). */
int cck_icsval_duration(const char *s, size_t n, int64_t *secs);

/* Seconds since 1601-01-01 of a civil date-time read as UTC. */
int64_t cck_icsval_secs(const cck_civil *c);

/* Iterates the comma-separated values of a list property (RDATE, EXDATE,
 * CATEGORIES...): *pos starts at 0; each call gives the next value's start and
 * length (an empty value counts) and moves *pos on (SIZE_MAX after the last).
 * Returns false when there is none left. Commas escaped with '\' (TEXT) do
 * not split. */
bool cck_icsval_next(const cck_ics_prop *p, size_t *pos, const char **v, size_t *n);

#endif
