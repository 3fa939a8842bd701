/* text.h - character set conversions for MAPI strings.
 *
 * PT_UNICODE values are UTF-16LE; PT_STRING8 values are 8-bit text in the
 * message's code page ([MS-OXMSG] 2.1.2 / PidTagMessageCodepage). Everything
 * inside calcheck is UTF-8. Conversions never fail on bad input: an unpaired
 * surrogate or an unmappable byte becomes U+FFFD and is counted, so the caller
 * can report it. Results are NUL-terminated and allocated in the given arena.
 */
#ifndef CCK_TEXT_H
#define CCK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"

typedef struct cck_str {
    const char *s; /* UTF-8, NUL-terminated, arena-owned (may contain earlier NULs) */
    size_t len;    /* bytes, excluding the terminator */
    size_t bad;    /* code units that were replaced with U+FFFD */
} cck_str;

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if it is not valid. */
size_t cck_utf8_seq_len(const uint8_t *p, size_t n);
/* Number of invalid bytes in [p, p+n) (0 means valid UTF-8). */
size_t cck_utf8_invalid(const uint8_t *p, size_t n);

/* UTF-16LE (n bytes; an odd trailing byte counts as bad) to UTF-8.
 * Returns -1 only when the arena is exhausted. */
int cck_utf16le_to_utf8(cck_arena *a, const uint8_t *p, size_t n, cck_str *out);
/* 8-bit text in Windows code page `cp` to UTF-8 (iconv; 1252 when cp is 0 or
 * unknown, 65001 taken as UTF-8). Returns -1 only when the arena is exhausted. */
int cck_cp_to_utf8(cck_arena *a, unsigned cp, const uint8_t *p, size_t n, cck_str *out);

/* Whether s starts with prefix, ASCII letters compared without case. */
bool cck_starts_ci(const char *s, const char *prefix);
/* Formats a reason into the caller's buffer err (size bytes; nothing when
 * err is NULL or size 0): the one way library code hands back a message. */
void cck_set_err(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes n bytes of UTF-8 to f on one line: '\\' and control characters
 * escaped C-style (\n, \t, \xNN), invalid UTF-8 bytes as \xNN, and '"' too
 * when `quoted` (the text goes between quotes). Used wherever text from the
 * data goes into a line-oriented output. */
void cck_fput_escaped(FILE *f, const char *s, size_t n, bool quoted);

#endif
