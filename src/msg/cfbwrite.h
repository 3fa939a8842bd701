/* cfbwrite.h - builds a compound file ([MS-CFB]) in memory and writes it out.
 *
 * The caller adds storages and streams under a parent (or along a
 * '/'-separated path), may replace a stream's bytes or remove an entry, and
 * then writes the file: version 3 (512-byte sectors), a FAT with DIFAT
 * sectors once it needs more than 109 FAT sectors, streams under 4096 bytes
 * in the mini stream, and each storage's children as a balanced red-black
 * tree in [MS-CFB] 2.6.4 order. Output is deterministic: entries are numbered
 * depth-first in the order they were added, and no timestamps are written.
 *
 * Memory: everything is malloc'd and owned by the writer (stream bytes are
 * copied in); cck_cfbw_free releases it. Writing buffers the whole file.
 * Errors never abort: a function fails with -1 or CCK_CFBW_NONE and
 * cck_cfbw_error() names the reason (a static string).
 */
#ifndef CCK_CFBWRITE_H
#define CCK_CFBWRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Named limits. */
#define CCK_CFBW_MAX_ENTRIES ((uint32_t)1 << 20) /* directory entries, root included */
#define CCK_CFBW_MAX_NAME    31                  /* UTF-16 units of a name, sans NUL */
#define CCK_CFBW_MAX_STREAM  ((uint64_t)1 << 31) /* bytes of one stream */
#define CCK_CFBW_MAX_FILE    ((uint64_t)1 << 32) /* bytes of the whole file */

#define CCK_CFBW_ROOT 0u          /* the root storage ("Root Entry") */
#define CCK_CFBW_NONE 0xFFFFFFFFu /* "no entry" / failure */

typedef struct cck_cfbw cck_cfbw;

/* A writer holding just the root storage, or NULL when out of memory. */
cck_cfbw *cck_cfbw_new(void);
void cck_cfbw_free(cck_cfbw *w);
/* Why the last call failed (static text; "" when nothing failed). */
const char *cck_cfbw_error(const cck_cfbw *w);

/* Adds a storage or a stream (its n bytes copied) named `name` (UTF-8,
 * 1..31 UTF-16 units, none of / \ : !) under storage `parent`. Fails when
 * the parent is not a storage or a sibling already has the name (names
 * compare without case, [MS-CFB] 2.6.4). Returns the new entry's id. */
uint32_t cck_cfbw_storage(cck_cfbw *w, uint32_t parent, const char *name);
uint32_t cck_cfbw_stream(cck_cfbw *w, uint32_t parent, const char *name, const void *data,
                         size_t n);
/* The child of `parent` named `name`, or CCK_CFBW_NONE (no error recorded). */
uint32_t cck_cfbw_find(const cck_cfbw *w, uint32_t parent, const char *name);
/* The entry at '/'-separated `path` below storage `from`, or CCK_CFBW_NONE. */
uint32_t cck_cfbw_lookup(const cck_cfbw *w, uint32_t from, const char *path);
/* Sets the stream at `path` below `from` to the n bytes at data, creating the
 * stream and any missing storages on the way. Returns the stream's id. */
uint32_t cck_cfbw_put(cck_cfbw *w, uint32_t from, const char *path, const void *data, size_t n);
/* Replaces the bytes of stream `id`. Returns 0 or -1. */
int cck_cfbw_set_data(cck_cfbw *w, uint32_t id, const void *data, size_t n);
/* Sets the CLSID of a storage or the root (16 bytes, on-disk order). */
int cck_cfbw_set_clsid(cck_cfbw *w, uint32_t id, const uint8_t clsid[16]);
/* Removes entry `id` (not the root) and everything below it. */
int cck_cfbw_remove(cck_cfbw *w, uint32_t id);

/* The whole file as a malloc'd buffer the caller frees. Returns 0 or -1. */
int cck_cfbw_image(cck_cfbw *w, uint8_t **out, size_t *len);
/* Writes the whole file to `out` (not closed). Returns 0 or -1 (errno set
 * by the failing stdio call when the write itself failed). */
int cck_cfbw_write(cck_cfbw *w, FILE *out);

#endif
