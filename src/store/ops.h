/* ops.h -- the storage seam of the ledger (internal).
 *
 * Like SQLite's VFS or curl's TLS backends: a backend is a versioned table
 * of operations (tly_store_ops) over an opaque handle (tly_store). The
 * ledger (src/store/ledger.c: ingest, batches, the public API) and the
 * linking rules (src/link/: incidents, bounds, series) reach storage only
 * through these operations; the SQLite backend (src/store/sqlite*.c) is the
 * only code that speaks SQL. A PostgreSQL backend over libpq implements the
 * same table: no SQL text and no dialect crosses the seam (the operations
 * speak of documents, places, claims, incidents and series), and every
 * transaction boundary is an explicit call (begin/commit/rollback, and the
 * per-document savepoint), so a backend with concurrent writers can take
 * its row or advisory locks there and retry a failed unit.
 *
 * Layers point one way: ops.h <- link (rules) <- ledger.c; backends
 * implement ops.h and know nothing of the rules above them.
 *
 * Conventions of every operation:
 *  - returns TALLY_OK or an error status and fills a non-NULL err (the
 *    backend's message);
 *  - strings passed in are borrowed for the call; strings returned (in
 *    records and callbacks) are borrowed until the next call on the handle;
 *  - days are "YYYY-MM-DD" (NULL: none); counts are TALLY_OPEN for an open
 *    bound; ids are the backend's row ids (> 0; 0: none);
 *  - a handle belongs to one thread at a time.
 *
 * Versioning: version is TLY_STORE_OPS_VERSION for the table below; a new
 * operation is added at the end with a new version, and callers check the
 * version before using it. Version 2 (issue 13) added the operations at the
 * end and replaced series_get (one series a claimant, outcome and victims)
 * by series_each/series_insert (framed series): a version-1 backend is
 * refused (tally_ledger_open). Version 3 (issue 15) added query_columns, version 4
 * (issue 14) view; both optional (NULL: not offered). */
#ifndef TLY_STORE_OPS_H
#define TLY_STORE_OPS_H
#include "tally.h"
#include "tally_ledger.h"
#include <stdint.h>

#define TLY_STORE_OPS_VERSION 4
/* the oldest table tally_ledger_open accepts (versions 3 and 4 added only
 * optional operations) */
#define TLY_STORE_OPS_MIN_VERSION 2

typedef struct tly_store tly_store;

/* A document to store (ingest). */
typedef struct tly_doc_rec {
    tally_str doc;              /* the document id (JSONL id or file name) */
    const char *content_hash;   /* 64 hex digits */
    tally_str source, title, url, text;
    const char *published, *reference_date, *reference_basis; /* or NULL */
    const char *lang;           /* the language pack it was read with ("en"), or NULL */
} tly_doc_rec;

/* A place, keyed by (gazetteer_id, kind); a place named by the text only
 * (gazetteer_id 0) by (kind, name, country). */
typedef struct tly_place_rec {
    uint32_t gazetteer_id;
    const char *kind;           /* "town", "district", "region", "country", "area" */
    const char *name, *country, *admin1; /* country, admin1: or NULL */
    int has_coords;
    double lat, lon;
    int admin;                  /* 1: a district or region */
} tly_place_rec;

/* A claim to store: its text fields are what the claims table holds. */
typedef struct tly_claim_rec {
    int64_t document_id, seq;
    tally_str doc;
    int64_t start, end;
    tally_str sentence;
    const char *outcome, *qualifier, *victims, *scope;
    int64_t count_low, count_high;          /* TALLY_OPEN: NULL */
    const char *place, *country;
    int has_coords;
    double lat, lon;
    tally_str place_text, date_text, claimant_text, count_text; /* ptr NULL: NULL */
    int64_t place_start, place_end, date_span_start, date_span_end, claimant_start,
        claimant_end;                      /* -1: NULL */
    const char *date_start, *date_end;     /* tally_date_format, or NULL */
    const char *claimant, *claimant_alignment, *perpetrator, *weapon, *weapon_name;
    int64_t count_start, count_end;
    const char *first_day, *last_day;
    int64_t place_id, claimant_id, perpetrator_id; /* 0: NULL */
    const char *place_kind;                /* the place's kind ("town", "country", ...) or NULL */
    const char *claim_key;                 /* stable: content hash:start:count_start:outcome */
    const char *sentence_key, *figure_key; /* the same claim in other documents (figure_key: or NULL) */
    const char *review_status;             /* "unreviewed", "confirmed", "rejected", "corrected" */
    /* schema 4 (issue 12): the extract contract's fields of that name
     * (docs/extract.md), NULL when null; part_of: 1 + the seq of the total
     * a breakdown belongs to in its document, 0 when none (stored as seq) */
    const char *victims_side, *date_basis, *place_precision, *reported_by;
    int64_t part_of;
} tly_claim_rec;

