/* doc.c -- the document model's functions (doc.h). */
#include "doc.h"
#include "../text/fold.h"

const char *tly_layer_name(int i) {
#define TLY_LAYER_NAME_(id, name) name,
    static const char *const names[] = {TLY_LAYERS(TLY_LAYER_NAME_)};
#undef TLY_LAYER_NAME_
    _Static_assert(sizeof names / sizeof *names == TLY_NLAYERS, "one name a layer");
    return i >= 0 && i < TLY_NLAYERS ? names[i] : "?";
}

const tly_match *tly_doc_match_slow(const tly_doc *d, size_t i, int type, int sub) {
    if (i >= d->tk.n) return NULL;
    for (uint32_t k = d->mfirst[i], e = k + d->mcount[i]; k < e; k++) {
        const tly_match *m = &d->m[k];
        if (m->e->type != type || (sub >= 0 && m->e->sub != sub)) continue;
        /* "any cue" is any content cue: the grammar's function words are not */
        if (sub < 0 && type == LX_CUE && m->e->sub >= CUE_FIRST_FUNCTION) continue;
        return m;
    }
    return NULL;
}


char *tly_doc_name(const tly_doc *d, uint32_t start, uint32_t end) {
    if (end < start) end = start;
    char *out = tly_arena_alloc(d->a, (size_t)(end - start) + 1);
    if (out) tly_collapse_space(d->text + start, end - start, out);
    return out;
}

const tly_timex_input *tly_doc_timex_input(tly_doc *d) {
    TLY_DOC_NEED(d, TLY_L_TOKENS);
    if (d->txin) return d->txin;
    tly_timex_input *in = tly_arena_alloc(d->a, sizeof *in);
    if (!in || tly_timex_read(d->lex->timex, d->a, d->text, &d->tk, in)) return NULL;
    return d->txin = in;
}
