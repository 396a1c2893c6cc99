/* sqlite_query.c -- the SQLite backend's reads: the ledger's queries
 * (claims, incidents, timeline, sources, search and exports) and the web
 * report's, as rows of named columns. */
#include "store/sqlite.h"
#include "store/codebooks.h"
#include "util/claim_fields.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parameters: ?1 place, ?2 claimant, ?3 outcome, ?4 since, ?5 until,
 * ?6 search query, ?7 limit. */
#define PLACES TLY_SQ_PLACES
#define ACTORS TLY_SQ_ACTORS

/* the columns of an incident's bounds (incidents, bounds, geojson) and of
 * its claims (incidents) */
#define BOUNDS_SELECT                                                                            \
    "SELECT v.incident_id, v.kind, v.place, v.country, v.lat, v.lon, v.first_day, v.last_day,"  \
    " v.outcome, v.victims, v.n_claims, v.low, v.low_claimant, v.low_doc, v.best, v.best_claimant," \
    " v.best_doc, v.high, v.high_open, v.high_claimant, v.high_doc"
#define INC_CLAIM_COLS                                                                           \
    ", v.claim_id, v.count_low, v.count_high, v.qualifier, v.date_start, v.date_end, v.claim_place," \
    " v.claimant, v.claimant_alignment, v.doc, v.title, v.sentence"

typedef struct qspec {
    const char *select; /* SELECT ... FROM ... WHERE 1 */
    const char *place, *claimant, *outcome, *since, *until, *group, *order;
} qspec;

