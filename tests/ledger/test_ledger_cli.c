/* test_ledger_cli.c -- the ledger commands of the tally CLI on small texts
 * written for this test: ingest (exit status, a bad document among good
 * ones, re-ingest), the query commands in every format, and the exports
 * checked with a CSV parser and a JSON parser written here.
 * usage: test_ledger_cli path/to/tally */
#include "ledger_test.h"
#include <ctype.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *tally;
static char dir[64], dbpath[128];

/* Runs "tally ARGS" with stdout to a buffer; returns the exit status. */
static int run(char **out, const char *args) {
    char cmd[1024], outp[160];
    snprintf(outp, sizeof outp, "%s/out.txt", dir);
    snprintf(cmd, sizeof cmd, "'%s' %s > '%s' 2> '%s/err.txt'", tally, args, outp, dir);
    int rc = system(cmd);
    rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    if (out) {
        FILE *f = fopen(outp, "rb");
        size_t cap = 1 << 16, n = 0;
        *out = malloc(cap);
        if (f && *out) {
            size_t k;
            while ((k = fread(*out + n, 1, cap - n - 1, f)) > 0) {
                n += k;
                if (n + 1 == cap) { cap *= 2; *out = realloc(*out, cap); }
            }
        }
        if (*out) (*out)[n] = 0;
        if (f) fclose(f);
    }
    return rc;
}

static void write_file(const char *name, const char *data, size_t len) {
    char p[256];
    snprintf(p, sizeof p, "%s/in/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(data, 1, len, f) != len) { perror(p); exit(1); }
    fclose(f);
}

/* ---- RFC 4180 CSV: returns the number of records, or -1 when a record's
 * field count differs from the header's (or quoting is broken). ---- */
static long csv_check(const char *s, size_t *ncols_out, char header[][64], size_t maxh) {
    size_t ncols = 0, fields = 0;
    long records = 0;
    const char *p = s;
    while (*p) {
        /* one field */
        size_t flen = 0;
        char fbuf[64];
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p) return -1; /* unterminated quote */
                if (*p == '"') {
                    if (p[1] == '"') { p += 2; if (flen < 63) fbuf[flen++] = '"'; continue; }
                    p++;
                    break;
                }
                if (flen < 63) fbuf[flen++] = *p;
                p++;
            }
            if (*p && *p != ',' && *p != '\r' && *p != '\n') return -1; /* text after the closing quote */
        } else {
            while (*p && *p != ',' && *p != '\r' && *p != '\n') {
                if (*p == '"') return -1; /* a quote inside an unquoted field */
                if (flen < 63) fbuf[flen++] = *p;
                p++;
            }
        }
        fbuf[flen] = 0;
        if (records == 0 && fields < maxh) memcpy(header[fields], fbuf, flen + 1);
        fields++;
        if (*p == ',') { p++; continue; }
        if (*p == '\r') p++;
        if (*p == '\n') p++;
        if (records == 0) ncols = fields;
        else if (fields != ncols) return -1;
        records++;
        fields = 0;
    }
    if (fields) return -1;
    *ncols_out = ncols;
    return records;
}

/* ---- a small JSON parser into a tree ---- */
typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jval {
    jtype t;
    double num;
    char *str;          /* J_STR, and the key when inside an object */
    struct jval *kids;  /* J_ARR, J_OBJ */
    size_t n;
    char *key;
} jval;

static const char *jp;
static int jerr;

static void ws(void) { while (*jp == ' ' || *jp == '\n' || *jp == '\r' || *jp == '\t') jp++; }

