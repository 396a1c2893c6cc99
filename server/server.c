/* server.c -- `tally serve`: a read-only web report over a tally ledger.
 *
 * libmicrohttpd runs a thread per connection (at most CONN_LIMIT); the
 * ledger is HANDLES read-only handles (include/tally_ledger.h: the server
 * knows no SQL), each used by one request at a time, one kept for the cheap
 * requests. A watchdog thread holds every connection to absolute deadlines
 * (request head, answer), and a new connection past CONN_SOFT closes the
 * oldest ones still waiting for a request: slow or idle clients cannot
 * starve the others. Lists are paged; the answers not yet sent are bounded
 * together (INFLIGHT_MAX). docs/server.md, "Safety and limits".
 * Routes (docs/server.md): the pages /, /incidents, /incidents/ID,
 * /claims/ID, /documents/ID, /search are the embedded index.html (the page
 * script fetches the JSON); /assets/NAME are the embedded files; /api/...
 * is JSON. Nothing is read from the file system after start. Every string
 * of the database is JSON-escaped, with <, > and & as \u escapes, and the
 * pages set it as text (never as markup); a Content-Security-Policy forbids
 * inline and foreign scripts besides. */
#include "server.h"
#include "pages.h"

#include "tally_ledger.h"
#include "util/buf.h"
#include "util/sanitize.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_URL 1024            /* longer request targets: 414 */
#define MAX_ARGS 16             /* more query arguments: 400 */
#define MAX_QUERY 256           /* longer ?q=: 400 */
#define QUERY_MS 2000           /* a request's reports running longer are interrupted: 503 */
#define HEAD_MS 5000            /* a request line and headers must be in within this (absolute) */
#define REQUEST_MS 20000        /* an answer must be out within this of its request (absolute) */
#define IDLE_S 10               /* libmicrohttpd's own per-activity timeout, a backstop */
#define CONN_LIMIT 256          /* connections (and per address): refused past it */
#define CONN_SOFT 192           /* past it, the oldest connections waiting for a request are closed */
#define CONN_MEMORY (32 * 1024) /* per-connection buffer: caps header size */
#define HANDLES 4               /* ledger handles: up to 4 requests at once, one kept for cheap ones */
#define QUEUE_MS 3000           /* longest wait for a ledger handle: 503 past it */
#define PAGE_DEFAULT 500        /* rows of a list per page */
#define PAGE_MAX 1000
#define PAGE_LAST 1000000       /* highest page number */
#define INFLIGHT_MAX ((size_t)64 << 20) /* API bytes queued and not yet sent: 503 past it */
#define THREAD_STACK ((size_t)1 << 20)
#define LOG_TARGET 300          /* request target bytes kept for the log */
#define MAX_ALLOW_HOSTS 16
#define POST_MAX 4096           /* a review form's body; longer: 413 */

/* One connection, from libmicrohttpd's NOTIFY_STARTED to NOTIFY_CLOSED (the
 * socket is closed after that call, so the watchdog may shut it down while
 * it is listed). since/busy/closing are under the server's mutex; the
 * request fields are the connection thread's own. */
typedef struct conn {
    struct conn *prev, *next;
    int fd;
    int64_t since; /* ms: start of the connection, of its request, or end of its last answer */
    int busy;      /* a request is being answered (its head is in) */
    int closing;   /* shut down by the watchdog or evicted */
    unsigned served; /* requests answered on it */
    size_t bytes;  /* API bytes of its answer counted in inflight */
    /* the request, from the URI callback */
    unsigned bad;
    char target[LOG_TARGET + 4];
    /* a POST's body (--review): being read, its bytes */
    int posting;
    size_t post_len;
    char post[POST_MAX + 1];
} conn;

enum { BAD_LONG = 1, BAD_ARGS = 2, BAD_NUL = 4, BAD_POST = 8 };

struct tally_server {
    struct MHD_Daemon *d;
    tally_ledger *l[HANDLES]; /* read-only; each used by one request at a time */
    int used[HANDLES];
    int nfree;
    int keep;                 /* handles an expensive request leaves free */
    pthread_cond_t freed;
    pthread_mutex_t mu;       /* handles, connections, inflight */
    conn *head, *tail;        /* oldest first */
    size_t live;              /* connections not closing */
    size_t inflight;
    pthread_t watchdog;
    int watching, stopping;
    pthread_cond_t stop;
    unsigned port;
    int quiet;
    /* Host names allowed besides the bound address (--allow-host) */
    char bind[64];
    int bind_any, bind_loopback;
    const char *allow[MAX_ALLOW_HOSTS];
    size_t nallow;
    /* --review: a read-write handle for the reviews (one at a time) and
     * the token every review form carries */
    tally_ledger *rw;
    pthread_mutex_t rw_mu;
    char token[33];
};

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ ledger handles */
/* A cheap request (one id) takes any free handle; an expensive one (a list,
 * a search) only when s->keep others stay free (at most one expensive
 * request per online CPU, and one handle always left): four clients looping
 * searches cannot make /api/claims/1 wait. A request waits at most QUEUE_MS. */
