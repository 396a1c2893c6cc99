/* claims.c -- the claim grammar: an outcome word, the figure it governs and
 * who the victims are, within one sentence.
 *
 *   object right:  "killing 11 civilians", "killed an eight-year-old girl",
 *                  "claimed the lives of more than 6,000 people"
 *   subject left:  "26 civilians were killed", "143 injured", "another 21
 *                  were missing", "16-year-old civilian X died",
 *                  "a woman and child had been killed" (coordinated())
 *   noun:          "26 civilian deaths"
 *   toll:          "the number of victims among civilians rose to 93"
 *
 * Coordinated figures share the victims of the figure before them
 * ("26 civilians were killed, 143 injured"). */
#include "doc.h"
#include "grammar.h"
#include "lang.h"
#include <string.h>

#define BAD_COUNT (NUM_AGE | NUM_YEAR | NUM_DATE | NUM_PERCENT | NUM_MONEY | NUM_TIME | NUM_UNIT | \
                   NUM_ORD | NUM_COUNTER)

typedef struct np {
    int ok;
    int32_t num;           /* number index, or -1 for an implied one */
    int64_t lo, hi;
    const char *qual;
    int victims;           /* tally_victims, or -1 when the words do not say */
    uint32_t c0, c1;       /* the figure's tokens (or the noun for an implied one) */
    uint32_t np0, np1;     /* the whole noun phrase */
    const tly_place *dem;  /* "Azerbaijani civilians": the victims' country */
    const char *side;      /* "PKK militants": an armed group or a state's forces named in the phrase */
    uint32_t part_of;      /* a breakdown: 1 + the index of its total (claims.c only) */
    int mixed;             /* "one Armenian and one Azeri civilian": the victims of two sides */
} np;

static int has_verbish(const tly_doc *d, size_t i) {
    return tly_doc_match(d, i, LX_OUTCOME, -1) || tly_doc_match(d, i, LX_CUE, CUE_SPEECH_VERB) ||
           tly_doc_match(d, i, LX_CUE, CUE_AUX);
}

static const tly_match *victim_at(const tly_doc *d, size_t i) {
    return tly_doc_match(d, i, LX_VICTIM, -1);
}

static int same(const tly_doc *d, size_t i, size_t j) {
    return i < d->tk.n && j < d->tk.n && d->tk.tok[i].sent == d->tk.tok[j].sent;
}

/* A word that may stand inside a victim noun phrase between its figure and
 * its head noun: a capitalized word, an actor, a lower-case word no lexicon
 * knows, a victim word ("Kurdistan Workers Party (PKK) militants", "one
 * suspected Baloch Separatist militant", "20 junta soldiers"); never a verb,
 * a figure, a date, a preposition or a conjunction. */
static int np_word(const tly_doc *d, uint32_t k) {
    if (k >= d->tk.n) return 0;
    const tly_tok *t = &d->tk.tok[k];
    if (!(t->flags & TK_WORD) || d->tx_at[k] >= 0 || d->num_at[k] >= 0 || has_verbish(d, k)) return 0;
    if (tly_cue(d, k, CUE_PREP) || tly_cue(d, k, CUE_AND) || tly_cue(d, k, CUE_CONJ) || tly_cue(d, k, CUE_SUBSET) ||
        tly_cue(d, k, CUE_RELATIVE) || tly_cue(d, k, CUE_ARTICLE) || tly_cue(d, k, CUE_NEG))
        return 0;
    if (t->flags & (TK_CAP | TK_UPPER)) return 1;
    return d->act_at[k] >= 0 || victim_at(d, k) || !tly_known(d, k) || tly_doc_match(d, k, LX_ROLE, -1) ||
           tly_doc_match(d, k, LX_ACTOR, -1);
}

/* "(PKK)": an acronym in parentheses starting at k; returns the token after it, or k */
static uint32_t paren_right(const tly_doc *d, uint32_t k) {
    if (!tly_punct(d, k, '(')) return k;
    for (uint32_t e = k + 1; e < k + 5 && same(d, k, e); e++) {
        if (tly_punct(d, e, ')')) return e > k + 1 ? e + 1 : k;
        if (!(d->tk.tok[e].flags & TK_WORD)) return k;
    }
    return k;
}
static uint32_t paren_left(const tly_doc *d, uint32_t k, uint32_t sent_begin) { /* k: after the ')' */
    if (k < sent_begin + 3 || !tly_punct(d, k - 1, ')')) return k;
    for (uint32_t b = k - 1; b-- > sent_begin && b + 5 > k;) {
        if (tly_punct(d, b, '(')) return paren_right(d, b) == k ? b : k;
        if (!(d->tk.tok[b].flags & TK_WORD)) return k;
    }
    return k;
}

/* The run of names before a head noun at s, back to a figure: returns where
 * the run starts (right after the figure), or s when no figure ends it. */
static uint32_t name_run_left(const tly_doc *d, uint32_t s, uint32_t sent_begin) {
    uint32_t k = s;
    for (int g = 0; g < 7 && k > sent_begin; g++) {
        uint32_t pk = paren_left(d, k, sent_begin);
        if (pk < k) k = pk;
        else if (tly_punct(d, k - 1, '-') || np_word(d, k - 1)) k--;
        else break;
        if (k > sent_begin && d->num_at[k - 1] >= 0 && d->num[d->num_at[k - 1]].t1 == k) return k;
    }
    return s;
}

/* The same run read rightwards from i: the head noun it ends at (the last
 * victim noun of the run), or i when there is none. */
static uint32_t name_run_right(const tly_doc *d, uint32_t i) {
    uint32_t k = i, head = i;
    for (int g = 0; g < 7 && k < d->tk.n && same(d, i, k); g++) {
        const tly_match *vm = victim_at(d, k);
        if (vm && vm->e->a != 0 && k > i) head = k;
        uint32_t pk = paren_right(d, k);
        if (pk > k) { k = pk; continue; }
        if (tly_punct(d, k, '-') || np_word(d, k)) { k++; continue; }
        break;
    }
    return head;
}

/* Whose dead, from the words of the phrase [t0, t1): a nationality
 * ("Armenian servicemen": AM), an armed group ("PKK militants": its
 * canonical name), or the forces of a state ("Tatmadaw soldiers": MM). */
static const char *side_of_phrase(const tly_doc *d, uint32_t t0, uint32_t t1, const tly_place *dem) {
    if (dem && dem->country[0]) return dem->country;
    for (uint32_t k = t0; k < t1 && k < d->tk.n; k++) {
        if (d->pl_at[k] >= 0 && d->pl[d->pl_at[k]].demonym && d->pl[d->pl_at[k]].pl->country[0])
            return d->pl[d->pl_at[k]].pl->country;
        int32_t a = d->act_at[k];
        if (a < 0 || !d->act[a].kind) continue;
        const tly_actor *ac = &d->act[a];
        if (!strcmp(ac->kind, "armed_group")) return ac->name;
        if (!strcmp(ac->kind, "armed_forces") && ac->side && strlen(ac->side) == 2) return ac->side;
    }
    return NULL;
}

/* a dash: "-", "--", an en or em dash */
static int is_dash(const tly_doc *d, uint32_t k) {
    if (k >= d->tk.n || !(d->tk.tok[k].flags & TK_PUNCT)) return 0;
    const char *n = d->tk.tok[k].norm;
    return n[0] == '-' || !strcmp(n, "\xe2\x80\x94") || !strcmp(n, "\xe2\x80\x93");
}

static int count_ok(const tly_doc *d, int32_t k, int followed_by_victim) {
    const tly_num *nu = &d->num[k];
    uint32_t bad = nu->flags & BAD_COUNT;
    if (bad == NUM_YEAR && followed_by_victim) bad = 0;
    if (bad) return 0;
    if ((nu->flags & NUM_DECIMAL)) return 0;
    if (nu->val <= 0 || nu->val > 1e9) return 0;
    /* "no" / "not" before the figure */
    if (nu->t0 > 0 && same(d, nu->t0 - 1, nu->t0) && tly_doc_match(d, nu->t0 - 1, LX_CUE, CUE_NEG)) return 0;
    return 1;
}

/* An adjective-like token between a figure and its noun: a demonym, an age
 * ("two-year-old"), "more", or a lower-case word the lexicons do not know. */
static uint32_t modifier_len(const tly_doc *d, uint32_t i, const tly_place **dem) {
    const tly_tok *t = d->tk.tok;
    if (i >= d->tk.n) return 0;
    if (d->pl_at[i] >= 0 && d->pl[d->pl_at[i]].demonym) { if (dem) *dem = d->pl[d->pl_at[i]].pl; return 1; }
    if (d->num_at[i] >= 0 && (d->num[d->num_at[i]].flags & NUM_AGE)) {
        /* "eight-year-old", "16 years old" */
        uint32_t k = d->num[d->num_at[i]].t1;
        if (tly_punct(d, k, '-')) k++;
        if (tly_numword_at(d, k, NW_AGE_YEAR) || tly_numword_at(d, k, NW_AGE_MONTH)) k++;
        if (tly_punct(d, k, '-')) k++;
        if (tly_cue(d, k, CUE_AGE)) k++;
        return k - i;
    }
    if (tly_cue(d, i, CUE_COUNT_MODIFIER) || tly_cue(d, i, CUE_FORMER)) return 1;
    const tly_tok *tk = &t[i];
    if ((tk->flags & TK_WORD) && !(tk->flags & TK_CAP) && !tly_known(d, i)) {
        /* an unknown lower-case word: an adjective only if a victim noun follows soon */
        for (uint32_t k = i + 1; k < i + 3 && same(d, i, k); k++)
            if (victim_at(d, k)) return 1;
        return 0;
    }
    /* "Red Crescent" / "Palestinian" capitalized adjectives before a victim noun */
    if ((tk->flags & TK_CAP) && (tk->flags & TK_WORD) && victim_at(d, i + 1)) return 1;
    return 0;
}

