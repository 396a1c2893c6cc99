/* timex_lex.c -- the temporal tagger's lexicon (the .tsv files of data/time/<lang>/
 * compiled into a hash table of phrases), its tokenizer and calendar
 * arithmetic. See docs/timex.md. */
#include "timex_int.h"
#include "../util/calendar.h"
#include "../text/fold.h"
#include "../text/token.h"
#include "../util/data.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ calendar */
int64_t tly_tx_days(int y, int m, int d) { return tly_days_from_civil(y, m, d); }

void tly_tx_civil(int64_t z, int *y, int *m, int *d) { tly_civil_from_days(z, y, m, d); }

int tly_tx_dow(int64_t n) {
    int64_t w = (n + 3) % 7; /* 1970-01-01 was a Thursday (4) */
    if (w < 0) w += 7;
    return (int)w + 1;
}

int tly_tx_mdays(int y, int m) {
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return md[m - 1];
}

void tly_tx_isoweek(int64_t n, int *wy, int *w) {
    int64_t thu = n - tly_tx_dow(n) + 4;
    int y, m, d;
    tly_tx_civil(thu, &y, &m, &d);
    *wy = y;
    *w = (int)((thu - tly_tx_days(y, 1, 1)) / 7) + 1;
}

int64_t tly_tx_week_monday(int wy, int w) {
    int64_t jan4 = tly_tx_days(wy, 1, 4);
    return jan4 - (tly_tx_dow(jan4) - 1) + 7 * (int64_t)(w - 1);
}

/* ------------------------------------------------------------ tokens
 * The tagger reads the document's tokens (src/text/token.h). Its own view
 * is finer in two places: a word with digits ("TB2") is letters and digits,
 * and a figure with separators ("6,000", "1.5", "12 500") is digit runs and
 * punctuation; such a token (and one cut by a length limit) is split with
 * split_range, which is also how a data file's phrase becomes its key. */
static int ascii_alpha(unsigned c) { return (c | 32u) >= 'a' && (c | 32u) <= 'z'; }

/* Length of the letter at s (0 when not a letter); *upper set. */
static size_t letter_at(const unsigned char *s, size_t n, int *upper) {
    if (s[0] < 0x80) {
        if (!ascii_alpha(s[0])) return 0;
        *upper = s[0] >= 'A' && s[0] <= 'Z';
        return 1;
    }
    int32_t cp;
    size_t l = tly_utf8_decode(s, n, &cp);
    if (!l || !tly_cp_is_letter(cp)) return 0;
    *upper = tly_cp_is_upper(cp);
    return l;
}

static char punct_char(int32_t cp) {
    if (cp < 0x80) return (char)cp;
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFF0D) return '-';
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2032 || cp == 0x02BC) return '\'';
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x00AB || cp == 0x00BB) return '"';
    if (cp == 0x2026) return '.';
    return '?';
}

/* The one-character keys of punctuation. */
static const char PUNCT_KEY[128] = {
#define P8(c) c, c + 1, c + 2, c + 3, c + 4, c + 5, c + 6, c + 7
    P8(0), P8(8), P8(16), P8(24), P8(32), P8(40), P8(48), P8(56),
    P8(64), P8(72), P8(80), P8(88), P8(96), P8(104), P8(112), P8(120)
#undef P8
};

/* The folded key of token t into buf (cap bytes); its length, or 0 when it
 * cannot be in the lexicon (a number, too long). */
