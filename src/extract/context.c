/* context.c -- everything about a claim that is not in its figure: where,
 * when, with what, blamed on whom, of what scope, and who claims it.
 *
 * Place, date, weapon and perpetrator come from the claim's clause, else its
 * sentence, else the preceding sentences of the same paragraph. The claimant
 * comes from speech attribution: the sentence's own ("according to X", "X
 * said"), else the current speaker of the text, else the document's author. */
#include "doc.h"
#include <string.h>
#include <stdio.h>

typedef struct span { uint32_t t0, t1; } span;

/* The first place, actor, number or date at or after a position: every list
 * is sorted by position, so each look at a clause costs its own size (plus a
 * binary search), never the whole document's. */
static size_t first_pl(const tly_doc *d, uint32_t t0) {
    size_t lo = 0, hi = d->npl;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (d->pl[m].t0 < t0) lo = m + 1; else hi = m; }
    return lo;
}
static size_t first_act(const tly_doc *d, uint32_t t0) {
    size_t lo = 0, hi = d->nact;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (d->act[m].t0 < t0) lo = m + 1; else hi = m; }
    return lo;
}
static size_t first_num(const tly_doc *d, uint32_t t0) {
    size_t lo = 0, hi = d->nnum;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (d->num[m].t0 < t0) lo = m + 1; else hi = m; }
    return lo;
}
static size_t first_tx(const tly_doc *d, uint32_t b0) {
    size_t lo = 0, hi = d->ntx;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (d->tx[m].pub.start < b0) lo = m + 1; else hi = m; }
    return lo;
}

/* How many sentences before a claim its context may come from. */
#define CONTEXT_SENTENCES 3

static int has_cue_at(const tly_doc *d, uint32_t i, int cue) {
    return tly_doc_match(d, i, LX_CUE, cue) != NULL;
}

/* The clause of a claim: the sentence cut at ";" and at "while"/"whereas"/"but". */
/* "the worst since 2016, when fighting killed dozens": a clause about the
 * date before it. Returns that date's timex index + 1 at "when", else 0. */
static int when_after_date(const tly_doc *d, uint32_t i) {
    if (!tly_tok_is(d, i, "when") || i < 2 || !tly_tok_is(d, i - 1, ",")) return 0;
    int32_t x = d->tx_at[i - 2];
    if (x < 0 || d->tx[x].pub.first.year <= 0) return 0;
    return x + 1;
}

