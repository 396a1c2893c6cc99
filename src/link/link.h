/* link.h -- the linking rules: claims into incidents and series (internal;
 * see link.c for the rules). The rules reach storage only through the
 * backend's operations (store/ops.h); the ledger (store/ledger.c) calls them. */
#ifndef TLY_LINK_H
#define TLY_LINK_H
#include "store/ops.h"

/* Links one new claim (already stored) into its incident or series. */
tally_status tly_link_claim_add(const tly_store_ops *ops, tly_store *s, const tly_link_claim *c, tally_error *err);
/* Deletes every incident and series and links every stored claim again,
 * in storage order. */
tally_status tly_link_relink_all(const tly_store_ops *ops, tly_store *s, tally_error *err);
#endif
