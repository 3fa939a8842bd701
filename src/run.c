/* run.c - the pipeline of one run (DESIGN §2): collect the .msg files named or
 * found below named folders, turn each into an item (model/msgitem.c), run
 * the registered checks (checks/ctx.c), and hand item and findings to every
 * report at once. One arena per item, reset after it is reported, keeps
 * memory flat; only the duplicate index grows with the item count. */
#include "run.h"

#include <ctype.h>
#include <strings.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/ctx.h"
#include "model/msgitem.h"
#include "msg/msg.h"
#include "report/report.h"
#include "ics/icsout.h"
#include "sources/icsfile.h"
#include "sources/pst.h"
#include "msg/cfb.h"
#include "msg/write.h"
#include "util/arena.h"
#include "util/file.h"

typedef struct pathlist {
    char **v;
    size_t n, cap;
    bool *named;   /* given on the command line rather than found in a folder */
    cck_pst **pst; /* PST/OST opened while the arguments were checked, else NULL */
} pathlist;

static int push(pathlist *l, const char *p, bool named)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        bool *nm = realloc(l->named, cap * sizeof *nm);
        cck_pst **ps = realloc(l->pst, cap * sizeof *ps);
        if (v)
            l->v = v;
        if (nm)
            l->named = nm;
        if (ps)
            l->pst = ps;
        if (!v || !nm || !ps)
            return -1;
        l->cap = cap;
    }
    l->v[l->n] = strdup(p);
    if (!l->v[l->n])
        return -1;
    l->pst[l->n] = NULL;
    l->named[l->n++] = named;
    return 0;
}

/* Whether name ends in "." + ext, ignoring case. */
static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    if (n <= e || name[n - e - 1] != '.')
        return false;
    for (size_t i = 0; i < e; i++)
        if (tolower((unsigned char)name[n - e + i]) != ext[i])
            return false;
    return true;
}

static bool is_ics_name(const char *name)
{
    return has_ext(name, "ics") || has_ext(name, "vcs") || has_ext(name, "ical") ||
           has_ext(name, "icalendar");
}

static bool is_outlook_name(const char *name)
{
    return has_ext(name, "msg") || has_ext(name, "oft") || has_ext(name, "pst") ||
           has_ext(name, "ost");
}

static bool is_source_file(const char *name)
{
    return is_outlook_name(name) || is_ics_name(name);
}

/* Whether bytes look like iCalendar: "BEGIN:VCALENDAR" first, after an
 * optional UTF-8 byte-order mark and blank lines. */
static bool looks_ics(const unsigned char *b, size_t n)
{
    size_t i = 0;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        i = 3;
    while (i < n && (b[i] == '\r' || b[i] == '\n' || b[i] == ' ' || b[i] == '\t'))
        i++;
    return n - i >= 15 && !strncasecmp((const char *)b + i, "BEGIN:VCALENDAR", 15);
}

/* Collects *.msg, *.oft, *.pst and *.ost below dir; returns -1 with errno on failure. */
static int walk(pathlist *l, const char *dir, int depth)
{
    if (depth > CCK_RUN_MAX_DEPTH)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL && l->n < CCK_RUN_MAX_FILES) {
        if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, len, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                walk(l, p, depth + 1);
            else if (S_ISREG(st.st_mode) && is_source_file(e->d_name) && push(l, p, false) != 0)
                rc = -1;
        }
        free(p);
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A named file must be an Outlook item or data file before anything is
 * checked: an unusable argument stops the run (exit 2), a bad file in a
 * folder does not. A PST/OST is opened here and kept for the run. */
