/* sqlite_view.c -- the SQLite backend's views (issue 14): the web report's
 * lists filtered by every field of tally_ledger_filter (place, claimant,
 * outcome, dates, country, alignment, victims, victims_side and plain-text
 * search) and paged (offset, limit), each with a count of its rows. The
 * TALLY_LEDGER_VIEW_* queries of include/tally_ledger.h; docs/server.md.
 *
 * Parameters of every statement: ?1 place, ?2 claimant, ?3 outcome,
 * ?4 since, ?5 until (days), ?6 the search text as an FTS5 query of quoted
 * phrases, ?7 limit (-1: none), ?8 offset, ?9 country, ?10 alignment,
 * ?11 victims, ?12 victims_side. */
#include "store/sqlite.h"
#include "util/buf.h"
#include "util/words.h"
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- search text
 * What people type, as FTS5: each word (a run of non-space bytes) a quoted
 * phrase ("Nagorno-Karabakh" -> "Nagorno-Karabakh", which FTS5 tokenizes
 * into the phrase nagorno karabakh; Amnesty's, U.S. alike), all of them
 * required; a word with no letter or digit is dropped, and a possessive
 * 's or ’s is (Amnesty's finds Amnesty, Amnesty's and Amnesty’s). "fts:" before the
 * text asks for FTS5 syntax as it is (Ganja AND missile, Gan*). Returns a
 * malloc'd string ("" when no word is left) or NULL (no memory). */
/* one word as an FTS5 phrase (quotes doubled), after a space but the first */
static int fts_word(void *ctx, const char *w, size_t n) {
    tly_buf *b = ctx;
    if (b->len) tly_buf_putc(b, ' ');
    tly_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '"') tly_buf_putc(b, '"');
        tly_buf_putc(b, w[i]);
    }
    tly_buf_putc(b, '"');
    return 0;
}

static char *fts_phrases(const char *q) {
    if (!strncmp(q, "fts:", 4)) return strdup(q + 4);
    tly_buf b;
    tly_buf_init(&b, NULL);
    tly_query_words(q, fts_word, &b);
    tly_buf_putc(&b, 0);
    if (b.failed) { tly_buf_free(&b); return NULL; }
    char *out = strdup(b.data);
    tly_buf_free(&b);
    return out;
}

/* ---------------------------------------------------------------- filters */
typedef struct vfilter {
    const char *text[13]; /* bound to ?1..?12 (index 0 unused); NULL: not set */
    char since[11], until[11];
    char *fts;
    int64_t incident, document; /* 0: any */
} vfilter;

static int set(const char *s) { return s && *s; }

/* the claims (alias c) of the view, as " AND ..." clauses; dates on the
 * claim's days, or (timeline) on the point's as-of day. list: the claims
 * are read in the order of an index (a page of them): the documents of
 * the search and the places of the country are then sets to test (unary
 * +), not indexes to walk (a common word or a big country matches most
 * claims: read in order and stopped at the page, not all sorted). */
static void claim_where_in(tly_buf *b, const vfilter *v, int points, int list) {
    if (v->text[1]) tly_buf_puts(b, " AND c.place_id IN " TLY_SQ_PLACES);
    if (v->text[2]) tly_buf_puts(b, " AND c.claimant_id IN " TLY_SQ_ACTORS);
    if (v->text[3]) tly_buf_puts(b, " AND c.outcome = ?3");
    if (v->text[4]) tly_buf_puts(b, points ? " AND sp.as_of >= ?4" : " AND c.last_day >= ?4");
    if (v->text[5]) tly_buf_puts(b, points ? " AND sp.as_of <= ?5" : " AND c.first_day <= ?5");
    if (v->text[6])
        tly_buf_puts(b, list ? " AND +c.document_id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?6)"
                             : " AND c.document_id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?6)");
    /* a claim's country is its place's (on the claims_place index) */
    if (v->text[9])
        tly_buf_puts(b, list ? " AND +c.place_id IN (SELECT id FROM places WHERE country = upper(?9))"
                             : " AND c.place_id IN (SELECT id FROM places WHERE country = upper(?9))");
    if (v->text[10]) {
        if (!strcmp(v->text[10], "unknown"))
            tly_buf_puts(b, " AND (c.claimant_alignment IS NULL OR c.claimant_alignment = 'unknown')");
        else tly_buf_puts(b, " AND (c.claimant_alignment = ?10 OR c.claimant_alignment LIKE ?10 || ':%')");
    }
    if (v->text[11]) tly_buf_puts(b, " AND c.victims = ?11");
    if (v->text[12]) tly_buf_puts(b, " AND c.victims_side = ?12");
    if (v->incident) tly_buf_printf(b, " AND c.incident_id = %lld", (long long)v->incident);
    if (v->document) tly_buf_printf(b, " AND c.document_id = %lld", (long long)v->document);
}