/* The victim noun (and modifiers) starting at i: returns the index after it. */
static uint32_t victim_noun_right(const tly_doc *d, uint32_t i, int *cls, int *number, const tly_place **dem,
                                  uint32_t *mod_vict) {
    uint32_t k = i;
    *mod_vict = 0;
    for (int guard = 0; guard < 5 && k < d->tk.n && same(d, i, k); guard++) {
        const tly_match *vm = victim_at(d, k);
        if (vm) {
            if (vm->e->a == 0) { /* "military personnel": a modifier; the noun follows */
                const tly_match *v2 = victim_at(d, vm->t1);
                if (v2) { *cls = vm->e->sub; *number = v2->e->a; return v2->t1; }
                *mod_vict = vm->e->sub + 1u;
                k = vm->t1;
                continue;
            }
            /* "civilian deaths": civilian is an adjective here */
            if (tly_doc_match(d, vm->t1, LX_OUTCOME, -1) && vm->e->a == 1) {
                *mod_vict = vm->e->sub + 1u;
                return k;
            }
            *cls = vm->e->sub;
            *number = vm->e->a;
            return vm->t1;
        }
        /* "25 Palestinians", "three Ukrainians": a nationality as the noun */
        if (d->pl_at[k] >= 0 && d->pl[d->pl_at[k]].demonym && !victim_at(d, k + 1) &&
            tly_lex_looks_plural(d->lex, &d->tk.tok[k], 3)) {
            if (dem) *dem = d->pl[d->pl_at[k]].pl;
            *cls = TALLY_VICTIMS_PEOPLE;
            *number = 2;
            return k + 1;
        }
        uint32_t ml = modifier_len(d, k, dem);
        if (!ml) {
            /* "13 Kurdistan Workers Party (PKK) militants": a name before the head */
            uint32_t h = name_run_right(d, k);
            if (h == k) break;
            k = h;
            continue;
        }
        k += ml;
    }
    return i;
}

static int stop_after_count(const tly_doc *d, uint32_t k) {
    /* what may follow a bare figure: end, punctuation, a conjunction or preposition */
    if (k >= d->tk.n || !same(d, k - 1, k)) return 1;
    const tly_tok *t = &d->tk.tok[k];
    if (t->flags & TK_PUNCT) return 1;
    if (tly_cue(d, k, CUE_PREP) || tly_cue(d, k, CUE_SUBSET) || tly_cue(d, k, CUE_FIGURE_END)) return 1;
    return 0;
}

/* "killing 11 civilians", "killed an eight-year-old girl" */
static int plural_person_noun(const tly_doc *d, uint32_t q);

static np object_right(const tly_doc *d, uint32_t j, int buildings) {
    np r;
    memset(&r, 0, sizeof r);
    r.victims = -1;
    r.num = -1;
    if (j >= d->tk.n || !same(d, j - 1, j)) return r;
    /* "killing at least 12": the qualifier belongs to the number */
    int32_t k = d->num_at[j];
    if (k >= 0 && d->num[k].t0 == j) {
        const tly_num *nu = &d->num[k];
        int cls = -1, number = 0;
        uint32_t mv = 0;
        const tly_place *dem = NULL;
        uint32_t e = victim_noun_right(d, nu->t1, &cls, &number, &dem, &mv);
        /* "the lives of one Armenian and one Azeri civilian": two figures share
         * the head noun after the second: one claim of their sum */
        if (e == nu->t1 && nu->lo == nu->hi && nu->lo > 0 && nu->lo < 1000) {
            uint32_t m = nu->t1;
            for (int g = 0; g < 2; g++) {
                uint32_t ml = modifier_len(d, m, NULL);
                if (!ml) break;
                m += ml;
            }
            int32_t k2 = m > nu->t1 && tly_cue(d, m, CUE_AND) ? d->num_at[m + 1] : -1;
            if (k2 >= 0 && d->num[k2].t0 == m + 1 && d->num[k2].lo == d->num[k2].hi && d->num[k2].lo > 0 &&
                d->num[k2].lo < 1000 && count_ok(d, k2, 1) && count_ok(d, k, 1)) {
                int c2 = -1, n2 = 0; uint32_t mv2 = 0;
                uint32_t e2 = victim_noun_right(d, d->num[k2].t1, &c2, &n2, NULL, &mv2);
                if (e2 > d->num[k2].t1 && c2 >= 0 && c2 != TALLY_VICTIMS_BUILDINGS && (buildings == 0)) {
                    r.ok = 1; r.num = k; r.lo = r.hi = nu->lo + d->num[k2].lo; r.qual = NULL; r.victims = c2;
                    r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = e2; r.mixed = 1;
                    return r;
                }
            }
        }
        /* "killing 11 herdsmen": a plural noun no lexicon knows, then the
         * end of the phrase, is a victim head (people) */
        if (e == nu->t1 && !buildings && plural_person_noun(d, e) && !(d->tk.tok[e].flags & TK_CAP) &&
            d->tx_at[e] < 0 && stop_after_count(d, e + 1) && count_ok(d, k, 1)) {
            r.ok = 1; r.num = k; r.lo = nu->lo; r.hi = nu->hi; r.qual = nu->qual;
            r.victims = TALLY_VICTIMS_PEOPLE;
            r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = e + 1;
            return r;
        }
        if (e == nu->t1) {
            /* "killing two of them", "killing 3 more" */
            if (tly_cue(d, e, CUE_OF)) return r;
            if (!stop_after_count(d, e)) return r;
        }
        if (!count_ok(d, k, e != nu->t1)) return r;
        if ((cls == TALLY_VICTIMS_BUILDINGS) != (buildings != 0)) return r;
        r.ok = 1; r.num = k; r.lo = nu->lo; r.hi = nu->hi; r.qual = nu->qual;
        r.victims = cls >= 0 ? cls : mv ? (int)mv - 1 : -1;
        r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = e; r.dem = dem;
        return r;
    }
    /* "killing the village head identified as X and 17 other victims": the
     * one named and the others, 18 */
    if (tly_cue(d, j, CUE_DEFINITE) && !buildings) {
        int cls = -1, number = 0;
        uint32_t mv = 0;
        uint32_t e = victim_noun_right(d, j + 1, &cls, &number, NULL, &mv);
        for (uint32_t a = e; e > j + 1 && number == 1 && a < e + 8 && same(d, j, a) && !has_verbish(d, a); a++) {
            if (!tly_cue(d, a, CUE_AND)) continue;
            int32_t nk = d->num_at[a + 1];
            if (nk < 0 || d->num[nk].t0 != a + 1 || !count_ok(d, nk, 1)) break;
            const tly_num *nu = &d->num[nk];
            const tly_match *am = tly_doc_match(d, nu->t1, LX_CUE, CUE_ANOTHER);
            int c2 = -1, n2 = 0;
            uint32_t mv2 = 0;
            uint32_t e2 = am ? victim_noun_right(d, am->t1, &c2, &n2, NULL, &mv2) : 0;
            if (!am || e2 <= am->t1 || nu->lo != nu->hi || nu->lo >= INT64_MAX - 1) break;
            r.ok = 1; r.num = nk; r.lo = r.hi = nu->lo + 1; r.qual = nu->qual;
            r.victims = cls == c2 ? cls : TALLY_VICTIMS_PEOPLE; /* a chief and other victims: people */
            r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = j; r.np1 = e2;
            return r;
        }
    }
    /* a / an / her / his + modifiers + a singular victim noun */
    if (tly_cue(d, j, CUE_ONE_DET) && !tly_cue(d, j, CUE_DEFINITE)) {
        int cls = -1, number = 0;
        uint32_t mv = 0;
        const tly_place *dem = NULL;
        uint32_t e = victim_noun_right(d, j + 1, &cls, &number, &dem, &mv);
        if (e > j + 1 && (number == 1 || number == 3) && cls != TALLY_VICTIMS_BUILDINGS) {
            r.ok = 1; r.lo = r.hi = 1; r.victims = cls;
            r.c0 = e - 1; r.c1 = e; r.np0 = j; r.np1 = e; r.dem = dem;
            /* "killed a woman and her child" */
            if (tly_cue(d, e, CUE_AND)) {
                int c2 = -1, n2 = 0; uint32_t mv2 = 0;
                uint32_t s2 = e + 1;
                if (tly_doc_match(d, s2, LX_CUE, CUE_ONE_DET)) s2++;
                uint32_t e2 = victim_noun_right(d, s2, &c2, &n2, &dem, &mv2);
                if (e2 > s2 && n2 == 1) { r.lo = r.hi = 2; r.np1 = e2; r.c1 = e2; }
            }
        }
    }
    return r;
}

/* The noun phrase that ends just before token i (exclusive), read leftwards. */
/* A plural noun for people that the victims lexicon does not list: a
 * nationality ("Australians"), or a lower-case plural that no lexicon knows
 * ("migrants"). Units, animals and things are lexicon words (the not_count
 * cue of data/en/cues.tsv) and so are left out here, as are timex words. */
static int plural_person_noun(const tly_doc *d, uint32_t q) {
    if (q >= d->tk.n) return 0; /* a figure that ends the text */
    const tly_tok *t = &d->tk.tok[q];
    if (!(t->flags & TK_WORD) || !tly_lex_looks_plural(d->lex, t, 4)) return 0;
    if (d->pl_at[q] >= 0) return d->pl[d->pl_at[q]].demonym;
    if ((t->flags & TK_CAP) || tly_known(d, q) || d->act_at[q] >= 0) return 0;
    return 1;
}

