/* test_ics.c - the iCalendar reader (src/ics, RFC 5545 §3.1-§3.6): unfolding with CRLF, LF
 * and CR, parameters, escapes, UTF-8, every ics.* problem code, component nesting, and that
 * whole-buffer and chunked feeding (1, 2, 3, 7, 20 bytes) give the same dump, also for every
 * truncation of a small file. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics/ics.h"
#include "unit.h"

/* ---- a canonical dump, to compare whole and chunked runs --------------------------------- */

static void dump_problems(FILE *f, const cck_problems *pr)
{
    for (size_t i = 0; i < pr->n; i++)
        fprintf(f, "  %d %s %llu %s\n", (int)pr->v[i].sev, pr->v[i].code,
                (unsigned long long)pr->v[i].offset, pr->v[i].text);
    fprintf(f, "  dropped %zu\n", pr->dropped);
}

static void dump_comp(FILE *f, const cck_ics_comp *c, int ind)
{
    fprintf(f, "%*s%s %u-%u %llu-%llu u%d o%d n%zu d%zu\n", ind, "", c->name, c->line, c->end_line,
            (unsigned long long)c->off, (unsigned long long)c->end, c->unclosed, c->outside,
            c->nprops, c->dropped_props);
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        fprintf(f, "%*s%u:%u %u:%u %llu-%llu %s|%s#%u b%d t%d", ind + 1, "", p->line, p->col,
                p->value_line, p->value_col, (unsigned long long)p->off, (unsigned long long)p->end,
                p->name, p->name_raw, p->id, p->bad, p->truncated);
        for (size_t i = 0; i < p->nparams; i++) {
            fprintf(f, ";%s#%u@%u:%u=", p->params[i].name_raw, p->params[i].id, p->params[i].line,
                    p->params[i].col);
            for (size_t v = 0; v < p->params[i].nvalues; v++)
                fprintf(f, "[%s]", p->params[i].values[v]);
        }
        fprintf(f, " {");
        fwrite(p->raw, 1, p->raw_len, f);
        fprintf(f, "}\n");
    }
    for (const cck_ics_comp *k = c->children; k; k = k->next)
        dump_comp(f, k, ind + 1);
}

/* Parses data (whole when chunk == 0, else `chunk` bytes at a time) into a malloc'd dump. */
static char *run(const char *data, size_t len, size_t chunk)
{
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    cck_arena *ca = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_problems calpr, pr;
    cck_problems_init(&calpr, ca);
    cck_ics_reader *r =
        chunk ? cck_ics_open_stream(&calpr) : cck_ics_open((const uint8_t *)data, len, &calpr);
    size_t fed = 0;
    int guard = 0;
    cck_problems_init(&pr, a);
    for (;;) {
        const cck_ics_comp *c;
        int rc = cck_ics_next(r, a, &c, &pr);
        if (rc == CCK_ICS_MORE) {
            if (!chunk || ++guard > 10000000) {
                fprintf(f, "MORE in whole mode or endless\n");
                break;
            }
            size_t n = len - fed < chunk ? len - fed : chunk;
            cck_ics_feed(r, (const uint8_t *)data + fed, n);
            fed += n;
            if (fed == len)
                cck_ics_finish(r);
            continue;
        }
        if (rc == 0)
            break;
        dump_comp(f, c, 0);
        dump_problems(f, &pr);
        cck_arena_reset(a);
        cck_problems_init(&pr, a);
    }
    fprintf(f, "CAL %u\n", cck_ics_calendar_count(r));
    dump_comp(f, cck_ics_calendar(r), 0);
    dump_problems(f, &calpr);
    cck_ics_close(r);
    cck_arena_free(a);
    cck_arena_free(ca);
    fclose(f);
    return out;
}

/* ---- a parsed file, kept for inspection -------------------------------------------------- */

