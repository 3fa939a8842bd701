/* cfbwrite.c - compound file writer: [MS-CFB] 2.2 (header), 2.3-2.5 (FAT,
 * DIFAT, mini FAT and mini stream, 4096-byte cutoff), 2.6 (directory entries,
 * 2.6.4 red-black sibling trees ordered by length, then upper-cased UTF-16
 * units), version 3 with 512-byte sectors. Layout: FAT sectors, DIFAT
 * sectors, directory, mini FAT, mini stream, then the large streams.
 */
#include "cfbwrite.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FREESECT   0xFFFFFFFFu
#define ENDOFCHAIN 0xFFFFFFFEu
#define FATSECT    0xFFFFFFFDu
#define DIFSECT    0xFFFFFFFCu
#define NOSTREAM   0xFFFFFFFFu
#define SECT       512u
#define MINI       64u
#define CUTOFF     4096u
#define HDR_DIFAT  109u /* FAT sector locations in the header */
#define FAT_PER    128u /* entries per FAT sector */
#define DIFAT_PER  127u /* FAT locations per DIFAT sector (plus the next link) */

enum { T_STORAGE = 1, T_STREAM = 2, T_ROOT = 5 };

typedef struct ent {
    uint16_t name[CCK_CFBW_MAX_NAME];
    uint8_t nlen, type, color;
    bool removed;
    uint8_t clsid[16];
    uint32_t parent;
    uint32_t *kids; /* in the order they were added; removed ones are skipped */
    uint32_t nkids, capkids;
    uint8_t *data;
    size_t n;
    /* Filled when writing. */
    uint32_t idx, left, right, child, start;
} ent;

struct cck_cfbw {
    ent *e;
    uint32_t n, cap;
    uint32_t *slots; /* open-addressing hash of (parent, name) -> entry id */
    size_t nslots, nused;
    const char *err;
};

/* ------------------------------------------------------------- names */

static uint16_t upcase16(uint16_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return (uint16_t)(c - 0x20);
    return c;
}

/* [MS-CFB] 2.6.4: shorter names first, then code units compared upper-cased. */
static int name_cmp(const ent *x, const ent *y)
{
    if (x->nlen != y->nlen)
        return x->nlen < y->nlen ? -1 : 1;
    for (int i = 0; i < x->nlen; i++) {
        uint16_t p = upcase16(x->name[i]), q = upcase16(y->name[i]);
        if (p != q)
            return p < q ? -1 : 1;
    }
    return 0;
}

/* UTF-8 `s` (len bytes) to UTF-16 units in t; -1 with *err set if the name
 * is empty, invalid, too long or holds a forbidden character. */
static int parse_name(const char *s, size_t len, ent *t, const char **err)
{
    const uint8_t *p = (const uint8_t *)s;
    int n = 0;
    if (len == 0) {
        *err = "empty name";
        return -1;
    }
    for (size_t i = 0; i < len;) {
        uint32_t cp = p[i];
        size_t l = cp < 0x80 ? 1 : (cp & 0xE0) == 0xC0 ? 2 : (cp & 0xF0) == 0xE0 ? 3 : 4;
        if ((cp >= 0x80 && cp < 0xC2) || cp > 0xF4 || len - i < l) {
            *err = "name is not valid UTF-8";
            return -1;
        }
        if (l > 1)
            cp &= 0x3Fu >> (l - 1);
        for (size_t k = 1; k < l; k++) {
            if ((p[i + k] & 0xC0) != 0x80) {
                *err = "name is not valid UTF-8";
                return -1;
            }
            cp = cp << 6 | (p[i + k] & 0x3Fu);
        }
        if ((l == 3 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) ||
            (l == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
            *err = "name is not valid UTF-8";
            return -1;
        }
        if (cp == '/' || cp == '\\' || cp == ':' || cp == '!') {
            *err = "name holds one of / \\ : ! ([MS-CFB] 2.6.1)";
            return -1;
        }
        int units = cp >= 0x10000 ? 2 : 1;
        if (n + units > CCK_CFBW_MAX_NAME) {
            *err = "name is longer than 31 UTF-16 code units";
            return -1;
        }
        if (units == 2) {
            cp -= 0x10000;
            t->name[n++] = (uint16_t)(0xD800 | (cp >> 10));
            t->name[n++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
        } else {
            t->name[n++] = (uint16_t)cp;
        }
        i += l;
    }
    t->nlen = (uint8_t)n;
    return 0;
}

/* ------------------------------------------------------- sibling hash */

static size_t hash_of(uint32_t parent, const ent *t)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 4; i++)
        h = (h ^ ((parent >> (8 * i)) & 0xFF)) * 16777619u;
    for (int i = 0; i < t->nlen; i++) {
        uint16_t c = upcase16(t->name[i]);
        h = (h ^ (c & 0xFF)) * 16777619u;
        h = (h ^ (uint32_t)(c >> 8)) * 16777619u;
    }
    return h;
}

