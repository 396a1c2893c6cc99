/* codes.h -- the rows of the codes tables the codebook exports read
 * (countries, acled_weapons: docs/schema.md), read from the data files
 * for every backend (sqlite.c, pg.c), and the hash of those files a
 * backend keeps in meta ('countries_sha256') to fill them again when they
 * changed. No SQL here. */
#ifndef TLY_STORE_CODES_H
#define TLY_STORE_CODES_H
#include "util/arena.h"
#include <stdint.h>

/* A country: ISO codes, Gleditsch-Ward code, ACLED's and UCDP's regions
 * (NULL, or -1 for a number, when the data has none). */
typedef struct tly_country_code {
    const char *iso2, *name, *iso3;
    int64_t iso_numeric, gw_code;
    const char *acled_region, *ucdp_region;
} tly_country_code;

/* ACLED's event types of a weapon class. */
typedef struct tly_weapon_code {
    const char *weapon, *disorder_type, *event_type, *sub_event_type;
} tly_weapon_code;

/* Calls country for each country of data/places/country_codes.tsv (named
 * by countries.tsv, its UCDP region from codebooks/ucdp_regions.tsv), then
 * weapon for each row of codebooks/acled_weapons.tsv; the strings live in
 * a until it is freed. A callback returning nonzero stops: returns 1
 * then, else 0. */
int tly_codes_each(tly_arena *a, int (*country)(void *ctx, const tly_country_code *c),
                   int (*weapon)(void *ctx, const tly_weapon_code *w), void *ctx);

/* The SHA-256 (hex) of the data files tly_codes_each reads. */
void tly_codes_hash(char out[65]);
#endif
