/* icsitem.c - iCalendar components to items (icsitem.h): RFC 5545 §3.6.1-3
 * properties read into the icsinfo and, where they mean the same, into the
 * MAPI-era fields ([MS-OXOCAL] names in item.h): SUMMARY §3.8.1.12, LOCATION
 * §3.8.1.7, DTSTART/DTEND/DURATION/DUE §3.8.2, ORGANIZER/ATTENDEE §3.8.4,
 * RRULE/RDATE §3.8.5, RECURRENCE-ID §3.8.4.4. Nothing is judged here.
 */
#include "model/icsitem.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ics/rrule.h"
#include "util/text.h"

#define TICKS 10000000ull /* FILETIME ticks per second */

/* The first of each property the mapping reads, and counts, found in one
 * pass over the component (a VEVENT has a few dozen lines; looking each name
 * up separately cost more than the rest of the mapping). */
typedef struct props {
    const cck_ics_prop *summary, *location, *created, *modified, *dtstart, *dtend, *due, *rid,
        *dtstamp, *duration, *sequence, *rrule, *uid, *organizer;
    size_t attendees, categories, attach, rrules, rdates, exdates;
} props;

static void first(const cck_ics_prop **slot, const cck_ics_prop *p)
{
    if (!*slot)
        *slot = p;
}

static void index_props(const cck_ics_comp *c, props *x)
{
    memset(x, 0, sizeof *x);
    for (const cck_ics_prop *p = c->props; p; p = p->next) {
        switch ((cck_ics_name)p->id) {
        case CCK_ICSN_ATTENDEE:
            x->attendees++;
            break;
        case CCK_ICSN_ATTACH:
            x->attach++;
            break;
        case CCK_ICSN_CATEGORIES:
            x->categories++;
            break;
        case CCK_ICSN_CREATED:
            first(&x->created, p);
            break;
        case CCK_ICSN_DTSTART:
            first(&x->dtstart, p);
            break;
        case CCK_ICSN_DTEND:
            first(&x->dtend, p);
            break;
        case CCK_ICSN_DTSTAMP:
            first(&x->dtstamp, p);
            break;
        case CCK_ICSN_DURATION:
            first(&x->duration, p);
            break;
        case CCK_ICSN_DUE:
            first(&x->due, p);
            break;
        case CCK_ICSN_EXDATE:
            x->exdates++;
            break;
        case CCK_ICSN_LOCATION:
            first(&x->location, p);
            break;
        case CCK_ICSN_LAST_MODIFIED:
            first(&x->modified, p);
            break;
        case CCK_ICSN_ORGANIZER:
            first(&x->organizer, p);
            break;
        case CCK_ICSN_RRULE:
            first(&x->rrule, p);
            x->rrules++;
            break;
        case CCK_ICSN_RDATE:
            x->rdates++;
            break;
        case CCK_ICSN_RECURRENCE_ID:
            first(&x->rid, p);
            break;
        case CCK_ICSN_SUMMARY:
            first(&x->summary, p);
            break;
        case CCK_ICSN_SEQUENCE:
            first(&x->sequence, p);
            break;
        case CCK_ICSN_UID:
            first(&x->uid, p);
            break;
        default:
            break;
        }
    }
}

static void set_str(cck_fstr *f, const char *s, size_t n)
{
    f->has = CCK_PRESENT;
    f->s = s;
    f->len = n;
}

/* A TEXT property's value with escapes decoded; bad escapes are the parser's
 * to report (it already did, on the same line). */
static void text_of(const cck_ics_prop *p, cck_arena *a, cck_fstr *f)
{
    if (!p)
        return;
    size_t n = 0;
    char *s = cck_ics_text_decode(p, a, &n, NULL);
    if (s)
        set_str(f, s, n);
    else
        f->has = CCK_BADTYPE;
}

/* A DATE/DATE-TIME as seconds since 1601 UTC: Z as is, TZID through the
 * file's zones, floating times and DATEs read as UTC (they belong to
 * whoever looks at them; the reports say UTC). */
static bool dt_secs(const cck_icsdt *d, cck_icstz *z, int64_t *secs)
{
    if (!d->prop || !d->valid)
        return false;
    if (d->utc || d->floating || !d->tzid) {
        *secs = cck_icsval_secs(&d->local);
        return true;
    }
    return z && cck_icstz_to_utc(z, d->tzid, d->tzid_len, &d->local, secs) == 0;
}

static void set_time(cck_ftime *t, int64_t secs)
{
    if (secs < 0) {
        t->has = CCK_BADTYPE; /* before 1601: no FILETIME can say it */
        return;
    }
    t->has = CCK_PRESENT;
    t->ft = (uint64_t)secs * TICKS;
}