static const qspec specs[] = {
    [TALLY_LEDGER_CLAIMS] = {
        "SELECT v.claim_id, v.doc, v.outcome, v.count_low, v.count_high, v.qualifier, v.victims, v.scope,"
        " v.place, v.country, v.date_start, v.date_end, v.claimant, v.claimant_alignment, v.perpetrator,"
        " v.weapon, v.weapon_name, v.incident_id, v.title, v.publisher, v.published, v.sentence,"
        " v.place_kind, v.review_status, (SELECT group_concat(f.field || '=' || coalesce(f.value, ''), '; ')"
        " FROM (SELECT f.field, f.value, max(r.id) FROM review_fields f JOIN reviews r ON r.id = f.review_id"
        " WHERE r.claim_key = v.claim_key GROUP BY f.field) f) AS corrected, v.same_as, v.also_in,"
        " v.url, v.victims_side, v.date_basis, v.place_precision, v.reported_by, v.part_of, v.part_of_claim_id"
        " FROM claims_v v WHERE 1",
        " AND v.place_id IN " PLACES, " AND v.claimant_id IN " ACTORS, " AND v.outcome = ?3",
        " AND v.last_day >= ?4", " AND v.first_day <= ?5", NULL,
        " ORDER BY v.first_day IS NULL, v.first_day, v.document_id, v.seq"},
    [TALLY_LEDGER_INCIDENTS] = {
        BOUNDS_SELECT INC_CLAIM_COLS
        " FROM incident_claims_v v JOIN incidents i ON i.id = v.incident_id WHERE 1",
        " AND i.place_id IN " PLACES,
        " AND v.incident_id IN (SELECT incident_id FROM claims WHERE claimant_id IN " ACTORS ")",
        " AND v.outcome = ?3", " AND coalesce(i.last_day, i.window_last) >= ?4",
        " AND coalesce(i.first_day, i.window_first) <= ?5", NULL,
        " ORDER BY v.place COLLATE NOCASE, coalesce(i.first_day, i.doc_first), v.incident_id,"
        " v.outcome, v.victims, v.claim_id"},
    [TALLY_LEDGER_TIMELINE] = {
        "SELECT v.series_id, v.claimant, v.claimant_alignment, v.outcome, v.victims, v.as_of,"
        " v.period_start, v.value, v.count_low, v.count_high,"
        " trim(CASE WHEN v.down THEN 'down ' ELSE '' END || CASE WHEN v.differs THEN 'differs' ELSE '' END)"
        " AS flags, v.down, v.differs, v.doc, v.place, v.sentence, v.frame FROM timeline_v v WHERE 1",
        " AND v.place_id IN " PLACES, " AND v.claimant_id IN " ACTORS, " AND v.outcome = ?3",
        " AND v.as_of >= ?4", " AND v.as_of <= ?5", NULL,
        " ORDER BY v.claimant IS NULL, v.claimant, v.outcome, v.victims, v.as_of, v.claim_id"},
    [TALLY_LEDGER_SOURCES] = {
        "SELECT a.name AS claimant, a.alignment, a.role, a.side, count(c.id) AS claims,"
        " count(DISTINCT c.document_id) AS documents, min(c.first_day) AS first_day,"
        " max(c.last_day) AS last_day,"
        " (SELECT group_concat(alias, '; ') FROM actor_aliases x WHERE x.actor_id = a.id) AS aliases"
        " FROM actors a JOIN claims c ON c.claimant_id = a.id WHERE 1",
        " AND c.place_id IN " PLACES, " AND a.id IN " ACTORS, " AND c.outcome = ?3",
        " AND c.last_day >= ?4", " AND c.first_day <= ?5", " GROUP BY a.id",
        " ORDER BY a.name COLLATE NOCASE"},
    [TALLY_LEDGER_SEARCH] = {
        "SELECT d.doc, d.title, d.source, d.published, d.n_claims,"
        " snippet(documents_fts, 1, '[', ']', '...', 16) AS snippet"
        " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
        " WHERE documents_fts MATCH ?6",
        " AND d.id IN (SELECT document_id FROM claims WHERE place_id IN " PLACES ")",
        " AND d.id IN (SELECT document_id FROM claims WHERE claimant_id IN " ACTORS ")",
        " AND d.id IN (SELECT document_id FROM claims WHERE outcome = ?3)",
        " AND d.reference_date >= ?4", " AND d.reference_date <= ?5", NULL,
        " ORDER BY rank"},
    [TALLY_LEDGER_EXPORT_ACLED] = {
        TLY_ACLED_SELECT " WHERE 1",
        " AND v.place_id IN " PLACES,
        " AND v.incident_id IN (SELECT incident_id FROM claims WHERE claimant_id IN " ACTORS ")",
        " AND v.incident_id IN (SELECT incident_id FROM incident_bounds WHERE outcome = ?3)",
        " AND v.span_last >= ?4", " AND v.span_first <= ?5", NULL,
        " ORDER BY v.event_date IS NULL, v.event_date, v.incident_id"},
    [TALLY_LEDGER_EXPORT_UCDP] = {
        TLY_UCDP_SELECT " WHERE 1",
        " AND v.place_id IN " PLACES,
        " AND v.id IN (SELECT incident_id FROM claims WHERE claimant_id IN " ACTORS ")",
        " AND 'killed' = ?3", " AND v.span_last >= ?4", " AND v.span_first <= ?5", NULL,
        " ORDER BY v.date_start IS NULL, v.date_start, v.id"},
    [TALLY_LEDGER_EXPORT_CLAIMS] = {
        NULL, /* export_claims_select(): the extract contract's fields, from src/util/claim_fields.h */
        " AND c.place_id IN " PLACES, " AND c.claimant_id IN " ACTORS, " AND c.outcome = ?3",
        " AND c.last_day >= ?4", " AND c.first_day <= ?5", NULL, " ORDER BY c.document_id, c.seq"},
    [TALLY_LEDGER_BOUNDS] = {
        BOUNDS_SELECT
        " FROM incident_bounds_v v JOIN incidents i ON i.id = v.incident_id WHERE 1",
        " AND i.place_id IN " PLACES,
        " AND v.incident_id IN (SELECT incident_id FROM claims WHERE claimant_id IN " ACTORS ")",
        " AND v.outcome = ?3", " AND coalesce(i.last_day, i.window_last) >= ?4",
        " AND coalesce(i.first_day, i.window_first) <= ?5", NULL,
        " ORDER BY v.place COLLATE NOCASE, coalesce(i.first_day, i.doc_first), v.incident_id,"
        " v.outcome, v.victims"},
    [TALLY_LEDGER_REVIEWS] = {
        "SELECT r.id AS review_id, (SELECT min(c.id) FROM claims c WHERE c.claim_key = r.claim_key) AS claim_id,"
        " r.claim_key, r.action, (SELECT group_concat(f.field || '=' || coalesce(f.value, ''), '; ')"
        " FROM review_fields f WHERE f.review_id = r.id) AS fields,"
        " (SELECT group_concat(f.field || '=' || coalesce(f.original, ''), '; ')"
        " FROM review_fields f WHERE f.review_id = r.id) AS originals, r.note, r.reviewer, r.reviewed_at"
        " FROM reviews r WHERE 1",
        " AND r.claim_key IN (SELECT claim_key FROM claims WHERE place_id IN " PLACES ")",
        " AND (r.reviewer LIKE '%' || ?2 || '%' OR r.claim_key IN (SELECT claim_key FROM claims WHERE claimant_id IN " ACTORS "))",
        " AND r.claim_key IN (SELECT claim_key FROM claims WHERE outcome = ?3)",
        " AND substr(r.reviewed_at, 1, 10) >= ?4", " AND substr(r.reviewed_at, 1, 10) <= ?5", NULL,
        " ORDER BY r.id"},
};