/* A claim as the linking rules see it. */
typedef struct tly_link_claim {
    int64_t id, document_id, place_id, claimant_id;
    const char *scope, *outcome, *victims;
    const char *first_day, *last_day; /* NULL when undated */
    const char *reference;             /* the document's reference date (last day), or NULL */
    const char *date_start;           /* for series: the period start (first day), or NULL */
    int64_t count_low, count_high;    /* TALLY_OPEN for an open bound */
    const char *claimant;
    const char *country, *place_kind; /* the claim's place's country and kind, or NULL */
    const char *sentence_key, *figure_key; /* or NULL */
    int has_speaker;                  /* the text names the claimant */
    int has_date_text;                /* the text dates the claim (else its days are the document's) */
    int rejected;                     /* a reviewer rejected it: it links nowhere */
} tly_link_claim;

/* A stored claim read back for relink: the raw dates (reference_date and
 * date_start as stored, tally_date_format) for the rules to turn into days. */
typedef struct tly_stored_claim {
    tly_link_claim c;
    const char *reference_date, *date_start_raw;
} tly_stored_claim;

/* One claim of an incident, for its summary, place and bounds. */
typedef struct tly_inc_claim {
    int64_t id, place_id;
    int place_admin;                  /* 1: the place is a district or region; -1: no place */
    const char *outcome, *victims;
    int64_t count_low, count_high;    /* TALLY_OPEN: none */
    const char *first_day, *last_day, *reference_date; /* or NULL */
} tly_inc_claim;

/* An incident's stored state, for incremental linking. */
typedef struct tly_incident_state {
    int64_t place_id;
    int place_admin;
    char first_day[11], last_day[11], doc_first[11], doc_last[11]; /* "" when none */
    int64_t n_claims;
} tly_incident_state;

/* A series candidate: its id, period start and first point's day (or NULL). */
typedef int (*tly_series_fn)(void *ctx, int64_t id, const char *period_start, const char *first_as_of);

/* A series to store. */
typedef struct tly_series_rec {
    int64_t claimant_id;              /* 0: unattributed */
    const char *claimant, *outcome, *victims, *country; /* country: or NULL */
    const char *period_start;         /* or NULL: open */
    int background;                   /* 1: a figure of a period long over */
    int64_t document_id;              /* 0: any; else the series of one document's background */
    const char *frame;                /* readable: "AZ since 2020-09-27" */
} tly_series_rec;

/* A review to log (the log is kept whole; the last one of a claim key wins). */
typedef struct tly_review_rec {
    const char *claim_key, *action;   /* "confirm", "reject", "correct" */
    const char *note, *reviewer;      /* or NULL */
    size_t nfields;
    const char *const *fields, *const *values, *const *originals; /* value/original: or NULL */
} tly_review_rec;

/* a reviewed field of a claim: its name and value (NULL: SQL NULL) */
typedef int (*tly_field_fn)(void *ctx, const char *field, const char *value);

/* What the rules computed for an incident. */
typedef struct tly_incident_rec {
    int64_t place_id;
    const char *first_day, *last_day, *doc_first, *doc_last, *window_first, *window_last;
    int64_t n_claims;
} tly_incident_rec;

/* The bounds of one outcome and victims of an incident. */
typedef struct tly_bound_rec {
    const char *outcome, *victims;
    int64_t n_claims;
    int64_t low, low_claim, best, best_claim, high, high_claim; /* TALLY_OPEN / 0: none */
    int high_open;
} tly_bound_rec;

/* A point of a series. */
typedef struct tly_point_rec {
    int64_t claim_id, series_id;
    const char *as_of, *period_start; /* or NULL */
    int64_t value, count_low, count_high; /* TALLY_OPEN: NULL */
} tly_point_rec;

