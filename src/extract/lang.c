/* lang.c -- the grammars by language, and the stages that call the one of
 * the document's lexicon (see lang.h). */
#include "lang.h"

static const tly_grammar grammars[] = {
    {"en", tly_en_find_numbers, tly_en_find_claims},
    {"ru", tly_en_find_numbers, tly_ru_find_claims},
};

const tly_grammar *tly_grammar_for(const char *lang) {
    for (size_t i = 0; lang && i < sizeof grammars / sizeof grammars[0]; i++)
        if (!strcmp(grammars[i].lang, lang)) return &grammars[i];
    return NULL;
}

int tly_find_numbers(tly_doc *d) { return d->lex->grammar->find_numbers(d); }
int tly_find_claims(tly_doc *d) { return d->lex->grammar->find_claims(d); }