/* The flat claims export: its id, its document's date and address, every
 * field of the extract contract in its order (the JSON fields of
 * claim_fields.h, each a column of the claims table; coordinates rounded
 * to 5 decimals, as tally extract writes them), its incident and key. */
#define EXP_PLAIN(name) "c.\"" name "\""
#define EXP_DOC EXP_PLAIN
#define EXP_OFFSET EXP_PLAIN
#define EXP_SPAN_OFFSET EXP_PLAIN
#define EXP_COUNT EXP_PLAIN
#define EXP_ENUM EXP_PLAIN
#define EXP_STR EXP_PLAIN
#define EXP_DATE EXP_PLAIN
#define EXP_TEXT EXP_PLAIN
#define EXP_ID EXP_PLAIN
#define EXP_ENUM0 EXP_PLAIN
#define EXP_PLACE_KIND EXP_PLAIN
#define EXP_INDEX EXP_PLAIN
#define EXP_EVIDENCE EXP_PLAIN
#define EXP_COORD(name) "round(c.\"" name "\", 5) AS \"" name "\""
#define EXPORT_COL(name, kind, a, b, sql, out) ((out) & TLY_CF_JSON) ? ", " EXP_##kind(name) : "",
static const char *const export_cols[] = {TLY_CLAIM_FIELDS(EXPORT_COL)};
#undef EXPORT_COL

static int append(char *buf, size_t cap, size_t *len, const char *s);
static int export_claims_select(char *buf, size_t cap) {
    size_t len = 0;
    int ok = append(buf, cap, &len, "SELECT c.id AS claim_id");
    for (size_t i = 0; i < sizeof export_cols / sizeof *export_cols && ok; i++) {
        ok = append(buf, cap, &len, export_cols[i]);
        if (ok && !strcmp(export_cols[i], ", " EXP_PLAIN("doc")))
            ok = append(buf, cap, &len, ", d.published, d.url");
    }
    return ok && append(buf, cap, &len, ", c.incident_id, c.claim_key FROM claims c JOIN documents d ON d.id = c.document_id WHERE 1");
}

static int append(char *buf, size_t cap, size_t *len, const char *s) {
    size_t n = strlen(s);
    if (*len + n + 1 > cap) return 0;
    memcpy(buf + *len, s, n + 1);
    *len += n;
    return 1;
}

/* ---------------------------------------------------------------- paging
 * The plain statements above sort every matching row before the first can
 * be returned (an ORDER BY over coalesced days and a joined place name, on
 * 1M claims: seconds). Incidents, their bounds and the timeline are listed
 * instead in levels, each small and streamed in order, stopping as soon as
 * the limit is reached:
 *
 *  incidents, bounds  1. the place names in NOCASE order (a GROUP BY: names
 *                        equal but for case are one group, as in the sort);
 *                     2. that name's incidents, by day then id (a few dozen
 *                        rows sorted);
 *                     3. that incident's rows, by outcome, victims, claim.
 *     With --claimant, --since or --until the matching incidents are few:
 *     level 1 goes and level 2 sorts them all at once (by name, day, id).
 *  timeline           1. the series keys (claimant, outcome, victims), in
 *                        order (a few thousand series);
 *                     2. that key's points, by as-of day, claim.
 *     With --place the plain statement is used (claims_place finds the few
 *     points; walking every series to filter them would be slower).
 *
 * Each level's columns are bound to the next level's parameters ?8, ?9, ?10.
 * The rows, and their order, are those of the plain statement: the sort key
 * of the plain statement is the levels' keys one after the other (tests in
 * tests/ledger/test_ledger_paging.c compare both on random ledgers). */
#define MAX_LEVELS 3

typedef struct pspec {
    /* level 1 (NULL: none), level 2, the rows; the WHERE clauses are
     * appended where the text ends with " WHERE 1", before the tail */
    const char *l1, *l1_tail;
    const char *l2, *l2_tail;
    const char *rows, *rows_tail;
} pspec;

#define INC_WALK_L1                                                                             \
    "SELECT name FROM places WHERE 1", " GROUP BY name COLLATE NOCASE ORDER BY name COLLATE NOCASE"
#define INC_WALK_L2                                                                             \
    "SELECT i.id FROM incidents i WHERE i.place_id IN (SELECT id FROM places WHERE name =  ?8 COLLATE NOCASE)", \
        " ORDER BY coalesce(i.first_day, i.doc_first), i.id"
#define INC_SORTED_L2                                                                           \
    "SELECT i.id FROM incidents i JOIN places p ON p.id = i.place_id WHERE 1",                 \
        " ORDER BY p.name COLLATE NOCASE, coalesce(i.first_day, i.doc_first), i.id"