#define MAXC 16
typedef struct parsed {
    cck_arena *a[MAXC], *ca;
    const cck_ics_comp *c[MAXC];
    cck_problems pr[MAXC], calpr;
    size_t n;
    cck_ics_reader *r;
} parsed;

static void parse(parsed *p, const char *s)
{
    memset(p, 0, sizeof *p);
    p->ca = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    cck_problems_init(&p->calpr, p->ca);
    p->r = cck_ics_open((const uint8_t *)s, strlen(s), &p->calpr);
    for (;;) {
        cck_arena *a = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
        cck_problems_init(&p->pr[p->n], a);
        int rc = cck_ics_next(p->r, a, &p->c[p->n], &p->pr[p->n]);
        if (rc != 1 || p->n + 1 == MAXC) {
            cck_arena_free(a);
            break;
        }
        p->a[p->n++] = a;
    }
}

static void unparse(parsed *p)
{
    for (size_t i = 0; i < p->n; i++)
        cck_arena_free(p->a[i]);
    cck_ics_close(p->r);
    cck_arena_free(p->ca);
}

/* Any problem with this code anywhere (component or calendar level); its text or NULL. */
static const char *has(const parsed *p, const char *code)
{
    const cck_problem *q = NULL;
    for (size_t i = 0; !q && i < p->n; i++)
        q = cck_problems_find(&p->pr[i], code);
    if (!q)
        q = cck_problems_find(&p->calpr, code);
    return q ? q->text : NULL;
}

static void equivalent(const char *s, size_t len)
{
    char *whole = run(s, len, 0);
    static const size_t chunks[] = {1, 2, 3, 7, 20, 4096};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        char *part = run(s, len, chunks[i]);
        if (strcmp(whole, part)) {
            printf("#   chunk %zu differs for input of %zu bytes:\n%s\n---\n%s\n", chunks[i], len,
                   whole, part);
            CHECK(0);
        }
        free(part);
    }
    free(whole);
}

/* ---- tests ------------------------------------------------------------------------------ */

static const char *const EVENT3 = "BEGIN:VCALENDAR\r\n"
                                  "VERSION:2.0\r\n"
                                  "PRODID:-//calcheck//test//EN\r\n"
                                  "METHOD:REQUEST\r\n"
                                  "X-WR-TIMEZONE:Europe/Paris\r\n"
                                  "BEGIN:VEVENT\r\n"
                                  "UID:a\r\n"
                                  "SUMMARY:One\r\n"
                                  "END:VEVENT\r\n"
                                  "BEGIN:VEVENT\r\n"
                                  "UID:b\r\n"
                                  "BEGIN:VALARM\r\n"
                                  "ACTION:DISPLAY\r\n"
                                  "END:VALARM\r\n"
                                  "END:VEVENT\r\n"
                                  "BEGIN:VEVENT\r\n"
                                  "UID:c\r\n"
                                  "DESCRIPTION:long\r\n"
                                  "  text\r\n"
                                  "END:VEVENT\r\n"
                                  "END:VCALENDAR\r\n";

