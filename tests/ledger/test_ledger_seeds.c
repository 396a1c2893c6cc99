/* test_ledger_seeds.c -- issue 3's acceptance, asserted on the database:
 * ingest ../shared/seeds/seeds.jsonl, then the Ganja and Barda incidents
 * and the death-toll series must be there with their sources; the same
 * files again change nothing; ../shared/corpus/ ingests and the database
 * is sound. Skips (77) when ../shared is absent. */
#include "ledger_test.h"
#include <sys/stat.h>
#include <unistd.h>

/* A claim in an incident at place, with its evidence sentence holding the figure. */
static void incident_claim(sqlite3 *db, const char *place, const char *claimant, const char *outcome, int count,
                           const char *date_start, const char *date_end, const char *doc_prefix) {
    long long n = q_int(db,
                        "SELECT count(*) FROM incident_claims_v v JOIN claims c ON c.id = v.claim_id"
                        " WHERE v.place = '%s' AND v.claimant = '%s' AND v.outcome = '%s' AND v.count_low = %d"
                        " AND v.count_high = %d AND coalesce(v.date_start, '') = '%s' AND coalesce(v.date_end, '') = '%s'"
                        " AND v.doc LIKE '%s%%' AND instr(v.sentence, c.count_text) > 0 AND length(v.sentence) > 20",
                        place, claimant, outcome, count, count, date_start, date_end, doc_prefix);
    CHECK(n == 1, "%s: %s %s %d (%s..%s, doc %s) in an incident with its evidence (found %lld)", place, claimant,
          outcome, count, date_start, date_end, doc_prefix, n);
}

static void series_point(sqlite3 *db, const char *claimant_like, const char *as_of, int value, int rank) {
    long long n = q_int(db,
                        "SELECT count(*) FROM (SELECT value, as_of, row_number() OVER (PARTITION BY series_id"
                        " ORDER BY as_of, claim_id) AS k FROM timeline_v WHERE claimant LIKE '%s'"
                        " AND outcome = 'killed' AND victims = 'civilians')"
                        " WHERE value = %d AND as_of = '%s' AND k = %d",
                        claimant_like, value, as_of, rank);
    CHECK(n == 1, "series %s: point %d = %d as of %s", claimant_like, rank, value, as_of);
}

