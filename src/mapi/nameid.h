/* nameid.h - the named-property map: which (property set, LID or name) each
 * named property id 0x8000 + i stands for. The same three streams encode it
 * in a .msg (__nameid_version1.0, [MS-OXMSG] 2.2.3.1) and in a PST/OST
 * (the name-to-id map, [MS-PST] 2.4.7): GUIDs (16 bytes each), entries
 * (8 bytes: LID or string offset, GUID index and kind, property index) and
 * strings (4-byte length + UTF-16LE). Decoding once gives O(1) lookups.
 *
 * Ownership: the table and keys live in the arena given to the decoder.
 */
#ifndef CCK_NAMEID_H
#define CCK_NAMEID_H

#include <stddef.h>
#include <stdint.h>

#include "mapi/props.h"
#include "util/arena.h"
#include "util/problems.h"

/* Entries decoded at most; a larger map is cut with a problem. */
#define CCK_NAMEID_MAX 65536
/* Named ids run from 0x8000 to 0xFFFE: property indexes below this. */
#define CCK_NAMEID_IDS 0x7FFF

typedef struct cck_nameid {
    const cck_propkey **map; /* map[i]: key of id 0x8000 + i, or NULL */
    size_t n;
} cck_nameid;

/* Decodes the three streams (any may be empty, the entry stream must be
 * there for a non-empty map). Structural problems are recorded in pr under
 * `code` ("msg.nameid", "pst.nameid"), invalid UTF-16 names under
 * `text_code`. Returns 0, or -1 when the arena is exhausted. */
int cck_nameid_decode(const uint8_t *gb, size_t gn, const uint8_t *eb, size_t en, const uint8_t *sb,
                      size_t sn, cck_arena *a, cck_problems *pr, const char *code,
                      const char *text_code, cck_nameid *out);
/* The key of named id `id` (>= 0x8000), or NULL when the map lacks it. */
static inline const cck_propkey *cck_nameid_key(const cck_nameid *m, uint32_t id)
{
    return id >= 0x8000 && id - 0x8000 < m->n ? m->map[id - 0x8000] : NULL;
}

#endif
