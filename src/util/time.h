/* time.h - the time encodings of MAPI data, converted to civil UTC.
 *
 * FILETIME: 100-ns ticks since 1601-01-01 UTC (PT_SYSTIME, [MS-OXCDATA] 2.11.1).
 * Recurrence dates: minutes since 1601-01-01 ([MS-OXOCAL] 2.2.1.44.1).
 * Formatting is proleptic Gregorian, valid for every value the types can hold.
 */
#ifndef CCK_TIME_H
#define CCK_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Seconds between 1601-01-01 and 1970-01-01. */
#define CCK_EPOCH_DIFF_1601 11644473600LL

typedef struct cck_civil {
    int64_t year;
    int month, day, hour, minute, second;
    int weekday; /* 0 = Sunday */
} cck_civil;

/* Civil date of a count of seconds since 1601-01-01 00:00 UTC (may be negative). */
void cck_civil_from_secs1601(int64_t secs, cck_civil *out);
/* Days since 1601-01-01 of a civil date (month 1..12, any day offset). */
int64_t cck_days1601_from_civil(int64_t year, int month, int day);

/* FILETIME as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least CCK_TIME_BUF bytes). */
#define CCK_TIME_BUF 32
char *cck_fmt_filetime(uint64_t ft, char *buf);
/* Recurrence minutes as "YYYY-MM-DDTHH:MM" with no zone: [MS-OXOCAL] keeps
 * these dates in the series' local wall-clock time, not UTC. */
char *cck_fmt_minutes(uint32_t minutes, char *buf);
/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[Z]" (UTC) to a FILETIME. Returns 0,
 * or -1 when the text is not such a date (years 1601-30827). */
int cck_parse_date(const char *s, uint64_t *ft);
/* The current time as a FILETIME. */
uint64_t cck_now_filetime(void);
/* FILETIME to Unix seconds (floor). */
int64_t cck_filetime_to_unix(uint64_t ft);

#endif