static const char *const inc_rows =
    BOUNDS_SELECT INC_CLAIM_COLS
    " FROM incident_claims_v v WHERE v.incident_id = ?8";
static const char *const bounds_rows =
    BOUNDS_SELECT
    " FROM incident_bounds_v v WHERE v.incident_id = ?8";

/* Filters of the levels, by level: an incident's (place, claimant, window)
 * and a row's (outcome). */
#define INC_OUTCOME " AND EXISTS (SELECT 1 FROM incident_bounds b WHERE b.incident_id = i.id AND b.outcome = ?3)"
#define INC_PLACE " AND i.place_id IN " PLACES
#define INC_CLAIMANT " AND i.id IN (SELECT incident_id FROM claims WHERE claimant_id IN " ACTORS ")"
#define INC_SINCE " AND coalesce(i.last_day, i.window_last) >= ?4"
#define INC_UNTIL " AND coalesce(i.first_day, i.window_first) <= ?5"

static const char *const tl_l1 =
    "SELECT s.claimant, s.outcome, s.victims FROM series s WHERE 1";
static const char *const tl_l1_tail =
    " GROUP BY s.claimant, s.outcome, s.victims ORDER BY s.claimant IS NULL, s.claimant, s.outcome, s.victims";

typedef struct level {
    sqlite3_stmt *s;
    int a, b, c; /* the parameters ?8 ?9 ?10 the statement has (else 0) */
} level;

static void bind_filter(sqlite3_stmt *s, const char *const texts[6], size_t limit) {
    int np = sqlite3_bind_parameter_count(s);
    for (int i = 0; i < 6 && i < np; i++)
        if (texts[i] && *texts[i]) sqlite3_bind_text(s, i + 1, texts[i], -1, SQLITE_STATIC);
    if (limit && np >= 7) sqlite3_bind_int64(s, 7, (sqlite3_int64)limit);
}

/* Builds "head [filters] tail" into buf; 0 when too long. */
static int build(char *buf, size_t cap, const char *head, const char *const *where, const char *tail) {
    size_t len = 0;
    int ok = append(buf, cap, &len, head);
    for (int i = 0; where[i] && ok; i++) ok = append(buf, cap, &len, where[i]);
    if (tail && ok) ok = append(buf, cap, &len, tail);
    return ok;
}

/* ---------------------------------------------------------------- rows */
int tly_sq_rows_init(tly_sq_rows *r, sqlite3_stmt *st, tally_ledger_row_fn fn, void *ctx) {
    r->fn = fn;
    r->ctx = ctx;
    r->ncols = (size_t)sqlite3_column_count(st);
    r->names = calloc(r->ncols + 1, sizeof *r->names);
    r->values = calloc(r->ncols + 1, sizeof *r->values);
    r->types = calloc(r->ncols + 1, sizeof *r->types);
    if (!r->names || !r->values || !r->types) return 0;
    for (size_t i = 0; i < r->ncols; i++) r->names[i] = sqlite3_column_name(st, (int)i);
    return 1;
}

int tly_sq_rows_emit(tly_sq_rows *r, sqlite3_stmt *st) {
    for (size_t i = 0; i < r->ncols; i++) {
        int t = sqlite3_column_type(st, (int)i);
        r->types[i] = t == SQLITE_INTEGER ? TALLY_LEDGER_INT : t == SQLITE_FLOAT ? TALLY_LEDGER_REAL : TALLY_LEDGER_TEXT;
        r->values[i] = t == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(st, (int)i);
    }
    tally_ledger_row row = {r->ncols, r->names, r->values, r->types};
    return !r->fn(r->ctx, &row);
}

void tly_sq_rows_free(tly_sq_rows *r) {
    free(r->names);
    free((void *)r->values);
    free(r->types);
    memset(r, 0, sizeof *r);
}

typedef struct emitter {
    tly_sq_rows rows;
    size_t limit, sent;
} emitter;

/* 1: a row sent; 0: the caller stopped; the row values come from s. */
static int emit(emitter *e, sqlite3_stmt *s) {
    e->sent++;
    return tly_sq_rows_emit(&e->rows, s);
}

/* The status of a failed step: the deadline passed, the caller stopped, or
 * the database's error. */
static tally_status step_error(tly_store *s, int rc, const char *what, tally_error *err) {
    if (rc == SQLITE_ABORT) { tly_set_error(err, TALLY_ERR_IO, "stopped"); return TALLY_ERR_IO; }
    if (rc == SQLITE_INTERRUPT) { tly_set_error(err, TALLY_ERR_LIMIT, "query took too long"); return TALLY_ERR_LIMIT; }
    return tly_sq_error(s, err, what);
}

