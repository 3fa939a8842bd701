/* write.c - .msg writer: [MS-OXMSG] 2.1.3/2.1.4 (values in __substg1.0_
 * streams: strings without terminator and entry size = stream size + 2,
 * multi-valued length streams), 2.2.1-2.2.3 (recipient, attachment and
 * embedded message storages; __nameid_version1.0 with GUID, entry, string
 * and CRC-32 hash streams), 2.4 (32/24/8-byte property stream headers,
 * 16-byte entries). The compound file is written by cfbwrite.c.
 */
#include "write.h"

#include "mapi/nameid.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ATTACH_METHOD_EMBEDDED 5
#define ATTR_DEFAULT           6 /* PROPATTR_READABLE | PROPATTR_WRITABLE */

typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

typedef struct ctx {
    cck_cfbw *w;
    const char *why;
    bool nomem;
    /* The new name map: index -> key (NULL: free), and a hash of the keys. */
    const cck_propkey **keys;
    uint8_t *reserved; /* index used by a named id without a key */
    uint32_t *hash;    /* index + 1 per slot, 0 empty; HASH_SLOTS slots */
    size_t top;        /* highest used index + 1 */
    size_t next_free;
} ctx;

#define HASH_SLOTS 65536u /* a power of two, at least twice CCK_NAMEID_IDS */

/* ---------------------------------------------------------------- buffers */

static void buf_add(ctx *x, buf *b, const void *p, size_t n)
{
    if (x->nomem)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q) {
            x->nomem = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void buf_le(ctx *x, buf *b, uint64_t v, int width)
{
    uint8_t t[8];
    for (int i = 0; i < width; i++)
        t[i] = (uint8_t)(v >> (8 * i));
    buf_add(x, b, t, (size_t)width);
}

/* UTF-8 (n bytes) to UTF-16LE; an invalid byte becomes U+FFFD. */
static void utf8_to_utf16(ctx *x, buf *b, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    for (size_t i = 0; i < n;) {
        size_t l = cck_utf8_seq_len(p + i, n - i);
        uint32_t cp;
        if (l == 0) {
            cp = 0xFFFD;
            l = 1;
        } else if (l == 1) {
            cp = p[i];
        } else {
            cp = p[i] & (0x7Fu >> l);
            for (size_t k = 1; k < l; k++)
                cp = cp << 6 | (p[i + k] & 0x3Fu);
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            buf_le(x, b, 0xD800 | (cp >> 10), 2);
            buf_le(x, b, 0xDC00 | (cp & 0x3FF), 2);
        } else {
            buf_le(x, b, cp, 2);
        }
        i += l;
    }
}

/* ------------------------------------------------------- named-key table */

static uint32_t key_hash(const cck_propkey *k)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ k->guid.b[i]) * 16777619u;
    h = (h ^ (k->is_name ? 1u : 0u)) * 16777619u;
    if (k->is_name) {
        for (const char *s = k->name ? k->name : ""; *s; s++)
            h = (h ^ (uint8_t)*s) * 16777619u;
    } else {
        for (int i = 0; i < 4; i++)
            h = (h ^ ((k->lid >> (8 * i)) & 0xFF)) * 16777619u;
    }
    return h;
}

static bool key_eq(const cck_propkey *a, const cck_propkey *b)
{
    if (a->is_name != b->is_name || !cck_guid_eq(&a->guid, &b->guid))
        return false;
    if (a->is_name)
        return strcmp(a->name ? a->name : "", b->name ? b->name : "") == 0;
    return a->lid == b->lid;
}

/* The slot holding key k, or the empty slot where it would go. */
static size_t key_slot(const ctx *x, const cck_propkey *k)
{
    size_t i = key_hash(k) & (HASH_SLOTS - 1);
    while (x->hash[i] && !key_eq(x->keys[x->hash[i] - 1], k))
        i = (i + 1) & (HASH_SLOTS - 1);
    return i;
}

static void key_set(ctx *x, size_t slot, size_t index, const cck_propkey *k)
{
    x->keys[index] = k;
    x->hash[slot] = (uint32_t)index + 1;
    if (index + 1 > x->top)
        x->top = index + 1;
}

