/* ics.c - tolerant pull reader for iCalendar: content lines and unfolding (RFC 5545 §3.1),
 * parameters with quoted and multiple values (§3.2), TEXT escapes (§3.3.11), components and
 * their nesting (§3.4, §3.6). One logical line at a time is unfolded into a scratch buffer with
 * a map back to physical line:column; a line is only taken when it is complete, so chunked and
 * whole-buffer input give the same result. Defects become "ics.*" problems, never repairs.
 */
#include "ics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The byte scans take 16 bytes at a time with SSE2 (every x86-64) under GCC or Clang (for
 * their bit builtins); anywhere else, 8 at a time in a 64-bit word. */
#if defined(__SSE2__) && defined(__GNUC__)
#define ICS_SSE2 1
#include <emmintrin.h>
#else
#define ICS_SSE2 0
#endif

#include "../util/text.h"

/* Ceiling of the reader's own arena (VCALENDAR-level properties). */
#define CCK_ICS_CAL_ARENA_MAX ((size_t)64 << 20)

typedef struct seg { /* one non-empty physical piece of a logical line */
    size_t uoff;     /* offset in the unfolded line */
    uint64_t off;    /* byte offset in the input */
    uint32_t line, col;
} seg;

typedef struct lline { /* one logical (unfolded) line */
    const uint8_t *u;
    size_t ulen;
    uint32_t line, col; /* start */
    uint64_t off, end;  /* input range, terminators included */
    bool lead_ws;       /* began with SP/HTAB: nothing to continue */
    bool after_empty;   /* ...and the previous line was empty */
    bool truncated;     /* cut at CCK_ICS_LINE_MAX / CCK_ICS_FOLDS_MAX */
    uint32_t long_line; /* first physical line over 75 octets, 0 if none */
    size_t long_len;
    uint32_t lf_line; /* first LF-only terminator, 0 if none */
    uint32_t cr_line; /* first bare-CR terminator, 0 if none */
    bool clean;       /* every byte of u is printable ASCII (0x20-0x7E): nothing to check */
    bool backslash;   /* u may hold a backslash (false: it surely does not) */
} lline;

typedef struct span {
    size_t s, n;
} span;

typedef struct pdesc {
    size_t name_s, name_n, v0, nv;
    bool quoted;
    uint32_t line, col;
} pdesc;

struct cck_ics_reader {
    const uint8_t *buf; /* whole mode: borrowed; stream mode: == own */
    size_t len, pos;
    uint8_t *own;
    size_t cap;
    bool stream, final;
    uint64_t base;   /* input offset of buf[0] */
    uint32_t line;   /* physical line of buf[pos], 1-based */
    size_t need;     /* stream: retry only once len >= need */
    int skip;        /* skipping the rest of a cut line: 1 content, 2 after CR, 3 after EOL */
    bool prev_empty; /* the previous logical line was empty */

    uint8_t *u; /* scratch unfolded line */
    size_t ucap;
    seg *segs;
    size_t nsegs, segcap;
    span *vals;
    size_t nvals, valcap;
    pdesc *pds;
    size_t npds, pdcap;

    cck_problems *calpr;
    cck_arena *cal_arena;
    cck_ics_comp cal;
    cck_ics_prop *cal_tail;
    bool cal_dropped_reported, cal_long_reported, ending_reported, cr_reported;
    bool bom_checked; /* the start of the input was looked at for a UTF-8 byte-order mark */
    unsigned ncal;
    bool in_cal;

    /* the top-level component being built (lives in the caller's arena) */
    cck_ics_comp *stack[CCK_ICS_DEPTH_MAX];
    cck_ics_prop *tail[CCK_ICS_DEPTH_MAX];
    cck_ics_comp *ctail[CCK_ICS_DEPTH_MAX];
    unsigned depth, over; /* open components; BEGINs over the limit still open */
    size_t nprops, ncomps;
    bool long_reported, nest_reported, props_reported, comps_reported;
};

/* ---- problems ----------------------------------------------------------------------------- */

static void report(cck_problems *pr, cck_severity sev, const char *code, uint32_t line,
                   uint32_t col, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* A bounded text being built: at most cap - 1 bytes, then a NUL (as snprintf cuts). */
typedef struct text {
    char *s;
    size_t n, cap;
} text;

static void put_bytes(text *t, const char *s, size_t n)
{
    size_t room = t->cap - 1 - t->n;
    if (n > room)
        n = room;
    memcpy(t->s + t->n, s, n);
    t->n += n;
}

static void put_dec(text *t, bool neg, uint64_t v)
{
    char d[21];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        d[--i] = '-';
    put_bytes(t, d + i, sizeof d - i);
}

/* vsnprintf(out, cap, fmt, ap) for the conversions the messages here use (%s %d %u %zu %%):
 * some files have a problem in every component, and the general one costs several times
 * more. Anything else goes to vsnprintf, so the text is always what it would make. */
static void format_msg(char *out, size_t cap, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    text t = {out, 0, cap};
    for (const char *f = fmt; *f;) {
        const char *pct = strchr(f, '%');
        if (!pct) {
            put_bytes(&t, f, strlen(f));
            break;
        }
        put_bytes(&t, f, (size_t)(pct - f));
        f = pct + 1;
        if (*f == 's') {
            const char *a = va_arg(ap, const char *);
            if (!a)
                a = "(null)";
            put_bytes(&t, a, strlen(a));
            f++;
        } else if (*f == 'd') {
            int v = va_arg(ap, int);
            put_dec(&t, v < 0, v < 0 ? 0u - (unsigned)v : (unsigned)v);
            f++;
        } else if (*f == 'u') {
            put_dec(&t, false, va_arg(ap, unsigned));
            f++;
        } else if (f[0] == 'z' && f[1] == 'u') {
            put_dec(&t, false, va_arg(ap, size_t));
            f += 2;
        } else if (*f == '%') {
            put_bytes(&t, "%", 1);
            f++;
        } else {
            vsnprintf(out, cap, fmt, again);
            va_end(again);
            return;
        }
    }
    out[t.n] = 0;
    va_end(again);
}

/* The problem text is "line L:C: " and the message cut to 399 bytes, as if the message had
 * gone through a 400-byte buffer first; it is formatted once, straight after the prefix. */
static void vreport(cck_problems *pr, cck_severity sev, const char *code, uint32_t line,
                    uint32_t col, uint64_t off, const char *fmt, va_list ap)
{
    char buf[32 + 400]; /* "line 4294967295:4294967295: " is 28 bytes */
    text t = {buf, 0, 32};
    put_bytes(&t, "line ", 5);
    put_dec(&t, false, line);
    put_bytes(&t, ":", 1);
    put_dec(&t, false, col);
    put_bytes(&t, ": ", 2);
    format_msg(buf + t.n, 400, fmt, ap);
    cck_problems_add(pr, sev, code, off, "%s", buf);
}

static void report(cck_problems *pr, cck_severity sev, const char *code, uint32_t line,
                   uint32_t col, uint64_t off, const char *fmt, ...)
{
    if (!pr)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport(pr, sev, code, line, col, off, fmt, ap);
    va_end(ap);
}

/* Quotes up to `max` bytes of s for a problem text: printable ASCII as is, the rest as \xNN. */
static const char *quote(char *out, size_t outsz, const uint8_t *s, size_t n, size_t max)
{
    size_t o = 0;
    for (size_t i = 0; i < n && i < max && o + 5 < outsz; i++) {
        uint8_t c = s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out[o++] = (char)c;
        } else if (c == '\\' || c == '"') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else
            o += (size_t)snprintf(out + o, outsz - o, "\\x%02X", c);
    }
    if (n > max && o + 4 < outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = 0;
    return out;
}

/* ---- interned names (CCK_ICS_NAMES) ---------------------------------------------------------- */

static const struct {
    const char *s;
    uint8_t n;
} known_names[CCK_ICSN_COUNT] = {{"", 0},
#define KNOWN_NAME_(id, str) {str, (uint8_t)(sizeof str - 1)},
                                 CCK_ICS_NAMES(KNOWN_NAME_)
#undef KNOWN_NAME_
};

/* An open-addressed table from a hash of a name to its id (0: empty), filled
 * once. The hash looks at the length and three bytes only: it is computed for
 * every property and parameter, and the listed names differ there; colliding
 * names take the next free slot and a lookup walks on to an empty one. */
#define NAME_SLOTS   512u
#define NAME_LONGEST 16u /* "PERCENT-COMPLETE"; longer names are never listed */
static uint8_t name_slot[NAME_SLOTS];
static pthread_once_t name_once = PTHREAD_ONCE_INIT;
_Static_assert(CCK_ICSN_COUNT < 256 && CCK_ICSN_COUNT < NAME_SLOTS / 2,
               "name ids are bytes, and the table stays at most half full");

static inline unsigned name_hash(const uint8_t *s, size_t n)
{
    return ((unsigned)n * 31u + s[0] * 7u + s[n / 2] * 3u + s[n - 1]) & (NAME_SLOTS - 1);
}

static void names_init(void)
{
    for (unsigned id = 1; id < CCK_ICSN_COUNT; id++) {
        unsigned h = name_hash((const uint8_t *)known_names[id].s, known_names[id].n);
        while (name_slot[h])
            h = (h + 1) & (NAME_SLOTS - 1);
        name_slot[h] = (uint8_t)id;
    }
}

/* The id of upper-cased s[0, n); names_init() has run (every reader runs it). */
static inline uint16_t name_lookup(const char *s, size_t n)
{
    if (n == 0 || n > NAME_LONGEST)
        return CCK_ICSN_OTHER;
    const uint8_t *u = (const uint8_t *)s;
    for (unsigned h = name_hash(u, n), id; (id = name_slot[h]) != 0;
         h = (h + 1) & (NAME_SLOTS - 1)) {
        if (known_names[id].n != n)
            continue;
        size_t i = 0;
        while (i < n && (uint8_t)known_names[id].s[i] == u[i])
            i++;
        if (i == n)
            return (uint16_t)id;
    }
    return CCK_ICSN_OTHER;
}

cck_ics_name cck_ics_name_id(const char *name, size_t n)
{
    (void)pthread_once(&name_once, names_init);
    return name ? (cck_ics_name)name_lookup(name, n) : CCK_ICSN_OTHER;
}

const char *cck_ics_name_str(cck_ics_name id)
{
    return (unsigned)id < CCK_ICSN_COUNT ? known_names[id].s : "";
}

/* ---- input ------------------------------------------------------------------------------- */

static cck_ics_reader *reader_new(cck_problems *calpr)
{
    (void)pthread_once(&name_once, names_init);
    cck_ics_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->cal_arena = cck_arena_new(CCK_ICS_CAL_ARENA_MAX);
    if (!r->cal_arena) {
        free(r);
        return NULL;
    }
    r->calpr = calpr;
    r->line = 1;
    r->cal.name = r->cal.name_raw = "VCALENDAR";
    return r;
}

cck_ics_reader *cck_ics_open(const uint8_t *data, size_t len, cck_problems *calendar_problems)
{
    cck_ics_reader *r = reader_new(calendar_problems);
    if (!r)
        return NULL;
    r->buf = data ? data : (const uint8_t *)"";
    r->len = data ? len : 0;
    r->final = true;
    return r;
}

cck_ics_reader *cck_ics_open_slice(const uint8_t *data, size_t len, cck_problems *calendar_problems,
                                   uint32_t first_line, uint64_t base_off)
{
    cck_ics_reader *r = cck_ics_open(data, len, calendar_problems);
    if (!r)
        return NULL;
    r->line = first_line ? first_line : 1;
    r->base = base_off;
    r->in_cal = true; /* the scan found the piece inside a VCALENDAR */
    r->ncal = 1;
    return r;
}

cck_ics_reader *cck_ics_open_stream(cck_problems *calendar_problems)
{
    cck_ics_reader *r = reader_new(calendar_problems);
    if (!r)
        return NULL;
    r->stream = true;
    r->buf = (const uint8_t *)"";
    return r;
}

int cck_ics_feed(cck_ics_reader *r, const uint8_t *data, size_t len)
{
    if (!r || !r->stream || r->final)
        return -1;
    if (r->pos > 0) { /* drop what was consumed; nothing returned points into the buffer */
        memmove(r->own, r->own + r->pos, r->len - r->pos);
        r->base += r->pos;
        r->len -= r->pos;
        if (r->need >= r->pos)
            r->need -= r->pos;
        r->pos = 0;
    }
    if (len > r->cap - r->len) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap - r->len < len) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        uint8_t *p = realloc(r->own, cap);
        if (!p)
            return -1;
        r->own = p;
        r->cap = cap;
    }
    if (len)
        memcpy(r->own + r->len, data, len);
    r->len += len;
    r->buf = r->own ? r->own : (const uint8_t *)"";
    return 0;
}

