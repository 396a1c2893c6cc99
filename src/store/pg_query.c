/* pg_query.c -- the PostgreSQL backend's reads: the ledger's queries
 * (claims, incidents, timeline, sources, search and exports) and the web
 * report's, as rows of named columns: SQLite's statements
 * (sqlite_query.c) in PostgreSQL's dialect, with the same columns, the
 * same rows and the same order (NULL first in ascending order, as in
 * SQLite; NOCASE is lower() over bytes). Rows are streamed (libpq's
 * single-row mode): a query of a million rows is never held whole.
 *
 * Full-text search: the tsvector of documents.fts, queried with
 * websearch_to_tsquery (which never fails on what a user types:
 * "Amnesty's", an unclosed quote); the FTS5 operators a user may have
 * learnt on SQLite (AND, OR, NOT) are translated. Hits are marked by
 * ts_headline and ranked by ts_rank (not FTS5's bm25: the same documents,
 * maybe in another order, with other snippets). */
#include "store/pg.h"
#include "util/buf.h"
#include "store/codebooks.h"
#include "util/claim_fields.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parameters: $1 place, $2 claimant, $3 outcome, $4 since, $5 until,
 * $6 search query (websearch syntax), $7 limit. */
#define P1 "lower($1::text COLLATE \"C\")"
/* "x = " PLACES: the ids computed first (an array), so the planner walks
 * the indexes from them instead of joining everything and filtering */
#define PLACES                                                                                   \
    "ANY(ARRAY(SELECT id FROM places WHERE lower(name) = " P1 " OR gazetteer_id::text = $1::text" \
    " OR lower(name || ' (' || coalesce(country, '-') || ')') = " P1                             \
    " UNION SELECT p.id FROM places p JOIN places q ON p.parent_id = q.id WHERE lower(q.name) = " P1 \
    " UNION SELECT parent_id FROM places WHERE lower(name) = " P1 " AND parent_id IS NOT NULL))"
#define P2 "lower($2::text COLLATE \"C\")"
#define ACTORS                                                                    \
    "ANY(ARRAY(SELECT id FROM actors WHERE strpos(lower(name), " P2 ") > 0"       \
    " UNION SELECT actor_id FROM actor_aliases WHERE strpos(lower(alias), " P2 ") > 0))"
#define TSQ "websearch_to_tsquery('simple', $6::text)"

#define BOUNDS_SELECT                                                                            \
    "SELECT v.incident_id, v.kind, v.place, v.country, v.lat, v.lon, v.first_day, v.last_day,"  \
    " v.outcome, v.victims, v.n_claims, v.low, v.low_claimant, v.low_doc, v.best, v.best_claimant," \
    " v.best_doc, v.high, v.high_open, v.high_claimant, v.high_doc"
#define INC_CLAIM_COLS                                                                           \
    ", v.claim_id, v.count_low, v.count_high, v.qualifier, v.date_start, v.date_end, v.claim_place," \
    " v.claimant, v.claimant_alignment, v.doc, v.title, v.sentence"
#define INC_ORDER " ORDER BY lower(v.place), coalesce(i.first_day, i.doc_first) NULLS FIRST, v.incident_id, v.outcome, v.victims"

typedef struct qspec {
    const char *select; /* SELECT ... FROM ... WHERE true */
    const char *place, *claimant, *outcome, *since, *until, *group, *order;
} qspec;

