/* pg.c -- the PostgreSQL backend of the ledger (src/store/ops.h) over
 * libpq: open and schema, transactions, documents, places, actors, claims,
 * and the reads and writes of the linking rules; the queries and reports
 * are in pg_query.c, the schema text in pg_schema.c. With sqlite*.c, the
 * only files that speak SQL. The statements are SQLite's (sqlite.c) in
 * PostgreSQL's dialect, each prepared once per connection, one round trip
 * an operation where the operation allows.
 *
 * Several writers (docs/scale.md): every write transaction takes the
 * writer's advisory lock before its first write (the first document's
 * savepoint, a relink, a review): what the transactions store and link is
 * what one writer storing them in the order of their commits would. The
 * get-or-insert of places, actors and documents is safe without it too
 * (ON CONFLICT). A writer killed mid-transaction loses only that
 * transaction: PostgreSQL rolls it back and frees its lock. */
#include "store/pg.h"
#include "store/codes.h"
#include "store/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum pst {
    P_DOC_FIND = 0,
    P_DOC_INSERT,
    P_DOC_NCLAIMS,
    P_PLACE_FIND,
    P_PLACE_FIND_NAME,
    P_PLACE_INSERT,
    P_PLACE_LINK,
    P_ACTOR_GET,
    P_ACTOR_INSERT,
    P_ALIAS_INSERT,
    P_CLAIM_INSERT,
    P_PLACE_NEAR,
    P_INC_BY_WINDOW,
    P_INC_BY_DOC,
    P_INC_INSERT,
    P_INC_MERGE,
    P_INC_DELETE,
    P_BOUNDS_DELETE,
    P_CLAIM_SET_INC,
    P_INC_CLAIMS,
    P_INC_UPDATE,
    P_BOUNDS_INSERT,
    P_SERIES_FIND,
    P_SERIES_INSERT,
    P_SERIES_PERIOD,
    P_CLAIM_SAME,
    P_CLAIM_SET_SAME,
    P_INC_GET,
    P_REVIEW_INSERT,
    P_REVIEW_FIELD,
    P_REVIEW_STATE,
    P_REVIEW_FIELDS,
    P_CLAIM_FIELDS,
    P_CLAIM_UNLINK,
    P_COPIES_OF,
    P_POINT_INSERT,
    P_POINT_PREV,
    P_POINT_NEXT,
    P_POINT_SET_DOWN,
    P_POINT_SAME_DAY,
    P_POINT_ADD_DIFFERS,
    P_CLAIMS_AFTER,
    P_COUNTRY_INSERT,
    P_WEAPON_INSERT,
    P_COUNT
} pst;

#define NOW "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* a new row's id: one above the largest, as SQLite gives a rowid (the
 * writer's lock makes it safe; a rolled-back row's id is given again), so
 * both backends number rows alike */
#define NEXT(t) "(SELECT coalesce(max(id), 0) + 1 FROM " t ")"
/* the kind of a place (one of an earlier schema has none: its admin flag says) */
#define KIND(p) "coalesce(" p ".kind, CASE WHEN " p ".admin <> 0 THEN 'district' ELSE 'town' END)"

/* The columns of a stored claim, in the order claim_insert binds them. */
#define CLAIM_INSERT_COLS                                                                          \
    "document_id, seq, doc, start, \"end\", sentence, outcome, count_low, count_high, qualifier,"  \
    " victims, scope, place, country, lat, lon, place_text, place_start, place_end, date_start,"    \
    " date_end, date_text, date_span_start, date_span_end, claimant, claimant_alignment,"           \
    " claimant_text, claimant_start, claimant_end, perpetrator, weapon, weapon_name, count_text,"  \
    " count_start, count_end, first_day, last_day, place_id, claimant_id, perpetrator_id,"          \
    " place_kind, claim_key, sentence_key, figure_key, review_status, victims_side, date_basis,"      \
    " place_precision, reported_by, part_of"

