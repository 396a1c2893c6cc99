/* scan.c -- the cue scan (scan.h): outcome-word prefixes in an open-addressing
 * set; paragraphs found from the end of the raw bytes, their words read
 * until one is a hit. */
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
    uint8_t one[256];   /* 1 for a literal of that one byte */
    uint64_t pair[1024]; /* bit (b0 << 8 | b1): some literal begins with bytes b0 b1 (or is b0 alone) */
};
static int pair_has(const tly_cue_scan *s, unsigned b0, unsigned b1) {
    unsigned k = b0 << 8 | b1;
    return (int)(s->pair[k >> 6] >> (k & 63) & 1);
}

typedef struct { uint64_t lo; unsigned meta; } key;
static key key_of(const unsigned char *s, size_t l, int whole) {
    uint64_t k = 0;
    for (size_t i = 0; i < l; i++) k |= (uint64_t)s[i] << (8 * i);
    return (key){k, (unsigned)l | (whole ? 16u : 0u)};
}
static size_t slot_of(key k, size_t mask) {
    return (size_t)(((k.lo ^ ((uint64_t)k.meta << 59)) * 0x9E3779B97F4A7C15ull) >> 36) & mask;
}
/* slots hold triples: [3i] the bytes, [3i+1] meta + 1, [3i+2] the literal's
 * classes (TLY_SCAN_*) */
static unsigned has_key(const tly_cue_scan *s, key k) {
    for (size_t i = slot_of(k, s->mask);; i = (i + 1) & s->mask) {
        if (!s->slots[3 * i + 1]) return 0;
        if (s->slots[3 * i] == k.lo && s->slots[3 * i + 1] == k.meta + 1u) return (unsigned)s->slots[3 * i + 2];
    }
}
static void add_key(tly_cue_scan *s, key k, unsigned cls) {
    for (size_t i = slot_of(k, s->mask);; i = (i + 1) & s->mask) {
        if (!s->slots[3 * i + 1]) { s->slots[3 * i] = k.lo; s->slots[3 * i + 1] = k.meta + 1u; s->slots[3 * i + 2] = cls; return; }
        if (s->slots[3 * i] == k.lo && s->slots[3 * i + 1] == k.meta + 1u) { s->slots[3 * i + 2] |= cls; return; }
    }
}

/* Whether a word whose folded form is f[0..fl) (wl bytes in all; only its
 * first SCAN_PREFIX bytes are in f) is a hit. */
static unsigned word_hit(const tly_cue_scan *s, const unsigned char *f, size_t fl, size_t wl) {
    if (!fl || !s->first[f[0]]) return 0;
    if (fl >= 2 && !pair_has(s, f[0], f[1]) && !s->one[f[0]]) return 0;
    unsigned cls = 0;
    uint64_t k = 0; /* the key of f[0..l), grown byte by byte */
    for (size_t l = 1; l <= fl; l++) {
        k |= (uint64_t)f[l - 1] << (8 * (l - 1));
        if (s->plens >> l & 1) cls |= has_key(s, (key){k, (unsigned)l});
    }
    if (wl == fl && (s->wlens >> wl & 1)) cls |= has_key(s, (key){k, (unsigned)wl | 16u});
    return cls;
}

