/* test_mail.c - the -R mail builder (report/mail.h): the exact bytes of a
 * small message, base64 and quoted-printable decoded back to their input,
 * RFC 2047 subjects cut on character boundaries, header injection refused,
 * address and URL validation, every line within 78 octets and 7-bit. */
#include <stdlib.h>

#include "report/mail.h"
#include "unit.h"

static int b64val(char c)
{
    const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(t, c) : NULL;
    return p ? (int)(p - t) : -1;
}

/* Decodes base64, skipping CR/LF; returns the byte count or -1. */
static long b64dec(const char *s, size_t n, unsigned char *out)
{
    long k = 0;
    int q[4], nq = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' || s[i] == '\n')
            continue;
        q[nq++] = s[i] == '=' ? 0 : b64val(s[i]);
        if (q[nq - 1] < 0)
            return -1;
        if (nq == 4) {
            unsigned v = (unsigned)(q[0] << 18 | q[1] << 12 | q[2] << 6 | q[3]);
            out[k++] = (unsigned char)(v >> 16);
            if (s[i - 1] != '=')
                out[k++] = (unsigned char)(v >> 8);
            if (s[i] != '=')
                out[k++] = (unsigned char)v;
            nq = 0;
        }
    }
    return nq ? -1 : k;
}

/* Decodes quoted-printable with CRLF line ends into LF text. */
static size_t qpdec(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=' && i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
            i += 2;
        } else if (s[i] == '=' && i + 2 < n) {
            unsigned v;
            char hx[3] = {s[i + 1], s[i + 2], 0};
            sscanf(hx, "%2X", &v);
            out[k++] = (char)v;
            i += 2;
        } else if (s[i] == '\r') {
            continue;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = 0;
    return k;
}

/* Every line ends in CRLF, has at most 78 octets and only 7-bit bytes. */
static int lines_ok(const char *m, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)m[i];
        if (c == '\r') {
            if (i + 1 >= n || m[i + 1] != '\n')
                return 0;
            i++;
            col = 0;
            continue;
        }
        if (c == '\n' || c >= 0x80 || c == 0 || ++col > 78)
            return 0;
    }
    return col == 0;
}

static const cck_mail_attachment att1 = {"CalCheck.log", "text/plain; charset=utf-8", "hi\n", 3};

static cck_mail_msg base_msg(void)
{
    cck_mail_msg m = {0};
    m.from = "calcheck@example.org";
    m.to = "Anna Smith <anna@example.org>";
    m.subject = "calcheck: 2 problem items";
    m.body = "Hello.\n";
    m.att = &att1;
    m.natt = 1;
    m.date = 1795600800; /* 2026-11-25 10:00:00 UTC, a Wednesday */
    m.message_id = "<1.2@example.org>";
    m.boundary = "=_b";
    return m;
}

static void test_message_bytes(void)
{
    cck_mail_msg m = base_msg();
    m.body = "Hello.\n.dot\nend with space \n";
    char *out = NULL, why[CCK_MAIL_WHY_MAX];
    size_t len = 0;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    const char *want = "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                       "From: <calcheck@example.org>\r\n"
                       "To: \"Anna Smith\" <anna@example.org>\r\n"
                       "Subject: calcheck: 2 problem items\r\n"
                       "Message-ID: <1.2@example.org>\r\n"
                       "Auto-Submitted: auto-generated\r\n"
                       "MIME-Version: 1.0\r\n"
                       "Content-Type: multipart/mixed;\r\n boundary=\"=_b\"\r\n"
                       "\r\n"
                       "This is a MIME message.\r\n"
                       "\r\n--=_b\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: quoted-printable\r\n"
                       "\r\n"
                       "Hello.\r\n"
                       "=2Edot\r\n"            /* a line never starts with '.' (SMTP) */
                       "end with space=20\r\n" /* trailing white space is encoded */
                       "\r\n--=_b\r\n"
                       "Content-Type: text/plain; charset=utf-8;\r\n name=\"CalCheck.log\"\r\n"
                       "Content-Transfer-Encoding: base64\r\n"
                       "Content-Disposition: attachment;\r\n filename=\"CalCheck.log\"\r\n"
                       "\r\n"
                       "aGkK\r\n"
                       "\r\n--=_b--\r\n";
    CHECK_EQ_STR(out, want);
    CHECK_EQ_INT(len, strlen(want));
    free(out);
}

