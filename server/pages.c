/* pages.c -- the pages of `tally serve`, rendered on the server: every
 * route returns HTML with its content (tables, figures in their source's
 * words, evidence with the claim highlighted), usable with JavaScript off
 * and by curl; app.js enhances them (sorting, the map, the timeline chart).
 * Every string of the database goes through the one HTML escaper
 * (tly_html_str, src/util/buf.h); a link to a source is written only for an
 * http(s) URL. The filters of the URL (tly_view) are the same on every
 * page, the view API (/api/map, /api/series) and the exports
 * (/export.csv, /export.geojson). docs/server.md. */
#include "pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 50   /* rows of a list page */
#define SERIES_DEFAULT 6  /* series of the overview's timeline page */
#define MAP_MAX 5000      /* incidents the map draws */
#define EXPORT_MAX 200000 /* rows of an export */
#define PER_PAGE_MAX 1000

/* ---------------------------------------------------------------- views */
static int word_ok(const char *s, const char *extra) {
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr(extra, *s)))
            return 0;
    return 1;
}

static int date_ok(const char *s, tally_date *d) {
    return s && tally_date_parse(s, strlen(s), d) && d->year > 0;
}

int tly_view_check(const tly_view *v, char *msg, size_t len) {
    tally_date d;
    if (v->since && *v->since && !date_ok(v->since, &d)) { snprintf(msg, len, "since: not a date (2020-10-04, 2020-10, 2020)"); return -1; }
    if (v->until && *v->until && !date_ok(v->until, &d)) { snprintf(msg, len, "until: not a date (2020-10-04, 2020-10, 2020)"); return -1; }
    const char *cc = v->country;
    if (cc && *cc && (strlen(cc) != 2 || !((cc[0] | 0x20) >= 'a' && (cc[0] | 0x20) <= 'z' && (cc[1] | 0x20) >= 'a' && (cc[1] | 0x20) <= 'z'))) {
        snprintf(msg, len, "country: an ISO 3166 code of two letters (UA, AZ)");
        return -1;
    }
    const char *words[] = {v->alignment, v->outcome, v->victims, v->victims_side};
    for (size_t i = 0; i < 4; i++)
        if (words[i] && (strlen(words[i]) > 64 || !word_ok(words[i], ":_-"))) {
            snprintf(msg, len, "alignment, outcome, victims and victims_side are words (party:AZ, killed, civilians)");
            return -1;
        }
    const char *texts[] = {v->place, v->claimant, v->q};
    for (size_t i = 0; i < 3; i++)
        if (texts[i] && strlen(texts[i]) > 256) { snprintf(msg, len, "place, claimant and q: at most 256 bytes"); return -1; }
    return 0;
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

static tally_ledger_filter view_filter(const tly_view *v) {
    tally_ledger_filter f;
    memset(&f, 0, sizeof f);
    f.place = nz(v->place);
    f.claimant = nz(v->claimant);
    f.outcome = nz(v->outcome);
    if (nz(v->since)) date_ok(v->since, &f.since);
    if (nz(v->until)) date_ok(v->until, &f.until);
    f.query = nz(v->q);
    f.country = nz(v->country);
    f.alignment = nz(v->alignment);
    f.victims = nz(v->victims);
    f.victims_side = nz(v->victims_side);
    return f;
}

/* ---------------------------------------------------------------- rows */
typedef struct rowset {
    size_t n, cap, ncols;
    char **names;
    char **vals; /* n * ncols */
    tally_ledger_type *types;
    int failed;
} rowset;

static int collect(void *ctx, const tally_ledger_row *r) {
    rowset *rs = ctx;
    if (!rs->names) {
        rs->ncols = r->ncols;
        rs->names = calloc(r->ncols ? r->ncols : 1, sizeof *rs->names);
        rs->types = calloc(r->ncols ? r->ncols : 1, sizeof *rs->types);
        if (!rs->names || !rs->types) { rs->failed = 1; return 1; }
        for (size_t i = 0; i < r->ncols; i++) {
            rs->names[i] = strdup(r->names[i]);
            rs->types[i] = r->types[i];
        }
    }
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 16;
        char **v = realloc(rs->vals, cap * rs->ncols * sizeof *v + 1);
        if (!v) { rs->failed = 1; return 1; }
        rs->vals = v;
        rs->cap = cap;
    }
    for (size_t i = 0; i < rs->ncols; i++) {
        rs->vals[rs->n * rs->ncols + i] = r->values[i] ? strdup(r->values[i]) : NULL;
        if (r->types[i] != TALLY_LEDGER_TEXT && r->values[i]) rs->types[i] = r->types[i];
    }
    rs->n++;
    return 0;
}

static void rowset_free(rowset *rs) {
    for (size_t i = 0; i < rs->n * rs->ncols; i++) free(rs->vals[i]);
    for (size_t i = 0; i < rs->ncols && rs->names; i++) free(rs->names[i]);
    free(rs->vals);
    free(rs->names);
    free(rs->types);
    memset(rs, 0, sizeof *rs);
}

/* the value of column name in row i (NULL: SQL NULL or no such column) */
static const char *col(const rowset *rs, size_t i, const char *name) {
    for (size_t k = 0; k < rs->ncols; k++)
        if (!strcmp(rs->names[k], name)) return rs->vals[i * rs->ncols + k];
    return NULL;
}
static long long icol(const rowset *rs, size_t i, const char *name) {
    const char *v = col(rs, i, name);
    return v ? strtoll(v, NULL, 10) : 0;
}

/* A page's questions: its ledger, and the first failure (an HTTP status
 * and its message). */
typedef struct pg {
    tally_ledger *l;
    const tly_view *v;
    const char *path;
    tly_buf *b;
    const char *token; /* --review: the review forms' token; NULL: read-only */
    int status;
    char err[256];
} pg;

static void failed(pg *p, tally_status st, const tally_error *e) {
    if (p->status) return;
    /* a malformed fts: query is the user's (400), like a bad filter */
    int fts = p->v && p->v->q && !strncmp(p->v->q, "fts:", 4) && st == TALLY_ERR_IO;
    p->status = st == TALLY_ERR_LIMIT ? 503 : st == TALLY_ERR_USAGE || fts ? 400 : 500;
    snprintf(p->err, sizeof p->err, "%s", st == TALLY_ERR_LIMIT ? "query took too long" : e->message);
}

static void run_view(pg *p, tally_ledger_query q, const tally_ledger_filter *f, rowset *rs) {
    tally_error e;
    if (p->status) return;
    tally_status st = tally_ledger_query_rows(p->l, q, f, collect, rs, &e);
    if (st) failed(p, st, &e);
    else if (rs->failed) { p->status = 500; snprintf(p->err, sizeof p->err, "out of memory"); }
}

static long long run_count(pg *p, tally_ledger_query q, const tally_ledger_filter *f) {
    rowset rs = {0};
    run_view(p, q, f, &rs);
    long long n = rs.n ? icol(&rs, 0, "n") : 0;
    rowset_free(&rs);
    return n;
}

static void run_report(pg *p, tally_ledger_report r, int64_t id, rowset *rs) {
    tally_error e;
    if (p->status) return;
    tally_status st = tally_ledger_report_rows(p->l, r, id, NULL, collect, rs, &e);
    if (st) failed(p, st, &e);
}

/* ---------------------------------------------------------------- HTML */
static void H(tly_buf *b, const char *s) {
    if (s) tly_html_str(b, s, strlen(s));
}
static void P(tly_buf *b, const char *s) { tly_buf_puts(b, s); }

/* "1234567" -> "1,234,567" */
static void thousands(tly_buf *b, const char *digits) {
    if (!digits) return;
    const char *d = digits;
    if (*d == '-') tly_buf_putc(b, *d++);
    size_t n = strspn(d, "0123456789");
    if (n != strlen(d)) { H(b, digits); return; }
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) tly_buf_putc(b, ',');
        tly_buf_putc(b, d[i]);
    }
}

/* The qualifier's words ("more_than" -> "more than"), or NULL when the
 * count's own text holds them ("dozens of", "between 7,000 and 9,000"). */
static const char *qualifier_words(const char *q) {
    static const char *const map[][2] = {{"about", "about"}, {"at_least", "at least"}, {"more_than", "more than"},
                                         {"nearly", "nearly"}, {"up_to", "up to"}};
    if (!q) return NULL;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(q, map[i][0])) return map[i][1];
    return NULL;
}

/* A figure in its source's words: "more than 100", "dozens of", "1,500";
 * without the source's text, the interval with thousands separators. */
