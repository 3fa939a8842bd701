/* ical.c - iCalendar checks 0200-0229: content-line syntax from the parser's
 * problems (RFC 5545 §3.1, §3.3.11), required and once-only properties of
 * VEVENT/VTODO/VJOURNAL (§3.6.1-§3.6.3), value types and time order (§3.3.4-
 * §3.3.6, §3.8.2, §3.8.4.4, §3.8.5, §3.3.10 UNTIL), time zones (§3.2.19,
 * §3.6.5) and the VCALENDAR's VERSION/PRODID/METHOD (§3.7, RFC 5546). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/checks.h"
#include "model/icsinfo.h"
#include "util/text.h"

/* ---- helpers --------------------------------------------------------------- */

/* A value for a finding text, between the quotes the caller writes: at most
 * QMAX bytes of it, printable ASCII and valid UTF-8 as is, '"', '\\' and
 * everything else as \xNN, "..." when cut. */
#define QMAX 64
#define QBUF (4 * QMAX + 8)
static const char *qv(char *buf, const char *s, size_t n)
{
    size_t o = 0, i = 0;
    while (i < n && i < QMAX) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c >= 0x80 ? cck_utf8_seq_len((const uint8_t *)s + i, n - i) : 0;
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            buf[o++] = (char)c;
            i++;
        } else if (len > 1 && i + len <= QMAX) {
            memcpy(buf + o, s + i, len);
            o += len;
            i += len;
        } else {
            o += (size_t)snprintf(buf + o, QBUF - o, "\\x%02X", c);
            i++;
        }
    }
    if (i < n) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = 0;
    return buf;
}

static const char *qprop(char *buf, const cck_ics_prop *p)
{
    return qv(buf, p->value, p->value_len);
}

/* Where a component begins, for a finding about what it lacks. */
static uint32_t comp_line(const cck_ics_comp *c)
{
    return c->begin ? c->begin->line : (c->line ? c->line : 1);
}
static uint32_t comp_col(const cck_ics_comp *c)
{
    return c->begin && c->begin->col ? c->begin->col : 1;
}

static bool name_is(const cck_ics_prop *p, cck_ics_name id)
{
    return !p->bad && p->id == id;
}

/* A check of one component (an item's own, or one of its overrides'). */
typedef void (*comp_check)(const cck_icsinfo *ic, cck_ctx *ctx);

/* Runs fn on the component of an iCalendar item that is not the calendar
 * item, and on each of its overrides (they are the item's exceptions). */
static void each_comp(const cck_item *it, cck_ctx *ctx, comp_check fn)
{
    const cck_icsinfo *ic = it->ics;
    if (!ic || ic->calendar_item || !ic->comp)
        return;
    fn(ic, ctx);
    for (size_t i = 0; i < it->n_exceptions; i++) {
        const cck_icsinfo *x = it->exceptions[i].ics;
        if (x && x->comp && !x->calendar_item)
            fn(x, ctx);
    }
}

/* The calendar item's VCALENDAR, or NULL for any other item and for a file
 * without BEGIN:VCALENDAR (0205 reports its components as outside one). */
static const cck_ics_comp *calendar_of(const cck_item *it)
{
    const cck_icsinfo *ic = it->ics;
    if (!ic || !ic->calendar_item)
        return NULL;
    const cck_ics_comp *cal = ic->calendar ? ic->calendar : ic->comp;
    return cal && cal->begin ? cal : NULL;
}

/* ---- 0200-0207: the parser's content-line problems ------------------------- */

static const struct {
    const char *code;
    int id;
} syntax_map[] = {
    {"ics.no_colon", 200},        {"ics.bad_name", 200},
    {"ics.bad_param", 200},       {"ics.unterminated_quote", 200},
    {"ics.too_many_params", 200}, {"ics.too_many_values", 200},
    {"ics.bad_fold", 201},        {"ics.fold_utf8", 201},
    {"ics.bad_utf8", 202},        {"ics.control_char", 203},
    {"ics.bad_escape", 204},      {"ics.unclosed", 205},
    {"ics.end_mismatch", 205},    {"ics.outside_calendar", 205},
    {"ics.nesting", 205},         {"ics.too_many_components", 205},
    {"ics.too_many_props", 205},  {"ics.line_too_long", 206},
    {"ics.long_line", 207},       {"ics.line_ending", 207},
    {"ics.empty_line", 207},      {"ics.bom", 207},
};
#define N_SYNTAX_MAP (sizeof syntax_map / sizeof syntax_map[0])

