/* link.h -- claims into incidents and series (internal; see link.c for the rules). */
#ifndef TLY_LINK_H
#define TLY_LINK_H
#include "store/store.h"
/* tly_link_claim_add and tly_link_relink_all are declared in store/store.h,
 * which the store calls; this header is for the link module's own use. */
#endif
