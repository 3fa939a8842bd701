/* icsout.c - `-F` output for iCalendar input (icsout.h, DESIGN §8): flagged.ics and clean.ics,
 * each a whole iCalendar object (RFC 5545 §3.4) made of the input's own bytes: its first
 * VCALENDAR's lines, the VTIMEZONEs (§3.6.5) the file's components name by TZID (§3.2.19, exact
 * bytes), the components (§3.6), END:VCALENDAR; CRLF (§3.1) is added only after a copied range
 * the input left without a line terminator. Written under a temporary name beside each final
 * name, flushed to disk, then renamed into place.
 *
 * Design: put() only records each component's (off, end) range (merged with the previous one
 * when they are adjacent in the input), and close() writes every file in one pass from the
 * borrowed input, components in put order. The input is already in memory whole and a range
 * is 16 bytes for a component of at least its BEGIN and END lines, so the bookkeeping stays a
 * fraction of the input and the output is never held; and since the VTIMEZONEs a file needs
 * (which come first) are only known at the end, this writes every byte once, where a
 * temporary body file would write the components twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ics/icsout.h"

#define OUTBUF_SIZE  ((size_t)1 << 16) /* bytes gathered before a write(2) */
#define NAME_TRIES   100               /* "<path>.tmp.<pid>.<k>" names tried before giving up */
#define WRITE_CHUNK  ((size_t)1 << 30) /* largest single write(2) */
#define WHY_SIZE     1024
#define MIN_HEADER   "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calcheck//calcheck//EN\r\n"
#define END_CALENDAR "END:VCALENDAR\r\n"

enum { FLAGGED = 0, CLEAN = 1 };
enum { USED_FLAGGED = 1, USED_CLEAN = 2 };

typedef struct range {
    uint64_t off, end;
} range;

typedef struct outfile {
    char *path; /* final name */
    char *tmp;  /* temporary name while it exists (NULL after rename or removal) */
    int fd;     /* open on tmp until close() has written it, else -1 */
    range *r;   /* component ranges in put order, none empty */
    size_t nr, rcap;
    size_t count; /* components put (ranges may hold several) */
} outfile;

/* One distinct TZID, named by a VTIMEZONE (defined), by a component's property, or both. */
typedef struct zone {
    size_t name_off, name_len; /* bytes in w->names (copied: the caller's strings are borrowed) */
    uint64_t off, end;         /* the VTIMEZONE's range when defined */
    bool defined;
    uint8_t used; /* USED_FLAGGED | USED_CLEAN */
} zone;

struct cck_icsout {
    const uint8_t *in; /* borrowed */
    size_t len;
    const cck_ics_comp *cal; /* borrowed; read at close, when the reader has seen every line */
    outfile f[2];            /* FLAGGED, CLEAN */

    /* TZIDs: z in first-seen order, `sorted` the indices of z by name bytes. A binary search
     * keeps a lookup O(log zones) whatever names the input holds (no hash to flood), and
     * `last` makes the usual case, consecutive components in the same zone, one compare. */
    zone *z;
    uint32_t *sorted;
    size_t nz, zcap, last;
    char *names;
    size_t names_len, names_cap;

    uint8_t *buf; /* output buffer of the file being written */
    size_t nbuf;
};

/* Reasons naming a path live here: *why must outlive w, which close() and abort() free. */
static _Thread_local char why_buf[WHY_SIZE];

static const char *reason(const char *what, const char *path, int err)
{
    snprintf(why_buf, sizeof why_buf, "%s %s: %s", what, path, strerror(err));
    return why_buf;
}

/* "<path>.<tag>.<pid>" for k == 0, else "<path>.<tag>.<pid>.<k>"; malloc'd. */
static char *sibling(const char *path, const char *tag, int k)
{
    size_t n = strlen(path) + strlen(tag) + 48;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (k)
        snprintf(s, n, "%s.%s.%ld.%d", path, tag, (long)getpid(), k);
    else
        snprintf(s, n, "%s.%s.%ld", path, tag, (long)getpid());
    return s;
}

