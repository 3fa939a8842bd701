/* rrule.c - parses RRULE values (RFC 5545 §3.3.10 RECUR, §3.8.5.3 RRULE) and expands them
 * into civil date-times. Expansion works per period of the FREQ (year, month,
 * week, day, hour, ...): the period's days are filtered by the BYxxx parts as
 * §3.3.10's table of "limit"/"expand" says, crossed with the times, then
 * BYSETPOS picks from that ordered set. EXDATE/RDATE (§3.8.5.1-2) are the caller's. */
#include "ics/rrule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const WD_NAMES[7] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

static const char *const FREQ_NAMES[] = {"NONE",  "SECONDLY", "MINUTELY", "HOURLY",
                                         "DAILY", "WEEKLY",   "MONTHLY",  "YEARLY"};

const char *cck_rrule_freq_name(cck_rrule_freq f)
{
    return (unsigned)f < sizeof FREQ_NAMES / sizeof FREQ_NAMES[0] ? FREQ_NAMES[f] : "?";
}

/* ---- calendar helpers ------------------------------------------------- */

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_len(int64_t y, int m)
{
    static const int ML[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : ML[m - 1];
}

static int weekday_of(int64_t days)
{
    return (int)(((days % 7) + 7 + 1) % 7); /* 1601-01-01 was a Monday */
}

/* Day number of the first day of week 1 of year y: the week (starting on wkst)
 * holding January 4th, i.e. the first with at least four days in y. */
static int64_t week1_start(int64_t y, int wkst)
{
    int64_t jan4 = cck_days1601_from_civil(y, 1, 4);
    return jan4 - ((weekday_of(jan4) - wkst + 7) % 7);
}

/* ---- parsing ---------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t n;
    size_t off; /* of s within the whole value */
} span;

static int span_eq(span a, const char *lit)
{
    size_t l = strlen(lit);
    if (a.n != l)
        return 0;
    for (size_t i = 0; i < l; i++) {
        char c = a.s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (c != lit[i])
            return 0;
    }
    return 1;
}

/* Optional sign then 1-9 digits; the whole span. */
static int parse_int(span v, int signed_ok, long *out)
{
    size_t i = 0;
    int neg = 0;
    if (v.n && (v.s[0] == '+' || v.s[0] == '-')) {
        if (!signed_ok)
            return -1;
        neg = v.s[0] == '-';
        i = 1;
    }
    if (i == v.n || v.n - i > 9)
        return -1;
    long x = 0;
    for (; i < v.n; i++) {
        if (v.s[i] < '0' || v.s[i] > '9')
            return -1;
        x = x * 10 + (v.s[i] - '0');
    }
    *out = neg ? -x : x;
    return 0;
}

static int parse_u64(span v, uint64_t *out)
{
    if (v.n == 0 || v.n > 19)
        return -1;
    uint64_t x = 0;
    for (size_t i = 0; i < v.n; i++) {
        if (v.s[i] < '0' || v.s[i] > '9')
            return -1;
        x = x * 10 + (uint64_t)(v.s[i] - '0');
    }
    *out = x;
    return 0;
}

static int digits(const char *s, int n)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    return x;
}

/* DATE "YYYYMMDD" or DATE-TIME "YYYYMMDDTHHMMSS[Z]". */
static int parse_until(span v, cck_rrule *r)
{
    if (v.n != 8 && v.n != 15 && v.n != 16)
        return -1;
    int y = digits(v.s, 4), m = digits(v.s + 4, 2), d = digits(v.s + 6, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > month_len(y, m))
        return -1;
    cck_civil c = {.year = y, .month = m, .day = d};
    int is_date = v.n == 8, utc = 0;
    if (!is_date) {
        if (v.s[8] != 'T' && v.s[8] != 't')
            return -1;
        c.hour = digits(v.s + 9, 2);
        c.minute = digits(v.s + 11, 2);
        c.second = digits(v.s + 13, 2);
        if (c.hour < 0 || c.hour > 23 || c.minute < 0 || c.minute > 59 || c.second < 0 ||
            c.second > 60)
            return -1;
        if (v.n == 16) {
            if (v.s[15] != 'Z' && v.s[15] != 'z')
                return -1;
            utc = 1;
        }
    }
    c.weekday = weekday_of(cck_days1601_from_civil(y, m, d));
    r->until = c;
    r->has_until = 1;
    r->until_is_date = is_date;
    r->until_utc = utc;
    return 0;
}

