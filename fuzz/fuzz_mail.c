/* fuzz_mail.c - libFuzzer target: the -R mail builder (report/mail.h) on
 * arbitrary addresses, SMTP URL, mailbox name, subject and body (NUL-separated
 * fields). Whatever the input, a built message must be 7-bit, CRLF-only, with
 * lines of at most 78 octets and exactly its eight headers (RFC 5322 §2.1.1,
 * §2.2): no field may add a header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless msg is a well-formed message with exactly eight headers.
 * Lines stay within 78 octets, but for an address that cannot be folded
 * (RFC 5322 §2.1.1's hard limit of 998 then). */
static void check_msg(const char *msg, size_t len)
{
    size_t col = 0, headers = 0, line = 0;
    bool in_head = true, at = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (c == '\r') {
            if (i + 1 >= len || msg[i + 1] != '\n')
                __builtin_trap();
            if (col > 78 && !(in_head && at && col <= 998))
                __builtin_trap();
            if (col == 0 && in_head)
                in_head = false;
            i++;
            col = 0;
            at = false;
            line = i + 1;
            continue;
        }
        if (c == '\n' || c == 0 || c >= 0x80)
            __builtin_trap();
        at |= c == '@';
        if (in_head && i == line && c != ' ')
            headers++;
        col++;
    }
    if (col != 0 || headers != 8)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* fields: from, to, mailbox/subject, url, body; missing ones are "" */
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = 0;
    const char *f[5] = {"", "", "", "", ""};
    size_t nf = 0, start = 0;
    for (size_t i = 0; i <= size && nf < 5; i++)
        if (i == size || copy[i] == 0) {
            f[nf++] = copy + start;
            start = i + 1;
        }
    char why[CCK_MAIL_WHY_MAX], addr[CCK_MAIL_ADDR_MAX + 1], host[CCK_MAIL_HOST_MAX + 1];
    int from_ok = cck_mail_addr_parse(f[0], addr, sizeof addr, why, sizeof why) == 0;
    int to_ok = cck_mail_addr_parse(f[1], addr, sizeof addr, why, sizeof why) == 0;
    cck_mail_cfg cfg;
    cck_mail_cfg_init(&cfg);
    if (cck_mail_cfg_url(&cfg, f[3], host, sizeof host, why, sizeof why) == 0) {
        char name[CCK_MAIL_HOST_MAX + 32];
        cck_mail_cfg_name(&cfg, name, sizeof name);
    }
    cck_mail_summary s = {f[2], "0", size, nf, 1, 2};
    const char *names[] = {"CalCheck.log"};
    char subj[CCK_MAIL_TEXT_MAX + 1];
    char *body = cck_mail_report_text(&s, names, 1, f[4], subj, sizeof subj);
    cck_mail_attachment att = {"CalCheck.log", "text/plain; charset=utf-8", data, size};
    cck_mail_msg m = {from_ok ? f[0] : "a@example.org",
                      to_ok ? f[1] : "b@example.org",
                      subj,
                      body ? body : "",
                      &att,
                      1,
                      1795600800,
                      "<1@example.org>",
                      "=_fuzz"};
    char *msg = NULL;
    size_t len = 0;
    /* the report's own subject from any mailbox name always builds */
    if (cck_mail_build(&m, &msg, &len, why, sizeof why) != 0)
        __builtin_trap();
    check_msg(msg, len);
    free(msg);
    /* the raw field as subject and body: refused or well-formed */
    m.subject = f[2];
    m.body = f[4];
    if (cck_mail_build(&m, &msg, &len, why, sizeof why) == 0) {
        check_msg(msg, len);
        free(msg);
    }
    free(body);
    free(copy);
    return 0;
}