void cck_ics_finish(cck_ics_reader *r)
{
    if (r)
        r->final = true;
}

void cck_ics_close(cck_ics_reader *r)
{
    if (!r)
        return;
    free(r->own);
    free(r->u);
    free(r->segs);
    free(r->vals);
    free(r->pds);
    cck_arena_free(r->cal_arena);
    free(r);
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* ---- byte scanning ---------------------------------------------------------------------------
 * Every byte of the input goes through line_end(), and names, parameter values and escapes are
 * looked at again: these loops are much of the time spent. They take 16 bytes at a time (SSE2)
 * or 8 (a 64-bit word), then finish byte by byte; each gives exactly what its plain byte loop
 * would. */

static inline uint8_t upper(uint8_t c)
{
    return (uint8_t)(c - ((unsigned)(c - 'a') < 26 ? 32 : 0));
}

/* Byte classes for the byte loops: NM a name character (ALPHA, DIGIT, "-"; RFC 5545 3.1),
 * VS a byte that ends an unquoted parameter value (",", ";", ":"), QT the DQUOTE. */
enum { NM = 1, VS = 2, QT = 4 };
static const uint8_t byte_class[256] = {
    [0x20] = 0,  0,  QT, 0,  0,  0,  0,  0,  0,  0,  0,  0,  VS, NM, 0,  0,  /*  !"#$%&'()*+,-./ */
    [0x30] = NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, VS, VS, 0,  0,  0,  0,  /* 0-9 :;<=>? */
    [0x40] = 0,  NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, /* @A-O */
    [0x50] = NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, 0,  0,  0,  0,  0,  /* P-Z[\]^_ */
    [0x60] = 0,  NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, /* `a-o */
    [0x70] = NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, NM, 0,  0,  0,  0,  0,  /* p-z{|}~ DEL */
};

/* Eight bytes in a word. The tests flag a byte by its high bit. */
#define ONES8  0x0101010101010101u
#define HIGHS8 0x8080808080808080u

static inline uint64_t load8(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline void store8(char *p, uint64_t w)
{
    memcpy(p, &w, 8);
}

/* Flags the bytes of w outside printable ASCII 0x20-0x7E. A borrow can flag a byte above a
 * true hit, never without one: the lowest flag is exact, and so is "none". */
static inline uint64_t non_printable8(uint64_t w)
{
    uint64_t del = w ^ (0x7F * ONES8);
    return (((w - 0x20 * ONES8) | w) | ((del - ONES8) & ~del)) & HIGHS8;
}

/* Flags the bytes of w equal to c (same caveat). */
static inline uint64_t has_byte8(uint64_t w, uint8_t c)
{
    uint64_t x = w ^ (c * ONES8);
    return (x - ONES8) & ~x & HIGHS8;
}

/* w with its lower-case ASCII letters upper-cased. Exact for every byte: the sums only see the
 * low seven bits, and bytes with the high bit set are left alone. */
static inline uint64_t upper8(uint64_t w)
{
    uint64_t x = w & ~HIGHS8;
    uint64_t lower = (x + (0x80 - 'a') * ONES8) & ~(x + (0x7F - 'z') * ONES8) & ~w & HIGHS8;
    return w - (lower >> 2); /* 0x80 >> 2 is the 0x20 between the cases */
}

/* How many bytes of a word to skip before the first flagged one of a non-zero mask above. On
 * a little-endian machine the lowest flag is the first byte and exact; elsewhere skip none and
 * let the byte loop that always follows find it. */
static inline size_t skip8(uint64_t m)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(m) >> 3;
#else
    (void)m;
    return 0;
#endif
}

#if ICS_SSE2
/* Sixteen bytes in a vector. The tests return a mask, bit i for byte i; signed compares see
 * the bytes from 0x80 as negative, below every ASCII range tested. */
static inline __m128i load16(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline void store16(char *p, __m128i v)
{
    _mm_storeu_si128((__m128i *)(void *)p, v);
}

static inline unsigned mask16(__m128i flags)
{
    return (unsigned)_mm_movemask_epi8(flags);
}

static inline __m128i eq16(__m128i v, char c)
{
    return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
}

/* Flags the bytes of v in [lo, hi] (both below 0x7F). */
static inline __m128i in16(__m128i v, char lo, char hi)
{
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)(lo - 1))),
                         _mm_cmpgt_epi8(_mm_set1_epi8((char)(hi + 1)), v));
}