static np subject_left(const tly_doc *d, uint32_t i, uint32_t sent_begin);

/* Where the auxiliaries and adverbs before a verb at i begin ("were",
 * "have been", "reportedly", "so far": the aux cues of data/en/cues.tsv). */
static uint32_t aux_start(const tly_doc *d, uint32_t i, uint32_t sent_begin) {
    uint32_t p = i;
    while (p > sent_begin) {
        const tly_match *m = NULL;
        /* a cue phrase of up to 4 tokens ending right before p */
        for (uint32_t b = p; b-- > sent_begin && b + 5 > p && !m;)
            for (uint32_t x = d->mfirst[b], xe = x + d->mcount[b]; x < xe; x++)
                if (d->m[x].e->type == LX_CUE && d->m[x].e->sub == CUE_AUX && d->m[x].t1 == p) { m = &d->m[x]; break; }
        if (!m) break;
        p = m->t0;
    }
    return p;
}

/* "a policewoman and four shoppers were murdered": a subject with a figure,
 * after "and" and a subject of its own, counts both (5). */
static np coordinated(const tly_doc *d, np x, uint32_t sent_begin) {
    if (!x.ok || x.lo != x.hi || x.lo == TALLY_OPEN || x.np0 <= sent_begin + 1 || !tly_cue(d, x.np0 - 1, CUE_AND))
        return x;
    np left = subject_left(d, x.np0 - 1, sent_begin);
    /* "a woman and child" (2), "two men and a woman" (3), "a policewoman and
     * four shoppers" (5); but "two civilians and three soldiers" are two
     * groups with figures of their own, two claims */
    if (left.ok && (left.num < 0 || x.num < 0) && left.lo == left.hi && left.lo > 0 && left.lo < 1000 &&
        x.lo < INT64_MAX - 1000) {
        x.lo = x.hi = x.lo + left.lo;
        x.np0 = left.np0;
        x.c0 = left.c0;
    }
    return x;
}

/* "Pc Sharon Beshenivsky was shot dead", "Wheeler was shot and killed": a
 * person named (or a surname of a person named in the document) as the
 * subject of a passive killing is one victim. Only for killings told in the
 * passive: "X died" and "X was hurt" are too often not violence. */
static np named_victim_left(const tly_doc *d, uint32_t i, uint32_t sent_begin) {
    np r;
    memset(&r, 0, sizeof r);
    r.victims = -1;
    r.num = -1;
    uint32_t p = aux_start(d, i, sent_begin);
    int passive = 0; /* "was shot", "has been killed": not "then killed" */
    for (uint32_t q = p; q < i && !passive; q++)
        passive = tly_cue(d, q, CUE_BE_AUX);
    if (!passive || p <= sent_begin) return r;
    uint32_t q = p - 1;
    int32_t ak = d->act_at[q];
    if (ak >= 0 && d->act[ak].src == AM_PERSON && d->act[ak].t1 == p && d->act[ak].t1 - d->act[ak].t0 >= 2) {
        r.ok = 1; r.lo = r.hi = 1; r.c0 = d->act[ak].t0; r.c1 = p; r.np0 = d->act[ak].t0; r.np1 = p;
        r.victims = TALLY_VICTIMS_PEOPLE;
        return r;
    }
    /* a surname alone, of a person the document has named */
    const tly_tok *t = &d->tk.tok[q];
    if (ak < 0 && d->pl_at[q] < 0 && (t->flags & TK_CAP) && (t->flags & TK_WORD) && !tly_known(d, q) &&
        (q == sent_begin || !(d->tk.tok[q - 1].flags & TK_CAP))) {
        for (size_t k = 0; k < d->nact; k++) {
            const tly_actor *a = &d->act[k];
            if (a->src != AM_PERSON || a->t1 - a->t0 < 2 || a->t0 >= q) continue;
            const tly_tok *last = &d->tk.tok[a->t1 - 1];
            if (last->hash == t->hash && !strcmp(last->norm, t->norm)) {
                r.ok = 1; r.lo = r.hi = 1; r.c0 = q; r.c1 = p; r.np0 = q; r.np1 = p;
                r.victims = TALLY_VICTIMS_PEOPLE;
                return r;
            }
        }
    }
    return r;
}

static np subject_left_(const tly_doc *d, uint32_t i, uint32_t sent_begin, int invert_off);
static np subject_left(const tly_doc *d, uint32_t i, uint32_t sent_begin) { return subject_left_(d, i, sent_begin, 0); }

