/* msg.c - Outlook .msg reader: [MS-OXMSG] 2.2 (storages for recipients,
 * attachments, embedded messages and the named property map), 2.4 (property
 * streams), 2.1.3/2.1.4 (variable-size and multi-valued values in __substg1.0_
 * streams). The compound file underneath is read by cfb.c; everything decoded
 * is copied into the caller's arena.
 */
#include "msg.h"

#include "mapi/nameid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/cursor.h"
#include "cfb.h"

#define PROPS_STREAM     "__properties_version1.0"
#define NAMEID_STORAGE   "__nameid_version1.0"
#define RECIP_PREFIX     "__recip_version1.0_#"
#define ATTACH_PREFIX    "__attach_version1.0_#"
#define EMBEDDED_STORAGE "__substg1.0_3701000D"
#define GUID_STREAM      "__substg1.0_00020102"
#define ENTRY_STREAM     "__substg1.0_00030102"
#define STRING_STREAM    "__substg1.0_00040102"

/* Property stream headers, [MS-OXMSG] 2.4.1. */
#define HDR_TOP      32
#define HDR_EMBEDDED 24
#define HDR_SUB      8
#define PROP_ENTRY   16

/* Named ids run from 0x8000 to 0xFFFE, so a map holds at most 0x7FFF keys. */

#define ATTACH_METHOD_EMBEDDED 5
#define ATTACH_METHOD_OLE      6

struct cck_msg {
    cck_props props;
    cck_props *recips;
    size_t nrecips;
    cck_props *attachs;
    const cck_msg **amsgs;
    size_t nattachs;
    /* Why recipient / attachment i could not be read (NULL: it could). */
    const char **recip_bad, **attach_bad;
    /* Built messages (cck_msg_new) grow their arrays in this arena. */
    cck_arena *arena;
    size_t recip_cap, attach_cap;
    cck_problems problems;
    const cck_propkey *const *named; /* shared with the top-level message */
    size_t nnamed;
};

typedef struct ctx {
    cck_cfb *cfb;
    cck_arena *a;
    bool nomem; /* a small, structural allocation failed: the open fails */
    const cck_propkey **named;
    size_t nnamed;
} ctx;

/* One property entry as stored, kept with its position for a stable sort. */
typedef struct rawent {
    uint32_t tag, flags;
    const uint8_t *val; /* 8 bytes inside the property stream copy */
    size_t pos;
} rawent;

const char *cck_msg_status_text(cck_msg_status s)
{
    switch (s) {
    case CCK_MSG_OK:
        return "ok";
    case CCK_MSG_NOT_CFB:
        return "not a compound file";
    case CCK_MSG_NOT_MSG:
        return "a compound file but not an Outlook message";
    case CCK_MSG_NOMEM:
        return "too large for the memory limit";
    }
    return "unknown status";
}

/* Looks up child `name` of `dir` of the wanted object type; CCK_CFB_NONE if absent. */
static uint32_t find_kind(ctx *x, uint32_t dir, const char *name, uint8_t type)
{
    uint32_t id = cck_cfb_find(x->cfb, dir, name);
    if (id == CCK_CFB_NONE || cck_cfb_entry_at(x->cfb, id)->type != type)
        return CCK_CFB_NONE;
    return id;
}

/* Reads a stream; on arena exhaustion the value is dropped with a problem
 * rather than failing the whole message, since one huge attachment should not
 * hide the calendar properties. Returns 0 or -1 (no data). */
static int read_stream(ctx *x, uint32_t id, cck_problems *pr, const uint8_t **data, size_t *len)
{
    bool nomem = false;
    if (cck_cfb_read(x->cfb, id, data, len, &nomem) == 0)
        return 0;
    if (nomem) {
        const cck_cfb_entry *e = cck_cfb_entry_at(x->cfb, id);
        cck_problems_add(pr, CCK_SEV_ERROR, "msg.too_large", 0,
                         "stream \"%s\" (%llu bytes) does not fit in the memory limit; skipped",
                         e->name, (unsigned long long)e->size);
    }
    return -1;
}

/* Types whose value lives in a __substg1.0_ stream ([MS-OXMSG] 2.1.3). */
static bool is_streamed(uint16_t type)
{
    switch (type) {
    case CCK_PT_STRING8:
    case CCK_PT_UNICODE:
    case CCK_PT_BINARY:
    case CCK_PT_CLSID:
    case CCK_PT_OBJECT:
    case CCK_PT_SVREID:
    case CCK_PT_SRESTRICT:
    case CCK_PT_ACTIONS:
        return true;
    default:
        return false;
    }
}

