/* server.c -- `tally serve`: a read-only web report over a tally ledger.
 *
 * One libmicrohttpd polling thread answers every request, so the one ledger
 * handle (opened read-only through include/tally_ledger.h: the server knows
 * no SQL) is used by one thread only.
 * Routes (docs/server.md): the pages /, /incidents, /incidents/ID,
 * /claims/ID, /documents/ID, /search are the embedded index.html (the page
 * script fetches the JSON); /assets/NAME are the embedded files; /api/...
 * is JSON. Nothing is read from the file system after start. Every string
 * of the database is JSON-escaped, with <, > and & as \u escapes, and the
 * pages set it as text (never as markup); a Content-Security-Policy forbids
 * inline and foreign scripts besides. */
#include "server.h"

#include "tally_ledger.h"
#include "util/buf.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_URL 1024            /* longer paths: 414 */
#define MAX_QUERY 256           /* longer ?q=: 400 */
#define QUERY_MS 2000           /* a report running longer is interrupted: 503 */
#define CONN_TIMEOUT_S 10       /* idle connection closed after this */
#define CONN_LIMIT 64
#define CONN_MEMORY (32 * 1024) /* per-connection buffer: caps header size */

struct tally_server {
    struct MHD_Daemon *d;
    tally_ledger *l; /* read-only; used by the one polling thread */
    unsigned port;
    int quiet;
    char err[256];
};

/* ------------------------------------------------------------ queries */
enum { Q_OK = 0, Q_ERR = 1, Q_TIMEOUT = 2, Q_NONE = 3 };

/* Every string of the database is written HTML-safe (TLY_JSON_HTML): <, >,
 * &, ' and U+2028/U+2029 as \u escapes, invalid UTF-8 as \ufffd. */
#define JSON_FLAGS (TLY_JSON_HTML | TLY_JSON_REAL_G10)

static void put_jstr(tly_buf *b, const char *s) {
    if (s) tly_json_str(b, s, strlen(s), JSON_FLAGS);
    else tly_buf_puts(b, "null");
}

typedef struct rows_out { tly_buf *b; size_t n; int single; } rows_out;

static int put_row(void *ctx, const tally_ledger_row *row) {
    rows_out *o = ctx;
    if (o->n++) tly_buf_putc(o->b, ',');
    tly_json_row(o->b, row, JSON_FLAGS, NULL);
    return o->single; /* one row is enough */
}

/* Writes the rows of report r: a JSON array, or with single the first row
 * as an object (Q_NONE when there is none). */
static int emit_report(tally_server *s, tly_buf *b, tally_ledger_report r, const char *text, int64_t id, int single) {
    rows_out o = {b, 0, single};
    tally_error err;
    if (!single) tly_buf_putc(b, '[');
    tally_status st = tally_ledger_report_rows(s->l, r, id, text, put_row, &o, &err);
    if (!single) tly_buf_putc(b, ']');
    if (st && !(single && o.n && !strcmp(err.message, "stopped"))) {
        snprintf(s->err, sizeof s->err, "%s", err.message);
        return st == TALLY_ERR_LIMIT ? Q_TIMEOUT : Q_ERR;
    }
    return single && !o.n ? Q_NONE : Q_OK;
}

/* 1 when report r (of one id) has a row. */
static int has_row(tally_server *s, tally_ledger_report r, int64_t id) {
    tly_buf b;
    tly_buf_init(&b, NULL);
    int rc = emit_report(s, &b, r, NULL, id, 1);
    tly_buf_free(&b);
    return rc == Q_OK;
}

/* ------------------------------------------------------------ the API */
typedef struct reply { int status; tly_buf body; const char *type; } reply;

static void api_error(reply *r, int status, const char *msg) {
    r->status = status;
    r->body.len = 0;
    tly_buf_puts(&r->body, "{\"error\":");
    put_jstr(&r->body, msg);
    tly_buf_puts(&r->body, "}");
}

/* Runs the parts of one object: {"name": query, ...}. A part with single
 * set that finds no row makes the whole reply a 404. */
typedef struct part { const char *name; tally_ledger_report report; int single; } part;

static void api_object(tally_server *s, reply *r, const part *parts, size_t np, const char *text, int64_t id) {
    tly_buf_puts(&r->body, "{");
    for (size_t i = 0; i < np; i++) {
        if (i) tly_buf_puts(&r->body, ",");
        put_jstr(&r->body, parts[i].name);
        tly_buf_puts(&r->body, ":");
        int rc = emit_report(s, &r->body, parts[i].report, text, id, parts[i].single);
        if (rc == Q_NONE) { api_error(r, 404, "not found"); return; }
        if (rc == Q_TIMEOUT) { api_error(r, 503, "query took too long"); return; }
        if (rc == Q_ERR) {
            if (text) api_error(r, 400, s->err);  /* a malformed FTS query */
            else api_error(r, 500, s->err);
            return;
        }
    }
    tly_buf_puts(&r->body, "}");
    r->status = 200;
}