static const char *named_file_problem(const char *path, cck_pst **pst)
{
    static const unsigned char cfb[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    *pst = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return strerror(errno);
    unsigned char b[512];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    if (n == 0)
        return "empty file, not an Outlook .msg, .pst or .ost file nor an iCalendar file";
    /* An .ics file is the parser's to judge, however damaged; another name
     * must at least start like a calendar. */
    if (is_ics_name(path) || (!is_outlook_name(path) && looks_ics(b, n)))
        return NULL;
    if (n >= 8 && memcmp(b, cfb, 8) == 0)
        return NULL;
    if (n >= 4 && memcmp(b, "!BDN", 4) == 0) {
        const char *why = NULL;
        *pst = cck_pst_open(path, &why);
        return *pst ? NULL : why ? why : "not a PST or OST file";
    }
    return "not an Outlook .msg, .pst or .ost file nor an iCalendar file (no compound file or "
           "PST signature, no BEGIN:VCALENDAR)";
}

static void free_list(pathlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
        if (l->pst[i])
            cck_pst_close(l->pst[i]);
    }
    free(l->v);
    free(l->named);
    free(l->pst);
}

typedef struct runner {
    const cck_run_opts *o;
    cck_ctx *ctx;
    cck_reports *rep;
    cck_arena *arena;
    cck_totals t;
    bool failed;         /* a finding reached the --fail-on level */
    size_t next_index;   /* items numbered in reading order across sources */
    cck_calendar *cal;   /* mailbox facts found among the items land here */
    cck_arena *fb_arena; /* ...in this run-long arena */
    size_t quarantined;
    bool quarantine_failed;
    size_t ics_files; /* iCalendar files in the run (names of the -F output) */
    char *ics_names[CCK_RUN_MAX_ICS_NAMES]; /* -F output names used so far */
    size_t n_ics_names;
} runner;

static void count(runner *r, const cck_finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cck_severity s = f[i].sev;
        if (s == CCK_SEV_ERROR)
            r->t.errors++;
        else if (s == CCK_SEV_WARNING)
            r->t.warnings++;
        else
            r->t.infos++;
        if (s >= r->o->fail_on || (s == CCK_SEV_WARNING && r->o->cfg.warning_is_error))
            r->failed = true;
    }
}

/* Checks and reports one item already built (or a stub for an unreadable one). */
static void finish_item(runner *r, const cck_item *it, const char *skipped)
{
    cck_item_result res = {0};
    res.it = it;
    res.skipped = skipped;
    res.nf = cck_ctx_nfindings(r->ctx);
    /* Only the reports of problem items and -A show it, and for a series
     * it can take an expansion of its rule. */
    res.is_past = (res.nf || r->o->all_items) && cck_item_is_past(it, r->o->cfg.now);
    res.f = res.nf ? cck_ctx_finding(r->ctx, 0) : NULL;
    res.dropped = cck_ctx_dropped(r->ctx);
    res.flagged = cck_ctx_flagged(r->ctx);
    count(r, res.f, res.nf);
    bool problem = false;
    for (size_t i = 0; i < res.nf; i++)
        problem |= res.f[i].sev >= CCK_SEV_WARNING;
    r->t.problem_items += problem;
    if (r->o->verbose)
        for (size_t i = 0; i < res.nf; i++)
            printf("%s%s%s%s: %s %04d: %s\n", it->source, *it->locator ? " (" : "", it->locator,
                   *it->locator ? ")" : "", cck_severity_name(res.f[i].sev), res.f[i].id,
                   res.f[i].text);
    cck_reports_item(r->rep, &res);
}

/* "0007 Weekly sync.msg": the item's position and subject, with every byte
 * that is unsafe in a file name on Windows or POSIX replaced by '_'. */
static void copy_name(const cck_item *it, char *buf, size_t size)
{
    int k = snprintf(buf, size, "%04zu ", it->index + 1);
    size_t n = (size_t)k;
    const char *s =
        it->subject.has == CCK_PRESENT && it->subject.len ? it->subject.s : "no subject";
    for (size_t i = 0; s[i] && n + 5 < size && i < CCK_RUN_MAX_NAME; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[n++] = (c < 0x20 || strchr("/\\:*?\"<>|", c)) ? '_' : (char)c;
    }
    while (n > (size_t)k && (buf[n - 1] == ' ' || buf[n - 1] == '.'))
        n--; /* Windows drops trailing spaces and dots */
    snprintf(buf + n, size - n, ".msg");
}

