/* store.c -- the ledger's SQLite store: open, schema, batches, ingest. */
#include "store/store.h"
#include "store/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const stmt_sql[TLY_ST_COUNT] = {
    [TLY_ST_DOC_FIND] = "SELECT id FROM documents WHERE content_hash = ?1",
    [TLY_ST_SAVEPOINT] = "SAVEPOINT tally_doc",
    [TLY_ST_RELEASE] = "RELEASE tally_doc",
    [TLY_ST_DOC_INSERT] =
        "INSERT INTO documents(doc, content_hash, source, title, url, published, reference_date,"
        " reference_basis, ingested_at, bytes, text)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?9, ?10)",
    [TLY_ST_DOC_NCLAIMS] = "UPDATE documents SET n_claims = ?2 WHERE id = ?1",
    [TLY_ST_FTS_INSERT] = "INSERT INTO documents_fts(rowid, title, text) VALUES(?1, ?2, ?3)",
    [TLY_ST_FTS_BATCH] =
        "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents WHERE id > ?1 ORDER BY id",
    [TLY_ST_DOC_MAXID] = "SELECT coalesce(max(id), 0) FROM documents",
    [TLY_ST_PLACE_FIND] = "SELECT id FROM places WHERE gazetteer_id = ?1",
    [TLY_ST_PLACE_INSERT] =
        "INSERT INTO places(gazetteer_id, name, country, lat, lon, admin) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
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
        " claimant_id, perpetrator_id)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35,"
        " ?36, ?37, ?38, ?39, ?40)",
    [TLY_ST_PLACE_NEAR] =
        "SELECT id FROM places WHERE id = ?1"
        " UNION SELECT parent_id FROM places WHERE id = ?1 AND parent_id IS NOT NULL"
        " UNION SELECT id FROM places WHERE parent_id = ?1",
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
    [TLY_ST_INC_SUMMARY] =
        "SELECT min(c.first_day), max(c.last_day), min(d.reference_date), max(d.reference_date),"
        " count(*) FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.incident_id = ?1",
    [TLY_ST_INC_PLACE] =
        "SELECT c.place_id FROM claims c JOIN places p ON p.id = c.place_id"
        " WHERE c.incident_id = ?1 ORDER BY p.admin, c.id LIMIT 1",
    [TLY_ST_INC_UPDATE] =
        "UPDATE incidents SET place_id = ?2, first_day = ?3, last_day = ?4, doc_first = ?5,"
        " doc_last = ?6, window_first = ?7, window_last = ?8, n_claims = ?9 WHERE id = ?1",
    [TLY_ST_INC_CLAIMS] =
        "SELECT id, outcome, victims, count_low, count_high FROM claims WHERE incident_id = ?1"
        " ORDER BY outcome, victims, id",
    [TLY_ST_BOUNDS_INSERT] =
        "INSERT INTO incident_bounds(incident_id, outcome, victims, n_claims, low, low_claim_id,"
        " best, best_claim_id, high, high_claim_id, high_open)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [TLY_ST_SERIES_FIND] =
        "SELECT id FROM series WHERE claimant_id IS ?1 AND outcome = ?2 AND victims = ?3",
    [TLY_ST_SERIES_INSERT] =
        "INSERT INTO series(claimant_id, claimant, outcome, victims) VALUES(?1, ?2, ?3, ?4)",
    [TLY_ST_SERIES_BUMP] = "UPDATE series SET n_points = n_points + 1 WHERE id = ?1",
    [TLY_ST_POINT_INSERT] =
        "INSERT INTO series_points(claim_id, series_id, as_of, period_start, value, count_low,"
        " count_high) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [TLY_ST_POINT_PREV] =
        "SELECT claim_id, value FROM series_points WHERE series_id = ?1 AND as_of IS NOT NULL"
        " AND (as_of < ?2 OR (as_of = ?2 AND claim_id < ?3)) ORDER BY as_of DESC, claim_id DESC LIMIT 1",
    [TLY_ST_POINT_NEXT] =
        "SELECT claim_id, value FROM series_points WHERE series_id = ?1 AND as_of IS NOT NULL"
        " AND (as_of > ?2 OR (as_of = ?2 AND claim_id > ?3)) ORDER BY as_of, claim_id LIMIT 1",
    [TLY_ST_POINT_SET_DOWN] = "UPDATE series_points SET down = ?2 WHERE claim_id = ?1",
    [TLY_ST_POINT_SAME_DAY] =
        "SELECT sp.claim_id, sp.count_low, sp.count_high FROM series_points sp"
        " JOIN series s ON s.id = sp.series_id WHERE sp.as_of = ?1 AND s.outcome = ?2"
        " AND s.victims = ?3 AND sp.series_id <> ?4",
    [TLY_ST_POINT_ADD_DIFFERS] = "UPDATE series_points SET differs = differs + ?2 WHERE claim_id = ?1",
};

