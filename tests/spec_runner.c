/*
 * spec_runner.c -- runs the extraction spec cases of the tests/spec files.
 *
 * usage: spec_runner [--verbose] [--lang CODE] FILE.spec...
 *
 * --lang runs the cases with that language's pack (data/CODE/; default en):
 * tests/spec/ru/ holds the Russian cases.
 *
 * Each case is a short text with the claims a careful annotator expects
 * (docs/spec-format.md describes the format). The runner feeds the text to
 * tally_extract through the public API only, compares the produced claims
 * with the expected ones, prints a report for every failing case and ends
 * with one line "N passed, N failed" (", N skipped" when xfail cases were
 * met). It exits 0 iff no case failed.
 */
#include "tally.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Small growable string                                               */
/* ------------------------------------------------------------------ */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void die_nomem(void)
{
    fputs("spec_runner: out of memory\n", stderr);
    exit(2);
}

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np)
            die_nomem();
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        sb_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        die_nomem();
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_add(b, big, (size_t)n);
    free(big);
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        die_nomem();
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ------------------------------------------------------------------ */
/* Name folding and lenient comparison                                 */
/* ------------------------------------------------------------------ */

/* Maps one code point to a lower-case ASCII letter when it is a Latin
 * letter with a diacritic (or a Turkic/Azerbaijani letter); 0 otherwise. */
static int fold_cp(uint32_t cp)
{
    if (cp >= 0xC0 && cp <= 0xC5) return 'a';
    if (cp >= 0xE0 && cp <= 0xE5) return 'a';
    if (cp == 0xC7 || cp == 0xE7) return 'c';
    if (cp >= 0xC8 && cp <= 0xCB) return 'e';
    if (cp >= 0xE8 && cp <= 0xEB) return 'e';
    if (cp >= 0xCC && cp <= 0xCF) return 'i';
    if (cp >= 0xEC && cp <= 0xEF) return 'i';
    if (cp == 0xD1 || cp == 0xF1) return 'n';
    if ((cp >= 0xD2 && cp <= 0xD6) || cp == 0xD8) return 'o';
    if ((cp >= 0xF2 && cp <= 0xF6) || cp == 0xF8) return 'o';
    if (cp >= 0xD9 && cp <= 0xDC) return 'u';
    if (cp >= 0xF9 && cp <= 0xFC) return 'u';
    if (cp == 0xDD || cp == 0xFD || cp == 0xFF) return 'y';
    if (cp >= 0x100 && cp <= 0x105) return 'a';
    if (cp >= 0x106 && cp <= 0x10D) return 'c';
    if (cp >= 0x10E && cp <= 0x111) return 'd';
    if (cp >= 0x112 && cp <= 0x11B) return 'e';
    if (cp >= 0x11C && cp <= 0x123) return 'g';
    if (cp >= 0x124 && cp <= 0x127) return 'h';
    if (cp >= 0x128 && cp <= 0x131) return 'i';
    if (cp >= 0x139 && cp <= 0x142) return 'l';
    if (cp >= 0x143 && cp <= 0x148) return 'n';
    if (cp >= 0x14C && cp <= 0x151) return 'o';
    if (cp >= 0x154 && cp <= 0x159) return 'r';
    if (cp >= 0x15A && cp <= 0x161) return 's';
    if (cp >= 0x162 && cp <= 0x167) return 't';
    if (cp >= 0x168 && cp <= 0x173) return 'u';
    if (cp >= 0x179 && cp <= 0x17E) return 'z';
    if (cp == 0x18F || cp == 0x259) return 'a'; /* schwa: Tərtər -> tartar */
    return 0;
}

/* Folds a name to its comparison key: lower-case ASCII letters and digits,
 * diacritics removed, apostrophes (and a possessive 's) dropped, every other
 * run of characters one space, a leading "the " removed. */
static char *fold_name(const char *s)
{
    sbuf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    int space = 1;
    while (*p) {
        uint32_t cp;
        size_t n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if ((*p & 0xE0) == 0xC0 && p[1]) {
            cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
            n = 2;
        } else if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) {
            cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            n = 3;
        } else if ((*p & 0xF8) == 0xF0 && p[1] && p[2] && p[3]) {
            cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                 ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
            n = 4;
        } else {
            p++;
            continue;
        }
        p += n;
        char c = 0;
        if (cp < 0x80 && isalnum((int)cp))
            c = (char)tolower((int)cp);
        else if (cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x2BC) {
            /* drop apostrophes; "ministry's" -> "ministry" */
            if ((p[0] == 's' || p[0] == 'S') && !isalnum(p[1]))
                p++;
            continue;
        } else if (cp >= 0x80)
            c = (char)fold_cp(cp);
        if (c) {
            char ch = c;
            sb_add(&b, &ch, 1);
            space = 0;
        } else if (!space) {
            sb_add(&b, " ", 1);
            space = 1;
        }
    }
    if (!b.p)
        sb_add(&b, "", 0);
    while (b.len && b.p[b.len - 1] == ' ')
        b.p[--b.len] = '\0';
    if (strncmp(b.p, "the ", 4) == 0) {
        memmove(b.p, b.p + 4, b.len - 4 + 1);
        b.len -= 4;
    }
    return b.p;
}

