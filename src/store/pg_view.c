/* pg_view.c -- the PostgreSQL backend's views (issue 14, ops version 4):
 * the web report's lists filtered by every field of tally_ledger_filter
 * and paged (offset, limit), each with a count of its rows. The statements
 * of sqlite_view.c in PostgreSQL's dialect, with the same columns, the
 * same rows and the same order: NULLs placed as SQLite places them (first
 * ascending, last descending), NOCASE as lower() over bytes, round() over
 * numeric, LIKE as ILIKE (SQLite's LIKE ignores ASCII case).
 *
 * Search: the words of the plain text, each a quoted phrase of
 * websearch_to_tsquery over documents.fts (as pg_query.c searches), all of
 * them required; "fts:" before the text asks for FTS5's operators (AND,
 * OR, NOT, "a phrase"; a prefix star is dropped: no prefix search).
 * Documents are ranked by ts_rank (not FTS5's bm25) and marked by
 * ts_headline: the same documents as SQLite's, maybe in another order,
 * with other snippets.
 *
 * A ledger of schema 3 (before issue 12's columns) still gives its views:
 * the claims' victims_side, date_basis, place_precision, reported_by and
 * part_of_claim_id are NULL there, and a victims_side filter is refused.
 *
 * Parameters of every statement: $1 place, $2 claimant, $3 outcome,
 * $4 since, $5 until (days), $6 the search text (websearch syntax),
 * $7 limit (NULL: none), $8 offset, $9 country, $10 alignment, $11 victims,
 * $12 victims_side. */
#include "store/pg.h"
#include "util/buf.h"
#include "util/words.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NP 12

/* ---------------------------------------------------------------- search text
 * The search text as websearch_to_tsquery's, into out (NUL-terminated).
 * Plain text (what people type): each word (a run of non-space bytes with
 * a letter or a digit) a quoted phrase, a possessive 's or ’s dropped, the
 * quotes of a word dropped (there is no escape inside one): all of them
 * required. fts (after "fts:", FTS5's syntax): a quoted phrase as it is,
 * AND implied, OR kept, NOT x as -x, a prefix star dropped (websearch has
 * no prefix search). */
/* one word as a quoted phrase (its quotes dropped: there is no escape
 * inside one), after a space but the first */
static int ws_word(void *ctx, const char *w, size_t n) {
    tly_buf *out = ctx;
    if (out->len) tly_buf_putc(out, ' ');
    tly_buf_putc(out, '"');
    for (size_t i = 0; i < n; i++)
        if (w[i] != '"') tly_buf_putc(out, w[i]);
    tly_buf_putc(out, '"');
    return 0;
}

static void search_text(const char *q, int fts, tly_buf *out) {
    if (!fts) {
        tly_query_words(q, ws_word, out);
        tly_buf_putc(out, 0);
        return;
    }
    const char *p = q;
    int negate = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (!*p) break;
        const char *w = p;
        if (*p == '"') { /* a phrase, to its closing quote */
            for (p++; *p && *p != '"'; p++) {}
            if (*p) p++;
        }
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
        size_t n = (size_t)(p - w);
        if (n == 3 && !memcmp(w, "AND", 3)) continue;
        if (n == 3 && !memcmp(w, "NOT", 3)) { negate = 1; continue; }
        if (out->len) tly_buf_putc(out, ' ');
        if (n == 2 && !memcmp(w, "OR", 2)) { tly_buf_puts(out, "or"); continue; }
        if (negate) tly_buf_putc(out, '-');
        negate = 0;
        tly_buf_put(out, w, n > 1 && w[n - 1] == '*' ? n - 1 : n);
    }
    tly_buf_putc(out, 0);
}

/* ---------------------------------------------------------------- filters */
typedef struct vfilter {
    const char *text[NP + 1]; /* bound to $1..$12 (index 0 unused); NULL: not set */
    char since[11], until[11];
    int64_t incident, document; /* 0: any */
} vfilter;

static int set(const char *s) { return s && *s; }

#define LOWER1 "lower($1::text COLLATE \"C\")"
#define PLACES                                                                                     \
    "(SELECT id FROM places WHERE lower(name) = " LOWER1 " OR gazetteer_id::text = $1::text"        \
    " OR lower(name || ' (' || coalesce(country, '-') || ')') = " LOWER1                           \
    " UNION SELECT p.id FROM places p JOIN places q ON p.parent_id = q.id WHERE lower(q.name) = " LOWER1 \
    " UNION SELECT parent_id FROM places WHERE lower(name) = " LOWER1 " AND parent_id IS NOT NULL)"