static size_t tok_key(const char *text, const tx_tok *t, char *buf, size_t cap) {
    size_t n = t->e - t->s;
    if (t->kind == TX_TK_NUM) return 0;
    if (t->kind == TX_TK_PUNCT) {
        if (t->ch == '?') return 0;
        buf[0] = t->ch;
        return 1;
    }
    if (n >= cap || n > 40) return 0;
    if (t->fl & TX_TF_ASCII) {
        for (size_t i = 0; i < n; i++) {
            char c = text[t->s + i];
            buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        return n;
    }
    size_t k = tly_fold(text + t->s, n, buf, cap);
    return k < cap ? k : 0;
}

/* Sets t->key from the text (tok_key, kept in the arena). */
static int set_key(tly_arena *a, const char *text, tx_tok *t) {
    char buf[64];
    size_t k = tok_key(text, t, buf, sizeof buf);
    t->klen = (uint8_t)k;
    t->key = NULL;
    if (!k) return 0;
    if (t->kind == TX_TK_PUNCT) t->key = &PUNCT_KEY[(unsigned char)t->ch & 127];
    else if (!(t->key = tly_arena_strndup(a, buf, k))) return -1;
    t->kh = tly_hash(t->key, k);
    return 0;
}

/* The tagger's tokens of text[s0, s1) (one token of the document, or a
 * phrase), pushed onto v; pend: the space flags of the first. */
#define TX_VEC TLY_VEC(tx_tok)
static int split_range(tly_arena *a, const char *text, size_t s0, size_t s1, unsigned pend, void *vec) {
    TX_VEC *v = vec;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = s0, len = s1;
    int nls = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c == '\n') { nls++; pend |= TX_TF_SP | TX_TF_NL; if (nls >= 2) pend |= TX_TF_PARA; i++; continue; }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') { pend |= TX_TF_SP; i++; continue; }
        tx_tok t;
        memset(&t, 0, sizeof t);
        t.s = (uint32_t)i;
        t.e1 = t.en = -1;
        t.num = -1;
        int up = 0;
        size_t l;
        if (c >= '0' && c <= '9') {
            size_t j = i;
            int64_t v2 = 0;
            while (j < len && s[j] >= '0' && s[j] <= '9') {
                if (j - i < 9) v2 = v2 * 10 + (s[j] - '0');
                j++;
            }
            t.kind = TX_TK_NUM;
            t.nd = (uint8_t)(j - i > 255 ? 255 : j - i);
            t.num = (j - i <= 9) ? (int32_t)v2 : -1;
            t.fl = TX_TF_ASCII;
            i = j;
        } else if ((l = letter_at(s + i, len - i, &up)) > 0) {
            size_t j = i;
            int allup = 1, ascii = 1, first = 1;
            while (j < len) {
                unsigned b = s[j];
                if (b < 0x80) { /* the common case, without a call */
                    if (!ascii_alpha(b)) break;
                    if (first) { if (b <= 'Z') t.fl |= TX_TF_CAP; first = 0; }
                    if (b > 'Z') allup = 0;
                    j++;
                    continue;
                }
                if ((l = letter_at(s + j, len - j, &up)) == 0) break;
                if (first) { if (up) t.fl |= TX_TF_CAP; first = 0; }
                if (!up) allup = 0;
                if (l > 1) ascii = 0;
                j += l;
            }
            t.kind = TX_TK_WORD;
            if (allup && j - i > 1) t.fl |= TX_TF_UPPER;
            if (ascii) t.fl |= TX_TF_ASCII;
            i = j;
        } else {
            int32_t cp;
            if (c < 0x80) { cp = (int32_t)c; l = 1; }
            else {
                l = tly_utf8_decode(s + i, len - i, &cp);
                if (!l) { l = 1; cp = 0xFFFD; }
                else if (tly_cp_is_space(cp)) { pend |= TX_TF_SP; i += l; continue; }
            }
            t.kind = TX_TK_PUNCT;
            t.ch = punct_char(cp);
            i += l;
        }
        t.e = (uint32_t)i;
        t.fl |= (uint8_t)pend;
        pend = 0;
        nls = 0;
        if (set_key(a, text, &t) || !tly_vec_push(a, v, t)) return -1;
    }
    return 0;
}

