/* rrule.c - test tool: expands an RRULE value (RFC 5545 §3.3.10, §3.8.5.3) from a DTSTART.
 * Usage: rrule [-n] RRULE DTSTART [N]. Prints the instances one per line in
 * DTSTART's form (YYYYMMDD or YYYYMMDDTHHMMSS[Z]), at most N (default 1000);
 * -n: DTSTART is not yielded unless the rule matches it. Problems go to stderr
 * as "problem: CODE: TEXT"; exit status 2 when the rule has an error problem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics/rrule.h"
#include "util/arena.h"
#include "util/problems.h"

static int parse_dt(const char *s, cck_civil *c, int *is_date, int *utc)
{
    size_t n = strlen(s);
    memset(c, 0, sizeof *c);
    *utc = 0;
    if (n == 8 && sscanf(s, "%4lld%2d%2d", (long long *)&c->year, &c->month, &c->day) == 3) {
        *is_date = 1;
        return 0;
    }
    long long y;
    if ((n == 15 || n == 16) && sscanf(s, "%4lld%2d%2dT%2d%2d%2d", &y, &c->month, &c->day, &c->hour,
                                       &c->minute, &c->second) == 6) {
        c->year = y;
        *is_date = 0;
        *utc = n == 16 && s[15] == 'Z';
        return 0;
    }
    return -1;
}

int main(int argc, char **argv)
{
    int a = 1, no_dtstart = 0;
    if (a < argc && strcmp(argv[a], "-n") == 0) {
        no_dtstart = 1;
        a++;
    }
    if (argc - a < 2) {
        fprintf(stderr, "usage: rrule [-n] RRULE DTSTART [N]\n");
        return 64;
    }
    const char *text = argv[a];
    if (strncmp(text, "RRULE:", 6) == 0)
        text += 6;
    cck_civil dt;
    int is_date, utc;
    if (parse_dt(argv[a + 1], &dt, &is_date, &utc) != 0) {
        fprintf(stderr, "rrule: bad DTSTART \"%s\"\n", argv[a + 1]);
        return 64;
    }
    long max = argc - a > 2 ? atol(argv[a + 2]) : 1000;
    cck_arena *ar = cck_arena_new(1 << 20);
    cck_problems pr;
    cck_problems_init(&pr, ar);
    static cck_rrule r;
    cck_rrule_parse(text, strlen(text), &r, &pr);
    int err = 0;
    for (size_t i = 0; i < pr.n; i++) {
        fprintf(stderr, "problem: %s: %s\n", pr.v[i].code, pr.v[i].text);
        if (pr.v[i].sev == CCK_SEV_ERROR)
            err = 1;
    }
    static cck_rrule_iter it;
    cck_rrule_iter_init(&it, &r, &dt, is_date);
    it.include_dtstart = !no_dtstart;
    cck_civil c;
    for (long k = 0; k < max && cck_rrule_iter_next(&it, &c); k++) {
        if (is_date)
            printf("%04lld%02d%02d\n", (long long)c.year, c.month, c.day);
        else
            printf("%04lld%02d%02dT%02d%02d%02d%s\n", (long long)c.year, c.month, c.day, c.hour,
                   c.minute, c.second, utc ? "Z" : "");
    }
    cck_arena_free(ar);
    return err ? 2 : 0;
}
