/* pipeline.c -- the stages of tally_extract, in order (see pipeline.h), and
 * the stages that are not a module of their own: tokens, the reference
 * date, the lexicon pass, the outcome gate, the temporal expressions and the
 * mention list. */
#include "pipeline.h"
#include "../util/sort.h"
#include "../lex/scan.h"
#include <stdio.h>

/* Allocates a token -> index map of the document (-1 everywhere). */
static int32_t *token_map(tly_doc *d) {
    size_t n = d->tk.n;
    int32_t *m = tly_arena_alloc(d->a, (n + 1) * sizeof *m);
    if (m) for (size_t i = 0; i <= n; i++) m[i] = -1;
    return m;
}

/* Cue first (issue 16). Every claim grows from an outcome word, and the
 * context a claim takes (its speaker, place and date, carried from sentence
 * to sentence) comes from the text before it, but for the incident frame
 * (context.c), which reads attack words and weapons anywhere, and the
 * document's country counts. The cue scan (src/lex/scan.h: on the raw
 * bytes, a superset of the lexicon's matches of the outcome phrases and the
 * frame's words) finds the last paragraph with one; only the text up to
 * CUE_AFTER paragraphs after it is tokenized, and a document without any
 * outcome word ends here, before any tokenization.
 * The whole document goes through when asked (TALLY_OPT_FULL, --full), when
 * mentions or temporal expressions are wanted, when the pack cannot be
 * scanned, and when the reference date may have to come from the text (no
 * published date: a dateline, the latest date told). */
#define CUE_AFTER 1

static int cue_first(const tly_doc *d) {
    return !d->full && !d->want_mentions && !d->want_timex && d->lex->scan && d->in->published.year > 0;
}

static int stage_tokens(tly_doc *d) {
    size_t len = d->len;
    if (cue_first(d)) len = tly_scan_keep(d->lex->scan, d->text, d->len, CUE_AFTER);
    return tly_tokenize(d->a, d->text, len, d->max_sentence_bytes, tly_lex_is_abbrev, d->lex, &d->tk);
}

/* The date relative expressions resolve against: the published date, else
 * a dateline, else the caller's default, else the latest full date stated. */
static int stage_refdate(tly_doc *d) {
    const tly_timex_rules *r = d->lex->timex;
    memset(&d->ref, 0, sizeof d->ref);
    if (d->in->published.year > 0) { d->ref = d->in->published; d->ref_basis = "published"; return 0; }
    if (tly_timex_dateline_tokens(r, d->text, d->len, &d->tk, &d->ref) && d->ref.year > 0) {
        d->ref_basis = "dateline";
        return 0;
    }
    if (d->default_published.year > 0) { d->ref = d->default_published; d->ref_basis = "default"; return 0; }
    memset(&d->ref, 0, sizeof d->ref);
    const tly_timex_input *in = tly_doc_timex_input(d);
    if (!in) return -1;
    d->ref_basis = tly_timex_latest_input(r, in, &d->ref) ? "latest" : "none";
    return 0;
}

/* Every lexicon match, one pass over the tokens. */
static int stage_lexicon(tly_doc *d) {
    size_t n = d->tk.n;
    d->mfirst = tly_arena_alloc(d->a, (n + 1) * sizeof *d->mfirst);
    d->mcount = tly_arena_calloc(d->a, n + 1, sizeof *d->mcount);
    d->mbits = tly_arena_calloc(d->a, n + 1, sizeof *d->mbits);
    d->fbits = tly_arena_calloc(d->a, n + 1, sizeof *d->fbits);
    if (!d->mfirst || !d->mcount || !d->mbits || !d->fbits) return -1;
    TLY_VEC(tly_match) mv = {0};
    /* about one match a token in news text: one allocation, no copies */
    if (!tly_vec_grow_(d->a, (void **)&mv.v, &mv.cap, sizeof *mv.v, n + 16)) return -1;
    const tly_lexent *hits[32];
    for (size_t i = 0; i < n; i++) {
        d->mfirst[i] = (uint32_t)mv.n;
        size_t h = tly_lex_match(d->lex, d->tk.tok, n, i, hits, 32);
        for (size_t k = 0; k < h; k++) {
            tly_match m = {(uint32_t)i, (uint32_t)(i + hits[k]->ntok), hits[k]};
            if (!tly_vec_push(d->a, &mv, m)) return -1;
            if (tly_function_cue(hits[k]->type, hits[k]->sub)) {
                d->fbits[i] |= tly_match_bit(LX_CUE, hits[k]->sub);
                continue;
            }
            d->mbits[i] |= tly_match_bit(hits[k]->type, -1);
            if (hits[k]->type == LX_CUE) d->mbits[i] |= tly_match_bit(LX_CUE, hits[k]->sub);
        }
        d->mcount[i] = (uint16_t)(mv.n - d->mfirst[i]);
    }
    d->mfirst[n] = (uint32_t)mv.n;
    d->m = mv.v;
    d->nm = mv.n;
    return 0;
}

