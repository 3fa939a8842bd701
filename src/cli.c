/* cli.c - placeholder until the option table lands. */
#include "cli.h"

#include <stdio.h>

int cck_cli_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("calcheck: not yet\n", stderr);
    return 2;
}