static const char *const stmt_sql[P_COUNT] = {
    [P_DOC_FIND] = "SELECT id FROM documents WHERE content_hash = $1::text",
    [P_DOC_INSERT] =
        "INSERT INTO documents(id, doc, content_hash, source, title, url, published, reference_date,"
        " reference_basis, ingested_at, bytes, text, lang)"
        " VALUES(" NEXT("documents") ", $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, " NOW
        ", $9::bigint, $10::text, $11::text) ON CONFLICT (content_hash) DO NOTHING RETURNING id",
    [P_DOC_NCLAIMS] = "UPDATE documents SET n_claims = $2::bigint WHERE id = $1::bigint",
    [P_PLACE_FIND] = "SELECT id FROM places WHERE gazetteer_id = $1::bigint AND kind = $2::text",
    [P_PLACE_FIND_NAME] =
        "SELECT id FROM places WHERE gazetteer_id = 0 AND name = $1::text"
        " AND country IS NOT DISTINCT FROM $2::text AND kind = $3::text ORDER BY id LIMIT 1",
    [P_PLACE_INSERT] =
        "INSERT INTO places(id, gazetteer_id, kind, name, country, admin1, lat, lon, admin)"
        " VALUES(" NEXT("places") ", $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::float8, $7::float8, $8::bigint)"
        " ON CONFLICT (gazetteer_id, kind) WHERE gazetteer_id <> 0 DO NOTHING RETURNING id",
    /* the new place's parent (the district or region its admin1 names),
     * and (a district or region) its children: one statement */
    [P_PLACE_LINK] =
        "WITH parent AS (UPDATE places SET parent_id = (SELECT p.id FROM places p WHERE p.name = $2::text"
        "   AND p.country IS NOT DISTINCT FROM $3::text AND p.admin = 1 AND p.id <> $1::bigint ORDER BY p.id LIMIT 1)"
        "   WHERE id = $1::bigint AND parent_id IS NULL AND $2::text IS NOT NULL RETURNING 1)"
        " UPDATE places SET parent_id = $1::bigint WHERE $5::bigint <> 0 AND admin1 = $4::text"
        "   AND country IS NOT DISTINCT FROM $3::text AND parent_id IS NULL AND id <> $1::bigint",
    /* an actor by name; an unaligned one takes the alignment given */
    [P_ACTOR_GET] =
        "WITH f AS (SELECT id FROM actors WHERE name = $1::text),"
        " u AS (UPDATE actors SET alignment = $2::text, role = $3::text, side = $4::text"
        "   WHERE id = (SELECT id FROM f) AND alignment IS NULL AND $2::text IS NOT NULL RETURNING 1)"
        " SELECT id, (SELECT count(*) FROM u) FROM f",
    [P_ACTOR_INSERT] =
        "INSERT INTO actors(id, name, alignment, role, side) VALUES(" NEXT("actors") ", $1::text, $2::text, $3::text, $4::text)"
        " ON CONFLICT (name) DO NOTHING RETURNING id",
    [P_ALIAS_INSERT] =
        "INSERT INTO actor_aliases(alias, actor_id) VALUES($1::text, $2::bigint) ON CONFLICT DO NOTHING",
    [P_CLAIM_INSERT] =
        "INSERT INTO claims(id, " CLAIM_INSERT_COLS ")"
        " VALUES(" NEXT("claims") ", $1::bigint, $2::bigint, $3::text, $4::bigint, $5::bigint, $6::text, $7::text, $8::bigint,"
        " $9::bigint, $10::text, $11::text, $12::text, $13::text, $14::text, $15::float8, $16::float8,"
        " $17::text, $18::bigint, $19::bigint, $20::text, $21::text, $22::text, $23::bigint, $24::bigint,"
        " $25::text, $26::text, $27::text, $28::bigint, $29::bigint, $30::text, $31::text, $32::text,"
        " $33::text, $34::bigint, $35::bigint, $36::text, $37::text, $38::bigint, $39::bigint, $40::bigint,"
        " $41::text, $42::text, $43::text, $44::text, coalesce($45::text, 'unreviewed'), $46::text, $47::text,"
        " $48::text, $49::text, $50::bigint) RETURNING id",
    [P_PLACE_NEAR] =
        "SELECT p.id, 0, " KIND("p") " FROM places p WHERE p.id = $1::bigint"
        " UNION SELECT q.id, 1, " KIND("q") " FROM places p JOIN places q ON q.id = p.parent_id WHERE p.id = $1::bigint"
        " UNION SELECT p.id, 2, " KIND("p") " FROM places p WHERE p.parent_id = $1::bigint ORDER BY 1",
    [P_INC_BY_WINDOW] =
        "SELECT id FROM incidents WHERE place_id = $1::bigint AND kind = $2::text AND window_last >= $3::text"
        " AND window_first <= $4::text",
    [P_INC_BY_DOC] =
        "SELECT DISTINCT c.incident_id FROM claims c JOIN incidents i ON i.id = c.incident_id"
        " WHERE c.document_id = $1::bigint AND i.kind = $2::text AND i.place_id = $3::bigint",
    [P_INC_INSERT] = "INSERT INTO incidents(id, kind, place_id) VALUES(" NEXT("incidents") ", $1::text, $2::bigint) RETURNING id",
    [P_INC_MERGE] =
        "WITH moved AS (UPDATE claims SET incident_id = $1::bigint WHERE incident_id = $2::bigint RETURNING 1),"
        " bounds AS (DELETE FROM incident_bounds WHERE incident_id = $2::bigint RETURNING 1)"
        " DELETE FROM incidents WHERE id = $2::bigint AND (SELECT count(*) FROM moved) >= 0"
        " AND (SELECT count(*) FROM bounds) >= 0",
    [P_INC_DELETE] =
        "WITH bounds AS (DELETE FROM incident_bounds WHERE incident_id = $1::bigint RETURNING 1)"
        " DELETE FROM incidents WHERE id = $1::bigint AND (SELECT count(*) FROM bounds) >= 0",
    [P_BOUNDS_DELETE] = "DELETE FROM incident_bounds WHERE incident_id = $1::bigint",
    [P_CLAIM_SET_INC] = "UPDATE claims SET incident_id = $1::bigint WHERE id = $2::bigint",
    [P_INC_CLAIMS] =
        "SELECT c.id, c.place_id, p.admin, c.outcome, c.victims, c.count_low, c.count_high,"
        " c.first_day, c.last_day, d.reference_date FROM claims c"
        " JOIN documents d ON d.id = c.document_id LEFT JOIN places p ON p.id = c.place_id"
        " WHERE c.incident_id = $1::bigint ORDER BY c.outcome, c.victims, c.id",
    [P_INC_UPDATE] =
        "UPDATE incidents SET place_id = $2::bigint, first_day = $3::text, last_day = $4::text,"
        " doc_first = $5::text, doc_last = $6::text, window_first = $7::text, window_last = $8::text,"
        " n_claims = $9::bigint WHERE id = $1::bigint",
    [P_BOUNDS_INSERT] =
        "INSERT INTO incident_bounds(incident_id, outcome, victims, n_claims, low, low_claim_id,"
        " best, best_claim_id, high, high_claim_id, high_open)"
        " VALUES($1::bigint, $2::text, $3::text, $4::bigint, $5::bigint, $6::bigint, $7::bigint, $8::bigint,"
        " $9::bigint, $10::bigint, $11::bigint)",
    [P_SERIES_FIND] =
        "SELECT id, period_start, first_as_of FROM series WHERE claimant_id IS NOT DISTINCT FROM $1::bigint"
        " AND outcome = $2::text AND victims = $3::text AND country IS NOT DISTINCT FROM $4::text"
        " AND background = $5::bigint AND document_id IS NOT DISTINCT FROM $6::bigint ORDER BY id",
    [P_SERIES_INSERT] =
        "INSERT INTO series(id, claimant_id, claimant, outcome, victims, country, period_start, background,"
        " document_id, frame) VALUES(" NEXT("series") ", $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::text,"
        " $7::bigint, $8::bigint, $9::text) RETURNING id",
    [P_SERIES_PERIOD] = "UPDATE series SET period_start = $2::text, frame = $3::text WHERE id = $1::bigint",
    [P_CLAIM_SAME] =
        "SELECT least((SELECT min(id) FROM claims WHERE sentence_key = $1::text AND id < $3::bigint"
        "   AND same_as IS NULL AND review_status <> 'rejected'),"
        " (SELECT min(id) FROM claims WHERE figure_key = $2::text AND id < $3::bigint"
        "   AND same_as IS NULL AND review_status <> 'rejected'))",
    [P_CLAIM_SET_SAME] = "UPDATE claims SET same_as = $2::bigint WHERE id = $1::bigint",
    [P_INC_GET] =
        "SELECT i.place_id, coalesce(p.admin, -1), i.first_day, i.last_day, i.doc_first, i.doc_last, i.n_claims"
        " FROM incidents i LEFT JOIN places p ON p.id = i.place_id WHERE i.id = $1::bigint",
    [P_REVIEW_INSERT] =
        "INSERT INTO reviews(id, claim_key, action, note, reviewer, reviewed_at)"
        " VALUES(" NEXT("reviews") ", $1::text, $2::text, $3::text, $4::text, " NOW ") RETURNING id",
    [P_REVIEW_FIELD] =
        "INSERT INTO review_fields(review_id, field, value, original) VALUES($1::bigint, $2::text, $3::text, $4::text)"
        " ON CONFLICT (review_id, field) DO UPDATE SET value = EXCLUDED.value, original = EXCLUDED.original",
    /* the last action and whether any review corrected */
    [P_REVIEW_STATE] =
        "SELECT (SELECT action FROM reviews WHERE claim_key = $1::text ORDER BY id DESC LIMIT 1),"
        " (SELECT count(*) FROM reviews WHERE claim_key = $1::text AND action = 'correct')",
    [P_REVIEW_FIELDS] =
        "SELECT DISTINCT ON (f.field) f.field, f.value FROM review_fields f JOIN reviews r ON r.id = f.review_id"
        " WHERE r.claim_key = $1::text ORDER BY f.field, r.id DESC",
    [P_CLAIM_FIELDS] =
        "SELECT claim_key, outcome, victims, scope, count_low, count_high, qualifier, date_start, date_end, claimant"
        " FROM claims WHERE id = $1::bigint",
    /* where the claim was (incident, point), then out of both */
    [P_CLAIM_UNLINK] =
        "WITH old AS (SELECT c.incident_id, sp.series_id, sp.as_of, sp.count_low, sp.count_high FROM claims c"
        "   LEFT JOIN series_points sp ON sp.claim_id = c.id WHERE c.id = $1::bigint),"
        " unset AS (UPDATE claims SET incident_id = NULL, same_as = NULL WHERE id = $1::bigint RETURNING 1),"
        " point AS (DELETE FROM series_points WHERE claim_id = $1::bigint RETURNING series_id),"
        " drop_ AS (UPDATE series SET n_points = n_points - 1 WHERE id IN (SELECT series_id FROM point) RETURNING 1)"
        " SELECT old.*, (SELECT count(*) FROM unset) + (SELECT count(*) FROM drop_) FROM old",
    [P_COPIES_OF] = "SELECT id FROM claims WHERE same_as = $1::bigint ORDER BY id",
    [P_POINT_INSERT] =
        "WITH p AS (INSERT INTO series_points(claim_id, series_id, as_of, period_start, value, count_low, count_high)"
        "   VALUES($1::bigint, $2::bigint, $3::text, $4::text, $5::bigint, $6::bigint, $7::bigint) RETURNING 1)"
        " UPDATE series SET n_points = n_points + 1,"
        "   first_as_of = CASE WHEN $3::text IS NOT NULL AND (first_as_of IS NULL OR first_as_of > $3::text)"
        "     THEN $3::text ELSE first_as_of END"
        " WHERE id = $2::bigint AND (SELECT count(*) FROM p) = 1",
    [P_POINT_PREV] =
        "SELECT claim_id, value FROM series_points WHERE series_id = $1::bigint AND as_of IS NOT NULL"
        " AND (as_of < $2::text OR (as_of = $2::text AND claim_id < $3::bigint)) ORDER BY as_of DESC, claim_id DESC LIMIT 1",
    [P_POINT_NEXT] =
        "SELECT claim_id, value FROM series_points WHERE series_id = $1::bigint AND as_of IS NOT NULL"
        " AND (as_of > $2::text OR (as_of = $2::text AND claim_id > $3::bigint)) ORDER BY as_of, claim_id LIMIT 1",
    [P_POINT_SET_DOWN] = "UPDATE series_points SET down = $2::bigint WHERE claim_id = $1::bigint",
    [P_POINT_SAME_DAY] =
        "SELECT sp.claim_id, sp.count_low, sp.count_high FROM series_points sp"
        " JOIN series s ON s.id = sp.series_id JOIN series me ON me.id = $4::bigint WHERE sp.as_of = $1::text"
        " AND s.outcome = $2::text AND s.victims = $3::text AND sp.series_id <> $4::bigint"
        " AND s.country IS NOT DISTINCT FROM me.country AND s.period_start IS NOT DISTINCT FROM me.period_start"
        " AND s.background = 0 AND me.background = 0 AND s.document_id IS NULL AND me.document_id IS NULL",
    [P_POINT_ADD_DIFFERS] = "UPDATE series_points SET differs = differs + $2::bigint WHERE claim_id = $1::bigint",
    [P_CLAIMS_AFTER] =
        "SELECT c.id, c.document_id, c.place_id, c.claimant_id, c.scope, c.outcome,"
        " c.victims, c.first_day, c.last_day, d.reference_date, c.date_start,"
        " c.count_low, c.count_high, c.claimant, c.country, c.place_kind, c.sentence_key, c.figure_key,"
        " (c.claimant_start IS NOT NULL)::int, (c.review_status = 'rejected')::int, (c.date_span_start IS NOT NULL)::int"
        " FROM claims c JOIN documents d ON d.id = c.document_id"
        " WHERE c.id > $1::bigint ORDER BY c.id LIMIT $2::bigint",
    [P_COUNTRY_INSERT] =
        "INSERT INTO countries(iso2, name, iso3, iso_numeric, gw_code, acled_region, ucdp_region)"
        " VALUES($1::text, $2::text, $3::text, $4::bigint, $5::bigint, $6::text, $7::text)",
    [P_WEAPON_INSERT] =
        "INSERT INTO acled_weapons(weapon, disorder_type, event_type, sub_event_type)"
        " VALUES($1::text, $2::text, $3::text, $4::text) ON CONFLICT (weapon) DO UPDATE SET"
        " disorder_type = EXCLUDED.disorder_type, event_type = EXCLUDED.event_type,"
        " sub_event_type = EXCLUDED.sub_event_type",
};

