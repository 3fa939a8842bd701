/* run.h - one checking run: sources → items → checks → reports.
 * Reads every .msg named or found below a named folder (together they are one
 * calendar), checks each item, writes the reports, and returns the exit
 * status (DESIGN §6): 0 nothing at or above the --fail-on level, 1 problems
 * found, 2 could not run (the reason is on stderr, naming the path). */
#ifndef CCK_RUN_H
#define CCK_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/checks.h"
#include "runmail.h"

/* Files examined below one folder at most (a named limit for hostile trees). */
#define CCK_RUN_MAX_FILES 10000000
/* Bytes of the subject kept in a quarantine copy's file name. */
#define CCK_RUN_MAX_NAME 120
/* "NAME (2).msg" ... names tried before -F gives up on one item. */
#define CCK_RUN_MAX_COPY_NAMES 99
/* -F output names of iCalendar inputs remembered to keep them apart
 * ("NAME (2).flagged.ics"); past this many, later names are not compared. */
#define CCK_RUN_MAX_ICS_NAMES 4096
/* Folder nesting followed at most. */
#define CCK_RUN_MAX_DEPTH 32

typedef struct cck_run_opts {
    const char *outdir;        /* where the reports go ("." by default) */
    bool all_items;            /* -A: CALCHECK.CSV */
    bool verbose;              /* -V: every finding on stdout as well */
    bool quarantine;           /* -F: copy flagged items to <outdir>/CalCheck/ */
    cck_severity fail_on;      /* exit 1 when a finding reaches this severity */
    const char *const *owners; /* --owner addresses of the mailbox owner */
    size_t n_owners;
    const cck_runmail *mail; /* -R: mail the reports when the run finds problems, or NULL */
    cck_config cfg;
} cck_run_opts;

int cck_run(char *const *paths, size_t n, const cck_run_opts *o);

#endif
