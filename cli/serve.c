/* serve.c -- `tally serve [--db PATH] [--bind ADDR] [--port N] [-q]`:
 * serves the read-only web report of a ledger until SIGINT or SIGTERM.
 * Prints "serving http://ADDR:PORT/" on stdout once listening (--port 0
 * picks a free port). See docs/server.md. */
#include "cli.h"
#include "serve.h"
#include "tally_ledger.h"
#include "../server/server.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig) { (void)sig; stop_flag = 1; }

static void serve_usage(FILE *f) {
    fprintf(f, "usage: %s serve [--db PATH] [--bind ADDR] [--port N] [-q]\n"
               "  serves a read-only web report of the ledger (default 127.0.0.1:8080)\n", prog);
}

int tally_cli_serve(int argc, char **argv) {
    tally_server_options opt = {0};
    opt.db = tally_ledger_default_path();
    opt.bind = "127.0.0.1";
    opt.port = 8080;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { serve_usage(stdout); return EXIT_OK; }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) { opt.quiet = 1; continue; }
        if ((!strcmp(a, "--db") || !strcmp(a, "--bind") || !strcmp(a, "--port")) && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(a, "--db")) opt.db = v;
            else if (!strcmp(a, "--bind")) opt.bind = v;
            else {
                char *end;
                long p = strtol(v, &end, 10);
                if (!*v || *end || p < 0 || p > 65535) {
                    fprintf(stderr, "%s: serve: --port: not a port: %s\n", prog, v);
                    return EXIT_USAGE;
                }
                opt.port = (unsigned)p;
            }
            continue;
        }
        fprintf(stderr, "%s: serve: unexpected argument '%s'\n", prog, a);
        serve_usage(stderr);
        return EXIT_USAGE;
    }
    if (access(opt.db, R_OK) != 0) {
        fprintf(stderr, "%s: serve: %s: no readable database\n", prog, opt.db);
        return EXIT_FATAL;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    char err[512];
    tally_server *s = tally_server_start(&opt, err, sizeof err);
    if (!s) { fprintf(stderr, "%s: serve: %s\n", prog, err); return EXIT_FATAL; }
    int v6 = strchr(opt.bind, ':') != NULL;
    printf("serving http://%s%s%s:%u/\n", v6 ? "[" : "", opt.bind, v6 ? "]" : "", tally_server_port(s));
    fflush(stdout);
    while (!stop_flag) pause();
    tally_server_stop(s);
    return EXIT_OK;
}
