/* icstz.h - the time zones of one iCalendar file: its VTIMEZONE definitions
 * (RFC 5545 §3.6.5, §3.8.3) and the zone names a client resolves without one:
 * IANA zone ids and Windows zone names ("W. Europe Standard Time", mapped to
 * IANA with CLDR's windowsZones table through ICU's
 * ucal_getTimeZoneIDForWindowsID).
 *
 * Use: cck_icstz_new(), cck_icstz_add() every VTIMEZONE of the file, then
 * cck_icstz_resolve() / cck_icstz_to_utc() for each TZID the events use. A
 * TZID names the file's own VTIMEZONE first (exact, case-sensitive match, as
 * RFC 5545 §3.2.19 says); only when there is none is it tried as an IANA id,
 * then as a Windows name.
 *
 * Ownership: the registry copies everything it keeps from the components it is
 * given (they may be freed after cck_icstz_add returns) and owns all its
 * memory; cck_icstz_free releases it. Not thread-safe: one registry per file
 * being read.
 */
#ifndef CCK_ICSTZ_H
#define CCK_ICSTZ_H

#include <stddef.h>
#include <stdint.h>

#include "ics/ics.h"
#include "util/problems.h"
#include "util/time.h"

/* Named limits. */
#define CCK_ICSTZ_MAX_ZONES       10000 /* VTIMEZONEs kept per file; more are reported, not kept */
#define CCK_ICSTZ_MAX_OBSERVANCES 256   /* STANDARD/DAYLIGHT blocks kept per VTIMEZONE */
#define CCK_ICSTZ_MAX_TZID        512   /* bytes of a TZID considered */

typedef enum {
    CCK_TZ_UNKNOWN = 0, /* neither defined in the file nor a known zone name */
    CCK_TZ_VTIMEZONE,   /* a usable VTIMEZONE of this file */
    CCK_TZ_IANA,        /* an IANA zone id known to ICU ("Europe/Berlin") */
    CCK_TZ_WINDOWS      /* a Windows zone name CLDR maps to an IANA id */
} cck_tzkind;

typedef struct cck_icstz cck_icstz;

/* Returns NULL only when out of memory. */
cck_icstz *cck_icstz_new(void);
void cck_icstz_free(cck_icstz *z);

/* Adds one VTIMEZONE top-level component. Every defect becomes a problem in
 * pr (codes "vtz.*", text starting "line L:C: " like the parser's): no TZID,
 * no STANDARD or DAYLIGHT, an observance without DTSTART / TZOFFSETFROM /
 * TZOFFSETTO or with a value that cannot be read, an RRULE that cannot be
 * read, a TZID already defined earlier in the file (the first one is kept),
 * more than the named limits. Returns 0 when the zone was kept and can be
 * used, -1 when it cannot (the problems say why). */
int cck_icstz_add(cck_icstz *z, const cck_ics_comp *vtz, cck_problems *pr);

/* How a TZID parameter value (quotes already removed, n bytes) resolves.
 * When kind is CCK_TZ_WINDOWS or CCK_TZ_IANA and iana is not NULL, *iana
 * points to the IANA id used (valid until cck_icstz_free). */
cck_tzkind cck_icstz_resolve(cck_icstz *z, const char *tzid, size_t n, const char **iana);

/* Converts a wall-clock time in zone `tzid` to UTC, as seconds since
 * 1601-01-01 00:00 UTC. A time that does not exist (in a gap) is read with
 * the offset in effect before the gap, an ambiguous one (in an overlap) as its
 * first occurrence (RFC 5545 §3.3.5). Returns 0, or -1 when the zone does not
 * resolve (CCK_TZ_UNKNOWN) or the time is out of range. Fast for repeated
 * calls: each zone's offset changes are built once into a sorted table, and
 * the last zone and interval looked up are remembered. */
int cck_icstz_to_utc(cck_icstz *z, const char *tzid, size_t n, const cck_civil *local,
                     int64_t *utc_secs1601);

/* The inverse: the wall clock in zone `tzid` of a UTC instant (both as
 * seconds since 1601-01-01), found by refining a guess through
 * cck_icstz_to_utc (a few steps; in an overlap the first reading). Returns 0,
 * or -1 when the zone does not resolve. */
int cck_icstz_from_utc(cck_icstz *z, const char *tzid, size_t n, int64_t utc, int64_t *wall);

#endif
