/* scan.c -- the cue scan (scan.h): outcome-word prefixes in an open-addressing
 * set, words read and paragraphs cut in one pass over the raw bytes. */
#include "scan.h"
#include "lexicon.h"
#include "../text/fold.h"
#include "../util/utf8.h"
#include <string.h>

#define SCAN_PREFIX 8 /* bytes of a word's folded form a literal keeps */

/* Keys: a literal's bytes (little end first), its length, and whether it is
 * a whole word (else a prefix of one). */
struct tly_cue_scan {
    uint64_t *slots;  /* key + 1 (0: empty) */
    size_t mask;      /* slots - 1 */
    unsigned plens;   /* bit l: some prefix literal has l bytes */
    unsigned wlens;   /* bit l: some whole-word literal has l bytes */
    uint8_t first[256]; /* 1 for a byte some literal begins with */
};

typedef struct { uint64_t lo; unsigned meta; } key;
static key key_of(const unsigned char *s, size_t l, int whole) {
    uint64_t k = 0;
    for (size_t i = 0; i < l; i++) k |= (uint64_t)s[i] << (8 * i);
    return (key){k, (unsigned)l | (whole ? 16u : 0u)};
}
static size_t slot_of(key k, size_t mask) {
    return (size_t)(((k.lo ^ ((uint64_t)k.meta << 59)) * 0x9E3779B97F4A7C15ull) >> 36) & mask;
}
/* slots hold pairs: [2i] the bytes, [2i+1] meta + 1 */
static int has_key(const tly_cue_scan *s, key k) {
    for (size_t i = slot_of(k, s->mask);; i = (i + 1) & s->mask) {
        if (!s->slots[2 * i + 1]) return 0;
        if (s->slots[2 * i] == k.lo && s->slots[2 * i + 1] == k.meta + 1u) return 1;
    }
}
static void add_key(tly_cue_scan *s, key k) {
    for (size_t i = slot_of(k, s->mask);; i = (i + 1) & s->mask) {
        if (!s->slots[2 * i + 1]) { s->slots[2 * i] = k.lo; s->slots[2 * i + 1] = k.meta + 1u; return; }
        if (s->slots[2 * i] == k.lo && s->slots[2 * i + 1] == k.meta + 1u) return;
    }
}

/* Whether a word whose folded form is f[0..fl) (wl bytes in all; only its
 * first SCAN_PREFIX bytes are in f) is a hit. */
static int word_hit(const tly_cue_scan *s, const unsigned char *f, size_t fl, size_t wl) {
    if (!fl || !s->first[f[0]]) return 0;
    if (wl <= SCAN_PREFIX && (s->wlens >> wl & 1) && has_key(s, key_of(f, wl, 1))) return 1;
    for (size_t l = 1; l <= fl; l++)
        if ((s->plens >> l & 1) && has_key(s, key_of(f, l, 0))) return 1;
    return 0;
}

/* A one-word function cue of the pack ("the", "their", "of"): a poor literal. */
static int is_function_word(const tally_lexicon *lex, const char *w) {
    for (size_t i = 0; i < lex->nent; i++) {
        const tly_lexent *e = &lex->ent[i];
        if (e->type == LX_CUE && e->ntok == 1 && e->sub >= CUE_FIRST_FUNCTION && !strcmp(e->tn[0], w)) return 1;
    }
    return 0;
}

/* Whether folded form w begins a word token (a letter). */
static int starts_word(const char *w) {
    unsigned c = (unsigned char)w[0];
    if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    int32_t cp;
    return tly_utf8_decode((const unsigned char *)w, strlen(w), &cp) && tly_cp_is_letter(cp);
}

/* How many leading bytes of folded word w every form the matcher accepts for
 * it shares: all of them, or for the last word of a pluralizable phrase, all
 * but the ending the longest plural rule that applies to it strips. */