static inline __m128i upper16(__m128i v)
{
    return _mm_sub_epi8(v, _mm_and_si128(in16(v, 'a', 'z'), _mm_set1_epi8(0x20)));
}

static inline unsigned non_name16(__m128i v)
{
    __m128i letter = in16(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
    __m128i name = _mm_or_si128(_mm_or_si128(letter, in16(v, '0', '9')), eq16(v, '-'));
    return ~mask16(name) & 0xFFFF;
}
#endif

static size_t line_end_rest(const uint8_t *b, size_t p, size_t n, lline *l);

/* The first CR or LF in b[s, n), or n. One pass that also notes what the later checks need:
 * it clears l->clean when a byte before it is not printable ASCII (a control character, DEL
 * or part of a UTF-8 sequence), so that check_line() only looks at lines with such bytes, and
 * sets l->backslash when there may be a backslash (the TEXT escape check). Both err on the
 * safe side only: bytes past the end in the same vector or word can clear or set them too.
 * The vector loop is inline; what it leaves, and lines with such bytes, go to the rest. */
static inline size_t line_end(const uint8_t *b, size_t s, size_t n, lline *l)
{
    size_t p = s;
#if ICS_SSE2
    unsigned bs = 0;
    for (; p + 16 <= n; p += 16) {
        __m128i v = load16(b + p);
        unsigned m = mask16(_mm_or_si128(_mm_cmpgt_epi8(_mm_set1_epi8(0x20), v), eq16(v, 0x7F)));
        bs |= mask16(eq16(v, '\\'));
        if (m) {
            p += (size_t)__builtin_ctz(m);
            if (bs)
                l->backslash = true;
            if (b[p] == '\r' || b[p] == '\n')
                return p;
            break;
        }
    }
    if (bs)
        l->backslash = true;
#endif
    return line_end_rest(b, p, n, l);
}

static size_t line_end_rest(const uint8_t *b, size_t p, size_t n, lline *l)
{
    uint64_t bs = 0;
    while (p + 8 <= n) {
        uint64_t w = load8(b + p), m = non_printable8(w);
        bs |= has_byte8(w, '\\');
        if (m) {
            p += skip8(m);
            break;
        }
        p += 8;
    }
    if (bs)
        l->backslash = true;
    for (; p < n && b[p] >= 0x20 && b[p] < 0x7f; p++)
        if (b[p] == '\\')
            l->backslash = true;
    if (p >= n || b[p] == '\r' || b[p] == '\n')
        return p;
    l->clean = false;
    l->backslash = true; /* not looked for past here */
    return cck_ics_line_break(b, p + 1, n);
}

size_t cck_ics_line_break(const uint8_t *b, size_t p, size_t n)
{
#if ICS_SSE2
    for (; p + 16 <= n; p += 16) {
        __m128i v = load16(b + p);
        unsigned m = mask16(_mm_or_si128(eq16(v, '\r'), eq16(v, '\n')));
        if (m)
            return p + (size_t)__builtin_ctz(m);
    }
#endif
    while (p + 8 <= n) {
        uint64_t w = load8(b + p), m = has_byte8(w, '\r') | has_byte8(w, '\n');
        if (m) {
            p += skip8(m);
            break;
        }
        p += 8;
    }
    while (p < n && b[p] != '\r' && b[p] != '\n')
        p++;
    return p;
}

uint64_t cck_ics_break_mask64(const uint8_t *b, size_t at, size_t n)
{
    uint64_t m = 0;
    if (at > n)
        return 0;
#if ICS_SSE2
    if (n - at >= 64) {
        for (int k = 3; k >= 0; k--) {
            __m128i v = load16(b + at + 16 * (size_t)k);
            m = m << 16 | mask16(_mm_or_si128(eq16(v, '\r'), eq16(v, '\n')));
        }
        return m;
    }
#endif
    size_t lim = n - at < 64 ? n - at : 64;
    for (size_t i = 0; i < lim; i++)
        if (b[at + i] == '\r' || b[at + i] == '\n')
            m |= (uint64_t)1 << i;
    return m;
}

/* The first c in u[i, n), or n. The ranges searched are short (a parameter list or value, a
 * property value): this beats a call of memchr. */
static size_t find_byte(const uint8_t *u, size_t i, size_t n, uint8_t c)
{
#if ICS_SSE2
    for (; i + 16 <= n; i += 16) {
        unsigned m = mask16(eq16(load16(u + i), (char)c));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i + 8 <= n) {
        uint64_t m = has_byte8(load8(u + i), c);
        if (m) {
            i += skip8(m);
            break;
        }
        i += 8;
    }
    while (i < n && u[i] != c)
        i++;
    return i < n ? i : n;
}

/* Where the name characters from u[i] stop. */
static inline size_t scan_name(const uint8_t *u, size_t i, size_t n)
{
#if ICS_SSE2
    for (; i + 16 <= n; i += 16) {
        unsigned m = non_name16(load16(u + i));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < n && (byte_class[u[i]] & NM))
        i++;
    return i;
}

/* Where the unquoted parameter value from u[i] ends (",", ";", ":" or n); sets *quote_in when
 * it holds a DQUOTE. */
static inline size_t param_value_end(const uint8_t *u, size_t i, size_t n, bool *quote_in)
{
#if ICS_SSE2
    for (; i + 16 <= n; i += 16) {
        __m128i v = load16(u + i);
        unsigned stop =
            mask16(_mm_or_si128(_mm_or_si128(eq16(v, ','), eq16(v, ';')), eq16(v, ':')));
        unsigned quote = mask16(eq16(v, '"'));
        if (stop) {
            unsigned k = (unsigned)__builtin_ctz(stop);
            if (quote & ((1u << k) - 1))
                *quote_in = true;
            return i + k;
        }
        if (quote)
            *quote_in = true;
    }
#endif
    uint8_t seen = 0;
    while (i < n && !(byte_class[u[i]] & VS))
        seen |= byte_class[u[i++]];
    if (seen & QT)
        *quote_in = true;
    return i;
}

/* Copying the short strings of every line (names, parameter values) by whole vectors or words
 * instead of calls of memcpy: the caller says how far past the string may be read (`readable`
 * bytes from s) and written (up to `end`), and the last vector or word runs past the string
 * into memory that is written afterwards or never read (arena padding). */

/* d gets the n bytes at s and a NUL. */
static void copy_str(char *d, const uint8_t *s, size_t n, size_t readable, const char *end)
{
    size_t w = (n + 7) & ~(size_t)7;
    if (n <= 64 && w <= readable && w <= (size_t)(end - d)) {
        for (size_t k = 0; k < w; k += 8)
            store8(d + k, load8(s + k));
    } else {
        memcpy(d, s, n);
    }
    d[n] = 0;
}

static void copy_names_words(char *raw, char *up, const uint8_t *s, size_t n, size_t readable,
                             const char *end)
{
    size_t w = (n + 7) & ~(size_t)7;
    if (w <= readable && w <= (size_t)(end - up)) {
        for (size_t k = 0; k < w; k += 8)
            store8(raw + k, load8(s + k));
        raw[n] = 0; /* the last word wrote past it */
        for (size_t k = 0; k < w; k += 8)
            store8(up + k, upper8(load8(s + k)));
        up[n] = 0;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        raw[i] = (char)s[i];
        up[i] = (char)upper(s[i]);
    }
    raw[n] = up[n] = 0;
}

/* raw gets the n-byte name s and a NUL, then up (after raw: its copy may overwrite what runs
 * past raw's) the same upper-cased. */
static inline void copy_names(char *raw, char *up, const uint8_t *s, size_t n, size_t readable,
                              const char *end)
{
#if ICS_SSE2
    size_t w = (n + 15) & ~(size_t)15;
    if (w <= readable && w <= (size_t)(end - up)) {
        for (size_t k = 0; k < w; k += 16)
            store16(raw + k, load16(s + k));
        raw[n] = 0;
        for (size_t k = 0; k < w; k += 16)
            store16(up + k, upper16(load16(s + k)));
        up[n] = 0;
        return;
    }
#endif
    copy_names_words(raw, up, s, n, readable, end);
}

/* Skips the rest of a cut logical line. Returns true when done, false when input ran out. */
static bool skip_rest(cck_ics_reader *r)
{
    const uint8_t *b = r->buf;
    size_t p = r->pos, n = r->len;
    while (p < n) {
        uint8_t c = b[p];
        if (r->skip == 1) {
            const uint8_t *q = b + p;
            while (q < b + n && *q != '\r' && *q != '\n')
                q++;
            p = (size_t)(q - b);
            if (p < n) {
                r->skip = b[p] == '\r' ? 2 : 3;
                p++;
            }
        } else if (r->skip == 2) {
            if (c == '\n')
                p++;
            r->skip = 3;
        } else {
            r->line++;
            if (c == ' ' || c == '\t') {
                r->skip = 1;
                p++;
            } else {
                r->skip = 0;
                r->pos = p;
                return true;
            }
        }
    }
    r->pos = p;
    if (!r->final)
        return false;
    if (r->skip >= 2)
        r->line++;
    r->skip = 0;
    return true;
}

/* Reads one logical line: 1 done, 0 end of input, CCK_ICS_MORE when incomplete (nothing
 * consumed). Lines are cut at limits decided by the content alone, so any chunking agrees. */
static int read_line(cck_ics_reader *r, lline *l)
{
    if (r->skip && !skip_rest(r))
        return CCK_ICS_MORE;
    const uint8_t *b = r->buf;
    size_t n = r->len, p = r->pos;
    if (p >= n)
        return r->final ? 0 : CCK_ICS_MORE;
    if (r->stream && !r->final && n < r->need)
        return CCK_ICS_MORE;
    *l = (lline){.clean = true, .col = 1};
    size_t e0 = SIZE_MAX; /* where the first piece ends, once looked for */
    if (b[p] != ' ' && b[p] != '\t') {
        e0 = line_end(b, p, n, l);
        size_t e = e0;
        /* The common case: a whole line in one piece that ends with CRLF, not followed by a
         * continuation (the byte after the CRLF is there and is not SP/HTAB), within the
         * limits. Anything else takes the general path below, which gives the same here. */
        if (e > p && e + 2 < n && b[e] == '\r' && b[e + 1] == '\n' && b[e + 2] != ' ' &&
            b[e + 2] != '\t' && e - p <= CCK_ICS_LINE_MAX && r->segcap) {
            r->segs[0] = (seg){0, r->base + p, r->line, 1};
            r->nsegs = 1;
            l->u = b + p;
            l->ulen = e - p;
            l->line = r->line;
            l->off = r->base + p;
            l->end = r->base + e + 2;
            if (e - p > CCK_ICS_FOLD_COLUMN) {
                l->long_line = r->line;
                l->long_len = e - p;
            }
            r->pos = e + 2;
            r->line++;
            r->need = 0;
            return 1;
        }
    }
    r->nsegs = 0;
    size_t ulen = 0, nfolds = 0;
    const uint8_t *direct = NULL; /* the line's only piece, in the input */
    uint32_t line = r->line, col0 = 1;
    size_t phys = p; /* start of the current physical line */
    if (b[p] == ' ' || b[p] == '\t') {
        l->lead_ws = true;
        l->after_empty = r->prev_empty;
        p++;
        col0 = 2;
    }
    l->col = col0;
    for (;;) {
        size_t s = p, term;
        size_t e = e0 != SIZE_MAX ? e0 : line_end(b, s, n, l);
        e0 = SIZE_MAX;
        bool cr = e < n && b[e] == '\r', lf = e < n && b[e] == '\n';
        /* cut at the content limits first: they do not depend on where input ends */
        size_t room = CCK_ICS_LINE_MAX - ulen;
        bool cut = false;
        if (e - s > room) {
            e = s + room;
            cut = true;
        }
        if (e > s && r->nsegs >= CCK_ICS_FOLDS_MAX) {
            e = s;
            cut = true;
        }
        if (!cut) {
            if (cr) {
                if (e + 1 < n)
                    term = b[e + 1] == '\n' ? 2 : 1;
                else if (r->final)
                    term = 1;
                else
                    goto more;
                if (term == 1 && !l->cr_line)
                    l->cr_line = line;
            } else if (lf) {
                term = 1;
                if (!l->lf_line)
                    l->lf_line = line;
            } else {
                if (!r->final)
                    goto more;
                term = 0;
            }
        } else {
            term = 0;
        }
        if (e > s) {
            /* a one-piece line is used in place; folded ones are copied together */
            bool first = r->nsegs == 0;
            if (!grow((void **)&r->segs, &r->segcap, r->nsegs + 1, sizeof *r->segs) ||
                (!first && !grow((void **)&r->u, &r->ucap, ulen + (e - s) + 1, 1))) {
                /* out of memory: take what we have as a cut line */
                e = s;
                cut = true;
                term = 0;
            } else {
                r->segs[r->nsegs++] = (seg){ulen, r->base + s, line, col0};
                if (first) {
                    direct = b + s;
                } else {
                    if (direct)
                        memcpy(r->u, direct, ulen);
                    direct = NULL;
                    memcpy(r->u + ulen, b + s, e - s);
                }
                ulen += e - s;
            }
        }
        if (!l->long_line && (cut ? 0 : e - phys) > CCK_ICS_FOLD_COLUMN) {
            l->long_line = line;
            l->long_len = e - phys;
        }
        if (cut) {
            l->truncated = true;
            r->skip = 1;
            p = e;
            break;
        }
        if (term == 0) {
            p = n;
            break;
        }
        size_t nx = e + term;
        if (nx >= n) {
            if (!r->final)
                goto more;
            p = nx;
            line++;
            break;
        }
        bool empty_first = ulen == 0 && nfolds == 0 && !l->lead_ws;
        if ((b[nx] == ' ' || b[nx] == '\t') && !empty_first) {
            if (++nfolds > CCK_ICS_FOLDS_MAX) { /* endless empty continuations */
                l->truncated = true;
                r->skip = 1;
                p = nx + 1;
                line++;
                break;
            }
            line++;
            phys = nx;
            p = nx + 1;
            col0 = 2;
            continue;
        }
        p = nx;
        line++;
        break;
    }
    l->u = direct ? direct : r->u ? r->u : (const uint8_t *)"";
    l->ulen = ulen;
    l->line = r->line;
    l->off = r->base + r->pos;
    l->end = r->base + p;
    r->pos = p;
    r->line = line;
    r->need = 0;
    if (!direct && r->u)
        r->u[ulen] = 0;
    return 1;
more:
    r->need = n + (n - r->pos) + 1; /* wait for the pending part to double: linear overall */
    return CCK_ICS_MORE;
}

/* Input position of byte `uoff` of the current logical line. */
static inline void where(const cck_ics_reader *r, const lline *l, size_t uoff, uint32_t *line,
                         uint32_t *col, uint64_t *off)
{
    if (!r->nsegs) {
        *line = l->line;
        *col = l->col;
        *off = l->off;
        return;
    }
    size_t k = 0;
    while (k + 1 < r->nsegs && r->segs[k + 1].uoff <= uoff) /* most lines have one piece */
        k++;
    const seg *s = &r->segs[k];
    *line = s->line;
    *col = s->col + (uint32_t)(uoff - s->uoff);
    *off = s->off + (uoff - s->uoff);
}

static void report_at(const cck_ics_reader *r, const lline *l, cck_problems *pr, size_t uoff,
                      cck_severity sev, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void report_at(const cck_ics_reader *r, const lline *l, cck_problems *pr, size_t uoff,
                      cck_severity sev, const char *code, const char *fmt, ...)
{
    if (!pr)
        return;
    uint32_t line, col;
    uint64_t off;
    where(r, l, uoff, &line, &col, &off);
    va_list ap;
    va_start(ap, fmt);
    vreport(pr, sev, code, line, col, off, fmt, ap);
    va_end(ap);
}

/* ---- line-level checks ------------------------------------------------------------------ */

static void check_line(cck_ics_reader *r, const lline *l, cck_problems *pr, bool *long_flag)
{
    char q[64];
    if (l->lead_ws)
        report(pr, CCK_SEV_WARNING, "ics.bad_fold", l->line, 1, l->off,
               "continuation line %s: nothing to continue (RFC 5545 3.1)",
               l->line == 1 ? "at the start of the file" : "after an empty line");
    if (l->long_line && !*long_flag) {
        *long_flag = true;
        report(pr, CCK_SEV_INFO, "ics.long_line", l->long_line, 1, l->off,
               "line is %zu octets long; RFC 5545 3.1 says lines SHOULD be folded at %d",
               l->long_len, CCK_ICS_FOLD_COLUMN);
    }
    if (l->lf_line && !r->ending_reported) {
        r->ending_reported = true;
        report(r->calpr, CCK_SEV_INFO, "ics.line_ending", l->lf_line, 1, l->off,
               "line ends with LF only, not CRLF (RFC 5545 3.1); first of possibly many");
    }
    if (l->cr_line && !r->cr_reported) {
        r->cr_reported = true;
        report(r->calpr, CCK_SEV_INFO, "ics.line_ending", l->cr_line, 1, l->off,
               "line ends with CR only, not CRLF (RFC 5545 3.1); first of possibly many");
    }
    if (l->truncated)
        report(pr, CCK_SEV_ERROR, "ics.line_too_long", l->line, l->col, l->off,
               "content line longer than %zu bytes or %d folds; the rest is skipped",
               CCK_ICS_LINE_MAX, CCK_ICS_FOLDS_MAX);
    if (l->clean)
        return;
    const uint8_t *u = l->u;
    size_t n = l->ulen, nctl = 0, nbad = 0, ctl_at = 0, bad_at = 0;
    size_t k = 1; /* next segment whose start may fall inside a sequence */
    bool fold_reported = false;
    for (size_t i = 0; i < n;) {
        if (i + 8 <= n && !non_printable8(load8(u + i))) { /* eight printable bytes at once */
            i += 8;
            continue;
        }
        uint8_t c = u[i];
        if (c >= 0x20 && c < 0x7f) {
            i++;
            continue;
        }
        if (c < 0x80) {
            if (c != '\t' && !nctl++)
                ctl_at = i;
            i++;
            continue;
        }
        size_t len = cck_utf8_seq_len(u + i, n - i);
        if (!len) {
            if (!nbad++)
                bad_at = i;
            i++;
            continue;
        }
        while (k < r->nsegs && r->segs[k].uoff <= i)
            k++;
        if (k < r->nsegs && r->segs[k].uoff < i + len && !fold_reported) {
            fold_reported = true;
            report_at(r, l, pr, i, CCK_SEV_WARNING, "ics.fold_utf8",
                      "line folded inside the UTF-8 sequence \"%s\" (RFC 5545 3.1)",
                      quote(q, sizeof q, u + i, len, 4));
        }
        i += len;
    }
    if (nctl)
        report_at(r, l, pr, ctl_at, CCK_SEV_WARNING, "ics.control_char",
                  "control character \"%s\" in a content line (%zu in this line)",
                  quote(q, sizeof q, u + ctl_at, 1, 1), nctl);
    if (nbad) {
        size_t m = 1;
        while (m < 4 && bad_at + m < n && u[bad_at + m] >= 0x80)
            m++;
        report_at(r, l, pr, bad_at, CCK_SEV_ERROR, "ics.bad_utf8",
                  "invalid UTF-8 \"%s\" (%zu bad bytes in this line)",
                  quote(q, sizeof q, u + bad_at, m, 4), nbad);
    }
}

/* ---- content line parsing (RFC 5545 3.1, 3.2) -------------------------------------------- */

static char *upper_dup(cck_arena *a, const uint8_t *s, size_t n)
{
    char *d = cck_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++)
        d[i] = (char)upper(s[i]);
    return d;
}

/* !strcmp(a, b) for the short names compared here, without a call. */
static inline bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* Properties whose default value type is TEXT (RFC 5545 3.8) and a few common X- ones. */
static bool text_prop(const cck_ics_prop *p)
{
    switch (p->id) {
    case CCK_ICSN_COMMENT:
    case CCK_ICSN_CATEGORIES:
    case CCK_ICSN_CONTACT:
    case CCK_ICSN_DESCRIPTION:
    case CCK_ICSN_LOCATION:
    case CCK_ICSN_RESOURCES:
    case CCK_ICSN_RELATED_TO:
    case CCK_ICSN_SUMMARY:
    case CCK_ICSN_TZNAME:
    case CCK_ICSN_UID:
    case CCK_ICSN_X_WR_CALNAME:
    case CCK_ICSN_X_WR_CALDESC:
    case CCK_ICSN_X_WR_RELCALID:
    case CCK_ICSN_X_WR_TIMEZONE:
        return true;
    default:
        return false;
    }
}

/* Checks TEXT escapes of value [vs, n) of line l; reports the first bad one. */
static void check_escapes(const cck_ics_reader *r, const lline *l, cck_problems *pr, size_t vs,
                          const char *name)
{
    const uint8_t *u = l->u;
    size_t bad = 0, first = 0;
    for (size_t i = find_byte(u, vs, l->ulen, '\\'); i < l->ulen;
         i = find_byte(u, i, l->ulen, '\\')) {
        uint8_t c = i + 1 < l->ulen ? u[i + 1] : 0;
        if (c == '\\' || c == ';' || c == ',' || c == 'n' || c == 'N') {
            i += 2;
            continue;
        }
        if (!bad++)
            first = i;
        i++;
    }
    if (bad) {
        char q[32];
        report_at(r, l, pr, first, CCK_SEV_WARNING, "ics.bad_escape",
                  "bad escape \"%s\" in the TEXT value of %s (RFC 5545 3.3.11; %zu in this value)",
                  quote(q, sizeof q, u + first, first + 1 < l->ulen ? 2 : 1, 2), name, bad);
    }
}

static bool add_val(cck_ics_reader *r, size_t s, size_t n)
{
    if (!grow((void **)&r->vals, &r->valcap, r->nvals + 1, sizeof *r->vals))
        return false;
    r->vals[r->nvals++] = (span){s, n};
    return true;
}

/* Arena bytes taken by an n-byte request: cck_arena_alloc rounds each one up to 16. */
static size_t arena_size(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

static void fill_param(cck_ics_param *pp, const pdesc *d)
{
    pp->nvalues = d->nv;
    pp->quoted_any = d->quoted;
    pp->line = d->line;
    pp->col = d->col;
}

/* Builds p's parameters (of the n-byte line u) from r->pds in one arena block laid out exactly
 * as the separate requests of make_params_piecewise() would be, so the arena use is the same
 * to the byte. False, with nothing taken from the arena, when the block does not fit. */
static bool make_params(cck_ics_reader *r, const uint8_t *u, size_t n, cck_ics_prop *p,
                        cck_arena *a)
{
    size_t total = arena_size(r->npds * sizeof *p->params);
    for (size_t k = 0; k < r->npds; k++) {
        const pdesc *d = &r->pds[k];
        total += 2 * arena_size(d->name_n + 1) + arena_size((d->nv ? d->nv : 1) * sizeof(char *));
        for (size_t v = 0; v < d->nv; v++)
            total += arena_size(r->vals[d->v0 + v].n + 1);
    }
    char *m = cck_arena_alloc(a, total); /* zeroed: every string below ends with a NUL */
    if (!m)
        return false;
    p->params = (cck_ics_param *)(void *)m;
    p->nparams = r->npds;
    m += arena_size(r->npds * sizeof *p->params);
    for (size_t k = 0; k < r->npds; k++) {
        const pdesc *d = &r->pds[k];
        cck_ics_param *pp = &p->params[k];
        const uint8_t *nm = u + d->name_s;
        char *raw = m, *up = m + arena_size(d->name_n + 1);
        /* up to the end of up's rounded piece: padding nobody reads */
        copy_names(raw, up, nm, d->name_n, n - d->name_s, up + arena_size(d->name_n + 1));
        pp->name_raw = raw;
        pp->name = up;
        pp->id = name_lookup(up, d->name_n);
        m = up + arena_size(d->name_n + 1);
        pp->values = (const char **)(void *)m;
        m += arena_size((d->nv ? d->nv : 1) * sizeof(char *));
        for (size_t v = 0; v < d->nv; v++) {
            const span *sp = &r->vals[d->v0 + v];
            copy_str(m, u + sp->s, sp->n, n - sp->s, m + arena_size(sp->n + 1));
            pp->values[v] = m;
            m += arena_size(sp->n + 1);
        }
        fill_param(pp, d);
    }
    return true;
}

/* The same with one arena request per piece: used only when the single block does not fit,
 * so that a component at the arena ceiling loses exactly the same properties as ever. */
static bool make_params_piecewise(cck_ics_reader *r, const uint8_t *u, cck_ics_prop *p,
                                  cck_arena *a)
{
    p->params = cck_arena_calloc(a, r->npds, sizeof *p->params);
    if (!p->params)
        return false;
    p->nparams = r->npds;
    for (size_t k = 0; k < r->npds; k++) {
        const pdesc *d = &r->pds[k];
        cck_ics_param *pp = &p->params[k];
        pp->name_raw = cck_arena_strndup(a, (const char *)u + d->name_s, d->name_n);
        pp->name = upper_dup(a, u + d->name_s, d->name_n);
        pp->values = cck_arena_calloc(a, d->nv ? d->nv : 1, sizeof *pp->values);
        if (!pp->name_raw || !pp->name || !pp->values)
            return false;
        pp->id = name_lookup(pp->name, d->name_n);
        fill_param(pp, d);
        for (size_t v = 0; v < d->nv; v++) {
            const span *sp = &r->vals[d->v0 + v];
            pp->values[v] = cck_arena_strndup(a, (const char *)u + sp->s, sp->n);
            if (!pp->values[v])
                return false;
        }
    }
    return true;
}

/* One arena block: the property, its raw line, the name as written and upper-cased; NULL when
 * the arena is exhausted. */
static cck_ics_prop *new_prop(cck_arena *a, const lline *l, size_t name_n, bool bad)
{
    const uint8_t *u = l->u;
    size_t n = l->ulen;
    if (n > (SIZE_MAX - sizeof(cck_ics_prop)) / 3 - 3)
        return NULL;
    cck_ics_prop *p = cck_arena_alloc(a, sizeof *p + (n + 1) + 2 * (name_n + 1));
    if (!p)
        return NULL;
    /* the names first: their word copies may run into raw, which is written next */
    char *names = (char *)(p + 1), *up = names + name_n + 1, *raw = up + name_n + 1;
    copy_names(names, up, u, name_n, n, raw + n);
    memcpy(raw, u, n);
    p->raw = raw;
    p->raw_len = n;
    p->line = l->line;
    p->col = l->col;
    p->off = l->off;
    p->end = l->end;
    p->truncated = l->truncated;
    p->bad = bad;
    p->name_raw = names;
    p->name = up;
    p->id = name_lookup(up, name_n);
    return p;
}

/* parse_line() for the most common shape, a valid name then ":" at u[name_n]: what the general
 * path does for it, without the machinery for parameters and damage. */
static cck_ics_prop *parse_simple(cck_ics_reader *r, const lline *l, cck_arena *a, cck_problems *pr,
                                  size_t name_n)
{
    size_t n = l->ulen;
    cck_ics_prop *p = new_prop(a, l, name_n, l->truncated);
    if (!p)
        return NULL;
    size_t i = name_n + 1;
    p->value = p->raw + i;
    p->value_len = n - i;
    uint64_t voff;
    where(r, l, i, &p->value_line, &p->value_col, &voff);
    if (!p->bad && i < n && l->backslash && text_prop(p))
        check_escapes(r, l, pr, i, p->name);
    return p;
}

/* Parses logical line l into a property in arena a; NULL when the arena is exhausted. */
static cck_ics_prop *parse_line(cck_ics_reader *r, const lline *l, cck_arena *a, cck_problems *pr)
{
    const uint8_t *u = l->u;
    size_t n = l->ulen, i = 0;
    char q[96];
    bool bad = l->truncated;
    i = scan_name(u, 0, n);
    size_t name_n = i;
    if (i > 0 && i < n && u[i] == ':')
        return parse_simple(r, l, a, pr, name_n);
    /* the name has no colon: look from where it stops */
    bool colon_seen = (i < n && u[i] == ':') || find_byte(u, i, n, ':') < n;
    if (!colon_seen) {
        report(pr, CCK_SEV_ERROR, "ics.no_colon", l->line, l->col, l->off,
               "content line without a colon: \"%s\"", quote(q, sizeof q, u, n, 60));
        bad = true;
        i = n; /* the name is the valid name characters only; the whole line stays in raw */
    } else if (name_n == 0 || (i < n && u[i] != ';' && u[i] != ':')) {
        while (i < n && u[i] != ';' && u[i] != ':')
            i++;
        name_n = i;
        report(pr, CCK_SEV_ERROR, "ics.bad_name", l->line, l->col, l->off,
               name_n ? "invalid property name \"%s\"" : "empty property name%s",
               name_n ? quote(q, sizeof q, u, name_n, 60) : "");
        bad = true;
    }
    cck_ics_prop *p = new_prop(a, l, name_n, bad);
    if (!p)
        return NULL;
    char *raw = (char *)p->raw;

    /* parameters */
    r->npds = 0;
    r->nvals = 0;
    bool params_over = false, values_over = false, value_text = false, value_other = false;
    while (i < n && u[i] == ';') {
        size_t ps = ++i;
        i = scan_name(u, i, n);
        /* built in place (a copy of a struct just written field by field stalls); spare is
         * for a parameter over the limit, which is parsed and reported but not listed */
        pdesc spare, *d = &spare;
        if (r->npds < CCK_ICS_PARAMS_MAX &&
            grow((void **)&r->pds, &r->pdcap, r->npds + 1, sizeof *r->pds))
            d = &r->pds[r->npds];
        *d = (pdesc){.name_s = ps, .name_n = i - ps, .v0 = r->nvals};
        uint64_t off;
        where(r, l, ps, &d->line, &d->col, &off);
        if (d->name_n == 0 || i >= n || u[i] != '=') {
            size_t j = i;
            while (j < n && u[j] != ';' && u[j] != ':' && u[j] != '=')
                j++;
            d->name_n = j - ps;
            report(pr, CCK_SEV_ERROR, "ics.bad_param", d->line, d->col, off,
                   "invalid parameter \"%s\" on %s", quote(q, sizeof q, u + ps, j - ps, 40),
                   p->name);
            p->bad = true;
            i = j;
        }
        if (i < n && u[i] == '=') {
            i++;
            for (;;) {
                size_t vs, vn;
                if (i < n && u[i] == '"') {
                    d->quoted = true;
                    size_t e = find_byte(u, i + 1, n, '"');
                    if (e < n) {
                        vs = i + 1;
                        vn = e - vs;
                        i = e + 1;
                    } else {
                        report_at(r, l, pr, i, CCK_SEV_ERROR, "ics.unterminated_quote",
                                  "unterminated quoted value of parameter \"%s\" on %s",
                                  quote(q, sizeof q, u + ps, d->name_n, 40), p->name);
                        p->bad = true;
                        size_t c = find_byte(u, i + 1, n, ':');
                        vs = i + 1;
                        vn = c - vs;
                        i = c;
                    }
                    if (i < n && u[i] != ',' && u[i] != ';' && u[i] != ':') {
                        report_at(r, l, pr, i, CCK_SEV_ERROR, "ics.bad_param",
                                  "unexpected \"%s\" after the quoted value of parameter \"%s\"",
                                  quote(q, sizeof q, u + i, 1, 1),
                                  quote(q + 48, sizeof q - 48, u + ps, d->name_n, 30));
                        p->bad = true;
                        while (i < n && u[i] != ',' && u[i] != ';' && u[i] != ':')
                            i++;
                    }
                } else {
                    vs = i;
                    bool quote_in = false;
                    i = param_value_end(u, i, n, &quote_in);
                    vn = i - vs;
                    if (quote_in) {
                        report_at(r, l, pr, vs, CCK_SEV_ERROR, "ics.bad_param",
                                  "quote inside the unquoted value of parameter \"%s\"",
                                  quote(q, sizeof q, u + ps, d->name_n, 40));
                        p->bad = true;
                    }
                }
                if (d->nv < CCK_ICS_VALUES_MAX && !params_over) {
                    if (add_val(r, vs, vn))
                        d->nv++;
                } else if (!values_over && !params_over) {
                    values_over = true;
                    report_at(r, l, pr, vs, CCK_SEV_ERROR, "ics.too_many_values",
                              "parameter with more than %d values; the rest are not listed",
                              CCK_ICS_VALUES_MAX);
                }
                if (i < n && u[i] == ',') {
                    i++;
                    continue;
                }
                break;
            }
        }
        if (d->name_n == 5 && !strncasecmp((const char *)u + ps, "VALUE", 5) && d->nv) {
            const span *v = &r->vals[d->v0];
            if (v->n == 4 && !strncasecmp((const char *)u + v->s, "TEXT", 4))
                value_text = true;
            else
                value_other = true;
        }
        if (r->npds < CCK_ICS_PARAMS_MAX) {
            if (d != &spare)
                r->npds++;
        } else if (!params_over) {
            params_over = true;
            report(pr, CCK_SEV_ERROR, "ics.too_many_params", d->line, d->col, off,
                   "property %s has more than %d parameters; the rest are not listed", p->name,
                   CCK_ICS_PARAMS_MAX);
        }
    }
    if (i < n && u[i] == ':') {
        i++;
    } else if (colon_seen && i < n) {
        /* a colon exists but the parameter syntax swallowed it (unterminated quote) */
        i = n;
    } else if (colon_seen) {
        report(pr, CCK_SEV_ERROR, "ics.no_colon", l->line, l->col, l->off,
               "no value: the only colon of %s is inside a parameter value", p->name);
        p->bad = true;
    }
    p->value = raw + i;
    p->value_len = n - i;
    uint64_t voff;
    where(r, l, i, &p->value_line, &p->value_col, &voff);

    if (r->npds && !make_params(r, u, n, p, a) && !make_params_piecewise(r, u, p, a))
        return NULL;
    if (!p->bad && i < n && l->backslash && (value_text || (!value_other && text_prop(p))))
        check_escapes(r, l, pr, i, p->name);
    return p;
}

/* ---- components (RFC 5545 3.4, 3.6) ------------------------------------------------------- */

static bool line_is(const lline *l, const char *what) /* e.g. "BEGIN:VCALENDAR" */
{
    size_t n = strlen(what);
    return l->ulen == n && !strncasecmp((const char *)l->u, what, n);
}

enum { LINE_OTHER, LINE_BEGIN, LINE_END };

/* LINE_BEGIN or LINE_END for a well-formed BEGIN or END line without parameters. */
static int line_kind(const cck_ics_prop *p)
{
    if (!p || p->bad || p->nparams)
        return LINE_OTHER;
    return p->id == CCK_ICSN_BEGIN ? LINE_BEGIN : p->id == CCK_ICSN_END ? LINE_END : LINE_OTHER;
}

static void value_upper(char *out, size_t outsz, const cck_ics_prop *p)
{
    /* a value too long or holding a NUL matches no component name: "" */
    size_t n = p->value_len;
    out[0] = 0;
    if (n >= outsz)
        return;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)p->value[i];
        if (!c) {
            out[0] = 0;
            return;
        }
        out[i] = (char)upper(c);
    }
    out[n] = 0;
}