/* ---------------------------------------------------------------- helpers */
int tly_pg_conninfo(const char *path, const char **conninfo) {
    if (!path) return 0;
    if (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11)) { *conninfo = path; return 1; }
    if (!strncmp(path, "postgresql:", 11)) { *conninfo = path + 11; return 1; }
    if (!strncmp(path, "postgres:", 9)) { *conninfo = path + 9; return 1; }
    return 0;
}

tally_status tly_pg_error(tly_store *s, const PGresult *r, tally_error *err, const char *what) {
    /* the primary message only (not libpq's "ERROR:" and LINE lines) */
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (r && (!m || !*m)) m = PQresultErrorMessage(r);
    if ((!m || !*m) && s && s->conn) m = PQerrorMessage(s->conn);
    if (!m || !*m) m = r ? "unexpected result" : "out of memory";
    tally_status st = !r && s && s->conn && PQstatus(s->conn) == CONNECTION_OK ? TALLY_ERR_NOMEM : TALLY_ERR_IO;
    if (err) {
        char msg[256];
        size_t n = strlen(m);
        while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--; /* libpq ends its messages with a newline */
        snprintf(msg, sizeof msg, "database: %s%s%.*s", what ? what : "", what ? ": " : "", (int)n, m);
        tly_set_error(err, st, msg);
    }
    return st;
}

static void p_reset(tly_pg_params *p) { p->n = 0; }

static void p_str(tly_pg_params *p, tally_str v) {
    int i = p->n++;
    p->v[i] = v.ptr ? (v.len ? v.ptr : "") : NULL;
    p->len[i] = (int)v.len;
    p->fmt[i] = 1; /* raw bytes: a text need not end in NUL */
}

static void p_cstr(tly_pg_params *p, const char *v) {
    int i = p->n++;
    p->v[i] = v;
    p->len[i] = 0;
    p->fmt[i] = 0;
}

/* a text, NULL when NULL or empty */
static void p_text(tly_pg_params *p, const char *v) { p_cstr(p, v && *v ? v : NULL); }

static void p_int(tly_pg_params *p, int64_t v) {
    int i = p->n++;
    snprintf(p->num[i], sizeof p->num[i], "%lld", (long long)v);
    p->v[i] = p->num[i];
    p->len[i] = 0;
    p->fmt[i] = 0;
}

/* an integer, NULL when it is none */
static void p_opt(tly_pg_params *p, int64_t v, int64_t none) {
    if (v == none) p_cstr(p, NULL);
    else p_int(p, v);
}

static void p_real(tly_pg_params *p, int has, double v) {
    int i = p->n++;
    if (!has) { p->v[i] = NULL; p->fmt[i] = 0; return; }
    snprintf(p->num[i], sizeof p->num[i], "%.17g", v);
    p->v[i] = p->num[i];
    p->len[i] = 0;
    p->fmt[i] = 0;
}

static void drop_last(tly_store *s) {
    if (s->last) PQclear(s->last);
    s->last = NULL;
}

static int64_t count_rows(const PGresult *r) {
    const char *t = PQcmdTuples((PGresult *)r);
    return t && *t ? strtoll(t, NULL, 10) : 0;
}

/* Runs the prepared statement (preparing it first on this connection);
 * the result is kept in s->last (its strings borrowed until the next
 * call). NULL on failure, err filled. */
static PGresult *run(tly_store *s, pst which, const tly_pg_params *p, tally_error *err, const char *what) {
    drop_last(s);
    char name[16];
    snprintf(name, sizeof name, "t%d", (int)which);
    if (!s->prepared[which]) {
        PGresult *r = PQprepare(s->conn, name, stmt_sql[which], 0, NULL);
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
            tly_pg_error(s, r, err, what);
            PQclear(r);
            return NULL;
        }
        PQclear(r);
        s->prepared[which] = 1;
    }
    s->statements++;
    PGresult *r = PQexecPrepared(s->conn, name, p ? p->n : 0, p ? p->v : NULL, p ? p->len : NULL,
                                 p ? p->fmt : NULL, 0);
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        tly_pg_error(s, r, err, what);
        PQclear(r);
        return NULL;
    }
    s->rows_changed += (uint64_t)count_rows(r);
    s->last = r;
    return r;
}