void tly_set_error(tally_error *err, tally_status code, const char *msg) {
    if (!err) return;
    err->code = code;
    err->has_offset = 0;
    err->offset = 0;
    err->doc[0] = 0;
    snprintf(err->message, sizeof err->message, "%s", msg ? msg : tally_strerror(code));
}

tally_status tly_db_error(tally_ledger *l, tally_error *err, const char *what) {
    int rc = l && l->db ? sqlite3_errcode(l->db) : SQLITE_ERROR;
    tally_status st = rc == SQLITE_NOMEM ? TALLY_ERR_NOMEM : TALLY_ERR_IO;
    if (err) {
        char msg[256];
        snprintf(msg, sizeof msg, "database: %s%s%s", what ? what : "", what ? ": " : "",
                 l && l->db ? sqlite3_errmsg(l->db) : "cannot open");
        tly_set_error(err, st, msg);
    }
    return st;
}

tally_status tly_exec(tally_ledger *l, const char *sql, tally_error *err) {
    if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK) return tly_db_error(l, err, NULL);
    return TALLY_OK;
}

sqlite3_stmt *tly_stmt(tally_ledger *l, tly_st which) {
    sqlite3_stmt *s = l->st[which];
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return s;
    }
    if (sqlite3_prepare_v3(l->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &l->st[which], NULL) !=
        SQLITE_OK)
        return NULL;
    return l->st[which];
}

const char *tally_ledger_default_path(void) {
    const char *e = getenv("TALLY_DB");
    return e && *e ? e : "./tally.db";
}

/* ---------------------------------------------------------------- schema */
static int query_int(tally_ledger *l, const char *sql, int64_t *out) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(l->db, sql, -1, &s, NULL) != SQLITE_OK) return 0;
    int ok = sqlite3_step(s) == SQLITE_ROW;
    if (ok) *out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return ok;
}

/* The indexes of tly_schema_indexes, when one is missing (a database made
 * by an earlier tally): built once, in one transaction. */
