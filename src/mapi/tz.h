/* tz.h - time-zone structures of calendar items ([MS-OXOCAL] 2.2.1.39-2.2.1.41).
 *
 * TZREG is the 48-byte PidLidTimeZoneStruct (2.2.1.39); TZDEFINITION is the
 * stream in PidLidAppointmentTimeZoneDefinitionRecur / StartDisplay /
 * EndDisplay (2.2.1.41, 2.2.1.42, 2.2.1.43) holding a key name and TZRule
 * structures (2.2.1.41.1). The parsers decode what the bytes allow, record
 * every structural problem ("tzreg.*", "tzdef.*", offset from the start of
 * the blob) in the caller's cck_problems, and return NULL only when the arena
 * is exhausted. Everything returned lives in the caller's arena.
 */
#ifndef CCK_TZ_H
#define CCK_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/emit.h"
#include "util/problems.h"
#include "util/text.h"

/* Most TZRule structures decoded per TZDEFINITION; the count field is 16
 * bits, and real definitions hold a few dozen at most. */
#define CCK_TZDEF_MAX_RULES 1024
#define CCK_TZREG_SIZE      48
#define CCK_TZRULE_SIZE     66   /* 4 bytes of versions and size + 0x3E */
#define CCK_TZRULE_RESERVED 0x3E /* the Reserved field: bytes after it */

/* TZDEFINITION flags (the field 2.2.1.41 calls Reserved, MUST be 0x0002). */
#define CCK_TZDEFINITION_FLAG_VALID_GUID    0x0001
#define CCK_TZDEFINITION_FLAG_VALID_KEYNAME 0x0002
/* TZRule flags (2.2.1.41.1). */
#define CCK_TZRULE_FLAG_RECUR_CURRENT_TZREG 0x0001
#define CCK_TZRULE_FLAG_EFFECTIVE_TZREG     0x0002

/* [MS-DTYP] SYSTEMTIME. In a time-zone rule, wYear 0 means the relative form
 * ("wDay-th wDayOfWeek of wMonth", wDay 5 = last); wMonth 0 means no transition. */
typedef struct cck_systemtime {
    uint16_t wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds;
} cck_systemtime;

/* TZREG (2.2.1.39). Biases are minutes: UTC = local + lBias + lStandardBias
 * (or lDaylightBias during daylight time). */
typedef struct cck_tzreg {
    int32_t lBias, lStandardBias, lDaylightBias;
    uint16_t wStandardYear;
    cck_systemtime stStandardDate;
    uint16_t wDaylightYear;
    cck_systemtime stDaylightDate;
    bool complete; /* all 48 bytes present */
} cck_tzreg;

/* TZRule (2.2.1.41.1). */
typedef struct cck_tzrule {
    uint64_t offset; /* of this rule in the blob */
    uint8_t MajorVersion, MinorVersion;
    uint16_t Reserved; /* 0x003E: the size of the rest of the rule */
    uint16_t TZRuleFlags;
    uint16_t wYear; /* the year the rule takes effect */
    uint8_t X[14];
    int32_t lBias, lStandardBias, lDaylightBias;
    cck_systemtime stStandardDate, stDaylightDate;
} cck_tzrule;

/* TZDEFINITION (2.2.1.41). */
typedef struct cck_tzdef {
    uint8_t MajorVersion, MinorVersion;
    uint16_t cbHeader;
    uint16_t Reserved; /* TZDEFINITION_FLAG_* */
    bool has_guid;     /* VALID_GUID: a 16-byte GUID follows the flags (MAPI form) */
    uint8_t guid[16];
    uint16_t cchKeyName;
    cck_str KeyName; /* UTF-8 of the UTF-16 key name */
    uint16_t cRules;
    cck_tzrule *TZRules; /* n_rules of them */
    size_t n_rules;
    const cck_tzrule *effective; /* first rule flagged EFFECTIVE_TZREG, or NULL */
    bool complete;
} cck_tzdef;

const cck_tzreg *cck_tzreg_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr);
const cck_tzdef *cck_tzdef_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr);

/* One object named `key` with the spec's members and a "problems" array of
 * `pr` (the list the parse wrote to, or NULL). */
void cck_tzreg_emit(const cck_tzreg *t, const cck_problems *pr, cck_emit *e, const char *key);
void cck_tzdef_emit(const cck_tzdef *t, const cck_problems *pr, cck_emit *e, const char *key);
/* A SYSTEMTIME as an object with its member names. */
void cck_systemtime_emit(const cck_systemtime *st, cck_emit *e, const char *key);

/* Whether PidLidTimeZoneStruct and a TZRule describe the same zone: lBias,
 * lStandardBias, lDaylightBias, stStandardDate and stDaylightDate equal
 * (2.2.1.41: otherwise the two properties are inconsistent). */
bool cck_tzreg_matches_rule(const cck_tzreg *reg, const cck_tzrule *rule);
bool cck_systemtime_eq(const cck_systemtime *a, const cck_systemtime *b);
/* "last Sunday of March 02:00" / "every year: 03-26 02:00" / "none" into buf. */
char *cck_systemtime_rule_fmt(const cck_systemtime *st, char *buf, size_t n);

#endif