static const char *val(const PGresult *r, int row, int col) {
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static int64_t val_int(const PGresult *r, int row, int col, int64_t none) {
    return PQgetisnull(r, row, col) ? none : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static void val_day(const PGresult *r, int row, int col, char out[11]) {
    const char *v = val(r, row, col);
    snprintf(out, 11, "%s", v ? v : "");
}

/* Runs a statement of one id column: fn for each non-NULL id. */
static tally_status each_id(tly_store *s, pst which, const tly_pg_params *p, tly_id_fn fn, void *ctx,
                            tally_error *err) {
    PGresult *r = run(s, which, p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    int n = PQntuples(r);
    for (int i = 0; i < n; i++)
        if (!PQgetisnull(r, i, 0) && fn(ctx, val_int(r, i, 0, 0))) break;
    return TALLY_OK;
}

static tally_status run_ids(tly_store *s, pst which, int64_t a, int64_t b, int nparams, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, a);
    if (nparams > 1) p_int(&p, b);
    return run(s, which, &p, err, "linking") ? TALLY_OK : TALLY_ERR_IO;
}

/* A statement without parameters, not prepared (schema, transactions). */
static tally_status exec(tly_store *s, const char *sql, tally_error *err, const char *what) {
    drop_last(s);
    s->statements++;
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    tally_status st = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? TALLY_OK : tly_pg_error(s, r, err, what);
    PQclear(r);
    return st;
}

/* The writer's lock, once per transaction. */
static tally_status lock_writer(tly_store *s, tally_error *err) {
    if (s->locked || !s->in_tx) return TALLY_OK;
    char sql[80];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%lld)", (long long)TLY_PG_LOCK_WRITER);
    tally_status st = exec(s, sql, err, "waiting for the other writers");
    if (!st) s->locked = 1;
    return st;
}

/* ---------------------------------------------------------------- schema */
#define STR_(x) #x
#define STR(x) STR_(x)

/* The schema's version (0: none yet), -1 when the database has tables of
 * something else. */
static tally_status schema_version(tly_store *s, int64_t *version, tally_error *err) {
    drop_last(s);
    PGresult *r = PQexec(s->conn,
                         "SELECT to_regclass('meta') IS NOT NULL,"
                         " to_regclass('claims') IS NOT NULL OR to_regclass('documents') IS NOT NULL");
    int ok = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    int meta = ok && *PQgetvalue(r, 0, 0) == 't', tables = ok && *PQgetvalue(r, 0, 1) == 't';
    if (ok && meta) {
        PQclear(r);
        r = PQexec(s->conn, "SELECT value FROM meta WHERE key = 'schema_version'");
        ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
    }
    if (!ok) {
        tally_status st = tly_pg_error(s, r, err, "cannot read the schema");
        PQclear(r);
        return st;
    }
    *version = meta ? (PQntuples(r) && !PQgetisnull(r, 0, 0) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1)
                    : tables ? -1 : 0;
    PQclear(r);
    return TALLY_OK;
}

static tally_status check_version(int64_t version, int readonly, tally_error *err) {
    char msg[200];
    if (version > TALLY_LEDGER_SCHEMA_VERSION) {
        snprintf(msg, sizeof msg, "database schema version %lld is newer than this tally (%d)", (long long)version,
                 TALLY_LEDGER_SCHEMA_VERSION);
        tly_set_error(err, TALLY_ERR_DATA, msg);
        return TALLY_ERR_DATA;
    }
    if (version < 0) {
        tly_set_error(err, TALLY_ERR_DATA, "not a tally database (it has tables but no schema version)");
        return TALLY_ERR_DATA;
    }
    if (version == 0 && readonly) {
        tly_set_error(err, TALLY_ERR_DATA, "empty database opened read-only");
        return TALLY_ERR_DATA;
    }
    if (version && version < 3) { /* PostgreSQL ledgers started at 3 */
        snprintf(msg, sizeof msg, "database schema version %lld has no migration on PostgreSQL", (long long)version);
        tly_set_error(err, TALLY_ERR_DATA, msg);
        return TALLY_ERR_DATA;
    }
    if (version < TALLY_LEDGER_SCHEMA_VERSION && readonly) {
        snprintf(msg, sizeof msg, "database schema version %lld was made by an earlier tally: open it"
                                  " read-write once (tally relink) to migrate it to version %d",
                 (long long)version, TALLY_LEDGER_SCHEMA_VERSION);
        tly_set_error(err, TALLY_ERR_DATA, msg);
        return TALLY_ERR_DATA;
    }
    return TALLY_OK;
}

/* ---- what a read-write open keeps up to date: the views and the codes
 * As on SQLite: the views (tly_pg_views) and the codes tables (countries,
 * acled_weapons: codes.h) are made again when the SHA-256 of their
 * source, kept in meta ('views_sha256', 'countries_sha256'), is not this
 * tally's. */
static int meta_is(tly_store *s, const char *key, const char *value) {
    drop_last(s);
    const char *v[2] = {key, value};
    PGresult *r = PQexecParams(s->conn, "SELECT 1 FROM meta WHERE key = $1::text AND value = $2::text", 2, NULL, v,
                               NULL, NULL, 0);
    int same = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    return same;
}

static tally_status meta_set(tly_store *s, const char *key, const char *value, tally_error *err) {
    drop_last(s);
    const char *v[2] = {key, value};
    PGresult *r = PQexecParams(s->conn,
                               "INSERT INTO meta(key, value) VALUES($1::text, $2::text)"
                               " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                               2, NULL, v, NULL, NULL, 0);
    tally_status st = r && PQresultStatus(r) == PGRES_COMMAND_OK ? TALLY_OK : tly_pg_error(s, r, err, "cannot write meta");
    PQclear(r);
    return st;
}

typedef struct codes_fill { tly_store *s; tally_error *err; tally_status st; } codes_fill;

static int on_country_code(void *ctx, const tly_country_code *k) {
    codes_fill *c = ctx;
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, k->iso2);
    p_cstr(&p, k->name);
    p_cstr(&p, k->iso3);
    p_opt(&p, k->iso_numeric, -1);
    p_opt(&p, k->gw_code, -1);
    p_cstr(&p, k->acled_region);
    p_cstr(&p, k->ucdp_region);
    if (!run(c->s, P_COUNTRY_INSERT, &p, c->err, "cannot store the codebook codes")) c->st = TALLY_ERR_IO;
    return c->st != TALLY_OK;
}

static int on_weapon_code(void *ctx, const tly_weapon_code *w) {
    codes_fill *c = ctx;
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, w->weapon);
    p_cstr(&p, w->disorder_type);
    p_cstr(&p, w->event_type);
    p_cstr(&p, w->sub_event_type);
    if (!run(c->s, P_WEAPON_INSERT, &p, c->err, "cannot store the codebook codes")) c->st = TALLY_ERR_IO;
    return c->st != TALLY_OK;
}

/* The codes tables again from the data files, in the open transaction. */
static tally_status fill_codes(tly_store *s, const char *hash, tally_error *err) {
    tally_status st = exec(s, tly_pg_schema_acled_weapons, err, "cannot store the codebook codes");
    if (!st) st = exec(s, "DELETE FROM countries; DELETE FROM acled_weapons", err, "cannot store the codebook codes");
    if (st) return st;
    tly_arena a;
    tly_arena_init(&a, NULL);
    codes_fill c = {s, err, TALLY_OK};
    if (tly_codes_each(&a, on_country_code, on_weapon_code, &c) && !c.st) {
        tly_set_error(err, TALLY_ERR_NOMEM, NULL);
        c.st = TALLY_ERR_NOMEM;
    }
    tly_arena_free(&a);
    return c.st ? c.st : meta_set(s, "countries_sha256", hash, err);
}

/* The views and the codes, in the open transaction: each when its hash
 * is not this tally's, or both when force (a migration). */
static tally_status refresh_derived(tly_store *s, int force, tally_error *err) {
    char vh[65], ch[65];
    tly_sha256_hex(tly_pg_views, strlen(tly_pg_views), vh);
    tly_codes_hash(ch);
    tally_status st = TALLY_OK;
    if (force || !meta_is(s, "countries_sha256", ch)) st = fill_codes(s, ch, err);
    if (!st && (force || !meta_is(s, "views_sha256", vh))) {
        if (!(st = exec(s, tly_pg_drop_views, err, "cannot make the views")) &&
            !(st = exec(s, tly_pg_views, err, "cannot make the views")))
            st = meta_set(s, "views_sha256", vh, err);
    }
    return st;
}

static int derived_current(tly_store *s) {
    char vh[65], ch[65];
    tly_sha256_hex(tly_pg_views, strlen(tly_pg_views), vh);
    tly_codes_hash(ch);
    return meta_is(s, "views_sha256", vh) && meta_is(s, "countries_sha256", ch);
}

/* Creates, migrates or refreshes the schema, in one transaction under the
 * schema's advisory lock: several first writers at once make it once (the
 * version is read again under the lock). A new ledger is the tables of
 * version 3 and the migration 3 -> 4, as on SQLite. */