/* Creates o->tmp exclusively. Another name is tried only when one exists (a crashed run's
 * leftover under a reused pid), never replaced: it may be another process's file. */
static int create_tmp(outfile *o, const char **why)
{
    for (int k = 0; k < NAME_TRIES; k++) {
        char *name = sibling(o->path, "tmp", k);
        if (!name) {
            *why = "out of memory";
            return -1;
        }
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            o->tmp = name;
            o->fd = fd;
            return 0;
        }
        int err = errno;
        if (err != EEXIST) {
            *why = reason("cannot create", name, err);
            free(name);
            return -1;
        }
        free(name);
    }
    *why = reason("cannot create a temporary file beside", o->path, EEXIST);
    return -1;
}

/* Closes and removes what is left of o (temporary file), frees it. */
static void outfile_drop(outfile *o)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    free(o->r);
    o->tmp = o->path = NULL;
    o->r = NULL;
}

static void writer_free(cck_icsout *w)
{
    for (int i = 0; i < 2; i++)
        outfile_drop(&w->f[i]);
    free(w->z);
    free(w->sorted);
    free(w->names);
    free(w->buf);
    free(w);
}

void cck_icsout_abort(cck_icsout *w)
{
    if (w)
        writer_free(w);
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

cck_icsout *cck_icsout_open(const char *flagged_path, const char *clean_path, const uint8_t *input,
                            size_t len, const cck_ics_comp *calendar, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!flagged_path || !clean_path || !*flagged_path || !*clean_path || (!input && len)) {
        *why = "invalid arguments";
        return NULL;
    }
    /* One name for both would make the second rename replace the first file. */
    if (!strcmp(flagged_path, clean_path)) {
        *why = "the flagged and the clean file have the same name";
        return NULL;
    }
    cck_icsout *w = calloc(1, sizeof *w);
    if (!w) {
        *why = "out of memory";
        return NULL;
    }
    w->in = input;
    w->len = len;
    w->cal = calendar;
    w->f[FLAGGED].fd = w->f[CLEAN].fd = -1;
    w->f[FLAGGED].path = dupstr(flagged_path);
    w->f[CLEAN].path = dupstr(clean_path);
    w->buf = malloc(OUTBUF_SIZE);
    if (!w->f[FLAGGED].path || !w->f[CLEAN].path || !w->buf) {
        *why = "out of memory";
        writer_free(w);
        return NULL;
    }
    /* Both files are created now, so a bad directory fails before any work is done. */
    if (create_tmp(&w->f[FLAGGED], why) != 0 || create_tmp(&w->f[CLEAN], why) != 0) {
        writer_free(w);
        return NULL;
    }
    return w;
}

/* ---- TZIDs ------------------------------------------------------------------------------ */

static int name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t m = an < bn ? an : bn;
    int c = m ? memcmp(a, b, m) : 0;
    if (c)
        return c;
    return an < bn ? -1 : an > bn;
}

static int zone_cmp(const cck_icsout *w, size_t i, const char *name, size_t n)
{
    return name_cmp(w->names + w->z[i].name_off, w->z[i].name_len, name, n);
}

/* Finds the TZID (n bytes), adding it when `add`: 0 with *out its index, 1 not found (only
 * when !add), -1 when the table is full or memory runs out (*why set). */
