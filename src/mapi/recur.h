/* recur.h - RecurrencePattern and AppointmentRecurrencePattern ([MS-OXOCAL] 2.2.1.44).
 *
 * cck_recur_parse() decodes a bare RecurrencePattern (2.2.1.44.1, as in task
 * recurrences); cck_apptrecur_parse() decodes PidLidAppointmentRecur, an
 * AppointmentRecurrencePattern (2.2.1.44.5) with its ExceptionInfo (2.2.1.44.2)
 * and ExtendedException (2.2.1.44.3) arrays. Both decode as much as the bytes
 * allow and record every structural problem (code "recur.*", byte offset from
 * the start of the blob) in the caller's cck_problems; they return NULL only
 * when the arena is exhausted. Everything returned - arrays and strings -
 * lives in the caller's arena; the input bytes are not referenced afterwards.
 *
 * Member names follow the specification verbatim so that dumps, checks and
 * the spec read alike. Counts from the blob (DeletedInstanceCount, ...) are
 * kept as read; the n_* members say how many entries were actually decoded.
 */
#ifndef CCK_RECUR_H
#define CCK_RECUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/emit.h"
#include "util/problems.h"
#include "util/text.h"

/* Most deleted/modified instance dates decoded per pattern; larger counts are
 * recorded as "recur.too_many" and only this many dates are kept. */
#define CCK_RECUR_MAX_INSTANCES 0x10000u

/* RecurFrequency values (2.2.1.44.1). */
#define CCK_RECUR_FREQ_DAILY   0x200A
#define CCK_RECUR_FREQ_WEEKLY  0x200B
#define CCK_RECUR_FREQ_MONTHLY 0x200C
#define CCK_RECUR_FREQ_YEARLY  0x200D

/* PatternType values (2.2.1.44.1). */
#define CCK_PATTERN_DAY        0x0000
#define CCK_PATTERN_WEEK       0x0001
#define CCK_PATTERN_MONTH      0x0002
#define CCK_PATTERN_MONTHNTH   0x0003
#define CCK_PATTERN_MONTHEND   0x0004
#define CCK_PATTERN_HJMONTH    0x000A
#define CCK_PATTERN_HJMONTHNTH 0x000B
#define CCK_PATTERN_HJMONTHEND 0x000C

/* EndType values (2.2.1.44.1); 0xFFFFFFFF is an older spelling of "never". */
#define CCK_END_AFTER_DATE 0x00002021u
#define CCK_END_AFTER_N    0x00002022u
#define CCK_END_NEVER      0x00002023u
#define CCK_END_NEVER2     0xFFFFFFFFu
/* EndDate of a series that never ends: 4500-12-31 23:59. */
#define CCK_RECUR_NO_END_DATE 0x5AE980DFu

/* Versions (2.2.1.44.1, 2.2.1.44.5). */
#define CCK_RECUR_VERSION  0x3004
#define CCK_RECUR_VERSION2 0x3006
/* WriterVersion2 from which each ExtendedException starts with a ChangeHighlight. */
#define CCK_RECUR_VERSION2_HIGHLIGHT 0x3009

/* OverrideFlags bits (2.2.1.44.2). */
#define CCK_ARO_SUBJECT          0x0001
#define CCK_ARO_MEETINGTYPE      0x0002
#define CCK_ARO_REMINDERDELTA    0x0004
#define CCK_ARO_REMINDER         0x0008
#define CCK_ARO_LOCATION         0x0010
#define CCK_ARO_BUSYSTATUS       0x0020
#define CCK_ARO_ATTACHMENT       0x0040
#define CCK_ARO_SUBTYPE          0x0080
#define CCK_ARO_APPTCOLOR        0x0100
#define CCK_ARO_EXCEPTIONAL_BODY 0x0200
#define CCK_ARO_ALL              0x03FF

/* A RecurrencePattern (2.2.1.44.1). Fields not reached before the blob ended
 * are zero; `complete` says whether every field was present. */
typedef struct cck_recur {
    uint16_t ReaderVersion, WriterVersion;
    uint16_t RecurFrequency; /* CCK_RECUR_FREQ_* */
    uint16_t PatternType;    /* CCK_PATTERN_* */
    uint16_t CalendarType;   /* CAL_* (0 = default Gregorian) */
    uint32_t FirstDateTime;  /* offset of the first period, in the Period's unit */
    uint32_t Period;         /* minutes (daily), weeks (weekly) or months */
    uint32_t SlidingFlag;    /* tasks only */
    /* PatternTypeSpecific (2.2.1.44.1.2), by PatternType:
     * Week: DayOfWeek bits; Month/MonthEnd/HjMonth/HjMonthEnd: Day;
     * MonthNth/HjMonthNth: DayOfWeek bits and N (1..4, 5 = last). */
    size_t PatternTypeSpecificSize; /* 0, 4 or 8 bytes */
    uint32_t DayOfWeek;             /* bit 0 = Sunday .. bit 6 = Saturday */
    uint32_t Day;
    uint32_t N;
    uint32_t EndType; /* CCK_END_* */
    uint32_t OccurrenceCount;
    uint32_t FirstDOW; /* 0 = Sunday */
    uint32_t DeletedInstanceCount;
    /* Local midnight (minutes since 1601) of the original day of every
     * instance that was deleted or modified, ascending. */
    const uint32_t *DeletedInstanceDates; /* n_deleted of them */
    size_t n_deleted;
    uint32_t ModifiedInstanceCount;
    /* Local midnight of the day each modified instance now starts on,
     * ascending. Not a subset of DeletedInstanceDates: an exception moved to
     * another day is listed under its old day there and its new day here. */
    const uint32_t *ModifiedInstanceDates; /* n_modified of them */
    size_t n_modified;
    uint32_t StartDate, EndDate; /* minutes since 1601, midnight */
    bool complete;
    size_t size; /* bytes this pattern occupies (as far as decoded) */
} cck_recur;