#define LOWER2 "lower($2::text COLLATE \"C\")"
#define ACTORS                                                                   \
    "(SELECT id FROM actors WHERE strpos(lower(name), " LOWER2 ") > 0"           \
    " UNION SELECT actor_id FROM actor_aliases WHERE strpos(lower(alias), " LOWER2 ") > 0)"
#define TSQ "websearch_to_tsquery('simple', $6::text)"

/* the claims (alias c) of the view, as " AND ..." clauses; dates on the
 * claim's days, or (timeline) on the point's as-of day */
static void claim_where(tly_buf *b, const vfilter *v, int points) {
    if (v->text[1]) tly_buf_puts(b, " AND c.place_id IN " PLACES);
    if (v->text[2]) tly_buf_puts(b, " AND c.claimant_id IN " ACTORS);
    if (v->text[3]) tly_buf_puts(b, " AND c.outcome = $3::text");
    if (v->text[4]) tly_buf_puts(b, points ? " AND sp.as_of >= $4::text" : " AND c.last_day >= $4::text");
    if (v->text[5]) tly_buf_puts(b, points ? " AND sp.as_of <= $5::text" : " AND c.first_day <= $5::text");
    if (v->text[6]) tly_buf_puts(b, " AND c.document_id IN (SELECT id FROM documents WHERE fts @@ " TSQ ")");
    if (v->text[9]) tly_buf_puts(b, " AND c.place_id IN (SELECT id FROM places WHERE country = upper($9::text))");
    if (v->text[10]) {
        if (!strcmp(v->text[10], "unknown"))
            tly_buf_puts(b, " AND (c.claimant_alignment IS NULL OR c.claimant_alignment = 'unknown')");
        else tly_buf_puts(b, " AND (c.claimant_alignment = $10::text OR c.claimant_alignment ILIKE $10::text || ':%')");
    }
    if (v->text[11]) tly_buf_puts(b, " AND c.victims = $11::text");
    if (v->text[12]) tly_buf_puts(b, " AND c.victims_side = $12::text");
    if (v->incident) tly_buf_printf(b, " AND c.incident_id = %lld", (long long)v->incident);
    if (v->document) tly_buf_printf(b, " AND c.document_id = %lld", (long long)v->document);
}

/* 1 when a filter of the claims themselves (not their days or place) is set */
static int claim_level(const vfilter *v) {
    return v->text[2] || v->text[3] || v->text[6] || v->text[10] || v->text[11] || v->text[12] || v->document;
}

static int any_filter(const vfilter *v) {
    for (int i = 1; i <= NP; i++)
        if (v->text[i]) return 1;
    return v->incident || v->document;
}

/* ---------------------------------------------------------------- statements */
#define INC_COLS                                                                                          \
    "SELECT i.id AS incident_id, i.kind, p.name AS place, p.country, p.kind AS place_kind,"                \
    " CASE WHEN p.kind IN ('country', 'area', 'region') THEN NULL ELSE p.lat END AS lat,"                 \
    " CASE WHEN p.kind IN ('country', 'area', 'region') THEN NULL ELSE p.lon END AS lon,"                 \
    " i.first_day, i.last_day, i.doc_first, i.doc_last, i.n_claims, b.outcome, b.victims,"                 \
    " b.n_claims AS bound_claims, b.low, lc.claimant AS low_claimant, b.low_claim_id, lc.count_text AS low_text," \
    " lc.qualifier AS low_qualifier, b.best, bc.claimant AS best_claimant, b.best_claim_id,"               \
    " bc.count_text AS best_text, bc.qualifier AS best_qualifier, b.high, hc.claimant AS high_claimant,"   \
    " b.high_claim_id, hc.count_text AS high_text, hc.qualifier AS high_qualifier, b.high_open,"           \
    " (SELECT count(DISTINCT x.claimant_id) FROM claims x WHERE x.incident_id = i.id) AS claimants,"       \
    " (SELECT count(*) FROM incident_bounds y WHERE y.incident_id = i.id) AS n_bounds"                     \
    " FROM page JOIN incidents i ON i.id = page.id JOIN places p ON p.id = i.place_id"                    \
    " JOIN incident_bounds b ON b.incident_id = i.id AND (b.outcome, b.victims) ="                         \
    " (SELECT b2.outcome, b2.victims FROM incident_bounds b2 WHERE b2.incident_id = i.id"
