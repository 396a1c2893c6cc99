/* timewords.h -- the temporal tagger's word tables (data/time/<lang>/) as a
 * part of the lexicon. Opaque here: the lexicon only holds them (made when
 * it opens, freed when it closes); the tagger (extract/timex.h) builds and
 * reads them, so the dependency points from the tagger to the lexicon. */
#ifndef TLY_TIMEWORDS_H
#define TLY_TIMEWORDS_H
#include "tally.h"

typedef struct tly_timex_rules tly_timex_rules; /* compiled word tables and rules */

/* Loads the rules (built-in copies of data/time/<lang>/, or data_dir);
 * NULL with err filled when they cannot be. Defined by extract/timex_lex.c. */
tly_timex_rules *tly_timex_rules_load(const char *data_dir, const char *lang, const tally_alc *alc,
                                      tally_error *err);
void tly_timex_rules_free(tly_timex_rules *r);
#endif
