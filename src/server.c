/* server.c - server mode (server.h; DESIGN §6, §7, §8): mailboxes listed from
 * a CalDAV server (RFC 4918 PROPFIND Depth 1 on the root) or a folder, each
 * checked in a child process (a bounded pool: one crash or hang-up costs one
 * mailbox), results sent back over a pipe and gathered in CalCheckSvr.log.
 * -F on CalDAV: MKCALENDAR (RFC 4791 §5.3.1), MOVE with Overwrite: F (RFC
 * 4918 §9.9, §10.6), and on any answer but 201/204 both resources are read
 * before anything else is done, so nothing is ever lost or left twice. */
#include "server.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report/report.h"
#include "runmail.h"
#include "sources/caldav.h"

#define ERRLEN 1024

typedef struct mailbox {
    char *name;  /* as listed (decoded) */
    char *where; /* URL of the principal, or the path of a folder mailbox */
    char safe[CCK_SERVER_MAX_SAFE + 16];
    /* the result */
    int rc; /* the mailbox run's exit status; -1: could not be checked */
    bool fix_incomplete;
    cck_totals t;
    size_t moved, requests;
    char reason[ERRLEN];
    char address[CCK_MAIL_ADDR_MAX + 1]; /* the principal's mailto: address, "" if none */
    int mailed;                          /* -R: 1 sent, -1 not sent, 0 not asked */
    char mail_note[ERRLEN];              /* to whom, or why not */
} mailbox;

/* What a child sends back: fixed fields, then the reason. */
typedef struct wire {
    int rc, fix_incomplete;
    size_t items, problem_items, errors, warnings, recurring, moved, requests;
    char reason[ERRLEN];
    char address[CCK_MAIL_ADDR_MAX + 1];
} wire;

typedef struct server {
    const cck_server_opts *o;
    bool dav;
    char *root; /* server URL or folder */
    cck_caldav_opts login;
    char user[512], password[CCK_PROFILE_MAX_SECRET];
    mailbox *mb;
    size_t n, cap;
} server;

void cck_server_safe_name(const char *name, char *buf, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; name[i] && k + 1 < size && k < CCK_SERVER_MAX_SAFE; i++) {
        unsigned char c = (unsigned char)name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-' || c == '@' || c == '+';
        buf[k] = ok && !(k == 0 && c == '.') ? (char)c : '_';
        k++;
    }
    if (k == 0 && size > 8)
        k = (size_t)snprintf(buf, size, "mailbox");
    if (size)
        buf[k < size ? k : size - 1] = 0;
}

static int add_mailbox(server *s, const char *name, const char *where)
{
    if (s->n >= CCK_SERVER_MAX_MAILBOXES)
        return -1;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        mailbox *v = realloc(s->mb, cap * sizeof *v);
        if (!v)
            return -1;
        s->mb = v;
        s->cap = cap;
    }
    mailbox *m = &s->mb[s->n];
    memset(m, 0, sizeof *m);
    m->name = strdup(name);
    m->where = strdup(where);
    if (!m->name || !m->where) {
        free(m->name);
        free(m->where);
        return -1;
    }
    s->n++;
    return 0;
}

static int cmp_mb(const void *a, const void *b)
{
    return strcmp(((const mailbox *)a)->name, ((const mailbox *)b)->name);
}

/* Safe names, unique within the run ("name", "name_2", ...). */
static void name_files(server *s)
{
    for (size_t i = 0; i < s->n; i++) {
        char base[CCK_SERVER_MAX_SAFE + 1];
        cck_server_safe_name(s->mb[i].name, base, sizeof base);
        snprintf(s->mb[i].safe, sizeof s->mb[i].safe, "%s", base);
        for (int k = 2;; k++) {
            bool used = false;
            for (size_t j = 0; j < i && !used; j++)
                used = !strcasecmp(s->mb[j].safe, s->mb[i].safe);
            if (!used)
                break;
            snprintf(s->mb[i].safe, sizeof s->mb[i].safe, "%s_%d", base, k);
        }
    }
}

/* ---- CalDAV mailboxes ---------------------------------------------------- */

/* calendar-data comes out of XML with its line ends normalised to LF (XML
 * 1.0 §2.11); the stored object had CRLF (RFC 5545 §3.1), so CRLF is put
 * back rather than reporting every line as lacking it. */
static char *crlf(const char *s, size_t n, size_t *out)
{
    size_t extra = 0;
    for (size_t i = 0; i < n; i++)
        extra += s[i] == '\n' && (i == 0 || s[i - 1] != '\r');
    char *b = malloc(n + extra + 1);
    if (!b)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            b[k++] = '\r';
        b[k++] = s[i];
    }
    b[k] = 0;
    *out = k;
    return b;
}

typedef struct davobj {
    char *url, *etag;
    size_t cal; /* index in box.cals */
} davobj;

typedef struct davrun {
    cck_caldav *c;
    cck_caldav_box box;
    davobj *obj;
    size_t nobj;
    size_t moved;
    bool stop; /* the server stopped answering: no more moves this run */
} davrun;

