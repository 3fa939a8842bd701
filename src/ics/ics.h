/* ics.h - tolerant, streaming iCalendar reader (RFC 5545 §3.1-§3.6).
 *
 * A pull reader: each cck_ics_next() yields one top-level component of the
 * VCALENDAR (a VEVENT with its VALARMs, a VTIMEZONE with STANDARD/DAYLIGHT,
 * a VTODO...) built in an arena the caller supplies and may reset between
 * components, so memory stays flat however many components a file holds.
 * The VCALENDAR's own properties (VERSION, PRODID, METHOD, X-WR-*) are kept
 * by the reader and read with cck_ics_calendar().
 *
 * Nothing is silently dropped or repaired: every content line becomes a
 * property with its unfolded raw text, its name as written and upper-cased,
 * its parameters (quotes removed, one entry per value), its raw value (TEXT
 * escapes NOT decoded; see cck_ics_text_decode) and its line:column and byte
 * range; every defect becomes an "ics.*" problem whose text starts
 * "line L:C: ".
 *
 * Two ways to feed it: cck_ics_open() over a whole buffer (borrowed, not
 * copied; never returns CCK_ICS_MORE), or cck_ics_open_stream() then
 * cck_ics_feed() chunks and cck_ics_finish() at the end: cck_ics_next()
 * returns CCK_ICS_MORE when it needs more input, and the caller feeds and
 * calls it again with the SAME arena and problem list (no reset in between).
 * Both ways give the same components and problems for any chunking.
 */
#ifndef CCK_ICS_H
#define CCK_ICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/problems.h"

/* Named limits: every size the input controls. */
#define CCK_ICS_LINE_MAX     ((size_t)32 << 20) /* unfolded content line, bytes */
#define CCK_ICS_FOLDS_MAX    65536              /* physical lines in one content line */
#define CCK_ICS_DEPTH_MAX    16                 /* nesting below VCALENDAR (VEVENT=1, VALARM=2) */
#define CCK_ICS_PROPS_MAX    100000 /* properties in one top-level component (all levels) */
#define CCK_ICS_COMPS_MAX    10000  /* sub-components in one top-level component */
#define CCK_ICS_PARAMS_MAX   256    /* parameters on one property */
#define CCK_ICS_VALUES_MAX   1024   /* values of one parameter */
#define CCK_ICS_CALPROPS_MAX 10000  /* VCALENDAR-level properties kept by the reader */
#define CCK_ICS_FOLD_COLUMN  75     /* RFC 5545 §3.1: lines SHOULD NOT be longer */

#define CCK_ICS_MORE (-1) /* cck_ics_next: feed more input (stream mode only) */

/* Names the reader interns: each property and parameter carries the id of its
 * upper-cased name when the name is one of these, so that the mapping and the
 * checks, which look at every property of every component, compare a number
 * instead of a string. CCK_ICSN_OTHER: any other name (every X- name not listed,
 * a bad line's ""). Property and parameter names share the list (TZID is both). */