static const qspec specs[] = {
    [TALLY_LEDGER_CLAIMS] = {
        "SELECT v.claim_id, v.doc, v.outcome, v.count_low, v.count_high, v.qualifier, v.victims, v.scope,"
        " v.place, v.country, v.date_start, v.date_end, v.claimant, v.claimant_alignment, v.perpetrator,"
        " v.weapon, v.weapon_name, v.incident_id, v.title, v.publisher, v.published, v.sentence,"
        " v.place_kind, v.review_status, (SELECT string_agg(f.field || '=' || coalesce(f.value, ''), '; '"
        " ORDER BY f.field) FROM (SELECT DISTINCT ON (f.field) f.field, f.value FROM review_fields f"
        " JOIN reviews r ON r.id = f.review_id WHERE r.claim_key = v.claim_key ORDER BY f.field, r.id DESC) f)"
        " AS corrected, v.same_as, v.also_in,"
        " v.url, v.victims_side, v.date_basis, v.place_precision, v.reported_by, v.part_of, v.part_of_claim_id"
        " FROM claims_v v WHERE true",
        " AND v.place_id = " PLACES, " AND v.claimant_id = " ACTORS, " AND v.outcome = $3::text",
        " AND v.last_day >= $4::text", " AND v.first_day <= $5::text", NULL,
        " ORDER BY v.first_day IS NULL, v.first_day, v.document_id, v.seq"},
    [TALLY_LEDGER_INCIDENTS] = {
        BOUNDS_SELECT INC_CLAIM_COLS
        " FROM incident_claims_v v JOIN incidents i ON i.id = v.incident_id WHERE true",
        " AND i.place_id = " PLACES,
        " AND v.incident_id IN (SELECT incident_id FROM claims WHERE claimant_id = " ACTORS ")",
        " AND v.outcome = $3::text", " AND coalesce(i.last_day, i.window_last) >= $4::text",
        " AND coalesce(i.first_day, i.window_first) <= $5::text", NULL, INC_ORDER ", v.claim_id"},
    [TALLY_LEDGER_TIMELINE] = {
        "SELECT v.series_id, v.claimant, v.claimant_alignment, v.outcome, v.victims, v.as_of,"
        " v.period_start, v.value, v.count_low, v.count_high,"
        " trim(CASE WHEN v.down <> 0 THEN 'down ' ELSE '' END || CASE WHEN v.differs <> 0 THEN 'differs' ELSE '' END)"
        " AS flags, v.down, v.differs, v.doc, v.place, v.sentence, v.frame FROM timeline_v v WHERE true",
        " AND v.place_id = " PLACES, " AND v.claimant_id = " ACTORS, " AND v.outcome = $3::text",
        " AND v.as_of >= $4::text", " AND v.as_of <= $5::text", NULL,
        " ORDER BY v.claimant IS NULL, v.claimant, v.outcome, v.victims, v.as_of NULLS FIRST, v.claim_id"},
    [TALLY_LEDGER_SOURCES] = {
        "SELECT a.name AS claimant, a.alignment, a.role, a.side, count(c.id) AS claims,"
        " count(DISTINCT c.document_id) AS documents, min(c.first_day) AS first_day,"
        " max(c.last_day) AS last_day,"
        " (SELECT string_agg(x.alias, '; ' ORDER BY x.alias) FROM actor_aliases x WHERE x.actor_id = a.id) AS aliases"
        " FROM actors a JOIN claims c ON c.claimant_id = a.id WHERE true",
        " AND c.place_id = " PLACES, " AND a.id = " ACTORS, " AND c.outcome = $3::text",
        " AND c.last_day >= $4::text", " AND c.first_day <= $5::text", " GROUP BY a.id",
        " ORDER BY lower(a.name), a.id"},
    [TALLY_LEDGER_SEARCH] = {
        "SELECT d.doc, d.title, d.source, d.published, d.n_claims,"
        " ts_headline('simple', d.text, " TSQ ", 'StartSel=[, StopSel=], MaxFragments=1, MaxWords=16,"
        " MinWords=4, FragmentDelimiter=...') AS snippet"
        " FROM documents d WHERE d.fts @@ " TSQ,
        " AND d.id IN (SELECT document_id FROM claims WHERE place_id = " PLACES ")",
        " AND d.id IN (SELECT document_id FROM claims WHERE claimant_id = " ACTORS ")",
        " AND d.id IN (SELECT document_id FROM claims WHERE outcome = $3::text)",
        " AND d.reference_date >= $4::text", " AND d.reference_date <= $5::text", NULL,
        " ORDER BY ts_rank(d.fts, " TSQ ") DESC, d.id"},
    [TALLY_LEDGER_EXPORT_ACLED] = {
        TLY_ACLED_SELECT " WHERE true",
        " AND v.place_id = " PLACES,
        " AND v.incident_id IN (SELECT incident_id FROM claims WHERE claimant_id = " ACTORS ")",
        " AND v.incident_id IN (SELECT incident_id FROM incident_bounds WHERE outcome = $3::text)",
        " AND v.span_last >= $4::text", " AND v.span_first <= $5::text", NULL,
        " ORDER BY v.event_date IS NULL, v.event_date, v.incident_id"},
    [TALLY_LEDGER_EXPORT_UCDP] = {
        TLY_UCDP_SELECT " WHERE true",
        " AND v.place_id = " PLACES,
        " AND v.id IN (SELECT incident_id FROM claims WHERE claimant_id = " ACTORS ")",
        " AND 'killed' = $3::text", " AND v.span_last >= $4::text", " AND v.span_first <= $5::text", NULL,
        " ORDER BY v.date_start IS NULL, v.date_start, v.id"},
    [TALLY_LEDGER_EXPORT_CLAIMS] = {
        NULL, /* flat_select(): the extract contract's fields, from src/util/claim_fields.h */
        " AND c.place_id = " PLACES, " AND c.claimant_id = " ACTORS, " AND c.outcome = $3::text",
        " AND c.last_day >= $4::text", " AND c.first_day <= $5::text", NULL, " ORDER BY c.document_id, c.seq"},
    [TALLY_LEDGER_BOUNDS] = {
        BOUNDS_SELECT
        " FROM incident_bounds_v v JOIN incidents i ON i.id = v.incident_id WHERE true",
        " AND i.place_id = " PLACES,
        " AND v.incident_id IN (SELECT incident_id FROM claims WHERE claimant_id = " ACTORS ")",
        " AND v.outcome = $3::text", " AND coalesce(i.last_day, i.window_last) >= $4::text",
        " AND coalesce(i.first_day, i.window_first) <= $5::text", NULL, INC_ORDER},
    [TALLY_LEDGER_REVIEWS] = {
        "SELECT r.id AS review_id, (SELECT min(c.id) FROM claims c WHERE c.claim_key = r.claim_key) AS claim_id,"
        " r.claim_key, r.action, (SELECT string_agg(f.field || '=' || coalesce(f.value, ''), '; ' ORDER BY f.field)"
        " FROM review_fields f WHERE f.review_id = r.id) AS fields,"
        " (SELECT string_agg(f.field || '=' || coalesce(f.original, ''), '; ' ORDER BY f.field)"
        " FROM review_fields f WHERE f.review_id = r.id) AS originals, r.note, r.reviewer, r.reviewed_at"
        " FROM reviews r WHERE true",
        " AND r.claim_key IN (SELECT claim_key FROM claims WHERE place_id = " PLACES ")",
        " AND (r.reviewer ILIKE '%' || $2::text || '%' OR r.claim_key IN (SELECT claim_key FROM claims"
        " WHERE claimant_id = " ACTORS "))",
        " AND r.claim_key IN (SELECT claim_key FROM claims WHERE outcome = $3::text)",
        " AND substr(r.reviewed_at, 1, 10) >= $4::text", " AND substr(r.reviewed_at, 1, 10) <= $5::text", NULL,
        " ORDER BY r.id"},
};

