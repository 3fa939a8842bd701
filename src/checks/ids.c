/* ids.c - meeting ids and duplicates: CalCheck 0043-0049, id structure
 * 0160-0163 ([MS-OXOCAL] 2.2.1.27 GlobalObjectId, 2.2.1.28 the clean id),
 * iCalendar UIDs shared by items 0400/0401 (RFC 5545 §3.8.4.7 UID, §3.8.7.4
 * SEQUENCE), the calendar limits 0060/0061 and 0300 (DESIGN §5), and the
 * duplicate index: seeded-hash open-addressing tables, so a calendar of n
 * items costs O(n) time and memory. Meeting ids are kept byte for byte; the
 * longer keys of 0049 and 0400 as 128-bit keyed fingerprints (SipHash-2-4-128),
 * which keeps a million-item calendar's index near 150 bytes an item
 * while a false match stays below 2^-88 for any calendar that fits in memory. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/checks.h"
#include "model/icsinfo.h"
#include "util/bigmem.h"
#include "util/ascii.h"

/* ======================================================================
 * The duplicate index
 * ====================================================================== */

#define NONE SIZE_MAX

/* What a report needs of the first item that holds a key. */
typedef struct dup_rec {
    uint64_t start, end;
    size_t subject;  /* offset in the pool, or NONE */
    size_t locator;  /* offset in the pool ("" for none) */
    int64_t seq;     /* an iCalendar item's SEQUENCE (0 when absent), else 0 */
    uint32_t source; /* index in the interned sources */
} dup_rec;

/* One key, 16 bytes: either where its bytes are in the pool (exact tables,
 * see pool_key_is) or a second, independent 64-bit hash
 * (fingerprint tables; SipHash covers the key's length), the high half of
 * its first hash (whose top bits are also its home slot, so that growing
 * needs no rehash of the key) and the record of the item that holds it
 * (rec + 1; 0 marks an empty slot). */
typedef struct dup_slot {
    uint64_t key; /* pool offset, or the second hash */
    uint32_t tag; /* hash >> 32 */
    uint32_t rec1;
} dup_slot;

typedef struct dup_table {
    dup_slot *v;      /* from cck_big_calloc */
    size_t cap, n;    /* cap is 0 or a power of two up to 2^31; n <= cap * 3 / 4 */
    unsigned bits;    /* log2(cap) */
    bool fingerprint; /* keys kept as 128-bit fingerprints, not bytes */
} dup_table;

struct cck_dupindex {
    uint64_t k0, k1; /* hash seed: crafted keys cannot force collisions */
    dup_table goid, clean, same, uid;
    char *pool;
    size_t pool_n, pool_cap;
    dup_rec *recs;
    size_t nrec, rec_cap;
    size_t last_item_index;    /* it->index of the newest record */
    const cck_item *last_item; /* ...and the item itself */
    /* Hashes worked out ahead by cck_dupindex_prefetch for item `pre_item`. */
    size_t pre_item;
    bool pre_same, pre_uid;
    uint64_t same_h, same_h2, uid_h, uid_h2;
    /* Sources (file paths) interned: every item of a file shares one. */
    size_t *sources; /* pool offsets */
    size_t nsources, sources_cap;
    const char *last_source; /* the pointer last interned, and its index */
    uint32_t last_source_id;
};

/* SipHash-2-4 (Aumasson and Bernstein), a keyed hash for tables that
 * hostile input must not degrade. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = ROTL(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = ROTL(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = ROTL(v2, 32);                                                                         \
    } while (0)

static uint64_t le64(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* SipHash-2-4 with a 64-bit result, or with `hi` not NULL the 128-bit
 * variant (its second half in *hi): one pass gives a table hash and an
 * independent fingerprint. */
