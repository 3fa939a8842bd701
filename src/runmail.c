/* runmail.c - -R for a single-calendar run (DESIGN §6, §7): SMTP settings
 * from the environment until profiles supply them, the recipient from
 * --mail-to or --owner, and one report mail (report/mail.h) after the
 * reports are closed. The password is read from the environment only and
 * never printed. */
#include "runmail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/lazylib.h"

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* The SMTP settings of a profile with an smtp_host. */
static int from_profile(cck_runmail *m, const cck_profile *p)
{
    char why[CCK_MAIL_WHY_MAX], url[CCK_MAIL_HOST_MAX + 32];
    snprintf(url, sizeof url, "smtp://%s:%ld", p->smtp_host, p->smtp_port ? p->smtp_port : 25);
    if (cck_mail_cfg_url(&m->cfg, url, m->host, sizeof m->host, why, sizeof why) != 0) {
        fprintf(stderr, "calcheck: %s: profile [%s] smtp_host: %s\n", p->path, p->name, why);
        return -1;
    }
    cck_mail_cfg_name(&m->cfg, m->url, sizeof m->url);
    m->cfg.user = p->smtp_user;
    /* relative secret files start from the profile file's folder */
    char base[4096];
    snprintf(base, sizeof base, "%s", p->path ? p->path : ".");
    char *slash = strrchr(base, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(base, sizeof base, ".");
    int got =
        cck_secret_read(&p->smtp_secret, base, m->password, sizeof m->password, why, sizeof why);
    if (got < 0) {
        fprintf(stderr, "calcheck: %s: profile [%s]: the SMTP password: %s\n", p->path, p->name,
                why);
        return -1;
    }
    m->cfg.password = got ? m->password : NULL;
    /* smtp_starttls = true: no password in clear; false: plain SMTP */
    m->cfg.starttls = !p->smtp_starttls ? CCK_STARTTLS_OFF
                      : m->cfg.user     ? CCK_STARTTLS_REQUIRED
                                        : CCK_STARTTLS_TRY;
    m->cfg.tls_verify = p->tls_verify;
    m->cfg.from = p->mail_from;
    if (!m->cfg.from) {
        fprintf(stderr,
                "calcheck: %s: profile [%s] has smtp_host but no mail_from: add "
                "mail_from = the sender address of the report mail\n",
                p->path, p->name);
        return -1;
    }
    if (cck_mail_addr_parse(m->cfg.from, NULL, 0, why, sizeof why) != 0) {
        fprintf(stderr, "calcheck: %s: profile [%s] mail_from: %s\n", p->path, p->name, why);
        return -1;
    }
    return 0;
}

/* --mail-to, else the first SMTP --owner; in server mode only a fallback. */
static int pick_recipient(cck_runmail *m, const char *mail_to, const char *const *owners,
                          size_t n_owners, bool per_mailbox)
{
    char why[CCK_MAIL_WHY_MAX];
    if (mail_to) {
        if (cck_mail_addr_parse(mail_to, NULL, 0, why, sizeof why) != 0) {
            fprintf(stderr, "calcheck: --mail-to: %s\n", why);
            return -1;
        }
        m->to = mail_to;
        return 0;
    }
    for (size_t i = 0; i < n_owners && !m->to && !per_mailbox; i++)
        if (cck_mail_addr_parse(owners[i], NULL, 0, why, sizeof why) == 0)
            m->to = owners[i];
    if (!m->to && !per_mailbox) {
        fprintf(stderr, "calcheck: -R: no recipient: give --mail-to ADDRESS%s\n",
                n_owners ? " (no --owner is an SMTP address)" : " or --owner ADDRESS");
        return -1;
    }
    return 0;
}

/* The SMTP settings and the recipient: cck_runmail_setup without libcurl. */
static int settings(cck_runmail *m, const char *mail_to, const char *const *owners, size_t n_owners,
                    const cck_profile *profile, bool per_mailbox)
{
    char why[CCK_MAIL_WHY_MAX];
    memset(m, 0, sizeof *m);
    cck_mail_cfg_init(&m->cfg);
    if (profile && profile->smtp_host) {
        if (from_profile(m, profile) != 0)
            return -1;
        return pick_recipient(m, mail_to, owners, n_owners, per_mailbox);
    }
    const char *url = env("CALCHECK_SMTP_URL");
    if (!url) {
        fputs("calcheck: -R: no mail server: set CALCHECK_SMTP_URL to smtp://HOST:PORT of the "
              "mail server (and CALCHECK_MAIL_FROM to the sender address), or smtp_host and "
              "mail_from in the profile (-P)\n",
              stderr);
        return -1;
    }
    if (cck_mail_cfg_url(&m->cfg, url, m->host, sizeof m->host, why, sizeof why) != 0) {
        fprintf(stderr, "calcheck: CALCHECK_SMTP_URL: %s\n", why);
        return -1;
    }
    cck_mail_cfg_name(&m->cfg, m->url, sizeof m->url);
    m->cfg.user = env("CALCHECK_SMTP_USER");
    m->cfg.password = env("CALCHECK_SMTP_PASSWORD");
    /* A password goes over TLS unless the user says otherwise. */
    m->cfg.starttls = m->cfg.user ? CCK_STARTTLS_REQUIRED : CCK_STARTTLS_TRY;
    const char *tls = env("CALCHECK_SMTP_STARTTLS");
    if (tls) {
        if (!strcmp(tls, "off") || !strcmp(tls, "false"))
            m->cfg.starttls = CCK_STARTTLS_OFF;
        else if (!strcmp(tls, "try") || !strcmp(tls, "true"))
            m->cfg.starttls = CCK_STARTTLS_TRY;
        else if (!strcmp(tls, "required"))
            m->cfg.starttls = CCK_STARTTLS_REQUIRED;
        else {
            fprintf(stderr,
                    "calcheck: CALCHECK_SMTP_STARTTLS: '%.40s' is not off, try or "
                    "required\n",
                    tls);
            return -1;
        }
    }
    m->cfg.from = env("CALCHECK_MAIL_FROM");
    if (!m->cfg.from) {
        fputs("calcheck: -R: CALCHECK_MAIL_FROM is not set: set it to the sender address of "
              "the report mail\n",
              stderr);
        return -1;
    }
    if (cck_mail_addr_parse(m->cfg.from, NULL, 0, why, sizeof why) != 0) {
        fprintf(stderr, "calcheck: CALCHECK_MAIL_FROM: %s\n", why);
        return -1;
    }
    return pick_recipient(m, mail_to, owners, n_owners, per_mailbox);
}

int cck_runmail_setup(cck_runmail *m, const char *mail_to, const char *const *owners,
                      size_t n_owners, const cck_profile *profile, bool per_mailbox)
{
    if (settings(m, mail_to, owners, n_owners, profile, per_mailbox) != 0)
        return -1;
    /* libcurl sends the mail; loaded now (util/lazylib.h), so that a missing
     * library stops the run before anything is read. */
    char why[CCK_LAZYLIB_ERR_MAX];
    if (!cck_lazylib_load(&cck_lazy_curl, why, sizeof why)) {
        fprintf(stderr, "calcheck: %s: %s\n", m->url, why);
        return -1;
    }
    return 0;
}

/* One timestamped line at the end of the log, like the report's own. */
static void log_line(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    fprintf(f, "%04d-%02d-%02d %02d:%02d:%02d %s\n", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
            tm.tm_hour, tm.tm_min, tm.tm_sec, text);
    fclose(f);
}

int cck_runmail_send(const cck_runmail *m, const char *mailbox, const cck_totals *t,
                     const char *log_path, const char *err_csv, const char *all_csv)
{
    const char *paths[3];
    size_t n = 0;
    paths[n++] = log_path;
    if (all_csv && *all_csv) { /* -A: the spreadsheets too */
        if (err_csv && *err_csv)
            paths[n++] = err_csv;
        paths[n++] = all_csv;
    }
    cck_mail_summary s = {mailbox, CCK_VERSION, t->items, t->problem_items, t->errors, t->warnings};
    char why[CCK_MAIL_WHY_MAX], line[CCK_MAIL_WHY_MAX + 600];
    if (cck_mail_report(&m->cfg, m->to, &s, paths, n, why, sizeof why) != 0) {
        fprintf(stderr, "calcheck: %s: %s\n", m->url, why);
        fprintf(stderr, "calcheck: -R: the report was not mailed to %s; it is in %s\n", m->to,
                log_path);
        snprintf(line, sizeof line, "-R: could not mail the report to %s via %s: %s", m->to, m->url,
                 why);
        log_line(log_path, line);
        return -1;
    }
    printf("calcheck: -R: report mailed to %s via %s\n", m->to, m->url);
    snprintf(line, sizeof line, "-R: report mailed to %s via %s", m->to, m->url);
    log_line(log_path, line);
    return 0;
}
