/* icsout.h - `-F` for iCalendar input (DESIGN §8): the components of one input
 * calendar are split into two new calendars, the flagged ones and the rest,
 * each copied byte for byte from the input (never re-serialised, never
 * repaired) and each given the VTIMEZONEs its components use, so both files
 * are valid calendars on their own. The input is only read.
 *
 * Output layout (RFC 5545 §3.4, §3.6): the input's first VCALENDAR lines
 * (BEGIN:VCALENDAR, VERSION, PRODID, CALSCALE, METHOD, X-WR-..., exactly as
 * written, in their order, END:VCALENDAR excluded), then the VTIMEZONEs the
 * file's components use (in input order, each once), then the components in
 * input order, then END:VCALENDAR. Every component added goes to exactly one
 * of the two files; a VTIMEZONE goes to every file that uses it, and one used
 * by neither file goes to the clean one. A line the input left without a
 * terminator gets CRLF. Each file is written to a temporary name beside it and
 * renamed into place by cck_icsout_close, so a reader never sees half a file
 * and an earlier run's files are replaced whole.
 *
 * Ownership: the input buffer and the calendar component are borrowed and must
 * outlive the writer; everything else is copied.
 */
#ifndef CCK_ICSOUT_H
#define CCK_ICSOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ics/ics.h"

/* Distinct TZIDs one writer tracks; more make cck_icsout_put fail. */
#define CCK_ICSOUT_MAX_ZONES 10000

typedef struct cck_icsout cck_icsout;

/* Starts both files. `input` is the whole input file, `calendar` its
 * VCALENDAR-level properties as the reader gives them (cck_ics_calendar: their
 * off/end byte ranges point into input); NULL writes a minimal header
 * (BEGIN:VCALENDAR, VERSION:2.0, PRODID of calcheck). Returns NULL with *why
 * set when a file cannot be created. */
cck_icsout *cck_icsout_open(const char *flagged_path, const char *clean_path, const uint8_t *input,
                            size_t len, const cck_ics_comp *calendar, const char **why);

/* Makes a VTIMEZONE available: its TZID (n bytes) and its byte range
 * [off, end) in the input. The first definition of a TZID wins. 0 or -1. */
int cck_icsout_zone(cck_icsout *w, const char *tzid, size_t n, uint64_t off, uint64_t end);

/* Appends the component at [off, end) of the input to the flagged or the clean
 * file, with the TZIDs (tzids[i], lens[i] bytes) its properties name, so their
 * VTIMEZONEs go to the same file. 0, or -1 with the reason in *why. */
int cck_icsout_put(cck_icsout *w, bool flagged, uint64_t off, uint64_t end,
                   const char *const *tzids, const size_t *lens, size_t ntzids, const char **why);

/* Finishes both files (header, zones, components, END:VCALENDAR) and renames
 * them into place; frees w. Returns 0, or -1 with *why (the temporary files are
 * removed and earlier files at the final names left as they were). Counts of
 * components written are returned in *nflagged / *nclean when not NULL. */
int cck_icsout_close(cck_icsout *w, size_t *nflagged, size_t *nclean, const char **why);

/* Abandons both files (temporaries removed); frees w. */
void cck_icsout_abort(cck_icsout *w);

#endif
