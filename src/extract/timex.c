/* timex.c -- the temporal tagger: finds dates, times, durations and sets
 * and normalizes them to TIMEX3 values (see timex.h and docs/timex.md).
 *
 * One left-to-right pass over the tokens: at each token every pattern is
 * tried (each looks at a bounded number of tokens), the longest match is
 * kept and the scan resumes after it. Words come from the lexicon
 * (data/time/<lang>/): the patterns only know word classes. The last date
 * told (the anchor) and the last year stated (the narrative year) are
 * carried along for "a week later", "that day" and yearless dates. */
#include "timex_int.h"
#include <stdio.h>
#include <string.h>

enum { G_LIT = 0, G_CEN, G_DEC, G_Y, G_H, G_Q, G_S, G_M, G_W, G_WE, G_D };

typedef struct tv {
    int type;
    int gran;
    int y, m, d;       /* y < 0: unknown year */
    int sub;           /* week, quarter, half or season */
    int pod;           /* part of day */
    int hh, mi;        /* hh < 0: no clock time */
    char lit[28];      /* the value when gran == G_LIT */
    unsigned flags;    /* TLY_TX_* */
    unsigned char xyear, xfull, rng, nofl, narr, noanchor;
    int64_t r0, r1;    /* the days of a range */
} tv;

#define TX_MAXMEM 16 /* members of a list of days */

typedef struct cand {
    int ts, te;
    tv v;
    /* a list or range ("April 24 and 25", "1991 to 1997"): its members in
     * text order, each [mts, mte) with its day of the month (v.gran G_D)
     * or its year (G_Y); the first member starts at ts, the last ends at
     * te. TIMEX3 tags each member (the --timex output); the claim dating
     * keeps the whole. */
    int nmem;
    int mts[TX_MAXMEM], mte[TX_MAXMEM], mnum[TX_MAXMEM];
} cand;

typedef struct ctx {
    const tly_timex_rules *r;
    const char *text;
    tx_tok *t;
    int n;
    int has_ref, ry, rm, rd;
    int64_t rn;
    int has_anchor;
    tv anchor;
    int narr_y, narr_g; /* the year of the running narrative, and the granularity it was told at */
    int narr_tok;       /* the token after the date that told it */
    int64_t narr_n;
    int n_recent, n_old; /* dates told so far near the reference (half a year) and older */
    int has_q;          /* a quarter was told: the last one */
    tv lastq;
    int xstart;         /* the start of the expression a date is part of ("9 a.m. Tuesday"), -1 */
} ctx;

static const char *const POD_CODE[] = {"", "MO", "AF", "EV", "NI"};
static const char *const SEASON_CODE[] = {"", "SP", "SU", "FA", "WI"};

/* ------------------------------------------------------------ helpers */
static void tv_init(tv *v) {
    memset(v, 0, sizeof *v);
    v->type = TALLY_TIMEX_DATE;
    v->y = -1;
    v->hh = -1;
}

static void tv_lit(tv *v, int type, const char *s) {
    tv_init(v);
    v->type = type;
    v->gran = G_LIT;
    snprintf(v->lit, sizeof v->lit, "%s", s);
}

static void tv_day(tv *v, int64_t n) {
    v->gran = G_D;
    tly_tx_civil(n, &v->y, &v->m, &v->d);
}

static const tx_sense *sense_in(const tly_timex_rules *r, int32_t e, int cls) {
    if (e < 0) return NULL;
    const tx_entry *en = &r->ents[e];
    if (!(en->clsmask & (1ull << (cls & 63)))) return NULL;
    for (int i = 0; i < en->nsense; i++)
        if (en->senses[i].cls == cls) return &en->senses[i];
    return NULL;
}

/* The sense of class cls of the phrase starting at token i (the longest
 * phrase first, then the word alone); *next is the token after it. */
static const tx_sense *at_slow(const ctx *c, int i, int cls, int *next) {
    const tx_tok *t = &c->t[i];
    const tx_sense *s;
    if (t->en >= 0 && (s = sense_in(c->r, t->en, cls))) {
        if (next) *next = i + c->r->ents[t->en].ntok;
        return s;
    }
    if ((s = sense_in(c->r, t->e1, cls))) {
        if (next) *next = i + 1;
        return s;
    }
    return NULL;
}
static inline const tx_sense *at(const ctx *c, int i, int cls, int *next) {
    if (i < 0 || i >= c->n || !(c->t[i].cls & (1ull << (cls & 63)))) return NULL; /* the common answer */
    return at_slow(c, i, cls, next);
}

/* The sense of class cls of the one word at i. */
static const tx_sense *at1(const ctx *c, int i, int cls) {
    if (i < 0 || i >= c->n) return NULL;
    return sense_in(c->r, c->t[i].e1, cls);
}

static int is_p(const ctx *c, int i, char ch) {
    return i >= 0 && i < c->n && c->t[i].kind == TX_TK_PUNCT && c->t[i].ch == ch;
}
static int is_num(const ctx *c, int i) { return i >= 0 && i < c->n && c->t[i].kind == TX_TK_NUM; }
static int is_word(const ctx *c, int i) { return i >= 0 && i < c->n && c->t[i].kind == TX_TK_WORD; }
/* tokens i and i+1 touch */
static int adj(const ctx *c, int i) { return i >= 0 && i + 1 < c->n && !(c->t[i + 1].fl & TX_TF_SP); }
static int cap(const ctx *c, int i) { return i >= 0 && i < c->n && (c->t[i].fl & TX_TF_CAP); }
static int wlen(const ctx *c, int i) { return (int)(c->t[i].e - c->t[i].s); }

/* a word "s" glued to token i ("1990s") or "'s" */
static int plural_s(const ctx *c, int i, int *next) {
    if (is_word(c, i) && wlen(c, i) == 1 && (c->text[c->t[i].s] | 32) == 's' && adj(c, i - 1)) {
        *next = i + 1;
        return 1;
    }
    if (is_p(c, i, '\'') && adj(c, i - 1) && adj(c, i) && is_word(c, i + 1) && wlen(c, i + 1) == 1 &&
        (c->text[c->t[i + 1].s] | 32) == 's') {
        *next = i + 2;
        return 1;
    }
    return 0;
}

/* Is number token i part of a larger number ("1,700", "3.5", "10:30", "1/2")? */
static int num_glued(const ctx *c, int i) {
    if (adj(c, i) && i + 2 < c->n && c->t[i + 1].kind == TX_TK_PUNCT &&
        strchr(",.:/", c->t[i + 1].ch) && adj(c, i + 1) && is_num(c, i + 2))
        return 1;
    if (i >= 2 && adj(c, i - 1) && c->t[i - 1].kind == TX_TK_PUNCT && strchr(",.:/", c->t[i - 1].ch) &&
        adj(c, i - 2) && is_num(c, i - 2))
        return 1;
    return 0;
}

/* A cardinal at i: >= 0, -2 for a vague quantity ("several"), -1 none. */
static int qty(const ctx *c, int i, int *next, int *art) {
    *art = 0;
    if (i < 0 || i >= c->n) return -1;
    const tx_tok *t = &c->t[i];
    if (t->kind == TX_TK_NUM) {
        if (t->nd > 6 || t->num < 0 || num_glued(c, i)) return -1;
        if (i > 0 && (is_p(c, i - 1, '$') || is_p(c, i - 1, '#')) && adj(c, i - 1)) return -1;
        *next = i + 1;
        return t->num;
    }
    const tx_sense *s;
    int j, k;
    if (at(c, i, TX_C_FEW, &j)) { *next = j; return -2; }
    if ((s = at(c, i, TX_C_NUM, &j))) {
        int v = s->val;
        if (s->flags & TX_F_ART) *art = 1;
        const tx_sense *u;
        if (v >= 20 && v <= 90 && v % 10 == 0 && is_p(c, j, '-') && (u = at(c, j + 1, TX_C_NUM, &k)) &&
            u->val >= 1 && u->val <= 9 && !(u->flags & TX_F_ART)) {
            v += u->val;
            j = k;
        } else if (v >= 20 && v <= 90 && v % 10 == 0 && is_word(c, j) && (u = at(c, j, TX_C_NUM, &k)) &&
                   u->val >= 1 && u->val <= 9 && !(u->flags & TX_F_ART)) {
            v += u->val; /* "twenty four" */
            j = k;
        }
        if (!*art && (u = at(c, j, TX_C_MULT, &k)) && v < 1000) { v *= u->val; j = k; }
        *next = j;
        return v;
    }
    return -1;
}

/* A day of the month at i ("5", "5th", "fifth", "twenty-first"). */
static int dayord(const ctx *c, int i, int *next, int *isord) {
    *isord = 0;
    if (i < 0 || i >= c->n) return -1;
    const tx_tok *t = &c->t[i];
    int j;
    if (t->kind == TX_TK_NUM) {
        if (t->nd > 2 || t->num < 1 || t->num > 31 || num_glued(c, i)) return -1;
        if (adj(c, i) && at1(c, i + 1, TX_C_ORDSUF)) { *isord = 1; *next = i + 2; }
        else if (adj(c, i) && is_word(c, i + 1)) return -1; /* "5km" */
        else *next = i + 1;
        return t->num;
    }
    const tx_sense *s = at(c, i, TX_C_ORD, &j);
    if (s && s->val >= 1 && s->val <= 31) { *isord = 1; *next = j; return s->val; }
    if ((s = at(c, i, TX_C_NUM, &j)) && (s->val == 20 || s->val == 30) && is_p(c, j, '-')) {
        int k;
        const tx_sense *u = at(c, j + 1, TX_C_ORD, &k);
        if (u && u->val >= 1 && u->val <= 9 && s->val + u->val <= 31) {
            *isord = 1;
            *next = k;
            return s->val + u->val;
        }
    }
    return -1;
}

/* A year at i: four digits, "'98", "nineteen ninety-six". */
static int year_at(const ctx *c, int i, int *next) {
    if (i < 0 || i >= c->n) return -1;
    const tx_tok *t = &c->t[i];
    if (t->kind == TX_TK_NUM) {
        if (t->nd != 4 || t->num < 1000 || t->num > 2199 || num_glued(c, i)) return -1;
        if (adj(c, i) && is_word(c, i + 1) && !plural_s(c, i + 1, next)) return -1;
        if (i > 0 && adj(c, i - 1) && (is_p(c, i - 1, '$') || is_p(c, i - 1, '#') || is_num(c, i - 1))) return -1;
        *next = i + 1;
        return t->num;
    }
    if (is_p(c, i, '\'') && adj(c, i) && is_num(c, i + 1) && c->t[i + 1].nd == 2 && !num_glued(c, i + 1)) {
        int v = c->t[i + 1].num;
        *next = i + 2;
        return v <= 30 ? 2000 + v : 1900 + v;
    }
    const tx_sense *s;
    int j, k;
    if ((s = at(c, i, TX_C_NUM, &j)) && s->val >= 11 && s->val <= 20 && !(s->flags & TX_F_ART)) {
        int art;
        int v = qty(c, j, &k, &art);
        if (v >= 10 && v <= 99 && !art && is_word(c, j)) { *next = k; return s->val * 100 + v; }
    }
    return -1;
}

static int month_at(const ctx *c, int i, int *next, int loose) {
    const tx_sense *s = at(c, i, TX_C_MONTH, next);
    if (!s) return 0;
    if ((s->flags & TX_F_AMB) && !cap(c, i)) return 0;
    if (!loose && !cap(c, i) && c->t[i].fl & TX_TF_UPPER) return 0;
    return s->val;
}

/* A word that makes the number before it a count ("27 civilians"). */
static int count_noun(const ctx *c, int i) {
    return at1(c, i, TX_C_COUNTNOUN) != NULL || at1(c, i, TX_C_AMOUNT) != NULL || is_p(c, i, '%');
}

/* A past-tense word: a PASTCUE, or a lower-case word of 5+ letters with
 * the language's past suffix ("killed", "announced"). */
static int past_word(const ctx *c, int j) {
    if (at1(c, j, TX_C_PASTCUE)) return 2;
    size_t sl = strlen(c->r->past_suffix);
    const tx_tok *t = &c->t[j];
    if (!sl || t->kind != TX_TK_WORD || (t->fl & TX_TF_CAP) || !(t->fl & TX_TF_ASCII)) return 0;
    size_t n = t->e - t->s;
    if (j > 0 && at1(c, j - 1, TX_C_NOTPAST)) return 0; /* "will be named", "to be completed" */
    return n >= sl + 3 && memcmp(c->text + t->e - sl, c->r->past_suffix, sl) == 0;
}

/* The tense of the sentence around tokens [i, e): +1 future, -2 past (a
 * PASTCUE word), -1 likely past (a past suffix), 0 unknown. The nearest cue wins (FUTCUE, PASTCUE words; before the
 * expression on a tie); the search stops at the sentence's end. */
static int tense(const ctx *c, int i, int e) {
    int bd = 0, bt = 0, ad = 0, atn = 0, k;
    if (e < 0) { /* only before */
        for (int j = i - 1; j >= 0 && j >= i - 15; j--) {
            const tx_tok *t = &c->t[j];
            if (t->kind == TX_TK_PUNCT && (t->ch == '.' || t->ch == '!' || t->ch == '?' || t->ch == ';')) break;
            if (at(c, j, TX_C_FUTCUE, NULL)) return 1;
            if ((k = past_word(c, j))) return -k;
            if (t->fl & TX_TF_PARA) break;
        }
        return 0;
    }
    for (int j = i - 1; j >= 0 && j >= i - 15; j--) {
        const tx_tok *t = &c->t[j];
        if (t->kind == TX_TK_PUNCT && (t->ch == '.' || t->ch == '!' || t->ch == '?' || t->ch == ';')) break;
        if (at(c, j, TX_C_FUTCUE, NULL)) { bd = i - j; bt = 1; break; }
        if ((k = past_word(c, j))) { bd = i - j; bt = -k; break; }
        if (t->fl & TX_TF_PARA) break;
    }
    for (int j = e; j < c->n && j < e + 10; j++) {
        const tx_tok *t = &c->t[j];
        if (t->fl & TX_TF_PARA) break;
        if (t->kind == TX_TK_PUNCT && (t->ch == '.' || t->ch == '!' || t->ch == '?' || t->ch == ';')) break;
        if (at(c, j, TX_C_FUTCUE, NULL)) { ad = j - e + 1; atn = 1; break; }
        if ((k = past_word(c, j))) { ad = j - e + 1; atn = -k; break; }
    }
    if (bt && (!atn || bd <= ad)) return bt;
    return atn;
}

