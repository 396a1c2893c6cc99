/* claims_ru.c -- the Russian claim grammar. The English stages (claims.c)
 * read Russian through its pack (data/ru/: the verb on either side of the
 * figure is a "ved" form, the participles after it adjectives); what
 * Russian word order and the lack of articles add is here:
 *
 *   a verb before its figure governs it alone: in "погибли 69 человек и 322
 *   получили ранения" the figure 69 is not also a subject of the second verb
 *   (the English "two civilians and three soldiers were killed" rule);
 *   a singular noun with no figure is one: "пострадала девушка", "мужчина
 *   погиб" (English needs an article: "a girl was injured");
 *   the victims stand after a participle that follows the figure ("15
 *   погибших военнослужащих", "число погибших мирных жителей");
 *   "потеряла более 550 убитыми": a side's losses (a loss verb, the
 *   participle in the instrumental) are of its forces;
 *   "погибло 40 и ранено 75 военнопленных": figures joined by "и" share the
 *   victims named after the last;
 *   "погибли двое мужчин и одна женщина": groups of one class joined by "и"
 *   after the verb are also counted together (3), as "two men and a woman";
 *   a period that starts at a date ("с 27 сентября погибли 69") makes a
 *   running total, as "since" does in English;
 *   a name in quotation marks is the name of a unit, an enterprise or a
 *   market («Азов», рынок «Сокол»), not of the town it may also spell;
 *   "в Еленовке под Донецком": a larger place after a smaller one and a
 *   preposition only says where the smaller one is;
 *   a report that dates no harm is of its publication day (the gold
 *   convention for breaking news): the claim starts with the reference
 *   date, and the context stage replaces it with any date the text gives. */
#include "doc.h"
#include "grammar.h"
#include "lang.h"
#include <string.h>

/* claim k is a subject-left reading of a figure that a verb before it
 * already governs with another outcome, the verb of a later figure's clause */
static int verb_first_repeat(const tly_doc *d, size_t k) {
    const tly_claim_x *c = &d->claims.v[k];
    if (c->t_trig0 < c->t_count1) return 0;
    int governed = 0, later = 0;
    for (size_t j = 0; j < d->claims.n && !(governed && later); j++) {
        const tly_claim_x *o = &d->claims.v[j];
        if (j == k || o->sent != c->sent) continue;
        if (o->t_count0 == c->t_count0 && o->c.outcome != c->c.outcome && o->t_trig1 <= o->t_count0) governed = 1;
        if (o->c.outcome == c->c.outcome && o->t_count0 >= c->t_count1 && o->t_count1 <= c->t_trig0) later = 1;
    }
    return governed && later;
}

static int drop_verb_first_repeats(tly_doc *d) {
    if (!d->claims.n) return 0;
    uint8_t *drop = tly_arena_calloc(d->a, d->claims.n, 1);
    if (!drop) return -1;
    for (size_t k = 0; k < d->claims.n; k++) drop[k] = (uint8_t)verb_first_repeat(d, k);
    size_t o = 0;
    for (size_t k = 0; k < d->claims.n; k++)
        if (!drop[k]) d->claims.v[o++] = d->claims.v[k];
    d->claims.n = o;
    return 0;
}

/* A singular victim noun at i..t1 next to the outcome words, with no figure
 * of its own. */
static const tly_match *one_victim(const tly_doc *d, uint32_t i, const tly_sent *s) {
    if (i < s->tok_begin || i >= s->tok_end) return NULL;
    const tly_match *vm = tly_doc_match(d, i, LX_VICTIM, -1);
    if (!vm || !(vm->e->a & 1) || vm->e->sub == TALLY_VICTIMS_BUILDINGS) return NULL;
    if (i > s->tok_begin && d->num_at[i - 1] >= 0) return NULL;  /* "5 человек" */
    return vm;
}

