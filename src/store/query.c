/* query.c -- the ledger's queries: claims, incidents, timeline, sources,
 * search and exports, as rows of named columns. */
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parameters: ?1 place, ?2 claimant, ?3 outcome, ?4 since, ?5 until,
 * ?6 search query, ?7 limit. */
#define PLACES                                                                                \
    "(SELECT id FROM places WHERE name = ?1 COLLATE NOCASE OR gazetteer_id = ?1 COLLATE NOCASE" \
    " UNION SELECT p.id FROM places p JOIN places q ON p.parent_id = q.id"                     \
    " WHERE q.name = ?1 COLLATE NOCASE"                                                        \
    " UNION SELECT parent_id FROM places WHERE name = ?1 COLLATE NOCASE AND parent_id IS NOT NULL)"
#define ACTORS                                                                    \
    "(SELECT id FROM actors WHERE instr(lower(name), lower(?2)) > 0"              \
    " UNION SELECT actor_id FROM actor_aliases WHERE instr(lower(alias), lower(?2)) > 0)"

typedef struct qspec {
    const char *select; /* SELECT ... FROM ... WHERE 1 */
    const char *place, *claimant, *outcome, *since, *until, *group, *order;
} qspec;

static const qspec specs[] = {
    [TALLY_LEDGER_CLAIMS] = {
        "SELECT v.claim_id, v.doc, v.outcome, v.count_low, v.count_high, v.qualifier, v.victims, v.scope,"
        " v.place, v.country, v.date_start, v.date_end, v.claimant, v.claimant_alignment, v.perpetrator,"
        " v.weapon, v.weapon_name, v.incident_id, v.title, v.publisher, v.published, v.sentence"
        " FROM claims_v v WHERE 1",
        " AND v.place_id IN " PLACES, " AND v.claimant_id IN " ACTORS, " AND v.outcome = ?3",
        " AND v.last_day >= ?4", " AND v.first_day <= ?5", NULL,
        " ORDER BY v.first_day IS NULL, v.first_day, v.document_id, v.seq"},
    [TALLY_LEDGER_INCIDENTS] = {
        "SELECT v.incident_id, v.kind, v.place, v.country, v.lat, v.lon, v.first_day, v.last_day,"
        " v.outcome, v.victims, v.n_claims, v.low, v.low_claimant, v.low_doc, v.best, v.best_claimant,"
        " v.best_doc, v.high, v.high_open, v.high_claimant, v.high_doc, v.claim_id, v.count_low,"
        " v.count_high, v.qualifier, v.date_start, v.date_end, v.claim_place, v.claimant,"
        " v.claimant_alignment, v.doc, v.title, v.sentence"
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
        " AS flags, v.down, v.differs, v.doc, v.place, v.sentence FROM timeline_v v WHERE 1",
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
        "SELECT v.event_id, v.event_date, v.actor1, v.actor2, v.country, v.location, v.latitude,"
        " v.longitude, v.fatalities, v.notes, v.source FROM export_acled v WHERE 1",
        " AND v.place_id IN " PLACES,
        " AND v.event_id IN (SELECT incident_id FROM claims WHERE claimant_id IN " ACTORS ")",
        " AND 'killed' = ?3", " AND v.last_day >= ?4", " AND v.first_day <= ?5", NULL,
        " ORDER BY v.event_date IS NULL, v.event_date, v.event_id, v.actor2"},
    [TALLY_LEDGER_EXPORT_UCDP] = {
        "SELECT v.id, v.date_start, v.date_end, v.date_prec, v.where_prec, v.where_coordinates,"
        " v.country, v.latitude, v.longitude, v.deaths_civilians, v.best, v.low, v.high,"
        " v.source_article, v.source_original, v.kind FROM export_ucdp v WHERE 1",
        " AND v.place_id IN " PLACES,
        " AND v.id IN (SELECT incident_id FROM claims WHERE claimant_id IN " ACTORS ")",
        " AND 'killed' = ?3", " AND v.last_day >= ?4", " AND v.first_day <= ?5", NULL,
        " ORDER BY v.date_start IS NULL, v.date_start, v.id"},
    [TALLY_LEDGER_EXPORT_CLAIMS] = {
        "SELECT c.doc, c.start, c.\"end\", c.sentence, c.outcome, c.count_low, c.count_high, c.qualifier,"
        " c.victims, c.scope, c.place, c.country, c.lat, c.lon, c.place_text, c.date_start, c.date_end,"
        " c.date_text, c.claimant, c.claimant_alignment, c.claimant_text, c.perpetrator, c.weapon,"
        " c.weapon_name, c.count_text, c.count_start, c.count_end, c.incident_id FROM claims c WHERE 1",
        " AND c.place_id IN " PLACES, " AND c.claimant_id IN " ACTORS, " AND c.outcome = ?3",
        " AND c.last_day >= ?4", " AND c.first_day <= ?5", NULL, " ORDER BY c.document_id, c.seq"},
    [TALLY_LEDGER_BOUNDS] = {
        "SELECT v.incident_id, v.kind, v.place, v.country, v.lat, v.lon, v.first_day, v.last_day,"
        " v.outcome, v.victims, v.n_claims, v.low, v.low_claimant, v.low_doc, v.best, v.best_claimant,"
        " v.best_doc, v.high, v.high_open, v.high_claimant, v.high_doc"
        " FROM incident_bounds_v v JOIN incidents i ON i.id = v.incident_id WHERE 1",
        " AND i.place_id IN " PLACES,
        " AND v.incident_id IN (SELECT incident_id FROM claims WHERE claimant_id IN " ACTORS ")",
        " AND v.outcome = ?3", " AND coalesce(i.last_day, i.window_last) >= ?4",
        " AND coalesce(i.first_day, i.window_first) <= ?5", NULL,
        " ORDER BY v.place COLLATE NOCASE, coalesce(i.first_day, i.doc_first), v.incident_id,"
        " v.outcome, v.victims"},
};

