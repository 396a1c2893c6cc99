/* test_ledger_paging.c -- `tally incidents`, the GeoJSON bounds and
 * `tally timeline` are listed page by page (src/store/sqlite_query.c); they must
 * give exactly the rows, in exactly the order, of the plain one-statement
 * queries. Both are run on random ledgers written straight into the schema
 * with the awkward cases: place names equal but for case, the same name in
 * two countries, a district and its towns, undated incidents (sorted by
 * their documents' dates, or NULL), many incidents on one day, claims and
 * series with no claimant, points with no as-of day or the same one; for
 * every combination of filters and several limits. Also: the indexes of a
 * database made by an earlier tally are created on a read-write open. */
#include "ledger_test.h"
#include <unistd.h>

void tly_query_set_paging(int on);

static uint64_t rng;
static unsigned rnd(unsigned n) {
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return (unsigned)((rng * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

static sqlite3 *db;
static void exec(const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sql: %s\n  in: %.300s\n", msg ? msg : "?", sql);
        failures++;
    }
    sqlite3_free(msg);
}

static void day(int n, char out[11]) { /* 2021-01-01 + n, n < 365 */
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 0;
    while (n >= md[m]) n -= md[m++];
    snprintf(out, 11, "2021-%02u-%02u", (unsigned)(m + 1) % 100u, (unsigned)(n + 1) % 100u);
}

static const char *const place_names[] = {"Alpha", "alpha", "ALPHA", "Beta", "Beta District", "Gamma",
                                          "Gamma", "delta", "Delta District", "Epsilon", "Zeta", "Eta"};
static const char *const outcomes[] = {"killed", "injured", "killed", "missing"};
static const char *const victims[] = {"civilians", "military", "people"};

/* A random ledger: places, actors, documents, claims, then incidents,
 * bounds and series derived from the claims with SQL. */
static void make_ledger(const char *path, uint64_t seed, int nclaims) {
    rng = seed;
    tally_ledger *l;
    tally_error err;
    CHECK(tally_ledger_open(path, NULL, &l, &err) == TALLY_OK, "open: %s", err.message);
    tally_ledger_close(l);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK, "open");
    exec("BEGIN");
    int nplaces = (int)(sizeof place_names / sizeof place_names[0]);
    for (int i = 0; i < nplaces; i++) {
        char sql[512];
        const char *n = place_names[i];
        int admin = strstr(n, "District") != NULL;
        snprintf(sql, sizeof sql,
                 "INSERT INTO places(id, gazetteer_id, name, country, lat, lon, admin) VALUES(%d, '%s (%c%c)',"
                 " '%s', '%c%c', %d.5, %d.25, %d)",
                 i + 1, n, 'A' + i % 3, 'Z', n, 'A' + i % 3, 'Z', 40 + i, 45 + i, admin);
        exec(sql);
    }
    exec("UPDATE places SET parent_id = (SELECT id FROM places WHERE name = 'Beta District') WHERE name = 'Beta';"
         "UPDATE places SET parent_id = (SELECT id FROM places WHERE name = 'Delta District') WHERE name = 'delta';");
    for (int i = 1; i <= 15; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO actors(id, name, alignment, role, side) VALUES(%d, 'Claimant %d', %s);"
                 "INSERT INTO actor_aliases(alias, actor_id) VALUES('the office of claimant %d', %d);",
                 i, i, i % 3 ? "'party:AZ', 'party', 'AZ'" : "NULL, NULL, NULL", i, i);
        exec(sql);
    }
    int ndocs = nclaims / 5 + 1;
    for (int d = 1; d <= ndocs; d++) {
        char sql[512], ref[11];
        day((int)rnd(300), ref);
        int noref = rnd(10) == 0;
        snprintf(sql, sizeof sql,
                 "INSERT INTO documents(id, doc, content_hash, title, reference_date, ingested_at, bytes, text)"
                 " VALUES(%d, 'd%d', 'h%d', %s, %s%s%s, 'now', 10, 'text %d')",
                 d, d, d, rnd(4) ? "'a title'" : "NULL", noref ? "" : "'", noref ? "NULL" : ref, noref ? "" : "'", d);
        exec(sql);
    }
    /* incidents: a place each, a base day; claims pick one */
    int ninc = nclaims / 4 + 1;
    int *inc_place = calloc((size_t)ninc + 1, sizeof *inc_place), *inc_day = calloc((size_t)ninc + 1, sizeof *inc_day);
    for (int i = 1; i <= ninc; i++) {
        inc_place[i] = (int)rnd((unsigned)nplaces) + 1;
        inc_day[i] = rnd(5) ? (int)rnd(40) * 7 : -1; /* -1: undated; multiples of 7: many on one day */
    }
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO claims(id, document_id, seq, doc, start, \"end\", sentence, outcome, count_low,"
                           " count_high, victims, scope, place, date_start, date_end, claimant, count_text,"
                           " count_start, count_end, first_day, last_day, place_id, claimant_id, incident_id)"
                           " VALUES(?1, ?2, ?1, 'd' || ?2, 0, 4, 'sentence ' || ?1, ?3, ?4, ?5, ?6, ?7,"
                           " (SELECT name FROM places WHERE id = ?8), ?9, ?10, (SELECT name FROM actors WHERE id = ?11),"
                           " '1', 0, 1, ?9, ?10, ?8, ?11, ?12)",
                           -1, &ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    for (int c = 1; c <= nclaims; c++) {
        char f[11] = "", la[11] = "";
        int doc = (int)rnd((unsigned)ndocs) + 1;
        unsigned r = rnd(10);
        const char *scope = r < 6 ? "incident" : r < 8 ? "aggregate" : "cumulative";
        int cum = scope[0] == 'c', inc = cum ? 0 : (int)rnd((unsigned)ninc) + 1;
        int dated = cum ? rnd(6) != 0 : inc_day[inc] >= 0;
        if (dated) {
            int d0 = cum ? (int)rnd(20) * 5 : inc_day[inc] + (int)rnd(3);
            day(d0, f);
            day(d0 + (rnd(4) == 0 ? (int)rnd(9) : 0), la);
        }
        int claimant = rnd(8) ? (int)rnd(15) + 1 : 0;
        int place = inc ? inc_place[inc] : (rnd(3) ? (int)rnd((unsigned)nplaces) + 1 : 0);
        int low = (int)rnd(50), high = low + (int)rnd(3);
        sqlite3_bind_int(ins, 1, c);
        sqlite3_bind_int(ins, 2, doc);
        sqlite3_bind_text(ins, 3, outcomes[rnd(4)], -1, SQLITE_STATIC);
        if (rnd(8)) sqlite3_bind_int(ins, 4, low);
        if (rnd(8)) sqlite3_bind_int(ins, 5, high);
        sqlite3_bind_text(ins, 6, victims[rnd(3)], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 7, scope, -1, SQLITE_STATIC);
        if (place) sqlite3_bind_int(ins, 8, place);
        if (dated) {
            sqlite3_bind_text(ins, 9, f, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 10, la, -1, SQLITE_TRANSIENT);
        }
        if (claimant) sqlite3_bind_int(ins, 11, claimant);
        if (inc) sqlite3_bind_int(ins, 12, inc);
        if (sqlite3_step(ins) != SQLITE_DONE) { fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db)); failures++; }
        sqlite3_reset(ins);
        sqlite3_clear_bindings(ins);
    }
    sqlite3_finalize(ins);
    free(inc_place);
    free(inc_day);
    /* incidents from their claims, like the linker: days, documents' days, window */
    exec("INSERT INTO incidents(id, kind, place_id, first_day, last_day, doc_first, doc_last, n_claims)"
         " SELECT c.incident_id, min(c.scope), min(c.place_id), min(c.first_day), max(c.last_day),"
         " min(d.reference_date), max(d.reference_date), count(*)"
         " FROM claims c JOIN documents d ON d.id = c.document_id"
         " WHERE c.incident_id IS NOT NULL GROUP BY c.incident_id;"
         "UPDATE incidents SET window_first = CASE WHEN first_day IS NOT NULL THEN first_day"
         "  ELSE date(doc_first, '-7 days') END, window_last = coalesce(last_day, doc_last);");
    exec("INSERT INTO incident_bounds(incident_id, outcome, victims, n_claims, low, low_claim_id, best,"
         " best_claim_id, high, high_claim_id, high_open)"
         " SELECT incident_id, outcome, victims, max(n),"
         "  max(CASE WHEN rl = 1 THEN count_low END), max(CASE WHEN rl = 1 THEN id END),"
         "  max(CASE WHEN rl = (n + 1) / 2 THEN count_low END), max(CASE WHEN rl = (n + 1) / 2 THEN id END),"
         "  max(CASE WHEN rh = 1 THEN count_high END), max(CASE WHEN rh = 1 THEN id END), max(count_high IS NULL)"
         " FROM (SELECT incident_id, outcome, victims, id, count_low, count_high,"
         "   row_number() OVER (PARTITION BY incident_id, outcome, victims ORDER BY count_low, id) AS rl,"
         "   row_number() OVER (PARTITION BY incident_id, outcome, victims ORDER BY count_high DESC, id) AS rh,"
         "   count(*) OVER (PARTITION BY incident_id, outcome, victims) AS n"
         "   FROM claims WHERE incident_id IS NOT NULL)"
         " GROUP BY incident_id, outcome, victims");
    exec("INSERT INTO series(claimant_id, claimant, outcome, victims, n_points)"
         " SELECT claimant_id, claimant, outcome, victims, count(*) FROM claims"
         " WHERE scope = 'cumulative' GROUP BY claimant_id, outcome, victims;"
         "INSERT INTO series_points(claim_id, series_id, as_of, period_start, value, count_low, count_high, down, differs)"
         " SELECT c.id, s.id, coalesce(c.last_day, d.reference_date), c.first_day, coalesce(c.count_low, c.count_high),"
         "  c.count_low, c.count_high, c.id % 3 = 0, c.id % 5 = 0"
         " FROM claims c JOIN documents d ON d.id = c.document_id"
         " JOIN series s ON s.claimant_id IS c.claimant_id AND s.outcome = c.outcome AND s.victims = c.victims"
         " WHERE c.scope = 'cumulative'");
    exec("COMMIT");
    sqlite3_close(db);
    db = NULL;
}

