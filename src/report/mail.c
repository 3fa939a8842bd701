/* mail.c - the -R report mail: RFC 5322 headers, RFC 2045/2046 MIME parts
 * (quoted-printable text, base64 attachments, RFC 2183 disposition), RFC 2047
 * encoded words, built here so the bytes can be tested exactly; sent with
 * libcurl's SMTP client (RFC 5321, STARTTLS RFC 3207). No control character
 * ever reaches a header, so no value can start another header. */
#include "mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "util/file.h"
#include "util/lazylib.h"
#include "util/text.h"

/* Header lines are kept to RFC 5322 §2.1.1's 78 octets. */
#define LINE_MAX_OCTETS 78
/* UTF-8 bytes per RFC 2047 encoded word: 39 bytes are 52 base64 characters,
 * a 64-character word that fits on a folded line with any header name. */
#define EW_BYTES 39
#define B64_LINE 76
#define QP_LINE  76

/* ---- a growing output buffer; out of memory is remembered, not fatal ---- */

typedef struct mbuf {
    char *p;
    size_t n, cap;
    bool oom;
} mbuf;

static void put(mbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void puts_(mbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void putf(mbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(mbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k > 0)
        put(b, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

/* ---- reasons ---- */

static int fail(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t size, const char *fmt, ...)
{
    if (why && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* A value quoted for a reason: control characters as \r, \n, \xNN, cut at
 * 100 bytes, so an offending value never breaks the message line it is in. */
static const char *shown(const char *s, char *buf, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; s[i] && k + 5 < size && i < 100; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n')
            k += (size_t)snprintf(buf + k, size - k, "\\%c", c == '\r' ? 'r' : 'n');
        else if (c < 0x20 || c == 0x7f)
            k += (size_t)snprintf(buf + k, size - k, "\\x%02X", c);
        else
            buf[k++] = (char)c;
    }
    buf[k] = 0;
    return buf;
}

static bool has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static bool is_ascii_printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

/* ---- base64 (RFC 4648 §4), 76-character lines (RFC 2045 §6.8) ---- */

static const char b64c[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t cck_mail_b64_size(size_t n)
{
    size_t chars = (n + 2) / 3 * 4;
    return chars + (chars + B64_LINE - 1) / B64_LINE * 2 + 1;
}

/* Base64 without line breaks: 4 characters per 3 bytes. */
static size_t b64_raw(const unsigned char *p, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        out[k++] = b64c[(v >> 18) & 63];
        out[k++] = b64c[(v >> 12) & 63];
        out[k++] = i + 1 < n ? b64c[(v >> 6) & 63] : '=';
        out[k++] = i + 2 < n ? b64c[v & 63] : '=';
    }
    out[k] = 0;
    return k;
}

size_t cck_mail_b64(const void *data, size_t n, char *out)
{
    const unsigned char *p = data;
    size_t k = 0;
    /* 57 bytes are exactly one 76-character line */
    for (size_t i = 0; i < n; i += 57) {
        size_t m = n - i < 57 ? n - i : 57;
        k += b64_raw(p + i, m, out + k);
        out[k++] = '\r';
        out[k++] = '\n';
    }
    out[k] = 0;
    return k;
}

/* ---- quoted-printable (RFC 2045 §6.7) for the text body ---- */

static void qp_body(mbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    while (*s) {
        size_t len = strcspn(s, "\n");
        size_t end = len;
        if (end && s[end - 1] == '\r')
            end--;
        size_t col = 0;
        for (size_t i = 0; i < end; i++) {
            unsigned char c = (unsigned char)s[i];
            char tok[4];
            size_t t;
            /* literal: printable ASCII but '='; a space or tab unless it ends the
             * line; a '.' opening a line is encoded so no line is ever "." */
            bool lit = (c >= 33 && c <= 126 && c != '=' && !(c == '.' && col == 0)) ||
                       ((c == ' ' || c == '\t') && i + 1 < end);
            if (lit) {
                tok[0] = (char)c;
                t = 1;
            } else {
                tok[0] = '=';
                tok[1] = hex[c >> 4];
                tok[2] = hex[c & 15];
                t = 3;
            }
            /* a soft break keeps each line at 76 with its '=' */
            if (col + t > QP_LINE - 1) {
                puts_(b, "=\r\n");
                col = 0;
                if (c == '.') { /* now opening a line */
                    tok[0] = '=', tok[1] = '2', tok[2] = 'E';
                    t = 3;
                }
            }
            put(b, tok, t);
            col += t;
        }
        puts_(b, "\r\n");
        s += len;
        if (*s == '\n')
            s++;
    }
}

/* ---- header text ---- */

/* Writes text as RFC 2047 "B" encoded words of at most EW_BYTES bytes each,
 * cut on UTF-8 character boundaries, one per folded line. */
static void encoded_words(mbuf *b, const char *s)
{
    size_t n = strlen(s), i = 0;
    bool first = true;
    while (i < n) {
        size_t take = 0;
        while (i + take < n) {
            size_t l = cck_utf8_seq_len((const uint8_t *)s + i + take, n - i - take);
            if (l == 0)
                l = 1; /* callers pass valid UTF-8; never loop forever */
            if (take + l > EW_BYTES)
                break;
            take += l;
        }
        char enc[EW_BYTES / 3 * 4 + 8];
        b64_raw((const unsigned char *)s + i, take, enc);
        if (!first)
            puts_(b, "\r\n ");
        putf(b, "=?UTF-8?B?%s?=", enc);
        first = false;
        i += take;
    }
}

/* Text of a header (the subject, a display name) is refused when it holds a
 * control character (that is how headers get injected) or invalid UTF-8. */
static int check_text(const char *what, const char *s, char *why, size_t why_size)
{
    char tmp[420];
    if (has_ctl(s))
        return fail(why, why_size, "%s \"%s\" contains a control character (line break?)", what,
                    shown(s, tmp, sizeof tmp));
    if (strlen(s) > CCK_MAIL_TEXT_MAX)
        return fail(why, why_size, "%s is longer than %d bytes", what, CCK_MAIL_TEXT_MAX);
    if (cck_utf8_invalid((const uint8_t *)s, strlen(s)))
        return fail(why, why_size, "%s \"%s\" is not valid UTF-8", what, shown(s, tmp, sizeof tmp));
    return 0;
}

/* The subject: as is when it is short printable ASCII that cannot be taken
 * for an encoded word, else encoded words. */
static void put_subject(mbuf *b, const char *s)
{
    puts_(b, "Subject: ");
    if (is_ascii_printable(s) && !strstr(s, "=?") && strlen(s) + 9 <= LINE_MAX_OCTETS)
        puts_(b, s);
    else
        encoded_words(b, s);
    puts_(b, "\r\n");
}

/* ---- addresses (RFC 5322 §3.4, restricted to what SMTP paths carry) ---- */

static bool atext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

static const char *addr_spec_problem(const char *a, size_t n)
{
    const char *at = memchr(a, '@', n);
    if (!at)
        return "no '@'";
    size_t ln = (size_t)(at - a), dn = n - ln - 1;
    if (ln == 0)
        return "nothing before '@'";
    if (ln > CCK_MAIL_LOCAL_MAX)
        return "the part before '@' is longer than 64 characters";
    if (n > CCK_MAIL_ADDR_MAX)
        return "longer than 254 characters";
    for (size_t i = 0; i < ln; i++) {
        if (a[i] == '.') {
            if (i == 0 || i + 1 == ln || a[i + 1] == '.')
                return "a '.' at the start or end of the part before '@', or two in a row";
        } else if (!atext((unsigned char)a[i]))
            return "a character that needs quoting before '@' (quoted local parts are not "
                   "supported)";
    }
    const char *d = at + 1;
    if (dn == 0)
        return "nothing after '@'";
    size_t label = 0;
    for (size_t i = 0; i <= dn; i++) {
        char c = i < dn ? d[i] : '.';
        if (c == '.') {
            if (label == 0 || label > 63)
                return "an empty or too long domain label";
            if (d[i - 1] == '-')
                return "a domain label ending in '-'";
            label = 0;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  (c == '-' && label > 0);
        if (!ok)
            return "a character a domain name cannot have after '@'";
        label++;
    }
    return NULL;
}

/* Splits "Name <addr>" / "\"Name\" <addr>" / "addr"; name and addr are
 * written into the buffers (name unquoted). */
static int split_addr(const char *s, char *name, size_t name_size, char *addr, size_t addr_size,
                      char *why, size_t why_size)
{
    char tmp[420];
    if (has_ctl(s))
        return fail(why, why_size, "address \"%s\" contains a control character (line break?)",
                    shown(s, tmp, sizeof tmp));
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    while (n && *s == ' ') /* n first: an address of spaces only is empty */
        s++, n--;
    const char *lt = NULL;
    if (n && s[n - 1] == '>')
        for (size_t i = n; i-- > 0;)
            if (s[i] == '<') {
                lt = s + i;
                break;
            }
    const char *a = s;
    size_t an = n;
    name[0] = 0;
    if (lt) {
        a = lt + 1;
        an = (size_t)(s + n - 1 - a);
        size_t nn = (size_t)(lt - s);
        while (nn && s[nn - 1] == ' ')
            nn--;
        const char *nm = s;
        size_t k = 0;
        bool quoted = nn >= 2 && nm[0] == '"' && nm[nn - 1] == '"';
        for (size_t i = quoted; i < nn - quoted && k + 1 < name_size; i++) {
            if (quoted && nm[i] == '\\' && i + 1 < nn - 1)
                i++;
            name[k++] = nm[i];
        }
        name[k] = 0;
        if (k > CCK_MAIL_TEXT_MAX || k + 1 >= name_size)
            return fail(why, why_size, "address \"%s\": the name is too long",
                        shown(s, tmp, sizeof tmp));
        if (cck_utf8_invalid((const uint8_t *)name, k))
            return fail(why, why_size, "address \"%s\": the name is not valid UTF-8",
                        shown(s, tmp, sizeof tmp));
    }
    const char *p = an ? addr_spec_problem(a, an) : "empty";
    if (p)
        return fail(why, why_size, "address \"%s\" is not valid: %s", shown(s, tmp, sizeof tmp), p);
    if (an + 1 > addr_size)
        return fail(why, why_size, "address \"%s\" is too long", shown(s, tmp, sizeof tmp));
    memcpy(addr, a, an);
    addr[an] = 0;
    return 0;
}

int cck_mail_addr_parse(const char *s, char *addr, size_t addr_size, char *why, size_t why_size)
{
    char name[CCK_MAIL_TEXT_MAX + 2], a[CCK_MAIL_ADDR_MAX + 1];
    if (!s)
        return fail(why, why_size, "no address given");
    if (split_addr(s, name, sizeof name, a, sizeof a, why, why_size) != 0)
        return -1;
    if (addr)
        snprintf(addr, addr_size, "%s", a);
    return 0;
}

/* "From: " / "To: " with a display name as a quoted string (short ASCII) or
 * encoded words, and the address on a line of its own when it would not fit. */
static int put_addr_header(mbuf *b, const char *hdr, const char *s, char *why, size_t why_size)
{
    char name[CCK_MAIL_TEXT_MAX + 2], addr[CCK_MAIL_ADDR_MAX + 1];
    if (split_addr(s, name, sizeof name, addr, sizeof addr, why, why_size) != 0)
        return -1;
    size_t col = strlen(hdr) + 2;
    putf(b, "%s: ", hdr);
    if (name[0]) {
        /* the quoted string's length, its backslashes included */
        size_t qlen = strlen(name) + 2;
        for (const char *p = name; *p; p++)
            qlen += *p == '"' || *p == '\\';
        if (is_ascii_printable(name) && !strstr(name, "=?") && col + qlen + 1 <= LINE_MAX_OCTETS) {
            put(b, "\"", 1);
            for (const char *p = name; *p; p++) {
                if (*p == '"' || *p == '\\')
                    put(b, "\\", 1);
                put(b, p, 1);
            }
            put(b, "\"", 1);
            col += qlen;
        } else {
            encoded_words(b, name);
            col = LINE_MAX_OCTETS; /* fold before the address */
        }
        if (col + strlen(addr) + 3 > LINE_MAX_OCTETS)
            puts_(b, "\r\n");
        put(b, " ", 1);
    }
    putf(b, "<%s>\r\n", addr);
    return 0;
}

/* ---- the message ---- */

static int check_token(const char *what, const char *s, size_t max, const char *bad, char *why,
                       size_t why_size)
{
    char tmp[420];
    if (!s || !*s)
        return fail(why, why_size, "no %s", what);
    if (!is_ascii_printable(s) || strlen(s) > max || strpbrk(s, bad))
        return fail(why, why_size,
                    "%s \"%s\" is not allowed (printable ASCII, at most %zu, none "
                    "of '%s')",
                    what, shown(s, tmp, sizeof tmp), max, bad);
    return 0;
}

int cck_mail_build(const cck_mail_msg *m, char **out, size_t *len, char *why, size_t why_size)
{
    *out = NULL;
    *len = 0;
    if (m->natt > CCK_MAIL_MAX_ATTACH)
        return fail(why, why_size, "%zu attachments, at most %d", m->natt, CCK_MAIL_MAX_ATTACH);
    if (check_text("the subject", m->subject ? m->subject : "", why, why_size) != 0)
        return -1;
    if (check_token("Message-ID", m->message_id, 250, " \"\\", why, why_size) != 0)
        return -1;
    const char *mid = m->message_id;
    if (mid[0] != '<' || mid[strlen(mid) - 1] != '>' || !strchr(mid, '@'))
        return fail(why, why_size, "Message-ID \"%s\" is not <unique@domain>", mid);
    const char *bd = m->boundary;
    if (!bd || strncmp(bd, "=_", 2) != 0 || strlen(bd) < 3 || strlen(bd) > 62 ||
        strspn(bd + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
            strlen(bd) - 2)
        return fail(why, why_size, "boundary is not \"=_\" and 1 to 60 of [A-Za-z0-9._-]");
    for (size_t i = 0; i < m->natt; i++) {
        if (check_token("attachment name", m->att[i].filename, 60, "\"\\/", why, why_size) != 0 ||
            check_token("attachment type", m->att[i].content_type, 60, "\"\\", why, why_size) != 0)
            return -1;
        if (m->att[i].len && !m->att[i].data)
            return fail(why, why_size, "attachment %s has no data", m->att[i].filename);
    }
    time_t t = (time_t)m->date;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 1970 || tm.tm_year + 1900 > 9999)
        return fail(why, why_size, "date %lld out of range", (long long)m->date);

    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    mbuf b = {0};
    putf(&b, "Date: %s, %d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
         months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (put_addr_header(&b, "From", m->from, why, why_size) != 0 ||
        put_addr_header(&b, "To", m->to, why, why_size) != 0) {
        free(b.p);
        return -1;
    }
    put_subject(&b, m->subject ? m->subject : "");
    putf(&b, "Message-ID: %s\r\n", mid);
    /* RFC 3834: machine-made, so auto-responders stay quiet */
    puts_(&b, "Auto-Submitted: auto-generated\r\n"
              "MIME-Version: 1.0\r\n");
    putf(&b, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", bd);
    puts_(&b, "This is a MIME message.\r\n");
    putf(&b,
         "\r\n--%s\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
         bd);
    qp_body(&b, m->body ? m->body : "");
    for (size_t i = 0; i < m->natt; i++) {
        const cck_mail_attachment *a = &m->att[i];
        putf(&b, "\r\n--%s\r\nContent-Type: %s;\r\n name=\"%s\"\r\n", bd, a->content_type,
             a->filename);
        putf(&b,
             "Content-Transfer-Encoding: base64\r\n"
             "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n\r\n",
             a->filename);
        size_t need = cck_mail_b64_size(a->len);
        char *enc = malloc(need);
        if (!enc) {
            b.oom = true;
            break;
        }
        size_t k = cck_mail_b64(a->data, a->len, enc);
        put(&b, enc, k);
        free(enc);
    }
    putf(&b, "\r\n--%s--\r\n", bd);
    if (b.oom) {
        free(b.p);
        return fail(why, why_size, "out of memory building the mail");
    }
    *out = b.p;
    *len = b.n;
    return 0;
}

/* ---- configuration ---- */

void cck_mail_cfg_init(cck_mail_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->starttls = CCK_STARTTLS_TRY;
    c->tls_verify = true;
    c->connect_timeout_ms = CCK_MAIL_CONNECT_TIMEOUT_MS;
    c->timeout_ms = CCK_MAIL_TIMEOUT_MS;
}

static unsigned port_of(const cck_mail_cfg *c)
{
    return c->port ? c->port : c->smtps ? 465 : 25;
}

void cck_mail_cfg_name(const cck_mail_cfg *c, char *buf, size_t size)
{
    const char *h = c->host ? c->host : "";
    bool v6 = strchr(h, ':') != NULL;
    snprintf(buf, size, "%s://%s%s%s:%u", c->smtps ? "smtps" : "smtp", v6 ? "[" : "", h,
             v6 ? "]" : "", port_of(c));
}

int cck_mail_cfg_url(cck_mail_cfg *c, const char *url, char *host_buf, size_t host_size, char *why,
                     size_t why_size)
{
    char tmp[420];
    const char *p;
    if (!url || has_ctl(url))
        return fail(why, why_size, "SMTP URL \"%s\" contains a control character",
                    url ? shown(url, tmp, sizeof tmp) : "");
    if (!strncmp(url, "smtp://", 7)) {
        c->smtps = false;
        p = url + 7;
    } else if (!strncmp(url, "smtps://", 8)) {
        c->smtps = true;
        p = url + 8;
    } else
        return fail(why, why_size, "SMTP URL \"%s\" does not start with smtp:// or smtps://",
                    shown(url, tmp, sizeof tmp));
    size_t hn;
    const char *h = p;
    if (*p == '[') {
        const char *e = strchr(p, ']');
        if (!e)
            return fail(why, why_size, "SMTP URL \"%s\": no ']' after the IPv6 address",
                        shown(url, tmp, sizeof tmp));
        h = p + 1;
        hn = (size_t)(e - h);
        p = e + 1;
    } else {
        hn = strcspn(p, ":/?#@");
        p += hn;
    }
    if (*p == '@' || memchr(url, '@', strlen(url)))
        return fail(why, why_size,
                    "SMTP URL \"%s\" has a user name in it: give the user and "
                    "password separately, never in the URL",
                    shown(url, tmp, sizeof tmp));
    if (hn == 0 || hn > CCK_MAIL_HOST_MAX || hn + 1 > host_size)
        return fail(why, why_size, "SMTP URL \"%s\": no host, or a host too long",
                    shown(url, tmp, sizeof tmp));
    for (size_t i = 0; i < hn; i++) {
        char ch = h[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              strchr(".-:", ch)))
            return fail(why, why_size, "SMTP URL \"%s\": '%c' cannot be in a host name",
                        shown(url, tmp, sizeof tmp), ch);
    }
    unsigned port = 0;
    if (*p == ':') {
        p++;
        if (*p < '0' || *p > '9')
            return fail(why, why_size, "SMTP URL \"%s\": no port number after ':'",
                        shown(url, tmp, sizeof tmp));
        while (*p >= '0' && *p <= '9' && port <= 65535)
            port = port * 10 + (unsigned)(*p++ - '0');
        if (port == 0 || port > 65535)
            return fail(why, why_size, "SMTP URL \"%s\": port out of range 1-65535",
                        shown(url, tmp, sizeof tmp));
    }
    if (*p == '/')
        p++;
    if (*p)
        return fail(why, why_size,
                    "SMTP URL \"%s\": only smtp://HOST:PORT is understood, not "
                    "\"%s\"",
                    shown(url, tmp, sizeof tmp), p);
    memcpy(host_buf, h, hn);
    host_buf[hn] = 0;
    c->host = host_buf;
    c->port = port;
    return 0;
}

/* ---- sending ---- */

typedef struct reader {
    const char *p;
    size_t left;
} reader;

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ud)
{
    reader *r = ud;
    size_t n = size * nmemb;
    if (n > r->left)
        n = r->left;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

int cck_mail_send(const cck_mail_cfg *cfg, const char *to, const char *msg, size_t len, char *why,
                  size_t why_size)
{
    char from[CCK_MAIL_ADDR_MAX + 3], rcpt[CCK_MAIL_ADDR_MAX + 3];
    char fa[CCK_MAIL_ADDR_MAX + 1], ta[CCK_MAIL_ADDR_MAX + 1];
    if (!cfg->host || !*cfg->host)
        return fail(why, why_size, "no SMTP host configured");
    if (cck_mail_addr_parse(cfg->from, fa, sizeof fa, why, why_size) != 0 ||
        cck_mail_addr_parse(to, ta, sizeof ta, why, why_size) != 0)
        return -1;
    snprintf(from, sizeof from, "<%s>", fa);
    snprintf(rcpt, sizeof rcpt, "<%s>", ta);
    char url[CCK_MAIL_HOST_MAX + 32];
    cck_mail_cfg_name(cfg, url, sizeof url);
    strcat(url, "/");

    if (!cck_lazylib_load(&cck_lazy_curl, why, why_size)) /* "cannot load libcurl (...)" */
        return -1;
    CURL *c = curl_easy_init();
    if (!c)
        return fail(why, why_size, "cannot start libcurl");
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    char err[CURL_ERROR_SIZE];
    err[0] = 0;
    reader rd = {msg, len};
    bool user = cfg->user && *cfg->user;
    long cto = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : CCK_MAIL_CONNECT_TIMEOUT_MS;
    long tto = cfg->timeout_ms > 0 ? cfg->timeout_ms : CCK_MAIL_TIMEOUT_MS;
    long ssl = cfg->smtps                               ? (long)CURLUSESSL_ALL
               : cfg->starttls == CCK_STARTTLS_REQUIRED ? (long)CURLUSESSL_ALL
               : cfg->starttls == CCK_STARTTLS_TRY      ? (long)CURLUSESSL_TRY
                                                        : (long)CURLUSESSL_NONE;
    CURLcode rc = rcpts ? CURLE_OK : CURLE_OUT_OF_MEMORY;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(c, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_ERRORBUFFER, err);
    SET(CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, cto);
    SET(CURLOPT_TIMEOUT_MS, tto);
    SET(CURLOPT_USE_SSL, ssl);
    SET(CURLOPT_SSL_VERIFYPEER, cfg->tls_verify ? 1L : 0L);
    SET(CURLOPT_SSL_VERIFYHOST, cfg->tls_verify ? 2L : 0L);
    SET(CURLOPT_MAIL_FROM, from);
    SET(CURLOPT_MAIL_RCPT, rcpts);
    SET(CURLOPT_UPLOAD, 1L);
    SET(CURLOPT_READFUNCTION, read_cb);
    SET(CURLOPT_READDATA, &rd);
    SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    if (user) {
        SET(CURLOPT_USERNAME, cfg->user);
        SET(CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
    }
#undef SET
    if (rc == CURLE_OK)
        rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    curl_slist_free_all(rcpts);
    if (rc == CURLE_OK)
        return 0;
    /* libcurl's own words are the most precise; its error buffer never holds
     * the password, but a server reply might echo the user: that is fine. */
    const char *what = err[0] ? err : curl_easy_strerror(rc);
    if (rc == CURLE_USE_SSL_FAILED)
        return fail(why, why_size, "the server does not offer STARTTLS and TLS is required (%s)",
                    what);
    if (rc == CURLE_LOGIN_DENIED)
        return fail(why, why_size, "the server refused the user name or password (%s)", what);
    if (code >= 400)
        return fail(why, why_size, "the server refused the mail: %s (reply %ld)", what, code);
    return fail(why, why_size, "%s", what);
}

/* ---- the report mail ---- */

/* Any bytes made fit for a header and a text body: control characters become
 * spaces, invalid UTF-8 U+FFFD; cut on a character boundary to fit `size`. */
static void safe_text(const char *s, char *out, size_t size)
{
    size_t n = strlen(s), k = 0, i = 0;
    while (i < n) {
        size_t l = cck_utf8_seq_len((const uint8_t *)s + i, n - i);
        const char *src = s + i;
        size_t w = l;
        if (l == 0) {
            src = "\xEF\xBF\xBD";
            w = 3;
            l = 1;
        } else if (l == 1 && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)) {
            src = " ";
        }
        if (k + w + 1 > size)
            break;
        memcpy(out + k, src, w);
        k += w;
        i += l;
    }
    out[k] = 0;
}

static const char *describe(const char *name)
{
    if (!strcmp(name, "CalCheck.log"))
        return "each problem item, what is wrong with it, what to do";
    if (!strcmp(name, "CalCheckErr.csv"))
        return "the problem items, one row each, for a spreadsheet";
    if (!strcmp(name, "CALCHECK.CSV"))
        return "every item of the calendar, one row each";
    return "";
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

char *cck_mail_report_text(const cck_mail_summary *s, const char *const *names, size_t n,
                           const char *missing, char *subj, size_t subj_size)
{
    char mb[201];
    safe_text(s->mailbox ? s->mailbox : "your calendar", mb, sizeof mb);
    char full[CCK_MAIL_TEXT_MAX + 1];
    snprintf(full, sizeof full, "calcheck: %zu problem %s in %s (%zu %s, %zu %s)", s->problem_items,
             plural(s->problem_items, "item", "items"), mb, s->errors,
             plural(s->errors, "error", "errors"), s->warnings,
             plural(s->warnings, "warning", "warnings"));
    safe_text(full, subj, subj_size); /* cut on a character boundary */
    mbuf b = {0};
    putf(&b,
         "calcheck checked the calendar %s and found problems\n"
         "in %zu of its %zu %s: %zu %s and %zu %s.\n\n",
         mb, s->problem_items, s->items, plural(s->items, "item", "items"), s->errors,
         plural(s->errors, "error", "errors"), s->warnings,
         plural(s->warnings, "warning", "warnings"));
    putf(&b,
         "  Items checked:  %zu\n  Problem items:  %zu\n  Errors:         %zu\n"
         "  Warnings:       %zu\n\n",
         s->items, s->problem_items, s->errors, s->warnings);
    if (n) {
        puts_(&b, "Attached:\n");
        for (size_t i = 0; i < n; i++)
            putf(&b, "  %-16s %s\n", names[i], describe(names[i]));
        puts_(&b, "\n");
    }
    if (missing && *missing) {
        char safe[600];
        safe_text(missing, safe, sizeof safe);
        putf(&b, "Not attached: %s\n\n", safe);
    }
    puts_(&b, "What to do:\n"
              "1. Open CalCheck.log. Each problem item is listed with its subject,\n"
              "   start and organizer so you can find it in your calendar, followed\n"
              "   by what is wrong with it.\n"
              "2. Start with the errors: they are the items that make meetings\n"
              "   vanish, break synchronisation or crash the calendar client. The end\n"
              "   of the log says what to do about each kind of problem (often:\n"
              "   delete the item and create it again, or ask the organizer to send\n"
              "   an update). Warnings are worth a look but rarely urgent.\n"
              "3. Not sure? Forward this mail to your help desk. Do not delete\n"
              "   meetings you organise without telling the attendees.\n\n");
    putf(&b,
         "-- \ncalcheck %s, the open Calendar Checking Tool.\n"
         "This mail was sent automatically; replies may not be read.\n",
         s->version ? s->version : "");
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* Unpredictable hex for Message-ID and boundary: the kernel's random bytes,
 * else the clock and the process id. */
static void random_hex(char *out, size_t nbytes)
{
    unsigned char r[32];
    if (nbytes > sizeof r)
        nbytes = sizeof r;
    bool got = false;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        got = read(fd, r, nbytes) == (ssize_t)nbytes;
        close(fd);
    }
    if (!got) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long v = (unsigned long long)ts.tv_nsec ^
                               ((unsigned long long)ts.tv_sec << 20) ^
                               ((unsigned long long)getpid() << 40);
        for (size_t i = 0; i < nbytes; i++) {
            v = v * 6364136223846793005ULL + 1442695040888963407ULL;
            r[i] = (unsigned char)(v >> 56);
        }
    }
    for (size_t i = 0; i < nbytes; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
}

static const char *type_of(const char *name)
{
    size_t n = strlen(name);
    if (n > 4 && !strcasecmp(name + n - 4, ".log"))
        return "text/plain; charset=utf-8";
    if (n > 4 && !strcasecmp(name + n - 4, ".csv"))
        return "text/csv; charset=utf-8";
    return "application/octet-stream";
}

int cck_mail_report(const cck_mail_cfg *cfg, const char *to, const cck_mail_summary *sum,
                    const char *const *attach_paths, size_t n, char *why, size_t why_size)
{
    char fa[CCK_MAIL_ADDR_MAX + 1];
    if (n > CCK_MAIL_MAX_ATTACH)
        return fail(why, why_size, "%zu attachments, at most %d", n, CCK_MAIL_MAX_ATTACH);
    if (cck_mail_addr_parse(cfg->from, fa, sizeof fa, why, why_size) != 0 ||
        cck_mail_addr_parse(to, NULL, 0, why, why_size) != 0)
        return -1;
    cck_file files[CCK_MAIL_MAX_ATTACH];
    cck_mail_attachment att[CCK_MAIL_MAX_ATTACH];
    char names[CCK_MAIL_MAX_ATTACH][61];
    const char *shown_names[CCK_MAIL_MAX_ATTACH];
    char missing[600] = "";
    size_t natt = 0;
    int rc = -1;
    char *body = NULL, *msg = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *path = attach_paths[i];
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t k = 0;
        for (; base[k] && k < 60; k++) /* a safe attachment name whatever the file's */
            names[natt][k] = (unsigned char)base[k] < 0x21 || (unsigned char)base[k] > 0x7e ||
                                     strchr("\"\\/", base[k])
                                 ? '_'
                                 : base[k];
        names[natt][k] = 0;
        struct stat st;
        const char *fwhy = NULL;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
            (uint64_t)st.st_size > CCK_MAIL_ATTACH_BYTES) {
            size_t m = strlen(missing);
            snprintf(missing + m, sizeof missing - m,
                     "%s%s (%lld bytes, over the %u MiB a mail "
                     "carries; it stays at %s)",
                     m ? "; " : "", names[natt], (long long)st.st_size, CCK_MAIL_ATTACH_BYTES >> 20,
                     path);
            continue;
        }
        if (cck_file_read(path, CCK_MAIL_ATTACH_BYTES, &files[natt], &fwhy) != 0) {
            char tmp[420];
            fail(why, why_size, "%s: %s", shown(path, tmp, sizeof tmp), fwhy);
            goto out;
        }
        att[natt].filename = names[natt];
        att[natt].content_type = type_of(names[natt]);
        att[natt].data = files[natt].data;
        att[natt].len = files[natt].len;
        shown_names[natt] = names[natt];
        natt++;
    }
    char subject[CCK_MAIL_TEXT_MAX + 1];
    body = cck_mail_report_text(sum, shown_names, natt, missing, subject, sizeof subject);
    if (!body) {
        fail(why, why_size, "out of memory");
        goto out;
    }
    char rnd[49], mid[CCK_MAIL_ADDR_MAX + 80], boundary[64];
    random_hex(rnd, 24);
    const char *domain = strchr(fa, '@') + 1;
    snprintf(mid, sizeof mid, "<%lld.%.16s@%s>", (long long)time(NULL), rnd, domain);
    snprintf(boundary, sizeof boundary, "=_calcheck_%.32s", rnd + 16);
    cck_mail_msg m = {cfg->from, to, subject, body, att, natt, (int64_t)time(NULL), mid, boundary};
    size_t len = 0;
    if (cck_mail_build(&m, &msg, &len, why, why_size) != 0)
        goto out;
    rc = cck_mail_send(cfg, to, msg, len, why, why_size);
out:
    for (size_t i = 0; i < natt; i++)
        cck_file_release(&files[i]);
    free(body);
    free(msg);
    return rc;
}