/* ---------------------------------------------------------------- search text
 * An FTS5-style query in websearch_to_tsquery's syntax: AND is implied,
 * OR stays, NOT x is -x, a prefix star is dropped (no prefix search);
 * quoted phrases and every other word as they are. */
static void websearch_text(const char *in, tly_buf *out) {
    int negate = 0;
    const char *p = in;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (!*p) break;
        const char *w = p;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') p++;
            if (*p) p++;
        } else {
            while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
        }
        size_t n = (size_t)(p - w);
        if (n == 3 && !strncmp(w, "AND", 3)) continue;
        if (n == 3 && !strncmp(w, "NOT", 3)) { negate = 1; continue; }
        if (out->len) tly_buf_putc(out, ' ');
        if (n == 2 && !strncmp(w, "OR", 2)) { tly_buf_puts(out, "or"); continue; }
        if (negate) tly_buf_putc(out, '-');
        negate = 0;
        if (n > 1 && w[n - 1] == '*') n--;
        tly_buf_put(out, w, n);
    }
    tly_buf_putc(out, 0);
}

/* ---------------------------------------------------------------- rows */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

static tally_ledger_type column_type(Oid o) {
    return o == OID_INT8 || o == OID_INT4 || o == OID_INT2 || o == OID_NUMERIC || o == OID_BOOL ? TALLY_LEDGER_INT
           : o == OID_FLOAT8 || o == OID_FLOAT4                                                 ? TALLY_LEDGER_REAL
                                                                                                : TALLY_LEDGER_TEXT;
}