/* Every row of a query, serialized, with a hash of the lot. */
typedef struct rows {
    char *buf;
    size_t len, cap, n;
} rows;

static int collect(void *ctx, const tally_ledger_row *r) {
    rows *o = ctx;
    for (size_t i = 0; i <= r->ncols; i++) {
        char cell[600];
        int k = i < r->ncols ? snprintf(cell, sizeof cell, "%s=%s%c", r->names[i], r->values[i] ? r->values[i] : "\\N",
                                        i + 1 < r->ncols ? '|' : '\n')
                             : 0;
        if (k <= 0) continue;
        if (o->len + (size_t)k + 1 > o->cap) {
            o->cap = (o->cap + (size_t)k) * 2;
            o->buf = realloc(o->buf, o->cap);
            if (!o->buf) exit(1);
        }
        memcpy(o->buf + o->len, cell, (size_t)k);
        o->len += (size_t)k;
        o->buf[o->len] = 0;
    }
    o->n++;
    return 0;
}

static size_t compared, nonempty;

static void compare(tally_ledger *l, tally_ledger_query q, const tally_ledger_filter *f, const char *what) {
    rows a = {0}, b = {0};
    tally_error err;
    tly_query_set_paging(0);
    tally_status s1 = tally_ledger_query_rows(l, q, f, collect, &a, &err);
    CHECK(s1 == TALLY_OK, "%s plain: %s", what, err.message);
    tly_query_set_paging(1);
    tally_status s2 = tally_ledger_query_rows(l, q, f, collect, &b, &err);
    CHECK(s2 == TALLY_OK, "%s paged: %s", what, err.message);
    int same = a.n == b.n && a.len == b.len && (!a.len || !memcmp(a.buf, b.buf, a.len));
    CHECK(same, "%s: plain %zu rows, paged %zu rows, differ", what, a.n, b.n);
    if (!same && a.buf && b.buf) {
        size_t i = 0;
        while (i < a.len && i < b.len && a.buf[i] == b.buf[i]) i++;
        size_t s = i > 200 ? i - 200 : 0;
        fprintf(stderr, "  plain: ...%.400s\n  paged: ...%.400s\n", a.buf + s, b.buf + s);
    }
    compared++;
    nonempty += a.n > 0;
    free(a.buf);
    free(b.buf);
}