/* Decodes a fixed-size value from its little-endian bytes (at least the type's size). */
void cck_prop_set_fixed(cck_prop *p, uint16_t type, const uint8_t *v)
{
    switch (type) {
    case CCK_PT_I2:
        p->v.i = (int16_t)cck_le16(v);
        break;
    case CCK_PT_LONG:
    case CCK_PT_ERROR:
        p->v.i = (int32_t)cck_le32(v);
        break;
    case CCK_PT_R4: {
        uint32_t u = cck_le32(v);
        float f;
        memcpy(&f, &u, sizeof f);
        p->v.d = f;
        break;
    }
    case CCK_PT_DOUBLE:
    case CCK_PT_APPTIME: {
        uint64_t u = cck_le64(v);
        double d;
        memcpy(&d, &u, sizeof d);
        p->v.d = d;
        break;
    }
    case CCK_PT_CURRENCY:
    case CCK_PT_I8:
        p->v.i = (int64_t)cck_le64(v);
        break;
    case CCK_PT_BOOLEAN:
        /* [MS-OXCDATA] 2.11.1: one byte, 0 or 1; the rest of the field is padding. */
        p->v.i = v[0] != 0;
        break;
    case CCK_PT_SYSTIME:
        p->v.ft = cck_le64(v);
        break;
    default:
        break;
    }
}

/* Converts string bytes (one optional terminator dropped) into p->str. */
static int decode_string(ctx *x, uint16_t type, unsigned cp, const uint8_t *b, size_t n,
                         cck_prop *p, cck_problems *pr, const char *sname)
{
    int r;
    if (type == CCK_PT_UNICODE) {
        if (n >= 2 && n % 2 == 0 && b[n - 1] == 0 && b[n - 2] == 0)
            n -= 2;
        r = cck_utf16le_to_utf8(x->a, b, n, &p->str);
    } else {
        if (n >= 1 && b[n - 1] == 0)
            n--;
        r = cck_cp_to_utf8(x->a, cp, b, n, &p->str);
    }
    if (r < 0) {
        x->nomem = true;
        return -1;
    }
    if (p->str.bad)
        cck_problems_add(pr, CCK_SEV_WARNING, "msg.bad_text", 0,
                         "stream \"%s\" has %zu code units that are not valid %s; replaced "
                         "with U+FFFD",
                         sname, p->str.bad, type == CCK_PT_UNICODE ? "UTF-16" : "text");
    return 0;
}

/* Fills an element or single value of a streamed type from its stream bytes. */
static int set_streamed(ctx *x, uint16_t type, unsigned cp, const uint8_t *b, size_t n, cck_prop *p,
                        cck_problems *pr, const char *sname)
{
    p->bin = b;
    p->binlen = n;
    if (type == CCK_PT_UNICODE || type == CCK_PT_STRING8)
        return decode_string(x, type, cp, b, n, p, pr, sname);
    if (type == CCK_PT_CLSID && n != 16)
        cck_problems_add(pr, CCK_SEV_WARNING, "msg.size_mismatch", 0,
                         "GUID stream \"%s\" has %zu bytes, expected 16", sname, n);
    return 0;
}

/* Multi-valued property ([MS-OXMSG] 2.1.4): fixed-size elements in one
 * stream; variable-size ones as a length stream plus one stream per element. */