static np subject_left_(const tly_doc *d, uint32_t i, uint32_t sent_begin, int invert_off) {
    np r;
    memset(&r, 0, sizeof r);
    r.victims = -1;
    r.num = -1;
    if (i <= sent_begin) return r;
    uint32_t p = aux_start(d, i, sent_begin); /* exclusive end of the NP */
    if (p <= sent_begin) return r;
    /* "the 1,800 marines who died", "16 Australians that were killed": the relative pronoun */
    int rel = p > sent_begin + 1 && tly_cue(d, p - 1, CUE_RELATIVE);
    if (rel) p--;
    /* "a 20-year-old was knifed to death": an age with no noun is one person */
    {
        uint32_t q0 = p - 1;
        while (q0 > sent_begin && (tly_cue(d, q0, CUE_AGE) || tly_punct(d, q0, '-') || tly_numword_at(d, q0, NW_AGE_YEAR)))
            q0--;
        if (q0 < p - 1 && d->num_at[q0] >= 0 && (d->num[d->num_at[q0]].flags & NUM_AGE) && q0 > sent_begin &&
            tly_cue(d, d->num[d->num_at[q0]].t0 - 1, CUE_ONE_DET) && d->num[d->num_at[q0]].t0 - 1 >= sent_begin) {
            r.ok = 1; r.lo = r.hi = 1; r.c0 = d->num[d->num_at[q0]].t0; r.c1 = p;
            r.np0 = d->num[d->num_at[q0]].t0 - 1; r.np1 = p; r.victims = TALLY_VICTIMS_PEOPLE;
            return r;
        }
    }
    /* "nine civilians, including two children, had been killed": step over the subset */
    if (tly_punct(d, p - 1, ',')) {
        /* "at least 21 boys, most of them aged under 15, were among those killed" */
        int sub = 0;
        for (uint32_t b = p - 1; b-- > sent_begin && b + 10 > p;) {
            if (has_verbish(d, b)) break;
            if (tly_doc_match(d, b, LX_CUE, CUE_SUBSET)) sub = 1;
            if (!tly_punct(d, b, ',')) continue;
            if (sub) p = b;
            break;
        }
    }
    /* "at least 15 people including a military officer and a local official
     * died", "five including the two drivers martyred": the figure before the
     * subset is the subject, the list a breakdown of it (breakdowns()). Not
     * "two of them were killed", a partitive after its figure. */
    if (!invert_off && !tly_cue(d, p - 1, CUE_RELATIVE)) { /* "2,606 who died": the relative's own subject */
        for (uint32_t b = p; b-- > sent_begin + 1 && b + 12 > p;) {
            if (has_verbish(d, b) || tly_punct(d, b, ';')) break;
            const tly_match *sm = tly_doc_match(d, b, LX_CUE, CUE_SUBSET);
            if (!sm || sm->t1 > p || tly_cue(d, b, CUE_OF)) continue;
            uint32_t e = tly_punct(d, b - 1, ',') ? b - 1 : b;
            if (e <= sent_begin) break;
            np t = subject_left_(d, e, sent_begin, 1);
            if (t.ok && t.num >= 0) return t;
            break;
        }
    }
    /* a person's name between the noun and the verb: "civilian Shahmali Rahimov died" */
    uint32_t q = p - 1;
    if (d->act_at[q] >= 0 && d->act[d->act_at[q]].src == AM_PERSON) {
        uint32_t s = d->act[d->act_at[q]].t0;
        if (s > sent_begin && victim_at(d, s - 1)) p = s;
        else if (s > sent_begin + 1 && tly_punct(d, s - 1, ',')) p = s - 1; /* "a farmer, John Doe, died" */
    }
    q = p - 1;
    /* "Ahmed, 34, was injured": a name with an age is one person */
    if (q >= sent_begin + 3 && tly_punct(d, q, ',') && d->num_at[q - 1] >= 0 && tly_punct(d, q - 2, ',') &&
        (d->tk.tok[q - 3].flags & TK_CAP) && (d->tk.tok[q - 3].flags & TK_WORD)) {
        const tly_num *nu = &d->num[d->num_at[q - 1]];
        if (nu->val >= 1 && nu->val <= 110 && nu->t0 == q - 1) {
            uint32_t s0 = q - 3;
            while (s0 > sent_begin && (d->tk.tok[s0 - 1].flags & TK_CAP) && (d->tk.tok[s0 - 1].flags & TK_WORD)) s0--;
            r.ok = 1; r.lo = r.hi = 1; r.c0 = s0; r.c1 = q - 2; r.np0 = s0; r.np1 = p;
            /* "Journalist Juan Perez, 41": the noun before the name says who */
            const tly_match *vm = s0 > sent_begin ? victim_at(d, s0 - 1) : NULL;
            if (!vm && d->act_at[s0] >= 0 && d->act[d->act_at[s0]].src == AM_PERSON) vm = victim_at(d, s0);
            if (vm && vm->e->sub != TALLY_VICTIMS_BUILDINGS) r.victims = vm->e->sub;
            return r;
        }
    }
    /* "seven others were injured", "3 more died": a figure with no noun of its own */
    if (q > sent_begin && tly_doc_match(d, q, LX_QUAL, Q_MORE) && d->num_at[q - 1] >= 0 &&
        d->num[d->num_at[q - 1]].t1 == q)
        p = q, q = q - 1;
    /* "a father-of-two was shot dead": the noun before the compound */
    if (q >= sent_begin + 4 && d->num_at[q] >= 0 && (d->num[d->num_at[q]].flags & NUM_COUNTER) &&
        d->num[d->num_at[q]].t0 >= sent_begin + 4 && tly_cue(d, d->num[d->num_at[q]].t0 - 2, CUE_OF) &&
        tly_punct(d, d->num[d->num_at[q]].t0 - 3, '-') && victim_at(d, d->num[d->num_at[q]].t0 - 4)) {
        p = d->num[d->num_at[q]].t0 - 3;
        q = p - 1;
    }
    /* "some 12 of them died": a figure and a partitive pronoun */
    if (q > sent_begin + 1) {
        for (uint32_t b = q; b > sent_begin && b + 3 > q; b--) {
            const tly_match *pm = tly_doc_match(d, b, LX_CUE, CUE_SUBSET);
            if (!pm || pm->t1 != p || !tly_cue(d, b, CUE_OF)) continue;
            int32_t nk = d->num_at[b - 1];
            /* not ", one of whom died": a relative clause on the noun before */
            if (nk >= 0 && d->num[nk].t1 == b && count_ok(d, nk, 0) && !tly_punct(d, d->num[nk].t0 - 1, ',')) {
                const tly_num *nu = &d->num[nk];
                r.ok = 1; r.num = nk; r.lo = nu->lo; r.hi = nu->hi; r.qual = nu->qual;
                r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = p;
                return r;
            }
        }
    }
    /* a bare figure: "143 injured", "another 21 were missing" */
    int32_t k = d->num_at[q];
    if (k >= 0 && d->num[k].t1 == p) {
        const tly_num *nu = &d->num[k];
        if (!count_ok(d, k, 0)) return r;
        r.ok = 1; r.num = k; r.lo = nu->lo; r.hi = nu->hi; r.qual = nu->qual;
        r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = p;
        /* "a family of seven": the noun before "of" says who */
        if (nu->t0 >= sent_begin + 2 && tly_cue(d, nu->t0 - 1, CUE_OF)) {
            if (tly_cue(d, nu->t0 - 2, CUE_FAMILY)) r.victims = TALLY_VICTIMS_CIVILIANS, r.np0 = nu->t0 - 2;
        }
        return r;
    }
    /* "16 Australians were killed", "12 migrants were injured": a figure, then a
     * plural nationality or a plural noun the lexicons do not know (people) */
    uint32_t nq = q; /* "four Jewish shoppers": one adjective may stand between */
    if (q > sent_begin + 1 && d->num_at[q - 1] < 0 && d->num_at[q - 2] >= 0 &&
        ((d->pl_at[q - 1] >= 0 && d->pl[d->pl_at[q - 1]].demonym) ||
         ((d->tk.tok[q - 1].flags & TK_WORD) && !tly_known(d, q - 1) && d->act_at[q - 1] < 0 && d->pl_at[q - 1] < 0)))
        nq = q - 1;
    if (nq > sent_begin && d->num_at[nq - 1] >= 0 && d->num[d->num_at[nq - 1]].t1 == nq && !victim_at(d, q) &&
        d->tx_at[q] < 0 && plural_person_noun(d, q)) {
        int32_t nk = d->num_at[nq - 1];
        const tly_num *nu = &d->num[nk];
        if (!(nu->flags & NUM_AGE) && count_ok(d, nk, 1)) {
            r.ok = 1; r.num = nk; r.lo = nu->lo; r.hi = nu->hi; r.qual = nu->qual;
            r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = p;
            r.victims = TALLY_VICTIMS_PEOPLE;
            if (d->pl_at[q] >= 0 && d->pl[d->pl_at[q]].demonym) r.dem = d->pl[d->pl_at[q]].pl;
            return r;
        }
    }
    /* a victim noun ending at p */
    const tly_match *vm = NULL;
    for (uint32_t b = p; b-- > sent_begin && b + 5 > p;) {
        for (uint32_t x = d->mfirst[b], xe = x + d->mcount[b]; x < xe; x++)
            if (d->m[x].e->type == LX_VICTIM && d->m[x].t1 == p && d->m[x].e->a != 0) { vm = &d->m[x]; break; }
    }
    /* "residents of the village were injured": a victim noun with a short complement */
    uint32_t comp0 = 0, comp1 = 0;
    if (!vm) {
        for (uint32_t b = p; b-- > sent_begin && b + 9 > p;) {
            const tly_tok *t = &d->tk.tok[b];
            /* "a union leader of the Awami League (AL)": an acronym in parentheses */
            if (tly_punct(d, b, ')') && paren_left(d, b + 1, sent_begin) < b) { b = paren_left(d, b + 1, sent_begin); continue; }
            if ((t->flags & TK_PUNCT) || has_verbish(d, b)) break;
            if (!tly_cue(d, b, CUE_COMPLEMENT)) continue;
            if (b == sent_begin) break;
            for (uint32_t c = b; c-- > sent_begin && c + 4 > b;) {
                for (uint32_t x = d->mfirst[c], xe = x + d->mcount[c]; x < xe; x++)
                    if (d->m[x].e->type == LX_VICTIM && d->m[x].t1 == b && d->m[x].e->a != 0) { vm = &d->m[x]; break; }
                if (vm) break;
            }
            break;
        }
        if (vm) comp0 = vm->t1, comp1 = p, p = vm->t1;
    }
    if (!vm || vm->e->a == 0) return r;
    if (vm->e->sub == TALLY_VICTIMS_BUILDINGS) return r;
    r.victims = vm->e->sub;
    /* "six members of the Frontier Corps": the members of armed forces are military */
    if (comp1 > comp0) {
        r.side = side_of_phrase(d, comp0, comp1, NULL);
        for (uint32_t w = comp0; w < comp1 && r.victims == TALLY_VICTIMS_PEOPLE; w++) {
            int32_t a = d->act_at[w];
            if (tly_cue(d, w, CUE_FORCES) ||
                (a >= 0 && d->act[a].kind && (!strcmp(d->act[a].kind, "armed_forces") || !strcmp(d->act[a].kind, "armed_group"))))
                r.victims = TALLY_VICTIMS_MILITARY;
        }
    }
    uint32_t s = vm->t0;
    /* modifiers before the noun, back to a figure or a determiner */
    const tly_place *dem = NULL;
    for (int guard = 0; guard < 6 && s > sent_begin; guard++) {
        uint32_t b = s - 1;
        int32_t nk = d->num_at[b];
        if (nk >= 0 && d->num[nk].t1 == s && !(d->num[nk].flags & NUM_AGE)) {
            const tly_num *nu = &d->num[nk];
            if (!count_ok(d, nk, 1)) return r;
            r.ok = 1; r.num = nk; r.lo = nu->lo; r.hi = nu->hi; r.qual = nu->qual;
            r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = p; r.dem = dem;
            return r;
        }
        if (nk >= 0 && (d->num[nk].flags & NUM_AGE)) { s = d->num[nk].t0; continue; }
        if (d->pl_at[b] >= 0 && d->pl[d->pl_at[b]].demonym) { dem = d->pl[d->pl_at[b]].pl; s = b; continue; }
        /* "two Chicago police officers": a place as a modifier */
        if (d->pl_at[b] >= 0 && d->pl[d->pl_at[b]].t1 == s && guard < 4) { s = d->pl[d->pl_at[b]].t0; continue; }
        /* "two Chicago police officers" where "Chicago police" is an actor */
        if (d->act_at[b] >= 0 && d->act[d->act_at[b]].t1 >= s && d->act[d->act_at[b]].t0 < s && guard < 4) {
            s = d->act[d->act_at[b]].t0;
            continue;
        }
        const tly_match *vm2 = victim_at(d, b);
        if (vm2 && vm2->t1 == s && vm2->e->a == 0) { s = vm2->t0; continue; }
        if (tly_punct(d, b, '-') || tly_numword_at(d, b, NW_AGE_YEAR) || tly_cue(d, b, CUE_AGE)) { s = b; continue; }
        /* "23 of its fighters", "1,177 of their servicemen" */
        if (b > sent_begin + 1 && d->num_at[b - 2] >= 0) {
            const tly_match *pm = tly_doc_match(d, b - 1, LX_QUAL, Q_PARTITIVE);
            if (pm && pm->t1 == b + 1) { s = b - 1; continue; }
        }
        const tly_tok *t = &d->tk.tok[b];
        if ((t->flags & TK_WORD) && !(t->flags & TK_CAP) && !tly_known(d, b) && guard < 3) { s = b; continue; }
        /* "four Jewish shoppers": a capitalized adjective right after the figure */
        if ((t->flags & TK_WORD) && (t->flags & TK_CAP) && !tly_known(d, b) && d->act_at[b] < 0 && d->pl_at[b] < 0 &&
            b > sent_begin && d->num_at[b - 1] >= 0 && d->num[d->num_at[b - 1]].t1 == b) { s = b; continue; }
        if (tly_cue(d, b, CUE_COUNT_MODIFIER) || tly_cue(d, b, CUE_FORMER)) { s = b; continue; }
        /* "five other fishermen", "two further victims": the "another" cue words */
        {
            const tly_match *am = tly_doc_match(d, b, LX_CUE, CUE_ANOTHER);
            if (am && am->t1 == s) { s = b; continue; }
        }
        /* "over 2,000 are civilians who have been killed": a figure, a be-verb, the noun, a relative */
        if (rel && tly_cue(d, b, CUE_BE_AUX) && b > sent_begin && d->num_at[b - 1] >= 0 && d->num[d->num_at[b - 1]].t1 == b) {
            s = b;
            continue;
        }
        /* "13 Kurdistan Workers Party (PKK) militants", "20 junta soldiers" */
        {
            uint32_t b2 = name_run_left(d, s, sent_begin);
            if (b2 < s) { s = b2; continue; }
        }
        break;
    }
    /* no figure: a singular noun is one victim ("a nine-year-old girl was killed") */
    if (vm->e->a == 1 || vm->e->a == 3) {
        if (s > sent_begin && tly_doc_match(d, s - 1, LX_CUE, CUE_NEG)) return r;
        int det = s > sent_begin && tly_doc_match(d, s - 1, LX_CUE, CUE_ONE_DET);
        if (vm->e->a == 3 && !det) return r;
        if (s > sent_begin && tly_cue(d, s - 1, CUE_QUANTIFIER)) return r;
        r.ok = 1; r.lo = r.hi = 1; r.c0 = vm->t0; r.c1 = vm->t1; r.np0 = det ? s - 1 : s; r.np1 = p; r.dem = dem;
        return r; /* "a woman and child": coordinated() adds the one before "and" */
    }
    return r;
}