/* Spelling variants that denote the same place or party. Every entry is a
 * folded key; groups end with NULL, the list with an empty group. */
static const char *const ALIASES[][12] = {
    {"tartar", "terter", "tartar district", "terter district", NULL},
    {"shusha", "shushi", "susa", NULL},
    {"stepanakert", "khankendi", "xankandi", "khankandi", NULL},
    {"martuni", "khojavend", "xocavand", "khojavand", NULL},
    {"aghjabadi", "agjabadi", "aghjabedi", "agcabadi", "agdzhabedy", NULL},
    {"ganja", "ganca", "gyandzha", NULL},
    {"barda", "barda district", "berde", NULL},
    {"mingachevir", "mingacevir", "mingechaur", NULL},
    {"beylagan", "beylaqan", NULL},
    {"nagorno karabakh", "artsakh", "karabakh", "republic of artsakh", "nagorny karabakh", NULL},
    {"kyiv", "kiev", NULL},
    {"kharkiv", "kharkov", NULL},
    {"zaporizhzhia", "zaporizhia", "zaporozhye", "zaporizhzhya", NULL},
    {"mykolaiv", "nikolaev", "mykolayiv", NULL},
    {"odesa", "odessa", NULL},
    {"hodeidah", "hudaydah", "al hudaydah", "hodeida", "al hodeidah", NULL},
    {"el fasher", "al fashir", "el fashir", "al fasher", NULL},
    {"idlib", "idleb", NULL},
    {"gaza", "gaza strip", NULL},
    {"myanmar", "burma", "tatmadaw", "myanmar military", "myanmar armed forces", "junta",
     "myanmar junta", NULL},
    {"yangon", "rangoon", NULL},
    {"russia", "russian federation", NULL},
    {"rapid support forces", "rsf", NULL},
    {"houthis", "houthi", "ansar allah", "houthi movement", NULL},
    {"israel defense forces", "idf", "israel", "israeli military", NULL},
    {"ohchr", "un human rights office", "un ohchr", "united nations human rights office",
     "office of the un high commissioner for human rights", "un human rights", NULL},
    {"unhcr", "un refugee agency", "united nations refugee agency", NULL},
    {"unicef", "un children agency", "united nations children fund", NULL},
    {"icrc", "international committee of the red cross", "red cross", NULL},
    {"msf", "doctors without borders", "medecins sans frontieres", NULL},
    {"hrw", "human rights watch", NULL},
    {"amnesty", "amnesty international", NULL},
    {NULL},
};

static int alias_group(const char *key)
{
    for (int g = 0; ALIASES[g][0]; g++)
        for (int i = 0; ALIASES[g][i]; i++)
            if (strcmp(ALIASES[g][i], key) == 0)
                return g;
    return -1;
}

/* needle occurs in hay starting at a word boundary */
static int contains_word_start(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        if (p == hay || p[-1] == ' ')
            return 1;
    return 0;
}

/* hay starts with the words of needle ("Amnesty" for "Amnesty International"),
 * as the scorer allows a shorter form that starts the name; a bare word in
 * the middle ("police" for "Balochistan police") is not the name. */
static int starts_with_words(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    return n && strncmp(hay, needle, n) == 0 && (hay[n] == ' ' || hay[n] == '\0');
}

/* a folded name without a leading article ("el geneina" ~ "geneina") */
static const char *skip_article(const char *s)
{
    static const char *const art[] = {"the ", "el ", "al ", "al-", "el-", "ad ", "as ", "ar ", NULL};
    for (int i = 0; art[i]; i++)
        if (strncmp(s, art[i], strlen(art[i])) == 0)
            return s + strlen(art[i]);
    return s;
}

static int stop_word(const char *w, size_t n)
{
    static const char *const stop[] = {"of", "the", "s", "and", "for", "republic", "office",
                                       "ministry", "in", "on", NULL};
    for (int i = 0; stop[i]; i++)
        if (strlen(stop[i]) == n && strncmp(stop[i], w, n) == 0)
            return 1;
    return 0;
}

/* Splits a key into words truncated to 5 letters, without stop words. */
static size_t key_words(const char *key, char words[][6], size_t max)
{
    size_t k = 0;
    const char *p = key;
    while (*p && k < max) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - w);
        if (n == 0 || stop_word(w, n))
            continue;
        if (n > 5)
            n = 5;
        size_t j;
        for (j = 0; j < k; j++)
            if (strlen(words[j]) == n && strncmp(words[j], w, n) == 0)
                break;
        if (j < k)
            continue;
        memcpy(words[k], w, n);
        words[k][n] = '\0';
        k++;
    }
    return k;
}