static tally_status ensure_indexes(tally_ledger *l, tally_error *err) {
    int64_t have = 0;
    if (!query_int(l,
                   "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                   " AND name IN ('incidents_span', 'series_name')",
                   &have))
        return tly_db_error(l, err, "cannot read the schema");
    if (have == 2) return TALLY_OK;
    tally_status st = tly_exec(l, "BEGIN IMMEDIATE", err);
    if (st) return st;
    if (sqlite3_exec(l->db, tly_schema_indexes, NULL, NULL, NULL) != SQLITE_OK) {
        st = tly_db_error(l, err, "cannot create the indexes");
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    return tly_exec(l, "COMMIT", err);
}

static tally_status ensure_schema(tally_ledger *l, tally_error *err) {
    int64_t version = 0, objects = 0;
    if (!query_int(l, "PRAGMA user_version", &version) ||
        !query_int(l, "SELECT count(*) FROM sqlite_master", &objects))
        return tly_db_error(l, err, "cannot read the schema");
    if (version > TALLY_LEDGER_SCHEMA_VERSION) {
        char msg[160];
        snprintf(msg, sizeof msg, "database schema version %lld is newer than this tally (%d)",
                 (long long)version, TALLY_LEDGER_SCHEMA_VERSION);
        tly_set_error(err, TALLY_ERR_DATA, msg);
        return TALLY_ERR_DATA;
    }
    if (version == TALLY_LEDGER_SCHEMA_VERSION) return l->readonly ? TALLY_OK : ensure_indexes(l, err);
    if (version == 0 && objects > 0) {
        tly_set_error(err, TALLY_ERR_DATA, "not a tally database (it has tables but no schema version)");
        return TALLY_ERR_DATA;
    }
    if (l->readonly) {
        tly_set_error(err, TALLY_ERR_DATA, "empty database opened read-only");
        return TALLY_ERR_DATA;
    }
    /* Migrations run one version at a time, each in its own transaction;
     * version 1 is the first schema. */
    tally_status st = tly_exec(l, "BEGIN IMMEDIATE", err);
    if (st) return st;
    if (sqlite3_exec(l->db, tly_schema_v1, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(l->db, tly_schema_indexes, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(l->db,
                     "INSERT INTO meta(key, value) VALUES('schema_version', '1'),"
                     " ('created_by', 'tally " TALLY_VERSION_STRING "');"
                     "PRAGMA user_version = 1;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        st = tly_db_error(l, err, "cannot create the schema");
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    return tly_exec(l, "COMMIT", err);
}

tally_status tally_ledger_open(const char *path, const tally_ledger_options *opt, tally_ledger **out,
                               tally_error *err) {
    if (!out) { tly_set_error(err, TALLY_ERR_USAGE, "out is NULL"); return TALLY_ERR_USAGE; }
    *out = NULL;
    if (!path || !*path) path = tally_ledger_default_path();
    tally_ledger *l = calloc(1, sizeof *l);
    if (!l) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    l->readonly = opt && (opt->flags & TALLY_LEDGER_READONLY);
    int flags = l->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &l->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot open database %s: %s", path,
                 l->db ? sqlite3_errmsg(l->db) : "out of memory");
        tly_set_error(err, TALLY_ERR_IO, msg);
        if (err) snprintf(err->doc, sizeof err->doc, "%s", path);
        sqlite3_close(l->db);
        free(l);
        return TALLY_ERR_IO;
    }
    sqlite3_busy_timeout(l->db, opt && opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000);
    sqlite3_extended_result_codes(l->db, 0);
    tally_status st = TALLY_OK;
    if (!l->readonly) {
        /* WAL: readers (sqlite3 shell, Datasette) never block the writer. */
        st = tly_exec(l, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", err);
    }
    if (!st) st = ensure_schema(l, err);
    if (!st && !l->readonly) st = tly_exec(l, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000;", err);
    if (st) {
        if (err && !err->doc[0]) snprintf(err->doc, sizeof err->doc, "%s", path);
        tally_ledger_close(l);
        return st;
    }
    *out = l;
    return TALLY_OK;
}

void tally_ledger_close(tally_ledger *l) {
    if (!l) return;
    if (l->db && !sqlite3_get_autocommit(l->db)) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < TLY_ST_COUNT; i++) sqlite3_finalize(l->st[i]);
    if (l->db && !l->readonly) sqlite3_exec(l->db, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close(l->db);
    free(l);
}

static tally_status writable(tally_ledger *l, tally_error *err) {
    if (!l) { tly_set_error(err, TALLY_ERR_USAGE, "no ledger"); return TALLY_ERR_USAGE; }
    if (l->readonly) { tly_set_error(err, TALLY_ERR_USAGE, "the ledger is open read-only"); return TALLY_ERR_USAGE; }
    return TALLY_OK;
}

/* The highest document id, which the next batch's FTS rows come after. */
static tally_status max_doc_id(tally_ledger *l, int64_t *out, tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_DOC_MAXID);
    if (!s || sqlite3_step(s) != SQLITE_ROW) {
        if (s) sqlite3_reset(s);
        return tly_db_error(l, err, NULL);
    }
    *out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return TALLY_OK;
}

/* Indexes the text of the batch's documents (those with an id above
 * fts_after), outside any savepoint. */
static tally_status fts_flush(tally_ledger *l, tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_FTS_BATCH);
    if (!s) return tly_db_error(l, err, NULL);
    sqlite3_bind_int64(s, 1, l->fts_after);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return tly_db_error(l, err, "cannot index the documents");
    l->fts_pending = 0;
    return max_doc_id(l, &l->fts_after, err);
}

tally_status tally_ledger_begin(tally_ledger *l, tally_error *err) {
    tally_status st = writable(l, err);
    if (st) return st;
    if (l->in_batch) { tly_set_error(err, TALLY_ERR_USAGE, "a batch is already open"); return TALLY_ERR_USAGE; }
    st = tly_exec(l, "BEGIN IMMEDIATE", err);
    if (!st && (st = max_doc_id(l, &l->fts_after, err))) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    l->fts_pending = 0;
    if (!st) l->in_batch = 1;
    return st;
}

tally_status tally_ledger_commit(tally_ledger *l, tally_error *err) {
    tally_status st = writable(l, err);
    if (st) return st;
    if (!l->in_batch) { tly_set_error(err, TALLY_ERR_USAGE, "no batch is open"); return TALLY_ERR_USAGE; }
    st = fts_flush(l, err);
    if (!st) st = tly_exec(l, "COMMIT", err);
    if (st) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    l->in_batch = 0;
    return st;
}

tally_status tally_ledger_rollback(tally_ledger *l) {
    if (!l || !l->in_batch) return TALLY_OK;
    l->in_batch = 0;
    return sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? TALLY_OK : TALLY_ERR_IO;
}

static void content_hash(const tally_doc *doc, char hex[65]) {
    tly_sha256_hex(doc->text.ptr ? doc->text.ptr : "", doc->text.len, hex);
}

static tally_status find_doc(tally_ledger *l, const char *hash, int *found, tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_DOC_FIND);
    if (!s) return tly_db_error(l, err, NULL);
    sqlite3_bind_text(s, 1, hash, 64, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return tly_db_error(l, err, NULL);
    *found = rc == SQLITE_ROW;
    sqlite3_reset(s);
    return TALLY_OK;
}

tally_status tally_ledger_contains(tally_ledger *l, const tally_doc *doc, int *found, tally_error *err) {
    if (!l || !doc || !found) { tly_set_error(err, TALLY_ERR_USAGE, "NULL argument"); return TALLY_ERR_USAGE; }
    char hash[65];
    content_hash(doc, hash);
    return find_doc(l, hash, found, err);
}

/* ---------------------------------------------------------------- ingest */
static void bind_str(sqlite3_stmt *s, int i, tally_str v) {
    if (v.ptr && v.len) sqlite3_bind_text(s, i, v.ptr, (int)v.len, SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}

static void bind_cstr(sqlite3_stmt *s, int i, const char *v) {
    if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(s, i);
}

static void bind_span(sqlite3_stmt *s, int i, const tally_doc *doc, size_t a, size_t b) {
    if (a == TALLY_NO_SPAN || b == TALLY_NO_SPAN || a > b || b > doc->text.len) sqlite3_bind_null(s, i);
    else sqlite3_bind_text(s, i, doc->text.ptr + a, (int)(b - a), SQLITE_STATIC);
}

static void bind_off(sqlite3_stmt *s, int i, size_t v) {
    if (v == TALLY_NO_SPAN) sqlite3_bind_null(s, i);
    else sqlite3_bind_int64(s, i, (sqlite3_int64)v);
}

static void bind_count(sqlite3_stmt *s, int i, int64_t v) {
    if (v == TALLY_OPEN) sqlite3_bind_null(s, i);
    else sqlite3_bind_int64(s, i, v);
}

static int step_done(sqlite3_stmt *s) {
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

/* A district, region or province: the gazetteer names them with a suffix. */
static const char *const admin_suffix[] = {" District", " Rayon", " Region", " Province",
                                           " Governorate", " Oblast", " Municipality", " County",
                                           " Prefecture", " Raion", NULL};

static size_t admin_stem(const char *name) {
    size_t n = strlen(name);
    for (int i = 0; admin_suffix[i]; i++) {
        size_t k = strlen(admin_suffix[i]);
        if (n > k && !strcmp(name + n - k, admin_suffix[i])) return n - k;
    }
    return 0;
}

/* Links a new place to its district, or a new district to its town. */
static tally_status link_place(tally_ledger *l, int64_t id, const char *name, const char *country,
                               tally_error *err) {
    size_t stem = admin_stem(name);
    sqlite3_stmt *s;
    int rc;
    if (stem) {
        rc = sqlite3_prepare_v2(l->db,
                                "UPDATE places SET parent_id = ?1 WHERE name = ?2 AND country IS ?3"
                                " AND admin = 0 AND parent_id IS NULL",
                                -1, &s, NULL);
        if (rc != SQLITE_OK) return tly_db_error(l, err, NULL);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, name, (int)stem, SQLITE_STATIC);
        bind_cstr(s, 3, country);
    } else {
        rc = sqlite3_prepare_v2(l->db,
                                "UPDATE places SET parent_id = (SELECT p.id FROM places p WHERE p.admin = 1"
                                " AND p.country IS ?3 AND substr(p.name, 1, length(?2) + 1) = ?2 || ' '"
                                " ORDER BY p.id LIMIT 1) WHERE id = ?1",
                                -1, &s, NULL);
        if (rc != SQLITE_OK) return tly_db_error(l, err, NULL);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
        bind_cstr(s, 3, country);
    }
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? TALLY_OK : tly_db_error(l, err, NULL);
}

static tally_status place_id(tally_ledger *l, const tally_claim *c, int64_t *out, tally_error *err) {
    *out = 0;
    if (!c->place) return TALLY_OK;
    char key[512];
    snprintf(key, sizeof key, "%s (%s)", c->place, c->country ? c->country : "-");
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_PLACE_FIND);
    if (!s) return tly_db_error(l, err, NULL);
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) { *out = sqlite3_column_int64(s, 0); sqlite3_reset(s); return TALLY_OK; }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return tly_db_error(l, err, NULL);
    s = tly_stmt(l, TLY_ST_PLACE_INSERT);
    if (!s) return tly_db_error(l, err, NULL);
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    bind_cstr(s, 2, c->place);
    bind_cstr(s, 3, c->country);
    if (c->has_coords) { sqlite3_bind_double(s, 4, c->lat); sqlite3_bind_double(s, 5, c->lon); }
    sqlite3_bind_int(s, 6, admin_stem(c->place) ? 1 : 0);
    if (!step_done(s)) return tly_db_error(l, err, NULL);
    *out = sqlite3_last_insert_rowid(l->db);
    return link_place(l, *out, c->place, c->country, err);
}

static void split_alignment(const char *a, char *role, size_t rn, const char **side) {
    role[0] = 0;
    *side = NULL;
    if (!a) return;
    const char *colon = strchr(a, ':');
    size_t n = colon ? (size_t)(colon - a) : strlen(a);
    if (n >= rn) n = rn - 1;
    memcpy(role, a, n);
    role[n] = 0;
    if (colon && colon[1]) *side = colon + 1;
}

static tally_status actor_id(tally_ledger *l, const char *name, const char *alignment, int64_t *out,
                             tally_error *err) {
    *out = 0;
    if (!name) return TALLY_OK;
    char role[32];
    const char *side;
    split_alignment(alignment, role, sizeof role, &side);
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_ACTOR_FIND);
    if (!s) return tly_db_error(l, err, NULL);
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        int known = sqlite3_column_type(s, 1) != SQLITE_NULL;
        sqlite3_reset(s);
        if (!known && alignment) { /* the first alignment the extractor gives sticks */
            s = tly_stmt(l, TLY_ST_ACTOR_ALIGN);
            if (!s) return tly_db_error(l, err, NULL);
            sqlite3_bind_int64(s, 1, *out);
            bind_cstr(s, 2, alignment);
            bind_cstr(s, 3, role[0] ? role : NULL);
            bind_cstr(s, 4, side);
            if (!step_done(s)) return tly_db_error(l, err, NULL);
        }
        return TALLY_OK;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return tly_db_error(l, err, NULL);
    s = tly_stmt(l, TLY_ST_ACTOR_INSERT);
    if (!s) return tly_db_error(l, err, NULL);
    bind_cstr(s, 1, name);
    bind_cstr(s, 2, alignment);
    bind_cstr(s, 3, role[0] ? role : NULL);
    bind_cstr(s, 4, side);
    if (!step_done(s)) return tly_db_error(l, err, NULL);
    *out = sqlite3_last_insert_rowid(l->db);
    return TALLY_OK;
}

static tally_status add_alias(tally_ledger *l, int64_t actor, const tally_doc *doc, size_t a, size_t b,
                              tally_error *err) {
    if (!actor || a == TALLY_NO_SPAN || b == TALLY_NO_SPAN || a >= b || b > doc->text.len) return TALLY_OK;
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_ALIAS_INSERT);
    if (!s) return tly_db_error(l, err, NULL);
    sqlite3_bind_text(s, 1, doc->text.ptr + a, (int)(b - a), SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, actor);
    return step_done(s) ? TALLY_OK : tly_db_error(l, err, NULL);
}