static int push_claim(tly_doc *d, uint32_t sent, const tly_match *tr, const np *x, int outcome) {
    for (size_t k = d->claims.n; k-- > 0 && d->claims.v[k].sent == sent;) { /* this sentence's only */
        const tly_claim_x *c = &d->claims.v[k];
        if (c->t_count0 == x->c0 && (int)c->c.outcome == outcome) return 0;
    }
    tly_claim_x c;
    memset(&c, 0, sizeof c);
    c.sent = sent;
    c.c.outcome = (tally_outcome)outcome;
    c.c.count_low = x->lo;
    c.c.count_high = x->hi;
    c.c.qualifier = x->qual;
    c.victims_explicit = x->victims >= 0;
    c.c.victims = x->victims >= 0 ? (tally_victims)x->victims : TALLY_VICTIMS_PEOPLE;
    c.t_count0 = x->c0; c.t_count1 = x->c1;
    c.t_trig0 = tr->t0; c.t_trig1 = tr->t1;
    c.victim_country = x->dem;
    c.country_from_victims = -1;
    /* "four former army officers": no longer soldiers */
    for (uint32_t k = x->np0; k < x->np1 && k < d->tk.n && c.c.victims == TALLY_VICTIMS_MILITARY; k++)
        if (tly_cue(d, k, CUE_FORMER)) c.c.victims = TALLY_VICTIMS_PEOPLE;
    c.c.victims_side = x->mixed ? NULL : x->side ? x->side : side_of_phrase(d, x->np0, x->np1, x->dem);
    c.c.part_of = x->part_of;
    return tly_vec_push(d->a, &d->claims, c) ? 0 : -1;
}

static int preceded_by_aux(const tly_doc *d, uint32_t i, uint32_t sent_begin) {
    for (uint32_t b = i; b-- > sent_begin && b + 4 > i;) {
        for (uint32_t x = d->mfirst[b], xe = x + d->mcount[b]; x < xe; x++) {
            const tly_match *m = &d->m[x];
            if (m->e->type == LX_CUE && m->e->sub == CUE_AUX && m->t1 == i) {
                return tly_cue(d, b, CUE_BE_AUX) || preceded_by_aux(d, b, sent_begin);
            }
        }
    }
    return 0;
}

/* "the death toll ... rose to 93": the first good figure after the trigger */
static np toll_right(const tly_doc *d, uint32_t j, uint32_t sent_end, int *victims) {
    np r;
    memset(&r, 0, sizeof r);
    r.victims = -1;
    r.num = -1;
    for (uint32_t k = j; k < sent_end && k < j + 14; k++) {
        if (d->pl_at[k] >= 0 && d->pl[d->pl_at[k]].demonym && victim_at(d, k + 1)) continue;
        const tly_match *vm = victim_at(d, k);
        if (vm && *victims < 0 && vm->e->sub != TALLY_VICTIMS_BUILDINGS) *victims = vm->e->sub;
        int32_t nk = d->num_at[k];
        if (nk < 0 || d->num[nk].t0 != k) continue;
        if (!count_ok(d, nk, 0)) { k = d->num[nk].t1 - 1; continue; }
        const tly_num *nu = &d->num[nk];
        int cls = -1, number = 0;
        uint32_t mv = 0;
        const tly_place *dem = NULL;
        uint32_t e = victim_noun_right(d, nu->t1, &cls, &number, &dem, &mv);
        r.ok = 1; r.num = nk; r.lo = nu->lo; r.hi = nu->hi; r.qual = nu->qual;
        r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = e; r.dem = dem;
        /* "victims among civilians rose to 93 persons": the specific class wins */
        r.victims = (cls >= 0 && !(cls == TALLY_VICTIMS_PEOPLE && *victims >= 0)) ? cls : *victims;
        return r;
    }
    return r;
}

/* "the toll at 18 ... and updated it to 21": a verb with the pronoun of the
 * toll and a new figure after a toll's figure ending at j */
static np toll_update(const tly_doc *d, uint32_t j, uint32_t sent_end, int victims) {
    np r;
    memset(&r, 0, sizeof r);
    r.victims = -1;
    r.num = -1;
    for (uint32_t a = j; a < sent_end && a < j + 8; a++) {
        if (d->num_at[a] >= 0 || has_verbish(d, a)) break;
        if (!tly_cue(d, a, CUE_AND)) continue;
        for (uint32_t b = a + 2; b < a + 4 && b + 2 < sent_end; b++) {
            if (!tly_cue(d, b, CUE_PRONOUN) || !tly_cue(d, b + 1, CUE_PREP)) continue;
            int32_t nk = d->num_at[b + 2];
            if (nk < 0 || d->num[nk].t0 != b + 2 || !count_ok(d, nk, 0)) return r;
            const tly_num *nu = &d->num[nk];
            r.ok = 1; r.num = nk; r.lo = nu->lo; r.hi = nu->hi; r.qual = nu->qual; r.victims = victims;
            r.c0 = nu->v0; r.c1 = nu->t1; r.np0 = nu->t0; r.np1 = nu->t1;
            return r;
        }
        break;
    }
    return r;
}

/* ---------------------------------------------------------------- breakdowns */
/* One member of a breakdown list at q: "14 children", "more than a dozen
 * children", "a child" (1; *article set). "the two drivers" (definite)
 * names people counted before: read over, not counted. Returns the token
 * after the member, or q when there is none. */
static uint32_t list_member(const tly_doc *d, uint32_t q, np *x, int *article) {
    memset(x, 0, sizeof *x);
    x->victims = -1;
    x->num = -1;
    *article = 0;
    uint32_t q0 = q;
    int definite = 0;
    if (tly_cue(d, q, CUE_DEFINITE) && d->num_at[q + 1] >= 0) definite = 1, q++;
    int cls = -1, number = 0;
    uint32_t mv = 0;
    const tly_place *dem = NULL;
    int32_t k = d->num_at[q];
    if (k >= 0 && d->num[k].t0 == q) {
        const tly_num *nu = &d->num[k];
        uint32_t h = nu->t1;
        while (tly_cue(d, h, CUE_BE_AUX) && h < nu->t1 + 2) h++; /* "20 were men" */
        uint32_t e = victim_noun_right(d, h, &cls, &number, &dem, &mv);
        if (e == h || cls == TALLY_VICTIMS_BUILDINGS || !count_ok(d, k, 1)) return q0;
        if (!definite) {
            x->ok = 1; x->num = k; x->lo = nu->lo; x->hi = nu->hi; x->qual = nu->qual; x->victims = cls;
            x->c0 = nu->v0; x->c1 = nu->t1; x->np0 = nu->t0; x->np1 = e; x->dem = dem;
        }
        return e;
    }
    if (tly_cue(d, q, CUE_ONE_DET) && !tly_cue(d, q, CUE_DEFINITE)) {
        uint32_t e = victim_noun_right(d, q + 1, &cls, &number, &dem, &mv);
        if (e > q + 1 && (number == 1 || number == 3) && cls != TALLY_VICTIMS_BUILDINGS) {
            x->ok = 1; x->lo = x->hi = 1; x->victims = cls;
            x->c0 = e - 1; x->c1 = e; x->np0 = q; x->np1 = e; x->dem = dem;
            *article = 1;
            return e;
        }
    }
    return q0;
}

/* The list of a breakdown from q ("14 children", "16 women and 10
 * children", "a child and two women"), each member a claim of the outcome
 * with part_of = total (1 + its index; 0: none known). A list of articles
 * only ("a military officer and a local official") is no breakdown: it says
 * who, not how many. A member followed by a speech verb ("..., a local
 * official said") is the next clause's subject. */
static int breakdown_list(tly_doc *d, uint32_t si, uint32_t q, uint32_t end, uint32_t trig0, uint32_t trig1,
                          int outcome, uint32_t total) {
    np m[8];
    size_t n = 0;
    int figures = 0;
    while (q < end && n < 8) {
        np x;
        int art;
        uint32_t e = list_member(d, q, &x, &art);
        if (e == q || tly_cue(d, e, CUE_SPEECH_VERB)) break;
        if (x.ok) { m[n++] = x; figures += !art; }
        q = e;
        if (tly_punct(d, q, ',') && !tly_cue(d, q + 1, CUE_AND)) { q++; continue; }
        if (tly_punct(d, q, ',')) q++;
        if (tly_cue(d, q, CUE_AND)) { q++; continue; }
        break;
    }
    if (!figures) return 0;
    tly_match tr = {trig0, trig1, NULL};
    for (size_t k = 0; k < n; k++) {
        m[k].part_of = total;
        size_t before = d->claims.n;
        if (push_claim(d, si, &tr, &m[k], outcome)) return -1;
        if (d->claims.n > before) continue;
        /* already a claim (the toll's first figure): mark it */
        for (size_t j = d->claims.n; j-- > 0 && d->claims.v[j].sent == si;) {
            tly_claim_x *c = &d->claims.v[j];
            if (c->t_count0 == m[k].c0 && (int)c->c.outcome == outcome && !c->c.part_of && total != j + 1) c->c.part_of = total;
        }
    }
    return 0;
}

