/* icsdump.c - prints what the iCalendar reader (src/ics, RFC 5545 §3.1-§3.6) makes of a file:
 * each top-level component with its properties, parameters, children and problems, then the
 * VCALENDAR properties and calendar-level problems.
 * Usage: icsdump [-q] [-c CHUNK] FILE   (-c feeds CHUNK bytes at a time; -q prints counts only)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics/ics.h"
#include "util/text.h"

static void dump_problems(const cck_problems *pr, int indent)
{
    for (size_t i = 0; i < pr->n; i++)
        printf("%*s%s %s: %s\n", indent, "", cck_severity_name(pr->v[i].sev), pr->v[i].code,
               pr->v[i].text);
    if (pr->dropped)
        printf("%*s(%zu more problems)\n", indent, "", pr->dropped);
}

static void dump_comp(const cck_ics_comp *c, int indent)
{
    printf("%*sBEGIN %s lines %u-%u bytes %llu-%llu%s%s\n", indent, "", c->name, c->line,
           c->end_line, (unsigned long long)c->off, (unsigned long long)c->end,
           c->unclosed ? " unclosed" : "", c->outside ? " outside" : "");
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        printf("%*s%u:%u %s", indent + 2, "", p->line, p->col, p->name);
        for (size_t i = 0; i < p->nparams; i++) {
            printf(";%s=", p->params[i].name);
            for (size_t v = 0; v < p->params[i].nvalues; v++) {
                printf("%s\"", v ? "," : "");
                cck_fput_escaped(stdout, p->params[i].values[v], strlen(p->params[i].values[v]),
                                 true);
                printf("\"");
            }
        }
        printf(" = \"");
        cck_fput_escaped(stdout, p->value, p->value_len, true);
        printf("\"%s\n", p->bad ? " BAD" : "");
    }
    if (c->dropped_props)
        printf("%*s(%zu properties not kept)\n", indent + 2, "", c->dropped_props);
    for (const cck_ics_comp *k = c->children; k; k = k->next)
        dump_comp(k, indent + 2);
}

int main(int argc, char **argv)
{
    size_t chunk = 0;
    int quiet = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-q"))
            quiet = 1;
        else if (!strcmp(argv[i], "-c") && i + 1 < argc)
            chunk = strtoul(argv[++i], NULL, 10);
        else
            break;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: icsdump [-q] [-c CHUNK] FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
        perror(argv[i]);
        return 2;
    }
    size_t cap = 1 << 16, len = 0, got;
    unsigned char *data = malloc(cap);
    while (data && (got = fread(data + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *d = realloc(data, cap *= 2);
            if (!d) {
                free(data);
                data = NULL;
            } else
                data = d;
        }
    }
    fclose(f);
    cck_arena *ca = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    if (!data || !ca || !a) {
        fprintf(stderr, "icsdump: out of memory\n");
        return 2;
    }
    cck_problems calpr, pr;
    cck_problems_init(&calpr, ca);
    cck_ics_reader *r = chunk ? cck_ics_open_stream(&calpr) : cck_ics_open(data, len, &calpr);
    size_t fed = 0, ncomp = 0, nprob = 0;
    cck_problems_init(&pr, a);
    for (;;) {
        const cck_ics_comp *c;
        int rc = cck_ics_next(r, a, &c, &pr);
        if (rc == CCK_ICS_MORE) {
            size_t n = len - fed < chunk ? len - fed : chunk;
            cck_ics_feed(r, data + fed, n);
            fed += n;
            if (fed == len)
                cck_ics_finish(r);
            continue;
        }
        if (rc == 0)
            break;
        ncomp++;
        nprob += pr.n + pr.dropped;
        if (!quiet) {
            dump_comp(c, 0);
            dump_problems(&pr, 2);
        }
        cck_arena_reset(a);
        cck_problems_init(&pr, a);
    }
    nprob += calpr.n + calpr.dropped;
    if (!quiet) {
        dump_comp(cck_ics_calendar(r), 0);
        dump_problems(&calpr, 2);
    }
    printf("%zu components, %u calendars, %u lines, %zu problems\n", ncomp,
           cck_ics_calendar_count(r), cck_ics_lines(r), nprob);
    cck_ics_close(r);
    cck_arena_free(a);
    cck_arena_free(ca);
    free(data);
    return 0;
}
