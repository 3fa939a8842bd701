/* goid.h - GlobalObjectId / CleanGlobalObjectId ([MS-OXOCAL] 2.2.1.27, 2.2.1.28).
 *
 * Both properties hold the same structure: a fixed class id, the instance
 * date (YH, YL, Month, D; all zero in a clean id and in a series master), a
 * creation FILETIME, 8 reserved bytes, then Size bytes of Data. Data is either
 * opaque (Outlook's own ids) or the "vCal-Uid" form that carries an iCalendar
 * UID ([MS-OXCICAL] 2.1.3.1.1.20.26). The parser decodes what the bytes allow,
 * records problems ("goid.*", offsets from the start of the blob) in the
 * caller's cck_problems and returns NULL only when the arena is exhausted.
 * Everything returned lives in the caller's arena.
 */
#ifndef CCK_GOID_H
#define CCK_GOID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/emit.h"
#include "util/problems.h"

#define CCK_GOID_HEADER_SIZE 40 /* everything before Data */
/* Longest vCal-Uid UID decoded; longer ones are cut and reported. */
#define CCK_GOID_MAX_UID 4096

/* The Byte Array ID every GlobalObjectId starts with. */
extern const uint8_t CCK_GOID_CLASS_ID[16];

typedef struct cck_goid {
    uint8_t ByteArrayID[16];
    uint8_t YH, YL; /* the year, big-endian */
    uint16_t Year;  /* YH << 8 | YL */
    uint8_t Month, D;
    uint64_t CreationTime; /* FILETIME */
    uint8_t X[8];
    uint32_t Size;
    const uint8_t *Data; /* n_data bytes (fewer than Size if truncated) */
    size_t n_data;
    bool complete;
    /* The vCal-Uid form of Data: "vCal-Uid", a 4-byte version, the UID bytes (NUL-terminated). */
    bool is_vcal;
    uint32_t vcal_version;
    const char *vcal_uid; /* NUL-terminated copy */
    size_t vcal_uid_len;
} cck_goid;

const cck_goid *cck_goid_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr);
/* One object named `key`: ByteArrayID, Year, Month, Day, CreationTime, X,
 * Size, Data, [vCal-Uid], then "problems" (of `pr`, or empty when NULL). */
void cck_goid_emit(const cck_goid *g, const cck_problems *pr, cck_emit *e, const char *key);

/* True when `clean` is `goid` with the instance date (bytes 16..19) zeroed:
 * the relation 2.2.1.28 requires between the two properties. */
bool cck_goid_is_clean_of(const uint8_t *goid, size_t n, const uint8_t *clean, size_t cn);
/* True when the blob carries an instance date (an exception's id). */
bool cck_goid_has_instance_date(const uint8_t *goid, size_t n);

#endif