static uint64_t siphash(uint64_t k0, uint64_t k1, const uint8_t *p, size_t n, uint64_t *hi)
{
    uint64_t v0 = k0 ^ 0x736f6d6570736575ull, v1 = k1 ^ 0x646f72616e646f6dull;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ull, v3 = k1 ^ 0x7465646279746573ull;
    if (hi)
        v1 ^= 0xee;
    size_t full = n & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m = le64(p + i, 8);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t b = (uint64_t)n << 56 | le64(p + full, n - full);
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    v2 ^= hi ? 0xee : 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    uint64_t lo = v0 ^ v1 ^ v2 ^ v3;
    if (hi) {
        v1 ^= 0xdd;
        SIPROUND;
        SIPROUND;
        SIPROUND;
        SIPROUND;
        *hi = v0 ^ v1 ^ v2 ^ v3;
    }
    return lo;
}

cck_dupindex *cck_dupindex_new(void)
{
    cck_dupindex *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    /* The seed only spreads keys; results never depend on it. */
    uint64_t t = (uint64_t)time(NULL), c = (uint64_t)clock();
    uint64_t a = (uint64_t)(uintptr_t)d;
    d->k0 = (t * 0x9E3779B97F4A7C15ull) ^ a;
    d->k1 = (c * 0xC2B2AE3D27D4EB4Full) ^ (a >> 7) ^ 0x5851F42D4C957F2Dull;
    d->last_item_index = NONE;
    d->pre_item = NONE;
    d->same.fingerprint = true;
    d->uid.fingerprint = true;
    return d;
}

void cck_dupindex_free(cck_dupindex *d)
{
    if (!d)
        return;
    cck_big_free(d->goid.v);
    cck_big_free(d->clean.v);
    cck_big_free(d->same.v);
    cck_big_free(d->uid.v);
    free(d->pool);
    free(d->recs);
    free(d->sources);
    free(d);
}

/* Appends n bytes (and a NUL) to the pool; returns their offset or NONE. */
static size_t pool_add(cck_dupindex *d, const void *p, size_t n)
{
    if (n > SIZE_MAX / 4 - d->pool_n)
        return NONE;
    if (d->pool_n + n + 1 > d->pool_cap) {
        size_t cap = d->pool_cap ? d->pool_cap : 4096;
        while (cap < d->pool_n + n + 1)
            cap *= 2;
        char *np = realloc(d->pool, cap);
        if (!np)
            return NONE;
        d->pool = np;
        d->pool_cap = cap;
    }
    size_t off = d->pool_n;
    if (n)
        memcpy(d->pool + off, p, n);
    d->pool[off + n] = 0;
    d->pool_n += n + 1;
    return off;
}

static const char *pool_str(const cck_dupindex *d, size_t off)
{
    return off == NONE ? NULL : d->pool + off;
}

/* The index of the item's source among the interned ones, or NONE. */
static size_t source_id(cck_dupindex *d, const cck_item *it)
{
    const char *src = it->source ? it->source : "";
    if (d->nsources && src == d->last_source)
        return d->last_source_id;
    /* A new pointer is usually a new file; the string is compared with the
     * last one only, which keeps this O(1) and at worst stores a name twice. */
    if (d->nsources && strcmp(d->pool + d->sources[d->nsources - 1], src) == 0) {
        d->last_source = src;
        return d->last_source_id = (uint32_t)(d->nsources - 1);
    }
    if (d->nsources >= UINT32_MAX)
        return NONE;
    if (d->nsources == d->sources_cap) {
        size_t cap = d->sources_cap ? d->sources_cap * 2 : 64;
        size_t *v = realloc(d->sources, cap * sizeof *v);
        if (!v)
            return NONE;
        d->sources = v;
        d->sources_cap = cap;
    }
    size_t off = pool_add(d, src, strlen(src));
    if (off == NONE)
        return NONE;
    d->sources[d->nsources] = off;
    d->last_source = src;
    d->last_source_id = (uint32_t)d->nsources;
    return d->nsources++;
}

/* SEQUENCE of an iCalendar item: 0 when absent (RFC 5545 §3.8.7.4). */
static int64_t item_seq(const cck_item *it)
{
    return it->ics && it->ics->sequence_valid ? it->ics->sequence : 0;
}

/* The record describing the item being checked (shared by the tables it
 * enters). Returns its index, or NONE when memory is short. */