/* ------------------------------------------------------------ resolution */
static int ref_q(const ctx *c) { return (c->rm - 1) / 3 + 1; }

/* Does a FUTPREP word ("until") come right before token i, over a part of
 * the period ("until mid-November", "until the end of")? */
static int futprep_before(const ctx *c, int i) {
    for (int j = i - 1; j >= 0 && j >= i - 5; j--) {
        if (at1(c, j, TX_C_FUTPREP)) return 1;
        if (!(is_p(c, j, '-') || at1(c, j, TX_C_POS) || at1(c, j, TX_C_DET) || at1(c, j, TX_C_OF))) return 0;
    }
    return 0;
}

/* The year of a yearless day (d > 0) or month (d == 0) at tokens [i, e). */
static int year_for(const ctx *c, int m, int d, int i, int e, unsigned *flags) {
    *flags |= TLY_TX_YEARLESS;
    if (!c->has_ref) return c->narr_y ? c->narr_y : -1;
    int dd = d ? d : 1;
    int tn = tense(c, i, e);
    if (tn >= 0 && futprep_before(c, i)) tn = 1; /* "until Nov. 30": a deadline ahead (not "had fired ... until 29 October") */
    int fut = tn > 0;
    /* the last stated year holds for a while; for good in a retrospective
     * text, one that has never come back to its own present (an encyclopedia
     * article, a report written long after) */
    int near = i - c->narr_tok <= (c->narr_g == G_Y ? 60 : 200) ||
               (c->n_recent == 0 && c->n_old >= 2 && c->narr_g != G_Y); /* a bare year ("since 2014") holds less */
    if (c->narr_y && !fut && near && c->narr_n < c->rn - 183 && c->n_old > c->n_recent) {
        /* a narrative of past events: the year of the last stated date (or
         * the next one when that is closer to it) */
        int y = c->narr_y;
        if (c->narr_g != G_Y) {
            int d1 = (m == 2 && dd == 29) ? 28 : dd;
            int64_t n1 = tly_tx_days(y, m, d1), n2 = tly_tx_days(y + 1, m, d1);
            int64_t e1 = n1 > c->narr_n ? n1 - c->narr_n : c->narr_n - n1;
            int64_t e2 = n2 > c->narr_n ? n2 - c->narr_n : c->narr_n - n2;
            if (e2 < e1 && n2 <= c->rn + 7) y++;
        }
        return y;
    }
    int y = c->ry;
    int dd2 = dd;
    if (m == 2 && dd2 == 29 && tly_tx_mdays(y, 2) < 29) dd2 = 28;
    int64_t n = tly_tx_days(y, m, dd2);
    if (d == 0) {
        int dm = m - c->rm; /* months after the reference month */
        if (fut) { if (dm < 0) y++; }
        else if (tn < 0) { if (dm > 0) y--; }
        else if (dm > 6) y--; /* no tense told: the closest such month */
        else if (dm < -6) y++;
    } else if (fut) {
        if (n < c->rn - 31) y++;
    } else if (tn < 0) {
        /* told in the past tense: not after the reference (a week's slack;
         * a month's when only a verb ending tells it) */
        if (n > c->rn + (tn < -1 ? 7 : 31)) y--;
    } else if (n > c->rn + 183) {
        y--; /* no tense told: the closest such day */
    } else if (n < c->rn - 183) {
        y++;
    }
    return y;
}

/* Shifts v by k units at v's own granularity. */
static void shift(tv *v, int unit, int k) {
    if (v->y < 0) return;
    int64_t n;
    switch (unit) {
    case TX_U_D:
        if (v->gran == G_D) tv_day(v, tly_tx_days(v->y, v->m, v->d) + k);
        break;
    case TX_U_2W: k *= 2; /* fall through */
    case TX_U_W:
    case TX_U_WE:
        if (v->gran == G_D) tv_day(v, tly_tx_days(v->y, v->m, v->d) + 7 * (int64_t)k);
        else if (v->gran == G_W || v->gran == G_WE) {
            n = tly_tx_week_monday(v->y, v->sub) + 7 * (int64_t)k;
            tly_tx_isoweek(n, &v->y, &v->sub);
        }
        break;
    case TX_U_H: k *= 2; /* fall through */
    case TX_U_Q:
        if (v->gran == G_Q) {
            int q = v->y * 4 + v->sub - 1 + k;
            v->y = q / 4;
            v->sub = q % 4 + 1;
            break;
        }
        if (v->gran == G_H) {
            int h = v->y * 2 + v->sub - 1 + k / 2;
            v->y = h / 2;
            v->sub = h % 2 + 1;
            break;
        }
        k *= 3; /* fall through */
    case TX_U_M:
        if (v->gran == G_D || v->gran == G_M) {
            int mm = v->y * 12 + v->m - 1 + k;
            v->y = mm / 12;
            v->m = mm % 12 + 1;
            if (v->gran == G_D && v->d > tly_tx_mdays(v->y, v->m)) v->d = tly_tx_mdays(v->y, v->m);
        }
        break;
    case TX_U_CE: k *= 10; /* fall through */
    case TX_U_DE: k *= 10; /* fall through */
    case TX_U_Y:
        v->y += k;
        if (v->gran == G_D && v->d > tly_tx_mdays(v->y, v->m)) v->d = tly_tx_mdays(v->y, v->m);
        if ((v->gran == G_W || v->gran == G_WE) && v->sub == 53) {
            int wy, w;
            tly_tx_isoweek(tly_tx_days(v->y, 12, 28), &wy, &w);
            if (w < 53) v->sub = 52;
        }
        break;
    default: break;
    }
    if (v->y < 0) v->y = 0;
}

/* The first day of v. */
static int64_t first_day(const tv *v) {
    switch (v->gran) {
    case G_D: return tly_tx_days(v->y, v->m, v->d);
    case G_M: return tly_tx_days(v->y, v->m ? v->m : 1, 1);
    case G_W: case G_WE: return tly_tx_week_monday(v->y, v->sub);
    case G_Q: return tly_tx_days(v->y, (v->sub - 1) * 3 + 1, 1);
    case G_H: return tly_tx_days(v->y, (v->sub - 1) * 6 + 1, 1);
    default: return tly_tx_days(v->y, 1, 1);
    }
}

/* Coarsens v (a day) to granularity g. */
static void coarsen(tv *v, int g) {
    if (v->gran != G_D || g == G_D) return;
    int64_t n = tly_tx_days(v->y, v->m, v->d);
    switch (g) {
    case G_W: case G_WE: tly_tx_isoweek(n, &v->y, &v->sub); break;
    case G_M: v->d = 0; break;
    case G_Q: v->sub = (v->m - 1) / 3 + 1; break;
    case G_H: v->sub = (v->m - 1) / 6 + 1; break;
    case G_DEC: v->y -= v->y % 10; break;
    case G_CEN: v->y -= v->y % 100; break;
    default: break;
    }
    v->gran = g;
}

static int unit_gran(int unit) {
    switch (unit) {
    case TX_U_D: return G_D;
    case TX_U_W: case TX_U_2W: return G_W;
    case TX_U_WE: return G_WE;
    case TX_U_M: return G_M;
    case TX_U_Q: return G_Q;
    case TX_U_H: return G_H;
    case TX_U_Y: return G_Y;
    case TX_U_DE: return G_DEC;
    case TX_U_CE: case TX_U_ML: return G_CEN;
    default: return -1;
    }
}

/* The reference day as a tv. */
/* The day the text last told, without its time of day or range ("that
 * night", "the next morning" count from it). */
static void anchor_day(const ctx *c, tv *v) {
    *v = c->anchor;
    v->hh = -1;
    v->flags = 0;
    v->rng = 0;
    v->xfull = v->xyear = 0;
}

static void ref_day(const ctx *c, tv *v) {
    tv_init(v);
    v->gran = G_D;
    v->y = c->ry;
    v->m = c->rm;
    v->d = c->rd;
    v->flags |= TLY_TX_RELATIVE;
}

/* The reference (the anchor when anaphoric) at unit granularity, shifted k units. */
static int rel_period(const ctx *c, int unit, int k, int anaphoric, tv *v) {
    int g = unit_gran(unit);
    if (g < 0) return 0;
    if (anaphoric && c->has_anchor && c->anchor.gran != G_LIT && c->anchor.y >= 0) {
        *v = c->anchor;
        v->hh = -1;
        v->pod = 0;
        v->flags = 0;
        v->rng = 0;
        v->xyear = v->xfull = 0;
        if (v->gran == g) { shift(v, unit, k); return 1; }
        if (v->gran == G_D) { shift(v, unit, k); coarsen(v, g); return 1; }
        if (v->gran > g && g >= G_Y) {
            /* a coarser period around a finer one: "that year" after a month */
            int64_t n = first_day(v);
            tv_init(v);
            tv_day(v, n);
            shift(v, unit, k);
            coarsen(v, g);
            return 1;
        }
    }
    if (!c->has_ref) return 0;
    ref_day(c, v);
    if (unit == TX_U_D) { shift(v, unit, k); return 1; }
    coarsen(v, g);
    if (g == G_DEC || g == G_CEN) {
        v->y += k * (g == G_DEC ? 10 : 100);
        return 1;
    }
    shift(v, unit, k);
    return 1;
}

/* The weekday wd relative to the reference: dir -1 the last one (before),
 * 0 a bare weekday (past bias, or forward after a future cue), 1 next,
 * 2 this week's, 3 the one before the anchor. */
static int weekday_day(const ctx *c, int wd, int dir, int i, int64_t *out) {
    if (!c->has_ref) return 0;
    int64_t base = c->rn;
    int rdw = tly_tx_dow(c->rn);
    if (dir == 3) {
        if (c->has_anchor && c->anchor.gran == G_D && c->anchor.y >= 0)
            base = tly_tx_days(c->anchor.y, c->anchor.m, c->anchor.d);
        int bw = tly_tx_dow(base);
        int back = (bw - wd + 7) % 7;
        if (back == 0) back = 7;
        *out = base - back;
        return 1;
    }
    if (dir == 0) {
        /* "until Tuesday", "until 9 a.m. Tuesday": a deadline ahead unless
         * the sentence tells the past with a cue word */
        int s0 = c->xstart >= 0 ? c->xstart : i;
        int tn = tense(c, s0, -1);
        if (tn > 0 || (s0 > 0 && at1(c, s0 - 1, TX_C_FUTPREP) && tn != -2)) dir = 4;
    }
    switch (dir) {
    case 0: *out = base - (rdw - wd + 7) % 7; break;
    case -1: { int b = (rdw - wd + 7) % 7; *out = base - (b ? b : 7); break; }
    case 1: { int f = (wd - rdw + 7) % 7; *out = base + (f ? f : 7); break; }
    case 2: *out = base + (wd - rdw); break;
    default: *out = base + (wd - rdw + 7) % 7; break;
    }
    return 1;
}

/* ------------------------------------------------------------ candidates */
static void consider(cand *best, const cand *c) {
    if (c->te > best->te) *best = *c;
}

static void cand_init(cand *k, int ts) {
    k->ts = ts;
    k->te = -1;
    k->nmem = 0;
    tv_init(&k->v);
}

/* Records the days of a list as the members of k. */
static void set_members(cand *k, const int *days, const int *dts, const int *dte, int nd) {
    k->nmem = 0;
    if (nd < 2) return;
    for (int q = 0; q < nd && q < TX_MAXMEM; q++) {
        k->mts[q] = dts[q];
        k->mte[q] = dte[q];
        k->mnum[q] = days[q];
    }
    k->nmem = nd < TX_MAXMEM ? nd : TX_MAXMEM;
}

static int valid_day(int y, int m, int d) {
    return m >= 1 && m <= 12 && d >= 1 && d <= tly_tx_mdays(y >= 0 ? y : 2000, m);
}

/* Builds the value of a day or list of days of month m. */
static int make_days(ctx *c, cand *k, int i, int e, const int *days, int nd, int m, int y, int is_range) {
    for (int q = 0; q < nd; q++)
        if (!valid_day(y, m, days[q])) return 0;
    tv *v = &k->v;
    v->gran = G_D;
    v->m = m;
    v->d = days[0];
    if (y >= 0) { v->y = y; v->xyear = 1; v->xfull = 1; }
    else v->y = year_for(c, m, days[0], i, e, &v->flags);
    if (nd > 1 && v->y >= 0) {
        int lo = days[0], hi = days[0];
        for (int q = 1; q < nd; q++) { if (days[q] < lo) lo = days[q]; if (days[q] > hi) hi = days[q]; }
        if (is_range && nd == 2 && days[1] < days[0]) return 0;
        v->rng = 1;
        v->d = lo;
        v->r0 = tly_tx_days(v->y, m, lo);
        v->r1 = tly_tx_days(v->y, m, hi);
        v->flags |= TLY_TX_RANGE;
    }
    return 1;
}

/* A weekday prefix ("Mon 5 Oct", "Friday, Oct. 5"). */
static int weekday_prefix(const ctx *c, int i, int *next) {
    int j;
    const tx_sense *s = at(c, i, TX_C_WEEKDAY, &j);
    if (!s || (s->flags & TX_F_PL)) return 0;
    if ((s->flags & TX_F_ABBR) && !cap(c, i)) return 0;
    if (is_p(c, j, ',')) j++;
    *next = j;
    return s->val;
}

/* Parses a list of days at j: "5th, 8th, 11th and 17th", "4-5", "27 and 28".
 * *next1 is the token after the first day (the shorter parse to fall back
 * on when the list is not valid: "September 27 to 31"). */
