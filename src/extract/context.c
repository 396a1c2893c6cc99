/* context.c -- everything about a claim that is not in its figure: where,
 * when, with what, blamed on whom, of what scope, and who claims it.
 *
 * Place, date, weapon and perpetrator come from the claim's clause, else its
 * sentence, else the preceding sentences of the same paragraph. The claimant
 * comes from speech attribution: the sentence's own ("according to X", "X
 * said"), else the current speaker of the text, else the document's author. */
#include "doc.h"
#include "grammar.h"
#include "util/calendar.h"
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
static size_t tok_pos(const tly_doc *d, size_t k) { return d->tk.tok[k].start; }
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
    /* "in Diyala, Iraq, killing": the country of an apposition is where */
    if (p->t0 > 1 && tly_punct(d, p->t0 - 1, ',') && d->pl_at[p->t0 - 2] >= 0) return 0;
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
        /* "IMPHAL, Sept 15:": the date, then a colon */
        if (tly_punct(d, q, ':') && q > p->t1 && d->tx_at[q - 1] >= 0) return 1;
        if ((u->flags & TK_WORD) && !(u->flags & TK_CAP)) break; /* running text, not a dateline */
    }
    return 0;
}

/* "Dahyan market in Saada", "Kaboro community in Zamfara": the place
 * after "in" holds the one before it, the finer; that one, else NULL */
static const tly_placem *inner_place(const tly_doc *d, const tly_placem *p) {
    uint32_t b = p->t0;
    if (b > 0 && tly_cue(d, b - 1, CUE_ARTICLE)) b--;
    if (b < 2 || !tly_cue(d, b - 1, CUE_PREP) || tly_cue(d, b - 1, CUE_OF)) return NULL;
    uint32_t c = b - 2;
    if (c > 0 && (tly_cue(d, c, CUE_SETTLEMENT_AFTER) || tly_cue(d, c, CUE_PLACE_NOUN))) c--;
    if (d->pl_at[c] < 0) return NULL;
    const tly_placem *q = &d->pl[d->pl_at[c]];
    return q != p && !q->demonym && q->pl->kind != TLY_PLACE_COUNTRY ? q : NULL;
}

/* A place in another role than where: a party of "fighting between Hamas
 * and Israel", or the home of a unit ("the 25th Dnipropetrovsk air
 * brigade"). */
