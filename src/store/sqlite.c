/* sqlite.c -- the SQLite backend of the ledger (src/store/ops.h): open and
 * schema, transactions, documents, places, actors, claims, and the reads
 * and writes of the linking rules. The queries and reports are in
 * sqlite_query.c, the schema text in sqlite_schema.c. These files are the
 * only ones that speak SQL. */
#include "store/sqlite.h"
#include "store/codes.h"
#include "store/sha256.h"
#include "util/data.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const stmt_sql[TLY_ST_COUNT] = {
    [TLY_ST_DOC_FIND] = "SELECT id FROM documents WHERE content_hash = ?1",
    [TLY_ST_SAVEPOINT] = "SAVEPOINT tally_doc",
    [TLY_ST_RELEASE] = "RELEASE tally_doc",
    [TLY_ST_DOC_INSERT] =
        "INSERT INTO documents(doc, content_hash, source, title, url, published, reference_date,"
        " reference_basis, ingested_at, bytes, text, lang)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?9, ?10, ?11)",
    [TLY_ST_DOC_NCLAIMS] = "UPDATE documents SET n_claims = ?2 WHERE id = ?1",
    [TLY_ST_FTS_BATCH] =
        "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents WHERE id > ?1 ORDER BY id",
    [TLY_ST_DOC_MAXID] = "SELECT coalesce(max(id), 0) FROM documents",
    [TLY_ST_PLACE_FIND] = "SELECT id FROM places WHERE gazetteer_id = ?1 AND kind = ?2",
    /* a place without a gazetteer id, or one of a version-1 database (no kind yet) */
    [TLY_ST_PLACE_FIND_NAME] =
        "SELECT id, kind IS NULL FROM places WHERE gazetteer_id = 0 AND name = ?1 AND country IS ?2"
        " AND (kind = ?3 OR (kind IS NULL AND ?4)) ORDER BY kind IS NULL, id LIMIT 1",
    [TLY_ST_PLACE_ADOPT] =
        "UPDATE places SET gazetteer_id = ?2, kind = ?3, admin1 = ?4, admin = ?5 WHERE id = ?1",
    [TLY_ST_PLACE_INSERT] =
        "INSERT INTO places(gazetteer_id, kind, name, country, admin1, lat, lon, admin)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [TLY_ST_PLACE_PARENT] =
        "UPDATE places SET parent_id = (SELECT p.id FROM places p WHERE p.name = ?2 AND p.country IS ?3"
        " AND p.admin = 1 AND p.id <> ?1 ORDER BY p.id LIMIT 1) WHERE id = ?1 AND parent_id IS NULL",
    [TLY_ST_PLACE_CHILDREN] =
        "UPDATE places SET parent_id = ?1 WHERE admin1 = ?2 AND country IS ?3 AND parent_id IS NULL"
        " AND id <> ?1",
    [TLY_ST_ACTOR_FIND] = "SELECT id, alignment FROM actors WHERE name = ?1",
    [TLY_ST_ACTOR_INSERT] = "INSERT INTO actors(name, alignment, role, side) VALUES(?1, ?2, ?3, ?4)",
    [TLY_ST_ACTOR_ALIGN] = "UPDATE actors SET alignment = ?2, role = ?3, side = ?4 WHERE id = ?1",
    [TLY_ST_ALIAS_INSERT] = "INSERT OR IGNORE INTO actor_aliases(alias, actor_id) VALUES(?1, ?2)",
    [TLY_ST_CLAIM_INSERT] =
        "INSERT INTO claims(document_id, seq, doc, start, \"end\", sentence, outcome, count_low,"
        " count_high, qualifier, victims, scope, place, country, lat, lon, place_text, place_start,"
        " place_end, date_start, date_end, date_text, date_span_start, date_span_end, claimant,"
        " claimant_alignment, claimant_text, claimant_start, claimant_end, perpetrator, weapon,"
        " weapon_name, count_text, count_start, count_end, first_day, last_day, place_id,"
        " claimant_id, perpetrator_id, place_kind, claim_key, sentence_key, figure_key, review_status,"
        " victims_side, date_basis, place_precision, reported_by, part_of)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35,"
        " ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, coalesce(?45, 'unreviewed'), ?46, ?47, ?48, ?49, ?50)",
    /* (a place of version 1 that no claim named since is a district when its
     * admin flag says so) */
    [TLY_ST_PLACE_NEAR] =
        "SELECT p.id, 0, coalesce(p.kind, CASE WHEN p.admin THEN 'district' ELSE 'town' END) FROM places p WHERE p.id = ?1"
        " UNION SELECT q.id, 1, coalesce(q.kind, CASE WHEN q.admin THEN 'district' ELSE 'town' END)"
        " FROM places p JOIN places q ON q.id = p.parent_id WHERE p.id = ?1"
        " UNION SELECT p.id, 2, coalesce(p.kind, CASE WHEN p.admin THEN 'district' ELSE 'town' END)"
        " FROM places p WHERE p.parent_id = ?1 ORDER BY 1",
    [TLY_ST_INC_BY_WINDOW] =
        "SELECT id FROM incidents WHERE place_id = ?1 AND kind = ?2 AND window_last >= ?3"
        " AND window_first <= ?4",
    [TLY_ST_INC_BY_DOC] =
        "SELECT DISTINCT c.incident_id FROM claims c JOIN incidents i ON i.id = c.incident_id"
        " WHERE c.document_id = ?1 AND i.kind = ?2 AND i.place_id = ?3",
    [TLY_ST_INC_INSERT] = "INSERT INTO incidents(kind, place_id) VALUES(?1, ?2)",
    [TLY_ST_INC_MOVE_CLAIMS] = "UPDATE claims SET incident_id = ?1 WHERE incident_id = ?2",
    [TLY_ST_INC_DELETE] = "DELETE FROM incidents WHERE id = ?1",
    [TLY_ST_BOUNDS_DELETE] = "DELETE FROM incident_bounds WHERE incident_id = ?1",
    [TLY_ST_CLAIM_SET_INC] = "UPDATE claims SET incident_id = ?1 WHERE id = ?2",
    [TLY_ST_INC_CLAIMS] =
        "SELECT c.id, c.place_id, p.admin, c.outcome, c.victims, c.count_low, c.count_high,"
        " c.first_day, c.last_day, d.reference_date FROM claims c"
        " JOIN documents d ON d.id = c.document_id LEFT JOIN places p ON p.id = c.place_id"
        " WHERE c.incident_id = ?1 ORDER BY c.outcome, c.victims, c.id",
    [TLY_ST_INC_UPDATE] =
        "UPDATE incidents SET place_id = ?2, first_day = ?3, last_day = ?4, doc_first = ?5,"
        " doc_last = ?6, window_first = ?7, window_last = ?8, n_claims = ?9 WHERE id = ?1",
    [TLY_ST_BOUNDS_INSERT] =
        "INSERT INTO incident_bounds(incident_id, outcome, victims, n_claims, low, low_claim_id,"
        " best, best_claim_id, high, high_claim_id, high_open)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [TLY_ST_SERIES_FIND] =
        "SELECT id, period_start, first_as_of FROM series WHERE claimant_id IS ?1 AND outcome = ?2 AND victims = ?3"
        " AND country IS ?4 AND background = ?5 AND document_id IS ?6 ORDER BY id",
    [TLY_ST_SERIES_INSERT] =
        "INSERT INTO series(claimant_id, claimant, outcome, victims, country, period_start, background,"
        " document_id, frame) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [TLY_ST_SERIES_PERIOD] = "UPDATE series SET period_start = ?2, frame = ?3 WHERE id = ?1",
    [TLY_ST_CLAIM_SAME] =
        /* through the key's index (schema 3 has it), never a scan of the ids below */
        "SELECT min(id) FROM claims INDEXED BY claims_sentence_key WHERE sentence_key = ?1 AND +id < ?2"
        " AND same_as IS NULL AND review_status <> 'rejected'",
    [TLY_ST_CLAIM_SAME_FIGURE] =
        "SELECT min(id) FROM claims INDEXED BY claims_figure_key WHERE figure_key = ?1 AND +id < ?2"
        " AND same_as IS NULL AND review_status <> 'rejected'",
    [TLY_ST_CLAIM_SET_SAME] = "UPDATE claims SET same_as = ?2 WHERE id = ?1",
    [TLY_ST_INC_GET] =
        "SELECT i.place_id, coalesce(p.admin, -1), i.first_day, i.last_day, i.doc_first, i.doc_last, i.n_claims"
        " FROM incidents i LEFT JOIN places p ON p.id = i.place_id WHERE i.id = ?1",
    [TLY_ST_REVIEW_INSERT] =
        "INSERT INTO reviews(claim_key, action, note, reviewer, reviewed_at)"
        " VALUES(?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    [TLY_ST_REVIEW_FIELD] = "INSERT OR REPLACE INTO review_fields(review_id, field, value, original) VALUES(?1, ?2, ?3, ?4)",
    [TLY_ST_REVIEW_LAST] = "SELECT action FROM reviews WHERE claim_key = ?1 ORDER BY id DESC LIMIT 1",
    [TLY_ST_REVIEW_CORRECTED] = "SELECT count(*) FROM reviews WHERE claim_key = ?1 AND action = 'correct'",
    [TLY_ST_REVIEW_FIELDS] =
        "SELECT f.field, f.value, max(r.id) FROM review_fields f JOIN reviews r ON r.id = f.review_id"
        " WHERE r.claim_key = ?1 GROUP BY f.field ORDER BY f.field",
    [TLY_ST_CLAIM_LINKS] =
        "SELECT c.incident_id, sp.series_id, sp.as_of, sp.count_low, sp.count_high FROM claims c"
        " LEFT JOIN series_points sp ON sp.claim_id = c.id WHERE c.id = ?1",
    [TLY_ST_CLAIM_UNSET] = "UPDATE claims SET incident_id = NULL, same_as = NULL WHERE id = ?1",
    [TLY_ST_POINT_DELETE] = "DELETE FROM series_points WHERE claim_id = ?1",
    [TLY_ST_SERIES_DROP] = "UPDATE series SET n_points = n_points - 1 WHERE id = ?1",
    [TLY_ST_COPIES_OF] = "SELECT id FROM claims WHERE same_as = ?1 ORDER BY id",
    [TLY_ST_CLAIM_FIELDS] =
        "SELECT claim_key, outcome, victims, scope, count_low, count_high, qualifier, date_start, date_end, claimant"
        " FROM claims WHERE id = ?1",
    [TLY_ST_POINT_FIRST] =
        "UPDATE series SET first_as_of = ?2 WHERE id = ?1 AND ?2 IS NOT NULL"
        " AND (first_as_of IS NULL OR first_as_of > ?2)",
    [TLY_ST_POINT_INSERT] =
        "INSERT INTO series_points(claim_id, series_id, as_of, period_start, value, count_low,"
        " count_high) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [TLY_ST_SERIES_BUMP] = "UPDATE series SET n_points = n_points + 1 WHERE id = ?1",
    [TLY_ST_POINT_PREV] =
        "SELECT claim_id, value FROM series_points WHERE series_id = ?1 AND as_of IS NOT NULL"
        " AND (as_of < ?2 OR (as_of = ?2 AND claim_id < ?3)) ORDER BY as_of DESC, claim_id DESC LIMIT 1",
    [TLY_ST_POINT_NEXT] =
        "SELECT claim_id, value FROM series_points WHERE series_id = ?1 AND as_of IS NOT NULL"
        " AND (as_of > ?2 OR (as_of = ?2 AND claim_id > ?3)) ORDER BY as_of, claim_id LIMIT 1",
    [TLY_ST_POINT_SET_DOWN] = "UPDATE series_points SET down = ?2 WHERE claim_id = ?1",
    [TLY_ST_POINT_SAME_DAY] =
        "SELECT sp.claim_id, sp.count_low, sp.count_high FROM series_points sp"
        " JOIN series s ON s.id = sp.series_id JOIN series me ON me.id = ?4 WHERE sp.as_of = ?1 AND s.outcome = ?2"
        " AND s.victims = ?3 AND sp.series_id <> ?4 AND s.country IS me.country"
        " AND s.period_start IS me.period_start AND NOT s.background AND NOT me.background"
        " AND s.document_id IS NULL AND me.document_id IS NULL",
    [TLY_ST_POINT_ADD_DIFFERS] = "UPDATE series_points SET differs = differs + ?2 WHERE claim_id = ?1",
    [TLY_ST_CLAIMS_AFTER] =
        "SELECT c.id, c.document_id, c.place_id, c.claimant_id, c.scope, c.outcome,"
        " c.victims, c.first_day, c.last_day, d.reference_date, c.date_start,"
        " c.count_low, c.count_high, c.claimant, c.country, c.place_kind, c.sentence_key, c.figure_key,"
        " c.claimant_start IS NOT NULL, c.review_status = 'rejected', c.date_span_start IS NOT NULL"
        " FROM claims c JOIN documents d ON d.id = c.document_id"
        " WHERE c.id > ?1 ORDER BY c.id LIMIT ?2",
};