/* The index of key k in the new map, assigning the lowest free one to a new
 * key; -1 when all 0x7FFF are taken. */
static long key_index(ctx *x, const cck_propkey *k)
{
    size_t s = key_slot(x, k);
    if (x->hash[s])
        return (long)x->hash[s] - 1;
    while (x->next_free < CCK_NAMEID_IDS && (x->keys[x->next_free] || x->reserved[x->next_free]))
        x->next_free++;
    if (x->next_free == CCK_NAMEID_IDS) {
        x->why = "more distinct named properties than the 32767 ids of a name map";
        return -1;
    }
    key_set(x, s, x->next_free, k);
    return (long)x->next_free;
}

static bool is_named(const cck_prop *p)
{
    return p->id >= 0x8000;
}

/* Walk A (assign = false) reserves the ids of named properties without a
 * key; walk B (assign = true) gives every key its index. */
static int scan_props(ctx *x, const cck_props *ps, bool assign)
{
    for (size_t i = 0; ps && i < ps->n; i++) {
        const cck_prop *p = &ps->v[i];
        if (!is_named(p))
            continue;
        if (!p->key) {
            if (!assign && p->id != 0xFFFF)
                x->reserved[p->id - 0x8000] = 1;
        } else if (assign && key_index(x, p->key) < 0) {
            return -1;
        }
    }
    return 0;
}

static int scan_msg(ctx *x, const cck_msg *m, int depth, bool assign)
{
    if (depth > CCK_MSG_MAX_DEPTH) {
        x->why = "embedded messages nested deeper than the limit";
        return -1;
    }
    if (scan_props(x, cck_msg_props(m), assign) < 0)
        return -1;
    for (size_t i = 0; i < cck_msg_nrecips(m); i++)
        if (scan_props(x, cck_msg_recip(m, i), assign) < 0)
            return -1;
    for (size_t i = 0; i < cck_msg_nattachs(m); i++) {
        if (scan_props(x, cck_msg_attach(m, i), assign) < 0)
            return -1;
        const cck_msg *e = cck_msg_attach_msg(m, i);
        if (e && scan_msg(x, e, depth + 1, assign) < 0)
            return -1;
    }
    return 0;
}

/* The id a property is written with. */
static uint16_t out_id(ctx *x, const cck_prop *p)
{
    if (!is_named(p) || !p->key)
        return p->id;
    return (uint16_t)(0x8000 + key_index(x, p->key)); /* assigned by walk B */
}

/* ------------------------------------------------------------- properties */