static void test_three_events(void)
{
    parsed p;
    parse(&p, EVENT3);
    CHECK_EQ_INT(p.n, 3);
    if (p.n == 3) {
        CHECK_EQ_STR(p.c[0]->name, "VEVENT");
        CHECK_EQ_INT(p.c[0]->line, 6);
        CHECK_EQ_INT(p.c[0]->end_line, 9);
        CHECK_EQ_INT(p.c[1]->line, 10);
        CHECK_EQ_INT(p.c[1]->end_line, 15);
        CHECK_EQ_INT(p.c[2]->line, 16);
        CHECK_EQ_INT(p.c[2]->end_line, 20);
        CHECK_EQ_STR(cck_ics_get(p.c[0], "summary")->value, "One");
        CHECK_EQ_INT(cck_ics_get(p.c[0], "SUMMARY")->line, 8);
        CHECK_EQ_INT(p.c[1]->nchildren, 1);
        CHECK_EQ_STR(p.c[1]->children->name, "VALARM");
        CHECK_EQ_INT(p.c[1]->children->line, 12);
        CHECK(p.c[1]->children->parent == p.c[1]);
        CHECK_EQ_INT(p.c[1]->children->depth, 2);
        const cck_ics_prop *d = cck_ics_get(p.c[2], "DESCRIPTION");
        CHECK_EQ_STR(d->value, "long text");
        CHECK_EQ_INT(d->line, 18);
        CHECK_EQ_INT(cck_ics_get(p.c[2], "UID")->line, 17);
        CHECK_EQ_INT(p.c[0]->off, strstr(EVENT3, "BEGIN:VEVENT") - EVENT3);
        CHECK_EQ_INT(p.c[0]->end, strstr(EVENT3, "BEGIN:VEVENT\r\nUID:b") - EVENT3);
        for (size_t i = 0; i < 3; i++)
            CHECK_EQ_INT(p.pr[i].n, 0);
    }
    const cck_ics_comp *cal = cck_ics_calendar(p.r);
    CHECK_EQ_STR(cck_ics_get(cal, "VERSION")->value, "2.0");
    CHECK_EQ_STR(cck_ics_get(cal, "METHOD")->value, "REQUEST");
    CHECK_EQ_STR(cck_ics_get(cal, "X-WR-TIMEZONE")->value, "Europe/Paris");
    CHECK_EQ_INT(cck_ics_get(cal, "PRODID")->line, 3);
    CHECK_EQ_INT(cck_ics_calendar_count(p.r), 1);
    CHECK_EQ_INT(p.calpr.n, 0);
    unparse(&p);
    equivalent(EVENT3, strlen(EVENT3));
}

static void test_folding_line_endings(void)
{
    static const char *const ends[] = {"\r\n", "\n", "\r"};
    for (int e = 0; e < 3; e++) {
        char buf[512];
        const char *nl = ends[e];
        snprintf(buf, sizeof buf,
                 "BEGIN:VCALENDAR%sBEGIN:VEVENT%sSUMMARY:Hel%s lo%s\t wor%s ld%sX-A:1%s"
                 "END:VEVENT%sEND:VCALENDAR%s",
                 nl, nl, nl, nl, nl, nl, nl, nl, nl);
        parsed p;
        parse(&p, buf);
        CHECK_EQ_INT(p.n, 1);
        if (p.n) {
            const cck_ics_prop *s = cck_ics_get(p.c[0], "SUMMARY");
            CHECK_EQ_STR(s->value, "Hello world");
            CHECK_EQ_INT(s->line, 3);
            CHECK_EQ_INT(cck_ics_get(p.c[0], "X-A")->line, 7);
            CHECK_EQ_INT(p.c[0]->end_line, 8);
            CHECK_EQ_INT(s->end, strstr(buf, "X-A") - buf);
        }
        const char *le = has(&p, "ics.line_ending");
        if (e == 0)
            CHECK(!le);
        else
            CHECK(le && strstr(le, e == 1 ? "LF only" : "CR only"));
        unparse(&p);
        equivalent(buf, strlen(buf));
    }
}