static void add_cal_prop(cck_ics_reader *r, cck_ics_prop *p)
{
    if (!p)
        return;
    if (r->cal.nprops >= CCK_ICS_CALPROPS_MAX) {
        r->cal.dropped_props++;
        if (!r->cal_dropped_reported) {
            r->cal_dropped_reported = true;
            report(r->calpr, CCK_SEV_ERROR, "ics.too_many_props", p->line, p->col, p->off,
                   "more than %d calendar-level properties; the rest are counted only",
                   CCK_ICS_CALPROPS_MAX);
        }
        return;
    }
    if (r->cal_tail)
        r->cal_tail->next = p;
    else
        r->cal.props = p;
    r->cal_tail = p;
    r->cal.nprops++;
}

static void add_prop(cck_ics_reader *r, cck_ics_prop *p, cck_problems *pr, const lline *l)
{
    cck_ics_comp *c = r->stack[r->depth - 1];
    if (!p || r->nprops >= CCK_ICS_PROPS_MAX) {
        r->stack[0]->dropped_props++;
        if (!r->props_reported) {
            r->props_reported = true;
            report(pr, CCK_SEV_ERROR, "ics.too_many_props", l->line, l->col, l->off,
                   p ? "more than %d properties in one component; the rest are counted only"
                     : "component too large for the arena (limit %d properties); the rest "
                       "are counted only",
                   CCK_ICS_PROPS_MAX);
        }
        return;
    }
    r->nprops++;
    if (r->tail[r->depth - 1])
        r->tail[r->depth - 1]->next = p;
    else
        c->props = p;
    r->tail[r->depth - 1] = p;
    c->nprops++;
    c->end = p->end;
}

