/* cfb.c - compound file reader ([MS-CFB] 2.2 header, 2.3 FAT, 2.4 mini FAT,
 * 2.5 DIFAT, 2.6 directory). The whole file is in memory; tables are copied
 * into arrays once, and every chain walk is bounded by the table size and a
 * generation-stamped visited array, so hostile input costs linear time at most.
 */
#include "cfb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/cursor.h"
#include "../util/text.h"

/* Special sector numbers, [MS-CFB] 2.1. */
#define MAXREGSECT 0xFFFFFFFAu
#define DIFSECT    0xFFFFFFFCu
#define FATSECT    0xFFFFFFFDu
#define ENDOFCHAIN 0xFFFFFFFEu
#define FREESECT   0xFFFFFFFFu

#define HEADER_SIZE    512
#define HEADER_DIFAT   109
#define DIR_ENTRY_SIZE 128
#define MINI_SHIFT     6
#define MINI_SIZE      64
#define MINI_CUTOFF    4096

static const uint8_t signature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* One sector table (FAT or mini FAT) and the bytes its sectors index. */
typedef struct chainsrc {
    const uint32_t *tab;
    uint32_t ntab;
    uint32_t *stamp; /* per sector: generation of the last walk that visited it */
    uint32_t gen;
    const uint8_t *base;
    size_t baselen;
    size_t off0; /* offset of sector 0 in base */
    unsigned unit;
    const char *kind; /* "FAT" or "mini FAT", for problem texts */
} chainsrc;

struct cck_cfb {
    const uint8_t *data; /* borrowed */
    size_t len;
    cck_arena *a;
    cck_problems *pr;
    unsigned version, shift, ssize;
    chainsrc fat, mini;
    bool mini_loaded;
    cck_cfb_entry *ent;
    uint32_t nent;
};

int cck_cfb_name_cmp(const char *x, const char *y)
{
    const unsigned char *p = (const unsigned char *)x, *q = (const unsigned char *)y;
    for (;; p++, q++) {
        unsigned a = *p, b = *q;
        if (a >= 'a' && a <= 'z')
            a -= 'a' - 'A';
        if (b >= 'a' && b <= 'z')
            b -= 'a' - 'A';
        if (a != b)
            return a < b ? -1 : 1;
        if (!a)
            return 0;
    }
}

/* Starts a new walk: sectors stamped with the new generation were visited by it. */
static void new_walk(chainsrc *s)
{
    if (++s->gen == 0) {
        memset(s->stamp, 0, (size_t)s->ntab * sizeof *s->stamp);
        s->gen = 1;
    }
}

/* Follows a chain from `start`. With buf, copies up to `want` bytes into it
 * (buf holds `want` zeroed bytes) and stops once they are in; without buf,
 * walks to ENDOFCHAIN and only counts. Returns the bytes covered (whole
 * sectors, capped at want). Problems name `what`. */
static uint64_t walk(cck_cfb *c, chainsrc *s, uint32_t start, uint8_t *buf, uint64_t want,
                     const char *what)
{
    uint64_t got = 0;
    uint32_t sec = start;
    bool cut = false;
    new_walk(s);
    while (got < want) {
        if (sec == ENDOFCHAIN) {
            if (buf)
                cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.chain_short", got,
                                 "%s chain of %s ends after %llu bytes, expected %llu", s->kind,
                                 what, (unsigned long long)got, (unsigned long long)want);
            break;
        }
        if (sec > MAXREGSECT || sec >= s->ntab) {
            cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.chain_range", got,
                             "%s chain of %s has sector 0x%08X outside the table (%u entries)",
                             s->kind, what, sec, s->ntab);
            break;
        }
        if (s->stamp[sec] == s->gen) {
            cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.chain_cycle", got,
                             "%s chain of %s loops back to sector %u", s->kind, what, sec);
            break;
        }
        s->stamp[sec] = s->gen;
        uint64_t off = s->off0 + (uint64_t)sec * s->unit;
        if (off >= s->baselen || s->baselen - off < s->unit) {
            if (off >= s->baselen) {
                cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.chain_range", got,
                                 "%s chain of %s has sector %u beyond the end of the data "
                                 "(%zu bytes)",
                                 s->kind, what, sec, s->baselen);
                break;
            }
            cut = true;
        }
        uint64_t n = want - got < s->unit ? want - got : s->unit;
        if (buf) {
            uint64_t avail = s->baselen - off;
            memcpy(buf + got, s->base + off, (size_t)(n < avail ? n : avail));
        }
        got += n;
        sec = s->tab[sec];
    }
    if (cut && buf)
        cck_problems_add(c->pr, CCK_SEV_WARNING, "cfb.truncated", got,
                         "%s reaches into a sector cut off by the end of the file (%zu bytes); "
                         "missing bytes read as zero",
                         what, s->baselen);
    return got;
}