static void note(struct cck_reports *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(struct cck_reports *rep, const char *fmt, ...)
{
    char b[2 * ERRLEN + 2 * CCK_CALDAV_MAX_URL];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    cck_reports_note(rep, "%s", b);
}

/* GET a resource: 1 present (body in *body), 0 absent (404/410), -1 no usable answer. */
static int fetch(davrun *d, const char *url, char **body, size_t *len, char *err, size_t esz)
{
    long st = 0;
    *body = NULL;
    cck_dav_err e = cck_caldav_request(d->c, "GET", url, NULL, NULL, &st, body, len, err, esz);
    if (e) {
        if (e == CCK_DAV_NET)
            d->stop = true;
        return -1;
    }
    if (st >= 200 && st <= 299)
        return 1;
    free(*body);
    *body = NULL;
    if (st == 404 || st == 410)
        return 0;
    snprintf(err, esz, "%s: GET answered HTTP %ld", url, st);
    return -1;
}

/* Settles one object whose MOVE did not answer 201/204 by reading both
 * places. Returns 1 moved (or found moved), 0 not moved, -1 unknown. */
static int settle(davrun *d, const davobj *ob, const char *dst, struct cck_reports *rep,
                  const char *what)
{
    char err[ERRLEN] = "", *sb = NULL, *db = NULL;
    size_t sl = 0, dl = 0;
    int in_src = fetch(d, ob->url, &sb, &sl, err, sizeof err);
    int in_dst = in_src < 0 ? -1 : fetch(d, dst, &db, &dl, err, sizeof err);
    int res = -1;
    if (in_src < 0 || in_dst < 0) {
        note(rep,
             "-F: %s: %s; could not verify (%s): it stays where it is, a re-run completes "
             "the move",
             ob->url, what, err);
    } else if (!in_src && in_dst) {
        d->moved++;
        note(rep, "-F: moved %s to %s (verified after %s)", ob->url, dst, what);
        res = 1;
    } else if (in_src && !in_dst) {
        note(rep, "-F: could not move %s: %s; it stays in its calendar", ob->url, what);
        res = 0;
    } else if (!in_src && !in_dst) {
        note(rep, "-F: %s is in neither calendar any more (deleted meanwhile?): nothing moved",
             ob->url);
        res = 0;
    } else if (sl == dl && !memcmp(sb, db, sl)) {
        /* An earlier run stopped between copy and delete (a server without
         * an atomic MOVE): the same object is in both; the source goes. */
        char im[CCK_DAV_MAX_SHORT + 16];
        const char *hdr[] = {im, NULL};
        snprintf(im, sizeof im, "If-Match: %s", ob->etag ? ob->etag : "*");
        long st = 0;
        char *b = NULL;
        size_t n = 0;
        cck_dav_err e =
            cck_caldav_request(d->c, "DELETE", ob->url, hdr, NULL, &st, &b, &n, err, sizeof err);
        free(b);
        if (!e && st >= 200 && st <= 299) {
            d->moved++;
            note(rep,
                 "-F: %s was already in %s, identical (an earlier move was interrupted); "
                 "the copy left in its calendar was removed",
                 ob->url, dst);
            res = 1;
        } else {
            if (e == CCK_DAV_NET)
                d->stop = true;
            note(rep,
                 "-F: %s is also in %s, identical, but removing it from its calendar "
                 "failed (%s): a re-run finishes it",
                 ob->url, dst, e ? err : "unexpected status");
        }
    } else {
        res = 2; /* a different object holds that name in CalCheck */
    }
    free(sb);
    free(db);
    return res;
}

/* The destination's name is the object's, decoded and made safe
 * ([A-Za-z0-9._@+-]): nothing in it needs percent-encoding, so servers that
 * do and do not decode a Destination header agree on what it names. */
/* MOVEs one object into the quarantine calendar under `name`. */
static int move_one(davrun *d, const davobj *ob, const char *name, struct cck_reports *rep,
                    int depth)
{
    char *dst = cck_caldav_resolve(d->box.quarantine, name);
    if (!dst) {
        note(rep, "-F: could not move %s: no usable destination name", ob->url);
        return 0;
    }
    char dh[CCK_CALDAV_MAX_URL + 32], im[CCK_DAV_MAX_SHORT + 16];
    snprintf(dh, sizeof dh, "Destination: %s", dst);
    snprintf(im, sizeof im, "If-Match: %s", ob->etag ? ob->etag : "*");
    const char *hdr[] = {dh, "Overwrite: F", ob->etag ? im : NULL, NULL};
    long st = 0;
    char *b = NULL, err[ERRLEN] = "";
    size_t n = 0;
    cck_dav_err e =
        cck_caldav_request(d->c, "MOVE", ob->url, hdr, NULL, &st, &b, &n, err, sizeof err);
    free(b);
    int res;
    if (!e && (st == 201 || st == 204)) {
        d->moved++;
        note(rep, "-F: moved %s to %s", ob->url, dst);
        res = 1;
    } else {
        char what[ERRLEN + 64];
        if (e)
            snprintf(what, sizeof what, "MOVE failed: %s", err);
        else
            snprintf(what, sizeof what, "MOVE answered HTTP %ld", st);
        res = settle(d, ob, dst, rep, what);
        if (res == 2 && depth == 0) {
            /* Another object of that name is in CalCheck: name this one
             * after its calendar too. */
            char seg[256], alt[800], safe[800];
            cck_caldav_last_segment(d->box.cals[ob->cal].url, seg, sizeof seg);
            snprintf(alt, sizeof alt, "%s-%s", seg, name);
            cck_server_safe_name(alt, safe, sizeof safe);
            res = move_one(d, ob, safe, rep, 1);
        } else if (res == 2) {
            note(rep, "-F: could not move %s: %s holds a different object of that name", ob->url,
                 dst);
            res = 0;
        }
    }
    free(dst);
    return res;
}

/* The quarantine calendar: found by the discovery, else created. */
static int ensure_quarantine(davrun *d, struct cck_reports *rep)
{
    if (d->box.quarantine)
        return 0;
    char *url = cck_caldav_resolve(d->box.home, CCK_CALDAV_QUARANTINE "/");
    if (!url) {
        note(rep, "-F: no quarantine calendar: the home %s gives no usable URL", d->box.home);
        return -1;
    }
    static const char body[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop>"
        "<D:displayname>" CCK_CALDAV_QUARANTINE "</D:displayname>"
        "<C:supported-calendar-component-set><C:comp name=\"VEVENT\"/><C:comp name=\"VTODO\"/>"
        "<C:comp name=\"VJOURNAL\"/></C:supported-calendar-component-set>"
        "</D:prop></D:set></C:mkcalendar>";
    long st = 0;
    char *b = NULL, err[ERRLEN] = "";
    size_t n = 0;
    cck_dav_err e =
        cck_caldav_request(d->c, "MKCALENDAR", url, NULL, body, &st, &b, &n, err, sizeof err);
    free(b);
    if (!e && (st == 201 || st == 405 || st == 409)) {
        /* 405/409: it exists already (made by a run that stopped before it
         * was listed); the MOVEs tell if it is not a calendar. */
        if (st == 201)
            note(rep, "-F: created the calendar %s", url);
        d->box.quarantine = url;
        return 0;
    }
    if (e)
        note(rep, "-F: could not create the calendar %s: %s", url, err);
    else
        note(rep, "-F: could not create the calendar %s: MKCALENDAR answered HTTP %ld%s", url, st,
             st == 401 || st == 403 ? " (the account may not create calendars there)" : "");
    free(url);
    return -1;
}

/* After the moves, one PROPFIND Depth 1 per calendar involved shows where
 * each moved object is now. */
static void verify_moves(davrun *d, const bool *moved, struct cck_reports *rep)
{
    size_t left = 0, missing = 0;
    char err[ERRLEN];
    for (size_t k = 0; k <= d->box.ncals; k++) {
        const char *cal = k < d->box.ncals ? d->box.cals[k].url : d->box.quarantine;
        bool any = k == d->box.ncals;
        for (size_t i = 0; i < d->nobj && !any; i++)
            any = moved[i] && d->obj[i].cal == k;
        if (!any)
            continue;
        char *b = NULL;
        size_t n = 0;
        long st = 0;
        const char *hdr[] = {"Depth: 1", NULL};
        static const char body[] =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:resourcetype/><D:getetag/></D:prop>"
            "</D:propfind>";
        if (cck_caldav_request(d->c, "PROPFIND", cal, hdr, body, &st, &b, &n, err, sizeof err) ||
            st != 207) {
            free(b);
            note(rep, "-F: could not list %s to verify the moves", cal);
            return;
        }
        cck_dav_ms *ms = NULL;
        const char *why;
        if (cck_dav_ms_parse(b, n, &ms, &why) != 0) {
            free(b);
            note(rep, "-F: could not read the listing of %s: %s", cal, why);
            return;
        }
        free(b);
        if (k < d->box.ncals) {
            for (size_t i = 0; i < d->nobj; i++) {
                if (!moved[i] || d->obj[i].cal != k)
                    continue;
                char seg[512];
                cck_caldav_last_segment(d->obj[i].url, seg, sizeof seg);
                for (size_t j = 0; j < cck_dav_ms_count(ms); j++) {
                    char s2[512];
                    cck_caldav_last_segment(cck_dav_ms_at(ms, j)->href, s2, sizeof s2);
                    if (!strcmp(seg, s2) && cck_dav_ms_at(ms, j)->status == 200) {
                        left++;
                        note(rep, "-F: verify: %s is still in its calendar", d->obj[i].url);
                    }
                }
            }
        } else {
            size_t held = 0;
            for (size_t j = 0; j < cck_dav_ms_count(ms); j++)
                held += !cck_dav_ms_at(ms, j)->collection;
            if (held < d->moved)
                missing = d->moved - held;
            note(rep, "-F: verify: %s holds %zu object%s", cal, held, held == 1 ? "" : "s");
        }
        cck_dav_ms_free(ms);
    }
    if (!left && !missing)
        note(rep, "-F: verify: every moved object is in %s and gone from its calendar",
             d->box.quarantine);
}

static int dav_quarantine(void *arg, cck_run_mem *mem, size_t n, struct cck_reports *rep)
{
    davrun *d = arg;
    size_t flagged = 0;
    for (size_t i = 0; i < n; i++)
        flagged += mem[i].flagged;
    if (!flagged) {
        note(rep, "-F: no flagged object: nothing to move");
        return 0;
    }
    if (ensure_quarantine(d, rep) != 0)
        return -1;
    bool *moved = calloc(n, sizeof *moved);
    if (!moved) {
        note(rep, "-F: out of memory");
        return -1;
    }
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!mem[i].flagged)
            continue;
        if (d->stop) {
            failed++;
            continue;
        }
        char seg[512], safe[600];
        cck_caldav_last_segment(d->obj[i].url, seg, sizeof seg);
        cck_server_safe_name(seg, safe, sizeof safe);
        int r = move_one(d, &d->obj[i], safe, rep, 0);
        moved[i] = r == 1;
        failed += r != 1;
    }
    if (d->stop)
        note(rep,
             "-F: the server stopped answering: %zu of %zu flagged objects moved; the others "
             "stay in their calendars and a re-run moves them",
             d->moved, flagged);
    else
        verify_moves(d, moved, rep);
    free(moved);
    return failed ? -1 : 0;
}

