/* unit.h - the smallest test harness that does the job.
 *
 * A test file defines `static void test_x(void)` functions and a main that
 * calls RUN(test_x) for each, then returns unit_done(). Each RUN prints
 * "ok - name" or "not ok - name" followed by the failed checks; tests/run.sh
 * counts these lines across all binaries for the closing "N passed, N failed".
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed_checks; /* in the running test */
static int unit_passed, unit_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            unit_failed_checks++;                                                                  \
            printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                    \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                         \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            unit_failed_checks++;                                                                  \
            printf("#   %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, a_, #b, \
                   b_);                                                                            \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                                         \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                   \
            unit_failed_checks++;                                                                  \
            printf("#   %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,           \
                   a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                        \
        }                                                                                          \
    } while (0)

#define RUN(fn)                                                                                    \
    do {                                                                                           \
        unit_failed_checks = 0;                                                                    \
        fn();                                                                                      \
        if (unit_failed_checks) {                                                                  \
            unit_failed++;                                                                         \
            printf("not ok - %s\n", #fn);                                                          \
        } else {                                                                                   \
            unit_passed++;                                                                         \
            printf("ok - %s\n", #fn);                                                              \
        }                                                                                          \
    } while (0)

static inline int unit_done(void)
{
    return unit_failed ? 1 : 0;
}

#endif