/* Counts the bytes a chain holds (for the directory and mini FAT, whose
 * sizes the header does not give reliably). */
static uint64_t chain_bytes(cck_cfb *c, chainsrc *s, uint32_t start, const char *what)
{
    uint64_t limit = (uint64_t)s->ntab * s->unit;
    return walk(c, s, start, NULL, limit, what);
}

static int load_fat(cck_cfb *c, const uint8_t *h, uint32_t nsect)
{
    uint32_t nfatsect = cck_le32(h + 44);
    uint32_t difat_start = cck_le32(h + 68);
    uint32_t ndifat = cck_le32(h + 72);
    if (nfatsect > nsect) {
        cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.header", 44,
                         "FAT sector count %u exceeds the %u sectors in the file; using %u",
                         nfatsect, nsect, nsect);
        nfatsect = nsect;
    }
    uint32_t *fatsec = cck_arena_calloc(c->a, nfatsect ? nfatsect : 1, sizeof *fatsec);
    if (!fatsec)
        return -1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < HEADER_DIFAT && n < nfatsect; i++)
        fatsec[n++] = cck_le32(h + 76 + 4 * i);
    /* DIFAT sectors: (ssize/4 - 1) FAT sector numbers and the next DIFAT sector. */
    uint32_t per = c->ssize / 4 - 1;
    uint32_t sec = difat_start, walked = 0;
    uint8_t *seen = NULL;
    while (n < nfatsect) {
        if (sec == ENDOFCHAIN || sec == FREESECT) {
            cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.difat", 72,
                             "DIFAT ends after %u of %u FAT sectors", n, nfatsect);
            break;
        }
        if (sec >= nsect) {
            cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.difat", 68,
                             "DIFAT sector 0x%08X is outside the file", sec);
            break;
        }
        if (!seen && !(seen = cck_arena_alloc(c->a, nsect / 8 + 1)))
            return -1;
        if (seen[sec / 8] & (1u << (sec % 8))) {
            cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.difat", 68,
                             "DIFAT chain loops back to sector %u", sec);
            break;
        }
        seen[sec / 8] |= (uint8_t)(1u << (sec % 8));
        size_t off = ((size_t)sec + 1) * c->ssize;
        if (off + c->ssize > c->len) {
            cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.difat", off,
                             "DIFAT sector %u is cut off by the end of the file", sec);
            break;
        }
        for (uint32_t i = 0; i < per && n < nfatsect; i++)
            fatsec[n++] = cck_le32(c->data + off + 4 * i);
        sec = cck_le32(c->data + off + 4 * per);
        walked++;
    }
    if (walked != ndifat && n == nfatsect && ndifat <= nsect)
        cck_problems_add(c->pr, CCK_SEV_WARNING, "cfb.difat", 72,
                         "header says %u DIFAT sectors, %u were needed", ndifat, walked);
    nfatsect = n;

    uint32_t per_fat = c->ssize / 4;
    uint64_t ntab = (uint64_t)nfatsect * per_fat;
    uint32_t *tab = cck_arena_calloc(c->a, ntab ? (size_t)ntab : 1, sizeof *tab);
    if (!tab)
        return -1;
    for (uint32_t i = 0; i < nfatsect; i++) {
        uint32_t fs = fatsec[i];
        size_t off = ((size_t)fs + 1) * c->ssize;
        if (fs > MAXREGSECT || fs >= nsect || off >= c->len) {
            cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.fat", 76 + 4 * (uint64_t)i,
                             "FAT sector #%u is 0x%08X, outside the file", i, fs);
            for (uint32_t j = 0; j < per_fat; j++)
                tab[(size_t)i * per_fat + j] = FREESECT;
            continue;
        }
        for (uint32_t j = 0; j < per_fat; j++) {
            size_t o = off + 4 * (size_t)j;
            tab[(size_t)i * per_fat + j] = o + 4 <= c->len ? cck_le32(c->data + o) : FREESECT;
        }
    }
    c->fat.tab = tab;
    c->fat.ntab = (uint32_t)ntab;
    c->fat.stamp = cck_arena_calloc(c->a, ntab ? (size_t)ntab : 1, sizeof(uint32_t));
    if (!c->fat.stamp)
        return -1;
    c->fat.base = c->data;
    c->fat.baselen = c->len;
    c->fat.off0 = c->ssize;
    c->fat.unit = c->ssize;
    c->fat.kind = "FAT";
    return 0;
}