/* Reads a CalDAV mailbox (discovery + one REPORT per calendar) and checks
 * it. `title` names it in the log. Fills w. */
static void dav_mailbox(const cck_caldav_opts *login, const char *url, const cck_run_opts *base,
                        const char *outdir, wire *w)
{
    davrun d;
    memset(&d, 0, sizeof d);
    cck_run_mem *mem = NULL;
    size_t cap = 0;
    d.c = cck_caldav_new(login);
    if (!d.c) {
        w->rc = -1;
        snprintf(w->reason, sizeof w->reason, "%s: out of memory", url);
        return;
    }
    cck_dav_err e = cck_caldav_discover(d.c, url, &d.box, w->reason, sizeof w->reason);
    /* RFC 6638 §2.4.1: the first mailto: of calendar-user-address-set is
     * where -R sends this mailbox's report (unless the profile says) */
    for (size_t i = 0; !e && i < d.box.naddr && !w->address[0]; i++)
        if (!strncasecmp(d.box.addresses[i], "mailto:", 7) && d.box.addresses[i][7] &&
            strlen(d.box.addresses[i] + 7) <= CCK_MAIL_ADDR_MAX)
            snprintf(w->address, sizeof w->address, "%s", d.box.addresses[i] + 7);
    for (size_t k = 0; !e && k < d.box.ncals; k++) {
        cck_dav_ms *ms = NULL;
        e = cck_caldav_items(d.c, d.box.cals[k].url, &ms, w->reason, sizeof w->reason);
        for (size_t i = 0; !e && i < cck_dav_ms_count(ms); i++) {
            const cck_dav_resp *r = cck_dav_ms_at(ms, i);
            if (!r->data || r->status < 200 || r->status > 299)
                continue;
            if (d.nobj == cap) {
                size_t nc = cap ? cap * 2 : 256;
                cck_run_mem *m2 = realloc(mem, nc * sizeof *m2);
                davobj *o2 = m2 ? realloc(d.obj, nc * sizeof *o2) : NULL;
                if (m2)
                    mem = m2;
                if (!o2) {
                    e = CCK_DAV_NOMEM;
                    break;
                }
                d.obj = o2;
                cap = nc;
            }
            size_t len = 0;
            char *data = crlf(r->data, r->data_len, &len);
            davobj *ob = &d.obj[d.nobj];
            ob->url = cck_caldav_resolve(d.box.cals[k].url, r->href);
            ob->etag = r->etag ? strdup(r->etag) : NULL;
            ob->cal = k;
            if (!data || !ob->url) {
                free(data);
                free(ob->url);
                free(ob->etag);
                snprintf(w->reason, sizeof w->reason, "%s: unusable href '%.200s'",
                         d.box.cals[k].url, r->href);
                e = data ? CCK_DAV_DATA : CCK_DAV_NOMEM;
                break;
            }
            mem[d.nobj].name = ob->url;
            mem[d.nobj].data = (const uint8_t *)data;
            mem[d.nobj].len = len;
            mem[d.nobj].flagged = false;
            d.nobj++;
        }
        cck_dav_ms_free(ms);
    }
    if (e == CCK_DAV_NOMEM)
        snprintf(w->reason, sizeof w->reason, "%s: out of memory", url);
    if (e) {
        w->rc = e == CCK_DAV_AUTH ? -2 : -1;
    } else {
        cck_run_opts o = *base;
        cck_totals t = {0};
        o.mail = NULL; /* -R: the parent mails, once every mailbox is done */
        o.outdir = outdir;
        o.mem = mem;
        o.n_mem = d.nobj;
        o.title = d.box.url;
        o.quiet = true;
        o.totals = &t;
        if (base->quarantine) {
            o.quarantine = false; /* no file copies: the server's calendar is the quarantine */
            o.after_items = dav_quarantine;
            o.after_arg = &d;
        }
        int rc = cck_run(NULL, 0, &o);
        w->rc = rc;
        w->fix_incomplete = base->quarantine && rc == 2;
        if (w->fix_incomplete)
            w->rc = t.problem_items ? 1 : 0;
        w->items = t.items;
        w->problem_items = t.problem_items;
        w->errors = t.errors;
        w->warnings = t.warnings;
        w->recurring = t.recurring_series;
        w->moved = d.moved;
        if (w->fix_incomplete)
            snprintf(w->reason, sizeof w->reason,
                     "-F did not finish (%zu moved): see the mailbox's log", d.moved);
    }
    w->requests = cck_caldav_requests(d.c);
    for (size_t i = 0; i < d.nobj; i++) {
        free((void *)mem[i].data);
        free(d.obj[i].url);
        free(d.obj[i].etag);
    }
    free(mem);
    free(d.obj);
    cck_caldav_box_free(&d.box);
    cck_caldav_free(d.c);
}

