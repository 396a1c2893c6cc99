/* pages.h -- the pages of `tally serve` rendered on the server (HTML with
 * the content: tables, figures, evidence), the view API the page script
 * draws the map and the timeline from, and the exports of a view
 * (server/pages.c; docs/server.md). Internal to server/. */
#ifndef TALLY_SERVER_PAGES_H
#define TALLY_SERVER_PAGES_H
#include "tally_ledger.h"
#include "util/buf.h"
#include <stddef.h>
#include <stdint.h>

/* The filters of a view, from the URL: every page, API list and export
 * takes the same. Strings are borrowed from the request. */
#define TLY_VIEW_ARGS(X) \
    X(since) X(until) X(country) X(place) X(claimant) X(alignment) X(outcome) X(victims) X(victims_side) X(q)
typedef struct tly_view {
#define TLY_VIEW_FIELD(n) const char *n;
    TLY_VIEW_ARGS(TLY_VIEW_FIELD)
#undef TLY_VIEW_FIELD
    size_t page, per_page; /* per_page 0: the page's default */
} tly_view;

/* Checks the view's values (dates, ISO country, words); 0 when good, else
 * writes why into msg. */
int tly_view_check(const tly_view *v, char *msg, size_t len);

/* An answer being built. */
typedef struct tly_answer {
    int status;
    const char *type;  /* Content-Type */
    const char *disposition; /* Content-Disposition or NULL */
    tly_buf body;
} tly_answer;

/* 1 when path is a page, a view API route or an export (these take a view). */
int tly_pages_route(const char *path);
/* 1 when the route reads a whole list (it waits for a ledger handle while
 * one stays free for the cheap ones). */
int tly_pages_expensive(const char *path);
/* Renders the route's answer on ledger l; review_token (NULL: read-only)
 * puts the review form, carrying it, on claim pages. */
void tly_pages_answer(tally_ledger *l, const char *path, const tly_view *v, const char *review_token, tly_answer *a);
#endif
