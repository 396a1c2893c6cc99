/*
 * tally_ledger.h -- the ledger: claims stored in SQLite, linked into
 * incidents and series, queried and exported.
 *
 * The second public header of libtally; it follows the conventions of
 * tally.h (read those first):
 *  - Every public name starts with tally_ledger_ / TALLY_LEDGER_. The
 *    ledger handle is opaque.
 *  - Functions that can fail return tally_status and fill a non-NULL
 *    tally_error. The library never prints and never exits. Database
 *    failures (cannot open, not a tally database, disk full, locked) are
 *    TALLY_ERR_IO with SQLite's message; a database made by a newer tally
 *    is TALLY_ERR_DATA.
 *  - Ownership: tally_ledger_open creates the handle, tally_ledger_close
 *    releases it (rolling back a transaction left open). Every string a
 *    callback receives is borrowed and valid only during that call.
 *  - Thread safety: a tally_ledger belongs to one thread at a time. Several
 *    processes may open the same database: it is in WAL mode, so readers
 *    never block the (single) writer.
 *
 * The database is plain SQLite (tables, views and an FTS5 index over the
 * documents): see docs/schema.md for the tables, the views and the rules
 * that link claims into incidents and series.
 */
#ifndef TALLY_LEDGER_H
#define TALLY_LEDGER_H

#include "tally.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tally_ledger tally_ledger;

#define TALLY_LEDGER_SCHEMA_VERSION 4

#define TALLY_LEDGER_READONLY 1u /* open an existing database for queries only */

typedef struct tally_ledger_options {
    unsigned flags;       /* TALLY_LEDGER_* */
    int busy_timeout_ms;  /* how long to wait for another writer (0: 5000) */
    int query_timeout_ms; /* a query or report running longer stops with
                             TALLY_ERR_LIMIT, "query took too long" (0: none) */
} tally_ledger_options;

/* Opens (creating it unless TALLY_LEDGER_READONLY) the database at path,
 * creates or migrates the schema, and switches it to WAL mode. opt may be
 * NULL. On failure *out is NULL. */
TALLY_API tally_status tally_ledger_open(const char *path, const tally_ledger_options *opt,
                                         tally_ledger **out, tally_error *err);
TALLY_API void tally_ledger_close(tally_ledger *l);

/* The default database path: $TALLY_DB when set and not empty, else
 * "./tally.db". Never NULL; a static or environment string. */
TALLY_API const char *tally_ledger_default_path(void);

/* The ledger path as a message may show it, into out (cap bytes, always
 * NUL-terminated, cut when longer): a PostgreSQL connection string's
 * password ("postgresql://user:secret@host/db", "password=secret") is
 * "***"; any other path as it is. NULL or "" is the default path. */
TALLY_API void tally_ledger_path_shown(const char *path, char *out, size_t cap);

/* A batch: everything ingested between begin and commit is written in one
 * transaction. Without begin, each tally_ledger_ingest_doc is its own
 * transaction. rollback discards the batch. The bounds of the incidents a
 * batch's claims joined are recomputed once each, by commit (their days
 * and windows at once). The full-text index rows of a
 * batch's documents are written every 64 documents and by commit (one
 * statement each time: much cheaper than one per document), so a search on
 * the same handle before commit may not see the last ones yet. */
TALLY_API tally_status tally_ledger_begin(tally_ledger *l, tally_error *err);
TALLY_API tally_status tally_ledger_commit(tally_ledger *l, tally_error *err);
TALLY_API tally_status tally_ledger_rollback(tally_ledger *l);

/* Sets *found to 1 when a document with the same text (the same content
 * hash: SHA-256 of the text bytes) is already stored, else 0. Lets a
 * caller skip extraction for documents it has seen. */
TALLY_API tally_status tally_ledger_contains(tally_ledger *l, const tally_doc *doc, int *found,
                                             tally_error *err);

/* Stores a document and the claims res extracted from it (res must come
 * from tally_extract on this same doc), then links the new claims into
 * incidents and series (incrementally: only the incidents and series they
 * touch change). A document already stored (same content hash) is skipped
 * and *stored (when not NULL) is set to 0; else 1. *nclaims (when not NULL)
 * receives the number of claims stored. A failure leaves the database as
 * it was before the call (the rest of an open batch is kept). */
TALLY_API tally_status tally_ledger_ingest_doc(tally_ledger *l, const tally_doc *doc,
                                               const tally_result *res, int *stored,
                                               size_t *nclaims, tally_error *err);

/* Recomputes every incident and series from the stored claims. */
TALLY_API tally_status tally_ledger_relink(tally_ledger *l, tally_error *err);

/* ======================================================================
 * Review: a reviewer confirms, rejects or corrects a claim. Reviews are
 * logged (who, when, a note) and keyed by the claim's stable key (its
 * document's content hash, its start, its count's start and its outcome:
 * claims.claim_key), not its row id, so they survive tally_ledger_relink
 * and a new ingest of the same text. A rejected claim joins no incident
 * and no series; a corrected one links with its corrected fields.
 * ==================================================================== */