/* Whether the file at path holds exactly these bytes. */
static bool same_content(const char *path, const uint8_t *data, size_t len)
{
    cck_file f;
    const char *why;
    if (cck_file_read(path, len + 1, &f, &why) != 0)
        return false;
    bool same = f.len == len && (len == 0 || memcmp(f.data, data, len) == 0);
    cck_file_release(&f);
    return same;
}

/* -F for offline sources: the flagged item's own bytes go to
 * <outdir>/CalCheck/ (the input is never touched); the log names the copy.
 * Nothing is overwritten: a name already holding these bytes counts as done
 * (a re-run), a name holding something else moves on to "NAME (2).msg". */
static void quarantine(runner *r, const cck_item *it, const uint8_t *data, size_t len)
{
    char dir[4200], name[300], path[4600];
    snprintf(dir, sizeof dir, "%s/CalCheck", r->o->outdir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cck_reports_note(r->rep, "could not create %s: %s", dir, strerror(errno));
        r->quarantine_failed = true;
        return;
    }
    copy_name(it, name, sizeof name);
    size_t stem = strlen(name) - 4; /* before ".msg" */
    for (int attempt = 1; attempt <= CCK_RUN_MAX_COPY_NAMES; attempt++) {
        if (attempt == 1)
            snprintf(path, sizeof path, "%s/%s", dir, name);
        else
            snprintf(path, sizeof path, "%s/%.*s (%d).msg", dir, (int)stem, name, attempt);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno == EEXIST) {
            if (same_content(path, data, len)) {
                r->quarantined++;
                cck_reports_note(r->rep, "item %zu already copied to %s", it->index + 1, path);
                return;
            }
            continue;
        }
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        bool ok = f && fwrite(data, 1, len, f) == len;
        if (f)
            ok = (fclose(f) == 0) && ok;
        else if (fd >= 0)
            close(fd);
        if (!ok) {
            cck_reports_note(r->rep, "could not copy item %zu to %s: %s", it->index + 1, path,
                             errno ? strerror(errno) : "write failed");
            r->quarantine_failed = true;
            return;
        }
        r->quarantined++;
        cck_reports_note(r->rep, "item %zu copied to %s", it->index + 1, path);
        return;
    }
    cck_reports_note(r->rep, "could not copy item %zu: %d files named like %s exist", it->index + 1,
                     CCK_RUN_MAX_COPY_NAMES, name);
    r->quarantine_failed = true;
}

/* An item that could not be read at all: check 0099 on a stub naming it. */
static void unreadable(runner *r, const char *path, const char *where, const char *fmt,
                       const char *why)
{
    cck_item it;
    memset(&it, 0, sizeof it);
    it.source = path;
    it.locator = where ? where : "";
    it.index = r->next_index++;
    r->t.items++;
    cck_ctx_begin(r->ctx, &it, r->arena);
    cck_report(r->ctx, 99, fmt, why);
    finish_item(r, &it, NULL);
}

/* Checks and reports one item; returns whether it is flagged. */
static bool check_item(runner *r, cck_item *it)
{
    it->index = r->next_index++;
    r->t.items++;
    if (it->recurring.has == CCK_PRESENT && it->recurring.v)
        r->t.recurring_series++;
    cck_ctx_begin(r->ctx, it, r->arena);
    const char *skip = cck_ctx_skip_reason(r->ctx, it);
    if (skip)
        r->t.skipped++;
    else
        cck_ctx_run_item(r->ctx, it);
    finish_item(r, it, skip);
    return cck_ctx_flagged(r->ctx);
}

/* Maps a decoded message to an item, checks it, reports it, and hands it to
 * -F: `raw` is the item's own .msg bytes when it came from a .msg file, NULL
 * when it must be written out (PST/OST). */