/* Lenient name equality, as ../shared/score judges: case and diacritics
 * folded, the expected name contained in the produced one (at a word start:
 * more specific), the produced one starting the expected one ("Amnesty"), a
 * leading article aside, spelling aliases, or most of the expected
 * name's significant words present ("Azerbaijan's Prosecutor General's
 * Office" ~ "Prosecutor General of Azerbaijan"). */
static int names_match(const char *expected, const char *produced)
{
    char *e = fold_name(expected), *p = fold_name(produced);
    int ok = 0;
    if (!*e || !*p)
        ok = (!*e && !*p);
    else if (strcmp(e, p) == 0 || contains_word_start(p, e) || starts_with_words(e, p) ||
             strcmp(skip_article(e), skip_article(p)) == 0)
        ok = 1;
    else {
        int ge = alias_group(e), gp = alias_group(p);
        if (ge >= 0 && ge == gp)
            ok = 1;
        /* an alias contained in the produced name: "Terter district" */
        for (int g = 0; !ok && ge >= 0 && ALIASES[ge][g]; g++)
            if (contains_word_start(p, ALIASES[ge][g]))
                ok = 1;
        if (!ok) {
            char ew[32][6], pw[32][6];
            size_t ne = key_words(e, ew, 32), np = key_words(p, pw, 32);
            if (ne == 1) {
                /* one significant word: it must be one of the produced ones */
                for (size_t j = 0; j < np && !ok; j++)
                    ok = strcmp(ew[0], pw[j]) == 0;
            } else if (ne >= 2 && np >= 1) {
                size_t common = 0;
                for (size_t i = 0; i < ne; i++)
                    for (size_t j = 0; j < np; j++)
                        if (strcmp(ew[i], pw[j]) == 0) {
                            common++;
                            break;
                        }
                ok = common * 3 >= ne * 2;
            }
        }
    }
    free(e);
    free(p);
    return ok;
}

/* ------------------------------------------------------------------ */
/* Spec cases                                                          */
/* ------------------------------------------------------------------ */
enum { F_PLACE, F_DATE_START, F_DATE_END, F_CLAIMANT, F_PERPETRATOR, F_WEAPON, F_QUALIFIER,
       F_COUNTRY, F_SENTENCE, F_VICTIMS_SIDE, F_PART_OF, F_NFIELDS };
static const char *const FIELD_NAMES[F_NFIELDS] = {"place", "date_start", "date_end", "claimant",
                                                   "perpetrator", "weapon", "qualifier", "country",
                                                   "sentence", "victims_side", "part_of"};

/* The text of the case being run, for the evidence sentence. */
static const char *g_text;
static size_t g_text_len;
static char g_sentence[4096];

typedef struct expect {
    int line;
    char *source;   /* the spec line, for messages */
    int outcome;    /* tally_outcome */
    int64_t low, high;
    int victims;    /* -1: not checked */
    int scope;      /* -1: not checked */
    char *field[F_NFIELDS]; /* NULL: not checked; "-" must be null */
} expect;

typedef struct spec_case {
    char *name;
    int line;
    char *published; /* or NULL */
    sbuf text;
    int have_text;
    int none;
    char *xfail;     /* reason, or NULL */
    expect *claims;
    size_t nclaims, capclaims;
    expect *nots;
    size_t nnots, capnots;
    sbuf errors;     /* format errors in the case itself */
} spec_case;

static void case_free(spec_case *c)
{
    free(c->name);
    free(c->published);
    free(c->text.p);
    free(c->xfail);
    for (size_t i = 0; i < c->nclaims; i++) {
        free(c->claims[i].source);
        for (int f = 0; f < F_NFIELDS; f++)
            free(c->claims[i].field[f]);
    }
    for (size_t i = 0; i < c->nnots; i++) {
        free(c->nots[i].source);
        for (int f = 0; f < F_NFIELDS; f++)
            free(c->nots[i].field[f]);
    }
    free(c->claims);
    free(c->nots);
    free(c->errors.p);
    memset(c, 0, sizeof *c);
}

/* The names of an enumeration, by the library's name function (the one
 * list of include/tally.h). */
typedef const char *(*name_fn)(int);
static const char *outcome_name(int i) { return tally_outcome_name((tally_outcome)i); }
static const char *victims_name(int i) { return tally_victims_name((tally_victims)i); }
static const char *scope_name(int i) { return tally_scope_name((tally_scope)i); }

static int lookup(name_fn name, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(name(i), s) == 0)
            return i;
    return -1;
}

/* Parses a decimal count; returns 1 on success. */
static int parse_int(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 15)
        return 0;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* COUNT: "26", "501..", "..550", "10..20" */
static int parse_count(const char *s, int64_t *low, int64_t *high)
{
    const char *dots = strstr(s, "..");
    if (!dots) {
        if (!parse_int(s, strlen(s), low))
            return 0;
        *high = *low;
        return 1;
    }
    size_t nl = (size_t)(dots - s);
    const char *h = dots + 2;
    *low = TALLY_OPEN;
    *high = TALLY_OPEN;
    if (nl && !parse_int(s, nl, low))
        return 0;
    if (*h && !parse_int(h, strlen(h), high))
        return 0;
    if (!nl && !*h)
        return 0;
    if (nl && *h && *high < *low)
        return 0;
    return 1;
}

