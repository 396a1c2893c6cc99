/* cli.h -- shared by the command files of the tally CLI. */
#ifndef TALLY_CLI_H
#define TALLY_CLI_H
#include "tally.h"
#include "util/buf.h"
#include "util/sanitize.h"
#include <limits.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_FATAL = 1, EXIT_USAGE = 2, EXIT_SKIPPED = 3 };

extern const char *prog;

/* The overview of every command (tally --help); extract's own options are
 * in tally_cli_extract_usage. */
void tally_cli_usage(FILE *f);
void tally_cli_extract_usage(FILE *f);

/* s made safe for a message on stderr (sanitize.h, TLY_DISPLAY_ESCAPE: a
 * control byte as \xNN): every name or value the user or a document gave.
 * Initializes m, which the caller frees (tly_buf_free) after printing. */
const char *tally_cli_clean(tly_buf *m, const char *s);

/* Parses the value of a numeric option: decimal digits only (no sign, no
 * space), min <= value <= max. On an error (empty, not a number, negative,
 * overflow, out of range) prints one line naming cmd (may be NULL) and opt
 * and returns -1: the caller exits EXIT_USAGE. */
int tally_cli_number(const char *cmd, const char *opt, const char *val, unsigned long long min,
                     unsigned long long max, unsigned long long *out);

/* stdout's write errors, reported once. tally_cli_write_failed(errno) right
 * after a write to stdout failed (the errno of that write: later calls
 * overwrite it); tally_cli_flush() flushes stdout and reports a failure
 * (returns -1; also when one was reported before). main() checks stdout
 * once more after every command: a command that exits 0 or 3 with output
 * that did not reach its file exits 1. */
void tally_cli_write_failed(int errnum);
int tally_cli_write_error_reported(void);
int tally_cli_flush(void);
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

#include <pthread.h>
/* The language packs of a run: without --lang each document's language is
 * detected (tally_language_detect) and read with its pack, opened the first
 * time it is needed; "und" (too little to tell) is read with the default. */
#define MAX_LANGS 32
typedef struct langset {
    pthread_mutex_t mu;
    tally_lexicon_options lo;      /* the options of every pack but its language */
    const tally_lexicon *deflex;   /* the default (en) pack */
    const char *deflang;
    struct { char code[8]; tally_lexicon *lex; } e[MAX_LANGS]; /* lex NULL: no pack */
    size_t n;
} langset;

/* The pack for language code ("und" and the default: the default pack), or
 * NULL when tally has none for it; opened the first time (thread-safe). */
const tally_lexicon *tally_cli_lang_pack(langset *ls, const char *code);

#endif