static int parse_wd(span v)
{
    for (int i = 0; i < 7; i++)
        if (span_eq(v, WD_NAMES[i]))
            return i;
    return -1;
}

enum {
    P_FREQ,
    P_INTERVAL,
    P_COUNT,
    P_UNTIL,
    P_WKST,
    P_BYSECOND,
    P_BYMINUTE,
    P_BYHOUR,
    P_BYDAY,
    P_BYMONTHDAY,
    P_BYYEARDAY,
    P_BYWEEKNO,
    P_BYMONTH,
    P_BYSETPOS,
    P_N
};

static const char *const PART_NAMES[P_N] = {
    "FREQ",   "INTERVAL", "COUNT",      "UNTIL",     "WKST",     "BYSECOND", "BYMINUTE",
    "BYHOUR", "BYDAY",    "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH",  "BYSETPOS"};

/* Adds v to a list of small ints unless already there. */
#define ADD_UNIQUE(arr, cnt, cap, v)                                                               \
    do {                                                                                           \
        int dup_ = 0;                                                                              \
        for (unsigned k_ = 0; k_ < (unsigned)(cnt); k_++)                                          \
            if ((arr)[k_] == (v))                                                                  \
                dup_ = 1;                                                                          \
        if (!dup_ && (unsigned)(cnt) < (unsigned)(cap))                                            \
            (arr)[(cnt)++] = (v);                                                                  \
    } while (0)

/* One BYxxx list of integers in [lo, hi], zero excluded when signed. */
static void parse_int_list(span v, int part, cck_rrule *r, cck_problems *pr)
{
    size_t i = 0;
    while (i <= v.n) {
        size_t j = i;
        while (j < v.n && v.s[j] != ',')
            j++;
        span item = {v.s + i, j - i, v.off + i};
        long x = 0;
        int ok = 1;
        if (part == P_BYDAY) {
            size_t k = 0;
            if (item.n > 2) {
                span num = {item.s, item.n - 2, item.off};
                ok = parse_int(num, 1, &x) == 0 && x != 0 && x >= -53 && x <= 53;
                k = item.n - 2;
            }
            span wdn = {item.s + k, item.n < 2 ? item.n : 2, item.off + k};
            int wd = ok && item.n >= 2 ? parse_wd(wdn) : -1;
            if (wd < 0) {
                cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_value", item.off,
                                 "BYDAY value \"%.*s\" is not a weekday with an optional 1-53",
                                 (int)item.n, item.s);
            } else {
                int dup = 0;
                for (unsigned q = 0; q < r->nday; q++)
                    if (r->day[q].ord == x && r->day[q].wd == wd)
                        dup = 1;
                if (!dup && r->nday < sizeof r->day / sizeof r->day[0])
                    r->day[r->nday++] = (cck_rrule_wday){(int8_t)x, (uint8_t)wd};
            }
        } else {
            long lo = 0, hi = 0;
            int sgn = 0;
            switch (part) {
            case P_BYSECOND:
                hi = 60;
                break;
            case P_BYMINUTE:
                hi = 59;
                break;
            case P_BYHOUR:
                hi = 23;
                break;
            case P_BYMONTH:
                lo = 1, hi = r->unsupported ? 13 : 12;
                if (r->unsupported && item.n > 1 && (item.s[item.n - 1] | 0x20) == 'l')
                    item.n--; /* a leap month: kept as its number, expansion differs */
                break;
            case P_BYMONTHDAY:
                sgn = 1, hi = 31;
                break;
            case P_BYYEARDAY:
                sgn = 1, hi = 366;
                break;
            case P_BYWEEKNO:
                sgn = 1, hi = 53;
                break;
            default:
                sgn = 1, hi = 366;
                break; /* BYSETPOS */
            }
            ok = parse_int(item, sgn, &x) == 0 &&
                 (sgn ? (x != 0 && x >= -hi && x <= hi) : (x >= lo && x <= hi));
            if (!ok) {
                cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_value", item.off,
                                 "%s value \"%.*s\" is not %s%ld..%ld", PART_NAMES[part],
                                 (int)item.n, item.s, sgn ? "+-1.." : "", sgn ? 1L : lo, hi);
            } else {
                switch (part) {
                case P_BYSECOND:
                    ADD_UNIQUE(r->second, r->nsecond, 61, (uint8_t)x);
                    break;
                case P_BYMINUTE:
                    ADD_UNIQUE(r->minute, r->nminute, 60, (uint8_t)x);
                    break;
                case P_BYHOUR:
                    ADD_UNIQUE(r->hour, r->nhour, 24, (uint8_t)x);
                    break;
                case P_BYMONTH:
                    ADD_UNIQUE(r->month, r->nmonth, 12, (uint8_t)x);
                    break;
                case P_BYMONTHDAY:
                    ADD_UNIQUE(r->monthday, r->nmonthday, 62, (int8_t)x);
                    break;
                case P_BYYEARDAY:
                    ADD_UNIQUE(r->yearday, r->nyearday, 732, (int16_t)x);
                    break;
                case P_BYWEEKNO:
                    ADD_UNIQUE(r->weekno, r->nweekno, 106, (int8_t)x);
                    break;
                default:
                    ADD_UNIQUE(r->setpos, r->nsetpos, 732, (int16_t)x);
                    break;
                }
            }
        }
        i = j + 1;
    }
}