typedef int (*tly_id_fn)(void *ctx, int64_t id);
typedef enum tly_near { TLY_NEAR_SELF = 0, TLY_NEAR_PARENT, TLY_NEAR_CHILD } tly_near;
/* a place near another: how, and its kind ("town", "district", ...) */
typedef int (*tly_near_fn)(void *ctx, int64_t place_id, tly_near how, const char *kind);
typedef int (*tly_inc_claim_fn)(void *ctx, const tly_inc_claim *c);
typedef int (*tly_stored_claim_fn)(void *ctx, const tly_stored_claim *c);
/* a point of the same day: its claim and figures (TALLY_OPEN: none) */
typedef int (*tly_point_fn)(void *ctx, int64_t claim_id, int64_t count_low, int64_t count_high);

typedef enum tly_dir { TLY_BEFORE = 0, TLY_AFTER = 1 } tly_dir;

typedef struct tly_store_ops {
    int version;        /* TLY_STORE_OPS_VERSION */
    const char *name;   /* "sqlite" */

    /* ---- the handle ----
     * open: opens (creating and migrating the schema unless readonly) the
     * database at path; *out NULL on failure. close: releases it, rolling
     * back a transaction left open. */
    tally_status (*open)(const char *path, const tally_ledger_options *opt, tly_store **out,
                         tally_error *err);
    void (*close)(tly_store *s);

    /* ---- transactions: explicit boundaries ----
     * begin: a write transaction (the writer's lock is taken here);
     * commit / rollback end it. savepoint / release / rollback_savepoint:
     * one document's unit inside it (rolled back alone on failure).
     * in_transaction: 0 when the backend ended the transaction itself (a
     * failed statement that aborts it: disk full). */
    tally_status (*begin)(tly_store *s, tally_error *err);
    tally_status (*commit)(tly_store *s, tally_error *err);
    tally_status (*rollback)(tly_store *s);
    tally_status (*savepoint)(tly_store *s, tally_error *err);
    tally_status (*release)(tly_store *s, tally_error *err);
    void (*rollback_savepoint)(tly_store *s);
    int (*in_transaction)(tly_store *s);

    /* ---- documents ----
     * doc_find: *found 1 when a document with that content hash is stored.
     * doc_insert: stores it (and makes it searchable by the commit);
     * doc_set_claims: its number of claims. */
    tally_status (*doc_find)(tly_store *s, const char *content_hash, int *found, tally_error *err);
    tally_status (*doc_insert)(tly_store *s, const tly_doc_rec *d, int64_t *id, tally_error *err);
    tally_status (*doc_set_claims)(tly_store *s, int64_t doc_id, int64_t n, tally_error *err);

    /* ---- places, actors, claims ----
     * place_get: the place's id, stored first if new: then linked into the
     * hierarchy (its parent is the place named by its admin1 in its
     * country; the places whose admin1 it is become its children).
     * actor_get: the actor's id by canonical name, stored first if new; an
     * actor without an alignment takes the one given. alias_add: a text
     * that named the actor (kept once). claim_insert: the claim's id. */
    tally_status (*place_get)(tly_store *s, const tly_place_rec *p, int64_t *id, tally_error *err);
    tally_status (*actor_get)(tly_store *s, const char *name, const char *alignment, const char *role,
                              const char *side, int64_t *id, tally_error *err);
    tally_status (*alias_add)(tly_store *s, int64_t actor_id, tally_str alias, tally_error *err);
    tally_status (*claim_insert)(tly_store *s, const tly_claim_rec *c, int64_t *id, tally_error *err);

    /* ---- incidents (the linking rules' reads and writes) ----
     * places_near: the place, its parent and its children, each once, by id.
     * incidents_window: the incidents of that place and kind whose window
     * overlaps first..last. incidents_of_doc: those of that place and kind
     * holding a claim of the document. Callbacks return non-zero to stop. */
    tally_status (*places_near)(tly_store *s, int64_t place_id, tly_near_fn fn, void *ctx, tally_error *err);
    tally_status (*incidents_window)(tly_store *s, int64_t place_id, const char *kind, const char *first,
                                     const char *last, tly_id_fn fn, void *ctx, tally_error *err);
    tally_status (*incidents_of_doc)(tly_store *s, int64_t doc_id, const char *kind, int64_t place_id,
                                     tly_id_fn fn, void *ctx, tally_error *err);
    tally_status (*incident_insert)(tly_store *s, const char *kind, int64_t place_id, int64_t *id,
                                    tally_error *err);
    /* moves other's claims into target and deletes other (and its bounds) */
    tally_status (*incident_merge)(tly_store *s, int64_t target, int64_t other, tally_error *err);
    tally_status (*claim_set_incident)(tly_store *s, int64_t claim_id, int64_t incident_id, tally_error *err);
    /* the incident's claims, by outcome, victims, id */
    tally_status (*incident_claims)(tly_store *s, int64_t incident_id, tly_inc_claim_fn fn, void *ctx,
                                    tally_error *err);
    tally_status (*incident_update)(tly_store *s, int64_t incident_id, const tly_incident_rec *r,
                                    tally_error *err);
    /* replaces the incident's bounds by b[0..n) */
    tally_status (*bounds_set)(tly_store *s, int64_t incident_id, const tly_bound_rec *b, size_t n,
                               tally_error *err);

    /* ---- series ----
     * point_insert: a point (and the series' point count).
     * point_neighbor: the point before (or after) as_of/claim_id in the
     * series, with a value: *found 0 when none. point_set_down,
     * point_add_differs: the flags. points_same_day: the points of other
     * series of that outcome and victims as of that day. */
    tally_status (*point_insert)(tly_store *s, const tly_point_rec *p, tally_error *err);
    tally_status (*point_neighbor)(tly_store *s, int64_t series_id, const char *as_of, int64_t claim_id,
                                   tly_dir dir, int *found, int64_t *other_claim, int64_t *value,
                                   tally_error *err);
    tally_status (*point_set_down)(tly_store *s, int64_t claim_id, int down, tally_error *err);
    tally_status (*point_add_differs)(tly_store *s, int64_t claim_id, int64_t n, tally_error *err);
    tally_status (*points_same_day)(tly_store *s, const char *as_of, const char *outcome, const char *victims,
                                    int64_t except_series, tly_point_fn fn, void *ctx, tally_error *err);

    /* ---- relink ----
     * links_clear: deletes every incident, bound, series and point.
     * claims_after: up to max stored claims with an id above after, by id. */
    tally_status (*links_clear)(tly_store *s, tally_error *err);
    tally_status (*claims_after)(tly_store *s, int64_t after, size_t max, tly_stored_claim_fn fn, void *ctx,
                                 tally_error *err);

    /* ---- reads (tally_ledger.h) ----
     * query: the rows of a ledger query, in its documented order (the
     * caller checked q and the filter). report: the rows of a report
     * query (tally serve). stats: the table counts. */
    tally_status (*query)(tly_store *s, tally_ledger_query q, const tally_ledger_filter *f,
                          tally_ledger_row_fn fn, void *ctx, tally_error *err);
    tally_status (*report)(tly_store *s, tally_ledger_report r, int64_t id, const char *text,
                           tally_ledger_row_fn fn, void *ctx, tally_error *err);
    tally_status (*stats)(tly_store *s, tally_ledger_stats *out, tally_error *err);

    /* ---- version 2 (issue 13) ----
     * claim_same: the first claim (lowest id below before) that is not a
     * copy itself and has the sentence key or the figure key (NULL: not
     * compared); *id 0 when none. claim_set_same: marks a claim a copy.
     * incident_get: an incident's days, documents' days, place and count.
     * series_each: the series of that claimant, outcome, victims, country,
     * background flag and document (0: any). series_insert: a new one.
     * series_set_period: gives an open series its period start and frame.
     * review_add: logs a review. review_state: the claim key's last status
     * (*status "" when never reviewed) and its fields' last values.
     * claim_fields: a stored claim's key and reviewable fields.
     * claim_apply: writes a claim's review status and corrected fields
     * (field names of the claims table: count_low, date_start, first_day,
     * claimant_id, ...). */
    tally_status (*claim_same)(tly_store *s, const char *sentence_key, const char *figure_key, int64_t before,
                               int64_t *id, tally_error *err);
    tally_status (*claim_set_same)(tly_store *s, int64_t claim_id, int64_t same_as, tally_error *err);
    tally_status (*incident_get)(tly_store *s, int64_t incident_id, tly_incident_state *out, int *found,
                                 tally_error *err);
    tally_status (*series_each)(tly_store *s, const tly_series_rec *key, tly_series_fn fn, void *ctx,
                                tally_error *err);
    tally_status (*series_insert)(tly_store *s, const tly_series_rec *r, int64_t *id, tally_error *err);
    tally_status (*series_set_period)(tly_store *s, int64_t id, const char *period_start, const char *frame,
                                      tally_error *err);
    tally_status (*review_add)(tly_store *s, const tly_review_rec *r, tally_error *err);
    tally_status (*review_state)(tly_store *s, const char *claim_key, char status[16], tly_field_fn fn,
                                 void *ctx, tally_error *err);
    tally_status (*claim_fields)(tly_store *s, int64_t claim_id, char key[160], tly_field_fn fn, void *ctx,
                                 int *found, tally_error *err);
    tally_status (*claim_apply)(tly_store *s, int64_t claim_id, const char *status, size_t n,
                                const char *const *fields, const char *const *values, tally_error *err);
    /* claim_unlink: takes a claim out of its incident, its series (the
     * point deleted; *point_as_of its day, "" when none) and its copy
     * mark; *incident, *series: where it was (0: nowhere).
     * incident_delete: an incident with no claims left, and its bounds.
     * copies_of: the claims marked copies of it, by id. */
    tally_status (*claim_unlink)(tly_store *s, int64_t claim_id, int64_t *incident, int64_t *series,
                                 char point_as_of[11], int64_t *point_low, int64_t *point_high, tally_error *err);
    tally_status (*incident_delete)(tly_store *s, int64_t incident_id, tally_error *err);
    tally_status (*copies_of)(tly_store *s, int64_t claim_id, tly_id_fn fn, void *ctx, tally_error *err);

    /* ---- version 3 (issue 15) ----
     * query_columns: the column names of a query, as fn's one row (every
     * value NULL), whatever the ledger holds: a CSV of no rows still has
     * its header. May be NULL (tally_ledger_query_columns then fails). */
    tally_status (*query_columns)(tly_store *s, tally_ledger_query q, tally_ledger_row_fn fn, void *ctx,
                                  tally_error *err);
    /* ---- version 4 (issue 14) ----
     * view: the rows of a TALLY_LEDGER_VIEW_* query (the web report's
     * filtered and paged lists: every field of the filter, offset and
     * limit); NULL when the backend has none (the query is then
     * TALLY_ERR_USAGE). */
    tally_status (*view)(tly_store *s, tally_ledger_query q, const tally_ledger_filter *f,
                         tally_ledger_row_fn fn, void *ctx, tally_error *err);
} tly_store_ops;