static cck_ics_comp *new_comp(cck_ics_reader *r, cck_arena *a, cck_ics_prop *begin)
{
    /* the component and its upper-cased name in one request of the size of the two separate
     * ones; when that does not fit, the two requests as ever (the arena fills the same way) */
    size_t n = begin->value_len;
    cck_ics_comp *c = NULL;
    char *nm = NULL;
    if (n < SIZE_MAX - 2 * sizeof *c) {
        c = cck_arena_alloc(a, arena_size(sizeof *c) + arena_size(n + 1));
        if (c) {
            nm = (char *)c + arena_size(sizeof *c);
            for (size_t i = 0; i < n; i++)
                nm[i] = (char)upper((uint8_t)begin->value[i]);
        }
    }
    if (!c) {
        c = cck_arena_alloc(a, sizeof *c);
        if (!c)
            return NULL;
        nm = upper_dup(a, (const uint8_t *)begin->value, n);
        if (!nm)
            return NULL;
    }
    c->name = nm;
    c->name_raw = begin->value;
    c->begin = begin;
    c->line = begin->line;
    c->off = begin->off;
    c->end = begin->end;
    c->depth = r->depth + 1;
    c->outside = !r->in_cal;
    c->calendar = r->ncal ? r->ncal - 1 : 0;
    return c;
}