/* ---------------------------------------------------------------- helpers */
void tly_store_real_text(double v, char out[40]) { sqlite3_snprintf(40, out, "%!.15g", v); }
static void busy_holder(const tly_store *s, char *out, size_t size);

tally_status tly_sq_error(tly_store *s, tally_error *err, const char *what) {
    int rc = s && s->db ? sqlite3_errcode(s->db) : SQLITE_ERROR;
    tally_status st = rc == SQLITE_NOMEM ? TALLY_ERR_NOMEM : TALLY_ERR_IO;
    if (err) {
        char msg[256];
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && s->busy_gave_up_ms >= 0) {
            /* the busy handler waited and gave up: who holds the lock, how long we waited */
            char who[96];
            busy_holder(s, who, sizeof who);
            snprintf(msg, sizeof msg, "database: %s%sdatabase is locked by %s for %d ms (--busy-timeout MS waits longer)",
                     what ? what : "", what ? ": " : "", who, s->busy_gave_up_ms);
            s->busy_gave_up_ms = -1;
        } else
            snprintf(msg, sizeof msg, "database: %s%s%s", what ? what : "", what ? ": " : "",
                     s && s->db ? sqlite3_errmsg(s->db) : "cannot open");
        tly_set_error(err, st, msg);
    }
    return st;
}

static tally_status fail(tly_store *s, tally_error *err) { return tly_sq_error(s, err, NULL); }
static tally_status fail_link(tly_store *s, tally_error *err) { return tly_sq_error(s, err, "linking"); }

static tally_status exec(tly_store *s, const char *sql, tally_error *err) {
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) return fail(s, err);
    return TALLY_OK;
}

sqlite3_stmt *tly_sq_stmt(tly_store *s, tly_st which) {
    s->work_statements++;
    sqlite3_stmt *st = s->st[which];
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    if (sqlite3_prepare_v3(s->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &s->st[which], NULL) !=
        SQLITE_OK)
        return NULL;
    return s->st[which];
}

