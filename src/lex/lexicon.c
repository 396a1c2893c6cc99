/* lexicon.c -- loads the TSV files of a language pack, data/<lang>/, into one phrase table (see lexicon.h). */
#include "lexicon.h"
#include "scan.h"
#include "../util/data.h"
#include "../util/sort.h"
#include "../text/fold.h"
#include "../util/utf8.h"
#include "../extract/lang.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct loader {
    tally_lexicon *lex;
    tly_arena tmp;         /* scratch for tokenizing phrases */
    size_t cap;
    const char *file;
    char path[128];        /* the file being read: "<lang>/cues.tsv" */
    tally_error *err;
    int failed;
} loader;

static const char *const weapon_rank[] = {
    "ballistic_missile", "mlrs", "cluster_munition", "incendiary", "drone", "missile",
    "rocket", "airstrike", "artillery", "explosive", "small_arms", NULL};

static int weapon_class_rank(const char *cls) {
    for (int i = 0; weapon_rank[i]; i++)
        if (!strcmp(weapon_rank[i], cls)) return 20 - i;
    return -1;
}

static void fail(loader *L, int lineno, const char *msg) {
    if (L->failed) return;
    L->failed = 1;
    if (L->err) {
        L->err->code = TALLY_ERR_DATA;
        L->err->has_offset = 0;
        snprintf(L->err->doc, sizeof L->err->doc, "%s", L->file);
        snprintf(L->err->message, sizeof L->err->message, "%s:%d: %s", L->file, lineno, msg);
    }
}

/* Adds one phrase with a payload copied from proto. */
static int add_phrase(loader *L, const char *phrase, const tly_lexent *proto) {
    tally_lexicon *lex = L->lex;
    while (*phrase == ' ') phrase++;
    size_t plen = strlen(phrase);
    while (plen && phrase[plen - 1] == ' ') plen--;
    if (!plen) return 0;
    tly_tokens tk;
    if (tly_tokenize(&L->tmp, phrase, plen, 0, NULL, NULL, &tk)) return -1;
    if (tk.n == 0 || tk.n > 24) return 0;
    if (!tly_heap_reserve(NULL, &lex->ent, &L->cap, lex->nent + 1, 1024)) return -1;
    tly_lexent *e = &lex->ent[lex->nent++];
    *e = *proto;
    e->ntok = (uint8_t)tk.n;
    uint32_t *th = tly_arena_alloc(&lex->arena, tk.n * sizeof *th);
    const char **tn = tly_arena_alloc(&lex->arena, tk.n * sizeof *tn);
    if (!th || !tn) return -1;
    for (size_t i = 0; i < tk.n; i++) {
        th[i] = tk.tok[i].hash;
        tn[i] = tly_arena_strndup(&lex->arena, tk.tok[i].norm, tk.tok[i].len);
        if (!tn[i]) return -1;
    }
    e->th = th;
    e->tn = (const char *const *)tn;
    return 0;
}

/* Adds every phrase of a '|' list. */
static int add_list(loader *L, const char *list, const tly_lexent *proto) {
    char buf[1024];
    const char *p = list;
    while (*p) {
        const char *q = strchr(p, '|');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n >= sizeof buf) n = sizeof buf - 1;
        memcpy(buf, p, n);
        buf[n] = 0;
        if (strcmp(buf, "-") != 0 && add_phrase(L, buf, proto)) return -1;
        if (!q) break;
        p = q + 1;
    }
    return 0;
}

static const char *keep(loader *L, const char *s) {
    if (!s || !strcmp(s, "-")) return NULL;
    return tly_arena_strndup(&L->lex->arena, s, strlen(s));
}

/* ---- one callback per file ---- */

static int on_numbers(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 3) { fail(L, lineno, "expected: word, kind, value"); return 1; }
    static const char *const kinds[NW_NKINDS] = {
#define TLY_NW_NAME_(id, name) name,
        TLY_NUMWORD_KINDS(TLY_NW_NAME_)
#undef TLY_NW_NAME_
    };
    tly_lexent e = {0};
    e.type = LX_NUMWORD;
    int k = -1;
    for (int i = 0; i < NW_NKINDS; i++) if (!strcmp(f[1], kinds[i])) k = i;
    if (k < 0) { fail(L, lineno, "unknown number kind"); return 1; }
    e.sub = (uint8_t)k;
    e.val = atof(f[2]);
    e.lo = nf > 3 ? atof(f[3]) : e.val;
    e.hi = nf > 4 ? atof(f[4]) : e.val;
    return add_list(L, f[0], &e) ? 1 : 0;
}

static int on_quals(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 2) { fail(L, lineno, "expected: phrase, kind"); return 1; }
    static const char *const kinds[] = {"gt", "ge", "lt", "le", "about", "exact", "between", "counter", "age", "more", "partitive"};
    tly_lexent e = {0};
    e.type = LX_QUAL;
    int k = -1;
    for (int i = 0; i <= Q_PARTITIVE; i++) if (!strcmp(f[1], kinds[i])) k = i;
    if (k < 0) { fail(L, lineno, "unknown qualifier kind"); return 1; }
    e.sub = (uint8_t)k;
    e.s = keep(L, nf > 2 ? f[2] : f[1]); /* the name printed as "qualifier" */
    return add_list(L, f[0], &e) ? 1 : 0;
}

static int on_outcomes(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 3) { fail(L, lineno, "expected: phrase, outcome, form"); return 1; }
    static const char *forms[] = {"ved", "ving", "vbase", "intr", "adj", "noun", "toll", "obj", "taken"};
    tly_lexent e = {0};
    e.type = LX_OUTCOME;
    int o = -1, fm = -1;
    for (int i = 0; i < TALLY_OUTCOME_COUNT; i++) if (!strcmp(f[1], tally_outcome_name((tally_outcome)i))) o = i;
    for (int i = 0; i < (int)(sizeof forms / sizeof forms[0]); i++) if (!strcmp(f[2], forms[i])) fm = i;
    if (o < 0 || fm < 0) { fail(L, lineno, "unknown outcome or form"); return 1; }
    e.sub = (uint8_t)o;
    e.a = fm;
    /* a 4th column "flight": the object must be followed by where it flees
     * to (a flight cue: "forced 1,500 people to flee") */
    if (nf > 3 && f[3][0] && strcmp(f[3], "-")) {
        if (strcmp(f[3], "flight")) { fail(L, lineno, "unknown outcome condition"); return 1; }
        e.b = 1;
    }
    return add_list(L, f[0], &e) ? 1 : 0;
}