/* The tagger's reading of one document token (the common case: no split). */
static void from_token(const char *text, const tly_tok *k, tx_tok *t) {
    *t = (tx_tok){.s = k->start, .e = k->end, .e1 = -1, .en = -1, .num = -1};
    unsigned f = k->flags;
    t->fl = (uint8_t)((f & TK_SPACE ? TX_TF_SP : 0) | (f & TK_LF ? TX_TF_NL : 0) | (f & TK_LF2 ? TX_TF_PARA : 0));
    size_t n = k->end - k->start;
    if (f & TK_NUM) {
        int64_t v = 0;
        for (size_t i = 0; i < n && i < 9; i++) v = v * 10 + (text[k->start + i] - '0');
        t->kind = TX_TK_NUM;
        t->nd = (uint8_t)(n > 255 ? 255 : n);
        t->num = n <= 9 ? (int32_t)v : -1;
        t->fl |= TX_TF_ASCII;
    } else if (f & TK_WORD) {
        t->kind = TX_TK_WORD;
        if (f & TK_CAP) t->fl |= TX_TF_CAP;
        if (f & TK_ASCII) t->fl |= TX_TF_ASCII;
        if (f & TK_UPPER) t->fl |= TX_TF_UPPER;
        else if ((f & TK_CAP) && !(f & TK_ASCII)) {
            /* one upper-case letter of several bytes ("É") is all capitals here */
            int32_t cp;
            if (tly_utf8_decode((const unsigned char *)text + k->start, n, &cp) == n) t->fl |= TX_TF_UPPER;
        }
        /* the key: the token's folded form, as tok_key makes it */
        if (n <= 40 && k->len < 64) { t->key = k->norm; t->klen = (uint8_t)k->len; t->kh = k->hash; }
    } else {
        int32_t cp;
        unsigned c = (unsigned char)text[k->start];
        if (c < 0x80) cp = (int32_t)c;
        else if (!tly_utf8_decode((const unsigned char *)text + k->start, n, &cp)) cp = 0xFFFD;
        t->kind = TX_TK_PUNCT;
        t->ch = punct_char(cp);
        if (t->ch != '?') { t->key = &PUNCT_KEY[(unsigned char)t->ch & 127]; t->klen = 1; t->kh = tly_hash(t->key, 1); }
    }
}

static int is_prefix_h(const tly_timex_rules *r, const char *key, size_t klen, uint32_t h) {
    if (!r->npfx) return 0;
    for (size_t i = h & (r->npfx - 1);; i = (i + 1) & (r->npfx - 1)) {
        if (!r->pfx[i].key) return 0;
        if (r->pfx[i].hash == h && r->pfx[i].klen == klen && !memcmp(r->pfx[i].key, key, klen)) return 1;
    }
}

static int is_prefix(const tly_timex_rules *r, const char *key, size_t klen) {
    return is_prefix_h(r, key, klen, tly_hash(key, klen));
}

/* Collects the proper prefixes of every multi-word phrase (after loading). */
static int build_prefixes(tly_timex_rules *r) {
    size_t n = 0;
    for (size_t i = 0; i < r->nents; i++) if (r->ents[i].ntok > 1) n += r->ents[i].ntok - 1u;
    if (!n) return 0;
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    r->pfx = tly_arena_calloc(&r->arena, cap, sizeof *r->pfx);
    if (!r->pfx) return -1;
    r->npfx = cap;
    for (size_t i = 0; i < r->nents; i++) {
        const char *k = r->ents[i].key;
        if (r->ents[i].ntok < 2) continue;
        for (const char *sp = strchr(k, ' '); sp; sp = strchr(sp + 1, ' ')) {
            size_t kl = (size_t)(sp - k);
            if (is_prefix(r, k, kl)) continue;
            uint32_t h = tly_hash(k, kl);
            size_t j = h & (cap - 1);
            while (r->pfx[j].key) j = (j + 1) & (cap - 1);
            r->pfx[j].hash = h;
            r->pfx[j].klen = (uint32_t)kl;
            r->pfx[j].key = tly_arena_strndup(&r->arena, k, kl);
            if (!r->pfx[j].key) return -1;
        }
    }
    return 0;
}

static int32_t lookup_h(const tly_timex_rules *r, const char *key, size_t klen, uint32_t h) {
    if (!r->nslots) return -1;
    size_t mask = r->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = r->slots[i];
        if (!s) return -1;
        const tx_entry *e = &r->ents[s - 1];
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
            return (int32_t)(s - 1);
    }
}

int32_t tly_tx_lookup(const tly_timex_rules *r, const char *key, size_t klen) {
    return lookup_h(r, key, klen, tly_hash(key, klen));
}