static void bind_str(sqlite3_stmt *st, int i, tally_str v) {
    if (v.ptr) sqlite3_bind_text(st, i, v.ptr, (int)v.len, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

static void bind_cstr(sqlite3_stmt *st, int i, const char *v) {
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* a text, NULL when NULL or empty */
static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v) {
    if (v && *v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* an integer, NULL when it is none (TALLY_OPEN, -1, or 0 for an id) */
static void bind_opt(sqlite3_stmt *st, int i, int64_t v, int64_t none) {
    if (v == none) sqlite3_bind_null(st, i);
    else sqlite3_bind_int64(st, i, v);
}

static int64_t col_opt(sqlite3_stmt *st, int i, int64_t none) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int64(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }

/* Steps a statement that returns no rows (or whose rows are not wanted). */
static int step_done(sqlite3_stmt *st) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

/* Steps a statement of one id column: fn for each non-NULL id. */
static tally_status each_id(tly_store *s, sqlite3_stmt *st, tly_id_fn fn, void *ctx, tally_error *err) {
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_type(st, 0) != SQLITE_NULL && fn(ctx, sqlite3_column_int64(st, 0))) break;
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? TALLY_OK : fail_link(s, err);
}

static int query_int(tly_store *s, const char *sql, int64_t *out) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return 0;
    int ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok) *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ok;
}

/* ---------------------------------------------------------------- query deadline */
static int past_deadline(void *ctx) {
    tly_store *s = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > s->deadline.tv_sec ||
           (now.tv_sec == s->deadline.tv_sec && now.tv_nsec > s->deadline.tv_nsec);
}

void tly_sq_arm(tly_store *s) {
    if (s->timeout_ms <= 0) return;
    clock_gettime(CLOCK_MONOTONIC, &s->deadline);
    s->deadline.tv_sec += s->timeout_ms / 1000;
    s->deadline.tv_nsec += (long)(s->timeout_ms % 1000) * 1000000L;
    if (s->deadline.tv_nsec >= 1000000000L) { s->deadline.tv_sec++; s->deadline.tv_nsec -= 1000000000L; }
}

/* ---------------------------------------------------------------- schema */
/* The indexes of tly_schema_indexes, when one is missing (a database made
 * by an earlier tally): built once, in one transaction. */
static tally_status ensure_indexes(tly_store *s, tally_error *err) {
    int64_t have = 0;
    if (!query_int(s,
                   "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                   " AND name IN ('incidents_span', 'series_name')",
                   &have))
        return tly_sq_error(s, err, "cannot read the schema");
    if (have == 2) return TALLY_OK;
    tally_status st = exec(s, "BEGIN IMMEDIATE", err);
    if (st) return st;
    if (sqlite3_exec(s->db, tly_schema_indexes, NULL, NULL, NULL) != SQLITE_OK) {
        st = tly_sq_error(s, err, "cannot create the indexes");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    return exec(s, "COMMIT", err);
}

/* The SQL scripts of a step, in the open transaction. */
static tally_status run_scripts(tly_store *s, const char *const *sql, const char *what, tally_error *err) {
    for (int i = 0; sql[i]; i++)
        if (sqlite3_exec(s->db, sql[i], NULL, NULL, NULL) != SQLITE_OK) return tly_sq_error(s, err, what);
    return TALLY_OK;
}

/* ---- what a read-write open keeps up to date: the views and the countries
 * The views (tly_schema_views) and the codes tables, countries and
 * acled_weapons (from the data files of code_files below) are made
 * again when the SHA-256 of their source, kept in meta ('views_sha256',
 * 'countries_sha256'), is not this tally's: a database made by an earlier
 * build of the same schema version gets the current views and codes. */
typedef struct countries_ctx {
    sqlite3_stmt *ins, *ins_weapon;
} countries_ctx;

static void bind_or_null(sqlite3_stmt *st, int i, int64_t v) {
    if (v >= 0) sqlite3_bind_int64(st, i, v);
}

/* a country of the data files (codes.h) */
static int on_country_code(void *ctx, const tly_country_code *k) {
    sqlite3_stmt *st = ((countries_ctx *)ctx)->ins;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    const char *text[7] = {k->iso2, k->name, k->iso3, NULL, NULL, k->acled_region, k->ucdp_region};
    for (int i = 0; i < 7; i++)
        if (text[i]) sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_STATIC);
    bind_or_null(st, 4, k->iso_numeric);
    bind_or_null(st, 5, k->gw_code);
    return !step_done(st);
}

/* a weapon class's ACLED event types (codes.h) */
static int on_weapon_code(void *ctx, const tly_weapon_code *w) {
    sqlite3_stmt *st = ((countries_ctx *)ctx)->ins_weapon;
    sqlite3_reset(st);
    const char *f[4] = {w->weapon, w->disorder_type, w->event_type, w->sub_event_type};
    for (int i = 0; i < 4; i++) sqlite3_bind_text(st, i + 1, f[i], -1, SQLITE_STATIC);
    return !step_done(st);
}

static int meta_is(tly_store *s, const char *key, const char *value) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT value = ?2 FROM meta WHERE key = ?1", -1, &st, NULL) != SQLITE_OK) return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return same;
}

static tally_status meta_set(tly_store *s, const char *key, const char *value, tally_error *err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", -1, &st, NULL) != SQLITE_OK)
        return fail(s, err);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int ok = step_done(st);
    sqlite3_finalize(st);
    return ok ? TALLY_OK : fail(s, err);
}

/* The codes tables again from the data files, in the open transaction. */
static tally_status fill_countries(tly_store *s, const char *hash, tally_error *err) {
    tly_arena a;
    tly_arena_init(&a, NULL);
    countries_ctx c;
    memset(&c, 0, sizeof c);
    tally_status st = exec(s, tly_schema_acled_weapons, err); /* (a database of an earlier build of version 4) */
    if (!st) st = exec(s, "DELETE FROM countries; DELETE FROM acled_weapons;", err);
    if (!st && (sqlite3_prepare_v2(s->db,
                                   "INSERT INTO countries(iso2, name, iso3, iso_numeric, gw_code, acled_region, ucdp_region)"
                                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   -1, &c.ins, NULL) != SQLITE_OK ||
                sqlite3_prepare_v2(s->db,
                                   "INSERT OR REPLACE INTO acled_weapons(weapon, disorder_type, event_type, sub_event_type)"
                                   " VALUES(?1, ?2, ?3, ?4)",
                                   -1, &c.ins_weapon, NULL) != SQLITE_OK))
        st = fail(s, err);
    if (!st && tly_codes_each(&a, on_country_code, on_weapon_code, &c))
        st = tly_sq_error(s, err, "cannot store the codebook codes");
    sqlite3_finalize(c.ins);
    sqlite3_finalize(c.ins_weapon);
    tly_arena_free(&a);
    return st ? st : meta_set(s, "countries_sha256", hash, err);
}

/* The hashes of the views' and the countries' sources. */
static void derived_hashes(char views[65], char countries[65]) {
    tly_sha256_hex(tly_schema_views, strlen(tly_schema_views), views);
    tly_codes_hash(countries);
}

/* The views and the countries, when theirs are not this tally's; in the
 * open transaction when in_tx, else in one of their own (only when one is
 * out of date: most opens write nothing). */
static tally_status refresh_derived(tly_store *s, int in_tx, tally_error *err) {
    char vh[65], ch[65];
    derived_hashes(vh, ch);
    int views_ok = meta_is(s, "views_sha256", vh), countries_ok = meta_is(s, "countries_sha256", ch);
    if (views_ok && countries_ok) return TALLY_OK;
    tally_status st = in_tx ? TALLY_OK : exec(s, "BEGIN IMMEDIATE", err);
    if (st) return st;
    /* the codes first: the views read their tables */
    if (!countries_ok) st = fill_countries(s, ch, err);
    if (!st && !views_ok) {
        const char *const sql[] = {tly_schema_drop_views, tly_schema_views, NULL};
        st = run_scripts(s, sql, "cannot make the views", err);
        if (!st) st = meta_set(s, "views_sha256", vh, err);
    }
    if (in_tx) return st;
    if (st) { sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL); return st; }
    return exec(s, "COMMIT", err);
}

#define STR_(x) #x
#define STR(x) STR_(x)

static tally_status schema_version(tly_store *s, int64_t *version, int64_t *objects, tally_error *err) {
    if (!query_int(s, "PRAGMA user_version", version) || !query_int(s, "SELECT count(*) FROM sqlite_master", objects))
        return tly_sq_error(s, err, "cannot read the schema");
    if (*version > TALLY_LEDGER_SCHEMA_VERSION) {
        char msg[160];
        snprintf(msg, sizeof msg, "database schema version %lld is newer than this tally (%d)",
                 (long long)*version, TALLY_LEDGER_SCHEMA_VERSION);
        tly_set_error(err, TALLY_ERR_DATA, msg);
        return TALLY_ERR_DATA;
    }
    if (*version == 0 && *objects > 0) {
        tly_set_error(err, TALLY_ERR_DATA, "not a tally database (it has tables but no schema version)");
        return TALLY_ERR_DATA;
    }
    return TALLY_OK;
}

/* Creates or migrates the schema. The version is read again inside the
 * write transaction: of two tallies that create (or migrate) one database
 * at once, the second waits for the first and finds the work done. */
