/* pg.h -- the PostgreSQL backend of the ledger's storage seam (private to
 * src/store/pg*.c: nothing else includes libpq-fe.h). Built only when
 * libpq is found (TALLY_HAVE_LIBPQ); see docs/scale.md for the team setup
 * and docs/schema.md for the tables, which are SQLite's. */
#ifndef TLY_STORE_PG_H
#define TLY_STORE_PG_H
#include "store/ops.h"
#include <libpq-fe.h>

/* The advisory lock keys (pg_advisory_xact_lock): the schema's creation,
 * and the writer's (one write transaction stores at a time: documents,
 * claims and links are written in the order of their commits, so several
 * writers give what one writer gives; docs/scale.md). */
#define TLY_PG_LOCK_SCHEMA 0x74616c6c79000001LL
#define TLY_PG_LOCK_WRITER 0x74616c6c79000002LL

/* The parameters of one statement, all sent as text or raw bytes. */
#define TLY_PG_MAXP 64
typedef struct tly_pg_params {
    int n;
    const char *v[TLY_PG_MAXP];
    int len[TLY_PG_MAXP], fmt[TLY_PG_MAXP];
    char num[TLY_PG_MAXP][32];
} tly_pg_params;

struct tly_store {
    PGconn *conn;
    int readonly;
    int in_tx;      /* begin was called */
    int locked;     /* the writer's lock is held (this transaction) */
    PGresult *last; /* the result whose strings the caller borrows */
    unsigned char *prepared; /* statement i prepared on this connection */
    int timeout_ms;
    uint64_t statements, rows_changed;
};

/* Sets the ledger path's conninfo into out: "postgresql://..." and
 * "postgres://..." as they are, "postgresql:" / "postgres:" followed by
 * keyword=value pairs without the prefix. 0 when path is not PostgreSQL's. */
int tly_pg_conninfo(const char *path, const char **conninfo);

/* Fills err from a failed result or the connection ("database: what:
 * message"); returns TALLY_ERR_IO (NOMEM when libpq ran out). */
tally_status tly_pg_error(tly_store *s, const PGresult *r, tally_error *err, const char *what);

tally_status tly_pg_query(tly_store *s, tally_ledger_query q, const tally_ledger_filter *f,
                          tally_ledger_row_fn fn, void *ctx, tally_error *err);
/* The TALLY_LEDGER_VIEW_* queries (ops version 4's view; pg_view.c). */
tally_status tly_pg_view(tly_store *s, tally_ledger_query q, const tally_ledger_filter *f,
                         tally_ledger_row_fn fn, void *ctx, tally_error *err);
/* The column names of a query, every value NULL (ops version 3's
 * query_columns: set it in tly_pg_ops where the table has it). */
tally_status tly_pg_columns(tly_store *s, tally_ledger_query q, tally_ledger_row_fn fn, void *ctx, tally_error *err);
tally_status tly_pg_report(tly_store *s, tally_ledger_report r, int64_t id, const char *text,
                           tally_ledger_row_fn fn, void *ctx, tally_error *err);

/* pg_schema.c: the tables of version 3, the migration 3 -> 4 (a new
 * ledger runs both), the views and their DROP, the acled_weapons table */
extern const char tly_pg_schema[];
extern const char tly_pg_migrate_v3_v4[];
extern const char tly_pg_views[];
extern const char tly_pg_drop_views[];
extern const char tly_pg_schema_acled_weapons[];
#endif