static int day_list(const ctx *c, int j, int *days, int *dts, int *dte, int *nd, int *is_range, int *next,
                    int *next1) {
    int isord, k;
    int d = dayord(c, j, &k, &isord);
    if (d < 0) return 0;
    *nd = 0;
    dts[0] = j;
    dte[0] = k;
    days[(*nd)++] = d;
    *is_range = 0;
    j = k;
    *next1 = k;
    int good_n = 1, good_j = j;
    while (*nd < TX_MAXMEM) {
        int j2 = j, conn = 0, kk;
        const tx_sense *s;
        if (is_p(c, j2, ',')) {
            j2++;
            if ((s = at(c, j2, TX_C_CONN, &kk)) && s->val == TX_K_LIST) { j2 = kk; conn = TX_K_LIST; }
        } else if ((s = at(c, j2, TX_C_CONN, &kk))) {
            j2 = kk;
            conn = s->val;
        } else break;
        int d2 = dayord(c, j2, &k, &isord);
        if (d2 < 0) break;
        dts[*nd] = j2;
        dte[*nd] = k;
        days[(*nd)++] = d2;
        j = k;
        if (conn) {
            if (conn == TX_K_RANGE) *is_range = 1;
            good_n = *nd;
            good_j = j;
            break;
        }
    }
    *nd = good_n;
    *next = good_j;
    return 1;
}

/* "05 October 2020", "Mon 5 Oct 2020", "5th, 8th, 11th and 17th October",
 * "between 4 and 17 October", "27 and 28 October 2020" */
static void m_daymonth(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    int wd = weekday_prefix(c, j, &jj);
    if (wd) j = jj;
    int between = 0;
    if (at(c, j, TX_C_BETWEEN, &jj)) { between = 1; j = jj; }
    int dstart = j;
    int days[TX_MAXMEM], dts[TX_MAXMEM], dte[TX_MAXMEM], nd, is_range, j1;
    if (!day_list(c, j, days, dts, dte, &nd, &is_range, &jj, &j1)) return;
    (void)j1; /* the days come before the month: no shorter parse here */
    j = jj;
    if (between && (nd != 2 || is_range)) return;
    if (between) is_range = 1;
    if (at(c, j, TX_C_OF, &jj)) j = jj;
    int m = month_at(c, j, &jj, 0);
    if (!m) return;
    j = jj;
    int y = -1, jy = j;
    if (is_p(c, jy, ',')) jy++;
    int yy = year_at(c, jy, &jj);
    if (yy > 0) { y = yy; j = jj; }
    if (!make_days(c, &k, i, j, days, nd, m, y, is_range)) return;
    if (between) k.ts = dstart;
    k.te = j;
    set_members(&k, days, dts, dte, nd);
    consider(best, &k);
}

/* "October 4", "Sep. 27", "November 7th", "September 27, 2020", "Oct. 4-5" */
static void m_monthday(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    const tx_sense *mod = at(c, j, TX_C_MOD, &jj);
    if (mod && (mod->val == TX_M_PREV || mod->val == TX_M_NEXT)) j = jj; /* "last Oct. 23" */
    else mod = NULL;
    int wd = mod ? 0 : weekday_prefix(c, j, &jj);
    if (wd) j = jj;
    int m = month_at(c, j, &jj, 0);
    if (!m) return;
    j = jj;
    if (at(c, j, TX_C_DET, &jj)) j = jj;
    int days[TX_MAXMEM], dts[TX_MAXMEM], dte[TX_MAXMEM], nd, is_range, j1;
    if (!day_list(c, j, days, dts, dte, &nd, &is_range, &jj, &j1)) return;
    int jd = j;
    j = jj;
    for (;;) {
        /* the whole list, then (when it is not a valid date) its first day
         * alone: a failed longer parse never drops a valid shorter one */
        int y = -1, jy = j, je = j;
        if (is_p(c, jy, ',')) jy++;
        int yy = year_at(c, jy, &jj);
        int ok = 1;
        if (yy > 0) { y = yy; je = jj; }
        else if (count_noun(c, j) || (adj(c, j - 1) && ((is_p(c, j, '-') && !is_num(c, j + 1)) || is_p(c, j, '%'))))
            ok = 0; /* "Oct. 5-member", "March 5%" */
        if (ok) {
            cand_init(&k, i);
            if (mod && y < 0 && c->has_ref) {
                /* the last (next) such day before (after) the reference */
                int d1 = days[0] == 29 && m == 2 ? 28 : days[0];
                y = c->ry;
                int64_t n0 = tly_tx_days(y, m, d1);
                if (mod->val == TX_M_PREV && n0 >= c->rn) y--;
                if (mod->val == TX_M_NEXT && n0 <= c->rn) y++;
                k.v.flags |= TLY_TX_RELATIVE;
            } else if (mod && y >= 0) return;
            if (make_days(c, &k, i, je, days, nd, m, y, is_range)) {
                if (mod) k.v.xfull = 0; /* the year was inferred */
                k.te = je;
                set_members(&k, days, dts, dte, nd);
                consider(best, &k);
                return;
            }
        }
        if (nd == 1 || j1 <= jd) return;
        nd = 1;
        is_range = 0;
        j = j1;
    }
}

/* ISO and numeric dates: 2020-10-04, 10/04/2020, 04.10.2020 */
static void m_numeric(ctx *c, int i, cand *best) {
    if (!is_num(c, i) || i + 4 >= c->n) return;
    const tx_tok *t = c->t;
    if (!adj(c, i) || !adj(c, i + 1) || !adj(c, i + 2) || !adj(c, i + 3)) return;
    if (t[i + 1].kind != TX_TK_PUNCT || t[i + 3].kind != TX_TK_PUNCT || t[i + 1].ch != t[i + 3].ch) return;
    if (!is_num(c, i + 2) || !is_num(c, i + 4)) return;
    char sep = t[i + 1].ch;
    int y, m, d;
    if (t[i].nd == 4 && t[i + 2].nd <= 2 && t[i + 4].nd <= 2 && (sep == '-' || sep == '/' || sep == '.')) {
        y = t[i].num; m = t[i + 2].num; d = t[i + 4].num;
    } else if (t[i].nd <= 2 && t[i + 2].nd <= 2 && t[i + 4].nd == 4 && (sep == '/' || sep == '.' || sep == '-')) {
        y = t[i + 4].num;
        int dmy = c->r->dmy || sep == '.';
        if (dmy) { d = t[i].num; m = t[i + 2].num; }
        else { m = t[i].num; d = t[i + 2].num; }
    } else return;
    if (y < 1000 || !valid_day(y, m, d)) return;
    if (i > 0 && adj(c, i - 1) && (is_num(c, i - 1) || is_p(c, i - 1, '-') || is_p(c, i - 1, '/') || is_p(c, i - 1, '.'))) return;
    int te = i + 5;
    if (adj(c, i + 4) && te < c->n && t[te].kind == TX_TK_PUNCT && strchr("-/.", t[te].ch) && is_num(c, te + 1) && adj(c, te)) return;
    cand k;
    cand_init(&k, i);
    k.v.gran = G_D;
    k.v.y = y; k.v.m = m; k.v.d = d;
    k.v.xyear = k.v.xfull = 1;
    /* a glued clock time: 2020-09-16T10:35 */
    if (adj(c, i + 4) && is_word(c, te) && wlen(c, te) == 1 && (c->text[t[te].s] | 32) == 't' && adj(c, te) &&
        is_num(c, te + 1) && is_p(c, te + 2, ':') && is_num(c, te + 3) && t[te + 1].num <= 24 && t[te + 3].num <= 59) {
        k.v.hh = t[te + 1].num;
        k.v.mi = t[te + 3].num;
        k.v.type = TALLY_TIMEX_TIME;
        te += 4;
        while (te + 1 < c->n && adj(c, te - 1) && t[te].kind == TX_TK_PUNCT && strchr(":.+-", t[te].ch) && is_num(c, te + 1)) te += 2;
        if (te < c->n && adj(c, te - 1) && is_word(c, te) && wlen(c, te) == 1 && (c->text[t[te].s] | 32) == 'z') te++;
    }
    k.te = te;
    consider(best, &k);
}

/* "April 2016", "in July", "last November", "October of 1998" */
static void m_month(ctx *c, int i, cand *best, int cued) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    const tx_sense *mod = at(c, j, TX_C_MOD, &jj);
    if (mod && mod->val != TX_M_PREV && mod->val != TX_M_NEXT && mod->val != TX_M_THIS) mod = NULL;
    if (mod) j = jj;
    int mi = j;
    int m = month_at(c, j, &jj, 0);
    if (!m) return;
    const tx_sense *ms = at(c, j, TX_C_MONTH, NULL);
    int mtoks = jj - mi;
    j = jj;
    int y = -1, jy = j;
    if (is_p(c, jy, ',') || at(c, jy, TX_C_OF, NULL)) jy++;
    int yy = year_at(c, jy, &jj);
    if (yy > 0) { y = yy; j = jj; }
    const tx_sense *ym, *yu;
    int k1, k2;
    if (y < 0 && !mod && c->has_ref && (ym = at(c, j, TX_C_MOD, &k1)) && (yu = at(c, k1, TX_C_UNIT, &k2)) &&
        yu->val == TX_U_Y && !(yu->flags & TX_F_PL) &&
        (ym->val == TX_M_THIS || ym->val == TX_M_PREV || ym->val == TX_M_NEXT)) {
        /* "January this year", "June last year" */
        k.v.gran = G_M;
        k.v.m = m;
        k.v.y = c->ry + (ym->val == TX_M_PREV ? -1 : ym->val == TX_M_NEXT ? 1 : 0);
        k.v.flags |= TLY_TX_RELATIVE;
        k.te = k2;
        consider(best, &k);
        return;
    }
    if (!mod && y < 0) {
        /* a bare month: a full name, and for "May"/"March" a cue */
        if (wlen(c, mi) < 4 && !(ms->flags & TX_F_AMB) && mtoks < 2) return; /* "Jan" alone */
        if (!cap(c, mi)) return;
        if (ms->flags & TX_F_AMB) {
            if (!cued && !at1(c, mi - 1, TX_C_YEARCUE) && !at1(c, mi - 1, TX_C_TRIG) && !at1(c, mi - 1, TX_C_OF)) return;
        }
        if (mi > 0 && is_num(c, mi - 1)) return; /* "32 October" */
        if (is_num(c, j) && !num_glued(c, j) && c->t[j].nd <= 2) return; /* an invalid day after */
    }
    tv *v = &k.v;
    v->gran = G_M;
    v->m = m;
    if (y >= 0) { v->y = y; v->xyear = 1; }
    else if (mod) {
        if (!c->has_ref) return;
        v->flags |= TLY_TX_RELATIVE;
        if (mod->val == TX_M_PREV) v->y = m < c->rm ? c->ry : c->ry - 1;
        else if (mod->val == TX_M_NEXT) v->y = m > c->rm ? c->ry : c->ry + 1;
        else v->y = c->ry;
    } else v->y = year_for(c, m, 0, i, j, &v->flags);
    k.te = j;
    consider(best, &k);
}

/* A bare four-digit year: is the context one of a year? */
static int year_context(const ctx *c, int i, int j) {
    if (i > 0 && (at1(c, i - 1, TX_C_YEARCUE) || at1(c, i - 1, TX_C_TRIG) || at1(c, i - 1, TX_C_MONTH) ||
                  at1(c, i - 1, TX_C_SEASON)))
        return 1;
    if (i > 1 && is_p(c, i - 1, '-') && at1(c, i - 2, TX_C_POS)) return 1;
    if (j < c->n && (count_noun(c, j) || at(c, j, TX_C_UNIT, NULL))) return 0;
    if (i > 0 && at1(c, i - 1, TX_C_YEARPRE)) return 1; /* "the 1998 bombing" */
    if (i > 2 && is_word(c, i - 1) && wlen(c, i - 1) == 1 && (c->text[c->t[i - 1].s] | 32) == 's' &&
        is_p(c, i - 2, '\'') && adj(c, i - 2) && adj(c, i - 3) && is_word(c, j) && !cap(c, j) &&
        c->t[i].nd == 4)
        return 1; /* "the company's 1989 results" */
    if (i > 1 && at1(c, i - 1, TX_C_YEARPRE) == NULL && is_word(c, i - 1) && at1(c, i - 2, TX_C_YEARPRE) &&
        !cap(c, i - 1) && is_word(c, j))
        return 1; /* "his unsuccessful 1996 campaign" */
    if (j >= c->n) return 1;
    const tx_tok *t = &c->t[j];
    if (t->kind == TX_TK_PUNCT) {
        if (t->ch == '%' || t->ch == '$') return 0;
        if ((t->ch == '-' || t->ch == '/') && adj(c, j - 1)) return 0;
        return 1;
    }
    if (t->kind == TX_TK_NUM) return 0;
    if (cap(c, j)) return 1;
    if (at(c, j, TX_C_YEARNEXT, NULL)) return 1;
    if (at(c, j, TX_C_UNIT, NULL) || at(c, j, TX_C_AMOUNT, NULL)) return 0;
    return 0;
}