int tly_tx_read(const tly_timex_rules *r, tly_arena *a, const char *text, const tly_tokens *tk, size_t lim,
                tx_tok **out, size_t *n) {
    TX_VEC v = {0};
    if (!tly_vec_grow_(a, (void **)&v.v, &v.cap, sizeof *v.v, tk->n + 16)) return -1;
    size_t done = 0; /* the text read so far */
    for (size_t i = 0; i < tk->n && tk->tok[i].start < lim; i++) {
        const tly_tok *k = &tk->tok[i];
        done = k->end < lim ? k->end : lim;
        if (!(k->flags & TK_DIGITS) && k->end <= lim) {
            if (v.n == v.cap && !tly_vec_grow_(a, (void **)&v.v, &v.cap, sizeof *v.v, v.n + 1)) return -1;
            from_token(text, k, &v.v[v.n++]);
            continue;
        }
        unsigned pend = (k->flags & TK_SPACE ? TX_TF_SP : 0) | (k->flags & TK_LF ? TX_TF_NL : 0) |
                        (k->flags & TK_LF2 ? TX_TF_PARA : 0);
        if (split_range(a, text, k->start, done, pend, &v)) return -1;
    }
    /* a limit inside a space of several bytes leaves a piece of it: a character of its own */
    if (done < lim && split_range(a, text, done, lim, 0, &v)) return -1;
    /* the phrases of the lexicon: the longest that starts at each token */
    tx_tok *t = v.v;
    size_t nt = v.n;
    char key[256];
    for (size_t i = 0; i < nt; i++) {
        size_t k = t[i].klen;
        if (!k) continue;
        uint32_t h = t[i].kh;
        t[i].e1 = lookup_h(r, t[i].key, k, h);
        size_t kl = k;
        if (r->maxtok > 1 && i + 1 < nt && is_prefix_h(r, t[i].key, kl, h)) {
            memcpy(key, t[i].key, k);
            for (int j = 1; j < r->maxtok && i + (size_t)j < nt && (j == 1 || is_prefix_h(r, key, kl, h)); j++) {
                const tx_tok *u = &t[i + (size_t)j];
                if (u->fl & TX_TF_PARA) break;
                size_t k2 = u->klen;
                if (!k2) break;
                key[kl] = ' ';
                memcpy(key + kl + 1, u->key, k2);
                h = tly_hash_more(h, key + kl, 1 + k2); /* the hash of the longer key */
                kl += 1 + k2;
                int32_t e = lookup_h(r, key, kl, h);
                if (e >= 0) t[i].en = e;
                if (kl > 180) break;
            }
        }
        t[i].cls = (t[i].e1 >= 0 ? r->ents[t[i].e1].clsmask : 0) | (t[i].en >= 0 ? r->ents[t[i].en].clsmask : 0);
    }
    *out = t;
    *n = nt;
    return 0;
}

int tly_tx_tokenize(const tly_timex_rules *r, tly_arena *a, const char *text, size_t len,
                    tx_tok **out, size_t *n) {
    tly_tokens tk;
    if (len > 0xFFFFFFF0u) len = 0xFFFFFFF0u;
    /* sentences do not matter here; a bound keeps the splitting linear */
    if (tly_tokenize(a, text, len, (size_t)64 << 10, NULL, NULL, &tk)) return -1;
    return tly_tx_read(r, a, text, &tk, len, out, n);
}

/* ------------------------------------------------------------ loading */
typedef struct { const char *name; int cls; } cls_name;
static const cls_name CLASSES[] = {
    {"MONTH", TX_C_MONTH}, {"WEEKDAY", TX_C_WEEKDAY}, {"NUM", TX_C_NUM}, {"ORD", TX_C_ORD},
    {"ORDSUF", TX_C_ORDSUF}, {"MULT", TX_C_MULT}, {"UNIT", TX_C_UNIT}, {"SEASON", TX_C_SEASON},
    {"POD", TX_C_POD}, {"REL", TX_C_REL}, {"MOD", TX_C_MOD}, {"POS", TX_C_POS}, {"DIR", TX_C_DIR},
    {"APPROX", TX_C_APPROX}, {"TRIG", TX_C_TRIG}, {"DET", TX_C_DET}, {"CONN", TX_C_CONN},
    {"BETWEEN", TX_C_BETWEEN}, {"OF", TX_C_OF}, {"SETQ", TX_C_SETQ}, {"SETW", TX_C_SETW},
    {"FEW", TX_C_FEW}, {"FISCAL", TX_C_FISCAL}, {"DECADEW", TX_C_DECADEW}, {"AMPM", TX_C_AMPM},
    {"OCLOCK", TX_C_OCLOCK}, {"TIMEW", TX_C_TIMEW}, {"TZ", TX_C_TZ}, {"INTHE", TX_C_INTHE},
    {"AT", TX_C_AT}, {"AGE", TX_C_AGE}, {"AMOUNT", TX_C_AMOUNT}, {"FUTCUE", TX_C_FUTCUE},
    {"YEARCUE", TX_C_YEARCUE}, {"YEARNEXT", TX_C_YEARNEXT}, {"SETTING", TX_C_SETTING},
    {"NARRCUE", TX_C_NARRCUE}, {"YEARPRE", TX_C_YEARPRE}, {"COUNTNOUN", TX_C_COUNTNOUN},
    {"HOLIDAY", TX_C_HOLIDAY}, {"PASTCUE", TX_C_PASTCUE},
    {"ENDED", TX_C_ENDED}, {"APPROXPOST", TX_C_APPROXPOST}, {"DURPRE", TX_C_DURPRE},
    {"QMORE", TX_C_QMORE}, {"DURADJ", TX_C_DURADJ},
    {"FUTPREP", TX_C_FUTPREP}, {"NOTPAST", TX_C_NOTPAST},
    {NULL, 0}};