/* Reads a chain of whole sectors into a new buffer; *n gets its byte count. */
static uint8_t *read_chain(cck_cfb *c, chainsrc *s, uint32_t start, const char *what, size_t *n)
{
    uint64_t bytes = chain_bytes(c, s, start, what);
    uint8_t *buf = cck_arena_alloc(c->a, (size_t)bytes + 1);
    if (!buf)
        return NULL;
    *n = (size_t)walk(c, s, start, buf, bytes, what);
    return buf;
}

static int load_minifat(cck_cfb *c, const uint8_t *h)
{
    uint32_t start = cck_le32(h + 60);
    uint32_t count = cck_le32(h + 64);
    c->mini.kind = "mini FAT";
    c->mini.unit = MINI_SIZE;
    if (start == ENDOFCHAIN || start == FREESECT) {
        c->mini.stamp = cck_arena_calloc(c->a, 1, sizeof(uint32_t));
        if (!c->mini.stamp)
            return -1;
        if (count)
            cck_problems_add(c->pr, CCK_SEV_WARNING, "cfb.header", 64,
                             "header says %u mini FAT sectors but has no mini FAT", count);
        return 0;
    }
    size_t n = 0;
    uint8_t *raw = read_chain(c, &c->fat, start, "the mini FAT", &n);
    if (!raw)
        return -1;
    if (n / c->ssize != count)
        cck_problems_add(c->pr, CCK_SEV_WARNING, "cfb.header", 64,
                         "header says %u mini FAT sectors, the chain has %zu", count, n / c->ssize);
    uint32_t ntab = (uint32_t)(n / 4);
    uint32_t *tab = cck_arena_calloc(c->a, ntab ? ntab : 1, sizeof *tab);
    c->mini.stamp = cck_arena_calloc(c->a, ntab ? ntab : 1, sizeof(uint32_t));
    if (!tab || !c->mini.stamp)
        return -1;
    for (uint32_t i = 0; i < ntab; i++)
        tab[i] = cck_le32(raw + 4 * (size_t)i);
    c->mini.tab = tab;
    c->mini.ntab = ntab;
    return 0;
}

/* Decodes the directory entries; *rawp keeps the raw bytes for the tree walk. */
static int load_directory(cck_cfb *c, const uint8_t *h, const uint8_t **rawp)
{
    uint32_t start = cck_le32(h + 48);
    if (c->version == 3 && cck_le32(h + 40) != 0)
        cck_problems_add(c->pr, CCK_SEV_WARNING, "cfb.header", 40,
                         "version 3 header has directory sector count %u, expected 0",
                         cck_le32(h + 40));
    size_t n = 0;
    uint8_t *raw = read_chain(c, &c->fat, start, "the directory", &n);
    if (!raw)
        return -1;
    *rawp = raw;
    uint64_t nent = n / DIR_ENTRY_SIZE;
    if (nent > CCK_CFB_MAX_DIR_ENTRIES) {
        cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.limit", 0,
                         "directory has %llu entries, more than the limit %u; reading %u",
                         (unsigned long long)nent, CCK_CFB_MAX_DIR_ENTRIES,
                         CCK_CFB_MAX_DIR_ENTRIES);
        nent = CCK_CFB_MAX_DIR_ENTRIES;
    }
    c->nent = (uint32_t)nent;
    c->ent = cck_arena_calloc(c->a, nent ? (size_t)nent : 1, sizeof *c->ent);
    if (!c->ent)
        return -1;
    for (uint32_t i = 0; i < c->nent; i++) {
        cck_cfb_entry *e = &c->ent[i];
        cck_cur cur;
        cck_cur_init(&cur, raw + (size_t)i * DIR_ENTRY_SIZE, DIR_ENTRY_SIZE);
        const uint8_t *name = cck_cur_bytes(&cur, 64);
        uint16_t namelen = cck_cur_u16(&cur);
        e->type = cck_cur_u8(&cur);
        cck_cur_skip(&cur, 1);  /* colour: the tree's balance is not our concern */
        cck_cur_skip(&cur, 12); /* left, right, child: read again by the tree walk */
        memcpy(e->clsid, cck_cur_bytes(&cur, 16), 16);
        cck_cur_skip(&cur, 4 + 8 + 8); /* state bits, creation and modification time */
        e->start = cck_cur_u32(&cur);
        e->size = cck_cur_u64(&cur);
        if (c->version == 3)
            e->size &= 0xFFFFFFFFu; /* [MS-CFB] 2.6.3: the high part may hold garbage */
        if (e->type == CCK_CFB_UNUSED) {
            e->name = "";
            continue;
        }
        size_t units = 0;
        if (namelen > 64 || (namelen & 1)) {
            cck_problems_add(c->pr, CCK_SEV_WARNING, "cfb.name", (uint64_t)i * DIR_ENTRY_SIZE,
                             "directory entry %u has name length %u (at most 64, even)", i,
                             namelen);
            units = CCK_CFB_MAX_NAME;
        } else if (namelen >= 2) {
            units = namelen / 2 - 1;
        }
        /* Stop at the first NUL: names are NUL-terminated within the field. */
        for (size_t k = 0; k < units; k++)
            if (cck_le16(name + 2 * k) == 0) {
                units = k;
                break;
            }
        cck_str s;
        if (cck_utf16le_to_utf8(c->a, name, units * 2, &s) < 0)
            return -1;
        e->name = s.s;
    }
    return 0;
}