static void figure(tly_buf *b, const char *text, const char *qualifier, const char *low, const char *high) {
    /* a text with no digit that is one small number ("two", "Sixteen", "a
     * man") or long is shown as the number; "hundreds of", "one million"
     * and "more than 100" as they are */
    int digit = text && strpbrk(text, "0123456789") != NULL;
    if (text && *text && !digit && low && high && !strcmp(low, high) && strtoll(low, NULL, 10) < 20) text = NULL;
    if (text && strlen(text) > 40) text = NULL;
    if (text && *text) {
        const char *w = qualifier_words(qualifier);
        if (w && strncmp(text, w, strlen(w))) { P(b, w); P(b, " "); }
        H(b, text);
        return;
    }
    if (!low && !high) { P(b, "?"); return; }
    if (!high) { P(b, "more than "); thousands(b, low); return; }
    if (!low) { P(b, "up to "); thousands(b, high); return; }
    thousands(b, low);
    if (strcmp(low, high)) { P(b, "–"); thousands(b, high); }
}

/* row i's figure in its source's words; its victims and outcome */
static void claim_figure(tly_buf *b, const rowset *rs, size_t i) {
    figure(b, col(rs, i, "count_text"), col(rs, i, "qualifier"), col(rs, i, "count_low"), col(rs, i, "count_high"));
}
static void subject(tly_buf *b, const rowset *rs, size_t i) {
    H(b, col(rs, i, "victims"));
    P(b, " ");
    H(b, col(rs, i, "outcome"));
}

static void dates(tly_buf *b, const char *a, const char *z) {
    if (!a) { P(b, "undated"); return; }
    H(b, a);
    if (z && strcmp(a, z)) { P(b, " – "); H(b, z); }
}

static const char *role_class(const char *al) {
    if (!al) return "unknown";
    if (!strncmp(al, "party", 5)) return "party";
    if (!strncmp(al, "aligned", 7)) return "aligned";
    if (!strcmp(al, "third")) return "third";
    return "unknown";
}

static void claimant(tly_buf *b, const char *name, const char *al) {
    H(b, name ? name : "unattributed");
    if (al) { P(b, " <span class=\"badge "); P(b, role_class(al)); P(b, "\" title=\"claimant alignment\">"); H(b, al); P(b, "</span>"); }
}

static void place_name(tly_buf *b, const char *place, const char *country) {
    if (!place) { P(b, "no place"); return; }
    H(b, place);
    if (country) { P(b, " ("); H(b, country); P(b, ")"); }
}

/* An outside link: only http(s) URLs, escaped, never sending a referrer. */
static void url_link(tly_buf *b, const char *url, const char *text) {
    if (url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7))) {
        P(b, "<a class=\"ext\" rel=\"noopener noreferrer nofollow\" href=\"");
        H(b, url);
        P(b, "\">");
        H(b, text && *text ? text : url);
        P(b, "</a>");
    } else H(b, text && *text ? text : url ? url : "—");
}

/* percent-encodes a query value */
static void qenc(tly_buf *b, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-_.~:", *p))
            tly_buf_putc(b, (char)*p);
        else { tly_buf_putc(b, '%'); tly_buf_putc(b, hex[*p >> 4]); tly_buf_putc(b, hex[*p & 15]); }
    }
}

/* The view's query string ("?since=...&..."; "" with no filter), with page
 * (0: none) and per_page when set; then HTML-escaped into b. */
static void view_query(tly_buf *b, const tly_view *v, size_t page) {
    tly_buf q;
    tly_buf_init(&q, NULL);
#define TLY_VIEW_Q(n) if (nz(v->n)) { tly_buf_putc(&q, q.len ? '&' : '?'); P(&q, #n "="); qenc(&q, v->n); }
    TLY_VIEW_ARGS(TLY_VIEW_Q)
#undef TLY_VIEW_Q
    if (page > 1) tly_buf_printf(&q, "%cpage=%zu", q.len ? '&' : '?', page);
    if (v->per_page) tly_buf_printf(&q, "%cper_page=%zu", q.len ? '&' : '?', v->per_page);
    if (q.data) H(b, q.data);
    tly_buf_free(&q);
}

static void href(tly_buf *b, const char *path, const tly_view *v, size_t page) {
    P(b, "\"");
    H(b, path);
    view_query(b, v, page);
    P(b, "\"");
}

static int filtered(const tly_view *v) {
    int any = 0;
#define TLY_VIEW_ANY(n) any |= nz(v->n) != NULL;
    TLY_VIEW_ARGS(TLY_VIEW_ANY)
#undef TLY_VIEW_ANY
    return any;
}