typedef struct { const char *name; int val; } sym;
static const sym UNITS[] = {{"D", TX_U_D}, {"W", TX_U_W}, {"2W", TX_U_2W}, {"WE", TX_U_WE},
    {"M", TX_U_M}, {"Q", TX_U_Q}, {"H", TX_U_H}, {"Y", TX_U_Y}, {"DE", TX_U_DE}, {"CE", TX_U_CE},
    {"ML", TX_U_ML}, {"HR", TX_U_HR}, {"MI", TX_U_MI}, {"S", TX_U_S}, {"P", TX_U_P}, {NULL, 0}};
static const sym MODS[] = {{"PREV", TX_M_PREV}, {"PRECEDING", TX_M_PRECEDING}, {"PAST", TX_M_PAST},
    {"NEXT", TX_M_NEXT}, {"FOLLOWING", TX_M_FOLLOWING}, {"THIS", TX_M_THIS}, {"THAT", TX_M_THAT},
    {"LATEST", TX_M_LATEST}, {"RECENT", TX_M_RECENT}, {NULL, 0}};
static const sym POSS[] = {{"START", TX_P_START}, {"MID", TX_P_MID}, {"END", TX_P_END},
    {"H1", TX_P_H1}, {"H2", TX_P_H2}, {NULL, 0}};
static const sym DIRS[] = {{"AGO", TX_D_AGO}, {"EARLIER", TX_D_EARLIER}, {"LATER", TX_D_LATER},
    {"HENCE", TX_D_HENCE}, {NULL, 0}};
static const sym TRIGS[] = {{"ANCHOR", TX_T_ANCHOR}, {"ASOF", TX_T_ASOF}, {NULL, 0}};
static const sym CONNS[] = {{"LIST", TX_K_LIST}, {"RANGE", TX_K_RANGE}, {NULL, 0}};
static const sym SEASONS[] = {{"SP", TX_S_SP}, {"SU", TX_S_SU}, {"FA", TX_S_FA}, {"WI", TX_S_WI}, {NULL, 0}};
static const sym PODS[] = {{"MO", TX_POD_MO}, {"AF", TX_POD_AF}, {"EV", TX_POD_EV}, {"NI", TX_POD_NI}, {NULL, 0}};

static int sym_find(const sym *t, const char *s) {
    for (; t->name; t++) if (strcmp(t->name, s) == 0) return t->val;
    return -1;
}

typedef struct {
    tly_timex_rules *r;
    tally_error *err;
    const char *file;
    int failed;
} load_ctx;

static int load_fail(load_ctx *lc, int lineno, const char *what) {
    if (lc->err) {
        memset(lc->err, 0, sizeof *lc->err);
        lc->err->code = TALLY_ERR_DATA;
        snprintf(lc->err->doc, sizeof lc->err->doc, "%s", lc->file);
        snprintf(lc->err->message, sizeof lc->err->message, "%s:%d: %s", lc->file, lineno, what);
    }
    lc->failed = 1;
    return 1;
}