/* Every claim grows from an outcome word ("killed", "injured", "fled"): a
 * document without one has none, and when nothing else was asked for
 * (mentions, temporal expressions) the rest of the analysis is skipped.
 * Most pages of a general web crawl end here. */
static int stage_outcome_gate(tly_doc *d) {
    if (d->want_mentions || d->want_timex) return TLY_STAGE_OK;
    uint64_t bit = tly_match_bit(LX_OUTCOME, -1);
    for (size_t i = 0; i < d->tk.n; i++)
        if (d->mbits[i] & bit) return TLY_STAGE_OK;
    return TLY_STAGE_STOP;
}

/* The temporal expressions, and the one each token is in. */
static int stage_timex(tly_doc *d) {
    const tly_timex_input *in = tly_doc_timex_input(d);
    if (!in || !(d->tx_at = token_map(d))) return -1;
    if (tly_timex_tag_input(d->lex->timex, d->a, in, d->ref, &d->tx, &d->ntx)) return -1;
    /* both are sorted by position */
    size_t x = 0;
    for (size_t i = 0; i < d->tk.n; i++) {
        const tly_tok *t = &d->tk.tok[i];
        while (x < d->ntx && d->tx[x].pub.end <= t->start) x++;
        if (x < d->ntx && d->tx[x].pub.start <= t->start && t->end <= d->tx[x].pub.end) d->tx_at[i] = (int32_t)x;
    }
    return 0;
}

static int stage_numbers(tly_doc *d) {
    if (!(d->num_at = token_map(d))) return -1;
    return tly_find_numbers(d);
}

static int stage_mentions(tly_doc *d) {
    if (!(d->act_at = token_map(d)) || !(d->pl_at = token_map(d))) return -1;
    return tly_find_mentions(d);
}

/* ---------------------------------------------------------------- the mention list */
static int add_mention(tly_doc *d, tally_mention_kind kind, size_t start, size_t end, const char *value) {
    tally_mention m = {kind, start, end, value};
    return tly_vec_push(d->a, &d->mentions, m) ? 0 : -1;
}

/* A number's value as the mention list shows it: "501..", "40 about (age)". */
static const char *number_value(tly_doc *d, const tly_num *n) {
    char lo[24] = "", hi[24] = "";
    if (n->lo != TALLY_OPEN) snprintf(lo, sizeof lo, "%lld", (long long)n->lo);
    if (n->hi != TALLY_OPEN) snprintf(hi, sizeof hi, "%lld", (long long)n->hi);
    const char *q = n->qual ? n->qual : "", *qs = n->qual ? " " : "";
    const char *v = n->lo == n->hi ? tly_arena_printf(d->a, "%s%s%s", lo, qs, q)
                                   : tly_arena_printf(d->a, "%s..%s%s%s", lo, hi, qs, q);
    static const struct { uint32_t flag; const char *name; } kinds[] = {
        {NUM_AGE, "age"}, {NUM_YEAR, "year?"}, {NUM_PERCENT, "percent"}, {NUM_MONEY, "money"},
        {NUM_TIME, "time"}, {NUM_UNIT, "unit"}, {NUM_ORD, "ordinal"}, {NUM_COUNTER, "counter"}};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (n->flags & kinds[k].flag) return tly_arena_printf(d->a, "%s (%s)", v, kinds[k].name);
    return v;
}

