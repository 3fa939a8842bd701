/* nameid.c - decodes a named-property map from its GUID, entry and string
 * streams ([MS-OXMSG] 2.2.3.1, [MS-PST] 2.4.7): GUID index 1 is PS_MAPI, 2
 * PS_PUBLIC_STRINGS, 3 and up the GUID stream; kind bit 0 selects a string
 * name (an offset into the string stream) over a numeric LID. */
#include "nameid.h"

#include <string.h>

#include "util/cursor.h"
#include "util/text.h"

int cck_nameid_decode(const uint8_t *gb, size_t gn, const uint8_t *eb, size_t en, const uint8_t *sb,
                      size_t sn, cck_arena *a, cck_problems *pr, const char *code,
                      const char *text_code, cck_nameid *out)
{
    out->map = NULL;
    out->n = 0;
    if (gn % 16)
        cck_problems_add(pr, CCK_SEV_WARNING, code, 0,
                         "GUID stream has %zu bytes, not a multiple of 16", gn);
    if (en % 8)
        cck_problems_add(pr, CCK_SEV_WARNING, code, 0,
                         "entry stream has %zu bytes, not a multiple of 8", en);
    size_t ne = en / 8, ng = gn / 16;
    if (ne > CCK_NAMEID_MAX) {
        cck_problems_add(pr, CCK_SEV_ERROR, code, 0,
                         "named property map has %zu entries, more than the limit %d", ne,
                         CCK_NAMEID_MAX);
        ne = CCK_NAMEID_MAX;
    }
    /* First pass: the highest property index sizes the id -> key table. */
    size_t top = 0;
    for (size_t i = 0; i < ne; i++) {
        size_t pix = cck_le16(eb + 8 * i + 6);
        if (pix < CCK_NAMEID_IDS && pix + 1 > top)
            top = pix + 1;
    }
    const cck_propkey **map = cck_arena_calloc(a, top ? top : 1, sizeof *map);
    cck_propkey *keys = cck_arena_calloc(a, ne ? ne : 1, sizeof *keys);
    if (!map || !keys)
        return -1;
    for (size_t i = 0; i < ne; i++) {
        const uint8_t *e = eb + 8 * i;
        uint32_t nameid = cck_le32(e);
        uint16_t kind = cck_le16(e + 4);
        uint16_t pix = cck_le16(e + 6);
        uint16_t gix = kind >> 1;
        cck_propkey *k = &keys[i];
        if (pix >= CCK_NAMEID_IDS) {
            cck_problems_add(pr, CCK_SEV_ERROR, code, 8 * i,
                             "named property entry %zu has property index 0x%04X, past 0x7FFE", i,
                             pix);
            continue;
        }
        if (gix == 1) {
            k->guid = CCK_PS_MAPI;
        } else if (gix == 2) {
            k->guid = CCK_PS_PUBLIC_STRINGS;
        } else if (gix >= 3 && (size_t)(gix - 3) < ng) {
            memcpy(k->guid.b, gb + 16 * (size_t)(gix - 3), 16);
        } else {
            cck_problems_add(pr, CCK_SEV_ERROR, code, 8 * i,
                             "named property entry %zu has GUID index %u, but the GUID stream "
                             "holds %zu",
                             i, gix, ng);
            continue;
        }
        if (kind & 1) {
            /* String offset into the string stream: a 4-byte length, then UTF-16LE. */
            size_t off = nameid;
            if (off > sn || sn - off < 4 || cck_le32(sb + off) > sn - off - 4) {
                cck_problems_add(pr, CCK_SEV_ERROR, code, 8 * i,
                                 "named property entry %zu has string offset %u outside the "
                                 "string stream (%zu bytes)",
                                 i, nameid, sn);
                continue;
            }
            uint32_t slen = cck_le32(sb + off);
            cck_str s;
            if (cck_utf16le_to_utf8(a, sb + off + 4, slen, &s) < 0)
                return -1;
            if (s.bad)
                cck_problems_add(pr, CCK_SEV_WARNING, text_code, off,
                                 "name of named property entry %zu is not valid UTF-16", i);
            k->is_name = true;
            k->name = s.s;
        } else {
            k->lid = nameid;
        }
        if (map[pix]) {
            cck_problems_add(pr, CCK_SEV_ERROR, code, 8 * i,
                             "named property entry %zu reuses id 0x%04X; keeping the first", i,
                             0x8000u + pix);
            continue;
        }
        map[pix] = k;
    }
    out->map = map;
    out->n = top;
    return 0;
}