static size_t item_rec(cck_dupindex *d, const cck_item *it)
{
    if (d->nrec && d->last_item == it && d->last_item_index == it->index && it->index != NONE)
        return d->nrec - 1; /* the same item, seen by another detector */
    if (d->nrec && d->last_item_index == it->index && it->index != NONE) {
        /* Another item object with the same index: reuse, if nothing differs. */
        const dup_rec *r = &d->recs[d->nrec - 1];
        const char *s = pool_str(d, r->subject);
        bool has = it->subject.has == CCK_PRESENT && it->subject.s;
        bool same = r->start == (it->start.has == CCK_PRESENT ? it->start.ft : 0) &&
                    r->end == (it->end.has == CCK_PRESENT ? it->end.ft : 0) &&
                    r->seq == item_seq(it) && (s != NULL) == has &&
                    (!has || strcmp(s, it->subject.s) == 0) && r->source == source_id(d, it) &&
                    strcmp(pool_str(d, r->locator), it->locator ? it->locator : "") == 0;
        if (same)
            return d->nrec - 1;
    }
    if (d->nrec == d->rec_cap) {
        size_t cap = d->rec_cap ? d->rec_cap * 2 : 256;
        dup_rec *nr = realloc(d->recs, cap * sizeof *nr);
        if (!nr)
            return NONE;
        d->recs = nr;
        d->rec_cap = cap;
    }
    dup_rec r;
    r.start = it->start.has == CCK_PRESENT ? it->start.ft : 0;
    r.end = it->end.has == CCK_PRESENT ? it->end.ft : 0;
    r.seq = item_seq(it);
    r.subject = NONE;
    if (it->subject.has == CCK_PRESENT && it->subject.s) {
        r.subject = pool_add(d, it->subject.s, strlen(it->subject.s));
        if (r.subject == NONE)
            return NONE;
    }
    size_t src = source_id(d, it);
    const char *loc = it->locator ? it->locator : "";
    r.locator = pool_add(d, loc, strlen(loc));
    if (src == NONE || r.locator == NONE || d->nrec >= UINT32_MAX - 1)
        return NONE;
    r.source = (uint32_t)src;
    d->recs[d->nrec] = r;
    d->last_item_index = it->index;
    d->last_item = it;
    return d->nrec++;
}

/* The home slot of a key whose hash has this high half. */
static size_t home(const dup_table *t, uint32_t tag)
{
    return (size_t)(tag >> (32 - t->bits));
}

/* Doubles the table, or sizes it for `want` keys when that is larger. */
static bool table_grow_to(dup_table *t, size_t want)
{
    dup_table g = *t;
    g.cap = t->cap ? t->cap * 2 : 1024;
    g.bits = t->cap ? t->bits + 1 : 10;
    while (g.cap / 4 * 3 < want && g.bits < 31) {
        g.cap *= 2;
        g.bits++;
    }
    if (g.cap <= t->cap || g.bits > 31 || !(g.v = cck_big_calloc(g.cap, sizeof *g.v)))
        return false;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->v[i].rec1)
            continue;
        size_t j = home(&g, t->v[i].tag);
        while (g.v[j].rec1)
            j = (j + 1) & (g.cap - 1);
        g.v[j] = t->v[i];
    }
    cck_big_free(t->v);
    *t = g;
    return true;
}

static bool table_grow(dup_table *t)
{
    return table_grow_to(t, 0);
}

/* Key pool bytes to reserve per expected item: its subject and locator (about
 * 60 bytes for the generated calendars of bench/ics_check.sh; the keys
 * themselves are fingerprints). Only the bytes written are ever touched. */
#define DUP_POOL_PER_ITEM 128

void cck_dupindex_expect(cck_dupindex *d, size_t more)
{
    if (!d || more > CCK_DUPINDEX_EXPECT_MAX)
        return;
    /* Sizing once up front saves the rehashes (each a pass of cache misses)
     * the tables would go through growing to this size. Only the tables every
     * item enters: the GlobalObjectId tables grow as ids come. */
    dup_table *t[] = {&d->same, &d->uid};
    for (size_t i = 0; i < 2; i++)
        if ((t[i]->n + more) * 4 > t[i]->cap * 3)
            (void)table_grow_to(t[i], t[i]->n + more); /* on failure they grow as they go */
    /* The records and the key pool fill front to back: room for the items to
     * come on huge pages (only what is written is ever touched). */
    size_t want = d->nrec + more;
    if (want > d->rec_cap) {
        dup_rec *nr = cck_big_grow(d->recs, d->nrec * sizeof *nr, want * sizeof *nr);
        if (nr) {
            d->recs = nr;
            d->rec_cap = want;
        }
    }
    size_t pwant = d->pool_n + more * DUP_POOL_PER_ITEM;
    if (pwant > d->pool_cap) {
        char *np = cck_big_grow(d->pool, d->pool_n, pwant);
        if (np) {
            d->pool = np;
            d->pool_cap = pwant;
        }
    }
}