/* Sends a statement's rows one at a time to fn (limit: 0 for all). */
static tally_status stream_rows(tly_store *s, const char *sql, int np, const Oid *types, const char *const *vals,
                                tally_ledger_row_fn fn, void *ctx, const char *what, tally_error *err) {
    if (s->last) { PQclear(s->last); s->last = NULL; }
    s->statements++;
    if (!PQsendQueryParams(s->conn, sql, np, types, vals, NULL, NULL, 0) || !PQsetSingleRowMode(s->conn))
        return tly_pg_error(s, NULL, err, what);
    tally_status ret = TALLY_OK;
    int stopped = 0;
    size_t ncols = 0;
    const char **names = NULL, **values = NULL;
    tally_ledger_type *kinds = NULL;
    char (*reals)[40] = NULL;
    PGresult *r, *first = NULL;
    while ((r = PQgetResult(s->conn))) {
        ExecStatusType t = PQresultStatus(r);
        if (t == PGRES_SINGLE_TUPLE && !stopped && !ret) {
            if (!names) {
                ncols = (size_t)PQnfields(r);
                names = calloc(ncols + 1, sizeof *names);
                values = calloc(ncols + 1, sizeof *values);
                kinds = calloc(ncols + 1, sizeof *kinds);
                reals = calloc(ncols + 1, sizeof *reals);
                if (!names || !values || !kinds || !reals) {
                    ret = TALLY_ERR_NOMEM;
                    tly_set_error(err, ret, NULL);
                    PQclear(r);
                    PQrequestCancel(s->conn);
                    continue;
                }
                for (size_t i = 0; i < ncols; i++) {
                    names[i] = PQfname(r, (int)i);
                    kinds[i] = column_type(PQftype(r, (int)i));
                }
            }
            for (size_t i = 0; i < ncols; i++) {
                const char *v = PQgetisnull(r, 0, (int)i) ? NULL : PQgetvalue(r, 0, (int)i);
                if (v && kinds[i] == TALLY_LEDGER_REAL) { tly_store_real_text(strtod(v, NULL), reals[i]); v = reals[i]; }
                else if (v && PQftype(r, (int)i) == OID_BOOL) v = *v == 't' ? "1" : "0";
                values[i] = v;
            }
            tally_ledger_row row = {ncols, names, values, kinds};
            if (fn(ctx, &row)) {
                stopped = 1;
                PQrequestCancel(s->conn); /* the rest is not wanted */
            }
            if (!first) first = r; /* the column names point into it */
            else PQclear(r);
            continue;
        }
        if (t == PGRES_FATAL_ERROR && !stopped && !ret) {
            const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            if (code && !strcmp(code, "57014")) {
                ret = TALLY_ERR_LIMIT;
                tly_set_error(err, ret, "query took too long");
            } else {
                ret = tly_pg_error(s, r, err, what);
            }
        }
        PQclear(r);
    }
    free(names);
    free(values);
    free(kinds);
    free(reals);
    PQclear(first);
    if (stopped && !ret) { tly_set_error(err, TALLY_ERR_IO, "stopped"); ret = TALLY_ERR_IO; }
    /* a query that failed inside a write transaction leaves it aborted:
     * reads happen outside them (the CLI and the server), so nothing to undo */
    return ret;
}

static int append(char *buf, size_t cap, size_t *len, const char *s) {
    size_t n = strlen(s);
    if (*len + n + 1 > cap) return 0;
    memcpy(buf + *len, s, n + 1);
    *len += n;
    return 1;
}

/* The flat claims export (sqlite_query.c): the claim's id, the JSON
 * fields of claim_fields.h in their order (the document's date and
 * address after its id; coordinates rounded to 5 decimals), its incident
 * and key. */
/* 1 for a coordinate kind (a constant, as an initializer needs; a kind
 * claim_fields.h adds without a line here fails to compile) */