static void head(pg *p, const char *title, const char *page) {
    tly_buf *b = p->b;
    P(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>tally — ");
    H(b, title);
    P(b, "</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n"
         "<script src=\"/assets/app.js\" defer></script>\n</head>\n<body data-page=\"");
    H(b, page);
    P(b, "\">\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n<header class=\"top\">\n"
         "<a class=\"brand\" href=\"/\">tally</a>\n<nav aria-label=\"pages\">");
    static const char *const nav[][3] = {{"/", "Overview", "overview"}, {"/incidents", "Incidents", "incidents"},
                                        {"/claims", "Claims", "claims"}, {"/search", "Search", "search"}};
    for (size_t i = 0; i < 4; i++) {
        P(b, "<a href=");
        if (filtered(p->v) && strcmp(nav[i][2], "search")) href(b, nav[i][0], p->v, 0);
        else { P(b, "\""); P(b, nav[i][0]); P(b, "\""); }
        if (!strcmp(page, nav[i][2])) P(b, " aria-current=\"page\"");
        P(b, ">");
        P(b, nav[i][1]);
        P(b, "</a>");
    }
    P(b, "</nav>\n<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">"
         "<input type=\"search\" name=\"q\" placeholder=\"Search claims, incidents, documents\" aria-label=\"Search\" value=\"");
    H(b, p->v->q);
    P(b, "\"><button type=\"submit\">Search</button></form>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

static void foot(pg *p) {
    P(p->b, "</main>\n<footer>Every figure is attributed to its claimant; tally does not decide who is right. "
            "Map outlines: Natural Earth (public domain).</footer>\n</body>\n</html>\n");
}

/* The filter form: shows the view; the permalink and the exports of it. */
static void filter_form(pg *p, const char *action) {
    tly_buf *b = p->b;
    const tly_view *v = p->v;
    P(b, "<form class=\"filters\" method=\"get\" action=\"");
    H(b, action);
    P(b, "\" aria-label=\"filters\">\n");
    static const char *const fields[][4] = {
        {"since", "since", "date", "2020-09-27"}, {"until", "until", "date", "2020-11-10"},
        {"country", "country", "text", "UA"}, {"place", "place", "text", "Ganja"},
        {"claimant", "claimant", "text", "Amnesty"}, {"alignment", "alignment", "text", "party, third, aligned:AZ"},
        {"outcome", "outcome", "text", "killed"}, {"victims", "victims", "text", "civilians"},
        {"victims_side", "victims' side", "text", "AZ"}, {"q", "text", "search", "Nagorno-Karabakh"}};
    const char *vals[] = {v->since, v->until, v->country, v->place, v->claimant, v->alignment, v->outcome,
                          v->victims, v->victims_side, v->q};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        tly_buf_printf(b, "<label>%s <input name=\"%s\" type=\"%s\" placeholder=\"e.g. ", fields[i][1], fields[i][0],
                       !strcmp(fields[i][2], "date") ? "text" : fields[i][2]);
        H(b, fields[i][3]);
        P(b, "\" value=\"");
        H(b, vals[i]);
        P(b, "\"");
        if (!strcmp(fields[i][0], "country")) P(b, " maxlength=\"2\" size=\"3\"");
        if (!strcmp(fields[i][2], "date")) P(b, " size=\"11\" pattern=\"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\"");
        P(b, "></label>\n");
    }
    P(b, "<button type=\"submit\">Apply</button> <a href=\"");
    H(b, action);
    P(b, "\">clear</a>\n</form>\n<p class=\"viewlinks\"><a class=\"permalink\" href=");
    href(b, p->path, v, v->page);
    P(b, ">Permalink of this view</a> · Export this view: <a class=\"export-csv\" href=");
    href(b, "/export.csv", v, 0);
    P(b, ">CSV (claims)</a> · <a class=\"export-geojson\" href=");
    href(b, "/export.geojson", v, 0);
    P(b, ">GeoJSON (incidents)</a></p>\n");
}

/* "rows a–b of n", and the links to the pages before and after */
static void pager(pg *p, long long total, size_t shown, size_t per, const char *what) {
    tly_buf *b = p->b;
    size_t page = p->v->page ? p->v->page : 1;
    size_t first = (page - 1) * per + 1;
    P(b, "<nav class=\"pager\" aria-label=\"pages\"><span class=\"count\">");
    if (shown) tly_buf_printf(b, "%s %zu–%zu of %lld", what, first, first + shown - 1, total);
    else tly_buf_printf(b, "no %s on this page (%lld in all)", what, total);
    P(b, "</span>");
    if (page > 1) { P(b, " <a rel=\"prev\" class=\"prev\" href="); href(b, p->path, p->v, page - 1); P(b, ">← previous</a>"); }
    if ((long long)(first - 1 + shown) < total) { P(b, " <a rel=\"next\" class=\"next\" href="); href(b, p->path, p->v, page + 1); P(b, ">next →</a>"); }
    P(b, "</nav>\n");
}

static size_t per_page(const tly_view *v, size_t dflt) {
    return v->per_page ? (v->per_page > PER_PAGE_MAX ? PER_PAGE_MAX : v->per_page) : dflt;
}
static size_t offset_of(const tly_view *v, size_t per) { return ((v->page ? v->page : 1) - 1) * per; }

/* a table header cell: sortable by the page script (data-key, data-num) */
static void th(tly_buf *b, const char *key, const char *label, int num) {
    tly_buf_printf(b, "<th scope=\"col\" data-key=\"%s\"%s>%s</th>", key, num ? " data-num=\"1\"" : "", label);
}

/* a bound's figure: the claim's words, the claimant below */
static void bound_cell(tly_buf *b, const rowset *rs, size_t i, const char *which) {
    char k[32];
    snprintf(k, sizeof k, "%s", which);
    const char *v = col(rs, i, k);
    tly_buf_printf(b, "<td class=\"num\" data-sort=\"%s\">", v ? v : "");
    if (!v) { P(b, "—</td>"); return; }
    snprintf(k, sizeof k, "%s_claim_id", which);
    const char *id = col(rs, i, k);
    if (id) tly_buf_printf(b, "<a href=\"/claims/%lld\">", strtoll(id, NULL, 10));
    char t[32], q[32];
    snprintf(t, sizeof t, "%s_text", which);
    snprintf(q, sizeof q, "%s_qualifier", which);
    if (col(rs, i, t)) figure(b, col(rs, i, t), col(rs, i, q), v, v);
    else thousands(b, v);
    if (id) P(b, "</a>");
    snprintf(k, sizeof k, "%s_claimant", which);
    P(b, "<span class=\"src\">");
    H(b, col(rs, i, k) ? col(rs, i, k) : "unattributed");
    P(b, "</span></td>");
}

/* the table of a page of incidents (VIEW_INCIDENTS rows) */
static void incidents_table(tly_buf *b, const rowset *rs, const char *id) {
    tly_buf_printf(b, "<div class=\"tablewrap\"><table id=\"%s\" class=\"sortable\"><thead><tr>", id);
    th(b, "incident_id", "#", 1); th(b, "place", "Place", 0); th(b, "first_day", "Dates", 0);
    th(b, "subject", "Killed or injured", 0); th(b, "low", "Low", 1); th(b, "best", "Best", 1);
    th(b, "high", "High", 1); th(b, "n_claims", "Claims", 1); th(b, "claimants", "Claimants", 1);
    P(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < rs->n; i++) {
        const char *iid = col(rs, i, "incident_id");
        tly_buf_printf(b, "<tr data-incident=\"%lld\" data-country=\"", icol(rs, i, "incident_id"));
        H(b, col(rs, i, "country"));
        P(b, "\"><td class=\"num\" data-sort=\"");
        H(b, iid);
        P(b, "\">");
        tly_buf_printf(b, "<a href=\"/incidents/%lld\">#%lld</a></td><td>", icol(rs, i, "incident_id"), icol(rs, i, "incident_id"));
        tly_buf_printf(b, "<a href=\"/incidents/%lld\">", icol(rs, i, "incident_id"));
        place_name(b, col(rs, i, "place"), col(rs, i, "country"));
        P(b, "</a>");
        if (col(rs, i, "kind") && strcmp(col(rs, i, "kind"), "incident")) { P(b, " <span class=\"muted\">"); H(b, col(rs, i, "kind")); P(b, "</span>"); }
        P(b, "</td><td class=\"days\" data-sort=\"");
        H(b, col(rs, i, "first_day"));
        P(b, "\">");
        dates(b, col(rs, i, "first_day"), col(rs, i, "last_day"));
        P(b, "</td><td>");
        subject(b, rs, i);
        long long nb = icol(rs, i, "n_bounds");
        if (nb > 1) tly_buf_printf(b, " <span class=\"muted\">(+%lld more)</span>", nb - 1);
        P(b, "</td>");
        bound_cell(b, rs, i, "low");
        bound_cell(b, rs, i, "best");
        bound_cell(b, rs, i, "high");
        tly_buf_printf(b, "<td class=\"num\" data-sort=\"%lld\">%lld</td><td class=\"num\" data-sort=\"%lld\">%lld</td></tr>\n",
                       icol(rs, i, "n_claims"), icol(rs, i, "n_claims"), icol(rs, i, "claimants"), icol(rs, i, "claimants"));
    }
    P(b, "</tbody></table></div>\n");
}

/* a sentence with its figure in bold: the claim's byte offsets */
static void sentence(tly_buf *b, const rowset *rs, size_t i) {
    const char *s = col(rs, i, "sentence");
    if (!s) return;
    long long st = icol(rs, i, "start"), cs = icol(rs, i, "count_start") - st, ce = icol(rs, i, "count_end") - st;
    size_t n = strlen(s);
    if ((long long)n != icol(rs, i, "end") - st) {
        /* a window of a long sentence (docs/limits.md): its offsets are the
         * whole sentence's, so the figure is found by its words */
        const char *ct = col(rs, i, "count_text"), *hit = ct && *ct ? strstr(s, ct) : NULL;
        cs = hit ? hit - s : -1;
        ce = hit ? cs + (long long)strlen(ct) : -1;
    }
    if (col(rs, i, "count_start") && cs >= 0 && ce >= cs && (size_t)ce <= n) {
        tly_html_str(b, s, (size_t)cs);
        P(b, "<strong>");
        tly_html_str(b, s + cs, (size_t)(ce - cs));
        P(b, "</strong>");
        tly_html_str(b, s + ce, n - (size_t)ce);
    } else H(b, s);
}

/* the table of a page of claims (VIEW_CLAIMS rows) */
static void claims_table(tly_buf *b, const rowset *rs, const char *id) {
    tly_buf_printf(b, "<div class=\"tablewrap\"><table id=\"%s\" class=\"sortable\"><thead><tr>", id);
    th(b, "claim_id", "#", 1); th(b, "first_day", "Date", 0); th(b, "figure", "Figure", 1);
    th(b, "subject", "Of whom", 0); th(b, "claimant", "Claimant", 0); th(b, "place", "Place", 0);
    th(b, "outlet", "Outlet", 0); th(b, "published", "Published", 0);
    P(b, "<th scope=\"col\">Evidence</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < rs->n; i++) {
        long long cid = icol(rs, i, "claim_id");
        tly_buf_printf(b, "<tr data-claim=\"%lld\"><td class=\"num\" data-sort=\"%lld\"><a href=\"/claims/%lld\">#%lld</a></td><td data-sort=\"",
                       cid, cid, cid, cid);
        H(b, col(rs, i, "first_day"));
        P(b, "\">");
        if (!col(rs, i, "date_start") && col(rs, i, "first_day")) {
            dates(b, col(rs, i, "first_day"), col(rs, i, "last_day"));
            P(b, " <span class=\"muted\">(its document's)</span>");
        } else dates(b, col(rs, i, "date_start"), col(rs, i, "date_end"));
        P(b, "</td><td class=\"num\" data-sort=\"");
        H(b, col(rs, i, "count_low"));
        P(b, "\">");
        claim_figure(b, rs, i);
        P(b, "</td><td>");
        subject(b, rs, i);
        P(b, "</td><td>");
        claimant(b, col(rs, i, "claimant"), col(rs, i, "claimant_alignment"));
        P(b, "</td><td>");
        if (col(rs, i, "incident_id")) {
            tly_buf_printf(b, "<a href=\"/incidents/%lld\">", icol(rs, i, "incident_id"));
            place_name(b, col(rs, i, "place"), col(rs, i, "country"));
            P(b, "</a>");
        } else place_name(b, col(rs, i, "place"), col(rs, i, "country"));
        P(b, "</td><td>");
        url_link(b, col(rs, i, "url"), col(rs, i, "outlet") ? col(rs, i, "outlet") : col(rs, i, "doc"));
        P(b, "</td><td>");
        H(b, col(rs, i, "published"));
        P(b, "</td><td class=\"evidence\">");
        sentence(b, rs, i);
        tly_buf_printf(b, " <a class=\"doclink\" href=\"/documents/%lld\">document</a></td></tr>\n", icol(rs, i, "document_id"));
    }
    P(b, "</tbody></table></div>\n");
}

/* a claim card: figure, claimant, outlet and date, the sentence */
static void claim_card(tly_buf *b, const rowset *rs, size_t i) {
    long long cid = icol(rs, i, "claim_id");
    tly_buf_printf(b, "<article class=\"claim\" data-claim=\"%lld\"><div class=\"head\"><span class=\"fig\">", cid);
    claim_figure(b, rs, i);
    P(b, "</span> <span>");
    subject(b, rs, i);
    P(b, "</span> <span>· ");
    claimant(b, col(rs, i, "claimant"), col(rs, i, "claimant_alignment"));
    P(b, "</span> <span class=\"muted\">· ");
    dates(b, col(rs, i, "date_start"), col(rs, i, "date_end"));
    P(b, "</span></div>\n<p class=\"source\">");
    url_link(b, col(rs, i, "url"), col(rs, i, "outlet") ? col(rs, i, "outlet") : col(rs, i, "doc"));
    P(b, ", ");
    H(b, col(rs, i, "published") ? col(rs, i, "published") : "undated");
    if (col(rs, i, "title")) { P(b, ": <cite>"); H(b, col(rs, i, "title")); P(b, "</cite>"); }
    P(b, "</p>\n<blockquote class=\"quote\">");
    sentence(b, rs, i);
    tly_buf_printf(b, "</blockquote>\n<div class=\"links\"><a href=\"/claims/%lld\">claim #%lld</a> <a href=\"/documents/%lld\">document</a>",
                   cid, cid, icol(rs, i, "document_id"));
    P(b, "</div></article>\n");
}

/* ---------------------------------------------------------------- pages */
static void error_page(pg *p) {
    p->b->len = 0;
    head(p, p->status == 404 ? "not found" : "error", "error");
    P(p->b, p->status == 404 ? "<h1>Not found</h1>\n<p class=\"error\">" : "<h1>Error</h1>\n<p class=\"error\">");
    H(p->b, p->err);
    P(p->b, "</p>\n");
    foot(p);
}

static void counts_cards(pg *p, const tally_ledger_filter *f, long long *n_incidents) {
    long long claims = run_count(p, TALLY_LEDGER_VIEW_CLAIMS_COUNT, f);
    long long incs = run_count(p, TALLY_LEDGER_VIEW_INCIDENTS_COUNT, f);
    long long series = run_count(p, TALLY_LEDGER_VIEW_TIMELINE_COUNT, f);
    tally_ledger_stats stats;
    tally_error e;
    if (tally_ledger_stats_get(p->l, &stats, &e)) stats.documents = 0;
    tly_buf_printf(p->b, "<div class=\"cards\" id=\"counts\"><div class=\"card\" data-count=\"claims\"><b>%lld</b>claims</div>"
                         "<div class=\"card\" data-count=\"incidents\"><b>%lld</b>incidents</div>"
                         "<div class=\"card\" data-count=\"series\"><b>%lld</b>running totals</div>"
                         "<div class=\"card\" data-count=\"documents\"><b>%lld</b>documents in the ledger</div></div>\n",
                   claims, incs, series, (long long)stats.documents);
    if (n_incidents) *n_incidents = incs;
}

static int same_text(const char *a, const char *b) { return a && b ? !strcmp(a, b) : a == b; }

/* The headline: each series' latest figure (its as-of and since dates),
 * the first figure before it, and the spread between the claimants of the
 * same subject on this page. */
static void headline(tly_buf *b, const rowset *t) {
    P(b, "<div class=\"tablewrap\"><table id=\"headline\" class=\"sortable\"><thead><tr>");
    th(b, "claimant", "Claimant", 0); th(b, "subject", "Of whom", 0); th(b, "latest", "Latest figure", 1);
    th(b, "as_of", "As of", 0); th(b, "since", "Since", 0); th(b, "story", "Earlier figures", 0);
    th(b, "spread", "All claimants of it here", 0);
    P(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < t->n;) {
        size_t j = i;
        while (j < t->n && icol(t, j, "series_id") == icol(t, i, "series_id")) j++;
        size_t last = j - 1;
        /* the spread: the latest values of the series of the same subject */
        long long lo = -1, hi = -1;
        for (size_t k = 0; k < t->n; k++) {
            if (k + 1 < t->n && icol(t, k + 1, "series_id") == icol(t, k, "series_id")) continue; /* not a series' last */
            if (!same_text(col(t, k, "outcome"), col(t, i, "outcome")) || !same_text(col(t, k, "victims"), col(t, i, "victims")) ||
                !same_text(col(t, k, "frame"), col(t, i, "frame")))
                continue; /* another subject, or the same in another war or period */
            long long v = icol(t, k, "value");
            if (lo < 0 || v < lo) lo = v;
            if (hi < 0 || v > hi) hi = v;
        }
        tly_buf_printf(b, "<tr data-series=\"%lld\"><td>", icol(t, i, "series_id"));
        claimant(b, col(t, i, "claimant"), col(t, i, "claimant_alignment"));
        P(b, "</td><td>");
        subject(b, t, i);
        tly_buf_printf(b, "</td><td class=\"num\" data-sort=\"%lld\"><a href=\"/claims/%lld\">", icol(t, last, "value"), icol(t, last, "claim_id"));
        figure(b, col(t, last, "count_text"), col(t, last, "qualifier"), col(t, last, "value"), col(t, last, "value"));
        P(b, "</a></td><td>");
        H(b, col(t, last, "as_of"));
        P(b, "</td><td>");
        H(b, col(t, last, "period_start") ? col(t, last, "period_start") : "—");
        P(b, "</td><td class=\"story\">");
        size_t from = j - i > 6 ? j - 6 : i;
        if (from > i) P(b, "… ");
        for (size_t k = from; k < j; k++) {
            if (k > from) P(b, " → ");
            thousands(b, col(t, k, "value"));
        }
        P(b, "</td><td>");
        if (lo >= 0 && lo != hi) tly_buf_printf(b, "%lld–%lld", lo, hi);
        else if (lo >= 0) P(b, "one figure");
        P(b, "</td></tr>\n");
        i = j;
    }
    P(b, "</tbody></table></div>\n");
}

static void page_overview(pg *p) {
    tally_ledger_filter f = view_filter(p->v);
    head(p, "overview", "overview");
    P(p->b, "<h1>Casualty claims ledger</h1>\n");
    filter_form(p, "/");
    counts_cards(p, &f, NULL);
    /* the running totals: a page of series */
    size_t per = per_page(p->v, SERIES_DEFAULT);
    f.limit = per;
    f.offset = offset_of(p->v, per);
    rowset t = {0};
    run_view(p, TALLY_LEDGER_VIEW_TIMELINE, &f, &t);
    f.limit = f.offset = 0;
    long long nseries = run_count(p, TALLY_LEDGER_VIEW_TIMELINE_COUNT, &f);
    P(p->b, "<h2>Running totals: the latest figure of each claimant</h2>\n");
    if (!t.n) P(p->b, "<p class=\"muted\">No running totals (cumulative claims) in this view.</p>\n");
    else {
        size_t ns = 0;
        for (size_t i = 0; i < t.n; i++) ns += !i || icol(&t, i, "series_id") != icol(&t, i - 1, "series_id");
        pager(p, nseries, ns, per, "series");
        headline(p->b, &t);
        P(p->b, "<div class=\"panel\" id=\"timeline-panel\" data-src=");
        href(p->b, "/api/series", p->v, p->v->page);
        P(p->b, "><p class=\"muted noscript\">The chart of these series needs JavaScript; the table above holds their figures.</p></div>\n");
    }
    rowset_free(&t);
    /* the newest incidents of the view */
    f.limit = 20;
    rowset inc = {0};
    run_view(p, TALLY_LEDGER_VIEW_INCIDENTS, &f, &inc);
    P(p->b, "<h2>Incidents, newest first <a href=");
    tly_view all = *p->v;
    all.page = 0;
    href(p->b, "/incidents", &all, 0);
    P(p->b, ">(all, with the map)</a></h2>\n");
    incidents_table(p->b, &inc, "overview-incidents");
    rowset_free(&inc);
    /* the claimants of the view */
    rowset cl = {0};
    run_view(p, TALLY_LEDGER_VIEW_CLAIMANTS, &f, &cl);
    P(p->b, "<h2>Claimants with the most claims</h2>\n<div class=\"tablewrap\"><table id=\"claimants\" class=\"sortable\"><thead><tr>");
    th(p->b, "claimant", "Claimant", 0); th(p->b, "claims", "Claims", 1);
    P(p->b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < cl.n; i++) {
        P(p->b, "<tr><td><a href=\"/claims?claimant=");
        tly_buf q;
        tly_buf_init(&q, NULL);
        qenc(&q, col(&cl, i, "claimant") ? col(&cl, i, "claimant") : "");
        if (q.data) H(p->b, q.data);
        tly_buf_free(&q);
        P(p->b, "\">");
        H(p->b, col(&cl, i, "claimant"));
        P(p->b, "</a>");
        if (col(&cl, i, "alignment")) {
            P(p->b, " <span class=\"badge ");
            P(p->b, role_class(col(&cl, i, "alignment")));
            P(p->b, "\">");
            H(p->b, col(&cl, i, "alignment"));
            P(p->b, "</span>");
        }
        tly_buf_printf(p->b, "</td><td class=\"num\">%lld</td></tr>\n", icol(&cl, i, "claims"));
    }
    P(p->b, "</tbody></table></div>\n");
    rowset_free(&cl);
    foot(p);
}

typedef void (*table_fn)(tly_buf *b, const rowset *rs, const char *id);

/* A page of a list of the view (per_page, else dflt rows) between its pagers. */
static void paged_list(pg *p, tally_ledger_filter f, tally_ledger_query q, long long total, size_t dflt,
                       const char *what, table_fn table, const char *id) {
    size_t per = per_page(p->v, dflt);
    f.limit = per;
    f.offset = offset_of(p->v, per);
    rowset rs = {0};
    if (total > 0) run_view(p, q, &f, &rs); /* none: no list to walk for nothing */
    pager(p, total, rs.n, per, what);
    table(p->b, &rs, id);
    if (rs.n > 10) pager(p, total, rs.n, per, what);
    rowset_free(&rs);
}

static void page_incidents(pg *p) {
    tally_ledger_filter f = view_filter(p->v);
    head(p, "incidents", "incidents");
    P(p->b, "<h1>Incidents</h1>\n<p class=\"muted\">Claims about the same place and overlapping days form an incident. "
            "Its low, best (median) and high figure, each with the claimant who states it, in the source's words.</p>\n");
    filter_form(p, "/incidents");
    long long total = run_count(p, TALLY_LEDGER_VIEW_INCIDENTS_COUNT, &f);
    P(p->b, "<div class=\"panel\" id=\"map-panel\" data-src=");
    tly_view mv = *p->v;
    mv.page = 0;
    mv.per_page = 0;
    href(p->b, "/api/map", &mv, 0);
    P(p->b, "><p class=\"muted noscript\">The map needs JavaScript; the table below lists the incidents.</p></div>\n");
    paged_list(p, f, TALLY_LEDGER_VIEW_INCIDENTS, total, LIST_DEFAULT, "incidents", incidents_table, "incidents");
    foot(p);
}

static void page_claims(pg *p) {
    tally_ledger_filter f = view_filter(p->v);
    head(p, "claims", "claims");
    P(p->b, "<h1>Claims</h1>\n<p class=\"muted\">Every figure with its claimant, its outlet and the sentence it stands in; newest first.</p>\n");
    filter_form(p, "/claims");
    long long total = run_count(p, TALLY_LEDGER_VIEW_CLAIMS_COUNT, &f);
    paged_list(p, f, TALLY_LEDGER_VIEW_CLAIMS, total, LIST_DEFAULT, "claims", claims_table, "claims");
    foot(p);
}

/* snippet() marks: U+0002 ... U+0003 -> <mark>...</mark> */
static void hits(tly_buf *b, const char *s) {
    if (!s) return;
    int open = 0;
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\x02\x03");
        tly_html_str(b, p, n);
        p += n;
        if (*p == 2 && !open) { P(b, "<mark>"); open = 1; }
        else if (*p == 3 && open) { P(b, "</mark>"); open = 0; }
        if (*p) p++;
    }
    if (open) P(b, "</mark>");
}

static void page_search(pg *p) {
    tally_ledger_filter f = view_filter(p->v);
    char title[300];
    snprintf(title, sizeof title, "search%s%s", nz(p->v->q) ? ": " : "", nz(p->v->q) ? p->v->q : "");
    head(p, title, "search");
    P(p->b, "<h1>Search");
    if (nz(p->v->q)) { P(p->b, ": "); H(p->b, p->v->q); }
    P(p->b, "</h1>\n<p class=\"muted\">Words are found as typed (hyphens, apostrophes and dots too), every word required. "
            "For full-text syntax (Ganja AND missile, Gan*) start with <code>fts:</code>.</p>\n");
    filter_form(p, "/search");
    if (!nz(p->v->q)) { foot(p); return; }
    size_t per = per_page(p->v, 20);
    long long ninc = run_count(p, TALLY_LEDGER_VIEW_INCIDENTS_COUNT, &f);
    long long ncl = run_count(p, TALLY_LEDGER_VIEW_CLAIMS_COUNT, &f);
    long long ndoc = run_count(p, TALLY_LEDGER_VIEW_DOCUMENTS_COUNT, &f);
    tly_buf_printf(p->b, "<p id=\"search-counts\">%lld incident(s), %lld claim(s), %lld document(s)</p>\n", ninc, ncl, ndoc);
    tally_ledger_filter fd = f;
    fd.limit = per;
    fd.offset = offset_of(p->v, per);
    rowset docs = {0};
    if (ndoc > 0) run_view(p, TALLY_LEDGER_VIEW_DOCUMENTS, &fd, &docs);
    P(p->b, "<h2>Documents</h2>\n");
    pager(p, ndoc, docs.n, per, "documents");
    P(p->b, "<div id=\"results\">\n");
    for (size_t i = 0; i < docs.n; i++) {
        tly_buf_printf(p->b, "<div class=\"hit\"><a href=\"/documents/%lld\">", icol(&docs, i, "document_id"));
        hits(p->b, col(&docs, i, "title_hit") ? col(&docs, i, "title_hit") : col(&docs, i, "doc"));
        P(p->b, "</a><div class=\"muted\">");
        H(p->b, col(&docs, i, "source"));
        P(p->b, " · ");
        H(p->b, col(&docs, i, "published"));
        tly_buf_printf(p->b, " · %lld claims</div><div class=\"snippet\">", icol(&docs, i, "n_claims"));
        hits(p->b, col(&docs, i, "text_hit"));
        P(p->b, "</div></div>\n");
    }
    P(p->b, "</div>\n<h2>Claims</h2>\n");
    paged_list(p, f, TALLY_LEDGER_VIEW_CLAIMS, ncl, 20, "claims", claims_table, "search-claims");
    P(p->b, "<h2>Incidents</h2>\n");
    paged_list(p, f, TALLY_LEDGER_VIEW_INCIDENTS, ninc, 20, "incidents", incidents_table, "search-incidents");
    rowset_free(&docs);
    foot(p);
}

static void field(tly_buf *b, const char *name) { P(b, "<dt>"); P(b, name); P(b, "</dt><dd>"); }

/* claim j is a copy of claim i: the same sentence, figure and subject in
 * another document (a syndicated wire) */
static int same_claim(const rowset *rs, size_t i, size_t j) {
    static const char *const keys[] = {"sentence", "count_low", "count_high", "outcome", "victims", "claimant"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        if (!same_text(col(rs, i, keys[k]), col(rs, j, keys[k]))) return 0;
    return icol(rs, i, "document_id") != icol(rs, j, "document_id");
}

/* the row of report r for id (a 404 naming what when there is none) */
static void one_row(pg *p, tally_ledger_report r, int64_t id, const char *what, rowset *rs) {
    run_report(p, r, id, rs);
    if (!p->status && !rs->n) { p->status = 404; snprintf(p->err, sizeof p->err, "no %s #%lld", what, (long long)id); }
}

/* the claims of one incident or document, with outlet and date */
static void claims_of(pg *p, int64_t incident, int64_t document, rowset *rs) {
    tally_ledger_filter f;
    memset(&f, 0, sizeof f);
    f.incident_id = incident;
    f.document_id = document;
    f.limit = 5000;
    run_view(p, TALLY_LEDGER_VIEW_CLAIMS, &f, rs);
}

/* The incidents overlapping this one in place (the place, its district or
 * its towns) and days: the view of that place and those days. */
static void related(pg *p, const rowset *inc, int64_t id) {
    const char *place = col(inc, 0, "place"), *fd = col(inc, 0, "first_day"), *ld = col(inc, 0, "last_day");
    if (!place || !fd || !ld) return;
    tally_ledger_filter f;
    memset(&f, 0, sizeof f);
    f.place = place;
    date_ok(fd, &f.since);
    date_ok(ld, &f.until);
    f.limit = 50;
    rowset rs = {0};
    run_view(p, TALLY_LEDGER_VIEW_INCIDENTS, &f, &rs);
    size_t n = 0;
    for (size_t i = 0; i < rs.n; i++) n += icol(&rs, i, "incident_id") != id;
    if (n) {
        P(p->b, "<h2>Related incidents</h2>\n<ul id=\"related\">");
        for (size_t i = 0; i < rs.n; i++) {
            if (icol(&rs, i, "incident_id") == id) continue;
            tly_buf_printf(p->b, "<li><a href=\"/incidents/%lld\">#%lld ", icol(&rs, i, "incident_id"), icol(&rs, i, "incident_id"));
            place_name(p->b, col(&rs, i, "place"), col(&rs, i, "country"));
            P(p->b, "</a> ");
            H(p->b, col(&rs, i, "kind"));
            P(p->b, ", ");
            dates(p->b, col(&rs, i, "first_day"), col(&rs, i, "last_day"));
            P(p->b, ": ");
            subject(p->b, &rs, i);
            P(p->b, ", best ");
            figure(p->b, col(&rs, i, "best_text"), col(&rs, i, "best_qualifier"), col(&rs, i, "best"), col(&rs, i, "best"));
            P(p->b, "</li>");
        }
        P(p->b, "</ul>\n");
    }
    rowset_free(&rs);
}

static void page_incident(pg *p, int64_t id) {
    rowset inc = {0}, bounds = {0}, cl = {0};
    one_row(p, TALLY_LEDGER_REPORT_INCIDENT, id, "incident", &inc);
    run_report(p, TALLY_LEDGER_REPORT_INCIDENT_BOUNDS, id, &bounds);
    claims_of(p, id, 0, &cl);
    if (p->status) goto out;
    tly_buf *b = p->b;
    char title[300];
    snprintf(title, sizeof title, "incident #%lld %s", (long long)id, col(&inc, 0, "place") ? col(&inc, 0, "place") : "");
    head(p, title, "incident");
    tly_buf_printf(b, "<h1>Incident #%lld: ", (long long)id);
    place_name(b, col(&inc, 0, "place"), col(&inc, 0, "country"));
    P(b, "</h1>\n<dl class=\"fields\">");
    field(b, "kind"); H(b, col(&inc, 0, "kind")); P(b, "</dd>");
    field(b, "days"); dates(b, col(&inc, 0, "first_day"), col(&inc, 0, "last_day")); P(b, "</dd>");
    field(b, "documents dated"); dates(b, col(&inc, 0, "doc_first"), col(&inc, 0, "doc_last")); P(b, "</dd>");
    field(b, "coordinates");
    if (col(&inc, 0, "lat")) tly_buf_printf(b, "%.4f, %.4f", strtod(col(&inc, 0, "lat"), NULL), strtod(col(&inc, 0, "lon"), NULL));
    else P(b, "—");
    P(b, "</dd>");
    tly_buf_printf(b, "<dt>claims</dt><dd>%lld</dd></dl>\n", icol(&inc, 0, "n_claims"));
    /* warnings */
    const char *fd = col(&inc, 0, "first_day"), *ld = col(&inc, 0, "last_day");
    if (fd && ld && strlen(fd) >= 4 && strlen(ld) >= 4 && strncmp(fd, ld, 4) && atoi(ld) - atoi(fd) >= 1 &&
        (atoi(ld) - atoi(fd) > 1 || strcmp(ld + 4, fd + 4) > 0))
        P(b, "<p class=\"warning\" role=\"note\">Its days span more than a year: the claims may be running totals of a war, not one event.</p>\n");
    for (size_t i = 0; i < cl.n; i++) {
        const char *c = col(&cl, i, "claimant"), *pp = col(&cl, i, "perpetrator");
        if (c && pp && !strcmp(c, pp)) {
            P(b, "<p class=\"warning\" role=\"note\">");
            H(b, c);
            P(b, " is both a claimant here and the party blamed.</p>\n");
            break;
        }
    }
    P(b, "<h2>Bounds</h2>\n<div class=\"tablewrap\"><table id=\"bounds\"><thead><tr><th scope=\"col\">Of whom</th><th scope=\"col\">Low</th>"
         "<th scope=\"col\">Best</th><th scope=\"col\">High</th><th scope=\"col\">Claims</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < bounds.n; i++) {
        P(b, "<tr><td>");
        subject(b, &bounds, i);
        P(b, "</td>");
        bound_cell(b, &bounds, i, "low");
        bound_cell(b, &bounds, i, "best");
        bound_cell(b, &bounds, i, "high");
        tly_buf_printf(b, "<td class=\"num\">%lld</td></tr>\n", icol(&bounds, i, "n_claims"));
    }
    P(b, "</tbody></table></div>\n");
    /* the sources: one row a distinct sentence and claimant; copies folded */
    P(b, "<h2>Sources</h2>\n<div class=\"tablewrap\"><table id=\"sources\" class=\"sortable\"><thead><tr>");
    th(b, "outlet", "Outlet", 0); th(b, "published", "Date", 0); th(b, "claimant", "Claimant", 0);
    th(b, "figure", "Figure (source's words)", 1); th(b, "subject", "Of whom", 0);
    P(b, "<th scope=\"col\">Also carried by</th></tr></thead><tbody>\n");
    char *copy = calloc(cl.n + 1, 1);
    for (size_t i = 0; copy && i < cl.n; i++) {
        if (copy[i]) continue;
        for (size_t j = i + 1; j < cl.n; j++)
            if (!copy[j] && same_claim(&cl, i, j)) copy[j] = 1;
        tly_buf_printf(b, "<tr data-claim=\"%lld\"><td>", icol(&cl, i, "claim_id"));
        url_link(b, col(&cl, i, "url"), col(&cl, i, "outlet") ? col(&cl, i, "outlet") : col(&cl, i, "doc"));
        P(b, "</td><td>");
        H(b, col(&cl, i, "published"));
        P(b, "</td><td>");
        claimant(b, col(&cl, i, "claimant"), col(&cl, i, "claimant_alignment"));
        tly_buf_printf(b, "</td><td class=\"num\" data-sort=\"%lld\"><a href=\"/claims/%lld\">", icol(&cl, i, "count_low"), icol(&cl, i, "claim_id"));
        claim_figure(b, &cl, i);
        P(b, "</a></td><td>");
        subject(b, &cl, i);
        P(b, "</td><td>");
        int n = 0;
        for (size_t j = i + 1; j < cl.n; j++)
            if (copy[j] == 1 && same_claim(&cl, i, j)) {
                if (n++) P(b, "; ");
                url_link(b, col(&cl, j, "url"), col(&cl, j, "outlet") ? col(&cl, j, "outlet") : col(&cl, j, "doc"));
                copy[j] = 2;
            }
        if (!n) P(b, "—");
        P(b, "</td></tr>\n");
    }
    P(b, "</tbody></table></div>\n");
    related(p, &inc, id);
    tly_buf_printf(b, "<h2>Claims (%zu)</h2>\n<div id=\"claims\">\n", cl.n);
    for (size_t i = 0; i < cl.n; i++) claim_card(b, &cl, i);
    P(b, "</div>\n");
    free(copy);
    foot(p);
out:
    rowset_free(&inc);
    rowset_free(&bounds);
    rowset_free(&cl);
}

/* A document's text with marks at byte offsets: marks[2k], marks[2k+1] a
 * span, ids[k] its claim (the evidence mark: ids[k] < 0). Overlapping
 * spans are skipped. */
typedef struct span { long long start, end, claim, cs, ce; } span;
static int span_cmp(const void *a, const void *b) {
    const span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : x->claim < y->claim ? -1 : x->claim > y->claim;
}

static void doc_text(tly_buf *b, const char *text, span *sp, size_t n, int evidence) {
    P(b, "<div class=\"doctext\" id=\"doctext\">");
    if (!text) { P(b, "</div>\n"); return; }
    size_t len = strlen(text);
    qsort(sp, n, sizeof *sp, span_cmp);
    long long pos = 0;
    for (size_t i = 0; i < n; i++) {
        span *s = &sp[i];
        if (s->start < pos || s->end > (long long)len || s->end <= s->start) {
            if (s->start == sp[i ? i - 1 : 0].start && i && s->end == sp[i - 1].end)
                tly_buf_printf(b, " <a class=\"claimref\" href=\"/claims/%lld\">[#%lld]</a>", s->claim, s->claim);
            continue;
        }
        tly_html_str(b, text + pos, (size_t)(s->start - pos));
        if (evidence) P(b, "<mark id=\"evidence\" class=\"evidence\">");
        else tly_buf_printf(b, "<mark id=\"c%lld\">", s->claim);
        if (evidence && s->cs >= s->start && s->ce <= s->end && s->ce > s->cs) {
            tly_html_str(b, text + s->start, (size_t)(s->cs - s->start));
            P(b, "<strong>");
            tly_html_str(b, text + s->cs, (size_t)(s->ce - s->cs));
            P(b, "</strong>");
            tly_html_str(b, text + s->ce, (size_t)(s->end - s->ce));
        } else tly_html_str(b, text + s->start, (size_t)(s->end - s->start));
        P(b, "</mark>");
        if (!evidence) tly_buf_printf(b, " <a class=\"claimref\" href=\"/claims/%lld\">[#%lld]</a>", s->claim, s->claim);
        pos = s->end;
    }
    tly_html_str(b, text + pos, len - (size_t)pos);
    P(b, "</div>\n");
}

/* --review: confirm, reject or correct the claim (POST with the token) */
static void review_form(pg *p, int64_t id) {
    tly_buf *b = p->b;
    tly_buf_printf(b, "<section class=\"review panel\" id=\"review\"><h2>Review</h2>\n<form method=\"post\" action=\"/claims/%lld/review\">"
                      "<input type=\"hidden\" name=\"token\" value=\"", (long long)id);
    H(b, p->token);
    P(b, "\"><label>by <input name=\"by\" maxlength=\"100\"></label> <label>note <input name=\"note\" maxlength=\"500\"></label>\n"
         "<button type=\"submit\" name=\"action\" value=\"confirm\">Confirm</button> "
         "<button type=\"submit\" name=\"action\" value=\"reject\">Reject</button>\n"
         "<label>field <select name=\"field\">");
    static const char *const fields[] = {"count_low", "count_high", "outcome", "victims", "scope", "qualifier",
                                         "date_start", "date_end", "claimant"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) tly_buf_printf(b, "<option>%s</option>", fields[i]);
    P(b, "</select></label> <label>value <input name=\"value\" maxlength=\"200\"></label> "
         "<button type=\"submit\" name=\"action\" value=\"correct\">Correct</button></form></section>\n");
}

static void page_claim(pg *p, int64_t id) {
    rowset c = {0}, d = {0}, s = {0};
    one_row(p, TALLY_LEDGER_REPORT_CLAIM, id, "claim", &c);
    run_report(p, TALLY_LEDGER_REPORT_CLAIM_DOCUMENT, id, &d);
    run_report(p, TALLY_LEDGER_REPORT_CLAIM_SERIES, id, &s);
    if (p->status) goto out;
    tly_buf *b = p->b;
    char title[64];
    snprintf(title, sizeof title, "claim #%lld", (long long)id);
    head(p, title, "claim");
    tly_buf_printf(b, "<h1>Claim #%lld: ", (long long)id);
    claim_figure(b, &c, 0);
    P(b, " ");
    subject(b, &c, 0);
    P(b, "</h1>\n<dl class=\"fields\">");
    field(b, "claimant"); claimant(b, col(&c, 0, "claimant"), col(&c, 0, "claimant_alignment")); P(b, "</dd>");
    field(b, "named in the text"); H(b, col(&c, 0, "claimant_text") ? col(&c, 0, "claimant_text") : "—"); P(b, "</dd>");
    field(b, "figure"); claim_figure(b, &c, 0);
    P(b, " <span class=\"muted\">(interval ");
    thousands(b, col(&c, 0, "count_low") ? col(&c, 0, "count_low") : "?");
    P(b, "..");
    if (col(&c, 0, "count_high")) thousands(b, col(&c, 0, "count_high")); else P(b, "open");
    P(b, ")</span></dd>");
    field(b, "date"); dates(b, col(&c, 0, "date_start"), col(&c, 0, "date_end"));
    if (col(&c, 0, "date_text") && *col(&c, 0, "date_text")) { P(b, " (“"); H(b, col(&c, 0, "date_text")); P(b, "”)"); }
    P(b, "</dd>");
    field(b, "place"); place_name(b, col(&c, 0, "place"), col(&c, 0, "country"));
    if (col(&c, 0, "place_text") && *col(&c, 0, "place_text")) { P(b, " (“"); H(b, col(&c, 0, "place_text")); P(b, "”)"); }
    P(b, "</dd>");
    field(b, "place precision"); H(b, col(&c, 0, "place_precision") ? col(&c, 0, "place_precision") : "—"); P(b, "</dd>");
    field(b, "date basis"); H(b, col(&c, 0, "date_basis") ? col(&c, 0, "date_basis") : "—"); P(b, "</dd>");
    field(b, "victims' side"); H(b, col(&c, 0, "victims_side") ? col(&c, 0, "victims_side") : "—"); P(b, "</dd>");
    field(b, "reported by"); H(b, col(&c, 0, "reported_by") ? col(&c, 0, "reported_by") : "—"); P(b, "</dd>");
    field(b, "scope"); H(b, col(&c, 0, "scope")); P(b, "</dd>");
    field(b, "part of");
    if (col(&c, 0, "part_of_claim_id"))
        tly_buf_printf(b, "<a id=\"part-of-link\" href=\"/claims/%lld\">the total of claim #%lld</a>",
                       icol(&c, 0, "part_of_claim_id"), icol(&c, 0, "part_of_claim_id"));
    else P(b, "—");
    P(b, "</dd>");
    field(b, "perpetrator"); H(b, col(&c, 0, "perpetrator") ? col(&c, 0, "perpetrator") : "—"); P(b, "</dd>");
    field(b, "weapon"); H(b, col(&c, 0, "weapon_name") ? col(&c, 0, "weapon_name") : col(&c, 0, "weapon") ? col(&c, 0, "weapon") : "—"); P(b, "</dd>");
    field(b, "incident");
    if (col(&c, 0, "incident_id")) tly_buf_printf(b, "<a id=\"incident-link\" href=\"/incidents/%lld\">incident #%lld</a>", icol(&c, 0, "incident_id"), icol(&c, 0, "incident_id"));
    else P(b, "none (cumulative or no place)");
    P(b, "</dd>");
    field(b, "outlet"); url_link(b, d.n ? col(&d, 0, "url") : NULL, d.n ? col(&d, 0, "source") : NULL); P(b, "</dd>");
    field(b, "document");
    if (d.n) {
        tly_buf_printf(b, "<a id=\"document-link\" href=\"/documents/%lld\">", icol(&d, 0, "document_id"));
        H(b, col(&d, 0, "title") ? col(&d, 0, "title") : col(&d, 0, "doc"));
        P(b, "</a>");
    }
    P(b, "</dd>");
    field(b, "published"); H(b, d.n && col(&d, 0, "published") ? col(&d, 0, "published") : "—"); P(b, "</dd>");
    if (s.n) {
        field(b, "running total");
        for (size_t i = 0; i < s.n; i++) {
            if (i) P(b, " → ");
            int self = icol(&s, i, "claim_id") == id;
            if (!self) tly_buf_printf(b, "<a href=\"/claims/%lld\">", icol(&s, i, "claim_id"));
            else P(b, "<b>");
            thousands(b, col(&s, i, "value"));
            P(b, self ? "</b>" : "</a>");
            P(b, " <span class=\"muted\">(");
            H(b, col(&s, i, "as_of"));
            P(b, ")</span>");
        }
        P(b, "</dd>");
    }
    P(b, "</dl>\n");
    if (p->token) review_form(p, id);
    P(b, "<h2>Evidence in its document</h2>\n");
    span sp = {icol(&c, 0, "start"), icol(&c, 0, "end"), id, icol(&c, 0, "count_start"), icol(&c, 0, "count_end")};
    doc_text(b, d.n ? col(&d, 0, "text") : NULL, &sp, 1, 1);
    foot(p);
out:
    rowset_free(&c);
    rowset_free(&d);
    rowset_free(&s);
}

static void page_document(pg *p, int64_t id) {
    rowset d = {0}, cl = {0};
    one_row(p, TALLY_LEDGER_REPORT_DOCUMENT, id, "document", &d);
    claims_of(p, 0, id, &cl);
    if (p->status) goto out;
    tly_buf *b = p->b;
    const char *title = col(&d, 0, "title") ? col(&d, 0, "title") : col(&d, 0, "doc");
    head(p, title ? title : "document", "document");
    P(b, "<h1>");
    H(b, title);
    P(b, "</h1>\n<dl class=\"fields\">");
    field(b, "id"); H(b, col(&d, 0, "doc")); P(b, "</dd>");
    field(b, "outlet"); H(b, col(&d, 0, "source") ? col(&d, 0, "source") : "—"); P(b, "</dd>");
    field(b, "published"); H(b, col(&d, 0, "published") ? col(&d, 0, "published") : "—"); P(b, "</dd>");
    field(b, "reference date"); H(b, col(&d, 0, "reference_date") ? col(&d, 0, "reference_date") : "—");
    if (col(&d, 0, "reference_basis")) { P(b, " ("); H(b, col(&d, 0, "reference_basis")); P(b, ")"); }
    P(b, "</dd>");
    field(b, "url"); url_link(b, col(&d, 0, "url"), NULL); P(b, "</dd>");
    tly_buf_printf(b, "<dt>claims</dt><dd>%zu</dd></dl>\n", cl.n);
    if (cl.n) claims_table(b, &cl, "doc-claims");
    P(b, "<h2>Text</h2>\n");
    span *sp = calloc(cl.n + 1, sizeof *sp);
    for (size_t i = 0; sp && i < cl.n; i++)
        sp[i] = (span){icol(&cl, i, "start"), icol(&cl, i, "end"), icol(&cl, i, "claim_id"), 0, 0};
    doc_text(b, col(&d, 0, "text"), sp, sp ? cl.n : 0, 0);
    free(sp);
    foot(p);
out:
    rowset_free(&d);
    rowset_free(&cl);
}

/* ---------------------------------------------------------------- view API and exports */
static void json_rows(tly_buf *b, const rowset *rs) {
    tly_buf_putc(b, '[');
    for (size_t i = 0; i < rs->n; i++) {
        if (i) tly_buf_putc(b, ',');
        tally_ledger_row row = {rs->ncols, (const char *const *)rs->names, (const char *const *)&rs->vals[i * rs->ncols],
                                rs->types};
        tly_json_row(b, &row, TLY_JSON_HTML | TLY_JSON_REAL_G10, NULL);
    }
    tly_buf_putc(b, ']');
}

/* rows limit..offset of the view's query q */
static void view_rows(pg *p, tally_ledger_query q, size_t limit, size_t offset, rowset *rs) {
    tally_ledger_filter f = view_filter(p->v);
    f.limit = limit;
    f.offset = offset;
    run_view(p, q, &f, rs);
}

/* /api/map: every incident of the view (up to MAP_MAX), and their count */
static void api_map(pg *p) {
    tally_ledger_filter f = view_filter(p->v);
    long long total = run_count(p, TALLY_LEDGER_VIEW_INCIDENTS_COUNT, &f);
    rowset rs = {0};
    view_rows(p, TALLY_LEDGER_VIEW_INCIDENTS, MAP_MAX, 0, &rs);
    tly_buf_printf(p->b, "{\"total\":%lld,\"incidents\":", total);
    json_rows(p->b, &rs);
    tly_buf_putc(p->b, '}');
    rowset_free(&rs);
}

/* /api/series: the points of a page of series of the view */
static void api_series(pg *p) {
    tally_ledger_filter f = view_filter(p->v);
    long long total = run_count(p, TALLY_LEDGER_VIEW_TIMELINE_COUNT, &f);
    size_t per = per_page(p->v, SERIES_DEFAULT);
    rowset rs = {0};
    view_rows(p, TALLY_LEDGER_VIEW_TIMELINE, per, offset_of(p->v, per), &rs);
    tly_buf_printf(p->b, "{\"series_total\":%lld,\"page\":%zu,\"per_page\":%zu,\"points\":", total, p->v->page ? p->v->page : 1, per);
    json_rows(p->b, &rs);
    tly_buf_putc(p->b, '}');
    rowset_free(&rs);
}

static void export_csv(pg *p) {
    rowset rs = {0};
    view_rows(p, TALLY_LEDGER_VIEW_CLAIMS, EXPORT_MAX, 0, &rs);
    for (size_t k = 0; k < rs.ncols; k++) {
        if (k) tly_buf_putc(p->b, ',');
        tly_csv_field(p->b, rs.names[k], strlen(rs.names[k]), 0);
    }
    if (!rs.ncols) P(p->b, "claim_id");
    P(p->b, "\r\n");
    for (size_t i = 0; i < rs.n; i++) {
        for (size_t k = 0; k < rs.ncols; k++) {
            const char *v = rs.vals[i * rs.ncols + k];
            if (k) tly_buf_putc(p->b, ',');
            if (v) tly_csv_field(p->b, v, strlen(v), rs.types[k] == TALLY_LEDGER_TEXT ? TLY_CSV_TEXT : 0);
        }
        P(p->b, "\r\n");
    }
    rowset_free(&rs);
}

static void export_geojson(pg *p) {
    rowset rs = {0};
    view_rows(p, TALLY_LEDGER_VIEW_INCIDENTS, EXPORT_MAX, 0, &rs);
    P(p->b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t i = 0; i < rs.n; i++) {
        if (i) tly_buf_putc(p->b, ',');
        P(p->b, "\n{\"type\":\"Feature\",\"geometry\":");
        const char *lat = col(&rs, i, "lat"), *lon = col(&rs, i, "lon");
        if (lat && lon) tly_buf_printf(p->b, "{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}", strtod(lon, NULL), strtod(lat, NULL));
        else P(p->b, "null");
        P(p->b, ",\"properties\":");
        tally_ledger_row row = {rs.ncols, (const char *const *)rs.names, (const char *const *)&rs.vals[i * rs.ncols], rs.types};
        tly_json_row(p->b, &row, TLY_JSON_REAL_G10, NULL);
        P(p->b, "}");
    }
    P(p->b, "\n]}\n");
    rowset_free(&rs);
}

/* ---------------------------------------------------------------- routes */
static int64_t path_id(const char *path, const char *prefix) {
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) || path[n] != '/') return -1;
    const char *d = path + n + 1;
    if (!*d || strlen(d) > 15 || d[0] == '0' || strspn(d, "0123456789") != strlen(d)) return -1;
    return strtoll(d, NULL, 10);
}