static int zone_find(cck_icsout *w, const char *name, size_t n, bool add, size_t *out,
                     const char **why)
{
    if (w->last < w->nz && zone_cmp(w, w->last, name, n) == 0) {
        *out = w->last;
        return 0;
    }
    size_t lo = 0, hi = w->nz; /* sorted[lo..hi) may hold it */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = zone_cmp(w, w->sorted[mid], name, n);
        if (c == 0) {
            *out = w->last = w->sorted[mid];
            return 0;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!add)
        return 1;
    if (w->nz >= CCK_ICSOUT_MAX_ZONES) {
        snprintf(why_buf, sizeof why_buf, "more than %d distinct TZIDs", CCK_ICSOUT_MAX_ZONES);
        *why = why_buf;
        return -1;
    }
    if (w->nz == w->zcap) {
        size_t cap = w->zcap ? w->zcap * 2 : 16;
        zone *z = realloc(w->z, cap * sizeof *z);
        if (z)
            w->z = z;
        uint32_t *s = z ? realloc(w->sorted, cap * sizeof *s) : NULL;
        if (!s) {
            *why = "out of memory";
            return -1;
        }
        w->sorted = s;
        w->zcap = cap;
    }
    if (n > SIZE_MAX / 2 - w->names_len) {
        *why = "out of memory";
        return -1;
    }
    if (w->names_len + n > w->names_cap) {
        size_t cap = w->names_cap ? w->names_cap : 256;
        while (cap < w->names_len + n)
            cap *= 2;
        char *p = realloc(w->names, cap);
        if (!p) {
            *why = "out of memory";
            return -1;
        }
        w->names = p;
        w->names_cap = cap;
    }
    if (n)
        memcpy(w->names + w->names_len, name, n);
    zone *z = &w->z[w->nz];
    memset(z, 0, sizeof *z);
    z->name_off = w->names_len;
    z->name_len = n;
    w->names_len += n;
    /* at most CCK_ICSOUT_MAX_ZONES entries: the shift is bounded, and rare (once per TZID) */
    memmove(w->sorted + lo + 1, w->sorted + lo, (w->nz - lo) * sizeof *w->sorted);
    w->sorted[lo] = (uint32_t)w->nz;
    *out = w->last = w->nz++;
    return 0;
}

int cck_icsout_zone(cck_icsout *w, const char *tzid, size_t n, uint64_t off, uint64_t end)
{
    const char *why;
    size_t i;
    if (!w || (!tzid && n) || off > end || end > (uint64_t)w->len)
        return -1;
    if (zone_find(w, tzid ? tzid : "", n, true, &i, &why) != 0)
        return -1;
    if (!w->z[i].defined) { /* the first definition wins; a later one is not written */
        w->z[i].defined = true;
        w->z[i].off = off;
        w->z[i].end = end;
    }
    return 0;
}

/* ---- components ------------------------------------------------------------------------- */

static bool is_terminator(uint8_t c)
{
    return c == '\n' || c == '\r';
}

int cck_icsout_put(cck_icsout *w, bool flagged, uint64_t off, uint64_t end,
                   const char *const *tzids, const size_t *lens, size_t ntzids, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!w || (ntzids && (!tzids || !lens))) {
        *why = "invalid arguments";
        return -1;
    }
    if (off > end || end > (uint64_t)w->len) {
        *why = "component range outside the input";
        return -1;
    }
    outfile *o = &w->f[flagged ? FLAGGED : CLEAN];
    /* Everything that can fail comes first, so a failed put changes nothing visible: room for
     * the range, then every TZID entered (an entry no file uses writes nothing). */
    if (o->nr == o->rcap) {
        size_t cap = o->rcap ? o->rcap * 2 : 64;
        range *r = cap <= SIZE_MAX / sizeof *r ? realloc(o->r, cap * sizeof *r) : NULL;
        if (!r) {
            *why = "out of memory";
            return -1;
        }
        o->r = r;
        o->rcap = cap;
    }
    size_t zi;
    for (size_t i = 0; i < ntzids; i++)
        if (tzids[i] && zone_find(w, tzids[i], lens[i], true, &zi, why) != 0)
            return -1;
    uint8_t bit = flagged ? USED_FLAGGED : USED_CLEAN;
    for (size_t i = 0; i < ntzids; i++)
        if (tzids[i] && zone_find(w, tzids[i], lens[i], false, &zi, why) == 0)
            w->z[zi].used |= bit;

    /* Adjacent components merge into one range when the first ends with its terminator (so
     * no CRLF would go between them): the bytes written are the same, the bookkeeping less. */
    range *last = o->nr ? &o->r[o->nr - 1] : NULL;
    if (off == end) {
        /* nothing to write */
    } else if (last && last->end == off && is_terminator(w->in[last->end - 1])) {
        last->end = end;
    } else {
        o->r[o->nr].off = off;
        o->r[o->nr].end = end;
        o->nr++;
    }
    o->count++;
    return 0;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* write(2) all of it; -1 with errno (a write of 0 bytes counts as ENOSPC). */
