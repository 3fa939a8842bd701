/* time.c - FILETIME and minute counters to civil UTC (see time.h).
 * Day arithmetic works on 400-year eras (146097 days), so no value overflows. */
#include "time.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Days since 0000-03-01 for a civil date, months counted from March. */
static int64_t days_from_civil0(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe;
}

int64_t cck_days1601_from_civil(int64_t year, int month, int day)
{
    return days_from_civil0(year, month, day) - days_from_civil0(1601, 1, 1);
}

void cck_civil_from_secs1601(int64_t secs, cck_civil *out)
{
    int64_t days = floor_div(secs, 86400);
    int64_t rem = secs - days * 86400;
    /* 1601-01-01 was a Monday. */
    out->weekday = (int)((days % 7 + 7 + 1) % 7);
    int64_t z = days + days_from_civil0(1601, 1, 1);
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = yoe + era * 400 + (m <= 2);
    out->month = m;
    out->day = d;
    out->hour = (int)(rem / 3600);
    out->minute = (int)(rem / 60 % 60);
    out->second = (int)(rem % 60);
}

static char *fmt(int64_t secs, char *buf)
{
    cck_civil c;
    cck_civil_from_secs1601(secs, &c);
    snprintf(buf, CCK_TIME_BUF, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day,
             c.hour, c.minute, c.second);
    return buf;
}

char *cck_fmt_filetime(uint64_t ft, char *buf)
{
    return fmt((int64_t)(ft / 10000000u), buf);
}

char *cck_fmt_minutes(uint32_t minutes, char *buf)
{
    cck_civil c;
    cck_civil_from_secs1601((int64_t)minutes * 60, &c);
    snprintf(buf, CCK_TIME_BUF, "%04" PRId64 "-%02d-%02dT%02d:%02d", c.year, c.month, c.day, c.hour,
             c.minute);
    return buf;
}

int64_t cck_filetime_to_unix(uint64_t ft)
{
    return (int64_t)(ft / 10000000u) - CCK_EPOCH_DIFF_1601;
}

uint64_t cck_now_filetime(void)
{
    time_t t = time(NULL);
    return ((uint64_t)t + (uint64_t)CCK_EPOCH_DIFF_1601) * 10000000u;
}

int cck_parse_date(const char *v, uint64_t *ft)
{
    int y, mo, d, h = 0, mi = 0, se = 0, used = 0;
    if (sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
        return -1;
    const char *rest = v + used;
    if (*rest == 'T' || *rest == ' ') {
        int used2 = 0;
        if (sscanf(rest + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &used2) != 3 || used2 != 8)
            return -1;
        rest += 1 + used2;
        if (*rest == 'Z')
            rest++;
    }
    if (*rest || y < 1601 || y > 30827 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || se > 59)
        return -1;
    int64_t days = cck_days1601_from_civil(y, mo, d);
    *ft = ((uint64_t)days * 86400u + (uint64_t)(h * 3600 + mi * 60 + se)) * 10000000u;
    return 0;
}
