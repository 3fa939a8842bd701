/* mkmsg.c - writes an Outlook .msg file from a small declarative spec, so that
 * calcheck's tests use only fixtures it generates itself, and any defect can
 * be injected. The container is a version 3 compound file ([MS-CFB] 2.2-2.9:
 * header, DIFAT, FAT, mini FAT, mini stream, red-black directory tree); the
 * message layout follows [MS-OXMSG] 2.1-2.4 (property streams, __substg1.0_
 * value streams, __nameid_version1.0, recipient/attachment/embedded storages).
 * The compound-file layer itself is calcheck's own writer, src/msg/cfbwrite.c.
 *
 * Usage: mkmsg SPEC OUT.msg      (SPEC "-" reads stdin). Exit 0, or 2 with a
 * "mkmsg: SPEC:LINE: reason" message on a bad spec or an I/O error.
 *
 *        mkmsg --repeat N [--from K] [--step S] SPEC OUTDIR
 * writes N items OUTDIR/itemIIIIII.msg (I = K, K+S, ..., %06 digits) from one
 * template spec, for benchmarks (bench/scale.sh). In the template, ${i} is the
 * index in decimal; ${i OP n OP n ...} applies + - * / % left to right in
 * 64-bit integers, and a final :W zero-pads to W digits (e.g. ${i:8} inside
 * a hex binary value, ${i*600000000+134170092000000000} as a raw FILETIME).
 * Each item is built in a forked child, so the one-shot code below (global
 * tables, no frees) runs unchanged once per item.
 *
 * Spec language (one statement per line, '#' starts a comment outside quotes;
 * full reference with examples in tests/tools/mkmsg.md):
 *
 *   class "IPM.Appointment"            = prop 0x001A unicode "IPM.Appointment"
 *   prop ID TYPE VALUE.. [flags=N] [size=N]
 *   named SET KEY TYPE VALUE.. [flags=N] [size=N]
 *        SET  appointment meeting common address task log note public_strings
 *             mapi internet_headers calendar_assistant, or {GUID}
 *        KEY  a number (LID) or "a string" (name)
 *   recip ... end                      a recipient (prop/named/stream/drop inside)
 *   attach ... end                     an attachment; may hold one
 *   embedded ... end                   embedded message (adds 0x3701000D and
 *                                      PidTagAttachMethod 5 unless given)
 *   stream "NAME" FIELD.. end          raw stream in the current storage; replaces
 *                                      a generated stream of the same name
 *   drop "NAME"                        omit a generated stream or storage
 *   header [next_recip=N] [next_attach=N] [recips=N] [attachs=N]
 *                                      override the property-stream header
 *
 *   TYPE  i2 long i8 r4 double apptime currency error boolean systime clsid
 *         unicode string8 binary blob object, mv_<fixed or string or binary>;
 *         or the numeric code (0x0003, 0x101F ...)
 *   VALUE numbers (decimal, 0x hex, negative), doubles, true/false, dates
 *         2026-03-02T09:00:00Z (systime), "strings" (\" \\ \n \r \t \0 \xHH
 *         raw byte, \uXXXX raw UTF-16 unit), GUIDs {...} or set aliases, hex
 *         digits (binary), or for blob: FIELD.. end
 *   FIELD u8: u16: u32: u64: i8: i16: i32: i64: (little-endian numbers)
 *         hex:00FF ascii:"s" utf16:"s" filetime:DATE minutes:DATE guid:SET
 *         fill:COUNT:BYTE  len8{ len16{ len32{ FIELD.. } (byte length prefix)
 *
 * Values are written as Outlook writes them: a PT_UNICODE/PT_STRING8 value
 * stream holds the string without terminator and its entry's size is the
 * stream size + 2 (+1); multi-valued string elements do carry a terminator.
 * Output is deterministic: no timestamps, ids assigned in spec order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mapi/props.h"
#include "msg/cfbwrite.h"
#include "util/time.h"

/* ---------------------------------------------------------------- basics */

static const char *spec_name = "-";