/* Runs level k (bound already) and, for each of its rows, the levels
 * below it; the last level's rows are sent. Returns SQLITE_DONE when every
 * row was sent or the limit reached, SQLITE_ABORT when fn stopped, else
 * the SQLite error. */
static int walk(level *lv, int k, int n, emitter *e) {
    sqlite3_stmt *s = lv[k].s;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (k == n - 1) {
            if (!emit(e, s)) { sqlite3_reset(s); return SQLITE_ABORT; }
        } else {
            level *next = &lv[k + 1];
            sqlite3_reset(next->s);
            if (next->a) sqlite3_bind_value(next->s, next->a, sqlite3_column_value(s, 0));
            if (next->b) sqlite3_bind_value(next->s, next->b, sqlite3_column_value(s, 1));
            if (next->c) sqlite3_bind_value(next->s, next->c, sqlite3_column_value(s, 2));
            int r = walk(lv, k + 1, n, e);
            if (r != SQLITE_DONE) { sqlite3_reset(s); return r; }
        }
        if (e->limit && e->sent >= e->limit) { sqlite3_reset(s); return SQLITE_DONE; }
    }
    sqlite3_reset(s);
    return rc;
}

/* The paged plan for a query and filter, or 0 when the plain statement is
 * better (or the query has no paged form). */
static int paged_plan(tally_ledger_query q, const tally_ledger_filter *f, const char *since, const char *until,
                      const char *sql[MAX_LEVELS], char bufs[MAX_LEVELS][4096], int *nlevels) {
    int place = f->place && *f->place, claimant = f->claimant && *f->claimant, outcome = f->outcome && *f->outcome;
    const char *w[8];
    int nw = 0, ok = 1, n = 0;
    if (q == TALLY_LEDGER_INCIDENTS || q == TALLY_LEDGER_BOUNDS) {
        if (claimant || since[0] || until[0]) {
            /* few incidents: sort them all at once */
            if (place) w[nw++] = INC_PLACE;
            if (claimant) w[nw++] = INC_CLAIMANT;
            if (outcome) w[nw++] = INC_OUTCOME;
            if (since[0]) w[nw++] = INC_SINCE;
            if (until[0]) w[nw++] = INC_UNTIL;
            w[nw] = NULL;
            const char *l2[] = {INC_SORTED_L2};
            ok = ok && build(bufs[n], sizeof bufs[n], l2[0], w, l2[1]);
            sql[n] = bufs[n]; n++;
        } else {
            const char *l1[] = {INC_WALK_L1}, *l2[] = {INC_WALK_L2};
            const char *w1[] = {place ? " AND id IN " PLACES : NULL, NULL};
            ok = ok && build(bufs[n], sizeof bufs[n], l1[0], w1, l1[1]);
            sql[n] = bufs[n]; n++;
            if (place) w[nw++] = INC_PLACE;
            if (outcome) w[nw++] = INC_OUTCOME;
            w[nw] = NULL;
            ok = ok && build(bufs[n], sizeof bufs[n], l2[0], w, l2[1]);
            sql[n] = bufs[n]; n++;
        }
        const char *w3[] = {outcome ? " AND v.outcome = ?3" : NULL, NULL};
        ok = ok && build(bufs[n], sizeof bufs[n], q == TALLY_LEDGER_INCIDENTS ? inc_rows : bounds_rows, w3,
                         q == TALLY_LEDGER_INCIDENTS ? " ORDER BY v.outcome, v.victims, v.claim_id"
                                                     : " ORDER BY v.outcome, v.victims");
        sql[n] = bufs[n]; n++;
    } else if (q == TALLY_LEDGER_TIMELINE && !place) {
        const qspec *sp = &specs[q];
        const char *w1[] = {claimant ? " AND s.claimant_id IN " ACTORS : NULL, NULL, NULL};
        if (outcome) w1[claimant ? 1 : 0] = " AND s.outcome = ?3";
        ok = ok && build(bufs[n], sizeof bufs[n], tl_l1, w1, tl_l1_tail);
        sql[n] = bufs[n]; n++;
        /* the points of one key, with every filter of the plain statement */
        if (claimant) w[nw++] = sp->claimant;
        if (outcome) w[nw++] = sp->outcome;
        if (since[0]) w[nw++] = sp->since;
        if (until[0]) w[nw++] = sp->until;
        w[nw] = NULL;
        char head[2048];
        size_t hl = 0;
        ok = ok && append(head, sizeof head, &hl, sp->select) &&
             append(head, sizeof head, &hl, " AND v.claimant IS ?8 AND v.outcome = ?9 AND v.victims = ?10");
        ok = ok && build(bufs[n], sizeof bufs[n], head, w, " ORDER BY v.as_of, v.claim_id");
        sql[n] = bufs[n]; n++;
    } else {
        return 0;
    }
    *nlevels = ok ? n : -1;
    return 1;
}