static void utc_time(const cck_ics_prop *p, cck_ftime *t)
{
    cck_icsdt d;
    cck_icsval_dt(p, &d);
    if (d.prop && !d.valid)
        t->has = CCK_BADTYPE;
    else if (d.prop)
        set_time(t, cck_icsval_secs(&d.local));
}

/* "mailto:a@b" → SMTP a@b; another URI keeps its scheme as the address type. */
static void address_of(const cck_ics_prop *p, cck_arena *a, cck_fstr *type, cck_fstr *email,
                       cck_fstr *smtp)
{
    const char *v = p->value;
    size_t n = p->value_len;
    if (n >= 7 && !strncasecmp(v, "mailto:", 7)) {
        char *addr = cck_arena_strndup(a, v + 7, n - 7);
        set_str(type, "SMTP", 4);
        if (addr) {
            set_str(email, addr, n - 7);
            set_str(smtp, addr, n - 7);
        }
        return;
    }
    const char *colon = memchr(v, ':', n);
    size_t sl = colon ? (size_t)(colon - v) : 0;
    char *scheme = cck_arena_strndup(a, v, sl);
    char *addr = cck_arena_strndup(a, v, n);
    for (size_t i = 0; scheme && i < sl; i++)
        if (scheme[i] >= 'a' && scheme[i] <= 'z')
            scheme[i] = (char)(scheme[i] - 'a' + 'A');
    if (scheme)
        set_str(type, scheme, sl);
    if (addr)
        set_str(email, addr, n);
}

static void name_of(const cck_ics_prop *p, cck_fstr *f)
{
    const cck_ics_param *cn = cck_ics_param_get_id(p, CCK_ICSN_CN);
    if (cn && cn->nvalues)
        set_str(f, cn->values[0], strlen(cn->values[0]));
}

static int attendees(const cck_ics_comp *c, size_t n, cck_arena *a, cck_item *it)
{
    if (!n)
        return 0;
    cck_recip *r = cck_arena_calloc(a, n, sizeof *r);
    if (!r)
        return -1;
    size_t i = 0;
    for (const cck_ics_prop *p = c->props; p && i < n; p = p->next) {
        if (p->id != CCK_ICSN_ATTENDEE)
            continue;
        name_of(p, &r[i].display_name);
        address_of(p, a, &r[i].addrtype, &r[i].email, &r[i].smtp);
        const cck_ics_param *role = cck_ics_param_get_id(p, CCK_ICSN_ROLE);
        r[i].type.has = CCK_PRESENT;
        r[i].type.v = role && role->nvalues && !strcasecmp(role->values[0], "OPT-PARTICIPANT")
                          ? CCK_RECIP_CC
                          : CCK_RECIP_TO;
        i++;
    }
    it->recips = r;
    it->n_recips = i;
    return 0;
}

static int keywords(const cck_ics_comp *c, size_t ncat, cck_arena *a, cck_item *it)
{
    size_t n = 0;
    if (!ncat)
        return 0;
    for (const cck_ics_prop *p = c->props; p; p = p->next)
        if (p->id == CCK_ICSN_CATEGORIES) {
            size_t pos = 0, len;
            const char *v;
            while (cck_icsval_next(p, &pos, &v, &len))
                n++;
        }
    if (!n)
        return 0;
    const char **k = cck_arena_calloc(a, n, sizeof *k);
    if (!k)
        return -1;
    size_t i = 0;
    for (const cck_ics_prop *p = c->props; p; p = p->next)
        if (p->id == CCK_ICSN_CATEGORIES) {
            size_t pos = 0, len;
            const char *v;
            while (i < n && cck_icsval_next(p, &pos, &v, &len))
                k[i++] = cck_arena_strndup(a, v, len);
        }
    it->keywords = k;
    it->n_keywords = i;
    return 0;
}

static uint64_t series_end(const cck_icsinfo *x, cck_icstz *z, int64_t length);

uint64_t cck_icsinfo_series_end(const cck_item *it)
{
    const cck_icsinfo *x = it->ics;
    if (!x || !it->recurring.v || it->start.has != CCK_PRESENT || it->end.has != CCK_PRESENT)
        return 0;
    return series_end(x, x->zones, (int64_t)((it->end.ft - it->start.ft) / TICKS));
}

/* The last end of a series with COUNT or UNTIL, as a FILETIME; 0 when it
 * never ends or cannot be worked out. Bounded by the iterator's caps. */
