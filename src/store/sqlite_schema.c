/* sqlite_schema.c -- the ledger's SQLite schema: the tables of version 2,
 * the migrations 1 -> 2 -> 3 -> 4 (a new database is made by running the
 * version-2 tables and every migration after it), the views and the
 * indexes. docs/schema.md documents every table, column, index and view;
 * keep the two in step. */
#include "store/sqlite.h"
#include "store/codebooks.h"

/* SQLite's words for the views both backends make (views.h) */
#define TLY_SQL_LIST(expr, sep, order) "group_concat(" expr ", " sep ")"
#define TLY_SQL_SAME(a, b) a " IS " b
#define TLY_SQL_FALSE(x) "NOT " x
#include "store/views.h"

/* The places of version 2: keyed by the gazetteer's id and the place's
 * kind (version 1 keyed them by "Name (CC)"), with the first-level division
 * the hierarchy is taken from. */
#define PLACES_V2                                                                             \
    "CREATE TABLE places(\n"                                                                  \
    "  id INTEGER PRIMARY KEY,\n"                                                             \
    "  gazetteer_id INTEGER NOT NULL,\n" /* GeoNames id; 0: named by the text only */        \
    "  kind TEXT,\n"                     /* town district region country area; NULL: from v1 */ \
    "  name TEXT NOT NULL,\n"                                                                 \
    "  country TEXT,\n"                                                                       \
    "  admin1 TEXT,\n"                   /* its first-level division, or NULL */              \
    "  lat REAL,\n"                                                                           \
    "  lon REAL,\n"                                                                           \
    "  admin INTEGER NOT NULL DEFAULT 0,\n" /* 1: a district or region */                     \
    "  parent_id INTEGER REFERENCES places(id)\n"                                             \
    ");\n"                                                                                    \
    "CREATE UNIQUE INDEX places_key ON places(gazetteer_id, kind) WHERE gazetteer_id <> 0;\n"  \
    "CREATE INDEX places_name ON places(name COLLATE NOCASE);\n"                              \
    "CREATE INDEX places_parent ON places(parent_id);\n"                                      \
    "CREATE INDEX places_admin1 ON places(admin1, country);\n"

/* Every view of tly_schema_views (a migration drops them before it
 * changes a table, then makes them again; an open that finds them older
 * than this tally's makes them again too). A view a user added is kept. */
#define DROP_VIEWS                                                                                     \
    "DROP VIEW IF EXISTS claims_v; DROP VIEW IF EXISTS incident_claims_v;"                             \
    " DROP VIEW IF EXISTS incident_bounds_v; DROP VIEW IF EXISTS incident_overlaps;"                   \
    " DROP VIEW IF EXISTS series_disagreements; DROP VIEW IF EXISTS timeline_v;"                       \
    " DROP VIEW IF EXISTS sources_v; DROP VIEW IF EXISTS export_acled; DROP VIEW IF EXISTS export_ucdp;"    \
    " DROP VIEW IF EXISTS event_totals; DROP VIEW IF EXISTS event_deaths;\n"
const char tly_schema_drop_views[] = DROP_VIEWS;