static int use_paging = 1;
void tly_query_set_paging(int on) { use_paging = on; }

static tally_status query_paged(tly_store *st, const char *sql[MAX_LEVELS], int n, const char *const texts[6],
                                const tally_ledger_filter *f, tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    level lv[MAX_LEVELS];
    memset(lv, 0, sizeof lv);
    tally_status ret = TALLY_OK;
    emitter e;
    memset(&e, 0, sizeof e);
    e.limit = f->limit;
    for (int k = 0; k < n; k++) {
        if (sqlite3_prepare_v2(st->db, sql[k], -1, &lv[k].s, NULL) != SQLITE_OK) {
            ret = tly_sq_error(st, err, "query");
            goto out;
        }
        bind_filter(lv[k].s, texts, 0);
        int np = sqlite3_bind_parameter_count(lv[k].s);
        lv[k].a = np >= 8 ? 8 : 0;
        lv[k].b = np >= 9 ? 9 : 0;
        lv[k].c = np >= 10 ? 10 : 0;
    }
    if (!tly_sq_rows_init(&e.rows, lv[n - 1].s, fn, ctx)) { ret = TALLY_ERR_NOMEM; tly_set_error(err, ret, NULL); goto out; }
    int rc = walk(lv, 0, n, &e);
    if (rc != SQLITE_DONE) ret = step_error(st, rc, "query", err);
out:
    tly_sq_rows_free(&e.rows);
    for (int k = 0; k < n; k++) sqlite3_finalize(lv[k].s);
    return ret;
}

/* Runs one statement and sends its rows (limit: 0 for all). */
static tally_status run_rows(tly_store *st, sqlite3_stmt *s, size_t limit, const char *what, tally_ledger_row_fn fn,
                             void *ctx, tally_error *err) {
    emitter e;
    memset(&e, 0, sizeof e);
    e.limit = limit;
    tally_status ret = TALLY_OK;
    level lv = {s, 0, 0, 0};
    if (!tly_sq_rows_init(&e.rows, s, fn, ctx)) { ret = TALLY_ERR_NOMEM; tly_set_error(err, ret, NULL); }
    else {
        int rc = walk(&lv, 0, 1, &e);
        if (rc != SQLITE_DONE) ret = step_error(st, rc, what, err);
    }
    tly_sq_rows_free(&e.rows);
    return ret;
}

/* The one statement of query q with filter f (since/until: its days, or
 * ""); 0 when it does not fit in buf. */
static int plain_sql(tally_ledger_query q, const tally_ledger_filter *f, const char *since, const char *until,
                     char *sql, size_t cap) {
    const qspec *sp = &specs[q];
    char head[2048];
    size_t len = 0;
    const char *select = sp->select;
    if (q == TALLY_LEDGER_EXPORT_CLAIMS) select = export_claims_select(head, sizeof head) ? head : NULL;
    int ok = select && append(sql, cap, &len, select);
    if (f->place && *f->place) ok = ok && append(sql, cap, &len, sp->place);
    if (f->claimant && *f->claimant) ok = ok && append(sql, cap, &len, sp->claimant);
    if (f->outcome && *f->outcome) ok = ok && append(sql, cap, &len, sp->outcome);
    if (since[0]) ok = ok && append(sql, cap, &len, sp->since);
    if (until[0]) ok = ok && append(sql, cap, &len, sp->until);
    if (sp->group) ok = ok && append(sql, cap, &len, sp->group);
    ok = ok && append(sql, cap, &len, sp->order);
    if (f->limit) ok = ok && append(sql, cap, &len, " LIMIT ?7");
    return ok;
}

/* The columns of query q: fn once, every value NULL (the paged plans give
 * the plain statement's columns). */
