/* gen_claims.c -- a ledger database of N synthetic claims (default 1,000,000)
 * for bench/ledger.sh: the schema is made by tally_ledger_open (so it is the
 * current one, docs/schema.md), then documents, claims, places, actors,
 * incidents, bounds and series are written directly with SQL in a few
 * transactions, consistent with one another and with the views: every claim
 * is a sentence of its document at its byte offsets; incident claims share a
 * place and a day; incident_bounds name the claims that state the low, best
 * and high figures; cumulative claims form one series per claimant, outcome
 * and victims, with `down` flags. Deterministic (a fixed seed).
 *
 *   gen_claims DB [N]
 *
 * The other mode measures the storing side of `tally ingest` on its own:
 * every document of the files is read and extracted first (untimed), then
 * stored into DB as `tally ingest` stores them (the already-stored check,
 * then tally_ledger_ingest_doc, committing every 1000 documents), in one
 * thread; it prints the documents, the claims and the seconds of each phase
 * (check, ingest_doc: documents, claims, links and the FTS5 rows written
 * every 64 documents; commit: the commits with the last FTS5 rows).
 *
 *   gen_claims --store DB FILE...
 *
 * Built by bench/ledger.sh against build/libtally.a (it uses the library's
 * SHA-256 for documents.content_hash). */
#include "tally_ledger.h"
#include "store/sha256.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n) { /* xorshift64*, n > 0 */
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

