/* cli.h - the command line: option table, --help, dispatch to subcommands. */
#ifndef CCK_CLI_H
#define CCK_CLI_H

/* Runs calcheck with its arguments and returns the exit status
 * (0 no problem, 1 problems found, 2 could not run). */
int cck_cli_main(int argc, char **argv);

#endif