static int acquire(tally_server *s, int expensive) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += QUEUE_MS / 1000;
    until.tv_nsec += (long)(QUEUE_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&s->mu);
    int keep = expensive ? s->keep : 0;
    while (s->nfree <= keep)
        if (pthread_cond_timedwait(&s->freed, &s->mu, &until) != 0) break;
    int h = -1;
    if (s->nfree > keep)
        for (int i = 0; i < HANDLES; i++)
            if (!s->used[i]) { s->used[i] = 1; s->nfree--; h = i; break; }
    pthread_mutex_unlock(&s->mu);
    return h;
}

static void release(tally_server *s, int h) {
    if (h < 0) return;
    pthread_mutex_lock(&s->mu);
    s->used[h] = 0;
    s->nfree++;
    pthread_cond_broadcast(&s->freed);
    pthread_mutex_unlock(&s->mu);
}

/* ------------------------------------------------------------ queries */
enum { Q_OK = 0, Q_ERR = 1, Q_TIMEOUT = 2, Q_NONE = 3 };

/* Every string of the database is written HTML-safe (TLY_JSON_HTML): <, >,
 * &, ' and U+2028/U+2029 as \u escapes, invalid UTF-8 as \ufffd. */
#define JSON_FLAGS (TLY_JSON_HTML | TLY_JSON_REAL_G10)

static void put_jstr(tly_buf *b, const char *s) {
    if (s) tly_json_str(b, s, strlen(s), JSON_FLAGS);
    else tly_buf_puts(b, "null");
}

/* One request's questions: its ledger handle, its page, its time budget. */
typedef struct req {
    tally_server *s;
    tally_ledger *l;
    int64_t t0;
    size_t page, per_page;
    int more; /* a list had rows past this page */
    char err[256];
} req;

typedef struct rows_out { tly_buf *b; size_t n, seen, skip, limit; int single, more; } rows_out;

static int put_row(void *ctx, const tally_ledger_row *row) {
    rows_out *o = ctx;
    if (!o->single) {
        if (o->seen++ < o->skip) return 0;       /* an earlier page */
        if (o->n == o->limit) { o->more = 1; return 1; } /* the next page */
    }
    if (o->n++) tly_buf_putc(o->b, ',');
    tly_json_row(o->b, row, JSON_FLAGS, NULL);
    return o->single; /* one row is enough */
}

/* Writes the rows of report r: a JSON array (the request's page of it), or
 * with single the first row as an object (Q_NONE when there is none). */
static int emit_report(req *q, tly_buf *b, tally_ledger_report r, const char *text, int64_t id, int single) {
    if (now_ms() - q->t0 > QUERY_MS) return Q_TIMEOUT; /* the budget is the request's */
    rows_out o = {b, 0, 0, (q->page - 1) * q->per_page, q->per_page, single, 0};
    tally_error err;
    if (!single) tly_buf_putc(b, '[');
    tally_status st = tally_ledger_report_rows(q->l, r, id, text, put_row, &o, &err);
    if (!single) tly_buf_putc(b, ']');
    if (o.more) q->more = 1;
    if (st && !((o.more || (single && o.n)) && !strcmp(err.message, "stopped"))) {
        snprintf(q->err, sizeof q->err, "%s", err.message);
        return st == TALLY_ERR_LIMIT ? Q_TIMEOUT : Q_ERR;
    }
    return single && !o.n ? Q_NONE : Q_OK;
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

/* The page of every list of an answer: "page", "per_page", and "next" (the
 * next page's number while a list has more rows, else null). */
static void put_page(req *q, tly_buf *b) {
    tly_buf_printf(b, ",\"page\":%zu,\"per_page\":%zu,\"next\":", q->page, q->per_page);
    if (q->more) tly_buf_printf(b, "%zu", q->page + 1);
    else tly_buf_puts(b, "null");
}

/* Maps a report's failure to the reply; 1 when it failed. */
static int report_failed(req *q, reply *r, int rc, int user_text) {
    if (rc == Q_OK) return 0;
    if (rc == Q_NONE) api_error(r, 404, "not found");
    else if (rc == Q_TIMEOUT) api_error(r, 503, "query took too long");
    else api_error(r, user_text ? 400 : 500, q->err); /* 400: a malformed FTS5 query */
    return 1;
}

/* Runs the parts of one object: {"name": query, ..., page}. A part with
 * single set that finds no row makes the whole reply a 404. */
typedef struct part { const char *name; tally_ledger_report report; int single; } part;

static void api_object(req *q, reply *r, const part *parts, size_t np, int64_t id) {
    tly_buf_puts(&r->body, "{");
    for (size_t i = 0; i < np; i++) {
        if (i) tly_buf_puts(&r->body, ",");
        put_jstr(&r->body, parts[i].name);
        tly_buf_puts(&r->body, ":");
        if (report_failed(q, r, emit_report(q, &r->body, parts[i].report, NULL, id, parts[i].single), 0)) return;
    }
    put_page(q, &r->body);
    tly_buf_puts(&r->body, "}");
    r->status = 200;
}

/* "123" -> 123 (at most max); anything else (empty, signs, leading zeros,
 * too long, too large) -> -1 */
static int64_t parse_num(const char *p, int64_t max) {
    if (!*p || strlen(p) > 15 || (p[0] == '0' && p[1])) return -1;
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (*p - '0');
    }
    return v <= max ? v : -1;
}