static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n < WRITE_CHUNK ? n : WRITE_CHUNK);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = ENOSPC;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int flush(cck_icsout *w, int fd)
{
    int rc = write_all(fd, w->buf, w->nbuf);
    w->nbuf = 0;
    return rc;
}

/* Small pieces are gathered in w->buf; a large one goes straight from the input. */
static int out_bytes(cck_icsout *w, int fd, const uint8_t *p, size_t n)
{
    if (w->nbuf + n > OUTBUF_SIZE && flush(w, fd) != 0)
        return -1;
    if (n >= OUTBUF_SIZE)
        return write_all(fd, p, n);
    memcpy(w->buf + w->nbuf, p, n);
    w->nbuf += n;
    return 0;
}

/* Copies input [off, end) (checked by the caller), then CRLF when its last byte ends no line. */
static int out_range(cck_icsout *w, int fd, uint64_t off, uint64_t end)
{
    if (off == end)
        return 0;
    if (out_bytes(w, fd, w->in + off, (size_t)(end - off)) != 0)
        return -1;
    if (!is_terminator(w->in[end - 1]))
        return out_bytes(w, fd, (const uint8_t *)"\r\n", 2);
    return 0;
}

static bool is_vcalendar(const cck_ics_prop *p, const char *name)
{
    return p->name && !strcmp(p->name, name) && p->value && p->value_len == 9 &&
           !strncasecmp(p->value, "VCALENDAR", 9);
}

static bool prop_in_input(const cck_icsout *w, const cck_ics_prop *p)
{
    return p->off <= p->end && p->end <= (uint64_t)w->len;
}

/* What close() copies of the reader's calendar-level lines: header lines [first, stop) and
 * the closing line endp (first NULL: the minimal header; endp NULL: a literal END). */
typedef struct header {
    const cck_ics_prop *first, *stop, *endp;
} header;

/* The header is the first VCALENDAR's own lines: from its BEGIN (the reader's calendar also
 * holds stray lines before it and the lines of later VCALENDARs) up to its END:VCALENDAR or,
 * when it is left open, up to the next BEGIN:VCALENDAR, whose VERSION and PRODID would repeat
 * the first one's (RFC 5545 §3.6 allows each once). The closing line is the input's first
 * END:VCALENDAR after the BEGIN, so its line ending matches the input's. */
static header header_span(const cck_icsout *w)
{
    header h = {NULL, NULL, NULL};
    if (!w->cal || !w->cal->begin)
        return h;
    const cck_ics_prop *p = w->cal->props;
    while (p && p != w->cal->begin) /* the BEGIN is missing from the list if over the limit */
        p = p->next;
    if (!p)
        return h;
    const cck_ics_prop *q;
    for (q = p; q; q = q->next) {
        if (!prop_in_input(w, q))
            return h;
        if (q != p && (is_vcalendar(q, "END") || is_vcalendar(q, "BEGIN")))
            break;
    }
    h.first = p;
    h.stop = q;
    for (; q && !h.endp; q = q->next)
        if (is_vcalendar(q, "END") && prop_in_input(w, q))
            h.endp = q;
    return h;
}

typedef struct zpos {
    uint64_t off;
    uint32_t i;
} zpos;