#define FLAT_COORD_COORD 1
#define FLAT_COORD_COUNT 0
#define FLAT_COORD_DATE 0
#define FLAT_COORD_DOC 0
#define FLAT_COORD_ENUM 0
#define FLAT_COORD_ENUM0 0
#define FLAT_COORD_EVIDENCE 0
#define FLAT_COORD_ID 0
#define FLAT_COORD_INDEX 0
#define FLAT_COORD_OFFSET 0
#define FLAT_COORD_PLACE_KIND 0
#define FLAT_COORD_SPAN_OFFSET 0
#define FLAT_COORD_STR 0
#define FLAT_COORD_TEXT 0
#define FLAT_COL(name, kind, a, b, sql, out) {name, FLAT_COORD_##kind, ((out) & TLY_CF_JSON) != 0},
static const struct { const char *name; int coord, json; } flat_cols[] = {TLY_CLAIM_FIELDS(FLAT_COL)};
#undef FLAT_COL

static int flat_select(char *buf, size_t cap) {
    size_t len = 0;
    int ok = append(buf, cap, &len, "SELECT c.id AS claim_id");
    for (size_t i = 0; ok && i < sizeof flat_cols / sizeof *flat_cols; i++) {
        if (!flat_cols[i].json) continue;
        char col[160];
        const char *n = flat_cols[i].name;
        if (flat_cols[i].coord) snprintf(col, sizeof col, ", round(c.\"%s\"::numeric, 5)::float8 AS \"%s\"", n, n);
        else snprintf(col, sizeof col, ", c.\"%s\"", n);
        ok = append(buf, cap, &len, col);
        if (ok && !strcmp(n, "doc")) ok = append(buf, cap, &len, ", d.published, d.url");
    }
    return ok && append(buf, cap, &len,
                        ", c.incident_id, c.claim_key FROM claims c JOIN documents d ON d.id = c.document_id WHERE true");
}

/* Incidents and bounds with a limit: the first incidents in the order of
 * the plain statement (a sort of the incidents alone), then their rows;
 * the same rows in the same order as the plain statement, without sorting
 * every row of the view first. An incident gives one row or more (it has
 * bounds, each of claims), so limit incidents give at least limit rows. */
#define TOP_INC_HEAD                                                                                    \
    "SELECT x.* FROM (SELECT i.id, lower(p.name) AS ln, coalesce(i.first_day, i.doc_first) AS d"          \
    " FROM incidents i JOIN places p ON p.id = i.place_id"                                               \
    " WHERE EXISTS (SELECT 1 FROM incident_bounds b WHERE b.incident_id = i.id)"
static int top_incidents(tally_ledger_query q, const tally_ledger_filter *f, const char *since, const char *until,
                         char *sql, size_t cap) {
    size_t len = 0;
    int outcome = f->outcome && *f->outcome;
    int ok = append(sql, cap, &len, TOP_INC_HEAD);
    if (f->place && *f->place) ok = ok && append(sql, cap, &len, " AND i.place_id = " PLACES);
    if (f->claimant && *f->claimant)
        ok = ok && append(sql, cap, &len, " AND i.id IN (SELECT incident_id FROM claims WHERE claimant_id = " ACTORS ")");
    if (outcome)
        ok = ok && append(sql, cap, &len,
                          " AND EXISTS (SELECT 1 FROM incident_bounds b WHERE b.incident_id = i.id AND b.outcome = $3::text)");
    if (since[0]) ok = ok && append(sql, cap, &len, " AND coalesce(i.last_day, i.window_last) >= $4::text");
    if (until[0]) ok = ok && append(sql, cap, &len, " AND coalesce(i.first_day, i.window_first) <= $5::text");
    ok = ok && append(sql, cap, &len, " ORDER BY ln, d NULLS FIRST, i.id LIMIT $7::bigint) top CROSS JOIN LATERAL (");
    ok = ok && append(sql, cap, &len, q == TALLY_LEDGER_INCIDENTS ? BOUNDS_SELECT INC_CLAIM_COLS " FROM incident_claims_v v"
                                                                  : BOUNDS_SELECT " FROM incident_bounds_v v");
    ok = ok && append(sql, cap, &len, " WHERE v.incident_id = top.id");
    if (outcome) ok = ok && append(sql, cap, &len, " AND v.outcome = $3::text");
    ok = ok && append(sql, cap, &len, ") x ORDER BY top.ln, top.d NULLS FIRST, top.id, x.outcome, x.victims");
    if (q == TALLY_LEDGER_INCIDENTS) ok = ok && append(sql, cap, &len, ", x.claim_id");
    return ok && append(sql, cap, &len, " LIMIT $7::bigint");
}