static void test_base64_round_trip(void)
{
    unsigned char in[400], back[400];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (unsigned char)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof in; n += n < 10 ? 1 : 19) {
        size_t size = cck_mail_b64_size(n);
        char *enc = malloc(size);
        size_t k = cck_mail_b64(in, n, enc);
        CHECK(k + 1 <= size);
        CHECK_EQ_INT(strlen(enc), k);
        CHECK(lines_ok(enc, k));
        /* full lines are exactly 76 characters */
        if (n > 57)
            CHECK(enc[76] == '\r' && enc[77] == '\n');
        CHECK_EQ_INT(b64dec(enc, k, back), n);
        CHECK(n == 0 || memcmp(in, back, n) == 0);
        free(enc);
    }
    char enc[16];
    cck_mail_b64("Man", 3, enc);
    CHECK_EQ_STR(enc, "TWFu\r\n");
    cck_mail_b64("Ma", 2, enc);
    CHECK_EQ_STR(enc, "TWE=\r\n");
    cck_mail_b64("M", 1, enc);
    CHECK_EQ_STR(enc, "TQ==\r\n");
}

/* The attachment of a built message, decoded, is the input again. */
static void test_attachment_round_trip(void)
{
    size_t n = 100000;
    unsigned char *data = malloc(n), *back = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)((i * 2654435761u) >> 13);
    cck_mail_attachment a[2] = {{"CalCheck.log", "text/plain; charset=utf-8", "log\n", 4},
                                {"CALCHECK.CSV", "text/csv; charset=utf-8", data, n}};
    cck_mail_msg m = base_msg();
    m.att = a;
    m.natt = 2;
    char *out = NULL, why[CCK_MAIL_WHY_MAX];
    size_t len = 0;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && lines_ok(out, len));
    const char *p = out ? strstr(out, "filename=\"CALCHECK.CSV\"\r\n\r\n") : NULL;
    CHECK(p != NULL);
    if (p) {
        p += strlen("filename=\"CALCHECK.CSV\"\r\n\r\n");
        const char *end = strstr(p, "\r\n--=_b--\r\n");
        CHECK(end != NULL);
        if (end)
            CHECK_EQ_INT(b64dec(p, (size_t)(end - p), back), n);
        CHECK(memcmp(back, data, n) == 0);
    }
    free(out);
    free(data);
    free(back);
}

/* Every control character in a header value is refused: no value can end
 * its header line and start another. */
static void test_header_injection_refused(void)
{
    char *out = NULL, why[CCK_MAIL_WHY_MAX];
    size_t len = 0;
    cck_mail_msg m = base_msg();
    m.subject = "report\r\nBcc: victim@example.com";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    CHECK(out == NULL);
    CHECK(strstr(why, "the subject") && strstr(why, "\\r\\nBcc"));
    CHECK(!strchr(why, '\n') && !strchr(why, '\r'));
    m = base_msg();
    m.subject = "only LF\nX-Evil: 1";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    m = base_msg();
    m.to = "anna@example.org\r\nBcc: victim@example.com";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    CHECK(strstr(why, "address \"anna@example.org\\r\\nBcc") != NULL);
    m = base_msg();
    m.from = "Evil\n <calcheck@example.org>";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    m = base_msg();
    m.message_id = "<a@b>\r\nX: y";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    cck_mail_attachment a = {"x.log\r\nX-Evil: 1", "text/plain", "", 0};
    m = base_msg();
    m.att = &a;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    CHECK(strstr(why, "attachment name") != NULL);
    cck_mail_attachment b = {"x\".log", "text/plain", "", 0};
    m.att = &b;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    cck_mail_attachment c = {"x.log", "text/plain\r\nX: 1", "", 0};
    m.att = &c;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    m = base_msg();
    m.boundary = "plain"; /* a boundary that text could contain */
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    m = base_msg();
    m.subject = "bad \xff UTF-8";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), -1);
    CHECK(strstr(why, "UTF-8") != NULL);
    CHECK(out == NULL);
}

