/* profile.c - connection profiles (profile.h, DESIGN §6 -P): one pass over the
 * file's lines, every section validated (an unknown or repeated key is an
 * error naming file and line), the wanted one kept. Secrets are read only
 * when asked for, from the environment, a file or a command run without a
 * shell prompt and killed after CCK_PROFILE_COMMAND_TIMEOUT seconds. */
#include "profile.h"
#include "util/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A profile and the strings it owns. `p` comes first so the public pointer
 * is the owner's. */
typedef struct owned {
    cck_profile p;
    char **strs;
    size_t ns, scap;
    cck_profile_addr *addrs;
    size_t naddr, acap;
} owned;

enum { K_STR, K_BOOL, K_LONG, K_KIND };

typedef struct key {
    const char *name;
    int type;
    size_t off; /* in cck_profile */
} key;

#define KEY(n, t, field)                                                                           \
    {                                                                                              \
        n, t, offsetof(cck_profile, field)                                                         \
    }
static const key keys[] = {
    KEY("kind", K_KIND, kind),
    KEY("url", K_STR, url),
    KEY("user", K_STR, user),
    KEY("password_env", K_STR, secret.env),
    KEY("password_file", K_STR, secret.file),
    KEY("password_command", K_STR, secret.command),
    KEY("tls_verify", K_BOOL, tls_verify),
    KEY("ca_file", K_STR, ca_file),
    KEY("timeout", K_LONG, timeout),
    KEY("connect_timeout", K_LONG, connect_timeout),
    KEY("smtp_host", K_STR, smtp_host),
    KEY("smtp_port", K_LONG, smtp_port),
    KEY("smtp_starttls", K_BOOL, smtp_starttls),
    KEY("smtp_user", K_STR, smtp_user),
    KEY("smtp_password_env", K_STR, smtp_secret.env),
    KEY("smtp_password_file", K_STR, smtp_secret.file),
    KEY("smtp_password_command", K_STR, smtp_secret.command),
    KEY("mail_from", K_STR, mail_from),
    KEY("mail_domain", K_STR, mail_domain),
};
#define NKEYS (sizeof keys / sizeof keys[0])

static char *keep(owned *o, const char *s, size_t n)
{
    if (o->ns == o->scap) {
        size_t cap = o->scap ? o->scap * 2 : 16;
        char **v = realloc(o->strs, cap * sizeof *v);
        if (!v)
            return NULL;
        o->strs = v;
        o->scap = cap;
    }
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    memcpy(c, s, n);
    c[n] = 0;
    o->strs[o->ns++] = c;
    return c;
}