tally_status tly_sq_columns(tly_store *st, tally_ledger_query q, tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if ((unsigned)q >= sizeof specs / sizeof specs[0]) {
        tly_set_error(err, TALLY_ERR_USAGE, "bad query");
        return TALLY_ERR_USAGE;
    }
    static const tally_ledger_filter none;
    char sql[8192];
    sqlite3_stmt *s;
    if (!plain_sql(q, &none, "", "", sql, sizeof sql) || sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return tly_sq_error(st, err, "query");
    tly_sq_rows r;
    tally_status ret = TALLY_OK;
    if (!tly_sq_rows_init(&r, s, fn, ctx)) { ret = TALLY_ERR_NOMEM; tly_set_error(err, ret, NULL); }
    else {
        tally_ledger_row row = {r.ncols, r.names, r.values, r.types};
        fn(ctx, &row);
    }
    tly_sq_rows_free(&r);
    sqlite3_finalize(s);
    return ret;
}

tally_status tly_sq_query(tly_store *st, tally_ledger_query q, const tally_ledger_filter *f,
                          tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if ((unsigned)q >= sizeof specs / sizeof specs[0]) {
        tly_set_error(err, TALLY_ERR_USAGE, "bad query");
        return TALLY_ERR_USAGE;
    }
    tly_sq_arm(st);
    char since[11] = "", until[11] = "", tmp[11];
    if (f->since.year) tly_date_bounds(f->since, since, tmp);
    if (f->until.year) tly_date_bounds(f->until, tmp, until);

    const char *texts[6] = {f->place, f->claimant, f->outcome, since, until, f->query};
    if (use_paging) {
        const char *lsql[MAX_LEVELS];
        char bufs[MAX_LEVELS][4096];
        int n = 0;
        if (paged_plan(q, f, since, until, lsql, bufs, &n)) {
            if (n < 0) { tly_set_error(err, TALLY_ERR_LIMIT, "query too long"); return TALLY_ERR_LIMIT; }
            return query_paged(st, lsql, n, texts, f, fn, ctx, err);
        }
    }

    char sql[8192];
    if (!plain_sql(q, f, since, until, sql, sizeof sql)) {
        tly_set_error(err, TALLY_ERR_LIMIT, "query too long");
        return TALLY_ERR_LIMIT;
    }
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) return tly_sq_error(st, err, "query");
    bind_filter(s, texts, f->limit);
    tally_status ret = run_rows(st, s, 0, q == TALLY_LEDGER_SEARCH ? "search" : "query", fn, ctx, err);
    sqlite3_finalize(s);
    return ret;
}

/* ---------------------------------------------------------------- reports
 * The web report's questions (tally serve, docs/server.md); their columns
 * are the JSON keys of its API. ?1 is the id, or the search text. */
#define DOC_COLS "d.id AS document_id, d.doc, d.title, d.source, d.url, d.published, d.reference_date, d.bytes, d.n_claims"
#define BOUNDS_COLS                                                                                     \
    "SELECT b.incident_id, b.kind, b.place, b.country, b.lat, b.lon, b.first_day, b.last_day, b.outcome," \
    " b.victims, b.n_claims, b.low, b.low_claimant, b.low_claim_id, b.low_doc, b.best, b.best_claimant," \
    " b.best_claim_id, b.best_doc, b.high, b.high_claimant, b.high_claim_id, b.high_doc, b.high_open," \
    " (SELECT count(DISTINCT c.claimant_id) FROM claims c WHERE c.incident_id = b.incident_id) AS claimants" \
    " FROM incident_bounds_v b"
#define CLAIM_COLS                                                                               \
    "c.id AS claim_id, c.document_id, c.doc, d.title, d.published, c.start, c.end, c.sentence, "    \
    "c.outcome, c.count_low, c.count_high, c.qualifier, c.victims, c.scope, c.place, c.country, "  \
    "c.lat, c.lon, c.place_text, c.date_start, c.date_end, c.date_text, c.claimant, "              \
    "c.claimant_alignment, c.claimant_text, c.perpetrator, c.weapon, c.weapon_name, c.count_text, " \
    "c.count_start, c.count_end, c.first_day, c.last_day, c.incident_id, "                        \
    "c.victims_side, c.date_basis, c.place_precision, c.reported_by, c.part_of, "                 \
    "(SELECT t.id FROM claims t WHERE t.document_id = c.document_id AND t.seq = c.part_of) AS part_of_claim_id"

/* a claim with its document's title and date; a document with its text */
#define CLAIMS_SELECT "SELECT " CLAIM_COLS " FROM claims c JOIN documents d ON d.id = c.document_id"
#define DOC_SELECT "SELECT " DOC_COLS ", d.reference_basis, d.text FROM documents d"