/* "123" -> 123; anything else (empty, signs, leading zeros, too long) -> -1 */
static int64_t parse_id(const char *p) {
    if (!*p || strlen(p) > 15 || (p[0] == '0' && p[1])) return -1;
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* A path "/prefix/ID" -> ID, else -1 (0 when the path is exactly prefix). */
static int64_t route_id(const char *url, const char *prefix) {
    size_t n = strlen(prefix);
    if (strncmp(url, prefix, n) != 0) return -1;
    if (url[n] == 0) return 0;
    if (url[n] != '/') return -1;
    int64_t id = parse_id(url + n + 1);
    return id > 0 ? id : -2;
}

static void handle_api(tally_server *s, reply *r, const char *path, const char *q) {
    int64_t id;
    r->type = "application/json; charset=utf-8";
    if (!strcmp(path, "/overview")) {
        static const part p[] = {{"counts", TALLY_LEDGER_REPORT_COUNTS, 1},
                                 {"documents", TALLY_LEDGER_REPORT_DOCUMENTS, 0},
                                 {"claimants", TALLY_LEDGER_REPORT_CLAIMANTS, 0},
                                 {"incidents", TALLY_LEDGER_REPORT_BOUNDS, 0}};
        api_object(s, r, p, 4, NULL, 0);
    } else if (!strcmp(path, "/timeline")) {
        static const part p[] = {{"points", TALLY_LEDGER_REPORT_TIMELINE, 0}};
        api_object(s, r, p, 1, NULL, 0);
    } else if ((id = route_id(path, "/incidents")) == 0) {
        static const part p[] = {{"bounds", TALLY_LEDGER_REPORT_BOUNDS, 0}};
        api_object(s, r, p, 1, NULL, 0);
    } else if (id > 0) {
        static const part p[] = {{"incident", TALLY_LEDGER_REPORT_INCIDENT, 1},
                                 {"bounds", TALLY_LEDGER_REPORT_INCIDENT_BOUNDS, 0},
                                 {"claims", TALLY_LEDGER_REPORT_INCIDENT_CLAIMS, 0}};
        api_object(s, r, p, 3, NULL, id);
    } else if ((id = route_id(path, "/claims")) > 0) {
        static const part p[] = {{"claim", TALLY_LEDGER_REPORT_CLAIM, 1},
                                 {"document", TALLY_LEDGER_REPORT_CLAIM_DOCUMENT, 1},
                                 {"series", TALLY_LEDGER_REPORT_CLAIM_SERIES, 0}};
        api_object(s, r, p, 3, NULL, id);
    } else if ((id = route_id(path, "/documents")) > 0) {
        static const part p[] = {{"document", TALLY_LEDGER_REPORT_DOCUMENT, 1},
                                 {"claims", TALLY_LEDGER_REPORT_DOCUMENT_CLAIMS, 0}};
        api_object(s, r, p, 2, NULL, id);
    } else if (!strcmp(path, "/search")) {
        if (!q || !*q) { api_error(r, 400, "missing q"); return; }
        if (strlen(q) > MAX_QUERY) { api_error(r, 400, "q too long"); return; }
        tly_buf_puts(&r->body, "{\"q\":");
        put_jstr(&r->body, q);
        tly_buf_puts(&r->body, ",\"results\":");
        int rc = emit_report(s, &r->body, TALLY_LEDGER_REPORT_SEARCH, q, 0, 0);
        if (rc == Q_TIMEOUT) api_error(r, 503, "query took too long");
        else if (rc != Q_OK) api_error(r, 400, s->err); /* a malformed FTS5 query */
        else { tly_buf_puts(&r->body, "}"); r->status = 200; }
    } else {
        api_error(r, 404, "no such route");
    }
}

/* ------------------------------------------------------------ pages and assets */
static const tally_asset *asset(const char *name) {
    for (const tally_asset *a = tally_server_assets; a->name; a++)
        if (!strcmp(a->name, name)) return a;
    return NULL;
}

static const char *mime(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (!strcmp(dot, ".html")) return "text/html; charset=utf-8";
    if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
    if (!strcmp(dot, ".js") || !strcmp(dot, ".mjs")) return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".json")) return "application/json; charset=utf-8";
    if (!strcmp(dot, ".svg")) return "image/svg+xml";
    if (!strcmp(dot, ".png")) return "image/png";
    return "application/octet-stream";
}

