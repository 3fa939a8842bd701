/* organizer.c - organizer and recipient-table checks: CalCheck 0028-0031,
 * 0041, 0042, 0050-0054, 0058 and the address checks 0170-0177 (DESIGN §5;
 * [MS-OXOCAL] 2.2.1.10 state flags, 2.2.4.10 the meeting's recipient table
 * and recipOrganizer). Every recipient row is examined; findings name the
 * row (1-based) and its display name. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "util/ascii.h"

/* ---- small string helpers ---------------------------------------------- */

static bool is_meeting(const cck_item *it)
{
    return it->state_flags.has == CCK_PRESENT && (it->state_flags.v & CCK_ASF_MEETING);
}

/* The meeting says this mailbox organized it: meeting, not received, not forwarded. */
static bool organized_here(const cck_item *it)
{
    return is_meeting(it) && !(it->state_flags.v & (CCK_ASF_RECEIVED | CCK_ASF_FORWARD));
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!cck_ascii_isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* Present with at least one non-blank character. */
static bool has_text(const cck_fstr *f)
{
    return f->has == CCK_PRESENT && f->s && !blank(f->s, f->len);
}

/* Present but empty or all white space. */
static bool is_blank(const cck_fstr *f)
{
    return f->has == CCK_PRESENT && (!f->s || blank(f->s, f->len));
}

static bool eq_ci(const char *a, const char *b)
{
    return cck_ascii_eq_ci(a, b);
}

static bool fstr_is(const cck_fstr *f, const char *v)
{
    return f->has == CCK_PRESENT && f->s && eq_ci(f->s, v);
}

static const char *sv(const cck_fstr *f)
{
    return f->has == CCK_PRESENT && f->s ? f->s : "";
}

/* Why a property is not usable, for "missing" texts. */
static const char *why_missing(const cck_fstr *f)
{
    return f->has == CCK_ABSENT ? "absent" : f->has == CCK_BADTYPE ? "not a string" : "empty";
}

/* An SMTP address: exactly one '@' with text on both sides, no white space
 * or control characters, a domain of non-empty dot-separated labels (or an
 * address literal in brackets). Returns NULL when valid, else the reason. */
static const char *smtp_problem(const char *s)
{
    /* One pass over the local part and one over the domain: this runs for
     * the organizer and every attendee of every meeting. */
    const char *at = NULL;
    int ats = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        unsigned char c = *p;
        if (c <= ' ' || c == 0x7F) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                return "contains white space";
            return "contains a control character";
        }
        if (c == '@') {
            ats++;
            at = (const char *)p;
        }
    }
    if (!ats)
        return "has no '@'";
    if (ats > 1)
        return "has more than one '@'";
    if (at == s)
        return "has nothing before '@'";
    const char *dom = at + 1, *end = (const char *)p;
    if (dom == end)
        return "has nothing after '@'";
    if (*dom == '[')
        return end[-1] == ']' ? NULL : "has an unterminated address literal";
    if (*dom == '.' || end[-1] == '.')
        return "has an empty label in its domain";
    for (const char *q = dom; q < end; q++) {
        unsigned char c = (unsigned char)*q;
        if (c == '.' && q[1] == '.')
            return "has an empty label in its domain";
        if (c < 0x80 && !cck_ascii_isalnum(c) && c != '.' && c != '-')
            return "has a character that is not allowed in a domain";
    }
    return NULL;
}

/* The address an SMTP client would use for a (type, email, smtp) triple:
 * the SMTP property, else the email address of an SMTP-typed entry. */
static const char *smtp_of(const cck_fstr *type, const cck_fstr *email, const cck_fstr *smtp)
{
    if (has_text(smtp))
        return smtp->s;
    if (has_text(email) && (fstr_is(type, "SMTP") || (!has_text(type) && strchr(email->s, '@'))))
        return email->s;
    return NULL;
}

/* ---- 0028-0031: organizer and sender of a meeting ---------------------- */

