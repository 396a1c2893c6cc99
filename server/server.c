/* server.c -- `tally serve`: a read-only web report over a tally ledger.
 *
 * One libmicrohttpd polling thread answers every request, so the one SQLite
 * connection (opened read-only, query_only) is used by one thread only.
 * Routes (docs/server.md): the pages /, /incidents, /incidents/ID,
 * /claims/ID, /documents/ID, /search are the embedded index.html (the page
 * script fetches the JSON); /assets/NAME are the embedded files; /api/...
 * is JSON. Nothing is read from the file system after start. Every string
 * of the database is JSON-escaped, with <, > and & as \u escapes, and the
 * pages set it as text (never as markup); a Content-Security-Policy forbids
 * inline and foreign scripts besides. */
#include "server.h"

#include <microhttpd.h>
#include <sqlite3.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_URL 1024            /* longer paths: 414 */
#define MAX_QUERY 256           /* longer ?q=: 400 */
#define QUERY_MS 2000           /* a query running longer is interrupted: 503 */
#define CONN_TIMEOUT_S 10       /* idle connection closed after this */
#define CONN_LIMIT 64
#define CONN_MEMORY (32 * 1024) /* per-connection buffer: caps header size */

struct tally_server {
    struct MHD_Daemon *d;
    sqlite3 *db;
    unsigned port;
    int quiet;
    struct timespec deadline;
    char err[256];
};

/* ------------------------------------------------------------ buffer */
typedef struct sb { char *p; size_t n, cap; int oom; } sb;