static uint32_t find_ent(const cck_cfbw *w, uint32_t parent, const ent *t)
{
    if (!w->nslots)
        return CCK_CFBW_NONE;
    size_t mask = w->nslots - 1;
    for (size_t i = hash_of(parent, t) & mask;; i = (i + 1) & mask) {
        uint32_t id = w->slots[i];
        if (id == CCK_CFBW_NONE)
            return CCK_CFBW_NONE;
        const ent *e = &w->e[id];
        if (!e->removed && e->parent == parent && name_cmp(e, t) == 0)
            return id;
    }
}

static void slot_put(cck_cfbw *w, uint32_t id)
{
    size_t mask = w->nslots - 1;
    size_t i = hash_of(w->e[id].parent, &w->e[id]) & mask;
    while (w->slots[i] != CCK_CFBW_NONE)
        i = (i + 1) & mask;
    w->slots[i] = id;
    w->nused++;
}

/* Keeps the table at most half full; removed entries are dropped on rehash. */
static int slots_reserve(cck_cfbw *w)
{
    if ((w->nused + 1) * 2 <= w->nslots)
        return 0;
    size_t ns = w->nslots ? w->nslots * 2 : 64;
    uint32_t *s = malloc(ns * sizeof *s);
    if (!s) {
        w->err = "out of memory";
        return -1;
    }
    free(w->slots);
    w->slots = s;
    w->nslots = ns;
    w->nused = 0;
    for (size_t i = 0; i < ns; i++)
        s[i] = CCK_CFBW_NONE;
    for (uint32_t id = 1; id < w->n; id++)
        if (!w->e[id].removed)
            slot_put(w, id);
    return 0;
}

/* ------------------------------------------------------------ entries */

cck_cfbw *cck_cfbw_new(void)
{
    cck_cfbw *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cap = 16;
    w->e = calloc(w->cap, sizeof *w->e);
    if (!w->e) {
        free(w);
        return NULL;
    }
    static const char root[] = "Root Entry";
    for (size_t i = 0; i < sizeof root - 1; i++)
        w->e[0].name[i] = (uint8_t)root[i];
    w->e[0].nlen = sizeof root - 1;
    w->e[0].type = T_ROOT;
    w->e[0].parent = CCK_CFBW_NONE;
    w->n = 1;
    w->err = "";
    return w;
}

void cck_cfbw_free(cck_cfbw *w)
{
    if (!w)
        return;
    for (uint32_t i = 0; i < w->n; i++) {
        free(w->e[i].kids);
        free(w->e[i].data);
    }
    free(w->e);
    free(w->slots);
    free(w);
}

const char *cck_cfbw_error(const cck_cfbw *w)
{
    return w->err;
}

static bool is_storage(const cck_cfbw *w, uint32_t id)
{
    return id < w->n && !w->e[id].removed && w->e[id].type != T_STREAM;
}

static int copy_data(cck_cfbw *w, ent *e, const void *data, size_t n)
{
    if ((uint64_t)n > CCK_CFBW_MAX_STREAM) {
        w->err = "stream larger than the limit (2 GiB)";
        return -1;
    }
    uint8_t *p = malloc(n ? n : 1);
    if (!p) {
        w->err = "out of memory";
        return -1;
    }
    if (n)
        memcpy(p, data, n);
    free(e->data);
    e->data = p;
    e->n = n;
    return 0;
}