static void check_msg(runner *r, const cck_msg *m, const char *path, const char *where,
                      const uint8_t *raw, size_t rawlen)
{
    /* The local free/busy message is mailbox data, not a calendar item: its
     * facts go to the log's mailbox lines and the calendar-level checks. */
    const cck_prop *cls = cck_props_get(cck_msg_props(m), CCK_PID_MESSAGE_CLASS);
    if (cls && cls->str.s && cck_freebusy_class(cls->str.s)) {
        if (!r->cal->freebusy.found && r->fb_arena) {
            const cck_props *pp = cck_msg_props(m);
            cck_freebusy got = {0};
            char loc[4400];
            snprintf(loc, sizeof loc, "%s%s%s", path, *where ? ", " : "", where);
            got.where = cck_arena_strndup(r->fb_arena, loc, strlen(loc));
            if (cck_freebusy_read(pp->v, pp->n, r->fb_arena, &got) == 0)
                r->cal->freebusy = got;
        }
        cck_reports_note(r->rep, "%s%s%s is the local free/busy message, not a calendar item", path,
                         *where ? ", " : "", where);
        return;
    }
    cck_item it;
    if (cck_item_from_msg(m, path, where, rawlen, r->arena, &it) != 0) {
        unreadable(r, path, where, "%s", "the item is too large to check within the memory limit");
        return;
    }
    if (!check_item(r, &it) || !r->o->quarantine)
        return;
    if (raw) {
        quarantine(r, &it, raw, rawlen);
        return;
    }
    /* A PST/OST item becomes a complete .msg: every property, recipient,
     * attachment and embedded exception (msg/write.h). */
    char *buf = NULL;
    size_t len = 0;
    const char *why = "out of memory";
    FILE *mem = open_memstream(&buf, &len);
    int rc = mem ? cck_msg_write(m, mem, &why) : -1;
    if (mem)
        fclose(mem);
    if (rc == 0 && buf)
        quarantine(r, &it, (const uint8_t *)buf, len);
    else {
        cck_reports_note(r->rep, "could not write item %zu as a .msg: %s", it.index + 1, why);
        r->quarantine_failed = true;
    }
    free(buf);
}

static void check_file(runner *r, const char *path)
{
    cck_arena_reset(r->arena);
    cck_file f;
    const char *why = NULL;
    cck_msg *m = NULL;
    if (cck_file_read(path, CCK_FILE_MAX, &f, &why) != 0) {
        unreadable(r, path, "", "cannot read the file: %s", why);
        return;
    }
    cck_msg_status st = cck_msg_open(f.data, f.len, r->arena, &m, &why);
    if (st != CCK_MSG_OK) {
        char reason[512];
        snprintf(reason, sizeof reason, "%s%s%s", cck_msg_status_text(st), why ? ": " : "",
                 why ? why : "");
        unreadable(r, path, "", "%s", reason);
    } else {
        check_msg(r, m, path, "", f.data, f.len);
    }
    cck_file_release(&f);
}

/* Every item of every calendar folder of a PST/OST; `p` may be one opened
 * while the arguments were checked, else it is opened here. */
static void check_pst(runner *r, const char *path, cck_pst *p)
{
    const char *why = NULL;
    bool mine = !p;
    if (!p && !(p = cck_pst_open(path, &why))) {
        cck_arena_reset(r->arena);
        unreadable(r, path, "", "%s", why ? why : "not a PST or OST file");
        return;
    }
    const cck_pst_mailbox *mb = cck_pst_mailbox_info(p);
    for (size_t i = 0; i < cck_pst_ncalendars(p); i++) {
        const cck_pst_calendar *c = cck_pst_calendar_at(p, i);
        cck_reports_note(r->rep, "%s %s: calendar \"%s\"%s, %zu items", path, mb->kind, c->path,
                         c->is_default ? " (default)" : "", c->n_items);
    }
    for (;;) {
        cck_arena_reset(r->arena);
        cck_msg *m = NULL;
        const char *where = NULL;
        int rc = cck_pst_next(p, r->arena, &m, &where, &why);
        if (rc == 0)
            break;
        if (rc < 0)
            unreadable(r, path, where, "cannot read the item: %s", why);
        else
            check_msg(r, m, path, where, NULL, 0);
    }
    if (mine)
        cck_pst_close(p);
}