static sqlite3 *db;
static void die(const char *what) {
    fprintf(stderr, "gen_claims: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}
static void exec(const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "gen_claims: %s\n  in: %.200s\n", msg ? msg : "?", sql);
        exit(1);
    }
}
static sqlite3_stmt *prep(const char *sql) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) die(sql);
    return s;
}
static void step(sqlite3_stmt *s) {
    if (sqlite3_step(s) != SQLITE_DONE) die("insert");
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

/* days since 2019-01-01 -> "YYYY-MM-DD" (n >= 0) */
static void day_str(int n, char out[11]) {
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 2019;
    if (n < 0) n = 0;
    for (;;) {
        int yl = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365;
        if (n < yl) break;
        n -= yl;
        y++;
    }
    int m = 0;
    for (;; m++) {
        int ml = mdays[m] + (m == 1 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
        if (n < ml) break;
        n -= ml;
    }
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)(m + 1) % 100u, ud = (unsigned)(n + 1) % 100u;
    snprintf(out, 11, "%04u-%02u-%02u", uy, um, ud);
}

#define NPLACES 2000   /* 1 in 10 a district, the parent of the 9 towns after it */
#define NACTORS 300
#define NDAYS 1461     /* 2019-01-01 .. 2022-12-31 */
#define PER_DOC 5

static const char *const countries[] = {"AZ", "AM", "UA", "SY", "YE", "PS"};
static const char *const aligns[] = {"party:AZ", "party:AM", "party:UA", "aligned:UA", "third", "third"};
static const char *const outcomes[] = {"killed", "killed", "killed", "injured", "injured", "missing", "detained", "displaced"};
static const char *const victims[] = {"people", "civilians", "military", "civilians"};
static const char *const weapons[] = {"ballistic_missile", "artillery", "airstrike", "drone", "rocket", NULL, NULL};
static const char *const days_w[] = {"on Monday", "on Tuesday", "on Wednesday", "overnight", "on Friday", "yesterday"};

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static tally_str copy_str(tally_str s) {
    char *p = malloc(s.len + 1);
    if (!p) { fprintf(stderr, "gen_claims: out of memory\n"); exit(1); }
    if (s.len) memcpy(p, s.ptr, s.len);
    p[s.len] = 0;
    return (tally_str){p, s.len};
}

typedef struct extracted {
    tally_doc doc;
    tally_result *res;
} extracted;

static int store_mode(int argc, char **argv) {
    const char *path = argv[2];
    tally_error err;
    tally_lexicon *lex;
    if (tally_lexicon_open(NULL, &lex, &err) != TALLY_OK) { fprintf(stderr, "gen_claims: %s\n", err.message); return 1; }
    size_t n = 0, cap = 1024, nclaims = 0, nstored = 0;
    extracted *x = malloc(cap * sizeof *x);
    double t0 = now_s();
    for (int f = 3; f < argc && x; f++) {
        tally_reader *r;
        if (tally_reader_open(argv[f], NULL, &r, &err) != TALLY_OK) { fprintf(stderr, "gen_claims: %s\n", err.message); return 1; }
        tally_doc d;
        tally_status st;
        while ((st = tally_reader_next(r, &d, &err)) != TALLY_DONE) {
            if (st != TALLY_OK) continue;
            if (n == cap) {
                extracted *x2 = realloc(x, (cap *= 2) * sizeof *x);
                if (!x2) { fprintf(stderr, "gen_claims: out of memory\n"); return 1; }
                x = x2;
            }
            x[n].doc = d;
            x[n].doc.id = copy_str(d.id);
            x[n].doc.text = copy_str(d.text);
            x[n].doc.title = copy_str(d.title);
            x[n].doc.source = copy_str(d.source);
            x[n].doc.url = copy_str(d.url);
            if (tally_extract(lex, &x[n].doc, NULL, &x[n].res, &err) != TALLY_OK) continue;
            n++;
        }
        tally_reader_close(r);
    }
    if (!x) { fprintf(stderr, "gen_claims: out of memory\n"); return 1; }
    double t1 = now_s();
    remove(path);
    tally_ledger *l;
    if (tally_ledger_open(path, NULL, &l, &err) != TALLY_OK) { fprintf(stderr, "gen_claims: %s\n", err.message); return 1; }
    double t2 = now_s();
    /* the seconds of: the already-stored check; storing and linking (with
     * the FTS rows every 64 documents); the commits (with the batch's last
     * FTS rows) */
    double t_check = 0, t_store = 0, t_commit = 0, a, b;
    int ok = tally_ledger_begin(l, &err) == TALLY_OK;
    for (size_t i = 0; i < n && ok; i++) {
        int found = 0, stored = 0;
        size_t k = 0;
        a = now_s();
        ok = tally_ledger_contains(l, &x[i].doc, &found, &err) == TALLY_OK;
        b = now_s();
        t_check += b - a;
        if (ok && !found) ok = tally_ledger_ingest_doc(l, &x[i].doc, x[i].res, &stored, &k, &err) == TALLY_OK;
        a = now_s();
        t_store += a - b;
        nclaims += k;
        nstored += (size_t)stored;
        if (ok && (i + 1) % 1000 == 0) {
            ok = tally_ledger_commit(l, &err) == TALLY_OK && tally_ledger_begin(l, &err) == TALLY_OK;
            t_commit += now_s() - a;
        }
    }
    a = now_s();
    if (ok) ok = tally_ledger_commit(l, &err) == TALLY_OK;
    double t3 = now_s();
    t_commit += t3 - a;
    tally_ledger_close(l);
    double t4 = now_s();
    if (!ok) { fprintf(stderr, "gen_claims: %s\n", err.message); return 1; }
    printf("%zu documents %zu stored %zu claims extract %.3f s store %.3f s check %.3f s ingest_doc %.3f s"
           " commit %.3f s close %.3f s\n",
           n, nstored, nclaims, t1 - t0, t3 - t2, t_check, t_store, t_commit, t4 - t3);
    for (size_t i = 0; i < n; i++) {
        tally_result_free(x[i].res);
        free((void *)x[i].doc.id.ptr);
        free((void *)x[i].doc.text.ptr);
        free((void *)x[i].doc.title.ptr);
        free((void *)x[i].doc.source.ptr);
        free((void *)x[i].doc.url.ptr);
    }
    free(x);
    tally_lexicon_close(lex);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "--store")) {
        if (argc < 4) { fprintf(stderr, "usage: gen_claims --store DB FILE...\n"); return 2; }
        return store_mode(argc, argv);
    }
    if (argc < 2) { fprintf(stderr, "usage: gen_claims DB [N]\n"); return 2; }
    const char *path = argv[1];
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    if (n < PER_DOC) n = PER_DOC;
    remove(path);

    tally_ledger *l = NULL;
    tally_error err;
    if (tally_ledger_open(path, NULL, &l, &err) != TALLY_OK) { fprintf(stderr, "gen_claims: %s\n", err.message); return 1; }
    tally_ledger_close(l);
    if (sqlite3_open(path, &db) != SQLITE_OK) die("open");
    exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;");

    /* ---- places and actors ---- */
    exec("BEGIN");
    /* places keyed by (gazetteer id, kind); a town's admin1 is its district */
    sqlite3_stmt *s = prep("INSERT INTO places(id, gazetteer_id, kind, name, country, admin1, lat, lon, admin, parent_id)"
                           " VALUES(?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    char district[48] = "";
    for (int i = 1; i <= NPLACES; i++) {
        char name[48];
        int admin = (i - 1) % 10 == 0;
        const char *cc = countries[((i - 1) / 10) % 6];
        if (admin) snprintf(name, sizeof name, "Town %d District", i + 1);
        else snprintf(name, sizeof name, "Town %d", i);
        if (admin) snprintf(district, sizeof district, "%s", name);
        sqlite3_bind_int(s, 1, i);
        sqlite3_bind_text(s, 2, admin ? "district" : "town", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 4, cc, -1, SQLITE_STATIC);
        if (admin) sqlite3_bind_null(s, 5);
        else sqlite3_bind_text(s, 5, district, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(s, 6, 30.0 + rnd(2000) / 100.0);
        sqlite3_bind_double(s, 7, 30.0 + rnd(2000) / 100.0);
        sqlite3_bind_int(s, 8, admin);
        if (!admin) sqlite3_bind_int(s, 9, i - (i - 1) % 10);
        else sqlite3_bind_null(s, 9);
        step(s);
    }
    sqlite3_finalize(s);
    s = prep("INSERT INTO actors(id, name, alignment, role, side) VALUES(?1, ?2, ?3, ?4, ?5)");
    sqlite3_stmt *al = prep("INSERT INTO actor_aliases(alias, actor_id) VALUES(?1, ?2)");
    for (int i = 1; i <= NACTORS; i++) {
        char name[48], alias[64];
        const char *a = aligns[i % 6];
        snprintf(name, sizeof name, "Claimant %d", i);
        snprintf(alias, sizeof alias, "the office of Claimant %d", i);
        sqlite3_bind_int(s, 1, i);
        sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, a, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, !strncmp(a, "party", 5) ? "party" : !strncmp(a, "aligned", 7) ? "aligned" : "third", -1, SQLITE_STATIC);
        if (strchr(a, ':')) sqlite3_bind_text(s, 5, strchr(a, ':') + 1, -1, SQLITE_STATIC);
        step(s);
        sqlite3_bind_text(al, 1, alias, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(al, 2, i);
        step(al);
    }
    sqlite3_finalize(s);
    sqlite3_finalize(al);
    exec("COMMIT");

    /* ---- documents and claims ---- */
    long ndocs = (n + PER_DOC - 1) / PER_DOC;
    /* incident pools per day: about 8 claims an incident, 12 an aggregate */
    long inc_per_day = (long)(n * 0.80 / 8 / NDAYS) + 1, agg_per_day = (long)(n * 0.05 / 12 / NDAYS) + 1;
    sqlite3_stmt *sd = prep("INSERT INTO documents(id, doc, content_hash, source, title, url, published,"
                            " reference_date, reference_basis, ingested_at, bytes, n_claims, text)"
                            " VALUES(?1, ?2, ?3, 'Synthetic', ?4, NULL, ?5, ?5, 'published',"
                            " '2024-01-01T00:00:00Z', ?6, ?7, ?8)");
    sqlite3_stmt *sc = prep("INSERT INTO claims(document_id, seq, doc, start, \"end\", sentence, outcome, count_low,"
                            " count_high, qualifier, victims, scope, place, country, lat, lon, place_text, place_start,"
                            " place_end, date_start, date_end, date_text, date_span_start, date_span_end, claimant,"
                            " claimant_alignment, claimant_text, claimant_start, claimant_end, perpetrator, weapon,"
                            " weapon_name, count_text, count_start, count_end, first_day, last_day, place_id,"
                            " claimant_id, perpetrator_id, incident_id, sentence_key)"
                            " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,NULL,?10,?11,?12,?13,NULL,NULL,?14,?15,?16,?35,?17,?18,"
                            "?19,?20,?21,?22,?21,?23,?24,?25,?26,NULL,?27,?28,?29,?17,?17,?30,?31,?32,?33,?34)");
    exec("BEGIN");
    long claim = 0;
    char text[2048];
    for (long d = 1; d <= ndocs; d++) {
        int pday = (int)((d - 1) * NDAYS / ndocs);
        char pub[11], docid[32], title[64];
        day_str(pday, pub);
        snprintf(docid, sizeof docid, "gen-%ld", d);
        snprintf(title, sizeof title, "Report %ld", d);
        size_t len = 0;
        int k = 0;
        for (; k < PER_DOC && claim < n; k++, claim++) {
            /* one sentence a claim */
            unsigned r = rnd(100);
            const char *scope = r < 80 ? "incident" : r < 85 ? "aggregate" : "cumulative";
            int cum = scope[0] == 'c';
            int day = pday - (int)rnd(3);
            if (day < 0) day = 0;
            char dstr[11];
            day_str(day, dstr);
            long inc = 0;
            int place = 0;
            if (!cum) {
                long slot = scope[0] == 'i' ? (long)rnd((uint32_t)inc_per_day) : (long)rnd((uint32_t)agg_per_day);
                inc = scope[0] == 'i' ? (long)day * inc_per_day + slot + 1
                                      : (long)NDAYS * inc_per_day + (long)day * agg_per_day + slot + 1;
                place = (int)((uint64_t)inc * 2654435761u % NPLACES) + 1;
                if (scope[0] == 'a' && (place - 1) % 10) place -= (place - 1) % 10; /* aggregates at districts */
            }
            int actor = (int)rnd(NACTORS) + 1;
            int perp = (int)rnd(NACTORS) + 1;
            const char *outc = cum ? outcomes[rnd(4)] : outcomes[rnd(8)];
            const char *vict = victims[rnd(4)];
            const char *weap = cum ? NULL : weapons[rnd(7)];
            long count = cum ? 10 + pday * 3 + (long)rnd(60) : 1 + (long)rnd(r < 70 ? 20 : 400);
            char claimant[48], placename[48], ctext[24];
            snprintf(claimant, sizeof claimant, "Claimant %d", actor);
            if (place) {
                if ((place - 1) % 10 == 0) snprintf(placename, sizeof placename, "Town %d District", place + 1);
                else snprintf(placename, sizeof placename, "Town %d", place);
            }
            snprintf(ctext, sizeof ctext, "%ld", count);
            const char *dw = days_w[rnd(6)];
            size_t start = len;
            /* "<claimant> said <count> <victims> were <outcome> in <place> <day>." */
            size_t cl_s = len;
            len += (size_t)snprintf(text + len, sizeof text - len, "%s", claimant);
            size_t cl_e = len;
            len += (size_t)snprintf(text + len, sizeof text - len, " said %s", cum ? "a total of " : "");
            size_t cn_s = len;
            len += (size_t)snprintf(text + len, sizeof text - len, "%s", ctext);
            size_t cn_e = len;
            len += (size_t)snprintf(text + len, sizeof text - len, " %s were %s", vict, outc);
            size_t pl_s = 0, pl_e = 0;
            if (place) {
                len += (size_t)snprintf(text + len, sizeof text - len, " in ");
                pl_s = len;
                len += (size_t)snprintf(text + len, sizeof text - len, "%s", placename);
                pl_e = len;
            }
            len += (size_t)snprintf(text + len, sizeof text - len, " ");
            size_t dt_s = len;
            len += (size_t)snprintf(text + len, sizeof text - len, "%s", dw);
            size_t dt_e = len;
            len += (size_t)snprintf(text + len, sizeof text - len, ".");
            size_t end = len;
            len += (size_t)snprintf(text + len, sizeof text - len, " ");

            sqlite3_bind_int64(sc, 1, d);
            sqlite3_bind_int(sc, 2, k);
            sqlite3_bind_text(sc, 3, docid, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(sc, 4, (sqlite3_int64)start);
            sqlite3_bind_int64(sc, 5, (sqlite3_int64)end);
            sqlite3_bind_text(sc, 6, text + start, (int)(end - start), SQLITE_TRANSIENT);
            sqlite3_bind_text(sc, 7, outc, -1, SQLITE_STATIC);
            sqlite3_bind_int64(sc, 8, count);
            sqlite3_bind_int64(sc, 9, count);
            sqlite3_bind_text(sc, 10, vict, -1, SQLITE_STATIC);
            sqlite3_bind_text(sc, 11, scope, -1, SQLITE_STATIC);
            if (place) {
                sqlite3_bind_text(sc, 12, placename, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(sc, 13, countries[((place - 1) / 10) % 6], -1, SQLITE_STATIC);
                sqlite3_bind_text(sc, 14, placename, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(sc, 15, (sqlite3_int64)pl_s);
                sqlite3_bind_int64(sc, 16, (sqlite3_int64)pl_e);
                sqlite3_bind_int(sc, 30, place);
                sqlite3_bind_int64(sc, 33, inc);
            }
            sqlite3_bind_text(sc, 17, dstr, -1, SQLITE_TRANSIENT);
            /* a running total is "as of" its day (no period start: one series a claimant and subject) */
            if (!cum) sqlite3_bind_text(sc, 35, dstr, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sc, 18, dw, -1, SQLITE_STATIC);
            sqlite3_bind_int64(sc, 19, (sqlite3_int64)dt_s);
            sqlite3_bind_int64(sc, 20, (sqlite3_int64)dt_e);
            sqlite3_bind_text(sc, 21, claimant, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sc, 22, aligns[actor % 6], -1, SQLITE_STATIC);
            sqlite3_bind_int64(sc, 23, (sqlite3_int64)cl_s);
            sqlite3_bind_int64(sc, 24, (sqlite3_int64)cl_e);
            if (!cum) {
                char pname[48];
                snprintf(pname, sizeof pname, "Claimant %d", perp);
                sqlite3_bind_text(sc, 25, pname, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int(sc, 32, perp);
            }
            if (weap) sqlite3_bind_text(sc, 26, weap, -1, SQLITE_STATIC);
            sqlite3_bind_text(sc, 27, ctext, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(sc, 28, (sqlite3_int64)cn_s);
            sqlite3_bind_int64(sc, 29, (sqlite3_int64)cn_e);
            sqlite3_bind_int(sc, 31, actor);
            { /* the copy key of schema 3 (src/store/ledger.c: outcome, victims, figures, place, sentence) */
                char parts[2400], h[65];
                int pn = snprintf(parts, sizeof parts, "%s\x1f%s\x1f%ld\x1f%ld\x1f%s\x1f%.*s", outc, vict, count, count,
                                  place ? placename : "", (int)(end - start), text + start);
                tly_sha256_hex(parts, (size_t)pn, h);
                sqlite3_bind_text(sc, 34, h, 32, SQLITE_TRANSIENT);
            }
            step(sc);
        }
        if (len) len--; /* the last space */
        char hash[65];
        tly_sha256_hex(text, len, hash);
        sqlite3_bind_int64(sd, 1, d);
        sqlite3_bind_text(sd, 2, docid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(sd, 3, hash, 64, SQLITE_TRANSIENT);
        sqlite3_bind_text(sd, 4, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(sd, 5, pub, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(sd, 6, (sqlite3_int64)len);
        sqlite3_bind_int(sd, 7, k);
        sqlite3_bind_text(sd, 8, text, (int)len, SQLITE_TRANSIENT);
        step(sd);
        if (d % 20000 == 0) { exec("COMMIT"); exec("BEGIN"); }
    }
    sqlite3_finalize(sd);
    sqlite3_finalize(sc);
    exec("COMMIT");

    /* ---- incidents, bounds, series: derived with SQL ---- */
    exec("BEGIN");
    /* the claim keys and place kinds of schema 3 */
    exec("UPDATE claims SET claim_key = (SELECT d.content_hash FROM documents d WHERE d.id = claims.document_id)"
         " || ':' || start || ':' || count_start || ':' || outcome,"
         " place_kind = (SELECT p.kind FROM places p WHERE p.id = claims.place_id)");
    exec("INSERT INTO incidents(id, kind, place_id, first_day, last_day, doc_first, doc_last, window_first,"
         " window_last, n_claims)"
         " SELECT c.incident_id, min(c.scope), min(c.place_id), min(c.first_day), max(c.last_day),"
         " min(d.reference_date), max(d.reference_date), min(c.first_day), max(c.last_day), count(*)"
         " FROM claims c JOIN documents d ON d.id = c.document_id"
         " WHERE c.incident_id IS NOT NULL GROUP BY c.incident_id");
    exec("INSERT INTO incident_bounds(incident_id, outcome, victims, n_claims, low, low_claim_id, best,"
         " best_claim_id, high, high_claim_id, high_open)"
         " SELECT incident_id, outcome, victims, max(n),"
         "  max(CASE WHEN rl = 1 THEN count_low END), max(CASE WHEN rl = 1 THEN id END),"
         "  max(CASE WHEN rl = (n + 1) / 2 THEN count_low END), max(CASE WHEN rl = (n + 1) / 2 THEN id END),"
         "  max(CASE WHEN rh = 1 THEN count_high END), max(CASE WHEN rh = 1 THEN id END), 0"
         " FROM (SELECT incident_id, outcome, victims, id, count_low, count_high,"
         "   row_number() OVER (PARTITION BY incident_id, outcome, victims ORDER BY count_low, id) AS rl,"
         "   row_number() OVER (PARTITION BY incident_id, outcome, victims ORDER BY count_high DESC, id) AS rh,"
         "   count(*) OVER (PARTITION BY incident_id, outcome, victims) AS n"
         "   FROM claims WHERE incident_id IS NOT NULL)"
         " GROUP BY incident_id, outcome, victims");
    exec("INSERT INTO series(claimant_id, claimant, outcome, victims, n_points)"
         " SELECT claimant_id, claimant, outcome, victims, count(*) FROM claims"
         " WHERE scope = 'cumulative' GROUP BY claimant_id, outcome, victims");
    exec("INSERT INTO series_points(claim_id, series_id, as_of, period_start, value, count_low, count_high,"
         " down, differs)"
         " SELECT id, series_id, last_day, NULL, count_low, count_low, count_high,"
         "  coalesce(count_low < lag(count_low) OVER w, 0), 0"
         " FROM (SELECT c.id, s.id AS series_id, c.last_day, c.count_low, c.count_high FROM claims c"
         "   JOIN series s ON s.claimant_id = c.claimant_id AND s.outcome = c.outcome AND s.victims = c.victims"
         "   WHERE c.scope = 'cumulative')"
         " WINDOW w AS (PARTITION BY series_id ORDER BY last_day, id)");
    exec("UPDATE series_points SET differs = (SELECT count(*) FROM series_points y JOIN series sy ON sy.id = y.series_id"
         " JOIN series sx ON sx.id = series_points.series_id"
         " WHERE y.as_of = series_points.as_of AND y.series_id <> series_points.series_id"
         " AND sy.outcome = sx.outcome AND sy.victims = sx.victims"
         " AND (y.count_high < series_points.count_low OR series_points.count_high < y.count_low))");
    exec("COMMIT");
    if (!getenv("GEN_CLAIMS_NO_FTS")) exec("INSERT INTO documents_fts(documents_fts) VALUES('rebuild')");
    exec("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);");
    sqlite3_close(db);
    printf("%ld claims, %ld documents\n", claim, ndocs);
    return 0;
}