/* "2020", "1990s", "the 1990s", "'90s", "fiscal 1989", "from 1992 - 1994" */
static void m_year(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    int det = 0, fiscal = 0;
    if (at(c, j, TX_C_DET, &jj)) { det = 1; j = jj; }
    if (at(c, j, TX_C_FISCAL, &jj)) { fiscal = 1; j = jj; }
    const tx_sense *dw;
    if (det && (dw = at(c, j, TX_C_DECADEW, &jj))) {
        k.v.gran = G_DEC;
        k.v.y = dw->val;
        k.te = jj;
        consider(best, &k);
        return;
    }
    int yi = j;
    int y = year_at(c, j, &jj);
    if (y < 0) return;
    j = jj;
    int sj;
    if (plural_s(c, j, &sj) || (is_p(c, yi, '\'') && plural_s(c, j, &sj))) {
        if (y % 10) return;
        k.v.gran = G_DEC;
        k.v.y = y;
        k.te = sj;
        consider(best, &k);
        return;
    }
    if (det && !fiscal) {
        /* "the 1988 period" is left to the quarter pattern */
        return;
    }
    if (is_p(c, yi, '\'')) return; /* "'98" alone */
    /* a range "1992 - 1994", "1992 to 1994", "1992-94" */
    const tx_sense *cs;
    int kk;
    if ((cs = at(c, j, TX_C_CONN, &kk)) && cs->val == TX_K_RANGE) {
        int y2 = year_at(c, kk, &jj);
        if (y2 < 0 && is_p(c, j, '-') && adj(c, j - 1) && adj(c, j) && is_num(c, kk) && c->t[kk].nd == 2 &&
            !num_glued(c, kk)) {
            y2 = y / 100 * 100 + c->t[kk].num;
            jj = kk + 1;
        }
        if (y2 > y && y2 - y < 200) {
            k.v.gran = G_Y;
            k.v.y = y;
            k.v.xyear = 1;
            k.v.rng = 1;
            k.v.r0 = tly_tx_days(y, 1, 1);
            k.v.r1 = tly_tx_days(y2, 12, 31);
            k.v.flags |= TLY_TX_RANGE;
            k.te = jj;
            k.nmem = 2;
            k.mts[0] = yi; k.mte[0] = j; k.mnum[0] = y;
            k.mts[1] = kk; k.mte[1] = jj; k.mnum[1] = y2;
            consider(best, &k);
            return;
        }
    }
    if (!fiscal && !year_context(c, yi, j)) return;
    k.v.gran = G_Y;
    k.v.y = y;
    k.v.xyear = 1;
    k.v.narr = !fiscal && yi > 0 && at1(c, yi - 1, TX_C_NARRCUE);
    k.te = j;
    consider(best, &k);
}

static unsigned trig_flags(const ctx *c, int i);

/* "today", "yesterday morning", "now", "the past", "recently", "year-end" */
static void m_rel(ctx *c, int i, cand *best) {
    int j;
    const tx_sense *s = at(c, i, TX_C_REL, &j);
    if (!s || (s->flags & TX_F_WEAK)) return;
    cand k;
    cand_init(&k, i);
    if (s->flags & TX_F_SKIP1) k.ts = i + 1;
    if (s->str[0] == '=') {
        tv_lit(&k.v, (s->flags & TX_F_DUR) ? TALLY_TIMEX_DURATION : TALLY_TIMEX_DATE, s->str + 1);
    } else if (s->str[0] == 'Y') {
        /* "year-end", "the full year": the reference year shifted; one
         * that began a period now running ("since year-end") is the last
         * one before the reference */
        if (!c->has_ref) return;
        int sign = s->str[1] == '-' ? -1 : 1, n = 0;
        for (const char *p = s->str + 2; *p >= '0' && *p <= '9'; p++) n = n * 10 + (*p - '0');
        k.v.gran = G_Y;
        k.v.y = c->ry + sign * n;
        if ((s->flags & TX_F_DIR) && trig_flags(c, k.ts) == TLY_TX_ANCHOR && c->rm < 12) k.v.y--;
        k.v.flags |= TLY_TX_RELATIVE;
    } else {
        int sign = s->str[1] == '-' ? -1 : 1;
        int n = 0;
        for (const char *p = s->str + 2; *p >= '0' && *p <= '9'; p++) n = n * 10 + (*p - '0');
        if (c->has_ref) {
            tv_day(&k.v, c->rn + sign * n);
            k.v.flags |= TLY_TX_RELATIVE;
        } else {
            tv_lit(&k.v, TALLY_TIMEX_DATE, "XXXX-XX-XX");
        }
        k.v.pod = s->pod;
        if (s->flags & TX_F_TIME) k.v.type = TALLY_TIMEX_TIME;
        int jj;
        const tx_sense *p;
        if (!s->pod && (p = at(c, j, TX_C_POD, &jj)) && !(p->flags & TX_F_PL) && k.v.gran == G_D) {
            k.v.pod = p->val;
            k.v.type = TALLY_TIMEX_TIME;
            j = jj;
        }
        if (k.v.gran == G_LIT && k.v.pod) snprintf(k.v.lit, sizeof k.v.lit, "XXXX-XX-XXT%s", POD_CODE[k.v.pod]);
    }
    k.te = j;
    consider(best, &k);
}

/* "Friday", "last Friday", "Friday morning", "the previous Friday", "Mondays" */
static void m_weekday(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj, dir = 0;
    int det = 0;
    if (at(c, j, TX_C_DET, &jj)) { det = 1; j = jj; }
    const tx_sense *mod = at(c, j, TX_C_MOD, &jj);
    if (mod) {
        switch (mod->val) {
        case TX_M_PREV: dir = -1; break;
        case TX_M_NEXT: case TX_M_FOLLOWING: dir = 1; break;
        case TX_M_THIS: dir = 2; break;
        case TX_M_PRECEDING: dir = 3; break;
        default: return;
        }
        if (det && mod->val != TX_M_PRECEDING && mod->val != TX_M_FOLLOWING) return;
        j = jj;
    } else if (det) return;
    int wi = j;
    const tx_sense *s = at(c, j, TX_C_WEEKDAY, &jj);
    if (!s) return;
    if ((s->flags & TX_F_ABBR) && !is_p(c, jj, '.')) return;
    if (!cap(c, wi) && !mod && !c->r->lower_weekdays) return;
    j = jj;
    int pod = 0;
    const tx_sense *p = at(c, j, TX_C_POD, &jj);
    if (p && ((p->flags & TX_F_PL) == (s->flags & TX_F_PL) || (s->flags & TX_F_PL) == 0)) {
        pod = p->val;
        j = jj;
        if (p->flags & TX_F_PL) { /* "Tuesday nights" */
            char b[28];
            snprintf(b, sizeof b, "XXXX-WXX-%dT%s", s->val, POD_CODE[pod]);
            tv_lit(&k.v, TALLY_TIMEX_SET, b);
            k.te = j;
            consider(best, &k);
            return;
        }
    }
    if (s->flags & TX_F_PL) {
        char b[28];
        snprintf(b, sizeof b, "XXXX-WXX-%d", s->val);
        tv_lit(&k.v, TALLY_TIMEX_SET, b);
        k.te = j;
        consider(best, &k);
        return;
    }
    int64_t n;
    if (!weekday_day(c, s->val, dir, i, &n)) {
        char b[28];
        snprintf(b, sizeof b, "XXXX-WXX-%d", s->val);
        tv_lit(&k.v, TALLY_TIMEX_DATE, b);
    } else {
        tv_day(&k.v, n);
        k.v.flags |= TLY_TX_RELATIVE;
        /* TimeML practice: "Friday night" and "Friday morning" are annotated
         * as the day, "Friday evening"/"afternoon" as a part of it */
        if (pod == TX_POD_EV || pod == TX_POD_AF) {
            k.v.pod = pod;
            k.v.type = TALLY_TIMEX_TIME;
        }
    }
    k.te = j;
    consider(best, &k);
}

static void dur_value(char *b, size_t cap_, int unit, int n) {
    char q[16];
    if (n == -2) snprintf(q, sizeof q, "X");
    else snprintf(q, sizeof q, "%d", n);
    int m = n;
    switch (unit) {
    case TX_U_D: snprintf(b, cap_, "P%sD", q); break;
    case TX_U_W: snprintf(b, cap_, "P%sW", q); break;
    case TX_U_2W: if (n >= 0) snprintf(b, cap_, "P%dW", 2 * m); else snprintf(b, cap_, "PXW"); break;
    case TX_U_WE: if (n >= 0) snprintf(b, cap_, "P%dD", 2 * m); else snprintf(b, cap_, "PXD"); break;
    case TX_U_M: snprintf(b, cap_, "P%sM", q); break;
    case TX_U_Q: snprintf(b, cap_, "P%sQ", q); break;
    case TX_U_H: if (n >= 0) snprintf(b, cap_, "P%dM", 6 * m); else snprintf(b, cap_, "PXM"); break;
    case TX_U_Y: snprintf(b, cap_, "P%sY", q); break;
    case TX_U_DE: if (n >= 0) snprintf(b, cap_, "P%dY", 10 * m); else snprintf(b, cap_, "PXDE"); break;
    case TX_U_CE: if (n >= 0) snprintf(b, cap_, "P%dY", 100 * m); else snprintf(b, cap_, "PXCE"); break;
    case TX_U_ML: if (n >= 0) snprintf(b, cap_, "P%dY", 1000 * m); else snprintf(b, cap_, "PXML"); break;
    case TX_U_HR: snprintf(b, cap_, "PT%sH", q); break;
    case TX_U_MI: snprintf(b, cap_, "PT%sM", q); break;
    case TX_U_S: snprintf(b, cap_, "PT%sS", q); break;
    default: snprintf(b, cap_, "PX"); break;
    }
}

/* "last week", "this year", "the past year", "the following day", "that
 * day", "this morning", "last fall", "the past two years" (a duration) */
static void m_modunit(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    int det = 0;
    if (at(c, j, TX_C_DET, &jj)) { det = 1; j = jj; }
    const tx_sense *mod = at(c, j, TX_C_MOD, &jj);
    if (!mod) return;
    j = jj;
    int mv = mod->val;
    const tx_sense *m2 = at(c, j, TX_C_MOD, &jj);
    if (m2 && mv == TX_M_THIS && m2->val == TX_M_PAST) { mv = -TX_M_PAST; j = jj; } /* "this past spring" */
    /* a quantity: "the past two years", "the next few days", "recent weeks" */
    int art, kk;
    int n = qty(c, j, &kk, &art);
    const tx_sense *u;
    if ((n > 1 || n == -2) && !art && (u = at(c, kk, TX_C_UNIT, &jj)) && (u->flags & TX_F_PL) &&
        (mv == TX_M_PAST || mv == TX_M_PREV || mv == TX_M_NEXT || mv == TX_M_FOLLOWING || mv == TX_M_PRECEDING)) {
        char b[28];
        dur_value(b, sizeof b, u->val, n);
        tv_lit(&k.v, TALLY_TIMEX_DURATION, b);
        k.te = jj;
        consider(best, &k);
        return;
    }
    if ((u = at(c, j, TX_C_UNIT, &jj)) && (u->flags & TX_F_PL) && u->val != TX_U_P &&
        (mv == TX_M_RECENT || ((mv == TX_M_NEXT || mv == TX_M_PAST) && !det))) {
        /* "recent weeks", "coming years", "past months": an unspecified number */
        char b[28];
        dur_value(b, sizeof b, u->val, -2);
        tv_lit(&k.v, TALLY_TIMEX_DURATION, b);
        k.te = jj;
        consider(best, &k);
        return;
    }
    if (mv == TX_M_RECENT) return;
    const tx_sense *sn;
    if ((sn = at(c, j, TX_C_SEASON, &jj))) {
        if (!c->has_ref) return;
        tv *v = &k.v;
        v->gran = G_S;
        v->sub = sn->val;
        v->flags |= TLY_TX_RELATIVE;
        int y = c->ry;
        static const int smon[5] = {0, 3, 6, 9, 12};
        if (mv == TX_M_PREV || mv == TX_M_PAST || mv == TX_M_PRECEDING) y--;
        else if (mv == TX_M_NEXT || mv == TX_M_FOLLOWING) y++;
        else if (mv == -TX_M_PAST) { if (smon[sn->val] >= c->rm) y--; }
        else if (mv == TX_M_THAT && c->has_anchor && c->anchor.y >= 0) y = c->anchor.y;
        else if (mv != TX_M_THIS) return;
        v->y = y;
        k.te = jj;
        consider(best, &k);
        return;
    }
    if ((sn = at(c, j, TX_C_POD, &jj)) && !(sn->flags & TX_F_PL)) {
        /* "this morning", "that night", "the next morning", "the previous night" */
        int dshift = 0;
        if (det && (mv == TX_M_NEXT || mv == TX_M_FOLLOWING)) dshift = 1;
        else if (det && (mv == TX_M_PRECEDING || mv == TX_M_PREV)) dshift = -1;
        else if (det || (mv != TX_M_THIS && mv != TX_M_THAT)) return;
        if (dshift) {
            /* the day after (before) the last day told, else the reference */
            if (c->has_anchor && c->anchor.gran == G_D && c->anchor.y >= 0) anchor_day(c, &k.v);
            else if (c->has_ref) ref_day(c, &k.v);
            else return;
            int64_t dn = tly_tx_days(k.v.y, k.v.m, k.v.d) + dshift;
            tly_tx_civil(dn, &k.v.y, &k.v.m, &k.v.d);
        } else if (mv == TX_M_THAT && c->has_anchor && c->anchor.gran == G_D) {
            anchor_day(c, &k.v);
        } else if (c->has_ref) ref_day(c, &k.v);
        else return;
        k.v.pod = sn->val;
        k.v.type = TALLY_TIMEX_TIME;
        k.te = jj;
        consider(best, &k);
        return;
    }
    u = at(c, j, TX_C_UNIT, &jj);
    if (!u || (u->flags & TX_F_PL)) return;
    int unit = u->val;
    if (unit == TX_U_P || unit == TX_U_HR || unit == TX_U_MI || unit == TX_U_S || unit == TX_U_2W) {
        if (!(unit == TX_U_P && mv == TX_M_LATEST)) return;
    }
    if (unit == TX_U_H) return;
    j = jj;
    int shiftk = 0, anaph = 0;
    switch (mv) {
    case TX_M_PREV: case TX_M_PAST: shiftk = -1; break;
    case TX_M_PRECEDING: shiftk = -1; anaph = 1; if (!det) return; break;
    case TX_M_NEXT: shiftk = 1; if (det && unit == TX_U_D) anaph = 1; break; /* "the next day" */
    case TX_M_FOLLOWING: shiftk = 1; anaph = 1; if (!det) return; break;
    case TX_M_THIS: if (det) return; break;
    case TX_M_THAT: anaph = 1; break;
    case TX_M_LATEST:
        if (!det) return;
        if (unit == TX_U_P || unit == TX_U_Q) {
            if (c->has_anchor && c->anchor.gran == G_Q) { k.v = c->anchor; k.v.flags = 0; k.v.xyear = 0; }
            else if (c->has_ref) { rel_period(c, TX_U_Q, -1, 0, &k.v); }
            else return;
            k.te = j;
            consider(best, &k);
            return;
        }
        shiftk = unit == TX_U_Y ? -1 : 0;
        break;
    default: return;
    }
    if (unit == TX_U_P) return;
    if (unit == TX_U_D && !anaph && shiftk) return; /* "next day" is anaphoric only with "the" */
    if (mv == TX_M_THAT && !c->has_anchor) return;
    if (!rel_period(c, unit, shiftk, anaph, &k.v)) return;
    if (!anaph) k.v.flags |= TLY_TX_RELATIVE;
    k.te = j;
    consider(best, &k);
}