/* Whether the file at path is to be read as iCalendar: by its name, or for a
 * name that is not an Outlook one by its first bytes. */
static bool is_ics_file(const char *path)
{
    if (is_ics_name(path))
        return true;
    if (is_outlook_name(path))
        return false;
    unsigned char b[512];
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    return looks_ics(b, n);
}

/* -F output names for an .ics input: flagged.ics and clean.ics when the run
 * reads one iCalendar file, "<name>.flagged.ics" and "<name>.clean.ics"
 * (file name without its extension) when it reads several. */
static void ics_out_paths(runner *r, const char *path, char *flagged, char *clean, size_t size)
{
    if (r->ics_files <= 1) {
        snprintf(flagged, size, "%s/CalCheck/flagged.ics", r->o->outdir);
        snprintf(clean, size, "%s/CalCheck/clean.ics", r->o->outdir);
        return;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    /* Two inputs of one name in different folders: the later gets "NAME (2)". */
    char name[300];
    snprintf(name, sizeof name, "%.*s", stem, base);
    for (int k = 2; k <= CCK_RUN_MAX_COPY_NAMES; k++) {
        bool used = false;
        for (size_t i = 0; i < r->n_ics_names && !used; i++)
            used = !strcmp(r->ics_names[i], name);
        if (!used)
            break;
        snprintf(name, sizeof name, "%.*s (%d)", stem, base, k);
    }
    if (r->n_ics_names < CCK_RUN_MAX_ICS_NAMES) {
        char *copy = strdup(name);
        if (copy)
            r->ics_names[r->n_ics_names++] = copy;
    }
    snprintf(flagged, size, "%s/CalCheck/%s.flagged.ics", r->o->outdir, name);
    snprintf(clean, size, "%s/CalCheck/%s.clean.ics", r->o->outdir, name);
}

/* -F: the unit's components go to the flagged or the clean calendar, the
 * item's zones with its first component. On a write failure the writer is
 * abandoned (-1) and the failure noted. */
static int ics_quarantine(runner *r, cck_icsout *w, const cck_icsunit *u, bool flag,
                          const char *out_path)
{
    const char *why = NULL;
    for (size_t i = 0; i < u->nranges; i++) {
        size_t nt = i == 0 ? u->ntzids : 0;
        if (cck_icsout_put(w, flag, u->ranges[i].off, u->ranges[i].end, u->tzids, u->tzid_lens, nt,
                           &why) != 0) {
            cck_reports_note(r->rep, "could not write %s: %s", out_path, why);
            r->quarantine_failed = true;
            cck_icsout_abort(w);
            return -1;
        }
    }
    return 0;
}

/* The calendar item of an iCalendar source (its VCALENDAR lines and
 * VTIMEZONEs), after the last unit: reported only when something is wrong
 * with it. Returns whether it is flagged. */
static bool check_calendar_item(runner *r, cck_icssrc *s)
{
    cck_arena_reset(r->arena);
    cck_item cal;
    if (cck_icssrc_calendar_item(s, r->arena, &cal) != 0)
        return false;
    cck_ctx_begin(r->ctx, &cal, r->arena);
    cck_ctx_run_item(r->ctx, &cal);
    if (!cck_ctx_nfindings(r->ctx))
        return false;
    /* counted once reported, so "problem items" never exceeds "items" */
    cal.index = r->next_index++;
    r->t.items++;
    finish_item(r, &cal, NULL);
    return cck_ctx_flagged(r->ctx);
}

/* An iCalendar file (sources/icsfile.h): every VEVENT/VTODO/VJOURNAL with its
 * overrides is an item; the VCALENDAR's own lines and the VTIMEZONEs are
 * judged on the calendar item, reported only when it has findings. With -F
 * the components are split into a flagged and a clean calendar (ics/icsout.h). */
static void check_ics(runner *r, const char *path)
{
    cck_arena_reset(r->arena);
    cck_file f;
    const char *why = NULL;
    if (cck_file_read(path, CCK_FILE_MAX, &f, &why) != 0) {
        unreadable(r, path, "", "cannot read the file: %s", why);
        return;
    }
    /* A large file's pre-scan is shared by two threads (CALCHECK_ONE_THREAD
     * in the environment: one). Reading and checking stay on this one: a
     * reader thread handing parsed items over was measured slower here, as
     * the items' memory then moves between the processors' caches. */
    bool threads = !getenv("CALCHECK_ONE_THREAD");
    cck_icssrc *s =
        cck_icssrc_open_mt(path, f.data, f.len, threads ? CCK_ICSSRC_SPLIT_MIN : SIZE_MAX);
    if (!s) {
        unreadable(r, path, "", "%s", "out of memory reading the calendar");
        cck_file_release(&f);
        return;
    }
    cck_dupindex_expect(cck_ctx_dups(r->ctx), cck_icssrc_ncomponents(s));
    cck_icsout *w = NULL;
    char fpath[4400], cpath[4400];
    if (r->o->quarantine) {
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/CalCheck", r->o->outdir);
        ics_out_paths(r, path, fpath, cpath, sizeof fpath);
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            cck_reports_note(r->rep, "could not create %s: %s", dir, strerror(errno));
            r->quarantine_failed = true;
        } else if (!(w = cck_icsout_open(fpath, cpath, f.data, f.len, cck_icssrc_calendar(s),
                                         &why))) {
            cck_reports_note(r->rep, "could not write %s: %s", fpath, why);
            r->quarantine_failed = true;
        }
    }
    for (size_t i = 0; w && i < cck_icssrc_nzones(s); i++) {
        const char *tz;
        size_t n;
        cck_icsrange zr;
        cck_icssrc_zone(s, i, &tz, &n, &zr);
        cck_icsout_zone(w, tz, n, zr.off, zr.end);
    }
    size_t flagged = 0;
    for (;;) {
        cck_icsunit u;
        int rc = cck_icssrc_next(s, r->arena, &u, &why);
        if (rc == 0)
            break;
        if (rc < 0) {
            unreadable(r, path, "", "cannot read the rest of the calendar: %s", why);
            break;
        }
        bool flag = u.kind == CCK_ICSUNIT_ITEM && check_item(r, &u.it);
        flagged += flag;
        if (w && ics_quarantine(r, w, &u, flag, flag ? fpath : cpath) != 0)
            w = NULL;
    }
    check_calendar_item(r, s);
    if (w) {
        for (size_t i = 0; i < cck_icssrc_nzones(s); i++) { /* zones the scan missed */
            const char *tz;
            size_t n;
            cck_icsrange zr;
            cck_icssrc_zone(s, i, &tz, &n, &zr);
            cck_icsout_zone(w, tz, n, zr.off, zr.end);
        }
        size_t nf = 0, nc = 0;
        if (cck_icsout_close(w, &nf, &nc, &why) != 0) {
            cck_reports_note(r->rep, "could not write %s and %s: %s", fpath, cpath, why);
            r->quarantine_failed = true;
        } else {
            r->quarantined += flagged;
            cck_reports_note(r->rep, "%zu flagged component%s written to %s, %zu to %s", nf,
                             nf == 1 ? "" : "s", fpath, nc, cpath);
        }
    }
    cck_icssrc_close(s);
    cck_file_release(&f);
}