const char tly_schema_v2[] =
    "CREATE TABLE meta(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT\n"
    ") WITHOUT ROWID;\n"

    "CREATE TABLE documents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  doc TEXT NOT NULL,\n"                 /* the document id: JSONL id or file name */
    "  content_hash TEXT NOT NULL UNIQUE,\n" /* SHA-256 of the text, hex */
    "  source TEXT,\n"
    "  title TEXT,\n"
    "  url TEXT,\n"
    "  published TEXT,\n"
    "  reference_date TEXT,\n"
    "  reference_basis TEXT,\n"
    "  ingested_at TEXT NOT NULL,\n"
    "  bytes INTEGER NOT NULL,\n"
    "  n_claims INTEGER NOT NULL DEFAULT 0,\n"
    "  text TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX documents_doc ON documents(doc);\n"
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents',\n"
    "  content_rowid='id', tokenize='unicode61 remove_diacritics 2');\n"

    "CREATE TABLE actors(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  alignment TEXT,\n" /* party:AZ, party:ng:XX, aligned:AZ, third */
    "  role TEXT,\n"      /* party, aligned, third */
    "  side TEXT\n"       /* AZ, ng:XX */
    ");\n"
    "CREATE TABLE actor_aliases(\n"
    "  alias TEXT NOT NULL,\n"
    "  actor_id INTEGER NOT NULL REFERENCES actors(id),\n"
    "  PRIMARY KEY(alias, actor_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX actor_aliases_actor ON actor_aliases(actor_id);\n"

    PLACES_V2

    "CREATE TABLE incidents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,\n" /* incident | aggregate */
    "  place_id INTEGER NOT NULL REFERENCES places(id),\n"
    "  first_day TEXT,\n"
    "  last_day TEXT,\n"
    "  doc_first TEXT,\n"
    "  doc_last TEXT,\n"
    "  window_first TEXT,\n"
    "  window_last TEXT,\n"
    "  n_claims INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX incidents_match ON incidents(place_id, kind, window_last);\n"
    "CREATE INDEX incidents_day ON incidents(first_day);\n"

    "CREATE TABLE claims(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  doc TEXT NOT NULL,\n"
    "  start INTEGER NOT NULL,\n"
    "  \"end\" INTEGER NOT NULL,\n"
    "  sentence TEXT NOT NULL,\n"
    "  outcome TEXT NOT NULL,\n"
    "  count_low INTEGER,\n"
    "  count_high INTEGER,\n"
    "  qualifier TEXT,\n"
    "  victims TEXT NOT NULL,\n"
    "  scope TEXT NOT NULL,\n"
    "  place TEXT,\n"
    "  country TEXT,\n"
    "  lat REAL,\n"
    "  lon REAL,\n"
    "  place_text TEXT,\n"
    "  place_start INTEGER,\n"
    "  place_end INTEGER,\n"
    "  date_start TEXT,\n"
    "  date_end TEXT,\n"
    "  date_text TEXT,\n"
    "  date_span_start INTEGER,\n"
    "  date_span_end INTEGER,\n"
    "  claimant TEXT,\n"
    "  claimant_alignment TEXT,\n"
    "  claimant_text TEXT,\n"
    "  claimant_start INTEGER,\n"
    "  claimant_end INTEGER,\n"
    "  perpetrator TEXT,\n"
    "  weapon TEXT,\n"
    "  weapon_name TEXT,\n"
    "  count_text TEXT NOT NULL,\n"
    "  count_start INTEGER NOT NULL,\n"
    "  count_end INTEGER NOT NULL,\n"
    "  first_day TEXT,\n" /* derived: the first and last calendar day of the claim's dates */
    "  last_day TEXT,\n"
    "  place_id INTEGER REFERENCES places(id),\n"
    "  claimant_id INTEGER REFERENCES actors(id),\n"
    "  perpetrator_id INTEGER REFERENCES actors(id),\n"
    "  incident_id INTEGER REFERENCES incidents(id),\n"
    "  UNIQUE(document_id, seq)\n"
    ");\n"
    "CREATE INDEX claims_incident ON claims(incident_id);\n"
    "CREATE INDEX claims_claimant ON claims(claimant_id);\n"
    "CREATE INDEX claims_place ON claims(place_id);\n"
    "CREATE INDEX claims_day ON claims(first_day);\n"

    "CREATE TABLE incident_bounds(\n"
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id),\n"
    "  outcome TEXT NOT NULL,\n"
    "  victims TEXT NOT NULL,\n"
    "  n_claims INTEGER NOT NULL,\n"
    "  low INTEGER,\n"
    "  low_claim_id INTEGER REFERENCES claims(id),\n"
    "  best INTEGER,\n"
    "  best_claim_id INTEGER REFERENCES claims(id),\n"
    "  high INTEGER,\n"
    "  high_claim_id INTEGER REFERENCES claims(id),\n"
    "  high_open INTEGER NOT NULL DEFAULT 0,\n"
    "  PRIMARY KEY(incident_id, outcome, victims)\n"
    ") WITHOUT ROWID;\n"

    "CREATE TABLE series(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  claimant_id INTEGER REFERENCES actors(id),\n"
    "  claimant TEXT,\n"
    "  outcome TEXT NOT NULL,\n"
    "  victims TEXT NOT NULL,\n"
    "  n_points INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX series_key ON series(claimant_id, outcome, victims);\n"
    "CREATE TABLE series_points(\n"
    "  claim_id INTEGER PRIMARY KEY REFERENCES claims(id),\n"
    "  series_id INTEGER NOT NULL REFERENCES series(id),\n"
    "  as_of TEXT,\n"
    "  period_start TEXT,\n"
    "  value INTEGER,\n"
    "  count_low INTEGER,\n"
    "  count_high INTEGER,\n"
    "  down INTEGER NOT NULL DEFAULT 0,\n"
    "  differs INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX series_points_order ON series_points(series_id, as_of, claim_id);\n"
    "CREATE INDEX series_points_day ON series_points(as_of);\n"

    ;

