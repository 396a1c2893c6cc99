/* sqlite.h -- the SQLite backend of the ledger's storage seam (private to
 * src/store/sqlite*.c: nothing else includes sqlite3.h). */
#ifndef TLY_STORE_SQLITE_H
#define TLY_STORE_SQLITE_H
#include "store/ops.h"
#include <sqlite3.h>
#include <time.h>

/* Prepared statements, made once per handle on first use. */
typedef enum tly_st {
    TLY_ST_DOC_FIND = 0,
    TLY_ST_SAVEPOINT,
    TLY_ST_RELEASE,
    TLY_ST_DOC_INSERT,
    TLY_ST_DOC_NCLAIMS,
    TLY_ST_FTS_BATCH,
    TLY_ST_DOC_MAXID,
    TLY_ST_PLACE_FIND,
    TLY_ST_PLACE_FIND_NAME,
    TLY_ST_PLACE_ADOPT,
    TLY_ST_PLACE_INSERT,
    TLY_ST_PLACE_PARENT,
    TLY_ST_PLACE_CHILDREN,
    TLY_ST_ACTOR_FIND,
    TLY_ST_ACTOR_INSERT,
    TLY_ST_ACTOR_ALIGN,
    TLY_ST_ALIAS_INSERT,
    TLY_ST_CLAIM_INSERT,
    /* linking */
    TLY_ST_PLACE_NEAR,
    TLY_ST_INC_BY_WINDOW,
    TLY_ST_INC_BY_DOC,
    TLY_ST_INC_INSERT,
    TLY_ST_INC_MOVE_CLAIMS,
    TLY_ST_INC_DELETE,
    TLY_ST_BOUNDS_DELETE,
    TLY_ST_CLAIM_SET_INC,
    TLY_ST_INC_CLAIMS,
    TLY_ST_INC_UPDATE,
    TLY_ST_BOUNDS_INSERT,
    TLY_ST_SERIES_FIND,
    TLY_ST_SERIES_INSERT,
    TLY_ST_POINT_INSERT,
    TLY_ST_SERIES_BUMP,
    TLY_ST_POINT_PREV,
    TLY_ST_POINT_NEXT,
    TLY_ST_POINT_SET_DOWN,
    TLY_ST_POINT_SAME_DAY,
    TLY_ST_POINT_ADD_DIFFERS,
    TLY_ST_CLAIMS_AFTER,
    TLY_ST_SERIES_PERIOD,
    TLY_ST_CLAIM_SAME,
    TLY_ST_CLAIM_SAME_FIGURE,
    TLY_ST_CLAIM_SET_SAME,
    TLY_ST_INC_GET,
    TLY_ST_POINT_FIRST,
    TLY_ST_REVIEW_INSERT,
    TLY_ST_REVIEW_FIELD,
    TLY_ST_REVIEW_LAST,
    TLY_ST_REVIEW_CORRECTED,
    TLY_ST_REVIEW_FIELDS,
    TLY_ST_CLAIM_FIELDS,
    TLY_ST_CLAIM_LINKS,
    TLY_ST_CLAIM_UNSET,
    TLY_ST_POINT_DELETE,
    TLY_ST_SERIES_DROP,
    TLY_ST_COPIES_OF,
    TLY_ST_COUNT
} tly_st;

struct tly_store {
    sqlite3 *db;
    int readonly;
    int in_tx;     /* begin was called */
    /* The FTS5 rows of a transaction's documents are written at its commit,
     * in one statement: FTS5 flushes its pending terms at every SAVEPOINT
     * once it is written to in a transaction, and a savepoint is opened per
     * document (docs/performance.md). Documents with an id above fts_after
     * are not indexed yet; every TLY_FTS_EVERY documents they are (before
     * the next document's savepoint), so the commit does not stall for the
     * whole batch's text. */
    int64_t fts_after;
    int fts_pending;
    int timeout_ms;             /* query_timeout_ms */
    struct timespec deadline;   /* of the running query */
    sqlite3_stmt *st[TLY_ST_COUNT];
    uint64_t work_statements;   /* statements run (tally_ledger_stats: a measure of work) */
    /* Waiting for another writer (the busy handler, sqlite.c): how long it
     * may wait, how long the last wait that gave up waited (-1: none), and
     * the database's path (to ask who holds its write lock). */
    int busy_timeout_ms;
    int busy_gave_up_ms;
    struct timespec busy_since;
    char *path;
};