static void test_params(void)
{
    const char *s = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
                    "ATTENDEE;cn=\"Doe; John: A, B\";ROLE=REQ-PARTICIPANT;MEMBER=\"mailto:a@x\",\"m"
                    "ailto:b@x\";X-EMPTY=:mailto:j@x\r\n"
                    "END:VEVENT\r\nEND:VCALENDAR\r\n";
    parsed p;
    parse(&p, s);
    CHECK_EQ_INT(p.n, 1);
    if (p.n) {
        const cck_ics_prop *a = cck_ics_get(p.c[0], "ATTENDEE");
        CHECK_EQ_STR(a->value, "mailto:j@x");
        CHECK_EQ_INT(a->nparams, 4);
        const cck_ics_param *cn = cck_ics_param_get(a, "CN");
        CHECK_EQ_STR(cn->values[0], "Doe; John: A, B");
        CHECK_EQ_STR(cn->name_raw, "cn");
        CHECK(cn->quoted_any);
        CHECK_EQ_INT(cn->line, 3);
        CHECK_EQ_INT(cn->col, 10);
        const cck_ics_param *m = cck_ics_param_get(a, "member");
        CHECK_EQ_INT(m->nvalues, 2);
        CHECK_EQ_STR(m->values[1], "mailto:b@x");
        const cck_ics_param *x = cck_ics_param_get(a, "X-EMPTY");
        CHECK_EQ_INT(x->nvalues, 1);
        CHECK_EQ_STR(x->values[0], "");
        CHECK(!a->bad);
        CHECK_EQ_INT(p.pr[0].n, 1); /* only the INFO about the 75-octet fold */
        CHECK(cck_problems_find(&p.pr[0], "ics.long_line"));
    }
    unparse(&p);
    equivalent(s, strlen(s));
}

/* Interned names: every listed name has its own id, and only the exact
 * upper-cased spelling has it; the reader gives each property and parameter
 * the id of its upper-cased name. */
static void test_name_ids(void)
{
    for (int id = 1; id < CCK_ICSN_COUNT; id++) {
        const char *n = cck_ics_name_str((cck_ics_name)id);
        CHECK(n[0] != 0);
        CHECK_EQ_INT(cck_ics_name_id(n, strlen(n)), id);
        char buf[32];
        size_t len = strlen(n);
        CHECK(len < sizeof buf - 1);
        memcpy(buf, n, len);
        buf[len] = 'X'; /* one byte longer */
        CHECK_EQ_INT(cck_ics_name_id(buf, len + 1), CCK_ICSN_OTHER);
        CHECK(len < 2 || (int)cck_ics_name_id(buf, len - 1) != id); /* one byte shorter */
        buf[len - 1] = (char)(buf[len - 1] ^ 0x20); /* last letter lower-cased (or digit/-) */
        CHECK_EQ_INT(cck_ics_name_id(buf, len), CCK_ICSN_OTHER);
    }
    CHECK_EQ_INT(cck_ics_name_id("", 0), CCK_ICSN_OTHER);
    CHECK_EQ_INT(cck_ics_name_id("X-FOO", 5), CCK_ICSN_OTHER);
    CHECK_EQ_INT(cck_ics_name_id("DTSTARTDTSTARTDTSTART", 21), CCK_ICSN_OTHER);
    CHECK_EQ_STR(cck_ics_name_str(CCK_ICSN_OTHER), "");
    CHECK_EQ_STR(cck_ics_name_str(CCK_ICSN_COUNT), "");

    const char *s = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
                    "dtStart;tzid=Europe/Paris;x-y=1:20260101T090000\r\n"
                    "X-FOO:1\r\n"
                    "DTEND;VALUE=\"DATE:20260102\r\n" /* unterminated quote: a bad line */
                    "END:VEVENT\r\nEND:VCALENDAR\r\n";
    parsed p;
    parse(&p, s);
    CHECK_EQ_INT(p.n, 1);
    if (p.n) {
        const cck_ics_prop *d = p.c[0]->props;
        CHECK_EQ_INT(d->id, CCK_ICSN_DTSTART);
        CHECK_EQ_INT(d->nparams, 2);
        CHECK_EQ_INT(d->params[0].id, CCK_ICSN_TZID);
        CHECK_EQ_INT(d->params[1].id, CCK_ICSN_OTHER);
        CHECK(cck_ics_param_get_id(d, CCK_ICSN_TZID) == &d->params[0]);
        CHECK(cck_ics_param_get_id(d, CCK_ICSN_VALUE) == NULL);
        CHECK_EQ_INT(d->next->id, CCK_ICSN_OTHER);
        const cck_ics_prop *e = d->next->next;
        CHECK(e->bad);
        CHECK_EQ_INT(e->id, CCK_ICSN_DTEND); /* the id says the name, bad or not */
        CHECK(cck_ics_get_id(p.c[0], CCK_ICSN_DTEND) == e);
        CHECK(cck_ics_get_id(p.c[0], CCK_ICSN_UID) == NULL);
        CHECK(cck_ics_get_id(p.c[0], CCK_ICSN_OTHER) == NULL);
    }
    unparse(&p);
    equivalent(s, strlen(s));
}