/* A path "/prefix/ID" -> ID, else -1 (0 when the path is exactly prefix). */
static int64_t route_id(const char *url, const char *prefix) {
    size_t n = strlen(prefix);
    if (strncmp(url, prefix, n) != 0) return -1;
    if (url[n] == 0) return 0;
    if (url[n] != '/') return -1;
    int64_t id = parse_num(url + n + 1, INT64_C(999999999999999));
    return id > 0 ? id : -2;
}

/* 1: the API route is a list or a search over the whole ledger (it waits
 * for a handle while one stays free for the cheap routes of one id). */
static int expensive_route(const char *path) {
    return !strcmp(path, "/overview") || !strcmp(path, "/timeline") || !strcmp(path, "/incidents") ||
           !strcmp(path, "/search");
}

static void handle_api(req *q, reply *r, const char *path, const char *text) {
    int64_t id;
    r->type = "application/json; charset=utf-8";
    if (!strcmp(path, "/overview")) {
        static const part p[] = {{"counts", TALLY_LEDGER_REPORT_COUNTS, 1},
                                 {"documents", TALLY_LEDGER_REPORT_DOCUMENTS, 0},
                                 {"claimants", TALLY_LEDGER_REPORT_CLAIMANTS, 0},
                                 {"incidents", TALLY_LEDGER_REPORT_BOUNDS, 0}};
        api_object(q, r, p, 4, 0);
    } else if (!strcmp(path, "/timeline")) {
        static const part p[] = {{"points", TALLY_LEDGER_REPORT_TIMELINE, 0}};
        api_object(q, r, p, 1, 0);
    } else if ((id = route_id(path, "/incidents")) == 0) {
        static const part p[] = {{"bounds", TALLY_LEDGER_REPORT_BOUNDS, 0}};
        api_object(q, r, p, 1, 0);
    } else if (id > 0) {
        static const part p[] = {{"incident", TALLY_LEDGER_REPORT_INCIDENT, 1},
                                 {"bounds", TALLY_LEDGER_REPORT_INCIDENT_BOUNDS, 0},
                                 {"claims", TALLY_LEDGER_REPORT_INCIDENT_CLAIMS, 0}};
        api_object(q, r, p, 3, id);
    } else if ((id = route_id(path, "/claims")) > 0) {
        static const part p[] = {{"claim", TALLY_LEDGER_REPORT_CLAIM, 1},
                                 {"document", TALLY_LEDGER_REPORT_CLAIM_DOCUMENT, 1},
                                 {"series", TALLY_LEDGER_REPORT_CLAIM_SERIES, 0}};
        api_object(q, r, p, 3, id);
    } else if ((id = route_id(path, "/documents")) > 0) {
        static const part p[] = {{"document", TALLY_LEDGER_REPORT_DOCUMENT, 1},
                                 {"claims", TALLY_LEDGER_REPORT_DOCUMENT_CLAIMS, 0}};
        api_object(q, r, p, 2, id);
    } else if (!strcmp(path, "/search")) {
        if (!text || !*text) { api_error(r, 400, "missing q"); return; }
        if (strlen(text) > MAX_QUERY) { api_error(r, 400, "q too long"); return; }
        tly_buf_puts(&r->body, "{\"q\":");
        put_jstr(&r->body, text);
        tly_buf_puts(&r->body, ",\"results\":");
        if (report_failed(q, r, emit_report(q, &r->body, TALLY_LEDGER_REPORT_SEARCH, text, 0, 0), 1)) return;
        put_page(q, &r->body);
        tly_buf_puts(&r->body, "}");
        r->status = 200;
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

/* A response of data[0..len): kept as it is (static data), or taken over
 * (heap data freed by libmicrohttpd when sent). */
static enum MHD_Result send_reply_as(struct MHD_Connection *c, int status, const char *type, const char *disposition,
                                     const void *data, size_t len, int take) {
    struct MHD_Response *resp =
        take ? MHD_create_response_from_buffer_with_free_callback(len, (void *)data, free)
             : MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (!resp) { if (take) free((void *)data); return MHD_NO; }
    MHD_add_response_header(resp, "Content-Type", type);
    if (disposition) MHD_add_response_header(resp, "Content-Disposition", disposition);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(resp, "Allow", "GET, HEAD");
    if (status == 503) MHD_add_response_header(resp, "Retry-After", "1");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, int status, const char *type, const void *data,
                                  size_t len, int take) {
    return send_reply_as(c, status, type, NULL, data, len, take);
}

static enum MHD_Result send_text(struct MHD_Connection *c, int status, const char *msg) {
    return send_reply(c, status, "text/plain; charset=utf-8", msg, strlen(msg), 0);
}

/* ------------------------------------------------------------ the Host header */
/* DNS rebinding: a web page of evil.example whose name now resolves to
 * 127.0.0.1 sends Host: evil.example. Allowed: an IP literal that is the
 * bound address (any, when bound to a wildcard; any loopback one, when
 * bound to loopback), "localhost" when bound to loopback or a wildcard, and
 * the --allow-host names. No Host (HTTP/1.0) is allowed. */
static int host_ok(const tally_server *s, const char *host) {
    if (!host) return 1;
    char name[256];
    size_t n;
    if (host[0] == '[') {
        const char *e = strchr(host, ']');
        if (!e || (e[1] && e[1] != ':')) return 0;
        n = (size_t)(e - host - 1);
        host++;
    } else {
        n = strcspn(host, ":");
        if (host[n] && strspn(host + n + 1, "0123456789") != strlen(host + n + 1)) return 0;
    }
    if (!n || n >= sizeof name) return 0;
    for (size_t i = 0; i < n; i++) name[i] = (char)tolower((unsigned char)host[i]);
    name[n] = 0;
    for (size_t i = 0; i < s->nallow; i++)
        if (!strcasecmp(name, s->allow[i])) return 1;
    unsigned char a[16], b[16];
    int fa = inet_pton(AF_INET, name, a) == 1 ? AF_INET : inet_pton(AF_INET6, name, a) == 1 ? AF_INET6 : 0;
    if (!fa) return !strcmp(name, "localhost") && (s->bind_loopback || s->bind_any);
    if (s->bind_any) return 1;
    int loop = fa == AF_INET ? a[0] == 127 : !memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
    if (loop && s->bind_loopback) return 1;
    int fb = inet_pton(AF_INET, s->bind, b) == 1 ? AF_INET : AF_INET6;
    if (fb != fa) return 0;
    if (fb == AF_INET6 && inet_pton(AF_INET6, s->bind, b) != 1) return 0;
    return !memcmp(a, b, fa == AF_INET ? 4 : 16);
}

/* ------------------------------------------------------------ connections */
static conn *conn_of(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Shuts a connection's socket (under the mutex): its thread sees the end
 * and libmicrohttpd closes it. */
static void cut(tally_server *s, conn *k) {
    if (k->closing) return;
    k->closing = 1;
    s->live--;
    shutdown(k->fd, SHUT_RDWR);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
    tally_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn *k = calloc(1, sizeof *k);
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!k || !ci) { free(k); return; }
        k->fd = ci->connect_fd;
        k->since = now_ms();
        pthread_mutex_lock(&s->mu);
        k->prev = s->tail;
        if (s->tail) s->tail->next = k; else s->head = k;
        s->tail = k;
        s->live++;
        /* Too many: the oldest connections still waiting for a request go,
         * never one being answered: first those that never sent a whole
         * request (slow or idle clients), then idle keep-alives. */
        for (int pass = 0; pass < 2; pass++)
            for (conn *o = s->head; o && o != k && s->live > CONN_SOFT; o = o->next)
                if (!o->busy && (pass || !o->served)) cut(s, o);
        pthread_mutex_unlock(&s->mu);
        *socket_context = k;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        conn *k = *socket_context;
        if (!k) return;
        pthread_mutex_lock(&s->mu);
        if (k->prev) k->prev->next = k->next; else s->head = k->next;
        if (k->next) k->next->prev = k->prev; else s->tail = k->prev;
        if (!k->closing) s->live--;
        s->inflight -= k->bytes;
        pthread_mutex_unlock(&s->mu);
        free(k);
        *socket_context = NULL;
    }
}

/* Every 100 ms: a connection whose request head is not in HEAD_MS after it
 * started (or after its last answer), or whose answer is not out REQUEST_MS
 * after its head, is shut down. Absolute: a byte a second does not help. */
static void *watchdog(void *arg) {
    tally_server *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        int64_t t = now_ms();
        for (conn *k = s->head; k; k = k->next)
            if (!k->closing && t - k->since > (k->busy ? REQUEST_MS : HEAD_MS)) cut(s, k);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000000L;
        if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
        pthread_cond_timedwait(&s->stop, &s->mu, &until);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* The request target as sent, before libmicrohttpd parses it: too long, too
 * many arguments, or a %00 (which would cut the decoded path: /x/1%00junk
 * read as /x/1) are marked for a 4xx. libmicrohttpd 0.9.75 cannot answer
 * when the argument records overflow the connection's memory (500 arguments
 * in 1 KB: the connection hangs, then closes empty), so the arguments of a
 * marked target are dropped here, in the request line's own buffer, before
 * they are parsed: the handler answers 414 or 400 from the mark. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls;
    conn *k = conn_of(c);
    if (!k) return NULL;
    size_t n = strlen(uri);
    k->bad = 0;
    k->posting = 0;
    k->post_len = 0;
    if (n > MAX_URL) k->bad |= BAD_LONG;
    if (strstr(uri, "%00")) k->bad |= BAD_NUL;
    if (n > LOG_TARGET) snprintf(k->target, sizeof k->target, "%.*s...", LOG_TARGET, uri);
    else memcpy(k->target, uri, n + 1);
    char *args = strchr(uri, '?');
    if (args && args[1]) {
        size_t nargs = 1;
        for (const char *p = args + 1; *p; p++) nargs += *p == '&';
        if (nargs > MAX_ARGS) k->bad |= BAD_ARGS;
        if (k->bad & (BAD_LONG | BAD_ARGS)) args[1] = '\0';
    }
    return k;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
    tally_server *s = cls;
    (void)c; (void)toe;
    conn *k = *con_cls;
    if (!k) return;
    pthread_mutex_lock(&s->mu);
    k->busy = 0;
    k->served++;
    k->since = now_ms();
    s->inflight -= k->bytes;
    k->bytes = 0;
    pthread_mutex_unlock(&s->mu);
}