#define TLY_FTS_EVERY 64

/* The statement, prepared on first use and reset; NULL on failure. */
sqlite3_stmt *tly_sq_stmt(tly_store *s, tly_st which);
/* Fills err from the database's last error ("database: what: message");
 * returns the tally status. */
tally_status tly_sq_error(tly_store *s, tally_error *err, const char *what);
/* Arms the query deadline (no-op without query_timeout_ms). */
void tly_sq_arm(tly_store *s);

/* The one row loop of the backend (queries and reports): init takes the
 * column names of st; emit calls fn with st's current row (1: go on, 0: fn
 * stopped). */
typedef struct tly_sq_rows {
    tally_ledger_row_fn fn;
    void *ctx;
    size_t ncols;
    const char **names, **values;
    tally_ledger_type *types;
} tly_sq_rows;
int tly_sq_rows_init(tly_sq_rows *r, sqlite3_stmt *st, tally_ledger_row_fn fn, void *ctx);
int tly_sq_rows_emit(tly_sq_rows *r, sqlite3_stmt *st);
void tly_sq_rows_free(tly_sq_rows *r);

tally_status tly_sq_query(tly_store *s, tally_ledger_query q, const tally_ledger_filter *f,
                          tally_ledger_row_fn fn, void *ctx, tally_error *err);
tally_status tly_sq_columns(tly_store *s, tally_ledger_query q, tally_ledger_row_fn fn, void *ctx, tally_error *err);
/* The filters' place (?1: a place, its district or its towns) and
 * claimant (?2: a name or an alias, or part of one) as sets of ids, for
 * "... IN " TLY_SQ_PLACES (queries and views). */
#define TLY_SQ_PLACES                                                                         \
    "(SELECT id FROM places WHERE name = ?1 COLLATE NOCASE OR gazetteer_id = ?1"                \
    " OR (name || ' (' || coalesce(country, '-') || ')') = ?1 COLLATE NOCASE"                \
    " UNION SELECT p.id FROM places p JOIN places q ON p.parent_id = q.id"                     \
    " WHERE q.name = ?1 COLLATE NOCASE"                                                        \
    " UNION SELECT parent_id FROM places WHERE name = ?1 COLLATE NOCASE AND parent_id IS NOT NULL)"
#define TLY_SQ_ACTORS                                                             \
    "(SELECT id FROM actors WHERE instr(lower(name), lower(?2)) > 0"              \
    " UNION SELECT actor_id FROM actor_aliases WHERE instr(lower(alias), lower(?2)) > 0)"

/* the TALLY_LEDGER_VIEW_* queries (src/store/sqlite_view.c) */
tally_status tly_sq_view(tly_store *s, tally_ledger_query q, const tally_ledger_filter *f,
                         tally_ledger_row_fn fn, void *ctx, tally_error *err);
tally_status tly_sq_report(tly_store *s, tally_ledger_report r, int64_t id, const char *text,
                           tally_ledger_row_fn fn, void *ctx, tally_error *err);

/* Queries: 1 (the default) lists incidents, bounds and the timeline page
 * by page (src/store/sqlite_query.c); 0 runs the plain one-statement
 * queries. The two give the same rows in the same order (tests compare them). */
void tly_query_set_paging(int on);

extern const char tly_schema_v2[];
extern const char tly_schema_views[];
extern const char tly_schema_indexes[];
extern const char tly_migrate_v1_v2[];
extern const char tly_migrate_v2_v3[];
extern const char tly_migrate_v3_v4[];
extern const char tly_schema_drop_views[];
extern const char tly_schema_acled_weapons[];
#endif