static char *jstring(void) {
    if (*jp != '"') { jerr = 1; return NULL; }
    jp++;
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    while (*jp && *jp != '"') {
        char c = *jp++;
        if ((unsigned char)c < 0x20) { jerr = 1; break; }
        if (c == '\\') {
            c = *jp++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++)
                    if (!isxdigit((unsigned char)*jp++)) jerr = 1;
                c = '?';
            } else if (c == 'n') c = '\n';
            else if (c == 't') c = '\t';
            else if (c == 'r') c = '\r';
            else if (c == 'b' || c == 'f') c = ' ';
            else if (c != '"' && c != '\\' && c != '/') jerr = 1;
        }
        if (n + 2 > cap) { cap *= 2; s = realloc(s, cap); }
        s[n++] = c;
    }
    if (*jp != '"') jerr = 1;
    else jp++;
    s[n] = 0;
    return s;
}

static void jparse(jval *v) {
    memset(v, 0, sizeof *v);
    ws();
    if (*jp == '{' || *jp == '[') {
        int obj = *jp == '{';
        v->t = obj ? J_OBJ : J_ARR;
        jp++;
        ws();
        if (*jp == (obj ? '}' : ']')) { jp++; return; }
        for (;;) {
            v->kids = realloc(v->kids, (v->n + 1) * sizeof *v->kids);
            char *key = NULL;
            if (obj) {
                ws();
                key = jstring();
                ws();
                if (*jp++ != ':') { jerr = 1; free(key); return; }
            }
            jparse(&v->kids[v->n]);
            v->kids[v->n++].key = key;
            if (jerr) return;
            ws();
            if (*jp == ',') { jp++; continue; }
            if (*jp == (obj ? '}' : ']')) { jp++; return; }
            jerr = 1;
            return;
        }
    } else if (*jp == '"') {
        v->t = J_STR;
        v->str = jstring();
    } else if (!strncmp(jp, "null", 4)) { v->t = J_NULL; jp += 4; }
    else if (!strncmp(jp, "true", 4)) { v->t = J_BOOL; v->num = 1; jp += 4; }
    else if (!strncmp(jp, "false", 5)) { v->t = J_BOOL; jp += 5; }
    else {
        char *end;
        if (*jp == '+' || *jp == '.') { jerr = 1; return; }
        v->t = J_NUM;
        v->num = strtod(jp, &end);
        if (end == jp || !isfinite(v->num)) jerr = 1;
        jp = end;
    }
}

static void jfree(jval *v) {
    for (size_t i = 0; i < v->n; i++) jfree(&v->kids[i]);
    free(v->kids);
    free(v->str);
    free(v->key);
}

static const jval *jget(const jval *o, const char *key) {
    if (!o || o->t != J_OBJ) return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (o->kids[i].key && !strcmp(o->kids[i].key, key)) return &o->kids[i];
    return NULL;
}

static int parse_json(const char *s, jval *v) {
    jp = s;
    jerr = 0;
    jparse(v);
    ws();
    return !jerr && !*jp;
}

/* every line a JSON object; returns the number of lines, -1 on a bad line */
static long jsonl_check(char *s, const char *must_key) {
    long n = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        jval v;
        int ok = parse_json(line, &v) && v.t == J_OBJ && (!must_key || jget(&v, must_key));
        jfree(&v);
        if (!ok) { fprintf(stderr, "bad JSON line: %s\n", line); return -1; }
        n++;
    }
    return n;
}