static void compare_all(const char *path, int full) {
    tally_ledger *l;
    tally_error err;
    CHECK(tally_ledger_open(path, &(tally_ledger_options){.flags = TALLY_LEDGER_READONLY}, &l, &err) == TALLY_OK, "open: %s",
          err.message);
    static const tally_ledger_query qs[] = {TALLY_LEDGER_INCIDENTS, TALLY_LEDGER_BOUNDS, TALLY_LEDGER_TIMELINE};
    static const char *const qn[] = {"incidents", "bounds", "timeline"};
    static const char *const places[] = {NULL, "alpha", "Beta District", "Gamma (BZ)", "nowhere"};
    static const char *const claimants[] = {NULL, "claimant 1", "office of claimant 3"};
    static const char *const outs[] = {NULL, "killed", "missing"};
    static const char *const sinces[] = {NULL, "2021-03-01", "2021-05", "2021-02-12"};
    static const char *const untils[] = {NULL, "2021-06-30", "2021-02", "2021-02-12"};
    static const size_t limits[] = {0, 1, 3, 17, 100};
    for (int qi = 0; qi < 3; qi++)
        for (int pi = 0; pi < (full ? 5 : 2); pi++)
            for (int ci = 0; ci < (full ? 3 : 2); ci++)
                for (int oi = 0; oi < 3; oi++)
                    for (int si = 0; si < 4; si++)
                        for (int ui = 0; ui < 4; ui++) {
                            /* the full cross product of dates only without place and claimant */
                            if ((pi || ci) && si != ui && si && ui) continue;
                            for (int li = 0; li < 5; li++) {
                                if (li && (pi || ci || oi) && li != 2) continue;
                                if (li && !full && li != 2) continue;
                                tally_ledger_filter f;
                                memset(&f, 0, sizeof f);
                                f.place = places[pi];
                                f.claimant = claimants[ci];
                                f.outcome = outs[oi];
                                if (sinces[si]) tally_date_parse(sinces[si], strlen(sinces[si]), &f.since);
                                if (untils[ui]) tally_date_parse(untils[ui], strlen(untils[ui]), &f.until);
                                f.limit = limits[li];
                                char what[256];
                                snprintf(what, sizeof what, "%s place=%s claimant=%s outcome=%s since=%s until=%s limit=%zu",
                                         qn[qi], f.place ? f.place : "-", f.claimant ? f.claimant : "-",
                                         f.outcome ? f.outcome : "-", sinces[si] ? sinces[si] : "-",
                                         untils[ui] ? untils[ui] : "-", f.limit);
                                compare(l, qs[qi], &f, what);
                            }
                        }
    tally_ledger_close(l);
}