static tally_status migrate(tly_store *s, tally_error *err) {
    tally_status st = exec(s, "BEGIN IMMEDIATE", err);
    if (st) return st;
    int64_t version = 0, objects = 0;
    if ((st = schema_version(s, &version, &objects, err))) goto out;
    if (version == TALLY_LEDGER_SCHEMA_VERSION) goto out;
    if (version == 0) {
        const char *const sql[] = {tly_schema_v2, tly_migrate_v2_v3, tly_migrate_v3_v4,
                                   "INSERT INTO meta(key, value) VALUES('schema_version', '0'),"
                                   " ('created_by', 'tally " TALLY_VERSION_STRING "');",
                                   NULL};
        st = run_scripts(s, sql, "cannot create the schema", err);
    } else {
        /* one version at a time: 1 -> 2 places keyed by the gazetteer; 2 -> 3
         * claim keys, copies, reviews, framed series; 3 -> 4 the claim fields
         * of issue 12, the countries, the full-text index Datasette finds */
        static const char *const steps[] = {NULL, tly_migrate_v1_v2, tly_migrate_v2_v3, tly_migrate_v3_v4};
        for (int64_t v = version; v < TALLY_LEDGER_SCHEMA_VERSION && !st; v++) {
            const char *const sql[] = {steps[v], NULL};
            st = run_scripts(s, sql, "cannot migrate the schema", err);
        }
    }
    if (!st) {
        const char *const sql[] = {tly_schema_drop_views, tly_schema_views, tly_schema_indexes,
                                   "UPDATE meta SET value = '" STR(TALLY_LEDGER_SCHEMA_VERSION) "' WHERE key = 'schema_version';"
                                   " PRAGMA user_version = " STR(TALLY_LEDGER_SCHEMA_VERSION) ";",
                                   NULL};
        st = run_scripts(s, sql, "cannot migrate the schema", err);
    }
    if (!st) st = refresh_derived(s, 1, err);
out:
    if (st) { sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL); return st; }
    return exec(s, "COMMIT", err);
}

static tally_status ensure_schema(tly_store *s, tally_error *err) {
    int64_t version = 0, objects = 0;
    tally_status st = schema_version(s, &version, &objects, err);
    if (st) return st;
    if (version == TALLY_LEDGER_SCHEMA_VERSION) {
        if (s->readonly) return TALLY_OK;
        if ((st = ensure_indexes(s, err))) return st;
        return refresh_derived(s, 0, err);
    }
    if (s->readonly) {
        char msg[200];
        if (version) snprintf(msg, sizeof msg, "database schema version %lld was made by an earlier tally: open it"
                                               " read-write once (tally relink) to migrate it to version %d",
                              (long long)version, TALLY_LEDGER_SCHEMA_VERSION);
        else snprintf(msg, sizeof msg, "empty database opened read-only");
        tly_set_error(err, TALLY_ERR_DATA, msg);
        return TALLY_ERR_DATA;
    }
    return migrate(s, err);
}

/* tally_sha256(text): its SHA-256, hex (the migration computes the claims' keys with it). */
static void sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    const unsigned char *t = sqlite3_value_text(argv[0]);
    if (!t) { sqlite3_result_null(ctx); return; }
    char hex[65];
    tly_sha256_hex((const char *)t, (size_t)sqlite3_value_bytes(argv[0]), hex);
    sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

/* ---------------------------------------------------------------- waiting for a writer */
/* SQLite calls on_busy while another connection holds the lock it needs;
 * it sleeps (1, 2, 4, ... ms, at most 50 ms a time) until busy_timeout_ms
 * has passed since the first call of this wait, then gives up (the
 * statement fails with SQLITE_BUSY and tly_sq_error says who and how long). */
static int busy_elapsed_ms(const struct timespec *since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int)((now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000);
}

static int on_busy(void *ctx, int n) {
    tly_store *s = ctx;
    if (n == 0) { clock_gettime(CLOCK_MONOTONIC, &s->busy_since); s->busy_gave_up_ms = -1; }
    int waited = busy_elapsed_ms(&s->busy_since);
    if (waited >= s->busy_timeout_ms) { s->busy_gave_up_ms = waited; return 0; }
    int ms = n < 6 ? 1 << n : 50;
    if (ms > s->busy_timeout_ms - waited) ms = s->busy_timeout_ms - waited;
    struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&d, NULL);
    return 1;
}

/* Who holds the write lock of s's database, when the system says: the
 * process holding the WAL write lock (byte 120 of the -shm file, where
 * SQLite's unix VFS takes it) or, in rollback mode, the RESERVED byte of
 * the database file; "another writer" when neither says. */
static void busy_holder(const tly_store *s, char *out, size_t size) {
    snprintf(out, size, "another writer");
    if (!s || !s->path) return;
    struct { const char *suffix; off_t at; } where[] = {{"-shm", 120}, {"", 0x40000001}};
    for (size_t i = 0; i < sizeof where / sizeof *where; i++) {
        char file[4096];
        if (snprintf(file, sizeof file, "%s%s", s->path, where[i].suffix) >= (int)sizeof file) continue;
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = where[i].at, .l_len = 1};
        int got = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK && fl.l_pid > 0;
        close(fd);
        if (!got) continue;
        /* its command, first two words, printable ASCII only */
        char cmd[64] = "", path[64];
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)fl.l_pid);
        FILE *f = fopen(path, "rb");
        if (f) {
            size_t n = fread(cmd, 1, sizeof cmd - 1, f), words = 0, k = 0;
            fclose(f);
            const char *base = cmd;
            for (size_t q = 0; q < n && cmd[q]; q++)
                if (cmd[q] == '/') base = cmd + q + 1;
            char clean[64];
            for (const char *c = base; c < cmd + n && k + 1 < sizeof clean && words < 2; c++) {
                if (!*c) { words++; if (words < 2) clean[k++] = ' '; continue; }
                clean[k++] = (*c >= 0x21 && *c < 0x7f) ? *c : '?';
            }
            while (k && clean[k - 1] == ' ') k--;
            clean[k] = 0;
            snprintf(out, size, "another writer (pid %d%s%s)", (int)fl.l_pid, k ? ", " : "", clean);
        } else
            snprintf(out, size, "another writer (pid %d)", (int)fl.l_pid);
        return;
    }
}

/* ---------------------------------------------------------------- open, close */
static void sq_close(tly_store *s) {
    if (!s) return;
    if (s->db && !sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < TLY_ST_COUNT; i++) sqlite3_finalize(s->st[i]);
    if (s->db && !s->readonly) sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static tally_status sq_open(const char *path, const tally_ledger_options *opt, tly_store **out, tally_error *err) {
    *out = NULL;
    tly_store *s = calloc(1, sizeof *s);
    if (!s) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    s->readonly = opt && (opt->flags & TALLY_LEDGER_READONLY);
    s->timeout_ms = opt ? opt->query_timeout_ms : 0;
    int flags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot open database %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
        tly_set_error(err, TALLY_ERR_IO, msg);
        sqlite3_close(s->db);
        free(s);
        return TALLY_ERR_IO;
    }
    s->busy_timeout_ms = opt && opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000;
    s->busy_gave_up_ms = -1;
    s->path = strdup(path);
    sqlite3_busy_handler(s->db, on_busy, s);
    sqlite3_extended_result_codes(s->db, 0);
    tally_status st = TALLY_OK;
    /* WAL: readers (sqlite3 shell, Datasette) never block the writer. */
    if (!s->readonly) st = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", err);
    else st = exec(s, "PRAGMA query_only = 1", err);
    if (!st && sqlite3_create_function(s->db, "tally_sha256", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_sha256,
                                       NULL, NULL) != SQLITE_OK)
        st = fail(s, err);
    if (!st) st = ensure_schema(s, err);
    if (!st && !s->readonly) st = exec(s, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000;", err);
    if (st) { sq_close(s); return st; }
    if (s->timeout_ms > 0) sqlite3_progress_handler(s->db, 1000, past_deadline, s);
    *out = s;
    return TALLY_OK;
}

/* ---------------------------------------------------------------- transactions */
static tally_status max_doc_id(tly_store *s, int64_t *out, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_DOC_MAXID);
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        if (st) sqlite3_reset(st);
        return fail(s, err);
    }
    *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return TALLY_OK;
}

/* Indexes the text of the documents with an id above fts_after, outside
 * any savepoint. */
static tally_status fts_flush(tly_store *s, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_FTS_BATCH);
    if (!st) return fail(s, err);
    sqlite3_bind_int64(st, 1, s->fts_after);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return tly_sq_error(s, err, "cannot index the documents");
    s->fts_pending = 0;
    return max_doc_id(s, &s->fts_after, err);
}

static tally_status sq_begin(tly_store *s, tally_error *err) {
    tally_status st = exec(s, "BEGIN IMMEDIATE", err);
    if (!st && (st = max_doc_id(s, &s->fts_after, err))) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->fts_pending = 0;
    s->in_tx = !st;
    return st;
}

