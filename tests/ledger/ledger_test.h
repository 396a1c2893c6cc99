/* ledger_test.h -- helpers shared by the ledger tests (header-only). */
#ifndef LEDGER_TEST_H
#define LEDGER_TEST_H
#include "store/sha256.h"
#include "tally.h"
#include "tally_ledger.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (!(cond)) {                                                \
            failures++;                                               \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
        }                                                             \
    } while (0)

/* SQL that turns a database of schema version 4 back into version 3, as
 * a tally of version 3 made it (the migration tests start from it). */
#define LEDGER_V4_TO_V3                                                                                 \
    "DROP VIEW IF EXISTS claims_v; DROP VIEW IF EXISTS incident_claims_v;"                              \
    " DROP VIEW IF EXISTS incident_bounds_v; DROP VIEW IF EXISTS incident_overlaps;"                    \
    " DROP VIEW IF EXISTS series_disagreements; DROP VIEW IF EXISTS timeline_v;"                        \
    " DROP VIEW IF EXISTS sources_v; DROP VIEW IF EXISTS export_acled; DROP VIEW IF EXISTS export_ucdp;" \
    " DROP VIEW IF EXISTS event_totals; DROP VIEW IF EXISTS event_deaths;"                              \
    "ALTER TABLE claims DROP COLUMN victims_side; ALTER TABLE claims DROP COLUMN date_basis;"            \
    " ALTER TABLE claims DROP COLUMN place_precision; ALTER TABLE claims DROP COLUMN reported_by;"      \
    " ALTER TABLE claims DROP COLUMN part_of; ALTER TABLE documents DROP COLUMN lang;"                                                        \
    "DROP TABLE countries; DROP TABLE acled_weapons; DELETE FROM meta WHERE key IN ('views_sha256', 'countries_sha256');"         \
    "DROP TABLE documents_fts; CREATE VIRTUAL TABLE documents_fts USING fts5(title, text,"              \
    " content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"              \
    "INSERT INTO documents_fts(documents_fts) VALUES('rebuild');"                                       \
    "UPDATE meta SET value = '3' WHERE key = 'schema_version'; PRAGMA user_version = 3;"

/* The first column of the first row of a query, as an integer (or -1). */
static long long q_int(sqlite3 *db, const char *fmt, ...) {
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "sql error: %s: %s\n", sqlite3_errmsg(db), sql);
        failures++;
        return -1;
    }
    long long v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return v;
}

/* A SHA-256 over every row of every table (not the FTS shadow tables,
 * which are checked through documents_fts), plus the row counts. */
__attribute__((unused)) static void db_checksum(sqlite3 *db, char out[65]) {
    static const char *const tables[] = {"meta", "documents", "actors", "actor_aliases", "places",
                                         "incidents", "claims", "incident_bounds", "series",
                                         "series_points", NULL};
    tly_sha256 h;
    tly_sha256_init(&h);
    for (int t = 0; tables[t]; t++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1, 2", tables[t]);
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) { failures++; continue; }
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(s); i++) {
                const unsigned char *v = sqlite3_column_text(s, i);
                int n = sqlite3_column_bytes(s, i);
                tly_sha256_update(&h, v ? (const char *)v : "\x01NULL", v ? (size_t)n : 5);
                tly_sha256_update(&h, "\x1f", 1);
            }
            tly_sha256_update(&h, "\x1e", 1);
        }
        sqlite3_finalize(s);
        tly_sha256_update(&h, tables[t], strlen(tables[t]));
    }
    long long fts = q_int(db, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'the OR a OR killed'");
    tly_sha256_update(&h, &fts, sizeof fts);
    unsigned char d[32];
    tly_sha256_final(&h, d);
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Extracts and stores every document of a reader in one batch (closing
 * it); *skipped (when not NULL) counts the documents that could not be
 * read or extracted. Returns the number of documents stored. */
static size_t ingest_reader(tally_ledger *l, const tally_lexicon *lex, tally_reader *r, size_t *skipped) {
    tally_error err;
    size_t stored_n = 0;
    CHECK(tally_ledger_begin(l, &err) == TALLY_OK, "%s", err.message);
    tally_doc doc;
    tally_status st;
    while ((st = tally_reader_next(r, &doc, &err)) != TALLY_DONE) {
        tally_result *res;
        if (st != TALLY_OK || tally_extract(lex, &doc, NULL, &res, &err) != TALLY_OK) {
            if (skipped) (*skipped)++;
            continue;
        }
        int stored = 0;
        st = tally_ledger_ingest_doc(l, &doc, res, &stored, NULL, &err);
        CHECK(st == TALLY_OK, "ingest: %s", err.message);
        stored_n += (size_t)stored;
        tally_result_free(res);
    }
    CHECK(tally_ledger_commit(l, &err) == TALLY_OK, "%s", err.message);
    tally_reader_close(r);
    return stored_n;
}

/* The same, of a file. */
__attribute__((unused)) static size_t ingest_path(tally_ledger *l, const tally_lexicon *lex, const char *path,
                                                  size_t *skipped) {
    tally_reader *r;
    tally_error err;
    if (tally_reader_open(path, NULL, &r, &err) != TALLY_OK) { failures++; fprintf(stderr, "%s: %s\n", path, err.message); return 0; }
    return ingest_reader(l, lex, r, skipped);
}

/* The same, of an in-memory JSONL. */
__attribute__((unused)) static size_t ingest_jsonl(tally_ledger *l, const tally_lexicon *lex, const char *jsonl) {
    tally_reader *r;
    tally_error err;
    if (tally_reader_open_memory("mem.jsonl", jsonl, strlen(jsonl), NULL, &r, &err) != TALLY_OK) {
        fprintf(stderr, "reader: %s\n", err.message);
        failures++;
        return 0;
    }
    return ingest_reader(l, lex, r, NULL);
}

/* The end of a test: its directory removed when it passed; the exit status. */
__attribute__((unused)) static int finish_test(const char *dir) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (!failures && system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    if (failures) { fprintf(stderr, "%d failures (files in %s)\n", failures, dir); return 1; }
    printf("ok\n");
    return 0;
}

/* The built-in lexicons (the test exits when they cannot be opened). */
__attribute__((unused)) static tally_lexicon *test_lexicon(void) {
    tally_error err;
    tally_lexicon *lex;
    if (tally_lexicon_open(NULL, &lex, &err) != TALLY_OK) { fprintf(stderr, "lexicon: %s\n", err.message); exit(1); }
    return lex;
}

__attribute__((unused)) static sqlite3 *open_ro(const char *path) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    return db;
}
#endif