/* Whether the exact key stored at pool offset off is key. Stored as two
 * pool entries: its 4-byte length, then its bytes (each followed by the
 * pool's NUL). */
static bool pool_key_is(const cck_dupindex *d, uint64_t off, const void *key, size_t klen)
{
    uint32_t n;
    memcpy(&n, d->pool + off, sizeof n);
    return n == klen && memcmp(d->pool + off + sizeof n + 1, key, klen) == 0;
}

/* Looks the key up; when it is new, stores a copy for the current item.
 * Returns the record of the earlier item holding the key, or NONE (new
 * key, or no memory to remember it). */
static size_t find_or_add(cck_dupindex *d, dup_table *t, const cck_item *it, const void *key,
                          size_t klen, const uint64_t *pre)
{
    /* Linear probing stays short up to three quarters full; the tables are
     * most of the index's memory, so they are not kept emptier. */
    if (klen > UINT32_MAX || ((t->n + 1) * 4 > t->cap * 3 && !table_grow(t)))
        return NONE;
    uint64_t h2 = pre ? pre[1] : 0;
    uint64_t h = pre ? pre[0] : siphash(d->k0, d->k1, key, klen, t->fingerprint ? &h2 : NULL);
    uint32_t tag = (uint32_t)(h >> 32);
    size_t j = home(t, tag);
    for (; t->v[j].rec1; j = (j + 1) & (t->cap - 1)) {
        const dup_slot *s = &t->v[j];
        if (s->tag != tag)
            continue;
        if (t->fingerprint ? s->key == h2 : pool_key_is(d, s->key, key, klen))
            return s->rec1 - 1;
    }
    size_t rec = item_rec(d, it);
    if (rec == NONE)
        return NONE;
    uint64_t k = h2;
    if (!t->fingerprint) {
        uint32_t n32 = (uint32_t)klen;
        size_t off = pool_add(d, &n32, sizeof n32);
        if (off == NONE || pool_add(d, key, klen) == NONE)
            return NONE;
        k = off;
    }
    t->v[j] = (dup_slot){k, tag, (uint32_t)(rec + 1)};
    t->n++;
    return NONE;
}

/* The other item of a pair; its "source, locator" is formatted into buf
 * (cck_report_pair copies it). */
static cck_other other_of(const cck_dupindex *d, size_t rec, char *buf, size_t n)
{
    const dup_rec *r = &d->recs[rec];
    const char *src = d->pool + d->sources[r->source], *loc = pool_str(d, r->locator);
    if (loc && *loc)
        snprintf(buf, n, "%s, %s", src, loc);
    else
        snprintf(buf, n, "%s", src);
    cck_other o = {pool_str(d, r->subject), r->start, r->end, buf};
    return o;
}

/* ======================================================================
 * Helpers
 * ====================================================================== */

static bool is_meeting(const cck_item *it)
{
    return it->state_flags.has == CCK_PRESENT && (it->state_flags.v & CCK_ASF_MEETING);
}

/* The id's bytes when it is present, binary and non-empty. */
static bool id_bytes(const cck_fgoid *g)
{
    return g->raw.has == CCK_PRESENT && g->raw.n > 0 && g->raw.p;
}

/* Hex of up to 60 bytes, "..." after that. */
static char *hex_of(const uint8_t *p, size_t n, char *buf, size_t cap)
{
    static const char dig[] = "0123456789ABCDEF";
    size_t k = 0, lim = n > 60 ? 60 : n;
    for (size_t i = 0; i < lim && k + 3 < cap; i++) {
        buf[k++] = dig[p[i] >> 4];
        buf[k++] = dig[p[i] & 15];
    }
    if (lim < n && k + 4 < cap) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = 0;
    return buf;
}