/* Splits a claim line into tokens; key="quoted value" keeps its spaces.
 * Returns the number of tokens (each malloc'ed), -1 on an unclosed quote. */
static int tokenize(const char *line, char **tok, int max)
{
    int n = 0;
    const char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (n == max)
            return -1;
        sbuf t = {0};
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '"') {
                const char *q = strchr(p + 1, '"');
                if (!q) {
                    free(t.p);
                    return -1;
                }
                sb_add(&t, p + 1, (size_t)(q - p - 1));
                p = q + 1;
            } else {
                sb_add(&t, p, 1);
                p++;
            }
        }
        if (!t.p)
            sb_add(&t, "", 0);
        tok[n++] = t.p;
    }
    return n;
}

static int valid_date(const char *s)
{
    tally_date d;
    return tally_date_parse(s, strlen(s), &d);
}

/* Parses "OUTCOME COUNT [VICTIMS] [SCOPE] [key=value ...]". */
static int parse_expect(const char *line, int lineno, expect *e, sbuf *err)
{
    memset(e, 0, sizeof *e);
    e->line = lineno;
    e->victims = -1;
    e->scope = -1;
    e->source = xstrndup(line, strlen(line));
    char *tok[64];
    int n = tokenize(line, tok, 64);
    int ok = 1;
    if (n < 2) {
        sb_printf(err, "  line %d: a claim needs OUTCOME COUNT: %s\n", lineno, line);
        ok = 0;
        goto out;
    }
    e->outcome = lookup(outcome_name, TALLY_OUTCOME_COUNT, tok[0]);
    if (e->outcome < 0) {
        sb_printf(err, "  line %d: unknown outcome '%s'\n", lineno, tok[0]);
        ok = 0;
    }
    if (!parse_count(tok[1], &e->low, &e->high)) {
        sb_printf(err, "  line %d: bad count '%s'\n", lineno, tok[1]);
        ok = 0;
    }
    for (int i = 2; i < n; i++) {
        const char *t = tok[i];
        const char *eq = strchr(t, '=');
        int v;
        if (!eq) {
            if ((v = lookup(victims_name, TALLY_VICTIMS_COUNT, t)) >= 0)
                e->victims = v;
            else if ((v = lookup(scope_name, TALLY_SCOPE_COUNT, t)) >= 0)
                e->scope = v;
            else {
                sb_printf(err, "  line %d: unknown word '%s'\n", lineno, t);
                ok = 0;
            }
            continue;
        }
        size_t kl = (size_t)(eq - t);
        const char *val = eq + 1;
        if (kl == 4 && strncmp(t, "date", 4) == 0) {
            const char *dots = strstr(val, "..");
            char *a, *b;
            if (strcmp(val, "-") == 0) {
                a = xstrndup("-", 1);
                b = xstrndup("-", 1);
            } else if (dots) {
                a = xstrndup(val, (size_t)(dots - val));
                b = xstrndup(dots + 2, strlen(dots + 2));
            } else {
                a = xstrndup(val, strlen(val));
                b = xstrndup(val, strlen(val));
            }
            if (strcmp(a, "-") != 0 && (!valid_date(a) || !valid_date(b))) {
                sb_printf(err, "  line %d: bad date '%s'\n", lineno, val);
                ok = 0;
            }
            free(e->field[F_DATE_START]);
            free(e->field[F_DATE_END]);
            e->field[F_DATE_START] = a;
            e->field[F_DATE_END] = b;
            continue;
        }
        if (kl == 7 && strncmp(t, "victims", 7) == 0) {
            if ((e->victims = lookup(victims_name, TALLY_VICTIMS_COUNT, val)) < 0) {
                sb_printf(err, "  line %d: bad victims '%s'\n", lineno, val);
                ok = 0;
            }
            continue;
        }
        if (kl == 5 && strncmp(t, "scope", 5) == 0) {
            if ((e->scope = lookup(scope_name, TALLY_SCOPE_COUNT, val)) < 0) {
                sb_printf(err, "  line %d: bad scope '%s'\n", lineno, val);
                ok = 0;
            }
            continue;
        }
        int f;
        for (f = 0; f < F_NFIELDS; f++)
            if (strlen(FIELD_NAMES[f]) == kl && strncmp(FIELD_NAMES[f], t, kl) == 0)
                break;
        if (f == F_NFIELDS) {
            sb_printf(err, "  line %d: unknown key '%.*s'\n", lineno, (int)kl, t);
            ok = 0;
            continue;
        }
        if ((f == F_DATE_START || f == F_DATE_END) && strcmp(val, "-") != 0 && !valid_date(val)) {
            sb_printf(err, "  line %d: bad date '%s'\n", lineno, val);
            ok = 0;
        }
        free(e->field[f]);
        e->field[f] = xstrndup(val, strlen(val));
    }
out:
    for (int i = 0; i < n; i++)
        free(tok[i]);
    if (n < 0) {
        sb_printf(err, "  line %d: unclosed quote: %s\n", lineno, line);
        ok = 0;
    }
    return ok;
}