/* 1: a page route (index.html); with an ID, *exists tells whether it is in the database. */
static int page_route(tally_server *s, const char *url, int *exists) {
    *exists = 1;
    if (!strcmp(url, "/") || !strcmp(url, "/index.html") || !strcmp(url, "/search")) return 1;
    static const struct { const char *prefix; tally_ledger_report report; } ids[] = {
        {"/incidents", TALLY_LEDGER_REPORT_INCIDENT},
        {"/claims", TALLY_LEDGER_REPORT_CLAIM},
        {"/documents", TALLY_LEDGER_REPORT_DOCUMENT}};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        int64_t id = route_id(url, ids[i].prefix);
        if (id == -1) continue;
        if (id == 0) { if (i == 0) return 1; continue; } /* /incidents is a page, /claims is not */
        *exists = id > 0 && has_row(s, ids[i].report, id);
        return 1;
    }
    return 0;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, int status, const char *type,
                                  const void *data, size_t len, int copy) {
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, (void *)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(resp, "Allow", "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static const char NOT_FOUND[] = "not found\n";

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls) {
    tally_server *s = cls;
    (void)version; (void)upload_data;
    int get = !strcmp(method, MHD_HTTP_METHOD_GET), head = !strcmp(method, MHD_HTTP_METHOD_HEAD);
    if (!get && !head) {
        static const char msg[] = "method not allowed\n";
        *upload_data_size = 0;
        return send_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", msg, sizeof msg - 1, 0);
    }
    if (*upload_data_size) { /* a GET with a body */
        static const char msg[] = "bad request\n";
        *upload_data_size = 0;
        return send_reply(c, MHD_HTTP_BAD_REQUEST, "text/plain; charset=utf-8", msg, sizeof msg - 1, 0);
    }
    (void)con_cls;
    int status;
    enum MHD_Result ret;
    if (!url || url[0] != '/' || strlen(url) > MAX_URL) {
        static const char msg[] = "bad request\n";
        status = MHD_HTTP_BAD_REQUEST;
        ret = send_reply(c, status, "text/plain; charset=utf-8", msg, sizeof msg - 1, 0);
    } else if (!strncmp(url, "/api/", 5)) {
        reply r = {500, {0}, "application/json; charset=utf-8"};
        tly_buf_init(&r.body, NULL);
        const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
        handle_api(s, &r, url + 4, q);
        if (r.body.failed) {
            static const char msg[] = "{\"error\":\"out of memory\"}";
            status = 500;
            ret = send_reply(c, status, r.type, msg, sizeof msg - 1, 0);
        } else {
            status = r.status;
            ret = send_reply(c, status, r.type, r.body.data ? r.body.data : "", r.body.len, 1);
        }
        tly_buf_free(&r.body);
    } else if (!strncmp(url, "/assets/", 8) && asset(url + 8)) {
        const tally_asset *a = asset(url + 8);
        status = 200;
        ret = send_reply(c, status, mime(a->name), a->data, a->len, 0);
    } else {
        int exists;
        const tally_asset *index = asset("index.html");
        if (page_route(s, url, &exists) && index) {
            status = exists ? 200 : 404;
            ret = send_reply(c, status, "text/html; charset=utf-8", index->data, index->len, 0);
        } else {
            status = 404;
            ret = send_reply(c, status, "text/plain; charset=utf-8", NOT_FOUND, sizeof NOT_FOUND - 1, 0);
        }
    }
    if (!s->quiet) fprintf(stderr, "%s %s %d\n", method, url ? url : "-", status);
    return ret;
}

/* ------------------------------------------------------------ start and stop */
tally_server *tally_server_start(const tally_server_options *opt, char *err, size_t errlen) {
    tally_server *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "out of memory"); return NULL; }
    s->quiet = opt->quiet;
    tally_error e;
    tally_ledger_options lo = {.flags = TALLY_LEDGER_READONLY, .query_timeout_ms = QUERY_MS};
    if (tally_ledger_open(opt->db, &lo, &s->l, &e) != TALLY_OK) {
        snprintf(err, errlen, "%s: %s", opt->db, e.message);
        goto fail;
    }

    const char *bind = opt->bind ? opt->bind : "127.0.0.1";
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    if (inet_pton(AF_INET, bind, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)opt->port);
        sa = (struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, bind, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)opt->port);
        sa = (struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, errlen, "--bind: not an IP address: %s", bind);
        goto fail;
    }
    s->d = MHD_start_daemon(flags, (uint16_t)opt->port, NULL, NULL, handler, s,
                            MHD_OPTION_SOCK_ADDR, sa,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT_S,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
                            MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errlen, "cannot listen on %s port %u", bind, opt->port);
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : opt->port;
    return s;
fail:
    tally_ledger_close(s->l);
    free(s);
    return NULL;
}

unsigned tally_server_port(const tally_server *s) { return s->port; }

void tally_server_stop(tally_server *s) {
    if (!s) return;
    if (s->d) MHD_stop_daemon(s->d);
    tally_ledger_close(s->l);
    free(s);
}