static tally_status sq_commit(tly_store *s, tally_error *err) {
    tally_status st = fts_flush(s, err);
    if (!st) st = exec(s, "COMMIT", err);
    if (st) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = 0;
    return st;
}

static tally_status sq_rollback(tly_store *s) {
    if (!s->in_tx) return TALLY_OK;
    s->in_tx = 0;
    return sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? TALLY_OK : TALLY_ERR_IO;
}

static tally_status run_stmt(tly_store *s, tly_st which, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, which);
    if (!st) return fail(s, err);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TALLY_OK : fail(s, err);
}

static tally_status sq_savepoint(tly_store *s, tally_error *err) {
    tally_status st;
    if (s->fts_pending >= TLY_FTS_EVERY && (st = fts_flush(s, err))) return st;
    return run_stmt(s, TLY_ST_SAVEPOINT, err);
}

static tally_status sq_release(tly_store *s, tally_error *err) { return run_stmt(s, TLY_ST_RELEASE, err); }

static void sq_rollback_savepoint(tly_store *s) {
    sqlite3_exec(s->db, "ROLLBACK TO tally_doc; RELEASE tally_doc", NULL, NULL, NULL);
}

static int sq_in_transaction(tly_store *s) {
    if (sqlite3_get_autocommit(s->db)) s->in_tx = 0; /* SQLite rolled it back (disk full) */
    return s->in_tx;
}

/* ---------------------------------------------------------------- documents */
static tally_status sq_doc_find(tly_store *s, const char *hash, int *found, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_DOC_FIND);
    if (!st) return fail(s, err);
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(s, err);
    *found = rc == SQLITE_ROW;
    return TALLY_OK;
}

static tally_status sq_doc_insert(tly_store *s, const tly_doc_rec *d, int64_t *id, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_DOC_INSERT);
    if (!st) return fail(s, err);
    bind_str(st, 1, d->doc);
    sqlite3_bind_text(st, 2, d->content_hash, -1, SQLITE_STATIC);
    bind_str(st, 3, d->source);
    bind_str(st, 4, d->title);
    bind_str(st, 5, d->url);
    bind_cstr(st, 6, d->published);
    bind_cstr(st, 7, d->reference_date);
    bind_cstr(st, 8, d->reference_basis);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)d->text.len);
    sqlite3_bind_text(st, 10, d->text.ptr ? d->text.ptr : "", (int)d->text.len, SQLITE_STATIC);
    bind_cstr(st, 11, d->lang);
    if (!step_done(st)) return tly_sq_error(s, err, "cannot store the document");
    *id = sqlite3_last_insert_rowid(s->db);
    s->fts_pending += s->in_tx; /* its FTS row: at the commit, or before a later savepoint */
    return TALLY_OK;
}

static tally_status sq_doc_set_claims(tly_store *s, int64_t doc, int64_t n, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_DOC_NCLAIMS);
    if (!st) return fail(s, err);
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int64(st, 2, n);
    return step_done(st) ? TALLY_OK : fail(s, err);
}

/* ---------------------------------------------------------------- places */
/* Links a place into the hierarchy: to the district or region its admin1
 * names, and (a district or region) the places whose admin1 it is. */
static tally_status place_link(tly_store *s, int64_t id, const tly_place_rec *p, tally_error *err) {
    sqlite3_stmt *st;
    if (p->admin1) {
        if (!(st = tly_sq_stmt(s, TLY_ST_PLACE_PARENT))) return fail(s, err);
        sqlite3_bind_int64(st, 1, id);
        bind_cstr(st, 2, p->admin1);
        bind_cstr(st, 3, p->country);
        if (!step_done(st)) return fail(s, err);
    }
    if (p->admin) {
        if (!(st = tly_sq_stmt(s, TLY_ST_PLACE_CHILDREN))) return fail(s, err);
        sqlite3_bind_int64(st, 1, id);
        bind_cstr(st, 2, p->name);
        bind_cstr(st, 3, p->country);
        if (!step_done(st)) return fail(s, err);
    }
    return TALLY_OK;
}

static tally_status sq_place_get(tly_store *s, const tly_place_rec *p, int64_t *id, tally_error *err) {
    sqlite3_stmt *st;
    int rc;
    *id = 0;
    if (p->gazetteer_id) {
        if (!(st = tly_sq_stmt(s, TLY_ST_PLACE_FIND))) return fail(s, err);
        sqlite3_bind_int64(st, 1, p->gazetteer_id);
        bind_cstr(st, 2, p->kind);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(s, err);
        if (*id) return TALLY_OK;
    }
    /* by name: a place named by the text only, or one of a version-1 database */
    if (!(st = tly_sq_stmt(s, TLY_ST_PLACE_FIND_NAME))) return fail(s, err);
    bind_cstr(st, 1, p->name);
    bind_cstr(st, 2, p->country);
    bind_cstr(st, 3, p->kind);
    sqlite3_bind_int(st, 4, 1);
    rc = sqlite3_step(st);
    int legacy = 0;
    if (rc == SQLITE_ROW) { *id = sqlite3_column_int64(st, 0); legacy = sqlite3_column_int(st, 1); }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(s, err);
    if (*id && (legacy || !p->gazetteer_id)) {
        if (!legacy) return TALLY_OK;
        /* a version-1 place named again: it takes the gazetteer's key */
        if (!(st = tly_sq_stmt(s, TLY_ST_PLACE_ADOPT))) return fail(s, err);
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_int64(st, 2, p->gazetteer_id);
        bind_cstr(st, 3, p->kind);
        bind_cstr(st, 4, p->admin1);
        sqlite3_bind_int(st, 5, p->admin);
        if (!step_done(st)) return fail(s, err);
        return place_link(s, *id, p, err);
    }
    if (!(st = tly_sq_stmt(s, TLY_ST_PLACE_INSERT))) return fail(s, err);
    sqlite3_bind_int64(st, 1, p->gazetteer_id);
    bind_cstr(st, 2, p->kind);
    bind_cstr(st, 3, p->name);
    bind_cstr(st, 4, p->country);
    bind_cstr(st, 5, p->admin1);
    if (p->has_coords) { sqlite3_bind_double(st, 6, p->lat); sqlite3_bind_double(st, 7, p->lon); }
    sqlite3_bind_int(st, 8, p->admin);
    if (!step_done(st)) return fail(s, err);
    *id = sqlite3_last_insert_rowid(s->db);
    return place_link(s, *id, p, err);
}

/* ---------------------------------------------------------------- actors, claims */
static tally_status sq_actor_get(tly_store *s, const char *name, const char *alignment, const char *role,
                                 const char *side, int64_t *id, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_ACTOR_FIND);
    if (!st) return fail(s, err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        int known = sqlite3_column_type(st, 1) != SQLITE_NULL;
        sqlite3_reset(st);
        if (!known && alignment) { /* the first alignment the extractor gives sticks */
            if (!(st = tly_sq_stmt(s, TLY_ST_ACTOR_ALIGN))) return fail(s, err);
            sqlite3_bind_int64(st, 1, *id);
            bind_cstr(st, 2, alignment);
            bind_cstr(st, 3, role);
            bind_cstr(st, 4, side);
            if (!step_done(st)) return fail(s, err);
        }
        return TALLY_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fail(s, err);
    if (!(st = tly_sq_stmt(s, TLY_ST_ACTOR_INSERT))) return fail(s, err);
    bind_cstr(st, 1, name);
    bind_cstr(st, 2, alignment);
    bind_cstr(st, 3, role);
    bind_cstr(st, 4, side);
    if (!step_done(st)) return fail(s, err);
    *id = sqlite3_last_insert_rowid(s->db);
    return TALLY_OK;
}

static tally_status sq_alias_add(tly_store *s, int64_t actor, tally_str alias, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_ALIAS_INSERT);
    if (!st) return fail(s, err);
    bind_str(st, 1, alias);
    sqlite3_bind_int64(st, 2, actor);
    return step_done(st) ? TALLY_OK : fail(s, err);
}

