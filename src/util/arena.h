/* arena.h - region allocator with a ceiling.
 *
 * Everything a parser builds for one item (decoded structures, converted
 * strings, problem texts) is allocated from one arena and released at once by
 * cck_arena_reset() or cck_arena_free(); nothing inside needs its own free.
 * An arena refuses to grow past its limit: allocation then returns NULL, and
 * callers turn that into a problem ("too large") rather than a crash.
 */
#ifndef CCK_ARENA_H
#define CCK_ARENA_H

#include <stddef.h>

typedef struct cck_arena cck_arena;

/* Default ceiling for one item's decoded data. */
#define CCK_ARENA_DEFAULT_LIMIT ((size_t)512 << 20)

/* Returns a new arena that will hand out at most `limit` bytes, or NULL on OOM. */
cck_arena *cck_arena_new(size_t limit);
void cck_arena_free(cck_arena *a);
/* Forgets every allocation but keeps the first block for reuse. */
void cck_arena_reset(cck_arena *a);
/* Zeroed, 16-byte aligned memory, or NULL past the limit. n == 0 yields a valid pointer. */
void *cck_arena_alloc(cck_arena *a, size_t n);
/* n * size with overflow check. */
void *cck_arena_calloc(cck_arena *a, size_t n, size_t size);
/* Copy of [s, s+n) with a NUL appended. */
char *cck_arena_strndup(cck_arena *a, const char *s, size_t n);
char *cck_arena_printf(cck_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for tests and limits). */
size_t cck_arena_used(const cck_arena *a);

#endif
