/* server.h -- the read-only web report of a tally ledger (`tally serve`):
 * an HTTP server (libmicrohttpd) with a JSON API over the database and the
 * embedded static pages (server/assets/). See docs/server.md. */
#ifndef TALLY_SERVER_H
#define TALLY_SERVER_H
#include <stddef.h>

typedef struct tally_server_options {
    const char *db;        /* database path (opened read-only) */
    const char *bind;      /* IPv4 or IPv6 literal; NULL: 127.0.0.1 */
    unsigned port;         /* 0: any free port (printed on start) */
    int quiet;             /* no access log on stderr */
    const char *const *allow_hosts; /* Host names accepted besides the bound address */
    size_t n_allow_hosts;  /* (at most 16 are kept) */
    char *note;            /* when not NULL: a note for the user (note_len bytes), */
    size_t note_len;       /* e.g. that the database was opened immutable; "" if none */
    int review;            /* --review: claim pages take reviews (POST, a token; loopback only) */
    char *token;           /* when not NULL: receives the review token (token_len bytes) */
    size_t token_len;
} tally_server_options;

typedef struct tally_server tally_server;

/* Starts the server; on failure returns NULL and writes a message into
 * err (size errlen). */
tally_server *tally_server_start(const tally_server_options *opt, char *err, size_t errlen);
/* The port actually bound. */
unsigned tally_server_port(const tally_server *s);
void tally_server_stop(tally_server *s);

/* The embedded assets (generated from server/assets/ by tools/embed_assets.c). */
typedef struct { const char *name; const char *data; size_t len; } tally_asset; /* made by tools/embed.c */
extern const tally_asset tally_server_assets[];
#endif
