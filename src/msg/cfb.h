/* cfb.h - a read-only compound file ([MS-CFB]) held in memory.
 *
 * cck_cfb_open() checks the header, loads the DIFAT, FAT, mini FAT and the
 * directory, and resolves every storage's children once (walking each
 * red-black sibling tree with a visited check, so a cyclic directory cannot
 * loop). Children are then kept sorted by name, so a lookup is a binary search.
 * cck_cfb_read() assembles one stream's sector chain (FAT or mini FAT by size)
 * into a contiguous buffer; every chain is bounded and cycle-checked.
 *
 * Ownership: the cck_cfb, entries, names and stream copies live in the arena
 * given to cck_cfb_open(). The input bytes are borrowed: they must stay valid
 * for as long as cck_cfb_read() is called, but nothing returned points into
 * them, so they may be released once the caller is done reading streams.
 * Structural defects are added to the caller's cck_problems list.
 */
#ifndef CCK_CFB_H
#define CCK_CFB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/problems.h"

/* Named limits; exceeding one is a problem, never a crash. */
#define CCK_CFB_MAX_DIR_ENTRIES ((uint32_t)1 << 20) /* directory entries read */
#define CCK_CFB_MAX_STREAM      ((uint64_t)1 << 31) /* bytes of one stream */
#define CCK_CFB_MAX_NAME        31                  /* UTF-16 units of a name, sans NUL */

#define CCK_CFB_NONE 0xFFFFFFFFu /* "no entry" (NOSTREAM in [MS-CFB] 2.6.1) */

/* Object types of a directory entry ([MS-CFB] 2.6.1). */
#define CCK_CFB_UNUSED  0
#define CCK_CFB_STORAGE 1
#define CCK_CFB_STREAM  2
#define CCK_CFB_ROOT    5

typedef struct cck_cfb_entry {
    const char *name; /* UTF-8, NUL-terminated, arena-owned */
    uint8_t type;     /* CCK_CFB_STORAGE / STREAM / ROOT / UNUSED (or a bad value) */
    uint8_t clsid[16];
    uint32_t start; /* first sector of a stream (FAT or mini FAT) */
    uint64_t size;  /* stream size (v3: low 32 bits only) */
    /* Children of a storage or the root, sorted by cck_cfb_name_cmp order. */
    const uint32_t *kids;
    uint32_t nkids;
} cck_cfb_entry;

typedef struct cck_cfb cck_cfb;

typedef enum {
    CCK_CFB_OK = 0,
    CCK_CFB_NOT_CFB, /* no signature, or a header that cannot be used */
    CCK_CFB_NOMEM    /* the arena limit was reached */
} cck_cfb_status;

/* Opens the compound file in [data, data + len). On CCK_CFB_OK *out is set
 * (structural problems, if any, are in `pr`); otherwise *out is NULL and *why,
 * when non-NULL, names the reason ("bad signature 0x..."), arena-owned or static. */
cck_cfb_status cck_cfb_open(const uint8_t *data, size_t len, cck_arena *a, cck_problems *pr,
                            cck_cfb **out, const char **why);

/* Sends later problems (from cck_cfb_read) to `pr`, e.g. the list of the
 * embedded message whose streams are being read. */
void cck_cfb_set_problems(cck_cfb *c, cck_problems *pr);

/* Sector size in bytes (512 or 4096) and major version (3 or 4). */
unsigned cck_cfb_sector_size(const cck_cfb *c);
unsigned cck_cfb_version(const cck_cfb *c);

/* Directory entry `id`, or NULL when out of range. Entry 0 is the root. */
size_t cck_cfb_nentries(const cck_cfb *c);
const cck_cfb_entry *cck_cfb_entry_at(const cck_cfb *c, uint32_t id);

/* Child of storage `dir` named `name` (UTF-8; ASCII letters compared without
 * case, like [MS-CFB] 2.6.4 does for the names .msg files use), or CCK_CFB_NONE. */
uint32_t cck_cfb_find(const cck_cfb *c, uint32_t dir, const char *name);

/* Copies stream `id` into a new arena buffer (NUL-padded past the end, so a
 * reader may look one byte beyond *len). A chain that ends early, loops or
 * leaves the file yields the sectors it had (*len is then shorter than the
 * entry's size) and a problem naming the stream; a sector cut off by the end
 * of the file reads as zeros. Returns 0, or -1 if `id` is not a stream
 * (problem recorded) or the arena is exhausted (*nomem set to true when
 * nomem is non-NULL; no problem recorded, the caller decides). */
int cck_cfb_read(cck_cfb *c, uint32_t id, const uint8_t **data, size_t *len, bool *nomem);

/* The ordering children are sorted in: ASCII-case-insensitive byte compare. */
int cck_cfb_name_cmp(const char *x, const char *y);

#endif