static void sb_put(sb *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { b->oom = 1; return; }
        b->p = p; b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void sb_puts(sb *b, const char *s) { sb_put(b, s, strlen(s)); }
static void sb_printf(sb *b, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    sb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A JSON string. Control characters, quotes, backslash, and also <, >, &,
 * ' and U+2028/U+2029 are \u-escaped, so the JSON is inert even if a
 * browser were to sniff it as HTML or script. Invalid UTF-8 bytes become
 * U+FFFD. */
static void sb_jstr(sb *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    sb_put(b, "\"", 1);
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned c = u[i];
        size_t len = 1;
        int esc = 0;
        if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == '\'' || c == 0x7f) esc = 1;
        else if (c >= 0x80) {
            len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
            int ok = len >= 2 && c <= 0xf4 && i + len <= n && !(c == 0xc0 || c == 0xc1);
            for (size_t k = 1; ok && k < len; k++) if ((u[i + k] & 0xc0) != 0x80) ok = 0;
            if (ok && len == 3 && c == 0xe0 && u[i + 1] < 0xa0) ok = 0;
            if (ok && len == 3 && c == 0xed && u[i + 1] >= 0xa0) ok = 0;
            if (ok && len == 4 && c == 0xf0 && u[i + 1] < 0x90) ok = 0;
            if (ok && len == 4 && c == 0xf4 && u[i + 1] >= 0x90) ok = 0;
            if (!ok) esc = 2, len = 1;
            else if (len == 3 && c == 0xe2 && u[i + 1] == 0x80 && (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)) esc = 3;
        }
        if (!esc) { run += len; i += len; continue; }
        sb_put(b, s + i - run, run);
        run = 0;
        if (esc == 2) sb_puts(b, "\\ufffd");
        else if (esc == 3) sb_puts(b, u[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
        else if (c == '"') sb_puts(b, "\\\"");
        else if (c == '\\') sb_puts(b, "\\\\");
        else if (c == '\n') sb_puts(b, "\\n");
        else if (c == '\t') sb_puts(b, "\\t");
        else if (c == '\r') sb_puts(b, "\\r");
        else {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sb_put(b, e, 6);
        }
        i += len;
    }
    sb_put(b, s + i - run, run);
    sb_put(b, "\"", 1);
}
static void sb_jstrz(sb *b, const char *s) { if (s) sb_jstr(b, s, strlen(s)); else sb_puts(b, "null"); }

/* ------------------------------------------------------------ queries */
enum { Q_OK = 0, Q_ERR = 1, Q_TIMEOUT = 2, Q_NONE = 3 };

static int progress(void *ctx) {
    tally_server *s = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > s->deadline.tv_sec ||
           (now.tv_sec == s->deadline.tv_sec && now.tv_nsec > s->deadline.tv_nsec);
}

static void arm_deadline(tally_server *s) {
    clock_gettime(CLOCK_MONOTONIC, &s->deadline);
    s->deadline.tv_sec += QUERY_MS / 1000;
    s->deadline.tv_nsec += (long)(QUERY_MS % 1000) * 1000000L;
    if (s->deadline.tv_nsec >= 1000000000L) { s->deadline.tv_sec++; s->deadline.tv_nsec -= 1000000000L; }
}

static void emit_row(sb *b, sqlite3_stmt *st) {
    int nc = sqlite3_column_count(st);
    sb_put(b, "{", 1);
    for (int i = 0; i < nc; i++) {
        if (i) sb_put(b, ",", 1);
        sb_jstrz(b, sqlite3_column_name(st, i));
        sb_put(b, ":", 1);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER: sb_printf(b, "%lld", (long long)sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: sb_printf(b, "%.10g", sqlite3_column_double(st, i)); break;
        case SQLITE_TEXT:
            sb_jstr(b, (const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
            break;
        default: sb_puts(b, "null"); break;
        }
    }
    sb_put(b, "}", 1);
}

/* Runs sql with one optional parameter (text when text != NULL, else the
 * integer id when has_id) and writes its rows: a JSON array, or with
 * single the first row as an object (Q_NONE when there is none). */
static int emit_query(tally_server *s, sb *b, const char *sql, const char *text, int has_id,
                      sqlite3_int64 id, int single) {
    sqlite3_stmt *st = NULL;
    arm_deadline(s);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
        return Q_ERR;
    }
    if (text) sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    else if (has_id) sqlite3_bind_int64(st, 1, id);
    int rc, n = 0;
    if (!single) sb_put(b, "[", 1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++) sb_put(b, ",", 1);
        emit_row(b, st);
        if (single) break;
    }
    if (!single) sb_put(b, "]", 1);
    int ret = Q_OK;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        ret = rc == SQLITE_INTERRUPT ? Q_TIMEOUT : Q_ERR;
        snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
    } else if (single && n == 0) ret = Q_NONE;
    sqlite3_finalize(st);
    return ret;
}

static int count_of(tally_server *s, const char *sql, sqlite3_int64 id) {
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* ------------------------------------------------------------ the API */
#define DOC_COLS "d.id AS document_id, d.doc, d.title, d.source, d.url, d.published, d.reference_date, d.bytes, d.n_claims"

static const char SQL_COUNTS[] =
    "SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM claims) AS claims,"
    " (SELECT count(*) FROM actors WHERE id IN (SELECT claimant_id FROM claims)) AS claimants,"
    " (SELECT count(*) FROM incidents) AS incidents, (SELECT count(*) FROM series) AS series";
static const char SQL_DOCUMENTS[] =
    "SELECT " DOC_COLS " FROM documents d ORDER BY d.published, d.id";
static const char SQL_SOURCES[] =
    "SELECT actor_id, claimant, alignment, role, side, claims, documents, first_day, last_day, aliases"
    " FROM sources_v ORDER BY claims DESC, claimant";
static const char SQL_TIMELINE[] =
    "SELECT t.series_id, t.claimant, t.claimant_alignment, t.outcome, t.victims, t.as_of, t.period_start,"
    " t.value, t.count_low, t.count_high, t.down, t.differs, t.doc, c.document_id, t.place, t.sentence, t.claim_id"
    " FROM timeline_v t JOIN claims c ON c.id = t.claim_id"
    " ORDER BY t.claimant, t.outcome, t.victims, t.as_of, t.claim_id";
#define SQL_BOUNDS \
    "SELECT b.incident_id, b.kind, b.place, b.country, b.lat, b.lon, b.first_day, b.last_day, b.outcome," \
    " b.victims, b.n_claims, b.low, b.low_claimant, b.low_claim_id, b.low_doc, b.best, b.best_claimant," \
    " b.best_claim_id, b.best_doc, b.high, b.high_claimant, b.high_claim_id, b.high_doc, b.high_open," \
    " (SELECT count(DISTINCT c.claimant_id) FROM claims c WHERE c.incident_id = b.incident_id) AS claimants" \
    " FROM incident_bounds_v b"
static const char SQL_INCIDENT[] =
    "SELECT i.id AS incident_id, i.kind, p.name AS place, p.country, p.lat, p.lon, i.first_day, i.last_day,"
    " i.doc_first, i.doc_last, i.n_claims FROM incidents i LEFT JOIN places p ON p.id = i.place_id WHERE i.id = ?";
#define CLAIM_COLS                                                                               \
    "c.id AS claim_id, c.document_id, c.doc, d.title, d.published, c.start, c.end, c.sentence, "    \
    "c.outcome, c.count_low, c.count_high, c.qualifier, c.victims, c.scope, c.place, c.country, "  \
    "c.lat, c.lon, c.place_text, c.date_start, c.date_end, c.date_text, c.claimant, "              \
    "c.claimant_alignment, c.claimant_text, c.perpetrator, c.weapon, c.weapon_name, c.count_text, " \
    "c.count_start, c.count_end, c.first_day, c.last_day, c.incident_id"
static const char SQL_INCIDENT_CLAIMS[] =
    "SELECT " CLAIM_COLS " FROM claims c JOIN documents d ON d.id = c.document_id"
    " WHERE c.incident_id = ? ORDER BY c.outcome, c.victims, c.first_day, c.id";
static const char SQL_CLAIM[] =
    "SELECT " CLAIM_COLS " FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.id = ?";
static const char SQL_CLAIM_DOC[] =
    "SELECT " DOC_COLS ", d.reference_basis, d.text FROM documents d WHERE d.id = (SELECT document_id FROM claims WHERE id = ?)";
static const char SQL_CLAIM_SERIES[] =
    "SELECT t.series_id, t.claimant, t.outcome, t.victims, t.as_of, t.value, t.down, t.differs, t.claim_id"
    " FROM timeline_v t WHERE t.series_id IN (SELECT series_id FROM series_points WHERE claim_id = ?) ORDER BY t.as_of";
static const char SQL_DOC[] =
    "SELECT " DOC_COLS ", d.reference_basis, d.text FROM documents d WHERE d.id = ?";
static const char SQL_DOC_CLAIMS[] =
    "SELECT " CLAIM_COLS " FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.document_id = ? ORDER BY c.seq";
/* snippet() marks hits with U+0002 / U+0003: the page turns those into <mark>
 * elements and sets everything else as text. */
static const char SQL_SEARCH[] =
    "SELECT d.id AS document_id, d.doc, d.title, d.published, d.n_claims,"
    " snippet(documents_fts, 0, char(2), char(3), '\xe2\x80\xa6', 12) AS title_hit,"
    " snippet(documents_fts, 1, char(2), char(3), '\xe2\x80\xa6', 32) AS text_hit"
    " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
    " WHERE documents_fts MATCH ? ORDER BY rank LIMIT 100";

typedef struct reply { int status; sb body; const char *type; } reply;

static void api_error(reply *r, int status, const char *msg) {
    r->status = status;
    r->body.n = 0;
    sb_puts(&r->body, "{\"error\":");
    sb_jstrz(&r->body, msg);
    sb_puts(&r->body, "}");
}

/* Runs the parts of one object: {"name": query, ...}. A part with single
 * set that finds no row makes the whole reply a 404. */
typedef struct part { const char *name; const char *sql; int single; } part;

static void api_object(tally_server *s, reply *r, const part *parts, size_t np, const char *text,
                       int has_id, sqlite3_int64 id) {
    sb_puts(&r->body, "{");
    for (size_t i = 0; i < np; i++) {
        if (i) sb_puts(&r->body, ",");
        sb_jstrz(&r->body, parts[i].name);
        sb_puts(&r->body, ":");
        int rc = emit_query(s, &r->body, parts[i].sql, text, has_id, id, parts[i].single);
        if (rc == Q_NONE) { api_error(r, 404, "not found"); return; }
        if (rc == Q_TIMEOUT) { api_error(r, 503, "query took too long"); return; }
        if (rc == Q_ERR) {
            if (text) api_error(r, 400, s->err);  /* a malformed FTS query */
            else api_error(r, 500, s->err);
            return;
        }
    }
    sb_puts(&r->body, "}");
    r->status = 200;
}

/* "123" -> 123; anything else (empty, signs, leading zeros, too long) -> -1 */
static sqlite3_int64 parse_id(const char *p) {
    if (!*p || strlen(p) > 15 || (p[0] == '0' && p[1])) return -1;
    sqlite3_int64 v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* A path "/prefix/ID" -> ID, else -1 (0 when the path is exactly prefix). */
static sqlite3_int64 route_id(const char *url, const char *prefix) {
    size_t n = strlen(prefix);
    if (strncmp(url, prefix, n) != 0) return -1;
    if (url[n] == 0) return 0;
    if (url[n] != '/') return -1;
    sqlite3_int64 id = parse_id(url + n + 1);
    return id > 0 ? id : -2;
}

static void handle_api(tally_server *s, reply *r, const char *path, const char *q) {
    sqlite3_int64 id;
    r->type = "application/json; charset=utf-8";
    if (!strcmp(path, "/overview")) {
        static const part p[] = {{"counts", SQL_COUNTS, 1}, {"documents", SQL_DOCUMENTS, 0},
                                 {"claimants", SQL_SOURCES, 0},
                                 {"incidents", SQL_BOUNDS " ORDER BY b.place, b.first_day, b.incident_id, b.outcome, b.victims", 0}};
        api_object(s, r, p, 4, NULL, 0, 0);
    } else if (!strcmp(path, "/timeline")) {
        static const part p[] = {{"points", SQL_TIMELINE, 0}};
        api_object(s, r, p, 1, NULL, 0, 0);
    } else if ((id = route_id(path, "/incidents")) == 0) {
        static const part p[] = {{"bounds", SQL_BOUNDS " ORDER BY b.place, b.first_day, b.incident_id, b.outcome, b.victims", 0}};
        api_object(s, r, p, 1, NULL, 0, 0);
    } else if (id > 0) {
        static const part p[] = {{"incident", SQL_INCIDENT, 1},
                                 {"bounds", SQL_BOUNDS " WHERE b.incident_id = ? ORDER BY b.outcome, b.victims", 0},
                                 {"claims", SQL_INCIDENT_CLAIMS, 0}};
        api_object(s, r, p, 3, NULL, 1, id);
    } else if ((id = route_id(path, "/claims")) > 0) {
        static const part p[] = {{"claim", SQL_CLAIM, 1}, {"document", SQL_CLAIM_DOC, 1},
                                 {"series", SQL_CLAIM_SERIES, 0}};
        api_object(s, r, p, 3, NULL, 1, id);
    } else if ((id = route_id(path, "/documents")) > 0) {
        static const part p[] = {{"document", SQL_DOC, 1}, {"claims", SQL_DOC_CLAIMS, 0}};
        api_object(s, r, p, 2, NULL, 1, id);
    } else if (!strcmp(path, "/search")) {
        if (!q || !*q) { api_error(r, 400, "missing q"); return; }
        if (strlen(q) > MAX_QUERY) { api_error(r, 400, "q too long"); return; }
        sb_puts(&r->body, "{\"q\":");
        sb_jstrz(&r->body, q);
        sb_puts(&r->body, ",\"results\":");
        int rc = emit_query(s, &r->body, SQL_SEARCH, q, 0, 0, 0);
        if (rc == Q_TIMEOUT) api_error(r, 503, "query took too long");
        else if (rc != Q_OK) api_error(r, 400, s->err); /* a malformed FTS5 query */
        else { sb_puts(&r->body, "}"); r->status = 200; }
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
    static const struct { const char *prefix, *sql; } ids[] = {
        {"/incidents", "SELECT count(*) FROM incidents WHERE id = ?"},
        {"/claims", "SELECT count(*) FROM claims WHERE id = ?"},
        {"/documents", "SELECT count(*) FROM documents WHERE id = ?"}};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        sqlite3_int64 id = route_id(url, ids[i].prefix);
        if (id == -1) continue;
        if (id == 0) { if (i == 0) return 1; continue; } /* /incidents is a page, /claims is not */
        *exists = id > 0 && count_of(s, ids[i].sql, id) > 0;
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
        const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
        handle_api(s, &r, url + 4, q);
        if (r.body.oom) {
            static const char msg[] = "{\"error\":\"out of memory\"}";
            status = 500;
            ret = send_reply(c, status, r.type, msg, sizeof msg - 1, 0);
        } else {
            status = r.status;
            ret = send_reply(c, status, r.type, r.body.p ? r.body.p : "", r.body.n, 1);
        }
        free(r.body.p);
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
    const char *path = opt->db;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_exec(s->db, "PRAGMA query_only = 1", NULL, NULL, NULL);
    {
        sqlite3_stmt *st = NULL;
        int version = -1;
        if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        else
            snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        if (version < 0) goto fail;
        if (version != 1) {
            snprintf(err, errlen, "%s: not a tally database of schema version 1 (version %d)", path, version);
            goto fail;
        }
    }
    sqlite3_progress_handler(s->db, 1000, progress, s);

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
    if (s->db) sqlite3_close(s->db);
    free(s);
    return NULL;
}

unsigned tally_server_port(const tally_server *s) { return s->port; }

void tally_server_stop(tally_server *s) {
    if (!s) return;
    if (s->d) MHD_stop_daemon(s->d);
    sqlite3_close(s->db);
    free(s);
}