/* Decodes every "=?UTF-8?B?...?=" word of the Subject header in order,
 * checking each is at most 75 characters and whole UTF-8 on its own. */
static int subject_words(const char *msg, char *text, size_t *nwords)
{
    const char *p = strstr(msg, "\r\nSubject: ");
    if (!p)
        return -1;
    p += 11;
    size_t k = 0;
    *nwords = 0;
    for (;;) {
        if (strncmp(p, "=?UTF-8?B?", 10) != 0)
            return -1;
        const char *e = strstr(p, "?=");
        if (!e || e - p + 2 > 75)
            return -1;
        long n = b64dec(p + 10, (size_t)(e - p - 10), (unsigned char *)text + k);
        if (n < 0)
            return -1;
        for (long i = 0; i < n;) { /* whole characters in each word */
            unsigned char c = (unsigned char)text[k + i];
            long l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (i + l > n)
                return -1;
            i += l;
        }
        k += (size_t)n;
        (*nwords)++;
        p = e + 2;
        if (strncmp(p, "\r\n ", 3) != 0)
            break;
        p += 3;
    }
    text[k] = 0;
    return strncmp(p, "\r\n", 2) == 0 ? 0 : -1;
}

static void test_rfc2047_subject(void)
{
    char *out = NULL, why[CCK_MAIL_WHY_MAX], text[1000];
    size_t len = 0, nw = 0;
    cck_mail_msg m = base_msg();
    m.subject = "calcheck: 3 problèmes dans Kalender Müller";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && lines_ok(out, len));
    CHECK_EQ_INT(subject_words(out, text, &nw), 0);
    CHECK_EQ_STR(text, m.subject);
    CHECK_EQ_INT(nw, 2);
    free(out);
    /* a long subject of 2-, 3- and 4-byte characters: many words, each whole */
    char subj[401] = "";
    for (int i = 0; i < 30; i++)
        strcat(subj, "é€😀 ");
    m.subject = subj;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && lines_ok(out, len));
    CHECK_EQ_INT(subject_words(out, text, &nw), 0);
    CHECK_EQ_STR(text, subj);
    CHECK(nw >= 8);
    free(out);
    /* ASCII that could be read as an encoded word is encoded itself */
    m.subject = "=?UTF-8?B?SGk=?=";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK_EQ_INT(subject_words(out, text, &nw), 0);
    CHECK_EQ_STR(text, m.subject);
    free(out);
    /* a long ASCII subject is encoded too, to keep lines short */
    char longs[300];
    memset(longs, 'a', 250);
    longs[250] = 0;
    m.subject = longs;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && lines_ok(out, len));
    CHECK_EQ_INT(subject_words(out, text, &nw), 0);
    CHECK_EQ_STR(text, longs);
    free(out);
    /* a name whose quotes and backslashes need escaping still fits the line */
    m = base_msg();
    m.to = "a\"b\"c\"d\"e\"f\"g\"h\"i\"j\"k\"l\"m\"n\"o\"p\"q\"r\"s\"t\\u\\v\\w <x@example.org>";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && lines_ok(out, len));
    free(out);
    /* a non-ASCII display name is encoded; the address stays as is */
    m = base_msg();
    m.to = "Jürgen Groß <jg@example.org>";
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && strstr(out, "\r\nTo: =?UTF-8?B?SsO8cmdlbiBHcm/Dnw==?=\r\n <jg@example.org>\r\n"));
    free(out);
}

