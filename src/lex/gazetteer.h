/* gazetteer.h -- places: GeoNames cities of 500+ inhabitants, countries,
 * first-level subdivisions, and the project's alias file for conflict names
 * and transliterations (data/places/). Built by tools/mkgaz into one binary
 * file that is mmap()ed read-only, so parallel processes share its pages.
 *
 * Keys are folded names (src/text/fold.h): "tartar", "terter" and "tartar"
 * (from Tərtər) all find the same place. Thread safety: immutable after
 * open; any number of threads may look up concurrently. */
#ifndef TLY_GAZETTEER_H
#define TLY_GAZETTEER_H
#include "tally.h"
#include "../text/token.h"
#include <stddef.h>
#include <stdint.h>

typedef enum tly_place_kind {
    TLY_PLACE_CITY = 0,   /* populated place (GeoNames feature class P) */
    TLY_PLACE_DISTRICT,   /* second-level division, rayon, district */
    TLY_PLACE_ADMIN1,     /* first-level subdivision: province, region, oblast */
    TLY_PLACE_COUNTRY,
    TLY_PLACE_REGION      /* a named area that is none of the above (Nagorno-Karabakh, Gaza Strip, Donbas) */
} tly_place_kind;
_Static_assert((int)TLY_PLACE_CITY == (int)TALLY_PLACE_TOWN && (int)TLY_PLACE_DISTRICT == (int)TALLY_PLACE_DISTRICT &&
               (int)TLY_PLACE_ADMIN1 == (int)TALLY_PLACE_REGION && (int)TLY_PLACE_COUNTRY == (int)TALLY_PLACE_COUNTRY &&
               (int)TLY_PLACE_REGION == (int)TALLY_PLACE_AREA, "tly_place_kind is tally_place_kind");

#define TLY_PLACE_CONFLICT 1u   /* listed in data/places/aliases.tsv: a conflict area, preferred in ties */
/* The place's canonical name (folded) is also a common English word listed in
 * data/places/stopnames.txt ("Police", "Most", "Nice", "Split", "Reading").
 * As a key flag (tly_gaz_key_flags) it says the looked-up word itself is one:
 * the extractor should then ask for stronger evidence ("in Police", a country
 * in context) before it takes a capitalized sentence-initial word for a place. */
#define TLY_PLACE_COMMONWORD 2u

typedef struct tly_place {
    uint32_t id;          /* GeoNames id; project places count down from 0xFFFFFFFF */
    const char *name;     /* canonical English name, NUL-terminated */
    const char *admin1;   /* first-level subdivision name, or "" */
    char country[3];      /* ISO 3166-1 alpha-2, NUL-terminated; "" when none */
    uint8_t kind;         /* tly_place_kind */
    uint16_t flags;       /* TLY_PLACE_* */
    float lat, lon;
    uint32_t population;
} tly_place;

typedef struct tly_gazetteer tly_gazetteer;

/* The hash of a folded key in the file's hash sections (written by
 * tools/mkgaz, read here): FNV-1a with a final mix, so that its low bits
 * index a power-of-two table. Part of the file format: changing it means a
 * new format version. */
static inline uint32_t tly_gaz_hash(const char *s, size_t n) {
    uint32_t h = tly_hash_more(TLY_HASH_SEED, s, n);
    h ^= h >> 16;
    h *= 0x7FEB352Du;
    h ^= h >> 15;
    return h;
}

/* Opens the file written by tools/mkgaz. NULL and err filled on failure. */
tly_gazetteer *tly_gaz_open(const char *path, const tally_alc *alc, tally_error *err);
/* The same over a file image in memory (borrowed: data must outlive the
 * gazetteer; any alignment). Corrupt data gives NULL
 * and TALLY_ERR_DATA, never a crash. */
tly_gazetteer *tly_gaz_open_memory(const void *data, size_t len, const tally_alc *alc,
                                   tally_error *err);
void tly_gaz_close(tly_gazetteer *g);
size_t tly_gaz_count(const tly_gazetteer *g);

/* All places whose name or alternate name folds to key[0..len), best first
 * (countries and admin regions before towns of the same name, then by
 * population). Fills up to max pointers into out; returns how many exist. */
size_t tly_gaz_lookup(const tly_gazetteer *g, const char *key, size_t len,
                      const tly_place **out, size_t max);

/* 1 when some name starts with key[0..len) followed by a space or '-', so
 * a matcher knows whether to try one more token ("nagorno" -> "nagorno karabakh"). */
int tly_gaz_has_prefix(const tly_gazetteer *g, const char *key, size_t len);

/* TLY_PLACE_COMMONWORD when the folded key key[0..len) is listed in
 * data/places/stopnames.txt (and is a gazetteer name), else 0. */
unsigned tly_gaz_key_flags(const tly_gazetteer *g, const char *key, size_t len);

/* Other keys to try for a name the gazetteer does not hold as written: a
 * language's inflected or non-Latin form ("донецке" -> "donetsk"). The
 * function writes up to max NUL-terminated keys (each shorter than
 * TLY_GAZ_ALT_KEY) into out and returns how many; with prefix set they are
 * keys for tly_gaz_has_prefix ("нагорного" -> "nagorno"). Set once, right
 * after opening (the lexicon of a language with such rules does: see
 * data/ru/morphology.tsv); lookups, prefixes and key flags then try them
 * when the key as written finds nothing. */
#define TLY_GAZ_ALT_KEY 128
#define TLY_GAZ_MAX_ALT 32
typedef size_t (*tly_gaz_alt_fn)(const void *ctx, const char *key, size_t len, int prefix,
                                 char (*out)[TLY_GAZ_ALT_KEY], size_t max);
void tly_gaz_set_alt(tly_gazetteer *g, tly_gaz_alt_fn fn, const void *ctx);

/* The country with this ISO2 code, or NULL. */
const tly_place *tly_gaz_country(const tly_gazetteer *g, const char *iso2);
/* The capital of the country with this ISO2 code (GeoNames PPLC), or NULL. */
const tly_place *tly_gaz_capital(const tly_gazetteer *g, const char *iso2);
/* The country of a folded demonym ("azerbaijani", "armenian", "ukrainian"), or NULL. */
const tly_place *tly_gaz_demonym(const tly_gazetteer *g, const char *key, size_t len);

/* What a document has said so far, for choosing among namesakes. */
typedef struct tly_place_ctx {
    char country[16][3];  /* countries named or implied so far, most recent last */
    float weight[16];
    size_t n;
} tly_place_ctx;

/* Picks the most plausible of n candidates (from tly_gaz_lookup) given the
 * context: a candidate in a country already named wins, then conflict-area
 * places, then administrative rank and population. Never NULL when n > 0. */
const tly_place *tly_gaz_resolve(const tly_gazetteer *g, const tly_place *const *cands, size_t n,
                                 const tly_place_ctx *ctx);
/* Adds a country to the context (bumps it if present). */
void tly_place_ctx_add(tly_place_ctx *ctx, const char *iso2, float weight);
#endif