static void add_expect(expect **arr, size_t *n, size_t *cap, const expect *e)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        expect *na = realloc(*arr, *cap * sizeof **arr);
        if (!na)
            die_nomem();
        *arr = na;
    }
    (*arr)[(*n)++] = *e;
}

/* ------------------------------------------------------------------ */
/* Comparing produced claims with expected ones                        */
/* ------------------------------------------------------------------ */
static void claim_date_str(tally_date d, char *buf, size_t size)
{
    if (d.year == 0)
        snprintf(buf, size, "-");
    else
        tally_date_format(d, buf, size);
}

/* The produced value of a field as a string, or NULL when it is null. */
static const char *claim_field(const tally_claim *c, int f, char *buf, size_t size)
{
    switch (f) {
    case F_PLACE: return c->place;
    case F_CLAIMANT: return c->claimant;
    case F_PERPETRATOR: return c->perpetrator;
    case F_WEAPON: return c->weapon;
    case F_QUALIFIER: return c->qualifier;
    case F_COUNTRY: return c->country;
    case F_VICTIMS_SIDE: return c->victims_side;
    case F_PART_OF: /* the 0-based index of the total, as the JSON writer prints it */
        if (!c->part_of)
            return NULL;
        snprintf(buf, size, "%u", (unsigned)c->part_of - 1);
        return buf;
    case F_SENTENCE:
        if (!g_text || c->start > c->end || c->end > g_text_len)
            return NULL;
        {
            size_t n = c->end - c->start;
            if (n >= sizeof g_sentence)
                n = sizeof g_sentence - 1;
            memcpy(g_sentence, g_text + c->start, n);
            g_sentence[n] = '\0';
        }
        return g_sentence;
    case F_DATE_START:
        if (c->date_start.year == 0)
            return NULL;
        tally_date_format(c->date_start, buf, size);
        return buf;
    case F_DATE_END:
        if (c->date_end.year == 0)
            return NULL;
        tally_date_format(c->date_end, buf, size);
        return buf;
    default: return NULL;
    }
}

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* hay contains needle, runs of white space counting as one space */
static int contains_squeezed(const char *hay, const char *needle)
{
    sbuf h = {0}, n = {0};
    const char *srcs[2] = {hay, needle};
    sbuf *dst[2] = {&h, &n};
    for (int k = 0; k < 2; k++) {
        int sp = 0;
        for (const char *q = srcs[k]; *q; q++) {
            if (isspace((unsigned char)*q)) {
                sp = 1;
                continue;
            }
            if (sp && dst[k]->len)
                sb_add(dst[k], " ", 1);
            sp = 0;
            sb_add(dst[k], q, 1);
        }
        if (!dst[k]->p)
            sb_add(dst[k], "", 0);
    }
    int ok = strstr(h.p, n.p) != NULL;
    free(h.p);
    free(n.p);
    return ok;
}

static int field_ok(const expect *e, const tally_claim *c, int f)
{
    const char *want = e->field[f];
    if (!want)
        return 1;
    char buf[32];
    const char *got = claim_field(c, f, buf, sizeof buf);
    if (strcmp(want, "-") == 0)
        return got == NULL || *got == '\0';
    if (!got || !*got)
        return 0;
    switch (f) {
    case F_PLACE:
    case F_CLAIMANT:
    case F_PERPETRATOR:
        return names_match(want, got);
    case F_SENTENCE:
        return contains_squeezed(got, want);
    default:
        return ieq(want, got);
    }
}

static int count_ok(const expect *e, const tally_claim *c)
{
    return (int)c->outcome == e->outcome && c->count_low == e->low && c->count_high == e->high;
}

/* Writes the mismatching fields of a claim against an expectation. */
static int describe_mismatch(const expect *e, const tally_claim *c, sbuf *out)
{
    int bad = 0;
    if (e->victims >= 0 && (int)c->victims != e->victims) {
        sb_printf(out, " victims: want %s, got %s;", victims_name(e->victims),
                  tally_victims_name(c->victims));
        bad++;
    }
    if (e->scope >= 0 && (int)c->scope != e->scope) {
        sb_printf(out, " scope: want %s, got %s;", scope_name(e->scope), tally_scope_name(c->scope));
        bad++;
    }
    for (int f = 0; f < F_NFIELDS; f++) {
        if (field_ok(e, c, f))
            continue;
        char buf[32];
        const char *got = claim_field(c, f, buf, sizeof buf);
        sb_printf(out, " %s: want \"%s\", got %s%s%s;", FIELD_NAMES[f], e->field[f],
                  got ? "\"" : "", got ? got : "null", got ? "\"" : "");
        bad++;
    }
    return bad;
}

