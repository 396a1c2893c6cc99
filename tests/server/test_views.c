/* test_views.c -- the ledger's views of the web report (issue 14,
 * TALLY_LEDGER_VIEW_*: every filter, paging, counts, search text as
 * people type it) and the escapers the pages and exports write with
 * (tly_html_str, tly_csv_field). A small ledger of sentences written for
 * this test. */
#include "../ledger/ledger_test.h"
#include "util/buf.h"
#include <unistd.h>

typedef struct rows { size_t n; char first[300]; char all[4096]; const char *col; } rows;

static int take(void *ctx, const tally_ledger_row *r) {
    rows *o = ctx;
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(r->names[i], o->col)) {
            const char *v = r->values[i] ? r->values[i] : "NULL";
            if (!o->n) snprintf(o->first, sizeof o->first, "%s", v);
            size_t len = strlen(o->all);
            snprintf(o->all + len, sizeof o->all - len, "%s|", v);
        }
    o->n++;
    return 0;
}

static rows run(tally_ledger *l, tally_ledger_query q, const tally_ledger_filter *f, const char *col, tally_status *st) {
    rows o;
    memset(&o, 0, sizeof o);
    o.col = col;
    tally_error err;
    *st = tally_ledger_query_rows(l, q, f, take, &o, &err);
    if (*st) snprintf(o.first, sizeof o.first, "%s", err.message);
    return o;
}

static long long count(tally_ledger *l, tally_ledger_query q, const tally_ledger_filter *f) {
    tally_status st;
    rows o = run(l, q, f, "n", &st);
    CHECK(st == TALLY_OK && o.n == 1, "count: %s", o.first);
    return atoll(o.first);
}