/* ======================================================================
 * 0043-0045: ids missing on a meeting
 * ====================================================================== */

void cck_chk_goid_missing(const cck_item *it, cck_ctx *ctx);
void cck_chk_goid_missing(const cck_item *it, cck_ctx *ctx)
{
    if (!is_meeting(it))
        return;
    if (it->aux_flags.has == CCK_PRESENT && (it->aux_flags.v & CCK_AUX_COPIED))
        return; /* a copy legitimately has no ids of its own */
    bool g = it->goid.raw.has != CCK_ABSENT, c = it->clean_goid.raw.has != CCK_ABSENT;
    if (!g && !c)
        cck_report(ctx, 44, "meeting has neither a GlobalObjectId nor a CleanGlobalObjectId");
    else if (!g)
        cck_report(ctx, 45, "meeting has a CleanGlobalObjectId but no GlobalObjectId");
    else if (!c)
        cck_report(ctx, 43, "meeting has a GlobalObjectId but no CleanGlobalObjectId");
}

/* ======================================================================
 * 0046-0048: ids shared with another item
 * ====================================================================== */

void cck_chk_goid_dups(const cck_item *it, cck_ctx *ctx);
void cck_chk_goid_dups(const cck_item *it, cck_ctx *ctx)
{
    cck_dupindex *d = cck_ctx_dups(ctx);
    if (!d)
        return;
    bool g = id_bytes(&it->goid), c = id_bytes(&it->clean_goid);
    /* An exception shares its clean id with its master: a stand-alone
     * exception (its GlobalObjectId has an instance date) is left out of the
     * clean-id comparison; its GlobalObjectId still counts. */
    if (it->is_exception || (g && cck_goid_has_instance_date(it->goid.raw.p, it->goid.raw.n)))
        c = false;
    size_t rg = g ? find_or_add(d, &d->goid, it, it->goid.raw.p, it->goid.raw.n, NULL) : NONE;
    size_t rc =
        c ? find_or_add(d, &d->clean, it, it->clean_goid.raw.p, it->clean_goid.raw.n, NULL) : NONE;
    char hex[128];
    if (rg != NONE && rc != NONE) {
        char where[4400];
        cck_other o = other_of(d, rg, where, sizeof where);
        cck_report_pair(ctx, 48, &o,
                        "GlobalObjectId %s and CleanGlobalObjectId are both those of an earlier "
                        "item \"%s\"",
                        hex_of(it->goid.raw.p, it->goid.raw.n, hex, sizeof hex),
                        o.subject ? o.subject : "");
    } else if (rg != NONE) {
        char where[4400];
        cck_other o = other_of(d, rg, where, sizeof where);
        cck_report_pair(ctx, 46, &o, "GlobalObjectId %s is that of an earlier item \"%s\"",
                        hex_of(it->goid.raw.p, it->goid.raw.n, hex, sizeof hex),
                        o.subject ? o.subject : "");
    } else if (rc != NONE) {
        char where[4400];
        cck_other o = other_of(d, rc, where, sizeof where);
        cck_report_pair(ctx, 47, &o, "CleanGlobalObjectId %s is that of an earlier item \"%s\"",
                        hex_of(it->clean_goid.raw.p, it->clean_goid.raw.n, hex, sizeof hex),
                        o.subject ? o.subject : "");
    }
}

/* ======================================================================
 * 0049: the same item twice
 * ====================================================================== */

/* The key: subject, organizer (case folded), location, recurring flag,
 * start and end, each with its presence, length-prefixed. */
typedef struct keybuf {
    uint8_t *p;
    size_t n, cap;
    bool oom;
    uint8_t local[512]; /* most keys fit: no allocation per item */
} keybuf;

