/* grammar.h -- small questions the mention, attribution and context stages
 * ask of a token, shared by mentions.c, attribution.c and context.c.
 *
 * A word is asked for by its cue kind (data/<lang>/cues.tsv), never by its
 * spelling; punctuation by its one character. */
#ifndef TLY_GRAMMAR_H
#define TLY_GRAMMAR_H
#include "doc.h"

/* token i is a cue of kind `cue` (a match of that kind starts there) */
static inline int tly_cue(const tly_doc *d, size_t i, int cue) {
    if (i >= d->tk.n) return 0;
    const uint64_t *bits = tly_function_cue(LX_CUE, cue) ? d->fbits : d->mbits;
    return (bits[i] & tly_match_bit(LX_CUE, cue)) != 0;
}

/* token i is a word some lexicon knows as content (a number word, outcome,
 * victim, weapon, actor..., or a cue other than a function word: those
 * have no bit in mbits) */
static inline int tly_known(const tly_doc *d, size_t i) {
    return i < d->tk.n && (d->mbits[i] & ~tly_match_bit(LX_CUE, -1)) != 0;
}
/* token i is a cue of any kind but the function words */
static inline int tly_content_cue(const tly_doc *d, size_t i) {
    uint64_t all = ~(uint64_t)0 << LX_NTYPES;
    return i < d->tk.n && (d->mbits[i] & all) != 0;
}

/* token i is the punctuation mark c */
static inline int tly_punct(const tly_doc *d, size_t i, char c) {
    return i < d->tk.n && d->tk.tok[i].norm[0] == c && d->tk.tok[i].norm[1] == 0;
}

/* "Azerbaijan's": a possessive ending starts at token i */
static inline int tly_possessive(const tly_doc *d, size_t i) { return tly_cue(d, i, CUE_POSSESSIVE); }

/* The first element at or after position `key` of a list sorted by
 * position (`pos(d, k)`: the position of element k): a binary search. */
static inline size_t tly_first_at(const tly_doc *d, size_t n, size_t key, size_t (*pos)(const tly_doc *, size_t)) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (pos(d, m) < key) lo = m + 1;
        else hi = m;
    }
    return lo;
}
#endif
