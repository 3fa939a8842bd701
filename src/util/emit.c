/* emit.c - text and JSON renderings of one nested document (see emit.h). */
#include "emit.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct cck_emit {
    FILE *out;
    cck_emit_format fmt;
    int depth;    /* open containers */
    int overflow; /* containers opened beyond CCK_EMIT_MAX_DEPTH, ignored */
    bool is_arr[CCK_EMIT_MAX_DEPTH + 1];
    size_t count[CCK_EMIT_MAX_DEPTH + 1]; /* members written at each level */
};

cck_emit *cck_emit_new(FILE *out, cck_emit_format fmt)
{
    cck_emit *e = calloc(1, sizeof *e);
    if (e) {
        e->out = out;
        e->fmt = fmt;
    }
    return e;
}

cck_emit_format cck_emit_fmt(const cck_emit *e)
{
    return e->fmt;
}

static void indent(cck_emit *e, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", e->out);
}

/* JSON string body with escapes; invalid UTF-8 becomes U+FFFD. */
static void json_str(cck_emit *e, const char *s, size_t n)
{
    FILE *f = e->out;
    fputc('"', f);
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '"':
                fputs("\\\"", f);
                break;
            case '\\':
                fputs("\\\\", f);
                break;
            case '\n':
                fputs("\\n", f);
                break;
            case '\r':
                fputs("\\r", f);
                break;
            case '\t':
                fputs("\\t", f);
                break;
            default:
                if (c < 0x20 || c == 0x7f)
                    fprintf(f, "\\u%04x", c);
                else
                    fputc(c, f);
            }
            i++;
            continue;
        }
        size_t len = cck_utf8_seq_len((const uint8_t *)s + i, n - i);
        if (len == 0) {
            fputs("\\ufffd", f);
            i++;
        } else {
            fwrite(s + i, 1, len, f);
            i += len;
        }
    }
    fputc('"', f);
}

/* Text string: quoted, C-style escapes, so one value stays on one line. */
static void text_str(cck_emit *e, const char *s, size_t n)
{
    fputc('"', e->out);
    cck_fput_escaped(e->out, s, n, true);
    fputc('"', e->out);
}

/* Writes separators, indentation and the key; returns false when the member
 * sits inside an ignored (too deep) container. */
static bool member(cck_emit *e, const char *key, bool scalar)
{
    if (e->overflow)
        return false;
    int d = e->depth;
    if (e->fmt == CCK_EMIT_JSON) {
        if (d > 0) {
            fputs(e->count[d] ? ",\n" : "\n", e->out);
            indent(e, d);
        }
        if (key && d > 0 && !e->is_arr[d]) {
            json_str(e, key, strlen(key));
            fputs(": ", e->out);
        }
    } else {
        if (d > 0) {
            indent(e, d - 1);
            /* "key: value" for scalars, a bare "key:" before nested lines. */
            if (e->is_arr[d])
                fprintf(e->out, "[%zu]:", e->count[d]);
            else if (key)
                fprintf(e->out, "%s:", key);
            if (scalar && (e->is_arr[d] || key))
                fputc(' ', e->out);
        }
    }
    e->count[d]++;
    return true;
}

static void end_scalar(cck_emit *e)
{
    if (e->fmt == CCK_EMIT_TEXT)
        fputc('\n', e->out);
}

static void begin(cck_emit *e, const char *key, bool arr)
{
    if (e->overflow || e->depth >= CCK_EMIT_MAX_DEPTH) {
        if (!e->overflow && member(e, key, true)) {
            if (e->fmt == CCK_EMIT_JSON)
                fputs("\"(nested too deeply)\"", e->out);
            else
                fputs("(nested too deeply)\n", e->out);
        }
        e->overflow++;
        return;
    }
    member(e, key, false);
    if (e->fmt == CCK_EMIT_JSON)
        fputc(arr ? '[' : '{', e->out);
    else if (e->depth > 0)
        fputc('\n', e->out);
    e->depth++;
    e->is_arr[e->depth] = arr;
    e->count[e->depth] = 0;
}

static void end(cck_emit *e)
{
    if (e->overflow) {
        e->overflow--;
        return;
    }
    if (e->depth == 0)
        return;
    int d = e->depth;
    if (e->fmt == CCK_EMIT_JSON) {
        if (e->count[d]) {
            fputc('\n', e->out);
            indent(e, d - 1);
        }
        fputc(e->is_arr[d] ? ']' : '}', e->out);
    } else if (e->count[d] == 0 && d > 1) {
        indent(e, d - 1);
        fputs(e->is_arr[d] ? "(none)\n" : "(empty)\n", e->out);
    }
    e->depth--;
}

