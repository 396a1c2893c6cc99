/* crash_check.c -- checks a tally ledger left by an interrupted `tally ingest`
 * against a reference ledger made by one uninterrupted ingest of the same
 * input (tests/crash/crash.sh, tests/crash/diskfull.sh).
 *
 *   crash_check check DB REF   the state after a kill or a failure:
 *     - PRAGMA integrity_check is "ok", the FTS5 index agrees with its
 *       content table, PRAGMA foreign_key_check finds nothing;
 *     - no document stored twice (content_hash), no claim twice (document, seq);
 *     - the stored documents are the first K documents of REF in the same
 *       order (batches are committed in input order: no gap, no stray one),
 *       each with every column of REF's (but id and ingested_at);
 *     - every stored document is complete: its claim count equals REF's for
 *       the same content hash and equals its n_claims, and every claim row
 *       (every column but the row ids, with its place, claimant and
 *       perpetrator by name) is in REF for that document: with the
 *       uniqueness above, the claims are exactly REF's;
 *     - the links are consistent: each incident's n_claims and each series'
 *       n_points match their rows.
 *   crash_check same DB REF    after a completing re-run: every table but
 *     SQLite's and FTS5's own (compared by the checks above) holds exactly
 *     REF's rows, ids included (ingested_at aside), and everything `check`
 *     checks.
 *
 * An empty database (no table: killed before the schema was committed)
 * passes `check` as "ok: 0 documents, 0 claims (no schema yet)".
 *
 * Prints one line ("ok: K documents, N claims") or the failures, and exits
 * 0 (ok), 1 (a check failed) or 2 (usage, or the databases do not open).
 * The DB is opened read-write only so that a hot WAL is recovered: run it
 * on a copy when the original must stay as the crash left it. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
static int failures;

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    failures++;
}

/* Runs SQL that yields one integer; -1 on error. */
static long long one(const char *sql) {
    sqlite3_stmt *s;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fail(sql, sqlite3_errmsg(db));
        return -1;
    }
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE) fail(sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return v;
}

/* SQL that must yield no row; prints up to 5 of those it yields. */
static void none(const char *what, const char *sql) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fail(what, sqlite3_errmsg(db));
        return;
    }
    int rc, rows = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (rows++ == 0) fail(what, NULL);
        if (rows > 5) continue;
        fputs("     row:", stderr);
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const unsigned char *v = sqlite3_column_text(s, i);
            fprintf(stderr, " %.60s", v ? (const char *)v : "NULL");
        }
        fputc('\n', stderr);
    }
    if (rc != SQLITE_DONE) fail(what, sqlite3_errmsg(db));
    if (rows > 5) fprintf(stderr, "     (%d rows)\n", rows);
    sqlite3_finalize(s);
}

typedef struct buf { char *p; size_t n, cap; } buf;

static void put(buf *b, const char *s) {
    size_t k = strlen(s);
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->n + k + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { fputs("crash_check: out of memory\n", stderr); exit(2); }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, k + 1);
    b->n += k;
}

/* "a.x, a.y, ..." for the columns of main.TABLE but those in skip (a
 * NULL-terminated list). Returns the number of columns. */
static int columns(const char *table, const char *alias, const char *const *skip, buf *out) {
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s', 'main') ORDER BY cid", table);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) { fail(sql, sqlite3_errmsg(db)); return 0; }
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        int skipped = 0;
        for (int i = 0; skip && skip[i]; i++)
            if (!strcmp(skip[i], name)) skipped = 1;
        if (skipped) continue;
        if (n++) put(out, ", ");
        put(out, alias);
        put(out, ".\"");
        put(out, name);
        put(out, "\"");
    }
    sqlite3_finalize(s);
    return n;
}

/* A claim row of schema S ("main" or "ref") keyed by its document's content
 * hash, with places and actors by name instead of their ids. */
static void claim_select(buf *b, const char *schema, const char *cols) {
    char tmp[512];
    put(b, "SELECT d.content_hash, ");
    put(b, cols);
    snprintf(tmp, sizeof tmp,
             ", (SELECT gazetteer_id FROM %s.places WHERE id = c.place_id),"
             " (SELECT name FROM %s.actors WHERE id = c.claimant_id),"
             " (SELECT name FROM %s.actors WHERE id = c.perpetrator_id)"
             " FROM %s.claims c JOIN %s.documents d ON d.id = c.document_id",
             schema, schema, schema, schema, schema);
    put(b, tmp);
}