void cck_chk_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_organizer(const cck_item *it, cck_ctx *ctx)
{
    if (!is_meeting(it))
        return;
    if (!has_text(&it->sent_rep_name))
        cck_report(ctx, 28, "meeting has no organizer name (PidTagSentRepresentingName %s)",
                   why_missing(&it->sent_rep_name));
    if (!has_text(&it->sender_name))
        cck_report(ctx, 29, "meeting has no sender name (PidTagSenderName %s)",
                   why_missing(&it->sender_name));
    if (!has_text(&it->sent_rep_email) && !has_text(&it->sent_rep_smtp))
        cck_report(ctx, 30,
                   "meeting organizer \"%s\" has no address (PidTagSentRepresentingEmailAddress "
                   "%s, PidTagSentRepresentingSmtpAddress %s)",
                   sv(&it->sent_rep_name), why_missing(&it->sent_rep_email),
                   why_missing(&it->sent_rep_smtp));
    if (!has_text(&it->sender_email) && !has_text(&it->sender_smtp))
        cck_report(ctx, 31,
                   "meeting sender \"%s\" has no address (PidTagSenderEmailAddress %s, "
                   "PidTagSenderSmtpAddress %s)",
                   sv(&it->sender_name), why_missing(&it->sender_email),
                   why_missing(&it->sender_smtp));

    /* 0170-0172: the organizer's SMTP identity. */
    if (is_blank(&it->sent_rep_smtp) && has_text(&it->sent_rep_email))
        cck_report(ctx, 170,
                   "organizer \"%s\" has a blank SMTP address (PidTagSentRepresentingSmtpAddress "
                   "\"%s\")",
                   sv(&it->sent_rep_name), sv(&it->sent_rep_smtp));
    const char *osmtp = smtp_of(&it->sent_rep_addrtype, &it->sent_rep_email, &it->sent_rep_smtp);
    const char *why = NULL;
    if (osmtp && (why = smtp_problem(osmtp)) != NULL)
        cck_report(ctx, 171, "organizer SMTP address \"%s\" %s", osmtp, why);
    bool ex = has_text(&it->sent_rep_email) &&
              (fstr_is(&it->sent_rep_addrtype, "EX") || it->sent_rep_email.s[0] == '/');
    if (ex && !osmtp) {
        /* Is the organizer's SMTP address anywhere else on the item? */
        bool found = false;
        for (size_t i = 0; i < it->n_recips && !found; i++) {
            const cck_recip *r = &it->recips[i];
            if (r->flags.has == CCK_PRESENT && (r->flags.v & CCK_RECIP_ORGANIZER))
                found = smtp_of(&r->addrtype, &r->email, &r->smtp) != NULL;
        }
        if (!found)
            cck_report(ctx, 172, "organizer \"%s\" is known only by the X500 address \"%s\"",
                       sv(&it->sent_rep_name), sv(&it->sent_rep_email));
    }
}

/* ---- 0041: the organizer row of the recipient table -------------------- */

/* Compares the organizer row with the sent-representing organizer, like
 * with like: SMTP with SMTP when both are known, else the email addresses
 * when their types agree. Returns 1 equal, 0 different, -1 not comparable;
 * *mine and *theirs receive the two values compared. */
static int same_party(const cck_recip *r, const cck_item *it, const char **mine,
                      const char **theirs)
{
    const char *rs = smtp_of(&r->addrtype, &r->email, &r->smtp);
    const char *os = smtp_of(&it->sent_rep_addrtype, &it->sent_rep_email, &it->sent_rep_smtp);
    if (rs && os) {
        *mine = rs;
        *theirs = os;
        return eq_ci(rs, os);
    }
    if (has_text(&r->email) && has_text(&it->sent_rep_email)) {
        bool types_agree = !has_text(&r->addrtype) || !has_text(&it->sent_rep_addrtype) ||
                           eq_ci(r->addrtype.s, it->sent_rep_addrtype.s);
        if (!types_agree)
            return -1;
        *mine = r->email.s;
        *theirs = it->sent_rep_email.s;
        return eq_ci(r->email.s, it->sent_rep_email.s);
    }
    return -1;
}