static void die(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (line > 0)
        fprintf(stderr, "mkmsg: %s:%d: ", spec_name, line);
    else
        fprintf(stderr, "mkmsg: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die(0, "out of memory");
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xrealloc(NULL, n);
    memcpy(p, s, n);
    return p;
}

/* Growable byte buffer. */
typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

static void buf_grow(buf *b, size_t more)
{
    if (b->n + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + more)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

static void buf_add(buf *b, const void *p, size_t n)
{
    buf_grow(b, n);
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void buf_le(buf *b, uint64_t v, int width)
{
    uint8_t t[8];
    for (int i = 0; i < width; i++)
        t[i] = (uint8_t)(v >> (8 * i));
    buf_add(b, t, (size_t)width);
}

static void put_le(uint8_t *p, uint64_t v, int width)
{
    for (int i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ------------------------------------------------------------- tokenizer */

/* A token; s == NULL marks the end of a line. */
typedef struct tok {
    char *s;
    int line;
} tok;

static tok *toks;
static size_t ntoks, tpos;

static void tok_push(char *s, int line)
{
    static size_t cap;
    if (ntoks == cap) {
        cap = cap ? cap * 2 : 256;
        toks = xrealloc(toks, cap * sizeof *toks);
    }
    toks[ntoks].s = s;
    toks[ntoks].line = line;
    ntoks++;
}

/* Splits the spec into whitespace-separated tokens; a quoted part (with
 * backslash escapes) may contain blanks and '#'. Escapes are decoded later,
 * so the token keeps its quotes. */
static void tokenize(const char *t, size_t n)
{
    int line = 1;
    size_t i = 0;
    while (i < n) {
        char c = t[i];
        if (c == '\n') {
            tok_push(NULL, line++);
            i++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            i++;
        } else if (c == '#') {
            while (i < n && t[i] != '\n')
                i++;
        } else {
            size_t st = i;
            bool q = false;
            while (i < n) {
                c = t[i];
                if (q) {
                    if (c == '\\' && i + 1 < n && t[i + 1] != '\n')
                        i++;
                    else if (c == '"')
                        q = false;
                    else if (c == '\n')
                        die(line, "unterminated string");
                } else if (c == '"') {
                    q = true;
                } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    break;
                }
                i++;
            }
            if (q)
                die(line, "unterminated string");
            char *s = xrealloc(NULL, i - st + 1);
            memcpy(s, t + st, i - st);
            s[i - st] = 0;
            tok_push(s, line);
        }
    }
    tok_push(NULL, line);
}

static tok *peek(void)
{
    return &toks[tpos < ntoks ? tpos : ntoks - 1];
}

static tok *next(void)
{
    tok *t = peek();
    if (tpos < ntoks)
        tpos++;
    return t;
}

static bool at_eol(void)
{
    return peek()->s == NULL;
}

static char *need(const char *what)
{
    tok *t = peek();
    if (!t->s)
        die(t->line, "missing %s", what);
    return next()->s;
}

static void expect_eol(void)
{
    tok *t = peek();
    if (t->s)
        die(t->line, "unexpected \"%s\" at end of statement", t->s);
    next();
}

static int cur_line(void)
{
    return peek()->line;
}

/* --------------------------------------------------------------- values */

static bool parse_int(const char *s, int64_t *out)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!*p)
        return false;
    errno = 0;
    char *end;
    uint64_t v;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        v = strtoull(p + 2, &end, 16), end = (p[2] ? end : (char *)p);
    else
        v = strtoull(p, &end, 10);
    if (*end || errno || end == p)
        return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* An integer that must fit `bytes` bytes as either signed or unsigned. */
static uint64_t num(const char *s, int bytes, int line)
{
    int64_t v;
    if (!parse_int(s, &v))
        die(line, "bad number \"%s\"", s);
    if (bytes < 8) {
        int64_t lo = -((int64_t)1 << (8 * bytes - 1)), hi = ((int64_t)1 << (8 * bytes)) - 1;
        if (v < lo || v > hi)
            die(line, "number %s does not fit %d byte(s)", s, bytes);
    }
    return (uint64_t)v;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void hex_bytes(buf *b, const char *s, int line)
{
    size_t n = strlen(s);
    if (n % 2)
        die(line, "odd number of hex digits in \"%s\"", s);
    for (size_t i = 0; i < n; i += 2) {
        int h = hexval(s[i]), l = hexval(s[i + 1]);
        if (h < 0 || l < 0)
            die(line, "bad hex digits in \"%s\"", s);
        uint8_t v = (uint8_t)(h << 4 | l);
        buf_add(b, &v, 1);
    }
}

/* A decoded string: each unit is a code point, a raw byte (\xHH) or a raw
 * UTF-16 code unit (\uXXXX) - the last two exist to inject bad text. */
enum { U_CP, U_BYTE, U_U16 };
typedef struct ustr {
    uint32_t *v;
    uint8_t *k;
    size_t n;
} ustr;

static void ustr_add(ustr *u, uint32_t v, uint8_t k)
{
    u->v = xrealloc(u->v, (u->n + 1) * sizeof *u->v);
    u->k = xrealloc(u->k, u->n + 1);
    u->v[u->n] = v;
    u->k[u->n] = k;
    u->n++;
}

static void decode_str(const char *s, int line, ustr *u)
{
    memset(u, 0, sizeof *u);
    size_t n = strlen(s);
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        die(line, "expected a \"quoted string\", got %s", s);
    const uint8_t *p = (const uint8_t *)s + 1, *e = (const uint8_t *)s + n - 1;
    while (p < e) {
        if (*p == '\\') {
            p++;
            int c = p < e ? *p++ : 0;
            switch (c) {
            case 'n':
                ustr_add(u, '\n', U_CP);
                break;
            case 'r':
                ustr_add(u, '\r', U_CP);
                break;
            case 't':
                ustr_add(u, '\t', U_CP);
                break;
            case '0':
                ustr_add(u, 0, U_CP);
                break;
            case '\\':
                ustr_add(u, '\\', U_CP);
                break;
            case '"':
                ustr_add(u, '"', U_CP);
                break;
            case 'x':
            case 'u': {
                int nd = c == 'x' ? 2 : 4;
                uint32_t v = 0;
                for (int i = 0; i < nd; i++) {
                    int h = p < e ? hexval(*p) : -1;
                    if (h < 0)
                        die(line, "bad \\%c escape in %s", c, s);
                    v = v << 4 | (uint32_t)h;
                    p++;
                }
                ustr_add(u, v, c == 'x' ? U_BYTE : U_U16);
                break;
            }
            default:
                die(line, "unknown escape \\%c in %s", c ? c : ' ', s);
            }
            continue;
        }
        /* UTF-8 from the spec file. */
        uint32_t cp;
        int len;
        if (*p < 0x80)
            cp = *p, len = 1;
        else if ((*p & 0xE0) == 0xC0)
            cp = *p & 0x1F, len = 2;
        else if ((*p & 0xF0) == 0xE0)
            cp = *p & 0x0F, len = 3;
        else if ((*p & 0xF8) == 0xF0)
            cp = *p & 0x07, len = 4;
        else
            die(line, "invalid UTF-8 in %s", s);
        if (e - p < len)
            die(line, "invalid UTF-8 in %s", s);
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                die(line, "invalid UTF-8 in %s", s);
            cp = cp << 6 | (p[i] & 0x3F);
        }
        p += len;
        ustr_add(u, cp, U_CP);
    }
}

static void emit_utf16(buf *b, const ustr *u)
{
    for (size_t i = 0; i < u->n; i++) {
        uint32_t v = u->v[i];
        if (u->k[i] == U_CP && v >= 0x10000) {
            v -= 0x10000;
            buf_le(b, 0xD800 | (v >> 10), 2);
            buf_le(b, 0xDC00 | (v & 0x3FF), 2);
        } else {
            buf_le(b, v, 2);
        }
    }
}

/* 8-bit text: ASCII as is, other code points as UTF-8, \xHH raw. */
static void emit_8bit(buf *b, const ustr *u, int line)
{
    for (size_t i = 0; i < u->n; i++) {
        uint32_t v = u->v[i];
        if (u->k[i] == U_U16) {
            if (v > 0xFF)
                die(line, "\\u%04X does not fit an 8-bit string", (unsigned)v);
            buf_le(b, v, 1);
        } else if (u->k[i] == U_BYTE || v < 0x80) {
            buf_le(b, v, 1);
        } else if (v < 0x800) {
            buf_le(b, 0xC0 | (v >> 6), 1);
            buf_le(b, 0x80 | (v & 0x3F), 1);
        } else if (v < 0x10000) {
            buf_le(b, 0xE0 | (v >> 12), 1);
            buf_le(b, 0x80 | ((v >> 6) & 0x3F), 1);
            buf_le(b, 0x80 | (v & 0x3F), 1);
        } else {
            buf_le(b, 0xF0 | (v >> 18), 1);
            buf_le(b, 0x80 | ((v >> 12) & 0x3F), 1);
            buf_le(b, 0x80 | ((v >> 6) & 0x3F), 1);
            buf_le(b, 0x80 | (v & 0x3F), 1);
        }
    }
}

static void ustr_free(ustr *u)
{
    free(u->v);
    free(u->k);
}

/* YYYY-MM-DD[THH:MM[:SS]][Z] (UTC) or a plain number, as seconds since 1601. */
static int64_t parse_date_secs(const char *s, int line)
{
    int y, mo, d, h = 0, mi = 0, se = 0, used = 0;
    size_t n = strlen(s);
    if (n && s[n - 1] == 'Z')
        n--;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
        die(line, "bad date \"%s\" (want YYYY-MM-DD[THH:MM[:SS]][Z])", s);
    if (n > 10) {
        int u2 = 0;
        if (n == 16 && sscanf(s + 10, "T%2d:%2d%n", &h, &mi, &u2) == 2 && u2 == 6)
            ;
        else if (n == 19 && sscanf(s + 10, "T%2d:%2d:%2d%n", &h, &mi, &se, &u2) == 3 && u2 == 9)
            ;
        else
            die(line, "bad time in \"%s\" (want THH:MM or THH:MM:SS)", s);
    } else if (n != 10) {
        die(line, "bad date \"%s\"", s);
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        die(line, "date out of range \"%s\"", s);
    return cck_days1601_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

static bool looks_numeric(const char *s)
{
    int64_t v;
    return parse_int(s, &v) && (strchr(s, 'x') || strchr(s, 'X') || strlen(s) != 10);
}

static uint64_t parse_filetime(const char *s, int line)
{
    if (looks_numeric(s))
        return num(s, 8, line);
    int64_t secs = parse_date_secs(s, line);
    if (secs < 0)
        die(line, "date before 1601: %s", s);
    return (uint64_t)secs * 10000000u;
}

static uint32_t parse_minutes(const char *s, int line)
{
    if (looks_numeric(s))
        return (uint32_t)num(s, 4, line);
    int64_t secs = parse_date_secs(s, line);
    if (secs < 0 || secs / 60 > UINT32_MAX)
        die(line, "date out of the minutes range: %s", s);
    return (uint32_t)(secs / 60);
}

static const struct {
    const char *name;
    const cck_guid *g;
} set_alias[] = {
    {"appointment", &CCK_PSETID_APPOINTMENT},
    {"meeting", &CCK_PSETID_MEETING},
    {"common", &CCK_PSETID_COMMON},
    {"address", &CCK_PSETID_ADDRESS},
    {"task", &CCK_PSETID_TASK},
    {"log", &CCK_PSETID_LOG},
    {"note", &CCK_PSETID_NOTE},
    {"public_strings", &CCK_PS_PUBLIC_STRINGS},
    {"mapi", &CCK_PS_MAPI},
    {"internet_headers", &CCK_PS_INTERNET_HEADERS},
    {"calendar_assistant", &CCK_PSETID_CALENDAR_ASSISTANT},
};

/* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} (braces optional) or a set alias,
 * stored in on-disk order (Data1..3 little-endian). */
static cck_guid parse_guid(const char *s, int line)
{
    for (size_t i = 0; i < sizeof set_alias / sizeof set_alias[0]; i++)
        if (strcmp(s, set_alias[i].name) == 0)
            return *set_alias[i].g;
    char hex[33];
    size_t nh = 0;
    const char *p = s;
    if (*p == '{')
        p++;
    for (; *p && *p != '}'; p++) {
        if (*p == '-')
            continue;
        if (hexval(*p) < 0 || nh == 32)
            die(line, "bad GUID or unknown property set \"%s\"", s);
        hex[nh++] = *p;
    }
    if (nh != 32 || (*s == '{') != (*p == '}') || (*p && p[1]))
        die(line, "bad GUID or unknown property set \"%s\"", s);
    hex[32] = 0;
    uint8_t be[16];
    for (int i = 0; i < 16; i++)
        be[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
    cck_guid g;
    static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    for (int i = 0; i < 16; i++)
        g.b[i] = be[order[i]];
    return g;
}

/* ------------------------------------------------------------ blob fields */

/* Reads FIELD tokens (across lines) up to the closing `end`. */
static void parse_fields(buf *b)
{
    size_t stack[16];
    int widths[16];
    int depth = 0, open_line = cur_line();
    for (;;) {
        tok *t = next();
        if (!t->s) {
            if (t == &toks[ntoks - 1])
                die(open_line, "blob not closed by \"end\"");
            continue;
        }
        const char *s = t->s;
        int line = t->line;
        if (strcmp(s, "end") == 0) {
            if (depth)
                die(line, "\"end\" inside an open len{ group");
            return;
        }
        if (strcmp(s, "}") == 0) {
            if (!depth)
                die(line, "\"}\" without len8{ / len16{ / len32{");
            depth--;
            size_t at = stack[depth], len = b->n - at - (size_t)widths[depth];
            if (widths[depth] < 8 && len >> (8 * widths[depth]))
                die(line, "length %zu does not fit len%d", len, widths[depth] * 8);
            put_le(b->p + at, len, widths[depth]);
            continue;
        }
        if (strcmp(s, "len8{") == 0 || strcmp(s, "len16{") == 0 || strcmp(s, "len32{") == 0) {
            if (depth == 16)
                die(line, "len{ groups nested too deep");
            int w = s[3] == '8' ? 1 : s[3] == '1' ? 2 : 4;
            stack[depth] = b->n;
            widths[depth++] = w;
            buf_le(b, 0, w);
            continue;
        }
        const char *colon = strchr(s, ':');
        if (!colon)
            die(line, "bad blob field \"%s\" (want kind:value, or end)", s);
        size_t kl = (size_t)(colon - s);
        const char *v = colon + 1;
#define KIND(k) (kl == strlen(k) && strncmp(s, k, kl) == 0)
        if (KIND("u8") || KIND("i8"))
            buf_le(b, num(v, 1, line), 1);
        else if (KIND("u16") || KIND("i16"))
            buf_le(b, num(v, 2, line), 2);
        else if (KIND("u32") || KIND("i32"))
            buf_le(b, num(v, 4, line), 4);
        else if (KIND("u64") || KIND("i64"))
            buf_le(b, num(v, 8, line), 8);
        else if (KIND("hex"))
            hex_bytes(b, v, line);
        else if (KIND("ascii") || KIND("utf16")) {
            ustr u;
            decode_str(v, line, &u);
            if (s[0] == 'a')
                emit_8bit(b, &u, line);
            else
                emit_utf16(b, &u);
            ustr_free(&u);
        } else if (KIND("filetime"))
            buf_le(b, parse_filetime(v, line), 8);
        else if (KIND("minutes"))
            buf_le(b, parse_minutes(v, line), 4);
        else if (KIND("guid")) {
            cck_guid g = parse_guid(v, line);
            buf_add(b, g.b, 16);
        } else if (KIND("fill")) {
            const char *c2 = strchr(v, ':');
            if (!c2)
                die(line, "fill wants fill:COUNT:BYTE");
            char cnt[32];
            size_t cl = (size_t)(c2 - v);
            if (cl >= sizeof cnt)
                die(line, "bad fill count");
            memcpy(cnt, v, cl);
            cnt[cl] = 0;
            uint64_t count = num(cnt, 4, line);
            uint8_t byte = (uint8_t)num(c2 + 1, 1, line);
            buf_grow(b, count);
            memset(b->p + b->n, byte, count);
            b->n += count;
        } else
            die(line, "unknown blob field kind in \"%s\"", s);
#undef KIND
    }
}

/* ------------------------------------------------------------ the model */

typedef struct ptype {
    const char *name;
    uint16_t code;
    uint8_t size; /* value bytes of a fixed type; 0 = stored in a stream */
    char kind;    /* i int, f float, b bool, t time, g guid, u unicode, s string8, x binary */
} ptype;

static const ptype ptypes[] = {
    {"i2", CCK_PT_I2, 2, 'i'},
    {"short", CCK_PT_I2, 2, 'i'},
    {"long", CCK_PT_LONG, 4, 'i'},
    {"i4", CCK_PT_LONG, 4, 'i'},
    {"r4", CCK_PT_R4, 4, 'f'},
    {"float", CCK_PT_R4, 4, 'f'},
    {"double", CCK_PT_DOUBLE, 8, 'f'},
    {"r8", CCK_PT_DOUBLE, 8, 'f'},
    {"currency", CCK_PT_CURRENCY, 8, 'i'},
    {"apptime", CCK_PT_APPTIME, 8, 'f'},
    {"error", CCK_PT_ERROR, 4, 'i'},
    {"boolean", CCK_PT_BOOLEAN, 2, 'b'},
    {"bool", CCK_PT_BOOLEAN, 2, 'b'},
    {"i8", CCK_PT_I8, 8, 'i'},
    {"longlong", CCK_PT_I8, 8, 'i'},
    {"systime", CCK_PT_SYSTIME, 8, 't'},
    {"clsid", CCK_PT_CLSID, 0, 'g'},
    {"guid", CCK_PT_CLSID, 0, 'g'},
    {"unicode", CCK_PT_UNICODE, 0, 'u'},
    {"string8", CCK_PT_STRING8, 0, 's'},
    {"binary", CCK_PT_BINARY, 0, 'x'},
    {"blob", CCK_PT_BINARY, 0, 'x'},
    {"object", CCK_PT_OBJECT, 0, 'x'},
};

static const ptype *type_by_name(const char *s, bool *mv, int line)
{
    *mv = strncmp(s, "mv_", 3) == 0;
    const char *base = *mv ? s + 3 : s;
    int64_t code;
    if (parse_int(s, &code)) {
        if (code < 0 || code > 0xFFFF)
            die(line, "bad property type %s", s);
        *mv = (code & CCK_PT_MV) != 0;
        for (size_t i = 0; i < sizeof ptypes / sizeof ptypes[0]; i++)
            if (ptypes[i].code == (code & ~CCK_PT_MV))
                return &ptypes[i];
        die(line, "property type %s is not one mkmsg can write", s);
    }
    for (size_t i = 0; i < sizeof ptypes / sizeof ptypes[0]; i++)
        if (strcmp(ptypes[i].name, base) == 0) {
            if (*mv && ptypes[i].code == CCK_PT_OBJECT)
                break;
            return &ptypes[i];
        }
    die(line, "unknown property type \"%s\"", s);
}

/* Size of one element of a fixed-size multi-valued property. */
static size_t mv_elem_size(const ptype *t)
{
    return t->kind == 'g' ? 16 : t->kind == 'b' ? 2 : t->size;
}

typedef struct namedkey {
    cck_guid guid;
    bool is_name;
    uint32_t lid;
    buf name16; /* UTF-16LE name */
} namedkey;

static namedkey *keys;
static size_t nkeys;

typedef struct prop {
    uint16_t id, type; /* type with CCK_PT_MV when multi-valued */
    const ptype *pt;
    uint32_t flags;
    bool has_size;
    uint32_t size;
    buf val;   /* single value: its bytes */
    buf *vals; /* multi-valued: each element */
    size_t nvals;
    bool object; /* the 0x3701000D entry of an embedded message */
} prop;

typedef struct rawstream {
    char *name;
    buf data;
} rawstream;

typedef struct obj obj;
struct obj {
    int kind; /* 'm' top message, 'e' embedded message, 'r' recipient, 'a' attachment */
    prop *props;
    size_t nprops;
    rawstream *raws;
    size_t nraws;
    char **drops;
    size_t ndrops;
    obj **recips, **attachs;
    size_t nrecips, nattachs;
    obj *embedded;
    int64_t hdr[4]; /* next_recip, next_attach, recips, attachs; -1 = computed */
};

static obj *obj_new(int kind)
{
    obj *o = xrealloc(NULL, sizeof *o);
    memset(o, 0, sizeof *o);
    o->kind = kind;
    for (int i = 0; i < 4; i++)
        o->hdr[i] = -1;
    return o;
}

static prop *obj_add_prop(obj *o)
{
    o->props = xrealloc(o->props, (o->nprops + 1) * sizeof *o->props);
    prop *p = &o->props[o->nprops++];
    memset(p, 0, sizeof *p);
    p->flags = 6; /* PROPATTR_READABLE | PROPATTR_WRITABLE, as Outlook writes */
    return p;
}

static uint16_t named_id(const namedkey *k)
{
    for (size_t i = 0; i < nkeys; i++) {
        const namedkey *o = &keys[i];
        if (cck_guid_eq(&o->guid, &k->guid) && o->is_name == k->is_name &&
            (k->is_name ? (o->name16.n == k->name16.n &&
                           memcmp(o->name16.p, k->name16.p, k->name16.n) == 0)
                        : o->lid == k->lid)) {
            free(k->name16.p);
            return (uint16_t)(0x8000 + i);
        }
    }
    if (nkeys >= 0x7FFF)
        die(0, "too many named properties");
    keys = xrealloc(keys, (nkeys + 1) * sizeof *keys);
    keys[nkeys] = *k;
    return (uint16_t)(0x8000 + nkeys++);
}

/* One value of type t from the current line into b. */
static void parse_one_value(const ptype *t, const char *typename_, buf *b)
{
    int line = cur_line();
    if (t->kind == 'x' && strcmp(typename_ + (strncmp(typename_, "mv_", 3) ? 0 : 3), "blob") == 0) {
        parse_fields(b);
        return;
    }
    const char *s = need("value");
    if (t->kind == 'x' && strcmp(s, "blob") == 0) {
        parse_fields(b);
        return;
    }
    switch (t->kind) {
    case 'i':
        buf_le(b, num(s, t->size, line), t->size);
        break;
    case 'f': {
        char *end;
        errno = 0;
        double d = strtod(s, &end);
        if (*end || errno || end == s)
            die(line, "bad floating-point number \"%s\"", s);
        if (t->size == 4) {
            float f = (float)d;
            uint32_t u;
            memcpy(&u, &f, 4);
            buf_le(b, u, 4);
        } else {
            uint64_t u;
            memcpy(&u, &d, 8);
            buf_le(b, u, 8);
        }
        break;
    }
    case 'b': {
        uint64_t v;
        if (strcmp(s, "true") == 0)
            v = 1;
        else if (strcmp(s, "false") == 0)
            v = 0;
        else
            v = num(s, 2, line);
        buf_le(b, v, 2);
        break;
    }
    case 't':
        buf_le(b, parse_filetime(s, line), 8);
        break;
    case 'g': {
        cck_guid g = parse_guid(s, line);
        buf_add(b, g.b, 16);
        break;
    }
    case 'u':
    case 's': {
        ustr u;
        decode_str(s, line, &u);
        if (t->kind == 'u')
            emit_utf16(b, &u);
        else
            emit_8bit(b, &u, line);
        ustr_free(&u);
        break;
    }
    case 'x':
        if (strcmp(s, "-") != 0) /* "-" = empty */
            hex_bytes(b, s, line);
        break;
    }
}

static bool is_option(const char *s)
{
    return s && (strncmp(s, "flags=", 6) == 0 || strncmp(s, "size=", 5) == 0);
}

/* TYPE VALUE.. [flags=N] [size=N] after the id or named key. */
static void parse_prop_rest(prop *p)
{
    int line = cur_line();
    const char *tn = need("property type");
    bool mv;
    p->pt = type_by_name(tn, &mv, line);
    p->type = (uint16_t)(p->pt->code | (mv ? CCK_PT_MV : 0));
    if (!mv) {
        parse_one_value(p->pt, tn, &p->val);
    } else {
        while (!at_eol() && !is_option(peek()->s)) {
            p->vals = xrealloc(p->vals, (p->nvals + 1) * sizeof *p->vals);
            memset(&p->vals[p->nvals], 0, sizeof(buf));
            parse_one_value(p->pt, tn, &p->vals[p->nvals]);
            p->nvals++;
        }
    }
    while (!at_eol()) {
        const char *s = next()->s;
        if (strncmp(s, "flags=", 6) == 0)
            p->flags = (uint32_t)num(s + 6, 4, line);
        else if (strncmp(s, "size=", 5) == 0)
            p->has_size = true, p->size = (uint32_t)num(s + 5, 4, line);
        else
            die(line, "unexpected \"%s\" (options are flags=N size=N)", s);
    }
    next();
}

static char *parse_name_token(const char *what)
{
    int line = cur_line();
    const char *s = need(what);
    ustr u;
    decode_str(s, line, &u);
    buf b = {0};
    emit_8bit(&b, &u, line);
    ustr_free(&u);
    buf_le(&b, 0, 1);
    return (char *)b.p;
}

static void parse_body(obj *o, int open_line);

/* One statement inside object o (opened at open_line); returns false at its
 * closing `end` or, for the top-level message, at the end of the spec. */
static bool parse_stmt(obj *o, int open_line)
{
    while (at_eol()) {
        if (tpos >= ntoks - 1) {
            if (o->kind != 'm')
                die(open_line, "\"%s\" not closed by \"end\"",
                    o->kind == 'r'   ? "recip"
                    : o->kind == 'a' ? "attach"
                                     : "embedded");
            return false;
        }
        next();
    }
    int line = cur_line();
    const char *kw = next()->s;
    if (strcmp(kw, "end") == 0) {
        if (o->kind == 'm')
            die(line, "\"end\" without recip/attach/embedded");
        expect_eol();
        return false;
    }
    if (strcmp(kw, "class") == 0) {
        if (o->kind != 'm' && o->kind != 'e')
            die(line, "\"class\" belongs to a message");
        prop *p = obj_add_prop(o);
        p->id = CCK_PID_MESSAGE_CLASS;
        bool mv;
        p->pt = type_by_name("unicode", &mv, line);
        p->type = CCK_PT_UNICODE;
        parse_one_value(p->pt, "unicode", &p->val);
        expect_eol();
    } else if (strcmp(kw, "prop") == 0) {
        const char *ids = need("property id");
        prop *p = obj_add_prop(o);
        int64_t id;
        if (!parse_int(ids, &id) || id < 0 || id > 0xFFFF)
            die(line, "bad property id \"%s\" (want 0x0000..0xFFFF)", ids);
        p->id = (uint16_t)id;
        parse_prop_rest(p);
    } else if (strcmp(kw, "named") == 0) {
        namedkey k;
        memset(&k, 0, sizeof k);
        k.guid = parse_guid(need("property set"), line);
        const char *key = need("LID or \"name\"");
        if (key[0] == '"') {
            ustr u;
            decode_str(key, line, &u);
            emit_utf16(&k.name16, &u);
            ustr_free(&u);
            k.is_name = true;
        } else {
            k.lid = (uint32_t)num(key, 4, line);
        }
        prop *p = obj_add_prop(o);
        p->id = named_id(&k);
        parse_prop_rest(p);
    } else if (strcmp(kw, "recip") == 0 || strcmp(kw, "attach") == 0) {
        if (o->kind != 'm' && o->kind != 'e')
            die(line, "\"%s\" belongs to a message", kw);
        expect_eol();
        obj *c = obj_new(kw[0]);
        parse_body(c, line);
        if (kw[0] == 'r') {
            o->recips = xrealloc(o->recips, (o->nrecips + 1) * sizeof *o->recips);
            o->recips[o->nrecips++] = c;
        } else {
            o->attachs = xrealloc(o->attachs, (o->nattachs + 1) * sizeof *o->attachs);
            o->attachs[o->nattachs++] = c;
        }
    } else if (strcmp(kw, "embedded") == 0) {
        if (o->kind != 'a')
            die(line, "\"embedded\" belongs inside \"attach\"");
        if (o->embedded)
            die(line, "an attachment holds one embedded message");
        expect_eol();
        o->embedded = obj_new('e');
        parse_body(o->embedded, line);
    } else if (strcmp(kw, "stream") == 0) {
        rawstream r = {parse_name_token("stream name"), {0}};
        parse_fields(&r.data);
        expect_eol();
        o->raws = xrealloc(o->raws, (o->nraws + 1) * sizeof *o->raws);
        o->raws[o->nraws++] = r;
    } else if (strcmp(kw, "drop") == 0) {
        o->drops = xrealloc(o->drops, (o->ndrops + 1) * sizeof *o->drops);
        o->drops[o->ndrops++] = parse_name_token("stream or storage name");
        expect_eol();
    } else if (strcmp(kw, "header") == 0) {
        static const char *const names[4] = {"next_recip=", "next_attach=", "recips=", "attachs="};
        while (!at_eol()) {
            const char *s = next()->s;
            int i;
            for (i = 0; i < 4; i++)
                if (strncmp(s, names[i], strlen(names[i])) == 0)
                    break;
            if (i == 4)
                die(line, "unknown header field \"%s\"", s);
            o->hdr[i] = (int64_t)num(s + strlen(names[i]), 4, line) & 0xFFFFFFFF;
        }
        next();
    } else {
        die(line, "unknown statement \"%s\"", kw);
    }
    return true;
}

static void parse_body(obj *o, int open_line)
{
    while (parse_stmt(o, open_line))
        ;
}

/* ------------------------------------------------------ storage tree */

typedef struct node node;
struct node {
    char *name;
    int type; /* 1 storage, 2 stream, 5 root */
    buf data;
    node **kids;
    size_t nkids;
    const uint8_t *clsid;
};

static node *node_new(const char *name, int type)
{
    node *n = xrealloc(NULL, sizeof *n);
    memset(n, 0, sizeof *n);
    n->name = xstrdup(name);
    n->type = type;
    return n;
}

static void node_free(node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n->data.p);
    free(n->name);
    free(n);
}

static node *node_find(node *parent, const char *name)
{
    for (size_t i = 0; i < parent->nkids; i++)
        if (strcmp(parent->kids[i]->name, name) == 0)
            return parent->kids[i];
    return NULL;
}

static void node_add(node *parent, node *k)
{
    parent->kids = xrealloc(parent->kids, (parent->nkids + 1) * sizeof *parent->kids);
    parent->kids[parent->nkids++] = k;
}

static node *add_stream(node *parent, const char *name, const buf *data)
{
    node *s = node_new(name, 2);
    if (data)
        buf_add(&s->data, data->p, data->n);
    node_add(parent, s);
    return s;
}

static void build_storage(node *st, const obj *o);

/* The storage holding the last component of a '/'-separated path below st. */
static node *resolve_parent(node *st, const char *path, const char **leaf)
{
    const char *p = path, *slash;
    while ((slash = strchr(p, '/')) != NULL) {
        char part[64];
        size_t n = (size_t)(slash - p);
        if (n >= sizeof part)
            die(0, "bad path \"%s\"", path);
        memcpy(part, p, n);
        part[n] = 0;
        node *k = node_find(st, part);
        if (!k || k->type == 2)
            die(0, "\"%s\": no storage \"%s\"", path, part);
        st = k;
        p = slash + 1;
    }
    *leaf = p;
    return st;
}

/* Property stream entries and value streams of object o into storage st. */
static void build_props(node *st, const obj *o, buf *ps)
{
    char nm[40];
    for (size_t i = 0; i < o->nprops; i++) {
        const prop *p = &o->props[i];
        uint32_t tag = CCK_TAG(p->id, p->type);
        uint8_t ent[16] = {0};
        put_le(ent, tag, 4);
        put_le(ent + 4, p->flags, 4);
        snprintf(nm, sizeof nm, "__substg1.0_%08X", (unsigned)tag);
        uint64_t size = 0;
        if (p->object) {
            size = 0xFFFFFFFF;
        } else if (!(p->type & CCK_PT_MV) && p->pt->size) {
            memcpy(ent + 8, p->val.p, p->val.n > 8 ? 8 : p->val.n);
        } else if (!(p->type & CCK_PT_MV)) {
            add_stream(st, nm, &p->val);
            size = p->val.n + (p->pt->kind == 'u' ? 2 : p->pt->kind == 's' ? 1 : 0);
        } else if (p->pt->kind != 'u' && p->pt->kind != 's' && p->pt->kind != 'x') {
            buf all = {0};
            for (size_t j = 0; j < p->nvals; j++) {
                size_t es = mv_elem_size(p->pt);
                buf_add(&all, p->vals[j].p, p->vals[j].n < es ? p->vals[j].n : es);
            }
            add_stream(st, nm, &all);
            size = all.n;
            free(all.p);
        } else {
            /* Length stream plus one stream per element ([MS-OXMSG] 2.1.4.2):
             * strings carry their terminator; binary lengths take 8 bytes. */
            buf lens = {0};
            for (size_t j = 0; j < p->nvals; j++) {
                buf e = {0};
                buf_add(&e, p->vals[j].p, p->vals[j].n);
                if (p->pt->kind != 'x')
                    buf_le(&e, 0, p->pt->kind == 'u' ? 2 : 1);
                buf_le(&lens, e.n, p->pt->kind == 'x' ? 8 : 4);
                char en[64];
                snprintf(en, sizeof en, "%s-%08X", nm, (unsigned)j);
                add_stream(st, en, &e);
                free(e.p);
            }
            add_stream(st, nm, &lens);
            size = lens.n;
            free(lens.p);
        }
        if (p->has_size)
            size = p->size;
        if (size)
            put_le(ent + 8, size, 4);
        buf_add(ps, ent, 16);
    }
}

static void build_nameid(node *root)
{
    node *st = node_new("__nameid_version1.0", 1);
    node_add(root, st);
    buf guids = {0}, entries = {0}, strings = {0};
    buf hash[0x1F];
    memset(hash, 0, sizeof hash);
    cck_guid *gl = NULL;
    size_t ng = 0;
    for (size_t i = 0; i < nkeys; i++) {
        const namedkey *k = &keys[i];
        uint32_t gi;
        if (cck_guid_eq(&k->guid, &CCK_PS_MAPI)) {
            gi = 1;
        } else if (cck_guid_eq(&k->guid, &CCK_PS_PUBLIC_STRINGS)) {
            gi = 2;
        } else {
            size_t j;
            for (j = 0; j < ng; j++)
                if (cck_guid_eq(&gl[j], &k->guid))
                    break;
            if (j == ng) {
                gl = xrealloc(gl, (ng + 1) * sizeof *gl);
                gl[ng++] = k->guid;
                buf_add(&guids, k->guid.b, 16);
            }
            gi = 3 + (uint32_t)j;
        }
        uint32_t ik = gi << 1 | (k->is_name ? 1u : 0u), nid;
        uint32_t first;
        if (k->is_name) {
            first = (uint32_t)strings.n;
            buf_le(&strings, k->name16.n, 4);
            buf_add(&strings, k->name16.p, k->name16.n);
            while (strings.n % 4)
                buf_le(&strings, 0, 1);
            /* CRC-32 (reflected 0xEDB88320) with initial value 0 and no
             * final inversion, as [MS-OXMSG] 2.2.3.1.2 uses for names. */
            uint32_t c = 0;
            for (size_t b = 0; b < k->name16.n; b++) {
                c ^= k->name16.p[b];
                for (int r = 0; r < 8; r++)
                    c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
            }
            nid = c;
        } else {
            first = k->lid;
            nid = k->lid;
        }
        buf_le(&entries, first, 4);
        buf_le(&entries, ik, 2);
        buf_le(&entries, i, 2);
        buf *h = &hash[(nid ^ ik) % 0x1F];
        buf_le(h, nid, 4);
        buf_le(h, ik, 2);
        buf_le(h, i, 2);
    }
    add_stream(st, "__substg1.0_00020102", &guids);
    add_stream(st, "__substg1.0_00030102", &entries);
    add_stream(st, "__substg1.0_00040102", &strings);
    for (int i = 0; i < 0x1F; i++) {
        if (!hash[i].n)
            continue;
        char nm[32];
        snprintf(nm, sizeof nm, "__substg1.0_%04X0102", 0x1000 + i);
        add_stream(st, nm, &hash[i]);
        free(hash[i].p);
    }
    free(guids.p);
    free(entries.p);
    free(strings.p);
    free(gl);
}

static void build_storage(node *st, const obj *o)
{
    buf ps = {0};
    /* Property stream header ([MS-OXMSG] 2.4.1): 8 reserved bytes, then for
     * messages four counters, then 8 more reserved bytes at the top level. */
    buf_le(&ps, 0, 8);
    if (o->kind == 'm' || o->kind == 'e') {
        uint64_t def[4] = {o->nrecips, o->nattachs, o->nrecips, o->nattachs};
        for (int i = 0; i < 4; i++)
            buf_le(&ps, o->hdr[i] >= 0 ? (uint64_t)o->hdr[i] : def[i], 4);
        if (o->kind == 'm')
            buf_le(&ps, 0, 8);
    }
    build_props(st, o, &ps);
    add_stream(st, "__properties_version1.0", &ps);
    free(ps.p);
    char nm[48];
    for (size_t i = 0; i < o->nrecips; i++) {
        snprintf(nm, sizeof nm, "__recip_version1.0_#%08X", (unsigned)i);
        node *c = node_new(nm, 1);
        node_add(st, c);
        build_storage(c, o->recips[i]);
    }
    for (size_t i = 0; i < o->nattachs; i++) {
        snprintf(nm, sizeof nm, "__attach_version1.0_#%08X", (unsigned)i);
        node *c = node_new(nm, 1);
        node_add(st, c);
        build_storage(c, o->attachs[i]);
    }
    if (o->embedded) {
        node *c = node_new("__substg1.0_3701000D", 1);
        node_add(st, c);
        build_storage(c, o->embedded);
    }
    if (o->kind == 'm')
        build_nameid(st);
    /* Raw streams replace generated ones of the same name; drops remove.
     * A name may be a path ("__nameid_version1.0/__substg1.0_00030102"). */
    for (size_t i = 0; i < o->nraws; i++) {
        const char *leaf;
        node *dst = resolve_parent(st, o->raws[i].name, &leaf);
        node *n = node_find(dst, leaf);
        if (n) {
            if (n->type != 2)
                die(0, "stream \"%s\" would replace a storage", o->raws[i].name);
            n->data.n = 0;
            buf_add(&n->data, o->raws[i].data.p, o->raws[i].data.n);
        } else {
            add_stream(dst, leaf, &o->raws[i].data);
        }
    }
    for (size_t i = 0; i < o->ndrops; i++) {
        const char *leaf;
        node *dst = resolve_parent(st, o->drops[i], &leaf);
        size_t j;
        for (j = 0; j < dst->nkids; j++)
            if (strcmp(dst->kids[j]->name, leaf) == 0)
                break;
        if (j == dst->nkids)
            die(0, "drop \"%s\": no such stream or storage", o->drops[i]);
        node_free(dst->kids[j]);
        memmove(dst->kids + j, dst->kids + j + 1, (dst->nkids - j - 1) * sizeof *dst->kids);
        dst->nkids--;
    }
}

/* Adds the implicit properties of an attachment holding a message. */
static void add_implicit(obj *o)
{
    for (size_t i = 0; i < o->nrecips; i++)
        add_implicit(o->recips[i]);
    for (size_t i = 0; i < o->nattachs; i++)
        add_implicit(o->attachs[i]);
    if (o->kind != 'a' || !o->embedded)
        return;
    add_implicit(o->embedded);
    bool has_method = false, has_obj = false;
    for (size_t i = 0; i < o->nprops; i++) {
        has_method |= o->props[i].id == CCK_PID_ATTACH_METHOD;
        has_obj |= o->props[i].id == CCK_PID_ATTACH_DATA;
    }
    bool mv;
    if (!has_method) {
        prop *p = obj_add_prop(o);
        p->id = CCK_PID_ATTACH_METHOD;
        p->pt = type_by_name("long", &mv, 0);
        p->type = CCK_PT_LONG;
        buf_le(&p->val, 5, 4); /* afEmbeddedMessage */
    }
    if (!has_obj) {
        prop *p = obj_add_prop(o);
        p->id = CCK_PID_ATTACH_DATA;
        p->pt = type_by_name("object", &mv, 0);
        p->type = CCK_PT_OBJECT;
        p->object = true;
    }
}

/* ------------------------------------------------------------ CFB writer */

/* The sector, FAT and directory layer is the library's (src/msg/cfbwrite.c),
 * so calcheck has one compound-file writer; mkmsg hands it the storage tree. */
static void emit_kids(cck_cfbw *w, uint32_t parent, const node *n)
{
    for (size_t i = 0; i < n->nkids; i++) {
        const node *k = n->kids[i];
        uint32_t id = k->type == 2 ? cck_cfbw_stream(w, parent, k->name, k->data.p, k->data.n)
                                   : cck_cfbw_storage(w, parent, k->name);
        if (id == CCK_CFBW_NONE)
            die(0, "\"%s\" in \"%s\": %s", k->name, n->name, cck_cfbw_error(w));
        if (k->clsid && cck_cfbw_set_clsid(w, id, k->clsid) != 0)
            die(0, "\"%s\": %s", k->name, cck_cfbw_error(w));
        if (k->type != 2)
            emit_kids(w, id, k);
    }
}

static void write_cfb(node *root_, FILE *out, const char *outname)
{
    cck_cfbw *w = cck_cfbw_new();
    if (!w)
        die(0, "out of memory");
    if (root_->clsid)
        cck_cfbw_set_clsid(w, CCK_CFBW_ROOT, root_->clsid);
    emit_kids(w, CCK_CFBW_ROOT, root_);
    errno = 0;
    if (cck_cfbw_write(w, out) != 0)
        die(0, "%s: %s%s%s", outname, cck_cfbw_error(w), errno ? ": " : "",
            errno ? strerror(errno) : "");
    cck_cfbw_free(w);
}

/* ------------------------------------------------------------------ main */

static char *read_all(FILE *f, size_t *n)
{
    buf b = {0};
    char tmp[65536];
    size_t r;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(&b, tmp, r);
    if (ferror(f))
        return NULL;
    buf_le(&b, 0, 1);
    *n = b.n - 1;
    return (char *)b.p;
}

/* The model and the tree live until exit; kept reachable from here so leak
 * checkers (make SAN=1) stay quiet about a one-shot tool. */
static obj *top;
static node *root;

/* Parses the spec text and writes one .msg to outpath (dies on error). */
static void make_one(const char *text, size_t n, const char *outpath)
{
    tokenize(text, n);

    top = obj_new('m');
    parse_body(top, 0);
    add_implicit(top);

    /* CLSID_MailMessage {00020D0B-0000-0000-C000-000000000046}, on-disk order. */
    static const uint8_t clsid_msg[16] = {0x0B, 0x0D, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                          0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
    root = node_new("Root Entry", 5);
    root->clsid = clsid_msg;
    build_storage(root, top);

    FILE *out = fopen(outpath, "wb");
    if (!out)
        die(0, "%s: %s", outpath, strerror(errno));
    write_cfb(root, out, outpath);
    if (fclose(out) != 0)
        die(0, "%s: %s", outpath, strerror(errno));
}

/* --repeat: the template with every ${i...} replaced for index i. */
static char *expand(const char *t, size_t n, int64_t i, size_t *outn)
{
    buf b = {0};
    int line = 1;
    for (size_t k = 0; k < n; k++) {
        if (t[k] != '$' || k + 1 >= n || t[k + 1] != '{') {
            line += t[k] == '\n';
            buf_add(&b, t + k, 1);
            continue;
        }
        const char *p = t + k + 2, *e = memchr(p, '}', n - (k + 2));
        if (!e || memchr(p, '\n', (size_t)(e - p)))
            die(line, "unterminated ${ in template");
        char expr[128];
        size_t len = (size_t)(e - p), w = 0;
        if (len >= sizeof expr)
            die(line, "template expression too long");
        for (size_t j = 0; j < len; j++) /* blanks are allowed and ignored */
            if (p[j] != ' ' && p[j] != '\t')
                expr[w++] = p[j];
        expr[w] = 0;
        if (expr[0] != 'i')
            die(line, "bad template ${%.*s} (want ${i...})", (int)len, p);
        int64_t v = i;
        int width = 0;
        char *q = expr + 1;
        while (*q) {
            char op = *q++;
            char *end;
            errno = 0;
            long long a = strtoll(q, &end, 10);
            if (end == q || errno || a < 0 ||
                (op != ':' && op != '+' && op != '-' && op != '*' && op != '/' && op != '%'))
                die(line, "bad template ${%.*s}", (int)len, p);
            q = end;
            bool ovf = false;
            if (op == ':') {
                if (*q || a > 20)
                    die(line, "bad template ${%.*s} (:W must end it, W <= 20)", (int)len, p);
                width = (int)a;
            } else if (op == '+') {
                ovf = __builtin_add_overflow(v, a, &v);
            } else if (op == '-') {
                ovf = __builtin_sub_overflow(v, a, &v);
            } else if (op == '*') {
                ovf = __builtin_mul_overflow(v, a, &v);
            } else if (a == 0) {
                die(line, "division by zero in template ${%.*s}", (int)len, p);
            } else {
                v = op == '/' ? v / a : v % a;
            }
            if (ovf)
                die(line, "template ${%.*s} overflows for i = %lld", (int)len, p, (long long)i);
        }
        if (v < 0)
            die(line, "template ${%.*s} is negative for i = %lld", (int)len, p, (long long)i);
        char num_[32];
        int m = snprintf(num_, sizeof num_, "%0*lld", width, (long long)v);
        buf_add(&b, num_, (size_t)m);
        k = (size_t)(e - t);
    }
    *outn = b.n;
    buf_le(&b, 0, 1);
    return (char *)b.p;
}

static int64_t count_arg(const char *s, const char *what, int64_t min)
{
    int64_t v;
    if (!parse_int(s, &v) || v < min || v > 100000000)
        die(0, "bad %s \"%s\"", what, s);
    return v;
}

/* mkmsg --repeat N [--from K] [--step S] SPEC OUTDIR */
static int repeat_main(int argc, char **argv)
{
    int64_t count = -1, from = 0, step = 1;
    int a = 1;
    for (; a + 1 < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
        if (strcmp(argv[a], "--repeat") == 0)
            count = count_arg(argv[a + 1], "--repeat count", 0);
        else if (strcmp(argv[a], "--from") == 0)
            from = count_arg(argv[a + 1], "--from index", 0);
        else if (strcmp(argv[a], "--step") == 0)
            step = count_arg(argv[a + 1], "--step", 1);
        else
            break;
    }
    if (count < 0 || argc - a != 2) {
        fprintf(stderr, "usage: mkmsg --repeat N [--from K] [--step S] SPEC OUTDIR\n");
        return 2;
    }
    spec_name = argv[a];
    const char *outdir = argv[a + 1];
    FILE *in = fopen(spec_name, "rb");
    if (!in)
        die(0, "%s: %s", spec_name, strerror(errno));
    size_t n;
    char *text = read_all(in, &n);
    if (!text)
        die(0, "%s: read failed: %s", spec_name, strerror(errno));
    fclose(in);
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
        die(0, "%s: %s", outdir, strerror(errno));
    fflush(NULL);
    for (int64_t j = 0; j < count; j++) {
        int64_t i = from + j * step;
        size_t en;
        char *t = expand(text, n, i, &en);
        char path[4096];
        if (snprintf(path, sizeof path, "%s/item%06lld.msg", outdir, (long long)i) >=
            (int)sizeof path)
            die(0, "%s: path too long", outdir);
        pid_t pid = fork();
        if (pid < 0)
            die(0, "fork: %s", strerror(errno));
        if (pid == 0) {
            make_one(t, en, path);
            exit(0);
        }
        free(t);
        int st;
        while (waitpid(pid, &st, 0) < 0)
            if (errno != EINTR)
                die(0, "waitpid: %s", strerror(errno));
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "mkmsg: item %lld (%s) failed\n", (long long)i, path);
            free(text);
            return 2;
        }
    }
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strncmp(argv[1], "--", 2) == 0)
        return repeat_main(argc, argv);
    if (argc != 3) {
        fprintf(stderr, "usage: mkmsg SPEC OUT.msg   (SPEC - reads standard input)\n"
                        "       mkmsg --repeat N [--from K] [--step S] SPEC OUTDIR\n");
        return 2;
    }
    spec_name = argv[1];
    FILE *in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
    if (!in)
        die(0, "%s: %s", argv[1], strerror(errno));
    size_t n;
    char *text = read_all(in, &n);
    if (!text)
        die(0, "%s: read failed: %s", argv[1], strerror(errno));
    if (in != stdin)
        fclose(in);
    if (strcmp(argv[1], "-") == 0)
        spec_name = "<stdin>";
    make_one(text, n, argv[2]);
    free(text);
    return 0;
}