/* Room for n more bytes; false when memory ran out. */
static bool kb_room(keybuf *k, size_t n)
{
    if (k->oom)
        return false;
    if (!k->p) {
        k->p = k->local;
        k->cap = sizeof k->local;
    }
    if (k->n + n <= k->cap)
        return true;
    size_t cap = k->cap;
    while (cap < k->n + n)
        cap *= 2;
    uint8_t *np = k->p == k->local ? malloc(cap) : realloc(k->p, cap);
    if (!np) {
        k->oom = true;
        return false;
    }
    if (k->p == k->local)
        memcpy(np, k->local, k->n);
    k->p = np;
    k->cap = cap;
    return true;
}

static void kb_put(keybuf *k, const void *p, size_t n)
{
    if (!kb_room(k, n))
        return;
    memcpy(k->p + k->n, p, n);
    k->n += n;
}

static void kb_free(keybuf *k)
{
    if (k->p != k->local)
        free(k->p);
}

static void kb_u64(keybuf *k, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    kb_put(k, b, 8);
}

static void kb_str(keybuf *k, const cck_fstr *f, bool fold)
{
    bool has = f->has == CCK_PRESENT && f->s;
    uint8_t tag = (uint8_t)f->has;
    kb_put(k, &tag, 1);
    kb_u64(k, has ? f->len : 0);
    if (!has)
        return;
    if (!fold) {
        kb_put(k, f->s, f->len);
        return;
    }
    if (!kb_room(k, f->len))
        return;
    for (size_t i = 0; i < f->len; i++)
        k->p[k->n++] = (uint8_t)cck_ascii_lower((unsigned char)f->s[i]);
}

/* The organizer's address: SMTP when known, else the email address. */
static const cck_fstr *organizer_of(const cck_item *it)
{
    if (it->sent_rep_smtp.has == CCK_PRESENT && it->sent_rep_smtp.len)
        return &it->sent_rep_smtp;
    return &it->sent_rep_email;
}

/* Builds the 0049 key of it into k; false when the item has none (an
 * exception, no start) or memory ran out. */
static bool same_key(const cck_item *it, keybuf *k)
{
    k->p = NULL;
    k->n = k->cap = 0;
    k->oom = false;
    if (it->is_exception || it->start.has != CCK_PRESENT)
        return false;
    kb_str(k, &it->subject, false);
    kb_str(k, organizer_of(it), true);
    kb_str(k, &it->location, false);
    uint8_t rec = (uint8_t)(it->recurring.has * 2 + (it->recurring.v ? 1 : 0));
    kb_put(k, &rec, 1);
    kb_u64(k, it->start.ft);
    uint8_t eh = (uint8_t)it->end.has;
    kb_put(k, &eh, 1);
    kb_u64(k, it->end.has == CCK_PRESENT ? it->end.ft : 0);
    return !k->oom;
}

/* The UID an item enters the 0400 table with, or NULL. Overrides share
 * their master's UID by design and are left out, as is the calendar item. */
static const cck_icsinfo *uid_info(const cck_item *it)
{
    const cck_icsinfo *x = it->ics;
    if (!x || x->calendar_item || x->is_override || it->is_exception || !x->uid_prop || !x->uid ||
        !x->uid_len)
        return NULL;
    return x;
}

/* Asks for the home slot of hash h to be loaded. A macro: GCC drops calls
 * of a static function whose only effect is a prefetch (it counts as pure). */
#if defined(__GNUC__)
#define PREFETCH_SLOT(t, h)                                                                        \
    do {                                                                                           \
        if ((t)->cap)                                                                              \
            __builtin_prefetch((t)->v + home((t), (uint32_t)((h) >> 32)), 0, 3);                   \
    } while (0)
#else
#define PREFETCH_SLOT(t, h) ((void)0)
#endif

void cck_dupindex_prefetch(cck_dupindex *d, const cck_item *it, bool same, bool uid)
{
    if (!d)
        return;
    d->pre_same = d->pre_uid = false;
    d->pre_item = NONE;
    if (!it || it->index == NONE)
        return;
    d->pre_item = it->index;
    keybuf k;
    k.p = NULL;
    if (same && same_key(it, &k)) {
        d->same_h = siphash(d->k0, d->k1, k.p, k.n, &d->same_h2);
        d->pre_same = true;
        PREFETCH_SLOT(&d->same, d->same_h);
    }
    kb_free(&k);
    const cck_icsinfo *x = uid ? uid_info(it) : NULL;
    if (x) {
        d->uid_h = siphash(d->k0, d->k1, (const uint8_t *)x->uid, x->uid_len, &d->uid_h2);
        d->pre_uid = true;
        PREFETCH_SLOT(&d->uid, d->uid_h);
    }
}