/* One line a request on stderr: method, target, status, every byte that is
 * not printable as an escape (a %0a cannot forge a line, a %1b cannot reach
 * the terminal). */
static void log_request(const char *method, const char *target, int status) {
    tly_buf b;
    tly_buf_init(&b, NULL);
    tly_sanitize_display(&b, method, strlen(method), TLY_DISPLAY_ESCAPE);
    tly_buf_putc(&b, ' ');
    tly_sanitize_display(&b, target, strlen(target), TLY_DISPLAY_ESCAPE);
    tly_buf_printf(&b, " %d\n", status);
    if (!b.failed) fputs(b.data, stderr);
    tly_buf_free(&b);
}

static int has_body(struct MHD_Connection *c) {
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    return te || (cl && strspn(cl, "0") != strlen(cl));
}

/* ?page=N&per_page=M: -1 when malformed */
static int page_args(struct MHD_Connection *c, req *q) {
    const char *p = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "page");
    const char *pp = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "per_page");
    int64_t v;
    q->page = 1;
    q->per_page = PAGE_DEFAULT;
    if (p) { if ((v = parse_num(p, PAGE_LAST)) < 1) return -1; q->page = (size_t)v; }
    if (pp) { if ((v = parse_num(pp, PAGE_MAX)) < 1) return -1; q->per_page = (size_t)v; }
    return 0;
}