static void escapers(void) {
    tly_buf b;
    tly_buf_init(&b, NULL);
    const char hostile[] = "<script>alert('x')</script> & \"q\" \x01\x7f ok\xff";
    tly_html_str(&b, hostile, sizeof hostile - 1);
    tly_buf_putc(&b, 0);
    CHECK(!strcmp(b.data, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;  ok\xEF\xBF\xBD"), "html: %s", b.data);
    b.len = 0;
    tly_csv_field(&b, "=HYPERLINK(\"x\")", 15, TLY_CSV_TEXT);
    tly_buf_putc(&b, '|');
    tly_csv_field(&b, "-5", 2, 0);
    tly_buf_putc(&b, '|');
    tly_csv_field(&b, "@sum", 4, TLY_CSV_TEXT);
    tly_buf_putc(&b, '|');
    tly_csv_field(&b, "a,b", 3, TLY_CSV_TEXT);
    tly_buf_putc(&b, 0);
    CHECK(!strcmp(b.data, "\"'=HYPERLINK(\"\"x\"\")\"|-5|'@sum|\"a,b\""), "csv: %s", b.data);
    tly_buf_free(&b);
}

static const char docs[] =
    "{\"id\":\"ua1\",\"published\":\"2022-03-02\",\"source\":\"Wire One\",\"url\":\"https://example.org/ua1\","
    "\"text\":\"Kharkiv, March 1, 2022. Shelling killed 9 civilians in Kharkiv on Tuesday, the regional governor said.\"}\n"
    "{\"id\":\"ua2\",\"published\":\"2022-04-09\",\"source\":\"Wire Two\","
    "\"text\":\"Kramatorsk, April 8, 2022. A missile strike killed 52 people at the Kramatorsk railway station on Friday, Ukrainian officials said.\"}\n"
    "{\"id\":\"az1\",\"published\":\"2020-10-12\",\"source\":\"Paper Three\","
    "\"text\":\"Ganja, October 11, 2020. Amnesty International said that 10 civilians were killed in Ganja in the Nagorno-Karabakh conflict on Sunday.\"}\n"
    "{\"id\":\"az2\",\"published\":\"2020-10-18\",\"source\":\"Paper Four\","
    "\"text\":\"Ganja, October 17, 2020. Azerbaijani officials said 13 civilians were killed in Ganja on Saturday. Amnesty's researchers and U.S. officials called for an inquiry.\"}\n";

int main(void) {
    escapers();
    char dir[] = "/tmp/tally-views-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[128];
    snprintf(path, sizeof path, "%s/v.db", dir);
    tally_error err;
    tally_lexicon *lex;
    if (tally_lexicon_open(NULL, &lex, &err) != TALLY_OK) { fprintf(stderr, "lexicon: %s\n", err.message); return 1; }
    tally_ledger *l;
    if (tally_ledger_open(path, NULL, &l, &err) != TALLY_OK) { fprintf(stderr, "open: %s\n", err.message); return 1; }
    CHECK(ingest_jsonl(l, lex, docs) == 4, "4 documents");

    tally_status st;
    tally_ledger_filter f;
    memset(&f, 0, sizeof f);
    long long claims = count(l, TALLY_LEDGER_VIEW_CLAIMS_COUNT, &f), incs = count(l, TALLY_LEDGER_VIEW_INCIDENTS_COUNT, &f);
    CHECK(claims >= 4 && incs >= 3, "claims %lld, incidents %lld", claims, incs);
    rows all = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "claim_id", &st);
    CHECK(st == TALLY_OK && (long long)all.n == claims, "the claims view holds its count (%zu)", all.n);

    /* country (any case), dates */
    f.country = "ua";
    rows ua = run(l, TALLY_LEDGER_VIEW_INCIDENTS, &f, "country", &st);
    CHECK(st == TALLY_OK && ua.n == 2 && !strcmp(ua.all, "UA|UA|"), "incidents of UA: %s", ua.all);
    CHECK(count(l, TALLY_LEDGER_VIEW_INCIDENTS_COUNT, &f) == 2, "their count");
    tally_date_parse("2022-04", 7, &f.since);
    rows apr = run(l, TALLY_LEDGER_VIEW_INCIDENTS, &f, "place", &st);
    CHECK(apr.n == 1 && !strcmp(apr.first, "Kramatorsk"), "UA since April 2022: %s", apr.all);
    memset(&f, 0, sizeof f);
    f.country = "AZ";
    tally_date_parse("2020-10-15", 10, &f.until);
    rows early = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "count_low", &st);
    CHECK(early.n == 1 && !strcmp(early.first, "10"), "AZ claims until 2020-10-15: %s", early.all);

    /* the claimant's alignment: third (Amnesty), party */
    memset(&f, 0, sizeof f);
    f.alignment = "third";
    rows third = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "claimant", &st);
    CHECK(third.n >= 1 && strstr(third.all, "Amnesty"), "third-party claims: %s", third.all);
    f.alignment = "party";
    rows party = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "claimant_alignment", &st);
    CHECK(party.n >= 1 && !strstr(party.all, "third"), "party claims: %s", party.all);

    /* victims; victims_side needs schema 4 (or is filtered on when it is there) */
    memset(&f, 0, sizeof f);
    f.victims = "people";
    rows people = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "count_low", &st);
    CHECK(people.n == 1 && !strcmp(people.first, "52"), "victims people: %s", people.all);
    f.victims = NULL;
    f.victims_side = "AZ";
    run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "claim_id", &st);
    CHECK(st == TALLY_OK || st == TALLY_ERR_USAGE, "victims_side: filtered or refused, never a database error");

    /* paging: offset and limit, newest first; pages do not overlap */
    memset(&f, 0, sizeof f);
    f.limit = 2;
    rows p1 = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "claim_id", &st);
    f.offset = 2;
    rows p2 = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "claim_id", &st);
    CHECK(p1.n == 2 && p2.n >= 1 && strcmp(p1.first, p2.first) && !strstr(p1.all, p2.first), "pages: %s / %s", p1.all, p2.all);

    /* search text as typed: hyphens, apostrophes, dots, FTS5 syntax words */
    const char *const texts[] = {"Nagorno-Karabakh", "Amnesty's", "U.S.", "AND", "\"unterminated", "-", "NEAR(", "Gan*"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        memset(&f, 0, sizeof f);
        f.query = texts[i];
        rows d = run(l, TALLY_LEDGER_VIEW_DOCUMENTS, &f, "doc", &st);
        CHECK(st == TALLY_OK, "search '%s': %s", texts[i], d.first);
        long long n = count(l, TALLY_LEDGER_VIEW_DOCUMENTS_COUNT, &f);
        CHECK(n == (long long)d.n, "search '%s': the count %lld is the rows %zu", texts[i], n, d.n);
        if (i < 3) CHECK(d.n >= 1, "search '%s' finds a document", texts[i]);
        if (i == 0) {
            rows c = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "count_low", &st);
            rows in = run(l, TALLY_LEDGER_VIEW_INCIDENTS, &f, "place", &st);
            CHECK(c.n >= 1 && in.n >= 1 && !strcmp(in.first, "Ganja"), "Nagorno-Karabakh: claims %s, incidents %s", c.all, in.all);
        }
    }
    memset(&f, 0, sizeof f);
    f.query = "fts:Ganja NOT Kharkiv";
    rows fts = run(l, TALLY_LEDGER_VIEW_DOCUMENTS, &f, "doc", &st);
    CHECK(st == TALLY_OK && fts.n == 2, "fts: syntax when asked: %s", fts.all);

    /* one incident's, one document's claims */
    memset(&f, 0, sizeof f);
    f.country = "AZ";
    rows az = run(l, TALLY_LEDGER_VIEW_INCIDENTS, &f, "incident_id", &st);
    memset(&f, 0, sizeof f);
    f.incident_id = atoll(az.first);
    rows ofinc = run(l, TALLY_LEDGER_VIEW_CLAIMS, &f, "incident_id", &st);
    CHECK(ofinc.n >= 1 && !strncmp(ofinc.all, az.first, strlen(az.first)), "claims of incident %s: %s", az.first, ofinc.all);

    /* the series and claimants views answer (this ledger may have no series) */
    memset(&f, 0, sizeof f);
    rows tl = run(l, TALLY_LEDGER_VIEW_TIMELINE, &f, "series_id", &st);
    CHECK(st == TALLY_OK && count(l, TALLY_LEDGER_VIEW_TIMELINE_COUNT, &f) >= 0, "timeline view: %s", tl.first);
    rows cl = run(l, TALLY_LEDGER_VIEW_CLAIMANTS, &f, "claimant", &st);
    CHECK(st == TALLY_OK && cl.n >= 2, "claimants view: %s", cl.all);

    tally_ledger_close(l);
    tally_lexicon_close(lex);
    return finish_test(dir);
}