/* The 64-byte CR/LF mask equals a byte-by-byte reading, at every start, for
 * blocks that end before the data and blocks cut short by its end. */
static void test_break_mask(void)
{
    uint8_t b[300];
    unsigned seed = 12345, bad = 0;
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof b; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 8;
            b[i] = r == 0 ? '\r' : r == 1 ? '\n' : (uint8_t)('A' + (seed >> 20) % 26);
        }
        size_t n = sizeof b - (size_t)round * 7;
        for (size_t at = 0; at <= n; at++) {
            uint64_t want = 0;
            for (size_t i = 0; i < 64 && at + i < n; i++)
                if (b[at + i] == '\r' || b[at + i] == '\n')
                    want |= (uint64_t)1 << i;
            bad += cck_ics_break_mask64(b, at, n) != want;
        }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(cck_ics_break_mask64(b, 10, 5) == 0); /* at past the end */
}

static void test_escapes(void)
{
    const char *s = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
                    "SUMMARY:a\\nb\\,c\\;d\\\\e\\Nf\r\n"
                    "DESCRIPTION:bad \\: here\r\n"
                    "X-RAW:not \\: text\r\n"
                    "X-TEXT;VALUE=TEXT:\\q\r\n"
                    "END:VEVENT\r\nEND:VCALENDAR\r\n";
    parsed p;
    parse(&p, s);
    CHECK_EQ_INT(p.n, 1);
    if (p.n) {
        cck_arena *a = cck_arena_new(1 << 20);
        size_t n;
        const cck_ics_prop *sum = cck_ics_get(p.c[0], "SUMMARY");
        CHECK_EQ_STR(sum->value, "a\\nb\\,c\\;d\\\\e\\Nf"); /* raw kept */
        CHECK_EQ_STR(cck_ics_text_decode(sum, a, &n, NULL), "a\nb,c;d\\e\nf");
        CHECK_EQ_INT(n, 11);
        cck_problems pr;
        cck_problems_init(&pr, a);
        const cck_ics_prop *d = cck_ics_get(p.c[0], "DESCRIPTION");
        CHECK_EQ_STR(cck_ics_text_decode(d, a, &n, &pr), "bad \\: here");
        CHECK(cck_problems_find(&pr, "ics.bad_escape"));
        /* the parser reported it too, with the column of the backslash */
        CHECK_EQ_INT(p.pr[0].n, 2);
        const cck_problem *q = cck_problems_find(&p.pr[0], "ics.bad_escape");
        CHECK(q && strstr(q->text, "line 4:17:") == q->text);
        CHECK(p.pr[0].n == 2 && strstr(p.pr[0].v[1].text, "line 6:") == p.pr[0].v[1].text);
        cck_arena_free(a);
    }
    unparse(&p);
}

static void test_utf8(void)
{
    const char *s = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"
                    "SUMMARY:caf\xC3\xA9 \xFF\xFE ok\r\n"
                    "LOCATION:caf\xC3\r\n \xA9\r\n"
                    "END:VEVENT\r\nEND:VCALENDAR\r\n";
    parsed p;
    parse(&p, s);
    CHECK_EQ_INT(p.n, 1);
    const char *t = has(&p, "ics.bad_utf8");
    CHECK(t && strstr(t, "line 3:15:") == t && strstr(t, "\\xFF\\xFE"));
    t = has(&p, "ics.fold_utf8");
    CHECK(t && strstr(t, "line 4:13:") == t);
    if (p.n) {
        CHECK_EQ_STR(cck_ics_get(p.c[0], "LOCATION")->value, "caf\xC3\xA9");
        CHECK_EQ_INT(cck_ics_get(p.c[0], "SUMMARY")->value_len, 11);
    }
    unparse(&p);
    equivalent(s, strlen(s));
}