static int claim_matches(const expect *e, const tally_claim *c)
{
    if (!count_ok(e, c))
        return 0;
    sbuf tmp = {0};
    int bad = describe_mismatch(e, c, &tmp);
    free(tmp.p);
    return bad == 0;
}

static void format_count(int64_t low, int64_t high, char *buf, size_t size)
{
    if (low == high && low != TALLY_OPEN)
        snprintf(buf, size, "%lld", (long long)low);
    else if (low == TALLY_OPEN && high == TALLY_OPEN)
        snprintf(buf, size, "..");
    else if (low == TALLY_OPEN)
        snprintf(buf, size, "..%lld", (long long)high);
    else if (high == TALLY_OPEN)
        snprintf(buf, size, "%lld..", (long long)low);
    else
        snprintf(buf, size, "%lld..%lld", (long long)low, (long long)high);
}

static void quoted(sbuf *out, const char *key, const char *v)
{
    if (!v)
        return;
    if (strchr(v, ' '))
        sb_printf(out, " %s=\"%s\"", key, v);
    else
        sb_printf(out, " %s=%s", key, v);
}

/* One produced claim in the spec's own claim-line notation, with the
 * evidence sentence. */
static void describe_claim(const tally_claim *c, const char *text, size_t tlen, sbuf *out)
{
    char cnt[64], d1[16], d2[16];
    format_count(c->count_low, c->count_high, cnt, sizeof cnt);
    sb_printf(out, "%s %s %s %s", tally_outcome_name(c->outcome), cnt,
              tally_victims_name(c->victims), tally_scope_name(c->scope));
    quoted(out, "place", c->place);
    if (c->country)
        sb_printf(out, " (%s)", c->country);
    claim_date_str(c->date_start, d1, sizeof d1);
    claim_date_str(c->date_end, d2, sizeof d2);
    if (strcmp(d1, d2) == 0)
        sb_printf(out, " date=%s", d1);
    else
        sb_printf(out, " date=%s..%s", d1, d2);
    quoted(out, "claimant", c->claimant);
    quoted(out, "perpetrator", c->perpetrator);
    quoted(out, "weapon", c->weapon);
    quoted(out, "qualifier", c->qualifier);
    quoted(out, "victims_side", c->victims_side);
    if (c->part_of)
        sb_printf(out, " part_of=%u", (unsigned)c->part_of - 1);
    if (c->start <= c->end && c->end <= tlen) {
        size_t n = c->end - c->start;
        int trunc = n > 160;
        sb_printf(out, "\n        | %.*s%s", (int)(trunc ? 160 : n), text + c->start,
                  trunc ? "..." : "");
    } else {
        sb_printf(out, "\n        | (bad span %zu..%zu)", c->start, c->end);
    }
}

/* Runs one case; returns 1 when it passes, 0 when it fails. The report of a
 * failure (or, with verbose, of every case) goes to rep. */