static const struct {
    const char *sql;
    int param; /* 0: none, 1: the id, 2: the text */
} reports[] = {
    [TALLY_LEDGER_REPORT_COUNTS] = {
        "SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM claims) AS claims,"
        " (SELECT count(*) FROM actors WHERE id IN (SELECT claimant_id FROM claims)) AS claimants,"
        " (SELECT count(*) FROM incidents) AS incidents, (SELECT count(*) FROM series) AS series", 0},
    [TALLY_LEDGER_REPORT_DOCUMENTS] = {"SELECT " DOC_COLS " FROM documents d ORDER BY d.published, d.id", 0},
    [TALLY_LEDGER_REPORT_CLAIMANTS] = {
        "SELECT actor_id, claimant, alignment, role, side, claims, documents, first_day, last_day, aliases"
        " FROM sources_v ORDER BY claims DESC, claimant", 0},
    [TALLY_LEDGER_REPORT_TIMELINE] = {
        "SELECT t.series_id, t.claimant, t.claimant_alignment, t.outcome, t.victims, t.as_of, t.period_start,"
        " t.value, t.count_low, t.count_high, t.down, t.differs, t.doc, c.document_id, t.place, t.sentence, t.claim_id"
        " FROM timeline_v t JOIN claims c ON c.id = t.claim_id"
        " ORDER BY t.claimant, t.outcome, t.victims, t.as_of, t.claim_id", 0},
    [TALLY_LEDGER_REPORT_BOUNDS] = {
        BOUNDS_COLS " ORDER BY b.place, b.first_day, b.incident_id, b.outcome, b.victims", 0},
    [TALLY_LEDGER_REPORT_INCIDENT] = {
        "SELECT i.id AS incident_id, i.kind, p.name AS place, p.country, p.lat, p.lon, i.first_day, i.last_day,"
        " i.doc_first, i.doc_last, i.n_claims FROM incidents i LEFT JOIN places p ON p.id = i.place_id WHERE i.id = ?", 1},
    [TALLY_LEDGER_REPORT_INCIDENT_BOUNDS] = {
        BOUNDS_COLS " WHERE b.incident_id = ? ORDER BY b.outcome, b.victims", 1},
    [TALLY_LEDGER_REPORT_INCIDENT_CLAIMS] = {
        CLAIMS_SELECT " WHERE c.incident_id = ? ORDER BY c.outcome, c.victims, c.first_day, c.id", 1},
    [TALLY_LEDGER_REPORT_CLAIM] = {
        CLAIMS_SELECT " WHERE c.id = ?", 1},
    [TALLY_LEDGER_REPORT_CLAIM_DOCUMENT] = {
        DOC_SELECT " WHERE d.id = (SELECT document_id FROM claims WHERE id = ?)", 1},
    [TALLY_LEDGER_REPORT_CLAIM_SERIES] = {
        "SELECT t.series_id, t.claimant, t.outcome, t.victims, t.as_of, t.value, t.down, t.differs, t.claim_id"
        " FROM timeline_v t WHERE t.series_id IN (SELECT series_id FROM series_points WHERE claim_id = ?)"
        " ORDER BY t.as_of", 1},
    [TALLY_LEDGER_REPORT_DOCUMENT] = {
        DOC_SELECT " WHERE d.id = ?", 1},
    [TALLY_LEDGER_REPORT_DOCUMENT_CLAIMS] = {
        CLAIMS_SELECT " WHERE c.document_id = ?"
        " ORDER BY c.seq", 1},
    /* snippet() marks hits with U+0002 / U+0003: the page turns those into
     * <mark> elements and sets everything else as text. */
    [TALLY_LEDGER_REPORT_SEARCH] = {
        "SELECT d.id AS document_id, d.doc, d.title, d.published, d.n_claims,"
        " snippet(documents_fts, 0, char(2), char(3), '\xe2\x80\xa6', 12) AS title_hit,"
        " snippet(documents_fts, 1, char(2), char(3), '\xe2\x80\xa6', 32) AS text_hit"
        " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
        " WHERE documents_fts MATCH ? ORDER BY rank LIMIT 100", 2},
};

tally_status tly_sq_report(tly_store *st, tally_ledger_report r, int64_t id, const char *text,
                           tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if ((unsigned)r >= sizeof reports / sizeof reports[0]) {
        tly_set_error(err, TALLY_ERR_USAGE, "bad report");
        return TALLY_ERR_USAGE;
    }
    tly_sq_arm(st);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, reports[r].sql, -1, &s, NULL) != SQLITE_OK) {
        tly_set_error(err, TALLY_ERR_IO, sqlite3_errmsg(st->db));
        return TALLY_ERR_IO;
    }
    if (reports[r].param == 1) sqlite3_bind_int64(s, 1, id);
    else if (reports[r].param == 2) sqlite3_bind_text(s, 1, text ? text : "", -1, SQLITE_TRANSIENT);
    tally_status ret = run_rows(st, s, 0, NULL, fn, ctx, err);
    /* the database's own message (a malformed search query) */
    if (ret == TALLY_ERR_IO && err && strcmp(err->message, "stopped")) tly_set_error(err, ret, sqlite3_errmsg(st->db));
    sqlite3_finalize(s);
    return ret;
}