static tally_status insert_claim(tally_ledger *l, int64_t docid, const tally_doc *doc, size_t seq,
                                 const tally_claim *c, const char *reference, tally_error *err) {
    int64_t pid, cid, perp;
    tally_status st;
    if ((st = place_id(l, c, &pid, err))) return st;
    if ((st = actor_id(l, c->claimant, c->claimant_alignment, &cid, err))) return st;
    if ((st = add_alias(l, cid, doc, c->claimant_start, c->claimant_end, err))) return st;
    if ((st = actor_id(l, c->perpetrator, NULL, &perp, err))) return st;
    if (c->end > doc->text.len || c->start > c->end) {
        tly_set_error(err, TALLY_ERR_USAGE, "a claim's span is outside the document (result of another document?)");
        return TALLY_ERR_USAGE;
    }

    char ds[16] = "", de[16] = "", f1[11], l1[11], f2[11], l2[11];
    tally_date_format(c->date_start, ds, sizeof ds);
    tally_date_format(c->date_end, de, sizeof de);
    int has1 = tly_date_bounds(c->date_start, f1, l1);
    int has2 = tly_date_bounds(c->date_end, f2, l2);
    const char *first = has1 ? f1 : has2 ? f2 : NULL;
    const char *last = has2 ? l2 : has1 ? l1 : NULL;

    sqlite3_stmt *s = tly_stmt(l, TLY_ST_CLAIM_INSERT);
    if (!s) return tly_db_error(l, err, NULL);
    sqlite3_bind_int64(s, 1, docid);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)seq);
    bind_str(s, 3, doc->id);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)c->start);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)c->end);
    bind_span(s, 6, doc, c->start, c->end);
    bind_cstr(s, 7, tally_outcome_name(c->outcome));
    bind_count(s, 8, c->count_low);
    bind_count(s, 9, c->count_high);
    bind_cstr(s, 10, c->qualifier);
    bind_cstr(s, 11, tally_victims_name(c->victims));
    bind_cstr(s, 12, tally_scope_name(c->scope));
    bind_cstr(s, 13, c->place);
    bind_cstr(s, 14, c->country);
    if (c->has_coords) { sqlite3_bind_double(s, 15, c->lat); sqlite3_bind_double(s, 16, c->lon); }
    bind_span(s, 17, doc, c->place_start, c->place_end);
    bind_off(s, 18, c->place_start);
    bind_off(s, 19, c->place_end);
    bind_cstr(s, 20, ds[0] ? ds : NULL);
    bind_cstr(s, 21, de[0] ? de : NULL);
    bind_span(s, 22, doc, c->date_span_start, c->date_span_end);
    bind_off(s, 23, c->date_span_start);
    bind_off(s, 24, c->date_span_end);
    bind_cstr(s, 25, c->claimant);
    bind_cstr(s, 26, c->claimant_alignment);
    bind_span(s, 27, doc, c->claimant_start, c->claimant_end);
    bind_off(s, 28, c->claimant_start);
    bind_off(s, 29, c->claimant_end);
    bind_cstr(s, 30, c->perpetrator);
    bind_cstr(s, 31, c->weapon);
    bind_cstr(s, 32, c->weapon_name);
    if (c->count_start <= c->count_end && c->count_end <= doc->text.len)
        bind_span(s, 33, doc, c->count_start, c->count_end);
    else
        sqlite3_bind_text(s, 33, "", 0, SQLITE_STATIC);
    sqlite3_bind_int64(s, 34, (sqlite3_int64)c->count_start);
    sqlite3_bind_int64(s, 35, (sqlite3_int64)c->count_end);
    bind_cstr(s, 36, first);
    bind_cstr(s, 37, last);
    if (pid) sqlite3_bind_int64(s, 38, pid);
    if (cid) sqlite3_bind_int64(s, 39, cid);
    if (perp) sqlite3_bind_int64(s, 40, perp);
    if (!step_done(s)) return tly_db_error(l, err, "cannot store a claim");

    tly_link_claim lc = {
        .id = sqlite3_last_insert_rowid(l->db),
        .document_id = docid,
        .place_id = pid,
        .claimant_id = cid,
        .scope = tally_scope_name(c->scope),
        .outcome = tally_outcome_name(c->outcome),
        .victims = tally_victims_name(c->victims),
        .first_day = first,
        .last_day = last,
        .reference = reference,
        .date_start = has1 ? f1 : NULL,
        .count_low = c->count_low,
        .count_high = c->count_high,
        .claimant = c->claimant,
    };
    return tly_link_claim_add(l, &lc, err);
}