static int run_case(const tally_lexicon *lex, spec_case *c, const char *file, int verbose,
                    sbuf *rep)
{
    if (c->errors.len) {
        sb_printf(rep, "%s:%d: %s: malformed case\n%s", file, c->line, c->name, c->errors.p);
        return 0;
    }
    tally_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.id.ptr = c->name;
    doc.id.len = strlen(c->name);
    doc.text.ptr = c->text.p ? c->text.p : "";
    doc.text.len = c->text.len;
    if (c->published && !tally_date_parse(c->published, strlen(c->published), &doc.published)) {
        sb_printf(rep, "%s:%d: %s: bad published date '%s'\n", file, c->line, c->name,
                  c->published);
        return 0;
    }
    g_text = doc.text.ptr;
    g_text_len = doc.text.len;
    tally_result *res = NULL;
    tally_error err;
    memset(&err, 0, sizeof err);
    tally_status st = tally_extract(lex, &doc, NULL, &res, &err);
    if (st != TALLY_OK) {
        sb_printf(rep, "%s:%d: %s: tally_extract failed: %s: %s\n", file, c->line, c->name,
                  tally_strerror(st), err.message);
        return 0;
    }
    const tally_claim *claims = NULL;
    size_t n = tally_result_claims(res, &claims);

    unsigned char *used = calloc(n ? n : 1, 1);
    int *match = calloc(c->nclaims ? c->nclaims : 1, sizeof *match);
    if (!used || !match)
        die_nomem();
    for (size_t i = 0; i < c->nclaims; i++)
        match[i] = -1;

    /* pass 1: an expected claim takes a produced one that agrees on every
     * field written; pass 2: one that agrees on outcome and count */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < c->nclaims; i++) {
            if (match[i] >= 0)
                continue;
            for (size_t j = 0; j < n; j++) {
                if (used[j])
                    continue;
                if (pass == 0 ? claim_matches(&c->claims[i], &claims[j])
                              : count_ok(&c->claims[i], &claims[j])) {
                    match[i] = (int)j;
                    used[j] = 1;
                    break;
                }
            }
        }

    sbuf why = {0};
    for (size_t i = 0; i < c->nclaims; i++) {
        const expect *e = &c->claims[i];
        if (match[i] < 0) {
            sb_printf(&why, "    missing:  %s\n", e->source);
            continue;
        }
        sbuf mm = {0};
        if (describe_mismatch(e, &claims[match[i]], &mm))
            sb_printf(&why, "    wrong:    %s\n             ->%s\n", e->source, mm.p);
        free(mm.p);
    }
    for (size_t j = 0; j < n; j++) {
        if (used[j])
            continue;
        /* none: nothing at all; a claims: list is complete except for damage */
        if (c->none || (c->nclaims > 0 && claims[j].outcome != TALLY_DAMAGED)) {
            char cnt[64];
            format_count(claims[j].count_low, claims[j].count_high, cnt, sizeof cnt);
            sb_printf(&why, "    extra:    %s %s\n", tally_outcome_name(claims[j].outcome), cnt);
        }
    }
    for (size_t i = 0; i < c->nnots; i++) {
        const expect *e = &c->nots[i];
        for (size_t j = 0; j < n; j++)
            if (count_ok(e, &claims[j])) {
                sbuf mm = {0};
                /* a not: line with fields forbids only a claim that has them */
                if (describe_mismatch(e, &claims[j], &mm) == 0)
                    sb_printf(&why, "    forbidden: %s\n", e->source);
                free(mm.p);
                break;
            }
    }

    int pass = why.len == 0;
    if (!pass || verbose) {
        sb_printf(rep, "%s:%d: %s: %s\n", file, c->line, c->name, pass ? "ok" : "FAIL");
        if (why.p)
            sb_puts(rep, why.p);
        if (!pass || verbose) {
            sb_printf(rep, "    produced (%zu):%s\n", n, n ? "" : " nothing");
            for (size_t j = 0; j < n; j++) {
                sb_puts(rep, "      ");
                describe_claim(&claims[j], doc.text.ptr, doc.text.len, rep);
                sb_puts(rep, "\n");
            }
        }
    }
    free(why.p);
    free(used);
    free(match);
    tally_result_free(res);
    return pass;
}

/* ------------------------------------------------------------------ */
/* Reading a spec file                                                 */
/* ------------------------------------------------------------------ */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sbuf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        sb_add(&b, tmp, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b.p);
        return NULL;
    }
    if (!b.p)
        sb_add(&b, "", 0);
    *len = b.len;
    return b.p;
}

static int is_text_end(const char *line)
{
    return strcmp(line, "claims:") == 0 || strcmp(line, "not:") == 0 ||
           strcmp(line, "none") == 0 || strncmp(line, "xfail:", 6) == 0 ||
           strncmp(line, "=== ", 4) == 0;
}

typedef struct totals {
    int passed, failed, skipped;
} totals;

static void finish_case(const tally_lexicon *lex, spec_case *c, const char *file, int verbose,
                        totals *t)
{
    if (!c->name)
        return;
    if (!c->have_text)
        sb_printf(&c->errors, "  no text: section\n");
    else if (!c->none && c->nclaims == 0 && c->nnots == 0)
        sb_printf(&c->errors, "  no claims:, not: or none\n");
    sbuf rep = {0};
    int ok = run_case(lex, c, file, verbose && !c->xfail, &rep);
    if (c->xfail) {
        if (ok) {
            printf("%s:%d: %s: XPASS (marked xfail: %s): passes now, remove the xfail line\n",
                   file, c->line, c->name, c->xfail);
            t->passed++;
        } else {
            printf("%s:%d: %s: xfail (%s)\n", file, c->line, c->name, c->xfail);
            if (verbose && rep.p)
                fputs(rep.p, stdout);
            t->skipped++;
        }
    } else {
        if (rep.p)
            fputs(rep.p, stdout);
        if (ok)
            t->passed++;
        else
            t->failed++;
    }
    free(rep.p);
    case_free(c);
}

enum { S_NONE, S_HEADER, S_TEXT, S_CLAIMS, S_NOT };

