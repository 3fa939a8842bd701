/* icsinfo.h - the iCalendar side of an item (DESIGN §3, "iCalendar extras"):
 * the component the item was read from with its raw lines and their
 * line:column, the parser's problems on it, and the values the iCalendar
 * checks need, already read (UID, RECURRENCE-ID, SEQUENCE, DTSTAMP, the
 * DATE/DATE-TIME properties, DURATION). Filled by model/icsitem.c.
 *
 * Three kinds of iCalendar item:
 *  - a VEVENT, VTODO or VJOURNAL without RECURRENCE-ID (a single item or a
 *    series master), with its overrides as it->exceptions (each exception has
 *    its own icsinfo, is_override set, master pointing back);
 *  - an override whose master is not in the file (orphan: an item of its own);
 *  - the calendar item: one per file, standing for the VCALENDAR itself; its
 *    findings are about the calendar-level lines (VERSION, PRODID, METHOD,
 *    stray lines) and the file's VTIMEZONEs. It is reported only when it has
 *    findings and is not counted as a calendar item otherwise.
 *
 * Ownership: everything lives in the item's arena (see item.h), except
 * `calendar`, `zones` and `cal_problems`, which the source owns for the whole
 * file and which outlive every item of it.
 */
#ifndef CCK_ICSINFO_H
#define CCK_ICSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ics/ics.h"
#include "ics/icstz.h"
#include "ics/icsval.h"
#include "model/item.h"
#include "util/problems.h"

struct cck_icsinfo {
    /* Where the item is. */
    const cck_ics_comp *comp;     /* its component (for the calendar item: the VCALENDAR lines) */
    const cck_problems *problems; /* the parser's "ics.*" problems inside comp */
    bool calendar_item;           /* the item standing for the VCALENDAR (see above) */
    const cck_problems *cal_problems;      /* calendar item: "ics.*" problems outside components
                                             and "vtz.*" problems of the VTIMEZONEs */
    const cck_ics_comp *const *vtimezones; /* calendar item: the file's VTIMEZONEs */
    size_t n_vtimezones;

    /* The file. */
    const cck_ics_comp *calendar; /* VCALENDAR-level properties (METHOD, VERSION, ...) */
    cck_icstz *zones;             /* the file's time zones, for TZID lookups */

    /* Identity. */
    const cck_ics_prop *uid_prop; /* NULL when there is no UID */
    const char *uid;              /* its value, NUL-terminated ("" when absent) */
    size_t uid_len;
    bool is_override;                  /* has RECURRENCE-ID */
    bool orphan;                       /* ...and no master with its UID in the file */
    const cck_item *master;            /* an override's master item, when it has one */
    const cck_ics_prop *sequence_prop; /* SEQUENCE, NULL when absent */
    int64_t sequence;                  /* its value (0 when absent or unreadable) */
    bool sequence_valid;               /* present and an integer */

    /* Times, as written. */
    cck_icsdt dtstart, dtend, due, recurrence_id, dtstamp;
    const cck_ics_prop *duration_prop; /* DURATION, NULL when absent */
    bool duration_valid;
    int64_t duration; /* seconds, signed */

    /* Recurrence lines (first of each; the component has them all). */
    const cck_ics_prop *rrule; /* NULL when none */
    size_t n_rrule, n_rdate, n_exdate;
};

/* The end of the last instance of an iCalendar series with COUNT or UNTIL, as
 * a FILETIME; 0 when the series never ends, the item is no series or the end
 * cannot be worked out. Expands the rule (bounded by rrule.h's caps), so it is
 * asked only when needed ("is the item past"), not for every item read. */
uint64_t cck_icsinfo_series_end(const cck_item *it);

/* Line and column of a property for a finding text ("line 12:1"). */
static inline uint32_t cck_icsinfo_line(const cck_ics_prop *p)
{
    return p ? p->line : 0;
}

#endif
