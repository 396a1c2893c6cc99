/* lang.c -- the language packs of a run (tally extract, tally ingest): each
 * document read with the pack of its detected language. */
#include "cli.h"
#include <stdio.h>
#include <string.h>

/* The pack for language code, or NULL when there is none (thread-safe). */
const tally_lexicon *tally_cli_lang_pack(langset *ls, const char *code) {
    if (!strcmp(code, "und") || !strcmp(code, ls->deflang)) return ls->deflex;
    pthread_mutex_lock(&ls->mu);
    const tally_lexicon *lex = NULL;
    size_t i = 0;
    while (i < ls->n && strcmp(ls->e[i].code, code)) i++;
    if (i < ls->n) lex = ls->e[i].lex;
    else if (ls->n < MAX_LANGS && strlen(code) < sizeof ls->e[0].code) {
        tally_lexicon_options lo = ls->lo;
        lo.lang = code;
        tally_lexicon *l = NULL;
        tally_error err;
        if (tally_lexicon_open(&lo, &l, &err) != TALLY_OK) l = NULL; /* no pack for it */
        snprintf(ls->e[ls->n].code, sizeof ls->e[0].code, "%s", code);
        ls->e[ls->n++].lex = l;
        lex = l;
    }
    pthread_mutex_unlock(&ls->mu);
    return lex;
}