static void claim_where(tly_buf *b, const vfilter *v, int points) { claim_where_in(b, v, points, 0); }

/* 1 when a filter of the claims themselves (not their days or place) is set */
static int claim_level(const vfilter *v) {
    return v->text[2] || v->text[3] || v->text[6] || v->text[10] || v->text[11] || v->text[12] || v->document;
}

/* ---------------------------------------------------------------- statements */
/* a country's, an area's or a region's point is its capital's or centre's,
 * no event's place: no coordinates (the map lists them) */
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
    " LEFT JOIN claims hc ON hc.id = b.high_claim_id WHERE 1"

/* The incidents of the view: the page's ids first, in the order of the
 * incidents_day index (newest first; undated last: NULL sorts last
 * descending), then the columns (bounds, claimants) of those only. */
static void incidents_sql(tly_buf *b, const vfilter *v, int count) {
    int bound = v->text[3] || v->text[11];
    if (count) tly_buf_puts(b, "SELECT count(*) AS n FROM incidents i");
    else tly_buf_puts(b, "WITH page AS (SELECT i.id FROM incidents i");
    if (v->text[9]) tly_buf_puts(b, " JOIN places p ON p.id = i.place_id");
    tly_buf_puts(b, " WHERE 1");
    if (bound) {
        tly_buf_puts(b, " AND EXISTS (SELECT 1 FROM incident_bounds b2 WHERE b2.incident_id = i.id");
        if (v->text[3]) tly_buf_puts(b, " AND b2.outcome = ?3");
        if (v->text[11]) tly_buf_puts(b, " AND b2.victims = ?11");
        tly_buf_puts(b, ")");
    }
    if (v->text[1]) tly_buf_puts(b, " AND i.place_id IN " TLY_SQ_PLACES);
    if (v->text[4]) tly_buf_puts(b, " AND coalesce(i.last_day, i.window_last) >= ?4");
    if (v->text[5]) tly_buf_puts(b, " AND coalesce(i.first_day, i.window_first) <= ?5");
    if (v->text[9]) tly_buf_puts(b, " AND p.country = upper(?9)");
    if (claim_level(v)) {
        vfilter w = *v; /* the claims' own filters; the incident's days and place are above */
        w.text[1] = w.text[4] = w.text[5] = w.text[9] = NULL;
        /* a count gathers the claims' incidents once; a page asks each
         * incident, in order, for a claim (stopping at the page) */
        if (count) tly_buf_puts(b, " AND i.id IN (SELECT c.incident_id FROM claims c WHERE c.incident_id IS NOT NULL");
        else tly_buf_puts(b, " AND EXISTS (SELECT 1 FROM claims c WHERE c.incident_id = i.id");
        claim_where_in(b, &w, 0, !count);
        tly_buf_puts(b, ")");
    }
    if (count) return;
    tly_buf_puts(b, " ORDER BY i.first_day DESC, i.id DESC LIMIT ?7 OFFSET ?8) " INC_COLS);
    if (v->text[3]) tly_buf_puts(b, " AND b2.outcome = ?3");
    if (v->text[11]) tly_buf_puts(b, " AND b2.victims = ?11");
    tly_buf_puts(b, INC_JOINS " ORDER BY i.first_day DESC, i.id DESC");
}

