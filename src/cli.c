/* cli.c - option table, parser and dispatch. Options are matched exactly
 * against the table (no getopt), which keeps CalCheck's "-No TEST" spelling
 * and lets --help and the man-page test read the same rows. Error messages
 * follow "calcheck: WHAT: reason" and end with a hint; usage errors exit 2. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump.h"
#include "profile.h"
#include "run.h"
#include "server.h"
#include "sources/caldav.h"
#include "util/time.h"

enum {
    OPT_HELP = 1,
    OPT_VERSION,
    OPT_LIST,
    OPT_ALL,
    OPT_FOLDER,
    OPT_VERBOSE,
    OPT_OUTDIR,
    OPT_CFGDIR,
    OPT_NO,
    OPT_FAIL_ON,
    OPT_NOW,
    OPT_OWNER,
    OPT_MAIL,
    OPT_MAIL_TO,
    OPT_PROFILE,
    OPT_SERVER,
    OPT_MAILBOX,
    OPT_LISTFILE,
    OPT_JOBS,
    OPT_DUMP_JSON,
    OPT_DUMP_BLOB,
};

const cck_opt cck_opts[] = {
    {OPT_HELP, "all", {"-h", "--help"}, NULL, "show this help and exit"},
    {OPT_VERSION, "all", {"--version"}, NULL, "show the version and exit"},
    {OPT_LIST,
     "check",
     {"--list-checks"},
     NULL,
     "list every check: number, severity, CalCheck.cfg key, summary"},
    {OPT_ALL, "check", {"-A"}, NULL, "write every item to CALCHECK.CSV as well"},
    {OPT_FOLDER,
     "check",
     {"-F"},
     NULL,
     "quarantine flagged items: copies in DIR/CalCheck/; on CalDAV, moved to a CalCheck calendar"},
    {OPT_VERBOSE, "check", {"-V"}, NULL, "print every finding as it is found"},
    {OPT_OUTDIR, "check", {"-O"}, "DIR", "write the reports into DIR (default: current directory)"},
    {OPT_CFGDIR, "check", {"-I"}, "DIR", "read CalCheck.cfg from DIR (or the file DIR itself)"},
    {OPT_NO,
     "check",
     {"-No"},
     "TEST",
     "skip a check: its number (0049), CalCheck.cfg key (duplicates), org or dup; repeatable"},
    {OPT_FAIL_ON,
     "check",
     {"--fail-on"},
     "LEVEL",
     "exit 1 when a finding is at least LEVEL: error (default) or warning"},
    {OPT_NOW, "check", {"--now"}, "DATE", "check as of DATE (YYYY-MM-DD[THH:MM:SSZ]), not today"},
    {OPT_OWNER,
     "check",
     {"--owner"},
     "ADDRESS",
     "an address of the calendar's owner (for check 0042); repeatable"},
    {OPT_MAIL,
     "check",
     {"-R"},
     NULL,
     "mail the log (the CSVs too with -A) when problems are found; SMTP: see calcheck(1)"},
    {OPT_MAIL_TO,
     "check",
     {"--mail-to"},
     "ADDRESS",
     "where -R sends the report (default: the first --owner)"},
    {OPT_PROFILE,
     "check",
     {"-P"},
     "PROFILE",
     "connection profile: a name in ~/.config/calcheck/profiles, or a file path"},
    {OPT_SERVER,
     "check",
     {"-S"},
     "SERVER",
     "server mode: every mailbox of a CalDAV server (URL) or of a folder (one per entry)"},
    {OPT_MAILBOX,
     "check",
     {"-M"},
     "MAILBOX",
     "server mode: only this mailbox (a name or a principal URL); repeatable"},
    {OPT_LISTFILE,
     "check",
     {"-L"},
     "FILE",
     "server mode: the mailboxes listed in FILE, one a line"},
    {OPT_JOBS, "check", {"--jobs"}, "N", "server mode: check N mailboxes at a time (default 4)"},
    {OPT_DUMP_JSON, "dump", {"--json"}, NULL, "print one JSON document instead of indented text"},
    {OPT_DUMP_BLOB,
     "dump",
     {"--blob"},
     "KIND",
     "decode FILE as one raw blob (binary or hex text): recur, pattern, tzdef, tzreg, goid, pds"},
    {0, NULL, {NULL}, NULL, NULL},
};

static void usage(FILE *f)
{
    fputs("usage: calcheck [-A] [-F] [-R] [-V] [-O DIR] [-I DIR] [-No TEST]... [--fail-on LEVEL]\n"
          "                [--now DATE] [--owner ADDRESS]... [--mail-to ADDRESS] [-P PROFILE]\n"
          "                SOURCE...\n"
          "       calcheck [options] [-P PROFILE] -S SERVER [-M MAILBOX]... [-L FILE] [--jobs N]\n"
          "       calcheck dump [--json] FILE.msg\n"
          "       calcheck dump [--json] --blob KIND FILE\n"
          "       calcheck --help | --version\n"
          "\n"
          "calcheck finds the calendar items that make meetings vanish, crash Outlook or break\n"
          "sync. SOURCE is an Outlook data file (.pst, .ost: every calendar folder in it), an\n"
          "Outlook item (.msg), an iCalendar file (.ics), a folder of such files, or a CalDAV\n"
          "calendar or principal URL; together they are one calendar. It writes CalCheck.log\n"
          "and CalCheckErr.csv (and CALCHECK.CSV with -A) and never changes its input. -S checks\n"
          "every mailbox of a server and writes CalCheckSvr.log and CalCheck_<mailbox>.log.\n"
          "Logins come from a profile (-P) or CALCHECK_USERNAME and CALCHECK_PASSWORD.\n"
          "`calcheck dump` prints every property of an item with its recurrence,\n"
          "time-zone, meeting-id and property-definition structures decoded.\n"
          "\nOptions:\n",
          f);
    for (const cck_opt *o = cck_opts; o->id; o++) {
        char spell[96];
        size_t k = 0;
        spell[0] = 0;
        for (int i = 0; i < 4 && k + 1 < sizeof spell; i++) {
            const char *part = i < 3 ? o->names[i] : o->arg;
            if (!part)
                continue;
            int w = snprintf(spell + k, sizeof spell - k, "%s%s",
                             i == 3 ? " "
                             : i    ? ", "
                                    : "",
                             part);
            k = w < 0 || (size_t)w >= sizeof spell - k ? sizeof spell - 1 : k + (size_t)w;
        }
        const char *scope = strcmp(o->cmd, "dump") == 0 ? "(dump) " : "";
        fprintf(f, "  %-22s %s%s\n", spell, scope, o->help);
    }
    fputs("\nExit status: 0 no problem, 1 problems found (server mode: or a mailbox failed),\n"
          "2 could not run.\n"
          "See calcheck(1) and docs/ for details.\n",
          f);
}

/* Looks `arg` up in the table for command `cmd`; `*val` is set to the text
 * after '=' for "--name=value" spellings. */
