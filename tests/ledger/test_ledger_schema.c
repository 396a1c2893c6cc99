/* test_ledger_schema.c -- schema version 4 (issues 12, 15): the claim
 * fields victims_side, date_basis, place_precision, reported_by and
 * part_of stored and shown; a version-3 ledger migrated (its claims keep
 * NULL for what version 3 did not know); the countries table from the data
 * files; the full-text index declared so that Datasette and sqlite-utils
 * find it; views and codes made again when a database has older ones. */
#include "ledger_test.h"
#include "util/claim_fields.h"
#include <unistd.h>

/* written for this test */
static const char *const DOCS =
    "{\"id\":\"s1\",\"published\":\"2020-10-05\",\"title\":\"Strike\",\"url\":\"https://example.org/s1\",\"text\":"
    "\"An Azerbaijani missile strike on Stepanakert killed 14 people, including five children, the Armenian"
    " Ministry of Defence said. The ministry said 12 Armenian servicemen were killed on Sunday.\"}\n";
static const char *const DOCS_MORE =
    "{\"id\":\"s2\",\"published\":\"2020-10-08\",\"title\":\"Barda\",\"text\":\"Shelling of Barda on 7 October killed"
    " 3 civilians, the Prosecutor General of Azerbaijan said.\"}\n";

typedef struct found { int n; char value[256]; } found;
static int first_value(void *ctx, const tally_ledger_row *r) {
    found *f = ctx;
    if (f->n++) return 0;
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(r->names[i], f->value)) {
            snprintf(f->value, sizeof f->value, "%s", r->values[i] ? r->values[i] : "(null)");
            return 0;
        }
    return 0;
}

/* the value of column name in the first row of query q */
static void first_col(tally_ledger *l, tally_ledger_query q, const char *name, char out[256]) {
    found f = {0, ""};
    snprintf(f.value, sizeof f.value, "%s", name);
    tally_error err;
    tally_ledger_filter flt;
    memset(&flt, 0, sizeof flt);
    CHECK(tally_ledger_query_rows(l, q, &flt, first_value, &f, &err) == TALLY_OK, "query: %s", err.message);
    snprintf(out, 256, "%s", f.n && strcmp(f.value, name) ? f.value : "(missing)");
}

/* Datasette's test for a table's full-text index (datasette.utils.detect_fts),
 * with the table name as a string */
static const char *const DATASETTE_FTS =
    "SELECT count(*) FROM sqlite_master WHERE rootpage = 0 AND ("
    " sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"documents\"%'"
    " OR sql LIKE '%VIRTUAL TABLE%USING FTS%content=[documents]%'"
    " OR (tbl_name = 'documents' AND sql LIKE '%VIRTUAL TABLE%USING FTS%'))";

/* Every field of the extract contract (src/util/claim_fields.h, the JSON
 * fields) is a column of the claims table and of the flat export. */
static void check_contract_columns(sqlite3 *db, tally_ledger *l) {
    static const char *const fields[] = {
#define NAME(name, kind, a, b, sql, out) (out) & TLY_CF_JSON ? name : NULL,
        TLY_CLAIM_FIELDS(NAME)
#undef NAME
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        if (!fields[i]) continue;
        CHECK(q_int(db, "SELECT count(*) FROM pragma_table_info('claims') WHERE name = '%s'", fields[i]) == 1,
              "the claims table has the contract's field %s", fields[i]);
        char v[256];
        first_col(l, TALLY_LEDGER_EXPORT_CLAIMS, fields[i], v);
        CHECK(strcmp(v, "(missing)"), "the flat export has the contract's field %s", fields[i]);
    }
}

