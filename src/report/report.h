/* report.h - the reports of one run: CalCheck.log, CalCheckErr.csv and (with
 * -A) CALCHECK.CSV, written side by side from the same findings so they
 * always agree (DESIGN §7). Text from the data is escaped for each format:
 * one log line per value, one RFC 4180 cell per value, formulas neutralised.
 *
 * Ownership: cck_reports owns its FILEs; everything passed in is borrowed for
 * the duration of the call.
 */
#ifndef CCK_REPORT_H
#define CCK_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "checks/ctx.h"
#include "model/item.h"

typedef struct cck_reports cck_reports;

/* What the reports say about one item. */
typedef struct cck_item_result {
    const cck_item *it;
    const cck_finding *f; /* findings, in the order the checks reported them */
    size_t nf, dropped;
    bool flagged;        /* goes to CalCheckErr.csv and -F */
    bool is_past;        /* ended before the run's "now" */
    const char *skipped; /* skip reason (holiday, birthday, past item), or NULL */
} cck_item_result;

typedef struct cck_run_info {
    const char *version;
    const char *sources; /* the paths checked, for the header */
    const cck_calendar *cal;
    const cck_config *cfg;
} cck_run_info;

/* Creates outdir if needed and opens the report files in it. On failure
 * returns NULL with *path set to the file that could not be written and
 * *why to the reason. */
cck_reports *cck_reports_open(const char *outdir, bool all_items, const char **path,
                              const char **why);
void cck_reports_begin(cck_reports *r, const cck_run_info *info);
void cck_reports_item(cck_reports *r, const cck_item_result *res);
/* Calendar-level findings and the totals, then the remedies of every check
 * that fired. */
void cck_reports_end(cck_reports *r, const cck_finding *f, size_t nf, const cck_totals *t);
/* A timestamped line in the log about what the run did (e.g. a -F copy). */
void cck_reports_note(cck_reports *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Closes every file. Returns 0, or -1 when any write failed (*path names it). */
int cck_reports_close(cck_reports *r, const char **path);
/* The path of the log (for the closing message). */
const char *cck_reports_log_path(const cck_reports *r);
const char *cck_reports_err_path(const cck_reports *r);
const char *cck_reports_all_path(const cck_reports *r);

/* One RFC 4180 cell: always quoted, '"' doubled, invalid UTF-8 replaced by
 * U+FFFD, and a leading = + - @ (or tab, CR) prefixed with ' so spreadsheets
 * show the text instead of running it. Exposed for tests. */
void cck_csv_cell(FILE *f, const char *s, size_t n);

#endif
