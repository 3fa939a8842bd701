/* problems.c - bounded, arena-backed list of structural problems. */
#include "problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cck_problems_init(cck_problems *p, cck_arena *a)
{
    memset(p, 0, sizeof *p);
    p->arena = a;
}

void cck_problems_add(cck_problems *p, cck_severity sev, const char *code, uint64_t offset,
                      const char *fmt, ...)
{
    if (p->n >= CCK_PROBLEMS_MAX) {
        p->dropped++;
        return;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        if (cap > CCK_PROBLEMS_MAX)
            cap = CCK_PROBLEMS_MAX;
        cck_problem *v = cck_arena_calloc(p->arena, cap, sizeof *v);
        if (!v) {
            p->dropped++;
            return;
        }
        if (p->n)
            memcpy(v, p->v, p->n * sizeof *v);
        p->v = v;
        p->cap = cap;
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cck_problem *q = &p->v[p->n++];
    q->code = code;
    q->sev = sev;
    q->offset = offset;
    q->text = cck_arena_strndup(p->arena, buf, strlen(buf));
    if (!q->text)
        q->text = "(out of memory for the problem text)";
}

const cck_problem *cck_problems_find(const cck_problems *p, const char *code)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].code, code) == 0)
            return &p->v[i];
    return NULL;
}

const char *cck_severity_name(cck_severity sev)
{
    switch (sev) {
    case CCK_SEV_ERROR:
        return "ERROR";
    case CCK_SEV_WARNING:
        return "WARNING";
    default:
        return "INFO";
    }
}