/* The total a breakdown of another sentence belongs to: the last claim of
 * the outcome in this or the two sentences before, not itself a part, that
 * is at least the members' sum. 0 when there is none. */
static uint32_t earlier_total(const tly_doc *d, uint32_t si, size_t before, int outcome, int64_t sum) {
    for (size_t k = before; k-- > 0;) {
        const tly_claim_x *c = &d->claims.v[k];
        if (c->sent + 2 < si) break;
        if ((int)c->c.outcome != outcome || c->c.part_of) continue;
        int64_t v = c->c.count_low != TALLY_OPEN ? c->c.count_low : c->c.count_high;
        if (v != TALLY_OPEN && v >= sum) return (uint32_t)k + 1;
    }
    return 0;
}

/* Breakdowns of the sentence si whose claims start at first:
 *   after a total:  "killed 38 people, including 14 children", "injured 62
 *                   others, among them 14 soldiers", "17 people, 11 of whom
 *                   were soldiers"
 *   as a sentence:  "The dead included 21 children and 19 women", "Among the
 *                   dead were 7 children", "the death toll overnight
 *                   included 16 women and 10 children" (the total: an
 *                   earlier claim, see earlier_total()) */
static int breakdowns(tly_doc *d, uint32_t si, size_t first) {
    const tly_sent *s = &d->tk.sent[si];
    for (size_t k = first, n0 = d->claims.n; k < n0; k++) {
        const tly_claim_x c = d->claims.v[k];
        if (c.c.part_of || c.c.outcome == TALLY_DAMAGED) continue;
        uint32_t j = c.t_count1;
        for (int g = 0; g < 8 && j < s->tok_end; g++) {
            if (tly_doc_match(d, j, LX_CUE, CUE_SUBSET)) break;
            /* ", 11 of whom were soldiers" */
            if (tly_punct(d, j, ',') && d->num_at[j + 1] >= 0 && d->num[d->num_at[j + 1]].t0 == j + 1) {
                const tly_num *nu = &d->num[d->num_at[j + 1]];
                const tly_match *sm = tly_doc_match(d, nu->t1, LX_CUE, CUE_SUBSET);
                if (sm && tly_cue(d, nu->t1, CUE_OF) && count_ok(d, d->num_at[j + 1], 0)) {
                    uint32_t v = sm->t1;
                    while (v < s->tok_end && tly_cue(d, v, CUE_BE_AUX)) v++;
                    int cls = -1, number = 0; uint32_t mv = 0; const tly_place *dem = NULL;
                    uint32_t e = victim_noun_right(d, v, &cls, &number, &dem, &mv);
                    /* "were soldiers": a be-verb and a noun; "several of whom confronted him" is a clause */
                    if (v == sm->t1 || e == v) { j = s->tok_end; break; }
                    np x;
                    memset(&x, 0, sizeof x);
                    x.ok = 1; x.num = d->num_at[j + 1]; x.lo = nu->lo; x.hi = nu->hi; x.qual = nu->qual;
                    x.victims = cls == TALLY_VICTIMS_BUILDINGS ? -1 : cls;
                    x.c0 = nu->v0; x.c1 = nu->t1; x.np0 = nu->t0; x.np1 = e > v ? e : nu->t1; x.dem = dem;
                    x.part_of = (uint32_t)k + 1;
                    tly_match tr = {c.t_trig0, c.t_trig1, NULL};
                    if (push_claim(d, si, &tr, &x, c.c.outcome)) return -1;
                }
                /* "killed 52 people, 37 on one side and 15 on the other": bare
                 * figures, each with its own phrase, that sum to the total */
                if (!sm && c.c.count_low == c.c.count_high && c.c.count_low > 0) {
                    np m[6];
                    size_t nm = 0;
                    int64_t sum = 0;
                    uint32_t q = j + 1;
                    while (nm < 6 && q < s->tok_end) {
                        int32_t nk = d->num_at[q];
                        if (nk < 0 || d->num[nk].t0 != q || !count_ok(d, nk, 0) || d->num[nk].lo != d->num[nk].hi ||
                            !tly_cue(d, d->num[nk].t1, CUE_PREP))
                            break;
                        const tly_num *nv = &d->num[nk];
                        memset(&m[nm], 0, sizeof m[nm]);
                        m[nm].ok = 1; m[nm].num = nk; m[nm].lo = m[nm].hi = nv->lo;
                        m[nm].victims = c.victims_explicit ? (int)c.c.victims : -1;
                        m[nm].c0 = nv->v0; m[nm].c1 = nv->t1; m[nm].np0 = nv->t0; m[nm].np1 = nv->t1;
                        m[nm].part_of = (uint32_t)k + 1;
                        sum += nv->lo;
                        nm++;
                        uint32_t e = nv->t1 + 1;
                        while (e < s->tok_end && e < nv->t1 + 6 && !tly_punct(d, e, ',') && !tly_cue(d, e, CUE_AND) &&
                               !has_verbish(d, e))
                            e++;
                        if (tly_punct(d, e, ',')) e++;
                        if (tly_cue(d, e, CUE_AND)) e++;
                        if (e == nv->t1 + 1 || e >= s->tok_end) break;
                        q = e;
                    }
                    tly_match tr = {c.t_trig0, c.t_trig1, NULL};
                    for (size_t a2 = 0; nm >= 2 && sum == c.c.count_low && a2 < nm; a2++)
                        if (push_claim(d, si, &tr, &m[a2], c.c.outcome)) return -1;
                }
                j = s->tok_end;
                break;
            }
            if ((j >= c.t_trig0 && j < c.t_trig1) || tly_punct(d, j, ',') || np_word(d, j) ||
                tly_cue(d, j, CUE_COUNT_MODIFIER) || tly_doc_match(d, j, LX_QUAL, Q_MORE)) {
                j++;
                continue;
            }
            j = s->tok_end;
            break;
        }
        /* "Of the 30 people killed in the attack, 12 were soldiers": the total
         * opens the sentence, the members follow its comma */
        if (tly_cue(d, s->tok_begin, CUE_OF) && c.t_count0 <= s->tok_begin + 3 && c.t_count0 > s->tok_begin) {
            uint32_t a = c.t_trig1 > c.t_count1 ? c.t_trig1 : c.t_count1;
            for (; a < s->tok_end && a < c.t_count1 + 14 && !tly_punct(d, a, ','); a++)
                if (has_verbish(d, a) && !(a >= c.t_trig0 && a < c.t_trig1)) break;
            if (tly_punct(d, a, ',') &&
                breakdown_list(d, si, a + 1, s->tok_end, c.t_trig0, c.t_trig1, c.c.outcome, (uint32_t)k + 1))
                return -1;
            continue;
        }
        const tly_match *sm = tly_doc_match(d, j, LX_CUE, CUE_SUBSET);
        if (!sm || tly_cue(d, j, CUE_OF)) continue;
        uint32_t q = sm->t1;
        if (tly_punct(d, q, ',')) q++;
        if (breakdown_list(d, si, q, s->tok_end, c.t_trig0, c.t_trig1, c.c.outcome, (uint32_t)k + 1)) return -1;
    }
    /* "The dead included ...", "Among the dead were ..." */
    for (uint32_t i = s->tok_begin + 1; i < s->tok_end; i++) {
        const tly_match *tr = tly_doc_match(d, i, LX_OUTCOME, -1);
        if (!tr || !tly_cue(d, i - 1, CUE_ARTICLE) || !tly_cue(d, i - 1, CUE_DEFINITE)) continue;
        int among = i >= s->tok_begin + 2 && tly_doc_match(d, i - 2, LX_CUE, CUE_SUBSET) &&
                    tly_doc_match(d, i - 2, LX_CUE, CUE_SUBSET)->t1 >= tr->t1;
        uint32_t j = tr->t1, v = 0;
        for (int g = 0; g < 5 && j < s->tok_end; g++, j++) {
            if (among ? tly_cue(d, j, CUE_BE_AUX) : tly_cue(d, j, CUE_INCLUDE_VERB)) { v = j + 1; break; }
            if (has_verbish(d, j) || tly_punct(d, j, ',') || d->num_at[j] >= 0) break;
        }
        if (!v) continue;
        /* the sum of the members, for the total they are part of */
        int64_t sum = 0;
        size_t before = d->claims.n;
        for (uint32_t q = v; q < s->tok_end && q < v + 24; q++) {
            int32_t nk = d->num_at[q];
            if (nk >= 0 && d->num[nk].t0 == q && d->num[nk].lo > 0) { sum += d->num[nk].lo; q = d->num[nk].t1 - 1; }
        }
        uint32_t total = earlier_total(d, si, first, tr->e->sub, sum);
        if (breakdown_list(d, si, v, s->tok_end, tr->t0, tr->t1, tr->e->sub, total)) return -1;
        if (d->claims.n > before) break;
    }
    return 0;
}