/* Closes the innermost open component; end is its END line or NULL. */
static void close_top(cck_ics_reader *r, cck_ics_prop *end)
{
    cck_ics_comp *c = r->stack[r->depth - 1];
    if (end) {
        c->end_prop = end;
        c->end_line = end->line;
        c->end = end->end;
    } else {
        c->unclosed = true;
    }
    r->depth--;
    if (r->depth) {
        cck_ics_comp *parent = r->stack[r->depth - 1];
        if (c->end > parent->end)
            parent->end = c->end;
    }
}

static void unclosed(cck_ics_reader *r, cck_problems *pr, const char *why)
{
    while (r->depth) {
        cck_ics_comp *c = r->stack[r->depth - 1];
        report(pr, CCK_SEV_ERROR, "ics.unclosed", c->line, 1, c->off,
               "BEGIN:%s is never closed (%s)", c->name, why);
        close_top(r, NULL);
    }
    r->over = 0;
}

static void start_top(cck_ics_reader *r)
{
    r->nprops = r->ncomps = 0;
    r->over = 0;
    r->long_reported = r->nest_reported = r->props_reported = r->comps_reported = false;
}

int cck_ics_next(cck_ics_reader *r, cck_arena *a, const cck_ics_comp **out, cck_problems *pr)
{
    *out = NULL;
    if (!r)
        return 0;
    /* A UTF-8 byte-order mark before BEGIN:VCALENDAR (Windows editors write
     * one) is not part of the first line: skipped and reported, so the file
     * reads as its author meant. Only at the very start of the input. */
    if (!r->bom_checked && r->base == 0 && r->pos == 0 && r->line == 1) {
        if (r->len < 3 && !r->final)
            return CCK_ICS_MORE;
        r->bom_checked = true;
        if (r->len >= 3 && r->buf[0] == 0xEF && r->buf[1] == 0xBB && r->buf[2] == 0xBF) {
            r->pos = 3;
            report(r->calpr, CCK_SEV_INFO, "ics.bom", 1, 1, 0,
                   "the file starts with a UTF-8 byte-order mark (RFC 5545 3.1 has none)");
        }
    }
    r->bom_checked = true;
    for (;;) {
        size_t save_pos = r->pos;
        uint32_t save_line = r->line;
        int save_skip = r->skip;
        lline l;
        int rc = read_line(r, &l);
        if (rc == CCK_ICS_MORE)
            return CCK_ICS_MORE;
        if (rc == 0) {
            if (r->depth) {
                cck_ics_comp *top = r->stack[0];
                unclosed(r, pr, "end of file");
                *out = top;
                return 1;
            }
            if (r->in_cal) {
                r->in_cal = false;
                const cck_ics_prop *b = r->cal.begin;
                report(r->calpr, CCK_SEV_ERROR, "ics.unclosed", b ? b->line : 1, 1, b ? b->off : 0,
                       "BEGIN:VCALENDAR is never closed (end of file)");
            }
            return 0;
        }
        /* BEGIN/END:VCALENDAR inside a component ends it: give it back, then reread the line */
        if (r->depth && !l.truncated &&
            (line_is(&l, "BEGIN:VCALENDAR") || line_is(&l, "END:VCALENDAR"))) {
            cck_ics_comp *top = r->stack[0];
            unclosed(r, pr,
                     l.u[0] == 'B' || l.u[0] == 'b' ? "a new VCALENDAR begins"
                                                    : "END:VCALENDAR comes first");
            r->pos = save_pos;
            r->line = save_line;
            r->skip = save_skip;
            *out = top;
            return 1;
        }
        if (l.ulen == 0 && !l.truncated && !l.lead_ws) {
            r->prev_empty = true;
            report(r->depth ? pr : r->calpr, CCK_SEV_INFO, "ics.empty_line", l.line, 1, l.off,
                   "empty line (RFC 5545 3.1 has no empty content lines)");
            continue;
        }
        r->prev_empty = false;
        bool top_begin = !r->depth && l.ulen > 6 && !strncasecmp((const char *)l.u, "BEGIN:", 6) &&
                         !line_is(&l, "BEGIN:VCALENDAR");
        if (top_begin)
            start_top(r);
        bool in_comp = r->depth || top_begin;
        cck_problems *lp = in_comp ? pr : r->calpr;
        cck_arena *la = in_comp ? a : r->cal_arena;
        check_line(r, &l, lp, in_comp ? &r->long_reported : &r->cal_long_reported);
        cck_ics_prop *p = parse_line(r, &l, la, lp);
        int kind = line_kind(p);
        char val[256]; /* the upper-cased value of a BEGIN or END line, only read for those */
        val[0] = 0;
        if (kind != LINE_OTHER)
            value_upper(val, sizeof val, p);

        if (!r->depth) {
            if (kind == LINE_BEGIN && str_eq(val, "VCALENDAR")) {
                if (r->in_cal)
                    report(r->calpr, CCK_SEV_ERROR, "ics.end_mismatch", p->line, 1, p->off,
                           "BEGIN:VCALENDAR inside a VCALENDAR (line %u) not yet closed",
                           (unsigned)(r->cal.begin ? r->cal.begin->line : 0));
                r->in_cal = true;
                r->ncal++;
                if (!r->cal.begin) {
                    r->cal.begin = p;
                    r->cal.line = p->line;
                    r->cal.off = p->off;
                }
                add_cal_prop(r, p);
                continue;
            }
            if (kind == LINE_END && str_eq(val, "VCALENDAR") && r->in_cal) {
                r->in_cal = false;
                r->cal.end_prop = p;
                r->cal.end_line = p->line;
                r->cal.end = p->end;
                add_cal_prop(r, p);
                continue;
            }
            if (top_begin && kind == LINE_BEGIN && p->value_len) {
                cck_ics_comp *c = new_comp(r, a, p);
                if (c) {
                    if (!r->in_cal)
                        report(pr, CCK_SEV_WARNING, "ics.outside_calendar", p->line, 1, p->off,
                               "BEGIN:%s outside any VCALENDAR", c->name);
                    r->stack[0] = c;
                    r->tail[0] = NULL;
                    r->ctail[0] = NULL;
                    r->depth = 1;
                    continue;
                }
            }
            /* a calendar-level property (or a stray line) */
            if (p && !r->in_cal)
                report(top_begin ? pr : r->calpr, CCK_SEV_ERROR,
                       kind == LINE_END ? "ics.end_mismatch" : "ics.outside_calendar", p->line, 1,
                       p->off, "\"%s\" outside any VCALENDAR",
                       quote((char[96]){0}, 96, (const uint8_t *)p->raw, p->raw_len, 60));
            else if (kind == LINE_END)
                report(r->calpr, CCK_SEV_ERROR, "ics.end_mismatch", p->line, 1, p->off,
                       "END:%s without a matching BEGIN", val);
            if (top_begin && p) {
                /* BEGIN with an empty name: keep the line at calendar level */
                report(pr, CCK_SEV_ERROR, "ics.bad_name", p->line, 1, p->off,
                       "BEGIN without a component name");
                cck_ics_prop *cp = parse_line(r, &l, r->cal_arena, NULL);
                add_cal_prop(r, cp);
                continue;
            }
            add_cal_prop(r, p);
            continue;
        }

        /* inside a top-level component */
        if (kind == LINE_BEGIN && p->value_len) {
            if (r->over || r->depth >= CCK_ICS_DEPTH_MAX || r->ncomps >= CCK_ICS_COMPS_MAX) {
                r->over++;
                bool deep = r->depth >= CCK_ICS_DEPTH_MAX;
                bool *flag = deep ? &r->nest_reported : &r->comps_reported;
                if (!*flag) {
                    *flag = true;
                    report(pr, CCK_SEV_ERROR, deep ? "ics.nesting" : "ics.too_many_components",
                           p->line, 1, p->off,
                           deep ? "components nested deeper than %d; BEGIN:%s kept as a property"
                                : "more than %d sub-components; BEGIN:%s kept as a property",
                           deep ? CCK_ICS_DEPTH_MAX : CCK_ICS_COMPS_MAX, val);
                }
                add_prop(r, p, pr, &l);
                continue;
            }
            cck_ics_comp *c = new_comp(r, a, p);
            if (!c) {
                add_prop(r, NULL, pr, &l);
                r->over++;
                continue;
            }
            cck_ics_comp *parent = r->stack[r->depth - 1];
            c->parent = parent;
            if (r->ctail[r->depth - 1])
                r->ctail[r->depth - 1]->next = c;
            else
                parent->children = c;
            r->ctail[r->depth - 1] = c;
            parent->nchildren++;
            r->ncomps++;
            r->stack[r->depth] = c;
            r->tail[r->depth] = NULL;
            r->ctail[r->depth] = NULL;
            r->depth++;
            continue;
        }
        if (kind == LINE_END) {
            if (r->over) {
                r->over--;
                add_prop(r, p, pr, &l);
                continue;
            }
            unsigned k = r->depth;
            while (k > 0 && !str_eq(r->stack[k - 1]->name, val))
                k--;
            if (k == r->depth) {
                close_top(r, p);
            } else if (k > 0) {
                while (r->depth > k) {
                    cck_ics_comp *c = r->stack[r->depth - 1];
                    report(pr, CCK_SEV_ERROR, "ics.end_mismatch", p->line, 1, p->off,
                           "END:%s closes BEGIN:%s of line %u, which is still open", val, c->name,
                           (unsigned)c->line);
                    close_top(r, NULL);
                }
                close_top(r, p);
            } else {
                cck_ics_comp *c = r->stack[r->depth - 1];
                report(pr, CCK_SEV_ERROR, "ics.end_mismatch", p->line, 1, p->off,
                       "END:%s does not match BEGIN:%s of line %u; taken as its end", val, c->name,
                       (unsigned)c->line);
                close_top(r, p);
                c->unclosed = true;
            }
            if (!r->depth) {
                *out = r->stack[0];
                return 1;
            }
            continue;
        }
        add_prop(r, p, pr, &l);
    }
}