static int zpos_cmp(const void *a, const void *b)
{
    const zpos *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Writes file `which` whole: header, its zones in input order, its components, END. */
static int write_file(cck_icsout *w, int which, const zpos *zs, size_t nzs, const header *h)
{
    outfile *o = &w->f[which];
    int fd = o->fd;
    w->nbuf = 0;
    if (h->first) {
        for (const cck_ics_prop *p = h->first; p != h->stop; p = p->next)
            if (out_range(w, fd, p->off, p->end) != 0)
                return -1;
    } else if (out_bytes(w, fd, (const uint8_t *)MIN_HEADER, strlen(MIN_HEADER)) != 0) {
        return -1;
    }
    for (size_t i = 0; i < nzs; i++) {
        const zone *z = &w->z[zs[i].i];
        bool want = which == FLAGGED ? (z->used & USED_FLAGGED) != 0
                                     : (z->used & USED_CLEAN) != 0 || z->used == 0;
        if (want && out_range(w, fd, z->off, z->end) != 0)
            return -1;
    }
    for (size_t i = 0; i < o->nr; i++)
        if (out_range(w, fd, o->r[i].off, o->r[i].end) != 0)
            return -1;
    int rc = h->endp ? out_range(w, fd, h->endp->off, h->endp->end)
                     : out_bytes(w, fd, (const uint8_t *)END_CALENDAR, strlen(END_CALENDAR));
    if (rc != 0 || flush(w, fd) != 0)
        return -1;
    /* On disk before the rename, so a crash leaves the old file or the new one, not a hole.
     * EINVAL: the file system has no fsync for this file; nothing more can be done. */
    if (fsync(fd) != 0 && errno != EINVAL)
        return -1;
    o->fd = -1;
    return close(fd);
}

/* Renames both temporaries into place. Should the second rename fail after the first, the
 * first final name gets its earlier file back from a hard link made beforehand (or is removed
 * when there was none), so a failure leaves both final names as they were. */
static int install(cck_icsout *w, const char **why)
{
    outfile *a = &w->f[FLAGGED], *b = &w->f[CLEAN];
    char *backup = NULL;
    struct stat st;
    bool had_old = lstat(a->path, &st) == 0;
    if (had_old && !S_ISDIR(st.st_mode)) {
        for (int k = 0; k < NAME_TRIES && !backup; k++) {
            backup = sibling(a->path, "old", k);
            if (!backup)
                break;
            if (linkat(AT_FDCWD, a->path, AT_FDCWD, backup, 0) == 0)
                break;
            int err = errno;
            free(backup);
            backup = NULL;
            if (err != EEXIST)
                break; /* no hard links here: go on without a way back (rarely needed) */
        }
    }
    if (rename(a->tmp, a->path) != 0) {
        *why = reason("cannot replace", a->path, errno);
        if (backup)
            unlink(backup);
        free(backup);
        return -1;
    }
    free(a->tmp);
    a->tmp = NULL;
    if (rename(b->tmp, b->path) != 0) {
        int err = errno;
        bool restored = backup ? rename(backup, a->path) == 0 : !had_old && unlink(a->path) == 0;
        if (!restored && backup)
            unlink(backup);
        free(backup);
        snprintf(why_buf, sizeof why_buf, "cannot replace %s: %s%s%s%s", b->path, strerror(err),
                 restored ? "" : " (", restored ? "" : a->path,
                 restored ? "" : " was replaced and could not be put back)");
        *why = why_buf;
        return -1;
    }
    free(b->tmp);
    b->tmp = NULL;
    if (backup)
        unlink(backup);
    free(backup);
    return 0;
}

int cck_icsout_close(cck_icsout *w, size_t *nflagged, size_t *nclean, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!w) {
        *why = "invalid arguments";
        return -1;
    }
    header h = header_span(w);

    /* Defined zones in input order (by offset; the first definition of each TZID only). */
    zpos *zs = w->nz ? malloc(w->nz * sizeof *zs) : NULL;
    size_t nzs = 0;
    if (w->nz && !zs) {
        *why = "out of memory";
        writer_free(w);
        return -1;
    }
    for (size_t i = 0; i < w->nz; i++)
        if (w->z[i].defined)
            zs[nzs++] = (zpos){w->z[i].off, (uint32_t)i};
    if (nzs > 1)
        qsort(zs, nzs, sizeof *zs, zpos_cmp);

    int rc = 0;
    for (int which = 0; which < 2 && rc == 0; which++) {
        if (write_file(w, which, zs, nzs, &h) != 0) {
            *why = reason("cannot write", w->f[which].path, errno);
            rc = -1;
        }
    }
    free(zs);
    if (rc == 0)
        rc = install(w, why);
    if (rc == 0) {
        if (nflagged)
            *nflagged = w->f[FLAGGED].count;
        if (nclean)
            *nclean = w->f[CLEAN].count;
    }
    writer_free(w); /* removes whatever temporary is left */
    return rc;
}
