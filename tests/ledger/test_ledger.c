/* test_ledger.c -- the ledger's library API on small texts written for
 * this test: linking rules, bounds, series flags, filters, idempotent
 * re-ingest, relink, a bad document inside a batch, schema checks. */
#include "ledger_test.h"
#include <unistd.h>

static const char *const DOCS1 =
    "{\"id\":\"t1\",\"published\":\"2020-10-05\",\"title\":\"Strike on Ganja\",\"source\":\"Wire A\",\"text\":\"A missile strike on Ganja on 4 October killed 3 civilians and injured 12, the Interior Ministry of Azerbaijan said.\"}\n"
    "{\"id\":\"t2\",\"published\":\"2020-10-06\",\"title\":\"Ganja toll rises\",\"source\":\"Wire B\",\"text\":\"The missile strike on Ganja on 4 October killed 5 civilians, Human Rights Watch said.\"}\n"
    "{\"id\":\"t3\",\"published\":\"2020-10-10\",\"title\":\"Running toll\",\"source\":\"Wire A\",\"text\":\"Since the start of the war, 40 civilians have been killed in total, the Prosecutor General of Azerbaijan said on Saturday.\"}\n"
    "{\"id\":\"t4\",\"published\":\"2020-10-12\",\"title\":\"Running toll corrected\",\"source\":\"Wire A\",\"text\":\"Since the start of the war, 35 civilians have been killed in total, the Prosecutor General of Azerbaijan said on Monday.\"}\n"
    "{\"id\":\"t5\",\"published\":\"2020-10-12\",\"title\":\"Other toll\",\"source\":\"Wire C\",\"text\":\"Since the start of the war, 60 civilians have been killed in total, Human Rights Watch said on Monday.\"}\n";
static const char *const DOCS2 =
    "{\"id\":\"t6\",\"published\":\"2020-10-20\",\"title\":\"Barda\",\"source\":\"Wire B\",\"text\":\"Shelling of Barda on 18 October killed 7 civilians, the Ministry of Defence of Armenia said.\"}\n"
    "{\"id\":\"t7\",\"published\":\"2020-10-20\",\"title\":\"Barda district\",\"source\":\"Wire C\",\"text\":\"Shelling of Barda District on 18 October killed 2 civilians, the Prosecutor General of Azerbaijan said.\"}\n"
    "{\"id\":\"t8\",\"published\":\"2020-10-11\",\"title\":\"Ganja week\",\"source\":\"Wire A\",\"text\":\"Between 1 and 10 October, a series of attacks on Ganja killed 30 civilians, the Interior Ministry of Azerbaijan said.\"}\n"
    "{\"id\":\"t9\",\"published\":\"2020-10-10\",\"title\":\"Tartar\",\"source\":\"Wire B\",\"text\":\"A rocket attack on Tartar on 9 October killed 2 civilians, the Interior Ministry of Azerbaijan said.\"}\n"
    "{\"id\":\"t10\",\"published\":\"2020-10-12\",\"title\":\"Tartar again\",\"source\":\"Wire C\",\"text\":\"A rocket attack on Tartar killed 4 civilians, Human Rights Watch said.\"}\n";

static void test_sha256(void) {
    char hex[65];
    tly_sha256_hex("", 0, hex);
    CHECK(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "%s", hex);
    tly_sha256_hex("abc", 3, hex);
    CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "%s", hex);
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    tly_sha256_hex(m, strlen(m), hex);
    CHECK(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"), "%s", hex);
    /* a million 'a', fed in uneven pieces */
    static char a[1000000];
    memset(a, 'a', sizeof a);
    tly_sha256 s;
    tly_sha256_init(&s);
    for (size_t off = 0, step = 1; off < sizeof a; off += step, step = step * 7 % 1013 + 1)
        tly_sha256_update(&s, a + off, off + step > sizeof a ? sizeof a - off : step);
    unsigned char d[32];
    tly_sha256_final(&s, d);
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"), "%s", hex);
    /* the CPU's SHA extensions (when used) and the portable code agree on
     * every length around the block and padding boundaries, in pieces */
    static unsigned char buf[4200];
    uint64_t r = 0x243F6A8885A308D3ull;
    for (size_t i = 0; i < sizeof buf; i++) { r = r * 6364136223846793005ull + 1442695040888963407ull; buf[i] = (unsigned char)(r >> 56); }
    for (size_t n = 0; n < sizeof buf; n += n < 200 ? 1 : 61) {
        tly_sha256 x, y;
        unsigned char dx[32], dy[32];
        tly_sha256_init(&x);
        tly_sha256_init_portable(&y);
        for (size_t off = 0, step = 1; off < n; off += step, step = step * 5 % 97 + 1)
            tly_sha256_update(&x, buf + off, off + step > n ? n - off : step);
        tly_sha256_update(&y, buf, n);
        tly_sha256_final(&x, dx);
        tly_sha256_final(&y, dy);
        CHECK(!memcmp(dx, dy, 32), "SHA-256 of %zu bytes: accelerated and portable differ", n);
    }
}