/* Which of 0200-0207 reports a parser problem; a code the table does not
 * know yet is a syntax error (0200) rather than silently dropped. */
static int syntax_id_of(const cck_problem *q)
{
    if (strncmp(q->code, "ics.", 4) != 0)
        return 0;
    for (size_t i = 0; i < N_SYNTAX_MAP; i++)
        if (strcmp(syntax_map[i].code + 4, q->code + 4) == 0)
            return syntax_map[i].id;
    return 200;
}

static void syntax_comp(const cck_icsinfo *ic, cck_ctx *ctx)
{
    if (ic->problems && ic->problems->n)
        cck_report_problems(ctx, ic->problems, syntax_id_of, 200, 207, NULL);
}

void cck_chk_ical_syntax(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_syntax(const cck_item *it, cck_ctx *ctx)
{
    const cck_icsinfo *ic = it->ics;
    if (!ic)
        return;
    if (ic->calendar_item) {
        if (ic->cal_problems && ic->cal_problems->n)
            cck_report_problems(ctx, ic->cal_problems, syntax_id_of, 200, 207, NULL);
        return;
    }
    each_comp(it, ctx, syntax_comp);
}

/* ---- 0210: a VEVENT without DTSTART ---------------------------------------- */

static void no_dtstart(const cck_icsinfo *ic, cck_ctx *ctx)
{
    if (ic->dtstart.prop || strcmp(ic->comp->name, "VEVENT") != 0)
        return;
    cck_report(ctx, 210, "line %u:%u: VEVENT has no DTSTART", comp_line(ic->comp),
               comp_col(ic->comp));
}

void cck_chk_ical_dtstart(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_dtstart(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, no_dtstart);
}

/* ---- 0211: no UID, or an empty one --------------------------------------- */

static void no_uid(const cck_icsinfo *ic, cck_ctx *ctx)
{
    const cck_ics_prop *p = ic->uid_prop;
    if (!p)
        cck_report(ctx, 211, "line %u:%u: %s has no UID", comp_line(ic->comp), comp_col(ic->comp),
                   ic->comp->name);
    else if (p->value_len == 0)
        cck_report(ctx, 211, "line %u:%u: UID is empty \"\"", p->line, p->col);
}

void cck_chk_ical_uid(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_uid(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, no_uid);
}

/* ---- 0212: values that are not of their type ------------------------------- */

/* RFC 5545 §3.3.8: an optionally signed run of digits; *in_range: within 32 bits. */
static bool is_integer(const char *s, size_t n, bool *in_range)
{
    size_t i = n && (s[0] == '+' || s[0] == '-') ? 1 : 0;
    *in_range = false;
    if (i == n)
        return false;
    long long v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        if (v <= 2147483648LL) /* past it the value is out of range anyway */
            v = v * 10 + (s[i] - '0');
    }
    *in_range = v <= (s[0] == '-' ? 2147483648LL : 2147483647LL);
    return true;
}

/* DATE/DATE-TIME properties the check reads; `utc_only`: a DATE-TIME in UTC
 * is the only value type RFC 5545 gives it (§3.8.7.1-§3.8.7.3). */
static const struct {
    cck_ics_name id;
    bool utc_only;
} dt_props[] = {
    {CCK_ICSN_DTSTART, false},       {CCK_ICSN_DTEND, false},  {CCK_ICSN_DUE, false},
    {CCK_ICSN_RECURRENCE_ID, false}, {CCK_ICSN_DTSTAMP, true}, {CCK_ICSN_CREATED, true},
    {CCK_ICSN_LAST_MODIFIED, true},
};

/* The item read the first DTSTART, DTEND, DUE, RECURRENCE-ID and DTSTAMP
 * already (icsinfo); only a repeated one is read again here. */
