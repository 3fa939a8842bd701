/* report.c - CalCheck.log, CalCheckErr.csv and CALCHECK.CSV (DESIGN §7).
 * The log keeps CalCheck's shape (timestamped lines; mailbox facts, then each
 * problem item with its findings and a block of properties to find it, then
 * totals) and adds the check ids ("ERROR 0013: ...") and a remedy per check. */
#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/text.h"
#include "util/time.h"

#define PATH_MAX_LEN 4096

struct cck_reports {
    FILE *log, *err, *all;
    char log_path[PATH_MAX_LEN], err_path[PATH_MAX_LEN], all_path[PATH_MAX_LEN];
    bool fired[CCK_CHECK_MAX + 1]; /* checks that reported at least once */
    const cck_config *cfg;
    const cck_calendar *cal; /* borrowed from cck_reports_begin's info */
};

static FILE *open_in(const char *dir, const char *name, char *path, const char **why)
{
    snprintf(path, PATH_MAX_LEN, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        *why = strerror(errno);
    return f;
}

cck_reports *cck_reports_open(const char *outdir, bool all_items, const char **path,
                              const char **why)
{
    static char dirpath[PATH_MAX_LEN];
    cck_reports *r = calloc(1, sizeof *r);
    if (!r) {
        *path = outdir;
        *why = "out of memory";
        return NULL;
    }
    struct stat st;
    if (stat(outdir, &st) != 0) {
        if (mkdir(outdir, 0777) != 0) {
            snprintf(dirpath, sizeof dirpath, "%s", outdir);
            *path = dirpath;
            *why = strerror(errno);
            free(r);
            return NULL;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        snprintf(dirpath, sizeof dirpath, "%s", outdir);
        *path = dirpath;
        *why = "not a directory";
        free(r);
        return NULL;
    }
    r->log = open_in(outdir, "CalCheck.log", r->log_path, why);
    if (r->log)
        r->err = open_in(outdir, "CalCheckErr.csv", r->err_path, why);
    if (r->err && all_items)
        r->all = open_in(outdir, "CALCHECK.CSV", r->all_path, why);
    if (!r->log || !r->err || (all_items && !r->all)) {
        *path = !r->log ? r->log_path : !r->err ? r->err_path : r->all_path;
        if (r->log)
            fclose(r->log);
        if (r->err)
            fclose(r->err);
        free(r);
        return NULL;
    }
    return r;
}

/* "2026-11-25 10:00:00 " - UTC wall clock of the write, like CalCheck's log. */
static void stamp(cck_reports *r)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    fprintf(r->log, "%04d-%02d-%02d %02d:%02d:%02d ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
            tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void log_str(cck_reports *r, const cck_fstr *s)
{
    if (s->has != CCK_PRESENT) {
        fputs(s->has == CCK_BADTYPE ? "(wrong type)" : "(none)", r->log);
        return;
    }
    fputc('"', r->log);
    cck_fput_escaped(r->log, s->s, s->len, true);
    fputc('"', r->log);
}

static void log_time(cck_reports *r, const cck_ftime *t)
{
    char buf[CCK_WHEN_BUF];
    if (t->has != CCK_PRESENT)
        fputs(t->has == CCK_BADTYPE ? "(wrong type)" : "(none)", r->log);
    else
        fputs(cck_when(t->ft, buf), r->log);
}

void cck_csv_cell(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    if (n &&
        (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        fputc('\'', f);
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == '"')
                fputs("\"\"", f);
            else if (c != 0)
                fputc(c, f);
            i++;
            continue;
        }
        size_t len = cck_utf8_seq_len((const uint8_t *)s + i, n - i);
        if (len == 0) {
            fputs("\xEF\xBF\xBD", f);
            i++;
        } else {
            fwrite(s + i, 1, len, f);
            i += len;
        }
    }
    fputc('"', f);
}

static void csv_str(FILE *f, const cck_fstr *s)
{
    if (s->has == CCK_PRESENT)
        cck_csv_cell(f, s->s, s->len);
    else
        cck_csv_cell(f, "", 0);
}

static void csv_text(FILE *f, const char *s)
{
    cck_csv_cell(f, s ? s : "", s ? strlen(s) : 0);
}

static void csv_time(FILE *f, uint64_t ft, bool has)
{
    char buf[CCK_TIME_BUF];
    csv_text(f, has ? cck_fmt_filetime(ft, buf) : "");
}

static const cck_fstr *organizer_of(const cck_item *it)
{
    if (cck_fstr_set(&it->sent_rep_smtp))
        return &it->sent_rep_smtp;
    if (cck_fstr_set(&it->sent_rep_email))
        return &it->sent_rep_email;
    return &it->sent_rep_name;
}

/* The local free/busy message's facts, as CalCheck logged them. */
static void log_freebusy(cck_reports *r, const cck_calendar *cal)
{
    const cck_freebusy *fb = &cal->freebusy;
    const char *none =
        !fb->found && !cal->mailbox_file ? "(not among the items)" : "(not in this file)";
    const char *fbw = fb->where ? fb->where : "found";
    stamp(r);
    fputs("Local free/busy message: ", r->log);
    if (fb->found)
        cck_fput_escaped(r->log, fbw, strlen(fbw), false);
    else
        fputs(none, r->log);
    fputc('\n', r->log);
    if (!fb->found && !cal->mailbox_file)
        return; /* .msg items: nothing more to say */
    stamp(r);
    if (fb->months.has == CCK_PRESENT)
        fprintf(r->log, "Free/busy publishing: %lld months\n", (long long)fb->months.v);
    else
        fprintf(r->log, "Free/busy publishing: %s\n",
                fb->months.has == CCK_BADTYPE ? "(unreadable type)" : none);
    const cck_fbool *bk[3] = {&fb->auto_accept, &fb->decline_recurring, &fb->decline_conflicts};
    static const char *const bkname[3] = {"Automatically accept meeting requests",
                                          "Decline recurring meeting requests",
                                          "Decline conflicting meeting requests"};
    for (int i = 0; i < 3; i++) {
        stamp(r);
        fprintf(r->log, "%s: %s\n", bkname[i],
                bk[i]->has == CCK_PRESENT   ? (bk[i]->v ? "yes" : "no")
                : bk[i]->has == CCK_BADTYPE ? "(unreadable type)"
                                            : none);
    }
    stamp(r);
    if (fb->has_names != CCK_PRESENT) {
        fprintf(r->log, "Delegates: %s\n",
                fb->has_names == CCK_BADTYPE ? "(unreadable type)" : none);
    } else {
        fprintf(r->log, "Delegates: %zu (%zu entry ids, %zu delegate flags)\n", fb->n_names,
                fb->n_entryids, fb->n_flags);
        for (size_t i = 0; i < fb->n_names; i++) {
            stamp(r);
            fprintf(r->log, "Delegate %zu: ", i + 1);
            cck_fput_escaped(r->log, fb->delegate_names[i], strlen(fb->delegate_names[i]), false);
            if (i < fb->n_flags)
                fprintf(
                    r->log, "; flags %lld (%s private items)\n", (long long)fb->delegate_flags[i],
                    fb->delegate_flags[i] & CCK_DELEGATE_SEES_PRIVATE ? "sees" : "does not see");
            else
                fputs("; no delegate flags entry\n", r->log);
        }
    }
}

void cck_reports_begin(cck_reports *r, const cck_run_info *info)
{
    char buf[CCK_WHEN_BUF];
    r->cfg = info->cfg;
    stamp(r);
    fprintf(r->log, "calcheck %s - Calendar Checking Tool\n", info->version);
    stamp(r);
    fputs("Checking: ", r->log);
    cck_fput_escaped(r->log, info->sources, strlen(info->sources), false);
    fprintf(r->log, "\n");
    stamp(r);
    fprintf(r->log, "Checked as of: %s\n", cck_when(info->cfg->now, buf));
    stamp(r);
    fprintf(r->log, "Calendar: %s; owner: %s\n", info->cal->name ? info->cal->name : "(unnamed)",
            info->cal->owner ? info->cal->owner : "(unknown)");
    /* A data file's mailbox facts are known now; a folder of items shows
     * them at the end, once the free/busy message has been met. */
    r->cal = info->cal;
    if (info->cal->mailbox_file)
        log_freebusy(r, info->cal);
    size_t on = 0;
    for (size_t i = 0; i < cck_n_checks; i++)
        on += info->cfg->enabled[cck_checks[i].id];
    stamp(r);
    fprintf(r->log,
            "Checks enabled: %zu of %zu; holiday items %s, birthday items %s, past items %s; "
            "warnings %s items\n",
            on, cck_n_checks, info->cfg->check_holidays ? "checked" : "skipped",
            info->cfg->check_birthdays ? "checked" : "skipped",
            info->cfg->check_past ? "checked" : "skipped",
            info->cfg->warning_is_error ? "flag" : "do not flag");

    fputs("\"Subject\",\"Location\",\"Start\",\"End\",\"Recurring\",\"Organizer\",\"Is Past\","
          "\"Check IDs\",\"Findings\",\"Other Item Subject\",\"Other Item Start\","
          "\"Other Item End\",\"Source\"\r\n",
          r->err);
    if (r->all)
        fputs("\"Subject\",\"Location\",\"Start\",\"End\",\"Recurring\",\"Organizer\","
              "\"Is Past\",\"Message Class\",\"Flagged\",\"Check IDs\",\"Source\"\r\n",
              r->all);
}

static void item_where(FILE *f, const cck_item *it, bool escape)
{
    char buf[PATH_MAX_LEN + 128];
    snprintf(buf, sizeof buf, "%s%s%s%s", it->source, *it->locator ? " (" : "", it->locator,
             *it->locator ? ")" : "");
    if (escape)
        cck_fput_escaped(f, buf, strlen(buf), false);
    else
        csv_text(f, buf);
}

static void log_item(cck_reports *r, const cck_item_result *res)
{
    const cck_item *it = res->it;
    char b1[CCK_TIME_BUF], b2[CCK_TIME_BUF];
    stamp(r);
    fprintf(r->log, "Item %zu: ", it->index + 1);
    log_str(r, &it->subject);
    fputs(" in ", r->log);
    item_where(r->log, it, true);
    fputc('\n', r->log);
    for (size_t i = 0; i < res->nf; i++) {
        const cck_finding *f = &res->f[i];
        r->fired[f->id] = true;
        stamp(r);
        fprintf(r->log, "   %s %04d: ", cck_severity_name(f->sev), f->id);
        cck_fput_escaped(r->log, f->text, strlen(f->text), false);
        if (f->has_other) {
            fputs(" (other item: ", r->log);
            if (f->other.subject) {
                fputc('"', r->log);
                cck_fput_escaped(r->log, f->other.subject, strlen(f->other.subject), true);
                fputs("\" ", r->log);
            }
            if (f->other.where)
                cck_fput_escaped(r->log, f->other.where, strlen(f->other.where), false);
            fputc(')', r->log);
        }
        fputc('\n', r->log);
    }
    if (res->dropped) {
        stamp(r);
        fprintf(r->log, "   (%zu further findings not listed)\n", res->dropped);
    }
    stamp(r);
    fputs("   Location: ", r->log);
    log_str(r, &it->location);
    fputs("; Start: ", r->log);
    log_time(r, &it->start);
    fputs("; End: ", r->log);
    log_time(r, &it->end);
    fputc('\n', r->log);
    stamp(r);
    fputs("   Organizer: ", r->log);
    log_str(r, &it->sent_rep_name);
    fputc(' ', r->log);
    log_str(r, organizer_of(it));
    fputs("; Sender: ", r->log);
    log_str(r, &it->sender_name);
    fputs("; Last modified by ", r->log);
    log_str(r, &it->last_modifier);
    fputs(" at ", r->log);
    log_time(r, &it->last_modification);
    fputc('\n', r->log);
    stamp(r);
    bool rec = it->recurring.has == CCK_PRESENT && it->recurring.v;
    fprintf(r->log, "   Recurring: %s", rec ? "yes" : "no");
    const cck_apptrecur *ar = it->recur.v;
    if (ar) {
        const cck_recur *p = &ar->RecurrencePattern;
        const char *et = cck_recur_end_type_name(p->EndType);
        fprintf(r->log, "; Recurrence: %s to %s, %s; Exceptions: %u",
                cck_fmt_minutes(p->StartDate, b1), cck_fmt_minutes(p->EndDate, b2),
                et ? et : "unknown end type", (unsigned)ar->ExceptionCount);
    }
    if (res->is_past)
        fputs("; past item", r->log);
    fputc('\n', r->log);
}

static void csv_common(FILE *f, const cck_item *it, bool is_past)
{
    csv_str(f, &it->subject);
    fputc(',', f);
    csv_str(f, &it->location);
    fputc(',', f);
    csv_time(f, it->start.ft, it->start.has == CCK_PRESENT);
    fputc(',', f);
    csv_time(f, it->end.ft, it->end.has == CCK_PRESENT);
    fputc(',', f);
    csv_text(f, it->recurring.has == CCK_PRESENT && it->recurring.v ? "true" : "false");
    fputc(',', f);
    csv_str(f, organizer_of(it));
    fputc(',', f);
    csv_text(f, is_past ? "true" : "false");
}

static void csv_ids(FILE *f, const cck_item_result *res)
{
    char buf[8 * CCK_FINDINGS_MAX + 1];
    size_t k = 0;
    buf[0] = 0;
    for (size_t i = 0; i < res->nf && k + 6 < sizeof buf; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%04d", i ? " " : "", res->f[i].id);
    csv_text(f, buf);
}

void cck_reports_item(cck_reports *r, const cck_item_result *res)
{
    const cck_item *it = res->it;
    if (res->nf)
        log_item(r, res);
    {
        /* CalCheckErr.csv lists items with an ERROR or WARNING (not INFO only). */
        bool any = false;
        for (size_t i = 0; i < res->nf; i++)
            any |= res->f[i].sev >= CCK_SEV_WARNING;
        if (any) {
            csv_common(r->err, it, res->is_past);
            fputc(',', r->err);
            csv_ids(r->err, res);
            fputc(',', r->err);
            /* All findings in one cell, "ERROR 0013: text" joined by " | ". */
            char *buf = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&buf, &len);
            const cck_finding *other = NULL;
            for (size_t i = 0; m && i < res->nf; i++) {
                fprintf(m, "%s%s %04d: %s", i ? " | " : "", cck_severity_name(res->f[i].sev),
                        res->f[i].id, res->f[i].text);
                if (res->f[i].has_other && !other)
                    other = &res->f[i];
            }
            if (m)
                fclose(m);
            cck_csv_cell(r->err, buf ? buf : "", buf ? len : 0);
            free(buf);
            fputc(',', r->err);
            csv_text(r->err, other ? other->other.subject : "");
            fputc(',', r->err);
            csv_time(r->err, other ? other->other.start : 0, other && other->other.start);
            fputc(',', r->err);
            csv_time(r->err, other ? other->other.end : 0, other && other->other.end);
            fputc(',', r->err);
            item_where(r->err, it, false);
            fputs("\r\n", r->err);
        }
    }
    if (r->all) {
        csv_common(r->all, it, res->is_past);
        fputc(',', r->all);
        csv_str(r->all, &it->message_class);
        fputc(',', r->all);
        csv_text(r->all, res->skipped ? res->skipped : res->flagged ? "true" : "false");
        fputc(',', r->all);
        csv_ids(r->all, res);
        fputc(',', r->all);
        item_where(r->all, it, false);
        fputs("\r\n", r->all);
    }
}

void cck_reports_end(cck_reports *r, const cck_finding *f, size_t nf, const cck_totals *t)
{
    if (r->cal && !r->cal->mailbox_file)
        log_freebusy(r, r->cal);
    for (size_t i = 0; i < nf; i++) {
        r->fired[f[i].id] = true;
        stamp(r);
        fprintf(r->log, "Calendar: %s %04d: ", cck_severity_name(f[i].sev), f[i].id);
        cck_fput_escaped(r->log, f[i].text, strlen(f[i].text), false);
        fputc('\n', r->log);
    }
    stamp(r);
    fprintf(r->log,
            "Totals: %zu items, %zu recurring series, %zu problem items, %zu errors, %zu "
            "warnings, %zu skipped\n",
            t->items, t->recurring_series, t->problem_items, t->errors, t->warnings, t->skipped);
    bool header = false;
    for (size_t i = 0; i < cck_n_checks; i++) {
        const cck_check *k = &cck_checks[i];
        if (!r->fired[k->id])
            continue;
        if (!header) {
            stamp(r);
            fputs("What to do (details in docs/checks/NNNN.md):\n", r->log);
            header = true;
        }
        stamp(r);
        fprintf(r->log, "   %04d %s: %s\n", k->id, k->key, k->remedy);
    }
}

void cck_reports_note(cck_reports *r, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    stamp(r);
    fputs("   ", r->log);
    cck_fput_escaped(r->log, buf, strlen(buf), false);
    fputc('\n', r->log);
}

int cck_reports_close(cck_reports *r, const char **path)
{
    static char failed[PATH_MAX_LEN]; /* r and its paths are freed below */
    int rc = 0;
    FILE *fs[3] = {r->log, r->err, r->all};
    const char *ps[3] = {r->log_path, r->err_path, r->all_path};
    for (int i = 0; i < 3; i++) {
        if (!fs[i])
            continue;
        if (ferror(fs[i]) || fclose(fs[i]) != 0) {
            if (rc == 0 && path) {
                snprintf(failed, sizeof failed, "%s", ps[i]);
                *path = failed;
            }
            rc = -1;
        }
    }
    free(r);
    return rc;
}

const char *cck_reports_log_path(const cck_reports *r)
{
    return r->log_path;
}
const char *cck_reports_err_path(const cck_reports *r)
{
    return r->err_path;
}
const char *cck_reports_all_path(const cck_reports *r)
{
    return r->all ? r->all_path : NULL;
}