static int mention_cmp(const void *a, const void *b, void *ctx) {
    const tally_mention *x = a, *y = b;
    (void)ctx;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

static int stage_mention_list(tly_doc *d) {
    if (!d->want_mentions) return TLY_STAGE_SKIP;
    for (size_t i = 0; i < tly_doc_sent_count(d); i++) {
        const tly_sent *s = tly_doc_sent_at(d, i);
        if (add_mention(d, TALLY_MENTION_SENTENCE, s->start, s->end, tly_arena_printf(d->a, "paragraph %u", s->para)))
            return -1;
    }
    for (size_t i = 0; i < tly_doc_num_count(d); i++) {
        const tly_num *n = tly_doc_num_at(d, i);
        if (add_mention(d, TALLY_MENTION_NUMBER, tly_doc_tok_start(d, n->t0), tly_doc_tok_end(d, n->t1),
                        number_value(d, n)))
            return -1;
    }
    for (size_t i = 0; i < tly_doc_timex_count(d); i++) {
        const tally_timex *x = &tly_doc_timex_at(d, i)->pub;
        char a[16], b[16];
        tally_date_format(x->first, a, sizeof a);
        tally_date_format(x->last, b, sizeof b);
        if (add_mention(d, TALLY_MENTION_DATE, x->start, x->end,
                        tly_arena_printf(d->a, "%s %s %s..%s", tally_timex_type_name(x->type), x->value ? x->value : "", a, b)))
            return -1;
    }
    for (size_t i = 0; i < tly_doc_place_count(d); i++) {
        const tly_placem *p = tly_doc_place_at(d, i);
        if (add_mention(d, TALLY_MENTION_PLACE, tly_doc_tok_start(d, p->t0), tly_doc_tok_end(d, p->t1),
                        tly_arena_printf(d->a, "%s%s (%s)", p->demonym ? "demonym of " : "", p->pl->name, p->pl->country)))
            return -1;
    }
    for (size_t i = 0; i < tly_doc_actor_count(d); i++) {
        const tly_actor *a = tly_doc_actor_at(d, i);
        static const char *src[] = {"actor", "role", "person", "anaphor", "country"};
        if (add_mention(d, TALLY_MENTION_ACTOR, tly_doc_tok_start(d, a->t0), tly_doc_tok_end(d, a->t1),
                        tly_arena_printf(d->a, "%s [%s %s %s]%s%s", a->name, src[a->src], a->kind ? a->kind : "-",
                                         a->side ? a->side : "-", a->perp ? " perp=" : "", a->perp ? a->perp : "")))
            return -1;
    }
    for (size_t i = 0; i < tly_doc_match_count(d); i++) {
        const tly_match *m = tly_doc_match_at(d, i);
        const char *v;
        tally_mention_kind kind;
        switch (m->e->type) {
        case LX_WEAPON:
            kind = TALLY_MENTION_WEAPON;
            v = tly_arena_printf(d->a, "%s%s%s", m->e->s, m->e->s2 ? " " : "", m->e->s2 ? m->e->s2 : "");
            break;
        case LX_OUTCOME: kind = TALLY_MENTION_OUTCOME; v = tally_outcome_name((tally_outcome)m->e->sub); break;
        case LX_VICTIM: kind = TALLY_MENTION_VICTIM; v = tally_victims_name((tally_victims)m->e->sub); break;
        default: continue;
        }
        if (add_mention(d, kind, tly_doc_tok_start(d, m->t0), tly_doc_tok_end(d, m->t1), v)) return -1;
    }
    /* by position (stable: kinds in the order above at one position) */
    tally_mention *tmp = tly_arena_alloc(d->a, (d->mentions.n + 1) * sizeof *tmp);
    if (!tmp) return -1;
    tly_sort(d->mentions.v, tmp, d->mentions.n, sizeof *tmp, mention_cmp, NULL);
    return 0;
}

/* ---------------------------------------------------------------- the table */
#define L(x) TLY_L_##x
static const tly_stage STAGES[] = {
    {"tokens", stage_tokens, 0, L(TOKENS), TLY_PER_DOC},
    {"refdate", stage_refdate, L(TOKENS), L(REFDATE), TLY_PER_DOC},
    /* the cue scan: every lexicon phrase at every token */
    {"lexicon", stage_lexicon, L(TOKENS), L(MATCHES), TLY_PER_DOC},
    {"outcome-gate", stage_outcome_gate, L(MATCHES), 0, TLY_GATE},
    /* carries the last date told and the narrative year along */
    {"timex", stage_timex, L(TOKENS) | L(REFDATE), L(TIMEX), TLY_PER_DOC},
    {"numbers", stage_numbers, L(TOKENS) | L(MATCHES) | L(TIMEX), L(NUMBERS), TLY_PER_SENT},
    /* anaphors and bare roles resolve against earlier mentions */
    {"mentions", stage_mentions, L(TOKENS) | L(MATCHES) | L(TIMEX), L(ACTORS) | L(PERSONS) | L(PLACES), TLY_PER_DOC},
    {"claims", tly_find_claims, L(TOKENS) | L(MATCHES) | L(TIMEX) | L(NUMBERS) | L(ACTORS) | L(PLACES), L(CLAIMS), TLY_PER_SENT},
    /* the current speaker, place and date carry from sentence to sentence */
    {"context", tly_resolve_context,
     L(TOKENS) | L(REFDATE) | L(MATCHES) | L(TIMEX) | L(NUMBERS) | L(ACTORS) | L(PLACES) | L(CLAIMS), L(CONTEXT), TLY_PER_DOC},
    {"mention-list", stage_mention_list,
     L(TOKENS) | L(MATCHES) | L(TIMEX) | L(NUMBERS) | L(ACTORS) | L(PLACES), L(MENTIONS), TLY_PER_DOC},
};
#undef L

const tly_stage *tly_pipeline(size_t *n) {
    *n = sizeof STAGES / sizeof *STAGES;
    return STAGES;
}

int tly_pipeline_run(tly_doc *d) {
    for (size_t i = 0; i < sizeof STAGES / sizeof *STAGES; i++) {
        const tly_stage *s = &STAGES[i];
        assert(TLY_DOC_HAS(d, s->needs) && "a stage runs before the layers it needs");
        int rc = s->run(d);
        if (rc < 0) return -1;
        if (rc != TLY_STAGE_SKIP) d->layers |= s->gives;
        if (rc == TLY_STAGE_STOP) break;
    }
    return 0;
}