static const cck_icsdt *read_dt(const cck_icsinfo *ic, const cck_ics_prop *p, cck_icsdt *buf)
{
    const cck_icsdt *known[] = {&ic->dtstart, &ic->dtend, &ic->due, &ic->recurrence_id,
                                &ic->dtstamp};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i]->prop == p)
            return known[i];
    cck_icsval_dt(p, buf);
    return buf;
}

static void bad_datetime(cck_ctx *ctx, const cck_icsinfo *ic, const cck_ics_prop *p, bool utc_only)
{
    char q[QBUF];
    cck_icsdt buf;
    const cck_icsdt d = *read_dt(ic, p, &buf);
    if (d.value_mismatch)
        cck_report(ctx, 212, "line %u:%u: %s has VALUE=%s but the value \"%s\" is a %s", p->line,
                   p->col, p->name, d.value_date_param ? "DATE" : "DATE-TIME", qprop(q, p),
                   d.value_date_param ? "DATE-TIME" : "DATE");
    else if (!d.valid)
        cck_report(ctx, 212, "line %u:%u: %s \"%s\" is not a %s", p->line, p->col, p->name,
                   qprop(q, p), utc_only ? "DATE-TIME" : "DATE or DATE-TIME");
    else if (utc_only && d.is_date)
        cck_report(ctx, 212, "line %u:%u: %s \"%s\" is a DATE, not a DATE-TIME", p->line, p->col,
                   p->name, qprop(q, p));
}

/* RDATE and EXDATE (RFC 5545 §3.8.5.1, §3.8.5.2): every value of the list
 * a DATE or DATE-TIME as VALUE says, or for RDATE;VALUE=PERIOD a start and an
 * end or a positive duration (§3.3.9). The first bad value is reported. */
static void bad_date_list(cck_ctx *ctx, const cck_ics_prop *p)
{
    char q[QBUF];
    const cck_ics_param *v = cck_ics_param_get_id(p, CCK_ICSN_VALUE);
    const char *type = v && v->nvalues ? v->values[0] : "DATE-TIME";
    bool period = !strcasecmp(type, "PERIOD"), date = !strcasecmp(type, "DATE");
    if (period && p->id != CCK_ICSN_RDATE)
        period = false; /* EXDATE has no PERIOD: the values are read as DATE-TIME */
    size_t pos = 0, n;
    const char *s;
    while (cck_icsval_next(p, &pos, &s, &n)) {
        cck_civil c;
        bool is_date, utc, ok;
        if (period) {
            const char *slash = memchr(s, '/', n);
            int64_t secs;
            ok = slash && cck_icsval_datetime(s, (size_t)(slash - s), &c, &is_date, &utc) == 0 &&
                 !is_date;
            size_t rest = slash ? n - (size_t)(slash - s) - 1 : 0;
            if (ok && rest && (slash[1] == 'P' || slash[1] == '+' || slash[1] == '-'))
                ok = cck_icsval_duration(slash + 1, rest, &secs) == 0 && secs > 0;
            else if (ok)
                ok = cck_icsval_datetime(slash + 1, rest, &c, &is_date, &utc) == 0 && !is_date;
        } else {
            ok = cck_icsval_datetime(s, n, &c, &is_date, &utc) == 0 && is_date == date;
        }
        if (!ok) {
            cck_report(ctx, 212, "line %u:%u: %s value \"%s\" is not a %s%s", p->line, p->col,
                       p->name, qv(q, s, n),
                       period ? "PERIOD"
                       : date ? "DATE"
                              : "DATE-TIME",
                       n ? "" : " (the value is empty)");
            return;
        }
    }
}

