/* context.c -- everything about a claim that is not in its figure: where,
 * when, with what, blamed on whom, of what scope, and who claims it.
 *
 * Place, date, weapon and perpetrator come from the claim's clause, else its
 * sentence, else the preceding sentences of the same paragraph. The claimant
 * comes from speech attribution: the sentence's own ("according to X", "X
 * said"), else the current speaker of the text, else the document's author. */
#include "doc.h"
#include "grammar.h"
#include <string.h>
#include <stdio.h>

typedef struct span { uint32_t t0, t1; } span;

/* The first place, actor, number or date at or after a position: every list
 * is sorted by position, so each look at a clause costs its own size (plus a
 * binary search), never the whole document's. */
static size_t pl_pos(const tly_doc *d, size_t k) { return d->pl[k].t0; }
static size_t act_pos(const tly_doc *d, size_t k) { return d->act[k].t0; }
static size_t num_pos(const tly_doc *d, size_t k) { return d->num[k].t0; }
static size_t tx_pos(const tly_doc *d, size_t k) { return d->tx[k].pub.start; }
static size_t first_pl(const tly_doc *d, uint32_t t0) { return tly_first_at(d, d->npl, t0, pl_pos); }
static size_t first_act(const tly_doc *d, uint32_t t0) { return tly_first_at(d, d->nact, t0, act_pos); }
static size_t first_num(const tly_doc *d, uint32_t t0) { return tly_first_at(d, d->nnum, t0, num_pos); }
static size_t first_tx(const tly_doc *d, uint32_t b0) { return tly_first_at(d, d->ntx, b0, tx_pos); }

/* How many sentences before a claim its context may come from. */
#define CONTEXT_SENTENCES 3

/* The clause of a claim: the sentence cut at ";" and at "while"/"whereas"/"but". */
/* "the worst since 2016, when fighting killed dozens": a clause about the
 * date before it. Returns that date's timex index + 1 at "when", else 0. */
static int when_after_date(const tly_doc *d, uint32_t i) {
    if (!tly_cue(d, i, CUE_TIME_RELATIVE) || i < 2 || !tly_punct(d, i - 1, ',')) return 0;
    int32_t x = d->tx_at[i - 2];
    if (x < 0 || d->tx[x].pub.first.year <= 0) return 0;
    return x + 1;
}

static span clause_of(const tly_doc *d, const tly_claim_x *c) {
    const tly_sent *s = &d->tk.sent[c->sent];
    span r = {s->tok_begin, s->tok_end};
    uint32_t at = c->t_count0 < c->t_trig0 ? c->t_count0 : c->t_trig0;
    for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
        /* "while", "whereas", ", but" (a conjunction cuts after a comma only) */
        int cut = tly_punct(d, i, ';') ||
                  (tly_cue(d, i, CUE_CONTRAST) &&
                   (!tly_cue(d, i, CUE_CONJ) || (i > s->tok_begin && tly_punct(d, i - 1, ',')))) ||
                  when_after_date(d, i);
        if (!cut) continue;
        if (i < at) r.t0 = i + 1;
        else if (i > at && i < r.t1) { r.t1 = i; break; }
    }
    return r;
}

static int specificity(const tly_place *p) {
    switch (p->kind) {
    case TLY_PLACE_CITY: return 5;
    case TLY_PLACE_DISTRICT: return 4;
    case TLY_PLACE_ADMIN1: return 3;
    case TLY_PLACE_REGION: return 2;
    default: return 1;
    }
}

static int place_is_perp(const tly_doc *d, const tly_placem *p) {
    if (p->t0 > 0 && tly_cue(d, p->t0 - 1, CUE_BY)) return 1;
    if (p->t0 > 1 && tly_cue(d, p->t0 - 1, CUE_OF) && tly_cue(d, p->t0 - 2, CUE_FORCES)) return 1;
    if (tly_possessive(d, p->t1) && tly_cue(d, p->t1 + 2, CUE_FORCES)) return 1;
    /* "Armenia fired": a country that is the subject of an attack verb (not
     * "the insurgency in northeast Nigeria has killed") */
    int prep_before = (p->t0 > 0 && tly_cue(d, p->t0 - 1, CUE_PREP)) ||
                      (p->t0 > 1 && tly_cue(d, p->t0 - 2, CUE_PREP) && (d->tk.tok[p->t0 - 1].flags & TK_WORD) &&
                       !(d->tk.tok[p->t0 - 1].flags & TK_CAP));
    if (p->pl->kind == TLY_PLACE_COUNTRY && !prep_before) {
        for (uint32_t k = p->t1; k < p->t1 + 3 && k < d->tk.n && d->tk.tok[k].sent == d->tk.tok[p->t0].sent; k++)
            if (tly_cue(d, k, CUE_ATTACK_VERB)) return 1;
    }
    return 0;
}

static int date_cmp(tally_date a, tally_date b) {
    if (a.year != b.year) return a.year < b.year ? -1 : 1;
    int am = a.month ? a.month : 1, bm = b.month ? b.month : 1;
    if (am != bm) return am < bm ? -1 : 1;
    int ad = a.day ? a.day : 1, bd = b.day ? b.day : 1;
    return ad < bd ? -1 : ad > bd;
}

/* "SANAA/GENEVA - ...", "KYIV, March 9 (Wire) -": the dateline names where
 * the story was filed, not where the harm happened: a place in capitals
 * among the first tokens of a paragraph, before a dash or a parenthesis. */
static int is_dateline(const tly_doc *d, const tly_placem *p) {
    const tly_tok *t = &d->tk.tok[p->t0];
    /* "JERUSALEM (Meridian News Agency) -": the agency's name */
    if (p->t0 > 0 && tly_punct(d, p->t0 - 1, '(')) {
        for (uint32_t q = p->t1; q < p->t1 + 5 && q + 1 < d->tk.n; q++)
            if (tly_punct(d, q, ')')) return tly_punct(d, q + 1, '-');
    }
    if (!(t->flags & TK_UPPER)) return 0;
    uint32_t b = p->t0;
    while (b > 0 && p->t0 - b < 4 && !(d->tk.tok[b].flags & (TK_PARA | TK_NL))) b--;
    if (p->t0 - b >= 4 || !(b == 0 || (d->tk.tok[b].flags & (TK_PARA | TK_NL)))) return 0;
    if (b < p->t0 && !(d->tk.tok[b].flags & TK_UPPER) && !tly_punct(d, b, '/')) return 0; /* "The UK reported" */
    for (uint32_t q = p->t1; q < p->t1 + 8 && q < d->tk.n; q++) {
        const tly_tok *u = &d->tk.tok[q];
        if (u->flags & TK_NL) break;
        if ((tly_punct(d, q, '-') && (u->flags & TK_SPACE)) || tly_punct(d, q, '(')) return 1;
        if ((u->flags & TK_WORD) && !(u->flags & TK_CAP)) break; /* running text, not a dateline */
    }
    return 0;
}

