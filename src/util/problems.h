/* problems.h - the structural problems a parser found, with byte offsets.
 *
 * A parser never prints and never stops at the first defect: it records each
 * one here and decodes what it still can. Problems live in the caller's arena.
 * `code` is a stable identifier ("recur.truncated") that checks and tests
 * match on; `text` is the human message (problem first, value quoted).
 * At most CCK_PROBLEMS_MAX are kept per list; the rest are only counted, so
 * hostile input cannot make the list grow without bound.
 */
#ifndef CCK_PROBLEMS_H
#define CCK_PROBLEMS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define CCK_PROBLEMS_MAX 256

typedef enum { CCK_SEV_INFO = 0, CCK_SEV_WARNING = 1, CCK_SEV_ERROR = 2 } cck_severity;

typedef struct cck_problem {
    const char *code; /* static string, never freed */
    cck_severity sev;
    uint64_t offset;  /* byte offset within the decoded structure or stream */
    const char *text; /* arena-owned */
} cck_problem;

typedef struct cck_problems {
    cck_problem *v; /* arena-owned */
    size_t n, cap;
    size_t dropped;   /* problems beyond CCK_PROBLEMS_MAX, counted only */
    cck_arena *arena; /* borrowed */
} cck_problems;

/* With a NULL arena (or a list left zeroed) problems are only counted, in
 * `dropped`: for callers that need to know whether, not what. */
void cck_problems_init(cck_problems *p, cck_arena *a);
void cck_problems_add(cck_problems *p, cck_severity sev, const char *code, uint64_t offset,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Returns the first problem with this code, or NULL. */
const cck_problem *cck_problems_find(const cck_problems *p, const char *code);
const char *cck_severity_name(cck_severity sev);

#endif
