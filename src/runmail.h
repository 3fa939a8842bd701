/* runmail.h - -R for a checking run: the SMTP settings and the recipient,
 * checked before anything is read, and the report mail once the reports are
 * closed. The settings come from the profile (-P: smtp_host, smtp_port,
 * smtp_starttls, smtp_user, smtp_password_*, mail_from) or else from the
 * environment: CALCHECK_SMTP_URL (smtp://HOST:PORT or smtps://...),
 * CALCHECK_SMTP_STARTTLS (off, try, required; default try, required when a
 * user is set), CALCHECK_SMTP_USER, CALCHECK_SMTP_PASSWORD, CALCHECK_MAIL_FROM.
 *
 * Unlike report/mail.h this layer talks to the user: errors go to stderr as
 * "calcheck: WHAT: reason", the outcome to stdout and to the end of the log.
 * Ownership: cck_runmail holds pointers into the environment and the
 * arguments, which outlive the run.
 */
#ifndef CCK_RUNMAIL_H
#define CCK_RUNMAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/checks.h"
#include "profile.h"
#include "report/mail.h"

typedef struct cck_runmail {
    cck_mail_cfg cfg;
    char host[CCK_MAIL_HOST_MAX + 1];
    char url[CCK_MAIL_HOST_MAX + 32]; /* "smtp://host:port", for messages */
    const char *to;
    char password[CCK_PROFILE_MAX_SECRET]; /* a profile's SMTP secret, when it has one */
} cck_runmail;

/* Reads the settings - from the profile when it names an smtp_host, else
 * from the environment - and picks the recipient: `mail_to`, else the first
 * of `owners` that is an SMTP address. With per_mailbox (server mode) no
 * recipient is needed here: each mailbox's is found after its check (see
 * server.c), and `mail_to`, when given, is only the fallback. Then loads
 * libcurl (util/lazylib.h), which sends the mail. Returns 0, or -1 after
 * printing what is missing or wrong and what to do ("calcheck:
 * smtp://HOST:PORT: cannot load libcurl (...)" when libcurl is missing). */
int cck_runmail_setup(cck_runmail *m, const char *mail_to, const char *const *owners,
                      size_t n_owners, const cck_profile *profile, bool per_mailbox);

/* Mails the reports of one checked calendar: CalCheck.log always, the CSVs
 * (err_csv, all_csv; NULL or "" when absent) with -A. Prints the outcome and
 * appends it to the log at log_path. Returns 0 when sent, -1 when not. */
int cck_runmail_send(const cck_runmail *m, const char *mailbox, const cck_totals *t,
                     const char *log_path, const char *err_csv, const char *all_csv);

#endif