static tally_status sq_claim_insert(tly_store *s, const tly_claim_rec *c, int64_t *id, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_CLAIM_INSERT);
    if (!st) return fail(s, err);
    sqlite3_bind_int64(st, 1, c->document_id);
    sqlite3_bind_int64(st, 2, c->seq);
    bind_str(st, 3, c->doc);
    sqlite3_bind_int64(st, 4, c->start);
    sqlite3_bind_int64(st, 5, c->end);
    bind_str(st, 6, c->sentence);
    bind_cstr(st, 7, c->outcome);
    bind_opt(st, 8, c->count_low, TALLY_OPEN);
    bind_opt(st, 9, c->count_high, TALLY_OPEN);
    bind_cstr(st, 10, c->qualifier);
    bind_cstr(st, 11, c->victims);
    bind_cstr(st, 12, c->scope);
    bind_cstr(st, 13, c->place);
    bind_cstr(st, 14, c->country);
    if (c->has_coords) { sqlite3_bind_double(st, 15, c->lat); sqlite3_bind_double(st, 16, c->lon); }
    bind_str(st, 17, c->place_text);
    bind_opt(st, 18, c->place_start, -1);
    bind_opt(st, 19, c->place_end, -1);
    bind_cstr(st, 20, c->date_start);
    bind_cstr(st, 21, c->date_end);
    bind_str(st, 22, c->date_text);
    bind_opt(st, 23, c->date_span_start, -1);
    bind_opt(st, 24, c->date_span_end, -1);
    bind_cstr(st, 25, c->claimant);
    bind_cstr(st, 26, c->claimant_alignment);
    bind_str(st, 27, c->claimant_text);
    bind_opt(st, 28, c->claimant_start, -1);
    bind_opt(st, 29, c->claimant_end, -1);
    bind_cstr(st, 30, c->perpetrator);
    bind_cstr(st, 31, c->weapon);
    bind_cstr(st, 32, c->weapon_name);
    bind_str(st, 33, c->count_text);
    sqlite3_bind_int64(st, 34, c->count_start);
    sqlite3_bind_int64(st, 35, c->count_end);
    bind_cstr(st, 36, c->first_day);
    bind_cstr(st, 37, c->last_day);
    bind_opt(st, 38, c->place_id, 0);
    bind_opt(st, 39, c->claimant_id, 0);
    bind_opt(st, 40, c->perpetrator_id, 0);
    bind_cstr(st, 41, c->place_kind);
    bind_cstr(st, 42, c->claim_key);
    bind_cstr(st, 43, c->sentence_key);
    bind_cstr(st, 44, c->figure_key);
    bind_cstr(st, 45, c->review_status);
    bind_cstr(st, 46, c->victims_side);
    bind_cstr(st, 47, c->date_basis);
    bind_cstr(st, 48, c->place_precision);
    bind_cstr(st, 49, c->reported_by);
    bind_opt(st, 50, c->part_of - 1, -1);
    if (!step_done(st)) return tly_sq_error(s, err, "cannot store a claim");
    *id = sqlite3_last_insert_rowid(s->db);
    return TALLY_OK;
}

/* ---------------------------------------------------------------- incidents */
static tally_status sq_places_near(tly_store *s, int64_t place, tly_near_fn fn, void *ctx, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_PLACE_NEAR);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, place);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), (tly_near)sqlite3_column_int(st, 1), col_text(st, 2))) break;
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? TALLY_OK : fail_link(s, err);
}

static tally_status sq_incidents_window(tly_store *s, int64_t place, const char *kind, const char *first,
                                        const char *last, tly_id_fn fn, void *ctx, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_INC_BY_WINDOW);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, place);
    bind_cstr(st, 2, kind);
    bind_cstr(st, 3, first);
    bind_cstr(st, 4, last);
    return each_id(s, st, fn, ctx, err);
}

static tally_status sq_incidents_of_doc(tly_store *s, int64_t doc, const char *kind, int64_t place, tly_id_fn fn,
                                        void *ctx, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_INC_BY_DOC);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, doc);
    bind_cstr(st, 2, kind);
    sqlite3_bind_int64(st, 3, place);
    return each_id(s, st, fn, ctx, err);
}

static tally_status sq_incident_insert(tly_store *s, const char *kind, int64_t place, int64_t *id, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_INC_INSERT);
    if (!st) return fail_link(s, err);
    bind_cstr(st, 1, kind);
    sqlite3_bind_int64(st, 2, place);
    if (!step_done(st)) return fail_link(s, err);
    *id = sqlite3_last_insert_rowid(s->db);
    return TALLY_OK;
}

/* A statement of two integer parameters (b: none when 0 and one_param). */
static tally_status run_ids(tly_store *s, tly_st which, int64_t a, int64_t b, int nparams, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, which);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, a);
    if (nparams > 1) sqlite3_bind_int64(st, 2, b);
    return step_done(st) ? TALLY_OK : fail_link(s, err);
}

static tally_status sq_incident_merge(tly_store *s, int64_t target, int64_t other, tally_error *err) {
    tally_status st;
    if ((st = run_ids(s, TLY_ST_INC_MOVE_CLAIMS, target, other, 2, err))) return st;
    if ((st = run_ids(s, TLY_ST_BOUNDS_DELETE, other, 0, 1, err))) return st;
    return run_ids(s, TLY_ST_INC_DELETE, other, 0, 1, err);
}

static tally_status sq_claim_set_incident(tly_store *s, int64_t claim, int64_t inc, tally_error *err) {
    return run_ids(s, TLY_ST_CLAIM_SET_INC, inc, claim, 2, err);
}

static tally_status sq_incident_claims(tly_store *s, int64_t inc, tly_inc_claim_fn fn, void *ctx, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_INC_CLAIMS);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, inc);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        tly_inc_claim c = {
            .id = sqlite3_column_int64(st, 0),
            .place_id = col_opt(st, 1, 0),
            .place_admin = (int)col_opt(st, 2, -1),
            .outcome = col_text(st, 3),
            .victims = col_text(st, 4),
            .count_low = col_opt(st, 5, TALLY_OPEN),
            .count_high = col_opt(st, 6, TALLY_OPEN),
            .first_day = col_text(st, 7),
            .last_day = col_text(st, 8),
            .reference_date = col_text(st, 9),
        };
        if (fn(ctx, &c)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? TALLY_OK : fail_link(s, err);
}

static tally_status sq_incident_update(tly_store *s, int64_t inc, const tly_incident_rec *r, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_INC_UPDATE);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, inc);
    sqlite3_bind_int64(st, 2, r->place_id);
    bind_text_or_null(st, 3, r->first_day);
    bind_text_or_null(st, 4, r->last_day);
    bind_text_or_null(st, 5, r->doc_first);
    bind_text_or_null(st, 6, r->doc_last);
    bind_text_or_null(st, 7, r->window_first);
    bind_text_or_null(st, 8, r->window_last);
    sqlite3_bind_int64(st, 9, r->n_claims);
    return step_done(st) ? TALLY_OK : fail_link(s, err);
}

static tally_status sq_bounds_set(tly_store *s, int64_t inc, const tly_bound_rec *b, size_t n, tally_error *err) {
    tally_status stt = run_ids(s, TLY_ST_BOUNDS_DELETE, inc, 0, 1, err);
    for (size_t i = 0; i < n && !stt; i++) {
        sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_BOUNDS_INSERT);
        if (!st) return fail_link(s, err);
        sqlite3_bind_int64(st, 1, inc);
        bind_cstr(st, 2, b[i].outcome);
        bind_cstr(st, 3, b[i].victims);
        sqlite3_bind_int64(st, 4, b[i].n_claims);
        if (b[i].low_claim) { sqlite3_bind_int64(st, 5, b[i].low); sqlite3_bind_int64(st, 6, b[i].low_claim); }
        if (b[i].best_claim) { sqlite3_bind_int64(st, 7, b[i].best); sqlite3_bind_int64(st, 8, b[i].best_claim); }
        if (b[i].high_claim) { sqlite3_bind_int64(st, 9, b[i].high); sqlite3_bind_int64(st, 10, b[i].high_claim); }
        sqlite3_bind_int(st, 11, b[i].high_open);
        if (!step_done(st)) stt = fail_link(s, err);
    }
    return stt;
}

/* ---------------------------------------------------------------- series */
static void bind_series_key(sqlite3_stmt *st, const tly_series_rec *r) {
    bind_opt(st, 1, r->claimant_id, 0);
    bind_cstr(st, 2, r->outcome);
    bind_cstr(st, 3, r->victims);
    bind_cstr(st, 4, r->country);
    sqlite3_bind_int(st, 5, r->background);
    bind_opt(st, 6, r->document_id, 0);
}

