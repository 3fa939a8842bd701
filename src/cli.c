/* cli.c - option table, parser and dispatch. Options are matched exactly
 * against the table (no getopt), which keeps CalCheck's "-No TEST" spelling
 * and lets --help and the man-page test read the same rows. Error messages
 * follow "calcheck: WHAT: reason" and end with a hint; usage errors exit 2. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

enum {
    OPT_HELP = 1,
    OPT_VERSION,
    OPT_DUMP_JSON,
    OPT_DUMP_BLOB,
};

const cck_opt cck_opts[] = {
    {OPT_HELP, "all", {"-h", "--help"}, NULL, "show this help and exit"},
    {OPT_VERSION, "all", {"--version"}, NULL, "show the version and exit"},
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
    fputs("usage: calcheck dump [--json] FILE.msg\n"
          "       calcheck dump [--json] --blob KIND FILE\n"
          "       calcheck --help | --version\n"
          "\n"
          "calcheck finds the calendar items that make meetings vanish, crash Outlook or break\n"
          "sync. `calcheck dump` prints every property of an Outlook item with its recurrence,\n"
          "time-zone, meeting-id and property-definition structures decoded.\n"
          "\nOptions:\n",
          f);
    for (const cck_opt *o = cck_opts; o->id; o++) {
        char spell[64] = "";
        for (int i = 0; i < 3 && o->names[i]; i++) {
            if (i)
                strcat(spell, ", ");
            strcat(spell, o->names[i]);
        }
        if (o->arg) {
            strcat(spell, " ");
            strcat(spell, o->arg);
        }
        const char *scope = strcmp(o->cmd, "all") == 0 ? "" : "(dump) ";
        fprintf(f, "  %-22s %s%s\n", spell, scope, o->help);
    }
    fputs("\nExit status: 0 no problem, 1 problems found, 2 could not run.\n"
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

int cck_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CCK_EXIT_FAIL;
    }
    if (strcmp(argv[1], "dump") == 0)
        return run_dump(argc - 2, argv + 2);
    const char *val;
    const cck_opt *o = find_opt("check", argv[1], &val);
    if (o && o->id == OPT_HELP) {
        usage(stdout);
        return CCK_EXIT_OK;
    }
    if (o && o->id == OPT_VERSION) {
        puts("calcheck " CCK_VERSION);
        return CCK_EXIT_OK;
    }
    if (argv[1][0] == '-')
        return bad_usage("unknown option '%s'", argv[1]);
    return bad_usage("'%s': checking calendars is not built yet; use 'calcheck dump FILE'",
                     argv[1]);
}