static int on_victims(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 3) { fail(L, lineno, "expected: phrase, class, number"); return 1; }
    tly_lexent e = {0};
    e.type = LX_VICTIM;
    int c = -1;
    for (int i = 0; i < TALLY_VICTIMS_COUNT; i++) if (!strcmp(f[1], tally_victims_name((tally_victims)i))) c = i;
    if (c < 0) { fail(L, lineno, "unknown victims class"); return 1; }
    e.sub = (uint8_t)c;
    e.a = !strcmp(f[2], "sg") ? 1 : !strcmp(f[2], "pl") ? 2 : !strcmp(f[2], "both") ? 3 : 0;
    return add_list(L, f[0], &e) ? 1 : 0;
}

static const char *const cue_names[CUE_NCUES] = {
#define TLY_CUE_NAME_(id, name) name,
    TLY_CUE_KINDS(TLY_CUE_NAME_)
#undef TLY_CUE_NAME_
};

static int on_cues(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 2) { fail(L, lineno, "expected: phrase, cue"); return 1; }
    tly_lexent e = {0};
    e.type = LX_CUE;
    int k = -1;
    for (int i = 0; i < CUE_NCUES; i++) if (!strcmp(f[1], cue_names[i])) k = i;
    if (k < 0) { fail(L, lineno, "unknown cue"); return 1; }
    e.sub = (uint8_t)k;
    e.plural = (k == CUE_ATTACK_NOUN || k == CUE_PLACE_NOUN);
    return add_list(L, f[0], &e) ? 1 : 0;
}

static int on_weapons(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 4) { fail(L, lineno, "expected: phrases, class, name, priority"); return 1; }
    tly_lexent e = {0};
    e.type = LX_WEAPON;
    e.plural = 1;
    e.b = weapon_class_rank(f[1]);
    if (e.b < 0) { fail(L, lineno, "unknown weapon class"); return 1; }
    e.s = keep(L, f[1]);
    e.s2 = keep(L, f[2]);
    e.a = atoi(f[3]);
    return add_list(L, f[0], &e) ? 1 : 0;
}

static int on_actors(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 5) { fail(L, lineno, "expected: canonical, kind, side, speaks_for, aliases"); return 1; }
    tly_lexent e = {0};
    e.type = LX_ACTOR;
    e.s = keep(L, f[0]);
    e.s2 = keep(L, f[1]);
    e.side = keep(L, f[2]);
    e.speaks_for = keep(L, f[3]);
    if (!e.s || !e.s2) { fail(L, lineno, "empty canonical or kind"); return 1; }
    if (add_phrase(L, f[0], &e)) return 1;
    return add_list(L, f[4], &e) ? 1 : 0;
}

static int on_roles(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 4) { fail(L, lineno, "expected: role_phrases, template, kind, perpetrator_ok"); return 1; }
    tly_lexent e = {0};
    e.type = LX_ROLE;
    e.plural = 1;
    e.s = keep(L, f[1]);
    e.s2 = keep(L, f[2]);
    e.a = atoi(f[3]);
    if (!e.s) { fail(L, lineno, "empty template"); return 1; }
    return add_list(L, f[0], &e) ? 1 : 0;
}

static int on_anaphors(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    if (nf < 2) { fail(L, lineno, "expected: phrase, refers_to"); return 1; }
    tly_lexent e = {0};
    e.type = LX_ANAPHOR;
    e.s = keep(L, f[1]);
    return add_list(L, f[0], &e) ? 1 : 0;
}

/* Folds a rule's word into out (cap bytes); its length, or -1 when it does not fit. */
static int fold_field(const char *f, char *out, size_t cap) {
    if (!strcmp(f, "-")) { out[0] = 0; return 0; }
    size_t n = tly_fold(f, strlen(f), out, cap);
    if (n >= cap) return -1;
    out[n] = 0;
    return (int)n;
}

/* morphology.tsv, one rule a line:
 *   plural	strip	add	min_len: how a plural is made, in the order the
 *     matcher reports the forms;
 *   case	strip	add	min_stem: an inflected ending and the ending of the
 *     form a place name is looked up by ("донецке" -> "донецк");
 *   translit	letter	latin: how a letter is written in the gazetteer's
 *     script. */
static int on_case(loader *L, char **f, int nf, int lineno) {
    tally_lexicon *lex = L->lex;
    if (nf < 4) { fail(L, lineno, "expected: case, strip, add, min_stem"); return 1; }
    struct tly_case_rule *r = &lex->case_rule[lex->ncase_rules];
    int sl = fold_field(f[1], r->strip, sizeof r->strip), al = fold_field(f[2], r->add, sizeof r->add);
    int ms = atoi(f[3]);
    if (lex->ncase_rules == TLY_MAX_CASE_RULES || sl <= 0 || al < 0 || ms < 1 || ms > 16) {
        fail(L, lineno, "bad case rule");
        return 1;
    }
    r->strip_len = (uint8_t)sl;
    r->add_len = (uint8_t)al;
    r->min_stem = (uint8_t)ms;
    lex->ncase_rules++;
    return 0;
}

