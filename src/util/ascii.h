/* ascii.h - locale-free ASCII character tests, inline.
 *
 * The checks compare protocol tokens (address types, mailto:, e-mail
 * domains), which are ASCII whatever the locale says; <ctype.h> goes through
 * the locale tables and a call per character, on the hot path of every
 * recipient of every meeting. Bytes >= 0x80 are never letters or digits here.
 */
#ifndef CCK_ASCII_H
#define CCK_ASCII_H

#include <stdbool.h>

static inline int cck_ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static inline bool cck_ascii_isalnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool cck_ascii_isspace(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Whether NUL-terminated a and b are equal, ASCII letters without case. */
static inline bool cck_ascii_eq_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (cck_ascii_lower((unsigned char)*a) != cck_ascii_lower((unsigned char)*b))
            return false;
    return *a == *b;
}

#endif
