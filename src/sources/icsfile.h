/* icsfile.h - an iCalendar file as a calendar source (DESIGN §4, .ics row):
 * every VEVENT, VTODO and VJOURNAL becomes an item, a series master with its
 * RECURRENCE-ID overrides as one item wherever in the file they are, an
 * override whose master is missing an item of its own; at the end, the
 * calendar item (the VCALENDAR's own lines and the VTIMEZONEs).
 *
 * One pass of the parser over the file does the work; a quick scan before it
 * (line starts only) counts, per UID, the masters and overrides, so that a
 * master whose overrides are still to come is held back - as byte ranges,
 * never as parsed trees - and read again from those ranges once its group is
 * complete (or at the end of the file). The scan only decides *when* a group
 * is checked, never *whether*: every component is checked exactly once,
 * whatever the scan got wrong. cck_icssrc_open_mt shares the scan of a
 * large file between two threads. Memory: the file, 16 bytes per component
 * while the scan runs, then 32 bytes per UID that has overrides and the
 * pieces of groups not yet complete.
 *
 * Ownership: the data (the whole file) and path are borrowed and must outlive
 * the source. Items and units live in the arena given to cck_icssrc_next,
 * which the source resets as it goes.
 */
#ifndef CCK_ICSFILE_H
#define CCK_ICSFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ics/ics.h"
#include "model/item.h"
#include "util/arena.h"

/* TZIDs recorded per unit for -F (more are not followed: their zones are
 * still written, to the clean file). */
#define CCK_ICSSRC_MAX_TZIDS 64

typedef struct cck_icsrange {
    uint64_t off, end; /* byte range of a top-level component in the file */
} cck_icsrange;

typedef enum {
    CCK_ICSUNIT_ITEM = 1, /* a calendar item (it is filled) */
    CCK_ICSUNIT_OTHER     /* another component (VFREEBUSY, X-...): only its range */
} cck_icsunit_kind;

/* What cck_icssrc_next gives: an item or another component, the byte ranges
 * of its components and the TZIDs they name (for -F). Lives in the arena. */
typedef struct cck_icsunit {
    cck_icsunit_kind kind;
    cck_item it;
    const cck_icsrange *ranges;
    size_t nranges;
    const char *tzids[CCK_ICSSRC_MAX_TZIDS];
    size_t tzid_lens[CCK_ICSSRC_MAX_TZIDS];
    size_t ntzids;
} cck_icsunit;

typedef struct cck_icssrc cck_icssrc;

/* Starts reading the file's bytes. NULL only when out of memory. */
cck_icssrc *cck_icssrc_open(const char *path, const uint8_t *data, size_t len);
/* The same, but a file of at least split_min bytes is scanned by two
 * threads, a half each (the result is the same as with one). */
#define CCK_ICSSRC_SPLIT_MIN ((size_t)4 << 20)
cck_icssrc *cck_icssrc_open_mt(const char *path, const uint8_t *data, size_t len, size_t split_min);
/* The next unit: 1 (in *u, built in a, which the source resets first), 0 at
 * the end, -1 when the arena or memory ran out (*why says so; the rest of the
 * file is then skipped). */
int cck_icssrc_next(cck_icssrc *s, cck_arena *a, cck_icsunit *u, const char **why);

/* After the last unit: the calendar item of the file (built in a). */
int cck_icssrc_calendar_item(cck_icssrc *s, cck_arena *a, cck_item *it);
/* The VCALENDAR-level properties (complete after the last unit). */
const cck_ics_comp *cck_icssrc_calendar(const cck_icssrc *s);
/* How many components other than VTIMEZONEs the scan counted: about the
 * number of units to come (overrides join their master), for sizing. */
size_t cck_icssrc_ncomponents(const cck_icssrc *s);
/* The file's VTIMEZONEs: TZID and byte range, for -F. */
size_t cck_icssrc_nzones(const cck_icssrc *s);
void cck_icssrc_zone(const cck_icssrc *s, size_t i, const char **tzid, size_t *n,
                     cck_icsrange *range);
void cck_icssrc_close(cck_icssrc *s);

#endif