void cck_emit_begin_obj(cck_emit *e, const char *key)
{
    begin(e, key, false);
}
void cck_emit_end_obj(cck_emit *e)
{
    end(e);
}
void cck_emit_begin_arr(cck_emit *e, const char *key)
{
    begin(e, key, true);
}
void cck_emit_end_arr(cck_emit *e)
{
    end(e);
}

void cck_emit_int(cck_emit *e, const char *key, int64_t v)
{
    if (!member(e, key, true))
        return;
    fprintf(e->out, "%" PRId64, v);
    end_scalar(e);
}

void cck_emit_uint(cck_emit *e, const char *key, uint64_t v)
{
    cck_emit_uint_note(e, key, v, NULL);
}

void cck_emit_hex(cck_emit *e, const char *key, uint64_t v, int digits)
{
    cck_emit_hex_note(e, key, v, digits, NULL);
}

void cck_emit_uint_note(cck_emit *e, const char *key, uint64_t v, const char *note)
{
    if (!member(e, key, true))
        return;
    fprintf(e->out, "%" PRIu64, v);
    if (note && e->fmt == CCK_EMIT_TEXT)
        fprintf(e->out, " (%s)", note);
    end_scalar(e);
}

void cck_emit_hex_note(cck_emit *e, const char *key, uint64_t v, int digits, const char *note)
{
    if (!member(e, key, true))
        return;
    if (e->fmt == CCK_EMIT_JSON) {
        fprintf(e->out, "%" PRIu64, v);
    } else {
        fprintf(e->out, "0x%0*" PRIX64, digits, v);
        if (note)
            fprintf(e->out, " (%s)", note);
    }
    end_scalar(e);
}

void cck_emit_double(cck_emit *e, const char *key, double v)
{
    if (!member(e, key, true))
        return;
    if (v != v || v - v != 0) /* NaN or infinity have no JSON form */
        fputs(e->fmt == CCK_EMIT_JSON ? "null" : "(not a finite number)", e->out);
    else
        fprintf(e->out, "%.17g", v);
    end_scalar(e);
}

void cck_emit_bool(cck_emit *e, const char *key, bool v)
{
    if (!member(e, key, true))
        return;
    fputs(v ? "true" : "false", e->out);
    end_scalar(e);
}

void cck_emit_null(cck_emit *e, const char *key)
{
    if (!member(e, key, true))
        return;
    fputs(e->fmt == CCK_EMIT_JSON ? "null" : "(null)", e->out);
    end_scalar(e);
}

void cck_emit_strn(cck_emit *e, const char *key, const char *s, size_t n)
{
    if (!s) {
        cck_emit_null(e, key);
        return;
    }
    if (!member(e, key, true))
        return;
    if (e->fmt == CCK_EMIT_JSON)
        json_str(e, s, n);
    else
        text_str(e, s, n);
    end_scalar(e);
}

void cck_emit_str(cck_emit *e, const char *key, const char *s)
{
    cck_emit_strn(e, key, s, s ? strlen(s) : 0);
}

void cck_emit_bytes(cck_emit *e, const char *key, const uint8_t *p, size_t n)
{
    if (!member(e, key, true))
        return;
    static const char hx[] = "0123456789ABCDEF";
    size_t shown = n;
    if (e->fmt == CCK_EMIT_TEXT) {
        if (shown > CCK_EMIT_TEXT_HEX_MAX)
            shown = CCK_EMIT_TEXT_HEX_MAX;
        fprintf(e->out, "cb: %zu lpb: ", n);
    } else {
        fputc('"', e->out);
    }
    for (size_t i = 0; i < shown; i++) {
        fputc(hx[p[i] >> 4], e->out);
        fputc(hx[p[i] & 15], e->out);
    }
    if (e->fmt == CCK_EMIT_JSON)
        fputc('"', e->out);
    else if (shown < n)
        fputs("...", e->out);
    end_scalar(e);
}

int cck_emit_finish(cck_emit *e)
{
    if (!e)
        return -1;
    while (e->overflow)
        end(e);
    while (e->depth > 0)
        end(e);
    if (e->fmt == CCK_EMIT_JSON)
        fputc('\n', e->out);
    int rc = (fflush(e->out) == 0 && !ferror(e->out)) ? 0 : -1;
    free(e);
    return rc;
}