static uint32_t add(cck_cfbw *w, uint32_t parent, const char *name, size_t nlen, int type,
                    const void *data, size_t n)
{
    if (!is_storage(w, parent)) {
        w->err = "parent is not a storage";
        return CCK_CFBW_NONE;
    }
    ent t;
    memset(&t, 0, sizeof t);
    if (parse_name(name, nlen, &t, &w->err) < 0)
        return CCK_CFBW_NONE;
    if (find_ent(w, parent, &t) != CCK_CFBW_NONE) {
        w->err = "two entries of one storage with the same name";
        return CCK_CFBW_NONE;
    }
    if (w->n >= CCK_CFBW_MAX_ENTRIES) {
        w->err = "more directory entries than the limit";
        return CCK_CFBW_NONE;
    }
    ent *pe = &w->e[parent];
    if (pe->nkids == pe->capkids) {
        uint32_t nc = pe->capkids ? pe->capkids * 2 : 4;
        uint32_t *k = realloc(pe->kids, nc * sizeof *k);
        if (!k) {
            w->err = "out of memory";
            return CCK_CFBW_NONE;
        }
        pe->kids = k;
        pe->capkids = nc;
    }
    if (w->n == w->cap) {
        uint32_t nc = w->cap * 2;
        ent *e = realloc(w->e, nc * sizeof *e);
        if (!e) {
            w->err = "out of memory";
            return CCK_CFBW_NONE;
        }
        w->e = e;
        w->cap = nc;
    }
    if (slots_reserve(w) < 0)
        return CCK_CFBW_NONE;
    t.type = (uint8_t)type;
    t.parent = parent;
    if (type == T_STREAM && copy_data(w, &t, data, n) < 0)
        return CCK_CFBW_NONE;
    uint32_t id = w->n++;
    w->e[id] = t;
    pe = &w->e[parent];
    pe->kids[pe->nkids++] = id;
    slot_put(w, id);
    return id;
}

uint32_t cck_cfbw_storage(cck_cfbw *w, uint32_t parent, const char *name)
{
    return add(w, parent, name, strlen(name), T_STORAGE, NULL, 0);
}

uint32_t cck_cfbw_stream(cck_cfbw *w, uint32_t parent, const char *name, const void *data, size_t n)
{
    return add(w, parent, name, strlen(name), T_STREAM, data, n);
}

static uint32_t find_n(const cck_cfbw *w, uint32_t parent, const char *name, size_t len)
{
    ent t;
    memset(&t, 0, sizeof t);
    const char *ignored; /* a name that cannot exist is simply not found */
    if (!is_storage(w, parent) || parse_name(name, len, &t, &ignored) < 0)
        return CCK_CFBW_NONE;
    return find_ent(w, parent, &t);
}

uint32_t cck_cfbw_find(const cck_cfbw *w, uint32_t parent, const char *name)
{
    return find_n(w, parent, name, strlen(name));
}

uint32_t cck_cfbw_lookup(const cck_cfbw *w, uint32_t from, const char *path)
{
    uint32_t cur = from;
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        cur = find_n(w, cur, p, len);
        if (cur == CCK_CFBW_NONE || !slash)
            return cur;
        p = slash + 1;
    }
}

uint32_t cck_cfbw_put(cck_cfbw *w, uint32_t from, const char *path, const void *data, size_t n)
{
    uint32_t cur = from;
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        uint32_t id = find_n(w, cur, p, len);
        if (!slash) {
            if (id == CCK_CFBW_NONE)
                return add(w, cur, p, len, T_STREAM, data, n);
            if (w->e[id].type != T_STREAM) {
                w->err = "a stream would replace a storage";
                return CCK_CFBW_NONE;
            }
            return cck_cfbw_set_data(w, id, data, n) == 0 ? id : CCK_CFBW_NONE;
        }
        if (id == CCK_CFBW_NONE)
            id = add(w, cur, p, len, T_STORAGE, NULL, 0);
        else if (w->e[id].type == T_STREAM) {
            w->err = "a path goes through a stream";
            return CCK_CFBW_NONE;
        }
        if (id == CCK_CFBW_NONE)
            return CCK_CFBW_NONE;
        cur = id;
        p = slash + 1;
    }
}