static tally_status ensure_schema(tly_store *s, tally_error *err) {
    int64_t version = 0;
    tally_status st = schema_version(s, &version, err);
    if (st || (st = check_version(version, s->readonly, err))) return st;
    if (s->readonly || (version == TALLY_LEDGER_SCHEMA_VERSION && derived_current(s))) return TALLY_OK;
    char lock[96];
    snprintf(lock, sizeof lock, "BEGIN; SELECT pg_advisory_xact_lock(%lld)", (long long)TLY_PG_LOCK_SCHEMA);
    if ((st = exec(s, lock, err, "cannot create the schema"))) return st;
    if ((st = schema_version(s, &version, err)) || (st = check_version(version, 0, err))) goto fail;
    if (version == 0 &&
        ((st = exec(s, tly_pg_schema, err, "cannot create the schema")) ||
         (st = exec(s,
                    "INSERT INTO meta(key, value) VALUES('schema_version', '3'),"
                    " ('created_by', 'tally " TALLY_VERSION_STRING "'), ('backend', 'postgresql')",
                    err, "cannot create the schema"))))
        goto fail;
    if (version < TALLY_LEDGER_SCHEMA_VERSION &&
        ((st = exec(s, tly_pg_drop_views, err, "cannot migrate the schema")) ||
         (st = exec(s, tly_pg_migrate_v3_v4, err, "cannot migrate the schema")) ||
         (st = meta_set(s, "schema_version", STR(TALLY_LEDGER_SCHEMA_VERSION), err))))
        goto fail;
    if ((st = refresh_derived(s, version < TALLY_LEDGER_SCHEMA_VERSION, err))) goto fail;
    return exec(s, "COMMIT", err, "cannot create the schema");
fail:
    exec(s, "ROLLBACK", NULL, NULL);
    return st;
}

/* ---------------------------------------------------------------- open, close */
static void pg_close(tly_store *s) {
    if (!s) return;
    drop_last(s);
    if (s->conn) PQfinish(s->conn); /* the server rolls back a transaction left open */
    free(s->prepared);
    free(s);
}

static void quiet_notice(void *arg, const char *message) { (void)arg; (void)message; }

static tally_status pg_open(const char *path, const tally_ledger_options *opt, tly_store **out, tally_error *err) {
    *out = NULL;
    const char *conninfo = NULL;
    if (!tly_pg_conninfo(path, &conninfo)) {
        tly_set_error(err, TALLY_ERR_USAGE, "not a PostgreSQL connection string");
        return TALLY_ERR_USAGE;
    }
    tly_store *s = calloc(1, sizeof *s);
    if (s) s->prepared = calloc(P_COUNT, 1);
    if (!s || !s->prepared) { free(s); tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    s->readonly = opt && (opt->flags & TALLY_LEDGER_READONLY);
    s->timeout_ms = opt ? opt->query_timeout_ms : 0;
    s->conn = PQconnectdb(conninfo);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        tly_pg_error(s, NULL, err, "cannot connect");
        if (err) err->code = TALLY_ERR_IO;
        pg_close(s);
        return TALLY_ERR_IO;
    }
    PQsetNoticeProcessor(s->conn, quiet_notice, NULL); /* the library never prints */
    char set[256];
    int n = snprintf(set, sizeof set,
                     "SET client_encoding = 'UTF8'; SET extra_float_digits = 1; SET application_name = 'tally';"
                     /* the queries join views of 9 tables and more: let the planner order
                      * all of them (a place's incidents then walk the indexes from it) */
                     " SET join_collapse_limit = 16; SET from_collapse_limit = 16");
    if (s->timeout_ms > 0 && n > 0 && (size_t)n < sizeof set)
        snprintf(set + n, sizeof set - (size_t)n, "; SET statement_timeout = %d", s->timeout_ms);
    tally_status st = exec(s, set, err, "cannot set up the connection");
    if (!st && s->readonly)
        st = exec(s, "SET default_transaction_read_only = on", err, "cannot set up the connection");
    if (!st) st = ensure_schema(s, err);
    if (st) { pg_close(s); return st; }
    *out = s;
    return TALLY_OK;
}

/* ---------------------------------------------------------------- transactions */
static tally_status pg_begin(tly_store *s, tally_error *err) {
    tally_status st = exec(s, "BEGIN", err, NULL);
    s->in_tx = !st;
    s->locked = 0;
    return st;
}

static tally_status pg_commit(tly_store *s, tally_error *err) {
    tally_status st = exec(s, "COMMIT", err, NULL);
    if (st) exec(s, "ROLLBACK", NULL, NULL);
    s->in_tx = s->locked = 0;
    return st;
}

static tally_status pg_rollback(tly_store *s) {
    if (!s->in_tx) return TALLY_OK;
    s->in_tx = s->locked = 0;
    return exec(s, "ROLLBACK", NULL, NULL);
}

static tally_status pg_savepoint(tly_store *s, tally_error *err) {
    tally_status st = lock_writer(s, err);
    return st ? st : exec(s, "SAVEPOINT tally_doc", err, NULL);
}

static tally_status pg_release(tly_store *s, tally_error *err) { return exec(s, "RELEASE tally_doc", err, NULL); }

static void pg_rollback_savepoint(tly_store *s) { exec(s, "ROLLBACK TO tally_doc; RELEASE tally_doc", NULL, NULL); }

static int pg_in_transaction(tly_store *s) {
    PGTransactionStatusType t = PQtransactionStatus(s->conn);
    if (t == PQTRANS_INERROR) { exec(s, "ROLLBACK", NULL, NULL); t = PQTRANS_IDLE; }
    if (t == PQTRANS_IDLE || t == PQTRANS_UNKNOWN) s->in_tx = s->locked = 0;
    return s->in_tx;
}

/* ---------------------------------------------------------------- documents */
static tally_status pg_doc_find(tly_store *s, const char *hash, int *found, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, hash);
    PGresult *r = run(s, P_DOC_FIND, &p, err, NULL);
    if (!r) return TALLY_ERR_IO;
    *found = PQntuples(r) > 0;
    return TALLY_OK;
}

static tally_status pg_doc_insert(tly_store *s, const tly_doc_rec *d, int64_t *id, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_str(&p, d->doc);
    p_cstr(&p, d->content_hash);
    p_str(&p, d->source);
    p_str(&p, d->title);
    p_str(&p, d->url);
    p_cstr(&p, d->published);
    p_cstr(&p, d->reference_date);
    p_cstr(&p, d->reference_basis);
    p_int(&p, (int64_t)d->text.len);
    p_str(&p, (tally_str){d->text.ptr ? d->text.ptr : "", d->text.len});
    p_cstr(&p, d->lang);
    PGresult *r = run(s, P_DOC_INSERT, &p, err, "cannot store the document");
    if (!r) return TALLY_ERR_IO;
    if (PQntuples(r) != 1) { /* only without the writer's lock */
        tly_set_error(err, TALLY_ERR_IO, "database: the document was stored by another writer meanwhile");
        return TALLY_ERR_IO;
    }
    *id = val_int(r, 0, 0, 0);
    return TALLY_OK;
}

static tally_status pg_doc_set_claims(tly_store *s, int64_t doc, int64_t n, tally_error *err) {
    return run_ids(s, P_DOC_NCLAIMS, doc, n, 2, err);
}

/* ---------------------------------------------------------------- places */
static tally_status find_one(tly_store *s, pst which, const tly_pg_params *p, int64_t *id, tally_error *err) {
    PGresult *r = run(s, which, p, err, NULL);
    if (!r) return TALLY_ERR_IO;
    *id = PQntuples(r) ? val_int(r, 0, 0, 0) : 0;
    return TALLY_OK;
}

static tally_status pg_place_get(tly_store *s, const tly_place_rec *pl, int64_t *id, tally_error *err) {
    tly_pg_params p;
    tally_status st;
    *id = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        p_reset(&p);
        if (pl->gazetteer_id) {
            p_int(&p, pl->gazetteer_id);
            p_cstr(&p, pl->kind);
            if ((st = find_one(s, P_PLACE_FIND, &p, id, err)) || *id) return st;
        } else {
            p_cstr(&p, pl->name);
            p_cstr(&p, pl->country);
            p_cstr(&p, pl->kind);
            if ((st = find_one(s, P_PLACE_FIND_NAME, &p, id, err)) || *id) return st;
        }
        p_reset(&p);
        p_int(&p, pl->gazetteer_id);
        p_cstr(&p, pl->kind);
        p_cstr(&p, pl->name);
        p_cstr(&p, pl->country);
        p_cstr(&p, pl->admin1);
        p_real(&p, pl->has_coords, pl->lat);
        p_real(&p, pl->has_coords, pl->lon);
        p_int(&p, pl->admin);
        if ((st = find_one(s, P_PLACE_INSERT, &p, id, err))) return st;
        if (!*id) continue; /* another writer stored it meanwhile: find it */
        p_reset(&p);
        p_int(&p, *id);
        p_cstr(&p, pl->admin1);
        p_cstr(&p, pl->country);
        p_cstr(&p, pl->name);
        p_int(&p, pl->admin);
        return run(s, P_PLACE_LINK, &p, err, NULL) ? TALLY_OK : TALLY_ERR_IO;
    }
    tly_set_error(err, TALLY_ERR_IO, "database: cannot store a place");
    return TALLY_ERR_IO;
}