/* ---- folder mailboxes ---------------------------------------------------- */

static void folder_mailbox(const char *path, const cck_run_opts *base, const char *outdir, wire *w)
{
    /* cck_run names a problem on stderr: keep it as the reason. */
    char errpath[4500];
    snprintf(errpath, sizeof errpath, "%.4400s/.stderr", outdir);
    int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        fflush(stderr);
        dup2(fd, 2);
        close(fd);
    }
    cck_run_opts o = *base;
    cck_totals t = {0};
    o.mail = NULL; /* -R: the parent mails, once every mailbox is done */
    o.outdir = outdir;
    o.quiet = true;
    o.totals = &t;
    char *p = (char *)path;
    int rc = cck_run(&p, 1, &o);
    fflush(stderr);
    w->rc = rc;
    w->items = t.items;
    w->problem_items = t.problem_items;
    w->errors = t.errors;
    w->warnings = t.warnings;
    w->recurring = t.recurring_series;
    FILE *f = fopen(errpath, "r");
    if (f) {
        char line[ERRLEN];
        if (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            snprintf(w->reason, sizeof w->reason, "%s",
                     !strncmp(line, "calcheck: ", 10) ? line + 10 : line);
        }
        fclose(f);
    }
    unlink(errpath);
    if (rc == 2 && base->quarantine && t.items) {
        w->fix_incomplete = 1; /* checked; the copies did not all succeed */
        w->rc = t.problem_items ? 1 : 0;
    } else if (rc == 2) {
        w->rc = -1;
        if (!w->reason[0])
            snprintf(w->reason, sizeof w->reason, "%s: could not be checked", path);
    }
}

/* ---- the pool ------------------------------------------------------------ */

/* Moves outdir/CalCheck_<safe>/NAME to outdir/PREFIX<safe>SUFFIX. */
static void lift(const char *outdir, const char *safe, const char *name, const char *prefix,
                 const char *suffix)
{
    char from[4400], to[4400];
    snprintf(from, sizeof from, "%s/CalCheck_%s/%s", outdir, safe, name);
    snprintf(to, sizeof to, "%s/%s%s%s", outdir, prefix, safe, suffix);
    rename(from, to);
}