/* "two days ago", "a week later", "three years", "16-hour", "a few days",
 * "the nine months", "the first nine months", "about two weeks" */
static void m_qty(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    int det = 0;
    if (at(c, j, TX_C_DET, &jj)) {
        det = 1;
        j = jj;
        const tx_sense *o = at(c, j, TX_C_ORD, &jj);
        if (o && o->val == 1) j = jj;
    }
    int napprox = 0;
    while (napprox < 2 && at(c, j, TX_C_APPROX, &jj)) { j = jj; napprox++; }
    if (det && napprox) return;
    int art, kk;
    int n = qty(c, j, &kk, &art);
    if (n == -1) return;
    if (det && art) return;
    int qi = j;
    j = kk;
    if (!det && at(c, j, TX_C_QMORE, &jj) && !at(c, j, TX_C_APPROX, NULL)) j = jj; /* "two more weeks" */
    int half = 0;
    if (n >= 0 && !art && is_num(c, j) && c->t[j].num == 1 && is_p(c, j + 1, '/') && adj(c, j) && adj(c, j + 1) &&
        is_num(c, j + 2) && c->t[j + 2].num == 2 && !(j + 3 < c->n && adj(c, j + 2) && is_num(c, j + 3))) {
        half = 1; /* "5 1/2 hours" */
        j += 3;
    }
    int hyph = 0;
    if (is_p(c, j, '-') && adj(c, j - 1) && adj(c, j)) { hyph = 1; j++; }
    const tx_sense *u = at(c, j, TX_C_UNIT, &jj);
    if (!u || u->val == TX_U_P) return;
    int unit = u->val;
    int pl = (u->flags & TX_F_PL) != 0;
    if (art && pl) return;
    if ((u->flags & TX_F_WEAK) && (art || n < 0)) return; /* "a second attack", "a quarter of" */
    if (n == 0 && !art) return;
    if (art && n == 0) return;
    if (hyph && pl) return;
    int ux;
    if (at(c, j, TX_C_REL, &ux) && ux > jj) return; /* "a year-end charge" */
    j = jj;
    if (is_p(c, j, '-') && adj(c, j - 1) && adj(c, j) && at1(c, j + 1, TX_C_DURADJ)) {
        if (art) return; /* "a year-long probe": the unit alone is the length */
        j += 2;          /* "a two-year-long war" */
    }
    if (is_p(c, j, '-') && at(c, j + 1, TX_C_DIR, NULL)) return; /* "a year-earlier loss" */
    /* an age: "16-year-old", "8-month-old", "16 years old" */
    if ((is_p(c, j, '-') && at(c, j + 1, TX_C_AGE, NULL)) || at(c, j, TX_C_AGE, NULL)) return;
    if (!hyph && !pl && n > 1 && !is_word(c, j)) return; /* "two day trip" is fine */
    (void)qi;
    const tx_sense *hs;
    int h1, h2;
    if (!half && !hyph && n >= 0 && (hs = at(c, j, TX_C_CONN, &h1)) && hs->val == TX_K_LIST &&
        (hs = at(c, h1, TX_C_NUM, &h2)) && hs->val == 0 && (hs->flags & TX_F_ART)) {
        half = 1; /* "a minute and a half" */
        j = h2;
    }
    int junit = j; /* the end of the quantity */
    if (at(c, j, TX_C_APPROXPOST, &jj)) j = jj; /* "a week or so ago" */
    const tx_sense *d = at(c, j, TX_C_DIR, &jj);
    if (d && half) return;
    if (!d) j = junit;
    if (d && !(d->flags & TX_F_WEAK) && !det) {
        tv *v = &k.v;
        int g = unit_gran(unit);
        if (g < 0 && n >= 0 && (d->val == TX_D_EARLIER || d->val == TX_D_LATER)) {
            /* "an hour later": the length of time (the clock time is not told) */
            char b[28];
            dur_value(b, sizeof b, unit, n);
            tv_lit(v, TALLY_TIMEX_DURATION, b);
            k.te = junit;
            consider(best, &k);
            return;
        } else if (n == -2 || g < 0) {
            tv_lit(v, TALLY_TIMEX_DATE, (d->val == TX_D_AGO || d->val == TX_D_EARLIER) ? "PAST_REF" : "FUTURE_REF");
        } else {
            int sign = (d->val == TX_D_AGO || d->val == TX_D_EARLIER) ? -1 : 1;
            int anaph = d->val == TX_D_EARLIER || d->val == TX_D_LATER;
            int cnt = n;
            if (unit == TX_U_2W) cnt *= 2;
            if (unit == TX_U_Y && cnt == 1 && sign < 0 && c->has_q && c->has_ref && c->lastq.y >= c->ry - 1) {
                /* "a year ago", "a year earlier" in a report on a quarter:
                 * that quarter a year before */
                *v = c->lastq;
                v->flags = 0;
                v->rng = 0;
                v->xyear = v->xfull = 0;
                v->y--;
            } else if (anaph && c->has_anchor && c->anchor.gran != G_LIT && c->anchor.y >= 0) {
                *v = c->anchor;
                v->flags = 0;
                v->rng = 0;
                v->xyear = v->xfull = 0;
                v->hh = -1;
                v->pod = 0;
                if (v->gran < g && v->gran != G_LIT) {
                    int64_t f = first_day(v);
                    tv_init(v);
                    tv_day(v, f);
                    shift(v, unit, sign * cnt);
                    coarsen(v, g);
                } else if (v->gran == G_S || v->gran == G_DEC || v->gran == G_CEN) {
                    shift(v, TX_U_Y, sign * cnt * (unit == TX_U_Y ? 1 : 0));
                } else {
                    shift(v, unit, sign * cnt);
                }
            } else if (c->has_ref && unit == TX_U_Y && c->has_anchor && c->anchor.gran == G_Q &&
                       c->anchor.y >= c->ry - 1) {
                /* "a year ago" in a report on a quarter: that quarter a year before */
                *v = c->anchor;
                v->flags = 0;
                v->rng = 0;
                v->xyear = v->xfull = 0;
                shift(v, unit, sign * cnt);
            } else if (c->has_ref) {
                ref_day(c, v);
                shift(v, unit == TX_U_WE ? TX_U_W : unit, sign * cnt);
                if (g == G_DEC || g == G_CEN) g = G_Y;
                if (unit == TX_U_DE || unit == TX_U_CE) {
                    int64_t f = first_day(v);
                    (void)f;
                }
                coarsen(v, g);
                v->flags |= TLY_TX_RELATIVE;
            } else {
                tv_lit(v, TALLY_TIMEX_DATE, "XXXX-XX-XX");
            }
        }
        v->noanchor = 1;
        k.te = jj;
        consider(best, &k);
        return;
    }
    /* a rate: "$5 million a year" */
    if (art && !det && !napprox) {
        int p = i - 1;
        if (p >= 0 && (is_num(c, p) || at1(c, p, TX_C_AMOUNT) || is_p(c, p, '%'))) {
            char b[28];
            dur_value(b, sizeof b, unit, 1);
            tv_lit(&k.v, TALLY_TIMEX_SET, b);
            k.te = j;
            consider(best, &k);
            return;
        }
    }
    if (unit == TX_U_WE) return;
    char b[28];
    if (half && n >= 0 && unit == TX_U_Y) snprintf(b, sizeof b, "P%dY6M", n);
    else if (half && n >= 0 && unit == TX_U_D) snprintf(b, sizeof b, "P%dDT12H", n);
    else if (half && n >= 0 && unit == TX_U_HR) snprintf(b, sizeof b, "PT%dH30M", n);
    else if (half && n >= 0 && unit == TX_U_MI) snprintf(b, sizeof b, "PT%dM30S", n);
    else dur_value(b, sizeof b, unit, n);
    tv_lit(&k.v, TALLY_TIMEX_DURATION, b);
    k.te = j;
    consider(best, &k);
}

/* "the weekend", "the quarter", "the year", "the week", "the year 2000",
 * "the years" (an unspecified number) */
static void m_detunit(ctx *c, int i, cand *best) {
    int j;
    if (!at(c, i, TX_C_DET, &j)) return;
    int jj;
    const tx_sense *u = at(c, j, TX_C_UNIT, &jj);
    if (!u) return;
    cand k;
    cand_init(&k, i);
    if (u->flags & TX_F_PL) {
        /* "in the weeks before", "over the years" */
        if (u->val == TX_U_P || u->val == TX_U_WE || (u->flags & TX_F_WEAK)) return;
        if (at(c, jj, TX_C_OF, NULL) || is_num(c, jj) || (is_p(c, jj, '-') && adj(c, jj - 1))) return;
        char b[28];
        dur_value(b, sizeof b, u->val, -2);
        tv_lit(&k.v, TALLY_TIMEX_DURATION, b);
        k.te = jj;
        consider(best, &k);
        return;
    }
    if (at(c, jj, TX_C_OF, NULL)) return;
    if (is_p(c, jj, '-') && adj(c, jj - 1)) return; /* "the year-ago quarter" */
    if (at(c, jj, TX_C_ENDED, NULL) && u->val == TX_U_Y) {
        /* "the year ended March 31": a length of time */
        char b[28];
        dur_value(b, sizeof b, u->val, 1);
        tv_lit(&k.v, TALLY_TIMEX_DURATION, b);
        k.te = jj;
        consider(best, &k);
        return;
    }
    if (u->val == TX_U_Y) {
        int kk, art, y = year_at(c, jj, &kk);
        if (y < 0 && !is_num(c, jj) && (y = qty(c, jj, &kk, &art)) >= 1000 && y % 1000 == 0 && y <= 2100 && !art) {
            /* "the year two thousand (and) five" */
            int k2 = kk, a2;
            const tx_sense *cn = at(c, k2, TX_C_CONN, &k2);
            if (cn && cn->val != TX_K_LIST) k2 = kk;
            int add = is_word(c, k2) ? qty(c, k2, &k2, &a2) : -1;
            if (add >= 1 && add <= 99 && !a2) { y += add; kk = k2; }
        } else if (y < 1000) y = -1;
        if (y > 0) { /* "the year 2000" */
            k.v.gran = G_Y;
            k.v.y = y;
            k.v.xyear = 1;
            k.te = kk;
            consider(best, &k);
            return;
        }
    }
    if (u->val == TX_U_Y || u->val == TX_U_W || u->val == TX_U_M) {
        /* the current one */
        if (!c->has_ref || !rel_period(c, u->val, 0, 0, &k.v)) return;
        k.v.flags |= TLY_TX_RELATIVE;
        k.v.noanchor = 1;
    } else if (u->val == TX_U_WE) {
        if (!c->has_ref) return;
        int rdw = tly_tx_dow(c->rn);
        int k2 = (rdw >= 6 || tense(c, i, -1) > 0) ? 0 : -1;
        if (!rel_period(c, TX_U_WE, k2, 0, &k.v)) return;
        k.v.gran = G_WE;
        k.v.flags |= TLY_TX_RELATIVE;
    } else if (u->val == TX_U_Q) {
        if (c->has_anchor && c->anchor.gran == G_Q) { k.v = c->anchor; k.v.flags = 0; k.v.xyear = 0; k.v.rng = 0; }
        else if (!c->has_ref || !rel_period(c, TX_U_Q, -1, 0, &k.v)) return;
    } else return;
    k.te = jj;
    consider(best, &k);
}

/* "the third quarter", "third-quarter", "the fourth quarter of 1990",
 * "this year's third quarter", "the year-ago quarter", "fiscal 1989",
 * "the first half of 1989", "the 1988 period", "year-earlier" */