#define INC_JOINS                                                                                         \
    " ORDER BY b2.outcome = 'killed' DESC, b2.outcome, coalesce(b2.best, -1) DESC, b2.victims LIMIT 1)"    \
    " LEFT JOIN claims lc ON lc.id = b.low_claim_id LEFT JOIN claims bc ON bc.id = b.best_claim_id"         \
    " LEFT JOIN claims hc ON hc.id = b.high_claim_id"
#define INC_ORDER " ORDER BY i.first_day DESC NULLS LAST, i.id DESC"

static void incidents_sql(tly_buf *b, const vfilter *v, int count) {
    tly_buf_puts(b, count ? "SELECT count(*) AS n FROM incidents i" : "WITH page AS (SELECT i.id FROM incidents i");
    if (v->text[9]) tly_buf_puts(b, " JOIN places p ON p.id = i.place_id");
    tly_buf_puts(b, " WHERE true");
    if (v->text[3] || v->text[11]) {
        tly_buf_puts(b, " AND EXISTS (SELECT 1 FROM incident_bounds b2 WHERE b2.incident_id = i.id");
        if (v->text[3]) tly_buf_puts(b, " AND b2.outcome = $3::text");
        if (v->text[11]) tly_buf_puts(b, " AND b2.victims = $11::text");
        tly_buf_puts(b, ")");
    }
    if (v->text[1]) tly_buf_puts(b, " AND i.place_id IN " PLACES);
    if (v->text[4]) tly_buf_puts(b, " AND coalesce(i.last_day, i.window_last) >= $4::text");
    if (v->text[5]) tly_buf_puts(b, " AND coalesce(i.first_day, i.window_first) <= $5::text");
    if (v->text[9]) tly_buf_puts(b, " AND p.country = upper($9::text)");
    if (claim_level(v)) {
        vfilter w = *v; /* the claims' own filters; the incident's days and place are above */
        w.text[1] = w.text[4] = w.text[5] = w.text[9] = NULL;
        tly_buf_puts(b, " AND EXISTS (SELECT 1 FROM claims c WHERE c.incident_id = i.id");
        claim_where(b, &w, 0);
        tly_buf_puts(b, ")");
    }
    if (count) return;
    tly_buf_puts(b, INC_ORDER " LIMIT $7::bigint OFFSET $8::bigint) " INC_COLS);
    if (v->text[3]) tly_buf_puts(b, " AND b2.outcome = $3::text");
    if (v->text[11]) tly_buf_puts(b, " AND b2.victims = $11::text");
    tly_buf_puts(b, INC_JOINS INC_ORDER);
}

/* schema 4's columns of the claims, or NULLs on a ledger of schema 3 */
#define CLAIM_COLS_HEAD                                                                                   \
    "SELECT c.id AS claim_id, c.document_id, c.doc, d.title, d.source AS outlet, d.url, d.published,"     \
    " c.outcome, c.count_low, c.count_high, c.qualifier, c.count_text, c.victims, "
#define CLAIM_COLS_MID                                                                                    \
    " c.weapon_name, c.sentence, c.start, c.\"end\", c.count_start, c.count_end, c.first_day, c.last_day," \
    " c.incident_id FROM claims c JOIN documents d ON d.id = c.document_id WHERE true"
#define ROUND(x) "round(c." x "::numeric, 5)::float8 AS " x
/* (a ledger is read only at the current schema: tally_ledger_open migrates
 * an older one, or refuses it read-only) */
static const char claim_cols[] =
    CLAIM_COLS_HEAD "c.victims_side, c.scope, c.place, c.place_precision, c.country, " ROUND("lat") ", " ROUND("lon")
    ", c.date_start, c.date_end, c.date_basis, c.claimant, c.claimant_alignment, c.reported_by, c.perpetrator,"
    " (SELECT t.id FROM claims t WHERE t.document_id = c.document_id AND t.seq = c.part_of) AS part_of_claim_id,"
    CLAIM_COLS_MID;

