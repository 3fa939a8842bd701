/* main.c - entry point: dispatches `calcheck dump ...` and the checker. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
    return cck_cli_main(argc, argv);
}