void cck_chk_recip_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_recip_organizer(const cck_item *it, cck_ctx *ctx)
{
    if (!is_meeting(it))
        return;
    for (size_t i = 0; i < it->n_recips; i++) {
        const cck_recip *r = &it->recips[i];
        if (r->flags.has != CCK_PRESENT || !(r->flags.v & CCK_RECIP_ORGANIZER))
            continue;
        const char *mine = NULL, *theirs = NULL;
        if (same_party(r, it, &mine, &theirs) == 0)
            cck_report(ctx, 41,
                       "organizer row (recipient %zu \"%s\") has address \"%s\", the organizer "
                       "is \"%s\"",
                       i + 1, sv(&r->display_name), mine, theirs);
    }
}

/* ---- 0042: an attendee's copy that claims to be the organizer's -------- */

/* "smtp:a@b" and "x500:/o=..." proxy forms compare without their prefix. */
static const char *strip_proxy(const char *s)
{
    static const char *const pre[] = {"smtp:", "x500:", "ex:"};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
        size_t n = strlen(pre[i]);
        size_t k = 0;
        while (k < n && s[k] && cck_ascii_lower((unsigned char)s[k]) == pre[i][k])
            k++;
        if (k == n)
            return s + n;
    }
    return s;
}

/* 'x': an X500 / legacyExchangeDN ("/o=..."), 's': an SMTP address. */
static char addr_kind(const char *s)
{
    return s[0] == '/' ? 'x' : strchr(s, '@') ? 's' : '?';
}

void cck_chk_attendee_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_attendee_organizer(const cck_item *it, cck_ctx *ctx)
{
    const cck_calendar *cal = cck_ctx_calendar(ctx);
    if (!cal || !cal->n_owner_addresses || !organized_here(it))
        return;
    const char *org[2];
    size_t norg = 0;
    if (has_text(&it->sent_rep_smtp))
        org[norg++] = it->sent_rep_smtp.s;
    if (has_text(&it->sent_rep_email))
        org[norg++] = it->sent_rep_email.s;
    bool comparable = false;
    for (size_t i = 0; i < norg; i++)
        for (size_t k = 0; k < cal->n_owner_addresses; k++) {
            const char *w = cal->owner_addresses[k];
            if (!w)
                continue;
            w = strip_proxy(w);
            if (eq_ci(org[i], w))
                return;
            comparable |= addr_kind(org[i]) == addr_kind(w) && addr_kind(w) != '?';
        }
    /* An organizer known by an X500 address cannot be compared with owner
     * addresses that are all SMTP (and vice versa): no finding then. */
    if (comparable)
        cck_report(ctx, 42,
                   "item is marked as organized by this mailbox (state flags 0x%llX) but the "
                   "organizer \"%s\" <%s> is not one of the owner's addresses",
                   (unsigned long long)it->state_flags.v, sv(&it->sent_rep_name), org[0]);
}

/* ---- 0050-0054, 0058, 0173-0177: every row of the recipient table ------ */

static bool addrtype_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!cck_ascii_isalnum(c) && c != ':' && c != '-')
            return false;
    }
    return true;
}

/* The address a row is known by: PidTagEmailAddress, else PidTagSmtpAddress. */
static const char *row_address(const cck_recip *r)
{
    return has_text(&r->email) ? r->email.s : has_text(&r->smtp) ? r->smtp.s : NULL;
}

static int cmp_ci(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = cck_ascii_lower((unsigned char)*a), y = cck_ascii_lower((unsigned char)*b);
        if (x != y || !x)
            return x - y;
    }
}

/* A row's duplicate-detection key: address type, then address. */
typedef struct row_key {
    const char *type, *addr;
    size_t i;
} row_key;