void cck_profile_free(cck_profile *p)
{
    owned *o = (owned *)p;
    if (!o)
        return;
    for (size_t i = 0; i < o->ns; i++)
        free(o->strs[i]);
    free(o->strs);
    free(o->addrs);
    free(o);
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

static bool eqn(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Applies one key to o (NULL: validate only). Returns NULL or the reason. */
static const char *apply(owned *o, const char *k, size_t kn, const char *v, size_t vn,
                         uint32_t *seen)
{
    if (kn > 8 && memcmp(k, "address.", 8) == 0) {
        if (!o)
            return vn ? NULL : "an empty address";
        if (!vn)
            return "an empty address";
        for (size_t i = 0; i < o->naddr; i++)
            if (eqn(k + 8, kn - 8, o->addrs[i].mailbox))
                return "this mailbox's address is already given";
        if (o->naddr >= CCK_PROFILE_MAX_ADDRESSES)
            return "too many address.MAILBOX keys";
        if (o->naddr == o->acap) {
            size_t cap = o->acap ? o->acap * 2 : 16;
            cck_profile_addr *a = realloc(o->addrs, cap * sizeof *a);
            if (!a)
                return "out of memory";
            o->addrs = a;
            o->acap = cap;
        }
        const char *mb = keep(o, k + 8, kn - 8), *ad = keep(o, v, vn);
        if (!mb || !ad)
            return "out of memory";
        o->addrs[o->naddr].mailbox = mb;
        o->addrs[o->naddr++].address = ad;
        return NULL;
    }
    size_t i = 0;
    while (i < NKEYS && !eqn(k, kn, keys[i].name))
        i++;
    if (i == NKEYS)
        return "unknown key (see calcheck(1), PROFILES)";
    if (*seen & (1u << i))
        return "this key is already set in this profile";
    *seen |= 1u << i;
    char *base = o ? (char *)&o->p : NULL;
    switch (keys[i].type) {
    case K_STR: {
        if (!vn)
            return "an empty value";
        if (o) {
            const char *c = keep(o, v, vn);
            if (!c)
                return "out of memory";
            memcpy(base + keys[i].off, &c, sizeof c);
        }
        return NULL;
    }
    case K_BOOL: {
        bool b;
        if (eqn(v, vn, "true") || eqn(v, vn, "yes") || eqn(v, vn, "1"))
            b = true;
        else if (eqn(v, vn, "false") || eqn(v, vn, "no") || eqn(v, vn, "0"))
            b = false;
        else
            return "expected true or false";
        if (o)
            memcpy(base + keys[i].off, &b, sizeof b);
        return NULL;
    }
    case K_LONG: {
        long n = 0;
        if (!vn || vn > 6)
            return "expected a number from 1 to 999999";
        for (size_t j = 0; j < vn; j++) {
            if (v[j] < '0' || v[j] > '9')
                return "expected a number from 1 to 999999";
            n = n * 10 + (v[j] - '0');
        }
        if (n < 1)
            return "expected a number from 1 to 999999";
        if (o)
            memcpy(base + keys[i].off, &n, sizeof n);
        return NULL;
    }
    default: {
        cck_profile_kind kd;
        if (eqn(v, vn, "caldav"))
            kd = CCK_PROFILE_CALDAV;
        else if (eqn(v, vn, "folder"))
            kd = CCK_PROFILE_FOLDER;
        else
            return "kind is caldav or folder";
        if (o)
            memcpy(base + keys[i].off, &kd, sizeof kd);
        return NULL;
    }
    }
}

/* Whether the section has at most one secret source each for login and SMTP. */
static const char *secrets_ok(const cck_profile *p)
{
    int a = !!p->secret.env + !!p->secret.file + !!p->secret.command;
    int b = !!p->smtp_secret.env + !!p->smtp_secret.file + !!p->smtp_secret.command;
    if (a > 1)
        return "give one of password_env, password_file, password_command";
    if (b > 1)
        return "give one of smtp_password_env, smtp_password_file, smtp_password_command";
    return NULL;
}

/* One scan of the text. With out NULL, only counts the sections (names into
 * names/nsize when given); else fills *out with section `name`. */
static int scan(const char *text, size_t len, const char *path, const char *name, owned *out,
                int *nsections, char *names, size_t nsize, char *err, size_t errsize)
{
    size_t pos = 0, ln = 0, nlen = name ? strlen(name) : 0;
    bool in_wanted = name ? false : true, any_section = false, before = false;
    uint32_t seen = 0;
    size_t npos = 0;
    int nsec = 0;
    bool found = !name;
    if (names && nsize)
        names[0] = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        ln++;
        const char *s = text + pos;
        size_t n = end - pos;
        pos = end + (end < len);
        if (n > CCK_PROFILE_MAX_LINE) {
            cck_set_err(err, errsize, "%s:%zu: line longer than %d bytes", path, ln,
                        CCK_PROFILE_MAX_LINE);
            return -1;
        }
        if (memchr(s, 0, n)) {
            cck_set_err(err, errsize, "%s:%zu: a NUL byte: not a text file", path, ln);
            return -1;
        }
        const char *raw = s;
        size_t rawn = n;
        trim(&s, &n);
        trim(&raw, &rawn);
        if (!n || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            if (s[n - 1] != ']' || n < 3) {
                cck_set_err(err, errsize, "%s:%zu: a section is [name]: '%.*s'", path, ln,
                            (int)rawn, raw);
                return -1;
            }
            const char *sn = s + 1;
            size_t snl = n - 2;
            trim(&sn, &snl);
            if (!snl || memchr(sn, '[', snl) || memchr(sn, ']', snl)) {
                cck_set_err(err, errsize, "%s:%zu: a section is [name]: '%.*s'", path, ln,
                            (int)rawn, raw);
                return -1;
            }
            if (++nsec > CCK_PROFILE_MAX_SECTIONS) {
                cck_set_err(err, errsize, "%s:%zu: more than %d profiles", path, ln,
                            CCK_PROFILE_MAX_SECTIONS);
                return -1;
            }
            if (names && npos + snl + 2 < nsize) {
                memcpy(names + npos, sn, snl);
                npos += snl;
                names[npos++] = '\n';
                names[npos] = 0;
            }
            any_section = true;
            seen = 0;
            if (name) {
                bool match = snl == nlen && !memcmp(sn, name, nlen);
                if (out && match && found) {
                    cck_set_err(err, errsize, "%s:%zu: profile [%s] is defined twice", path, ln,
                                name);
                    return -1;
                }
                in_wanted = match;
                found |= match;
            } else {
                in_wanted = nsec == 1;
            }
            if (out && in_wanted && !out->p.name) {
                out->p.name = keep(out, sn, snl);
                if (!out->p.name) {
                    cck_set_err(err, errsize, "%s: out of memory", path);
                    return -1;
                }
            }
            continue;
        }
        const char *eq = memchr(s, '=', n);
        if (!eq) {
            cck_set_err(err, errsize, "%s:%zu: expected 'key = value' or '[name]': '%.*s'", path,
                        ln, (int)rawn, raw);
            return -1;
        }
        const char *k = s, *v = eq + 1;
        size_t kn = (size_t)(eq - s), vn = n - kn - 1;
        trim(&k, &kn);
        trim(&v, &vn);
        if (!any_section)
            before = true;
        bool mine = out && in_wanted && (any_section || !name);
        const char *why = apply(mine ? out : NULL, k, kn, v, vn, &seen);
        if (why) {
            /* never echo a line that might hold a secret-looking value */
            cck_set_err(err, errsize, "%s:%zu: %s: '%.*s'", path, ln, why, (int)kn, k);
            return -1;
        }
    }
    if (nsections)
        *nsections = nsec + (before && !any_section);
    if (out && name && !found) {
        cck_set_err(err, errsize,
                    "%s: no profile [%s] (profiles: run 'calcheck -P' on a terminal, or "
                    "look at the file)",
                    path, name);
        return -1;
    }
    if (out && !name && nsec > 1) {
        cck_set_err(err, errsize,
                    "%s holds %d profiles: keep one per file named by path, or name one from the "
                    "default file with -P NAME",
                    path, nsec);
        return -1;
    }
    if (out && before && any_section) {
        cck_set_err(err, errsize, "%s: keys before the first [name]: put them in a profile", path);
        return -1;
    }
    return 0;
}

cck_profile *cck_profile_parse(const char *text, size_t len, const char *path, const char *name,
                               char *err, size_t errsize)
{
    owned *o = calloc(1, sizeof *o);
    if (!o) {
        cck_set_err(err, errsize, "%s: out of memory", path);
        return NULL;
    }
    o->p.tls_verify = true;
    o->p.timeout = 120;
    o->p.connect_timeout = 10;
    if (scan(text, len, path, name, o, NULL, NULL, 0, err, errsize) != 0) {
        cck_profile_free(&o->p);
        return NULL;
    }
    if (!o->p.name)
        o->p.name = keep(o, "", 0);
    o->p.path = keep(o, path, strlen(path));
    o->p.addresses = o->addrs;
    o->p.n_addresses = o->naddr;
    const char *why = secrets_ok(&o->p);
    if (!o->p.name || !o->p.path || why) {
        cck_set_err(err, errsize, "%s: profile [%s]: %s", path, o->p.name ? o->p.name : "",
                    why ? why : "out of memory");
        cck_profile_free(&o->p);
        return NULL;
    }
    return &o->p;
}

int cck_profile_default_path(char *buf, size_t size)
{
    const char *x = getenv("XDG_CONFIG_HOME");
    int n;
    if (x && *x == '/')
        n = snprintf(buf, size, "%s/calcheck/profiles", x);
    else {
        const char *h = getenv("HOME");
        if (!h || !*h)
            return -1;
        n = snprintf(buf, size, "%s/.config/calcheck/profiles", h);
    }
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Reads a whole (small) file; NULL with the reason in err. */
static char *slurp(const char *path, size_t max, size_t *len, char *err, size_t errsize)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cck_set_err(err, errsize, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *b = malloc(max + 1);
    size_t n = b ? fread(b, 1, max + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!b || bad || n > max) {
        cck_set_err(err, errsize, "%s: %s", path,
                    !b    ? "out of memory"
                    : bad ? "read error"
                          : "file too large for a profile file");
        free(b);
        return NULL;
    }
    b[n] = 0;
    *len = n;
    return b;
}

cck_profile *cck_profile_load(const char *arg, char *err, size_t errsize)
{
    char path[4096];
    const char *name = NULL;
    if (strchr(arg, '/'))
        snprintf(path, sizeof path, "%s", arg);
    else {
        if (cck_profile_default_path(path, sizeof path) != 0) {
            cck_set_err(err, errsize,
                        "-P '%s': neither XDG_CONFIG_HOME nor HOME is set: give the "
                        "profile file's path",
                        arg);
            return NULL;
        }
        name = arg;
    }
    size_t len = 0;
    char *text = slurp(path, CCK_PROFILE_MAX_FILE, &len, err, errsize);
    if (!text)
        return NULL;
    cck_profile *p = cck_profile_parse(text, len, path, name, err, errsize);
    free(text);
    return p;
}

int cck_profile_names(const char *path, char *buf, size_t size)
{
    char err[512];
    size_t len = 0;
    char *text = slurp(path, CCK_PROFILE_MAX_FILE, &len, err, sizeof err);
    if (!text)
        return -1;
    int n = 0;
    int rc = scan(text, len, path, NULL, NULL, &n, buf, size, err, sizeof err);
    free(text);
    return rc == 0 ? n : -1;
}

int cck_profile_address(const cck_profile *p, const char *mailbox, char *buf, size_t size)
{
    int n = -1;
    for (size_t i = 0; p && i < p->n_addresses; i++)
        if (!strcmp(p->addresses[i].mailbox, mailbox))
            n = snprintf(buf, size, "%s", p->addresses[i].address);
    if (n < 0 && strchr(mailbox, '@'))
        n = snprintf(buf, size, "%s", mailbox);
    else if (n < 0 && p && p->mail_domain)
        n = snprintf(buf, size, "%s@%s", mailbox, p->mail_domain);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

void cck_secret_wipe(char *buf, size_t size)
{
    volatile char *v = buf;
    for (size_t i = 0; i < size; i++)
        v[i] = 0;
}

/* Keeps the first line of s (in place). */
static void first_line(char *s)
{
    s[strcspn(s, "\r\n")] = 0;
}

/* Runs `cmd` with /bin/sh, stdin from /dev/null, and reads its stdout (at
 * most size-1 bytes) into buf; killed after the timeout. */
static int run_command(const char *cmd, char *buf, size_t size, char *err, size_t errsize)
{
    int fd[2];
    if (pipe(fd) != 0) {
        cck_set_err(err, errsize, "password_command: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        cck_set_err(err, errsize, "password_command: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    size_t n = 0;
    bool timed_out = false;
    time_t until = time(NULL) + CCK_PROFILE_COMMAND_TIMEOUT;
    for (;;) {
        long left = (long)(until - time(NULL));
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pf = {fd[0], POLLIN, 0};
        int pr = poll(&pf, 1, (int)(left * 1000));
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0) {
            timed_out = pr == 0;
            break;
        }
        char tmp[256];
        ssize_t r = read(fd[0], tmp, sizeof tmp);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        for (ssize_t i = 0; i < r; i++)
            if (n + 1 < size)
                buf[n++] = tmp[i];
        cck_secret_wipe(tmp, sizeof tmp);
    }
    buf[n] = 0;
    close(fd[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (timed_out) {
        cck_secret_wipe(buf, size);
        cck_set_err(err, errsize, "password_command did not finish within %d seconds",
                    CCK_PROFILE_COMMAND_TIMEOUT);
        return -1;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        cck_secret_wipe(buf, size);
        cck_set_err(err, errsize, "password_command failed (%s %d)",
                    WIFEXITED(st) ? "exit status" : "signal",
                    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        return -1;
    }
    return 0;
}

int cck_secret_read(const cck_secret_src *s, const char *base, char *buf, size_t size, char *err,
                    size_t errsize)
{
    if (!size)
        return -1;
    buf[0] = 0;
    if (s->env) {
        const char *v = getenv(s->env);
        if (!v) {
            cck_set_err(err, errsize, "the environment variable %s (password_env) is not set",
                        s->env);
            return -1;
        }
        if (strlen(v) >= size) {
            cck_set_err(err, errsize, "the secret in %s is longer than %zu bytes", s->env,
                        size - 1);
            return -1;
        }
        snprintf(buf, size, "%s", v);
        first_line(buf);
        return 1;
    }
    if (s->file) {
        char path[4096];
        const char *h = getenv("HOME");
        if (!strncmp(s->file, "~/", 2) && h)
            snprintf(path, sizeof path, "%s/%s", h, s->file + 2);
        else if (s->file[0] != '/' && base && *base)
            snprintf(path, sizeof path, "%s/%s", base, s->file);
        else
            snprintf(path, sizeof path, "%s", s->file);
        size_t len = 0;
        char *text = slurp(path, CCK_PROFILE_MAX_SECRET, &len, err, errsize);
        if (!text)
            return -1;
        first_line(text);
        int n = snprintf(buf, size, "%s", text);
        cck_secret_wipe(text, len);
        free(text);
        if (n < 0 || (size_t)n >= size) {
            cck_secret_wipe(buf, size);
            cck_set_err(err, errsize, "%s: the secret is longer than %zu bytes", path, size - 1);
            return -1;
        }
        return 1;
    }
    if (s->command) {
        if (run_command(s->command, buf, size, err, errsize) != 0)
            return -1;
        first_line(buf);
        return 1;
    }
    return 0;
}

int cck_profile_login(const cck_profile *p, char *user, size_t usize, char *pass, size_t psize,
                      char *err, size_t errsize)
{
    const char *u = p && p->user ? p->user : getenv("CALCHECK_USERNAME");
    if (snprintf(user, usize, "%s", u ? u : "") >= (int)usize) {
        cck_set_err(err, errsize, "the user name is longer than %zu bytes", usize - 1);
        return -1;
    }
    int got = 0;
    if (p) {
        char base[4096] = "";
        const char *slash = strrchr(p->path, '/');
        if (slash)
            snprintf(base, sizeof base, "%.*s", (int)(slash - p->path), p->path);
        char why[600];
        got = cck_secret_read(&p->secret, slash ? base : NULL, pass, psize, why, sizeof why);
        if (got < 0) {
            cck_set_err(err, errsize, "%s: profile [%s]: %s", p->path, p->name, why);
            return -1;
        }
    }
    if (!got) {
        const char *v = getenv("CALCHECK_PASSWORD");
        if (v && strlen(v) >= psize) {
            cck_set_err(err, errsize, "CALCHECK_PASSWORD is longer than %zu bytes", psize - 1);
            return -1;
        }
        snprintf(pass, psize, "%s", v ? v : "");
    }
    return 0;
}