/* Long body lines are cut with soft breaks and decode to the same text. */
static void test_long_lines(void)
{
    char body[3000];
    size_t k = 0;
    for (int i = 0; i < 600; i++)
        k += (size_t)snprintf(body + k, sizeof body - k, "%s", i % 7 == 0 ? "ü= " : "ab");
    body[k++] = '\n';
    memcpy(body + k, "tail  \n", 8);
    cck_mail_msg m = base_msg();
    m.body = body;
    char *out = NULL, why[CCK_MAIL_WHY_MAX];
    size_t len = 0;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && lines_ok(out, len));
    const char *p = out ? strstr(out, "quoted-printable\r\n\r\n") : NULL;
    CHECK(p != NULL);
    if (p) {
        p += strlen("quoted-printable\r\n\r\n");
        const char *e = strstr(p, "\r\n--=_b");
        char dec[4000];
        qpdec(p, (size_t)(e - p), dec);
        CHECK_EQ_STR(dec, body);
    }
    free(out);
}

static void test_addresses(void)
{
    char a[CCK_MAIL_ADDR_MAX + 1], why[CCK_MAIL_WHY_MAX];
    CHECK_EQ_INT(cck_mail_addr_parse("anna@example.org", a, sizeof a, why, sizeof why), 0);
    CHECK_EQ_STR(a, "anna@example.org");
    CHECK_EQ_INT(cck_mail_addr_parse("\"Smith, Anna\" <a.smith+cal@mail.example.org>", a, sizeof a,
                                     why, sizeof why),
                 0);
    CHECK_EQ_STR(a, "a.smith+cal@mail.example.org");
    CHECK_EQ_INT(cck_mail_addr_parse("root@localhost", a, sizeof a, why, sizeof why), 0);
    const char *bad[] = {"",
                         " ",
                         "   ",
                         "anna",
                         "@example.org",
                         "anna@",
                         "an na@example.org",
                         "anna..x@example.org",
                         ".anna@example.org",
                         "anna@exa_mple.org",
                         "anna@-example.org",
                         "anna@example-.org",
                         "anna@example..org",
                         "Anna <anna@example.org",
                         "anna@example.org>",
                         "<>",
                         "\"a b\"@example.org",
                         "anna@[127.0.0.1]",
                         "ännä@example.org"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = cck_mail_addr_parse(bad[i], a, sizeof a, why, sizeof why);
        if (rc != -1)
            printf("#   accepted '%s'\n", bad[i]);
        CHECK_EQ_INT(rc, -1);
        CHECK(strstr(why, "address \"") != NULL || strstr(why, "no address") != NULL);
    }
    char longl[100];
    memset(longl, 'x', 65);
    strcpy(longl + 65, "@example.org");
    CHECK_EQ_INT(cck_mail_addr_parse(longl, a, sizeof a, why, sizeof why), -1);
    CHECK(strstr(why, "64") != NULL);
    CHECK_EQ_INT(cck_mail_addr_parse("bad address", a, sizeof a, why, sizeof why), -1);
    CHECK_EQ_STR(why, "address \"bad address\" is not valid: no '@'");
}