/* A one-word function cue of the pack ("the", "their", "of"): a poor literal. */
static int is_function_word(const tally_lexicon *lex, const char *w) {
    const uint32_t *ix;
    size_t n = tly_lex_headed(lex, w, &ix);
    for (size_t i = 0; i < n; i++) {
        const tly_lexent *e = &lex->ent[ix[i]];
        if (e->type == LX_CUE && e->ntok == 1 && e->sub >= CUE_FIRST_FUNCTION) return 1;
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
static void add_word(tly_cue_scan *s, const tally_lexicon *lex, const tly_lexent *e, int k, unsigned cls) {
    const char *w = e->tn[k];
    size_t wl = strlen(w);
    int pl = e->plural && k == e->ntok - 1;
    if (!pl && wl <= SCAN_PREFIX) {
        add_key(s, key_of((const unsigned char *)w, wl, 1), cls);
        s->wlens |= 1u << wl;
    } else {
        size_t p = stable_bytes(lex, w, pl);
        if (p > SCAN_PREFIX) p = SCAN_PREFIX;
        add_key(s, key_of((const unsigned char *)w, p, 0), cls);
        s->plens |= 1u << p;
    }
    s->first[(unsigned char)w[0]] = 1;
    unsigned pk = (unsigned)(unsigned char)w[0] << 8 | (unsigned char)w[1];
    if (w[1] && (pl ? stable_bytes(lex, w, 1) : wl) >= 2) s->pair[pk >> 6] |= 1ull << (pk & 63);
    else s->one[(unsigned char)w[0]] = 1;
}

/* Whether every form of word k of e is already a hit. */
static int covered(const tly_cue_scan *s, const tly_lexent *e, int k, unsigned cls) {
    if (e->plural && k == e->ntok - 1) return 0; /* its plural forms: not checked */
    const unsigned char *w = (const unsigned char *)e->tn[k];
    size_t wl = strlen(e->tn[k]);
    return (word_hit(s, w, wl < SCAN_PREFIX ? wl : SCAN_PREFIX, wl) & cls) != 0;
}

/* The classes of entry e (0: not scanned for). */
static unsigned entry_class(const tly_lexent *e) {
    if (e->type == LX_OUTCOME) return TLY_SCAN_OUTCOME;
    if (e->type == LX_WEAPON) return TLY_SCAN_CONTEXT;
    if (e->type == LX_CUE && (e->sub == CUE_ATTACK_NOUN || e->sub == CUE_ATTACK_VERB || e->sub == CUE_RESPONSIBILITY))
        return TLY_SCAN_CONTEXT;
    return 0;
}

tly_cue_scan *tly_scan_build(tally_lexicon *lex) {
    /* inflection rules change more than the ending a plural rule strips */
    if (lex->ncase_rules || lex->ntranslit) return NULL;
    size_t nout = 0, nlit = 0;
    for (size_t i = 0; i < lex->nent; i++) {
        nout += lex->ent[i].type == LX_OUTCOME;
        nlit += entry_class(&lex->ent[i]) != 0;
    }
    if (!nout) return NULL;
    tly_cue_scan *s = tly_arena_calloc(&lex->arena, 1, sizeof *s);
    size_t ns = 64;
    while (ns < nlit * 4) ns *= 2;
    if (!s || !(s->slots = tly_arena_calloc(&lex->arena, 3 * ns, sizeof *s->slots))) return NULL;
    s->mask = ns - 1;
    /* the outcome phrases, then the others; within each, one-word phrases
     * first: a longer phrase with a word they cover adds nothing */
    for (int pass = 0; pass < 4; pass++)
        for (size_t i = 0; i < lex->nent; i++) {
            const tly_lexent *e = &lex->ent[i];
            unsigned cls = entry_class(e);
            if (cls != (pass < 2 ? TLY_SCAN_OUTCOME : TLY_SCAN_CONTEXT) || (pass % 2 == 0) != (e->ntok == 1)) continue;
            int best = -1, best_fn = 1, done = 0;
            size_t best_p = 0, best_len = 0;
            for (int k = 0; k < e->ntok && !done; k++) {
                const char *w = e->tn[k];
                size_t wl = strlen(w);
                if (!wl || !starts_word(w)) continue;
                if (covered(s, e, k, cls)) { done = 1; break; }
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
            add_word(s, lex, e, best, cls);
        }
    return s;
}

/* The folded form of a word that has a non-ASCII letter (text[b..e)). */
static unsigned word_hit_folded(const tly_cue_scan *s, const char *text, size_t b, size_t e) {
    char small[512];
    if (e - b > 256) return TLY_SCAN_ALL; /* a very long word: taken as a hit */
    size_t fl = tly_fold(text + b, e - b, small, sizeof small);
    if (fl >= sizeof small) return TLY_SCAN_ALL;
    return word_hit(s, (const unsigned char *)small, fl < SCAN_PREFIX ? fl : SCAN_PREFIX, fl);
}

static int is_ascii_space(unsigned c) { return c == ' ' || (c >= 9 && c <= 13); }

/* The classes of the cue words of text[b..e) (b and e not inside a word),
 * as soon as they include every class of want. */
static unsigned hits_in(const tly_cue_scan *s, const char *text, size_t b, size_t e, unsigned want) {
    unsigned cls = 0;
    const unsigned char *t = (const unsigned char *)text;
    size_t i = b;
    while (i < e) {
        unsigned c = t[i];
        if (c < 0x80) {
            if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) { i++; continue; }
            /* a word: letters, then letters and digits */
            size_t w = i;
            unsigned char f[SCAN_PREFIX];
            size_t fl = 0;
            int ascii = 1;
            while (i < e) {
                unsigned d = t[i];
                if (d < 0x80) {
                    int letter = (d | 0x20) >= 'a' && (d | 0x20) <= 'z';
                    if (!letter && !(d >= '0' && d <= '9')) break;
                    if (fl < SCAN_PREFIX) f[fl++] = (unsigned char)(d | (letter ? 0x20 : 0));
                    i++;
                    continue;
                }
                int32_t cp;
                size_t l = tly_utf8_decode(t + i, e - i, &cp);
                if (!l || !tly_cp_is_letter(cp)) break;
                ascii = 0;
                i += l;
            }
            cls |= ascii ? word_hit(s, f, fl, i - w) : word_hit_folded(s, text, w, i);
            if ((cls & want) == want) return cls;
            continue;
        }
        /* a non-ASCII character: a letter begins a word, else it is punctuation or space */
        int32_t cp;
        size_t l = tly_utf8_decode(t + i, e - i, &cp);
        if (!l) { i++; continue; }
        if (!tly_cp_is_letter(cp)) { i += l; continue; }
        size_t w = i;
        i += l;
        while (i < e) {
            unsigned d = t[i];
            if (d < 0x80) {
                if (((d | 0x20) >= 'a' && (d | 0x20) <= 'z') || (d >= '0' && d <= '9')) { i++; continue; }
                break;
            }
            size_t l2 = tly_utf8_decode(t + i, e - i, &cp);
            if (!l2 || !tly_cp_is_letter(cp)) break;
            i += l2;
        }
        cls |= word_hit_folded(s, text, w, i);
        if ((cls & want) == want) return cls;
    }
    return cls;
}

/* The start of the paragraph that ends at end (> 0): the white space that
 * begins it, or 0. */
static size_t para_start(const char *text, size_t len, size_t end) {
    const unsigned char *t = (const unsigned char *)text;
    size_t at = end;
    while (at > 0) {
        while (at > 0 && t[at - 1] != '\n') at--;
        if (!at) return 0;
        size_t rs = at - 1, re = at, lf = 0;
        while (rs > 0 && is_ascii_space(t[rs - 1])) rs--;
        while (re < len && is_ascii_space(t[re])) re++;
        for (size_t q = rs; q < re; q++) lf += t[q] == '\n';
        /* a run of ASCII white space with two line feeds, then no lower-case
         * ASCII letter and no other byte than ASCII: a sure paragraph break */
        if (lf >= 2 && re < end && t[re] < 0x80 && !(t[re] >= 'a' && t[re] <= 'z')) return rs;
        at = rs;
    }
    return 0;
}

size_t tly_scan_keep(const tly_cue_scan *s, const char *text, size_t len, size_t after) {
    size_t ends[8], nends = 0; /* the ends of the paragraphs after the current one, nearest first */
    if (after >= sizeof ends / sizeof *ends) after = sizeof ends / sizeof *ends - 1;
    size_t end = len, keep = 0;
    /* the last paragraph with a cue word of any class sets what is kept;
     * the text is kept only if some paragraph up to it has an outcome word.
     * A paragraph is read from its start up to its first outcome word, so
     * one long paragraph costs little when it has one early. */
    while (end > 0) {
        size_t b = para_start(text, len, end);
        unsigned cls = hits_in(s, text, b, end, TLY_SCAN_OUTCOME);
        if (cls && !keep) keep = !after ? end : nends >= after ? ends[after - 1] : len;
        if (cls & TLY_SCAN_OUTCOME) return keep;
        memmove(ends + 1, ends, sizeof *ends * (sizeof ends / sizeof *ends - 1));
        ends[0] = end;
        if (nends < sizeof ends / sizeof *ends) nends++;
        end = b;
    }
    return 0;
}