static int append(char *buf, size_t cap, size_t *len, const char *s) {
    size_t n = strlen(s);
    if (*len + n + 1 > cap) return 0;
    memcpy(buf + *len, s, n + 1);
    *len += n;
    return 1;
}

tally_status tally_ledger_query_rows(tally_ledger *l, tally_ledger_query q, const tally_ledger_filter *f,
                                     tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if (!l || !fn || (unsigned)q >= sizeof specs / sizeof specs[0]) {
        tly_set_error(err, TALLY_ERR_USAGE, "bad query");
        return TALLY_ERR_USAGE;
    }
    static const tally_ledger_filter none;
    if (!f) f = &none;
    if (q == TALLY_LEDGER_SEARCH && (!f->query || !*f->query)) {
        tly_set_error(err, TALLY_ERR_USAGE, "search needs a query");
        return TALLY_ERR_USAGE;
    }
    const qspec *sp = &specs[q];
    char since[11] = "", until[11] = "", tmp[11];
    if (f->since.year) tly_date_bounds(f->since, since, tmp);
    if (f->until.year) tly_date_bounds(f->until, tmp, until);

    char sql[8192];
    size_t len = 0;
    int ok = append(sql, sizeof sql, &len, sp->select);
    if (f->place && *f->place) ok = ok && append(sql, sizeof sql, &len, sp->place);
    if (f->claimant && *f->claimant) ok = ok && append(sql, sizeof sql, &len, sp->claimant);
    if (f->outcome && *f->outcome) ok = ok && append(sql, sizeof sql, &len, sp->outcome);
    if (since[0]) ok = ok && append(sql, sizeof sql, &len, sp->since);
    if (until[0]) ok = ok && append(sql, sizeof sql, &len, sp->until);
    if (sp->group) ok = ok && append(sql, sizeof sql, &len, sp->group);
    ok = ok && append(sql, sizeof sql, &len, sp->order);
    if (f->limit) ok = ok && append(sql, sizeof sql, &len, " LIMIT ?7");
    if (!ok) { tly_set_error(err, TALLY_ERR_LIMIT, "query too long"); return TALLY_ERR_LIMIT; }

    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(l->db, sql, -1, &s, NULL) != SQLITE_OK) return tly_db_error(l, err, "query");
    int np = sqlite3_bind_parameter_count(s);
    const char *texts[6] = {f->place, f->claimant, f->outcome, since, until, f->query};
    for (int i = 0; i < 6 && i < np; i++)
        if (texts[i] && *texts[i]) sqlite3_bind_text(s, i + 1, texts[i], -1, SQLITE_STATIC);
    if (f->limit && np >= 7) sqlite3_bind_int64(s, 7, (sqlite3_int64)f->limit);

    size_t ncols = (size_t)sqlite3_column_count(s);
    const char **names = calloc(ncols + 1, sizeof *names);
    const char **values = calloc(ncols + 1, sizeof *values);
    tally_ledger_type *types = calloc(ncols + 1, sizeof *types);
    tally_status st = TALLY_OK;
    if (!names || !values || !types) { st = TALLY_ERR_NOMEM; tly_set_error(err, st, NULL); goto out; }
    for (size_t i = 0; i < ncols; i++) names[i] = sqlite3_column_name(s, (int)i);
    tally_ledger_row row = {ncols, names, values, types};
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (size_t i = 0; i < ncols; i++) {
            int t = sqlite3_column_type(s, (int)i);
            types[i] = t == SQLITE_INTEGER ? TALLY_LEDGER_INT : t == SQLITE_FLOAT ? TALLY_LEDGER_REAL : TALLY_LEDGER_TEXT;
            values[i] = t == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(s, (int)i);
        }
        if (fn(ctx, &row)) { st = TALLY_ERR_IO; tly_set_error(err, st, "stopped"); goto out; }
    }
    if (rc != SQLITE_DONE) {
        st = tly_db_error(l, err, q == TALLY_LEDGER_SEARCH ? "search" : "query");
    }
out:
    free(names);
    free(values);
    free(types);
    sqlite3_finalize(s);
    return st;
}
