/* pds.c - decodes the PropertyDefinition stream of PidLidPropertyDefinitionStream
 * ([MS-OXPROPS] 2.212; layout from the Outlook MAPI reference: PropertyDefinition,
 * FieldDefinition, PackedAnsiString, PackedUnicodeString, SkipBlock and
 * FirstSkipBlockContent stream structures), flags fields whose name length is
 * set but whose name is empty (CalCheck 0056), truncation (0057), and renders it.
 */
#include "pds.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mapi/recur.h"
#include "util/cursor.h"

#define ERR  CCK_SEV_ERROR
#define WARN CCK_SEV_WARNING

typedef struct rd {
    cck_cur c;
    cck_arena *a;
    cck_problems *pr;
    size_t base; /* offset of the cursor's data in the stream */
    bool oom;
} rd;

static bool need(rd *r, size_t n, size_t field, const char *what)
{
    size_t left = cck_cur_left(&r->c);
    if (left >= n)
        return true;
    cck_problems_add(r->pr, ERR, "pds.truncated", r->base + r->c.pos,
                     "stream ends inside FieldDefinitions[%zu] %s: %zu bytes needed, %zu remain",
                     field, what, n, left);
    return false;
}

/* Packed strings: a 1-byte length, or 0xFF and a 2-byte length; then the
 * characters (bytes for ANSI, WCHARs for Unicode). */
static bool read_packed(rd *r, size_t field, const char *what, bool wide, cck_str *out,
                        size_t *count)
{
    if (!need(r, 1, field, what))
        return false;
    size_t len = cck_cur_u8(&r->c);
    if (len == 0xFF) {
        if (!need(r, 2, field, what))
            return false;
        len = cck_cur_u16(&r->c);
    }
    size_t bytes = wide ? 2 * len : len;
    if (!need(r, bytes, field, what))
        return false;
    const uint8_t *s = cck_cur_bytes(&r->c, bytes);
    int rc =
        wide ? cck_utf16le_to_utf8(r->a, s, bytes, out) : cck_cp_to_utf8(r->a, 1252, s, bytes, out);
    if (rc < 0) {
        r->oom = true;
        return false;
    }
    if (count)
        *count = len;
    return true;
}

static void check_name(rd *r, size_t at, size_t i, const char *what, size_t len, const cck_str *s)
{
    /* A length but nothing before the first NUL: Outlook cannot use the field. */
    if (len > 0 && s->s && s->s[0] == '\0')
        cck_problems_add(r->pr, ERR, "pds.empty_name", at,
                         "FieldDefinitions[%zu] %s length %zu but the name is empty", i, what, len);
}

static bool parse_field(rd *r, cck_pds_field *f, size_t i, uint16_t version)
{
    f->offset = r->c.pos;
    if (!need(r, 12, i, "Flags, VT, DispId, NmidNameLength"))
        return false;
    f->Flags = cck_cur_u32(&r->c);
    f->VT = cck_cur_u16(&r->c);
    f->DispId = cck_cur_u32(&r->c);
    size_t at = r->c.pos;
    f->NmidNameLength = cck_cur_u16(&r->c);
    size_t bytes = 2 * (size_t)f->NmidNameLength;
    if (!need(r, bytes, i, "NmidName"))
        return false;
    if (cck_utf16le_to_utf8(r->a, cck_cur_bytes(&r->c, bytes), bytes, &f->NmidName) < 0) {
        r->oom = true;
        return false;
    }
    check_name(r, at, i, "NmidNameLength", f->NmidNameLength, &f->NmidName);
    at = r->c.pos;
    size_t len = 0;
    if (!read_packed(r, i, "NameANSI", false, &f->NameANSI, &len))
        return false;
    check_name(r, at, i, "NameANSI", len, &f->NameANSI);
    if (!read_packed(r, i, "FormulaANSI", false, &f->FormulaANSI, NULL) ||
        !read_packed(r, i, "ValidationRuleANSI", false, &f->ValidationRuleANSI, NULL) ||
        !read_packed(r, i, "ValidationTextANSI", false, &f->ValidationTextANSI, NULL) ||
        !read_packed(r, i, "ErrorANSI", false, &f->ErrorANSI, NULL))
        return false;
    if (!need(r, 4, i, "InternalType"))
        return false;
    f->InternalType = cck_cur_u32(&r->c);
    if (version >= CCK_PDS_V2) {
        /* SkipBlocks up to one with Size 0; the first non-empty one is the
         * field name as a PackedUnicodeString (FirstSkipBlockContent). */
        for (size_t k = 0;; k++) {
            if (k >= CCK_PDS_MAX_SKIP_BLOCKS) {
                cck_problems_add(r->pr, ERR, "pds.too_many", r->c.pos,
                                 "FieldDefinitions[%zu] has more than %d SkipBlocks", i,
                                 CCK_PDS_MAX_SKIP_BLOCKS);
                return false;
            }
            if (!need(r, 4, i, "SkipBlock Size"))
                return false;
            size_t at_size = r->c.pos;
            uint32_t size = cck_cur_u32(&r->c);
            if (size == 0)
                break;
            if (!need(r, size, i, "SkipBlock Content"))
                return false;
            size_t end = r->c.pos + size;
            f->n_skip_blocks = k + 1;
            if (k == 0) {
                /* Read the name inside the block only: a sub-cursor keeps a
                 * bad inner length from reaching past the block. */
                rd sub = {.a = r->a, .pr = r->pr, .base = r->base + r->c.pos};
                cck_cur_init(&sub.c, r->c.data + r->c.pos, size);
                size_t wl = 0;
                if (read_packed(&sub, i, "FieldName", true, &f->FieldName, &wl)) {
                    f->has_field_name = true;
                    check_name(r, at_size + 4, i, "FieldName", wl, &f->FieldName);
                } else if (sub.oom) {
                    r->oom = true;
                    return false;
                }
            }
            cck_cur_skip(&r->c, end - r->c.pos);
        }
    }
    f->complete = true;
    return true;
}