int tly_pages_route(const char *path) {
    static const char *const exact[] = {"/", "/index.html", "/incidents", "/claims", "/search", "/api/map",
                                        "/api/series", "/export.csv", "/export.geojson"};
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (!strcmp(path, exact[i])) return 1;
    return path_id(path, "/incidents") > 0 || path_id(path, "/claims") > 0 || path_id(path, "/documents") > 0;
}

int tly_pages_expensive(const char *path) {
    return path_id(path, "/incidents") < 0 && path_id(path, "/claims") < 0 && path_id(path, "/documents") < 0;
}

void tly_pages_answer(tally_ledger *l, const char *path, const tly_view *v, const char *review_token, tly_answer *a) {
    pg p = {l, v, path, &a->body, review_token, 0, {0}};
    int64_t id;
    a->type = "text/html; charset=utf-8";
    a->disposition = NULL;
    char msg[200];
    int html = 1;
    if (tly_view_check(v, msg, sizeof msg)) { p.status = 400; snprintf(p.err, sizeof p.err, "%s", msg); }
    else if (!strcmp(path, "/") || !strcmp(path, "/index.html")) page_overview(&p);
    else if (!strcmp(path, "/incidents")) page_incidents(&p);
    else if (!strcmp(path, "/claims")) page_claims(&p);
    else if (!strcmp(path, "/search")) page_search(&p);
    else if ((id = path_id(path, "/incidents")) > 0) page_incident(&p, id);
    else if ((id = path_id(path, "/claims")) > 0) page_claim(&p, id);
    else if ((id = path_id(path, "/documents")) > 0) page_document(&p, id);
    else {
        html = 0;
        if (!strcmp(path, "/api/map")) { a->type = "application/json; charset=utf-8"; api_map(&p); }
        else if (!strcmp(path, "/api/series")) { a->type = "application/json; charset=utf-8"; api_series(&p); }
        else if (!strcmp(path, "/export.csv")) {
            a->type = "text/csv; charset=utf-8";
            a->disposition = "attachment; filename=\"tally-claims.csv\"";
            export_csv(&p);
        } else {
            a->type = "application/geo+json";
            a->disposition = "attachment; filename=\"tally-incidents.geojson\"";
            export_geojson(&p);
        }
    }
    a->status = p.status ? p.status : 200;
    if (!p.status) return;
    if (html) error_page(&p);
    else {
        a->type = "application/json; charset=utf-8";
        a->disposition = NULL;
        a->body.len = 0;
        P(&a->body, "{\"error\":");
        tly_json_str(&a->body, p.err, strlen(p.err), TLY_JSON_HTML);
        P(&a->body, "}");
    }
}
