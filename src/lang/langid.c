/* langid.c -- script, then function words (see langid.h). */
#include "lang/langid.h"
#include "util/arena.h"
#include "util/data.h"
#include "util/utf8.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Unicode blocks -> script names of data/langid.tsv (facts of Unicode). */
static const struct { uint32_t lo, hi; const char *script; } blocks[] = {
    {0x0041, 0x005A, "latin"}, {0x0061, 0x007A, "latin"}, {0x00C0, 0x024F, "latin"},
    {0x0250, 0x02AF, "latin"}, {0x1E00, 0x1EFF, "latin"}, {0x0370, 0x03FF, "greek"}, {0x0400, 0x052F, "cyrillic"},
    {0x0530, 0x058F, "armenian"}, {0x0590, 0x05FF, "hebrew"}, {0x0600, 0x06FF, "arabic"},
    {0x0750, 0x077F, "arabic"}, {0xFB50, 0xFDFF, "arabic"}, {0xFE70, 0xFEFF, "arabic"},
    {0x0900, 0x097F, "devanagari"}, {0x0980, 0x09FF, "bengali"}, {0x0B80, 0x0BFF, "tamil"},
    {0x0E00, 0x0E7F, "thai"}, {0x1000, 0x109F, "myanmar"}, {0x10A0, 0x10FF, "georgian"},
    {0x1200, 0x137F, "ethiopic"}, {0x3040, 0x30FF, "kana"}, {0x4E00, 0x9FFF, "han"},
    {0xAC00, 0xD7AF, "hangul"},
};
#define NBLOCKS (sizeof blocks / sizeof blocks[0])
#define MAXLANG 48
#define MAXSCRIPT 24

typedef struct lang { char code[8]; int script; int whole_script; } lang;
typedef struct word { uint32_t hash; int lang; uint32_t len; const char *w; } word;

static struct {
    tly_arena arena;
    const char *script[MAXSCRIPT];
    int nscript;
    lang langs[MAXLANG];
    int nlang;
    int block_script[NBLOCKS];
    int ascii_script[128]; /* the script of an ASCII letter (-1: none, or not a letter) */
    word *slots;      /* open addressing, power of two */
    size_t nslots;
    int ok;
} L;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint32_t hash(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h ? h : 1;
}

static int script_id(const char *name) {
    for (int i = 0; i < L.nscript; i++) if (!strcmp(L.script[i], name)) return i;
    if (L.nscript == MAXSCRIPT) return -1;
    L.script[L.nscript] = name;
    return L.nscript++;
}

typedef struct { size_t nwords; char *words[MAXLANG]; } loadctx;

static int on_line(void *ctx, char **f, int nf, int lineno) {
    (void)lineno;
    loadctx *c = ctx;
    if (nf < 3 || L.nlang == MAXLANG || strlen(f[0]) >= sizeof L.langs[0].code) return 1;
    const char *sname = tly_arena_strndup(&L.arena, f[1], strlen(f[1]));
    int s = sname ? script_id(sname) : -1;
    if (s < 0) return 1;
    lang *g = &L.langs[L.nlang];
    strcpy(g->code, f[0]);
    g->script = s;
    g->whole_script = !strcmp(f[2], "*");
    c->words[L.nlang] = g->whole_script ? NULL : tly_arena_strndup(&L.arena, f[2], strlen(f[2]));
    if (c->words[L.nlang]) for (const char *p = f[2]; *p; p++) c->nwords += *p == '|';
    c->nwords++;
    L.nlang++;
    return 0;
}

static void insert(const char *w, size_t n, int g) {
    uint32_t h = hash(w, n);
    for (size_t i = h & (L.nslots - 1);; i = (i + 1) & (L.nslots - 1)) {
        word *s = &L.slots[i];
        if (!s->hash) { s->hash = h; s->lang = g; s->len = (uint32_t)n; s->w = w; return; }
        /* a word of two languages counts for the first listed only: keep it */
        if (s->hash == h && s->len == n && !memcmp(s->w, w, n)) return;
    }
}

static int block_of(uint32_t cp);