int tly_en_find_claims(tly_doc *d) {
    for (size_t si = 0; si < d->tk.nsent; si++) {
        const tly_sent *s = &d->tk.sent[si];
        size_t first_claim = d->claims.n;
        uint32_t covered = 0; /* the end of the last outcome phrase read */
        for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
            const tly_match *tr = tly_doc_match(d, i, LX_OUTCOME, -1);
            if (!tr) continue;
            /* an outcome word inside a phrase read already is no outcome of
             * its own ("fatally wounded", "killed and injured 45") */
            if (i < covered && tr->t1 <= covered) continue;
            /* overlapping outcome phrases: the one that reads further wins
             * ("were shot" is read as "shot dead" in "were shot dead") */
            {
                int longer = 0;
                for (uint32_t j = i + 1; j < tr->t1 && !longer; j++) {
                    const tly_match *o = tly_doc_match(d, j, LX_OUTCOME, -1);
                    if (o && o->t1 > tr->t1) longer = 1;
                }
                if (longer) continue;
                covered = tr->t1;
                /* "was shot at three times": fired upon, not hit; "shot down": an
                 * aircraft. The fired_upon cue read furthest decides: one that goes
                 * on past the particle ("shot at a gas station", "shot at least 3")
                 * is a hit, and so is a preposition before a name ("shot at Kabul
                 * airport": a place) */
                const tly_match *fu = tly_doc_match(d, tr->t1 - 1, LX_CUE, CUE_FIRED_UPON);
                if (fu && fu->t1 == tr->t1 + 1) {
                    uint32_t a = tr->t1;
                    if (!tly_cue(d, a, CUE_PREP)) continue;
                    if (a + 1 < d->tk.n && !(d->tk.tok[a + 1].flags & TK_CAP)) continue;
                }
            }
            int outcome = tr->e->sub, form = tr->e->a;
            np x;
            memset(&x, 0, sizeof x);
            switch (form) {
            case F_VED:
                if (!preceded_by_aux(d, i, s->tok_begin)) x = object_right(d, tr->t1, outcome == TALLY_DAMAGED);
                if (!x.ok) x = coordinated(d, subject_left(d, i, s->tok_begin), s->tok_begin);
                if (!x.ok && outcome == TALLY_KILLED) x = named_victim_left(d, i, s->tok_begin);
                break;
            case F_VING:
            case F_VBASE:
            case F_OBJ:
                x = object_right(d, tr->t1, outcome == TALLY_DAMAGED);
                /* "forced 1,500 people to flee": the object must be followed by the flight */
                if (x.ok && tr->e->b /* outcomes.tsv: "flight" */ && !tly_cue(d, x.np1, CUE_FLIGHT)) x.ok = 0;
                break;
            case F_INTR:
            case F_ADJ:
                x = coordinated(d, subject_left(d, i, s->tok_begin), s->tok_begin);
                /* "two suspects who then fled": those who flee a crime are not displaced */
                if (x.ok && outcome == TALLY_DISPLACED && x.np1 < i && tly_cue(d, x.np1, CUE_RELATIVE) &&
                    !tly_cue(d, x.np1, CUE_DEFINITE)) /* "who", not "that" */
                    x.ok = 0;
                break;
            case F_TAKEN:
            case F_NOUN: {
                /* "26 civilian deaths": a figure, then modifiers */
                uint32_t b = i;
                int vic = -1;
                const tly_place *dem = NULL;
                for (int g = 0; g < 4 && b > s->tok_begin; g++) {
                    uint32_t q = b - 1;
                    const tly_match *vm = victim_at(d, q);
                    if (vm && vm->t1 == b) { if (vic < 0 && vm->e->sub != TALLY_VICTIMS_PEOPLE) vic = vm->e->sub; b = vm->t0; continue; }
                    if (d->pl_at[q] >= 0 && d->pl[d->pl_at[q]].demonym) { dem = d->pl[d->pl_at[q]].pl; b = q; continue; }
                    int32_t nk = d->num_at[q];
                    /* "30 more deaths", "12 new deaths" */
                    const tly_match *am = tly_doc_match(d, q, LX_CUE, CUE_ANOTHER);
                    /* "30 confirmed deaths": a reporting word that stands between subject and verb */
                    const tly_match *xm = tly_doc_match(d, q, LX_CUE, CUE_AUX);
                    if (tly_doc_match(d, q, LX_QUAL, Q_MORE) || (am && am->t1 == b) ||
                        (xm && xm->t1 == b && tly_cue(d, q, CUE_SPEECH_VERB))) {
                        b = q;
                        continue;
                    }
                    /* "30 Covid-19 deaths": a name with a number is a modifier */
                    if (nk >= 0 && (d->num[nk].flags & NUM_COUNTER) && d->num[nk].t0 >= s->tok_begin + 2 &&
                        tly_punct(d, d->num[nk].t0 - 1, '-')) {
                        b = d->num[nk].t0 - 2;
                        continue;
                    }
                    if (nk >= 0 && d->num[nk].t1 == b) {
                        if (count_ok(d, nk, 1)) {
                            const tly_num *nu = &d->num[nk];
                            x.ok = 1; x.num = nk; x.lo = nu->lo; x.hi = nu->hi; x.qual = nu->qual;
                            x.c0 = nu->v0; x.c1 = nu->t1; x.np0 = nu->t0; x.np1 = tr->t1; x.victims = vic; x.dem = dem;
                        }
                        break;
                    }
                    break;
                }
                if (!x.ok && form == F_NOUN) {
                    /* "deaths of 5 people" */
                    if (tly_cue(d, tr->t1, CUE_OF)) x = object_right(d, tr->t1 + 1, 0);
                }
                /* "claimed 20 lives", "cost 300 lives": lives are lost only when taken
                 * ("saved 20 lives" is no claim) */
                if (x.ok && form == F_TAKEN && !(x.np0 > s->tok_begin && tly_cue(d, x.np0 - 1, CUE_TAKING_VERB))) x.ok = 0;
                /* "he claimed 54,000 lives could have been saved": a clause, not an object */
                if (x.ok && form == F_TAKEN && tr->t1 < s->tok_end &&
                    (tly_cue(d, tr->t1, CUE_AUX) || tly_cue(d, tr->t1, CUE_HYPO)))
                    x.ok = 0;
                break;
            }
            case F_TOLL: {
                int vic = -1;
                /* "civilian death toll": a modifier before */
                if (i > s->tok_begin) {
                    const tly_match *vm = victim_at(d, i - 1);
                    if (vm && vm->t1 == i) vic = vm->e->sub;
                }
                x = toll_right(d, tr->t1, s->tok_end, &vic);
                /* "brings to 87 the number of people killed": the figure before the toll */
                if (!x.ok && i > s->tok_begin + 2) {
                    uint32_t b = tly_cue(d, i - 1, CUE_DEFINITE) ? i - 1 : i;
                    int32_t nk = d->num_at[b - 1];
                    if (nk >= 0 && d->num[nk].t1 == b && d->num[nk].t0 > s->tok_begin &&
                        tly_cue(d, d->num[nk].t0 - 1, CUE_PREP) && count_ok(d, nk, 0)) {
                        const tly_num *nu = &d->num[nk];
                        x.ok = 1; x.num = nk; x.lo = nu->lo; x.hi = nu->hi; x.qual = nu->qual; x.victims = -1;
                        x.c0 = nu->v0; x.c1 = nu->t1; x.np0 = nu->t0; x.np1 = nu->t1;
                    }
                }
                if (x.ok && x.victims < 0) x.victims = vic;
                break;
            }
            default:
                break;
            }
            /* "the number of civilians killed in Kharkiv rose to 170" */
            if (form == F_VED && i >= s->tok_begin + 3) {
                const tly_match *vm = NULL;
                for (uint32_t b = i; b-- > s->tok_begin && b + 4 > i;) {
                    const tly_match *m2 = victim_at(d, b);
                    if (m2 && m2->t1 == i) vm = m2;
                }
                const tly_match *nm = NULL; /* "the number of" */
                if (vm && vm->t0 >= s->tok_begin + 2) nm = tly_doc_match(d, vm->t0 - 2, LX_QUAL, Q_COUNTER);
                if (nm && nm->t1 == vm->t0) {
                    int vic = vm->e->sub;
                    np y = toll_right(d, tr->t1, s->tok_end, &vic);
                    if (y.ok) { x = y; if (x.victims < 0 || x.victims == TALLY_VICTIMS_PEOPLE) x.victims = vm->e->sub; form = F_TOLL; }
                }
            }
            if (!x.ok) continue;
            /* "will die", "could be killed", "threatened to kill": not a claim that it happened */
            {
                uint32_t b = i;
                while (b > s->tok_begin && tly_cue(d, b - 1, CUE_HYPO_GAP)) b--;
                int hypo = 0;
                for (uint32_t q = b > s->tok_begin + 3 ? b - 3 : s->tok_begin; q < b; q++) {
                    /* "on 5 and 6 May killed": a month, not a modal */
                    const tly_match *hm = d->tx_at[q] >= 0 ? NULL : tly_doc_match(d, q, LX_CUE, CUE_HYPO);
                    if (hm && hm->t1 >= b && hm->t1 <= i) hypo = 1; /* "will" or "will be" before "killed" */
                }
                if (hypo) continue;
            }
            if (outcome == TALLY_DAMAGED) {
                if (x.victims != TALLY_VICTIMS_BUILDINGS) continue;
            }
            if (push_claim(d, (uint32_t)si, tr, &x, outcome)) return -1;
            tly_claim_x *c = &d->claims.v[d->claims.n - 1];
            if (form == F_TOLL) c->c.scope = TALLY_SCOPE_CUMULATIVE;
            /* "put the toll at 18 on Friday and updated it to 21": the toll again */
            if (form == F_TOLL) {
                np y = toll_update(d, x.c1, s->tok_end, x.victims);
                if (y.ok && push_claim(d, (uint32_t)si, tr, &y, outcome)) return -1;
            }
            /* "killing two civilians and one soldier", "damaged 120 houses and 3 schools" */
            /* a list: "killed 14 soldiers, 9 fighters and 6 civilians" */
            for (np w = x; (form == F_VED || form == F_VING || form == F_VBASE || form == F_OBJ) && w.np1 > w.np0 &&
                           (tly_cue(d, w.np1, CUE_AND) || (tly_punct(d, w.np1, ',') && d->num_at[w.np1 + 1] >= 0));) {
                int last = tly_cue(d, w.np1, CUE_AND);
                np y = object_right(d, w.np1 + 1, outcome == TALLY_DAMAGED);
                /* "the lives of three policemen and a civilian": a group of one after a group with a figure */
                int one = y.ok && y.num < 0 && w.num >= 0 && y.lo == 1 && y.hi == 1 && last;
                if (!(y.ok && (y.num >= 0 || one) && y.victims >= 0 && !tly_doc_match(d, y.np1, LX_OUTCOME, -1) &&
                      !(y.np1 < s->tok_end && tly_doc_match(d, y.np1, LX_CUE, CUE_AUX))))
                    break;
                if (push_claim(d, (uint32_t)si, tr, &y, outcome)) return -1;
                if (last || y.np1 <= w.np1) break;
                w = y;
            }
            /* "two civilians and three soldiers were killed": the group before "and"
             * has its own figure and its own claim */
            /* "Three Turkish soldiers, 13 PKK militants killed": a comma does the same */
            if ((form == F_VED || form == F_INTR || form == F_ADJ) && x.num >= 0 && x.np0 > s->tok_begin + 1 &&
                x.np1 <= i && (tly_cue(d, x.np0 - 1, CUE_AND) || (tly_punct(d, x.np0 - 1, ',') && x.victims >= 0))) {
                np y = subject_left(d, x.np0 - 1, s->tok_begin);
                if (y.ok && y.num >= 0 && y.victims >= 0 && y.num != x.num) {
                    if (push_claim(d, (uint32_t)si, tr, &y, outcome)) return -1;
                }
            }
        }
        /* town by town: "killed 3 civilians in Tartar, 2 in Barda and one in Aghjabadi":
         * a figure followed by a place, after a claim of the same sentence, repeats its outcome */
        for (size_t k = first_claim, nk0 = d->claims.n; k < nk0 && k < d->claims.n; k++) {
            tly_claim_x base = d->claims.v[k];
            if (base.c.outcome == TALLY_DAMAGED) continue;
            uint32_t j = base.t_count1 > base.t_trig1 ? base.t_count1 : base.t_trig1;
            uint32_t jend = j + 48 < s->tok_end ? j + 48 : s->tok_end; /* a list, not the whole sentence */
            for (; j + 2 < jend; j++) {
                if (!(tly_punct(d, j, ',') || tly_cue(d, j, CUE_AND) || tly_punct(d, j, ';'))) continue;
                uint32_t q = j + 1;
                if (tly_cue(d, q, CUE_AND)) q++;
                /* "and another 2": the determiner of the another cue */
                const tly_match *am = tly_doc_match(d, q, LX_CUE, CUE_ANOTHER);
                if (am && am->t1 == q + 1 && tly_cue(d, q, CUE_ONE_DET)) q++;
                int32_t nk = d->num_at[q];
                if (nk < 0 || d->num[nk].t0 != q || !count_ok(d, nk, 0)) continue;
                uint32_t e = d->num[nk].t1;
                int cls = -1, number = 0; uint32_t mv = 0; const tly_place *dem = NULL;
                uint32_t e2 = victim_noun_right(d, e, &cls, &number, &dem, &mv);
                if (tly_doc_match(d, e2, LX_OUTCOME, -1)) break; /* it has its own verb */
                if (!tly_doc_match(d, e2, LX_CUE, CUE_PREP) || e2 + 1 >= s->tok_end || d->pl_at[e2 + 1] < 0) continue;
                if (d->pl[d->pl_at[e2 + 1]].demonym) continue;
                np x;
                memset(&x, 0, sizeof x);
                const tly_num *nu = &d->num[nk];
                x.ok = 1; x.num = nk; x.lo = nu->lo; x.hi = nu->hi; x.qual = nu->qual;
                x.victims = cls >= 0 ? cls : (int)base.c.victims;
                x.c0 = nu->v0; x.c1 = nu->t1; x.np0 = nu->t0; x.np1 = e2;
                tly_match tr = {base.t_trig0, base.t_trig1, NULL};
                if (push_claim(d, (uint32_t)si, &tr, &x, base.c.outcome)) return -1;
                d->claims.v[d->claims.n - 1].victims_explicit = 1;
            }
        }
        /* property: "more than 500 residential buildings ... were destroyed" */
        for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
            const tly_match *tr = tly_doc_match(d, i, LX_OUTCOME, TALLY_DAMAGED);
            if (!tr) continue;
            /* look left for "<figure> <buildings noun>" up to the trigger */
            for (uint32_t b = i; b-- > s->tok_begin && b + 14 > i;) {
                int32_t nk = d->num_at[b];
                if (nk < 0 || d->num[nk].t0 != b) continue;
                int cls = -1, number = 0; uint32_t mv = 0; const tly_place *dem = NULL;
                uint32_t e = victim_noun_right(d, d->num[nk].t1, &cls, &number, &dem, &mv);
                if (cls != TALLY_VICTIMS_BUILDINGS || e == d->num[nk].t1) continue;
                np x;
                memset(&x, 0, sizeof x);
                const tly_num *nu = &d->num[nk];
                if (nu->flags & BAD_COUNT) break;
                x.ok = 1; x.num = nk; x.lo = nu->lo; x.hi = nu->hi; x.qual = nu->qual; x.victims = cls;
                x.c0 = nu->v0; x.c1 = nu->t1; x.np0 = nu->t0; x.np1 = e;
                if (push_claim(d, (uint32_t)si, tr, &x, TALLY_DAMAGED)) return -1;
                break;
            }
        }
        if (breakdowns(d, (uint32_t)si, first_claim)) return -1;
        /* sort this sentence's claims by position; a breakdown's part_of
         * follows its total to its new place */
        size_t nsc = d->claims.n - first_claim;
        size_t *old = nsc > 1 ? tly_arena_alloc(d->a, 2 * nsc * sizeof *old) : NULL;
        if (nsc > 1 && !old) return -1;
        for (size_t a = 0; a < nsc && old; a++) old[a] = a;
        for (size_t a = first_claim + 1; a < d->claims.n; a++) {
            tly_claim_x x = d->claims.v[a];
            size_t xo = old[a - first_claim];
            size_t b = a;
            while (b > first_claim && d->claims.v[b - 1].t_count0 > x.t_count0) {
                d->claims.v[b] = d->claims.v[b - 1];
                old[b - first_claim] = old[b - 1 - first_claim];
                b--;
            }
            d->claims.v[b] = x;
            old[b - first_claim] = xo;
        }
        if (old) {
            size_t *now = old + nsc;
            for (size_t a = 0; a < nsc; a++) now[old[a]] = a;
            for (size_t a = first_claim; a < d->claims.n; a++) {
                uint32_t *po = &d->claims.v[a].c.part_of;
                if (*po > first_claim && *po - 1 < d->claims.n) *po = (uint32_t)(first_claim + now[*po - 1 - first_claim] + 1);
            }
        }
        /* "civilian casualties: 23 deaths and 107 injuries", "17,062 civilian
         * casualties -- 6,592 dead": a restatement after a colon or a dash
         * takes the victims of the phrase before it */
        for (size_t k = first_claim; k < d->claims.n; k++) {
            tly_claim_x *c = &d->claims.v[k];
            if (c->victims_explicit && c->c.victims != TALLY_VICTIMS_PEOPLE) continue;
            uint32_t b = c->t_count0;
            if (b <= s->tok_begin + 1 || !(tly_punct(d, b - 1, ':') || is_dash(d, b - 1))) continue;
            if (is_dash(d, b - 1) && !(d->tk.tok[b].flags & TK_SPACE)) continue; /* "father-of-two" */
            b--;
            while (b > s->tok_begin && is_dash(d, b - 1)) b--;
            for (uint32_t q = b; q-- > s->tok_begin && q + 5 > b;) {
                const tly_match *vm = victim_at(d, q);
                if (vm && vm->e->sub != TALLY_VICTIMS_PEOPLE && vm->e->sub != TALLY_VICTIMS_BUILDINGS) {
                    c->c.victims = (tally_victims)vm->e->sub;
                    c->victims_explicit = 1;
                    break;
                }
                if (has_verbish(d, q) && !tly_doc_match(d, q, LX_OUTCOME, -1)) break;
            }
        }
        /* coordination: a figure without its own victim words takes the previous one's */
        for (size_t k = first_claim + 1; k < d->claims.n; k++) {
            tly_claim_x *c = &d->claims.v[k];
            if (!c->victim_country && d->claims.v[k - 1].victim_country) c->victim_country = d->claims.v[k - 1].victim_country;
            if (c->victims_explicit || c->c.outcome == TALLY_DAMAGED || c->c.part_of) continue;
            for (size_t j = k; j-- > first_claim;) {
                const tly_claim_x *p = &d->claims.v[j];
                if (p->c.outcome == TALLY_DAMAGED || p->c.part_of) continue; /* a breakdown's victims are its own */
                c->c.victims = p->c.victims;
                c->victims_explicit = p->victims_explicit;
                if (!c->victim_country) c->victim_country = p->victim_country;
                break;
            }
        }
    }
    return 0;
}
