/* tally -- command-line interface to libtally.
 *
 * Exit status (a contract, see docs/tally.1):
 *   0  every document was read
 *   1  fatal: cannot load the lexicons or open the database, out of memory,
 *      disk full, cannot write output
 *   2  usage error
 *   3  some documents were skipped; each is named on stderr with the byte
 *      offset and the reason
 *
 * One command a file: extract.c; the ledger commands (ingest, claims,
 * incidents, timeline, sources, search, export, relink) in ledger.c. */
#include "cli.h"
#include <string.h>

const char *prog = "tally";

typedef struct command { const char *name; int (*run)(int argc, char **argv); } command;

static const command commands[] = {
    {"extract", tally_cli_extract},
#ifdef TALLY_CLI_LEDGER
    TALLY_CLI_LEDGER_COMMANDS
#endif
#ifdef TALLY_CLI_SERVE_COMMANDS
    TALLY_CLI_SERVE_COMMANDS
#endif
    {NULL, NULL}};

int main(int argc, char **argv) {
    if (argc < 2) { tally_cli_usage(stderr); return EXIT_USAGE; }
    const char *cmd = argv[1];
    for (const command *c = commands; c->name; c++)
        if (!strcmp(cmd, c->name)) return c->run(argc - 2, argv + 2);
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) { printf("tally %s\n", tally_version()); return EXIT_OK; }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) { tally_cli_usage(stdout); return EXIT_OK; }
    fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
    tally_cli_usage(stderr);
    return EXIT_USAGE;
}