/* The best place among the mentions in [t0, t1): the most specific, then the
 * nearest to `near`. */
static const tly_placem *best_place(const tly_doc *d, uint32_t t0, uint32_t t1, uint32_t near, int before) {
    const tly_placem *best = NULL;
    int bs = -1;
    long bd = 0;
    for (size_t k = first_pl(d, t0); k < d->npl && d->pl[k].t0 < t1; k++) {
        const tly_placem *p = &d->pl[k];
        if (p->t0 < t0 || p->t1 > t1 || p->demonym) continue;
        if (d->act_at[p->t0] >= 0) continue;
        if (place_is_perp(d, p)) continue;
        if (is_dateline(d, p)) continue;
        /* where the harm happened tends to follow it ("killed 3 in Ganja"),
         * but precede a participle ("Beylagan on 4 October, killing two") */
        int sp = specificity(p->pl) * 2 + (before ? p->t0 < near : p->t0 > near);
        long dist = (long)p->t0 - (long)near;
        if (dist < 0) dist = -dist;
        if (sp > bs || (sp == bs && dist < bd)) { best = p; bs = sp; bd = dist; }
    }
    return best;
}

static void set_place(tly_claim_x *c, const tly_doc *d, const tly_place *p, const tly_placem *m) {
    (void)d;
    c->c.place = p->name;
    c->c.country = p->country[0] ? p->country : NULL;
    c->c.lat = p->lat;
    c->c.lon = p->lon;
    c->c.has_coords = p->id != 0; /* id 0: a place named by the text only */
    c->c.place_gazetteer_id = p->id;
    c->c.place_kind = (tally_place_kind)p->kind;
    c->c.place_admin1 = p->admin1 && p->admin1[0] ? p->admin1 : NULL;
    if (m) { c->c.place_start = d->tk.tok[m->t0].start; c->c.place_end = d->tk.tok[m->t1 - 1].end; }
}

/* timexes with calendar days in [t0, t1) */
/* A date of one day ("4 October 2020") or a list of days ("5th, 8th and 17th
 * October"), as opposed to a month, a year or a season. */
static int names_days(const tly_timex *x) {
    const char *v = x->pub.value;
    if (x->flags & TLY_TX_RANGE) return 1;
    return v && strlen(v) >= 10 && v[4] == '-' && v[7] == '-' && v[8] >= '0' && v[8] <= '9';
}

/* want/avoid: TLY_TX_* flags; day_only: only expressions naming days (for dates
 * borrowed from earlier sentences, where "the 1949 Geneva Conventions" is no date
 * of the harm). */
static const tly_timex *best_date_x(const tly_doc *d, uint32_t t0, uint32_t t1, uint32_t near, int before, unsigned want,
                                    unsigned avoid, int day_only);
static const tly_timex *best_date(const tly_doc *d, uint32_t t0, uint32_t t1, uint32_t near, int before, unsigned want,
                                  unsigned avoid) {
    return best_date_x(d, t0, t1, near, before, want, avoid, 0);
}
static const tly_timex *best_date_x(const tly_doc *d, uint32_t t0, uint32_t t1, uint32_t near, int before, unsigned want,
                                    unsigned avoid, int day_only) {
    const tly_timex *best = NULL;
    long bd = 0;
    if (t0 >= t1 || t1 > d->tk.n) return NULL;
    uint32_t b0 = d->tk.tok[t0].start, b1 = d->tk.tok[t1 - 1].end;
    uint32_t nb = near < d->tk.n ? d->tk.tok[near].start : b0;
    for (size_t k = first_tx(d, b0); k < d->ntx && d->tx[k].pub.start < b1; k++) {
        const tly_timex *x = &d->tx[k];
        if (x->pub.start < b0 || x->pub.end > b1) continue;
        if (x->pub.first.year <= 0) continue;
        if (x->pub.type != TALLY_TIMEX_DATE && x->pub.type != TALLY_TIMEX_TIME) continue;
        if (want && !(x->flags & want)) continue;
        if (x->flags & avoid) continue;
        if (day_only && !names_days(x)) continue;
        long dist = (long)x->pub.start - (long)nb;
        if (dist < 0) dist = -dist;
        else if (before) dist += 1L << 24; /* after a participle: only when none is before */
        if (!best || dist < bd) { best = x; bd = dist; }
    }
    return best;
}

static const tly_match *best_weapon(const tly_doc *d, uint32_t t0, uint32_t t1) {
    const tly_match *best = NULL;
    for (uint32_t i = t0; i < t1 && i < d->tk.n; i++) {
        for (uint32_t k = d->mfirst[i], e = k + d->mcount[i]; k < e; k++) {
            const tly_match *m = &d->m[k];
            if (m->e->type != LX_WEAPON || m->t1 > t1) continue;
            if (!best || m->e->a > best->e->a || (m->e->a == best->e->a && m->e->b > best->e->b)) best = m;
        }
    }
    return best;
}

/* A perpetrator in [t0, t1): "by X", "X forces", "Armenian missile strikes",
 * "Armenia fired". Returns the name, nearest before `near` preferred. */
/* A country followed by a speech verb is the speaker, not the agent
 * ("Armenia claimed that a girl was killed in shelling"), unless what it says
 * is what it did ("Azerbaijan said it has killed 2,300 troops"). */
static int speaker_not_agent(const tly_doc *d, uint32_t k) {
    if (tly_cue(d, k, CUE_PERFECT) || tly_cue(d, k, CUE_PRE_VERB)) k++;
    if (!tly_cue(d, k, CUE_SPEECH_VERB) && !tly_cue(d, k, CUE_SPEECH_ACT)) return 0;
    for (uint32_t q = k + 1; q < k + 6 && q < d->tk.n && d->tk.tok[q].sent == d->tk.tok[k].sent; q++)
        if (tly_cue(d, q, CUE_PRONOUN)) return 0;
    return 1;
}