#define CCK_ICS_NAMES(X)                                                                           \
    X(ATTACH, "ATTACH")                                                                            \
    X(ATTENDEE, "ATTENDEE")                                                                        \
    X(BEGIN, "BEGIN")                                                                              \
    X(CATEGORIES, "CATEGORIES")                                                                    \
    X(CLASS, "CLASS")                                                                              \
    X(CN, "CN")                                                                                    \
    X(COMMENT, "COMMENT")                                                                          \
    X(COMPLETED, "COMPLETED")                                                                      \
    X(CONTACT, "CONTACT")                                                                          \
    X(CREATED, "CREATED")                                                                          \
    X(DESCRIPTION, "DESCRIPTION")                                                                  \
    X(DTEND, "DTEND")                                                                              \
    X(DTSTAMP, "DTSTAMP")                                                                          \
    X(DTSTART, "DTSTART")                                                                          \
    X(DUE, "DUE")                                                                                  \
    X(DURATION, "DURATION")                                                                        \
    X(END, "END")                                                                                  \
    X(EXDATE, "EXDATE")                                                                            \
    X(GEO, "GEO")                                                                                  \
    X(LAST_MODIFIED, "LAST-MODIFIED")                                                              \
    X(LOCATION, "LOCATION")                                                                        \
    X(METHOD, "METHOD")                                                                            \
    X(ORGANIZER, "ORGANIZER")                                                                      \
    X(PERCENT_COMPLETE, "PERCENT-COMPLETE")                                                        \
    X(PRIORITY, "PRIORITY")                                                                        \
    X(PRODID, "PRODID")                                                                            \
    X(RDATE, "RDATE")                                                                              \
    X(RECURRENCE_ID, "RECURRENCE-ID")                                                              \
    X(RELATED_TO, "RELATED-TO")                                                                    \
    X(RESOURCES, "RESOURCES")                                                                      \
    X(ROLE, "ROLE")                                                                                \
    X(RRULE, "RRULE")                                                                              \
    X(SEQUENCE, "SEQUENCE")                                                                        \
    X(STATUS, "STATUS")                                                                            \
    X(SUMMARY, "SUMMARY")                                                                          \
    X(TRANSP, "TRANSP")                                                                            \
    X(TZID, "TZID")                                                                                \
    X(TZNAME, "TZNAME")                                                                            \
    X(TZOFFSETFROM, "TZOFFSETFROM")                                                                \
    X(TZOFFSETTO, "TZOFFSETTO")                                                                    \
    X(UID, "UID")                                                                                  \
    X(URL, "URL")                                                                                  \
    X(VALUE, "VALUE")                                                                              \
    X(VERSION, "VERSION")                                                                          \
    X(X_WR_CALDESC, "X-WR-CALDESC")                                                                \
    X(X_WR_CALNAME, "X-WR-CALNAME")                                                                \
    X(X_WR_RELCALID, "X-WR-RELCALID")                                                              \
    X(X_WR_TIMEZONE, "X-WR-TIMEZONE")

typedef enum cck_ics_name {
    CCK_ICSN_OTHER = 0,
#define CCK_ICS_NAME_ENUM_(id, str) CCK_ICSN_##id,
    CCK_ICS_NAMES(CCK_ICS_NAME_ENUM_)
#undef CCK_ICS_NAME_ENUM_
        CCK_ICSN_COUNT
} cck_ics_name;

/* The id of name (n bytes, upper-cased as the reader stores names), or
 * CCK_ICSN_OTHER when it is not in CCK_ICS_NAMES. */
cck_ics_name cck_ics_name_id(const char *name, size_t n);
/* The listed spelling of id ("" for CCK_ICSN_OTHER or an id out of range). */
const char *cck_ics_name_str(cck_ics_name id);

typedef struct cck_ics_param {
    const char *name;     /* upper-cased, NUL-terminated */
    const char *name_raw; /* as written */
    const char **values;  /* quotes removed; nvalues entries */
    size_t nvalues;
    bool quoted_any;    /* at least one value was quoted */
    uint16_t id;        /* cck_ics_name of name */
    uint32_t line, col; /* where the parameter name starts */
} cck_ics_param;

typedef struct cck_ics_prop {
    const char *name;     /* upper-cased; "" when the line has no valid name */
    const char *name_raw; /* as written */
    cck_ics_param *params;
    size_t nparams;
    const char *value; /* raw value after the first unquoted ':' (unfolded, escapes kept) */
    size_t value_len;  /* bytes (the value may contain NULs) */
    const char *raw;   /* the whole unfolded content line */
    size_t raw_len;
    uint32_t line, col;             /* where the property starts (col is 1 unless a bad fold) */
    uint32_t value_line, value_col; /* where the value starts */
    uint64_t off, end;              /* byte range in the input, line terminators included */
    bool bad;                       /* the line has a syntax problem (no colon, bad name...) */
    bool truncated;                 /* longer than CCK_ICS_LINE_MAX or CCK_ICS_FOLDS_MAX: cut */
    uint16_t id;                    /* cck_ics_name of name, whether or not the line is bad */
    struct cck_ics_prop *next;
} cck_ics_prop;