static void bad_values(const cck_icsinfo *ic, cck_ctx *ctx)
{
    char q[QBUF];
    for (const cck_ics_prop *p = ic->comp->props; p; p = p->next) {
        if (p->bad)
            continue; /* 0200 reports the line */
        switch ((cck_ics_name)p->id) {
        case CCK_ICSN_EXDATE:
        case CCK_ICSN_RDATE:
            bad_date_list(ctx, p);
            break;
        case CCK_ICSN_DURATION: {
            int64_t secs;
            if (cck_icsval_duration(p->value, p->value_len, &secs) != 0)
                cck_report(ctx, 212, "line %u:%u: DURATION \"%s\" is not a duration", p->line,
                           p->col, qprop(q, p));
            break;
        }
        case CCK_ICSN_SEQUENCE: {
            bool in_range;
            if (!is_integer(p->value, p->value_len, &in_range))
                cck_report(ctx, 212, "line %u:%u: SEQUENCE \"%s\" is not an integer", p->line,
                           p->col, qprop(q, p));
            else if (!in_range)
                cck_report(ctx, 212,
                           "line %u:%u: SEQUENCE \"%s\" is outside the 32-bit INTEGER range",
                           p->line, p->col, qprop(q, p));
            break;
        }
        default:
            for (size_t i = 0; i < sizeof dt_props / sizeof dt_props[0]; i++)
                if (p->id == dt_props[i].id) {
                    bad_datetime(ctx, ic, p, dt_props[i].utc_only);
                    break;
                }
            break;
        }
    }
}

void cck_chk_ical_values(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_values(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, bad_values);
}

/* ---- 0213: the end (DTEND, or DUE of a VTODO) before DTSTART --------------- */

/* A date or time usable in a comparison: read, of its declared type. */
static bool usable(const cck_icsdt *d)
{
    return d->prop && d->valid && !d->value_mismatch;
}

/* The UTC instant of d when it names one (UTC, or a TZID that resolves). */
static bool utc_secs(const cck_icsinfo *ic, const cck_icsdt *d, int64_t *out)
{
    if (d->is_date)
        return false;
    if (d->utc) {
        *out = cck_icsval_secs(&d->local);
        return true;
    }
    return d->tzid && ic->zones &&
           cck_icstz_to_utc(ic->zones, d->tzid, d->tzid_len, &d->local, out) == 0;
}

/* Both written in the same frame: floating (or DATE) without TZID, or the same TZID. */
static bool same_frame(const cck_icsdt *a, const cck_icsdt *b)
{
    if (a->utc || b->utc)
        return a->utc && b->utc;
    if (!a->tzid || !b->tzid)
        return !a->tzid && !b->tzid;
    return a->tzid_len == b->tzid_len && memcmp(a->tzid, b->tzid, a->tzid_len) == 0;
}

/* The value of d with its TZID, for a message: "..." or "..." (TZID "..."). */
static const char *dt_text(char *buf, size_t n, const cck_icsdt *d)
{
    char q[QBUF], z[QBUF];
    qprop(q, d->prop);
    if (d->tzid)
        snprintf(buf, n, "\"%s\" (TZID \"%s\")", q, qv(z, d->tzid, d->tzid_len));
    else
        snprintf(buf, n, "\"%s\"", q);
    return buf;
}

static void end_before_start(const cck_icsinfo *ic, cck_ctx *ctx)
{
    const cck_icsdt *s = &ic->dtstart;
    const cck_icsdt *e = ic->dtend.prop ? &ic->dtend : &ic->due;
    if (!usable(s) || !usable(e) || s->is_date != e->is_date)
        return; /* 0212, 0216 */
    int64_t a, b;
    bool before;
    if (utc_secs(ic, s, &a) && utc_secs(ic, e, &b))
        before = b < a;
    else if (same_frame(s, e))
        before = cck_icsval_secs(&e->local) < cck_icsval_secs(&s->local);
    else
        return; /* a zone that does not resolve: 0220 */
    if (!before)
        return;
    char t1[2 * QBUF + 16], t2[2 * QBUF + 16];
    cck_report(ctx, 213, "line %u:%u: %s %s is before DTSTART %s", e->prop->line, e->prop->col,
               e->prop->name, dt_text(t1, sizeof t1, e), dt_text(t2, sizeof t2, s));
}

void cck_chk_ical_order(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_order(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, end_before_start);
}

/* ---- 0214: a negative DURATION -------------------------------------------- */

static void negative_duration(const cck_icsinfo *ic, cck_ctx *ctx)
{
    const cck_ics_prop *p = ic->duration_prop;
    char q[QBUF];
    if (p && ic->duration_valid && ic->duration < 0)
        cck_report(ctx, 214, "line %u:%u: DURATION \"%s\" is negative", p->line, p->col,
                   qprop(q, p));
}

void cck_chk_ical_duration(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_duration(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, negative_duration);
}