/* ---------------------------------------------------------------- actors, claims */
static tally_status pg_actor_get(tly_store *s, const char *name, const char *alignment, const char *role,
                                 const char *side, int64_t *id, tally_error *err) {
    tly_pg_params p;
    tally_status st;
    for (int attempt = 0; attempt < 2; attempt++) {
        p_reset(&p);
        p_cstr(&p, name);
        p_cstr(&p, alignment);
        p_cstr(&p, role);
        p_cstr(&p, side);
        if ((st = find_one(s, P_ACTOR_GET, &p, id, err)) || *id) return st;
        if ((st = find_one(s, P_ACTOR_INSERT, &p, id, err)) || *id) return st;
    }
    tly_set_error(err, TALLY_ERR_IO, "database: cannot store an actor");
    return TALLY_ERR_IO;
}

static tally_status pg_alias_add(tly_store *s, int64_t actor, tally_str alias, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_str(&p, alias);
    p_int(&p, actor);
    return run(s, P_ALIAS_INSERT, &p, err, NULL) ? TALLY_OK : TALLY_ERR_IO;
}

static tally_status pg_claim_insert(tly_store *s, const tly_claim_rec *c, int64_t *id, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, c->document_id);
    p_int(&p, c->seq);
    p_str(&p, c->doc);
    p_int(&p, c->start);
    p_int(&p, c->end);
    p_str(&p, c->sentence);
    p_cstr(&p, c->outcome);
    p_opt(&p, c->count_low, TALLY_OPEN);
    p_opt(&p, c->count_high, TALLY_OPEN);
    p_cstr(&p, c->qualifier);
    p_cstr(&p, c->victims);
    p_cstr(&p, c->scope);
    p_cstr(&p, c->place);
    p_cstr(&p, c->country);
    p_real(&p, c->has_coords, c->lat);
    p_real(&p, c->has_coords, c->lon);
    p_str(&p, c->place_text);
    p_opt(&p, c->place_start, -1);
    p_opt(&p, c->place_end, -1);
    p_cstr(&p, c->date_start);
    p_cstr(&p, c->date_end);
    p_str(&p, c->date_text);
    p_opt(&p, c->date_span_start, -1);
    p_opt(&p, c->date_span_end, -1);
    p_cstr(&p, c->claimant);
    p_cstr(&p, c->claimant_alignment);
    p_str(&p, c->claimant_text);
    p_opt(&p, c->claimant_start, -1);
    p_opt(&p, c->claimant_end, -1);
    p_cstr(&p, c->perpetrator);
    p_cstr(&p, c->weapon);
    p_cstr(&p, c->weapon_name);
    p_str(&p, (tally_str){c->count_text.ptr ? c->count_text.ptr : "", c->count_text.len});
    p_int(&p, c->count_start);
    p_int(&p, c->count_end);
    p_cstr(&p, c->first_day);
    p_cstr(&p, c->last_day);
    p_opt(&p, c->place_id, 0);
    p_opt(&p, c->claimant_id, 0);
    p_opt(&p, c->perpetrator_id, 0);
    p_cstr(&p, c->place_kind);
    p_cstr(&p, c->claim_key);
    p_cstr(&p, c->sentence_key);
    p_cstr(&p, c->figure_key);
    p_cstr(&p, c->review_status);
    p_cstr(&p, c->victims_side);
    p_cstr(&p, c->date_basis);
    p_cstr(&p, c->place_precision);
    p_cstr(&p, c->reported_by);
    p_opt(&p, c->part_of - 1, -1); /* the total's seq */
    PGresult *r = run(s, P_CLAIM_INSERT, &p, err, "cannot store a claim");
    if (!r) return TALLY_ERR_IO;
    *id = val_int(r, 0, 0, 0);
    return TALLY_OK;
}

/* ---------------------------------------------------------------- incidents */
static tally_status pg_places_near(tly_store *s, int64_t place, tly_near_fn fn, void *ctx, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, place);
    PGresult *r = run(s, P_PLACE_NEAR, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, val_int(r, i, 0, 0), (tly_near)val_int(r, i, 1, 0), val(r, i, 2))) break;
    return TALLY_OK;
}

static tally_status pg_incidents_window(tly_store *s, int64_t place, const char *kind, const char *first,
                                        const char *last, tly_id_fn fn, void *ctx, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, place);
    p_cstr(&p, kind);
    p_cstr(&p, first);
    p_cstr(&p, last);
    return each_id(s, P_INC_BY_WINDOW, &p, fn, ctx, err);
}

static tally_status pg_incidents_of_doc(tly_store *s, int64_t doc, const char *kind, int64_t place, tly_id_fn fn,
                                        void *ctx, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, doc);
    p_cstr(&p, kind);
    p_int(&p, place);
    return each_id(s, P_INC_BY_DOC, &p, fn, ctx, err);
}

static tally_status pg_incident_insert(tly_store *s, const char *kind, int64_t place, int64_t *id, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, kind);
    p_int(&p, place);
    PGresult *r = run(s, P_INC_INSERT, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    *id = val_int(r, 0, 0, 0);
    return TALLY_OK;
}

static tally_status pg_incident_merge(tly_store *s, int64_t target, int64_t other, tally_error *err) {
    return run_ids(s, P_INC_MERGE, target, other, 2, err);
}

static tally_status pg_claim_set_incident(tly_store *s, int64_t claim, int64_t inc, tally_error *err) {
    return run_ids(s, P_CLAIM_SET_INC, inc, claim, 2, err);
}

static tally_status pg_incident_claims(tly_store *s, int64_t inc, tly_inc_claim_fn fn, void *ctx, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, inc);
    PGresult *r = run(s, P_INC_CLAIMS, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    /* the callback may run statements: the rows are kept until the last */
    s->last = NULL;
    for (int i = 0; i < PQntuples(r); i++) {
        tly_inc_claim c = {
            .id = val_int(r, i, 0, 0),
            .place_id = val_int(r, i, 1, 0),
            .place_admin = (int)val_int(r, i, 2, -1),
            .outcome = val(r, i, 3),
            .victims = val(r, i, 4),
            .count_low = val_int(r, i, 5, TALLY_OPEN),
            .count_high = val_int(r, i, 6, TALLY_OPEN),
            .first_day = val(r, i, 7),
            .last_day = val(r, i, 8),
            .reference_date = val(r, i, 9),
        };
        if (fn(ctx, &c)) break;
    }
    PQclear(r);
    return TALLY_OK;
}

static tally_status pg_incident_update(tly_store *s, int64_t inc, const tly_incident_rec *ir, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, inc);
    p_int(&p, ir->place_id);
    p_text(&p, ir->first_day);
    p_text(&p, ir->last_day);
    p_text(&p, ir->doc_first);
    p_text(&p, ir->doc_last);
    p_text(&p, ir->window_first);
    p_text(&p, ir->window_last);
    p_int(&p, ir->n_claims);
    return run(s, P_INC_UPDATE, &p, err, "linking") ? TALLY_OK : TALLY_ERR_IO;
}

static tally_status pg_bounds_set(tly_store *s, int64_t inc, const tly_bound_rec *b, size_t n, tally_error *err) {
    tally_status st = run_ids(s, P_BOUNDS_DELETE, inc, 0, 1, err);
    for (size_t i = 0; i < n && !st; i++) {
        tly_pg_params p;
        p_reset(&p);
        p_int(&p, inc);
        p_cstr(&p, b[i].outcome);
        p_cstr(&p, b[i].victims);
        p_int(&p, b[i].n_claims);
        if (b[i].low_claim) { p_int(&p, b[i].low); p_int(&p, b[i].low_claim); }
        else { p_cstr(&p, NULL); p_cstr(&p, NULL); }
        if (b[i].best_claim) { p_int(&p, b[i].best); p_int(&p, b[i].best_claim); }
        else { p_cstr(&p, NULL); p_cstr(&p, NULL); }
        if (b[i].high_claim) { p_int(&p, b[i].high); p_int(&p, b[i].high_claim); }
        else { p_cstr(&p, NULL); p_cstr(&p, NULL); }
        p_int(&p, b[i].high_open);
        if (!run(s, P_BOUNDS_INSERT, &p, err, "linking")) st = TALLY_ERR_IO;
    }
    return st;
}