typedef enum tally_ledger_review_action {
    TALLY_LEDGER_CONFIRM = 0,
    TALLY_LEDGER_REJECT,
    TALLY_LEDGER_CORRECT
} tally_ledger_review_action;

/* A corrected field: outcome, victims, scope, count_low, count_high,
 * qualifier, date_start, date_end (a tally date: "2020-10-04", "2020-10")
 * or claimant; value NULL or "" clears it (a count: open). */
typedef struct tally_ledger_field {
    const char *field, *value;
} tally_ledger_field;

/* Reviews claim claim_id (a claims.id). TALLY_LEDGER_CORRECT takes
 * set[0..nset) (at least one); the others take none. note and by may be
 * NULL. The claim (and the claims marked its copies) then leaves its
 * incident and series and links again with its review: only what it
 * touches changes (an incident it alone bridged is not split until
 * tally_ledger_relink).
 * An unknown claim or field, or a bad value, is TALLY_ERR_USAGE. */
TALLY_API tally_status tally_ledger_review(tally_ledger *l, int64_t claim_id, tally_ledger_review_action action,
                                           const tally_ledger_field *set, size_t nset, const char *note,
                                           const char *by, tally_error *err);

/* ======================================================================
 * Queries
 * Each query calls fn once per row, in a documented order. A row is a set
 * of named columns (the same names as the CSV header and the JSON keys);
 * a NULL value is SQL NULL. fn returns 0 to go on, non-zero to stop (the
 * query then returns TALLY_ERR_IO with the message "stopped").
 * ==================================================================== */
typedef enum tally_ledger_type {
    TALLY_LEDGER_TEXT = 0,
    TALLY_LEDGER_INT,
    TALLY_LEDGER_REAL
} tally_ledger_type;

typedef struct tally_ledger_row {
    size_t ncols;
    const char *const *names;
    const char *const *values;        /* NULL: no value */
    const tally_ledger_type *types;
} tally_ledger_row;

typedef int (*tally_ledger_row_fn)(void *ctx, const tally_ledger_row *row);

typedef enum tally_ledger_query {
    /* one row a claim with its document and claimant; by date, document, position */
    TALLY_LEDGER_CLAIMS = 0,
    /* one row a claim of an incident, with the incident's bounds for that
     * claim's outcome and victims; by place, first day, incident, outcome */
    TALLY_LEDGER_INCIDENTS,
    /* one row a point of a series (a cumulative claim); by claimant,
     * outcome, victims, as-of date; flags: "down", "differs" */
    TALLY_LEDGER_TIMELINE,
    /* one row a claimant: alignment, claims, documents, dates; by name */
    TALLY_LEDGER_SOURCES,
    /* one row a document matching filter->query (FTS5 syntax), best first */
    TALLY_LEDGER_SEARCH,
    /* ACLED-style events: one row an incident bound (outcome killed) */
    TALLY_LEDGER_EXPORT_ACLED,
    /* UCDP GED-style events: one row an incident with killed claims */
    TALLY_LEDGER_EXPORT_UCDP,
    /* every stored claim, every field of the extract contract; by document, position */
    TALLY_LEDGER_EXPORT_CLAIMS,
    /* one row an incident's bounds for one outcome and victims, with the
     * place's coordinates (GeoJSON points); by place, first day, incident */
    TALLY_LEDGER_BOUNDS,
    /* the reviews' log: one row a review (and its fields), oldest first */
    TALLY_LEDGER_REVIEWS,
    /* ---- views (issue 14: the web report's filtered, paged lists). Each
     * takes every field of the filter, skips filter->offset rows and
     * returns at most filter->limit (0: all); the _COUNT queries return one
     * row {"n": rows of the view without paging}. filter->query is plain
     * text here (each word a quoted FTS5 phrase, all of them required):
     * hyphens, apostrophes and dots are never FTS5 syntax. */
    /* one row an incident: its place, days and its main bound (killed
     * before injured, the highest best), by first day (newest first), id */
    TALLY_LEDGER_VIEW_INCIDENTS,
    TALLY_LEDGER_VIEW_INCIDENTS_COUNT,
    /* one row a claim with its document's outlet, url and date; newest first */
    TALLY_LEDGER_VIEW_CLAIMS,
    TALLY_LEDGER_VIEW_CLAIMS_COUNT,
    /* one row a document matching filter->query (required), best first,
     * with title_hit and text_hit snippets (hits between U+0002 and U+0003) */
    TALLY_LEDGER_VIEW_DOCUMENTS,
    TALLY_LEDGER_VIEW_DOCUMENTS_COUNT,
    /* one row a point of the series with a point in the view (a page of
     * series: offset and limit count series, not points); the series with
     * the most points first, then by claimant; a series' points by as-of */
    TALLY_LEDGER_VIEW_TIMELINE,
    TALLY_LEDGER_VIEW_TIMELINE_COUNT,
    /* one row a claimant with claims in the view: alignment, role and its
     * claims in the view, most first */
    TALLY_LEDGER_VIEW_CLAIMANTS
} tally_ledger_query;