static int cmp_kid(const void *x, const void *y)
{
    const cck_cfb_entry *const *a = x, *const *b = y;
    return cck_cfb_name_cmp((*a)->name, (*b)->name);
}

/* Gives every reachable storage its sorted list of children. Each entry may
 * belong to one tree only (`owned`), which bounds the whole walk by the
 * number of entries and turns any cycle or shared subtree into a problem. */
static int build_tree(cck_cfb *c, const uint8_t *dir)
{
    uint32_t n = c->nent;
    uint8_t *owned = cck_arena_alloc(c->a, n);
    uint32_t *pool = cck_arena_calloc(c->a, n, sizeof *pool);
    uint32_t *queue = cck_arena_calloc(c->a, n, sizeof *queue);
    uint32_t *stack = cck_arena_calloc(c->a, (size_t)2 * n + 1, sizeof *stack);
    const cck_cfb_entry **sortbuf = cck_arena_calloc(c->a, n, sizeof *sortbuf);
    if (!owned || !pool || !queue || !stack || !sortbuf)
        return -1;
    uint32_t used = 0, qhead = 0, qtail = 0;
    owned[0] = 1;
    queue[qtail++] = 0;
    while (qhead < qtail) {
        uint32_t dirid = queue[qhead++];
        cck_cfb_entry *d = &c->ent[dirid];
        uint32_t first = used, sp = 0;
        stack[sp++] = cck_le32(dir + (size_t)dirid * DIR_ENTRY_SIZE + 76);
        while (sp > 0) {
            uint32_t id = stack[--sp];
            if (id == CCK_CFB_NONE)
                continue;
            if (id >= n) {
                cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.dir", (uint64_t)dirid * 128,
                                 "storage \"%s\" links to directory entry %u, past the last (%u)",
                                 d->name, id, n - 1);
                continue;
            }
            if (owned[id]) {
                cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.tree_cycle", (uint64_t)id * 128,
                                 "directory entry %u is reached twice (a cycle or shared "
                                 "subtree under \"%s\")",
                                 id, d->name);
                continue;
            }
            owned[id] = 1;
            const uint8_t *raw = dir + (size_t)id * DIR_ENTRY_SIZE;
            stack[sp++] = cck_le32(raw + 68); /* left sibling */
            stack[sp++] = cck_le32(raw + 72); /* right sibling */
            cck_cfb_entry *e = &c->ent[id];
            if (e->type != CCK_CFB_STORAGE && e->type != CCK_CFB_STREAM) {
                cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.dir", (uint64_t)id * 128,
                                 "directory entry %u under \"%s\" has object type %u", id, d->name,
                                 e->type);
                continue;
            }
            pool[used++] = id;
            if (e->type == CCK_CFB_STORAGE)
                queue[qtail++] = id;
        }
        uint32_t nk = used - first;
        for (uint32_t k = 0; k < nk; k++)
            sortbuf[k] = &c->ent[pool[first + k]];
        qsort(sortbuf, nk, sizeof *sortbuf, cmp_kid);
        for (uint32_t k = 0; k < nk; k++) {
            pool[first + k] = (uint32_t)(sortbuf[k] - c->ent);
            if (k && cck_cfb_name_cmp(sortbuf[k - 1]->name, sortbuf[k]->name) == 0)
                cck_problems_add(
                    c->pr, CCK_SEV_WARNING, "cfb.dup_name", (uint64_t)pool[first + k] * 128,
                    "storage \"%s\" has two children named \"%s\"", d->name, sortbuf[k]->name);
        }
        d->kids = pool + first;
        d->nkids = nk;
    }
    return 0;
}