/* ---- access ------------------------------------------------------------------------------ */

const cck_ics_comp *cck_ics_calendar(const cck_ics_reader *r)
{
    return r ? &r->cal : NULL;
}

unsigned cck_ics_calendar_count(const cck_ics_reader *r)
{
    return r ? r->ncal : 0;
}

uint32_t cck_ics_lines(const cck_ics_reader *r)
{
    return r ? r->line : 0;
}

const cck_ics_prop *cck_ics_get(const cck_ics_comp *c, const char *name)
{
    if (!c || !name)
        return NULL;
    /* Names are stored upper-cased: the first byte rules out almost every
     * property before the full comparison (this runs for every property the
     * checks look up). */
    char first = name[0] >= 'a' && name[0] <= 'z' ? (char)(name[0] - 32) : name[0];
    for (const cck_ics_prop *p = c->props; p; p = p->next)
        if (p->name[0] == first && !strcasecmp(p->name, name))
            return p;
    return NULL;
}

const cck_ics_prop *cck_ics_get_id(const cck_ics_comp *c, cck_ics_name id)
{
    if (!c || id == CCK_ICSN_OTHER)
        return NULL;
    for (const cck_ics_prop *p = c->props; p; p = p->next)
        if (p->id == id)
            return p;
    return NULL;
}

