/* run.h - one checking run: sources → items → checks → reports.
 * Reads every .msg named or found below a named folder (together they are one
 * calendar), checks each item, writes the reports, and returns the exit
 * status (DESIGN §6): 0 nothing at or above the --fail-on level, 1 problems
 * found, 2 could not run (the reason is on stderr, naming the path). */
#ifndef CCK_RUN_H
#define CCK_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

struct cck_reports;

/* A calendar object held in memory (a CalDAV resource): read as iCalendar,
 * its findings located by `name` (the resource's URL). */
typedef struct cck_run_mem {
    const char *name;
    const uint8_t *data;
    size_t len;
    bool flagged; /* set by cck_run: an item in it (or its calendar) was flagged */
} cck_run_mem;

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
    /* Server mode (server.h): objects checked after the paths, the name the
     * log gives the calendar when there is no path, and a hook called once
     * the items are checked and before the totals are written (-F on a
     * server: it moves the flagged objects and notes each move in the log;
     * it returns -1 when the quarantine did not finish). */
    cck_run_mem *mem;
    size_t n_mem;
    const char *title;
    int (*after_items)(void *arg, cck_run_mem *mem, size_t n, struct cck_reports *rep);
    void *after_arg;
    bool quiet;         /* no summary lines on stdout */
    cck_totals *totals; /* when set, receives the run's totals */
} cck_run_opts;

int cck_run(char *const *paths, size_t n, const cck_run_opts *o);

#endif
