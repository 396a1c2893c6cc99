/* numbers.c -- figures and their intervals.
 *
 * Digits ("6,000", "1.5 million", "1.5million"), number words ("twenty-one",
 * "one hundred and five", "a dozen", "half a million"), vague quantities
 * ("dozens" -> 24..open), and the qualifiers before them ("more than 500" ->
 * 501..open, "up to 30" -> open..30, "about 40" -> 40 with qualifier about).
 * Ages, years, percentages, money, times, distances and page counters are
 * flagged so that the claim grammar never takes them for casualty counts. */
#include "doc.h"
#include "grammar.h"
#include "lang.h"
#include "../text/fold.h"
#include <math.h>
#include <string.h>
#include <stdlib.h>

static double parse_digits(const char *s, size_t n, int *decimal) {
    double v = 0, frac = 0, scale = 1;
    int in_frac = 0;
    *decimal = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ',' || c == ' ') continue;
        if ((unsigned char)c >= 0x80) continue; /* a narrow no-break space inside "12 500" */
        if (c == '.') { in_frac = 1; *decimal = 1; continue; }
        if (c < '0' || c > '9') break;
        if (in_frac) { scale /= 10; frac += (c - '0') * scale; }
        else v = v * 10 + (c - '0');
    }
    return v + frac;
}

/* A number-word at token i: its lexicon entry, or NULL. */
static const tly_lexent *numword(const tly_doc *d, size_t i, uint32_t *len) {
    const tly_match *m = tly_doc_match(d, i, LX_NUMWORD, -1);
    if (!m) return NULL;
    *len = m->t1 - m->t0;
    return m->e;
}

static int same_sent(const tly_doc *d, size_t i, size_t j) {
    return i < d->tk.n && j < d->tk.n && d->tk.tok[i].sent == d->tk.tok[j].sent;
}

/* Parses a figure starting at token i. Returns the end token (exclusive), or i
 * when there is none. */
static size_t parse_figure(const tly_doc *d, size_t i, double *val, double *lo, double *hi,
                           uint32_t *flags) {
    const tly_tok *t = d->tk.tok;
    size_t n = d->tk.n;
    *flags = 0;
    *lo = *hi = -2;
    if (t[i].flags & TK_NUM) {
        int dec;
        double v = parse_digits(t[i].norm, t[i].len, &dec);
        size_t j = i + 1;
        if (dec) *flags |= NUM_DECIMAL;
        uint32_t l;
        const tly_lexent *e = numword(d, j, &l);
        if (e && e->sub == NW_SCALE && same_sent(d, i, j)) { v *= e->val; j += l; *flags &= ~(uint32_t)NUM_DECIMAL; }
        else if (e && e->sub == NW_DOZEN && same_sent(d, i, j)) { v *= 12; j += l; }
        *val = v;
        return j;
    }
    if (!(t[i].flags & TK_WORD)) return i;
    uint32_t l;
    const tly_lexent *e = numword(d, i, &l);
    size_t j = i;
    if (!e || e->sub == NW_ARTICLE) {
        /* "a hundred", "a dozen", "a million" */
        if (e && (e = numword(d, i + 1, &l)) && (e->sub == NW_SCALE || e->sub == NW_DOZEN) &&
            !tly_doc_match(d, i, LX_NUMWORD, NW_VAGUE)) {
            *val = e->val;
            *flags |= NUM_WORD;
            j = i + 1 + l;
            /* "a dozen" is exact; "a million" too */
            return j;
        }
        return i;
    }
    if (e->sub == NW_VAGUE) {
        *val = e->val;
        *lo = e->lo;
        *hi = e->hi;
        *flags |= NUM_WORD | NUM_VAGUE;
        return i + l;
    }
    if (e->sub == NW_HALF) {
        /* "half a million" */
        const tly_lexent *e2;
        uint32_t l2;
        if (tly_numword_at(d, i + 1, NW_ARTICLE) && (e2 = numword(d, i + 2, &l2)) &&
            e2->sub == NW_SCALE) {
            *val = 0.5 * e2->val;
            *flags |= NUM_WORD;
            return i + 2 + l2;
        }
        return i;
    }
    if (e->sub != NW_UNIT && e->sub != NW_TEN && e->sub != NW_DOZEN) return i;
    double total = 0, cur = 0;
    int any = 0;
    while (j < n && same_sent(d, i, j)) {
        e = numword(d, j, &l);
        if (!e) {
            /* "twenty-one": a hyphen between a ten and a unit */
            if (tly_punct(d, j, '-') && any && (e = numword(d, j + 1, &l)) && e->sub == NW_UNIT &&
                !(t[j + 1].flags & TK_SPACE)) {
                cur += e->val;
                j += 1 + l;
                continue;
            }
            /* "one hundred and five" */
            if (tly_cue(d, j, CUE_AND) && any && (e = numword(d, j + 1, &l)) &&
                (e->sub == NW_UNIT || e->sub == NW_TEN) && cur >= 100) {
                j++;
                continue;
            }
            break;
        }
        if (e->sub == NW_UNIT || e->sub == NW_TEN) {
            if (any && cur != 0 && fmod(cur, 100) != 0 && !(e->sub == NW_UNIT && fmod(cur, 10) == 0 && cur >= 20 && cur < 100))
                break; /* "five six" is two numbers */
            cur += e->val;
        } else if (e->sub == NW_SCALE) {
            if (!any) break;
            if (cur == 0) cur = 1;
            cur *= e->val;
            if (e->val >= 1000) { total += cur; cur = 0; }
        } else if (e->sub == NW_DOZEN) {
            cur = (cur ? cur : 1) * 12;
        } else break;
        any = 1;
        j += l;
    }
    if (!any) return i;
    *val = total + cur;
    *flags |= NUM_WORD;
    return j;
}