/* The views, made with the tables and again by a migration (which drops
 * them first). */
const char tly_schema_views[] =
    TLY_VIEWS_COMMON

    /* The deaths of an event by victims, for the codebook exports (codebooks.h) */
    TLY_VIEW_EVENT_DEATHS

    /* An event's deaths: civilians and military are apart, "people" may be
     * either: the larger of people and civilians + military, for each bound. */
    "CREATE VIEW event_totals AS\n"
    "SELECT incident_id,\n"
    "  max(coalesce(max(CASE WHEN victims = 'people' THEN low END), 0),\n"
    "    coalesce(max(CASE WHEN victims = 'civilians' THEN low END), 0) + coalesce(max(CASE WHEN victims = 'military' THEN low END), 0)) AS low,\n"
    "  max(coalesce(max(CASE WHEN victims = 'people' THEN best END), 0),\n"
    "    coalesce(max(CASE WHEN victims = 'civilians' THEN best END), 0) + coalesce(max(CASE WHEN victims = 'military' THEN best END), 0)) AS best,\n"
    "  max(coalesce(max(CASE WHEN victims = 'people' THEN high END), 0),\n"
    "    coalesce(max(CASE WHEN victims = 'civilians' THEN high END), 0) + coalesce(max(CASE WHEN victims = 'military' THEN high END), 0)) AS high,\n"
    "  coalesce(max(CASE WHEN victims = 'civilians' THEN best END), 0) AS civilians_best,\n"
    "  sum(n_claims) AS n_claims\n"
    "FROM event_deaths GROUP BY incident_id;\n"

    /* ACLED's codebook, every column in its order: one row an event (an
     * incident, whatever its outcomes); what a coder must decide (inter
     * codes, associated actors, source scale, tags, an event type the
     * weapon does not tell) is NULL; docs/schema.md says how each column
     * is filled. */
    "CREATE VIEW export_acled AS\n"
    "SELECT coalesce(k.iso3, 'XXX') || i.id AS event_id_cnty,\n"
    "  coalesce(i.first_day, i.doc_first) AS event_date,\n"
    "  CAST(substr(coalesce(i.first_day, i.doc_first), 1, 4) AS INTEGER) AS year,\n"
    "  CASE WHEN i.first_day IS NULL THEN 3 WHEN i.first_day = i.last_day THEN 1\n"
    "    WHEN julianday(i.last_day) - julianday(i.first_day) <= 6 THEN 2 ELSE 3 END AS time_precision,\n"
    "  w.disorder_type, w.event_type, w.sub_event_type,\n"
    "  (SELECT c.perpetrator FROM claims c WHERE c.incident_id = i.id AND c.perpetrator IS NOT NULL\n"
    "   GROUP BY c.perpetrator ORDER BY count(*) DESC, min(c.id) LIMIT 1) AS actor1,\n"
    "  NULL AS assoc_actor_1, NULL AS inter1,\n"
    TLY_ACLED_ACTOR2
    "  NULL AS assoc_actor_2, NULL AS inter2, NULL AS interaction,\n"
    "  CASE WHEN EXISTS (SELECT 1 FROM event_deaths e WHERE e.incident_id = i.id AND e.victims = 'civilians')\n"
    "    THEN 'Civilian targeting' END AS civilian_targeting,\n"
    "  k.iso_numeric AS iso, k.acled_region AS region, coalesce(k.name, p.country) AS country,\n"
    "  CASE p.kind WHEN 'region' THEN p.name WHEN 'country' THEN NULL ELSE p.admin1 END AS admin1,\n"
    "  CASE p.kind WHEN 'district' THEN p.name END AS admin2, NULL AS admin3,\n"
    "  p.name AS location,\n"
    "  CASE WHEN p.kind IN ('country', 'area') THEN NULL ELSE round(p.lat, 5) END AS latitude,\n"
    "  CASE WHEN p.kind IN ('country', 'area') THEN NULL ELSE round(p.lon, 5) END AS longitude,\n"
    "  CASE WHEN p.kind = 'town' OR (p.kind IS NULL AND NOT p.admin) THEN 1\n"
    "    WHEN p.kind = 'district' OR (p.kind IS NULL AND p.admin) THEN 2 ELSE 3 END AS geo_precision,\n"
    "  (SELECT group_concat(s, '; ') FROM (SELECT DISTINCT coalesce(d.source, d.doc) AS s FROM claims c\n"
    "     JOIN documents d ON d.id = c.document_id WHERE c.incident_id = i.id ORDER BY c.id)) AS source,\n"
    "  NULL AS source_scale,\n"
    "  i.kind || ' ' || coalesce(i.first_day, '?') || '..' || coalesce(i.last_day, '?') || '. ' ||\n"
    "    coalesce((SELECT group_concat(s, '; ') FROM (SELECT b.outcome || ' ' || b.victims || ': low ' || coalesce(b.low, '?') ||\n"
    "      ' (' || coalesce(lc.claimant, 'unattributed') || '), high ' || coalesce(b.high, '?') ||\n"
    "      CASE WHEN b.high_open THEN '+' ELSE '' END || ' (' || coalesce(hc.claimant, 'unattributed') || ')' AS s\n"
    "      FROM incident_bounds b LEFT JOIN claims lc ON lc.id = b.low_claim_id LEFT JOIN claims hc ON hc.id = b.high_claim_id\n"
    "      WHERE b.incident_id = i.id ORDER BY b.outcome, b.victims)), '') ||\n"
    "    coalesce('. ' || (SELECT c.sentence FROM claims c WHERE c.incident_id = i.id ORDER BY c.outcome <> 'killed', c.id LIMIT 1), '')\n"
    "    AS notes,\n"
    "  coalesce(t.low, 0) AS fatalities,\n"
    "  NULL AS tags,\n"
    "  (SELECT CAST(strftime('%s', max(d.ingested_at)) AS INTEGER) FROM claims c JOIN documents d ON d.id = c.document_id\n"
    "   WHERE c.incident_id = i.id) AS timestamp,\n"
    TLY_ACLED_FROM

    /* UCDP GED's columns in its order: one row an event with a death
     * (an incident with killed claims); conflicts, dyads and sides are
     * UCDP's coding, NULL here (docs/schema.md). */
    "CREATE VIEW export_ucdp AS\n"
    "SELECT i.id AS id, NULL AS relid,\n"
    "  CAST(substr(coalesce(i.first_day, i.window_first), 1, 4) AS INTEGER) AS year,\n"
    "  NULL AS active_year, NULL AS code_status, NULL AS type_of_violence,\n"
    "  NULL AS conflict_dset_id, NULL AS conflict_new_id, NULL AS conflict_name,\n"
    "  NULL AS dyad_dset_id, NULL AS dyad_new_id, NULL AS dyad_name,\n"
    "  NULL AS side_a_dset_id, NULL AS side_a_new_id, NULL AS side_a,\n"
    "  NULL AS side_b_dset_id, NULL AS side_b_new_id, NULL AS side_b,\n"
    "  (SELECT count(DISTINCT c.document_id) FROM claims c WHERE c.incident_id = i.id AND c.outcome = 'killed') AS number_of_sources,\n"
    "  (SELECT group_concat(s, '; ') FROM (SELECT DISTINCT coalesce(d.source, '') || ',' || coalesce(d.published, '') || ','\n"
    "     || coalesce(d.title, d.doc) || coalesce(',' || d.url, '') AS s FROM claims c JOIN documents d ON d.id = c.document_id\n"
    "     WHERE c.incident_id = i.id AND c.outcome = 'killed' ORDER BY c.id)) AS source_article,\n"
    "  (SELECT group_concat(s, '; ') FROM (SELECT DISTINCT d.source AS s FROM claims c JOIN documents d ON d.id = c.document_id\n"
    "     WHERE c.incident_id = i.id AND c.outcome = 'killed' ORDER BY c.id)) AS source_office,\n"
    "  (SELECT group_concat(s, '; ') FROM (SELECT DISTINCT d.published AS s FROM claims c JOIN documents d ON d.id = c.document_id\n"
    "     WHERE c.incident_id = i.id AND c.outcome = 'killed' ORDER BY c.id)) AS source_date,\n"
    "  (SELECT group_concat(s, '; ') FROM (SELECT DISTINCT coalesce(d.title, d.doc) AS s FROM claims c\n"
    "     JOIN documents d ON d.id = c.document_id WHERE c.incident_id = i.id AND c.outcome = 'killed' ORDER BY c.id)) AS source_headline,\n"
    "  (SELECT group_concat(s, '; ') FROM (SELECT DISTINCT coalesce(c.claimant, 'unattributed') AS s\n"
    "     FROM claims c WHERE c.incident_id = i.id AND c.outcome = 'killed' ORDER BY c.id)) AS source_original,\n"
    "  CASE WHEN p.kind = 'town' OR (p.kind IS NULL AND NOT p.admin) THEN 1\n"
    "    WHEN p.kind = 'district' OR (p.kind IS NULL AND p.admin) THEN 3 WHEN p.kind = 'region' THEN 4\n"
    "    WHEN p.kind = 'area' THEN 5 ELSE 6 END AS where_prec,\n"
    "  p.name AS where_coordinates,\n"
    "  (SELECT group_concat(s, '; ') FROM (SELECT DISTINCT c.place_text AS s FROM claims c\n"
    "     WHERE c.incident_id = i.id AND c.outcome = 'killed' AND c.place_text IS NOT NULL ORDER BY c.id)) AS where_description,\n"
    "  CASE p.kind WHEN 'region' THEN p.name WHEN 'country' THEN NULL ELSE p.admin1 END AS adm_1,\n"
    "  CASE p.kind WHEN 'district' THEN p.name END AS adm_2,\n"
    "  CASE WHEN p.kind IN ('country', 'area') THEN NULL ELSE round(p.lat, 5) END AS latitude,\n"
    "  CASE WHEN p.kind IN ('country', 'area') THEN NULL ELSE round(p.lon, 5) END AS longitude,\n"
    "  CASE WHEN p.kind IN ('country', 'area') OR p.lat IS NULL THEN NULL\n"
    "    ELSE 'POINT (' || round(p.lon, 5) || ' ' || round(p.lat, 5) || ')' END AS geom_wkt,\n"
    /* PRIO-GRID: 0.5 degree cells numbered from (-90, -180), 720 a row */
    "  CASE WHEN p.kind IN ('country', 'area') OR p.lat IS NULL THEN NULL\n"
    "    ELSE CAST((p.lat + 90) * 2 AS INTEGER) * 720 + CAST((p.lon + 180) * 2 AS INTEGER) + 1 END AS priogrid_gid,\n"
    "  coalesce(k.name, p.country) AS country, k.gw_code AS country_id, k.ucdp_region AS region,\n"
    "  CASE i.kind WHEN 'incident' THEN 1 ELSE 2 END AS event_clarity,\n"
    "  CASE WHEN julianday(coalesce(i.last_day, i.window_last)) - julianday(coalesce(i.first_day, i.window_first)) < 1 THEN 1\n"
    "    WHEN julianday(coalesce(i.last_day, i.window_last)) - julianday(coalesce(i.first_day, i.window_first)) <= 5 THEN 2\n"
    "    WHEN julianday(coalesce(i.last_day, i.window_last)) - julianday(coalesce(i.first_day, i.window_first)) <= 7 THEN 3\n"
    "    WHEN julianday(coalesce(i.last_day, i.window_last)) - julianday(coalesce(i.first_day, i.window_first)) <= 31 THEN 4\n"
    "    ELSE 5 END AS date_prec,\n"
    "  coalesce(i.first_day, i.window_first) AS date_start, coalesce(i.last_day, i.window_last) AS date_end,\n"
    "  NULL AS deaths_a, NULL AS deaths_b, t.civilians_best AS deaths_civilians,\n"
    "  t.best - t.civilians_best AS deaths_unknown, t.best, t.high, t.low,\n"
    "  NULL AS gwnoa, NULL AS gwnob,\n"
    "  i.kind, coalesce(i.first_day, i.window_first) AS span_first, coalesce(i.last_day, i.window_last) AS span_last,\n"
    "  i.place_id\n"
    "FROM incidents i JOIN places p ON p.id = i.place_id LEFT JOIN countries k ON k.iso2 = p.country\n"
    "JOIN event_totals t ON t.incident_id = i.id;\n";