/* Runs in the child: checks one mailbox and writes the result to fd. */
static void child(const server *s, const mailbox *m, int fd)
{
    wire w;
    memset(&w, 0, sizeof w);
    char dir[4400];
    snprintf(dir, sizeof dir, "%s/CalCheck_%s", s->o->run->outdir, m->safe);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        w.rc = -1;
        snprintf(w.reason, sizeof w.reason, "%.900s: %s", dir, strerror(errno));
    } else if (s->dav)
        dav_mailbox(&s->login, m->where, s->o->run, dir, &w);
    else
        folder_mailbox(m->where, s->o->run, dir, &w);
    const char *out = s->o->run->outdir;
    lift(out, m->safe, "CalCheck.log", "CalCheck_", ".log");
    lift(out, m->safe, "CalCheckErr.csv", "CalCheckErr_", ".csv");
    lift(out, m->safe, "CALCHECK.CSV", "CALCHECK_", ".CSV");
    rmdir(dir); /* stays when it holds -F copies */
    const char *p = (const char *)&w;
    size_t left = sizeof w;
    while (left) {
        ssize_t k = write(fd, p, left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        p += k;
        left -= (size_t)k;
    }
}

static void progress(size_t done, size_t n, size_t failed, bool end)
{
    fprintf(stderr, "\rcalcheck: %zu/%zu mailboxes checked%s%zu failed%s", done, n, ", ", failed,
            end ? "\n" : "");
    fflush(stderr);
}