/* A stop from the callback stops a paged query too, with "stopped". */
static int stop_at_3(void *ctx, const tally_ledger_row *r) {
    (void)r;
    return ++*(int *)ctx >= 3;
}

int main(void) {
    char dir[] = "/tmp/tally-paging-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[256];
    for (int round = 0; round < 2; round++) {
        snprintf(path, sizeof path, "%s/r%d.db", dir, round);
        make_ledger(path, 0x9E3779B97F4A7C15ull + (uint64_t)round * 7919, round == 1 ? 900 : 300);
        compare_all(path, 1);
    }
    CHECK(nonempty > compared / 3, "most comparisons have rows (%zu of %zu)", nonempty, compared);

    tally_ledger *l;
    tally_error err;
    CHECK(tally_ledger_open(path, NULL, &l, &err) == TALLY_OK, "open");
    int seen = 0;
    CHECK(tally_ledger_query_rows(l, TALLY_LEDGER_INCIDENTS, NULL, stop_at_3, &seen, &err) == TALLY_ERR_IO &&
              !strcmp(err.message, "stopped") && seen == 3,
          "a paged query stops when asked (%d rows)", seen);
    tally_ledger_close(l);

    /* a database of an earlier tally (no new indexes): read-only it answers
     * the same; a read-write open adds the indexes and changes nothing else */
    sqlite3 *d;
    CHECK(sqlite3_open(path, &d) == SQLITE_OK, "open");
    char before[65], after[65];
    sqlite3_exec(d, "DROP INDEX incidents_span; DROP INDEX series_name;", NULL, NULL, NULL);
    CHECK(q_int(d, "SELECT count(*) FROM sqlite_master WHERE name IN ('incidents_span', 'series_name')") == 0, "dropped");
    db_checksum(d, before);
    compare_all(path, 0);
    CHECK(tally_ledger_open(path, NULL, &l, &err) == TALLY_OK, "open read-write: %s", err.message);
    tally_ledger_close(l);
    CHECK(q_int(d, "SELECT count(*) FROM sqlite_master WHERE name IN ('incidents_span', 'series_name')") == 2,
          "a read-write open creates the missing indexes");
    CHECK(q_int(d, "PRAGMA user_version") == TALLY_LEDGER_SCHEMA_VERSION, "the schema version stays");
    db_checksum(d, after);
    CHECK(!strcmp(before, after), "and changes no row");
    sqlite3_close(d);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    printf("%zu comparisons (%zu with rows)\n", compared, nonempty);
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    printf("ok\n");
    return 0;
}