/* ---------------------------------------------------------------- series */
static tally_status pg_series_each(tly_store *s, const tly_series_rec *sr, tly_series_fn fn, void *ctx,
                                   tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_opt(&p, sr->claimant_id, 0);
    p_cstr(&p, sr->outcome);
    p_cstr(&p, sr->victims);
    p_cstr(&p, sr->country);
    p_int(&p, sr->background);
    p_opt(&p, sr->document_id, 0);
    PGresult *r = run(s, P_SERIES_FIND, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    s->last = NULL; /* the callback may run statements */
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, val_int(r, i, 0, 0), val(r, i, 1), val(r, i, 2))) break;
    PQclear(r);
    return TALLY_OK;
}

static tally_status pg_series_insert(tly_store *s, const tly_series_rec *sr, int64_t *id, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_opt(&p, sr->claimant_id, 0);
    p_text(&p, sr->claimant);
    p_cstr(&p, sr->outcome);
    p_cstr(&p, sr->victims);
    p_cstr(&p, sr->country);
    p_cstr(&p, sr->period_start);
    p_int(&p, sr->background);
    p_opt(&p, sr->document_id, 0);
    p_cstr(&p, sr->frame);
    PGresult *r = run(s, P_SERIES_INSERT, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    *id = val_int(r, 0, 0, 0);
    return TALLY_OK;
}

static tally_status pg_series_set_period(tly_store *s, int64_t id, const char *period, const char *frame,
                                         tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, id);
    p_cstr(&p, period);
    p_cstr(&p, frame);
    return run(s, P_SERIES_PERIOD, &p, err, "linking") ? TALLY_OK : TALLY_ERR_IO;
}

static tally_status pg_claim_same(tly_store *s, const char *skey, const char *fkey, int64_t before, int64_t *id,
                                  tally_error *err) {
    *id = 0;
    if (!skey && !fkey) return TALLY_OK;
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, skey);
    p_cstr(&p, fkey);
    p_int(&p, before);
    return find_one(s, P_CLAIM_SAME, &p, id, err);
}

static tally_status pg_claim_set_same(tly_store *s, int64_t claim, int64_t same, tally_error *err) {
    return run_ids(s, P_CLAIM_SET_SAME, claim, same, 2, err);
}

static tally_status pg_incident_get(tly_store *s, int64_t inc, tly_incident_state *o, int *found, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, inc);
    PGresult *r = run(s, P_INC_GET, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    *found = PQntuples(r) > 0;
    memset(o, 0, sizeof *o);
    if (*found) {
        o->place_id = val_int(r, 0, 0, 0);
        o->place_admin = (int)val_int(r, 0, 1, -1);
        val_day(r, 0, 2, o->first_day);
        val_day(r, 0, 3, o->last_day);
        val_day(r, 0, 4, o->doc_first);
        val_day(r, 0, 5, o->doc_last);
        o->n_claims = val_int(r, 0, 6, 0);
    }
    return TALLY_OK;
}

/* ---------------------------------------------------------------- reviews */
static tally_status pg_review_add(tly_store *s, const tly_review_rec *rv, tally_error *err) {
    tally_status st = lock_writer(s, err);
    if (st) return st;
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, rv->claim_key);
    p_cstr(&p, rv->action);
    p_text(&p, rv->note);
    p_text(&p, rv->reviewer);
    int64_t id = 0;
    if ((st = find_one(s, P_REVIEW_INSERT, &p, &id, err))) return st;
    for (size_t i = 0; i < rv->nfields; i++) {
        p_reset(&p);
        p_int(&p, id);
        p_cstr(&p, rv->fields[i]);
        p_cstr(&p, rv->values[i]);
        p_cstr(&p, rv->originals ? rv->originals[i] : NULL);
        if (!run(s, P_REVIEW_FIELD, &p, err, "cannot store the review")) return TALLY_ERR_IO;
    }
    return TALLY_OK;
}

static tally_status pg_review_state(tly_store *s, const char *key, char status[16], tly_field_fn fn, void *ctx,
                                    tally_error *err) {
    status[0] = 0;
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, key);
    PGresult *r = run(s, P_REVIEW_STATE, &p, err, NULL);
    if (!r) return TALLY_ERR_IO;
    const char *action = val(r, 0, 0);
    if (!action) return TALLY_OK;
    int corrected = val_int(r, 0, 1, 0) > 0;
    snprintf(status, 16, "%s", !strcmp(action, "reject") ? "rejected" : corrected ? "corrected" : "confirmed");
    if (!(r = run(s, P_REVIEW_FIELDS, &p, err, NULL))) return TALLY_ERR_IO;
    for (int i = 0; i < PQntuples(r); i++)
        if (fn && fn(ctx, val(r, i, 0), val(r, i, 1))) break;
    return TALLY_OK;
}

static tally_status pg_claim_fields(tly_store *s, int64_t claim, char key[160], tly_field_fn fn, void *ctx,
                                    int *found, tally_error *err) {
    tally_status st = lock_writer(s, err); /* a review reads, then writes */
    if (st) return st;
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, claim);
    PGresult *r = run(s, P_CLAIM_FIELDS, &p, err, NULL);
    if (!r) return TALLY_ERR_IO;
    *found = PQntuples(r) > 0;
    key[0] = 0;
    if (*found) {
        snprintf(key, 160, "%s", val(r, 0, 0) ? val(r, 0, 0) : "");
        for (int i = 1; i < PQnfields(r); i++)
            if (fn(ctx, PQfname(r, i), val(r, 0, i))) break;
    }
    return TALLY_OK;
}

static tally_status pg_claim_unlink(tly_store *s, int64_t claim, int64_t *incident, int64_t *series, char as_of[11],
                                    int64_t *low, int64_t *high, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, claim);
    PGresult *r = run(s, P_CLAIM_UNLINK, &p, err, "linking");
    *incident = *series = 0;
    as_of[0] = 0;
    *low = *high = TALLY_OPEN;
    if (!r) return TALLY_ERR_IO;
    if (PQntuples(r)) {
        *incident = val_int(r, 0, 0, 0);
        *series = val_int(r, 0, 1, 0);
        val_day(r, 0, 2, as_of);
        *low = val_int(r, 0, 3, TALLY_OPEN);
        *high = val_int(r, 0, 4, TALLY_OPEN);
    }
    return TALLY_OK;
}

static tally_status pg_incident_delete(tly_store *s, int64_t inc, tally_error *err) {
    return run_ids(s, P_INC_DELETE, inc, 0, 1, err);
}

static tally_status pg_copies_of(tly_store *s, int64_t claim, tly_id_fn fn, void *ctx, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, claim);
    PGresult *r = run(s, P_COPIES_OF, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    s->last = NULL; /* the callback may run statements */
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, val_int(r, i, 0, 0))) break;
    PQclear(r);
    return TALLY_OK;
}