static int rehash(tly_timex_rules *r, size_t want) {
    size_t ns = 64;
    while (ns < want * 2) ns *= 2;
    uint32_t *sl = tly_arena_calloc(&r->arena, ns, sizeof *sl);
    if (!sl) return -1;
    for (size_t i = 0; i < r->nents; i++) {
        size_t j = r->ents[i].hash & (ns - 1);
        while (sl[j]) j = (j + 1) & (ns - 1);
        sl[j] = (uint32_t)(i + 1);
    }
    r->slots = sl;
    r->nslots = ns;
    return 0;
}

static int load_line(void *ctx, char **f, int nf, int lineno) {
    load_ctx *lc = ctx;
    tly_timex_rules *r = lc->r;
    if (nf < 2) return load_fail(lc, lineno, "expected phrase<TAB>CLASS<TAB>value");
    int cls = -1;
    for (const cls_name *c = CLASSES; c->name; c++) if (strcmp(c->name, f[1]) == 0) cls = c->cls;
    if (cls < 0) return load_fail(lc, lineno, "unknown class");
    const char *val = nf > 2 ? f[2] : "";
    if (cls == TX_C_SETTING) {
        if (strcmp(f[0], "numeric_order") == 0) r->dmy = strcmp(val, "dmy") == 0;
        else if (strcmp(f[0], "weekday_case") == 0) r->lower_weekdays = strcmp(val, "lower") == 0;
        else if (strcmp(f[0], "past_suffix") == 0) {
            if (strlen(val) >= sizeof r->past_suffix) return load_fail(lc, lineno, "past_suffix too long");
            snprintf(r->past_suffix, sizeof r->past_suffix, "%s", val);
        }
        return 0;
    }
    tx_sense s;
    memset(&s, 0, sizeof s);
    s.cls = (uint8_t)cls;
    const sym *tab = NULL;
    switch (cls) {
    case TX_C_UNIT: tab = UNITS; break;
    case TX_C_MOD: tab = MODS; break;
    case TX_C_POS: tab = POSS; break;
    case TX_C_DIR: tab = DIRS; break;
    case TX_C_TRIG: tab = TRIGS; break;
    case TX_C_CONN: tab = CONNS; break;
    case TX_C_SEASON: tab = SEASONS; break;
    case TX_C_POD: tab = PODS; break;
    default: break;
    }
    if (tab) {
        s.val = sym_find(tab, val);
        if (s.val < 0) return load_fail(lc, lineno, "unknown value");
    } else if (cls == TX_C_REL || cls == TX_C_SETW || cls == TX_C_HOLIDAY) {
        s.str = tly_arena_strndup(&r->arena, val, strlen(val));
        if (!s.str) return -1;
    } else {
        char *end;
        long v = strtol(val, &end, 10);
        if (*val && *end) return load_fail(lc, lineno, "expected a number");
        s.val = (int32_t)v;
    }
    if (nf > 3) {
        char *p = f[3];
        while (*p) {
            while (*p == ' ') p++;
            char *q = p;
            while (*q && *q != ' ') q++;
            size_t n = (size_t)(q - p);
            if (n == 3 && !memcmp(p, "amb", 3)) s.flags |= TX_F_AMB;
            else if (n == 2 && !memcmp(p, "pl", 2)) s.flags |= TX_F_PL;
            else if (n == 3 && !memcmp(p, "art", 3)) s.flags |= TX_F_ART;
            else if (n == 4 && !memcmp(p, "weak", 4)) s.flags |= TX_F_WEAK;
            else if (n == 4 && !memcmp(p, "time", 4)) s.flags |= TX_F_TIME;
            else if (n == 3 && !memcmp(p, "dir", 3)) s.flags |= TX_F_DIR;
            else if (n == 4 && !memcmp(p, "abbr", 4)) s.flags |= TX_F_ABBR;
            else if (n == 5 && !memcmp(p, "skip1", 5)) s.flags |= TX_F_SKIP1;
            else if (n == 3 && !memcmp(p, "dur", 3)) s.flags |= TX_F_DUR;
            else if (n > 4 && !memcmp(p, "pod=", 4)) {
                char b[8] = {0};
                memcpy(b, p + 4, n - 4 < 7 ? n - 4 : 7);
                int pv = sym_find(PODS, b);
                if (pv < 0) return load_fail(lc, lineno, "unknown part of day");
                s.pod = (uint8_t)pv;
            } else if (n) return load_fail(lc, lineno, "unknown flag");
            p = q;
        }
    }
    /* The key: the phrase tokenized as text is, folded, joined by spaces. */
    TX_VEC toks = {0};
    const char *ph = f[0];
    if (split_range(&r->arena, ph, 0, strlen(ph), 0, &toks)) return -1;
    size_t nt = toks.n;
    if (nt == 0 || nt > 8) return load_fail(lc, lineno, "bad phrase");
    char key[512];
    size_t kl = 0;
    for (size_t i = 0; i < nt; i++) {
        if (i) key[kl++] = ' ';
        size_t k = toks.v[i].klen;
        if (!k) return load_fail(lc, lineno, "phrase has a number or an unknown character");
        memcpy(key + kl, toks.v[i].key, k);
        kl += k;
    }
    int32_t ei = tly_tx_lookup(r, key, kl);
    tx_entry *e;
    if (ei < 0) {
        if (r->nents == r->capents &&
            !tly_vec_grow_(&r->arena, (void **)&r->ents, &r->capents, sizeof *r->ents, r->nents + 1))
            return -1;
        e = &r->ents[r->nents++];
        memset(e, 0, sizeof *e);
        e->key = tly_arena_strndup(&r->arena, key, kl);
        e->klen = (uint32_t)kl;
        if (!e->key) return -1;
        e->hash = tly_hash(key, kl);
        e->ntok = (uint16_t)nt;
        if ((int)nt > r->maxtok) r->maxtok = (int)nt;
        if (r->nents * 2 > r->nslots) {
            if (rehash(r, r->nents * 2)) return -1;
        } else {
            size_t j = e->hash & (r->nslots - 1);
            while (r->slots[j]) j = (j + 1) & (r->nslots - 1);
            r->slots[j] = (uint32_t)r->nents;
        }
    } else {
        e = &r->ents[ei];
    }
    tx_sense *ns = tly_arena_alloc(&r->arena, (e->nsense + 1u) * sizeof *ns);
    if (!ns) return -1;
    if (e->nsense) memcpy(ns, e->senses, e->nsense * sizeof *ns);
    ns[e->nsense] = s;
    e->senses = ns;
    e->nsense++;
    e->clsmask |= 1ull << (s.cls & 63);
    return 0;
}