/* Version 1 -> 2: the places table is rebuilt with the gazetteer's key. A
 * place of version 1 has no gazetteer id (0) and no kind (NULL) until a
 * claim names it again: then the store finds it by its name and country
 * and gives it the claim's id, kind and division (sqlite.c, place_get). */
const char tly_migrate_v1_v2[] =
    DROP_VIEWS
    "CREATE TEMP TABLE places_v1 AS SELECT * FROM places;\n"
    "DROP TABLE places;\n" /* with its indexes; the references to it stay */
    PLACES_V2
    "INSERT INTO places(id, gazetteer_id, kind, name, country, admin1, lat, lon, admin, parent_id)\n"
    "  SELECT id, 0, NULL, name, country, NULL, lat, lon, admin, parent_id FROM places_v1;\n"
    "DROP TABLE temp.places_v1;\n";

/* Version 2 -> 3 (issue 13): claims carry their place's kind, a stable
 * key (reviews are keyed by it), the keys that find the same claim in
 * other documents, the first claim they copy and their review status;
 * series are framed (country, period start, background, document); the
 * reviews' log. The keys of claims already stored are computed here
 * (tally_sha256 is the backend's SQL function over tly_sha256_hex). */
#define SENTENCE_KEY(c)                                                                                  \
    "substr(tally_sha256(" c ".outcome || char(31) || " c ".victims || char(31) || coalesce(" c ".count_low, '') ||" \
    " char(31) || coalesce(" c ".count_high, '') || char(31) || coalesce(" c ".place, '') || char(31) || " c ".sentence), 1, 32)"