static int answer(tally_server *s, struct MHD_Connection *c, conn *k, const char *url, const char *method,
                  enum MHD_Result *ret) {
    int get = !strcmp(method, MHD_HTTP_METHOD_GET), head = !strcmp(method, MHD_HTTP_METHOD_HEAD);
    if (!get && !head) {
        *ret = send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
        return MHD_HTTP_METHOD_NOT_ALLOWED;
    }
    static const struct { int status; const char *msg; } refusals[] = {
        {414, "URL too long\n"}, {400, "too many query arguments\n"}, {400, "bad request: %00 in the URL\n"},
        {400, "bad request: a GET or HEAD has no body\n"}, {403, "unknown Host (see tally serve --allow-host)\n"},
        {400, "bad request\n"}};
    int refuse = -1;
    unsigned bad = k ? k->bad : 0;
    if (bad & BAD_LONG) refuse = 0;
    else if (bad & BAD_ARGS) refuse = 1;
    else if (bad & BAD_NUL) refuse = 2;
    else if (has_body(c)) refuse = 3;
    else if (!host_ok(s, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST))) refuse = 4;
    else if (!url || url[0] != '/' || strlen(url) > MAX_URL) refuse = 5;
    if (refuse >= 0) {
        *ret = send_text(c, refusals[refuse].status, refusals[refuse].msg);
        return refusals[refuse].status;
    }
    req q = {s, NULL, now_ms(), 1, PAGE_DEFAULT, 0, {0}};
    if (!strncmp(url, "/assets/", 8) && asset(url + 8)) {
        const tally_asset *a = asset(url + 8);
        *ret = send_reply(c, 200, mime(a->name), a->data, a->len, 0);
        return 200;
    }
    /* the pages, the view API and the exports (server/pages.c) take a view */
    int view = tly_pages_route(url);
    int api = !view && !strncmp(url, "/api/", 5);
    if (!api && !view) {
        *ret = send_text(c, 404, "not found\n");
        return 404;
    }
    tly_view v;
    memset(&v, 0, sizeof v);
    if (page_args(c, &q)) {
        if (api || !strncmp(url, "/api/", 5)) {
            static const char msg[] = "{\"error\":\"page and per_page are numbers from 1\"}";
            *ret = send_reply(c, 400, "application/json; charset=utf-8", msg, sizeof msg - 1, 0);
        } else *ret = send_text(c, 400, "bad request: page and per_page are numbers from 1\n");
        return 400;
    }
    if (view) {
#define VIEW_ARG(n) v.n = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, #n);
        TLY_VIEW_ARGS(VIEW_ARG)
#undef VIEW_ARG
        v.page = q.page;
        v.per_page = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "per_page") ? q.per_page : 0;
    }
    int h = acquire(s, view ? tly_pages_expensive(url) : expensive_route(url + 4));
    if (h < 0) {
        if (api) {
            static const char msg[] = "{\"error\":\"busy: try again\"}";
            *ret = send_reply(c, 503, "application/json; charset=utf-8", msg, sizeof msg - 1, 0);
        } else *ret = send_text(c, 503, "busy: try again\n");
        return 503;
    }
    q.l = s->l[h];
    reply r = {500, {0}, "application/json; charset=utf-8"};
    const char *disposition = NULL;
    tly_buf_init(&r.body, NULL);
    if (view) {
        tly_answer a = {500, NULL, NULL, r.body};
        tly_pages_answer(q.l, url, &v, s->rw ? s->token : NULL, &a);
        r.status = a.status;
        r.type = a.type;
        r.body = a.body;
        disposition = a.disposition;
    } else handle_api(&q, &r, url + 4, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q"));
    release(s, h);
    if (r.body.failed) {
        static const char msg[] = "{\"error\":\"out of memory\"}";
        tly_buf_free(&r.body);
        *ret = send_reply(c, 500, r.type, msg, sizeof msg - 1, 0);
        return 500;
    }
    /* the answers waiting to be sent are bounded together (clients that do
     * not read); one answer alone always goes */
    size_t len = r.body.len;
    pthread_mutex_lock(&s->mu);
    int full = s->inflight && s->inflight + len > INFLIGHT_MAX;
    if (!full && k) { s->inflight += len; k->bytes += len; }
    pthread_mutex_unlock(&s->mu);
    if (full) {
        static const char msg[] = "{\"error\":\"busy: try again\"}";
        tly_buf_free(&r.body);
        *ret = send_reply(c, 503, r.type, msg, sizeof msg - 1, 0);
        return 503;
    }
    if (!r.body.data) { *ret = send_reply(c, r.status, r.type, "", 0, 0); return r.status; }
    *ret = send_reply_as(c, r.status, r.type, disposition, r.body.data, len, 1); /* the body is libmicrohttpd's now */
    return r.status;
}