void cck_chk_duplicates(const cck_item *it, cck_ctx *ctx);
void cck_chk_duplicates(const cck_item *it, cck_ctx *ctx)
{
    cck_dupindex *d = cck_ctx_dups(ctx);
    if (!d)
        return;
    keybuf k;
    if (!same_key(it, &k)) {
        kb_free(&k);
        return;
    }
    uint64_t pre[2] = {d->same_h, d->same_h2};
    bool have = d->pre_same && d->pre_item == it->index && it->index != NONE;
    size_t r = find_or_add(d, &d->same, it, k.p, k.n, have ? pre : NULL);
    kb_free(&k);
    if (r == NONE)
        return;
    char where[4400];
    cck_other o = other_of(d, r, where, sizeof where);
    char b[CCK_WHEN_BUF];
    cck_report_pair(ctx, 49, &o,
                    "item \"%s\" starting %s repeats an earlier item (same subject, organizer, "
                    "location, recurrence, start and end)",
                    it->subject.has == CCK_PRESENT && it->subject.s ? it->subject.s : "",
                    cck_when(it->start.ft, b));
}

/* ======================================================================
 * 0400/0401: one UID on two items
 * ====================================================================== */

/* Up to 80 bytes of a UID for a message, control bytes as '?'. */
static const char *uid_text(const char *s, size_t n, char *buf, size_t cap)
{
    size_t take = n < cap - 4 ? n : cap - 4, k = 0;
    while (take < n && take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
        take--;
    for (size_t i = 0; i < take; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[k++] = c < 0x20 || c == 0x7F ? '?' : c == '"' ? '\'' : (char)c;
    }
    if (take < n) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = 0;
    return buf;
}

/* A master or single item whose UID an earlier one holds: 0401 when their
 * SEQUENCEs differ (one is an outdated copy), else 0400 (see uid_info). */
void cck_chk_ics_uid(const cck_item *it, cck_ctx *ctx);
void cck_chk_ics_uid(const cck_item *it, cck_ctx *ctx)
{
    const cck_icsinfo *x = uid_info(it);
    cck_dupindex *d = cck_ctx_dups(ctx);
    if (!d || !x)
        return;
    uint64_t pre[2] = {d->uid_h, d->uid_h2};
    bool have = d->pre_uid && d->pre_item == it->index && it->index != NONE;
    size_t r = find_or_add(d, &d->uid, it, x->uid, x->uid_len, have ? pre : NULL);
    if (r == NONE)
        return;
    char where[4400];
    cck_other o = other_of(d, r, where, sizeof where);
    int64_t mine = item_seq(it), theirs = d->recs[r].seq;
    const cck_ics_prop *p = x->uid_prop;
    char u[100];
    uid_text(x->uid, x->uid_len, u, sizeof u);
    if (mine == theirs)
        cck_report_pair(ctx, 400, &o, "line %u:%u: UID \"%s\" is also that of an earlier item",
                        p->line, p->col, u);
    else
        cck_report_pair(ctx, 401, &o,
                        "line %u:%u: UID \"%s\" with SEQUENCE %lld is also that of an earlier item "
                        "with SEQUENCE %lld: %s",
                        p->line, p->col, u, (long long)mine, (long long)theirs,
                        mine > theirs ? "this item is the newer, the earlier one is outdated"
                                      : "this item is the outdated copy");
}

/* ======================================================================
 * 0160-0163: the structure of the ids
 * ====================================================================== */

/* Reports the problems of severity `sev` of one id under check `id`. */
static void id_problems(const cck_fgoid *g, const char *name, cck_severity sev, int id,
                        cck_ctx *ctx)
{
    const cck_problem *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < g->problems.n; i++)
        if (g->problems.v[i].sev == sev && !n++)
            first = &g->problems.v[i];
    if (first)
        cck_report(ctx, id, "%s %s at byte %llu: %s%s", name,
                   sev == CCK_SEV_ERROR ? "is malformed" : "has a questionable field",
                   (unsigned long long)first->offset, first->text, n > 1 ? " (and more)" : "");
}