/* ---- 0215: DTEND (or DUE) and DURATION both -------------------------------- */

static void end_and_duration(const cck_icsinfo *ic, cck_ctx *ctx)
{
    const cck_ics_prop *d = ic->duration_prop;
    const cck_ics_prop *e = ic->dtend.prop ? ic->dtend.prop : ic->due.prop;
    if (!d || !e)
        return;
    char q1[QBUF], q2[QBUF];
    cck_report(ctx, 215, "line %u:%u: DURATION \"%s\" and %s \"%s\" (line %u) are both given",
               d->line, d->col, qprop(q1, d), e->name, qprop(q2, e), e->line);
}

void cck_chk_ical_end_duration(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_end_duration(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, end_and_duration);
}

/* ---- 0216: DATE and DATE-TIME mixed ---------------------------------------- */

/* The first value whose type differs from its reference, and how many more. */
typedef struct type_clash {
    const cck_ics_prop *p;
    const char *what; /* "EXDATE", "the UNTIL of RRULE", ... */
    const char *v;
    size_t n;
    bool is_date;
    const cck_icsdt *ref;
    bool ref_master; /* ref is the series' DTSTART, not the component's */
    size_t more;
} type_clash;

static void clash(type_clash *c, const cck_ics_prop *p, const char *what, const char *v, size_t n,
                  bool is_date, const cck_icsdt *ref, bool ref_master)
{
    if (is_date == ref->is_date)
        return;
    if (c->p) {
        c->more++;
        return;
    }
    *c = (type_clash){p, what, v, n, is_date, ref, ref_master, 0};
}

/* Each value of a list property (EXDATE, RDATE) against ref; VALUE=PERIOD
 * (RDATE) has no DATE/DATE-TIME type to compare. A value that is neither is
 * not compared here. */
static void list_types(type_clash *c, const cck_ics_prop *p, const cck_icsdt *ref)
{
    const cck_ics_param *vp = cck_ics_param_get_id(p, CCK_ICSN_VALUE);
    if (vp && vp->nvalues && strcasecmp(vp->values[0], "PERIOD") == 0)
        return;
    size_t pos = 0, n;
    const char *v;
    while (cck_icsval_next(p, &pos, &v, &n)) {
        cck_civil civ;
        bool is_date, utc;
        if (cck_icsval_datetime(v, n, &civ, &is_date, &utc) == 0)
            clash(c, p, p->name, v, n, is_date, ref, false);
    }
}

/* The UNTIL part of an RRULE value (§3.3.10), when there is one. */
static bool rrule_until(const cck_ics_prop *p, const char **v, size_t *n)
{
    const char *s = p->value, *end = p->value + p->value_len;
    while (s < end) {
        const char *semi = memchr(s, ';', (size_t)(end - s));
        const char *e = semi ? semi : end;
        if (e - s > 6 && strncasecmp(s, "UNTIL=", 6) == 0) {
            *v = s + 6;
            *n = (size_t)(e - s - 6);
            return true;
        }
        s = e + 1;
    }
    return false;
}