static const char *const DOCS =
    "{\"id\":\"c1\",\"published\":\"2020-10-05\",\"title\":\"Strike, \\\"again\\\"\",\"text\":\"A missile strike on Ganja on 4 October killed 3 civilians and injured 12, the Interior Ministry of Azerbaijan said, calling it \\\"a crime\\\".\"}\n"
    "{\"id\":\"c2\",\"text\": not json at all\n"
    "{\"id\":\"c3\",\"published\":\"2020-10-06\",\"title\":\"Ganja\",\"text\":\"The missile strike on Ganja on 4 October killed 5 civilians, Human Rights Watch said.\"}\n"
    "{\"id\":\"c4\",\"published\":\"2020-10-12\",\"text\":\"Since the start of the war, 35 civilians have been killed in total, the Prosecutor General of Azerbaijan said on Monday.\"}\n";

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: test_ledger_cli path/to/tally\n"); return 2; }
    tally = argv[1];
    snprintf(dir, sizeof dir, "/tmp/tally-ledger-cli-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
    char p[256], args[512];
    snprintf(p, sizeof p, "%s/in", dir);
    mkdir(p, 0700);
    write_file("a.jsonl", DOCS, strlen(DOCS));
    write_file("b-bad.txt", "Valid start \xff\xfe then shelling killed 4 civilians.\n", 47);
    const char *tovuz = "Shelling of Tovuz on 12 October killed 6 civilians, the Interior Ministry of Azerbaijan said.\n";
    write_file("c-good.txt", tovuz, strlen(tovuz));

    /* ingest: the bad documents are skipped (exit 3), the others kept */
    snprintf(args, sizeof args, "ingest --db '%s' '%s/in'", dbpath, dir);
    CHECK(run(NULL, args) == 3, "exit status 3 when documents are skipped");
    sqlite3 *db = open_ro(dbpath);
    CHECK(q_int(db, "SELECT count(*) FROM documents") == 4, "4 good documents stored");
    CHECK(q_int(db, "SELECT count(*) FROM documents WHERE doc IN ('c1', 'c3', 'c4', 'c-good')") == 4, "by id");
    CHECK(q_int(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1, "integrity");
    char sum1[65], sum2[65];
    db_checksum(db, sum1);
    CHECK(run(NULL, args) == 3, "the same bad documents again");
    db_checksum(db, sum2);
    CHECK(!strcmp(sum1, sum2), "ingesting the same files twice leaves the database unchanged");
    /* $TALLY_DB is the default database */
    char *out = NULL;
    snprintf(args, sizeof args, "claims --json");
    setenv("TALLY_DB", dbpath, 1);
    CHECK(run(&out, args) == 0, "claims with $TALLY_DB");
    CHECK(jsonl_check(out, "sentence") == 5, "5 claims as JSON Lines");
    free(out);
    unsetenv("TALLY_DB");

    /* the query commands, every format */
    static const char *const cmds[] = {"claims", "incidents", "timeline", "sources", "search Ganja", NULL};
    for (int i = 0; cmds[i]; i++) {
        snprintf(args, sizeof args, "%s --db '%s'", cmds[i], dbpath);
        CHECK(run(&out, args) == 0 && strlen(out) > 0, "%s (table)", cmds[i]);
        free(out);
        snprintf(args, sizeof args, "%s --json --db '%s'", cmds[i], dbpath);
        CHECK(run(&out, args) == 0 && jsonl_check(out, NULL) > 0, "%s --json", cmds[i]);
        free(out);
        snprintf(args, sizeof args, "%s --csv --db '%s'", cmds[i], dbpath);
        size_t ncols = 0;
        char header[64][64];
        CHECK(run(&out, args) == 0 && csv_check(out, &ncols, header, 64) > 1, "%s --csv", cmds[i]);
        free(out);
    }
    snprintf(args, sizeof args, "incidents --db '%s' --place Ganja --outcome killed --json", dbpath);
    CHECK(run(&out, args) == 0 && jsonl_check(out, "low") == 2, "incidents filtered: the 2 Ganja killed claims");
    free(out);
    snprintf(args, sizeof args, "claims --db '%s' --claimant 'human rights' --since 2020-10 --until 2020-10-31 --json", dbpath);
    CHECK(run(&out, args) == 0 && jsonl_check(out, NULL) == 1, "claims filtered by claimant and dates");
    free(out);
    snprintf(args, sizeof args, "claims --db '%s' --since 2020-13", dbpath);
    CHECK(run(NULL, args) == 2, "a bad date is a usage error");
    snprintf(args, sizeof args, "search --db '%s' 'AND AND'", dbpath);
    CHECK(run(NULL, args) == 2, "a bad search query is a usage error");
    snprintf(args, sizeof args, "claims --db '%s/none/x.db'", dir);
    CHECK(run(NULL, args) == 1, "a database that cannot be opened is fatal");

    /* exports */
    static const struct { const char *fmt; const char *cols; } csvs[] = {
        /* the codebooks' columns, in their order (docs/schema.md) */
        {"acled", "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
                  "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
                  "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
                  "notes,fatalities,tags,timestamp"},
        {"ucdp", "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
                 "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
                 "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,"
                 "source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,"
                 "latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,"
                 "date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"},
        {"csv", NULL},
        {NULL, NULL}};
    for (int i = 0; csvs[i].fmt; i++) {
        snprintf(args, sizeof args, "export --db '%s' --format %s", dbpath, csvs[i].fmt);
        CHECK(run(&out, args) == 0, "export %s", csvs[i].fmt);
        size_t ncols = 0;
        char header[64][64];
        long recs = csv_check(out, &ncols, header, 64);
        CHECK(recs > 1, "export %s: CSV parses, every row with the header's column count (%ld)", csvs[i].fmt, recs);
        if (csvs[i].cols) {
            char joined[1024] = "";
            for (size_t k = 0; k < ncols && k < 64; k++) {
                if (k) strcat(joined, ",");
                strcat(joined, header[k]);
            }
            CHECK(!strcmp(joined, csvs[i].cols), "export %s header: %s", csvs[i].fmt, joined);
        } else {
            int fields = 0;
            for (size_t k = 0; k < ncols && k < 64; k++)
                fields += !strcmp(header[k], "sentence") || !strcmp(header[k], "victims_side") ||
                          !strcmp(header[k], "date_basis") || !strcmp(header[k], "place_precision") ||
                          !strcmp(header[k], "reported_by") || !strcmp(header[k], "part_of");
            CHECK(ncols >= 37 && !strcmp(header[0], "claim_id") && !strcmp(header[1], "doc") &&
                      !strcmp(header[2], "published") && !strcmp(header[3], "url") && fields == 6,
                  "raw claims CSV has its id, date, address and every field of the contract");
            CHECK(recs == 6, "5 claims + header (%ld)", recs);
        }
        free(out);
    }
    snprintf(args, sizeof args, "export --db '%s' --format jsonl", dbpath);
    CHECK(run(&out, args) == 0 && jsonl_check(out, "count_text") == 5, "export jsonl");
    free(out);
    snprintf(args, sizeof args, "export --db '%s' --format geojson", dbpath);
    CHECK(run(&out, args) == 0, "export geojson");
    jval g;
    CHECK(parse_json(out, &g), "GeoJSON parses");
    const jval *type = jget(&g, "type"), *features = jget(&g, "features");
    CHECK(type && type->t == J_STR && !strcmp(type->str, "FeatureCollection"), "a FeatureCollection");
    CHECK(features && features->t == J_ARR && features->n >= 2, "with features");
    for (size_t i = 0; features && i < features->n; i++) {
        const jval *f = &features->kids[i], *geom = jget(f, "geometry");
        const jval *gt = jget(geom, "type"), *co = jget(geom, "coordinates");
        CHECK(jget(f, "type") && !strcmp(jget(f, "type")->str, "Feature"), "a Feature");
        CHECK(gt && !strcmp(gt->str, "Point"), "a Point");
        CHECK(co && co->t == J_ARR && co->n == 2 && co->kids[0].t == J_NUM && co->kids[1].t == J_NUM &&
                  fabs(co->kids[0].num) <= 180 && fabs(co->kids[1].num) <= 90,
              "valid coordinates");
        CHECK(jget(jget(f, "properties"), "best") != NULL, "properties with the bounds");
    }
    jfree(&g);
    free(out);
    snprintf(args, sizeof args, "export --db '%s' --format shapefile", dbpath);
    CHECK(run(NULL, args) == 2, "an unknown export format is a usage error");

    /* many documents, one text twice in the same run (the reader thread's
     * check cannot see it yet: the writer skips it), batches of 7 and of the
     * default size (the FTS rows are written every 64 documents and at each
     * commit): every text once, every one found by search, the same
     * database either way (ids included) */
    {
        char many[128];
        snprintf(many, sizeof many, "%s/many", dir);
        mkdir(many, 0700);
        char mj[128];
        snprintf(mj, sizeof mj, "%s/many/m.jsonl", dir);
        FILE *f = fopen(mj, "wb");
        CHECK(f != NULL, "%s", mj);
        for (int i = 0; f && i < 150; i++) {
            int k = i == 100 ? 3 : i; /* the 101st is the 4th again */
            fprintf(f,
                    "{\"id\":\"m%d\",\"published\":\"2020-10-%02d\",\"title\":\"Report %d\",\"text\":\"Shelling of"
                    " Tartar killed %d civilians on %d October, the Interior Ministry of Azerbaijan said. Marker%d.\"}\n",
                    k, 10 + k % 18, k, k % 40 + 1, 1 + k % 9, k);
        }
        if (f) fclose(f);
        char db7[128], dbd[128];
        snprintf(db7, sizeof db7, "%s/many7.db", dir);
        snprintf(dbd, sizeof dbd, "%s/manyd.db", dir);
        snprintf(args, sizeof args, "ingest -q --batch 7 --db '%s' '%s'", db7, mj);
        CHECK(run(NULL, args) == 0, "ingest, batches of 7");
        snprintf(args, sizeof args, "ingest -q --db '%s' '%s'", dbd, mj);
        CHECK(run(NULL, args) == 0, "ingest, default batch");
        sqlite3 *m7 = open_ro(db7), *md = open_ro(dbd);
        CHECK(q_int(m7, "SELECT count(*) FROM documents") == 149, "149 distinct texts stored once (%lld)",
              q_int(m7, "SELECT count(*) FROM documents"));
        CHECK(q_int(md, "SELECT count(*) FROM documents") == 149, "149 (default batch)");
        CHECK(q_int(m7, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Tartar'") == 149 &&
                  q_int(md, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Tartar'") == 149,
              "every document in the full-text index");
        CHECK(q_int(md, "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Marker149'") == 1 &&
                  q_int(md, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'Marker77'") ==
                      q_int(md, "SELECT id FROM documents WHERE doc = 'm77'"),
              "the index rows are the documents' rows");
        sqlite3_close(m7);
        sqlite3_close(md);
        /* the same rows but the time of storage */
        char s7[65], sd[65];
        CHECK(sqlite3_open(db7, &m7) == SQLITE_OK && sqlite3_open(dbd, &md) == SQLITE_OK, "open");
        sqlite3_exec(m7, "UPDATE documents SET ingested_at = ''", NULL, NULL, NULL);
        sqlite3_exec(md, "UPDATE documents SET ingested_at = ''", NULL, NULL, NULL);
        db_checksum(m7, s7);
        db_checksum(md, sd);
        CHECK(!strcmp(s7, sd), "the batch size changes nothing stored");
        sqlite3_close(m7);
        sqlite3_close(md);
        sqlite3 *w;
        CHECK(sqlite3_open(dbd, &w) == SQLITE_OK, "open");
        CHECK(sqlite3_exec(w, "INSERT INTO documents_fts(documents_fts) VALUES('integrity-check')", NULL, NULL, NULL) ==
                  SQLITE_OK,
              "FTS5 integrity-check: %s", sqlite3_errmsg(w));
        sqlite3_close(w);
    }

    /* relink changes nothing when nothing changed */
    snprintf(args, sizeof args, "relink --db '%s'", dbpath);
    CHECK(run(NULL, args) == 0, "relink");
    db_checksum(db, sum2);
    CHECK(!strcmp(sum1, sum2), "relink gives the same database");
    sqlite3_close(db);

    return finish_test(dir);
}