cck_cfb_status cck_cfb_open(const uint8_t *data, size_t len, cck_arena *a, cck_problems *pr,
                            cck_cfb **out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *out = NULL;
    if (len < HEADER_SIZE) {
        *why = "too short for a compound file header";
        return CCK_CFB_NOT_CFB;
    }
    if (memcmp(data, signature, 8) != 0) {
        *why = cck_arena_printf(a, "bad signature 0x%016llX", (unsigned long long)cck_le64(data));
        if (!*why)
            *why = "bad signature";
        return CCK_CFB_NOT_CFB;
    }
    const uint8_t *h = data;
    cck_cfb *c = cck_arena_alloc(a, sizeof *c);
    if (!c)
        return CCK_CFB_NOMEM;
    c->data = data;
    c->len = len;
    c->a = a;
    c->pr = pr;
    unsigned major = cck_le16(h + 26), shift = cck_le16(h + 30);
    if (shift != 9 && shift != 12) {
        if (major == 3 || major == 4) {
            cck_problems_add(pr, CCK_SEV_ERROR, "cfb.header", 30,
                             "sector shift %u is invalid; using %u for version %u", shift,
                             major == 3 ? 9 : 12, major);
            shift = major == 3 ? 9 : 12;
        } else {
            *why =
                cck_arena_printf(a, "unusable header: version %u, sector shift %u", major, shift);
            if (!*why)
                *why = "unusable header";
            return CCK_CFB_NOT_CFB;
        }
    } else if ((major == 3 && shift != 9) || (major == 4 && shift != 12) ||
               (major != 3 && major != 4)) {
        cck_problems_add(pr, CCK_SEV_WARNING, "cfb.header", 26,
                         "major version %u does not match sector shift %u", major, shift);
    }
    c->shift = shift;
    c->ssize = 1u << shift;
    c->version = shift == 9 ? 3 : 4;
    if (cck_le16(h + 28) != 0xFFFE)
        cck_problems_add(pr, CCK_SEV_WARNING, "cfb.header", 28,
                         "byte order mark 0x%04X, expected 0xFFFE", cck_le16(h + 28));
    if (cck_le16(h + 32) != MINI_SHIFT)
        cck_problems_add(pr, CCK_SEV_WARNING, "cfb.header", 32,
                         "mini sector shift %u, expected 6; using 6", cck_le16(h + 32));
    if (cck_le32(h + 56) != MINI_CUTOFF)
        cck_problems_add(pr, CCK_SEV_WARNING, "cfb.header", 56,
                         "mini stream cutoff %u, expected 4096; using 4096", cck_le32(h + 56));
    /* Sectors after the header, the last one possibly cut short. */
    uint64_t nsect64 = len > c->ssize ? (len - c->ssize + c->ssize - 1) / c->ssize : 0;
    uint32_t nsect = nsect64 > MAXREGSECT ? MAXREGSECT : (uint32_t)nsect64;
    if (len > c->ssize && (len - c->ssize) % c->ssize)
        cck_problems_add(pr, CCK_SEV_INFO, "cfb.truncated", len,
                         "file size %zu is not a whole number of %u-byte sectors", len, c->ssize);

    const uint8_t *dir = NULL;
    if (load_fat(c, h, nsect) < 0 || load_minifat(c, h) < 0 || load_directory(c, h, &dir) < 0)
        return CCK_CFB_NOMEM;
    if (c->nent == 0) {
        *why = "the directory is empty or unreadable";
        return CCK_CFB_NOT_CFB;
    }
    if (c->ent[0].type != CCK_CFB_ROOT)
        cck_problems_add(pr, CCK_SEV_ERROR, "cfb.dir", 0,
                         "directory entry 0 has object type %u, expected the root (5)",
                         c->ent[0].type);
    if (build_tree(c, dir) < 0)
        return CCK_CFB_NOMEM;
    *out = c;
    return CCK_CFB_OK;
}

