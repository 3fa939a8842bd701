/* text.c - UTF-16LE and Windows code pages to UTF-8 (see text.h). */
#include "text.h"

#include <stdarg.h>

#include <iconv.h>
#include <stdio.h>
#include <string.h>

size_t cck_utf8_seq_len(const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    uint8_t c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    uint32_t cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

size_t cck_utf8_invalid(const uint8_t *p, size_t n)
{
    size_t bad = 0, i = 0;
    while (i < n) {
        size_t l = cck_utf8_seq_len(p + i, n - i);
        if (l == 0) {
            bad++;
            l = 1;
        }
        i += l;
    }
    return bad;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int cck_utf16le_to_utf8(cck_arena *a, const uint8_t *p, size_t n, cck_str *out)
{
    /* Each UTF-16 unit yields at most 3 bytes; a surrogate pair (2 units) 4. */
    size_t units = n / 2;
    char *o = cck_arena_alloc(a, units * 3 + 4);
    if (!o)
        return -1;
    size_t len = 0, bad = 0;
    for (size_t i = 0; i < units; i++) {
        uint32_t u = (uint32_t)(p[2 * i] | (p[2 * i + 1] << 8));
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
            uint32_t v = (uint32_t)(p[2 * i + 2] | (p[2 * i + 3] << 8));
            if (v >= 0xDC00 && v <= 0xDFFF) {
                len += put_utf8(o + len, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                i++;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD;
            bad++;
        }
        len += put_utf8(o + len, u);
    }
    if (n & 1) {
        len += put_utf8(o + len, 0xFFFD);
        bad++;
    }
    o[len] = 0;
    out->s = o;
    out->len = len;
    out->bad = bad;
    return 0;
}

/* Windows-1252 0x80..0x9F; 0 marks the five unassigned bytes. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static int from_1252(cck_arena *a, const uint8_t *p, size_t n, cck_str *out)
{
    if (n > (SIZE_MAX - 1) / 3)
        return -1;
    char *o = cck_arena_alloc(a, n * 3 + 1);
    if (!o)
        return -1;
    size_t len = 0, bad = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u = p[i];
        if (u >= 0x80 && u < 0xA0) {
            u = cp1252_hi[u - 0x80];
            if (!u) {
                u = 0xFFFD;
                bad++;
            }
        }
        len += put_utf8(o + len, u);
    }
    o[len] = 0;
    out->s = o;
    out->len = len;
    out->bad = bad;
    return 0;
}

static int from_utf8(cck_arena *a, const uint8_t *p, size_t n, cck_str *out)
{
    char *o = cck_arena_alloc(a, n * 3 + 1);
    if (!o)
        return -1;
    size_t len = 0, bad = 0, i = 0;
    while (i < n) {
        size_t l = cck_utf8_seq_len(p + i, n - i);
        if (l == 0) {
            len += put_utf8(o + len, 0xFFFD);
            bad++;
            i++;
            continue;
        }
        memcpy(o + len, p + i, l);
        len += l;
        i += l;
    }
    o[len] = 0;
    out->s = o;
    out->len = len;
    out->bad = bad;
    return 0;
}

int cck_cp_to_utf8(cck_arena *a, unsigned cp, const uint8_t *p, size_t n, cck_str *out)
{
    if (cp == 65001)
        return from_utf8(a, p, n, out);
    if (cp == 0 || cp == 1252 || cp == 20127 || cp == 28591)
        return from_1252(a, p, n, out);
    char name[32];
    snprintf(name, sizeof name, "CP%u", cp);
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return from_1252(a, p, n, out);
    /* Multi-byte code pages expand by at most 4 bytes per input byte. */
    size_t cap = n * 4 + 4;
    char *o = cck_arena_alloc(a, cap);
    if (!o) {
        iconv_close(cd);
        return -1;
    }
    char *in = (char *)p, *op = o;
    size_t inleft = n, outleft = cap - 1, bad = 0;
    while (inleft > 0) {
        if (iconv(cd, &in, &inleft, &op, &outleft) != (size_t)-1)
            break;
        if (outleft < 4)
            break;
        /* Unmappable or truncated byte: replace it and go on. */
        memcpy(op, "\xEF\xBF\xBD", 3);
        op += 3;
        outleft -= 3;
        in++;
        inleft--;
        bad++;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    *op = 0;
    out->s = o;
    out->len = (size_t)(op - o);
    out->bad = bad;
    return 0;
}

void cck_fput_escaped(FILE *f, const char *s, size_t n, bool quoted)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c == '"' && quoted) || c == '\\')
                fprintf(f, "\\%c", c);
            else if (c == '\n')
                fputs("\\n", f);
            else if (c == '\r')
                fputs("\\r", f);
            else if (c == '\t')
                fputs("\\t", f);
            else if (c < 0x20 || c == 0x7f)
                fprintf(f, "\\x%02X", c);
            else
                fputc(c, f);
            i++;
            continue;
        }
        size_t len = cck_utf8_seq_len((const uint8_t *)s + i, n - i);
        if (len == 0) {
            fprintf(f, "\\x%02X", c);
            i++;
        } else {
            fwrite(s + i, 1, len, f);
            i += len;
        }
    }
}

bool cck_starts_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        unsigned char a = (unsigned char)*s, b = (unsigned char)*prefix;
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        if (a != b) /* also stops at the end of s */
            return false;
    }
    return true;
}

void cck_set_err(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && size)
        vsnprintf(err, size, fmt, ap);
    va_end(ap);
}