static void m_quarter(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    int det = 0;
    if (at(c, j, TX_C_DET, &jj)) { det = 1; j = jj; }
    int y = -1, yshift = 0, ymod = 0;
    const tx_sense *s;
    int kk;
    /* year prefix */
    int yy = year_at(c, j, &jj);
    if (yy > 0 && !is_p(c, j, '\'')) { y = yy; j = jj; }
    else if ((s = at(c, j, TX_C_MOD, &jj)) && (s->val == TX_M_THIS || s->val == TX_M_PREV || s->val == TX_M_NEXT) &&
             (s = at(c, jj, TX_C_UNIT, &kk)) && s->val == TX_U_Y && is_p(c, kk, '\'') && is_word(c, kk + 1) &&
             wlen(c, kk + 1) == 1) {
        const tx_sense *mm = at(c, j, TX_C_MOD, NULL);
        if (!c->has_ref) return;
        y = c->ry + (mm->val == TX_M_PREV ? -1 : mm->val == TX_M_NEXT ? 1 : 0);
        j = kk + 2;
    } else if ((s = at(c, j, TX_C_UNIT, &jj)) && s->val == TX_U_Y && is_p(c, jj, '-') &&
               (s = at(c, jj + 1, TX_C_DIR, &kk)) && (s->val == TX_D_AGO || s->val == TX_D_EARLIER)) {
        yshift = -1;
        j = kk;
    }
    const tx_sense *mod = NULL;
    if (y < 0 && !yshift && (mod = at(c, j, TX_C_MOD, &jj)) &&
        (mod->val == TX_M_THIS || mod->val == TX_M_PREV || mod->val == TX_M_NEXT || mod->val == TX_M_LATEST ||
         mod->val == TX_M_THAT || mod->val == TX_M_PRECEDING || mod->val == TX_M_FOLLOWING))
        j = jj;
    else mod = NULL;
    if (mod) ymod = mod->val;
    int fiscal = 0;
    if (at(c, j, TX_C_FISCAL, &jj)) { fiscal = 1; j = jj; if (is_p(c, j, '-')) j++; }
    int ord = 0;
    const tx_sense *o = at(c, j, TX_C_ORD, &jj);
    if (o) { ord = o->val; j = jj; if (is_p(c, j, '-') && adj(c, j - 1)) j++; }
    else {
        int isord;
        int dv = dayord(c, j, &jj, &isord);
        if (dv > 0 && isord) { ord = dv; j = jj; if (is_p(c, j, '-') && adj(c, j - 1)) j++; }
    }
    const tx_sense *u = at(c, j, TX_C_UNIT, &jj);
    int unit = u && !(u->flags & TX_F_PL) ? u->val : 0;
    if (fiscal && !ord && !unit) {
        /* "fiscal 1989" */
        int y2 = year_at(c, j, &jj);
        if (y2 < 0) return;
        k.v.gran = G_Y;
        k.v.y = y2;
        k.v.xyear = 1;
        k.te = jj;
        consider(best, &k);
        return;
    }
    if (unit == TX_U_Y && fiscal && !ord) {
        /* "the fiscal year", "the current fiscal year" */
        if (!c->has_ref) return;
        if (!det && !mod) return;
        k.v.gran = G_Y;
        k.v.y = c->ry + (ymod == TX_M_PREV || ymod == TX_M_LATEST || ymod == TX_M_PRECEDING ? -1 : ymod == TX_M_NEXT ? 1 : 0);
        k.te = jj;
        consider(best, &k);
        return;
    }
    if (yshift && unit != TX_U_Q && unit != TX_U_P && !ord) {
        /* "year-earlier" alone */
        if (det) return;
        if (c->has_anchor && c->anchor.gran == G_Q) { k.v = c->anchor; k.v.flags = 0; k.v.xyear = 0; k.v.rng = 0; k.v.y--; }
        else if (c->has_ref) { k.v.gran = G_Y; k.v.y = c->ry - 1; }
        else return;
        k.v.noanchor = 1;
        k.te = j;
        consider(best, &k);
        return;
    }
    if (unit != TX_U_Q && unit != TX_U_H && unit != TX_U_P) return;
    if (unit == TX_U_P && !yshift && y < 0) return;
    if (unit == TX_U_P && ord) return;
    j = jj;
    if (ord < 0 || (unit == TX_U_Q && ord > 4) || (unit == TX_U_H && ord > 2)) return;
    if (unit == TX_U_H && !ord) return;
    /* "of 1990", "1990" */
    int y2;
    if (at(c, j, TX_C_OF, &jj) && (y2 = year_at(c, jj, &kk)) > 0) { y = y2; j = kk; }
    else if ((y2 = year_at(c, j, &kk)) > 0) { y = y2; j = kk; }
    tv *v = &k.v;
    int g = unit == TX_U_H ? G_H : G_Q;
    if (unit == TX_U_P) {
        /* "the 1988 period", "the year-ago period" */
        if (y >= 0) { v->gran = G_Y; v->y = y; v->xyear = 1; }
        else if (c->has_anchor && c->anchor.gran == G_Q) { *v = c->anchor; v->flags = 0; v->xyear = 0; v->rng = 0; v->y--; v->noanchor = 1; }
        else if (c->has_ref) { v->gran = G_Y; v->y = c->ry - 1; v->noanchor = 1; }
        else return;
        k.te = j;
        consider(best, &k);
        return;
    }
    if (ord) {
        v->gran = g;
        v->sub = ord;
        if (y >= 0) { v->y = y; v->xyear = 1; }
        else if (c->has_ref) {
            int cur = g == G_Q ? ref_q(c) : (c->rm - 1) / 6 + 1;
            v->y = c->ry;
            if (ord > cur && tense(c, i, -1) <= 0 && ymod != TX_M_NEXT) v->y--;
            if (ymod == TX_M_NEXT && ord <= cur) v->y++;
            v->y += yshift;
        } else v->y = -1;
    } else {
        if (!det && !mod && !yshift) return;
        if (!c->has_ref && !c->has_anchor) return;
        if (yshift) {
            if (c->has_anchor && c->anchor.gran == G_Q) { *v = c->anchor; v->flags = 0; v->xyear = 0; v->rng = 0; }
            else if (!rel_period(c, TX_U_Q, -1, 0, v)) return;
            v->y--;
        } else if (ymod == TX_M_THIS) {
            if (!rel_period(c, TX_U_Q, 0, 0, v)) return;
        } else if (ymod == TX_M_PREV) {
            if (!rel_period(c, TX_U_Q, -1, 0, v)) return;
        } else if (ymod == TX_M_NEXT) {
            if (!rel_period(c, TX_U_Q, 1, 0, v)) return;
        } else if (ymod == TX_M_PRECEDING || ymod == TX_M_FOLLOWING || ymod == TX_M_THAT) {
            if (!rel_period(c, TX_U_Q, ymod == TX_M_THAT ? 0 : ymod == TX_M_FOLLOWING ? 1 : -1, 1, v)) return;
        } else { /* "the quarter", "the latest quarter" */
            if (c->has_anchor && c->anchor.gran == G_Q) { *v = c->anchor; v->flags = 0; v->xyear = 0; v->rng = 0; }
            else if (!rel_period(c, TX_U_Q, -1, 0, v)) return;
        }
        if (y >= 0) v->y = y;
    }
    (void)fiscal;
    if (yshift) v->noanchor = 1;
    k.te = j;
    consider(best, &k);
}

/* "the summer", "summer", "the winter of 1994" */
static void m_season(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    if (at(c, j, TX_C_DET, &jj)) j = jj;
    const tx_sense *s = at(c, j, TX_C_SEASON, &jj);
    if (!s) return;
    int si = j;
    j = jj;
    int y = -1, kk;
    if (at(c, j, TX_C_OF, &jj) && (y = year_at(c, jj, &kk)) > 0) j = kk;
    else if ((y = year_at(c, j, &kk)) > 0) j = kk;
    tv *v = &k.v;
    v->gran = G_S;
    v->sub = s->val;
    if (y > 0) { v->y = y; v->xyear = 1; }
    else {
        if (!c->has_ref) return;
        if (si == i && !cap(c, i) && !(i > 0 && at1(c, i - 1, TX_C_YEARCUE))) {
            /* a bare lower-case "summer": only after "over"/"in"/"during" */
            if (!(i > 0 && (at1(c, i - 1, TX_C_APPROX)))) return;
        }
        static const int smon[5] = {0, 3, 6, 9, 12};
        v->y = c->ry;
        if (smon[s->val] > c->rm && tense(c, i, -1) <= 0) v->y--;
        v->flags |= TLY_TX_RELATIVE;
    }
    k.te = j;
    consider(best, &k);
}

/* "the 20th century", "the 11th century" */
static void m_century(ctx *c, int i, cand *best) {
    int j = i, jj;
    if (at(c, j, TX_C_DET, &jj)) j = jj;
    int isord;
    int o = dayord(c, j, &jj, &isord);
    if (o < 1 || !isord) {
        const tx_sense *s = at(c, j, TX_C_ORD, &jj);
        if (!s) return;
        o = s->val;
    }
    j = jj;
    if (is_p(c, j, '-')) j++;
    const tx_sense *u = at(c, j, TX_C_UNIT, &jj);
    if (!u || u->val != TX_U_CE || (u->flags & TX_F_PL) || o > 30) return;
    cand k;
    cand_init(&k, i);
    k.v.gran = G_CEN;
    k.v.y = (o - 1) * 100;
    k.v.xyear = 1;
    k.te = jj;
    consider(best, &k);
}

/* A date after a clock time: "Friday", "Nov. 9", "yesterday". */
static int time_date(ctx *c, int i, cand *out);

/* "10:35 a.m.", "10 p.m. Wednesday", "5 p.m. EST Nov. 9", "noon", "14.05 BST" */
static void m_time(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j = i, jj;
    int napprox = 0;
    while (napprox < 1 && at(c, j, TX_C_APPROX, &jj)) { j = jj; napprox++; }
    int hh = -1, mi = 0, ok = 0;
    const tx_tok *t = c->t;
    const tx_sense *s;
    if ((s = at(c, j, TX_C_TIMEW, &jj))) {
        hh = s->val == 24 ? 0 : s->val;
        if (s->val == 24) hh = 24;
        j = jj;
        ok = 1;
    } else if (is_num(c, j) && t[j].nd <= 2 && t[j].num <= 24) {
        hh = t[j].num;
        int j2 = j + 1;
        int sep = 0;
        if ((is_p(c, j2, ':') || is_p(c, j2, '.')) && adj(c, j) && adj(c, j2) && is_num(c, j2 + 1) && t[j2 + 1].nd == 2 &&
            t[j2 + 1].num <= 59) {
            sep = t[j2].ch;
            mi = t[j2 + 1].num;
            j2 += 2;
            if (is_p(c, j2, ':') && adj(c, j2 - 1) && adj(c, j2) && is_num(c, j2 + 1) && t[j2 + 1].nd == 2) j2 += 2;
            if (adj(c, j2 - 1) && (is_num(c, j2) || (c->t[j2 - 1].kind == TX_TK_NUM && is_p(c, j2, '.') && adj(c, j2) && is_num(c, j2 + 1)))) return;
        }
        const tx_sense *ap = at(c, j2, TX_C_AMPM, &jj);
        if (ap && hh >= 1 && hh <= 12) {
            if ((ap->flags & TX_F_WEAK) && !cap(c, j2) && !adj(c, j2 - 1) && 0) return;
            hh = hh % 12 + ap->val;
            j2 = jj;
            ok = 1;
        } else if (sep == ':') {
            ok = 1;
        } else if (sep == '.' && at(c, j2, TX_C_TZ, NULL)) {
            ok = 1;
        } else if (!sep && at(c, j2, TX_C_OCLOCK, &jj)) {
            j2 = jj;
            ok = 1;
        } else if (!sep && hh >= 1 && hh <= 12 && at(c, j2, TX_C_INTHE, &jj) && (s = at(c, jj, TX_C_POD, &jj)) &&
                   !(s->flags & TX_F_PL)) {
            if (s->val != TX_POD_MO && hh < 12 && !(s->val == TX_POD_NI && hh < 5)) hh += 12;
            j2 = jj;
            ok = 1;
        }
        if (!ok) return;
        if (sep == ':' && num_glued(c, j) && !(is_p(c, j + 1, ':'))) return;
        if (j > 0 && adj(c, j - 1) && (is_num(c, j - 1) || is_p(c, j - 1, ':') || is_p(c, j - 1, '.') || is_p(c, j - 1, ','))) return;
        j = j2;
    } else if (is_num(c, j) && t[j].nd == 4 && t[j].num % 100 < 60 && t[j].num / 100 <= 24 && at(c, j + 1, TX_C_TZ, NULL) &&
               !num_glued(c, j)) {
        hh = t[j].num / 100;
        mi = t[j].num % 100;
        j++;
        ok = 1;
    }
    if (!ok || hh < 0 || hh > 24) return;
    if (at(c, j, TX_C_TZ, &jj)) j = jj;
    /* a date after it */
    cand d;
    int dj = j;
    if (is_p(c, dj, ',')) dj++;
    c->xstart = i;
    int got = dj < c->n && !(c->t[dj].fl & TX_TF_NL) && time_date(c, dj, &d);
    c->xstart = -1;
    if (got) {
        k.v = d.v;
        k.v.flags &= ~TLY_TX_RANGE;
        k.v.rng = 0;
        j = d.te;
    } else {
        k.v.nofl = 1;
        if (c->has_anchor && c->anchor.gran == G_D && c->anchor.y >= 0) {
            k.v.gran = G_D;
            k.v.y = c->anchor.y;
            k.v.m = c->anchor.m;
            k.v.d = c->anchor.d;
        } else if (c->has_ref) {
            ref_day(c, &k.v);
            k.v.nofl = 1;
        } else {
            k.v.gran = G_D;
            k.v.y = -1;
        }
    }
    k.v.type = TALLY_TIMEX_TIME;
    k.v.hh = hh;
    k.v.mi = mi;
    k.v.pod = 0;
    k.te = j;
    consider(best, &k);
}

static int time_date(ctx *c, int i, cand *out) {
    cand b;
    cand_init(&b, i);
    m_monthday(c, i, &b);
    m_daymonth(c, i, &b);
    m_weekday(c, i, &b);
    m_rel(c, i, &b);
    if (b.te <= i || b.v.gran != G_D) return 0;
    *out = b;
    return 1;
}

/* "daily", "every week", "each Thursday", "each July", "every two weeks" */
static void m_set(ctx *c, int i, cand *best) {
    cand k;
    cand_init(&k, i);
    int j;
    const tx_sense *s = at(c, i, TX_C_SETW, &j);
    if (s && !(s->flags & TX_F_WEAK)) {
        tv_lit(&k.v, TALLY_TIMEX_SET, s->str);
        k.te = j;
        consider(best, &k);
        return;
    }
    if (s || !at(c, i, TX_C_SETQ, &j)) return;
    char b[28];
    int jj, art;
    int n = qty(c, j, &jj, &art);
    if (n > 0 && !art) j = jj; else n = 1;
    if ((s = at(c, j, TX_C_UNIT, &jj)) && s->val != TX_U_P) {
        if (s->val == TX_U_WE) snprintf(b, sizeof b, "XXXX-WXX-WE");
        else dur_value(b, sizeof b, s->val, n);
    } else if ((s = at(c, j, TX_C_WEEKDAY, &jj))) {
        snprintf(b, sizeof b, "XXXX-WXX-%d", s->val);
    } else if ((s = at(c, j, TX_C_MONTH, &jj))) {
        snprintf(b, sizeof b, "XXXX-%02d", s->val);
    } else if ((s = at(c, j, TX_C_POD, &jj))) {
        snprintf(b, sizeof b, "XXXX-XX-XXT%s", POD_CODE[s->val]);
    } else if ((s = at(c, j, TX_C_SEASON, &jj))) {
        snprintf(b, sizeof b, "XXXX-%s", SEASON_CODE[s->val]);
    } else return;
    if (n != 1 && !(at(c, j, TX_C_UNIT, NULL))) return;
    tv_lit(&k.v, TALLY_TIMEX_SET, b);
    k.te = jj;
    consider(best, &k);
}

