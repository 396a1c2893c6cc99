/* ledger.h -- the ledger commands of the tally CLI (cli/ledger.c):
 * ingest, claims, incidents, timeline, sources, search, export, relink,
 * review. */
#ifndef TALLY_CLI_LEDGER_H
#define TALLY_CLI_LEDGER_H

#define TALLY_CLI_LEDGER 1
#define TALLY_CLI_LEDGER_COMMANDS                                                            \
    {"ingest", tally_cli_ingest}, {"claims", tally_cli_claims},                              \
    {"incidents", tally_cli_incidents}, {"timeline", tally_cli_timeline},                    \
    {"sources", tally_cli_sources}, {"search", tally_cli_search},                            \
    {"export", tally_cli_export}, {"relink", tally_cli_relink},                              \
    {"review", tally_cli_review},

int tally_cli_ingest(int argc, char **argv);
int tally_cli_claims(int argc, char **argv);
int tally_cli_incidents(int argc, char **argv);
int tally_cli_timeline(int argc, char **argv);
int tally_cli_sources(int argc, char **argv);
int tally_cli_search(int argc, char **argv);
int tally_cli_export(int argc, char **argv);
int tally_cli_relink(int argc, char **argv);
int tally_cli_review(int argc, char **argv);
#endif