static size_t stable_bytes(const tally_lexicon *lex, const char *w, int pluralizable) {
    size_t wl = strlen(w), strip = 0;
    if (pluralizable)
        for (int q = 0; q < lex->nplural_rules; q++) {
            const struct tly_plural_rule *r = &lex->plural_rule[q];
            if (r->strip_len <= wl && !memcmp(w + wl - r->strip_len, r->strip, r->strip_len) && r->strip_len > strip)
                strip = r->strip_len;
        }
    return wl - strip;
}

/* Adds word k of e as a literal: the whole word when no other form of it
 * matches and it is short enough, else its stable prefix. */
static void add_word(tly_cue_scan *s, const tally_lexicon *lex, const tly_lexent *e, int k) {
    const char *w = e->tn[k];
    size_t wl = strlen(w);
    int pl = e->plural && k == e->ntok - 1;
    if (!pl && wl <= SCAN_PREFIX) {
        add_key(s, key_of((const unsigned char *)w, wl, 1));
        s->wlens |= 1u << wl;
    } else {
        size_t p = stable_bytes(lex, w, pl);
        if (p > SCAN_PREFIX) p = SCAN_PREFIX;
        add_key(s, key_of((const unsigned char *)w, p, 0));
        s->plens |= 1u << p;
    }
    s->first[(unsigned char)w[0]] = 1;
}

/* Whether every form of word k of e is already a hit. */
static int covered(const tly_cue_scan *s, const tly_lexent *e, int k) {
    if (e->plural && k == e->ntok - 1) return 0; /* its plural forms: not checked */
    const unsigned char *w = (const unsigned char *)e->tn[k];
    size_t wl = strlen(e->tn[k]);
    return word_hit(s, w, wl < SCAN_PREFIX ? wl : SCAN_PREFIX, wl);
}

tly_cue_scan *tly_scan_build(tally_lexicon *lex) {
    /* inflection rules change more than the ending a plural rule strips */
    if (lex->ncase_rules || lex->ntranslit) return NULL;
    size_t nout = 0;
    for (size_t i = 0; i < lex->nent; i++) nout += lex->ent[i].type == LX_OUTCOME;
    if (!nout) return NULL;
    tly_cue_scan *s = tly_arena_calloc(&lex->arena, 1, sizeof *s);
    size_t ns = 64;
    while (ns < nout * 4) ns *= 2;
    if (!s || !(s->slots = tly_arena_calloc(&lex->arena, 2 * ns, sizeof *s->slots))) return NULL;
    s->mask = ns - 1;
    /* one-word phrases first; a longer phrase with a word they cover adds nothing */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < lex->nent; i++) {
            const tly_lexent *e = &lex->ent[i];
            if (e->type != LX_OUTCOME || (pass == 0) != (e->ntok == 1)) continue;
            int best = -1, best_fn = 1, done = 0;
            size_t best_p = 0, best_len = 0;
            for (int k = 0; k < e->ntok && !done; k++) {
                const char *w = e->tn[k];
                size_t wl = strlen(w);
                if (!wl || !starts_word(w)) continue;
                if (covered(s, e, k)) { done = 1; break; }
                size_t p = stable_bytes(lex, w, e->plural && k == e->ntok - 1);
                if (!p) continue;
                if (p > SCAN_PREFIX) p = SCAN_PREFIX;
                int fn = is_function_word(lex, w);
                /* the longest word that is no function word */
                if (best < 0 || (best_fn && !fn) ||
                    (fn == best_fn && (p > best_p || (p == best_p && wl > best_len)))) {
                    best = k; best_fn = fn; best_p = p; best_len = wl;
                }
            }
            if (done) continue;
            if (best < 0) return NULL; /* a phrase the scan cannot see */
            add_word(s, lex, e, best);
        }
    return s;
}