static void date_types(const cck_icsinfo *ic, cck_ctx *ctx)
{
    const cck_icsdt *ref = &ic->dtstart;
    const cck_icsdt *rid_ref = ref;
    bool rid_master = false;
    if (ic->is_override && ic->master && ic->master->ics && usable(&ic->master->ics->dtstart)) {
        rid_ref = &ic->master->ics->dtstart; /* §3.8.4.4: the series' DTSTART */
        rid_master = true;
    }
    if (!usable(ref))
        return;
    type_clash c = {0};
    for (const cck_ics_prop *p = ic->comp->props; p; p = p->next) {
        if (p->bad)
            continue;
        cck_icsdt buf;
        const cck_icsdt *d;
        switch ((cck_ics_name)p->id) {
        case CCK_ICSN_DTEND:
        case CCK_ICSN_DUE:
            d = read_dt(ic, p, &buf);
            if (usable(d))
                clash(&c, p, p->name, p->value, p->value_len, d->is_date, ref, false);
            break;
        case CCK_ICSN_RECURRENCE_ID:
            d = read_dt(ic, p, &buf);
            if (usable(d))
                clash(&c, p, p->name, p->value, p->value_len, d->is_date, rid_ref, rid_master);
            break;
        case CCK_ICSN_RDATE:
        case CCK_ICSN_EXDATE:
            list_types(&c, p, ref);
            break;
        case CCK_ICSN_RRULE: {
            const char *v;
            size_t n;
            cck_civil civ;
            bool is_date, utc;
            if (rrule_until(p, &v, &n) && cck_icsval_datetime(v, n, &civ, &is_date, &utc) == 0)
                clash(&c, p, "the UNTIL of RRULE", v, n, is_date, ref, false);
            break;
        }
        default:
            break;
        }
    }
    if (!c.p)
        return;
    char q1[QBUF], q2[QBUF], tail[48] = "";
    if (c.more)
        snprintf(tail, sizeof tail, " (and %zu more)", c.more);
    const cck_ics_prop *r = c.ref->prop;
    cck_report(ctx, 216, "line %u:%u: %s \"%s\" is a %s but %sDTSTART \"%s\" (line %u) is a %s%s",
               c.p->line, c.p->col, c.what, qv(q1, c.v, c.n), c.is_date ? "DATE" : "DATE-TIME",
               c.ref_master ? "the series' " : "", qprop(q2, r), r->line,
               c.ref->is_date ? "DATE" : "DATE-TIME", tail);
}

void cck_chk_ical_date_types(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_date_types(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, date_types);
}

/* ---- 0217: a once-only property given twice -------------------------------- */

#define IN_EV 1u /* VEVENT, §3.6.1 */
#define IN_TD 2u /* VTODO, §3.6.2 */
#define IN_JR 4u /* VJOURNAL, §3.6.3 */
static const struct {
    cck_ics_name id;
    unsigned in;
} once_props[] = {
    {CCK_ICSN_DTSTAMP, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_UID, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_DTSTART, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_CLASS, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_CREATED, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_DESCRIPTION, IN_EV | IN_TD},
    {CCK_ICSN_GEO, IN_EV | IN_TD},
    {CCK_ICSN_LAST_MODIFIED, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_LOCATION, IN_EV | IN_TD},
    {CCK_ICSN_ORGANIZER, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_PRIORITY, IN_EV | IN_TD},
    {CCK_ICSN_SEQUENCE, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_STATUS, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_SUMMARY, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_TRANSP, IN_EV},
    {CCK_ICSN_URL, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_RECURRENCE_ID, IN_EV | IN_TD | IN_JR},
    {CCK_ICSN_DTEND, IN_EV},
    {CCK_ICSN_DURATION, IN_EV | IN_TD},
    {CCK_ICSN_DUE, IN_TD},
    {CCK_ICSN_COMPLETED, IN_TD},
    {CCK_ICSN_PERCENT_COMPLETE, IN_TD},
};
#define N_ONCE (sizeof once_props / sizeof once_props[0])

static void duplicate_props(const cck_icsinfo *ic, cck_ctx *ctx)
{
    const char *cn = ic->comp->name;
    unsigned kind = !strcmp(cn, "VEVENT")     ? IN_EV
                    : !strcmp(cn, "VTODO")    ? IN_TD
                    : !strcmp(cn, "VJOURNAL") ? IN_JR
                                              : 0;
    if (!kind)
        return;
    /* Counted by name id; reported in once_props order. */
    const cck_ics_prop *first[CCK_ICSN_COUNT] = {0}, *second[CCK_ICSN_COUNT] = {0};
    size_t count[CCK_ICSN_COUNT] = {0};
    bool any = false;
    for (const cck_ics_prop *p = ic->comp->props; p; p = p->next) {
        if (p->bad || p->id == CCK_ICSN_OTHER || p->id >= CCK_ICSN_COUNT)
            continue;
        if (count[p->id]++ == 0)
            first[p->id] = p;
        else if (count[p->id] == 2) {
            second[p->id] = p;
            any = true;
        }
    }
    if (!any)
        return;
    for (size_t i = 0; i < N_ONCE; i++) {
        cck_ics_name id = once_props[i].id;
        if (second[id] && (once_props[i].in & kind))
            cck_report(ctx, 217, "line %u:%u: %s occurs %zu times in the %s (first at line %u)",
                       second[id]->line, second[id]->col, cck_ics_name_str(id), count[id], cn,
                       first[id]->line);
    }
}

