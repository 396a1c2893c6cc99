/* lang.h -- the grammar of a language: the stages whose rules are not only
 * data (word order, what a figure governs), one module per language.
 *
 * The words every stage asks for are cues of the language's pack
 * (data/<lang>/cues.tsv, tly_doc_match(d, i, LX_CUE, CUE_X)); what differs
 * between languages beyond their words is a module of stage functions,
 * chosen by the language the lexicon was opened with
 * (tally_lexicon_options.lang). English is grammar_en: numbers.c and
 * claims.c. A language adds its pack, its module and a line in lang.c. */
#ifndef TLY_LANG_H
#define TLY_LANG_H
#include "grammar.h"

typedef struct tly_grammar {
    const char *lang;                 /* the pack's directory: data/<lang>/ */
    int (*find_numbers)(tly_doc *d);  /* figures and their intervals */
    int (*find_claims)(tly_doc *d);   /* outcome + figure + victims, per sentence */
} tly_grammar;

/* The grammar of language `lang` ("en"), or NULL when there is none. */
const tly_grammar *tly_grammar_for(const char *lang);

/* English (numbers.c, claims.c) */
int tly_en_find_numbers(tly_doc *d);
int tly_en_find_claims(tly_doc *d);

/* Russian (claims_ru.c: the English stages and what Russian order adds) */
int tly_ru_find_claims(tly_doc *d);

/* a number word of kind NW_* starts at token i */
static inline int tly_numword_at(const tly_doc *d, size_t i, int kind) {
    return tly_doc_match(d, i, LX_NUMWORD, kind) != NULL;
}
#endif