/* A prepared statement without parameters or rows (SAVEPOINT, RELEASE). */
static tally_status run_stmt(tally_ledger *l, tly_st which, tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, which);
    if (!s) return tly_db_error(l, err, NULL);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? TALLY_OK : tly_db_error(l, err, NULL);
}

tally_status tally_ledger_ingest_doc(tally_ledger *l, const tally_doc *doc, const tally_result *res,
                                     int *stored, size_t *nclaims, tally_error *err) {
    if (stored) *stored = 0;
    if (nclaims) *nclaims = 0;
    tally_status st = writable(l, err);
    if (st) return st;
    if (!doc || !res) { tly_set_error(err, TALLY_ERR_USAGE, "NULL document or result"); return TALLY_ERR_USAGE; }
    if (doc->text.len > (size_t)0x7fffffff) { tly_set_error(err, TALLY_ERR_LIMIT, "document too large to store"); return TALLY_ERR_LIMIT; }

    char hash[65];
    content_hash(doc, hash);
    int own = !l->in_batch;
    if (!own && l->fts_pending >= TLY_FTS_EVERY && (st = fts_flush(l, err))) {
        if (sqlite3_get_autocommit(l->db)) l->in_batch = 0; /* SQLite rolled the batch back (disk full) */
        return st;
    }
    if (own && (st = tly_exec(l, "BEGIN IMMEDIATE", err))) return st;
    if ((st = run_stmt(l, TLY_ST_SAVEPOINT, err))) goto fail_outer;

    int found = 0, stored_own = 0;
    int64_t docid_own = 0;
    if ((st = find_doc(l, hash, &found, err))) goto fail;
    if (found) goto done;

    char pub[16] = "", ref[16] = "", rf[11] = "", rl[11] = "";
    tally_date_format(doc->published, pub, sizeof pub);
    const char *basis = NULL;
    tally_date refd = tally_result_reference_date(res, &basis);
    tally_date_format(refd, ref, sizeof ref);
    tly_date_bounds(refd, rf, rl);

    sqlite3_stmt *s = tly_stmt(l, TLY_ST_DOC_INSERT);
    if (!s) { st = tly_db_error(l, err, NULL); goto fail; }
    bind_str(s, 1, doc->id.len ? doc->id : (tally_str){hash, 16});
    sqlite3_bind_text(s, 2, hash, 64, SQLITE_STATIC);
    bind_str(s, 3, doc->source);
    bind_str(s, 4, doc->title);
    bind_str(s, 5, doc->url);
    bind_cstr(s, 6, pub[0] ? pub : NULL);
    bind_cstr(s, 7, ref[0] ? ref : NULL);
    bind_cstr(s, 8, basis);
    sqlite3_bind_int64(s, 9, (sqlite3_int64)doc->text.len);
    sqlite3_bind_text(s, 10, doc->text.ptr ? doc->text.ptr : "", (int)doc->text.len, SQLITE_STATIC);
    if (!step_done(s)) { st = tly_db_error(l, err, "cannot store the document"); goto fail; }
    int64_t docid = sqlite3_last_insert_rowid(l->db);

    /* its FTS row: at the commit of the batch (fts_flush), or below */
    const tally_claim *cl;
    size_t n = tally_result_claims(res, &cl);
    for (size_t i = 0; i < n; i++)
        if ((st = insert_claim(l, docid, doc, i, &cl[i], rl[0] ? rl : NULL, err))) goto fail;

    s = tly_stmt(l, TLY_ST_DOC_NCLAIMS);
    if (!s) { st = tly_db_error(l, err, NULL); goto fail; }
    sqlite3_bind_int64(s, 1, docid);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)n);
    if (!step_done(s)) { st = tly_db_error(l, err, NULL); goto fail; }
    if (stored) *stored = 1;
    if (nclaims) *nclaims = n;
    stored_own = own;
    docid_own = docid;
    l->fts_pending += !own;