const cck_ics_param *cck_ics_param_get_id(const cck_ics_prop *p, cck_ics_name id)
{
    if (!p || id == CCK_ICSN_OTHER)
        return NULL;
    for (size_t i = 0; i < p->nparams; i++)
        if (p->params[i].id == id)
            return &p->params[i];
    return NULL;
}

const cck_ics_param *cck_ics_param_get(const cck_ics_prop *p, const char *name)
{
    if (!p || !name)
        return NULL;
    char first = name[0] >= 'a' && name[0] <= 'z' ? (char)(name[0] - 32) : name[0];
    for (size_t i = 0; i < p->nparams; i++)
        if (p->params[i].name[0] == first && !strcasecmp(p->params[i].name, name))
            return &p->params[i];
    return NULL;
}

char *cck_ics_text_decode(const cck_ics_prop *p, cck_arena *a, size_t *out_len, cck_problems *pr)
{
    size_t n = p ? p->value_len : 0, o = 0, bad = 0, first = 0;
    char *d = cck_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = p->value[i];
        if (c != '\\') {
            d[o++] = c;
            continue;
        }
        char e = i + 1 < n ? p->value[i + 1] : 0;
        if (e == 'n' || e == 'N')
            d[o++] = '\n';
        else if (e == '\\' || e == ';' || e == ',')
            d[o++] = e;
        else {
            if (!bad++)
                first = i;
            d[o++] = c; /* kept as written */
            continue;
        }
        i++;
    }
    d[o] = 0;
    if (out_len)
        *out_len = o;
    if (bad && pr) {
        char q[32];
        report(pr, CCK_SEV_WARNING, "ics.bad_escape", p->value_line, p->value_col, p->off,
               "bad escape \"%s\" at byte %zu of the value of %s (RFC 5545 3.3.11; %zu in "
               "this value)",
               quote(q, sizeof q, (const uint8_t *)p->value + first, first + 1 < n ? 2 : 1, 2),
               first + 1, p->name, bad);
    }
    return d;
}