/* The plain statement of a query and filter into sql; 0 when too long. */
static int plain_sql(tally_ledger_query q, const tally_ledger_filter *f, const char *since, const char *until,
                     char *sql, size_t cap) {
    const qspec *sp = &specs[q];
    size_t len = 0;
    char head[2048];
    const char *select = sp->select ? sp->select : flat_select(head, sizeof head) ? head : NULL;
    int ok = select && append(sql, cap, &len, select);
    if (f->place && *f->place) ok = ok && append(sql, cap, &len, sp->place);
    if (f->claimant && *f->claimant) ok = ok && append(sql, cap, &len, sp->claimant);
    if (f->outcome && *f->outcome) ok = ok && append(sql, cap, &len, sp->outcome);
    if (since[0]) ok = ok && append(sql, cap, &len, sp->since);
    if (until[0]) ok = ok && append(sql, cap, &len, sp->until);
    if (sp->group) ok = ok && append(sql, cap, &len, sp->group);
    ok = ok && append(sql, cap, &len, sp->order);
    if (f->limit) ok = ok && append(sql, cap, &len, " LIMIT $7::bigint");
    return ok;
}

/* every parameter typed: a statement need not use them all */
static const Oid filter_types[7] = {25, 25, 25, 25, 25, 25, 20};

/* The column names of a query (the store operation query_columns of ops
 * version 3): one row to fn, every value NULL, described by the server
 * without running the statement. */
tally_status tly_pg_columns(tly_store *st, tally_ledger_query q, tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if ((unsigned)q >= sizeof specs / sizeof specs[0]) {
        tly_set_error(err, TALLY_ERR_USAGE, "bad query");
        return TALLY_ERR_USAGE;
    }
    static const tally_ledger_filter none;
    char sql[8192];
    if (!plain_sql(q, &none, "", "", sql, sizeof sql)) { tly_set_error(err, TALLY_ERR_LIMIT, "query too long"); return TALLY_ERR_LIMIT; }
    if (st->last) { PQclear(st->last); st->last = NULL; }
    PGresult *r = PQprepare(st->conn, "", sql, 7, filter_types);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        tally_status ret = tly_pg_error(st, r, err, "query");
        PQclear(r);
        return ret;
    }
    PQclear(r);
    r = PQdescribePrepared(st->conn, "");
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        tally_status ret = tly_pg_error(st, r, err, "query");
        PQclear(r);
        return ret;
    }
    size_t n = (size_t)PQnfields(r);
    const char **names = calloc(n + 1, sizeof *names), **values = calloc(n + 1, sizeof *values);
    tally_ledger_type *types = calloc(n + 1, sizeof *types);
    tally_status ret = TALLY_OK;
    if (!names || !values || !types) { ret = TALLY_ERR_NOMEM; tly_set_error(err, ret, NULL); }
    else {
        for (size_t i = 0; i < n; i++) {
            names[i] = PQfname(r, (int)i);
            types[i] = column_type(PQftype(r, (int)i));
        }
        tally_ledger_row row = {n, names, values, types};
        fn(ctx, &row);
    }
    free(names);
    free(values);
    free(types);
    PQclear(r);
    return ret;
}