static void run_pool(server *s)
{
    int jobs = s->o->jobs < 1                     ? 1
               : s->o->jobs > CCK_SERVER_MAX_JOBS ? CCK_SERVER_MAX_JOBS
                                                  : s->o->jobs;
    struct slot {
        pid_t pid;
        int fd;
        size_t idx;
    } slots[CCK_SERVER_MAX_JOBS];
    int running = 0;
    size_t next = 0, done = 0, failed = 0;
    bool tty = isatty(2) && !s->o->run->verbose;
    while (next < s->n || running) {
        while (running < jobs && next < s->n) {
            mailbox *m = &s->mb[next];
            int p[2];
            fflush(stdout);
            fflush(stderr);
            pid_t pid = -1;
            if (pipe(p) == 0 && (pid = fork()) == 0) {
                close(p[0]);
                child(s, m, p[1]);
                close(p[1]);
                fflush(stdout);
                _exit(0);
            }
            if (pid < 0) {
                m->rc = -1;
                snprintf(m->reason, sizeof m->reason, "could not start a process: %s",
                         strerror(errno));
                done++;
                failed++;
                next++;
                continue;
            }
            close(p[1]);
            slots[running].pid = pid;
            slots[running].fd = p[0];
            slots[running].idx = next++;
            running++;
        }
        int st = 0;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        int k = 0;
        while (k < running && slots[k].pid != pid)
            k++;
        if (k == running)
            continue;
        mailbox *m = &s->mb[slots[k].idx];
        wire w;
        memset(&w, 0, sizeof w);
        size_t got = 0;
        while (got < sizeof w) {
            ssize_t r = read(slots[k].fd, (char *)&w + got, sizeof w - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        close(slots[k].fd);
        if (got != sizeof w) {
            m->rc = -1;
            if (WIFSIGNALED(st))
                snprintf(m->reason, sizeof m->reason,
                         "the check stopped with signal %d (please report this as a bug)",
                         WTERMSIG(st));
            else
                snprintf(m->reason, sizeof m->reason, "the check ended without a result");
        } else {
            w.reason[sizeof w.reason - 1] = 0;
            m->rc = w.rc;
            m->fix_incomplete = w.fix_incomplete;
            m->t.items = w.items;
            m->t.problem_items = w.problem_items;
            m->t.errors = w.errors;
            m->t.warnings = w.warnings;
            m->t.recurring_series = w.recurring;
            m->moved = w.moved;
            m->requests = w.requests;
            snprintf(m->reason, sizeof m->reason, "%s", w.reason);
            w.address[sizeof w.address - 1] = 0;
            snprintf(m->address, sizeof m->address, "%s", w.address);
        }
        failed += m->rc < 0;
        done++;
        slots[k] = slots[--running];
        if (tty)
            progress(done, s->n, failed, false);
    }
    if (tty)
        progress(done, s->n, failed, true);
}

/* ---- -R ------------------------------------------------------------------ */

/* -R in server mode: one mail to each mailbox whose check found problems at
 * the --fail-on level (its run's exit status 1), with its own log (and CSVs
 * with -A). The address: the profile's address.MAILBOX or MAILBOX@mail_domain,
 * else the principal's calendar-user-address-set, else --mail-to. Returns how
 * many could not be sent (or had no address). */
static size_t mail_reports(server *s)
{
    const cck_runmail *rm = s->o->run->mail;
    size_t failed = 0;
    const char *out = s->o->run->outdir;
    for (size_t i = 0; rm && i < s->n; i++) {
        mailbox *m = &s->mb[i];
        if (m->rc != 1)
            continue;
        char to[CCK_MAIL_ADDR_MAX + 1] = "";
        bool mapped =
            s->o->profile && cck_profile_address(s->o->profile, m->name, to, sizeof to) == 0;
        if (!mapped)
            snprintf(to, sizeof to, "%s", m->address[0] ? m->address : rm->to ? rm->to : "");
        if (!to[0]) {
            m->mailed = -1;
            snprintf(m->mail_note, sizeof m->mail_note,
                     "report not mailed: no address (give address.%s or mail_domain in the "
                     "profile, or --mail-to)",
                     m->name);
            failed++;
            continue;
        }
        char logp[4400], errp[4400], allp[4400];
        snprintf(logp, sizeof logp, "%s/CalCheck_%s.log", out, m->safe);
        snprintf(errp, sizeof errp, "%s/CalCheckErr_%s.csv", out, m->safe);
        snprintf(allp, sizeof allp, "%s/CALCHECK_%s.CSV", out, m->safe);
        cck_runmail one = *rm; /* its cfg still points into rm (password, from) */
        one.to = to;
        if (cck_runmail_send(&one, m->name, &m->t, logp, errp,
                             s->o->run->all_items ? allp : NULL) == 0) {
            m->mailed = 1;
            snprintf(m->mail_note, sizeof m->mail_note, "report mailed to %s", to);
        } else {
            m->mailed = -1;
            snprintf(m->mail_note, sizeof m->mail_note,
                     "report NOT mailed to %s (see the end of its log)", to);
            failed++;
        }
        cck_secret_wipe(one.password, sizeof one.password);
    }
    return failed;
}

/* ---- CalCheckSvr.log ----------------------------------------------------- */

static void stamp(FILE *f)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char b[32];
    strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(f, "%s ", b);
}

static int write_svr_log(const server *s, const char *started, int jobs)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/CalCheckSvr.log", s->o->run->outdir);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "calcheck: %s: cannot write the report: %s\n", path, strerror(errno));
        return -1;
    }
    size_t ok = 0, bad = 0, problems = 0, incomplete = 0;
    cck_totals t = {0};
    size_t moved = 0;
    fprintf(f, "%s calcheck %s server mode: %s\n", started, CCK_VERSION, s->root);
    stamp(f);
    fprintf(f, "%zu mailbox%s, %d checked at a time\n", s->n, s->n == 1 ? "" : "es", jobs);
    for (size_t i = 0; i < s->n; i++) {
        const mailbox *m = &s->mb[i];
        stamp(f);
        if (m->rc < 0) {
            bad++;
            fprintf(f, "Mailbox \"%s\": FAILED: %s\n", m->name, m->reason);
            continue;
        }
        ok++;
        problems += m->t.problem_items > 0;
        incomplete += m->fix_incomplete;
        t.items += m->t.items;
        t.problem_items += m->t.problem_items;
        t.errors += m->t.errors;
        t.warnings += m->t.warnings;
        moved += m->moved;
        fprintf(f, "Mailbox \"%s\": %zu item%s, %zu problem item%s, %zu error%s, %zu warning%s",
                m->name, m->t.items, m->t.items == 1 ? "" : "s", m->t.problem_items,
                m->t.problem_items == 1 ? "" : "s", m->t.errors, m->t.errors == 1 ? "" : "s",
                m->t.warnings, m->t.warnings == 1 ? "" : "s");
        if (s->o->run->quarantine && s->dav)
            fprintf(f, ", %zu moved to " CCK_CALDAV_QUARANTINE, m->moved);
        if (s->dav)
            fprintf(f, ", %zu request%s", m->requests, m->requests == 1 ? "" : "s");
        fprintf(f, "; log CalCheck_%s.log%s%s%s%s\n", m->safe, m->fix_incomplete ? "; " : "",
                m->fix_incomplete ? m->reason : "", m->mailed ? "; " : "", m->mail_note);
    }
    stamp(f);
    fprintf(f, "Mailboxes with problems: %zu\n", problems);
    for (size_t i = 0; i < s->n; i++)
        if (s->mb[i].rc >= 0 && s->mb[i].t.problem_items)
            fprintf(f, "  %s (%zu problem item%s; CalCheck_%s.log)\n", s->mb[i].name,
                    s->mb[i].t.problem_items, s->mb[i].t.problem_items == 1 ? "" : "s",
                    s->mb[i].safe);
    stamp(f);
    fprintf(f, "Mailboxes that could not be checked: %zu\n", bad);
    for (size_t i = 0; i < s->n; i++)
        if (s->mb[i].rc < 0)
            fprintf(f, "  %s: %s\n", s->mb[i].name, s->mb[i].reason);
    if (s->o->run->mail) {
        size_t sent = 0, unsent = 0;
        for (size_t i = 0; i < s->n; i++) {
            sent += s->mb[i].mailed > 0;
            unsent += s->mb[i].mailed < 0;
        }
        stamp(f);
        fprintf(f, "Report mails (-R): %zu sent, %zu not sent\n", sent, unsent);
        for (size_t i = 0; i < s->n; i++)
            if (s->mb[i].mailed)
                fprintf(f, "  %s: %s\n", s->mb[i].name, s->mb[i].mail_note);
    }
    if (incomplete) {
        stamp(f);
        fprintf(f, "Mailboxes whose -F did not finish (run again to complete): %zu\n", incomplete);
        for (size_t i = 0; i < s->n; i++)
            if (s->mb[i].fix_incomplete)
                fprintf(f, "  %s\n", s->mb[i].name);
    }
    stamp(f);
    fprintf(f,
            "Totals: %zu mailbox%s checked, %zu failed; %zu items, %zu problem items, %zu "
            "errors, %zu warnings",
            ok, ok == 1 ? "" : "es", bad, t.items, t.problem_items, t.errors, t.warnings);
    if (s->o->run->quarantine && s->dav)
        fprintf(f, ", %zu moved", moved);
    fputc('\n', f);
    int rc = ferror(f) ? -1 : 0;
    if (fclose(f) != 0 || rc) {
        fprintf(stderr, "calcheck: %s: cannot write the report\n", path);
        return -1;
    }
    printf("calcheck: %zu mailbox%s: %zu checked, %zu with problems, %zu failed; %zu items, "
           "%zu problem items\n",
           s->n, s->n == 1 ? "" : "es", ok, problems, bad, t.items, t.problem_items);
    printf("calcheck: reports: %s and CalCheck_<mailbox>.log per mailbox\n", path);
    return 0;
}