#define CLAIM_COLS                                                                                           \
    "SELECT c.id AS claim_id, c.document_id, c.doc, d.title, d.source AS outlet, d.url, d.published,"        \
    " c.outcome, c.count_low, c.count_high, c.qualifier, c.count_text, c.victims, c.victims_side, c.scope,"   \
    " c.place, c.place_precision, c.country, round(c.lat, 5) AS lat, round(c.lon, 5) AS lon, c.date_start,"   \
    " c.date_end, c.date_basis, c.claimant, c.claimant_alignment, c.reported_by, c.perpetrator,"             \
    " (SELECT t.id FROM claims t WHERE t.document_id = c.document_id AND t.seq = c.part_of) AS part_of_claim_id," \
    " c.weapon_name, c.sentence, c.start, c.\"end\", c.count_start, c.count_end, c.first_day, c.last_day,"    \
    " c.incident_id FROM claims c JOIN documents d ON d.id = c.document_id WHERE 1"

static void claims_sql(tly_buf *b, const vfilter *v, int count) {
    tly_buf_puts(b, count ? "SELECT count(*) AS n FROM claims c WHERE 1" : CLAIM_COLS);
    claim_where_in(b, v, 0, !count && !v->incident && !v->document);
    if (!count) tly_buf_puts(b, " ORDER BY c.first_day DESC, c.id DESC LIMIT ?7 OFFSET ?8"); /* claims_day, backwards */
}

static void documents_sql(tly_buf *b, const vfilter *v, int count) {
    tly_buf_puts(b, count ? "SELECT count(*) AS n FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
                          : "SELECT d.id AS document_id, d.doc, d.title, d.source, d.url, d.published, d.n_claims,"
                            " snippet(documents_fts, 0, char(2), char(3), '\xe2\x80\xa6', 12) AS title_hit,"
                            " snippet(documents_fts, 1, char(2), char(3), '\xe2\x80\xa6', 32) AS text_hit"
                            " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid");
    tly_buf_puts(b, " WHERE documents_fts MATCH ?6");
    vfilter w = *v;
    w.text[6] = NULL;
    if (w.text[1] || w.text[2] || w.text[3] || w.text[4] || w.text[5] || w.text[9] || w.text[10] || w.text[11] ||
        w.text[12]) {
        tly_buf_puts(b, " AND d.id IN (SELECT c.document_id FROM claims c WHERE 1");
        claim_where(b, &w, 0);
        tly_buf_puts(b, ")");
    }
    if (!count) tly_buf_puts(b, " ORDER BY rank LIMIT ?7 OFFSET ?8");
}

/* the series with a point in the view (their points: the view's); with
 * no filter, every series with points */
static int any_filter(const vfilter *v) {
    for (int i = 1; i < 13; i++)
        if (v->text[i]) return 1;
    return v->incident || v->document;
}

#define TL_COLS                                                                                           \
    " SELECT t.series_id, t.claimant, t.claimant_alignment, t.outcome, t.victims, t.as_of,"               \
    " t.period_start, t.value, t.count_low, t.count_high, t.down, t.differs, t.doc, c.document_id,"        \
    " t.place, t.sentence, t.claim_id, t.frame, c.count_text, c.qualifier"                                 \
    " FROM timeline_v t JOIN claims c ON c.id = t.claim_id WHERE t.series_id IN ser"
/* the series with the most points first (the longest stories), then by claimant */
#define TL_ORDER                                                                                          \
    " ORDER BY (SELECT x.n_points FROM series x WHERE x.id = t.series_id) DESC, t.claimant IS NULL, t.claimant," \
    " t.outcome, t.victims, t.series_id, t.as_of, t.claim_id"
#define TL_SERIES " ORDER BY s.n_points DESC, s.claimant IS NULL, s.claimant, s.outcome, s.victims, s.id LIMIT ?7 OFFSET ?8)"

static void timeline_sql(tly_buf *b, const vfilter *v, int count) {
    if (!any_filter(v)) {
        if (count) tly_buf_puts(b, "SELECT count(*) AS n FROM series WHERE n_points > 0");
        else tly_buf_puts(b, "WITH ser AS (SELECT s.id FROM series s WHERE s.n_points > 0" TL_SERIES TL_COLS TL_ORDER);
        return;
    }
    tly_buf_puts(b, "WITH pts AS (SELECT sp.claim_id, sp.series_id FROM series_points sp"
                    " JOIN claims c ON c.id = sp.claim_id WHERE 1");
    claim_where(b, v, 1);
    if (count) {
        tly_buf_puts(b, ") SELECT count(DISTINCT series_id) AS n FROM pts");
        return;
    }
    tly_buf_puts(b, "), ser AS (SELECT s.id FROM series s WHERE s.id IN (SELECT series_id FROM pts)" TL_SERIES TL_COLS
                    " AND t.claim_id IN (SELECT claim_id FROM pts)" TL_ORDER);
}