const char tly_migrate_v2_v3[] =
    DROP_VIEWS
    "ALTER TABLE claims ADD COLUMN place_kind TEXT;\n"
    "ALTER TABLE claims ADD COLUMN claim_key TEXT;\n"
    "ALTER TABLE claims ADD COLUMN sentence_key TEXT;\n"
    "ALTER TABLE claims ADD COLUMN figure_key TEXT;\n"
    "ALTER TABLE claims ADD COLUMN same_as INTEGER REFERENCES claims(id);\n"
    "ALTER TABLE claims ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed';\n"
    "UPDATE claims SET place_kind = (SELECT p.kind FROM places p WHERE p.id = claims.place_id),\n"
    "  claim_key = (SELECT d.content_hash FROM documents d WHERE d.id = claims.document_id) || ':' || start ||\n"
    "    ':' || count_start || ':' || outcome,\n"
    "  sentence_key = " SENTENCE_KEY("claims") ";\n"
    "CREATE INDEX claims_key ON claims(claim_key);\n"
    "CREATE INDEX claims_sentence_key ON claims(sentence_key);\n"
    "CREATE INDEX claims_figure_key ON claims(figure_key);\n"
    "CREATE INDEX claims_same_as ON claims(same_as);\n"
    "ALTER TABLE series ADD COLUMN country TEXT;\n"
    "ALTER TABLE series ADD COLUMN period_start TEXT;\n"
    "ALTER TABLE series ADD COLUMN background INTEGER NOT NULL DEFAULT 0;\n"
    "ALTER TABLE series ADD COLUMN document_id INTEGER REFERENCES documents(id);\n"
    "ALTER TABLE series ADD COLUMN first_as_of TEXT;\n"
    "ALTER TABLE series ADD COLUMN frame TEXT;\n"
    "CREATE INDEX series_frame ON series(claimant_id, outcome, victims, country);\n"
    "CREATE TABLE reviews(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  claim_key TEXT NOT NULL,\n"   /* claims.claim_key */
    "  action TEXT NOT NULL,\n"      /* confirm, reject, correct */
    "  note TEXT,\n"
    "  reviewer TEXT,\n"
    "  reviewed_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX reviews_key ON reviews(claim_key, id);\n"
    "CREATE TABLE review_fields(\n"
    "  review_id INTEGER NOT NULL REFERENCES reviews(id),\n"
    "  field TEXT NOT NULL,\n"
    "  value TEXT,\n"
    "  original TEXT,\n"
    "  PRIMARY KEY(review_id, field)\n"
    ") WITHOUT ROWID;\n";