/* The folded form of a word that has a non-ASCII letter (text[b..e)). */
static int word_hit_folded(const tly_cue_scan *s, const char *text, size_t b, size_t e) {
    char small[512];
    if (e - b > 256) return 1; /* a very long word: taken as a hit */
    size_t fl = tly_fold(text + b, e - b, small, sizeof small);
    if (fl >= sizeof small) return 1;
    return word_hit(s, (const unsigned char *)small, fl < SCAN_PREFIX ? fl : SCAN_PREFIX, fl);
}

static int is_ascii_space(unsigned c) { return c == ' ' || (c >= 9 && c <= 13); }

size_t tly_scan_paragraphs(const tly_cue_scan *s, tly_arena *a, const char *text, size_t len,
                           tly_scan_para **out, size_t *total) {
    *out = NULL;
    *total = 0;
    if (!len) return 0;
    size_t cap = 64, n = 0;
    tly_scan_para *p = tly_arena_alloc(a, cap * sizeof *p);
    if (!p) return (size_t)-1;
    p[0].start = 0;
    p[0].hits = 0;
    const unsigned char *t = (const unsigned char *)text;
    size_t i = 0, ws = 0, lf = 0;
    int in_ws = 0; /* in a run of ASCII white space that started at ws */
    while (i < len) {
        unsigned c = t[i];
        if (c < 0x80) {
            if (is_ascii_space(c)) {
                if (!in_ws) { in_ws = 1; ws = i; lf = 0; }
                lf += c == '\n';
                i++;
                continue;
            }
            if (in_ws && lf >= 2 && !(c >= 'a' && c <= 'z')) {
                /* a paragraph break the tokenizer surely makes */
                p[n].end = (uint32_t)ws;
                if (++n == cap && !tly_vec_grow_(a, (void **)&p, &cap, sizeof *p, n + 1)) return (size_t)-1;
                p[n].start = (uint32_t)ws;
                p[n].hits = 0;
            }
            in_ws = 0;
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                /* a word: letters, then letters and digits */
                size_t b = i;
                unsigned char f[SCAN_PREFIX];
                size_t fl = 0;
                int ascii = 1;
                while (i < len) {
                    unsigned d = t[i];
                    if (d < 0x80) {
                        int letter = (d | 0x20) >= 'a' && (d | 0x20) <= 'z';
                        if (!letter && !(d >= '0' && d <= '9')) break;
                        if (fl < SCAN_PREFIX) f[fl++] = (unsigned char)(d >= 'A' && d <= 'Z' ? d + 32 : d);
                        i++;
                        continue;
                    }
                    int32_t cp;
                    size_t l = tly_utf8_decode(t + i, len - i, &cp);
                    if (!l || !tly_cp_is_letter(cp)) break;
                    ascii = 0;
                    i += l;
                }
                if (ascii ? word_hit(s, f, fl, i - b) : word_hit_folded(s, text, b, i)) p[n].hits++;
                continue;
            }
            i++;
            continue;
        }
        /* a non-ASCII character: white space (the run is no sure break), a letter
         * (a word begins), or else punctuation */
        in_ws = 0;
        int32_t cp;
        size_t l = tly_utf8_decode(t + i, len - i, &cp);
        if (!l) { i++; continue; }
        if (!tly_cp_is_letter(cp)) { i += l; continue; }
        size_t b = i;
        i += l;
        while (i < len) {
            unsigned d = t[i];
            if (d < 0x80) {
                if (((d | 0x20) >= 'a' && (d | 0x20) <= 'z') || (d >= '0' && d <= '9')) { i++; continue; }
                break;
            }
            size_t l2 = tly_utf8_decode(t + i, len - i, &cp);
            if (!l2 || !tly_cp_is_letter(cp)) break;
            i += l2;
        }
        if (word_hit_folded(s, text, b, i)) p[n].hits++;
    }
    p[n].end = (uint32_t)len;
    n++;
    for (size_t k = 0; k < n; k++) *total += p[k].hits;
    *out = p;
    return n;
}