typedef struct cck_ics_comp {
    const char *name;                     /* upper-cased BEGIN value, e.g. "VEVENT" */
    const char *name_raw;                 /* as written */
    const cck_ics_prop *begin, *end_prop; /* the BEGIN and END lines (end_prop NULL if unclosed) */
    cck_ics_prop *props;                  /* properties in order, BEGIN/END excluded */
    size_t nprops;
    struct cck_ics_comp *children; /* first nested component */
    struct cck_ics_comp *next;     /* next sibling */
    struct cck_ics_comp *parent;   /* NULL for a top-level component */
    size_t nchildren;
    uint32_t depth;          /* 1 for a top-level component */
    uint32_t line, end_line; /* BEGIN and END lines (end_line 0 if unclosed) */
    uint64_t off, end;       /* byte range, BEGIN to END line inclusive */
    bool unclosed;           /* no matching END before EOF or a mismatched END */
    bool outside;            /* not inside a VCALENDAR */
    size_t dropped_props;    /* over CCK_ICS_PROPS_MAX or the arena ceiling */
    unsigned calendar;       /* 0-based index of the VCALENDAR it belongs to */
} cck_ics_comp;

typedef struct cck_ics_reader cck_ics_reader;

/* Whole-buffer reader: data is borrowed and must outlive the reader.
 * Calendar-level problems go to calendar_problems (its arena must outlive the
 * reader too). Returns NULL only when out of memory. */
cck_ics_reader *cck_ics_open(const uint8_t *data, size_t len, cck_problems *calendar_problems);
/* Whole-buffer reader over one piece of a larger input that lies inside a
 * VCALENDAR (a component found by a scan of the whole file, read on its own):
 * line numbers start at first_line and byte offsets at base_off, so problems
 * and positions are those of the whole file. */
cck_ics_reader *cck_ics_open_slice(const uint8_t *data, size_t len, cck_problems *calendar_problems,
                                   uint32_t first_line, uint64_t base_off);
/* Chunked reader: feed with cck_ics_feed, end with cck_ics_finish. */
cck_ics_reader *cck_ics_open_stream(cck_problems *calendar_problems);
/* Copies the chunk in; returns -1 when out of memory (the reader stays usable). */
int cck_ics_feed(cck_ics_reader *r, const uint8_t *data, size_t len);
void cck_ics_finish(cck_ics_reader *r);
void cck_ics_close(cck_ics_reader *r);

/* Next top-level component: 1 (in *c, built in a; its problems in pr, which
 * the caller initialized over an arena), 0 at the end, CCK_ICS_MORE when a
 * stream reader needs input. Never fails otherwise: damage becomes problems. */
int cck_ics_next(cck_ics_reader *r, cck_arena *a, const cck_ics_comp **c, cck_problems *pr);

/* The VCALENDAR-level properties seen so far (all of them after next() == 0),
 * as a component named "VCALENDAR" with no children; plus counts. */
const cck_ics_comp *cck_ics_calendar(const cck_ics_reader *r);
unsigned cck_ics_calendar_count(const cck_ics_reader *r); /* BEGIN:VCALENDAR seen */
uint32_t cck_ics_lines(const cck_ics_reader *r);          /* physical lines read so far */

/* First property of c (not of its children) with this name (case-insensitive), or NULL. */
const cck_ics_prop *cck_ics_get(const cck_ics_comp *c, const char *name);
/* First value of parameter `name` on p, or NULL. */
const cck_ics_param *cck_ics_param_get(const cck_ics_prop *p, const char *name);
/* The same two lookups by interned name (id != CCK_ICSN_OTHER). */
const cck_ics_prop *cck_ics_get_id(const cck_ics_comp *c, cck_ics_name id);
const cck_ics_param *cck_ics_param_get_id(const cck_ics_prop *p, cck_ics_name id);

/* The offset of the first CR or LF in b[p, n), or n: where a physical line
 * ends (RFC 5545 §3.1), found as fast as the reader finds it (for scans of a
 * whole file before it is parsed). */
size_t cck_ics_line_break(const uint8_t *b, size_t p, size_t n);
/* The CRs and LFs of the 64 bytes from b[at] as a bit mask: bit i is set when
 * b[at + i] is one (i < 64 and at + i < n; at <= n). A whole-file scan walks
 * the lines a block at a time with it instead of a search per line. */
uint64_t cck_ics_break_mask64(const uint8_t *b, size_t at, size_t n);

/* Decodes RFC 5545 §3.3.11 TEXT escapes (\\ \; \, \n \N) of p's value into a
 * NUL-terminated arena string (*out_len bytes). A bad escape is kept as written
 * and reported (ics.bad_escape) into pr when pr is not NULL. Returns NULL only
 * when the arena is exhausted. */
char *cck_ics_text_decode(const cck_ics_prop *p, cck_arena *a, size_t *out_len, cck_problems *pr);

#endif
