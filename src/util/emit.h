/* emit.h - one tree-shaped output, two renderings: indented text or JSON.
 *
 * Renderers (calcheck dump, the structure printers in mapi/) describe what they
 * show once, as nested objects, arrays and scalar members; the emitter writes
 * it either as human-readable indented "Key: value" lines or as one JSON
 * document. `key` names a member of the enclosing object and must be NULL for
 * array elements and the root. Strings are UTF-8; invalid sequences are
 * written as U+FFFD and control characters escaped, so data from a file can
 * never break the output. The emitter owns nothing but its own state; the
 * FILE stays the caller's.
 */
#ifndef CCK_EMIT_H
#define CCK_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { CCK_EMIT_TEXT, CCK_EMIT_JSON } cck_emit_format;

typedef struct cck_emit cck_emit;

/* Nesting deeper than this is flattened into a placeholder string. */
#define CCK_EMIT_MAX_DEPTH 64

cck_emit *cck_emit_new(FILE *out, cck_emit_format fmt);
/* Closes what is still open, ends the document, frees the emitter.
 * Returns 0, or -1 when writing to the FILE failed at any point. */
int cck_emit_finish(cck_emit *e);
cck_emit_format cck_emit_fmt(const cck_emit *e);

void cck_emit_begin_obj(cck_emit *e, const char *key);
void cck_emit_end_obj(cck_emit *e);
void cck_emit_begin_arr(cck_emit *e, const char *key);
void cck_emit_end_arr(cck_emit *e);

void cck_emit_int(cck_emit *e, const char *key, int64_t v);
void cck_emit_uint(cck_emit *e, const char *key, uint64_t v);
/* A number shown in hex in text ("0x%0*llX") and as a plain number in JSON. */
void cck_emit_hex(cck_emit *e, const char *key, uint64_t v, int digits);
/* As cck_emit_uint / cck_emit_hex, with a note shown in text only: "v (note)".
 * Use for enumerations ("Weekly") and raw date counters ("2023-01-09"). */
void cck_emit_uint_note(cck_emit *e, const char *key, uint64_t v, const char *note);
void cck_emit_hex_note(cck_emit *e, const char *key, uint64_t v, int digits, const char *note);
void cck_emit_double(cck_emit *e, const char *key, double v);
void cck_emit_bool(cck_emit *e, const char *key, bool v);
void cck_emit_null(cck_emit *e, const char *key);
/* NUL-terminated UTF-8 (NULL is written as null). */
void cck_emit_str(cck_emit *e, const char *key, const char *s);
/* Exactly n bytes of UTF-8, embedded NULs included (escaped). */
void cck_emit_strn(cck_emit *e, const char *key, const char *s, size_t n);
/* Bytes as upper-case hex; in text at most CCK_EMIT_TEXT_HEX_MAX bytes then "...". */
#define CCK_EMIT_TEXT_HEX_MAX 256
void cck_emit_bytes(cck_emit *e, const char *key, const uint8_t *p, size_t n);

#endif