static tally_status sq_series_each(tly_store *s, const tly_series_rec *r, tly_series_fn fn, void *ctx,
                                   tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_SERIES_FIND);
    if (!st) return fail_link(s, err);
    bind_series_key(st, r);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2))) break;
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? TALLY_OK : fail_link(s, err);
}

static tally_status sq_series_insert(tly_store *s, const tly_series_rec *r, int64_t *id, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_SERIES_INSERT);
    if (!st) return fail_link(s, err);
    bind_opt(st, 1, r->claimant_id, 0);
    bind_text_or_null(st, 2, r->claimant);
    bind_cstr(st, 3, r->outcome);
    bind_cstr(st, 4, r->victims);
    bind_cstr(st, 5, r->country);
    bind_cstr(st, 6, r->period_start);
    sqlite3_bind_int(st, 7, r->background);
    bind_opt(st, 8, r->document_id, 0);
    bind_cstr(st, 9, r->frame);
    if (!step_done(st)) return fail_link(s, err);
    *id = sqlite3_last_insert_rowid(s->db);
    return TALLY_OK;
}

static tally_status sq_series_set_period(tly_store *s, int64_t id, const char *period, const char *frame,
                                         tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_SERIES_PERIOD);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, id);
    bind_cstr(st, 2, period);
    bind_cstr(st, 3, frame);
    return step_done(st) ? TALLY_OK : fail_link(s, err);
}

static tally_status sq_claim_same(tly_store *s, const char *skey, const char *fkey, int64_t before, int64_t *id,
                                  tally_error *err) {
    *id = 0;
    for (int k = 0; k < 2; k++) {
        const char *key = k ? fkey : skey;
        if (!key) continue;
        sqlite3_stmt *st = tly_sq_stmt(s, k ? TLY_ST_CLAIM_SAME_FIGURE : TLY_ST_CLAIM_SAME);
        if (!st) return fail_link(s, err);
        bind_cstr(st, 1, key);
        sqlite3_bind_int64(st, 2, before);
        int rc = sqlite3_step(st);
        int64_t v = rc == SQLITE_ROW ? col_opt(st, 0, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail_link(s, err);
        if (v && (!*id || v < *id)) *id = v;
    }
    return TALLY_OK;
}

static tally_status sq_claim_set_same(tly_store *s, int64_t claim, int64_t same, tally_error *err) {
    return run_ids(s, TLY_ST_CLAIM_SET_SAME, claim, same, 2, err);
}

static void day_col(sqlite3_stmt *st, int i, char out[11]) {
    const char *v = col_text(st, i);
    snprintf(out, 11, "%s", v ? v : "");
}

static tally_status sq_incident_get(tly_store *s, int64_t inc, tly_incident_state *o, int *found, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_INC_GET);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, inc);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    memset(o, 0, sizeof *o);
    if (*found) {
        o->place_id = col_opt(st, 0, 0);
        o->place_admin = sqlite3_column_int(st, 1);
        day_col(st, 2, o->first_day);
        day_col(st, 3, o->last_day);
        day_col(st, 4, o->doc_first);
        day_col(st, 5, o->doc_last);
        o->n_claims = sqlite3_column_int64(st, 6);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? TALLY_OK : fail_link(s, err);
}

/* ---------------------------------------------------------------- reviews */
static tally_status sq_review_add(tly_store *s, const tly_review_rec *r, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_REVIEW_INSERT);
    if (!st) return fail(s, err);
    bind_cstr(st, 1, r->claim_key);
    bind_cstr(st, 2, r->action);
    bind_text_or_null(st, 3, r->note);
    bind_text_or_null(st, 4, r->reviewer);
    if (!step_done(st)) return tly_sq_error(s, err, "cannot store the review");
    int64_t id = sqlite3_last_insert_rowid(s->db);
    for (size_t i = 0; i < r->nfields; i++) {
        if (!(st = tly_sq_stmt(s, TLY_ST_REVIEW_FIELD))) return fail(s, err);
        sqlite3_bind_int64(st, 1, id);
        bind_cstr(st, 2, r->fields[i]);
        bind_cstr(st, 3, r->values[i]);
        bind_cstr(st, 4, r->originals ? r->originals[i] : NULL);
        if (!step_done(st)) return tly_sq_error(s, err, "cannot store the review");
    }
    return TALLY_OK;
}

static tally_status sq_review_state(tly_store *s, const char *key, char status[16], tly_field_fn fn, void *ctx,
                                    tally_error *err) {
    status[0] = 0;
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_REVIEW_LAST);
    if (!st) return fail(s, err);
    bind_cstr(st, 1, key);
    int rc = sqlite3_step(st);
    char action[16] = "";
    if (rc == SQLITE_ROW) snprintf(action, sizeof action, "%s", col_text(st, 0) ? col_text(st, 0) : "");
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(s, err);
    if (!action[0]) return TALLY_OK;
    int64_t corrected = 0;
    if (!(st = tly_sq_stmt(s, TLY_ST_REVIEW_CORRECTED))) return fail(s, err);
    bind_cstr(st, 1, key);
    if (sqlite3_step(st) == SQLITE_ROW) corrected = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    snprintf(status, 16, "%s", !strcmp(action, "reject") ? "rejected" : corrected ? "corrected" : "confirmed");
    if (!(st = tly_sq_stmt(s, TLY_ST_REVIEW_FIELDS))) return fail(s, err);
    bind_cstr(st, 1, key);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn && fn(ctx, col_text(st, 0), col_text(st, 1))) break;
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? TALLY_OK : fail(s, err);
}

static tally_status sq_claim_fields(tly_store *s, int64_t claim, char key[160], tly_field_fn fn, void *ctx,
                                    int *found, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_CLAIM_FIELDS);
    if (!st) return fail(s, err);
    sqlite3_bind_int64(st, 1, claim);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    key[0] = 0;
    if (*found) {
        snprintf(key, 160, "%s", col_text(st, 0) ? col_text(st, 0) : "");
        for (int i = 1; i < sqlite3_column_count(st); i++)
            if (fn(ctx, sqlite3_column_name(st, i), col_text(st, i))) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? TALLY_OK : fail(s, err);
}

static tally_status sq_claim_unlink(tly_store *s, int64_t claim, int64_t *incident, int64_t *series, char as_of[11],
                                    int64_t *low, int64_t *high, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_CLAIM_LINKS);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, claim);
    int rc = sqlite3_step(st);
    *incident = *series = 0;
    as_of[0] = 0;
    *low = *high = TALLY_OPEN;
    if (rc == SQLITE_ROW) {
        *incident = col_opt(st, 0, 0);
        *series = col_opt(st, 1, 0);
        day_col(st, 2, as_of);
        *low = col_opt(st, 3, TALLY_OPEN);
        *high = col_opt(st, 4, TALLY_OPEN);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail_link(s, err);
    tally_status r = run_ids(s, TLY_ST_CLAIM_UNSET, claim, 0, 1, err);
    if (!r && *series) r = run_ids(s, TLY_ST_POINT_DELETE, claim, 0, 1, err);
    if (!r && *series) r = run_ids(s, TLY_ST_SERIES_DROP, *series, 0, 1, err);
    return r;
}

static tally_status sq_incident_delete(tly_store *s, int64_t inc, tally_error *err) {
    tally_status r = run_ids(s, TLY_ST_BOUNDS_DELETE, inc, 0, 1, err);
    return r ? r : run_ids(s, TLY_ST_INC_DELETE, inc, 0, 1, err);
}

static tally_status sq_copies_of(tly_store *s, int64_t claim, tly_id_fn fn, void *ctx, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_COPIES_OF);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, claim);
    return each_id(s, st, fn, ctx, err);
}