/* Version 3 -> 4 (issue 12, 15): claims carry the extract contract's
 * victims_side, date_basis, place_precision, reported_by and part_of
 * (NULL for the claims stored before, but place_precision: it is the
 * place's kind, which version 3 kept as place_kind); the codes the
 * codebook exports need, per country (filled from data/places/ at each
 * read-write open: sqlite.c); the full-text index declared
 * content="documents" with double quotes, which Datasette and sqlite-utils
 * look for, rebuilt from the documents. */
/* ACLED's event types by weapon class (data/codebooks/acled_weapons.tsv) */
#define ACLED_WEAPONS                                                                \
    "CREATE TABLE IF NOT EXISTS acled_weapons(\n"                                     \
    "  weapon TEXT PRIMARY KEY,\n" /* claims.weapon */                                \
    "  disorder_type TEXT,\n"                                                        \
    "  event_type TEXT,\n"                                                           \
    "  sub_event_type TEXT\n"                                                        \
    ") WITHOUT ROWID;\n"
const char tly_schema_acled_weapons[] = ACLED_WEAPONS;

const char tly_migrate_v3_v4[] =
    DROP_VIEWS
    "ALTER TABLE claims ADD COLUMN victims_side TEXT;\n"
    "ALTER TABLE claims ADD COLUMN date_basis TEXT;\n"
    "ALTER TABLE claims ADD COLUMN place_precision TEXT;\n"
    "ALTER TABLE claims ADD COLUMN reported_by TEXT;\n"
    "ALTER TABLE claims ADD COLUMN part_of INTEGER;\n" /* the seq of its total in its document */
    "ALTER TABLE documents ADD COLUMN lang TEXT;\n"    /* the language pack it was read with */
    "UPDATE claims SET place_precision = place_kind WHERE place IS NOT NULL;\n"
    "CREATE TABLE countries(\n"
    "  iso2 TEXT PRIMARY KEY,\n"  /* claims.country, places.country */
    "  name TEXT NOT NULL,\n"
    "  iso3 TEXT,\n"
    "  iso_numeric INTEGER,\n"
    "  gw_code INTEGER,\n"       /* Gleditsch-Ward: UCDP's country_id */
    "  acled_region TEXT,\n"
    "  ucdp_region TEXT\n"
    ") WITHOUT ROWID;\n"
    ACLED_WEAPONS
    "DROP TABLE IF EXISTS documents_fts;\n"
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content=\"documents\",\n"
    "  content_rowid=\"id\", tokenize='unicode61 remove_diacritics 2');\n"
    "INSERT INTO documents_fts(documents_fts) VALUES('rebuild');\n";

/* Indexes added since the first release of schema version 1. They change
 * no table or view (a database with or without them is the same version 1
 * database to every tally and to the server), so they are created, when
 * missing, each time a database is opened read-write. */
const char tly_schema_indexes[] =
    /* tally incidents --since/--until: the incident's days, else its window */
    "CREATE INDEX IF NOT EXISTS incidents_span ON incidents(coalesce(last_day, window_last),"
    " coalesce(first_day, window_first));\n"
    /* tally timeline, page by page: one series key at a time */
    "CREATE INDEX IF NOT EXISTS series_name ON series(claimant, outcome, victims);\n";