static int implied_one(tly_doc *d) {
    for (size_t si = 0; si < d->tk.nsent; si++) {
        const tly_sent *s = &d->tk.sent[si];
        for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
            const tly_match *tr = tly_doc_match(d, i, LX_OUTCOME, -1);
            if (!tr || (tr->e->a != F_VED && tr->e->a != F_INTR) || tr->e->sub == TALLY_DAMAGED) continue;
            int claimed = 0;
            for (size_t k = 0; k < d->claims.n && !claimed; k++)
                claimed = d->claims.v[k].sent == si && d->claims.v[k].t_trig0 <= tr->t1 && d->claims.v[k].t_trig1 >= tr->t0;
            if (claimed) continue;
            /* "пострадала девушка" (the noun after), "мужчина погиб" (before) */
            const tly_match *vm = one_victim(d, tr->t1, s);
            if (!vm) {
                for (uint32_t b = i; b-- > s->tok_begin && b + 4 > i && !vm;) {
                    const tly_match *m = one_victim(d, b, s);
                    if (m && m->t1 == i) vm = m;
                }
            }
            if (!vm) continue;
            tly_claim_x c;
            memset(&c, 0, sizeof c);
            c.sent = (uint32_t)si;
            c.c.outcome = (tally_outcome)tr->e->sub;
            c.c.count_low = c.c.count_high = 1;
            c.victims_explicit = 1;
            c.c.victims = (tally_victims)vm->e->sub;
            c.t_count0 = vm->t0; c.t_count1 = vm->t1;
            c.t_trig0 = tr->t0; c.t_trig1 = tr->t1;
            c.country_from_victims = -1;
            /* in the sentence's order */
            size_t at = d->claims.n;
            if (!tly_vec_push(d->a, &d->claims, c)) return -1;
            while (at > 0 && (d->claims.v[at - 1].sent > c.sent ||
                              (d->claims.v[at - 1].sent == c.sent && d->claims.v[at - 1].t_count0 > c.t_count0))) {
                d->claims.v[at] = d->claims.v[at - 1];
                at--;
            }
            d->claims.v[at] = c;
        }
    }
    return 0;
}

static void victims_after_participle(tly_doc *d) {
    for (size_t k = 0; k < d->claims.n; k++) {
        tly_claim_x *c = &d->claims.v[k];
        if (c->victims_explicit || c->t_trig0 < c->t_count1) continue;
        const tly_match *tr = tly_doc_match(d, c->t_trig0, LX_OUTCOME, -1);
        if (!tr || (tr->e->a != F_ADJ && tr->e->a != F_TOLL)) continue;
        if (tr->e->a == F_ADJ && c->t_trig0 != c->t_count1) continue; /* right after the figure */
        uint32_t q = c->t_trig1;
        while (q < d->tk.n && tly_cue(d, q, CUE_COUNT_MODIFIER) && !tly_doc_match(d, q, LX_VICTIM, -1)) q++;
        const tly_match *vm = tly_doc_match(d, q, LX_VICTIM, -1);
        if (!vm || vm->e->sub == TALLY_VICTIMS_BUILDINGS || d->tk.tok[q].sent != c->sent) continue;
        c->c.victims = (tally_victims)vm->e->sub;
        c->victims_explicit = 1;
    }
}

/* what the figures of a sentence's claims share: the victims named after
 * the last of a chain "OUTCOME N и OUTCOME M VICTIMS", and a side's losses */
static void shared_victims(tly_doc *d) {
    /* a side's losses: a loss verb right before the figure ("потерял около
     * 200 человек погибшими"), and the figures joined to it by "и" ("и
     * свыше 500 ранеными") */
    for (size_t k = 0; k < d->claims.n; k++) {
        tly_claim_x *c = &d->claims.v[k];
        if (c->c.outcome == TALLY_DAMAGED || c->t_trig0 < c->t_count1) continue;
        if (c->victims_explicit && c->c.victims != TALLY_VICTIMS_PEOPLE) continue;
        uint32_t b = c->t_count0;
        while (b > 0 && (d->num_at[b - 1] >= 0 || tly_doc_match(d, b - 1, LX_QUAL, -1))) b--;
        int loss = b > 0 && tly_cue(d, b - 1, CUE_LOSS_VERB);
        if (!loss && k > 0) {
            const tly_claim_x *p = &d->claims.v[k - 1];
            loss = p->sent == c->sent && p->c.victims == TALLY_VICTIMS_MILITARY && tly_cue(d, p->t_trig1, CUE_AND) &&
                   p->t_trig1 + 1 == b;
        }
        if (loss) { c->c.victims = TALLY_VICTIMS_MILITARY; c->victims_explicit = 1; }
    }
    /* "погибло 40 и ранено 75 военнопленных": the victims named after the last */
    for (size_t k = d->claims.n; k-- > 1;) {
        tly_claim_x *c = &d->claims.v[k - 1];
        const tly_claim_x *n = &d->claims.v[k];
        if (c->victims_explicit || c->c.outcome == TALLY_DAMAGED || n->sent != c->sent || !n->victims_explicit ||
            n->t_trig1 > n->t_count0)
            continue;
        /* only "и" and the next outcome words between the figures */
        if (!tly_cue(d, c->t_count1, CUE_AND) || c->t_count1 + 1 != n->t_trig0 || n->t_trig1 != n->t_count0) continue;
        c->c.victims = n->c.victims;
        c->victims_explicit = 1;
    }
}

