/* dump.h - `calcheck dump`: every property of an Outlook item, its
 * recipients and attachments (recursively into embedded messages), with the
 * calendar structures decoded, as indented text or one JSON document. */
#ifndef CCK_DUMP_H
#define CCK_DUMP_H

#include <stdbool.h>
#include <stdio.h>

/* The structures `--blob KIND` decodes; names as on the command line. */
typedef enum {
    CCK_BLOB_NONE = 0,
    CCK_BLOB_RECUR,   /* "recur": AppointmentRecurrencePattern ([MS-OXOCAL] 2.2.1.44.5) */
    CCK_BLOB_PATTERN, /* "pattern": RecurrencePattern alone (2.2.1.44.1), e.g. tasks */
    CCK_BLOB_TZDEF,   /* "tzdef": TZDEFINITION (2.2.1.42) */
    CCK_BLOB_TZREG,   /* "tzreg": TZREG, PidLidTimeZoneStruct (2.2.1.39) */
    CCK_BLOB_GOID,    /* "goid": GlobalObjectId / CleanGlobalObjectId (2.2.1.27) */
    CCK_BLOB_PDS,     /* "pds": PidLidPropertyDefinitionStream (see mapi/pds.h) */
} cck_blob_kind;

typedef struct cck_dump_opts {
    bool json;
    cck_blob_kind blob; /* CCK_BLOB_NONE: FILE is a .msg */
} cck_dump_opts;

/* Maps a --blob argument to its kind (CCK_BLOB_NONE when unknown). */
cck_blob_kind cck_dump_blob_kind(const char *name);

/* Dumps FILE to `out`. Returns 0 when it decoded without structural
 * problems, 1 when it decoded with problems (they are in the output), 2 when
 * the file could not be read or is not what was asked for (a message naming
 * the file and the reason is on stderr). */
int cck_dump_file(const char *path, const cck_dump_opts *o, FILE *out);

#endif