static void claims_sql(tly_buf *b, const vfilter *v, int count) {
    tly_buf_puts(b, count ? "SELECT count(*) AS n FROM claims c WHERE true" : claim_cols);
    claim_where(b, v, 0);
    if (!count) tly_buf_puts(b, " ORDER BY c.first_day DESC NULLS LAST, c.id DESC LIMIT $7::bigint OFFSET $8::bigint");
}

static void documents_sql(tly_buf *b, const vfilter *v, int count) {
    tly_buf_puts(b, count ? "SELECT count(*) AS n FROM documents d"
                          : "SELECT d.id AS document_id, d.doc, d.title, d.source, d.url, d.published, d.n_claims,"
                            " ts_headline('simple', coalesce(d.title, ''), " TSQ ","
                            " 'StartSel=\x02, StopSel=\x03, HighlightAll=true') AS title_hit,"
                            " ts_headline('simple', d.text, " TSQ ", 'StartSel=\x02, StopSel=\x03, MaxFragments=1,"
                            " MaxWords=32, MinWords=8, FragmentDelimiter=\xe2\x80\xa6') AS text_hit"
                            " FROM documents d");
    tly_buf_puts(b, " WHERE d.fts @@ " TSQ);
    vfilter w = *v;
    w.text[6] = NULL;
    if (w.text[1] || w.text[2] || w.text[3] || w.text[4] || w.text[5] || w.text[9] || w.text[10] || w.text[11] ||
        w.text[12]) {
        tly_buf_puts(b, " AND d.id IN (SELECT c.document_id FROM claims c WHERE true");
        claim_where(b, &w, 0);
        tly_buf_puts(b, ")");
    }
    if (!count) tly_buf_puts(b, " ORDER BY ts_rank(d.fts, " TSQ ") DESC, d.id LIMIT $7::bigint OFFSET $8::bigint");
}

#define TL_COLS                                                                                           \
    " SELECT t.series_id, t.claimant, t.claimant_alignment, t.outcome, t.victims, t.as_of,"               \
    " t.period_start, t.value, t.count_low, t.count_high, t.down, t.differs, t.doc, c.document_id,"        \
    " t.place, t.sentence, t.claim_id, t.frame, c.count_text, c.qualifier"                                 \
    " FROM timeline_v t JOIN claims c ON c.id = t.claim_id WHERE t.series_id IN (SELECT id FROM ser)"
#define TL_ORDER                                                                                          \
    " ORDER BY (SELECT x.n_points FROM series x WHERE x.id = t.series_id) DESC, t.claimant IS NULL,"       \
    " t.claimant, t.outcome, t.victims, t.series_id, t.as_of NULLS FIRST, t.claim_id"
#define TL_SERIES                                                                                         \
    " ORDER BY s.n_points DESC, s.claimant IS NULL, s.claimant, s.outcome, s.victims, s.id"                \
    " LIMIT $7::bigint OFFSET $8::bigint)"

static void timeline_sql(tly_buf *b, const vfilter *v, int count) {
    if (!any_filter(v)) {
        if (count) tly_buf_puts(b, "SELECT count(*) AS n FROM series WHERE n_points > 0");
        else tly_buf_puts(b, "WITH ser AS (SELECT s.id FROM series s WHERE s.n_points > 0" TL_SERIES TL_COLS TL_ORDER);
        return;
    }
    tly_buf_puts(b, "WITH pts AS (SELECT sp.claim_id, sp.series_id FROM series_points sp"
                    " JOIN claims c ON c.id = sp.claim_id WHERE true");
    claim_where(b, v, 1);
    if (count) {
        tly_buf_puts(b, ") SELECT count(DISTINCT series_id) AS n FROM pts");
        return;
    }
    tly_buf_puts(b, "), ser AS (SELECT s.id FROM series s WHERE s.id IN (SELECT series_id FROM pts)" TL_SERIES TL_COLS
                    " AND t.claim_id IN (SELECT claim_id FROM pts)" TL_ORDER);
}