static int another_role(const tly_doc *d, const tly_placem *p) {
    uint32_t sb = d->tk.sent[d->tk.tok[p->t0].sent].tok_begin;
    for (uint32_t q = p->t0; q-- > sb && q + 6 > p->t0;) {
        if (tly_cue(d, q, CUE_BETWEEN)) return p->pl->kind == TLY_PLACE_COUNTRY;
        if (tly_punct(d, q, ',') || d->tx_at[q] >= 0 || d->num_at[q] >= 0) break;
    }
    for (uint32_t q = p->t1; q < p->t1 + 3 && q < d->tk.n; q++)
        if (tly_cue(d, q, CUE_MILITARY_UNIT)) return 1;
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
        const tly_placem *in = inner_place(d, p);
        if (in && in->t0 >= t0 && !is_dateline(d, in)) continue;
        if (another_role(d, p)) continue;
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

/* "The army said on Friday that ...", "said Friday it ...": the day of the
 * statement, which dates the harm only when nothing else does */
static int statement_date(const tly_doc *d, const tly_timex *x) {
    size_t i = tly_first_at(d, d->tk.n, x->pub.start, tok_pos);
    if (i >= d->tk.n || d->tk.tok[i].start != x->pub.start) return 0;
    size_t e = i;
    while (e < d->tk.n && d->tx_at[e] == d->tx_at[i]) e++;
    /* what was said follows: "that ...", "it ..." (not "recorded on Thursday last week") */
    if (!tly_cue(d, e, CUE_COMPLEMENTIZER) && !tly_cue(d, e, CUE_PRONOUN)) return 0;
    if (i > 0 && tly_cue(d, i - 1, CUE_PREP)) i--;
    return i > 0 && (tly_cue(d, i - 1, CUE_SPEECH_VERB) || tly_cue(d, i - 1, CUE_SPEECH_ACT));
}

/* avoid: a day of the harm, not of the statement (an incident's date; a
 * running total's as-of day is the statement's) */
#define AVOID_STATEMENT (1u << 30)

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
        if (x->flags & avoid & ~AVOID_STATEMENT) continue;
        if (day_only && !names_days(x)) continue;
        long dist = (long)x->pub.start - (long)nb;
        if (dist < 0) dist = -dist;
        else if (before) dist += 1L << 24; /* after a participle: only when none is before */
        if ((avoid & AVOID_STATEMENT) && statement_date(d, x)) dist += 1L << 25; /* "said on Friday": when it was said */
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

/* A party at token `pos` is the victims' side, not the attacker: inside
 * the figure's noun phrase ("13 PKK militants killed", "Kill 49 Ukraine
 * Servicemen"), or the object of an attack verb before it in its clause
 * ("shot down a Ukrainian military plane", "targeted a patrol of the
 * Eighteenth Brigade of Iraqi army"). */
static int victim_side(const tly_doc *d, uint32_t pos, uint32_t t0, uint32_t near) {
    if (pos >= near && pos < near + 4 && near < d->tk.n && d->num_at[near] >= 0) {
        for (uint32_t q = near; q < pos; q++)
            if (tly_doc_match(d, q, LX_OUTCOME, -1) || tly_cue(d, q, CUE_BY) || (d->tk.tok[q].flags & TK_PUNCT)) return 0;
        return 1;
    }
    if (pos > 0 && tly_cue(d, pos - 1, CUE_BY)) return 0;
    for (uint32_t q = pos; q-- > t0 && q + 9 > pos;) {
        if (tly_punct(d, q, ',') || tly_punct(d, q, ';') || tly_cue(d, q, CUE_BY)) return 0;
        if (tly_cue(d, q, CUE_ATTACK_VERB) && !tly_cue(d, q, CUE_SPEECH_VERB)) return 1;
    }
    return 0;
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
        if (victim_side(d, a->t0, t0, near)) continue;
        uint32_t byat = 0;
        int by = a->t0 > 0 && tly_cue(d, a->t0 - 1, CUE_BY);
        if (by) byat = a->t0 - 1;
        if (a->t0 > 1 && tly_cue(d, a->t0 - 1, CUE_ARTICLE) && tly_cue(d, a->t0 - 2, CUE_BY)) { by = 1; byat = a->t0 - 2; }
        /* "reported by Azerbaijani authorities", "as stated by": the source, not the attacker */
        if (by && byat > 0 && (tly_cue(d, byat - 1, CUE_SPEECH_VERB) || tly_cue(d, byat - 1, CUE_SPEECH_ACT)))
            by = 0;
        int verb = 0;
        for (uint32_t q = a->t1; q < a->t1 + 8 && q < t1; q++) {
            if (tly_cue(d, q, CUE_RESPONSIBILITY) && q < a->t1 + 3) { verb = 1; break; } /* "X claimed responsibility" */
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
        if (victim_side(d, p->t0, t0, near)) continue;
        const char *name = p->pl->kind == TLY_PLACE_COUNTRY ? p->pl->name : NULL;
        if (!name) continue;
        if (p->demonym) {
            /* "Armenian missile strikes", "the Armenian terror" */
            for (uint32_t q = p->t1; q < p->t1 + 4 && q < t1; q++) {
                /* "Somali blast": where it went off, not who set it */
                if (q == p->t1 && tly_cue(d, q, CUE_EVENT_NOUN)) break;
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
            /* right to left: each claim takes the victims of the one after it */
            for (size_t i = e - 1; i > k; i--) {
                tly_claim_x *a = &d->claims.v[i - 1], *b = &d->claims.v[i];
                if (!a->victims_explicit && b->victims_explicit) {
                    a->c.victims = b->c.victims;
                    a->victims_explicit = 1;
                }
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
    const tly_match *w;      /* the weapon chosen */
    int w_own, perp_own;     /* weapon, perpetrator from the claim's own sentence */
} claim_ctx;

/* A cue of a period ("since", "so far", "in the war") in [t0, t1), not the
 * "since" of a comparison ("the deadliest day since 2014", "the
 * largest-scale hostilities since a 1994 truce"). */
static int period_cue(const tly_doc *d, uint32_t t0, uint32_t t1) {
    for (uint32_t i = t0; i < t1; i++) {
        if (!tly_cue(d, i, CUE_CUMULATIVE)) continue;
        int cmp = 0;
        for (uint32_t q = i; q-- > t0 && q + 6 > i;)
            if (tly_cue(d, q, CUE_SUPERLATIVE)) { cmp = 1; break; }
        if (!cmp) return 1;
    }
    return 0;
}

/* the first token of a timex in [t0, t1) (t1: none) */
static uint32_t tx_tok(const tly_doc *d, const tly_timex *x, uint32_t t0, uint32_t t1) {
    for (uint32_t i = t0; i < t1; i++)
        if (d->tx_at[i] >= 0 && &d->tx[d->tx_at[i]] == x) return i;
    return t1;
}

/* "since" at token i opens a comparison, not a period */
static int comparison_since(const tly_doc *d, uint32_t i, uint32_t t0) {
    for (uint32_t q = i; q-- > t0 && q + 6 > i;)
        if (tly_cue(d, q, CUE_SUPERLATIVE)) return 1;
    return 0;
}

/* The first since-clause in [t0, t1) ("since the PKK took up arms in
 * 1984"): from "since" to the next comma, at most 16 tokens; 0 if none. */
static int since_clause(const tly_doc *d, uint32_t t0, uint32_t t1, span *r) {
    for (uint32_t q = t0; q < t1; q++) {
        if (!tly_cue(d, q, CUE_PERIOD_START) || !tly_cue(d, q, CUE_CUMULATIVE)) continue;
        uint32_t e = q + 1;
        while (e < t1 && e < q + 16 && !tly_punct(d, e, ',') && !tly_punct(d, e, ';')) e++;
        r->t0 = q;
        r->t1 = e;
        return 1;
    }
    return 0;
}

/* A timex of one day, of the harm (not "as of Monday", not "since Monday") */
static int one_day(const tly_timex *x) {
    if (!x || x->pub.first.year <= 0 || (x->flags & (TLY_TX_ASOF | TLY_TX_ANCHOR))) return 0;
    const char *v = x->pub.value;
    if (!(v && strlen(v) >= 10 && v[4] == '-' && v[7] == '-' && v[8] >= '0' && v[8] <= '9')) return 0;
    return !date_cmp(x->pub.first, x->pub.last);
}

/* "from Friday's bombing": a day of the attack at token i, not the start of
 * a period (the tagger marks every date after "from"); else NULL */
static const tly_timex *day_of_attack(const tly_doc *d, uint32_t i, uint32_t t1) {
    if (i >= d->tk.n || d->tx_at[i] < 0) return NULL;
    const tly_timex *x = &d->tx[d->tx_at[i]];
    uint32_t e = i;
    while (e < t1 && d->tx_at[e] == d->tx_at[i]) e++;
    if (!tly_possessive(d, e) || x->pub.first.year <= 0 || date_cmp(x->pub.first, x->pub.last)) return NULL;
    return x;
}

/* A toll update anchored to one incident: "the death toll from the blast
 * rose to 45", "A total of 18 people were killed late Tuesday in an attack",
 * "the toll from last night's blasts": a day of the harm, or one attack
 * (a singular attack noun), in the clause. */
static int one_incident(const tly_doc *d, uint32_t t0, uint32_t t1) {
    uint32_t b1 = d->tk.tok[t1 - 1].end;
    for (uint32_t i = t0; i < t1; i++) {
        if (d->tx_at[i] < 0 || (i > t0 && d->tx_at[i - 1] == d->tx_at[i])) continue;
        /* "between March 26, 2015, and Aug. 9, 2018": the ends of a period */
        if (i > t0 && (tly_cue(d, i - 1, CUE_BETWEEN) || tly_cue(d, i - 1, CUE_AND))) continue;
        /* "from mid-April 2014 to 12 March 2017": the end of a period */
        if (i > t0 && tly_cue(d, i - 1, CUE_RANGE_LINK) && !tly_cue(d, i - 1, CUE_CONJ)) continue;
        const tly_timex *x = &d->tx[d->tx_at[i]];
        if (x->pub.end <= b1 && (one_day(x) || x == day_of_attack(d, i, t1))) return 1;
    }
    for (uint32_t i = t0; i < t1; i++) {
        const tly_match *m = tly_doc_match(d, i, LX_CUE, CUE_ATTACK_NOUN);
        if (!m) m = tly_doc_match(d, i, LX_WEAPON, -1); /* "the car bombing" */
        if (!m || m->t1 > t1) continue;
        const tly_tok *t = &d->tk.tok[m->t1 - 1];
        if (t->len > 3 && t->norm[t->len - 1] == 's' && t->norm[t->len - 2] != 's') continue; /* "attacks" */
        /* its determiner: "the blast", "an attack on", "Friday's car
         * bombing", "Somali blast" (a headline) */
        for (uint32_t q = i; q-- > t0 && q + 4 > i;)
            if (tly_cue(d, q, CUE_ARTICLE) || tly_cue(d, q, CUE_ONE_DET) || tly_possessive(d, q) ||
                (q + 1 == i && (d->tk.tok[q].flags & TK_CAP)))
                return 1;
    }
    return 0;
}

/* A running total: a cue of a period in the sentence ("so far", "since"),
 * "by" a date that ends a period, or a toll update ("rose to", "a total
 * of", the toll nouns of the claim grammar) that no single incident
 * anchors. needs: cues, timexes; gives: scope */
static void claim_running_total(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    span cl = x->cl;
    /* a clause about an earlier date ("..., when fighting killed dozens") */
    x->when_x = cl.t0 > s->tok_begin ? when_after_date(d, cl.t0 - 1) : 0;
    uint32_t q0 = x->when_x ? cl.t0 : s->tok_begin, q1 = x->when_x ? cl.t1 : s->tok_end;
    /* the claim grammar marks a toll ("the death toll rose to 45") cumulative */
    int update = c->c.scope == TALLY_SCOPE_CUMULATIVE || any_cue(d, q0, q1, CUE_UPDATE);
    if (period_cue(d, q0, q1) || by_date(d, q0, q1)) c->c.scope = TALLY_SCOPE_CUMULATIVE;
    else if (update) c->c.scope = one_incident(d, cl.t0, cl.t1) ? TALLY_SCOPE_INCIDENT : TALLY_SCOPE_CUMULATIVE;
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
        const tly_timex *till = NULL;
        uint32_t pc0 = 0, pc1 = 0; /* the since-clause: its dates are no as-of date */
        if (from && comparison_since(d, tx_tok(d, from, s->tok_begin, s->tok_end), s->tok_begin)) from = NULL;
        if (!from) {
            /* "since the fighting between Hamas and Israel began on Monday
             * night": the date that ends the since-clause */
            for (uint32_t q = s->tok_begin; q < s->tok_end && !from; q++) {
                if (!tly_cue(d, q, CUE_PERIOD_START) || comparison_since(d, q, s->tok_begin)) continue;
                for (uint32_t e = q + 1; e < s->tok_end && e < q + 16; e++) {
                    if (tly_punct(d, e, ',') || tly_punct(d, e, ';')) break;
                    if (d->tx_at[e] < 0) continue;
                    const tly_timex *tx = &d->tx[d->tx_at[e]];
                    if (tx->pub.first.year > 0 && !(tx->flags & TLY_TX_ASOF)) { from = tx; pc0 = q; pc1 = e + 1; }
                    break;
                }
            }
        }
        /* "between March 26, 2015, and Aug. 9, 2018": from one, as of the other */
        for (uint32_t q = s->tok_begin; q + 1 < s->tok_end && !from; q++) {
            if (!tly_cue(d, q, CUE_BETWEEN) || d->tx_at[q + 1] < 0) continue;
            const tly_timex *a = &d->tx[d->tx_at[q + 1]];
            uint32_t e = q + 1;
            while (e < s->tok_end && (d->tx_at[e] == d->tx_at[q + 1] || tly_punct(d, e, ','))) e++;
            if (e + 1 < s->tok_end && tly_cue(d, e, CUE_AND) && d->tx_at[e + 1] >= 0 && a->pub.first.year > 0) {
                const tly_timex *b = &d->tx[d->tx_at[e + 1]];
                if (b->pub.first.year > 0) { from = a; till = b; }
            }
        }
        const tly_timex *asof = till ? till : best_date(d, s->tok_begin, s->tok_end, near, before, TLY_TX_ASOF, 0);
        if (!asof) asof = best_date(d, s->tok_begin, s->tok_end, near, before, 0, TLY_TX_ANCHOR);
        if (!asof && pc1) {
            /* a date outside the since-clause */
            asof = best_date(d, s->tok_begin, pc0, near, before, 0, TLY_TX_ANCHOR);
            if (!asof) asof = best_date(d, pc1, s->tok_end, near, before, 0, TLY_TX_ANCHOR);
        }
        if (asof && pc1 && asof->pub.start >= d->tk.tok[pc0].start && asof->pub.end <= d->tk.tok[pc1 - 1].end) asof = NULL;
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
        dt = best_date(d, cl.t0, cl.t1, near, before, 0, TLY_TX_ANCHOR | AVOID_STATEMENT);
        if (!dt) dt = best_date(d, s->tok_begin, s->tok_end, near, before, 0, TLY_TX_ANCHOR | AVOID_STATEMENT);
        span sc;
        if (dt && since_clause(d, s->tok_begin, s->tok_end, &sc) && dt->pub.start >= d->tk.tok[sc.t0].start &&
            dt->pub.end <= d->tk.tok[sc.t1 - 1].end) {
            /* "the heaviest since clashes in July": that date is the comparison's */
            dt = best_date(d, s->tok_begin, sc.t0, near, before, 0, TLY_TX_ANCHOR);
            const tly_timex *d2 = sc.t1 < s->tok_end ? best_date(d, sc.t1, s->tok_end, near, before, 0, TLY_TX_ANCHOR) : NULL;
            if (!dt) dt = d2;
        }
        for (uint32_t q = cl.t0; q < cl.t1 && !dt; q++) dt = day_of_attack(d, q, cl.t1);
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
    x->w = w;
    x->w_own = w && w->t0 >= s->tok_begin && w->t1 <= s->tok_end;
}

/* the perpetrator named is the soldiers' own country */
static int own_side(const tly_claim_x *c, const char *perp) {
    return perp && c->victim_country && c->c.victims == TALLY_VICTIMS_MILITARY && !strcmp(perp, c->victim_country->name);
}

/* needs: actors, places, cues; gives: perpetrator */
static void claim_perpetrator(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    const tly_sent *s = x->s;
    span cl = x->cl;
    uint32_t near = x->near;
    const char *perp = find_perp(d, cl.t0, cl.t1, near);
    if (!perp) perp = find_perp(d, s->tok_begin, s->tok_end, near);
    x->perp_own = perp != NULL;
    if (!perp) {
        for (size_t sj = c->sent; sj-- > 0 && sj + CONTEXT_SENTENCES >= c->sent && d->tk.sent[sj].para == s->para;) {
            perp = find_perp(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end, d->tk.sent[sj].tok_end);
            if (perp) break;
        }
    }
    /* "One Turkish soldier was also wounded": the soldiers' own country is
     * not who wounded them (an earlier sentence's subject) */
    if (own_side(c, perp)) perp = NULL;
    c->c.perpetrator = perp;
    x->perp_own = x->perp_own && perp;
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

/* Countries as indexes of a 26 x 26 table ("AZ" -> 0..675), -1 for none. */
static int country_slot(const char *iso) {
    if (!iso || iso[0] < 'A' || iso[0] > 'Z' || iso[1] < 'A' || iso[1] > 'Z' || iso[2]) return -1;
    return (iso[0] - 'A') * 26 + (iso[1] - 'A');
}

/* The country the document names most (its places and demonyms, and the
 * organs of that state it names: "the State Emergency Service of Ukraine"),
 * the first named of those that tie; NULL when none. One pass over the
 * first 200 place and actor mentions, once per document (tly_resolve_context).
 * needs: places, actors; gives: d->top_country */
static void find_top_country(tly_doc *d) {
    uint16_t n[26 * 26] = {0};
    size_t np = d->npl < 200 ? d->npl : 200, na = d->nact < 200 ? d->nact : 200;
    for (size_t k = 0; k < np; k++) {
        int s = country_slot(d->pl[k].pl->country);
        if (s >= 0) n[s]++;
    }
    for (size_t k = 0; k < na; k++) {
        int s = d->act[k].src != AM_PERSON ? country_slot(d->act[k].side) : -1;
        if (s >= 0) n[s]++;
    }
    const char *best = NULL;
    size_t bn = 0;
    for (size_t k = 0; k < np; k++) {
        int s = country_slot(d->pl[k].pl->country);
        if (s >= 0 && n[s] > bn) { best = d->pl[k].pl->country; bn = n[s]; }
    }
    for (size_t k = 0; k < na; k++) {
        int s = d->act[k].src != AM_PERSON ? country_slot(d->act[k].side) : -1;
        if (s >= 0 && n[s] > bn) { best = d->act[k].side; bn = n[s]; }
    }
    d->top_country = best;
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
    const char *cc = p ? p->country : c->c.country ? c->c.country : dl ? dl->country : d->top_country;
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
    else if (c->c.date_span_start == TALLY_NO_SPAN)
        c->c.date_basis = TALLY_DATE_BASIS_PUBLISHED; /* no words of the text: the reference date */
    else
        c->c.date_basis = TALLY_DATE_BASIS_CONTEXT;
}

/* ------------------------------------------------------- the incident frame */

/* News names the incident's place, day, weapon and perpetrator once, in the
 * headline or the lead, and reports the rest of its figures without them.
 * The frame is what the document says of its first incident; a claim that
 * found none of its own in its clause, sentence or paragraph takes it,
 * unless it is about another incident (a place of its own elsewhere, a day
 * of its own, "a similar attack"). A breaking report that names no day at
 * all dates its incident by the publication day. */
typedef struct frame {
    const tly_placem *pm;    /* the incident's place */
    const tly_timex *dt;     /* its day, else NULL (then `pub`) */
    int pub;                 /* no day in the text: the reference date */
    const tly_match *w;      /* its weapon */
    const char *perp;        /* its perpetrator */
    tally_date day;          /* its day (dt's, or the reference date) */
} frame;

/* the sentence is about another incident ("in a similar attack"), or it is
 * the title of another story: a line of its own, after the first, with no
 * final stop (the links of a news page: "Taxi driver killed in collision") */
static int other_incident(const tly_doc *d, const tly_sent *s) {
    if (any_cue(d, s->tok_begin, s->tok_end, CUE_OTHER_INCIDENT)) return 1;
    if (s->tok_begin == 0 || s->tok_end <= s->tok_begin) return 0;
    size_t si = (size_t)(s - d->tk.sent);
    int alone = s[-1].para != s->para && (si + 1 >= d->tk.nsent || s[1].para != s->para);
    const tly_tok *last = &d->tk.tok[s->tok_end - 1];
    int stop = (last->flags & TK_WORD) == 0 && (last->norm[0] == '.' || last->norm[0] == '!' || last->norm[0] == '?' ||
                                                 last->norm[0] == '"' || (unsigned char)last->norm[0] >= 0x80);
    return alone && !stop;
}

/* place q is inside or the same as the frame's place f (or there is none) */
static int within(const tly_place *q, const tly_place *f) {
    if (!q || !f || q == f || !strcmp(q->name, f->name)) return 1;
    if (!q->country[0] || strcmp(q->country, f->country)) return 0;
    /* a country, or a region or province around the frame's town */
    return specificity(q) < specificity(f) &&
           (q->kind == TLY_PLACE_COUNTRY || (f->admin1 && !strcmp(f->admin1, q->name)) || q->kind == TLY_PLACE_REGION ||
            q->kind == TLY_PLACE_ADMIN1);
}

/* "al-Shabaab claimed responsibility for the attack": an actor right
 * before a cue of responsibility */
static const char *responsibility(const tly_doc *d) {
    for (size_t k = 0; k < d->nact; k++) {
        const tly_actor *a = &d->act[k];
        if (!a->perp) continue;
        for (uint32_t q = a->t1; q < a->t1 + 3 && q < d->tk.n; q++)
            if (tly_cue(d, q, CUE_RESPONSIBILITY)) return a->perp;
    }
    return NULL;
}

/* a sentence that tells of harm or of an attack */
static int harm_sentence(const tly_doc *d, const tly_sent *s) {
    for (uint32_t i = s->tok_begin; i < s->tok_end; i++)
        if (tly_doc_match(d, i, LX_OUTCOME, -1) || tly_cue(d, i, CUE_ATTACK_NOUN)) return 1;
    return 0;
}

static void find_frame(tly_doc *d, const claim_ctx *xs, frame *f) {
    memset(f, 0, sizeof *f);
    /* the place: the most specific one a claim of the headline and lead
     * found in its own sentence, else the first claim's */
    int bs = -1;
    for (size_t k = 0; k < d->claims.n; k++) {
        const claim_ctx *x = &xs[k];
        if (x->c->c.scope == TALLY_SCOPE_CUMULATIVE || !x->pm || other_incident(d, x->s)) continue;
        if (x->pm->t0 < x->s->tok_begin || x->pm->t1 > x->s->tok_end) continue;
        int lead = x->c->sent < 4;
        if (!f->pm || (lead && specificity(x->pm->pl) > bs && within(f->pm->pl, x->pm->pl))) {
            if (f->pm && !lead) continue;
            f->pm = x->pm;
            bs = specificity(x->pm->pl);
        }
    }
    if (!f->pm) {
        for (size_t sj = 0; sj < d->tk.nsent && sj < 3 && !f->pm; sj++)
            if (!other_incident(d, &d->tk.sent[sj])) f->pm = best_place(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end, d->tk.sent[sj].tok_end, 0);
    }
    /* the day: of the first claim that has one in its own sentence, else
     * the first day of a sentence of harm, else the publication day */
    for (size_t k = 0; k < d->claims.n && !f->dt; k++) {
        const claim_ctx *x = &xs[k];
        if (x->c->c.scope == TALLY_SCOPE_CUMULATIVE || !x->dt || other_incident(d, x->s)) continue;
        if (x->dt->pub.start < x->s->start || x->dt->pub.end > x->s->end) continue;
        if (!names_days(x->dt) || date_cmp(x->dt->pub.first, x->dt->pub.last)) continue;
        if (f->pm && x->pm && !within(x->pm->pl, f->pm->pl)) continue;
        f->dt = x->dt;
    }
    for (size_t sj = 0; sj < d->tk.nsent && !f->dt; sj++) {
        const tly_sent *s = &d->tk.sent[sj];
        if (!harm_sentence(d, s) || other_incident(d, s)) continue;
        for (uint32_t i = s->tok_begin; i < s->tok_end && !f->dt; i++)
            if (d->tx_at[i] >= 0 && one_day(&d->tx[d->tx_at[i]])) f->dt = &d->tx[d->tx_at[i]];
    }
    /* the publication day dates an attack the report tells of as news, not
     * an undated detention ("without saying when") */
    int attack = 0;
    for (uint32_t i = 0; i < d->tk.n && !attack; i++)
        attack = tly_cue(d, i, CUE_ATTACK_NOUN) || tly_cue(d, i, CUE_ATTACK_VERB) || tly_doc_match(d, i, LX_WEAPON, -1);
    /* ... and a report laid out as news: a headline line of its own first */
    const tly_sent *s0 = d->tk.nsent > 1 ? &d->tk.sent[0] : NULL;
    int headline = s0 && s0[1].para != s0->para && s0->tok_end > s0->tok_begin &&
                   (d->tk.tok[s0->tok_end - 1].flags & TK_WORD);
    if (f->dt) f->day = f->dt->pub.first;
    else if (d->ref.year > 0 && attack && headline) { f->day = d->ref; f->pub = 1; }
    /* the weapon: the most precise one of an incident claim's sentence */
    for (size_t k = 0; k < d->claims.n; k++) {
        const claim_ctx *x = &xs[k];
        if (x->c->c.scope == TALLY_SCOPE_CUMULATIVE || !x->w || !x->w_own || other_incident(d, x->s)) continue;
        if (f->pm && x->pm && !within(x->pm->pl, f->pm->pl)) continue;
        if (!f->w || x->w->e->a > f->w->e->a || (x->w->e->a == f->w->e->a && x->w->e->b > f->w->e->b)) f->w = x->w;
    }
    /* a named system anywhere in the story ("by Tochka-U missile") is the
     * incident's, over a generic word */
    const tly_match *named = NULL;
    int systems = 0; /* a story of several systems tells several strikes */
    for (size_t sj = 0; sj < d->tk.nsent; sj++) {
        const tly_sent *s = &d->tk.sent[sj];
        if (other_incident(d, s)) continue;
        const tly_match *w = best_weapon(d, s->tok_begin, s->tok_end);
        if (!w || w->e->a < 3) continue;
        if (!named || (named->e->s2 && w->e->s2 && strcmp(named->e->s2, w->e->s2))) systems++;
        if (!named) named = w;
    }
    if (named && systems == 1 && (!f->w || named->e->a > f->w->e->a)) f->w = named;
    /* the perpetrator: who claimed the attack, else the first an incident
     * claim's sentence blames */
    f->perp = responsibility(d);
    for (size_t k = 0; k < d->claims.n && !f->perp; k++) {
        const claim_ctx *x = &xs[k];
        if (x->c->c.scope == TALLY_SCOPE_CUMULATIVE || !x->perp_own || other_incident(d, x->s)) continue;
        if (f->pm && x->pm && !within(x->pm->pl, f->pm->pl)) continue;
        f->perp = x->c->c.perpetrator;
    }
}

/* The country most place mentions of the document lie in, when more than
 * half of them do: its least specific mention (the country named as such,
 * else a region or province of it: "Gaza"), else NULL. */
static const tly_placem *document_country(const tly_doc *d) {
    uint32_t cnt[26 * 26] = {0};
    const tly_placem *top[26 * 26] = {0}; /* the least specific mention of each country */
    size_t n = 0;
    for (size_t k = 0; k < d->npl; k++) {
        const tly_placem *p = &d->pl[k];
        int s = p->demonym ? -1 : country_slot(p->pl->country); /* "Russian strikes": a party more often */
        if (s < 0) continue;
        n++;
        cnt[s]++;
        if (!top[s] || specificity(p->pl) < specificity(top[s]->pl)) top[s] = p;
    }
    for (size_t k = 0; k < d->npl; k++) {
        const tly_placem *p = &d->pl[k];
        int s = p->demonym ? -1 : country_slot(p->pl->country);
        if (s < 0 || 2 * cnt[s] <= n) continue;
        return specificity(top[s]->pl) <= specificity(&(tly_place){.kind = TLY_PLACE_ADMIN1}) ? top[s] : NULL;
    }
    return NULL;
}

/* "last week's attacks ... killed 41" / "At least three attacks hit the
 * city on Aug. 2, with mortars": a claim dated by a week or a month takes
 * the day the next sentence gives for its attacks, their number (several:
 * a sum) and weapon. needs: the date; gives: date, scope, weapon */
static void claim_refine(tly_doc *d, claim_ctx *x) {
    tly_claim_x *c = x->c;
    if (c->c.scope == TALLY_SCOPE_CUMULATIVE || !x->dt || names_days(x->dt) || c->sent + 1 >= d->tk.nsent) return;
    if (x->dt->pub.start < x->s->start || x->dt->pub.end > x->s->end) return;
    const tly_sent *n = &d->tk.sent[c->sent + 1];
    if (n->para != x->s->para && n->para != x->s->para + 1) return;
    if (!any_cue(d, n->tok_begin, n->tok_end, CUE_ATTACK_NOUN)) return;
    const tly_timex *day = NULL;
    for (uint32_t i = n->tok_begin; i < n->tok_end && !day; i++) {
        if (d->tx_at[i] < 0) continue;
        const tly_timex *t = &d->tx[d->tx_at[i]];
        if (one_day(t) && date_cmp(x->dt->pub.first, t->pub.first) <= 0 && date_cmp(t->pub.first, x->dt->pub.last) <= 0)
            day = t;
    }
    if (!day) return;
    c->c.date_start = c->c.date_end = day->pub.first;
    c->c.date_span_start = day->pub.start;
    c->c.date_span_end = day->pub.end;
    x->dt = day;
    if (strike_count(d, n->tok_begin, n->tok_end)) c->c.scope = TALLY_SCOPE_AGGREGATE;
    if (!c->c.weapon) {
        const tly_match *w = best_weapon(d, n->tok_begin, n->tok_end);
        if (w) { c->c.weapon = w->e->s; c->c.weapon_name = w->e->s2; }
    }
}

/* "of the 175 people who died, nine are still unidentified": a figure with
 * a definite article that an earlier claim of the same outcome gave is that
 * claim restated; it takes its scope, dates and place. Returns 1 if so. */
static int claim_restated(tly_doc *d, claim_ctx *xs, size_t k) {
    tly_claim_x *c = xs[k].c;
    if (c->c.count_high < 2 || c->t_count0 == 0 || !tly_cue(d, c->t_count0 - 1, CUE_DEFINITE)) return 0;
    for (size_t j = 0; j < k; j++) {
        const tly_claim_x *e = xs[j].c;
        /* "As many as 175" ... "the 175": the upper bound is the figure */
        if (e->sent == c->sent || e->c.outcome != c->c.outcome || e->c.count_high != c->c.count_high) continue;
        c->c.scope = e->c.scope;
        c->c.date_start = e->c.date_start;
        c->c.date_end = e->c.date_end;
        c->c.date_span_start = e->c.date_span_start;
        c->c.date_span_end = e->c.date_span_end;
        c->c.date_basis = e->c.date_basis;
        if (e->c.place) {
            c->c.place = e->c.place; c->c.country = e->c.country; c->c.lat = e->c.lat; c->c.lon = e->c.lon;
            c->c.has_coords = e->c.has_coords; c->c.place_gazetteer_id = e->c.place_gazetteer_id;
            c->c.place_kind = e->c.place_kind; c->c.place_admin1 = e->c.place_admin1;
            c->c.place_start = e->c.place_start; c->c.place_end = e->c.place_end;
        }
        if (!c->c.weapon) { c->c.weapon = e->c.weapon; c->c.weapon_name = e->c.weapon_name; }
        if (!c->c.perpetrator) c->c.perpetrator = e->c.perpetrator;
        return 1;
    }
    return 0;
}

/* the timex is the night ("overnight", "last night") before `day` */
static int night_before(const tly_timex *x, tally_date day) {
    const char *v = x->pub.value;
    size_t n = v ? strlen(v) : 0;
    if (n < 3 || strcmp(v + n - 3, "TNI") || day.year <= 0 || x->pub.first.year <= 0 || !day.month || !day.day) return 0;
    return tly_days_from_civil(x->pub.first.year, x->pub.first.month, x->pub.first.day) + 1 ==
           tly_days_from_civil(day.year, day.month, day.day);
}

/* gives: the frame's place, day, weapon and perpetrator to a claim that
 * has none of its own; a running total with no place, the document's
 * country */
static void claim_frame(tly_doc *d, claim_ctx *x, const frame *f, const tly_placem *country) {
    tly_claim_x *c = x->c;
    if (c->c.scope == TALLY_SCOPE_CUMULATIVE) {
        if (!c->c.place && country) set_place(c, d, country->pl, NULL);
        return;
    }
    if (other_incident(d, x->s)) return;
    int own_place = x->pm && x->pm->t0 >= x->s->tok_begin && x->pm->t1 <= x->s->tok_end;
    if (f->pm && own_place && !within(x->pm->pl, f->pm->pl)) {
        /* another place; but "Nine more militants were killed in the Hisar
         * region of Hakkari": more of the same operation, of its day */
        const tly_place *q = x->pm->pl, *fp = f->pm->pl;
        int more = tly_cue(d, c->t_count1, CUE_MORE_OF);
        int same_country = q->country[0] && !strcmp(q->country, fp->country);
        if (more && same_country && f->day.year > 0 && !c->c.date_start.year && !c->c.date_end.year) {
            c->c.date_start = c->c.date_end = f->day;
            if (f->dt) { c->c.date_span_start = f->dt->pub.start; c->c.date_span_end = f->dt->pub.end; }
            else c->c.date_basis = TALLY_DATE_BASIS_PUBLISHED;
        }
        return;
    }
    int own_day = x->dt && x->dt->pub.start >= x->s->start && x->dt->pub.end <= x->s->end;
    if (own_day && night_before(x->dt, f->day)) {
        /* "the death toll overnight" in a story of "early Sunday": the
         * night that ran into the incident's day is that incident */
        c->c.date_start = c->c.date_end = f->day;
        own_day = 0;
    }
    if (own_day && f->day.year > 0 && (date_cmp(x->dt->pub.first, f->day) > 0 || date_cmp(f->day, x->dt->pub.last) > 0))
        return; /* another day */
    if (f->pm && (!c->c.place || (c->c.place && x->pm && within(x->pm->pl, f->pm->pl) &&
                                  specificity(x->pm->pl) < specificity(f->pm->pl)) ||
                  (!x->pm && c->victim_country && within(c->victim_country, f->pm->pl))))
        set_place(c, d, f->pm->pl, f->pm);
    if (!c->c.date_start.year && !c->c.date_end.year && f->day.year > 0) {
        c->c.date_start = c->c.date_end = f->day;
        if (f->dt) { c->c.date_span_start = f->dt->pub.start; c->c.date_span_end = f->dt->pub.end; }
        else c->c.date_basis = TALLY_DATE_BASIS_PUBLISHED;
    }
    /* none of its own, or a generic word ("shelling") for the named system */
    if (f->w && (!c->c.weapon || (x->w && x->w->e->a <= 1 && f->w->e->a >= 3 && !own_day))) {
        c->c.weapon = f->w->e->s;
        c->c.weapon_name = f->w->e->s2;
    }
    if (!c->c.perpetrator && f->perp && !own_side(c, f->perp)) c->c.perpetrator = f->perp;
}

int tly_resolve_context(tly_doc *d) {
    /* needs: tokens, matches, numbers, actors, places, timexes, claims;
     * gives: speakers (attribution.c), then each claim's place, date, scope,
     * weapon, perpetrator and claimant */
    if (tly_find_speakers(d)) return -1;
    find_top_country(d);
    const tly_placem **resp_place = respectively(d);
    if (!resp_place) return -1;
    claim_ctx *xs = tly_arena_calloc(d->a, d->claims.n + 1, sizeof *xs);
    if (!xs) return -1;
    for (size_t k = 0; k < d->claims.n; k++) {
        claim_ctx *x = &xs[k];
        x->c = &d->claims.v[k];
        x->s = &d->tk.sent[x->c->sent];
        x->cl = clause_of(d, x->c);
        x->near = x->c->t_count0;
        claim_running_total(d, x);
        claim_participle(d, x);
        claim_place(d, x, resp_place[k]);
        claim_date(d, x);
        claim_aggregate(d, x);
        claim_weapon(d, x);
        claim_perpetrator(d, x);
        claim_claimant(d, x);
    }
    frame f;
    find_frame(d, xs, &f);
    const tly_placem *country = document_country(d);
    for (size_t k = 0; k < d->claims.n; k++) {
        claim_refine(d, &xs[k]);
        if (claim_restated(d, xs, k)) { claim_evidence(d, &xs[k]); continue; }
        claim_frame(d, &xs[k], &f, country);
        claim_evidence(d, &xs[k]);
    }
    return 0;
}