static void decode_mv(ctx *x, uint32_t dir, const rawent *r, unsigned cp, cck_problems *pr,
                      cck_prop *p)
{
    uint16_t elem = (uint16_t)(r->tag & 0xFFFF) & (uint16_t)~CCK_PT_MV;
    uint32_t declared = cck_le32(r->val);
    char sname[48];
    snprintf(sname, sizeof sname, "__substg1.0_%08X", r->tag);
    uint32_t sid = find_kind(x, dir, sname, CCK_CFB_STREAM);
    if (sid == CCK_CFB_NONE) {
        cck_problems_add(pr, CCK_SEV_ERROR, "msg.missing_stream", 0,
                         "multi-valued property 0x%08X has no stream \"%s\"", r->tag, sname);
        return;
    }
    const uint8_t *b;
    size_t n;
    if (read_stream(x, sid, pr, &b, &n) < 0)
        return;
    if (declared != n)
        cck_problems_add(pr, CCK_SEV_INFO, "msg.size_mismatch", r->pos,
                         "property 0x%08X declares %u bytes, stream \"%s\" has %zu", r->tag,
                         declared, sname, n);
    size_t fsz = cck_pt_mv_elem_size(elem);
    bool var = elem == CCK_PT_STRING8 || elem == CCK_PT_UNICODE || elem == CCK_PT_BINARY;
    if (!fsz && !var) {
        cck_problems_add(pr, CCK_SEV_WARNING, "msg.unknown_type", r->pos,
                         "property 0x%08X has unknown multi-valued type 0x%04X; kept raw", r->tag,
                         r->tag & 0xFFFF);
        p->bin = b;
        p->binlen = n;
        return;
    }
    /* Binary lengths carry 4 reserved bytes ([MS-OXMSG] 2.1.4.2.1). */
    size_t esz = fsz ? fsz : elem == CCK_PT_BINARY ? 8 : 4;
    size_t count = n / esz;
    if (n % esz)
        cck_problems_add(pr, CCK_SEV_WARNING, "msg.mv_size", 0,
                         "stream \"%s\" has %zu bytes, not a multiple of %zu", sname, n, esz);
    if (count > CCK_MSG_MAX_MV) {
        cck_problems_add(pr, CCK_SEV_ERROR, "msg.limit", 0,
                         "multi-valued property 0x%08X has %zu values, more than the limit %d; "
                         "reading %d",
                         r->tag, count, CCK_MSG_MAX_MV, CCK_MSG_MAX_MV);
        count = CCK_MSG_MAX_MV;
    }
    cck_prop *v = cck_arena_calloc(x->a, count ? count : 1, sizeof *v);
    if (!v) {
        x->nomem = true;
        return;
    }
    for (size_t i = 0; i < count; i++) {
        v[i].id = p->id;
        v[i].type = elem;
        v[i].flags = p->flags;
        v[i].key = p->key;
        if (fsz) {
            if (elem == CCK_PT_CLSID) {
                v[i].bin = b + i * fsz;
                v[i].binlen = 16;
            } else {
                cck_prop_set_fixed(&v[i], elem, b + i * fsz);
            }
            continue;
        }
        uint32_t elen = cck_le32(b + i * esz);
        char ename[96];
        snprintf(ename, sizeof ename, "%s-%08zX", sname, i);
        uint32_t eid = find_kind(x, dir, ename, CCK_CFB_STREAM);
        const uint8_t *eb;
        size_t en;
        if (eid == CCK_CFB_NONE) {
            cck_problems_add(pr, CCK_SEV_ERROR, "msg.missing_stream", i * esz,
                             "value %zu of property 0x%08X has no stream \"%s\"", i, r->tag, ename);
            eb = (const uint8_t *)"\0";
            en = 0;
        } else if (read_stream(x, eid, pr, &eb, &en) < 0) {
            eb = (const uint8_t *)"\0";
            en = 0;
        } else if (elen != en) {
            cck_problems_add(pr, CCK_SEV_INFO, "msg.size_mismatch", i * esz,
                             "value %zu of property 0x%08X declares %u bytes, stream \"%s\" has "
                             "%zu",
                             i, r->tag, elen, ename, en);
        }
        if (set_streamed(x, elem, cp, eb, en, &v[i], pr, ename) < 0)
            return;
    }
    p->count = count;
    p->mv = v;
}

/* Decodes the value of one property entry. */
static void decode_value(ctx *x, uint32_t dir, const rawent *r, unsigned cp, cck_problems *pr,
                         cck_prop *p)
{
    uint16_t type = p->type;
    if (type & CCK_PT_MV) {
        decode_mv(x, dir, r, cp, pr, p);
        return;
    }
    if (type == CCK_PT_UNSPECIFIED || type == CCK_PT_NULL)
        return;
    if (cck_pt_fixed_size(type)) {
        cck_prop_set_fixed(p, type, r->val);
        return;
    }
    char sname[48];
    snprintf(sname, sizeof sname, "__substg1.0_%08X", r->tag);
    uint32_t sid = cck_cfb_find(x->cfb, dir, sname);
    const cck_cfb_entry *e = sid == CCK_CFB_NONE ? NULL : cck_cfb_entry_at(x->cfb, sid);
    if (!is_streamed(type)) {
        /* Unknown type: keep what there is (its stream, else the 8 inline bytes). */
        cck_problems_add(pr, CCK_SEV_WARNING, "msg.unknown_type", r->pos,
                         "property 0x%08X has unknown type 0x%04X; kept raw", r->tag, type);
        if (e && e->type == CCK_CFB_STREAM && read_stream(x, sid, pr, &p->bin, &p->binlen) == 0)
            return;
        uint8_t *copy = cck_arena_alloc(x->a, 8);
        if (!copy) {
            x->nomem = true;
            return;
        }
        memcpy(copy, r->val, 8);
        p->bin = copy;
        p->binlen = 8;
        return;
    }
    if (type == CCK_PT_OBJECT && e && e->type == CCK_CFB_STORAGE)
        return; /* embedded message or OLE storage: read as a storage, not a value */
    if (!e || e->type != CCK_CFB_STREAM) {
        cck_problems_add(pr, CCK_SEV_ERROR, "msg.missing_stream", r->pos,
                         "property 0x%08X has no stream \"%s\"", r->tag, sname);
        return;
    }
    const uint8_t *b;
    size_t n;
    if (read_stream(x, sid, pr, &b, &n) < 0)
        return;
    /* [MS-OXMSG] 2.4.2.2: the size counts the terminator the stream may omit. */
    uint32_t declared = cck_le32(r->val);
    size_t term = type == CCK_PT_UNICODE ? 2 : type == CCK_PT_STRING8 ? 1 : 0;
    bool ok = declared == n + term || (term && declared == n) ||
              (type == CCK_PT_OBJECT && declared == 0xFFFFFFFFu);
    if (!ok)
        cck_problems_add(pr, CCK_SEV_INFO, "msg.size_mismatch", r->pos,
                         "property 0x%08X declares %u bytes, stream \"%s\" has %zu", r->tag,
                         declared, sname, n);
    set_streamed(x, type, cp, b, n, p, pr, sname);
}

