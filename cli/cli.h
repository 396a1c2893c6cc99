/* cli.h -- shared by the command files of the tally CLI. */
#ifndef TALLY_CLI_H
#define TALLY_CLI_H
#include "tally.h"
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_FATAL = 1, EXIT_USAGE = 2, EXIT_SKIPPED = 3 };

extern const char *prog;

void tally_cli_usage(FILE *f);
/* Prints one line for a skipped document: "tally: DOC: message (byte N)". */
void tally_cli_report(const char *path, const tally_error *e);

int tally_cli_extract(int argc, char **argv);

/* The ledger commands register here (cli/ledger.c defines them). */
#if !defined(TALLY_NO_LEDGER) && __has_include("ledger.h")
#include "ledger.h"
#endif
/* The web report registers here too (cli/serve.c). */
#if !defined(TALLY_NO_SERVE) && __has_include("serve.h")
#include "serve.h"
#endif
#endif