/* The SQLite backend (src/store/sqlite.c). */
extern const tly_store_ops tly_sqlite_ops;
/* The PostgreSQL backend (src/store/pg.c; built with libpq only), chosen
 * for a ledger path "postgresql:..." or "postgres:..." (tly_store_is_pg). */
extern const tly_store_ops tly_pg_ops;
int tly_store_is_pg(const char *path);
/* 1 when column is one claim_apply may write (a backend checks the
 * names it puts into its SQL with it). */
int tly_store_reviewable(const char *column);
/* A REAL column's value as the ledger's rows give it (SQLite's text of a
 * REAL: "40.0", "40.6827812194824"): every backend's rows read the same. */
void tly_store_real_text(double v, char out[40]);
/* The path as messages show it: a connection string without its password. */
void tly_store_path_shown(const char *path, char *out, size_t cap);

/* Fills err (when not NULL) with code and msg (NULL: tally_strerror). */
void tly_set_error(tally_error *err, tally_status code, const char *msg);

/* ---- calendar days (src/store/days.c) ---- */
/* The first and last day a (possibly partial) date covers, as YYYY-MM-DD
 * into 11-byte buffers; returns 0 (and empty strings) for an empty date. */
int tly_date_bounds(tally_date d, char first[11], char last[11]);
/* "YYYY-MM-DD" plus n days; returns 0 when s is not a full date. */
int tly_day_add(const char *s, int n, char out[11]);
/* Days from a to b ("YYYY-MM-DD"); 0 when either is not a full date. */
long tly_day_diff(const char *a, const char *b);

#endif