/* the claimants of the view, most claims first (with no filter, counted
 * on the claims_claimant index alone) */
static void claimants_sql(tly_buf *b, const vfilter *v) {
    if (!any_filter(v)) /* each actor's claims counted on the claims_claimant index */
        tly_buf_puts(b, "WITH n AS (SELECT * FROM (SELECT a.id, (SELECT count(*) FROM claims c WHERE c.claimant_id = a.id)"
                        " AS claims FROM actors a) WHERE claims > 0), top");
    else {
        tly_buf_puts(b, "WITH n AS (SELECT c.claimant_id AS id, count(*) AS claims FROM claims c WHERE c.claimant_id IS NOT NULL");
        claim_where(b, v, 0);
        tly_buf_puts(b, " GROUP BY c.claimant_id), top");
    }
    tly_buf_puts(b, " AS (SELECT n.id, n.claims, a.name, a.alignment, a.role FROM n"
                    " JOIN actors a ON a.id = n.id ORDER BY n.claims DESC, a.name LIMIT ?7 OFFSET ?8)"
                    " SELECT top.id AS actor_id, top.name AS claimant, top.alignment, top.role, top.claims"
                    " FROM top ORDER BY top.claims DESC, top.name");
}

/* ---------------------------------------------------------------- running */
tally_status tly_sq_view(tly_store *st, tally_ledger_query q, const tally_ledger_filter *f, tally_ledger_row_fn fn,
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
    const char *texts[13] = {NULL, f->place, f->claimant, f->outcome, v.since, v.until, NULL, NULL, NULL,
                             f->country, f->alignment, f->victims, f->victims_side};
    for (int i = 1; i < 13; i++) v.text[i] = set(texts[i]) ? texts[i] : NULL;
    v.incident = f->incident_id > 0 ? f->incident_id : 0;
    v.document = f->document_id > 0 ? f->document_id : 0;
    int search = q == TALLY_LEDGER_VIEW_DOCUMENTS || q == TALLY_LEDGER_VIEW_DOCUMENTS_COUNT;
    if (set(f->query)) {
        if (!(v.fts = fts_phrases(f->query))) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
        if (*v.fts) v.text[6] = v.fts;
    }
    if (search && !v.text[6]) {
        /* nothing to search for: no rows (a count of 0) */
        free(v.fts);
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
    tally_status ret = TALLY_OK;
    sqlite3_stmt *s = NULL;
    tly_sq_rows rows;
    memset(&rows, 0, sizeof rows);
    if (sql.failed) { ret = TALLY_ERR_NOMEM; tly_set_error(err, ret, NULL); goto out; }
    tly_sq_arm(st);
    if (sqlite3_prepare_v2(st->db, sql.data, -1, &s, NULL) != SQLITE_OK) { ret = tly_sq_error(st, err, "view"); goto out; }
    int np = sqlite3_bind_parameter_count(s);
    for (int i = 1; i < 13 && i <= np; i++)
        if (v.text[i]) sqlite3_bind_text(s, i, v.text[i], -1, SQLITE_STATIC);
    if (np >= 8) {
        sqlite3_bind_int64(s, 7, f->limit ? (sqlite3_int64)f->limit : -1);
        sqlite3_bind_int64(s, 8, (sqlite3_int64)f->offset);
    }
    if (!tly_sq_rows_init(&rows, s, fn, ctx)) { ret = TALLY_ERR_NOMEM; tly_set_error(err, ret, NULL); goto out; }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (!tly_sq_rows_emit(&rows, s)) { rc = SQLITE_ABORT; break; }
    if (rc == SQLITE_ABORT) { ret = TALLY_ERR_IO; tly_set_error(err, ret, "stopped"); }
    else if (rc == SQLITE_INTERRUPT) { ret = TALLY_ERR_LIMIT; tly_set_error(err, ret, "query took too long"); }
    else if (rc != SQLITE_DONE) ret = tly_sq_error(st, err, "view");
out:
    tly_sq_rows_free(&rows);
    sqlite3_finalize(s);
    tly_buf_free(&sql);
    free(v.fts);
    return ret;
}
