/* serve.h -- the `serve` command of the tally CLI (cli/serve.c): a
 * read-only web report of a ledger (server/, docs/server.md). */
#ifndef TALLY_CLI_SERVE_H
#define TALLY_CLI_SERVE_H

#define TALLY_CLI_SERVE 1
#define TALLY_CLI_SERVE_COMMANDS {"serve", tally_cli_serve},

int tally_cli_serve(int argc, char **argv);
#endif
