/* attribution.c -- who speaks in each sentence: the attribution stage.
 *
 * A sentence has its own source ("according to X", "by X's count"), a
 * speaker named with a speech verb ("X said", "said X", "X issued a
 * statement"), or goes on in the voice of the one before ("The statement
 * reads", "Thus, ..."), for a few sentences. A person speaks for the
 * organisation named beside them ("Amnesty's director Jane Doe"). The
 * statement's author, named in its first lines, is the document's default.
 *
 * needs: tokens, matches, numbers, actors, places, timexes
 * gives: speakers (d->sp_local, d->sp_current, d->sp_default, d->sp_relay,
 * d->sp_clause) */
#include "doc.h"
#include "grammar.h"
#include <string.h>

typedef tly_speaker speaker;

/* between a subject and its verb: "Azerbaijan has also said" */
static int before_verb(const tly_doc *d, uint32_t i) {
    return tly_cue(d, i, CUE_PERFECT) || tly_cue(d, i, CUE_PRE_VERB);
}


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
            if (!(t->flags & TK_WORD) && !tly_punct(d, a - 1, '\'') && !tly_punct(d, a - 1, '-')) break;
            if (d->num_at[a - 1] >= 0 || tly_doc_match(d, a - 1, LX_OUTCOME, -1) ||
                tly_cue(d, a - 1, CUE_SPEECH_VERB) || tly_cue(d, a - 1, CUE_AUX))
                break;
            /* "Western Bahr el Ghazal's information minister": the place that
             * owns the speaker qualifies it (context.c), it is not its name */
            if (tly_possessive(d, a - 1) && a >= lo + 2 && d->pl_at[a - 2] >= 0 && !d->pl[d->pl_at[a - 2]].demonym) break;
            /* a noun phrase: it stops at a preposition other than "of" ("after
             * police", "in a statement"), a conjunction or a clause word */
            /* "officials in Taiz said": a place after the speaker noun */
            if (tly_cue(d, a - 1, CUE_PREP) && a < hi && d->pl_at[a] >= 0 && d->pl[d->pl_at[a]].t1 == hi &&
                a >= lo + 2 && tly_cue(d, a - 2, CUE_SPEAKER_NOUN)) {
                a--;
                continue;
            }
            if ((tly_cue(d, a - 1, CUE_PREP) && !tly_cue(d, a - 1, CUE_OF)) || tly_cue(d, a - 1, CUE_CONJ) ||
                tly_cue(d, a - 1, CUE_CLAUSE_WORD))
                break;
            a--;
        }
    } else {
        a = lo;
        b = lo;
        while (b < hi && b - lo < 9) {
            const tly_tok *t = &d->tk.tok[b];
            if (!(t->flags & TK_WORD) && !tly_punct(d, b, '\'') && !tly_punct(d, b, '-')) break;
            if (tly_cue(d, b, CUE_SPEECH_VERB)) break;
            b++;
        }
    }
    /* the phrase must end with a speaker word */
    uint32_t head = b;
    while (head > a && !tly_cue(d, head - 1, CUE_SPEAKER_NOUN)) head--;
    if (head == a) return NULL;
    /* "according to official figures": the speaker word is an adjective here */
    if (!backwards && head < d->tk.n && head < hi && (d->tk.tok[head].flags & TK_WORD) &&
        !(d->tk.tok[head].flags & TK_CAP) && !tly_known(d, head) && !tly_cue(d, head, CUE_CONJ) &&
        !tly_cue(d, head, CUE_PREP_WITH) && !tly_cue(d, head, CUE_CLAUSE_WORD))
        return NULL;
    b = head;
    while (a < b && (tly_cue(d, a, CUE_ARTICLE) || tly_cue(d, a, CUE_CONJ) || tly_cue(d, a, CUE_CLAUSE_WORD) ||
                     tly_cue(d, a, CUE_OF) ||
                     (d->tk.tok[a].flags & TK_PUNCT) || (!backwards && tly_cue(d, a, CUE_PREP))))
        a++;
    /* a clause word inside the span ("it worked with local authorities",
     * "a visit to a fabled military"): not a speaker's name */
    for (uint32_t q = b; q-- > a;) {
        const tly_tok *t = &d->tk.tok[q];
        int verbish = tly_lex_has_suffix(d->lex, t, GR_VED) && !tly_cue(d, q, CUE_SPEAKER_NOUN);
        if (verbish || (tly_cue(d, q, CUE_PREP) && !tly_cue(d, q, CUE_OF)) || tly_cue(d, q, CUE_PRONOUN) ||
            tly_cue(d, q, CUE_CONJ) || tly_cue(d, q, CUE_CLAUSE_WORD) || tly_cue(d, q, CUE_PREP_WITH) ||
            tly_cue(d, q, CUE_BY))
            return NULL;
    }
    while (a < b && (tly_cue(d, a, CUE_ARTICLE) || tly_cue(d, a, CUE_OF)))
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
        if (a->t0 > 0 && tly_cue(d, a->t0 - 1, CUE_FORMER)) return NULL; /* "Former Defense Minister X" */
        for (uint32_t q = a->t1; q < p->t0 && ok; q++) {
            const tly_tok *t = &d->tk.tok[q];
            if ((t->flags & TK_PUNCT) && !tly_punct(d, q, '\'')) ok = 0;
            if (tly_cue(d, q, CUE_SPEECH_VERB) || tly_cue(d, q, CUE_SPEECH_ACT)) ok = 0;
        }
        if (ok) return a;
        break;
    }
    /* "Its researcher, Daniel Okafor, said": a possessive refers to the last organisation */
    {
        uint32_t b = p->t0;
        if (b >= 2 && tly_punct(d, b - 1, ',')) b--;
        for (uint32_t q = b; q-- > 0 && q + 5 > b;) {
            if (d->tk.tok[q].sent != d->tk.tok[p->t0].sent) break;
            if (tly_cue(d, q, CUE_POSS_PRONOUN)) {
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
    if (tly_punct(d, p->t1, ',')) {
        for (size_t k = pk + 1; k < d->nact; k++) {
            const tly_actor *a = &d->act[k];
            if (a->t0 > p->t1 + 16 || d->tk.tok[a->t0].sent != d->tk.tok[p->t0].sent) break;
            int ok = 1;
            for (uint32_t q = p->t1 + 1; q < a->t0 && ok; q++)
                if (tly_cue(d, q, CUE_SPEECH_VERB) || tly_punct(d, q, ';')) ok = 0;
            if (!ok) break;
            if (a->src == AM_PERSON) break;
            return a;
        }
    }
    return NULL;
}

/* A role of roles.tsv whose words are [t0, t1) exactly, or ends at t1
 * after "of [the] X" ("the mayor of the city"): its start, else UINT32_MAX. */
static uint32_t role_before(const tly_doc *d, uint32_t t1, uint32_t lo, uint32_t *r1) {
    for (uint32_t j = t1; j-- > lo && j + 7 > t1;) {
        const tly_match *m = tly_doc_match(d, j, LX_ROLE, -1);
        if (!m || m->t1 > t1) continue;
        if (m->t1 == t1 || (tly_cue(d, m->t1, CUE_OF) && t1 - m->t1 <= 4)) {
            if (j > lo && tly_cue(d, j - 1, CUE_FORMER)) return UINT32_MAX;
            *r1 = m->t1;
            return j;
        }
    }
    return UINT32_MAX;
}

/* The title a person speaks under, when no organisation is named with them:
 * a role before the name ("The mayor of the city Vitaliy Klychko", "IGP
 * (Administration) K Jayanta"), or in an apposition ("Ibrahim Adam, the health
 * minister of Gezira state,", "The military governor of North Kivu, General
 * Peter Cirimwami,"). Fills the role's words [*t0, *t1); 0 when none. */
static int person_title(const tly_doc *d, const tly_actor *p, uint32_t *t0, uint32_t *t1) {
    const tly_sent *s = &d->tk.sent[d->tk.tok[p->t0].sent];
    uint32_t b = p->t0, r1;
    /* a parenthesis right before the name: "IGP (Administration) K Jayanta" */
    if (b > s->tok_begin && tly_punct(d, b - 1, ')')) {
        uint32_t q = b - 1;
        while (q > s->tok_begin && q + 5 > b && !tly_punct(d, q, '(')) q--;
        if (tly_punct(d, q, '(')) b = q;
    }
    /* a rank before the name ("General Peter Cirimwami"), then ", " */
    uint32_t c = b;
    if (c > s->tok_begin && (d->tk.tok[c - 1].flags & TK_CAP) && !tly_punct(d, c - 1, ',')) c--;
    if (c > s->tok_begin + 1 && tly_punct(d, c - 1, ',')) {
        uint32_t j = role_before(d, c - 1, s->tok_begin, &r1);
        if (j != UINT32_MAX) { *t0 = j; *t1 = r1; return 1; }
    }
    uint32_t j = role_before(d, b, s->tok_begin, &r1);
    if (j != UINT32_MAX) { *t0 = j; *t1 = r1; return 1; }
    /* after: "Name, the health minister of Gezira state, said" */
    if (tly_punct(d, p->t1, ',')) {
        uint32_t q = p->t1 + 1;
        while (q < s->tok_end && q < p->t1 + 4 && (tly_cue(d, q, CUE_ARTICLE) || !(d->tk.tok[q].flags & TK_PUNCT))) {
            if (tly_cue(d, q, CUE_SPEECH_VERB) || tly_cue(d, q, CUE_AUX) || tly_cue(d, q, CUE_SPEECH_ACT)) break;
            const tly_match *m = tly_doc_match(d, q, LX_ROLE, -1);
            if (m && d->act_at[q] < 0) {
                if (q > p->t1 + 1 && tly_cue(d, q - 1, CUE_FORMER)) return 0;
                *t0 = q;
                *t1 = m->t1;
                return 1;
            }
            q++;
        }
    }
    return 0;
}

typedef struct person_org { const char *name; const tly_actor *org; } person_org;

/* The speakers a sentence offers, verb by verb: the sentence's own (the
 * first wins, but an organisation beats a media outlet, which beats a person
 * nobody said who they speak for), and each clause's ("Armenia reported
 * 3,825 deaths, while Azerbaijan stated ..."): clauses are cut at ";" and at
 * "while", "whereas", ", but". */
#define MAX_CLAUSES 8
typedef struct offers {
    speaker sent;
    int rank;
    uint32_t cut[MAX_CLAUSES]; /* clause k starts at cut[k] */
    int ncut;
    speaker clause[MAX_CLAUSES];
    int crank[MAX_CLAUSES];
} offers;

static void offers_init(const tly_doc *d, const tly_sent *s, offers *o) {
    memset(o, 0, sizeof *o);
    o->rank = -1;
    o->cut[0] = s->tok_begin;
    o->ncut = 1;
    for (int k = 0; k < MAX_CLAUSES; k++) o->crank[k] = -1;
    for (uint32_t i = s->tok_begin + 1; i < s->tok_end && o->ncut < MAX_CLAUSES; i++)
        if (tly_punct(d, i, ';') ||
            (tly_cue(d, i, CUE_CONTRAST) && (!tly_cue(d, i, CUE_CONJ) || tly_punct(d, i - 1, ','))))
            o->cut[o->ncut++] = i;
}

static void offer(offers *o, speaker sp, int rank, uint32_t at) {
    if (!sp.name) return;
    if (!o->sent.name || rank > o->rank) { o->sent = sp; o->rank = rank; }
    int k = o->ncut - 1;
    while (k > 0 && o->cut[k] > at) k--;
    if (!o->clause[k].name || rank > o->crank[k]) { o->clause[k] = sp; o->crank[k] = rank; }
}

typedef TLY_VEC(tly_speaker_clause) clause_vec;

/* the clauses' own speakers, when two clauses name different ones */
static int offers_clauses(tly_doc *d, const offers *o, uint32_t si, clause_vec *out) {
    int n = 0, differ = 0;
    const char *first = NULL;
    for (int k = 0; k < o->ncut; k++) {
        if (!o->clause[k].name) continue;
        n++;
        if (!first) first = o->clause[k].name;
        else if (strcmp(first, o->clause[k].name)) differ = 1;
    }
    if (n < 2 || !differ) return 0;
    for (int k = 0; k < o->ncut; k++) {
        if (!o->clause[k].name) continue;
        tly_speaker_clause c = {si, o->cut[k], o->clause[k]};
        if (!tly_vec_push(d->a, out, c)) return -1;
    }
    return 0;
}

/* How many sentences a speaker holds without being named or kept again. */
#define RUNNING_SPAN 3

int tly_find_speakers(tly_doc *d) {
    /* needs: tokens, matches, numbers, actors, places, timexes; gives: speakers */
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
    /* persons -> the title they speak under (the role's words), by name too */
    speaker *title = tly_arena_calloc(d->a, d->nact ? d->nact : 1, sizeof *title);
    if (!title) return -1;
    for (size_t k = 0; k < d->nact; k++) {
        const tly_actor *a = &d->act[k];
        uint32_t t0, t1;
        if (a->src != AM_PERSON || aff[k]) continue;
        if (person_title(d, a, &t0, &t1)) {
            const char *nm = tly_doc_name(d, d->tk.tok[t0].start, d->tk.tok[t1 - 1].end);
            if (!nm) return -1;
            speaker sp = {NULL, nm, NULL, NULL, t0, t1};
            title[k] = sp;
            continue;
        }
        for (size_t j = 0; j < k; j++)
            if (title[j].name && d->act[j].name && !strcmp(d->act[j].name, a->name)) { title[k] = title[j]; break; }
    }

    /* the speaker of each sentence */
    speaker running = {0}, doc_default = {0};
    size_t running_at = 0;
    speaker *local = tly_arena_calloc(d->a, d->tk.nsent ? d->tk.nsent : 1, sizeof *local);
    speaker *current = tly_arena_calloc(d->a, d->tk.nsent ? d->tk.nsent : 1, sizeof *current);
    speaker *relay_sp = tly_arena_calloc(d->a, d->tk.nsent ? d->tk.nsent : 1, sizeof *relay_sp);
    clause_vec clauses = {0};
    speaker prev[8]; /* the last unnamed speakers of more than one word, the latest first */
    int nprev = 0;
    if (!local || !current || !relay_sp) return -1;
    for (size_t si = 0; si < d->tk.nsent; si++) {
        const tly_sent *s = &d->tk.sent[si];
        offers of;
        offers_init(d, s, &of);
        int relay_pending = 0; /* "X reported ..., citing Y": X relays Y */
        for (uint32_t i = s->tok_begin; i < s->tok_end; i++) {
            /* "By the office's count", "by Amnesty's tally": the sentence's source */
            if (tly_cue(d, i, CUE_BY) && !local[si].name) {
                for (uint32_t q = i + 1; q < i + 3 && q < s->tok_end; q++) {
                    int32_t ak = d->act_at[q];
                    if (ak < 0 || d->act[ak].t0 != q) continue;
                    uint32_t e = d->act[ak].t1;
                    if (tly_possessive(d, e) && tly_cue(d, e + 2, CUE_COUNT_NOUN)) {
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
                speaker src = {0};
                for (uint32_t q = loc->t1; q < loc->t1 + 3 && q < s->tok_end; q++) {
                    int32_t ak = d->act_at[q];
                    if (ak < 0) continue;
                    const tly_actor *a = &d->act[ak];
                    if (a->src == AM_PERSON && aff[ak]) a = aff[ak];
                    speaker sp = {a, a->name, a->kind, a->side, d->act[ak].t0, d->act[ak].t1};
                    src = sp;
                    break;
                }
                if (!src.name) { /* "according to local officials" */
                    uint32_t u0, u1;
                    const char *nm = unnamed_speaker(d, loc->t1, s->tok_end, 0, &u0, &u1);
                    if (nm) { speaker sp = {NULL, nm, NULL, NULL, u0, u1}; src = sp; }
                }
                int relay = tly_cue(d, i, CUE_RELAY);
                if (src.name && relay && local[si].name) relay_sp[si] = src; /* "according to X, cited by OCHA" */
                else if (src.name) {
                    local[si] = src;
                    if (relay) relay_pending = 1; /* "..., citing X": the sentence's speaker relays X */
                }
                /* "This was reported by the State Emergency Service": a statement
                 * the text goes on to give, not a source for this sentence only */
                if (local[si].name && loc->t0 > s->tok_begin && tly_cue(d, loc->t0 - 1, CUE_BE_AUX))
                    offer(&of, local[si], 2, i);
                i = loc->t1 - 1; /* "as stated by": "stated" is not a verb of its own here */
                continue;
            }
            const tly_match *keep = tly_doc_match(d, i, LX_CUE, CUE_SPEECH_KEEP);
            if (keep) { i = keep->t1 - 1; continue; } /* "the message states": the current speaker's */
            int verb = tly_cue(d, i, CUE_SPEECH_VERB), act = tly_cue(d, i, CUE_SPEECH_ACT);
            if (!verb && !act) continue;
            if (d->act_at[i] >= 0) continue;
            /* the subject: the nearest actor before the verb, or right after it */
            int32_t found = -1;
            /* a state right before the verb ("Azerbaijan said") outranks an actor further back */
            int state_first = 0;
            {
                uint32_t q = i;
                while (q > s->tok_begin && before_verb(d, q - 1))
                    q--;
                /* not "the rights office in Yemen has documented" */
                if (q > s->tok_begin && d->pl_at[q - 1] >= 0 && d->pl[d->pl_at[q - 1]].t1 == q &&
                    !d->pl[d->pl_at[q - 1]].demonym && d->pl[d->pl_at[q - 1]].pl->kind == TLY_PLACE_COUNTRY &&
                    !(d->pl[d->pl_at[q - 1]].t0 > s->tok_begin && tly_cue(d, d->pl[d->pl_at[q - 1]].t0 - 1, CUE_PREP)))
                    state_first = 1;
            }
            for (uint32_t q = i; !state_first && q-- > s->tok_begin && q + 14 > i;) {
                if (d->act_at[q] >= 0) { found = d->act_at[q]; break; }
                if (tly_cue(d, q, CUE_SPEECH_VERB) && q + 1 < i) break;
                if (tly_doc_match(d, q, LX_OUTCOME, -1) || d->num_at[q] >= 0) break;
            }
            /* "in the Dansadau Emirate of Zamfara State, officials said": a
             * speaker noun right before the verb outranks an actor further back */
            if (found >= 0 && d->act[found].t1 < i) {
                uint32_t v = i, u0, u1;
                while (v > s->tok_begin && before_verb(d, v - 1))
                    v--;
                if (unnamed_speaker(d, s->tok_begin, v, 1, &u0, &u1) && u1 == v && d->act[found].t1 <= u0)
                    found = -1;
            }
            if (found < 0) {
                /* a state speaking: "Azerbaijan says", "Armenia claimed" */
                uint32_t q = i;
                while (q > s->tok_begin && before_verb(d, q - 1))
                    q--;
                if (q > s->tok_begin && d->pl_at[q - 1] >= 0) {
                    const tly_placem *pm = &d->pl[d->pl_at[q - 1]];
                    if (!pm->demonym && pm->pl->kind == TLY_PLACE_COUNTRY && pm->t1 == q &&
                        !(pm->t0 > s->tok_begin && tly_cue(d, pm->t0 - 1, CUE_PREP))) {
                        speaker sp = {NULL, pm->pl->name, "state", pm->pl->country, pm->t0, pm->t1};
                        offer(&of, sp, 2, i);
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
                that_after = tly_cue(d, nx, CUE_COMPLEMENTIZER);
            }
            if (found < 0 && verb && !tly_cue(d, i, CUE_SPEECH_TO) && !that_after) {
                for (uint32_t q = i + 1; q < i + 3 && q < s->tok_end; q++)
                    if (d->act_at[q] >= 0) {
                        /* "said the ministry.", "said the army on Monday", not "said a
                         * Houthi drone attack ...": the subject of what was said */
                        uint32_t e = d->act[d->act_at[q]].t1;
                        if (e < s->tok_end && (d->tk.tok[e].flags & TK_WORD) && !(d->tk.tok[e].flags & TK_CAP) &&
                            !tly_cue(d, e, CUE_PREP) && !tly_cue(d, e, CUE_SPEECH_ACT) && d->tx_at[e] < 0 &&
                            !tly_cue(d, e, CUE_CONJ) && !tly_cue(d, e, CUE_CLAUSE_WORD) && !tly_cue(d, e, CUE_PRE_VERB))
                            break;
                        found = d->act_at[q];
                        break;
                    }
            }
            if (found < 0) {
                /* "officials said", "the army said in a statement", "local officials told AFP" */
                uint32_t v = i;
                while (v > s->tok_begin && before_verb(d, v - 1))
                    v--;
                uint32_t u0, u1;
                const char *nm = unnamed_speaker(d, s->tok_begin, v, 1, &u0, &u1);
                /* "The military governor of North Kivu, General Peter Cirimwami, said":
                 * the description before a name in apposition */
                if (!nm && v > s->tok_begin + 2 && tly_punct(d, v - 1, ',')) {
                    uint32_t c0 = v - 1;
                    while (c0 > s->tok_begin && v - c0 < 7 && (d->tk.tok[c0 - 1].flags & TK_CAP) &&
                           (d->tk.tok[c0 - 1].flags & TK_WORD))
                        c0--;
                    if (c0 < v - 1 && c0 > s->tok_begin + 1 && tly_punct(d, c0 - 1, ','))
                        nm = unnamed_speaker(d, s->tok_begin, c0 - 1, 1, &u0, &u1);
                }
                if (!nm && verb && !tly_cue(d, i, CUE_SPEECH_TO) && !that_after) {
                    const tly_match *vm2 = tly_doc_match(d, i, LX_CUE, CUE_SPEECH_VERB);
                    nm = unnamed_speaker(d, vm2 ? vm2->t1 : i + 1, s->tok_end, 0, &u0, &u1);
                }
                if (nm) {
                    speaker sp = {NULL, nm, NULL, NULL, u0, u1};
                    /* "the sources said": the fuller speaker named before with the
                     * same head ("security sources said") */
                    if (u1 == u0 + 1 && u0 > s->tok_begin && tly_cue(d, u0 - 1, CUE_DEFINITE)) {
                        for (int k = 0; k < nprev; k++) {
                            const speaker *pv = &prev[k];
                            if (pv->t1 - pv->t0 > 1 && !strcmp(d->tk.tok[pv->t1 - 1].norm, d->tk.tok[u1 - 1].norm)) {
                                sp = *pv;
                                break;
                            }
                        }
                    } else if (u1 > u0 + 1) {
                        memmove(prev + 1, prev, sizeof prev - sizeof *prev);
                        prev[0] = sp;
                        if (nprev < (int)(sizeof prev / sizeof *prev)) nprev++;
                    }
                    offer(&of, sp, 1, i);
                }
                continue;
            }
            /* "confirmed those facts": a verb with a plain object reports nothing */
            {
                const tly_match *vm = tly_doc_match(d, i, LX_CUE, verb ? CUE_SPEECH_VERB : CUE_SPEECH_ACT);
                uint32_t nx = vm ? vm->t1 : i + 1;
                /* ... but "said it had killed", "said it lost": a clause's subject */
                uint32_t n2 = nx + 1;
                int clause = n2 < s->tok_end &&
                             (tly_cue(d, n2, CUE_AUX) || tly_cue(d, n2, CUE_PERFECT) || tly_cue(d, n2, CUE_BE_AUX) ||
                              tly_cue(d, n2, CUE_PRE_VERB) || tly_cue(d, n2, CUE_ATTACK_VERB) || tly_cue(d, n2, CUE_LOSS_VERB) ||
                              tly_lex_has_suffix(d->lex, &d->tk.tok[n2], GR_VED));
                if (tly_cue(d, nx, CUE_PLAIN_OBJECT) && !(tly_cue(d, nx, CUE_PRONOUN) && clause))
                    continue;
            }
            const tly_actor *a = &d->act[found];
            if (a->src == AM_PERSON && aff[found]) a = aff[found];
            if (a->src == AM_PERSON && !aff[found]) {
                /* a person under a title ("the mayor of the city Vitaliy
                 * Klychko") speaks for the office; one who closes a quote
                 * after "a police officer said" speaks for what that described */
                const speaker *ti = title[found].name ? &title[found] : NULL;
                int quoted = 0; /* the person closes a quote: '..., " Major X told Reuters' */
                for (uint32_t q = s->tok_begin; q < d->act[found].t0 && !quoted; q++) quoted = tly_punct(d, q, '"');
                if (!ti && quoted && running.name && !running.a && !running.kind && running.t0 > 0 &&
                    tly_cue(d, running.t0 - 1, CUE_ARTICLE) && !tly_cue(d, running.t0 - 1, CUE_DEFINITE))
                    ti = &running;
                if (ti) {
                    offer(&of, *ti, 1, i);
                    continue;
                }
            }
            /* the first speaker of a sentence wins, but an organisation beats a media
             * outlet, which beats a person nobody said who they speak for */
            int rank = a->src == AM_PERSON ? 0 : (a->kind && !strcmp(a->kind, "media")) ? 1 : 2;
            speaker sp = {a, a->name, a->kind, a->side, d->act[found].t0, d->act[found].t1};
            offer(&of, sp, rank, i);
        }
        speaker sent_sp = of.sent;
        if (offers_clauses(d, &of, (uint32_t)si, &clauses)) return -1;
        if (relay_pending && sent_sp.name && sent_sp.name != local[si].name) relay_sp[si] = sent_sp;
        /* "It was also noted that ...": the sentence is the current speaker's */
        int keeps = 0;
        for (uint32_t q = s->tok_begin; q < s->tok_end && q < s->tok_begin + 4; q++)
            if (tly_cue(d, q, CUE_SPEECH_KEEP)) keeps = 1;
        if (keeps && running.name) { sent_sp.name = NULL; running_at = si; }
        /* "Thus, ...", "Moreover, ...": the same voice goes on */
        if (running.name && tly_cue(d, s->tok_begin, CUE_CONNECTIVE)) running_at = si;
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
    d->sp_local = local;
    d->sp_current = current;
    d->sp_default = doc_default;
    d->sp_relay = relay_sp;
    d->sp_clause = clauses.v;
    d->nsp_clause = clauses.n;
    return 0;
}
