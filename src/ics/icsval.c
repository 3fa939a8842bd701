/* icsval.c - typed iCalendar values: DATE / DATE-TIME (RFC 5545 §3.3.4,
 * §3.3.5) with VALUE (§3.2.20) and TZID (§3.2.19), DURATION (§3.3.6) and
 * comma-separated lists (§3.1.1). Strict grammar, no repair: anything else is
 * "not valid" and the caller reports it with the raw text.
 */
#include "ics/icsval.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int days_in_month(int64_t y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int cck_icsval_datetime(const char *s, size_t n, cck_civil *out, bool *is_date, bool *utc)
{
    memset(out, 0, sizeof *out);
    *is_date = false;
    *utc = false;
    if (n < 8 || !digits(s, 8))
        return -1;
    out->year = num(s, 4);
    out->month = num(s + 4, 2);
    out->day = num(s + 6, 2);
    if (out->month < 1 || out->month > 12 || out->day < 1 ||
        out->day > days_in_month(out->year, out->month))
        return -1;
    if (n == 8) {
        *is_date = true;
    } else {
        if ((n != 15 && n != 16) || s[8] != 'T' || !digits(s + 9, 6))
            return -1;
        if (n == 16) {
            if (s[15] != 'Z')
                return -1;
            *utc = true;
        }
        out->hour = num(s + 9, 2);
        out->minute = num(s + 11, 2);
        out->second = num(s + 13, 2);
        if (out->hour > 23 || out->minute > 59 || out->second > 60)
            return -1;
    }
    /* 1601-01-01 was a Monday. */
    int64_t d = cck_days1601_from_civil(out->year, out->month, out->day);
    out->weekday = (int)(((d + 1) % 7 + 7) % 7);
    return 0;
}

int64_t cck_icsval_secs(const cck_civil *c)
{
    return cck_days1601_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 +
           c->minute * 60 + c->second;
}

void cck_icsval_dt(const cck_ics_prop *p, cck_icsdt *out)
{
    memset(out, 0, sizeof *out);
    out->prop = p;
    if (!p)
        return;
    /* VALUE and TZID in one pass (names are stored upper-cased; the first
     * of each counts, as with cck_ics_param_get). */
    const cck_ics_param *v = NULL, *tz = NULL;
    for (size_t i = 0; i < p->nparams; i++) {
        uint16_t id = p->params[i].id;
        if (!v && id == CCK_ICSN_VALUE)
            v = &p->params[i];
        else if (!tz && id == CCK_ICSN_TZID)
            tz = &p->params[i];
    }
    if (tz && tz->nvalues) {
        out->tzid = tz->values[0];
        out->tzid_len = strlen(tz->values[0]);
    }
    bool want_date = v && v->nvalues && !strcasecmp(v->values[0], "DATE");
    bool want_dt = v && v->nvalues && !strcasecmp(v->values[0], "DATE-TIME");
    out->value_date_param = want_date;
    /* A list property (RDATE, EXDATE) is read by its first value here. */
    const char *s = p->value;
    size_t n = p->value_len;
    const char *comma = memchr(s, ',', n);
    if (comma)
        n = (size_t)(comma - s);
    bool is_date = false, utc = false;
    out->valid = cck_icsval_datetime(s, n, &out->local, &is_date, &utc) == 0;
    out->is_date = out->valid ? is_date : want_date;
    out->utc = utc;
    if (out->valid && ((want_date && !is_date) || (want_dt && is_date))) {
        out->value_mismatch = true;
        out->valid = false;
    }
    out->floating = out->valid && !out->utc && (out->is_date || !out->tzid);
}

int cck_icsval_duration(const char *s, size_t n, int64_t *secs)
{
    size_t i = 0;
    int sign = 1;
    *secs = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        sign = s[i++] == '-' ? -1 : 1;
    if (i >= n || s[i++] != 'P')
        return -1;
    int64_t total = 0;
    bool in_time = false, any = false, weeks = false, time_any = false;
    int last = 0; /* order of designators: D=1, H=2, M=3, S=4 */
    while (i < n) {
        if (s[i] == 'T') {
            if (in_time)
                return -1;
            in_time = true;
            i++;
            continue;
        }
        size_t d0 = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d0 || i - d0 > 9 || i >= n)
            return -1;
        int64_t v = num(s + d0, i - d0);
        char u = s[i++];
        int order;
        switch (u) {
        case 'W':
            if (in_time || any)
                return -1;
            total += v * 7 * 86400;
            weeks = true;
            order = 5;
            break;
        case 'D':
            if (in_time || weeks)
                return -1;
            total += v * 86400;
            order = 1;
            break;
        case 'H':
            order = 2;
            total += v * 3600;
            break;
        case 'M':
            order = 3;
            total += v * 60;
            break;
        case 'S':
            order = 4;
            total += v;
            break;
        default:
            return -1;
        }
        if (order >= 2 && order <= 4 && !in_time)
            return -1;
        if (order <= last && order != 5)
            return -1;
        if (weeks && order != 5)
            return -1;
        if (in_time)
            time_any = true;
        last = order;
        any = true;
    }
    if (!any || (in_time && !time_any))
        return -1;
    *secs = sign * total;
    return 0;
}

bool cck_icsval_next(const cck_ics_prop *p, size_t *pos, const char **v, size_t *n)
{
    if (!p || *pos == SIZE_MAX || *pos > p->value_len)
        return false;
    size_t i = *pos, s = i;
    while (i < p->value_len && p->value[i] != ',') {
        if (p->value[i] == '\\' && i + 1 < p->value_len)
            i++;
        i++;
    }
    *v = p->value + s;
    *n = i - s;
    *pos = i < p->value_len ? i + 1 : SIZE_MAX;
    return true;
}