static int cmp_rows(const void *pa, const void *pb)
{
    const row_key *a = pa, *b = pb;
    int c = cmp_ci(a->type, b->type);
    if (!c)
        c = cmp_ci(a->addr, b->addr);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* dup_of[i] = the first earlier row with the same address type and address,
 * or SIZE_MAX. Sorting keeps this O(n log n) for huge recipient tables.
 * Returns false when memory is short (0054 is then skipped). */
static bool find_dup_rows(const cck_recip *r, size_t n, size_t *dup_of)
{
    if (n <= 16) { /* the usual meeting: comparing every pair is cheaper than sorting */
        for (size_t i = 0; i < n; i++) {
            dup_of[i] = SIZE_MAX;
            const char *a = row_address(&r[i]);
            for (size_t j = 0; a && j < i; j++) {
                const char *b = row_address(&r[j]);
                if (b && cmp_ci(sv(&r[i].addrtype), sv(&r[j].addrtype)) == 0 && cmp_ci(a, b) == 0) {
                    dup_of[i] = dup_of[j] != SIZE_MAX ? dup_of[j] : j;
                    break;
                }
            }
        }
        return true;
    }
    row_key *k = malloc(n * sizeof *k);
    if (!k)
        return false;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        dup_of[i] = SIZE_MAX;
        if (row_address(&r[i]))
            k[m++] = (row_key){sv(&r[i].addrtype), row_address(&r[i]), i};
    }
    qsort(k, m, sizeof *k, cmp_rows);
    for (size_t j = 1; j < m; j++)
        if (cmp_ci(k[j - 1].type, k[j].type) == 0 && cmp_ci(k[j - 1].addr, k[j].addr) == 0) {
            size_t first = dup_of[k[j - 1].i] != SIZE_MAX ? dup_of[k[j - 1].i] : k[j - 1].i;
            dup_of[k[j].i] = first;
        }
    free(k);
    return true;
}

static void check_row(const cck_item *it, size_t i, const size_t *dup_of, cck_ctx *ctx)
{
    const cck_recip *r = &it->recips[i];
    const char *name = sv(&r->display_name);
    size_t no = i + 1;
    bool organizer = r->flags.has == CCK_PRESENT && (r->flags.v & CCK_RECIP_ORGANIZER);
    const char *addr = row_address(r);

    /* 0050 / 0058: the address type. */
    if (!has_text(&r->addrtype))
        cck_report(ctx, 50, "recipient %zu \"%s\" has address type \"%s\" (%s)", no, name,
                   sv(&r->addrtype), why_missing(&r->addrtype));
    else if (!addrtype_ok(r->addrtype.s, r->addrtype.len))
        cck_report(ctx, 50,
                   "recipient %zu \"%s\" has address type \"%s\" (not letters, digits, "
                   "':' or '-')",
                   no, name, r->addrtype.s);
    else if (!eq_ci(r->addrtype.s, "EX") && !eq_ci(r->addrtype.s, "SMTP"))
        cck_report(ctx, 58, "recipient %zu \"%s\" has address type \"%s\"", no, name,
                   r->addrtype.s);

    /* 0051 / 0053: the address. An organizer row without one is 0053 only. */
    bool smtp_type = fstr_is(&r->addrtype, "SMTP");
    if (!addr) {
        if (organizer)
            cck_report(ctx, 53, "organizer row (recipient %zu \"%s\") has no address", no, name);
        if (!organizer || !cck_ctx_enabled(ctx, 53))
            cck_report(ctx, 51, "recipient %zu \"%s\" has no address (PidTagEmailAddress %s)", no,
                       name, why_missing(&r->email));
    } else if (smtp_type && has_text(&r->email)) {
        const char *why = smtp_problem(r->email.s);
        if (why)
            cck_report(ctx, 51, "recipient %zu \"%s\" has SMTP address \"%s\" that %s", no, name,
                       r->email.s, why);
    }

    /* 0052: the display name. */
    if (!has_text(&r->display_name))
        cck_report(ctx, 52, "recipient %zu <%s> has no display name (PidTagDisplayName %s)", no,
                   addr ? addr : "", why_missing(&r->display_name));

    /* 0054: the same attendee twice. */
    if (dup_of && dup_of[i] != SIZE_MAX)
        cck_report(ctx, 54, "recipient %zu \"%s\" <%s> repeats recipient %zu \"%s\"", no, name,
                   addr, dup_of[i] + 1, sv(&it->recips[dup_of[i]].display_name));

    /* 0173 / 0174: PidTagSmtpAddress blank or invalid (an SMTP-typed row
     * whose email address is the same value was judged by 0051 already). */
    if (is_blank(&r->smtp) && addr)
        cck_report(ctx, 173, "recipient %zu \"%s\" <%s> has a blank SMTP address", no, name, addr);
    else if (has_text(&r->smtp)) {
        bool judged = smtp_type && has_text(&r->email) &&
                      (r->email.s == r->smtp.s || eq_ci(r->email.s, r->smtp.s));
        const char *why = judged ? NULL : smtp_problem(r->smtp.s);
        if (why)
            cck_report(ctx, 174, "recipient %zu \"%s\" has SMTP address \"%s\" that %s", no, name,
                       r->smtp.s, why);
    }
}