static int is_year_like(double v, uint32_t flags, const tly_tok *t) {
    return !(flags & (NUM_WORD | NUM_DECIMAL)) && v >= 1800 && v <= 2100 && t->len == 4;
}

int tly_en_find_numbers(tly_doc *d) {
    const tly_tok *t = d->tk.tok;
    size_t n = d->tk.n;
    TLY_VEC(tly_num) nums = {0};
    for (size_t i = 0; i < n;) {
        if (d->tx_at[i] >= 0 && !(d->tk.tok[i].flags & TK_WORD && tly_doc_match(d, i, LX_NUMWORD, NW_VAGUE))) {
            /* numbers inside dates ("4 October 2020") are dates */
            i++;
            continue;
        }
        double val = 0, vlo = -2, vhi = -2;
        uint32_t flags;
        size_t j = parse_figure(d, i, &val, &vlo, &vhi, &flags);
        if (j == i) { i++; continue; }
        /* "nine (9) civilians": the figure repeated in digits */
        if ((flags & NUM_WORD) && tly_punct(d, j, '(') && j + 2 < n && (t[j + 1].flags & TK_NUM) &&
            tly_punct(d, j + 2, ')')) {
            int dec2;
            if (parse_digits(t[j + 1].norm, t[j + 1].len, &dec2) == val) j += 3;
        }
        tly_num nu;
        memset(&nu, 0, sizeof nu);
        nu.t0 = nu.v0 = (uint32_t)i;
        nu.t1 = (uint32_t)j;
        nu.val = val;
        nu.flags = flags;
        /* what follows the figure */
        if (j < n && same_sent(d, i, j)) {
            const tly_tok *nx = &t[j];
            if (nx->len == 1 && nx->norm[0] == '%') nu.flags |= NUM_PERCENT;
            if (tly_doc_match(d, j, LX_NUMWORD, NW_ORDSUFFIX) && !(nx->flags & TK_SPACE)) nu.flags |= NUM_ORD;
            if (nx->len == 1 && nx->norm[0] == ':' && j + 1 < n && (t[j + 1].flags & TK_NUM) && !(t[j + 1].flags & TK_SPACE))
                nu.flags |= NUM_TIME;
            /* ages: "16-year-old", "16 years old", "aged 16" */
            size_t k = j;
            if (tly_punct(d, k, '-')) k++;
            if ((tly_numword_at(d, k, NW_AGE_YEAR) || tly_numword_at(d, k, NW_AGE_MONTH) || tly_numword_at(d, k, NW_AGE_DAY)) &&
                (tly_punct(d, k + 1, '-') || tly_cue(d, k + 1, CUE_AGE)))
                nu.flags |= NUM_AGE;
            const tly_match *nc = tly_doc_match(d, j, LX_CUE, CUE_NOT_COUNT);
            if (nc && !tly_doc_match(d, j, LX_VICTIM, -1)) nu.flags |= NUM_UNIT;
        }
        if (i > 0 && same_sent(d, i - 1, i)) {
            const tly_tok *pv = &t[i - 1];
            if (pv->len == 1 && (pv->norm[0] == '$' || !strcmp(pv->norm, "#"))) nu.flags |= NUM_MONEY;
            if (!strcmp(pv->norm, "\xc2\xa3") || !strcmp(pv->norm, "\xe2\x82\xac")) nu.flags |= NUM_MONEY;
            if (tly_doc_match(d, i - 1, LX_QUAL, Q_AGE)) nu.flags |= NUM_AGE;
            /* "Read: 750", "Views 1,203" */
            size_t q = i - 1;
            if (t[q].len == 1 && t[q].norm[0] == ':' && q > 0) q--;
            if (tly_doc_match(d, q, LX_CUE, CUE_NOT_COUNT) && (t[q].flags & TK_CAP)) nu.flags |= NUM_COUNTER;
            if (tly_doc_match(d, i - 1, LX_QUAL, Q_COUNTER) || tly_punct(d, i - 1, '#'))
                if (!(nu.flags & NUM_WORD)) nu.flags |= NUM_COUNTER;
            /* "Covid-19", "F-16", "MH-17", "S-300": a name with a number, not a count */
            if (i >= 2 && tly_punct(d, i - 1, '-') && !(t[i].flags & TK_SPACE) && !(t[i - 1].flags & TK_SPACE) &&
                (t[i - 2].flags & TK_WORD) && (t[i - 2].flags & (TK_CAP | TK_UPPER)) && !(nu.flags & NUM_WORD))
                nu.flags |= NUM_COUNTER;
        }
        /* "father-of-two", "mother-of-three": a figure inside a compound word */
        if (i >= 2 && tly_punct(d, i - 1, '-') && !(t[i].flags & TK_SPACE) && !(t[i - 1].flags & TK_SPACE) &&
            tly_cue(d, i - 2, CUE_OF))
            nu.flags |= NUM_COUNTER;
        /* "9/11", "24/7", "1/2": digits glued to a slash are a name, a date or a fraction */
        if (!(nu.flags & NUM_WORD) &&
            ((i >= 2 && tly_punct(d, i - 1, '/') && !(t[i].flags & TK_SPACE) && !(t[i - 1].flags & TK_SPACE) &&
              (t[i - 2].flags & TK_NUM)) ||
             (tly_punct(d, j, '/') && j + 1 < n && (t[j + 1].flags & TK_NUM) && !(t[j].flags & TK_SPACE) &&
              !(t[j + 1].flags & TK_SPACE))))
            nu.flags |= NUM_COUNTER;
        if (is_year_like(val, nu.flags, &t[i])) nu.flags |= NUM_YEAR;
        /* the qualifier before it: the longest qualifier phrase that ends at i */
        for (size_t back = 5; back >= 1; back--) { /* the longest: "no fewer than" over "fewer than" */
            if (back > i) continue;
            size_t s = i - back;
            if (!same_sent(d, s, i)) continue;
            for (uint32_t k = d->mfirst[s], ke = k + d->mcount[s]; k < ke; k++) {
                const tly_match *m = &d->m[k];
                if (m->e->type == LX_QUAL && m->t1 == i && m->e->sub < Q_BETWEEN) {
                    nu.t0 = (uint32_t)s;
                    nu.qual = m->e->s;
                    switch (m->e->sub) {
                    case Q_GT: vlo = val + 1; vhi = -1; break;
                    case Q_GE: vlo = val; vhi = -1; break;
                    case Q_LT: vlo = -1; vhi = val - 1; break;
                    case Q_LE: vlo = -1; vhi = val; break;
                    case Q_EXACT: nu.qual = NULL; break;
                    default: break;
                    }
                    if (m->e->sub == Q_GT && (nu.flags & NUM_VAGUE)) vlo = val + 1;
                    goto qualified;
                }
            }
        }
    qualified:
        if (vlo == -2) { vlo = vhi = val; }
        /* 40 digits: far past any count; keep the interval representable */
        if (vlo > 1e18) vlo = 1e18;
        if (vhi > 1e18) vhi = 1e18;
        nu.lo = vlo < 0 ? TALLY_OPEN : (int64_t)llround(vlo);
        nu.hi = vhi < 0 ? TALLY_OPEN : (int64_t)llround(vhi);
        if ((nu.flags & NUM_VAGUE) && !nu.qual) {
            const tly_match *vm = tly_doc_match(d, i, LX_NUMWORD, NW_VAGUE);
            nu.qual = vm ? vm->e->tn[0] : "vague";
        }
        if (!tly_vec_push(d->a, &nums, nu)) return -1;
        i = j;
    }
    /* ranges: "12-15", "12 to 15", "two or three", "between 30 and 40" are one
     * figure of 12..15 (a low and a high bound, both given) */
    {
        const uint32_t notcount = NUM_AGE | NUM_YEAR | NUM_DATE | NUM_PERCENT | NUM_MONEY | NUM_TIME | NUM_UNIT |
                                  NUM_ORD | NUM_DECIMAL | NUM_COUNTER;
        size_t o = 0;
        for (size_t k = 0; k < nums.n; k++) {
            tly_num a = nums.v[k];
            if (k + 1 < nums.n) {
                const tly_num *b = &nums.v[k + 1];
                int plain = !(a.flags & notcount) && !(b->flags & notcount) && !a.qual && !b->qual &&
                            a.lo == a.hi && b->lo == b->hi && a.lo != TALLY_OPEN && a.lo >= 0 && a.lo < b->lo &&
                            b->t0 == a.t1 + 1 && same_sent(d, a.t0, b->t0);
                const tly_match *bm = a.t0 > 0 ? tly_doc_match(d, a.t0 - 1, LX_QUAL, Q_BETWEEN) : NULL;
                int between = bm && bm->t1 == a.t0 && same_sent(d, a.t0 - 1, a.t0);
                uint32_t m = a.t1;
                int link = plain && (tly_punct(d, m, '-') || tly_cue(d, m, CUE_RANGE_LINK) ||
                                     (between && tly_cue(d, m, CUE_AND)));
                /* "9-11" and "24-7" are names, not ranges, when glued to nothing but digits */
                if (link && tly_punct(d, m, '-') && b->lo > a.lo * 20 + 20) link = 0;
                if (link) {
                    a.t1 = b->t1;
                    if (between) a.t0 -= 1;
                    a.hi = b->hi;
                    a.qual = between ? "between" : "range";
                    a.flags |= b->flags & ~NUM_ARTICLE;
                    nums.v[o++] = a;
                    k++;
                    continue;
                }
            }
            nums.v[o++] = a;
        }
        nums.n = o;
    }
    d->num = nums.v;
    d->nnum = nums.n;
    for (size_t k = 0; k < nums.n; k++)
        for (uint32_t q = nums.v[k].t0; q < nums.v[k].t1; q++) d->num_at[q] = (int32_t)k;
    return 0;
}