static const char *find_perp(const tly_doc *d, uint32_t t0, uint32_t t1, uint32_t near) {
    const char *best = NULL;
    long bd = 0;
    int bbefore = 0;
#define CONSIDER(name, pos)                                                                  \
    do {                                                                                     \
        long dist_ = (long)(pos) - (long)near;                                               \
        int before_ = dist_ <= 0;                                                            \
        if (dist_ < 0) dist_ = -dist_;                                                       \
        if (!best || (before_ && !bbefore) || (before_ == bbefore && dist_ < bd)) {          \
            best = (name); bd = dist_; bbefore = before_;                                    \
        }                                                                                    \
    } while (0)
    for (size_t k = first_act(d, t0); k < d->nact && d->act[k].t0 < t1; k++) {
        const tly_actor *a = &d->act[k];
        if (a->t0 < t0 || a->t1 > t1 || !a->perp) continue;
        uint32_t byat = 0;
        int by = a->t0 > 0 && tly_cue(d, a->t0 - 1, CUE_BY);
        if (by) byat = a->t0 - 1;
        if (a->t0 > 1 && tly_cue(d, a->t0 - 1, CUE_ARTICLE) && tly_cue(d, a->t0 - 2, CUE_BY)) { by = 1; byat = a->t0 - 2; }
        /* "reported by Azerbaijani authorities", "as stated by": the source, not the attacker */
        if (by && byat > 0 && (tly_cue(d, byat - 1, CUE_SPEECH_VERB) || tly_cue(d, byat - 1, CUE_SPEECH_ACT)))
            by = 0;
        int verb = 0;
        for (uint32_t q = a->t1; q < a->t1 + 8 && q < t1; q++) {
            if (tly_cue(d, q, CUE_ATTACK_VERB)) { verb = 1; break; }
            if (tly_cue(d, q, CUE_SPEECH_VERB)) break;
        }
        int poss = tly_possessive(d, a->t1);
        int armed = a->kind && (!strcmp(a->kind, "armed_forces") || !strcmp(a->kind, "armed_group"));
        int attack = 0; /* "a Houthi drone attack" */
        for (uint32_t q = a->t1; q < a->t1 + 3 && q < t1; q++)
            if (tly_cue(d, q, CUE_ATTACK_NOUN) || tly_doc_match(d, q, LX_WEAPON, -1)) { attack = 1; break; }
        if (by || verb || poss || (armed && (a->src == AM_ROLE || attack))) CONSIDER(a->perp, a->t0);
    }
    for (size_t k = first_pl(d, t0); k < d->npl && d->pl[k].t0 < t1; k++) {
        const tly_placem *p = &d->pl[k];
        if (p->t0 < t0 || p->t1 > t1) continue;
        if (d->act_at[p->t0] >= 0) continue;
        const char *name = p->pl->kind == TLY_PLACE_COUNTRY ? p->pl->name : NULL;
        if (!name) continue;
        if (p->demonym) {
            /* "Armenian missile strikes", "the Armenian terror" */
            for (uint32_t q = p->t1; q < p->t1 + 4 && q < t1; q++) {
                if (tly_cue(d, q, CUE_ATTACK_NOUN)) { CONSIDER(name, p->t0); break; }
                /* "Russian missiles hit", "Israeli airstrikes" */
                if (q == p->t1 && tly_doc_match(d, q, LX_WEAPON, -1)) { CONSIDER(name, p->t0); break; }
                if (!tly_doc_match(d, q, LX_WEAPON, -1) && !(d->tk.tok[q].flags & TK_PUNCT)) break;
            }
        } else if (place_is_perp(d, p)) {
            CONSIDER(name, p->t0);
        } else if (tly_cue(d, p->t1, CUE_LOSS_VERB) ||
                   (tly_cue(d, p->t1, CUE_PERFECT) && tly_cue(d, p->t1 + 1, CUE_LOSS_VERB))) {
            /* "Azerbaijan lost 2,906 troops": the victims' side, not the attacker */
        } else if (!(p->t0 > 0 && tly_cue(d, p->t0 - 1, CUE_PREP)) && p->t0 == t0 + 0 &&
                   !speaker_not_agent(d, p->t1)) {
            /* the subject of its clause, followed later by an attack verb (not
             * the speaker: "Armenia claimed that a girl was killed in shelling") */
            for (uint32_t q = p->t1; q < t1 && q < p->t1 + 30; q++)
                if (tly_cue(d, q, CUE_ATTACK_VERB) && !tly_cue(d, q, CUE_SPEECH_VERB)) { CONSIDER(name, p->t0); break; }
        }
    }
    /* a country as the sentence's subject: "Today, Armenia has ... fired rockets" */
    if (!best) {
        for (size_t k = first_pl(d, t0); k < d->npl && d->pl[k].t0 < t1; k++) {
            const tly_placem *p = &d->pl[k];
            if (p->t0 < t0 || p->t1 > t1 || p->demonym || p->pl->kind != TLY_PLACE_COUNTRY) continue;
            if (p->t0 > 0 && (tly_cue(d, p->t0 - 1, CUE_PREP) || tly_cue(d, p->t0 - 1, CUE_CONJ))) continue;
            if (p->t0 > 1 && tly_cue(d, p->t0 - 2, CUE_PREP) && !(d->tk.tok[p->t0 - 1].flags & TK_CAP)) continue; /* "in northeast Nigeria" */
            uint32_t q = p->t1;
            if (tly_cue(d, q, CUE_PERFECT)) {
                for (; q < t1 && q < p->t1 + 40; q++)
                    if (tly_cue(d, q, CUE_ATTACK_VERB)) { CONSIDER(p->pl->name, p->t0); break; }
            }
            break;
        }
    }
#undef CONSIDER
    return best;
}