static void check_v4(sqlite3 *db, const char *when) {
    CHECK(q_int(db, "PRAGMA user_version") == 4, "%s: version 4", when);
    CHECK(q_int(db, "SELECT count(*) FROM pragma_table_info('claims') WHERE name IN ('victims_side', 'date_basis',"
                    " 'place_precision', 'reported_by', 'part_of')") == 5,
          "%s: the five columns", when);
    CHECK(q_int(db, "SELECT count(*) FROM pragma_table_info('claims_v') WHERE name IN ('victims_side', 'date_basis',"
                    " 'place_precision', 'reported_by', 'part_of', 'part_of_claim_id')") == 6,
          "%s: claims_v shows them", when);
    CHECK(q_int(db, "%s", DATASETTE_FTS) == 1, "%s: Datasette finds the full-text index", when);
    CHECK(q_int(db, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'killed'") ==
              q_int(db, "SELECT count(*) FROM documents WHERE text LIKE '%killed%'"),
          "%s: the index finds every document", when);
    CHECK(q_int(db, "SELECT count(*) FROM countries") > 240, "%s: the countries", when);
    CHECK(q_int(db, "SELECT count(*) FROM acled_weapons WHERE weapon = 'missile'"
                    " AND event_type = 'Explosions/Remote violence'") == 1,
          "%s: ACLED's event types by weapon", when);
    CHECK(q_int(db, "SELECT iso_numeric = 31 AND gw_code = 373 AND name = 'Azerbaijan' AND iso3 = 'AZE'"
                    " AND acled_region = 'Caucasus and Central Asia' AND ucdp_region = 'Europe'"
                    " FROM countries WHERE iso2 = 'AZ'") == 1,
          "%s: Azerbaijan's codes", when);
}

int main(void) {
    char dir[] = "/tmp/tally-schema-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[256], old[256];
    snprintf(path, sizeof path, "%s/a.db", dir);
    snprintf(old, sizeof old, "%s/v3.db", dir);
    tally_lexicon *lex = test_lexicon();

    /* a new ledger: the fields as tally extract gives them */
    tally_error err;
    tally_ledger *l;
    CHECK(tally_ledger_open(path, NULL, &l, &err) == TALLY_OK, "open: %s", err.message);
    CHECK(ingest_jsonl(l, lex, DOCS) == 1, "stored");
    sqlite3 *db = open_ro(path);
    check_v4(db, "new");
    check_contract_columns(db, l);
    CHECK(q_int(db, "SELECT count(*) FROM claims WHERE victims = 'military' AND victims_side = 'AM'") == 1,
          "victims_side of the Armenian servicemen");
    CHECK(q_int(db, "SELECT count(*) FROM claims b JOIN claims t ON t.document_id = b.document_id AND t.seq = b.part_of"
                    " WHERE b.count_low = 5 AND t.count_low = 14") == 1,
          "the breakdown's part_of is its total's seq");
    CHECK(q_int(db, "SELECT count(*) FROM claims_v b JOIN claims t ON t.id = b.part_of_claim_id WHERE t.count_low = 14") == 1,
          "claims_v: part_of_claim_id");
    CHECK(q_int(db, "SELECT count(*) FROM claims WHERE place_precision IS NOT place_kind") == 0,
          "place_precision is the place's kind");
    CHECK(q_int(db, "SELECT count(*) FROM claims WHERE place_precision = 'town'") == 3, "the town's claims");
    char v[256];
    first_col(l, TALLY_LEDGER_CLAIMS, "place_precision", v);
    CHECK(!strcmp(v, "town"), "tally claims: place_precision (%s)", v);
    first_col(l, TALLY_LEDGER_CLAIMS, "url", v);
    CHECK(!strcmp(v, "https://example.org/s1"), "tally claims: url (%s)", v);
    first_col(l, TALLY_LEDGER_EXPORT_CLAIMS, "published", v);
    CHECK(!strcmp(v, "2020-10-05"), "export: published (%s)", v);
    first_col(l, TALLY_LEDGER_EXPORT_CLAIMS, "lon", v);
    CHECK(strlen(v) <= 9 && !strncmp(v, "46.7528", 7), "export: coordinates rounded (%s)", v);
    found f = {0, "victims_side"};
    CHECK(tally_ledger_report_rows(l, TALLY_LEDGER_REPORT_CLAIM, 3, NULL, first_value, &f, &err) == TALLY_OK &&
              !strcmp(f.value, "AM"),
          "the claim report shows victims_side (%s)", f.value);
    tally_ledger_close(l);

    /* a version-3 ledger opens read-write and gains the columns, NULL for its claims */
    char sql[600];
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", old);
    CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "copy: %s", sqlite3_errmsg(db));
    sqlite3_close(db);
    sqlite3 *d;
    CHECK(sqlite3_open(old, &d) == SQLITE_OK, "open the copy");
    CHECK(sqlite3_exec(d, LEDGER_V4_TO_V3, NULL, NULL, NULL) == SQLITE_OK, "make a v3 ledger: %s", sqlite3_errmsg(d));
    CHECK(q_int(d, "%s", DATASETTE_FTS) == 0, "version 3's index is not found by Datasette");
    long long nclaims = q_int(d, "SELECT count(*) FROM claims");
    l = NULL;
    CHECK(tally_ledger_open(old, &(tally_ledger_options){.flags = TALLY_LEDGER_READONLY}, &l, &err) == TALLY_ERR_DATA &&
              strstr(err.message, "earlier tally"),
          "read-only: refused: %s", err.message);
    CHECK(tally_ledger_open(old, NULL, &l, &err) == TALLY_OK, "read-write: migrated: %s", err.message);
    check_v4(d, "migrated");
    CHECK(q_int(d, "SELECT count(*) FROM claims") == nclaims, "every claim kept");
    CHECK(q_int(d, "SELECT count(*) FROM claims WHERE victims_side IS NULL AND date_basis IS NULL AND reported_by IS NULL"
                   " AND part_of IS NULL") == nclaims,
          "the old claims: NULL");
    CHECK(q_int(d, "SELECT count(*) FROM claims WHERE place_precision = place_kind") == nclaims,
          "the old claims: place_precision from place_kind");
    CHECK(ingest_jsonl(l, lex, DOCS_MORE) == 1, "a new document");
    CHECK(q_int(d, "SELECT count(*) FROM claims WHERE doc = 's2' AND place_precision = 'town'") == 1,
          "its claim carries the fields");
    CHECK(q_int(d, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Barda'") == 1, "and is searchable");
    tally_ledger_close(l);

    /* views and codes older than this tally's are made again by a read-write open */
    CHECK(sqlite3_exec(d,
                       "DROP VIEW claims_v; CREATE VIEW claims_v AS SELECT 1 AS x; DELETE FROM countries; DROP TABLE acled_weapons;"
                       " UPDATE meta SET value = 'old' WHERE key IN ('views_sha256', 'countries_sha256');",
                       NULL, NULL, NULL) == SQLITE_OK,
          "age the views: %s", sqlite3_errmsg(d));
    CHECK(tally_ledger_open(old, NULL, &l, &err) == TALLY_OK, "open: %s", err.message);
    check_v4(d, "refreshed");
    tally_ledger_close(l);
    sqlite3_close(d);
    tally_lexicon_close(lex);
    return finish_test(dir);
}