static const cck_opt *find_opt(const char *cmd, const char *arg, const char **val)
{
    *val = NULL;
    for (const cck_opt *o = cck_opts; o->id; o++) {
        if (strcmp(o->cmd, "all") != 0 && strcmp(o->cmd, cmd) != 0)
            continue;
        for (int i = 0; i < 3 && o->names[i]; i++) {
            size_t n = strlen(o->names[i]);
            if (strncmp(arg, o->names[i], n) != 0)
                continue;
            if (arg[n] == 0)
                return o;
            if (arg[n] == '=' && o->arg) {
                *val = arg + n + 1;
                return o;
            }
        }
    }
    return NULL;
}

static int bad_usage(const char *fmt, const char *what)
{
    fputs("calcheck: ", stderr);
    fprintf(stderr, fmt, what);
    fputs("\ncalcheck: try 'calcheck --help'\n", stderr);
    return CCK_EXIT_FAIL;
}

static int run_dump(int argc, char **argv)
{
    cck_dump_opts d = {0};
    const char *file = NULL;
    bool only_files = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_files && strcmp(a, "--") == 0) {
            only_files = true;
            continue;
        }
        if (!only_files && a[0] == '-' && a[1]) {
            const char *val;
            const cck_opt *o = find_opt("dump", a, &val);
            if (!o)
                return bad_usage("unknown option '%s' for dump", a);
            if (o->arg && !val) {
                if (i + 1 >= argc)
                    return bad_usage("option '%s' needs a value", a);
                val = argv[++i];
            }
            switch (o->id) {
            case OPT_HELP:
                usage(stdout);
                return CCK_EXIT_OK;
            case OPT_VERSION:
                puts("calcheck " CCK_VERSION);
                return CCK_EXIT_OK;
            case OPT_DUMP_JSON:
                d.json = true;
                break;
            case OPT_DUMP_BLOB:
                d.blob = cck_dump_blob_kind(val);
                if (d.blob == CCK_BLOB_NONE)
                    return bad_usage("unknown blob kind '%s' (use recur, pattern, tzdef, tzreg, "
                                     "goid or pds)",
                                     val);
                break;
            }
            continue;
        }
        if (file)
            return bad_usage("dump takes one FILE; '%s' is one too many", a);
        file = a;
    }
    if (!file)
        return bad_usage("%s", "dump needs a FILE");
    return cck_dump_file(file, &d, stdout);
}