/* ------------------------------------------------------------ reviews (--review) */
/* one value of an application/x-www-form-urlencoded body, decoded into
 * out (NULL when absent) */
static const char *form_value(const char *body, const char *name, char *out, size_t cap) {
    size_t n = strlen(name);
    for (const char *p = body; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (strncmp(p, name, n) || p[n] != '=') continue;
        size_t o = 0;
        for (const char *q = p + n + 1; *q && *q != '&' && o + 1 < cap; q++) {
            if (*q == '+') out[o++] = ' ';
            else if (*q == '%' && isxdigit((unsigned char)q[1]) && isxdigit((unsigned char)q[2])) {
                char h[3] = {q[1], q[2], 0};
                out[o++] = (char)strtol(h, NULL, 16);
                q += 2;
            } else out[o++] = *q;
        }
        out[o] = 0;
        return memchr(out, 0, o) ? NULL : out; /* a %00 inside: refused */
    }
    return NULL;
}

/* equal in a time that does not depend on where they differ */
static int same_token(const char *a, const char *b) {
    size_t n = strlen(b);
    if (strlen(a) != n) return 0;
    unsigned d = 0;
    for (size_t i = 0; i < n; i++) d |= (unsigned char)a[i] ^ (unsigned char)b[i];
    return d == 0;
}

/* POST /claims/ID/review (token, action confirm|reject|correct, field and
 * value for correct, note, by): the review is stored, then 303 to the
 * claim's page. A missing or wrong token, or an Origin that is not this
 * server, is 403. */