static void claimants_sql(tly_buf *b, const vfilter *v) {
    if (!any_filter(v))
        tly_buf_puts(b, "WITH n AS (SELECT * FROM (SELECT a.id, (SELECT count(*) FROM claims c WHERE c.claimant_id = a.id)"
                        " AS claims FROM actors a) x WHERE claims > 0), top");
    else {
        tly_buf_puts(b, "WITH n AS (SELECT c.claimant_id AS id, count(*) AS claims FROM claims c WHERE c.claimant_id IS NOT NULL");
        claim_where(b, v, 0);
        tly_buf_puts(b, " GROUP BY c.claimant_id), top");
    }
    tly_buf_puts(b, " AS (SELECT n.id, n.claims, a.name, a.alignment, a.role FROM n"
                    " JOIN actors a ON a.id = n.id ORDER BY n.claims DESC, a.name LIMIT $7::bigint OFFSET $8::bigint)"
                    " SELECT top.id AS actor_id, top.name AS claimant, top.alignment, top.role, top.claims"
                    " FROM top ORDER BY top.claims DESC, top.name");
}

/* ---------------------------------------------------------------- running */
/* A column's type as the ledger's rows give it. */
static tally_ledger_type pg_type(Oid o) {
    switch (o) {
    case 16: case 20: case 21: case 23: case 1700: return TALLY_LEDGER_INT; /* bool, int8/2/4, numeric */
    case 700: case 701: return TALLY_LEDGER_REAL;                          /* float4/8 */
    default: return TALLY_LEDGER_TEXT;
    }
}

/* The rows of one statement, one at a time (libpq's single-row mode), to fn. */
typedef struct vrows {
    size_t n;
    const char **names, **values;
    tally_ledger_type *types;
    char (*reals)[40];
} vrows;

static int vrows_emit(vrows *w, PGresult *r, tally_ledger_row_fn fn, void *ctx) {
    for (size_t i = 0; i < w->n; i++) {
        const char *v = PQgetisnull(r, 0, (int)i) ? NULL : PQgetvalue(r, 0, (int)i);
        if (v && w->types[i] == TALLY_LEDGER_REAL) {
            tly_store_real_text(strtod(v, NULL), w->reals[i]);
            v = w->reals[i];
        } else if (v && PQftype(r, (int)i) == 16) v = *v == 't' ? "1" : "0";
        w->values[i] = v;
    }
    tally_ledger_row row = {w->n, w->names, w->values, w->types};
    return fn(ctx, &row);
}

static tally_status run(tly_store *st, const char *sql, const char *const *vals, tally_ledger_row_fn fn, void *ctx,
                        tally_error *err) {
    static const Oid types[NP] = {25, 25, 25, 25, 25, 25, 20, 20, 25, 25, 25, 25};
    if (st->last) { PQclear(st->last); st->last = NULL; }
    st->statements++;
    if (!PQsendQueryParams(st->conn, sql, NP, types, vals, NULL, NULL, 0) || !PQsetSingleRowMode(st->conn))
        return tly_pg_error(st, NULL, err, "view");
    tally_status ret = TALLY_OK;
    vrows w;
    memset(&w, 0, sizeof w);
    PGresult *r, *named = NULL; /* named: the row whose column names w.names borrows */
    while ((r = PQgetResult(st->conn))) {
        ExecStatusType t = PQresultStatus(r);
        if (t == PGRES_SINGLE_TUPLE && !ret) {
            if (!named) {
                w.n = (size_t)PQnfields(r);
                w.names = calloc(w.n + 1, sizeof *w.names);
                w.values = calloc(w.n + 1, sizeof *w.values);
                w.types = calloc(w.n + 1, sizeof *w.types);
                w.reals = calloc(w.n + 1, sizeof *w.reals);
                named = r;
                if (!w.names || !w.values || !w.types || !w.reals) {
                    ret = TALLY_ERR_NOMEM;
                    tly_set_error(err, ret, NULL);
                    PQrequestCancel(st->conn);
                    continue;
                }
                for (size_t i = 0; i < w.n; i++) {
                    w.names[i] = PQfname(r, (int)i);
                    w.types[i] = pg_type(PQftype(r, (int)i));
                }
            }
            if (vrows_emit(&w, r, fn, ctx)) {
                ret = TALLY_ERR_IO;
                tly_set_error(err, ret, "stopped");
                PQrequestCancel(st->conn); /* the rest is not wanted */
            }
            if (r != named) PQclear(r);
            continue;
        }
        if (t == PGRES_FATAL_ERROR && !ret) {
            const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            if (code && !strcmp(code, "57014")) { ret = TALLY_ERR_LIMIT; tly_set_error(err, ret, "query took too long"); }
            else ret = tly_pg_error(st, r, err, "view");
        }
        PQclear(r);
    }
    free(w.names);
    free(w.values);
    free(w.types);
    free(w.reals);
    PQclear(named);
    return ret;
}