static int on_translit(loader *L, char **f, int nf, int lineno) {
    tally_lexicon *lex = L->lex;
    if (nf < 3) { fail(L, lineno, "expected: translit, letter, latin"); return 1; }
    char letter[8];
    int32_t cp;
    int ll = fold_field(f[1], letter, sizeof letter);
    struct tly_translit *t = &lex->translit[lex->ntranslit];
    int tl = strcmp(f[2], "-") ? (int)strlen(f[2]) : 0;
    if (lex->ntranslit == TLY_MAX_TRANSLIT || ll <= 0 || tly_utf8_decode((const unsigned char *)letter, (size_t)ll, &cp) != (size_t)ll ||
        tl >= (int)sizeof t->to) {
        fail(L, lineno, "bad translit rule");
        return 1;
    }
    t->cp = cp;
    memcpy(t->to, f[2], (size_t)tl);
    t->to[tl] = 0;
    lex->ntranslit++;
    return 0;
}

static int on_morphology(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    tally_lexicon *lex = L->lex;
    if (!strcmp(f[0], "case")) return on_case(L, f, nf, lineno);
    if (!strcmp(f[0], "translit")) return on_translit(L, f, nf, lineno);
    if (strcmp(f[0], "plural")) { fail(L, lineno, "unknown rule (plural, case, translit)"); return 1; }
    if (nf < 4) { fail(L, lineno, "expected: plural, strip, add, min_len"); return 1; }
    const char *strip = strcmp(f[1], "-") ? f[1] : "";
    size_t sl = strlen(strip), al = strlen(f[2]);
    int ml = atoi(f[3]);
    if (lex->nplural_rules == TLY_MAX_PLURAL_RULES || sl >= sizeof lex->plural_rule[0].strip || !al ||
        al >= sizeof lex->plural_rule[0].add || ml < 1 || ml > 64) {
        fail(L, lineno, "bad plural rule");
        return 1;
    }
    struct tly_plural_rule *r = &lex->plural_rule[lex->nplural_rules++];
    memcpy(r->strip, strip, sl + 1);
    memcpy(r->add, f[2], al + 1);
    r->strip_len = (uint8_t)sl;
    r->add_len = (uint8_t)al;
    r->min_len = (uint8_t)ml;
    if ((int)al - (int)sl > lex->plural_growth) lex->plural_growth = (int)al - (int)sl;
    if (lex->nplural_rules == 1 || (size_t)ml < lex->plural_min) lex->plural_min = (size_t)ml;
    lex->plural_last[(unsigned char)f[2][al - 1]] = 1;
    return 0;
}

/* A list of words kept as the sorted hashes of their folded forms
 * (abbreviations, given names): one line, one word. */
typedef struct hashlist { loader *L; uint32_t *h; size_t n, cap; } hashlist;
static int on_hashlist(void *ctx, char **f, int nf, int lineno) {
    hashlist *A = ctx;
    (void)nf; (void)lineno;
    char buf[64];
    size_t n = tly_fold(f[0], strlen(f[0]), buf, sizeof buf);
    if (n >= sizeof buf) return 0;
    if (A->n == A->cap) {
        size_t nc = A->cap ? A->cap * 2 : 128;
        uint32_t *nh = tly_arena_alloc(&A->L->lex->arena, nc * sizeof *nh);
        if (!nh) return 1;
        if (A->n) memcpy(nh, A->h, A->n * sizeof *nh);
        A->h = nh;
        A->cap = nc;
    }
    A->h[A->n++] = tly_hash(buf, n);
    return 0;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int on_countries(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    (void)lineno;
    if (nf < 4 || strlen(f[0]) != 2 || f[0][0] < 'A' || f[0][0] > 'Z' || f[0][1] < 'A' || f[0][1] > 'Z') return 0;
    if (!strcmp(f[3], "-") || !f[3][0]) return 0;
    size_t l = strcspn(f[3], "|");
    L->lex->demonym[(f[0][0] - 'A') * 26 + (f[0][1] - 'A')] = tly_arena_strndup(&L->lex->arena, f[3], l);
    return 0;
}

const char *tly_lex_demonym(const tally_lexicon *lex, const char *iso2) {
    if (!iso2 || iso2[0] < 'A' || iso2[0] > 'Z' || iso2[1] < 'A' || iso2[1] > 'Z') return NULL;
    return lex->demonym[(iso2[0] - 'A') * 26 + (iso2[1] - 'A')];
}

/* grammar.tsv: "suffix_ving ing", "suffix_ved ed", "min_stem 3", "demonym_case lower" */
static int on_grammar(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    static const char *const names[GR_NSUFFIX] = {"suffix_ving", "suffix_ved"};
    if (nf < 2) { fail(L, lineno, "expected: setting, value"); return 1; }
    if (!strcmp(f[0], "min_stem")) { L->lex->min_stem = (size_t)atoi(f[1]); return 0; }
    if (!strcmp(f[0], "demonym_case")) { L->lex->lower_demonyms = !strcmp(f[1], "lower"); return 0; }
    for (int k = 0; k < GR_NSUFFIX; k++)
        if (!strcmp(f[0], names[k])) {
            L->lex->suffix[k] = keep(L, f[1]);
            L->lex->suffix_len[k] = strlen(f[1]);
            return L->lex->suffix[k] ? 0 : 1;
        }
    fail(L, lineno, "unknown setting");
    return 1;
}

int tly_lex_has_suffix(const tally_lexicon *lex, const tly_tok *t, int form) {
    const char *s = lex->suffix[form];
    size_t l = lex->suffix_len[form];
    if (!s || !(t->flags & TK_WORD) || (t->flags & TK_CAP) || t->len < l + lex->min_stem) return 0;
    return !memcmp(t->norm + t->len - l, s, l);
}

int tly_lex_is_given_name(const tally_lexicon *lex, const char *folded, size_t len) {
    uint32_t h = tly_hash(folded, len);
    return bsearch(&h, lex->given, lex->ngiven, sizeof h, cmp_u32) != NULL;
}

int tly_lex_is_abbrev(const void *ctx, const char *folded, size_t len) {
    const tally_lexicon *lex = ctx;
    uint32_t h = tly_hash(folded, len);
    return bsearch(&h, lex->abbrev, lex->nabbrev, sizeof h, cmp_u32) != NULL;
}

/* places.tsv: "names	english": the language's names of a place whose
 * gazetteer name is no transliteration ("Азербайджан|Азербайджанская
 * Республика	Azerbaijan"), in the form the case rules make. */
static int on_places(void *ctx, char **f, int nf, int lineno) {
    loader *L = ctx;
    tally_lexicon *lex = L->lex;
    if (nf < 2) { fail(L, lineno, "expected: names, english"); return 1; }
    char en[TLY_GAZ_ALT_KEY];
    if (fold_field(f[1], en, sizeof en) <= 0) { fail(L, lineno, "bad english name"); return 1; }
    const char *enk = tly_arena_strndup(&lex->arena, en, strlen(en));
    if (!enk) return 1;
    for (const char *p = f[0]; *p;) {
        const char *q = strchr(p, '|');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        char name[TLY_GAZ_ALT_KEY];
        size_t fl = tly_fold(p, n, name, sizeof name);
        if (fl >= sizeof name || !fl) { fail(L, lineno, "bad name"); return 1; }
        if (!tly_heap_reserve(NULL, &lex->place_names, &lex->place_names_cap, lex->nplace_names + 1, 64)) return 1;
        const char *nk = tly_arena_strndup(&lex->arena, name, fl);
        if (!nk) return 1;
        lex->place_names[lex->nplace_names++] = (struct tly_place_name){nk, enk};
        if (!q) break;
        p = q + 1;
    }
    return 0;
}

static int cmp_place_name(const void *a, const void *b) {
    return strcmp(((const struct tly_place_name *)a)->name, ((const struct tly_place_name *)b)->name);
}

/* The first place name not before s (places are sorted by name). */
static size_t place_name_from(const tally_lexicon *lex, const char *s) {
    size_t lo = 0, hi = lex->nplace_names;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (strcmp(lex->place_names[m].name, s) < 0) lo = m + 1;
        else hi = m;
    }
    return lo;
}