/* A UTF-8 byte-order mark at the start is skipped and reported, in every chunking; one
 * anywhere else stays content. */
static void test_bom(void)
{
    const char *s = "\xEF\xBB\xBF"
                    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                    "END:VEVENT\r\nEND:VCALENDAR\r\n";
    parsed p;
    parse(&p, s);
    CHECK_EQ_INT(p.n, 1);
    const char *t = has(&p, "ics.bom");
    CHECK(t && strstr(t, "line 1:1:") == t);
    CHECK(!has(&p, "ics.outside_calendar") && !has(&p, "ics.bad_name"));
    if (p.n)
        CHECK(!p.c[0]->outside);
    unparse(&p);
    equivalent(s, strlen(s));
    parse(&p, "BEGIN:VCALENDAR\r\n\xEF\xBB\xBF"
              "BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    CHECK(!has(&p, "ics.bom"));
    unparse(&p);
}

/* One input per problem code: the code must be reported, with "line L:C: " first. */
static void test_problem_codes(void)
{
    static const struct {
        const char *code, *at, *ics;
    } cases[] = {
        {"ics.bad_fold", "line 1:1:", " BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"},
        {"ics.bad_fold", "line 4:1:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n\r\n more\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.empty_line",
         "line 3:1:", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.no_colon", "line 3:1:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.bad_name",
         "line 3:1:", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.bad_name", "line 3:1:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUM MARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.bad_param", "line 3:9:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY;LANGUAGE:x\r\nEND:VEVENT\r\nEND:VCALENDAR"
         "\r\n"},
        {"ics.bad_param", "line 3:16:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN=\"a\"b:x\r\nEND:VEVENT\r\nEND:"
         "VCALENDAR\r\n"},
        {"ics.unterminated_quote", "line 3:13:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN=\"Doe:mailto:d@x\r\nEND:VEVENT\r\nEND:"
         "VCALENDAR\r\n"},
        {"ics.bad_utf8", "line 3:9:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:\xC0\xAF\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.control_char", "line 3:10:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:a\x01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.bad_escape", "line 3:10:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:a\\x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.end_mismatch",
         "line 4:1:", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"},
        {"ics.end_mismatch", "line 2:1:", "BEGIN:VCALENDAR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.unclosed", "line 2:1:", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\n"},
        {"ics.unclosed", "line 1:1:", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"},
        {"ics.outside_calendar", "line 1:1:", "VERSION:2.0\r\n"},
        {"ics.outside_calendar", "line 1:1:", "BEGIN:VEVENT\r\nUID:1\r\nEND:VEVENT\r\n"},
        {"ics.long_line", "line 3:1:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:"
         "0123456789012345678901234567890123456789012345678901234567890123456789\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n"},
        {"ics.line_ending", "line 1:1:", "BEGIN:VCALENDAR\nEND:VCALENDAR\n"},
        {"ics.fold_utf8", "line 3:9:",
         "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:\xE2\x82\r\n \xAC\r\nEND:VEVENT\r\nEND:"
         "VCALENDAR\r\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        parsed p;
        parse(&p, cases[i].ics);
        const char *t = has(&p, cases[i].code);
        if (!t || strncmp(t, cases[i].at, strlen(cases[i].at))) {
            printf("#   case %zu %s: got \"%s\"\n", i, cases[i].code, t ? t : "(none)");
            CHECK(0);
        }
        /* never dropped: every content line is a property of something */
        unparse(&p);
        equivalent(cases[i].ics, strlen(cases[i].ics));
    }
}

static void test_bad_lines_kept(void)
{
    const char *s = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nno colon at all\r\n:empty name\r\n"
                    "END:VEVENT\r\nEND:VCALENDAR\r\n";
    parsed p;
    parse(&p, s);
    CHECK_EQ_INT(p.n, 1);
    if (p.n) {
        CHECK_EQ_INT(p.c[0]->nprops, 2);
        const cck_ics_prop *a = p.c[0]->props;
        CHECK(a->bad);
        CHECK_EQ_STR(a->raw, "no colon at all");
        CHECK(a->next->bad);
        CHECK_EQ_STR(a->next->name, "");
        CHECK_EQ_STR(a->next->value, "empty name");
    }
    unparse(&p);
}

static void test_mismatch_recovery(void)
{
    /* END:VTODO closes the VEVENT (reported); the next VEVENT is a separate component */
    const char *s = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nEND:VTODO\r\n"
                    "BEGIN:VEVENT\r\nUID:2\r\nBEGIN:VALARM\r\nACTION:AUDIO\r\nEND:VEVENT\r\n"
                    "BEGIN:VEVENT\r\nUID:3\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\n"
                    "BEGIN:VEVENT\r\nUID:4\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
    parsed p;
    parse(&p, s);
    CHECK_EQ_INT(p.n, 4);
    if (p.n == 4) {
        CHECK(p.c[0]->unclosed);
        CHECK(cck_problems_find(&p.pr[0], "ics.end_mismatch"));
        CHECK(!p.c[1]->unclosed);
        CHECK(p.c[1]->children->unclosed); /* VALARM closed by END:VEVENT */
        CHECK(cck_problems_find(&p.pr[1], "ics.end_mismatch"));
        CHECK(p.c[2]->unclosed);
        CHECK(cck_problems_find(&p.pr[2], "ics.unclosed"));
        CHECK_EQ_STR(cck_ics_get(p.c[3], "UID")->value, "4");
        CHECK(cck_problems_find(&p.pr[3], "ics.unclosed"));
    }
    CHECK_EQ_INT(cck_ics_calendar_count(p.r), 3);
    CHECK(cck_problems_find(&p.calpr, "ics.end_mismatch")); /* BEGIN:VCALENDAR inside one */
    unparse(&p);
    equivalent(s, strlen(s));
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * n + tl + 1), *o = s;
    memcpy(o, head, hl);
    o += hl;
    for (size_t i = 0; i < n; i++, o += ul)
        memcpy(o, unit, ul);
    memcpy(o, tail, tl + 1);
    return s;
}

static void test_limits(void)
{
    parsed p;
    char *s = repeat("BEGIN:VCALENDAR\r\n", "BEGIN:X\r\n", CCK_ICS_DEPTH_MAX + 3, "");
    parse(&p, s);
    CHECK(has(&p, "ics.nesting"));
    CHECK_EQ_INT(p.n, 1);
    unparse(&p);
    free(s);

    s = repeat("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "X:1\r\n", CCK_ICS_PROPS_MAX + 5,
               "END:VEVENT\r\nEND:VCALENDAR\r\n");
    parse(&p, s);
    CHECK(has(&p, "ics.too_many_props"));
    CHECK(p.n == 1 && p.c[0]->nprops == CCK_ICS_PROPS_MAX && p.c[0]->dropped_props == 5);
    unparse(&p);
    free(s);

    s = repeat("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "BEGIN:VALARM\r\nEND:VALARM\r\n",
               CCK_ICS_COMPS_MAX + 2, "END:VEVENT\r\nEND:VCALENDAR\r\n");
    parse(&p, s);
    CHECK(has(&p, "ics.too_many_components"));
    CHECK(p.n == 1 && p.c[0]->nchildren == CCK_ICS_COMPS_MAX && !p.c[0]->unclosed);
    unparse(&p);
    free(s);

    s = repeat("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX", ";A=1", CCK_ICS_PARAMS_MAX + 1,
               ":v\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    parse(&p, s);
    CHECK(has(&p, "ics.too_many_params"));
    CHECK(p.n == 1 && p.c[0]->props->nparams == CCK_ICS_PARAMS_MAX);
    unparse(&p);
    free(s);

    s = repeat("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX;A=0", ",1", CCK_ICS_VALUES_MAX,
               ":v\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    parse(&p, s);
    CHECK(has(&p, "ics.too_many_values"));
    CHECK(p.n == 1 && p.c[0]->props->params[0].nvalues == CCK_ICS_VALUES_MAX);
    unparse(&p);
    free(s);

    /* too many folds: the line is cut, reported, and the rest skipped */
    s = repeat("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTACH:", "QUJD\r\n ", CCK_ICS_FOLDS_MAX + 10,
               "x\r\nUID:after\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    parse(&p, s);
    CHECK(has(&p, "ics.line_too_long"));
    CHECK(p.n == 1 && cck_ics_get(p.c[0], "ATTACH")->truncated);
    CHECK(p.n == 1 && cck_ics_get(p.c[0], "UID") && !p.c[0]->unclosed);
    unparse(&p);
    char *w = run(s, strlen(s), 0), *c = run(s, strlen(s), 65536);
    CHECK(!strcmp(w, c));
    free(w);
    free(c);
    free(s);
    /* a content line over CCK_ICS_LINE_MAX bytes: the same */
    s = repeat("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTACH:", "QUJDRA==", CCK_ICS_LINE_MAX / 8 + 10,
               "\r\n UID:no\r\nUID:after\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    parse(&p, s);
    CHECK(has(&p, "ics.line_too_long"));
    CHECK(p.n == 1 && cck_ics_get(p.c[0], "ATTACH")->truncated &&
          cck_ics_get(p.c[0], "ATTACH")->raw_len == CCK_ICS_LINE_MAX);
    CHECK(p.n == 1 && !strcmp(cck_ics_get(p.c[0], "UID")->value, "after"));
    unparse(&p);
    w = run(s, strlen(s), 0);
    c = run(s, strlen(s), 1 << 20);
    CHECK(!strcmp(w, c));
    free(w);
    free(c);
    free(s);
}

/* Every prefix of a small, messy file: no crash, and chunked == whole. */
static void test_truncations(void)
{
    const char *s = "BEGIN:VCALENDAR\r\nVERSION:2.0\n"
                    "BEGIN:VEVENT\r\nSUMMARY;LANGUAGE=en;X=\"a:b\":caf\xC3\r\n \xA9 \\x\r\n"
                    "\tmore\rATTENDEE;CN=\"unterminated:mailto:x\r\n\r\n cont\r\n"
                    "BEGIN:VALARM\r\nEND:VTODO\r\nEND:VEVENT\r\nEND:VCALENDAR\r\nX";
    size_t len = strlen(s);
    for (size_t n = 0; n <= len; n++) {
        char *whole = run(s, n, 0);
        char *one = run(s, n, 1);
        char *seven = run(s, n, 7);
        if (strcmp(whole, one) || strcmp(whole, seven)) {
            printf("#   prefix %zu differs\n%s\n---\n%s\n", n, whole, one);
            CHECK(0);
        }
        free(whole);
        free(one);
        free(seven);
    }
}

int main(void)
{
    RUN(test_three_events);
    RUN(test_folding_line_endings);
    RUN(test_params);
    RUN(test_name_ids);
    RUN(test_break_mask);
    RUN(test_escapes);
    RUN(test_utf8);
    RUN(test_bom);
    RUN(test_problem_codes);
    RUN(test_bad_lines_kept);
    RUN(test_mismatch_recovery);
    RUN(test_limits);
    RUN(test_truncations);
    return unit_done();
}
