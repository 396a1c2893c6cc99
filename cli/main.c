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
 * incidents, timeline, sources, search, export, relink) in ledger.c; serve
 * in serve.c. Here: the dispatch, `help`, the shared option parsing and the
 * one check of stdout at the end (a write error is reported once, with the
 * errno of the write that failed, and is exit 1). */
#include "cli.h"
#include <errno.h>
#include <stdlib.h>
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

void tally_cli_usage(FILE *f) {
    fprintf(f,
            "usage: tally COMMAND [options] [arguments]\n"
            "       tally help COMMAND | tally COMMAND --help   that command's options\n"
            "\n"
            "  extract [options] [FILE|DIR|-]...   claims (or mentions, TIMEX3) of documents, on stdout\n"
#ifdef TALLY_CLI_LEDGER
            "  ingest [--db PATH] FILE|DIR...      store claims in the ledger (SQLite or PostgreSQL)\n"
            "  claims|incidents|timeline|sources [--db PATH] [--json|--csv] [filters]\n"
            "  search [--db PATH] QUERY\n"
            "  export [--db PATH] --format acled|ucdp|geojson|jsonl|csv|reviews\n"
            "  review [--db PATH] CLAIM_ID --confirm|--reject|--set FIELD=VALUE | --list\n"
            "  relink [--db PATH]\n"
#endif
#ifdef TALLY_CLI_SERVE_COMMANDS
            "  serve [--db PATH] [--bind ADDR] [--port N] [--allow-host NAME] [-q]\n"
            "                                      a read-only web report of the ledger\n"
#endif
            "  version                             the version of tally\n"
            "\n"
            "Extracts casualty claims from news articles and statements (.txt, .html,\n"
            ".jsonl, .warc, and any of them gzipped); with no FILE, reads stdin.\n"
            "exit status: 0 all read, 3 some documents skipped, 2 usage error, 1 fatal error\n");
}

const char *tally_cli_clean(tly_buf *m, const char *s) {
    tly_buf_init(m, NULL);
    tly_sanitize_display(m, s, strlen(s), TLY_DISPLAY_ESCAPE);
    return m->data && !m->failed ? m->data : "";
}

/* ------------------------------------------------------------ numbers */
int tally_cli_number(const char *cmd, const char *opt, const char *val, unsigned long long min,
                     unsigned long long max, unsigned long long *out) {
    const char *what = NULL;
    unsigned long long v = 0;
    if (!val || !*val) what = "a number";
    else if (val[0] == '-' && val[1] >= '0' && val[1] <= '9') what = "not negative";
    else {
        for (const char *p = val; *p && !what; p++) {
            if (*p < '0' || *p > '9') what = "a number";
            else if (v > (ULLONG_MAX - (unsigned)(*p - '0')) / 10) what = "too large";
            else v = v * 10 + (unsigned)(*p - '0');
        }
        if (!what && (v < min || v > max)) what = v < min ? "too small" : "too large";
    }
    if (!what) { *out = v; return 0; }
    tly_buf m;
    fprintf(stderr, "%s: %s%s%s wants a number from %llu to %llu, not '%s'", prog, cmd ? cmd : "", cmd ? ": " : "",
            opt, min, max, tally_cli_clean(&m, val ? val : ""));
    if (strcmp(what, "a number")) fprintf(stderr, " (%s)", what);
    fputc('\n', stderr);
    tly_buf_free(&m);
    return -1;
}

/* ------------------------------------------------------------ stdout */
static int write_reported; /* a write error was reported: no second line */

void tally_cli_write_failed(int errnum) {
    if (write_reported) return;
    write_reported = 1;
    fprintf(stderr, "%s: cannot write output: %s\n", prog, errnum ? strerror(errnum) : "write error");
}

int tally_cli_write_error_reported(void) { return write_reported; }

int tally_cli_flush(void) {
    if (write_reported) return -1;
    errno = 0;
    int had = ferror(stdout);
    if (fflush(stdout) != 0 || had || ferror(stdout)) {
        tally_cli_write_failed(errno);
        return -1;
    }
    return 0;
}

/* The status of a command after the last check of stdout: a command that
 * succeeded (0, 3) but whose output did not all reach its file fails (1),
 * with one line; a command that failed (1, 2) has said why already. */
static int finish(int status) {
    if (status != EXIT_OK && status != EXIT_SKIPPED) return status;
    return tally_cli_flush() ? EXIT_FATAL : status;
}

static const command *find(const char *name) {
    for (const command *c = commands; c->name; c++)
        if (!strcmp(name, c->name)) return c;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) { tally_cli_usage(stderr); return EXIT_USAGE; }
    const char *cmd = argv[1];
    const command *c = find(cmd);
    if (c) return finish(c->run(argc - 2, argv + 2));
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("tally %s\n", tally_version());
        return finish(EXIT_OK);
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        if (argc > 2 && strcmp(cmd, "help") == 0) {
            if (!strcmp(argv[2], "version") || !strcmp(argv[2], "help")) { tally_cli_usage(stdout); return finish(EXIT_OK); }
            c = find(argv[2]);
            if (!c) {
                tly_buf m;
                fprintf(stderr, "%s: help: unknown command '%s'\n", prog, tally_cli_clean(&m, argv[2]));
                tly_buf_free(&m);
                tally_cli_usage(stderr);
                return EXIT_USAGE;
            }
            char help[] = "--help";
            char *hargv[] = {help, NULL};
            return finish(c->run(1, hargv));
        }
        tally_cli_usage(stdout);
        return finish(EXIT_OK);
    }
    tly_buf m;
    fprintf(stderr, "%s: unknown command '%s'\n", prog, tally_cli_clean(&m, cmd));
    tly_buf_free(&m);
    tally_cli_usage(stderr);
    return EXIT_USAGE;
}