static const char *const FILES[] = {"months.tsv", "weekdays.tsv", "numbers.tsv", "units.tsv",
    "seasons.tsv", "holidays.tsv", "relative.tsv", "modifiers.tsv", "words.tsv", "settings.tsv", NULL};

tly_timex_rules *tly_timex_rules_load(const char *data_dir, const char *lang, const tally_alc *alc,
                                      tally_error *err) {
    if (!alc) alc = tly_default_alc();
    if (!lang || !*lang) lang = "en";
    tly_timex_rules *r = alc->malloc(alc->ctx, sizeof *r);
    if (!r) goto nomem;
    memset(r, 0, sizeof *r);
    r->alc = alc;
    tly_arena_init(&r->arena, alc);
    if (rehash(r, 256)) goto nomem_r;
    int found = 0;
    for (int i = 0; FILES[i]; i++) {
        char name[128];
        snprintf(name, sizeof name, "time/%s/%s", lang, FILES[i]);
        size_t len = 0;
        const char *data = tly_data_get(data_dir, &r->arena, name, &len);
        if (!data) continue;
        found++;
        load_ctx lc = {r, err, name, 0};
        if (tly_tsv_each(&r->arena, data, len, load_line, &lc) < 0) {
            if (lc.failed) { tly_timex_rules_free(r); return NULL; }
            goto nomem_r;
        }
    }
    if (!found) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = TALLY_ERR_DATA;
            snprintf(err->message, sizeof err->message, "no temporal word tables for language '%s'", lang);
        }
        tly_timex_rules_free(r);
        return NULL;
    }
    if (r->maxtok < 1) r->maxtok = 1;
    if (build_prefixes(r)) goto nomem_r;
    return r;
nomem_r:
    tly_timex_rules_free(r);
nomem:
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = TALLY_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory loading the temporal rules");
    }
    return NULL;
}

void tly_timex_rules_free(tly_timex_rules *r) {
    if (!r) return;
    const tally_alc *alc = r->alc;
    tly_arena_free(&r->arena);
    alc->free(alc->ctx, r);
}