const cck_pds *cck_pds_parse(const uint8_t *p, size_t n, cck_arena *a, cck_problems *pr)
{
    cck_pds *d = cck_arena_alloc(a, sizeof *d);
    if (!d)
        return NULL;
    rd r = {.a = a, .pr = pr};
    cck_cur_init(&r.c, p, n);
    if (n < 6) {
        cck_problems_add(pr, ERR, "pds.truncated", n, "stream of %zu bytes ends inside %s", n,
                         n < 2 ? "Version" : "FieldDefinitionCount");
        if (n >= 2)
            d->Version = cck_le16(p);
        return d;
    }
    d->Version = cck_cur_u16(&r.c);
    d->FieldDefinitionCount = cck_cur_u32(&r.c);
    if (d->Version != CCK_PDS_V1 && d->Version != CCK_PDS_V2) {
        /* The layout of other versions is unknown: stop here. */
        cck_problems_add(pr, ERR, "pds.version", 0,
                         "Version 0x%04X is neither PropDefV1 (0x0102) nor PropDefV2 (0x0103)",
                         d->Version);
        return d;
    }
    /* A FieldDefinition takes at least 21 bytes (25 in PropDefV2), which bounds
     * the array before it is allocated. */
    size_t min = d->Version == CCK_PDS_V2 ? 25 : 21;
    size_t cap = d->FieldDefinitionCount;
    if (cap > CCK_PDS_MAX_FIELDS) {
        cck_problems_add(pr, ERR, "pds.too_many", 2,
                         "FieldDefinitionCount %" PRIu32 " exceeds the limit of %d",
                         d->FieldDefinitionCount, CCK_PDS_MAX_FIELDS);
        cap = CCK_PDS_MAX_FIELDS;
    }
    if (cap > cck_cur_left(&r.c) / min + 1)
        cap = cck_cur_left(&r.c) / min + 1;
    d->FieldDefinitions = cck_arena_calloc(a, cap ? cap : 1, sizeof *d->FieldDefinitions);
    if (!d->FieldDefinitions)
        return NULL;
    for (size_t i = 0; i < cap; i++) {
        d->n_fields = i + 1;
        if (!parse_field(&r, &d->FieldDefinitions[i], i, d->Version))
            return r.oom ? NULL : d;
    }
    if (cap < d->FieldDefinitionCount && d->FieldDefinitionCount <= CCK_PDS_MAX_FIELDS) {
        cck_problems_add(pr, ERR, "pds.truncated", r.c.pos,
                         "FieldDefinitionCount %" PRIu32 " but the stream ends after %zu",
                         d->FieldDefinitionCount, cap);
        return d;
    }
    d->complete = d->FieldDefinitionCount <= CCK_PDS_MAX_FIELDS;
    if (d->complete && cck_cur_left(&r.c))
        cck_problems_add(pr, WARN, "pds.trailing", r.c.pos,
                         "%zu bytes follow the last FieldDefinition", cck_cur_left(&r.c));
    return d;
}