static int run_file(const tally_lexicon *lex, const char *path, int verbose, totals *t)
{
    size_t len;
    char *data = read_file(path, &len);
    if (!data) {
        printf("%s: cannot read: %s\n", path, strerror(errno));
        t->failed++;
        return 0;
    }
    spec_case c;
    memset(&c, 0, sizeof c);
    int state = S_NONE;
    int lineno = 0;
    /* names seen in this file, to report duplicates */
    char **names = NULL;
    size_t nnames = 0;
    char *p = data, *end = data + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl : end;
        size_t ll = (size_t)(le - p);
        if (ll && p[ll - 1] == '\r')
            ll--;
        char *line = xstrndup(p, ll);
        p = nl ? nl + 1 : end;
        lineno++;

        if (state == S_TEXT && !is_text_end(line)) {
            if (c.text.len || c.have_text > 1)
                sb_add(&c.text, "\n", 1);
            sb_add(&c.text, line, ll);
            c.have_text = 2;
            free(line);
            continue;
        }
        if (state == S_TEXT) {
            /* the text ends: drop trailing blank lines */
            while (c.text.len && (c.text.p[c.text.len - 1] == '\n' ||
                                  c.text.p[c.text.len - 1] == ' '))
                c.text.p[--c.text.len] = '\0';
            c.have_text = 1;
        }

        /* trimmed copy for directives */
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t sl = strlen(s);
        while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t'))
            s[--sl] = '\0';

        if (strncmp(line, "=== ", 4) == 0) {
            finish_case(lex, &c, path, verbose, t);
            memset(&c, 0, sizeof c);
            const char *nm = line + 4;
            while (*nm == ' ')
                nm++;
            size_t nml = strlen(nm);
            while (nml && nm[nml - 1] == ' ')
                nml--;
            c.name = xstrndup(nm, nml);
            c.line = lineno;
            for (size_t i = 0; i < nnames; i++)
                if (strcmp(names[i], c.name) == 0)
                    sb_printf(&c.errors, "  line %d: duplicate case name\n", lineno);
            char **nn = realloc(names, (nnames + 1) * sizeof *names);
            if (!nn)
                die_nomem();
            names = nn;
            names[nnames++] = xstrndup(c.name, strlen(c.name));
            if (!*c.name)
                sb_printf(&c.errors, "  line %d: a case needs a name\n", lineno);
            state = S_HEADER;
        } else if (sl == 0 || s[0] == '#') {
            /* blank lines and comments outside the text */
        } else if (state == S_NONE) {
            printf("%s:%d: text outside a case: %s\n", path, lineno, line);
            t->failed++;
        } else if (strcmp(s, "text:") == 0) {
            if (c.have_text)
                sb_printf(&c.errors, "  line %d: second text:\n", lineno);
            c.have_text = 1;
            state = S_TEXT;
        } else if (strncmp(s, "published:", 10) == 0) {
            const char *v = s + 10;
            while (*v == ' ')
                v++;
            free(c.published);
            c.published = xstrndup(v, strlen(v));
        } else if (strcmp(s, "claims:") == 0) {
            state = S_CLAIMS;
        } else if (strcmp(s, "not:") == 0) {
            state = S_NOT;
        } else if (strcmp(s, "none") == 0) {
            c.none = 1;
            state = S_HEADER;
        } else if (strncmp(s, "xfail:", 6) == 0) {
            const char *v = s + 6;
            while (*v == ' ')
                v++;
            free(c.xfail);
            c.xfail = xstrndup(v, strlen(v));
        } else if (state == S_CLAIMS || state == S_NOT) {
            expect e;
            if (parse_expect(s, lineno, &e, &c.errors)) {
                if (state == S_CLAIMS)
                    add_expect(&c.claims, &c.nclaims, &c.capclaims, &e);
                else
                    add_expect(&c.nots, &c.nnots, &c.capnots, &e);
            } else {
                free(e.source);
                for (int f = 0; f < F_NFIELDS; f++)
                    free(e.field[f]);
            }
        } else {
            sb_printf(&c.errors, "  line %d: unexpected line: %s\n", lineno, line);
        }
        free(line);
    }
    if (state == S_TEXT) {
        while (c.text.len && (c.text.p[c.text.len - 1] == '\n' || c.text.p[c.text.len - 1] == ' '))
            c.text.p[--c.text.len] = '\0';
        c.have_text = 1;
    }
    finish_case(lex, &c, path, verbose, t);
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    free(data);
    return 1;
}

static void usage(FILE *f)
{
    fputs("usage: spec_runner [--verbose] [--lang CODE] FILE.spec...\n", f);
}

int main(int argc, char **argv)
{
    int verbose = 0, nfiles = 0;
    const char *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            lang = argv[++i];
            argv[i] = argv[i - 1]; /* an option, not a file, below */
        }
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "spec_runner: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else
            nfiles++;
    }
    if (nfiles == 0) {
        usage(stderr);
        return 2;
    }
    tally_lexicon_options lo;
    memset(&lo, 0, sizeof lo);
    lo.lang = lang;
    tally_lexicon *lex = NULL;
    tally_error err;
    memset(&err, 0, sizeof err);
    tally_status st = tally_lexicon_open(&lo, &lex, &err);
    if (st != TALLY_OK) {
        fprintf(stderr, "spec_runner: cannot open the lexicon: %s: %s\n", tally_strerror(st),
                err.message);
        return 2;
    }
    totals t = {0, 0, 0};
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            continue;
        run_file(lex, argv[i], verbose, &t);
    }
    tally_lexicon_close(lex);
    if (t.skipped)
        printf("%d passed, %d failed, %d skipped\n", t.passed, t.failed, t.skipped);
    else
        printf("%d passed, %d failed\n", t.passed, t.failed);
    return t.failed ? 1 : 0;
}