static span clause_of(const tly_doc *d, const tly_claim_x *c) {
    const tly_sent *s = &d->tk.sent[c->sent];
    span r = {s->tok_begin, s->tok_end};
    uint32_t at = c->t_count0 < c->t_trig0 ? c->t_count0 : c->t_trig0;
    for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
        int cut = tly_tok_is(d, i, ";") || tly_tok_is(d, i, "while") || tly_tok_is(d, i, "whereas") ||
                  (tly_tok_is(d, i, "but") && i > s->tok_begin && tly_tok_is(d, i - 1, ",")) || when_after_date(d, i);
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
    if (p->t0 > 0 && tly_tok_is(d, p->t0 - 1, "by")) return 1;
    if (p->t0 > 1 && tly_tok_is(d, p->t0 - 1, "of") && has_cue_at(d, p->t0 - 2, CUE_FORCES)) return 1;
    if (tly_tok_is(d, p->t1, "'") && tly_tok_is(d, p->t1 + 1, "s") && has_cue_at(d, p->t1 + 2, CUE_FORCES)) return 1;
    /* "Armenia fired": a country that is the subject of an attack verb (not
     * "the insurgency in northeast Nigeria has killed") */
    int prep_before = (p->t0 > 0 && has_cue_at(d, p->t0 - 1, CUE_PREP)) ||
                      (p->t0 > 1 && has_cue_at(d, p->t0 - 2, CUE_PREP) && (d->tk.tok[p->t0 - 1].flags & TK_WORD) &&
                       !(d->tk.tok[p->t0 - 1].flags & TK_CAP));
    if (p->pl->kind == TLY_PLACE_COUNTRY && !prep_before) {
        for (uint32_t k = p->t1; k < p->t1 + 3 && k < d->tk.n && d->tk.tok[k].sent == d->tk.tok[p->t0].sent; k++)
            if (has_cue_at(d, k, CUE_ATTACK_VERB)) return 1;
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
    if (p->t0 > 0 && tly_tok_is(d, p->t0 - 1, "(")) {
        for (uint32_t q = p->t1; q < p->t1 + 5 && q + 1 < d->tk.n; q++)
            if (tly_tok_is(d, q, ")")) return tly_tok_is(d, q + 1, "-");
    }
    if (!(t->flags & TK_UPPER)) return 0;
    uint32_t b = p->t0;
    while (b > 0 && p->t0 - b < 4 && !(d->tk.tok[b].flags & (TK_PARA | TK_NL))) b--;
    if (p->t0 - b >= 4 || !(b == 0 || (d->tk.tok[b].flags & (TK_PARA | TK_NL)))) return 0;
    if (b < p->t0 && !(d->tk.tok[b].flags & TK_UPPER) && !tly_tok_is(d, b, "/")) return 0; /* "The UK reported" */
    for (uint32_t q = p->t1; q < p->t1 + 8 && q < d->tk.n; q++) {
        const tly_tok *u = &d->tk.tok[q];
        if (u->flags & TK_NL) break;
        if ((tly_tok_is(d, q, "-") && (u->flags & TK_SPACE)) || tly_tok_is(d, q, "(")) return 1;
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
    if (tly_tok_is(d, k, "has") || tly_tok_is(d, k, "have") || tly_tok_is(d, k, "also")) k++;
    if (!has_cue_at(d, k, CUE_SPEECH_VERB) && !has_cue_at(d, k, CUE_SPEECH_ACT)) return 0;
    for (uint32_t q = k + 1; q < k + 6 && q < d->tk.n && d->tk.tok[q].sent == d->tk.tok[k].sent; q++)
        if (tly_tok_is(d, q, "it") || tly_tok_is(d, q, "they") || tly_tok_is(d, q, "we")) return 0;
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
        int by = a->t0 > 0 && tly_tok_is(d, a->t0 - 1, "by");
        if (by) byat = a->t0 - 1;
        if (a->t0 > 1 && tly_tok_is(d, a->t0 - 1, "the") && tly_tok_is(d, a->t0 - 2, "by")) { by = 1; byat = a->t0 - 2; }
        /* "reported by Azerbaijani authorities", "as stated by": the source, not the attacker */
        if (by && byat > 0 && (has_cue_at(d, byat - 1, CUE_SPEECH_VERB) || has_cue_at(d, byat - 1, CUE_SPEECH_ACT)))
            by = 0;
        int verb = 0;
        for (uint32_t q = a->t1; q < a->t1 + 8 && q < t1; q++) {
            if (has_cue_at(d, q, CUE_ATTACK_VERB)) { verb = 1; break; }
            if (has_cue_at(d, q, CUE_SPEECH_VERB)) break;
        }
        int poss = tly_tok_is(d, a->t1, "'") && tly_tok_is(d, a->t1 + 1, "s");
        int armed = a->kind && (!strcmp(a->kind, "armed_forces") || !strcmp(a->kind, "armed_group"));
        int attack = 0; /* "a Houthi drone attack" */
        for (uint32_t q = a->t1; q < a->t1 + 3 && q < t1; q++)
            if (has_cue_at(d, q, CUE_ATTACK_NOUN) || tly_doc_match(d, q, LX_WEAPON, -1)) { attack = 1; break; }
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
                if (has_cue_at(d, q, CUE_ATTACK_NOUN)) { CONSIDER(name, p->t0); break; }
                /* "Russian missiles hit", "Israeli airstrikes" */
                if (q == p->t1 && tly_doc_match(d, q, LX_WEAPON, -1)) { CONSIDER(name, p->t0); break; }
                if (!tly_doc_match(d, q, LX_WEAPON, -1) && !(d->tk.tok[q].flags & TK_PUNCT) &&
                    !tly_tok_is(d, q, "missile") && !tly_tok_is(d, q, "rocket") && !tly_tok_is(d, q, "artillery"))
                    break;
            }
        } else if (place_is_perp(d, p)) {
            CONSIDER(name, p->t0);
        } else if (tly_tok_is(d, p->t1, "lost") || tly_tok_is(d, p->t1, "suffered") || tly_tok_is(d, p->t1, "mourned") ||
                   ((tly_tok_is(d, p->t1, "has") || tly_tok_is(d, p->t1, "had")) && tly_tok_is(d, p->t1 + 1, "lost"))) {
            /* "Azerbaijan lost 2,906 troops": the victims' side, not the attacker */
        } else if (!(p->t0 > 0 && has_cue_at(d, p->t0 - 1, CUE_PREP)) && p->t0 == t0 + 0 &&
                   !speaker_not_agent(d, p->t1)) {
            /* the subject of its clause, followed later by an attack verb (not
             * the speaker: "Armenia claimed that a girl was killed in shelling") */
            for (uint32_t q = p->t1; q < t1 && q < p->t1 + 30; q++)
                if (has_cue_at(d, q, CUE_ATTACK_VERB) && !has_cue_at(d, q, CUE_SPEECH_VERB)) { CONSIDER(name, p->t0); break; }
        }
    }
    /* a country as the sentence's subject: "Today, Armenia has ... fired rockets" */
    if (!best) {
        for (size_t k = first_pl(d, t0); k < d->npl && d->pl[k].t0 < t1; k++) {
            const tly_placem *p = &d->pl[k];
            if (p->t0 < t0 || p->t1 > t1 || p->demonym || p->pl->kind != TLY_PLACE_COUNTRY) continue;
            if (p->t0 > 0 && (has_cue_at(d, p->t0 - 1, CUE_PREP) || tly_tok_is(d, p->t0 - 1, "and"))) continue;
            if (p->t0 > 1 && has_cue_at(d, p->t0 - 2, CUE_PREP) && !(d->tk.tok[p->t0 - 1].flags & TK_CAP)) continue; /* "in northeast Nigeria" */
            uint32_t q = p->t1;
            if (tly_tok_is(d, q, "has") || tly_tok_is(d, q, "have") || tly_tok_is(d, q, "had")) {
                for (; q < t1 && q < p->t1 + 40; q++)
                    if (has_cue_at(d, q, CUE_ATTACK_VERB)) { CONSIDER(p->pl->name, p->t0); break; }
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
        if (tly_tok_is(d, q, "of") && (tly_tok_is(d, q + 1, "those") || tly_tok_is(d, q + 1, "the") || tly_tok_is(d, q + 1, "these"))) q += 2;
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
    for (uint32_t i = t0; i < t1; i++) if (has_cue_at(d, i, cue)) return 1;
    return 0;
}

/* "By 9 November, 93 civilians had died": "by" and a date that ends a
 * period make a running total (not "by Sunday's strike"). */
static int by_date(const tly_doc *d, uint32_t t0, uint32_t t1) {
    for (uint32_t q = t0; q + 1 < t1; q++) {
        if (!tly_tok_is(d, q, "by") || d->tx_at[q + 1] < 0) continue;
        const tly_timex *x = &d->tx[d->tx_at[q + 1]];
        if (x->pub.start != d->tk.tok[q + 1].start || !(x->flags & TLY_TX_ASOF) || x->pub.first.year <= 0) continue;
        uint32_t e = q + 1;
        while (e < t1 && d->tx_at[e] == d->tx_at[q + 1]) e++;
        if (e < t1 && (tly_tok_is(d, e, "'") || tly_tok_is(d, e, "'s"))) continue; /* "by Sunday's strike" */
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- claimants */

typedef struct speaker { const tly_actor *a; const char *name; const char *kind; const char *side; uint32_t t0, t1; } speaker;

/* A speaker the lexicons do not know, named by a plain noun phrase that ends
 * at `end` (exclusive) or starts at `start`: "officials", "the army", "a local
 * resistance committee", "the territory's health ministry". The phrase must
 * hold a speaker word (data/en/cues.tsv, speaker_noun). Returns its name (the
 * words, less a leading article) or NULL; fills the token span. */
static const char *unnamed_speaker(tly_doc *d, uint32_t lo, uint32_t hi, int backwards, uint32_t *t0, uint32_t *t1) {
    uint32_t a, b;
    if (backwards) {
        b = hi;
        a = hi;
        while (a > lo && hi - a < 7) {
            const tly_tok *t = &d->tk.tok[a - 1];
            if (!(t->flags & TK_WORD) && !tly_tok_is(d, a - 1, "'") && !tly_tok_is(d, a - 1, "-")) break;
            if (d->num_at[a - 1] >= 0 || tly_doc_match(d, a - 1, LX_OUTCOME, -1) ||
                has_cue_at(d, a - 1, CUE_SPEECH_VERB) || (has_cue_at(d, a - 1, CUE_AUX) && !tly_tok_is(d, a - 1, "the")))
                break;
            /* a noun phrase: it stops at a preposition other than "of" ("after
             * police", "in a statement"), a conjunction or a clause word */
            /* "officials in Taiz said": a place after the speaker noun */
            if (has_cue_at(d, a - 1, CUE_PREP) && a < hi && d->pl_at[a] >= 0 && d->pl[d->pl_at[a]].t1 == hi &&
                a >= lo + 2 && has_cue_at(d, a - 2, CUE_SPEAKER_NOUN)) {
                a--;
                continue;
            }
            if ((has_cue_at(d, a - 1, CUE_PREP) && !tly_tok_is(d, a - 1, "of")) || tly_tok_is(d, a - 1, "and") ||
                tly_tok_is(d, a - 1, "but") || tly_tok_is(d, a - 1, "or") || tly_tok_is(d, a - 1, "who") ||
                tly_tok_is(d, a - 1, "which") || tly_tok_is(d, a - 1, "as") || tly_tok_is(d, a - 1, "after") ||
                tly_tok_is(d, a - 1, "before") || tly_tok_is(d, a - 1, "when") || tly_tok_is(d, a - 1, "while") ||
                tly_tok_is(d, a - 1, "are") || tly_tok_is(d, a - 1, "is") || tly_tok_is(d, a - 1, "were") ||
                tly_tok_is(d, a - 1, "was"))
                break;
            a--;
        }
    } else {
        a = lo;
        b = lo;
        while (b < hi && b - lo < 9) {
            const tly_tok *t = &d->tk.tok[b];
            if (!(t->flags & TK_WORD) && !tly_tok_is(d, b, "'") && !tly_tok_is(d, b, "-")) break;
            if (has_cue_at(d, b, CUE_SPEECH_VERB)) break;
            b++;
        }
    }
    /* the phrase must end with a speaker word */
    uint32_t head = b;
    while (head > a && !has_cue_at(d, head - 1, CUE_SPEAKER_NOUN)) head--;
    if (head == a) return NULL;
    /* "according to official figures": the speaker word is an adjective here */
    if (!backwards && head < d->tk.n && head < hi && (d->tk.tok[head].flags & TK_WORD) &&
        !(d->tk.tok[head].flags & TK_CAP) && !d->mcount[head] && !tly_tok_is(d, head, "and") &&
        !tly_tok_is(d, head, "for") && !tly_tok_is(d, head, "with") && !tly_tok_is(d, head, "who") &&
        !tly_tok_is(d, head, "which") && !tly_tok_is(d, head, "that") && !tly_tok_is(d, head, "or"))
        return NULL;
    b = head;
    while (a < b && (tly_tok_is(d, a, "the") || tly_tok_is(d, a, "a") || tly_tok_is(d, a, "an") ||
                     tly_tok_is(d, a, "and") || tly_tok_is(d, a, "that") || tly_tok_is(d, a, "of") ||
                     (d->tk.tok[a].flags & TK_PUNCT) || (!backwards && has_cue_at(d, a, CUE_PREP))))
        a++;
    /* a clause word inside the span ("it worked with local authorities",
     * "a visit to a fabled military"): not a speaker's name */
    for (uint32_t q = b; q-- > a;) {
        const tly_tok *t = &d->tk.tok[q];
        int verbish = (t->flags & TK_WORD) && !(t->flags & TK_CAP) && t->len > 4 &&
                      !strcmp(t->norm + t->len - 2, "ed") && !has_cue_at(d, q, CUE_SPEAKER_NOUN);
        if (verbish || (has_cue_at(d, q, CUE_PREP) && !tly_tok_is(d, q, "of")) || tly_tok_is(d, q, "it") ||
            tly_tok_is(d, q, "he") || tly_tok_is(d, q, "she") || tly_tok_is(d, q, "they") || tly_tok_is(d, q, "we") ||
            tly_tok_is(d, q, "and") || tly_tok_is(d, q, "but") || tly_tok_is(d, q, "who") ||
            tly_tok_is(d, q, "with") || tly_tok_is(d, q, "for") || tly_tok_is(d, q, "by"))
            return NULL;
    }
    while (a < b && (tly_tok_is(d, a, "the") || tly_tok_is(d, a, "a") || tly_tok_is(d, a, "an") || tly_tok_is(d, a, "of")))
        a++;
    if (a >= b) return NULL;
    /* a phrase that runs on past a noun ("people marched toward a police
     * precinct and department officials") is not a speaker's name */
    if (b - a > 5) return NULL;
    if (a >= b) return NULL;
    *t0 = a;
    *t1 = b;
    return tly_doc_name(d, d->tk.tok[a].start, d->tk.tok[b - 1].end);
}

/* What organisation a person speaks for: an actor right before the name
 * ("Amnesty's director Jane Doe") or in the apposition after it
 * ("Jane Doe, director of ... of Amnesty International,"). */
static const tly_actor *person_affiliation(const tly_doc *d, size_t pk) {
    const tly_actor *p = &d->act[pk];
    /* before */
    for (size_t k = pk; k-- > 0;) {
        const tly_actor *a = &d->act[k];
        if (a->t1 > p->t0) continue;
        if (p->t0 - a->t1 > 6 || d->tk.tok[a->t0].sent != d->tk.tok[p->t0].sent) break;
        int ok = a->src != AM_PERSON;
        for (uint32_t q = a->t1; q < p->t0 && ok; q++) {
            const tly_tok *t = &d->tk.tok[q];
            if ((t->flags & TK_PUNCT) && !tly_tok_is(d, q, "'")) ok = 0;
            if (has_cue_at(d, q, CUE_SPEECH_VERB) || has_cue_at(d, q, CUE_SPEECH_ACT)) ok = 0;
        }
        if (ok) return a;
        break;
    }
    /* "Its researcher, Daniel Okafor, said": a possessive refers to the last organisation */
    {
        uint32_t b = p->t0;
        if (b >= 2 && tly_tok_is(d, b - 1, ",")) b--;
        for (uint32_t q = b; q-- > 0 && q + 5 > b;) {
            if (d->tk.tok[q].sent != d->tk.tok[p->t0].sent) break;
            if (tly_tok_is(d, q, "its") || tly_tok_is(d, q, "their")) {
                for (size_t k = pk; k-- > 0;) {
                    const tly_actor *a = &d->act[k];
                    if (a->src != AM_PERSON && a->kind && strcmp(a->kind, "media") != 0) return a;
                }
                break;
            }
            if (d->tk.tok[q].flags & TK_PUNCT) break;
        }
    }
    /* after: "Name, ... Actor" */
    if (tly_tok_is(d, p->t1, ",")) {
        for (size_t k = pk + 1; k < d->nact; k++) {
            const tly_actor *a = &d->act[k];
            if (a->t0 > p->t1 + 16 || d->tk.tok[a->t0].sent != d->tk.tok[p->t0].sent) break;
            int ok = 1;
            for (uint32_t q = p->t1 + 1; q < a->t0 && ok; q++)
                if (has_cue_at(d, q, CUE_SPEECH_VERB) || tly_tok_is(d, q, ";")) ok = 0;
            if (!ok) break;
            if (a->src == AM_PERSON) break;
            return a;
        }
    }
    return NULL;
}

static const char *alignment(tly_doc *d, const char *kind, const char *side) {
    if (!side || !*side || !strcmp(side, "-")) return "third";
    int official = kind && (!strcmp(kind, "state") || !strcmp(kind, "government") || !strcmp(kind, "office") ||
                            !strcmp(kind, "armed_forces") || !strcmp(kind, "armed_group") || !strcmp(kind, "person"));
    if (!strncmp(side, "ng:", 3)) return tly_arena_printf(d->a, "party:%s", side);
    return tly_arena_printf(d->a, "%s:%s", official ? "party" : "aligned", side);
}

typedef struct person_org { const char *name; const tly_actor *org; } person_org;

/* How many sentences a speaker holds without being named or kept again. */
#define RUNNING_SPAN 3

int tly_resolve_context(tly_doc *d) {
    /* persons -> organisations, remembered by name and by surname */
    TLY_VEC(person_org) porg = {0};
    const tly_actor **aff = tly_arena_calloc(d->a, d->nact ? d->nact : 1, sizeof *aff);
    if (!aff) return -1;
    for (size_t k = 0; k < d->nact; k++) {
        const tly_actor *a = &d->act[k];
        if (a->src != AM_PERSON) continue;
        const tly_actor *o = person_affiliation(d, k);
        if (o) {
            aff[k] = o;
            person_org po = {a->name, o};
            if (porg.n < 256 && !tly_vec_push(d->a, &porg, po)) return -1; /* bounded: linear time */
        }
    }
    for (size_t k = 0; k < d->nact; k++) {
        const tly_actor *a = &d->act[k];
        if (a->src != AM_PERSON || aff[k]) continue;
        const char *last = strrchr(a->name, ' ');
        for (size_t j = 0; j < porg.n; j++) {
            const char *pl = strrchr(porg.v[j].name, ' ');
            if (!strcmp(porg.v[j].name, a->name) || (last && pl && !strcmp(last, pl))) { aff[k] = porg.v[j].org; break; }
        }
    }

    /* the speaker of each sentence */
    speaker running = {0}, doc_default = {0};
    size_t running_at = 0;
    speaker *local = tly_arena_calloc(d->a, d->tk.nsent ? d->tk.nsent : 1, sizeof *local);
    speaker *current = tly_arena_calloc(d->a, d->tk.nsent ? d->tk.nsent : 1, sizeof *current);
    if (!local || !current) return -1;
    for (size_t si = 0; si < d->tk.nsent; si++) {
        const tly_sent *s = &d->tk.sent[si];
        speaker sent_sp = {0};
        int sent_rank = -1;
        for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
            /* "By the office's count", "by Amnesty's tally": the sentence's source */
            if (tly_tok_is(d, i, "by") && !local[si].name) {
                for (uint32_t q = i + 1; q < i + 3 && q < s->tok_end; q++) {
                    int32_t ak = d->act_at[q];
                    if (ak < 0 || d->act[ak].t0 != q) continue;
                    uint32_t e = d->act[ak].t1;
                    if (tly_tok_is(d, e, "'") && tly_tok_is(d, e + 1, "s") &&
                        (tly_tok_is(d, e + 2, "count") || tly_tok_is(d, e + 2, "tally") || tly_tok_is(d, e + 2, "figures") ||
                         tly_tok_is(d, e + 2, "estimate") || tly_tok_is(d, e + 2, "estimates") || tly_tok_is(d, e + 2, "records") ||
                         tly_tok_is(d, e + 2, "account"))) {
                        const tly_actor *a = &d->act[ak];
                        if (a->src == AM_PERSON && aff[ak]) a = aff[ak];
                        speaker sp = {a, a->name, a->kind, a->side, d->act[ak].t0, d->act[ak].t1};
                        local[si] = sp;
                    }
                    break;
                }
            }
            const tly_match *loc = tly_doc_match(d, i, LX_CUE, CUE_SPEECH_LOCAL);
            if (loc) {
                for (uint32_t q = loc->t1; q < loc->t1 + 3 && q < s->tok_end; q++) {
                    int32_t ak = d->act_at[q];
                    if (ak < 0) continue;
                    const tly_actor *a = &d->act[ak];
                    if (a->src == AM_PERSON && aff[ak]) a = aff[ak];
                    speaker sp = {a, a->name, a->kind, a->side, d->act[ak].t0, d->act[ak].t1};
                    local[si] = sp;
                    break;
                }
                if (!local[si].name) { /* "according to local officials" */
                    uint32_t u0, u1;
                    const char *nm = unnamed_speaker(d, loc->t1, s->tok_end, 0, &u0, &u1);
                    if (nm) { speaker sp = {NULL, nm, NULL, NULL, u0, u1}; local[si] = sp; }
                }
                i = loc->t1 - 1; /* "as stated by": "stated" is not a verb of its own here */
                continue;
            }
            const tly_match *keep = tly_doc_match(d, i, LX_CUE, CUE_SPEECH_KEEP);
            if (keep) { i = keep->t1 - 1; continue; } /* "the message states": the current speaker's */
            int verb = has_cue_at(d, i, CUE_SPEECH_VERB), act = has_cue_at(d, i, CUE_SPEECH_ACT);
            if (!verb && !act) continue;
            if (d->act_at[i] >= 0) continue;
            /* the subject: the nearest actor before the verb, or right after it */
            int32_t found = -1;
            /* a state right before the verb ("Azerbaijan said") outranks an actor further back */
            int state_first = 0;
            {
                uint32_t q = i;
                while (q > s->tok_begin && (tly_tok_is(d, q - 1, "has") || tly_tok_is(d, q - 1, "have") ||
                                            tly_tok_is(d, q - 1, "had") || tly_tok_is(d, q - 1, "also")))
                    q--;
                if (q > s->tok_begin && d->pl_at[q - 1] >= 0 && d->pl[d->pl_at[q - 1]].t1 == q &&
                    !d->pl[d->pl_at[q - 1]].demonym && d->pl[d->pl_at[q - 1]].pl->kind == TLY_PLACE_COUNTRY)
                    state_first = 1;
            }
            for (uint32_t q = i; !state_first && q-- > s->tok_begin && q + 14 > i;) {
                if (d->act_at[q] >= 0) { found = d->act_at[q]; break; }
                if (has_cue_at(d, q, CUE_SPEECH_VERB) && q + 1 < i) break;
                if (tly_doc_match(d, q, LX_OUTCOME, -1) || d->num_at[q] >= 0) break;
            }
            if (found < 0) {
                /* a state speaking: "Azerbaijan says", "Armenia claimed" */
                uint32_t q = i;
                while (q > s->tok_begin && (tly_tok_is(d, q - 1, "has") || tly_tok_is(d, q - 1, "have") ||
                                            tly_tok_is(d, q - 1, "had") || tly_tok_is(d, q - 1, "also") ||
                                            tly_tok_is(d, q - 1, "later") || tly_tok_is(d, q - 1, "previously")))
                    q--;
                if (q > s->tok_begin && d->pl_at[q - 1] >= 0) {
                    const tly_placem *pm = &d->pl[d->pl_at[q - 1]];
                    if (!pm->demonym && pm->pl->kind == TLY_PLACE_COUNTRY && pm->t1 == q &&
                        !(pm->t0 > s->tok_begin && has_cue_at(d, pm->t0 - 1, CUE_PREP))) {
                        int rank = 2;
                        if (!(sent_sp.name && rank <= sent_rank)) {
                            speaker sp = {NULL, pm->pl->name, "state", pm->pl->country, pm->t0, pm->t1};
                            sent_sp = sp;
                            sent_rank = rank;
                        }
                        continue;
                    }
                }
            }
            /* "said X" names its speaker after the verb; "reported that X ..."
             * does not: X is the subject of what is reported */
            int that_after = 0;
            {
                const tly_match *vmt = tly_doc_match(d, i, LX_CUE, verb ? CUE_SPEECH_VERB : CUE_SPEECH_ACT);
                uint32_t nx = vmt ? vmt->t1 : i + 1;
                that_after = tly_tok_is(d, nx, "that");
            }
            if (found < 0 && verb && !tly_tok_is(d, i, "told") && !that_after) {
                for (uint32_t q = i + 1; q < i + 3 && q < s->tok_end; q++)
                    if (d->act_at[q] >= 0) {
                        /* "said the ministry.", "said the army on Monday", not "said a
                         * Houthi drone attack ...": the subject of what was said */
                        uint32_t e = d->act[d->act_at[q]].t1;
                        if (e < s->tok_end && (d->tk.tok[e].flags & TK_WORD) && !(d->tk.tok[e].flags & TK_CAP) &&
                            !has_cue_at(d, e, CUE_PREP) && !has_cue_at(d, e, CUE_SPEECH_ACT) && d->tx_at[e] < 0 &&
                            !tly_tok_is(d, e, "and") && !tly_tok_is(d, e, "as") && !tly_tok_is(d, e, "when") &&
                            !tly_tok_is(d, e, "after") && !tly_tok_is(d, e, "earlier") && !tly_tok_is(d, e, "later"))
                            break;
                        found = d->act_at[q];
                        break;
                    }
            }
            if (found < 0) {
                /* "officials said", "the army said in a statement", "local officials told AFP" */
                uint32_t v = i;
                while (v > s->tok_begin && (tly_tok_is(d, v - 1, "has") || tly_tok_is(d, v - 1, "have") ||
                                            tly_tok_is(d, v - 1, "had") || tly_tok_is(d, v - 1, "also")))
                    v--;
                uint32_t u0, u1;
                const char *nm = unnamed_speaker(d, s->tok_begin, v, 1, &u0, &u1);
                if (!nm && verb && !tly_tok_is(d, i, "told") && !that_after) {
                    const tly_match *vm2 = tly_doc_match(d, i, LX_CUE, CUE_SPEECH_VERB);
                    nm = unnamed_speaker(d, vm2 ? vm2->t1 : i + 1, s->tok_end, 0, &u0, &u1);
                }
                if (nm && sent_rank < 1) {
                    speaker sp = {NULL, nm, NULL, NULL, u0, u1};
                    sent_sp = sp;
                    sent_rank = 1;
                }
                continue;
            }
            /* "confirmed those facts": a verb with a plain object reports nothing */
            {
                const tly_match *vm = tly_doc_match(d, i, LX_CUE, verb ? CUE_SPEECH_VERB : CUE_SPEECH_ACT);
                uint32_t nx = vm ? vm->t1 : i + 1;
                if (tly_tok_is(d, nx, "those") || tly_tok_is(d, nx, "these") || tly_tok_is(d, nx, "such") ||
                    tly_tok_is(d, nx, "this") || tly_tok_is(d, nx, "it"))
                    continue;
            }
            const tly_actor *a = &d->act[found];
            if (a->src == AM_PERSON && aff[found]) a = aff[found];
            /* the first speaker of a sentence wins, but an organisation beats a media
             * outlet, which beats a person nobody said who they speak for */
            int rank = a->src == AM_PERSON ? 0 : (a->kind && !strcmp(a->kind, "media")) ? 1 : 2;
            if (sent_sp.name && rank <= sent_rank) continue;
            speaker sp = {a, a->name, a->kind, a->side, d->act[found].t0, d->act[found].t1};
            sent_sp = sp;
            sent_rank = rank;
        }
        /* "It was also noted that ...": the sentence is the current speaker's */
        int keeps = 0;
        for (uint32_t q = s->tok_begin; q < s->tok_end && q < s->tok_begin + 4; q++)
            if (has_cue_at(d, q, CUE_SPEECH_KEEP)) keeps = 1;
        if (keeps && running.name) { sent_sp.name = NULL; running_at = si; }
        /* "Thus, ...", "Moreover, ...": the same voice goes on */
        if (running.name && has_cue_at(d, s->tok_begin, CUE_CONNECTIVE)) running_at = si;
        /* a speaker holds for the sentences that follow, but not forever: after a
         * few sentences with nobody named, the text is the writer's own again */
        if (running.name && si > running_at + RUNNING_SPAN) running.name = NULL;
        if (sent_sp.name) {
            int media = sent_sp.kind && !strcmp(sent_sp.kind, "media");
            if (!(media && running.name)) { running = sent_sp; running_at = si; }
            /* the author of a statement or appeal speaks from its first lines */
            if (!doc_default.name && !media && si < 4) doc_default = sent_sp;
        }
        current[si] = sent_sp.name ? sent_sp : running;
        if (current[si].name && current[si].kind && !strcmp(current[si].kind, "media") && running.name)
            current[si] = running;
    }

    /* "The shelling of Barda and Tartar killed 3 and 2 civilians respectively":
     * the figures take the victims of the last and the places in order */
    const tly_placem **resp_place = tly_arena_calloc(d->a, d->claims.n + 1, sizeof *resp_place);
    if (!resp_place) return -1;
    for (size_t k = 0; k < d->claims.n;) {
        size_t e = k;
        while (e < d->claims.n && d->claims.v[e].sent == d->claims.v[k].sent) e++;
        const tly_sent *s = &d->tk.sent[d->claims.v[k].sent];
        int resp = 0;
        for (uint32_t q = s->tok_begin; q < s->tok_end; q++) if (tly_tok_is(d, q, "respectively")) resp = 1;
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

    for (size_t k = 0; k < d->claims.n; k++) {
        tly_claim_x *c = &d->claims.v[k];
        const tly_sent *s = &d->tk.sent[c->sent];
        span cl = clause_of(d, c);
        uint32_t near = c->t_count0;

        /* scope */
        /* a clause about an earlier date ("..., when fighting killed dozens") */
        int when_x = cl.t0 > s->tok_begin ? when_after_date(d, cl.t0 - 1) : 0;
        if (c->c.scope != TALLY_SCOPE_CUMULATIVE) {
            uint32_t q0 = when_x ? cl.t0 : s->tok_begin, q1 = when_x ? cl.t1 : s->tok_end;
            if (any_cue(d, q0, q1, CUE_CUMULATIVE) || by_date(d, q0, q1))
                c->c.scope = TALLY_SCOPE_CUMULATIVE;
        }

        /* a participle ("..., killing two", "..., resulting in one death") takes
         * the place and date before it */
        int before;
        {
            const tly_match *trm = tly_doc_match(d, c->t_trig0, LX_OUTCOME, -1);
            before = trm && trm->e->a == F_VING && c->t_trig0 > s->tok_begin;
            for (uint32_t q = c->t_count0; !before && q-- > s->tok_begin && q + 4 > c->t_count0;) {
                const tly_tok *t = &d->tk.tok[q];
                if ((t->flags & TK_WORD) && !(t->flags & TK_CAP) && t->len > 5 && !strcmp(t->norm + t->len - 3, "ing") &&
                    q > s->tok_begin && tly_tok_is(d, q - 1, ","))
                    before = 1;
            }
        }
        /* place: clause, the victims' country, sentence, paragraph */
        const tly_placem *pm = resp_place[k] ? resp_place[k] : best_place(d, cl.t0, cl.t1, near, before);
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

        /* date */
        const tly_timex *dt = NULL;
        c->c.date_span_start = c->c.date_span_end = TALLY_NO_SPAN;
        if (c->c.scope == TALLY_SCOPE_CUMULATIVE) {
            const tly_timex *from = best_date(d, s->tok_begin, s->tok_end, near, before, TLY_TX_ANCHOR, 0);
            if (!from) {
                /* "since the fighting began on 27 September" */
                for (uint32_t q = s->tok_begin; q < s->tok_end && !from; q++) {
                    if (!tly_tok_is(d, q, "since") && !tly_tok_is(d, q, "from")) continue;
                    for (uint32_t e = q + 1; e < s->tok_end && e < q + 8; e++)
                        if (d->tx_at[e] >= 0) {
                            const tly_timex *x = &d->tx[d->tx_at[e]];
                            if (x->pub.first.year > 0 && !(x->flags & TLY_TX_ASOF)) from = x;
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
        } else if (when_x && !best_date(d, cl.t0, cl.t1, near, before, 0, TLY_TX_ANCHOR)) {
            dt = &d->tx[when_x - 1];
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

        /* scope: several strikes, or several days */
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

        /* weapon */
        const tly_match *w = best_weapon(d, cl.t0, cl.t1);
        if (!w) w = best_weapon(d, s->tok_begin, s->tok_end);
        if (!w && c->c.scope != TALLY_SCOPE_CUMULATIVE) {
            for (size_t sj = c->sent; sj-- > 0 && sj + CONTEXT_SENTENCES >= c->sent && d->tk.sent[sj].para == s->para;) {
                w = best_weapon(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end);
                if (w) break;
            }
        }
        if (w) { c->c.weapon = w->e->s; c->c.weapon_name = w->e->s2; }

        /* perpetrator */
        const char *perp = find_perp(d, cl.t0, cl.t1, near);
        if (!perp) perp = find_perp(d, s->tok_begin, s->tok_end, near);
        if (!perp) {
            for (size_t sj = c->sent; sj-- > 0 && sj + CONTEXT_SENTENCES >= c->sent && d->tk.sent[sj].para == s->para;) {
                perp = find_perp(d, d->tk.sent[sj].tok_begin, d->tk.sent[sj].tok_end, d->tk.sent[sj].tok_end);
                if (perp) break;
            }
        }
        c->c.perpetrator = perp;

        /* claimant */
        speaker sp = local[c->sent].name ? local[c->sent] : current[c->sent];
        if (!sp.name) sp = doc_default;
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
                    if (d->act[ak].name && !strcmp(d->act[ak].name, sp.name)) { sp.side = d->act[ak].side; break; }
            }
        }
        c->c.claimant_start = c->c.claimant_end = TALLY_NO_SPAN;
        if (sp.name) {
            c->c.claimant = sp.name;
            c->c.claimant_alignment = alignment(d, sp.kind, sp.side);
            if (sp.t1 > sp.t0) {
                c->c.claimant_start = d->tk.tok[sp.t0].start;
                c->c.claimant_end = d->tk.tok[sp.t1 - 1].end;
            }
        }

        /* evidence */
        c->c.start = s->start;
        c->c.end = s->end;
        c->c.count_start = d->tk.tok[c->t_count0].start;
        c->c.count_end = d->tk.tok[c->t_count1 - 1].end;
    }
    return 0;
}