int cck_rrule_parse(const char *text, size_t n, cck_rrule *r, cck_problems *pr)
{
    memset(r, 0, sizeof *r);
    r->interval = 1;
    r->wkst = 1;
    int seen[P_N] = {0};
    size_t i = 0;
    /* RFC 7529: under RSCALE, BYMONTH may name a 13th month or a leap month
     * ("5L"); known before the parts are read, wherever RSCALE is written. */
    for (size_t k = 0; k + 7 <= n; k++)
        if ((k == 0 || text[k - 1] == ';') && !strncasecmp(text + k, "RSCALE=", 7))
            r->unsupported = 1;
    if (n == 0) {
        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.syntax", 0, "empty RRULE value");
    }
    while (i < n) {
        size_t j = i;
        while (j < n && text[j] != ';')
            j++;
        size_t eq = i;
        while (eq < j && text[eq] != '=')
            eq++;
        span name = {text + i, eq - i, i};
        span val = {text + eq + 1, eq < j ? j - eq - 1 : 0, eq + 1};
        if (j == i) {
            cck_problems_add(pr, CCK_SEV_WARNING, "rrule.syntax", i, "empty rule part");
        } else if (eq == j) {
            cck_problems_add(pr, CCK_SEV_ERROR, "rrule.syntax", i,
                             "rule part \"%.*s\" has no \"=\"", (int)(j - i), text + i);
        } else if (memchr(val.s, '=', val.n)) {
            cck_problems_add(pr, CCK_SEV_ERROR, "rrule.syntax", i,
                             "rule part \"%.*s\" has more than one \"=\"", (int)(j - i), text + i);
        } else {
            int part = -1;
            for (int p = 0; p < P_N; p++)
                if (span_eq(name, PART_NAMES[p]))
                    part = p;
            if (part < 0) {
                if (span_eq(name, "RSCALE") || span_eq(name, "SKIP")) {
                    r->unsupported = 1;
                    cck_problems_add(pr, CCK_SEV_WARNING, "rrule.unsupported", i,
                                     "rule part %.*s (RFC 7529) is not supported", (int)name.n,
                                     name.s);
                } else {
                    cck_problems_add(pr, CCK_SEV_WARNING, "rrule.unknown_part", i,
                                     "unknown rule part \"%.*s\"", (int)name.n, name.s);
                }
            } else if (seen[part]) {
                cck_problems_add(pr, CCK_SEV_ERROR, "rrule.duplicate_part", i,
                                 "rule part %s given twice; the first is kept", PART_NAMES[part]);
            } else if (val.n == 0 && part != P_FREQ) {
                seen[part] = 1;
                cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_value", val.off,
                                 "rule part %s has an empty value", PART_NAMES[part]);
            } else {
                seen[part] = 1;
                long x;
                uint64_t u;
                switch (part) {
                case P_FREQ:
                    for (int f = CCK_FREQ_SECONDLY; f <= CCK_FREQ_YEARLY; f++)
                        if (span_eq(val, FREQ_NAMES[f]))
                            r->freq = (cck_rrule_freq)f;
                    if (r->freq == CCK_FREQ_NONE)
                        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_value", val.off,
                                         "FREQ \"%.*s\" is not a frequency", (int)val.n, val.s);
                    break;
                case P_INTERVAL:
                    if (parse_int(val, 0, &x) != 0 || x < 1)
                        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_value", val.off,
                                         "INTERVAL \"%.*s\" is not a positive integer", (int)val.n,
                                         val.s);
                    else
                        r->interval = (uint32_t)x;
                    break;
                case P_COUNT:
                    if (parse_u64(val, &u) != 0 || u < 1)
                        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_value", val.off,
                                         "COUNT \"%.*s\" is not a positive integer", (int)val.n,
                                         val.s);
                    else
                        r->count = u;
                    break;
                case P_UNTIL:
                    if (parse_until(val, r) != 0)
                        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_value", val.off,
                                         "UNTIL \"%.*s\" is not a DATE or DATE-TIME", (int)val.n,
                                         val.s);
                    break;
                case P_WKST: {
                    int wd = parse_wd(val);
                    if (wd < 0)
                        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_value", val.off,
                                         "WKST \"%.*s\" is not a weekday", (int)val.n, val.s);
                    else
                        r->wkst = wd;
                    break;
                }
                default:
                    parse_int_list(val, part, r, pr);
                    break;
                }
            }
        }
        i = j + 1;
    }
    if (!seen[P_FREQ] || r->freq == CCK_FREQ_NONE) {
        if (!seen[P_FREQ])
            cck_problems_add(pr, CCK_SEV_ERROR, "rrule.no_freq", 0, "RRULE has no FREQ");
        return -1;
    }
    if (r->count && r->has_until)
        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.count_and_until", 0,
                         "RRULE has both COUNT and UNTIL");
    int has_ord = 0;
    for (unsigned k = 0; k < r->nday; k++)
        if (r->day[k].ord)
            has_ord = 1;
    if (has_ord && (r->freq < CCK_FREQ_MONTHLY || (r->freq == CCK_FREQ_YEARLY && r->nweekno)))
        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.bad_byday", 0,
                         "BYDAY with a number under %s; the number is ignored",
                         r->freq == CCK_FREQ_YEARLY ? "YEARLY with BYWEEKNO"
                                                    : cck_rrule_freq_name(r->freq));
    if (r->nmonthday && r->freq == CCK_FREQ_WEEKLY)
        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.part_not_allowed", 0,
                         "BYMONTHDAY is not allowed with FREQ=WEEKLY; ignored");
    if (r->nyearday &&
        (r->freq == CCK_FREQ_DAILY || r->freq == CCK_FREQ_WEEKLY || r->freq == CCK_FREQ_MONTHLY))
        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.part_not_allowed", 0,
                         "BYYEARDAY is not allowed with FREQ=%s; ignored",
                         cck_rrule_freq_name(r->freq));
    if (r->nweekno && r->freq != CCK_FREQ_YEARLY)
        cck_problems_add(pr, CCK_SEV_ERROR, "rrule.part_not_allowed", 0,
                         "BYWEEKNO is only allowed with FREQ=YEARLY; ignored");
    if (r->nsetpos && !(r->nsecond || r->nminute || r->nhour || r->nday || r->nmonthday ||
                        r->nyearday || r->nweekno || r->nmonth))
        cck_problems_add(pr, CCK_SEV_WARNING, "rrule.bysetpos_alone", 0,
                         "BYSETPOS without another BYxxx rule part");
    return 0;
}