static tally_status pg_claim_apply(tly_store *s, int64_t claim, const char *status, size_t n,
                                   const char *const *fields, const char *const *values, tally_error *err) {
    char sql[1024];
    size_t len = (size_t)snprintf(sql, sizeof sql, "UPDATE claims SET review_status = $1::text");
    if (n + 2 > TLY_PG_MAXP) { tly_set_error(err, TALLY_ERR_LIMIT, "too many fields"); return TALLY_ERR_LIMIT; }
    for (size_t i = 0; i < n; i++) {
        if (!tly_store_reviewable(fields[i])) { tly_set_error(err, TALLY_ERR_USAGE, "not a reviewable field"); return TALLY_ERR_USAGE; }
        len += (size_t)snprintf(sql + len, sizeof sql - len, ", \"%s\" = $%zu", fields[i], i + 3);
        if (len >= sizeof sql) { tly_set_error(err, TALLY_ERR_LIMIT, "too many fields"); return TALLY_ERR_LIMIT; }
    }
    snprintf(sql + len, sizeof sql - len, " WHERE id = $2::bigint");
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, status);
    p_int(&p, claim);
    for (size_t i = 0; i < n; i++) p_cstr(&p, values[i]); /* typed by the column */
    drop_last(s);
    s->statements++;
    PGresult *r = PQexecParams(s->conn, sql, p.n, NULL, p.v, p.len, p.fmt, 0);
    tally_status st = r && PQresultStatus(r) == PGRES_COMMAND_OK ? TALLY_OK
                                                                 : tly_pg_error(s, r, err, "cannot apply the review");
    if (!st) s->rows_changed += (uint64_t)count_rows(r);
    PQclear(r);
    return st;
}

static tally_status pg_point_insert(tly_store *s, const tly_point_rec *pt, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, pt->claim_id);
    p_int(&p, pt->series_id);
    p_text(&p, pt->as_of);
    p_text(&p, pt->period_start);
    p_opt(&p, pt->value, TALLY_OPEN);
    p_opt(&p, pt->count_low, TALLY_OPEN);
    p_opt(&p, pt->count_high, TALLY_OPEN);
    return run(s, P_POINT_INSERT, &p, err, "linking") ? TALLY_OK : TALLY_ERR_IO;
}

static tally_status pg_point_neighbor(tly_store *s, int64_t series, const char *as_of, int64_t claim, tly_dir dir,
                                      int *found, int64_t *other, int64_t *value, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, series);
    p_cstr(&p, as_of);
    p_int(&p, claim);
    PGresult *r = run(s, dir == TLY_AFTER ? P_POINT_NEXT : P_POINT_PREV, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    *found = PQntuples(r) > 0 && !PQgetisnull(r, 0, 1);
    *other = *found ? val_int(r, 0, 0, 0) : 0;
    *value = *found ? val_int(r, 0, 1, 0) : 0;
    return TALLY_OK;
}

static tally_status pg_point_set_down(tly_store *s, int64_t claim, int down, tally_error *err) {
    return run_ids(s, P_POINT_SET_DOWN, claim, down, 2, err);
}

static tally_status pg_point_add_differs(tly_store *s, int64_t claim, int64_t n, tally_error *err) {
    return run_ids(s, P_POINT_ADD_DIFFERS, claim, n, 2, err);
}

static tally_status pg_points_same_day(tly_store *s, const char *as_of, const char *outcome, const char *victims,
                                       int64_t except, tly_point_fn fn, void *ctx, tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_cstr(&p, as_of);
    p_cstr(&p, outcome);
    p_cstr(&p, victims);
    p_int(&p, except);
    PGresult *r = run(s, P_POINT_SAME_DAY, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    s->last = NULL; /* the callback may run statements */
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, val_int(r, i, 0, 0), val_int(r, i, 1, TALLY_OPEN), val_int(r, i, 2, TALLY_OPEN))) break;
    PQclear(r);
    return TALLY_OK;
}

/* ---------------------------------------------------------------- relink */
static tally_status pg_links_clear(tly_store *s, tally_error *err) {
    tally_status st = lock_writer(s, err);
    if (st) return st;
    return exec(s,
                "DELETE FROM series_points; DELETE FROM series; DELETE FROM incident_bounds;"
                " UPDATE claims SET incident_id = NULL WHERE incident_id IS NOT NULL;"
                " DELETE FROM incidents; UPDATE claims SET same_as = NULL WHERE same_as IS NOT NULL;",
                err, "linking");
}

static tally_status pg_claims_after(tly_store *s, int64_t after, size_t max, tly_stored_claim_fn fn, void *ctx,
                                    tally_error *err) {
    tly_pg_params p;
    p_reset(&p);
    p_int(&p, after);
    p_int(&p, (int64_t)max);
    PGresult *r = run(s, P_CLAIMS_AFTER, &p, err, "linking");
    if (!r) return TALLY_ERR_IO;
    s->last = NULL; /* the callback may run statements */
    for (int i = 0; i < PQntuples(r); i++) {
        tly_stored_claim c = {
            .c = {
                .id = val_int(r, i, 0, 0),
                .document_id = val_int(r, i, 1, 0),
                .place_id = val_int(r, i, 2, 0),
                .claimant_id = val_int(r, i, 3, 0),
                .scope = val(r, i, 4),
                .outcome = val(r, i, 5),
                .victims = val(r, i, 6),
                .first_day = val(r, i, 7),
                .last_day = val(r, i, 8),
                .count_low = val_int(r, i, 11, TALLY_OPEN),
                .count_high = val_int(r, i, 12, TALLY_OPEN),
                .claimant = val(r, i, 13),
                .country = val(r, i, 14),
                .place_kind = val(r, i, 15),
                .sentence_key = val(r, i, 16),
                .figure_key = val(r, i, 17),
                .has_speaker = (int)val_int(r, i, 18, 0),
                .rejected = (int)val_int(r, i, 19, 0),
                .has_date_text = (int)val_int(r, i, 20, 0),
            },
            .reference_date = val(r, i, 9),
            .date_start_raw = val(r, i, 10),
        };
        if (fn(ctx, &c)) break;
    }
    PQclear(r);
    return TALLY_OK;
}

/* ---------------------------------------------------------------- stats */
static tally_status pg_stats(tly_store *s, tally_ledger_stats *out, tally_error *err) {
    drop_last(s);
    PGresult *r = PQexec(s->conn,
                         "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims),"
                         " (SELECT count(*) FROM incidents), (SELECT count(*) FROM series),"
                         " (SELECT count(*) FROM actors), (SELECT count(*) FROM places)");
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        tally_status st = tly_pg_error(s, r, err, NULL);
        PQclear(r);
        return st;
    }
    uint64_t *f[] = {&out->documents, &out->claims, &out->incidents, &out->series, &out->actors, &out->places};
    for (int i = 0; i < 6; i++) *f[i] = (uint64_t)val_int(r, 0, i, 0);
    PQclear(r);
    out->statements = s->statements;
    out->rows_changed = s->rows_changed;
    return TALLY_OK;
}

const tly_store_ops tly_pg_ops = {
    .version = TLY_STORE_OPS_VERSION,
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .release = pg_release,
    .rollback_savepoint = pg_rollback_savepoint,
    .in_transaction = pg_in_transaction,
    .doc_find = pg_doc_find,
    .doc_insert = pg_doc_insert,
    .doc_set_claims = pg_doc_set_claims,
    .place_get = pg_place_get,
    .actor_get = pg_actor_get,
    .alias_add = pg_alias_add,
    .claim_insert = pg_claim_insert,
    .places_near = pg_places_near,
    .incidents_window = pg_incidents_window,
    .incidents_of_doc = pg_incidents_of_doc,
    .incident_insert = pg_incident_insert,
    .incident_merge = pg_incident_merge,
    .claim_set_incident = pg_claim_set_incident,
    .incident_claims = pg_incident_claims,
    .incident_update = pg_incident_update,
    .bounds_set = pg_bounds_set,
    .point_insert = pg_point_insert,
    .point_neighbor = pg_point_neighbor,
    .point_set_down = pg_point_set_down,
    .point_add_differs = pg_point_add_differs,
    .points_same_day = pg_points_same_day,
    .links_clear = pg_links_clear,
    .claims_after = pg_claims_after,
    .query = tly_pg_query,
    .report = tly_pg_report,
    .stats = pg_stats,
    .claim_same = pg_claim_same,
    .claim_set_same = pg_claim_set_same,
    .incident_get = pg_incident_get,
    .series_each = pg_series_each,
    .series_insert = pg_series_insert,
    .series_set_period = pg_series_set_period,
    .review_add = pg_review_add,
    .review_state = pg_review_state,
    .claim_fields = pg_claim_fields,
    .claim_apply = pg_claim_apply,
    .claim_unlink = pg_claim_unlink,
    .incident_delete = pg_incident_delete,
    .copies_of = pg_copies_of,
    .query_columns = tly_pg_columns,
    .view = tly_pg_view,
};