void cck_chk_ical_duplicates(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_duplicates(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, duplicate_props);
}

/* ---- 0218: no DTSTAMP ------------------------------------------------------ */

static void no_dtstamp(const cck_icsinfo *ic, cck_ctx *ctx)
{
    if (!ic->dtstamp.prop)
        cck_report(ctx, 218, "line %u:%u: %s has no DTSTAMP", comp_line(ic->comp),
                   comp_col(ic->comp), ic->comp->name);
}

void cck_chk_ical_dtstamp(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_dtstamp(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, no_dtstamp);
}

/* ---- 0220, 0221: TZIDs that do not resolve, or only as Windows names ------- */

typedef struct tz_scan {
    cck_icstz *zones;
    const char *last; /* the previous TZID and what it resolved to */
    size_t last_n;
    cck_tzkind last_kind;
    const char *last_iana;
    /* first finding of each kind, and how many more */
    const cck_ics_prop *p[2];
    const cck_ics_param *q[2];
    const char *iana;
    size_t more[2];
} tz_scan;

static void tz_props(tz_scan *s, const cck_ics_comp *c)
{
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        for (size_t i = 0; i < p->nparams; i++) {
            const cck_ics_param *q = &p->params[i];
            if (q->id != CCK_ICSN_TZID || !q->nvalues)
                continue;
            const char *z = q->values[0];
            size_t n = strlen(z);
            if (!s->last || s->last_n != n || memcmp(s->last, z, n) != 0) {
                s->last = z;
                s->last_n = n;
                s->last_iana = NULL;
                s->last_kind = cck_icstz_resolve(s->zones, z, n, &s->last_iana);
            }
            int k = s->last_kind == CCK_TZ_UNKNOWN ? 0 : s->last_kind == CCK_TZ_WINDOWS ? 1 : -1;
            if (k < 0)
                continue;
            if (s->p[k]) {
                s->more[k]++;
                continue;
            }
            s->p[k] = p;
            s->q[k] = q;
            if (k == 1)
                s->iana = s->last_iana;
        }
    }
    for (const cck_ics_comp *k = c->children; k; k = k->next)
        tz_props(s, k);
}

static void tz_refs(const cck_icsinfo *ic, cck_ctx *ctx)
{
    if (!ic->zones)
        return;
    tz_scan s = {0};
    s.zones = ic->zones;
    tz_props(&s, ic->comp);
    char q[QBUF], tail[48];
    for (int k = 0; k < 2; k++) {
        if (!s.p[k])
            continue;
        tail[0] = 0;
        if (s.more[k])
            snprintf(tail, sizeof tail, " (and %zu more)", s.more[k]);
        const char *z = s.q[k]->values[0];
        if (k == 0)
            cck_report(ctx, 220,
                       "line %u:%u: TZID \"%s\" of %s is neither a VTIMEZONE of the file nor a "
                       "known IANA or Windows zone%s",
                       s.q[k]->line, s.q[k]->col, qv(q, z, strlen(z)), s.p[k]->name, tail);
        else
            cck_report(ctx, 221,
                       "line %u:%u: TZID \"%s\" of %s is a Windows zone name (%s) without a "
                       "VTIMEZONE%s",
                       s.q[k]->line, s.q[k]->col, qv(q, z, strlen(z)), s.p[k]->name,
                       s.iana ? s.iana : "?", tail);
    }
}

void cck_chk_ical_tzid(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_tzid(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, tz_refs);
}

/* ---- 0222: VTIMEZONE defects (calendar item) -------------------------------- */

static int vtz_id_of(const cck_problem *q)
{
    return strncmp(q->code, "vtz.", 4) == 0 ? 222 : 0;
}