static int strike_count(const tly_doc *d, uint32_t t0, uint32_t t1) {
    /* "eight strikes", "eight of those strikes", "five heinous SCUD missile attacks" */
    for (size_t k = first_num(d, t0); k < d->nnum && d->num[k].t0 < t1; k++) {
        const tly_num *nu = &d->num[k];
        if (nu->t0 < t0 || nu->t1 > t1 || nu->val < 2 || (nu->flags & (NUM_AGE | NUM_YEAR | NUM_DATE))) continue;
        uint32_t q = nu->t1;
        if (tly_cue(d, q, CUE_OF) && (tly_cue(d, q + 1, CUE_PLAIN_OBJECT) || tly_cue(d, q + 1, CUE_ARTICLE))) q += 2;
        for (uint32_t e = q; e < q + 5 && e < t1; e++) {
            const tly_match *m = tly_doc_match(d, e, LX_CUE, CUE_ATTACK_NOUN);
            if (m) {
                const tly_tok *t = &d->tk.tok[m->t1 - 1];
                if (t->norm[t->len - 1] == 's') return 1;
            }
            if (tly_doc_match(d, e, LX_VICTIM, -1) || tly_doc_match(d, e, LX_OUTCOME, -1)) break;
        }
    }
    return 0;
}

static int plural_attacks(const tly_doc *d, uint32_t t0, uint32_t t1) {
    for (uint32_t i = t0; i < t1; i++) {
        const tly_match *m = tly_doc_match(d, i, LX_CUE, CUE_ATTACK_NOUN);
        if (!m) continue;
        const tly_tok *t = &d->tk.tok[m->t1 - 1];
        if (t->len > 3 && t->norm[t->len - 1] == 's' && t->norm[t->len - 2] != 's') return 1;
    }
    return 0;
}

static int any_cue(const tly_doc *d, uint32_t t0, uint32_t t1, int cue) {
    for (uint32_t i = t0; i < t1; i++) if (tly_cue(d, i, cue)) return 1;
    return 0;
}

/* "By 9 November, 93 civilians had died": "by" and a date that ends a
 * period make a running total (not "by Sunday's strike"). */