tally_status tly_pg_view(tly_store *st, tally_ledger_query q, const tally_ledger_filter *f, tally_ledger_row_fn fn,
                         void *ctx, tally_error *err) {
    if (q < TALLY_LEDGER_VIEW_INCIDENTS || q > TALLY_LEDGER_VIEW_CLAIMANTS) {
        tly_set_error(err, TALLY_ERR_USAGE, "bad query");
        return TALLY_ERR_USAGE;
    }
    vfilter v;
    memset(&v, 0, sizeof v);
    char tmp[11];
    if (f->since.year) tly_date_bounds(f->since, v.since, tmp);
    if (f->until.year) tly_date_bounds(f->until, tmp, v.until);
    const char *texts[NP + 1] = {NULL, f->place, f->claimant, f->outcome, v.since, v.until, NULL, NULL, NULL,
                                 f->country, f->alignment, f->victims, f->victims_side};
    for (int i = 1; i <= NP; i++) v.text[i] = set(texts[i]) ? texts[i] : NULL;
    v.incident = f->incident_id > 0 ? f->incident_id : 0;
    v.document = f->document_id > 0 ? f->document_id : 0;
    tly_buf ws;
    tly_buf_init(&ws, NULL);
    if (set(f->query)) {
        int fts = !strncmp(f->query, "fts:", 4);
        search_text(fts ? f->query + 4 : f->query, fts, &ws);
        if (ws.failed) { tly_buf_free(&ws); tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
        if (*ws.data) v.text[6] = ws.data;
    }
    int search = q == TALLY_LEDGER_VIEW_DOCUMENTS || q == TALLY_LEDGER_VIEW_DOCUMENTS_COUNT;
    if (search && !v.text[6]) {
        /* nothing to search for: no rows (a count of 0) */
        tly_buf_free(&ws);
        if (q == TALLY_LEDGER_VIEW_DOCUMENTS) return TALLY_OK;
        static const char *const names[] = {"n"}, *const values[] = {"0"};
        static const tally_ledger_type types[] = {TALLY_LEDGER_INT};
        tally_ledger_row row = {1, names, values, types};
        if (fn(ctx, &row)) { tly_set_error(err, TALLY_ERR_IO, "stopped"); return TALLY_ERR_IO; }
        return TALLY_OK;
    }

    tly_buf sql;
    tly_buf_init(&sql, NULL);
    switch (q) {
    case TALLY_LEDGER_VIEW_INCIDENTS: incidents_sql(&sql, &v, 0); break;
    case TALLY_LEDGER_VIEW_INCIDENTS_COUNT: incidents_sql(&sql, &v, 1); break;
    case TALLY_LEDGER_VIEW_CLAIMS: claims_sql(&sql, &v, 0); break;
    case TALLY_LEDGER_VIEW_CLAIMS_COUNT: claims_sql(&sql, &v, 1); break;
    case TALLY_LEDGER_VIEW_DOCUMENTS: documents_sql(&sql, &v, 0); break;
    case TALLY_LEDGER_VIEW_DOCUMENTS_COUNT: documents_sql(&sql, &v, 1); break;
    case TALLY_LEDGER_VIEW_TIMELINE: timeline_sql(&sql, &v, 0); break;
    case TALLY_LEDGER_VIEW_TIMELINE_COUNT: timeline_sql(&sql, &v, 1); break;
    default: claimants_sql(&sql, &v); break;
    }
    char limit[24], offset[24];
    snprintf(limit, sizeof limit, "%zu", f->limit);
    snprintf(offset, sizeof offset, "%zu", f->offset);
    const char *vals[NP];
    for (int i = 0; i < NP; i++) vals[i] = v.text[i + 1];
    vals[6] = f->limit ? limit : NULL; /* $7: NULL is no limit */
    vals[7] = offset;
    tally_status ret;
    if (sql.failed) { ret = TALLY_ERR_NOMEM; tly_set_error(err, ret, NULL); }
    else ret = run(st, sql.data, vals, fn, ctx, err);
    tly_buf_free(&sql);
    tly_buf_free(&ws);
    return ret;
}
