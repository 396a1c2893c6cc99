/* test_ledger_archive.c -- issue 13's acceptance, asserted on the database:
 * seeds + corpus + world-dev in one ledger: series of one frame each (the
 * 1994 war's toll apart from 2020's), no copy twice in a series, point
 * incidents that stay points, the seeds' story; a reviewer's rejection and
 * correction survive tally_ledger_relink and a rejected claim counts in no
 * incident; and ingest's work (statements, rows written) grows linearly
 * with a one-town archive. The shared data part skips when ../shared is
 * absent; the work part always runs. */
#include "ledger_test.h"
#include <sys/stat.h>
#include <time.h>

/* The invariants of issue 13 on any ledger. */
static void invariants(sqlite3 *db, const char *when) {
    CHECK(q_int(db, "SELECT count(*) FROM (SELECT 1 FROM timeline_v GROUP BY series_id, value, sentence"
                    " HAVING count(*) > 1)") == 0,
          "%s: no series holds two points with the same value and sentence", when);
    CHECK(q_int(db, "SELECT count(*) FROM incidents WHERE kind = 'incident'"
                    " AND julianday(last_day) - julianday(first_day) > 31") == 0,
          "%s: no point incident spans more than 31 days", when);
    CHECK(q_int(db, "SELECT count(*) FROM claims c JOIN incidents i ON i.id = c.incident_id WHERE i.kind = 'incident'"
                    " AND c.place_kind IN ('country', 'region', 'area')") == 0,
          "%s: no country- or region-level claim in a point incident", when);
    CHECK(q_int(db, "SELECT count(*) FROM incident_bounds_v v JOIN places p ON p.id = v.place_id"
                    " WHERE p.kind IN ('country', 'area') AND v.lat IS NOT NULL") == 0,
          "%s: no invented coordinates (a country's incidents have no point)", when);
    CHECK(q_int(db, "SELECT count(*) FROM export_ucdp u JOIN places p ON p.id = u.place_id"
                    " WHERE p.kind = 'country' AND (u.where_prec <> 6 OR u.latitude IS NOT NULL)") == 0,
          "%s: UCDP: a country's incident is where_prec 6, without coordinates", when);
    CHECK(q_int(db, "SELECT count(*) FROM claims WHERE same_as IS NOT NULL AND (incident_id IS NOT NULL"
                    " OR id IN (SELECT claim_id FROM series_points))") == 0,
          "%s: a copy is counted once, by the claim it copies", when);
    CHECK(q_int(db, "SELECT count(*) FROM claims WHERE review_status = 'rejected' AND (incident_id IS NOT NULL"
                    " OR id IN (SELECT claim_id FROM series_points) OR id IN (SELECT low_claim_id FROM incident_bounds)"
                    " OR id IN (SELECT best_claim_id FROM incident_bounds) OR id IN (SELECT high_claim_id FROM incident_bounds))") == 0,
          "%s: a rejected claim is in no incident and no series", when);
    /* the 1994 war, July 2020's clashes and the 2020 war: three series */
    CHECK(q_int(db, "SELECT count(*) FROM timeline_v a JOIN timeline_v b ON a.series_id = b.series_id"
                    " WHERE a.as_of < '1995-01-01' AND b.as_of >= '2020-01-01'") == 0,
          "%s: the 1994 figure and the 2020 figures are in different series", when);
    /* (the July clashes' 16 is an incident figure when its "since" is a
     * comparison: "the heaviest since clashes in July killed 16") */
    CHECK(q_int(db, "SELECT count(DISTINCT series_id) - count(*) FROM timeline_v WHERE claimant = 'Armenia'"
                    " AND outcome = 'killed' AND value IN (30000, 16, 24)") == 0,
          "%s: Armenia's 30,000 (1994), 16 (July 2020) and 24 (since 27 September) share no series", when);
    /* the contrast: "..., while the Azerbaijani authorities stated that more than 5,000 ..." */
    CHECK(q_int(db, "SELECT count(*) FROM claims WHERE count_low = 5001 AND instr(sentence, 'while the Azerbaijani authorities stated') > 0"
                    " AND claimant = 'Azerbaijani authorities'") >= 1,
          "%s: the contrastive 5,000+ is the Azerbaijani authorities' claim", when);
    CHECK(q_int(db, "SELECT count(*) FROM timeline_v WHERE down AND claimant = 'Armenia'") == 0,
          "%s: no fall that is no fall", when);
    /* the seeds' story */
    CHECK(q_int(db, "SELECT count(*) FROM incident_claims_v WHERE place = 'Ganja' AND kind = 'aggregate'"
                    " AND claimant = 'Prosecutor General of Azerbaijan' AND count_low IN (26, 143)") == 2,
          "%s: the PG's 26 killed and 143 injured in Ganja, an aggregate", when);
    CHECK(q_int(db, "SELECT count(*) FROM incident_claims_v WHERE place = 'Ganja' AND kind = 'incident'"
                    " AND claimant = 'Azerbaijani NGOs' AND count_low IN (1, 2, 4) AND first_day = '2020-10-04'") == 2,
          "%s: the NGOs' 1 killed and 4 injured on 4 October", when);
    static const char *const pts[][3] = {{"Azerbaijani NGOs", "23", "27"}, {"Prosecutor General of Azerbaijan", "27", "93"}};
    for (int i = 0; i < 2; i++)
        CHECK(q_int(db, "SELECT count(*) FROM timeline_v a JOIN timeline_v b ON a.series_id = b.series_id"
                        " AND a.as_of < b.as_of WHERE a.claimant = '%s' AND a.outcome = 'killed' AND a.victims = 'civilians'"
                        " AND a.value = %s AND b.value = %s", pts[i][0], pts[i][1], pts[i][2]) == 1,
              "%s: %s's %s -> %s in one series", when, pts[i][0], pts[i][1], pts[i][2]);
    CHECK(q_int(db, "SELECT count(*) FROM timeline_v WHERE claimant = 'Amnesty International' AND value = 146"
                    " AND victims = 'civilians'") == 1, "%s: Amnesty's 146", when);
}