static int by_date(const tly_doc *d, uint32_t t0, uint32_t t1) {
    for (uint32_t q = t0; q + 1 < t1; q++) {
        if (!tly_cue(d, q, CUE_BY) || d->tx_at[q + 1] < 0) continue;
        const tly_timex *x = &d->tx[d->tx_at[q + 1]];
        if (x->pub.start != d->tk.tok[q + 1].start || !(x->flags & TLY_TX_ASOF) || x->pub.first.year <= 0) continue;
        uint32_t e = q + 1;
        while (e < t1 && d->tx_at[e] == d->tx_at[q + 1]) e++;
        if (e < t1 && tly_punct(d, e, '\'')) continue; /* "by Sunday's strike" */
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- claimants */

/* The alignment of a claimant: "party:XX" for a state's organs and armed
 * groups, "aligned:XX" for its media and NGOs, "third" only for what the
 * lexicon knows as international (`known`: an actor of actors.tsv whose side
 * is "-": international bodies and NGOs, global wires), "unknown" for a
 * speaker of no known side ("residents", a publication the lexicon does not
 * know, a role with no country). */
static const char *alignment(tly_doc *d, const char *kind, const char *side, int known) {
    if (!side || !*side || !strcmp(side, "-")) return known ? "third" : "unknown";
    int official = kind && (!strcmp(kind, "state") || !strcmp(kind, "government") || !strcmp(kind, "office") ||
                            !strcmp(kind, "armed_forces") || !strcmp(kind, "armed_group") || !strcmp(kind, "person"));
    if (!strncmp(side, "ng:", 3)) return tly_arena_printf(d->a, "party:%s", side);
    return tly_arena_printf(d->a, "%s:%s", official ? "party" : "aligned", side);
}

/* "The shelling of Barda and Tartar killed 3 and 2 civilians respectively":
 * the figures take the victims of the last and the places in order.
 * needs: claims, places; gives: claim -> its place (NULL: none), victims */
static const tly_placem **respectively(tly_doc *d) {
    const tly_placem **resp_place = tly_arena_calloc(d->a, d->claims.n + 1, sizeof *resp_place);
    if (!resp_place) return NULL;
    for (size_t k = 0; k < d->claims.n;) {
        size_t e = k;
        while (e < d->claims.n && d->claims.v[e].sent == d->claims.v[k].sent) e++;
        const tly_sent *s = &d->tk.sent[d->claims.v[k].sent];
        int resp = 0;
        for (uint32_t q = s->tok_begin; q < s->tok_end; q++) if (tly_cue(d, q, CUE_RESPECTIVELY)) resp = 1;
        if (resp && e - k >= 2) {
            const tly_placem *list[8];
            size_t nl = 0;
            for (size_t j = first_pl(d, s->tok_begin); j < d->npl && nl < 8 && d->pl[j].t0 < s->tok_end; j++) {
                const tly_placem *p = &d->pl[j];
                if (p->t0 >= s->tok_begin && p->t1 <= d->claims.v[k].t_count0 && !p->demonym) list[nl++] = p;
            }
            if (nl == e - k)
                for (size_t j = k; j < e; j++) resp_place[j] = list[j - k];
            for (size_t j = e - 1; j-- > k;)
                if (!d->claims.v[j].victims_explicit && d->claims.v[j + 1].victims_explicit) {
                    d->claims.v[j].c.victims = d->claims.v[j + 1].c.victims;
                    d->claims.v[j].victims_explicit = 1;
                }
        }
        k = e;
    }
    return resp_place;
}

/* One claim's context as the stages below work it out. */
typedef struct claim_ctx {
    tly_claim_x *c;
    const tly_sent *s;
    span cl;                 /* its clause */
    uint32_t near;           /* its figure */
    int when_x;              /* a clause about an earlier date: that timex + 1 */
    int before;              /* after a participle: place and date come before it */
    const tly_placem *pm;    /* the place mention chosen */
    const tly_timex *dt;     /* the date chosen */
} claim_ctx;

/* A running total: a cue in the sentence ("so far", "since"), or "by" a date
 * that ends a period. needs: cues, timexes; gives: scope */
static void claim_running_total(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    span cl = x->cl;
    /* a clause about an earlier date ("..., when fighting killed dozens") */
    x->when_x = cl.t0 > s->tok_begin ? when_after_date(d, cl.t0 - 1) : 0;
    if (c->c.scope != TALLY_SCOPE_CUMULATIVE) {
        uint32_t q0 = x->when_x ? cl.t0 : s->tok_begin, q1 = x->when_x ? cl.t1 : s->tok_end;
        if (any_cue(d, q0, q1, CUE_CUMULATIVE) || by_date(d, q0, q1))
            c->c.scope = TALLY_SCOPE_CUMULATIVE;
    }
}

/* A participle ("..., killing two", "..., resulting in one death") takes the
 * place and date before it. needs: outcomes, grammar.tsv; gives: x->before */
static void claim_participle(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    const tly_match *trm = tly_doc_match(d, c->t_trig0, LX_OUTCOME, -1);
    x->before = trm && trm->e->a == F_VING && c->t_trig0 > s->tok_begin;
    for (uint32_t q = c->t_count0; !x->before && q-- > s->tok_begin && q + 4 > c->t_count0;) {
        const tly_tok *t = &d->tk.tok[q];
        if (tly_lex_has_suffix(d->lex, t, GR_VING) && q > s->tok_begin && tly_punct(d, q - 1, ','))
            x->before = 1;
    }
}

/* The place: of the clause, else the victims' country, else of the
 * sentence, else of the paragraph. needs: places, the clause; gives: place */
static void claim_place(tly_doc *d, claim_ctx *x, const tly_placem *resp) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    span cl = x->cl;
    uint32_t near = x->near;
    int before = x->before;
    const tly_placem *pm = resp ? resp : best_place(d, cl.t0, cl.t1, near, before);
    if (!pm && c->victim_country) set_place(c, d, c->victim_country, NULL);
    else {
        if (!pm) pm = best_place(d, s->tok_begin, s->tok_end, near, before);
        if (!pm && c->c.scope != TALLY_SCOPE_CUMULATIVE) {
            for (size_t sj = c->sent; sj-- > 0 && sj + CONTEXT_SENTENCES >= c->sent && d->tk.sent[sj].para == s->para;) {
                pm = best_place(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end, d->tk.sent[sj].tok_end, before);
                if (pm) break;
            }
            /* news written one sentence a paragraph: the place is often in
             * the paragraph before ("... in Bogside, Londonderry." / "Another
             * 15 people were wounded."); the same three sentences back */
            if (!pm && (c->sent == 0 || d->tk.sent[c->sent - 1].para != s->para)) {
                for (size_t sj = c->sent; sj-- > 0 && sj + CONTEXT_SENTENCES >= c->sent;) {
                    if (d->tk.sent[sj].para == s->para) continue;
                    pm = best_place(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end, d->tk.sent[sj].tok_end, before);
                    if (pm) break;
                }
            }
        }
        if (pm) set_place(c, d, pm->pl, pm);
    }
    if (!c->c.place) { c->c.place_start = c->c.place_end = TALLY_NO_SPAN; }
    x->pm = pm;
}

/* needs: timexes, the clause, scope; gives: date_start, date_end, the date's span */
static void claim_date(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    span cl = x->cl;
    uint32_t near = x->near;
    int before = x->before;
    const tly_timex *dt = NULL;
    c->c.date_span_start = c->c.date_span_end = TALLY_NO_SPAN;
    if (c->c.scope == TALLY_SCOPE_CUMULATIVE) {
        const tly_timex *from = best_date(d, s->tok_begin, s->tok_end, near, before, TLY_TX_ANCHOR, 0);
        if (!from) {
            /* "since the fighting began on 27 September" */
            for (uint32_t q = s->tok_begin; q < s->tok_end && !from; q++) {
                if (!tly_cue(d, q, CUE_PERIOD_START)) continue;
                for (uint32_t e = q + 1; e < s->tok_end && e < q + 8; e++)
                    if (d->tx_at[e] >= 0) {
                        const tly_timex *tx = &d->tx[d->tx_at[e]];
                        if (tx->pub.first.year > 0 && !(tx->flags & TLY_TX_ASOF)) from = tx;
                        break;
                    }
            }
        }
        const tly_timex *asof = best_date(d, s->tok_begin, s->tok_end, near, before, TLY_TX_ASOF, 0);
        if (!asof) asof = best_date(d, s->tok_begin, s->tok_end, near, before, 0, TLY_TX_ANCHOR);
        if (asof == from) asof = NULL;
        if (from) c->c.date_start = from->pub.first;
        if (asof && d->ref.year > 0 && !(asof->flags & TLY_TX_ASOF) && date_cmp(asof->pub.first, d->ref) <= 0 &&
            date_cmp(d->ref, asof->pub.last) <= 0 && date_cmp(asof->pub.first, asof->pub.last) < 0) {
            /* "so far this year": the period up to now, as of the reference date */
            if (!from) c->c.date_start = asof->pub.first;
            c->c.date_end = d->ref;
            dt = asof;
        } else if (asof) { c->c.date_end = asof->pub.last; dt = asof; }
        else c->c.date_end = d->ref;
        if (from && !dt) dt = from;
    } else if (x->when_x && !best_date(d, cl.t0, cl.t1, near, before, 0, TLY_TX_ANCHOR)) {
        dt = &d->tx[x->when_x - 1];
        c->c.date_start = dt->pub.first;
        c->c.date_end = dt->pub.last;
    } else {
        dt = best_date(d, cl.t0, cl.t1, near, before, 0, TLY_TX_ANCHOR);
        if (!dt) dt = best_date(d, s->tok_begin, s->tok_end, near, before, 0, TLY_TX_ANCHOR);
        if (!dt) {
            for (size_t sj = c->sent; sj-- > 0 && sj + CONTEXT_SENTENCES >= c->sent && d->tk.sent[sj].para == s->para;) {
                dt = best_date_x(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end, d->tk.sent[sj].tok_end, before, 0, TLY_TX_ANCHOR, 1);
                if (dt) break;
            }
        }
        if (dt) { c->c.date_start = dt->pub.first; c->c.date_end = dt->pub.last; }
    }
    if (dt) { c->c.date_span_start = dt->pub.start; c->c.date_span_end = dt->pub.end; }
    x->dt = dt;
}

/* Several strikes, or several days: a sum (or a running total of attacks
 * with no date). needs: the date, the place, numbers, cues; gives: scope */
static void claim_aggregate(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    span cl = x->cl;
    const tly_placem *pm = x->pm;
    const tly_timex *dt = x->dt;
    if (c->c.scope != TALLY_SCOPE_CUMULATIVE) {
        /* several days named ("on 5th, 8th and 17th October", "between 10 and 16 July"),
         * not a month or a year, make a sum of strikes */
        int multi_day = dt && names_days(dt) && (c->c.date_start.year != c->c.date_end.year ||
                                                 c->c.date_start.month != c->c.date_end.month ||
                                                 c->c.date_start.day != c->c.date_end.day);
        int one_day = dt && names_days(dt) && !multi_day && dt->pub.start >= s->start; /* a day of this sentence */
        int series = any_cue(d, cl.t0, cl.t1, CUE_SERIES) || strike_count(d, cl.t0, cl.t1);
        if (!series && c->sent > 0 && d->tk.sent[c->sent - 1].para == s->para && !pm)
            series = strike_count(d, d->tk.sent[c->sent - 1].tok_begin, d->tk.sent[c->sent - 1].tok_end);
        if (multi_day || (series && !one_day)) c->c.scope = TALLY_SCOPE_AGGREGATE;
        else if (!c->c.date_start.year && plural_attacks(d, cl.t0, cl.t1) &&
                 (!c->c.place || (pm == NULL) || pm->pl->kind == TLY_PLACE_COUNTRY) && !series)
            c->c.scope = TALLY_SCOPE_CUMULATIVE;
        if (c->c.scope == TALLY_SCOPE_CUMULATIVE && !c->c.date_end.year) c->c.date_end = d->ref;
    }
}

/* needs: weapons (matches); gives: weapon */
static void claim_weapon(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    span cl = x->cl;
    const tly_match *w = best_weapon(d, cl.t0, cl.t1);
    if (!w) w = best_weapon(d, s->tok_begin, s->tok_end);
    if (!w && c->c.scope != TALLY_SCOPE_CUMULATIVE) {
        for (size_t sj = c->sent; sj-- > 0 && sj + CONTEXT_SENTENCES >= c->sent && d->tk.sent[sj].para == s->para;) {
            w = best_weapon(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end);
            if (w) break;
        }
    }
    if (w) { c->c.weapon = w->e->s; c->c.weapon_name = w->e->s2; }
}

/* needs: actors, places, cues; gives: perpetrator */
static void claim_perpetrator(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    span cl = x->cl;
    uint32_t near = x->near;
    const char *perp = find_perp(d, cl.t0, cl.t1, near);
    if (!perp) perp = find_perp(d, s->tok_begin, s->tok_end, near);
    if (!perp) {
        for (size_t sj = c->sent; sj-- > 0 && sj + CONTEXT_SENTENCES >= c->sent && d->tk.sent[sj].para == s->para;) {
            perp = find_perp(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end, d->tk.sent[sj].tok_end);
            if (perp) break;
        }
    }
    c->c.perpetrator = perp;
}

/* ---- qualifying a generic speaker: "police said" in a Manipur story is the
 * Manipur police, "the health ministry said" under a Beirut dateline the
 * Lebanese one. The level is in the speaker's words (cues.tsv local_speaker,
 * city_office, region_office), the place in the text. */
enum { Q_LOCAL, Q_CITY, Q_REGION, Q_POLICE, Q_COUNTRY };

/* The place a dateline names ("NIAMEY, March 11 (AFP) -"), or NULL. */
static const tly_place *dateline_place(const tly_doc *d) {
    for (size_t k = 0; k < d->npl && d->pl[k].t0 < 80; k++)
        if (!d->pl[k].demonym && is_dateline(d, &d->pl[k])) return d->pl[k].pl;
    return NULL;
}

/* How often the document names country iso: its places and demonyms, and
 * the organs of that state it names ("the State Emergency Service of Ukraine"). */
static size_t country_mentions(const tly_doc *d, const char *iso) {
    size_t n = 0;
    for (size_t j = 0; j < d->npl && j < 200; j++) n += !strcmp(d->pl[j].pl->country, iso);
    for (size_t j = 0; j < d->nact && j < 200; j++)
        n += d->act[j].side && d->act[j].src != AM_PERSON && !strcmp(d->act[j].side, iso);
    return n;
}

/* The country the document names most, or NULL. */
static const char *doc_country(const tly_doc *d) {
    const char *best = NULL;
    size_t bn = 0;
    for (size_t k = 0; k < d->npl && k < 200; k++) {
        const char *iso = d->pl[k].pl->country;
        if (!iso[0]) continue;
        size_t n = country_mentions(d, iso);
        if (n > bn) { best = iso; bn = n; }
    }
    for (size_t k = 0; k < d->nact && k < 200; k++) {
        const char *iso = d->act[k].side;
        if (!iso || strlen(iso) != 2 || d->act[k].src == AM_PERSON) continue;
        size_t n = country_mentions(d, iso);
        if (n > bn) { best = iso; bn = n; }
    }
    return best;
}

/* A place of kind `kind` in country `iso` the text names (the first), or NULL;
 * with `name`, only that one. */
static const tly_place *named_place(const tly_doc *d, int kind, const char *iso, const char *name) {
    for (size_t k = 0; k < d->npl; k++) {
        const tly_place *p = d->pl[k].pl;
        if (d->pl[k].demonym || p->kind != kind || (iso && strcmp(p->country, iso))) continue;
        if (!name || !strcmp(p->name, name)) return p;
    }
    return NULL;
}

/* The place of kind `kind` in country `iso` the text names most, when it
 * names it twice at least ("Manipur" in a Manipur story), or NULL. */
static const tly_place *dominant_place(const tly_doc *d, int kind, const char *iso) {
    const tly_place *best = NULL;
    size_t bn = 1;
    for (size_t k = 0; k < d->npl && k < 200; k++) {
        const tly_place *p = d->pl[k].pl;
        if (d->pl[k].demonym || p->kind != kind || strcmp(p->country, iso)) continue;
        size_t n = 0;
        for (size_t j = 0; j < d->npl && j < 200; j++) n += d->pl[j].pl == p;
        if (n > bn) { best = p; bn = n; }
    }
    return best;
}

/* The province the text names for a claim of country cc: the claim's own,
 * the province of its town, of the dateline's town; the first one named when
 * the claim has no place of its own; the one named most. NULL when none. */
static const char *named_province(const tly_doc *d, const tly_claim_x *c, const tly_place *dl, const char *cc) {
    int same = c->c.country && !strcmp(c->c.country, cc);
    if (same && c->c.place_kind == TALLY_PLACE_REGION) return c->c.place;
    const char *a1 = same && c->c.place_admin1 ? c->c.place_admin1 : NULL;
    const tly_place *r = a1 && a1[0] ? named_place(d, TLY_PLACE_ADMIN1, cc, a1) : NULL;
    if (!r && !a1 && dl && !strcmp(dl->country, cc) && dl->admin1[0]) r = named_place(d, TLY_PLACE_ADMIN1, cc, dl->admin1);
    if (!r && (!same || c->c.place_kind == TALLY_PLACE_COUNTRY)) r = named_place(d, TLY_PLACE_ADMIN1, cc, NULL);
    if (!r) r = dominant_place(d, TLY_PLACE_ADMIN1, cc);
    return r ? r->name : NULL;
}

/* The place that qualifies a speaker of level `lv` for claim c: a place
 * named with the speaker ("the governor of South Kivu", "Gezira's health
 * minister"), else the claim's own place at that level, else the dateline's,
 * else the country the document names most. Returns the place's name and
 * fills its country (ISO2); NULL when the text names none at that level. */
static const char *qualifier(const tly_doc *d, const tly_claim_x *c, uint32_t t0, uint32_t t1, int lv,
                             const char **iso) {
    const tly_place *p = NULL;
    /* "of [the] X" after the speaker's words, "X's" before them */
    uint32_t k = t1;
    if (tly_cue(d, k, CUE_OF)) {
        k++;
        if (tly_cue(d, k, CUE_ARTICLE)) k++;
        if (d->pl_at[k] >= 0 && d->pl[d->pl_at[k]].t0 == k && !d->pl[d->pl_at[k]].demonym) p = d->pl[d->pl_at[k]].pl;
    }
    if (!p && t0 >= 2 && tly_possessive(d, t0 - 1) && d->pl_at[t0 - 2] >= 0 && !d->pl[d->pl_at[t0 - 2]].demonym)
        p = d->pl[d->pl_at[t0 - 2]].pl;
    if (p) {
        *iso = p->country;
        if (p->kind != TLY_PLACE_COUNTRY || lv == Q_COUNTRY || lv == Q_POLICE) return p->name;
    }
    const tly_place *dl = dateline_place(d);
    const char *cc = p ? p->country : c->c.country ? c->c.country : dl ? dl->country : doc_country(d);
    if (!cc || !cc[0]) return NULL;
    *iso = cc;
    int same = c->c.country && !strcmp(c->c.country, cc);
    const char *prov = lv == Q_COUNTRY ? NULL : named_province(d, c, dl, cc);
    switch (lv) {
    case Q_LOCAL:
        if (same && c->c.place_kind != TALLY_PLACE_COUNTRY) return c->c.place;
        if (prov) return prov;
        break;
    case Q_CITY:
        if (same && c->c.place_kind == TALLY_PLACE_TOWN) return c->c.place;
        if (dl && dl->kind == TLY_PLACE_CITY && !strcmp(dl->country, cc)) return dl->name;
        {
            const tly_place *city = dominant_place(d, TLY_PLACE_CITY, cc);
            return city ? city->name : NULL;
        }
    case Q_REGION: return prov;
    case Q_POLICE:
        if (prov) return prov;
        break;
    default: break;
    }
    const tly_place *country = d->lex->gaz ? tly_gaz_country(d->lex->gaz, cc) : NULL;
    return country ? country->name : NULL;
}

/* A role's template filled with a place ("{country} police", "Manipur"). */
static const char *fill_role(tly_doc *d, const char *tpl, const char *place, const char *iso, int country_level) {
    const char *dem = country_level ? tly_lex_demonym(d->lex, iso) : NULL;
    char out[256];
    size_t o = 0;
    for (const char *q = tpl; *q && o + 1 < sizeof out;) {
        if (*q == '{' && (!strncmp(q, "{country}", 9) || !strncmp(q, "{demonym}", 9))) {
            const char *w = q[1] == 'd' && dem ? dem : place;
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", w);
            if (o >= sizeof out) o = sizeof out - 1;
            q += 9;
        } else out[o++] = *q++;
    }
    out[o] = 0;
    return tly_arena_strndup(d->a, out, o);
}

/* The level a speaker's words [t0, t1) ask for. */
static int speaker_level(const tly_doc *d, uint32_t t0, uint32_t t1) {
    int lv = Q_COUNTRY;
    for (uint32_t q = t0; q < t1; q++) {
        if (tly_cue(d, q, CUE_LOCAL_SPEAKER)) return Q_LOCAL;
        if (tly_cue(d, q, CUE_CITY_OFFICE)) lv = Q_CITY;
        else if (tly_cue(d, q, CUE_REGION_OFFICE) && lv != Q_CITY) lv = Q_REGION;
        else if (tly_cue(d, q, CUE_POLICE_OFFICE) && lv == Q_COUNTRY) lv = Q_POLICE;
    }
    return lv;
}

/* A speaker with no country ("police", "the health ministry", "officials",
 * "the Defence Ministry" named bare) qualified with the place the document
 * names: a role of roles.tsv through its template ("Ministry of Health of
 * Lebanon"), other words with the place before them ("Djibo residents",
 * "Turkish security sources"). A role qualified so is an organ of that
 * country (its side); other words keep no side. */
/* Returns 1 when qualified, -1 for an office of a town or a province the
 * text does not name ("the governor"), 0 otherwise. */
static int qualify_speaker(tly_doc *d, const tly_claim_x *c, tly_speaker *sp) {
    if (!d->lex || sp->t1 <= sp->t0 || sp->side) return 0;
    int bare_role = sp->a && sp->a->src == AM_ROLE && !sp->a->role_has_country && sp->a->role_tpl;
    if (sp->a && !bare_role) return 0;
    if (!sp->a && sp->kind) return 0; /* a state, an outlet */
    /* the role's own words (not those of the person who speaks for it) */
    uint32_t t0 = bare_role ? sp->a->t0 : sp->t0, t1 = bare_role ? sp->a->t1 : sp->t1;
    /* already qualified: "officials in Taiz", "a Pakistani security official",
     * "Chicago police" (a name the gazetteer did not take) */
    for (uint32_t q = t0; q < t1; q++) {
        const tly_tok *tk = &d->tk.tok[q];
        if (d->pl_at[q] >= 0) return 0;
        if ((tk->flags & TK_CAP) && (tk->flags & TK_WORD) && !(tk->flags & TK_SSTART) && !tly_known(d, q) &&
            !tly_cue(d, q, CUE_ARTICLE))
            return 0;
    }
    const char *tpl = bare_role ? sp->a->role_tpl : NULL, *kind = bare_role ? sp->a->kind : NULL;
    for (uint32_t q = t0; !tpl && q < t1; q++) {
        const tly_match *m = tly_doc_match(d, q, LX_ROLE, -1);
        if (m && m->t1 <= t1) { tpl = m->e->s; kind = m->e->s2; }
    }
    int lv = speaker_level(d, t0, t1);
    if (!tpl && lv != Q_LOCAL) return 0; /* "a spokesman", "diplomats": no office to qualify */
    const char *iso = NULL;
    const char *place = qualifier(d, c, t0, t1, lv, &iso);
    if (!place || !iso) return lv == Q_CITY || lv == Q_REGION ? -1 : 0;
    const tly_place *country = d->lex->gaz ? tly_gaz_country(d->lex->gaz, iso) : NULL;
    int country_level = country && !strcmp(country->name, place);
    /* the words themselves, less a leading article ("the police") */
    uint32_t w0 = t0;
    while (w0 + 1 < t1 && (tly_cue(d, w0, CUE_ARTICLE) || tly_cue(d, w0, CUE_ONE_DET))) w0++;
    const char *words = tly_doc_name(d, d->tk.tok[w0].start, d->tk.tok[t1 - 1].end);
    if (!words) return 0;
    const char *dem = country_level ? tly_lex_demonym(d->lex, iso) : NULL;
    const char *name;
    if (tpl && strncmp(tpl, "{demonym} ", 10) != 0) {
        name = fill_role(d, tpl, place, iso, country_level);
    } else {
        name = tly_arena_printf(d->a, "%s %s", dem ? dem : place, words);
    }
    if (!name) return 0;
    sp->name = name;
    if (tpl) { sp->side = iso; sp->kind = kind; }
    return 1;
}

/* needs: speakers, actors, the document's source; gives: claimant */
static void claim_claimant(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    tly_speaker sp = d->sp_local[c->sent].name ? d->sp_local[c->sent] : d->sp_current[c->sent];
    /* "X said ..., while Y put the toll at ...": the clause's own speaker */
    for (size_t k = 0; k < d->nsp_clause; k++) {
        const tly_speaker_clause *cl = &d->sp_clause[k];
        if (cl->sent > c->sent) break;
        if (cl->sent == c->sent && cl->t0 <= c->t_count0) sp = cl->sp;
    }
    /* reported speech: who relays the source ("cited by OCHA", "..., citing X") */
    if (d->sp_relay[c->sent].name && sp.name == d->sp_local[c->sent].name) {
        tly_speaker rb = d->sp_relay[c->sent];
        qualify_speaker(d, c, &rb);
        c->c.reported_by = rb.name;
    }
    if (!sp.name) sp = d->sp_default;
    if (!sp.name && d->in && d->in->source.len) {
        /* nobody is quoted: the figure is the publication's own */
        sp.name = tly_arena_strndup(d->a, d->in->source.ptr, d->in->source.len);
        sp.kind = "media";
        sp.side = NULL;
        sp.t0 = sp.t1 = 0;
        sp.a = NULL;
        if (d->lex) {
            /* its alignment, when the lexicon knows the outlet */
            for (size_t ak = 0; ak < d->nact; ak++)
                if (d->act[ak].name && !strcmp(d->act[ak].name, sp.name)) {
                    sp.side = d->act[ak].side;
                    if (d->act[ak].src == AM_ACTOR) sp.a = &d->act[ak];
                    break;
                }
        }
    }
    if (qualify_speaker(d, c, &sp) < 0 && sp.a && sp.a->src == AM_ROLE && !sp.side && sp.t1 > sp.t0 &&
        d->act_at[sp.t0] >= 0 && d->act[d->act_at[sp.t0]].src == AM_PERSON) {
        /* "Governor Jane Doe" where the text names no province: the person */
        sp.name = d->act[d->act_at[sp.t0]].name;
        sp.kind = "person";
        sp.a = NULL;
    }
    c->c.claimant_start = c->c.claimant_end = TALLY_NO_SPAN;
    if (sp.name) {
        c->c.claimant = sp.name;
        /* an actor the lexicon names (not a role with no country, nor words
         * it does not know) */
        int known = sp.a && (sp.a->src == AM_ACTOR || (sp.a->src == AM_ANAPHOR && !sp.a->role_tpl));
        c->c.claimant_alignment = alignment(d, sp.kind, sp.side, known);
        if (sp.t1 > sp.t0) {
            c->c.claimant_start = d->tk.tok[sp.t0].start;
            c->c.claimant_end = d->tk.tok[sp.t1 - 1].end;
        }
    }
}

/* gives: the spans of the sentence and the figure */
static void claim_evidence(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    c->c.start = s->start;
    c->c.end = s->end;
    c->c.count_start = d->tk.tok[c->t_count0].start;
    c->c.count_end = d->tk.tok[c->t_count1 - 1].end;
    /* what the date rests on: words of its own sentence, or of another */
    if (c->c.date_start.year <= 0 && c->c.date_end.year <= 0) c->c.date_basis = TALLY_DATE_BASIS_NONE;
    else if (c->c.date_span_start != TALLY_NO_SPAN && c->c.date_span_start >= s->start && c->c.date_span_start < s->end)
        c->c.date_basis = TALLY_DATE_BASIS_TEXT;
    else if (c->c.date_basis == TALLY_DATE_BASIS_NONE)
        c->c.date_basis = TALLY_DATE_BASIS_CONTEXT;
}

int tly_resolve_context(tly_doc *d) {
    /* needs: tokens, matches, numbers, actors, places, timexes, claims;
     * gives: speakers (attribution.c), then each claim's place, date, scope,
     * weapon, perpetrator and claimant */
    if (tly_find_speakers(d)) return -1;
    const tly_placem **resp_place = respectively(d);
    if (!resp_place) return -1;
    for (size_t k = 0; k < d->claims.n; k++) {
        claim_ctx x = {0};
        x.c = &d->claims.v[k];
        x.s = &d->tk.sent[x.c->sent];
        x.cl = clause_of(d, x.c);
        x.near = x.c->t_count0;
        claim_running_total(d, &x);
        claim_participle(d, &x);
        claim_place(d, &x, resp_place[k]);
        claim_date(d, &x);
        claim_aggregate(d, &x);
        claim_weapon(d, &x);
        claim_perpetrator(d, &x);
        claim_claimant(d, &x);
        claim_evidence(d, &x);
    }
    return 0;
}