int main(void) {
    const char *shared = getenv("TALLY_SHARED");
    char seeds[512], corpus[512];
    snprintf(seeds, sizeof seeds, "%s/seeds/seeds.jsonl", shared ? shared : "../shared");
    snprintf(corpus, sizeof corpus, "%s/corpus", shared ? shared : "../shared");
    struct stat sb;
    if (stat(seeds, &sb) != 0) { printf("SKIP: %s not found\n", seeds); return 77; }

    char dir[] = "/tmp/tally-ledger-seeds-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[256], cpath[256];
    snprintf(path, sizeof path, "%s/seeds.db", dir);
    snprintf(cpath, sizeof cpath, "%s/corpus.db", dir);
    tally_error err;
    tally_lexicon *lex;
    if (tally_lexicon_open(NULL, &lex, &err) != TALLY_OK) { fprintf(stderr, "lexicon: %s\n", err.message); return 1; }
    tally_ledger *l;
    if (tally_ledger_open(path, NULL, &l, &err) != TALLY_OK) { fprintf(stderr, "open: %s\n", err.message); return 1; }
    size_t skipped = 0;
    CHECK(ingest_path(l, lex, seeds, &skipped) == 5 && !skipped, "the 5 seeds stored");
    sqlite3 *db = open_ro(path);

    /* Ganja: the PG's 26 killed / 143 injured (5-17 October), Amnesty's 21
     * killed on 17 October, the NGOs' 1 killed / 4 injured on 4 October. */
    incident_claim(db, "Ganja", "Prosecutor General of Azerbaijan", "killed", 26, "2020-10-05", "2020-10-17", "000_");
    incident_claim(db, "Ganja", "Prosecutor General of Azerbaijan", "injured", 143, "2020-10-05", "2020-10-17", "000_");
    incident_claim(db, "Ganja", "Amnesty International", "killed", 21, "2020-10-17", "2020-10-17", "002_");
    incident_claim(db, "Ganja", "Azerbaijani NGOs", "killed", 1, "2020-10-04", "2020-10-04", "003_");
    incident_claim(db, "Ganja", "Azerbaijani NGOs", "injured", 4, "2020-10-04", "2020-10-04", "003_");
    /* the PG's aggregate is its own incident, not merged into the 17 October strike */
    CHECK(q_int(db, "SELECT count(DISTINCT incident_id) FROM claims WHERE place = 'Ganja' AND outcome = 'killed'"
                    " AND count_low IN (26, 21)") == 2, "the aggregate and the strike are two incidents");
    CHECK(q_int(db, "SELECT count(*) FROM incident_overlaps WHERE aggregate_place = 'Ganja' AND first_day = '2020-10-17'") == 1,
          "the 5-17 October aggregate is shown beside the 17 October strike");
    /* each bound names its source */
    CHECK(q_int(db, "SELECT count(*) FROM incident_bounds_v WHERE place = 'Ganja' AND outcome = 'killed' AND best = 21"
                    " AND best_claimant = 'Amnesty International' AND best_doc LIKE '002_%%'") == 1, "Amnesty's 21 is a bound");
    /* Barda: 26 killed / 90 injured attributed to Amnesty, in the PG's letter (doc 000) */
    incident_claim(db, "Barda", "Amnesty International", "killed", 26, "", "", "000_");
    incident_claim(db, "Barda", "Amnesty International", "injured", 90, "", "", "000_");
    CHECK(q_int(db, "SELECT count(*) FROM incident_bounds_v WHERE place = 'Barda' AND outcome = 'injured' AND high = 90"
                    " AND high_claimant = 'Amnesty International' AND high_doc LIKE '000_%%'") == 1, "Barda's 90 injured");

    /* the timelines */
    series_point(db, "Azerbaijani NGOs", "2020-10-04", 23, 1);
    series_point(db, "Azerbaijani NGOs", "2020-10-08", 27, 2);
    series_point(db, "Prosecutor General of Azerbaijan", "2020-10-07", 27, 1);
    CHECK(q_int(db, "SELECT count(*) FROM timeline_v WHERE claimant = 'Prosecutor General of Azerbaijan' AND outcome = 'killed'"
                    " AND victims = 'civilians' AND value = 93 AND as_of > '2020-11-08' AND doc LIKE '000_%%'") == 1,
          "the PG's 93, after 27");
    series_point(db, "Amnesty International", "2021-01-14", 146, 1);
    CHECK(q_int(db, "SELECT count(*) FROM actors WHERE name = 'Azerbaijani NGOs' AND role = 'aligned' AND side = 'AZ'") == 1,
          "the NGOs are aligned with AZ");
    CHECK(q_int(db, "SELECT count(*) FROM actors WHERE name = 'Amnesty International' AND role = 'third'") == 1,
          "Amnesty is a third party");

    /* the same files again: nothing changes */
    char sum1[65], sum2[65];
    db_checksum(db, sum1);
    skipped = 0;
    CHECK(ingest_path(l, lex, seeds, &skipped) == 0, "nothing stored twice");
    db_checksum(db, sum2);
    CHECK(!strcmp(sum1, sum2), "re-ingest leaves the database unchanged");
    sqlite3_close(db);
    tally_ledger_close(l);

    /* the corpus ingests; the database is sound and every view answers */
    if (stat(corpus, &sb) == 0) {
        CHECK(tally_ledger_open(cpath, NULL, &l, &err) == TALLY_OK, "open corpus db");
        skipped = 0;
        size_t n = ingest_path(l, lex, corpus, &skipped);
        CHECK(n > 200, "corpus stored (%zu documents, %zu skipped)", n, skipped);
        tally_ledger_close(l);
        db = open_ro(cpath);
        CHECK(q_int(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1, "integrity");
        CHECK(q_int(db, "SELECT count(*) FROM documents") == (long long)n, "every stored document");
        static const char *const views[] = {"claims_v", "incident_bounds_v", "incident_claims_v", "incident_overlaps",
                                            "timeline_v", "series_disagreements", "sources_v", "export_acled",
                                            "export_ucdp", NULL};
        for (int i = 0; views[i]; i++) CHECK(q_int(db, "SELECT count(*) >= 0 FROM %s", views[i]) == 1, "%s", views[i]);
        CHECK(q_int(db, "SELECT count(*) FROM claims WHERE incident_id IS NOT NULL AND incident_id NOT IN (SELECT id FROM incidents)") == 0,
              "no claim points to a deleted incident");
        sqlite3_close(db);
    }
    tally_lexicon_close(lex);
    return finish_test(dir);
}