/* Reads CalCheck.cfg from a folder (or a file); errors name file and line. */
static int read_cfg(const char *where, cck_config *cfg)
{
    char path[4096];
    struct stat st;
    if (stat(where, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(path, sizeof path, "%s/CalCheck.cfg", where);
    else
        snprintf(path, sizeof path, "%s", where);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "calcheck: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int no = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        const char *why = NULL;
        if (cck_config_line(cfg, line, &why) != 0) {
            line[strcspn(line, "\r\n")] = 0;
            fprintf(stderr, "calcheck: %s:%d: %s: '%s'\n", path, no, why, line);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}

static int no_source(void);

/* No SOURCE and no profile: as CalCheck did, list the profiles and ask which
 * one, when someone is at a terminal (DESIGN §6); a script gets a clear
 * error naming the profiles instead. Returns the chosen profile, or NULL
 * with *rc set. */
static cck_profile *ask_profile(int *rc)
{
    char path[4096], names[2048];
    int n = cck_profile_default_path(path, sizeof path) == 0
                ? cck_profile_names(path, names, sizeof names)
                : -1;
    if (n <= 0 || !isatty(0) || !isatty(2)) {
        *rc = no_source();
        return NULL;
    }
    fprintf(stderr, "calcheck: no SOURCE given; the profiles of %s:\n", path);
    char *name[64];
    int k = 0;
    for (char *p = names; *p && k < 64;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = 0;
        name[k++] = p;
        fprintf(stderr, "  %d  %s\n", k, p);
        if (!e)
            break;
        p = e + 1;
    }
    fprintf(stderr, "Profile to check (number or name, empty to stop): ");
    char line[256];
    if (!fgets(line, sizeof line, stdin)) {
        fputc('\n', stderr);
        *rc = CCK_EXIT_FAIL;
        return NULL;
    }
    line[strcspn(line, "\r\n")] = 0;
    if (!line[0]) {
        *rc = CCK_EXIT_FAIL;
        return NULL;
    }
    char *end;
    long i = strtol(line, &end, 10);
    const char *pick = !*end && i >= 1 && i <= k ? name[i - 1] : line;
    char err[1200];
    cck_profile *prof = cck_profile_load(pick, err, sizeof err);
    if (!prof) {
        fprintf(stderr, "calcheck: %s\n", err);
        *rc = CCK_EXIT_FAIL;
    } else if (!prof->url) {
        fprintf(stderr, "calcheck: %s: profile [%s] has no url to check\n", path, prof->name);
        cck_profile_free(prof);
        prof = NULL;
        *rc = CCK_EXIT_FAIL;
    }
    return prof;
}

static int no_source(void)
{
    char path[4096], names[2048];
    int n = cck_profile_default_path(path, sizeof path) == 0
                ? cck_profile_names(path, names, sizeof names)
                : -1;
    if (n > 0) {
        for (char *p = names; (p = strchr(p, '\n'));)
            *p = p[1] ? ',' : 0;
        fprintf(stderr,
                "calcheck: no SOURCE to check: name files, folders or a CalDAV URL, or choose a "
                "profile of %s with -P NAME: %s\n",
                path, names);
        fputs("calcheck: try 'calcheck --help'\n", stderr);
        return CCK_EXIT_FAIL;
    }
    return bad_usage("%s", "no SOURCE to check: name .pst, .ost, .msg or .ics files, folders of "
                           "them, or a CalDAV URL");
}

static int run_check(int argc, char **argv)
{
    cck_run_opts o;
    memset(&o, 0, sizeof o);
    o.outdir = ".";
    o.fail_on = CCK_SEV_ERROR;
    uint64_t now = cck_now_filetime();
    /* Options are applied in two passes: --now and -I first (they set the
     * base configuration), then -No on top, whatever the order typed. */
    const char *cfgdir = NULL;
    const char *nos[256];
    size_t nno = 0;
    const char *owners[256];
    size_t nown = 0;
    bool mail = false;
    const char *mail_to = NULL;
    cck_runmail rm;
    const char *profile_arg = NULL, *server = NULL, *listfile = NULL;
    const char *mailboxes[256];
    size_t nmb = 0;
    int jobs = 4;
    cck_profile *prof = NULL;
    char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    size_t nsrc = 0;
    int rc = CCK_EXIT_OK;
    bool only_files = false;
    if (!srcs)
        return CCK_EXIT_FAIL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_files && strcmp(a, "--") == 0) {
            only_files = true;
            continue;
        }
        if (only_files || a[0] != '-' || !a[1]) {
            srcs[nsrc++] = argv[i];
            continue;
        }
        const char *val;
        const cck_opt *op = find_opt("check", a, &val);
        if (!op) {
            rc = bad_usage("unknown option '%s'", a);
            goto out;
        }
        if (op->arg && !val) {
            if (i + 1 >= argc) {
                rc = bad_usage("option '%s' needs a value", a);
                goto out;
            }
            val = argv[++i];
        }
        switch (op->id) {
        case OPT_HELP:
            usage(stdout);
            goto out;
        case OPT_VERSION:
            puts("calcheck " CCK_VERSION);
            goto out;
        case OPT_LIST:
            for (size_t k = 0; k < cck_n_checks; k++)
                printf("%04d\t%s\t%s\t%s\t%s\n", cck_checks[k].id,
                       cck_severity_name(cck_checks[k].sev), cck_checks[k].key,
                       cck_checks[k].family, cck_checks[k].summary);
            goto out;
        case OPT_ALL:
            o.all_items = true;
            break;
        case OPT_FOLDER:
            o.quarantine = true;
            break;
        case OPT_VERBOSE:
            o.verbose = true;
            break;
        case OPT_OUTDIR:
            o.outdir = val;
            break;
        case OPT_CFGDIR:
            cfgdir = val;
            break;
        case OPT_NO:
            if (nno < sizeof nos / sizeof nos[0])
                nos[nno++] = val;
            break;
        case OPT_FAIL_ON:
            if (strcmp(val, "error") == 0)
                o.fail_on = CCK_SEV_ERROR;
            else if (strcmp(val, "warning") == 0)
                o.fail_on = CCK_SEV_WARNING;
            else {
                rc = bad_usage("--fail-on takes error or warning, not '%s'", val);
                goto out;
            }
            break;
        case OPT_NOW:
            if (cck_parse_date(val, &now) != 0) {
                rc = bad_usage("--now takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, not '%s'", val);
                goto out;
            }
            break;
        case OPT_OWNER:
            if (nown < sizeof owners / sizeof owners[0])
                owners[nown++] = val;
            break;
        case OPT_MAIL:
            mail = true;
            break;
        case OPT_MAIL_TO:
            mail_to = val;
            break;
        case OPT_PROFILE:
            profile_arg = val;
            break;
        case OPT_SERVER:
            server = val;
            break;
        case OPT_MAILBOX:
            if (nmb == sizeof mailboxes / sizeof mailboxes[0]) {
                rc = bad_usage("more than 256 -M options: list the mailboxes in a file for -L%s",
                               "");
                goto out;
            }
            mailboxes[nmb++] = val;
            break;
        case OPT_LISTFILE:
            listfile = val;
            break;
        case OPT_JOBS: {
            char *end = NULL;
            long j = strtol(val, &end, 10);
            if (!*val || *end || j < 1 || j > CCK_SERVER_MAX_JOBS) {
                rc = bad_usage("--jobs takes a number from 1 to 64, not '%s'", val);
                goto out;
            }
            jobs = (int)j;
            break;
        }
        default:
            rc = bad_usage("option '%s' belongs to calcheck dump", a);
            goto out;
        }
    }
    bool server_mode = server || nmb || listfile;
    if (server_mode && nsrc) {
        rc = bad_usage("'%s': server mode (-S, -M, -L) takes no SOURCE", srcs[0]);
        goto out;
    }
    if (profile_arg) {
        char err[1200];
        if (!(prof = cck_profile_load(profile_arg, err, sizeof err))) {
            fprintf(stderr, "calcheck: %s\n", err);
            rc = CCK_EXIT_FAIL;
            goto out;
        }
        if (!server_mode && nsrc == 0 && prof->url)
            srcs[nsrc++] = (char *)prof->url;
    }
    if (nsrc == 0 && !server_mode && !profile_arg) {
        if (!(prof = ask_profile(&rc)))
            goto out;
        srcs[nsrc++] = (char *)prof->url;
    }
    if (nsrc == 0 && !server_mode) {
        rc = no_source();
        goto out;
    }
    for (size_t i = 0; i < nsrc; i++)
        if (cck_caldav_is_url(srcs[i]) && nsrc > 1) {
            rc =
                bad_usage("'%s': check one CalDAV URL per run (or every mailbox with -S)", srcs[i]);
            goto out;
        }
    cck_config_default(&o.cfg, now);
    if (cfgdir && read_cfg(cfgdir, &o.cfg) != 0) {
        rc = CCK_EXIT_FAIL;
        goto out;
    }
    for (size_t i = 0; i < nno; i++)
        if (cck_config_disable(&o.cfg, nos[i]) == 0) {
            rc = bad_usage("-No '%s': no check has that number, key or group", nos[i]);
            goto out;
        }
    o.owners = owners;
    o.n_owners = nown;
    if (mail_to && !mail) {
        rc = bad_usage("%s", "--mail-to is for -R: add -R to mail the report");
        goto out;
    }
    /* -R settings are checked before the run, not found wrong after it */
    if (mail) {
        /* server mode and a CalDAV source find each mailbox's address themselves */
        bool per_mailbox = server_mode || (nsrc && cck_caldav_is_url(srcs[0]));
        if (cck_runmail_setup(&rm, mail_to, owners, nown, prof, per_mailbox) != 0) {
            rc = CCK_EXIT_FAIL;
            goto out;
        }
        o.mail = &rm;
    }
    if (server_mode) {
        cck_server_opts so = {&o, prof, server, mailboxes, nmb, listfile, jobs};
        rc = cck_server_run(&so);
    } else if (cck_caldav_is_url(srcs[0]))
        rc = cck_server_caldav_source(srcs[0], &o, prof);
    else
        rc = cck_run(srcs, nsrc, &o);
out:
    cck_profile_free(prof);
    free(srcs);
    return rc;
}

int cck_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CCK_EXIT_FAIL;
    }
    if (strcmp(argv[1], "dump") == 0)
        return run_dump(argc - 2, argv + 2);
    return run_check(argc - 1, argv + 1);
}