typedef struct counter { size_t n; char first[256]; } counter;
static int count_rows(void *ctx, const tally_ledger_row *r) {
    counter *c = ctx;
    if (!c->n && r->ncols && r->values[0]) snprintf(c->first, sizeof c->first, "%s", r->values[0]);
    c->n++;
    return 0;
}

static size_t nrows(tally_ledger *l, tally_ledger_query q, const tally_ledger_filter *f) {
    counter c = {0, ""};
    tally_error err;
    tally_status st = tally_ledger_query_rows(l, q, f, count_rows, &c, &err);
    CHECK(st == TALLY_OK, "query %d: %s", (int)q, err.message);
    return c.n;
}

/* The incident holding the claim of document doc with count_low n. */
static long long incident_of(sqlite3 *db, const char *doc, int n) {
    return q_int(db, "SELECT incident_id FROM claims WHERE doc = '%s' AND count_low = %d", doc, n);
}

static void check_links(sqlite3 *db) {
    /* same place, same day: one incident; an aggregate over the week stays apart */
    long long g = incident_of(db, "t1", 3);
    CHECK(g > 0, "t1 has an incident");
    CHECK(incident_of(db, "t2", 5) == g, "t1 and t2 are one incident");
    CHECK(incident_of(db, "t1", 12) == g, "the injured of t1 are in the same incident");
    long long agg = incident_of(db, "t8", 30);
    CHECK(agg > 0 && agg != g, "the aggregate is its own incident (%lld vs %lld)", agg, g);
    CHECK(q_int(db, "SELECT kind = 'aggregate' FROM incidents WHERE id = %lld", agg) == 1, "aggregate kind");
    CHECK(q_int(db, "SELECT count(*) FROM incident_overlaps WHERE aggregate_id = %lld AND incident_id = %lld", agg, g) == 1,
          "the aggregate is shown beside the incident it overlaps");
    /* bounds: low 3 (the ministry), best 3 (lower median), high 5 (HRW) */
    CHECK(q_int(db, "SELECT low FROM incident_bounds WHERE incident_id = %lld AND outcome = 'killed'", g) == 3, "low");
    CHECK(q_int(db, "SELECT best FROM incident_bounds WHERE incident_id = %lld AND outcome = 'killed'", g) == 3, "best");
    CHECK(q_int(db, "SELECT high FROM incident_bounds WHERE incident_id = %lld AND outcome = 'killed'", g) == 5, "high");
    CHECK(q_int(db, "SELECT count(*) FROM incident_bounds_v WHERE incident_id = %lld AND outcome = 'killed'"
                    " AND high_claimant = 'Human Rights Watch' AND high_doc = 't2' AND low_doc = 't1'", g) == 1,
          "each bound names its claimant and document");
    CHECK(q_int(db, "SELECT n_claims FROM incidents WHERE id = %lld", g) == 3, "3 claims in the Ganja incident");
    /* a town and its district, same day */
    long long b = incident_of(db, "t6", 7);
    CHECK(b > 0 && incident_of(db, "t7", 2) == b, "Barda and Barda District are one incident");
    CHECK(q_int(db, "SELECT p.name = 'Barda' FROM incidents i JOIN places p ON p.id = i.place_id WHERE i.id = %lld", b) == 1,
          "the incident takes the town, not the district");
    /* an undated claim joins by place and document closeness */
    long long t = incident_of(db, "t9", 2);
    CHECK(t > 0 && incident_of(db, "t10", 4) == t, "the undated Tartar claim joins the dated one");
    /* cumulative claims never join an incident */
    CHECK(q_int(db, "SELECT count(*) FROM claims WHERE scope = 'cumulative' AND incident_id IS NOT NULL") == 0,
          "cumulative claims are in no incident");
    /* series: 40 then 35 goes down; 35 and HRW's 60 the same day differ */
    CHECK(q_int(db, "SELECT down FROM timeline_v WHERE doc = 't4'") == 1, "35 after 40 is flagged down");
    CHECK(q_int(db, "SELECT down FROM timeline_v WHERE doc = 't3'") == 0, "40 is not down");
    CHECK(q_int(db, "SELECT differs FROM timeline_v WHERE doc = 't4'") == 1, "PG's 35 differs from HRW's 60");
    CHECK(q_int(db, "SELECT differs FROM timeline_v WHERE doc = 't5'") == 1, "HRW's 60 differs from PG's 35");
    CHECK(q_int(db, "SELECT differs FROM timeline_v WHERE doc = 't3'") == 0, "PG's 40 has no other figure that day");
    CHECK(q_int(db, "SELECT count(*) FROM series_disagreements WHERE as_of = '2020-10-12'") == 1, "one disagreement");
    CHECK(q_int(db, "SELECT n_points FROM series WHERE claimant = 'Prosecutor General of Azerbaijan' AND outcome = 'killed'") == 2,
          "the PG's series has two points");
    /* alignment */
    CHECK(q_int(db, "SELECT count(*) FROM actors WHERE name = 'Prosecutor General of Azerbaijan' AND role = 'party' AND side = 'AZ'") == 1,
          "the PG is a party (AZ)");
    CHECK(q_int(db, "SELECT count(*) FROM actors WHERE name = 'Human Rights Watch' AND role = 'third'") == 1, "HRW is a third party");
    /* full-text search */
    CHECK(q_int(db, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Tartar'") == 2, "FTS finds Tartar");
}

static void check_filters(tally_ledger *l) {
    tally_ledger_filter f;
    memset(&f, 0, sizeof f);
    CHECK(nrows(l, TALLY_LEDGER_CLAIMS, &f) == 11, "11 claims");
    f.place = "barda";
    CHECK(nrows(l, TALLY_LEDGER_CLAIMS, &f) == 2, "--place Barda takes its district too");
    memset(&f, 0, sizeof f);
    f.claimant = "human rights";
    CHECK(nrows(l, TALLY_LEDGER_CLAIMS, &f) == 3, "--claimant matches part of a name");
    memset(&f, 0, sizeof f);
    f.outcome = "injured";
    CHECK(nrows(l, TALLY_LEDGER_CLAIMS, &f) == 1, "--outcome injured");
    memset(&f, 0, sizeof f);
    tally_date_parse("2020-10-15", 10, &f.since);
    CHECK(nrows(l, TALLY_LEDGER_CLAIMS, &f) == 2, "--since 2020-10-15");
    memset(&f, 0, sizeof f);
    tally_date_parse("2020-10-04", 10, &f.until);
    CHECK(nrows(l, TALLY_LEDGER_CLAIMS, &f) == 4, "--until 2020-10-04");
    memset(&f, 0, sizeof f);
    f.claimant = "Prosecutor";
    CHECK(nrows(l, TALLY_LEDGER_TIMELINE, &f) == 2, "timeline --claimant");
    f.limit = 1;
    CHECK(nrows(l, TALLY_LEDGER_TIMELINE, &f) == 1, "--limit");
    memset(&f, 0, sizeof f);
    f.place = "Ganja";
    CHECK(nrows(l, TALLY_LEDGER_INCIDENTS, &f) == 4, "Ganja: 3 incident claims + 1 aggregate claim");
    CHECK(nrows(l, TALLY_LEDGER_BOUNDS, &f) == 3, "Ganja: killed, injured, aggregate killed");
    memset(&f, 0, sizeof f);
    f.query = "Tartar";
    CHECK(nrows(l, TALLY_LEDGER_SEARCH, &f) == 2, "search");
    CHECK(nrows(l, TALLY_LEDGER_SOURCES, NULL) == 4, "4 claimants");
    CHECK(nrows(l, TALLY_LEDGER_EXPORT_ACLED, NULL) == 4, "ACLED: one row per incident with killed");
    CHECK(nrows(l, TALLY_LEDGER_EXPORT_UCDP, NULL) == 4, "UCDP: one row per incident with killed");
    CHECK(nrows(l, TALLY_LEDGER_EXPORT_CLAIMS, NULL) == 11, "raw claims");
}

/* A database of schema version 1 (places keyed by "Name (CC)"), made from
 * src's database by turning its places back into version 1's table: a
 * read-only open refuses it, a read-write open migrates it (the links and
 * every answer stay), and a claim naming one of its places again gives
 * that place its gazetteer id. */
static void check_migration(tally_lexicon *lex, const char *src, const char *old) {
    char sql[600];
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", old);
    sqlite3 *d;
    CHECK(sqlite3_open(src, &d) == SQLITE_OK && sqlite3_exec(d, sql, NULL, NULL, NULL) == SQLITE_OK, "copy");
    sqlite3_close(d);
    CHECK(sqlite3_open(old, &d) == SQLITE_OK, "open v1");
    long long links = q_int(d, "SELECT count(*) FROM places WHERE parent_id IS NOT NULL");
    long long incidents = q_int(d, "SELECT count(*) FROM incidents");
    CHECK(sqlite3_exec(d, LEDGER_V4_TO_V3, NULL, NULL, NULL) == SQLITE_OK, "make a v3 database: %s", sqlite3_errmsg(d));
    CHECK(sqlite3_exec(d,
                       "CREATE TEMP TABLE p AS SELECT * FROM places; DROP TABLE places;"
                       "CREATE TABLE places(id INTEGER PRIMARY KEY, gazetteer_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
                       " country TEXT, lat REAL, lon REAL, admin INTEGER NOT NULL DEFAULT 0,"
                       " parent_id INTEGER REFERENCES places(id));"
                       "INSERT INTO places SELECT id, name || ' (' || coalesce(country, '-') || ')', name, country, lat,"
                       " lon, admin, parent_id FROM p;"
                       /* and without what version 3 added (issue 13) */
                       "DROP INDEX claims_key; DROP INDEX claims_sentence_key; DROP INDEX claims_figure_key;"
                       " DROP INDEX claims_same_as; DROP INDEX series_frame; DROP TABLE reviews; DROP TABLE review_fields;"
                       "ALTER TABLE claims DROP COLUMN place_kind; ALTER TABLE claims DROP COLUMN claim_key;"
                       " ALTER TABLE claims DROP COLUMN sentence_key; ALTER TABLE claims DROP COLUMN figure_key;"
                       " ALTER TABLE claims DROP COLUMN same_as; ALTER TABLE claims DROP COLUMN review_status;"
                       "ALTER TABLE series DROP COLUMN country; ALTER TABLE series DROP COLUMN period_start;"
                       " ALTER TABLE series DROP COLUMN background; ALTER TABLE series DROP COLUMN document_id;"
                       " ALTER TABLE series DROP COLUMN first_as_of; ALTER TABLE series DROP COLUMN frame;"
                       "UPDATE meta SET value = '1' WHERE key = 'schema_version'; PRAGMA user_version = 1;",
                       NULL, NULL, NULL) == SQLITE_OK,
          "make a v1 database: %s", sqlite3_errmsg(d));
    tally_error err;
    tally_ledger *l = NULL;
    CHECK(tally_ledger_open(old, &(tally_ledger_options){.flags = TALLY_LEDGER_READONLY}, &l, &err) == TALLY_ERR_DATA &&
              !l && strstr(err.message, "earlier tally"),
          "read-only: an old version is refused: %s", err.message);
    CHECK(tally_ledger_open(old, NULL, &l, &err) == TALLY_OK, "read-write: migrated: %s", err.message);
    CHECK(q_int(d, "PRAGMA user_version") == TALLY_LEDGER_SCHEMA_VERSION, "version after the migration");
    CHECK(q_int(d, "SELECT count(*) FROM places WHERE gazetteer_id = 0 AND kind IS NULL") ==
              q_int(d, "SELECT count(*) FROM places"), "the old places wait for a claim to name them");
    CHECK(q_int(d, "SELECT count(*) FROM places WHERE parent_id IS NOT NULL") == links, "the hierarchy is kept");
    CHECK(tally_ledger_relink(l, &err) == TALLY_OK, "relink after the migration: %s", err.message);
    CHECK(q_int(d, "SELECT count(*) FROM incidents") == incidents, "relinking the old places gives the same incidents");
    CHECK(nrows(l, TALLY_LEDGER_INCIDENTS, NULL) > 0, "the views answer");
    long long nplaces = q_int(d, "SELECT count(*) FROM places");
    CHECK(ingest_jsonl(l, lex,
                       "{\"id\":\"m1\",\"published\":\"2020-10-20\",\"text\":\"Shelling of Barda on 19 October killed"
                       " 3 civilians, the Ministry of Defence of Armenia said.\"}\n") == 1,
          "a new document");
    CHECK(q_int(d, "SELECT count(*) FROM places") == nplaces, "its place is the old one");
    CHECK(q_int(d, "SELECT gazetteer_id > 0 AND kind = 'town' AND admin1 IS NOT NULL FROM places WHERE name = 'Barda'") == 1,
          "which takes the gazetteer's key");
    tally_ledger_close(l);
    sqlite3_close(d);
}

int main(void) {
    test_sha256();
    char dir[] = "/tmp/tally-ledger-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[256], path2[256], junk[256], old[256];
    snprintf(old, sizeof old, "%s/v1.db", dir);
    snprintf(path, sizeof path, "%s/a.db", dir);
    snprintf(path2, sizeof path2, "%s/b.db", dir);
    snprintf(junk, sizeof junk, "%s/junk.db", dir);

    tally_error err;
    tally_lexicon *lex;
    if (tally_lexicon_open(NULL, &lex, &err) != TALLY_OK) { fprintf(stderr, "lexicon: %s\n", err.message); return 1; }

    tally_ledger *l;
    CHECK(tally_ledger_open(path, NULL, &l, &err) == TALLY_OK, "open: %s", err.message);
    CHECK(ingest_jsonl(l, lex, DOCS1) == 5, "first batch stored");
    CHECK(ingest_jsonl(l, lex, DOCS2) == 5, "second batch stored (incrementally linked)");
    sqlite3 *db = open_ro(path);
    check_links(db);
    check_filters(l);
    CHECK(q_int(db, "PRAGMA user_version") == TALLY_LEDGER_SCHEMA_VERSION, "schema version");
    CHECK(q_int(db, "SELECT value FROM meta WHERE key = 'schema_version'") == TALLY_LEDGER_SCHEMA_VERSION, "meta schema_version");

    /* idempotent: the same documents again change nothing */
    char sum1[65], sum2[65], sum3[65];
    db_checksum(db, sum1);
    CHECK(ingest_jsonl(l, lex, DOCS2) == 0 && ingest_jsonl(l, lex, DOCS1) == 0, "nothing stored twice");
    db_checksum(db, sum2);
    CHECK(!strcmp(sum1, sum2), "re-ingest leaves the database unchanged");
    /* relink from scratch gives what the incremental linking gave */
    CHECK(tally_ledger_relink(l, &err) == TALLY_OK, "relink: %s", err.message);
    db_checksum(db, sum3);
    CHECK(!strcmp(sum1, sum3), "relink gives the same incidents and series");

    /* the same documents in one batch, into another database: same links */
    tally_ledger *l2;
    CHECK(tally_ledger_open(path2, NULL, &l2, &err) == TALLY_OK, "open 2");
    char both[4096];
    snprintf(both, sizeof both, "%s%s", DOCS1, DOCS2);
    CHECK(ingest_jsonl(l2, lex, both) == 10, "one batch");
    sqlite3 *db2 = open_ro(path2);
    CHECK(q_int(db2, "SELECT count(*) FROM incidents") == q_int(db, "SELECT count(*) FROM incidents"), "same incidents");

    /* a bad document in the middle of a batch: the others are kept */
    const char *good1 = "Shelling of Tovuz on 12 October killed 6 civilians, the Interior Ministry of Azerbaijan said.";
    const char *good2 = "Shelling of Tovuz on 13 October killed 1 civilian, the Interior Ministry of Azerbaijan said.";
    tally_doc d1 = {.id = {"u1", 2}, .text = {good1, strlen(good1)}, .published = {2020, 10, 13}};
    tally_doc d2 = {.id = {"u2", 2}, .text = {good2, strlen(good2)}, .published = {2020, 10, 14}};
    tally_doc bad = {.id = {"u-bad", 5}, .text = {"Short.", 6}, .published = {2020, 10, 14}};
    tally_result *r1 = NULL, *r2 = NULL;
    CHECK(tally_extract(lex, &d1, NULL, &r1, &err) == TALLY_OK, "extract u1");
    CHECK(tally_extract(lex, &d2, NULL, &r2, &err) == TALLY_OK, "extract u2");
    long long claims_before = q_int(db2, "SELECT count(*) FROM claims");
    CHECK(tally_ledger_begin(l2, &err) == TALLY_OK, "begin");
    int stored = 0;
    CHECK(tally_ledger_ingest_doc(l2, &d1, r1, &stored, NULL, &err) == TALLY_OK && stored, "u1");
    /* the result of another document: its spans do not fit, so it fails */
    tally_status st = tally_ledger_ingest_doc(l2, &bad, r1, &stored, NULL, &err);
    CHECK(st != TALLY_OK && !stored, "a mismatched result is refused");
    CHECK(tally_ledger_ingest_doc(l2, &d2, r2, &stored, NULL, &err) == TALLY_OK && stored, "u2 after the failure");
    CHECK(tally_ledger_commit(l2, &err) == TALLY_OK, "commit: %s", err.message);
    CHECK(q_int(db2, "SELECT count(*) FROM documents WHERE doc IN ('u1', 'u2')") == 2, "both good documents kept");
    CHECK(q_int(db2, "SELECT count(*) FROM documents WHERE doc = 'u-bad'") == 0, "the bad document left nothing");
    CHECK(q_int(db2, "SELECT count(*) FROM claims") == claims_before + 2, "the good documents' claims kept");
    tally_result_free(r1);
    tally_result_free(r2);

    /* the API's guards */
    int found = 0;
    CHECK(tally_ledger_contains(l2, &d1, &found, &err) == TALLY_OK && found, "contains");
    CHECK(tally_ledger_commit(l2, &err) == TALLY_ERR_USAGE, "commit without begin");
    tally_ledger *ro;
    CHECK(tally_ledger_open(path2, &(tally_ledger_options){.flags = TALLY_LEDGER_READONLY}, &ro, &err) == TALLY_OK, "read-only");
    CHECK(tally_ledger_begin(ro, &err) == TALLY_ERR_USAGE, "read-only refuses writes");
    tally_ledger_close(ro);
    sqlite3 *j;
    sqlite3_open(junk, &j);
    sqlite3_exec(j, "CREATE TABLE other(x)", NULL, NULL, NULL);
    sqlite3_close(j);
    tally_ledger *jl = NULL;
    CHECK(tally_ledger_open(junk, NULL, &jl, &err) == TALLY_ERR_DATA && !jl, "not a tally database: %s", err.message);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none/x.db", dir);
    CHECK(tally_ledger_open(missing, NULL, &jl, &err) == TALLY_ERR_IO && !jl, "cannot open");

    check_migration(lex, path2, old);

    sqlite3_close(db);
    sqlite3_close(db2);
    tally_ledger_close(l);
    tally_ledger_close(l2);
    tally_lexicon_close(lex);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    printf("ok\n");
    return 0;
}
