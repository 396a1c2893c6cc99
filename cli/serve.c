/* serve.c -- `tally serve [--db PATH] [--bind ADDR] [--port N]
 * [--allow-host NAME]... [-q]`: serves the read-only web report of a ledger
 * until SIGINT or SIGTERM. Prints "serving http://ADDR:PORT/" on stdout once
 * listening (--port 0 picks a free port). See docs/server.md. */
#include "cli.h"
#include "serve.h"
#include "tally_ledger.h"
#include "../server/server.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;
/* The server's message msg (cap bytes; it names the ledger by the path
 * given: "PATH: reason") with that path as messages show it, in place. */
static const char *with_shown_path(char *msg, size_t cap, const char *db, const char *shown) {
    size_t n = strlen(db), k = strlen(shown), len = strlen(msg);
    if (!n || strncmp(msg, db, n) || k + 1 > cap) return msg;
    size_t tail = len - n < cap - k - 1 ? len - n : cap - k - 1; /* cut when it grew past cap */
    memmove(msg + k, msg + n, tail);
    memcpy(msg, shown, k);
    msg[k + tail] = 0;
    return msg;
}

static void on_signal(int sig) { (void)sig; stop_flag = 1; }

static void serve_usage(FILE *f) {
    fprintf(f, "usage: %s serve [--db PATH] [--bind ADDR] [--port N] [--allow-host NAME]... [--review] [-q]\n"
               "  serves a read-only web report of the ledger (default 127.0.0.1:8080)\n"
               "  --db PATH          the ledger (default $TALLY_DB, else ./tally.db)\n"
               "  --bind ADDR        an IPv4 or IPv6 literal (default 127.0.0.1)\n"
               "  --port N           0 to 65535 (default 8080; 0: any free port)\n"
               "  --allow-host NAME  accept requests for Host NAME too (besides the bound\n"
               "                     address, and localhost on loopback); up to 16\n"
               "  --review           claim pages take reviews (confirm, reject, correct; loopback\n"
               "                     only; every form carries the token printed at start)\n"
               "  -q, --quiet        no request log on stderr\n", prog);
}

#define MAX_HOSTS 16

int tally_cli_serve(int argc, char **argv) {
    tally_server_options opt = {0};
    const char *hosts[MAX_HOSTS];
    opt.db = tally_ledger_default_path();
    opt.bind = "127.0.0.1";
    opt.port = 8080;
    opt.allow_hosts = hosts;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { serve_usage(stdout); return EXIT_OK; }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) { opt.quiet = 1; continue; }
        if (!strcmp(a, "--review")) { opt.review = 1; continue; }
        if (!strcmp(a, "--db") || !strcmp(a, "--bind") || !strcmp(a, "--port") || !strcmp(a, "--allow-host")) {
            if (i + 1 >= argc) { fprintf(stderr, "%s: serve: %s needs a value\n", prog, a); return EXIT_USAGE; }
            const char *v = argv[++i];
            if (!strcmp(a, "--db")) opt.db = v;
            else if (!strcmp(a, "--bind")) opt.bind = v;
            else if (!strcmp(a, "--allow-host")) {
                if (!*v || strpbrk(v, ":/[] \t") || opt.n_allow_hosts == MAX_HOSTS) {
                    tly_buf m;
                    fprintf(stderr, "%s: serve: --allow-host wants a host name (at most %d), not '%s'\n", prog,
                            MAX_HOSTS, tally_cli_clean(&m, v));
                    tly_buf_free(&m);
                    return EXIT_USAGE;
                }
                hosts[opt.n_allow_hosts++] = v;
            } else {
                unsigned long long p;
                if (tally_cli_number("serve", "--port", v, 0, 65535, &p)) return EXIT_USAGE;
                opt.port = (unsigned)p;
            }
            continue;
        }
        tly_buf m;
        fprintf(stderr, "%s: serve: unexpected argument '%s'\n", prog, tally_cli_clean(&m, a));
        tly_buf_free(&m);
        serve_usage(stderr);
        return EXIT_USAGE;
    }
    char db_shown[512]; /* the path as messages show it: no password (tally_ledger_path_shown) */
    tally_ledger_path_shown(opt.db, db_shown, sizeof db_shown);
    if (strncmp(opt.db, "postgres", 8) && access(opt.db, R_OK) != 0) { /* a file, not a postgresql: ledger */
        tly_buf m;
        fprintf(stderr, "%s: serve: %s: no readable database\n", prog, tally_cli_clean(&m, db_shown));
        tly_buf_free(&m);
        return EXIT_FATAL;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    char err[1024], note[512], token[40] = "";
    opt.note = note;
    opt.note_len = sizeof note;
    opt.token = token;
    opt.token_len = sizeof token;
    tally_server *s = tally_server_start(&opt, err, sizeof err);
    if (!s) {
        tly_buf m;
        fprintf(stderr, "%s: serve: %s\n", prog, tally_cli_clean(&m, with_shown_path(err, sizeof err, opt.db, db_shown)));
        tly_buf_free(&m);
        return EXIT_FATAL;
    }
    if (note[0]) {
        tly_buf m;
        fprintf(stderr, "%s: serve: %s\n", prog, tally_cli_clean(&m, with_shown_path(note, sizeof note, opt.db, db_shown)));
        tly_buf_free(&m);
    }
    int v6 = strchr(opt.bind, ':') != NULL;
    printf("serving http://%s%s%s:%u/\n", v6 ? "[" : "", opt.bind, v6 ? "]" : "", tally_server_port(s));
    if (token[0]) printf("review token: %s\n", token);
    if (tally_cli_flush()) { tally_server_stop(s); return EXIT_FATAL; }
    while (!stop_flag) pause();
    tally_server_stop(s);
    return EXIT_OK;
}
