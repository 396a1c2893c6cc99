/* test_pg_columns.c -- the PostgreSQL backend's query_columns
 * (tly_pg_columns, ops version 3) names the columns SQLite's rows have, for
 * every query: argv[1] an SQLite ledger and argv[2] a PostgreSQL one, both
 * holding the same seeds and one review (pg_columns.sh makes them). */
#include "store/ops.h"
#include "store/pg.h"
#include <stdio.h>
#include <string.h>

typedef struct names {
    char text[4096];
    int rows;
} names;

static int take(void *ctx, const tally_ledger_row *r) {
    names *n = ctx;
    if (n->rows++) return 1;
    size_t len = 0;
    for (size_t i = 0; i < r->ncols && len < sizeof n->text - 64; i++)
        len += (size_t)snprintf(n->text + len, sizeof n->text - len, "%s%s", i ? "," : "", r->names[i]);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: test_pg_columns SQLITE_DB POSTGRESQL\n"); return 2; }
    tally_error err;
    tly_store *sq = NULL, *pg = NULL;
    tally_ledger_options ro = {.flags = TALLY_LEDGER_READONLY};
    if (tly_sqlite_ops.open(argv[1], &ro, &sq, &err) || tly_pg_ops.open(argv[2], &ro, &pg, &err)) {
        fprintf(stderr, "open: %s\n", err.message);
        return 1;
    }
    int failures = 0;
    for (int q = TALLY_LEDGER_CLAIMS; q <= TALLY_LEDGER_REVIEWS; q++) {
        tally_ledger_filter f = {.query = "Ganja"};
        names a = {.rows = 0}, b = {.rows = 0};
        tally_status s1 = tly_sqlite_ops.query(sq, (tally_ledger_query)q, &f, take, &a, &err);
        tally_status s2 = tly_pg_columns(pg, (tally_ledger_query)q, take, &b, &err);
        if ((s1 && strcmp(err.message, "stopped")) || s2 || !a.rows || b.rows != 1 || strcmp(a.text, b.text)) {
            fprintf(stderr, "FAIL query %d: sqlite %d row(s) [%s], postgresql [%s] (%s)\n", q, a.rows, a.text, b.text,
                    s2 ? err.message : "");
            failures++;
        } else {
            printf("ok   query %d: %s\n", q, b.text);
        }
    }
    tly_sqlite_ops.close(sq);
    tly_pg_ops.close(pg);
    printf("%s\n", failures ? "pg_columns: FAILED" : "pg_columns: ok");
    return failures != 0;
}