done:
    if ((st = run_stmt(l, TLY_ST_RELEASE, err))) goto fail_outer;
    if (stored_own) {
        s = tly_stmt(l, TLY_ST_FTS_INSERT);
        if (!s) { st = tly_db_error(l, err, NULL); goto fail_outer; }
        sqlite3_bind_int64(s, 1, docid_own);
        bind_str(s, 2, doc->title);
        sqlite3_bind_text(s, 3, doc->text.ptr ? doc->text.ptr : "", (int)doc->text.len, SQLITE_STATIC);
        if (!step_done(s)) { st = tly_db_error(l, err, "cannot index the document"); goto fail_outer; }
    }
    if (own && (st = tly_exec(l, "COMMIT", err))) goto fail_outer;
    return TALLY_OK;
fail:
    sqlite3_exec(l->db, "ROLLBACK TO tally_doc; RELEASE tally_doc", NULL, NULL, NULL);
fail_outer:
    if (own) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    else if (sqlite3_get_autocommit(l->db)) l->in_batch = 0; /* SQLite rolled the batch back (disk full) */
    if (stored) *stored = 0;
    if (nclaims) *nclaims = 0;
    if (err && !err->doc[0] && doc->id.len)
        snprintf(err->doc, sizeof err->doc, "%.*s", (int)(doc->id.len < 255 ? doc->id.len : 255), doc->id.ptr);
    return st;
}

tally_status tally_ledger_stats_get(tally_ledger *l, tally_ledger_stats *out, tally_error *err) {
    if (!l || !out) { tly_set_error(err, TALLY_ERR_USAGE, "NULL argument"); return TALLY_ERR_USAGE; }
    static const char *const sql[] = {"SELECT count(*) FROM documents", "SELECT count(*) FROM claims",
                                      "SELECT count(*) FROM incidents", "SELECT count(*) FROM series",
                                      "SELECT count(*) FROM actors", "SELECT count(*) FROM places"};
    uint64_t *f[] = {&out->documents, &out->claims, &out->incidents, &out->series, &out->actors, &out->places};
    for (int i = 0; i < 6; i++) {
        int64_t v = 0;
        if (!query_int(l, sql[i], &v)) return tly_db_error(l, err, NULL);
        *f[i] = (uint64_t)v;
    }
    return TALLY_OK;
}