void cck_chk_ical_vtimezone(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_vtimezone(const cck_item *it, cck_ctx *ctx)
{
    const cck_icsinfo *ic = it->ics;
    if (ic && ic->calendar_item && ic->cal_problems && ic->cal_problems->n)
        cck_report_problems(ctx, ic->cal_problems, vtz_id_of, 222, 222, NULL);
}

/* ---- 0225-0227: VERSION, PRODID, METHOD of the VCALENDAR -------------------- */

void cck_chk_ical_version(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_version(const cck_item *it, cck_ctx *ctx)
{
    const cck_ics_comp *cal = calendar_of(it);
    if (!cal)
        return;
    const cck_ics_prop *p = cck_ics_get_id(cal, CCK_ICSN_VERSION);
    char q[QBUF];
    if (!p) {
        cck_report(ctx, 225, "line %u:%u: VCALENDAR has no VERSION", comp_line(cal), comp_col(cal));
        return;
    }
    /* vervalue = "2.0" / maxver / (minver ";" maxver), §3.7.4: 2.0 must be the maximum. */
    const char *v = p->value;
    size_t n = p->value_len;
    const char *semi = memchr(v, ';', n);
    if (semi) {
        n -= (size_t)(semi + 1 - v);
        v = semi + 1;
    }
    if (n == 3 && memcmp(v, "2.0", 3) == 0)
        return;
    if (p->value_len == 3 && memcmp(p->value, "1.0", 3) == 0)
        cck_report(ctx, 225,
                   "line %u:%u: VERSION is \"1.0\": a vCalendar 1.0 file, not iCalendar 2.0",
                   p->line, p->col);
    else
        cck_report(ctx, 225, "line %u:%u: VERSION \"%s\" is not \"2.0\"", p->line, p->col,
                   qprop(q, p));
}

void cck_chk_ical_prodid(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_prodid(const cck_item *it, cck_ctx *ctx)
{
    const cck_ics_comp *cal = calendar_of(it);
    if (cal && !cck_ics_get_id(cal, CCK_ICSN_PRODID))
        cck_report(ctx, 226, "line %u:%u: VCALENDAR has no PRODID", comp_line(cal), comp_col(cal));
}

/* METHOD:PUBLISH (RFC 5546 §3.2.1) only publishes: exports from Outlook and
 * most servers carry it, and importing it schedules nothing. Every other
 * method is a scheduling message (REQUEST, REPLY, CANCEL, ...). */
void cck_chk_ical_method(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_method(const cck_item *it, cck_ctx *ctx)
{
    const cck_ics_comp *cal = calendar_of(it);
    const cck_ics_prop *p = cal ? cck_ics_get_id(cal, CCK_ICSN_METHOD) : NULL;
    if (!p || (p->value_len == 7 && strncasecmp(p->value, "PUBLISH", 7) == 0))
        return;
    char q[QBUF];
    cck_report(ctx, 227,
               "line %u:%u: METHOD \"%s\": the file is an iTIP scheduling message, not a stored "
               "calendar",
               p->line, p->col, qprop(q, p));
}

/* ---- 0228: ATTENDEE without ORGANIZER -------------------------------------- */

static void attendee_no_organizer(const cck_icsinfo *ic, cck_ctx *ctx)
{
    const cck_ics_prop *att = NULL;
    size_t n_att = 0;
    for (const cck_ics_prop *p = ic->comp->props; p; p = p->next) {
        if (p->bad || (p->id != CCK_ICSN_ATTENDEE && p->id != CCK_ICSN_ORGANIZER))
            continue;
        if (name_is(p, CCK_ICSN_ORGANIZER))
            return;
        if (name_is(p, CCK_ICSN_ATTENDEE) && !n_att++)
            att = p;
    }
    if (!att)
        return;
    /* An override of a series that has an ORGANIZER keeps the series' one. */
    if (ic->is_override && ic->master && ic->master->ics && ic->master->ics->comp &&
        cck_ics_get_id(ic->master->ics->comp, CCK_ICSN_ORGANIZER))
        return;
    char q[QBUF];
    cck_report(ctx, 228, "line %u:%u: ATTENDEE \"%s\" (%zu attendee%s) but the %s has no ORGANIZER",
               att->line, att->col, qprop(q, att), n_att, n_att == 1 ? "" : "s", ic->comp->name);
}

void cck_chk_ical_organizer(const cck_item *it, cck_ctx *ctx);
void cck_chk_ical_organizer(const cck_item *it, cck_ctx *ctx)
{
    each_comp(it, ctx, attendee_no_organizer);
}