void cck_cfb_set_problems(cck_cfb *c, cck_problems *pr)
{
    c->pr = pr;
}

unsigned cck_cfb_sector_size(const cck_cfb *c)
{
    return c->ssize;
}

unsigned cck_cfb_version(const cck_cfb *c)
{
    return c->version;
}

size_t cck_cfb_nentries(const cck_cfb *c)
{
    return c->nent;
}

const cck_cfb_entry *cck_cfb_entry_at(const cck_cfb *c, uint32_t id)
{
    return id < c->nent ? &c->ent[id] : NULL;
}

uint32_t cck_cfb_find(const cck_cfb *c, uint32_t dirid, const char *name)
{
    if (dirid >= c->nent)
        return CCK_CFB_NONE;
    const cck_cfb_entry *d = &c->ent[dirid];
    size_t lo = 0, hi = d->nkids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = cck_cfb_name_cmp(name, c->ent[d->kids[mid]].name);
        if (r == 0) {
            /* The first of equal names, so duplicates resolve the same way always. */
            while (mid > 0 && cck_cfb_name_cmp(name, c->ent[d->kids[mid - 1]].name) == 0)
                mid--;
            return d->kids[mid];
        }
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return CCK_CFB_NONE;
}

/* The mini stream is the root entry's FAT chain ([MS-CFB] 2.6.2), read once. */
static int load_ministream(cck_cfb *c)
{
    c->mini_loaded = true;
    const cck_cfb_entry *root = &c->ent[0];
    uint64_t size = root->size;
    uint64_t cap = (uint64_t)c->mini.ntab * MINI_SIZE;
    if (cap > c->len)
        cap = c->len;
    if (size > cap) {
        if (size > (uint64_t)c->len)
            cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.stream_size", 0,
                             "mini stream size %llu exceeds the file size %zu",
                             (unsigned long long)size, c->len);
        /* Sectors past the mini FAT cannot be addressed; no need to read them. */
        size = cap;
    }
    uint8_t *buf = cck_arena_alloc(c->a, (size_t)size + 1);
    if (!buf)
        return -1;
    uint64_t got = walk(c, &c->fat, root->start, buf, size, "the mini stream");
    c->mini.base = buf;
    c->mini.baselen = (size_t)got;
    c->mini.off0 = 0;
    return 0;
}

int cck_cfb_read(cck_cfb *c, uint32_t id, const uint8_t **data, size_t *len, bool *nomem)
{
    *data = NULL;
    *len = 0;
    if (id >= c->nent || c->ent[id].type != CCK_CFB_STREAM) {
        cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.not_stream", (uint64_t)id * 128,
                         "directory entry %u is not a stream", id);
        return -1;
    }
    const cck_cfb_entry *e = &c->ent[id];
    uint64_t size = e->size;
    bool mini = size < MINI_CUTOFF;
    chainsrc *s = &c->fat;
    if (mini) {
        if (!c->mini_loaded && load_ministream(c) < 0) {
            if (nomem)
                *nomem = true;
            return -1;
        }
        s = &c->mini;
    }
    /* A stream cannot hold more than its table addresses or the data holds;
     * clamp before allocating so a hostile size cannot exhaust the arena. */
    uint64_t cap = (uint64_t)s->ntab * s->unit;
    uint64_t have = s->baselen > s->off0 ? s->baselen - s->off0 : 0;
    if (cap > have)
        cap = have;
    if (size > CCK_CFB_MAX_STREAM || size > cap) {
        cck_problems_add(c->pr, CCK_SEV_ERROR, "cfb.stream_size", (uint64_t)id * 128,
                         "stream \"%s\" claims %llu bytes, more than the %s data can hold (%llu)",
                         e->name, (unsigned long long)size, s->kind,
                         (unsigned long long)(cap < CCK_CFB_MAX_STREAM ? cap : CCK_CFB_MAX_STREAM));
        size = cap < CCK_CFB_MAX_STREAM ? cap : CCK_CFB_MAX_STREAM;
    }
    uint8_t *buf = cck_arena_alloc(c->a, (size_t)size + 1);
    if (!buf) {
        if (nomem)
            *nomem = true;
        return -1;
    }
    char what[64];
    snprintf(what, sizeof what, "stream \"%s\"", e->name);
    *len = (size_t)walk(c, s, e->start, buf, size, what);
    *data = buf;
    return 0;
}
