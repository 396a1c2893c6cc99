/* store.h -- the ledger's SQLite store (internal). */
#ifndef TLY_STORE_H
#define TLY_STORE_H
#include "tally.h"
#include "tally_ledger.h"
#include <sqlite3.h>
#include <stdint.h>

/* Prepared statements, made once per ledger on first use. */
typedef enum tly_st {
    TLY_ST_DOC_FIND = 0,
    TLY_ST_SAVEPOINT,
    TLY_ST_RELEASE,
    TLY_ST_DOC_INSERT,
    TLY_ST_DOC_NCLAIMS,
    TLY_ST_FTS_INSERT,
    TLY_ST_FTS_BATCH,
    TLY_ST_DOC_MAXID,
    TLY_ST_PLACE_FIND,
    TLY_ST_PLACE_INSERT,
    TLY_ST_ACTOR_FIND,
    TLY_ST_ACTOR_INSERT,
    TLY_ST_ACTOR_ALIGN,
    TLY_ST_ALIAS_INSERT,
    TLY_ST_CLAIM_INSERT,
    /* linking */
    TLY_ST_PLACE_NEAR,       /* the place, its parent, its children */
    TLY_ST_INC_BY_WINDOW,
    TLY_ST_INC_BY_DOC,
    TLY_ST_INC_INSERT,
    TLY_ST_INC_MOVE_CLAIMS,
    TLY_ST_INC_DELETE,
    TLY_ST_BOUNDS_DELETE,
    TLY_ST_CLAIM_SET_INC,
    TLY_ST_INC_SUMMARY,
    TLY_ST_INC_PLACE,
    TLY_ST_INC_UPDATE,
    TLY_ST_INC_CLAIMS,
    TLY_ST_BOUNDS_INSERT,
    TLY_ST_SERIES_FIND,
    TLY_ST_SERIES_INSERT,
    TLY_ST_SERIES_BUMP,
    TLY_ST_POINT_INSERT,
    TLY_ST_POINT_PREV,
    TLY_ST_POINT_NEXT,
    TLY_ST_POINT_SET_DOWN,
    TLY_ST_POINT_SAME_DAY,
    TLY_ST_POINT_ADD_DIFFERS,
    TLY_ST_COUNT
} tly_st;

struct tally_ledger {
    sqlite3 *db;
    int readonly;
    int in_batch;  /* tally_ledger_begin was called */
    /* The FTS5 rows of a batch's documents are written at its commit, in
     * one statement: FTS5 flushes its pending terms at every SAVEPOINT once
     * it is written to in a transaction, and a savepoint is opened per
     * document (docs/performance.md). Documents with an id above fts_after
     * are not indexed yet; every TLY_FTS_EVERY documents of a batch they are
     * (between two documents, outside any savepoint), so the commit does not
     * stall for the whole batch's text. */
    int64_t fts_after;
    int fts_pending;
    sqlite3_stmt *st[TLY_ST_COUNT];
};

#define TLY_FTS_EVERY 64

/* The statement, prepared on first use and reset; NULL on failure. */
sqlite3_stmt *tly_stmt(tally_ledger *l, tly_st which);
/* Fills err from the database's last error; returns the tally status. */
tally_status tly_db_error(tally_ledger *l, tally_error *err, const char *what);
tally_status tly_exec(tally_ledger *l, const char *sql, tally_error *err);
void tly_set_error(tally_error *err, tally_status code, const char *msg);

extern const char tly_schema_v1[];
extern const char tly_schema_indexes[];

/* Queries: 1 (the default) lists incidents, bounds and the timeline page
 * by page (src/store/query.c); 0 runs the plain one-statement queries. The
 * two give the same rows in the same order (tests compare them). */
void tly_query_set_paging(int on);

/* ---- calendar days ---- */
/* Days since 1970-01-01 of a proleptic Gregorian date. */
#include "util/calendar.h" /* tly_days_from_civil, tly_civil_from_days */
/* The first and last day a (possibly partial) date covers, as YYYY-MM-DD
 * into 11-byte buffers; returns 0 (and empty strings) for an empty date. */
int tly_date_bounds(tally_date d, char first[11], char last[11]);
/* "YYYY-MM-DD" plus n days; returns 0 when s is not a full date. */
int tly_day_add(const char *s, int n, char out[11]);

/* ---- linking (src/link) ---- */
typedef struct tly_link_claim {
    int64_t id, document_id, place_id, claimant_id;
    const char *scope, *outcome, *victims;
    const char *first_day, *last_day; /* NULL when undated */
    const char *reference;             /* the document's reference date, or NULL */
    const char *date_start;           /* for series: the period start, or NULL */
    int64_t count_low, count_high;    /* TALLY_OPEN for an open bound */
    const char *claimant;
} tly_link_claim;

tally_status tly_link_claim_add(tally_ledger *l, const tly_link_claim *c, tally_error *err);
tally_status tly_link_relink_all(tally_ledger *l, tally_error *err);
#endif
