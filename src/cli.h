/* cli.h - the command line: one option table drives parsing, --help and the
 * man-page consistency test; dispatches to the checker or `calcheck dump`. */
#ifndef CCK_CLI_H
#define CCK_CLI_H

#include <stdbool.h>

/* Exit statuses (DESIGN §6): no problem at the chosen level, problems found,
 * could not run (bad usage or unreadable source). */
enum { CCK_EXIT_OK = 0, CCK_EXIT_PROBLEMS = 1, CCK_EXIT_FAIL = 2 };

/* One option. `names` lists its spellings ("-h", "--help"; CalCheck's
 * two-letter "-No" is a spelling too); `arg` is the value's placeholder or
 * NULL for a flag; `cmd` is "check" or "dump" (the command it belongs to). */
typedef struct cck_opt {
    int id;
    const char *cmd;
    const char *names[3];
    const char *arg;
    const char *help;
} cck_opt;

/* The table itself, terminated by an entry with id 0 (for tests and docs). */
extern const cck_opt cck_opts[];

/* Runs calcheck with its arguments and returns the exit status. */
int cck_cli_main(int argc, char **argv);

#endif