/* A calendar object held in memory (server mode): its items are checked like
 * an iCalendar file's, without the -F split (the server's quarantine moves
 * the object as a whole: cck_run_opts.after_items). Returns whether an item
 * of it, or its calendar part, was flagged. */
static bool check_ics_mem(runner *r, const cck_run_mem *m)
{
    cck_arena_reset(r->arena);
    cck_icssrc *s = cck_icssrc_open(m->name, m->data, m->len);
    const char *why = NULL;
    bool flagged = false;
    if (!s) {
        unreadable(r, m->name, "", "%s", "out of memory reading the calendar object");
        return false;
    }
    for (;;) {
        cck_icsunit u;
        int rc = cck_icssrc_next(s, r->arena, &u, &why);
        if (rc == 0)
            break;
        if (rc < 0) {
            unreadable(r, m->name, "", "cannot read the rest of the calendar object: %s", why);
            break;
        }
        if (u.kind == CCK_ICSUNIT_ITEM)
            flagged |= check_item(r, &u.it);
    }
    flagged |= check_calendar_item(r, s);
    cck_icssrc_close(s);
    return flagged;
}

static char *join_paths(char *const *paths, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(paths[i]) + 2;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, paths[i]);
    }
    return s;
}

int cck_run(char *const *paths, size_t n, const cck_run_opts *o)
{
    pathlist l = {0};
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            fprintf(stderr, "calcheck: %s: %s\n", paths[i], strerror(errno));
            free_list(&l);
            return 2;
        }
        if (S_ISDIR(st.st_mode)) {
            size_t before = l.n;
            if (walk(&l, paths[i], 0) != 0) {
                fprintf(stderr, "calcheck: %s: %s\n", paths[i], strerror(errno));
                free_list(&l);
                return 2;
            }
            qsort(l.v + before, l.n - before, sizeof *l.v, cmp_str);
            continue;
        }
        cck_pst *pst = NULL;
        const char *why = named_file_problem(paths[i], &pst);
        if (why) {
            fprintf(stderr, "calcheck: %s: %s\n", paths[i], why);
            free_list(&l);
            return 2;
        }
        if (push(&l, paths[i], true) != 0) {
            fprintf(stderr, "calcheck: %s: out of memory\n", paths[i]);
            if (pst)
                cck_pst_close(pst);
            free_list(&l);
            return 2;
        }
        l.pst[l.n - 1] = pst;
    }

    cck_calendar cal = {0};
    struct stat st0;
    cal.name = n == 1 ? paths[0] : "the items named on the command line";
    if (n == 0 && o->title)
        cal.name = o->title;
    if (n == 1 && stat(paths[0], &st0) == 0 && !S_ISDIR(st0.st_mode) && !is_ics_file(paths[0]))
        cal.name = "a single item";
    cal.owner_addresses = o->owners;
    cal.n_owner_addresses = o->n_owners;
    cal.owner = o->n_owners ? o->owners[0] : NULL;
    /* One data file is one mailbox: its owner is the calendar's unless
     * --owner says otherwise. */
    if (l.n == 1 && l.pst[0]) {
        const cck_pst_mailbox *mb = cck_pst_mailbox_info(l.pst[0]);
        if (mb->store_name)
            cal.name = mb->store_name;
        if (!o->n_owners) {
            cal.owner = mb->owner;
            cal.owner_addresses = mb->owner_addresses;
            cal.n_owner_addresses = mb->n_owner_addresses;
        }
        cal.mailbox_file = true;
        cal.freebusy = mb->freebusy;
    }
    /* Among .msg files a local free/busy message is found during the one
     * pass over the items (check_msg); its facts live in this arena. */
    cck_arena *fb_arena = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);

    const char *bad_path = NULL, *why = NULL;
    cck_reports *rep = cck_reports_open(o->outdir, o->all_items, &bad_path, &why);
    if (!rep) {
        fprintf(stderr, "calcheck: %s: cannot write the report: %s\n", bad_path, why);
        cck_arena_free(fb_arena);
        free_list(&l);
        return 2;
    }
    char *sources = join_paths(paths, n);
    cck_run_info info = {CCK_VERSION,
                         n == 0 && o->title ? o->title
                         : sources          ? sources
                                            : "",
                         &cal, &o->cfg};
    cck_reports_begin(rep, &info);

    runner r = {0};
    r.o = o;
    r.rep = rep;
    r.cal = &cal;
    r.fb_arena = fb_arena;
    cck_dupindex *dups = cck_dupindex_new();
    r.ctx = cck_ctx_new(&o->cfg, &cal, dups);
    r.arena = cck_arena_new(CCK_ARENA_DEFAULT_LIMIT);
    if (!r.ctx || !r.arena) {
        fprintf(stderr, "calcheck: out of memory\n");
        cck_reports_close(rep, NULL);
        free(sources);
        cck_arena_free(fb_arena);
        free_list(&l);
        return 2;
    }
    bool *ics = calloc(l.n ? l.n : 1, sizeof *ics);
    for (size_t i = 0; ics && i < l.n; i++)
        r.ics_files += ics[i] = !l.pst[i] && is_ics_file(l.v[i]);
    for (size_t i = 0; i < l.n; i++) {
        if (l.pst[i] || has_ext(l.v[i], "pst") || has_ext(l.v[i], "ost"))
            check_pst(&r, l.v[i], l.pst[i]);
        else if (ics ? ics[i] : is_ics_file(l.v[i]))
            check_ics(&r, l.v[i]);
        else
            check_file(&r, l.v[i]);
    }
    free(ics);
    for (size_t i = 0; i < o->n_mem; i++)
        o->mem[i].flagged = check_ics_mem(&r, &o->mem[i]);
    if (o->after_items && o->after_items(o->after_arg, o->mem, o->n_mem, rep) != 0)
        r.quarantine_failed = true;

    cck_arena_reset(r.arena);
    cck_ctx_begin(r.ctx, NULL, r.arena);
    cck_ctx_run_calendar(r.ctx, &r.t);
    size_t ncal = cck_ctx_nfindings(r.ctx);
    const cck_finding *cf = ncal ? cck_ctx_finding(r.ctx, 0) : NULL;
    count(&r, cf, ncal);
    if (o->verbose)
        for (size_t i = 0; i < ncal; i++)
            printf("calendar: %s %04d: %s\n", cck_severity_name(cf[i].sev), cf[i].id, cf[i].text);
    cck_reports_end(rep, cf, ncal, &r.t);

    char logp[4200], errp[4200], allp[4200];
    snprintf(logp, sizeof logp, "%s", cck_reports_log_path(rep));
    snprintf(errp, sizeof errp, "%s", cck_reports_err_path(rep));
    snprintf(allp, sizeof allp, "%s", cck_reports_all_path(rep) ? cck_reports_all_path(rep) : "");
    int rc = r.failed ? 1 : 0;
    if (cck_reports_close(rep, &bad_path) != 0) {
        fprintf(stderr, "calcheck: %s: cannot write the report\n", bad_path);
        rc = 2;
    }
    if (o->totals)
        *o->totals = r.t;
    if (o->quiet)
        goto quiet;
    printf("calcheck: %zu item%s (%zu recurring series%s), %zu problem item%s: %zu error%s, "
           "%zu warning%s\n",
           r.t.items, r.t.items == 1 ? "" : "s", r.t.recurring_series,
           r.t.skipped ? ", some skipped" : "", r.t.problem_items,
           r.t.problem_items == 1 ? "" : "s", r.t.errors, r.t.errors == 1 ? "" : "s", r.t.warnings,
           r.t.warnings == 1 ? "" : "s");
    printf("calcheck: reports: %s, %s%s%s\n", logp, errp, *allp ? ", " : "", allp);
    if (o->quarantine)
        printf("calcheck: -F: %zu flagged item%s copied to %s/CalCheck/%s\n", r.quarantined,
               r.quarantined == 1 ? "" : "s", o->outdir,
               r.quarantine_failed ? " (some copies failed: see the log)" : "");
quiet:
    if (r.quarantine_failed)
        rc = 2; /* -F was asked for and did not finish: a scheduled job must notice */
    /* -R: only a calendar with problems at the --fail-on level is mailed */
    if (o->mail && r.failed && cck_runmail_send(o->mail, cal.name, &r.t, logp, errp, allp) != 0)
        rc = 2;

    for (size_t i = 0; i < r.n_ics_names; i++)
        free(r.ics_names[i]);
    cck_arena_free(r.arena);
    cck_arena_free(fb_arena);
    cck_ctx_free(r.ctx);
    cck_dupindex_free(dups);
    free(sources);
    free_list(&l);
    return rc;
}