typedef struct tally_ledger_filter {
    const char *place;     /* a place name (case-insensitive), its district or its towns */
    const char *claimant;  /* a claimant's name or an alias, or part of one (case-insensitive) */
    const char *outcome;   /* "killed", "injured", ... */
    tally_date since;      /* year 0: none; keeps rows whose dates reach since */
    tally_date until;      /* year 0: none; keeps rows whose dates start by until */
    const char *query;     /* TALLY_LEDGER_SEARCH: the FTS5 query (VIEW_*: plain text) */
    size_t limit;          /* 0: no limit */
    /* ---- read by the TALLY_LEDGER_VIEW_* queries only (issue 14) ---- */
    const char *country;   /* the place's country, ISO 3166-1 alpha-2 ("UA") */
    const char *alignment; /* the claimant's: "party", "aligned", "third", "unknown", or exact ("party:AZ") */
    const char *victims;   /* "civilians", "military", "people", ... */
    const char *victims_side; /* whose dead (a ledger of schema 4; else TALLY_ERR_USAGE) */
    size_t offset;         /* rows (VIEW_TIMELINE: series) skipped before the first */
    int64_t incident_id;   /* the claims of one incident (0: any) */
    int64_t document_id;   /* the claims of one document (0: any) */
} tally_ledger_filter;

/* filter may be NULL (no filter). */
TALLY_API tally_status tally_ledger_query_rows(tally_ledger *l, tally_ledger_query q,
                                               const tally_ledger_filter *filter,
                                               tally_ledger_row_fn fn, void *ctx,
                                               tally_error *err);

/* The column names of query q, whatever the ledger holds: fn is called
 * once with them, every value NULL (a CSV of no rows still has its
 * header). */
TALLY_API tally_status tally_ledger_query_columns(tally_ledger *l, tally_ledger_query q,
                                                  tally_ledger_row_fn fn, void *ctx, tally_error *err);

/* ======================================================================
 * Reports: the questions of the web report (tally serve, docs/server.md),
 * each a fixed set of named columns (the JSON keys of its API) in a fixed
 * order. Some take the id of an incident, a claim or a document (id), one
 * a full-text query (text, FTS5 syntax); the others ignore both.
 * ==================================================================== */
typedef enum tally_ledger_report {
    TALLY_LEDGER_REPORT_COUNTS = 0,     /* one row: documents, claims, claimants, incidents, series */
    TALLY_LEDGER_REPORT_DOCUMENTS,      /* every document (no text), by published date, id */
    TALLY_LEDGER_REPORT_CLAIMANTS,      /* sources: by number of claims (most first), name */
    TALLY_LEDGER_REPORT_TIMELINE,       /* every point of every series, with its document id */
    TALLY_LEDGER_REPORT_BOUNDS,         /* every incident's bounds, by place, first day, incident */
    TALLY_LEDGER_REPORT_INCIDENT,       /* id: the incident (no row: no such incident) */
    TALLY_LEDGER_REPORT_INCIDENT_BOUNDS, /* id: its bounds, by outcome, victims */
    TALLY_LEDGER_REPORT_INCIDENT_CLAIMS, /* id: its claims, by outcome, victims, first day */
    TALLY_LEDGER_REPORT_CLAIM,          /* id: the claim (no row: no such claim) */
    TALLY_LEDGER_REPORT_CLAIM_DOCUMENT, /* id: the claim's document, with its text */
    TALLY_LEDGER_REPORT_CLAIM_SERIES,   /* id: the points of the claim's series, by as-of date */
    TALLY_LEDGER_REPORT_DOCUMENT,       /* id: the document, with its text */
    TALLY_LEDGER_REPORT_DOCUMENT_CLAIMS, /* id: its claims, in text order */
    TALLY_LEDGER_REPORT_SEARCH          /* text: the 100 best documents, hits marked U+0002..U+0003 */
} tally_ledger_report;

/* Calls fn once per row of report r (fn returns non-zero to stop: then
 * TALLY_ERR_IO "stopped"). A malformed search query, like any database
 * failure, is TALLY_ERR_IO with the database's own message in
 * err->message; a report running longer than the ledger's
 * query_timeout_ms is TALLY_ERR_LIMIT. The row is borrowed for the call.
 * Same thread rules as every call on the ledger: one thread at a time. */
TALLY_API tally_status tally_ledger_report_rows(tally_ledger *l, tally_ledger_report r, int64_t id,
                                                const char *text, tally_ledger_row_fn fn, void *ctx,
                                                tally_error *err);

/* Counts of the main tables, for progress reports and tests; and the
 * work this handle did since it was opened: statements run and rows
 * written (inserted, updated, deleted). */
typedef struct tally_ledger_stats {
    uint64_t documents, claims, incidents, series, actors, places;
    uint64_t statements, rows_changed;
} tally_ledger_stats;
TALLY_API tally_status tally_ledger_stats_get(tally_ledger *l, tally_ledger_stats *out,
                                              tally_error *err);

#ifdef __cplusplus
}
#endif
#endif /* TALLY_LEDGER_H */