/* the sum of two groups of people a verb before them governs */
static int coordinated_sum(tly_doc *d) {
    size_t n0 = d->claims.n;
    for (size_t k = 0; k + 1 < n0; k++) {
        const tly_claim_x *a = &d->claims.v[k], *b = &d->claims.v[k + 1];
        if (a->sent != b->sent || a->c.outcome != b->c.outcome || a->t_trig0 != b->t_trig0 ||
            a->t_trig1 > a->t_count0 || a->c.victims != TALLY_VICTIMS_PEOPLE || b->c.victims != TALLY_VICTIMS_PEOPLE ||
            a->c.count_low != a->c.count_high || b->c.count_low != b->c.count_high || a->c.count_low <= 0 ||
            b->c.count_low <= 0 || a->c.count_low + b->c.count_low >= 1000)
            continue;
        /* "N1 X и N2 Y": the second group right after "и" */
        uint32_t q = a->t_count1;
        while (q < b->t_count0 && !tly_cue(d, q, CUE_AND) && tly_doc_match(d, q, LX_VICTIM, -1)) q++;
        if (!tly_cue(d, q, CUE_AND) || q + 1 != b->t_count0) continue;
        tly_claim_x c = *a;
        c.c.count_low = c.c.count_high = a->c.count_low + b->c.count_low;
        c.t_count1 = b->t_count1;
        if (!tly_vec_push(d->a, &d->claims, c)) return -1;
        a = &d->claims.v[k]; /* the vector may have moved */
        /* the sum goes before its parts, in the sentence's order */
        for (size_t at = d->claims.n - 1; at > k; at--) d->claims.v[at] = d->claims.v[at - 1];
        d->claims.v[k] = c;
        k += 2;
        n0++;
    }
    return 0;
}

/* the sentence of claim c names the start of a period ("с 27 сентября") */
static int period_from_date(const tly_doc *d, const tly_claim_x *c) {
    const tly_sent *s = &d->tk.sent[c->sent];
    for (size_t k = 0; k < d->ntx; k++) {
        const tly_timex *x = &d->tx[k];
        if (x->pub.start >= s->start && x->pub.start < s->end && (x->flags & TLY_TX_ANCHOR) &&
            !(x->flags & TLY_TX_ASOF) && x->pub.first.year > 0)
            return 1;
    }
    return 0;
}

/* place k only locates the place before it: "в Еленовке под Донецком" */
static int locator(const tly_doc *d, size_t k) {
    const tly_placem *p = &d->pl[k];
    if (k == 0 || p->demonym || p->t0 < 2 || !tly_cue(d, p->t0 - 1, CUE_PREP)) return 0;
    const tly_placem *x = &d->pl[k - 1];
    return !x->demonym && x->t1 + 1 == p->t0 && x->pl->population < p->pl->population;
}

static void drop_quoted_places(tly_doc *d) {
    size_t o = 0;
    for (size_t k = 0; k < d->npl; k++) {
        const tly_placem *p = &d->pl[k];
        int quoted = p->t0 > 0 && tly_punct(d, p->t0 - 1, '"') && tly_punct(d, p->t1, '"') && !p->demonym &&
                     p->pl->kind != TLY_PLACE_COUNTRY;
        if (!quoted && !locator(d, k)) d->pl[o++] = *p;
    }
    if (o == d->npl) return;
    d->npl = o;
    for (size_t t = 0; t < d->tk.n; t++) d->pl_at[t] = -1;
    for (size_t k = 0; k < d->npl; k++)
        for (uint32_t t = d->pl[k].t0; t < d->pl[k].t1; t++) d->pl_at[t] = (int32_t)k;
}

/* the sentence of claim c has a running-total cue ("с начала", "в ходе
 * войны"): the context stage makes it a total, which has no day of its own */
static int running_total_cue(const tly_doc *d, const tly_claim_x *c) {
    const tly_sent *s = &d->tk.sent[c->sent];
    for (uint32_t q = s->tok_begin; q < s->tok_end; q++)
        if (tly_cue(d, q, CUE_CUMULATIVE)) return 1;
    return 0;
}

int tly_ru_find_claims(tly_doc *d) {
    drop_quoted_places(d);
    if (tly_en_find_claims(d) || drop_verb_first_repeats(d) || implied_one(d)) return -1;
    victims_after_participle(d);
    shared_victims(d);
    if (coordinated_sum(d)) return -1;
    for (size_t k = 0; k < d->claims.n; k++) {
        tly_claim_x *c = &d->claims.v[k];
        if (c->c.outcome != TALLY_DAMAGED && period_from_date(d, c)) c->c.scope = TALLY_SCOPE_CUMULATIVE;
        if (c->c.scope != TALLY_SCOPE_CUMULATIVE && d->ref.year > 0 && !c->c.date_start.year &&
            !running_total_cue(d, c))
            c->c.date_start = c->c.date_end = d->ref;
    }
    return 0;
}