static void test_smtp_url(void)
{
    cck_mail_cfg c;
    char host[CCK_MAIL_HOST_MAX + 1], why[CCK_MAIL_WHY_MAX], name[300];
    cck_mail_cfg_init(&c);
    CHECK(c.tls_verify && c.starttls == CCK_STARTTLS_TRY);
    CHECK_EQ_INT(cck_mail_cfg_url(&c, "smtp://127.0.0.1:2525", host, sizeof host, why, sizeof why),
                 0);
    CHECK_EQ_STR(c.host, "127.0.0.1");
    CHECK_EQ_INT(c.port, 2525);
    CHECK(!c.smtps);
    cck_mail_cfg_name(&c, name, sizeof name);
    CHECK_EQ_STR(name, "smtp://127.0.0.1:2525");
    CHECK_EQ_INT(
        cck_mail_cfg_url(&c, "smtps://mail.example.org/", host, sizeof host, why, sizeof why), 0);
    cck_mail_cfg_name(&c, name, sizeof name);
    CHECK_EQ_STR(name, "smtps://mail.example.org:465");
    CHECK_EQ_INT(cck_mail_cfg_url(&c, "smtp://[::1]:25", host, sizeof host, why, sizeof why), 0);
    cck_mail_cfg_name(&c, name, sizeof name);
    CHECK_EQ_STR(name, "smtp://[::1]:25");
    CHECK_EQ_INT(
        cck_mail_cfg_url(&c, "smtp://user:secret@host:25", host, sizeof host, why, sizeof why), -1);
    CHECK(strstr(why, "never in the URL") != NULL);
    const char *bad[] = {"http://host",   "smtp://",          "smtp://host:0", "smtp://host:70000",
                         "smtp://host:x", "smtp://host/path", "smtp://ho st",  "smtp://h\r\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(cck_mail_cfg_url(&c, bad[i], host, sizeof host, why, sizeof why), -1);
}

/* The report text: counts, the attachments, and a mailbox name made safe. */
static void test_report_text(void)
{
    cck_mail_summary s = {"cal\r\nBcc: victim@example.com \xff.ics", "9.9", 120, 3, 2, 1};
    const char *names[] = {"CalCheck.log", "CalCheckErr.csv"};
    char subj[CCK_MAIL_TEXT_MAX + 1];
    char *body = cck_mail_report_text(&s, names, 2, NULL, subj, sizeof subj);
    CHECK(body != NULL);
    CHECK_EQ_STR(subj, "calcheck: 3 problem items in cal  Bcc: victim@example.com \xEF\xBF\xBD.ics "
                       "(2 errors, 1 warning)");
    CHECK(body && strstr(body, "in 3 of its 120 items: 2 errors and 1 warning."));
    CHECK(body && strstr(body, "  CalCheck.log     each problem item, what is wrong"));
    CHECK(body && strstr(body, "  CalCheckErr.csv  the problem items"));
    CHECK(body && strstr(body, "calcheck 9.9,"));
    /* the cleaned subject builds; only the expected headers are there */
    cck_mail_msg m = base_msg();
    m.subject = subj;
    m.body = body;
    char *out = NULL, why[CCK_MAIL_WHY_MAX];
    size_t len = 0;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && !strstr(out, "\r\nBcc:"));
    free(out);
    free(body);
    /* a huge mailbox name is cut, on a character boundary */
    char big[2000] = "";
    for (int i = 0; i < 400; i++)
        strcat(big, "ü");
    s.mailbox = big;
    body = cck_mail_report_text(&s, names, 1, "CALCHECK.CSV (too large)", subj, sizeof subj);
    CHECK(strlen(subj) <= CCK_MAIL_TEXT_MAX);
    CHECK(body && strstr(body, "Not attached: CALCHECK.CSV (too large)"));
    m.subject = subj;
    m.body = body;
    CHECK_EQ_INT(cck_mail_build(&m, &out, &len, why, sizeof why), 0);
    CHECK(out && lines_ok(out, len));
    free(out);
    free(body);
}

/* Sending to a port nobody listens on fails with a reason, quickly. */
static void test_send_unreachable(void)
{
    cck_mail_cfg c;
    cck_mail_cfg_init(&c);
    c.host = "127.0.0.1";
    c.port = 9; /* discard: closed on a test machine */
    c.from = "calcheck@example.org";
    c.user = "u";
    c.password = "s3cr3t-pw";
    c.connect_timeout_ms = 2000;
    char why[CCK_MAIL_WHY_MAX];
    CHECK_EQ_INT(cck_mail_send(&c, "anna@example.org", "x\r\n", 3, why, sizeof why), -1);
    CHECK(why[0] != 0);
    CHECK(strstr(why, "s3cr3t") == NULL);
    c.from = "not an address";
    CHECK_EQ_INT(cck_mail_send(&c, "anna@example.org", "x\r\n", 3, why, sizeof why), -1);
    CHECK(strstr(why, "not an address") != NULL);
}

int main(void)
{
    RUN(test_message_bytes);
    RUN(test_base64_round_trip);
    RUN(test_attachment_round_trip);
    RUN(test_header_injection_refused);
    RUN(test_rfc2047_subject);
    RUN(test_long_lines);
    RUN(test_addresses);
    RUN(test_smtp_url);
    RUN(test_report_text);
    RUN(test_send_unreachable);
    return unit_done();
}