/* An ExceptionInfo (2.2.1.44.2); optional members are valid when their
 * OverrideFlags bit is set. Subject and Location are 8-bit text in the
 * message's code page: the raw bytes are kept, and a UTF-8 rendering that
 * assumes Windows-1252 (callers knowing the code page can reconvert). */
typedef struct cck_exception_info {
    uint64_t offset;                                        /* of this ExceptionInfo in the blob */
    uint32_t StartDateTime, EndDateTime, OriginalStartDate; /* minutes since 1601 */
    uint16_t OverrideFlags;                                 /* CCK_ARO_* */
    uint16_t SubjectLength, SubjectLength2;
    const uint8_t *Subject; /* SubjectLength2 bytes (or fewer if truncated): n_subject */
    size_t n_subject;
    cck_str SubjectUtf8;
    uint32_t MeetingType, ReminderDelta, ReminderSet;
    uint16_t LocationLength, LocationLength2;
    const uint8_t *Location;
    size_t n_location;
    cck_str LocationUtf8;
    uint32_t BusyStatus, Attachment, SubType, AppointmentColor;
    bool complete;
} cck_exception_info;

/* An ExtendedException (2.2.1.44.3). */
typedef struct cck_extended_exception {
    uint64_t offset;
    bool has_change_highlight; /* WriterVersion2 >= 0x3009 */
    uint32_t ChangeHighlightSize, ChangeHighlightValue;
    uint32_t ReservedBlockEE1Size;
    bool has_dates; /* the matching ExceptionInfo overrides subject or location */
    uint32_t StartDateTime, EndDateTime, OriginalStartDate;
    uint16_t WideCharSubjectLength; /* in UTF-16 code units */
    cck_str WideCharSubject;
    uint16_t WideCharLocationLength;
    cck_str WideCharLocation;
    uint32_t ReservedBlockEE2Size;
    bool complete;
} cck_extended_exception;

/* An AppointmentRecurrencePattern (2.2.1.44.5). */
typedef struct cck_apptrecur {
    cck_recur RecurrencePattern;
    uint32_t ReaderVersion2, WriterVersion2;
    uint32_t StartTimeOffset, EndTimeOffset; /* minutes after midnight, local time */
    uint16_t ExceptionCount;
    cck_exception_info *ExceptionInfo; /* n_exception_info of them */
    size_t n_exception_info;
    uint32_t ReservedBlock1Size;
    cck_extended_exception *ExtendedException; /* n_extended_exception of them */
    size_t n_extended_exception;
    uint32_t ReservedBlock2Size;
    bool complete; /* every field present (trailing bytes aside) */
    size_t size;
} cck_apptrecur;

const cck_recur *cck_recur_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr);
const cck_apptrecur *cck_apptrecur_parse(const uint8_t *p, size_t n, cck_arena *a,
                                         cck_problems *pr);

/* Render as one object named `key` (NULL at the root or in an array), the
 * spec's members followed by a "problems" array holding every problem in `pr`
 * (pass the list the parse wrote to, or NULL for none). */
void cck_recur_emit(const cck_recur *r, const cck_problems *pr, cck_emit *e, const char *key);
void cck_apptrecur_emit(const cck_apptrecur *r, const cck_problems *pr, cck_emit *e,
                        const char *key);

/* Names for the enumerations, or NULL when the value is not defined. */
const char *cck_recur_frequency_name(uint32_t v);     /* "Daily" */
const char *cck_recur_pattern_type_name(uint32_t v);  /* "Week" */
const char *cck_recur_calendar_type_name(uint32_t v); /* "Gregorian" */
const char *cck_recur_end_type_name(uint32_t v);      /* "EndAfterDate" */
/* Whether RecurFrequency and PatternType may go together (2.2.1.44.1). */
bool cck_recur_combination_valid(uint32_t frequency, uint32_t pattern_type);
/* Bytes of PatternTypeSpecific for a pattern type, or -1 if it is undefined. */
int cck_recur_pattern_specific_size(uint32_t pattern_type);
/* "Mo We Fr"-style list of DayOfWeek bits into buf (>= 32 bytes). */
char *cck_recur_days_fmt(uint32_t bits, char *buf, size_t n);

/* Writes a "problems" array member ({"code","severity","offset","text"} each)
 * for `pr` (nothing but an empty array when pr is NULL). Shared by the mapi
 * structure emitters. */
void cck_mapi_emit_problems(const cck_problems *pr, cck_emit *e);

#endif
