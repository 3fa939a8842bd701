/* profile.h - connection profiles (DESIGN §6 -P): a small INI-like file of
 * `[name]` sections with `key = value` lines, saying where a server is, who
 * logs in and where the secret comes from (an environment variable, a file or
 * a command - never the command line), plus the SMTP settings of -R.
 *
 * The file is $XDG_CONFIG_HOME/calcheck/profiles (~/.config/calcheck/profiles
 * when XDG_CONFIG_HOME is unset), or the path -P names (an argument holding
 * '/'). Lines: `# comment` or `; comment` (at the line's start), `[name]`,
 * `key = value` (blanks around both trimmed; no quoting, so a command may hold
 * '#'). Keys (each at most once per section; an unknown key is an error, so a
 * typo never silently drops a setting):
 *   kind              caldav | folder
 *   url               http(s) URL of the server, principal or calendar, or a folder
 *   user              login name
 *   password_env      name of an environment variable holding the password
 *   password_file     file whose first line is the password (relative: to the
 *                     profile file's folder; "~/" is $HOME)
 *   password_command  /bin/sh command printing the password on its first line
 *   tls_verify        true (default) | false - verify server certificates
 *   ca_file           PEM file of certificate authorities to trust
 *   timeout           seconds one request may take in all (default 120)
 *   connect_timeout   seconds to connect (default 10)
 *   smtp_host, smtp_port, smtp_starttls (true|false), smtp_user,
 *   smtp_password_env, smtp_password_file, smtp_password_command, mail_from,
 *   mail_domain       the report mail of -R (mail_domain: the address of a
 *                     mailbox without an explicit one is MAILBOX@mail_domain)
 *   address.MAILBOX   the mail address of one mailbox (repeatable, one per mailbox)
 * Errors name the file and line: "FILE:LINE: reason: 'the line'".
 *
 * Ownership: a cck_profile owns every string it points to; free it with
 * cck_profile_free. Secrets are never stored in the profile: they are read
 * into the caller's buffer when needed (cck_secret_read) and should be wiped
 * (cck_secret_wipe) once used.
 */
#ifndef CCK_PROFILE_H
#define CCK_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of a profile file read at most; of one line; of a secret. */
#define CCK_PROFILE_MAX_FILE   (1u << 20)
#define CCK_PROFILE_MAX_LINE   4096
#define CCK_PROFILE_MAX_SECRET 1024
/* Sections in one file, address.MAILBOX keys in one section. */
#define CCK_PROFILE_MAX_SECTIONS  1000
#define CCK_PROFILE_MAX_ADDRESSES 100000
/* Seconds a password_command may run before it is killed. */
#define CCK_PROFILE_COMMAND_TIMEOUT 30

typedef enum {
    CCK_PROFILE_KIND_NONE = 0, /* not said: taken from the URL */
    CCK_PROFILE_CALDAV,
    CCK_PROFILE_FOLDER
} cck_profile_kind;

/* Where a secret comes from: at most one of the three is set. */
typedef struct cck_secret_src {
    const char *env, *file, *command;
} cck_secret_src;

typedef struct cck_profile_addr {
    const char *mailbox, *address;
} cck_profile_addr;

typedef struct cck_profile {
    const char *name; /* the section's name ("" for keys before any section) */
    const char *path; /* the file it was read from */
    cck_profile_kind kind;
    const char *url, *user; /* NULL when not given */
    cck_secret_src secret;
    bool tls_verify;
    const char *ca_file;
    long timeout, connect_timeout; /* seconds */
    /* -R (report mail); read and kept here for the mail sender. */
    const char *smtp_host;
    long smtp_port; /* 0: not given */
    bool smtp_starttls;
    const char *smtp_user;
    cck_secret_src smtp_secret;
    const char *mail_from, *mail_domain;
    const cck_profile_addr *addresses;
    size_t n_addresses;
} cck_profile;

/* The default profile file's path into buf; -1 when neither XDG_CONFIG_HOME
 * nor HOME is set or the path does not fit. */
int cck_profile_default_path(char *buf, size_t size);

/* Parses profile text (from `path`, for messages) and returns the section
 * `name`; name NULL takes the file's only profile (an error when it has
 * several). NULL on failure with the reason in err ("FILE:LINE: ..."). */
cck_profile *cck_profile_parse(const char *text, size_t len, const char *path, const char *name,
                               char *err, size_t errsize);

/* -P's argument: a path (it holds '/': the file's only profile) or a name in
 * the default file. NULL on failure with the reason in err. */
cck_profile *cck_profile_load(const char *arg, char *err, size_t errsize);

/* The section names of a profile file, one per line into buf (for "which
 * profile?"). Returns how many, or -1 when the file cannot be read. */
int cck_profile_names(const char *path, char *buf, size_t size);

void cck_profile_free(cck_profile *p);

/* The mail address of a mailbox: its address.MAILBOX, else MAILBOX@mail_domain
 * (a mailbox already holding '@' is its own address), else -1. */
int cck_profile_address(const cck_profile *p, const char *mailbox, char *buf, size_t size);

/* Reads a secret from its source into buf (NUL-terminated, first line only).
 * Returns 1 when read, 0 when the source sets nothing, -1 on failure with
 * the reason in err (never the secret itself). `base` is the folder relative
 * file names start from (NULL: the current one). */
int cck_secret_read(const cck_secret_src *s, const char *base, char *buf, size_t size, char *err,
                    size_t errsize);

/* The login of a run: the profile's user (else $CALCHECK_USERNAME) and its
 * secret (else $CALCHECK_PASSWORD); p may be NULL. Returns 0 (either may be
 * empty when nothing provides it) or -1 with the reason in err. */
int cck_profile_login(const cck_profile *p, char *user, size_t usize, char *pass, size_t psize,
                      char *err, size_t errsize);

/* Overwrites a secret in memory (not optimised away). */
void cck_secret_wipe(char *buf, size_t size);

#endif