static uint64_t series_end(const cck_icsinfo *x, cck_icstz *z, int64_t length)
{
    if (!x->rrule || !x->dtstart.valid)
        return 0;
    cck_problems scratch = {0};
    cck_rrule r;
    if (cck_rrule_parse(x->rrule->value, x->rrule->value_len, &r, &scratch) != 0)
        return 0;
    if (!r.count && !r.has_until)
        return 0;
    cck_rrule_iter itr;
    cck_rrule_iter_init(&itr, &r, &x->dtstart.local, x->dtstart.is_date);
    cck_civil last = x->dtstart.local, c;
    while (cck_rrule_iter_next(&itr, &c))
        last = c;
    if (itr.stop == CCK_RRULE_STOP_MAX || itr.stop == CCK_RRULE_STOP_HORIZON)
        return 0;
    cck_icsdt d = x->dtstart;
    d.local = last;
    int64_t s;
    if (!dt_secs(&d, z, &s) || s + length < 0)
        return 0;
    return (uint64_t)(s + length) * TICKS;
}

static void read_times(const props *px, cck_icsinfo *x)
{
    cck_icsval_dt(px->dtstart, &x->dtstart);
    cck_icsval_dt(px->dtend, &x->dtend);
    cck_icsval_dt(px->due, &x->due);
    cck_icsval_dt(px->rid, &x->recurrence_id);
    cck_icsval_dt(px->dtstamp, &x->dtstamp);
    x->duration_prop = px->duration;
    if (x->duration_prop)
        x->duration_valid = cck_icsval_duration(x->duration_prop->value,
                                                x->duration_prop->value_len, &x->duration) == 0;
    x->sequence_prop = px->sequence;
    if (x->sequence_prop) {
        const char *s = x->sequence_prop->value;
        size_t n = x->sequence_prop->value_len, i = 0;
        int64_t v = 0;
        bool neg = n && (s[0] == '-' || s[0] == '+');
        if (neg)
            i = 1;
        bool ok = i < n && n - i <= 18;
        for (; ok && i < n; i++) {
            ok = s[i] >= '0' && s[i] <= '9';
            v = v * 10 + (s[i] - '0');
        }
        x->sequence_valid = ok;
        x->sequence = ok ? (s[0] == '-' ? -v : v) : 0;
    }
    x->rrule = px->rrule;
    x->n_rrule = px->rrules;
    x->n_rdate = px->rdates;
    x->n_exdate = px->exdates;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                  : -1;
}

/* Outlook and Exchange write a meeting's GlobalObjectId as the UID, in hex
 * ([MS-OXCICAL] 2.1.3.1.1.20.26): when the UID is that, it is decoded into
 * the item's GlobalObjectId, so the id's own checks (0160, 0162) apply. */
static int uid_goid(const char *u, size_t n, cck_arena *a, cck_item *it)
{
    size_t need = 2 * sizeof CCK_GOID_CLASS_ID;
    if (n < 2 * CCK_GOID_HEADER_SIZE || n % 2 || n / 2 > CCK_GOID_HEADER_SIZE + CCK_GOID_MAX_UID)
        return 0;
    for (size_t i = 0; i < need; i += 2)
        if (hexval(u[i]) * 16 + hexval(u[i + 1]) != CCK_GOID_CLASS_ID[i / 2])
            return 0;
    uint8_t *b = cck_arena_alloc(a, n / 2);
    if (!b)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hexval(u[i]), lo = hexval(u[i + 1]);
        if (hi < 0 || lo < 0)
            return 0; /* not hex after all: an ordinary UID */
        b[i / 2] = (uint8_t)(hi * 16 + lo);
    }
    cck_problems_init(&it->goid.problems, a);
    it->goid.raw = (cck_fbin){CCK_PRESENT, b, n / 2};
    it->goid.v = cck_goid_parse(b, n / 2, a, &it->goid.problems);
    return 0;
}

/* "VEVENT, lines 12-40" without printf (it is made for every item). */
static const char *locator(const cck_ics_comp *c, cck_arena *a)
{
    char buf[96];
    size_t n = strlen(c->name);
    if (n > 40)
        n = 40;
    memcpy(buf, c->name, n);
    memcpy(buf + n, ", lines ", 8);
    n += 8;
    uint32_t v[2] = {c->line, c->end_line ? c->end_line : c->line};
    for (int k = 0; k < 2; k++) {
        char d[12];
        int m = 0;
        uint32_t x = v[k];
        do
            d[m++] = (char)('0' + x % 10);
        while ((x /= 10) && m < 11);
        while (m)
            buf[n++] = d[--m];
        if (!k)
            buf[n++] = '-';
    }
    return cck_arena_strndup(a, buf, n);
}