static int answer_review(tally_server *s, struct MHD_Connection *c, conn *k, const char *url, enum MHD_Result *ret) {
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if ((k->bad & (BAD_LONG | BAD_ARGS | BAD_NUL)) || !host_ok(s, host)) {
        *ret = send_text(c, 400, "bad request\n");
        return 400;
    }
    if (k->bad & BAD_POST) { *ret = send_text(c, 413, "form too large\n"); return 413; }
    int64_t id = -1;
    char path[64];
    if (strlen(url) < sizeof path && !strncmp(url, "/claims/", 8)) {
        snprintf(path, sizeof path, "%s", url);
        char *tail = strstr(path, "/review");
        if (tail && !strcmp(tail, "/review")) { *tail = 0; id = route_id(path, "/claims"); }
    }
    if (id <= 0) { *ret = send_text(c, 404, "not found\n"); return 404; }
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type || strncasecmp(type, "application/x-www-form-urlencoded", 33)) {
        *ret = send_text(c, 415, "a review is a form (application/x-www-form-urlencoded)\n");
        return 415;
    }
    /* a page of another site cannot post here: its Origin is not ours */
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    char want[300];
    snprintf(want, sizeof want, "http://%s", host ? host : "");
    k->post[k->post_len] = 0;
    char token[64], action[16], field[32], value[256], note[1024], by[128];
    const char *t = form_value(k->post, "token", token, sizeof token);
    if ((origin && strcmp(origin, want)) || !t || !same_token(t, s->token)) {
        *ret = send_text(c, 403, "forbidden: the review form's token is missing or wrong\n");
        return 403;
    }
    const char *a = form_value(k->post, "action", action, sizeof action);
    const char *f = form_value(k->post, "field", field, sizeof field);
    const char *v = form_value(k->post, "value", value, sizeof value);
    const char *n = form_value(k->post, "note", note, sizeof note);
    const char *b = form_value(k->post, "by", by, sizeof by);
    tally_ledger_review_action act;
    if (a && !strcmp(a, "confirm")) act = TALLY_LEDGER_CONFIRM;
    else if (a && !strcmp(a, "reject")) act = TALLY_LEDGER_REJECT;
    else if (a && !strcmp(a, "correct") && f && *f) act = TALLY_LEDGER_CORRECT;
    else { *ret = send_text(c, 400, "action: confirm, reject, or correct with a field\n"); return 400; }
    tally_ledger_field set = {f, v ? v : ""};
    tally_error err;
    pthread_mutex_lock(&s->rw_mu);
    tally_status st = tally_ledger_review(s->rw, id, act, act == TALLY_LEDGER_CORRECT ? &set : NULL,
                                          act == TALLY_LEDGER_CORRECT ? 1 : 0, n && *n ? n : NULL, b && *b ? b : NULL, &err);
    pthread_mutex_unlock(&s->rw_mu);
    if (st) {
        char msg[400];
        snprintf(msg, sizeof msg, "review not stored: %s\n", err.message);
        tly_buf m;
        tly_buf_init(&m, NULL);
        tly_buf_puts(&m, msg);
        if (m.failed) { *ret = send_text(c, 500, "out of memory\n"); return 500; }
        int code = st == TALLY_ERR_USAGE ? 400 : 500;
        *ret = send_reply(c, code, "text/plain; charset=utf-8", m.data, m.len, 1);
        return code;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) { *ret = MHD_NO; return 500; }
    char loc[64];
    snprintf(loc, sizeof loc, "/claims/%lld", (long long)id);
    MHD_add_response_header(resp, "Location", loc);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    *ret = MHD_queue_response(c, 303, resp);
    MHD_destroy_response(resp);
    return 303;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_data_size,
                               void **con_cls) {
    tally_server *s = cls;
    (void)version; (void)upload_data;
    conn *k = *con_cls;
    if (k) { /* its head is in: now the answer's deadline */
        pthread_mutex_lock(&s->mu);
        k->busy = 1;
        k->since = now_ms();
        pthread_mutex_unlock(&s->mu);
    }
    enum MHD_Result ret = MHD_NO;
    int status;
    if (s->rw && k && !strcmp(method, MHD_HTTP_METHOD_POST)) {
        /* a review form: its body is read first (at most POST_MAX bytes) */
        if (!k->posting) { k->posting = 1; k->post_len = 0; if (!*upload_data_size) return MHD_YES; }
        if (*upload_data_size) {
            size_t n = *upload_data_size;
            if (k->post_len + n > POST_MAX) k->bad |= BAD_POST;
            else { memcpy(k->post + k->post_len, upload_data, n); k->post_len += n; }
            *upload_data_size = 0;
            return MHD_YES;
        }
        status = answer_review(s, c, k, url, &ret);
    } else {
        *upload_data_size = 0;
        status = answer(s, c, k, url, method, &ret);
    }
    if (!s->quiet) log_request(method, k ? k->target : url ? url : "-", status);
    return ret;
}

/* ------------------------------------------------------------ start and stop */
/* "file:PATH?immutable=1" (PATH percent-encoded): a database in a directory
 * this user cannot write, where SQLite cannot make the WAL's -shm file. */
static char *immutable_uri(const char *path) {
    tly_buf b;
    tly_buf_init(&b, NULL);
    tly_buf_puts(&b, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("/._-~", *p)) tly_buf_putc(&b, (char)*p);
        else tly_buf_printf(&b, "%%%02X", *p);
    }
    tly_buf_puts(&b, "?immutable=1");
    if (b.failed) { tly_buf_free(&b); return NULL; }
    return b.data;
}

static int dir_writable(const char *path) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash) snprintf(dir, sizeof dir, ".");
    else if (slash == dir) dir[1] = 0;
    else *slash = 0;
    return access(dir, W_OK) == 0;
}

static void stop_all(tally_server *s) {
    if (s->d) MHD_stop_daemon(s->d);
    if (s->watching) {
        pthread_mutex_lock(&s->mu);
        s->stopping = 1;
        pthread_cond_signal(&s->stop);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->watchdog, NULL);
    }
    for (int i = 0; i < HANDLES; i++) tally_ledger_close(s->l[i]);
    tally_ledger_close(s->rw);
    pthread_mutex_destroy(&s->rw_mu);
    pthread_cond_destroy(&s->freed);
    pthread_cond_destroy(&s->stop);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