/* ---- expansion -------------------------------------------------------- */

typedef struct {
    int64_t d, y;
    int m, md, yday, ylen, mlen, wd;
} dayinfo;

static void dayinfo_of(int64_t d, dayinfo *di)
{
    cck_civil c;
    cck_civil_from_secs1601(d * 86400, &c);
    di->d = d;
    di->y = c.year;
    di->m = c.month;
    di->md = c.day;
    di->wd = c.weekday;
    di->yday = (int)(d - cck_days1601_from_civil(c.year, 1, 1)) + 1;
    di->ylen = is_leap(c.year) ? 366 : 365;
    di->mlen = month_len(c.year, c.month);
}

static int in_u8(const uint8_t *v, unsigned n, int x)
{
    for (unsigned i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

static int weekno_ok(const cck_rrule *r, const dayinfo *di)
{
    int64_t w1 = week1_start(di->y, r->wkst), w1n = week1_start(di->y + 1, r->wkst);
    int64_t from, to;
    if (di->d >= w1n) {
        from = w1n;
        to = week1_start(di->y + 2, r->wkst);
    } else if (di->d < w1) {
        from = week1_start(di->y - 1, r->wkst);
        to = w1;
    } else {
        from = w1;
        to = w1n;
    }
    int wn = (int)((di->d - from) / 7) + 1, nweeks = (int)((to - from) / 7);
    for (unsigned i = 0; i < r->nweekno; i++) {
        int w = r->weekno[i];
        if (w == wn || (w < 0 && nweeks + 1 + w == wn))
            return 1;
    }
    return 0;
}

/* Whether a day passes the rule's day-level parts (§3.3.10 table). */
static int day_ok(const cck_rrule_iter *it, const dayinfo *di)
{
    const cck_rrule *r = it->rule;
    cck_rrule_freq f = r->freq;
    if (r->nmonth && !in_u8(r->month, r->nmonth, di->m))
        return 0;
    if (it->def_month && di->m != it->def_month)
        return 0;
    if (r->nweekno && f == CCK_FREQ_YEARLY && !weekno_ok(r, di))
        return 0;
    if (r->nyearday && (f == CCK_FREQ_YEARLY || f <= CCK_FREQ_HOURLY)) {
        int ok = 0;
        for (unsigned i = 0; i < r->nyearday && !ok; i++)
            ok = r->yearday[i] == di->yday || r->yearday[i] == di->yday - di->ylen - 1;
        if (!ok)
            return 0;
    }
    if (r->nmonthday && f != CCK_FREQ_WEEKLY) {
        int ok = 0;
        for (unsigned i = 0; i < r->nmonthday && !ok; i++)
            ok = r->monthday[i] == di->md || r->monthday[i] == di->md - di->mlen - 1;
        if (!ok)
            return 0;
    }
    if (it->def_mday && di->md != it->def_mday)
        return 0;
    if (r->nday) {
        int ords = f == CCK_FREQ_MONTHLY || (f == CCK_FREQ_YEARLY && !r->nweekno);
        int in_month = f == CCK_FREQ_MONTHLY || r->nmonth;
        int pos = in_month ? di->md : di->yday, len = in_month ? di->mlen : di->ylen;
        int fwd = (pos - 1) / 7 + 1, bwd = -((len - pos) / 7 + 1);
        int ok = 0;
        for (unsigned i = 0; i < r->nday && !ok; i++) {
            const cck_rrule_wday *e = &r->day[i];
            ok = e->wd == di->wd && (!ords || e->ord == 0 || e->ord == fwd || e->ord == bwd);
        }
        if (!ok)
            return 0;
    }
    if (it->def_wday >= 0 && di->wd != it->def_wday)
        return 0;
    return 1;
}

static int cmp_u8(const void *a, const void *b)
{
    return *(const uint8_t *)a - *(const uint8_t *)b;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t floor_div64(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void add_day(cck_rrule_iter *it, const dayinfo *di)
{
    if (day_ok(it, di) && it->ndays < 371)
        it->days[it->ndays++] = di->d;
}

/* Builds the period at it->cur and moves the cursor to the next one.
 * Returns 1 when the period holds at least one instance. */
static int build_period(cck_rrule_iter *it)
{
    const cck_rrule *r = it->rule;
    it->ndays = 0;
    it->pos = it->selpos = it->nsel = 0;
    memcpy(it->ph, it->eh, it->neh);
    memcpy(it->pm, it->em, it->nem);
    memcpy(it->ps, it->es, it->nes);
    it->nph = it->neh, it->npm = it->nem, it->nps = it->nes;
    dayinfo di;
    switch (r->freq) {
    case CCK_FREQ_YEARLY: {
        int64_t y = it->cur;
        if (y > CCK_RRULE_MAX_YEAR) {
            it->stop = CCK_RRULE_STOP_HORIZON;
            return 0;
        }
        if (r->nweekno) { /* periods are week-numbering years, as libical and ical.net count */
            int64_t end = week1_start(y + 1, r->wkst);
            for (int64_t d = week1_start(y, r->wkst); d < end; d++) {
                dayinfo_of(d, &di);
                add_day(it, &di);
            }
            it->cur += r->interval;
            break;
        }
        di.y = y;
        di.ylen = is_leap(y) ? 366 : 365;
        di.yday = 0;
        int64_t d0 = cck_days1601_from_civil(y, 1, 1);
        for (int m = 1; m <= 12; m++) {
            int ml = month_len(y, m);
            if ((r->nmonth && !in_u8(r->month, r->nmonth, m)) ||
                (it->def_month && m != it->def_month)) {
                di.yday += ml;
                continue;
            }
            for (int md = 1; md <= ml; md++) {
                di.yday++;
                di.d = d0 + di.yday - 1;
                di.m = m, di.md = md, di.mlen = ml, di.wd = weekday_of(di.d);
                add_day(it, &di);
            }
        }
        it->cur += r->interval;
        break;
    }
    case CCK_FREQ_MONTHLY: {
        int64_t y = floor_div64(it->cur, 12);
        int m = (int)(it->cur - y * 12) + 1;
        if (y > CCK_RRULE_MAX_YEAR) {
            it->stop = CCK_RRULE_STOP_HORIZON;
            return 0;
        }
        if (!(r->nmonth && !in_u8(r->month, r->nmonth, m))) {
            int64_t d0 = cck_days1601_from_civil(y, m, 1);
            dayinfo_of(d0, &di);
            for (int md = 1; md <= di.mlen; md++) {
                di.d = d0 + md - 1;
                di.md = md;
                di.wd = weekday_of(di.d);
                add_day(it, &di);
                di.yday++;
            }
        }
        it->cur += r->interval;
        break;
    }
    case CCK_FREQ_WEEKLY:
    case CCK_FREQ_DAILY: {
        int n = r->freq == CCK_FREQ_WEEKLY ? 7 : 1;
        for (int k = 0; k < n; k++) {
            dayinfo_of(it->cur + k, &di);
            if (di.y > CCK_RRULE_MAX_YEAR) {
                if (k == 0) {
                    it->stop = CCK_RRULE_STOP_HORIZON;
                    return 0;
                }
                break;
            }
            add_day(it, &di);
        }
        it->cur += (int64_t)n * r->interval;
        break;
    }
    default: { /* HOURLY, MINUTELY, SECONDLY: one hour, minute or second */
        int64_t d = floor_div64(it->cur, 86400), rem = it->cur - d * 86400;
        int h = (int)(rem / 3600), mi = (int)(rem / 60 % 60), s = (int)(rem % 60);
        int64_t target = it->cur + 1;
        dayinfo_of(d, &di);
        if (di.y > CCK_RRULE_MAX_YEAR) {
            it->stop = CCK_RRULE_STOP_HORIZON;
            return 0;
        }
        int ok = 1;
        if (!day_ok(it, &di)) {
            ok = 0;
            target = (d + 1) * 86400;
        } else if (r->nhour && !in_u8(r->hour, r->nhour, h)) {
            ok = 0;
            target = d * 86400 + (h + 1) * 3600;
        } else if (r->freq <= CCK_FREQ_MINUTELY && r->nminute &&
                   !in_u8(r->minute, r->nminute, mi)) {
            ok = 0;
            target = d * 86400 + h * 3600 + (mi + 1) * 60;
        } else if (r->freq == CCK_FREQ_SECONDLY && r->nsecond && !in_u8(r->second, r->nsecond, s)) {
            ok = 0;
        }
        if (ok) {
            it->days[0] = d;
            it->ndays = 1;
            it->ph[0] = (uint8_t)h;
            it->nph = 1;
            if (r->freq <= CCK_FREQ_MINUTELY) {
                it->pm[0] = (uint8_t)mi;
                it->npm = 1;
            }
            if (r->freq == CCK_FREQ_SECONDLY) {
                it->ps[0] = (uint8_t)s;
                it->nps = 1;
            }
        }
        int64_t k = (target - it->cur + it->step - 1) / it->step;
        it->cur += (k < 1 ? 1 : k) * it->step;
        break;
    }
    }
    it->total = (uint64_t)it->ndays * it->nph * it->npm * it->nps;
    it->use_sel = r->nsetpos > 0;
    if (it->use_sel && it->total) {
        for (unsigned i = 0; i < r->nsetpos; i++) {
            int64_t p = r->setpos[i];
            int64_t idx = p > 0 ? p - 1 : (int64_t)it->total + p;
            if (idx >= 0 && (uint64_t)idx < it->total)
                it->sel[it->nsel++] = (uint32_t)idx;
        }
        qsort(it->sel, it->nsel, sizeof it->sel[0], cmp_u32);
        uint32_t w = 0;
        for (uint32_t i = 0; i < it->nsel; i++)
            if (w == 0 || it->sel[w - 1] != it->sel[i])
                it->sel[w++] = it->sel[i];
        it->nsel = w;
    }
    return it->use_sel ? it->nsel > 0 : it->total > 0;
}

static int64_t key_of(int64_t days, int h, int m, int s)
{
    return days * 86400 + h * 3600 + m * 60 + s;
}

void cck_rrule_iter_init(cck_rrule_iter *it, const cck_rrule *rule, const cck_civil *dt,
                         int is_date)
{
    memset(it, 0, sizeof *it);
    it->rule = rule;
    it->is_date = is_date;
    it->include_dtstart = 1;
    it->max_instances = CCK_RRULE_MAX_INSTANCES;
    it->max_empty = CCK_RRULE_MAX_EMPTY;
    it->def_wday = -1;
    it->dtstart_pending = 1;
    if (dt->year < 1 || dt->year > CCK_RRULE_MAX_YEAR || dt->month < 1 || dt->month > 12 ||
        dt->day < 1 || dt->day > month_len(dt->year, dt->month) ||
        (!is_date && (dt->hour < 0 || dt->hour > 23 || dt->minute < 0 || dt->minute > 59 ||
                      dt->second < 0 || dt->second > 60))) {
        it->stop = CCK_RRULE_STOP_BAD_START;
        it->dtstart_pending = 0;
        return;
    }
    int h = is_date ? 0 : dt->hour, mi = is_date ? 0 : dt->minute, s = is_date ? 0 : dt->second;
    int64_t d = cck_days1601_from_civil(dt->year, dt->month, dt->day);
    int wd = weekday_of(d);
    it->start = key_of(d, h, mi, s);
    it->dtstart = (cck_civil){.year = dt->year,
                              .month = dt->month,
                              .day = dt->day,
                              .hour = h,
                              .minute = mi,
                              .second = s,
                              .weekday = wd};
    if (rule->has_until) {
        const cck_civil *u = &rule->until;
        int64_t ud = cck_days1601_from_civil(u->year, u->month, u->day);
        it->has_until = 1;
        it->until_key = rule->until_is_date ? key_of(ud, 23, 59, 59)
                                            : key_of(ud, u->hour, u->minute, u->second);
    }
    switch (rule->freq) {
    case CCK_FREQ_NONE:
        it->stop = CCK_RRULE_STOP_NO_FREQ;
        return;
    case CCK_FREQ_YEARLY:
        /* BYMONTHDAY alone keeps DTSTART's month, as libical and ical.net do. */
        if (!rule->nweekno && !rule->nyearday && !rule->nmonth && (rule->nmonthday || !rule->nday))
            it->def_month = dt->month;
        if (!rule->nweekno && !rule->nyearday && !rule->nmonthday && !rule->nday) {
            it->def_mday = dt->day;
        } else if (rule->nweekno && !rule->nyearday && !rule->nmonthday && !rule->nday) {
            it->def_wday = wd;
        }
        it->cur = dt->year;
        if (rule->nweekno && d >= week1_start(dt->year + 1, rule->wkst))
            it->cur = dt->year + 1;
        else if (rule->nweekno && d < week1_start(dt->year, rule->wkst))
            it->cur = dt->year - 1;
        break;
    case CCK_FREQ_MONTHLY:
        if (!rule->nmonthday && !rule->nday)
            it->def_mday = dt->day;
        it->cur = dt->year * 12 + dt->month - 1;
        break;
    case CCK_FREQ_WEEKLY:
        if (!rule->nday)
            it->def_wday = wd;
        it->cur = d - (wd - rule->wkst + 7) % 7;
        break;
    case CCK_FREQ_DAILY:
        it->cur = d;
        break;
    case CCK_FREQ_HOURLY:
        it->cur = key_of(d, h, 0, 0);
        it->step = 3600 * (int64_t)rule->interval;
        break;
    case CCK_FREQ_MINUTELY:
        it->cur = key_of(d, h, mi, 0);
        it->step = 60 * (int64_t)rule->interval;
        break;
    case CCK_FREQ_SECONDLY:
        it->cur = it->start;
        it->step = rule->interval;
        break;
    }
    if (is_date) {
        it->eh[0] = it->em[0] = it->es[0] = 0;
        it->neh = it->nem = it->nes = 1;
        return;
    }
    if (rule->nhour) {
        memcpy(it->eh, rule->hour, rule->nhour);
        it->neh = rule->nhour;
        qsort(it->eh, it->neh, 1, cmp_u8);
    } else {
        it->eh[0] = (uint8_t)h;
        it->neh = 1;
    }
    if (rule->nminute) {
        memcpy(it->em, rule->minute, rule->nminute);
        it->nem = rule->nminute;
        qsort(it->em, it->nem, 1, cmp_u8);
    } else {
        it->em[0] = (uint8_t)mi;
        it->nem = 1;
    }
    if (rule->nsecond) {
        memcpy(it->es, rule->second, rule->nsecond);
        it->nes = rule->nsecond;
        qsort(it->es, it->nes, 1, cmp_u8);
    } else {
        it->es[0] = (uint8_t)s;
        it->nes = 1;
    }
}

void cck_rrule_iter_set_until(cck_rrule_iter *it, const cck_civil *u)
{
    it->has_until = 1;
    it->until_key =
        key_of(cck_days1601_from_civil(u->year, u->month, u->day), u->hour, u->minute, u->second);
}

int cck_rrule_iter_next(cck_rrule_iter *it, cck_civil *out)
{
    if (it->dtstart_pending) {
        it->dtstart_pending = 0;
        if (it->include_dtstart) {
            *out = it->dtstart;
            it->yielded++;
            return 1;
        }
    }
    int64_t threshold = it->include_dtstart ? it->start + 1 : it->start;
    for (;;) {
        if (it->stop)
            return 0;
        if (it->rule->count && it->yielded >= it->rule->count) {
            it->stop = CCK_RRULE_STOP_COUNT;
            return 0;
        }
        if (it->yielded >= it->max_instances) {
            it->stop = CCK_RRULE_STOP_MAX;
            return 0;
        }
        if (!it->have_period) {
            if (build_period(it)) {
                it->have_period = 1;
                it->empty_run = 0;
            } else if (!it->stop && ++it->empty_run >= it->max_empty) {
                it->stop = CCK_RRULE_STOP_EMPTY;
            }
            continue;
        }
        uint64_t idx;
        if (it->use_sel) {
            if (it->selpos >= it->nsel) {
                it->have_period = 0;
                continue;
            }
            idx = it->sel[it->selpos++];
        } else {
            if (it->pos >= it->total) {
                it->have_period = 0;
                continue;
            }
            idx = it->pos++;
        }
        uint64_t nt = (uint64_t)it->nph * it->npm * it->nps, t = idx % nt;
        int h = it->ph[t / ((uint64_t)it->npm * it->nps)];
        int m = it->pm[(t / it->nps) % it->npm];
        int s = it->ps[t % it->nps];
        int64_t key = key_of(it->days[idx / nt], h, m, s);
        if (key < threshold)
            continue;
        if (it->has_until && key > it->until_key) {
            it->stop = CCK_RRULE_STOP_UNTIL;
            return 0;
        }
        /* Second 60 (a leap second BYSECOND allows) is kept as written. */
        cck_civil_from_secs1601(key_of(it->days[idx / nt], h, m, 0), out);
        out->second = s;
        it->yielded++;
        return 1;
    }
}

int cck_rrule_has_instance(const cck_rrule *rule, const cck_civil *dtstart, int is_date)
{
    cck_rrule_iter it;
    cck_civil c;
    cck_rrule_iter_init(&it, rule, dtstart, is_date);
    it.include_dtstart = 0;
    it.max_instances = 1;
    if (cck_rrule_iter_next(&it, &c))
        return 1;
    return it.stop == CCK_RRULE_STOP_NO_FREQ || it.stop == CCK_RRULE_STOP_BAD_START ? -1 : 0;
}