void cck_chk_recipients(const cck_item *it, cck_ctx *ctx);
void cck_chk_recipients(const cck_item *it, cck_ctx *ctx)
{
    if (!is_meeting(it))
        return;
    if (it->recips_unreadable) {
        cck_report(ctx, 176, "recipient table cannot be read");
        return;
    }
    size_t n = it->n_recips;
    if (!n || !it->recips)
        return;
    size_t small[16];
    size_t *dup_of = n <= 16 ? small : malloc(n * sizeof *dup_of);
    if (dup_of && !find_dup_rows(it->recips, n, dup_of)) {
        free(dup_of);
        dup_of = NULL;
    }
    for (size_t i = 0; i < n; i++)
        check_row(it, i, dup_of, ctx);
    if (dup_of != small)
        free(dup_of);

    /* 0177: more than one organizer row. */
    size_t norg = 0, first = 0;
    for (size_t i = 0; i < n; i++)
        if (it->recips[i].flags.has == CCK_PRESENT &&
            (it->recips[i].flags.v & CCK_RECIP_ORGANIZER) && norg++ == 0)
            first = i;
    if (norg > 1)
        cck_report(ctx, 177,
                   "%zu recipients are flagged as organizer (the first is recipient %zu "
                   "\"%s\")",
                   norg, first + 1, sv(&it->recips[first].display_name));

    /* 0175: attendees of our own meeting without a tracked response. */
    if (!organized_here(it) || !cck_ctx_enabled(ctx, 175))
        return;
    size_t att = 0, none = 0;
    char names[400];
    size_t used = 0;
    names[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const cck_recip *r = &it->recips[i];
        if (r->flags.has == CCK_PRESENT && (r->flags.v & CCK_RECIP_ORGANIZER))
            continue;
        att++;
        if (r->track_status.has == CCK_PRESENT && r->track_status.v != 0)
            continue;
        /* Name the first five; the count says how many more. */
        if (none < 5 && used < sizeof names) {
            int w = snprintf(names + used, sizeof names - used, "%s\"%.60s\"", none ? ", " : "",
                             sv(&r->display_name));
            used += w > 0 ? (size_t)w : 0;
        } else if (none == 5 && used < sizeof names) {
            snprintf(names + used, sizeof names - used, ", ...");
            used = sizeof names;
        }
        none++;
    }
    if (none)
        cck_report(ctx, 175,
                   "%zu of %zu attendees have no tracked response (PidTagRecipientTrackStatus "
                   "0 or absent): %s",
                   none, att, names);
}