static void check(void) {
    if (one("SELECT count(*) FROM main.sqlite_master WHERE name IN ('documents', 'claims', 'documents_fts')") != 3) {
        fail("check", "no tally schema in the database");
        return;
    }
    /* integrity of the file and of the FTS index */
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "PRAGMA main.integrity_check", -1, &s, NULL) != SQLITE_OK) {
        fail("integrity_check", sqlite3_errmsg(db));
    } else {
        int rc = sqlite3_step(s);
        const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
        if (!v || strcmp(v, "ok")) fail("integrity_check", v ? v : sqlite3_errmsg(db));
        sqlite3_finalize(s);
    }
    if (sqlite3_exec(db, "INSERT INTO main.documents_fts(documents_fts, rank) VALUES('integrity-check', 1)",
                     NULL, NULL, NULL) != SQLITE_OK)
        fail("FTS5 integrity-check", sqlite3_errmsg(db));
    none("foreign_key_check", "PRAGMA main.foreign_key_check");

    /* nothing twice */
    none("a document stored twice",
         "SELECT content_hash, count(*) FROM main.documents GROUP BY content_hash HAVING count(*) > 1");
    none("a claim stored twice",
         "SELECT document_id, seq, count(*) FROM main.claims GROUP BY document_id, seq HAVING count(*) > 1");

    /* the documents are a prefix of the reference's, in order */
    none("stored documents are not the reference's first ones in order",
         "WITH m AS (SELECT content_hash h, row_number() OVER (ORDER BY id) k FROM main.documents),"
         " r AS (SELECT content_hash h, row_number() OVER (ORDER BY id) k FROM ref.documents)"
         " SELECT m.k, m.h, r.h FROM m LEFT JOIN r ON r.k = m.k WHERE r.h IS NOT m.h");
    static const char *const doc_skip[] = {"id", "ingested_at", NULL};
    buf dc = {0}, q = {0}, cc = {0};
    if (!columns("documents", "d", doc_skip, &dc)) return;
    put(&q, "SELECT ");
    put(&q, dc.p);
    put(&q, " FROM main.documents d EXCEPT SELECT ");
    put(&q, dc.p);
    put(&q, " FROM ref.documents d");
    none("a document differs from the reference's", q.p);
    q.n = 0;

    /* every stored document complete */
    none("a document's claims are not all there (hash, stored, n_claims, reference)",
         "SELECT d.content_hash, (SELECT count(*) FROM main.claims c WHERE c.document_id = d.id) AS n,"
         " d.n_claims, (SELECT count(*) FROM ref.claims c JOIN ref.documents r ON r.id = c.document_id"
         " WHERE r.content_hash = d.content_hash) AS want FROM main.documents d"
         " WHERE n <> want OR n <> d.n_claims");
    static const char *const claim_skip[] = {"id", "document_id", "place_id", "claimant_id", "perpetrator_id",
                                             "incident_id", NULL};
    if (!columns("claims", "c", claim_skip, &cc)) { free(dc.p); free(q.p); return; }
    claim_select(&q, "main", cc.p);
    put(&q, " EXCEPT ");
    claim_select(&q, "ref", cc.p);
    none("a claim differs from the reference's", q.p);

    /* links consistent */
    none("an incident's n_claims is off",
         "SELECT i.id, i.n_claims FROM main.incidents i"
         " WHERE i.n_claims <> (SELECT count(*) FROM main.claims c WHERE c.incident_id = i.id)");
    none("a series' n_points is off",
         "SELECT s.id, s.n_points FROM main.series s"
         " WHERE s.n_points <> (SELECT count(*) FROM main.series_points p WHERE p.series_id = s.id)");
    none("a claim links to a missing incident",
         "SELECT c.id, c.incident_id FROM main.claims c WHERE c.incident_id IS NOT NULL"
         " AND NOT EXISTS (SELECT 1 FROM main.incidents i WHERE i.id = c.incident_id)");
    free(dc.p);
    free(cc.p);
    free(q.p);
}

/* Every row of every table but SQLite's and FTS5's, both ways. */
static void same(void) {
    sqlite3_stmt *s;
    const char *sql = "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                      " AND name NOT LIKE 'documents_fts%' ORDER BY name";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) { fail(sql, sqlite3_errmsg(db)); return; }
    int tables = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        char name[128];
        snprintf(name, sizeof name, "%s", (const char *)sqlite3_column_text(s, 0));
        static const char *const skip[] = {"ingested_at", NULL};
        buf c = {0}, q = {0};
        if (!columns(name, "t", skip, &c)) { fail(name, "no columns"); continue; }
        for (int way = 0; way < 2; way++) {
            const char *a = way ? "ref" : "main", *b = way ? "main" : "ref";
            char tmp[400], what[200];
            q.n = 0;
            put(&q, "SELECT ");
            put(&q, c.p);
            snprintf(tmp, sizeof tmp, " FROM %s.\"%s\" t EXCEPT SELECT ", a, name);
            put(&q, tmp);
            put(&q, c.p);
            snprintf(tmp, sizeof tmp, " FROM %s.\"%s\" t", b, name);
            put(&q, tmp);
            snprintf(what, sizeof what, "%s: rows of %s not in %s", name, way ? "the reference" : "the database",
                     way ? "the database" : "the reference");
            none(what, q.p);
        }
        free(c.p);
        free(q.p);
        tables++;
    }
    sqlite3_finalize(s);
    if (tables < 8) fail("same", "too few tables");
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[1], "check") && strcmp(argv[1], "same"))) {
        fputs("usage: crash_check check|same DB REF\n", stderr);
        return 2;
    }
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "crash_check: %s: %s\n", argv[2], db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return 2;
    }
    sqlite3_busy_timeout(db, 5000);
    char *sql = sqlite3_mprintf("ATTACH %Q AS ref", argv[3]);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "crash_check: %s: %s\n", argv[3], sqlite3_errmsg(db));
        sqlite3_close(db);
        return 2;
    }
    /* Killed before the schema's transaction committed: an empty database
     * (SQLite file header, no table) is a state a kill may leave; the next
     * ingest creates the schema. A partial schema would be a failure. */
    if (!strcmp(argv[1], "check") && one("SELECT count(*) FROM main.sqlite_master") == 0) {
        sqlite3_close(db);
        if (failures) return 1;
        printf("ok: 0 documents, 0 claims (no schema yet)\n");
        return 0;
    }
    check();
    if (!strcmp(argv[1], "same")) same();
    long long docs = one("SELECT count(*) FROM main.documents");
    long long claims = one("SELECT count(*) FROM main.claims");
    sqlite3_close(db);
    if (failures) return 1;
    printf("ok: %lld documents, %lld claims\n", docs, claims);
    return 0;
}