static void load(void) {
    tly_arena_init(&L.arena, tly_default_alc());
    size_t len;
    const char *d = tly_data_get(NULL, &L.arena, "langid.tsv", &len);
    if (!d) return;
    loadctx c;
    memset(&c, 0, sizeof c);
    if (tly_tsv_each(&L.arena, d, len, on_line, &c) < 0) return;
    L.nslots = 64;
    while (L.nslots < c.nwords * 2) L.nslots *= 2;
    L.slots = tly_arena_calloc(&L.arena, L.nslots, sizeof *L.slots);
    if (!L.slots) return;
    for (int g = 0; g < L.nlang; g++) {
        char *p = c.words[g];
        while (p && *p) {
            char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            if (n) insert(p, n, g);
            p = bar ? bar + 1 : p + n;
        }
    }
    /* each Unicode block's script, as an index of L.script (-1: none listed) */
    for (size_t b = 0; b < NBLOCKS; b++) {
        L.block_script[b] = -1;
        for (int k = 0; k < L.nscript; k++) if (!strcmp(L.script[k], blocks[b].script)) L.block_script[b] = k;
    }
    for (int ch = 0; ch < 128; ch++) {
        int b = (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z' ? block_of((uint32_t)ch) : -1;
        L.ascii_script[ch] = b >= 0 ? L.block_script[b] : -1;
    }
    L.ok = 1;
}

static const word *lookup(const char *w, size_t n) {
    uint32_t h = hash(w, n);
    for (size_t i = h & (L.nslots - 1);; i = (i + 1) & (L.nslots - 1)) {
        const word *s = &L.slots[i];
        if (!s->hash) return NULL;
        if (s->hash == h && s->len == n && !memcmp(s->w, w, n)) return s;
    }
}

/* one code point at s[*i] (valid UTF-8 is not required: a bad byte is skipped) */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i) {
    unsigned c = s[*i];
    size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!k || *i + k > n) { (*i)++; return 0xFFFD; }
    uint32_t cp = k == 1 ? c : k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
    for (size_t j = 1; j < k; j++) {
        if ((s[*i + j] & 0xC0) != 0x80) { (*i)++; return 0xFFFD; }
        cp = (cp << 6) | (s[*i + j] & 0x3F);
    }
    *i += k;
    return cp;
}

static int block_of(uint32_t cp) {
    for (size_t b = 0; b < NBLOCKS; b++) if (cp >= blocks[b].lo && cp <= blocks[b].hi) return (int)b;
    return -1;
}

/* lower case for the scripts with case (Latin, Greek, Cyrillic, Armenian) */
static uint32_t lower(uint32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x410 && cp <= 0x42F) || (cp >= 0x391 && cp <= 0x3AB)) return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
    if (cp >= 0x531 && cp <= 0x556) return cp + 48;
    if (cp >= 0x100 && cp <= 0x17F && !(cp & 1)) return cp + 1;
    return cp;
}


#define SCAN_BYTES ((size_t)64 << 10)
#define SCAN_WORDS 2000

const char *tally_language_detect(const char *text, size_t len, double *confidence) {
    if (confidence) *confidence = 0;
    pthread_once(&once, load);
    if (!L.ok || !text) return "und";
    const unsigned char *s = (const unsigned char *)text;
    size_t n = len < SCAN_BYTES ? len : SCAN_BYTES;
    size_t letters[MAXSCRIPT] = {0}, total = 0;
    int hits[MAXLANG] = {0}, words = 0;
    char w[64];
    size_t wl = 0;
    int wscript = -1;
    for (size_t i = 0; i <= n && words < SCAN_WORDS;) {
        /* ASCII letters, the common case, without a call: the same counts */
        if (i < n && s[i] < 0x80 && L.ascii_script[s[i]] >= 0) {
            int sc = L.ascii_script[s[i]];
            size_t run = 0;
            do {
                if (wl + 4 < sizeof w) w[wl++] = (char)(s[i] | 0x20);
                i++;
                run++;
            } while (i < n && s[i] < 0x80 && L.ascii_script[s[i]] == sc);
            letters[sc] += run;
            total += run;
            wscript = sc;
            continue;
        }
        uint32_t cp = i < n ? next_cp(s, n, &i) : 0;
        if (i >= n && cp == 0) i++;
        int b = cp >= 0x80 ? block_of(cp) : -1;
        int sc = cp < 0x80 ? L.ascii_script[cp] : b >= 0 ? L.block_script[b] : -1;
        int apostrophe = cp == '\'' || cp == 0x2019;
        if (sc >= 0) {
            letters[sc]++;
            total++;
            if (wl + 4 < sizeof w) wl += tly_utf8_encode(lower(cp), w + wl);
            wscript = sc;
            continue;
        }
        if (apostrophe && wl) { wl = sizeof w; continue; } /* "don't": not a function word */
        if (wl && wl < sizeof w) {
            const word *hit = lookup(w, wl);
            if (hit && L.langs[hit->lang].script == wscript) hits[hit->lang]++;
            words++;
        }
        wl = 0;
    }
    if (total == 0) return "und";
    int best_script = 0;
    for (int k = 1; k < L.nscript; k++) if (letters[k] > letters[best_script]) best_script = k;
    int best = -1, second = -1, cands = 0;
    for (int g = 0; g < L.nlang; g++) {
        if (L.langs[g].script != best_script) continue;
        cands++;
        if (L.langs[g].whole_script) {
            if (confidence) *confidence = (double)letters[best_script] / (double)total;
            return L.langs[g].code;
        }
        if (best < 0 || hits[g] > hits[best]) { second = best; best = g; }
        else if (second < 0 || hits[g] > hits[second]) second = g;
    }
    if (best < 0 || hits[best] < 2) return "und";
    int h2 = second >= 0 ? hits[second] : 0;
    /* a clear winner: at least 1.5x the runner-up and 5% of the words (or 2 in a very short text) */
    if (hits[best] * 2 < h2 * 3) return "und";
    if (words >= 40 && hits[best] * 20 < words) return "und";
    if (confidence) *confidence = (double)(hits[best] - h2) / (double)hits[best];
    (void)cands;
    return L.langs[best].code;
}