static bool is_streamed(uint16_t t)
{
    switch (t) {
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

static bool is_text(uint16_t t)
{
    return t == CCK_PT_UNICODE || t == CCK_PT_STRING8;
}

/* The little-endian bytes of a fixed-size value (8 bytes, zero padded). */
static void encode_fixed(uint16_t t, const cck_prop *p, uint8_t out[8])
{
    uint64_t u = 0;
    switch (t) {
    case CCK_PT_I2:
        u = (uint16_t)p->v.i;
        break;
    case CCK_PT_LONG:
    case CCK_PT_ERROR:
        u = (uint32_t)p->v.i;
        break;
    case CCK_PT_BOOLEAN:
        u = p->v.i != 0;
        break;
    case CCK_PT_R4: {
        float f = (float)p->v.d;
        uint32_t v;
        memcpy(&v, &f, 4);
        u = v;
        break;
    }
    case CCK_PT_DOUBLE:
    case CCK_PT_APPTIME:
        memcpy(&u, &p->v.d, 8);
        break;
    case CCK_PT_CURRENCY:
    case CCK_PT_I8:
        u = (uint64_t)p->v.i;
        break;
    case CCK_PT_SYSTIME:
        u = p->v.ft;
        break;
    default:
        break;
    }
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(u >> (8 * i));
}

/* A string value as UTF-16LE: from its raw bytes when those are UTF-16 that
 * did not decode cleanly (keeps the damage), else converted from `str`. */
static void text_bytes(ctx *x, uint16_t t, const cck_prop *p, buf *b)
{
    if (t == CCK_PT_UNICODE && p->str.bad && p->bin) {
        buf_add(x, b, p->bin, p->binlen);
        return;
    }
    if (p->str.s)
        utf8_to_utf16(x, b, p->str.s, p->str.len);
}

static void add_stream(ctx *x, uint32_t st, const char *name, const buf *b)
{
    if (x->nomem || x->why)
        return;
    if (cck_cfbw_stream(x->w, st, name, b->p ? b->p : (const uint8_t *)"", b->n) == CCK_CFBW_NONE)
        x->why = cck_cfbw_error(x->w);
}

/* Writes property p as id `id` into storage st: its 16-byte entry to ps and
 * its value streams to the storage. */
static void write_prop(ctx *x, uint32_t st, uint16_t id, const cck_prop *p, buf *ps)
{
    uint16_t type = p->type, base = type & (uint16_t)~CCK_PT_MV;
    bool mv = (type & CCK_PT_MV) != 0;
    if (is_text(base))
        type = (uint16_t)(CCK_PT_UNICODE | (mv ? CCK_PT_MV : 0));
    uint32_t tag = CCK_TAG(id, type);
    uint8_t ent[16] = {0};
    char nm[48];
    snprintf(nm, sizeof nm, "__substg1.0_%08X", (unsigned)tag);
    uint64_t size = 0;
    buf b = {0};
    if (!mv && cck_pt_fixed_size(base)) {
        encode_fixed(base, p, ent + 8);
    } else if (!mv && (base == CCK_PT_UNSPECIFIED || base == CCK_PT_NULL)) {
        /* no value */
    } else if (!mv && is_text(base)) {
        text_bytes(x, base, p, &b);
        /* A value ending in U+0000 gets an explicit terminator: readers drop one. */
        if (b.n >= 2 && b.p[b.n - 1] == 0 && b.p[b.n - 2] == 0 && !(p->str.bad && p->bin))
            buf_le(x, &b, 0, 2);
        add_stream(x, st, nm, &b);
        size = b.n + 2;
    } else if (!mv && is_streamed(base)) {
        buf_add(x, &b, p->bin, p->binlen);
        add_stream(x, st, nm, &b);
        size = b.n;
    } else if (!mv) {
        /* Unknown type: raw bytes, inline when they are exactly 8. */
        if (p->binlen == 8 && p->bin) {
            memcpy(ent + 8, p->bin, 8);
        } else {
            buf_add(x, &b, p->bin, p->binlen);
            add_stream(x, st, nm, &b);
            size = b.n;
        }
    } else if (cck_pt_mv_elem_size(base)) {
        size_t es = cck_pt_mv_elem_size(base);
        for (size_t i = 0; i < p->count && p->mv; i++) {
            uint8_t v[16] = {0};
            if (base == CCK_PT_CLSID) {
                if (p->mv[i].bin)
                    memcpy(v, p->mv[i].bin, p->mv[i].binlen < 16 ? p->mv[i].binlen : 16);
            } else {
                encode_fixed(base, &p->mv[i], v);
            }
            buf_add(x, &b, v, es);
        }
        add_stream(x, st, nm, &b);
        size = b.n;
    } else if (is_text(base) || base == CCK_PT_BINARY) {
        /* Length stream plus one stream per element ([MS-OXMSG] 2.1.4.2):
         * strings carry their terminator; binary lengths take 8 bytes. */
        for (size_t i = 0; i < p->count && p->mv; i++) {
            const cck_prop *e = &p->mv[i];
            buf eb = {0};
            if (base == CCK_PT_BINARY) {
                buf_add(x, &eb, e->bin, e->binlen);
            } else if (base == CCK_PT_UNICODE && e->str.bad && e->bin) {
                buf_add(x, &eb, e->bin, e->binlen);
            } else {
                text_bytes(x, base, e, &eb);
                buf_le(x, &eb, 0, 2);
            }
            buf_le(x, &b, eb.n, base == CCK_PT_BINARY ? 8 : 4);
            char en[96];
            snprintf(en, sizeof en, "%s-%08zX", nm, i);
            add_stream(x, st, en, &eb);
            free(eb.p);
        }
        add_stream(x, st, nm, &b);
        size = b.n;
    } else {
        /* A multi-valued type the reader keeps raw: its stream as it was. */
        buf_add(x, &b, p->bin, p->binlen);
        add_stream(x, st, nm, &b);
        size = b.n;
    }
    free(b.p);
    for (int i = 0; i < 4; i++) {
        ent[i] = (uint8_t)(tag >> (8 * i));
        ent[4 + i] = (uint8_t)(p->flags >> (8 * i));
    }
    if (size)
        for (int i = 0; i < 4; i++)
            ent[8 + i] = (uint8_t)(size >> (8 * i));
    buf_add(x, ps, ent, 16);
}

/* One property to write: a property of the tree, or (p NULL) one the writer
 * adds for an embedded message. */
typedef struct outprop {
    uint16_t id;
    const cck_prop *p;
    size_t pos;
} outprop;

static int cmp_outprop(const void *a, const void *b)
{
    const outprop *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The property stream of storage st, headed by the `hdr` bytes, and the
 * value streams. `embedded`: this is an attachment holding a message. */
static void write_props(ctx *x, uint32_t st, const cck_props *ps, const uint8_t *hdr, size_t hdrlen,
                        bool embedded)
{
    size_t n = ps ? ps->n : 0;
    outprop *v = malloc((n + 2) * sizeof *v);
    if (!v) {
        x->nomem = true;
        return;
    }
    size_t k = 0;
    bool has_method = false;
    for (size_t i = 0; i < n; i++) {
        const cck_prop *p = &ps->v[i];
        if (embedded && p->id == CCK_PID_ATTACH_DATA)
            continue; /* replaced by the storage of the embedded message */
        has_method |= p->id == CCK_PID_ATTACH_METHOD;
        v[k].id = out_id(x, p);
        v[k].p = p;
        v[k].pos = k;
        k++;
    }
    if (embedded) {
        v[k].id = CCK_PID_ATTACH_DATA;
        v[k].p = NULL;
        v[k].pos = k;
        k++;
        if (!has_method) {
            v[k].id = CCK_PID_ATTACH_METHOD;
            v[k].p = NULL;
            v[k].pos = k;
            k++;
        }
    }
    qsort(v, k, sizeof *v, cmp_outprop);
    buf s = {0};
    buf_add(x, &s, hdr, hdrlen);
    for (size_t i = 0; i < k && !x->why && !x->nomem; i++) {
        if (i && v[i].id == v[i - 1].id)
            continue; /* two properties renumbered onto one id: keep the first */
        if (v[i].p) {
            write_prop(x, st, v[i].id, v[i].p, &s);
        } else {
            uint8_t ent[16] = {0};
            uint32_t tag = v[i].id == CCK_PID_ATTACH_DATA
                               ? CCK_TAG(CCK_PID_ATTACH_DATA, CCK_PT_OBJECT)
                               : CCK_TAG(CCK_PID_ATTACH_METHOD, CCK_PT_LONG);
            uint32_t val = v[i].id == CCK_PID_ATTACH_DATA ? 0xFFFFFFFFu : ATTACH_METHOD_EMBEDDED;
            for (int b = 0; b < 4; b++) {
                ent[b] = (uint8_t)(tag >> (8 * b));
                ent[4 + b] = (uint8_t)(ATTR_DEFAULT >> (8 * b));
                ent[8 + b] = (uint8_t)(val >> (8 * b));
            }
            buf_add(x, &s, ent, 16);
        }
    }
    free(v);
    add_stream(x, st, "__properties_version1.0", &s);
    free(s.p);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Message m into storage st: property stream ([MS-OXMSG] 2.4.1.1 top level,
 * 2.4.1.2 embedded), recipients, attachments, embedded messages. */
static void write_message(ctx *x, uint32_t st, const cck_msg *m, int depth)
{
    uint8_t hdr[32] = {0};
    size_t nr = cck_msg_nrecips(m), na = cck_msg_nattachs(m);
    put32(hdr + 8, (uint32_t)nr);  /* next recipient id */
    put32(hdr + 12, (uint32_t)na); /* next attachment id */
    put32(hdr + 16, (uint32_t)nr);
    put32(hdr + 20, (uint32_t)na);
    write_props(x, st, cck_msg_props(m), hdr, depth == 0 ? 32 : 24, false);
    static const uint8_t sub[8] = {0};
    char nm[48];
    for (size_t i = 0; i < nr && !x->why && !x->nomem; i++) {
        snprintf(nm, sizeof nm, "__recip_version1.0_#%08zX", i);
        uint32_t r = cck_cfbw_storage(x->w, st, nm);
        if (r == CCK_CFBW_NONE) {
            x->why = cck_cfbw_error(x->w);
            return;
        }
        write_props(x, r, cck_msg_recip(m, i), sub, sizeof sub, false);
    }
    for (size_t i = 0; i < na && !x->why && !x->nomem; i++) {
        snprintf(nm, sizeof nm, "__attach_version1.0_#%08zX", i);
        uint32_t a = cck_cfbw_storage(x->w, st, nm);
        if (a == CCK_CFBW_NONE) {
            x->why = cck_cfbw_error(x->w);
            return;
        }
        const cck_msg *e = cck_msg_attach_msg(m, i);
        write_props(x, a, cck_msg_attach(m, i), sub, sizeof sub, e != NULL);
        if (!e)
            continue;
        uint32_t es = cck_cfbw_storage(x->w, a, "__substg1.0_3701000D");
        if (es == CCK_CFBW_NONE) {
            x->why = cck_cfbw_error(x->w);
            return;
        }
        write_message(x, es, e, depth + 1);
    }
}

/* The named property map, [MS-OXMSG] 2.2.3: GUID, entry and string streams
 * and the hash buckets 0x1000 + (id XOR (GUID index << 1 | kind)) % 0x1F. */
static void write_nameid(ctx *x)
{
    uint32_t st = cck_cfbw_storage(x->w, CCK_CFBW_ROOT, "__nameid_version1.0");
    if (st == CCK_CFBW_NONE) {
        x->why = cck_cfbw_error(x->w);
        return;
    }
    buf guids = {0}, entries = {0}, strings = {0}, hash[0x1F];
    memset(hash, 0, sizeof hash);
    const cck_guid **gl = malloc((x->top ? x->top : 1) * sizeof *gl);
    uint32_t *gh = calloc(HASH_SLOTS, sizeof *gh); /* GUID -> its index in gl + 1 */
    size_t ng = 0;
    if (!gl || !gh) {
        free(gl);
        free(gh);
        x->nomem = true;
        return;
    }
    for (size_t i = 0; i < x->top; i++) {
        const cck_propkey *k = x->keys[i];
        if (!k)
            continue;
        uint32_t gi;
        if (cck_guid_eq(&k->guid, &CCK_PS_MAPI)) {
            gi = 1;
        } else if (cck_guid_eq(&k->guid, &CCK_PS_PUBLIC_STRINGS)) {
            gi = 2;
        } else {
            uint32_t h = 2166136261u;
            for (int b = 0; b < 16; b++)
                h = (h ^ k->guid.b[b]) * 16777619u;
            size_t slot = h & (HASH_SLOTS - 1);
            while (gh[slot] && !cck_guid_eq(gl[gh[slot] - 1], &k->guid))
                slot = (slot + 1) & (HASH_SLOTS - 1);
            if (!gh[slot] && ng >= 0x7FFF - 3) {
                x->why = "more property sets than the 15-bit GUID index of a name map holds";
                break;
            }
            if (!gh[slot]) {
                gl[ng++] = &k->guid;
                gh[slot] = (uint32_t)ng;
                buf_add(x, &guids, k->guid.b, 16);
            }
            gi = 3 + gh[slot] - 1;
        }
        uint32_t ik = gi << 1 | (k->is_name ? 1u : 0u), first, nid;
        if (k->is_name) {
            buf n16 = {0};
            const char *name = k->name ? k->name : "";
            utf8_to_utf16(x, &n16, name, strlen(name));
            first = (uint32_t)strings.n;
            buf_le(x, &strings, n16.n, 4);
            buf_add(x, &strings, n16.p, n16.n);
            while (strings.n % 4 && !x->nomem)
                buf_le(x, &strings, 0, 1);
            /* CRC-32 (reflected 0xEDB88320) with initial value 0 and no final
             * inversion over the UTF-16LE name, as Outlook computes it. */
            uint32_t c = 0;
            for (size_t b = 0; b < n16.n; b++) {
                c ^= n16.p[b];
                for (int r = 0; r < 8; r++)
                    c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
            }
            nid = c;
            free(n16.p);
        } else {
            first = k->lid;
            nid = k->lid;
        }
        buf_le(x, &entries, first, 4);
        buf_le(x, &entries, ik, 2);
        buf_le(x, &entries, i, 2);
        buf *h = &hash[(nid ^ ik) % 0x1F];
        buf_le(x, h, nid, 4);
        buf_le(x, h, ik, 2);
        buf_le(x, h, i, 2);
    }
    add_stream(x, st, "__substg1.0_00020102", &guids);
    add_stream(x, st, "__substg1.0_00030102", &entries);
    add_stream(x, st, "__substg1.0_00040102", &strings);
    for (int i = 0; i < 0x1F; i++) {
        if (hash[i].n) {
            char nm[32];
            snprintf(nm, sizeof nm, "__substg1.0_%04X0102", 0x1000 + i);
            add_stream(x, st, nm, &hash[i]);
        }
        free(hash[i].p);
    }
    free(guids.p);
    free(entries.p);
    free(strings.p);
    free(gl);
    free(gh);
}

int cck_msg_write_cfb(const cck_msg *m, cck_cfbw *w, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    ctx x = {.w = w};
    x.keys = calloc(CCK_NAMEID_IDS, sizeof *x.keys);
    x.reserved = calloc(CCK_NAMEID_IDS, 1);
    x.hash = calloc(HASH_SLOTS, sizeof *x.hash);
    if (x.keys && x.reserved && x.hash && scan_msg(&x, m, 0, false) == 0) {
        /* A tree read from a .msg starts from its own map: same ids. */
        for (size_t i = 0; i < cck_msg_nnamed(m) && i < CCK_NAMEID_IDS; i++) {
            const cck_propkey *k = cck_msg_named(m, i);
            if (!k || x.reserved[i])
                continue;
            size_t s = key_slot(&x, k);
            if (!x.hash[s])
                key_set(&x, s, i, k);
        }
        if (scan_msg(&x, m, 0, true) == 0) {
            /* CLSID_MailMessage {00020D0B-0000-0000-C000-000000000046}. */
            static const uint8_t clsid[16] = {0x0B, 0x0D, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                              0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
            cck_cfbw_set_clsid(w, CCK_CFBW_ROOT, clsid);
            write_message(&x, CCK_CFBW_ROOT, m, 0);
            if (!x.why && !x.nomem)
                write_nameid(&x);
        }
    } else if (!x.why) {
        x.nomem = true;
    }
    free(x.keys);
    free(x.reserved);
    free(x.hash);
    if (x.nomem && !x.why)
        x.why = "out of memory";
    *why = x.why;
    return x.why ? -1 : 0;
}

int cck_msg_write(const cck_msg *m, FILE *out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    cck_cfbw *w = cck_cfbw_new();
    if (!w) {
        *why = "out of memory";
        return -1;
    }
    int rc = cck_msg_write_cfb(m, w, why);
    if (rc == 0) {
        errno = 0;
        if (cck_cfbw_write(w, out) != 0) {
            *why = errno ? strerror(errno) : cck_cfbw_error(w);
            rc = -1;
        }
    }
    cck_cfbw_free(w);
    return rc;
}