static void id_shape(const cck_fgoid *g, const char *name, int id, cck_ctx *ctx)
{
    if (g->raw.has == CCK_BADTYPE)
        cck_report(ctx, id, "%s is stored with a non-binary type", name);
    else if (g->raw.has == CCK_PRESENT && g->raw.n == 0)
        cck_report(ctx, id, "%s is present but empty (0 bytes)", name);
    else
        id_problems(g, name, CCK_SEV_ERROR, id, ctx);
}

void cck_chk_goid_format(const cck_item *it, cck_ctx *ctx);
void cck_chk_goid_format(const cck_item *it, cck_ctx *ctx)
{
    /* An iCalendar item's GlobalObjectId is its UID in hex: name the line. */
    char name[64] = "GlobalObjectId";
    if (it->ics && it->ics->uid_prop && it->goid.raw.has == CCK_PRESENT)
        snprintf(name, sizeof name, "line %u:%u: UID (a GlobalObjectId)", it->ics->uid_prop->line,
                 it->ics->uid_prop->col);
    id_shape(&it->goid, name, 160, ctx);
    id_shape(&it->clean_goid, "CleanGlobalObjectId", 161, ctx);
    id_problems(&it->goid, name, CCK_SEV_WARNING, 162, ctx);
    id_problems(&it->clean_goid, "CleanGlobalObjectId", CCK_SEV_WARNING, 162, ctx);

    /* 0163: the clean id is the id with the instance date zeroed. */
    if (!id_bytes(&it->goid) || !id_bytes(&it->clean_goid))
        return;
    const uint8_t *a = it->goid.raw.p, *b = it->clean_goid.raw.p;
    size_t na = it->goid.raw.n, nb = it->clean_goid.raw.n;
    if (na < 20 || nb < 20 || cck_goid_is_clean_of(a, na, b, nb))
        return; /* ids too short for an instance date are 0160/0161 */
    if (na != nb) {
        cck_report(ctx, 163, "CleanGlobalObjectId has %zu bytes, the GlobalObjectId %zu", nb, na);
        return;
    }
    if (nb >= 20 && (b[16] || b[17] || b[18] || b[19])) {
        cck_report(ctx, 163,
                   "CleanGlobalObjectId carries the instance date %u-%02u-%02u (must be zero)",
                   (unsigned)(b[16] << 8 | b[17]), b[18], b[19]);
        return;
    }
    size_t i = 0;
    while (i < na && (a[i] == b[i] || (i >= 16 && i < 20)))
        i++;
    cck_report(ctx, 163,
               "CleanGlobalObjectId differs from the GlobalObjectId at byte %zu (clean 0x%02X, "
               "id 0x%02X)",
               i, i < nb ? b[i] : 0, i < na ? a[i] : 0);
}

/* ======================================================================
 * Calendar level: 0060/0061 recurring-series limit, 0300 item count
 * ====================================================================== */

#define CCK_SERIES_WARN  1250
#define CCK_SERIES_LIMIT 1300
#define CCK_ITEMS_WARN   100000

void cck_cal_recur_limit(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);
void cck_cal_recur_limit(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx)
{
    (void)cal;
    if (t->recurring_series >= CCK_SERIES_LIMIT)
        cck_report(ctx, 61, "calendar holds %zu recurring series (the server limit is %d)",
                   t->recurring_series, CCK_SERIES_LIMIT);
    else if (t->recurring_series >= CCK_SERIES_WARN)
        cck_report(ctx, 60,
                   "calendar holds %zu recurring series (warning at %d, the server limit is %d)",
                   t->recurring_series, CCK_SERIES_WARN, CCK_SERIES_LIMIT);
}

void cck_cal_item_count(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx);
void cck_cal_item_count(const cck_totals *t, const cck_calendar *cal, cck_ctx *ctx)
{
    (void)cal;
    if (t->items > CCK_ITEMS_WARN)
        cck_report(ctx, 300, "calendar holds %zu items (more than %d)", t->items, CCK_ITEMS_WARN);
}