/* One component into *it (no exceptions). */
static int fill(const cck_icspart *part, const cck_icsfile *f, cck_arena *a, cck_item *it,
                cck_icsinfo **out)
{
    const cck_ics_comp *c = part->comp;
    memset(it, 0, sizeof *it);
    cck_icsinfo *x = cck_arena_calloc(a, 1, sizeof *x);
    if (!x)
        return -1;
    *out = x;
    it->ics = x;
    it->source = f->source;
    it->locator = locator(c, a);
    if (!it->locator)
        return -1;
    props px;
    index_props(c, &px);
    x->comp = c;
    x->problems = part->problems;
    x->calendar = f->calendar;
    x->zones = f->zones;
    x->uid_prop = px.uid;
    x->uid = "";
    if (x->uid_prop) {
        char *u = cck_arena_strndup(a, x->uid_prop->value, x->uid_prop->value_len);
        if (!u)
            return -1;
        x->uid = u;
        x->uid_len = x->uid_prop->value_len;
        if (uid_goid(x->uid, x->uid_len, a, it) != 0)
            return -1;
    }
    read_times(&px, x);
    x->is_override = x->recurrence_id.prop != NULL;

    text_of(px.summary, a, &it->subject);
    text_of(px.location, a, &it->location);
    if (keywords(c, px.categories, a, it) != 0 || attendees(c, px.attendees, a, it) != 0)
        return -1;
    utc_time(px.created, &it->creation);
    utc_time(px.modified, &it->last_modification);

    /* Start and end (RFC 5545 §3.6.1: DTEND, else DURATION, else one day for
     * a DATE and no length for a DATE-TIME; VTODO's DUE stands for DTEND). */
    int64_t s = 0, e = 0;
    bool have_s = dt_secs(&x->dtstart, f->zones, &s);
    if (x->dtstart.prop)
        have_s ? set_time(&it->start, s) : (void)(it->start.has = CCK_BADTYPE);
    const cck_icsdt *end = x->dtend.prop ? &x->dtend : &x->due;
    if (end->prop) {
        if (dt_secs(end, f->zones, &e))
            set_time(&it->end, e);
        else
            it->end.has = CCK_BADTYPE;
    } else if (have_s && x->duration_prop && x->duration_valid) {
        e = s + x->duration;
        set_time(&it->end, e);
    } else if (have_s) {
        e = s + (x->dtstart.is_date ? 86400 : 0);
        set_time(&it->end, e);
    }
    it->all_day.has = x->dtstart.prop ? CCK_PRESENT : CCK_ABSENT;
    it->all_day.v = x->dtstart.valid && x->dtstart.is_date;
    if (x->dtstart.tzid)
        set_str(&it->tz_description, x->dtstart.tzid, x->dtstart.tzid_len);

    /* Recurrence: a master with RRULE or RDATE is a series. */
    it->recurring.has = CCK_PRESENT;
    it->recurring.v = !x->is_override && (x->n_rrule || x->n_rdate);

    /* A meeting: it names attendees or an organizer (RFC 5545 §3.8.4.1/3). */
    const cck_ics_prop *org = px.organizer;
    if (org) {
        name_of(org, &it->sent_rep_name);
        address_of(org, a, &it->sent_rep_addrtype, &it->sent_rep_email, &it->sent_rep_smtp);
    }
    if (org || it->n_recips) {
        it->state_flags.has = CCK_PRESENT;
        it->state_flags.v = CCK_ASF_MEETING;
    }
    it->n_attachs = px.attach;
    return 0;
}

int cck_item_from_ics(const cck_icspart *main, const cck_icspart *overrides, size_t n_overrides,
                      const cck_icsfile *file, cck_arena *a, cck_item *out)
{
    cck_icsinfo *x;
    if (fill(main, file, a, out, &x) != 0)
        return -1;
    x->orphan = x->is_override;
    if (!n_overrides)
        return 0;
    cck_item *ex = cck_arena_calloc(a, n_overrides, sizeof *ex);
    if (!ex)
        return -1;
    for (size_t i = 0; i < n_overrides; i++) {
        cck_icsinfo *ox;
        if (fill(&overrides[i], file, a, &ex[i], &ox) != 0)
            return -1;
        ex[i].is_exception = true;
        ox->master = out;
    }
    out->exceptions = ex;
    out->n_exceptions = n_overrides;
    return 0;
}

int cck_item_ics_calendar(const cck_icsfile *file, cck_arena *a, cck_item *out)
{
    memset(out, 0, sizeof *out);
    cck_icsinfo *x = cck_arena_calloc(a, 1, sizeof *x);
    if (!x)
        return -1;
    out->ics = x;
    out->source = file->source;
    out->locator = "VCALENDAR";
    x->calendar_item = true;
    x->comp = file->calendar;
    x->calendar = file->calendar;
    x->zones = file->zones;
    x->cal_problems = file->cal_problems;
    x->vtimezones = file->vtimezones;
    x->n_vtimezones = file->n_vtimezones;
    x->uid = "";
    return 0;
}
