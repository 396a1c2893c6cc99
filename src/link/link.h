/* link.h -- the linking rules: claims into incidents and series (internal;
 * see link.c for the rules). The rules reach storage only through the
 * backend's operations (store/ops.h); the ledger (store/ledger.c) calls them. */
#ifndef TLY_LINK_H
#define TLY_LINK_H
#include "store/ops.h"

/* The linker's state between claims: the incidents whose bounds are to be
 * recomputed (once per batch, by tly_link_flush). */
typedef struct tly_linker tly_linker;
tly_linker *tly_linker_new(void);
void tly_linker_free(tly_linker *k);
/* Forgets the pending incidents (their batch was rolled back). */
void tly_linker_forget(tly_linker *k);

/* Links one new claim (already stored) into its incident or series: a
 * rejected claim links nowhere, a copy of an earlier claim (same sentence,
 * or same figure, claimant and date) is marked its copy. The incident's
 * days and window are updated at once; its bounds by tly_link_flush. */
tally_status tly_link_claim_add(const tly_store_ops *ops, tly_store *s, tly_linker *k, const tly_link_claim *c,
                                tally_error *err);
/* Recomputes the bounds, place and days of the incidents joined since the
 * last flush, each once. */
tally_status tly_link_flush(const tly_store_ops *ops, tly_store *s, tly_linker *k, tally_error *err);
/* A review, in two steps. take: one claim (and the claims marked its
 * copies) out of its incident and series, its fields as stored; *ids
 * (malloc'd: the caller frees it) the claim and its copies. put: links
 * them again as stored now, then flushes. Incidents are not split where
 * the claim was their only bridge: tly_link_relink_all gives the exact
 * linking. */
tally_status tly_link_claim_take(const tly_store_ops *ops, tly_store *s, tly_linker *k, int64_t claim_id,
                                 int64_t **ids, size_t *n, tally_error *err);
tally_status tly_link_claim_put(const tly_store_ops *ops, tly_store *s, tly_linker *k, const int64_t *ids, size_t n,
                                tally_error *err);
/* Deletes every incident and series and links every stored claim again,
 * in storage order (then flushes). */
tally_status tly_link_relink_all(const tly_store_ops *ops, tly_store *s, tly_linker *k, tally_error *err);
#endif