/* Writes word w (n bytes) in the gazetteer's script into out; 0 when a
 * letter has no rule. */
static int translit_word(const tally_lexicon *lex, const char *w, size_t n, char *out, size_t cap, size_t *o) {
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t l = tly_utf8_decode((const unsigned char *)w + i, n - i, &cp);
        if (!l) return 0;
        const char *to = NULL;
        char one[2] = {0, 0};
        if (cp < 0x80) { one[0] = (char)cp; to = one; }
        else
            for (int k = 0; k < lex->ntranslit && !to; k++)
                if (lex->translit[k].cp == cp) to = lex->translit[k].to;
        if (!to) return 0;
        size_t tl = strlen(to);
        if (*o + tl >= cap) return 0;
        memcpy(out + *o, to, tl);
        *o += tl;
        i += l;
    }
    return 1;
}

static size_t utf8_letters(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* tly_gaz_alt_fn: the keys a name in the language's own script may have in
 * the gazetteer. Each word of the name is tried as written and with each
 * case rule that applies (the form it is looked up by); each such name is
 * looked up in places.tsv, else transliterated. */
#define ALT_WORDS 4
#define ALT_FORMS 8
static size_t lex_alt_keys(const void *ctx, const char *key, size_t len, int prefix,
                           char (*out)[TLY_GAZ_ALT_KEY], size_t max) {
    const tally_lexicon *lex = ctx;
    size_t i = 0;
    while (i < len && (unsigned char)key[i] < 0x80) i++;
    if (i == len || len >= TLY_GAZ_ALT_KEY) return 0; /* the gazetteer's own script: nothing to try */
    char form[ALT_WORDS][ALT_FORMS][64];
    int nform[ALT_WORDS];
    char sep[ALT_WORDS];
    int nw = 0;
    for (size_t p = 0; p < len;) {
        size_t e = p;
        while (e < len && key[e] != ' ' && key[e] != '-') e++;
        if (nw == ALT_WORDS || e - p >= sizeof form[0][0]) return 0;
        size_t wl = e - p;
        memcpy(form[nw][0], key + p, wl);
        form[nw][0][wl] = 0;
        int nf = 1;
        for (int r = 0; r < lex->ncase_rules && nf < ALT_FORMS; r++) {
            const struct tly_case_rule *c = &lex->case_rule[r];
            if (wl <= c->strip_len || memcmp(key + e - c->strip_len, c->strip, c->strip_len) ||
                utf8_letters(key + p, wl - c->strip_len) < c->min_stem)
                continue;
            size_t stem = wl - c->strip_len;
            if (stem + c->add_len >= sizeof form[0][0]) continue;
            memcpy(form[nw][nf], key + p, stem);
            memcpy(form[nw][nf] + stem, c->add, c->add_len);
            form[nw][nf][stem + c->add_len] = 0;
            nf++;
        }
        nform[nw] = nf;
        sep[nw] = e < len ? key[e] : 0;
        nw++;
        p = e < len ? e + 1 : e;
    }
    size_t n = 0;
    int at[ALT_WORDS] = {0};
    for (int combos = 0; combos < 64 && n < max; combos++) {
        char s[TLY_GAZ_ALT_KEY], lat[TLY_GAZ_ALT_KEY];
        size_t sl = 0, ll = 0;
        int ok = 1;
        for (int w = 0; w < nw && ok; w++) {
            const char *fw = form[w][at[w]];
            size_t fl = strlen(fw);
            if (sl + fl + 1 >= sizeof s) { ok = 0; break; }
            memcpy(s + sl, fw, fl);
            sl += fl;
            ok = translit_word(lex, fw, fl, lat, sizeof lat - 1, &ll);
            if (sep[w] && ok) { s[sl++] = sep[w]; lat[ll++] = sep[w]; }
        }
        s[sl] = 0;
        /* the language's own name of the place */
        size_t k = place_name_from(lex, s);
        if (k < lex->nplace_names) {
            const struct tly_place_name *pn = &lex->place_names[k];
            if (!prefix && !strcmp(pn->name, s)) snprintf(out[n++], TLY_GAZ_ALT_KEY, "%s", pn->en);
            else if (prefix && !strncmp(pn->name, s, sl) && (pn->name[sl] == ' ' || pn->name[sl] == '-')) {
                const char *cut = pn->en + strlen(pn->en);
                while (cut > pn->en && cut[-1] != ' ' && cut[-1] != '-') cut--;
                if (cut > pn->en + 1) snprintf(out[n++], TLY_GAZ_ALT_KEY, "%.*s", (int)(cut - 1 - pn->en), pn->en);
            }
        }
        if (ok && lex->ntranslit && n < max) {
            lat[ll] = 0;
            snprintf(out[n++], TLY_GAZ_ALT_KEY, "%s", lat);
        }
        /* the next combination: the last word's forms first */
        int w = nw - 1;
        while (w >= 0 && ++at[w] == nform[w]) at[w--] = 0;
        if (w < 0) break;
    }
    return n;
}

static int load_file(loader *L, const char *data_dir, const char *name, tly_tsv_fn fn, void *ctx,
                     int required) {
    size_t len = 0;
    const char *d = tly_data_get(data_dir, &L->tmp, name, &len);
    snprintf(L->path, sizeof L->path, "%s", name);
    L->file = L->path;
    if (!d) {
        if (!required) return 0;
        fail(L, 0, "data file missing");
        return -1;
    }
    if (tly_tsv_each(&L->tmp, d, len, fn, ctx) < 0) {
        if (!L->failed) fail(L, 0, "out of memory");
        return -1;
    }
    return 0;
}

/* Entries are grouped by their first token, longest first within a group,
 * so that the matcher reports longer phrases first. */
static int cmp_entry(const tally_lexicon *lex, uint32_t a, uint32_t b) {
    const tly_lexent *x = &lex->ent[a], *y = &lex->ent[b];
    int c = strcmp(x->tn[0], y->tn[0]);
    if (c) return c;
    if (x->ntok != y->ntok) return y->ntok - x->ntok;
    return a < b ? -1 : 1; /* file order among equals */
}

static int cmp_entry_sort(const void *a, const void *b, void *ctx) {
    return cmp_entry(ctx, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* ------------------------------------------------------------ second-level index */
typedef struct { uint32_t head, hash, pos; } bg_tuple;

static int cmp_bg(const void *a, const void *b) {
    const bg_tuple *x = a, *y = b;
    if (x->head != y->head) return x->head < y->head ? -1 : 1;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static uint32_t bg_mix(uint32_t head, uint32_t hash) {
    uint32_t h = hash ^ (head * 0x9E3779B1u);
    h ^= h >> 15;
    h *= 0x85EBCA77u;
    h ^= h >> 13;
    return h;
}

/* Whether plural rule r applies to a folded singular n of l bytes. */
static int rule_applies(const struct tly_plural_rule *r, const char *n, size_t l) {
    return l > r->strip_len && !memcmp(n + l - r->strip_len, r->strip, r->strip_len);
}

/* The plural forms plural_eq() accepts for a folded word n, one per rule of
 * morphology.tsv that applies (en: n+"s", n+"es", n-"y"+"ies"). Writes them
 * NUL-terminated into f[][128]; none when the longest would not fit.
 * form_c[k] says which rule made form k. */
static int plural_forms(const tally_lexicon *lex, const char *n, char f[][128], int form_c[]) {
    size_t l = strlen(n);
    int k = 0;
    if (l + (size_t)lex->plural_growth >= 128) return 0;
    for (int q = 0; q < lex->nplural_rules; q++) {
        const struct tly_plural_rule *r = &lex->plural_rule[q];
        if (!rule_applies(r, n, l)) continue;
        memcpy(f[k], n, l - r->strip_len);
        memcpy(f[k] + l - r->strip_len, r->add, (size_t)r->add_len + 1);
        form_c[k++] = q;
    }
    return k;
}

static int build_bigrams(tally_lexicon *lex) {
    size_t cap = 0;
    for (size_t h = 0; h < lex->nheads; h++) cap += (size_t)lex->heads[h].nmulti * (1 + (size_t)lex->nplural_rules);
    bg_tuple *t = malloc((cap ? cap : 1) * sizeof *t);
    if (!t) return -1;
    size_t nt = 0;
    for (size_t h = 0; h < lex->nheads; h++) {
        const struct tly_lexhead *hd = &lex->heads[h];
        for (uint32_t k = hd->first; k < hd->first + hd->nmulti; k++) {
            const tly_lexent *e = &lex->ent[lex->order[k]];
            t[nt++] = (bg_tuple){(uint32_t)h, e->th[1], k};
            if (e->plural && e->ntok == 2) {
                char f[TLY_MAX_PLURAL_RULES][128];
                int fc[TLY_MAX_PLURAL_RULES];
                int nf = plural_forms(lex, e->tn[1], f, fc);
                for (int q = 0; q < nf; q++) t[nt++] = (bg_tuple){(uint32_t)h, tly_hash(f[q], strlen(f[q])), k};
            }
        }
    }
    if (nt) qsort(t, nt, sizeof *t, cmp_bg);
    size_t nu = 0, nb = 0;
    for (size_t i = 0; i < nt; i++) {
        if (nu && !cmp_bg(&t[nu - 1], &t[i])) continue; /* the same position twice (a hash collision) */
        if (!nu || t[nu - 1].head != t[i].head || t[nu - 1].hash != t[i].hash) nb++;
        t[nu++] = t[i];
    }
    size_t ns = 8;
    while (ns < nb * 2) ns <<= 1;
    lex->bigrams = tly_arena_calloc(&lex->arena, nb ? nb : 1, sizeof *lex->bigrams);
    lex->bgpos = tly_arena_alloc(&lex->arena, (nu ? nu : 1) * sizeof *lex->bgpos);
    lex->bgslots = tly_arena_calloc(&lex->arena, ns, sizeof *lex->bgslots);
    if (!lex->bigrams || !lex->bgpos || !lex->bgslots) { free(t); return -1; }
    lex->nbgslots = ns;
    nb = 0;
    for (size_t i = 0; i < nu; i++) {
        lex->bgpos[i] = t[i].pos;
        if (!i || t[i - 1].head != t[i].head || t[i - 1].hash != t[i].hash) {
            struct tly_lexbigram *b = &lex->bigrams[nb++];
            *b = (struct tly_lexbigram){t[i].head, t[i].hash, (uint32_t)i, 0};
            size_t sl = bg_mix(b->head, b->hash) & (ns - 1);
            while (lex->bgslots[sl]) sl = (sl + 1) & (ns - 1);
            lex->bgslots[sl] = (uint32_t)nb;
        }
        lex->bigrams[nb - 1].count++;
    }
    free(t);
    return 0;
}

static const struct tly_lexbigram *find_bigram(const tally_lexicon *lex, uint32_t head, uint32_t hash) {
    for (size_t sl = bg_mix(head, hash) & (lex->nbgslots - 1);; sl = (sl + 1) & (lex->nbgslots - 1)) {
        uint32_t k = lex->bgslots[sl];
        if (!k) return NULL;
        const struct tly_lexbigram *b = &lex->bigrams[k - 1];
        if (b->head == head && b->hash == hash) return b;
    }
}

typedef struct { const char *form; uint32_t hash; int c; uint32_t pos, ent; } pl_tuple;

static int cmp_pl(const void *a, const void *b) {
    const pl_tuple *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    int c = strcmp(x->form, y->form);
    if (c) return c;
    if (x->c != y->c) return x->c - y->c;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* One-token pluralizable entries, filed under their plural forms, so that a
 * plural word costs one probe. A form must be as long as its rule's min_len
 * (what a singular made back from the word would be; en: -s needs 3+
 * letters, -es 4+, -ies 5+). */
static int build_plurals(tally_lexicon *lex) {
    size_t cap = 0;
    for (size_t i = 0; i < lex->nent; i++)
        if (lex->ent[i].plural && lex->ent[i].ntok == 1) cap += (size_t)lex->nplural_rules;
    pl_tuple *t = malloc((cap ? cap : 1) * sizeof *t);
    if (!t) return -1;
    size_t nt = 0;
    for (size_t h = 0; h < lex->nheads; h++) {
        const struct tly_lexhead *hd = &lex->heads[h];
        for (uint32_t k = hd->first + hd->nmulti; k < hd->first + hd->count; k++) {
            const tly_lexent *e = &lex->ent[lex->order[k]];
            if (!e->plural || e->ntok != 1) continue;
            char f[TLY_MAX_PLURAL_RULES][128];
            int fc[TLY_MAX_PLURAL_RULES];
            int nf = plural_forms(lex, e->tn[0], f, fc);
            for (int q = 0; q < nf; q++) {
                size_t fl = strlen(f[q]);
                if (fl < lex->plural_rule[fc[q]].min_len) continue;
                char *form = tly_arena_strndup(&lex->arena, f[q], fl);
                if (!form) { free(t); return -1; }
                t[nt++] = (pl_tuple){form, tly_hash(form, fl), fc[q], k, lex->order[k]};
            }
        }
    }
    if (nt) qsort(t, nt, sizeof *t, cmp_pl);
    size_t np = 0;
    for (size_t i = 0; i < nt; i++)
        if (!i || t[i - 1].hash != t[i].hash || strcmp(t[i - 1].form, t[i].form)) np++;
    size_t ns = 8;
    while (ns < np * 2) ns <<= 1;
    lex->plurals = tly_arena_calloc(&lex->arena, np ? np : 1, sizeof *lex->plurals);
    lex->plpos = tly_arena_alloc(&lex->arena, (nt ? nt : 1) * sizeof *lex->plpos);
    lex->plslots = tly_arena_calloc(&lex->arena, ns, sizeof *lex->plslots);
    if (!lex->plurals || !lex->plpos || !lex->plslots) { free(t); return -1; }
    lex->nplslots = ns;
    np = 0;
    for (size_t i = 0; i < nt; i++) {
        lex->plpos[i] = t[i].ent;
        if (!i || t[i - 1].hash != t[i].hash || strcmp(t[i - 1].form, t[i].form)) {
            struct tly_lexplural *p = &lex->plurals[np++];
            *p = (struct tly_lexplural){t[i].hash, (uint32_t)i, 0, t[i].form};
            size_t sl = p->hash & (ns - 1);
            while (lex->plslots[sl]) sl = (sl + 1) & (ns - 1);
            lex->plslots[sl] = (uint32_t)np;
        }
        lex->plurals[np - 1].count++;
    }
    free(t);
    return 0;
}

static const struct tly_lexplural *find_plural(const tally_lexicon *lex, uint32_t h, const char *tok) {
    for (size_t sl = h & (lex->nplslots - 1);; sl = (sl + 1) & (lex->nplslots - 1)) {
        uint32_t k = lex->plslots[sl];
        if (!k) return NULL;
        const struct tly_lexplural *p = &lex->plurals[k - 1];
        if (p->hash == h && !strcmp(p->form, tok)) return p;
    }
}

static int build_index(tally_lexicon *lex) {
    size_t n = lex->nent;
    lex->order = tly_arena_alloc(&lex->arena, (n ? n : 1) * sizeof *lex->order);
    if (!lex->order) return -1;
    for (size_t i = 0; i < n; i++) lex->order[i] = (uint32_t)i;
    uint32_t *tmp = tly_arena_alloc(&lex->arena, (n ? n : 1) * sizeof *tmp);
    if (!tmp) return -1;
    tly_sort(lex->order, tmp, n, sizeof *lex->order, cmp_entry_sort, (void *)lex);
    size_t nh = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || strcmp(lex->ent[lex->order[i]].tn[0], lex->ent[lex->order[i - 1]].tn[0])) nh++;
    lex->heads = tly_arena_calloc(&lex->arena, nh ? nh : 1, sizeof *lex->heads);
    size_t ns = 8;
    while (ns < nh * 2) ns <<= 1;
    lex->slots = tly_arena_calloc(&lex->arena, ns, sizeof *lex->slots);
    if (!lex->heads || !lex->slots) return -1;
    lex->nslots = ns;
    nh = 0;
    for (size_t i = 0; i < n; i++) {
        const tly_lexent *e = &lex->ent[lex->order[i]];
        if (i == 0 || strcmp(e->tn[0], lex->ent[lex->order[i - 1]].tn[0])) {
            struct tly_lexhead *h = &lex->heads[nh++];
            h->hash = e->th[0];
            h->tok = e->tn[0];
            h->first = (uint32_t)i;
            size_t sl = h->hash & (ns - 1);
            while (lex->slots[sl]) sl = (sl + 1) & (ns - 1);
            lex->slots[sl] = (uint32_t)nh;
        }
        lex->heads[nh - 1].count++;
        if (e->ntok > 1) lex->heads[nh - 1].nmulti++;
    }
    lex->nheads = nh;
    return build_bigrams(lex) || build_plurals(lex) ? -1 : 0;
}

static const struct tly_lexhead *find_head(const tally_lexicon *lex, uint32_t h, const char *tok) {
    if (!lex->nslots) return NULL;
    for (size_t sl = h & (lex->nslots - 1);; sl = (sl + 1) & (lex->nslots - 1)) {
        uint32_t k = lex->slots[sl];
        if (!k) return NULL;
        const struct tly_lexhead *hd = &lex->heads[k - 1];
        if (hd->hash == h && !strcmp(hd->tok, tok)) return hd;
    }
}

size_t tly_lex_headed(const tally_lexicon *lex, const char *w, const uint32_t **ent) {
    const struct tly_lexhead *hd = find_head(lex, tly_hash(w, strlen(w)), w);
    *ent = hd ? lex->order + hd->first : NULL;
    return hd ? hd->count : 0;
}

static int tok_eq(const tly_tok *t, uint32_t h, const char *n) {
    return t->hash == h && !strcmp(t->norm, n);
}

/* Token t is a plural form of the folded singular n (a rule of morphology.tsv). */
static int plural_eq(const tally_lexicon *lex, const tly_tok *t, const char *n) {
    if (!t->norm) return 0;
    size_t l = strlen(n);
    for (int q = 0; q < lex->nplural_rules; q++) {
        const struct tly_plural_rule *r = &lex->plural_rule[q];
        size_t stem = l - r->strip_len;
        if (rule_applies(r, n, l) && t->len == stem + r->add_len && !strncmp(t->norm, n, stem) &&
            !strcmp(t->norm + stem, r->add))
            return 1;
    }
    return 0;
}

int tly_lex_looks_plural(const tally_lexicon *lex, const tly_tok *t, size_t min_len) {
    if (t->len < min_len || !t->len || !t->norm) return 0;
    for (int q = 0; q < lex->nplural_rules; q++) {
        const struct tly_plural_rule *r = &lex->plural_rule[q];
        if (t->len > r->add_len && !memcmp(t->norm + t->len - r->add_len, r->add, r->add_len)) return 1;
    }
    return 0;
}

/* Whether entry e matches the tokens at i (its first token is known to). */
static int entry_at(const tally_lexicon *lex, const tly_lexent *e, const tly_tok *toks, size_t n, size_t i) {
    if (i + e->ntok > n) return 0;
    for (size_t j = 1; j < e->ntok; j++) {
        const tly_tok *t = &toks[i + j];
        if (t->sent != toks[i].sent) return 0;
        if (tok_eq(t, e->th[j], e->tn[j])) continue;
        if (e->plural && j + 1 == e->ntok && plural_eq(lex, t, e->tn[j])) continue;
        return 0;
    }
    return 1;
}

size_t tly_lex_match(const tally_lexicon *lex, const tly_tok *toks, size_t n, size_t i,
                     const tly_lexent **out, size_t max) {
    if (i >= n) return 0;
    size_t found = 0;
    const tly_tok *t0 = &toks[i];
    const struct tly_lexhead *hd = find_head(lex, t0->hash, t0->norm);
    if (hd) {
        /* phrases of 2+ tokens: only those filed under the next token */
        if (hd->nmulti && i + 1 < n && toks[i + 1].sent == t0->sent) {
            const struct tly_lexbigram *b = find_bigram(lex, (uint32_t)(hd - lex->heads), toks[i + 1].hash);
            for (uint32_t q = 0; b && q < b->count && found < max; q++) {
                const tly_lexent *e = &lex->ent[lex->order[lex->bgpos[b->first + q]]];
                if (entry_at(lex, e, toks, n, i)) out[found++] = e;
            }
        }
        for (uint32_t k = hd->first + hd->nmulti; k < hd->first + hd->count && found < max; k++)
            out[found++] = &lex->ent[lex->order[k]];
    }
    /* a plural of a one-word pluralizable entry */
    if (found < max && t0->len >= lex->plural_min && lex->plural_last[(unsigned char)t0->norm[t0->len - 1]]) {
        const struct tly_lexplural *p = find_plural(lex, t0->hash, t0->norm);
        for (uint32_t q = 0; p && q < p->count && found < max; q++) out[found++] = &lex->ent[lex->plpos[p->first + q]];
    }
    return found;
}

tally_status tally_lexicon_open(const tally_lexicon_options *opt, tally_lexicon **out,
                                tally_error *err) {
    if (err) memset(err, 0, sizeof *err);
    if (!out) return TALLY_ERR_USAGE;
    *out = NULL;
    const tally_alc *alc = (opt && opt->alc) ? opt->alc : tly_default_alc();
    tally_lexicon *lex = alc->malloc(alc->ctx, sizeof *lex);
    if (!lex) return TALLY_ERR_NOMEM;
    memset(lex, 0, sizeof *lex);
    lex->alc = alc;
    tly_arena_init(&lex->arena, alc);
    loader L = {0};
    L.lex = lex;
    L.err = err;
    tly_arena_init(&L.tmp, alc);
    const char *dd = opt ? opt->data_dir : NULL;
    /* the language: its pack data/<lang>/ and its grammar module */
    const char *lang = opt && opt->lang ? opt->lang : "en";
    size_t ll = strspn(lang, "abcdefghijklmnopqrstuvwxyz0123456789_-");
    size_t plen = 0;
    char probe[64];
    snprintf(probe, sizeof probe, "%s/cues.tsv", lang);
    int has_pack = ll && !lang[ll] && ll <= 16 && tly_data_get(dd, &L.tmp, probe, &plen);
    if (!has_pack || !(lex->grammar = tly_grammar_for(lang))) {
        if (err) {
            err->code = TALLY_ERR_DATA;
            snprintf(err->doc, sizeof err->doc, "%.200s", lang);
            snprintf(err->message, sizeof err->message,
                     has_pack ? "no grammar for the language '%.200s'" : "no language pack for '%.200s'", lang);
        }
        tly_arena_free(&L.tmp);
        tally_lexicon_close(lex);
        return TALLY_ERR_DATA;
    }
    lex->lang = tly_arena_strndup(&lex->arena, lang, ll);
    if (!lex->lang) { tly_arena_free(&L.tmp); tally_lexicon_close(lex); return TALLY_ERR_NOMEM; }
    hashlist A = {&L, NULL, 0, 0};
    hashlist G = {&L, NULL, 0, 0};
    static const struct {
        const char *file;
        tly_tsv_fn fn;
        int ctx; /* 0: the loader, 1: abbreviations, 2: given names */
        int required;
    } pack[] = {
        {"morphology.tsv", on_morphology, 0, 1}, {"grammar.tsv", on_grammar, 0, 1},
        {"numbers.tsv", on_numbers, 0, 1},
        {"qualifiers.tsv", on_quals, 0, 1},      {"outcomes.tsv", on_outcomes, 0, 1},
        {"victims.tsv", on_victims, 0, 1},       {"cues.tsv", on_cues, 0, 1},
        {"weapons.tsv", on_weapons, 0, 0},       {"actors.tsv", on_actors, 0, 0},
        {"roles.tsv", on_roles, 0, 0},           {"anaphors.tsv", on_anaphors, 0, 0},
        {"abbrev.tsv", on_hashlist, 1, 1},       {"given_names.tsv", on_hashlist, 2, 1},
        {"places.tsv", on_places, 0, 0},
    };
    int rc = 0;
    for (size_t k = 0; k < sizeof pack / sizeof pack[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s/%s", lang, pack[k].file);
        void *ctx = pack[k].ctx == 1 ? (void *)&A : pack[k].ctx == 2 ? (void *)&G : (void *)&L;
        rc |= load_file(&L, dd, name, pack[k].fn, ctx, pack[k].required);
    }
    rc |= load_file(&L, dd, "places/countries.tsv", on_countries, &L, 0);
    if (!rc && !L.failed && !lex->nplural_rules) { L.file = "morphology.tsv"; fail(&L, 0, "no plural rule"); }
    if (!rc && !L.failed) {
        lex->abbrev = A.h;
        lex->nabbrev = A.n;
        if (A.n) qsort(lex->abbrev, A.n, sizeof *lex->abbrev, cmp_u32);
        lex->given = G.h;
        lex->ngiven = G.n;
        if (G.n) qsort(lex->given, G.n, sizeof *lex->given, cmp_u32);
        if (lex->nplace_names) qsort(lex->place_names, lex->nplace_names, sizeof *lex->place_names, cmp_place_name);
        if (build_index(lex)) { rc = -1; fail(&L, 0, "out of memory"); }
        else lex->scan = tly_scan_build(lex); /* NULL: every document takes the whole pipeline */
    }
    tly_arena_free(&L.tmp);
    if (rc || L.failed) {
        tally_lexicon_close(lex);
        return err && err->code ? err->code : TALLY_ERR_DATA;
    }

    /* the gazetteer: optional, but say so through tally_lexicon_place_count */
    const char *gp = opt ? opt->gazetteer_path : NULL;
    if (!gp) gp = getenv("TALLY_GAZETTEER");
    tally_error gerr;
    if (gp) lex->gaz = tly_gaz_open(gp, alc, &gerr);
    else {
#ifdef TALLY_GAZETTEER_BUILD
        lex->gaz = tly_gaz_open(TALLY_GAZETTEER_BUILD, alc, &gerr);
#endif
#ifdef TALLY_GAZETTEER_INSTALL
        if (!lex->gaz) lex->gaz = tly_gaz_open(TALLY_GAZETTEER_INSTALL, alc, &gerr);
#endif
    }
    if (lex->gaz && (lex->ncase_rules || lex->ntranslit || lex->nplace_names))
        tly_gaz_set_alt(lex->gaz, lex_alt_keys, lex);
    if (gp && !lex->gaz) {
        if (err) *err = gerr;
        tally_lexicon_close(lex);
        return TALLY_ERR_DATA;
    }
    lex->timex = tly_timex_rules_load(dd, lang, alc, err);
    if (!lex->timex) {
        tally_lexicon_close(lex);
        return err && err->code ? err->code : TALLY_ERR_DATA;
    }
    *out = lex;
    return TALLY_OK;
}

void tally_lexicon_close(tally_lexicon *lex) {
    if (!lex) return;
    if (lex->gaz) tly_gaz_close(lex->gaz);
    if (lex->timex) tly_timex_rules_free(lex->timex);
    free(lex->ent);
    free(lex->place_names);
    tly_arena_free(&lex->arena);
    lex->alc->free(lex->alc->ctx, lex);
}

size_t tally_lexicon_place_count(const tally_lexicon *lex) {
    return lex && lex->gaz ? tly_gaz_count(lex->gaz) : 0;
}