/* ---- listing ------------------------------------------------------------- */

static bool source_name(const char *n)
{
    static const char *ext[] = {".pst", ".ost", ".msg",  ".oft",
                                ".ics", ".vcs", ".ical", ".icalendar"};
    size_t len = strlen(n);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (len > e && !strcasecmp(n + len - e, ext[i]))
            return true;
    }
    return false;
}

static int list_folder(server *s)
{
    DIR *d = opendir(s->root);
    if (!d) {
        fprintf(stderr, "calcheck: %s: %s\n", s->root, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "CalCheck", 8))
            continue;
        char p[4400];
        snprintf(p, sizeof p, "%s/%s", s->root, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0 ||
            !(S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && source_name(e->d_name))))
            continue;
        if (add_mailbox(s, e->d_name, p) != 0) {
            closedir(d);
            fprintf(stderr, "calcheck: %s: too many mailboxes or out of memory\n", s->root);
            return -1;
        }
    }
    closedir(d);
    return 0;
}

/* A mailbox named by -M or -L: a URL, or a name below the server. */
static int add_named(server *s, const char *name)
{
    if (s->dav) {
        if (cck_caldav_is_url(name)) {
            char seg[512];
            cck_caldav_last_segment(name, seg, sizeof seg);
            return add_mailbox(s, seg, name);
        }
        char enc[1600];
        size_t k = 0;
        for (size_t i = 0; name[i] && k + 4 < sizeof enc; i++) {
            unsigned char c = (unsigned char)name[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                strchr("-._~@+", c))
                enc[k++] = (char)c;
            else
                k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", c);
        }
        enc[k++] = '/';
        enc[k] = 0;
        char *url = cck_caldav_resolve(s->root, enc);
        int rc = url ? add_mailbox(s, name, url) : -1;
        free(url);
        return rc;
    }
    /* a folder mailbox is an entry of the folder, never a path out of it */
    if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
        return -1;
    char p[4400];
    snprintf(p, sizeof p, "%s/%s", s->root, name);
    return add_mailbox(s, name, p);
}

static int read_list(server *s, const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "calcheck: %s: %s\n", file, strerror(errno));
        return -1;
    }
    char line[4096];
    int no = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        char *a = line;
        while (*a == ' ' || *a == '\t')
            a++;
        size_t n = strcspn(a, "\r\n");
        while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
            n--;
        a[n] = 0;
        if (!*a || *a == '#')
            continue;
        if (strstr(a, "..") || (!s->dav && strchr(a, '/'))) {
            fprintf(stderr, "calcheck: %s:%d: '%s' is not a mailbox name\n", file, no, a);
            fclose(f);
            return -1;
        }
        if (add_named(s, a) != 0) {
            fprintf(stderr, "calcheck: %s:%d: cannot use '%s'\n", file, no, a);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

static int login_of(server *s, const cck_profile *p)
{
    char err[ERRLEN];
    if (cck_profile_login(p, s->user, sizeof s->user, s->password, sizeof s->password, err,
                          sizeof err) != 0) {
        fprintf(stderr, "calcheck: %s\n", err);
        return -1;
    }
    s->login.user = s->user;
    s->login.password = s->password;
    s->login.tls_verify = p ? p->tls_verify : true;
    s->login.ca_file = p ? p->ca_file : NULL;
    s->login.timeout = p ? p->timeout : 0;
    s->login.connect_timeout = p ? p->connect_timeout : 0;
    return 0;
}

static void free_server(server *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->mb[i].name);
        free(s->mb[i].where);
    }
    free(s->mb);
    free(s->root);
    cck_secret_wipe(s->password, sizeof s->password);
}