/* Easter Sunday of year y (Gregorian, the anonymous algorithm). */
static int64_t easter_day(int y) {
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int mo = (h + l - 7 * m + 114) / 31, da = (h + l - 7 * m + 114) % 31 + 1;
    return tly_tx_days(y, mo, da);
}

/* The day of holiday spec "MM-DD", "MM-N-W" (the N-th ISO weekday W of
 * the month, N = 5 the last), either followed by "+D"/"-D" (days after or
 * before), or "E+D"/"E-D" (days from Easter Sunday) in year y; 0 when
 * malformed. */
static int holiday_day(const char *spec, int y, int *m, int *d) {
    int a = 0, b = 0, w = 0, off = 0, yy, mm, dd;
    int64_t day;
    if (spec[0] == 'E') {
        if (sscanf(spec + 1, "%d", &off) != 1 || y < 1583) return 0;
        day = easter_day(y) + off;
    } else {
        int n = sscanf(spec, "%d-%d-%d%d", &a, &b, &w, &off);
        if (n < 2 || a < 1 || a > 12) return 0;
        if (n == 2) {
            if (!valid_day(y, a, b)) return 0;
            *m = a;
            *d = b;
            return 1;
        }
        if (b < 1 || b > 5 || w < 1 || w > 7) return 0;
        int64_t first = tly_tx_days(y, a, 1);
        day = first + (w - tly_tx_dow(first) + 7) % 7 + 7 * (int64_t)(b - 1);
        tly_tx_civil(day, &yy, &mm, &dd);
        while (mm != a) { day -= 7; tly_tx_civil(day, &yy, &mm, &dd); }
        if (n == 4) day += off;
    }
    if (off < -400 || off > 400) return 0;
    tly_tx_civil(day, &yy, m, d);
    return yy == y;
}

/* "Thanksgiving Day", "last Christmas", "Christmas 1998" */
static void m_holiday(ctx *c, int i, cand *best) {
    int j = i, jj, dir = 0;
    const tx_sense *mod = at(c, j, TX_C_MOD, &jj);
    if (mod) {
        if (mod->val == TX_M_PREV) dir = -1;
        else if (mod->val == TX_M_NEXT) dir = 1;
        else if (mod->val != TX_M_THIS) return;
        j = jj;
    }
    const tx_sense *h = at(c, j, TX_C_HOLIDAY, &jj);
    if (!h || !cap(c, j)) return;
    j = jj;
    cand k;
    cand_init(&k, i);
    int y = -1, kk, m, d;
    int yy = year_at(c, j, &kk);
    if (yy > 0) { y = yy; j = kk; k.v.xyear = k.v.xfull = 1; }
    else if (c->has_ref) {
        y = c->ry;
        if (!holiday_day(h->str, y, &m, &d)) return;
        int64_t n = tly_tx_days(y, m, d);
        if (dir < 0) { if (n >= c->rn) y--; }
        else if (dir > 0) { if (n <= c->rn) y++; }
        else if (!mod) {
            /* by the tense; without one, the closest such day */
            int tn = tense(c, i, j);
            if (tn > 0) { if (n < c->rn) y++; }
            else if (tn < 0) { if (n > c->rn + 7) y--; }
            else if (n > c->rn + 183) y--;
            else if (n < c->rn - 183) y++;
        }
        k.v.flags |= TLY_TX_RELATIVE;
    } else return;
    if (!holiday_day(h->str, y, &m, &d)) return;
    k.v.gran = G_D;
    k.v.y = y;
    k.v.m = m;
    k.v.d = d;
    k.te = j;
    consider(best, &k);
}

/* A bare plural unit after "for"/"within": "for years", "within weeks",
 * "for weeks or months" (an unspecified number of units) */
static void m_bareunit(ctx *c, int i, cand *best) {
    int jj, ja;
    const tx_sense *d, *uu = at(c, i, TX_C_UNIT, &jj);
    if (uu && (uu->flags & TX_F_PL) && !(uu->flags & TX_F_WEAK) && uu->val != TX_U_P && uu->val != TX_U_WE &&
        (d = at(c, jj, TX_C_DIR, &ja)) && d->val == TX_D_AGO && i > 0 && !is_num(c, i - 1) &&
        !at1(c, i - 1, TX_C_NUM) && !at1(c, i - 1, TX_C_FEW) && !at1(c, i - 1, TX_C_MULT)) {
        /* "months ago": some time before */
        cand k;
        cand_init(&k, i);
        tv_lit(&k.v, TALLY_TIMEX_DATE, "PAST_REF");
        k.v.noanchor = 1;
        k.te = ja;
        consider(best, &k);
        return;
    }
    if (i < 1 || !at1(c, i - 1, TX_C_DURPRE)) return;
    const tx_sense *u = at(c, i, TX_C_UNIT, &jj);
    if (!u || !(u->flags & TX_F_PL) || (u->flags & TX_F_WEAK) || u->val == TX_U_P || u->val == TX_U_WE) return;
    if (is_num(c, jj) || (is_p(c, jj, '-') && adj(c, jj - 1))) return;
    if (at(c, jj, TX_C_DIR, NULL) || at(c, jj, TX_C_AGE, NULL)) return;
    cand k;
    cand_init(&k, i);
    int j2;
    const tx_sense *cn = at(c, jj, TX_C_CONN, &j2), *u2;
    if (cn && cn->val == TX_K_LIST && (u2 = at(c, j2, TX_C_UNIT, &j2)) && (u2->flags & TX_F_PL) &&
        u2->val != TX_U_P && u2->val != TX_U_WE)
        jj = j2; /* "weeks or months" */
    char b[28];
    dur_value(b, sizeof b, u->val, -2);
    tv_lit(&k.v, TALLY_TIMEX_DURATION, b);
    k.te = jj;
    consider(best, &k);
}

/* A unit made an adjective of length: "a day-long meeting", "decades-long" */
static void m_unitadj(ctx *c, int i, cand *best) {
    int jj;
    const tx_sense *u = at(c, i, TX_C_UNIT, &jj);
    if (!u || (u->flags & TX_F_WEAK) || u->val == TX_U_P || u->val == TX_U_WE) return;
    if (jj != i + 1 || !is_p(c, jj, '-') || !adj(c, i) || !adj(c, jj) || !at1(c, jj + 1, TX_C_DURADJ)) return;
    const tx_sense *q = at1(c, i - 1, TX_C_NUM);
    if (is_num(c, i - 1) || (q && !(q->flags & TX_F_ART))) return; /* a quantity: m_qty */
    if (i > 0 && is_p(c, i - 1, '-') && adj(c, i - 1)) return;
    cand k;
    cand_init(&k, i);
    char b[28];
    dur_value(b, sizeof b, u->val, (u->flags & TX_F_PL) ? -2 : 1);
    tv_lit(&k.v, TALLY_TIMEX_DURATION, b);
    k.te = jj + 2;
    consider(best, &k);
}

static void try_base(ctx *c, int i, cand *best, int cued) {
    m_holiday(c, i, best);
    m_numeric(c, i, best);
    m_daymonth(c, i, best);
    m_monthday(c, i, best);
    m_month(c, i, best, cued);
    m_year(c, i, best);
    m_rel(c, i, best);
    m_weekday(c, i, best);
    m_modunit(c, i, best);
    m_qty(c, i, best);
    m_detunit(c, i, best);
    m_quarter(c, i, best);
    m_season(c, i, best);
    m_century(c, i, best);
    m_time(c, i, best);
    m_set(c, i, best);
    m_bareunit(c, i, best);
    m_unitadj(c, i, best);
}

/* "early next year", "late November", "the mid-1990s", "the end of 1990",
 * "earlier this year", "the first half of 1989" */
static void m_pos(ctx *c, int i, cand *best) {
    int j = i, jj;
    if (at(c, j, TX_C_DET, &jj) && at(c, jj, TX_C_POS, NULL)) j = jj;
    const tx_sense *p = at(c, j, TX_C_POS, &jj);
    if (!p) return;
    j = jj;
    if (is_p(c, j, '-') && adj(c, j - 1)) j++;
    cand b;
    cand_init(&b, j);
    try_base(c, j, &b, 1);
    if (b.te <= j || b.v.type == TALLY_TIMEX_DURATION || b.v.type == TALLY_TIMEX_SET) return;
    if (b.v.gran == G_LIT && strcmp(b.v.lit, "PRESENT_REF") != 0) return;
    if (p->val == TX_P_H1 || p->val == TX_P_H2) {
        if (b.v.gran != G_Y) return;
        b.v.gran = G_H;
        b.v.sub = p->val == TX_P_H1 ? 1 : 2;
    }
    b.ts = i;
    consider(best, &b);
}

/* ------------------------------------------------------------ output */
static size_t fmt_value(const tv *v, char *b, size_t cap_) {
    char ys[8];
    if (v->gran == G_LIT) return (size_t)snprintf(b, cap_, "%s", v->lit);
    if (v->y < 0) snprintf(ys, sizeof ys, "XXXX");
    else snprintf(ys, sizeof ys, "%04d", v->y % 10000);
    int n = 0;
    switch (v->gran) {
    case G_CEN: n = v->y < 0 ? snprintf(b, cap_, "XX") : snprintf(b, cap_, "%02d", v->y / 100); break;
    case G_DEC: n = v->y < 0 ? snprintf(b, cap_, "XXX") : snprintf(b, cap_, "%03d", v->y / 10); break;
    case G_Y: n = snprintf(b, cap_, "%s", ys); break;
    case G_H: n = snprintf(b, cap_, "%s-H%d", ys, v->sub); break;
    case G_Q: n = snprintf(b, cap_, "%s-Q%d", ys, v->sub); break;
    case G_S: n = snprintf(b, cap_, "%s-%s", ys, SEASON_CODE[v->sub & 3 ? v->sub : 4]); break;
    case G_M: n = snprintf(b, cap_, "%s-%02d", ys, v->m); break;
    case G_W: n = snprintf(b, cap_, "%s-W%02d", ys, v->sub); break;
    case G_WE: n = snprintf(b, cap_, "%s-W%02d-WE", ys, v->sub); break;
    case G_D: n = snprintf(b, cap_, "%s-%02d-%02d", ys, v->m, v->d); break;
    default: n = snprintf(b, cap_, "XXXX"); break;
    }
    if (n < 0 || (size_t)n >= cap_) return cap_ - 1;
    if (v->hh >= 0) n += snprintf(b + n, cap_ - (size_t)n, "T%02d:%02d", v->hh, v->mi);
    else if (v->pod) n += snprintf(b + n, cap_ - (size_t)n, "T%s", POD_CODE[v->pod]);
    return (size_t)n < cap_ ? (size_t)n : cap_ - 1;
}

static int day_span(const tv *v, int64_t *a, int64_t *b) {
    if (v->rng) { *a = v->r0; *b = v->r1; return 1; }
    if (v->type == TALLY_TIMEX_DURATION || v->type == TALLY_TIMEX_SET) return 0;
    if (v->gran == G_LIT || v->y < 0 || v->nofl) return 0;
    int y = v->y;
    switch (v->gran) {
    case G_D: *a = *b = tly_tx_days(y, v->m, v->d); return 1;
    case G_M: *a = tly_tx_days(y, v->m, 1); *b = tly_tx_days(y, v->m, tly_tx_mdays(y, v->m)); return 1;
    case G_Y: *a = tly_tx_days(y, 1, 1); *b = tly_tx_days(y, 12, 31); return 1;
    case G_Q: *a = tly_tx_days(y, v->sub * 3 - 2, 1); *b = tly_tx_days(y, v->sub * 3, tly_tx_mdays(y, v->sub * 3)); return 1;
    case G_H: *a = tly_tx_days(y, v->sub * 6 - 5, 1); *b = tly_tx_days(y, v->sub * 6, v->sub == 1 ? 30 : 31); return 1;
    case G_W: *a = tly_tx_week_monday(y, v->sub); *b = *a + 6; return 1;
    case G_WE: *a = tly_tx_week_monday(y, v->sub) + 5; *b = *a + 1; return 1;
    case G_S:
        switch (v->sub) {
        case TX_S_SP: *a = tly_tx_days(y, 3, 21); *b = tly_tx_days(y, 6, 20); break;
        case TX_S_SU: *a = tly_tx_days(y, 6, 21); *b = tly_tx_days(y, 9, 22); break;
        case TX_S_FA: *a = tly_tx_days(y, 9, 23); *b = tly_tx_days(y, 12, 20); break;
        default: *a = tly_tx_days(y, 12, 21); *b = tly_tx_days(y + 1, 3, 20); break;
        }
        return 1;
    case G_DEC: *a = tly_tx_days(y, 1, 1); *b = tly_tx_days(y + 9, 12, 31); return 1;
    case G_CEN: *a = tly_tx_days(y, 1, 1); *b = tly_tx_days(y + 99, 12, 31); return 1;
    default: return 0;
    }
}

static tally_date to_date(int64_t n) {
    tally_date d;
    int y, m, dd;
    tly_tx_civil(n, &y, &m, &dd);
    if (y < 1 || y > 9999) { memset(&d, 0, sizeof d); return d; }
    d.year = (int16_t)y;
    d.month = (int8_t)m;
    d.day = (int8_t)dd;
    return d;
}

/* The trigger before token i: "since", "as of", ... */
static unsigned trig_flags(const ctx *c, int i) {
    const tx_sense *s;
    for (int back = 1; back <= 3 && i - back >= 0; back++) {
        int j = i - back, nx;
        if ((s = at(c, j, TX_C_TRIG, &nx)) && nx == i) return s->val == TX_T_ANCHOR ? TLY_TX_ANCHOR : TLY_TX_ASOF;
        if (back == 1 && c->t[j].kind == TX_TK_WORD && (c->t[j].e - c->t[j].s) <= 2 &&
            (s = at(c, j - 1, TX_C_TRIG, &nx)) && nx == j) {
            /* "since on", "from the" */
            return s->val == TX_T_ANCHOR ? TLY_TX_ANCHOR : TLY_TX_ASOF;
        }
    }
    return 0;
}