static void shared_ledger(tally_lexicon *lex, const char *shared, const char *dir) {
    static const char *const files[] = {"seeds/seeds.jsonl", "corpus/dailymail-2020-violence.jsonl",
                                        "corpus/wikipedia-nk2020.jsonl", "dev/world-dev.jsonl", NULL};
    char path[512], db_path[512];
    snprintf(db_path, sizeof db_path, "%s/archive.db", dir);
    tally_error err;
    tally_ledger *l;
    if (tally_ledger_open(db_path, NULL, &l, &err) != TALLY_OK) { failures++; fprintf(stderr, "open: %s\n", err.message); return; }
    for (int i = 0; files[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", shared, files[i]);
        CHECK(ingest_path(l, lex, path, NULL) > 0, "%s stored", files[i]);
    }
    sqlite3 *db = open_ro(db_path);
    invariants(db, "ingest");
    CHECK(q_int(db, "SELECT count(*) FROM claims WHERE same_as IS NOT NULL") > 0, "copies are found");

    /* the reviewer: Amnesty's 21 in Ganja rejected, the NGOs' 1 killed corrected to 2 */
    long long amnesty = q_int(db, "SELECT claim_id FROM incident_claims_v WHERE place = 'Ganja' AND claimant = 'Amnesty International'"
                                  " AND count_low = 21");
    long long ngos = q_int(db, "SELECT claim_id FROM incident_claims_v WHERE place = 'Ganja' AND claimant = 'Azerbaijani NGOs'"
                               " AND outcome = 'killed' AND count_low = 1");
    CHECK(amnesty > 0 && ngos > 0, "the claims to review");
    CHECK(tally_ledger_review(l, amnesty, TALLY_LEDGER_REJECT, NULL, 0, "not Ganja's toll", "tester", &err) == TALLY_OK,
          "reject: %s", err.message);
    tally_ledger_field set[] = {{"count_low", "2"}, {"count_high", "2"}};
    CHECK(tally_ledger_review(l, ngos, TALLY_LEDGER_CORRECT, set, 2, NULL, "tester", &err) == TALLY_OK, "correct: %s", err.message);
    CHECK(tally_ledger_review(l, ngos, TALLY_LEDGER_CORRECT, (tally_ledger_field[]){{"place", "Baku"}}, 1, NULL, NULL, &err) ==
              TALLY_ERR_USAGE, "an unknown field is refused");
    CHECK(tally_ledger_review(l, ngos, TALLY_LEDGER_CORRECT, (tally_ledger_field[]){{"outcome", "dead"}}, 1, NULL, NULL, &err) ==
              TALLY_ERR_USAGE, "a bad value is refused");
    /* a series point rejected: the PG's 141 injured civilians */
    long long pg141 = q_int(db, "SELECT claim_id FROM timeline_v WHERE claimant = 'Prosecutor General of Azerbaijan'"
                                " AND outcome = 'injured' AND value = 141");
    CHECK(pg141 > 0 && tally_ledger_review(l, pg141, TALLY_LEDGER_REJECT, NULL, 0, NULL, "tester", &err) == TALLY_OK,
          "reject a point: %s", err.message);
    char bounds[2][4096];
    for (int round = 0; round < 2; round++) {
        const char *when = round ? "after relink" : "after review";
        if (round) CHECK(tally_ledger_relink(l, &err) == TALLY_OK, "relink: %s", err.message);
        CHECK(q_int(db, "SELECT count(*) FROM series_points WHERE claim_id = %lld", pg141) == 0, "%s: the rejected point left", when);
        CHECK(q_int(db, "SELECT count(*) FROM series WHERE n_points <> (SELECT count(*) FROM series_points p"
                        " WHERE p.series_id = series.id)") == 0, "%s: the series' counts", when);
        sqlite3_stmt *bs;
        bounds[round][0] = 0;
        if (sqlite3_prepare_v2(db, "SELECT group_concat(kind || first_day || last_day || outcome || victims || low || best || high, ';')"
                                   " FROM (SELECT * FROM incident_bounds_v WHERE place IN ('Ganja', 'Barda')"
                                   " ORDER BY place, first_day, outcome, victims)", -1, &bs, NULL) == SQLITE_OK &&
            sqlite3_step(bs) == SQLITE_ROW && sqlite3_column_text(bs, 0))
            snprintf(bounds[round], sizeof bounds[round], "%s", (const char *)sqlite3_column_text(bs, 0));
        sqlite3_finalize(bs);
        if (round) CHECK(!strcmp(bounds[0], bounds[1]), "Ganja's and Barda's bounds after the reviews are relink's");
        CHECK(q_int(db, "SELECT review_status = 'rejected' AND incident_id IS NULL FROM claims WHERE id = %lld", amnesty) == 1,
              "%s: the rejected claim is in no incident", when);
        CHECK(q_int(db, "SELECT count(*) FROM incident_bounds_v WHERE place = 'Ganja' AND 21 IN (low, best, high)"
                        " AND 'Amnesty International' IN (low_claimant, best_claimant, high_claimant)") == 0,
              "%s: Amnesty's 21 bounds nothing", when);
        CHECK(q_int(db, "SELECT count(*) FROM claims WHERE id = %lld AND review_status = 'corrected' AND count_low = 2"
                        " AND incident_id IS NOT NULL", ngos) == 1, "%s: the correction holds", when);
        CHECK(q_int(db, "SELECT count(*) FROM incident_bounds_v WHERE place = 'Ganja' AND outcome = 'killed'"
                        " AND best = 2 AND best_claimant = 'Azerbaijani NGOs'") == 1, "%s: the corrected figure is a bound", when);
        invariants(db, when);
    }
    CHECK(q_int(db, "SELECT count(*) FROM reviews WHERE reviewer = 'tester' AND reviewed_at IS NOT NULL") == 3, "the log");
    CHECK(q_int(db, "SELECT count(*) FROM review_fields WHERE field = 'count_low' AND value = '2' AND original = '1'") == 1,
          "the log keeps the value before");
    sqlite3_close(db);
    tally_ledger_close(l);
}

/* n one-claim documents about one town (each its own figure): statements
 * run and rows written while ingesting them. */
static void archive_work(tally_lexicon *lex, const char *dir, int n, uint64_t *statements, uint64_t *rows,
                         double *secs) {
    char path[512];
    snprintf(path, sizeof path, "%s/work-%d.db", dir, n);
    tally_error err;
    tally_ledger *l;
    if (tally_ledger_open(path, NULL, &l, &err) != TALLY_OK) { failures++; return; }
    tally_ledger_stats a, b;
    tally_ledger_stats_get(l, &a, &err);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(tally_ledger_begin(l, &err) == TALLY_OK, "%s", err.message);
    for (int i = 0; i < n; i++) {
        char text[128], id[32];
        int len = snprintf(text, sizeof text, "Officials said %d civilians were killed in Ganja on Monday.", i + 1);
        snprintf(id, sizeof id, "d%d", i);
        tally_doc doc = {.id = {id, strlen(id)}, .text = {text, (size_t)len}};
        doc.published = (tally_date){2020, 10, 7};
        tally_result *res;
        if (tally_extract(lex, &doc, NULL, &res, &err) != TALLY_OK) { failures++; break; }
        CHECK(tally_ledger_ingest_doc(l, &doc, res, NULL, NULL, &err) == TALLY_OK, "%s", err.message);
        tally_result_free(res);
        if ((i + 1) % 1000 == 0) {
            CHECK(tally_ledger_commit(l, &err) == TALLY_OK, "%s", err.message);
            CHECK(tally_ledger_begin(l, &err) == TALLY_OK, "%s", err.message);
        }
    }
    CHECK(tally_ledger_commit(l, &err) == TALLY_OK, "%s", err.message);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    tally_ledger_stats_get(l, &b, &err);
    *statements = b.statements - a.statements;
    *rows = b.rows_changed - a.rows_changed;
    *secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    tally_ledger_close(l);
    sqlite3 *db = open_ro(path);
    CHECK(q_int(db, "SELECT count(*) FROM incidents") == 1 && q_int(db, "SELECT n_claims FROM incidents") == n,
          "%d claims: one incident", n);
    CHECK(q_int(db, "SELECT low || '/' || high FROM incident_bounds") >= 0, "bounds");
    CHECK(q_int(db, "SELECT high FROM incident_bounds") == n && q_int(db, "SELECT low FROM incident_bounds") == 1,
          "%d claims: bounds 1..%d", n, n);
    sqlite3_close(db);
}

int main(void) {
    const char *shared = getenv("TALLY_SHARED");
    if (!shared) shared = "../shared";
    char dir[] = "/tmp/tally-ledger-archive-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    tally_error err;
    tally_lexicon *lex;
    if (tally_lexicon_open(NULL, &lex, &err) != TALLY_OK) { fprintf(stderr, "lexicon: %s\n", err.message); return 1; }

    uint64_t s1, r1, s2, r2;
    double t1, t2;
    archive_work(lex, dir, 1000, &s1, &r1, &t1);
    archive_work(lex, dir, 10000, &s2, &r2, &t2);
    printf("one-town archive: 1,000 documents: %llu statements, %llu rows, %.2f s;"
           " 10,000: %llu statements, %llu rows, %.2f s\n",
           (unsigned long long)s1, (unsigned long long)r1, t1, (unsigned long long)s2, (unsigned long long)r2, t2);
    /* linear: ten times the documents, at most ten times the work (and a little) */
    CHECK(s2 <= s1 * 11 && r2 <= r1 * 11, "work is linear: statements x%.2f, rows x%.2f", (double)s2 / (double)s1,
          (double)r2 / (double)r1);

    struct stat sb;
    char seeds[600];
    snprintf(seeds, sizeof seeds, "%s/seeds/seeds.jsonl", shared);
    if (stat(seeds, &sb) == 0) shared_ledger(lex, shared, dir);
    else printf("(shared data absent: %s; the archive part skipped)\n", seeds);
    tally_lexicon_close(lex);
    return finish_test(dir);
}