tally_status tly_pg_query(tly_store *st, tally_ledger_query q, const tally_ledger_filter *f,
                          tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if ((unsigned)q >= sizeof specs / sizeof specs[0]) {
        tly_set_error(err, TALLY_ERR_USAGE, "bad query");
        return TALLY_ERR_USAGE;
    }
    char since[11] = "", until[11] = "", tmp[11], limit[24] = "";
    if (f->since.year) tly_date_bounds(f->since, since, tmp);
    if (f->until.year) tly_date_bounds(f->until, tmp, until);
    if (f->limit) snprintf(limit, sizeof limit, "%zu", f->limit);

    char sql[8192];
    if (f->limit && (q == TALLY_LEDGER_INCIDENTS || q == TALLY_LEDGER_BOUNDS)
            ? !top_incidents(q, f, since, until, sql, sizeof sql)
            : !plain_sql(q, f, since, until, sql, sizeof sql)) {
        tly_set_error(err, TALLY_ERR_LIMIT, "query too long");
        return TALLY_ERR_LIMIT;
    }
    tly_buf ws;
    tly_buf_init(&ws, NULL);
    if (q == TALLY_LEDGER_SEARCH) websearch_text(f->query ? f->query : "", &ws);
    if (ws.failed) { tly_buf_free(&ws); tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    const char *vals[7] = {f->place && *f->place ? f->place : NULL, f->claimant && *f->claimant ? f->claimant : NULL,
                           f->outcome && *f->outcome ? f->outcome : NULL, since[0] ? since : NULL,
                           until[0] ? until : NULL, q == TALLY_LEDGER_SEARCH ? ws.data : NULL,
                           limit[0] ? limit : NULL};
    tally_status ret = stream_rows(st, sql, 7, filter_types, vals, fn, ctx, q == TALLY_LEDGER_SEARCH ? "search" : "query", err);
    tly_buf_free(&ws);
    return ret;
}

/* ---------------------------------------------------------------- reports */
#define DOC_COLS "d.id AS document_id, d.doc, d.title, d.source, d.url, d.published, d.reference_date, d.bytes, d.n_claims"
#define BOUNDS_COLS                                                                                     \
    "SELECT b.incident_id, b.kind, b.place, b.country, b.lat, b.lon, b.first_day, b.last_day, b.outcome," \
    " b.victims, b.n_claims, b.low, b.low_claimant, b.low_claim_id, b.low_doc, b.best, b.best_claimant," \
    " b.best_claim_id, b.best_doc, b.high, b.high_claimant, b.high_claim_id, b.high_doc, b.high_open," \
    " (SELECT count(DISTINCT c.claimant_id) FROM claims c WHERE c.incident_id = b.incident_id) AS claimants" \
    " FROM incident_bounds_v b"
#define CLAIM_COLS                                                                               \
    "c.id AS claim_id, c.document_id, c.doc, d.title, d.published, c.start, c.\"end\", c.sentence, " \
    "c.outcome, c.count_low, c.count_high, c.qualifier, c.victims, c.scope, c.place, c.country, "  \
    "c.lat, c.lon, c.place_text, c.date_start, c.date_end, c.date_text, c.claimant, "              \
    "c.claimant_alignment, c.claimant_text, c.perpetrator, c.weapon, c.weapon_name, c.count_text, " \
    "c.count_start, c.count_end, c.first_day, c.last_day, c.incident_id, "                        \
    "c.victims_side, c.date_basis, c.place_precision, c.reported_by, c.part_of, "                 \
    "(SELECT t.id FROM claims t WHERE t.document_id = c.document_id AND t.seq = c.part_of) AS part_of_claim_id"
#define CLAIMS_SELECT "SELECT " CLAIM_COLS " FROM claims c JOIN documents d ON d.id = c.document_id"
#define DOC_SELECT "SELECT " DOC_COLS ", d.reference_basis, d.text FROM documents d"
#define RTSQ "websearch_to_tsquery('simple', $1::text)"

static const struct {
    const char *sql;
    int param; /* 0: none, 1: the id, 2: the text */
} reports[] = {
    [TALLY_LEDGER_REPORT_COUNTS] = {
        "SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM claims) AS claims,"
        " (SELECT count(*) FROM actors WHERE id IN (SELECT claimant_id FROM claims)) AS claimants,"
        " (SELECT count(*) FROM incidents) AS incidents, (SELECT count(*) FROM series) AS series", 0},
    [TALLY_LEDGER_REPORT_DOCUMENTS] = {
        "SELECT " DOC_COLS " FROM documents d ORDER BY d.published NULLS FIRST, d.id", 0},
    [TALLY_LEDGER_REPORT_CLAIMANTS] = {
        "SELECT actor_id, claimant, alignment, role, side, claims, documents, first_day, last_day, aliases"
        " FROM sources_v ORDER BY claims DESC, claimant", 0},
    [TALLY_LEDGER_REPORT_TIMELINE] = {
        "SELECT t.series_id, t.claimant, t.claimant_alignment, t.outcome, t.victims, t.as_of, t.period_start,"
        " t.value, t.count_low, t.count_high, t.down, t.differs, t.doc, c.document_id, t.place, t.sentence, t.claim_id"
        " FROM timeline_v t JOIN claims c ON c.id = t.claim_id"
        " ORDER BY t.claimant NULLS FIRST, t.outcome, t.victims, t.as_of NULLS FIRST, t.claim_id", 0},
    [TALLY_LEDGER_REPORT_BOUNDS] = {
        BOUNDS_COLS " ORDER BY b.place, b.first_day NULLS FIRST, b.incident_id, b.outcome, b.victims", 0},
    [TALLY_LEDGER_REPORT_INCIDENT] = {
        "SELECT i.id AS incident_id, i.kind, p.name AS place, p.country, p.lat, p.lon, i.first_day, i.last_day,"
        " i.doc_first, i.doc_last, i.n_claims FROM incidents i LEFT JOIN places p ON p.id = i.place_id"
        " WHERE i.id = $1::bigint", 1},
    [TALLY_LEDGER_REPORT_INCIDENT_BOUNDS] = {
        BOUNDS_COLS " WHERE b.incident_id = $1::bigint ORDER BY b.outcome, b.victims", 1},
    [TALLY_LEDGER_REPORT_INCIDENT_CLAIMS] = {
        CLAIMS_SELECT " WHERE c.incident_id = $1::bigint ORDER BY c.outcome, c.victims, c.first_day NULLS FIRST, c.id", 1},
    [TALLY_LEDGER_REPORT_CLAIM] = {CLAIMS_SELECT " WHERE c.id = $1::bigint", 1},
    [TALLY_LEDGER_REPORT_CLAIM_DOCUMENT] = {
        DOC_SELECT " WHERE d.id = (SELECT document_id FROM claims WHERE id = $1::bigint)", 1},
    [TALLY_LEDGER_REPORT_CLAIM_SERIES] = {
        "SELECT t.series_id, t.claimant, t.outcome, t.victims, t.as_of, t.value, t.down, t.differs, t.claim_id"
        " FROM timeline_v t WHERE t.series_id IN (SELECT series_id FROM series_points WHERE claim_id = $1::bigint)"
        " ORDER BY t.as_of NULLS FIRST, t.claim_id", 1},
    [TALLY_LEDGER_REPORT_DOCUMENT] = {DOC_SELECT " WHERE d.id = $1::bigint", 1},
    [TALLY_LEDGER_REPORT_DOCUMENT_CLAIMS] = {CLAIMS_SELECT " WHERE c.document_id = $1::bigint ORDER BY c.seq", 1},
    /* hits marked U+0002 / U+0003, as SQLite's snippet() marks them */
    [TALLY_LEDGER_REPORT_SEARCH] = {
        "SELECT d.id AS document_id, d.doc, d.title, d.published, d.n_claims,"
        " ts_headline('simple', coalesce(d.title, ''), " RTSQ ", 'StartSel=\x02, StopSel=\x03, HighlightAll=true')"
        " AS title_hit,"
        " ts_headline('simple', d.text, " RTSQ ", 'StartSel=\x02, StopSel=\x03, MaxFragments=1, MaxWords=32,"
        " MinWords=8, FragmentDelimiter=\xe2\x80\xa6') AS text_hit"
        " FROM documents d WHERE d.fts @@ " RTSQ " ORDER BY ts_rank(d.fts, " RTSQ ") DESC, d.id LIMIT 100", 2},
};

tally_status tly_pg_report(tly_store *st, tally_ledger_report r, int64_t id, const char *text,
                           tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if ((unsigned)r >= sizeof reports / sizeof reports[0]) {
        tly_set_error(err, TALLY_ERR_USAGE, "bad report");
        return TALLY_ERR_USAGE;
    }
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
    tly_buf ws;
    tly_buf_init(&ws, NULL);
    if (reports[r].param == 2) websearch_text(text ? text : "", &ws);
    if (ws.failed) { tly_buf_free(&ws); tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    const char *vals[1] = {reports[r].param == 1 ? idbuf : ws.data};
    Oid types[1] = {reports[r].param == 1 ? 20 : 25};
    tally_status ret = stream_rows(st, reports[r].sql, reports[r].param ? 1 : 0, types, vals, fn, ctx, NULL, err);
    tly_buf_free(&ws);
    return ret;
}