int cck_cfbw_set_data(cck_cfbw *w, uint32_t id, const void *data, size_t n)
{
    if (id >= w->n || w->e[id].removed || w->e[id].type != T_STREAM) {
        w->err = "not a stream";
        return -1;
    }
    return copy_data(w, &w->e[id], data, n);
}

int cck_cfbw_set_clsid(cck_cfbw *w, uint32_t id, const uint8_t clsid[16])
{
    if (!is_storage(w, id)) {
        w->err = "not a storage";
        return -1;
    }
    memcpy(w->e[id].clsid, clsid, 16);
    return 0;
}

int cck_cfbw_remove(cck_cfbw *w, uint32_t id)
{
    if (id == CCK_CFBW_ROOT || id >= w->n || w->e[id].removed) {
        w->err = "no such entry";
        return -1;
    }
    /* Entries are added after their parent, so one pass in id order marks
     * the whole subtree (a parent is marked before its children). */
    w->e[id].removed = true;
    for (uint32_t i = id + 1; i < w->n; i++)
        if (!w->e[i].removed && w->e[w->e[i].parent].removed)
            w->e[i].removed = true;
    return 0;
}

/* ------------------------------------------------------------ writing */

static void put_le(uint8_t *p, uint64_t v, int width)
{
    for (int i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int ent_cmp(const void *a, const void *b)
{
    return name_cmp(*(ent *const *)a, *(ent *const *)b);
}

/* Balanced tree over the sorted siblings v[lo, hi): the middle element is the
 * subtree root. Every level but the last is full, so colouring the nodes of
 * an incomplete last level red and all others black gives a valid red-black
 * tree (equal black height on every path, red nodes have no children). */
static uint32_t rb_build(ent **v, size_t lo, size_t hi, int depth, int full_levels)
{
    if (lo >= hi)
        return NOSTREAM;
    size_t mid = lo + (hi - lo) / 2;
    ent *m = v[mid];
    m->left = rb_build(v, lo, mid, depth + 1, full_levels);
    m->right = rb_build(v, mid + 1, hi, depth + 1, full_levels);
    m->color = depth >= full_levels ? 0 : 1; /* 0 red, 1 black */
    return m->idx;
}

static size_t sectors_for(uint64_t bytes, size_t unit)
{
    return (size_t)((bytes + unit - 1) / unit);
}

/* Growable byte buffer for the mini stream. */
typedef struct gbuf {
    uint8_t *p;
    size_t n, cap;
} gbuf;

static int gbuf_add_zeroed(gbuf *b, const void *p, size_t n, size_t total)
{
    if (b->n + total > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + total)
            cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q)
            return -1;
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    memset(b->p + b->n + n, 0, total - n);
    b->n += total;
    return 0;
}

/* Numbers the live entries depth-first (children in the order added) into
 * dir[], links each storage's children as a red-black tree. */
static int build_dir(cck_cfbw *w, ent ***dirp, size_t *ndirp)
{
    ent **dir = malloc((size_t)w->n * sizeof *dir);
    uint32_t *stack = malloc((size_t)w->n * sizeof *stack);
    ent **sib = malloc((size_t)w->n * sizeof *sib);
    if (!dir || !stack || !sib) {
        free(dir);
        free(stack);
        free(sib);
        w->err = "out of memory";
        return -1;
    }
    size_t ndir = 0, sp = 0;
    stack[sp++] = CCK_CFBW_ROOT;
    while (sp) {
        ent *e = &w->e[stack[--sp]];
        e->idx = (uint32_t)ndir;
        dir[ndir++] = e;
        for (uint32_t k = e->nkids; k-- > 0;)
            if (!w->e[e->kids[k]].removed)
                stack[sp++] = e->kids[k];
    }
    for (size_t i = 0; i < ndir; i++) {
        ent *e = dir[i];
        e->left = e->right = e->child = NOSTREAM;
        if (i == 0)
            e->color = 1;
    }
    for (size_t i = 0; i < ndir; i++) {
        ent *e = dir[i];
        if (e->type == T_STREAM)
            continue;
        size_t ns = 0;
        for (uint32_t k = 0; k < e->nkids; k++)
            if (!w->e[e->kids[k]].removed)
                sib[ns++] = &w->e[e->kids[k]];
        if (!ns)
            continue;
        qsort(sib, ns, sizeof *sib, ent_cmp);
        int full = 0;
        while (((size_t)2 << full) - 1 <= ns)
            full++;
        e->child = rb_build(sib, 0, ns, 0, full);
    }
    free(stack);
    free(sib);
    *dirp = dir;
    *ndirp = ndir;
    return 0;
}

int cck_cfbw_image(cck_cfbw *w, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    ent **dir;
    size_t ndir;
    if (build_dir(w, &dir, &ndir) < 0)
        return -1;
    ent *root = dir[0];

    /* Mini stream: streams under the cutoff, in directory order. */
    gbuf ms = {0};
    uint32_t *minifat = NULL;
    uint8_t *img = NULL;
    uint32_t *fat = NULL;
    size_t nmini = 0;
    uint64_t big_sectors = 0;
    int rc = -1;
    for (size_t i = 1; i < ndir; i++) {
        ent *n = dir[i];
        if (n->type != T_STREAM) {
            n->start = 0;
        } else if (n->n == 0) {
            n->start = ENDOFCHAIN;
        } else if (n->n < CUTOFF) {
            size_t k = sectors_for(n->n, MINI);
            n->start = (uint32_t)nmini;
            uint32_t *mf = realloc(minifat, (nmini + k) * sizeof *mf);
            if (!mf || gbuf_add_zeroed(&ms, n->data, n->n, k * MINI) < 0) {
                if (mf)
                    minifat = mf;
                w->err = "out of memory";
                goto done;
            }
            minifat = mf;
            for (size_t j = 0; j < k; j++)
                minifat[nmini + j] = j + 1 < k ? (uint32_t)(nmini + j + 1) : ENDOFCHAIN;
            nmini += k;
        } else {
            big_sectors += sectors_for(n->n, SECT);
        }
    }
    size_t ndirsect = sectors_for(ndir, 4);
    size_t nminifat = sectors_for(nmini, FAT_PER);
    size_t nministr = sectors_for(ms.n, SECT);
    uint64_t data = ndirsect + nminifat + nministr + big_sectors;
    if ((data + 1) * SECT > CCK_CFBW_MAX_FILE) {
        w->err = "compound file larger than the limit";
        goto done;
    }
    size_t nfat = 1, ndifat = 0;
    for (;;) {
        ndifat = nfat > HDR_DIFAT ? sectors_for(nfat - HDR_DIFAT, DIFAT_PER) : 0;
        if (nfat * FAT_PER >= data + nfat + ndifat)
            break;
        nfat++;
    }
    size_t total = nfat + ndifat + (size_t)data;
    if ((uint64_t)(total + 1) * SECT > CCK_CFBW_MAX_FILE) {
        w->err = "compound file larger than the limit";
        goto done;
    }
    fat = malloc(nfat * FAT_PER * sizeof *fat);
    img = calloc(total + 1, SECT);
    if (!fat || !img) {
        w->err = "out of memory";
        goto done;
    }
    for (size_t i = 0; i < nfat * FAT_PER; i++)
        fat[i] = FREESECT;
    size_t s = 0;
    for (size_t i = 0; i < nfat; i++)
        fat[s++] = FATSECT;
    size_t difat_first = s;
    for (size_t i = 0; i < ndifat; i++)
        fat[s++] = DIFSECT;
#define CHAIN(first, count)                                                                        \
    do {                                                                                           \
        first = (uint32_t)s;                                                                       \
        for (size_t c_ = 0; c_ < (count); c_++, s++)                                               \
            fat[s] = c_ + 1 < (count) ? (uint32_t)(s + 1) : ENDOFCHAIN;                            \
    } while (0)
    uint32_t dir_first, minifat_first = ENDOFCHAIN, mini_first = ENDOFCHAIN;
    CHAIN(dir_first, ndirsect);
    if (nminifat)
        CHAIN(minifat_first, nminifat);
    if (nministr)
        CHAIN(mini_first, nministr);
    for (size_t i = 1; i < ndir; i++)
        if (dir[i]->type == T_STREAM && dir[i]->n >= CUTOFF)
            CHAIN(dir[i]->start, sectors_for(dir[i]->n, SECT));
#undef CHAIN
    root->start = mini_first;

    /* Header ([MS-CFB] 2.2). */
    static const uint8_t sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(img, sig, 8);
    put_le(img + 24, 0x003E, 2); /* minor version */
    put_le(img + 26, 0x0003, 2); /* major version 3: 512-byte sectors */
    put_le(img + 28, 0xFFFE, 2); /* byte order */
    put_le(img + 30, 9, 2);      /* sector shift */
    put_le(img + 32, 6, 2);      /* mini sector shift */
    put_le(img + 44, nfat, 4);
    put_le(img + 48, dir_first, 4);
    put_le(img + 56, CUTOFF, 4);
    put_le(img + 60, minifat_first, 4);
    put_le(img + 64, nminifat, 4);
    put_le(img + 68, ndifat ? (uint32_t)difat_first : ENDOFCHAIN, 4);
    put_le(img + 72, ndifat, 4);
    for (size_t i = 0; i < HDR_DIFAT; i++)
        put_le(img + 76 + 4 * i, i < nfat ? (uint32_t)i : FREESECT, 4);
#define SEC(n) (img + SECT * ((size_t)(n) + 1))
    /* DIFAT sectors: 127 FAT locations and the next DIFAT sector. */
    for (size_t d = 0; d < ndifat; d++) {
        uint8_t *p = SEC(difat_first + d);
        for (size_t j = 0; j < DIFAT_PER; j++) {
            size_t f = HDR_DIFAT + d * DIFAT_PER + j;
            put_le(p + 4 * j, f < nfat ? (uint32_t)f : FREESECT, 4);
        }
        put_le(p + 508, d + 1 < ndifat ? (uint32_t)(difat_first + d + 1) : ENDOFCHAIN, 4);
    }
    for (size_t i = 0; i < nfat * FAT_PER; i++)
        put_le(SEC(0) + 4 * i, fat[i], 4); /* FAT sectors are 0..nfat-1, contiguous */
    /* Directory ([MS-CFB] 2.6.1); times and state bits stay zero. */
    for (size_t i = 0; i < ndirsect * 4; i++) {
        uint8_t *e = SEC(dir_first) + 128 * i;
        if (i >= ndir) {
            put_le(e + 68, NOSTREAM, 4);
            put_le(e + 72, NOSTREAM, 4);
            put_le(e + 76, NOSTREAM, 4);
            continue;
        }
        const ent *n = dir[i];
        for (int k = 0; k < n->nlen; k++)
            put_le(e + 2 * k, n->name[k], 2);
        put_le(e + 64, (uint64_t)(n->nlen + 1) * 2, 2);
        e[66] = n->type;
        e[67] = n->color;
        put_le(e + 68, n->left, 4);
        put_le(e + 72, n->right, 4);
        put_le(e + 76, n->child, 4);
        memcpy(e + 80, n->clsid, 16);
        put_le(e + 116, n->start, 4);
        put_le(e + 120, n->type == T_ROOT ? ms.n : n->type == T_STREAM ? n->n : 0, 8);
    }
    for (size_t i = 0; i < nminifat * FAT_PER; i++)
        put_le(SEC(minifat_first) + 4 * i, i < nmini ? minifat[i] : FREESECT, 4);
    if (ms.n)
        memcpy(SEC(mini_first), ms.p, ms.n);
    for (size_t i = 1; i < ndir; i++)
        if (dir[i]->type == T_STREAM && dir[i]->n >= CUTOFF)
            memcpy(SEC(dir[i]->start), dir[i]->data, dir[i]->n);
#undef SEC
    *out = img;
    *len = SECT * (total + 1);
    img = NULL;
    rc = 0;
done:
    free(img);
    free(fat);
    free(minifat);
    free(ms.p);
    free(dir);
    return rc;
}

int cck_cfbw_write(cck_cfbw *w, FILE *out)
{
    uint8_t *img;
    size_t n;
    if (cck_cfbw_image(w, &img, &n) < 0)
        return -1;
    int rc = 0;
    if (fwrite(img, 1, n, out) != n || fflush(out) != 0) {
        w->err = "write failed";
        rc = -1;
    }
    int saved = errno;
    free(img);
    errno = saved;
    return rc;
}