static tally_status sq_claim_apply(tly_store *s, int64_t claim, const char *status, size_t n,
                                   const char *const *fields, const char *const *values, tally_error *err) {
    char sql[1024];
    size_t len = (size_t)snprintf(sql, sizeof sql, "UPDATE claims SET review_status = ?1");
    for (size_t i = 0; i < n; i++) {
        if (!tly_store_reviewable(fields[i])) { tly_set_error(err, TALLY_ERR_USAGE, "not a reviewable field"); return TALLY_ERR_USAGE; }
        len += (size_t)snprintf(sql + len, sizeof sql - len, ", \"%s\" = ?%zu", fields[i], i + 3);
        if (len >= sizeof sql) { tly_set_error(err, TALLY_ERR_LIMIT, "too many fields"); return TALLY_ERR_LIMIT; }
    }
    snprintf(sql + len, sizeof sql - len, " WHERE id = ?2");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return fail(s, err);
    bind_cstr(st, 1, status);
    sqlite3_bind_int64(st, 2, claim);
    for (size_t i = 0; i < n; i++) {
        int col = (int)i + 3;
        const char *v = values[i];
        char *end = NULL;
        long long iv = v ? strtoll(v, &end, 10) : 0;
        if (!v) sqlite3_bind_null(st, col);
        else if (end && end != v && !*end) sqlite3_bind_int64(st, col, iv);
        else sqlite3_bind_text(st, col, v, -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    s->work_statements++;
    return rc == SQLITE_DONE ? TALLY_OK : tly_sq_error(s, err, "cannot apply the review");
}

static tally_status sq_point_insert(tly_store *s, const tly_point_rec *p, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_POINT_INSERT);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, p->claim_id);
    sqlite3_bind_int64(st, 2, p->series_id);
    bind_text_or_null(st, 3, p->as_of);
    bind_text_or_null(st, 4, p->period_start);
    bind_opt(st, 5, p->value, TALLY_OPEN);
    bind_opt(st, 6, p->count_low, TALLY_OPEN);
    bind_opt(st, 7, p->count_high, TALLY_OPEN);
    if (!step_done(st)) return fail_link(s, err);
    if (p->as_of) {
        if (!(st = tly_sq_stmt(s, TLY_ST_POINT_FIRST))) return fail_link(s, err);
        sqlite3_bind_int64(st, 1, p->series_id);
        bind_cstr(st, 2, p->as_of);
        if (!step_done(st)) return fail_link(s, err);
    }
    return run_ids(s, TLY_ST_SERIES_BUMP, p->series_id, 0, 1, err);
}

static tally_status sq_point_neighbor(tly_store *s, int64_t series, const char *as_of, int64_t claim, tly_dir dir,
                                      int *found, int64_t *other, int64_t *value, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, dir == TLY_AFTER ? TLY_ST_POINT_NEXT : TLY_ST_POINT_PREV);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, series);
    bind_cstr(st, 2, as_of);
    sqlite3_bind_int64(st, 3, claim);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL;
    *other = *found ? sqlite3_column_int64(st, 0) : 0;
    *value = *found ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? TALLY_OK : fail_link(s, err);
}

static tally_status sq_point_set_down(tly_store *s, int64_t claim, int down, tally_error *err) {
    return run_ids(s, TLY_ST_POINT_SET_DOWN, claim, down, 2, err);
}

static tally_status sq_point_add_differs(tly_store *s, int64_t claim, int64_t n, tally_error *err) {
    return run_ids(s, TLY_ST_POINT_ADD_DIFFERS, claim, n, 2, err);
}

static tally_status sq_points_same_day(tly_store *s, const char *as_of, const char *outcome, const char *victims,
                                       int64_t except, tly_point_fn fn, void *ctx, tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_POINT_SAME_DAY);
    if (!st) return fail_link(s, err);
    bind_cstr(st, 1, as_of);
    bind_cstr(st, 2, outcome);
    bind_cstr(st, 3, victims);
    sqlite3_bind_int64(st, 4, except);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), col_opt(st, 1, TALLY_OPEN), col_opt(st, 2, TALLY_OPEN))) break;
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? TALLY_OK : fail_link(s, err);
}

/* ---------------------------------------------------------------- relink */
static tally_status sq_links_clear(tly_store *s, tally_error *err) {
    return exec(s,
                "DELETE FROM series_points; DELETE FROM series; DELETE FROM incident_bounds;"
                " DELETE FROM incidents; UPDATE claims SET incident_id = NULL WHERE incident_id IS NOT NULL;"
                " UPDATE claims SET same_as = NULL WHERE same_as IS NOT NULL;",
                err);
}

static tally_status sq_claims_after(tly_store *s, int64_t after, size_t max, tly_stored_claim_fn fn, void *ctx,
                                    tally_error *err) {
    sqlite3_stmt *st = tly_sq_stmt(s, TLY_ST_CLAIMS_AFTER);
    if (!st) return fail_link(s, err);
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        tly_stored_claim c = {
            .c = {
                .id = sqlite3_column_int64(st, 0),
                .document_id = sqlite3_column_int64(st, 1),
                .place_id = col_opt(st, 2, 0),
                .claimant_id = col_opt(st, 3, 0),
                .scope = col_text(st, 4),
                .outcome = col_text(st, 5),
                .victims = col_text(st, 6),
                .first_day = col_text(st, 7),
                .last_day = col_text(st, 8),
                .count_low = col_opt(st, 11, TALLY_OPEN),
                .count_high = col_opt(st, 12, TALLY_OPEN),
                .claimant = col_text(st, 13),
                .country = col_text(st, 14),
                .place_kind = col_text(st, 15),
                .sentence_key = col_text(st, 16),
                .figure_key = col_text(st, 17),
                .has_speaker = sqlite3_column_int(st, 18),
                .rejected = sqlite3_column_int(st, 19),
                .has_date_text = sqlite3_column_int(st, 20),
            },
            .reference_date = col_text(st, 9),
            .date_start_raw = col_text(st, 10),
        };
        if (fn(ctx, &c)) break;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_NOMEM) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? TALLY_OK : fail_link(s, err);
}

/* ---------------------------------------------------------------- stats */
static tally_status sq_stats(tly_store *s, tally_ledger_stats *out, tally_error *err) {
    static const char *const sql[] = {"SELECT count(*) FROM documents", "SELECT count(*) FROM claims",
                                      "SELECT count(*) FROM incidents", "SELECT count(*) FROM series",
                                      "SELECT count(*) FROM actors", "SELECT count(*) FROM places"};
    uint64_t *f[] = {&out->documents, &out->claims, &out->incidents, &out->series, &out->actors, &out->places};
    for (int i = 0; i < 6; i++) {
        int64_t v = 0;
        if (!query_int(s, sql[i], &v)) return fail(s, err);
        *f[i] = (uint64_t)v;
    }
    out->statements = s->work_statements;
    out->rows_changed = (uint64_t)sqlite3_total_changes64(s->db);
    return TALLY_OK;
}

const tly_store_ops tly_sqlite_ops = {
    .version = TLY_STORE_OPS_VERSION,
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .savepoint = sq_savepoint,
    .release = sq_release,
    .rollback_savepoint = sq_rollback_savepoint,
    .in_transaction = sq_in_transaction,
    .doc_find = sq_doc_find,
    .doc_insert = sq_doc_insert,
    .doc_set_claims = sq_doc_set_claims,
    .place_get = sq_place_get,
    .actor_get = sq_actor_get,
    .alias_add = sq_alias_add,
    .claim_insert = sq_claim_insert,
    .places_near = sq_places_near,
    .incidents_window = sq_incidents_window,
    .incidents_of_doc = sq_incidents_of_doc,
    .incident_insert = sq_incident_insert,
    .incident_merge = sq_incident_merge,
    .claim_set_incident = sq_claim_set_incident,
    .incident_claims = sq_incident_claims,
    .incident_update = sq_incident_update,
    .bounds_set = sq_bounds_set,
    .point_insert = sq_point_insert,
    .point_neighbor = sq_point_neighbor,
    .point_set_down = sq_point_set_down,
    .point_add_differs = sq_point_add_differs,
    .points_same_day = sq_points_same_day,
    .links_clear = sq_links_clear,
    .claims_after = sq_claims_after,
    .query = tly_sq_query,
    .report = tly_sq_report,
    .stats = sq_stats,
    .claim_same = sq_claim_same,
    .claim_set_same = sq_claim_set_same,
    .incident_get = sq_incident_get,
    .series_each = sq_series_each,
    .series_insert = sq_series_insert,
    .series_set_period = sq_series_set_period,
    .review_add = sq_review_add,
    .review_state = sq_review_state,
    .claim_fields = sq_claim_fields,
    .claim_apply = sq_claim_apply,
    .claim_unlink = sq_claim_unlink,
    .incident_delete = sq_incident_delete,
    .copies_of = sq_copies_of,
    .query_columns = tly_sq_columns,
    .view = tly_sq_view,
};