tally_server *tally_server_start(const tally_server_options *opt, char *err, size_t errlen) {
    tally_server *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errlen, "out of memory"); return NULL; }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->freed, NULL);
    pthread_cond_init(&s->stop, NULL);
    pthread_mutex_init(&s->rw_mu, NULL);
    s->quiet = opt->quiet;
    if (opt->note) opt->note[0] = 0;
    tally_error e;
    tally_ledger_options lo = {.flags = TALLY_LEDGER_READONLY, .query_timeout_ms = QUERY_MS};
    char *uri = NULL;
    const char *path = opt->db;
    int file = strncmp(opt->db, "postgres", 8) != 0; /* not a PostgreSQL connection string */
    for (int i = 0; i < HANDLES; i++) {
        if (tally_ledger_open(path, &lo, &s->l[i], &e) == TALLY_OK) continue;
        /* A WAL database in a directory this user cannot write: SQLite cannot
         * make its -shm file, even to read. Opened immutable (it must not
         * change meanwhile), and said so; else the reason, clearly. */
        if (i == 0 && file && !dir_writable(opt->db) && (uri = immutable_uri(opt->db)) &&
            tally_ledger_open(uri, &lo, &s->l[i], &e) == TALLY_OK) {
            path = uri;
            if (opt->note)
                snprintf(opt->note, opt->note_len,
                         "%s: its directory is not writable: opened immutable (changes made while serving are not seen)",
                         opt->db);
            continue;
        }
        if (file && !dir_writable(opt->db))
            snprintf(err, errlen, "%s: cannot open it read-only: %s (its directory is not writable: a WAL database "
                                  "needs its -shm file; copy it to a writable directory)", opt->db, e.message);
        else snprintf(err, errlen, "%s: %s", opt->db, e.message);
        free(uri);
        stop_all(s);
        return NULL;
    }
    free(uri);
    if (opt->review) {
        /* reviews only from this machine, each form carrying a token made here */
        const char *b = opt->bind ? opt->bind : "127.0.0.1";
        if (strncmp(b, "127.", 4) && strcmp(b, "::1")) {
            snprintf(err, errlen, "--review serves on a loopback address only (not %s)", b);
            stop_all(s);
            return NULL;
        }
        unsigned char r[16];
        FILE *f = fopen("/dev/urandom", "rb");
        size_t got = f ? fread(r, 1, sizeof r, f) : 0;
        if (f) fclose(f);
        if (got != sizeof r) { snprintf(err, errlen, "--review: no random bytes for its token"); stop_all(s); return NULL; }
        for (size_t i = 0; i < sizeof r; i++) snprintf(s->token + 2 * i, 3, "%02x", r[i]);
        tally_ledger_options wo = {.flags = 0, .query_timeout_ms = QUERY_MS};
        if (tally_ledger_open(opt->db, &wo, &s->rw, &e) != TALLY_OK) {
            snprintf(err, errlen, "%s: --review: cannot open it to write: %s", opt->db, e.message);
            stop_all(s);
            return NULL;
        }
        if (opt->token) snprintf(opt->token, opt->token_len, "%s", s->token);
    }
    s->nfree = HANDLES;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    s->keep = HANDLES - (int)(cpus < 1 ? 1 : cpus > HANDLES - 1 ? HANDLES - 1 : cpus);
    for (size_t i = 0; i < opt->n_allow_hosts && s->nallow < MAX_ALLOW_HOSTS; i++) s->allow[s->nallow++] = opt->allow_hosts[i];

    const char *bind = opt->bind ? opt->bind : "127.0.0.1";
    snprintf(s->bind, sizeof s->bind, "%s", bind);
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    struct sockaddr *sa;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    if (inet_pton(AF_INET, bind, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)opt->port);
        sa = (struct sockaddr *)&a4;
        s->bind_any = a4.sin_addr.s_addr == htonl(INADDR_ANY);
        s->bind_loopback = (ntohl(a4.sin_addr.s_addr) >> 24) == 127;
    } else if (inet_pton(AF_INET6, bind, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)opt->port);
        sa = (struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
        s->bind_any = IN6_IS_ADDR_UNSPECIFIED(&a6.sin6_addr);
        s->bind_loopback = IN6_IS_ADDR_LOOPBACK(&a6.sin6_addr);
    } else {
        snprintf(err, errlen, "--bind: not an IP address: %s", bind);
        stop_all(s);
        return NULL;
    }
    if (pthread_create(&s->watchdog, NULL, watchdog, s) != 0) {
        snprintf(err, errlen, "cannot start a thread");
        stop_all(s);
        return NULL;
    }
    s->watching = 1;
    s->d = MHD_start_daemon(flags, (uint16_t)opt->port, NULL, NULL, handler, s,
                            MHD_OPTION_SOCK_ADDR, sa,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_S,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
                            MHD_OPTION_THREAD_STACK_SIZE, THREAD_STACK,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                            MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errlen, "cannot listen on %s port %u", bind, opt->port);
        stop_all(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : opt->port;
    return s;
}

unsigned tally_server_port(const tally_server *s) { return s->port; }

void tally_server_stop(tally_server *s) {
    if (s) stop_all(s);
}