static int cmp_rawent(const void *a, const void *b)
{
    const rawent *x = a, *y = b;
    uint16_t i = (uint16_t)(x->tag >> 16), j = (uint16_t)(y->tag >> 16);
    if (i != j)
        return i < j ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static unsigned codepage_of(const cck_props *ps, unsigned inherited)
{
    static const uint16_t ids[] = {CCK_PID_MESSAGE_CODEPAGE, CCK_PID_INTERNET_CODEPAGE};
    for (size_t k = 0; k < 2; k++) {
        const cck_prop *p = cck_props_get(ps, ids[k]);
        if (p && p->type == CCK_PT_LONG && p->v.i > 0 && p->v.i < 0x10000)
            return (unsigned)p->v.i;
    }
    return inherited ? inherited : 1252;
}

/* Reads the property stream of storage `dir` (header of `hdr` bytes) and
 * decodes every value. *cp is the inherited code page on entry and this
 * object's on return. hdrbytes (optional) receives the header. Returns -1
 * when there is no property stream. */
static int read_props(ctx *x, uint32_t dir, size_t hdr, cck_problems *pr, unsigned *cp,
                      cck_props *out, const uint8_t **hdrbytes)
{
    const cck_cfb_entry *de = cck_cfb_entry_at(x->cfb, dir);
    uint32_t sid = find_kind(x, dir, PROPS_STREAM, CCK_CFB_STREAM);
    if (sid == CCK_CFB_NONE) {
        cck_problems_add(pr, CCK_SEV_ERROR, "msg.no_props", 0,
                         "storage \"%s\" has no " PROPS_STREAM " stream", de->name);
        return -1;
    }
    const uint8_t *b;
    size_t n;
    if (read_stream(x, sid, pr, &b, &n) < 0)
        return -1;
    if (n < hdr) {
        cck_problems_add(pr, CCK_SEV_ERROR, "msg.props_truncated", n,
                         "property stream of \"%s\" has %zu bytes, shorter than its %zu-byte "
                         "header",
                         de->name, n, hdr);
        b = NULL; /* neither header nor entries can be trusted */
    }
    if (hdrbytes)
        *hdrbytes = b;
    size_t body = b ? n - hdr : 0;
    if (!b)
        n = 0;
    if (body % PROP_ENTRY)
        cck_problems_add(pr, CCK_SEV_WARNING, "msg.props_truncated", n,
                         "property stream of \"%s\" ends with %zu bytes that are not a whole "
                         "16-byte entry",
                         de->name, body % PROP_ENTRY);
    size_t ne = body / PROP_ENTRY;
    rawent *re = cck_arena_calloc(x->a, ne ? ne : 1, sizeof *re);
    if (!re) {
        x->nomem = true;
        return -1;
    }
    for (size_t i = 0; i < ne; i++) {
        const uint8_t *e = b + hdr + i * PROP_ENTRY;
        re[i].tag = cck_le32(e);
        re[i].flags = cck_le32(e + 4);
        re[i].val = e + 8;
        re[i].pos = hdr + i * PROP_ENTRY;
    }
    qsort(re, ne, sizeof *re, cmp_rawent);
    cck_prop *v = cck_arena_calloc(x->a, ne ? ne : 1, sizeof *v);
    if (!v) {
        x->nomem = true;
        return -1;
    }
    /* Keep the first entry of each id: two values for one property cannot both be right. */
    size_t k = 0;
    for (size_t i = 0; i < ne; i++) {
        uint16_t id = (uint16_t)(re[i].tag >> 16);
        if (k && v[k - 1].id == id) {
            cck_problems_add(pr, CCK_SEV_ERROR, "msg.dup_prop", re[i].pos,
                             "property id 0x%04X appears twice in \"%s\" (tags 0x%08X and "
                             "0x%08X); keeping the first",
                             id, de->name, CCK_TAG(id, v[k - 1].type), re[i].tag);
            continue;
        }
        re[k] = re[i];
        v[k].id = id;
        v[k].type = (uint16_t)(re[i].tag & 0xFFFF);
        v[k].flags = re[i].flags;
        if (id >= 0x8000) {
            size_t ix = id - 0x8000u;
            v[k].key = ix < x->nnamed ? x->named[ix] : NULL;
            if (!v[k].key)
                cck_problems_add(pr, CCK_SEV_WARNING, "msg.named_unresolved", re[i].pos,
                                 "named property id 0x%04X in \"%s\" is not in the named "
                                 "property map",
                                 id, de->name);
        }
        k++;
    }
    out->v = v;
    out->n = k;
    /* The code page is needed before any PT_STRING8 can be converted. */
    for (size_t i = 0; i < k; i++)
        if (!(v[i].type & CCK_PT_MV) && cck_pt_fixed_size(v[i].type))
            cck_prop_set_fixed(&v[i], v[i].type, re[i].val);
    *cp = codepage_of(out, *cp);
    for (size_t i = 0; i < k && !x->nomem; i++)
        if ((v[i].type & CCK_PT_MV) || !cck_pt_fixed_size(v[i].type))
            decode_value(x, dir, &re[i], *cp, pr, &v[i]);
    return 0;
}

/* Children of `dir` that are storages named prefix + 8 hex digits, in name
 * (= numeric) order; *n receives their count, bounded by `limit`. */
static uint32_t *sub_storages(ctx *x, uint32_t dir, const char *prefix, size_t limit,
                              cck_problems *pr, size_t *n)
{
    const cck_cfb_entry *d = cck_cfb_entry_at(x->cfb, dir);
    size_t plen = strlen(prefix), cnt = 0;
    uint32_t *ids = cck_arena_calloc(x->a, d->nkids ? d->nkids : 1, sizeof *ids);
    if (!ids) {
        x->nomem = true;
        *n = 0;
        return NULL;
    }
    for (uint32_t i = 0; i < d->nkids; i++) {
        const cck_cfb_entry *e = cck_cfb_entry_at(x->cfb, d->kids[i]);
        if (e->type != CCK_CFB_STORAGE || !cck_starts_ci(e->name, prefix))
            continue;
        const char *num = e->name + plen;
        if (strlen(num) != 8 || strspn(num, "0123456789abcdefABCDEF") != 8)
            cck_problems_add(pr, CCK_SEV_WARNING, "msg.storage_name", 0,
                             "storage \"%s\" does not end in 8 hex digits", e->name);
        if (cnt == limit) {
            cck_problems_add(pr, CCK_SEV_ERROR, "msg.limit", 0,
                             "more than %zu \"%s\" storages; the rest are ignored", limit, prefix);
            break;
        }
        ids[cnt++] = d->kids[i];
    }
    *n = cnt;
    return ids;
}

static cck_msg *parse_message(ctx *x, uint32_t dir, int depth, unsigned cp, cck_problems *pp);

/* The text of the newest problem of pr when it was added after `before`. */
static const char *last_problem(const cck_problems *pr, size_t before)
{
    return pr->n > before ? pr->v[pr->n - 1].text : "its properties cannot be read";
}

static void parse_attachment(ctx *x, cck_msg *m, size_t i, uint32_t dir, int depth, unsigned cp)
{
    unsigned acp = cp;
    size_t before = m->problems.n;
    if (read_props(x, dir, HDR_SUB, &m->problems, &acp, &m->attachs[i], NULL) < 0) {
        m->attach_bad[i] = last_problem(&m->problems, before);
        return;
    }
    const cck_prop *meth = cck_props_get(&m->attachs[i], CCK_PID_ATTACH_METHOD);
    long method = meth && meth->type == CCK_PT_LONG ? (long)meth->v.i : -1;
    uint32_t sub = find_kind(x, dir, EMBEDDED_STORAGE, CCK_CFB_STORAGE);
    const char *aname = cck_cfb_entry_at(x->cfb, dir)->name;
    if (sub == CCK_CFB_NONE) {
        if (method == ATTACH_METHOD_EMBEDDED)
            cck_problems_add(&m->problems, CCK_SEV_ERROR, "msg.no_embedded", 0,
                             "attachment \"%s\" is an embedded message but has no " EMBEDDED_STORAGE
                             " storage",
                             aname);
        return;
    }
    if (method == ATTACH_METHOD_OLE)
        return; /* an OLE object's storage, not a message */
    if (method != ATTACH_METHOD_EMBEDDED &&
        find_kind(x, sub, PROPS_STREAM, CCK_CFB_STREAM) == CCK_CFB_NONE)
        return;
    if (depth + 1 > CCK_MSG_MAX_DEPTH) {
        cck_problems_add(&m->problems, CCK_SEV_ERROR, "msg.depth", 0,
                         "embedded message in \"%s\" is nested deeper than the limit %d; "
                         "not read",
                         aname, CCK_MSG_MAX_DEPTH);
        return;
    }
    m->amsgs[i] = parse_message(x, sub, depth + 1, cp, &m->problems);
}

/* Decodes the message in storage `dir`. pp is the parent's problem list (the
 * compound-file problems go back there when this message is done). */
static cck_msg *parse_message(ctx *x, uint32_t dir, int depth, unsigned cp, cck_problems *pp)
{
    cck_msg *m = cck_arena_alloc(x->a, sizeof *m);
    if (!m) {
        x->nomem = true;
        return NULL;
    }
    cck_problems_init(&m->problems, x->a);
    m->named = x->named;
    m->nnamed = x->nnamed;
    cck_cfb_set_problems(x->cfb, &m->problems);
    const uint8_t *hdr = NULL;
    size_t hsize = depth == 0 ? HDR_TOP : HDR_EMBEDDED;
    unsigned mcp = cp;
    read_props(x, dir, hsize, &m->problems, &mcp, &m->props, &hdr);

    size_t nr = 0, na = 0;
    uint32_t *rid = sub_storages(x, dir, RECIP_PREFIX, CCK_MSG_MAX_RECIPS, &m->problems, &nr);
    uint32_t *aid = sub_storages(x, dir, ATTACH_PREFIX, CCK_MSG_MAX_ATTACHS, &m->problems, &na);
    m->recips = cck_arena_calloc(x->a, nr ? nr : 1, sizeof *m->recips);
    m->attachs = cck_arena_calloc(x->a, na ? na : 1, sizeof *m->attachs);
    m->amsgs = cck_arena_calloc(x->a, na ? na : 1, sizeof *m->amsgs);
    m->recip_bad = cck_arena_calloc(x->a, nr ? nr : 1, sizeof *m->recip_bad);
    m->attach_bad = cck_arena_calloc(x->a, na ? na : 1, sizeof *m->attach_bad);
    if (!rid || !aid || !m->recips || !m->attachs || !m->amsgs) {
        x->nomem = true;
        return m;
    }
    if (hdr) {
        /* [MS-OXMSG] 2.4.1.1/2.4.1.2: counts at offsets 16 and 20 in both headers. */
        uint32_t hr = cck_le32(hdr + 16), ha = cck_le32(hdr + 20);
        if (hr != nr)
            cck_problems_add(&m->problems, CCK_SEV_WARNING, "msg.count", 16,
                             "property stream header says %u recipients, found %zu storages", hr,
                             nr);
        if (ha != na)
            cck_problems_add(&m->problems, CCK_SEV_WARNING, "msg.count", 20,
                             "property stream header says %u attachments, found %zu storages", ha,
                             na);
    }
    m->nrecips = nr;
    for (size_t i = 0; i < nr && !x->nomem; i++) {
        unsigned rcp = mcp;
        size_t before = m->problems.n;
        if (read_props(x, rid[i], HDR_SUB, &m->problems, &rcp, &m->recips[i], NULL) < 0)
            m->recip_bad[i] = last_problem(&m->problems, before);
    }
    m->nattachs = na;
    for (size_t i = 0; i < na && !x->nomem; i++) {
        parse_attachment(x, m, i, aid[i], depth, mcp);
        cck_cfb_set_problems(x->cfb, &m->problems);
    }
    cck_cfb_set_problems(x->cfb, pp);
    return m;
}

/* The named property map, [MS-OXMSG] 2.2.3: GUID, entry and string streams. */
static void parse_nameid(ctx *x, cck_problems *pr)
{
    uint32_t dir = find_kind(x, 0, NAMEID_STORAGE, CCK_CFB_STORAGE);
    if (dir == CCK_CFB_NONE)
        return;
    const uint8_t *gb = NULL, *eb = NULL, *sb = NULL;
    size_t gn = 0, en = 0, sn = 0;
    uint32_t id;
    if ((id = find_kind(x, dir, GUID_STREAM, CCK_CFB_STREAM)) != CCK_CFB_NONE)
        read_stream(x, id, pr, &gb, &gn);
    if ((id = find_kind(x, dir, ENTRY_STREAM, CCK_CFB_STREAM)) == CCK_CFB_NONE ||
        read_stream(x, id, pr, &eb, &en) < 0) {
        cck_problems_add(pr, CCK_SEV_ERROR, "msg.nameid", 0,
                         NAMEID_STORAGE " has no readable entry stream " ENTRY_STREAM);
        return;
    }
    if ((id = find_kind(x, dir, STRING_STREAM, CCK_CFB_STREAM)) != CCK_CFB_NONE)
        read_stream(x, id, pr, &sb, &sn);
    cck_nameid nm;
    if (cck_nameid_decode(gb, gn, eb, en, sb, sn, x->a, pr, "msg.nameid", "msg.bad_text", &nm) !=
        0) {
        x->nomem = true;
        return;
    }
    x->named = nm.map;
    x->nnamed = nm.n;
}

cck_msg_status cck_msg_open(const uint8_t *data, size_t len, cck_arena *a, cck_msg **out,
                            const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *out = NULL;
    *why = NULL;
    cck_problems *top = cck_arena_alloc(a, sizeof *top);
    if (!top)
        return CCK_MSG_NOMEM;
    cck_problems_init(top, a);
    ctx x = {.a = a};
    cck_cfb_status cs = cck_cfb_open(data, len, a, top, &x.cfb, why);
    if (cs == CCK_CFB_NOMEM) {
        *why = "too large for the memory limit";
        return CCK_MSG_NOMEM;
    }
    if (cs != CCK_CFB_OK)
        return CCK_MSG_NOT_CFB;
    if (find_kind(&x, 0, PROPS_STREAM, CCK_CFB_STREAM) == CCK_CFB_NONE) {
        *why = "no " PROPS_STREAM " stream at the root";
        return CCK_MSG_NOT_MSG;
    }
    parse_nameid(&x, top);
    cck_msg *m = x.nomem ? NULL : parse_message(&x, 0, 0, 0, top);
    if (x.nomem || !m) {
        *why = "too large for the memory limit";
        return CCK_MSG_NOMEM;
    }
    /* Problems found while opening the file and reading the map belong to the
     * top-level message: put them first, in the order they were found. */
    if (top->n || top->dropped) {
        cck_problems merged;
        cck_problems_init(&merged, a);
        for (size_t i = 0; i < top->n; i++)
            cck_problems_add(&merged, top->v[i].sev, top->v[i].code, top->v[i].offset, "%s",
                             top->v[i].text);
        for (size_t i = 0; i < m->problems.n; i++)
            cck_problems_add(&merged, m->problems.v[i].sev, m->problems.v[i].code,
                             m->problems.v[i].offset, "%s", m->problems.v[i].text);
        merged.dropped += top->dropped + m->problems.dropped;
        m->problems = merged;
    }
    *out = m;
    return CCK_MSG_OK;
}

const cck_props *cck_msg_props(const cck_msg *m)
{
    return &m->props;
}

size_t cck_msg_nrecips(const cck_msg *m)
{
    return m->nrecips;
}

const cck_props *cck_msg_recip(const cck_msg *m, size_t i)
{
    return i < m->nrecips ? &m->recips[i] : NULL;
}

size_t cck_msg_nattachs(const cck_msg *m)
{
    return m->nattachs;
}

const cck_props *cck_msg_attach(const cck_msg *m, size_t i)
{
    return i < m->nattachs ? &m->attachs[i] : NULL;
}

const cck_msg *cck_msg_attach_msg(const cck_msg *m, size_t i)
{
    return i < m->nattachs ? m->amsgs[i] : NULL;
}

const cck_problems *cck_msg_problems(const cck_msg *m)
{
    return &m->problems;
}

size_t cck_msg_nnamed(const cck_msg *m)
{
    return m->nnamed;
}

const cck_propkey *cck_msg_named(const cck_msg *m, size_t i)
{
    return i < m->nnamed ? m->named[i] : NULL;
}

const cck_prop *cck_props_get(const cck_props *p, uint16_t id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->v[mid].id == id)
            return &p->v[mid];
        if (p->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Index of the first named property (id >= 0x8000). */
static size_t first_named(const cck_props *p)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->v[mid].id < 0x8000)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const cck_prop *cck_props_get_lid(const cck_props *p, const cck_guid *set, uint32_t lid)
{
    for (size_t i = first_named(p); i < p->n; i++) {
        const cck_propkey *k = p->v[i].key;
        if (k && !k->is_name && k->lid == lid && cck_guid_eq(&k->guid, set))
            return &p->v[i];
    }
    return NULL;
}

const cck_prop *cck_props_get_name(const cck_props *p, const cck_guid *set, const char *name)
{
    for (size_t i = first_named(p); i < p->n; i++) {
        const cck_propkey *k = p->v[i].key;
        if (k && k->is_name && strcmp(k->name, name) == 0 && cck_guid_eq(&k->guid, set))
            return &p->v[i];
    }
    return NULL;
}

const char *cck_msg_recip_damage(const cck_msg *m, size_t i)
{
    return i < m->nrecips && m->recip_bad ? m->recip_bad[i] : NULL;
}

const char *cck_msg_attach_damage(const cck_msg *m, size_t i)
{
    return i < m->nattachs && m->attach_bad ? m->attach_bad[i] : NULL;
}

/* ---- building a message from another container (see msg.h) ---- */

cck_msg *cck_msg_new(cck_arena *a)
{
    cck_msg *m = cck_arena_calloc(a, 1, sizeof *m);
    if (!m)
        return NULL;
    cck_problems_init(&m->problems, a);
    m->arena = a;
    return m;
}

static int cmp_prop_id(const void *x, const void *y)
{
    const cck_prop *a = x, *b = y;
    return (a->id > b->id) - (a->id < b->id);
}

int cck_msg_set_props(cck_msg *m, cck_prop *v, size_t n)
{
    if (n)
        qsort(v, n, sizeof *v, cmp_prop_id);
    m->props.v = v;
    m->props.n = n;
    return 0;
}

/* Grows the parallel recipient or attachment arrays by doubling; old copies
 * stay in the arena (a message has few of either). */
static int grow(cck_msg *m, bool attach)
{
    size_t n = attach ? m->nattachs : m->nrecips;
    size_t *cap = attach ? &m->attach_cap : &m->recip_cap;
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 4;
    if (attach) {
        cck_props *p = cck_arena_calloc(m->arena, nc, sizeof *p);
        const cck_msg **e = cck_arena_calloc(m->arena, nc, sizeof *e);
        const char **bad = cck_arena_calloc(m->arena, nc, sizeof *bad);
        if (!p || !e || !bad)
            return -1;
        if (n) {
            memcpy(p, m->attachs, n * sizeof *p);
            memcpy(e, m->amsgs, n * sizeof *e);
            memcpy(bad, m->attach_bad, n * sizeof *bad);
        }
        m->attachs = p;
        m->amsgs = e;
        m->attach_bad = bad;
    } else {
        cck_props *p = cck_arena_calloc(m->arena, nc, sizeof *p);
        const char **bad = cck_arena_calloc(m->arena, nc, sizeof *bad);
        if (!p || !bad)
            return -1;
        if (n) {
            memcpy(p, m->recips, n * sizeof *p);
            memcpy(bad, m->recip_bad, n * sizeof *bad);
        }
        m->recips = p;
        m->recip_bad = bad;
    }
    *cap = nc;
    return 0;
}

int cck_msg_add_recip(cck_msg *m, cck_prop *v, size_t n, const char *damage)
{
    if (grow(m, false) != 0)
        return -1;
    if (n)
        qsort(v, n, sizeof *v, cmp_prop_id);
    m->recips[m->nrecips].v = v;
    m->recips[m->nrecips].n = n;
    m->recip_bad[m->nrecips] = damage;
    m->nrecips++;
    return 0;
}

int cck_msg_add_attach(cck_msg *m, cck_prop *v, size_t n, const cck_msg *embedded,
                       const char *damage)
{
    if (grow(m, true) != 0)
        return -1;
    if (n)
        qsort(v, n, sizeof *v, cmp_prop_id);
    m->attachs[m->nattachs].v = v;
    m->attachs[m->nattachs].n = n;
    m->amsgs[m->nattachs] = embedded;
    m->attach_bad[m->nattachs] = damage;
    m->nattachs++;
    return 0;
}

cck_problems *cck_msg_problems_mut(cck_msg *m)
{
    return &m->problems;
}