typedef TLY_VEC(tly_timex) tx_vec;

static int emit(ctx *c, tly_arena *a, tx_vec *out, const cand *k) {
    tly_timex x;
    memset(&x, 0, sizeof x);
    const tv *v = &k->v;
    x.pub.start = c->t[k->ts].s;
    x.pub.end = c->t[k->te - 1].e;
    x.pub.type = (tally_timex_type)v->type;
    char b[48];
    size_t n = fmt_value(v, b, sizeof b);
    x.pub.value = tly_arena_strndup(a, b, n);
    if (!x.pub.value) return -1;
    int64_t d0, d1;
    if (day_span(v, &d0, &d1)) {
        x.pub.first = to_date(d0);
        x.pub.last = to_date(d1);
    }
    x.flags = v->flags | trig_flags(c, k->ts);
    if (k->nmem > 1 && (v->gran == G_D || v->gran == G_Y)) {
        /* the members of a list or range, each with its own extent and value */
        tally_timex *mb = tly_arena_alloc(a, (size_t)k->nmem * sizeof *mb);
        if (!mb) return -1;
        for (int q = 0; q < k->nmem; q++) {
            tv m = *v;
            m.rng = 0;
            if (v->gran == G_D) m.d = k->mnum[q];
            else m.y = k->mnum[q];
            memset(&mb[q], 0, sizeof mb[q]);
            mb[q].start = c->t[q == 0 ? k->ts : k->mts[q]].s;
            mb[q].end = c->t[(q == k->nmem - 1 ? k->te : k->mte[q]) - 1].e;
            mb[q].type = x.pub.type;
            n = fmt_value(&m, b, sizeof b);
            mb[q].value = tly_arena_strndup(a, b, n);
            if (!mb[q].value) return -1;
            if (day_span(&m, &d0, &d1)) {
                mb[q].first = to_date(d0);
                mb[q].last = to_date(d1);
            }
        }
        x.memb = mb;
        x.nmemb = (size_t)k->nmem;
    }
    if (!tly_vec_push(a, out, x)) return -1;
    /* the anchor and the narrative year */
    if ((v->type == TALLY_TIMEX_DATE || v->type == TALLY_TIMEX_TIME) && v->gran != G_LIT && v->y >= 0 &&
        v->gran >= G_Y && !v->noanchor) {
        c->anchor = *v;
        if (v->rng && v->gran == G_D) {
            int yy, mm, dd;
            tly_tx_civil(v->r1, &yy, &mm, &dd);
            c->anchor.y = yy; c->anchor.m = mm; c->anchor.d = dd;
        }
        c->has_anchor = 1;
        if (v->gran == G_Q) { c->lastq = *v; c->has_q = 1; }
        if (c->has_ref && (v->flags & TLY_TX_YEARLESS) && !v->xyear) {
            /* a yearless date resolved near the reference (by its tense):
             * the text is back in the present */
            int64_t f = first_day(v);
            if (f >= c->rn - 183 && f <= c->rn + 183) {
                c->n_recent++;
                if (c->narr_y && c->narr_n < c->rn - 183) c->narr_y = 0;
            }
        }
        if (c->has_ref && (v->flags & TLY_TX_RELATIVE)) c->n_recent++;
        else if (c->has_ref && v->xyear) {
            int64_t f = first_day(v);
            if (f >= c->rn - 183 && f <= c->rn + 183) c->n_recent++;
            else c->n_old++;
        }
        /* in a retrospective text told day by day, a bare year in passing
         * ("the worst since 2016") does not move the narrative */
        int aside = v->gran == G_Y && c->narr_y && c->narr_g != G_Y && c->n_recent == 0 && c->n_old >= 2 &&
                    (v->y > c->narr_y + 1 || v->y < c->narr_y - 1);
        if (v->xyear && !aside && (v->gran == G_D || v->gran == G_M || (v->gran == G_Y && v->narr))) {
            c->narr_y = v->y;
            c->narr_g = v->gran;
            c->narr_n = first_day(v);
            c->narr_tok = k->te;
        } else if (v->flags & TLY_TX_RELATIVE) {
            c->narr_y = 0; /* back to the present: the narrative ends */
        }
    }
    return 0;
}

static void ctx_init(ctx *c, const tly_timex_rules *r, const char *text, tx_tok *t, size_t n, tally_date ref) {
    memset(c, 0, sizeof *c);
    c->r = r;
    c->text = text;
    c->t = t;
    c->n = n > 0x7FFFFFFF ? 0x7FFFFFFF : (int)n;
    c->xstart = -1;
    if (ref.year > 0 && ref.month >= 1 && ref.month <= 12) {
        c->has_ref = 1;
        c->ry = ref.year;
        c->rm = ref.month;
        c->rd = ref.day >= 1 && ref.day <= tly_tx_mdays(ref.year, ref.month) ? ref.day : 1;
        c->rn = tly_tx_days(c->ry, c->rm, c->rd);
    }
}

/* The classes no matcher reads at the token an expression starts at, only
 * before it, after it or after its first token ("of", "and", "ago", the
 * words that tell a year from a count, the tense cues): a token that has
 * nothing but these cannot start an expression, and its 18 matchers are not
 * tried (each of these classes is read at i - 1, or at a j past the
 * expression's first token, in the matchers and their helpers). */
#define TX_BIT(x) ((uint64_t)1 << TX_C_##x)
static const uint64_t TX_NOT_START = TX_BIT(YEARNEXT) | TX_BIT(YEARPRE) | TX_BIT(CONN) | TX_BIT(OF) |
                                     TX_BIT(YEARCUE) | TX_BIT(NARRCUE) | TX_BIT(PASTCUE) | TX_BIT(COUNTNOUN) |
                                     TX_BIT(DURPRE) | TX_BIT(FUTCUE) | TX_BIT(NOTPAST) | TX_BIT(AT) |
                                     TX_BIT(INTHE) | TX_BIT(DIR);
#undef TX_BIT

/* Whether an expression may start at token i: a number, or a word with an
 * entry of some class a matcher reads at its first token. A determiner
 * alone ("the", "a") is read first only before the rest of an expression:
 * it may start one when the token after it is a number, punctuation ("the
 * '90s") or a word that may start one. */
static int may_start(const ctx *c, int i) {
    const tx_tok *t = &c->t[i];
    if (t->kind == TX_TK_NUM) return 1;
    if (t->e1 < 0 && t->en < 0) return 0;
    uint64_t start = t->cls & ~TX_NOT_START;
    if (!t->cls) return 1;
    if (start != ((uint64_t)1 << TX_C_DET) || t->en >= 0) return start != 0;
    if (i + 1 >= c->n) return 0;
    const tx_tok *u = &c->t[i + 1];
    if (u->kind != TX_TK_WORD) return 1;
    return (u->e1 >= 0 || u->en >= 0) && (!u->cls || (u->cls & ~TX_NOT_START) != 0);
}

static int tag_tokens(ctx *c, tly_arena *a, tx_vec *out) {
    for (int i = 0; i < c->n;) {
        cand best;
        cand_init(&best, i);
        if (may_start(c, i)) {
            m_pos(c, i, &best);
            try_base(c, i, &best, 0);
        }
        if (best.te > i && best.ts >= i && best.ts < best.te) {
            if (emit(c, a, out, &best)) return -1;
            i = best.te;
        } else {
            i++;
        }
    }
    return 0;
}

int tly_timex_read(const tly_timex_rules *r, tly_arena *a, const char *text, const tly_tokens *tk,
                   tly_timex_input *in) {
    in->text = text;
    in->t = NULL;
    in->n = 0;
    if (!r || !text || !tk->n) return 0;
    tx_tok *t;
    size_t nt;
    if (tly_tx_read(r, a, text, tk, (size_t)tk->tok[tk->n - 1].end, &t, &nt)) return -1;
    in->t = t;
    in->n = nt;
    return 0;
}

int tly_timex_tag_input(const tly_timex_rules *r, tly_arena *a, const tly_timex_input *in, tally_date ref,
                        tly_timex **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!r || !in->n) return 0;
    ctx c;
    ctx_init(&c, r, in->text, (tx_tok *)in->t, in->n, ref);
    tx_vec v = {0};
    if (tag_tokens(&c, a, &v)) return -1;
    *out = v.v;
    *n = v.n;
    return 0;
}

int tly_timex_tag(const tly_timex_rules *r, tly_arena *a, const char *text, size_t len, tally_date ref,
                  tly_timex **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!r || !text || !len) return 0;
    tly_timex_input in = {text, NULL, 0};
    if (tly_tx_tokenize(r, a, text, len, (tx_tok **)&in.t, &in.n)) return -1;
    return tly_timex_tag_input(r, a, &in, ref, out, n);
}

/* ------------------------------------------------------------ datelines */
/* The head of a text a dateline can be in: at most 2000 bytes, 12 lines. */
static size_t dateline_limit(const char *text, size_t len) {
    size_t lim = len < 2000 ? len : 2000;
    size_t lines = 0, e = 0;
    while (e < lim && lines < 12) { if (text[e] == '\n') lines++; e++; }
    return e;
}

static int dateline(const tly_timex_rules *r, const char *text, tx_tok *t, size_t nt, tally_date *out);

int tly_timex_dateline(const tly_timex_rules *r, const char *text, size_t len, tally_date *out) {
    if (!r || !text) return 0;
    tly_arena a;
    tly_arena_init(&a, r->alc);
    tly_tokens tk;
    /* the whole text: tokens are the same as in a document, cut at the limit */
    if (len > 0xFFFFFFF0u) len = 0xFFFFFFF0u; /* token offsets are 32 bits */
    int found = tly_tokenize(&a, text, len, (size_t)64 << 10, NULL, NULL, &tk) == 0 &&
                tly_timex_dateline_tokens(r, text, len, &tk, out);
    tly_arena_free(&a);
    return found;
}

int tly_timex_dateline_tokens(const tly_timex_rules *r, const char *text, size_t len, const tly_tokens *tk,
                              tally_date *out) {
    if (!r || !text) return 0;
    size_t lim = dateline_limit(text, len);
    tly_arena a;
    tly_arena_init(&a, r->alc);
    tx_tok *t;
    size_t nt;
    int found = tly_tx_read(r, &a, text, tk, lim, &t, &nt) == 0 && dateline(r, text, t, nt, out);
    tly_arena_free(&a);
    return found;
}

static int dateline(const tly_timex_rules *r, const char *text, tx_tok *t, size_t nt, tally_date *out) {
    int found = 0;
    {
        ctx c;
        tally_date none = {0, 0, 0};
        ctx_init(&c, r, text, t, nt, none);
        for (int i = 0; i < c.n && !found; i++) {
            cand best;
            cand_init(&best, i);
            try_base(&c, i, &best, 0);
            if (best.te <= i) continue;
            tv *v = &best.v;
            if (v->gran != G_D || v->rng || v->m < 1) { i = best.te - 1; continue; }
            /* where on its line: after at most a short label ("Updated:") */
            int ls = i;
            while (ls > 0 && !(c.t[ls].fl & TX_TF_NL)) ls--;
            int before = i - ls, words_before = 0, colon = 0;
            for (int q = ls; q < i; q++) {
                if (c.t[q].kind == TX_TK_WORD) words_before++;
                if (is_p(&c, q, ':')) colon = 1;
            }
            int le = best.te;
            while (le < c.n && !(c.t[le].fl & TX_TF_NL)) le++;
            int after = le - best.te;
            int hash_only = 1;
            for (int q = ls; q < i; q++) if (!(is_p(&c, q, '#') || is_p(&c, q, '|') || is_p(&c, q, '-'))) hash_only = 0;
            int ok = 0;
            if ((before == 0 || hash_only) && after <= 10) ok = 1;
            else if (colon && words_before <= 3 && before <= 5 && after <= 10) ok = 1;
            else if (words_before >= 1 && words_before <= 6 && cap(&c, ls) && best.te < c.n &&
                     (is_p(&c, best.te, '(') || is_p(&c, best.te, '-') || is_p(&c, best.te, '_') ||
                      (is_p(&c, best.te, ',') && is_num(&c, best.te + 1)))) {
                /* "KYIV, Ukraine, March 3 (AP) -" */
                int comma = 0;
                for (int q = ls; q < i; q++) if (is_p(&c, q, ',')) comma = 1;
                ok = comma && (c.t[ls].fl & TX_TF_UPPER);
            }
            if (ok) {
                out->year = (int16_t)(v->xyear && v->y > 0 && v->y < 10000 ? v->y : 0);
                out->month = (int8_t)v->m;
                out->day = (int8_t)v->d;
                found = 1;
            }
            i = best.te - 1;
        }
    }
    return found;
}

int tly_timex_latest_full_date(const tly_timex_rules *r, tly_arena *a, const char *text, size_t len,
                               tally_date *out) {
    if (!r || !text || !len) return 0;
    tly_timex_input in = {text, NULL, 0};
    if (tly_tx_tokenize(r, a, text, len, (tx_tok **)&in.t, &in.n)) return 0;
    return tly_timex_latest_input(r, &in, out);
}

int tly_timex_latest_input(const tly_timex_rules *r, const tly_timex_input *in, tally_date *out) {
    if (!r || !in->n) return 0;
    ctx c;
    tally_date none = {0, 0, 0};
    ctx_init(&c, r, in->text, (tx_tok *)in->t, in->n, none);
    int found = 0;
    int64_t bestn = 0;
    for (int i = 0; i < c.n;) {
        cand best;
        cand_init(&best, i);
        if (c.t[i].e1 >= 0 || c.t[i].en >= 0 || c.t[i].kind == TX_TK_NUM) try_base(&c, i, &best, 0);
        if (best.te > i) {
            const tv *v = &best.v;
            if (v->xfull && v->gran == G_D && v->y > 0) {
                int64_t nn = v->rng ? v->r1 : tly_tx_days(v->y, v->m, v->d);
                if (!found || nn > bestn) { bestn = nn; found = 1; }
            }
            i = best.te;
        } else i++;
    }
    if (found) *out = to_date(bestn);
    return found;
}
