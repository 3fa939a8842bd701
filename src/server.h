/* server.h - server mode (DESIGN §6 -S/-M/-L, §7 CalCheckSvr.log, §8 -F on
 * CalDAV): every mailbox of a CalDAV server or of a folder of exports, each
 * checked in a process of its own (--jobs at a time, so at most that many
 * requests are in flight against the server), one failing mailbox recorded
 * while the others go on.
 *
 * Outputs in the run's outdir: CalCheckSvr.log (every mailbox with its
 * counts, those with problems, those that failed and why); per mailbox
 * CalCheck_<mailbox>.log, CalCheckErr_<mailbox>.csv and, with -A,
 * CALCHECK_<mailbox>.CSV, <mailbox> made a safe file name ([A-Za-z0-9._@+-],
 * others '_', made unique); -F copies of a folder mailbox go to
 * CalCheck_<mailbox>/CalCheck/. A CalDAV mailbox's -F moves each flagged
 * object into a CalCheck calendar in its home (created when missing) with
 * MOVE (absolute Destination, Overwrite: F); a move that does not answer
 * plainly is verified by reading both resources, so that after any fault each
 * object is in exactly one of the two calendars, and a re-run completes the
 * job. Every move is a line in the mailbox's log.
 *
 * Exit status: 2 when nothing could run (bad arguments, the server or its
 * listing unreachable, the server account's login refused, no mailbox, or
 * every mailbox failed); 1 when a mailbox has problems at the --fail-on
 * level, could not be checked, or its -F did not finish; 0 otherwise.
 *
 * Ownership: everything passed in is borrowed for the call.
 */
#ifndef CCK_SERVER_H
#define CCK_SERVER_H

#include <stddef.h>

#include "profile.h"
#include "run.h"

/* Mailboxes checked in parallel at most; mailboxes in one run. */
#define CCK_SERVER_MAX_JOBS      64
#define CCK_SERVER_MAX_MAILBOXES 1000000
/* Bytes of a mailbox name kept in a file name. */
#define CCK_SERVER_MAX_SAFE 100

typedef struct cck_server_opts {
    const cck_run_opts *run;      /* per-mailbox options; run->outdir holds everything */
    const cck_profile *profile;   /* NULL: no profile */
    const char *server;           /* -S: a URL or a folder; NULL: the profile's url */
    const char *const *mailboxes; /* -M (names, or URLs of principals) */
    size_t n_mailboxes;
    const char *list_file; /* -L: one mailbox per line, '#' comments */
    int jobs;              /* --jobs, 1..CCK_SERVER_MAX_JOBS */
} cck_server_opts;

int cck_server_run(const cck_server_opts *o);

/* One CalDAV SOURCE - a calendar, a principal or a server root URL (the
 * login's own mailbox) - checked as one calendar, reports as for a file. */
int cck_server_caldav_source(const char *url, const cck_run_opts *run, const cck_profile *profile);

/* A mailbox name as a safe file-name part (exposed for tests). */
void cck_server_safe_name(const char *name, char *buf, size_t size);

#endif