int cck_server_run(const cck_server_opts *o)
{
    server s;
    memset(&s, 0, sizeof s);
    s.o = o;
    const char *root = o->server ? o->server : o->profile ? o->profile->url : NULL;
    if (!root) {
        fprintf(stderr, "calcheck: -M and -L need a server: give -S URL or FOLDER, or a profile "
                        "(-P) with a url\n");
        return 2;
    }
    s.dav = cck_caldav_is_url(root);
    if (!s.dav && o->profile && o->profile->kind == CCK_PROFILE_CALDAV) {
        fprintf(stderr,
                "calcheck: %s: profile [%s] is a caldav profile but this is no http(s) "
                "URL\n",
                root, o->profile->name);
        return 2;
    }
    /* A server root is a collection: "/" at the end resolves names below it. */
    size_t rl = strlen(root);
    s.root = malloc(rl + 2);
    if (!s.root)
        return 2;
    snprintf(s.root, rl + 2, "%s%s", root, s.dav && rl && root[rl - 1] != '/' ? "/" : "");
    if (!s.dav) {
        struct stat st;
        if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "calcheck: %s: %s\n", root,
                    stat(root, &st) != 0 ? strerror(errno)
                                         : "not a folder: -S takes a CalDAV URL or a folder whose "
                                           "subfolders and files are the mailboxes");
            free_server(&s);
            return 2;
        }
    }
    int rc = 2;
    if (s.dav) {
        char err[ERRLEN];
        if (cck_caldav_global_init(err, sizeof err) != 0) {
            fprintf(stderr, "calcheck: %s: %s\n", root, err);
            goto out;
        }
        if (login_of(&s, o->profile) != 0)
            goto out;
    }
    if (mkdir(o->run->outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "calcheck: %s: cannot write the reports: %s\n", o->run->outdir,
                strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < o->n_mailboxes; i++)
        if (add_named(&s, o->mailboxes[i]) != 0) {
            fprintf(stderr,
                    "calcheck: -M '%s': not a mailbox name (a folder mailbox is an entry "
                    "of the folder; a CalDAV one a name or URL on the server)\n",
                    o->mailboxes[i]);
            goto out;
        }
    if (o->list_file && read_list(&s, o->list_file) != 0)
        goto out;
    if (s.dav) {
        /* The server account's login is tried once, up front: refused, the
         * run stops (exit 2) instead of failing every mailbox. */
        cck_caldav *c = cck_caldav_new(&s.login);
        char err[ERRLEN];
        char **urls = NULL;
        size_t n = 0;
        cck_dav_err e = c ? cck_caldav_list(c, s.root, &urls, &n, err, sizeof err) : CCK_DAV_NOMEM;
        if (!c)
            snprintf(err, sizeof err, "%s: out of memory", s.root);
        cck_caldav_free(c);
        if (e) {
            fprintf(stderr, "calcheck: %s\n", err);
            goto out;
        }
        if (!o->n_mailboxes && !o->list_file)
            for (size_t i = 0; i < n; i++) {
                char seg[512];
                cck_caldav_last_segment(urls[i], seg, sizeof seg);
                if (add_mailbox(&s, seg, urls[i]) != 0) {
                    cck_caldav_strv_free(urls, n);
                    fprintf(stderr, "calcheck: %s: out of memory\n", s.root);
                    goto out;
                }
            }
        cck_caldav_strv_free(urls, n);
    } else if (!o->n_mailboxes && !o->list_file && list_folder(&s) != 0)
        goto out;
    if (!s.n) {
        fprintf(stderr, "calcheck: %s: no mailbox found%s\n", root,
                s.dav ? " (the account may lack the right to list the server's principals)"
                      : " (no subfolder and no .pst, .ost, .msg or .ics file)");
        goto out;
    }
    qsort(s.mb, s.n, sizeof *s.mb, cmp_mb);
    name_files(&s);
    char started[64];
    {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(started, sizeof started, "%Y-%m-%d %H:%M:%S", &tm);
    }
    int jobs = o->jobs < 1 ? 1 : o->jobs > CCK_SERVER_MAX_JOBS ? CCK_SERVER_MAX_JOBS : o->jobs;
    run_pool(&s);
    size_t unmailed = mail_reports(&s);
    if (write_svr_log(&s, started, jobs) != 0)
        goto out;
    size_t failed = 0, problems = 0, incomplete = 0;
    for (size_t i = 0; i < s.n; i++) {
        failed += s.mb[i].rc < 0;
        problems += s.mb[i].rc == 1;
        incomplete += s.mb[i].fix_incomplete;
    }
    rc = failed == s.n ? 2 : (failed || problems || incomplete || unmailed) ? 1 : 0;
    if (unmailed)
        fprintf(stderr, "calcheck: -R: %zu report mail%s could not be sent: see CalCheckSvr.log\n",
                unmailed, unmailed == 1 ? "" : "s");
    if (failed)
        fprintf(stderr,
                "calcheck: %zu of %zu mailboxes could not be checked: see CalCheckSvr.log\n",
                failed, s.n);
out:
    free_server(&s);
    return rc;
}

int cck_server_caldav_source(const char *url, const cck_run_opts *run, const cck_profile *profile)
{
    server s;
    memset(&s, 0, sizeof s);
    char err[ERRLEN];
    if (cck_caldav_global_init(err, sizeof err) != 0) {
        fprintf(stderr, "calcheck: %s: %s\n", url, err);
        return 2;
    }
    if (login_of(&s, profile) != 0)
        return 2;
    wire w;
    memset(&w, 0, sizeof w);
    dav_mailbox(&s.login, url, run, run->outdir, &w);
    free_server(&s);
    if (w.rc < 0) {
        fprintf(stderr, "calcheck: %s\n", w.reason);
        return 2;
    }
    printf("calcheck: %zu item%s (%zu recurring series), %zu problem item%s: %zu error%s, %zu "
           "warning%s\n",
           w.items, w.items == 1 ? "" : "s", w.recurring, w.problem_items,
           w.problem_items == 1 ? "" : "s", w.errors, w.errors == 1 ? "" : "s", w.warnings,
           w.warnings == 1 ? "" : "s");
    printf("calcheck: reports: %s/CalCheck.log, %s/CalCheckErr.csv%s%s%s\n", run->outdir,
           run->outdir, run->all_items ? ", " : "", run->all_items ? run->outdir : "",
           run->all_items ? "/CALCHECK.CSV" : "");
    if (run->quarantine)
        printf("calcheck: -F: %zu flagged object%s moved to the " CCK_CALDAV_QUARANTINE
               " calendar%s\n",
               w.moved, w.moved == 1 ? "" : "s",
               w.fix_incomplete ? " (not all: see the log; a re-run completes the job)" : "");
    /* -R: to --mail-to, else the principal's calendar-user-address-set */
    if (run->mail && w.rc == 1) {
        cck_runmail one = *run->mail;
        one.to = one.to ? one.to : w.address[0] ? w.address : NULL;
        char logp[4400], errp[4400], allp[4400];
        snprintf(logp, sizeof logp, "%s/CalCheck.log", run->outdir);
        snprintf(errp, sizeof errp, "%s/CalCheckErr.csv", run->outdir);
        snprintf(allp, sizeof allp, "%s/CALCHECK.CSV", run->outdir);
        cck_totals t = {0};
        t.items = w.items;
        t.problem_items = w.problem_items;
        t.errors = w.errors;
        t.warnings = w.warnings;
        if (!one.to) {
            fprintf(stderr,
                    "calcheck: -R: %s has no mailto: address (calendar-user-address-set): "
                    "give --mail-to ADDRESS\n",
                    url);
            return 2;
        }
        if (cck_runmail_send(&one, url, &t, logp, errp, run->all_items ? allp : NULL) != 0)
            return 2;
    }
    return w.fix_incomplete ? 2 : w.rc;
}