const char *cck_pds_vt_name(uint16_t vt)
{
    switch (vt) {
    case 0x0002:
        return "VT_I2";
    case 0x0003:
        return "VT_I4";
    case 0x0004:
        return "VT_R4";
    case 0x0005:
        return "VT_R8";
    case 0x0006:
        return "VT_CY";
    case 0x0007:
        return "VT_DATE";
    case 0x0008:
        return "VT_BSTR";
    case 0x000B:
        return "VT_BOOL";
    case 0x0014:
        return "VT_I8";
    case 0x001E:
        return "VT_LPSTR";
    case 0x001F:
        return "VT_LPWSTR";
    case 0x0040:
        return "VT_FILETIME";
    case 0x0041:
        return "VT_BLOB";
    case 0x101F:
        return "VT_VECTOR|VT_LPWSTR";
    }
    return NULL;
}

static char *pdo_fmt(uint32_t f, char *b, size_t n)
{
    static const char *const names[] = {"PDO_IS_CUSTOM",       "PDO_REQUIRED",  "PDO_PRINT_SAVEAS",
                                        "PDO_CALC_AUTO",       "PDO_FT_CONCAT", "PDO_FT_SWITCH",
                                        "PDO_PRINT_SAVEAS_DEF"};
    size_t k = 0;
    b[0] = '\0';
    for (int i = 0; i < 7; i++) {
        if (!(f & (1u << i)))
            continue;
        int w = snprintf(b + k, n - k, "%s%s", k ? "|" : "", names[i]);
        if (w < 0 || (size_t)w >= n - k)
            break;
        k += (size_t)w;
    }
    if (f & ~0x7Fu && k + 20 < n)
        snprintf(b + k, n - k, "%sundefined bits", k ? "|" : "");
    else if (f == 0)
        snprintf(b, n, "none");
    return b;
}

static void emit_s(cck_emit *e, const char *key, const cck_str *s)
{
    if (s->s)
        cck_emit_strn(e, key, s->s, s->len);
    else
        cck_emit_null(e, key);
}

void cck_pds_emit(const cck_pds *d, const cck_problems *pr, cck_emit *e, const char *key)
{
    char b[160];
    cck_emit_begin_obj(e, key);
    if (d) {
        cck_emit_hex_note(e, "Version", d->Version, 4,
                          d->Version == CCK_PDS_V1   ? "PropDefV1"
                          : d->Version == CCK_PDS_V2 ? "PropDefV2"
                                                     : "unknown");
        cck_emit_uint(e, "FieldDefinitionCount", d->FieldDefinitionCount);
        cck_emit_begin_arr(e, "FieldDefinitions");
        for (size_t i = 0; i < d->n_fields; i++) {
            const cck_pds_field *f = &d->FieldDefinitions[i];
            cck_emit_begin_obj(e, NULL);
            cck_emit_hex_note(e, "Flags", f->Flags, 8, pdo_fmt(f->Flags, b, sizeof b));
            cck_emit_hex_note(e, "VT", f->VT, 4, cck_pds_vt_name(f->VT));
            cck_emit_hex(e, "DispId", f->DispId, 8);
            cck_emit_uint(e, "NmidNameLength", f->NmidNameLength);
            emit_s(e, "NmidName", &f->NmidName);
            emit_s(e, "NameANSI", &f->NameANSI);
            emit_s(e, "FormulaANSI", &f->FormulaANSI);
            emit_s(e, "ValidationRuleANSI", &f->ValidationRuleANSI);
            emit_s(e, "ValidationTextANSI", &f->ValidationTextANSI);
            emit_s(e, "ErrorANSI", &f->ErrorANSI);
            cck_emit_hex(e, "InternalType", f->InternalType, 8);
            if (d->Version >= CCK_PDS_V2) {
                cck_emit_uint(e, "SkipBlocks", f->n_skip_blocks);
                if (f->has_field_name)
                    emit_s(e, "FieldName", &f->FieldName);
            }
            cck_emit_end_obj(e);
        }
        cck_emit_end_arr(e);
    }
    cck_mapi_emit_problems(pr, e);
    cck_emit_end_obj(e);
}
