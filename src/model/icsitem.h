/* icsitem.h - fills the neutral item (item.h, icsinfo.h) from iCalendar
 * components (ics/ics.h): a VEVENT/VTODO/VJOURNAL with its RECURRENCE-ID
 * overrides as exceptions, or the calendar item of a file. The MAPI-era
 * fields get the iCalendar values of the same meaning (DESIGN §3): SUMMARY →
 * subject, LOCATION → location, DTSTART/DTEND/DURATION/DUE → start/end (UTC,
 * through the file's zones), all-day from DATE values, ORGANIZER → sent-
 * representing name/address, ATTENDEE → recipients, RRULE/RDATE → recurring,
 * CATEGORIES → keywords, CREATED/LAST-MODIFIED → creation/modification.
 * Everything else is read into the icsinfo and left to the iCalendar checks.
 */
#ifndef CCK_ICSITEM_H
#define CCK_ICSITEM_H

#include <stddef.h>

#include "ics/ics.h"
#include "ics/icstz.h"
#include "model/icsinfo.h"
#include "model/item.h"
#include "util/arena.h"
#include "util/problems.h"

/* What the items of one file share; owned by the source, outlives its items. */
typedef struct cck_icsfile {
    const char *source;               /* the file's path (or URL) */
    const cck_ics_comp *calendar;     /* VCALENDAR-level properties */
    cck_icstz *zones;                 /* the file's VTIMEZONEs, resolved */
    const cck_problems *cal_problems; /* problems outside components, and "vtz.*" */
    const cck_ics_comp *const *vtimezones;
    size_t n_vtimezones;
} cck_icsfile;

/* One parsed top-level component with the parser's problems on it. */
typedef struct cck_icspart {
    const cck_ics_comp *comp;
    const cck_problems *problems;
} cck_icspart;

/* Fills *out from `main` (a master, a single component, or an override
 * without master: then orphan is set) and its overrides. The item, its
 * exceptions and their icsinfos are allocated in `a`; the components must
 * stay alive as long as the item. Returns 0, or -1 when the arena is
 * exhausted. */
int cck_item_from_ics(const cck_icspart *main, const cck_icspart *overrides, size_t n_overrides,
                      const cck_icsfile *file, cck_arena *a, cck_item *out);

/* Fills *out as the calendar item of the file (icsinfo.calendar_item). */
int cck_item_ics_calendar(const cck_icsfile *file, cck_arena *a, cck_item *out);

#endif
